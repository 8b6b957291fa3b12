// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc_detect: give the debug tools something they must catch, so that
 * "no report" from them means something. Never for a kernel of users.
 *
 *   leak=1  leaks one vmalloc() and one vzalloc() area and prints their
 *           addresses: a kmemleak scan more than 5 s later must report
 *           both (kmemleak sees an area through its vm_struct, so a
 *           vmalloc that let its own metadata refer to the area would hide
 *           every leak);
 *   uaf=1   asks KASAN about a read of an area after vfree() and
 *           vm_unmap_aliases(), when its range is unmapped and flushed:
 *           KASAN must report it. The read itself is not done, as it
 *           would fault, and the rig's kernels panic on an oops.
 *
 * The rig's detectors scenario loads it once with each and judges what
 * the kernel printed; the module prints "RIG-DETECT" lines for it.
 */

#include <linux/compiler.h>
#include <linux/kasan-checks.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/thread_info.h>
#include <linux/vmalloc.h>

static bool leak;
module_param(leak, bool, 0444);
MODULE_PARM_DESC(leak, "leak a vmalloc() and a vzalloc() area");

static bool uaf;
module_param(uaf, bool, 0444);
MODULE_PARM_DESC(uaf, "read an area after vfree() and a purge");

static int leak_two(void)
{
	void *a = vmalloc(3 * PAGE_SIZE);
	void *b = vzalloc(5 * PAGE_SIZE);

	if (!a || !b) {
		vfree(a);
		vfree(b);
		return -ENOMEM;
	}
	pr_info("RIG-DETECT leak vmalloc 0x%lx\n", (unsigned long)a);
	pr_info("RIG-DETECT leak vzalloc 0x%lx\n", (unsigned long)b);
	return 0;
}

/*
 * Zero the stack below the caller's frame, where leak_two(), vmalloc()
 * and printk() left copies of the two addresses. kmemleak scans every
 * task's stack, a dead task's too while it waits in the stack cache, and
 * one stale copy there would count as the reference that hides a leak.
 */
static noinline void scrub_stack(unsigned int frames)
{
	char buf[512];

	memzero_explicit(buf, sizeof(buf));
	if (frames)
		scrub_stack(frames - 1);
	/* Not a tail call: each frame stays while the next is zeroed. */
	barrier_data(buf);
}

static int read_freed(void)
{
	char *p = vmalloc(PAGE_SIZE);

	if (!p)
		return -ENOMEM;
	WRITE_ONCE(*p, 1);
	vfree(p);
	vm_unmap_aliases();
	pr_info("RIG-DETECT uaf 0x%lx mapped=%d\n", (unsigned long)p,
		vmalloc_to_page(p) != NULL);
	kasan_check_read(p, 1);
	return 0;
}

static int __init vmalloc_detect_init(void)
{
	int err = 0;

	if (leak) {
		err = leak_two();
		/* A quarter of the stack, in frames of about 512 bytes. */
		scrub_stack(THREAD_SIZE / 4 / 512);
	}
	if (!err && uaf)
		err = read_freed();
	return err;
}
module_init(vmalloc_detect_init);

/* Unloading forgets the leaks: nothing refers to them but kmemleak. */
static void __exit vmalloc_detect_exit(void)
{
}
module_exit(vmalloc_detect_exit);

MODULE_DESCRIPTION("Deliberate vmalloc leaks and uses after free, for the rig");
MODULE_LICENSE("GPL");

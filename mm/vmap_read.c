// SPDX-License-Identifier: GPL-2.0-only
/*
 * Looking into vmalloc from outside: /proc/kcore (vread_iter()), user
 * mappings of vmalloc memory (remap_vmalloc_range()), /proc/vmallocinfo
 * and the slab debugger's vmalloc_dump_obj().
 *
 * All of them walk the busy areas with vmap_area_walk() or look one up
 * with vmap_area_try_with(), and do their work in a callback that runs
 * under the lock that keeps the area busy: nothing here sleeps there,
 * and copies to user iterators use the no-fault variants.
 */

#include <linux/init.h>
#include <linux/kasan.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>

#include "vmap.h"

/* ---- /proc/kcore ---- */

/*
 * A count, not an end: a read up to the top of the address space would
 * end at 0.
 */
struct vread_cursor {
	struct iov_iter *iter;
	unsigned long pos;	/* next byte to produce */
	size_t left;		/* bytes still to produce */
	bool full;		/* the iterator stopped taking bytes */
};

static bool vread_advance(struct vread_cursor *cur, size_t want, size_t got)
{
	cur->pos += got;
	cur->left -= got;
	if (got < want)
		cur->full = true;
	return !cur->full && cur->left;
}

static bool vread_area(struct vmap_area *va, void *arg)
{
	unsigned long type = va->flags & (VMAP_AREA_RAM | VMAP_AREA_BLOCK);
	struct vread_cursor *cur = arg;
	struct vm_struct *vm = va->vm;
	unsigned long top;
	size_t n;

	if (va->va_start >= cur->pos && va->va_start - cur->pos >= cur->left)
		return false;
	if (!vm && !type)
		return true;
	if (vm && (READ_ONCE(vm->flags) & VM_UNINITIALIZED))
		return true;
	/* Pairs with the smp_wmb() that clears VM_UNINITIALIZED. */
	smp_rmb();

	top = vm ? va->va_start + get_vm_area_size(vm) : va->va_end;
	if (cur->pos >= top)
		return true;
	if (cur->pos < va->va_start) {
		n = va->va_start - cur->pos;
		if (!vread_advance(cur, n, vmap_zero_iter(cur->iter, n)))
			return false;
	}

	n = min_t(size_t, top - cur->pos, cur->left);
	if (type)
		return vread_advance(cur, n, vmap_ram_vread_iter(cur->iter,
						cur->pos, n, va));
	if (vm->flags & (VM_IOREMAP | VM_SPARSE))
		return vread_advance(cur, n, vmap_zero_iter(cur->iter, n));
	return vread_advance(cur, n, vmap_copy_iter(cur->iter, cur->pos, n));
}

/**
 * vread_iter - read kernel virtual memory of the vmalloc range safely.
 * @iter: where to copy to.
 * @addr: where to start.
 * @count: how many bytes.
 *
 * Memory of vmalloc(), vmap() and vm_map_ram() is copied; everything else
 * (holes, guard pages, ioremap() and sparse areas, pages not mapped) reads
 * as zeroes. Nothing faults, in the kernel or in @iter.
 *
 * Return: the number of bytes copied, @count unless @iter faulted.
 */
long vread_iter(struct iov_iter *iter, const char *addr, size_t count)
{
	unsigned long start = (unsigned long)kasan_reset_tag(addr);
	struct vread_cursor cur = { .iter = iter, .pos = start };

	/* Stop at the top of the address space. */
	if (start + count < start)
		count = -start;
	cur.left = count;
	if (!count)
		return 0;

	vmap_area_walk(start, vread_area, &cur);
	if (!cur.full && cur.left)
		cur.left -= vmap_zero_iter(iter, cur.left);
	return count - cur.left;
}

/* ---- user mappings ---- */

/**
 * remap_vmalloc_range_partial - map vmalloc memory into a user VMA.
 * @vma: the VMA.
 * @uaddr: where in @vma; page aligned.
 * @kaddr: the start of the memory; page aligned, inside an area made with
 *	VM_USERMAP (vmalloc_user()) or VM_DMA_COHERENT.
 * @pgoff: offset into the memory, in pages.
 * @size: bytes to map; rounded up to pages.
 *
 * Return: 0, -EINVAL for a bad request, or vm_insert_page()'s error.
 */
int remap_vmalloc_range_partial(struct vm_area_struct *vma,
				unsigned long uaddr, void *kaddr,
				unsigned long pgoff, unsigned long size)
{
	unsigned long off, last;
	struct vm_struct *vm;

	if (!PAGE_ALIGNED(uaddr) || !PAGE_ALIGNED(kaddr) ||
	    check_shl_overflow(pgoff, PAGE_SHIFT, &off))
		return -EINVAL;
	size = PAGE_ALIGN(size);
	vm = find_vm_area(kaddr);
	if (!vm || !(vm->flags & (VM_USERMAP | VM_DMA_COHERENT)))
		return -EINVAL;
	if (check_add_overflow(size, off, &last) ||
	    last > get_vm_area_size(vm))
		return -EINVAL;

	for (kaddr += off; size; size -= PAGE_SIZE) {
		int err = vm_insert_page(vma, uaddr, vmalloc_to_page(kaddr));

		if (err)
			return err;
		uaddr += PAGE_SIZE;
		kaddr += PAGE_SIZE;
	}
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	return 0;
}

/**
 * remap_vmalloc_range - map vmalloc memory over a whole user VMA.
 * @vma: the VMA.
 * @addr: the start of the memory (see remap_vmalloc_range_partial()).
 * @pgoff: offset into the memory, in pages.
 *
 * Return: 0 or a negative errno.
 */
int remap_vmalloc_range(struct vm_area_struct *vma, void *addr,
			unsigned long pgoff)
{
	return remap_vmalloc_range_partial(vma, vma->vm_start, addr, pgoff,
					   vma->vm_end - vma->vm_start);
}
EXPORT_SYMBOL(remap_vmalloc_range);

/* ---- the slab debugger ---- */

#ifdef CONFIG_PRINTK
struct dump_note {
	unsigned long addr;
	const void *caller;
	unsigned int nr_pages;
	bool found;
};

static void note_area(struct vmap_area *va, void *arg)
{
	struct dump_note *note = arg;

	if (!va->vm)
		return;
	note->addr = (unsigned long)va->vm->addr;
	note->caller = va->vm->caller;
	note->nr_pages = va->vm->nr_pages;
	note->found = true;
}

/**
 * vmalloc_dump_obj - describe the vmalloc allocation holding an object.
 * @object: any address.
 *
 * Prints, as a continuation line, the size, start and caller of the
 * allocation. Never waits for a lock: it may be called with one held.
 *
 * Return: whether @object is in a vmalloc allocation (and it was said).
 */
bool vmalloc_dump_obj(void *object)
{
	struct dump_note note = { };

	vmap_area_try_with((unsigned long)object, note_area, &note);
	if (!note.found)
		return false;
	pr_cont(" %u-page vmalloc region starting at %#lx allocated at %pS\n",
		note.nr_pages, note.addr, note.caller);
	return true;
}
#endif

/* ---- /proc/vmallocinfo ---- */

#ifdef CONFIG_PROC_FS
struct info_cursor {
	struct seq_file *m;
	unsigned int *per_node;		/* nr_node_ids counters, or NULL */
};

static void show_nodes(struct info_cursor *cur, const struct vm_struct *vm)
{
	unsigned int step, i;
	int nid;

	if (!cur->per_node || !vm->pages)
		return;
	memset(cur->per_node, 0, nr_node_ids * sizeof(*cur->per_node));
#ifdef CONFIG_HAVE_ARCH_HUGE_VMALLOC
	step = 1U << vm->page_order;
#else
	step = 1;
#endif
	for (i = 0; i < vm->nr_pages; i += step)
		cur->per_node[page_to_nid(vm->pages[i])] += step;
	for_each_node_state(nid, N_HIGH_MEMORY)
		if (cur->per_node[nid])
			seq_printf(cur->m, " N%d=%u", nid, cur->per_node[nid]);
}

static const struct {
	unsigned long flag;
	const char *word;
} info_words[] = {
	{ VM_IOREMAP, " ioremap" },
	{ VM_SPARSE, " sparse" },
	{ VM_ALLOC, " vmalloc" },
	{ VM_MAP, " vmap" },
	{ VM_USERMAP, " user" },
	{ VM_DMA_COHERENT, " dma-coherent" },
};

static void show_vm(struct info_cursor *cur, const struct vm_struct *vm)
{
	struct seq_file *m = cur->m;
	unsigned int i;

	seq_printf(m, "0x%pK-0x%pK %7ld", vm->addr, vm->addr + vm->size,
		   vm->size);
	if (vm->caller)
		seq_printf(m, " %pS", vm->caller);
	if (vm->nr_pages)
		seq_printf(m, " pages=%d", vm->nr_pages);
	if (vm->phys_addr)
		seq_printf(m, " phys=%pa", &vm->phys_addr);
	for (i = 0; i < ARRAY_SIZE(info_words); i++)
		if (vm->flags & info_words[i].flag)
			seq_puts(m, info_words[i].word);
	if (is_vmalloc_addr(vm->pages))
		seq_puts(m, " vpages");
	if (IS_ENABLED(CONFIG_NUMA))
		show_nodes(cur, vm);
	seq_putc(m, '\n');
}

static bool show_area(struct vmap_area *va, void *arg)
{
	struct info_cursor *cur = arg;
	struct vm_struct *vm = va->vm;

	if (!vm) {
		if (va->flags & (VMAP_AREA_RAM | VMAP_AREA_BLOCK))
			seq_printf(cur->m, "0x%pK-0x%pK %7ld vm_map_ram\n",
				   (void *)va->va_start, (void *)va->va_end,
				   va_size(va));
		return true;
	}
	if (READ_ONCE(vm->flags) & VM_UNINITIALIZED)
		return true;
	/* Pairs with the smp_wmb() that clears VM_UNINITIALIZED. */
	smp_rmb();
	show_vm(cur, vm);
	return true;
}

static void show_lazy(struct vmap_area *va, void *arg)
{
	seq_printf(arg, "0x%pK-0x%pK %7ld unpurged vm_area\n",
		   (void *)va->va_start, (void *)va->va_end, va_size(va));
}

static int vmallocinfo_show(struct seq_file *m, void *unused)
{
	struct info_cursor cur = { .m = m };

	if (IS_ENABLED(CONFIG_NUMA))
		cur.per_node = kmalloc_array(nr_node_ids,
					     sizeof(*cur.per_node),
					     GFP_KERNEL);
	vmap_area_walk(0, show_area, &cur);
	kfree(cur.per_node);
	/* Freed areas whose range waits for the next purge. */
	vmap_lazy_walk(show_lazy, m);
	return 0;
}

static int __init vmallocinfo_init(void)
{
	if (!proc_create_single("vmallocinfo", 0400, NULL, vmallocinfo_show))
		return -ENOMEM;
	return 0;
}
device_initcall(vmallocinfo_init);
#endif

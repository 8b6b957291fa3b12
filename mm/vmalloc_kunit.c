// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the vmalloc contract: what callers of <linux/vmalloc.h> rely
 * on, whichever implementation is built. Every case holds on the stock
 * implementation too, which is how drop-in equivalence is shown.
 *
 *   vmalloc_contract	what each interface gives back
 *   vmalloc_safety	guard pages, unmapping on free, no executable mappings
 *   vmalloc_bad_inputs	requests that must fail quietly and leave nothing
 *   vmalloc_failure	what a failed allocation leaves behind
 *   vmalloc_warnings	bad calls that may warn, and must do no harm
 *
 * The suite is built in only: many cases read the vm_struct, count
 * vmalloc's pages or call functions that are not exported.
 *
 * Run with:
 *	./tools/testing/kunit/kunit.py run --arch=x86_64 \
 *		--kunitconfig=mm/vmalloc.kunitconfig
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/kasan.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/rcupdate.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>
#include <linux/vmstat.h>
#include <asm/pgtable.h>
#ifdef CONFIG_X86_LOCAL_APIC
#include <asm/apic.h>
#endif

/*
 * What a case allocates, KUnit releases when the case ends, also when an
 * assertion ends it early. A case that must free at a given point, to
 * check what the free did, releases the action there.
 */
KUNIT_DEFINE_ACTION_WRAPPER(vfree_action, vfree, const void *);
KUNIT_DEFINE_ACTION_WRAPPER(vunmap_action, vunmap, const void *);
KUNIT_DEFINE_ACTION_WRAPPER(kvfree_action, kvfree, const void *);
KUNIT_DEFINE_ACTION_WRAPPER(kfree_action, kfree, const void *);
KUNIT_DEFINE_ACTION_WRAPPER(free_page_action, __free_page, struct page *);
KUNIT_DEFINE_ACTION_WRAPPER(put_page_action, put_page, struct page *);
KUNIT_DEFINE_ACTION_WRAPPER(free_vm_area_action, free_vm_area,
			    struct vm_struct *);

/* Two pages in a row, from alloc_pages() of order 1. */
static void free_pair_action(void *pair)
{
	__free_pages(pair, 1);
}

/* Have @action(@ctx) run when the case ends. */
static void defer(struct kunit *test, kunit_action_t *action, void *ctx)
{
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, action, ctx), 0);
}

/* Assert that @ptr was allocated, and have @release(@ptr) run at the end. */
static void *defer_free(struct kunit *test, void *ptr, kunit_action_t *release)
{
	KUNIT_ASSERT_NOT_NULL(test, ptr);
	defer(test, release, ptr);
	return ptr;
}

/*
 * After a kvrealloc() or vrealloc() of @p into @q, @p may be gone: its
 * deferred vfree() moves to @q. Nothing moves when the call failed.
 */
static void move_deferred_vfree(struct kunit *test, void *p, void *q)
{
	if (!q)
		return;
	kunit_remove_action(test, vfree_action, p);
	defer(test, vfree_action, q);
}

/*
 * Other tasks vmalloc() and vfree() while a case runs, mostly thread
 * stacks. Page counts are compared with this much slack either way; the
 * cases that count allocate well beyond it, so a leak still shows.
 */
#define NR_PAGES_SLACK	(2 * (THREAD_SIZE >> PAGE_SHIFT))

/* A byte pattern that depends on the offset, so that shifted copies show. */
static u8 pattern(size_t off)
{
	return (u8)(off * 7 + 3);
}

/*
 * The address of a pointer, without the tag that tag-based KASAN (arm64)
 * puts in the top byte of what vmalloc() returns: what to compare with
 * the bounds of a range.
 */
static unsigned long __maybe_unused untagged(const void *p)
{
	return (unsigned long)kasan_reset_tag(p);
}

static void fill(u8 *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = pattern(i);
}

static bool holds_pattern(const u8 *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != pattern(i))
			return false;
	return true;
}

/* Is the byte at @addr mapped? Reads it without faulting. */
static bool readable(const void *addr)
{
	u8 c;

	return !copy_from_kernel_nofault(&c, addr, 1);
}

/* Is any of the @nr pages from @addr on mapped? */
static bool any_page_readable(const u8 *addr, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (readable(addr + i * PAGE_SIZE))
			return true;
	return false;
}

/*
 * The count before a case acts, once other tasks' late frees have landed:
 * KUnit runs each case in a new thread, and the stacks of the threads
 * that exited are freed after an RCU grace period, from a work item. Wait
 * for the callbacks, then until the count holds still for 60 ms (1 s at
 * most), so that the frees of earlier cases do not fall in this one.
 */
static unsigned long quiet_nr_pages(void)
{
	unsigned long last, now;
	int still = 0, i;

	rcu_barrier();
	last = vmalloc_nr_pages();
	for (i = 0; i < 50 && still < 3; i++) {
		msleep(20);
		now = vmalloc_nr_pages();
		still = now == last ? still + 1 : 0;
		last = now;
	}
	return last;
}

static void expect_nr_pages_near(struct kunit *test, unsigned long expected)
{
	unsigned long now = vmalloc_nr_pages();

	KUNIT_EXPECT_LE_MSG(test, now, expected + NR_PAGES_SLACK,
			    "vmalloc_nr_pages() %lu, expected about %lu",
			    now, expected);
	KUNIT_EXPECT_GE_MSG(test, now + NR_PAGES_SLACK, expected,
			    "vmalloc_nr_pages() %lu, expected about %lu",
			    now, expected);
}

/* After a bad call, the next vmalloc() and vfree() must work as usual. */
static void expect_vmalloc_still_works(struct kunit *test)
{
	const size_t size = 8 * PAGE_SIZE + 1;
	u8 *p = defer_free(test, vmalloc(size), vfree_action);

	fill(p, size);
	KUNIT_EXPECT_TRUE(test, holds_pattern(p, size));
	kunit_release_action(test, vfree_action, p);
}

static const size_t sizes[] = {
	1, 100, PAGE_SIZE - 1, PAGE_SIZE, PAGE_SIZE + 1, 5 * PAGE_SIZE + 17,
	64 * PAGE_SIZE,
};

static void size_desc(const size_t *size, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%zu bytes", *size);
}

KUNIT_ARRAY_PARAM(vmalloc_sizes, sizes, size_desc);

/* Counts on both sides of vm_map_ram()'s per-CPU block limit (64 pages). */
static const unsigned int page_counts[] = { 1, 4, 16, 100 };

static void count_desc(const unsigned int *count, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%u pages", *count);
}

KUNIT_ARRAY_PARAM(page_counts, page_counts, count_desc);

/* @nr pages, each freed when the case ends. */
static struct page **alloc_test_pages(struct kunit *test, unsigned int nr)
{
	struct page **pages = kunit_kcalloc(test, nr, sizeof(*pages), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, pages);
	for (i = 0; i < nr; i++)
		pages[i] = defer_free(test, alloc_page(GFP_KERNEL),
				      free_page_action);
	return pages;
}

/* A way to map @nr pages into the vmalloc range, and to undo it. */
struct mapping_kind {
	const char *desc;
	unsigned int nr;
	void *(*map)(struct page **pages, unsigned int nr);
	void (*unmap)(void *addr, unsigned int nr);
};

/* vmalloc() has its own pages: copy the caller's into them. */
static void *map_by_vmalloc(struct page **pages, unsigned int nr)
{
	u8 *p = vmalloc(nr * PAGE_SIZE);
	unsigned int i;

	for (i = 0; p && i < nr; i++)
		memcpy_from_page(p + i * PAGE_SIZE, pages[i], 0, PAGE_SIZE);
	return p;
}

static void unmap_by_vfree(void *addr, unsigned int nr)
{
	vfree(addr);
}

static void *map_by_vmap(struct page **pages, unsigned int nr)
{
	return vmap(pages, nr, VM_MAP, PAGE_KERNEL);
}

static void unmap_by_vunmap(void *addr, unsigned int nr)
{
	vunmap(addr);
}

static void *map_by_vm_map_ram(struct page **pages, unsigned int nr)
{
	return vm_map_ram(pages, nr, NUMA_NO_NODE);
}

static void unmap_by_vm_unmap_ram(void *addr, unsigned int nr)
{
	vm_unmap_ram(addr, nr);
}

/* vm_map_ram() of the count a case chooses. */
static const struct mapping_kind vm_map_ram_kind = {
	"vm_map_ram", 0, map_by_vm_map_ram, unmap_by_vm_unmap_ram,
};

/* A mapping of @nr pages at @addr, made by @kind. */
struct test_mapping {
	const struct mapping_kind *kind;
	void *addr;
	unsigned int nr;
};

static void unmap_action(void *ctx)
{
	struct test_mapping *m = ctx;

	m->kind->unmap(m->addr, m->nr);
}

/*
 * Map @nr of @pages the @kind way, assert that it worked, and have it
 * undone when the case ends; kunit_release_action(test, unmap_action,
 * the mapping returned) undoes it earlier.
 */
static struct test_mapping *map_test_pages(struct kunit *test,
					   const struct mapping_kind *kind,
					   struct page **pages, unsigned int nr)
{
	struct test_mapping *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->kind = kind;
	m->addr = kind->map(pages, nr);
	KUNIT_ASSERT_NOT_NULL(test, m->addr);
	m->nr = nr;
	defer(test, unmap_action, m);
	return m;
}

/* Give @nr pages the pattern, as if they were one buffer. */
static void fill_pages(struct page **pages, unsigned int nr)
{
	unsigned int i;
	size_t off;

	for (i = 0; i < nr; i++) {
		u8 *data = kmap_local_page(pages[i]);

		for (off = 0; off < PAGE_SIZE; off++)
			data[off] = pattern(i * PAGE_SIZE + off);
		kunmap_local(data);
	}
}

static bool page_holds_pattern(struct page *page, size_t from)
{
	const u8 *data = kmap_local_page(page);
	size_t off;

	for (off = 0; off < PAGE_SIZE; off++)
		if (data[off] != pattern(from + off))
			break;
	kunmap_local(data);
	return off == PAGE_SIZE;
}

static bool pages_hold_pattern(struct page **pages, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (!page_holds_pattern(pages[i], i * PAGE_SIZE))
			return false;
	return true;
}

/*
 * Does @page hold the @len bytes at @p? Through kmap_local_page(): pages
 * of vmalloc() may be highmem, with no address of their own.
 */
static bool page_holds(struct page *page, const void *p, size_t len)
{
	void *data = kmap_local_page(page);
	bool same = !memcmp(data, p, len);

	kunmap_local(data);
	return same;
}

/* __vmalloc_node_range() for the cases that choose range or alignment. */
static void *vmalloc_in(unsigned long size, unsigned long align,
			unsigned long start, unsigned long end)
{
	return __vmalloc_node_range(size, align, start, end,
				    GFP_KERNEL | __GFP_NOWARN, PAGE_KERNEL, 0,
				    NUMA_NO_NODE, __builtin_return_address(0));
}

/*
 * Windows of the vmalloc range that nothing else uses: allocations are
 * placed from the bottom up and percpu chunks from the top down, so the
 * middle stays empty (the range is terabytes long on 64-bit).
 */
static unsigned long quiet_window(unsigned int nr)
{
	return ALIGN(VMALLOC_START + VMALLOC_TOTAL / 2, SZ_16M) + nr * SZ_16M;
}

/* vread_iter() into a kernel buffer. */
static long read_vmalloc(const void *addr, void *buf, size_t len)
{
	struct kvec kvec = { .iov_base = buf, .iov_len = len };
	struct iov_iter iter;

	iov_iter_kvec(&iter, ITER_DEST, &kvec, 1, len);
	return vread_iter(&iter, addr, len);
}

/* ---- vmalloc_contract ---- */

/* Every byte asked for is usable, and the area starts on a page boundary. */
static void vmalloc_maps_every_requested_byte(struct kunit *test)
{
	size_t size = *(const size_t *)test->param_value;
	u8 *p = defer_free(test, vmalloc(size), vfree_action);

	KUNIT_EXPECT_TRUE(test, PAGE_ALIGNED(p));
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(p));
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(p + size - 1));
	fill(p, size);
	KUNIT_EXPECT_TRUE(test, holds_pattern(p, size));
	/* The rest of the last page is mapped too (read without KASAN). */
	KUNIT_EXPECT_TRUE(test, readable(p + PAGE_ALIGN(size) - 1));
}

/*
 * Is the tail of the last page, past @size, zero? Read it through another
 * mapping of the page: past @size the vmalloc mapping is not the caller's
 * (KASAN poisons it), but the page is, and it may be mapped to user space
 * whole.
 */
static bool tail_is_zero(const u8 *p, size_t size)
{
	size_t off = offset_in_page(size);
	u8 *data;
	bool zero;

	if (!off)
		return true;
	data = kmap_local_page(vmalloc_to_page(p + size - 1));
	zero = !memchr_inv(data + off, 0, PAGE_SIZE - off);
	kunmap_local(data);
	return zero;
}

/* vzalloc, vmalloc_user and __GFP_ZERO all zero the whole last page. */
static void zeroing_allocators_return_zeroes(struct kunit *test)
{
	size_t size = *(const size_t *)test->param_value;
	void *ptrs[3];
	int i;

	ptrs[0] = defer_free(test, vzalloc(size), vfree_action);
	ptrs[1] = defer_free(test, vmalloc_user(size), vfree_action);
	ptrs[2] = defer_free(test, __vmalloc(size, GFP_KERNEL | __GFP_ZERO),
			     vfree_action);
	for (i = 0; i < ARRAY_SIZE(ptrs); i++) {
		KUNIT_EXPECT_NULL_MSG(test, memchr_inv(ptrs[i], 0, size),
				      "allocator %d", i);
		KUNIT_EXPECT_TRUE_MSG(test, tail_is_zero(ptrs[i], size),
				      "allocator %d", i);
	}
}

/* vmalloc_32() and vmalloc_32_user() take pages a 32-bit device reaches. */
static void vmalloc_32_pages_are_below_4g(struct kunit *test)
{
	const unsigned int nr = 16;
	u8 *p, *u;
	unsigned int i;

	if (!IS_ENABLED(CONFIG_ZONE_DMA32))
		kunit_skip(test, "no ZONE_DMA32: 32-bit pages are all pages");
	p = defer_free(test, vmalloc_32(nr * PAGE_SIZE), vfree_action);
	u = defer_free(test, vmalloc_32_user(nr * PAGE_SIZE), vfree_action);
	for (i = 0; i < nr; i++) {
		KUNIT_EXPECT_LT(test, vmalloc_to_pfn(p + i * PAGE_SIZE),
				PHYS_PFN(SZ_4G));
		KUNIT_EXPECT_LT(test, vmalloc_to_pfn(u + i * PAGE_SIZE),
				PHYS_PFN(SZ_4G));
	}
	/* The user variant may be mapped to user space: it is zeroed. */
	KUNIT_EXPECT_NULL(test, memchr_inv(u, 0, nr * PAGE_SIZE));
}

/* vcalloc() zeroes n * size bytes; vmalloc_array() maps them all. */
static void array_allocators_cover_the_product(struct kunit *test)
{
	const size_t n = 1000, size = 33;	/* not a page multiple */
	u8 *z = defer_free(test, vcalloc(n, size), vfree_action);
	u8 *a = defer_free(test, vmalloc_array(n, size), vfree_action);

	KUNIT_EXPECT_NULL(test, memchr_inv(z, 0, n * size));
	fill(a, n * size);
	KUNIT_EXPECT_TRUE(test, holds_pattern(a, n * size));
}

/*
 * kvmalloc() serves small sizes from the slab, and sizes beyond the page
 * allocator's largest order from vmalloc; kvfree() frees either.
 */
static void kvmalloc_falls_back_to_vmalloc(struct kunit *test)
{
	const size_t big = KMALLOC_MAX_SIZE + PAGE_SIZE;
	u8 *small = defer_free(test, kvmalloc(64, GFP_KERNEL), kvfree_action);
	u8 *p = defer_free(test, kvmalloc(big, GFP_KERNEL), kvfree_action);

	KUNIT_EXPECT_FALSE(test, is_vmalloc_addr(small));
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(p));
	p[0] = 1;
	p[big - 1] = 2;
	kunit_release_action(test, kvfree_action, small);
	kunit_release_action(test, kvfree_action, p);
	vm_unmap_aliases();
	KUNIT_EXPECT_FALSE(test, readable(p));
}

/*
 * vmalloc_to_page() finds the page behind each address, and another
 * mapping of that page sees what was written through the vmalloc one.
 */
static void vmalloc_to_page_finds_backing_pages(struct kunit *test)
{
	const unsigned int nr = 8;
	u8 *p = defer_free(test, vmalloc(nr * PAGE_SIZE), vfree_action);
	unsigned int i;

	fill(p, nr * PAGE_SIZE);
	for (i = 0; i < nr; i++) {
		struct page *page = vmalloc_to_page(p + i * PAGE_SIZE + 5);

		KUNIT_ASSERT_NOT_NULL(test, page);
		KUNIT_EXPECT_EQ(test, page_to_pfn(page),
				vmalloc_to_pfn(p + i * PAGE_SIZE));
		KUNIT_EXPECT_TRUE(test, page_holds(page, p + i * PAGE_SIZE,
						   PAGE_SIZE));
	}
}

/* Only addresses inside the vmalloc range are vmalloc addresses. */
static void is_vmalloc_addr_tells_vmalloc_from_linear(struct kunit *test)
{
	void *k = defer_free(test, kmalloc(64, GFP_KERNEL), kfree_action);
	void *v = defer_free(test, vmalloc(PAGE_SIZE), vfree_action);

	KUNIT_EXPECT_FALSE(test, is_vmalloc_addr(k));
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(v));
	KUNIT_EXPECT_FALSE(test, is_vmalloc_addr(NULL));
}

/*
 * is_vmalloc_or_module_addr() adds module space: this function's own
 * address is in it exactly when the suite is a module, or where the
 * kernel image itself lies in the vmalloc range (arm64).
 */
static void is_vmalloc_or_module_addr_adds_module_space(struct kunit *test)
{
	const void *here = (const void *)is_vmalloc_or_module_addr_adds_module_space;
	void *k = defer_free(test, kmalloc(64, GFP_KERNEL), kfree_action);
	void *v = defer_free(test, vmalloc(PAGE_SIZE), vfree_action);

	KUNIT_EXPECT_TRUE(test, is_vmalloc_or_module_addr(v));
	KUNIT_EXPECT_FALSE(test, is_vmalloc_or_module_addr(k));
	KUNIT_EXPECT_FALSE(test, is_vmalloc_or_module_addr(NULL));
	KUNIT_EXPECT_EQ(test, !!is_vmalloc_or_module_addr(here),
			IS_MODULE(CONFIG_VMALLOC_KUNIT_TEST) ||
			is_vmalloc_addr(here));
}

/* Pages appear in the mapping in array order; the caller keeps them. */
static void vmap_maps_caller_pages_in_order(struct kunit *test)
{
	const unsigned int nr = 4;
	struct page **pages = alloc_test_pages(test, nr);
	unsigned int i;
	u8 *p;

	for (i = 0; i < nr; i++)
		memset_page(pages[i], 0, 'a' + i, PAGE_SIZE);
	p = defer_free(test, vmap(pages, nr, VM_MAP, PAGE_KERNEL),
		       vunmap_action);
	for (i = 0; i < nr; i++) {
		KUNIT_EXPECT_EQ(test, p[i * PAGE_SIZE], 'a' + i);
		KUNIT_EXPECT_PTR_EQ(test, vmalloc_to_page(p + i * PAGE_SIZE),
				    pages[i]);
	}
	KUNIT_EXPECT_FALSE(test, readable(p + nr * PAGE_SIZE));
	kunit_release_action(test, vunmap_action, p);
	/* Still the caller's, and intact. */
	for (i = 0; i < nr; i++) {
		u8 c;

		memcpy_from_page((char *)&c, pages[i], 0, 1);
		KUNIT_EXPECT_EQ(test, c, 'a' + i);
	}
}

/*
 * With VM_MAP_PUT_PAGES, vmap() takes the pages and the array: vfree()
 * drops the page references. An extra reference held here shows it.
 */
static void vmap_put_pages_gives_pages_to_vfree(struct kunit *test)
{
	const unsigned int nr = 3;
	struct page **pages, *first;
	unsigned int i;
	void *p;

	pages = defer_free(test, kvmalloc_array(nr, sizeof(*pages), GFP_KERNEL),
			   kvfree_action);
	for (i = 0; i < nr; i++)
		pages[i] = defer_free(test, alloc_page(GFP_KERNEL),
				      free_page_action);
	first = pages[0];
	get_page(first);
	defer(test, put_page_action, first);
	p = vmap(pages, nr, VM_MAP | VM_MAP_PUT_PAGES, PAGE_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	/* The pages and the array are vmap()'s now, for vfree() to free. */
	for (i = 0; i < nr; i++)
		kunit_remove_action(test, free_page_action, pages[i]);
	kunit_remove_action(test, kvfree_action, pages);
	defer(test, vfree_action, p);
	KUNIT_EXPECT_EQ(test, page_ref_count(first), 2);
	kunit_release_action(test, vfree_action, p);
	KUNIT_EXPECT_EQ(test, page_ref_count(first), 1);
}

/*
 * vmap_pfn() maps frames that have no struct page. Frames far above RAM
 * are such frames; they are mapped, never read.
 */
static void vmap_pfn_maps_frames_without_pages(struct kunit *test)
{
#if defined(CONFIG_VMAP_PFN) && defined(CONFIG_SPARSEMEM_VMEMMAP)
	unsigned long pfns[2] = { PHYS_PFN(SZ_64G), PHYS_PFN(SZ_64G) + 7 };
	u8 *p;

	if (pfn_valid(pfns[0]) || pfn_valid(pfns[1]))
		kunit_skip(test, "RAM reaches 64 GiB: no frame without a page");
	p = defer_free(test, vmap_pfn(pfns, ARRAY_SIZE(pfns), PAGE_KERNEL),
		       vunmap_action);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(p));
	KUNIT_EXPECT_TRUE(test, PAGE_ALIGNED(p));
	/* vmemmap makes pfn -> page -> pfn plain arithmetic, even here. */
	KUNIT_EXPECT_EQ(test, vmalloc_to_pfn(p), pfns[0]);
	KUNIT_EXPECT_EQ(test, vmalloc_to_pfn(p + PAGE_SIZE), pfns[1]);
#else
	kunit_skip(test, "needs CONFIG_VMAP_PFN and CONFIG_SPARSEMEM_VMEMMAP");
#endif
}

/*
 * vmap_pfn() of a device frame is a working mapping: the local APIC's
 * registers read through it match what the APIC driver reads. A frame
 * with a struct page is refused by vmap_pfn(), so this one must have none.
 */
static void vmap_pfn_reads_device_registers(struct kunit *test)
{
#if defined(CONFIG_VMAP_PFN) && defined(CONFIG_X86_LOCAL_APIC)
	unsigned long pfn;
	void __iomem *regs;
	u64 base;

	if (!boot_cpu_has(X86_FEATURE_APIC) || x2apic_enabled())
		kunit_skip(test, "no memory-mapped local APIC");
	rdmsrl(MSR_IA32_APICBASE, base);
	pfn = PHYS_PFN(base & MSR_IA32_APICBASE_BASE);
	KUNIT_ASSERT_FALSE(test, pfn_valid(pfn));
	regs = (void __iomem *)defer_free(test,
					  vmap_pfn(&pfn, 1,
						   pgprot_noncached(PAGE_KERNEL)),
					  vunmap_action);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr((void __force *)regs));
	/* Only vmemmap makes pfn -> page -> pfn arithmetic without RAM. */
	if (IS_ENABLED(CONFIG_SPARSEMEM_VMEMMAP))
		KUNIT_EXPECT_EQ(test, vmalloc_to_pfn((void __force *)regs), pfn);
	/* The version register: the same on every CPU, constant. */
	KUNIT_EXPECT_EQ(test, readl(regs + APIC_LVR), apic_read(APIC_LVR));
#else
	kunit_skip(test, "needs a memory-mapped local APIC (x86)");
#endif
}

/*
 * vrealloc(), reached through kvrealloc() on a vmalloc address: growing
 * keeps the content and zeroes the rest under __GFP_ZERO, shrinking keeps
 * the prefix.
 */
static void vrealloc_keeps_content(struct kunit *test)
{
	const size_t small = 2 * PAGE_SIZE + 10, big = 9 * PAGE_SIZE + 3;
	u8 *p = defer_free(test, vmalloc(small), vfree_action), *q;

	fill(p, small);
	q = kvrealloc(p, big, GFP_KERNEL | __GFP_ZERO);
	move_deferred_vfree(test, p, q);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(q));
	KUNIT_EXPECT_TRUE(test, holds_pattern(q, small));
	KUNIT_EXPECT_NULL(test, memchr_inv(q + small, 0, big - small));
	p = kvrealloc(q, PAGE_SIZE + 1, GFP_KERNEL);
	move_deferred_vfree(test, q, p);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, holds_pattern(p, PAGE_SIZE + 1));
}

/*
 * Within the pages it already has, vrealloc() resizes in place: a shrink
 * and a grow back return the same address and keep the prefix. With
 * __GFP_ZERO on every call, what the shrink cut off comes back as zeroes.
 */
static void vrealloc_resizes_in_place(struct kunit *test)
{
	const size_t big = 4 * PAGE_SIZE, small = PAGE_SIZE + 10;
	const gfp_t gfp = GFP_KERNEL | __GFP_ZERO;
	u8 *p = defer_free(test, vzalloc(big), vfree_action), *q;

	fill(p, big);
	q = kvrealloc(p, small, gfp);
	move_deferred_vfree(test, p, q);
	KUNIT_ASSERT_PTR_EQ(test, q, p);
	KUNIT_EXPECT_TRUE(test, holds_pattern(q, small));
	q = kvrealloc(p, big, gfp);
	move_deferred_vfree(test, p, q);
	KUNIT_ASSERT_PTR_EQ(test, q, p);
	KUNIT_EXPECT_TRUE(test, holds_pattern(q, small));
	KUNIT_EXPECT_NULL(test, memchr_inv(q + small, 0, big - small));
}

/* vmalloc_huge() callers: boot-time hash tables ask with GFP_ATOMIC. */
struct huge_gfp {
	const char *desc;
	gfp_t gfp;
};

static const struct huge_gfp huge_gfps[] = {
	{ "GFP_KERNEL", GFP_KERNEL },
	{ "GFP_ATOMIC", GFP_ATOMIC },
	{ "GFP_NOWAIT", GFP_NOWAIT },
};

KUNIT_ARRAY_PARAM_DESC(huge_gfps, huge_gfps, desc);

#if defined(CONFIG_X86) && defined(CONFIG_HAVE_ARCH_HUGE_VMALLOC)
/*
 * Are @nr PMD-sized blocks free for @gfp? Without reclaim or compaction,
 * huge pages come only from what is free; freed, they wait on per-CPU
 * lists for the allocation that follows.
 */
static bool pmd_blocks_free(gfp_t gfp, unsigned int nr)
{
	const unsigned int order = PMD_SHIFT - PAGE_SHIFT;
	struct page *page, *next;
	unsigned int got = 0;
	LIST_HEAD(blocks);

	while (got < nr) {
		page = alloc_pages(gfp | __GFP_NOWARN, order);
		if (!page)
			break;
		list_add(&page->lru, &blocks);
		got++;
	}
	list_for_each_entry_safe(page, next, &blocks, lru) {
		list_del(&page->lru);
		__free_pages(page, order);
	}
	return got == nr;
}
#endif

/*
 * vmalloc_huge() of whole PMDs is mapped with PMD entries on x86, also for
 * callers that cannot wait, as long as huge pages are free. Pages are
 * spread over the online nodes, and PMD entries are used when each node's
 * share is a PMD at least: a PMD for each node, two at least.
 */
static void vmalloc_huge_maps_whole_pmds(struct kunit *test)
{
#if defined(CONFIG_X86) && defined(CONFIG_HAVE_ARCH_HUGE_VMALLOC)
	const struct huge_gfp *param = test->param_value;
	unsigned int nr = max_t(unsigned int, 2, num_online_nodes()), level, i;
	u8 *p;

	if (!gfpflags_allow_blocking(param->gfp) &&
	    !pmd_blocks_free(param->gfp, nr))
		kunit_skip(test, "no %u free PMD-sized pages for %s", nr,
			   param->desc);
	p = defer_free(test, vmalloc_huge(nr * PMD_SIZE, param->gfp),
		       vfree_action);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)p, PMD_SIZE));
	for (i = 0; i < nr; i++) {
		KUNIT_EXPECT_NOT_NULL(test, lookup_address((unsigned long)p + i * PMD_SIZE,
							   &level));
		KUNIT_EXPECT_EQ(test, level, PG_LEVEL_2M);
	}
	p[nr * PMD_SIZE - 1] = 1;
#else
	kunit_skip(test, "reads x86 page tables, needs huge vmalloc");
#endif
}

/*
 * vm_map_ram() works below the per-CPU block limit (small counts) and above
 * it (100 pages, served like vmap()), and vm_unmap_ram() undoes both.
 */
static void vm_map_ram_maps_and_unmaps(struct kunit *test)
{
	unsigned int nr = *(const unsigned int *)test->param_value;
	struct page **pages = alloc_test_pages(test, nr);
	struct test_mapping *m;
	unsigned int i;
	u8 *p;

	m = map_test_pages(test, &vm_map_ram_kind, pages, nr);
	p = m->addr;
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(p));
	fill(p, nr * PAGE_SIZE);
	for (i = 0; i < nr; i++) {
		KUNIT_EXPECT_PTR_EQ(test, vmalloc_to_page(p + i * PAGE_SIZE),
				    pages[i]);
		KUNIT_EXPECT_TRUE(test, page_holds(pages[i], p + i * PAGE_SIZE,
						   PAGE_SIZE));
	}
	kunit_release_action(test, unmap_action, m);
	vm_unmap_aliases();
	KUNIT_EXPECT_FALSE(test, readable(p));
}

/* Allocations on a given node get their pages from that node. */
static void vmalloc_node_places_pages_on_the_node(struct kunit *test)
{
	const unsigned int nr = 4;
	int nid;

	for_each_online_node(nid) {
		u8 *p = defer_free(test, vmalloc_node(nr * PAGE_SIZE, nid),
				   vfree_action);
		unsigned int i;

		for (i = 0; i < nr; i++)
			KUNIT_EXPECT_EQ_MSG(test,
					    page_to_nid(vmalloc_to_page(p + i * PAGE_SIZE)),
					    nid, "page %u", i);
	}
}

static const unsigned long alignments[] = {
	PAGE_SIZE, 4 * PAGE_SIZE, SZ_64K, SZ_2M,
};

static void align_desc(const unsigned long *align, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "aligned to %#lx", *align);
}

KUNIT_ARRAY_PARAM(alignments, alignments, align_desc);

/* Sizes for get_vm_area(VM_IOREMAP): powers of 2, and just past them. */
static const unsigned long ioremap_sizes[] = {
	PAGE_SIZE, 3 * PAGE_SIZE, 8 * PAGE_SIZE, SZ_1M + PAGE_SIZE, SZ_4M,
};

static void ioremap_desc(const unsigned long *size, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%#lx bytes", *size);
}

KUNIT_ARRAY_PARAM(ioremap_sizes, ioremap_sizes, ioremap_desc);

/* How vread_iter() is shown memory: each kind of vmalloc-range mapping. */
static const struct mapping_kind mapping_kinds[] = {
	{ "vmalloc", 3, map_by_vmalloc, unmap_by_vfree },
	{ "vmap", 3, map_by_vmap, unmap_by_vunmap },
	{ "vm_map_ram in a per-CPU block", 4, map_by_vm_map_ram,
	  unmap_by_vm_unmap_ram },
	{ "vm_map_ram with an area of its own", 100, map_by_vm_map_ram,
	  unmap_by_vm_unmap_ram },
};

KUNIT_ARRAY_PARAM_DESC(mapping_kinds, mapping_kinds, desc);

/* Tiny areas freed the deferred way: deferred_free_of_tiny_areas(). */
struct deferred_free {
	const char *desc;
	unsigned long size;
	bool bh_off;
};

static const struct deferred_free deferred_frees[] = {
	{ "vfree_atomic of 1 byte", 1, false },
	{ "vfree_atomic of 7 bytes", 7, false },
	{ "vfree with bottom halves off, 1 byte", 1, true },
	{ "vfree with bottom halves off, 5 bytes", 5, true },
};

KUNIT_ARRAY_PARAM_DESC(deferred_frees, deferred_frees, desc);

/* The area is aligned as asked, and lies inside the range asked for. */
static void vmalloc_range_honours_alignment(struct kunit *test)
{
	unsigned long align = *(const unsigned long *)test->param_value;
	const unsigned long size = 3 * PAGE_SIZE;
	u8 *p = defer_free(test,
			   vmalloc_in(size, align, VMALLOC_START, VMALLOC_END),
			   vfree_action);

	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(untagged(p), align));
	KUNIT_EXPECT_GE(test, untagged(p), VMALLOC_START);
	KUNIT_EXPECT_LE(test, untagged(p) + size, VMALLOC_END);
	fill(p, size);
	KUNIT_EXPECT_TRUE(test, holds_pattern(p, size));
}

/* A narrow range is honoured, guard page included. */
static void vmalloc_range_stays_inside_its_window(struct kunit *test)
{
	const unsigned long size = 3 * PAGE_SIZE;
	unsigned long lo = quiet_window(0), hi = lo + SZ_2M;
	u8 *p = defer_free(test, vmalloc_in(size, 1, lo, hi), vfree_action);

	KUNIT_EXPECT_GE(test, untagged(p), lo);
	KUNIT_EXPECT_LE(test, untagged(p) + size + PAGE_SIZE, hi);
	fill(p, size);
	KUNIT_EXPECT_TRUE(test, holds_pattern(p, size));
}

/*
 * find_vm_area() describes a vmalloc(): where it starts, its size with
 * the guard page, its flags, its pages and the size asked for.
 */
static void find_vm_area_describes_the_allocation(struct kunit *test)
{
	size_t size = *(const size_t *)test->param_value;
	unsigned int nr = PAGE_ALIGN(size) >> PAGE_SHIFT, i;
	u8 *p = defer_free(test, vmalloc(size), vfree_action);
	struct vm_struct *vm;

	vm = find_vm_area(p);
	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_PTR_EQ(test, vm->addr, (void *)p);
	KUNIT_EXPECT_EQ(test, vm->size, PAGE_ALIGN(size) + PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, get_vm_area_size(vm), PAGE_ALIGN(size));
	KUNIT_EXPECT_TRUE(test, vm->flags & VM_ALLOC);
	KUNIT_EXPECT_FALSE(test, vm->flags & VM_UNINITIALIZED);
	KUNIT_EXPECT_EQ(test, vm->nr_pages, nr);
	KUNIT_EXPECT_EQ(test, vm->requested_size, size);
	KUNIT_EXPECT_NOT_NULL(test, vm->caller);
	KUNIT_ASSERT_NOT_NULL(test, vm->pages);
	for (i = 0; i < nr; i++)
		KUNIT_EXPECT_PTR_EQ(test, vm->pages[i],
				    vmalloc_to_page(p + i * PAGE_SIZE));
	/* Any address inside the area finds it. */
	KUNIT_EXPECT_PTR_EQ(test, find_vm_area(p + size - 1), vm);
}

/* The caller given to __vmalloc_node_range() is what the area records. */
static void vmalloc_range_records_the_caller(struct kunit *test)
{
	const void *caller = (const void *)vmalloc_range_records_the_caller;
	void *p = __vmalloc_node_range(PAGE_SIZE, 1, VMALLOC_START, VMALLOC_END,
				       GFP_KERNEL, PAGE_KERNEL, 0, NUMA_NO_NODE,
				       caller);
	struct vm_struct *vm;

	defer_free(test, p, vfree_action);
	vm = find_vm_area(p);
	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_PTR_EQ(test, vm->caller, caller);
}

/* Memory for user space is marked so that remap_vmalloc_range() takes it. */
static void user_allocators_mark_their_areas(struct kunit *test)
{
	void *plain = defer_free(test, vmalloc(PAGE_SIZE), vfree_action);
	void *user = defer_free(test, vmalloc_user(PAGE_SIZE), vfree_action);
	void *user32 = defer_free(test, vmalloc_32_user(PAGE_SIZE),
				  vfree_action);

	KUNIT_EXPECT_FALSE(test, find_vm_area(plain)->flags & VM_USERMAP);
	KUNIT_EXPECT_TRUE(test, find_vm_area(user)->flags & VM_USERMAP);
	KUNIT_EXPECT_TRUE(test, find_vm_area(user32)->flags & VM_USERMAP);
}

/*
 * An ioremap area is aligned to its size rounded up to a power of 2, up
 * to IOREMAP_MAX_ORDER, so that huge mappings fit it.
 */
static void ioremap_area_is_aligned_to_its_size(struct kunit *test)
{
	unsigned long size = *(const unsigned long *)test->param_value;
	unsigned long align = min(roundup_pow_of_two(size),
				  1UL << IOREMAP_MAX_ORDER);
	struct vm_struct *area = defer_free(test, get_vm_area(size, VM_IOREMAP),
					    free_vm_area_action);

	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(area->addr));
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)area->addr, align));
	KUNIT_EXPECT_EQ(test, get_vm_area_size(area), PAGE_ALIGN(size));
	KUNIT_EXPECT_TRUE(test, area->flags & VM_IOREMAP);
}

/*
 * A VM_SPARSE area is address space only: vm_area_map_pages() maps pages
 * into the part asked for and nowhere else, refuses a part that runs past
 * the area, and vm_area_unmap_pages() takes them out again.
 */
static void sparse_area_maps_only_what_is_asked(struct kunit *test)
{
	const unsigned int nr = 8, first = 2, count = 3;
	struct page **pages = alloc_test_pages(test, count);
	struct vm_struct *area = get_vm_area(nr * PAGE_SIZE, VM_SPARSE);
	unsigned long base, start, end;
	unsigned int i;

	defer_free(test, area, free_vm_area_action);
	base = (unsigned long)area->addr;
	start = base + first * PAGE_SIZE;
	end = start + count * PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, get_vm_area_size(area), nr * PAGE_SIZE);
	KUNIT_EXPECT_FALSE(test, any_page_readable(area->addr, nr));

	KUNIT_ASSERT_EQ(test, vm_area_map_pages(area, start, end, pages), 0);
	for (i = 0; i < nr; i++) {
		bool inside = i >= first && i < first + count;
		void *addr = (void *)(base + i * PAGE_SIZE);

		KUNIT_EXPECT_EQ_MSG(test, readable(addr), inside, "page %u", i);
		if (inside)
			KUNIT_EXPECT_PTR_EQ(test, vmalloc_to_page(addr),
					    pages[i - first]);
	}
	KUNIT_EXPECT_EQ(test, vm_area_map_pages(area, base + (nr - 1) * PAGE_SIZE,
						base + (nr + 1) * PAGE_SIZE, pages),
			-ERANGE);

	vm_area_unmap_pages(area, start, end);
	KUNIT_EXPECT_FALSE(test, any_page_readable(area->addr, nr));
}

/*
 * vmalloc_nr_pages() counts the pages of vmalloc() allocations, from the
 * allocation to the vfree(), and not the caller's pages that vmap() maps.
 */
static void vmalloc_nr_pages_counts_allocations(struct kunit *test)
{
	const unsigned int nr = 256;	/* far more than the slack */
	struct page **pages = alloc_test_pages(test, nr);
	unsigned long before = quiet_nr_pages();
	void *p = defer_free(test, vmalloc(nr * PAGE_SIZE), vfree_action);

	expect_nr_pages_near(test, before + nr);
	kunit_release_action(test, vfree_action, p);
	expect_nr_pages_near(test, before);

	defer_free(test, vmap(pages, nr, VM_MAP, PAGE_KERNEL), vunmap_action);
	expect_nr_pages_near(test, before);
}

static DEFINE_SPINLOCK(atomic_context_lock);

/*
 * vfree_atomic() may be called under a spinlock; the memory is freed
 * soon after, from a work item: the area goes, and so do its pages. An
 * extra reference on the first page shows that vfree dropped its own.
 */
static void vfree_atomic_frees_later(struct kunit *test)
{
	const unsigned int nr = 64;
	u8 *p = defer_free(test, vmalloc(nr * PAGE_SIZE), vfree_action);
	struct vm_struct *vm;
	unsigned long deadline;
	struct page *first;

	vm = find_vm_area(p);
	KUNIT_ASSERT_NOT_NULL(test, vm);
	first = vm->pages[0];
	get_page(first);
	defer(test, put_page_action, first);
	/* Freed by vfree_atomic(), not by the deferred vfree(). */
	kunit_remove_action(test, vfree_action, p);
	spin_lock(&atomic_context_lock);
	vfree_atomic(p);
	spin_unlock(&atomic_context_lock);

	/*
	 * The area goes first and the pages after it, and a preemptible
	 * kernel can run us in between: wait for both.
	 */
	deadline = jiffies + 10 * HZ;
	while ((find_vm_area(p) || page_ref_count(first) != 1) &&
	       time_before(jiffies, deadline))
		msleep(20);
	KUNIT_EXPECT_NULL(test, find_vm_area(p));
	KUNIT_EXPECT_EQ(test, page_ref_count(first), 1);
	kunit_release_action(test, put_page_action, first);
	vm_unmap_aliases();
	KUNIT_EXPECT_FALSE(test, any_page_readable(p, nr));
}

/*
 * A deferred free may queue the area by its first bytes, and the caller
 * may own fewer than a pointer's worth of them (vmalloc(1)): the queueing
 * must not touch what KASAN keeps from the caller, and the area must go.
 * vfree() with bottom halves off takes the deferred way too.
 */
static void deferred_free_of_tiny_areas(struct kunit *test)
{
	const struct deferred_free *df = test->param_value;
	u8 *p = defer_free(test, vmalloc(df->size), vfree_action);
	unsigned long deadline;

	memset(p, 0x5a, df->size);
	if (df->bh_off) {
		local_bh_disable();
		kunit_release_action(test, vfree_action, p);
		local_bh_enable();
	} else {
		kunit_remove_action(test, vfree_action, p);
		vfree_atomic(p);
	}
	deadline = jiffies + 10 * HZ;
	while (find_vm_area(p) && time_before(jiffies, deadline))
		msleep(20);
	KUNIT_EXPECT_NULL(test, find_vm_area(p));
}

/* vrealloc(NULL, ...) is a vmalloc(): an area of its own, zeroed if asked. */
static void vrealloc_of_null_allocates(struct kunit *test)
{
	const size_t size = 3 * PAGE_SIZE + 7;
	u8 *p = defer_free(test, vrealloc(NULL, size, GFP_KERNEL | __GFP_ZERO),
			   vfree_action);
	struct vm_struct *vm;

	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(p));
	KUNIT_EXPECT_NULL(test, memchr_inv(p, 0, size));
	vm = find_vm_area(p);
	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_PTR_EQ(test, vm->addr, (void *)p);
	KUNIT_EXPECT_EQ(test, vm->requested_size, size);
	fill(p, size);
	KUNIT_EXPECT_TRUE(test, holds_pattern(p, size));
}

/* vread_iter(), /proc/kcore's reader, sees what each kind of mapping holds. */
static void vread_iter_reads_mapped_memory(struct kunit *test)
{
	const struct mapping_kind *kind = test->param_value;
	size_t len = kind->nr * PAGE_SIZE;
	struct page **pages = alloc_test_pages(test, kind->nr);
	u8 *buf = defer_free(test, kvmalloc(len, GFP_KERNEL), kvfree_action);
	void *p;

	fill_pages(pages, kind->nr);
	p = map_test_pages(test, kind, pages, kind->nr)->addr;
	memset(buf, 0xa5, len);
	KUNIT_EXPECT_EQ(test, read_vmalloc(p, buf, len), (long)len);
	KUNIT_EXPECT_TRUE(test, holds_pattern(buf, len));
}

/*
 * What vread_iter() must not read comes back as zeroes: a guard page,
 * and a sparse area even where pages are mapped (it may be device memory).
 */
static void vread_iter_reads_holes_as_zeroes(struct kunit *test)
{
	u8 *buf = kunit_kmalloc(test, 2 * PAGE_SIZE, GFP_KERNEL);
	u8 *p = defer_free(test, vmalloc(2 * PAGE_SIZE), vfree_action);
	struct page *page = defer_free(test, alloc_page(GFP_KERNEL),
				       free_page_action);
	struct vm_struct *area;
	unsigned long addr;

	KUNIT_ASSERT_NOT_NULL(test, buf);

	/* The second page of the allocation, then its guard page. */
	fill(p, 2 * PAGE_SIZE);
	memset(buf, 0xa5, 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, read_vmalloc(p + PAGE_SIZE, buf, 2 * PAGE_SIZE),
			(long)(2 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, memcmp(buf, p + PAGE_SIZE, PAGE_SIZE), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf + PAGE_SIZE, 0, PAGE_SIZE));
	kunit_release_action(test, vfree_action, p);

	area = defer_free(test, get_vm_area(PAGE_SIZE, VM_SPARSE),
			  free_vm_area_action);
	addr = (unsigned long)area->addr;
	memset_page(page, 0, 0x5a, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, vm_area_map_pages(area, addr, addr + PAGE_SIZE, &page), 0);
	memset(buf, 0xa5, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, read_vmalloc(area->addr, buf, PAGE_SIZE),
			(long)PAGE_SIZE);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0, PAGE_SIZE));
	vm_area_unmap_pages(area, addr, addr + PAGE_SIZE);
}

/*
 * A read that would run past the top of the address space stops there,
 * and what it covers (no vmalloc memory) reads as zeroes.
 */
static void vread_iter_stops_at_the_top(struct kunit *test)
{
	u8 *buf = kunit_kmalloc(test, 2 * PAGE_SIZE, GFP_KERNEL);
	const void *top_page = (const void *)-PAGE_SIZE;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(buf, 0xa5, 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, read_vmalloc(top_page, buf, 2 * PAGE_SIZE),
			(long)PAGE_SIZE);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0, PAGE_SIZE));
	KUNIT_EXPECT_NULL(test, memchr_inv(buf + PAGE_SIZE, 0xa5, PAGE_SIZE));
}

/*
 * Two pages in a row, with the pattern: something to map by address.
 * Freed when the case ends.
 */
static struct page *alloc_pattern_pair(struct kunit *test)
{
	struct page *pair = defer_free(test, alloc_pages(GFP_KERNEL, 1),
				       free_pair_action);
	struct page *pages[2];

	pages[0] = pair;
	pages[1] = pair + 1;
	fill_pages(pages, 2);
	return pair;
}

/* ioremap_page_range() maps a whole VM_IOREMAP area to the given frames. */
static void ioremap_page_range_maps_its_area(struct kunit *test)
{
	struct page *pair = alloc_pattern_pair(test);
	struct vm_struct *area = get_vm_area(2 * PAGE_SIZE, VM_IOREMAP);
	unsigned long addr;

	defer_free(test, area, free_vm_area_action);
	addr = (unsigned long)area->addr;
	KUNIT_EXPECT_EQ(test, ioremap_page_range(addr, addr + 2 * PAGE_SIZE,
						 page_to_phys(pair),
						 PAGE_KERNEL), 0);
	KUNIT_EXPECT_TRUE(test, readable(area->addr) &&
			  holds_pattern(area->addr, 2 * PAGE_SIZE));
}

/*
 * With tag-based KASAN, vmalloc() hands out pointers with a tag in the
 * top byte: every lookup by address must see through it.
 */
static void lookups_see_through_kasan_tags(struct kunit *test)
{
	const size_t size = 2 * PAGE_SIZE;
	u8 *p, *buf, *q;
	struct vm_struct *vm;

	if (!IS_ENABLED(CONFIG_KASAN_SW_TAGS) &&
	    !IS_ENABLED(CONFIG_KASAN_HW_TAGS))
		kunit_skip(test, "needs tag-based KASAN");
	buf = kunit_kmalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	p = defer_free(test, vmalloc(size), vfree_action);
	if (p == kasan_reset_tag(p))
		kunit_skip(test, "this pointer got the match-all tag");
	vm = find_vm_area(p);
	KUNIT_EXPECT_NOT_NULL(test, vm);
	KUNIT_EXPECT_PTR_EQ(test, vm, find_vm_area(kasan_reset_tag(p)));
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(p));

	fill(p, size);
	KUNIT_EXPECT_EQ(test, read_vmalloc(p, buf, size), (long)size);
	KUNIT_EXPECT_TRUE(test, holds_pattern(buf, size));
	q = vrealloc(p, size + PAGE_SIZE, GFP_KERNEL);
	move_deferred_vfree(test, p, q);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_TRUE(test, holds_pattern(q, size));
}

#ifdef CONFIG_SMP
#define NR_WIDE_CHUNKS	16

static void pcpu_free_two_action(void *vms)
{
	pcpu_free_vm_areas(vms, 2);
}
#endif

/*
 * The percpu allocator asks for one area per group of CPUs, at the
 * offsets of the first chunk's groups, which lie far apart on NUMA
 * machines. Each chunk needs only its own areas free, not the span
 * between them: chunks whose span is three quarters of the vmalloc range
 * still fit by the dozen, interleaved.
 */
static void percpu_chunks_interleave_across_a_wide_span(struct kunit *test)
{
#ifdef CONFIG_SMP
	unsigned long span = ((VMALLOC_END - VMALLOC_START) / 4 * 3) &
			     PAGE_MASK;
	const unsigned long offsets[] = { 0, span - PAGE_SIZE };
	const size_t sizes[] = { PAGE_SIZE, PAGE_SIZE };
	unsigned long base[NR_WIDE_CHUNKS];
	struct vm_struct **vms;
	int i, j;

	for (i = 0; i < NR_WIDE_CHUNKS; i++) {
		vms = pcpu_get_vm_areas(offsets, sizes, 2, PAGE_SIZE);
		KUNIT_ASSERT_NOT_NULL_MSG(test, vms, "chunk %d of %d", i + 1,
					  NR_WIDE_CHUNKS);
		defer(test, pcpu_free_two_action, vms);
		base[i] = untagged(vms[0]->addr);
		KUNIT_EXPECT_EQ(test, untagged(vms[1]->addr) - base[i],
				offsets[1]);
		KUNIT_EXPECT_GE(test, base[i], VMALLOC_START);
		KUNIT_EXPECT_LE(test, untagged(vms[1]->addr) + PAGE_SIZE,
				VMALLOC_END);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_NE(test, base[i], base[j]);
	}
#else
	kunit_skip(test, "percpu areas exist with CONFIG_SMP only");
#endif
}

static struct kunit_case vmalloc_contract_cases[] = {
	KUNIT_CASE_PARAM(vmalloc_maps_every_requested_byte, vmalloc_sizes_gen_params),
	KUNIT_CASE_PARAM(zeroing_allocators_return_zeroes, vmalloc_sizes_gen_params),
	KUNIT_CASE_PARAM(find_vm_area_describes_the_allocation, vmalloc_sizes_gen_params),
	KUNIT_CASE_PARAM(vmalloc_range_honours_alignment, alignments_gen_params),
	KUNIT_CASE(vmalloc_range_stays_inside_its_window),
	KUNIT_CASE(vmalloc_range_records_the_caller),
	KUNIT_CASE(user_allocators_mark_their_areas),
	KUNIT_CASE(vmalloc_32_pages_are_below_4g),
	KUNIT_CASE(array_allocators_cover_the_product),
	KUNIT_CASE(kvmalloc_falls_back_to_vmalloc),
	KUNIT_CASE(vmalloc_to_page_finds_backing_pages),
	KUNIT_CASE(is_vmalloc_addr_tells_vmalloc_from_linear),
	KUNIT_CASE(is_vmalloc_or_module_addr_adds_module_space),
	KUNIT_CASE(vmap_maps_caller_pages_in_order),
	KUNIT_CASE(vmap_put_pages_gives_pages_to_vfree),
	KUNIT_CASE(vmap_pfn_maps_frames_without_pages),
	KUNIT_CASE(vmap_pfn_reads_device_registers),
	KUNIT_CASE_PARAM(ioremap_area_is_aligned_to_its_size, ioremap_sizes_gen_params),
	KUNIT_CASE(sparse_area_maps_only_what_is_asked),
	KUNIT_CASE(vmalloc_nr_pages_counts_allocations),
	KUNIT_CASE(vfree_atomic_frees_later),
	KUNIT_CASE_PARAM(deferred_free_of_tiny_areas, deferred_frees_gen_params),
	KUNIT_CASE(vrealloc_of_null_allocates),
	KUNIT_CASE(vrealloc_keeps_content),
	KUNIT_CASE(vrealloc_resizes_in_place),
	KUNIT_CASE_PARAM(vread_iter_reads_mapped_memory, mapping_kinds_gen_params),
	KUNIT_CASE(vread_iter_reads_holes_as_zeroes),
	KUNIT_CASE(vread_iter_stops_at_the_top),
	KUNIT_CASE(ioremap_page_range_maps_its_area),
	KUNIT_CASE(lookups_see_through_kasan_tags),
	KUNIT_CASE_PARAM(vmalloc_huge_maps_whole_pmds, huge_gfps_gen_params),
	KUNIT_CASE_PARAM(vm_map_ram_maps_and_unmaps, page_counts_gen_params),
	KUNIT_CASE(vmalloc_node_places_pages_on_the_node),
	KUNIT_CASE(percpu_chunks_interleave_across_a_wide_span),
	{}
};

static struct kunit_suite vmalloc_contract_suite = {
	.name = "vmalloc_contract",
	.test_cases = vmalloc_contract_cases,
};

/* ---- vmalloc_safety ---- */

/* The page after an area is a guard: never mapped. */
static void guard_page_follows_each_area(struct kunit *test)
{
	size_t size = *(const size_t *)test->param_value;
	u8 *p = defer_free(test, vmalloc(size), vfree_action);

	KUNIT_EXPECT_TRUE(test, readable(p + PAGE_ALIGN(size) - 1));
	KUNIT_EXPECT_FALSE(test, readable(p + PAGE_ALIGN(size)));
	KUNIT_EXPECT_NULL(test, vmalloc_to_page(p + PAGE_ALIGN(size)));
}

/*
 * Every page of a freed area is unmapped once lazily freed ranges have
 * been flushed: a stale pointer faults instead of reading reused memory.
 */
static void vfree_unmaps_every_page(struct kunit *test)
{
	size_t size = *(const size_t *)test->param_value;
	unsigned int nr = PAGE_ALIGN(size) >> PAGE_SHIFT;
	u8 *p = defer_free(test, vmalloc(size), vfree_action);

	KUNIT_EXPECT_TRUE(test, readable(p + PAGE_ALIGN(size) - 1));
	kunit_release_action(test, vfree_action, p);
	vm_unmap_aliases();
	KUNIT_EXPECT_FALSE(test, any_page_readable(p, nr));
}

/*
 * vmap() gets a guard page too, and vunmap() unmaps the whole mapping but
 * leaves the pages, and what they hold, to the caller.
 */
static void vmap_guards_and_unmaps(struct kunit *test)
{
	unsigned int nr = *(const unsigned int *)test->param_value;
	struct page **pages = alloc_test_pages(test, nr);
	u8 *p;

	fill_pages(pages, nr);
	p = defer_free(test, vmap(pages, nr, VM_MAP, PAGE_KERNEL),
		       vunmap_action);
	KUNIT_EXPECT_TRUE(test, readable(p + nr * PAGE_SIZE - 1));
	KUNIT_EXPECT_FALSE(test, readable(p + nr * PAGE_SIZE));
	KUNIT_EXPECT_NULL(test, vmalloc_to_page(p + nr * PAGE_SIZE));
	kunit_release_action(test, vunmap_action, p);
	vm_unmap_aliases();
	KUNIT_EXPECT_FALSE(test, any_page_readable(p, nr));
	KUNIT_EXPECT_TRUE(test, pages_hold_pattern(pages, nr));
}

/*
 * vm_unmap_ram() unmaps every page, in a per-CPU block or not, once
 * aliases are flushed; the pages stay the caller's. (Unlike vmap(),
 * vm_map_ram() promises no guard page, in blocks or above them.)
 */
static void vm_unmap_ram_unmaps_every_page(struct kunit *test)
{
	unsigned int nr = *(const unsigned int *)test->param_value;
	struct page **pages = alloc_test_pages(test, nr);
	struct test_mapping *m;
	u8 *p;

	m = map_test_pages(test, &vm_map_ram_kind, pages, nr);
	p = m->addr;
	fill(p, nr * PAGE_SIZE);
	kunit_release_action(test, unmap_action, m);
	vm_unmap_aliases();
	KUNIT_EXPECT_FALSE(test, any_page_readable(p, nr));
	KUNIT_EXPECT_TRUE(test, pages_hold_pattern(pages, nr));
}

/*
 * vm_map_ram() mappings stay right while vm_unmap_aliases() flushes the
 * per-CPU blocks under them: one worker per CPU maps its own pages over
 * and over, fills them through the mapping and checks them through the
 * direct map, while the test flushes aliases as fast as it can. The
 * blocks fill up and are freed meanwhile, by the workers or the flushes.
 */
#define ALIAS_PAGES	16
#define ALIAS_ROUNDS	1024

struct alias_worker {
	struct completion done;
	unsigned int id;
	unsigned int errors;
};

static bool pages_hold_byte(struct page **pages, unsigned int nr, u8 byte)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		const u8 *q = kmap_local_page(pages[i]);
		bool held = q[0] == byte && q[PAGE_SIZE - 1] == byte;

		kunmap_local(q);
		if (!held)
			return false;
	}
	return true;
}

static void alias_rounds(struct alias_worker *w, struct page **pages)
{
	unsigned int round, n;
	u8 byte, *p;

	for (round = 0; round < ALIAS_ROUNDS; round++) {
		n = 1 + round % ALIAS_PAGES;
		byte = (u8)(w->id * 31 + round);
		p = vm_map_ram(pages, n, NUMA_NO_NODE);
		if (!p) {
			w->errors++;
			continue;
		}
		memset(p, byte, n * PAGE_SIZE);
		if (!pages_hold_byte(pages, n, byte))
			w->errors++;
		vm_unmap_ram(p, n);
		cond_resched();
	}
}

static int alias_worker_fn(void *arg)
{
	struct alias_worker *w = arg;
	struct page *pages[ALIAS_PAGES] = { };
	unsigned int i;

	for (i = 0; i < ALIAS_PAGES; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		if (!pages[i])
			w->errors++;
	}
	if (!w->errors)
		alias_rounds(w, pages);
	for (i = 0; i < ALIAS_PAGES; i++)
		if (pages[i])
			__free_page(pages[i]);
	kthread_complete_and_exit(&w->done, 0);
}

static void vm_map_ram_survives_alias_flushes(struct kunit *test)
{
	unsigned int nr = num_online_cpus(), started = 0, i;
	struct alias_worker *w;
	struct task_struct *t;
	int cpu;

	w = kunit_kcalloc(test, nr, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	for_each_online_cpu(cpu) {
		if (started == nr)
			break;
		init_completion(&w[started].done);
		w[started].id = started;
		t = kthread_create_on_cpu(alias_worker_fn, &w[started], cpu,
					  "vmalloc_alias/%u");
		if (IS_ERR(t))
			break;
		wake_up_process(t);
		started++;
	}
	for (i = 0; i < started; i++) {
		while (!completion_done(&w[i].done)) {
			vm_unmap_aliases();
			cond_resched();
		}
		wait_for_completion(&w[i].done);
		KUNIT_EXPECT_EQ_MSG(test, w[i].errors, 0U, "worker %u", i);
	}
	KUNIT_EXPECT_EQ(test, started, nr);
}

/*
 * vmalloc() maps memory no-execute, and vmap() drops execute permission
 * even when the caller passes it: caller pages never become code.
 */
static void mappings_are_not_executable(struct kunit *test)
{
#ifdef CONFIG_X86
	struct page **pages;
	unsigned int level;
	pte_t *pte;
	u8 *v, *m;

	if (!(__supported_pte_mask & _PAGE_NX))
		kunit_skip(test, "the CPU has no NX bit");
	pages = alloc_test_pages(test, 2);
	v = defer_free(test, vmalloc(PAGE_SIZE), vfree_action);
	m = defer_free(test, vmap(pages, 2, VM_MAP, PAGE_KERNEL_EXEC),
		       vunmap_action);

	pte = lookup_address((unsigned long)v, &level);
	KUNIT_ASSERT_NOT_NULL(test, pte);
	KUNIT_EXPECT_EQ(test, level, PG_LEVEL_4K);
	KUNIT_EXPECT_TRUE(test, pte_flags(*pte) & _PAGE_NX);

	pte = lookup_address((unsigned long)m + PAGE_SIZE, &level);
	KUNIT_ASSERT_NOT_NULL(test, pte);
	KUNIT_EXPECT_EQ(test, level, PG_LEVEL_4K);
	KUNIT_EXPECT_TRUE(test, pte_flags(*pte) & _PAGE_NX);
#else
	kunit_skip(test, "reads x86 page tables");
#endif
}

/*
 * VM_NO_GUARD areas end at their size: nothing is added for a guard, so
 * their users must know what follows.
 */
static void no_guard_area_ends_at_its_size(struct kunit *test)
{
	const unsigned long size = 3 * PAGE_SIZE;
	void *guarded = defer_free(test, vmalloc(size), vfree_action);
	void *bare = __vmalloc_node_range(size, 1, VMALLOC_START, VMALLOC_END,
					  GFP_KERNEL, PAGE_KERNEL, VM_NO_GUARD,
					  NUMA_NO_NODE,
					  __builtin_return_address(0));
	struct vm_struct *vm;

	defer_free(test, bare, vfree_action);
	vm = find_vm_area(guarded);
	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_EQ(test, vm->size, size + PAGE_SIZE);
	vm = find_vm_area(bare);
	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_EQ(test, vm->size, size);
	KUNIT_EXPECT_EQ(test, get_vm_area_size(vm), size);
	KUNIT_EXPECT_TRUE(test, vm->flags & VM_NO_GUARD);
	fill(bare, size);
	KUNIT_EXPECT_TRUE(test, holds_pattern(bare, size));
}

/*
 * ioremap_page_range() (through vmap_page_range()) maps no-execute even
 * when the caller passes an executable protection: device memory and
 * other physical ranges never become code.
 */
static void ioremap_page_range_is_not_executable(struct kunit *test)
{
#ifdef CONFIG_X86
	struct vm_struct *area;
	struct page *pair;
	unsigned long addr;
	unsigned int level;
	pte_t *pte;

	if (!(__supported_pte_mask & _PAGE_NX))
		kunit_skip(test, "the CPU has no NX bit");
	pair = alloc_pattern_pair(test);
	area = defer_free(test, get_vm_area(2 * PAGE_SIZE, VM_IOREMAP),
			  free_vm_area_action);
	addr = (unsigned long)area->addr;
	KUNIT_ASSERT_EQ(test, ioremap_page_range(addr, addr + 2 * PAGE_SIZE,
						 page_to_phys(pair),
						 PAGE_KERNEL_EXEC), 0);
	pte = lookup_address(addr + PAGE_SIZE, &level);
	KUNIT_EXPECT_NOT_NULL(test, pte);
	if (pte) {
		KUNIT_EXPECT_EQ(test, level, PG_LEVEL_4K);
		KUNIT_EXPECT_TRUE(test, pte_flags(*pte) & _PAGE_NX);
	}
#else
	kunit_skip(test, "reads x86 page tables");
#endif
}

static struct kunit_case vmalloc_safety_cases[] = {
	KUNIT_CASE_PARAM(guard_page_follows_each_area, vmalloc_sizes_gen_params),
	KUNIT_CASE(no_guard_area_ends_at_its_size),
	KUNIT_CASE_PARAM(vfree_unmaps_every_page, vmalloc_sizes_gen_params),
	KUNIT_CASE_PARAM(vmap_guards_and_unmaps, page_counts_gen_params),
	KUNIT_CASE_PARAM(vm_unmap_ram_unmaps_every_page, page_counts_gen_params),
	KUNIT_CASE(vm_map_ram_survives_alias_flushes),
	KUNIT_CASE(mappings_are_not_executable),
	KUNIT_CASE(ioremap_page_range_is_not_executable),
	{}
};

static struct kunit_suite vmalloc_safety_suite = {
	.name = "vmalloc_safety",
	.test_cases = vmalloc_safety_cases,
};

/* ---- vmalloc_bad_inputs ---- */

/*
 * Bad requests that callers may make and that must fail quietly: NULL,
 * no warning (none is asked for), nothing left behind. A call returns
 * what it got, which must be NULL.
 */
struct bad_request {
	const char *desc;
	void *(*call)(struct kunit *test);
};

static void *vmalloc_more_than_ram(struct kunit *test)
{
	return __vmalloc((totalram_pages() + 1) << PAGE_SHIFT,
			 GFP_KERNEL | __GFP_NOWARN);
}

static void *vmalloc_near_ulong_max(struct kunit *test)
{
	return __vmalloc(ULONG_MAX - PAGE_SIZE / 2, GFP_KERNEL | __GFP_NOWARN);
}

static void *vmap_more_than_ram(struct kunit *test)
{
	static struct page *never_read;

	/* The count is refused before the array is looked at. */
	return vmap(&never_read, totalram_pages() + 1, VM_MAP, PAGE_KERNEL);
}

static void *vmap_no_pages(struct kunit *test)
{
	return vmap(NULL, 0, VM_MAP, PAGE_KERNEL);
}

static void *vrealloc_to_nothing(struct kunit *test)
{
	void *p = defer_free(test, vmalloc(PAGE_SIZE), vfree_action);

	/* kvrealloc() to 0 bytes frees p: nothing is left to free. */
	kunit_remove_action(test, vfree_action, p);
	return kvrealloc(p, 0, GFP_KERNEL);
}

/* Growing beyond RAM fails and leaves the memory as it was. */
static void *vrealloc_beyond_ram(struct kunit *test)
{
	const size_t size = 2 * PAGE_SIZE;
	u8 *p = defer_free(test, vmalloc(size), vfree_action);
	void *q;

	fill(p, size);
	q = kvrealloc(p, (totalram_pages() + 1) << PAGE_SHIFT,
		      GFP_KERNEL | __GFP_NOWARN);
	if (q) {
		/* p went with it; the caller frees q. */
		kunit_remove_action(test, vfree_action, p);
		return q;
	}
	KUNIT_EXPECT_TRUE(test, holds_pattern(p, size));
	/* Before the caller counts the pages. */
	kunit_release_action(test, vfree_action, p);
	return NULL;
}

static void *free_null(struct kunit *test)
{
	vfree(NULL);
	vunmap(NULL);
	return NULL;
}

/* n * size does not fit in size_t. */
static void *vcalloc_overflow(struct kunit *test)
{
	return vcalloc(SIZE_MAX / 2 + 1, 2);
}

static void *vmalloc_array_overflow(struct kunit *test)
{
	return vmalloc_array(2, SIZE_MAX / 2 + 1);
}

/* Without sleeping, no purge makes room either: NULL all the same. */
static void *vmalloc_nowait_more_than_ram(struct kunit *test)
{
	return __vmalloc((totalram_pages() + 1) << PAGE_SHIFT,
			 GFP_NOWAIT | __GFP_NOWARN);
}

/* A vm_struct is not what the caller frees with kvfree(): free it here. */
static void *got_area(struct vm_struct *area)
{
	if (!area)
		return NULL;
	free_vm_area(area);
	return ERR_PTR(-EEXIST);
}

static void *get_vm_area_of_nothing(struct kunit *test)
{
	return got_area(get_vm_area(0, VM_IOREMAP));
}

static void *get_vm_area_beyond_range(struct kunit *test)
{
	return got_area(get_vm_area(VMALLOC_END - VMALLOC_START + PAGE_SIZE,
				    VM_IOREMAP));
}

static void *vrealloc_null_to_nothing(struct kunit *test)
{
	return vrealloc(NULL, 0, GFP_KERNEL);
}

/* 64 pages: a leak of them would be well beyond the counting slack. */
static void *vmalloc_range_too_small(struct kunit *test)
{
	unsigned long lo = quiet_window(2);

	return vmalloc_in(64 * PAGE_SIZE, 1, lo, lo + 16 * PAGE_SIZE);
}

static void *vmalloc_range_empty(struct kunit *test)
{
	unsigned long lo = quiet_window(2);

	return vmalloc_in(64 * PAGE_SIZE, 1, lo, lo);
}

static void *vmalloc_range_reversed(struct kunit *test)
{
	unsigned long lo = quiet_window(2);

	return vmalloc_in(64 * PAGE_SIZE, 1, lo + SZ_1M, lo);
}

/* The range is large enough, but holds no address with that alignment. */
static void *vmalloc_align_beyond_range(struct kunit *test)
{
	unsigned long lo = quiet_window(2) + PAGE_SIZE;

	return vmalloc_in(4 * PAGE_SIZE, SZ_1M, lo, lo + 64 * PAGE_SIZE);
}

static const struct bad_request bad_requests[] = {
	{ "vmalloc of more than RAM", vmalloc_more_than_ram },
	{ "vmalloc of more than RAM with GFP_NOWAIT",
	  vmalloc_nowait_more_than_ram },
	{ "get_vm_area of 0 bytes", get_vm_area_of_nothing },
	{ "get_vm_area larger than the vmalloc range",
	  get_vm_area_beyond_range },
	{ "vmalloc of ULONG_MAX - PAGE_SIZE / 2", vmalloc_near_ulong_max },
	{ "vmap of more pages than RAM", vmap_more_than_ram },
	{ "vmap of no pages", vmap_no_pages },
	{ "vrealloc to size 0", vrealloc_to_nothing },
	{ "vrealloc of NULL to size 0", vrealloc_null_to_nothing },
	{ "vrealloc to more than RAM", vrealloc_beyond_ram },
	{ "vfree and vunmap of NULL", free_null },
	{ "vcalloc of n * size past SIZE_MAX", vcalloc_overflow },
	{ "vmalloc_array of n * size past SIZE_MAX", vmalloc_array_overflow },
	{ "range smaller than the size", vmalloc_range_too_small },
	{ "empty range", vmalloc_range_empty },
	{ "range that ends before it starts", vmalloc_range_reversed },
	{ "alignment no address in the range has", vmalloc_align_beyond_range },
};

KUNIT_ARRAY_PARAM_DESC(bad_requests, bad_requests, desc);

/*
 * NULL comes back, the page count is where it was, and vmalloc() works
 * on. Shared with vmalloc_warnings, whose requests may warn.
 */
static void bad_request_returns_null(struct kunit *test)
{
	const struct bad_request *req = test->param_value;
	unsigned long before = quiet_nr_pages();
	void *ret;

	ret = req->call(test);
	KUNIT_EXPECT_NULL(test, ret);
	if (!IS_ERR_OR_NULL(ret))
		kvfree(ret);
	expect_nr_pages_near(test, before);
	expect_vmalloc_still_works(test);
}

static struct kunit_case vmalloc_bad_inputs_cases[] = {
	KUNIT_CASE_PARAM(bad_request_returns_null, bad_requests_gen_params),
	{}
};

static struct kunit_suite vmalloc_bad_inputs_suite = {
	.name = "vmalloc_bad_inputs",
	.test_cases = vmalloc_bad_inputs_cases,
};

/* ---- vmalloc_failure ---- */

/*
 * A page allocation that fails part way, cheaply: with two or more nodes,
 * take nearly all of one node's memory in large blocks (a few hundred
 * allocations, not hundreds of thousands of pages one by one), then ask
 * that node alone for more than it has left. The other nodes keep the
 * system going meanwhile, so nothing near an OOM happens.
 */
struct node_hog {
	struct list_head blocks[MAX_PAGE_ORDER + 1];
};

/* The node with memory that has the least free; NUMA_NO_NODE if only one. */
static int node_to_exhaust(void)
{
	unsigned long least = ULONG_MAX;
	int nid, pick = NUMA_NO_NODE, nodes = 0;

	for_each_node_state(nid, N_MEMORY) {
		unsigned long free = sum_zone_node_page_state(nid, NR_FREE_PAGES);

		nodes++;
		if (free < least) {
			least = free;
			pick = nid;
		}
	}
	return nodes > 1 ? pick : NUMA_NO_NODE;
}

/*
 * Take blocks down to order 1, leaving the node's order-0 crumbs: the
 * vmalloc() below gets some pages before it runs out.
 */
static void hog_node(struct node_hog *hog, int nid)
{
	const gfp_t gfp = GFP_KERNEL | __GFP_THISNODE | __GFP_NORETRY |
			  __GFP_NOWARN;
	int order;

	for (order = MAX_PAGE_ORDER; order >= 1; order--) {
		struct page *page;

		INIT_LIST_HEAD(&hog->blocks[order]);
		while ((page = alloc_pages_node(nid, gfp, order)))
			list_add(&page->lru, &hog->blocks[order]);
	}
}

static void release_hog(struct node_hog *hog)
{
	struct page *page, *next;
	int order;

	for (order = MAX_PAGE_ORDER; order >= 1; order--) {
		list_for_each_entry_safe(page, next, &hog->blocks[order], lru) {
			list_del(&page->lru);
			__free_pages(page, order);
		}
	}
}

KUNIT_DEFINE_ACTION_WRAPPER(release_hog_action, release_hog,
			    struct node_hog *);

/*
 * A vmalloc() whose pages run out part way returns NULL and gives back
 * every page it got; once the node has memory again, vmalloc() from it
 * works.
 */
static void failed_vmalloc_gives_its_pages_back(struct kunit *test)
{
	const gfp_t gfp = GFP_KERNEL | __GFP_THISNODE | __GFP_NORETRY |
			  __GFP_NOWARN;
	struct node_hog *hog;
	unsigned long want, before, after;
	unsigned int i;
	int nid = node_to_exhaust();
	u8 *p;

	if (nid == NUMA_NO_NODE)
		kunit_skip(test, "needs a second node with memory to fall back on");
	hog = kunit_kzalloc(test, sizeof(*hog), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, hog);

	hog_node(hog, nid);
	defer(test, release_hog_action, hog);
	/* What is free, with room for per-CPU lists that it does not count. */
	want = sum_zone_node_page_state(nid, NR_FREE_PAGES) + (SZ_64M >> PAGE_SHIFT);
	before = quiet_nr_pages();
	p = __vmalloc_node(want << PAGE_SHIFT, 1, gfp, nid,
			   __builtin_return_address(0));
	after = vmalloc_nr_pages();
	kunit_release_action(test, release_hog_action, hog);

	KUNIT_EXPECT_NULL(test, p);
	vfree(p);
	KUNIT_EXPECT_LE(test, after, before + NR_PAGES_SLACK);
	KUNIT_EXPECT_GE(test, after + NR_PAGES_SLACK, before);

	p = __vmalloc_node(4 * PAGE_SIZE, 1, GFP_KERNEL | __GFP_THISNODE, nid,
			   __builtin_return_address(0));
	defer_free(test, p, vfree_action);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, page_to_nid(vmalloc_to_page(p + i * PAGE_SIZE)),
				nid);
	expect_vmalloc_still_works(test);
}

/*
 * Address space running out: a window with room for one area refuses a
 * second, and takes one again once the first is freed, lazily or not.
 */
static void full_window_fails_until_freed(struct kunit *test)
{
	const unsigned long size = 4 * PAGE_SIZE;
	unsigned long lo = quiet_window(1), hi = lo + size + PAGE_SIZE;
	unsigned long before = quiet_nr_pages();
	void *first, *second, *third;

	first = defer_free(test, vmalloc_in(size, 1, lo, hi), vfree_action);
	KUNIT_EXPECT_EQ(test, untagged(first), lo);
	second = vmalloc_in(size, 1, lo, hi);
	KUNIT_EXPECT_NULL(test, second);
	vfree(second);
	expect_nr_pages_near(test, before + (size >> PAGE_SHIFT));

	kunit_release_action(test, vfree_action, first);
	third = vmalloc_in(size, 1, lo, hi);
	if (third)
		defer(test, vfree_action, third);
	/* The same range; with tag-based KASAN, another tag. */
	KUNIT_EXPECT_EQ(test, untagged(third), untagged(first));
	kunit_release_action(test, vfree_action, third);
	expect_nr_pages_near(test, before);
}

static struct kunit_case vmalloc_failure_cases[] = {
	KUNIT_CASE(failed_vmalloc_gives_its_pages_back),
	KUNIT_CASE(full_window_fails_until_freed),
	{}
};

static struct kunit_suite vmalloc_failure_suite = {
	.name = "vmalloc_failure",
	.test_cases = vmalloc_failure_cases,
};

/* ---- vmalloc_warnings ---- */

/*
 * Bad calls that an implementation may, or must, warn about. The rig
 * expects their splats and judges this suite by its results alone: each
 * call must leave the page count where it was and vmalloc() working.
 */

static void *vmalloc_nothing(struct kunit *test)
{
	return vmalloc(0);
}

static void *vm_map_ram_no_pages(struct kunit *test)
{
	static struct page *never_read;

	return vm_map_ram(&never_read, 0, NUMA_NO_NODE);
}

/* Every allocator of the family refuses 0 bytes, not only vmalloc(). */
static void *vzalloc_nothing(struct kunit *test)
{
	return vzalloc(0);
}

static void *vmalloc_user_nothing(struct kunit *test)
{
	return vmalloc_user(0);
}

static void *vmalloc_node_nothing(struct kunit *test)
{
	return vmalloc_node(0, first_online_node);
}

static void *vmalloc_huge_nothing(struct kunit *test)
{
	return vmalloc_huge(0, GFP_KERNEL);
}

static void *vmalloc_32_nothing(struct kunit *test)
{
	return vmalloc_32(0);
}

/*
 * vmap() of an array with a hole: the pages before it were mapped, and
 * are unmapped again; with VM_MAP_PUT_PAGES the pages stay the caller's,
 * since vmap() never took them.
 */
static void *vmap_with_hole(struct kunit *test, unsigned long flags)
{
	const unsigned int nr = 3;
	struct page **pages = kunit_kcalloc(test, nr, sizeof(*pages),
					    GFP_KERNEL);
	unsigned int i;
	void *p;

	KUNIT_ASSERT_NOT_NULL(test, pages);
	for (i = 0; i < nr - 1; i++)
		pages[i] = defer_free(test, alloc_page(GFP_KERNEL),
				      free_page_action);
	p = vmap(pages, nr, flags, PAGE_KERNEL);
	if (p) {
		/* Not vfree(): the array is the test's, not kvmalloc()'s. */
		vunmap(p);
		p = ERR_PTR(-EEXIST);
	}
	for (i = 0; i < nr - 1; i++)
		KUNIT_EXPECT_EQ(test, page_ref_count(pages[i]), 1);
	return p;
}

static void *vmap_null_page(struct kunit *test)
{
	return vmap_with_hole(test, VM_MAP);
}

static void *vmap_put_pages_null_page(struct kunit *test)
{
	return vmap_with_hole(test, VM_MAP | VM_MAP_PUT_PAGES);
}

static void *vmalloc_align_not_power_of_2(struct kunit *test)
{
	return vmalloc_in(4 * PAGE_SIZE, 3 * PAGE_SIZE, VMALLOC_START,
			  VMALLOC_END);
}

/* vrealloc() of memory that no vmalloc area starts at: left alone. */
static void *vrealloc_kmalloc_memory(struct kunit *test)
{
	void *k = defer_free(test, kmalloc(64, GFP_KERNEL), kfree_action);
	void *q;

	q = vrealloc(k, 2 * PAGE_SIZE, GFP_KERNEL);
	if (q)		/* it took k: the caller frees q */
		kunit_remove_action(test, kfree_action, k);
	return q;
}

/*
 * ioremap_page_range() maps only a whole VM_IOREMAP area: any other range
 * may be someone else's. Refused, it maps nothing.
 */
static void ioremap_page_range_refuses_other_ranges(struct kunit *test)
{
	struct page *pair = alloc_pattern_pair(test);
	phys_addr_t phys = page_to_phys(pair);
	struct vm_struct *plain = defer_free(test,
					     get_vm_area(2 * PAGE_SIZE, VM_MAP),
					     free_vm_area_action);
	struct vm_struct *io = defer_free(test,
					  get_vm_area(2 * PAGE_SIZE, VM_IOREMAP),
					  free_vm_area_action);
	unsigned long addr;

	addr = (unsigned long)plain->addr;
	KUNIT_EXPECT_EQ(test, ioremap_page_range(addr, addr + 2 * PAGE_SIZE,
						 phys, PAGE_KERNEL), -EINVAL);
	KUNIT_EXPECT_FALSE(test, any_page_readable(plain->addr, 2));

	addr = (unsigned long)io->addr;
	KUNIT_EXPECT_EQ(test, ioremap_page_range(addr, addr + PAGE_SIZE,
						 phys, PAGE_KERNEL), -ERANGE);
	KUNIT_EXPECT_FALSE(test, any_page_readable(io->addr, 2));
}

/*
 * vm_area_map_pages() maps into plain VM_SPARSE areas only: one that
 * wants its permissions reset, or has no guard page, is refused.
 */
static void sparse_map_refuses_bad_flags(struct kunit *test)
{
	static const unsigned long bad_flags[] = {
		VM_FLUSH_RESET_PERMS, VM_NO_GUARD,
	};
	struct page *page = defer_free(test, alloc_page(GFP_KERNEL),
				       free_page_action);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_flags); i++) {
		struct vm_struct *area;
		unsigned long addr;

		area = get_vm_area(2 * PAGE_SIZE, VM_SPARSE | bad_flags[i]);
		defer_free(test, area, free_vm_area_action);
		addr = (unsigned long)area->addr;
		KUNIT_EXPECT_EQ_MSG(test, vm_area_map_pages(area, addr,
							    addr + PAGE_SIZE,
							    &page),
				    -EINVAL, "flags %#lx", bad_flags[i]);
		KUNIT_EXPECT_FALSE(test, readable(area->addr));
	}
}

static const struct bad_request warned_requests[] = {
	{ "vmalloc of 0 bytes", vmalloc_nothing },
	{ "vm_map_ram of no pages", vm_map_ram_no_pages },
	{ "vzalloc of 0 bytes", vzalloc_nothing },
	{ "vmalloc_user of 0 bytes", vmalloc_user_nothing },
	{ "vmalloc_node of 0 bytes", vmalloc_node_nothing },
	{ "vmalloc_huge of 0 bytes", vmalloc_huge_nothing },
	{ "vmalloc_32 of 0 bytes", vmalloc_32_nothing },
	{ "vmap of an array with a NULL page", vmap_null_page },
	{ "vmap with VM_MAP_PUT_PAGES that cannot map", vmap_put_pages_null_page },
	{ "alignment not a power of 2", vmalloc_align_not_power_of_2 },
	{ "vrealloc of kmalloc memory", vrealloc_kmalloc_memory },
};

KUNIT_ARRAY_PARAM_DESC(warned_requests, warned_requests, desc);

/* Frees of what vmalloc does not own: refused, nothing else happens. */
struct bad_free {
	const char *desc;
	void (*call)(struct kunit *test);
};

static void vfree_kmalloc_memory(struct kunit *test)
{
	void *k = defer_free(test, kmalloc(64, GFP_KERNEL), kfree_action);

	vfree(k);
	/* Still the slab's: kfree() it now. */
	kunit_release_action(test, kfree_action, k);
}

/* 64 pages, so that counting them off twice would show. */
static void vfree_twice(struct kunit *test)
{
	void *p = defer_free(test, vmalloc(64 * PAGE_SIZE), vfree_action);

	kunit_release_action(test, vfree_action, p);
	vfree(p);
}

static void vunmap_kmalloc_memory(struct kunit *test)
{
	void *k = defer_free(test, kmalloc(64, GFP_KERNEL), kfree_action);

	vunmap(k);
	kunit_release_action(test, kfree_action, k);
}

static void vunmap_twice(struct kunit *test)
{
	const unsigned int nr = 4;
	struct page **pages = alloc_test_pages(test, nr);
	void *p;

	fill_pages(pages, nr);
	p = defer_free(test, vmap(pages, nr, VM_MAP, PAGE_KERNEL),
		       vunmap_action);
	kunit_release_action(test, vunmap_action, p);
	vunmap(p);
	KUNIT_EXPECT_TRUE(test, pages_hold_pattern(pages, nr));
}

static const struct bad_free bad_frees[] = {
	{ "vfree of kmalloc memory", vfree_kmalloc_memory },
	{ "vfree twice", vfree_twice },
	{ "vunmap of kmalloc memory", vunmap_kmalloc_memory },
	{ "vunmap twice", vunmap_twice },
};

KUNIT_ARRAY_PARAM_DESC(bad_frees, bad_frees, desc);

static void bad_free_does_no_harm(struct kunit *test)
{
	const struct bad_free *bad = test->param_value;
	unsigned long before = quiet_nr_pages();

	bad->call(test);
	expect_nr_pages_near(test, before);
	expect_vmalloc_still_works(test);
}

static struct kunit_case vmalloc_warnings_cases[] = {
	KUNIT_CASE_PARAM(bad_request_returns_null, warned_requests_gen_params),
	KUNIT_CASE_PARAM(bad_free_does_no_harm, bad_frees_gen_params),
	KUNIT_CASE(ioremap_page_range_refuses_other_ranges),
	KUNIT_CASE(sparse_map_refuses_bad_flags),
	{}
};

static struct kunit_suite vmalloc_warnings_suite = {
	.name = "vmalloc_warnings",
	.test_cases = vmalloc_warnings_cases,
};

kunit_test_suites(&vmalloc_contract_suite, &vmalloc_safety_suite,
		  &vmalloc_bad_inputs_suite, &vmalloc_failure_suite,
		  &vmalloc_warnings_suite);

MODULE_DESCRIPTION("KUnit tests of the vmalloc contract");
MODULE_LICENSE("GPL");

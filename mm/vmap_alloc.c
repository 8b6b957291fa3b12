// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmalloc() and its relatives, vfree(), vmap(), vrealloc(), the mapping
 * of ioremap areas, and vmalloc_init(): an allocation is an area
 * (vmap_area.c) with a vm_struct, pages from the page allocator and page
 * tables that map them (vmap_pgtable.c). The steps, and how vfree()
 * undoes them from any context, are told in Documentation/mm/vmalloc.rst.
 */

#define pr_fmt(fmt) "vmalloc: " fmt

#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/kasan.h>
#include <linux/kmemleak.h>
#include <linux/llist.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/pgtable.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/set_memory.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <asm/shmparam.h>
#include <asm/tlbflush.h>

#include "internal.h"
#include "vmap.h"

/* At most this many pages per call of the bulk allocator. */
#define VMALLOC_BULK_BATCH	100U

static atomic_long_t nr_vmalloc_pages;

/**
 * vmalloc_nr_pages - pages that back vmalloc() allocations.
 *
 * Pages mapped with vmap() or ioremap() are not counted.
 *
 * Return: the number of pages, as /proc/meminfo reports in VmallocUsed.
 */
unsigned long vmalloc_nr_pages(void)
{
	return atomic_long_read(&nr_vmalloc_pages);
}

static unsigned int area_order(const struct vm_struct *vm)
{
#ifdef CONFIG_HAVE_ARCH_HUGE_VMALLOC
	return vm->page_order;
#else
	return 0;
#endif
}

static void set_area_order(struct vm_struct *vm, unsigned int order)
{
#ifdef CONFIG_HAVE_ARCH_HUGE_VMALLOC
	vm->page_order = order;
#else
	WARN_ON_ONCE(order);
#endif
}

/* ---- backing pages ---- */

static unsigned int bulk_pages(gfp_t gfp, int nid, unsigned int nr,
			       struct page **pages)
{
	unsigned int done = 0;

	while (done < nr) {
		unsigned int want = min(VMALLOC_BULK_BATCH, nr - done);
		struct page **at = pages + done;
		unsigned int got;

		if (IS_ENABLED(CONFIG_NUMA) && nid == NUMA_NO_NODE)
			got = alloc_pages_bulk_array_mempolicy_noprof(gfp, want, at);
		else
			got = alloc_pages_bulk_array_node_noprof(gfp, nid, want, at);
		done += got;
		if (got < want)
			break;
		cond_resched();
	}
	return done;
}

/* Fill @pages from @done on with blocks of 1 << @order pages. */
static unsigned int block_pages(gfp_t gfp, int nid, unsigned int order,
				unsigned int done, unsigned int nr,
				struct page **pages)
{
	unsigned int step = 1U << order;

	while (done < nr) {
		struct page *page;
		unsigned int i;

		if (!(gfp & __GFP_NOFAIL) && fatal_signal_pending(current))
			break;
		page = nid == NUMA_NO_NODE ? alloc_pages_noprof(gfp, order) :
		       alloc_pages_node_noprof(nid, gfp, order);
		if (!page)
			break;
		if (order)
			split_page(page, order);
		for (i = 0; i < step; i++)
			pages[done + i] = page + i;
		done += step;
		cond_resched();
	}
	return done;
}

static unsigned int get_pages(gfp_t gfp, int nid, unsigned int order,
			      unsigned int nr, struct page **pages)
{
	unsigned int done = 0;

	if (!order)
		done = bulk_pages(gfp, nid, nr, pages);
	return block_pages(gfp, nid, order, done, nr, pages);
}

static void put_pages(struct vm_struct *vm)
{
	bool ours = !(vm->flags & VM_MAP_PUT_PAGES);
	unsigned int i;

	for (i = 0; i < vm->nr_pages; i++) {
		struct page *page = vm->pages[i];

		if (WARN_ON_ONCE(!page))
			continue;
		if (ours)
			mod_memcg_page_state(page, MEMCG_VMALLOC, -1);
		__free_page(page);
		if (!(i % 64))
			cond_resched();
	}
	if (ours)
		atomic_long_sub(vm->nr_pages, &nr_vmalloc_pages);
}

/* ---- direct map permissions ---- */

static void set_direct_map(const struct vm_struct *vm,
			   int (*set)(struct page *page))
{
	unsigned int i;

	for (i = 0; i < vm->nr_pages; i++)
		if (page_address(vm->pages[i]))
			set(vm->pages[i]);
}

/*
 * VM_FLUSH_RESET_PERMS: the pages may have been made read-only or
 * executable through the area. Before they go back to the page allocator,
 * their direct-map entries are made invalid, every alias is flushed from
 * the TLB (the area's, vm_map_ram()'s and the direct map's, in one flush),
 * and the direct map is restored with default permissions.
 */
static void reset_perms(struct vm_struct *vm)
{
	unsigned long block = PAGE_SIZE << area_order(vm);
	unsigned long start = ULONG_MAX, end = 0;
	unsigned int i;

	for (i = 0; i < vm->nr_pages; i += 1U << area_order(vm)) {
		unsigned long va = (unsigned long)page_address(vm->pages[i]);

		if (!va)
			continue;
		start = min(start, va);
		end = max(end, va + block);
	}
	set_direct_map(vm, set_direct_map_invalid_noflush);
	vmap_purge_aliases(start, end);
	set_direct_map(vm, set_direct_map_default_noflush);
}

/* Free what an area from vm_area_get_node() holds, and its vm_struct. */
static void release_area(struct vm_struct *vm)
{
	if (unlikely(vm->flags & VM_FLUSH_RESET_PERMS))
		reset_perms(vm);
	put_pages(vm);
	if (vm->pages != vm_inline_pages(vm))
		kvfree(vm->pages);
	vm_struct_free(vm);
}

/* ---- freeing ---- */

struct vfree_deferred {
	struct llist_head list;
	struct work_struct work;
};

static DEFINE_PER_CPU(struct vfree_deferred, vfree_deferred);

static void vfree_deferred_fn(struct work_struct *work)
{
	struct vfree_deferred *q = container_of(work, struct vfree_deferred,
						work);
	struct llist_node *node, *next;

	llist_for_each_safe(node, next, llist_del_all(&q->list))
		vfree(node);
}

/* Set up the per-CPU queues of vfree_atomic(). */
static void __init vfree_deferred_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct vfree_deferred *q = per_cpu_ptr(&vfree_deferred, cpu);

		init_llist_head(&q->list);
		INIT_WORK(&q->work, vfree_deferred_fn);
	}
}

/**
 * vfree_atomic - free vmalloc() memory from any context but NMI.
 * @addr: the start of the memory, or NULL.
 *
 * The memory is freed later by a work item; until then its first bytes
 * hold the link of the queue.
 */
void vfree_atomic(const void *addr)
{
	struct vfree_deferred *q;

	if (WARN_ON_ONCE(in_nmi()))
		return;
	kmemleak_free(addr);
	if (!addr)
		return;
	/*
	 * The queue links areas by their first word, which the caller may
	 * not own all of (vmalloc(1)), and generic KASAN tracks bytes: let it
	 * see the word written. The area is poisoned again when it is freed.
	 */
	if (IS_ENABLED(CONFIG_KASAN_GENERIC) && IS_ENABLED(CONFIG_KASAN_VMALLOC))
		kasan_unpoison_range(addr, sizeof(struct llist_node));
	q = raw_cpu_ptr(&vfree_deferred);
	if (llist_add((struct llist_node *)addr, &q->list))
		schedule_work(&q->work);
}

/*
 * The area that starts at @addr, out of the index. An address that no
 * area starts at is a bug of the caller's: warn, and free nothing.
 */
static struct vm_struct *take_area(const void *addr, const char *who)
{
	struct vm_struct *vm = remove_vm_area(addr);

	WARN(!vm, "Trying to %s() nonexistent vm area (%p)\n", who, addr);
	return vm;
}

/**
 * vfree - free memory from vmalloc() and friends.
 * @addr: the start of the memory, or NULL.
 *
 * Frees the pages unless the area came from vmap() without
 * VM_MAP_PUT_PAGES, the vm_struct, and, once the TLB has been flushed,
 * the address range. Called from interrupt context, it defers the work
 * like vfree_atomic(). An address that no allocation starts at gets a
 * warning and is left alone.
 *
 * Context: any but NMI; may sleep unless in interrupt context.
 */
void vfree(const void *addr)
{
	struct vm_struct *vm;

	if (unlikely(in_interrupt())) {
		vfree_atomic(addr);
		return;
	}
	if (WARN_ON_ONCE(in_nmi()))
		return;
	kmemleak_free(addr);
	might_sleep();
	if (!addr)
		return;

	vm = take_area(addr, __func__);
	if (vm)
		release_area(vm);
}
EXPORT_SYMBOL(vfree);

/**
 * vunmap - release a mapping made by vmap().
 * @addr: the start of the mapping, or NULL.
 *
 * The pages stay the caller's.
 *
 * Context: process context; may sleep.
 */
void vunmap(const void *addr)
{
	struct vm_struct *vm;

	if (WARN_ON_ONCE(in_interrupt()))
		return;
	might_sleep();
	if (!addr)
		return;

	vm = take_area(addr, __func__);
	if (vm)
		vm_struct_free(vm);
}
EXPORT_SYMBOL(vunmap);

/* ---- mapping caller pages ---- */

/*
 * vmap() cannot reset the permissions of pages it does not own, and an
 * area without its guard page would leave the next one unguarded: such
 * flags warn; the guard is kept.
 */
static bool vmap_flags_ok(unsigned long *flags)
{
	if (WARN_ON_ONCE(*flags & VM_FLUSH_RESET_PERMS))
		return false;
	if (WARN_ON_ONCE(*flags & VM_NO_GUARD))
		*flags &= ~VM_NO_GUARD;
	return true;
}

/**
 * vmap - map pages at virtually contiguous addresses.
 * @pages: the pages.
 * @count: how many.
 * @flags: VM_* flags for the area; VM_MAP_PUT_PAGES hands @pages (the
 *	array, from kvmalloc(), and a reference on each page) to vfree().
 * @prot: protection; never executable.
 *
 * Context: process context; may sleep.
 * Return: the address of the mapping, or NULL.
 */
void *vmap(struct page **pages, unsigned int count, unsigned long flags,
	   pgprot_t prot)
{
	unsigned long size = (unsigned long)count << PAGE_SHIFT;
	struct vm_struct *vm;
	unsigned long start;

	might_sleep();
	if (!vmap_flags_ok(&flags) || count > totalram_pages())
		return NULL;
	vm = vm_area_get_node(size, 1, PAGE_SHIFT, flags, VMALLOC_START,
			      VMALLOC_END, NUMA_NO_NODE, GFP_KERNEL,
			      __builtin_return_address(0));
	if (!vm)
		return NULL;

	start = (unsigned long)vm->addr;
	if (!vmap_pages_range(start, start + size, pgprot_nx(prot), pages,
			      PAGE_SHIFT)) {
		/* vfree() drops the page references and frees the array. */
		if (flags & VM_MAP_PUT_PAGES) {
			vm->nr_pages = count;
			vm->pages = pages;
		}
		return vm->addr;
	}
	vunmap(vm->addr);
	return NULL;
}
EXPORT_SYMBOL(vmap);

#ifdef CONFIG_VMAP_PFN
struct pfn_cursor {
	const unsigned long *pfns;
	unsigned int next;
	pgprot_t prot;
};

static int map_one_pfn(pte_t *pte, unsigned long addr, void *data)
{
	struct pfn_cursor *cur = data;
	unsigned long pfn = cur->pfns[cur->next++];

	/* Memory with a struct page must be mapped with vmap(). */
	if (WARN_ON_ONCE(pfn_valid(pfn)))
		return -EINVAL;
	set_pte_at(&init_mm, addr, pte, pte_mkspecial(pfn_pte(pfn, cur->prot)));
	return 0;
}

/**
 * vmap_pfn - map page frames that have no struct page.
 * @pfns: the page frame numbers.
 * @count: how many.
 * @prot: protection; never executable.
 *
 * Context: process context; may sleep.
 * Return: the address of the mapping, or NULL.
 */
void *vmap_pfn(unsigned long *pfns, unsigned int count, pgprot_t prot)
{
	struct pfn_cursor cur = { .pfns = pfns, .prot = pgprot_nx(prot) };
	unsigned long size = (unsigned long)count * PAGE_SIZE;
	struct vm_struct *vm;
	unsigned long addr;

	vm = get_vm_area_caller(size, VM_IOREMAP, __builtin_return_address(0));
	if (!vm)
		return NULL;
	addr = (unsigned long)vm->addr;
	if (apply_to_page_range(&init_mm, addr, size, map_one_pfn, &cur)) {
		free_vm_area(vm);
		return NULL;
	}
	flush_cache_vmap(addr, addr + size);
	return vm->addr;
}
EXPORT_SYMBOL_GPL(vmap_pfn);
#endif /* CONFIG_VMAP_PFN */

/* ---- ioremap ---- */

/* Is [addr, end) exactly an area that get_vm_area() made for ioremap? */
static int ioremap_area_ok(unsigned long addr, unsigned long end)
{
	struct vm_struct *vm = find_vm_area((void *)addr);
	unsigned long start;

	if (!vm || !(vm->flags & VM_IOREMAP)) {
		WARN_ONCE(1, "vm_area at addr %lx is not marked as VM_IOREMAP\n",
			  addr);
		return -EINVAL;
	}
	start = (unsigned long)vm->addr;
	if (addr != start || end != start + get_vm_area_size(vm)) {
		WARN_ONCE(1, "ioremap request [%lx,%lx) doesn't match vm_area [%lx, %lx)\n",
			  addr, end, start, start + get_vm_area_size(vm));
		return -ERANGE;
	}
	return 0;
}

/**
 * ioremap_page_range - map device memory for ioremap().
 * @addr: start of the virtual range: of a VM_IOREMAP area.
 * @end: end of the virtual range: of the same area.
 * @phys_addr: physical address @addr maps to.
 * @prot: protection.
 *
 * Only a whole area from get_vm_area(VM_IOREMAP) can be mapped: any other
 * range might belong to someone else, and warns.
 *
 * Return: 0; -EINVAL if @addr is not in a VM_IOREMAP area, -ERANGE if the
 * range is not the whole area (nothing is mapped then); or another
 * negative errno, and nothing is left mapped.
 */
int ioremap_page_range(unsigned long addr, unsigned long end,
		       phys_addr_t phys_addr, pgprot_t prot)
{
	int err = ioremap_area_ok(addr, end);

	if (err)
		return err;
	err = vmap_page_range(addr, end, phys_addr, prot);
	if (err)
		vunmap_range(addr, end);
	return err;
}

/* ---- vmalloc ---- */

/*
 * Page tables are allocated with GFP_KERNEL: narrow that as @gfp asks. A
 * caller that cannot wait (GFP_NOWAIT, GFP_ATOMIC) gets no reclaim at all.
 */
static unsigned int scope_enter(gfp_t gfp)
{
	if (!gfpflags_allow_blocking(gfp))
		return memalloc_noreclaim_save();
	switch (gfp & (__GFP_FS | __GFP_IO)) {
	case __GFP_IO:
		return memalloc_nofs_save();
	case 0:
		return memalloc_noio_save();
	default:
		return 0;
	}
}

static void scope_leave(gfp_t gfp, unsigned int flags)
{
	if (!gfpflags_allow_blocking(gfp)) {
		memalloc_noreclaim_restore(flags);
		return;
	}
	switch (gfp & (__GFP_FS | __GFP_IO)) {
	case __GFP_IO:
		memalloc_nofs_restore(flags);
		break;
	case 0:
		memalloc_noio_restore(flags);
		break;
	}
}

static int map_area(struct vm_struct *vm, gfp_t gfp, pgprot_t prot,
		    unsigned int shift)
{
	unsigned long addr = (unsigned long)vm->addr;
	unsigned long end = addr + get_vm_area_size(vm);
	unsigned int scope = scope_enter(gfp);
	int err;

	for (;;) {
		err = vmap_pages_range(addr, end, prot, vm->pages, shift);
		if (err >= 0 || !(gfp & __GFP_NOFAIL))
			break;
		schedule_timeout_uninterruptible(1);
	}
	scope_leave(gfp, scope);
	return err;
}

static struct page **alloc_page_array(unsigned long bytes, gfp_t gfp,
				      int node, const void *caller)
{
	gfp = (gfp & GFP_RECLAIM_MASK) | __GFP_ZERO;
	if (bytes > PAGE_SIZE)
		return __vmalloc_node_noprof(bytes, 1, gfp, node, caller);
	return kmalloc_node_noprof(bytes, gfp, node);
}

/* Give @vm its pages and map them. On failure, @vm is left to the caller. */
static int populate(struct vm_struct *vm, gfp_t gfp, pgprot_t prot,
		    unsigned int shift, int node)
{
	unsigned long size = get_vm_area_size(vm);
	unsigned int nr = size >> PAGE_SHIFT;
	unsigned int order = shift - PAGE_SHIFT;
	unsigned long bytes = (unsigned long)nr * sizeof(struct page *);
	gfp_t page_gfp;
	unsigned int i;

	if (vm_inline_count(vm->flags, nr))
		vm->pages = vm_inline_pages(vm);
	else
		vm->pages = alloc_page_array(bytes, gfp, node, vm->caller);
	if (!vm->pages) {
		warn_alloc(gfp, NULL,
			   "vmalloc error: size %lu, no page array of %lu bytes",
			   size, bytes);
		return -ENOMEM;
	}
	set_area_order(vm, order);

	page_gfp = gfp | __GFP_NOWARN;
	if (!(gfp & (GFP_DMA | GFP_DMA32)))
		page_gfp |= __GFP_HIGHMEM;
	if (order)
		page_gfp &= ~__GFP_NOFAIL;
	vm->nr_pages = get_pages(page_gfp, node, order, nr, vm->pages);

	atomic_long_add(vm->nr_pages, &nr_vmalloc_pages);
	if (gfp & __GFP_ACCOUNT)
		for (i = 0; i < vm->nr_pages; i++)
			mod_memcg_page_state(vm->pages[i], MEMCG_VMALLOC, 1);

	if (vm->nr_pages < nr) {
		/* Huge attempts fall back to small pages without a word. */
		if (!order && !fatal_signal_pending(current))
			warn_alloc(gfp, NULL,
				   "vmalloc error: size %lu, failed to allocate pages",
				   (unsigned long)vm->nr_pages * PAGE_SIZE);
		return -ENOMEM;
	}

	if (map_area(vm, gfp, prot, shift) < 0) {
		warn_alloc(gfp, NULL,
			   "vmalloc error: size %lu, failed to map pages",
			   size);
		return -ENOMEM;
	}
	return 0;
}

static struct vm_struct *reserve(unsigned long size, unsigned long align,
				 unsigned int shift, unsigned long start,
				 unsigned long end, gfp_t gfp,
				 unsigned long vm_flags, int node,
				 const void *caller)
{
	bool nofail = gfp & __GFP_NOFAIL;
	struct vm_struct *vm;

	for (;;) {
		vm = vm_area_get_node(size, align, shift,
				      VM_ALLOC | VM_UNINITIALIZED | vm_flags,
				      start, end, node, gfp, caller);
		if (vm)
			return vm;
		warn_alloc(gfp, NULL,
			   "vmalloc error: size %lu, vm_struct allocation failed%s",
			   size, nofail ? ". Retrying." : "");
		if (!nofail)
			return NULL;
		schedule_timeout_uninterruptible(1);
	}
}

/*
 * KASAN's flags for a vmalloc() mapping. Only PAGE_KERNEL memory is
 * tagged by the hardware tag-based mode, which then poisons and zeroes
 * it instead of the page allocator.
 */
static kasan_vmalloc_flags_t kasan_prepare(pgprot_t *prot, gfp_t *gfp)
{
	if (pgprot_val(*prot) != pgprot_val(PAGE_KERNEL))
		return KASAN_VMALLOC_VM_ALLOC;
	if (kasan_hw_tags_enabled()) {
		*gfp |= __GFP_SKIP_KASAN | __GFP_SKIP_ZERO;
		*prot = arch_vmap_pgprot_tagged(*prot);
	}
	return KASAN_VMALLOC_VM_ALLOC | KASAN_VMALLOC_PROT_NORMAL;
}

/* One attempt with pages of 1 << @shift bytes. */
static void *vmalloc_pages(unsigned long size, unsigned long align,
			   unsigned int shift, unsigned long start,
			   unsigned long end, gfp_t gfp, pgprot_t prot,
			   unsigned long vm_flags, int node,
			   const void *caller)
{
	kasan_vmalloc_flags_t kasan_flags;
	struct vm_struct *vm;

	vm = reserve(size, max(align, 1UL << shift), shift, start, end, gfp,
		     vm_flags, node, caller);
	if (!vm)
		return NULL;

	kasan_flags = kasan_prepare(&prot, &gfp);
	if (populate(vm, gfp, prot, shift, node)) {
		if (remove_vm_area(vm->addr) == vm)
			release_area(vm);
		return NULL;
	}

	/* KASAN zeroes the memory when the page allocator did not. */
	if (!want_init_on_free() && want_init_on_alloc(gfp) &&
	    (gfp & __GFP_SKIP_ZERO))
		kasan_flags |= KASAN_VMALLOC_INIT;
	vm->addr = kasan_unpoison_vmalloc(vm->addr, size, kasan_flags);

	/* Readers of vm->pages test VM_UNINITIALIZED after an smp_rmb(). */
	smp_wmb();
	vm->flags &= ~VM_UNINITIALIZED;

	if (!(vm_flags & VM_DEFER_KMEMLEAK))
		kmemleak_vmalloc(vm, PAGE_ALIGN(size), gfp);
	return vm->addr;
}

static unsigned int huge_shift(unsigned long size, pgprot_t prot, int node)
{
	unsigned long per_node = size;

	/* Interleaved over the nodes: each node gets its share. */
	if (node == NUMA_NO_NODE)
		per_node /= num_online_nodes();
	if (arch_vmap_pmd_supported(prot) && per_node >= PMD_SIZE)
		return PMD_SHIFT;
	return arch_vmap_pte_supported_shift(per_node);
}

/**
 * __vmalloc_node_range - allocate virtually contiguous memory.
 * @size: bytes needed; not 0.
 * @align: alignment of the start; a power of 2.
 * @start: lowest address the memory may start at.
 * @end: the memory and its guard page must end at or below this address.
 * @gfp_mask: flags for the page allocator. __GFP_ZERO zeroes the memory;
 *	__GFP_NOFAIL retries forever; without __GFP_FS or __GFP_IO the page
 *	tables are allocated in a NOFS or NOIO scope. GFP_NOWAIT and
 *	GFP_ATOMIC get no __GFP_NOFAIL.
 * @prot: protection of the mapping.
 * @vm_flags: extra VM_* flags; VM_ALLOW_HUGE_VMAP allows PMD mappings,
 *	with a fallback to small pages.
 * @node: NUMA node of the pages, or NUMA_NO_NODE for the task's policy.
 * @caller: recorded for /proc/vmallocinfo.
 *
 * Context: process context. GFP_NOWAIT and GFP_ATOMIC requests never
 * enter reclaim, but must not come from atomic context either: kernel page
 * tables are still allocated with GFP_KERNEL, in a no-reclaim scope.
 * Return: the address of the memory, or NULL.
 */
void *__vmalloc_node_range_noprof(unsigned long size, unsigned long align,
				  unsigned long start, unsigned long end,
				  gfp_t gfp_mask, pgprot_t prot,
				  unsigned long vm_flags, int node,
				  const void *caller)
{
	unsigned int shift = PAGE_SHIFT;
	void *addr;

	if (WARN_ON_ONCE(!size))
		return NULL;
	/* The page allocator would index past its node arrays. */
	if (WARN_ON_ONCE(node != NUMA_NO_NODE &&
			 (unsigned int)node >= nr_node_ids))
		return NULL;
	if ((size >> PAGE_SHIFT) > totalram_pages()) {
		warn_alloc(gfp_mask, NULL,
			   "vmalloc error: size %lu, exceeds total pages", size);
		return NULL;
	}

	/* A caller that cannot wait cannot be promised a success. */
	if (!gfpflags_allow_blocking(gfp_mask))
		gfp_mask &= ~__GFP_NOFAIL;
	/*
	 * Huge pages whatever the gfp mask: boot-time hash tables ask with
	 * GFP_ATOMIC, and want the fewer TLB misses most. Without free huge
	 * pages the small ones below are tried.
	 */
	if (vmap_allow_huge && (vm_flags & VM_ALLOW_HUGE_VMAP))
		shift = huge_shift(size, prot, node);
	addr = vmalloc_pages(size, align, shift, start, end, gfp_mask, prot,
			     vm_flags, node, caller);
	if (!addr && shift > PAGE_SHIFT)
		addr = vmalloc_pages(size, align, PAGE_SHIFT, start, end,
				     gfp_mask, prot, vm_flags, node, caller);
	return addr;
}

/**
 * __vmalloc_node - allocate memory in the vmalloc range.
 * @size: bytes needed.
 * @align: alignment of the start.
 * @gfp_mask: flags for the page allocator.
 * @node: NUMA node of the pages, or NUMA_NO_NODE.
 * @caller: recorded for /proc/vmallocinfo.
 *
 * Return: the address of the memory, or NULL.
 */
void *__vmalloc_node_noprof(unsigned long size, unsigned long align,
			    gfp_t gfp_mask, int node, const void *caller)
{
	return __vmalloc_node_range_noprof(size, align, VMALLOC_START,
					   VMALLOC_END, gfp_mask, PAGE_KERNEL,
					   0, node, caller);
}

/* Only lib/test_vmalloc.c needs it as a module: its alignment cases. */
#ifdef CONFIG_TEST_VMALLOC_MODULE
EXPORT_SYMBOL_GPL(__vmalloc_node_noprof);
#endif

/* The common shape of the wrappers below. */
static void *vmalloc_with(unsigned long size, gfp_t gfp, unsigned long align,
			  unsigned long vm_flags, int node, const void *caller)
{
	return __vmalloc_node_range_noprof(size, align, VMALLOC_START,
					   VMALLOC_END, gfp, PAGE_KERNEL,
					   vm_flags, node, caller);
}

/**
 * __vmalloc - allocate memory with given gfp flags.
 * @size: bytes needed.
 * @gfp_mask: flags for the page allocator.
 *
 * Return: the address of the memory, or NULL.
 */
void *__vmalloc_noprof(unsigned long size, gfp_t gfp_mask)
{
	return vmalloc_with(size, gfp_mask, 1, 0, NUMA_NO_NODE,
			    __builtin_return_address(0));
}
EXPORT_SYMBOL(__vmalloc_noprof);

/**
 * vmalloc - allocate virtually contiguous memory.
 * @size: bytes needed.
 *
 * Context: process context; may sleep.
 * Return: the address of the memory, or NULL.
 */
void *vmalloc_noprof(unsigned long size)
{
	return vmalloc_with(size, GFP_KERNEL, 1, 0, NUMA_NO_NODE,
			    __builtin_return_address(0));
}
EXPORT_SYMBOL(vmalloc_noprof);

/**
 * vmalloc_huge - allocate memory, with huge mappings if possible.
 * @size: bytes needed.
 * @gfp_mask: flags for the page allocator.
 *
 * Return: the address of the memory, or NULL.
 */
void *vmalloc_huge_noprof(unsigned long size, gfp_t gfp_mask)
{
	return vmalloc_with(size, gfp_mask, 1, VM_ALLOW_HUGE_VMAP,
			    NUMA_NO_NODE, __builtin_return_address(0));
}
EXPORT_SYMBOL_GPL(vmalloc_huge_noprof);

/**
 * vzalloc - allocate zeroed virtually contiguous memory.
 * @size: bytes needed.
 *
 * Return: the address of the memory, or NULL.
 */
void *vzalloc_noprof(unsigned long size)
{
	return vmalloc_with(size, GFP_KERNEL | __GFP_ZERO, 1, 0, NUMA_NO_NODE,
			    __builtin_return_address(0));
}
EXPORT_SYMBOL(vzalloc_noprof);

/**
 * vmalloc_user - allocate zeroed memory that userspace may map.
 * @size: bytes needed.
 *
 * The memory can be mapped with remap_vmalloc_range().
 *
 * Return: the address of the memory, or NULL.
 */
void *vmalloc_user_noprof(unsigned long size)
{
	return vmalloc_with(size, GFP_KERNEL | __GFP_ZERO, SHMLBA, VM_USERMAP,
			    NUMA_NO_NODE, __builtin_return_address(0));
}
EXPORT_SYMBOL(vmalloc_user_noprof);

/**
 * vmalloc_node - allocate memory with pages from one node.
 * @size: bytes needed.
 * @node: NUMA node.
 *
 * Return: the address of the memory, or NULL.
 */
void *vmalloc_node_noprof(unsigned long size, int node)
{
	return vmalloc_with(size, GFP_KERNEL, 1, 0, node,
			    __builtin_return_address(0));
}
EXPORT_SYMBOL(vmalloc_node_noprof);

/**
 * vzalloc_node - allocate zeroed memory with pages from one node.
 * @size: bytes needed.
 * @node: NUMA node.
 *
 * Return: the address of the memory, or NULL.
 */
void *vzalloc_node_noprof(unsigned long size, int node)
{
	return vmalloc_with(size, GFP_KERNEL | __GFP_ZERO, 1, 0, node,
			    __builtin_return_address(0));
}
EXPORT_SYMBOL(vzalloc_node_noprof);

#if defined(CONFIG_64BIT) && defined(CONFIG_ZONE_DMA32)
#define GFP_32BIT_PAGES	(GFP_KERNEL | GFP_DMA32)
#elif defined(CONFIG_64BIT) && defined(CONFIG_ZONE_DMA)
#define GFP_32BIT_PAGES	(GFP_KERNEL | GFP_DMA)
#else
#define GFP_32BIT_PAGES	(GFP_KERNEL | GFP_DMA32)
#endif

/**
 * vmalloc_32 - allocate memory with 32-bit addressable pages.
 * @size: bytes needed.
 *
 * Return: the address of the memory, or NULL.
 */
void *vmalloc_32_noprof(unsigned long size)
{
	return vmalloc_with(size, GFP_32BIT_PAGES, 1, 0, NUMA_NO_NODE,
			    __builtin_return_address(0));
}
EXPORT_SYMBOL(vmalloc_32_noprof);

/**
 * vmalloc_32_user - vmalloc_user_noprof() with 32-bit addressable
 *	pages.
 * @size: bytes needed.
 *
 * Return: the address of the memory, or NULL.
 */
void *vmalloc_32_user_noprof(unsigned long size)
{
	return vmalloc_with(size, GFP_32BIT_PAGES | __GFP_ZERO, SHMLBA,
			    VM_USERMAP, NUMA_NO_NODE,
			    __builtin_return_address(0));
}
EXPORT_SYMBOL(vmalloc_32_user_noprof);

/* Shrink or grow @vm within the pages it already has. */
static void *resize_in_place(struct vm_struct *vm, void *p, size_t size,
			     gfp_t flags)
{
	size_t old = vm->requested_size;

	if (size < old && (want_init_on_free() || want_init_on_alloc(flags)))
		memset(p + size, 0, old - size);
	vm->requested_size = size;
	kasan_vrealloc(p, old, size);
	/* A shrink without __GFP_ZERO left the old bytes behind. */
	if (size > old && want_init_on_alloc(flags))
		memset(p + old, 0, size - old);
	return p;
}

/* The area vrealloc() resizes, or NULL (with a warning) if @p has none. */
static struct vm_struct *vrealloc_area(const void *p)
{
	struct vm_struct *vm = find_vm_area(p);

	if (WARN(!vm, "Trying to vrealloc() nonexistent vm area (%p)\n", p))
		return NULL;
	if (WARN(get_vm_area_size(vm) < vm->requested_size,
		 "vrealloc() has mismatched area vs requested sizes (%p)\n", p))
		return NULL;
	return vm;
}

/**
 * vrealloc - resize vmalloc() memory.
 * @p: the memory, or NULL to allocate.
 * @size: the new size; 0 frees @p and returns NULL.
 * @flags: flags for the page allocator; with __GFP_ZERO, growth reads as
 *	zeroes.
 *
 * The memory is resized in place when its area has room; otherwise it is
 * moved to a new allocation and the old one is freed. Content up to the
 * smaller of the two sizes is kept.
 *
 * Return: the resized memory, or NULL (then @p is untouched, unless @size
 * was 0).
 */
void *vrealloc_noprof(const void *p, size_t size, gfp_t flags)
{
	struct vm_struct *vm;
	void *n;

	if (unlikely(!size)) {
		vfree(p);
		return NULL;
	}
	if (!p)
		return __vmalloc_noprof(size, flags);
	vm = vrealloc_area(p);
	if (!vm)
		return NULL;
	if (size <= get_vm_area_size(vm))
		return resize_in_place(vm, (void *)p, size, flags);

	n = __vmalloc_noprof(size, flags);
	if (n) {
		memcpy(n, p, vm->requested_size);
		vfree(p);
	}
	return n;
}

/* ---- set-up ---- */

/**
 * vmalloc_init - set up vmalloc once the slab allocator works.
 *
 * From the bottom up: the free space, the areas (which adopt the early
 * ones), the vm_map_ram() blocks, the queues of vfree_atomic().
 */
void __init vmalloc_init(void)
{
	vmap_free_init();
	vmap_area_init();
	vmap_ram_init();
	vfree_deferred_init();
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * vm_map_ram(): short-lived mappings, cheap to make and to undo, carved
 * front to back from per-CPU blocks that never reuse a page before a TLB
 * flush; larger requests get an area of their own, without a guard page.
 * Blocks, their locks and how vm_unmap_aliases() flushes them are told in
 * Documentation/mm/vmalloc.rst.
 */

#include <linux/bitmap.h>
#include <linux/kasan.h>
#include <linux/mm.h>
#include <linux/notifier.h>
#include <linux/percpu.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>
#include <asm/tlbflush.h>

#include "internal.h"
#include "vmap.h"

struct vmap_block {
	spinlock_t lock;	/* guards everything below but @link */
	struct vmap_area *va;
	/*
	 * @va->va_start, kept here: the alias flush finds a block under RCU
	 * alone, when its area may already have been purged and freed.
	 */
	unsigned long start;
	unsigned int next;	/* first page not handed out yet */
	unsigned int dirty;	/* pages unmapped since handed out */
	unsigned int dirty_lo;	/* page span to flush: [lo, hi) */
	unsigned int dirty_hi;
	unsigned int cpu;
	bool listed;		/* on its CPU's list of blocks with room */
	bool dying;		/* its release has begun: by one caller only */
	DECLARE_BITMAP(mapped, VMAP_BLOCK_PAGES);
	struct list_head link;
	struct rcu_head rcu;
};

struct vmap_block_list {
	spinlock_t lock;	/* guards changes to @blocks */
	struct list_head blocks;
};

/* Blocks are aligned to their size, which must be a power of 2. */
static_assert((VMAP_BLOCK_PAGES & (VMAP_BLOCK_PAGES - 1)) == 0);

static DEFINE_PER_CPU(struct vmap_block_list, vmap_block_lists);
static DEFINE_XARRAY(vmap_blocks);

/*
 * Alias flushes begun and done (under the purge mutex): each is done
 * before the next begins, which the white-box KUnit suite checks.
 */
atomic_long_t vmap_alias_begun = ATOMIC_LONG_INIT(0);
atomic_long_t vmap_alias_done = ATOMIC_LONG_INIT(0);

/**
 * vmap_block_index - the xarray index of the block holding an address.
 * @addr: any address inside a block.
 * @base: the lowest address a block may start at (VMALLOC_START).
 *
 * Blocks are aligned to VMAP_BLOCK_SIZE in absolute terms, and @base need
 * not be (it is not on LoongArch, s390, csky or hexagon): counting from
 * @base itself would split a block between two indices. Counting from
 * @base rounded down keeps the xarray shallow all the same.
 *
 * Return: the index, the same for every address of a block.
 */
unsigned long vmap_block_index(unsigned long addr, unsigned long base)
{
	return (addr - ALIGN_DOWN(base, VMAP_BLOCK_SIZE)) / VMAP_BLOCK_SIZE;
}

static unsigned long block_index(unsigned long addr)
{
	return vmap_block_index(addr, VMALLOC_START);
}

static unsigned int room(const struct vmap_block *vb)
{
	return VMAP_BLOCK_PAGES - vb->next;
}

/* ---- blocks ---- */

static void unlist(struct vmap_block *vb)
{
	struct vmap_block_list *bl = per_cpu_ptr(&vmap_block_lists, vb->cpu);

	spin_lock(&bl->lock);
	if (vb->listed) {
		list_del_rcu(&vb->link);
		vb->listed = false;
	}
	spin_unlock(&bl->lock);
}

/* Free a block that has no mapping left; its TLB entries go lazily. */
static void release_block(struct vmap_block *vb)
{
	struct vmap_area *va;

	xa_erase(&vmap_blocks, block_index(vb->start));
	unlist(vb);
	va = vmap_area_unindex(vb->start);
	if (!WARN_ON_ONCE(va != vb->va))
		vmap_area_free_lazy(va);
	kfree_rcu(vb, rcu);
}

/* A new block for this CPU, with its first @pages pages handed out. */
static void *new_block(unsigned int pages, int node, gfp_t gfp)
{
	struct vmap_block_list *bl;
	struct vmap_block *vb;
	struct vmap_area *va;
	unsigned int cpu;
	int err;

	vb = kzalloc_node(sizeof(*vb), gfp & GFP_RECLAIM_MASK, node);
	if (!vb)
		return ERR_PTR(-ENOMEM);
	va = vmap_area_alloc(VMAP_BLOCK_SIZE, VMAP_BLOCK_SIZE, VMALLOC_START,
			     VMALLOC_END, node, gfp, VMAP_AREA_BLOCK, NULL);
	if (IS_ERR(va)) {
		kfree(vb);
		return ERR_CAST(va);
	}
	spin_lock_init(&vb->lock);
	vb->va = va;
	vb->start = va->va_start;
	vb->next = pages;
	vb->dirty_lo = VMAP_BLOCK_PAGES;
	bitmap_set(vb->mapped, 0, pages);

	err = xa_insert(&vmap_blocks, block_index(va->va_start), vb, gfp);
	if (err) {
		vmap_area_unindex(va->va_start);
		vmap_area_discard(va);
		kfree(vb);
		return ERR_PTR(err);
	}

	/*
	 * Preemption is on: read the CPU once, so that the list the block
	 * goes on is the one whose lock unlist() will take.
	 */
	cpu = raw_smp_processor_id();
	bl = per_cpu_ptr(&vmap_block_lists, cpu);
	vb->cpu = cpu;
	spin_lock(&bl->lock);
	list_add_tail_rcu(&vb->link, &bl->blocks);
	vb->listed = true;
	spin_unlock(&bl->lock);
	return (void *)va->va_start;
}

/*
 * Give up the room left in @vb: it is counted as dirty, though never
 * mapped, so that the block dies with its last mapping. Return: whether
 * that has already happened and the caller must release the block.
 */
static bool close_block(struct vmap_block *vb)
{
	bool dead;

	lockdep_assert_held(&vb->lock);
	vb->dirty += room(vb);
	vb->next = VMAP_BLOCK_PAGES;
	dead = vb->dirty == VMAP_BLOCK_PAGES && !vb->dying;
	vb->dying |= dead;
	return dead;
}

/*
 * Take @pages pages from @vb, or 0. A block that cannot hold a request
 * is closed: left on the list, a remainder smaller than the requests of
 * its CPU would never fill, and the block would never be freed.
 */
static unsigned long take_from(struct vmap_block *vb, unsigned int pages)
{
	unsigned long addr = 0;
	bool dead = false, full;

	spin_lock(&vb->lock);
	if (room(vb) >= pages) {
		addr = vb->start + vb->next * PAGE_SIZE;
		bitmap_set(vb->mapped, vb->next, pages);
		vb->next += pages;
	} else {
		dead = close_block(vb);
	}
	full = !room(vb);
	spin_unlock(&vb->lock);
	if (dead)
		release_block(vb);
	else if (full)
		unlist(vb);
	return addr;
}

/* Take @pages pages from a block of this CPU, or NULL if none has room. */
static void *take_from_blocks(unsigned int pages)
{
	struct vmap_block_list *bl = raw_cpu_ptr(&vmap_block_lists);
	struct vmap_block *vb;
	unsigned long addr = 0;

	/* A block released meanwhile is freed after a grace period. */
	rcu_read_lock();
	list_for_each_entry_rcu(vb, &bl->blocks, link) {
		addr = take_from(vb, pages);
		if (addr)
			break;
	}
	rcu_read_unlock();
	return (void *)addr;
}

static void give_to_block(unsigned long addr, unsigned int pages)
{
	struct vmap_block *vb = xa_load(&vmap_blocks, block_index(addr));
	unsigned int first, dead;

	if (WARN_ON_ONCE(!vb))
		return;
	first = (addr - vb->start) >> PAGE_SHIFT;

	vunmap_range_noflush(addr, addr + pages * PAGE_SIZE);
	if (debug_pagealloc_enabled_static())
		flush_tlb_kernel_range(addr, addr + pages * PAGE_SIZE);

	spin_lock(&vb->lock);
	bitmap_clear(vb->mapped, first, pages);
	vb->dirty += pages;
	vb->dirty_lo = min(vb->dirty_lo, first);
	vb->dirty_hi = max(vb->dirty_hi, first + pages);
	dead = vb->dirty == VMAP_BLOCK_PAGES && !vb->dying;
	vb->dying |= dead;
	spin_unlock(&vb->lock);
	if (dead)
		release_block(vb);
}

/* ---- the API ---- */

static unsigned long ram_bytes(unsigned int count)
{
	return (unsigned long)count << PAGE_SHIFT;
}

/* Room for @count pages: in a per-CPU block, or an area of its own. */
static void *ram_space(unsigned int count, int node)
{
	struct vmap_area *va;
	void *mem;

	if (count <= VMAP_MAX_ALLOC) {
		mem = take_from_blocks(count);
		if (!mem)
			mem = new_block(count, node, GFP_KERNEL);
		return IS_ERR(mem) ? NULL : mem;
	}
	va = vmap_area_alloc(ram_bytes(count), PAGE_SIZE, VMALLOC_START,
			     VMALLOC_END, node, GFP_KERNEL, VMAP_AREA_RAM, NULL);
	return IS_ERR(va) ? NULL : (void *)va->va_start;
}

/* Could vm_map_ram() have returned @addr for @count pages? */
static bool ram_range_valid(unsigned long addr, unsigned int count)
{
	return count && PAGE_ALIGNED(addr) && addr >= VMALLOC_START &&
	       ram_bytes(count) <= VMALLOC_END - addr;
}

/**
 * vm_map_ram - map pages at virtually contiguous addresses, quickly.
 * @pages: the pages.
 * @count: how many.
 * @node: NUMA node for the metadata.
 *
 * Meant for short-lived mappings; unmap with vm_unmap_ram() and the same
 * @count. Up to VMAP_MAX_ALLOC pages come from a per-CPU block.
 *
 * Context: process context; may sleep.
 * Return: the address of the mapping, or NULL.
 */
void *vm_map_ram(struct page **pages, unsigned int count, int node)
{
	unsigned long start;
	void *mem;

	might_sleep();
	mem = count ? ram_space(count, node) : NULL;
	if (!mem)
		return NULL;
	start = (unsigned long)mem;
	if (vmap_pages_range(start, start + ram_bytes(count), PAGE_KERNEL,
			     pages, PAGE_SHIFT)) {
		vm_unmap_ram(mem, count);
		return NULL;
	}
	/* Only the pages asked for are accessible, like any vmap(). */
	return kasan_unpoison_vmalloc(mem, ram_bytes(count),
				      KASAN_VMALLOC_PROT_NORMAL);
}
EXPORT_SYMBOL(vm_map_ram);

/**
 * vm_unmap_ram - undo a vm_map_ram().
 * @mem: what vm_map_ram() returned.
 * @count: the @count given to it.
 *
 * The TLB may keep the old translations until vm_unmap_aliases() or the
 * next purge.
 *
 * Context: process context; may sleep.
 */
void vm_unmap_ram(const void *mem, unsigned int count)
{
	unsigned long addr = (unsigned long)kasan_reset_tag(mem);
	struct vmap_area *va;

	might_sleep();
	if (WARN_ON_ONCE(!ram_range_valid(addr, count)))
		return;
	kasan_poison_vmalloc(mem, ram_bytes(count));
	debug_check_no_locks_freed(mem, ram_bytes(count));

	if (count <= VMAP_MAX_ALLOC) {
		give_to_block(addr, count);
		return;
	}
	va = vmap_area_unindex(addr);
	if (!WARN_ON_ONCE(!va))
		vmap_area_unmap_lazy(va);
}
EXPORT_SYMBOL(vm_unmap_ram);

/*
 * Close @vb if nothing in it is mapped and it has less room than @most.
 * Return: whether the caller must release it.
 */
static bool close_if_idle(struct vmap_block *vb, unsigned int most)
{
	return vb->dirty == vb->next && room(vb) < most && close_block(vb);
}

/*
 * Widen [*@start, *@end) to the blocks' dirty ranges, which the blocks
 * forget: the purge flushes the TLB over them before it lets go of its
 * mutex, then calls aliases_flushed(). Blocks without a mapping and with
 * little room left are freed (lazily). Called under the purge mutex.
 */
static void aliases_collect(unsigned long *start, unsigned long *end)
{
	struct vmap_block *vb;
	unsigned long idx;

	atomic_long_inc(&vmap_alias_begun);
	/* A block released meanwhile is freed after a grace period. */
	rcu_read_lock();
	xa_for_each(&vmap_blocks, idx, vb) {
		bool drop;

		spin_lock(&vb->lock);
		if (vb->dirty_hi > vb->dirty_lo) {
			*start = min(*start,
				     vb->start + vb->dirty_lo * PAGE_SIZE);
			*end = max(*end, vb->start + vb->dirty_hi * PAGE_SIZE);
			vb->dirty_lo = VMAP_BLOCK_PAGES;
			vb->dirty_hi = 0;
		}
		/* Too little room to be worth keeping. */
		drop = close_if_idle(vb, VMAP_MAX_ALLOC);
		spin_unlock(&vb->lock);
		if (drop)
			release_block(vb);
	}
	rcu_read_unlock();
}

/* What aliases_collect() collected is flushed. */
static void aliases_flushed(void)
{
	atomic_long_inc(&vmap_alias_done);
}

static const struct vmap_purge_extra vmap_ram_aliases = {
	.collect = aliases_collect,
	.flushed = aliases_flushed,
};

/**
 * vmap_purge_aliases - purge, and flush the blocks' dirty ranges too.
 * @start: start of an extra range to flush, ULONG_MAX for none.
 * @end: end of that range, 0 for none.
 *
 * Context: process context; sleeps.
 */
void vmap_purge_aliases(unsigned long start, unsigned long end)
{
	vmap_purge(start, end, &vmap_ram_aliases);
}

/* A purge notifier: when room runs out, free every block that is idle. */
static int release_idle_blocks(struct notifier_block *nb,
			       unsigned long action, void *freed)
{
	struct vmap_block *vb;
	unsigned long idx;

	rcu_read_lock();
	xa_for_each(&vmap_blocks, idx, vb) {
		bool drop;

		spin_lock(&vb->lock);
		drop = close_if_idle(vb, VMAP_BLOCK_PAGES + 1);
		spin_unlock(&vb->lock);
		if (drop) {
			release_block(vb);
			++*(unsigned long *)freed;
		}
	}
	rcu_read_unlock();
	return NOTIFY_OK;
}

static struct notifier_block vmap_ram_purge_nb = {
	.notifier_call = release_idle_blocks,
};

/**
 * vmap_ram_misplaced - count blocks listed on another CPU's list than
 *	their own, for the KUnit suite: unlist() would take the wrong lock.
 *
 * Return: the number of such blocks; 0 unless something is broken.
 */
unsigned long vmap_ram_misplaced(void)
{
	unsigned long bad = 0;
	int cpu;

	rcu_read_lock();
	for_each_possible_cpu(cpu) {
		struct vmap_block_list *bl = per_cpu_ptr(&vmap_block_lists,
							 cpu);
		struct vmap_block *vb;

		/* vb->cpu is set before the block is listed, and stays. */
		list_for_each_entry_rcu(vb, &bl->blocks, link)
			bad += vb->cpu != cpu;
	}
	rcu_read_unlock();
	return bad;
}

/**
 * vmap_ram_nr_blocks - how many blocks exist, for the KUnit suite.
 *
 * Return: the number of blocks, a moment ago.
 */
unsigned long vmap_ram_nr_blocks(void)
{
	unsigned long idx, nr = 0;
	struct vmap_block *vb;

	rcu_read_lock();
	xa_for_each(&vmap_blocks, idx, vb)
		nr++;
	rcu_read_unlock();
	return nr;
}

/**
 * vm_unmap_aliases - flush every lazily kept kernel mapping from the TLB.
 *
 * After this, no TLB holds a translation of a vmalloc range that was
 * unmapped: neither a freed area waiting for a purge nor a vm_map_ram()
 * range. Needed before pages change their caching or permissions.
 *
 * Context: process context; sleeps.
 */
void vm_unmap_aliases(void)
{
	vmap_purge_aliases(ULONG_MAX, 0);
}
EXPORT_SYMBOL_GPL(vm_unmap_aliases);

/**
 * vmap_ram_init - set up the per-CPU lists of vm_map_ram() blocks.
 */
void __init vmap_ram_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct vmap_block_list *bl = per_cpu_ptr(&vmap_block_lists,
							 cpu);

		spin_lock_init(&bl->lock);
		INIT_LIST_HEAD(&bl->blocks);
	}
	register_vmap_purge_notifier(&vmap_ram_purge_nb);
}

/* ---- reading, for /proc/kcore ---- */

/**
 * vmap_zero_iter - write zeroes to an iterator without faulting.
 * @iter: the iterator.
 * @len: how many.
 *
 * Return: how many were written; short if @iter faulted.
 */
size_t vmap_zero_iter(struct iov_iter *iter, size_t len)
{
	size_t done = 0;

	while (done < len) {
		size_t n = min_t(size_t, len - done, PAGE_SIZE);
		size_t got = copy_page_to_iter_nofault(ZERO_PAGE(0), 0, n,
						       iter);

		done += got;
		if (got < n)
			break;
	}
	return done;
}

/* Copy [addr, addr + len), within one page, or zeroes if unmapped. */
static size_t copy_in_page(struct iov_iter *iter, unsigned long addr,
			   size_t len)
{
	struct page *page = vmalloc_to_page((void *)addr);

	if (!page)
		return vmap_zero_iter(iter, len);
	return copy_page_to_iter_nofault(page, offset_in_page(addr), len,
					 iter);
}

/* Copy what is mapped in [addr, addr + count); zeroes elsewhere. */
static size_t copy_mapped(struct iov_iter *iter, unsigned long addr,
			  size_t count, const unsigned long *mapped,
			  unsigned long base)
{
	size_t done = 0;

	while (done < count) {
		size_t len = min_t(size_t, count - done,
				   PAGE_SIZE - offset_in_page(addr));
		unsigned long page = (addr - base) >> PAGE_SHIFT;
		size_t got;

		if (!mapped || test_bit(page, mapped))
			got = copy_in_page(iter, addr, len);
		else
			got = vmap_zero_iter(iter, len);
		done += got;
		if (got < len)
			break;
		addr += len;
	}
	return done;
}

/**
 * vmap_ram_vread_iter - read a vm_map_ram() area for vread_iter().
 * @iter: where to copy to.
 * @addr: where to start reading, inside @va.
 * @count: how many bytes, not past the end of @va.
 * @va: a VMAP_AREA_RAM or VMAP_AREA_BLOCK area.
 *
 * Ranges of a block that are not mapped read as zeroes.
 *
 * Context: under the lock that keeps @va busy; does not sleep.
 * Return: the number of bytes copied; short if @iter faulted.
 */
size_t vmap_ram_vread_iter(struct iov_iter *iter, unsigned long addr,
			   size_t count, struct vmap_area *va)
{
	struct vmap_block *vb;
	size_t done;

	if (!(va->flags & VMAP_AREA_BLOCK))
		return copy_mapped(iter, addr, count, NULL, va->va_start);

	vb = xa_load(&vmap_blocks, block_index(va->va_start));
	if (!vb)
		return vmap_zero_iter(iter, count);
	spin_lock(&vb->lock);
	done = copy_mapped(iter, addr, count, vb->mapped, va->va_start);
	spin_unlock(&vb->lock);
	return done;
}

/**
 * vmap_copy_iter - copy a kernel virtual range to an iterator.
 * @iter: the iterator.
 * @addr: the start of the range.
 * @count: its length.
 *
 * Pages that are not mapped read as zeroes. Nothing faults.
 *
 * Return: how many bytes were written; short if @iter faulted.
 */
size_t vmap_copy_iter(struct iov_iter *iter, unsigned long addr, size_t count)
{
	return copy_mapped(iter, addr, count, NULL, addr);
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmalloc areas: where they come from, how they are found, how they go.
 *
 * An area is a struct vmap_area: a range of kernel virtual addresses that
 * is busy, with the vm_struct that describes what is mapped there, if any.
 * This file takes ranges from the address-space allocator (vmap_space.c),
 * indexes busy areas so that an address finds its area, and gives ranges
 * back lazily, in batches that share one TLB flush.
 *
 * Locks, from the outside in (no two of them are ever held together,
 * except a lazy list lock inside nothing and the purge mutex around the
 * others):
 *
 *  vmap_purge_mutex	one purge at a time; sleeps
 *  vmap_free_lock	the free address space; held only around a call
 *			into vmap_space.c, never while allocating
 *  shard->lock		one shard of the busy index
 *  lazy->lock		one CPU's list of areas waiting for a purge
 *
 * Allocating an area takes the free-space lock once and one shard lock
 * once. Freeing one takes a shard lock and the lazy lock of the freeing
 * CPU; the free-space lock is taken by the purge only, once per batch of
 * areas, not once per area.
 *
 * Busy index shards: the index is split into a power of 2 of shards, at
 * least one per possible CPU (up to VMAP_MAX_SHARDS), picked by hashing
 * the page number of the area's start. Lookups by start (vfree(),
 * vunmap()) ask one shard. Lookups by an address inside an area
 * (find_vmap_area(), rare) ask each shard in turn, and so does the
 * address-ordered walk of the readers (vmap_area_walk()).
 *
 * Lazy free: an area that is freed has its page tables cleared at once
 * but its TLB entries are left. It goes on the freeing CPU's lazy list
 * and its pages are added to vmap_lazy_pages; once that passes
 * vmap_lazy_max_pages(), a work item purges: one
 * flush_tlb_kernel_range() over the span of the whole batch, then the
 * ranges go back to the free space, a group at a time, with a
 * reschedule point between groups. An allocation that finds no room
 * purges at once and retries before it fails.
 */

#define pr_fmt(fmt) "vmalloc: " fmt

#include <linux/cpumask.h>
#include <linux/debugobjects.h>
#include <linux/hash.h>
#include <linux/init.h>
#include <linux/kasan.h>
#include <linux/kmemleak.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/stop_machine.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <asm/tlbflush.h>
#include <kunit/visibility.h>

#define CREATE_TRACE_POINTS
#include <trace/events/vmalloc.h>

#include "internal.h"
#include "vmap.h"

/* The allocator's view and ours must describe the same memory. */
static_assert(offsetof(struct vmap_area, va_start) ==
	      offsetof(struct vmap_range, start));
static_assert(offsetof(struct vmap_area, va_end) ==
	      offsetof(struct vmap_range, end));
static_assert(offsetof(struct vmap_area, rb_node) ==
	      offsetof(struct vmap_range, rb));
static_assert(offsetof(struct vmap_area, list) ==
	      offsetof(struct vmap_range, list));
static_assert(offsetof(struct vmap_area, subtree_max_size) ==
	      offsetof(struct vmap_range, largest));
static_assert(sizeof(struct vmap_range) <= sizeof(struct vmap_area));

#define VMAP_MAX_SHARDS		64
/* Ranges handed back to the free space per hold of its lock. */
#define VMAP_PURGE_GROUP	64

struct vmap_shard {
	spinlock_t lock;	/* guards @busy */
	struct vmap_busy busy;
} ____cacheline_aligned_in_smp;

struct vmap_lazy {
	spinlock_t lock;	/* guards @list */
	struct list_head list;
};

/* Areas of up to this many pages, guard included, are kept for reuse. */
#define VMAP_RECENT_PAGES	64
/*
 * At most this many of each size per CPU, and this many in all: deep
 * enough, on 64-bit, to keep most of what one purge gives back for a
 * workload of one size (a purge gives back up to vmap_lazy_max_pages(),
 * 8192 one-page areas and their guards with two CPUs); shallow where the
 * vmalloc range is small. The shrinker and a failing search empty them.
 */
#define VMAP_RECENT_DEPTH	(IS_ENABLED(CONFIG_64BIT) ? 2048 : 32)
#define VMAP_RECENT_MAX		(IS_ENABLED(CONFIG_64BIT) ? 4096 : 256)
/* How many of a size are looked at for one that fits a request. */
#define VMAP_RECENT_TRIES	4

/*
 * Ranges that a purge gave back, kept by the CPU that freed them for the
 * next allocation of the same size on that CPU, which then takes no
 * global lock and needs no new node. They are neither free nor busy;
 * vmap_recent_drain() gives them to the free space when room runs out or
 * memory is short.
 */
struct vmap_recent {
	spinlock_t lock;	/* guards the rest */
	unsigned int nr;
	unsigned short depth[VMAP_RECENT_PAGES];
	struct list_head by_pages[VMAP_RECENT_PAGES];
};

/* Lazily freed areas remember the CPU that freed them above the type. */
#define VMAP_AREA_TYPE		0xffUL
#define VMAP_AREA_CPU_SHIFT	8

static struct kmem_cache *vmap_area_cachep;

static struct vmap_space vmap_free_space;
static DEFINE_SPINLOCK(vmap_free_lock);
/* A node for a middle split, taken before and put back after the lock. */
static DEFINE_PER_CPU(struct vmap_range *, vmap_spare);

static struct vmap_shard vmap_shards[VMAP_MAX_SHARDS];
static unsigned int vmap_shard_bits __read_mostly;

static DEFINE_PER_CPU(struct vmap_lazy, vmap_lazy);
static DEFINE_PER_CPU(struct vmap_recent, vmap_recent);
static atomic_long_t vmap_lazy_pages;
/* An allocation that could not wait found no room: purge everything. */
static atomic_t vmap_purge_asked;
static DEFINE_MUTEX(vmap_purge_mutex);
static void vmap_purge_work_fn(struct work_struct *work);
static void purge(unsigned long start, unsigned long end, bool aliases,
		  bool keep);
static DECLARE_WORK(vmap_purge_work, vmap_purge_work_fn);

static BLOCKING_NOTIFIER_HEAD(purge_notifiers);

static bool vmap_ready __read_mostly;
static struct vm_struct *vmlist __initdata;

/* ---- nodes ---- */

static struct vmap_area *area_alloc_node(gfp_t gfp, int node)
{
	struct vmap_area *va = kmem_cache_alloc_node(vmap_area_cachep, gfp,
						     node);

	if (!va)
		return NULL;
	/*
	 * va_start is the address of the area, and a free extent's va_end
	 * may be the start of the next busy one: were they scanned, every
	 * vmalloc() area would be referenced by its own metadata and
	 * kmemleak would never report one leaked. Only the links are.
	 */
	kmemleak_scan_area(&va->rb_node, SIZE_MAX, gfp);
	va->flags = 0;
	return va;
}

static struct vmap_range *node_alloc(void *ctx, gfp_t gfp)
{
	struct vmap_area *va = area_alloc_node(gfp, NUMA_NO_NODE);

	return va ? va_range(va) : NULL;
}

static void node_free(void *ctx, struct vmap_range *r)
{
	kmem_cache_free(vmap_area_cachep, range_va(r));
}

static const struct vmap_node_ops vmap_node_ops = {
	.alloc = node_alloc,
	.free = node_free,
};

static struct vmap_area *new_area(gfp_t gfp)
{
	return range_va(vmap_space_node_alloc(&vmap_free_space, gfp));
}

/* ---- the busy index ---- */

static struct vmap_shard *shard_of(unsigned long start)
{
	return &vmap_shards[hash_long(start >> PAGE_SHIFT, vmap_shard_bits)];
}

static unsigned int nr_shards(void)
{
	return 1U << vmap_shard_bits;
}

static void index_area(struct vmap_area *va)
{
	struct vmap_shard *shard = shard_of(va->va_start);
	int err;

	spin_lock(&shard->lock);
	err = vmap_busy_insert(&shard->busy, va_range(va));
	spin_unlock(&shard->lock);
	WARN_ONCE(err, "vmalloc: [%lx, %lx) overlaps a busy area\n",
		  va->va_start, va->va_end);
}

/**
 * vmap_area_unindex - take an area out of the busy index.
 * @start: the address the area starts at; a KASAN tag is ignored.
 *
 * Context: any context that may take a spinlock.
 * Return: the area, now owned by the caller, or NULL if no busy area
 * starts at @start.
 */
struct vmap_area *vmap_area_unindex(unsigned long start)
{
	struct vmap_shard *shard;
	struct vmap_range *r;

	start = vmap_untag(start);
	shard = shard_of(start);
	spin_lock(&shard->lock);
	r = vmap_busy_lookup(&shard->busy, start);
	if (r)
		vmap_busy_erase(&shard->busy, r);
	spin_unlock(&shard->lock);
	return r ? range_va(r) : NULL;
}

/* Unindex the area at @start (untagged) only if it has a vm_struct. */
static struct vmap_area *unindex_vm(unsigned long start)
{
	struct vmap_shard *shard = shard_of(start);
	struct vmap_range *r;

	spin_lock(&shard->lock);
	r = vmap_busy_lookup(&shard->busy, start);
	if (r && range_va(r)->vm)
		vmap_busy_erase(&shard->busy, r);
	else
		r = NULL;
	spin_unlock(&shard->lock);
	return r ? range_va(r) : NULL;
}

/**
 * find_vmap_area - the busy area that contains an address.
 * @addr: any address; a KASAN tag is ignored.
 *
 * Nothing keeps the area alive after the return: the caller must know
 * that it stays busy (it owns it, or only compares addresses).
 *
 * Context: any context that may take a spinlock.
 * Return: the area, or NULL.
 */
struct vmap_area *find_vmap_area(unsigned long addr)
{
	struct vmap_range *r = NULL;
	unsigned int i;

	addr = vmap_untag(addr);
	for (i = 0; i < nr_shards() && !r; i++) {
		struct vmap_shard *shard = &vmap_shards[i];

		spin_lock(&shard->lock);
		r = vmap_busy_find(&shard->busy, addr);
		spin_unlock(&shard->lock);
	}
	return r ? range_va(r) : NULL;
}

/**
 * vmap_area_with - act on the busy area that contains an address.
 * @addr: any address; a KASAN tag is ignored.
 * @trylock: do not wait for a lock that is taken; act as if the area was
 *	not there (for callers that may already hold one).
 * @fn: called with the area, under the lock that keeps it busy; must not
 *	sleep.
 * @arg: passed to @fn.
 *
 * Context: any context that may take a spinlock.
 * Return: whether an area was found and @fn called.
 */
bool vmap_area_with(unsigned long addr, bool trylock,
		    void (*fn)(struct vmap_area *va, void *arg), void *arg)
{
	unsigned int i;

	addr = vmap_untag(addr);
	for (i = 0; i < nr_shards(); i++) {
		struct vmap_shard *shard = &vmap_shards[i];
		struct vmap_range *r;

		if (!trylock)
			spin_lock(&shard->lock);
		else if (!spin_trylock(&shard->lock))
			continue;
		r = vmap_busy_find(&shard->busy, addr);
		if (r)
			fn(range_va(r), arg);
		spin_unlock(&shard->lock);
		if (r)
			return true;
	}
	return false;
}

/* The shard whose next area from @addr starts lowest, or NULL. */
static struct vmap_shard *lowest_shard(unsigned long addr)
{
	struct vmap_shard *best = NULL;
	unsigned long best_start = ULONG_MAX;
	unsigned int i;

	for (i = 0; i < nr_shards(); i++) {
		struct vmap_shard *shard = &vmap_shards[i];
		struct vmap_range *r;

		spin_lock(&shard->lock);
		r = vmap_busy_seek(&shard->busy, addr);
		if (r && (!best || r->start < best_start)) {
			best = shard;
			best_start = r->start;
		}
		spin_unlock(&shard->lock);
	}
	return best;
}

/**
 * vmap_area_walk - visit the busy areas in address order.
 * @addr: where to start: the first area visited is the lowest one that
 *	ends above @addr; a KASAN tag is ignored.
 * @fn: called with each area, under the lock that keeps it busy; must not
 *	sleep; returns false to stop the walk.
 * @arg: passed to @fn.
 *
 * The shards are asked one at a time and no lock is held between two
 * calls of @fn, so an area that is added or removed meanwhile may be
 * missed or seen: good enough for the readers, which only ever report a
 * moment's picture.
 *
 * Context: any context that may take a spinlock.
 * Return: the number of areas visited.
 */
unsigned long vmap_area_walk(unsigned long addr,
			     bool (*fn)(struct vmap_area *va, void *arg),
			     void *arg)
{
	unsigned long nr = 0;
	struct vmap_shard *shard;

	addr = vmap_untag(addr);
	while ((shard = lowest_shard(addr))) {
		struct vmap_range *r;
		bool more = true;

		spin_lock(&shard->lock);
		r = vmap_busy_seek(&shard->busy, addr);
		if (r) {
			more = fn(range_va(r), arg);
			addr = r->end;
			nr++;
		}
		spin_unlock(&shard->lock);
		if (!more || !addr)
			break;
	}
	return nr;
}

/* ---- recently freed ranges ---- */

static bool va_fits(const struct vmap_area *va, unsigned long align,
		    unsigned long vstart, unsigned long vend)
{
	return va->va_start >= vstart && va->va_end <= vend &&
	       IS_ALIGNED(va->va_start, align);
}

/* A recently freed range of @size bytes on this CPU that fits, or NULL. */
static struct vmap_area *recent_take(unsigned long size, unsigned long align,
				     unsigned long vstart, unsigned long vend)
{
	unsigned long pages = size >> PAGE_SHIFT;
	struct vmap_area *va, *found = NULL;
	struct vmap_recent *rc;
	unsigned int tries = 0;

	if (pages > VMAP_RECENT_PAGES)
		return NULL;
	rc = raw_cpu_ptr(&vmap_recent);
	/* A racy peek: an empty list is not worth a lock. */
	if (!data_race(rc->depth[pages - 1]))
		return NULL;

	spin_lock(&rc->lock);
	list_for_each_entry(va, &rc->by_pages[pages - 1], list) {
		if (va_fits(va, align, vstart, vend)) {
			found = va;
			break;
		}
		if (++tries == VMAP_RECENT_TRIES)
			break;
	}
	if (found) {
		list_del_init(&found->list);
		rc->depth[pages - 1]--;
		rc->nr--;
	}
	spin_unlock(&rc->lock);
	return found;
}

/* Keep a purged @va for its CPU. Return: false if there is no room. */
static bool recent_put(struct vmap_area *va)
{
	unsigned long pages = va_size(va) >> PAGE_SHIFT;
	unsigned int cpu = va->flags >> VMAP_AREA_CPU_SHIFT;
	struct vmap_recent *rc;
	bool kept = false;

	if (pages > VMAP_RECENT_PAGES || cpu >= nr_cpu_ids)
		return false;
	/* Only the vmalloc range: smaller ones (modules) are not hoarded. */
	if (va->va_start < VMALLOC_START || va->va_end > VMALLOC_END)
		return false;
	rc = per_cpu_ptr(&vmap_recent, cpu);
	spin_lock(&rc->lock);
	if (rc->depth[pages - 1] < VMAP_RECENT_DEPTH &&
	    rc->nr < VMAP_RECENT_MAX) {
		list_add(&va->list, &rc->by_pages[pages - 1]);
		rc->depth[pages - 1]++;
		rc->nr++;
		kept = true;
	}
	spin_unlock(&rc->lock);
	return kept;
}

static void return_batch(struct list_head *batch);

/* Move up to @limit ranges kept in @rc to @batch, oldest first. */
static unsigned long recent_pull(struct vmap_recent *rc,
				 struct list_head *batch, unsigned long limit)
{
	unsigned long nr = 0;
	unsigned int i;

	spin_lock(&rc->lock);
	for (i = 0; i < VMAP_RECENT_PAGES && nr < limit; i++) {
		if (rc->depth[i] <= limit - nr) {
			nr += rc->depth[i];
			list_splice_tail_init(&rc->by_pages[i], batch);
			rc->depth[i] = 0;
			continue;
		}
		/* recent_put() adds at the head: the tail is the oldest. */
		for (; nr < limit; nr++) {
			list_move_tail(rc->by_pages[i].prev, batch);
			rc->depth[i]--;
		}
	}
	rc->nr -= nr;
	spin_unlock(&rc->lock);
	return nr;
}

/* Give up to @limit kept ranges back to the free space. */
static unsigned long recent_release(unsigned long limit)
{
	unsigned long nr = 0;
	LIST_HEAD(batch);
	int cpu;

	for_each_possible_cpu(cpu) {
		if (nr >= limit)
			break;
		nr += recent_pull(per_cpu_ptr(&vmap_recent, cpu), &batch,
				  limit - nr);
	}
	return_batch(&batch);
	return nr;
}

/**
 * vmap_recent_drain - give every kept range back to the free space.
 *
 * Context: process context; may sleep.
 * Return: the number of ranges given back.
 */
unsigned long vmap_recent_drain(void)
{
	return recent_release(ULONG_MAX);
}

static unsigned long recent_count(struct shrinker *shrink,
				  struct shrink_control *sc)
{
	unsigned long nr = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct vmap_recent *rc = per_cpu_ptr(&vmap_recent, cpu);

		/* An estimate is all a shrinker needs: no lock. */
		nr += data_race(rc->nr);
	}
	return nr ? nr : SHRINK_EMPTY;
}

static unsigned long recent_scan(struct shrinker *shrink,
				 struct shrink_control *sc)
{
	unsigned long nr = recent_release(sc->nr_to_scan);

	return nr ? nr : SHRINK_STOP;
}

static void __init recent_init(void)
{
	struct shrinker *shrinker;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct vmap_recent *rc = per_cpu_ptr(&vmap_recent, cpu);
		unsigned int i;

		spin_lock_init(&rc->lock);
		for (i = 0; i < VMAP_RECENT_PAGES; i++)
			INIT_LIST_HEAD(&rc->by_pages[i]);
	}
	shrinker = shrinker_alloc(0, "vmap-recent");
	if (shrinker) {
		shrinker->count_objects = recent_count;
		shrinker->scan_objects = recent_scan;
		shrinker->batch = 256;
		shrinker_register(shrinker);
	} else {
		pr_warn("no shrinker for recently freed ranges\n");
	}
}

/* ---- taking address space ---- */

static int take_space(const struct vmap_request *req, gfp_t gfp,
		      unsigned long *addr)
{
	struct vmap_range *spare = this_cpu_xchg(vmap_spare, NULL);
	int err;

	if (!spare)
		spare = vmap_space_node_alloc(&vmap_free_space, gfp);

	spin_lock(&vmap_free_lock);
	err = vmap_space_alloc(&vmap_free_space, req, &spare, addr);
	spin_unlock(&vmap_free_lock);

	if (spare) {
		spare = this_cpu_xchg(vmap_spare, spare);
		vmap_space_node_free(&vmap_free_space, spare);
	}
	return err;
}

static void give_space(struct vmap_area *va)
{
	int err;

	spin_lock(&vmap_free_lock);
	err = vmap_space_free(&vmap_free_space, va_range(va));
	spin_unlock(&vmap_free_lock);
	if (WARN_ONCE(err, "vmalloc: [%lx, %lx) freed twice\n",
		      va->va_start, va->va_end))
		kmem_cache_free(vmap_area_cachep, va);
}

/**
 * register_vmap_purge_notifier - be asked to free areas when space runs out.
 * @nb: the notifier; its callback adds the number of areas it freed to
 *	the unsigned long its last argument points to.
 *
 * Return: 0.
 */
int register_vmap_purge_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_register(&purge_notifiers, nb);
}
EXPORT_SYMBOL_GPL(register_vmap_purge_notifier);

/* Ask the purge notifiers to let go of areas. Return: whether one did. */
static bool notify_purge(void)
{
	unsigned long freed = 0;

	blocking_notifier_call_chain(&purge_notifiers, 0, &freed);
	return freed > 0;
}

/**
 * unregister_vmap_purge_notifier - stop being asked to free areas.
 * @nb: a notifier given to register_vmap_purge_notifier().
 *
 * Return: 0, or -ENOENT if @nb was not registered.
 */
int unregister_vmap_purge_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_unregister(&purge_notifiers, nb);
}
EXPORT_SYMBOL_GPL(unregister_vmap_purge_notifier);

/*
 * The purge runs in a work item, which CPUs busy allocating and freeing
 * can starve; meanwhile every allocation takes fresh address space, and
 * with KASAN fresh shadow pages. An allocation that may sleep and finds
 * twice the lazy limit waiting purges itself.
 */
static void throttle(gfp_t gfp)
{
	if (unlikely(atomic_long_read(&vmap_lazy_pages) >
		     2 * vmap_lazy_max_pages()) &&
	    gfpflags_allow_blocking(gfp))
		purge(ULONG_MAX, 0, false, true);
}

/* Find room for @req, purging and notifying when there is none. */
static int find_room(const struct vmap_request *req, gfp_t gfp,
		     unsigned long *addr)
{
	bool can_wait = gfpflags_allow_blocking(gfp);
	bool purged = false;
	int err;

	for (;;) {
		err = take_space(req, gfp, addr);
		if (err != -ENOSPC || !can_wait)
			break;
		if (!purged) {
			vmap_recent_drain();
			purge(ULONG_MAX, 0, false, false);
			/*
			 * A purge that began before ours kept what it freed
			 * in the caches, maybe after the drain above; ours
			 * waited for it to end, so this drain gets it all.
			 */
			vmap_recent_drain();
			purged = true;
		} else if (notify_purge()) {
			purged = false;
		} else {
			break;
		}
	}
	if (err == -ENOSPC && !can_wait) {
		/* Below the threshold too: someone needs the room now. */
		atomic_set(&vmap_purge_asked, 1);
		schedule_work(&vmap_purge_work);
	}
	return err;
}

/**
 * vmap_area_alloc - take a range of address space and make it a busy area.
 * @size: length in bytes, guard page included; a multiple of PAGE_SIZE.
 * @align: alignment of the start; a power of 2.
 * @vstart: lowest address the area may start at.
 * @vend: the area must end at or below this address.
 * @node: NUMA node for the metadata.
 * @gfp: how to allocate the metadata; GFP_NOWAIT and GFP_ATOMIC work too,
 *	but then lazily freed areas are not purged to make room.
 * @va_flags: VMAP_AREA_* flags to store in the area.
 * @vm: the vm_struct to link to the area, or NULL.
 *
 * The lowest range that fits is taken. The area is indexed, so
 * find_vmap_area() finds it, and its KASAN shadow is populated. With @vm,
 * vm->addr and vm->size are set.
 *
 * Return: the area, or an ERR_PTR: -EINVAL for a bad request, -EBUSY if
 * there is no room, -ENOMEM if memory for metadata ran out.
 */
struct vmap_area *vmap_area_alloc(unsigned long size, unsigned long align,
				  unsigned long vstart, unsigned long vend,
				  int node, gfp_t gfp, unsigned long va_flags,
				  struct vm_struct *vm)
{
	struct vmap_request req = {
		.size = size, .align = align, .lo = vstart, .hi = vend,
	};
	struct vmap_area *va;
	unsigned long addr = vend;
	int err;

	if (WARN_ON_ONCE(!size || !PAGE_ALIGNED(size) ||
			 !is_power_of_2(align)))
		return ERR_PTR(-EINVAL);
	if (unlikely(!vmap_ready))
		return ERR_PTR(-EBUSY);
	might_sleep_if(gfpflags_allow_blocking(gfp));

	gfp &= GFP_RECLAIM_MASK;
	va = recent_take(size, align, vstart, vend);
	if (va) {
		addr = va->va_start;
		trace_alloc_vmap_area(addr, size, align, vstart, vend, 0);
		goto found;
	}
	va = area_alloc_node(gfp, node);
	if (unlikely(!va))
		return ERR_PTR(-ENOMEM);

	throttle(gfp);
	err = find_room(&req, gfp, &addr);
	trace_alloc_vmap_area(addr, size, align, vstart, vend, err != 0);
	if (err) {
		kmem_cache_free(vmap_area_cachep, va);
		if (err == -ENOSPC && !(gfp & __GFP_NOWARN))
			pr_warn_ratelimited("no room for %lu bytes in [%#lx, %#lx)\n",
					    size, vstart, vend);
		return ERR_PTR(err == -ENOSPC ? -EBUSY : err);
	}

	va->va_start = addr;
	va->va_end = addr + size;
found:
	va->flags = va_flags;
	va->vm = vm;
	if (vm) {
		vm->addr = (void *)addr;
		vm->size = size;
	}
	index_area(va);

	err = kasan_populate_vmalloc(addr, size, gfp);
	if (err) {
		vmap_area_unindex(addr);
		give_space(va);
		return ERR_PTR(err);
	}
	return va;
}

/**
 * vmap_area_probe - where a request would be placed now.
 * @size: length in bytes; a multiple of PAGE_SIZE.
 * @align: alignment of the start; a power of 2.
 * @vstart: lowest address the range may start at.
 * @vend: the range must end at or below this address.
 * @addr: set to the start of a range that was free a moment ago.
 *
 * Nothing is kept: no area, no KASAN shadow. For callers that need
 * several ranges at fixed distances and claim them one by one with
 * vmap_area_alloc_at().
 *
 * Context: process context; may sleep.
 * Return: 0, -EBUSY if there is no room, -EINVAL, -ENOMEM.
 */
int vmap_area_probe(unsigned long size, unsigned long align,
		    unsigned long vstart, unsigned long vend,
		    unsigned long *addr)
{
	struct vmap_request req = {
		.size = size, .align = align, .lo = vstart, .hi = vend,
	};
	struct vmap_area *va;
	int err;

	if (WARN_ON_ONCE(!size || !PAGE_ALIGNED(size) ||
			 !is_power_of_2(align)))
		return -EINVAL;
	va = new_area(GFP_KERNEL);
	if (!va)
		return -ENOMEM;
	err = find_room(&req, GFP_KERNEL, addr);
	if (err) {
		kmem_cache_free(vmap_area_cachep, va);
		return err == -ENOSPC ? -EBUSY : err;
	}
	va->va_start = *addr;
	va->va_end = *addr + size;
	give_space(va);
	return 0;
}

/**
 * vmap_area_alloc_at - make a given range a busy area.
 * @start: first address of the range; page aligned.
 * @end: first address past it; page aligned.
 * @gfp: how to allocate the metadata.
 * @vm: the vm_struct to link to the area, or NULL.
 *
 * Like vmap_area_alloc(), for a caller that picked the range itself.
 *
 * Return: the area, or an ERR_PTR: -EBUSY if the range is not free as a
 * whole, -EINVAL for an empty or unaligned range, -ENOMEM.
 */
struct vmap_area *vmap_area_alloc_at(unsigned long start, unsigned long end,
				     gfp_t gfp, struct vm_struct *vm)
{
	struct vmap_range *spare = NULL;
	struct vmap_area *va;
	int err;

	if (WARN_ON_ONCE(start >= end || !PAGE_ALIGNED(start) ||
			 !PAGE_ALIGNED(end)))
		return ERR_PTR(-EINVAL);
	gfp &= GFP_RECLAIM_MASK;
	va = new_area(gfp);
	if (!va || vmap_space_preload(&vmap_free_space, &spare, gfp)) {
		vmap_space_node_free(&vmap_free_space, va_range(va));
		return ERR_PTR(-ENOMEM);
	}

	spin_lock(&vmap_free_lock);
	err = vmap_space_claim(&vmap_free_space, start, end, &spare);
	spin_unlock(&vmap_free_lock);
	vmap_space_node_free(&vmap_free_space, spare);
	if (err) {
		kmem_cache_free(vmap_area_cachep, va);
		return ERR_PTR(err == -ENOENT ? -EBUSY : err);
	}

	va->va_start = start;
	va->va_end = end;
	va->vm = vm;
	if (vm) {
		vm->addr = (void *)start;
		vm->size = end - start;
	}
	index_area(va);
	err = kasan_populate_vmalloc(start, end - start, gfp);
	if (err) {
		vmap_area_unindex(start);
		give_space(va);
		return ERR_PTR(err);
	}
	return va;
}

/**
 * vmap_area_discard - give back the range of an area that was never mapped.
 * @va: an area taken out of the busy index.
 *
 * Its KASAN shadow, populated when the area was made, is freed too.
 *
 * Context: process context.
 */
void vmap_area_discard(struct vmap_area *va)
{
	if (IS_ENABLED(CONFIG_KASAN_VMALLOC))
		kasan_release_vmalloc(va->va_start, va->va_end, va->va_start,
				      va->va_end, KASAN_VMALLOC_PAGE_RANGE |
				      KASAN_VMALLOC_TLB_FLUSH);
	give_space(va);
}

/* ---- lazy free and purge ---- */

/**
 * vmap_lazy_max_pages - how many freed pages may wait for a purge.
 *
 * 32 MiB more per doubling of the CPUs, but never more than a quarter of
 * the vmalloc range: on 32-bit kernels (about 120 MiB on i386) the CPUs'
 * share alone would let lazily freed areas take half the range or all
 * of it, and allocations would find it full long before the worker ran.
 *
 * Return: the threshold in pages.
 */
unsigned long vmap_lazy_max_pages(void)
{
	unsigned long cpus = (unsigned long)fls(num_online_cpus()) * SZ_32M;

	return min(cpus, (VMALLOC_END - VMALLOC_START) / 4) >> PAGE_SHIFT;
}

/**
 * vmap_area_free_lazy - free an area once the TLB has been flushed.
 * @va: an area taken out of the busy index.
 * @unmap: clear its page tables first.
 *
 * The range is not reused before a purge has flushed the TLB over it.
 *
 * Context: any context that may take a spinlock.
 */
void vmap_area_free_lazy(struct vmap_area *va, bool unmap)
{
	unsigned long start = va->va_start, end = va->va_end;
	unsigned long most = vmap_lazy_max_pages();
	struct vmap_lazy *lazy;
	long nr;

	if (unmap) {
		flush_cache_vunmap(start, end);
		vunmap_range_noflush(start, end);
		if (debug_pagealloc_enabled_static())
			flush_tlb_kernel_range(start, end);
	}

	lazy = raw_cpu_ptr(&vmap_lazy);
	va->flags = (va->flags & VMAP_AREA_TYPE) |
		    ((unsigned long)raw_smp_processor_id() << VMAP_AREA_CPU_SHIFT);
	spin_lock(&lazy->lock);
	list_add_tail(&va->list, &lazy->list);
	spin_unlock(&lazy->lock);

	nr = atomic_long_add_return((end - start) >> PAGE_SHIFT,
				    &vmap_lazy_pages);
	trace_free_vmap_area_noflush(start, nr, most);
	if (nr > most)
		schedule_work(&vmap_purge_work);
}

/* Move every CPU's lazy areas to @batch; return their span and count. */
static unsigned long collect_lazy(struct list_head *batch,
				  unsigned long *start, unsigned long *end,
				  unsigned long *pages)
{
	unsigned long nr = 0;
	struct vmap_area *va;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct vmap_lazy *lazy = per_cpu_ptr(&vmap_lazy, cpu);

		spin_lock(&lazy->lock);
		list_splice_tail_init(&lazy->list, batch);
		spin_unlock(&lazy->lock);
	}
	*pages = 0;
	list_for_each_entry(va, batch, list) {
		*start = min(*start, va->va_start);
		*end = max(*end, va->va_end);
		*pages += va_size(va) >> PAGE_SHIFT;
		nr++;
	}
	return nr;
}

static void release_shadow(struct list_head *batch, unsigned long start,
			   unsigned long end)
{
	struct vmap_area *va;
	unsigned int n = 0;

	if (!IS_ENABLED(CONFIG_KASAN_VMALLOC))
		return;
	list_for_each_entry(va, batch, list) {
		if (is_vmalloc_or_module_addr((void *)va->va_start))
			kasan_release_vmalloc(va->va_start, va->va_end,
					      va->va_start, va->va_end,
					      KASAN_VMALLOC_PAGE_RANGE);
		if (++n % VMAP_PURGE_GROUP == 0)
			cond_resched();
	}
	kasan_release_vmalloc(start, end, start, end, KASAN_VMALLOC_TLB_FLUSH);
}

/* Hand the ranges of @batch back, a group per hold of the lock. */
static void return_batch(struct list_head *batch)
{
	struct vmap_area *va, *next;
	unsigned int n = 0;
	int err;

	spin_lock(&vmap_free_lock);
	list_for_each_entry_safe(va, next, batch, list) {
		list_del_init(&va->list);
		err = vmap_space_free(&vmap_free_space, va_range(va));
		if (WARN_ONCE(err, "vmalloc: [%lx, %lx) freed twice\n",
			      va->va_start, va->va_end))
			kmem_cache_free(vmap_area_cachep, va);
		if (++n % VMAP_PURGE_GROUP == 0) {
			spin_unlock(&vmap_free_lock);
			cond_resched();
			spin_lock(&vmap_free_lock);
		}
	}
	spin_unlock(&vmap_free_lock);
}

/**
 * vmap_purge - flush the TLB and give back the lazily freed areas.
 * @start: start of an extra range to flush, ULONG_MAX for none.
 * @end: end of that range, 0 for none.
 * @aliases: flush the dirty ranges of vm_map_ram() blocks too.
 *
 * One TLB flush covers every lazily freed area, the extra range and the
 * blocks' dirty ranges.
 *
 * Context: process context; sleeps.
 */
void vmap_purge(unsigned long start, unsigned long end, bool aliases)
{
	purge(start, end, aliases, true);
}

/* Keep what fits in the per-CPU caches; return the rest to the tree. */
static void settle_batch(struct list_head *batch, bool keep)
{
	struct vmap_area *va, *next;
	LIST_HEAD(rest);

	list_for_each_entry_safe(va, next, batch, list) {
		list_del_init(&va->list);
		if (!keep || !recent_put(va))
			list_add_tail(&va->list, &rest);
	}
	return_batch(&rest);
}

static void purge(unsigned long start, unsigned long end, bool aliases,
		  bool keep)
{
	unsigned long pages, nr;
	LIST_HEAD(batch);

	if (unlikely(!vmap_ready))
		return;
	mutex_lock(&vmap_purge_mutex);
	/*
	 * The blocks forget their dirty ranges here, under the mutex: a
	 * vm_unmap_aliases() that finds nothing dirty must not return while
	 * another one still has to flush what it collected.
	 */
	if (aliases)
		vmap_ram_flush_dirty(&start, &end);
	nr = collect_lazy(&batch, &start, &end, &pages);
	if (nr || start < end)
		flush_tlb_kernel_range(start, end);
	if (aliases)
		vmap_ram_flushed();
	if (nr) {
		release_shadow(&batch, start, end);
		settle_batch(&batch, keep);
		atomic_long_sub(pages, &vmap_lazy_pages);
	}
	mutex_unlock(&vmap_purge_mutex);
	trace_purge_vmap_area_lazy(start, end, nr);
	if (IS_ENABLED(CONFIG_DEBUG_VMAP_SPACE) && nr) {
		int bad;

		spin_lock(&vmap_free_lock);
		bad = vmap_space_check(&vmap_free_space, NULL, 0, ULONG_MAX);
		spin_unlock(&vmap_free_lock);
		WARN_ON_ONCE(bad);
	}
}

static void vmap_purge_work_fn(struct work_struct *work)
{
	bool asked = atomic_xchg(&vmap_purge_asked, 0);

	if (asked ||
	    atomic_long_read(&vmap_lazy_pages) > vmap_lazy_max_pages())
		purge(ULONG_MAX, 0, false, !asked);
	/* The caches serve one CPU and size each: the tree serves all. */
	if (asked)
		vmap_recent_drain();
}

/**
 * vmap_lazy_walk - visit the lazily freed areas that wait for a purge.
 * @fn: called for each, under a spinlock.
 * @arg: passed to @fn.
 *
 * Context: process context; @fn must not sleep.
 * Return: the number of areas visited.
 */
unsigned long vmap_lazy_walk(void (*fn)(struct vmap_area *va, void *arg),
			     void *arg)
{
	unsigned long nr = 0;
	struct vmap_area *va;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct vmap_lazy *lazy = per_cpu_ptr(&vmap_lazy, cpu);

		spin_lock(&lazy->lock);
		list_for_each_entry(va, &lazy->list, list) {
			fn(va, arg);
			nr++;
		}
		spin_unlock(&lazy->lock);
	}
	return nr;
}

/* ---- the whole-structure check ---- */

#ifdef CONFIG_DEBUG_VMAP_SPACE
static unsigned long held_bytes(void)
{
	unsigned long bytes = 0;
	struct vmap_area *va;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct vmap_recent *rc = per_cpu_ptr(&vmap_recent, cpu);
		struct vmap_lazy *lazy = per_cpu_ptr(&vmap_lazy, cpu);
		unsigned int i;

		list_for_each_entry(va, &lazy->list, list)
			bytes += va_size(va);
		for (i = 0; i < VMAP_RECENT_PAGES; i++)
			list_for_each_entry(va, &rc->by_pages[i], list)
				bytes += va_size(va);
	}
	return bytes;
}

static int check_stopped(void *unused)
{
	struct vmap_busy *busy[VMAP_MAX_SHARDS];
	unsigned int i;

	for (i = 0; i < nr_shards(); i++)
		busy[i] = &vmap_shards[i].busy;
	return vmap_space_check(&vmap_free_space, busy, nr_shards(),
				held_bytes());
}

/**
 * vmap_area_check - check the free space, the busy index and what lies
 *	between them, all at one moment.
 *
 * Every other CPU is stopped meanwhile, so no lock is held anywhere; an
 * allocation preempted between taking its range and indexing it would
 * be reported, so call it only when vmalloc is otherwise idle (tests).
 *
 * Context: process context; sleeps.
 * Return: 0 or -EUCLEAN.
 */
int vmap_area_check(void)
{
	return stop_machine(check_stopped, NULL, NULL);
}
EXPORT_SYMBOL_IF_KUNIT(vmap_area_check);
#endif

/* ---- vm_struct areas ---- */

/**
 * vm_struct_alloc - allocate a zeroed vm_struct.
 * @gfp: allocation flags; only the reclaim modifiers are used.
 * @node: NUMA node.
 * @extra: room for this many page pointers after it.
 *
 * Return: the vm_struct, or NULL.
 */
struct vm_struct *vm_struct_alloc(gfp_t gfp, int node, unsigned int extra)
{
	return kzalloc_node(sizeof(struct vm_struct) +
			    extra * sizeof(struct page *),
			    gfp & GFP_RECLAIM_MASK, node);
}

/**
 * vm_struct_free - free a vm_struct from vm_struct_alloc().
 * @vm: the vm_struct, or NULL.
 */
void vm_struct_free(struct vm_struct *vm)
{
	kfree(vm);
}

/*
 * Address space an area of @mapped bytes takes: its guard page too; 0 if
 * that does not fit in an unsigned long.
 */
static unsigned long vm_span(unsigned long mapped, unsigned long flags)
{
	if (flags & VM_NO_GUARD)
		return mapped;
	return mapped > ULONG_MAX - PAGE_SIZE ? 0 : mapped + PAGE_SIZE;
}

/*
 * ioremap() areas start aligned to their size, up to IOREMAP_MAX_ORDER, so
 * that the largest leaf entries the range allows can map them.
 */
static unsigned long vm_start_align(unsigned long mapped, unsigned long align,
				    unsigned long flags)
{
	int order;

	if (!(flags & VM_IOREMAP))
		return align;
	order = get_count_order_long(mapped);
	return 1UL << clamp_t(int, order, PAGE_SHIFT, IOREMAP_MAX_ORDER);
}

/**
 * vm_area_get_node - reserve address space described by a new vm_struct.
 * @size: bytes the caller needs; rounded up to 1 << @shift.
 * @align: alignment of the start; a power of 2.
 * @shift: page shift the area will be mapped with.
 * @flags: VM_* flags; VM_IOREMAP raises the alignment with the size.
 * @start: lowest address the area may start at.
 * @end: the area must end at or below this address.
 * @node: NUMA node for the metadata.
 * @gfp: allocation flags for the metadata.
 * @caller: recorded for /proc/vmallocinfo.
 *
 * A guard page follows the area unless @flags has VM_NO_GUARD; vm->size
 * counts it. Nothing is mapped.
 *
 * Return: the vm_struct, or NULL.
 */
struct vm_struct *vm_area_get_node(unsigned long size, unsigned long align,
				   unsigned int shift, unsigned long flags,
				   unsigned long start, unsigned long end,
				   int node, gfp_t gfp, const void *caller)
{
	unsigned long mapped = ALIGN(size, 1UL << shift);
	struct vm_struct *vm;
	struct vmap_area *va;

	/* ALIGN() and the guard page may wrap a huge size around to 0. */
	if (WARN_ON_ONCE(in_interrupt()) || unlikely(mapped < size) ||
	    unlikely(!mapped || !vm_span(mapped, flags)))
		return NULL;
	vm = vm_struct_alloc(gfp, node,
			     vm_inline_count(flags, mapped >> PAGE_SHIFT));
	if (unlikely(!vm))
		return NULL;
	vm->flags = flags;
	vm->caller = caller;
	vm->requested_size = size;

	va = vmap_area_alloc(vm_span(mapped, flags),
			     vm_start_align(mapped, align, flags),
			     start, end, node, gfp, 0, vm);
	if (IS_ERR(va)) {
		vm_struct_free(vm);
		return NULL;
	}
	/* vmalloc() unpoisons its areas once their pages are mapped. */
	if (flags & VM_ALLOC)
		return vm;
	vm->addr = kasan_unpoison_vmalloc(vm->addr, size,
					  KASAN_VMALLOC_PROT_NORMAL);
	return vm;
}

/**
 * get_vm_area_caller - reserve address space, naming the caller.
 * @size: bytes needed.
 * @flags: VM_* flags.
 * @caller: recorded for /proc/vmallocinfo.
 *
 * Context: process context; may sleep.
 * Return: the area's vm_struct, or NULL.
 */
struct vm_struct *get_vm_area_caller(unsigned long size, unsigned long flags,
				     const void *caller)
{
	return vm_area_get_node(size, 1, PAGE_SHIFT, flags, VMALLOC_START,
				VMALLOC_END, NUMA_NO_NODE, GFP_KERNEL, caller);
}

/**
 * get_vm_area - reserve address space in the vmalloc range.
 * @size: bytes needed.
 * @flags: VM_* flags.
 *
 * Context: process context; may sleep.
 * Return: the area's vm_struct, or NULL.
 */
struct vm_struct *get_vm_area(unsigned long size, unsigned long flags)
{
	return get_vm_area_caller(size, flags, __builtin_return_address(0));
}

/**
 * __get_vm_area_caller - reserve address space in a given range.
 * @size: bytes needed.
 * @flags: VM_* flags.
 * @start: lowest address the area may start at.
 * @end: the area must end at or below this address.
 * @caller: recorded for /proc/vmallocinfo.
 *
 * Context: process context; may sleep.
 * Return: the area's vm_struct, or NULL.
 */
struct vm_struct *__get_vm_area_caller(unsigned long size, unsigned long flags,
				       unsigned long start, unsigned long end,
				       const void *caller)
{
	return vm_area_get_node(size, 1, PAGE_SHIFT, flags, start, end,
				NUMA_NO_NODE, GFP_KERNEL, caller);
}

/**
 * find_vm_area - the vm_struct of the area that contains an address.
 * @addr: any address; a KASAN tag is ignored.
 *
 * Return: the vm_struct, or NULL if @addr is in no area or in one without
 * a vm_struct (vm_map_ram()).
 */
struct vm_struct *find_vm_area(const void *addr)
{
	struct vmap_area *va = find_vmap_area((unsigned long)addr);

	return va ? va->vm : NULL;
}

/**
 * remove_vm_area - unmap an area and release its address space.
 * @addr: the start of the area; a KASAN tag is ignored.
 *
 * The page tables are cleared at once; the range is reused after the next
 * TLB flush. The pages and the vm_struct are left to the caller.
 *
 * Context: process context; may sleep.
 * Return: the area's vm_struct, or NULL if no area with one starts at
 * @addr.
 */
struct vm_struct *remove_vm_area(const void *addr)
{
	unsigned long start = vmap_untag((unsigned long)addr), len;
	struct vmap_area *va;
	struct vm_struct *vm;

	if (WARN(!PAGE_ALIGNED(start), "Trying to vfree() bad address (%p)\n",
		 addr))
		return NULL;
	might_sleep();
	va = unindex_vm(start);
	if (!va)
		return NULL;
	vm = va->vm;
	len = get_vm_area_size(vm);

	debug_check_no_locks_freed(vm->addr, len);
	debug_check_no_obj_freed(vm->addr, len);
	kasan_free_module_shadow(vm);
	kasan_poison_vmalloc(vm->addr, len);
	vmap_area_free_lazy(va, true);
	return vm;
}

/**
 * free_vm_area - unmap and free an area from get_vm_area() and friends.
 * @area: its vm_struct.
 *
 * The pages, if any, stay the caller's.
 */
void free_vm_area(struct vm_struct *area)
{
	struct vm_struct *vm = remove_vm_area(area->addr);

	if (WARN_ON_ONCE(vm != area))
		return;
	vm_struct_free(area);
}
EXPORT_SYMBOL_GPL(free_vm_area);

/* ---- areas set up before vmalloc ---- */

/**
 * vm_area_add_early - record an area that exists before vmalloc_init().
 * @vm: the area, with addr and size set.
 *
 * vmalloc_init() makes it a busy area. Areas must not overlap.
 *
 * Context: early boot, before vmalloc_init().
 */
void __init vm_area_add_early(struct vm_struct *vm)
{
	unsigned long start = (unsigned long)vm->addr;
	struct vm_struct **link = &vmlist;

	if (WARN_ON_ONCE(vmap_ready))
		return;
	while (*link && (unsigned long)(*link)->addr < start)
		link = &(*link)->next;
	if (*link)
		WARN_ON((unsigned long)(*link)->addr < start + vm->size);
	vm->next = *link;
	*link = vm;
}

/**
 * vm_area_register_early - place an early area in the vmalloc range.
 * @vm: the area, with size set; its addr is chosen here.
 * @align: alignment of the start.
 *
 * Takes the lowest aligned room between the areas recorded so far.
 *
 * Context: early boot, before vmalloc_init().
 */
void __init vm_area_register_early(struct vm_struct *vm, size_t align)
{
	unsigned long addr = ALIGN(VMALLOC_START, align);
	struct vm_struct *at;

	for (at = vmlist; at; at = at->next) {
		unsigned long at_start = (unsigned long)at->addr;

		if (at_start >= addr && at_start - addr >= vm->size)
			break;
		addr = max(addr, ALIGN(at_start + at->size, align));
	}
	if (WARN_ON(addr > VMALLOC_END - vm->size))
		return;
	vm->addr = (void *)addr;
	vm_area_add_early(vm);
	kasan_populate_early_vm_area_shadow(vm->addr, vm->size);
}

/* Make the early area @vm a busy area. */
static void __init adopt_early(struct vm_struct *vm)
{
	struct vmap_area *va = new_area(GFP_NOWAIT);

	if (WARN_ON_ONCE(!va))
		return;
	va->va_start = (unsigned long)vm->addr;
	va->va_end = va->va_start + vm->size;
	va->vm = vm;
	index_area(va);
}

/* Take an early area's range out of the free space, and index it. */
static void __init claim_early(struct vm_struct *vm)
{
	unsigned long start = (unsigned long)vm->addr;
	struct vmap_range *spare = NULL;

	if (vmap_space_preload(&vmap_free_space, &spare, GFP_NOWAIT) ||
	    vmap_space_claim(&vmap_free_space, start, start + vm->size,
			     &spare))
		pr_err("cannot claim the early area [%#lx, %#lx)\n",
		       start, start + vm->size);
	else
		adopt_early(vm);
	vmap_space_node_free(&vmap_free_space, spare);
}

static void __init add_free(unsigned long start, unsigned long end)
{
	struct vmap_range *spare = NULL;

	if (start >= end)
		return;
	if (vmap_space_preload(&vmap_free_space, &spare, GFP_NOWAIT) ||
	    vmap_space_add(&vmap_free_space, start, end, &spare))
		pr_err("cannot add [%#lx, %#lx) to the address space\n",
		       start, end);
	vmap_space_node_free(&vmap_free_space, spare);
}

static void __init init_shards(void)
{
	unsigned int nr = roundup_pow_of_two(num_possible_cpus());
	unsigned int i;

	/* hash_long() needs at least one bit: two shards even on one CPU. */
	vmap_shard_bits = ilog2(clamp(nr, 2U, (unsigned int)VMAP_MAX_SHARDS));
	for (i = 0; i < nr_shards(); i++) {
		spin_lock_init(&vmap_shards[i].lock);
		vmap_busy_init(&vmap_shards[i].busy);
	}
}

/**
 * vmalloc_init - set up vmalloc once the slab allocator works.
 *
 * Every address from the first page to the last one is free space except
 * the early areas: callers choose their own windows (modules, KASAN...).
 */
void __init vmalloc_init(void)
{
	struct vm_struct *vm;
	int cpu;

	vmap_area_cachep = KMEM_CACHE(vmap_area, SLAB_PANIC);
	if (vmap_space_init(&vmap_free_space, PAGE_SIZE, &vmap_node_ops, NULL))
		panic("vmalloc: cannot set up the address space\n");
	init_shards();
	for_each_possible_cpu(cpu) {
		struct vmap_lazy *lazy = per_cpu_ptr(&vmap_lazy, cpu);

		spin_lock_init(&lazy->lock);
		INIT_LIST_HEAD(&lazy->list);
	}
	recent_init();
	vmap_ram_init();
	vfree_deferred_init();

	/*
	 * The whole space, less the early areas (the kernel image on
	 * arm64): claimed from it, so that the space's total covers them.
	 */
	add_free(PAGE_SIZE, ULONG_MAX & PAGE_MASK);
	for (vm = vmlist; vm; vm = vm->next)
		claim_early(vm);
	vmap_ready = true;
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * The free side of vmalloc's address space: the locked allocator
 * (vmap_space.c) with its spare node, the purge notifiers, lazy freeing
 * and the purge, and the per-CPU caches of recently purged ranges with
 * their shrinker. Areas (vmap_area.c) take their ranges from here and
 * give them back here; Documentation/mm/vmalloc.rst tells the design.
 *
 * Locks: vmap_purge_mutex (one purge at a time; sleeps) may be held
 * around the others; vmap_free_lock, a lazy list's lock and a cache's
 * lock are each taken alone, never while allocating memory.
 */

#define pr_fmt(fmt) "vmalloc: " fmt

#include <linux/cpumask.h>
#include <linux/init.h>
#include <linux/kasan.h>
#include <linux/kmemleak.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <asm/tlbflush.h>

#define CREATE_TRACE_POINTS
#include <trace/events/vmalloc.h>

#include "internal.h"
#include "vmap.h"

/* Ranges handed back to the free space per hold of its lock. */
#define VMAP_PURGE_GROUP	64

/* One CPU's areas that wait for a purge. */
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

static DEFINE_PER_CPU(struct vmap_lazy, vmap_lazy);
static DEFINE_PER_CPU(struct vmap_recent, vmap_recent);
static atomic_long_t vmap_lazy_pages;
/* An allocation that could not wait found no room: purge everything. */
static atomic_t vmap_purge_asked;
static DEFINE_MUTEX(vmap_purge_mutex);
static BLOCKING_NOTIFIER_HEAD(purge_notifiers);
static bool vmap_free_ready __read_mostly;

/* ---- nodes ---- */

/**
 * vmap_area_new - allocate a struct vmap_area.
 * @gfp: allocation flags.
 * @node: NUMA node.
 *
 * Every node that the free space may keep (an area's, a spare) comes from
 * here, so that vmap_area_delete() and the free space can free either.
 *
 * Return: the area, with no range and no flags, or NULL.
 */
struct vmap_area *vmap_area_new(gfp_t gfp, int node)
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
	/*
	 * A node's last life may have left a vm_struct pointer here: to
	 * kmemleak, a second reference to whatever reuses that vm_struct.
	 */
	va->vm = NULL;
	va->flags = 0;
	return va;
}

/**
 * vmap_area_delete - free a struct vmap_area that holds no range.
 * @va: the area, or NULL.
 */
void vmap_area_delete(struct vmap_area *va)
{
	if (va)
		kmem_cache_free(vmap_area_cachep, va);
}

static struct vmap_range *space_node_alloc(void *ctx, gfp_t gfp)
{
	struct vmap_area *va = vmap_area_new(gfp, NUMA_NO_NODE);

	return va ? va_range(va) : NULL;
}

static void space_node_free(void *ctx, struct vmap_range *r)
{
	vmap_area_delete(range_va(r));
}

static const struct vmap_node_ops vmap_node_ops = {
	.alloc = space_node_alloc,
	.free = space_node_free,
};

/* ---- giving ranges back ---- */

/* Free @va's range, under vmap_free_lock. */
static void give_locked(struct vmap_area *va)
{
	int err = vmap_space_free(&vmap_free_space, va_range(va));

	if (WARN_ONCE(err, "vmalloc: [%lx, %lx) freed twice\n",
		      va->va_start, va->va_end))
		vmap_area_delete(va);
}

/**
 * vmap_free_give - give an area's range back to the free space at once.
 * @va: an area out of the busy index, whose range no TLB may still hold.
 *
 * @va itself becomes a node of the free space, or is freed.
 *
 * Context: any context that may take a spinlock.
 */
void vmap_free_give(struct vmap_area *va)
{
	spin_lock(&vmap_free_lock);
	give_locked(va);
	spin_unlock(&vmap_free_lock);
}

/* Hand the ranges of @batch back, a group per hold of the lock. */
static void give_batch(struct list_head *batch)
{
	struct vmap_area *va, *next;
	unsigned int n = 0;

	spin_lock(&vmap_free_lock);
	list_for_each_entry_safe(va, next, batch, list) {
		list_del_init(&va->list);
		give_locked(va);
		if (++n % VMAP_PURGE_GROUP == 0) {
			spin_unlock(&vmap_free_lock);
			cond_resched();
			spin_lock(&vmap_free_lock);
		}
	}
	spin_unlock(&vmap_free_lock);
}

/* ---- recently purged ranges, per CPU ---- */

static bool va_fits(const struct vmap_area *va, unsigned long align,
		    unsigned long vstart, unsigned long vend)
{
	return va->va_start >= vstart && va->va_end <= vend &&
	       IS_ALIGNED(va->va_start, align);
}

/**
 * vmap_recent_take - reuse a range that this CPU freed recently.
 * @size: length in bytes, guard included.
 * @align: alignment of the start.
 * @vstart: lowest address the range may start at.
 * @vend: the range must end at or below this address.
 *
 * Takes no global lock.
 *
 * Context: any context that may take a spinlock.
 * Return: an area out of every index, with its range set, or NULL.
 */
struct vmap_area *vmap_recent_take(unsigned long size, unsigned long align,
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
	give_batch(&batch);
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

/* ---- lazy free and purge ---- */

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

/* Where a purge puts the ranges it gives back. */
enum purge_to {
	PURGE_TO_CACHES,	/* the per-CPU caches first, then the tree */
	PURGE_TO_TREE,		/* all of them to the tree */
};

/* Keep what fits in the per-CPU caches; return the rest to the tree. */
static void settle_batch(struct list_head *batch, enum purge_to to)
{
	struct vmap_area *va, *next;
	LIST_HEAD(rest);

	list_for_each_entry_safe(va, next, batch, list) {
		list_del_init(&va->list);
		if (to == PURGE_TO_TREE || !recent_put(va))
			list_add_tail(&va->list, &rest);
	}
	give_batch(&rest);
}

static void check_free_space(void)
{
	int bad;

	spin_lock(&vmap_free_lock);
	bad = vmap_space_check(&vmap_free_space, NULL, 0, ULONG_MAX);
	spin_unlock(&vmap_free_lock);
	WARN_ON_ONCE(bad);
}

/*
 * Flush the TLB over every lazily freed area, [@start, @end) and what
 * @extra adds, then give the areas back. @extra's ranges are collected
 * under the mutex: a vm_unmap_aliases() that finds nothing dirty must not
 * return while another one still has to flush what it collected.
 */
static void purge(unsigned long start, unsigned long end,
		  const struct vmap_purge_extra *extra, enum purge_to to)
{
	unsigned long pages, nr;
	LIST_HEAD(batch);

	if (unlikely(!vmap_free_ready))
		return;
	mutex_lock(&vmap_purge_mutex);
	if (extra)
		extra->collect(&start, &end);
	nr = collect_lazy(&batch, &start, &end, &pages);
	if (nr || start < end)
		flush_tlb_kernel_range(start, end);
	if (extra)
		extra->flushed();
	if (nr) {
		release_shadow(&batch, start, end);
		settle_batch(&batch, to);
		atomic_long_sub(pages, &vmap_lazy_pages);
	}
	mutex_unlock(&vmap_purge_mutex);
	trace_purge_vmap_area_lazy(start, end, nr);
	if (IS_ENABLED(CONFIG_DEBUG_VMAP_SPACE) && nr)
		check_free_space();
}

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

static void purge_work_fn(struct work_struct *work)
{
	bool asked = atomic_xchg(&vmap_purge_asked, 0);

	if (asked)
		purge(ULONG_MAX, 0, NULL, PURGE_TO_TREE);
	else if (atomic_long_read(&vmap_lazy_pages) > vmap_lazy_max_pages())
		purge(ULONG_MAX, 0, NULL, PURGE_TO_CACHES);
	/* The caches serve one CPU and size each: the tree serves all. */
	if (asked)
		vmap_recent_drain();
}

static DECLARE_WORK(vmap_purge_work, purge_work_fn);

/**
 * vmap_purge - flush the TLB and give back the lazily freed areas.
 * @start: start of an extra range to flush, ULONG_MAX for none.
 * @end: end of that range, 0 for none.
 * @extra: more ranges to flush (the dirty ranges of vm_map_ram() blocks),
 *	or NULL.
 *
 * One TLB flush covers every lazily freed area, the extra range and what
 * @extra collects.
 *
 * Context: process context; sleeps.
 */
void vmap_purge(unsigned long start, unsigned long end,
		const struct vmap_purge_extra *extra)
{
	purge(start, end, extra, PURGE_TO_CACHES);
}

/**
 * vmap_area_free_lazy - give back an unmapped area after a TLB flush.
 * @va: an area out of the busy index, with no page table entries left.
 *
 * The range is not reused before a purge has flushed the TLB over it.
 *
 * Context: any context that may take a spinlock.
 */
void vmap_area_free_lazy(struct vmap_area *va)
{
	unsigned long start = va->va_start, pages = va_size(va) >> PAGE_SHIFT;
	unsigned long most = vmap_lazy_max_pages();
	struct vmap_lazy *lazy;
	long nr;

	lazy = raw_cpu_ptr(&vmap_lazy);
	/*
	 * The vm_struct is freed, and its memory reused: a pointer left on
	 * the lazy lists and in the caches would be, to kmemleak, a second
	 * reference to the next vm_struct there, and hide its area's leak.
	 */
	va->vm = NULL;
	va->flags = (va->flags & VMAP_AREA_TYPE) |
		    ((unsigned long)raw_smp_processor_id() << VMAP_AREA_CPU_SHIFT);
	spin_lock(&lazy->lock);
	list_add_tail(&va->list, &lazy->list);
	spin_unlock(&lazy->lock);

	/* From here on a purge may take @va: it is not read again. */
	nr = atomic_long_add_return(pages, &vmap_lazy_pages);
	trace_free_vmap_area_noflush(start, nr, most);
	if (nr > most)
		schedule_work(&vmap_purge_work);
}

/**
 * vmap_area_unmap_lazy - clear an area's page tables, then free it lazily.
 * @va: an area out of the busy index.
 *
 * Context: any context that may take a spinlock.
 */
void vmap_area_unmap_lazy(struct vmap_area *va)
{
	flush_cache_vunmap(va->va_start, va->va_end);
	vunmap_range_noflush(va->va_start, va->va_end);
	if (debug_pagealloc_enabled_static())
		flush_tlb_kernel_range(va->va_start, va->va_end);
	vmap_area_free_lazy(va);
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

/* ---- the purge notifiers ---- */

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

/* Ask the purge notifiers to let go of areas. Return: whether one did. */
static bool notify_purge(void)
{
	unsigned long freed = 0;

	blocking_notifier_call_chain(&purge_notifiers, 0, &freed);
	return freed > 0;
}

/* ---- taking ranges ---- */

/* One try at the tree, with this CPU's spare node for a middle split. */
static int take_once(const struct vmap_request *req, gfp_t gfp,
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
		purge(ULONG_MAX, 0, NULL, PURGE_TO_CACHES);
}

/*
 * kvfree_rcu() holds freed areas back for a grace period and then for a
 * batch: a loop of vmalloc() and kvfree_rcu() fills a 32-bit range with
 * them long before they come back. Waiting for them needs the scheduler,
 * which early boot lacks.
 */
static void wait_rcu_frees(void)
{
	if (system_state >= SYSTEM_SCHEDULING)
		kvfree_rcu_barrier();
}

/*
 * Make room, dearer each round: the caches and a purge; the areas that
 * kvfree_rcu() still holds, then a purge of them; then, while the purge
 * notifiers free something, a purge of what they freed.
 */
static bool make_room(unsigned int round)
{
	if (round == 1)
		wait_rcu_frees();
	else if (round > 1 && !notify_purge())
		return false;
	vmap_recent_drain();
	purge(ULONG_MAX, 0, NULL, PURGE_TO_TREE);
	/*
	 * A purge that began before ours kept what it freed in the caches,
	 * maybe after the drain above; ours waited for it to end, so this
	 * drain gets it all.
	 */
	vmap_recent_drain();
	return true;
}

/**
 * vmap_free_take - take a range from the free space.
 * @req: size, alignment and window.
 * @gfp: how to allocate a node; a caller that may sleep also purges,
 *	drains the caches, waits for kvfree_rcu() and asks the purge
 *	notifiers when there is no room, and tries again.
 * @addr: set to the start of the range.
 *
 * Context: as @gfp allows.
 * Return: 0, -ENOSPC if there is no room, -EINVAL, -ENOMEM.
 */
int vmap_free_take(const struct vmap_request *req, gfp_t gfp,
		   unsigned long *addr)
{
	bool can_wait = gfpflags_allow_blocking(gfp);
	unsigned int round = 0;
	int err;

	throttle(gfp);
	while ((err = take_once(req, gfp, addr)) == -ENOSPC && can_wait) {
		if (!make_room(round++))
			break;
	}
	if (err == -ENOSPC && !can_wait) {
		/* Below the threshold too: someone needs the room now. */
		atomic_set(&vmap_purge_asked, 1);
		schedule_work(&vmap_purge_work);
	}
	return err;
}

/**
 * vmap_free_claim - take a given range from the free space.
 * @start: first address of the range; page aligned.
 * @end: first address past it; page aligned.
 * @gfp: how to allocate the node a middle split needs.
 *
 * Context: as @gfp allows.
 * Return: 0, -ENOENT if the range is not free as a whole, -ENOMEM.
 */
int vmap_free_claim(unsigned long start, unsigned long end, gfp_t gfp)
{
	struct vmap_range *spare = NULL;
	int err;

	if (vmap_space_preload(&vmap_free_space, &spare, gfp))
		return -ENOMEM;
	spin_lock(&vmap_free_lock);
	err = vmap_space_claim(&vmap_free_space, start, end, &spare);
	spin_unlock(&vmap_free_lock);
	vmap_space_node_free(&vmap_free_space, spare);
	return err;
}

/* One spare node for each range of a set, chained on their lists. */
static int spares_get(struct list_head *spares, unsigned int nr)
{
	while (nr--) {
		struct vmap_range *node;

		node = vmap_space_node_alloc(&vmap_free_space, GFP_KERNEL);
		if (!node)
			return -ENOMEM;
		list_add(&node->list, spares);
	}
	return 0;
}

static void spares_put(struct list_head *spares)
{
	struct vmap_range *node, *next;

	list_for_each_entry_safe(node, next, spares, list)
		vmap_space_node_free(&vmap_free_space, node);
}

/* Claim range @i of @set at @base, with a spare from @spares. */
static int claim_member(const struct vmap_set *set, unsigned int i,
			unsigned long base, struct list_head *spares)
{
	unsigned long start = base + set->offsets[i];
	struct vmap_range *spare;
	int err;

	spare = list_first_entry_or_null(spares, struct vmap_range, list);
	if (spare)
		list_del(&spare->list);
	err = vmap_space_claim(&vmap_free_space, start, start + set->sizes[i],
			       &spare);
	/* Unused, or the node of an extent taken whole. */
	if (spare)
		list_add(&spare->list, spares);
	return err;
}

/* Place @set and claim every range of it, under one hold of the lock. */
static int claim_set_once(const struct vmap_set *set,
			  struct list_head *spares, unsigned long *base)
{
	unsigned int i;
	int err;

	spin_lock(&vmap_free_lock);
	err = vmap_space_place_set(&vmap_free_space, set, base);
	/*
	 * A claim cannot fail: each range was free a moment ago under this
	 * lock, no two overlap, and each has a spare for a middle split. If
	 * one did, the ranges claimed before it would stay out of use.
	 */
	for (i = 0; !err && i < set->nr; i++)
		if (WARN_ON_ONCE(claim_member(set, i, *base, spares)))
			err = -ENOMEM;
	spin_unlock(&vmap_free_lock);
	return err;
}

/**
 * vmap_free_claim_set - take ranges at fixed offsets from one base.
 * @set: offsets and sizes of the ranges, alignment of the base, window.
 * @base: set to the base: the highest at which every range is free.
 *
 * Each range needs only itself free, so the sets of successive calls
 * interleave downwards from the top of the window. With no room, purges
 * and tries again, as vmap_free_take() does.
 *
 * Context: process context; may sleep.
 * Return: 0, -EINVAL for a bad set, -ENOSPC, -ENOMEM.
 */
int vmap_free_claim_set(const struct vmap_set *set, unsigned long *base)
{
	LIST_HEAD(spares);
	unsigned int round = 0;
	int err;

	might_sleep();
	err = spares_get(&spares, set->nr);
	while (!err) {
		err = claim_set_once(set, &spares, base);
		if (err != -ENOSPC || !make_room(round++))
			break;
	}
	spares_put(&spares);
	return err;
}

/* ---- the whole-structure check ---- */

#ifdef CONFIG_DEBUG_VMAP_SPACE
/* Bytes neither free nor busy: on lazy lists and in the caches. */
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

/**
 * vmap_free_check - check the free space against the busy index.
 * @busy: the shards of the busy index.
 * @nr: how many.
 *
 * Context: every other CPU stopped (stop_machine()); takes no lock.
 * Return: 0 or -EUCLEAN.
 */
int vmap_free_check(struct vmap_busy **busy, unsigned int nr)
{
	return vmap_space_check(&vmap_free_space, busy, nr, held_bytes());
}
#endif

/* ---- set-up ---- */

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

/**
 * vmap_free_init - make every address from the first page to the last
 *	one free space.
 *
 * Callers choose their own windows (modules, KASAN...); early areas are
 * claimed from it afterwards, so that the space's total covers them.
 *
 * Context: early boot, once the slab allocator works.
 */
void __init vmap_free_init(void)
{
	unsigned long start = PAGE_SIZE, end = ULONG_MAX & PAGE_MASK;
	struct vmap_range *spare = NULL;
	int cpu;

	vmap_area_cachep = KMEM_CACHE(vmap_area, SLAB_PANIC);
	if (vmap_space_init(&vmap_free_space, PAGE_SIZE, &vmap_node_ops, NULL))
		panic("vmalloc: cannot set up the address space\n");
	for_each_possible_cpu(cpu) {
		struct vmap_lazy *lazy = per_cpu_ptr(&vmap_lazy, cpu);

		spin_lock_init(&lazy->lock);
		INIT_LIST_HEAD(&lazy->list);
	}
	recent_init();
	if (vmap_space_preload(&vmap_free_space, &spare, GFP_NOWAIT) ||
	    vmap_space_add(&vmap_free_space, start, end, &spare))
		panic("vmalloc: cannot add [%#lx, %#lx) to the address space\n",
		      start, end);
	vmap_space_node_free(&vmap_free_space, spare);
	vmap_free_ready = true;
}

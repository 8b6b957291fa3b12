// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmalloc areas: a struct vmap_area is a busy range of kernel virtual
 * addresses, with the vm_struct that describes what is mapped there, if
 * any. This file makes areas from the ranges of the free side
 * (vmap_free.c), indexes them in shards so that an address finds its
 * area, gives them back, and keeps the vm_struct API and the areas set up
 * before vmalloc. Documentation/mm/vmalloc.rst tells the design.
 *
 * Locks: a shard's lock guards that shard of the busy index; it is never
 * held together with another lock of vmalloc's.
 */

#define pr_fmt(fmt) "vmalloc: " fmt

#include <linux/debugobjects.h>
#include <linux/hash.h>
#include <linux/init.h>
#include <linux/kasan.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/stop_machine.h>
#include <linux/vmalloc.h>
#include <kunit/visibility.h>
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

struct vmap_shard {
	spinlock_t lock;	/* guards @busy */
	struct vmap_busy busy;
} ____cacheline_aligned_in_smp;

static struct vmap_shard vmap_shards[VMAP_MAX_SHARDS];
static unsigned int vmap_shard_bits __read_mostly;

static bool vmap_area_ready __read_mostly;
static struct vm_struct *vmlist __initdata;

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

/* The area of @shard that contains @addr (untagged), or NULL. */
static struct vmap_range *find_in(struct vmap_shard *shard, unsigned long addr)
{
	struct vmap_range *r;

	spin_lock(&shard->lock);
	r = vmap_busy_find(&shard->busy, addr);
	spin_unlock(&shard->lock);
	return r;
}

/**
 * find_vmap_area - the busy area that contains an address.
 * @addr: any address; a KASAN tag is ignored.
 *
 * The shard that an area starting at @addr's page would be in is asked
 * first: one lock round trip for the start of an area, the usual
 * question. An address inside an area may need every shard.
 *
 * Nothing keeps the area alive after the return: the caller must know
 * that it stays busy (it owns it, or only compares addresses).
 *
 * Context: any context that may take a spinlock.
 * Return: the area, or NULL.
 */
struct vmap_area *find_vmap_area(unsigned long addr)
{
	struct vmap_shard *first;
	struct vmap_range *r;
	unsigned int i;

	addr = vmap_untag(addr);
	first = shard_of(addr & PAGE_MASK);
	r = find_in(first, addr);
	for (i = 0; i < nr_shards() && !r; i++)
		if (&vmap_shards[i] != first)
			r = find_in(&vmap_shards[i], addr);
	return r ? range_va(r) : NULL;
}

/**
 * vmap_area_try_with - act on the busy area that contains an address,
 *	without waiting for a lock.
 * @addr: any address; a KASAN tag is ignored.
 * @fn: called with the area, under the lock that keeps it busy; must not
 *	sleep.
 * @arg: passed to @fn.
 *
 * A shard whose lock is taken is passed over, as if the area was not
 * there: for callers that may already hold one (the slab debugger).
 *
 * Context: any context that may take a spinlock.
 * Return: whether an area was found and @fn called.
 */
bool vmap_area_try_with(unsigned long addr,
			void (*fn)(struct vmap_area *va, void *arg), void *arg)
{
	unsigned int i;

	addr = vmap_untag(addr);
	for (i = 0; i < nr_shards(); i++) {
		struct vmap_shard *shard = &vmap_shards[i];
		struct vmap_range *r;

		if (!spin_trylock(&shard->lock))
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

#ifdef CONFIG_DEBUG_VMAP_SPACE
atomic_long_t vmap_walk_locks;

unsigned int vmap_area_nr_shards(void)
{
	return nr_shards();
}
#endif

/* One more shard lock hold by a walk. */
static void count_walk_lock(void)
{
	if (IS_ENABLED(CONFIG_DEBUG_VMAP_SPACE))
		atomic_long_inc(&vmap_walk_locks);
}

/* Where the first area of @shard that ends above @addr starts. */
static unsigned long next_start(struct vmap_shard *shard, unsigned long addr)
{
	struct vmap_range *r = vmap_busy_seek(&shard->busy, addr);

	return r ? r->start : ULONG_MAX;
}

/*
 * The shard whose next area, as last seen, starts lowest, and in *@then
 * where the next area of any other shard starts. Return: nr_shards() if
 * every shard is done.
 */
static unsigned int lowest_next(const unsigned long *next,
				unsigned long *then)
{
	unsigned int i, best = nr_shards();

	*then = ULONG_MAX;
	for (i = 0; i < nr_shards(); i++) {
		if (best == nr_shards() || next[i] < next[best]) {
			if (best != nr_shards())
				*then = next[best];
			best = i;
		} else {
			*then = min(*then, next[i]);
		}
	}
	return next[best] == ULONG_MAX ? nr_shards() : best;
}

/*
 * Visit the next area of @shard, from @addr, if it still starts at or
 * below @then, the next start of every other shard. Set *@next to where
 * the shard's next area starts now, and say whether the walk goes on.
 */
static bool walk_shard(struct vmap_shard *shard, unsigned long *addr,
		       unsigned long then, unsigned long *next,
		       bool (*fn)(struct vmap_area *va, void *arg), void *arg,
		       unsigned long *nr)
{
	struct vmap_range *r;
	bool more = true;

	count_walk_lock();
	spin_lock(&shard->lock);
	r = vmap_busy_seek(&shard->busy, *addr);
	if (r && r->start <= then) {
		more = fn(range_va(r), arg);
		(*nr)++;
		*addr = r->end;
		r = *addr ? vmap_busy_seek(&shard->busy, *addr) : NULL;
	}
	*next = r ? r->start : ULONG_MAX;
	spin_unlock(&shard->lock);
	return more && *addr;
}

/**
 * vmap_area_walk - visit the busy areas in address order.
 * @addr: where to start: the first area visited is the lowest one that
 *	ends above @addr; a KASAN tag is ignored.
 * @fn: called with each area, under the lock that keeps it busy; must not
 *	sleep; returns false to stop the walk.
 * @arg: passed to @fn.
 *
 * Each shard is asked once where its next area starts; then the shard
 * whose next area is lowest is visited, and asked again in the same hold
 * of its lock: one lock round trip per area, and one per shard. An answer
 * gone stale by the visit (the area was freed) costs one more. No lock
 * is held between two calls of @fn, so an area that is added or removed
 * meanwhile may be missed or seen: good enough for the readers, which
 * only ever report a moment's picture.
 *
 * Context: any context that may take a spinlock.
 * Return: the number of areas visited.
 */
unsigned long vmap_area_walk(unsigned long addr,
			     bool (*fn)(struct vmap_area *va, void *arg),
			     void *arg)
{
	unsigned long next[VMAP_MAX_SHARDS], then, nr = 0;
	unsigned int i;

	addr = vmap_untag(addr);
	for (i = 0; i < nr_shards(); i++) {
		count_walk_lock();
		spin_lock(&vmap_shards[i].lock);
		next[i] = next_start(&vmap_shards[i], addr);
		spin_unlock(&vmap_shards[i].lock);
	}
	while ((i = lowest_next(next, &then)) < nr_shards()) {
		if (!walk_shard(&vmap_shards[i], &addr, then, &next[i], fn,
				arg, &nr))
			break;
	}
	return nr;
}

/* ---- making and unmaking areas ---- */

static bool request_valid(unsigned long size, unsigned long align)
{
	return !WARN_ON_ONCE(!size || !PAGE_ALIGNED(size) ||
			     !is_power_of_2(align));
}

/* Index @va at [@start, @start + @size) with @vm, and give it a shadow. */
static int area_publish(struct vmap_area *va, unsigned long start,
			unsigned long size, struct vm_struct *vm, gfp_t gfp)
{
	int err;

	va->va_start = start;
	va->va_end = start + size;
	va->vm = vm;
	if (vm) {
		vm->addr = (void *)start;
		vm->size = size;
	}
	index_area(va);
	err = kasan_populate_vmalloc(start, size, gfp);
	if (err) {
		vmap_area_unindex(start);
		vmap_free_give(va);
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
 * The lowest range that fits is taken, or one that this CPU freed
 * recently. The area is indexed, so find_vmap_area() finds it, and its
 * KASAN shadow is populated. With @vm, vm->addr and vm->size are set.
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

	if (!request_valid(size, align))
		return ERR_PTR(-EINVAL);
	if (unlikely(!vmap_area_ready))
		return ERR_PTR(-EBUSY);
	might_sleep_if(gfpflags_allow_blocking(gfp));

	gfp &= GFP_RECLAIM_MASK;
	va = vmap_recent_take(size, align, vstart, vend);
	if (va) {
		addr = va->va_start;
		trace_alloc_vmap_area(addr, size, align, vstart, vend, 0);
		goto found;
	}
	va = vmap_area_new(gfp, node);
	if (unlikely(!va))
		return ERR_PTR(-ENOMEM);

	err = vmap_free_take(&req, gfp, &addr);
	trace_alloc_vmap_area(addr, size, align, vstart, vend, err != 0);
	if (err) {
		vmap_area_delete(va);
		if (err == -ENOSPC && !(gfp & __GFP_NOWARN))
			pr_warn_ratelimited("no room for %lu bytes in [%#lx, %#lx)\n",
					    size, vstart, vend);
		return ERR_PTR(err == -ENOSPC ? -EBUSY : err);
	}
found:
	va->flags = va_flags;
	err = area_publish(va, addr, size, vm, gfp);
	return err ? ERR_PTR(err) : va;
}

/* New areas for every range of a set; all or none. */
static int areas_new(struct vmap_area **vas, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		vas[i] = vmap_area_new(GFP_KERNEL, NUMA_NO_NODE);
		if (!vas[i]) {
			while (i--)
				vmap_area_delete(vas[i]);
			return -ENOMEM;
		}
	}
	return 0;
}

/*
 * Publish the areas of @set claimed at @base, with their vm_structs; all
 * or none. Return: 0, or the error of the first that failed.
 */
static int areas_publish(const struct vmap_set *set, unsigned long base,
			 struct vm_struct **vms, struct vmap_area **vas)
{
	unsigned int i, j;
	int err = 0;

	for (i = 0; i < set->nr; i++) {
		err = area_publish(vas[i], base + set->offsets[i],
				   set->sizes[i], vms[i], GFP_KERNEL);
		if (err)
			break;
	}
	if (!err)
		return 0;
	/* vas[i] gave its range back itself. */
	for (j = 0; j < i; j++) {
		vmap_area_unindex(vas[j]->va_start);
		vmap_area_discard(vas[j]);
	}
	for (j = i + 1; j < set->nr; j++) {
		vas[j]->va_start = base + set->offsets[j];
		vas[j]->va_end = vas[j]->va_start + set->sizes[j];
		vmap_free_give(vas[j]);
	}
	return err;
}

/**
 * vmap_area_alloc_set - busy areas at fixed offsets from one base.
 * @set: offsets and sizes of the areas, alignment of the base, window.
 * @vms: one vm_struct for each area, linked to it.
 * @vas: set to the areas.
 *
 * The base is the highest at which every area fits (see
 * vmap_free_claim_set()). Each area is indexed and has its KASAN shadow,
 * as from vmap_area_alloc(); the gaps between them stay free.
 *
 * Context: process context; may sleep.
 * Return: 0, -EINVAL for a bad set, -EBUSY if there is no room, -ENOMEM.
 */
int vmap_area_alloc_set(const struct vmap_set *set, struct vm_struct **vms,
			struct vmap_area **vas)
{
	unsigned long base;
	unsigned int i;
	int err;

	if (unlikely(!vmap_area_ready))
		return -EBUSY;
	err = areas_new(vas, set->nr);
	if (err)
		return err;
	err = vmap_free_claim_set(set, &base);
	if (err) {
		for (i = 0; i < set->nr; i++)
			vmap_area_delete(vas[i]);
		return err == -ENOSPC ? -EBUSY : err;
	}
	return areas_publish(set, base, vms, vas);
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
	vmap_free_give(va);
}

/* ---- the whole-structure check ---- */

#ifdef CONFIG_DEBUG_VMAP_SPACE
static int check_stopped(void *unused)
{
	struct vmap_busy *busy[VMAP_MAX_SHARDS];
	unsigned int i;

	for (i = 0; i < nr_shards(); i++)
		busy[i] = &vmap_shards[i].busy;
	return vmap_free_check(busy, nr_shards());
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
	vmap_area_unmap_lazy(va);
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

	if (WARN_ON_ONCE(vmap_area_ready))
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

/* Take an early area's range out of the free space, and index it. */
static void __init adopt_early(struct vm_struct *vm)
{
	unsigned long start = (unsigned long)vm->addr;
	struct vmap_area *va = vmap_area_new(GFP_NOWAIT, NUMA_NO_NODE);

	if (!va || vmap_free_claim(start, start + vm->size, GFP_NOWAIT)) {
		pr_err("cannot claim the early area [%#lx, %#lx)\n",
		       start, start + vm->size);
		vmap_area_delete(va);
		return;
	}
	va->va_start = start;
	va->va_end = start + vm->size;
	va->vm = vm;
	index_area(va);
}

/**
 * vmap_area_init - set up the busy index and adopt the early areas.
 *
 * Context: early boot, after vmap_free_init().
 */
void __init vmap_area_init(void)
{
	unsigned int nr = roundup_pow_of_two(num_possible_cpus());
	struct vm_struct *vm;
	unsigned int i;

	/* hash_long() needs at least one bit: two shards even on one CPU. */
	vmap_shard_bits = ilog2(clamp(nr, 2U, (unsigned int)VMAP_MAX_SHARDS));
	for (i = 0; i < nr_shards(); i++) {
		spin_lock_init(&vmap_shards[i].lock);
		vmap_busy_init(&vmap_shards[i].busy);
	}
	for (vm = vmlist; vm; vm = vm->next)
		adopt_early(vm);
	vmap_area_ready = true;
}

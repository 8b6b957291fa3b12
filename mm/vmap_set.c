// SPDX-License-Identifier: GPL-2.0-only
/*
 * Placing a set of extents at fixed offsets from one base (struct
 * vmap_set): the congruent areas of percpu, one per group of CPUs.
 *
 * Where vmap_space.c gives a single request the lowest place that holds
 * it, a set goes at the highest base at which every extent is free, found
 * by the mirror image of the same walk of the free tree; sets placed one
 * after another thus interleave downwards from the top of the window.
 * This file only finds the base: the caller claims each extent there with
 * vmap_space_claim(), under the same hold of its lock.
 */

#include "vmap_space_internal.h"
#include "vmap_tree.h"
#include "vmap_set.h"

/*
 * A place for one extent of a set, searched from the top: @size bytes at
 * a start congruent to @phase modulo @align, inside [@lo, @hi).
 */
struct set_slot {
	unsigned long size;
	unsigned long align;
	unsigned long phase;
	unsigned long lo;
	unsigned long hi;
};

/* Does free extent @r hold @q? If so, say at which highest address. */
static bool holds_high(const struct vmap_range *r, const struct set_slot *q,
		       unsigned long *addr)
{
	unsigned long lo = max(r->start, q->lo);
	unsigned long hi = min(r->end, q->hi);
	unsigned long last, at;

	if (lo >= hi || hi - lo < q->size)
		return false;
	last = hi - q->size;
	at = last - ((last - q->phase) & (q->align - 1));
	if (at > last || at < lo)
		return false;
	*addr = at;
	return true;
}

/*
 * The highest free extent that holds @q, by the mirror image of the walk
 * in vmap_space.c's seek_fit(): right subtree, node, left subtree,
 * skipping every subtree whose extents are all shorter than @q->size or
 * lie outside the window.
 * Extents long enough that miss the phase are visited one by one.
 */
static struct vmap_range *seek_fit_high(const struct vmap_space *vs,
					const struct set_slot *q,
					unsigned long *addr)
{
	struct rb_node *n = vs->free.rb_node;
	enum walk_step how = FROM_ABOVE;

	while (n) {
		struct vmap_range *r = to_range(n);

		if (how == FROM_ABOVE) {
			if (r->largest < q->size) {
				n = climb(n, &how);
				continue;
			}
			/* Extents on the right start at or above r->end. */
			if (r->end < q->hi &&
			    subtree_largest(n->rb_right) >= q->size) {
				n = n->rb_right;
				continue;
			}
			how = FROM_RIGHT;
		}
		if (how == FROM_RIGHT) {
			/* In reverse address order, all that is left is too low. */
			if (r->end <= q->lo)
				return NULL;
			if (extent_len(r) >= q->size && holds_high(r, q, addr))
				return r;
			if (r->start > q->lo &&
			    subtree_largest(n->rb_left) >= q->size) {
				n = n->rb_left;
				how = FROM_ABOVE;
				continue;
			}
		}
		/* Arrived from the left: this node and its right are done. */
		n = climb(n, &how);
	}
	return NULL;
}

/*
 * Check @set and find its bounds: the highest base the window allows in
 * *@top and the lowest in *@floor. Return: 0, -EINVAL, or -ENOSPC when
 * the window is too small for the set.
 */
static int set_bounds(const struct vmap_space *vs, const struct vmap_set *set,
		      unsigned long *top, unsigned long *floor)
{
	unsigned long first = ULONG_MAX, last = 0, mask = vs->granule - 1;
	unsigned int i, j;

	if (!set->nr || !is_power_of_2(set->align) || set->lo >= set->hi)
		return -EINVAL;
	for (i = 0; i < set->nr; i++) {
		unsigned long off = set->offsets[i], len = set->sizes[i];

		if (!len || (off & mask) || (len & mask) || off + len < off)
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (off < set->offsets[j] + set->sizes[j] &&
			    set->offsets[j] < off + len)
				return -EINVAL;
		first = min(first, off);
		last = max(last, off + len);
	}
	if (last - first > set->hi - set->lo || last > set->hi)
		return -ENOSPC;
	*top = (set->hi - last) & ~(set->align - 1);
	*floor = set->lo > first ? set->lo - first : 0;
	return *top >= *floor ? 0 : -ENOSPC;
}

/* Is extent @i of @set free at base @base? */
static bool set_member_free(const struct vmap_space *vs,
			    const struct vmap_set *set, unsigned int i,
			    unsigned long base)
{
	unsigned long start = base + set->offsets[i];
	const struct vmap_range *r = free_at(vs, start);

	return r && start + set->sizes[i] <= r->end;
}

/*
 * Lower *@base to the highest one, at or above @floor, at which extent @i
 * of @set is free. Return: false if there is none.
 */
static bool set_lower_base(const struct vmap_space *vs,
			   const struct vmap_set *set, unsigned int i,
			   unsigned long floor, unsigned long *base)
{
	unsigned long off = set->offsets[i], at;
	struct set_slot q = {
		.size = set->sizes[i],
		.align = set->align,
		.phase = off,
		.lo = floor + off,
		.hi = *base + off + set->sizes[i],
	};

	if (!seek_fit_high(vs, &q, &at))
		return false;
	*base = at - off;
	return true;
}

/**
 * vmap_space_place_set - the highest base at which a whole set is free.
 * @vs: the space.
 * @set: the extents, their offsets from the base, alignment and window.
 * @base: set to the base on success.
 *
 * For congruent areas (the chunks of the percpu allocator, one extent per
 * group of CPUs): each extent only needs its own range free, so sets
 * placed one after another interleave downwards from the top of the
 * window. Nothing is taken: the caller claims each extent at *@base +
 * offset with vmap_space_claim() under the same hold of the lock.
 *
 * Each extent in turn that is not free at the current base lowers the
 * base to the highest at which that extent is free, until every extent
 * is. The base never passes the highest one that fits, and each extent
 * moves to a lower free extent at every step, so the worst case is
 * O(nr * n) steps for n free extents, and the usual one (every extent
 * free at the first base, or after one step each) O(nr * log n).
 *
 * Context: under the space lock; does not sleep or allocate.
 * Return: 0; -EINVAL for a bad set (no extent, an empty, overlapping,
 * unaligned or wrapping one, alignment not a power of 2, empty window);
 * -ENOSPC if no base fits. On error *@base is not written.
 */
int vmap_space_place_set(const struct vmap_space *vs,
			 const struct vmap_set *set, unsigned long *base)
{
	unsigned long at, floor;
	unsigned int i = 0, settled = 0;
	int err = set_bounds(vs, set, &at, &floor);

	if (err)
		return err;
	while (settled < set->nr) {
		if (set_member_free(vs, set, i, at))
			settled++;
		else if (set_lower_base(vs, set, i, floor, &at))
			settled = 1;
		else
			return -ENOSPC;
		i = (i + 1) % set->nr;
	}
	*base = at;
	return 0;
}

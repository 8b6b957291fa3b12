// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel virtual address space allocator of vmalloc.
 *
 * This file knows nothing of pages or page tables. It hands out and takes
 * back extents [start, end) of an address space made of one or more ranges
 * added at set-up; the holes between those ranges are never handed out.
 *
 * Data structures
 * ---------------
 * Free space is a red-black tree of extents sorted by address (struct
 * vmap_space). Each node also records the length of the largest extent in
 * its subtree, so that a whole subtree is skipped when it cannot hold the
 * request. Free extents never touch: an extent that becomes free is glued
 * to a free neighbour instead of being inserted beside it.
 *
 * An allocation asks for a size, a power-of-2 alignment and a window
 * [lo, hi). It gets the lowest aligned address in the lowest free extent
 * that holds it, looking first only at extents that are "sure": long
 * enough to hold the request wherever they lie (size plus the worst
 * alignment padding, align - granule, where every extent bound is a
 * multiple of the granule). The search walks the tree in address order,
 * skipping every subtree whose largest extent is not sure or which lies
 * outside the window; a sure extent holds the request unless the window
 * cuts it, which only the O(log n) extents on the window's edges can be,
 * so the search is O(log n). When no sure extent holds the request, a
 * second walk takes the lowest extent that holds it at all, so an
 * allocation fails only when nothing in the window can hold it; that walk
 * also visits every extent that is long enough for the size but misses
 * the alignment, and is only needed when the window is nearly full. For
 * alignments up to the granule, sure means long enough, and the answer is
 * the lowest fitting address of the whole window.
 *
 * The extent found is cut in one of four ways (enum vmap_cut): taken whole
 * (its node leaves the tree), cut at its left or right edge (its node
 * shrinks in place), or split in the middle, which needs a second node
 * for the right part. That node, the spare, is allocated by the caller
 * before it takes the lock (vmap_space_preload()); without one the middle
 * split fails with -ENOMEM and nothing changes. Nothing in this file
 * allocates memory while the tree is being changed.
 *
 * Freeing takes the node that described the busy extent and either glues
 * it to its left or right free neighbour, glues both neighbours together
 * through it, or inserts it (enum vmap_merge). Freeing never needs a new
 * node.
 *
 * Locking
 * -------
 * This file takes no lock. The caller serialises all calls that touch a
 * struct vmap_space (everything except vmap_space_node_alloc() and
 * vmap_space_preload(), which touch nothing shared). No function here
 * sleeps or allocates; the node release hook is called under the caller's
 * lock.
 *
 * How vmalloc uses it (one spinlock around the free space, a per-CPU
 * spare, lazy freeing and per-CPU caches of purged ranges) is told in
 * Documentation/mm/vmalloc.rst.
 */

#include "vmap_space_internal.h"
#include "vmap_tree.h"

RB_DECLARE_CALLBACKS_MAX(static, largest_cb, struct vmap_range, rb,
			 unsigned long, largest, extent_len)

/* ---- nodes ---- */

static void release(struct vmap_space *vs, struct vmap_range *r)
{
	if (vs->ops)
		vs->ops->free(vs->ops_ctx, r);
	else
		kmem_cache_free(vs->cache, r);
}

/* Give a node that left the tree to the caller's empty spare slot. */
static void recycle(struct vmap_space *vs, struct vmap_range *r,
		    struct vmap_range **spare)
{
	if (spare && !*spare)
		*spare = r;
	else
		release(vs, r);
}

/* Take the spare, if the caller has one. */
static struct vmap_range *take_spare(struct vmap_range **spare)
{
	struct vmap_range *r = spare ? *spare : NULL;

	if (r)
		*spare = NULL;
	return r;
}

/* ---- the free tree ---- */

/* Insert @r by address; it must not overlap or touch any free extent. */
static void link_free(struct vmap_space *vs, struct vmap_range *r)
{
	struct rb_node **slot = &vs->free.rb_node;
	struct rb_node *parent = NULL;
	unsigned long len = extent_len(r);

	while (*slot) {
		struct vmap_range *at = to_range(*slot);

		parent = *slot;
		/* The augmented values on the way down must already count r. */
		if (at->largest < len)
			at->largest = len;
		if (r->start < at->start)
			slot = &parent->rb_left;
		else
			slot = &parent->rb_right;
	}
	r->largest = len;
	rb_link_node(&r->rb, parent, slot);
	rb_insert_augmented(&r->rb, &vs->free, &largest_cb);
	vs->nr_free++;
}

static void unlink_free(struct vmap_space *vs, struct vmap_range *r)
{
	rb_erase_augmented(&r->rb, &vs->free, &largest_cb);
	RB_CLEAR_NODE(&r->rb);
	vs->nr_free--;
}

/* @r changed length in place: bring the augmented values above it up to date. */
static void refresh(struct vmap_range *r)
{
	largest_cb_propagate(&r->rb, NULL);
}

/* The free extents just below and at or above @addr (each may be NULL). */
static void free_around(const struct vmap_space *vs, unsigned long addr,
			struct vmap_range **below, struct vmap_range **above)
{
	struct rb_node *n = vs->free.rb_node;

	*below = NULL;
	*above = NULL;
	while (n) {
		struct vmap_range *r = to_range(n);

		if (addr < r->start) {
			*above = r;
			n = n->rb_left;
		} else {
			*below = r;
			n = n->rb_right;
		}
	}
}

/* ---- searching ---- */

/* Round @addr up to a multiple of @align (a power of 2) without wrapping. */
static bool align_up(unsigned long addr, unsigned long align,
		     unsigned long *out)
{
	unsigned long rem = addr & (align - 1);

	if (!rem) {
		*out = addr;
		return true;
	}
	if (align - rem > ULONG_MAX - addr)
		return false;
	*out = addr + (align - rem);
	return true;
}

/* Does free extent @r hold @req? If so, say at which address. */
static bool holds(const struct vmap_range *r, const struct vmap_request *req,
		  unsigned long *addr)
{
	unsigned long lo = max(r->start, req->lo);
	unsigned long hi = min(r->end, req->hi);
	unsigned long at;

	if (lo >= hi || !align_up(lo, req->align, &at) || at >= hi)
		return false;
	if (hi - at < req->size)
		return false;
	*addr = at;
	return true;
}

/*
 * The lowest free extent of at least @min_len bytes that holds @req, found
 * by an in-order walk that skips every subtree which is too short or lies
 * outside [lo, hi).
 */
static struct vmap_range *seek_fit(const struct vmap_space *vs,
				   const struct vmap_request *req,
				   unsigned long min_len, unsigned long *addr)
{
	struct rb_node *n = vs->free.rb_node;
	enum walk_step how = FROM_ABOVE;

	while (n) {
		struct vmap_range *r = to_range(n);

		if (how == FROM_ABOVE) {
			if (r->largest < min_len) {
				n = climb(n, &how);
				continue;
			}
			/* Extents on the left end at or below r->start. */
			if (req->lo < r->start &&
			    subtree_largest(n->rb_left) >= min_len) {
				n = n->rb_left;
				continue;
			}
			how = FROM_LEFT;
		}
		if (how == FROM_LEFT) {
			/* In address order, everything from here is too high. */
			if (r->start >= req->hi)
				return NULL;
			if (extent_len(r) >= min_len && holds(r, req, addr))
				return r;
			if (r->end < req->hi &&
			    subtree_largest(n->rb_right) >= min_len) {
				n = n->rb_right;
				how = FROM_ABOVE;
				continue;
			}
		}
		n = climb(n, &how);
	}
	return NULL;
}

/*
 * How long a free extent whose bounds are multiples of the granule must be
 * to hold @req wherever it lies: the size plus the worst alignment padding.
 */
static unsigned long sure_fit_len(const struct vmap_space *vs,
				  const struct vmap_request *req)
{
	unsigned long pad = 0;

	if (req->align > vs->granule)
		pad = req->align - vs->granule;
	return pad > ULONG_MAX - req->size ? ULONG_MAX : req->size + pad;
}

/*
 * Where @req goes: the lowest extent that holds it among those long enough
 * to hold it at any alignment (every subtree without one is skipped, so
 * only the extents cut by the window can disappoint: O(log n)); failing
 * that, the lowest extent that holds it at all.
 */
static struct vmap_range *place(const struct vmap_space *vs,
				const struct vmap_request *req,
				unsigned long *addr)
{
	unsigned long sure = sure_fit_len(vs, req);
	struct vmap_range *r = seek_fit(vs, req, sure, addr);

	if (!r && sure != req->size)
		r = seek_fit(vs, req, req->size, addr);
	return r;
}

/* ---- cutting and gluing ---- */

static enum vmap_cut cut_kind(const struct vmap_range *r, unsigned long start,
			      unsigned long end)
{
	if (start == r->start)
		return end == r->end ? VMAP_CUT_WHOLE : VMAP_CUT_LEFT;
	return end == r->end ? VMAP_CUT_RIGHT : VMAP_CUT_MIDDLE;
}

/*
 * Take [start, end) out of the free extent @r, which contains it. Fails
 * only for a middle split without a spare, and then changes nothing.
 */
static int carve(struct vmap_space *vs, struct vmap_range *r,
		 unsigned long start, unsigned long end,
		 struct vmap_range **spare)
{
	enum vmap_cut kind = cut_kind(r, start, end);
	struct vmap_range *right;

	switch (kind) {
	case VMAP_CUT_WHOLE:
		unlink_free(vs, r);
		recycle(vs, r, spare);
		break;
	case VMAP_CUT_LEFT:
		r->start = end;
		refresh(r);
		break;
	case VMAP_CUT_RIGHT:
		r->end = start;
		refresh(r);
		break;
	default:
		right = take_spare(spare);
		if (!right)
			return -ENOMEM;
		right->start = end;
		right->end = r->end;
		r->end = start;
		refresh(r);
		link_free(vs, right);
		break;
	}
	vs->free_bytes -= end - start;
	vs->cuts[kind]++;
	return 0;
}

/*
 * Make [start, end), which overlaps nothing, free: glue it to the free
 * neighbours it touches, or link @r (which may be NULL only when there is
 * a neighbour to glue to) as a new extent. @r is consumed.
 */
static void glue(struct vmap_space *vs, unsigned long start, unsigned long end,
		 struct vmap_range *r, struct vmap_range *left,
		 struct vmap_range *right)
{
	bool to_left = left && left->end == start;
	bool to_right = right && right->start == end;
	enum vmap_merge how;

	vs->free_bytes += end - start;
	if (to_left && to_right) {
		unlink_free(vs, right);
		left->end = right->end;
		refresh(left);
		release(vs, right);
		how = VMAP_MERGE_BOTH;
	} else if (to_left) {
		left->end = end;
		refresh(left);
		how = VMAP_MERGE_LEFT;
	} else if (to_right) {
		right->start = start;
		refresh(right);
		how = VMAP_MERGE_RIGHT;
	} else {
		r->start = start;
		r->end = end;
		link_free(vs, r);
		r = NULL;
		how = VMAP_MERGE_NONE;
	}
	if (r)
		release(vs, r);
	vs->merges[how]++;
}

/*
 * The free extents around [start, end), if it overlaps none of them.
 * Return: whether one of them touches it, or -EINVAL.
 */
static int find_room(const struct vmap_space *vs, unsigned long start,
		     unsigned long end, struct vmap_range **left,
		     struct vmap_range **right)
{
	if (start >= end)
		return -EINVAL;
	free_around(vs, start, left, right);
	if ((*left && (*left)->end > start) || (*right && (*right)->start < end))
		return -EINVAL;
	return (*left && (*left)->end == start) ||
	       (*right && (*right)->start == end);
}

static bool request_ok(const struct vmap_request *req)
{
	unsigned long window;

	if (!req->size || !is_power_of_2(req->align) || req->lo >= req->hi)
		return false;
	window = req->hi - req->lo;
	return req->size <= window && req->align <= window;
}

/* ---- the API: set-up and nodes ---- */

/**
 * vmap_space_init - set up an empty address space.
 * @vs: the space.
 * @granule: a power of 2 that the bounds of all extents are multiples of
 *	(PAGE_SIZE for vmalloc); only the choice of extent depends on it.
 * @ops: where nodes come from, or NULL for a kmem_cache of struct
 *	vmap_range owned by @vs.
 * @ctx: passed to @ops.
 *
 * Context: may sleep when @ops is NULL.
 * Return: 0; -EINVAL if @granule is not a power of 2; -ENOMEM if the node
 * cache cannot be created.
 */
int vmap_space_init(struct vmap_space *vs, unsigned long granule,
		    const struct vmap_node_ops *ops, void *ctx)
{
	if (!is_power_of_2(granule))
		return -EINVAL;
	*vs = (struct vmap_space) {
		.free = RB_ROOT,
		.granule = granule,
		.ops = ops,
		.ops_ctx = ctx,
	};
	if (ops)
		return 0;
	vs->cache = kmem_cache_create("vmap_range", sizeof(struct vmap_range),
				      0, 0, NULL);
	return vs->cache ? 0 : -ENOMEM;
}

/**
 * vmap_space_destroy - release every free extent and the node cache.
 * @vs: the space; nobody may use it any more.
 *
 * For the userspace harness: vmalloc's space lives as long as the kernel.
 *
 * Busy and detached extents belong to the caller, who must have released
 * them with vmap_space_node_free() before, when @vs owns a node cache.
 */
void vmap_space_destroy(struct vmap_space *vs)
{
	struct vmap_range *r, *next;

	rbtree_postorder_for_each_entry_safe(r, next, &vs->free, rb)
		release(vs, r);
	vs->free = RB_ROOT;
	vs->nr_free = 0;
	vs->free_bytes = 0;
	vs->total = 0;
	kmem_cache_destroy(vs->cache);
	vs->cache = NULL;
}

/**
 * vmap_space_node_alloc - allocate a node for @vs.
 * @vs: the space the node will belong to.
 * @gfp: allocation flags.
 *
 * Every node that is passed to @vs (busy extents given to
 * vmap_space_free(), spares) must come from here, because @vs releases
 * the nodes it no longer needs with its own hook.
 *
 * Context: as @gfp allows; touches nothing shared, so needs no lock.
 * Return: an empty, unlinked node, or NULL.
 */
struct vmap_range *vmap_space_node_alloc(struct vmap_space *vs, gfp_t gfp)
{
	struct vmap_range *r;

	if (vs->ops)
		r = vs->ops->alloc(vs->ops_ctx, gfp);
	else
		r = kmem_cache_alloc(vs->cache, gfp);
	if (!r)
		return NULL;
	r->start = 0;
	r->end = 0;
	r->largest = 0;
	RB_CLEAR_NODE(&r->rb);
	INIT_LIST_HEAD(&r->list);
	return r;
}

/**
 * vmap_space_node_free - release a node that is in no tree.
 * @vs: the space the node came from.
 * @node: the node, or NULL.
 *
 * Context: any; does not sleep.
 */
void vmap_space_node_free(struct vmap_space *vs, struct vmap_range *node)
{
	if (node)
		release(vs, node);
}

/**
 * vmap_space_preload - make sure a spare node is at hand.
 * @vs: the space.
 * @spare: the caller's spare slot; filled if it is empty.
 * @gfp: allocation flags.
 *
 * Call before taking the lock, so that a middle split made under it needs
 * no allocation. The spare stays the caller's until a function of this
 * file consumes it; whatever is left in the slot afterwards is released
 * with vmap_space_node_free() or kept for next time.
 *
 * Context: as @gfp allows; needs no lock.
 * Return: 0 if @spare holds a node, -ENOMEM otherwise.
 */
int vmap_space_preload(struct vmap_space *vs, struct vmap_range **spare,
		       gfp_t gfp)
{
	if (!*spare)
		*spare = vmap_space_node_alloc(vs, gfp);
	return *spare ? 0 : -ENOMEM;
}

/**
 * vmap_space_add - add a range of free address space.
 * @vs: the space.
 * @start: first address of the range.
 * @end: first address past it.
 * @spare: a spare slot; its node is consumed unless the range touches a
 *	free extent.
 *
 * Used at set-up, once per range that vmalloc may hand out. Ranges need
 * not touch: the holes between them are never handed out. A range that
 * touches a free extent is glued to it. The caller must not add a range
 * that overlaps a busy extent.
 *
 * Context: under the space lock.
 * Return: 0; -EINVAL if @start >= @end or the range overlaps free space;
 * -ENOMEM if a node is needed and @spare holds none.
 */
int vmap_space_add(struct vmap_space *vs, unsigned long start,
		   unsigned long end, struct vmap_range **spare)
{
	struct vmap_range *left, *right, *r = NULL;
	int touch = find_room(vs, start, end, &left, &right);

	if (touch < 0)
		return touch;
	if (!touch) {
		r = take_spare(spare);
		if (!r)
			return -ENOMEM;
	}
	vs->total += end - start;
	glue(vs, start, end, r, left, right);
	return 0;
}

/* ---- the API: allocating and freeing ---- */

/**
 * vmap_space_claim - take a given range out of the free space.
 * @vs: the space.
 * @start: first address to take.
 * @end: first address past it.
 * @spare: the caller's spare slot, consumed by a middle split; may receive
 *	the node of a free extent that is taken whole.
 *
 * For areas that exist before the allocator does (set up at boot, before
 * vmalloc) and must never be handed out. The caller describes the busy
 * extent with a node of its own.
 *
 * Context: under the space lock; does not sleep or allocate.
 * Return: 0; -EINVAL if @start >= @end; -ENOENT if [@start, @end) is not
 * inside one free extent; -ENOMEM if a middle split finds no spare. On
 * error nothing changes.
 */
int vmap_space_claim(struct vmap_space *vs, unsigned long start,
		     unsigned long end, struct vmap_range **spare)
{
	struct vmap_range *r;

	if (start >= end)
		return -EINVAL;
	r = free_at(vs, start);
	if (!r || end > r->end)
		return -ENOENT;
	return carve(vs, r, start, end, spare);
}

/**
 * vmap_space_alloc - allocate address space.
 * @vs: the space.
 * @req: size, alignment and window of the request.
 * @spare: the caller's spare slot (may be NULL: no spare), consumed by a
 *	middle split; may receive the node of a free extent that is taken
 *	whole.
 * @addr: set to the start of the extent on success.
 *
 * Picks the lowest aligned address, inside the window, of the lowest free
 * extent that holds @req among those long enough to hold it at any
 * alignment, or if none of those does, among all (see the top of this
 * file). The caller describes the new busy extent [*@addr, *@addr +
 * @req->size) with a node of its own.
 *
 * Context: under the space lock; does not sleep or allocate.
 * Return: 0; -EINVAL for a bad request (size 0, alignment not a power of
 * 2 or larger than the window, empty window, window shorter than the
 * size); -ENOSPC if no free extent holds the request; -ENOMEM if the only
 * choice needs a middle split and @spare holds no node. On error nothing
 * changes and @addr is not written.
 */
int vmap_space_alloc(struct vmap_space *vs, const struct vmap_request *req,
		     struct vmap_range **spare, unsigned long *addr)
{
	struct vmap_range *r;
	unsigned long at;
	int err;

	if (!request_ok(req))
		return -EINVAL;
	r = place(vs, req, &at);
	if (!r)
		return -ENOSPC;
	err = carve(vs, r, at, at + req->size, spare);
	if (!err)
		*addr = at;
	return err;
}

/**
 * vmap_space_free - return an extent to the free space.
 * @vs: the space.
 * @node: the extent, in no tree, allocated for @vs.
 *
 * The extent is glued to the free extents it touches. @node is consumed:
 * it either becomes a free extent or is released.
 *
 * Context: under the space lock; does not sleep or allocate.
 * Return: 0, or -EINVAL if @node is empty or overlaps free space (a double
 * free); then @node is left to the caller and nothing changes.
 */
int vmap_space_free(struct vmap_space *vs, struct vmap_range *node)
{
	struct vmap_range *left, *right;
	int touch = find_room(vs, node->start, node->end, &left, &right);

	if (touch < 0)
		return touch;
	glue(vs, node->start, node->end, node, left, right);
	return 0;
}

/**
 * vmap_space_first_free - the free extent at the lowest address.
 * @vs: the space.
 *
 * For the userspace harness, which compares the tree with its model.
 *
 * Context: under the space lock.
 * Return: the extent, or NULL if nothing is free.
 */
struct vmap_range *vmap_space_first_free(const struct vmap_space *vs)
{
	struct rb_node *n = rb_first(&vs->free);

	return n ? to_range(n) : NULL;
}

/**
 * vmap_space_next_free - the next free extent in address order.
 * @node: a free extent.
 *
 * Context: under the space lock.
 * Return: the extent, or NULL after the last one.
 */
struct vmap_range *vmap_space_next_free(const struct vmap_range *node)
{
	struct rb_node *n = rb_next(&node->rb);

	return n ? to_range(n) : NULL;
}

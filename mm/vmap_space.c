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
 * A set of extents at fixed offsets from one base (struct vmap_set, for
 * the congruent areas of percpu) is placed the other way: at the highest
 * base at which each extent is free, by the mirror image of that walk
 * (see vmap_space_place_set()), and the caller claims each extent there.
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
 * Busy extents live in one or more struct vmap_busy, each a red-black
 * tree sorted by address that finds an extent by its start or by any
 * address inside it and iterates in address order.
 *
 * Locking
 * -------
 * This file takes no lock. The caller serialises all calls that touch a
 * struct vmap_space (everything except vmap_space_node_alloc() and
 * vmap_space_preload(), which touch nothing shared) and, separately, all
 * calls on one struct vmap_busy. No function here sleeps or allocates; the
 * node release hook is called under the caller's lock.
 *
 * How vmalloc uses it (one spinlock around the free space, a per-CPU
 * spare, shards of the busy index, lazy freeing and per-CPU caches of
 * purged ranges, which the checker is told about as bytes held) is told
 * in Documentation/mm/vmalloc.rst.
 */

#include "vmap_space_internal.h"
#include "vmap_space.h"

static inline struct vmap_range *to_range(const struct rb_node *n)
{
	return rb_entry(n, struct vmap_range, rb);
}

static inline unsigned long extent_len(const struct vmap_range *r)
{
	return r->end - r->start;
}

/* Length of the largest free extent below @n, 0 for an empty subtree. */
static inline unsigned long subtree_largest(const struct rb_node *n)
{
	return n ? to_range(n)->largest : 0;
}

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

/* The extent of the address-ordered tree @root that contains @addr. */
static struct vmap_range *range_containing(const struct rb_root *root,
					   unsigned long addr)
{
	struct rb_node *n = root->rb_node;

	while (n) {
		struct vmap_range *r = to_range(n);

		if (addr >= r->start && addr < r->end)
			return r;
		n = addr < r->start ? n->rb_left : n->rb_right;
	}
	return NULL;
}

/* The free extent that contains @addr, or NULL. */
static struct vmap_range *free_at(const struct vmap_space *vs,
				  unsigned long addr)
{
	return range_containing(&vs->free, addr);
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

/* Where the walk in seek_fit() arrives at a node from. */
enum walk_step {
	FROM_ABOVE,
	FROM_LEFT,
	FROM_RIGHT,
};

/* Step up from @n, saying which side of its parent we come from. */
static struct rb_node *climb(struct rb_node *n, enum walk_step *how)
{
	struct rb_node *up = rb_parent(n);

	*how = (up && up->rb_left == n) ? FROM_LEFT : FROM_RIGHT;
	return up;
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
 * in seek_fit(): right subtree, node, left subtree, skipping every subtree
 * whose extents are all shorter than @q->size or lie outside the window.
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

/* ---- the API: busy extents ---- */

/**
 * vmap_busy_init - set up an empty busy index (or shard).
 * @busy: the index.
 */
void vmap_busy_init(struct vmap_busy *busy)
{
	busy->root = RB_ROOT;
	busy->nr = 0;
	busy->bytes = 0;
}

/**
 * vmap_busy_insert - index a busy extent.
 * @busy: the index.
 * @node: the extent, in no tree.
 *
 * Context: under the lock of @busy.
 * Return: 0; -EINVAL if @node is empty; -EEXIST if it overlaps an extent
 * of @busy (then nothing changes).
 */
int vmap_busy_insert(struct vmap_busy *busy, struct vmap_range *node)
{
	struct rb_node **slot = &busy->root.rb_node;
	struct rb_node *parent = NULL;

	if (node->start >= node->end)
		return -EINVAL;
	/* The extents just below and above @node are both on this path. */
	while (*slot) {
		struct vmap_range *at = to_range(*slot);

		if (node->start < at->end && at->start < node->end)
			return -EEXIST;
		parent = *slot;
		if (node->start < at->start)
			slot = &parent->rb_left;
		else
			slot = &parent->rb_right;
	}
	rb_link_node(&node->rb, parent, slot);
	rb_insert_color(&node->rb, &busy->root);
	busy->nr++;
	busy->bytes += extent_len(node);
	return 0;
}

/**
 * vmap_busy_erase - drop a busy extent from the index.
 * @busy: the index that holds @node.
 * @node: the extent; afterwards it is in no tree.
 *
 * Context: under the lock of @busy.
 */
void vmap_busy_erase(struct vmap_busy *busy, struct vmap_range *node)
{
	rb_erase(&node->rb, &busy->root);
	RB_CLEAR_NODE(&node->rb);
	busy->nr--;
	busy->bytes -= extent_len(node);
}

/**
 * vmap_busy_find - the busy extent that contains an address.
 * @busy: the index.
 * @addr: any address.
 *
 * Context: under the lock of @busy.
 * Return: the extent with start <= @addr < end, or NULL.
 */
struct vmap_range *vmap_busy_find(const struct vmap_busy *busy,
				  unsigned long addr)
{
	return range_containing(&busy->root, addr);
}

/**
 * vmap_busy_lookup - the busy extent that starts at an address.
 * @busy: the index.
 * @start: the start address.
 *
 * Context: under the lock of @busy.
 * Return: the extent, or NULL if no extent starts exactly at @start.
 */
struct vmap_range *vmap_busy_lookup(const struct vmap_busy *busy,
				    unsigned long start)
{
	struct vmap_range *r = vmap_busy_find(busy, start);

	return r && r->start == start ? r : NULL;
}

/**
 * vmap_busy_seek - the first busy extent that ends above an address.
 * @busy: the index.
 * @addr: where to start; 0 for the lowest extent.
 *
 * With vmap_busy_next() this walks the extents in address order from
 * @addr; an extent that contains @addr comes first.
 *
 * Context: under the lock of @busy.
 * Return: the extent, or NULL.
 */
struct vmap_range *vmap_busy_seek(const struct vmap_busy *busy,
				  unsigned long addr)
{
	struct rb_node *n = busy->root.rb_node;
	struct vmap_range *found = NULL;

	while (n) {
		struct vmap_range *r = to_range(n);

		if (r->end > addr) {
			found = r;
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	return found;
}

/**
 * vmap_busy_next - the next busy extent in address order.
 * @node: an extent of a busy index.
 *
 * Context: under the lock of that index.
 * Return: the extent, or NULL after the last one.
 */
struct vmap_range *vmap_busy_next(const struct vmap_range *node)
{
	struct rb_node *n = rb_next(&node->rb);

	return n ? to_range(n) : NULL;
}

/* ---- the checker ---- */

#ifdef CONFIG_DEBUG_VMAP_SPACE

/* Sum and count of a tree of extents, which must be sorted and disjoint. */
struct tree_tally {
	unsigned long nr;
	unsigned long bytes;
};

/* Which rules a tree of extents must follow besides order. */
enum tree_kind {
	TREE_BUSY,	/* extents may touch */
	TREE_FREE,	/* extents never touch, and @largest is kept */
};

static int check_sorted(const struct rb_root *root, enum tree_kind kind,
			struct tree_tally *tally)
{
	const struct vmap_range *prev = NULL;
	bool free = kind == TREE_FREE;
	struct rb_node *n;

	*tally = (struct tree_tally) { 0, 0 };
	for (n = rb_first(root); n; n = rb_next(n)) {
		const struct vmap_range *r = to_range(n);

		if (r->start >= r->end) {
			pr_err("vmap_space: empty extent [%lx, %lx)\n",
			       r->start, r->end);
			return -EUCLEAN;
		}
		if (prev && prev->end > r->start) {
			pr_err("vmap_space: [%lx, %lx) overlaps [%lx, %lx)\n",
			       prev->start, prev->end, r->start, r->end);
			return -EUCLEAN;
		}
		if (free && prev && prev->end == r->start) {
			pr_err("vmap_space: free [%lx, %lx) and [%lx, %lx) not merged\n",
			       prev->start, prev->end, r->start, r->end);
			return -EUCLEAN;
		}
		if (free && r->largest != max3(extent_len(r),
					       subtree_largest(n->rb_left),
					       subtree_largest(n->rb_right))) {
			pr_err("vmap_space: [%lx, %lx) has a wrong largest %lx\n",
			       r->start, r->end, r->largest);
			return -EUCLEAN;
		}
		tally->nr++;
		tally->bytes += extent_len(r);
		prev = r;
	}
	return 0;
}

/* Two sorted, disjoint sets of extents must not overlap each other. */
static int check_apart(const struct rb_root *a, const struct rb_root *b)
{
	struct rb_node *x = rb_first(a), *y = rb_first(b);

	while (x && y) {
		const struct vmap_range *p = to_range(x), *q = to_range(y);

		if (p->start < q->end && q->start < p->end) {
			pr_err("vmap_space: [%lx, %lx) overlaps [%lx, %lx)\n",
			       p->start, p->end, q->start, q->end);
			return -EUCLEAN;
		}
		if (p->end <= q->start)
			x = rb_next(x);
		else
			y = rb_next(y);
	}
	return 0;
}

/**
 * vmap_space_check - verify a space and its busy index as a whole.
 * @vs: the space.
 * @shards: the shards of its busy index (may be NULL if @nr_shards is 0).
 * @nr_shards: how many.
 * @detached: bytes held outside both (lazy and per-CPU lists, in flight),
 *	or ULONG_MAX if the caller cannot know: then the sum is not checked.
 *
 * Checks that the free extents are sorted, disjoint and never touch, that
 * every augmented value is right, that the counters match the trees, that
 * no two extents, free or busy, overlap, and that free + busy + @detached
 * is everything ever added. Costs O(n * @nr_shards^2): for debugging only.
 *
 * Context: under the space lock and the lock of every shard.
 * Return: 0, or -EUCLEAN after reporting the first problem found.
 */
int vmap_space_check(const struct vmap_space *vs,
		     struct vmap_busy *const *shards, unsigned int nr_shards,
		     unsigned long detached)
{
	unsigned long busy_bytes = 0;
	struct tree_tally tally;
	unsigned int i, j;
	int err;

	err = check_sorted(&vs->free, TREE_FREE, &tally);
	if (err)
		return err;
	if (tally.nr != vs->nr_free || tally.bytes != vs->free_bytes) {
		pr_err("vmap_space: free counters %lu/%lx, trees %lu/%lx\n",
		       vs->nr_free, vs->free_bytes, tally.nr, tally.bytes);
		return -EUCLEAN;
	}
	for (i = 0; i < nr_shards; i++) {
		err = check_sorted(&shards[i]->root, TREE_BUSY, &tally);
		if (err)
			return err;
		if (tally.nr != shards[i]->nr ||
		    tally.bytes != shards[i]->bytes) {
			pr_err("vmap_space: shard %u counters %lu/%lx, tree %lu/%lx\n",
			       i, shards[i]->nr, shards[i]->bytes, tally.nr,
			       tally.bytes);
			return -EUCLEAN;
		}
		busy_bytes += tally.bytes;
		err = check_apart(&vs->free, &shards[i]->root);
		for (j = 0; !err && j < i; j++)
			err = check_apart(&shards[j]->root, &shards[i]->root);
		if (err)
			return err;
	}
	if (detached != ULONG_MAX &&
	    vs->free_bytes + busy_bytes + detached != vs->total) {
		pr_err("vmap_space: free %lx + busy %lx + detached %lx != total %lx\n",
		       vs->free_bytes, busy_bytes, detached, vs->total);
		return -EUCLEAN;
	}
	return 0;
}

#endif /* CONFIG_DEBUG_VMAP_SPACE */

// SPDX-License-Identifier: GPL-2.0-only
/*
 * The whole-structure checker of vmalloc's address space, for
 * CONFIG_DEBUG_VMAP_SPACE and the userspace harness: the free tree and
 * every shard of the busy index are walked together, and any broken rule
 * is reported.
 */

#include "vmap_space_internal.h"
#include "vmap_tree.h"
#include "vmap_busy.h"

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

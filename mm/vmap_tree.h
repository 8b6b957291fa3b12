/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers for walking the address-sorted trees of extents, shared by the
 * files of the address-space core (mm/vmap_space.c and its companions).
 * Private to them: vmalloc uses the API headers only.
 */
#ifndef __MM_VMAP_TREE_H
#define __MM_VMAP_TREE_H

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

/* The extent of the address-ordered tree @root that contains @addr. */
static inline struct vmap_range *
range_containing(const struct rb_root *root, unsigned long addr)
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
static inline struct vmap_range *free_at(const struct vmap_space *vs,
					 unsigned long addr)
{
	return range_containing(&vs->free, addr);
}

/* Where an in-order walk of a tree arrives at a node from. */
enum walk_step {
	FROM_ABOVE,
	FROM_LEFT,
	FROM_RIGHT,
};

/* Step up from @n, saying which side of its parent we come from. */
static inline struct rb_node *climb(struct rb_node *n, enum walk_step *how)
{
	struct rb_node *up = rb_parent(n);

	*how = (up && up->rb_left == n) ? FROM_LEFT : FROM_RIGHT;
	return up;
}

#endif /* __MM_VMAP_TREE_H */

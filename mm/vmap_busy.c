// SPDX-License-Identifier: GPL-2.0-only
/*
 * The index of busy extents of vmalloc's address space.
 *
 * Each struct vmap_busy is a red-black tree of extents sorted by address
 * that finds an extent by its start or by any address inside it, and
 * walks them in address order; vmalloc keeps several, as shards. The
 * nodes are the same struct vmap_range that vmap_space.c moves in and out
 * of its free tree, so an extent goes from free to busy and back without
 * a new object. Like vmap_space.c, this file takes no lock: the caller
 * serialises all calls on one struct vmap_busy.
 */

#include "vmap_space_internal.h"
#include "vmap_tree.h"
#include "vmap_busy.h"

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

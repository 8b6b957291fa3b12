/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel virtual address space allocator of vmalloc: its API.
 *
 * This header is shared by the allocator, by the vmalloc code that calls
 * it and by the userspace harness in tools/testing/vmalloc/. It must
 * therefore include nothing that tools/include/ cannot provide: only the
 * rbtree and the basic types.
 *
 * The API and its locking rules are described in mm/vmap_space.c.
 */
#ifndef __MM_VMAP_SPACE_H
#define __MM_VMAP_SPACE_H

#include <linux/rbtree.h>
#include <linux/types.h>

/**
 * struct vmap_range - one extent of kernel virtual address space.
 * @start: first address of the extent.
 * @end: first address past the extent (@start < @end).
 * @rb: links the extent into a free tree or into a busy index.
 * @list: unused by this allocator; the owner of a busy or detached
 *	extent may keep it on a list (lazy-free, per-CPU cache).
 * @largest: while in a free tree, the length of the largest extent in
 *	the subtree rooted here; meaningless anywhere else, so the owner
 *	may overlay it with its own data while the extent is busy.
 *
 * The same object describes a free extent, a busy one, or one in transit
 * between the two, so that freeing never needs a new object. A caller that
 * needs more per-area state embeds this structure at the start of its own
 * and supplies node allocation hooks (struct vmap_node_ops) that return
 * it. vmalloc goes further: its struct vmap_area has the same layout, so
 * the two are one object (see mm/vmap.h).
 */
struct vmap_range {
	unsigned long start;
	unsigned long end;
	struct rb_node rb;
	struct list_head list;
	unsigned long largest;
};

/**
 * struct vmap_node_ops - where the allocator gets and returns its nodes.
 * @alloc: return a node, or NULL; called only from vmap_space_node_alloc()
 *	and vmap_space_preload(), with their gfp mask, never under the lock.
 * @free: take a node back; called with the caller's space lock held, so
 *	it must not sleep.
 */
struct vmap_node_ops {
	struct vmap_range *(*alloc)(void *ctx, gfp_t gfp);
	void (*free)(void *ctx, struct vmap_range *node);
};

/* The four ways a free extent is cut by an allocation. */
enum vmap_cut {
	VMAP_CUT_WHOLE,		/* the extent is taken as a whole */
	VMAP_CUT_LEFT,		/* the request starts where the extent starts */
	VMAP_CUT_RIGHT,		/* the request ends where the extent ends */
	VMAP_CUT_MIDDLE,	/* the extent is split in two: needs a spare */
	VMAP_NR_CUTS
};

/* Which free neighbours a freed extent is merged with. */
enum vmap_merge {
	VMAP_MERGE_NONE,
	VMAP_MERGE_LEFT,
	VMAP_MERGE_RIGHT,
	VMAP_MERGE_BOTH,
	VMAP_NR_MERGES
};

/**
 * struct vmap_space - the free address space.
 * @free: free extents sorted by address, augmented with @largest.
 * @total: bytes ever added with vmap_space_add().
 * @free_bytes: bytes in the free extents.
 * @nr_free: number of free extents.
 * @granule: every extent bound is a multiple of it (see vmap_space_init()).
 * @ops: node hooks, or NULL to use @cache.
 * @ops_ctx: passed to the hooks.
 * @cache: node cache when @ops is NULL: only the userspace harness has
 *	one; vmalloc's nodes are its areas, from its hooks.
 * @cuts: how many allocations cut an extent in each way (read by the
 *	harness's tests only).
 * @merges: how many frees merged in each way (likewise).
 *
 * Everything here is protected by one lock held by the caller.
 */
struct vmap_space {
	struct rb_root free;
	unsigned long total;
	unsigned long free_bytes;
	unsigned long nr_free;
	unsigned long granule;
	const struct vmap_node_ops *ops;
	void *ops_ctx;
	struct kmem_cache *cache;
	unsigned long cuts[VMAP_NR_CUTS];
	unsigned long merges[VMAP_NR_MERGES];
};

/**
 * struct vmap_request - what an allocation asks for.
 * @size: length in bytes, not 0.
 * @align: a power of 2, at most @hi - @lo.
 * @lo: lowest address the extent may start at.
 * @hi: the extent must end at or below this address (@lo < @hi).
 */
struct vmap_request {
	unsigned long size;
	unsigned long align;
	unsigned long lo;
	unsigned long hi;
};

int vmap_space_init(struct vmap_space *vs, unsigned long granule,
		    const struct vmap_node_ops *ops, void *ctx);
struct vmap_range *vmap_space_node_alloc(struct vmap_space *vs, gfp_t gfp);
void vmap_space_node_free(struct vmap_space *vs, struct vmap_range *node);
int vmap_space_preload(struct vmap_space *vs, struct vmap_range **spare,
		       gfp_t gfp);
int vmap_space_add(struct vmap_space *vs, unsigned long start,
		   unsigned long end, struct vmap_range **spare);
int vmap_space_claim(struct vmap_space *vs, unsigned long start,
		     unsigned long end, struct vmap_range **spare);
int vmap_space_alloc(struct vmap_space *vs, const struct vmap_request *req,
		     struct vmap_range **spare, unsigned long *addr);
int vmap_space_free(struct vmap_space *vs, struct vmap_range *node);

/*
 * For the userspace harness only (tools/testing/vmalloc/): vmalloc never
 * tears its space down nor walks its free extents.
 */
void vmap_space_destroy(struct vmap_space *vs);
struct vmap_range *vmap_space_first_free(const struct vmap_space *vs);
struct vmap_range *vmap_space_next_free(const struct vmap_range *node);

/**
 * vmap_space_largest - length of the largest free extent.
 * @vs: the space.
 *
 * Return: 0 if nothing is free. No request of a larger size can succeed.
 */
static inline unsigned long vmap_space_largest(const struct vmap_space *vs)
{
	const struct rb_node *top = vs->free.rb_node;

	return top ? rb_entry(top, struct vmap_range, rb)->largest : 0;
}

#endif /* __MM_VMAP_SPACE_H */

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The index of busy extents, and the checker of a space with its index.
 * Like vmap_space.h, shared with the userspace harness: rbtree and basic
 * types only. The API is described in mm/vmap_busy.c and mm/vmap_check.c.
 */
#ifndef __MM_VMAP_BUSY_H
#define __MM_VMAP_BUSY_H

#include "vmap_space.h"

/**
 * struct vmap_busy - one shard of the index of busy extents.
 * @root: busy extents sorted by address.
 * @nr: number of extents in @root.
 * @bytes: their total length.
 *
 * Protected by a lock of its own, held by the caller.
 */
struct vmap_busy {
	struct rb_root root;
	unsigned long nr;
	unsigned long bytes;
};

void vmap_busy_init(struct vmap_busy *busy);
int vmap_busy_insert(struct vmap_busy *busy, struct vmap_range *node);
void vmap_busy_erase(struct vmap_busy *busy, struct vmap_range *node);
struct vmap_range *vmap_busy_find(const struct vmap_busy *busy,
				  unsigned long addr);
struct vmap_range *vmap_busy_lookup(const struct vmap_busy *busy,
				    unsigned long start);
struct vmap_range *vmap_busy_seek(const struct vmap_busy *busy,
				  unsigned long addr);
struct vmap_range *vmap_busy_next(const struct vmap_range *node);

#ifdef CONFIG_DEBUG_VMAP_SPACE
int vmap_space_check(const struct vmap_space *vs,
		     struct vmap_busy *const *shards, unsigned int nr_shards,
		     unsigned long detached);
#else
static inline int vmap_space_check(const struct vmap_space *vs,
				   struct vmap_busy *const *shards,
				   unsigned int nr_shards,
				   unsigned long detached)
{
	return 0;
}
#endif

#endif /* __MM_VMAP_BUSY_H */

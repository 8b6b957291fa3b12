/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace stand-in for the kernel include funnel of the allocator.
 *
 * It uses the same include guard as the kernel header, and the Makefile
 * forces it in first (-include), so when mm/vmap_space.c includes its
 * funnel header it gets this one: tools/include/ for the rbtree and the
 * basic types, libc for the rest, and a kmem_cache that can be told to
 * fail (shim.c).
 */
#ifndef __MM_VMAP_SPACE_INTERNAL_H
#define __MM_VMAP_SPACE_INTERNAL_H

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/rbtree_augmented.h>
#include <linux/types.h>

#ifndef max3
#define max3(a, b, c)	max(max(a, b), c)
#endif

#ifndef pr_err
#define pr_err(fmt, ...)	fprintf(stderr, fmt, ##__VA_ARGS__)
#endif

#ifndef GFP_NOWAIT
#define GFP_NOWAIT	GFP_ATOMIC
#endif

/* A kmem_cache is malloc() with a size and the failure injection of shim.c. */
struct kmem_cache;

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, unsigned int flags,
				     void (*ctor)(void *));
void kmem_cache_destroy(struct kmem_cache *cache);
void *kmem_cache_alloc(struct kmem_cache *cache, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *cache, void *obj);

#endif /* __MM_VMAP_SPACE_INTERNAL_H */

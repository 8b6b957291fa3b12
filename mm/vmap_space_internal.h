/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every kernel header that mm/vmap_space.c needs, and nothing else. The
 * userspace harness in tools/testing/vmalloc/ replaces this file with a
 * shim under the same include guard, so the allocator is tested as it is
 * built here, without a single change.
 */
#ifndef __MM_VMAP_SPACE_INTERNAL_H
#define __MM_VMAP_SPACE_INTERNAL_H

#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/printk.h>
#include <linux/rbtree_augmented.h>
#include <linux/slab.h>
#include <linux/types.h>

#endif /* __MM_VMAP_SPACE_INTERNAL_H */

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Sets of extents placed together, at fixed offsets from one base (the
 * congruent areas of percpu). Shared with the userspace harness, like
 * vmap_space.h. The API is described in mm/vmap_set.c.
 */
#ifndef __MM_VMAP_SET_H
#define __MM_VMAP_SET_H

#include "vmap_space.h"

/**
 * struct vmap_set - extents at fixed offsets from one base, placed together.
 * @offsets: offset of each extent from the base.
 * @sizes: length of each extent, not 0.
 * @nr: number of extents, at least 1; no two may overlap.
 * @align: alignment of the base; a power of 2.
 * @lo: lowest address any extent may start at.
 * @hi: every extent must end at or below this address (@lo < @hi).
 *
 * Offsets and sizes are multiples of the space's granule.
 */
struct vmap_set {
	const unsigned long *offsets;
	const size_t *sizes;
	unsigned int nr;
	unsigned long align;
	unsigned long lo;
	unsigned long hi;
};

int vmap_space_place_set(const struct vmap_space *vs,
			 const struct vmap_set *set, unsigned long *base);

#endif /* __MM_VMAP_SET_H */

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Userspace stand-ins for the kernel services mm/vmap_space.c uses, and the
 * failure injection that the tests drive.
 */
#include <stdlib.h>

#include "vmap_space_internal.h"
#include "harness.h"

long shim_fail_after = -1;
bool shim_fail_always;
long shim_live_nodes;
unsigned long shim_nr_allocs;

struct kmem_cache {
	const char *name;
	unsigned int size;
};

/* Should this allocation fail? Counts shim_fail_after down to the one. */
static bool shim_should_fail(void)
{
	shim_nr_allocs++;
	if (shim_fail_always)
		return true;
	if (shim_fail_after < 0)
		return false;
	return shim_fail_after-- == 0;
}

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, unsigned int flags,
				     void (*ctor)(void *))
{
	struct kmem_cache *cache;

	if (shim_should_fail())
		return NULL;
	cache = malloc(sizeof(*cache));
	if (cache) {
		cache->name = name;
		cache->size = size;
	}
	return cache;
}

void kmem_cache_destroy(struct kmem_cache *cache)
{
	free(cache);
}

void *kmem_cache_alloc(struct kmem_cache *cache, gfp_t gfp)
{
	void *obj;

	if (shim_should_fail())
		return NULL;
	obj = malloc(cache->size);
	if (obj)
		shim_live_nodes++;
	return obj;
}

void kmem_cache_free(struct kmem_cache *cache, void *obj)
{
	shim_live_nodes--;
	free(obj);
}

/*
 * The other way to feed the allocator: hooks that embed the node in a
 * bigger object, as the full vmalloc does with its per-area state.
 */
static struct vmap_range *shim_hook_alloc(void *ctx, gfp_t gfp)
{
	struct shim_area *area;

	if (shim_should_fail())
		return NULL;
	area = calloc(1, sizeof(*area));
	if (!area)
		return NULL;
	area->magic = SHIM_AREA_MAGIC;
	(*(long *)ctx)++;
	shim_live_nodes++;
	return &area->range;
}

static void shim_hook_free(void *ctx, struct vmap_range *node)
{
	struct shim_area *area = container_of(node, struct shim_area, range);

	if (area->magic != SHIM_AREA_MAGIC)
		abort();
	area->magic = 0;
	(*(long *)ctx)--;
	shim_live_nodes--;
	free(area);
}

const struct vmap_node_ops shim_hooks = {
	.alloc = shim_hook_alloc,
	.free = shim_hook_free,
};

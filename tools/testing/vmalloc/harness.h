/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the tests, the fuzzer and the benchmarks of mm/vmap_space.c:
 * the failure injection of shim.c and "the world", a vmap_space with a
 * sharded busy index run side by side with a page map that says what the
 * allocator must do.
 */
#ifndef __VMALLOC_HARNESS_H
#define __VMALLOC_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../../mm/vmap_busy.h"
#include "../../../mm/vmap_set.h"
#include "../../../mm/vmap_space.h"

/* shim.c: the n+1-th allocation from now fails (-1: none), or all do. */
extern long shim_fail_after;
extern bool shim_fail_always;
/* shim.c: nodes handed out and not yet freed, and allocations tried. */
extern long shim_live_nodes;
extern unsigned long shim_nr_allocs;

#define SHIM_AREA_MAGIC 0x766d6170UL

/* What the node hooks hand out: a node inside a bigger object. */
struct shim_area {
	unsigned long magic;
	struct vmap_range range;
	unsigned long payload[2];
};

extern const struct vmap_node_ops shim_hooks;

#define PG		4096UL
#define WORLD_PAGES	64
#define WORLD_SHARDS	3

enum page_state {
	PAGE_HOLE,	/* not managed */
	PAGE_FREE,
	PAGE_BUSY,
};

/* How an operation treats the spare slot. */
enum spare_mode {
	SPARE_PRELOAD,	/* fill the slot first */
	SPARE_KEEP,	/* use the slot as it is */
	SPARE_DROP,	/* empty the slot first */
	SPARE_NONE,	/* pass no slot at all */
};

struct world {
	struct vmap_space vs;
	struct vmap_busy shards[WORLD_SHARDS];
	struct vmap_busy *shard_ptrs[WORLD_SHARDS];
	struct vmap_range *spare;
	long hook_count;
	long live_before;
	unsigned long base;
	unsigned int pages;
	unsigned char state[WORLD_PAGES];
	unsigned char len[WORLD_PAGES];	/* busy extent length at its head */
	int last_err;
	unsigned long last_addr;
	bool verbose;
	char why[256];
};

bool world_init(struct world *w, unsigned long base, const char *map,
		bool hooks);
bool world_fini(struct world *w);
bool world_verify(struct world *w);
bool world_alloc(struct world *w, unsigned long size, unsigned long align,
		 unsigned long lo, unsigned long hi, enum spare_mode mode);
bool world_free(struct world *w, unsigned int k);
bool world_claim(struct world *w, unsigned long start, unsigned long end,
		 enum spare_mode mode);
bool world_place_set(struct world *w, const struct vmap_set *set);
bool world_lookup(struct world *w, unsigned long addr);
bool world_double_free(struct world *w, unsigned int page);
unsigned int world_nr_busy(const struct world *w);
void world_draw(const struct world *w, char *buf);
bool world_run(const u8 *data, size_t size, bool verbose, char *why,
	       size_t why_len);
/* Operations played by the last world_run(). */
extern unsigned long world_ops;

#endif /* __VMALLOC_HARNESS_H */

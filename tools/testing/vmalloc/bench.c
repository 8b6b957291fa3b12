// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmarks of mm/vmap_space.c, meant to run under
 * valgrind --tool=callgrind (see bench.sh): every phase is bracketed by
 * callgrind client requests and dumped as "name ops", so its instructions
 * per operation are exact and the same on every run. Outside valgrind the
 * requests do nothing and each phase prints its wall time instead.
 *
 * An operation is what the full vmalloc would do for one allocation or one
 * free, minus pages and page tables: take a node (from a free list here, so
 * that malloc is not measured), preload a spare, allocate the range, index
 * it in a shard of the busy index; or look it up by its start, drop it from
 * its shard and give it back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <valgrind/callgrind.h>

#include "harness.h"

#define SHARDS		4
#define SPACE_START	0xffffc90000000000UL	/* x86-64's vmalloc area */
#define SPACE_PAGES	(16UL << 20)		/* 64 GiB */

struct bench {
	struct vmap_space vs;
	struct vmap_busy shards[SHARDS];
	struct vmap_range *spare;
	struct vmap_range *pool;	/* free nodes, linked through .end */
	unsigned long *live;		/* starts of the busy ranges */
	unsigned long nr_live;
};

/* ---- a node free list, so that the allocator alone is measured ---- */

static struct vmap_range *pool_alloc(void *ctx, gfp_t gfp)
{
	struct bench *b = ctx;
	struct vmap_range *r = b->pool;

	if (r)
		b->pool = (struct vmap_range *)r->end;
	else
		r = malloc(sizeof(*r));
	return r;
}

static void pool_free(void *ctx, struct vmap_range *r)
{
	struct bench *b = ctx;

	r->end = (unsigned long)b->pool;
	b->pool = r;
}

static const struct vmap_node_ops pool_ops = {
	.alloc = pool_alloc,
	.free = pool_free,
};

static unsigned long long rng = 88172645463325252ULL;

static unsigned long rnd(unsigned long n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng % n;
}

static struct vmap_busy *shard_of(struct bench *b, unsigned long start)
{
	return &b->shards[((start >> 12) * 0x9e3779b97f4a7c15UL) >> 62];
}

static void setup(struct bench *b, unsigned long max_live)
{
	unsigned int i;

	memset(b, 0, sizeof(*b));
	if (vmap_space_init(&b->vs, PG, &pool_ops, b))
		abort();
	for (i = 0; i < SHARDS; i++)
		vmap_busy_init(&b->shards[i]);
	vmap_space_preload(&b->vs, &b->spare, GFP_KERNEL);
	if (vmap_space_add(&b->vs, SPACE_START, SPACE_START + SPACE_PAGES * PG,
			   &b->spare))
		abort();
	b->live = calloc(max_live, sizeof(*b->live));
}

static void teardown(struct bench *b)
{
	struct vmap_range *r;

	while (b->nr_live) {
		unsigned long start = b->live[--b->nr_live];
		struct vmap_busy *s = shard_of(b, start);

		r = vmap_busy_lookup(s, start);
		vmap_busy_erase(s, r);
		vmap_space_free(&b->vs, r);
	}
	vmap_space_node_free(&b->vs, b->spare);
	vmap_space_destroy(&b->vs);
	while (b->pool) {
		r = b->pool;
		b->pool = (struct vmap_range *)r->end;
		free(r);
	}
	free(b->live);
}

/* One allocation, as vmalloc would make it; returns the start or 0. */
static noinline unsigned long
bench_alloc(struct bench *b, unsigned long pages, unsigned long align_pages)
{
	struct vmap_request req = {
		.size = pages * PG,
		.align = align_pages * PG,
		.lo = SPACE_START,
		.hi = SPACE_START + SPACE_PAGES * PG,
	};
	struct vmap_range *node = vmap_space_node_alloc(&b->vs, GFP_KERNEL);
	unsigned long addr;

	vmap_space_preload(&b->vs, &b->spare, GFP_KERNEL);
	if (vmap_space_alloc(&b->vs, &req, &b->spare, &addr)) {
		vmap_space_node_free(&b->vs, node);
		return 0;
	}
	node->start = addr;
	node->end = addr + req.size;
	vmap_busy_insert(shard_of(b, addr), node);
	return addr;
}

static noinline void bench_free(struct bench *b, unsigned long start)
{
	struct vmap_busy *s = shard_of(b, start);
	struct vmap_range *r = vmap_busy_lookup(s, start);

	vmap_busy_erase(s, r);
	vmap_space_free(&b->vs, r);
}

static void keep(struct bench *b, unsigned long start)
{
	if (!start)
		abort();
	b->live[b->nr_live++] = start;
}

/* Free the i-th live range, keeping the others in the array. */
static void drop(struct bench *b, unsigned long i)
{
	bench_free(b, b->live[i]);
	b->live[i] = b->live[--b->nr_live];
}

/* ---- phases ---- */

static struct timespec t0;

static void begin(void)
{
	CALLGRIND_START_INSTRUMENTATION;
	CALLGRIND_ZERO_STATS;
	clock_gettime(CLOCK_MONOTONIC, &t0);
}

static void end(const char *name, unsigned long ops)
{
	struct timespec t1;
	char tag[128];
	double ns;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	snprintf(tag, sizeof(tag), "%s %lu", name, ops);
	CALLGRIND_DUMP_STATS_AT(tag);
	CALLGRIND_STOP_INSTRUMENTATION;
	ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
	if (!RUNNING_ON_VALGRIND)
		printf("%-28s %8lu ops %8.1f ns/op\n", name, ops, ns / ops);
}

#define OPS	20000UL

/* One page allocated and freed, over and over, in an empty space. */
static void churn(void)
{
	struct bench b;
	unsigned long i;

	setup(&b, 1);
	begin();
	for (i = 0; i < OPS; i++)
		bench_free(&b, bench_alloc(&b, 1, 1));
	end("churn_1page_pair", OPS);
	teardown(&b);
}

/* Random sizes of 1-100 pages, 10,000 live, one freed per allocation. */
static void random_sizes(unsigned long max_align)
{
	unsigned long i, live = 10000;
	struct bench b;

	setup(&b, live + 1);
	for (i = 0; i < live; i++)
		keep(&b, bench_alloc(&b, 1 + rnd(100), 1UL << rnd(max_align)));
	begin();
	for (i = 0; i < OPS; i++) {
		drop(&b, rnd(b.nr_live));
		keep(&b, bench_alloc(&b, 1 + rnd(100),
				     1UL << rnd(max_align)));
	}
	end(max_align > 1 ? "aligned_1-512_pages_pair" :
	    "random_1-100_pages_pair", OPS);
	teardown(&b);
}

/*
 * @busy one-page busy ranges with a one-page hole after each: @busy free
 * extents and @busy busy ones. Then allocations that take the lowest hole
 * and allocations that fit no hole and must find the tail, and the frees
 * of both.
 */
static void fragmented(unsigned long busy, bool scaling)
{
	unsigned long i, first, n = 1000;
	struct bench b;
	char name[64];

	setup(&b, 2 * busy + n);
	for (i = 0; i < 2 * busy; i++)
		keep(&b, bench_alloc(&b, 1, 1));
	for (i = 0; i < busy; i++)
		bench_free(&b, b.live[2 * i]);
	for (i = 0; i < busy; i++)
		b.live[i] = b.live[2 * i + 1];
	b.nr_live = busy;
	first = b.nr_live;

	begin();
	for (i = 0; i < n; i++)
		keep(&b, bench_alloc(&b, 1, 1));
	snprintf(name, sizeof(name), "%s%lu_alloc_1page", scaling ? "n=" :
		 "busy_", busy);
	end(name, n);
	begin();
	for (i = 0; i < n; i++)
		bench_free(&b, b.live[first + i]);
	snprintf(name, sizeof(name), "%s%lu_free_1page", scaling ? "n=" :
		 "busy_", busy);
	end(name, n);
	b.nr_live = first;

	begin();
	for (i = 0; i < n; i++)
		keep(&b, bench_alloc(&b, 2, 1));
	snprintf(name, sizeof(name), "%s%lu_alloc_2pages", scaling ? "n=" :
		 "busy_", busy);
	end(name, n);
	begin();
	for (i = 0; i < n; i++)
		bench_free(&b, b.live[first + i]);
	snprintf(name, sizeof(name), "%s%lu_free_2pages", scaling ? "n=" :
		 "busy_", busy);
	end(name, n);
	b.nr_live = first;
	teardown(&b);
}

/* 100,000 ranges side by side, freed in a random order. */
static void random_free(void)
{
	unsigned long i, n = 100000;
	struct bench b;

	setup(&b, n);
	for (i = 0; i < n; i++)
		keep(&b, bench_alloc(&b, 1 + rnd(4), 1));
	begin();
	while (b.nr_live)
		drop(&b, rnd(b.nr_live));
	end("free_random_order_100000", n);
	teardown(&b);
}

int main(int argc, char **argv)
{
	static const unsigned long sizes[] = {
		1000, 3000, 10000, 30000, 100000,
	};
	unsigned int i;

	churn();
	random_sizes(1);
	random_sizes(10);
	fragmented(100000, false);
	random_free();
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		fragmented(sizes[i], true);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of mm/vmap_space.c: unit tests with address maps, exhaustive
 * operation sequences in a tiny space, failure injection, and a replay of
 * the fuzzer's seed corpus.
 *
 * Usage: vmap_space_test [--seeds seeds.txt] [input files...]
 *        vmap_space_test --export seeds.txt DIR   (seeds as files)
 *
 * Maps draw one page per character (see world.c): ' ' hole, '.' free, a
 * letter busy, one extent per run of the same letter. Every operation of
 * the world is also checked against its page model, and the whole
 * structure is checked after it, so the maps below say what the test
 * means rather than all that it checks.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanitizer/lsan_interface.h>
#include <unistd.h>

#include "harness.h"

/* Where most tests put their space: aligned far beyond any test alignment. */
#define BASE	0x40000000UL
#define TOP	((ULONG_MAX & ~(PG - 1)))

static struct world W;
static char msg[512];

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			snprintf(msg, sizeof(msg), "%s:%d: %s (%s)",	\
				 __FILE__, __LINE__, #cond, W.why);	\
			return false;					\
		}							\
	} while (0)

#define CHECK_EQ(a, b)							\
	do {								\
		long long _a = (long long)(a), _b = (long long)(b);	\
		if (_a != _b) {						\
			snprintf(msg, sizeof(msg),			\
				 "%s:%d: %s == %lld, want %lld (%s)",	\
				 __FILE__, __LINE__, #a, _a, _b, W.why); \
			return false;					\
		}							\
	} while (0)

static unsigned long pa(unsigned int page)
{
	return W.base + page * PG;
}

static bool map_is(const char *want)
{
	char have[WORLD_PAGES + 1];

	world_draw(&W, have);
	if (strcmp(have, want)) {
		snprintf(W.why, sizeof(W.why), "map |%s| want |%s|", have,
			 want);
		return false;
	}
	return true;
}

/* Allocate in the whole world with the given spare mode. */
static bool alloc_m(unsigned int pages, unsigned int align_pages,
		    enum spare_mode mode)
{
	return world_alloc(&W, pages * PG, align_pages * PG, W.base,
			   pa(W.pages), mode) && world_verify(&W);
}

static bool alloc(unsigned int pages, unsigned int align_pages)
{
	return alloc_m(pages, align_pages, SPARE_PRELOAD);
}

static bool alloc_in(unsigned int pages, unsigned int align_pages,
		     unsigned int lo, unsigned int hi)
{
	return world_alloc(&W, pages * PG, align_pages * PG, pa(lo), pa(hi),
			   SPARE_PRELOAD) && world_verify(&W);
}

static bool free_nth(unsigned int k)
{
	return world_free(&W, k) && world_verify(&W);
}

/* ---- the four cuts ---- */

/*
 *   AA....BB  alloc 4 pages
 *   AACCCCBB  the free extent is taken whole; its node goes to the spare
 *             slot when that is empty, else back to the cache
 */
static bool test_cut_whole(void)
{
	CHECK(world_init(&W, BASE, "AA....BB", false));
	CHECK(alloc_m(4, 1, SPARE_DROP));
	CHECK(map_is("AABBBBCC"));
	CHECK_EQ(W.vs.cuts[VMAP_CUT_WHOLE], 1);
	CHECK_EQ(W.vs.nr_free, 0);
	CHECK(W.spare);		/* recycled into the empty slot */
	CHECK_EQ(vmap_space_largest(&W.vs), 0);
	CHECK(world_fini(&W));
	return true;
}

/*
 *   AA......  alloc 2 pages
 *   AABB....  cut at the left edge: the free node shrinks in place
 */
static bool test_cut_left(void)
{
	CHECK(world_init(&W, BASE, "AA......", false));
	CHECK(alloc_m(2, 1, SPARE_NONE));
	CHECK(map_is("AABB...."));
	CHECK_EQ(W.vs.cuts[VMAP_CUT_LEFT], 1);
	CHECK_EQ(W.vs.nr_free, 1);
	CHECK(world_fini(&W));
	return true;
}

/*
 *   AAA.....  alloc 4 pages aligned to 4 pages: page 3 is not aligned
 *   AAA.BBBB  cut at the right edge
 */
static bool test_cut_right(void)
{
	CHECK(world_init(&W, BASE, "AAA.....", false));
	CHECK(alloc_m(4, 4, SPARE_NONE));
	CHECK(map_is("AAA.BBBB"));
	CHECK_EQ(W.vs.cuts[VMAP_CUT_RIGHT], 1);
	CHECK(world_fini(&W));
	return true;
}

/*
 *   ........  alloc 2 pages aligned to 4 pages, window from page 1
 *   ....AA..  split in the middle: the spare becomes the right part
 */
static bool test_cut_middle(void)
{
	CHECK(world_init(&W, BASE, "........", false));
	CHECK(world_alloc(&W, 2 * PG, 4 * PG, pa(1), pa(8), SPARE_PRELOAD));
	CHECK(map_is("....AA.."));
	CHECK_EQ(W.vs.cuts[VMAP_CUT_MIDDLE], 1);
	CHECK_EQ(W.vs.nr_free, 2);
	CHECK(!W.spare);	/* consumed */
	CHECK(world_verify(&W));
	CHECK(world_fini(&W));
	return true;
}

/*
 *   ........  a middle split with no spare fails with -ENOMEM and changes
 *   ........  nothing, whether the slot is empty or there is no slot; the
 *   ....AA..  same request succeeds once a spare is preloaded
 */
static bool test_cut_middle_no_spare(void)
{
	CHECK(world_init(&W, BASE, "........", true));
	CHECK(world_alloc(&W, 2 * PG, 4 * PG, pa(1), pa(8), SPARE_DROP));
	CHECK_EQ(W.last_err, -ENOMEM);
	CHECK(world_verify(&W) && map_is("........"));
	CHECK(world_alloc(&W, 2 * PG, 4 * PG, pa(1), pa(8), SPARE_NONE));
	CHECK_EQ(W.last_err, -ENOMEM);
	CHECK(world_verify(&W) && map_is("........"));
	/* An edge cut needs no spare. */
	CHECK(alloc_m(1, 1, SPARE_DROP));
	CHECK(map_is("A......."));
	CHECK(world_alloc(&W, 2 * PG, 4 * PG, pa(1), pa(8), SPARE_PRELOAD));
	CHECK_EQ(W.last_err, 0);
	CHECK(map_is("A...BB.."));
	CHECK_EQ(W.vs.cuts[VMAP_CUT_MIDDLE], 1);
	CHECK(world_fini(&W));
	return true;
}

/* ---- alignment ---- */

/*
 *   ................  alignment up to the window: 16 pages in a 16-page
 *   A...............  window; twice the window is refused, as are 0 and 3
 */
static bool test_align_extremes(void)
{
	CHECK(world_init(&W, BASE, "................", false));
	CHECK(world_alloc(&W, PG, 32 * PG, pa(0), pa(16), SPARE_PRELOAD));
	CHECK_EQ(W.last_err, -EINVAL);
	CHECK(world_alloc(&W, PG, 0, pa(0), pa(16), SPARE_PRELOAD));
	CHECK_EQ(W.last_err, -EINVAL);
	CHECK(world_alloc(&W, PG, 3 * PG, pa(0), pa(16), SPARE_PRELOAD));
	CHECK_EQ(W.last_err, -EINVAL);
	CHECK(world_alloc(&W, PG, 3, pa(0), pa(16), SPARE_PRELOAD));
	CHECK_EQ(W.last_err, -EINVAL);
	CHECK(world_alloc(&W, PG, 16 * PG, pa(0), pa(16), SPARE_PRELOAD));
	CHECK_EQ(W.last_addr, pa(0));
	CHECK(map_is("A..............."));
	/* The next 16-page boundary is past the space. */
	CHECK(world_alloc(&W, PG, 16 * PG, pa(1), pa(17), SPARE_PRELOAD));
	CHECK_EQ(W.last_err, -ENOSPC);
	/* Byte alignments below a page are as good as a page here. */
	CHECK(world_alloc(&W, PG, 1, pa(0), pa(16), SPARE_PRELOAD));
	CHECK_EQ(W.last_addr, pa(1));
	CHECK(world_alloc(&W, PG, 8 * PG, pa(0), pa(16), SPARE_PRELOAD));
	CHECK_EQ(W.last_addr, pa(8));
	CHECK(map_is("AB......C......."));
	CHECK(world_verify(&W));
	CHECK(world_fini(&W));
	return true;
}

/*
 *   base 0:  ................  align 1 << 63 in the window [0, ULONG_MAX):
 *            A...............  only 0 and 1 << 63 qualify
 */
static bool test_align_huge(void)
{
	CHECK(world_init(&W, 0, "................", false));
	CHECK(world_alloc(&W, PG, 1UL << 63, 0, ULONG_MAX, SPARE_PRELOAD));
	CHECK_EQ(W.last_err, 0);
	CHECK_EQ(W.last_addr, 0);
	CHECK(world_alloc(&W, PG, 1UL << 63, 0, ULONG_MAX, SPARE_PRELOAD));
	CHECK_EQ(W.last_err, -ENOSPC);
	CHECK(world_alloc(&W, PG, 1UL << 63, PG, ULONG_MAX, SPARE_PRELOAD));
	CHECK_EQ(W.last_err, -ENOSPC);
	CHECK(map_is("A..............."));
	CHECK(world_verify(&W));
	CHECK(world_fini(&W));
	return true;
}

/*
 * Sure fits first: with an alignment above the granule, extents too short to
 * hold the request at every alignment are used only when nothing else can.
 *
 *   ..A..B........  2 pages aligned to 2: [0, 2) would do, but a 2-page
 *   ..A..BCC......  extent is not sure (2 + 2 - 1 pages); the first sure
 *                   extent is [6, 14)
 *   ..A             with nothing sure, the lucky [0, 2) is taken
 *   BBA
 */
static bool test_sure_fit(void)
{
	CHECK(world_init(&W, BASE, "..A..B........", false));
	CHECK(alloc(2, 2));
	CHECK(map_is("..A..BCC......"));
	CHECK(world_fini(&W));
	CHECK(world_init(&W, BASE, "..A", false));
	CHECK(alloc(2, 2));
	CHECK(map_is("AAB"));
	CHECK(world_fini(&W));
	return true;
}

/* ---- windows ---- */

/*
 *   ....  ......  the window [vstart, vend) at and across the edges of
 *                 the space and of its hole
 */
static bool test_window_edges(void)
{
	CHECK(world_init(&W, BASE, "....  ......", false));
	/* Empty, inverted and too short windows are refused. */
	CHECK(world_alloc(&W, PG, PG, pa(2), pa(2), SPARE_PRELOAD));
	CHECK_EQ(W.last_err, -EINVAL);
	CHECK(world_alloc(&W, PG, PG, pa(3), pa(2), SPARE_PRELOAD));
	CHECK_EQ(W.last_err, -EINVAL);
	CHECK(world_alloc(&W, 2 * PG, PG, pa(2), pa(3), SPARE_PRELOAD));
	CHECK_EQ(W.last_err, -EINVAL);
	CHECK(world_alloc(&W, 0, PG, pa(0), pa(12), SPARE_PRELOAD));
	CHECK_EQ(W.last_err, -EINVAL);
	/* A window inside the hole, or below or above the space. */
	CHECK(alloc_in(1, 1, 4, 6));
	CHECK_EQ(W.last_err, -ENOSPC);
	CHECK(world_alloc(&W, PG, PG, 0, W.base, SPARE_PRELOAD));
	CHECK_EQ(W.last_err, -ENOSPC);
	CHECK(world_alloc(&W, PG, PG, pa(12), ULONG_MAX, SPARE_PRELOAD));
	CHECK_EQ(W.last_err, -ENOSPC);
	/* Exactly the last page; exactly the first. */
	CHECK(alloc_in(1, 1, 11, 12));
	CHECK_EQ(W.last_addr, pa(11));
	CHECK(alloc_in(1, 1, 0, 1));
	CHECK_EQ(W.last_addr, pa(0));
	CHECK(map_is("A...  .....B"));
	/* A window that starts in the hole; one that ends inside a page. */
	CHECK(alloc_in(2, 1, 5, 12));
	CHECK(map_is("A...  BB...C"));
	CHECK(world_alloc(&W, PG, PG, pa(1), pa(2) + PG / 2, SPARE_PRELOAD));
	CHECK(map_is("AB..  CC...D"));
	/* The whole address space as the window. */
	CHECK(world_alloc(&W, 3 * PG, PG, 0, ULONG_MAX, SPARE_PRELOAD));
	CHECK(map_is("AB..  CCDDDE"));
	CHECK(world_verify(&W));
	CHECK(world_fini(&W));
	return true;
}

/*
 *   ........  fill it; then nothing fits
 *   AABBCCDD  free one: it fits again, exactly there
 *   AA..CCDD
 */
static bool test_exhaustion(void)
{
	CHECK(world_init(&W, BASE, "........", true));
	CHECK(alloc(2, 1) && alloc(2, 1) && alloc(2, 1) && alloc(2, 1));
	CHECK(map_is("AABBCCDD"));
	CHECK(alloc(1, 1));
	CHECK_EQ(W.last_err, -ENOSPC);
	CHECK_EQ(W.vs.free_bytes, 0);
	CHECK(free_nth(1));
	CHECK(alloc(3, 1));
	CHECK_EQ(W.last_err, -ENOSPC);
	CHECK(alloc(2, 1));
	CHECK_EQ(W.last_addr, pa(2));
	CHECK(world_fini(&W));
	return true;
}

/* Place a set of @nr extents in the whole world and claim it. */
static bool place_set(const unsigned long *offsets, const size_t *sizes,
		      unsigned int nr, unsigned long align)
{
	struct vmap_set set = {
		.offsets = offsets, .sizes = sizes, .nr = nr, .align = align,
		.lo = W.base, .hi = pa(W.pages),
	};

	return world_place_set(&W, &set) && world_verify(&W);
}

/*
 * Sets whose span is most of the space (the percpu chunks of a NUMA
 * machine, one extent per node) interleave down from the top: each needs
 * only its own extents free, not the span between them.
 *
 *   ................................  two pages at 0 and at 24: a span of
 *   AABBCCDD................EEFFGGHH  26 of 32 pages, yet four sets fit
 */
static bool test_set_interleaves(void)
{
	static const unsigned long offsets[] = { 0, 24 * PG };
	static const size_t sizes[] = { 2 * PG, 2 * PG };
	unsigned long bases[4];
	unsigned int i;

	CHECK(world_init(&W, BASE, "................................", true));
	for (i = 0; i < 4; i++) {
		CHECK(place_set(offsets, sizes, 2, PG));
		CHECK_EQ(W.last_err, 0);
		bases[i] = W.last_addr;
	}
	CHECK(map_is("AABBCCDD................EEFFGGHH"));
	CHECK_EQ(bases[0], pa(6));
	CHECK_EQ(bases[3], pa(0));
	CHECK(place_set(offsets, sizes, 2, PG));
	CHECK_EQ(W.last_err, -ENOSPC);
	CHECK(map_is("AABBCCDD................EEFFGGHH"));
	CHECK(world_fini(&W));
	return true;
}

/*
 * The base steps down past what is busy under each extent in turn, and
 * keeps its alignment: extents at 0 (one page) and 5 (two pages), base
 * aligned to 2 pages. From the highest base, 8: the second extent is on
 * Y, so 6; the first is on W, so 4; the second is on X, so 2.
 *
 *   ......W...X..Y..
 *   ..A...BCC.D..E..
 */
static bool test_set_steps_down(void)
{
	static const unsigned long offsets[] = { 0, 5 * PG };
	static const size_t sizes[] = { PG, 2 * PG };

	CHECK(world_init(&W, BASE, "......W...X..Y..", true));
	CHECK(place_set(offsets, sizes, 2, 2 * PG));
	CHECK_EQ(W.last_err, 0);
	CHECK_EQ(W.last_addr, pa(2));
	CHECK(map_is("..A...BCC.D..E.."));
	/* Base 0 would put the second extent on C: no room left. */
	CHECK(place_set(offsets, sizes, 2, 2 * PG));
	CHECK_EQ(W.last_err, -ENOSPC);
	CHECK(world_fini(&W));
	return true;
}

/*
 * Sets that can never fit are refused with -EINVAL, and a set that is
 * wider than the window or finds no room with -ENOSPC; nothing changes.
 */
static bool test_set_refused(void)
{
	unsigned long offsets[] = { 0, 2 * PG };
	size_t sizes[] = { PG, PG };
	struct vmap_set set = {
		.offsets = offsets, .sizes = sizes, .nr = 2, .align = PG,
	};
	unsigned long base = 0xdead;

	CHECK(world_init(&W, BASE, "....A...", true));
	set.lo = W.base;
	set.hi = pa(8);
	set.nr = 0;
	CHECK_EQ(vmap_space_place_set(&W.vs, &set, &base), -EINVAL);
	set.nr = 2;
	set.align = 3 * PG;
	CHECK_EQ(vmap_space_place_set(&W.vs, &set, &base), -EINVAL);
	set.align = PG;
	sizes[1] = 3 * PG;	/* overlaps nothing: 2..5 */
	offsets[1] = 0;		/* now it overlaps the first */
	CHECK_EQ(vmap_space_place_set(&W.vs, &set, &base), -EINVAL);
	offsets[1] = PG + 1;	/* not a page multiple */
	CHECK_EQ(vmap_space_place_set(&W.vs, &set, &base), -EINVAL);
	offsets[1] = 2 * PG;
	sizes[1] = 0;
	CHECK_EQ(vmap_space_place_set(&W.vs, &set, &base), -EINVAL);
	sizes[1] = 7 * PG;	/* a span of 9 pages in a window of 8 */
	CHECK_EQ(vmap_space_place_set(&W.vs, &set, &base), -ENOSPC);
	sizes[1] = 4 * PG;	/* needs 2..5 free below the busy page */
	CHECK(world_place_set(&W, &set));
	CHECK_EQ(W.last_err, -ENOSPC);
	CHECK_EQ(base, 0xdead);
	CHECK(map_is("....A..."));
	CHECK(world_fini(&W));
	return true;
}

/*
 * The last pages below 2^64: nothing may wrap.
 *
 *   ................|2^64   alloc up to the top; windows ending at
 *   ..............AA|       ULONG_MAX; sizes and alignments near 2^64
 */
static bool test_top_of_space(void)
{
	struct vmap_request req;
	struct vmap_range *spare = NULL;
	unsigned long addr;

	CHECK(world_init(&W, TOP - 16 * PG, "................", false));
	CHECK(world_alloc(&W, 2 * PG, PG, pa(14), ULONG_MAX, SPARE_PRELOAD));
	CHECK_EQ(W.last_addr, TOP - 2 * PG);
	CHECK(map_is("..............AA"));
	CHECK(world_alloc(&W, ULONG_MAX, PG, 0, ULONG_MAX, SPARE_PRELOAD));
	CHECK_EQ(W.last_err, -ENOSPC);
	CHECK(world_alloc(&W, ULONG_MAX, PG, 1, ULONG_MAX, SPARE_PRELOAD));
	CHECK_EQ(W.last_err, -EINVAL);
	CHECK(world_alloc(&W, ULONG_MAX - PG + 1, PG, pa(0), ULONG_MAX,
			  SPARE_PRELOAD));
	CHECK_EQ(W.last_err, -EINVAL);
	/* Aligning up from the top would wrap: no fit, no wrap. */
	CHECK(world_alloc(&W, PG, 1UL << 63, 1, ULONG_MAX, SPARE_PRELOAD));
	CHECK_EQ(W.last_err, -ENOSPC);
	CHECK(world_alloc(&W, PG, 1UL << 40, 0, ULONG_MAX, SPARE_PRELOAD));
	CHECK_EQ(W.last_err, -ENOSPC);
	/* An alignment larger than a window near the top is refused. */
	CHECK(world_alloc(&W, PG, 1UL << 63, (1UL << 63) + 1, ULONG_MAX,
			  SPARE_PRELOAD));
	CHECK_EQ(W.last_err, -EINVAL);
	CHECK(world_verify(&W));
	CHECK(world_fini(&W));

	/* Byte granularity right under ULONG_MAX, straight on the API. */
	CHECK_EQ(vmap_space_init(&W.vs, 1, NULL, NULL), 0);
	CHECK_EQ(vmap_space_preload(&W.vs, &spare, GFP_KERNEL), 0);
	CHECK_EQ(vmap_space_add(&W.vs, ULONG_MAX - 10, ULONG_MAX, &spare), 0);
	req = (struct vmap_request){ 10, 2, ULONG_MAX - 10, ULONG_MAX };
	CHECK_EQ(vmap_space_alloc(&W.vs, &req, &spare, &addr), -ENOSPC);
	req.size = 9;
	CHECK_EQ(vmap_space_alloc(&W.vs, &req, &spare, &addr), 0);
	CHECK_EQ(addr, ULONG_MAX - 9);
	CHECK_EQ(W.vs.cuts[VMAP_CUT_RIGHT], 1);
	CHECK_EQ(vmap_space_check(&W.vs, NULL, 0, 9), 0);
	CHECK_EQ(vmap_space_add(&W.vs, ULONG_MAX, ULONG_MAX, &spare), -EINVAL);
	vmap_space_node_free(&W.vs, spare);
	vmap_space_destroy(&W.vs);
	return true;
}

/* ---- freeing ---- */

/*
 * Extents named by their letters in the first map (world_draw() letters
 * them again from A after every step, so the checked maps do too):
 *
 *   ABCDE...  free B, busy on both sides    -> A.CDE...  none
 *   A.CDE...  free A, free on its right     -> ..CDE...  right
 *   ..CDE...  free D, busy on both sides    -> ..C.E...  none
 *   ..C.E...  free C, free on both sides    -> ....E...  both
 *   ....E...  free E, free on both sides    -> ........  both
 */
static bool test_merge(void)
{
	CHECK(world_init(&W, BASE, "ABCDE...", false));
	CHECK(free_nth(1));
	CHECK(map_is("A.BCD..."));
	CHECK_EQ(W.vs.merges[VMAP_MERGE_NONE], 1);
	CHECK(free_nth(0));
	CHECK(map_is("..ABC..."));
	CHECK_EQ(W.vs.merges[VMAP_MERGE_RIGHT], 1);
	CHECK(free_nth(1));
	CHECK(map_is("..A.B..."));
	CHECK_EQ(W.vs.merges[VMAP_MERGE_NONE], 2);
	CHECK(free_nth(0));
	CHECK(map_is("....A..."));
	CHECK_EQ(W.vs.merges[VMAP_MERGE_BOTH], 1);
	CHECK(free_nth(0));
	CHECK(map_is("........"));
	CHECK_EQ(W.vs.merges[VMAP_MERGE_BOTH], 2);
	CHECK_EQ(W.vs.nr_free, 1);
	CHECK(world_fini(&W));

	/*
	 *   ..AB  free A: free on the left only -> ...A  (left)
	 */
	CHECK(world_init(&W, BASE, "..AB", true));
	CHECK(free_nth(0));
	CHECK(map_is("...A"));
	CHECK_EQ(W.vs.merges[VMAP_MERGE_LEFT], 1);
	CHECK(world_fini(&W));

	/*
	 *   .A  B.  a hole is not free space: freeing A and B glues them to
	 *   .. ...  nothing across it
	 */
	CHECK(world_init(&W, BASE, ".A B.", false));
	CHECK(free_nth(0) && free_nth(0));
	CHECK(map_is(".. .."));
	CHECK_EQ(W.vs.nr_free, 2);
	CHECK_EQ(W.vs.merges[VMAP_MERGE_LEFT], 1);
	CHECK_EQ(W.vs.merges[VMAP_MERGE_RIGHT], 1);
	CHECK(world_fini(&W));
	return true;
}

/* Freeing what is already free, or nothing, is refused and changes nothing. */
static bool test_bad_free(void)
{
	struct vmap_range *r;

	CHECK(world_init(&W, BASE, "..AA..", false));
	CHECK(world_double_free(&W, 0) && world_double_free(&W, 5));
	r = vmap_space_node_alloc(&W.vs, GFP_KERNEL);
	CHECK(r);
	r->start = pa(1);
	r->end = pa(3);		/* half free, half busy */
	CHECK_EQ(vmap_space_free(&W.vs, r), -EINVAL);
	r->start = pa(3);
	r->end = pa(3);
	CHECK_EQ(vmap_space_free(&W.vs, r), -EINVAL);
	r->start = pa(3);
	r->end = pa(2);
	CHECK_EQ(vmap_space_free(&W.vs, r), -EINVAL);
	vmap_space_node_free(&W.vs, r);
	CHECK(world_verify(&W) && map_is("..AA.."));
	CHECK(world_fini(&W));
	return true;
}

/* ---- set-up ---- */

/*
 *   ....  ..AA  ....  initial ranges with holes and an early busy area:
 *                     no allocation spans a hole, claims cannot take
 *                     what is not free, and filling a hole glues both sides
 */
static bool test_initial_ranges(void)
{
	struct vmap_range *none = NULL;

	CHECK(world_init(&W, BASE, "....  ..AA  ....", false));
	CHECK_EQ(W.vs.total, 12 * PG);
	CHECK_EQ(W.vs.nr_free, 3);
	CHECK(alloc(5, 1));
	CHECK_EQ(W.last_err, -ENOSPC);
	CHECK(alloc(4, 1));
	CHECK(map_is("AAAA  ..BB  ...."));
	CHECK(world_claim(&W, pa(6), pa(8), SPARE_PRELOAD));
	CHECK(map_is("AAAA  BBCC  ...."));
	CHECK(world_claim(&W, pa(11), pa(13), SPARE_PRELOAD));
	CHECK_EQ(W.last_err, -ENOENT);		/* across a hole */
	CHECK(world_claim(&W, pa(8), pa(9), SPARE_PRELOAD));
	CHECK_EQ(W.last_err, -ENOENT);		/* busy */
	CHECK(world_claim(&W, pa(13), pa(13), SPARE_PRELOAD));
	CHECK_EQ(W.last_err, -EINVAL);
	CHECK(world_claim(&W, pa(13), pa(14), SPARE_DROP));
	CHECK_EQ(W.last_err, -ENOMEM);		/* middle, no spare */
	CHECK(world_claim(&W, pa(13), pa(14), SPARE_PRELOAD));
	CHECK(map_is("AAAA  BBCC  .D.."));
	CHECK(world_verify(&W));

	/* Adding over free space is refused; adding beside it glues. */
	CHECK_EQ(vmap_space_add(&W.vs, pa(11), pa(13), &W.spare), -EINVAL);
	CHECK_EQ(vmap_space_add(&W.vs, pa(5), pa(4), &W.spare), -EINVAL);
	CHECK_EQ(vmap_space_add(&W.vs, pa(17), pa(18), &none), -ENOMEM);
	CHECK_EQ(vmap_space_add(&W.vs, pa(10), pa(12), &none), 0);
	memset(&W.state[10], PAGE_FREE, 2);
	CHECK_EQ(W.vs.merges[VMAP_MERGE_RIGHT], 1);
	CHECK(world_verify(&W));
	CHECK(map_is("AAAA  BBCC...D.."));
	CHECK(world_fini(&W));
	return true;
}

/* ---- the busy index ---- */

/*
 *   AAB..CCC....  every address of every page, and a few outside: the
 *                 containing extent, and the exact start only at a start
 */
static bool test_busy_lookup(void)
{
	unsigned long off;
	unsigned int p;
	struct vmap_range r = { 0 };

	CHECK(world_init(&W, BASE, "AAB..CCC..D.", false));
	for (p = 0; p < W.pages; p++)
		for (off = 0; off < PG; off += PG / 8)
			CHECK(world_lookup(&W, pa(p) + off));
	CHECK(world_lookup(&W, pa(p) + PG - 1));
	CHECK(world_lookup(&W, pa(0) - 1));
	CHECK(world_lookup(&W, 0) && world_lookup(&W, ULONG_MAX));

	/* Overlapping or empty extents are refused by the index. */
	r.start = pa(1);
	r.end = pa(3);
	for (p = 0; p < WORLD_SHARDS; p++) {
		struct vmap_busy *b = &W.shards[p];

		if (vmap_busy_find(b, pa(1)) || vmap_busy_find(b, pa(2)))
			CHECK_EQ(vmap_busy_insert(b, &r), -EEXIST);
	}
	r.start = pa(3);
	CHECK_EQ(vmap_busy_insert(&W.shards[0], &r), -EINVAL);
	CHECK(world_verify(&W));
	CHECK(world_fini(&W));
	return true;
}

/*
 * Iteration in address order, through one index and across shards, from
 * any address: an extent that contains the address comes first.
 */
static bool test_busy_iteration(void)
{
	struct vmap_busy one;
	struct vmap_range nodes[40], *r;
	unsigned int i, n = 40;
	unsigned long prev;

	vmap_busy_init(&one);
	CHECK(!vmap_busy_seek(&one, 0));
	/* Insert in a scrambled order: i * 7 mod 40. */
	for (i = 0; i < n; i++) {
		unsigned int k = i * 7 % n;

		nodes[k].start = BASE + k * 4 * PG;
		nodes[k].end = nodes[k].start + (k % 3 + 1) * PG;
		CHECK_EQ(vmap_busy_insert(&one, &nodes[k]), 0);
	}
	CHECK_EQ(one.nr, n);
	i = 0;
	prev = 0;
	for (r = vmap_busy_seek(&one, 0); r; r = vmap_busy_next(r)) {
		CHECK(r == &nodes[i]);
		CHECK(r->start >= prev);
		prev = r->end;
		i++;
	}
	CHECK_EQ(i, n);
	CHECK(vmap_busy_seek(&one, BASE + 3 * PG) == &nodes[1]);
	CHECK(vmap_busy_seek(&one, BASE + 4 * PG + 1) == &nodes[1]);
	CHECK(vmap_busy_seek(&one, BASE + 5 * PG) == &nodes[1]);
	CHECK(vmap_busy_seek(&one, BASE + 6 * PG) == &nodes[2]);
	CHECK(!vmap_busy_seek(&one, nodes[n - 1].end));
	CHECK(vmap_busy_lookup(&one, nodes[5].start) == &nodes[5]);
	CHECK(!vmap_busy_lookup(&one, nodes[5].start + 1));
	CHECK(vmap_busy_find(&one, nodes[5].end - 1) == &nodes[5]);
	CHECK(!vmap_busy_find(&one, nodes[5].end));
	for (i = 0; i < n; i += 2)
		vmap_busy_erase(&one, &nodes[i]);
	CHECK_EQ(one.nr, n / 2);
	for (i = 0, r = vmap_busy_seek(&one, 0); r; r = vmap_busy_next(r))
		CHECK(r == &nodes[2 * i++ + 1]);

	/* Across shards, through the world. */
	CHECK(world_init(&W, BASE, "AB.CDD.EFG.HHH..IJKLMNOP", true));
	CHECK(world_verify(&W));
	CHECK(free_nth(3) && free_nth(7));
	CHECK(world_fini(&W));
	return true;
}

/* ---- failure injection ---- */

/*
 * Every allocation of nodes, failed in turn: init, preload, the busy node.
 * The structure must stay intact, and a middle split whose spare could not
 * be preloaded must fail cleanly.
 */
static bool test_fail_injection(void)
{
	struct vmap_space vs;
	struct vmap_range *spare = NULL;
	unsigned int nth;

	shim_fail_after = 0;
	CHECK_EQ(vmap_space_init(&vs, PG, NULL, NULL), -ENOMEM);
	CHECK_EQ(vmap_space_init(&vs, 3 * PG, NULL, NULL), -EINVAL);
	shim_fail_after = -1;

	CHECK(world_init(&W, BASE, "................", false));
	shim_fail_after = 0;
	CHECK_EQ(vmap_space_preload(&W.vs, &spare, GFP_KERNEL), -ENOMEM);
	CHECK(!spare);
	vmap_space_node_free(&W.vs, W.spare);
	W.spare = NULL;
	/* Preload fails: the middle split fails, the edge cut works. */
	for (nth = 0; nth < 2; nth++) {
		vmap_space_node_free(&W.vs, W.spare);
		W.spare = NULL;
		shim_fail_after = nth;	/* 0: busy node, 1: spare */
		CHECK(world_alloc(&W, PG, 4 * PG, pa(1), pa(16), SPARE_PRELOAD));
		CHECK_EQ(W.last_err, -ENOMEM);
		CHECK(world_verify(&W) && map_is("................"));
	}
	shim_fail_after = -1;
	CHECK(world_alloc(&W, PG, 4 * PG, pa(1), pa(16), SPARE_PRELOAD));
	CHECK_EQ(W.last_err, 0);
	CHECK(map_is("....A..........."));

	/* With every allocation failing, frees and edge cuts still work. */
	CHECK(alloc(2, 1));
	CHECK(map_is("AA..B..........."));
	shim_fail_always = true;
	CHECK(free_nth(0) && free_nth(0));
	CHECK(map_is("................"));
	CHECK(world_claim(&W, pa(0), pa(2), SPARE_KEEP));	/* no node */
	CHECK(map_is("................"));
	shim_fail_always = false;
	CHECK(world_fini(&W));

	/* The same with the caller's hooks. */
	CHECK(world_init(&W, BASE, "......", true));
	CHECK(world_alloc(&W, PG, PG, pa(1), pa(6), SPARE_DROP));
	CHECK_EQ(W.last_err, -ENOMEM);
	shim_fail_after = 1;
	CHECK(world_alloc(&W, PG, PG, pa(1), pa(6), SPARE_PRELOAD));
	CHECK_EQ(W.last_err, -ENOMEM);
	shim_fail_after = -1;
	CHECK(world_verify(&W) && map_is("......"));
	CHECK(world_alloc(&W, PG, PG, pa(1), pa(6), SPARE_PRELOAD));
	CHECK(map_is(".A...."));
	CHECK(world_fini(&W));
	return true;
}

/* ---- exhaustive sequences ---- */

/* The alphabet: allocations of a few sizes, alignments and spare modes... */
static const struct {
	unsigned char pages, align, lo, hi, mode;
} xallocs[] = {
	{ 1, 1, 0, 16, SPARE_PRELOAD },
	{ 2, 1, 0, 16, SPARE_KEEP },
	{ 3, 2, 0, 16, SPARE_PRELOAD },
	{ 1, 4, 1, 16, SPARE_DROP },		/* middle splits fail */
	{ 2, 8, 0, 16, SPARE_PRELOAD },
	{ 1, 1, 5, 11, SPARE_NONE },		/* a window, no slot */
};

#define NR_XALLOCS	ARRAY_SIZE(xallocs)
#define MAX_DEPTH	8

/* ...and "free the k-th busy extent" for every k. */
struct xseq {
	const char *map;
	unsigned long base;
	bool hooks;
	unsigned int depth;
	unsigned char ops[MAX_DEPTH];
	unsigned long sequences;
	unsigned long steps;
	bool failed;
};

static bool xstep(struct world *w, unsigned int op)
{
	unsigned int top = w->pages;

	if (op >= NR_XALLOCS)
		return world_free(w, op - NR_XALLOCS);
	return world_alloc(w, xallocs[op].pages * PG, xallocs[op].align * PG,
			   w->base + xallocs[op].lo * PG,
			   w->base + (xallocs[op].hi < top ? xallocs[op].hi : top) *
			   PG, xallocs[op].mode);
}

/* Replay ops[0..n) from scratch; verify after the last one. */
static bool xreplay(struct xseq *x, unsigned int n, unsigned int *nr_busy)
{
	unsigned int i;
	bool ok;

	ok = world_init(&W, x->base, x->map, x->hooks);
	for (i = 0; ok && i < n; i++)
		ok = xstep(&W, x->ops[i]);
	ok = ok && world_verify(&W);
	x->steps += n;
	*nr_busy = world_nr_busy(&W);
	if (!ok) {
		char line[128];
		int len = 0;

		for (i = 0; i < n; i++)
			len += snprintf(line + len, sizeof(line) - len, " %u",
					x->ops[i]);
		snprintf(msg, sizeof(msg), "map |%s| ops%s: %s", x->map, line,
			 W.why);
	}
	if (!world_fini(&W) && ok) {
		snprintf(msg, sizeof(msg), "fini: %s", W.why);
		ok = false;
	}
	return ok;
}

static bool xwalk(struct xseq *x, unsigned int n)
{
	unsigned int nr_busy, op;

	if (!xreplay(x, n, &nr_busy))
		return false;
	x->sequences++;
	if (n == x->depth)
		return true;
	for (op = 0; op < NR_XALLOCS + nr_busy; op++) {
		x->ops[n] = op;
		if (!xwalk(x, n + 1))
			return false;
	}
	return true;
}

static unsigned long x_total_sequences, x_total_steps;

static bool exhaustive(const char *map, unsigned long base, bool hooks,
		       unsigned int depth)
{
	struct xseq x = { .map = map, .base = base, .hooks = hooks,
			  .depth = depth };
	bool ok = xwalk(&x, 0);

	x_total_sequences += x.sequences;
	x_total_steps += x.steps;
	if (ok)
		snprintf(msg, sizeof(msg), "%lu sequences", x.sequences);
	return ok;
}

static unsigned int xdepth(unsigned int dflt)
{
	const char *env = getenv("VMAP_DEPTH");
	unsigned int d = env ? atoi(env) : dflt;

	return d > MAX_DEPTH ? MAX_DEPTH : d;
}

static bool test_exhaustive_plain(void)
{
	return exhaustive("................", BASE, false, xdepth(6));
}

static bool test_exhaustive_holes(void)
{
	return exhaustive(".A..  ...B..  ..", BASE, true, xdepth(6));
}

static bool test_exhaustive_top(void)
{
	return exhaustive("..........A.....", TOP - 16 * PG, false, xdepth(5));
}

/* ---- random sequences and the seed corpus ---- */

static unsigned long long rng = 0x9d2c5680a5a5a5a5ULL;

static unsigned int rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng >> 24;
}

static bool test_random_sequences(void)
{
	u8 buf[400];
	unsigned int i, j, runs = 20000;
	char why[256];

	for (i = 0; i < runs; i++) {
		size_t len = 16 + rnd() % (sizeof(buf) - 16);

		for (j = 0; j < len; j++)
			buf[j] = rnd();
		if (!world_run(buf, len, false, why, sizeof(why))) {
			snprintf(msg, sizeof(msg), "run %u: %s", i, why);
			return false;
		}
	}
	snprintf(msg, sizeof(msg), "%u runs", runs);
	return true;
}

static void report(const char *name, bool ok);

static bool replay(const u8 *buf, size_t len)
{
	char why[256];

	if (!world_run(buf, len, getenv("VMAP_VERBOSE"), why, sizeof(why))) {
		snprintf(msg, sizeof(msg), "%s", why);
		return false;
	}
	snprintf(msg, sizeof(msg), "%zu bytes, %lu operations", len,
		 world_ops);
	return true;
}

static u8 input[1 << 16];

/* A raw input file, such as a crash that libFuzzer saved. */
static bool replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t len;

	if (!f) {
		snprintf(msg, sizeof(msg), "cannot open %s", path);
		return false;
	}
	len = fread(input, 1, sizeof(input), f);
	fclose(f);
	return replay(input, len);
}

/* One line of hex into input[]; returns the length, or -1 if not hex. */
static long unhex(const char *line)
{
	size_t len = 0;
	unsigned int byte;

	while (line[0] && line[0] != '\n' && len < sizeof(input)) {
		if (sscanf(line, "%2x", &byte) != 1 || !line[1])
			return -1;
		input[len++] = byte;
		line += 2;
	}
	return len;
}

/*
 * The committed seeds (seeds.txt: "# what" then a line of hex): replay
 * each as a test, or with @dir write each to a file there for libFuzzer.
 */
static bool seeds(const char *path, const char *dir)
{
	char line[4096], what[128] = "", name[256];
	unsigned int n = 0;
	FILE *f = fopen(path, "r");
	long len;

	if (!f) {
		perror(path);
		return false;
	}
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#') {
			snprintf(what, sizeof(what), "%.100s", line + 2);
			what[strcspn(what, "\n")] = '\0';
			continue;
		}
		len = unhex(line);
		if (len <= 0)
			continue;
		n++;
		if (dir) {
			FILE *out;

			snprintf(name, sizeof(name), "%s/seed-%02u", dir, n);
			out = fopen(name, "wb");
			if (!out || fwrite(input, 1, len, out) != (size_t)len) {
				perror(name);
				return false;
			}
			fclose(out);
			continue;
		}
		msg[0] = '\0';
		snprintf(name, sizeof(name), "seed %02u %.40s", n, what);
		report(name, replay(input, len));
	}
	fclose(f);
	return true;
}

/* ---- the runner ---- */

static const struct {
	const char *name;
	bool (*fn)(void);
} tests[] = {
	{ "cut_whole", test_cut_whole },
	{ "cut_left", test_cut_left },
	{ "cut_right", test_cut_right },
	{ "cut_middle", test_cut_middle },
	{ "cut_middle_no_spare", test_cut_middle_no_spare },
	{ "align_extremes", test_align_extremes },
	{ "align_huge", test_align_huge },
	{ "sure_fit", test_sure_fit },
	{ "window_edges", test_window_edges },
	{ "exhaustion", test_exhaustion },
	{ "top_of_space", test_top_of_space },
	{ "set_interleaves", test_set_interleaves },
	{ "set_steps_down", test_set_steps_down },
	{ "set_refused", test_set_refused },
	{ "merge", test_merge },
	{ "bad_free", test_bad_free },
	{ "initial_ranges", test_initial_ranges },
	{ "busy_lookup", test_busy_lookup },
	{ "busy_iteration", test_busy_iteration },
	{ "fail_injection", test_fail_injection },
	{ "exhaustive_plain", test_exhaustive_plain },
	{ "exhaustive_holes", test_exhaustive_holes },
	{ "exhaustive_top", test_exhaustive_top },
	{ "random_sequences", test_random_sequences },
};

static unsigned int passed, failed;

static void report(const char *name, bool ok)
{
	if (ok)
		passed++;
	else
		failed++;
	printf("%-4s %-52s %s\n", ok ? "ok" : "FAIL", name, ok ? msg : "");
	if (!ok)
		printf("     %s\n", msg);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	unsigned int i;

	if (argc == 4 && !strcmp(argv[1], "--export"))
		return seeds(argv[2], argv[3]) ? 0 : 1;

	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		bool ok;

		msg[0] = '\0';
		memset(W.why, 0, sizeof(W.why));
		shim_fail_after = -1;
		shim_fail_always = false;
		ok = tests[i].fn();
		report(tests[i].name, ok);
	}
	for (i = 1; i < argc; i++) {
		char name[64];
		const char *base = strrchr(argv[i], '/');

		if (!strcmp(argv[i], "--seeds") && i + 1 < argc) {
			if (!seeds(argv[++i], NULL))
				failed++;
			continue;
		}
		msg[0] = '\0';
		snprintf(name, sizeof(name), "input %s",
			 base ? base + 1 : argv[i]);
		report(name, replay_file(argv[i]));
	}
	printf("exhaustive: %lu sequences, %lu steps\n", x_total_sequences,
	       x_total_steps);
	/* Leaks are a test of their own, so that the summary stays last. */
	msg[0] = '\0';
	report("no_leaks", !__lsan_do_recoverable_leak_check());
	printf("%u passed, %u failed\n", passed, failed);
	fflush(stdout);
	fflush(stderr);
	_exit(failed ? 1 : 0);
}

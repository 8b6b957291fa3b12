// SPDX-License-Identifier: GPL-2.0-only
/*
 * The world: mm/vmap_space.c driven side by side with a page map of at most
 * WORLD_PAGES pages that says, plainly and slowly, what must happen. Every
 * operation compares the allocator's answer with the map's; world_verify()
 * compares the whole structure.
 *
 * Maps are strings, one character a page: ' ' a hole (never managed), '.'
 * free, and any other character busy, a run of one character being one busy
 * extent ("..AAB  .." is two free pages, a busy extent of two pages, one of
 * one page, a hole of two pages and two free pages).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static bool fail(struct world *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->why, sizeof(w->why), fmt, ap);
	va_end(ap);
	return false;
}

static unsigned long page_addr(const struct world *w, unsigned int page)
{
	return w->base + page * PG;
}

static struct vmap_busy *shard_of(struct world *w, unsigned long start)
{
	unsigned long h = (start >> 12) * 0x9e3779b97f4a7c15UL;

	return &w->shards[(h >> 32) % WORLD_SHARDS];
}

unsigned int world_nr_busy(const struct world *w)
{
	unsigned int p, nr = 0;

	for (p = 0; p < w->pages; p++)
		nr += w->len[p] != 0;
	return nr;
}

void world_draw(const struct world *w, char *buf)
{
	unsigned int p, k = 0;
	char c = 'A';

	for (p = 0; p < w->pages; p++) {
		if (w->state[p] == PAGE_HOLE) {
			buf[p] = ' ';
		} else if (w->state[p] == PAGE_FREE) {
			buf[p] = '.';
		} else {
			if (w->len[p])
				c = 'A' + k++ % 26;
			buf[p] = c;
		}
	}
	buf[p] = '\0';
}

/* ---- set-up and tear-down ---- */

static bool prepare_spare(struct world *w, enum spare_mode mode)
{
	if (mode == SPARE_PRELOAD)
		vmap_space_preload(&w->vs, &w->spare, GFP_KERNEL);
	if (mode == SPARE_DROP) {
		vmap_space_node_free(&w->vs, w->spare);
		w->spare = NULL;
	}
	return w->spare;
}

static struct vmap_range **spare_slot(struct world *w, enum spare_mode mode)
{
	return mode == SPARE_NONE ? NULL : &w->spare;
}

/* Add managed pages [first, last) in pieces, out of order, to glue them. */
static bool add_run(struct world *w, unsigned int first, unsigned int last)
{
	unsigned int piece = 3, pass, p;
	int err;

	for (pass = 0; pass < 2; pass++) {
		for (p = first + pass * piece; p < last; p += 2 * piece) {
			unsigned int end = p + piece < last ? p + piece : last;

			vmap_space_preload(&w->vs, &w->spare, GFP_KERNEL);
			err = vmap_space_add(&w->vs, page_addr(w, p),
					     page_addr(w, end), &w->spare);
			if (err)
				return fail(w, "add [%u, %u): %d", p, end, err);
			memset(&w->state[p], PAGE_FREE, end - p);
		}
	}
	return true;
}

bool world_init(struct world *w, unsigned long base, const char *map,
		bool hooks)
{
	unsigned int p, q, n = strlen(map);

	memset(w, 0, sizeof(*w));
	w->live_before = shim_live_nodes;
	w->base = base;
	w->pages = n;
	if (n > WORLD_PAGES)
		return fail(w, "map longer than %d pages", WORLD_PAGES);
	if (vmap_space_init(&w->vs, PG, hooks ? &shim_hooks : NULL,
			    &w->hook_count))
		return fail(w, "init failed");
	for (p = 0; p < WORLD_SHARDS; p++) {
		vmap_busy_init(&w->shards[p]);
		w->shard_ptrs[p] = &w->shards[p];
	}
	for (p = 0; p < n; p = q) {
		for (q = p; q < n && (map[q] == ' ') == (map[p] == ' '); q++)
			;
		if (map[p] != ' ' && !add_run(w, p, q))
			return false;
	}
	/* Busy extents that exist before the allocator: claim them. */
	for (p = 0; p < n; p = q) {
		for (q = p + 1; q < n && map[q] == map[p]; q++)
			;
		if (map[p] == ' ' || map[p] == '.')
			continue;
		if (!world_claim(w, page_addr(w, p), page_addr(w, q),
				 SPARE_PRELOAD))
			return false;
		if (w->last_err)
			return fail(w, "claim %u..%u: %d", p, q, w->last_err);
	}
	/* Count cuts and merges from here on only. */
	memset(w->vs.cuts, 0, sizeof(w->vs.cuts));
	memset(w->vs.merges, 0, sizeof(w->vs.merges));
	return world_verify(w);
}

bool world_fini(struct world *w)
{
	unsigned int p;
	bool ok = true;

	for (p = 0; p < w->pages; p++) {
		struct vmap_range *r;
		struct vmap_busy *b;

		if (!w->len[p])
			continue;
		b = shard_of(w, page_addr(w, p));
		r = vmap_busy_lookup(b, page_addr(w, p));
		if (!r) {
			ok = fail(w, "busy page %u lost", p);
			continue;
		}
		vmap_busy_erase(b, r);
		vmap_space_node_free(&w->vs, r);
	}
	vmap_space_node_free(&w->vs, w->spare);
	w->spare = NULL;
	vmap_space_destroy(&w->vs);
	if (ok && shim_live_nodes != w->live_before)
		ok = fail(w, "%ld nodes leaked",
			  shim_live_nodes - w->live_before);
	if (ok && w->hook_count)
		ok = fail(w, "%ld hook nodes leaked", w->hook_count);
	return ok;
}

/* ---- verification ---- */

static bool verify_free(struct world *w)
{
	struct vmap_range *r = vmap_space_first_free(&w->vs);
	unsigned long nfree = 0, longest = 0, total = 0;
	unsigned int p, q;

	for (p = 0; p < w->pages; p = q) {
		for (q = p + 1; q < w->pages && w->state[q] == w->state[p]; q++)
			;
		if (w->state[p] != PAGE_HOLE)
			total += q - p;
		if (w->state[p] != PAGE_FREE)
			continue;
		nfree += q - p;
		if (q - p > longest)
			longest = q - p;
		if (!r)
			return fail(w, "free run %u..%u missing", p, q);
		if (r->start != page_addr(w, p) || r->end != page_addr(w, q))
			return fail(w, "free run %u..%u is [%lx, %lx)", p, q,
				    r->start, r->end);
		r = vmap_space_next_free(r);
	}
	if (r)
		return fail(w, "extra free extent [%lx, %lx)", r->start, r->end);
	if (w->vs.free_bytes != nfree * PG || w->vs.total != total * PG)
		return fail(w, "free %lx total %lx, map %lx %lx",
			    w->vs.free_bytes, w->vs.total, nfree * PG,
			    total * PG);
	if (vmap_space_largest(&w->vs) != longest * PG)
		return fail(w, "largest %lx, map %lx",
			    vmap_space_largest(&w->vs), longest * PG);
	return true;
}

/* The lowest busy extent of all shards that ends above @addr. */
static struct vmap_range *seek_all(struct world *w, unsigned long addr)
{
	struct vmap_range *best = NULL, *r;
	unsigned int i;

	for (i = 0; i < WORLD_SHARDS; i++) {
		r = vmap_busy_seek(&w->shards[i], addr);
		if (r && (!best || r->start < best->start))
			best = r;
	}
	return best;
}

static bool verify_busy(struct world *w)
{
	unsigned long addr = 0, nr = 0;
	struct vmap_range *r;
	unsigned int p, i;

	for (p = 0; p < w->pages; p++) {
		if (!w->len[p])
			continue;
		r = seek_all(w, addr);
		if (!r || r->start != page_addr(w, p) ||
		    r->end != page_addr(w, p + w->len[p]))
			return fail(w, "busy %u+%u not next from %lx", p,
				    w->len[p], addr);
		addr = r->end;
		nr++;
	}
	if (seek_all(w, addr))
		return fail(w, "extra busy extent after %lx", addr);
	for (i = 0; i < WORLD_SHARDS; i++) {
		unsigned long n = 0;

		r = vmap_busy_seek(&w->shards[i], 0);
		for (; r; r = vmap_busy_next(r))
			n++;
		if (n != w->shards[i].nr)
			return fail(w, "shard %u walks %lu of %lu", i, n,
				    w->shards[i].nr);
		nr -= n;
	}
	if (nr)
		return fail(w, "shards hold a different number of extents");
	return true;
}

bool world_verify(struct world *w)
{
	int err = vmap_space_check(&w->vs, w->shard_ptrs, WORLD_SHARDS, 0);

	if (err)
		return fail(w, "checker: %d", err);
	return verify_free(w) && verify_busy(w);
}

/* ---- the model ---- */

static bool model_request_ok(unsigned long size, unsigned long align,
			     unsigned long lo, unsigned long hi)
{
	if (!size || !align || (align & (align - 1)) || lo >= hi)
		return false;
	return size <= hi - lo && align <= hi - lo;
}

/*
 * The lowest page where the request fits, or -1, looking only at free runs
 * of at least @min_len bytes: the lowest aligned page of the first such
 * run that holds it inside the window.
 */
static int model_fit_in(const struct world *w, unsigned long size,
			unsigned long align, unsigned long lo, unsigned long hi,
			unsigned long min_len)
{
	unsigned int p, q, a;

	for (p = 0; p < w->pages; p = q) {
		for (q = p + 1; q < w->pages && w->state[q] == w->state[p]; q++)
			;
		if (w->state[p] != PAGE_FREE || (q - p) * PG < min_len)
			continue;
		for (a = p; a < q; a++) {
			unsigned long addr = page_addr(w, a);

			if (addr < lo || addr % align || addr >= hi)
				continue;
			if (hi - addr >= size && (q - a) * PG >= size)
				return a;
			break;	/* the lowest aligned start in the run fails */
		}
	}
	return -1;
}

/* Where vmap_space_alloc() must put the request (see mm/vmap_space.c). */
static int model_fit(const struct world *w, unsigned long size,
		     unsigned long align, unsigned long lo, unsigned long hi)
{
	unsigned long pad = align > PG ? align - PG : 0;
	unsigned long sure = pad > ULONG_MAX - size ? ULONG_MAX : size + pad;
	int p = model_fit_in(w, size, align, lo, hi, sure);

	return p < 0 ? model_fit_in(w, size, align, lo, hi, 0) : p;
}

static bool page_free(const struct world *w, long p)
{
	return p >= 0 && p < w->pages && w->state[p] == PAGE_FREE;
}

static enum vmap_cut model_cut(const struct world *w, unsigned int p,
			       unsigned int np)
{
	bool left = page_free(w, (long)p - 1);
	bool right = page_free(w, (long)p + np);

	if (left && right)
		return VMAP_CUT_MIDDLE;
	if (left)
		return VMAP_CUT_RIGHT;
	return right ? VMAP_CUT_LEFT : VMAP_CUT_WHOLE;
}

/* Mark [p, p + np) busy, insert @node for it and check the cut taken. */
static bool commit_busy(struct world *w, struct vmap_range *node,
			unsigned int p, unsigned int np, enum vmap_cut cut,
			unsigned long cuts_before, bool full,
			enum spare_mode mode)
{
	bool want_spare;
	int err;

	if (w->vs.cuts[cut] != cuts_before + 1)
		return fail(w, "cut %d expected at page %u", cut, p);
	/* A middle cut takes the spare, a whole one leaves its node there. */
	if (mode == SPARE_NONE)
		want_spare = full;
	else if (full)
		want_spare = cut != VMAP_CUT_MIDDLE;
	else
		want_spare = cut == VMAP_CUT_WHOLE;
	if (!!w->spare != want_spare)
		return fail(w, "spare %p after cut %d", (void *)w->spare, cut);
	node->start = page_addr(w, p);
	node->end = page_addr(w, p + np);
	err = vmap_busy_insert(shard_of(w, node->start), node);
	if (err)
		return fail(w, "busy insert %u: %d", p, err);
	memset(&w->state[p], PAGE_BUSY, np);
	w->len[p] = np;
	return true;
}

bool world_alloc(struct world *w, unsigned long size, unsigned long align,
		 unsigned long lo, unsigned long hi, enum spare_mode mode)
{
	struct vmap_request req = { size, align, lo, hi };
	unsigned long addr = 0xdeadUL, before;
	struct vmap_range *node;
	int want, page = -1;
	enum vmap_cut cut = VMAP_CUT_WHOLE;
	bool had_spare;

	node = vmap_space_node_alloc(&w->vs, GFP_KERNEL);
	had_spare = prepare_spare(w, mode);
	if (!model_request_ok(size, align, lo, hi)) {
		want = -EINVAL;
	} else {
		page = model_fit(w, size, align, lo, hi);
		if (page >= 0)
			cut = model_cut(w, page, size / PG);
		if (page < 0)
			want = -ENOSPC;
		else if (cut == VMAP_CUT_MIDDLE &&
			 (!had_spare || mode == SPARE_NONE))
			want = -ENOMEM;
		else
			want = 0;
	}
	before = w->vs.cuts[cut];
	if (!node) {
		/* No node for the busy extent: the caller gives up early. */
		w->last_err = -ENOMEM;
		return true;
	}
	w->last_err = vmap_space_alloc(&w->vs, &req, spare_slot(w, mode),
				       &addr);
	w->last_addr = addr;
	if (w->last_err != want) {
		vmap_space_node_free(&w->vs, node);
		return fail(w, "alloc %lx/%lx [%lx, %lx): %d, want %d (page %d)",
			    size, align, lo, hi, w->last_err, want, page);
	}
	if (want) {
		vmap_space_node_free(&w->vs, node);
		if (addr != 0xdeadUL)
			return fail(w, "failed alloc wrote its address");
		return true;
	}
	if (addr != page_addr(w, page)) {
		vmap_space_node_free(&w->vs, node);
		return fail(w, "alloc %lx/%lx [%lx, %lx) at %lx, want %lx",
			    size, align, lo, hi, addr, page_addr(w, page));
	}
	return commit_busy(w, node, page, size / PG, cut, before, had_spare,
			   mode);
}

bool world_claim(struct world *w, unsigned long start, unsigned long end,
		 enum spare_mode mode)
{
	unsigned long before;
	struct vmap_range *node;
	enum vmap_cut cut = VMAP_CUT_WHOLE;
	unsigned int p = 0, np = 0, q;
	bool had_spare, inside;
	int want;

	node = vmap_space_node_alloc(&w->vs, GFP_KERNEL);
	had_spare = prepare_spare(w, mode);
	inside = start < end && start >= w->base &&
		 end <= page_addr(w, w->pages);
	if (inside) {
		p = (start - w->base) / PG;
		np = (end - start) / PG;
		for (q = p; q < p + np && w->state[q] == PAGE_FREE; q++)
			;
		inside = q == p + np;
		if (inside)
			cut = model_cut(w, p, np);
	}
	if (start >= end)
		want = -EINVAL;
	else if (!inside)
		want = -ENOENT;
	else if (cut == VMAP_CUT_MIDDLE && (!had_spare || mode == SPARE_NONE))
		want = -ENOMEM;
	else
		want = 0;
	before = w->vs.cuts[cut];
	if (!node) {
		w->last_err = -ENOMEM;
		return true;
	}
	w->last_err = vmap_space_claim(&w->vs, start, end,
				       spare_slot(w, mode));
	if (w->last_err != want) {
		vmap_space_node_free(&w->vs, node);
		return fail(w, "claim [%lx, %lx): %d, want %d", start, end,
			    w->last_err, want);
	}
	if (want) {
		vmap_space_node_free(&w->vs, node);
		return true;
	}
	return commit_busy(w, node, p, np, cut, before, had_spare, mode);
}

/* The model's check of a set: the same rules as the allocator's. */
static int model_set_ok(const struct vmap_set *set)
{
	unsigned long first = ULONG_MAX, last = 0;
	unsigned int i, j;

	if (!set->nr || !set->align || (set->align & (set->align - 1)) ||
	    set->lo >= set->hi)
		return -EINVAL;
	for (i = 0; i < set->nr; i++) {
		unsigned long off = set->offsets[i], len = set->sizes[i];

		if (!len || off % PG || len % PG || off + len < off)
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (off < set->offsets[j] + set->sizes[j] &&
			    set->offsets[j] < off + len)
				return -EINVAL;
		first = off < first ? off : first;
		last = off + len > last ? off + len : last;
	}
	return last - first > set->hi - set->lo ? -ENOSPC : 0;
}

/* Is every extent of @set on free pages of the map at @base? */
static bool model_set_free(const struct world *w, const struct vmap_set *set,
			   unsigned long base)
{
	unsigned long start, end, q;
	unsigned int i;

	if (base & (set->align - 1))
		return false;
	for (i = 0; i < set->nr; i++) {
		start = base + set->offsets[i];
		end = start + set->sizes[i];
		if (start < base || end < start || start < set->lo ||
		    end > set->hi || start < w->base ||
		    end > page_addr(w, w->pages))
			return false;
		for (q = start; q < end; q += PG)
			if (!page_free(w, (q - w->base) / PG))
				return false;
	}
	return true;
}

/*
 * The highest base at which @set is free, by trying extent 0 at every
 * page of the map.
 */
static int model_place_set(const struct world *w, const struct vmap_set *set,
			   unsigned long *base)
{
	int err = model_set_ok(set);
	unsigned int p = w->pages;

	if (err)
		return err;
	while (p--) {
		unsigned long b = page_addr(w, p) - set->offsets[0];

		if (model_set_free(w, set, b)) {
			*base = b;
			return 0;
		}
	}
	return -ENOSPC;
}

/**
 * world_place_set - place a set and claim its extents, as percpu does.
 * @w: the world.
 * @set: the set.
 *
 * Return: whether the allocator placed it where the map says, or failed
 * as the map says, and the claims went as the map says.
 */
bool world_place_set(struct world *w, const struct vmap_set *set)
{
	unsigned long want_base = 0, base = 0;
	int want = model_place_set(w, set, &want_base);
	long fail_after = shim_fail_after;
	unsigned int i;

	w->last_err = vmap_space_place_set(&w->vs, set, &base);
	if (w->last_err != want || (!want && base != want_base))
		return fail(w, "set of %u: %d at %lx, want %d at %lx", set->nr,
			    w->last_err, base, want, want_base);
	/* vmalloc has every spare the claims need before it places a set. */
	shim_fail_after = -1;
	for (i = 0; !want && i < set->nr; i++) {
		unsigned long start = base + set->offsets[i];

		if (!world_claim(w, start, start + set->sizes[i],
				 SPARE_PRELOAD) || w->last_err)
			return fail(w, "claim %u of a set at %lx: %d (%s)", i,
				    base, w->last_err, w->why);
	}
	shim_fail_after = fail_after;
	w->last_err = want;
	w->last_addr = want ? 0 : base;
	return true;
}

bool world_free(struct world *w, unsigned int k)
{
	unsigned int nr = world_nr_busy(w), p, np;
	enum vmap_merge how;
	struct vmap_range *r;
	struct vmap_busy *b;
	unsigned long before;
	bool left, right;
	int err;

	if (!nr)
		return true;
	k %= nr;
	for (p = 0; !w->len[p] || k--; p++)
		;
	np = w->len[p];
	b = shard_of(w, page_addr(w, p));
	r = vmap_busy_lookup(b, page_addr(w, p));
	if (!r || r->end != page_addr(w, p + np))
		return fail(w, "busy lookup of page %u", p);
	left = page_free(w, (long)p - 1);
	right = page_free(w, p + np);
	how = left ? (right ? VMAP_MERGE_BOTH : VMAP_MERGE_LEFT) :
		     (right ? VMAP_MERGE_RIGHT : VMAP_MERGE_NONE);
	before = w->vs.merges[how];
	vmap_busy_erase(b, r);
	err = vmap_space_free(&w->vs, r);
	if (err)
		return fail(w, "free of page %u: %d", p, err);
	if (w->vs.merges[how] != before + 1)
		return fail(w, "free of page %u: merge %d expected", p, how);
	memset(&w->state[p], PAGE_FREE, np);
	w->len[p] = 0;
	w->last_err = 0;
	return true;
}

bool world_lookup(struct world *w, unsigned long addr)
{
	struct vmap_range *found = NULL, *r;
	unsigned int i, p, head = 0;
	bool busy = false, exact;

	if (addr >= w->base && addr < page_addr(w, w->pages)) {
		p = (addr - w->base) / PG;
		busy = w->state[p] == PAGE_BUSY;
		for (head = p; busy && !w->len[head]; head--)
			;
	}
	for (i = 0; i < WORLD_SHARDS; i++) {
		r = vmap_busy_find(&w->shards[i], addr);
		if (r && found)
			return fail(w, "%lx found in two shards", addr);
		if (r)
			found = r;
	}
	if (!busy)
		return found ? fail(w, "%lx found but not busy", addr) : true;
	if (!found || found->start != page_addr(w, head) ||
	    found->end != page_addr(w, head + w->len[head]))
		return fail(w, "%lx: wrong containing extent", addr);
	r = vmap_busy_lookup(shard_of(w, found->start), addr);
	exact = addr == found->start;
	if (!r == exact || (r && r != found))
		return fail(w, "%lx: wrong exact lookup", addr);
	return true;
}

bool world_double_free(struct world *w, unsigned int page)
{
	struct vmap_range *r;
	int err;

	if (!page_free(w, page))
		return true;
	r = vmap_space_node_alloc(&w->vs, GFP_KERNEL);
	if (!r)
		return true;
	r->start = page_addr(w, page);
	r->end = r->start + PG;
	err = vmap_space_free(&w->vs, r);
	vmap_space_node_free(&w->vs, r);
	if (err != -EINVAL)
		return fail(w, "double free of page %u: %d", page, err);
	return true;
}

/* ---- random operation sequences, for the fuzzer and the tests ---- */

struct cursor {
	const u8 *data;
	size_t size;
};

static unsigned int take(struct cursor *c)
{
	unsigned int v = 0;

	if (c->size) {
		v = *c->data++;
		c->size--;
	}
	return v;
}

static const unsigned int world_sizes[] = { 8, 13, 16, 24, 32, 41, 64 };

/* The first bytes: where the space is, how big, and its initial map. */
static bool run_setup(struct world *w, struct cursor *c)
{
	unsigned int flags = take(c), pages, p, bits = 0, nbits = 0;
	char map[WORLD_PAGES + 1];
	unsigned long base;

	pages = world_sizes[(flags >> 3) % 7];
	for (p = 0; p < pages; p++) {
		if (nbits < 3) {
			bits |= take(c) << nbits;
			nbits += 8;
		}
		/* Mostly free, with some holes and some early busy areas. */
		map[p] = " .X.Y..."[bits & 7];
		bits >>= 3;
		nbits = nbits >= 3 ? nbits - 3 : 0;
	}
	map[pages] = '\0';
	if (flags & 2)
		base = (ULONG_MAX & ~(PG - 1)) - pages * PG;
	else if (flags & 4)
		base = 0;
	else
		base = 0x10000000UL;
	return world_init(w, base, map, flags & 1);
}

static unsigned long pick_window_end(struct world *w, unsigned int v, bool hi)
{
	unsigned int page = (v & 15) * (w->pages + 1) / 16;

	if (hi && (v & 15) == 15)
		return ULONG_MAX;
	if (!hi && (v & 15) == 0 && (v & 16))
		return 0;
	if (hi)
		page = w->pages - page;
	return page_addr(w, page);
}

static bool run_alloc(struct world *w, unsigned int op, struct cursor *c)
{
	unsigned int a = take(c), b = take(c), d = take(c);
	unsigned long size, align, lo, hi;

	if (op & 0x80)
		size = ULONG_MAX - a * PG;	/* never fits */
	else if (op & 0x40)
		size = (a % w->pages + 1) * PG;
	else
		size = (a % 4 + 1) * PG;
	if (b & 0x80)
		align = b & 0x40 ? 0 : (3UL << (b % 62));
	else
		align = 1UL << (b % 64);
	if (!(b & 0x80) && !(b & 0x40))
		align = PG << (b % 4);
	lo = pick_window_end(w, d, false);
	hi = pick_window_end(w, d >> 4, true);
	return world_alloc(w, size, align, lo, hi, (op >> 3) & 3);
}

/* A set of one to three extents of up to 4 pages, gaps of up to 7. */
static bool run_set(struct world *w, unsigned int op, struct cursor *c)
{
	unsigned long offsets[3], lo, hi, off = 0;
	unsigned int a = take(c), d = take(c), i;
	size_t sizes[3];
	struct vmap_set set = {
		.offsets = offsets, .sizes = sizes, .nr = 1 + a % 3,
		.align = PG << ((a >> 2) % 4),
	};

	for (i = 0; i < set.nr; i++) {
		unsigned int v = take(c);

		offsets[i] = off;
		sizes[i] = (v % 4 + (op & 0x40 ? 0 : 1)) * PG;
		off += sizes[i] + (v >> 2) % 8 * PG;
	}
	/* Sometimes out of order, or overlapping. */
	if (a & 0x40 && set.nr > 1) {
		offsets[0] = offsets[set.nr - 1] + sizes[set.nr - 1] + PG;
		if (a & 0x80)
			offsets[0] = offsets[1];
	}
	lo = pick_window_end(w, d, false);
	hi = pick_window_end(w, d >> 4, true);
	set.lo = lo;
	set.hi = hi;
	return world_place_set(w, &set);
}

static bool run_op(struct world *w, struct cursor *c)
{
	unsigned int op = take(c), a;

	w->last_err = 0;

	switch (op & 7) {
	case 0:
	case 1:
	case 2:
		return run_alloc(w, op, c);
	case 3:
		return world_free(w, take(c));
	case 4:
		a = take(c) % (w->pages + 2);
		return world_claim(w, page_addr(w, a),
				   page_addr(w, a + take(c) % 5),
				   (op >> 3) & 3);
	case 5:
		if (op & 0x80)
			return run_set(w, op, c);
		a = take(c) % w->pages;
		return world_lookup(w, page_addr(w, a) + take(c) * 16);
	case 6:
		a = take(c);
		shim_fail_after = a & 0x80 ? -1 : a % 3;
		return true;
	default:
		return world_double_free(w, take(c) % w->pages);
	}
}

unsigned long world_ops;

/**
 * world_run - play an operation sequence coded in bytes against the model.
 * @data, @size: the bytes: a set-up, then operations.
 * @verbose: print each step.
 * @why, @why_len: the first mismatch, if any.
 *
 * Return: whether the allocator and the model agreed all along.
 */
bool world_run(const u8 *data, size_t size, bool verbose, char *why,
	       size_t why_len)
{
	struct cursor c = { data, size };
	struct world *w = malloc(sizeof(*w));
	char map[WORLD_PAGES + 1];
	bool ok;

	shim_fail_after = -1;
	world_ops = 0;
	ok = run_setup(w, &c);
	while (ok && c.size) {
		world_ops++;
		ok = run_op(w, &c);
		ok = ok && world_verify(w);
		if (verbose) {
			world_draw(w, map);
			fprintf(stderr, "|%s| err %d\n", map, w->last_err);
		}
	}
	shim_fail_after = -1;
	if (!world_fini(w))
		ok = false;
	if (!ok && why)
		snprintf(why, why_len, "%s", w->why);
	free(w);
	return ok;
}

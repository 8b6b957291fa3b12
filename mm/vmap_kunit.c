// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the vmap_space implementation's own promises: what
 * mm/vmalloc_kunit.c cannot ask of every vmalloc. Lazily freed areas wait
 * on per-CPU lists until a purge, which the lazy threshold starts by
 * itself; a purge keeps small ranges in per-CPU caches for the next
 * allocation of that size, and a drain gives them all back; vm_map_ram()
 * hands out a block's pages front to back, and finds a block by any
 * address in it; the counters agree with the areas; and the whole address
 * space passes its checker after churn; an allocation that finds no room
 * waits for the areas that kvfree_rcu() holds back.
 *
 * The cases reach the implementation's internals through mm/vmap.h, so
 * the suite is built in, and only with CONFIG_VMALLOC_VMAP_SPACE.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kasan.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "vmap.h"

/*
 * What a case allocates, KUnit releases when the case ends, also when an
 * assertion ends it early. A case that must free at a given point, to
 * check what the free did, releases the action there.
 */
KUNIT_DEFINE_ACTION_WRAPPER(vfree_at_end, vfree, const void *);
KUNIT_DEFINE_ACTION_WRAPPER(vunmap_at_end, vunmap, const void *);
KUNIT_DEFINE_ACTION_WRAPPER(kvfree_at_end, kvfree, const void *);
KUNIT_DEFINE_ACTION_WRAPPER(free_page_at_end, __free_page, struct page *);

/* Have @action(@ctx) run when the case ends. */
static void run_at_end(struct kunit *test, kunit_action_t *action, void *ctx)
{
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, action, ctx), 0);
}

/* Assert that @ptr was allocated, and have @release(@ptr) run at the end. */
static void *freed_at_end(struct kunit *test, void *ptr,
			  kunit_action_t *release)
{
	KUNIT_ASSERT_NOT_NULL(test, ptr);
	run_at_end(test, release, ptr);
	return ptr;
}

struct lazy_find {
	unsigned long start;
	bool found;
};

static void lazy_match(struct vmap_area *va, void *arg)
{
	struct lazy_find *find = arg;

	if (va->va_start == find->start)
		find->found = true;
}

/* Is the area that started at @addr still waiting for a purge? */
static bool waits_for_purge(const void *addr)
{
	struct lazy_find find = {
		.start = (unsigned long)kasan_reset_tag(addr),
	};

	vmap_lazy_walk(lazy_match, &find);
	return find.found;
}

/* vfree() leaves the area on a lazy list; vm_unmap_aliases() purges it. */
static void vfree_defers_until_purge(struct kunit *test)
{
	void *p = freed_at_end(test, vmalloc(2 * PAGE_SIZE), vfree_at_end);

	kunit_release_action(test, vfree_at_end, p);
	KUNIT_EXPECT_TRUE(test, waits_for_purge(p));
	vm_unmap_aliases();
	KUNIT_EXPECT_FALSE(test, waits_for_purge(p));
}

/*
 * Unmapping more than the lazy threshold starts a purge without anyone
 * asking. One page mapped many times over makes a large area cheaply.
 */
static void lazy_threshold_starts_a_purge(struct kunit *test)
{
	/* Just past the threshold: on i386 twice it is more than the range. */
	const unsigned int nr = vmap_lazy_max_pages() + 1;
	struct page *page = alloc_page(GFP_KERNEL);
	struct page **pages;
	unsigned int i;
	void *p;

	/* The freed areas must not be able to fill the range before a purge. */
	KUNIT_EXPECT_LE(test, nr - 1,
			(VMALLOC_END - VMALLOC_START) / 4 >> PAGE_SHIFT);
	freed_at_end(test, page, free_page_at_end);
	pages = freed_at_end(test,
			     kvmalloc_array(nr, sizeof(*pages), GFP_KERNEL),
			     kvfree_at_end);
	for (i = 0; i < nr; i++)
		pages[i] = page;
	p = vmap(pages, nr, VM_MAP, PAGE_KERNEL);
	kunit_release_action(test, kvfree_at_end, pages);
	freed_at_end(test, p, vunmap_at_end);
	kunit_release_action(test, vunmap_at_end, p);
	kunit_release_action(test, free_page_at_end, page);
	for (i = 0; i < 250 && waits_for_purge(p); i++)
		msleep(20);
	KUNIT_EXPECT_FALSE_MSG(test, waits_for_purge(p),
			       "%u pages still wait after 5 s", nr);
}

/*
 * A purged small range waits in the freeing CPU's cache: the next
 * allocation of that size on that CPU gets it back.
 */
static void freed_range_is_reused_on_its_cpu(struct kunit *test)
{
	void *p, *q = NULL;

	migrate_disable();
	p = vmalloc(3 * PAGE_SIZE);
	if (p) {
		vfree(p);
		vm_unmap_aliases();
		q = vmalloc(3 * PAGE_SIZE);
		vfree(q);
	}
	migrate_enable();
	KUNIT_ASSERT_NOT_NULL(test, p);
	/* The same range; with tag-based KASAN, another tag. */
	KUNIT_EXPECT_PTR_EQ(test, kasan_reset_tag(q), kasan_reset_tag(p));
}

/*
 * Purged small ranges go to the caches (unless full); a drain empties
 * every cache, so a second one finds nothing.
 */
static void drain_empties_recent_caches(struct kunit *test)
{
	void *p[4];
	int i;

	for (i = 0; i < ARRAY_SIZE(p); i++)
		p[i] = freed_at_end(test, vmalloc((i + 1) * PAGE_SIZE),
				    vfree_at_end);
	for (i = 0; i < ARRAY_SIZE(p); i++)
		kunit_release_action(test, vfree_at_end, p[i]);
	vm_unmap_aliases();
	KUNIT_EXPECT_GE(test, vmap_recent_drain(), 1);
	KUNIT_EXPECT_EQ(test, vmap_recent_drain(), 0);
}

/* Small vm_map_ram() mappings on one CPU come from one block in order. */
static void vm_map_ram_fills_a_block_in_order(struct kunit *test)
{
	struct page *page = freed_at_end(test, alloc_page(GFP_KERNEL),
					 free_page_at_end);
	unsigned long addr[4];
	int i, next = 0;

	migrate_disable();
	for (i = 0; i < ARRAY_SIZE(addr); i++)
		addr[i] = (unsigned long)vm_map_ram(&page, 1, NUMA_NO_NODE);
	for (i = 0; i < ARRAY_SIZE(addr); i++)
		if (addr[i])
			vm_unmap_ram((void *)addr[i], 1);
	/* Tag-based KASAN tags each mapping on its own. */
	for (i = 0; i < ARRAY_SIZE(addr); i++)
		addr[i] = (unsigned long)kasan_reset_tag((void *)addr[i]);
	migrate_enable();
	for (i = 0; i < ARRAY_SIZE(addr); i++)
		KUNIT_ASSERT_NE(test, addr[i], 0);
	/* A block may run out once among the mappings, not more. */
	for (i = 1; i < ARRAY_SIZE(addr); i++)
		next += addr[i] == addr[i - 1] + PAGE_SIZE;
	KUNIT_EXPECT_GE(test, next, ARRAY_SIZE(addr) - 2);
}

/*
 * vm_unmap_ram() finds a block by any address in it. Blocks are aligned
 * to their size, and VMALLOC_START need not be (LoongArch, s390, csky,
 * hexagon): every address of a block has the block's index, blocks in a
 * row have indices in a row, and the first one is near 0, whatever the
 * base is.
 */
static void block_index_covers_the_block(struct kunit *test)
{
	static const unsigned long skews[] = {
		0, PAGE_SIZE, 5 * PAGE_SIZE, VMAP_BLOCK_SIZE / 2,
		VMAP_BLOCK_SIZE - PAGE_SIZE,
	};
	unsigned long base, first, idx, addr, got;
	unsigned int s, b, i;

	for (s = 0; s < ARRAY_SIZE(skews); s++) {
		base = ALIGN_DOWN(VMALLOC_START, VMAP_BLOCK_SIZE) + skews[s];
		first = ALIGN(base, VMAP_BLOCK_SIZE);
		idx = vmap_block_index(first, base);
		KUNIT_EXPECT_LE(test, idx, 1);
		for (b = 0; b < 3; b++) {
			for (i = 0; i < VMAP_BLOCK_PAGES; i++) {
				addr = first + b * VMAP_BLOCK_SIZE +
				       i * PAGE_SIZE;
				got = vmap_block_index(addr + PAGE_SIZE - 1,
						       base);
				KUNIT_ASSERT_EQ_MSG(test, got, idx + b,
						    "base %#lx, block %u, page %u",
						    base, b, i);
			}
		}
	}
}

static bool add_vmalloc_pages(struct vmap_area *va, void *arg)
{
	if (va->vm && (va->vm->flags & VM_ALLOC))
		*(unsigned long *)arg += va->vm->nr_pages;
	return true;
}

/*
 * vmalloc_nr_pages() is the sum of the pages of the vmalloc() areas. Other
 * CPUs may allocate during the walk, so the sums get a few tries to agree.
 */
static void nr_pages_is_the_sum_of_areas(struct kunit *test)
{
	unsigned long counted = 0, sum = 0;
	int try;

	freed_at_end(test, vmalloc(7 * PAGE_SIZE), vfree_at_end);
	for (try = 0; try < 5; try++) {
		sum = 0;
		counted = vmalloc_nr_pages();
		vmap_area_walk(0, add_vmalloc_pages, &sum);
		if (sum == counted && counted == vmalloc_nr_pages())
			break;
	}
	KUNIT_EXPECT_EQ(test, sum, counted);
	KUNIT_EXPECT_GE(test, counted, 7);
}

struct walk_tally {
	unsigned long end;	/* of the last area seen */
	unsigned long nr;
	bool ordered;
};

static bool tally_area(struct vmap_area *va, void *arg)
{
	struct walk_tally *t = arg;

	if (va->va_start < t->end)
		t->ordered = false;
	t->end = va->va_end;
	t->nr++;
	return true;
}

/*
 * A walk in address order over n areas (what /proc/vmallocinfo and
 * /proc/kcore do) takes a shard lock once per area and once per shard,
 * and a few times more if areas come and go meanwhile: not once per area
 * and shard.
 */
static void walk_locks_once_per_area(struct kunit *test)
{
	struct walk_tally t = { .ordered = true };
	const int nr = 64;
	unsigned long visited;
	long before, locks;
	int i;

	if (!IS_ENABLED(CONFIG_DEBUG_VMAP_SPACE))
		kunit_skip(test, "the count needs CONFIG_DEBUG_VMAP_SPACE");
	for (i = 0; i < nr; i++)
		freed_at_end(test, vmalloc(PAGE_SIZE), vfree_at_end);
	before = atomic_long_read(&vmap_walk_locks);
	visited = vmap_area_walk(0, tally_area, &t);
	locks = atomic_long_read(&vmap_walk_locks) - before;
	KUNIT_EXPECT_TRUE(test, t.ordered);
	KUNIT_EXPECT_EQ(test, visited, t.nr);
	KUNIT_EXPECT_GE(test, t.nr, nr);
	KUNIT_EXPECT_LE_MSG(test, locks, t.nr + vmap_area_nr_shards() + 16,
			    "%lu areas, %u shards", t.nr,
			    vmap_area_nr_shards());
}

/* Random sizes, half freed, then a purge: the checker finds nothing. */
static void space_checks_out_after_churn(struct kunit *test)
{
	const int nr = 128;
	void **p;
	int i;

	if (!IS_ENABLED(CONFIG_DEBUG_VMAP_SPACE))
		kunit_skip(test, "the checker needs CONFIG_DEBUG_VMAP_SPACE");
	p = kunit_kcalloc(test, nr, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = 0; i < nr; i++) {
		p[i] = vmalloc((get_random_u32_below(16) + 1) * PAGE_SIZE);
		if (p[i])
			run_at_end(test, vfree_at_end, p[i]);
	}
	for (i = 0; i < nr; i += 2)
		kunit_release_action(test, vfree_at_end, p[i]);
	vm_unmap_aliases();
	KUNIT_EXPECT_EQ(test, vmap_area_check(), 0);
	for (i = 1; i < nr; i += 2)
		kunit_release_action(test, vfree_at_end, p[i]);
	vmap_recent_drain();
	vm_unmap_aliases();
	KUNIT_EXPECT_EQ(test, vmap_area_check(), 0);
}

/* How long a stress case runs, and with how many threads at most. */
#define STRESS_MS		1500
#define STRESS_THREADS		4

/* Run each of @fns in a thread of its own with @arg for STRESS_MS. */
static int stress(int (*const *fns)(void *), int nr, void *arg)
{
	struct task_struct *tasks[STRESS_THREADS];
	int i, started;

	if (WARN_ON(nr > STRESS_THREADS))
		return -EINVAL;
	for (started = 0; started < nr; started++) {
		tasks[started] = kthread_run(fns[started], arg, "vmap_kunit/%d",
					     started);
		if (IS_ERR(tasks[started]))
			break;
	}
	if (started == nr)
		msleep(STRESS_MS);
	for (i = 0; i < started; i++)
		kthread_stop(tasks[i]);
	return started == nr ? 0 : -ENOMEM;
}

struct alias_stress {
	struct page *page;
	atomic_t early;		/* flushes that returned too soon */
	atomic_long_t rounds;
};

/*
 * Map and unmap, then flush the aliases. Every alias flush begun before
 * this one, by any thread, must be done when it returns: one that is
 * not may still have a writable alias to flush.
 */
static int alias_flusher(void *arg)
{
	struct alias_stress *s = arg;

	while (!kthread_should_stop()) {
		void *p = vm_map_ram(&s->page, 1, NUMA_NO_NODE);
		long begun;

		if (p)
			vm_unmap_ram(p, 1);
		begun = atomic_long_read(&vmap_alias_begun);
		vm_unmap_aliases();
		if (atomic_long_read(&vmap_alias_done) <= begun)
			atomic_inc(&s->early);
		atomic_long_inc(&s->rounds);
		cond_resched();
	}
	return 0;
}

/*
 * Use up blocks fast: each one dies, and a flush purges its area. Hop
 * from CPU to CPU, so that new blocks are made by a thread that may be
 * migrated meanwhile.
 */
static int block_churner(void *arg)
{
	struct alias_stress *s = arg;
	unsigned int cpu = 0;
	void *p[32];
	int i;

	while (!kthread_should_stop()) {
		cpu = cpumask_next(cpu, cpu_online_mask);
		if (cpu >= nr_cpu_ids)
			cpu = cpumask_first(cpu_online_mask);
		set_cpus_allowed_ptr(current, cpumask_of(cpu));
		for (i = 0; i < ARRAY_SIZE(p); i++)
			p[i] = vm_map_ram(&s->page, 1, NUMA_NO_NODE);
		for (i = 0; i < ARRAY_SIZE(p); i++)
			if (p[i])
				vm_unmap_ram(p[i], 1);
		cond_resched();
	}
	return 0;
}

/*
 * Alias flushes racing each other and blocks that die: a flush must not
 * return before one that began earlier has flushed (it did: the dirty
 * ranges were collected outside the purge mutex), must not read the area
 * of a block that a purge freed meanwhile (KASAN reports it), and every
 * listed block is on its own CPU's list.
 */
static void alias_flushes_race_dying_blocks(struct kunit *test)
{
	static int (*const fns[])(void *) = {
		alias_flusher, alias_flusher, block_churner,
	};
	struct alias_stress s = {};

	s.page = freed_at_end(test, alloc_page(GFP_KERNEL), free_page_at_end);
	KUNIT_EXPECT_EQ(test, stress(fns, ARRAY_SIZE(fns), &s), 0);
	KUNIT_EXPECT_EQ(test, vmap_ram_misplaced(), 0);
	KUNIT_EXPECT_GT(test, atomic_long_read(&s.rounds), 0);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&s.early), 0,
			    "in %ld flushes", atomic_long_read(&s.rounds));
}

/*
 * vm_map_ram() of counts that do not divide a block: each block is left
 * with a remainder too small for the next request. Such a block, once
 * unmapped, must go, not linger with its address space (it did, until an
 * alias flush).
 */
static void odd_counts_do_not_pin_blocks(struct kunit *test)
{
	/* The largest odd count a block serves: 63 on 64-bit, 31 on 32. */
	static const unsigned int counts[] = { 3, 5, VMAP_MAX_ALLOC - 1 };
	unsigned long before, after;
	struct page **pages;
	unsigned int c, i, failed = 0;
	struct page *page;

	pages = kunit_kmalloc_array(test, VMAP_MAX_ALLOC, sizeof(*pages),
				    GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	page = freed_at_end(test, alloc_page(GFP_KERNEL), free_page_at_end);
	for (i = 0; i < VMAP_MAX_ALLOC; i++)
		pages[i] = page;

	before = vmap_ram_nr_blocks();
	migrate_disable();
	for (c = 0; c < ARRAY_SIZE(counts); c++) {
		unsigned int rounds = 8 * VMAP_BLOCK_PAGES / counts[c];

		/* Eight blocks' worth of each count, one CPU. */
		for (i = 0; i < rounds; i++) {
			void *p = vm_map_ram(pages, counts[c], NUMA_NO_NODE);

			if (!p) {
				failed++;
				break;
			}
			vm_unmap_ram(p, counts[c]);
		}
	}
	migrate_enable();
	after = vmap_ram_nr_blocks();
	KUNIT_EXPECT_EQ(test, failed, 0);
	/* One block in use, maybe one more that another test left. */
	KUNIT_EXPECT_LE_MSG(test, after, before + 2, "%lu blocks before",
			    before);
}

struct window_stress {
	unsigned long start;
	unsigned long end;
	atomic_t failed;
	atomic_long_t rounds;
};

/* One page in [@start, @end), or NULL; quietly. */
static void *window_alloc(unsigned long start, unsigned long end)
{
	return __vmalloc_node_range(PAGE_SIZE, 1, start, end,
				    GFP_KERNEL | __GFP_NOWARN, PAGE_KERNEL, 0,
				    NUMA_NO_NODE, window_alloc);
}

/* The only user of a window with room for two areas: always has room. */
static int window_user(void *arg)
{
	struct window_stress *w = arg;

	while (!kthread_should_stop()) {
		void *p = window_alloc(w->start, w->end);

		if (p)
			vfree(p);
		else
			atomic_inc(&w->failed);
		atomic_long_inc(&w->rounds);
		cond_resched();
	}
	return 0;
}

/* Purges that keep what they free in the per-CPU caches. */
static int keeping_purger(void *arg)
{
	while (!kthread_should_stop()) {
		vm_unmap_aliases();
		cond_resched();
	}
	return 0;
}

/*
 * A window of four pages near the top of the vmalloc range, where nothing
 * else allocates: one-page areas (two pages with the guard) fit twice.
 * The only thread allocating there frees each area before the next one,
 * so it must never find the window full. Concurrent purges put the
 * freed ranges in their caches behind the back of the allocation that
 * had just drained the caches (and found no room, spuriously).
 */
static void no_spurious_no_room(struct kunit *test)
{
	static int (*const fns[])(void *) = { window_user, keeping_purger };
	struct window_stress w = {};
	struct vm_struct *vm;

	w.start = ALIGN_DOWN(VMALLOC_END, SZ_2M) - SZ_4M;
	w.end = w.start + 4 * PAGE_SIZE;
	vm = __get_vm_area_caller(4 * PAGE_SIZE, VM_NO_GUARD, w.start, w.end,
				  no_spurious_no_room);
	if (!vm)
		kunit_skip(test, "[%#lx, %#lx) is in use", w.start, w.end);
	free_vm_area(vm);
	vm_unmap_aliases();
	vmap_recent_drain();

	KUNIT_EXPECT_EQ(test, stress(fns, ARRAY_SIZE(fns), &w), 0);
	vm_unmap_aliases();
	vmap_recent_drain();
	KUNIT_EXPECT_GT(test, atomic_long_read(&w.rounds), 0);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&w.failed), 0,
			    "in %ld allocations", atomic_long_read(&w.rounds));
}

/*
 * A window with room for one area, which goes to kvfree_rcu(): the next
 * allocation there, made at once, waits for it to come back instead of
 * failing (6.12 fails: the area is neither busy nor lazily freed yet).
 */
static void no_room_waits_for_kvfree_rcu(struct kunit *test)
{
	unsigned long start = ALIGN_DOWN(VMALLOC_END, SZ_2M) - SZ_4M;
	unsigned long end = start + 2 * PAGE_SIZE;
	void *p = window_alloc(start, end);

	if (!p)
		kunit_skip(test, "[%#lx, %#lx) is in use", start, end);
	kvfree_rcu_mightsleep(p);
	p = freed_at_end(test, window_alloc(start, end), vfree_at_end);
	KUNIT_EXPECT_EQ(test, (unsigned long)kasan_reset_tag(p), start);
}

static struct kunit_case vmalloc_vmap_space_cases[] = {
	KUNIT_CASE(vfree_defers_until_purge),
	KUNIT_CASE(lazy_threshold_starts_a_purge),
	KUNIT_CASE(freed_range_is_reused_on_its_cpu),
	KUNIT_CASE(drain_empties_recent_caches),
	KUNIT_CASE(vm_map_ram_fills_a_block_in_order),
	KUNIT_CASE(block_index_covers_the_block),
	KUNIT_CASE(nr_pages_is_the_sum_of_areas),
	KUNIT_CASE(walk_locks_once_per_area),
	KUNIT_CASE(space_checks_out_after_churn),
	KUNIT_CASE(alias_flushes_race_dying_blocks),
	KUNIT_CASE(odd_counts_do_not_pin_blocks),
	KUNIT_CASE(no_spurious_no_room),
	KUNIT_CASE(no_room_waits_for_kvfree_rcu),
	{}
};

static struct kunit_suite vmalloc_vmap_space_suite = {
	.name = "vmalloc_vmap_space",
	.test_cases = vmalloc_vmap_space_cases,
};

kunit_test_suite(vmalloc_vmap_space_suite);

MODULE_DESCRIPTION("KUnit tests of the vmap_space vmalloc's internals");
MODULE_LICENSE("GPL");

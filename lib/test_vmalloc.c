// SPDX-License-Identifier: GPL-2.0
/*
 * Stress and latency harness for vmalloc() and its neighbours.
 *
 * Loading the module starts nr_threads kernel threads ("vmalloc_test/N").
 * Each worker runs every case picked by run_test_mask test_repeat_count
 * times, in id order or in an order of its own, and times every single
 * iteration of a case into a small log-linear histogram. When all workers
 * are done, the module prints:
 *
 *  - per worker, the lines the 6.12 module printed, which existing scripts
 *    parse (a skipped case has no Summary line):
 *      Summary: <case> passed: <n> failed: <n> repeat: <n> loops: <n> avg: <usec> usec
 *      All test took worker<i>=<cycles> cycles
 *    passed and failed count repetitions; avg is the wall time of one
 *    repetition in microseconds; loops is the iterations of one;
 *
 *  - one KTAP document over all workers, one test per case asked for:
 *      KTAP version 1
 *      # vmalloc_test: threads=<n> repeat=<n> loops=<n> pages=<n> ...
 *      1..<number of cases asked for>
 *      # <case>: iters=<n> ops/s=<n> [<extra>=<n>]
 *      # <case>: ns mean=<n> p50=<n> p99=<n> max=<n>
 *      ok <i> <case>            (or "not ok <i> <case>", or
 *                                "ok <i> <case> # SKIP <why>")
 *      ...
 *      # Totals: pass:<n> fail:<n> xfail:0 xpass:0 skip:<n> error:0
 *    ops/s is iterations per second of case wall time, per worker, set-up
 *    included. The latency figures are of one timed iteration, in ns, two
 *    clock reads included; percentiles are good to 1/16 of their value.
 *    <extra> is what a case counts apart from failures (see the table).
 *
 * The module init then returns -EAGAIN, so the module never stays loaded.
 *
 * Where this differs from the 6.12 module:
 *  - align_shift_alloc_test asks with __GFP_NOWARN, and passes when every
 *    alignment that the vmalloc range holds (once per worker, with room
 *    to spare) succeeds, while longer ones may fail (and are counted as
 *    "unfit"); the 6.12 case failed by design, with an allocation warning;
 *  - random_seed, new, makes the random sizes and case orders repeatable;
 *  - fault_inject, new, makes the workers volunteer for fault injection
 *    (failslab and fail_page_alloc with task-filter set): cases then fail
 *    where allocations fail, and what is tested is that nothing crashes
 *    or leaks and that nothing warns but the allocation-failure reports;
 *  - pcpu_alloc_test is skipped, not passed, when percpu memory does not
 *    come from vmalloc (CONFIG_NEED_PER_CPU_KM);
 *  - vm_map_ram_test fails instead of oopsing when vm_map_ram() fails;
 *  - the aligned cases check the alignment of what they get;
 *  - cases 11 and up are new;
 *  - after the run the module waits for its kvfree_rcu() frees, so that a
 *    snapshot of /proc/vmallocinfo taken after the load does not see them,
 *    and the kvfree_rcu cases wait for them whenever a worker's share of
 *    the space is in flight;
 *  - with one worker, each case starts from a quiet vmalloc: the lazy
 *    frees and kvfree_rcu() frees that the case before left behind are
 *    done first, outside the timing, instead of landing in the laps of
 *    the next case (with more workers, one worker's settling would land
 *    in the others' laps, so they are left alone);
 *  - on a vmalloc range under 1 GiB (32-bit kernels: about 120 MiB on
 *    i386) workers run a case only together with workers running the
 *    same case: each case is sized so that all workers of it fit, but two
 *    different ones, say full_fit_alloc_test beside vmalloc_huge_test,
 *    need more contiguous room than such a range has, on any vmalloc.
 */

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/instruction_pointer.h>
#include <linux/kasan.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/percpu.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/thread_info.h>
#include <linux/timex.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

static int run_test_mask = INT_MAX;
module_param(run_test_mask, int, 0444);
MODULE_PARM_DESC(run_test_mask,
		 "Cases to run, as a sum of their values (default: all):\n"
		 "\t\t     1 fix_size_alloc_test: vmalloc(nr_pages) and vfree\n"
		 "\t\t     2 full_fit_alloc_test: one page into exact-fit holes\n"
		 "\t\t     4 long_busy_list_alloc_test: with 15000 areas busy\n"
		 "\t\t     8 random_size_alloc_test: 1 to 100 pages\n"
		 "\t\t    16 fix_align_alloc_test: 5 pages at 2 * THREAD_ALIGN\n"
		 "\t\t    32 random_size_align_alloc_test: 1-10 pages, 2^0-2^22\n"
		 "\t\t    64 align_shift_alloc_test: one page at each 2^0-2^63;\n"
		 "\t\t\tthose the vmalloc range has room for must succeed\n"
		 "\t\t   128 pcpu_alloc_test: 35000 percpu allocations (fewer\n"
		 "\t\t\twhere the chunks would not fit)\n"
		 "\t\t   256 kvfree_rcu_1_arg_vmalloc_test\n"
		 "\t\t   512 kvfree_rcu_2_arg_vmalloc_test\n"
		 "\t\t  1024 vm_map_ram_test: vm_map_ram(nr_pages)\n"
		 "\t\t  2048 vrealloc_test: grow and shrink, data kept (loops/4)\n"
		 "\t\t  4096 vmap_test: vmap and vunmap of nr_pages\n"
		 "\t\t  8192 vmap_pfn_test: vmap_pfn of 1-16 frames without pages\n"
		 "\t\t 16384 vmalloc_huge_test: 2 MB to 8 MB (loops/64)\n"
		 "\t\t 32768 vfree_atomic_test: free nr_pages with BHs off\n"
		 "\t\t 65536 vmalloc_node_test: nr_pages on each online node;\n"
		 "\t\t\tcounts remote first pages apart\n"
		 "\t\t131072 nowait_alloc_test: GFP_NOWAIT, 1-64 pages; counts\n"
		 "\t\t\tfailures apart (6.12 does not promise NOWAIT), fails\n"
		 "\t\t\tif all fail or an area has a hole\n"
		 "\t\t262144 purge_pressure_test: 512 allocations, then 512\n"
		 "\t\t\tfrees, over and over, across the lazy-free threshold\n"
		 "\t\t524288 floor_test: bulk pages + vmap + vunmap + free of\n"
		 "\t\t\tnr_pages, the work no vmalloc can avoid");

static int nr_threads;
module_param(nr_threads, int, 0444);
MODULE_PARM_DESC(nr_threads,
		 "Number of workers (min 1, max USHRT_MAX; 0 runs one)");

static int test_repeat_count = 1;
module_param(test_repeat_count, int, 0444);
MODULE_PARM_DESC(test_repeat_count, "Times each worker runs each case");

static int test_loop_count = 1000000;
module_param(test_loop_count, int, 0444);
MODULE_PARM_DESC(test_loop_count, "Iterations of one run of a case");

static int nr_pages;
module_param(nr_pages, int, 0444);
MODULE_PARM_DESC(nr_pages,
		 "Pages per allocation of the cases that say nr_pages (default: 1)");

static bool use_huge;
module_param(use_huge, bool, 0444);
MODULE_PARM_DESC(use_huge, "fix_size_alloc_test uses vmalloc_huge()");

static bool fault_inject;
module_param(fault_inject, bool, 0444);
MODULE_PARM_DESC(fault_inject,
		 "Workers volunteer for failslab and fail_page_alloc (task-filter)");

static bool sequential_test_order;
module_param(sequential_test_order, bool, 0444);
MODULE_PARM_DESC(sequential_test_order,
		 "Run the cases in id order (default: shuffled per worker)");

static unsigned int random_seed;
module_param(random_seed, uint, 0444);
MODULE_PARM_DESC(random_seed,
		 "Seed of the random sizes and orders (default 0: a random seed);\n"
		 "\t\ta fixed seed repeats the same workload, for benchmarks");

/*
 * Latency histogram: values below TVM_SUB are exact, every power of two
 * above is cut into TVM_SUB equal slices. 62 octaves cover all of u64.
 */
#define TVM_SUB_BITS	3
#define TVM_SUB		BIT(TVM_SUB_BITS)
#define TVM_BUCKETS	((64 - TVM_SUB_BITS + 1) * TVM_SUB)

/* run_test_mask is an int: 31 cases at most. */
#define TVM_MAX_CASES	31

#define TVM_BUSY_AREAS		15000U
#define TVM_PCPU_ALLOCS		35000
#define TVM_PURGE_BATCH		512U
#define TVM_PURGE_PAGES		8
#define TVM_ATOMIC_BURST	32

#define TVM_CALLER	((const void *)_THIS_IP_)

enum tvm_verdict {
	TVM_PASS,
	TVM_FAIL,
	TVM_SKIP,
};

struct tvm_hist {
	u64 count;
	u64 sum;
	u64 max;
	u64 bucket[TVM_BUCKETS];
};

/* What one worker saw of one case. */
struct tvm_result {
	unsigned int passed;
	unsigned int failed;
	unsigned int loops;
	u8 ran;
	u8 skipped;
	u64 avg_us;
};

struct tvm_worker {
	struct task_struct *task;
	unsigned int id;
	u8 started;
	/* State of the case being run. */
	const char *case_name;
	unsigned int loops;
	struct rnd_state rnd;		/* sizes, alignments and case order */
	u64 extra;
	const char *skip_why;
	struct tvm_hist hist;
	/* Results. */
	u64 cycles;
	struct tvm_result res[TVM_MAX_CASES];
};

/* One case over all workers. */
struct tvm_total {
	struct tvm_hist hist;
	u64 wall_ns;
	u64 extra;
	unsigned int passed;
	unsigned int failed;
	unsigned int ran;
	unsigned int skipped;
	const char *skip_why;
};

struct tvm_case {
	const char *name;
	enum tvm_verdict (*run)(struct tvm_worker *w);
	/* What tvm_worker.extra counts in this case, if anything. */
	const char *extra;
	/* The case runs test_loop_count >> loop_shift iterations. */
	unsigned int loop_shift;
};

static unsigned int tvm_threads;
static unsigned int tvm_repeat;
static unsigned int tvm_loops;
static unsigned int tvm_pages;
/*
 * One-page areas (two pages with the guard) that a worker may keep: a
 * quarter of the vmalloc space shared by the workers. A 32-bit space of
 * about 120 MiB holds the 15000 of long_busy_list_alloc_test once, not
 * once per worker, and not the 32768 of full_fit_alloc_test at all.
 */
static unsigned int tvm_space_areas;
static unsigned int tvm_busy_areas;
/*
 * Percpu allocations a worker keeps: TVM_PCPU_ALLOCS, or fewer where the
 * chunks would not fit. One costs about 1 KiB (size and alignment waste)
 * in the unit of every CPU, and the workers share half the space: on
 * i386 four workers keeping 35000 each would need 190 MiB of chunks.
 */
static unsigned int tvm_pcpu_allocs;

/*
 * A small vmalloc range: the case that workers may run now, and how many
 * do. TVM_ANY_CASE while none runs.
 */
#define TVM_SMALL_SPACE		SZ_1G
#define TVM_ANY_CASE		UINT_MAX
static bool tvm_small;
static DEFINE_SPINLOCK(tvm_small_lock);
static unsigned int tvm_small_case = TVM_ANY_CASE;
static unsigned int tvm_small_users;
static DECLARE_WAIT_QUEUE_HEAD(tvm_small_wait);

static DECLARE_COMPLETION(tvm_go);
static DECLARE_COMPLETION(tvm_finished);
static atomic_t tvm_busy = ATOMIC_INIT(0);
static DEFINE_MUTEX(tvm_total_lock);
static struct tvm_total *tvm_totals;

/* ------------------------------------------------------------------ */
/* Timing                                                             */
/* ------------------------------------------------------------------ */

static unsigned int tvm_bucket(u64 ns)
{
	unsigned int msb;

	if (ns < TVM_SUB)
		return ns;

	msb = fls64(ns) - 1;
	return ((msb - TVM_SUB_BITS + 1) << TVM_SUB_BITS) |
		((ns >> (msb - TVM_SUB_BITS)) & (TVM_SUB - 1));
}

/* The middle of the values that land in bucket @b. */
static u64 tvm_bucket_value(unsigned int b)
{
	unsigned int msb, shift;
	u64 low;

	if (b < TVM_SUB)
		return b;

	msb = (b >> TVM_SUB_BITS) + TVM_SUB_BITS - 1;
	shift = msb - TVM_SUB_BITS;
	low = (u64)(TVM_SUB | (b & (TVM_SUB - 1))) << shift;
	return low + ((1ULL << shift) >> 1);
}

static inline u64 tvm_now(void)
{
	return ktime_get_ns();
}

/* Account one iteration that began at @start. */
static void tvm_lap(struct tvm_worker *w, u64 start)
{
	u64 ns = tvm_now() - start;
	struct tvm_hist *h = &w->hist;

	h->bucket[tvm_bucket(ns)]++;
	h->count++;
	h->sum += ns;
	if (ns > h->max)
		h->max = ns;
}

static void tvm_hist_add(struct tvm_hist *to, const struct tvm_hist *from)
{
	unsigned int b;

	for (b = 0; b < TVM_BUCKETS; b++)
		to->bucket[b] += from->bucket[b];
	to->count += from->count;
	to->sum += from->sum;
	to->max = max(to->max, from->max);
}

/**
 * tvm_hist_pct() - a percentile of a latency histogram
 * @h: the histogram
 * @pct: which percentile, 1 to 100
 *
 * Return: the middle of the bucket that holds the sample of rank
 * ceil(count * @pct / 100), capped by the largest sample; 0 if empty.
 */
static u64 tvm_hist_pct(const struct tvm_hist *h, unsigned int pct)
{
	u64 rank, seen = 0;
	unsigned int b;

	if (!h->count)
		return 0;

	rank = max_t(u64, 1, div_u64(h->count * pct + 99, 100));
	for (b = 0; b < TVM_BUCKETS; b++) {
		seen += h->bucket[b];
		if (seen >= rank)
			return min(tvm_bucket_value(b), h->max);
	}
	return h->max;
}

/* ------------------------------------------------------------------ */
/* Helpers of the cases                                               */
/* ------------------------------------------------------------------ */

static __printf(2, 3)
enum tvm_verdict tvm_fail(struct tvm_worker *w, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_err_ratelimited("vmalloc_test/%u: %s: %pV\n",
			   w->id, w->case_name, &vaf);
	va_end(args);
	return TVM_FAIL;
}

static enum tvm_verdict tvm_skip(struct tvm_worker *w, const char *why)
{
	w->skip_why = why;
	return TVM_SKIP;
}

static inline unsigned long tvm_bytes(unsigned int pages)
{
	return (unsigned long)pages << PAGE_SHIFT;
}

/* Write the first and the last byte, so that both ends must be mapped. */
static void tvm_touch(void *p, unsigned long size)
{
	u8 *b = p;

	WRITE_ONCE(b[0], 0xa5);
	WRITE_ONCE(b[size - 1], 0x5a);
}

/* A number in [0, @n), from the worker's own generator. */
static u32 tvm_rand_below(struct tvm_worker *w, u32 n)
{
	return prandom_u32_state(&w->rnd) % n;
}

/* A number in [@lo, @hi]. */
static u32 tvm_rand_between(struct tvm_worker *w, u32 lo, u32 hi)
{
	return lo + tvm_rand_below(w, hi - lo + 1);
}

/**
 * tvm_get_pages() - populate an array of order-0 pages
 * @pages: array of @nr entries, NULL where a page is wanted
 * @nr: number of entries
 *
 * Asks the bulk allocator first, as vmalloc does, then fills what it left
 * one page at a time.
 *
 * Return: true if every entry holds a page. On false, some entries may
 * hold pages: the caller releases them with tvm_put_pages() either way.
 */
static bool tvm_get_pages(struct page **pages, unsigned int nr)
{
	unsigned int i;

	alloc_pages_bulk_array(GFP_KERNEL, nr, pages);
	for (i = 0; i < nr; i++) {
		if (!pages[i])
			pages[i] = alloc_page(GFP_KERNEL);
		if (!pages[i])
			return false;
	}
	return true;
}

static void tvm_put_pages(struct page **pages, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (pages[i])
			__free_page(pages[i]);
		pages[i] = NULL;
	}
}

/*
 * vmalloc() memory at @p must be aligned to @align and inside the range;
 * tag-based KASAN (arm64) puts a tag in the pointer's top byte.
 */
static bool tvm_placed(const void *p, unsigned long align)
{
	unsigned long addr = (unsigned long)kasan_reset_tag(p);

	return IS_ALIGNED(addr, align) && addr >= VMALLOC_START &&
		addr < VMALLOC_END;
}

/**
 * tvm_align_must_fit() - whether any vmalloc must honour an alignment
 * @align: power of two
 * @size: address space the request takes, guard page included
 *
 * A free stretch of @align + @size - 1 bytes holds an aligned request
 * wherever the stretch starts, and that is what the 6.12 allocator looks
 * for. Cut the vmalloc range into pieces of @align + @size bytes: the
 * lowest may hold the areas the kernel already uses (on 64-bit the range
 * is huge next to them), the highest the percpu chunks, and every other
 * worker holds at most one area of this case at a time. If pieces are
 * left over after all of those, the request must succeed; longer
 * alignments may fail.
 *
 * Return: true if a request for @align must succeed.
 */
static bool tvm_align_must_fit(unsigned long align, unsigned long size)
{
	unsigned long len = VMALLOC_END - VMALLOC_START;

	if (align > len)
		return false;
	return align + size <= len / (tvm_threads + 2UL);
}

/* ------------------------------------------------------------------ */
/* Cases 0-10: the meaning of the 6.12 module's cases                 */
/* ------------------------------------------------------------------ */

static enum tvm_verdict fix_size_alloc_test(struct tvm_worker *w)
{
	unsigned long size = tvm_bytes(tvm_pages);
	unsigned int i;
	void *p;
	u64 t0;

	for (i = 0; i < w->loops; i++) {
		t0 = tvm_now();
		if (use_huge)
			p = vmalloc_huge(size, GFP_KERNEL);
		else
			p = vmalloc(size);
		if (!p)
			return tvm_fail(w, "no memory for %lu bytes", size);
		tvm_touch(p, size);
		vfree(p);
		tvm_lap(w, t0);
	}
	return TVM_PASS;
}

/*
 * Pin down pairs of one-page areas, free one of each pair, and allocate
 * single pages: every request has a hole of exactly its size to go to.
 */
static enum tvm_verdict full_fit_alloc_test(struct tvm_worker *w)
{
	unsigned int n = min_t(unsigned int,
			       fls(num_online_cpus()) * (SZ_32M >> PAGE_SHIFT),
			       tvm_space_areas / 2);
	enum tvm_verdict v = TVM_PASS;
	void **pinned, **holes;
	unsigned int i;
	void *p;
	u64 t0;

	pinned = kvcalloc(n, sizeof(*pinned), GFP_KERNEL);
	holes = kvcalloc(n, sizeof(*holes), GFP_KERNEL);
	if (!pinned || !holes) {
		v = tvm_fail(w, "no memory for the area arrays");
		goto out;
	}

	for (i = 0; i < n; i++) {
		pinned[i] = vmalloc(PAGE_SIZE);
		holes[i] = vmalloc(PAGE_SIZE);
		if (!pinned[i] || !holes[i]) {
			v = tvm_fail(w, "set-up allocation %u failed", i);
			goto out;
		}
	}
	for (i = 0; i < n; i++) {
		vfree(holes[i]);
		holes[i] = NULL;
	}

	for (i = 0; i < w->loops; i++) {
		t0 = tvm_now();
		p = vmalloc(PAGE_SIZE);
		if (!p) {
			v = tvm_fail(w, "no memory for one page");
			goto out;
		}
		tvm_touch(p, PAGE_SIZE);
		vfree(p);
		tvm_lap(w, t0);
	}

out:
	for (i = 0; pinned && i < n; i++)
		vfree(pinned[i]);
	for (i = 0; holes && i < n; i++)
		vfree(holes[i]);
	kvfree(pinned);
	kvfree(holes);
	return v;
}

/* Allocate and free while tvm_busy_areas small areas stay allocated. */
static enum tvm_verdict long_busy_list_alloc_test(struct tvm_worker *w)
{
	enum tvm_verdict v = TVM_PASS;
	void *big, *small;
	void **busy;
	unsigned int i;
	u64 t0;

	busy = kvcalloc(tvm_busy_areas, sizeof(*busy), GFP_KERNEL);
	if (!busy)
		return tvm_fail(w, "no memory for the area array");

	for (i = 0; i < tvm_busy_areas; i++) {
		busy[i] = vmalloc(PAGE_SIZE);
		if (!busy[i]) {
			v = tvm_fail(w, "set-up allocation %u failed", i);
			goto out;
		}
	}

	for (i = 0; i < w->loops; i++) {
		t0 = tvm_now();
		big = vmalloc(100 * PAGE_SIZE);
		small = vmalloc(PAGE_SIZE);
		if (!big || !small) {
			vfree(big);
			vfree(small);
			v = tvm_fail(w, "no memory at iteration %u", i);
			goto out;
		}
		tvm_touch(big, 100 * PAGE_SIZE);
		tvm_touch(small, PAGE_SIZE);
		vfree(big);
		vfree(small);
		tvm_lap(w, t0);
	}

out:
	for (i = 0; i < tvm_busy_areas; i++)
		vfree(busy[i]);
	kvfree(busy);
	return v;
}

static enum tvm_verdict random_size_alloc_test(struct tvm_worker *w)
{
	unsigned long size;
	unsigned int i;
	void *p;
	u64 t0;

	for (i = 0; i < w->loops; i++) {
		size = tvm_bytes(tvm_rand_between(w, 1, 100));
		t0 = tvm_now();
		p = vmalloc(size);
		if (!p)
			return tvm_fail(w, "no memory for %lu bytes", size);
		tvm_touch(p, size);
		vfree(p);
		tvm_lap(w, t0);
	}
	return TVM_PASS;
}

static enum tvm_verdict fix_align_alloc_test(struct tvm_worker *w)
{
	const unsigned long align = THREAD_ALIGN << 1;
	const unsigned long size = 5 * PAGE_SIZE;
	unsigned int i;
	void *p;
	u64 t0;

	for (i = 0; i < w->loops; i++) {
		t0 = tvm_now();
		p = __vmalloc_node(size, align, GFP_KERNEL | __GFP_ZERO,
				   NUMA_NO_NODE, TVM_CALLER);
		if (!p)
			return tvm_fail(w, "no memory at iteration %u", i);
		if (!tvm_placed(p, align)) {
			tvm_fail(w, "%p misplaced for %lu: offset %#lx",
				 p, align, (unsigned long)p & (align - 1));
			vfree(p);
			return TVM_FAIL;
		}
		tvm_touch(p, size);
		vfree(p);
		tvm_lap(w, t0);
	}
	return TVM_PASS;
}

static enum tvm_verdict random_size_align_alloc_test(struct tvm_worker *w)
{
	unsigned long size, align;
	unsigned int i;
	void *p;
	u64 t0;

	for (i = 0; i < w->loops; i++) {
		/* 2^22 is 1024 pages of 4 KiB. */
		align = 1UL << tvm_rand_below(w, 23);
		size = tvm_bytes(tvm_rand_between(w, 1, 10));
		t0 = tvm_now();
		p = __vmalloc_node(size, align, GFP_KERNEL | __GFP_ZERO,
				   NUMA_NO_NODE, TVM_CALLER);
		if (!p)
			return tvm_fail(w, "no memory for %lu at %lu",
					size, align);
		if (!tvm_placed(p, align)) {
			tvm_fail(w, "%p misplaced for %lu: offset %#lx",
				 p, align, (unsigned long)p & (align - 1));
			vfree(p);
			return TVM_FAIL;
		}
		tvm_touch(p, size);
		vfree(p);
		tvm_lap(w, t0);
	}
	return TVM_PASS;
}

/*
 * One page at every power-of-two alignment. Where the vmalloc range has
 * room for the alignment plus the page and its guard page, once per worker
 * and with some to spare (see tvm_align_must_fit()), the request must
 * succeed; beyond, it may fail, quietly (__GFP_NOWARN), and the case
 * counts such failures as "unfit", not as failures; if it succeeds, the
 * area must still be aligned and inside the range. The 6.12 module asked
 * without __GFP_NOWARN and took any failure as a failure of the case, so
 * the case always failed (1 << 63 fits no range) with a warning.
 */
static enum tvm_verdict align_shift_alloc_test(struct tvm_worker *w)
{
	const gfp_t gfp = GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN;
	unsigned long align;
	unsigned int shift;
	bool must_fit;
	void *p;
	u64 t0;

	for (shift = 0; shift < BITS_PER_LONG; shift++) {
		align = 1UL << shift;
		must_fit = tvm_align_must_fit(align, 2 * PAGE_SIZE);

		t0 = tvm_now();
		p = __vmalloc_node(PAGE_SIZE, align, gfp, NUMA_NO_NODE,
				   TVM_CALLER);
		tvm_lap(w, t0);
		if (!p) {
			if (must_fit)
				return tvm_fail(w, "2^%u fits the range but failed",
						shift);
			w->extra++;
			continue;
		}
		if (!tvm_placed(p, align)) {
			tvm_fail(w, "%p misplaced for 2^%u: offset %#lx",
				 p, shift, (unsigned long)p & (align - 1));
			vfree(p);
			return TVM_FAIL;
		}
		tvm_touch(p, PAGE_SIZE);
		vfree(p);
		cond_resched();
	}
	return TVM_PASS;
}

/* Percpu chunks are vmalloc areas: hammer the percpu allocator. */
static enum tvm_verdict pcpu_alloc_test(struct tvm_worker *w)
{
	enum tvm_verdict v = TVM_PASS;
	void __percpu **ptrs;
	size_t size, align;
	unsigned int i;
	u64 t0;

	if (IS_ENABLED(CONFIG_NEED_PER_CPU_KM))
		return tvm_skip(w, "percpu memory does not use vmalloc here");

	ptrs = kvcalloc(tvm_pcpu_allocs, sizeof(*ptrs), GFP_KERNEL);
	if (!ptrs)
		return tvm_fail(w, "no memory for the pointer array");

	for (i = 0; i < tvm_pcpu_allocs; i++) {
		size = tvm_rand_between(w, 1, PAGE_SIZE / 4);
		align = 1U << tvm_rand_between(w, 1, 11);
		t0 = tvm_now();
		ptrs[i] = __alloc_percpu(size, align);
		tvm_lap(w, t0);
		if (!ptrs[i] && v == TVM_PASS)
			v = tvm_fail(w, "no percpu memory for %zu at %zu",
				     size, align);
	}

	for (i = 0; i < tvm_pcpu_allocs; i++)
		free_percpu(ptrs[i]);
	kvfree(ptrs);
	return v;
}

struct tvm_rcu_obj {
	struct rcu_head rcu;
	u8 payload[32];
};

/*
 * kvfree_rcu() frees in batches, a grace period later, and a worker that
 * does nothing else outruns it: on a 32-bit range the areas still
 * waiting fill the space within 15000 iterations. A worker that has
 * queued its share of the space (tvm_space_areas, never reached on
 * 64-bit) waits for them, outside the timed laps.
 */
static void tvm_rcu_settle(unsigned int i)
{
	if ((i + 1) % tvm_space_areas == 0)
		kvfree_rcu_barrier();
}

static enum tvm_verdict kvfree_rcu_1_arg_vmalloc_test(struct tvm_worker *w)
{
	struct tvm_rcu_obj *obj;
	unsigned int i;
	u64 t0;

	for (i = 0; i < w->loops; i++) {
		t0 = tvm_now();
		obj = vmalloc(PAGE_SIZE);
		if (!obj)
			return tvm_fail(w, "no memory at iteration %u", i);
		WRITE_ONCE(obj->payload[0], 1);
		kvfree_rcu_mightsleep(obj);
		tvm_lap(w, t0);
		tvm_rcu_settle(i);
	}
	return TVM_PASS;
}

static enum tvm_verdict kvfree_rcu_2_arg_vmalloc_test(struct tvm_worker *w)
{
	struct tvm_rcu_obj *obj;
	unsigned int i;
	u64 t0;

	for (i = 0; i < w->loops; i++) {
		t0 = tvm_now();
		obj = vmalloc(PAGE_SIZE);
		if (!obj)
			return tvm_fail(w, "no memory at iteration %u", i);
		WRITE_ONCE(obj->payload[0], 2);
		kvfree_rcu(obj, rcu);
		tvm_lap(w, t0);
		tvm_rcu_settle(i);
	}
	return TVM_PASS;
}

/* How a mapping case maps its page set, and undoes it. */
struct tvm_mapper {
	const char *what;
	void *(*map)(struct page **pages, unsigned int nr);
	void (*unmap)(const void *va, unsigned int nr);
};

/**
 * tvm_map_case() - time mapping and unmapping one set of pages
 * @w: the worker
 * @m: how to map and unmap
 *
 * The pages are allocated once, outside the timed loop:
 * each iteration maps them, touches the mapping and unmaps it.
 *
 * Return: the case's verdict.
 */
static enum tvm_verdict tvm_map_case(struct tvm_worker *w,
				     const struct tvm_mapper *m)
{
	enum tvm_verdict v = TVM_PASS;
	struct page **pages;
	unsigned int i;
	void *va;
	u64 t0;

	pages = kvcalloc(tvm_pages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return tvm_fail(w, "no memory for the page array");
	if (!tvm_get_pages(pages, tvm_pages)) {
		v = tvm_fail(w, "no memory for %u pages", tvm_pages);
		goto out;
	}

	for (i = 0; i < w->loops; i++) {
		t0 = tvm_now();
		va = m->map(pages, tvm_pages);
		if (!va) {
			v = tvm_fail(w, "%s failed at iteration %u", m->what, i);
			goto out;
		}
		tvm_touch(va, tvm_bytes(tvm_pages));
		m->unmap(va, tvm_pages);
		tvm_lap(w, t0);
	}

out:
	tvm_put_pages(pages, tvm_pages);
	kvfree(pages);
	return v;
}

static void *tvm_map_ram(struct page **pages, unsigned int nr)
{
	return vm_map_ram(pages, nr, NUMA_NO_NODE);
}

static void *tvm_vmap(struct page **pages, unsigned int nr)
{
	return vmap(pages, nr, VM_MAP, PAGE_KERNEL);
}

static void tvm_vunmap(const void *va, unsigned int nr)
{
	vunmap(va);
}

static enum tvm_verdict vm_map_ram_test(struct tvm_worker *w)
{
	static const struct tvm_mapper m = {
		.what = "vm_map_ram()",
		.map = tvm_map_ram,
		.unmap = vm_unmap_ram,
	};

	return tvm_map_case(w, &m);
}

/* ------------------------------------------------------------------ */
/* Cases 11 and up                                                    */
/* ------------------------------------------------------------------ */

/*
 * vrealloc() is not exported in 6.12 and TEST_VMALLOC is module-only there,
 * but kvrealloc() is exported and hands vmalloc addresses straight to
 * vrealloc(): a module reaches the same code through it.
 */
static void *tvm_vrealloc(void *p, size_t size)
{
	if (IS_BUILTIN(CONFIG_TEST_VMALLOC))
		return vrealloc(p, size, GFP_KERNEL);
	return kvrealloc(p, size, GFP_KERNEL);
}

/* Stamp the first word of pages [@from, @to) of @p. */
static void tvm_stamp(void *p, unsigned int from, unsigned int to, u64 seed)
{
	unsigned int i;

	for (i = from; i < to; i++)
		*(u64 *)(p + tvm_bytes(i)) = seed ^ i;
}

/* Check the stamps of the pages whose first word lies below @size. */
static bool tvm_stamped(const void *p, size_t size, u64 seed)
{
	unsigned int i, nr = (size - sizeof(u64)) / PAGE_SIZE + 1;

	for (i = 0; i < nr; i++)
		if (*(const u64 *)(p + tvm_bytes(i)) != (seed ^ i))
			return false;
	return true;
}

/*
 * Resize *@p to @size bytes, then check the stamps below @keep bytes. On
 * any outcome *@p holds the one allocation the caller must free.
 */
static int tvm_resize(void **p, size_t size, size_t keep, u64 seed)
{
	void *q = tvm_vrealloc(*p, size);

	if (!q)
		return -ENOMEM;
	*p = q;
	return tvm_stamped(q, keep, seed) ? 0 : -EIO;
}

/*
 * One iteration: allocate a few pages, grow past them, shrink to a byte
 * size inside, grow back (in place, in 6.12), then grow past the area; the
 * data below the smallest size must survive every step.
 */
static enum tvm_verdict vrealloc_test(struct tvm_worker *w)
{
	unsigned int i, first, grown;
	size_t shrunk, last;
	u64 seed, t0;
	void *p;
	int err;

	for (i = 0; i < w->loops; i++) {
		seed = (u64)prandom_u32_state(&w->rnd) << 32 |
		       prandom_u32_state(&w->rnd);
		first = tvm_rand_between(w, 1, 8);
		grown = first + tvm_rand_between(w, 1, 56);
		shrunk = tvm_rand_between(w, sizeof(u64),
					  tvm_bytes(grown) - 1);
		last = tvm_bytes(grown + tvm_rand_between(w, 1, 8));

		t0 = tvm_now();
		p = vmalloc(tvm_bytes(first));
		if (!p)
			return tvm_fail(w, "no memory for %u pages", first);
		tvm_stamp(p, 0, first, seed);

		err = tvm_resize(&p, tvm_bytes(grown), tvm_bytes(first), seed);
		if (!err) {
			tvm_stamp(p, first, grown, seed);
			err = tvm_resize(&p, shrunk, shrunk, seed);
		}
		if (!err)
			err = tvm_resize(&p, tvm_bytes(grown), shrunk, seed);
		if (!err)
			err = tvm_resize(&p, last, shrunk, seed);
		if (err) {
			vfree(p);
			return tvm_fail(w, "%s at iteration %u",
					err == -EIO ? "data lost" : "no memory",
					i);
		}
		tvm_touch(p, last);
		vfree(p);
		tvm_lap(w, t0);
	}
	return TVM_PASS;
}

static enum tvm_verdict vmap_test(struct tvm_worker *w)
{
	static const struct tvm_mapper m = {
		.what = "vmap()",
		.map = tvm_vmap,
		.unmap = tvm_vunmap,
	};

	return tvm_map_case(w, &m);
}

/*
 * Frames that have no struct page: vmap_pfn() maps nothing else, and a
 * module has no device memory of its own. Far above the RAM of a test
 * machine, and below what 32-bit page tables can reach.
 */
#define TVM_PFN_BASE	PHYS_PFN(IS_ENABLED(CONFIG_64BIT) ? SZ_64G : SZ_2G + SZ_1G)
#define TVM_PFN_MAX	16

/*
 * Where pfn -> page -> pfn is arithmetic, a mapping of a frame without a
 * page can be read back with vmalloc_to_pfn(); elsewhere that would look
 * up a memory section that does not exist.
 */
static bool tvm_pfn_readable(void)
{
	return IS_ENABLED(CONFIG_SPARSEMEM_VMEMMAP) || IS_ENABLED(CONFIG_FLATMEM);
}

/* Map 1-16 frames without pages; each must read back as mapped. */
static enum tvm_verdict vmap_pfn_test(struct tvm_worker *w)
{
	unsigned long pfns[TVM_PFN_MAX];
	unsigned int i, n, k;
	u8 *p;
	u64 t0;

	if (!IS_ENABLED(CONFIG_VMAP_PFN))
		return tvm_skip(w, "CONFIG_VMAP_PFN is off");
	for (k = 0; k < TVM_PFN_MAX; k++)
		if (pfn_valid(TVM_PFN_BASE + k))
			return tvm_skip(w, "RAM reaches the frames to map");
	for (i = 0; i < w->loops; i++) {
		n = tvm_rand_between(w, 1, TVM_PFN_MAX);
		for (k = 0; k < n; k++)
			pfns[k] = TVM_PFN_BASE + (n - 1 - k);
		t0 = tvm_now();
		p = vmap_pfn(pfns, n, pgprot_noncached(PAGE_KERNEL));
		if (!p)
			return tvm_fail(w, "vmap_pfn() of %u frames failed", n);
		for (k = 0; tvm_pfn_readable() && k < n; k++) {
			if (vmalloc_to_pfn(p + k * PAGE_SIZE) != pfns[k]) {
				vunmap(p);
				return tvm_fail(w, "page %u of %u maps the wrong frame",
						k, n);
			}
		}
		vunmap(p);
		tvm_lap(w, t0);
	}
	return TVM_PASS;
}

/*
 * 2, 4, 6 and 8 MB in turn, every other one a page longer than that, which
 * the allocator has to round up to a huge page (6.12 does) or end with
 * small pages. Without huge vmalloc support, or when no huge page is free,
 * the allocations fall back to small pages and must still succeed.
 */
static enum tvm_verdict vmalloc_huge_test(struct tvm_worker *w)
{
	unsigned long size, off;
	unsigned int i;
	void *p;
	u64 t0;

	for (i = 0; i < w->loops; i++) {
		size = SZ_2M * (1 + i % 4) + (i & 1 ? PAGE_SIZE : 0);
		t0 = tvm_now();
		p = vmalloc_huge(size, GFP_KERNEL);
		if (!p)
			return tvm_fail(w, "no memory for %lu bytes", size);
		for (off = 0; off < size; off += SZ_2M)
			WRITE_ONCE(*(u8 *)(p + off), 1);
		tvm_touch(p, size);
		vfree(p);
		tvm_lap(w, t0);
	}
	return TVM_PASS;
}

/*
 * Free from atomic context (bottom halves off). vfree_atomic() is not
 * exported in 6.12, but vfree() in interrupt context, which a BH-disabled
 * section is, defers through it, so a module exercises the same path.
 */
static void tvm_vfree_atomic(const void *p)
{
	local_bh_disable();
	if (IS_BUILTIN(CONFIG_TEST_VMALLOC))
		vfree_atomic(p);
	else
		vfree(p);
	local_bh_enable();
}

static enum tvm_verdict vfree_atomic_test(struct tvm_worker *w)
{
	unsigned long size = tvm_bytes(tvm_pages);
	unsigned int i;
	void *p;
	u64 t0;

	for (i = 0; i < w->loops; i++) {
		t0 = tvm_now();
		p = vmalloc(size);
		if (!p)
			return tvm_fail(w, "no memory at iteration %u", i);
		tvm_touch(p, size);
		tvm_vfree_atomic(p);
		tvm_lap(w, t0);

		/*
		 * The real free runs from a work item on this CPU: sleep now
		 * and then so that the backlog stays small.
		 */
		if (i % TVM_ATOMIC_BURST == TVM_ATOMIC_BURST - 1)
			usleep_range(100, 200);
	}
	return TVM_PASS;
}

/*
 * vmalloc_node() on each online node in turn. The page allocator may fall
 * back to another node, so a remote first page is counted, not failed.
 */
static enum tvm_verdict vmalloc_node_test(struct tvm_worker *w)
{
	unsigned long size = tvm_bytes(tvm_pages);
	int nid = first_online_node;
	struct page *page;
	unsigned int i;
	void *p;
	u64 t0;

	for (i = 0; i < w->loops; i++) {
		t0 = tvm_now();
		p = vmalloc_node(size, nid);
		if (!p)
			return tvm_fail(w, "no memory on node %d", nid);
		tvm_touch(p, size);
		tvm_lap(w, t0);

		page = vmalloc_to_page(p);
		if (!page) {
			tvm_fail(w, "%p has no page", p);
			vfree(p);
			return TVM_FAIL;
		}
		if (page_to_nid(page) != nid)
			w->extra++;
		vfree(p);

		nid = next_online_node(nid);
		if (nid >= MAX_NUMNODES)
			nid = first_online_node;
	}
	return TVM_PASS;
}

/* Is every page of [@p, @p + @size) mapped? */
static bool tvm_mapped(const void *p, unsigned long size)
{
	unsigned long off;

	for (off = 0; off < size; off += PAGE_SIZE)
		if (!vmalloc_to_page(p + off))
			return false;
	return true;
}

/*
 * GFP_NOWAIT from process context. 6.12 documents that vmalloc needs
 * __GFP_DIRECT_RECLAIM (its page tables are always allocated with
 * GFP_KERNEL), so a request may fail: failures are counted apart. But
 * what succeeds must be mapped whole, and with memory to spare not every
 * request may fail. The case does not call vmalloc() from atomic context,
 * which 6.12 does not support.
 */
static enum tvm_verdict nowait_alloc_test(struct tvm_worker *w)
{
	unsigned long size;
	unsigned int i;
	void *p;
	u64 t0;

	for (i = 0; i < w->loops; i++) {
		size = tvm_bytes(tvm_rand_between(w, 1, 64));
		t0 = tvm_now();
		p = __vmalloc(size, GFP_NOWAIT | __GFP_NOWARN);
		if (p && !tvm_mapped(p, size)) {
			vfree(p);
			return tvm_fail(w, "a GFP_NOWAIT area of %lu bytes has a hole",
					size);
		}
		if (p) {
			tvm_touch(p, size);
			vfree(p);
		} else {
			w->extra++;
		}
		tvm_lap(w, t0);
	}
	if (w->loops && w->extra == w->loops)
		return tvm_fail(w, "all %u GFP_NOWAIT requests failed", w->loops);
	return TVM_PASS;
}

/*
 * Allocate a batch of areas (the timed part), then free the whole batch,
 * over and over. Each batch frees TVM_PURGE_BATCH * (TVM_PURGE_PAGES + 1)
 * pages of address space (guard pages included) into the lazy list, so
 * the allocations keep running across the point where freed areas are
 * purged: 6.12 purges at fls(num_online_cpus()) * 32 MB of lazy areas.
 */
static enum tvm_verdict purge_pressure_test(struct tvm_worker *w)
{
	const unsigned long size = tvm_bytes(TVM_PURGE_PAGES);
	enum tvm_verdict v = TVM_PASS;
	unsigned int done = 0, i, n;
	void **batch;
	u64 t0;

	batch = kvcalloc(TVM_PURGE_BATCH, sizeof(*batch), GFP_KERNEL);
	if (!batch)
		return tvm_fail(w, "no memory for the batch array");

	while (done < w->loops) {
		n = min(w->loops - done, TVM_PURGE_BATCH);
		for (i = 0; i < n; i++) {
			t0 = tvm_now();
			batch[i] = vmalloc(size);
			if (!batch[i]) {
				v = tvm_fail(w, "no memory after %u", done + i);
				goto out;
			}
			tvm_touch(batch[i], size);
			tvm_lap(w, t0);
		}
		for (i = 0; i < n; i++) {
			vfree(batch[i]);
			batch[i] = NULL;
		}
		done += n;
	}

out:
	for (i = 0; i < TVM_PURGE_BATCH; i++)
		vfree(batch[i]);
	kvfree(batch);
	return v;
}

/*
 * The floor: what any vmalloc of nr_pages must do at the least, from
 * exported primitives. Get the pages (bulk first), map them into a new
 * area, touch, unmap, free the pages. The page array is reused, the rest is
 * paid on every iteration. Compare with fix_size_alloc_test.
 */
static enum tvm_verdict floor_test(struct tvm_worker *w)
{
	unsigned long size = tvm_bytes(tvm_pages);
	enum tvm_verdict v = TVM_PASS;
	struct page **pages;
	unsigned int i;
	void *va;
	u64 t0;

	pages = kvcalloc(tvm_pages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return tvm_fail(w, "no memory for the page array");

	for (i = 0; i < w->loops; i++) {
		t0 = tvm_now();
		if (!tvm_get_pages(pages, tvm_pages)) {
			v = tvm_fail(w, "no memory for %u pages", tvm_pages);
			break;
		}
		va = vmap(pages, tvm_pages, VM_MAP, PAGE_KERNEL);
		if (!va) {
			v = tvm_fail(w, "vmap() failed at iteration %u", i);
			break;
		}
		tvm_touch(va, size);
		vunmap(va);
		tvm_put_pages(pages, tvm_pages);
		tvm_lap(w, t0);
	}

	tvm_put_pages(pages, tvm_pages);
	kvfree(pages);
	return v;
}

#define TVM_CASE(fn, ...)	{ .name = #fn, .run = fn, __VA_ARGS__ }

/* Indexed by case id: bit N of run_test_mask selects tvm_cases[N]. */
static const struct tvm_case tvm_cases[] = {
	TVM_CASE(fix_size_alloc_test),
	TVM_CASE(full_fit_alloc_test),
	TVM_CASE(long_busy_list_alloc_test),
	TVM_CASE(random_size_alloc_test),
	TVM_CASE(fix_align_alloc_test),
	TVM_CASE(random_size_align_alloc_test),
	TVM_CASE(align_shift_alloc_test, .extra = "unfit"),
	TVM_CASE(pcpu_alloc_test),
	TVM_CASE(kvfree_rcu_1_arg_vmalloc_test),
	TVM_CASE(kvfree_rcu_2_arg_vmalloc_test),
	TVM_CASE(vm_map_ram_test),
	/* New in this version. */
	TVM_CASE(vrealloc_test, .loop_shift = 2),
	TVM_CASE(vmap_test),
	TVM_CASE(vmap_pfn_test),
	TVM_CASE(vmalloc_huge_test, .loop_shift = 6),
	TVM_CASE(vfree_atomic_test),
	TVM_CASE(vmalloc_node_test, .extra = "remote"),
	TVM_CASE(nowait_alloc_test, .extra = "nowait_fail"),
	TVM_CASE(purge_pressure_test),
	TVM_CASE(floor_test),
};

static_assert(ARRAY_SIZE(tvm_cases) <= TVM_MAX_CASES);

static bool tvm_selected(unsigned int id)
{
	return (unsigned int)run_test_mask & BIT(id);
}

/* ------------------------------------------------------------------ */
/* Workers                                                            */
/* ------------------------------------------------------------------ */

/* Fold what @w saw of case @id into the totals of the case. */
static void tvm_account(struct tvm_worker *w, unsigned int id, u64 wall_ns)
{
	const struct tvm_result *r = &w->res[id];
	struct tvm_total *t = &tvm_totals[id];

	mutex_lock(&tvm_total_lock);
	tvm_hist_add(&t->hist, &w->hist);
	t->wall_ns += wall_ns;
	t->extra += w->extra;
	t->passed += r->passed;
	t->failed += r->failed;
	t->ran++;
	if (r->skipped) {
		t->skipped++;
		t->skip_why = w->skip_why;
	}
	mutex_unlock(&tvm_total_lock);
}

/*
 * With one worker, finish what earlier cases left to be done later: the
 * purge of lazily freed areas (vm_unmap_aliases() purges them in both
 * implementations) and the frees queued with kvfree_rcu().
 */
static void tvm_quiesce(void)
{
	if (tvm_threads != 1)
		return;
	kvfree_rcu_barrier();
	vm_unmap_aliases();
}

/**
 * tvm_run_case() - run one case test_repeat_count times on one worker
 * @w: the worker
 * @id: the case id
 *
 * A case that reports TVM_SKIP is not repeated. The latency histogram and
 * the extra count of the worker start from zero for every case, which
 * with one worker starts from a quiet vmalloc (tvm_quiesce()).
 */
static void tvm_run_case(struct tvm_worker *w, unsigned int id)
{
	const struct tvm_case *c = &tvm_cases[id];
	struct tvm_result *r = &w->res[id];
	enum tvm_verdict v;
	unsigned int i;
	u64 start, wall;

	memset(&w->hist, 0, sizeof(w->hist));
	w->extra = 0;
	w->skip_why = NULL;
	w->case_name = c->name;
	w->loops = max(tvm_loops >> c->loop_shift, 1U);
	r->loops = w->loops;

	tvm_quiesce();
	start = tvm_now();
	for (i = 0; i < tvm_repeat; i++) {
		v = c->run(w);
		if (v == TVM_SKIP) {
			r->skipped = 1;
			break;
		}
		if (v == TVM_PASS)
			r->passed++;
		else
			r->failed++;
		cond_resched();
	}
	wall = tvm_now() - start;

	r->ran = 1;
	r->avg_us = div_u64(div_u64(wall, NSEC_PER_USEC), tvm_repeat);
	tvm_account(w, id, wall);
}

static bool tvm_small_join(unsigned int id)
{
	bool joined = false;

	spin_lock(&tvm_small_lock);
	if (tvm_small_case == TVM_ANY_CASE || tvm_small_case == id) {
		tvm_small_case = id;
		tvm_small_users++;
		joined = true;
	}
	spin_unlock(&tvm_small_lock);
	return joined;
}

/*
 * On a small vmalloc range, wait until no worker runs another case than
 * @id. Workers never wait while they run a case, so some case always
 * runs: every worker gets its turn.
 */
static void tvm_small_enter(unsigned int id)
{
	if (tvm_small)
		wait_event(tvm_small_wait, tvm_small_join(id));
}

static void tvm_small_leave(void)
{
	if (!tvm_small)
		return;
	spin_lock(&tvm_small_lock);
	if (!--tvm_small_users)
		tvm_small_case = TVM_ANY_CASE;
	spin_unlock(&tvm_small_lock);
	wake_up_all(&tvm_small_wait);
}

static int tvm_worker_fn(void *data)
{
	unsigned int order[ARRAY_SIZE(tvm_cases)];
	struct tvm_worker *w = data;
	unsigned int i, j;
	u64 c0;

	for (i = 0; i < ARRAY_SIZE(order); i++)
		order[i] = i;
	if (!sequential_test_order) {
		/* Fisher-Yates */
		for (i = ARRAY_SIZE(order) - 1; i > 0; i--) {
			j = tvm_rand_below(w, i + 1);
			swap(order[i], order[j]);
		}
	}

#ifdef CONFIG_FAULT_INJECTION
	/* Cases then fail where allocations do; nothing may crash or leak. */
	if (fault_inject)
		current->make_it_fail = 1;
#endif

	/* All workers start together, once every one of them exists. */
	wait_for_completion(&tvm_go);

	c0 = get_cycles();
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		if (!tvm_selected(order[i]))
			continue;
		tvm_small_enter(order[i]);
		tvm_run_case(w, order[i]);
		tvm_small_leave();
	}
	w->cycles = get_cycles() - c0;

	if (atomic_dec_and_test(&tvm_busy))
		complete(&tvm_finished);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Report                                                             */
/* ------------------------------------------------------------------ */

static void tvm_report_worker(const struct tvm_worker *w)
{
	const struct tvm_result *r;
	unsigned int id;

	for (id = 0; id < ARRAY_SIZE(tvm_cases); id++) {
		r = &w->res[id];
		if (!r->ran || r->skipped)
			continue;
		pr_info("Summary: %s passed: %u failed: %u repeat: %u loops: %u avg: %llu usec\n",
			tvm_cases[id].name, r->passed, r->failed, tvm_repeat,
			r->loops, r->avg_us);
	}
	pr_info("All test took worker%u=%llu cycles\n", w->id, w->cycles);
}

/**
 * tvm_report_case() - print the KTAP result of one case
 * @nr: KTAP test number
 * @id: case id
 *
 * A case is skipped if every worker that ran it skipped it, and passes
 * if no repetition failed and at least one passed.
 *
 * Return: 0 if the case passed, 1 if it failed, 2 if it was skipped.
 */
static int tvm_report_case(unsigned int nr, unsigned int id)
{
	const struct tvm_total *t = &tvm_totals[id];
	const char *name = tvm_cases[id].name;
	const struct tvm_hist *h = &t->hist;
	u64 ops_s = 0;

	if (t->ran && t->skipped == t->ran) {
		pr_info("ok %u %s # SKIP %s\n", nr, name,
			t->skip_why ?: "not supported");
		return 2;
	}

	if (t->wall_ns)
		ops_s = mul_u64_u64_div_u64(h->count, NSEC_PER_SEC,
					    t->wall_ns);
	if (tvm_cases[id].extra)
		pr_info("# %s: iters=%llu ops/s=%llu %s=%llu\n", name,
			h->count, ops_s, tvm_cases[id].extra, t->extra);
	else
		pr_info("# %s: iters=%llu ops/s=%llu\n", name, h->count,
			ops_s);
	pr_info("# %s: ns mean=%llu p50=%llu p99=%llu max=%llu\n", name,
		h->count ? div64_u64(h->sum, h->count) : 0,
		tvm_hist_pct(h, 50), tvm_hist_pct(h, 99), h->max);

	if (!t->failed && t->passed) {
		pr_info("ok %u %s\n", nr, name);
		return 0;
	}
	pr_info("not ok %u %s\n", nr, name);
	return 1;
}

static void tvm_report(const struct tvm_worker *workers)
{
	unsigned int counts[3] = { 0 };
	unsigned int i, nr = 0;

	for (i = 0; i < tvm_threads; i++)
		if (workers[i].started)
			tvm_report_worker(&workers[i]);

	for (i = 0; i < ARRAY_SIZE(tvm_cases); i++)
		nr += tvm_selected(i);

	pr_info("KTAP version 1\n");
	pr_info("# vmalloc_test: threads=%u repeat=%u loops=%u pages=%u huge=%d seq=%d small=%d\n",
		tvm_threads, tvm_repeat, tvm_loops, tvm_pages, use_huge,
		sequential_test_order, tvm_small);
	pr_info("1..%u\n", nr);
	nr = 0;
	for (i = 0; i < ARRAY_SIZE(tvm_cases); i++)
		if (tvm_selected(i))
			counts[tvm_report_case(++nr, i)]++;
	pr_info("# Totals: pass:%u fail:%u xfail:0 xpass:0 skip:%u error:0\n",
		counts[0], counts[1], counts[2]);
}

/* ------------------------------------------------------------------ */
/* Module                                                             */
/* ------------------------------------------------------------------ */

static void tvm_configure(void)
{
	tvm_threads = clamp(nr_threads, 1, (int)USHRT_MAX);
	tvm_repeat = max(test_repeat_count, 1);
	tvm_loops = max(test_loop_count, 1);
	tvm_pages = max(nr_pages, 1);
	tvm_space_areas = clamp_t(unsigned long,
				  VMALLOC_TOTAL / (2 * PAGE_SIZE) / 4 /
				  tvm_threads, 2, UINT_MAX);
	tvm_busy_areas = min(TVM_BUSY_AREAS, tvm_space_areas);
	tvm_pcpu_allocs = clamp_t(unsigned long,
				  VMALLOC_TOTAL / 2 / tvm_threads /
				  (nr_cpu_ids * SZ_1K), 1, TVM_PCPU_ALLOCS);
	tvm_small = VMALLOC_TOTAL < TVM_SMALL_SPACE;
}

/**
 * tvm_run() - start the workers, wait for them and report
 *
 * Workers are created stopped and wait for one another, so that they all
 * start at once. They exit on their own once done; a reference to each
 * task keeps kthread_stop_put() safe on a thread that has already exited,
 * and it also waits until no worker runs code of this module any more.
 */
static void tvm_run(void)
{
	struct tvm_worker *workers;
	struct task_struct *task;
	unsigned int i, started = 0;

	tvm_configure();

	tvm_totals = kvcalloc(ARRAY_SIZE(tvm_cases), sizeof(*tvm_totals),
			      GFP_KERNEL);
	workers = kvcalloc(tvm_threads, sizeof(*workers), GFP_KERNEL);
	if (!tvm_totals || !workers) {
		pr_err("vmalloc_test: no memory for %u workers\n",
		       tvm_threads);
		goto out;
	}

	for (i = 0; i < tvm_threads; i++) {
		workers[i].id = i;
		prandom_seed_state(&workers[i].rnd, random_seed ?
				   (u64)random_seed << 16 | i : get_random_u64());
		task = kthread_create(tvm_worker_fn, &workers[i],
				      "vmalloc_test/%u", i);
		if (IS_ERR(task)) {
			pr_err("vmalloc_test: worker %u not started: %pe\n",
			       i, task);
			continue;
		}
		get_task_struct(task);
		workers[i].task = task;
		workers[i].started = 1;
		started++;
	}
	if (!started) {
		pr_err("vmalloc_test: no worker could be started\n");
		goto out;
	}

	atomic_set(&tvm_busy, started);
	for (i = 0; i < tvm_threads; i++)
		if (workers[i].task)
			wake_up_process(workers[i].task);
	complete_all(&tvm_go);

	/* Wake up every second, so the hung task detector stays quiet. */
	while (!wait_for_completion_timeout(&tvm_finished, HZ))
		;

	for (i = 0; i < tvm_threads; i++) {
		if (workers[i].task)
			kthread_stop_put(workers[i].task);
		workers[i].task = NULL;
	}

	/* Areas still waiting for a grace period are ours: let them go. */
	kvfree_rcu_barrier();

	tvm_report(workers);
out:
	kvfree(workers);
	kvfree(tvm_totals);
	tvm_totals = NULL;
}

static int __init vmalloc_test_init(void)
{
	tvm_run();
	/* Fail the load: the module is gone as soon as the run is over. */
	return -EAGAIN;
}
module_init(vmalloc_test_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmalloc stress and latency test");

// SPDX-License-Identifier: GPL-2.0
/*
 * Torture test of vmalloc() and its neighbours.
 *
 * Loading the module starts nr_workers kernel threads
 * ("vmalloc_torture/N") for duration_s seconds. Each worker draws its
 * choices from a random stream of its own, seeded from seed and its id,
 * and keeps up to live_objects objects alive. One step at a time it
 * picks one of its slots at random:
 *
 *  - into an empty slot it allocates: vmalloc(), vzalloc(),
 *    vmalloc_node() on a node with memory, vmalloc_huge(), a GFP_NOWAIT
 *    __vmalloc(), vmap() or vm_map_ram() of pages of its own (1, 3, 5, 17,
 *    63, 64, 65 or 100 of them: counts that a vm_map_ram() block of 1024
 *    pages does not divide, on both sides of VMAP_MAX_ALLOC), or percpu
 *    memory of 4 bytes to 4 KiB, which makes percpu grow chunks;
 *  - on a live object it checks a sample, resizes it with vrealloc(), or
 *    frees it: vfree() in process context, with bottom halves disabled,
 *    from a timer callback or through vfree_atomic(), vunmap(),
 *    vm_unmap_ram() or free_percpu().
 *
 * Now and then a worker calls vm_unmap_aliases().
 *
 * The run alternates mixed phases with uniform ones, VT_PHASE_S seconds
 * each, and ends with a uniform one. In a uniform phase every vmap() and
 * vm_map_ram() maps one count (63, 17, 5 or 3 pages: none divides a
 * block) and nobody calls vm_unmap_aliases(): a vm_map_ram() block left
 * with a remainder that no request of the phase can use must still be
 * freed with its last mapping. The module does not call
 * vm_unmap_aliases() at the end either, so that the blocks it leaves
 * behind can be counted (the rig allows one or two per CPU: the blocks
 * that still have room). It prints the most vm_map_ram() mappings that
 * were alive at once: every block but those must hold one of them.
 *
 * Every object is filled with words that name their writer (worker id,
 * object serial, word index). A worker checks an object whole before it
 * frees or resizes it, and a random part of it while it lives; for vmap()
 * and vm_map_ram() objects it also checks that vmalloc_to_page() gives back
 * the pages it mapped. A word other than the one its owner wrote (areas
 * that overlap, a stale page table or TLB entry) counts as a mismatch, and
 * the first mismatch of the run is reported in full, with the owner that
 * the word found names. An allocation that may not fail (GFP_KERNEL
 * vmalloc of up to 64 pages, percpu memory, pages, vmap(), vm_map_ram())
 * and fails counts as a failure; GFP_NOWAIT and vmalloc_huge() requests
 * may fail and are counted apart.
 *
 * vrealloc(), vfree_atomic(), find_vm_area() and set_memory_ro() are not
 * exported in 6.12, and TEST_VMALLOC_TORTURE, like TEST_VMALLOC, is built
 * as a module only. The module reaches vrealloc() through kvrealloc() of
 * a vmalloc address, and vfree_atomic() through vfree() with bottom halves
 * disabled, which defers through it. Built in, it calls both directly,
 * checks every vmalloc and vmap object against find_vm_area(), and, where
 * the architecture has set_memory_ro(), adds objects allocated with
 * VM_FLUSH_RESET_PERMS and made read-only.
 *
 * When the time is up, the workers check and free everything they hold,
 * the module waits for RCU callbacks with rcu_barrier(), and prints the
 * operations done and one summary line:
 *
 *   vmalloc_torture: seed=S workers=N seconds=T ops=O mismatches=M \
 *     failures=F allowed_failures=A result=ok|FAIL
 *
 * (one line; O counts every operation, samples included; A counts the
 * failures that are allowed).
 *
 * With faults=1 each worker volunteers for fault injection (the
 * make-it-fail of a task, which failslab and fail_page_alloc obey with
 * task-filter set), and every failed allocation is counted as allowed:
 * what must still hold is that nothing crashes and that every object
 * that was allocated holds its pattern, vrealloc() keeping the old
 * object whole when it fails.
 *
 * The module init then fails, so that the module never stays loaded:
 * -EAGAIN after a clean run (as test_vmalloc does), -EINVAL after a run
 * with a mismatch or a failure, -ENOMEM when no worker could be started.
 */

#define pr_fmt(fmt) "vmalloc_torture: " fmt

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/bottom_half.h>
#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/jiffies.h>
#include <linux/kasan.h>
#include <linux/kthread.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/nodemask.h>
#include <linux/percpu.h>
#include <linux/prandom.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/set_memory.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/vmalloc.h>

static unsigned int duration_s = 20;
module_param(duration_s, uint, 0444);
MODULE_PARM_DESC(duration_s, "Seconds to run (default 20, at least 1)");

static unsigned int seed = 1;
module_param(seed, uint, 0444);
MODULE_PARM_DESC(seed, "Seed of the workers' random streams (default 1)");

static unsigned int nr_workers;
module_param(nr_workers, uint, 0444);
MODULE_PARM_DESC(nr_workers,
		 "Number of workers (default 0: two per online CPU)");

static bool faults;
module_param(faults, bool, 0444);
MODULE_PARM_DESC(faults,
		 "Workers volunteer for fault injection and any failure is allowed");

static unsigned int live_objects = 64;
module_param(live_objects, uint, 0444);
MODULE_PARM_DESC(live_objects,
		 "Objects each worker keeps alive at most (default 64, 1-256)");

#define VT_MAX_LIVE	256
#define VT_MAX_WORKERS	1024
/* A worker calls vm_unmap_aliases() once in this many steps. */
#define VT_ALIASES_EVERY 512
/* Seconds of a phase, mixed or uniform. */
#define VT_PHASE_S	2
/* A sample checks this many bytes at most. */
#define VT_SAMPLE_BYTES	PAGE_SIZE

/*
 * A pattern word: a marker byte, then the worker id, the object serial
 * and the word index (the last two modulo 2^20).
 */
#define VT_MAGIC	(0xa5ULL << 56)
#define VT_MAGIC_MASK	(0xffULL << 56)
#define VT_FIELD	GENMASK_ULL(19, 0)

/*
 * What a worker does in one step. An object's kind is the operation that
 * allocated it (VT_VMALLOC to VT_RO).
 */
enum vt_op {
	VT_VMALLOC,
	VT_VZALLOC,
	VT_NODE,
	VT_HUGE,
	VT_NOWAIT,
	VT_VMAP,
	VT_MAP_RAM,
	VT_PERCPU,
	VT_RO,
	VT_VREALLOC,
	VT_SAMPLE,
	VT_VFREE,
	VT_VFREE_BH,
	VT_VFREE_TIMER,
	VT_VFREE_ATOMIC,
	VT_VUNMAP,
	VT_UNMAP_RAM,
	VT_FREE_PERCPU,
	VT_ALIASES,
	VT_NR_OPS,
};

static const char * const vt_op_names[VT_NR_OPS] = {
	[VT_VMALLOC] = "vmalloc",
	[VT_VZALLOC] = "vzalloc",
	[VT_NODE] = "vmalloc_node",
	[VT_HUGE] = "vmalloc_huge",
	[VT_NOWAIT] = "vmalloc_nowait",
	[VT_VMAP] = "vmap",
	[VT_MAP_RAM] = "vm_map_ram",
	[VT_PERCPU] = "alloc_percpu",
	[VT_RO] = "set_memory_ro",
	[VT_VREALLOC] = "vrealloc",
	[VT_SAMPLE] = "sample",
	[VT_VFREE] = "vfree",
	[VT_VFREE_BH] = "vfree_bh",
	[VT_VFREE_TIMER] = "vfree_timer",
	[VT_VFREE_ATOMIC] = "vfree_atomic",
	[VT_VUNMAP] = "vunmap",
	[VT_UNMAP_RAM] = "vm_unmap_ram",
	[VT_FREE_PERCPU] = "free_percpu",
	[VT_ALIASES] = "vm_unmap_aliases",
};

/* Allocations, by weight: into an empty slot. */
static const u8 vt_alloc_mix[] = {
	VT_VMALLOC, VT_VMALLOC, VT_VMALLOC, VT_VMALLOC,
	VT_VMALLOC, VT_VMALLOC, VT_VMALLOC, VT_VMALLOC,
	VT_VZALLOC, VT_VZALLOC, VT_VZALLOC, VT_VZALLOC,
	VT_NODE, VT_NODE, VT_NODE, VT_NODE,
	VT_HUGE, VT_NOWAIT, VT_NOWAIT, VT_RO,
	VT_VMAP, VT_VMAP, VT_VMAP, VT_VMAP,
	VT_MAP_RAM, VT_MAP_RAM, VT_MAP_RAM, VT_MAP_RAM, VT_MAP_RAM,
	VT_PERCPU, VT_PERCPU, VT_PERCPU,
};

/* What to do with a live object, by weight. */
static const u8 vt_object_mix[] = {
	VT_SAMPLE, VT_SAMPLE, VT_SAMPLE, VT_SAMPLE, VT_SAMPLE, VT_SAMPLE,
	VT_VFREE, VT_VFREE, VT_VFREE, VT_VFREE, VT_VFREE,
	VT_VFREE_BH, VT_VFREE_TIMER, VT_VFREE_ATOMIC,
	VT_VREALLOC, VT_VREALLOC,
};

/* Page counts of vmap() and vm_map_ram(). */
static const u8 vt_map_counts[] = { 1, 3, 5, 17, 63, 64, 65, 100 };
/* The count of each uniform phase in turn. */
static const u8 vt_uniform_counts[] = { 63, 17, 5, 3 };

struct vt_obj {
	void *addr;
	void __percpu *pcpu;		/* percpu objects */
	struct page **pages;		/* vmap and vm_map_ram objects */
	size_t size;			/* bytes; per CPU for percpu */
	unsigned int nr_pages;		/* charged to the worker's budget */
	u32 serial;
	u8 kind;
	bool live;
};

/* The pattern of one copy of an object: word i is vt_word(pat, i). */
struct vt_pattern {
	unsigned int id;
	u32 serial;
	size_t base;
};

struct vt_bad {
	size_t off;
	u64 found;
	u64 want;
};

struct vt_worker {
	struct task_struct *task;
	struct rnd_state rnd;
	struct timer_list timer;
	void *timer_addr;		/* what the timer frees, or NULL */
	unsigned int id;
	u32 serial;
	unsigned long live_pages;
	unsigned long ops[VT_NR_OPS];
	unsigned long mismatches;
	unsigned long failures;
	unsigned long allowed_failures;
	struct vt_obj objs[VT_MAX_LIVE];
};

static unsigned int vt_workers;
static unsigned int vt_live;
static unsigned long vt_budget;	/* pages a worker may hold */
static unsigned long vt_end_time;	/* jiffies when the workers stop */
static atomic_t vt_mismatch_reported = ATOMIC_INIT(0);
static atomic_t vt_ram_live = ATOMIC_INIT(0);	/* vm_map_ram() mappings */
static atomic_t vt_ram_most = ATOMIC_INIT(0);	/* and their peak */
static atomic_t vt_failure_reported = ATOMIC_INIT(0);

static bool vt_builtin(void)
{
	return IS_BUILTIN(CONFIG_TEST_VMALLOC_TORTURE);
}

static u32 vt_rand(struct vt_worker *w, u32 n)
{
	return prandom_u32_state(&w->rnd) % n;
}

static bool vt_can_set_ro(void)
{
	return vt_builtin() && IS_ENABLED(CONFIG_ARCH_HAS_SET_MEMORY);
}

static bool vt_is_vmalloc(const struct vt_obj *o)
{
	return o->kind <= VT_NOWAIT || o->kind == VT_RO;
}

static bool vt_is_mapped(const struct vt_obj *o)
{
	return o->kind == VT_VMAP || o->kind == VT_MAP_RAM;
}

/* vrealloc() keeps what it resizes writable and small-paged. */
static bool vt_is_resizable(const struct vt_obj *o)
{
	return o->kind <= VT_NODE || o->kind == VT_NOWAIT;
}

/*
 * The count of the current uniform phase, or 0 in a mixed phase. Phases
 * are counted back from the end, so that the last one is uniform.
 */
static unsigned int vt_uniform_count(void)
{
	unsigned long left = time_before(jiffies, vt_end_time) ?
			     vt_end_time - jiffies : 0;
	unsigned long phase = left / (VT_PHASE_S * HZ) + 1;

	if (!(phase & 1))
		return 0;
	return vt_uniform_counts[phase / 2 % ARRAY_SIZE(vt_uniform_counts)];
}

static bool vt_afford(const struct vt_worker *w, unsigned long pages)
{
	return w->live_pages + pages <= vt_budget;
}

/*
 * 1 byte to 64 pages, about as many of each power of two: small enough
 * that a GFP_KERNEL request must not fail.
 */
static size_t vt_size(struct vt_worker *w)
{
	return 1 + vt_rand(w, PAGE_SIZE << vt_rand(w, 7));
}

/* A node with memory, each as likely. */
static int vt_node(struct vt_worker *w)
{
	int nid, n = vt_rand(w, max(num_node_state(N_MEMORY), 1));

	for_each_node_state(nid, N_MEMORY)
		if (!n--)
			return nid;
	return NUMA_NO_NODE;
}

/* ------------------------------------------------------------------ */
/* Patterns and checks                                                */
/* ------------------------------------------------------------------ */

static u64 vt_word(const struct vt_pattern *pat, size_t i)
{
	return VT_MAGIC | (u64)(pat->id & 0xffff) << 40 |
	       (pat->serial & VT_FIELD) << 20 | ((pat->base + i) & VT_FIELD);
}

/* Copy @cpu of a percpu object has words of its own. */
static struct vt_pattern vt_pattern(const struct vt_worker *w,
				    const struct vt_obj *o, unsigned int cpu)
{
	return (struct vt_pattern){
		.id = w->id,
		.serial = o->serial,
		.base = (size_t)cpu * (o->size / sizeof(u64) + 1),
	};
}

/* Fill @size bytes at @p; the bytes past the last whole word too. */
static void vt_fill(void *p, size_t size, const struct vt_pattern *pat)
{
	size_t i, n = size / sizeof(u64);
	u64 *word = p, tail = vt_word(pat, n);

	for (i = 0; i < n; i++)
		word[i] = vt_word(pat, i);
	memcpy(word + n, &tail, size % sizeof(u64));
}

/* The first word of [@from, @to) of @p that is not the pattern. */
static bool vt_bad_word(const void *p, size_t from, size_t to,
			const struct vt_pattern *pat, struct vt_bad *bad)
{
	const u64 *word = p;
	size_t i;

	for (i = from / sizeof(u64); i < to / sizeof(u64); i++) {
		if (word[i] != vt_word(pat, i)) {
			bad->off = i * sizeof(u64);
			bad->found = word[i];
			bad->want = vt_word(pat, i);
			return true;
		}
	}
	return false;
}

/* The bytes of @p (@size bytes) past its last whole word. */
static bool vt_bad_tail(const void *p, size_t size,
			const struct vt_pattern *pat, struct vt_bad *bad)
{
	size_t n = size / sizeof(u64), len = size % sizeof(u64);
	u64 want = vt_word(pat, n);

	bad->off = n * sizeof(u64);
	bad->found = 0;
	bad->want = 0;
	memcpy(&bad->found, p + bad->off, len);
	memcpy(&bad->want, &want, len);
	return bad->found != bad->want;
}

/*
 * Count a mismatch; report the first of the run in full, with the owner
 * that the word found names when it is a pattern word.
 */
static void vt_mismatch(struct vt_worker *w, const struct vt_obj *o,
			const char *what, const void *p,
			const struct vt_bad *bad)
{
	u64 found = bad->found;

	w->mismatches++;
	if (atomic_inc_return(&vt_mismatch_reported) > 1)
		return;
	pr_err("mismatch: %s: worker %u object %u (%s, %zu bytes at %pK) offset %zu: found %#llx, want %#llx\n",
	       what, w->id, o->serial, vt_op_names[o->kind], o->size, p,
	       bad->off, found, bad->want);
	if ((found & VT_MAGIC_MASK) == VT_MAGIC)
		pr_err("mismatch: the word found is word %llu of object %llu of worker %llu\n",
		       found & VT_FIELD, (found >> 20) & VT_FIELD,
		       (found >> 40) & 0xffff);
}

/* Count an allocation that failed; report the first that may not fail. */
static void vt_failed(struct vt_worker *w, enum vt_op op, size_t size,
		      bool allowed)
{
	if (allowed || faults) {
		w->allowed_failures++;
		return;
	}
	w->failures++;
	if (atomic_inc_return(&vt_failure_reported) == 1)
		pr_err("failure: worker %u: %s of %zu bytes failed\n",
		       w->id, vt_op_names[op], size);
}

/* Check [@from, @to) of one copy of an object, at @p. */
static void vt_check_copy(struct vt_worker *w, const struct vt_obj *o,
			  const void *p, size_t from, size_t to,
			  const struct vt_pattern *pat)
{
	struct vt_bad bad;

	if (vt_bad_word(p, from, to, pat, &bad) ||
	    (to == o->size && vt_bad_tail(p, o->size, pat, &bad)))
		vt_mismatch(w, o, "pattern", p, &bad);
}

/* Check [@from, @to) of an object, in every copy of a percpu one. */
static void vt_check(struct vt_worker *w, const struct vt_obj *o,
		     size_t from, size_t to)
{
	struct vt_pattern pat = vt_pattern(w, o, 0);
	unsigned int cpu;

	if (o->kind != VT_PERCPU) {
		vt_check_copy(w, o, o->addr, from, to, &pat);
		return;
	}
	for_each_possible_cpu(cpu) {
		pat = vt_pattern(w, o, cpu);
		vt_check_copy(w, o, per_cpu_ptr(o->pcpu, cpu), from, to, &pat);
	}
}

static void vt_fill_object(const struct vt_worker *w, struct vt_obj *o)
{
	struct vt_pattern pat = vt_pattern(w, o, 0);
	unsigned int cpu;

	if (o->kind != VT_PERCPU) {
		vt_fill(o->addr, o->size, &pat);
		return;
	}
	for_each_possible_cpu(cpu) {
		pat = vt_pattern(w, o, cpu);
		vt_fill(per_cpu_ptr(o->pcpu, cpu), o->size, &pat);
	}
}

static void vt_check_zero(struct vt_worker *w, const struct vt_obj *o)
{
	const u8 *byte = memchr_inv(o->addr, 0, o->size);
	struct vt_bad bad = {};

	if (!byte)
		return;
	bad.off = byte - (const u8 *)o->addr;
	bad.found = *byte;
	vt_mismatch(w, o, "vzalloc() not zeroed", o->addr, &bad);
}

/*
 * vmalloc_to_page() of pages [@first, @last) of a vmalloc, vmap or
 * vm_map_ram object: the pages mapped for the last two, a page for all.
 */
static void vt_check_pages(struct vt_worker *w, const struct vt_obj *o,
			   unsigned int first, unsigned int last)
{
	struct vt_bad bad = {};
	struct page *page;
	unsigned int i;

	for (i = first; i < last; i++) {
		page = vmalloc_to_page(o->addr + i * PAGE_SIZE);
		if (page && (!vt_is_mapped(o) || page == o->pages[i]))
			continue;
		bad.off = i * PAGE_SIZE;
		bad.found = page ? page_to_pfn(page) : 0;
		bad.want = vt_is_mapped(o) ? page_to_pfn(o->pages[i]) : 0;
		vt_mismatch(w, o, "vmalloc_to_page() pfn", o->addr, &bad);
		return;
	}
}

/* The area that find_vm_area() gives must hold the whole object. */
static void vt_check_area(struct vt_worker *w, const struct vt_obj *o)
{
	unsigned long addr = (unsigned long)kasan_reset_tag(o->addr);
	struct vt_bad bad = {};
	struct vm_struct *vm;
	unsigned long start;

	if (!vt_builtin() || !(vt_is_vmalloc(o) || o->kind == VT_VMAP))
		return;
	vm = find_vm_area(o->addr);
	start = vm ? (unsigned long)kasan_reset_tag(vm->addr) : 0;
	if (vm && start <= addr &&
	    addr + o->size <= start + get_vm_area_size(vm))
		return;
	bad.found = start;
	bad.want = addr;
	vt_mismatch(w, o, "find_vm_area() start", o->addr, &bad);
}

static void vt_check_whole(struct vt_worker *w, const struct vt_obj *o)
{
	vt_check(w, o, 0, o->size);
	if (o->kind == VT_PERCPU)
		return;
	vt_check_pages(w, o, 0, DIV_ROUND_UP(o->size, PAGE_SIZE));
	vt_check_area(w, o);
}

/* Up to a page of an object at random, and what maps it. */
static void vt_sample(struct vt_worker *w, struct vt_obj *o)
{
	size_t from = vt_rand(w, o->size);
	size_t to = min(o->size, from + VT_SAMPLE_BYTES);

	vt_check(w, o, from, to);
	if (o->kind != VT_PERCPU) {
		vt_check_pages(w, o, from >> PAGE_SHIFT,
			       DIV_ROUND_UP(to, PAGE_SIZE));
		vt_check_area(w, o);
	}
	w->ops[VT_SAMPLE]++;
}

/* ------------------------------------------------------------------ */
/* Allocations                                                        */
/* ------------------------------------------------------------------ */

/* vmalloc(), vzalloc(), vmalloc_node() and a GFP_NOWAIT __vmalloc(). */
static bool vt_alloc_vmalloc(struct vt_worker *w, struct vt_obj *o)
{
	o->size = vt_size(w);
	o->nr_pages = DIV_ROUND_UP(o->size, PAGE_SIZE);
	if (!vt_afford(w, o->nr_pages))
		return false;
	if (o->kind == VT_VMALLOC)
		o->addr = vmalloc(o->size);
	else if (o->kind == VT_VZALLOC)
		o->addr = vzalloc(o->size);
	else if (o->kind == VT_NODE)
		o->addr = vmalloc_node(o->size, vt_node(w));
	else
		o->addr = __vmalloc(o->size, GFP_NOWAIT | __GFP_NOWARN);
	if (!o->addr)
		vt_failed(w, o->kind, o->size, o->kind == VT_NOWAIT);
	return o->addr;
}

/* A PMD (up to 2 MiB), or one page more; may fail. */
static bool vt_alloc_huge(struct vt_worker *w, struct vt_obj *o)
{
	o->size = min_t(unsigned long, PMD_SIZE, SZ_2M) +
		  vt_rand(w, 2) * PAGE_SIZE;
	o->nr_pages = o->size >> PAGE_SHIFT;
	if (!vt_afford(w, o->nr_pages))
		return false;
	o->addr = vmalloc_huge(o->size, GFP_KERNEL | __GFP_NOWARN);
	if (!o->addr)
		vt_failed(w, o->kind, o->size, true);
	return o->addr;
}

static void vt_free_pages(struct vt_obj *o, unsigned int count)
{
	while (count--)
		__free_page(o->pages[count]);
	kfree(o->pages);
	o->pages = NULL;
}

/* Pages for vmap() and vm_map_ram(), highmem where there is some. */
static bool vt_alloc_pages(struct vt_worker *w, struct vt_obj *o)
{
	unsigned int i;

	o->pages = kcalloc(o->nr_pages, sizeof(*o->pages), GFP_KERNEL);
	if (!o->pages)
		goto fail;
	for (i = 0; i < o->nr_pages; i++) {
		o->pages[i] = alloc_page(GFP_KERNEL | __GFP_HIGHMEM);
		if (!o->pages[i]) {
			vt_free_pages(o, i);
			goto fail;
		}
	}
	return true;
fail:
	vt_failed(w, o->kind, o->size, false);
	return false;
}

/*
 * Count vm_map_ram() mappings, one more before each call and one fewer
 * after each vm_unmap_ram(), so that the count is never below the truth,
 * and keep its peak.
 */
static void vt_ram_mapped(int delta)
{
	int now = atomic_add_return(delta, &vt_ram_live);
	int most = atomic_read(&vt_ram_most);

	while (now > most && !atomic_try_cmpxchg(&vt_ram_most, &most, now))
		;
}

static bool vt_alloc_map(struct vt_worker *w, struct vt_obj *o)
{
	o->nr_pages = vt_uniform_count() ?:
		vt_map_counts[vt_rand(w, ARRAY_SIZE(vt_map_counts))];
	o->size = (size_t)o->nr_pages * PAGE_SIZE;
	if (!vt_afford(w, o->nr_pages) || !vt_alloc_pages(w, o))
		return false;
	if (o->kind == VT_VMAP) {
		o->addr = vmap(o->pages, o->nr_pages, VM_MAP, PAGE_KERNEL);
	} else {
		vt_ram_mapped(1);
		o->addr = vm_map_ram(o->pages, o->nr_pages, NUMA_NO_NODE);
		if (!o->addr)
			vt_ram_mapped(-1);
	}
	if (o->addr)
		return true;
	vt_failed(w, o->kind, o->size, false);
	vt_free_pages(o, o->nr_pages);
	return false;
}

/* 4 bytes to 4 KiB and a few, in every possible CPU's unit. */
static bool vt_alloc_percpu(struct vt_worker *w, struct vt_obj *o)
{
	o->size = (4 << vt_rand(w, 11)) + vt_rand(w, sizeof(u64));
	o->nr_pages = DIV_ROUND_UP(o->size * num_possible_cpus(), PAGE_SIZE);
	if (!vt_afford(w, o->nr_pages))
		return false;
	o->pcpu = __alloc_percpu_gfp(o->size, sizeof(u64), GFP_KERNEL);
	if (!o->pcpu) {
		vt_failed(w, o->kind, o->size, false);
		return false;
	}
	return true;
}

/*
 * Built in only: vmalloc() with VM_FLUSH_RESET_PERMS, filled, then made
 * read-only; vfree() of it resets the direct map's permissions.
 */
static bool vt_alloc_ro(struct vt_worker *w, struct vt_obj *o)
{
	if (!vt_can_set_ro())
		return false;
	o->nr_pages = 1 + vt_rand(w, 8);
	o->size = (size_t)o->nr_pages * PAGE_SIZE;
	if (!vt_afford(w, o->nr_pages))
		return false;
	o->addr = vmalloc(o->size);
	if (!o->addr) {
		vt_failed(w, o->kind, o->size, false);
		return false;
	}
	set_vm_flush_reset_perms(o->addr);
	vt_fill_object(w, o);
	if (set_memory_ro((unsigned long)o->addr, o->nr_pages))
		vt_failed(w, o->kind, o->size, false);
	return true;
}

static bool vt_alloc_one(struct vt_worker *w, struct vt_obj *o)
{
	switch (o->kind) {
	case VT_HUGE:
		return vt_alloc_huge(w, o);
	case VT_VMAP:
	case VT_MAP_RAM:
		return vt_alloc_map(w, o);
	case VT_PERCPU:
		return vt_alloc_percpu(w, o);
	case VT_RO:
		return vt_alloc_ro(w, o);
	default:
		return vt_alloc_vmalloc(w, o);
	}
}

/* Allocate into the free slot @o and fill it; skipped over budget. */
static void vt_alloc(struct vt_worker *w, struct vt_obj *o)
{
	o->kind = vt_alloc_mix[vt_rand(w, ARRAY_SIZE(vt_alloc_mix))];
	if (o->kind == VT_RO && !vt_can_set_ro())
		o->kind = VT_VMALLOC;
	o->serial = ++w->serial;
	if (!vt_alloc_one(w, o)) {
		memset(o, 0, sizeof(*o));
		return;
	}
	if (o->kind == VT_VZALLOC)
		vt_check_zero(w, o);
	if (o->kind != VT_RO)
		vt_fill_object(w, o);
	o->live = true;
	w->live_pages += o->nr_pages;
	w->ops[o->kind]++;
}

/* ------------------------------------------------------------------ */
/* Resizes and frees                                                  */
/* ------------------------------------------------------------------ */

/*
 * Resize with vrealloc() (through kvrealloc() in a module): what both
 * sizes hold must survive, then the object is filled again.
 */
static void vt_vrealloc(struct vt_worker *w, struct vt_obj *o)
{
	size_t size = vt_size(w), old = o->size;
	unsigned int pages = DIV_ROUND_UP(size, PAGE_SIZE);
	void *p;

	if (pages > o->nr_pages && !vt_afford(w, pages - o->nr_pages)) {
		vt_sample(w, o);
		return;
	}
	vt_check_whole(w, o);
	if (vt_builtin())
		p = vrealloc(o->addr, size, GFP_KERNEL);
	else
		p = kvrealloc(o->addr, size, GFP_KERNEL);
	if (!p) {
		vt_failed(w, VT_VREALLOC, size, false);
		return;
	}
	o->addr = p;
	o->size = size;
	vt_check(w, o, 0, round_down(min(old, size), sizeof(u64)));
	vt_fill_object(w, o);
	w->live_pages = w->live_pages - o->nr_pages + pages;
	o->nr_pages = pages;
	w->ops[VT_VREALLOC]++;
}

static void vt_timer_fn(struct timer_list *t)
{
	struct vt_worker *w = from_timer(w, t, timer);

	vfree(w->timer_addr);
	WRITE_ONCE(w->timer_addr, NULL);
}

/*
 * vfree() of a vmalloc object as @how says: in process context, with
 * bottom halves disabled (which defers through vfree_atomic()), from the
 * worker's timer when it is idle, or with vfree_atomic() (built in; in a
 * module, vfree() with bottom halves disabled). Returns what it did.
 */
static enum vt_op vt_vfree(struct vt_worker *w, void *addr, enum vt_op how)
{
	if (how == VT_VFREE_TIMER && !READ_ONCE(w->timer_addr)) {
		WRITE_ONCE(w->timer_addr, addr);
		mod_timer(&w->timer, jiffies + 1);
		return how;
	}
	if (how == VT_VFREE_ATOMIC && vt_builtin()) {
		vfree_atomic(addr);
		return how;
	}
	if (how == VT_VFREE_ATOMIC || how == VT_VFREE_BH) {
		local_bh_disable();
		vfree(addr);
		local_bh_enable();
		return how;
	}
	vfree(addr);
	return VT_VFREE;
}

/* A read-only object: half of them writable again before vfree(). */
static void vt_free_ro(struct vt_worker *w, struct vt_obj *o)
{
	if (vt_can_set_ro() && vt_rand(w, 2) &&
	    set_memory_rw((unsigned long)o->addr, o->nr_pages))
		vt_failed(w, VT_RO, o->size, false);
	vfree(o->addr);
}

/* Check an object whole, then free it, as @how says if it can be. */
static void vt_release(struct vt_worker *w, struct vt_obj *o,
		       enum vt_op how)
{
	vt_check_whole(w, o);
	switch (o->kind) {
	case VT_VMAP:
		vunmap(o->addr);
		vt_free_pages(o, o->nr_pages);
		how = VT_VUNMAP;
		break;
	case VT_MAP_RAM:
		vm_unmap_ram(o->addr, o->nr_pages);
		vt_ram_mapped(-1);
		vt_free_pages(o, o->nr_pages);
		how = VT_UNMAP_RAM;
		break;
	case VT_PERCPU:
		free_percpu(o->pcpu);
		how = VT_FREE_PERCPU;
		break;
	case VT_RO:
		vt_free_ro(w, o);
		how = VT_VFREE;
		break;
	default:
		how = vt_vfree(w, o->addr, how);
		break;
	}
	w->ops[how]++;
	w->live_pages -= o->nr_pages;
	memset(o, 0, sizeof(*o));
}

/* ------------------------------------------------------------------ */
/* Workers                                                            */
/* ------------------------------------------------------------------ */

/* One step: allocate into an empty slot, or use or free a live object. */
static void vt_step(struct vt_worker *w)
{
	struct vt_obj *o = &w->objs[vt_rand(w, vt_live)];
	enum vt_op op;

	if (!vt_rand(w, VT_ALIASES_EVERY) && !vt_uniform_count()) {
		vm_unmap_aliases();
		w->ops[VT_ALIASES]++;
	}
	if (!o->live) {
		vt_alloc(w, o);
		return;
	}
	op = vt_object_mix[vt_rand(w, ARRAY_SIZE(vt_object_mix))];
	if (op == VT_SAMPLE)
		vt_sample(w, o);
	else if (op == VT_VREALLOC && vt_is_resizable(o))
		vt_vrealloc(w, o);
	else if (op == VT_VREALLOC)
		vt_sample(w, o);
	else
		vt_release(w, o, op);
}

/* Free what is left, and what the timer may still hold. */
static void vt_drain(struct vt_worker *w)
{
	unsigned int i;

	for (i = 0; i < vt_live; i++)
		if (w->objs[i].live)
			vt_release(w, &w->objs[i], VT_VFREE);
	timer_delete_sync(&w->timer);
	if (w->timer_addr) {
		vfree(w->timer_addr);
		w->timer_addr = NULL;
	}
}

static int vt_worker_fn(void *data)
{
	struct vt_worker *w = data;

#ifdef CONFIG_FAULT_INJECTION
	/* failslab and fail_page_alloc with task-filter fail only these. */
	if (faults)
		current->make_it_fail = 1;
#endif

	while (!kthread_should_stop()) {
		vt_step(w);
		cond_resched();
	}
	vt_drain(w);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Module                                                             */
/* ------------------------------------------------------------------ */

/* Workers, and a page budget each: a quarter of memory and space. */
static void vt_configure(void)
{
	unsigned long pages;

	vt_workers = nr_workers ?: 2 * num_online_cpus();
	vt_workers = clamp(vt_workers, 1U, (unsigned int)VT_MAX_WORKERS);
	vt_live = clamp(live_objects, 1U, (unsigned int)VT_MAX_LIVE);
	duration_s = max(duration_s, 1U);
	pages = min_t(unsigned long, VMALLOC_TOTAL >> PAGE_SHIFT,
		      totalram_pages()) / 4;
	vt_budget = clamp(pages / vt_workers, 256UL, 4096UL);
}

static unsigned int vt_start(struct vt_worker *workers)
{
	unsigned int i, started = 0;
	struct vt_worker *w;

	for (i = 0; i < vt_workers; i++) {
		w = &workers[i];
		w->id = i;
		prandom_seed_state(&w->rnd, (u64)seed << 32 | i);
		timer_setup(&w->timer, vt_timer_fn, 0);
		w->task = kthread_run(vt_worker_fn, w, "vmalloc_torture/%u", i);
		if (IS_ERR(w->task)) {
			pr_err("worker %u not started: %pe\n", i, w->task);
			w->task = NULL;
			continue;
		}
		started++;
	}
	return started;
}

/* Sleep until @end; a signal to the loader ends the run early. */
static void vt_wait(unsigned long end)
{
	while (time_before(jiffies, end) && !signal_pending(current))
		schedule_timeout_interruptible(min_t(unsigned long,
						     end - jiffies, HZ));
}

static void vt_stop(struct vt_worker *workers)
{
	unsigned int i;

	for (i = 0; i < vt_workers; i++)
		if (workers[i].task)
			kthread_stop(workers[i].task);
}

/* Print the operations done, one line, and return how many. */
static unsigned long vt_report_ops(const struct vt_worker *workers)
{
	unsigned long ops[VT_NR_OPS] = {}, total = 0;
	char line[512];
	unsigned int i, op;
	int len = 0;

	for (i = 0; i < vt_workers; i++)
		for (op = 0; op < VT_NR_OPS; op++)
			ops[op] += workers[i].ops[op];
	for (op = 0; op < VT_NR_OPS; op++) {
		total += ops[op];
		len += scnprintf(line + len, sizeof(line) - len, " %s=%lu",
				 vt_op_names[op], ops[op]);
	}
	pr_info("ops:%s\n", line);
	pr_info("vm_map_ram: at most %d mapped at once\n",
		atomic_read(&vt_ram_most));
	return total;
}

/* The summary line; 0 for a clean run. */
static int vt_report(const struct vt_worker *workers, unsigned int started,
		     unsigned long elapsed)
{
	unsigned long ops, mismatches = 0, failures = 0, allowed = 0;
	unsigned int i;
	bool ok;

	ops = vt_report_ops(workers);
	for (i = 0; i < vt_workers; i++) {
		mismatches += workers[i].mismatches;
		failures += workers[i].failures;
		allowed += workers[i].allowed_failures;
	}
	ok = started == vt_workers && !mismatches && !failures;
	pr_info("seed=%u workers=%u seconds=%lu ops=%lu mismatches=%lu failures=%lu allowed_failures=%lu result=%s\n",
		seed, started, elapsed / HZ, ops, mismatches, failures,
		allowed, ok ? "ok" : "FAIL");
	return ok ? 0 : -EINVAL;
}

static int __init vt_init(void)
{
	struct vt_worker *workers;
	unsigned long start;
	unsigned int started;
	int ret;

	vt_configure();
	workers = kvcalloc(vt_workers, sizeof(*workers), GFP_KERNEL);
	if (!workers)
		return -ENOMEM;
	pr_info("start: seed=%u workers=%u duration_s=%u live_objects=%u budget=%lu pages%s%s\n",
		seed, vt_workers, duration_s, vt_live, vt_budget,
		vt_builtin() ? " (built in)" : "",
		faults ? " (faults injected)" : "");

	start = jiffies;
	vt_end_time = start + (unsigned long)duration_s * HZ;
	started = vt_start(workers);
	if (started)
		vt_wait(vt_end_time);
	vt_stop(workers);
	/* The workers' RCU-freed stacks: let them go. */
	rcu_barrier();
	ret = started ? vt_report(workers, started, jiffies - start) : -ENOMEM;
	kvfree(workers);
	/* Fail the load even after a clean run: the module is done. */
	return ret ?: -EAGAIN;
}
module_init(vt_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmalloc torture test");

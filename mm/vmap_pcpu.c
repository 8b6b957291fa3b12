// SPDX-License-Identifier: GPL-2.0-only
/*
 * Congruent areas for the percpu allocator (pcpu_get_vm_areas()): one
 * area per group of CPUs, at the same offsets from one base as the groups
 * of the first chunk. Where they are placed, and the worst case, is told
 * in Documentation/mm/vmalloc.rst.
 */

#include <linux/kasan.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "vmap.h"

#define PCPU_TRIES	16

struct pcpu_request {
	const unsigned long *offsets;
	const size_t *sizes;
	int nr;
	unsigned long first;	/* lowest offset */
	unsigned long last;	/* end of the highest group */
};

/*
 * Check each group of @req and note the span they cover in @req->first and
 * @req->last. Return: false for a bad request or one no range can hold.
 */
static bool measure_groups(struct pcpu_request *req, size_t align)
{
	int i;

	if (WARN_ON_ONCE(req->nr <= 0 || !is_power_of_2(align) ||
			 !PAGE_ALIGNED(align)))
		return false;
	req->first = ULONG_MAX;
	req->last = 0;
	for (i = 0; i < req->nr; i++) {
		unsigned long off = req->offsets[i], len = req->sizes[i];

		if (WARN_ON_ONCE(!PAGE_ALIGNED(off) || !PAGE_ALIGNED(len) ||
				 !IS_ALIGNED(off, align) || !len ||
				 off + len < off))
			return false;
		req->first = min(req->first, off);
		req->last = max(req->last, off + len);
	}
	return req->last - req->first <= VMALLOC_END - VMALLOC_START;
}

/* A base at or above @lo at which the whole span was free a moment ago. */
static int find_base(const struct pcpu_request *req, size_t align,
		     unsigned long lo, unsigned long *base)
{
	unsigned long start;
	int err;

	if (lo >= VMALLOC_END)
		return -ENOMEM;
	/* Only a probe: the span's gaps must not get KASAN shadow. */
	err = vmap_area_probe(req->last - req->first, align, lo, VMALLOC_END,
			      &start);
	if (!err)
		*base = start - req->first;
	return err;
}

static void unclaim(struct vmap_area **vas, int nr)
{
	while (nr--) {
		vmap_area_unindex(vas[nr]->va_start);
		vmap_area_discard(vas[nr]);
	}
}

/* Claim every group at @base; all or nothing. */
static int claim_all(const struct pcpu_request *req, unsigned long base,
		     struct vm_struct **vms, struct vmap_area **vas)
{
	int i;

	for (i = 0; i < req->nr; i++) {
		unsigned long start = base + req->offsets[i];

		vas[i] = vmap_area_alloc_at(start, start + req->sizes[i],
					    GFP_KERNEL, vms[i]);
		if (IS_ERR(vas[i])) {
			int err = PTR_ERR(vas[i]);

			unclaim(vas, i);
			return err;
		}
	}
	return 0;
}

/* Free the vm_structs of @vms, NULL or not, and the array. */
static void free_vms(struct vm_struct **vms, int nr)
{
	int i;

	for (i = 0; vms && i < nr; i++)
		vm_struct_free(vms[i]);
	kfree(vms);
}

static struct vm_struct **alloc_vms(int nr)
{
	struct vm_struct **vms = kcalloc(nr, sizeof(*vms), GFP_KERNEL);
	int i;

	if (!vms)
		return NULL;
	for (i = 0; i < nr; i++) {
		vms[i] = vm_struct_alloc(GFP_KERNEL, NUMA_NO_NODE, 0);
		if (!vms[i]) {
			free_vms(vms, i);
			return NULL;
		}
		vms[i]->flags = VM_ALLOC;
		vms[i]->caller = pcpu_get_vm_areas;
	}
	return vms;
}

/*
 * Find a base at which every area fits and claim them all. A claim can
 * lose a race with another allocation, and the lowest free span is where
 * every other allocation goes too: search again above the span that was
 * lost, and from the bottom once nothing is left above, draining what
 * waits to be freed first.
 */
static int place_all(const struct pcpu_request *req, size_t align,
		     struct vm_struct **vms, struct vmap_area **vas)
{
	unsigned long base, lo = VMALLOC_START;
	int try, err = -EBUSY;

	for (try = 0; try < PCPU_TRIES; try++) {
		err = find_base(req, align, lo, &base);
		if (err && lo != VMALLOC_START) {
			lo = VMALLOC_START;
			vmap_recent_drain();
			continue;
		}
		if (err)
			return err;
		err = claim_all(req, base, vms, vas);
		if (err != -EBUSY)
			return err;
		lo = base + req->last;
		cond_resched();
	}
	return err;
}

/**
 * pcpu_get_vm_areas - allocate areas at the same offsets from one base.
 * @offsets: offset of each area from the base; page and @align aligned.
 * @sizes: size of each area; page aligned.
 * @nr_vms: number of areas.
 * @align: alignment of the base; a power of 2, at least PAGE_SIZE.
 *
 * The areas lie in the vmalloc range, have no guard pages and nothing
 * mapped; KASAN sees them as accessible.
 *
 * Context: process context; may sleep.
 * Return: an array of @nr_vms vm_structs (free it with
 * pcpu_free_vm_areas()), or NULL.
 */
struct vm_struct **pcpu_get_vm_areas(const unsigned long *offsets,
				     const size_t *sizes, int nr_vms,
				     size_t align)
{
	struct pcpu_request req = {
		.offsets = offsets, .sizes = sizes, .nr = nr_vms,
	};
	struct vm_struct **vms;
	struct vmap_area **vas;
	int err, i;

	if (!measure_groups(&req, align))
		return NULL;
	vms = alloc_vms(nr_vms);
	vas = kcalloc(nr_vms, sizeof(*vas), GFP_KERNEL);
	err = vms && vas ? place_all(&req, align, vms, vas) : -ENOMEM;
	kfree(vas);
	if (err) {
		free_vms(vms, nr_vms);
		return NULL;
	}
	for (i = 0; i < nr_vms; i++)
		vms[i]->addr = kasan_unpoison_vmalloc(vms[i]->addr, sizes[i],
						      KASAN_VMALLOC_PROT_NORMAL);
	return vms;
}

/**
 * pcpu_free_vm_areas - free areas from pcpu_get_vm_areas().
 * @vms: the array it returned.
 * @nr_vms: the number of areas.
 */
void pcpu_free_vm_areas(struct vm_struct **vms, int nr_vms)
{
	while (nr_vms > 0)
		free_vm_area(vms[--nr_vms]);
	kfree(vms);
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Congruent areas for the percpu allocator (pcpu_get_vm_areas()): one
 * area per group of CPUs, at the same offsets from one base as the groups
 * of the first chunk, at the highest base where every group fits. Where
 * they are placed, and the worst case, is told in
 * Documentation/mm/vmalloc.rst.
 */

#include <linux/kasan.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "vmap.h"

/*
 * Check each group of @set: page aligned, aligned to the base's
 * alignment, not empty. Overlaps are refused by the placement.
 */
static bool groups_ok(const struct vmap_set *set)
{
	unsigned int i;

	if (WARN_ON_ONCE(!set->nr || !is_power_of_2(set->align) ||
			 !PAGE_ALIGNED(set->align)))
		return false;
	for (i = 0; i < set->nr; i++) {
		unsigned long off = set->offsets[i], len = set->sizes[i];

		if (WARN_ON_ONCE(!PAGE_ALIGNED(off) || !PAGE_ALIGNED(len) ||
				 !IS_ALIGNED(off, set->align) || !len))
			return false;
	}
	return true;
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
	struct vmap_set set = {
		.offsets = offsets, .sizes = sizes, .nr = max(nr_vms, 0),
		.align = align, .lo = VMALLOC_START, .hi = VMALLOC_END,
	};
	struct vm_struct **vms;
	struct vmap_area **vas;
	int err, i;

	if (!groups_ok(&set))
		return NULL;
	vms = alloc_vms(nr_vms);
	vas = kcalloc(nr_vms, sizeof(*vas), GFP_KERNEL);
	err = vms && vas ? vmap_area_alloc_set(&set, vms, vas) : -ENOMEM;
	kfree(vas);
	/* Groups that overlap are a bug of the caller. */
	WARN_ON_ONCE(err == -EINVAL);
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

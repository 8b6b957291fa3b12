/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the files of vmalloc (CONFIG_VMALLOC_VMAP_SPACE) share.
 *
 * From the bottom up; each file calls only into the files above it in
 * this list:
 *
 *   vmap_space.c	free extents, no locks, no pages; with vmap_busy.c
 *			(busy extents), vmap_set.c (percpu's sets) and
 *			vmap_check.c (the checker)
 *   vmap_pgtable.c	building and tearing down kernel page tables
 *   vmap_free.c	the locked free space, lazy free and purge, the
 *			per-CPU caches of purged ranges
 *   vmap_area.c	areas: the busy index, lookup, vm_struct, early areas
 *   vmap_ram.c		vm_map_ram() and its per-CPU blocks
 *   vmap_read.c	vread_iter(), remap_vmalloc_range(), vmallocinfo
 *   vmap_pcpu.c	pcpu_get_vm_areas()
 *   vmap_alloc.c	vmalloc() and friends, vfree(), vmap(), vrealloc(),
 *			vmalloc_init()
 *
 * Nothing here is for use outside mm/.
 */
#ifndef __MM_VMAP_H
#define __MM_VMAP_H

#include <linux/kasan.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/sizes.h>
#include <linux/threads.h>
#include <linux/types.h>
#include <linux/vmalloc.h>

#include "vmap_busy.h"
#include "vmap_set.h"
#include "vmap_space.h"

struct iov_iter;

/*
 * struct vmap_area and the allocator's struct vmap_range are one object
 * seen two ways: the allocator moves it between its free tree and the
 * busy index through the vmap_range view, everything else uses the
 * vmap_area view. The allocator's @largest shares its place with @vm,
 * which is only meaningful while the area is busy, exactly like
 * subtree_max_size. vmap_area.c checks the layout at build time.
 */
static inline struct vmap_range *va_range(struct vmap_area *va)
{
	return (struct vmap_range *)va;
}

static inline struct vmap_area *range_va(struct vmap_range *r)
{
	return (struct vmap_area *)r;
}

static inline unsigned long va_size(const struct vmap_area *va)
{
	return va->va_end - va->va_start;
}

/*
 * Tag-based KASAN (arm64) hands out pointers into the vmalloc range with
 * a tag in the top byte, but areas are indexed by untagged address: every
 * lookup by an address from outside drops the tag first.
 */
static inline unsigned long vmap_untag(unsigned long addr)
{
	return (unsigned long)kasan_reset_tag((const void *)addr);
}

/* struct vmap_area.flags */
#define VMAP_AREA_RAM		0x1UL	/* one vm_map_ram() mapping, no vm */
#define VMAP_AREA_BLOCK		0x2UL	/* a per-CPU block of vm_map_ram() */

/*
 * The page array of a small vmalloc() area lives at the end of its
 * vm_struct: one allocation fewer for each vmalloc() and vfree().
 */
#define VM_INLINE_PAGES		4

/* How many page pointers an area of @nr pages keeps inline: all or none. */
static inline unsigned int vm_inline_count(unsigned long flags,
					   unsigned long nr)
{
	return ((flags & VM_ALLOC) && nr <= VM_INLINE_PAGES) ? nr : 0;
}

/* Where the inline array is, whether or not @vm has one. */
static inline struct page **vm_inline_pages(struct vm_struct *vm)
{
	return (struct page **)(vm + 1);
}

/* ---- vmap_free.c ---- */

/*
 * More ranges for a purge to flush, collected under its mutex: @collect
 * widens [*start, *end), @flushed is called once the TLB is flushed.
 */
struct vmap_purge_extra {
	void (*collect)(unsigned long *start, unsigned long *end);
	void (*flushed)(void);
};

struct vmap_area *vmap_area_new(gfp_t gfp, int node);
void vmap_area_delete(struct vmap_area *va);
int vmap_free_take(const struct vmap_request *req, gfp_t gfp,
		   unsigned long *addr);
int vmap_free_claim(unsigned long start, unsigned long end, gfp_t gfp);
int vmap_free_claim_set(const struct vmap_set *set, unsigned long *base);
void vmap_free_give(struct vmap_area *va);
struct vmap_area *vmap_recent_take(unsigned long size, unsigned long align,
				   unsigned long vstart, unsigned long vend);
unsigned long vmap_recent_drain(void);
void vmap_area_free_lazy(struct vmap_area *va);
void vmap_area_unmap_lazy(struct vmap_area *va);
void vmap_purge(unsigned long start, unsigned long end,
		const struct vmap_purge_extra *extra);
unsigned long vmap_lazy_max_pages(void);
unsigned long vmap_lazy_walk(void (*fn)(struct vmap_area *va, void *arg),
			     void *arg);
int vmap_free_check(struct vmap_busy **busy, unsigned int nr);
void __init vmap_free_init(void);

/* ---- vmap_area.c ---- */

struct vmap_area *vmap_area_alloc(unsigned long size, unsigned long align,
				  unsigned long vstart, unsigned long vend,
				  int node, gfp_t gfp, unsigned long va_flags,
				  struct vm_struct *vm);
int vmap_area_alloc_set(const struct vmap_set *set, struct vm_struct **vms,
			struct vmap_area **vas);
struct vmap_area *vmap_area_unindex(unsigned long start);
void vmap_area_discard(struct vmap_area *va);
/*
 * Shard lock holds of vmap_area_walk(), for the white-box KUnit suite:
 * with CONFIG_DEBUG_VMAP_SPACE only.
 */
extern atomic_long_t vmap_walk_locks;
unsigned int vmap_area_nr_shards(void);
#ifdef CONFIG_DEBUG_VMAP_SPACE
int vmap_area_check(void);
#else
static inline int vmap_area_check(void)
{
	return 0;
}
#endif
unsigned long vmap_area_walk(unsigned long addr,
			     bool (*fn)(struct vmap_area *va, void *arg),
			     void *arg);
bool vmap_area_try_with(unsigned long addr,
			void (*fn)(struct vmap_area *va, void *arg), void *arg);
struct vm_struct *vm_area_get_node(unsigned long size, unsigned long align,
				   unsigned int shift, unsigned long flags,
				   unsigned long start, unsigned long end,
				   int node, gfp_t gfp, const void *caller);
struct vm_struct *vm_struct_alloc(gfp_t gfp, int node, unsigned int extra);
void vm_struct_free(struct vm_struct *vm);
void __init vmap_area_init(void);

/* ---- vmap_pgtable.c ---- */

extern bool vmap_allow_huge;

int vmap_pages_range(unsigned long addr, unsigned long end, pgprot_t prot,
		     struct page **pages, unsigned int page_shift);

/* ---- vmap_ram.c ---- */

#define VMAP_MAX_ALLOC		BITS_PER_LONG
/*
 * A block for every CPU the kernel may have must not take more than a
 * sixteenth of the vmalloc range, guessed as 128 MiB on 32-bit (i386 has
 * about 120) and 128 GiB on 64-bit, as 6.12 guesses: blocks are 1024
 * pages or fewer, never fewer than two of the largest request. A power
 * of 2, since blocks are aligned to their size; and a constant, the size
 * of a bitmap: hence the configured number of CPUs, not the possible.
 */
#define VMAP_SPACE_PAGES	(IS_ENABLED(CONFIG_64BIT) ?		\
				 (SZ_128M / PAGE_SIZE) << 10 :		\
				 SZ_128M / PAGE_SIZE)
#define VMAP_BLOCK_PAGES						\
	((unsigned int)MIN(16UL * VMAP_MAX_ALLOC,			\
			   MAX(2UL * VMAP_MAX_ALLOC, VMAP_SPACE_PAGES /	\
			       roundup_pow_of_two(CONFIG_NR_CPUS) / 16)))
#define VMAP_BLOCK_SIZE		(VMAP_BLOCK_PAGES * PAGE_SIZE)

unsigned long vmap_block_index(unsigned long addr, unsigned long base);
void __init vmap_ram_init(void);
void vmap_purge_aliases(unsigned long start, unsigned long end);
unsigned long vmap_ram_nr_blocks(void);
unsigned long vmap_ram_misplaced(void);
extern atomic_long_t vmap_alias_begun, vmap_alias_done;
size_t vmap_ram_vread_iter(struct iov_iter *iter, unsigned long addr,
			   size_t count, struct vmap_area *va);
size_t vmap_zero_iter(struct iov_iter *iter, size_t len);
size_t vmap_copy_iter(struct iov_iter *iter, unsigned long addr, size_t count);

#endif /* __MM_VMAP_H */

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel page tables for vmalloc: build them, tear them down, read them.
 * Three walks share one shape, "for each entry of this level that the
 * range covers, do the next level": mapping a physical range with the
 * largest leaves allowed, mapping an array of pages, and clearing. No
 * locking: the ranges belong to the caller. Documentation/mm/vmalloc.rst
 * tells which leaves are used and when the architecture is told.
 */

#include <linux/highmem.h>
#include <linux/hugetlb.h>
#include <linux/io.h>
#include <linux/kmsan.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/vmalloc.h>
#include <asm/cacheflush.h>
#include <asm/tlbflush.h>

#include "internal.h"
#include "pgalloc-track.h"
#include "vmap.h"

static bool ioremap_p4d_ok = true;
static bool ioremap_pud_ok = true;
static bool ioremap_pmd_ok = true;

static int __init no_huge_iomap(char *str)
{
	ioremap_p4d_ok = false;
	ioremap_pud_ok = false;
	ioremap_pmd_ok = false;
	return 0;
}
early_param("nohugeiomap", no_huge_iomap);

bool vmap_allow_huge __ro_after_init =
	IS_ENABLED(CONFIG_HAVE_ARCH_HUGE_VMALLOC);

static int __init no_huge_vmalloc(char *str)
{
	vmap_allow_huge = false;
	return 0;
}
early_param("nohugevmalloc", no_huge_vmalloc);

/* ---- mapping a physical range ---- */

/* Can [addr, end) -> phys be one leaf of @size bytes? */
static bool leaf_fits(unsigned long addr, unsigned long end,
		      phys_addr_t phys, unsigned long size,
		      unsigned int max_shift)
{
	return max_shift >= ilog2(size) && end - addr == size &&
	       IS_ALIGNED(addr, size) && IS_ALIGNED(phys, size);
}

static int map_phys_pte(pmd_t *pmd, unsigned long addr, unsigned long end,
			phys_addr_t phys, pgprot_t prot, unsigned int max_shift,
			pgtbl_mod_mask *mask)
{
	unsigned long pfn = phys >> PAGE_SHIFT;
	unsigned long step = PAGE_SIZE;
	pte_t *pte = pte_alloc_kernel_track(pmd, addr, mask);

	if (!pte)
		return -ENOMEM;
	for (; addr != end; addr += step, pte += step >> PAGE_SHIFT) {
		if (WARN_ON_ONCE(!pte_none(ptep_get(pte))))
			return -EBUSY;
		step = PAGE_SIZE;
#ifdef CONFIG_HUGETLB_PAGE
		step = arch_vmap_pte_range_map_size(addr, end, pfn, max_shift);
		if (step != PAGE_SIZE) {
			pte_t entry = arch_make_huge_pte(pfn_pte(pfn, prot),
							 ilog2(step), 0);

			set_huge_pte_at(&init_mm, addr, pte, entry, step);
			pfn += step >> PAGE_SHIFT;
			continue;
		}
#endif
		set_pte_at(&init_mm, addr, pte, pfn_pte(pfn, prot));
		pfn++;
	}
	*mask |= PGTBL_PTE_MODIFIED;
	return 0;
}

/*
 * A table is in the way of a huge leaf: free it and set the leaf instead,
 * with @replace (one per level). ptdump walks kernel page tables that it
 * does not own under init_mm's mmap lock, written, and must not find a
 * table freed under it: hold the lock for reading, or do without the
 * leaf rather than wait. Other holders for reading are harmless: each
 * owns its range, and cannot reach this table.
 */
static bool leaf_over_table(int (*replace)(void *entry, unsigned long addr,
					   phys_addr_t phys, pgprot_t prot),
			    void *entry, unsigned long addr, phys_addr_t phys,
			    pgprot_t prot)
{
	bool done;

	if (!mmap_read_trylock(&init_mm))
		return false;
	done = replace(entry, addr, phys, prot);
	mmap_read_unlock(&init_mm);
	return done;
}

static int pmd_over_table(void *entry, unsigned long addr, phys_addr_t phys,
			  pgprot_t prot)
{
	return pmd_free_pte_page(entry, addr) && pmd_set_huge(entry, phys, prot);
}

static bool huge_pmd(pmd_t *pmd, unsigned long addr, unsigned long end,
		     phys_addr_t phys, pgprot_t prot, unsigned int max_shift)
{
	if (!leaf_fits(addr, end, phys, PMD_SIZE, max_shift) ||
	    !arch_vmap_pmd_supported(prot))
		return false;
	if (!pmd_present(*pmd))
		return pmd_set_huge(pmd, phys, prot);
	return leaf_over_table(pmd_over_table, pmd, addr, phys, prot);
}

static int map_phys_pmd(pud_t *pud, unsigned long addr, unsigned long end,
			phys_addr_t phys, pgprot_t prot, unsigned int max_shift,
			pgtbl_mod_mask *mask)
{
	pmd_t *pmd = pmd_alloc_track(&init_mm, pud, addr, mask);
	unsigned long next;
	int err;

	if (!pmd)
		return -ENOMEM;
	for (; addr != end; pmd++, phys += next - addr, addr = next) {
		next = pmd_addr_end(addr, end);
		if (huge_pmd(pmd, addr, next, phys, prot, max_shift)) {
			*mask |= PGTBL_PMD_MODIFIED;
			continue;
		}
		err = map_phys_pte(pmd, addr, next, phys, prot, max_shift,
				   mask);
		if (err)
			return err;
	}
	return 0;
}

static int pud_over_table(void *entry, unsigned long addr, phys_addr_t phys,
			  pgprot_t prot)
{
	return pud_free_pmd_page(entry, addr) && pud_set_huge(entry, phys, prot);
}

static bool huge_pud(pud_t *pud, unsigned long addr, unsigned long end,
		     phys_addr_t phys, pgprot_t prot, unsigned int max_shift)
{
	if (!leaf_fits(addr, end, phys, PUD_SIZE, max_shift) ||
	    !arch_vmap_pud_supported(prot))
		return false;
	if (!pud_present(*pud))
		return pud_set_huge(pud, phys, prot);
	return leaf_over_table(pud_over_table, pud, addr, phys, prot);
}

static int map_phys_pud(p4d_t *p4d, unsigned long addr, unsigned long end,
			phys_addr_t phys, pgprot_t prot, unsigned int max_shift,
			pgtbl_mod_mask *mask)
{
	pud_t *pud = pud_alloc_track(&init_mm, p4d, addr, mask);
	unsigned long next;
	int err;

	if (!pud)
		return -ENOMEM;
	for (; addr != end; pud++, phys += next - addr, addr = next) {
		next = pud_addr_end(addr, end);
		if (huge_pud(pud, addr, next, phys, prot, max_shift)) {
			*mask |= PGTBL_PUD_MODIFIED;
			continue;
		}
		err = map_phys_pmd(pud, addr, next, phys, prot, max_shift,
				   mask);
		if (err)
			return err;
	}
	return 0;
}

static int p4d_over_table(void *entry, unsigned long addr, phys_addr_t phys,
			  pgprot_t prot)
{
	return p4d_free_pud_page(entry, addr) && p4d_set_huge(entry, phys, prot);
}

static bool huge_p4d(p4d_t *p4d, unsigned long addr, unsigned long end,
		     phys_addr_t phys, pgprot_t prot, unsigned int max_shift)
{
	if (!leaf_fits(addr, end, phys, P4D_SIZE, max_shift) ||
	    !arch_vmap_p4d_supported(prot))
		return false;
	if (!p4d_present(*p4d))
		return p4d_set_huge(p4d, phys, prot);
	return leaf_over_table(p4d_over_table, p4d, addr, phys, prot);
}

static int map_phys_p4d(pgd_t *pgd, unsigned long addr, unsigned long end,
			phys_addr_t phys, pgprot_t prot, unsigned int max_shift,
			pgtbl_mod_mask *mask)
{
	p4d_t *p4d = p4d_alloc_track(&init_mm, pgd, addr, mask);
	unsigned long next;
	int err;

	if (!p4d)
		return -ENOMEM;
	for (; addr != end; p4d++, phys += next - addr, addr = next) {
		next = p4d_addr_end(addr, end);
		if (huge_p4d(p4d, addr, next, phys, prot, max_shift)) {
			*mask |= PGTBL_P4D_MODIFIED;
			continue;
		}
		err = map_phys_pud(p4d, addr, next, phys, prot, max_shift,
				   mask);
		if (err)
			return err;
	}
	return 0;
}

static void sync_tables(unsigned long start, unsigned long end,
			pgtbl_mod_mask mask)
{
	if (mask & ARCH_PAGE_TABLE_SYNC_MASK)
		arch_sync_kernel_mappings(start, end);
}

/* Map [addr, end) to phys with leaves of at most 1 << max_shift bytes. */
static int map_phys(unsigned long addr, unsigned long end, phys_addr_t phys,
		    pgprot_t prot, unsigned int max_shift)
{
	unsigned long start = addr, next;
	pgtbl_mod_mask mask = 0;
	pgd_t *pgd;
	int err = 0;

	might_sleep();
	if (WARN_ON_ONCE(addr >= end))
		return -EINVAL;
	pgd = pgd_offset_k(addr);
	for (; addr != end; pgd++, phys += next - addr, addr = next) {
		next = pgd_addr_end(addr, end);
		err = map_phys_p4d(pgd, addr, next, phys, prot, max_shift,
				   &mask);
		if (err)
			break;
	}
	sync_tables(start, end, mask);
	return err;
}

static unsigned int ioremap_max_shift(void)
{
	if (ioremap_p4d_ok && ioremap_pud_ok && ioremap_pmd_ok)
		return P4D_SHIFT;
	return PAGE_SHIFT;
}

/**
 * vmap_page_range - map a physical range at a kernel virtual range.
 * @addr: start of the virtual range.
 * @end: end of the virtual range.
 * @phys_addr: physical address @addr maps to.
 * @prot: protection.
 *
 * Huge leaves are used where sizes and alignments allow, unless
 * "nohugeiomap" was given. The mapping is never executable: it is for
 * device memory and other data.
 *
 * Return: 0 or a negative errno; on error part of the range may be mapped.
 */
int vmap_page_range(unsigned long addr, unsigned long end,
		    phys_addr_t phys_addr, pgprot_t prot)
{
	int err = map_phys(addr, end, phys_addr, pgprot_nx(prot),
			   ioremap_max_shift());

	flush_cache_vmap(addr, end);
	/*
	 * The range is not RAM that KMSAN tracks: KMSAN maps shadow and
	 * origin pages of its own for it.
	 */
	if (!err)
		err = kmsan_ioremap_page_range(addr, end, phys_addr, prot,
					       ioremap_max_shift());
	return err;
}

/* ---- mapping pages ---- */

static int map_pages_pte(pmd_t *pmd, unsigned long addr, unsigned long end,
			 pgprot_t prot, struct page **pages, int *nr,
			 pgtbl_mod_mask *mask)
{
	pte_t *pte = pte_alloc_kernel_track(pmd, addr, mask);

	if (!pte)
		return -ENOMEM;
	for (; addr != end; addr += PAGE_SIZE, pte++) {
		struct page *page = pages[*nr];

		if (WARN_ON_ONCE(!pte_none(ptep_get(pte))))
			return -EBUSY;
		if (WARN_ON_ONCE(!page))
			return -ENOMEM;
		if (WARN_ON_ONCE(!pfn_valid(page_to_pfn(page))))
			return -EINVAL;
		set_pte_at(&init_mm, addr, pte, mk_pte(page, prot));
		(*nr)++;
	}
	*mask |= PGTBL_PTE_MODIFIED;
	return 0;
}

static int map_pages_pmd(pud_t *pud, unsigned long addr, unsigned long end,
			 pgprot_t prot, struct page **pages, int *nr,
			 pgtbl_mod_mask *mask)
{
	pmd_t *pmd = pmd_alloc_track(&init_mm, pud, addr, mask);
	unsigned long next;
	int err;

	if (!pmd)
		return -ENOMEM;
	for (; addr != end; pmd++, addr = next) {
		next = pmd_addr_end(addr, end);
		err = map_pages_pte(pmd, addr, next, prot, pages, nr, mask);
		if (err)
			return err;
	}
	return 0;
}

static int map_pages_pud(p4d_t *p4d, unsigned long addr, unsigned long end,
			 pgprot_t prot, struct page **pages, int *nr,
			 pgtbl_mod_mask *mask)
{
	pud_t *pud = pud_alloc_track(&init_mm, p4d, addr, mask);
	unsigned long next;
	int err;

	if (!pud)
		return -ENOMEM;
	for (; addr != end; pud++, addr = next) {
		next = pud_addr_end(addr, end);
		err = map_pages_pmd(pud, addr, next, prot, pages, nr, mask);
		if (err)
			return err;
	}
	return 0;
}

static int map_pages_p4d(pgd_t *pgd, unsigned long addr, unsigned long end,
			 pgprot_t prot, struct page **pages, int *nr,
			 pgtbl_mod_mask *mask)
{
	p4d_t *p4d = p4d_alloc_track(&init_mm, pgd, addr, mask);
	unsigned long next;
	int err;

	if (!p4d)
		return -ENOMEM;
	for (; addr != end; p4d++, addr = next) {
		next = p4d_addr_end(addr, end);
		err = map_pages_pud(p4d, addr, next, prot, pages, nr, mask);
		if (err)
			return err;
	}
	return 0;
}

static int map_small_pages(unsigned long addr, unsigned long end,
			   pgprot_t prot, struct page **pages)
{
	unsigned long start = addr, next;
	pgtbl_mod_mask mask = 0;
	pgd_t *pgd = pgd_offset_k(addr);
	int nr = 0, err = 0;

	for (; addr != end; pgd++, addr = next) {
		next = pgd_addr_end(addr, end);
		err = map_pages_p4d(pgd, addr, next, prot, pages, &nr, &mask);
		if (err)
			break;
	}
	sync_tables(start, end, mask);
	return err;
}

/**
 * __vmap_pages_range_noflush - map pages without KMSAN or cache flushes.
 * @addr: start of the virtual range.
 * @end: end of the virtual range.
 * @prot: protection.
 * @pages: the pages, one per PAGE_SIZE of the range.
 * @page_shift: with more than PAGE_SHIFT, each run of 1 << page_shift
 *	bytes of the range is backed by physically contiguous pages and
 *	may be mapped with one huge leaf.
 *
 * The caller flushes caches (flush_cache_vmap()) afterwards.
 *
 * Return: 0 or a negative errno.
 */
int __vmap_pages_range_noflush(unsigned long addr, unsigned long end,
			       pgprot_t prot, struct page **pages,
			       unsigned int page_shift)
{
	unsigned long step = 1UL << page_shift;
	unsigned int i, per_step = step >> PAGE_SHIFT;
	int err;

	WARN_ON(page_shift < PAGE_SHIFT);
	if (!IS_ENABLED(CONFIG_HAVE_ARCH_HUGE_VMALLOC) ||
	    page_shift == PAGE_SHIFT)
		return map_small_pages(addr, end, prot, pages);

	for (i = 0; addr < end; i += per_step, addr += step) {
		err = map_phys(addr, addr + step, page_to_phys(pages[i]), prot,
			       page_shift);
		if (err)
			return err;
	}
	return 0;
}

/**
 * vmap_pages_range_noflush - map pages, telling KMSAN, without flushing.
 * @addr: start of the virtual range.
 * @end: end of the virtual range.
 * @prot: protection.
 * @pages: the pages.
 * @page_shift: see __vmap_pages_range_noflush().
 *
 * Return: 0 or a negative errno.
 */
int vmap_pages_range_noflush(unsigned long addr, unsigned long end,
			     pgprot_t prot, struct page **pages,
			     unsigned int page_shift)
{
	/* KMSAN maps the range's shadow and origin pages first. */
	return kmsan_vmap_pages_range_noflush(addr, end, prot, pages,
					      page_shift) ?:
	       __vmap_pages_range_noflush(addr, end, prot, pages, page_shift);
}

/**
 * vmap_pages_range - map pages and flush caches.
 * @addr: start of the virtual range.
 * @end: end of the virtual range.
 * @prot: protection.
 * @pages: the pages.
 * @page_shift: see __vmap_pages_range_noflush().
 *
 * Return: 0 or a negative errno.
 */
int vmap_pages_range(unsigned long addr, unsigned long end, pgprot_t prot,
		     struct page **pages, unsigned int page_shift)
{
	int err = vmap_pages_range_noflush(addr, end, prot, pages, page_shift);

	flush_cache_vmap(addr, end);
	return err;
}

/* ---- clearing ---- */

static void clear_one_pte(unsigned long addr, pte_t *pte)
{
	pte_t old = ptep_get_and_clear(&init_mm, addr, pte);

	/* Kernel mappings are present or empty, never swap entries. */
	WARN_ON_ONCE(!pte_none(old) && !pte_present(old));
}

static void clear_pte(pmd_t *pmd, unsigned long addr, unsigned long end,
		      pgtbl_mod_mask *mask)
{
	pte_t *pte = pte_offset_kernel(pmd, addr);

	for (; addr != end; addr += PAGE_SIZE, pte++)
		clear_one_pte(addr, pte);
	*mask |= PGTBL_PTE_MODIFIED;
}

static void clear_pmd(pud_t *pud, unsigned long addr, unsigned long end,
		      pgtbl_mod_mask *mask)
{
	pmd_t *pmd = pmd_offset(pud, addr);
	unsigned long next;

	for (; addr != end; pmd++, addr = next) {
		next = pmd_addr_end(addr, end);
		if (pmd_clear_huge(pmd)) {
			*mask |= PGTBL_PMD_MODIFIED;
			continue;
		}
		if (pmd_bad(*pmd) || pmd_none(*pmd))
			continue;
		clear_pte(pmd, addr, next, mask);
		cond_resched();
	}
}

static void clear_pud(p4d_t *p4d, unsigned long addr, unsigned long end,
		      pgtbl_mod_mask *mask)
{
	pud_t *pud = pud_offset(p4d, addr);
	unsigned long next;

	for (; addr != end; pud++, addr = next) {
		next = pud_addr_end(addr, end);
		if (pud_clear_huge(pud)) {
			*mask |= PGTBL_PUD_MODIFIED;
			continue;
		}
		if (pud_none_or_clear_bad(pud))
			continue;
		clear_pmd(pud, addr, next, mask);
	}
}

static void clear_p4d(pgd_t *pgd, unsigned long addr, unsigned long end,
		      pgtbl_mod_mask *mask)
{
	unsigned long next;
	p4d_t *p4d;

	/* A bad top-level entry is cleared: other page tables must know. */
	if (pgd_bad(*pgd))
		*mask |= PGTBL_PGD_MODIFIED;
	if (pgd_none_or_clear_bad(pgd))
		return;
	for (p4d = p4d_offset(pgd, addr); addr != end; p4d++, addr = next) {
		next = p4d_addr_end(addr, end);
		p4d_clear_huge(p4d);
		if (p4d_none_or_clear_bad(p4d))
			continue;
		clear_pud(p4d, addr, next, mask);
	}
}

/**
 * vunmap_range - clear the mappings of a range and flush.
 * @addr: start of the range.
 * @end: end of the range.
 *
 * Context: process context (the TLB flush may need IPIs).
 */
void vunmap_range(unsigned long addr, unsigned long end)
{
	flush_cache_vunmap(addr, end);
	vunmap_range_noflush(addr, end);
	flush_tlb_kernel_range(addr, end);
}

/**
 * __vunmap_range_noflush - clear the kernel mappings of a range.
 * @start: start of the range.
 * @end: end of the range.
 *
 * No cache or TLB flush, no KMSAN hook; page tables stay.
 */
void __vunmap_range_noflush(unsigned long start, unsigned long end)
{
	pgtbl_mod_mask mask = 0;
	unsigned long addr, next;

	if (WARN_ON_ONCE(start >= end))
		return;
	for (addr = start; addr != end; addr = next) {
		next = pgd_addr_end(addr, end);
		clear_p4d(pgd_offset_k(addr), addr, next, &mask);
	}
	sync_tables(start, end, mask);
}

/**
 * vunmap_range_noflush - clear the mappings of a range, telling KMSAN.
 * @start: start of the range.
 * @end: end of the range.
 *
 * The caller flushes caches before and the TLB after.
 */
void vunmap_range_noflush(unsigned long start, unsigned long end)
{
	kmsan_vunmap_range_noflush(start, end);
	__vunmap_range_noflush(start, end);
}

/* ---- areas mapped piecemeal ---- */

/*
 * Is [start, end) inside the VM_SPARSE area @vm? The area does not know
 * its pages, so VM_FLUSH_RESET_PERMS could not reset them when it goes,
 * and without its guard page an overrun would land in the next area:
 * such flags are bugs of the caller's.
 */
static int sparse_range_ok(const struct vm_struct *vm, unsigned long start,
			   unsigned long end)
{
	unsigned long lo = (unsigned long)vm->addr;

	might_sleep();
	if (WARN_ON_ONCE(vm->flags & VM_FLUSH_RESET_PERMS))
		return -EINVAL;
	if (WARN_ON_ONCE(vm->flags & VM_NO_GUARD))
		return -EINVAL;
	if (WARN_ON_ONCE(!(vm->flags & VM_SPARSE)))
		return -EINVAL;
	if ((end - start) >> PAGE_SHIFT > totalram_pages())
		return -E2BIG;
	if (start < lo || end > lo + get_vm_area_size(vm))
		return -ERANGE;
	return 0;
}

/**
 * vm_area_map_pages - map pages into part of a VM_SPARSE area.
 * @area: the area, from get_vm_area() with VM_SPARSE.
 * @start: start of the part.
 * @end: end of the part.
 * @pages: one page per PAGE_SIZE of the part.
 *
 * Context: process context; may sleep.
 * Return: 0; -EINVAL if @area is not sparse, or has VM_FLUSH_RESET_PERMS
 * or VM_NO_GUARD; -ERANGE if the part is not inside it; -E2BIG for more
 * pages than RAM; -ENOMEM.
 */
int vm_area_map_pages(struct vm_struct *area, unsigned long start,
		      unsigned long end, struct page **pages)
{
	int err = sparse_range_ok(area, start, end);

	return err ?: vmap_pages_range(start, end, PAGE_KERNEL, pages,
				       PAGE_SHIFT);
}

/**
 * vm_area_unmap_pages - unmap part of a VM_SPARSE area.
 * @area: the area.
 * @start: start of the part.
 * @end: end of the part.
 *
 * The TLB is flushed; the pages stay the caller's.
 *
 * Context: process context; may sleep.
 */
void vm_area_unmap_pages(struct vm_struct *area, unsigned long start,
			 unsigned long end)
{
	if (!sparse_range_ok(area, start, end))
		vunmap_range(start, end);
}

/* ---- reading ---- */

/**
 * is_vmalloc_addr - is an address in the vmalloc range?
 * @x: the address.
 *
 * Return: true for [VMALLOC_START, VMALLOC_END).
 */
bool is_vmalloc_addr(const void *x)
{
	unsigned long addr = (unsigned long)kasan_reset_tag(x);

	return addr >= VMALLOC_START && addr < VMALLOC_END;
}
EXPORT_SYMBOL(is_vmalloc_addr);

/* Architectures with a module range of their own fall back on vmalloc. */
static bool in_module_range(unsigned long addr)
{
#if defined(CONFIG_EXECMEM) && defined(MODULES_VADDR)
	return addr >= MODULES_VADDR && addr < MODULES_END;
#else
	return false;
#endif
}

/**
 * is_vmalloc_or_module_addr - is an address in the vmalloc or module range?
 * @x: the address.
 *
 * Return: 1 if it is, 0 if not.
 */
int is_vmalloc_or_module_addr(const void *x)
{
	return is_vmalloc_addr(x) ||
	       in_module_range((unsigned long)kasan_reset_tag(x));
}
EXPORT_SYMBOL_GPL(is_vmalloc_or_module_addr);

/* The small page at @addr inside a leaf that starts at @head. */
static struct page *in_leaf(struct page *head, unsigned long addr,
			    unsigned long leaf_mask)
{
	return nth_page(head, (addr & ~leaf_mask) >> PAGE_SHIFT);
}

static struct page *pmd_to_page(pmd_t *pmd, unsigned long addr)
{
	pte_t pte;

	if (pmd_none(*pmd))
		return NULL;
	if (pmd_leaf(*pmd))
		return in_leaf(pmd_page(*pmd), addr, PMD_MASK);
	if (WARN_ON_ONCE(pmd_bad(*pmd)))
		return NULL;
	pte = ptep_get(pte_offset_kernel(pmd, addr));
	return pte_present(pte) ? pte_page(pte) : NULL;
}

static struct page *pud_to_page(pud_t *pud, unsigned long addr)
{
	if (pud_none(*pud))
		return NULL;
	if (pud_leaf(*pud))
		return in_leaf(pud_page(*pud), addr, PUD_MASK);
	if (WARN_ON_ONCE(pud_bad(*pud)))
		return NULL;
	return pmd_to_page(pmd_offset(pud, addr), addr);
}

/**
 * vmalloc_to_page - the page mapped at a vmalloc or module address.
 * @vmalloc_addr: the address.
 *
 * Leaves of every size are followed.
 *
 * Return: the page, or NULL if nothing is mapped there.
 */
struct page *vmalloc_to_page(const void *vmalloc_addr)
{
	unsigned long addr = (unsigned long)vmalloc_addr;
	pgd_t *pgd = pgd_offset_k(addr);
	p4d_t *p4d;

	if (IS_ENABLED(CONFIG_DEBUG_VIRTUAL) &&
	    WARN_ON_ONCE(!is_vmalloc_or_module_addr(vmalloc_addr)))
		return NULL;
	if (pgd_none(*pgd) || WARN_ON_ONCE(pgd_leaf(*pgd) || pgd_bad(*pgd)))
		return NULL;
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(*p4d))
		return NULL;
	if (p4d_leaf(*p4d))
		return in_leaf(p4d_page(*p4d), addr, P4D_MASK);
	if (WARN_ON_ONCE(p4d_bad(*p4d)))
		return NULL;
	return pud_to_page(pud_offset(p4d, addr), addr);
}
EXPORT_SYMBOL(vmalloc_to_page);

/**
 * vmalloc_to_pfn - the page frame mapped at a vmalloc or module address.
 * @vmalloc_addr: the address.
 *
 * Return: the page frame number; for an unmapped address, that of a NULL
 * page, as vmalloc_to_page() gives NULL.
 */
unsigned long vmalloc_to_pfn(const void *vmalloc_addr)
{
	return page_to_pfn(vmalloc_to_page(vmalloc_addr));
}
EXPORT_SYMBOL(vmalloc_to_pfn);

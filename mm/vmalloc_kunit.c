// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the vmalloc contract: what callers of <linux/vmalloc.h> rely
 * on, whichever implementation is built. Every case here uses exported
 * interfaces only, so the suite also runs as a module and on the stock
 * implementation, which is how drop-in equivalence is shown.
 *
 * Run with:
 *	./tools/testing/kunit/kunit.py run --arch=x86_64 \
 *		--kunitconfig=mm/vmalloc.kunitconfig
 */

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <asm/pgtable.h>

/* A byte pattern that depends on the offset, so that shifted copies show. */
static u8 pattern(size_t off)
{
	return (u8)(off * 7 + 3);
}

static void fill(u8 *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = pattern(i);
}

static bool holds_pattern(const u8 *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != pattern(i))
			return false;
	return true;
}

/* Is the byte at @addr mapped? Reads it without faulting. */
static bool readable(const void *addr)
{
	u8 c;

	return !copy_from_kernel_nofault(&c, addr, 1);
}

static const size_t sizes[] = {
	1, 100, PAGE_SIZE - 1, PAGE_SIZE, PAGE_SIZE + 1, 5 * PAGE_SIZE + 17,
	64 * PAGE_SIZE,
};

static void size_desc(const size_t *size, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%zu bytes", *size);
}

KUNIT_ARRAY_PARAM(vmalloc_sizes, sizes, size_desc);

/* Every byte asked for is usable, and the area starts on a page boundary. */
static void vmalloc_maps_every_requested_byte(struct kunit *test)
{
	size_t size = *(const size_t *)test->param_value;
	u8 *p = vmalloc(size);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, PAGE_ALIGNED(p));
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(p));
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(p + size - 1));
	fill(p, size);
	KUNIT_EXPECT_TRUE(test, holds_pattern(p, size));
	/* The rest of the last page is mapped too (read without KASAN). */
	KUNIT_EXPECT_TRUE(test, readable(p + PAGE_ALIGN(size) - 1));
	vfree(p);
}

/*
 * Is the tail of the last page, past @size, zero? Read it through the
 * linear map: past @size the vmalloc mapping is not the caller's (KASAN
 * poisons it), but the page is, and it may be mapped to user space whole.
 */
static bool tail_is_zero(const u8 *p, size_t size)
{
	size_t off = offset_in_page(size);

	if (!off)
		return true;
	return !memchr_inv((u8 *)page_address(vmalloc_to_page(p + size - 1)) + off,
			   0, PAGE_SIZE - off);
}

/* vzalloc, vmalloc_user and __GFP_ZERO all zero the whole last page. */
static void zeroing_allocators_return_zeroes(struct kunit *test)
{
	size_t size = *(const size_t *)test->param_value;
	void *ptrs[3];
	int i;

	ptrs[0] = vzalloc(size);
	ptrs[1] = vmalloc_user(size);
	ptrs[2] = __vmalloc(size, GFP_KERNEL | __GFP_ZERO);
	for (i = 0; i < ARRAY_SIZE(ptrs); i++) {
		KUNIT_ASSERT_NOT_NULL(test, ptrs[i]);
		KUNIT_EXPECT_NULL_MSG(test, memchr_inv(ptrs[i], 0, size),
				      "allocator %d", i);
		KUNIT_EXPECT_TRUE_MSG(test, tail_is_zero(ptrs[i], size),
				      "allocator %d", i);
	}
	for (i = 0; i < ARRAY_SIZE(ptrs); i++)
		vfree(ptrs[i]);
}

/*
 * vmalloc_to_page() finds the page behind each address, and that page's
 * direct-map alias sees what was written through the vmalloc mapping.
 */
static void vmalloc_to_page_finds_backing_pages(struct kunit *test)
{
	const unsigned int nr = 8;
	u8 *p = vmalloc(nr * PAGE_SIZE);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, p);
	fill(p, nr * PAGE_SIZE);
	for (i = 0; i < nr; i++) {
		struct page *page = vmalloc_to_page(p + i * PAGE_SIZE + 5);

		KUNIT_ASSERT_NOT_NULL(test, page);
		KUNIT_EXPECT_EQ(test, page_to_pfn(page),
				vmalloc_to_pfn(p + i * PAGE_SIZE));
		KUNIT_EXPECT_EQ(test, memcmp(page_address(page),
					     p + i * PAGE_SIZE, PAGE_SIZE), 0);
	}
	vfree(p);
}

/* Only addresses inside the vmalloc range are vmalloc addresses. */
static void is_vmalloc_addr_tells_vmalloc_from_linear(struct kunit *test)
{
	void *k = kmalloc(64, GFP_KERNEL);
	void *v = vmalloc(PAGE_SIZE);

	KUNIT_ASSERT_NOT_NULL(test, k);
	KUNIT_ASSERT_NOT_NULL(test, v);
	KUNIT_EXPECT_FALSE(test, is_vmalloc_addr(k));
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(v));
	KUNIT_EXPECT_FALSE(test, is_vmalloc_addr(NULL));
	kfree(k);
	vfree(v);
}

/* The page after an area is a guard: never mapped. */
static void guard_page_follows_each_area(struct kunit *test)
{
	size_t size = *(const size_t *)test->param_value;
	u8 *p = vmalloc(size);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, readable(p + PAGE_ALIGN(size) - 1));
	KUNIT_EXPECT_FALSE(test, readable(p + PAGE_ALIGN(size)));
	KUNIT_EXPECT_NULL(test, vmalloc_to_page(p + PAGE_ALIGN(size)));
	vfree(p);
}

static struct page **alloc_test_pages(struct kunit *test, unsigned int nr)
{
	struct page **pages = kunit_kcalloc(test, nr, sizeof(*pages), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, pages);
	for (i = 0; i < nr; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	}
	return pages;
}

static void free_test_pages(struct page **pages, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		__free_page(pages[i]);
}

/* Pages appear in the mapping in array order; the caller keeps them. */
static void vmap_maps_caller_pages_in_order(struct kunit *test)
{
	const unsigned int nr = 4;
	struct page **pages = alloc_test_pages(test, nr);
	unsigned int i;
	u8 *p;

	for (i = 0; i < nr; i++)
		memset(page_address(pages[i]), 'a' + i, PAGE_SIZE);
	p = vmap(pages, nr, VM_MAP, PAGE_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = 0; i < nr; i++) {
		KUNIT_EXPECT_EQ(test, p[i * PAGE_SIZE], 'a' + i);
		KUNIT_EXPECT_PTR_EQ(test, vmalloc_to_page(p + i * PAGE_SIZE),
				    pages[i]);
	}
	KUNIT_EXPECT_FALSE(test, readable(p + nr * PAGE_SIZE));
	vunmap(p);
	/* Still the caller's, and intact. */
	for (i = 0; i < nr; i++)
		KUNIT_EXPECT_EQ(test, *(u8 *)page_address(pages[i]), 'a' + i);
	free_test_pages(pages, nr);
}

/*
 * With VM_MAP_PUT_PAGES, vmap() takes the pages and the array: vfree()
 * drops the page references. An extra reference held here shows it.
 */
static void vmap_put_pages_gives_pages_to_vfree(struct kunit *test)
{
	const unsigned int nr = 3;
	struct page **pages, *first;
	unsigned int i;
	void *p;

	pages = kvmalloc_array(nr, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	for (i = 0; i < nr; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	}
	first = pages[0];
	get_page(first);
	p = vmap(pages, nr, VM_MAP | VM_MAP_PUT_PAGES, PAGE_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, page_ref_count(first), 2);
	vfree(p);		/* frees the pages and the array */
	KUNIT_EXPECT_EQ(test, page_ref_count(first), 1);
	put_page(first);
}

/*
 * vrealloc(), reached through kvrealloc() on a vmalloc address: growing
 * keeps the content and zeroes the rest under __GFP_ZERO, shrinking keeps
 * the prefix.
 */
static void vrealloc_keeps_content(struct kunit *test)
{
	const size_t small = 2 * PAGE_SIZE + 10, big = 9 * PAGE_SIZE + 3;
	u8 *p = vmalloc(small), *q;

	KUNIT_ASSERT_NOT_NULL(test, p);
	fill(p, small);
	q = kvrealloc(p, big, GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(q));
	KUNIT_EXPECT_TRUE(test, holds_pattern(q, small));
	KUNIT_EXPECT_NULL(test, memchr_inv(q + small, 0, big - small));
	p = kvrealloc(q, PAGE_SIZE + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, holds_pattern(p, PAGE_SIZE + 1));
	vfree(p);
}

/* vmalloc_huge() of whole PMDs is mapped with PMD entries on x86. */
static void vmalloc_huge_maps_whole_pmds(struct kunit *test)
{
#if defined(CONFIG_X86) && defined(CONFIG_HAVE_ARCH_HUGE_VMALLOC)
	u8 *p = vmalloc_huge(2 * PMD_SIZE, GFP_KERNEL);
	unsigned int level, i;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)p, PMD_SIZE));
	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_NOT_NULL(test, lookup_address((unsigned long)p + i * PMD_SIZE,
							   &level));
		KUNIT_EXPECT_EQ(test, level, PG_LEVEL_2M);
	}
	p[2 * PMD_SIZE - 1] = 1;
	vfree(p);
#else
	kunit_skip(test, "reads x86 page tables, needs huge vmalloc");
#endif
}

static const unsigned int ram_counts[] = { 1, 4, 16, 100 };

static void count_desc(const unsigned int *count, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%u pages", *count);
}

KUNIT_ARRAY_PARAM(vm_map_ram_counts, ram_counts, count_desc);

/*
 * vm_map_ram() works below the per-CPU block limit (small counts) and above
 * it (100 pages, served like vmap()), and vm_unmap_ram() undoes both.
 */
static void vm_map_ram_maps_and_unmaps(struct kunit *test)
{
	unsigned int nr = *(const unsigned int *)test->param_value;
	struct page **pages = alloc_test_pages(test, nr);
	unsigned int i;
	u8 *p;

	p = vm_map_ram(pages, nr, NUMA_NO_NODE);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(p));
	fill(p, nr * PAGE_SIZE);
	for (i = 0; i < nr; i++) {
		KUNIT_EXPECT_PTR_EQ(test, vmalloc_to_page(p + i * PAGE_SIZE),
				    pages[i]);
		KUNIT_EXPECT_EQ(test, memcmp(page_address(pages[i]),
					     p + i * PAGE_SIZE, PAGE_SIZE), 0);
	}
	vm_unmap_ram(p, nr);
	vm_unmap_aliases();
	KUNIT_EXPECT_FALSE(test, readable(p));
	free_test_pages(pages, nr);
}

/* A freed area is unmapped once lazily freed ranges have been flushed. */
static void vfree_unmaps_the_area(struct kunit *test)
{
	u8 *p = vmalloc(3 * PAGE_SIZE);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, readable(p + PAGE_SIZE));
	vfree(p);
	vm_unmap_aliases();
	KUNIT_EXPECT_FALSE(test, readable(p));
	KUNIT_EXPECT_FALSE(test, readable(p + 2 * PAGE_SIZE));
}

/*
 * vfree(NULL) and vunmap(NULL) are no-ops, and mapping no pages gives NULL,
 * all without a warning. (A zero-sized vmalloc() warns: that case belongs
 * with the bad inputs, whose warnings are expected.)
 */
static void null_and_empty_are_harmless(struct kunit *test)
{
	vfree(NULL);
	vunmap(NULL);
	KUNIT_EXPECT_NULL(test, vmap(NULL, 0, VM_MAP, PAGE_KERNEL));
}

/* Allocations on a given node get their pages from that node. */
static void vmalloc_node_places_pages_on_the_node(struct kunit *test)
{
	const unsigned int nr = 4;
	int nid;

	for_each_online_node(nid) {
		u8 *p = vmalloc_node(nr * PAGE_SIZE, nid);
		unsigned int i;

		KUNIT_ASSERT_NOT_NULL(test, p);
		for (i = 0; i < nr; i++)
			KUNIT_EXPECT_EQ_MSG(test,
					    page_to_nid(vmalloc_to_page(p + i * PAGE_SIZE)),
					    nid, "page %u", i);
		vfree(p);
	}
}

/*
 * Bad requests that callers may make and that must fail quietly: NULL,
 * no warning (none is asked for), nothing left behind.
 */
struct bad_request {
	const char *desc;
	void *(*call)(void);
};

static void *vmalloc_more_than_ram(void)
{
	return __vmalloc((totalram_pages() + 1) << PAGE_SHIFT,
			 GFP_KERNEL | __GFP_NOWARN);
}

static void *vmalloc_near_ulong_max(void)
{
	return __vmalloc(ULONG_MAX - PAGE_SIZE / 2, GFP_KERNEL | __GFP_NOWARN);
}

static void *vmap_more_than_ram(void)
{
	static struct page *never_read;

	/* The count is refused before the array is looked at. */
	return vmap(&never_read, totalram_pages() + 1, VM_MAP, PAGE_KERNEL);
}

static void *vmap_no_pages(void)
{
	return vmap(NULL, 0, VM_MAP, PAGE_KERNEL);
}

static void *vrealloc_to_nothing(void)
{
	void *p = vmalloc(PAGE_SIZE);

	/* Frees the area; a failed vmalloc() is reported as not-NULL. */
	return p ? kvrealloc(p, 0, GFP_KERNEL) : ERR_PTR(-ENOMEM);
}

static const struct bad_request bad_requests[] = {
	{ "vmalloc of more than RAM", vmalloc_more_than_ram },
	{ "vmalloc of ULONG_MAX - PAGE_SIZE / 2", vmalloc_near_ulong_max },
	{ "vmap of more pages than RAM", vmap_more_than_ram },
	{ "vmap of no pages", vmap_no_pages },
	{ "vrealloc to size 0", vrealloc_to_nothing },
};

KUNIT_ARRAY_PARAM_DESC(bad_requests, bad_requests, desc);

static void bad_request_returns_null(struct kunit *test)
{
	const struct bad_request *req = test->param_value;

	KUNIT_EXPECT_NULL(test, req->call());
}

static struct kunit_case vmalloc_contract_cases[] = {
	KUNIT_CASE_PARAM(vmalloc_maps_every_requested_byte, vmalloc_sizes_gen_params),
	KUNIT_CASE_PARAM(zeroing_allocators_return_zeroes, vmalloc_sizes_gen_params),
	KUNIT_CASE_PARAM(guard_page_follows_each_area, vmalloc_sizes_gen_params),
	KUNIT_CASE(vmalloc_to_page_finds_backing_pages),
	KUNIT_CASE(is_vmalloc_addr_tells_vmalloc_from_linear),
	KUNIT_CASE(vmap_maps_caller_pages_in_order),
	KUNIT_CASE(vmap_put_pages_gives_pages_to_vfree),
	KUNIT_CASE(vrealloc_keeps_content),
	KUNIT_CASE(vmalloc_huge_maps_whole_pmds),
	KUNIT_CASE_PARAM(vm_map_ram_maps_and_unmaps, vm_map_ram_counts_gen_params),
	KUNIT_CASE(vfree_unmaps_the_area),
	KUNIT_CASE(null_and_empty_are_harmless),
	KUNIT_CASE_PARAM(bad_request_returns_null, bad_requests_gen_params),
	KUNIT_CASE(vmalloc_node_places_pages_on_the_node),
	{}
};

static struct kunit_suite vmalloc_contract_suite = {
	.name = "vmalloc_contract",
	.test_cases = vmalloc_contract_cases,
};

kunit_test_suite(vmalloc_contract_suite);

MODULE_DESCRIPTION("KUnit tests of the vmalloc contract");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: MIT
/*
 * Self-tests of vmalloc on the machine it runs on. The host build runs this
 * same file on its fake machine (tests/host/test_ksuites.c), where "probe.h"
 * is the host's stand-in.
 *
 *   small_area            one page: mapped, aliasing its struct page
 *   larger_than_buddy     more than the largest buddy block, page by page
 *   vzalloc_zeroes        every byte zero
 *   guard_page_faults     the page after an area faults; a freed area faults
 *   vfree_misuse          inside an area, twice, not vmalloc: refused
 *   nothing_leaks         free pages come back exactly
 */
#include "kernel/ktest.h"
#include "kmm/string.h"
#include "mm/gfp.h"
#include "mm/kasan.h"
#include "mm/vmalloc.h"
#include "probe.h"

static void small_area(struct ktest *t)
{
	u8 *p = vmalloc(100);
	struct page *page;

	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_TRUE(t, is_vmalloc_addr(p));
	KTEST_EXPECT_EQ(t, (unsigned long)p & (PAGE_SIZE - 1), 0);
	p[0] = 0x3c;
	/* The whole page is mapped; KASAN allows only the 100 bytes asked for. */
	kasan_disable_current();
	p[PAGE_SIZE - 1] = 0xc3;
	kasan_enable_current();
	page = vmalloc_to_page(p + 10);
	KTEST_ASSERT_NOT_NULL(t, page);
	/* The same physical page, seen through the direct map. */
	KTEST_EXPECT_EQ(t, ((u8 *)page_address(page))[0], 0x3c);
	KTEST_EXPECT_EQ(t, ((u8 *)page_address(page))[PAGE_SIZE - 1], 0xc3);
	KTEST_EXPECT_TRUE(t, vmalloc_to_page(p + PAGE_SIZE) == NULL);
	KTEST_EXPECT_FALSE(t, is_vmalloc_addr(page_address(page)));
	KTEST_EXPECT_EQ(t, vmalloc_check(), 0);
	vfree(p);
	KTEST_EXPECT_TRUE(t, vmalloc(0) == NULL);
	vfree(NULL);
}

static void larger_than_buddy(struct ktest *t)
{
	unsigned long size = (PAGE_SIZE << MAX_PAGE_ORDER) * 2 + 3 * PAGE_SIZE;
	unsigned long i, bad = 0;
	u64 *p = vmalloc(size);

	KTEST_ASSERT_NOT_NULL(t, p);
	for (i = 0; i < size / 8; i += PAGE_SIZE / 8)
		p[i] = i * 0x9e3779b97f4a7c15ULL;
	for (i = 0; i < size / 8; i += PAGE_SIZE / 8) {
		struct page *page = vmalloc_to_page(&p[i]);

		if (!page || *(u64 *)page_address(page) != i * 0x9e3779b97f4a7c15ULL)
			bad++;
	}
	KTEST_EXPECT_EQ(t, bad, 0);
	KTEST_EXPECT_EQ(t, vmalloc_check(), 0);
	vfree(p);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

static void vzalloc_zeroes(struct ktest *t)
{
	unsigned long size = 5 * PAGE_SIZE, i;
	u8 *p = vmalloc(size);

	KTEST_ASSERT_NOT_NULL(t, p);
	memset(p, 0xee, size);
	vfree(p);
	p = vzalloc(size);
	KTEST_ASSERT_NOT_NULL(t, p);
	for (i = 0; i < size && !p[i]; i++)
		;
	KTEST_EXPECT_EQ(t, i, size);
	vfree(p);
}

static void guard_page_faults(struct ktest *t)
{
	u8 *p = vmalloc(2 * PAGE_SIZE), *q;
	u8 v = 0;

	KTEST_ASSERT_NOT_NULL(t, p);
	p[2 * PAGE_SIZE - 1] = 7;
	KTEST_EXPECT_EQ(t, probe_read_u8(p + 2 * PAGE_SIZE - 1, &v), 0);
	KTEST_EXPECT_EQ(t, v, 7);
	KTEST_EXPECT_EQ(t, probe_read_u8(p + 2 * PAGE_SIZE, &v), -EFAULT);
	/* The next area starts after the guard, never on it. */
	q = vmalloc(PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, q);
	KTEST_EXPECT_TRUE(t, q < p || q >= p + 3 * PAGE_SIZE);
	vfree(p);
	/* Unmapped and flushed: the old address faults now. */
	KTEST_EXPECT_EQ(t, probe_read_u8(p, &v), -EFAULT);
	vfree(q);
}

static void expect_vfree_refused(struct ktest *t, const void *addr, const char *text)
{
	unsigned long mark = ktest_console_mark();

	ktest_expect_report(t, text);
	vfree(addr);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "BUG: vfree of"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, text));
	KTEST_EXPECT_EQ(t, vmalloc_check(), 0);
}

static void vfree_misuse(struct ktest *t)
{
	u8 *p = vmalloc(3 * PAGE_SIZE);
	struct page *page = alloc_page(GFP_KERNEL);

	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_ASSERT_NOT_NULL(t, page);
	expect_vfree_refused(t, p + PAGE_SIZE, "inside the area");
	/* Refused means untouched: the area still works. */
	p[PAGE_SIZE] = 1;
	KTEST_EXPECT_EQ(t, p[PAGE_SIZE], 1);
	expect_vfree_refused(t, page_address(page), "not a vmalloc address");
	vfree(p);
	expect_vfree_refused(t, p, "no area there");
	__free_page(page);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

static void nothing_leaks(struct ktest *t)
{
	unsigned long before;
	void *p;

	/* Warm up: the first area may take a page for descriptors, kept. */
	vfree(vmalloc(PAGE_SIZE));
	drain_all_pages();
	before = nr_free_pages();
	p = vmalloc(20 * PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_LE(t, nr_free_pages(), before - 20);
	vfree(p);
	drain_all_pages();
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
	KTEST_EXPECT_EQ(t, vmalloc_check(), 0);
}

static const struct ktest_case vmalloc_cases[] = {
	KTEST_CASE(small_area),
	KTEST_CASE(larger_than_buddy),
	KTEST_CASE(vzalloc_zeroes),
	KTEST_CASE(guard_page_faults),
	KTEST_CASE(vfree_misuse),
	KTEST_CASE(nothing_leaks),
};
KTEST_SUITE(vmalloc, vmalloc_cases);

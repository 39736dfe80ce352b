// SPDX-License-Identifier: MIT
/*
 * KASAN's self-tests (ktest=kasan), in the spirit of Linux's kasan_test:
 * each case makes one bad access or free on purpose, checks the report's
 * text (bug type, the function, the access, the object and its cache or
 * area, the call chains) and that exactly one report was printed, and the
 * next case runs: the kernel carries on after a report.
 *
 * Only the KASAN build (make KASAN=1) checks anything; in any other build
 * every case skips, saying so. Not in the default selection: every case
 * prints a report.
 *
 * Accesses go through volatile pointers hidden from the optimiser, so the
 * compiler emits them (and their checks) as written.
 */
#include "kernel/ktest.h"
#include "kmm/string.h"
#include "mm/gfp.h"
#include "mm/internal.h"
#include "mm/kasan.h"
#include "mm/slab.h"
#include "mm/slab_internal.h"
#include "mm/vmalloc.h"

#define HIDE(p) __asm__ __volatile__("" : "+r"(p))

struct kasan_case {
	struct ktest *t;
	unsigned long mark;
	unsigned long reports;
};

/* Start a case; false (and the case skips) outside the KASAN build. */
static bool kasan_begin(struct ktest *t, struct kasan_case *c)
{
#ifndef KMM_KASAN
	ktest_skip(t, "KASAN is not built in (make KASAN=1)");
	return false;
#else
	c->t = t;
	c->mark = ktest_console_mark();
	c->reports = kasan_report_count();
	return true;
#endif
}

/* Exactly one report since kasan_begin() or the last expect_report(). */
static void expect_one_report(struct kasan_case *c)
{
	/* The headline is what the runner counts: this case's own report. */
	ktest_expect_report(c->t, "BUG: KASAN: ");
	KTEST_EXPECT_EQ(c->t, kasan_report_count() - c->reports, 1);
	c->reports = kasan_report_count();
}

static void expect_text(struct kasan_case *c, const char *text)
{
	if (!ktest_console_contains(c->mark, text))
		KTEST_FAIL(c->t, "report lacks \"%s\"", text);
}

/* "Read of size N at addr A" (or Write) was printed. */
static void expect_access(struct kasan_case *c, bool write, size_t size, const void *addr)
{
	char buf[80];

	snprintf(buf, sizeof(buf), "%s of size %zu at addr %016lx by task swapper/",
		 write ? "Write" : "Read", size, (unsigned long)addr);
	expect_text(c, buf);
}

/* The report's region line: "located N bytes <rel>\n <state> M-byte region [a, b)". */
static void expect_region(struct kasan_case *c, unsigned long off, const char *rel,
			  const char *state, unsigned long size, const void *start)
{
	char buf[160];

	snprintf(buf, sizeof(buf),
		 "The buggy address is located %lu bytes %s\n %s %lu-byte region [%016lx, %016lx)",
		 off, rel, state, size, (unsigned long)start, (unsigned long)start + size);
	expect_text(c, buf);
}

/* Start the next check of the same case: a fresh console mark. */
static void next_check(struct kasan_case *c)
{
	c->mark = ktest_console_mark();
}

/* kmalloc(60) from kmalloc-64: the bytes 60..63 are a red zone. */
static void kmalloc_oob_right(struct ktest *t)
{
	struct kasan_case c;
	char *p;

	if (!kasan_begin(t, &c))
		return;
	p = kmalloc(60, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	HIDE(p);
	((volatile char *)p)[60] = 'x';
	expect_one_report(&c);
	expect_text(&c, "BUG: KASAN: slab-out-of-bounds in kmalloc_oob_right+0x");
	expect_access(&c, true, 1, p + 60);
	expect_text(&c, "The buggy address belongs to the object at ");
	expect_text(&c, " which belongs to the cache kmalloc-64 of size 64\n");
	expect_region(&c, 0, "to the right of", "allocated", 60, p);
	expect_text(&c, "Allocated by task swapper/");
	expect_text(&c, "Memory state around the buggy address:\n");
	expect_text(&c, "00 00 00 00 00 00 00 04"); /* the object's shadow */

	next_check(&c);
	(void)((volatile char *)p)[63];
	expect_one_report(&c);
	expect_access(&c, false, 1, p + 63);
	expect_region(&c, 3, "to the right of", "allocated", 60, p);
	/* In bounds: no report. */
	((volatile char *)p)[59] = 'y';
	KTEST_EXPECT_EQ(t, kasan_report_count(), c.reports);
	kfree(p);
}

/*
 * A byte before the object is the end of the slot before it (or its left
 * red zone, with slab_debug=Z): a red zone when that slot's object is a
 * kmalloc(15) too. Two such objects in neighbouring slots are found by
 * allocating until two are (free lists are in random order: at worst a
 * whole slab).
 */
static void kmalloc_oob_left(struct ktest *t)
{
	static char *held[1024];
	char *lo = NULL, *hi = NULL;
	struct kasan_case c;
	unsigned int n = 0, i, stride = 0;

	if (!kasan_begin(t, &c))
		return;
	while (n < ARRAY_SIZE(held) && !hi) {
		held[n] = kmalloc(15, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, held[n]);
		stride = slab_lookup(held[n])->slab_cache->size;
		for (i = 0; i < n; i++) {
			if (held[i] + stride == held[n]) {
				lo = held[i];
				hi = held[n];
			} else if (held[n] + stride == held[i]) {
				lo = held[n];
				hi = held[i];
			}
		}
		n++;
	}
	KTEST_ASSERT_NOT_NULL(t, hi);
	HIDE(hi);
	(void)((volatile char *)hi)[-1];
	expect_one_report(&c);
	expect_text(&c, "BUG: KASAN: slab-out-of-bounds in kmalloc_oob_left+0x");
	expect_access(&c, false, 1, hi - 1);
	expect_text(&c, " which belongs to the cache kmalloc-16 of size 16\n");
	expect_region(&c, stride - 16, "to the right of", "allocated", 15, lo);
	for (i = 0; i < n; i++)
		kfree(held[i]);
}

/* A cache's own objects: the object size is the limit. */
static void kmem_cache_oob(struct ktest *t)
{
	struct kmem_cache *s;
	struct kasan_case c;
	char *p;

	if (!kasan_begin(t, &c))
		return;
	s = kmem_cache_create("kasan_test_cache", 200, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, s);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	HIDE(p);
	(void)((volatile char *)p)[200];
	expect_one_report(&c);
	expect_text(&c, "BUG: KASAN: slab-out-of-bounds in kmem_cache_oob+0x");
	expect_access(&c, false, 1, p + 200);
	expect_text(&c, " which belongs to the cache kasan_test_cache of size 200\n");
	expect_region(&c, 0, "to the right of", "allocated", 200, p);
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
}

static void kmalloc_uaf(struct ktest *t)
{
	struct kasan_case c;
	char *p;

	if (!kasan_begin(t, &c))
		return;
	p = kmalloc(10, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	kfree(p);
	HIDE(p);
	(void)((volatile char *)p)[8];
	expect_one_report(&c);
	expect_text(&c, "BUG: KASAN: slab-use-after-free in kmalloc_uaf+0x");
	expect_access(&c, false, 1, p + 8);
	expect_text(&c, " which belongs to the cache kmalloc-16 of size 16\n");
	expect_region(&c, 8, "inside of", "freed", 16, p);
	expect_text(&c, "Allocated by task swapper/");
	expect_text(&c, "Freed by task swapper/");
	expect_text(&c, " kfree+0x");
	expect_text(&c, "fb fb");

	next_check(&c);
	((volatile char *)p)[0] = 1;
	expect_one_report(&c);
	expect_text(&c, "BUG: KASAN: slab-use-after-free in kmalloc_uaf+0x");
	expect_access(&c, true, 1, p);
}

/* A freed object waits in the quarantine: the next allocations get others. */
static void quarantine_delays_reuse(struct ktest *t)
{
	void *held[64], *freed;
	struct kasan_case c;
	unsigned int i, reused = 0;

	if (!kasan_begin(t, &c))
		return;
	freed = kmalloc(96, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, freed);
	kfree(freed);
	for (i = 0; i < ARRAY_SIZE(held); i++) {
		held[i] = kmalloc(96, GFP_KERNEL);
		reused += held[i] == freed;
	}
	KTEST_EXPECT_EQ(t, reused, 0);
	for (i = 0; i < ARRAY_SIZE(held); i++)
		kfree(held[i]);
	KTEST_EXPECT_EQ(t, kasan_report_count(), c.reports);
}

static void kmalloc_double_free(struct ktest *t)
{
	struct kasan_case c;
	char *p;

	if (!kasan_begin(t, &c))
		return;
	p = kmalloc(32, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	kfree(p);
	kfree(p);
	expect_one_report(&c);
	expect_text(&c, "BUG: KASAN: double-free in kmalloc_double_free+0x");
	{
		char buf[64];

		snprintf(buf, sizeof(buf), "Free of addr %016lx by task swapper/",
			 (unsigned long)p);
		expect_text(&c, buf);
	}
	expect_text(&c, " which belongs to the cache kmalloc-32 of size 32\n");
	expect_text(&c, "Freed by task swapper/");
}

static void kmem_cache_double_free(struct ktest *t)
{
	struct kmem_cache *s;
	struct kasan_case c;
	void *p;

	if (!kasan_begin(t, &c))
		return;
	s = kmem_cache_create("kasan_test_df", 48, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, s);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	kmem_cache_free(s, p);
	kmem_cache_free(s, p);
	expect_one_report(&c);
	expect_text(&c, "BUG: KASAN: double-free in kmem_cache_double_free+0x");
	expect_text(&c, " which belongs to the cache kasan_test_df of size 48\n");
	kmem_cache_destroy(s);
	/* The cache's quarantined object went back before it was destroyed. */
	KTEST_EXPECT_FALSE(t, ktest_console_contains(c.mark, "Objects remaining"));
}

/* Above KMALLOC_MAX_CACHE_SIZE: pages, and the rest of the block a red zone. */
static void kmalloc_large_oob_right(struct ktest *t)
{
	size_t size = KMALLOC_MAX_CACHE_SIZE + 10;
	struct kasan_case c;
	char *p;

	if (!kasan_begin(t, &c))
		return;
	p = kmalloc(size, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	HIDE(p);
	((volatile char *)p)[size] = 0;
	expect_one_report(&c);
	expect_text(&c, "BUG: KASAN: slab-out-of-bounds in kmalloc_large_oob_right+0x");
	expect_access(&c, true, 1, p + size);
	expect_text(&c, " which belongs to a large kmalloc\n");
	expect_region(&c, 0, "to the right of", "allocated", size, p);
	expect_text(&c, "The buggy address belongs to the physical page:\n");
	kfree(p);
}

static void kmalloc_large_uaf(struct ktest *t)
{
	size_t size = KMALLOC_MAX_CACHE_SIZE + 10;
	struct kasan_case c;
	char *p;

	if (!kasan_begin(t, &c))
		return;
	p = kmalloc(size, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	kfree(p);
	HIDE(p);
	(void)((volatile char *)p)[0];
	expect_one_report(&c);
	expect_text(&c, "BUG: KASAN: use-after-free in kmalloc_large_uaf+0x");
	expect_access(&c, false, 1, p);
	expect_text(&c, "ff ff ff ff");
}

/* Is the page at @pfn the head of a free block (buddy or per-CPU list)? */
static bool page_is_free_head(unsigned long pfn)
{
	return pfn_valid(pfn) &&
	       (pfn_to_page(pfn)->flags & (BIT(PG_buddy) | BIT(PG_pcp)));
}

/*
 * alloc_pages() has no red zone: reading past a block is caught when the
 * page beyond it is free. Pages are allocated until one has a free
 * neighbour (held until the end); the read goes one byte past that side.
 */
static void page_alloc_oob(struct ktest *t)
{
	static struct page *held[256];
	struct page *p = NULL;
	struct kasan_case c;
	unsigned int n = 0, i;
	char *addr, *bad = NULL;

	if (!kasan_begin(t, &c))
		return;
	while (n < ARRAY_SIZE(held) && !p) {
		unsigned long pfn;

		held[n] = alloc_page(GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, held[n]);
		pfn = page_to_pfn(held[n]);
		addr = page_address(held[n]);
		if (page_is_free_head(pfn + 1))
			bad = addr + PAGE_SIZE;
		else if (pfn && page_is_free_head(pfn - 1))
			bad = addr - 1;
		if (bad)
			p = held[n];
		n++;
	}
	KTEST_ASSERT_NOT_NULL(t, p);
	HIDE(bad);
	(void)*(volatile char *)bad;
	expect_one_report(&c);
	expect_text(&c, "BUG: KASAN: use-after-free in page_alloc_oob+0x");
	expect_access(&c, false, 1, bad);
	expect_text(&c, "The buggy address belongs to the physical page:\n");
	expect_text(&c, " (free)\n");
	for (i = 0; i < n; i++)
		__free_page(held[i]);
}

static void page_alloc_uaf(struct ktest *t)
{
	struct kasan_case c;
	struct page *p;
	char *addr;

	if (!kasan_begin(t, &c))
		return;
	p = alloc_pages(GFP_KERNEL, 2);
	KTEST_ASSERT_NOT_NULL(t, p);
	addr = page_address(p);
	__free_pages(p, 2);
	HIDE(addr);
	(void)((volatile char *)addr)[3 * PAGE_SIZE + 5];
	expect_one_report(&c);
	expect_text(&c, "BUG: KASAN: use-after-free in page_alloc_uaf+0x");
	expect_access(&c, false, 1, addr + 3 * PAGE_SIZE + 5);
}

/*
 * vmalloc maps whole pages, but only the bytes asked for are the caller's;
 * the rest of the page (and the guard page, and a freed area) is f8.
 * (The guard page itself would also fault after the report.)
 */
static void vmalloc_oob(struct ktest *t)
{
	size_t size = PAGE_SIZE / 2 - 13;
	struct kasan_case c;
	char *v;

	if (!kasan_begin(t, &c))
		return;
	v = vmalloc(size);
	KTEST_ASSERT_NOT_NULL(t, v);
	HIDE(v);
	((volatile char *)v)[size - 1] = 1;
	KTEST_EXPECT_EQ(t, kasan_report_count(), c.reports);
	(void)((volatile char *)v)[size];
	expect_one_report(&c);
	expect_text(&c, "BUG: KASAN: vmalloc-out-of-bounds in vmalloc_oob+0x");
	expect_access(&c, false, 1, v + size);
	expect_text(&c, "The buggy address belongs to the virtual mapping at\n");
	expect_text(&c, " vmalloc_oob+0x"); /* in the chain that created it */
	expect_region(&c, 0, "to the right of", "allocated", size, v);

	next_check(&c);
	((volatile char *)v)[PAGE_SIZE - 1] = 1;
	expect_one_report(&c);
	expect_text(&c, "BUG: KASAN: vmalloc-out-of-bounds in vmalloc_oob+0x");
	expect_text(&c, "f8 f8 f8 f8");
	vfree(v);
}

/* memset() checks its whole range: 2 bytes from the last one (kmalloc-128). */
static void kmalloc_oob_memset(struct ktest *t)
{
	struct kasan_case c;
	char *p;

	if (!kasan_begin(t, &c))
		return;
	p = kmalloc(123, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	HIDE(p);
	memset(p + 122, 0, 2);
	expect_one_report(&c);
	expect_text(&c, "BUG: KASAN: slab-out-of-bounds in kmalloc_oob_memset+0x");
	expect_access(&c, true, 2, p + 122);
	expect_region(&c, 122, "inside of", "allocated", 123, p);
	expect_text(&c, " which belongs to the cache kmalloc-128 of size 128\n");
	kfree(p);
}

/* memcpy() checks both ranges: the source read and the destination written. */
static void kmalloc_oob_memcpy(struct ktest *t)
{
	struct kasan_case c;
	char *src, *dst;

	if (!kasan_begin(t, &c))
		return;
	src = kmalloc(60, GFP_KERNEL);
	dst = kmalloc(64, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, src);
	KTEST_ASSERT_NOT_NULL(t, dst);
	memset(src, 1, 60);
	HIDE(src);
	memcpy(dst, src, 61);
	expect_one_report(&c);
	expect_text(&c, "BUG: KASAN: slab-out-of-bounds in kmalloc_oob_memcpy+0x");
	expect_access(&c, false, 61, src);
	expect_region(&c, 0, "inside of", "allocated", 60, src);

	next_check(&c);
	memcpy(src, dst, 64);
	expect_one_report(&c);
	expect_access(&c, true, 64, src);
	kfree(src);
	kfree(dst);
}

/* krealloc() in place: the new size is usable, nothing past it. */
static void krealloc_more_oob(struct ktest *t)
{
	struct kasan_case c;
	char *p, *q;

	if (!kasan_begin(t, &c))
		return;
	p = kmalloc(41, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	q = krealloc(p, 46, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, q == p); /* both in kmalloc-48 */
	HIDE(q);
	((volatile char *)q)[45] = 1;
	KTEST_EXPECT_EQ(t, kasan_report_count(), c.reports);
	((volatile char *)q)[46] = 1;
	expect_one_report(&c);
	expect_text(&c, "BUG: KASAN: slab-out-of-bounds in krealloc_more_oob+0x");
	expect_region(&c, 0, "to the right of", "allocated", 46, q);
	kfree(q);
}

/* GCC's stack instrumentation: red zones around a stack array. */
static void kasan_stack_oob(struct ktest *t)
{
	char stack_array[10];
	struct kasan_case c;
	char *p = stack_array;

	if (!kasan_begin(t, &c))
		return;
	HIDE(p);
	p[9] = 1;
	KTEST_EXPECT_EQ(t, kasan_report_count(), c.reports);
	(void)((volatile char *)p)[10];
	expect_one_report(&c);
	expect_text(&c, "BUG: KASAN: stack-out-of-bounds in kasan_stack_oob+0x");
	expect_access(&c, false, 1, p + 10);
	expect_text(&c, "The buggy address belongs to the stack of task swapper/");
	expect_text(&c, "f3");
}

/* asan-globals=1: a red zone after each global of an instrumented file. */
static char kasan_global_array[10];

static void kasan_global_oob(struct ktest *t)
{
	struct kasan_case c;
	char *p = kasan_global_array;

	if (!kasan_begin(t, &c))
		return;
	HIDE(p);
	p[9] = 1;
	KTEST_EXPECT_EQ(t, kasan_report_count(), c.reports);
	(void)((volatile char *)p)[10];
	expect_one_report(&c);
	expect_text(&c, "BUG: KASAN: global-out-of-bounds in kasan_global_oob+0x");
	expect_access(&c, false, 1, p + 10);
	expect_text(&c, "The buggy address belongs to the variable:\n kasan_global_array+0xa/");
	expect_text(&c, "f9");
}

static const struct ktest_case kasan_cases[] = {
	KTEST_CASE(kmalloc_oob_right),
	KTEST_CASE(kmalloc_oob_left),
	KTEST_CASE(kmem_cache_oob),
	KTEST_CASE(kmalloc_uaf),
	KTEST_CASE(quarantine_delays_reuse),
	KTEST_CASE(kmalloc_double_free),
	KTEST_CASE(kmem_cache_double_free),
	KTEST_CASE(kmalloc_large_oob_right),
	KTEST_CASE(kmalloc_large_uaf),
	KTEST_CASE(page_alloc_oob),
	KTEST_CASE(page_alloc_uaf),
	KTEST_CASE(vmalloc_oob),
	KTEST_CASE(kmalloc_oob_memset),
	KTEST_CASE(kmalloc_oob_memcpy),
	KTEST_CASE(krealloc_more_oob),
	KTEST_CASE(kasan_stack_oob),
	KTEST_CASE(kasan_global_oob),
};
KTEST_SUITE(kasan, kasan_cases, .default_off = true);

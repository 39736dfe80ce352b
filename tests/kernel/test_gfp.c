// SPDX-License-Identifier: MIT
/*
 * GFP flags that mean nothing, contradict each other, or ask a cache for a
 * zone it cannot give (mm/gfp_check.c): one "Unexpected gfp" report naming
 * the caller, and a defined result: bad bits stripped and the call goes on;
 * a zone modifier on kmem_cache_alloc() fails with NULL. Each case warms
 * the fast path first, so it also proves such calls leave it.
 */
#include "kernel/ktest.h"
#include "kmm/string.h"
#include "mm/gfp.h"
#include "mm/internal.h"
#include "mm/slab.h"
#include "mm/kasan.h"

#define GFP_UNKNOWN ((gfp_t)0x1000u) /* no GFP flag has this bit */

static bool all_zero(const unsigned char *p, unsigned long n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* Allocate and free once, so that the next call could take the fast path. */
static void warm_pages(unsigned int order)
{
	struct page *p = alloc_pages(GFP_KERNEL, order);

	if (p)
		__free_pages(p, order);
}

static void unknown_bits_stripped_pages(struct ktest *t)
{
	unsigned long free = nr_free_pages();
	struct page *p;
	unsigned long a;

	warm_pages(0);
	ktest_expect_report(t, "Unexpected gfp: 0x1000 (0x1000). Fixing up to gfp: 0 (none)");
	p = alloc_pages(GFP_KERNEL | GFP_UNKNOWN, 0);
	KTEST_ASSERT_NOT_NULL(t, p);
	__free_pages(p, 0);
	/* The fixed flags are used: __GFP_ZERO stays, the unknown bit goes. */
	ktest_expect_report(t, "Unexpected gfp: 0x8000 (0x8000). Fixing up to gfp: 0x8 (__GFP_ZERO)");
	a = __get_free_pages(__GFP_ZERO | 0x8000u, 1);
	KTEST_ASSERT_TRUE(t, a != 0);
	KTEST_EXPECT_TRUE(t, all_zero((const unsigned char *)a, 2 * PAGE_SIZE));
	free_pages(a, 1);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free);
}

static void dma_with_dma32_fixed(struct ktest *t)
{
	struct page *p;

	warm_pages(0);
	ktest_expect_report(t, "Unexpected gfp: 0x2 (__GFP_DMA32). Fixing up to gfp: 0x11 (__GFP_DMA|__GFP_NOWARN)");
	p = alloc_pages(__GFP_DMA | __GFP_DMA32 | __GFP_NOWARN, 0);
	if (!p) {
		/* An empty DMA zone (no memory below 16 MiB) is a normal failure. */
		KTEST_EXPECT_EQ(t, zones[ZONE_DMA].managed_pages, 0);
		return;
	}
	KTEST_EXPECT_TRUE(t, page_to_phys(p) < ZONE_DMA_END);
	__free_pages(p, 0);
}

static void unknown_bits_stripped_slab(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("gfp-bits", 64, 0, 0, NULL);
	void *o, *bulk[4];
	char *k;

	KTEST_ASSERT_NOT_NULL(t, s);
	kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL)); /* a warm magazine */
	ktest_expect_report(t, "Unexpected gfp: 0x200 (0x200). Fixing up to gfp: 0x10 (__GFP_NOWARN)");
	o = kmem_cache_alloc(s, __GFP_NOWARN | 0x200u);
	KTEST_ASSERT_NOT_NULL(t, o);
	kmem_cache_free(s, o);
	ktest_expect_report(t, "Unexpected gfp: 0x400 (0x400)");
	KTEST_EXPECT_EQ(t, kmem_cache_alloc_bulk(s, 0x400u, 4, bulk), 4);
	kmem_cache_free_bulk(s, 4, bulk);
	/* kmalloc's fast paths: a size known at compile time, and not. */
	kfree(kmalloc(64, GFP_KERNEL));
	ktest_expect_report(t, "Unexpected gfp: 0x1000 (0x1000)");
	k = kmalloc(64, GFP_KERNEL | GFP_UNKNOWN);
	KTEST_EXPECT_TRUE(t, k != NULL);
	kfree(k);
	ktest_expect_report(t, "Unexpected gfp: 0x1000 (0x1000)");
	k = kmalloc(*(volatile unsigned long *)&(unsigned long){ 100 }, GFP_UNKNOWN);
	KTEST_EXPECT_TRUE(t, k != NULL);
	kfree(k);
	/* A large kmalloc: the report names kmalloc's caller, once. */
	ktest_expect_report(t, "Unexpected gfp: 0x1000 (0x1000)");
	k = kmalloc(3 * PAGE_SIZE, GFP_UNKNOWN);
	KTEST_EXPECT_TRUE(t, k != NULL);
	kfree(k);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	kmem_cache_destroy(s);
}

/* No cache honours a zone modifier: NULL, never memory from another zone. */
static void zone_modifier_on_cache_refused(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("gfp-zone", 64, 0, 0, NULL);
	void *bulk[4];
	char *k;

	KTEST_ASSERT_NOT_NULL(t, s);
	kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL)); /* a warm magazine */
	ktest_expect_report(t, "Unexpected gfp: 0x1 (__GFP_DMA): cache gfp-zone cannot honour a zone modifier, returning NULL");
	KTEST_EXPECT_TRUE(t, kmem_cache_alloc(s, GFP_DMA) == NULL);
	ktest_expect_report(t, "Unexpected gfp: 0x2 (__GFP_DMA32): cache gfp-zone");
	KTEST_EXPECT_TRUE(t, kmem_cache_alloc(s, GFP_DMA32 | __GFP_NOWARN) == NULL);
	ktest_expect_report(t, "cache gfp-zone cannot honour a zone modifier");
	KTEST_EXPECT_TRUE(t, kmem_cache_zalloc(s, GFP_DMA) == NULL);
	ktest_expect_report(t, "cache gfp-zone cannot honour a zone modifier");
	KTEST_EXPECT_EQ(t, kmem_cache_alloc_bulk(s, GFP_DMA32, 4, bulk), 0);
	/* kmalloc(GFP_DMA) is honoured: it takes pages from the DMA zone. */
	if (zones[ZONE_DMA].managed_pages) {
		k = kmalloc(64, GFP_DMA | __GFP_NOWARN);
		if (k) {
			KTEST_EXPECT_TRUE(t, __pa(k) < ZONE_DMA_END);
			kfree(k);
		}
	}
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	kmem_cache_destroy(s);
}

static int gfp_init(void)
{
	return slab_is_available() ? 0 : -ENOSYS;
}

#define GFP_CASE(fn)                                                         \
	static void fn##_kasan_off(struct ktest *t)                          \
	{                                                                    \
		kasan_disable_current();                                     \
		fn(t);                                                       \
		kasan_enable_current();                                      \
	}
GFP_CASE(unknown_bits_stripped_pages)
GFP_CASE(dma_with_dma32_fixed)
GFP_CASE(unknown_bits_stripped_slab)
GFP_CASE(zone_modifier_on_cache_refused)

static const struct ktest_case gfp_cases[] = {
	{ "unknown_bits_stripped_pages", unknown_bits_stripped_pages_kasan_off },
	{ "dma_with_dma32_fixed", dma_with_dma32_fixed_kasan_off },
	{ "unknown_bits_stripped_slab", unknown_bits_stripped_slab_kasan_off },
	{ "zone_modifier_on_cache_refused", zone_modifier_on_cache_refused_kasan_off },
};
KTEST_SUITE(gfp, gfp_cases, .init = gfp_init);

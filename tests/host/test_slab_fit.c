// SPDX-License-Identifier: MIT
/*
 * What bounds the slab layer's footprint: kmalloc classes that fit their
 * slabs, slab classes up to 16 KiB, few objects per slab for big objects,
 * and depots whose size follows the object size. Each case starts a fresh
 * machine.
 */
#include <string.h>
#include "kernel/ktest.h"
#include "mm/slab.h"
#include "mm/slab_internal.h"
#include "host_mm.h"

static void fresh(void)
{
	host_mm_setup_default();
	slab_debug_setup("-");
	kmem_cache_init();
}

static struct kmem_cache *class_named(const char *name)
{
	for (unsigned int i = 1; i <= KMALLOC_NR_CLASSES; i++)
		if (!strcmp(kmalloc_caches[i]->name, name))
			return kmalloc_caches[i];
	return NULL;
}

/* Every class leaves at most 1/16 of its slab unused; big ones come few per slab. */
static void kmalloc_classes_fit_slabs(struct ktest *t)
{
	unsigned int i;

	fresh();
	for (i = 1; i <= KMALLOC_NR_CLASSES; i++) {
		struct kmem_cache *s = kmalloc_caches[i];
		unsigned long bytes = PAGE_SIZE << s->order;
		unsigned long tail = bytes - (unsigned long)s->objects * s->size;

		KTEST_EXPECT_EQ(t, s->object_size, kmalloc_class_size[i - 1]);
		KTEST_EXPECT_LE(t, s->order, SLAB_MAX_ORDER);
		if (tail * 16 > bytes) {
			KTEST_FAIL(t, "%s: %lu of %lu slab bytes unused", s->name, tail, bytes);
			return;
		}
		/* Above 1 KiB a smaller slab holding two would have been taken. */
		if (s->size > 1024 && s->order &&
		    (PAGE_SIZE << (s->order - 1)) / s->size >= 2) {
			unsigned long half = PAGE_SIZE << (s->order - 1);
			unsigned long n = half / s->size;

			KTEST_EXPECT_GT(t, (half - n * s->size) * 16, half);
		}
	}
	/* Linux's names and sizes stay. */
	KTEST_ASSERT_NOT_NULL(t, class_named("kmalloc-96"));
	KTEST_ASSERT_NOT_NULL(t, class_named("kmalloc-192"));
	KTEST_ASSERT_NOT_NULL(t, class_named("kmalloc-4k"));
	KTEST_ASSERT_NOT_NULL(t, class_named("kmalloc-8k"));
	KTEST_ASSERT_NOT_NULL(t, class_named("kmalloc-16k"));
	KTEST_EXPECT_EQ(t, class_named("kmalloc-16k")->object_size, 16384);
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
}

/* 8-16 KiB requests are slab objects (a 9 KiB jumbo frame wastes 1.5 %); above, pages. */
static void kmalloc_slab_up_to_16k(struct ktest *t)
{
	static const unsigned int sizes[] = { 8193, 9000, 9216, 12000, 13105, 16384 };
	unsigned long before;
	unsigned int i;
	void *p;

	fresh();
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		p = kmalloc(sizes[i], GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, p);
		KTEST_EXPECT_FALSE(t, page_test_flag(virt_to_page(p), PG_large_kmalloc));
		KTEST_EXPECT_TRUE(t, slab_lookup(p) != NULL);
		KTEST_EXPECT_GE(t, ksize(p), sizes[i]);
		KTEST_EXPECT_LE(t, (ksize(p) - sizes[i]) * 4, ksize(p));
		memset(p, 0x3c, sizes[i]);
		kfree(p);
	}
	p = kmalloc(9216, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, ksize(p), 9360);
	kfree(p);
	p = kmalloc(16384, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, (unsigned long)p & 16383, 0);
	kfree(p);

	before = nr_free_pages();
	p = kmalloc(KMALLOC_MAX_CACHE_SIZE + 1, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_TRUE(t, page_test_flag(virt_to_page(p), PG_large_kmalloc));
	KTEST_EXPECT_EQ(t, ksize(p), 32768);
	kfree(p);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
}

/* Alloc @n objects of @s, then free them all. */
static bool batch(struct kmem_cache *s, unsigned int n)
{
	static void *o[2048];
	unsigned int i;

	for (i = 0; i < n; i++) {
		o[i] = kmem_cache_alloc(s, GFP_KERNEL);
		if (!o[i])
			return false;
	}
	while (i--)
		kmem_cache_free(s, o[i]);
	return true;
}

/* Free pages with the allocator's own caches' spare slabs given back. */
static unsigned long settled_free(void)
{
	kmem_cache_shrink(&slab_magazine_cache);
	kmem_cache_shrink(&kmem_cache_boot);
	return nr_free_pages();
}

/*
 * Big objects: after a batch far larger than the magazines, the cache
 * holds at most its two CPU magazines and a depot of about 8 KiB (at least
 * one magazine); shrinking gives every page back.
 */
static void big_object_depot_bound(struct ktest *t)
{
	static const unsigned int sizes[] = { 200, 512, 1024, 3000, 4096, 9000 };
	unsigned int i;

	fresh();
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned long before = settled_free(), per_mag, held;
		struct kmem_cache *s = kmem_cache_create("fit-big", sizes[i], 0, 0, NULL);

		KTEST_ASSERT_NOT_NULL(t, s);
		per_mag = (unsigned long)s->mag_limit * s->size;
		KTEST_EXPECT_GE(t, s->depot_max_full, 1);
		if (s->depot_max_full > 1)
			KTEST_EXPECT_LE(t, s->depot_max_full * per_mag, 8192);
		KTEST_ASSERT_TRUE(t, batch(s, 600));
		KTEST_EXPECT_LE(t, s->nr_depot_full, s->depot_max_full);
		held = (unsigned long)(s->nr_depot_full + 2) * s->mag_limit;
		KTEST_EXPECT_LE(t, s->nr_slabs * s->objects - s->free_objects, held);
		KTEST_EXPECT_EQ(t, slab_check(s), 0);
		kmem_cache_destroy(s);
		KTEST_EXPECT_EQ(t, settled_free(), before);
	}
}

/*
 * Small objects keep their 64 KiB depot: 1000 kmalloc(64) and back never
 * leave the magazines (the slabs' free objects do not change).
 */
static void small_object_batch_stays_in_magazines(struct ktest *t)
{
	struct kmem_cache *s;
	unsigned long free_before;
	void *o[1000];
	unsigned int i;

	fresh();
	s = kmalloc_size_cache[(64 - 1) / 8];
	KTEST_EXPECT_GE(t, (s->depot_max_full + 2) * s->mag_limit, 1000);
	for (i = 0; i < 1000; i++)
		KTEST_ASSERT_NOT_NULL(t, (o[i] = kmalloc(64, GFP_KERNEL)));
	for (i = 0; i < 1000; i++)
		kfree(o[i]);
	/* Warm: the second round must not touch the slabs. */
	free_before = s->free_objects;
	for (i = 0; i < 1000; i++)
		KTEST_ASSERT_NOT_NULL(t, (o[i] = kmalloc(64, GFP_KERNEL)));
	KTEST_EXPECT_EQ(t, s->free_objects, free_before);
	for (i = 0; i < 1000; i++)
		kfree(o[i]);
	KTEST_EXPECT_EQ(t, s->free_objects, free_before);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
}

/*
 * A depot never holds more magazines, full and empty together, than its
 * bound of full ones (one CPU, no contention): an empty magazine is only
 * ever made when the depot has none and room for one more full.
 */
static void depot_magazines_bounded(struct ktest *t)
{
	static const unsigned int sizes[] = { 64, 256, 2048 };
	static const unsigned int runs[] = { 1000, 30, 700, 5, 1500, 90, 400 };
	unsigned int i, r;

	fresh();
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct kmem_cache *s = kmem_cache_create("fit-depot", sizes[i], 0, 0, NULL);

		KTEST_ASSERT_NOT_NULL(t, s);
		for (r = 0; r < ARRAY_SIZE(runs); r++) {
			KTEST_ASSERT_TRUE(t, batch(s, runs[r]));
			if (s->nr_depot_full + s->nr_depot_empty > s->depot_max_full) {
				KTEST_FAIL(t, "%u-byte objects, run %u: %u full + %u empty > %u",
					   sizes[i], runs[r], s->nr_depot_full,
					   s->nr_depot_empty, s->depot_max_full);
				return;
			}
		}
		KTEST_EXPECT_EQ(t, slab_check(s), 0);
		kmem_cache_destroy(s);
	}
}

static const struct ktest_case slab_fit_cases[] = {
	KTEST_CASE(kmalloc_classes_fit_slabs),
	KTEST_CASE(kmalloc_slab_up_to_16k),
	KTEST_CASE(big_object_depot_bound),
	KTEST_CASE(small_object_batch_stays_in_magazines),
	KTEST_CASE(depot_magazines_bounded),
};

KTEST_SUITE(slab_fit, slab_fit_cases);

// SPDX-License-Identifier: MIT
/*
 * The slab allocator and kmalloc on a fake machine: size classes, the API
 * contract, constructors, shrinking, hardening, every reported misuse, the
 * debug checks with exact error counts (in the spirit of Linux's
 * slub_kunit), slab_debug= parsing and /proc/slabinfo output.
 *
 * Every case starts a fresh machine (host_mm_setup_default + kmem_cache_init),
 * so no case depends on another's leftovers.
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
	slab_freelist_random = true;
	kmem_cache_init();
}

static bool aligned(const void *p, unsigned long a)
{
	return ((unsigned long)p & (a - 1)) == 0;
}

/* ---- size classes ------------------------------------------------------- */

static void size_class_bounds(struct ktest *t)
{
	unsigned int size, prev = 0, i;

	fresh();
	for (i = 0; i < KMALLOC_NR_CLASSES; i++) {
		KTEST_EXPECT_GT(t, kmalloc_class_size[i], prev);
		KTEST_EXPECT_EQ(t, kmalloc_class_size[i] % 8, 0);
		prev = kmalloc_class_size[i];
	}
	KTEST_EXPECT_EQ(t, prev, KMALLOC_MAX_CACHE_SIZE);
	for (size = 1; size <= KMALLOC_MAX_CACHE_SIZE; size++) {
		struct kmem_cache *s = kmalloc_caches[kmalloc_size_index[(size + 7) >> 3]];
		unsigned long slab = PAGE_SIZE << s->order;
		unsigned int c = s->object_size;
		void *p;

		/* Above 8 KiB the classes are 64 KiB / n: a quarter of the class at most. */
		if (c < size || (size < 128 && c - size >= 8) ||
		    (size >= 128 && size <= 8192 && (c - size) * 8 > size) ||
		    (size > 8192 && (c - size) * 4 > c)) {
			KTEST_FAIL(t, "request %u -> class %u: too small or wasteful", size, c);
			return;
		}
		/* The smallest class that fits: the one below is too small. */
		if (s != kmalloc_caches[1] && kmalloc_caches[kmalloc_size_index[(size + 7) >> 3] - 1]->object_size >= size) {
			KTEST_FAIL(t, "request %u -> class %u, but a smaller class fits", size, c);
			return;
		}
		if ((slab - (unsigned long)s->objects * s->size) * 8 > slab) {
			KTEST_FAIL(t, "class %u: slab tail waste above 12.5%%", c);
			return;
		}
		p = kmalloc(size, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, p);
		KTEST_EXPECT_GE(t, ksize(p), size);
		if (!aligned(p, 8) || (!(size & (size - 1)) && !aligned(p, size))) {
			KTEST_FAIL(t, "kmalloc(%u) = %p misaligned", size, p);
			kfree(p);
			return;
		}
		memset(p, 0x77, size);
		kfree(p);
	}
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
}

/* ---- kmalloc contract --------------------------------------------------- */

static void kmalloc_zero_and_null(struct ktest *t)
{
	unsigned long mark;

	fresh();
	mark = ktest_console_mark();
	KTEST_EXPECT_TRUE(t, kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	KTEST_EXPECT_TRUE(t, kzalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	KTEST_EXPECT_TRUE(t, kcalloc(0, 8, GFP_KERNEL) == ZERO_SIZE_PTR);
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);
	KTEST_EXPECT_EQ(t, ksize(ZERO_SIZE_PTR), 0);
	KTEST_EXPECT_EQ(t, ksize(NULL), 0);
	KTEST_EXPECT_FALSE(t, ktest_console_contains(mark, "BUG"));
}

static void kmalloc_zeroing_and_calloc(struct ktest *t)
{
	unsigned char *p;
	unsigned int i;
	bool zero = true;

	fresh();
	/* Dirty an object, free it, and ask for zeroed memory of that class. */
	p = kmalloc(200, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	memset(p, 0xff, 200);
	kfree(p);
	p = kzalloc(200, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	for (i = 0; i < 200; i++)
		zero &= p[i] == 0;
	KTEST_EXPECT_TRUE(t, zero);
	kfree(p);

	p = kcalloc(10, 30, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_GE(t, ksize(p), 300);
	for (i = 0, zero = true; i < 300; i++)
		zero &= p[i] == 0;
	KTEST_EXPECT_TRUE(t, zero);
	kfree(p);
	KTEST_EXPECT_TRUE(t, kcalloc(SIZE_MAX / 2, 3, GFP_KERNEL) == NULL);
	KTEST_EXPECT_TRUE(t, kcalloc(3, SIZE_MAX / 2, GFP_KERNEL) == NULL);
}

static void krealloc_keeps_contents(struct ktest *t)
{
	unsigned char *p, *q;
	unsigned int i;
	bool same = true;

	fresh();
	p = kmalloc(40, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	for (i = 0; i < 40; i++)
		p[i] = (unsigned char)i;
	q = krealloc(p, 33, GFP_KERNEL); /* shrinking stays in place */
	KTEST_EXPECT_TRUE(t, q == p);
	q = krealloc(p, 3000, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, q);
	for (i = 0; i < 40; i++)
		same &= q[i] == i;
	KTEST_EXPECT_TRUE(t, same);
	KTEST_EXPECT_GE(t, ksize(q), 3000);
	p = krealloc(q, 100000, GFP_KERNEL); /* into the page allocator */
	KTEST_ASSERT_NOT_NULL(t, p);
	for (i = 0, same = true; i < 40; i++)
		same &= p[i] == i;
	KTEST_EXPECT_TRUE(t, same);
	KTEST_EXPECT_TRUE(t, krealloc(p, 0, GFP_KERNEL) == ZERO_SIZE_PTR);
	p = krealloc(NULL, 16, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	kfree(p);
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
}

static void kmalloc_large_uses_pages(struct ktest *t)
{
	unsigned long before, mark;
	struct page *pg;
	void *p;

	fresh();
	before = nr_free_pages();
	p = kmalloc(100000, GFP_KERNEL); /* 25 pages -> order 5 */
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_TRUE(t, aligned(p, PAGE_SIZE));
	pg = virt_to_page(p);
	KTEST_EXPECT_TRUE(t, page_test_flag(pg, PG_large_kmalloc));
	KTEST_EXPECT_EQ(t, pg->private, 5);
	KTEST_EXPECT_EQ(t, ksize(p), 32 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before - 32);
	memset(p, 1, 100000);
	kfree(p);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);

	/* 4 MiB is the largest; one byte more is refused with one warning. */
	p = kmalloc(4UL << 20, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, p != NULL);
	kfree(p);
	mark = ktest_console_mark();
	ktest_expect_report(t, "more than the largest allocation");
	KTEST_EXPECT_TRUE(t, kmalloc((4UL << 20) + 1, GFP_KERNEL) == NULL);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "kmalloc:"), 1);
	mark = ktest_console_mark();
	KTEST_EXPECT_TRUE(t, kmalloc(1UL << 40, GFP_KERNEL | __GFP_NOWARN) == NULL);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "kmalloc:"), 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
}

static void kmalloc_dma_zone(struct ktest *t)
{
	void *p;

	fresh();
	p = kmalloc(100, GFP_DMA);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_LT(t, __pa(p), ZONE_DMA_END);
	kfree(p);
}

/* ---- caches -------------------------------------------------------------- */

static unsigned int ctor_calls;

static void ctor_fill(void *obj)
{
	ctor_calls++;
	memset(obj, 0x3c, 48);
}

static void ctor_runs_once_per_object(struct ktest *t)
{
	struct kmem_cache *s;
	void *objs[100];
	unsigned int i, per_slab;
	bool intact = true;

	fresh();
	ctor_calls = 0;
	s = kmem_cache_create("ctor-test", 48, 0, 0, ctor_fill);
	KTEST_ASSERT_NOT_NULL(t, s);
	per_slab = s->objects;
	KTEST_EXPECT_EQ(t, ctor_calls, 0);
	objs[0] = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, objs[0]);
	KTEST_EXPECT_EQ(t, ctor_calls, per_slab); /* one slab built */
	kmem_cache_free(s, objs[0]);
	for (i = 0; i < 1000; i++) {
		void *o = kmem_cache_alloc(s, GFP_KERNEL);

		intact &= ((unsigned char *)o)[0] == 0x3c && ((unsigned char *)o)[47] == 0x3c;
		kmem_cache_free(s, o);
	}
	KTEST_EXPECT_TRUE(t, intact);
	KTEST_EXPECT_EQ(t, ctor_calls, per_slab);
	for (i = 0; i < 100; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_EXPECT_EQ(t, ctor_calls, DIV_ROUND_UP(100, per_slab) * per_slab);
	for (i = 0; i < 100; i++)
		kmem_cache_free(s, objs[i]);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	kmem_cache_destroy(s);
}

static void cache_alignment(struct ktest *t)
{
	static const struct { unsigned int size, align, flags, expect; } cfg[] = {
		{ 1, 0, 0, 8 }, { 13, 0, 0, 8 }, { 100, 64, 0, 64 },
		{ 24, 0, SLAB_HWCACHE_ALIGN, 32 }, { 100, 0, SLAB_HWCACHE_ALIGN, 64 },
		{ 300, 256, SLAB_RED_ZONE, 256 }, { 40, 16, SLAB_POISON | SLAB_STORE_USER, 16 },
		{ 5000, 4096, 0, 4096 },
	};
	unsigned int i, j;

	fresh();
	for (i = 0; i < ARRAY_SIZE(cfg); i++) {
		struct kmem_cache *s = kmem_cache_create("align", cfg[i].size,
							 cfg[i].align, cfg[i].flags, NULL);
		void *o[20];

		KTEST_ASSERT_NOT_NULL(t, s);
		for (j = 0; j < 20; j++) {
			o[j] = kmem_cache_alloc(s, GFP_KERNEL);
			KTEST_ASSERT_NOT_NULL(t, o[j]);
			if (!aligned(o[j], cfg[i].expect))
				KTEST_FAIL(t, "size %u align %u: %p", cfg[i].size,
					   cfg[i].align, o[j]);
			memset(o[j], 0x11, cfg[i].size);
		}
		for (j = 0; j < 20; j++)
			kmem_cache_free(s, o[j]);
		KTEST_EXPECT_EQ(t, slab_check(s), 0);
		kmem_cache_destroy(s);
	}
	KTEST_EXPECT_TRUE(t, kmem_cache_create("bad", 0, 0, 0, NULL) == NULL);
	KTEST_EXPECT_TRUE(t, kmem_cache_create("bad", 64, 24, 0, NULL) == NULL);
	KTEST_EXPECT_TRUE(t, kmem_cache_create("bad", 1 << 20, 0, 0, NULL) == NULL);
}

static void bulk_and_zalloc(struct ktest *t)
{
	struct kmem_cache *s;
	void *p[200];
	unsigned int i;
	bool zero = true;

	fresh();
	s = kmem_cache_create("bulk", 72, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, s);
	KTEST_ASSERT_EQ(t, kmem_cache_alloc_bulk(s, GFP_KERNEL, 200, p), 200);
	for (i = 0; i < 200; i++)
		memset(p[i], 0xee, 72);
	kmem_cache_free_bulk(s, 200, p);
	p[0] = kmem_cache_zalloc(s, GFP_KERNEL);
	for (i = 0; i < 72; i++)
		zero &= ((unsigned char *)p[0])[i] == 0;
	KTEST_EXPECT_TRUE(t, zero);
	kmem_cache_free(s, p[0]);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	kmem_cache_destroy(s);
}

static void shrink_returns_pages(struct ktest *t)
{
	struct kmem_cache *s;
	static void *p[5000];
	unsigned long before;
	unsigned int i;

	fresh();
	s = kmem_cache_create("shrink", 200, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, s);
	/* Warm up: this CPU's magazine exists before counting pages. */
	kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL));
	kmem_cache_shrink(s);
	before = nr_free_pages();
	for (i = 0; i < 5000; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_EXPECT_LT(t, nr_free_pages(), before - 200);
	for (i = 0; i < 5000; i++)
		kmem_cache_free(s, p[i]);
	/* Freeing returned all but the reserve and what magazines pin. */
	KTEST_EXPECT_GE(t, nr_free_pages() + (s->mag_limit + SLAB_MIN_EMPTY) *
			(1UL << s->order), before);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	KTEST_EXPECT_GE(t, kmem_cache_shrink(s), 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
	KTEST_EXPECT_EQ(t, s->nr_slabs, 0);
	kmem_cache_destroy(s);
}

static void destroy_reports_live_objects(struct ktest *t)
{
	struct kmem_cache *s;
	unsigned long mark;
	char line[64];
	void *a, *b, *c;

	fresh();
	s = kmem_cache_create("leaky", 64, 0, SLAB_STORE_USER, NULL);
	KTEST_ASSERT_NOT_NULL(t, s);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	c = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, b);
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG leaky: Objects remaining on kmem_cache_destroy: 2");
	kmem_cache_destroy(s);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
			  "BUG leaky: Objects remaining on kmem_cache_destroy: 2"));
	snprintf(line, sizeof(line), "Object 0x%lx still allocated", (unsigned long)a);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, line));
	snprintf(line, sizeof(line), "Object 0x%lx still allocated", (unsigned long)c);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, line));
	KTEST_EXPECT_EQ(t, host_console_count(mark, "still allocated"), 2);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "Allocated by"));
	/* A leaked object freed later is refused, not corrupting anything. */
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG destroyed-cache:");
	kfree(a);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "BUG destroyed-cache:"));
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
}

/* ---- hardening ------------------------------------------------------------ */

static void freelist_is_encoded_and_random(struct ktest *t)
{
	struct kmem_cache *s;
	void *o[64], *next;
	unsigned long raw;
	unsigned int i, n, in_order;
	struct page *head;

	fresh();
	/* No magazine (F): objects come straight off the slab free list. */
	s = kmem_cache_create("order", 64, 0, SLAB_CONSISTENCY_CHECKS, NULL);
	KTEST_ASSERT_NOT_NULL(t, s);
	o[0] = kmem_cache_alloc(s, GFP_KERNEL);
	head = virt_to_page(o[0]);
	next = head->freelist;
	raw = *(unsigned long *)slab_fp_addr(s, next);
	KTEST_EXPECT_NE(t, raw, (unsigned long)slab_get_fp_raw(s, next));
	n = s->objects; /* one slab's worth */
	for (i = 1; i < n; i++)
		o[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (i = 1, in_order = 0; i < n; i++)
		in_order += o[i] == (char *)o[i - 1] + s->size;
	KTEST_EXPECT_LT(t, in_order, n - 2);
	for (i = 0; i < n; i++)
		kmem_cache_free(s, o[i]);
	kmem_cache_destroy(s);

	slab_freelist_random = false;
	s = kmem_cache_create("order", 64, 0, SLAB_CONSISTENCY_CHECKS, NULL);
	KTEST_ASSERT_NOT_NULL(t, s);
	n = s->objects;
	for (i = 0; i < n; i++)
		o[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (i = 1, in_order = 0; i < n; i++)
		in_order += o[i] == (char *)o[i - 1] + s->size;
	KTEST_EXPECT_EQ(t, in_order, n - 1);
	for (i = 0; i < n; i++)
		kmem_cache_free(s, o[i]);
	kmem_cache_destroy(s);
	slab_freelist_random = true;
}

/* ---- misuse without debug flags --------------------------------------- */

static void misuse_reported_and_survived(struct ktest *t)
{
	struct kmem_cache *s, *other;
	unsigned long mark, stack_word = 0;
	void *a, *b;

	fresh();
	s = kmem_cache_create("victim", 96, 0, 0, NULL);
	other = kmem_cache_create("other", 96, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, s);
	KTEST_ASSERT_NOT_NULL(t, other);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(other, GFP_KERNEL);

	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG victim: Object already free");
	kmem_cache_free(s, a);
	kmem_cache_free(s, a);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "BUG victim: Object already free"), 1);

	mark = ktest_console_mark();
	a = kmem_cache_alloc(s, GFP_KERNEL);
	ktest_expect_report(t, "BUG victim: Invalid pointer (not at an object start)");
	kmem_cache_free(s, (char *)a + 8);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
			  "BUG victim: Invalid pointer (not at an object start)"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "offset 8 caller"));

	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG victim: Pointer not in any slab");
	kmem_cache_free(s, &stack_word);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "BUG victim: Pointer not in any slab"));

	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG victim: Wrong cache: object belongs to other");
	kmem_cache_free(s, b);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
			  "BUG victim: Wrong cache: object belongs to other"));

	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG kmalloc: Pointer not in any slab or large kmalloc");
	kfree(&stack_word);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
			  "BUG kmalloc: Pointer not in any slab or large kmalloc"));

	mark = ktest_console_mark();
	{
		char *big = kmalloc(20000, GFP_KERNEL);

		KTEST_ASSERT_NOT_NULL(t, big);
		ktest_expect_report(t, "not at the start of a large kmalloc");
		kfree(big + PAGE_SIZE);
		KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
				  "not at the start of a large kmalloc"));
		/* In the head page, which kfree's shortcut for large ones reads. */
		mark = ktest_console_mark();
		ktest_expect_report(t, "not at the start of a large kmalloc");
		kfree(big + 8);
		KTEST_EXPECT_EQ(t, host_console_count(mark, "not at the start of a large kmalloc"), 1);
		kfree(big);
	}

	/* Every refused free left both caches whole and usable. */
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	KTEST_EXPECT_EQ(t, slab_check(other), 0);
	kmem_cache_free(s, a);
	kmem_cache_free(other, b);
	KTEST_EXPECT_EQ(t, kmem_cache_shrink(s) >= 0, 1);
	KTEST_EXPECT_EQ(t, s->nr_slabs, 0);
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
	kmem_cache_destroy(s);
	kmem_cache_destroy(other);
}

/* A multiple of the size past the last object is the slab's tail, no object. */
static void free_into_slab_tail_refused(struct ktest *t)
{
	struct kmem_cache *s, *mine;
	unsigned long mark, used;
	char *a, *tail;
	void *o[2 * SLAB_MAG_MAX];
	unsigned int i, n;
	bool returned = false;

	fresh();
	a = kmalloc(96, GFP_KERNEL); /* this CPU's magazine now exists */
	KTEST_ASSERT_NOT_NULL(t, a);
	s = slab_lookup(a)->slab_cache;
	used = (unsigned long)s->objects * s->size;
	KTEST_ASSERT_TRUE(t, used < PAGE_SIZE << s->order); /* 42 objects, 64 bytes left */
	tail = (char *)slab_base(slab_lookup(a)) + used;
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG kmalloc-96: Invalid pointer (in the slab's unused tail)");
	kfree(tail);
	KTEST_EXPECT_EQ(t, host_console_count(mark,
			"BUG kmalloc-96: Invalid pointer (in the slab's unused tail)"), 1);
	n = 2 * s->mag_limit;
	for (i = 0; i < n; i++) {
		o[i] = kmalloc(96, GFP_KERNEL);
		returned |= o[i] == tail;
	}
	KTEST_EXPECT_FALSE(t, returned);
	for (i = 0; i < n; i++)
		kfree(o[i]);

	/* The same through kmem_cache_free on a cache of that geometry. */
	mine = kmem_cache_create("tail", 96, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, mine);
	kmem_cache_free(mine, kmem_cache_alloc(mine, GFP_KERNEL));
	a = kmem_cache_alloc(mine, GFP_KERNEL);
	tail = (char *)slab_base(slab_lookup(a)) + used;
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG tail: Invalid pointer (in the slab's unused tail)");
	kmem_cache_free(mine, tail);
	KTEST_EXPECT_EQ(t, host_console_count(mark,
			"BUG tail: Invalid pointer (in the slab's unused tail)"), 1);
	KTEST_EXPECT_EQ(t, slab_check(mine), 0);
	kmem_cache_free(mine, a);
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
	kmem_cache_destroy(mine);
}

/* The fast paths' one-multiply object check agrees with division, tail included. */
static void object_check_matches_division(struct ktest *t)
{
	static struct kmem_cache c;
	unsigned long off, bytes, wrong = 0;
	unsigned int size;

	fresh();
	for (size = 8; size <= 64 * 1024; size += size < 4096 ? 8 : 1000) {
		if (slab_cache_setup(&c, "div", size, 0, 0, NULL))
			continue;
		bytes = PAGE_SIZE << c.order;
		for (off = 0; off < bytes; off++)
			wrong += slab_obj_offset(&c, off) !=
				 (off % c.size == 0 && off / c.size < c.objects);
		if (wrong) {
			KTEST_FAIL(t, "size %u: %lu offsets misjudged", size, wrong);
			return;
		}
	}
}

/*
 * kfree/kmem_cache_free of an address in a memory hole (below
 * max_pfn_mapped, no struct page there) is reported, not dereferenced.
 */
static void free_of_hole_address_reported(struct ktest *t)
{
	const phys_addr_t hole = 0x10000000; /* between DMA32 RAM and 4 GiB */
	struct kmem_cache *s;
	unsigned long mark;

	fresh();
	KTEST_ASSERT_TRUE(t, PHYS_PFN(hole) < max_pfn_mapped);
	KTEST_ASSERT_TRUE(t, !pfn_valid(PHYS_PFN(hole)));
	s = kmem_cache_create("holey", 64, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, s);
	kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL)); /* magazine in use */
	kfree(kmalloc(64, GFP_KERNEL));

	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG kmalloc: Pointer not in any slab or large kmalloc");
	kfree(__va(hole));
	KTEST_EXPECT_EQ(t, host_console_count(mark,
			"BUG kmalloc: Pointer not in any slab or large kmalloc"), 1);
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG holey: Pointer not in any slab");
	kmem_cache_free(s, __va(hole + 64));
	KTEST_EXPECT_EQ(t, host_console_count(mark, "BUG holey: Pointer not in any slab"), 1);
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG kmalloc:");
	ktest_expect_report(t, "BUG kmalloc:");
	KTEST_EXPECT_EQ(t, ksize(__va(hole)), 0);
	KTEST_EXPECT_TRUE(t, krealloc(__va(hole), 10, GFP_KERNEL) == NULL);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "BUG kmalloc:"), 2);
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
	kmem_cache_destroy(s);
}

/* A stale pointer to a destroyed cache: every call reports, none crashes. */
static void use_after_destroy_reported(struct ktest *t)
{
	struct kmem_cache *s;
	unsigned long mark;
	void *o, *k;

	fresh();
	s = kmem_cache_create("gone", 64, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, s);
	/* Magazines in use on two CPUs. */
	kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL));
	host_set_cpu(1);
	kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL));
	host_set_cpu(0);
	o = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, o);
	kmem_cache_destroy(s);

	mark = ktest_console_mark();
	ktest_expect_report(t, "allocation from gone (not initialised or destroyed)");
	ktest_expect_report(t, "allocation from gone (not initialised or destroyed)");
	ktest_expect_report(t, "allocation from gone (not initialised or destroyed)");
	KTEST_EXPECT_TRUE(t, kmem_cache_alloc(s, GFP_KERNEL) == NULL);
	KTEST_EXPECT_TRUE(t, kmem_cache_zalloc(s, GFP_KERNEL) == NULL);
	host_set_cpu(1);
	KTEST_EXPECT_TRUE(t, kmem_cache_alloc(s, GFP_KERNEL) == NULL);
	host_set_cpu(0);
	KTEST_EXPECT_EQ(t, host_console_count(mark,
			"allocation from gone (not initialised or destroyed)"), 3);
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG gone:");
	ktest_expect_report(t, "BUG gone:");
	kmem_cache_free(s, o);
	k = kmalloc(64, GFP_KERNEL);
	kmem_cache_free(s, k);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "BUG gone:"), 2);
	kfree(k);
	mark = ktest_console_mark();
	KTEST_EXPECT_EQ(t, kmem_cache_shrink(s), 0);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	ktest_expect_report(t, "refusing to destroy gone");
	kmem_cache_destroy(s);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "refusing to destroy gone"));
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
}

/* Are the @n pointers in @p all different? */
static bool all_distinct(void **p, unsigned int n)
{
	unsigned int i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (p[i] == p[j])
				return false;
	return true;
}

/*
 * An older object freed twice passes the magazine's top-of-stack compare;
 * slab_check() finds the second copy before any drain (and drops it), on
 * one CPU or across two. A live object keeps the slab from going empty.
 */
/* Put @obj into CPU @cpu's magazine of @s as a free would, bypassing its checks. */
static void plant_in_magazine(struct kmem_cache *s, unsigned int cpu, void *obj)
{
	struct slab_magazine *m = s->mag[cpu];

	*(unsigned long *)slab_fp_addr(s, obj) = m->cookie;
	m->slot[++m->avail] = obj;
	slab_mag_forget_last(m);
}

/*
 * Double frees are refused at the free, before the object can be handed
 * out twice (issue 12, finding 6): behind another free, on another CPU,
 * after the first copy went back to its slab, and through kfree.
 */
/*
 * The free fast path sends an object whose free-pointer word decodes to
 * NULL or into its own slab to the slow path (it may be on the free list);
 * there an allocated object whose user data decodes so but not onto the
 * free list (the slab's unused tail, a non-object offset) is freed like any
 * other: no report, back in circulation.
 */
static void word_decoding_into_slab_frees_cleanly(struct ktest *t)
{
	struct kmem_cache *s;
	unsigned long where, targets[3];
	unsigned int i, j, n;
	void *a, *o[80];
	bool seen;

	fresh();
	s = kmem_cache_create("fp-near", 96, 0, SLAB_NO_RANDOM, NULL);
	KTEST_ASSERT_NOT_NULL(t, s);
	n = s->objects;
	KTEST_ASSERT_LE(t, n + 1, ARRAY_SIZE(o));
	for (i = 0; i < 3; i++) {
		a = kmem_cache_alloc(s, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, a);
		where = (unsigned long)a + s->fp_offset;
		/* Inside the object, in the slab's tail, NULL: none an object start. */
		targets[0] = (unsigned long)a + 8;
		targets[1] = ((unsigned long)a & ~s->slab_mask) + s->used;
		targets[2] = 0;
		*(unsigned long *)where = targets[i] ^ s->secret ^ __builtin_bswap64(where);
		kmem_cache_free(s, a);
		/* It comes back, once. */
		for (j = 0, seen = false; j < n + 1; j++) {
			o[j] = kmem_cache_alloc(s, GFP_KERNEL);
			KTEST_ASSERT_NOT_NULL(t, o[j]);
			seen |= o[j] == a;
		}
		KTEST_EXPECT_TRUE(t, seen);
		KTEST_EXPECT_TRUE(t, all_distinct(o, n + 1));
		for (j = 0; j < n + 1; j++)
			kmem_cache_free(s, o[j]);
		KTEST_EXPECT_EQ(t, slab_check(s), 0);
	}
	kmem_cache_destroy(s);
}

/*
 * Every page of a slab after its head says PG_slab_tail and names the
 * cache, so kfree takes its checked fast path for objects there too: a
 * double free behind another free is refused at the free, as in a head
 * page. The flag goes with the slab.
 */
/*
 * A double free of a large kmalloc whose pages the cache of caches took
 * meanwhile (a live struct kmem_cache at the freed address; the fuzzer
 * found it once numa-slab's per-node lists made struct kmem_cache slabs
 * order 2, a large kmalloc's order) used to free that live struct
 * silently. No kfree() of the allocator's own objects (struct kmem_cache,
 * magazines) is legitimate: it is reported and refused.
 */
static void kfree_of_allocator_object_refused(struct ktest *t)
{
	struct kmem_cache *s, *other[16];
	struct slab_magazine *m;
	unsigned long mark;
	unsigned int i, n = 0;
	void *p, *q;

	fresh();
	s = kmem_cache_create("victim", 64, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, s);
	q = kmem_cache_alloc(s, GFP_KERNEL); /* gives this CPU a magazine */
	KTEST_ASSERT_NOT_NULL(t, q);
	m = s->mag[mm_cpu_id()];
	KTEST_ASSERT_TRUE(t, m != &slab_empty_mag);

	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG kmem_cache: Not a kmalloc object");
	kfree(s);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "BUG kmem_cache: Not a kmalloc object"));
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG slab_magazine: Not a kmalloc object");
	kfree(m);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "BUG slab_magazine: Not a kmalloc object"));
	/* Both are still in use, unharmed. */
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
	kmem_cache_free(s, q);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, q != NULL);
	kmem_cache_free(s, q);
	kmem_cache_destroy(s);

	/* The fuzzer's case: a freed large kmalloc reused by the cache of caches. */
	p = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	kfree(p);
	for (i = 0; i < ARRAY_SIZE(other); i++) {
		other[n] = kmem_cache_create("reuse", 32, 0, 0, NULL);
		if (!other[n])
			continue;
		if ((void *)other[n++] == p)
			break;
	}
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG");
	kfree(p); /* whatever p is now, nothing live of the allocator's is freed */
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "BUG"));
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
	for (i = 0; i < n; i++)
		kmem_cache_destroy(other[i]);
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
}

static void tail_page_objects(struct ktest *t)
{
	struct page *tails[8];
	unsigned int i, n = 0, nt = 0;
	struct kmem_cache *s;
	void *o[64], *a = NULL, *b = NULL;

	fresh();
	s = kmem_cache_create("tail-pages", 1024, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, s);
	KTEST_ASSERT_GE(t, s->order, 1);
	for (n = 0; n < s->objects && n < ARRAY_SIZE(o); n++) {
		struct page *pg;

		o[n] = kmem_cache_alloc(s, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, o[n]);
		pg = virt_to_page(o[n]);
		if (PageSlab(pg))
			continue;
		KTEST_EXPECT_TRUE(t, page_test_flag(pg, PG_slab_tail));
		KTEST_EXPECT_TRUE(t, pg->slab_cache == s);
		if (nt < ARRAY_SIZE(tails))
			tails[nt++] = pg;
		if (!a)
			a = o[n];
		else if (!b)
			b = o[n];
	}
	KTEST_ASSERT_TRUE(t, a && b);
	for (i = 0; i < n; i++)
		if (o[i] != a && o[i] != b)
			kfree(o[i]);
	kfree(a);
	kfree(b);
	ktest_expect_report(t, "BUG tail-pages: Object already free");
	kfree(a);
	o[0] = kmem_cache_alloc(s, GFP_KERNEL);
	o[1] = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, o[0] && o[1] && o[0] != o[1]);
	kfree(o[0]);
	kfree(o[1]);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	kmem_cache_destroy(s);
	for (i = 0; i < nt; i++)
		KTEST_EXPECT_FALSE(t, page_test_flag(tails[i], PG_slab_tail));
}

static void double_free_refused_at_free(struct ktest *t)
{
	struct kmem_cache *s;
	void *keep, *a, *b, *o[80];
	unsigned int i, n;
	char *k1, *k2;

	fresh();
	s = kmem_cache_create("mag-df", 64, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, s);
	keep = kmem_cache_alloc(s, GFP_KERNEL);
	n = s->objects + 8;
	KTEST_ASSERT_LE(t, n, ARRAY_SIZE(o));

	/* free(a); free(b); free(a) */
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	ktest_expect_report(t, "BUG mag-df: Object already free");
	kmem_cache_free(s, a);
	for (i = 0; i < n; i++)
		o[i] = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, all_distinct(o, n));
	for (i = 0; i < n; i++)
		kmem_cache_free(s, o[i]);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);

	/* The second free on another CPU. */
	a = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, a);
	host_set_cpu(1);
	ktest_expect_report(t, "BUG mag-df: Object already free");
	kmem_cache_free(s, a);
	host_set_cpu(0);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);

	/* Allocated on CPU 1 (its magazine's last), freed here, then there. */
	host_set_cpu(1);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	host_set_cpu(0);
	kmem_cache_free(s, a);
	host_set_cpu(1);
	ktest_expect_report(t, "BUG mag-df: Object already free");
	kmem_cache_free(s, a);
	host_set_cpu(0);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);

	/* Freed again after its first copy went back to the slab's free list. */
	a = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, a);
	slab_drain_all_magazines(s);
	ktest_expect_report(t, "BUG mag-df: Object already free");
	kmem_cache_free(s, a);
	for (i = 0; i < n; i++)
		o[i] = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, all_distinct(o, n));
	for (i = 0; i < n; i++)
		kmem_cache_free(s, o[i]);

	/* kfree, behind another kfree, and the kmalloc hint's shortcut. */
	k1 = kmalloc(64, GFP_KERNEL);
	k2 = kmalloc(64, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, k1 && k2);
	kfree(k1);
	kfree(k2);
	ktest_expect_report(t, "BUG kmalloc-64: Object already free");
	kfree(k1);
	k1 = kmalloc(64, GFP_KERNEL);
	k2 = kmalloc(64, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, k1 != k2);
	kfree(k1);
	kfree(k2);
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);

	kmem_cache_free(s, keep);
	KTEST_EXPECT_EQ(t, kmem_cache_shrink(s) > 0, 1);
	KTEST_EXPECT_EQ(t, s->nr_slabs, 0);
	kmem_cache_destroy(s);
}

/*
 * Fill CPU 0's magazine of @s exactly: @n fresh objects allocated into
 * @o[0..n), then @on_slab (if not NULL) freed, the magazines drained (so
 * @on_slab ends on its slab's free list), then the @n objects freed.
 * Returns the magazine, NULL if memory ran out.
 */
static struct slab_magazine *fill_magazine(struct kmem_cache *s, bool use_kfree,
					   void **o, unsigned int n, void *on_slab)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		o[i] = use_kfree ? kmalloc(s->object_size, GFP_KERNEL)
				 : kmem_cache_alloc(s, GFP_KERNEL);
		if (!o[i])
			return NULL;
	}
	if (on_slab && use_kfree)
		kfree(on_slab);
	else if (on_slab)
		kmem_cache_free(s, on_slab);
	slab_drain_all_magazines(s);
	for (i = 0; i < n; i++) {
		if (use_kfree)
			kfree(o[i]);
		else
			kmem_cache_free(s, o[i]);
	}
	return s->mag[0];
}

/*
 * A use-after-free write over the mark of the object the magazine handed
 * out last, after its free filled the magazine, then a second free of it:
 * the shortcut's room test sends the second free to the checked path and
 * the depot, and nothing is written past the magazine's last slot (it once
 * was: slot[60] of a 59-object magazine is the next magazine's header).
 * The double free itself goes unnoticed, as any double free after a
 * use-after-free write: the object comes out twice, which this test also
 * pins down, so that a future check for it shows up here.
 */
static void double_free_after_uaf_write_stays_in_magazine(struct ktest *t)
{
	static void *o[SLAB_MAG_MAX + 1];
	struct slab_magazine *m;
	struct kmem_cache *s;
	void *p, *a, *b;

	fresh();
	s = kmem_cache_create("uaf-full", 64, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, s);
	KTEST_ASSERT_EQ(t, s->mag_limit, SLAB_MAG_MAX);
	m = fill_magazine(s, false, o, s->mag_limit, NULL);
	KTEST_ASSERT_NOT_NULL(t, m);
	KTEST_ASSERT_EQ(t, m->avail, m->limit);
	p = kmem_cache_alloc(s, GFP_KERNEL);          /* m->last = p, one slot free */
	KTEST_ASSERT_TRUE(t, p == m->last);
	kmem_cache_free(s, p);                         /* the shortcut fills m */
	KTEST_ASSERT_EQ(t, m->avail, m->limit);
	*(volatile unsigned long *)((char *)p + s->fp_offset) = 0; /* the UAF write */
	kmem_cache_free(s, p);
	KTEST_EXPECT_TRUE(t, s->mag[0] == m);
	KTEST_EXPECT_LE(t, m->avail, m->limit);
	KTEST_EXPECT_EQ(t, m->avail, 1);               /* the rest went to the depot */
	KTEST_EXPECT_TRUE(t, m->slot[1] == p);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, a == p && b == p);
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
}

/*
 * A free that finds its magazine full goes to the depot straight from the
 * fast path (slab_free_full()), but only after every check of the free:
 * a double free (of an object in the magazine or on its slab), an interior
 * pointer and a wrong cache are refused as with room, and leave the
 * magazine and the depot alone. Then a good free exchanges the magazine.
 */
static void full_magazine_free_checks_first(struct ktest *t)
{
	static void *o[SLAB_MAG_MAX + 1];
	struct kmem_cache *s, *other;
	unsigned long mark, on_slabs;
	unsigned int round, n;
	struct slab_magazine *m;
	void *x, *y, *z, *w;

	fresh();
	other = kmem_cache_create("full-other", 64, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, other);
	z = kmem_cache_alloc(other, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, z);
	for (round = 0; round < 2; round++) {
		bool use_kfree = round == 1;
		const char *name = use_kfree ? "kmalloc-64" : "full-mag";
		char what[64];

		s = use_kfree ? kmalloc_caches[kmalloc_size_index[8]]
			      : kmem_cache_create("full-mag", 64, 0, 0, NULL);
		KTEST_ASSERT_NOT_NULL(t, s);
		KTEST_ASSERT_EQ(t, s->object_size, 64);
		/* x will be on its slab's free list; w stays allocated. */
		x = use_kfree ? kmalloc(64, GFP_KERNEL) : kmem_cache_alloc(s, GFP_KERNEL);
		w = use_kfree ? kmalloc(64, GFP_KERNEL) : kmem_cache_alloc(s, GFP_KERNEL);
		KTEST_ASSERT_TRUE(t, x && w);
		n = s->mag_limit;
		KTEST_ASSERT_LE(t, n, ARRAY_SIZE(o));
		m = fill_magazine(s, use_kfree, o, n, x); /* drains x to its slab */
		KTEST_ASSERT_NOT_NULL(t, m);
		KTEST_ASSERT_EQ(t, m->avail, m->limit);
		KTEST_ASSERT_TRUE(t, slab_on_free_list(s, x));
		KTEST_ASSERT_TRUE(t, !slab_marked_free(m, x));
		on_slabs = s->free_objects;

		snprintf(what, sizeof(what), "BUG %s: Object already free", name);
		mark = ktest_console_mark();
		ktest_expect_report(t, what);
		ktest_expect_report(t, what);
		if (use_kfree) {
			kfree(o[n / 2]); /* in the magazine */
			kfree(x);        /* on its slab's free list */
		} else {
			kmem_cache_free(s, o[n / 2]);
			kmem_cache_free(s, x);
		}
		KTEST_EXPECT_EQ(t, host_console_count(mark, what), 2);
		snprintf(what, sizeof(what), "BUG %s: Invalid pointer", name);
		mark = ktest_console_mark();
		ktest_expect_report(t, what);
		if (use_kfree)
			kfree((char *)w + 8);
		else
			kmem_cache_free(s, (char *)w + 8);
		KTEST_EXPECT_EQ(t, host_console_count(mark, what), 1);
		if (!use_kfree) {
			snprintf(what, sizeof(what), "BUG %s: Wrong cache", name);
			mark = ktest_console_mark();
			ktest_expect_report(t, what);
			kmem_cache_free(s, z);
			KTEST_EXPECT_EQ(t, host_console_count(mark, what), 1);
		}
		/* Refused frees moved no magazine and no object. */
		KTEST_EXPECT_TRUE(t, s->mag[0] == m);
		KTEST_EXPECT_EQ(t, m->avail, m->limit);
		KTEST_EXPECT_EQ(t, s->free_objects, on_slabs);

		/*
		 * Good frees: y (popped: the magazine's last) waits while w
		 * fills the magazine again; then y finds it full and the
		 * depot takes its objects, none to the slabs.
		 */
		y = use_kfree ? kmalloc(64, GFP_KERNEL) : kmem_cache_alloc(s, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, y);
		if (use_kfree) {
			kfree(w);
			kfree(y);
		} else {
			kmem_cache_free(s, w);
			kmem_cache_free(s, y);
		}
		KTEST_EXPECT_EQ(t, s->mag[0]->avail, 1);
		KTEST_EXPECT_TRUE(t, s->mag[0]->slot[1] == y);
		KTEST_EXPECT_TRUE(t, slab_marked_free(s->mag[0], y));
		KTEST_EXPECT_EQ(t, s->free_objects, on_slabs);
		/* ... and a second free of y, alone in its magazine, is refused. */
		snprintf(what, sizeof(what), "BUG %s: Object already free", name);
		mark = ktest_console_mark();
		ktest_expect_report(t, what);
		if (use_kfree)
			kfree(y);
		else
			kmem_cache_free(s, y);
		KTEST_EXPECT_EQ(t, host_console_count(mark, what), 1);
		KTEST_EXPECT_EQ(t, s->mag[0]->avail, 1);
		KTEST_EXPECT_EQ(t, slab_check(s), 0);
		if (!use_kfree) {
			KTEST_EXPECT_GT(t, kmem_cache_shrink(s), 0);
			KTEST_EXPECT_EQ(t, s->nr_slabs, 0);
			kmem_cache_destroy(s);
		}
	}
	kmem_cache_free(other, z);
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
	kmem_cache_destroy(other);
}

/*
 * A copy that got into a magazine anyway (planted here; a race could do
 * it): slab_check finds it, in one magazine or across CPUs.
 */
static void magazine_double_free_found_by_check(struct ktest *t)
{
	struct kmem_cache *s;
	void *keep, *a, *b, *o[80];
	unsigned int i, n;

	fresh();
	s = kmem_cache_create("mag-df", 64, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, s);
	keep = kmem_cache_alloc(s, GFP_KERNEL);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	plant_in_magazine(s, 0, a);
	ktest_expect_report(t, "BUG mag-df: Object in a magazine twice (double free)");
	KTEST_EXPECT_EQ(t, slab_check(s), 1);
	KTEST_EXPECT_EQ(t, slab_check(s), 0); /* the second copy is gone */
	slab_drain_all_magazines(s);
	n = s->objects + 8;
	KTEST_ASSERT_LE(t, n, ARRAY_SIZE(o));
	for (i = 0; i < n; i++)
		o[i] = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, all_distinct(o, n));
	for (i = 0; i < n; i++)
		kmem_cache_free(s, o[i]);

	/* The two copies in different CPUs' magazines. */
	host_set_cpu(1);
	kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL)); /* CPU 1's magazine */
	host_set_cpu(0);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, a);
	plant_in_magazine(s, 1, a);
	ktest_expect_report(t, "BUG mag-df: Object in a magazine twice (double free)");
	KTEST_EXPECT_EQ(t, slab_check(s), 1);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	kmem_cache_free(s, keep);
	KTEST_EXPECT_EQ(t, kmem_cache_shrink(s) > 0, 1);
	KTEST_EXPECT_EQ(t, s->nr_slabs, 0);
	kmem_cache_destroy(s);
}

/*
 * Without slab_check, flushing the magazine refuses a second copy: the
 * slab's free list never turns into a cycle, no object is handed out twice.
 */
/*
 * A live object whose user wrote only its first byte must not read as free
 * when a flush returns it to its slab, whatever the byte and the cache's
 * secret: every byte value is tried, on more objects than a magazine holds.
 */
static void first_byte_written_never_reads_free(struct ktest *t)
{
	static unsigned char *p[200];
	struct kmem_cache *s;
	unsigned long mark;
	unsigned int b, i;

	fresh();
	s = kmem_cache_create("first-byte", 64, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, s);
	mark = ktest_console_mark();
	for (b = 0; b < 256; b++) {
		for (i = 0; i < ARRAY_SIZE(p); i++) {
			p[i] = kmem_cache_alloc(s, GFP_KERNEL);
			KTEST_ASSERT_NOT_NULL(t, p[i]);
			p[i][0] = (unsigned char)b;
		}
		for (i = 0; i < ARRAY_SIZE(p); i++)
			kmem_cache_free(s, p[i]);
	}
	KTEST_EXPECT_FALSE(t, ktest_console_contains(mark, "Object already free"));
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	kmem_cache_destroy(s);
}

static void magazine_double_free_refused_by_flush(struct ktest *t)
{
	struct kmem_cache *s;
	unsigned long mark;
	void *keep, *a, *o[80];
	unsigned int i, n, cpu;

	fresh();
	s = kmem_cache_create("mag-df", 64, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, s);
	keep = kmem_cache_alloc(s, GFP_KERNEL);
	n = s->objects + 8;
	KTEST_ASSERT_LE(t, n, ARRAY_SIZE(o));
	/* Both copies in one magazine, then one in each CPU's. */
	for (cpu = 0; cpu < 2; cpu++) {
		host_set_cpu(1);
		kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL));
		host_set_cpu(0);
		a = kmem_cache_alloc(s, GFP_KERNEL);
		kmem_cache_free(s, a);
		plant_in_magazine(s, cpu, a);
		mark = ktest_console_mark();
		ktest_expect_report(t, "BUG mag-df: Object already free");
		slab_drain_all_magazines(s);
		KTEST_EXPECT_EQ(t, host_console_count(mark, "BUG mag-df: Object already free"), 1);
		KTEST_EXPECT_EQ(t, slab_check(s), 0);
		for (i = 0; i < n; i++)
			o[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KTEST_EXPECT_TRUE(t, all_distinct(o, n));
		for (i = 0; i < n; i++)
			kmem_cache_free(s, o[i]);
	}
	kmem_cache_free(s, keep);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	kmem_cache_destroy(s);
}

/*
 * A user who writes only some bytes of an object's first word (p[0] = v)
 * leaves the rest of "taken off the free list" there: whatever the bytes,
 * the object must not read as already free when its magazine is flushed
 * (it once did, for one byte value in 256: a false "Object already free"
 * and a leaked object; issue 12, the SMP slab "race").
 */
static void partial_write_not_taken_for_free(struct ktest *t)
{
	struct kmem_cache *s;
	unsigned int byte, v;
	u8 *p;

	fresh();
	s = kmem_cache_create("partial", 64, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, s);
	for (byte = 0; byte < 8; byte++) {
		for (v = 0; v < 256; v++) {
			p = kmem_cache_alloc(s, GFP_KERNEL);
			KTEST_ASSERT_NOT_NULL(t, p);
			p[byte] = (u8)v;
			kmem_cache_free(s, p);
			slab_drain_all_magazines(s);
		}
	}
	KTEST_EXPECT_EQ(t, s->free_objects, s->nr_slabs * s->objects);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	kmem_cache_destroy(s);
}

/* ---- debug caches: misuse and exact checker counts ------------------------ */

#define DBG_ALL (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)

static struct kmem_cache *debug_cache(struct ktest *t, unsigned int flags)
{
	struct kmem_cache *s;

	fresh();
	s = kmem_cache_create("dbg", 64, 0, flags, NULL);
	if (s && slab_check(s) != 0)
		KTEST_FAIL(t, "fresh cache not clean");
	return s;
}

/* slab_check(@s), announcing the @n reports it must print. */
static int check_reporting(struct ktest *t, struct kmem_cache *s, int n)
{
	char text[48];
	int i;

	snprintf(text, sizeof(text), "BUG %s: ", s->name);
	for (i = 0; i < n; i++)
		ktest_expect_report(t, text);
	return slab_check(s);
}

static void debug_redzone_writes(struct ktest *t)
{
	struct kmem_cache *s = debug_cache(t, DBG_ALL);
	unsigned long mark;
	unsigned char *p;

	KTEST_ASSERT_NOT_NULL(t, s);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	p[64] = 0x41;
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG dbg: Right Redzone overwritten");
	kmem_cache_free(s, p);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "BUG dbg: Right Redzone overwritten"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "offset 64 caller"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "Allocated by"));
	KTEST_EXPECT_EQ(t, slab_check(s), 0);

	p = kmem_cache_alloc(s, GFP_KERNEL);
	p[-1] = 0x42;
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG dbg: Left Redzone overwritten");
	kmem_cache_free(s, p);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "BUG dbg: Left Redzone overwritten"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "offset -1 caller"));
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	kmem_cache_destroy(s);
}

static void debug_use_after_free(struct ktest *t)
{
	struct kmem_cache *s = debug_cache(t, DBG_ALL);
	unsigned long mark;
	unsigned char *p, *q;
	unsigned int i;
	bool uninit = true;

	KTEST_ASSERT_NOT_NULL(t, s);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	for (i = 0; i < 64; i++)
		uninit &= p[i] == SLAB_POISON_INUSE;
	KTEST_EXPECT_TRUE(t, uninit);
	kmem_cache_free(s, p);
	KTEST_EXPECT_EQ(t, p[0], SLAB_POISON_FREE);
	KTEST_EXPECT_EQ(t, p[63], SLAB_POISON_END);
	p[10] = 0;
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG dbg: Poison overwritten");
	q = kmem_cache_alloc(s, GFP_KERNEL); /* LIFO: the same object */
	KTEST_EXPECT_TRUE(t, q == p);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "BUG dbg: Poison overwritten"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "offset 10 caller"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "Freed by"));
	kmem_cache_free(s, q);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	kmem_cache_destroy(s);
}

static void debug_double_free_of_older_object(struct ktest *t)
{
	struct kmem_cache *s = debug_cache(t, SLAB_CONSISTENCY_CHECKS);
	unsigned long mark;
	void *a, *b;

	KTEST_ASSERT_NOT_NULL(t, s);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG dbg: Object already free");
	kmem_cache_free(s, a);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "BUG dbg: Object already free"), 1);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	KTEST_EXPECT_EQ(t, s->free_objects, s->nr_slabs * s->objects);
	kmem_cache_destroy(s);
}

/* slub_kunit style: damage one thing, expect exactly that many errors. */
static void check_counts_redzone(struct ktest *t)
{
	struct kmem_cache *s = debug_cache(t, DBG_ALL);
	unsigned char *p;

	KTEST_ASSERT_NOT_NULL(t, s);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	p[64] = 0x12;
	KTEST_EXPECT_EQ(t, check_reporting(t, s, 1), 1);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	p[-3] = 0x12;
	p[65] = 0x12;
	KTEST_EXPECT_EQ(t, check_reporting(t, s, 2), 2);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	/* The red zone of a free object. */
	kmem_cache_free(s, p);
	p[64] = 0x12;
	KTEST_EXPECT_EQ(t, check_reporting(t, s, 1), 1);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	kmem_cache_destroy(s);
}

static void check_counts_freepointer(struct ktest *t)
{
	struct kmem_cache *s = debug_cache(t, DBG_ALL);
	void *a, *b, *o[100];
	unsigned int i;

	KTEST_ASSERT_NOT_NULL(t, s);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, a);
	*(unsigned long *)slab_fp_addr(s, a) ^= 0x100;
	KTEST_EXPECT_EQ(t, check_reporting(t, s, 1), 1);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	/* The cache still works: allocate through the repaired slab and more. */
	for (i = 0; i < 100; i++) {
		o[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, o[i]);
	}
	for (i = 0; i < 100; i++)
		kmem_cache_free(s, o[i]);
	kmem_cache_free(s, b);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	/* The repair cut the free list: what was behind the bad pointer leaks. */
	ktest_expect_report(t, "BUG dbg: Objects remaining on kmem_cache_destroy");
	kmem_cache_destroy(s);
}

static void check_counts_freepointer_no_debug(struct ktest *t)
{
	struct kmem_cache *s;
	void *o[4];
	unsigned int i;
	unsigned long mark;

	fresh();
	s = kmem_cache_create("plain", 64, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, s);
	for (i = 0; i < 4; i++)
		o[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (i = 0; i < 4; i++)
		kmem_cache_free(s, o[i]);
	slab_drain_all_magazines(s);
	/* Some free object on the slab list: corrupt its (in-object) pointer. */
	{
		struct page *head = virt_to_page(o[0]);
		void *f = head->freelist;

		KTEST_ASSERT_NOT_NULL(t, f);
		*(unsigned long *)f = 0x1234;
	}
	mark = ktest_console_mark();
	KTEST_EXPECT_EQ(t, check_reporting(t, s, 1), 1);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "BUG plain: Freepointer corrupt"));
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	for (i = 0; i < 4; i++)
		KTEST_EXPECT_TRUE(t, (o[i] = kmem_cache_alloc(s, GFP_KERNEL)) != NULL);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
}

static void check_counts_poison(struct ktest *t)
{
	struct kmem_cache *s = debug_cache(t, DBG_ALL);
	unsigned char *a, *b, *c;

	KTEST_ASSERT_NOT_NULL(t, s);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	c = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	a[0] = 0x00; /* first word of a freed object */
	KTEST_EXPECT_EQ(t, check_reporting(t, s, 1), 1);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	b[50] = 0x00; /* its 50th byte */
	KTEST_EXPECT_EQ(t, check_reporting(t, s, 1), 1);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	a[63] = 0x6b; /* the end marker */
	b[1] = 0;
	b[2] = 0; /* one object's poison is one error */
	KTEST_EXPECT_EQ(t, check_reporting(t, s, 2), 2);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	/* Several kinds at once: left red zone of c, poison of a, slab padding. */
	c[-1] = 0;
	a[5] = 0;
	{
		struct page *head = virt_to_page(c);
		unsigned char *base = slab_base(head);
		unsigned long used = (unsigned long)s->objects * s->size;

		if (used < (PAGE_SIZE << s->order)) {
			base[used] = 0;
			KTEST_EXPECT_EQ(t, check_reporting(t, s, 3), 3);
		} else {
			KTEST_EXPECT_EQ(t, check_reporting(t, s, 2), 2);
		}
	}
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	kmem_cache_free(s, c);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	kmem_cache_destroy(s);
}

static void check_counts_counter(struct ktest *t)
{
	struct kmem_cache *s = debug_cache(t, SLAB_CONSISTENCY_CHECKS);
	struct page *head;
	void *a;

	KTEST_ASSERT_NOT_NULL(t, s);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	head = virt_to_page(a);
	head->inuse += 2;
	KTEST_EXPECT_EQ(t, check_reporting(t, s, 1), 1);
	KTEST_EXPECT_EQ(t, head->inuse, 1);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	kmem_cache_free(s, a);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	kmem_cache_destroy(s);
}

/* ---- slab_debug= ------------------------------------------------------------ */

/* A slab_debug= cache name that matches no cache gets a warning naming it. */
static void slab_debug_unknown_name_warned(struct ktest *t)
{
	unsigned long mark;

	host_mm_setup_default();
	KTEST_ASSERT_EQ(t, slab_debug_setup("FZ,kmalloc-64,kmalloc-1*,kmaloc-32;P,nosuch*"), 0);
	kmem_cache_init();
	mark = ktest_console_mark();
	KTEST_EXPECT_EQ(t, slab_debug_check_names(), 2);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "no cache matches \"kmaloc-32\""));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "no cache matches \"nosuch*\""));
	KTEST_EXPECT_EQ(t, host_console_count(mark, "no cache matches"), 2);
	slab_debug_setup("-");
	KTEST_EXPECT_EQ(t, slab_debug_check_names(), 0);
}

static void slab_debug_option(struct ktest *t)
{
	struct kmem_cache *s;

	fresh();
	KTEST_EXPECT_EQ(t, slab_debug_setup("FZ"), 0);
	KTEST_EXPECT_EQ(t, slab_debug_flags_for("anything"),
			SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
	KTEST_EXPECT_EQ(t, slab_debug_setup("P,kmalloc-64,dentry*"), 0);
	KTEST_EXPECT_EQ(t, slab_debug_flags_for("kmalloc-64"), SLAB_POISON);
	KTEST_EXPECT_EQ(t, slab_debug_flags_for("dentry_cache"), SLAB_POISON);
	KTEST_EXPECT_EQ(t, slab_debug_flags_for("kmalloc-640"), 0);
	KTEST_EXPECT_EQ(t, slab_debug_setup(NULL), 0);
	KTEST_EXPECT_EQ(t, slab_debug_flags_for("x"), DBG_ALL);
	KTEST_EXPECT_EQ(t, slab_debug_setup(",foo"), 0);
	KTEST_EXPECT_EQ(t, slab_debug_flags_for("foo"), DBG_ALL);
	KTEST_EXPECT_EQ(t, slab_debug_flags_for("bar"), 0);
	KTEST_EXPECT_EQ(t, slab_debug_setup("U;zp,foo"), 0);
	KTEST_EXPECT_EQ(t, slab_debug_flags_for("foo"), SLAB_RED_ZONE | SLAB_POISON);
	KTEST_EXPECT_EQ(t, slab_debug_flags_for("bar"), SLAB_STORE_USER);
	KTEST_EXPECT_EQ(t, slab_debug_setup("Q"), -EINVAL);
	KTEST_EXPECT_EQ(t, slab_debug_flags_for("bar"), SLAB_STORE_USER); /* unchanged */

	KTEST_EXPECT_EQ(t, slab_debug_setup("ZP,picked"), 0);
	s = kmem_cache_create("picked", 32, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, s);
	KTEST_EXPECT_EQ(t, s->flags & DBG_ALL, SLAB_RED_ZONE | SLAB_POISON);
	kmem_cache_destroy(s);
	s = kmem_cache_create("not-picked", 32, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, s);
	KTEST_EXPECT_EQ(t, s->flags & DBG_ALL, 0);
	kmem_cache_destroy(s);

	/* Applied to the kmalloc caches when they are made. */
	host_mm_setup_default();
	slab_debug_setup("Z,kmalloc-32");
	kmem_cache_init();
	KTEST_EXPECT_EQ(t, kmalloc_caches[4]->flags & DBG_ALL, SLAB_RED_ZONE);
	{
		unsigned char *p = kmalloc(32, GFP_KERNEL);
		unsigned long mark = ktest_console_mark();

		p[32] = 1;
		ktest_expect_report(t, "BUG kmalloc-32: Right Redzone overwritten");
		kfree(p);
		KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
				  "BUG kmalloc-32: Right Redzone overwritten"));
	}
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
	slab_debug_setup("-");
}

/* Every kmalloc size with all debugging on: alignment, and checks stay clean. */
static void kmalloc_all_debug(struct ktest *t)
{
	unsigned int size;

	host_mm_setup_default();
	slab_debug_setup(NULL);
	kmem_cache_init();
	for (size = 1; size <= KMALLOC_MAX_CACHE_SIZE; size += 7) {
		unsigned char *p = kmalloc(size, GFP_KERNEL);

		KTEST_ASSERT_NOT_NULL(t, p);
		if (!aligned(p, 8)) {
			KTEST_FAIL(t, "kmalloc(%u) misaligned", size);
			break;
		}
		memset(p, 0x33, size);
		kfree(p);
	}
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
	slab_debug_setup("-");
}

/*
 * slab_debug=Z: a kmalloc object's red zone starts at the size asked for,
 * not at its class's end (Linux's orig_size). kmalloc(60) is a kmalloc-64
 * object whose bytes 60..63 are red zone; ksize() says 60.
 */
static void kmalloc_redzone_at_requested_size(struct ktest *t)
{
	volatile size_t n61 = 61;
	unsigned long mark;
	unsigned char *p;
	unsigned int i;

	host_mm_setup_default();
	slab_debug_setup("Z");
	kmem_cache_init();

	/* A size the compiler knows (kmalloc's inline slot path). */
	p = kmalloc(60, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, ksize(p), 60);
	memset(p, 0x11, 60); /* the whole request is the caller's */
	p[60] = 0x41;
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG kmalloc-64: Right Redzone overwritten");
	kfree(p);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "@offset=60. First byte 0x41 instead of 0xcc"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "requested size 60 of 64"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "offset 60 caller"));

	/* A size it does not know (__kmalloc), written at the class's last byte. */
	p = kmalloc(n61, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, ksize(p), 61);
	p[63] = 0x42;
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG kmalloc-64: Right Redzone overwritten");
	kfree(p);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "@offset=63. First byte 0x42"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "requested size 61 of 64"));

	/* kzalloc zeroes the request only; the checker sees a write too. */
	p = kzalloc(60, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	for (i = 0; i < 60; i++)
		KTEST_ASSERT_EQ(t, p[i], 0);
	for (i = 60; i < 64; i++)
		KTEST_EXPECT_EQ(t, p[i], SLAB_RED_ACTIVE);
	KTEST_EXPECT_EQ(t, slab_check(kmalloc_caches[8]), 0);
	p[62] = 0;
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG kmalloc-64: Right Redzone overwritten");
	KTEST_EXPECT_EQ(t, slab_check(kmalloc_caches[8]), 1);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "@offset=62"));
	KTEST_EXPECT_EQ(t, slab_check(kmalloc_caches[8]), 0); /* restored */
	kfree(p); /* clean: no report */

	/* An exact fit and a whole request written: no report at all. */
	p = kmalloc(64, GFP_KERNEL);
	memset(p, 0x55, 64);
	kfree(p);
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
	slab_debug_setup("-");
}

/* krealloc and ksize in a debug cache: the red zone follows the request. */
static void krealloc_keeps_redzone(struct ktest *t)
{
	unsigned long mark;
	unsigned char *p, *q;
	unsigned int i;

	host_mm_setup_default();
	slab_debug_setup("FZPU");
	kmem_cache_init();
	p = kmalloc(60, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	for (i = 0; i < 60; i++)
		p[i] = (unsigned char)i;
	/* Shrunk in place: the red zone now starts at 40. */
	q = krealloc(p, 40, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, q == p);
	KTEST_EXPECT_EQ(t, ksize(q), 40);
	/* Grown past the request (still inside the class): a new object, contents kept. */
	p = krealloc(q, 64, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, ksize(p), 64);
	for (i = 0; i < 40; i++)
		KTEST_EXPECT_EQ(t, p[i], i);
	q = krealloc(p, 20, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, q == p);
	q[20] = 1;
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG kmalloc-64: Right Redzone overwritten");
	kfree(q);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "requested size 20 of 64"));
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
	slab_debug_setup("-");
}

/* A large (page-backed) kmalloc: red zone after the request with slab_debug=Z. */
static void kmalloc_large_redzone(struct ktest *t)
{
	unsigned long mark;
	unsigned char *p;

	host_mm_setup_default();
	slab_debug_setup("Z");
	kmem_cache_init();
	p = kmalloc(20000, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, ksize(p), 20000);
	memset(p, 0x77, 20000);
	kfree(p); /* the request written in full: clean */

	p = kmalloc(20000, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	p[20003] = 0x43;
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG kmalloc: Right Redzone overwritten");
	kfree(p);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "@offset=20003. First byte 0x43 instead of 0xcc"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "requested size 20000 of 32768"));

	/* Shrunk in place by krealloc: the red zone moves down with it. */
	p = kmalloc(24000, __GFP_ZERO | GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, p[23999], 0);
	KTEST_EXPECT_EQ(t, p[24000], SLAB_RED_ACTIVE);
	KTEST_EXPECT_TRUE(t, krealloc(p, 22000, GFP_KERNEL) == p);
	KTEST_EXPECT_EQ(t, ksize(p), 22000);
	p[22000] = 1;
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG kmalloc: Right Redzone overwritten");
	kfree(p);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "requested size 22000"));
	slab_debug_setup("-");

	/* Named alone: large kmallocs only, and the name is no typo. */
	host_mm_setup_default();
	slab_debug_setup("Z,kmalloc-large");
	kmem_cache_init();
	KTEST_EXPECT_EQ(t, slab_debug_check_names(), 0);
	KTEST_EXPECT_EQ(t, kmalloc_caches[8]->flags & DBG_ALL, 0);
	p = kmalloc(20000, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, ksize(p), 20000);
	kfree(p);
	slab_debug_setup("-");

	/* Without debugging the whole block is usable, as before. */
	fresh();
	p = kmalloc(20000, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, ksize(p), 32768);
	p[32767] = 1;
	kfree(p);
}

/* ---- /proc/slabinfo ----------------------------------------------------------- */

static void slabinfo_format(struct ktest *t)
{
	struct kmem_cache *s;
	unsigned long mark;
	char line[160];
	void *o[10];
	unsigned int i;

	fresh();
	s = kmem_cache_create("slabinfo-test", 64, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, s);
	for (i = 0; i < 10; i++)
		o[i] = kmem_cache_alloc(s, GFP_KERNEL);
	mark = ktest_console_mark();
	show_slabinfo();
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "slabinfo - version: 2.1\n"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
		"# name            <active_objs> <num_objs> <objsize> <objperslab> "
		"<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : "
		"slabdata <active_slabs> <num_slabs> <sharedavail>\n"));
	snprintf(line, sizeof(line),
		 "slabinfo-test         10     64     64   64    1 : tunables   %2u   %2u    0 : slabdata      1      1      0\n",
		 s->mag_limit, s->mag_batch);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, line));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "\nkmalloc-64 "));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "\nkmalloc-8k "));
	for (i = 0; i < 10; i++)
		kmem_cache_free(s, o[i]);
	kmem_cache_destroy(s);
}

static const struct ktest_case slab_cases[] = {
	KTEST_CASE(size_class_bounds),
	KTEST_CASE(kmalloc_zero_and_null),
	KTEST_CASE(kmalloc_zeroing_and_calloc),
	KTEST_CASE(krealloc_keeps_contents),
	KTEST_CASE(kmalloc_large_uses_pages),
	KTEST_CASE(kmalloc_dma_zone),
	KTEST_CASE(ctor_runs_once_per_object),
	KTEST_CASE(cache_alignment),
	KTEST_CASE(bulk_and_zalloc),
	KTEST_CASE(shrink_returns_pages),
	KTEST_CASE(destroy_reports_live_objects),
	KTEST_CASE(freelist_is_encoded_and_random),
	KTEST_CASE(misuse_reported_and_survived),
	KTEST_CASE(free_into_slab_tail_refused),
	KTEST_CASE(object_check_matches_division),
	KTEST_CASE(free_of_hole_address_reported),
	KTEST_CASE(use_after_destroy_reported),
	KTEST_CASE(double_free_refused_at_free),
	KTEST_CASE(full_magazine_free_checks_first),
	KTEST_CASE(double_free_after_uaf_write_stays_in_magazine),
	KTEST_CASE(word_decoding_into_slab_frees_cleanly),
	KTEST_CASE(tail_page_objects),
	KTEST_CASE(kfree_of_allocator_object_refused),
	KTEST_CASE(magazine_double_free_found_by_check),
	KTEST_CASE(magazine_double_free_refused_by_flush),
	KTEST_CASE(first_byte_written_never_reads_free),
	KTEST_CASE(partial_write_not_taken_for_free),
	KTEST_CASE(debug_redzone_writes),
	KTEST_CASE(debug_use_after_free),
	KTEST_CASE(debug_double_free_of_older_object),
	KTEST_CASE(check_counts_redzone),
	KTEST_CASE(check_counts_freepointer),
	KTEST_CASE(check_counts_freepointer_no_debug),
	KTEST_CASE(check_counts_poison),
	KTEST_CASE(check_counts_counter),
	KTEST_CASE(slab_debug_option),
	KTEST_CASE(slab_debug_unknown_name_warned),
	KTEST_CASE(kmalloc_all_debug),
	KTEST_CASE(kmalloc_redzone_at_requested_size),
	KTEST_CASE(krealloc_keeps_redzone),
	KTEST_CASE(kmalloc_large_redzone),
	KTEST_CASE(slabinfo_format),
};

KTEST_SUITE(slab, slab_cases);

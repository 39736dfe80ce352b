// SPDX-License-Identifier: MIT
/*
 * In-kernel self-tests of the slab allocator and kmalloc, on the running
 * kernel's memory: the same kinds of checks as tests/host/test_slab.c,
 * smaller, plus what only real page tables can show (kmalloc(0)'s
 * ZERO_SIZE_PTR faults when touched). Each case makes its own caches and
 * leaves the page count as it found it.
 */
#include "kernel/ktest.h"
#include "kmm/string.h"
#include "mm/slab.h"
#include "mm/kasan.h"
#include "mm/kfence.h"
#include "mm/slab_internal.h"
#include "probe.h"

#define DBG_ALL (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)

static int slab_suite_init(void)
{
	/* kmem_cache_init() has run when index 1 is a real cache. */
	return (kmalloc_caches[1]->flags & SLAB_DEAD) ? -ENOSYS : 0;
}

static void kmalloc_zero_faults(struct ktest *t)
{
	unsigned long mark = ktest_console_mark();
	void *p = kmalloc(0, GFP_KERNEL);
	u8 v;

	KTEST_EXPECT_TRUE(t, p == ZERO_SIZE_PTR);
	KTEST_EXPECT_EQ(t, probe_read_u8(p, &v), -EFAULT);
	kfree(p);
	KTEST_EXPECT_EQ(t, ksize(p), 0);
	KTEST_EXPECT_FALSE(t, ktest_console_contains(mark, "BUG"));
}

static void kmalloc_every_size(struct ktest *t)
{
	unsigned int size;

	for (size = 1; size <= KMALLOC_MAX_CACHE_SIZE; size++) {
		unsigned char *p = kmalloc(size, GFP_KERNEL);
		size_t c;

		KTEST_ASSERT_NOT_NULL(t, p);
		c = ksize(p);
		if (c < size || (size < 128 && c - size >= 8) ||
		    (size >= 128 && size <= 8192 && (c - size) * 8 > size) ||
		    (size > 8192 && (c - size) * 4 > c) || /* 64 KiB / n classes */
		    ((unsigned long)p & 7) ||
		    (!(size & (size - 1)) && ((unsigned long)p & (size - 1)))) {
			KTEST_FAIL(t, "kmalloc(%u) = %p, usable %zu", size, p, c);
			kfree(p);
			return;
		}
		p[0] = p[size - 1] = 0x5c;
		kfree(p);
	}
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
}

static void kmalloc_large_and_limits(struct ktest *t)
{
	unsigned long before = nr_free_pages(), mark;
	void *p = kmalloc(64 * 1024, GFP_KERNEL);

	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_TRUE(t, page_test_flag(virt_to_page(p), PG_large_kmalloc));
	KTEST_EXPECT_EQ(t, ksize(p), 64 * 1024);
	memset(p, 0, 64 * 1024);
	kfree(p);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
	mark = ktest_console_mark();
	ktest_expect_report(t, "more than the largest allocation");
	KTEST_EXPECT_TRUE(t, kmalloc((4UL << 20) + 1, GFP_KERNEL) == NULL);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "kmalloc:"));
	KTEST_EXPECT_TRUE(t, kcalloc(~0UL / 4, 8, GFP_KERNEL) == NULL);
}

static unsigned int ctor_calls;

static void count_ctor(void *p)
{
	ctor_calls++;
	*(u32 *)p = 0xc0ffee;
}

static void cache_ctor_and_shrink(struct ktest *t)
{
	static void *objs[300];
	struct kmem_cache *s;
	unsigned long before;
	unsigned int i;
	bool intact = true;

	ctor_calls = 0;
	s = kmem_cache_create("ktest-ctor", 120, 0, SLAB_SKIP_KFENCE, count_ctor);
	KTEST_ASSERT_NOT_NULL(t, s);
	kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL)); /* magazine exists */
	kmem_cache_shrink(s);
	ctor_calls = 0;
	kasan_quarantine_flush(); /* no other cache's slab may empty meanwhile */
	before = nr_free_pages();
	for (i = 0; i < 300; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, objs[i]);
		intact &= *(u32 *)objs[i] == 0xc0ffee;
	}
	KTEST_EXPECT_TRUE(t, intact);
	KTEST_EXPECT_EQ(t, ctor_calls, s->nr_slabs * s->objects);
	for (i = 0; i < 300; i++)
		kmem_cache_free(s, objs[i]);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	KTEST_EXPECT_GT(t, kmem_cache_shrink(s), 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
	kmem_cache_destroy(s);
}

static void misuse_reported(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("ktest-victim", 64, 0, SLAB_SKIP_KFENCE, NULL);
	struct kmem_cache *o = kmem_cache_create("ktest-other", 64, 0, SLAB_SKIP_KFENCE, NULL);
	unsigned long mark, local = 0;
	void *a, *b;

	KTEST_ASSERT_NOT_NULL(t, s);
	KTEST_ASSERT_NOT_NULL(t, o);
	/* The allocator's own checks must see these frees, not KASAN's. */
	kasan_disable_current();
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(o, GFP_KERNEL);
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG ktest-victim: Object already free");
	kmem_cache_free(s, a);
	kmem_cache_free(s, a);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "BUG ktest-victim: Object already free"));
	a = kmem_cache_alloc(s, GFP_KERNEL);
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG ktest-victim: Invalid pointer");
	kmem_cache_free(s, (char *)a + 4);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "BUG ktest-victim: Invalid pointer"));
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG ktest-victim: Wrong cache");
	kmem_cache_free(s, b);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "BUG ktest-victim: Wrong cache"));
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG ktest-victim: Pointer not in any slab");
	kmem_cache_free(s, &local);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "BUG ktest-victim: Pointer not in any slab"));
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG kmalloc: Pointer not in any slab");
	kfree(&local);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "BUG kmalloc: Pointer not in any slab"));
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	KTEST_EXPECT_EQ(t, slab_check(o), 0);
	kmem_cache_free(s, a);
	kmem_cache_free(o, b);
	kmem_cache_destroy(s);
	kmem_cache_destroy(o);
	kasan_enable_current();
}

/* A multiple of the size past the last object is the slab's tail: refused. */
static void free_into_tail_refused(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("ktest-tail", 96, 0, SLAB_SKIP_KFENCE, NULL);
	unsigned long mark;
	char *a, *tail;
	void *b;

	KTEST_ASSERT_NOT_NULL(t, s);
	kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL)); /* a magazine */
	a = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, a);
	if (s->used >= PAGE_SIZE << s->order) { /* slab_debug= changed the layout */
		ktest_skip(t, "no unused tail in this layout");
		kmem_cache_free(s, a);
		kmem_cache_destroy(s);
		return;
	}
	tail = (char *)slab_base(slab_lookup(a)) + s->used;
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG ktest-tail: Invalid pointer (");
	kmem_cache_free(s, tail);
	/* With red zones (slab_debug=Z) the tail lies inside the last slot. */
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "BUG ktest-tail: Invalid pointer ("));
	b = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, b != tail);
	kmem_cache_free(s, b);
	kmem_cache_free(s, a);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	kmem_cache_destroy(s);
}

static void debug_exact_counts(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("ktest-dbg", 64, 0, DBG_ALL | SLAB_SKIP_KFENCE, NULL);
	unsigned long mark;
	unsigned char *a, *b, *c;

	KTEST_ASSERT_NOT_NULL(t, s);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	c = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, a && b && c);
	/* Damage on purpose, for slab_debug's checks rather than KASAN's. */
	kasan_disable_current();
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	c[64] = 1; /* red zone */
	ktest_expect_report(t, "BUG ktest-dbg: Right Redzone overwritten");
	KTEST_EXPECT_EQ(t, slab_check(s), 1);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	a[0] = 0;  /* first word of a freed object */
	b[50] = 0; /* 50th byte of another */
	ktest_expect_report(t, "BUG ktest-dbg: Poison overwritten");
	ktest_expect_report(t, "BUG ktest-dbg: Poison overwritten");
	KTEST_EXPECT_EQ(t, slab_check(s), 2);
	*(unsigned long *)slab_fp_addr(s, b) ^= 0x40; /* b heads the free list */
	ktest_expect_report(t, "BUG ktest-dbg: Freepointer corrupt");
	KTEST_EXPECT_EQ(t, slab_check(s), 1);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);

	mark = ktest_console_mark();
	c[-1] = 2;
	ktest_expect_report(t, "BUG ktest-dbg: Left Redzone overwritten");
	kmem_cache_free(s, c);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "BUG ktest-dbg: Left Redzone overwritten"));
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG ktest-dbg: Object already free");
	kmem_cache_free(s, c);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "BUG ktest-dbg: Object already free"));
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	/* Objects cut off by the free-pointer repair are leaked, and reported. */
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG ktest-dbg: Objects remaining on kmem_cache_destroy");
	kmem_cache_destroy(s);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "Objects remaining on kmem_cache_destroy"));
	kasan_enable_current();
}

static void all_caches_clean(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
}

/* Whatever the cases above left in this CPU's magazines goes back quietly. */
static void kmalloc_caches_shrink_quietly(struct ktest *t)
{
	unsigned int i;

	for (i = 1; i <= KMALLOC_NR_CLASSES; i++)
		kmem_cache_shrink(kmalloc_caches[i]);
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
}

/* A kmalloc object that is not KFENCE's (whose guard is its own). */
static unsigned char *kmalloc_not_kfence(size_t size)
{
	unsigned char *p, *kept[8];
	unsigned int i, n = 0;

	for (;;) {
		p = kmalloc(size, GFP_KERNEL);
		if (!p || !is_kfence_address(p) || n == ARRAY_SIZE(kept))
			break;
		kept[n++] = p;
	}
	for (i = 0; i < n; i++)
		kfree(kept[i]);
	return p && !is_kfence_address(p) ? p : NULL;
}

/*
 * slab_debug=Z (the bios-debug row): the red zone of a kmalloc object
 * starts at the size asked for, and a large kmalloc has one too.
 */
static void kmalloc_redzone_requested_size(struct ktest *t)
{
	struct kmem_cache *s = kmalloc_caches[8];
	unsigned long mark;
	unsigned char *p;

	if (!(s->flags & SLAB_RED_ZONE)) {
		ktest_skip(t, "kmalloc-64 has no red zone (boot with slab_debug=Z)");
		return;
	}
	KTEST_ASSERT_TRUE(t, !strcmp(s->name, "kmalloc-64"));
	p = kmalloc_not_kfence(60);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, ksize(p), 60);
	kasan_disable_current(); /* slab_debug's check, not KASAN's */
	p[61] = 0x41;
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG kmalloc-64: Right Redzone overwritten");
	kfree(p);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "@offset=61. First byte 0x41 instead of 0xcc"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "requested size 60 of 64"));

	p = kmalloc_not_kfence(20000);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, ksize(p), 20000);
	p[20000] = 0x42;
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG kmalloc: Right Redzone overwritten");
	kfree(p);
	kasan_enable_current();
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "@offset=20000. First byte 0x42"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "requested size 20000 of 32768"));
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
}

static const struct ktest_case slab_kcases[] = {
	KTEST_CASE(kmalloc_zero_faults),
	KTEST_CASE(kmalloc_every_size),
	KTEST_CASE(kmalloc_large_and_limits),
	KTEST_CASE(cache_ctor_and_shrink),
	KTEST_CASE(misuse_reported),
	KTEST_CASE(free_into_tail_refused),
	KTEST_CASE(debug_exact_counts),
	KTEST_CASE(kmalloc_redzone_requested_size),
	KTEST_CASE(all_caches_clean),
	KTEST_CASE(kmalloc_caches_shrink_quietly),
};

KTEST_SUITE(slab, slab_kcases, .init = slab_suite_init);

// SPDX-License-Identifier: MIT
/*
 * The misuse suite: each case commits one kind of misuse on purpose,
 * announces the exact report it must cause (ktest_expect_report), and
 * checks that the allocator carried on: nothing handed out twice, the
 * checkers clean, the free counts back where they were. The runner fails a
 * case on any report it did not announce, and on an announced one that
 * never came (kernel/ktest.c), the way slub_kunit counts expected errors.
 *
 * The reports are the production build's; with slab_debug= the debug
 * checks report the same kinds of misuse under the same headlines.
 */
#include "kernel/ktest.h"
#include "kmm/string.h"
#include "mm/gfp.h"
#include "mm/slab.h"
#include "mm/slab_internal.h"
#include "mm/kasan.h"
#include "mm/vmalloc.h"
#include "arch/x86_64/smp.h"

#define NOBJ 64

static bool all_distinct(void **p, unsigned int n)
{
	unsigned int i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (p[i] == p[j])
				return false;
	return true;
}

/* Allocate NOBJ objects of @s: none may be handed out twice. */
static void expect_distinct_allocs(struct ktest *t, struct kmem_cache *s)
{
	void *o[NOBJ];
	unsigned int i;

	for (i = 0; i < NOBJ; i++)
		o[i] = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, all_distinct(o, NOBJ));
	for (i = 0; i < NOBJ; i++)
		kmem_cache_free(s, o[i]);
}

/* kmem_cache_free(a); kmem_cache_free(b); kmem_cache_free(a) */
static void double_free_behind_another(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("misuse-df", 64, 0, 0, NULL);
	void *a, *b;

	KTEST_ASSERT_NOT_NULL(t, s);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, a && b);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	ktest_expect_report(t, "BUG misuse-df: Object already free");
	kmem_cache_free(s, a);
	expect_distinct_allocs(t, s);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	kmem_cache_destroy(s);
}

struct remote_free {
	struct kmem_cache *s;
	void *obj;
};

static void free_there(void *arg)
{
	struct remote_free *r = arg;

	kasan_disable_current(); /* the allocator's report, not KASAN's */
	kmem_cache_free(r->s, r->obj);
	kasan_enable_current();
}

/* The second free of an object on another CPU than the first. */
static void double_free_on_other_cpu(struct ktest *t)
{
	static struct remote_free r;
	unsigned int cpu;

	for (cpu = 1; cpu < NR_CPUS && !cpu_online(cpu); cpu++)
		;
	if (cpu == NR_CPUS) {
		ktest_skip(t, "only one CPU online");
		return;
	}
	r.s = kmem_cache_create("misuse-xcpu", 64, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, r.s);
	r.obj = kmem_cache_alloc(r.s, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, r.obj);
	kmem_cache_free(r.s, r.obj);
	ktest_expect_report(t, "BUG misuse-xcpu: Object already free");
	KTEST_ASSERT_EQ(t, smp_call_on_cpu(cpu, free_there, &r), 0);
	expect_distinct_allocs(t, r.s);
	/* Both CPUs are idle now: destroy may empty the other's magazine. */
	kmem_cache_destroy(r.s);
}

/* kfree(a); kfree(b); kfree(a) */
static void kfree_double_free(struct ktest *t)
{
	char *a = kmalloc(64, GFP_KERNEL), *b = kmalloc(64, GFP_KERNEL);
	char *c, *d;

	KTEST_ASSERT_TRUE(t, a && b);
	kfree(a);
	kfree(b);
	ktest_expect_report(t, "Object already free");
	kfree(a);
	c = kmalloc(64, GFP_KERNEL);
	d = kmalloc(64, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, c && d && c != d);
	kfree(c);
	kfree(d);
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
}

/* Pointers that are no object: interior, foreign, another cache's. */
static void bad_pointers_refused(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("misuse-bad", 96, 0, 0, NULL);
	struct kmem_cache *o = kmem_cache_create("misuse-other", 96, 0, 0, NULL);
	unsigned long local = 0;
	char *a, *b, *big;

	KTEST_ASSERT_TRUE(t, s && o);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(o, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, a && b);
	ktest_expect_report(t, "BUG misuse-bad: Invalid pointer");
	kmem_cache_free(s, a + 8);
	ktest_expect_report(t, "BUG misuse-bad: Wrong cache: object belongs to misuse-other");
	kmem_cache_free(s, b);
	ktest_expect_report(t, "BUG misuse-bad: Pointer not in any slab");
	kmem_cache_free(s, &local);
	ktest_expect_report(t, "BUG kmalloc: Pointer not in any slab or large kmalloc");
	kfree(&local);
	big = kmalloc(KMALLOC_MAX_CACHE_SIZE + PAGE_SIZE, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, big);
	ktest_expect_report(t, "not at the start of a large kmalloc");
	kfree(big + PAGE_SIZE);
	kfree(big);
	kmem_cache_free(s, a);
	kmem_cache_free(o, b);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	KTEST_EXPECT_EQ(t, slab_check(o), 0);
	kmem_cache_destroy(s);
	kmem_cache_destroy(o);
}

/* A user writing only byte 0 of an object must not make it look free. */
static void partial_writes_not_misuse(struct ktest *t)
{
	unsigned int v;

	for (v = 0; v < 256; v++) {
		u8 *p = kmalloc(64, GFP_KERNEL);

		KTEST_ASSERT_NOT_NULL(t, p);
		p[0] = (u8)v;
		kfree(p);
		kmem_cache_shrink(kmalloc_caches[kmalloc_size_index[64 / 8]]);
	}
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
}

/* Pages: a double free, a wrong order, a tail page: refused, counts kept. */
static void page_misuse_refused(struct ktest *t)
{
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	unsigned long free;

	KTEST_ASSERT_NOT_NULL(t, p);
	free = nr_free_pages();
	ktest_expect_report(t, "BUG: bad free refused: wrong order");
	__free_pages(p, 1);
	ktest_expect_report(t, "BUG: bad free refused: tail page");
	__free_pages(p + 1, 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free);
	__free_pages(p, 2);
	ktest_expect_report(t, "BUG: bad free refused: double free");
	__free_pages(p, 2);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

/* vfree twice and of a pointer inside the area. */
static void vfree_misuse_refused(struct ktest *t)
{
	u8 *v = vmalloc(2 * PAGE_SIZE);

	KTEST_ASSERT_NOT_NULL(t, v);
	ktest_expect_report(t, "refused: inside the area");
	vfree(v + PAGE_SIZE);
	vfree(v);
	ktest_expect_report(t, "refused: no area there (double free?)");
	vfree(v);
	KTEST_EXPECT_EQ(t, vmalloc_check(), 0);
}

/* A request no allocator can meet: NULL and one warning, not a crash. */
static void impossible_sizes_refused(struct ktest *t)
{
	ktest_expect_report(t, "more than the largest allocation");
	KTEST_EXPECT_TRUE(t, kmalloc((4UL << 20) + 1, GFP_KERNEL) == NULL);
	KTEST_EXPECT_TRUE(t, kcalloc(~0UL / 2, 4, GFP_KERNEL) == NULL);
	KTEST_EXPECT_TRUE(t, kmalloc(1UL << 40, GFP_KERNEL | __GFP_NOWARN) == NULL);
}

static int misuse_init(void)
{
	return slab_is_available() ? 0 : -ENOSYS;
}

/*
 * Each case commits its misuse with KASAN's reports off (make KASAN=1), as
 * Linux's slub_kunit does: what it asserts is the allocator's own report.
 */
#define MISUSE_CASE(fn)                                                      \
	static void fn##_kasan_off(struct ktest *t)                          \
	{                                                                    \
		kasan_disable_current();                                     \
		fn(t);                                                       \
		kasan_enable_current();                                      \
	}
MISUSE_CASE(double_free_behind_another)
MISUSE_CASE(double_free_on_other_cpu)
MISUSE_CASE(kfree_double_free)
MISUSE_CASE(bad_pointers_refused)
MISUSE_CASE(partial_writes_not_misuse)
MISUSE_CASE(page_misuse_refused)
MISUSE_CASE(vfree_misuse_refused)
MISUSE_CASE(impossible_sizes_refused)

static const struct ktest_case misuse_cases[] = {
	{ "double_free_behind_another", double_free_behind_another_kasan_off },
	{ "double_free_on_other_cpu", double_free_on_other_cpu_kasan_off },
	{ "kfree_double_free", kfree_double_free_kasan_off },
	{ "bad_pointers_refused", bad_pointers_refused_kasan_off },
	{ "partial_writes_not_misuse", partial_writes_not_misuse_kasan_off },
	{ "page_misuse_refused", page_misuse_refused_kasan_off },
	{ "vfree_misuse_refused", vfree_misuse_refused_kasan_off },
	{ "impossible_sizes_refused", impossible_sizes_refused_kasan_off },
};
KTEST_SUITE(misuse, misuse_cases, .init = misuse_init);

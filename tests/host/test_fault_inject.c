// SPDX-License-Identifier: MIT
/*
 * mm/fault_inject.c: the failslab=/fail_page_alloc= parser, the injection
 * decisions (interval, probability, space, times, as Linux's should_fail
 * makes them), and the hooks in the page allocator and the slab: exempt
 * calls (__GFP_NOFAIL, min order, the cache of caches) are never failed,
 * a failed call changes no free count, reports follow __GFP_NOWARN.
 * Everything random is drawn from a fixed seed (KMM_SEED overrides it).
 */
#include <string.h>
#include "kernel/ktest.h"
#include "mm/fault_inject.h"
#include "mm/slab.h"
#include "mm/slab_internal.h"
#include "host_mm.h"

static const struct fault_config cfg_always = { 1, 100, 0, -1 };

/* A clean machine, both capabilities off and stopped. */
static void fresh(void)
{
	fault_inject_stop();
	fault_attr_set(&failslab_attr, NULL, 0);
	fault_attr_set(&fail_page_alloc_attr, NULL, 0);
	fail_page_alloc_min_order = 0;
	host_mm_setup_default();
	slab_debug_setup("-");
	kmem_cache_init();
}

/* ---- the option parser ---------------------------------------------------- */

static void parse_valid(struct ktest *t)
{
	struct fault_config c;
	char why[128];

	KTEST_ASSERT_EQ(t, fault_config_parse("10,100,0,-1", &c, why, sizeof(why)), 0);
	KTEST_EXPECT_EQ(t, c.interval, 10);
	KTEST_EXPECT_EQ(t, c.probability, 100);
	KTEST_EXPECT_EQ(t, c.space, 0);
	KTEST_EXPECT_EQ(t, c.times, -1);
	KTEST_ASSERT_EQ(t, fault_config_parse("0,5,4096,3", &c, why, sizeof(why)), 0);
	KTEST_EXPECT_EQ(t, c.interval, 0);
	KTEST_EXPECT_EQ(t, c.probability, 5);
	KTEST_EXPECT_EQ(t, c.space, 4096);
	KTEST_EXPECT_EQ(t, c.times, 3);
	KTEST_ASSERT_EQ(t, fault_config_parse("9223372036854775807,0,9223372036854775807,0",
					     &c, why, sizeof(why)), 0);
	KTEST_EXPECT_EQ(t, c.interval, 9223372036854775807UL);
	KTEST_EXPECT_EQ(t, c.space, 9223372036854775807L);
	KTEST_EXPECT_EQ(t, c.times, 0);
}

static void parse_garbled(struct ktest *t)
{
	static const struct {
		const char *in, *why;
	} bad[] = {
		{ "", "expects <interval>" },
		{ "1,2,3", "has 3 of the 4 fields" },
		{ "1", "has 1 of the 4 fields" },
		{ "1,2,3,4,5", "more than the 4 fields" },
		{ "a,1,1,1", "interval \"a\" is not a decimal number" },
		{ "1,x5,0,1", "probability \"x5\" is not a decimal number" },
		{ "1,101,0,1", "probability 101 is out of range" },
		{ "1,10,-1,1", "space -1 is out of range" },
		{ "1,10,0,-2", "times -2 is out of range" },
		{ "-1,10,0,1", "interval -1 is out of range" },
		{ "1, 2,3,4", "probability \" 2\" is not a decimal number" },
		{ "1,2,3,4x", "times \"4x\" is not a decimal number" },
		{ "1,,3,4", "probability \"\" is not a decimal number" },
		{ "99999999999999999999999,1,1,1", "interval 99" },
		{ "9223372036854775808,1,1,1", "out of range" },
		{ "0x10,1,1,1", "interval \"0x10\" is not a decimal number" },
	};
	struct fault_config c = cfg_always;
	unsigned int i;
	char why[128];

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		why[0] = '\0';
		KTEST_EXPECT_EQ(t, fault_config_parse(bad[i].in, &c, why, sizeof(why)), -EINVAL);
		if (!strstr(why, bad[i].why))
			KTEST_FAIL(t, "\"%s\": reason \"%s\", expected \"%s\"", bad[i].in,
				   why, bad[i].why);
	}
	KTEST_EXPECT_EQ(t, fault_config_parse(NULL, &c, why, sizeof(why)), -EINVAL);
	/* A refused string leaves the output alone. */
	KTEST_EXPECT_EQ(t, c.probability, 100);
}

/* A garbled option warns, naming it, and leaves the capability off. */
static void setup_garbled_stays_off(struct ktest *t)
{
	unsigned long mark;

	fresh();
	fault_inject_start();
	mark = ktest_console_mark();
	KTEST_EXPECT_EQ(t, setup_fault_attr(&failslab_attr, "1,2,3"), -EINVAL);
	KTEST_EXPECT_EQ(t, host_console_count(mark,
		"FAULT_INJECTION: failslab=1,2,3 has 3 of the 4 fields"), 1);
	KTEST_EXPECT_FALSE(t, failslab_active);

	/* A good setting, then a garbled one: off again. */
	KTEST_EXPECT_EQ(t, setup_fault_attr(&fail_page_alloc_attr, "1,100,0,-1"), 0);
	KTEST_EXPECT_TRUE(t, fail_page_alloc_active);
	mark = ktest_console_mark();
	KTEST_EXPECT_EQ(t, setup_fault_attr(&fail_page_alloc_attr, "1,100,zero,-1"), -EINVAL);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "fail_page_alloc stays off"), 1);
	KTEST_EXPECT_FALSE(t, fail_page_alloc_active);
	KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL, 0) != NULL);
	fault_inject_stop();
}

static void min_order_option(struct ktest *t)
{
	unsigned long mark;

	fresh();
	KTEST_EXPECT_EQ(t, setup_fail_page_alloc_min_order("3"), 0);
	KTEST_EXPECT_EQ(t, fail_page_alloc_min_order, 3);
	KTEST_EXPECT_EQ(t, setup_fail_page_alloc_min_order("10"), 0);
	KTEST_EXPECT_EQ(t, fail_page_alloc_min_order, 10);
	mark = ktest_console_mark();
	KTEST_EXPECT_EQ(t, setup_fail_page_alloc_min_order("11"), -EINVAL);
	KTEST_EXPECT_EQ(t, host_console_count(mark,
		"FAULT_INJECTION: fail_page_alloc_min_order=11: order 11 is out of range (0 .. 10); it stays 10"), 1);
	KTEST_EXPECT_EQ(t, setup_fail_page_alloc_min_order("2,"), -EINVAL);
	KTEST_EXPECT_EQ(t, setup_fail_page_alloc_min_order("x"), -EINVAL);
	KTEST_EXPECT_EQ(t, setup_fail_page_alloc_min_order(""), -EINVAL);
	KTEST_EXPECT_EQ(t, setup_fail_page_alloc_min_order(NULL), -EINVAL);
	KTEST_EXPECT_EQ(t, setup_fail_page_alloc_min_order("-1"), -EINVAL);
	KTEST_EXPECT_EQ(t, fail_page_alloc_min_order, 10);
	fail_page_alloc_min_order = 0;
}

/* ---- the decisions --------------------------------------------------------- */

/* How many of @n calls of @size fail under @c, as a bitmap of the first 64. */
static unsigned long run_calls(struct fault_attr *a, const struct fault_config *c,
			       unsigned long n, long size, u64 *first64)
{
	unsigned long i, failed = 0;

	fault_attr_set(a, c, host_seed(0x5eed));
	*first64 = 0;
	for (i = 0; i < n; i++)
		if (should_fail_ex(a, size, FAULT_NOWARN, 0)) {
			failed++;
			if (i < 64)
				*first64 |= 1ULL << i;
		}
	return failed;
}

static void interval_every_nth(struct ktest *t)
{
	const struct fault_config c = { 3, 100, 0, -1 };
	u64 bits;

	fresh();
	fault_inject_start();
	KTEST_EXPECT_EQ(t, run_calls(&failslab_attr, &c, 30, 8, &bits), 10);
	/* Calls 3, 6, 9, ... (bit i is call i + 1). */
	KTEST_EXPECT_EQ(t, bits, 0x24924924ULL & ((1ULL << 30) - 1));
	KTEST_EXPECT_EQ(t, failslab_attr.injected, 10);
	/* interval 0 and 1 both mean every call. */
	KTEST_EXPECT_EQ(t, run_calls(&failslab_attr, &(struct fault_config){ 0, 100, 0, -1 },
				     20, 8, &bits), 20);
	KTEST_EXPECT_EQ(t, run_calls(&failslab_attr, &cfg_always, 20, 8, &bits), 20);
	fault_inject_stop();
}

static void times_limits_failures(struct ktest *t)
{
	const struct fault_config c = { 2, 100, 0, 5 };
	u64 bits;

	fresh();
	fault_inject_start();
	KTEST_EXPECT_EQ(t, run_calls(&fail_page_alloc_attr, &c, 40, 1, &bits), 5);
	KTEST_EXPECT_EQ(t, bits, 0x2aaULL); /* calls 2, 4, 6, 8, 10 */
	KTEST_EXPECT_EQ(t, fault_attr_get(&fail_page_alloc_attr).times, 0);
	/* Used up: the fast paths are back. */
	KTEST_EXPECT_FALSE(t, fail_page_alloc_active);
	/* times 0 from the start: nothing, and never active. */
	KTEST_EXPECT_EQ(t, run_calls(&fail_page_alloc_attr,
				     &(struct fault_config){ 1, 100, 0, 0 }, 10, 1, &bits), 0);
	KTEST_EXPECT_FALSE(t, fail_page_alloc_active);
	fault_inject_stop();
}

/* Linux: while space > size the call goes through and space shrinks by size. */
static void space_lets_bytes_through(struct ktest *t)
{
	const struct fault_config c = { 1, 100, 100, -1 };
	u64 bits;

	fresh();
	fault_inject_start();
	/* 100 -> 70 -> 40 -> 10, then 10 <= 30: every later call fails. */
	KTEST_EXPECT_EQ(t, run_calls(&failslab_attr, &c, 10, 30, &bits), 7);
	KTEST_EXPECT_EQ(t, bits, 0x3f8ULL);
	KTEST_EXPECT_EQ(t, fault_attr_get(&failslab_attr).space, 10);
	/* Space is counted before the interval: calls inside it do not count. */
	KTEST_EXPECT_EQ(t, run_calls(&failslab_attr, &(struct fault_config){ 2, 100, 100, -1 },
				     10, 30, &bits), 3);
	KTEST_EXPECT_EQ(t, bits, 0x150ULL); /* calls 5, 7, 9: the 2nd, 4th, 6th past space */
	fault_inject_stop();
}

static void probability_is_percent(struct ktest *t)
{
	const struct fault_config c30 = { 1, 30, 0, -1 }, c0 = { 1, 0, 0, -1 };
	unsigned long n;
	u64 a, b;

	fresh();
	fault_inject_start();
	n = run_calls(&failslab_attr, &c30, 20000, 8, &a);
	KTEST_EXPECT_GT(t, n, 5400);
	KTEST_EXPECT_LT(t, n, 6600);
	/* The same seed, the same failures. */
	KTEST_EXPECT_EQ(t, run_calls(&failslab_attr, &c30, 20000, 8, &b), n);
	KTEST_EXPECT_EQ(t, a, b);
	/* Probability 0 never fails and is never active. */
	KTEST_EXPECT_EQ(t, run_calls(&failslab_attr, &c0, 1000, 8, &a), 0);
	KTEST_EXPECT_FALSE(t, failslab_active);
	/* Interval and probability together: 1 in 4 calls eligible, 30% of those. */
	n = run_calls(&failslab_attr, &(struct fault_config){ 4, 30, 0, -1 }, 40000, 8, &a);
	KTEST_EXPECT_GT(t, n, 2700);
	KTEST_EXPECT_LT(t, n, 3300);
	fault_inject_stop();
}

/* Configured but not started (boot), or stopped: nothing is injected. */
static void stopped_injects_nothing(struct ktest *t)
{
	fresh();
	fault_attr_set(&failslab_attr, &cfg_always, 1);
	fault_attr_set(&fail_page_alloc_attr, &cfg_always, 1);
	KTEST_EXPECT_FALSE(t, failslab_active);
	KTEST_EXPECT_FALSE(t, fail_page_alloc_active);
	fault_inject_start();
	KTEST_EXPECT_TRUE(t, failslab_active);
	KTEST_EXPECT_TRUE(t, fail_page_alloc_active);
	fault_inject_stop();
	KTEST_EXPECT_FALSE(t, failslab_active);
	KTEST_EXPECT_FALSE(t, fail_page_alloc_active);
	KTEST_EXPECT_TRUE(t, kmalloc(64, GFP_KERNEL) != NULL);
}

/* ---- the hooks ------------------------------------------------------------- */

static void page_alloc_hook(struct ktest *t)
{
	unsigned long before, mark;
	struct page *p;

	fresh();
	fault_attr_set(&fail_page_alloc_attr, &cfg_always, 1);
	fault_inject_start();
	before = nr_free_pages();
	mark = ktest_console_mark();
	KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0) == NULL);
	KTEST_EXPECT_TRUE(t, alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 3) == NULL);
	KTEST_EXPECT_TRUE(t, alloc_pages(GFP_DMA | __GFP_NOWARN, MAX_PAGE_ORDER) == NULL);
	KTEST_EXPECT_EQ(t, __get_free_pages(__GFP_NOWARN, 1), 0);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "FAULT_INJECTION"), 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
	KTEST_EXPECT_EQ(t, fail_page_alloc_attr.injected, 4);

	/* __GFP_NOFAIL is never failed. */
	p = alloc_pages(GFP_KERNEL | __GFP_NOFAIL, 2);
	KTEST_ASSERT_NOT_NULL(t, p);
	__free_pages(p, 2);

	/* Without __GFP_NOWARN: Linux's report, and no page allocation failure. */
	mark = ktest_console_mark();
	KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL, 0) == NULL);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "FAULT_INJECTION: forcing a failure."), 1);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "name fail_page_alloc, interval 1, probability 100, space 0, times -1, caller "), 1);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "page allocation failure"), 0);

	/* min order: smaller orders go through. */
	fail_page_alloc_min_order = 2;
	p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 1);
	KTEST_ASSERT_NOT_NULL(t, p);
	__free_pages(p, 1);
	KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL | __GFP_NOWARN, 2) == NULL);
	fail_page_alloc_min_order = 0;
	fault_inject_stop();
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
}

/* After FAULT_REPORTS_MAX reports, one line says the rest are suppressed. */
static void reports_are_limited(struct ktest *t)
{
	unsigned long mark;
	unsigned int i;

	fresh();
	fault_attr_set(&fail_page_alloc_attr, &cfg_always, 1);
	fault_inject_start();
	mark = ktest_console_mark();
	for (i = 0; i < FAULT_REPORTS_MAX + 5; i++)
		KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL, 0) == NULL);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "FAULT_INJECTION: forcing a failure."),
			FAULT_REPORTS_MAX);
	KTEST_EXPECT_EQ(t, host_console_count(mark,
		"FAULT_INJECTION: fail_page_alloc: further reports suppressed"), 1);
	fault_inject_stop();
}

static void slab_hook(struct ktest *t)
{
	struct kmem_cache *s;
	unsigned long mark;
	void *p;

	fresh();
	fault_attr_set(&failslab_attr, &cfg_always, 1);
	fault_inject_start();
	mark = ktest_console_mark();
	/* struct kmem_cache itself is exempt, as in Linux. */
	s = kmem_cache_create("fi-test", 40, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, s);
	KTEST_EXPECT_TRUE(t, kmem_cache_alloc(s, GFP_KERNEL | __GFP_NOWARN) == NULL);
	KTEST_EXPECT_TRUE(t, kmem_cache_zalloc(s, __GFP_NOWARN) == NULL);
	KTEST_EXPECT_TRUE(t, kmalloc(64, __GFP_NOWARN) == NULL);
	KTEST_EXPECT_TRUE(t, kzalloc(1000, __GFP_NOWARN) == NULL);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "FAULT_INJECTION"), 0);
	/* Large kmallocs come from the page allocator: not failslab's. */
	p = kmalloc(3 * KMALLOC_MAX_CACHE_SIZE, __GFP_NOWARN);
	KTEST_EXPECT_TRUE(t, p != NULL);
	kfree(p);
	p = kmem_cache_alloc(s, GFP_KERNEL | __GFP_NOFAIL);
	KTEST_ASSERT_NOT_NULL(t, p);
	kmem_cache_free(s, p);
	p = kmalloc(64, __GFP_NOFAIL);
	KTEST_ASSERT_NOT_NULL(t, p);
	kfree(p);
	KTEST_EXPECT_EQ(t, kmem_cache_alloc_bulk(s, __GFP_NOWARN, 4, (void *[4]){ 0 }), 0);

	mark = ktest_console_mark();
	KTEST_EXPECT_TRUE(t, kmalloc(100, GFP_KERNEL) == NULL);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "name failslab, interval 1, probability 100"), 1);
	fault_inject_stop();
	p = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, p != NULL);
	kmem_cache_free(s, p);
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
	kmem_cache_destroy(s);
}

/*
 * The slab survives failures inside itself: a new slab's pages, a CPU's
 * first magazine. A cache never used, under fail_page_alloc at 50%:
 * whatever succeeds is a good object, and the counts come back.
 */
static void slab_survives_page_failures(struct ktest *t)
{
	enum { N = 600 };
	static void *obj[N];
	struct fault_config c = { 1, 50, 0, -1 };
	struct kmem_cache *s;
	unsigned long before;
	unsigned int i, got = 0, bad = 0;

	fresh();
	s = kmem_cache_create("fi-pages", 500, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, s);
	before = nr_free_pages();
	fault_attr_set(&fail_page_alloc_attr, &c, host_seed(7));
	fault_inject_start();
	for (i = 0; i < N; i++) {
		obj[i] = kmem_cache_alloc(s, __GFP_NOWARN);
		if (obj[i]) {
			memset(obj[i], (int)i, 500);
			got++;
		}
	}
	fault_inject_stop();
	KTEST_EXPECT_GT(t, fail_page_alloc_attr.injected, 0);
	KTEST_EXPECT_GT(t, got, 0);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	for (i = 0; i < N; i++) {
		if (!obj[i])
			continue;
		if (((u8 *)obj[i])[0] != (u8)i || ((u8 *)obj[i])[499] != (u8)i)
			bad++;
		kmem_cache_free(s, obj[i]);
	}
	KTEST_EXPECT_EQ(t, bad, 0);
	kmem_cache_shrink(s);
	kmem_cache_shrink(&slab_magazine_cache);
	drain_all_pages();
	kmem_cache_destroy(s);
	kmem_cache_shrink(&slab_magazine_cache);
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
}

static const struct ktest_case fault_inject_cases[] = {
	KTEST_CASE(parse_valid),
	KTEST_CASE(parse_garbled),
	KTEST_CASE(setup_garbled_stays_off),
	KTEST_CASE(min_order_option),
	KTEST_CASE(interval_every_nth),
	KTEST_CASE(times_limits_failures),
	KTEST_CASE(space_lets_bytes_through),
	KTEST_CASE(probability_is_percent),
	KTEST_CASE(stopped_injects_nothing),
	KTEST_CASE(page_alloc_hook),
	KTEST_CASE(reports_are_limited),
	KTEST_CASE(slab_hook),
	KTEST_CASE(slab_survives_page_failures),
};

KTEST_SUITE(fault_inject, fault_inject_cases);

// SPDX-License-Identifier: MIT
/*
 * The magazine depot, the bulk API and giving slab memory back
 * (mm/slab_depot.c, mm/slab_bulk.c), in the kernel and, through
 * tests/host/test_slab_depot.c, on the host's fake machine.
 *
 * Counting cases compare free pages in a settled state: the cache under
 * test shrunk, slab_reclaim() run (so that reserves other caches keep do
 * not move between the two counts) and every per-CPU page list drained.
 * Exhaustion is made cheap on big machines: every block but a reserve of
 * pages is taken first, then the reserve is given back and the slab cache
 * runs the allocator dry.
 *
 * Cases that print a report on purpose: free_bulk_checks_each_pointer
 * ("BUG dep-bulk-a: Wrong cache"), full_magazine_exchange_checks_first
 * ("BUG dep-full: Object already free").
 */
#include "kernel/ktest.h"
#include "kmm/string.h"
#include "mm/gfp.h"
#include "mm/slab.h"
#include "mm/slab_internal.h"
#include "mm/kasan.h"
#include "tests/kernel/ktest_pages.h"
#ifndef KMM_HOST
#include "arch/x86_64/smp.h"
#endif

#define DEP_RESERVE 256  /* pages left to the slab cache when exhausting */
#define DEP_BIG     512  /* object size of the exhaustion caches */
#define DEP_MANY    4000

static void *dep_v[DEP_MANY], *dep_w[DEP_MANY];

/* Free pages with @s shrunk, other caches' spare memory reclaimed, lists drained. */
static unsigned long dep_settled(struct kmem_cache *s)
{
	if (s)
		kmem_cache_shrink(s);
	slab_reclaim();
	drain_all_pages();
	return nr_free_pages();
}

static bool dep_has_magazines(struct ktest *t, struct kmem_cache *s)
{
	if (s->mag_limit)
		return true;
	ktest_skip(t, "cache has no magazines (slab_debug= is on)");
	kmem_cache_destroy(s);
	return false;
}

/* Is every pointer of @v[0..n) a distinct object start of @s? */
static bool dep_distinct_objects(struct kmem_cache *s, void **v, unsigned int n)
{
	unsigned int i, j, idx;

	for (i = 0; i < n; i++) {
		struct page *head = v[i] ? slab_lookup(v[i]) : NULL;

		if (!head || head->slab_cache != s || !slab_obj_index(s, head, v[i], &idx))
			return false;
		for (j = 0; j < i; j++)
			if (v[j] == v[i])
				return false;
	}
	return true;
}

/* ---- the depot ------------------------------------------------------------ */

/*
 * Frees beyond two magazines send whole magazines into the depot; the next
 * allocations take them back without touching a slab.
 */
static void depot_swaps_whole_magazines(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("dep-swap", 64, 0, SLAB_SKIP_KFENCE, NULL);
	unsigned long slabs, free_objs;
	unsigned int i, j, n = 600, found = 0;

	KTEST_ASSERT_NOT_NULL(t, s);
	if (!dep_has_magazines(t, s))
		return;
	KTEST_ASSERT_LE(t, n, s->depot_max_full * s->mag_limit);
	for (i = 0; i < n; i++) {
		dep_v[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, dep_v[i]);
	}
	for (i = 0; i < n; i++)
		kmem_cache_free(s, dep_v[i]);
	/* Two magazines stay on the CPU; every other full one is in the depot. */
	KTEST_EXPECT_GE(t, s->nr_depot_full, (n - 2 * s->mag_limit) / s->mag_limit);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	slabs = s->nr_slabs;
	free_objs = s->free_objects;
	for (i = 0; i < n; i++) {
		dep_w[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, dep_w[i]);
	}
	/* All from magazines: no slab gave or took an object. */
	KTEST_EXPECT_EQ(t, s->nr_slabs, slabs);
	KTEST_EXPECT_EQ(t, s->free_objects, free_objs);
	KTEST_EXPECT_EQ(t, s->nr_depot_full, 0);
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			if (dep_w[i] == dep_v[j]) {
				found++;
				break;
			}
	/* The objects freed, but for what a refill had left in the magazine. */
	KTEST_EXPECT_GE(t, found, n - s->mag_limit);
	KTEST_EXPECT_TRUE(t, dep_distinct_objects(s, dep_w, n));
	for (i = 0; i < n; i++)
		kmem_cache_free(s, dep_w[i]);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	kmem_cache_destroy(s);
}

/*
 * A free that finds this CPU's magazine full goes to the depot straight
 * from the fast path (slab_free_full()), but only after every check of the
 * free: a double free meets the magazine mark and is refused, moving
 * nothing; a good free then exchanges the magazine without touching a slab.
 */
static void full_magazine_exchange_checks_first(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("dep-full", 64, 0, SLAB_SKIP_KFENCE, NULL);
	unsigned long mark, on_slabs;
	struct slab_magazine *m;
	unsigned int i, n;

	KTEST_ASSERT_NOT_NULL(t, s);
	if (!dep_has_magazines(t, s))
		return;
	n = s->mag_limit;
	for (i = 0; i <= n; i++) {
		dep_v[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, dep_v[i]);
	}
	/* The allocator's own checks must see these frees, not KASAN's. */
	kasan_disable_current();
	slab_drain_all_magazines(s);
	for (i = 0; i < n; i++)
		kmem_cache_free(s, dep_v[i]);
	m = s->mag[mm_cpu_id()];
	KTEST_EXPECT_EQ(t, m->avail, m->limit);
	on_slabs = s->free_objects;

	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG dep-full: Object already free");
	kmem_cache_free(s, dep_v[n / 2]);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "BUG dep-full: Object already free"));
	KTEST_EXPECT_TRUE(t, s->mag[mm_cpu_id()] == m);
	KTEST_EXPECT_EQ(t, m->avail, m->limit);
	KTEST_EXPECT_EQ(t, s->free_objects, on_slabs);

	kmem_cache_free(s, dep_v[n]);
	m = s->mag[mm_cpu_id()];
	KTEST_EXPECT_EQ(t, m->avail, 1);
	KTEST_EXPECT_TRUE(t, m->slot[1] == dep_v[n]);
	KTEST_EXPECT_EQ(t, s->free_objects, on_slabs);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	kasan_enable_current();
	KTEST_EXPECT_GT(t, kmem_cache_shrink(s), 0);
	KTEST_EXPECT_EQ(t, s->nr_slabs, 0);
	kmem_cache_destroy(s);
}

/* The depot keeps at most depot_max_full full magazines; the rest goes to the slabs. */
static void depot_keeps_its_bound(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("dep-bound", 64, 0, SLAB_SKIP_KFENCE, NULL);
	unsigned int i;

	KTEST_ASSERT_NOT_NULL(t, s);
	if (!dep_has_magazines(t, s))
		return;
	KTEST_ASSERT_TRUE(t, DEP_MANY > (s->depot_max_full + 2) * s->mag_limit);
	for (i = 0; i < DEP_MANY; i++) {
		dep_v[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, dep_v[i]);
	}
	for (i = 0; i < DEP_MANY; i++)
		kmem_cache_free(s, dep_v[i]);
	KTEST_EXPECT_EQ(t, s->nr_depot_full, s->depot_max_full);
	KTEST_EXPECT_GT(t, s->free_objects, 0);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	/* Shrinking empties the depot and every magazine into the slabs. */
	KTEST_EXPECT_GT(t, kmem_cache_shrink(s), 0);
	KTEST_EXPECT_EQ(t, s->nr_depot_full, 0);
	KTEST_EXPECT_EQ(t, s->nr_depot_empty, 0);
	KTEST_EXPECT_EQ(t, s->nr_slabs, 0);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	kmem_cache_destroy(s);
}

/* ---- the bulk API --------------------------------------------------------- */

static void bulk_alloc_and_free(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("dep-bulk", 96, 0, SLAB_SKIP_KFENCE, NULL);
	unsigned int i, n = 300, k;
	bool zero = true;
	void *keep;

	KTEST_ASSERT_NOT_NULL(t, s);
	KTEST_EXPECT_EQ(t, kmem_cache_alloc_bulk(s, GFP_KERNEL, 0, dep_v), 0);
	KTEST_ASSERT_EQ(t, kmem_cache_alloc_bulk(s, GFP_KERNEL, n, dep_v), (int)n);
	KTEST_EXPECT_TRUE(t, dep_distinct_objects(s, dep_v, n));
	for (i = 0; i < n; i++)
		memset(dep_v[i], 0xa5, 96);
	kmem_cache_free_bulk(s, n, dep_v);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);

	/* __GFP_ZERO zeroes every object, those from magazines included. */
	KTEST_ASSERT_EQ(t, kmem_cache_alloc_bulk(s, GFP_KERNEL | __GFP_ZERO, n, dep_v), (int)n);
	for (i = 0; i < n; i++)
		for (k = 0; k < 96; k++)
			zero &= ((unsigned char *)dep_v[i])[k] == 0;
	KTEST_EXPECT_TRUE(t, zero);
	KTEST_EXPECT_TRUE(t, dep_distinct_objects(s, dep_v, n));
	/* Freed one by one or in bulk, objects are the same. */
	for (i = 0; i < n / 2; i++)
		kmem_cache_free(s, dep_v[i]);
	keep = dep_v[n / 2];
	dep_v[n / 2] = NULL; /* skipped, as Linux does */
	kmem_cache_free(s, keep);
	kmem_cache_free_bulk(s, n - n / 2, dep_v + n / 2);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	KTEST_EXPECT_GT(t, kmem_cache_shrink(s), 0);
	KTEST_EXPECT_EQ(t, s->nr_slabs, 0);
	kmem_cache_destroy(s);
}

/* Out of memory half way: 0, and nothing kept (Linux's contract). */
static void bulk_alloc_fails_whole(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("dep-bulk-oom", DEP_BIG, 0, SLAB_SKIP_KFENCE, NULL);
	struct page *list = NULL, *reserve[16];
	unsigned long before;
	unsigned int i;

	KTEST_ASSERT_NOT_NULL(t, s);
	kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL));
	before = dep_settled(s);
	for (i = 0; i < ARRAY_SIZE(reserve); i++) {
		reserve[i] = alloc_page(GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, reserve[i]);
	}
	grab_all(&list, GFP_KERNEL);
	for (i = 0; i < ARRAY_SIZE(reserve); i++)
		__free_page(reserve[i]);
	/* 16 pages hold far fewer than DEP_MANY objects. */
	KTEST_EXPECT_EQ(t, kmem_cache_alloc_bulk(s, GFP_KERNEL | __GFP_NOWARN, DEP_MANY, dep_v), 0);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	/* None kept: with the magazines emptied, every slab is empty. */
	kmem_cache_shrink(s);
	KTEST_EXPECT_EQ(t, s->nr_slabs, 0);
	free_all(list);
	KTEST_EXPECT_EQ(t, dep_settled(s), before);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
	kmem_cache_destroy(s);
}

static void shrink_kmalloc(void)
{
	unsigned int i;

	for (i = 1; i <= KMALLOC_NR_CLASSES; i++)
		kmem_cache_shrink(kmalloc_caches[i]);
}

/* kfree_bulk() frees kmalloc objects of any class, large ones and cache objects. */
static void kfree_bulk_mixed_caches(struct ktest *t)
{
	static const unsigned int sizes[] = { 8, 64, 100, 512, 3000, 8192, 20000, 70000 };
	struct kmem_cache *s = kmem_cache_create("dep-mixed", 200, 0, SLAB_SKIP_KFENCE, NULL);
	unsigned long before, mark;
	unsigned int n = 0, round;

	KTEST_ASSERT_NOT_NULL(t, s);
	for (round = 0; round < 2; round++) {
		/* Round 0 warms up (magazines), round 1 counts. */
		shrink_kmalloc();
		before = dep_settled(s);
		mark = ktest_console_mark();
		for (n = 0; n < 96; n++) {
			if (n % 12 == 11)
				dep_v[n] = NULL;
			else if (n % 12 == 10)
				dep_v[n] = kmem_cache_alloc(s, GFP_KERNEL);
			else
				dep_v[n] = kmalloc(sizes[n % ARRAY_SIZE(sizes)], GFP_KERNEL);
			KTEST_ASSERT_TRUE(t, dep_v[n] || n % 12 == 11);
		}
		if (round)
			kfree_bulk(n, dep_v);
		else
			kmem_cache_free_bulk(NULL, n, dep_v);
		KTEST_EXPECT_FALSE(t, ktest_console_contains(mark, "BUG"));
		KTEST_EXPECT_EQ(t, slab_check_all(), 0);
		shrink_kmalloc();
		if (round)
			KTEST_EXPECT_EQ(t, dep_settled(s), before);
	}
	kmem_cache_destroy(s);
}

/* A bulk free checks each pointer: one of another cache is reported and refused. */
static void free_bulk_checks_each_pointer(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("dep-bulk-a", 64, 0, SLAB_SKIP_KFENCE, NULL);
	struct kmem_cache *o = kmem_cache_create("dep-bulk-b", 64, 0, SLAB_SKIP_KFENCE, NULL);
	unsigned long mark;
	void *v[3], *b;

	KTEST_ASSERT_NOT_NULL(t, s);
	KTEST_ASSERT_NOT_NULL(t, o);
	v[0] = kmem_cache_alloc(s, GFP_KERNEL);
	v[1] = b = kmem_cache_alloc(o, GFP_KERNEL);
	v[2] = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, v[0] && v[1] && v[2]);
	ktest_expect_report(t, "BUG dep-bulk-a: Wrong cache");
	mark = ktest_console_mark();
	kmem_cache_free_bulk(s, 3, v);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "BUG dep-bulk-a: Wrong cache"));
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	KTEST_EXPECT_EQ(t, slab_check(o), 0);
	/* The refused object is still live in its own cache. */
	kmem_cache_shrink(s);
	kmem_cache_shrink(o);
	KTEST_EXPECT_EQ(t, s->nr_slabs, 0);
	KTEST_EXPECT_EQ(t, o->nr_slabs, 1);
	kmem_cache_free(o, b);
	kmem_cache_destroy(s);
	kmem_cache_destroy(o);
}

/* ---- giving memory back --------------------------------------------------- */

/* The page allocator, running dry, empties the depots before it fails. */
static void reclaim_before_failing(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("dep-reclaim", DEP_BIG, 0, SLAB_SKIP_KFENCE, NULL);
	struct page *list = NULL;
	unsigned long before, slabs;
	unsigned int i, n = 2000;

	KTEST_ASSERT_NOT_NULL(t, s);
	if (!dep_has_magazines(t, s))
		return;
	before = dep_settled(s);
	for (i = 0; i < n; i++) {
		dep_v[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, dep_v[i]);
	}
	for (i = 0; i < n; i++)
		kmem_cache_free(s, dep_v[i]);
	KTEST_EXPECT_GT(t, s->nr_depot_full, 0);
	slabs = s->nr_slabs;
	grab_all(&list, GFP_KERNEL);
	/* The last allocations failed only after the depot went back. */
	KTEST_EXPECT_EQ(t, s->nr_depot_full, 0);
	KTEST_EXPECT_EQ(t, s->nr_empty, 0);
	KTEST_EXPECT_LT(t, s->nr_slabs, slabs);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	free_all(list);
	KTEST_EXPECT_EQ(t, dep_settled(s), before);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
	kmem_cache_destroy(s);
}

/* Objects chained through their first word, so exhaustion needs no array. */
static unsigned long dep_alloc_until_failure(struct kmem_cache *s, void **chain,
					     unsigned long max)
{
	unsigned long n = 0;
	void **o;

	while (n < max && (o = kmem_cache_alloc(s, GFP_KERNEL | __GFP_NOWARN))) {
		*o = *chain;
		*chain = o;
		n++;
	}
	return n;
}

static void dep_free_chain(struct kmem_cache *s, void *chain)
{
	while (chain) {
		void *next = *(void **)chain;

		kmem_cache_free(s, chain);
		chain = next;
	}
}

/* Run memory out through a cache, free it all, shrink: back to the exact count. */
static void exhaust_free_shrink_baseline(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("dep-exhaust", DEP_BIG, 0, SLAB_SKIP_KFENCE, NULL);
	struct page *list = NULL, *reserve[DEP_RESERVE];
	unsigned long before, n;
	void *chain = NULL;
	unsigned int i;

	KTEST_ASSERT_NOT_NULL(t, s);
	before = dep_settled(s);
	for (i = 0; i < DEP_RESERVE; i++) {
		reserve[i] = alloc_page(GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, reserve[i]);
	}
	grab_all(&list, GFP_KERNEL);
	for (i = 0; i < DEP_RESERVE; i++)
		__free_page(reserve[i]);
	n = dep_alloc_until_failure(s, &chain, ~0UL);
	KTEST_EXPECT_GT(t, n, DEP_RESERVE);
	dep_free_chain(s, chain);
	if (s->mag_limit)
		KTEST_EXPECT_EQ(t, s->nr_depot_full, s->depot_max_full);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	free_all(list);
	KTEST_EXPECT_EQ(t, dep_settled(s), before);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
	kmem_cache_destroy(s);
}

#ifndef KMM_HOST
/*
 * -smp 2 and up: every CPU allocates a share and frees it again (full
 * magazines on each CPU and in the depot), then takes a share it keeps;
 * the boot CPU runs memory out; every CPU frees what it holds; the boot
 * CPU shrinks: free pages are back at their exact count.
 */
struct dep_cpu_work {
	struct kmem_cache *s;
	void *chain;
	unsigned long n, share;
};

static struct dep_cpu_work dep_work[NR_CPUS];

static void dep_cpu_fill(void *arg)
{
	struct dep_cpu_work *w = arg;

	w->n = dep_alloc_until_failure(w->s, &w->chain, w->share);
	dep_free_chain(w->s, w->chain);
	w->chain = NULL;
	w->n = dep_alloc_until_failure(w->s, &w->chain, w->share / 2);
}

static void dep_cpu_free(void *arg)
{
	struct dep_cpu_work *w = arg;

	dep_free_chain(w->s, w->chain);
	w->chain = NULL;
}

/* Run @fn on every online CPU at once, the boot CPU included; 0 or an errno. */
static int dep_on_every_cpu(void (*fn)(void *))
{
	unsigned int cpu;
	int err = 0;

	for (cpu = 1; cpu < NR_CPUS; cpu++)
		if (cpu_online(cpu) && !err)
			err = smp_call_async(cpu, fn, &dep_work[cpu]);
	fn(&dep_work[0]);
	for (cpu = 1; cpu < NR_CPUS; cpu++)
		if (cpu_online(cpu))
			smp_wait(cpu);
	return err;
}

static void exhaust_with_depots_on_every_cpu(struct ktest *t)
{
	struct kmem_cache *s;
	struct page *list = NULL, *reserve[DEP_RESERVE];
	unsigned long before, total = 0;
	unsigned int i, cpu;

	if (num_online_cpus() < 2) {
		ktest_skip(t, "only one CPU online");
		return;
	}
	s = kmem_cache_create("dep-smp", DEP_BIG, 0, SLAB_SKIP_KFENCE, NULL);
	KTEST_ASSERT_NOT_NULL(t, s);
	before = dep_settled(s);
	for (i = 0; i < DEP_RESERVE; i++) {
		reserve[i] = alloc_page(GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, reserve[i]);
	}
	grab_all(&list, GFP_KERNEL);
	for (i = 0; i < DEP_RESERVE; i++)
		__free_page(reserve[i]);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		dep_work[cpu] = (struct dep_cpu_work){ .s = s, .share = 400 };
	KTEST_EXPECT_EQ(t, dep_on_every_cpu(dep_cpu_fill), 0);
	/* The boot CPU runs memory out, through every depot magazine. */
	dep_work[0].n += dep_alloc_until_failure(s, &dep_work[0].chain, ~0UL);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		total += dep_work[cpu].n;
	KTEST_EXPECT_GT(t, total, DEP_RESERVE);
	/* Every CPU frees what it holds, at once. */
	KTEST_EXPECT_EQ(t, dep_on_every_cpu(dep_cpu_free), 0);
	if (s->mag_limit)
		KTEST_EXPECT_GT(t, s->nr_depot_full, 0);
	KTEST_EXPECT_EQ(t, slab_check(s), 0);
	free_all(list);
	KTEST_EXPECT_EQ(t, dep_settled(s), before);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
	kmem_cache_destroy(s);
}
#endif

/*
 * The swap counts every object's way through magazines: KASAN's quarantine
 * (make KASAN=1) would hold the frees back, so this CPU frees directly.
 */
static void depot_swaps_whole_magazines_direct(struct ktest *t)
{
	kasan_disable_current();
	depot_swaps_whole_magazines(t);
	kasan_enable_current();
}

static const struct ktest_case slab_depot_kcases[] = {
	{ "depot_swaps_whole_magazines", depot_swaps_whole_magazines_direct },
	KTEST_CASE(full_magazine_exchange_checks_first),
	KTEST_CASE(depot_keeps_its_bound),
	KTEST_CASE(bulk_alloc_and_free),
	KTEST_CASE(bulk_alloc_fails_whole),
	KTEST_CASE(kfree_bulk_mixed_caches),
	KTEST_CASE(free_bulk_checks_each_pointer),
	KTEST_CASE(reclaim_before_failing),
	KTEST_CASE(exhaust_free_shrink_baseline),
#ifndef KMM_HOST
	KTEST_CASE(exhaust_with_depots_on_every_cpu),
#endif
};

KTEST_SUITE(slab_depot, slab_depot_kcases);

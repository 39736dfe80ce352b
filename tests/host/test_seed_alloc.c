// SPDX-License-Identifier: MIT
/*
 * The seed allocators (tests/host/seed_alloc.h): what the benchmarks rely on
 * when they replay traces through them. A random model test per family
 * checks that blocks never overlap, are aligned, keep their contents until
 * freed, and that seed_check() finds the heap healthy after every step; the
 * other cases pin down each policy (coalescing, the rover, best fit, size
 * classes), running out of arena, and that the checker catches corruption.
 * The seed is printed; KMM_SEED=<n> repeats a run.
 */
#include <stdlib.h>
#include <string.h>
#include "kernel/ktest.h"
#include "host_mm.h"
#include "seed_alloc.h"

#define ARENA_SIZE (8UL << 20)
#define MODEL_SLOTS 256
#define MODEL_STEPS 3000

static unsigned char *arena;
static u64 rng_state;

static u64 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int fresh(struct seed_heap *h, enum seed_kind kind, size_t size)
{
	if (!arena)
		arena = aligned_alloc(SEED_PAGE, ARENA_SIZE);
	if (!arena)
		return -1;
	memset(arena, 0x33, ARENA_SIZE);
	return seed_init(h, kind, arena, size);
}

struct live {
	unsigned char *p;
	size_t size;
	unsigned char tag;
};

static bool pattern_intact(const struct live *l)
{
	size_t i;

	for (i = 0; i < l->size; i++)
		if (l->p[i] != (unsigned char)(l->tag + i))
			return false;
	return true;
}

/* A request size: mostly small, some page-sized, a few beyond 8 KiB. */
static size_t random_size(void)
{
	u64 r = rnd() % 100;

	if (r < 70)
		return 1 + rnd() % 256;
	if (r < 95)
		return 1 + rnd() % 4096;
	return 4097 + rnd() % 20000;
}

static void random_model(struct ktest *t, enum seed_kind kind)
{
	static struct live live[MODEL_SLOTS];
	struct seed_heap h;
	unsigned int step, i, n = 0;

	rng_state = host_seed(0x5eedf00d) | 1;
	printk("# %s: seed %#llx\n", seed_kind_name(kind), (unsigned long long)rng_state);
	KTEST_ASSERT_EQ(t, fresh(&h, kind, ARENA_SIZE), 0);
	for (step = 0; step < MODEL_STEPS; step++) {
		bool do_alloc = n == 0 || (n < MODEL_SLOTS && rnd() % 100 < 55);

		if (do_alloc) {
			struct live *l = &live[n];

			l->size = random_size();
			l->tag = (unsigned char)rnd();
			l->p = seed_alloc(&h, l->size);
			KTEST_ASSERT_NOT_NULL(t, l->p);
			KTEST_ASSERT_EQ(t, (unsigned long)l->p % SEED_ALIGN, 0);
			KTEST_ASSERT_TRUE(t, l->p >= arena && l->p + l->size <= arena + ARENA_SIZE);
			if (kind != SEED_BUMP)
				KTEST_ASSERT_GE(t, seed_usable_size(&h, l->p), l->size);
			for (i = 0; i < n; i++) {
				if (l->p < live[i].p + live[i].size && live[i].p < l->p + l->size) {
					KTEST_FAIL(t, "step %u: [%p, +%zu) overlaps [%p, +%zu)", step,
						   (void *)l->p, l->size, (void *)live[i].p, live[i].size);
					return;
				}
			}
			for (i = 0; i < l->size; i++)
				l->p[i] = (unsigned char)(l->tag + i);
			n++;
		} else {
			struct live *l = &live[rnd() % n];

			if (!pattern_intact(l)) {
				KTEST_FAIL(t, "step %u: contents of %p (%zu bytes) changed", step,
					   (void *)l->p, l->size);
				return;
			}
			seed_free(&h, l->p);
			*l = live[--n];
		}
		if (seed_check(&h)) {
			KTEST_FAIL(t, "step %u: seed_check found errors", step);
			return;
		}
	}
	for (i = 0; i < n; i++) {
		KTEST_EXPECT_TRUE(t, pattern_intact(&live[i]));
		seed_free(&h, live[i].p);
	}
	KTEST_EXPECT_EQ(t, seed_check(&h), 0);
	KTEST_EXPECT_GT(t, seed_footprint(&h), 0);
}

static void model_bump(struct ktest *t) { random_model(t, SEED_BUMP); }
static void model_first_fit(struct ktest *t) { random_model(t, SEED_FIRST_FIT); }
static void model_next_fit(struct ktest *t) { random_model(t, SEED_NEXT_FIT); }
static void model_best_fit(struct ktest *t) { random_model(t, SEED_BEST_FIT); }
static void model_segregated(struct ktest *t) { random_model(t, SEED_SEGREGATED); }

/* Freeing the middle of three free-to-be blocks leaves one block spanning all three. */
static void fit_coalesces_both_sides(struct ktest *t)
{
	enum seed_kind kind;

	for (kind = SEED_FIRST_FIT; kind <= SEED_BEST_FIT; kind++) {
		struct seed_heap h;
		unsigned char *a, *b, *c, *guard, *big;
		size_t span;

		KTEST_ASSERT_EQ(t, fresh(&h, kind, ARENA_SIZE), 0);
		a = seed_alloc(&h, 100);
		b = seed_alloc(&h, 200);
		c = seed_alloc(&h, 300);
		guard = seed_alloc(&h, 8);
		KTEST_ASSERT_TRUE(t, a && b && c && guard);
		span = (size_t)(guard - a) - 2 * sizeof(size_t);
		seed_free(&h, a);
		seed_free(&h, c);
		KTEST_EXPECT_LT(t, seed_largest_free(&h), span);
		seed_free(&h, b);
		KTEST_EXPECT_EQ(t, seed_check(&h), 0);
		KTEST_EXPECT_EQ(t, seed_largest_free(&h), span);
		/* The merged block serves a request of its full size, in place. */
		big = seed_alloc(&h, span);
		KTEST_EXPECT_TRUE(t, big == a);
		KTEST_EXPECT_EQ(t, seed_largest_free(&h), 0);
		KTEST_EXPECT_EQ(t, seed_check(&h), 0);
	}
}

/* A free block at the top of the heap is extended, not left behind. */
static void fit_grows_from_free_top(struct ktest *t)
{
	struct seed_heap h;
	unsigned char *a, *b, *c;
	size_t before;

	KTEST_ASSERT_EQ(t, fresh(&h, SEED_FIRST_FIT, ARENA_SIZE), 0);
	a = seed_alloc(&h, 64);
	b = seed_alloc(&h, 1000);
	KTEST_ASSERT_TRUE(t, a && b);
	before = seed_footprint(&h);
	seed_free(&h, b);
	c = seed_alloc(&h, 2000);
	KTEST_EXPECT_TRUE(t, c == b);
	KTEST_EXPECT_EQ(t, seed_footprint(&h), before + 1000);
	KTEST_EXPECT_EQ(t, seed_check(&h), 0);
}

/*
 * Three separated free blocks, newest first on the list: c (1000), b (64),
 * a (200). First fit takes the head twice (the rest of c comes back first);
 * next fit goes on from where it stopped; best fit takes the smallest fit.
 */
static void fit_policies_choose_differently(struct ktest *t)
{
	unsigned char *got[SEED_NR_KINDS][2];
	unsigned char *a = NULL, *b = NULL, *c = NULL;
	enum seed_kind kind;

	for (kind = SEED_FIRST_FIT; kind <= SEED_BEST_FIT; kind++) {
		struct seed_heap h;

		KTEST_ASSERT_EQ(t, fresh(&h, kind, ARENA_SIZE), 0);
		a = seed_alloc(&h, 200);
		seed_alloc(&h, 8);
		b = seed_alloc(&h, 64);
		seed_alloc(&h, 8);
		c = seed_alloc(&h, 1000);
		seed_alloc(&h, 8);
		seed_free(&h, a);
		seed_free(&h, b);
		seed_free(&h, c);
		got[kind][0] = seed_alloc(&h, 48);
		got[kind][1] = seed_alloc(&h, 48);
		KTEST_EXPECT_EQ(t, seed_check(&h), 0);
	}
	KTEST_EXPECT_TRUE(t, got[SEED_FIRST_FIT][0] == c);
	KTEST_EXPECT_TRUE(t, got[SEED_FIRST_FIT][1] > c && got[SEED_FIRST_FIT][1] < c + 1000);
	KTEST_EXPECT_TRUE(t, got[SEED_NEXT_FIT][0] == c);
	KTEST_EXPECT_TRUE(t, got[SEED_NEXT_FIT][1] == b);
	KTEST_EXPECT_TRUE(t, got[SEED_BEST_FIT][0] == b);
	KTEST_EXPECT_TRUE(t, got[SEED_BEST_FIT][1] == a);
}

static void bump_never_reuses(struct ktest *t)
{
	struct seed_heap h;
	unsigned char *a, *b;

	KTEST_ASSERT_EQ(t, fresh(&h, SEED_BUMP, ARENA_SIZE), 0);
	a = seed_alloc(&h, 10);
	seed_free(&h, a);
	b = seed_alloc(&h, 10);
	KTEST_EXPECT_TRUE(t, b == a + 16);
	KTEST_EXPECT_EQ(t, seed_footprint(&h), 32);
}

static void segregated_classes(struct ktest *t)
{
	struct seed_heap h;
	unsigned char *a, *b, *c, *run;

	KTEST_ASSERT_EQ(t, fresh(&h, SEED_SEGREGATED, ARENA_SIZE), 0);
	a = seed_alloc(&h, 100);
	KTEST_ASSERT_NOT_NULL(t, a);
	KTEST_EXPECT_EQ(t, seed_usable_size(&h, a), 128);
	KTEST_EXPECT_EQ(t, (unsigned long)a % 128, 0);
	b = seed_alloc(&h, 128);
	KTEST_EXPECT_TRUE(t, b == a + 128); /* same class, same page */
	c = seed_alloc(&h, 8);
	KTEST_EXPECT_EQ(t, ((unsigned long)(c - a)) / SEED_PAGE, 1); /* its own page */
	seed_free(&h, a);
	KTEST_EXPECT_TRUE(t, seed_alloc(&h, 120) == a); /* reused, last in first out */
	run = seed_alloc(&h, 5000);
	KTEST_ASSERT_NOT_NULL(t, run);
	KTEST_EXPECT_EQ(t, seed_usable_size(&h, run), 8192);
	KTEST_EXPECT_EQ(t, (unsigned long)(run - arena) % SEED_PAGE, 0);
	/* Three pages and a two-page run, plus a class byte for each page. */
	KTEST_EXPECT_EQ(t, seed_footprint(&h), 4 * SEED_PAGE + 4);
	KTEST_EXPECT_EQ(t, seed_check(&h), 0);
}

static void out_of_arena_is_null(struct ktest *t)
{
	enum seed_kind kind;

	for (kind = 0; kind < SEED_NR_KINDS; kind++) {
		struct seed_heap h;
		void *p[64];
		unsigned int n = 0, i;

		KTEST_ASSERT_EQ(t, fresh(&h, kind, 16 * SEED_PAGE), 0);
		while (n < 64 && (p[n] = seed_alloc(&h, 3000)))
			n++;
		KTEST_EXPECT_LT(t, n, 64);
		KTEST_EXPECT_GT(t, n, 0);
		KTEST_EXPECT_TRUE(t, seed_alloc(&h, 0) == NULL);
		KTEST_EXPECT_EQ(t, seed_check(&h), 0);
		for (i = 0; i < n; i++)
			seed_free(&h, p[i]);
		if (kind != SEED_BUMP)
			KTEST_EXPECT_TRUE(t, seed_alloc(&h, 3000) != NULL);
		KTEST_EXPECT_EQ(t, seed_check(&h), 0);
	}
}

/* Should-fail: damage a tag and a free list, the checker must count it. */
static void checker_catches_corruption(struct ktest *t)
{
	struct seed_heap h;
	unsigned char *a, *b;

	KTEST_ASSERT_EQ(t, fresh(&h, SEED_FIRST_FIT, ARENA_SIZE), 0);
	a = seed_alloc(&h, 64);
	b = seed_alloc(&h, 64);
	KTEST_ASSERT_TRUE(t, a && b);
	KTEST_EXPECT_EQ(t, seed_check(&h), 0);
	a[64] ^= 0x10; /* a's footer */
	KTEST_EXPECT_GT(t, seed_check(&h), 0);

	KTEST_ASSERT_EQ(t, fresh(&h, SEED_SEGREGATED, ARENA_SIZE), 0);
	a = seed_alloc(&h, 64);
	b = seed_alloc(&h, 64);
	seed_free(&h, a);
	KTEST_EXPECT_EQ(t, seed_check(&h), 0);
	*(unsigned char **)a = b + 8; /* a link into the middle of a block */
	KTEST_EXPECT_GT(t, seed_check(&h), 0);
}

static const struct ktest_case seed_alloc_cases[] = {
	KTEST_CASE(model_bump),
	KTEST_CASE(model_first_fit),
	KTEST_CASE(model_next_fit),
	KTEST_CASE(model_best_fit),
	KTEST_CASE(model_segregated),
	KTEST_CASE(fit_coalesces_both_sides),
	KTEST_CASE(fit_grows_from_free_top),
	KTEST_CASE(fit_policies_choose_differently),
	KTEST_CASE(bump_never_reuses),
	KTEST_CASE(segregated_classes),
	KTEST_CASE(out_of_arena_is_null),
	KTEST_CASE(checker_catches_corruption),
};

KTEST_SUITE(seed_alloc, seed_alloc_cases);

// SPDX-License-Identifier: MIT
/*
 * The depot, the bulk API and reclaim on the host: the kernel's suite
 * (tests/kernel/test_slab_depot.c) on a fake machine under the sanitizers,
 * and a threaded case in which threads act as CPUs: all of them run memory
 * out through one cache at once, each frees what it got (full magazines on
 * every CPU and in the depot), then one shrinks the cache and free pages
 * must be back at their exact count. It runs DEP_THREAD_ROUNDS times.
 */
#include <pthread.h>
#include "host_mm.h"
#include "kernel/ktest.h"
#include "mm/slab.h"
#include "mm/slab_internal.h"

static void __attribute__((constructor)) depot_machine(void)
{
	host_mm_setup_default();
	kmem_cache_init();
}

#include "../kernel/test_slab_depot.c"

#define DEP_THREADS       4
#define DEP_THREAD_ROUNDS 20

struct dep_thread {
	pthread_t tid;
	unsigned int cpu;
	struct kmem_cache *s;
	pthread_barrier_t *barrier;
	unsigned long n;
};

static void *dep_thread_main(void *arg)
{
	struct dep_thread *w = arg;
	void *chain = NULL;

	host_set_cpu(w->cpu);
	/* Warm: full magazines on this CPU and in the depot first. */
	w->n = dep_alloc_until_failure(w->s, &chain, 300);
	dep_free_chain(w->s, chain);
	chain = NULL;
	pthread_barrier_wait(w->barrier);
	w->n = dep_alloc_until_failure(w->s, &chain, ~0UL);
	pthread_barrier_wait(w->barrier);
	dep_free_chain(w->s, chain);
	return NULL;
}

static void threads_exhaust_free_shrink(struct ktest *t)
{
	struct dep_thread w[DEP_THREADS];
	struct page *list = NULL, *reserve[DEP_RESERVE];
	pthread_barrier_t barrier;
	unsigned long before, total;
	unsigned int i, round;
	struct kmem_cache *s;

	host_mm_setup_default();
	kmem_cache_init();
	host_set_cpu(0);
	for (round = 0; round < DEP_THREAD_ROUNDS; round++) {
		s = kmem_cache_create("dep-threads", DEP_BIG, 0, 0, NULL);
		KTEST_ASSERT_NOT_NULL(t, s);
		before = dep_settled(s);
		for (i = 0; i < DEP_RESERVE; i++) {
			reserve[i] = alloc_page(GFP_KERNEL);
			KTEST_ASSERT_NOT_NULL(t, reserve[i]);
		}
		grab_all(&list, GFP_KERNEL);
		for (i = 0; i < DEP_RESERVE; i++)
			__free_page(reserve[i]);
		pthread_barrier_init(&barrier, NULL, DEP_THREADS);
		for (i = 0; i < DEP_THREADS; i++) {
			w[i] = (struct dep_thread){ .cpu = i + 1, .s = s, .barrier = &barrier };
			KTEST_ASSERT_EQ(t, pthread_create(&w[i].tid, NULL, dep_thread_main, &w[i]), 0);
		}
		for (i = 0, total = 0; i < DEP_THREADS; i++) {
			pthread_join(w[i].tid, NULL);
			total += w[i].n;
		}
		pthread_barrier_destroy(&barrier);
		KTEST_EXPECT_GT(t, total, DEP_RESERVE);
		if (s->mag_limit)
			KTEST_EXPECT_GT(t, s->nr_depot_full, 0);
		KTEST_EXPECT_EQ(t, slab_check(s), 0);
		free_all(list);
		list = NULL;
		KTEST_EXPECT_EQ(t, dep_settled(s), before);
		KTEST_EXPECT_EQ(t, buddy_check(), 0);
		KTEST_EXPECT_EQ(t, slab_check_all(), 0);
		kmem_cache_destroy(s);
		if (t->failures)
			return;
	}
}

static const struct ktest_case depot_host_cases[] = {
	KTEST_CASE(threads_exhaust_free_shrink),
};

KTEST_SUITE(slab_depot_threads, depot_host_cases);

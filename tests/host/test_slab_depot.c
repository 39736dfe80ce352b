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
#include <sched.h>
#include <unistd.h>
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


/*
 * Magazines grow under contention (slab_lock_slow(), as in Bonwick and
 * Adams): a slow path that finds the cache lock taken counts, and every
 * SLAB_DEPOT_GROW_AFTER of them double the capacity of the magazines the
 * cache hands out, up to SLAB_MAG_MAX. CPU 0 holds the lock while CPU 1
 * (a thread) takes a slow path's lock; a round in which CPU 1 comes too late
 * to find it taken simply does not count, so the loop is bounded, not timed.
 */
struct grow_thread {
	struct kmem_cache *s;
	volatile int waiting;
};

static void *grow_thread_main(void *arg)
{
	struct grow_thread *g = arg;
	unsigned long flags;

	host_set_cpu(1);
	flags = mm_irq_save();
	g->waiting = 1;
	slab_lock_slow(g->s);
	mm_spin_unlock(&g->s->lock);
	mm_irq_restore(flags);
	return NULL;
}

static void magazines_grow_under_contention(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("dep-grow", 512, 0, 0, NULL);
	struct grow_thread g = { .s = s };
	unsigned int limit0, round;
	struct slab_magazine *m;
	unsigned long flags;
	pthread_t tid;
	void *obj;

	KTEST_ASSERT_NOT_NULL(t, s);
	limit0 = s->mag_limit;
	KTEST_ASSERT_GE(t, limit0, 1);
	KTEST_ASSERT_LE(t, limit0 * 2, SLAB_MAG_MAX);
	for (round = 0; round < 50 * SLAB_DEPOT_GROW_AFTER && s->mag_limit == limit0; round++) {
		g.waiting = 0;
		flags = mm_irq_save();
		mm_spin_lock(&s->lock);
		KTEST_ASSERT_EQ(t, pthread_create(&tid, NULL, grow_thread_main, &g), 0);
		while (!g.waiting)
			sched_yield();
		usleep(2000); /* long enough, nearly always, to meet the lock taken */
		mm_spin_unlock(&s->lock);
		mm_irq_restore(flags);
		pthread_join(tid, NULL);
	}
	KTEST_EXPECT_EQ(t, s->mag_limit, limit0 * 2);
	KTEST_EXPECT_EQ(t, s->mag_batch, limit0);
	KTEST_EXPECT_GE(t, round, SLAB_DEPOT_GROW_AFTER);
	/* A magazine picks up the new capacity when objects next move into it. */
	host_set_cpu(0);
	obj = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, obj);
	m = s->mag[0];
	KTEST_EXPECT_EQ(t, m->limit, limit0 * 2);
	kmem_cache_free(s, obj);
	KTEST_EXPECT_GT(t, kmem_cache_shrink(s), 0);
	KTEST_EXPECT_EQ(t, s->nr_slabs, 0);
	kmem_cache_destroy(s);
}

static const struct ktest_case depot_host_cases[] = {
	KTEST_CASE(threads_exhaust_free_shrink),
	KTEST_CASE(magazines_grow_under_contention),
};

KTEST_SUITE(slab_depot_threads, depot_host_cases);

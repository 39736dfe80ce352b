// SPDX-License-Identifier: MIT
/*
 * KFENCE's pool logic on the host's fake machine: placement, canary,
 * FIFO reuse, capacity, the sampling count, and every report. The pool is
 * a PROT_NONE reservation (tests/host/port.c), so a stray access
 * really faults: the SIGSEGV handler below plays the kernel's #PF handler
 * and hands the address to kfence_handle_page_fault(), which maps the page,
 * and the access is retried, as in the kernel.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <ucontext.h>
#include "kernel/ktest.h"
#include "mm/slab.h"
#include "mm/slab_internal.h"
#include "mm/kfence.h"
#include "mm/fault_inject.h"
#include "host_mm.h"

static void segv_handler(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	bool write = uc->uc_mcontext.gregs[REG_ERR] & 2;

	if (kfence_handle_page_fault((unsigned long)si->si_addr, write,
				     (unsigned long)uc->uc_mcontext.gregs[REG_RIP],
				     (unsigned long)uc->uc_mcontext.gregs[REG_RBP]))
		return;
	signal(sig, SIG_DFL); /* not ours: fault again, and die */
}

static void fresh(void)
{
	struct sigaction sa;

	kfence_pool_ready = false; /* the old machine's pool is gone */
	host_mm_setup_default();
	kmem_cache_init();
	kfence_sample_interval_setup("1000");
	kfence_init();
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = segv_handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
}

static void *sampled(size_t size, enum kfence_placement where)
{
	kfence_sample_next(where);
	return kmalloc(size, GFP_KERNEL);
}

static bool canary_ok(unsigned long a)
{
	return *(volatile u8 *)a == (u8)(0xaa ^ (a & 7));
}

static void placement_and_canary(struct ktest *t)
{
	unsigned char *l, *r;
	unsigned long a;

	fresh();
	KTEST_ASSERT_TRUE(t, kfence_enabled());
	l = sampled(40, KFENCE_PLACE_LEFT);
	r = sampled(40, KFENCE_PLACE_RIGHT);
	KTEST_ASSERT_TRUE(t, is_kfence_address(l) && is_kfence_address(r));
	KTEST_EXPECT_EQ(t, (unsigned long)l % PAGE_SIZE, 0);
	KTEST_EXPECT_EQ(t, ((unsigned long)r + 40) % PAGE_SIZE, 0);
	KTEST_EXPECT_EQ(t, ksize(l), 40);
	for (a = (unsigned long)l + 40; a < (unsigned long)l + PAGE_SIZE; a++)
		if (!canary_ok(a)) {
			KTEST_FAIL(t, "no canary at %#lx", a);
			break;
		}
	for (a = (unsigned long)r & PAGE_MASK; a < (unsigned long)r; a++)
		if (!canary_ok(a)) {
			KTEST_FAIL(t, "no canary at %#lx", a);
			break;
		}
	/* Objects sit on odd pages, with a guard page between neighbours. */
	KTEST_EXPECT_EQ(t, ((unsigned long)l - host_kfence_start) / PAGE_SIZE % 2, 1);
	KTEST_EXPECT_NE(t, kfence_object_index(l), kfence_object_index(r));
	kfree(l);
	kfree(r);
}

static void faults_reported_and_resumed(struct ktest *t)
{
	volatile char *p;
	unsigned long mark;
	char text[96];
	int idx;

	fresh();
	p = sampled(64, KFENCE_PLACE_RIGHT);
	idx = kfence_object_index((void *)p);
	KTEST_ASSERT_TRUE(t, idx >= 0);
	mark = ktest_console_mark();
	p[64] = 5;
	KTEST_EXPECT_EQ(t, host_console_count(mark, "BUG: KFENCE: out-of-bounds write in"), 1);
	ktest_expect_report(t, "BUG: KFENCE: out-of-bounds write in");
	snprintf(text, sizeof(text), "(64B right of kfence-#%d):", idx);
	KTEST_EXPECT_EQ(t, host_console_count(mark, text), 1);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "size=64, cache=kmalloc-64"), 1);
	/* The guard page is open now: the write landed, no second report. */
	KTEST_EXPECT_EQ(t, p[64], 5);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "BUG"), 1);

	kfree((void *)p);
	mark = ktest_console_mark();
	KTEST_EXPECT_EQ(t, p[1], p[1]);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "BUG: KFENCE: use-after-free read in"), 1);
	ktest_expect_report(t, "BUG: KFENCE: use-after-free read in");
	snprintf(text, sizeof(text), "Use-after-free read at 0x%lx (in kfence-#%d):",
		 (unsigned long)p + 1, idx);
	KTEST_EXPECT_EQ(t, host_console_count(mark, text), 1);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "freed by task 0 on cpu 0:"), 1);
}

/* No live object next to the address: an invalid access, still survived. */
static void invalid_access(struct ktest *t)
{
	volatile char *pool;
	unsigned long mark;
	char text[64];

	fresh();
	pool = (volatile char *)host_kfence_start;
	mark = ktest_console_mark();
	KTEST_EXPECT_EQ(t, pool[100], 0);                 /* guard page 0 */
	pool[3 * PAGE_SIZE + 8] = 1;                       /* object #1, never used */
	KTEST_EXPECT_EQ(t, host_console_count(mark, "BUG: KFENCE: invalid read in"), 1);
	ktest_expect_report(t, "BUG: KFENCE: invalid read in");
	KTEST_EXPECT_EQ(t, host_console_count(mark, "BUG: KFENCE: invalid write in"), 1);
	ktest_expect_report(t, "BUG: KFENCE: invalid write in");
	snprintf(text, sizeof(text), "Invalid read at 0x%lx:", host_kfence_start + 100);
	KTEST_EXPECT_EQ(t, host_console_count(mark, text), 1);
	KTEST_EXPECT_EQ(t, pool[3 * PAGE_SIZE + 8], 1);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "BUG"), 2);
}

static void bad_frees_and_corruption(struct ktest *t)
{
	struct kmem_cache *s, *other;
	unsigned long mark;
	char *p;

	fresh();
	p = sampled(64, KFENCE_PLACE_LEFT);
	mark = ktest_console_mark();
	kfree(p + 8);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "BUG: KFENCE: invalid free in"), 1);
	ktest_expect_report(t, "BUG: KFENCE: invalid free in");
	KTEST_EXPECT_EQ(t, host_console_count(mark, "Invalid free of 0x"), 1);
	p[64] = 0; /* canary damage, right after the object */
	kfree(p);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "BUG: KFENCE: memory corruption in"), 1);
	ktest_expect_report(t, "BUG: KFENCE: memory corruption in");
	KTEST_EXPECT_EQ(t, host_console_count(mark, "[ 0x00 . . . . . . . . . . . . . . . ]"), 1);
	kfree(p);
	/* Counted since the same mark: the first invalid free, and this one. */
	KTEST_EXPECT_EQ(t, host_console_count(mark, "BUG: KFENCE: invalid free in"), 2);
	ktest_expect_report(t, "BUG: KFENCE: invalid free in");

	/* kmem_cache_free() naming another cache is an invalid free too. */
	s = kmem_cache_create("kfence-host", 64, 0, 0, NULL);
	other = kmem_cache_create("kfence-other", 64, 0, 0, NULL);
	kfence_sample_next(KFENCE_PLACE_RANDOM);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, is_kfence_address(p));
	mark = ktest_console_mark();
	kmem_cache_free(other, p);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "BUG: KFENCE: invalid free in"), 1);
	ktest_expect_report(t, "BUG: KFENCE: invalid free in");
	kmem_cache_free(s, p);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "BUG"), 1);
	kmem_cache_destroy(s);
	kmem_cache_destroy(other);
}

/* An object outliving its cache: reported at destroy, freeable with kfree. */
static void object_outlives_cache(struct ktest *t)
{
	struct kmem_cache *s;
	unsigned long mark;
	char *p;

	fresh();
	s = kmem_cache_create("kfence-gone", 48, 0, 0, NULL);
	kfence_sample_next(KFENCE_PLACE_LEFT);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, is_kfence_address(p));
	mark = ktest_console_mark();
	kmem_cache_destroy(s);
	KTEST_EXPECT_EQ(t, host_console_count(mark,
		"of cache kfence-gone still allocated at kmem_cache_destroy"), 1);
	kfree(p);
	kfree(p);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "size=48, cache=(destroyed)"), 1);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "BUG: KFENCE: invalid free"), 1);
	ktest_expect_report(t, "BUG: KFENCE: invalid free");
}

static void fifo_reuse_and_capacity(struct ktest *t)
{
	static void *objs[300];
	struct kfence_stats st;
	unsigned int n = 0, i;
	void *p;

	fresh();
	for (;;) {
		p = sampled(32, KFENCE_PLACE_RANDOM);
		if (!is_kfence_address(p)) {
			kfree(p);
			break;
		}
		KTEST_ASSERT_TRUE(t, n < ARRAY_SIZE(objs));
		objs[n++] = p;
	}
	kfence_get_stats(&st);
	KTEST_EXPECT_EQ(t, n, 255);
	KTEST_EXPECT_EQ(t, st.allocated, 255);
	KTEST_EXPECT_EQ(t, st.skipped_capacity, 1);
	for (i = 0; i < n; i++)
		kfree(objs[i]);
	/* The object freed longest ago comes back first. */
	p = sampled(32, KFENCE_PLACE_RANDOM);
	KTEST_EXPECT_EQ(t, kfence_object_index(p), kfence_object_index(objs[0]));
	kfree(p);
	kfence_get_stats(&st);
	KTEST_EXPECT_EQ(t, st.allocated, 0);
	KTEST_EXPECT_EQ(t, st.total_frees, 256);
	KTEST_EXPECT_EQ(t, st.bugs, 0);
}

/* One in every 1000 allocations on a CPU, counted on fast and slow paths. */
static void sampling_count(struct ktest *t)
{
	static void *objs[3000];
	unsigned int i, in_pool = 0, first = 0;

	fresh();
	for (i = 0; i < ARRAY_SIZE(objs); i++) {
		objs[i] = i % 2 ? kmalloc(16, GFP_KERNEL) : kzalloc(16, GFP_KERNEL);
		if (is_kfence_address(objs[i]) && !in_pool++)
			first = i;
		KTEST_EXPECT_EQ(t, ((char *)objs[i])[0] & (i % 2 ? 0 : 0xff), 0);
	}
	KTEST_EXPECT_EQ(t, in_pool, 3);
	/* Internal allocations (the cache's first magazine) count as well. */
	KTEST_EXPECT_GE(t, first, 990);
	KTEST_EXPECT_LE(t, first, 999);
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		kfree(objs[i]);

	/* 0 turns it off: kfence_init sets up nothing. */
	kfence_pool_ready = false;
	host_mm_setup_default();
	kmem_cache_init();
	kfence_sample_interval_setup("0");
	kfence_init();
	KTEST_EXPECT_FALSE(t, kfence_enabled());
	KTEST_EXPECT_FALSE(t, kfence_sample_next(KFENCE_PLACE_LEFT));
	for (i = 0; i < ARRAY_SIZE(objs); i++) {
		objs[i] = kmalloc(16, GFP_KERNEL);
		KTEST_EXPECT_FALSE(t, is_kfence_address(objs[i]));
	}
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		kfree(objs[i]);
	KTEST_EXPECT_EQ(t, kfence_sample_interval_setup("12x"), -EINVAL);
	KTEST_EXPECT_EQ(t, kfence_sample_interval_setup(""), -EINVAL);
	KTEST_EXPECT_EQ(t, kfence_sample_interval_setup("99999999999"), -EINVAL);
	KTEST_EXPECT_EQ(t, kfence_sample_interval_setup("1000"), 0);
}

/* CPU 1: allocations until one fails (failslab noticed), at most w->limit. */
struct fs_thread {
	unsigned long limit, tries;
	pthread_barrier_t *barrier;
};

static void *failslab_cpu1(void *arg)
{
	struct fs_thread *w = arg;
	void *p;

	host_set_cpu(1);
	/* Warm: this CPU's kmalloc-16 magazine holds objects. */
	for (w->tries = 0; w->tries < 100; w->tries++)
		kfree(kmalloc(16, GFP_KERNEL));
	pthread_barrier_wait(w->barrier); /* CPU 0 starts failslab */
	pthread_barrier_wait(w->barrier);
	for (w->tries = 1; w->tries <= w->limit; w->tries++) {
		p = kmalloc(16, GFP_KERNEL | __GFP_NOWARN);
		if (!p)
			break;
		kfree(p);
	}
	return NULL;
}

/*
 * failslab= rides on the countdown (mm/kfence.c): while it may inject,
 * every allocation takes the slow path, a warm magazine's too, and KFENCE
 * still samples one allocation in 1000 there; another CPU notices within
 * one interval of its own allocations; stopped, sampling goes on as before.
 */
static void failslab_keeps_sampling(struct ktest *t)
{
	static const struct fault_config always = { 1, 100, 0, -1 };
	static void *objs[3000];
	struct fs_thread w = { .limit = 1001 };
	pthread_barrier_t barrier;
	unsigned int i, in_pool = 0;
	pthread_t tid;

	fresh();
	host_set_cpu(0);
	pthread_barrier_init(&barrier, NULL, 2);
	w.barrier = &barrier;
	KTEST_ASSERT_EQ(t, pthread_create(&tid, NULL, failslab_cpu1, &w), 0);
	for (i = 0; i < 100; i++)
		kfree(kmalloc(16, GFP_KERNEL)); /* a warm magazine here too */
	pthread_barrier_wait(&barrier);
	fault_attr_set(&failslab_attr, &always, 1);
	fault_inject_start();
	pthread_barrier_wait(&barrier);
	pthread_join(tid, NULL);
	pthread_barrier_destroy(&barrier);
	KTEST_EXPECT_LE(t, w.tries, 1001);
	/* This CPU's magazine has objects; the allocation fails all the same. */
	KTEST_EXPECT_TRUE(t, kmalloc(16, GFP_KERNEL | __GFP_NOWARN) == NULL);
	/*
	 * ... and the next ones: an injection puts the countdown back to 1.
	 * (Left at 0, the next decrement wrapped and the magazine served.)
	 */
	KTEST_EXPECT_GT(t, kmalloc_caches[kmalloc_size_index[2]]->mag[0]->avail, 0);
	for (i = 0; i < 3; i++)
		KTEST_EXPECT_TRUE(t, kmalloc(16, GFP_KERNEL | __GFP_NOWARN) == NULL);
	/* So does one from an empty magazine, which the fast path's miss refills. */
	slab_drain_all_magazines(kmalloc_caches[kmalloc_size_index[2]]);
	KTEST_EXPECT_EQ(t, kmalloc_caches[kmalloc_size_index[2]]->mag[0]->avail, 0);
	KTEST_EXPECT_TRUE(t, kmalloc(16, GFP_KERNEL | __GFP_NOWARN) == NULL);
	/* __GFP_NOFAIL goes through, and counts for KFENCE as before. */
	for (i = 0; i < ARRAY_SIZE(objs); i++) {
		objs[i] = kmalloc(16, GFP_KERNEL | __GFP_NOFAIL);
		KTEST_ASSERT_NOT_NULL(t, objs[i]);
		in_pool += is_kfence_address(objs[i]);
	}
	KTEST_EXPECT_EQ(t, in_pool, 3);
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		kfree(objs[i]);
	fault_inject_stop();
	fault_attr_set(&failslab_attr, NULL, 0);
	in_pool = 0;
	for (i = 0; i < ARRAY_SIZE(objs); i++) {
		objs[i] = kmalloc(16, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, objs[i]);
		in_pool += is_kfence_address(objs[i]);
	}
	KTEST_EXPECT_EQ(t, in_pool, 3);
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		kfree(objs[i]);
}

static const struct ktest_case kfence_host_cases[] = {
	KTEST_CASE(placement_and_canary),
	KTEST_CASE(faults_reported_and_resumed),
	KTEST_CASE(invalid_access),
	KTEST_CASE(bad_frees_and_corruption),
	KTEST_CASE(object_outlives_cache),
	KTEST_CASE(fifo_reuse_and_capacity),
	KTEST_CASE(sampling_count),
	KTEST_CASE(failslab_keeps_sampling),
};

KTEST_SUITE(kfence_host, kfence_host_cases);

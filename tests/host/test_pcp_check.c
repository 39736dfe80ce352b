// SPDX-License-Identifier: MIT
/*
 * buddy_check() while other CPUs free pages: a healthy allocator must read
 * as healthy at every moment the per-CPU list locks are free, so a list
 * over its high mark must be trimmed before its lock is dropped.
 */
#include <pthread.h>
#include "kernel/ktest.h"
#include "mm/gfp.h"
#include "host_mm.h"

static volatile int stop;

/*
 * DMA32 requests use the per-zone lists of the slow path, where it showed;
 * orders 0-3 mixed make refills overshoot a list's high mark if they may.
 */
static void *pcp_churn(void *arg)
{
	struct page *p[64];
	unsigned int i;

	host_set_cpu((unsigned int)(unsigned long)arg);
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		for (i = 0; i < 64; i++)
			p[i] = alloc_pages(GFP_KERNEL | __GFP_DMA32 |
					   __GFP_NOWARN, i & 3);
		for (i = 0; i < 64; i++)
			if (p[i])
				__free_pages(p[i], i & 3);
	}
	return NULL;
}

static void buddy_check_quiet_while_cpus_free(struct ktest *t)
{
	pthread_t th[2];
	unsigned int i, errors = 0;
	unsigned long mark;
	bool quiet;

	host_mm_setup_default();
	stop = 0;
	for (i = 0; i < 2; i++)
		KTEST_ASSERT_EQ(t, pthread_create(&th[i], NULL, pcp_churn,
						  (void *)(unsigned long)(i + 1)), 0);
	mark = ktest_console_mark();
	quiet = host_console_quiet(true);
	for (i = 0; i < 20000; i++)
		errors += buddy_check();
	host_console_quiet(quiet);
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	KTEST_EXPECT_EQ(t, errors, 0);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "above high"), 0);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

static const struct ktest_case pcp_check_cases[] = {
	KTEST_CASE(buddy_check_quiet_while_cpus_free),
};
KTEST_SUITE(pcp_check, pcp_check_cases);

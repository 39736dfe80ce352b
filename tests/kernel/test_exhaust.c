// SPDX-License-Identifier: MIT
/*
 * Exhaust, then free everything: the free page count must come back to its
 * exact baseline (issue 12, finding 8), for large kmallocs and vmalloc
 * (pages: buddy's "exhaustion"; slab objects: slab_depot's
 * "exhaust_free_shrink_baseline").
 *
 * On a big machine all but EX_RESERVE pages are first taken in
 * MAX_PAGE_ORDER blocks, so exhaustion costs the same on 128 MiB and 6 GiB.
 * Every allocation is chained through its own first word: no array.
 *
 * vmalloc's address space, once used, keeps its page tables (and, with
 * KASAN, its shadow), as Linux's does: at most one page-table page per
 * 2 MiB of the range ever used, reused as first fit hands out the lowest
 * addresses again. So the vmalloc case exhausts twice: the second round,
 * over the same addresses, must give back every page to the last one, and
 * both must give back every descriptor page (vmalloc_pool_pages()).
 */
#include "kernel/ktest.h"
#include "mm/gfp.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"

#define EX_RESERVE 2048UL /* pages left to exhaust one by one */

/* Take MAX_PAGE_ORDER blocks until about EX_RESERVE pages are left free. */
static void *take_all_but_reserve(void)
{
	void *chain = NULL, *p;

	while (nr_free_pages() > EX_RESERVE + (1UL << MAX_PAGE_ORDER)) {
		p = (void *)__get_free_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER);
		if (!p)
			break;
		*(void **)p = chain;
		chain = p;
	}
	return chain;
}

static void give_back_reserve(void *chain)
{
	while (chain) {
		void *next = *(void **)chain;

		free_pages((unsigned long)chain, MAX_PAGE_ORDER);
		chain = next;
	}
}

/* Everything settled: spare slabs and per-CPU lists back in the buddy. */
static unsigned long settled_free(void)
{
	slab_reclaim();
	drain_all_pages();
	return nr_free_pages();
}

static void large_kmalloc_baseline(struct ktest *t)
{
	unsigned long before = settled_free(), n = 0;
	void *reserve = take_all_but_reserve(), *chain = NULL, *p;

	while ((p = kmalloc(3 * PAGE_SIZE, GFP_KERNEL | __GFP_NOWARN))) {
		*(void **)p = chain;
		chain = p;
		n++;
	}
	KTEST_EXPECT_GT(t, n, 100);
	while (chain) {
		p = *(void **)chain;
		kfree(chain);
		chain = p;
	}
	give_back_reserve(reserve);
	KTEST_EXPECT_EQ(t, settled_free(), before);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

/* One-page vmallocs until none is left; all freed. The number made. */
static unsigned long vmalloc_round(void)
{
	void *reserve = take_all_but_reserve(), *chain = NULL, *p;
	unsigned long n = 0;

	while ((p = __vmalloc(PAGE_SIZE, GFP_KERNEL | __GFP_NOWARN))) {
#ifdef KMM_KASAN
		/*
		 * Not to the last page: an area whose shadow could not be
		 * made keeps a freed area's stale shadow (mm/kasan), and
		 * writing to it is reported as out of bounds.
		 */
		if (nr_free_pages() < EX_RESERVE / 2) {
			vfree(p);
			break;
		}
#endif
		*(void **)p = chain;
		chain = p;
		n++;
	}
	while (chain) {
		p = *(void **)chain;
		vfree(chain);
		chain = p;
	}
	give_back_reserve(reserve);
	return n;
}

static void vmalloc_baseline(struct ktest *t)
{
	unsigned long pool = vmalloc_pool_pages(), before = settled_free(), n, bound;

	n = vmalloc_round();
	KTEST_EXPECT_GT(t, n, 200);
	KTEST_EXPECT_EQ(t, vmalloc_pool_pages(), pool);
	/*
	 * What the first round may keep: page tables for the 2n pages of
	 * address range it used (areas and guards), and KASAN's shadow of it.
	 * A descriptor kept per area (1/32 page) would exceed it.
	 */
	bound = DIV_ROUND_UP(2 * n, 512) + 3;
#ifdef KMM_KASAN
	bound += DIV_ROUND_UP(2 * n, 8) + 3;
#endif
	KTEST_EXPECT_LE(t, before - settled_free(), bound);
	before = settled_free();
	n = vmalloc_round();
	KTEST_EXPECT_GT(t, n, 200);
	KTEST_EXPECT_EQ(t, vmalloc_pool_pages(), pool);
	KTEST_EXPECT_EQ(t, settled_free(), before);
	KTEST_EXPECT_EQ(t, vmalloc_check(), 0);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

static int exhaust_init(void)
{
	return slab_is_available() ? 0 : -ENOSYS;
}

static const struct ktest_case exhaust_cases[] = {
	KTEST_CASE(large_kmalloc_baseline),
	KTEST_CASE(vmalloc_baseline),
};
KTEST_SUITE(exhaust, exhaust_cases, .init = exhaust_init);

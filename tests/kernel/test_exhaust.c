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
/* What one page-table page maps, and one page-middle-directory page (x86-64). */
#define EX_PTE_SPAN_SHIFT 21
#define EX_PMD_SPAN_SHIFT 30

/*
 * Take MAX_PAGE_ORDER blocks, then single pages, until EX_RESERVE pages are
 * left free: every round then exhausts the same amount, however many pages
 * the kernel happens to hold (a block's worth more or less would move how
 * far a round reaches, and with it the page tables it needs).
 */
static void *take_all_but_reserve(void)
{
	void *chain = NULL, *p;
	unsigned int order = MAX_PAGE_ORDER;

	for (;;) {
		if (nr_free_pages() <= EX_RESERVE + (1UL << order)) {
			if (!order)
				break;
			order = 0;
			continue;
		}
		p = (void *)__get_free_pages(GFP_KERNEL | __GFP_NOWARN, order);
		if (!p)
			break;
		*(void **)p = chain;
		*((unsigned long *)p + 1) = order;
		chain = p;
	}
	return chain;
}

static void give_back_reserve(void *chain)
{
	while (chain) {
		void *next = *(void **)chain;

		free_pages((unsigned long)chain, *((unsigned long *)chain + 1));
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

	while ((p = kmalloc(KMALLOC_MAX_CACHE_SIZE + PAGE_SIZE, GFP_KERNEL | __GFP_NOWARN))) {
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

/*
 * One-page vmallocs until none is left; all freed. The number made; the
 * highest address handed out in *@top.
 */
static unsigned long vmalloc_round(unsigned long *top)
{
	void *reserve = take_all_but_reserve(), *chain = NULL, *p;
	unsigned long n = 0;

	*top = 0;

	/*
	 * To the very last page, KASAN build included: there the last areas
	 * fail for want of shadow pages, and vmalloc must then fail cleanly
	 * (NULL, nothing leaked) rather than hand out an area whose stale
	 * shadow makes this write a false report.
	 */
	while ((p = __vmalloc(PAGE_SIZE, GFP_KERNEL | __GFP_NOWARN))) {
		if ((unsigned long)p > *top)
			*top = (unsigned long)p;
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
	unsigned long pool = vmalloc_pool_pages(), before = settled_free(), n, bound, top;
	unsigned long first_top, past;

	n = vmalloc_round(&top);
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
	first_top = top;
	n = vmalloc_round(&top);
	KTEST_EXPECT_GT(t, n, 200);
	KTEST_EXPECT_EQ(t, vmalloc_pool_pages(), pool);
	/*
	 * The second round keeps nothing more, but for the page tables of any
	 * address range it reached past the first: one page per 2 MiB, one per
	 * 1 GiB (the first round kept a few pages, so this one has a few more),
	 * and under KASAN that range's shadow, a page per 8 and its tables.
	 */
	past = top > first_top ? top - first_top : 0;
	bound = past ? (top >> EX_PTE_SPAN_SHIFT) - (first_top >> EX_PTE_SPAN_SHIFT) +
		       (top >> EX_PMD_SPAN_SHIFT) - (first_top >> EX_PMD_SPAN_SHIFT) : 0;
#ifdef KMM_KASAN
	if (past)
		bound += DIV_ROUND_UP(past, 8 * PAGE_SIZE) + 3;
	KTEST_EXPECT_LE(t, before - settled_free(), bound);
#else
	KTEST_EXPECT_EQ(t, before - settled_free(), bound);
#endif
	KTEST_EXPECT_EQ(t, vmalloc_check(), 0);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

/*
 * Exhaustion inside a hole of used address space, below a live area: there
 * the page tables (and KASAN's shadow, reading "freed") are all in place
 * already, so even the first round gives back every page. With KASAN this
 * is where an area whose shadow could not be made used to be handed out
 * anyway, its stale shadow turning the first write into a false report:
 * vmalloc must fail instead.
 */
static void vmalloc_exhaust_in_hole(struct ktest *t)
{
	unsigned long hole, pool, before, n, top;
	void *low, *high, *reserve;

	/*
	 * Every area has a guard page, and a round finds more pages than
	 * nr_free_pages() shows here (per-CPU lists drained when it runs
	 * dry): twice twice that.
	 */
	settled_free();
	reserve = take_all_but_reserve();
	hole = 4 * nr_free_pages() + 1024;
	give_back_reserve(reserve);
	low = __vmalloc(hole * PAGE_SIZE, GFP_KERNEL | __GFP_NOWARN);
	if (!low) {
		ktest_skip(t, "not enough free memory for the hole's pages");
		return;
	}
	high = vmalloc(PAGE_SIZE);
	vfree(low);
	KTEST_ASSERT_NOT_NULL(t, high);
	KTEST_EXPECT_GT(t, (unsigned long)high, (unsigned long)low);

	pool = vmalloc_pool_pages();
	before = settled_free();
	n = vmalloc_round(&top);
	KTEST_EXPECT_GT(t, n, 200);
	KTEST_EXPECT_LT(t, top, (unsigned long)high);
	KTEST_EXPECT_EQ(t, vmalloc_pool_pages(), pool);
	KTEST_EXPECT_EQ(t, settled_free(), before);
	KTEST_EXPECT_EQ(t, vmalloc_check(), 0);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
	vfree(high);
}

static int exhaust_init(void)
{
	return slab_is_available() ? 0 : -ENOSYS;
}

static const struct ktest_case exhaust_cases[] = {
	KTEST_CASE(large_kmalloc_baseline),
	KTEST_CASE(vmalloc_baseline),
	KTEST_CASE(vmalloc_exhaust_in_hole),
};
KTEST_SUITE(exhaust, exhaust_cases, .init = exhaust_init);

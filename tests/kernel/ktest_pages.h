/* SPDX-License-Identifier: MIT */
/*
 * Helpers for page-allocator tests, shared by the in-kernel suites
 * (tests/kernel/) and the host tests (tests/host/): taking every block the
 * allocator will give, and giving them all back.
 */
#ifndef TESTS_KERNEL_KTEST_PAGES_H
#define TESTS_KERNEL_KTEST_PAGES_H

#include "mm/gfp.h"

/*
 * Take every block @gfp can get, largest first, chained through the blocks
 * themselves (no other memory is needed). Returns the pages taken.
 */
static inline unsigned long grab_all(struct page **list, gfp_t gfp)
{
	unsigned long pages = 0;
	int o;

	for (o = MAX_PAGE_ORDER; o >= 0; o--) {
		struct page *p;

		while ((p = alloc_pages(gfp | __GFP_NOWARN, (unsigned int)o))) {
			struct page **slot = page_address(p);

			slot[0] = *list;
			slot[1] = (struct page *)(unsigned long)o;
			*list = p;
			pages += 1UL << o;
		}
	}
	return pages;
}

/* Give back every block of a grab_all() chain. */
static inline void free_all(struct page *list)
{
	while (list) {
		struct page **slot = page_address(list);
		struct page *next = slot[0];

		__free_pages(list, (unsigned int)(unsigned long)slot[1]);
		list = next;
	}
}

/* Chain @p (any order) through its first word: a test can hold thousands. */
static inline void chain_push(struct page **head, struct page *p)
{
	*(struct page **)page_address(p) = *head;
	*head = p;
}

/* Free every block of a chain_push() chain, all of order @order; how many. */
static inline unsigned long chain_free(struct page **head, unsigned int order)
{
	unsigned long n = 0;

	while (*head) {
		struct page *p = *head;

		*head = *(struct page **)page_address(p);
		__free_pages(p, order);
		n++;
	}
	return n;
}

/*
 * How much each numastat counter grew over nodes 0..@nodes-1 since
 * @before[] (numa_node_stat() of each, taken earlier), summed into @sum;
 * interleave_hit is summed as it stands (no policy interleaves: 0).
 */
static inline void numastat_growth(const struct kmm_numa_stat *before, int nodes,
				   struct kmm_numa_stat *sum)
{
	struct kmm_numa_stat now;

	*sum = (struct kmm_numa_stat){ 0 };
	for (int nid = 0; nid < nodes; nid++) {
		numa_node_stat(nid, &now);
		sum->numa_hit += now.numa_hit - before[nid].numa_hit;
		sum->numa_miss += now.numa_miss - before[nid].numa_miss;
		sum->numa_foreign += now.numa_foreign - before[nid].numa_foreign;
		sum->local_node += now.local_node - before[nid].local_node;
		sum->other_node += now.other_node - before[nid].other_node;
		sum->interleave_hit += now.interleave_hit;
	}
}

#endif /* TESTS_KERNEL_KTEST_PAGES_H */

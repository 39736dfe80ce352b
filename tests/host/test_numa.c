// SPDX-License-Identifier: MIT
/*
 * The page allocator on machines of several NUMA nodes, built on the host
 * with the same registration calls a port makes before mem_init(); threads
 * (host_set_cpu) act as the CPUs of each node.
 *
 * The machine of most cases, 192 MiB in three nodes and a fourth node of
 * CPUs only:
 *
 *   node 0  [  0,  64M)  CPUs 0-1   DMA + DMA32
 *   node 1  [ 64M,128M)  CPUs 2-3   DMA32
 *   node 2  [128M,192M)  CPUs 4-5   DMA32
 *   node 3  no memory    CPUs 6-7
 *
 *   distance  0   1   2   3
 *        0   10  30  20  40
 *        1   30  10  25  12
 *        2   20  25  10  40
 *        3   40  12  40  10
 *
 * so node 0's nearest is node 2 (not the lowest id), node 1's is node 2,
 * and node 3 takes its memory from node 1. Every case ends with the free
 * page counts of every node back at their baseline and buddy_check() 0.
 */
#include <pthread.h>
#include <string.h>
#include "kernel/ktest.h"
#include "mm/gfp.h"
#include "mm/internal.h"
#include "mm/slab.h"
#include "mm/slab_internal.h"
#include "mm/memblock.h"
#include "host_mm.h"
#include "tests/kernel/ktest_pages.h"

#define MB (1UL << 20)

static const struct boot_mem_range numa_map[] = {
	{ 0x0, 0xa0000, BOOT_MEM_USABLE, 0 },
	{ 0x100000, 192 * MB - 0x100000, BOOT_MEM_USABLE, 0 },
};

static const int dist[4][4] = {
	{ 10, 30, 20, 40 },
	{ 30, 10, 25, 12 },
	{ 20, 25, 10, 40 },
	{ 40, 12, 40, 10 },
};

static void numa_machine(void)
{
	int a, b;

	numa_reset();
	for (a = 0; a < 3; a++)
		numa_add_memblk(a, (unsigned long)a * 64 * MB, (unsigned long)(a + 1) * 64 * MB);
	for (a = 0; a < 4; a++)
		for (b = 0; b < 4; b++)
			numa_set_distance(a, b, dist[a][b]);
	for (a = 0; a < 8; a++)
		numa_set_node((unsigned int)a, a / 2);
	host_mm_setup(numa_map, ARRAY_SIZE(numa_map));
}

/* Back to the machine every other host test knows: one node. */
static void numa_done(void)
{
	host_set_cpu(0);
	numa_reset();
	host_mm_setup_default();
}

static void snapshot_free(unsigned long f[MAX_NUMNODES])
{
	drain_all_pages();
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		f[nid] = numa_node_free_pages(nid);
}

static void expect_free_back(struct ktest *t, const unsigned long base[MAX_NUMNODES])
{
	unsigned long now[MAX_NUMNODES];

	snapshot_free(now);
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		KTEST_EXPECT_EQ(t, now[nid], base[nid]);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

static void topology_gives_nodes_zones(struct ktest *t)
{
	numa_machine();
	KTEST_EXPECT_EQ(t, num_online_nodes(), 4);
	for (int nid = 0; nid < 4; nid++)
		KTEST_EXPECT_TRUE(t, node_online(nid));
	KTEST_EXPECT_FALSE(t, node_online(4));
	KTEST_EXPECT_FALSE(t, node_online(-1));
	/* DMA only where the node's memory reaches below 16 MiB. */
	KTEST_EXPECT_GT(t, zones[0 * PCP_ZONES + ZONE_DMA].managed_pages, 0);
	KTEST_EXPECT_GT(t, zones[0 * PCP_ZONES + ZONE_DMA32].managed_pages, 0);
	KTEST_EXPECT_EQ(t, zones[1 * PCP_ZONES + ZONE_DMA].present_pages, 0);
	KTEST_EXPECT_EQ(t, zones[1 * PCP_ZONES + ZONE_DMA32].present_pages, 64 * MB / PAGE_SIZE);
	KTEST_EXPECT_EQ(t, zones[2 * PCP_ZONES + ZONE_DMA32].present_pages, 64 * MB / PAGE_SIZE);
	KTEST_EXPECT_EQ(t, node_managed_pages(3), 0);
	KTEST_EXPECT_EQ(t, numa_node_free_pages(3), 0);
	/* Each struct page knows its node. */
	KTEST_EXPECT_EQ(t, page_to_nid(pfn_to_page(PHYS_PFN(64 * MB - 1))), 0);
	KTEST_EXPECT_EQ(t, page_to_nid(pfn_to_page(PHYS_PFN(64 * MB))), 1);
	KTEST_EXPECT_EQ(t, page_to_nid(pfn_to_page(PHYS_PFN(191 * MB))), 2);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
	numa_done();
}

static void alloc_is_local(struct ktest *t)
{
	unsigned long base[MAX_NUMNODES];
	unsigned int cpu, i, o;

	numa_machine();
	snapshot_free(base);
	for (cpu = 0; cpu < 6; cpu++) {
		struct page *chain[PCP_NR_ORDERS] = { NULL };

		host_set_cpu(cpu);
		KTEST_EXPECT_EQ(t, numa_node_id(), (int)cpu / 2);
		for (i = 0; i < 200; i++)
			for (o = 0; o < PCP_NR_ORDERS; o++) {
				struct page *p = alloc_pages(GFP_KERNEL, o);

				KTEST_ASSERT_TRUE(t, p != NULL);
				KTEST_EXPECT_EQ(t, page_to_nid(p), (int)cpu / 2);
				chain_push(&chain[o], p);
			}
		/* A larger block, and a DMA32 one, from the local node too. */
		struct page *big = alloc_pages(GFP_KERNEL, 6);
		struct page *d32 = alloc_pages(GFP_DMA32, 0);

		KTEST_ASSERT_TRUE(t, big && d32);
		KTEST_EXPECT_EQ(t, page_to_nid(big), (int)cpu / 2);
		KTEST_EXPECT_EQ(t, page_to_nid(d32), (int)cpu / 2);
		__free_pages(big, 6);
		__free_pages(d32, 0);
		for (o = 0; o < PCP_NR_ORDERS; o++)
			KTEST_EXPECT_EQ(t, chain_free(&chain[o], o), 200);
	}
	host_set_cpu(0);
	expect_free_back(t, base);
	numa_done();
}

/* The node of the first page that is not @nid's, allocating from CPU @cpu. */
static int exhaust_then_fallback(struct ktest *t, unsigned int cpu, int nid,
				 struct page **chain, unsigned long *local)
{
	struct page *p;

	host_set_cpu(cpu);
	*local = 0;
	for (;;) {
		p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);
		if (!p)
			return -1;
		chain_push(chain, p);
		if (page_to_nid(p) != nid)
			return page_to_nid(p);
		++*local;
	}
	(void)t;
}

static void exhausted_node_falls_back_to_nearest(struct ktest *t)
{
	unsigned long base[MAX_NUMNODES], local;
	struct page *chain = NULL;
	struct kmm_numa_stat s0, s2, a0, a2;

	numa_machine();
	snapshot_free(base);
	numa_node_stat(0, &s0);
	numa_node_stat(2, &s2);
	/* Node 0's nearest is node 2 (20), not node 1 (30). */
	KTEST_EXPECT_EQ(t, exhaust_then_fallback(t, 0, 0, &chain, &local), 2);
	/* Node 0 gave nearly all it had (its min watermark stays). */
	KTEST_EXPECT_GT(t, local, base[0] * 9 / 10);
	numa_node_stat(0, &a0);
	numa_node_stat(2, &a2);
	KTEST_EXPECT_EQ(t, a2.numa_miss - s2.numa_miss, 1);
	KTEST_EXPECT_EQ(t, a0.numa_foreign - s0.numa_foreign, 1);
	KTEST_EXPECT_EQ(t, a2.other_node - s2.other_node, 1);
	KTEST_EXPECT_EQ(t, a0.numa_hit - s0.numa_hit, local);
	KTEST_EXPECT_EQ(t, a0.local_node - s0.local_node, local);
	KTEST_EXPECT_EQ(t, chain_free(&chain, 0), local + 1);
	expect_free_back(t, base);
	numa_done();
}

static void thisnode_fails_instead_of_falling_back(struct ktest *t)
{
	unsigned long base[MAX_NUMNODES], n = 0;
	struct page *chain = NULL, *p;
	struct kmm_numa_stat s1, a1;

	numa_machine();
	snapshot_free(base);
	numa_node_stat(1, &s1);
	host_set_cpu(0); /* asking from another node's CPU */
	while ((p = alloc_pages_node(1, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 0))) {
		KTEST_ASSERT_EQ(t, page_to_nid(p), 1);
		chain_push(&chain, p);
		n++;
	}
	KTEST_EXPECT_GT(t, n, base[1] * 9 / 10);
	/* Orders above the per-CPU lists' fail the same way. */
	KTEST_EXPECT_TRUE(t, alloc_pages_node(1, __GFP_THISNODE | __GFP_NOWARN, 5) == NULL);
	/* Without __GFP_THISNODE: node 1's nearest, node 2 (25 < 30). */
	p = alloc_pages_node(1, GFP_KERNEL | __GFP_NOWARN, 0);
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_EQ(t, page_to_nid(p), 2);
	__free_pages(p, 0);
	/* __alloc_pages: the same with a preferred node, a node mask refused. */
	p = __alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0, 1, NULL);
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_EQ(t, page_to_nid(p), 2);
	__free_pages(p, 0);
	numa_node_stat(1, &a1);
	KTEST_EXPECT_EQ(t, a1.numa_hit - s1.numa_hit, n);
	KTEST_EXPECT_EQ(t, a1.numa_foreign - s1.numa_foreign, 2);
	KTEST_EXPECT_EQ(t, a1.other_node - s1.other_node, n);
	KTEST_EXPECT_EQ(t, chain_free(&chain, 0), n);
	expect_free_back(t, base);
	numa_done();
}

static void bad_node_and_nodemask_refused(struct ktest *t)
{
	unsigned long base[MAX_NUMNODES], mark;
	int mask = 1;

	numa_machine();
	snapshot_free(base);
	mark = ktest_console_mark();
	KTEST_EXPECT_TRUE(t, alloc_pages_node(MAX_NUMNODES, GFP_KERNEL, 0) == NULL);
	KTEST_EXPECT_TRUE(t, alloc_pages_node(-2, GFP_KERNEL, 0) == NULL);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "which does not exist"), 2);
	KTEST_EXPECT_TRUE(t, __alloc_pages(GFP_KERNEL, 0, 0, &mask) == NULL);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "node masks are not supported"), 1);
	/* NUMA_NO_NODE is this CPU's node. */
	host_set_cpu(4);
	struct page *p = alloc_pages_node(NUMA_NO_NODE, GFP_KERNEL, 0);

	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_EQ(t, page_to_nid(p), 2);
	__free_pages(p, 0);
	host_set_cpu(0);
	expect_free_back(t, base);
	numa_done();
}

static void remote_free_goes_home(struct ktest *t)
{
	unsigned long base[MAX_NUMNODES], before0;
	struct page *p[64], *big;
	unsigned int i;

	numa_machine();
	snapshot_free(base);
	host_set_cpu(2); /* node 1 */
	for (i = 0; i < 64; i++) {
		p[i] = alloc_pages(GFP_KERNEL, i & 1);
		KTEST_ASSERT_TRUE(t, p[i] != NULL);
		KTEST_EXPECT_EQ(t, page_to_nid(p[i]), 1);
	}
	big = alloc_pages(GFP_KERNEL, 5);
	KTEST_ASSERT_TRUE(t, big != NULL);
	drain_all_pages();
	before0 = numa_node_free_pages(0);
	host_set_cpu(0); /* node 0 frees them */
	for (i = 0; i < 64; i++)
		__free_pages(p[i], i & 1);
	__free_pages(big, 5);
	/* Nothing of node 1 is counted as node 0's, lists included. */
	KTEST_EXPECT_EQ(t, numa_node_free_pages(0), before0);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
	/* CPU 0's allocations stay local: the remote pages serve node 1 only. */
	for (i = 0; i < 64; i++) {
		struct page *q = alloc_pages(GFP_KERNEL, 0);

		KTEST_ASSERT_TRUE(t, q != NULL);
		KTEST_EXPECT_EQ(t, page_to_nid(q), 0);
		__free_pages(q, 0);
	}
	drain_all_pages();
	/* Home: in node 1's free lists (merged into blocks of node 1's zone). */
	for (i = 0; i < 64; i++) {
		struct page *head = NULL;
		unsigned long pfn = page_to_pfn(p[i]);
		unsigned int o;

		for (o = 0; o <= MAX_PAGE_ORDER; o++) {
			head = pfn_to_page(pfn & ~((1UL << o) - 1));
			if (PageBuddy(head) && page_order(head) >= o)
				break;
		}
		KTEST_EXPECT_LE(t, o, MAX_PAGE_ORDER);
		KTEST_EXPECT_EQ(t, page_zone(head)->node, 1);
	}
	expect_free_back(t, base);
	numa_done();
}

static void cpu_only_node_allocates_nearest(struct ktest *t)
{
	unsigned long base[MAX_NUMNODES];
	struct kmm_numa_stat s1, a1;
	struct page *p;

	numa_machine();
	snapshot_free(base);
	numa_node_stat(1, &s1);
	host_set_cpu(6); /* node 3: no memory; nearest node 1 (12) */
	KTEST_EXPECT_EQ(t, numa_node_id(), 3);
	for (unsigned int o = 0; o < 6; o++) {
		p = alloc_pages(GFP_KERNEL, o);
		KTEST_ASSERT_TRUE(t, p != NULL);
		KTEST_EXPECT_EQ(t, page_to_nid(p), 1);
		__free_pages(p, o);
	}
	KTEST_EXPECT_TRUE(t, alloc_pages_node(3, __GFP_THISNODE | __GFP_NOWARN, 0) == NULL);
	KTEST_EXPECT_TRUE(t, alloc_pages(__GFP_THISNODE | __GFP_NOWARN, 0) == NULL);
	p = alloc_pages_node(3, GFP_KERNEL, 0);
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_EQ(t, page_to_nid(p), 1);
	__free_pages(p, 0);
	numa_node_stat(1, &a1);
	/* Node 1 was the preferred node (the first of node 3's list): hits, from another node's CPU. */
	KTEST_EXPECT_EQ(t, a1.numa_hit - s1.numa_hit, 7);
	KTEST_EXPECT_EQ(t, a1.other_node - s1.other_node, 7);
	KTEST_EXPECT_EQ(t, a1.numa_miss - s1.numa_miss, 0);
	host_set_cpu(0);
	expect_free_back(t, base);
	numa_done();
}

/* hit + miss = allocations = local + other, foreign = miss, over every node. */
static void counters_add_up(struct ktest *t)
{
	struct kmm_numa_stat s[4], g;
	unsigned long base[MAX_NUMNODES], allocs = 0;
	struct page *chain[PCP_NR_ORDERS + 3] = { NULL };
	unsigned int cpu, i;
	int nid;

	numa_machine();
	snapshot_free(base);
	for (nid = 0; nid < 4; nid++)
		numa_node_stat(nid, &s[nid]);
	for (cpu = 0; cpu < 8; cpu++) {
		host_set_cpu(cpu);
		for (i = 0; i < 300; i++) {
			unsigned int o = i % 5;
			struct page *p = i % 3 == 0 ? alloc_pages_node((int)(i / 3) % 4, GFP_KERNEL, o) :
					 alloc_pages(i % 7 ? GFP_KERNEL : GFP_DMA32, o);

			KTEST_ASSERT_TRUE(t, p != NULL);
			chain_push(&chain[o], p);
			allocs++;
		}
	}
	numastat_growth(s, 4, &g);
	KTEST_EXPECT_EQ(t, g.interleave_hit, 0);
	KTEST_EXPECT_EQ(t, g.numa_hit + g.numa_miss, allocs);
	KTEST_EXPECT_EQ(t, g.local_node + g.other_node, allocs);
	KTEST_EXPECT_EQ(t, g.numa_foreign, g.numa_miss);
	/* Nothing was short of memory: no misses; node 3's CPUs are "other". */
	KTEST_EXPECT_EQ(t, g.numa_miss, 0);
	KTEST_EXPECT_GE(t, g.other_node, 600);
	KTEST_EXPECT_EQ(t, numa_node_stat(MAX_NUMNODES, &g), -EINVAL);
	host_set_cpu(0);
	for (i = 0; i < ARRAY_SIZE(chain); i++)
		chain_free(&chain[i], i);
	expect_free_back(t, base);
	numa_done();
}

static void memory_in_no_node_goes_to_nearest(struct ktest *t)
{
	unsigned long mark, total = 0;
	bool quiet;

	numa_reset();
	/* 64M-128M is in no node's range: it goes to node 0, with a warning. */
	numa_add_memblk(0, 0, 64 * MB);
	numa_add_memblk(1, 128 * MB, 192 * MB);
	numa_set_node(2, 1);
	mark = ktest_console_mark();
	quiet = host_console_quiet(true);
	host_mm_setup(numa_map, ARRAY_SIZE(numa_map));
	host_console_quiet(quiet);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "is in no node's range: given to node"), 1);
	KTEST_EXPECT_EQ(t, page_to_nid(pfn_to_page(PHYS_PFN(100 * MB))), 0);
	KTEST_EXPECT_EQ(t, page_to_nid(pfn_to_page(PHYS_PFN(130 * MB))), 1);
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		total += node_managed_pages(nid);
	KTEST_EXPECT_EQ(t, total, totalram_pages);
	KTEST_EXPECT_EQ(t, zones[1 * PCP_ZONES + ZONE_DMA32].present_pages, 64 * MB / PAGE_SIZE);
	KTEST_EXPECT_EQ(t, num_online_nodes(), 2);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
	numa_done();
}

static void numa_reset_gives_one_node(struct ktest *t)
{
	unsigned long total;

	numa_machine();
	total = totalram_pages;
	numa_done();
	KTEST_EXPECT_EQ(t, num_online_nodes(), 1);
	KTEST_EXPECT_EQ(t, numa_node_id(), 0);
	KTEST_EXPECT_EQ(t, node_managed_pages(0), totalram_pages);
	for (int nid = 1; nid < MAX_NUMNODES; nid++)
		KTEST_EXPECT_EQ(t, node_managed_pages(nid), 0);
	host_set_cpu(5);
	struct page *p = alloc_pages(GFP_KERNEL, 0);

	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_EQ(t, page_to_nid(p), 0);
	__free_pages(p, 0);
	host_set_cpu(0);
	KTEST_EXPECT_NE(t, total, 0);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

/* The reports name every node. */
static void reports_show_every_node(struct ktest *t)
{
	unsigned long mark;
	bool quiet;

	numa_machine();
	mark = ktest_console_mark();
	quiet = host_console_quiet(true);
	show_buddyinfo();
	show_zoneinfo(1);
	show_meminfo();
	show_numastat();
	host_console_quiet(quiet);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "Node 0, zone      DMA "), 1);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "Node 1, zone    DMA32 "), 1);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "Node 1, zone    DMA32"), 2);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "Node 2, zone    DMA32"), 2);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "Node 3, zone"), 0);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "Node 1 MemTotal:"), 1);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "Node 3 MemTotal:"), 1);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "node3"), 1);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "numa_foreign"), 1);
	numa_done();
}

/* CPUs of four nodes trade pages: each frees what another allocated. */
#define TRADE_SLOTS 256
static struct page *trade_pool[TRADE_SLOTS];
static unsigned int trade_order[TRADE_SLOTS];
static pthread_mutex_t trade_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long trade_allocs[8], trade_wrong[8];

static void *trader(void *arg)
{
	unsigned int cpu = (unsigned int)(unsigned long)arg, i, seed = cpu * 7919 + 1;

	host_set_cpu(cpu);
	for (i = 0; i < 20000; i++) {
		unsigned int o, slot;
		struct page *p, *old;
		int nid = -1;

		seed = seed * 1103515245 + 12345;
		o = (seed >> 16) & 3;
		if ((seed >> 20) % 4 == 0) {
			nid = (int)((seed >> 24) % 3);
			p = alloc_pages_node(nid, GFP_KERNEL | __GFP_NOWARN, o);
		} else {
			p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, o);
		}
		if (!p)
			continue;
		trade_allocs[cpu]++;
		/* Nothing is short of memory: the node asked for, or this CPU's nearest. */
		if (page_to_nid(p) != (nid >= 0 ? nid : cpu_mem_node[cpu]))
			trade_wrong[cpu]++;
		slot = (seed >> 8) % TRADE_SLOTS;
		pthread_mutex_lock(&trade_lock);
		old = trade_pool[slot];
		trade_pool[slot] = p;
		o ^= trade_order[slot];
		trade_order[slot] ^= o;
		o ^= trade_order[slot];
		pthread_mutex_unlock(&trade_lock);
		if (old)
			__free_pages(old, o);
	}
	return NULL;
}

static void cpus_of_four_nodes_trade_pages(struct ktest *t)
{
	unsigned long base[MAX_NUMNODES], allocs = 0;
	struct kmm_numa_stat s[4], g;
	pthread_t th[4];
	unsigned int i;
	int nid;

	numa_machine();
	snapshot_free(base);
	for (nid = 0; nid < 4; nid++)
		numa_node_stat(nid, &s[nid]);
	memset(trade_allocs, 0, sizeof(trade_allocs));
	memset(trade_wrong, 0, sizeof(trade_wrong));
	for (i = 0; i < 4; i++)
		KTEST_ASSERT_EQ(t, pthread_create(&th[i], NULL, trader,
						  (void *)(unsigned long)(i * 2 + 1)), 0);
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	host_set_cpu(0);
	for (i = 0; i < TRADE_SLOTS; i++)
		if (trade_pool[i]) {
			__free_pages(trade_pool[i], trade_order[i]);
			trade_pool[i] = NULL;
			trade_order[i] = 0;
		}
	for (i = 0; i < 8; i++) {
		allocs += trade_allocs[i];
		KTEST_EXPECT_EQ(t, trade_wrong[i], 0);
	}
	numastat_growth(s, 4, &g);
	KTEST_EXPECT_EQ(t, allocs, 4 * 20000);
	KTEST_EXPECT_EQ(t, g.numa_hit + g.numa_miss, allocs);
	KTEST_EXPECT_EQ(t, g.local_node + g.other_node, allocs);
	expect_free_back(t, base);
	numa_done();
}

/*
 * A node edge inside a 4 MiB block (66 MiB): freeing every page on both
 * sides must not merge a block across it.
 */
static void unaligned_node_edge_never_merged_across(struct ktest *t)
{
	unsigned long base[MAX_NUMNODES], n = 0;
	struct page *chain = NULL, *p;
	int nid;

	numa_reset();
	numa_add_memblk(0, 0, 66 * MB);
	numa_add_memblk(1, 66 * MB, 192 * MB);
	host_mm_setup(numa_map, ARRAY_SIZE(numa_map));
	KTEST_EXPECT_EQ(t, page_to_nid(pfn_to_page(PHYS_PFN(66 * MB) - 1)), 0);
	KTEST_EXPECT_EQ(t, page_to_nid(pfn_to_page(PHYS_PFN(66 * MB))), 1);
	snapshot_free(base);
	for (nid = 0; nid < 2; nid++)
		while ((p = alloc_pages_node(nid, GFP_KERNEL | __GFP_THISNODE |
					     __GFP_NOWARN | __GFP_HIGH, 0))) {
			KTEST_ASSERT_EQ(t, page_to_nid(p), nid);
			chain_push(&chain, p);
			n++;
		}
	KTEST_EXPECT_GT(t, n, 0);
	KTEST_EXPECT_EQ(t, chain_free(&chain, 0), n);
	expect_free_back(t, base);
	numa_done();
}

/*
 * memblock's memory carries its node, split at node edges (66 MiB inside
 * the RAM range at 1 MiB-192 MiB), as memblock=debug prints it.
 */
static void memblock_ranges_carry_their_node(struct ktest *t)
{
	const struct memblock_type *mem = &memblock.memory;
	unsigned long mark;
	unsigned int i, seen = 0;

	numa_reset();
	numa_add_memblk(0, 0, 66 * MB);
	numa_add_memblk(1, 66 * MB, 192 * MB);
	mark = ktest_console_mark();
	host_mm_setup(numa_map, ARRAY_SIZE(numa_map));
	for (i = 0; i < mem->cnt; i++) {
		const struct memblock_region *r = &mem->regions[i];

		KTEST_EXPECT_EQ(t, r->nid, r->base < 66 * MB ? 0 : 1);
		KTEST_EXPECT_TRUE(t, r->base >= 66 * MB || r->base + r->size <= 66 * MB);
		if (r->base == 66 * MB)
			seen++;
	}
	KTEST_EXPECT_EQ(t, seen, 1);
	memblock_dump();
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
		"[0x0000000004200000-0x000000000bffffff], 0x0000000007e00000 bytes on node 1"));
	numa_done();
}

static int obj_nid(const void *p)
{
	return page_to_nid(virt_to_page(p));
}

/* kmem_cache_alloc_node and kmalloc_node give memory of the node asked for. */
static void slab_node_allocations(struct ktest *t)
{
	struct kmem_cache *c;
	void *objs[4][100], *big[4], *p;
	int nid, i;

	numa_machine();
	kmem_cache_init();
	c = kmem_cache_create("numa_test", 192, 0, 0, NULL);
	KTEST_ASSERT_TRUE(t, c != NULL);
	host_set_cpu(0);
	for (nid = 0; nid < 3; nid++)
		for (i = 0; i < 100; i++) {
			objs[nid][i] = i & 1 ? kmem_cache_alloc_node(c, GFP_KERNEL, nid) :
				       kmalloc_node(64 + (unsigned long)i, GFP_KERNEL, nid);
			KTEST_ASSERT_TRUE(t, objs[nid][i] != NULL);
			KTEST_EXPECT_EQ(t, obj_nid(objs[nid][i]), nid);
		}
	for (nid = 0; nid < 3; nid++) {
		big[nid] = kmalloc_node(20000, GFP_KERNEL | __GFP_ZERO, nid);
		KTEST_ASSERT_TRUE(t, big[nid] != NULL);
		KTEST_EXPECT_EQ(t, obj_nid(big[nid]), nid);
		KTEST_EXPECT_EQ(t, ((unsigned char *)big[nid])[19999], 0);
	}
	/* Node 3 has no memory: __GFP_THISNODE fails, without it node 3's nearest. */
	KTEST_EXPECT_TRUE(t, kmem_cache_alloc_node(c, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 3) == NULL);
	KTEST_EXPECT_TRUE(t, kmalloc_node(100, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 3) == NULL);
	p = kmem_cache_alloc_node(c, GFP_KERNEL, 3);
	KTEST_ASSERT_TRUE(t, p != NULL);
	kmem_cache_free(c, p);
	/* NUMA_NO_NODE and plain allocations: this CPU's node (CPU 4: node 2). */
	host_set_cpu(4);
	for (i = 0; i < 200; i++) {
		void *q = i & 1 ? kmem_cache_alloc_node(c, GFP_KERNEL, NUMA_NO_NODE) :
			  kmalloc(128, GFP_KERNEL);

		KTEST_ASSERT_TRUE(t, q != NULL);
		KTEST_EXPECT_EQ(t, obj_nid(q), 2);
		if (i & 1)
			kmem_cache_free(c, q);
		else
			kfree(q);
	}
	host_set_cpu(0);
	for (nid = 0; nid < 3; nid++) {
		for (i = 0; i < 100; i++) {
			if (i & 1)
				kmem_cache_free(c, objs[nid][i]);
			else
				kfree(objs[nid][i]);
		}
		kfree(big[nid]);
	}
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
	kmem_cache_destroy(c);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
	numa_done();
}


/*
 * A refill comes from this CPU's node; when the node has no memory left,
 * from the nearest node by distance (node 0's: node 2 at 20), even while
 * a farther node (node 1 at 30) has a partial slab. Everything back after
 * free + shrink.
 */
static void slab_refill_falls_back_to_nearest(struct ktest *t)
{
	unsigned long base[MAX_NUMNODES];
	struct page *chain = NULL, *p;
	struct kmem_cache *c;
	void *far, *objs[64];
	unsigned int avail;
	int i;

	numa_machine();
	kmem_cache_init();
	c = kmem_cache_create("numa_refill", 192, 0, 0, NULL);
	KTEST_ASSERT_TRUE(t, c != NULL);
	snapshot_free(base);
	host_set_cpu(0);
	for (i = 0; i < 64; i++) {
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
		KTEST_ASSERT_TRUE(t, objs[i] != NULL);
		KTEST_EXPECT_EQ(t, obj_nid(objs[i]), 0);
	}
	for (i = 0; i < 64; i++)
		kmem_cache_free(c, objs[i]);
	kmem_cache_shrink(c);
	far = kmem_cache_alloc_node(c, GFP_KERNEL, 1); /* node 1: a partial slab */
	KTEST_ASSERT_TRUE(t, far != NULL);
	KTEST_EXPECT_EQ(t, c->node[1].nr_partial, 1);
	while ((p = alloc_pages_node(0, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 0)))
		chain_push(&chain, p);
	for (i = 0; i < 64; i++) {
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
		KTEST_ASSERT_TRUE(t, objs[i] != NULL);
		KTEST_EXPECT_EQ(t, obj_nid(objs[i]), 2);
	}
	KTEST_EXPECT_EQ(t, c->node[0].nr_partial + c->node[0].nr_full + c->node[0].nr_empty, 0);
	/*
	 * Freed on node 0's CPU, they go home to node 2's slabs, not into the
	 * magazine (which holds what is left of the fallback refill).
	 */
	avail = c->mag[0]->avail;
	for (i = 0; i < 64; i++)
		kmem_cache_free(c, objs[i]);
	KTEST_EXPECT_EQ(t, c->mag[0]->avail, avail);
	kmem_cache_free(c, far);
	chain_free(&chain, 0);
	KTEST_EXPECT_EQ(t, slab_check(c), 0);
	kmem_cache_shrink(c);
	KTEST_EXPECT_EQ(t, c->nr_slabs, 0);
	expect_free_back(t, base);
	kmem_cache_destroy(c);
	numa_done();
}

/*
 * A CPU put on a node after mem_init() (how x86 registers its APs) takes
 * its pages and its slab refills from that node: CPU 7, of memory-less
 * node 3 at setup, moved to node 2 before it runs.
 */
static void cpu_registered_after_setup_is_local(struct ktest *t)
{
	unsigned long base[MAX_NUMNODES];
	struct kmem_cache *c;
	struct page *p;
	void *obj;

	numa_machine();
	kmem_cache_init();
	c = kmem_cache_create("numa_late_cpu", 64, 0, 0, NULL);
	KTEST_ASSERT_TRUE(t, c != NULL);
	snapshot_free(base);
	KTEST_ASSERT_EQ(t, numa_set_node(7, 2), 0);
	host_set_cpu(7);
	KTEST_EXPECT_EQ(t, numa_node_id(), 2);
	p = alloc_pages(GFP_KERNEL, 0);
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_EQ(t, page_to_nid(p), 2);
	obj = kmem_cache_alloc(c, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, obj != NULL);
	KTEST_EXPECT_EQ(t, obj_nid(obj), 2);
	kmem_cache_free(c, obj);
	__free_pages(p, 0);
	kmem_cache_shrink(c);
	host_set_cpu(0);
	/* A node that only a late CPU names comes online with it. */
	KTEST_EXPECT_FALSE(t, node_online(4));
	KTEST_ASSERT_EQ(t, numa_set_node(5, 4), 0);
	KTEST_EXPECT_TRUE(t, node_online(4));
	expect_free_back(t, base);
	kmem_cache_destroy(c);
	numa_done();
}

static const struct ktest_case numa_host_cases[] = {
	KTEST_CASE(topology_gives_nodes_zones),
	KTEST_CASE(alloc_is_local),
	KTEST_CASE(exhausted_node_falls_back_to_nearest),
	KTEST_CASE(thisnode_fails_instead_of_falling_back),
	KTEST_CASE(bad_node_and_nodemask_refused),
	KTEST_CASE(remote_free_goes_home),
	KTEST_CASE(cpu_only_node_allocates_nearest),
	KTEST_CASE(counters_add_up),
	KTEST_CASE(memory_in_no_node_goes_to_nearest),
	KTEST_CASE(memblock_ranges_carry_their_node),
	KTEST_CASE(numa_reset_gives_one_node),
	KTEST_CASE(reports_show_every_node),
	KTEST_CASE(unaligned_node_edge_never_merged_across),
	KTEST_CASE(slab_node_allocations),
	KTEST_CASE(slab_refill_falls_back_to_nearest),
	KTEST_CASE(cpu_registered_after_setup_is_local),
	KTEST_CASE(cpus_of_four_nodes_trade_pages),
};
KTEST_SUITE(numa_host, numa_host_cases);

// SPDX-License-Identifier: MIT
/*
 * NUMA self-tests (ktest=numa): on the machine as booted, each CPU's pages
 * come from its own node while it has memory, an exhausted node falls back
 * to the nearest one by node_distance(), __GFP_THISNODE fails instead,
 * pages freed by a CPU of another node go home, and the numastat counters
 * add up. The slab: each node's slabs sit on that node's lists, a CPU's
 * refills come from its node, and objects freed by a CPU of another node
 * go back to their own node's slabs, never into that CPU's magazine.
 *
 * Cases that need several nodes print a KTAP skip with the reason ("needs
 * 2 nodes, have 1") on a machine of one node; the others run everywhere.
 * The host runs this suite too (tests/host/test_ksuites_numa.c), on a fake
 * machine of two nodes where threads act as CPUs.
 */
#include "kernel/ktest.h"
#include "kmm/string.h"
#include "mm/gfp.h"
#include "mm/internal.h"
#include "mm/slab.h"
#include "mm/slab_internal.h"
#include "mm/kfence.h"
#include "tests/kernel/ktest_pages.h"

#ifdef KMM_HOST
#include "host_mm.h"

static bool numa_cpu_online(unsigned int cpu)
{
	return cpu < HOST_NR_CPUS;
}

/* Run @fn as CPU @cpu: on the host, this thread becomes that CPU meanwhile. */
static int numa_run_on(unsigned int cpu, void (*fn)(void *), void *arg)
{
	unsigned int me = (unsigned int)mm_cpu_id();

	host_set_cpu(cpu);
	fn(arg);
	host_set_cpu(me);
	return 0;
}
#else
#include "arch/x86_64/smp.h"
#include "arch/x86_64/percpu.h"

static bool numa_cpu_online(unsigned int cpu)
{
	return cpu < NR_CPUS && cpu_online(cpu);
}

static int numa_run_on(unsigned int cpu, void (*fn)(void *), void *arg)
{
	if (cpu == smp_processor_id()) {
		fn(arg);
		return 0;
	}
	return smp_call_on_cpu(cpu, fn, arg);
}
#endif

static char skip_reason[64];

/* Skip (with the reason) unless at least @n nodes have memory. */
static bool need_memory_nodes(struct ktest *t, unsigned int n)
{
	unsigned int have = 0;

	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		have += node_managed_pages(nid) != 0;
	if (have >= n)
		return true;
	snprintf(skip_reason, sizeof(skip_reason), "needs %u nodes, have %u", n, have);
	ktest_skip(t, skip_reason);
	return false;
}

/* The first online CPU of node @nid, or -1. */
static int first_cpu_of(int nid)
{
	for (unsigned int cpu = 0; cpu < MM_NR_CPUS; cpu++)
		if (numa_cpu_online(cpu) && cpu_to_node(cpu) == nid)
			return (int)cpu;
	return -1;
}

/*
 * The two lowest nodes that have both memory and an online CPU, in *@na and
 * *@nb; false, with the case skipped and the reason said, when there are
 * not two (the case's own need_memory_nodes() has reported fewer nodes).
 */
static bool two_nodes_with_cpus(struct ktest *t, int *na, int *nb)
{
	*na = *nb = -1;
	if (!need_memory_nodes(t, 2))
		return false;
	for (int m = 0; m < MAX_NUMNODES; m++) {
		if (!node_managed_pages(m) || first_cpu_of(m) < 0)
			continue;
		if (*na < 0)
			*na = m;
		else if (*nb < 0)
			*nb = m;
	}
	if (*nb >= 0)
		return true;
	ktest_skip(t, "needs CPUs on 2 nodes with memory");
	return false;
}

/* The node with memory nearest to @nid other than @nid (ties: lower id). */
static int nearest_other_memory_node(int nid)
{
	int best = -1;

	for (int m = 0; m < MAX_NUMNODES; m++)
		if (m != nid && node_managed_pages(m) &&
		    (best < 0 || node_distance(nid, m) < node_distance(nid, best)))
			best = m;
	return best;
}

static void nodes_cover_all_memory(struct ktest *t)
{
	unsigned long sum = 0;
	struct page *p;

	drain_all_pages();
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		if (!node_online(nid))
			KTEST_EXPECT_EQ(t, numa_node_free_pages(nid), 0);
		sum += numa_node_free_pages(nid);
	}
	KTEST_EXPECT_EQ(t, sum, nr_free_pages());
	KTEST_EXPECT_GE(t, num_online_nodes(), 1);
	for (unsigned int cpu = 0; cpu < MM_NR_CPUS; cpu++)
		if (numa_cpu_online(cpu))
			KTEST_EXPECT_TRUE(t, node_online(cpu_to_node(cpu)));
	p = alloc_page(GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, p != NULL);
	if (node_managed_pages(numa_node_id()))
		KTEST_EXPECT_EQ(t, page_to_nid(p), numa_node_id());
	__free_page(p);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

struct local_args {
	int nid;     /* the CPU's node, as it sees it */
	int wrong;   /* pages from another node */
	int failed;  /* allocations that failed */
};

static void alloc_local_on_cpu(void *arg)
{
	struct local_args *a = arg;
	struct page *chain[PCP_NR_ORDERS] = { NULL };

	a->nid = numa_node_id();
	for (unsigned int i = 0; i < 64; i++)
		for (unsigned int o = 0; o < PCP_NR_ORDERS; o++) {
			struct page *p = alloc_pages(GFP_KERNEL, o);

			if (!p) {
				a->failed++;
				continue;
			}
			a->wrong += page_to_nid(p) != a->nid;
			chain_push(&chain[o], p);
		}
	for (unsigned int o = 0; o < PCP_NR_ORDERS; o++)
		chain_free(&chain[o], o);
}

static void each_cpu_allocates_from_its_node(struct ktest *t)
{
	unsigned int tested = 0;

	if (!need_memory_nodes(t, 2))
		return;
	for (unsigned int cpu = 0; cpu < MM_NR_CPUS; cpu++) {
		struct local_args a = { 0 };

		if (!numa_cpu_online(cpu) || !node_managed_pages(cpu_to_node(cpu)))
			continue;
		KTEST_ASSERT_EQ(t, numa_run_on(cpu, alloc_local_on_cpu, &a), 0);
		KTEST_EXPECT_EQ(t, a.nid, cpu_to_node(cpu));
		KTEST_EXPECT_EQ(t, a.wrong, 0);
		KTEST_EXPECT_EQ(t, a.failed, 0);
		tested++;
	}
	KTEST_EXPECT_GE(t, tested, 2);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

/*
 * Take everything node @nid has with __GFP_THISNODE (never another node's
 * page, and then NULL), then one page without it: the nearest node's.
 */
static void exhausted_node_falls_back_to_nearest(struct ktest *t)
{
	struct kmm_numa_stat s_n, s_f, a_n, a_f;
	struct page *chain = NULL, *p;
	unsigned long n = 0, base;
	int nid = -1, fb;

	if (!need_memory_nodes(t, 2))
		return;
	/* The last node with memory: usually not the one the kernel lives in. */
	for (int m = 0; m < MAX_NUMNODES; m++)
		if (node_managed_pages(m))
			nid = m;
	fb = nearest_other_memory_node(nid);
	drain_all_pages();
	base = numa_node_free_pages(nid);
	numa_node_stat(nid, &s_n);
	numa_node_stat(fb, &s_f);
	while ((p = alloc_pages_node(nid, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 0))) {
		if (page_to_nid(p) != nid) {
			KTEST_FAIL(t, "__GFP_THISNODE for node %d gave node %d's page",
				   nid, page_to_nid(p));
			__free_page(p);
			break;
		}
		chain_push(&chain, p);
		n++;
	}
	KTEST_EXPECT_GT(t, n, base / 2);
	KTEST_EXPECT_TRUE(t, alloc_pages_node(nid, __GFP_THISNODE | __GFP_NOWARN, 0) == NULL);
	p = alloc_pages_node(nid, GFP_KERNEL | __GFP_NOWARN, 0);
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_EQ(t, page_to_nid(p), fb);
	__free_page(p);
	numa_node_stat(nid, &a_n);
	numa_node_stat(fb, &a_f);
	KTEST_EXPECT_EQ(t, a_n.numa_hit - s_n.numa_hit, n);
	KTEST_EXPECT_EQ(t, a_n.numa_foreign - s_n.numa_foreign, 1);
	KTEST_EXPECT_EQ(t, a_f.numa_miss - s_f.numa_miss, 1);
	KTEST_EXPECT_EQ(t, chain_free(&chain, 0), n);
	drain_all_pages();
	KTEST_EXPECT_EQ(t, numa_node_free_pages(nid), base);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

struct remote_args {
	struct page *pages[32];
	int nid;
	bool ok;
};

static void alloc_32(void *arg)
{
	struct remote_args *a = arg;

	a->ok = true;
	a->nid = numa_node_id();
	for (unsigned int i = 0; i < 32; i++) {
		a->pages[i] = alloc_pages(GFP_KERNEL, i & 3);
		if (!a->pages[i] || page_to_nid(a->pages[i]) != a->nid)
			a->ok = false;
	}
}

static void free_32(void *arg)
{
	struct remote_args *a = arg;

	for (unsigned int i = 0; i < 32; i++)
		if (a->pages[i])
			__free_pages(a->pages[i], i & 3);
}

static void remote_free_goes_home(struct ktest *t)
{
	struct remote_args a = { 0 };
	unsigned long base_a, base_b;
	int na, nb, ca, cb;

	if (!two_nodes_with_cpus(t, &na, &nb))
		return;
	ca = first_cpu_of(na);
	cb = first_cpu_of(nb);
	drain_all_pages();
	base_a = numa_node_free_pages(na);
	base_b = numa_node_free_pages(nb);
	KTEST_ASSERT_EQ(t, numa_run_on((unsigned int)ca, alloc_32, &a), 0);
	KTEST_EXPECT_TRUE(t, a.ok);
	KTEST_EXPECT_EQ(t, a.nid, na);
	KTEST_ASSERT_EQ(t, numa_run_on((unsigned int)cb, free_32, &a), 0);
	/* Not one of them counts as node B's, even while on B's CPU's lists. */
	KTEST_EXPECT_EQ(t, numa_node_free_pages(nb), base_b);
	drain_all_pages();
	KTEST_EXPECT_EQ(t, numa_node_free_pages(na), base_a);
	KTEST_EXPECT_EQ(t, numa_node_free_pages(nb), base_b);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

/* hit + miss = allocations = local + other, foreign = miss, over all nodes. */
static void counters_add_up(struct ktest *t)
{
	struct kmm_numa_stat s[MAX_NUMNODES], g;
	unsigned long allocs = 0;
	struct page *chain[PCP_NR_ORDERS] = { NULL };
	int nid;

	for (nid = 0; nid < MAX_NUMNODES; nid++)
		numa_node_stat(nid, &s[nid]);
	for (unsigned int i = 0; i < 256; i++) {
		unsigned int o = i % PCP_NR_ORDERS;
		struct page *p = i & 1 ? alloc_pages(GFP_KERNEL, o) :
			alloc_pages_node((int)(i / 2) % num_online_nodes(), GFP_KERNEL, o);

		KTEST_ASSERT_TRUE(t, p != NULL);
		chain_push(&chain[o], p);
		allocs++;
	}
	numastat_growth(s, MAX_NUMNODES, &g);
	KTEST_EXPECT_EQ(t, g.interleave_hit, 0);
	KTEST_EXPECT_EQ(t, g.numa_hit + g.numa_miss, allocs);
	KTEST_EXPECT_EQ(t, g.local_node + g.other_node, allocs);
	KTEST_EXPECT_EQ(t, g.numa_foreign, g.numa_miss);
	for (unsigned int o = 0; o < PCP_NR_ORDERS; o++)
		chain_free(&chain[o], o);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

/* kmem_cache_alloc_node and kmalloc_node: memory of the node asked for. */
static void slab_objects_of_the_node_asked(struct ktest *t)
{
	struct kmem_cache *c = kmem_cache_create("ktest_numa", 96, 0, 0, NULL);
	void *objs[MAX_NUMNODES][16], *big[MAX_NUMNODES] = { NULL };
	int nid, i;

	KTEST_ASSERT_TRUE(t, c != NULL);
	memset(objs, 0, sizeof(objs));
	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		if (!node_managed_pages(nid))
			continue;
		for (i = 0; i < 16; i++) {
			objs[nid][i] = i & 1 ? kmem_cache_alloc_node(c, GFP_KERNEL, nid) :
				       kmalloc_node(200, GFP_KERNEL, nid);
			KTEST_ASSERT_TRUE(t, objs[nid][i] != NULL);
			KTEST_EXPECT_EQ(t, page_to_nid(virt_to_page(objs[nid][i])), nid);
		}
		big[nid] = kmalloc_node(KMALLOC_MAX_CACHE_SIZE + PAGE_SIZE, GFP_KERNEL, nid);
		KTEST_ASSERT_TRUE(t, big[nid] != NULL);
		KTEST_EXPECT_EQ(t, page_to_nid(virt_to_page(big[nid])), nid);
	}
	/* A node id with no memory: __GFP_THISNODE fails instead of falling back. */
	for (nid = 0; nid < MAX_NUMNODES && node_managed_pages(nid); nid++)
		;
	if (nid < MAX_NUMNODES)
		KTEST_EXPECT_TRUE(t, kmem_cache_alloc_node(c, GFP_KERNEL | __GFP_THISNODE |
							   __GFP_NOWARN, nid) == NULL);
	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		for (i = 0; i < 16; i++) {
			if (!objs[nid][i])
				continue;
			if (i & 1)
				kmem_cache_free(c, objs[nid][i]);
			else
				kfree(objs[nid][i]);
		}
		kfree(big[nid]);
	}
	KTEST_EXPECT_EQ(t, slab_check(c), 0);
	kmem_cache_destroy(c);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}


/* Free objects on the slabs of node @nid's lists of @c. */
static unsigned long node_slab_free(struct kmem_cache *c, int nid)
{
	struct kmem_cache_node *n = &c->node[nid];
	struct list_head *lists[] = { &n->partial, &n->full, &n->empty };
	unsigned long flags, nfree = 0;
	struct page *head;

	flags = mm_irq_save();
	mm_spin_lock(&c->lock);
	for (unsigned int i = 0; i < ARRAY_SIZE(lists); i++)
		list_for_each_entry(head, lists[i], slab_list)
			nfree += head->objects - head->inuse;
	mm_spin_unlock(&c->lock);
	mm_irq_restore(flags);
	return nfree;
}

/* Every node's free pages, per-CPU lists drained. */
static void node_free_snapshot(unsigned long f[MAX_NUMNODES])
{
	drain_all_pages();
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		f[nid] = numa_node_free_pages(nid);
}

/*
 * kmem_cache_alloc_node(s, gfp, n)'s objects are of node n and their slabs
 * on node n's lists only; free-all + shrink leaves no slab on any node and
 * every node's free pages at their baseline.
 */
static void slab_lists_per_node(struct ktest *t)
{
	struct kmem_cache *c = kmem_cache_create("ktest_numa_lists", 96, 0, 0, NULL);
	unsigned long base[MAX_NUMNODES], now[MAX_NUMNODES];
	static void *objs[MAX_NUMNODES][80];
	int nid, i;

	KTEST_ASSERT_TRUE(t, c != NULL);
	memset(objs, 0, sizeof(objs));
	node_free_snapshot(base);
	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		if (!node_managed_pages(nid))
			continue;
		for (i = 0; i < 80; i++) {
			objs[nid][i] = kmem_cache_alloc_node(c, GFP_KERNEL, nid);
			KTEST_ASSERT_TRUE(t, objs[nid][i] != NULL);
			KTEST_EXPECT_EQ(t, page_to_nid(virt_to_page(objs[nid][i])), nid);
		}
	}
	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		unsigned long slabs = c->node[nid].nr_partial + c->node[nid].nr_full;

		/* 80 objects of 96 bytes need a slab of their node; none elsewhere. */
		if (node_managed_pages(nid))
			KTEST_EXPECT_GE(t, slabs, 1);
		else
			KTEST_EXPECT_EQ(t, slabs + c->node[nid].nr_empty, 0);
	}
	/* slab_check() also checks every slab is on its own node's list. */
	KTEST_EXPECT_EQ(t, slab_check(c), 0);
	for (nid = 0; nid < MAX_NUMNODES; nid++)
		for (i = 0; i < 80; i++)
			if (objs[nid][i])
				kmem_cache_free(c, objs[nid][i]);
	KTEST_EXPECT_GE(t, kmem_cache_shrink(c), 1);
	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		KTEST_EXPECT_EQ(t, c->node[nid].nr_partial + c->node[nid].nr_full +
				   c->node[nid].nr_empty, 0);
	}
	KTEST_EXPECT_EQ(t, c->nr_slabs, 0);
	node_free_snapshot(now);
	for (nid = 0; nid < MAX_NUMNODES; nid++)
		KTEST_EXPECT_EQ(t, now[nid], base[nid]);
	KTEST_EXPECT_EQ(t, slab_check(c), 0);
	kmem_cache_destroy(c);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

#define SLAB_REMOTE_N 48

struct slab_remote_args {
	struct kmem_cache *c;
	void *objs[SLAB_REMOTE_N], *kobjs[SLAB_REMOTE_N];
	int nid;   /* the allocating CPU's node */
	int wrong; /* objects not of that node */
	int failed;
	unsigned int in_slabs; /* of objs[]: not KFENCE's (those go to KFENCE) */
};

/* Of node @nid, if a slab object; KFENCE's objects have no node to check. */
static int slab_obj_wrong_node(const void *p, int nid)
{
	return !is_kfence_address(p) && page_to_nid(virt_to_page(p)) != nid;
}

/* Plain allocations on this CPU: its node's objects, through its magazines. */
static void slab_alloc_here(void *arg)
{
	struct slab_remote_args *a = arg;

	a->nid = numa_node_id();
	for (unsigned int i = 0; i < SLAB_REMOTE_N; i++) {
		a->objs[i] = kmem_cache_alloc(a->c, GFP_KERNEL);
		a->kobjs[i] = kmalloc(64, GFP_KERNEL);
		if (!a->objs[i] || !a->kobjs[i]) {
			a->failed++;
			continue;
		}
		a->in_slabs += !is_kfence_address(a->objs[i]);
		a->wrong += slab_obj_wrong_node(a->objs[i], a->nid);
		a->wrong += slab_obj_wrong_node(a->kobjs[i], a->nid);
	}
}

static void slab_free_here(void *arg)
{
	struct slab_remote_args *a = arg;

	for (unsigned int i = 0; i < SLAB_REMOTE_N; i++) {
		kmem_cache_free(a->c, a->objs[i]);
		kfree(a->kobjs[i]);
	}
}

/* Objects of node @nid in CPU @cpu's magazine of @s. */
static unsigned int magazine_objects_of(struct kmem_cache *s, unsigned int cpu, int nid)
{
	struct slab_magazine *m = s->mag[cpu];
	unsigned int n = 0;

	for (unsigned int i = 1; i <= m->avail; i++)
		n += page_to_nid(virt_to_page(m->slot[i])) == nid;
	return n;
}

/*
 * Objects a CPU of node B allocated, freed by a CPU of node A, go back to
 * their slabs on B's lists (kmem_cache_free and kfree alike): A's magazines
 * get none of them, B's slabs get every one back.
 */
static void slab_remote_free_goes_home(struct ktest *t)
{
	struct kmem_cache *c = kmem_cache_create("ktest_numa_remote", 128, 0, 0, NULL);
	static struct slab_remote_args a;
	struct kmem_cache *km;
	unsigned long before;
	int na, nb, ca, cb;

	KTEST_ASSERT_TRUE(t, c != NULL);
	if (!two_nodes_with_cpus(t, &na, &nb))
		goto out;
	ca = first_cpu_of(na);
	cb = first_cpu_of(nb);
	memset(&a, 0, sizeof(a));
	a.c = c;
	KTEST_ASSERT_EQ(t, numa_run_on((unsigned int)cb, slab_alloc_here, &a), 0);
	KTEST_EXPECT_EQ(t, a.nid, nb);
	KTEST_EXPECT_EQ(t, a.failed, 0);
	KTEST_EXPECT_EQ(t, a.wrong, 0);
	if (a.failed)
		goto out;
	km = kmalloc_size_cache[(64 - 1) / 8];
	before = node_slab_free(c, nb);
	KTEST_ASSERT_EQ(t, numa_run_on((unsigned int)ca, slab_free_here, &a), 0);
	/* Home: every one is free on its slab of node B ... */
	KTEST_EXPECT_EQ(t, node_slab_free(c, nb), before + a.in_slabs);
	/* ... and none serves A's CPU from its magazines. */
	KTEST_EXPECT_EQ(t, magazine_objects_of(c, (unsigned int)ca, nb), 0);
	KTEST_EXPECT_EQ(t, magazine_objects_of(km, (unsigned int)ca, nb), 0);
	KTEST_EXPECT_EQ(t, slab_check(c), 0);
	KTEST_EXPECT_EQ(t, slab_check(km), 0);
	/* After shrink, @c holds no slab on any node. */
	kmem_cache_shrink(c);
	KTEST_EXPECT_EQ(t, c->nr_slabs, 0);
out:
	kmem_cache_destroy(c);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

static const struct ktest_case numa_cases[] = {
	KTEST_CASE(nodes_cover_all_memory),
	KTEST_CASE(each_cpu_allocates_from_its_node),
	KTEST_CASE(exhausted_node_falls_back_to_nearest),
	KTEST_CASE(remote_free_goes_home),
	KTEST_CASE(counters_add_up),
	KTEST_CASE(slab_objects_of_the_node_asked),
	KTEST_CASE(slab_lists_per_node),
	KTEST_CASE(slab_remote_free_goes_home),
};
KTEST_SUITE(numa, numa_cases);

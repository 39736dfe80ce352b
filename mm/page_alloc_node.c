// SPDX-License-Identifier: MIT
/*
 * The page allocator's nodes: which nodes are online and have memory,
 * where each CPU takes memory from, and the numastat counters.
 *
 * Theory of operation
 * -------------------
 * The topology (mm/numa.c) says which node owns each range of RAM and
 * each CPU. mem_init() gives every node its own zones (zones[] by zone id,
 * nid * 4 + zone type; a zone type exists on a node only where the node's
 * RAM reaches it), writes each struct page's node into its flags, and then
 * calls numa_nodes_init() here:
 *
 *   node_online     a node with memory or with a CPU (< kmm_layout.nr_cpus)
 *   cpu_mem_node[]  the CPU's node if it has memory, else the nearest node
 *                   that has (Linux's cpu_to_mem()); picks the CPU's row of
 *                   per-CPU lists (pcp_of(), mm/internal.h)
 *
 * Allocation walks the asking node's zonelist (build_zonelists()): its
 * own zones, then the other nodes' by node_distance(). A CPU of a node
 * without memory therefore allocates from the nearest node, and
 * __GFP_THISNODE fails on it, as in Linux. Freeing puts a page back into
 * its own zone whatever CPU frees it: the zone id is in its flags, and a
 * per-CPU list only ever holds pages of one zone.
 *
 * numastat counters, per node, with Linux's meanings (Documentation/
 * admin-guide/numastat.rst): numa_hit on the node an allocation came from
 * when that was the preferred node (the first node of the asking node's
 * zonelist), numa_miss there when it was not, with numa_foreign on the
 * preferred node; local_node when the allocating CPU is on the node,
 * other_node when not. interleave_hit stays 0: kmm has no interleave
 * policy. The slow path counts with relaxed atomics; the fast path, which
 * only ever serves this CPU's local list, counts one increment in the
 * list itself (pcp->nr_fast_allocs: a numa_hit, and a local_node unless
 * the CPU's own node has no memory), summed up when read.
 *
 * Context: numa_nodes_init() once per mem_init(); the rest anywhere.
 */
#define pr_fmt(fmt) "numa: " fmt
#include "mm/gfp.h"
#include "mm/internal.h"

enum numa_stat_item {
	NUMA_HIT, NUMA_MISS, NUMA_FOREIGN, NUMA_INTERLEAVE_HIT, NUMA_LOCAL,
	NUMA_OTHER, NR_NUMA_STAT_ITEMS,
};

unsigned int nr_memory_nodes;
static u8 node_online_map, node_memory_map; /* bit nid */
static unsigned long numa_stat[MAX_NUMNODES][NR_NUMA_STAT_ITEMS];

_Static_assert(MAX_NUMNODES <= 8, "node maps are one byte");

static bool nid_ok(int nid)
{
	return nid >= 0 && nid < MAX_NUMNODES;
}

/* Is node @nid online (memory or a CPU)? Before mem_init(): node 0 only. */
bool node_online(int nid)
{
	if (!nid_ok(nid))
		return false;
	if (!node_online_map)
		return nid == 0;
	return (node_online_map >> nid) & 1;
}

/* How many nodes are online (1 before mem_init()). */
unsigned int num_online_nodes(void)
{
	unsigned int n = 0;

	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		n += node_online(nid);
	return n;
}

/* Pages the buddy manages on node @nid, all its zones. */
unsigned long node_managed_pages(int nid)
{
	unsigned long sum = 0;

	if (!nid_ok(nid))
		return 0;
	for (unsigned int t = 0; t < PCP_ZONES; t++)
		sum += zones[nid * PCP_ZONES + t].managed_pages;
	return sum;
}

/* Free pages of node @nid: its zones' free lists and every CPU's lists of them. */
unsigned long numa_node_free_pages(int nid)
{
	unsigned long sum = 0;
	unsigned int t, cpu;

	if (!nid_ok(nid))
		return 0;
	for (t = 0; t < PCP_ZONES; t++) {
		unsigned int zi = nid * PCP_ZONES + t;

		sum += READ_ONCE(zones[zi].free_pages);
		for (cpu = 0; cpu < MM_NR_CPUS; cpu++) {
			const struct per_cpu_pages *pcp = pcp_of(cpu, zi);

			sum += (unsigned int)((int)READ_ONCE(pcp->high) -
					      READ_ONCE(pcp->room));
		}
	}
	return sum;
}

/* The memory node nearest to @nid (ties: the lower id); 0 when none has memory. */
static int nearest_memory_node(int nid)
{
	int best = -1;

	for (int m = 0; m < MAX_NUMNODES; m++) {
		if (!((node_memory_map >> m) & 1))
			continue;
		if (best < 0 || node_distance(nid, m) < node_distance(nid, best))
			best = m;
	}
	return best < 0 ? 0 : best;
}

/* Exchange two unused per-CPU list sets, all but their locks. */
static void pcp_swap(struct per_cpu_pages *a, struct per_cpu_pages *b)
{
	struct per_cpu_pages t = *a;

	a->room = b->room;
	a->high = b->high;
	a->batch = b->batch;
	a->nr_fast_allocs = b->nr_fast_allocs;
	b->room = t.room;
	b->high = t.high;
	b->batch = t.batch;
	b->nr_fast_allocs = t.nr_fast_allocs;
	/* Empty: every lists[] is NULL in both. */
}

/*
 * CPU @cpu was put on a node after numa_nodes_init() (a port registers an
 * AP as it brings it up, after mem_init()): its node is online, its memory
 * node follows, and its row of per-CPU lists is permuted to match
 * (pcp_of()), each list set moving whole, counters and sizes with it, to
 * its zone's new slot. Only while every list of the row is empty (a CPU
 * that has not run): a CPU whose lists hold pages keeps its memory node
 * until the next mem_init().
 */
void numa_cpu_node_changed(unsigned int cpu)
{
	unsigned int slot, d;
	int nid, mem;

	if (!nr_memory_nodes || cpu >= MM_NR_CPUS)
		return; /* before mem_init(): numa_nodes_init() sets it */
	nid = cpu_to_node(cpu);
	node_online_map |= (u8)(1u << nid); /* a node of CPUs only is online too */
	mem = (node_memory_map >> nid) & 1 ? nid : nearest_memory_node(nid);
	if (mem == cpu_mem_node[cpu])
		return;
	for (slot = 0; slot < MAX_ZONEIDS; slot++)
		if (pcp_count(&pcp_lists[cpu][slot]))
			return;
	d = (unsigned int)(mem ^ cpu_mem_node[cpu]) * PCP_ZONES;
	for (slot = 0; slot < MAX_ZONEIDS; slot++)
		if (slot < (slot ^ d))
			pcp_swap(&pcp_lists[cpu][slot], &pcp_lists[cpu][slot ^ d]);
	cpu_mem_node[cpu] = (u8)mem;
}

void numa_nodes_init(void)
{
	unsigned int cpu;
	int nid;

	node_online_map = node_memory_map = 0;
	nr_memory_nodes = 0;
	for (nid = 0; nid < MAX_NUMNODES; nid++)
		if (node_managed_pages(nid)) {
			node_memory_map |= (u8)(1u << nid);
			nr_memory_nodes++;
		}
	node_online_map = node_memory_map;
	for (cpu = 0; cpu < kmm_nr_cpus && cpu < MM_NR_CPUS; cpu++)
		node_online_map |= (u8)(1u << cpu_to_node(cpu));
	for (cpu = 0; cpu < MM_NR_CPUS; cpu++) {
		nid = cpu_to_node(cpu);
		cpu_mem_node[cpu] = (u8)((node_memory_map >> nid) & 1 ?
					 nid : nearest_memory_node(nid));
	}
	for (nid = 0; nid < MAX_NUMNODES; nid++)
		for (unsigned int i = 0; i < NR_NUMA_STAT_ITEMS; i++)
			numa_stat[nid][i] = 0;
	for (nid = 0; nid < MAX_NUMNODES; nid++)
		if (((node_online_map >> nid) & 1) && !((node_memory_map >> nid) & 1))
			pr_info("node %d has no memory: its CPUs allocate from node %d first\n",
				nid, nearest_memory_node(nid));
}

static void numa_stat_add(int nid, enum numa_stat_item item)
{
	__atomic_fetch_add(&numa_stat[nid][item], 1, __ATOMIC_RELAXED);
}

void numa_count_alloc(int preferred, const struct zone *z)
{
	int nid = z->node;

	if (nid == preferred) {
		numa_stat_add(nid, NUMA_HIT);
	} else {
		numa_stat_add(nid, NUMA_MISS);
		if (nid_ok(preferred))
			numa_stat_add(preferred, NUMA_FOREIGN);
	}
	numa_stat_add(nid, nid == numa_node_id() ? NUMA_LOCAL : NUMA_OTHER);
}

/* Node @nid's numastat counters into @st: 0, or -EINVAL for no such node. */
int numa_node_stat(int nid, struct kmm_numa_stat *st)
{
	unsigned long fast = 0, fast_other = 0;
	unsigned int cpu, slot;

	if (!nid_ok(nid))
		return -EINVAL;
	for (cpu = 0; cpu < MM_NR_CPUS; cpu++)
		for (slot = 0; slot < MAX_ZONEIDS; slot++) {
			unsigned int zi = slot ^ (cpu_mem_node[cpu] * PCP_ZONES);
			unsigned long n = READ_ONCE(pcp_lists[cpu][slot].nr_fast_allocs);

			if (!n || (int)(zi / PCP_ZONES) != nid)
				continue;
			fast += n;
			if (cpu_to_node(cpu) != nid)
				fast_other += n;
		}
	st->numa_hit = READ_ONCE(numa_stat[nid][NUMA_HIT]) + fast;
	st->numa_miss = READ_ONCE(numa_stat[nid][NUMA_MISS]);
	st->numa_foreign = READ_ONCE(numa_stat[nid][NUMA_FOREIGN]);
	st->interleave_hit = READ_ONCE(numa_stat[nid][NUMA_INTERLEAVE_HIT]);
	st->local_node = READ_ONCE(numa_stat[nid][NUMA_LOCAL]) + fast - fast_other;
	st->other_node = READ_ONCE(numa_stat[nid][NUMA_OTHER]) + fast_other;
	return 0;
}

/* numastat(8)'s table: one column per online node, in pages. */
void show_numastat(void)
{
	static const char *const names[] = {
		"numa_hit", "numa_miss", "numa_foreign", "interleave_hit",
		"local_node", "other_node",
	};
	struct kmm_numa_stat st[MAX_NUMNODES];
	char line[32 + MAX_NUMNODES * 17];
	int nid, n;

	n = snprintf(line, sizeof(line), "%-14s", "");
	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		if (!node_online(nid))
			continue;
		char name[12];

		numa_node_stat(nid, &st[nid]);
		snprintf(name, sizeof(name), "node%d", nid);
		n += snprintf(line + n, sizeof(line) - (size_t)n, "%16s", name);
	}
	printk(KERN_INFO "%s\n", line);
	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++) {
		n = snprintf(line, sizeof(line), "%-14s", names[i]);
		for (nid = 0; nid < MAX_NUMNODES; nid++) {
			const unsigned long *v = &st[nid].numa_hit;

			if (node_online(nid))
				n += snprintf(line + n, sizeof(line) - (size_t)n,
					      "%16lu", v[i]);
		}
		printk(KERN_INFO "%s\n", line);
	}
}

/* /sys/devices/system/node/nodeN/meminfo's first lines, for node @nid. */
void show_node_meminfo(int nid)
{
	unsigned long total = node_managed_pages(nid);
	unsigned long free = numa_node_free_pages(nid);

	printk(KERN_INFO "Node %d MemTotal:       %8lu kB\n", nid,
	       total << (PAGE_SHIFT - 10));
	printk(KERN_INFO "Node %d MemFree:        %8lu kB\n", nid,
	       free << (PAGE_SHIFT - 10));
	printk(KERN_INFO "Node %d MemUsed:        %8lu kB\n", nid,
	       (total - min(free, total)) << (PAGE_SHIFT - 10));
}

// SPDX-License-Identifier: MIT
/*
 * NUMA topology: which node each range of RAM and each CPU belongs to, and
 * how far apart the nodes are. The port (kmm's kernel: arch/x86_64 from
 * ACPI SRAT and SLIT) registers it before mem_init(); with nothing
 * registered the machine is one node, 0, holding everything.
 *
 *   numa_memblks[]   [start, end) -> nid, sorted, never overlapping
 *   cpu_node[]       cpu -> nid (0 until set)
 *   distance[][]     SLIT-style: 10 to itself, at least 11 to any other
 *                    node (REMOTE_DISTANCE, 20, until set)
 *
 * Node ids are dense, 0..MAX_NUMNODES-1, as Linux maps proximity domains to
 * nids in the order it meets them; the port does that mapping. The tables
 * are written at boot by one CPU and only read afterwards: no lock.
 */
#include "mm/port.h"
#include "mm/numa.h"
#include "mm/internal.h"

struct numa_memblk numa_memblks[NUMA_MAX_MEMBLKS];
unsigned int numa_nr_memblks;
static u8 numa_distance_table[MAX_NUMNODES][MAX_NUMNODES];
static bool numa_distance_set;
static s8 cpu_node[MM_NR_CPUS];

static bool nid_valid(int nid)
{
	return nid >= 0 && nid < MAX_NUMNODES;
}

void numa_reset(void)
{
	numa_nr_memblks = 0;
	numa_distance_set = false;
	for (unsigned int cpu = 0; cpu < MM_NR_CPUS; cpu++)
		cpu_node[cpu] = 0;
}

int numa_add_memblk(int nid, phys_addr_t start, phys_addr_t end)
{
	unsigned int i;

	if (!nid_valid(nid) || start >= end) {
		pr_warn("NUMA: refusing node %d [mem %#llx-%#llx]: %s\n", nid,
			(unsigned long long)start, (unsigned long long)end - 1,
			nid_valid(nid) ? "empty range" : "no such node id");
		return -EINVAL;
	}
	for (i = 0; i < numa_nr_memblks; i++) {
		struct numa_memblk *b = &numa_memblks[i];

		if (start < b->end && b->start < end) {
			pr_warn("NUMA: node %d [mem %#llx-%#llx] overlaps node %d [mem %#llx-%#llx]\n",
				nid, (unsigned long long)start,
				(unsigned long long)end - 1, b->nid,
				(unsigned long long)b->start,
				(unsigned long long)b->end - 1);
			return -EINVAL;
		}
	}
	if (numa_nr_memblks == NUMA_MAX_MEMBLKS) {
		pr_warn("NUMA: too many memory ranges (%u)\n", NUMA_MAX_MEMBLKS);
		return -ENOSPC;
	}
	/* Keep the table sorted by start. */
	for (i = numa_nr_memblks; i > 0 && numa_memblks[i - 1].start > start; i--)
		numa_memblks[i] = numa_memblks[i - 1];
	numa_memblks[i] = (struct numa_memblk){ .start = start, .end = end, .nid = nid };
	numa_nr_memblks++;
	return 0;
}

int numa_set_distance(int from, int to, int distance)
{
	if (!nid_valid(from) || !nid_valid(to) ||
	    (from == to && distance != LOCAL_DISTANCE) ||
	    (from != to && (distance <= LOCAL_DISTANCE || distance > 255))) {
		pr_warn("NUMA: invalid distance %d from node %d to node %d\n",
			distance, from, to);
		return -EINVAL;
	}
	if (!numa_distance_set) {
		for (int a = 0; a < MAX_NUMNODES; a++)
			for (int b = 0; b < MAX_NUMNODES; b++)
				numa_distance_table[a][b] =
					a == b ? LOCAL_DISTANCE : REMOTE_DISTANCE;
		numa_distance_set = true;
	}
	numa_distance_table[from][to] = (u8)distance;
	return 0;
}

int numa_set_node(unsigned int cpu, int nid)
{
	if (cpu >= MM_NR_CPUS || !nid_valid(nid)) {
		pr_warn("NUMA: cannot put CPU %u on node %d\n", cpu, nid);
		return -EINVAL;
	}
	cpu_node[cpu] = (s8)nid;
	numa_cpu_node_changed(cpu); /* an AP registered after mem_init() */
	return 0;
}

int cpu_to_node(unsigned int cpu)
{
	return cpu < MM_NR_CPUS ? cpu_node[cpu] : NUMA_NO_NODE;
}

int numa_node_id(void)
{
	return cpu_node[mm_cpu_id()];
}

int node_distance(int from, int to)
{
	if (!nid_valid(from) || !nid_valid(to))
		return 255;
	if (!numa_distance_set)
		return from == to ? LOCAL_DISTANCE : REMOTE_DISTANCE;
	return numa_distance_table[from][to];
}

int numa_phys_to_nid(phys_addr_t pa)
{
	for (unsigned int i = 0; i < numa_nr_memblks; i++)
		if (pa >= numa_memblks[i].start && pa < numa_memblks[i].end)
			return numa_memblks[i].nid;
	return numa_nr_memblks ? NUMA_NO_NODE : 0;
}

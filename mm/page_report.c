// SPDX-License-Identifier: MIT
/*
 * What the page allocator tells its users: free page counts, per-order
 * snapshots, /proc/buddyinfo and /proc/meminfo.
 *
 * Theory of operation
 * -------------------
 * Everything here reads the zones (mm/page_alloc.c) and changes nothing.
 * A snapshot takes each zone's lock in turn, so each zone's counts are
 * consistent but zones are not with each other; nr_free_pages() takes no
 * lock at all (a racy sum, good for reports and tests of a quiet machine).
 * Report lines are formatted into fixed buffers sized for the widest
 * numbers and appended with a clamp (buf_append), so they never overflow.
 *
 * Context: any; buddy_snapshot and show_buddyinfo take zone locks with
 * interrupts off, briefly.
 */
#define pr_fmt(fmt) "page_alloc: " fmt
#include "mm/gfp.h"
#include "mm/internal.h"
#include "kmm/string.h"

/* Free pages in all zones, including those on per-CPU lists (racy snapshot). */
unsigned long nr_free_pages(void)
{
	unsigned long sum = 0;
	unsigned int i, cpu;

	for (i = 0; i < MAX_ZONEIDS; i++) {
		sum += READ_ONCE(zones[i].free_pages);
		for (cpu = 0; cpu < MM_NR_CPUS; cpu++)
			sum += (unsigned int)((int)READ_ONCE(pcp_lists[cpu][i].high) -
					      READ_ONCE(pcp_lists[cpu][i].room));
	}
	return sum;
}

/*
 * Free blocks per zone type and order (per-CPU pages not included), summed
 * over the nodes.
 */
void buddy_snapshot(unsigned long counts[MAX_NR_ZONES][NR_PAGE_ORDERS])
{
	unsigned int i, o;

	memset(counts, 0, sizeof(unsigned long) * MAX_NR_ZONES * NR_PAGE_ORDERS);
	for (i = 0; i < MAX_ZONEIDS; i++) {
		unsigned long irq;

		if (i % PCP_ZONES >= MAX_NR_ZONES || !zones[i].present_pages)
			continue;
		irq = mm_irq_save();
		mm_spin_lock(&zones[i].lock);
		for (o = 0; o < NR_PAGE_ORDERS; o++)
			counts[i % PCP_ZONES][o] += zones[i].free_area[o].nr_free;
		mm_spin_unlock(&zones[i].lock);
		mm_irq_restore(irq);
	}
}

/*
 * snprintf into @buf at offset @n of @size, returning the new offset: at
 * most size - 1, whatever the output would have needed (scnprintf).
 */
static __printf(4, 5) int buf_append(char *buf, size_t size, int n,
				     const char *fmt, ...)
{
	va_list ap;
	int len;

	if ((size_t)n + 1 >= size)
		return n;
	va_start(ap, fmt);
	len = vsnprintf(buf + n, size - n, fmt, ap);
	va_end(ap);
	if (len < 0)
		return n;
	return (size_t)n + len < size ? n + len : (int)size - 1;
}

/* One buddyinfo line: the header and NR_PAGE_ORDERS counts of up to 20 digits. */
#define BUDDYINFO_LINE (32 + NR_PAGE_ORDERS * 21)

/*
 * /proc/buddyinfo: one line per populated zone of every node, free blocks
 * of order 0..10.
 */
void show_buddyinfo(void)
{
	unsigned long counts[NR_PAGE_ORDERS];
	unsigned int i, o;

	for (i = 0; i < MAX_ZONEIDS; i++) {
		char line[BUDDYINFO_LINE];
		unsigned long irq;
		int n;

		if (!zones[i].present_pages)
			continue;
		irq = mm_irq_save();
		mm_spin_lock(&zones[i].lock);
		for (o = 0; o < NR_PAGE_ORDERS; o++)
			counts[o] = zones[i].free_area[o].nr_free;
		mm_spin_unlock(&zones[i].lock);
		mm_irq_restore(irq);
		n = buf_append(line, sizeof(line), 0, "Node %d, zone %8s ",
			       zones[i].node, zones[i].name);
		for (o = 0; o < NR_PAGE_ORDERS; o++)
			n = buf_append(line, sizeof(line), n, "%6lu ", counts[o]);
		printk(KERN_INFO "%s\n", line);
	}
}

/* The port's page-table counters; a port with none leaves them zero. */
__attribute__((weak)) void mm_port_meminfo(struct mm_port_meminfo *mi)
{
	(void)mi;
}

/* @pages pages, in KiB. */
static unsigned long pages_to_kib(unsigned long pages)
{
	return pages << (PAGE_SHIFT - 10);
}

/* Pages covered by one direct-map mapping of 2 MiB and of 1 GiB. */
#define PAGES_PER_2M (1UL << (21 - PAGE_SHIFT))
#define PAGES_PER_1G (1UL << (30 - PAGE_SHIFT))

/* /proc/meminfo-style summary, in kB. */
void show_meminfo(void)
{
	struct mm_port_meminfo mi = { 0 };
	unsigned long present = 0, managed = 0;
	unsigned int i;

	mm_port_meminfo(&mi);
	for (i = 0; i < MAX_ZONEIDS; i++) {
		present += zones[i].present_pages;
		managed += zones[i].managed_pages;
	}
	printk(KERN_INFO "MemTotal:       %8lu kB\n", pages_to_kib(managed));
	printk(KERN_INFO "MemFree:        %8lu kB\n", pages_to_kib(nr_free_pages()));
	printk(KERN_INFO "MemPresent:     %8lu kB\n", pages_to_kib(present));
	printk(KERN_INFO "Reserved:       %8lu kB\n", pages_to_kib(present - managed));
	printk(KERN_INFO "memmap:         %8lu kB\n", pages_to_kib(memmap_pages));
	printk(KERN_INFO "PageTables:     %8lu kB\n", pages_to_kib(mi.pagetable_pages));
	printk(KERN_INFO "DirectMap4k:    %8lu kB\n", pages_to_kib(mi.direct_map_4k));
	printk(KERN_INFO "DirectMap2M:    %8lu kB\n", pages_to_kib(mi.direct_map_2m * PAGES_PER_2M));
	printk(KERN_INFO "DirectMap1G:    %8lu kB\n", pages_to_kib(mi.direct_map_1g * PAGES_PER_1G));
	/* Several nodes: each node's own, as /sys/devices/system/node/nodeN/meminfo. */
	if (num_online_nodes() > 1)
		for (int nid = 0; nid < MAX_NUMNODES; nid++)
			if (node_online(nid))
				show_node_meminfo(nid);
}

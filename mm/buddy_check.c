// SPDX-License-Identifier: MIT
/*
 * buddy_check: walk everything the page allocator keeps and count what is
 * inconsistent.
 *
 * For each zone, with every per-CPU list lock and then the zone lock held
 * (the allocator's lock order), so the picture is consistent even while
 * other CPUs allocate:
 *
 *   1. each free list: entries are free-block heads of that order and zone,
 *      aligned, inside the zone; the list length matches nr_free, and the
 *      pages on all lists add up to free_pages;
 *   2. each per-CPU list: PG_pcp blocks of its order and this zone; the
 *      pages on a CPU's lists agree with high - room and do not exceed high;
 *   3. the struct pages of the zone in pfn order: every managed page lies in
 *      exactly one block (free, per-CPU or allocated), blocks do not overlap
 *      or leave the zone, and the heads found match the lists' counts.
 *
 * Each inconsistency is printed (the first MAX_REPORTS per call) and counted.
 * Context: any; it holds locks with interrupts off for a full walk, so it is
 * for tests and debugging, not for hot paths.
 */
#define pr_fmt(fmt) "buddy_check: " fmt
#include "mm/gfp.h"
#include "mm/internal.h"
#include "kmm/string.h"

#define MAX_REPORTS 16
#define STATE_ZONE_ORDER (PAGE_STATE_MASK | PAGE_ORDER_MASK | PAGE_ZONEID_MASK)

struct checker {
	const struct zone *z;
	unsigned int zi;
	int errors;
};

static void __printf(2, 3) bad(struct checker *c, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	if (++c->errors > MAX_REPORTS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err("zone %s, node %d: %s\n", c->z->name, c->z->node, msg);
}

/* Is [pfn, pfn + 2^order) a place a block of this zone may be? */
static bool block_in_zone(struct checker *c, unsigned long pfn, unsigned int order)
{
	if (!pfn_valid(pfn) || pfn < c->z->start_pfn ||
	    pfn + (1UL << order) > c->z->end_pfn) {
		bad(c, "block at pfn %#lx order %u lies outside the zone", pfn, order);
		return false;
	}
	if (!IS_ALIGNED(pfn, 1UL << order)) {
		bad(c, "block at pfn %#lx is not aligned to its order %u", pfn, order);
		return false;
	}
	return true;
}

static unsigned long check_free_lists(struct checker *c)
{
	const struct zone *z = c->z;
	unsigned long sum = 0, limit = z->present_pages + 1;
	unsigned int o;

	for (o = 0; o < NR_PAGE_ORDERS; o++) {
		const struct free_area *fa = &z->free_area[o];
		const struct list_head *pos;
		unsigned long n = 0;

		list_for_each(pos, &fa->free_list) {
			const struct page *p = list_entry(pos, struct page, buddy_list);
			unsigned long pfn = page_to_pfn(p);

			if (++n > limit) {
				bad(c, "free list of order %u does not end", o);
				break;
			}
			if (!block_in_zone(c, pfn, o))
				continue;
			if ((p->flags & STATE_ZONE_ORDER) !=
			    (BIT(PG_buddy) | page_order_bits(o) | page_zone_bits(c->zi)))
				bad(c, "pfn %#lx on free list %u has flags %#lx",
				    pfn, o, p->flags);
		}
		if (n != fa->nr_free)
			bad(c, "order %u: nr_free %lu but %lu blocks listed", o,
			    fa->nr_free, n);
		sum += n << o;
	}
	if (sum != z->free_pages)
		bad(c, "free_pages %lu but the lists hold %lu", z->free_pages, sum);
	return sum;
}

static unsigned long check_pcp_lists(struct checker *c)
{
	unsigned long total = 0, limit = c->z->present_pages + 1;
	unsigned int cpu;

	for (cpu = 0; cpu < MM_NR_CPUS; cpu++) {
		const struct per_cpu_pages *pcp = pcp_of(cpu, c->zi);
		const struct page *p;
		unsigned long n = 0, blocks = 0;
		unsigned int o;

		for (o = 0; o < PCP_NR_ORDERS; o++) {
			for (p = pcp->lists[o]; p; p = pcp_next(p)) {
				unsigned long pfn = page_to_pfn(p);

				if (++blocks > limit) {
					bad(c, "cpu %u order-%u list does not end", cpu, o);
					break;
				}
				if (!block_in_zone(c, pfn, o))
					break;
				if ((p->flags & STATE_ZONE_ORDER) !=
				    (BIT(PG_pcp) | page_order_bits(o) | page_zone_bits(c->zi)))
					bad(c, "pfn %#lx on cpu %u order-%u list has flags %#lx",
					    pfn, cpu, o, p->flags);
				n += 1UL << o;
			}
		}
		if (n != pcp_count(pcp))
			bad(c, "cpu %u: count %u but %lu pages listed", cpu,
			    pcp_count(pcp), n);
		if (pcp->room < 0 && n)
			bad(c, "cpu %u: %u pages, above high %u", cpu,
			    pcp_count(pcp), pcp->high);
		total += n;
	}
	return total;
}

/* Walk the zone's struct pages in pfn order, comparing with the lists. */
static void check_memmap(struct checker *c, unsigned long pcp_pages)
{
	const struct zone *z = c->z;
	unsigned long heads[NR_PAGE_ORDERS] = { 0 };
	unsigned long pfn, block_start = 0, block_end = 0, managed = 0, pcp = 0;
	unsigned int o;

	for (pfn = z->start_pfn; pfn < z->end_pfn; pfn++) {
		const struct page *p;
		unsigned long state;

		if (!pfn_valid(pfn)) {
			pfn = ALIGN_UP(pfn + 1, MEMMAP_BLOCK_PAGES) - 1;
			continue;
		}
		p = pfn_to_page(pfn);
		state = p->flags & PAGE_STATE_MASK;
		/* Nodes' spans may interleave; no block spans two nodes. */
		if (page_to_nid(p) != z->node)
			continue;
		if (page_zoneid(p) != c->zi)
			bad(c, "pfn %#lx has zone id %u", pfn, page_zoneid(p));
		if (!(state & BIT(PG_reserved)))
			managed++;
		if (pfn < block_end) {
			if (state)
				bad(c, "pfn %#lx inside the block at pfn %#lx has flags %#lx",
				    pfn, block_start, p->flags);
			continue;
		}
		switch (state) {
		case BIT(PG_reserved):
			break;
		case BIT(PG_pcp):
			o = page_order(p);
			if (o > PCP_MAX_ORDER) {
				bad(c, "per-CPU pfn %#lx has order %u", pfn, o);
				break;
			}
			if (!block_in_zone(c, pfn, o))
				break;
			pcp += 1UL << o;
			block_start = pfn;
			block_end = pfn + (1UL << o);
			break;
		case BIT(PG_buddy):
		case BIT(PG_head):
			o = page_order(p);
			if (!block_in_zone(c, pfn, o))
				break;
			if (state == BIT(PG_buddy))
				heads[o]++;
			block_start = pfn;
			block_end = pfn + (1UL << o);
			break;
		case 0:
			bad(c, "pfn %#lx belongs to no block", pfn);
			break;
		default:
			bad(c, "pfn %#lx has several states, flags %#lx", pfn, p->flags);
			break;
		}
	}
	for (o = 0; o < NR_PAGE_ORDERS; o++)
		if (heads[o] != z->free_area[o].nr_free)
			bad(c, "order %u: %lu free heads in memmap, nr_free %lu", o,
			    heads[o], z->free_area[o].nr_free);
	if (pcp != pcp_pages)
		bad(c, "%lu per-CPU pages in memmap, %lu on lists", pcp, pcp_pages);
	if (managed != z->managed_pages)
		bad(c, "%lu managed pages in memmap, managed_pages %lu", managed,
		    z->managed_pages);
}

/* Count (and print) every inconsistency of the page allocator; 0 is healthy. */
int buddy_check(void)
{
	int errors = 0;
	unsigned int zi, cpu;

	for (zi = 0; zi < MAX_ZONEIDS; zi++) {
		struct zone *z = &zones[zi];
		struct checker c = { .z = z, .zi = zi };
		unsigned long irq;

		if (!z->present_pages)
			continue;
		irq = mm_irq_save();
		for (cpu = 0; cpu < MM_NR_CPUS; cpu++)
			mm_spin_lock(&pcp_of(cpu, zi)->lock);
		mm_spin_lock(&z->lock);
		if (z->present_pages) {
			check_free_lists(&c);
			check_memmap(&c, check_pcp_lists(&c));
		}
		mm_spin_unlock(&z->lock);
		for (cpu = MM_NR_CPUS; cpu-- > 0;)
			mm_spin_unlock(&pcp_of(cpu, zi)->lock);
		mm_irq_restore(irq);
		if (c.errors > MAX_REPORTS)
			pr_err("zone %s, node %d: %d more not shown\n", z->name,
			       z->node, c.errors - MAX_REPORTS);
		errors += c.errors;
	}
	return errors;
}

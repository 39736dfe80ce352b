// SPDX-License-Identifier: MIT
/*
 * What a page is used for, and the zone reports that need the allocator's
 * internals: Linux's dump_page(), /proc/pagetypeinfo and /proc/zoneinfo.
 *
 * Theory of operation
 * -------------------
 * Only the first page of a block says what the block is (mm/internal.h):
 * PG_buddy or PG_pcp for a free block, PG_head for an allocated one, with
 * the order in the flags and an owner flag (PG_slab, PG_vmalloc, ...) while
 * someone holds it. A page with no state bit is a tail: its block's head is
 * the nearest aligned pfn below it, at some order o, whose flags carry a
 * state bit and an order >= o -- the search free_check() makes for a bad
 * free. Reserved pages are marked one by one.
 *
 * Nothing here changes a page. The reads take no zone lock, so on a busy
 * machine a block may change under the reader; the callers (the monitor
 * shell, which runs while the other CPUs idle) accept that.
 */
#include "mm/inspect.h"
#include "mm/internal.h"
#include "mm/slab_internal.h"
#include "kmm/printk.h"

static const char *const kind_names[NR_PAGE_KINDS] = {
	[PAGE_KIND_HOLE] = "hole",
	[PAGE_KIND_RESERVED] = "reserved",
	[PAGE_KIND_FREE] = "free",
	[PAGE_KIND_PCP] = "per-cpu free",
	[PAGE_KIND_SLAB] = "slab",
	[PAGE_KIND_LARGE_KMALLOC] = "large kmalloc",
	[PAGE_KIND_VMALLOC] = "vmalloc",
	[PAGE_KIND_PTABLE] = "page table",
	[PAGE_KIND_ALLOCATED] = "allocated",
	[PAGE_KIND_UNKNOWN] = "unknown",
};

const char *page_kind_name(enum page_kind kind)
{
	return kind < NR_PAGE_KINDS ? kind_names[kind] : "?";
}

void page_inspect_span(unsigned long *start_pfn, unsigned long *end_pfn)
{
	*start_pfn = min_pfn_mapped;
	*end_pfn = max_pfn_mapped;
}

bool page_inspect_zone(unsigned int zi, const char **name,
		       unsigned long *start_pfn, unsigned long *end_pfn)
{
	if (zi >= MAX_ZONEIDS || !zones[zi].present_pages)
		return false;
	*name = zones[zi].name;
	*start_pfn = zones[zi].start_pfn;
	*end_pfn = zones[zi].end_pfn;
	return true;
}

/* The kind of an allocated block from its head's owner flags. */
static enum page_kind owned_kind(unsigned long flags)
{
	if (flags & BIT(PG_slab))
		return PAGE_KIND_SLAB;
	if (flags & BIT(PG_large_kmalloc))
		return PAGE_KIND_LARGE_KMALLOC;
	if (flags & BIT(PG_vmalloc))
		return PAGE_KIND_VMALLOC;
	if (flags & BIT(PG_ptable))
		return PAGE_KIND_PTABLE;
	return PAGE_KIND_ALLOCATED;
}

/* The head of the block holding @pfn, or ~0UL when none claims it. */
static unsigned long find_head(unsigned long pfn)
{
	unsigned int o;

	for (o = 0; o <= MAX_PAGE_ORDER; o++) {
		unsigned long h = pfn & ~((1UL << o) - 1);
		const struct page *hp = pfn_to_page(h);

		if (!(READ_ONCE(hp->flags) & PAGE_STATE_MASK))
			continue;
		if (page_order(hp) >= o)
			return h;
	}
	return ~0UL;
}

bool page_inspect(unsigned long pfn, struct page_info *pi)
{
	const struct page *page, *head;
	unsigned long hflags;

	memset(pi, 0, sizeof(*pi));
	pi->pfn = pi->head_pfn = pfn;
	pi->kind = PAGE_KIND_HOLE;
	if (pfn < min_pfn_mapped || !pfn_valid(pfn))
		return false;
	page = pfn_to_page(pfn);
	pi->flags = READ_ONCE(page->flags);
	pi->zone = page_zoneid(page);
	pi->zone_name = pi->zone < MAX_ZONEIDS ? zones[pi->zone].name : "?";
	if (pi->flags & BIT(PG_reserved)) {
		pi->kind = PAGE_KIND_RESERVED;
		return true;
	}
	pi->head_pfn = find_head(pfn);
	if (pi->head_pfn == ~0UL) {
		pi->head_pfn = pfn;
		pi->kind = PAGE_KIND_UNKNOWN;
		return true;
	}
	head = pfn_to_page(pi->head_pfn);
	hflags = READ_ONCE(head->flags);
	pi->order = page_order(head);
	if (hflags & BIT(PG_buddy))
		pi->kind = PAGE_KIND_FREE;
	else if (hflags & BIT(PG_pcp))
		pi->kind = PAGE_KIND_PCP;
	else if (hflags & BIT(PG_head))
		pi->kind = owned_kind(hflags);
	else
		pi->kind = PAGE_KIND_UNKNOWN;
	if (pi->kind == PAGE_KIND_SLAB && head->slab_cache) {
		const struct kmem_cache *s = head->slab_cache;

		pi->cache = s;
		pi->cache_name = s->name;
		pi->obj_size = s->object_size;
		pi->objects = head->objects;
		pi->inuse = head->inuse;
	}
	return true;
}

/* "buddy|head|..." for the flags word, then zone=N, as Linux's %pGp. */
static void format_page_flags(char *buf, size_t size, unsigned long flags)
{
	static const char *const names[NR_PAGEFLAGS] = {
		[PG_reserved] = "reserved", [PG_buddy] = "buddy",
		[PG_pcp] = "pcp", [PG_head] = "head", [PG_slab] = "slab",
		[PG_large_kmalloc] = "large_kmalloc", [PG_poisoned] = "poisoned",
		[PG_vmalloc] = "vmalloc", [PG_ptable] = "ptable",
		[PG_slab_tail] = "slab_tail",
	};
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < NR_PAGEFLAGS && n + 1 < size; i++)
		if (flags & BIT(i))
			n += snprintf(buf + n, size - n, "%s|", names[i]);
	if (n + 1 < size)
		snprintf(buf + n, size - n, "order=%u|zone=%lu",
			 (unsigned int)((flags & PAGE_ORDER_MASK) >> PAGE_ORDER_SHIFT),
			 (flags & PAGE_ZONE_MASK) >> PAGE_ZONE_SHIFT);
}

void dump_page_pfn(unsigned long pfn, unsigned long addr, const char *reason)
{
	struct page_info pi;
	const unsigned long *raw;
	char fl[160];

	if (!page_inspect(pfn, &pi)) {
		printk(KERN_INFO "page: pfn:%#lx has no struct page (not RAM)\n", pfn);
		return;
	}
	raw = (const unsigned long *)pfn_to_page(pfn);
	printk(KERN_INFO "page:%016lx pfn:%#lx phys:%#llx zone:%s kind:%s\n",
	       (unsigned long)pfn_to_page(pfn), pfn, (unsigned long long)PFN_PHYS(pfn),
	       pi.zone_name, page_kind_name(pi.kind));
	if (pi.kind != PAGE_KIND_RESERVED && pi.kind != PAGE_KIND_UNKNOWN)
		printk(KERN_INFO "head:%016lx order:%u head_pfn:%#lx page %lu of %lu\n",
		       (unsigned long)pfn_to_page(pi.head_pfn), pi.order, pi.head_pfn,
		       pfn - pi.head_pfn, 1UL << pi.order);
	format_page_flags(fl, sizeof(fl), pi.flags);
	printk(KERN_INFO "flags: %#lx(%s)\n", pi.flags, fl);
	if (pi.kind == PAGE_KIND_SLAB && pi.cache) {
		const struct kmem_cache *s = pi.cache;
		const struct page *head = pfn_to_page(pi.head_pfn);

		printk(KERN_INFO "slab: cache:%s objsize:%u size:%u objects:%u inuse:%u\n",
		       pi.cache_name, s->object_size, s->size, pi.objects, pi.inuse);
		if (addr) {
			unsigned long base = (unsigned long)slab_base(head) + s->offset;

			if (addr >= base && addr - base < (unsigned long)s->size * pi.objects)
				printk(KERN_INFO "slab: object %lu at %#lx, offset %lu into it\n",
				       (addr - base) / s->size,
				       base + (addr - base) / s->size * s->size,
				       (addr - base) % s->size);
			else
				printk(KERN_INFO "slab: %#lx is in no object (slab tail or red zone)\n",
				       addr);
		}
	}
	printk(KERN_INFO "raw: %016lx %016lx %016lx %016lx\n", raw[0], raw[1], raw[2], raw[3]);
	printk(KERN_INFO "raw: %016lx %016lx %016lx %016lx\n", raw[4], raw[5], raw[6], raw[7]);
	printk(KERN_INFO "page dumped because: %s\n", reason);
}

/*
 * /proc/pagetypeinfo. kmm has no migrate types or page blocks: every free
 * page counts as Unmovable (what kernel allocations are in Linux), and the
 * "page block" is the largest buddy block.
 */
void show_pagetypeinfo(void)
{
	char line[64 + NR_PAGE_ORDERS * 8];
	unsigned int i, o;
	int n;

	printk(KERN_INFO "Page block order: %u\n", MAX_PAGE_ORDER);
	printk(KERN_INFO "Pages per block:  %lu\n\n", 1UL << MAX_PAGE_ORDER);
	n = snprintf(line, sizeof(line), "%-43s", "Free pages count per migrate type at order");
	for (o = 0; o < NR_PAGE_ORDERS; o++)
		n += snprintf(line + n, sizeof(line) - n, "%6u ", o);
	printk(KERN_INFO "%s\n", line);
	for (i = 0; i < MAX_ZONEIDS; i++) {
		if (!zones[i].present_pages)
			continue;
		n = snprintf(line, sizeof(line), "Node %4d, zone %8s, type %12s ",
			     zones[i].node, zones[i].name, "Unmovable");
		for (o = 0; o < NR_PAGE_ORDERS; o++)
			n += snprintf(line + n, sizeof(line) - n, "%6lu ",
				      READ_ONCE(zones[i].free_area[o].nr_free));
		printk(KERN_INFO "%s\n", line);
	}
	printk(KERN_INFO "\nNumber of blocks type     %12s %12s %12s %12s %12s\n",
	       "Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate");
	for (i = 0; i < MAX_ZONEIDS; i++) {
		unsigned long span = zones[i].end_pfn - zones[i].start_pfn;

		if (!zones[i].present_pages)
			continue;
		printk(KERN_INFO "Node %d, zone %8s %12lu %12u %12u %12u %12u\n", zones[i].node,
		       zones[i].name, (span + (1UL << MAX_PAGE_ORDER) - 1) >> MAX_PAGE_ORDER,
		       0U, 0U, 0U, 0U);
	}
}

/* /proc/zoneinfo, the fields kmm keeps; pagesets of CPUs below @nr_cpus. */
void show_zoneinfo(unsigned int nr_cpus)
{
	unsigned int i, cpu;

	if (nr_cpus > MM_NR_CPUS)
		nr_cpus = MM_NR_CPUS;
	for (i = 0; i < MAX_ZONEIDS; i++) {
		const struct zone *z = &zones[i];

		if (!z->present_pages)
			continue;
		printk(KERN_INFO "Node %d, zone %8s\n", z->node, z->name);
		printk(KERN_INFO "  pages free     %lu\n", READ_ONCE(z->free_pages));
		printk(KERN_INFO "        min      %lu\n", z->watermark_min);
		printk(KERN_INFO "        spanned  %lu\n", z->end_pfn - z->start_pfn);
		printk(KERN_INFO "        present  %lu\n", z->present_pages);
		printk(KERN_INFO "        managed  %lu\n", z->managed_pages);
		printk(KERN_INFO "  pagesets\n");
		for (cpu = 0; cpu < nr_cpus; cpu++) {
			const struct per_cpu_pages *pcp = pcp_of(cpu, i);

			printk(KERN_INFO "    cpu: %u\n", cpu);
			printk(KERN_INFO "              count: %u\n", pcp_count(pcp));
			printk(KERN_INFO "              high:  %u\n", pcp->high);
			printk(KERN_INFO "              batch: %u\n", pcp->batch);
		}
		printk(KERN_INFO "  start_pfn:           %lu\n", z->start_pfn);
	}
}

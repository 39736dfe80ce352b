// SPDX-License-Identifier: MIT
/*
 * mem_init: from memblock's tables to a running page allocator.
 *
 * Theory of operation
 * -------------------
 * Physical memory is cut into memmap blocks of 2^MEMMAP_BLOCK_ORDER pages
 * (4 MiB). A block that holds any RAM gets struct pages for all its pages;
 * other blocks get none, and their part of vmemmap stays unmapped:
 *
 *   phys      |RAM.....|  hole                |RAM............|
 *   blocks    [b0][b1][b2]  .  .  .  .  .  .  [b9][b10][b11][b12]
 *   present     1   1   1   0  0  0  0  0  0    1   1    1    1
 *   vmemmap   |64K|64K|64K|                   |64K|64K |64K |64K |
 *                (backing from memblock, a whole 2 MiB of struct pages at
 *                 once where it fits, mapped with one large page when the
 *                 port offers mm_map_kernel_huge, else 4 KiB at a time)
 *
 * A block is as large as the largest buddy block, so any page that has a
 * struct page also has its buddy's. memmap_present (one byte per block)
 * tells pfn_valid() and the free path which struct pages exist.
 *
 * Nodes: with a topology registered (mm/numa.c), each pfn belongs to the
 * node of the numa_memblks[] range holding it; RAM in no range goes to the
 * node of the nearest range by address, with a warning, so none is lost.
 * Each node gets its own zones (zones[] by zone id, nid * 4 + zone type);
 * a zone exists on a node only where the node's RAM reaches it. Ranges are
 * cut at node edges as they are at zone limits, so no buddy block spans
 * two nodes (free_one_locked() merges only blocks of the same zone id).
 *
 * Then every struct page is written as PG_reserved with its zone id; each free
 * memblock range has its pages' flags cleared and enters the buddy as the
 * largest naturally aligned blocks that fit, one list insertion per block.
 * Per page of RAM that is one 64-byte store and one flags store.
 *
 * Context: once, at boot, on one CPU, after memblock is complete. On host
 * builds it may run again on a fresh memblock (each test machine).
 */
#define pr_fmt(fmt) "mm: " fmt
#include "mm/gfp.h"
#include "mm/internal.h"
#include "kmm/string.h"

/* A large page worth of struct pages: allocated and mapped as one piece. */
#define VMEMMAP_CHUNK (2UL << 20)

unsigned long min_pfn_mapped, max_pfn_mapped;
u8 *memmap_present;
unsigned long memmap_pages, totalram_pages;

/* True when @pfn has a struct page (managed, reserved or a hole in RAM). */
bool pfn_valid(unsigned long pfn)
{
	return pfn < max_pfn_mapped && memmap_block_present(pfn);
}

/* The port's zone limits (kmm_layout), as pfns; set by mem_init(). */
static unsigned long zone_end_pfn[MAX_NR_ZONES];

/*
 * Map a whole VMEMMAP_CHUNK with one large page when the port can (its
 * KMM_HOOK_MAP_HUGE succeeds); true when done.
 */
static bool vmemmap_map_huge(unsigned long va, phys_addr_t pa)
{
	return mm_map_kernel_huge(va, pa, MM_PROT_READ | MM_PROT_WRITE) == 0;
}

/* Allocate and map the struct pages of [start_pfn, end_pfn). */
static void vmemmap_populate(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long va = (unsigned long)pfn_to_page(start_pfn);
	unsigned long end = (unsigned long)pfn_to_page(end_pfn);

	while (va < end) {
		unsigned long chunk = PAGE_SIZE, off;
		phys_addr_t pa = 0;

		if (IS_ALIGNED(va, VMEMMAP_CHUNK) && end - va >= VMEMMAP_CHUNK) {
			pa = memblock_phys_alloc_try(VMEMMAP_CHUNK, VMEMMAP_CHUNK);
			if (pa)
				chunk = VMEMMAP_CHUNK;
		}
		if (!pa)
			pa = memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE);
		if (!pa)
			panic("mm: no memory for the struct pages of pfn %#lx-%#lx",
			      start_pfn, end_pfn - 1);
		if (chunk == VMEMMAP_CHUNK && vmemmap_map_huge(va, pa))
			off = chunk;
		else
			off = 0;
		for (; off < chunk; off += PAGE_SIZE)
			if (mm_map_kernel_page(va + off, pa + off,
					       MM_PROT_READ | MM_PROT_WRITE))
				panic("mm: cannot map vmemmap at %#lx", va + off);
		memmap_pages += chunk >> PAGE_SHIFT;
		va += chunk;
	}
}

/*
 * The node of @pfn, and in *end (lowered, never below pfn + 1) where the
 * run of pfns of that node from @pfn ends. 0 with no topology registered.
 * A pfn in no node's range takes the nearest range's node (by address),
 * with a warning when @warn.
 */
static int pfn_nid(unsigned long pfn, unsigned long *end, bool warn)
{
	phys_addr_t pa = PFN_PHYS(pfn), gap, best_gap = ~(phys_addr_t)0;
	unsigned int i;
	int best = 0;

	if (!numa_nr_memblks)
		return 0;
	for (i = 0; i < numa_nr_memblks; i++) {
		const struct numa_memblk *b = &numa_memblks[i];

		if (pa >= b->start && pa < b->end) {
			*end = min(*end, PFN_UP(b->end));
			return b->nid;
		}
	}
	for (i = 0; i < numa_nr_memblks; i++) {
		const struct numa_memblk *b = &numa_memblks[i];

		if (b->start > pa) {
			*end = min(*end, PFN_UP(b->start));
			gap = b->start - pa;
		} else {
			gap = pa - b->end + 1;
		}
		if (gap < best_gap) {
			best_gap = gap;
			best = b->nid;
		}
	}
	if (warn)
		pr_warn("NUMA: [mem %#llx-%#llx] is in no node's range: given to node %d\n",
			(unsigned long long)pa,
			(unsigned long long)PFN_PHYS(*end) - 1, best);
	return best;
}

/*
 * The zone id of @pfn (nid * PCP_ZONES + zone type), and in *stop the end
 * of the run from @pfn, at most @end, that shares it.
 */
static unsigned int pfn_zoneid(unsigned long pfn, unsigned long end,
			       unsigned long *stop, bool warn)
{
	unsigned int zi = pfn_zone_idx(pfn);
	int nid;

	end = min(end, zone_end_pfn[zi]);
	nid = pfn_nid(pfn, &end, warn);
	*stop = end;
	return (unsigned int)nid * PCP_ZONES + zi;
}

/* Write every struct page of [start, end) as reserved, in its zone. */
static void memmap_init_range(unsigned long start, unsigned long end)
{
	while (start < end) {
		unsigned long stop;
		unsigned int zi = pfn_zoneid(start, end, &stop, false);
		const struct page tmpl = {
			.flags = BIT(PG_reserved) | page_zone_bits(zi),
		};
		struct page *p = pfn_to_page(start), *last = pfn_to_page(stop);

		for (; p < last; p++)
			*p = tmpl;
		start = stop;
	}
}

/*
 * Find the memmap blocks of every RAM range, back them and initialise their
 * struct pages. Adjacent present blocks are populated as one run.
 */
static void memmap_init(void)
{
	const struct memblock_type *mem = &memblock.memory;
	unsigned long nr_blocks, b, run;
	unsigned int i;

	min_pfn_mapped = ALIGN_DOWN(PHYS_PFN(memblock_start_of_DRAM()),
				    MEMMAP_BLOCK_PAGES);
	max_pfn_mapped = ALIGN_UP(PFN_UP(memblock_end_of_DRAM()), MEMMAP_BLOCK_PAGES);
	nr_blocks = max_pfn_mapped >> MEMMAP_BLOCK_ORDER;
	memmap_present = memblock_alloc(nr_blocks, 1);
	if (!memmap_present)
		panic("mm: no memory for the memmap block map");
	for (i = 0; i < mem->cnt; i++) {
		unsigned long s = PHYS_PFN(mem->regions[i].base);
		unsigned long e = PHYS_PFN(mem->regions[i].base + mem->regions[i].size);

		memset(&memmap_present[s >> MEMMAP_BLOCK_ORDER], 1,
		       ((e - 1) >> MEMMAP_BLOCK_ORDER) - (s >> MEMMAP_BLOCK_ORDER) + 1);
	}
	for (b = 0; b < nr_blocks; b = run) {
		if (!memmap_block_present(b << MEMMAP_BLOCK_ORDER)) {
			run = b + 1;
			continue;
		}
		for (run = b; run < nr_blocks &&
		     memmap_block_present(run << MEMMAP_BLOCK_ORDER); run++)
			;
		vmemmap_populate(b << MEMMAP_BLOCK_ORDER, run << MEMMAP_BLOCK_ORDER);
		memmap_init_range(b << MEMMAP_BLOCK_ORDER, run << MEMMAP_BLOCK_ORDER);
	}
}

/*
 * Tag memblock's memory with its nodes (splitting regions at node edges),
 * so that every range carries its node as in Linux, and memblock=debug
 * shows it.
 */
static void memblock_set_nodes(void)
{
	const struct memblock_type *mem = &memblock.memory;
	unsigned int i;

	for (i = 0; i < mem->cnt; i++) {
		unsigned long s = PHYS_PFN(mem->regions[i].base);
		unsigned long e = s + PHYS_PFN(mem->regions[i].size);
		int nid = pfn_nid(s, &e, false);

		/* Splits only ever add regions after i: the loop sees them. */
		if (memblock_set_node(PFN_PHYS(s), PFN_PHYS(e - s), nid))
			break;
	}
}

/* Spans and present pages of each node's zones, from the RAM memblock knows. */
static void zones_init(void)
{
	const struct memblock_type *mem = &memblock.memory;
	unsigned int zi, i;

	for (zi = 0; zi < MAX_ZONEIDS; zi++)
		zone_init_free_lists(&zones[zi], zi);
	for (i = 0; i < mem->cnt; i++) {
		unsigned long s = PHYS_PFN(mem->regions[i].base);
		unsigned long e = s + PHYS_PFN(mem->regions[i].size), stop;

		for (; s < e; s = stop) {
			struct zone *z = &zones[pfn_zoneid(s, e, &stop, true)];

			if (!z->present_pages)
				z->start_pfn = s;
			z->end_pfn = max(z->end_pfn, stop);
			z->present_pages += stop - s;
		}
	}
}

/* Hand [start, end) of one zone to the buddy as maximal aligned blocks. */
static void free_range_to_buddy(struct zone *z, unsigned int zi,
				unsigned long start, unsigned long end)
{
	unsigned long zbits = page_zone_bits(zi), pfn;

	for (pfn = start; pfn < end; pfn++)
		pfn_to_page(pfn)->flags = zbits;
	z->managed_pages += end - start;
	totalram_pages += end - start;
	while (start < end) {
		unsigned int order = MAX_PAGE_ORDER;

		if (start)
			order = min(order, (unsigned int)__builtin_ctzl(start));
		while (start + (1UL << order) > end)
			order--;
		buddy_add_free_block(z, pfn_to_page(start), order);
		start += 1UL << order;
	}
}

static void free_memblock_to_buddy(void)
{
	phys_addr_t start, end;
	unsigned int idx = 0;

	while (memblock_next_free_range(&idx, &start, &end)) {
		unsigned long s = PHYS_PFN(start), e = PHYS_PFN(end);

		while (s < e) {
			unsigned long stop;
			unsigned int zi = pfn_zoneid(s, e, &stop, false);

			free_range_to_buddy(&zones[zi], zi, s, stop);
			s = stop;
		}
	}
}

static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0, bit = 1UL << 62;

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

/*
 * The min watermark, as Linux sizes min_free_kbytes: sqrt(16 * RAM in KiB),
 * between 128 KiB and 64 MiB, shared among zones by their size.
 */
static void setup_watermarks(void)
{
	unsigned long kb = totalram_pages << (PAGE_SHIFT - 10);
	unsigned long min_pages = clamp_ul(int_sqrt(16 * kb), 128, 65536) >>
				  (PAGE_SHIFT - 10);
	unsigned int zi;

	for (zi = 0; zi < MAX_ZONEIDS; zi++) {
		struct zone *z = &zones[zi];

		z->watermark_min = totalram_pages ?
			min_pages * z->managed_pages / totalram_pages : 0;
		zone_setup_pcp(zi);
	}
}

/*
 * Build the struct page array for the RAM memblock knows, then move every
 * free memblock range into the buddy. Runs once, after memblock is complete;
 * panics only when the memmap itself cannot be allocated.
 */
void mem_init(void)
{
	if (!kmm_vmemmap_base)
		panic("mm: mem_init() before kmm_setup()");
	if (!memblock.memory.cnt)
		panic("mm: mem_init() with no memory registered");
	zone_end_pfn[ZONE_DMA] = PHYS_PFN(ZONE_DMA_END);
	zone_end_pfn[ZONE_DMA32] = PHYS_PFN(ZONE_DMA32_END);
	zone_end_pfn[ZONE_NORMAL] = ~0UL;
	memblock_set_nodes();
	if (memblock.debug)
		memblock_dump();
	memmap_pages = 0;
	totalram_pages = 0;
	memmap_init();
	zones_init();
	free_memblock_to_buddy();
	numa_nodes_init();
	setup_watermarks();
	build_zonelists();
	memblock_retire();
	vmalloc_init();
	slab_forget_caches();
	pr_info("Memory: %luK/%luK available (%luK memmap, %luK reserved)\n",
		totalram_pages << (PAGE_SHIFT - 10),
		(unsigned long)(memblock_phys_mem_size() >> 10),
		memmap_pages << (PAGE_SHIFT - 10),
		(unsigned long)((memblock_phys_mem_size() >> 10) -
				(totalram_pages << (PAGE_SHIFT - 10))));
}

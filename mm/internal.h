/* SPDX-License-Identifier: MIT */
/*
 * Private declarations of the page allocator, memblock and vmalloc. Only
 * the mm/ sources include this file; everything here may change without notice.
 */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

#include "mm/gfp.h"
#include "mm/memblock.h"
#include "mm/numa.h"

/*
 * struct page flags, as the page allocator uses them:
 *
 *   63    58 57 56 55   52 51          9 8            0
 *  +--------+-----+-------+-------------+--------------+
 *  |  node  |zone | order |      -      | PG_* bits    |
 *  +--------+-----+-------+-------------+--------------+
 *  \____ zone id ___/
 *
 * The order of a block is kept in the flags, not in page->private, because
 * an owner (the slab allocator) reuses the rest of the union while it holds
 * the block, and the order must survive until the block is freed.
 */
#define PAGE_ORDER_SHIFT 52
#define PAGE_ORDER_MASK  (0xfUL << PAGE_ORDER_SHIFT)

_Static_assert(NR_PAGEFLAGS <= PAGE_ORDER_SHIFT, "page flags overlap the order");
_Static_assert(PAGE_ORDER_SHIFT + 4 <= PAGE_ZONE_SHIFT, "order overlaps the zone");
_Static_assert(MAX_PAGE_ORDER < 16, "order must fit in 4 bits");
_Static_assert(MAX_NR_ZONES <= 4, "zone must fit in 2 bits");
_Static_assert(MAX_NUMNODES <= 64, "node must fit in 6 bits");
_Static_assert(sizeof(struct page) == 64, "struct page is one cache line");

/* Which of the allocator's states a page is in: at most one is set. */
#define PAGE_STATE_MASK (BIT(PG_reserved) | BIT(PG_buddy) | BIT(PG_pcp) | \
			 BIT(PG_head))
/*
 * Flags an owner sets on a block it holds. The owner clears its flag before
 * giving the block back: __free_pages() refuses a block that still has one.
 */
#define PAGE_OWNER_MASK (BIT(PG_slab) | BIT(PG_large_kmalloc) | \
			 BIT(PG_vmalloc) | BIT(PG_ptable))

static inline unsigned int page_order(const struct page *p)
{
	return (unsigned int)((p->flags & PAGE_ORDER_MASK) >> PAGE_ORDER_SHIFT);
}

static inline unsigned long page_order_bits(unsigned int order)
{
	return (unsigned long)order << PAGE_ORDER_SHIFT;
}

/* The flags bits of zone id @zoneid (nid * PCP_ZONES + zone type). */
static inline unsigned long page_zone_bits(unsigned int zoneid)
{
	return (unsigned long)zoneid << PAGE_ZONEID_SHIFT;
}

/*
 * struct page exists for whole memmap blocks of 2^MEMMAP_BLOCK_ORDER pages
 * (4 MiB of RAM), one byte each in memmap_present (a byte, not a bit: one
 * load in free_check). A block is as large as the largest buddy block, so a
 * block's buddy always has a struct page when the block has.
 */
#define MEMMAP_BLOCK_ORDER MAX_PAGE_ORDER
#define MEMMAP_BLOCK_PAGES (1UL << MEMMAP_BLOCK_ORDER)
extern u8 *memmap_present;

/* Only for pfn < max_pfn_mapped. */
static inline bool memmap_block_present(unsigned long pfn)
{
	return memmap_present[pfn >> MEMMAP_BLOCK_ORDER];
}

/*
 * Per-CPU lists of free blocks of one zone, one per order 0 ..
 * PCP_MAX_ORDER (Linux keeps orders up to PAGE_ALLOC_COSTLY_ORDER, 3, so):
 * LIFO stacks linked through page->buddy_list.next, so the block freed last
 * (cache-hot) is the next one handed out. Only its own CPU uses them on the
 * fast path, with interrupts off; the lock exists so that another CPU may
 * drain or check them. Lock order: pcp -> zone.
 *
 * room counts down from high as pages (not blocks) are added: pushing is
 * one subtraction and a sign test. The number of pages is high - room.
 */
#define PCP_MAX_ORDER 3
#define PCP_NR_ORDERS (PCP_MAX_ORDER + 1)

struct per_cpu_pages {
	mm_spinlock_t lock;
	int room;           /* pages that fit before a trim; < 0: trim now */
	unsigned int high;  /* most pages kept */
	unsigned int batch; /* pages moved per refill or trim */
	struct page *lists[PCP_NR_ORDERS]; /* [order]: its first block */
	unsigned long nr_fast_allocs; /* fast-path pops: local numa_hits */
} __aligned(64);

_Static_assert(sizeof(struct per_cpu_pages) == 64, "a per-CPU list set is one cache line");

static inline unsigned int pcp_count(const struct per_cpu_pages *pcp)
{
	return (unsigned int)((int)pcp->high - pcp->room);
}

static inline struct page *pcp_next(const struct page *page)
{
	return (struct page *)page->buddy_list.next;
}

/*
 * Zones are indexed by zone id, nid * PCP_ZONES + zone type (the top byte
 * of page->flags); PCP_ZONES, a power of two, keeps the index a shift.
 * Slot 3 of each node is never a zone.
 */
#define PCP_ZONES 4
#define MAX_ZONEIDS (MAX_NUMNODES * PCP_ZONES)
_Static_assert(MAX_NR_ZONES <= PCP_ZONES, "PCP_ZONES too small");

/*
 * Per-CPU lists, [cpu][slot]. A CPU's list of zone id z sits in slot
 * z ^ (cpu_mem_node[cpu] * PCP_ZONES): each CPU's lists of its own node's
 * zones come first, at slots 0..2, so the fast paths find this CPU's list
 * of its local fast zone at one constant offset from its row whatever its
 * node (mm/page_alloc.c). On a machine of one node the slot is the zone id.
 * cpu_mem_node[] is the node a CPU takes memory from first: its own, or
 * for a CPU of a node without memory the nearest node with memory
 * (Linux's cpu_to_mem()). Fixed by mem_init().
 */
extern struct per_cpu_pages pcp_lists[MM_NR_CPUS][MAX_ZONEIDS];
extern u8 cpu_mem_node[MM_NR_CPUS];

static inline struct per_cpu_pages *pcp_of(unsigned long cpu, unsigned int zoneid)
{
	return &pcp_lists[cpu][zoneid ^ (cpu_mem_node[cpu] * PCP_ZONES)];
}

struct free_area {
	struct list_head free_list;
	unsigned long nr_free; /* blocks on free_list */
};

struct zone {
	mm_spinlock_t lock; /* free_area[], free_pages */
	const char *name;
	unsigned long start_pfn, end_pfn; /* span; may include holes */
	unsigned long present_pages;      /* RAM inside the span */
	unsigned long managed_pages;      /* of which the buddy owns */
	unsigned long free_pages;         /* in free_area[], not per-CPU */
	unsigned long watermark_min;      /* only __GFP_HIGH goes below */
	int node;                         /* the node it belongs to */
	struct free_area free_area[NR_PAGE_ORDERS];
};

/* Every node's zones, by zone id; a zone without memory has no managed pages. */
extern struct zone zones[MAX_ZONEIDS];

static inline unsigned int zone_type(const struct zone *z)
{
	return (unsigned int)(z - zones) % PCP_ZONES;
}

/*
 * Zones to try, best first, for each node asking and each value of gfp &
 * GFP_ZONE_MASK: the asking node's zones first (highest type first), then
 * the other nodes' in node_distance() order, as Linux's node-ordered
 * zonelists.
 */
#define GFP_ZONE_MASK (__GFP_DMA | __GFP_DMA32)
extern struct zone *zonelists[MAX_NUMNODES][GFP_ZONE_MASK + 1][MAX_ZONEIDS + 1];

/* Every GFP bit with a meaning (include/kmm/kmm.h); the rest are refused. */
#define GFP_VALID_MASK ((gfp_t)((__GFP_THISNODE << 1) - 1))
/* Bits the fast paths leave to a slow path: work to do, or bits to check. */
#define GFP_SLOW_MASK ((gfp_t)(__GFP_ZERO | GFP_ZONE_MASK | __GFP_THISNODE | \
			       ~GFP_VALID_MASK))
/*
 * mm/gfp_check.c: @gfp with meaningless or contradictory bits stripped,
 * after one "Unexpected gfp" line naming @caller.
 */
gfp_t gfp_fixup(gfp_t gfp, unsigned long caller);
static inline bool gfp_is_bad(gfp_t gfp)
{
	return (gfp & ~GFP_VALID_MASK) || (gfp & GFP_ZONE_MASK) == GFP_ZONE_MASK;
}

static inline struct zone *page_zone(const struct page *p)
{
	return &zones[page_zoneid(p)];
}

static inline unsigned int pfn_zone_idx(unsigned long pfn)
{
	phys_addr_t pa = PFN_PHYS(pfn);

	if (pa < ZONE_DMA_END)
		return ZONE_DMA;
	if (pa < ZONE_DMA32_END)
		return ZONE_DMA32;
	return ZONE_NORMAL;
}

/*
 * The fast paths only try the per-CPU lock and fall back to the slow path
 * when it is taken (a remote drain is running), as Linux does; this keeps
 * spinning, and the registers it needs, out of the fast path. A port may
 * provide mm_spin_trylock(l); without one the lock is simply taken.
 */
#ifndef mm_spin_trylock
#define mm_spin_trylock(l) (mm_spin_lock(l), true)
#define MM_SPIN_TRYLOCK_TAKES 1 /* no real trylock: slab_reclaim() stays off */
#endif

static inline unsigned long clamp_ul(unsigned long v, unsigned long lo,
				     unsigned long hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* slab_cache.c: mem_init() starts a machine with no slab caches yet. */
void slab_forget_caches(void);

/* page_alloc.c: the buddy core, for mm_init.c */
void zone_init_free_lists(struct zone *z, unsigned int zoneid);
void buddy_add_free_block(struct zone *z, struct page *page, unsigned int order);
void zone_setup_pcp(unsigned int zoneid);
void build_zonelists(void);

/* page_alloc_node.c: the nodes' state, set by mem_init() */
void numa_nodes_init(void);
/* CPU @cpu's node changed after numa_nodes_init(): see page_alloc_node.c. */
void numa_cpu_node_changed(unsigned int cpu);
/* Nodes with managed memory; pages a node manages (all its zones). */
extern unsigned int nr_memory_nodes;
unsigned long node_managed_pages(int nid);
/* Count one allocation from @z for a request that preferred node @preferred. */
void numa_count_alloc(int preferred, const struct zone *z);


/* Pages of memmap backing, page tables and reservations, for show_meminfo. */
extern unsigned long memmap_pages;
extern unsigned long totalram_pages; /* managed by the buddy, all zones */

/* memblock.c: memblock_phys_alloc without the out-of-memory warning. */
phys_addr_t memblock_phys_alloc_try(phys_addr_t size, phys_addr_t align);
/* Called by mem_init() once the buddy owns free memory. */
void memblock_retire(void);
bool memblock_is_retired(void);

/* page_poison.c */
void page_poison_block(struct page *page, unsigned int order);
void page_poison_check_block(struct page *page, unsigned int order);

/* vmalloc.c: forget every area (mem_init starts a fresh machine). */
void vmalloc_init(void);

#endif /* MM_INTERNAL_H */

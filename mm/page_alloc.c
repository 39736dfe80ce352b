// SPDX-License-Identifier: MIT
/*
 * The page allocator: a binary buddy system per zone, with per-CPU lists of
 * small blocks (orders 0 .. PCP_MAX_ORDER, 3) in front of it.
 *
 * Theory of operation
 * -------------------
 *
 *   alloc_pages(gfp, o <= 3)                __free_pages(page, o <= 3)
 *        | fast path: pop                         | fast path: push
 *        v                                        v
 *   pcp_lists[cpu][zone].lists[o] -> block -> block -> NULL  (LIFO stacks,
 *        ^ refill: a batch                        |   at most high pages in all)
 *        |                                        v trim: a batch
 *   zones[zone].free_area[order].free_list, order 0 .. MAX_PAGE_ORDER
 *        [0] o-o-o      [1] oo-oo     ...     [10] oooo...(1024 pages)
 *
 * A block of order o is 2^o pages whose first pfn is a multiple of 2^o. Its
 * buddy is the block at pfn ^ 2^o. Allocation takes the first block of the
 * smallest order that fits and splits it, putting the upper halves back on
 * the lower lists. Freeing merges a block with its buddy for as long as the
 * buddy is a free block of the same order, so free memory always ends up in
 * the largest aligned blocks it can form; the free lists' shape depends only
 * on which pages are free, never on the order of operations.
 *
 * Zones: DMA (< 16 MiB), DMA32 (< 4 GiB), Normal. A request may fall back
 * Normal -> DMA32 -> DMA (zonelists[]). Only __GFP_HIGH (GFP_ATOMIC) may take
 * a zone below its min watermark, down to half of it, and only a page at a
 * time: a per-CPU list is refilled within the min watermark whoever asks,
 * because whatever it holds goes to any caller, GFP_KERNEL's fast path too. Zone boundaries are
 * multiples of the largest block, so blocks never span two zones.
 *
 * States of a struct page (flags; see mm/internal.h for the bit layout):
 *
 *   PG_buddy     head of a free block on free_area[order]; order in flags
 *   PG_pcp       head of a free block on a per-CPU list; order in flags
 *   PG_head      head of an allocated block; order in flags
 *   PG_reserved  never managed (firmware, kernel, memmap, holes)
 *   none         a tail page of a free or allocated block
 *   PG_poisoned  (with PG_buddy/PG_pcp) the block is filled with PAGE_POISON
 *
 * Invariants (buddy_check() verifies every one of them):
 *   - every managed page lies in exactly one block, free or allocated;
 *   - a block is aligned to its order and inside its zone;
 *   - zone->free_pages = sum of nr_free << order;
 *   - a CPU's lists of a zone hold high - room pages, PG_pcp blocks of the
 *     zone and of their list's order.
 *
 * Misuse of __free_pages (double free, wrong order, tail page, pfn outside
 * managed memory, reserved page, a block its owner still holds: PG_slab,
 * PG_vmalloc, PG_large_kmalloc) is reported with pfn, order and caller and
 * the call is refused, leaving the allocator as it was. Owners clear their
 * flag before they free.
 *
 * The fast paths (pop and push of a block of order <= PCP_MAX_ORDER; order
 * 0 has its own copy, with the constants folded in) touch only this CPU's
 * lists of one zone, the fast zone: the one GFP_KERNEL tries first. Every check that is
 * not a load and a compare lives on the slow path, which they leave for on
 * any doubt: a list that is empty or over high, a request with a zone
 * modifier or __GFP_ZERO, fault injection on (mm/fault_inject.c), a page outside the fast window (below), a block
 * that is not a plain allocated block of the order given, poisoning, or a list lock
 * that another CPU holds. The slow path serves the same per-CPU lists, of
 * every zone, taking their lock.
 *
 * The fast window is the longest run of the fast zone in which every page
 * has a struct page (no memmap hole). A pointer inside it may be
 * dereferenced, so the free fast path's whole range check is one subtract,
 * one rotate and one compare (pcp_fast_index()), and the zone, and with it
 * the per-CPU list, is known without reading the page's zone bits.
 *
 * Cost (callgrind, host build at -O2 without -fno-omit-frame-pointer):
 * alloc_page 25 instructions, __free_page 35, of which 10 are the per-CPU
 * lock (tried, then released) and 8 the host port's thread-local CPU id;
 * an order-3 pair 73. In the kernel (QEMU -icount, docs/bench-kernel.md) an
 * order-0 pair in a loop is 81 instructions and an order-3 pair 98: the
 * interrupt save and restore (pushf, pop, cli; test, jz, sti) and the
 * frame pointer the kernel is built with cost more than the host's CPU id.
 *
 * NUMA nodes. Every node has its own zones: zones[] is indexed by zone
 * id, nid * 4 + zone type, which is also the top byte of each struct
 * page's flags (mm/mm_types.h), so page_zone() stays one load and a shift
 * and a page always goes back to its own node's zone, whatever CPU frees
 * it. A request walks zonelists[node][gfp zone]: the node's own zones,
 * highest type first, then the other nodes' in node_distance() order
 * (build_zonelists()); __GFP_THISNODE stops at the end of the node's own.
 * The node is this CPU's unless named (alloc_pages_node(),
 * __alloc_pages()). Each CPU's per-CPU lists are one per zone id, in its
 * row of pcp_lists[] permuted by its memory node (pcp_of() in
 * mm/internal.h) so that its local fast zone sits at the same slot for
 * every CPU: the allocation fast path is unchanged and always local. The
 * free fast path's window covers one node's fast zone, so it exists only
 * while one node has memory; with several, frees take pcp_free() on the
 * slow path, which pushes the block onto this CPU's list of the block's
 * own zone. Node bookkeeping and numastat: mm/page_alloc_node.c.
 *
 * Locking: zone->lock guards free_area[] and free_pages. A per-CPU list is
 * used by its own CPU with interrupts off (mm_irq_save); its lock is taken
 * there too, uncontended (the fast paths only try it), so that another CPU
 * may drain or check the list. Lock order: pcp lock -> zone lock; several
 * pcp locks are taken in ascending CPU order. Every entry point may be
 * called from any context, interrupts included; none sleeps.
 */
#define pr_fmt(fmt) "page_alloc: " fmt
#include "mm/gfp.h"
#include "mm/internal.h"
#include "mm/fault_inject.h"
#include "mm/kasan.h"
#include "mm/slab.h"
#include "kmm/string.h"

struct zone zones[MAX_ZONEIDS];
struct zone *zonelists[MAX_NUMNODES][GFP_ZONE_MASK + 1][MAX_ZONEIDS + 1];
struct per_cpu_pages pcp_lists[MM_NR_CPUS][MAX_ZONEIDS];
u8 cpu_mem_node[MM_NR_CPUS];
bool page_poisoning_enabled;

/*
 * The fast paths' constants, set by build_zonelists() (pcp_fast_init):
 * CPU 0's list of the fast zone, and the fast window [pcp_fast_first,
 * pcp_fast_first + pcp_fast_pages). Before mem_init() the window is empty
 * and the (empty) lists send everything to the slow path. pcp_fast_zone is
 * the fast zone's type: each CPU's list of that type of its own memory
 * node is at the same slot of its row (pcp_of()).
 */
static struct per_cpu_pages *pcp_fast = &pcp_lists[0][ZONE_NORMAL];
static unsigned int pcp_fast_zone = ZONE_NORMAL;
static struct page *pcp_fast_first;
static unsigned long pcp_fast_pages;

static const char *const zone_names[MAX_NR_ZONES] = {
	[ZONE_DMA] = "DMA", [ZONE_DMA32] = "DMA32", [ZONE_NORMAL] = "Normal",
};

/* The flags of a free block's head, for a one-compare buddy test. */
#define BUDDY_MATCH_MASK (PAGE_STATE_MASK | PAGE_ORDER_MASK | PAGE_ZONEID_MASK)
/* What freeing clears on a head before it becomes free. */
#define FREE_CLEAR_MASK (PAGE_STATE_MASK | PAGE_ORDER_MASK | PAGE_OWNER_MASK | \
			 BIT(PG_poisoned))

/* ---- the buddy core; zone->lock held ----------------------------------- */

static void add_to_free_area(struct zone *z, struct page *page,
			     unsigned int order, unsigned long poisoned)
{
	page->flags = (page->flags & ~FREE_CLEAR_MASK) | BIT(PG_buddy) |
		      page_order_bits(order) | poisoned;
	list_add(&page->buddy_list, &z->free_area[order].free_list);
	z->free_area[order].nr_free++;
}

/*
 * Free the block at @pfn of @order into @z, merging with free buddies.
 * @poisoned is BIT(PG_poisoned) when the block is filled with PAGE_POISON.
 */
static void free_one_locked(struct zone *z, unsigned long pfn,
			    unsigned int order, unsigned long poisoned)
{
	struct page *page = pfn_to_page(pfn);
	unsigned long zbits = page->flags & PAGE_ZONEID_MASK;

	DEBUG_ASSERT(mm_spin_is_locked(&z->lock));
	DEBUG_ASSERT_MSG(IS_ALIGNED(pfn, 1UL << order), "pfn %#lx order %u", pfn, order);
	page->flags &= ~FREE_CLEAR_MASK;
	z->free_pages += 1UL << order;
	while (order < MAX_PAGE_ORDER) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy = pfn_to_page(buddy_pfn);
		unsigned long bf = buddy->flags;

		if ((bf & BUDDY_MATCH_MASK) !=
		    (BIT(PG_buddy) | page_order_bits(order) | zbits))
			break;
		list_del(&buddy->buddy_list);
		z->free_area[order].nr_free--;
		poisoned &= bf;
		buddy->flags = bf & ~FREE_CLEAR_MASK;
		pfn &= ~(1UL << order);
		order++;
	}
	add_to_free_area(z, pfn_to_page(pfn), order, poisoned);
}

/*
 * Take a block of @order from @z, splitting a larger one if needed. The head
 * comes back with no state bit but PG_poisoned if it is poisoned; NULL when
 * the zone has no block large enough.
 */
static struct page *rmqueue_locked(struct zone *z, unsigned int order)
{
	unsigned int o;

	DEBUG_ASSERT(mm_spin_is_locked(&z->lock));
	for (o = order; o <= MAX_PAGE_ORDER; o++) {
		struct free_area *fa = &z->free_area[o];
		struct page *page;
		unsigned long poisoned;

		if (list_empty(&fa->free_list))
			continue;
		page = list_first_entry(&fa->free_list, struct page, buddy_list);
		list_del(&page->buddy_list);
		fa->nr_free--;
		poisoned = page->flags & BIT(PG_poisoned);
		while (o > order) {
			o--;
			add_to_free_area(z, page + (1UL << o), o, poisoned);
		}
		page->flags &= ~(BIT(PG_buddy) | PAGE_ORDER_MASK);
		z->free_pages -= 1UL << order;
		return page;
	}
	return NULL;
}

/* Pages @gfp may take from @z before hitting its watermark (may be <= 0). */
static long zone_allowance(const struct zone *z, gfp_t gfp)
{
	unsigned long min = z->watermark_min;

	if (gfp & __GFP_HIGH)
		min /= 2;
	return (long)z->free_pages - (long)min;
}

/* A block of @order from @z within @gfp's watermark, as allocated; or NULL. */
static struct page *rmqueue(struct zone *z, unsigned int order, gfp_t gfp)
{
	unsigned long irq = mm_irq_save();
	struct page *page = NULL;

	mm_spin_lock(&z->lock);
	if (zone_allowance(z, gfp) >= (long)(1UL << order)) {
		page = rmqueue_locked(z, order);
		if (page)
			page->flags |= BIT(PG_head) | page_order_bits(order);
	}
	mm_spin_unlock(&z->lock);
	mm_irq_restore(irq);
	return page;
}

/* ---- per-CPU lists ------------------------------------------------------ */

static inline struct per_cpu_pages *this_cpu_pcp(unsigned int zoneid)
{
	return pcp_of(mm_cpu_id(), zoneid);
}

/* This CPU's list of the fast zone: one add to a constant base. */
static __always_inline struct per_cpu_pages *this_cpu_pcp_fast(void)
{
	return (struct per_cpu_pages *)((char *)pcp_fast +
					mm_cpu_id() * sizeof(pcp_lists[0]));
}

/*
 * @page's index in the fast window, or a number >= pcp_fast_pages when it
 * is outside the window or not a struct page boundary: rotating the byte
 * offset right by log2(sizeof(struct page)) moves any misalignment into
 * the top bits, so one unsigned compare checks range and alignment.
 */
#define PAGE_STRUCT_SHIFT 6
_Static_assert(sizeof(struct page) == 1UL << PAGE_STRUCT_SHIFT, "struct page size");

static __always_inline unsigned long pcp_fast_index(const struct page *page)
{
	unsigned long off = (unsigned long)page - (unsigned long)pcp_fast_first;

	return (off >> PAGE_STRUCT_SHIFT) | (off << (64 - PAGE_STRUCT_SHIFT));
}

static inline unsigned int zone_idx(const struct zone *z)
{
	return (unsigned int)(z - zones);
}

/* Is any block on @pcp's lists? */
static inline bool pcp_any(const struct per_cpu_pages *pcp)
{
	unsigned int o;

	for (o = 0; o < PCP_NR_ORDERS; o++)
		if (pcp->lists[o])
			return true;
	return false;
}

/*
 * Give blocks of @pcp back to its zone @zi until at least @n pages went (or
 * the lists are empty), largest order first: they are the ones most worth
 * merging back. pcp lock held.
 */
static void pcp_drain_locked(unsigned int zi, struct per_cpu_pages *pcp,
			     unsigned int n)
{
	struct zone *z = &zones[zi];
	unsigned int o = PCP_NR_ORDERS;
	long left = n;

	DEBUG_ASSERT(mm_spin_is_locked(&pcp->lock));
	mm_spin_lock(&z->lock);
	while (o-- > 0) {
		while (left > 0 && pcp->lists[o]) {
			struct page *page = pcp->lists[o];

			pcp->lists[o] = pcp_next(page);
			pcp->room += 1 << o;
			left -= 1L << o;
			free_one_locked(z, page_to_pfn(page), o,
					page->flags & BIT(PG_poisoned));
		}
	}
	mm_spin_unlock(&z->lock);
}

/*
 * Move up to a batch of pages (at least one block) of @order from @z to
 * @pcp, never above its high mark, never below the min watermark: blocks on a per-CPU list are handed
 * out to anyone, so the reserve that only __GFP_HIGH may use must stay in
 * the zone. pcp lock held.
 */
static void pcp_refill_locked(struct zone *z, struct per_cpu_pages *pcp,
			      unsigned int order)
{
	long n = max(pcp->batch >> order, 1U), fits = (long)pcp->room >> order;

	/*
	 * Never past high: a list over it with its lock free would be a broken
	 * invariant to buddy_check() on another CPU. One block always fits,
	 * since the caller pops it before dropping the lock.
	 */
	if (fits < 1)
		fits = 1;
	n = min(n, fits);
	mm_spin_lock(&z->lock);
	n = min(zone_allowance(z, GFP_KERNEL) >> order, n);
	while (n-- > 0) {
		struct page *page = rmqueue_locked(z, order);

		if (!page)
			break;
		page->flags |= BIT(PG_pcp) | page_order_bits(order);
		page->buddy_list.next = (struct list_head *)pcp->lists[order];
		pcp->lists[order] = page;
		pcp->room -= 1 << order;
	}
	mm_spin_unlock(&z->lock);
}

/* Pop @pcp's first block of @order, now allocated; pcp lock held, list not empty. */
static __always_inline struct page *pcp_pop_locked(struct per_cpu_pages *pcp,
						    unsigned int order)
{
	struct page *page = pcp->lists[order];

	pcp->lists[order] = pcp_next(page);
	pcp->room += 1 << order;
	page->flags ^= BIT(PG_pcp) | BIT(PG_head);
	return page;
}

/*
 * Pop a block from this CPU's list of @z, refilling it first if empty.
 * Below the min watermark __GFP_HIGH takes blocks from the zone itself.
 */
static struct page *pcp_alloc(struct zone *z, unsigned int order, gfp_t gfp)
{
	unsigned long irq = mm_irq_save();
	struct per_cpu_pages *pcp = this_cpu_pcp(zone_idx(z));
	struct page *page = NULL;

	mm_spin_lock(&pcp->lock);
	if (!pcp->lists[order])
		pcp_refill_locked(z, pcp, order);
	if (pcp->lists[order])
		page = pcp_pop_locked(pcp, order);
	mm_spin_unlock(&pcp->lock);
	mm_irq_restore(irq);
	if (!page && (gfp & __GFP_HIGH))
		page = rmqueue(z, order, gfp);
	return page;
}

/*
 * The fast path's pop from the fast zone's list of @order: no refill, no
 * waiting for the lock. NULL sends the caller to the slow path.
 */
static __always_inline struct page *pcp_alloc_fast(unsigned int order)
{
	unsigned long irq = mm_irq_save();
	struct per_cpu_pages *pcp = this_cpu_pcp_fast();
	struct page *page = NULL;

	if (likely(mm_spin_trylock(&pcp->lock))) {
		if (likely(pcp->lists[order])) {
			page = pcp_pop_locked(pcp, order);
			pcp->nr_fast_allocs++; /* a local numa_hit */
		}
		mm_spin_unlock(&pcp->lock);
	}
	mm_irq_restore(irq);
	return page;
}

/* The fast zone's list is over high: give a batch back, pcp lock held. */
static __noinline void pcp_trim_locked(struct per_cpu_pages *pcp)
{
	unsigned int nid = cpu_mem_node[mm_cpu_id()];

	pcp_drain_locked(nid * PCP_ZONES + pcp_fast_zone, pcp, pcp->batch);
}

/*
 * Push an allocated block of @order (at most PCP_MAX_ORDER) onto this CPU's
 * list of its zone. @poisoned says whether the caller filled it with
 * PAGE_POISON.
 */
static void pcp_free(struct page *page, unsigned int order, unsigned long poisoned)
{
	unsigned long flags = page->flags;
	unsigned int zi = (unsigned int)(flags >> PAGE_ZONEID_SHIFT);
	unsigned long irq = mm_irq_save();
	struct per_cpu_pages *pcp = this_cpu_pcp(zi);
	int room;

	mm_spin_lock(&pcp->lock);
	page->flags = (flags & ~FREE_CLEAR_MASK) | BIT(PG_pcp) |
		      page_order_bits(order) | poisoned;
	page->buddy_list.next = (struct list_head *)pcp->lists[order];
	pcp->lists[order] = page;
	room = pcp->room -= 1 << order;
	if (unlikely(room < 0))
		pcp_drain_locked(zi, pcp, pcp->batch);
	mm_spin_unlock(&pcp->lock);
	mm_irq_restore(irq);
}

/*
 * The fast path's push of an allocated, unpoisoned block of @order of the
 * fast window onto this CPU's list of the fast zone; false, changing
 * nothing, when another CPU holds the list's lock. The caller checked that
 * the order bits are @order, the only state bit is PG_head and no owner
 * holds the page (FAST_FREE_MASK), so clearing the low flag bits (state,
 * owner, PG_poisoned) is all that freeing needs: one AND with a 32-bit
 * immediate instead of the full FREE_CLEAR_MASK; the order bits stay.
 */
#define PCP_FAST_CLEAR (PAGE_STATE_MASK | PAGE_OWNER_MASK | BIT(PG_poisoned))
/* What must read PG_head and the order alone for the fast path: allocated, no owner. */
#define FAST_FREE_MASK (PAGE_STATE_MASK | PAGE_ORDER_MASK | PAGE_OWNER_MASK)
_Static_assert(PCP_FAST_CLEAR < (1UL << 31), "fast-path flag mask fits an imm32");

static __always_inline bool pcp_free_fast(struct page *page, unsigned long flags,
					  unsigned int order)
{
	unsigned long irq = mm_irq_save();
	struct per_cpu_pages *pcp = this_cpu_pcp_fast();
	int room;

	if (unlikely(!mm_spin_trylock(&pcp->lock))) {
		mm_irq_restore(irq);
		return false;
	}
	page->flags = (flags & ~PCP_FAST_CLEAR) | BIT(PG_pcp);
	page->buddy_list.next = (struct list_head *)pcp->lists[order];
	pcp->lists[order] = page;
	room = pcp->room -= 1 << order;
	if (unlikely(room < 0))
		pcp_trim_locked(pcp);
	mm_spin_unlock(&pcp->lock);
	mm_irq_restore(irq);
	return true;
}

static void drain_cpu_zone(unsigned int zi, unsigned int cpu)
{
	struct per_cpu_pages *pcp = pcp_of(cpu, zi);
	unsigned long irq = mm_irq_save();

	mm_spin_lock(&pcp->lock);
	if (pcp_any(pcp))
		pcp_drain_locked(zi, pcp, pcp_count(pcp));
	mm_spin_unlock(&pcp->lock);
	mm_irq_restore(irq);
}

/* Give this CPU's per-CPU pages back to the zones. */
void drain_local_pages(void)
{
	unsigned int i;

	for (i = 0; i < MAX_ZONEIDS; i++)
		if (zones[i].managed_pages)
			drain_cpu_zone(i, mm_cpu_id());
}

/* Give every CPU's per-CPU pages back to the zones. */
void drain_all_pages(void)
{
	unsigned int i, cpu;

	for (cpu = 0; cpu < MM_NR_CPUS; cpu++)
		for (i = 0; i < MAX_ZONEIDS; i++)
			if (zones[i].managed_pages)
				drain_cpu_zone(i, cpu);
}

/* ---- allocation --------------------------------------------------------- */

/* Finish a block leaving the allocator: check its poison, zero it. */
static __noinline struct page *prep_new_page(struct page *page,
					     unsigned int order, gfp_t gfp)
{
	if (page->flags & BIT(PG_poisoned)) {
		page->flags &= ~BIT(PG_poisoned);
		page_poison_check_block(page, order);
	}
	if (gfp & __GFP_ZERO)
		memset(page_address(page), 0, PAGE_SIZE << order);
	return page;
}

static void __cold warn_alloc(gfp_t gfp, unsigned int order, unsigned long caller)
{
	pr_warn("page allocation failure: order:%u, gfp:%#x, caller %pS\n",
		order, gfp, (void *)caller);
	show_buddyinfo();
}

/*
 * Everything but the fast path: @nid is the node asked for (NUMA_NO_NODE:
 * this CPU's). Its zonelist gives its own zones first, then the other
 * nodes' by distance; __GFP_THISNODE stops at the end of @nid's own.
 */
static __noinline struct page *alloc_pages_slow(gfp_t gfp, unsigned int order,
						unsigned long caller, int nid)
{
	bool drained = false, reclaimed = false;
	struct zone **zl;
	int preferred;

	if (unlikely(gfp_is_bad(gfp))) /* stripped, reported: mm/gfp_check.c */
		gfp = gfp_fixup(gfp, caller);
	/* An injected failure changes nothing and, as in Linux, warns no more. */
	if (unlikely(READ_ONCE(fail_page_alloc_active)) &&
	    should_fail_alloc_page(gfp, order, caller))
		return NULL;
	if (order > MAX_PAGE_ORDER)
		goto fail;
	if (nid == NUMA_NO_NODE)
		nid = numa_node_id();
	if (unlikely((unsigned int)nid >= MAX_NUMNODES)) {
		pr_warn("allocation for node %d, which does not exist, caller %pS\n",
			nid, (void *)caller);
		return NULL;
	}
	zl = zonelists[nid][gfp & GFP_ZONE_MASK];
	/* Linux's preferred zone: the first of the list, maybe another node's. */
	preferred = *zl ? (*zl)->node : nid;
	for (;;) {
		for (zl = zonelists[nid][gfp & GFP_ZONE_MASK]; *zl; zl++) {
			struct page *page;

			if ((gfp & __GFP_THISNODE) && (*zl)->node != nid)
				break;
			page = order <= PCP_MAX_ORDER ?
			       pcp_alloc(*zl, order, gfp) :
			       rmqueue(*zl, order, gfp);
			if (page) {
				numa_count_alloc(preferred, *zl);
				return prep_new_page(page, order, gfp);
			}
		}
		/*
		 * Before failing, as Linux does: take back the pages that sit
		 * on other CPUs' lists, then what the slab caches hold spare.
		 */
		if (!drained) {
			drain_all_pages();
			drained = true;
			continue;
		}
		if (reclaimed)
			break;
		reclaimed = true;
		if (!slab_reclaim())
			break;
	}
fail:
	if (!(gfp & __GFP_NOWARN))
		warn_alloc(gfp, order, caller);
	return NULL;
}

/*
 * The fast path: a block of order <= PCP_MAX_ORDER from this CPU's list of
 * the fast zone, for a request without zone modifier or __GFP_ZERO.
 * Anything else, an empty list included, goes to the slow path.
 *
 * Always inlined into the API functions, so _RET_IP_ here is their caller
 * (GCC and clang define __builtin_return_address(0) of an inlined function
 * so); reading it only on the way to the slow path keeps it off the fast one.
 */
static __always_inline struct page *alloc_pages_fast(gfp_t gfp,
						     unsigned int order)
{
	if (likely(!(gfp & GFP_SLOW_MASK) &&
		   !fail_page_alloc_active)) {
		struct page *page = NULL;

		/* Order 0 gets its own copy, with the constants folded in. */
		if (likely(order == 0))
			page = pcp_alloc_fast(0);
		else if (order <= PCP_MAX_ORDER)
			page = pcp_alloc_fast(order);
		if (likely(page)) {
			if (unlikely(page->flags & BIT(PG_poisoned)))
				return prep_new_page(page, order, gfp);
			return page;
		}
	}
	return alloc_pages_slow(gfp, order, _RET_IP_, NUMA_NO_NODE);
}

/*
 * 2^order contiguous pages, naturally aligned; the caller owns them until
 * __free_pages(). NULL (and one warning unless __GFP_NOWARN) on failure.
 */
struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return kasan_alloc_pages(alloc_pages_fast(gfp, order), order);
}

/* The same as a direct-map address; 0 on failure. */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = kasan_alloc_pages(alloc_pages_fast(gfp, order), order);

	return page ? (unsigned long)page_address(page) : 0;
}

/*
 * 2^order pages from node @nid (NUMA_NO_NODE: this CPU's), falling back to
 * the nearest other nodes unless __GFP_THISNODE; NULL on failure. No fast
 * path: a caller naming a node pays for the zonelist walk.
 */
struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	return kasan_alloc_pages(alloc_pages_slow(gfp, order, _RET_IP_, nid), order);
}

/*
 * Linux's core entry: @preferred_nid first. kmm has no memory policies, so
 * the only node mask it takes is NULL (every node); any other is refused
 * with a warning and NULL.
 */
struct page *__alloc_pages(gfp_t gfp, unsigned int order, int preferred_nid,
			   const void *nodemask)
{
	if (nodemask) {
		pr_warn("__alloc_pages: node masks are not supported, caller %pS\n",
			(void *)_RET_IP_);
		return NULL;
	}
	return kasan_alloc_pages(alloc_pages_slow(gfp, order, _RET_IP_,
						  preferred_nid), order);
}

/* One zeroed page as a direct-map address; 0 on failure. */
unsigned long get_zeroed_page(gfp_t gfp)
{
	struct page *page = kasan_alloc_pages(alloc_pages_fast(gfp | __GFP_ZERO, 0), 0);

	return page ? (unsigned long)page_address(page) : 0;
}

/* ---- freeing ------------------------------------------------------------ */

static void __cold __printf(4, 5) report_bad_free(unsigned long pfn,
						 unsigned int order,
						 unsigned long caller,
						 const char *fmt, ...)
{
	char what[96];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	pr_err("BUG: bad free refused: %s; pfn %#lx order %u caller %pS\n",
	       what, pfn, order, (void *)caller);
}

/* Who holds a block with these owner flags (PAGE_OWNER_MASK). */
static const char *page_owner_name(unsigned long flags)
{
	if (flags & BIT(PG_slab))
		return "slab";
	if (flags & BIT(PG_vmalloc))
		return "vmalloc";
	if (flags & BIT(PG_large_kmalloc))
		return "kmalloc";
	return "page tables";
}

/*
 * Decide whether freeing @page at @order is legitimate. Returns its zone, or
 * NULL after reporting the misuse.
 */
static struct zone *free_check(struct page *page, unsigned int order,
			       unsigned long caller)
{
	unsigned long off = (unsigned long)page - (unsigned long)vmemmap;
	unsigned long pfn = off / sizeof(struct page);
	unsigned long flags;
	unsigned int o;

	if (off % sizeof(struct page) || pfn >= max_pfn_mapped ||
	    !memmap_block_present(pfn)) {
		report_bad_free(pfn, order, caller,
				"pfn outside managed memory (page %p)", page);
		return NULL;
	}
	flags = page->flags;
	if (order > MAX_PAGE_ORDER) {
		report_bad_free(pfn, order, caller, "order too large");
		return NULL;
	}
	if (flags & BIT(PG_reserved)) {
		report_bad_free(pfn, order, caller, "reserved page");
		return NULL;
	}
	if (flags & (BIT(PG_buddy) | BIT(PG_pcp))) {
		report_bad_free(pfn, order, caller, "double free (page is free)");
		return NULL;
	}
	if (flags & PAGE_OWNER_MASK) {
		report_bad_free(pfn, order, caller, "page still owned by %s",
				page_owner_name(flags));
		return NULL;
	}
	if (flags & BIT(PG_head)) {
		if (page_order(page) == order)
			return page_zone(page);
		report_bad_free(pfn, order, caller,
				"wrong order (allocated with order %u)",
				page_order(page));
		return NULL;
	}
	for (o = 1; o <= MAX_PAGE_ORDER; o++) {
		unsigned long head_pfn = pfn & ~((1UL << o) - 1);
		const struct page *head = pfn_to_page(head_pfn);

		if (head_pfn == pfn || page_order(head) < o)
			continue;
		if (head->flags & BIT(PG_head)) {
			report_bad_free(pfn, order, caller,
					"tail page of the order-%u block at pfn %#lx",
					page_order(head), head_pfn);
			return NULL;
		}
		if (head->flags & (BIT(PG_buddy) | BIT(PG_pcp))) {
			report_bad_free(pfn, order, caller,
					"double free (inside the free order-%u block at pfn %#lx)",
					page_order(head), head_pfn);
			return NULL;
		}
	}
	report_bad_free(pfn, order, caller, "not an allocated page (flags %#lx)",
			flags);
	return NULL;
}

static __noinline void free_pages_slow(struct page *page, unsigned int order,
				       unsigned long caller)
{
	struct zone *z = free_check(page, order, caller);
	unsigned long poisoned = 0, irq;

	if (!z)
		return;
	if (page_poisoning_enabled) {
		page_poison_block(page, order);
		poisoned = BIT(PG_poisoned);
	}
	if (order <= PCP_MAX_ORDER) {
		pcp_free(page, order, poisoned);
		return;
	}
	irq = mm_irq_save();
	mm_spin_lock(&z->lock);
	free_one_locked(z, page_to_pfn(page), order, poisoned);
	mm_spin_unlock(&z->lock);
	mm_irq_restore(irq);
}

/*
 * The fast path: an allocated block of order <= PCP_MAX_ORDER whose head is
 * in the fast window goes to this CPU's list of the fast zone. Everything
 * else (other zones, poisoning, any doubt about the pointer) takes the slow
 * path, which checks in full. The window check comes first: only a pointer
 * inside it may be read. A block's head in the window means the whole
 * block is in the fast zone (zones are aligned to the largest block).
 * Always inlined, like alloc_pages_fast(), for the same _RET_IP_.
 */
static __always_inline void free_pages_fast(struct page *page,
					    unsigned int order)
{
	/* Order 0 gets its own copy, with the constants folded in. */
	if (likely(order == 0)) {
		if (likely(pcp_fast_index(page) < pcp_fast_pages &&
			   (page->flags & FAST_FREE_MASK) == BIT(PG_head) &&
			   !page_poisoning_enabled &&
			   pcp_free_fast(page, page->flags, 0)))
			return;
	} else if (order <= PCP_MAX_ORDER &&
		   pcp_fast_index(page) < pcp_fast_pages &&
		   (page->flags & FAST_FREE_MASK) ==
		   (BIT(PG_head) | page_order_bits(order)) &&
		   !page_poisoning_enabled && pcp_free_fast(page, page->flags, order)) {
		return;
	}
	free_pages_slow(page, order, _RET_IP_);
}

/* Return a block from alloc_pages(). Misuse is reported and refused. */
void __free_pages(struct page *page, unsigned int order)
{
	kasan_free_pages(page, order);
	free_pages_fast(page, order);
}

/* Return a block by direct-map address; 0 is ignored. */
void free_pages(unsigned long addr, unsigned int order)
{
	if (addr) {
		kasan_free_pages(virt_to_page((void *)addr), order);
		free_pages_fast(virt_to_page((void *)addr), order);
	}
}

/* ---- zone setup, for mem_init ------------------------------------------ */

/*
 * Reset @z to an empty zone of id @zoneid, and every CPU's list in its
 * slot (each CPU's row is a permutation of the zone ids, so resetting
 * every zone id resets every list).
 */
void zone_init_free_lists(struct zone *z, unsigned int zoneid)
{
	unsigned int o, cpu;

	memset(z, 0, sizeof(*z));
	mm_spin_lock_init(&z->lock);
	z->name = zone_names[zoneid % PCP_ZONES < MAX_NR_ZONES ?
			     zoneid % PCP_ZONES : ZONE_NORMAL];
	z->node = (int)(zoneid / PCP_ZONES);
	for (o = 0; o < NR_PAGE_ORDERS; o++)
		INIT_LIST_HEAD(&z->free_area[o].free_list);
	for (cpu = 0; cpu < MM_NR_CPUS; cpu++) {
		struct per_cpu_pages *pcp = pcp_of(cpu, zoneid);

		memset(pcp, 0, sizeof(*pcp));
		mm_spin_lock_init(&pcp->lock);
	}
}

/* Add a free block at boot: no merging, the caller gives maximal blocks. */
void buddy_add_free_block(struct zone *z, struct page *page, unsigned int order)
{
	kasan_free_init(page, order);
	add_to_free_area(z, page, order, 0);
	z->free_pages += 1UL << order;
}

/*
 * Per-CPU list sizes. A batch is one page per 2^PCP_BATCH_SHIFT managed
 * pages (4 MiB), so a small zone does not park a large share of its memory
 * on per-CPU lists; at most PCP_BATCH_MAX, which bounds how long a refill
 * or trim holds the zone lock with interrupts off (2^5 - 1: Linux keeps
 * batches at 2^n - 1 so that consecutive batches do not alias in the
 * cache). A list holds up to PCP_HIGH_BATCHES batches: a burst of frees
 * after a refill fits without a trim.
 */
#define PCP_BATCH_SHIFT  10
#define PCP_BATCH_MAX    31
#define PCP_HIGH_BATCHES 4

/* Size this zone's per-CPU lists from its managed pages (see above). */
void zone_setup_pcp(unsigned int zi)
{
	unsigned long managed = zones[zi].managed_pages;
	unsigned int cpu, batch = (unsigned int)clamp_ul(managed >> PCP_BATCH_SHIFT,
							 1, PCP_BATCH_MAX);

	for (cpu = 0; cpu < MM_NR_CPUS; cpu++) {
		struct per_cpu_pages *pcp = pcp_of(cpu, zi);

		DEBUG_ASSERT(!pcp_any(pcp));
		pcp->batch = batch;
		pcp->high = PCP_HIGH_BATCHES * batch;
		pcp->room = (int)pcp->high;
	}
}

/*
 * Point the fast paths at the fast zone, the first of GFP_KERNEL's
 * zonelist of CPU 0's memory node, and find the fast window: the longest
 * run of the zone's span whose memmap blocks are all present. With no zone
 * at all the window stays empty, and so it does when more than one node
 * has memory: the window is one range for every CPU, and a page in it
 * must belong to the freeing CPU's local fast zone, which only one node
 * can be. There every free takes the slow path (pcp_free()), while
 * allocations keep the fast path, each CPU on its own node's list.
 */
static void pcp_fast_init(void)
{
	const struct zone *z = zonelists[cpu_mem_node[0]][0][0];
	unsigned long b, hi, end, run = 0, first = 0, last = 0;
	bool in_run = false;

	pcp_fast_zone = z ? zone_type(z) : ZONE_NORMAL;
	pcp_fast = &pcp_lists[0][pcp_fast_zone];
	pcp_fast_first = pfn_to_page(0);
	pcp_fast_pages = 0;
	if (!z || nr_memory_nodes > 1)
		return;
	end = min(z->end_pfn, max_pfn_mapped);
	for (b = ALIGN_DOWN(z->start_pfn, MEMMAP_BLOCK_PAGES); b < end;
	     b += MEMMAP_BLOCK_PAGES) {
		if (!memmap_block_present(b)) {
			in_run = false;
			continue;
		}
		if (!in_run) {
			run = max(b, z->start_pfn);
			in_run = true;
		}
		hi = min(b + MEMMAP_BLOCK_PAGES, end);
		if (hi - run > last - first) {
			first = run;
			last = hi;
		}
	}
	pcp_fast_first = pfn_to_page(first);
	pcp_fast_pages = last - first;
}

/*
 * Each node's zonelists: its own zones, highest type first, then each
 * other node's the same way, nearest first (ties: lower node id first).
 * numa_nodes_init() ran: cpu_mem_node[] and nr_memory_nodes are set.
 */
void build_zonelists(void)
{
	static const unsigned int highest[GFP_ZONE_MASK + 1] = {
		ZONE_NORMAL, ZONE_DMA, ZONE_DMA32, ZONE_DMA,
	};
	unsigned int g;
	int nid, i, n, order[MAX_NUMNODES];

	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		/* Insertion sort of the nodes by distance from @nid. */
		for (n = 0; n < MAX_NUMNODES; n++) {
			int cand = n <= nid ? n - 1 : n, j = n;

			if (n == 0) {
				order[0] = nid;
				continue;
			}
			while (j > 1 && node_distance(nid, order[j - 1]) >
					node_distance(nid, cand)) {
				order[j] = order[j - 1];
				j--;
			}
			order[j] = cand;
		}
		for (g = 0; g <= GFP_ZONE_MASK; g++) {
			struct zone **zl = zonelists[nid][g];

			for (n = 0; n < MAX_NUMNODES; n++)
				for (i = (int)highest[g]; i >= 0; i--) {
					struct zone *z = &zones[order[n] * PCP_ZONES + i];

					if (z->managed_pages)
						*zl++ = z;
				}
			*zl = NULL;
		}
	}
	pcp_fast_init();
}

/* SPDX-License-Identifier: MIT */
/*
 * The page allocator's API, with Linux's names.
 *
 * Blocks are 2^order pages, order 0 .. MAX_PAGE_ORDER, naturally aligned.
 * Failure is a normal result: NULL (or 0), with one warning unless
 * __GFP_NOWARN. Bit values of the GFP flags are not an ABI.
 */
#ifndef MM_GFP_H
#define MM_GFP_H

#include "kmm/types.h"
#include "mm/mm.h"

typedef unsigned int gfp_t;

#define ___GFP_DMA      0x01u
#define ___GFP_DMA32    0x02u
#define ___GFP_HIGH     0x04u /* may dip below the min watermark */
#define ___GFP_ZERO     0x08u
#define ___GFP_NOWARN   0x10u
#define ___GFP_ATOMIC   0x20u /* caller cannot sleep (we never sleep anyway) */
#define ___GFP_COMP     0x40u
#define ___GFP_NOFAIL   0x80u /* the caller cannot handle failure */

#define __GFP_DMA     ((gfp_t)___GFP_DMA)
#define __GFP_DMA32   ((gfp_t)___GFP_DMA32)
#define __GFP_HIGH    ((gfp_t)___GFP_HIGH)
#define __GFP_ZERO    ((gfp_t)___GFP_ZERO)
#define __GFP_NOWARN  ((gfp_t)___GFP_NOWARN)
#define __GFP_ATOMIC  ((gfp_t)___GFP_ATOMIC)
#define __GFP_COMP    ((gfp_t)___GFP_COMP)
/*
 * Fault injection never fails such a call. Nothing here sleeps or reclaims,
 * so there is nothing to retry: real exhaustion still returns NULL.
 */
#define __GFP_NOFAIL  ((gfp_t)___GFP_NOFAIL)

#define GFP_KERNEL ((gfp_t)0)
#define GFP_NOWAIT ((gfp_t)0)
#define GFP_ATOMIC (__GFP_HIGH | __GFP_ATOMIC)
#define GFP_DMA    __GFP_DMA
#define GFP_DMA32  __GFP_DMA32

#define MAX_PAGE_ORDER 10
#define NR_PAGE_ORDERS (MAX_PAGE_ORDER + 1)

enum zone_type {
	ZONE_DMA,    /* below 16 MiB */
	ZONE_DMA32,  /* below 4 GiB */
	ZONE_NORMAL, /* the rest */
	MAX_NR_ZONES,
};

#define ZONE_DMA_END   (16ULL << 20)
#define ZONE_DMA32_END (4ULL << 30)

/* Allocate 2^order contiguous pages. NULL when none can be had. */
struct page *alloc_pages(gfp_t gfp, unsigned int order);
#define alloc_page(gfp) alloc_pages(gfp, 0)

/* Return a block to the allocator. Misuse is reported and refused. */
void __free_pages(struct page *page, unsigned int order);
#define __free_page(page) __free_pages((page), 0)

/* The same, with direct-map addresses. 0 / NULL on failure. */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
#define __get_free_page(gfp) __get_free_pages((gfp), 0)
unsigned long get_zeroed_page(gfp_t gfp);
void free_pages(unsigned long addr, unsigned int order);
#define free_page(addr) free_pages((addr), 0)

/* Free pages in all zones, including those on per-CPU lists. */
unsigned long nr_free_pages(void);

/* Give this CPU's (or every CPU's) per-CPU pages back to the zones. */
void drain_local_pages(void);
void drain_all_pages(void);

/*
 * Walk every free list, per-CPU list and counter; return the number of
 * inconsistencies found (each is printed). 0 means healthy.
 */
int buddy_check(void);

/* /proc/buddyinfo format: "Node 0, zone   DMA32 ..." one line per zone. */
void show_buddyinfo(void);
/* /proc/meminfo-style summary (MemTotal, MemFree, ...). */
void show_meminfo(void);

/* Free blocks of each order in zone @zone (for tests: buddyinfo snapshot). */
void buddy_snapshot(unsigned long counts[MAX_NR_ZONES][NR_PAGE_ORDERS]);

/*
 * Build the struct page array for the RAM memblock knows, then move every
 * free memblock range into the buddy in the largest aligned blocks.
 * Called once, after memblock is complete.
 */
void mem_init(void);

/* page_poison=1: fill freed pages with PAGE_POISON, verify on allocation. */
#define PAGE_POISON 0xaa
extern bool page_poisoning_enabled;

#endif /* MM_GFP_H */

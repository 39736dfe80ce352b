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

/* gfp_t, the GFP flags and the API are public: include/kmm/kmm.h. */

#define MAX_PAGE_ORDER KMM_MAX_PAGE_ORDER
#define NR_PAGE_ORDERS (MAX_PAGE_ORDER + 1)

enum zone_type {
	ZONE_DMA,    /* below 16 MiB */
	ZONE_DMA32,  /* below 4 GiB */
	ZONE_NORMAL, /* the rest */
	MAX_NR_ZONES,
};

/* Zone limits: the port's (kmm_layout), by default 16 MiB and 4 GiB. */
#define ZONE_DMA_END   kmm_zone_dma_end
#define ZONE_DMA32_END kmm_zone_dma32_end

#define alloc_page(gfp) alloc_pages(gfp, 0)
#define __free_page(page) __free_pages((page), 0)
#define __get_free_page(gfp) __get_free_pages((gfp), 0)
#define free_page(addr) free_pages((addr), 0)

/* Free blocks of each order in zone @zone (for tests: buddyinfo snapshot). */
void buddy_snapshot(unsigned long counts[MAX_NR_ZONES][NR_PAGE_ORDERS]);

/* page_poison=1: fill freed pages with PAGE_POISON, verify on allocation. */
#define PAGE_POISON 0xaa

#endif /* MM_GFP_H */

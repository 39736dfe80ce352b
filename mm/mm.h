/* SPDX-License-Identifier: MIT */
/* Page frame numbers, struct page and the direct map: the conversions. */
#ifndef MM_MM_H
#define MM_MM_H

#include "mm/port.h"
#include "mm/mm_types.h"

#define PHYS_PFN(pa)  ((unsigned long)((pa) >> PAGE_SHIFT))
#define PFN_PHYS(pfn) ((phys_addr_t)(pfn) << PAGE_SHIFT)
#define PFN_UP(x)     (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x)   ((x) >> PAGE_SHIFT)

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return vmemmap + pfn;
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - vmemmap);
}

static inline phys_addr_t page_to_phys(const struct page *page)
{
	return PFN_PHYS(page_to_pfn(page));
}

/* The direct-map address of a page's contents. */
static inline void *page_address(const struct page *page)
{
	return __va(page_to_phys(page));
}

/* The struct page of a direct-map address. */
static inline struct page *virt_to_page(const void *addr)
{
	return pfn_to_page(PHYS_PFN(__pa(addr)));
}

/* The first and one-past-last pfn that have a struct page (set by mem_init). */
extern unsigned long min_pfn_mapped, max_pfn_mapped;

/* True when @pfn has a struct page the allocators manage or reserve. */
bool pfn_valid(unsigned long pfn);

/*
 * Page-table figures for show_meminfo(), which mm/ cannot count itself: the
 * port's KMM_HOOK_MEMINFO fills struct kmm_port_meminfo (include/kmm/kmm.h);
 * mm/ has a weak one that reports zeroes.
 */
void mm_port_meminfo(struct mm_port_meminfo *mi);

#endif /* MM_MM_H */

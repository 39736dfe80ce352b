// SPDX-License-Identifier: MIT
/*
 * page_address() and friends for the kernel that links libkmm: the same
 * arithmetic as mm/'s inline versions (mm/mm.h), out of line, on the
 * layout kmm_setup() stored. mm/'s headers are not included, so the names
 * are free for these definitions.
 */
#include "kmm/kmm.h"

extern unsigned long kmm_page_offset_base, kmm_vmemmap_base;
extern unsigned long kmm_image_base, kmm_image_size;
extern kmm_phys_addr_t kmm_image_base_pa;

unsigned long page_to_pfn(const struct page *page)
{
	return ((unsigned long)page - kmm_vmemmap_base) / KMM_STRUCT_PAGE_SIZE;
}

struct page *pfn_to_page(unsigned long pfn)
{
	return (struct page *)(kmm_vmemmap_base + pfn * KMM_STRUCT_PAGE_SIZE);
}

/* The node is the top 6 bits of struct page's first word, its flags
 * (mm/mm_types.h, PAGE_NODE_SHIFT). */
int page_to_nid(const struct page *page)
{
	return (int)(*(const unsigned long *)page >> 58);
}

void *page_address(const struct page *page)
{
	return (void *)(kmm_page_offset_base + (page_to_pfn(page) << KMM_PAGE_SHIFT));
}

struct page *virt_to_page(const void *addr)
{
	unsigned long x = (unsigned long)addr;
	kmm_phys_addr_t pa = x - kmm_page_offset_base;

	if (x - kmm_image_base < kmm_image_size)
		pa = x - kmm_image_base + kmm_image_base_pa;
	return pfn_to_page(pa >> KMM_PAGE_SHIFT);
}

// SPDX-License-Identifier: MIT
/*
 * page_poison: catch writes to free pages.
 *
 * With page_poisoning_enabled (page_poison=1), every block the page
 * allocator takes back is filled with PAGE_POISON (0xaa) and its head marked
 * PG_poisoned; the mark follows the block through splits and survives a
 * merge only when both halves carry it. When a marked block is allocated
 * again, each of its pages is compared with the pattern; a page that
 * changed was written while free (a use after free, or a stray DMA), and is
 * reported with its pfn, the first changed offset and the number of changed
 * bytes. The allocation still succeeds: the report is the point.
 *
 * Context: called by page_alloc.c with no lock held, on memory the caller
 * owns exclusively (a block being freed or just allocated).
 */
#define pr_fmt(fmt) "page_poison: " fmt
#include "mm/gfp.h"
#include "mm/internal.h"
#include "kmm/string.h"

#define POISON_WORD (0x0101010101010101UL * PAGE_POISON)

void page_poison_block(struct page *page, unsigned int order)
{
	memset(page_address(page), PAGE_POISON, PAGE_SIZE << order);
}

static void check_one_page(struct page *page)
{
	const unsigned long *w = page_address(page);
	const u8 *bytes = (const u8 *)w;
	unsigned int i, first = PAGE_SIZE, changed = 0;

	for (i = 0; i < PAGE_SIZE / sizeof(long); i++)
		if (unlikely(w[i] != POISON_WORD))
			break;
	if (likely(i == PAGE_SIZE / sizeof(long)))
		return;
	for (i *= sizeof(long); i < PAGE_SIZE; i++) {
		if (bytes[i] == PAGE_POISON)
			continue;
		if (first == PAGE_SIZE)
			first = i;
		changed++;
	}
	pr_err("BUG: free page written: pfn %#lx, %u bytes changed, first at offset %#x (%#x, expected %#x)\n",
	       page_to_pfn(page), changed, first, bytes[first], PAGE_POISON);
}

void page_poison_check_block(struct page *page, unsigned int order)
{
	unsigned long i;

	for (i = 0; i < (1UL << order); i++)
		check_one_page(page + i);
}

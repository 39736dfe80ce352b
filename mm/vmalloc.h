/* SPDX-License-Identifier: MIT */
/*
 * vmalloc: virtually contiguous memory from order-0 pages, in the vmalloc
 * area, each area followed by an unmapped guard page.
 */
#ifndef MM_VMALLOC_H
#define MM_VMALLOC_H

#include "kmm/types.h"
#include "mm/gfp.h"

/* Allocate @size bytes (rounded up to pages). NULL on failure. */
void *vmalloc(unsigned long size);
void *vzalloc(unsigned long size);
/* Free a vmalloc area; anything else is reported and refused. */
void vfree(const void *addr);
/* True when @addr lies in the vmalloc area (mapped or not). */
bool is_vmalloc_addr(const void *addr);
/* The page backing @addr in a live vmalloc area, or NULL. */
struct page *vmalloc_to_page(const void *addr);

/* Walk every area; return the number of inconsistencies (each printed). */
int vmalloc_check(void);
/* Pages held for area descriptors (given back as their areas are freed). */
unsigned long vmalloc_pool_pages(void);

#endif /* MM_VMALLOC_H */

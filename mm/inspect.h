/* SPDX-License-Identifier: MIT */
/*
 * Looking at the allocators from outside: what one page is used for, and the
 * /proc reports that need the zones' internals (pagetypeinfo, zoneinfo,
 * vmallocinfo). Read-only; meant for a quiet machine (a monitor shell, a
 * debugger): counts read without every lock may be a moment stale.
 */
#ifndef MM_INSPECT_H
#define MM_INSPECT_H

#include "kmm/types.h"
#include "mm/namespace.h" /* the kmm_ names of what follows */

enum page_kind {
	PAGE_KIND_HOLE,       /* no struct page: not RAM, or outside the memmap */
	PAGE_KIND_RESERVED,   /* never given to the buddy (firmware, image, memmap) */
	PAGE_KIND_FREE,       /* in a zone's free list */
	PAGE_KIND_PCP,        /* free, on a per-CPU list */
	PAGE_KIND_SLAB,       /* part of a slab */
	PAGE_KIND_LARGE_KMALLOC, /* a kmalloc above the slab sizes */
	PAGE_KIND_VMALLOC,    /* backs a vmalloc area */
	PAGE_KIND_PTABLE,     /* a page-table page from the buddy */
	PAGE_KIND_ALLOCATED,  /* alloc_pages() with no owner flag */
	PAGE_KIND_UNKNOWN,    /* managed, but in no block (an inconsistency) */
	NR_PAGE_KINDS,
};

struct page_info {
	enum page_kind kind;
	unsigned long pfn;
	unsigned long head_pfn;  /* first page of the block (== pfn if none) */
	unsigned int order;      /* of the block */
	unsigned int zone;       /* zone index */
	const char *zone_name;
	unsigned long flags;     /* the page's own flags word */
	const void *cache;       /* slab: the kmem_cache, for identity */
	const char *cache_name;  /* slab: its name */
	unsigned int obj_size;   /* slab: object size and objects in the slab */
	unsigned int objects, inuse;
};

/* Short names of the kinds ("free", "slab", ...), for reports. */
const char *page_kind_name(enum page_kind kind);

/* Classify @pfn. Fills @pi; returns false (kind HOLE) when it has no struct page. */
bool page_inspect(unsigned long pfn, struct page_info *pi);

/*
 * Linux's dump_page(): what the page at @pfn is, its flags and raw words,
 * then "page dumped because: @reason". @addr, when not 0, is an address in
 * the page: for a slab page, the object holding it is shown too.
 */
void dump_page_pfn(unsigned long pfn, unsigned long addr, const char *reason);

/* /proc/pagetypeinfo, /proc/zoneinfo (pagesets of CPUs 0..@nr_cpus-1). */
void show_pagetypeinfo(void);
void show_zoneinfo(unsigned int nr_cpus);
/* /proc/vmallocinfo: one line per area, "start-end size caller pages=N vmalloc". */
void show_vmallocinfo(void);

/* The first and one-past-last pfn with a possible struct page. */
void page_inspect_span(unsigned long *start_pfn, unsigned long *end_pfn);
/* The name of zone @zi and its pfn span; false for an empty zone. */
bool page_inspect_zone(unsigned int zi, const char **name,
		       unsigned long *start_pfn, unsigned long *end_pfn);

#endif /* MM_INSPECT_H */

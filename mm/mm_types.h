/* SPDX-License-Identifier: MIT */
/*
 * struct page: one per physical page frame, in the array at vmemmap.
 *
 * The page allocator and the slab allocator share it through a union; which
 * view is valid is told by the flags:
 *
 *   PG_buddy  head of a free block in a zone free list
 *   PG_pcp    head of a free block of order <= 3 on a per-CPU list
 *   PG_head   head of an allocated block
 *
 * A block's order lives in flags bits 52..55 (mm/internal.h), not in the
 * union, so it survives the slab view overwriting the allocator fields.
 *   PG_slab   head of a slab; the slab fields are valid
 *   PG_slab_tail  any other page of a slab: slab_cache and slab_head valid
 *   PG_reserved never managed by the buddy (firmware, kernel image, holes)
 *
 * Each struct page is 64 bytes (checked below), so the array costs 1/64 of RAM.
 */
#ifndef MM_MM_TYPES_H
#define MM_MM_TYPES_H

#include "kmm/types.h"
#include "kmm/list.h"

struct kmem_cache;

enum pageflags {
	PG_reserved,
	PG_buddy,
	PG_pcp,
	PG_head,
	PG_slab,
	PG_large_kmalloc, /* a kmalloc too large for slabs; private = order */
	PG_poisoned,      /* free page filled with PAGE_POISON (page_poison=1) */
	PG_vmalloc,       /* backs a vmalloc area */
	PG_ptable,        /* a page-table page */
	PG_slab_tail,     /* a slab's page after its head: slab_cache, slab_head valid */
	NR_PAGEFLAGS,
};

/*
 * The top byte of page->flags is the page's zone id: its node in bits
 * 58..63 above its zone type in bits 56..57, so that flags >> 56 is
 * nid * 4 + zone type, the page's index in zones[] (mm/internal.h).
 */
#define PAGE_ZONE_SHIFT   56
#define PAGE_ZONE_MASK    (0x3UL << PAGE_ZONE_SHIFT)
#define PAGE_NODE_SHIFT   58
#define PAGE_NODE_MASK    (0x3fUL << PAGE_NODE_SHIFT)
#define PAGE_ZONEID_SHIFT PAGE_ZONE_SHIFT
#define PAGE_ZONEID_MASK  (PAGE_ZONE_MASK | PAGE_NODE_MASK)

struct page {
	unsigned long flags;
	union {
		struct {	/* page allocator */
			struct list_head buddy_list;
			unsigned long private;	/* large kmalloc: its order */
			unsigned long alloc_caller; /* who allocated (debug) */
		};
		struct {	/* slab allocator, valid with PG_slab */
			/* In every page of a slab, so free checks the cache in O(1). */
			struct kmem_cache *slab_cache;
			union {
				void *freelist;	/* head: first free object */
				struct page *slab_head; /* tail pages: the head */
			};
			struct list_head slab_list;
			u32 inuse;		/* objects not on freelist */
			u16 objects;		/* objects in this slab */
			u8 slab_order;
			u8 slab_state;		/* which list of the cache it is on */
		};
	};
	unsigned long _reserved[2];
};

_Static_assert(sizeof(struct page) <= 64, "struct page must fit in 64 bytes");

static inline bool page_test_flag(const struct page *p, enum pageflags f)
{
	return (p->flags >> f) & 1;
}

static inline void page_set_flag(struct page *p, enum pageflags f)
{
	p->flags |= 1UL << f;
}

static inline void page_clear_flag(struct page *p, enum pageflags f)
{
	p->flags &= ~(1UL << f);
}

#define PageReserved(p)  page_test_flag(p, PG_reserved)
#define PageBuddy(p)     page_test_flag(p, PG_buddy)
#define PageSlab(p)      page_test_flag(p, PG_slab)
#define PageHead(p)      page_test_flag(p, PG_head)

static inline unsigned int page_zonenum(const struct page *p)
{
	return (p->flags & PAGE_ZONE_MASK) >> PAGE_ZONE_SHIFT;
}

/* The node whose memory @p is (0 on a machine of one node). */
static inline int page_to_nid(const struct page *p)
{
	return (int)(p->flags >> PAGE_NODE_SHIFT);
}

/* The index of @p's zone in zones[]: nid * 4 + zone type. */
static inline unsigned int page_zoneid(const struct page *p)
{
	return (unsigned int)(p->flags >> PAGE_ZONEID_SHIFT);
}

#endif /* MM_MM_TYPES_H */

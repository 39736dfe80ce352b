/* SPDX-License-Identifier: MIT */
/*
 * memblock: the boot-time allocator. Two sorted, merged, page-aligned lists:
 * memory (what RAM exists) and reserved (what is taken). memblock_alloc()
 * bump-allocates from memory minus reserved. When the buddy allocator starts,
 * every free range moves into it and memblock retires.
 */
#ifndef MM_MEMBLOCK_H
#define MM_MEMBLOCK_H

#include "kmm/types.h"
#include "mm/port.h"
#include "mm/mm.h"

/*
 * RAM at or above MM_MAX_PHYS_ADDR (the size of the port's direct map,
 * mm/port.h) is ignored: map entries beyond it are absurd.
 */

struct boot_mem_range;

#define MEMBLOCK_MAX_REGIONS 128

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
	int nid; /* its NUMA node: 0 until mem_init() splits memory by node */
};

struct memblock_type {
	unsigned int cnt;
	const char *name;
	struct memblock_region regions[MEMBLOCK_MAX_REGIONS];
};

struct memblock {
	struct memblock_type memory;
	struct memblock_type reserved;
	phys_addr_t limit; /* memblock_alloc stays below this (0: no limit) */
	bool debug;        /* memblock=debug: log every change */
};

/* The symbol is kmm_memblock (mm/namespace.h). */
extern struct memblock memblock __asm__("kmm_memblock");

/* Register RAM. Unaligned edges are trimmed inward to whole pages. 0 or -errno. */
int memblock_add(phys_addr_t base, phys_addr_t size);
/* Mark a range taken. Edges are widened outward to whole pages. 0 or -errno. */
int memblock_reserve(phys_addr_t base, phys_addr_t size);
/* Forget RAM, e.g. a range that overlaps something it must not. */
int memblock_remove(phys_addr_t base, phys_addr_t size);
int memblock_free(phys_addr_t base, phys_addr_t size);

/*
 * Allocate @size bytes aligned to @align (a power of two; at least a page is
 * used) from free memory, top-down below memblock.limit. NOT zeroed: it works
 * before the direct map exists. Returns the physical address, or 0 when
 * nothing fits or after mem_init() (the buddy owns memory then).
 */
phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align);
/* The same, zeroed, returning the direct-map pointer, or NULL. */
void *memblock_alloc(phys_addr_t size, phys_addr_t align);

/*
 * Fill the memory table from a firmware map: usable entries add RAM, other
 * types remove what they overlap. Survives unsorted, overlapping, empty,
 * unaligned, absurd and too many entries, warning once per anomaly.
 */
void memblock_add_map(const struct boot_mem_range *map, unsigned int nr);

phys_addr_t memblock_phys_mem_size(void);
phys_addr_t memblock_reserved_size(void);
phys_addr_t memblock_start_of_DRAM(void);
phys_addr_t memblock_end_of_DRAM(void);
bool memblock_is_memory(phys_addr_t addr);
bool memblock_is_reserved(phys_addr_t addr);

/*
 * Give [base, base + size) of memory to node @nid, splitting regions at its
 * edges (as Linux's memblock_set_node()). 0, or -ENOSPC when the table has
 * no room for a split (then the regions keep their node).
 */
int memblock_set_node(phys_addr_t base, phys_addr_t size, int nid);

/* Print both lists in the style of Linux's memblock=debug. */
void memblock_dump(void);

/*
 * Iterate over free ranges (memory minus reserved), in order, page-aligned.
 * @idx starts at 0; returns false when done.
 */
bool memblock_next_free_range(unsigned int *idx, phys_addr_t *start,
			      phys_addr_t *end);

/* Start over with empty lists (for tests and for host builds). */
void memblock_reset(void);

#endif /* MM_MEMBLOCK_H */

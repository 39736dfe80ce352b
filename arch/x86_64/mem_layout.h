/* SPDX-License-Identifier: MIT */
/*
 * Choosing this boot's address-space layout (mem_layout.c): the paging
 * depth (5-level when the CPU has LA57, unless `no5lvl`) and the bases of the
 * direct map, vmalloc and vmemmap (randomised as Linux's
 * CONFIG_RANDOMIZE_MEMORY, unless `nokaslr`). The chosen values live in the
 * variables of layout.h.
 */
#ifndef ARCH_X86_64_MEM_LAYOUT_H
#define ARCH_X86_64_MEM_LAYOUT_H

#include "kmm/types.h"

/* Set by the command line before layout_init(). */
extern bool layout_no5lvl;  /* `no5lvl`: stay with 4-level paging */
extern bool layout_nokaslr; /* `nokaslr`: Linux's fixed bases */

/* Why this paging depth: "LA57 enabled", "no5lvl given", "CPU lacks LA57". */
extern const char *paging_mode_reason;
/* Whether the bases were randomised, and where the entropy came from. */
extern bool kaslr_memory_enabled;
extern const char *kaslr_entropy_source;

/*
 * Choose the paging depth (switching to it, on the boot page tables) and
 * the region bases, map the low 4 GiB at the chosen direct-map base in the
 * boot tables, and print the result. Needs boot_info and the command line;
 * runs before memblock and paging_init(). Panics only if the layout cannot
 * hold this machine's RAM.
 */
void layout_init(void);

/* The placement step of KASLR, exposed for its test (see mem_layout.c). */
unsigned long kaslr_place_regions(unsigned long vaddr, unsigned long vaddr_end,
				  const unsigned long *sizes, unsigned long *bases,
				  unsigned int n,
				  unsigned long (*pick)(void *ctx, unsigned long share),
				  void *ctx);

/* In entry.S: switch paging depth with paging off (see there). */
void paging_mode_switch(u32 top_phys, u32 cr4_la57);

#endif /* ARCH_X86_64_MEM_LAYOUT_H */

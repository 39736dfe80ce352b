/* SPDX-License-Identifier: MIT */
/*
 * Showing and checking the kernel's page tables:
 *   ptdump       Linux's format: section markers, one line per run of equal
 *                attributes and level
 *   W+X check    like CONFIG_DEBUG_WX, over effective permissions
 *   layout map   a compact picture of the address space, from the live tables
 */
#ifndef ARCH_X86_64_PTDUMP_H
#define ARCH_X86_64_PTDUMP_H

#include "kmm/types.h"

/* Print the kernel half of the live page tables in ptdump format. */
void ptdump_show_kernel(void);

/*
 * The same for [start, end) only (page aligned, in the kernel half; end 0 is
 * the top of the address space). 0, or -EINVAL for a bad range.
 */
int ptdump_show_range(unsigned long start, unsigned long end);

/* Print the translation of @va level by level; false when it is unmapped. */
bool ptdump_show_walk(unsigned long va);

/*
 * Walk every kernel mapping; count pages that are writable and executable
 * (effective permissions over all levels). Prints Linux's verdict line and
 * returns the number of W+X pages (0 = passed). On a CPU without NX every
 * writable page is executable: it says so, and counts only writable pages
 * of the kernel text, the one thing it can still prove absent.
 */
unsigned long ptdump_check_wx(void);

/* Print each layout region: range, size, and the page sizes backing it. */
void layout_map_show(void);

#endif /* ARCH_X86_64_PTDUMP_H */

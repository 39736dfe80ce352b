/* SPDX-License-Identifier: MIT */
/* Kernel-wide state set from the command line, and the boot-time reports. */
#ifndef KERNEL_KMM_H
#define KERNEL_KMM_H

#include "kmm/types.h"

struct kernel_options {
	char ktest[512]; /* ktest=: which self-test suites run (one word's worth) */
	bool ptdump;     /* ptdump: print the page tables at boot */
	bool shell;      /* init=shell: end at the monitor shell */
};
extern struct kernel_options kernel_options;

/* Print the layout map, ptdump (if asked), buddyinfo, meminfo and slabinfo. */
void mm_report_boot(void);

/* Hand libkmm the kernel's layout (arch/x86_64/mm_port.c); first thing in kmain. */
void arch_mm_setup(void);

#endif /* KERNEL_KMM_H */

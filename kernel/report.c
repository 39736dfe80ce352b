// SPDX-License-Identifier: MIT
/* What the kernel shows about its memory at boot (and `make run` shows you). */
#include "kernel/kmm.h"
#include "kmm/printk.h"
#include "mm/gfp.h"
#include "mm/slab.h"
#include "arch/x86_64/ptdump.h"
#include "arch/x86_64/numa.h"

void mm_report_boot(void)
{
	layout_map_show();
	x86_numa_show();
	if (kernel_options.ptdump)
		ptdump_show_kernel();
	ptdump_check_wx();
	printk(KERN_INFO "\n/proc/buddyinfo:\n");
	show_buddyinfo();
	printk(KERN_INFO "\n/proc/meminfo:\n");
	show_meminfo();
	printk(KERN_INFO "\n/proc/slabinfo:\n");
	show_slabinfo();
	printk(KERN_INFO "\n");
}

// SPDX-License-Identifier: MIT
/*
 * The kernel's NUMA self-tests (ktest=numa) on the host's fake machine of
 * two nodes under the sanitizers: node 0 [0, 96M) with CPUs 0-3, node 1
 * [96M, 192M) with CPUs 4-7, distance 21; threads act as the CPUs.
 */
#include "host_mm.h"
#include "mm/gfp.h"
#include "mm/slab.h"

static void __attribute__((constructor)) ksuites_numa_machine(void)
{
	static const struct boot_mem_range map[] = {
		{ 0x0, 0xa0000, BOOT_MEM_USABLE, 0 },
		{ 0x100000, (192UL << 20) - 0x100000, BOOT_MEM_USABLE, 0 },
	};

	numa_reset();
	numa_add_memblk(0, 0, 96UL << 20);
	numa_add_memblk(1, 96UL << 20, 192UL << 20);
	numa_set_distance(0, 1, 21);
	numa_set_distance(1, 0, 21);
	for (unsigned int cpu = 4; cpu < 8; cpu++)
		numa_set_node(cpu, 1);
	host_mm_setup(map, ARRAY_SIZE(map));
	kmem_cache_init();
}

#include "../kernel/test_numa.c"

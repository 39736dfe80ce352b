/* SPDX-License-Identifier: MIT */
/*
 * NUMA topology as mm/ keeps it (mm/numa.c); the registration calls are
 * public (include/kmm/kmm.h), the table is mm/'s.
 */
#ifndef MM_NUMA_H
#define MM_NUMA_H

#include "kmm/types.h"
#include "mm/port.h"

#define NUMA_MAX_MEMBLKS 64

struct numa_memblk {
	phys_addr_t start, end; /* [start, end) */
	int nid;
};

extern struct numa_memblk numa_memblks[NUMA_MAX_MEMBLKS];
extern unsigned int numa_nr_memblks;

/* The node of RAM at @pa: 0 when no topology was registered, NUMA_NO_NODE
 * when one was and no range holds @pa. */
int numa_phys_to_nid(phys_addr_t pa);

#endif /* MM_NUMA_H */

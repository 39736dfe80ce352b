/* SPDX-License-Identifier: MIT */
/*
 * The machine's NUMA topology as x86 firmware describes it (ACPI SRAT and
 * SLIT) or the command line overrides it (numa=off, numa=fake=N), handed to
 * mm/ through the NUMA registration calls of kmm/kmm.h (arch/x86_64/numa.c).
 */
#ifndef ARCH_X86_64_NUMA_H
#define ARCH_X86_64_NUMA_H

#include "kmm/types.h"
#include "boot/acpi_numa.h"

/* Where the topology in use came from. */
enum x86_numa_source {
	X86_NUMA_NONE,  /* one node: no SRAT, or it was refused (see why) */
	X86_NUMA_ACPI,  /* the SRAT (and SLIT, when valid) */
	X86_NUMA_OFF,   /* one node: numa=off */
	X86_NUMA_FAKE,  /* numa=fake=N */
};

/* A node as the boot log shows it. */
struct x86_numa_node {
	u32 pxm;                 /* ACPI proximity domain (ACPI only) */
	unsigned long long ram;  /* bytes of RAM (memblock) in the node's ranges */
};

struct x86_numa_info {
	enum x86_numa_source source;
	unsigned int nr_nodes;   /* 1 unless source is ACPI or FAKE */
	char why[ACPI_NUMA_ERR_MAX + 48]; /* why there is one node (NONE) */
	struct x86_numa_node node[ACPI_NUMA_MAX_NODES];
	/* The ranges registered with numa_add_memblk(), sorted. */
	unsigned int nr_memblks;
	struct acpi_numa_memblk memblk[ACPI_NUMA_MAX_MEMBLKS];
	/* The SRAT and SLIT as read at boot (for the self-tests), or NULL. */
	const void *srat, *slit;
	u32 srat_len, slit_len;
};

extern struct x86_numa_info x86_numa;

/* numa=off | numa=fake=N (kernel/main.c's option table); 0 or -EINVAL. */
int x86_numa_setup(const char *val);

/*
 * Between paging_init() and mem_init(): decide the topology (numa= option,
 * else SRAT/SLIT via the RSDP), log it, register it with mm/, and put the
 * boot CPU on its node. Never fails: anything wrong means one node and a
 * warning that says what was wrong.
 */
void x86_numa_init(void);

/* smp.c, before starting CPU @cpu with APIC ID @apic_id: put it on its node. */
void x86_numa_add_cpu(unsigned int cpu, u32 apic_id);

/* How many nodes are in use (1 for a UMA machine). */
unsigned int x86_numa_nr_nodes(void);

/* The node table: nodes, their ranges, CPUs and RAM, and the distances. */
void x86_numa_show(void);

#endif /* ARCH_X86_64_NUMA_H */

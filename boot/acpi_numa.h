/* SPDX-License-Identifier: MIT */
/*
 * NUMA topology from the ACPI SRAT and SLIT (boot/acpi_numa.c): a pure
 * parser over copies of the tables, with no arch dependency, shared by the
 * kernel (arch/x86_64/numa.c), the host tests and the fuzzer.
 */
#ifndef BOOT_ACPI_NUMA_H
#define BOOT_ACPI_NUMA_H

#include "kmm/types.h"

#define ACPI_NUMA_MAX_NODES   8   /* = MAX_NUMNODES (checked by arch/x86_64/numa.c) */
#define ACPI_NUMA_MAX_MEMBLKS 32  /* enabled memory affinity ranges */
#define ACPI_NUMA_MAX_CPUS    256 /* enabled processor affinity entries */
#define ACPI_NUMA_ERR_MAX     160 /* enough for any message below */

/* An enabled memory range [start, end) of node @nid. */
struct acpi_numa_memblk {
	u64 start, end;
	u32 pxm;          /* the proximity domain the SRAT named */
	u8 nid;
	bool hotplug;     /* ACPI_SRAT_MEM_HOT_PLUGGABLE */
	bool nonvolatile; /* ACPI_SRAT_MEM_NON_VOLATILE */
};

/* An enabled processor: its (x2)APIC ID and node. */
struct acpi_numa_cpu {
	u32 apic_id;
	u32 pxm;
	u8 nid;
};

/*
 * The topology: node ids 0..nr_nodes-1 are dense and given in the order the
 * SRAT first names each proximity domain (in an enabled entry), as Linux
 * does; node_pxm[] maps back. memblk[] is sorted by start and never
 * overlaps. distance[a][b] is the SLIT's, or 10 on the diagonal and 20
 * elsewhere when there is no valid SLIT (have_slit false).
 */
struct acpi_numa {
	unsigned int nr_nodes;
	u32 node_pxm[ACPI_NUMA_MAX_NODES];
	unsigned int nr_memblks;
	struct acpi_numa_memblk memblk[ACPI_NUMA_MAX_MEMBLKS];
	unsigned int nr_cpus;
	struct acpi_numa_cpu cpu[ACPI_NUMA_MAX_CPUS];
	bool have_slit;
	u8 distance[ACPI_NUMA_MAX_NODES][ACPI_NUMA_MAX_NODES];
};

/*
 * Parse the SRAT copied at @table (@len bytes copied; the header's length
 * must fit in them) into @numa, which is cleared first. Checked: signature,
 * lengths, checksum, every entry's length (none may be below 2 or overrun
 * the table; known types must be at least their size; unknown types are
 * skipped by their length), address ranges that wrap or overlap, one APIC
 * ID in two domains, the count limits above. Disabled entries are ignored
 * entirely. A zero-length memory range is skipped. Hot-pluggable ranges are
 * kept (flagged): they say which node owns RAM that appears there; only RAM
 * the memory map lists is ever used.
 *
 * Proximity domains are 32-bit, but an SRAT of revision 1 (ACPI 2.0) only
 * has their low 8 bits, and so only those are read (Linux does the same).
 *
 * Returns 0, or a negative errno with a one-line reason in @err (at most
 * @errlen bytes, always terminated when @errlen > 0) and @numa holding no
 * node: -EINVAL for a malformed table, -ENOSPC past a limit (more than
 * ACPI_NUMA_MAX_NODES domains and so on), -ENOENT when no memory range is
 * enabled.
 */
int acpi_numa_parse_srat(const void *table, size_t len, struct acpi_numa *numa,
			 char *err, size_t errlen);

/*
 * Read node distances from the SLIT copied at @table (@len bytes) into
 * @numa, which acpi_numa_parse_srat() filled. Checked: signature, lengths
 * (exactly 44 + N x N bytes), checksum, N covering every proximity domain
 * the SRAT named (a larger N is fine: localities without a node are read
 * and checked but not used), each diagonal entry 10 and every other entry
 * above 10 (255: unreachable). Asymmetric distances are allowed, as ACPI
 * allows them: distance[a][b] is row a's entry for b.
 *
 * Returns 0 with have_slit set, or a negative errno (-EINVAL, or -ENOENT
 * when @numa has no node) with the reason in @err and the 10/20 defaults in
 * distance[].
 */
int acpi_numa_parse_slit(const void *table, size_t len, struct acpi_numa *numa,
			 char *err, size_t errlen);

/* The node of the processor with (x2)APIC ID @apic_id, or -1 if not listed. */
int acpi_numa_apic_to_node(const struct acpi_numa *numa, u32 apic_id);

#endif /* BOOT_ACPI_NUMA_H */

// SPDX-License-Identifier: MIT
/*
 * ACPI SRAT and SLIT -> struct acpi_numa (see acpi_numa.h for the contract).
 *
 * The tables come from firmware we do not control and are read from copies
 * whose size the caller knows, so nothing is read before it is known to lie
 * inside both the copy and the table's own length:
 *
 *   header     signature, 36 <= fixed part <= length <= copy, checksum
 *   SRAT walk  [type u8][length u8][...] ... up to the header's length; a
 *              length below 2 (a zero length would never advance) or past
 *              the end is corrupt, a known type shorter than its structure
 *              is corrupt, an unknown type is skipped
 *   SLIT       N (u64), then exactly N x N bytes
 *
 * Any error throws the whole table away: the caller then runs the machine
 * as one node rather than on a topology that is partly a guess.
 */
#include "boot/acpi_numa.h"
#include "boot/acpi.h"
#include "boot/boot_info.h"
#include "kmm/errno.h"
#include "kmm/string.h"

/* The fixed part of a table: signature, lengths against the copy, checksum. */
static int check_header(const void *table, size_t len, const char *sig,
			size_t fixed, char *err, size_t errlen)
{
	const struct acpi_table_header *h = table;

	if (!table || len < sizeof(*h))
		return boot_fail(err, errlen, -EINVAL,
				 "%s: %zu bytes, shorter than a table header", sig, len);
	if (memcmp(h->signature, sig, 4))
		return boot_fail(err, errlen, -EINVAL,
				 "%s: signature is %02x %02x %02x %02x", sig,
				 (u8)h->signature[0], (u8)h->signature[1],
				 (u8)h->signature[2], (u8)h->signature[3]);
	if (h->length < fixed)
		return boot_fail(err, errlen, -EINVAL,
				 "%s: length %u is below its fixed part (%zu bytes)",
				 sig, h->length, fixed);
	if (h->length > len)
		return boot_fail(err, errlen, -EINVAL,
				 "%s: truncated: header says %u bytes, %zu present",
				 sig, h->length, len);
	if (acpi_checksum(table, h->length))
		return boot_fail(err, errlen, -EINVAL,
				 "%s: bad checksum (bytes sum to %#x, not 0)", sig,
				 acpi_checksum(table, h->length));
	return 0;
}

/* The node of proximity domain @pxm, allocating the next id for a new one. */
static int pxm_to_node(struct acpi_numa *numa, u32 pxm, char *err, size_t errlen)
{
	unsigned int i;

	for (i = 0; i < numa->nr_nodes; i++)
		if (numa->node_pxm[i] == pxm)
			return (int)i;
	if (numa->nr_nodes == ACPI_NUMA_MAX_NODES)
		return boot_fail(err, errlen, -ENOSPC,
				 "SRAT: more than %u proximity domains (PXM %u)",
				 ACPI_NUMA_MAX_NODES, pxm);
	numa->node_pxm[numa->nr_nodes] = pxm;
	return (int)numa->nr_nodes++;
}

static int add_cpu(struct acpi_numa *numa, u32 pxm, u32 apic_id, u32 off,
		   char *err, size_t errlen)
{
	unsigned int i;
	int nid;

	for (i = 0; i < numa->nr_cpus; i++) {
		if (numa->cpu[i].apic_id != apic_id)
			continue;
		if (numa->cpu[i].pxm == pxm)
			return 0; /* listed twice (xAPIC and x2APIC), same place */
		return boot_fail(err, errlen, -EINVAL,
				 "SRAT: APIC ID %#x in PXM %u and again in PXM %u (offset %u)",
				 apic_id, numa->cpu[i].pxm, pxm, off);
	}
	if (numa->nr_cpus == ACPI_NUMA_MAX_CPUS)
		return boot_fail(err, errlen, -ENOSPC,
				 "SRAT: more than %u enabled processors",
				 ACPI_NUMA_MAX_CPUS);
	nid = pxm_to_node(numa, pxm, err, errlen);
	if (nid < 0)
		return nid;
	numa->cpu[numa->nr_cpus++] = (struct acpi_numa_cpu){
		.apic_id = apic_id, .pxm = pxm, .nid = (u8)nid };
	return 0;
}

static int add_memory(struct acpi_numa *numa, const struct acpi_srat_mem_affinity *ma,
		      u32 pxm, u32 off, char *err, size_t errlen)
{
	u64 start = ma->base_address, size = ma->length, end = start + size;
	struct acpi_numa_memblk *b;
	unsigned int i;
	int nid;

	if (!size)
		return 0;
	if (end < start)
		return boot_fail(err, errlen, -EINVAL,
				 "SRAT: memory range at offset %u wraps: base %#llx length %#llx",
				 off, (unsigned long long)start, (unsigned long long)size);
	for (i = 0; i < numa->nr_memblks; i++) {
		b = &numa->memblk[i];
		if (start < b->end && b->start < end)
			return boot_fail(err, errlen, -EINVAL,
					 "SRAT: PXM %u [mem %#llx-%#llx] overlaps PXM %u [mem %#llx-%#llx]",
					 pxm, (unsigned long long)start,
					 (unsigned long long)end - 1, b->pxm,
					 (unsigned long long)b->start,
					 (unsigned long long)b->end - 1);
	}
	if (numa->nr_memblks == ACPI_NUMA_MAX_MEMBLKS)
		return boot_fail(err, errlen, -ENOSPC,
				 "SRAT: more than %u enabled memory ranges",
				 ACPI_NUMA_MAX_MEMBLKS);
	nid = pxm_to_node(numa, pxm, err, errlen);
	if (nid < 0)
		return nid;
	/* Keep memblk[] sorted by start. */
	for (i = numa->nr_memblks; i > 0 && numa->memblk[i - 1].start > start; i--)
		numa->memblk[i] = numa->memblk[i - 1];
	numa->memblk[i] = (struct acpi_numa_memblk){
		.start = start, .end = end, .pxm = pxm, .nid = (u8)nid,
		.hotplug = !!(ma->flags & ACPI_SRAT_MEM_HOT_PLUGGABLE),
		.nonvolatile = !!(ma->flags & ACPI_SRAT_MEM_NON_VOLATILE),
	};
	numa->nr_memblks++;
	return 0;
}

static void default_distances(struct acpi_numa *numa)
{
	for (unsigned int a = 0; a < ACPI_NUMA_MAX_NODES; a++)
		for (unsigned int b = 0; b < ACPI_NUMA_MAX_NODES; b++)
			numa->distance[a][b] = a == b ? 10 : 20;
	numa->have_slit = false;
}

static const char *const type_name[] = {
	[ACPI_SRAT_CPU_AFFINITY] = "processor local APIC affinity",
	[ACPI_SRAT_MEMORY_AFFINITY] = "memory affinity",
	[ACPI_SRAT_X2APIC_AFFINITY] = "processor x2APIC affinity",
};

static const u8 type_size[] = {
	[ACPI_SRAT_CPU_AFFINITY] = sizeof(struct acpi_srat_cpu_affinity),
	[ACPI_SRAT_MEMORY_AFFINITY] = sizeof(struct acpi_srat_mem_affinity),
	[ACPI_SRAT_X2APIC_AFFINITY] = sizeof(struct acpi_srat_x2apic_cpu_affinity),
};

/* One affinity structure at offset @off, its length already checked. */
static int parse_entry(struct acpi_numa *numa, const u8 *p, u32 off, bool pxm32,
		       char *err, size_t errlen)
{
	const struct acpi_subtable_header *sh = (const void *)p;
	u32 pxm;

	if (sh->type >= ARRAY_SIZE(type_size))
		return 0;
	if (sh->length < type_size[sh->type])
		return boot_fail(err, errlen, -EINVAL,
				 "SRAT: %s entry at offset %u has length %u, below %u",
				 type_name[sh->type], off, sh->length,
				 type_size[sh->type]);
	switch (sh->type) {
	case ACPI_SRAT_CPU_AFFINITY: {
		const struct acpi_srat_cpu_affinity *c = (const void *)p;

		if (!(c->flags & ACPI_SRAT_CPU_ENABLED))
			return 0;
		pxm = c->proximity_domain_lo;
		if (pxm32)
			pxm |= (u32)c->proximity_domain_hi[0] << 8 |
			       (u32)c->proximity_domain_hi[1] << 16 |
			       (u32)c->proximity_domain_hi[2] << 24;
		return add_cpu(numa, pxm, c->apic_id, off, err, errlen);
	}
	case ACPI_SRAT_X2APIC_AFFINITY: {
		const struct acpi_srat_x2apic_cpu_affinity *c = (const void *)p;

		if (!(c->flags & ACPI_SRAT_CPU_ENABLED))
			return 0;
		return add_cpu(numa, c->proximity_domain, c->apic_id, off, err, errlen);
	}
	default: {
		const struct acpi_srat_mem_affinity *ma = (const void *)p;

		if (!(ma->flags & ACPI_SRAT_MEM_ENABLED))
			return 0;
		pxm = pxm32 ? ma->proximity_domain : ma->proximity_domain & 0xff;
		return add_memory(numa, ma, pxm, off, err, errlen);
	}
	}
}

int acpi_numa_parse_srat(const void *table, size_t len, struct acpi_numa *numa,
			 char *err, size_t errlen)
{
	const struct acpi_srat *srat = table;
	const u8 *base = table;
	u32 off, total;
	int ret;

	memset(numa, 0, sizeof(*numa));
	default_distances(numa);
	if (err && errlen)
		err[0] = '\0';
	ret = check_header(table, len, "SRAT", sizeof(*srat), err, errlen);
	if (ret)
		return ret;
	total = srat->header.length;
	for (off = sizeof(*srat); off < total; ) {
		const struct acpi_subtable_header *sh = (const void *)(base + off);

		if (total - off < sizeof(*sh)) {
			ret = boot_fail(err, errlen, -EINVAL,
					"SRAT: %u stray bytes at offset %u", total - off, off);
			goto fail;
		}
		if (sh->length < sizeof(*sh)) {
			ret = boot_fail(err, errlen, -EINVAL,
					"SRAT: entry type %u at offset %u has length %u",
					sh->type, off, sh->length);
			goto fail;
		}
		if (sh->length > total - off) {
			ret = boot_fail(err, errlen, -EINVAL,
					"SRAT: entry type %u at offset %u (length %u) overruns the table (%u bytes)",
					sh->type, off, sh->length, total);
			goto fail;
		}
		ret = parse_entry(numa, base + off, off, srat->header.revision >= 2,
				  err, errlen);
		if (ret)
			goto fail;
		off += sh->length;
	}
	if (!numa->nr_memblks) {
		ret = boot_fail(err, errlen, -ENOENT, "SRAT: no enabled memory range");
		goto fail;
	}
	return 0;
fail:
	memset(numa, 0, sizeof(*numa));
	default_distances(numa);
	return ret;
}

int acpi_numa_parse_slit(const void *table, size_t len, struct acpi_numa *numa,
			 char *err, size_t errlen)
{
	const struct acpi_slit *slit = table;
	u64 n, i, j, need;
	u32 max_pxm = 0;
	unsigned int a, b;
	int ret;

	default_distances(numa);
	if (err && errlen)
		err[0] = '\0';
	if (!numa->nr_nodes)
		return boot_fail(err, errlen, -ENOENT, "SLIT: no SRAT nodes to apply it to");
	ret = check_header(table, len, "SLIT", sizeof(*slit), err, errlen);
	if (ret)
		return ret;
	n = slit->locality_count;
	/* 1 MiB tables at most: N is far below 2^32, so N x N cannot wrap. */
	if (n == 0 || n > 0xffff)
		return boot_fail(err, errlen, -EINVAL, "SLIT: %llu localities",
				 (unsigned long long)n);
	need = sizeof(*slit) + n * n;
	if (slit->header.length != need)
		return boot_fail(err, errlen, -EINVAL,
				 "SLIT: %llu localities need %llu bytes, the table has %u",
				 (unsigned long long)n, (unsigned long long)need,
				 slit->header.length);
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			u8 d = slit->entry[i * n + j];

			if (i == j ? d != ACPI_SLIT_LOCAL : d <= ACPI_SLIT_LOCAL)
				return boot_fail(err, errlen, -EINVAL,
						 "SLIT: distance %u from locality %llu to %llu (%s)",
						 d, (unsigned long long)i,
						 (unsigned long long)j,
						 i == j ? "must be 10" : "must be above 10");
		}
	}
	for (a = 0; a < numa->nr_nodes; a++)
		if (numa->node_pxm[a] > max_pxm)
			max_pxm = numa->node_pxm[a];
	if (max_pxm >= n)
		return boot_fail(err, errlen, -EINVAL,
				 "SLIT: %llu localities, but the SRAT names PXM %u",
				 (unsigned long long)n, max_pxm);
	for (a = 0; a < numa->nr_nodes; a++)
		for (b = 0; b < numa->nr_nodes; b++)
			numa->distance[a][b] =
				slit->entry[numa->node_pxm[a] * n + numa->node_pxm[b]];
	numa->have_slit = true;
	return 0;
}

int acpi_numa_apic_to_node(const struct acpi_numa *numa, u32 apic_id)
{
	for (unsigned int i = 0; i < numa->nr_cpus; i++)
		if (numa->cpu[i].apic_id == apic_id)
			return numa->cpu[i].nid;
	return -1;
}

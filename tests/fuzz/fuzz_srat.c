// SPDX-License-Identifier: MIT
/*
 * fuzz_srat: acpi_numa_parse_srat() and acpi_numa_parse_slit() on arbitrary
 * tables.
 *
 * Input: [flags u8][SRAT size u16][SRAT bytes][SLIT bytes]. Each table is
 * copied into a heap buffer of exactly its size, so AddressSanitizer catches
 * any read past the copy. Random bytes almost never checksum, so flag bit 0
 * (SRAT) and bit 1 (SLIT) make the harness write the header's length as the
 * copy's size and fix the checksum; without them the tables are parsed as
 * they come. The error buffer is as long as flags >> 2 says (0..63), so
 * short ones are exercised too.
 *
 * On success the topology must keep acpi_numa.h's promises, and agree with
 * a second, independent walk of the table: as many ranges as enabled,
 * non-empty memory entries, as many CPUs as distinct enabled APIC IDs.
 * On failure: a known error code, a reason, and no node left behind.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "boot/acpi.h"
#include "boot/acpi_numa.h"
#include "kmm/errno.h"

static struct acpi_numa numa;

static void fix_table(u8 *t, size_t len)
{
	struct acpi_table_header *h = (void *)t;

	if (len < sizeof(*h))
		return;
	h->length = (u32)len;
	h->checksum = 0;
	h->checksum = (u8)-acpi_checksum(t, len);
}

/* The model: enabled non-empty memory entries and distinct enabled APIC IDs. */
static void count_entries(const u8 *t, u32 total, unsigned int *mem, unsigned int *cpus)
{
	static u32 ids[4096];
	unsigned int n = 0;
	u32 off = sizeof(struct acpi_srat);

	*mem = 0;
	while (total - off >= 2 && t[off + 1] >= 2 && t[off + 1] <= total - off) {
		const u8 *e = t + off;
		u32 id, flags;
		bool cpu = false;

		if (e[0] == 1 && e[1] >= 40) {
			u64 len;
			memcpy(&len, e + 16, 8);
			memcpy(&flags, e + 28, 4);
			if ((flags & 1) && len)
				++*mem;
		} else if (e[0] == 0 && e[1] >= 16) {
			id = e[3];
			memcpy(&flags, e + 4, 4);
			cpu = flags & 1;
		} else if (e[0] == 2 && e[1] >= 24) {
			memcpy(&id, e + 8, 4);
			memcpy(&flags, e + 12, 4);
			cpu = flags & 1;
		}
		if (cpu) {
			unsigned int i;

			for (i = 0; i < n && ids[i] != id; i++)
				;
			if (i == n && n < ARRAY_SIZE(ids))
				ids[n++] = id;
		}
		off += e[1];
	}
	*cpus = n;
}

static void check_topology(const u8 *srat)
{
	const struct acpi_table_header *h = (const void *)srat;
	unsigned int i, j, mem, cpus;
	bool used[ACPI_NUMA_MAX_NODES] = { false };

	FUZZ_CHECK(numa.nr_nodes >= 1 && numa.nr_nodes <= ACPI_NUMA_MAX_NODES,
		   "%u nodes", numa.nr_nodes);
	FUZZ_CHECK(numa.nr_memblks >= 1 && numa.nr_memblks <= ACPI_NUMA_MAX_MEMBLKS,
		   "%u ranges", numa.nr_memblks);
	FUZZ_CHECK(numa.nr_cpus <= ACPI_NUMA_MAX_CPUS, "%u CPUs", numa.nr_cpus);
	for (i = 0; i < numa.nr_nodes; i++)
		for (j = i + 1; j < numa.nr_nodes; j++)
			FUZZ_CHECK(numa.node_pxm[i] != numa.node_pxm[j],
				   "nodes %u and %u share PXM %u", i, j, numa.node_pxm[i]);
	for (i = 0; i < numa.nr_memblks; i++) {
		const struct acpi_numa_memblk *m = &numa.memblk[i];

		FUZZ_CHECK(m->start < m->end, "range %u empty or wrapped", i);
		FUZZ_CHECK(m->nid < numa.nr_nodes, "range %u on node %u", i, m->nid);
		FUZZ_CHECK(numa.node_pxm[m->nid] == m->pxm, "range %u: PXM %u on node %u of PXM %u",
			   i, m->pxm, m->nid, numa.node_pxm[m->nid]);
		FUZZ_CHECK(i == 0 || numa.memblk[i - 1].end <= m->start,
			   "ranges %u and %u unsorted or overlapping", i - 1, i);
		used[m->nid] = true;
	}
	for (i = 0; i < numa.nr_cpus; i++) {
		FUZZ_CHECK(numa.cpu[i].nid < numa.nr_nodes, "CPU %u on node %u", i,
			   numa.cpu[i].nid);
		FUZZ_CHECK(numa.node_pxm[numa.cpu[i].nid] == numa.cpu[i].pxm,
			   "CPU %u: PXM mismatch", i);
		FUZZ_CHECK(acpi_numa_apic_to_node(&numa, numa.cpu[i].apic_id) == numa.cpu[i].nid,
			   "APIC ID %#x listed twice", numa.cpu[i].apic_id);
		used[numa.cpu[i].nid] = true;
	}
	for (i = 0; i < numa.nr_nodes; i++)
		FUZZ_CHECK(used[i], "node %u has neither memory nor CPUs", i);
	count_entries(srat, h->length, &mem, &cpus);
	FUZZ_CHECK(mem == numa.nr_memblks, "%u enabled ranges in the table, %u parsed",
		   mem, numa.nr_memblks);
	FUZZ_CHECK(cpus == numa.nr_cpus, "%u enabled APIC IDs in the table, %u parsed",
		   cpus, numa.nr_cpus);
}

static void check_distances(int ret)
{
	unsigned int a, b;

	FUZZ_CHECK(numa.have_slit == (ret == 0), "have_slit %d after %d", numa.have_slit, ret);
	for (a = 0; a < ACPI_NUMA_MAX_NODES; a++)
		for (b = 0; b < ACPI_NUMA_MAX_NODES; b++) {
			u8 d = numa.distance[a][b];

			if (ret || a >= numa.nr_nodes || b >= numa.nr_nodes)
				FUZZ_CHECK(d == (a == b ? 10 : 20),
					   "distance %u->%u is %u, not the default", a, b, d);
			else
				FUZZ_CHECK(a == b ? d == 10 : d > 10,
					   "SLIT distance %u->%u is %u", a, b, d);
		}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_setup_console();
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u8 flags = size > 0 ? data[0] : 0;
	size_t srat_len = size >= 3 ? (size_t)(data[1] | data[2] << 8) : 0, slit_len;
	size_t errlen = flags >> 2;
	u8 *srat, *slit;
	char *err;
	int ret;

	data += size < 3 ? size : 3;
	size -= size < 3 ? size : 3;
	if (srat_len > size)
		srat_len = size;
	slit_len = size - srat_len;
	srat = malloc(srat_len ? srat_len : 1);
	slit = malloc(slit_len ? slit_len : 1);
	err = errlen ? malloc(errlen) : NULL;
	FUZZ_CHECK(srat && slit && (err || !errlen), "out of host memory");
	memcpy(srat, data, srat_len);
	memcpy(slit, data + srat_len, slit_len);
	if (flags & 1)
		fix_table(srat, srat_len);
	if (flags & 2)
		fix_table(slit, slit_len);

	ret = acpi_numa_parse_srat(srat, srat_len, &numa, err, errlen);
	if (err)
		FUZZ_CHECK(memchr(err, 0, errlen), "SRAT error message not terminated");
	if (ret) {
		FUZZ_CHECK(ret == -EINVAL || ret == -ENOSPC || ret == -ENOENT,
			   "SRAT parse returned %d", ret);
		FUZZ_CHECK(numa.nr_nodes == 0 && numa.nr_memblks == 0 && numa.nr_cpus == 0,
			   "failed SRAT parse left %u nodes", numa.nr_nodes);
		if (errlen > 1)
			FUZZ_CHECK(err[0], "SRAT failure %d without a reason", ret);
		check_distances(-1);
		goto out;
	}
	check_topology(srat);
	check_distances(-1);
	ret = acpi_numa_parse_slit(slit, slit_len, &numa, err, errlen);
	if (err)
		FUZZ_CHECK(memchr(err, 0, errlen), "SLIT error message not terminated");
	if (ret) {
		FUZZ_CHECK(ret == -EINVAL, "SLIT parse returned %d", ret);
		if (errlen > 1)
			FUZZ_CHECK(err[0], "SLIT failure %d without a reason", ret);
	}
	check_distances(ret);
	check_topology(srat);
out:
	free(err);
	free(slit);
	free(srat);
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * boot/acpi_numa.c on hand-made SRAT and SLIT tables.
 *
 * The good tables are shaped like QEMU's (-numa node,... gives one
 * processor affinity entry per possible CPU, then memory affinity entries
 * per node, the first split around the 640 KiB hole); each bad one breaks
 * one rule and checks the exact error code, the message, and that nothing
 * of the table is left in the topology.
 */
#include <string.h>
#include "boot/acpi.h"
#include "boot/acpi_numa.h"
#include "kernel/ktest.h"
#include "kmm/errno.h"

#define MiB (1ULL << 20)

struct tbl {
	u8 b[16384];
	u32 len;
};

static struct tbl srat, slit;
static struct acpi_numa numa;
static char err[ACPI_NUMA_ERR_MAX];

static void fix_checksum(struct tbl *t)
{
	struct acpi_table_header *h = (void *)t->b;

	h->length = t->len;
	h->checksum = 0;
	h->checksum = (u8)-acpi_checksum(t->b, t->len);
}

/* An empty SRAT of @revision (1: 8-bit domains in type 0 and 1, 2+: 32-bit). */
static void srat_begin(u8 revision)
{
	struct acpi_srat *s = (void *)srat.b;

	memset(&srat, 0, sizeof(srat));
	memcpy(s->header.signature, "SRAT", 4);
	s->header.revision = revision;
	memcpy(s->header.oem_id, "KMMTST", 6);
	s->table_revision = 1;
	srat.len = sizeof(*s);
	fix_checksum(&srat);
}

static void *srat_entry(u8 type, u8 length)
{
	struct acpi_subtable_header *h = (void *)(srat.b + srat.len);

	h->type = type;
	h->length = length;
	srat.len += length;
	return h;
}

static void add_cpu(u32 pxm, u8 apic_id, u32 flags)
{
	struct acpi_srat_cpu_affinity *c =
		srat_entry(ACPI_SRAT_CPU_AFFINITY, sizeof(*c));

	c->proximity_domain_lo = (u8)pxm;
	c->proximity_domain_hi[0] = (u8)(pxm >> 8);
	c->proximity_domain_hi[1] = (u8)(pxm >> 16);
	c->proximity_domain_hi[2] = (u8)(pxm >> 24);
	c->apic_id = apic_id;
	c->flags = flags;
	fix_checksum(&srat);
}

static void add_x2apic(u32 pxm, u32 apic_id, u32 flags)
{
	struct acpi_srat_x2apic_cpu_affinity *c =
		srat_entry(ACPI_SRAT_X2APIC_AFFINITY, sizeof(*c));

	c->proximity_domain = pxm;
	c->apic_id = apic_id;
	c->flags = flags;
	fix_checksum(&srat);
}

static void add_mem(u32 pxm, u64 base, u64 length, u32 flags)
{
	struct acpi_srat_mem_affinity *m =
		srat_entry(ACPI_SRAT_MEMORY_AFFINITY, sizeof(*m));

	m->proximity_domain = pxm;
	m->base_address = base;
	m->length = length;
	m->flags = flags;
	fix_checksum(&srat);
}

#define EN   ACPI_SRAT_CPU_ENABLED
#define MEN  ACPI_SRAT_MEM_ENABLED
#define HOT  ACPI_SRAT_MEM_HOT_PLUGGABLE
#define NV   ACPI_SRAT_MEM_NON_VOLATILE

/* A SLIT of @n localities, row-major @d. */
static void slit_build(u64 n, const u8 *d)
{
	struct acpi_slit *s = (void *)slit.b;

	memset(&slit, 0, sizeof(slit));
	memcpy(s->header.signature, "SLIT", 4);
	s->header.revision = 1;
	s->locality_count = n;
	memcpy(s->entry, d, n * n);
	slit.len = sizeof(*s) + (u32)(n * n);
	fix_checksum(&slit);
}

static int parse_srat(void)
{
	memset(err, 0, sizeof(err));
	return acpi_numa_parse_srat(srat.b, srat.len, &numa, err, sizeof(err));
}

static int parse_slit(void)
{
	memset(err, 0, sizeof(err));
	return acpi_numa_parse_slit(slit.b, slit.len, &numa, err, sizeof(err));
}

/* A refused SRAT leaves no node, and 10/20 distances. */
static void expect_refused(struct ktest *t, int ret, int code, const char *text)
{
	KTEST_EXPECT_EQ(t, ret, code);
	if (!strstr(err, text))
		KTEST_FAIL(t, "error \"%s\" does not contain \"%s\"", err, text);
	KTEST_EXPECT_EQ(t, numa.nr_nodes, 0u);
	KTEST_EXPECT_EQ(t, numa.nr_memblks, 0u);
	KTEST_EXPECT_EQ(t, numa.nr_cpus, 0u);
	KTEST_EXPECT_FALSE(t, numa.have_slit);
	KTEST_EXPECT_EQ(t, numa.distance[0][1], 20);
}

static void expect_default_distances(struct ktest *t)
{
	KTEST_EXPECT_FALSE(t, numa.have_slit);
	for (int a = 0; a < ACPI_NUMA_MAX_NODES; a++)
		for (int b = 0; b < ACPI_NUMA_MAX_NODES; b++)
			KTEST_EXPECT_EQ(t, numa.distance[a][b], a == b ? 10 : 20);
}

/* QEMU -m 128M, no -numa node but an SRAT anyway: one domain. */
static void one_domain(struct ktest *t)
{
	srat_begin(1);
	add_cpu(0, 0, EN);
	add_cpu(0, 1, EN);
	add_mem(0, 0, 0xa0000, MEN);
	add_mem(0, MiB, 127 * MiB, MEN);
	KTEST_ASSERT_EQ(t, parse_srat(), 0);
	KTEST_EXPECT_EQ(t, err[0], '\0');
	KTEST_EXPECT_EQ(t, numa.nr_nodes, 1u);
	KTEST_EXPECT_EQ(t, numa.node_pxm[0], 0u);
	KTEST_ASSERT_EQ(t, numa.nr_memblks, 2u);
	KTEST_EXPECT_EQ(t, numa.memblk[0].start, 0ull);
	KTEST_EXPECT_EQ(t, numa.memblk[0].end, 0xa0000ull);
	KTEST_EXPECT_EQ(t, numa.memblk[1].start, MiB);
	KTEST_EXPECT_EQ(t, numa.memblk[1].end, 128 * MiB);
	KTEST_EXPECT_FALSE(t, numa.memblk[1].hotplug);
	KTEST_EXPECT_EQ(t, numa.nr_cpus, 2u);
	KTEST_EXPECT_EQ(t, acpi_numa_apic_to_node(&numa, 1), 0);
	KTEST_EXPECT_EQ(t, acpi_numa_apic_to_node(&numa, 2), -1);
	expect_default_distances(t);
}

/* Two to four domains, CPUs and memory in each, and their SLIT. */
static void two_to_four_domains(struct ktest *t)
{
	for (u32 n = 2; n <= 4; n++) {
		u8 d[16];

		srat_begin(1);
		for (u32 i = 0; i < n; i++) {
			add_cpu(i, (u8)(2 * i), EN);
			add_cpu(i, (u8)(2 * i + 1), EN);
		}
		for (u32 i = 0; i < n; i++)
			add_mem(i, i * 256 * MiB, 256 * MiB, MEN);
		KTEST_ASSERT_EQ(t, parse_srat(), 0);
		KTEST_EXPECT_EQ(t, numa.nr_nodes, n);
		KTEST_EXPECT_EQ(t, numa.nr_memblks, n);
		KTEST_EXPECT_EQ(t, numa.nr_cpus, 2 * n);
		for (u32 i = 0; i < n; i++) {
			KTEST_EXPECT_EQ(t, numa.memblk[i].nid, i);
			KTEST_EXPECT_EQ(t, numa.memblk[i].start, i * 256 * MiB);
			KTEST_EXPECT_EQ(t, acpi_numa_apic_to_node(&numa, 2 * i + 1), (int)i);
		}
		for (u32 a = 0; a < n; a++)
			for (u32 b = 0; b < n; b++)
				d[a * n + b] = a == b ? 10 : (u8)(20 + a + b);
		slit_build(n, d);
		KTEST_ASSERT_EQ(t, parse_slit(), 0);
		KTEST_EXPECT_TRUE(t, numa.have_slit);
		for (u32 a = 0; a < n; a++)
			for (u32 b = 0; b < n; b++)
				KTEST_EXPECT_EQ(t, numa.distance[a][b], d[a * n + b]);
	}
}

/* Domains 9, 0, 5: node ids in order of first appearance, SLIT rows by PXM. */
static void sparse_domains(struct ktest *t)
{
	u8 d[100];

	srat_begin(1);
	add_cpu(9, 0, EN);
	add_cpu(0, 1, EN);
	add_mem(0, 0, 64 * MiB, MEN);
	add_mem(5, 64 * MiB, 64 * MiB, MEN);
	add_mem(9, 128 * MiB, 64 * MiB, MEN);
	KTEST_ASSERT_EQ(t, parse_srat(), 0);
	KTEST_ASSERT_EQ(t, numa.nr_nodes, 3u);
	KTEST_EXPECT_EQ(t, numa.node_pxm[0], 9u);
	KTEST_EXPECT_EQ(t, numa.node_pxm[1], 0u);
	KTEST_EXPECT_EQ(t, numa.node_pxm[2], 5u);
	KTEST_EXPECT_EQ(t, numa.memblk[0].nid, 1);
	KTEST_EXPECT_EQ(t, numa.memblk[1].nid, 2);
	KTEST_EXPECT_EQ(t, numa.memblk[2].nid, 0);
	KTEST_EXPECT_EQ(t, acpi_numa_apic_to_node(&numa, 0), 0);
	KTEST_EXPECT_EQ(t, acpi_numa_apic_to_node(&numa, 1), 1);

	/* Row i, column j: 10 * i + j + 11 off the diagonal, all distinct. */
	for (int i = 0; i < 10; i++)
		for (int j = 0; j < 10; j++)
			d[i * 10 + j] = i == j ? 10 : (u8)(10 * i + j + 11);
	slit_build(10, d);
	KTEST_ASSERT_EQ(t, parse_slit(), 0);
	KTEST_EXPECT_EQ(t, numa.distance[0][1], 10 * 9 + 0 + 11); /* PXM 9 -> 0 */
	KTEST_EXPECT_EQ(t, numa.distance[0][2], 10 * 9 + 5 + 11); /* PXM 9 -> 5 */
	KTEST_EXPECT_EQ(t, numa.distance[2][0], 10 * 5 + 9 + 11); /* PXM 5 -> 9 */
	KTEST_EXPECT_EQ(t, numa.distance[1][1], 10);

	/* Nine localities cannot describe PXM 9. */
	for (int i = 0; i < 9; i++)
		for (int j = 0; j < 9; j++)
			d[i * 9 + j] = i == j ? 10 : 20;
	slit_build(9, d);
	KTEST_EXPECT_EQ(t, parse_slit(), -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(err, "9 localities, but the SRAT names PXM 9") != NULL);
	KTEST_EXPECT_EQ(t, numa.nr_nodes, 3u);
	expect_default_distances(t);
}

/* A domain of memory alone, one of CPUs alone. */
static void memory_only_and_cpu_only(struct ktest *t)
{
	srat_begin(1);
	add_cpu(0, 0, EN);
	add_cpu(2, 1, EN);
	add_mem(0, 0, 256 * MiB, MEN);
	add_mem(1, 256 * MiB, 256 * MiB, MEN);
	KTEST_ASSERT_EQ(t, parse_srat(), 0);
	KTEST_EXPECT_EQ(t, numa.nr_nodes, 3u);
	KTEST_EXPECT_EQ(t, numa.node_pxm[1], 2u); /* CPUs came first */
	KTEST_EXPECT_EQ(t, numa.node_pxm[2], 1u);
	KTEST_EXPECT_EQ(t, numa.memblk[1].nid, 2);
	KTEST_EXPECT_EQ(t, acpi_numa_apic_to_node(&numa, 1), 1);
	for (unsigned int i = 0; i < numa.nr_memblks; i++)
		KTEST_EXPECT_NE(t, numa.memblk[i].nid, 1); /* node 1: no memory */
	for (unsigned int i = 0; i < numa.nr_cpus; i++)
		KTEST_EXPECT_NE(t, numa.cpu[i].nid, 2); /* node 2: no CPU */
}

/* x2APIC entries: 32-bit IDs and domains; revision 1 type 0 reads 8 bits. */
static void x2apic_and_domain_width(struct ktest *t)
{
	srat_begin(3);
	add_x2apic(0x10000, 0x100, EN);
	add_x2apic(7, 0x101, EN);
	add_x2apic(7, 0x101, EN); /* the same CPU again: harmless */
	add_cpu(0x10000, 5, EN);  /* revision 3: all 32 bits */
	add_mem(0x10000, 0, 64 * MiB, MEN);
	KTEST_ASSERT_EQ(t, parse_srat(), 0);
	KTEST_EXPECT_EQ(t, numa.nr_nodes, 2u);
	KTEST_EXPECT_EQ(t, numa.node_pxm[0], 0x10000u);
	KTEST_EXPECT_EQ(t, numa.nr_cpus, 3u);
	KTEST_EXPECT_EQ(t, acpi_numa_apic_to_node(&numa, 0x100), 0);
	KTEST_EXPECT_EQ(t, acpi_numa_apic_to_node(&numa, 0x101), 1);
	KTEST_EXPECT_EQ(t, acpi_numa_apic_to_node(&numa, 5), 0);

	srat_begin(1);
	add_cpu(0x301, 0, EN);   /* revision 1: domain 1, the high bytes unread */
	add_mem(0x201, 0, 64 * MiB, MEN);
	KTEST_ASSERT_EQ(t, parse_srat(), 0);
	KTEST_EXPECT_EQ(t, numa.nr_nodes, 1u);
	KTEST_EXPECT_EQ(t, numa.node_pxm[0], 1u);
}

/* Disabled entries name no domain and no CPU; hot-pluggable ranges stay. */
static void disabled_and_hotplug(struct ktest *t)
{
	srat_begin(1);
	add_cpu(3, 9, 0);
	add_x2apic(4, 10, 0);
	add_cpu(0, 0, EN);
	add_mem(5, 0x40000000, 64 * MiB, 0);
	add_mem(6, 0x50000000, 64 * MiB, HOT); /* hot-pluggable, not enabled */
	add_mem(0, 0, 64 * MiB, MEN);
	add_mem(1, 0x100000000ULL, 0x80000000ULL, MEN | HOT | NV);
	KTEST_ASSERT_EQ(t, parse_srat(), 0);
	KTEST_EXPECT_EQ(t, numa.nr_nodes, 2u);
	KTEST_EXPECT_EQ(t, numa.node_pxm[1], 1u);
	KTEST_EXPECT_EQ(t, numa.nr_cpus, 1u);
	KTEST_EXPECT_EQ(t, acpi_numa_apic_to_node(&numa, 9), -1);
	KTEST_EXPECT_EQ(t, acpi_numa_apic_to_node(&numa, 10), -1);
	KTEST_ASSERT_EQ(t, numa.nr_memblks, 2u);
	KTEST_EXPECT_FALSE(t, numa.memblk[0].hotplug);
	KTEST_EXPECT_TRUE(t, numa.memblk[1].hotplug);
	KTEST_EXPECT_TRUE(t, numa.memblk[1].nonvolatile);
	KTEST_EXPECT_EQ(t, numa.memblk[1].end, 0x180000000ULL);
}

/* Unknown types are skipped by their length; empty ranges are skipped. */
static void unknown_types_skipped(struct ktest *t)
{
	u8 *gicc;

	srat_begin(1);
	gicc = srat_entry(3, 18); /* GICC affinity */
	memset(gicc + 2, 0xee, 16);
	srat_entry(200, 2);
	add_mem(0, 0x1000000, 0, MEN);
	add_mem(0, 0, 64 * MiB, MEN);
	KTEST_ASSERT_EQ(t, parse_srat(), 0);
	KTEST_EXPECT_EQ(t, numa.nr_nodes, 1u);
	KTEST_EXPECT_EQ(t, numa.nr_memblks, 1u);
	KTEST_EXPECT_EQ(t, numa.nr_cpus, 0u);
}

static void bad_headers(struct ktest *t)
{
	srat_begin(1);
	add_mem(0, 0, 64 * MiB, MEN);
	srat.b[40] ^= 1; /* inside the reserved words: only the checksum notices */
	expect_refused(t, parse_srat(), -EINVAL, "SRAT: bad checksum");

	srat_begin(1);
	add_mem(0, 0, 64 * MiB, MEN);
	memcpy(srat.b, "SLIT", 4);
	fix_checksum(&srat);
	expect_refused(t, parse_srat(), -EINVAL, "signature is 53 4c 49 54");

	srat_begin(1);
	add_mem(0, 0, 64 * MiB, MEN);
	expect_refused(t, acpi_numa_parse_srat(srat.b, srat.len - 1, &numa, err,
					       sizeof(err)),
		       -EINVAL, "truncated: header says 88 bytes, 87 present");
	expect_refused(t, acpi_numa_parse_srat(srat.b, 20, &numa, err, sizeof(err)),
		       -EINVAL, "shorter than a table header");
	expect_refused(t, acpi_numa_parse_srat(NULL, 0, &numa, err, sizeof(err)),
		       -EINVAL, "shorter than a table header");

	srat_begin(1);
	srat.len = 40; /* below the SRAT's 48-byte fixed part */
	fix_checksum(&srat);
	expect_refused(t, parse_srat(), -EINVAL, "length 40 is below its fixed part");

	/* A longer copy than the table is fine: the header's length rules. */
	srat_begin(1);
	add_mem(0, 0, 64 * MiB, MEN);
	KTEST_EXPECT_EQ(t, acpi_numa_parse_srat(srat.b, sizeof(srat.b), &numa, err,
						sizeof(err)), 0);
}

static void bad_entries(struct ktest *t)
{
	struct acpi_srat_mem_affinity *m;

	srat_begin(1);
	add_mem(0, 0, 64 * MiB, MEN);
	srat_entry(1, 0);
	srat.len += 40;
	fix_checksum(&srat);
	expect_refused(t, parse_srat(), -EINVAL, "entry type 1 at offset 88 has length 0");

	srat_begin(1);
	add_mem(0, 0, 64 * MiB, MEN);
	srat_entry(0, 1);
	srat.len += 15;
	fix_checksum(&srat);
	expect_refused(t, parse_srat(), -EINVAL, "entry type 0 at offset 88 has length 1");

	srat_begin(1);
	add_mem(0, 0, 64 * MiB, MEN);
	m = (void *)(srat.b + 48);
	m->header.length = 41;
	fix_checksum(&srat);
	expect_refused(t, parse_srat(), -EINVAL, "(length 41) overruns the table (88 bytes)");

	srat_begin(1);
	add_mem(0, 0, 64 * MiB, MEN);
	srat.len++;
	fix_checksum(&srat);
	expect_refused(t, parse_srat(), -EINVAL, "1 stray bytes at offset 88");

	srat_begin(1);
	add_mem(0, 0, 64 * MiB, MEN);
	srat_entry(1, 32);
	fix_checksum(&srat);
	expect_refused(t, parse_srat(), -EINVAL,
		       "memory affinity entry at offset 88 has length 32, below 40");

	srat_begin(1);
	srat_entry(2, 16);
	fix_checksum(&srat);
	expect_refused(t, parse_srat(), -EINVAL, "x2APIC affinity entry at offset 48 has length 16");
}

static void bad_ranges_and_cpus(struct ktest *t)
{
	srat_begin(1);
	add_mem(0, 0, 64 * MiB, MEN);
	add_mem(1, 32 * MiB, 64 * MiB, MEN);
	expect_refused(t, parse_srat(), -EINVAL,
		       "PXM 1 [mem 0x2000000-0x5ffffff] overlaps PXM 0 [mem 0-0x3ffffff]");

	srat_begin(1);
	add_mem(0, 0xfffffffffff00000ULL, 2 * MiB, MEN);
	expect_refused(t, parse_srat(), -EINVAL, "wraps");

	srat_begin(1);
	add_cpu(0, 4, EN);
	add_cpu(1, 4, EN);
	add_mem(0, 0, 64 * MiB, MEN);
	expect_refused(t, parse_srat(), -EINVAL, "APIC ID 0x4 in PXM 0 and again in PXM 1");

	srat_begin(1);
	add_cpu(0, 0, EN);
	add_mem(0, 0, 64 * MiB, 0);
	expect_refused(t, parse_srat(), -ENOENT, "no enabled memory range");
}

static void too_many(struct ktest *t)
{
	srat_begin(2);
	for (u32 i = 0; i < ACPI_NUMA_MAX_NODES; i++)
		add_mem(i * 100, i * 64 * MiB, 64 * MiB, MEN);
	KTEST_ASSERT_EQ(t, parse_srat(), 0);
	KTEST_EXPECT_EQ(t, numa.nr_nodes, (unsigned int)ACPI_NUMA_MAX_NODES);
	add_cpu(900, 0, EN);
	expect_refused(t, parse_srat(), -ENOSPC, "more than 8 proximity domains (PXM 900)");

	srat_begin(1);
	for (u32 i = 0; i <= ACPI_NUMA_MAX_MEMBLKS; i++)
		add_mem(0, i * 4 * MiB, 2 * MiB, MEN);
	expect_refused(t, parse_srat(), -ENOSPC, "more than 32 enabled memory ranges");

	srat_begin(1);
	add_mem(0, 0, 64 * MiB, MEN);
	for (u32 i = 0; i <= ACPI_NUMA_MAX_CPUS; i++)
		add_x2apic(0, i, EN);
	expect_refused(t, parse_srat(), -ENOSPC, "more than 256 enabled processors");
}

/* A two-domain SRAT for the SLIT cases. */
static void two_domains(struct ktest *t)
{
	srat_begin(1);
	add_cpu(0, 0, EN);
	add_cpu(1, 1, EN);
	add_mem(0, 0, 256 * MiB, MEN);
	add_mem(1, 256 * MiB, 256 * MiB, MEN);
	KTEST_ASSERT_EQ(t, parse_srat(), 0);
}

static void slit_rules(struct ktest *t)
{
	static const u8 good[] = { 10, 21, 21, 10 };
	static const u8 asym[] = { 10, 15, 30, 10 };
	static const u8 unreachable[] = { 10, 255, 255, 10 };
	static const u8 diag[] = { 11, 21, 21, 10 };
	static const u8 low[] = { 10, 10, 21, 10 };
	static const u8 reserved[] = { 10, 5, 21, 10 };

	two_domains(t);
	slit_build(2, asym);
	KTEST_ASSERT_EQ(t, parse_slit(), 0);
	KTEST_EXPECT_EQ(t, numa.distance[0][1], 15); /* asymmetric: kept as given */
	KTEST_EXPECT_EQ(t, numa.distance[1][0], 30);

	slit_build(2, unreachable);
	KTEST_ASSERT_EQ(t, parse_slit(), 0);
	KTEST_EXPECT_EQ(t, numa.distance[1][0], 255);

	slit_build(2, diag);
	KTEST_EXPECT_EQ(t, parse_slit(), -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(err, "distance 11 from locality 0 to 0 (must be 10)") != NULL);
	expect_default_distances(t);
	KTEST_EXPECT_EQ(t, numa.nr_nodes, 2u); /* the SRAT's nodes stay */

	slit_build(2, low);
	KTEST_EXPECT_EQ(t, parse_slit(), -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(err, "distance 10 from locality 0 to 1 (must be above 10)") != NULL);
	slit_build(2, reserved);
	KTEST_EXPECT_EQ(t, parse_slit(), -EINVAL);
	expect_default_distances(t);

	/* Wrong size: the header's length is not 44 + N x N. */
	slit_build(2, good);
	slit.len++;
	fix_checksum(&slit);
	KTEST_EXPECT_EQ(t, parse_slit(), -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(err, "2 localities need 48 bytes, the table has 49") != NULL);
	slit_build(2, good);
	((struct acpi_slit *)slit.b)->locality_count = 3;
	fix_checksum(&slit);
	KTEST_EXPECT_EQ(t, parse_slit(), -EINVAL);
	slit_build(2, good);
	((struct acpi_slit *)slit.b)->locality_count = 1ULL << 40;
	fix_checksum(&slit);
	KTEST_EXPECT_EQ(t, parse_slit(), -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(err, "1099511627776 localities") != NULL);
	slit_build(1, good);
	KTEST_EXPECT_EQ(t, parse_slit(), -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(err, "1 localities, but the SRAT names PXM 1") != NULL);

	/* Checksum, truncation, signature. */
	slit_build(2, good);
	slit.b[44] = 12;
	KTEST_EXPECT_EQ(t, parse_slit(), -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(err, "SLIT: bad checksum") != NULL);
	slit_build(2, good);
	KTEST_EXPECT_EQ(t, acpi_numa_parse_slit(slit.b, slit.len - 1, &numa, err,
						sizeof(err)), -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(err, "truncated") != NULL);
	memcpy(slit.b, "SRAT", 4);
	fix_checksum(&slit);
	KTEST_EXPECT_EQ(t, parse_slit(), -EINVAL);
	expect_default_distances(t);

	/* And the good one, after all that. */
	slit_build(2, good);
	KTEST_EXPECT_EQ(t, parse_slit(), 0);
	KTEST_EXPECT_EQ(t, numa.distance[0][1], 21);

	/* No SRAT node, no SLIT. */
	memset(&numa, 0, sizeof(numa));
	KTEST_EXPECT_EQ(t, parse_slit(), -ENOENT);
}

/* Error buffers of any length get a terminated prefix; none is written past. */
static void error_buffer(struct ktest *t)
{
	char small[8];

	srat_begin(1);
	memset(small, 'x', sizeof(small));
	KTEST_EXPECT_EQ(t, acpi_numa_parse_srat(srat.b, srat.len, &numa, small, 6), -ENOENT);
	KTEST_EXPECT_STREQ(t, small, "SRAT:");
	KTEST_EXPECT_EQ(t, small[6], 'x');
	KTEST_EXPECT_EQ(t, acpi_numa_parse_srat(srat.b, srat.len, &numa, NULL, 0), -ENOENT);
}

static const struct ktest_case acpi_numa_cases[] = {
	KTEST_CASE(one_domain),
	KTEST_CASE(two_to_four_domains),
	KTEST_CASE(sparse_domains),
	KTEST_CASE(memory_only_and_cpu_only),
	KTEST_CASE(x2apic_and_domain_width),
	KTEST_CASE(disabled_and_hotplug),
	KTEST_CASE(unknown_types_skipped),
	KTEST_CASE(bad_headers),
	KTEST_CASE(bad_entries),
	KTEST_CASE(bad_ranges_and_cpus),
	KTEST_CASE(too_many),
	KTEST_CASE(slit_rules),
	KTEST_CASE(error_buffer),
};
KTEST_SUITE(acpi_numa, acpi_numa_cases);

// SPDX-License-Identifier: MIT
/*
 * ktest=acpi_numa: the NUMA topology the kernel took (arch/x86_64/numa.c)
 * against what the machine was given.
 *
 * The harness (tests/harness.py, run_numa) boots QEMU with -numa options
 * and passes what it asked for on the command line:
 *
 *   expect_nodes=2                   node count
 *   expect_node_cpus=0-1/2-3         the online CPUs of each node, '/' apart
 *   expect_node_mem=256M/256M        each node's size (RAM in its ranges
 *                                    within 16 MiB below it: firmware holes)
 *   expect_distance=10,21,21,10      the distance matrix, row by row
 *
 * Each case without its option skips, saying so. The SRAT the kernel read
 * at boot is parsed again here: a table refused at boot must be refused
 * again for the reason the boot gave; a good one must give the same nodes,
 * and two corrupted copies of it must be refused (which is what makes the
 * kernel run as one node).
 */
#include "kernel/ktest.h"
#include "kernel/cmdline.h"
#include "kmm/string.h"
#include "kmm/errno.h"
#include "boot/boot_info.h"
#include "boot/acpi.h"
#include "boot/acpi_numa.h"
#include "arch/x86_64/numa.h"
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/smp.h"
#include "mm/memblock.h"
#include "mm/slab.h"

#define NODE_MEM_SLACK (16ULL << 20) /* as test_boot.c: firmware reservations */

static bool get_opt(struct ktest *t, const char *name, char *val, size_t len)
{
	char why[64];

	if (cmdline_get(boot_info.cmdline, name, val, len))
		return true;
	snprintf(why, sizeof(why), "no %s= on the command line", name);
	ktest_skip(t, why);
	return false;
}

static bool contains(const char *s, const char *what)
{
	size_t n = strlen(what);

	for (; *s; s++)
		if (!strncmp(s, what, n))
			return true;
	return false;
}

/* Read a decimal number at *@s; -1 if there is none. */
static long read_num(const char **s)
{
	long v = -1;

	for (; **s >= '0' && **s <= '9'; (*s)++)
		v = (v < 0 ? 0 : v * 10) + (**s - '0');
	return v;
}

static void node_count(struct ktest *t)
{
	char val[16];
	const char *p = val;

	if (!get_opt(t, "expect_nodes", val, sizeof(val)))
		return;
	KTEST_EXPECT_EQ(t, (long)x86_numa_nr_nodes(), read_num(&p));
}

/* Every online CPU sits on the node the harness put it on. */
static void cpus_on_their_nodes(struct ktest *t)
{
	char val[128];
	const char *p = val;
	int nid = 0;
	u32 want = 0;

	if (!get_opt(t, "expect_node_cpus", val, sizeof(val)))
		return;
	for (;;) {
		long a = read_num(&p), b = a;

		if (a >= 0 && *p == '-') {
			p++;
			b = read_num(&p);
		}
		KTEST_ASSERT_TRUE(t, a <= b && b < MM_NR_CPUS);
		for (long cpu = a; a >= 0 && cpu <= b; cpu++) {
			want |= 1u << cpu;
			if (cpu_online((unsigned int)cpu))
				KTEST_EXPECT_EQ(t, cpu_to_node((unsigned int)cpu), nid);
			else
				KTEST_FAIL(t, "CPU%ld (node %d) is not online", cpu, nid);
		}
		if (*p == ',') {
			p++;
		} else if (*p == '/') {
			p++;
			nid++;
		} else {
			break;
		}
	}
	KTEST_EXPECT_EQ(t, *p, '\0');
	for (unsigned int cpu = 0; cpu < MM_NR_CPUS; cpu++)
		if (cpu_online(cpu) && !(want & (1u << cpu)))
			KTEST_FAIL(t, "CPU%u is online but on no expected node", cpu);
}

static u64 parse_size(const char **s)
{
	long v = read_num(s);

	if (v < 0)
		return 0;
	switch (**s) {
	case 'G': (*s)++; return (u64)v << 30;
	case 'M': (*s)++; return (u64)v << 20;
	default: return (u64)v;
	}
}

static void node_memory(struct ktest *t)
{
	char val[128];
	const char *p = val;
	unsigned int nid = 0;
	unsigned long long total = 0;

	if (!get_opt(t, "expect_node_mem", val, sizeof(val)))
		return;
	for (;; nid++) {
		u64 want = parse_size(&p);

		KTEST_ASSERT_LE(t, nid + 1, x86_numa_nr_nodes());
		KTEST_EXPECT_LE(t, x86_numa.node[nid].ram, want);
		KTEST_EXPECT_GE(t, x86_numa.node[nid].ram + NODE_MEM_SLACK, want);
		if (*p != '/')
			break;
		p++;
	}
	KTEST_EXPECT_EQ(t, *p, '\0');
	KTEST_EXPECT_EQ(t, nid + 1, x86_numa_nr_nodes());
	/* And all RAM is on some node. */
	for (nid = 0; nid < x86_numa_nr_nodes(); nid++)
		total += x86_numa.node[nid].ram;
	KTEST_EXPECT_EQ(t, total, (unsigned long long)memblock_phys_mem_size());
}

static void distances(struct ktest *t)
{
	char val[256];
	const char *p = val;
	unsigned int n = x86_numa_nr_nodes(), i = 0;

	if (!get_opt(t, "expect_distance", val, sizeof(val)))
		return;
	for (;; i++) {
		long d = read_num(&p);

		KTEST_ASSERT_TRUE(t, i < n * n);
		KTEST_EXPECT_EQ(t, node_distance((int)(i / n), (int)(i % n)), d);
		if (*p != ',')
			break;
		p++;
	}
	KTEST_EXPECT_EQ(t, *p, '\0');
	KTEST_EXPECT_EQ(t, i + 1, n * n);
}

/* The registered ranges: sorted, disjoint, on valid nodes. */
static void ranges_consistent(struct ktest *t)
{
	for (unsigned int i = 0; i < x86_numa.nr_memblks; i++) {
		const struct acpi_numa_memblk *m = &x86_numa.memblk[i];

		KTEST_EXPECT_LT(t, m->start, m->end);
		KTEST_EXPECT_LT(t, m->nid, x86_numa_nr_nodes());
		if (i)
			KTEST_EXPECT_LE(t, x86_numa.memblk[i - 1].end, m->start);
	}
	for (unsigned int cpu = 0; cpu < MM_NR_CPUS; cpu++)
		if (cpu_online(cpu))
			KTEST_EXPECT_LT(t, cpu_to_node(cpu), (int)x86_numa_nr_nodes());
}

/*
 * The SRAT read at boot parses again to the same nodes; with one byte
 * changed it fails its checksum, and with a zero-length entry it is
 * refused even when the checksum is fixed: the kernel would run as one
 * node (numa.c falls back on any parse error).
 */
static void *table_alloc(size_t size)
{
	return kmalloc(size, GFP_KERNEL);
}

static void table_free(void *p, size_t size)
{
	kfree(p);
}

static void boot_srat_reparses_and_corruption_is_refused(struct ktest *t)
{
	static struct acpi_numa again;
	char err[ACPI_NUMA_ERR_MAX];
	struct acpi_table_header *h;
	const void *srat = x86_numa.srat;
	u32 len = x86_numa.srat_len;
	void *loaded = NULL;
	phys_addr_t pa;
	u8 *copy;
	int ret;

	/* numa=off and numa=fake never read it: read it now. */
	if (!srat && (pa = acpi_find_table("SRAT")))
		srat = loaded = acpi_load_table(pa, table_alloc, table_free, &len);
	if (!srat) {
		ktest_skip(t, "the firmware gave no SRAT");
		return;
	}
	ret = acpi_numa_parse_srat(srat, len, &again, err, sizeof(err));
	if (ret) {
		/* Refused at boot too (if read then), for the same reason: one node. */
		if (srat == x86_numa.srat) {
			KTEST_EXPECT_TRUE(t, contains(x86_numa.why, err));
			KTEST_EXPECT_EQ(t, x86_numa_nr_nodes(), 1u);
		}
		goto out;
	}
	if (x86_numa.source == X86_NUMA_ACPI)
		KTEST_EXPECT_EQ(t, again.nr_nodes, x86_numa.nr_nodes);

	if (len < sizeof(struct acpi_srat) + 2) {
		KTEST_FAIL(t, "the SRAT (%u bytes) has no entry to corrupt", len);
		goto out;
	}
	copy = kmalloc(len, GFP_KERNEL);
	if (!copy) {
		KTEST_FAIL(t, "no memory for a %u-byte copy", len);
		goto out;
	}
	memcpy(copy, srat, len);
	copy[sizeof(struct acpi_srat) + 1] ^= 0x40; /* the first entry's length */
	KTEST_EXPECT_EQ(t, acpi_numa_parse_srat(copy, len, &again,
						err, sizeof(err)), -EINVAL);
	KTEST_EXPECT_TRUE(t, contains(err, "bad checksum"));
	KTEST_EXPECT_EQ(t, again.nr_nodes, 0u);

	copy[sizeof(struct acpi_srat) + 1] = 0;
	h = (void *)copy;
	h->checksum = 0;
	h->checksum = (u8)-acpi_checksum(copy, h->length);
	KTEST_EXPECT_EQ(t, acpi_numa_parse_srat(copy, len, &again,
						err, sizeof(err)), -EINVAL);
	KTEST_EXPECT_TRUE(t, contains(err, "has length 0"));
	kfree(copy);
out:
	kfree(loaded);
}

static const struct ktest_case acpi_numa_cases[] = {
	KTEST_CASE(node_count),
	KTEST_CASE(cpus_on_their_nodes),
	KTEST_CASE(node_memory),
	KTEST_CASE(distances),
	KTEST_CASE(ranges_consistent),
	KTEST_CASE(boot_srat_reparses_and_corruption_is_refused),
};
KTEST_SUITE(acpi_numa, acpi_numa_cases, .default_off = true);

// SPDX-License-Identifier: MIT
/*
 * The NUMA topology of an x86 machine, decided once at boot, between
 * paging_init() (the fixmap and memblock_alloc() work) and mem_init() (the
 * page allocator needs the node of every range of RAM when it starts):
 *
 *   numa=off        one node
 *   numa=fake=N     Linux's NUMA emulation: RAM cut into N nodes of equal
 *                   RAM (each boundary moved to the nearest FAKE_NODE_ALIGN),
 *                   CPUs dealt out
 *                   round-robin, distances 10 local and 20 remote
 *   otherwise       the ACPI SRAT (ranges and APIC IDs per proximity
 *                   domain) and SLIT (distances), parsed by boot/acpi_numa.c
 *
 * One node is what a machine without an SRAT gets, and what any doubt
 * gives: a table that fails a check, RAM that no SRAT range covers, a
 * registration mm/ refuses. Each such fallback warns with the reason; the
 * node table (x86_numa_show(), once the CPUs are up) repeats it.
 *
 * A hot-pluggable SRAT range is registered like any other: it says which
 * node owns RAM there, and only RAM the memory map lists (memblock) is ever
 * used, so a node whose ranges are all hot-pluggable and empty has no
 * memory. A node may have CPUs and no memory, or memory and no CPUs.
 *
 * CPUs: the boot CPU is placed here (its APIC ID from CPUID); smp.c places
 * each AP by its APIC ID before starting it (x86_numa_add_cpu()). An APIC ID
 * the SRAT does not list goes to node 0, with a warning.
 *
 * The tables read are kept (memblock memory, never freed) so that the
 * self-tests can check them again (tests/kernel/test_acpi_numa.c).
 */
#include "arch/x86_64/numa.h"
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/smp.h"
#include "boot/acpi.h"
#include "mm/port.h"
#include "mm/memblock.h"
#include "kmm/printk.h"
#include "kmm/string.h"
#include "kmm/errno.h"

_Static_assert(ACPI_NUMA_MAX_NODES == MAX_NUMNODES,
	       "the parser's node limit is mm/'s");
_Static_assert(ACPI_NUMA_MAX_MEMBLKS <= 64,
	       "every SRAT range fits mm/'s table (NUMA_MAX_MEMBLKS)");

/* numa=fake=N: node boundaries fall on whole max-order buddy blocks (4 MiB),
 * and a node below FAKE_NODE_MIN_SIZE of RAM is refused. */
#define FAKE_NODE_ALIGN    (4ULL << 20)
#define FAKE_NODE_MIN_SIZE (16ULL << 20)

struct x86_numa_info x86_numa;

static enum x86_numa_source numa_requested = X86_NUMA_ACPI;
static unsigned int numa_fake_nodes;
static struct acpi_numa acpi_topology;

int x86_numa_setup(const char *val)
{
	unsigned int n = 0;
	const char *p;

	if (val && !strcmp(val, "off")) {
		numa_requested = X86_NUMA_OFF;
		return 0;
	}
	if (val && !strncmp(val, "fake=", 5)) {
		for (p = val + 5; *p >= '0' && *p <= '9' && n <= MAX_NUMNODES; p++)
			n = n * 10 + (unsigned int)(*p - '0');
		if (p == val + 5 || *p || n < 1 || n > MAX_NUMNODES) {
			pr_warn("NUMA: numa=%s: the node count must be 1 to %d, ignored\n",
				val, MAX_NUMNODES);
			return -EINVAL;
		}
		numa_requested = X86_NUMA_FAKE;
		numa_fake_nodes = n;
		return 0;
	}
	pr_warn("NUMA: unknown option numa=%s (numa=off or numa=fake=N), ignored\n",
		val ? val : "(no value)");
	return -EINVAL;
}

unsigned int x86_numa_nr_nodes(void)
{
	return x86_numa.nr_nodes ? x86_numa.nr_nodes : 1;
}

/* Bytes of RAM (memblock.memory) in [start, end). */
static unsigned long long ram_in(u64 start, u64 end)
{
	unsigned long long sum = 0;

	for (unsigned int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		u64 s = max(start, (u64)r->base), e = min(end, (u64)(r->base + r->size));

		if (s < e)
			sum += e - s;
	}
	return sum;
}

/* One node holding all RAM; mm/ gets no registration (its default). */
static void one_node(enum x86_numa_source source)
{
	numa_reset();
	x86_numa.source = source;
	x86_numa.nr_nodes = 1;
	x86_numa.node[0] = (struct x86_numa_node){ .ram = memblock_phys_mem_size() };
	x86_numa.nr_memblks = 1;
	x86_numa.memblk[0] = (struct acpi_numa_memblk){
		.start = memblock_start_of_DRAM(), .end = memblock_end_of_DRAM() };
	numa_set_node(0, 0);
}

static __printf(1, 2) void fall_back(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(x86_numa.why, sizeof(x86_numa.why), fmt, ap);
	va_end(ap);
	pr_warn("NUMA: %s: one node\n", x86_numa.why);
	one_node(X86_NUMA_NONE);
}

/* Give mm/ the ranges and distances in x86_numa; false if it refused any. */
static bool register_topology(const u8 (*distance)[ACPI_NUMA_MAX_NODES])
{
	unsigned int i, a, b;

	numa_reset();
	for (i = 0; i < x86_numa.nr_memblks; i++) {
		const struct acpi_numa_memblk *m = &x86_numa.memblk[i];

		if (numa_add_memblk(m->nid, m->start, m->end))
			return false;
	}
	for (a = 0; a < x86_numa.nr_nodes; a++)
		for (b = 0; b < x86_numa.nr_nodes; b++)
			if (numa_set_distance((int)a, (int)b, distance[a][b]))
				return false;
	return true;
}

static void node_ram(void)
{
	for (unsigned int i = 0; i < x86_numa.nr_memblks; i++)
		x86_numa.node[x86_numa.memblk[i].nid].ram +=
			ram_in(x86_numa.memblk[i].start, x86_numa.memblk[i].end);
}

/* The first piece of RAM no range in x86_numa.memblk covers, or false. */
static bool uncovered_ram(u64 *start, u64 *end)
{
	for (unsigned int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		u64 s = r->base, e = r->base + r->size;

		/* memblk[] is sorted and disjoint: eat @s forward through it. */
		for (unsigned int j = 0; j < x86_numa.nr_memblks && s < e; j++) {
			const struct acpi_numa_memblk *m = &x86_numa.memblk[j];

			if (m->end <= s)
				continue;
			if (m->start > s)
				break;
			s = m->end;
		}
		if (s < e) {
			u64 stop = e;

			for (unsigned int j = 0; j < x86_numa.nr_memblks; j++)
				if (x86_numa.memblk[j].start > s && x86_numa.memblk[j].start < stop)
					stop = x86_numa.memblk[j].start;
			*start = s;
			*end = stop;
			return true;
		}
	}
	return false;
}

static void *early_alloc(size_t size)
{
	return memblock_alloc(size, 8);
}

static void early_free(void *p, size_t size)
{
	memblock_free(__pa(p), size);
}

static u32 boot_cpu_apic_id(void)
{
	u32 a, b, c, d;

	cpuid_count(1, 0, &a, &b, &c, &d);
	return b >> 24; /* initial APIC ID (SDM Vol. 2A, CPUID leaf 01H) */
}

static void numa_from_acpi(void)
{
	char err[ACPI_NUMA_ERR_MAX];
	phys_addr_t pa;
	u64 s, e;
	unsigned int i;
	int nid;

	pa = acpi_find_table("SRAT");
	if (!pa) {
		pr_info("NUMA: No NUMA configuration found (no ACPI SRAT)\n");
		snprintf(x86_numa.why, sizeof(x86_numa.why), "no ACPI SRAT");
		one_node(X86_NUMA_NONE);
		return;
	}
	x86_numa.srat = acpi_load_table(pa, early_alloc, early_free, &x86_numa.srat_len);
	if (!x86_numa.srat) {
		fall_back("ACPI SRAT at %#llx unreadable (bad length or checksum)",
			  (unsigned long long)pa);
		return;
	}
	if (acpi_numa_parse_srat(x86_numa.srat, x86_numa.srat_len, &acpi_topology,
				 err, sizeof(err))) {
		fall_back("%s", err);
		return;
	}
	pa = acpi_find_table("SLIT");
	if (pa)
		x86_numa.slit = acpi_load_table(pa, early_alloc, early_free,
						&x86_numa.slit_len);
	if (x86_numa.slit) {
		if (acpi_numa_parse_slit(x86_numa.slit, x86_numa.slit_len,
					 &acpi_topology, err, sizeof(err)))
			pr_warn("NUMA: %s: distances 10 local, 20 remote\n", err);
	} else if (pa) {
		pr_warn("NUMA: ACPI SLIT at %#llx unreadable: distances 10 local, 20 remote\n",
			(unsigned long long)pa);
	}

	x86_numa.source = X86_NUMA_ACPI;
	x86_numa.nr_nodes = acpi_topology.nr_nodes;
	x86_numa.nr_memblks = acpi_topology.nr_memblks;
	memcpy(x86_numa.memblk, acpi_topology.memblk,
	       acpi_topology.nr_memblks * sizeof(acpi_topology.memblk[0]));
	for (i = 0; i < acpi_topology.nr_nodes; i++)
		x86_numa.node[i] = (struct x86_numa_node){ .pxm = acpi_topology.node_pxm[i] };
	for (i = 0; i < acpi_topology.nr_cpus; i++) {
		const struct acpi_numa_cpu *c = &acpi_topology.cpu[i];

		pr_info("ACPI: SRAT: PXM %u -> APIC 0x%02x -> Node %u\n",
			c->pxm, c->apic_id, c->nid);
	}
	for (i = 0; i < acpi_topology.nr_memblks; i++) {
		const struct acpi_numa_memblk *m = &acpi_topology.memblk[i];

		pr_info("ACPI: SRAT: Node %u PXM %u [mem 0x%08llx-0x%08llx]%s%s\n",
			m->nid, m->pxm, (unsigned long long)m->start,
			(unsigned long long)m->end - 1, m->hotplug ? " hotplug" : "",
			m->nonvolatile ? " non-volatile" : "");
	}
	if (uncovered_ram(&s, &e)) {
		fall_back("SRAT covers no node for RAM [mem 0x%08llx-0x%08llx]",
			  (unsigned long long)s, (unsigned long long)e - 1);
		return;
	}
	if (!register_topology((const u8 (*)[ACPI_NUMA_MAX_NODES])acpi_topology.distance)) {
		fall_back("mm/ refused the SRAT topology");
		return;
	}
	node_ram();
	nid = acpi_numa_apic_to_node(&acpi_topology, boot_cpu_apic_id());
	if (nid < 0)
		pr_warn("NUMA: boot CPU (APIC ID %#x) is in no SRAT domain: node 0\n",
			boot_cpu_apic_id());
	numa_set_node(0, nid < 0 ? 0 : nid);
}

/* numa=fake=N: cut RAM into N nodes holding equal amounts of it. */
static void numa_emulation(unsigned int n)
{
	static u8 distance[ACPI_NUMA_MAX_NODES][ACPI_NUMA_MAX_NODES];
	unsigned long long total = memblock_phys_mem_size(), per = total / n;
	u64 start = memblock_start_of_DRAM(), end = memblock_end_of_DRAM();
	u64 lo = 0, bound[ACPI_NUMA_MAX_NODES + 1];
	unsigned int i, a, b;

	if (per < FAKE_NODE_MIN_SIZE) {
		fall_back("numa=fake=%u: %llu MiB of RAM makes nodes below %llu MiB",
			  n, total >> 20, FAKE_NODE_MIN_SIZE >> 20);
		return;
	}
	/* bound[i]: the first address of node i, where i * per of RAM lies below. */
	bound[0] = start & ~(FAKE_NODE_ALIGN - 1);
	bound[n] = end;
	for (i = 1; i < n; i++) {
		u64 want = per * i, at = lo;

		for (unsigned int r = 0; r < memblock.memory.cnt; r++) {
			const struct memblock_region *reg = &memblock.memory.regions[r];

			if (ram_in(0, reg->base + reg->size) >= want) {
				at = reg->base + (want - ram_in(0, reg->base));
				break;
			}
		}
		at = (at + FAKE_NODE_ALIGN / 2) & ~(FAKE_NODE_ALIGN - 1); /* the nearest */
		if (at <= bound[i - 1] || at >= end) {
			fall_back("numa=fake=%u: cannot cut RAM into %u nodes on %llu MiB boundaries",
				  n, n, FAKE_NODE_ALIGN >> 20);
			return;
		}
		bound[i] = lo = at;
	}
	x86_numa.source = X86_NUMA_FAKE;
	x86_numa.nr_nodes = n;
	x86_numa.nr_memblks = n;
	for (i = 0; i < n; i++) {
		x86_numa.memblk[i] = (struct acpi_numa_memblk){
			.start = bound[i], .end = bound[i + 1], .nid = (u8)i };
		x86_numa.node[i] = (struct x86_numa_node){ 0 };
	}
	for (a = 0; a < n; a++)
		for (b = 0; b < n; b++)
			distance[a][b] = a == b ? 10 : 20;
	if (!register_topology((const u8 (*)[ACPI_NUMA_MAX_NODES])distance)) {
		fall_back("numa=fake=%u: mm/ refused the emulated nodes", n);
		return;
	}
	node_ram();
	for (i = 0; i < n; i++)
		pr_info("NUMA: Faking node %u at [mem 0x%016llx-0x%016llx] (%lluMB)\n", i,
			(unsigned long long)bound[i], (unsigned long long)bound[i + 1] - 1,
			x86_numa.node[i].ram >> 20);
	numa_set_node(0, 0);
}

void x86_numa_init(void)
{
	memset(&x86_numa, 0, sizeof(x86_numa));
	switch (numa_requested) {
	case X86_NUMA_OFF:
		pr_info("NUMA: turned off (numa=off)\n");
		snprintf(x86_numa.why, sizeof(x86_numa.why), "numa=off");
		one_node(X86_NUMA_OFF);
		break;
	case X86_NUMA_FAKE:
		numa_emulation(numa_fake_nodes);
		break;
	default:
		numa_from_acpi();
		break;
	}
}

void x86_numa_add_cpu(unsigned int cpu, u32 apic_id)
{
	int nid = 0;

	if (x86_numa.source == X86_NUMA_FAKE) {
		nid = (int)(cpu % x86_numa.nr_nodes);
	} else if (x86_numa.source == X86_NUMA_ACPI) {
		nid = acpi_numa_apic_to_node(&acpi_topology, apic_id);
		if (nid < 0) {
			pr_warn("NUMA: CPU%u (APIC ID %#x) is in no SRAT domain: node 0\n",
				cpu, apic_id);
			nid = 0;
		}
	}
	numa_set_node(cpu, nid);
}

static const char *source_text(void)
{
	static char buf[ACPI_NUMA_ERR_MAX + 64];

	switch (x86_numa.source) {
	case X86_NUMA_ACPI:
		if (acpi_topology.have_slit)
			return "ACPI SRAT and SLIT";
		return x86_numa.slit ? "ACPI SRAT, SLIT refused: distances 10 local, 20 remote" :
			"ACPI SRAT, no SLIT: distances 10 local, 20 remote";
	case X86_NUMA_FAKE:
		snprintf(buf, sizeof(buf), "numa=fake=%u", x86_numa.nr_nodes);
		return buf;
	default:
		snprintf(buf, sizeof(buf), "one node: %s",
			 x86_numa.why[0] ? x86_numa.why : "not initialised");
		return buf;
	}
}

void x86_numa_show(void)
{
	unsigned int n = x86_numa_nr_nodes(), nid, i, cpu;
	char line[128];
	int len;

	pr_info("NUMA: node table (%s)\n", source_text());
	pr_info("available: %u node%s (0-%u)\n", n, n == 1 ? "" : "s", n - 1);
	for (nid = 0; nid < n; nid++) {
		len = snprintf(line, sizeof(line), "node %u cpus:", nid);
		for (cpu = 0; cpu < MM_NR_CPUS && len < (int)sizeof(line); cpu++)
			if (cpu_online(cpu) && cpu_to_node(cpu) == (int)nid)
				len += snprintf(line + len, sizeof(line) - len, " %u", cpu);
		pr_info("%s\n", line);
		pr_info("node %u size: %llu MB\n", nid, x86_numa.node[nid].ram >> 20);
		for (i = 0; i < x86_numa.nr_memblks; i++) {
			const struct acpi_numa_memblk *m = &x86_numa.memblk[i];

			if (m->nid == nid)
				pr_info("node %u: [mem 0x%016llx-0x%016llx]%s\n", nid,
					(unsigned long long)m->start,
					(unsigned long long)m->end - 1,
					m->hotplug ? " hotplug" : "");
		}
	}
	pr_info("node distances:\n");
	len = snprintf(line, sizeof(line), "node");
	for (nid = 0; nid < n; nid++)
		len += snprintf(line + len, sizeof(line) - len, "%4u", nid);
	pr_info("%s\n", line);
	for (nid = 0; nid < n; nid++) {
		len = snprintf(line, sizeof(line), "%3u:", nid);
		for (i = 0; i < n; i++)
			len += snprintf(line + len, sizeof(line) - len, "%4d",
					node_distance((int)nid, (int)i));
		pr_info("%s\n", line);
	}
}

// SPDX-License-Identifier: MIT
/*
 * Looking at the live kernel page tables: a ptdump in Linux's format, the
 * W+X check, and a one-screen map of the address space.
 *
 * Theory of operation. All three are clients of one walker, walk_range(),
 * which visits the kernel's PML4 in address order and calls back once per
 * *leaf* (a 4 KiB PTE, a 2 MiB or 1 GiB large page) and once per *absent*
 * entry (not present, at whatever level the walk found it missing):
 *
 *   PML4[i] absent ----------------------------> visit(va, 512G, pgd, absent)
 *   PML4[i] -> PDPT[j] absent -----------------> visit(va,   1G, pud, absent)
 *               PDPT[j] PSE -------------------> visit(va,   1G, pud, leaf)
 *               PDPT[j] -> PD[k] PSE ----------> visit(va,   2M, pmd, leaf)
 *                           PD[k] -> PT[l] ----> visit(va,   4K, pte, ...)
 *
 * so an unmapped 512 GiB slot costs one call, never 2^27 of them: a walk of
 * the whole kernel half touches only the tables that exist. Along the way
 * the walker folds the permissions of every level into "effective" flags
 * (RW and USR only if every level grants them, NX if any level sets it) --
 * that is what the CPU enforces and what the W+X check must judge.
 *
 * ptdump merges consecutive visits with equal attributes and level into one
 * line, and cuts runs at the section markers (cutting an absent entry that
 * straddles a marker, so each section starts exactly at its documented
 * address). Nothing here allocates or changes the tables; callers must keep
 * the tables still while a walk runs (single CPU, no concurrent mapping).
 */
#include "arch/x86_64/ptdump.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/layout.h"
#include "mm/port.h"
#include "kmm/printk.h"
#include "kmm/string.h"

/* ---- the walker ---------------------------------------------------------- */

/* Attributes shown by ptdump, normalised (bit 7 means PSE or PAT by level). */
#define ATTR_PRESENT BIT(0)
#define ATTR_USER    BIT(1)
#define ATTR_RW      BIT(2)
#define ATTR_PWT     BIT(3)
#define ATTR_PCD     BIT(4)
#define ATTR_PSE     BIT(5)
#define ATTR_PAT     BIT(6)
#define ATTR_GLB     BIT(7)
#define ATTR_NX      BIT(8)

/* One visit: a leaf (ATTR_PRESENT set) or an absent entry (attrs == 0). */
struct pt_visit {
	unsigned long va;
	unsigned long size;
	enum pg_level level;
	unsigned long attrs;     /* of the entry itself */
	unsigned long eff_attrs; /* folded over all levels (USR, RW, NX) */
	u64 entry;
};

struct pt_walker {
	void (*visit)(struct pt_walker *w, const struct pt_visit *v);
	unsigned long tables; /* page-table pages below the PML4 */
};

#define VA_BITS (PGDIR_SHIFT + 9)

/* Bits 63..VA_BITS copy bit VA_BITS-1: the canonical form of @va. */
static unsigned long canonical(unsigned long va)
{
	return (unsigned long)((long)(va << (64 - VA_BITS)) >> (64 - VA_BITS));
}

static unsigned long entry_attrs(u64 e, enum pg_level level)
{
	unsigned long a = ATTR_PRESENT;

	if (!(e & _PAGE_PRESENT))
		return 0;
	if (e & _PAGE_USER)
		a |= ATTR_USER;
	if (e & _PAGE_RW)
		a |= ATTR_RW;
	if (e & _PAGE_PWT)
		a |= ATTR_PWT;
	if (e & _PAGE_PCD)
		a |= ATTR_PCD;
	if (e & _PAGE_GLOBAL)
		a |= ATTR_GLB;
	if (e & _PAGE_NX)
		a |= ATTR_NX;
	if (level == PG_LEVEL_4K) {
		if (e & _PAGE_PAT)
			a |= ATTR_PAT;
	} else {
		if (e & _PAGE_PSE)
			a |= ATTR_PSE;
		if (e & _PAGE_PAT_LARGE)
			a |= ATTR_PAT;
	}
	return a;
}

static bool is_leaf(u64 e, enum pg_level level)
{
	return level == PG_LEVEL_4K ||
	       (level <= PG_LEVEL_1G && (e & _PAGE_PSE));
}

/*
 * Visit entries [first, last] of @table (at @level, its entry 0 mapping
 * @base). @eff carries USR/RW as granted so far and NX as set so far.
 */
static void walk_table(struct pt_walker *w, const u64 *table,
		       enum pg_level level, unsigned long base,
		       unsigned int first, unsigned int last, unsigned long eff)
{
	unsigned long size = page_level_size(level);
	unsigned int i;

	for (i = first; i <= last; i++) {
		u64 e = table[i];
		unsigned long va = canonical(base + i * size);
		unsigned long a = entry_attrs(e, level);
		unsigned long ea;

		if (!a) {
			struct pt_visit v = { va, size, level, 0, 0, 0 };

			w->visit(w, &v);
			continue;
		}
		ea = (eff & a & (ATTR_USER | ATTR_RW)) | ((eff | a) & ATTR_NX);
		if (is_leaf(e, level)) {
			struct pt_visit v = { va, size, level, a,
					      ea | ATTR_PRESENT, e };

			w->visit(w, &v);
			continue;
		}
		w->tables++;
		walk_table(w, __va(e & PTE_ADDR_MASK), level - 1, va, 0,
			   PTRS_PER_TABLE - 1, ea);
	}
}

/* Walk PML4 entries [first, last] of the kernel's tables. */
static void walk_range(struct pt_walker *w, unsigned int first,
		       unsigned int last)
{
	walk_table(w, kernel_pml4, PG_LEVEL_512G, 0, first, last,
		   ATTR_USER | ATTR_RW);
}

#define PGD_KERNEL_FIRST ((KERNEL_SPACE_START >> PGDIR_SHIFT) & (PTRS_PER_TABLE - 1))

static void walk_kernel_half(struct pt_walker *w)
{
	walk_range(w, PGD_KERNEL_FIRST, PTRS_PER_TABLE - 1);
}

/* ---- ptdump ------------------------------------------------------------- */

struct marker {
	unsigned long start;
	const char *name;
};

/* Linux's x86_64 section markers, at the documented addresses (layout.h). */
static const struct marker markers[] = {
	{ KERNEL_SPACE_START, "Kernel Space" },
	{ LDT_REMAP_START, "LDT remap" },
	{ PAGE_OFFSET, "Low Kernel Mapping" },
	{ VMALLOC_BASE, "vmalloc() Area" },
	{ KFENCE_POOL_START, "KFENCE pool" },
	{ KFENCE_POOL_END, "End KFENCE pool" },
	{ VMEMMAP_BASE, "Vmemmap" },
	{ KASAN_SHADOW_START, "KASAN shadow" },
	{ CPU_ENTRY_AREA_BASE, "CPU entry Area" },
	{ ESPFIX_BASE, "ESPfix Area" },
	{ EFI_VA_START, "EFI Runtime Services" },
	{ __START_KERNEL_map, "High Kernel Mapping" },
	{ MODULES_VADDR, "Modules" },
	{ MODULES_END, "End Modules" },
	{ FIXADDR_START, "Fixmap Area" },
};

static const char *const level_name[PG_LEVEL_NUM] = {
	[PG_LEVEL_NONE] = "???",
	[PG_LEVEL_4K] = "pte",
	[PG_LEVEL_2M] = "pmd",
	[PG_LEVEL_1G] = "pud",
	[PG_LEVEL_512G] = "pgd",
};

struct ptdump_state {
	struct pt_walker w;
	bool started;
	unsigned long start;     /* of the run being accumulated */
	unsigned long attrs;
	enum pg_level level;
	unsigned int next_marker; /* first marker not yet printed */
};

/* The fixed-column flags of Linux's ptdump; 30 blanks when not present. */
static void format_flags(char *buf, size_t len, unsigned long a)
{
	if (!(a & ATTR_PRESENT)) {
		snprintf(buf, len, "%30s", "");
		return;
	}
	snprintf(buf, len, "%s%s%s%s%s%s%s%s",
		 a & ATTR_USER ? "USR " : "    ",
		 a & ATTR_RW ? "RW " : "ro ",
		 a & ATTR_PWT ? "PWT " : "    ",
		 a & ATTR_PCD ? "PCD " : "    ",
		 a & ATTR_PSE ? "PSE " : "    ",
		 a & ATTR_PAT ? "PAT " : "    ",
		 a & ATTR_GLB ? "GLB " : "    ",
		 a & ATTR_NX ? "NX " : "x  ");
}

/* Print the run [st->start, end); @end may be 0, the top of the space. */
static void print_run(const struct ptdump_state *st, unsigned long end)
{
	static const char units[] = "BKMGTPE";
	unsigned long delta = end - st->start;
	const char *unit = units;
	char flags[40];

	while (!(delta & 1023) && unit[1]) {
		delta >>= 10;
		unit++;
	}
	format_flags(flags, sizeof(flags), st->attrs);
	printk(KERN_INFO "0x%016lx-0x%016lx   %9lu%c %s%s\n", st->start, end,
	       delta, *unit, flags, level_name[st->level]);
}

static void print_markers_upto(struct ptdump_state *st, unsigned long va)
{
	while (st->next_marker < ARRAY_SIZE(markers) &&
	       markers[st->next_marker].start <= va) {
		printk(KERN_INFO "---[ %s ]---\n", markers[st->next_marker].name);
		st->next_marker++;
	}
}

/* Extend the current run with [va, va+size), or close it and start anew. */
static void note(struct ptdump_state *st, unsigned long va, enum pg_level level,
		 unsigned long attrs)
{
	bool crosses = st->next_marker < ARRAY_SIZE(markers) &&
		       markers[st->next_marker].start <= va;

	if (st->started && !crosses && attrs == st->attrs && level == st->level)
		return;
	if (st->started)
		print_run(st, va);
	print_markers_upto(st, va);
	st->started = true;
	st->start = va;
	st->attrs = attrs;
	st->level = level;
}

static void ptdump_visit(struct pt_walker *w, const struct pt_visit *v)
{
	struct ptdump_state *st = container_of(w, struct ptdump_state, w);
	unsigned long va = v->va, last = v->va + (v->size - 1);

	/* Cut an entry that straddles a marker, so sections start on time. */
	while (st->next_marker < ARRAY_SIZE(markers) &&
	       markers[st->next_marker].start > va &&
	       markers[st->next_marker].start <= last) {
		note(st, va, v->level, v->attrs);
		va = markers[st->next_marker].start;
	}
	note(st, va, v->level, v->attrs);
}

void ptdump_show_kernel(void)
{
	struct ptdump_state st = { .w = { .visit = ptdump_visit } };

	walk_kernel_half(&st.w);
	if (st.started)
		print_run(&st, 0); /* up to the top: the end wraps to 0 */
}

/* ---- the W+X check ------------------------------------------------------ */

struct wx_state {
	struct pt_walker w;
	unsigned long pages;      /* W+X 4 KiB pages so far */
	unsigned long run_start, run_end; /* the W+X range being merged */
	bool in_run;
};

static void wx_report(struct wx_state *st)
{
	pr_warn("x86/mm: Found insecure W+X mapping at address %016lx-%016lx (%pS)\n",
		st->run_start, st->run_end, (void *)st->run_start);
	st->in_run = false;
}

static void wx_visit(struct pt_walker *w, const struct pt_visit *v)
{
	struct wx_state *st = container_of(w, struct wx_state, w);
	bool wx = (v->eff_attrs & ATTR_PRESENT) && (v->eff_attrs & ATTR_RW) &&
		  !(v->eff_attrs & ATTR_NX);

	if (st->in_run && (!wx || v->va != st->run_end))
		wx_report(st);
	if (!wx)
		return;
	st->pages += v->size / PAGE_SIZE;
	if (!st->in_run) {
		st->in_run = true;
		st->run_start = v->va;
	}
	st->run_end = v->va + v->size;
}

unsigned long ptdump_check_wx(void)
{
	struct wx_state st = { .w = { .visit = wx_visit } };

	walk_kernel_half(&st.w);
	if (st.in_run)
		wx_report(&st);
	if (st.pages)
		pr_warn("x86/mm: Checked W+X mappings: FAILED, %lu W+X pages found.\n",
			st.pages);
	else
		pr_info("x86/mm: Checked W+X mappings: passed, no W+X pages found.\n");
	return st.pages;
}

/* ---- the layout map ----------------------------------------------------- */

struct region {
	const char *name;
	unsigned long start, end; /* [start, end); end 0 is the top of the space */
};

/* The documented regions of the kernel half (layout.h), in address order. */
static const struct region kernel_regions[] = {
	{ "guard hole", GUARD_HOLE_START, GUARD_HOLE_END },
	{ "LDT remap", LDT_REMAP_START, LDT_REMAP_END },
	{ "direct map", PAGE_OFFSET, DIRECT_MAP_END },
	{ "vmalloc", VMALLOC_BASE, VMALLOC_LIMIT },
	{ "KFENCE pool", KFENCE_POOL_START, KFENCE_POOL_END },
	{ "vmemmap", VMEMMAP_BASE, VMEMMAP_BASE + VMEMMAP_SIZE },
	{ "KASAN shadow", KASAN_SHADOW_START, KASAN_SHADOW_END },
	{ "cpu_entry_area", CPU_ENTRY_AREA_BASE, CPU_ENTRY_AREA_END },
	{ "ESPfix stacks", ESPFIX_BASE, ESPFIX_END },
	{ "EFI runtime", EFI_VA_START, EFI_VA_END },
	{ "kernel image", __START_KERNEL_map, __START_KERNEL_map + KERNEL_IMAGE_SIZE },
	{ "modules", MODULES_VADDR, MODULES_END },
	{ "fixmap", FIXADDR_START, FIXADDR_TOP },
	{ "vsyscall", VSYSCALL_ADDR, VSYSCALL_ADDR + PAGE_SIZE },
};

#define MAX_ROWS (2 * ARRAY_SIZE(kernel_regions) + 1)

struct row {
	struct region r;
	unsigned long count[PG_LEVEL_NUM]; /* leaves at each level */
	unsigned long lo, hi;               /* mapped extent [lo, hi) */
	unsigned long bytes;
};

struct layout_state {
	struct pt_walker w;
	struct row *rows;
	unsigned int nr, cur;
};

/* Does [start, end) (end 0 = top) contain @va? */
static bool region_has(const struct region *r, unsigned long va)
{
	return va >= r->start && (r->end == 0 || va < r->end);
}

static void layout_visit(struct pt_walker *w, const struct pt_visit *v)
{
	struct layout_state *st = container_of(w, struct layout_state, w);
	struct row *row;

	if (!v->attrs)
		return;
	/* Visits come in address order: the right row is here or later. */
	while (st->cur < st->nr && !region_has(&st->rows[st->cur].r, v->va))
		st->cur++;
	if (st->cur == st->nr)
		return;
	row = &st->rows[st->cur];
	if (!row->bytes)
		row->lo = v->va;
	row->hi = v->va + v->size;
	row->bytes += v->size;
	row->count[v->level]++;
}

/*
 * @bytes for people: exact in the largest unit that keeps it under 10000
 * ("1520 MiB", "6080 KiB"), else to a tenth of the largest unit ("5.9 GiB").
 */
static void format_size(char *buf, size_t len, unsigned long bytes)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB",
					     "PiB", "EiB" };
	unsigned int u, top = 0;

	while (top + 1 < ARRAY_SIZE(unit) && bytes >> (10 * (top + 1)))
		top++;
	for (u = top + 1; u-- > 0;) {
		unsigned long scale = 1UL << (10 * u);

		if (bytes % scale == 0 && bytes / scale < 10000) {
			snprintf(buf, len, "%lu %s", bytes / scale, unit[u]);
			return;
		}
	}
	snprintf(buf, len, "%lu.%lu %s", bytes >> (10 * top),
		 ((bytes & ((1UL << (10 * top)) - 1)) * 10) >> (10 * top), unit[top]);
}

static void format_counts(char *buf, size_t len, const struct row *row)
{
	static const char *const name[PG_LEVEL_NUM] = {
		[PG_LEVEL_4K] = "4K", [PG_LEVEL_2M] = "2M", [PG_LEVEL_1G] = "1G",
		[PG_LEVEL_512G] = "512G",
	};
	size_t pos = 0;
	int l;

	buf[0] = '\0';
	for (l = PG_LEVEL_512G; l >= PG_LEVEL_4K && pos < len; l--) {
		if (!row->count[l])
			continue;
		pos += snprintf(buf + pos, len - pos, "%s%s x %lu",
				pos ? ", " : "", name[l], row->count[l]);
	}
}

static void print_row(const struct row *row, const char *empty)
{
	char size[24], mapped[24], counts[64];

	format_size(size, sizeof(size), row->r.end - row->r.start);
	if (!row->bytes) {
		printk(KERN_INFO "  %016lx-%016lx %10s  %-15s %s\n",
		       row->r.start, row->r.end - 1, size, row->r.name, empty);
		return;
	}
	format_size(mapped, sizeof(mapped), row->bytes);
	format_counts(counts, sizeof(counts), row);
	printk(KERN_INFO "  %016lx-%016lx %10s  %-15s %s mapped, %s\n",
	       row->r.start, row->r.end - 1, size, row->r.name, mapped, counts);
	printk(KERN_INFO "  %33s  %-15s at %016lx-%016lx\n", "", "", row->lo,
	       row->hi - 1);
}

void layout_map_show(void)
{
	struct row rows[MAX_ROWS];
	struct layout_state st = { .w = { .visit = layout_visit }, .rows = rows };
	struct row user = { .r = { "user space", 0, USER_SPACE_END + PAGE_SIZE } };
	struct layout_state ust = { .w = { .visit = layout_visit }, .rows = &user,
				    .nr = 1 };
	unsigned long prev = KERNEL_SPACE_START, tables;
	char hole[24];
	unsigned int i;

	memset(rows, 0, sizeof(rows));
	for (i = 0; i < ARRAY_SIZE(kernel_regions); i++) {
		if (kernel_regions[i].start > prev)
			rows[st.nr++].r = (struct region){ "(unused hole)", prev,
							   kernel_regions[i].start };
		rows[st.nr++].r = kernel_regions[i];
		prev = kernel_regions[i].end;
	}
	if (prev != 0)
		rows[st.nr++].r = (struct region){ "(unused hole)", prev, 0 };

	walk_range(&ust.w, 0, PGD_KERNEL_FIRST - 1);
	walk_kernel_half(&st.w);

	printk(KERN_INFO "kmm: virtual address space, from the live page tables (4-level, 48-bit):\n");
	print_row(&user, "empty");
	format_size(hole, sizeof(hole), KERNEL_SPACE_START - user.r.end);
	printk(KERN_INFO "  %016lx-%016lx %10s  %-15s %s\n", user.r.end,
	       KERNEL_SPACE_START - 1, hole, "non-canonical", "cannot be mapped");
	for (i = 0; i < st.nr; i++)
		print_row(&rows[i], rows[i].r.name[0] == '(' ? "-" : "reserved, empty");
	tables = 1 + st.w.tables + ust.w.tables;
	printk(KERN_INFO "  page tables: %lu pages (%lu KiB), the PML4 included\n",
	       tables, tables * (PAGE_SIZE >> 10));
}

// SPDX-License-Identifier: MIT
/*
 * Looking at the live kernel page tables: a ptdump in Linux's format, the
 * W+X check, and a one-screen map of the address space.
 *
 * Theory of operation. All three are clients of one walker, walk_range(),
 * which visits the kernel's top table in address order and calls back once
 * per *leaf* (a 4 KiB PTE, a 2 MiB or 1 GiB large page) and once per
 * *absent* entry (not present, at whatever level the walk found it missing).
 * With 4-level paging:
 *
 *   PML4[i] absent ----------------------------> visit(va, 512G, pgd, absent)
 *   PML4[i] -> PDPT[j] absent -----------------> visit(va,   1G, pud, absent)
 *               PDPT[j] PSE -------------------> visit(va,   1G, pud, leaf)
 *               PDPT[j] -> PD[k] PSE ----------> visit(va,   2M, pmd, leaf)
 *                           PD[k] -> PT[l] ----> visit(va,   4K, pte, ...)
 *
 * With 5-level paging a PML5 (pgd, 256 TiB per entry) sits on top and the
 * PML4 becomes the p4d level, as in Linux's ptdump.
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
#include "arch/x86_64/mem_layout.h"
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

/* Bits 63..57 (or 48) copy bit 56 (or 47): the canonical form of @va. */
static unsigned long canonical(unsigned long va)
{
	unsigned int shift = 63 - __VIRTUAL_MASK_SHIFT;

	return (unsigned long)((long)(va << shift) >> shift);
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

/* Walk top-level entries [first, last] of the kernel's tables. */
static void walk_range(struct pt_walker *w, unsigned int first,
		       unsigned int last)
{
	walk_table(w, kernel_pml4, pgtable_top_level(), 0, first, last,
		   ATTR_USER | ATTR_RW);
}

/* The kernel half starts at top-level entry 256 in both modes. */
#define PGD_KERNEL_FIRST (PTRS_PER_TABLE / 2)
_Static_assert(((KERNEL_SPACE_START_L4 >> 39) & 511) == 256 &&
	       ((KERNEL_SPACE_START_L5 >> 48) & 511) == 256,
	       "the kernel half is the top table's upper half");

static void walk_kernel_half(struct pt_walker *w)
{
	walk_range(w, PGD_KERNEL_FIRST, PTRS_PER_TABLE - 1);
}

/* ---- ptdump ------------------------------------------------------------- */

struct marker {
	unsigned long start;
	const char *name;
};

/*
 * Linux's x86_64 section markers, at this boot's addresses (layout.h): the
 * paging depth and KASLR move some, so they are filled in at each dump, as
 * Linux's pt_dump_init() does, in address order. As in Linux, where memory
 * KASLR runs there is no KASAN shadow (its place may hold vmalloc or
 * vmemmap), so no marker for it.
 */
#define MAX_MARKERS 15
static struct marker markers[MAX_MARKERS];
static unsigned int nr_markers;

static void markers_init(void)
{
	unsigned int n = 0;

#define MARK(addr, name) markers[n++] = (struct marker){ addr, name }
	MARK(KERNEL_SPACE_START, "Kernel Space");
	MARK(LDT_REMAP_START, "LDT remap");
	MARK(PAGE_OFFSET, "Low Kernel Mapping");
	MARK(VMALLOC_BASE, "vmalloc() Area");
	MARK(VMEMMAP_BASE, "Vmemmap");
	if (!kaslr_memory_enabled)
		MARK(KASAN_SHADOW_START, "KASAN shadow");
	MARK(CPU_ENTRY_AREA_BASE, "CPU entry Area");
	MARK(KFENCE_POOL_START, "KFENCE pool");
	MARK(KFENCE_POOL_END, "End KFENCE pool");
	MARK(ESPFIX_BASE, "ESPfix Area");
	MARK(EFI_VA_START, "EFI Runtime Services");
	MARK(__START_KERNEL_map, "High Kernel Mapping");
	MARK(MODULES_VADDR, "Modules");
	MARK(MODULES_END, "End Modules");
	MARK(FIXADDR_START, "Fixmap Area");
#undef MARK
	nr_markers = n;
}

static const char *level_name(enum pg_level level)
{
	static const char *const name[PG_LEVEL_NUM] = {
		[PG_LEVEL_NONE] = "???",
		[PG_LEVEL_4K] = "pte",
		[PG_LEVEL_2M] = "pmd",
		[PG_LEVEL_1G] = "pud",
		[PG_LEVEL_512G] = "p4d",
		[PG_LEVEL_256T] = "pgd",
	};

	/* The top level is Linux's pgd whichever table it is. */
	return level == pgtable_top_level() ? "pgd" : name[level];
}

struct ptdump_state {
	struct pt_walker w;
	bool started;
	unsigned long start;     /* of the run being accumulated */
	unsigned long attrs;
	enum pg_level level;
	unsigned int next_marker; /* first marker not yet printed */
	unsigned long lo, hi;     /* the range shown, inclusive */
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
	       delta, *unit, flags, level_name(st->level));
}

static void print_markers_upto(struct ptdump_state *st, unsigned long va)
{
	while (st->next_marker < nr_markers &&
	       markers[st->next_marker].start <= va) {
		printk(KERN_INFO "---[ %s ]---\n", markers[st->next_marker].name);
		st->next_marker++;
	}
}

/* Extend the current run with [va, va+size), or close it and start anew. */
static void note(struct ptdump_state *st, unsigned long va, enum pg_level level,
		 unsigned long attrs)
{
	bool crosses = st->next_marker < nr_markers &&
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

	if (last < st->lo || va > st->hi)
		return;
	if (va < st->lo)
		va = st->lo;
	if (last > st->hi)
		last = st->hi;

	/* Cut an entry that straddles a marker, so sections start on time. */
	while (st->next_marker < nr_markers &&
	       markers[st->next_marker].start > va &&
	       markers[st->next_marker].start <= last) {
		note(st, va, v->level, v->attrs);
		va = markers[st->next_marker].start;
	}
	note(st, va, v->level, v->attrs);
}

void ptdump_show_kernel(void)
{
	struct ptdump_state st = { .w = { .visit = ptdump_visit },
				   .lo = KERNEL_SPACE_START, .hi = ~0UL };

	markers_init();
	walk_kernel_half(&st.w);
	if (st.started)
		print_run(&st, 0); /* up to the top: the end wraps to 0 */
}

int ptdump_show_range(unsigned long start, unsigned long end)
{
	struct ptdump_state st = { .w = { .visit = ptdump_visit },
				   .lo = start, .hi = end - 1 };

	if (start < KERNEL_SPACE_START || (end && end <= start) ||
	    (start | end) & (PAGE_SIZE - 1))
		return -EINVAL;
	/*
	 * The markers of this boot's layout, even if no whole dump ran yet;
	 * only the first nr_markers are valid (KASLR leaves one slot unused).
	 */
	markers_init();
	/* The section the range starts in gets its header too. */
	while (st.next_marker + 1 < nr_markers &&
	       markers[st.next_marker + 1].start <= start)
		st.next_marker++;
	walk_range(&st.w, pt_index(start, pgtable_top_level()),
		   pt_index(end - 1, pgtable_top_level()));
	if (st.started)
		print_run(&st, end);
	return 0;
}

/* ---- one translation, level by level ------------------------------------ */

bool ptdump_show_walk(unsigned long va)
{
	static const char *const table_name[PG_LEVEL_NUM] = {
		[PG_LEVEL_256T] = "PML5", [PG_LEVEL_512G] = "PML4", [PG_LEVEL_1G] = "PDPT",
		[PG_LEVEL_2M] = "PD", [PG_LEVEL_4K] = "PT",
	};
	phys_addr_t table_pa = kernel_pml4_phys;
	enum pg_level level;
	char flags[40];

	printk(KERN_INFO "vtop %#lx: cr3 table %#llx\n", va,
	       (unsigned long long)table_pa);
	if (canonical(va) != va) {
		printk(KERN_INFO "  %#lx is not canonical: no translation\n", va);
		return false;
	}
	for (level = pgtable_top_level(); level >= PG_LEVEL_4K; level--) {
		unsigned int i = pt_index(va, level);
		u64 e = ((const u64 *)__va(table_pa))[i];
		unsigned long a = entry_attrs(e, level);

		if (a && !is_leaf(e, level))
			a &= ~(ATTR_PSE | ATTR_PAT); /* bit 12 is the table's address */
		format_flags(flags, sizeof(flags), a);
		printk(KERN_INFO "  %-4s %#llx[%3u] = %016llx %s%s\n",
		       table_name[level], (unsigned long long)table_pa, i,
		       (unsigned long long)e, a ? flags : "not present ",
		       level_name(level));
		if (!a) {
			printk(KERN_INFO "  %#lx is not mapped (no %s entry)\n", va,
			       level_name(level));
			return false;
		}
		if (is_leaf(e, level)) {
			unsigned long size = page_level_size(level);
			phys_addr_t base = (e & PTE_ADDR_MASK) & ~(u64)(size - 1);

			printk(KERN_INFO "  %#lx -> phys %#llx (%lu KiB page at %#llx, offset %#lx)\n",
			       va, (unsigned long long)(base + (va & (size - 1))),
			       size >> 10, (unsigned long long)base, va & (size - 1));
			return true;
		}
		table_pa = e & PTE_ADDR_MASK;
	}
	return false;
}

/* ---- the W+X check ------------------------------------------------------ */

/*
 * With NX, a W+X page is one writable at every level with NX at none. A CPU
 * without NX executes every mapped page, so every writable page is W+X and
 * nothing can change that: the check then says so, counts them, and judges
 * only what it can still prove, that no page of the kernel's text (the code
 * meant to run) is writable.
 */
extern char _text[], _etext[];

struct wx_state {
	struct pt_walker w;
	bool nx;                  /* the CPU enforces no-execute */
	unsigned long pages;      /* W+X 4 KiB pages so far (text only without NX) */
	unsigned long writable;   /* without NX: all writable 4 KiB pages */
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

	if (!st->nx) {
		if (wx)
			st->writable += v->size / PAGE_SIZE;
		wx = wx && v->va < (unsigned long)_etext &&
		     v->va + (v->size - 1) >= (unsigned long)_text;
	}
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
	struct wx_state st = { .w = { .visit = wx_visit },
			       .nx = __supported_pte_mask & _PAGE_NX };

	walk_kernel_half(&st.w);
	if (st.in_run)
		wx_report(&st);
	if (!st.nx) {
		pr_info("x86/mm: Checked W+X mappings: NX absent, so W^X cannot be enforced: all %lu writable pages are executable\n",
			st.writable);
		if (st.pages)
			pr_warn("x86/mm: Checked W+X mappings: FAILED, %lu writable kernel text pages found.\n",
				st.pages);
		else
			pr_info("x86/mm: Checked W+X mappings: passed what can be proved without NX: no writable kernel text.\n");
		return st.pages;
	}
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

/*
 * The regions of the kernel half (layout.h), in address order, at this
 * boot's addresses. Under KASLR the KASAN shadow's documented place may
 * hold vmalloc or vmemmap, so it is not listed (Linux, too, randomises the
 * regions only without KASAN).
 */
static unsigned int kernel_regions(struct region *r)
{
	unsigned int n = 0;

	r[n++] = (struct region){ "guard hole", GUARD_HOLE_START, GUARD_HOLE_END };
	r[n++] = (struct region){ "LDT remap", LDT_REMAP_START, LDT_REMAP_END };
	r[n++] = (struct region){ "direct map", PAGE_OFFSET, DIRECT_MAP_END };
	r[n++] = (struct region){ "vmalloc", VMALLOC_BASE, VMALLOC_LIMIT };
	r[n++] = (struct region){ "vmemmap", VMEMMAP_BASE, VMEMMAP_BASE + vmemmap_size };
	if (!kaslr_memory_enabled)
		r[n++] = (struct region){ "KASAN shadow", KASAN_SHADOW_START,
					  KASAN_SHADOW_END };
	r[n++] = (struct region){ "cpu_entry_area", CPU_ENTRY_AREA_BASE, CPU_ENTRY_AREA_END };
	r[n++] = (struct region){ "KFENCE pool", KFENCE_POOL_START, KFENCE_POOL_END };
	r[n++] = (struct region){ "ESPfix stacks", ESPFIX_BASE, ESPFIX_END };
	r[n++] = (struct region){ "EFI runtime", EFI_VA_START, EFI_VA_END };
	r[n++] = (struct region){ "kernel image", __START_KERNEL_map,
				  __START_KERNEL_map + KERNEL_IMAGE_SIZE };
	r[n++] = (struct region){ "modules", MODULES_VADDR, MODULES_END };
	r[n++] = (struct region){ "fixmap", FIXADDR_START, FIXADDR_TOP };
	r[n++] = (struct region){ "vsyscall", VSYSCALL_ADDR, VSYSCALL_ADDR + PAGE_SIZE };
	return n;
}

#define MAX_REGIONS 14
#define MAX_ROWS (2 * MAX_REGIONS + 1)

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
		[PG_LEVEL_512G] = "512G", [PG_LEVEL_256T] = "256T",
	};
	size_t pos = 0;
	int l;

	buf[0] = '\0';
	for (l = PG_LEVEL_256T; l >= PG_LEVEL_4K && pos < len; l--) {
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
	struct region regions[MAX_REGIONS];
	struct layout_state st = { .w = { .visit = layout_visit }, .rows = rows };
	struct row user = { .r = { "user space", 0, USER_SPACE_END + PAGE_SIZE } };
	struct layout_state ust = { .w = { .visit = layout_visit }, .rows = &user,
				    .nr = 1 };
	unsigned long prev = KERNEL_SPACE_START, tables;
	unsigned int i, nr_regions = kernel_regions(regions);
	char hole[24];

	memset(rows, 0, sizeof(rows));
	for (i = 0; i < nr_regions; i++) {
		if (regions[i].start > prev)
			rows[st.nr++].r = (struct region){ "(unused hole)", prev,
							   regions[i].start };
		rows[st.nr++].r = regions[i];
		prev = regions[i].end;
	}
	if (prev != 0)
		rows[st.nr++].r = (struct region){ "(unused hole)", prev, 0 };

	walk_range(&ust.w, 0, PGD_KERNEL_FIRST - 1);
	walk_kernel_half(&st.w);

	printk(KERN_INFO "kmm: virtual address space, from the live page tables (%d-level, %d-bit: %s; %s):\n",
	       pgtable_l5_enabled() ? 5 : 4, pgtable_l5_enabled() ? 57 : 48,
	       paging_mode_reason, kaslr_memory_enabled ? "KASLR" : "nokaslr");
	print_row(&user, "empty");
	format_size(hole, sizeof(hole), KERNEL_SPACE_START - user.r.end);
	printk(KERN_INFO "  %016lx-%016lx %10s  %-15s %s\n", user.r.end,
	       KERNEL_SPACE_START - 1, hole, "non-canonical", "cannot be mapped");
	for (i = 0; i < st.nr; i++)
		print_row(&rows[i], rows[i].r.name[0] == '(' ? "-" : "reserved, empty");
	tables = 1 + st.w.tables + ust.w.tables;
	printk(KERN_INFO "  page tables: %lu pages (%lu KiB), the %s included\n",
	       tables, tables * (PAGE_SIZE >> 10),
	       pgtable_l5_enabled() ? "PML5" : "PML4");
}

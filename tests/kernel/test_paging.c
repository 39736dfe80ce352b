// SPDX-License-Identifier: MIT
/*
 * Self-tests for the kernel's address space: that the layout is the
 * documented one, that the live page tables map what they should (RAM in the
 * direct map with the largest pages alignment allows, the image with per-
 * section permissions, nothing in the user half) and nothing else, and that
 * the protections really hold -- each forbidden access is performed through
 * a probe (probe.h), must fault, and is reported as an expected fault.
 *
 *   layout          static facts of layout.h against Linux's mm.rst
 *   paging          the live tables, the CPU protections, the mapping API,
 *                   the fixmap, ptdump and the W+X check
 *   stack_overflow  (default off) recurse into the guard page: the harness
 *                   expects a panic (exit 37) saying "kernel stack overflow"
 *
 * Command-line facts a harness may pass (read here, accepted by kmain):
 *   expect_gbpages=0|1   the CPU the harness chose does (not) have 1 GiB pages
 *   expect_la57=0|1      the kernel must run 5-level paging (or not)
 *   expect_nx=0|1        the CPU the harness chose does (not) have NX
 *
 * On a CPU without NX nothing is no-execute: the expected bits drop NX
 * (__supported_pte_mask), the exec probes must *run* (proving the absence
 * the boot log reports), and the W+X check judges only the kernel text.
 */
#include "kernel/ktest.h"
#include "kernel/cmdline.h"
#include "boot/boot_info.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/ptdump.h"
#include "arch/x86_64/probe.h"
#include "arch/x86_64/traps.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fixmap.h"
#include "arch/x86_64/mem_layout.h"
#include "mm/memblock.h"
#include "mm/port.h"
#include "mm/mm.h"
#include "mm/mm_types.h"
#include "mm/vmalloc.h"
#include "kmm/string.h"
#include "kmm/errno.h"

extern char _text[], _etext[], _rodata[], _erodata[], _data[], _edata[];
extern char _bss[], _ebss[], __kallsyms_start[], _kernel_end[];
extern char boot_stack_guard[], boot_stack_bottom[];

/* ---- layout: the documented addresses ------------------------------------ */

/* Canonical in this boot's paging mode: bits 63.. copy bit 47 (or 56). */
static bool is_canonical(unsigned long x)
{
	unsigned long top = x >> __VIRTUAL_MASK_SHIFT;

	return top == 0 || top == (~0UL >> __VIRTUAL_MASK_SHIFT);
}

/*
 * The rows of Linux's Documentation/arch/x86/x86_64/mm.rst, start and last
 * byte, next to this boot's values that must reproduce them. The direct map,
 * vmalloc and vmemmap rows hold Linux's fixed bases: they must match under
 * `nokaslr`, and bound the KASLR window otherwise.
 */
struct doc_region {
	const char *name;
	unsigned long start, end;       /* ours: [start, end) */
	unsigned long doc_start, doc_last;
	bool randomised;                /* moved by KASLR */
};

static unsigned int doc_regions(struct doc_region *r)
{
	bool l5 = pgtable_l5_enabled();
	unsigned int n = 0;

#define ROW(name, s, e, ds, dl, rnd) \
	r[n++] = (struct doc_region){ name, s, e, ds, dl, rnd }
	if (l5) {
		ROW("guard hole", GUARD_HOLE_START, GUARD_HOLE_END,
		    0xff00000000000000UL, 0xff0fffffffffffffUL, false);
		ROW("LDT remap", LDT_REMAP_START, LDT_REMAP_END,
		    0xff10000000000000UL, 0xff10ffffffffffffUL, false);
		ROW("direct map", PAGE_OFFSET, DIRECT_MAP_END,
		    0xff11000000000000UL, 0xff90ffffffffffffUL, true);
		ROW("vmalloc", VMALLOC_BASE, VMALLOC_LIMIT,
		    0xffa0000000000000UL, 0xffd1ffffffffffffUL, true);
		ROW("vmemmap", VMEMMAP_BASE, VMEMMAP_BASE + vmemmap_size,
		    0xffd4000000000000UL, 0xffd5ffffffffffffUL, true);
		ROW("KASAN shadow", KASAN_SHADOW_START, KASAN_SHADOW_END,
		    0xffdf000000000000UL, 0xfffffbffffffffffUL, false);
	} else {
		ROW("guard hole", GUARD_HOLE_START, GUARD_HOLE_END,
		    0xffff800000000000UL, 0xffff87ffffffffffUL, false);
		ROW("LDT remap", LDT_REMAP_START, LDT_REMAP_END,
		    0xffff880000000000UL, 0xffff887fffffffffUL, false);
		ROW("direct map", PAGE_OFFSET, DIRECT_MAP_END,
		    0xffff888000000000UL, 0xffffc87fffffffffUL, true);
		ROW("vmalloc", VMALLOC_BASE, VMALLOC_LIMIT,
		    0xffffc90000000000UL, 0xffffe8ffffffffffUL, true);
		ROW("vmemmap", VMEMMAP_BASE, VMEMMAP_BASE + vmemmap_size,
		    0xffffea0000000000UL, 0xffffeaffffffffffUL, true);
		ROW("KASAN shadow", KASAN_SHADOW_START, KASAN_SHADOW_END,
		    0xffffec0000000000UL, 0xfffffbffffffffffUL, false);
	}
	ROW("cpu_entry_area", CPU_ENTRY_AREA_BASE, CPU_ENTRY_AREA_END,
	    0xfffffe0000000000UL, 0xfffffe7fffffffffUL, false);
	ROW("ESPfix", ESPFIX_BASE, ESPFIX_END,
	    0xffffff0000000000UL, 0xffffff7fffffffffUL, false);
	ROW("EFI runtime", EFI_VA_START, EFI_VA_END,
	    0xffffffef00000000UL, 0xfffffffeffffffffUL, false);
	ROW("kernel text", __START_KERNEL_map, __START_KERNEL_map + KERNEL_IMAGE_SIZE,
	    0xffffffff80000000UL, 0xffffffff9fffffffUL, false);
	ROW("modules", MODULES_VADDR, MODULES_END,
	    0xffffffffa0000000UL, 0xfffffffffeffffffUL, false);
	/* The fixmap's start is ours to choose; its end is documented. */
	ROW("fixmap", FIXADDR_START, FIXADDR_TOP,
	    FIXADDR_START, 0xffffffffff5fffffUL, false);
	ROW("vsyscall", VSYSCALL_ADDR, VSYSCALL_ADDR + 0x1000,
	    0xffffffffff600000UL, 0xffffffffff600fffUL, false);
#undef ROW
	return n;
}

#define MAX_DOC_REGIONS 16

/* The fixed facts of both layouts, at compile time. */
_Static_assert(USER_SPACE_END_L4 == 0x00007ffffffff000UL, "user space end (mm.rst)");
_Static_assert(USER_SPACE_END_L5 == 0x00fffffffffff000UL, "user space end, 5-level");
_Static_assert(KERNEL_SPACE_START_L4 == 0xffff800000000000UL, "kernel space start");
_Static_assert(KERNEL_SPACE_START_L5 == 0xff00000000000000UL, "kernel space start, 5-level");
_Static_assert(__PAGE_OFFSET_BASE_L4 == 0xffff888000000000UL, "page_offset_base");
_Static_assert(__PAGE_OFFSET_BASE_L5 == 0xff11000000000000UL, "page_offset_base, 5-level");
_Static_assert(__VMALLOC_BASE_L4 == 0xffffc90000000000UL, "vmalloc_base");
_Static_assert(__VMALLOC_BASE_L5 == 0xffa0000000000000UL, "vmalloc_base, 5-level");
_Static_assert(__VMEMMAP_BASE_L4 == 0xffffea0000000000UL, "vmemmap_base");
_Static_assert(__VMEMMAP_BASE_L5 == 0xffd4000000000000UL, "vmemmap_base, 5-level");
_Static_assert(CPU_ENTRY_AREA_BASE == 0xfffffe0000000000UL, "cpu_entry_area");
_Static_assert(ESPFIX_BASE == 0xffffff0000000000UL, "%esp fixup stacks");
_Static_assert(EFI_VA_START == 0xffffffef00000000UL, "EFI region");
_Static_assert(__START_KERNEL_map == 0xffffffff80000000UL, "__START_KERNEL_map");
_Static_assert(MODULES_VADDR == 0xffffffffa0000000UL, "MODULES_VADDR");
_Static_assert(MODULES_END == 0xffffffffff000000UL, "MODULES_END");
_Static_assert(VSYSCALL_ADDR == 0xffffffffff600000UL, "vsyscall page");
_Static_assert(FIXADDR_TOP == VSYSCALL_ADDR && FIXADDR_START >= MODULES_END,
	       "the fixmap sits between the modules and the vsyscall page");
/* 1 GiB alignment: the direct map may use 1 GiB pages from its first byte. */
_Static_assert((__PAGE_OFFSET_BASE_L4 & ((1UL << 30) - 1)) == 0 &&
	       (__VMALLOC_BASE_L4 & ((1UL << 30) - 1)) == 0 &&
	       (__VMEMMAP_BASE_L4 & ((1UL << 30) - 1)) == 0 &&
	       (__PAGE_OFFSET_BASE_L5 & ((1UL << 30) - 1)) == 0 &&
	       (__VMALLOC_BASE_L5 & ((1UL << 30) - 1)) == 0 &&
	       (__VMEMMAP_BASE_L5 & ((1UL << 30) - 1)) == 0, "bases are 1 GiB aligned");
_Static_assert((KERNEL_PHYS_LOAD & ((1UL << 21) - 1)) == 0, "image 2 MiB aligned");

static void region_bases_documented(struct ktest *t)
{
	struct doc_region r[MAX_DOC_REGIONS];
	unsigned int i, n = doc_regions(r);

	KTEST_EXPECT_EQ(t, USER_SPACE_END, pgtable_l5_enabled() ?
			0x00fffffffffff000UL : 0x00007ffffffff000UL);
	for (i = 0; i < n; i++) {
		if (r[i].randomised && kaslr_memory_enabled)
			continue; /* kaslr_bases_in_window checks those */
		if (r[i].start != r[i].doc_start || r[i].end - 1 != r[i].doc_last)
			KTEST_FAIL(t, "%s: %016lx-%016lx, documented %016lx-%016lx",
				   r[i].name, r[i].start, r[i].end - 1,
				   r[i].doc_start, r[i].doc_last);
	}
}

static void regions_canonical_and_ordered(struct ktest *t)
{
	struct doc_region r[MAX_DOC_REGIONS];
	unsigned long prev_last = USER_SPACE_END + PAGE_SIZE - 1;
	unsigned int i, n = doc_regions(r);

	KTEST_EXPECT_TRUE(t, is_canonical(USER_SPACE_END));
	KTEST_EXPECT_FALSE(t, is_canonical(USER_SPACE_END + PAGE_SIZE));
	for (i = 0; i < n; i++) {
		/* Under KASLR vmalloc/vmemmap may lie where KASAN would be. */
		if (kaslr_memory_enabled && !strcmp(r[i].name, "KASAN shadow"))
			continue;
		if (!is_canonical(r[i].start) || !is_canonical(r[i].end - 1))
			KTEST_FAIL(t, "%s: %016lx-%016lx is not canonical",
				   r[i].name, r[i].start, r[i].end - 1);
		if (r[i].start >= r[i].end || r[i].start <= prev_last)
			KTEST_FAIL(t, "%s: %016lx-%016lx empty or overlaps the region before (ends %016lx)",
				   r[i].name, r[i].start, r[i].end - 1, prev_last);
		if (r[i].start < KERNEL_SPACE_START)
			KTEST_FAIL(t, "%s starts in the user half", r[i].name);
		prev_last = r[i].end - 1;
	}
}

/*
 * The randomised bases: in [fixed direct-map base, cpu_entry_area), in order,
 * 1 GiB aligned, apart, and each region big enough for this machine.
 */
static void kaslr_bases_in_window(struct ktest *t)
{
	unsigned long lo = pgtable_l5_enabled() ? __PAGE_OFFSET_BASE_L5 :
						  __PAGE_OFFSET_BASE_L4;
	unsigned long b[3] = { page_offset_base, vmalloc_base, vmemmap_base };
	unsigned long sz[3] = { direct_map_size, vmalloc_size, vmemmap_size };
	phys_addr_t ram = memblock_end_of_DRAM();
	unsigned int i;

	printk("    # %s: direct map %016lx, vmalloc %016lx, vmemmap %016lx\n",
	       kaslr_memory_enabled ? "KASLR" : "nokaslr", b[0], b[1], b[2]);
	for (i = 0; i < 3; i++) {
		KTEST_EXPECT_TRUE(t, IS_ALIGNED(b[i], PUD_SIZE));
		KTEST_EXPECT_GE(t, b[i], lo);
		KTEST_EXPECT_LE(t, b[i] + sz[i], CPU_ENTRY_AREA_BASE);
		if (i)
			KTEST_EXPECT_GT(t, b[i], b[i - 1] + sz[i - 1]);
	}
	KTEST_EXPECT_GE(t, direct_map_size, ram);
	KTEST_EXPECT_GE(t, vmemmap_size, PHYS_PFN(ram) * sizeof(struct page));
	KTEST_EXPECT_EQ(t, vmalloc_size, pgtable_l5_enabled() ? VMALLOC_SIZE_L5 :
			VMALLOC_SIZE_L4);
	if (kaslr_memory_enabled)
		KTEST_EXPECT_GE(t, direct_map_size, ram + (10UL << 40));
}

/* The depth the CPU runs at is the one chosen, for the reason given. */
static void paging_mode(struct ktest *t)
{
	bool l5 = read_cr4() & X86_CR4_LA57;
	char val[8];

	KTEST_EXPECT_EQ(t, l5, pgtable_l5_enabled());
	KTEST_EXPECT_EQ(t, l5, boot_cpu.la57 && !layout_no5lvl);
	if (cmdline_get(boot_info.cmdline, "expect_la57", val, sizeof(val)))
		KTEST_EXPECT_EQ(t, l5, val[0] == '1');
	KTEST_EXPECT_EQ(t, strcmp(paging_mode_reason, !boot_cpu.la57 ?
				  "CPU lacks LA57" : layout_no5lvl ?
				  "no5lvl given" : "LA57 enabled"), 0);
	printk("    # %d-level paging (%s), KASLR %s\n", l5 ? 5 : 4,
	       paging_mode_reason, kaslr_memory_enabled ? "on" : "off");
}

static unsigned long pick_most(void *ctx, unsigned long share)
{
	(void)ctx;
	return share;
}

static unsigned long pick_least(void *ctx, unsigned long share)
{
	(void)ctx;
	(void)share;
	return 0;
}

/* The whole share for the first region, nothing after. */
static unsigned long pick_first(void *ctx, unsigned long share)
{
	unsigned int *calls = ctx;

	return (*calls)++ ? 0 : share;
}

/*
 * KASLR's placement never runs past cpu_entry_area, nor overlaps, whatever
 * the random draws: the largest (which once ran up to 3 GiB past the end
 * and panicked a boot in many), the smallest, and one large then none, for
 * the largest RAM each paging depth maps.
 */
static void kaslr_placement_fits_any_draw(struct ktest *t)
{
	static const struct {
		unsigned long start, dmap, vmalloc;
	} depth[] = {
		{ __PAGE_OFFSET_BASE_L4, DIRECT_MAP_SIZE_L4, VMALLOC_SIZE_L4 },
		{ __PAGE_OFFSET_BASE_L5, DIRECT_MAP_SIZE_L5, VMALLOC_SIZE_L5 },
	};
	unsigned long (*picks[])(void *, unsigned long) = {
		pick_most, pick_least, pick_first,
	};

	for (unsigned int d = 0; d < ARRAY_SIZE(depth); d++) {
		unsigned long sizes[3], bases[3], end;
		unsigned long memmap_size = ALIGN_UP((depth[d].dmap >> PAGE_SHIFT) *
						 sizeof(struct page), 1UL << 40);

		sizes[0] = depth[d].dmap;
		sizes[1] = depth[d].vmalloc;
		sizes[2] = memmap_size;
		for (unsigned int k = 0; k < ARRAY_SIZE(picks); k++) {
			unsigned int calls = 0;

			end = kaslr_place_regions(depth[d].start, CPU_ENTRY_AREA_BASE,
						  sizes, bases, 3, picks[k], &calls);
			KTEST_EXPECT_LE(t, end, (unsigned long)CPU_ENTRY_AREA_BASE);
			KTEST_EXPECT_GE(t, bases[0], depth[d].start);
			for (unsigned int i = 0; i < 3; i++) {
				KTEST_EXPECT_EQ(t, bases[i] & (PUD_SIZE - 1), 0);
				if (i)
					KTEST_EXPECT_GT(t, bases[i], bases[i - 1] + sizes[i - 1]);
			}
		}
	}
}

static const struct ktest_case layout_cases[] = {
	KTEST_CASE(region_bases_documented),
	KTEST_CASE(regions_canonical_and_ordered),
	KTEST_CASE(kaslr_bases_in_window),
	KTEST_CASE(paging_mode),
	KTEST_CASE(kaslr_placement_fits_any_draw),
};
KTEST_SUITE(layout, layout_cases);

/* ---- paging: helpers ----------------------------------------------------- */

/* The page size kernel_map_range() must have chosen at @pa of [start, end). */
static enum pg_level expected_level(phys_addr_t pa, phys_addr_t start,
				    phys_addr_t end)
{
	enum pg_level l = boot_cpu.pdpe1gb ? PG_LEVEL_1G : PG_LEVEL_2M;

	for (; l > PG_LEVEL_4K; l--) {
		phys_addr_t sz = page_level_size(l), b = ALIGN_DOWN(pa, sz);

		if (b >= start && b + sz <= end)
			return l;
	}
	return PG_LEVEL_4K;
}

/*
 * Check that @va translates to @pa at @level with exactly @want among the
 * bits in @mask (effective over all levels). Reports as @what; returns
 * whether it passed.
 */
static bool check_mapping(struct ktest *t, const char *what, unsigned long va,
			  phys_addr_t want_pa, enum pg_level want_level,
			  u64 mask, u64 want)
{
	phys_addr_t pa;
	u64 flags;
	enum pg_level level;

	mask &= __supported_pte_mask;
	want &= __supported_pte_mask;
	if (!virt_to_phys_walk(va, &pa, &flags, &level)) {
		KTEST_FAIL(t, "%s: %016lx is not mapped", what, va);
		return false;
	}
	if (pa != want_pa || (want_level && level != want_level) ||
	    (flags & mask) != want) {
		KTEST_FAIL(t, "%s: %016lx -> pa %#llx level %d flags %#llx, want pa %#llx level %d flags %#llx (mask %#llx)",
			   what, va, (unsigned long long)pa, level,
			   (unsigned long long)(flags & mask),
			   (unsigned long long)want_pa, want_level,
			   (unsigned long long)want, (unsigned long long)mask);
		return false;
	}
	return true;
}

#define PROT_MASK (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_GLOBAL | _PAGE_NX)

/* The memblock region (what paging_init mapped) holding @pa, or NULL. */
static const struct memblock_region *mapped_region(phys_addr_t pa)
{
	unsigned int i;

	for (i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];

		if (pa >= r->base && pa - r->base < r->size)
			return r;
	}
	return NULL;
}

/*
 * A probe must have faulted exactly once, as a #PF at @addr whose error code
 * has all of @set and none of @clear. Prints the expected fault.
 */
static void expect_pf(struct ktest *t, const char *what, int ret, u64 before,
		      unsigned long addr, u64 set, u64 clear)
{
	u64 err = last_trap.error_code;

	if (ret != -EFAULT) {
		KTEST_FAIL(t, "%s at %016lx did not fault (probe returned %d)",
			   what, addr, ret);
		return;
	}
	if (last_trap.count != before + 1 || last_trap.vector != X86_TRAP_PF ||
	    last_trap.cr2 != addr || (err & set) != set || (err & clear)) {
		KTEST_FAIL(t, "%s: %llu traps (want 1), vector %llu (want 14), cr2 %#llx (want %#lx), error %#llx (want %#llx set, %#llx clear)",
			   what, (unsigned long long)(last_trap.count - before),
			   (unsigned long long)last_trap.vector,
			   (unsigned long long)last_trap.cr2, addr,
			   (unsigned long long)err, (unsigned long long)set,
			   (unsigned long long)clear);
		return;
	}
	printk("    # expected fault: %s at %016lx: #PF error %#llx (%s%s%s), survived\n",
	       what, addr, (unsigned long long)err,
	       err & X86_PF_PROT ? "protection" : "not present",
	       err & X86_PF_WRITE ? ", write" : "",
	       err & X86_PF_INSTR ? ", fetch" : "");
}

/* ---- paging: the live tables --------------------------------------------- */

static void cpu_protections(struct ktest *t)
{
	unsigned long cr4 = read_cr4();
	char val[8];

	if (cmdline_get(boot_info.cmdline, "expect_nx", val, sizeof(val)))
		KTEST_EXPECT_EQ(t, boot_cpu.nx, val[0] == '1');
	KTEST_EXPECT_EQ(t, !!(rdmsr(MSR_EFER) & EFER_NXE), boot_cpu.nx);
	KTEST_EXPECT_EQ(t, !!(__supported_pte_mask & _PAGE_NX), boot_cpu.nx);
	KTEST_EXPECT_TRUE(t, read_cr0() & X86_CR0_WP);
	KTEST_EXPECT_TRUE(t, boot_cpu.pge);
	KTEST_EXPECT_TRUE(t, cr4 & X86_CR4_PGE);
	KTEST_EXPECT_EQ(t, !!(cr4 & X86_CR4_SMEP), boot_cpu.smep);
	KTEST_EXPECT_EQ(t, !!(cr4 & X86_CR4_SMAP), boot_cpu.smap);
	KTEST_EXPECT_EQ(t, read_cr3() & PTE_ADDR_MASK, kernel_pml4_phys);
}

static void user_half_empty(struct ktest *t)
{
	enum pg_level level;
	unsigned int i;

	for (i = 0; i < PTRS_PER_TABLE / 2; i++)
		if (kernel_pml4[i] & _PAGE_PRESENT)
			KTEST_FAIL(t, "PML4[%u] = %#llx is present", i,
				   (unsigned long long)kernel_pml4[i]);
	KTEST_EXPECT_TRUE(t, lookup_address(0, &level) == NULL);
	KTEST_EXPECT_EQ(t, level, pgtable_top_level());
	KTEST_EXPECT_FALSE(t, virt_to_phys_walk(USER_SPACE_END - PAGE_SIZE,
						NULL, NULL, NULL));
}

/*
 * Each region as the live tables see it, in this boot's mode and layout:
 * every present top-level entry of the kernel half lies in a region that
 * maps something (direct map, vmalloc, vmemmap, the KFENCE pool, the
 * image/modules/fixmap top), and RAM, a vmalloc page and a struct page are mapped where the
 * chosen bases put them, nothing just below the direct map.
 */
static void regions_match_live_tables(struct ktest *t)
{
	enum pg_level top = pgtable_top_level(), level;
	unsigned long sz = page_level_size(top), pfn;
	struct {
		unsigned long start, end;
	} in_use[] = {
		{ PAGE_OFFSET, DIRECT_MAP_END },
		{ VMALLOC_BASE, VMALLOC_LIMIT },
		{ VMEMMAP_BASE, VMEMMAP_BASE + vmemmap_size },
		{ KFENCE_POOL_START, KFENCE_POOL_END },
#ifdef KMM_KASAN
		{ KASAN_SHADOW_START, KASAN_SHADOW_END },
#endif
		{ __START_KERNEL_map, 0 },
	};
	phys_addr_t pa;
	unsigned int i, j;
	u8 *v;

	for (i = PTRS_PER_TABLE / 2; i < PTRS_PER_TABLE; i++) {
		unsigned long va = ~0UL - (PTRS_PER_TABLE - 1 - i) * sz - (sz - 1);
		bool ok = false;

		if (!(kernel_pml4[i] & _PAGE_PRESENT))
			continue;
		for (j = 0; j < ARRAY_SIZE(in_use); j++)
			ok |= va + (sz - 1) >= in_use[j].start &&
			      (in_use[j].end == 0 || va < in_use[j].end);
		if (!ok)
			KTEST_FAIL(t, "top-level entry %u (%016lx) is present outside every region",
				   i, va);
	}
	KTEST_EXPECT_TRUE(t, lookup_address(PAGE_OFFSET - PAGE_SIZE, &level) == NULL);
	pa = memblock.memory.regions[0].base;
	check_mapping(t, "direct map base", PAGE_OFFSET + pa, pa, 0, PROT_MASK,
		      PAGE_KERNEL & __supported_pte_mask);

	v = vmalloc(PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, v);
	KTEST_EXPECT_GE(t, (unsigned long)v, VMALLOC_BASE);
	KTEST_EXPECT_LT(t, (unsigned long)v, VMALLOC_LIMIT);
	KTEST_EXPECT_TRUE(t, virt_to_phys_walk((unsigned long)v, &pa, NULL, NULL));
	v[0] = 0x5a;
	KTEST_EXPECT_EQ(t, *(u8 *)__va(pa), 0x5a);
	vfree(v);

	pfn = PHYS_PFN(memblock.memory.regions[0].base);
	v = (u8 *)pfn_to_page(pfn);
	KTEST_EXPECT_GE(t, (unsigned long)v, VMEMMAP_BASE);
	KTEST_EXPECT_LT(t, (unsigned long)v, VMEMMAP_BASE + vmemmap_size);
	KTEST_EXPECT_TRUE(t, virt_to_phys_walk((unsigned long)v, NULL, NULL, NULL));
}

/* First, middle and last page of each usable RAM range, via the direct map. */
static void direct_map_ram(struct ktest *t)
{
	unsigned int i, j, checked = 0;

	for (i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_range *r = &boot_info.mem[i];
		phys_addr_t start = ALIGN_UP(r->base, PAGE_SIZE);
		phys_addr_t end = ALIGN_DOWN(r->base + r->size, PAGE_SIZE);
		const struct memblock_region *m;
		phys_addr_t mend, probe[3];

		if (r->type != BOOT_MEM_USABLE || end <= start)
			continue;
		m = mapped_region(start);
		if (!m) {
			/* Only a range beyond the CPU's physical reach may be left out. */
			if (start < (1ULL << boot_cpu.phys_addr_bits))
				KTEST_FAIL(t, "usable [mem %#llx-%#llx] is not in memblock",
					   (unsigned long long)start,
					   (unsigned long long)end - 1);
			continue;
		}
		mend = min(end, m->base + m->size);
		probe[0] = start;
		probe[1] = ALIGN_DOWN(start + (mend - start) / 2, PAGE_SIZE);
		probe[2] = mend - PAGE_SIZE;
		for (j = 0; j < 3; j++) {
			phys_addr_t pa = probe[j];

			checked++;
			check_mapping(t, "direct map", PAGE_OFFSET + pa, pa,
				      expected_level(pa, m->base, m->base + m->size),
				      PROT_MASK,
				      _PAGE_PRESENT | _PAGE_RW | _PAGE_GLOBAL | _PAGE_NX);
		}
	}
	KTEST_EXPECT_GT(t, checked, 0);
}

/* Holes between RAM ranges (firmware, MMIO, the PCI hole) are not mapped. */
static void direct_map_holes_unmapped(struct ktest *t)
{
	phys_addr_t prev_end = 0;
	enum pg_level level;
	unsigned int i;

	for (i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];

		if (r->base > prev_end &&
		    lookup_address(PAGE_OFFSET + prev_end, &level))
			KTEST_FAIL(t, "hole page %#llx (before %#llx) is mapped",
				   (unsigned long long)prev_end,
				   (unsigned long long)r->base);
		if (r->base > prev_end + PAGE_SIZE &&
		    lookup_address(PAGE_OFFSET + r->base - PAGE_SIZE, &level))
			KTEST_FAIL(t, "hole page %#llx is mapped",
				   (unsigned long long)(r->base - PAGE_SIZE));
		prev_end = r->base + r->size;
	}
	/* Past the end of RAM, up to the next 1 GiB boundary and beyond. */
	KTEST_EXPECT_TRUE(t, lookup_address(PAGE_OFFSET + prev_end, &level) == NULL);
	KTEST_EXPECT_TRUE(t, lookup_address(PAGE_OFFSET + ALIGN_UP(prev_end, PUD_SIZE),
					    &level) == NULL);
}

/*
 * The direct-map counters equal what the greedy largest-page rule gives for
 * memblock's ranges, and together cover all of RAM exactly.
 */
static void direct_map_page_sizes(struct ktest *t)
{
	unsigned long want[PG_LEVEL_NUM] = { 0 };
	phys_addr_t covered = 0;
	char val[8];
	unsigned int i;
	int l;

	if (cmdline_get(boot_info.cmdline, "expect_gbpages", val, sizeof(val))) {
		bool harness_cpu_has_gbpages = val[0] == '1' || val[0] == 'y';

		KTEST_EXPECT_EQ(t, boot_cpu.pdpe1gb, harness_cpu_has_gbpages);
	}
	KTEST_EXPECT_EQ(t, direct_map_gbpages, boot_cpu.pdpe1gb);

	for (i = 0; i < memblock.memory.cnt; i++) {
		phys_addr_t s = memblock.memory.regions[i].base;
		phys_addr_t e = s + memblock.memory.regions[i].size;

		while (s < e) {
			enum pg_level lv = expected_level(s, s, e);

			want[lv]++;
			s += page_level_size(lv);
		}
	}
	for (l = PG_LEVEL_4K; l <= PG_LEVEL_1G; l++) {
		KTEST_EXPECT_EQ(t, direct_map_pages[l], want[l]);
		covered += (phys_addr_t)direct_map_pages[l] * page_level_size(l);
	}
	KTEST_EXPECT_EQ(t, covered, memblock_phys_mem_size());
	if (!boot_cpu.pdpe1gb)
		KTEST_EXPECT_EQ(t, direct_map_pages[PG_LEVEL_1G], 0);
	printk("    # direct map: %lu x 1G, %lu x 2M, %lu x 4K for %llu MiB of RAM (1 GiB pages %s)\n",
	       direct_map_pages[PG_LEVEL_1G], direct_map_pages[PG_LEVEL_2M],
	       direct_map_pages[PG_LEVEL_4K], (unsigned long long)(covered >> 20),
	       boot_cpu.pdpe1gb ? "available" : "not available");
}

/* Every page of [start, end) in the image maps to its physical page with @want. */
static void check_section(struct ktest *t, const char *name, const char *start,
			  const char *end, u64 want)
{
	unsigned long va;

	KTEST_EXPECT_TRUE(t, IS_ALIGNED((unsigned long)start, PAGE_SIZE));
	for (va = (unsigned long)start; va < (unsigned long)end; va += PAGE_SIZE) {
		if (va >= (unsigned long)boot_stack_guard &&
		    va < (unsigned long)boot_stack_bottom)
			continue;
		if (!check_mapping(t, name, va, va - __START_KERNEL_map,
				   PG_LEVEL_4K, PROT_MASK, want))
			return; /* one report per section is enough */
	}
}

static void kernel_sections(struct ktest *t)
{
	const u64 rx = _PAGE_PRESENT | _PAGE_GLOBAL;
	const u64 ro = _PAGE_PRESENT | _PAGE_GLOBAL | _PAGE_NX;
	const u64 rw = _PAGE_PRESENT | _PAGE_GLOBAL | _PAGE_NX | _PAGE_RW;

	KTEST_EXPECT_LT(t, (unsigned long)_text, (unsigned long)_etext);
	KTEST_EXPECT_LE(t, (unsigned long)_etext, (unsigned long)_rodata);
	KTEST_EXPECT_LE(t, (unsigned long)_erodata, (unsigned long)_data);
	check_section(t, "text", _text, _etext, rx);
	check_section(t, "rodata", _rodata, _erodata, ro);
	check_section(t, "data", _data, _edata, rw);
	check_section(t, "bss", _bss, _ebss, rw);
	check_section(t, "kallsyms", __kallsyms_start, _kernel_end, ro);
}

static void stack_guard_unmapped(struct ktest *t)
{
	enum pg_level level;
	u64 before = last_trap.count;
	u8 v;

	KTEST_EXPECT_TRUE(t, lookup_address((unsigned long)boot_stack_guard,
					    &level) == NULL);
	KTEST_EXPECT_EQ(t, level, PG_LEVEL_4K);
	expect_pf(t, "read of the stack guard page",
		  probe_read_u8(boot_stack_guard + 8, &v), before,
		  (unsigned long)boot_stack_guard + 8, 0,
		  X86_PF_PROT | X86_PF_WRITE | X86_PF_USER);
}

/* ---- paging: protections, proved by faults -------------------------------- */

/* Callable through probe_exec(): the positive control. */
static __noinline void probe_target_fn(void)
{
	barrier();
}

static const u8 rodata_byte[16] = { 0x5a, 0xa5 };
static u8 data_ret[16] = { 0xc3 }; /* `ret`: a missed fault just returns */

static void read_page_zero_faults(struct ktest *t)
{
	u64 before = last_trap.count;
	u8 v = 0;

	expect_pf(t, "read of page 0", probe_read_u8(NULL, &v), before, 0, 0,
		  X86_PF_PROT | X86_PF_WRITE | X86_PF_USER | X86_PF_INSTR);
	/* The control: a probe of mapped memory does not fault. */
	before = last_trap.count;
	KTEST_EXPECT_EQ(t, probe_read_u8(rodata_byte, &v), 0);
	KTEST_EXPECT_EQ(t, v, 0x5a);
	KTEST_EXPECT_EQ(t, last_trap.count, before);
}

static void write_text_faults(struct ktest *t)
{
	u8 *p = (u8 *)probe_target_fn;
	u64 before = last_trap.count;

	KTEST_ASSERT_TRUE(t, p >= (u8 *)_text && p < (u8 *)_etext);
	/* Writing the byte already there: a missed fault changes nothing. */
	expect_pf(t, "write to text", probe_write_u8(p, *p), before,
		  (unsigned long)p, X86_PF_PROT | X86_PF_WRITE, X86_PF_INSTR);
}

static void write_rodata_faults(struct ktest *t)
{
	u8 *p = (u8 *)&rodata_byte[1];
	u64 before = last_trap.count;

	KTEST_ASSERT_TRUE(t, p >= (u8 *)_rodata && p < (u8 *)_erodata);
	expect_pf(t, "write to rodata", probe_write_u8(p, *p), before,
		  (unsigned long)p, X86_PF_PROT | X86_PF_WRITE, X86_PF_INSTR);
}

static void exec_text_runs(struct ktest *t)
{
	u64 before = last_trap.count;

	KTEST_EXPECT_EQ(t, probe_exec(probe_target_fn), 0);
	KTEST_EXPECT_EQ(t, last_trap.count, before);
}

/*
 * Executing the `ret` at @p must fault with NX; without NX it must run (the
 * CPU cannot refuse it, and the boot log says no-execute is not enforced).
 */
static void expect_exec_fault(struct ktest *t, const char *what, const void *p)
{
	u64 before = last_trap.count;
	int ret = probe_exec(p);

	if (boot_cpu.nx) {
		expect_pf(t, what, ret, before, (unsigned long)p,
			  X86_PF_PROT | X86_PF_INSTR, X86_PF_WRITE);
		return;
	}
	KTEST_EXPECT_EQ(t, ret, 0);
	KTEST_EXPECT_EQ(t, last_trap.count, before);
	printk("    # NX absent: %s at %p ran, as it must without NX\n", what, p);
}

static void exec_data_faults(struct ktest *t)
{
	KTEST_ASSERT_TRUE(t, data_ret >= (u8 *)_data && data_ret < (u8 *)_edata);
	WRITE_ONCE(data_ret[0], 0xc3);
	expect_exec_fault(t, "exec from data", data_ret);
}

static void exec_stack_faults(struct ktest *t)
{
	volatile u8 buf[16];

	buf[0] = 0xc3;
	expect_exec_fault(t, "exec from the stack", (const void *)buf);
}

static void exec_direct_map_faults(struct ktest *t)
{
	/* data_ret seen through the direct map: the same byte, another alias. */
	u8 *alias = __va(__pa(data_ret));

	KTEST_ASSERT_TRUE(t, (unsigned long)alias >= PAGE_OFFSET &&
			     (unsigned long)alias < DIRECT_MAP_END);
	WRITE_ONCE(data_ret[0], 0xc3);
	KTEST_EXPECT_EQ(t, READ_ONCE(alias[0]), 0xc3);
	expect_exec_fault(t, "exec from the direct map", alias);
}

/* ---- paging: the mapping API, the fixmap, ptdump, W+X -------------------- */

static u8 map_test_page[4096] __aligned(4096);

static void map_change_unmap(struct ktest *t)
{
	unsigned long va = fix_to_virt(FIX_TEST_0);
	phys_addr_t pa = __pa(map_test_page);
	enum pg_level level;
	u64 before, *e;
	u8 v = 0;

	fixmap_unmap(FIX_TEST_0);
	memset(map_test_page, 0, sizeof(map_test_page));
	map_test_page[100] = 0x3c;

	KTEST_ASSERT_EQ(t, kernel_map_range(va, pa, PAGE_SIZE, PAGE_KERNEL,
					    PG_LEVEL_4K), 0);
	e = lookup_address(va, &level);
	KTEST_ASSERT_NOT_NULL(t, e);
	KTEST_EXPECT_EQ(t, level, PG_LEVEL_4K);
	KTEST_EXPECT_EQ(t, *e & PTE_ADDR_MASK, pa);
	check_mapping(t, "fixmap test slot", va + 100, pa + 100, PG_LEVEL_4K,
		      PROT_MASK, PAGE_KERNEL);
	KTEST_EXPECT_EQ(t, probe_read_u8((void *)(va + 100), &v), 0);
	KTEST_EXPECT_EQ(t, v, 0x3c);
	KTEST_EXPECT_EQ(t, probe_write_u8((void *)(va + 1), 0x77), 0);
	KTEST_EXPECT_EQ(t, READ_ONCE(map_test_page[1]), 0x77);
	/* Mapping over a present entry is refused. */
	KTEST_EXPECT_EQ(t, kernel_map_range(va, pa, PAGE_SIZE, PAGE_KERNEL,
					    PG_LEVEL_4K), -EINVAL);

	KTEST_EXPECT_EQ(t, kernel_change_prot(va, PAGE_SIZE, PAGE_KERNEL_RO), 0);
	check_mapping(t, "after change_prot", va, pa, PG_LEVEL_4K, PROT_MASK,
		      PAGE_KERNEL_RO);
	before = last_trap.count;
	expect_pf(t, "write to a page made read-only",
		  probe_write_u8((void *)(va + 2), 0x11), before, va + 2,
		  X86_PF_PROT | X86_PF_WRITE, 0);
	KTEST_EXPECT_EQ(t, READ_ONCE(map_test_page[2]), 0);
	KTEST_EXPECT_EQ(t, probe_read_u8((void *)(va + 1), &v), 0);
	KTEST_EXPECT_EQ(t, v, 0x77);

	KTEST_EXPECT_EQ(t, kernel_unmap_range(va, PAGE_SIZE), 0);
	KTEST_EXPECT_TRUE(t, lookup_address(va, &level) == NULL);
	before = last_trap.count;
	expect_pf(t, "read of an unmapped page", probe_read_u8((void *)va, &v),
		  before, va, 0, X86_PF_PROT | X86_PF_WRITE);
}

static void map_api_rejects_misuse(struct ktest *t)
{
	unsigned long va = fix_to_virt(FIX_TEST_0);
	phys_addr_t pa = __pa(map_test_page);

	fixmap_unmap(FIX_TEST_0);
	KTEST_EXPECT_EQ(t, kernel_map_range(va + 1, pa, PAGE_SIZE, PAGE_KERNEL,
					    PG_LEVEL_4K), -EINVAL);
	KTEST_EXPECT_EQ(t, kernel_map_range(va, pa + 1, PAGE_SIZE, PAGE_KERNEL,
					    PG_LEVEL_4K), -EINVAL);
	/* Never into the user half. */
	KTEST_EXPECT_EQ(t, kernel_map_range(PAGE_SIZE, pa, PAGE_SIZE, PAGE_KERNEL,
					    PG_LEVEL_4K), -EINVAL);
	KTEST_EXPECT_EQ(t, kernel_change_prot(va, PAGE_SIZE, PAGE_KERNEL_RO),
			-EINVAL);
	KTEST_EXPECT_EQ(t, kernel_unmap_range(va + 1, PAGE_SIZE), -EINVAL);
	/* The direct map's large pages cannot be unmapped 4 KiB at a time. */
	if (direct_map_pages[PG_LEVEL_2M] || direct_map_pages[PG_LEVEL_1G]) {
		unsigned long big = 0;
		unsigned int i;
		enum pg_level level;

		for (i = 0; i < memblock.memory.cnt && !big; i++) {
			phys_addr_t s = ALIGN_UP(memblock.memory.regions[i].base, PMD_SIZE);

			if (s + PMD_SIZE <= memblock.memory.regions[i].base +
					    memblock.memory.regions[i].size)
				big = PAGE_OFFSET + s;
		}
		KTEST_ASSERT_TRUE(t, big != 0);
		KTEST_EXPECT_TRUE(t, lookup_address(big, &level) != NULL);
		KTEST_EXPECT_EQ(t, kernel_change_prot(big, PAGE_SIZE, PAGE_KERNEL_RO),
				-EINVAL);
		KTEST_EXPECT_TRUE(t, level >= PG_LEVEL_2M);
	}
}

static void fixmap_rsdp(struct ktest *t)
{
	phys_addr_t pa = boot_info.rsdp_phys;
	unsigned long off = pa & (PAGE_SIZE - 1);
	const u8 *rsdp;
	u8 sum = 0;
	unsigned int i;

	if (!pa) {
		ktest_skip(t, "the boot loader passed no ACPI RSDP");
		return;
	}
	rsdp = fixmap_map(FIX_ACPI_RSDP, pa, PAGE_KERNEL_RO);
	KTEST_ASSERT_NOT_NULL(t, rsdp);
	/* An RSDP (20 bytes; 36 for ACPI 2.0) may straddle a page. */
	if (off + 36 > PAGE_SIZE)
		KTEST_ASSERT_NOT_NULL(t, fixmap_map(FIX_ACPI_TABLE,
						    pa - off + PAGE_SIZE,
						    PAGE_KERNEL_RO));
	KTEST_EXPECT_EQ(t, (unsigned long)rsdp, fix_to_virt(FIX_ACPI_RSDP) + off);
	check_mapping(t, "fixmap RSDP", (unsigned long)rsdp, pa, PG_LEVEL_4K,
		      PROT_MASK, PAGE_KERNEL_RO);
	KTEST_EXPECT_EQ(t, memcmp(rsdp, "RSD PTR ", 8), 0);
	for (i = 0; i < 20; i++)
		sum += rsdp[i];
	KTEST_EXPECT_EQ(t, sum, 0);
	printk("    # RSDP at %#llx via fixmap %p: OEM \"%.6s\", revision %u\n",
	       (unsigned long long)pa, rsdp, (const char *)rsdp + 9, rsdp[15]);
	fixmap_unmap(FIX_ACPI_TABLE);
	fixmap_unmap(FIX_ACPI_RSDP);
	KTEST_EXPECT_FALSE(t, virt_to_phys_walk(fix_to_virt(FIX_ACPI_RSDP),
						NULL, NULL, NULL));
}

static void wx_check_passes(struct ktest *t)
{
	unsigned long mark = ktest_console_mark();

	KTEST_EXPECT_EQ(t, ptdump_check_wx(), 0);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, boot_cpu.nx ?
		"x86/mm: Checked W+X mappings: passed, no W+X pages found." :
		"x86/mm: Checked W+X mappings: passed what can be proved without NX: no writable kernel text."));
	if (!boot_cpu.nx)
		KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
			"NX absent, so W^X cannot be enforced"));
}

/*
 * The should-fail case without NX: a kernel text page made writable on
 * purpose must be counted (the text stays executable: nothing breaks).
 */
static void wx_check_catches_writable_text(struct ktest *t)
{
	unsigned long va = ALIGN_DOWN((unsigned long)probe_target_fn, PAGE_SIZE);
	unsigned long mark;

	KTEST_ASSERT_EQ(t, kernel_change_prot(va, PAGE_SIZE,
					      PAGE_KERNEL_RX | _PAGE_RW), 0);
	printk("    # making the text page at %016lx writable; the check below must fail\n",
	       va);
	mark = ktest_console_mark();
	ktest_expect_report(t, "x86/mm: Found insecure W+X mapping");
	KTEST_EXPECT_EQ(t, ptdump_check_wx(), 1);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
		"x86/mm: Checked W+X mappings: FAILED, 1 writable kernel text pages found."));
	KTEST_EXPECT_EQ(t, kernel_change_prot(va, PAGE_SIZE, PAGE_KERNEL_RX), 0);
	KTEST_EXPECT_EQ(t, ptdump_check_wx(), 0);
}

/* The should-fail case: a W+X page planted on purpose must be counted. */
static void wx_check_catches_wx_page(struct ktest *t)
{
	unsigned long va = fix_to_virt(FIX_TEST_1), mark;
	void *p;

	if (!boot_cpu.nx) {
		wx_check_catches_writable_text(t);
		return;
	}

	p = fixmap_map(FIX_TEST_1, __pa(map_test_page), PAGE_KERNEL & ~_PAGE_NX);
	KTEST_ASSERT_NOT_NULL(t, p);
	printk("    # planting a W+X page at %016lx; the check below must fail\n", va);
	mark = ktest_console_mark();
	ktest_expect_report(t, "x86/mm: Found insecure W+X mapping");
	KTEST_EXPECT_EQ(t, ptdump_check_wx(), 1);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
		"x86/mm: Checked W+X mappings: FAILED, 1 W+X pages found."));
	fixmap_unmap(FIX_TEST_1);
	KTEST_EXPECT_EQ(t, ptdump_check_wx(), 0);
}

static void ptdump_format(struct ktest *t)
{
	static const char *const markers[] = {
		"---[ Kernel Space ]---", "---[ LDT remap ]---",
		"---[ Low Kernel Mapping ]---", "---[ vmalloc() Area ]---",
		"---[ Vmemmap ]---", "---[ KASAN shadow ]---",
		"---[ CPU entry Area ]---", "---[ ESPfix Area ]---",
		"---[ EFI Runtime Services ]---", "---[ High Kernel Mapping ]---",
		"---[ Modules ]---", "---[ End Modules ]---", "---[ Fixmap Area ]---",
	};
	char line[128], big[32];
	unsigned long mark = ktest_console_mark();
	unsigned int i;

	ptdump_show_kernel();
	for (i = 0; i < ARRAY_SIZE(markers); i++)
		if (!ktest_console_contains(mark, markers[i]) &&
		    !(kaslr_memory_enabled && !strncmp(markers[i], "---[ KASAN", 10)))
			KTEST_FAIL(t, "ptdump printed no %s", markers[i]);
	/* The guard hole: 16 absent top-level entries, one line, blank flags. */
	snprintf(line, sizeof(line), "0x%016lx-0x%016lx   %9u%c %30s%s\n",
		 GUARD_HOLE_START, GUARD_HOLE_END, pgtable_l5_enabled() ? 4 : 8,
		 pgtable_l5_enabled() ? 'P' : 'T', "", "pgd");
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, line));
	/* The text's first line starts at _text: read-only, executable, 4K. */
	snprintf(line, sizeof(line), "0x%016lx-", (unsigned long)_text);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, line));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
		"    ro                 GLB x  pte\n"));
	/* The direct map's first run, RW NX global, in its largest page size. */
	snprintf(big, sizeof(big), "RW         PSE     GLB %s %s\n",
		 boot_cpu.nx ? "NX" : "x ",
		 direct_map_pages[PG_LEVEL_1G] ? "pud" : "pmd");
	if (direct_map_pages[PG_LEVEL_1G] || direct_map_pages[PG_LEVEL_2M])
		KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, big));
	KTEST_EXPECT_FALSE(t, ktest_console_contains(mark, "USR"));
}

static void layout_map_output(struct ktest *t)
{
	unsigned long mark = ktest_console_mark();
	char text[64];

	layout_map_show();
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "user space"));
	snprintf(text, sizeof(text), "%016lx-%016lx", PAGE_OFFSET,
		 DIRECT_MAP_END - 1);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, text));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "direct map"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "kernel image"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "4K x "));
}

static const struct ktest_case paging_cases[] = {
	KTEST_CASE(cpu_protections),
	KTEST_CASE(user_half_empty),
	KTEST_CASE(regions_match_live_tables),
	KTEST_CASE(direct_map_ram),
	KTEST_CASE(direct_map_holes_unmapped),
	KTEST_CASE(direct_map_page_sizes),
	KTEST_CASE(kernel_sections),
	KTEST_CASE(stack_guard_unmapped),
	KTEST_CASE(read_page_zero_faults),
	KTEST_CASE(write_text_faults),
	KTEST_CASE(write_rodata_faults),
	KTEST_CASE(exec_text_runs),
	KTEST_CASE(exec_data_faults),
	KTEST_CASE(exec_stack_faults),
	KTEST_CASE(exec_direct_map_faults),
	KTEST_CASE(map_change_unmap),
	KTEST_CASE(map_api_rejects_misuse),
	KTEST_CASE(fixmap_rsdp),
	KTEST_CASE(wx_check_passes),
	KTEST_CASE(wx_check_catches_wx_page),
	KTEST_CASE(ptdump_format),
	KTEST_CASE(layout_map_output),
};
KTEST_SUITE(paging, paging_cases);

/* ---- stack_overflow (default off): the guard page must stop a runaway ---- */

/* Never reached at run time; the compiler cannot know, so it must recurse. */
static volatile unsigned long overflow_depth_limit = ~0UL;

static __noinline unsigned long recurse_deeper(unsigned long depth)
{
	volatile u8 frame[256];
	unsigned long r;

	frame[depth % sizeof(frame)] = (u8)depth;
	if (depth == overflow_depth_limit)
		return 0;
	r = recurse_deeper(depth + 1);
	/* Using the frame after the call rules out a tail call. */
	return r + frame[(depth * 7) % sizeof(frame)];
}

static void overflow_the_stack(struct ktest *t)
{
	printk("    # recursing until the guard page at %p stops us; expect a panic\n",
	       (void *)boot_stack_guard);
	recurse_deeper(0);
	KTEST_FAIL(t, "unbounded recursion returned: no guard page fault");
}

static const struct ktest_case stack_overflow_cases[] = {
	KTEST_CASE(overflow_the_stack),
};
KTEST_SUITE(stack_overflow, stack_overflow_cases, .default_off = true);

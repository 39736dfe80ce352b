// SPDX-License-Identifier: MIT
/*
 * The kernel's page tables.
 *
 * paging_init() builds a fresh top-level table (PML4, or PML5 with LA57)
 * and switches to it, leaving behind the boot tables of entry.S (identity
 * map included). What it maps:
 *
 *   PAGE_OFFSET + pa      every RAM range memblock knows (and nothing else:
 *                         firmware and MMIO holes stay unmapped), RW NX G,
 *                         with 1 GiB pages when the CPU has them and both
 *                         addresses are aligned, else 2 MiB, 4 KiB at edges
 *   __START_KERNEL_map+pa the kernel image, 4 KiB pages, per section:
 *                         text RX, rodata RO NX, data/bss RW NX, with the
 *                         boot stack's guard page left unmapped
 *
 * vmemmap and vmalloc mappings are added later through the mm port
 * (mm_map_kernel_page, and mm_map_kernel_huge for 2 MiB of struct pages). Nothing in the lower (user) half is mapped, so page 0
 * faults.
 *
 * Tables are reached through the direct map (__va of their physical address).
 * Until paging_init() switches, that works only below 4 GiB (the boot tables'
 * reach), so memblock allocations stay below 4 GiB until then.
 */
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/layout.h"
#include "mm/memblock.h"
#include "mm/gfp.h"
#include "kmm/printk.h"
#include "kmm/string.h"
#include "kmm/errno.h"

u64 __supported_pte_mask = ~0ULL;
u64 *kernel_pml4;
phys_addr_t kernel_pml4_phys;
unsigned long direct_map_pages[PG_LEVEL_NUM];
unsigned long nr_pagetable_pages;
bool direct_map_gbpages;

static bool tables_from_buddy;
/* Serialises every change to the kernel's tables (table allocation included). */
static spinlock_t pgtable_lock = SPINLOCK_INIT;

extern char _text[], _etext[], _rodata[], _erodata[], _data[], _ebss[];
extern char __kallsyms_start[], _kernel_end[];
extern char boot_stack_guard[], boot_stack_bottom[];

void pgtable_use_buddy(void)
{
	tables_from_buddy = true;
}

/* A zeroed page for a page table, or 0 when memory is exhausted. */
static phys_addr_t alloc_table(void)
{
	phys_addr_t pa;

	if (tables_from_buddy) {
		unsigned long va = get_zeroed_page(GFP_KERNEL | __GFP_NOWARN);

		if (!va)
			return 0;
		pa = __pa((void *)va);
	} else {
		pa = memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE);
		if (!pa)
			return 0;
		memset(__va(pa), 0, PAGE_SIZE);
	}
	nr_pagetable_pages++;
	return pa;
}

/* The table that entry @e points to, allocating it when @alloc is set. */
static u64 *next_table(u64 *e, bool alloc)
{
	phys_addr_t pa;

	if (*e & _PAGE_PRESENT) {
		if (*e & _PAGE_PSE)
			return NULL;
		return __va(*e & PTE_ADDR_MASK);
	}
	if (!alloc)
		return NULL;
	pa = alloc_table();
	if (!pa)
		return NULL;
	/* Intermediate entries allow everything; the leaf decides. */
	*e = pa | _PAGE_PRESENT | _PAGE_RW;
	return __va(pa);
}

static bool level_allowed(unsigned long va, phys_addr_t pa, unsigned long left,
			  enum pg_level level, enum pg_level max_level)
{
	unsigned long sz = page_level_size(level);

	if (level > max_level || left < sz)
		return false;
	if (level == PG_LEVEL_1G && !boot_cpu.pdpe1gb)
		return false;
	return IS_ALIGNED(va, sz) && IS_ALIGNED(pa, sz);
}

static int map_range_locked(unsigned long va, phys_addr_t pa, unsigned long size,
			    u64 prot, enum pg_level max_level)
{
	while (size) {
		u64 *table = kernel_pml4, *e;
		enum pg_level level;
		u64 leaf_flags = prot;

		for (level = pgtable_top_level(); level > PG_LEVEL_4K; level--) {
			e = &table[pt_index(va, level)];
			if (level <= PG_LEVEL_1G &&
			    level_allowed(va, pa, size, level, max_level) &&
			    !(*e & _PAGE_PRESENT))
				break;
			table = next_table(e, true);
			if (!table)
				return (*e & _PAGE_PSE) ? -EINVAL : -ENOMEM;
		}
		e = &table[pt_index(va, level)];
		if (*e & _PAGE_PRESENT)
			return -EINVAL;
		if (level > PG_LEVEL_4K)
			leaf_flags |= _PAGE_PSE;
		*e = (pa & PTE_ADDR_MASK) | leaf_flags;
		if (va >= PAGE_OFFSET && va < DIRECT_MAP_END)
			direct_map_pages[level]++;
		va += page_level_size(level);
		pa += page_level_size(level);
		size -= page_level_size(level);
	}
	return 0;
}

int kernel_map_range(unsigned long va, phys_addr_t pa, unsigned long size,
		     u64 prot, enum pg_level max_level)
{
	unsigned long flags;
	int err;

	if (!IS_ALIGNED(va | pa | size, PAGE_SIZE) || va < KERNEL_SPACE_START)
		return -EINVAL;
	spin_lock_irqsave(&pgtable_lock, flags);
	err = map_range_locked(va, pa, size, prot & __supported_pte_mask, max_level);
	spin_unlock_irqrestore(&pgtable_lock, flags);
	return err;
}

u64 *lookup_address(unsigned long va, enum pg_level *level)
{
	u64 *table = kernel_pml4, *e;
	enum pg_level l;

	for (l = pgtable_top_level(); l >= PG_LEVEL_4K; l--) {
		e = &table[pt_index(va, l)];
		if (!(*e & _PAGE_PRESENT)) {
			*level = l;
			return NULL;
		}
		if (l == PG_LEVEL_4K || (l <= PG_LEVEL_1G && (*e & _PAGE_PSE))) {
			*level = l;
			return e;
		}
		table = __va(*e & PTE_ADDR_MASK);
	}
	*level = PG_LEVEL_NONE;
	return NULL;
}

bool virt_to_phys_walk(unsigned long va, phys_addr_t *pa, u64 *eff_flags,
		       enum pg_level *level)
{
	u64 *table = kernel_pml4, e = 0;
	u64 rw = _PAGE_RW, user = _PAGE_USER, nx = 0;
	enum pg_level l;

	for (l = pgtable_top_level(); l >= PG_LEVEL_4K; l--) {
		e = table[pt_index(va, l)];
		if (!(e & _PAGE_PRESENT))
			return false;
		rw &= e;
		user &= e;
		nx |= e & _PAGE_NX;
		if (l == PG_LEVEL_4K || (l <= PG_LEVEL_1G && (e & _PAGE_PSE)))
			break;
		table = __va(e & PTE_ADDR_MASK);
	}
	if (pa) {
		unsigned long sz = page_level_size(l);

		*pa = ((e & PTE_ADDR_MASK) & ~((phys_addr_t)sz - 1)) | (va & (sz - 1));
	}
	if (eff_flags)
		*eff_flags = (e & (_PAGE_PRESENT | _PAGE_GLOBAL | _PAGE_PSE |
				   _PAGE_PCD | _PAGE_PWT)) | rw | user | nx;
	if (level)
		*level = l;
	return true;
}

/*
 * Apply @pte_val (0 to unmap) or, when @keep_addr, new protection bits to
 * every 4 KiB page of [va, va+size). The whole range is checked first, so a
 * large page or a hole in the middle changes nothing rather than half.
 */
static int update_4k_range(unsigned long va, unsigned long size, u64 prot,
			   bool keep_addr, bool skip_holes)
{
	unsigned long start = va, end = va + size, flags;
	enum pg_level level;
	u64 *e;
	int err = 0;

	if (!IS_ALIGNED(va | size, PAGE_SIZE) || end < start)
		return -EINVAL;
	spin_lock_irqsave(&pgtable_lock, flags);
	for (va = start; va < end; va += PAGE_SIZE) {
		e = lookup_address(va, &level);
		if (e ? level != PG_LEVEL_4K : !skip_holes) {
			err = -EINVAL;
			goto out;
		}
	}
	for (va = start; va < end; va += PAGE_SIZE) {
		e = lookup_address(va, &level);
		if (e)
			*e = keep_addr ? (*e & PTE_ADDR_MASK) | prot : 0;
	}
	flush_tlb_kernel_range(start, end);
out:
	spin_unlock_irqrestore(&pgtable_lock, flags);
	return err;
}

int kernel_unmap_range(unsigned long va, unsigned long size)
{
	return update_4k_range(va, size, 0, false, true);
}

int kernel_change_prot(unsigned long va, unsigned long size, u64 prot)
{
	return update_4k_range(va, size, prot & __supported_pte_mask, true, false);
}

void flush_tlb_all(void)
{
	unsigned long cr4 = read_cr4();

	/* Toggling CR4.PGE drops global entries too. */
	if (cr4 & X86_CR4_PGE) {
		write_cr4(cr4 & ~X86_CR4_PGE);
		write_cr4(cr4);
	} else {
		write_cr3(read_cr3());
	}
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	unsigned long va;

	if (end - start > 64 * PAGE_SIZE) {
		flush_tlb_all();
		return;
	}
	for (va = start; va < end; va += PAGE_SIZE)
		invlpg(va);
}

static void map_or_die(unsigned long va, phys_addr_t pa, unsigned long size,
		       u64 prot, enum pg_level max, const char *what)
{
	int err = kernel_map_range(va, pa, size, prot, max);

	if (err)
		panic("paging_init: mapping %s %016lx-%016lx failed (%d)", what,
		      va, va + size, err);
}

static void map_kernel_image(void)
{
	unsigned long k = __START_KERNEL_map;
	struct {
		const char *name;
		char *start, *end;
		u64 prot;
	} sec[] = {
		{ "text", _text, _etext, PAGE_KERNEL_RX },
		{ "rodata", _rodata, _erodata, PAGE_KERNEL_RO },
		{ "data", _data, boot_stack_guard, PAGE_KERNEL },
		{ "stack", boot_stack_bottom, _ebss, PAGE_KERNEL },
		{ "kallsyms", __kallsyms_start, _kernel_end, PAGE_KERNEL_RO },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sec); i++) {
		unsigned long s = ALIGN_DOWN((unsigned long)sec[i].start, PAGE_SIZE);
		unsigned long e = ALIGN_UP((unsigned long)sec[i].end, PAGE_SIZE);

		if (e > s)
			map_or_die(s, s - k, e - s, sec[i].prot, PG_LEVEL_4K,
				   sec[i].name);
	}
}

void paging_init(void)
{
	phys_addr_t start, end;
	unsigned int i;

	if (!boot_cpu.nx)
		__supported_pte_mask &= ~_PAGE_NX;
	kernel_pml4_phys = alloc_table();
	if (!kernel_pml4_phys)
		panic("paging_init: no memory for the top-level page table");
	kernel_pml4 = __va(kernel_pml4_phys);

	direct_map_gbpages = boot_cpu.pdpe1gb;
	pr_info("x86/mm: %s\n", direct_map_gbpages ?
		"Using GB pages for direct mapping" :
		"Not using GB pages for direct mapping: the CPU lacks pdpe1gb");

	for (i = 0; i < memblock.memory.cnt; i++) {
		start = memblock.memory.regions[i].base;
		end = start + memblock.memory.regions[i].size;
		map_or_die(PAGE_OFFSET + start, start, end - start, PAGE_KERNEL,
			   PG_LEVEL_1G, "direct map");
	}
	map_kernel_image();
	kasan_map_image_shadow(kernel_pml4);

	write_cr3(kernel_pml4_phys);
	flush_tlb_all();
	memblock.limit = 0;
	pr_info("x86/mm: kernel page tables at %#llx, direct map %lu x 4k, %lu x 2M, %lu x 1G\n",
		(unsigned long long)kernel_pml4_phys,
		direct_map_pages[PG_LEVEL_4K], direct_map_pages[PG_LEVEL_2M],
		direct_map_pages[PG_LEVEL_1G]);
}

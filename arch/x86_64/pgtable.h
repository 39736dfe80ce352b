/* SPDX-License-Identifier: MIT */
/*
 * x86_64 page tables: entry bits, and the kernel-half mapping API.
 *
 *   4-level:            PML4 (pgd) -> PDPT (pud) -> PD (pmd) -> PT (pte)
 *   5-level (LA57): PML5 (pgd) -> PML4 (p4d) -> PDPT -> PD -> PT
 *
 * 512 entries each; a PDPT entry with PSE maps 1 GiB, a PD entry with PSE
 * maps 2 MiB. The depth is chosen at boot (mem_layout.c); walkers start at
 * pgtable_top_level().
 *
 * All kernel mappings are supervisor-only and global. Page-table pages come
 * from memblock until the buddy allocator runs, then from the buddy.
 */
#ifndef ARCH_X86_64_PGTABLE_H
#define ARCH_X86_64_PGTABLE_H

#include "kmm/types.h"
#include "kmm/compiler.h"
#include "arch/x86_64/layout.h"

#define _PAGE_PRESENT  BIT_ULL(0)
#define _PAGE_RW       BIT_ULL(1)
#define _PAGE_USER     BIT_ULL(2)
#define _PAGE_PWT      BIT_ULL(3)
#define _PAGE_PCD      BIT_ULL(4)
#define _PAGE_ACCESSED BIT_ULL(5)
#define _PAGE_DIRTY    BIT_ULL(6)
#define _PAGE_PSE      BIT_ULL(7) /* in a PDPT/PD entry: a large page */
#define _PAGE_PAT      BIT_ULL(7) /* in a PT entry */
#define _PAGE_GLOBAL   BIT_ULL(8)
#define _PAGE_PAT_LARGE BIT_ULL(12)
#define _PAGE_NX       BIT_ULL(63)

#define PTE_ADDR_MASK  0x000ffffffffff000ULL
#define PTE_FLAGS_MASK (~PTE_ADDR_MASK)

_Static_assert(_PAGE_NX == 0x8000000000000000ULL, "NX is bit 63");
_Static_assert(_PAGE_PSE == 0x80, "PS is bit 7");
_Static_assert(_PAGE_GLOBAL == 0x100, "G is bit 8");

/* Protections for kernel mappings. */
#define PAGE_KERNEL      (_PAGE_PRESENT | _PAGE_RW | _PAGE_GLOBAL | _PAGE_NX)
#define PAGE_KERNEL_RO   (_PAGE_PRESENT | _PAGE_GLOBAL | _PAGE_NX)
#define PAGE_KERNEL_RX   (_PAGE_PRESENT | _PAGE_GLOBAL)
#define PAGE_KERNEL_NOCACHE (PAGE_KERNEL | _PAGE_PCD | _PAGE_PWT)

enum pg_level {
	PG_LEVEL_NONE,
	PG_LEVEL_4K,
	PG_LEVEL_2M,
	PG_LEVEL_1G,
	PG_LEVEL_512G,
	PG_LEVEL_256T, /* a PML5 entry, with LA57 */
	PG_LEVEL_NUM,
};

#define PUD_SHIFT   30
#define PMD_SHIFT   21
#define PTRS_PER_TABLE 512
#define PMD_SIZE (1UL << PMD_SHIFT)
#define PUD_SIZE (1UL << PUD_SHIFT)

static inline unsigned int pt_index(unsigned long va, enum pg_level level)
{
	return (va >> (12 + 9 * (level - 1))) & 511;
}

static inline unsigned long page_level_size(enum pg_level level)
{
	return 1UL << (12 + 9 * (level - 1));
}

/* The level of the top table: PML5 with 5-level paging, else PML4. */
static inline enum pg_level pgtable_top_level(void)
{
	return pgtable_l5_enabled() ? PG_LEVEL_256T : PG_LEVEL_512G;
}

/*
 * The PTE bits this CPU accepts: without NX, bit 63 is reserved and every
 * mapping is executable (Linux's __supported_pte_mask). The mapping API
 * applies it to every protection it is given.
 */
extern u64 __supported_pte_mask;

/*
 * The kernel's top-level table (PML4, or PML5 with LA57; a direct-map
 * pointer) and its physical address.
 */
extern u64 *kernel_pml4;
extern phys_addr_t kernel_pml4_phys;

/* Pages of the direct map at each level, as /proc/meminfo's DirectMap*. */
extern unsigned long direct_map_pages[PG_LEVEL_NUM];
/* Page-table pages the kernel's tables use. */
extern unsigned long nr_pagetable_pages;
/* Whether the direct map uses 1 GiB pages. */
extern bool direct_map_gbpages;

/*
 * Map [va, va+size) to [pa, pa+size) with @prot, using pages up to
 * @max_level where both addresses are aligned. va, pa and size must be 4 KiB
 * aligned; the range must not already be mapped. 0, -EINVAL or -ENOMEM.
 */
int kernel_map_range(unsigned long va, phys_addr_t pa, unsigned long size,
		     u64 prot, enum pg_level max_level);
/* Unmap 4 KiB-mapped pages in [va, va+size) and flush them. 0 or -EINVAL. */
int kernel_unmap_range(unsigned long va, unsigned long size);
/* Change the protection bits of every 4 KiB page in the range. 0 or -EINVAL. */
int kernel_change_prot(unsigned long va, unsigned long size, u64 prot);

/*
 * The entry that maps @va and its level (as Linux's lookup_address()), or
 * NULL when unmapped (*level then tells where the walk stopped).
 */
u64 *lookup_address(unsigned long va, enum pg_level *level);
/* Translate @va to a physical address; returns false when unmapped. */
bool virt_to_phys_walk(unsigned long va, phys_addr_t *pa, u64 *eff_flags,
		       enum pg_level *level);

/* Drop this CPU's TLB entries for [start, end) (everything, if large). */
void flush_tlb_kernel_range(unsigned long start, unsigned long end);
/* Drop every TLB entry of this CPU, global ones included. */
void flush_tlb_all(void);

/* Build the kernel's own tables from memblock and switch CR3 to them. */
void paging_init(void);
/* From now on page-table pages come from the buddy allocator. */
void pgtable_use_buddy(void);

#ifdef KMM_KASAN
/* KASAN: link the kernel image's shadow into @pml4 (arch/x86_64/kasan/early.c). */
void kasan_map_image_shadow(u64 *pml4);
void kasan_early_init(void);
extern unsigned long kasan_image_shadow_end;
#else
static inline void kasan_map_image_shadow(u64 *pml4) {}
#endif

#endif /* ARCH_X86_64_PGTABLE_H */

/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 kernel virtual address layout: every layout constant, named
 * once. Addresses are those of Linux's Documentation/arch/x86/x86_64/mm.rst
 * (see ../shared/reference/x86_64-layout.md). Two layouts, chosen at boot:
 *
 *   4-level (48-bit)                     5-level (LA57, 57-bit)
 *   ffff800000000000    8 TB  guard      ff00000000000000    4 PB  guard
 *   ffff880000000000  0.5 TB  LDT remap  ff10000000000000 0.25 PB  LDT remap
 *   ffff888000000000   64 TB  direct map ff11000000000000   32 PB  direct map
 *   ffffc90000000000   32 TB  vmalloc    ffa0000000000000 12.5 PB  vmalloc
 *   ffffea0000000000    1 TB  vmemmap    ffd4000000000000  0.5 PB  vmemmap
 *   ffffec0000000000   16 TB  KASAN      ffdf000000000000   ~8 PB  KASAN
 *
 * and, identical in both from -4 TB up:
 *
 *   fffffe0000000000 - fffffe7fffffffff  0.5 TB  cpu_entry_area
 *   fffffe8000000000 - fffffe80001fffff    2 MB  KFENCE pool (kmm's own, in
 *                                                Linux's unused hole)
 *   ffffff0000000000 - ffffff7fffffffff  0.5 TB  %esp fixup stacks
 *   ffffffef00000000 - fffffffeffffffff   64 GB  EFI runtime region
 *   ffffffff80000000 - ffffffff9fffffff  512 MB  kernel text, mapped to phys 0
 *   ffffffffa0000000 - fffffffffeffffff 1520 MB  modules
 *   FIXADDR_START    - ffffffffff5fffff           fixmap
 *   ffffffffff600000 - ffffffffff600fff    4 kB  legacy vsyscall
 *
 * The direct map, vmalloc and vmemmap bases above are the fixed ones
 * (`nokaslr`). By default they are randomised at boot within
 * [direct map base, cpu_entry_area), as Linux's CONFIG_RANDOMIZE_MEMORY
 * does (arch/x86_64/kaslr.c), so C code reads them from the variables
 * declared at the end (Linux's names), never from these constants.
 *
 * This header is also included from assembly and the linker script.
 */
#ifndef ARCH_X86_64_LAYOUT_H
#define ARCH_X86_64_LAYOUT_H

#ifdef __ASSEMBLY__
#define _AC(x, y) x
#else
#define __AC(x, y) (x##y)
#define _AC(x, y) __AC(x, y)
#endif

#define TB_SHIFT             40

/* 4-level paging, 48-bit virtual addresses. */
#define USER_SPACE_END_L4        _AC(0x00007ffffffff000, UL) /* + 4 kB guard page */
#define KERNEL_SPACE_START_L4    _AC(0xffff800000000000, UL)
#define LDT_REMAP_START_L4       _AC(0xffff880000000000, UL)
#define __PAGE_OFFSET_BASE_L4    _AC(0xffff888000000000, UL)
#define DIRECT_MAP_SIZE_L4       _AC(0x0000400000000000, UL) /* 64 TB */
#define __VMALLOC_BASE_L4        _AC(0xffffc90000000000, UL)
#define VMALLOC_SIZE_L4          _AC(0x0000200000000000, UL) /* 32 TB */
#define __VMEMMAP_BASE_L4        _AC(0xffffea0000000000, UL)
#define VMEMMAP_SIZE_L4          _AC(0x0000010000000000, UL) /* 1 TB */
#define KASAN_SHADOW_START_L4    _AC(0xffffec0000000000, UL)

/* 5-level paging (LA57), 57-bit virtual addresses. */
#define USER_SPACE_END_L5        _AC(0x00fffffffffff000, UL) /* + 4 kB guard page */
#define KERNEL_SPACE_START_L5    _AC(0xff00000000000000, UL)
#define LDT_REMAP_START_L5       _AC(0xff10000000000000, UL)
#define __PAGE_OFFSET_BASE_L5    _AC(0xff11000000000000, UL)
#define DIRECT_MAP_SIZE_L5       _AC(0x0080000000000000, UL) /* 32 PB */
#define __VMALLOC_BASE_L5        _AC(0xffa0000000000000, UL)
#define VMALLOC_SIZE_L5          _AC(0x0032000000000000, UL) /* 12.5 PB */
#define __VMEMMAP_BASE_L5        _AC(0xffd4000000000000, UL)
#define VMEMMAP_SIZE_L5          _AC(0x0002000000000000, UL) /* 0.5 PB */
#define KASAN_SHADOW_START_L5    _AC(0xffdf000000000000, UL)

/* Both layouts, from -4 TB up. */
#define KASAN_SHADOW_END     _AC(0xfffffc0000000000, UL)
/*
 * KASAN (make KASAN=1): the shadow byte of address a is at
 * (a >> KASAN_SHADOW_SCALE_SHIFT) + KASAN_SHADOW_OFFSET, Linux's x86_64
 * values, so the 4-level kernel half's shadow is exactly
 * KASAN_SHADOW_START_L4..KASAN_SHADOW_END. A KASAN kernel runs 4-level with
 * the fixed bases (mem_layout.c), as Linux randomises memory only without it.
 */
#define KASAN_SHADOW_OFFSET  _AC(0xdffffc0000000000, UL)
#define KASAN_SHADOW_SCALE_SHIFT 3
#define CPU_ENTRY_AREA_BASE  _AC(0xfffffe0000000000, UL)
#define CPU_ENTRY_AREA_END   _AC(0xfffffe8000000000, UL) /* 0.5 TB */
/*
 * The KFENCE pool (mm/kfence.c): object pages between unmapped guard pages.
 * Linux carves its pool out of the direct map; kmm gives it a region of its
 * own in the unused hole after cpu_entry_area, above the KASLR window, so
 * that a pool address is never a direct-map address (the slab fast paths,
 * which only accept those, send every pool object to their slow paths) and
 * no randomised region can land on it.
 */
#define KFENCE_POOL_START    _AC(0xfffffe8000000000, UL)
#define KFENCE_POOL_SIZE     _AC(0x0000000000200000, UL) /* 2 MB */
#define KFENCE_POOL_END      (KFENCE_POOL_START + KFENCE_POOL_SIZE)
#define ESPFIX_BASE          _AC(0xffffff0000000000, UL)
#define ESPFIX_END           _AC(0xffffff8000000000, UL) /* 0.5 TB */
#define EFI_VA_START         _AC(0xffffffef00000000, UL)
#define EFI_VA_END           _AC(0xffffffff00000000, UL) /* 64 GB */

/* The kernel image: __START_KERNEL_map + physical address. */
#define __START_KERNEL_map   _AC(0xffffffff80000000, UL)
#define KERNEL_IMAGE_SIZE    _AC(0x0000000020000000, UL) /* 512 MB */
#define MODULES_VADDR        _AC(0xffffffffa0000000, UL)
#define MODULES_END          _AC(0xffffffffff000000, UL)

/* Fixmap: a few fixed 4 KiB slots just below the vsyscall page. */
#define VSYSCALL_ADDR        _AC(0xffffffffff600000, UL)
#define FIXADDR_TOP          VSYSCALL_ADDR
#define FIX_NR_SLOTS         16
#define FIXADDR_START        (FIXADDR_TOP - FIX_NR_SLOTS * 0x1000)

/* Where GRUB and our EFI loader place the image: 2 MiB, large-page aligned. */
#define KERNEL_PHYS_LOAD     _AC(0x200000, UL)

#ifndef __ASSEMBLY__
#include "kmm/types.h"

/*
 * The layout this boot runs with, set once by layout_init() (layout.c)
 * before memblock and paging_init() use it. Until then page_offset_base is
 * 0: __va() is the boot page tables' identity map of the low 4 GiB.
 */
extern bool __pgtable_l5_enabled;        /* 5-level paging (CR4.LA57) */
extern unsigned long page_offset_base;   /* the direct map */
extern unsigned long vmalloc_base;       /* vmalloc/ioremap space */
extern unsigned long vmemmap_base;       /* struct page array, by pfn */
extern unsigned long direct_map_size;    /* room the direct map has */
extern unsigned long vmalloc_size;
extern unsigned long vmemmap_size;

static inline bool pgtable_l5_enabled(void)
{
	return __pgtable_l5_enabled;
}

#define PAGE_OFFSET          page_offset_base
#define DIRECT_MAP_END       (page_offset_base + direct_map_size)
#define VMALLOC_BASE         vmalloc_base
#define VMALLOC_LIMIT        (vmalloc_base + vmalloc_size)
#define VMEMMAP_BASE         vmemmap_base

/* The mode's fixed addresses. */
#define USER_SPACE_END       (pgtable_l5_enabled() ? USER_SPACE_END_L5 : USER_SPACE_END_L4)
#define KERNEL_SPACE_START   (pgtable_l5_enabled() ? KERNEL_SPACE_START_L5 : KERNEL_SPACE_START_L4)
#define GUARD_HOLE_START     KERNEL_SPACE_START
#define GUARD_HOLE_END       (pgtable_l5_enabled() ? LDT_REMAP_START_L5 : LDT_REMAP_START_L4)
#define LDT_REMAP_START      GUARD_HOLE_END
#define LDT_REMAP_END        (pgtable_l5_enabled() ? __PAGE_OFFSET_BASE_L5 : __PAGE_OFFSET_BASE_L4)
#define KASAN_SHADOW_START   (pgtable_l5_enabled() ? KASAN_SHADOW_START_L5 : KASAN_SHADOW_START_L4)
/* Virtual address bits: 48 or 57. */
#define __VIRTUAL_MASK_SHIFT (pgtable_l5_enabled() ? 56 : 47)
#endif

#endif /* ARCH_X86_64_LAYOUT_H */

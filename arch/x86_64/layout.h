/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 kernel virtual address layout, 4-level paging: every layout
 * constant, named once. Addresses are those of Linux's
 * Documentation/arch/x86/x86_64/mm.rst (see ../shared/reference/x86_64-layout.md):
 *
 *   ffff800000000000 - ffff87ffffffffff    8 TB  guard hole (hypervisor)
 *   ffff880000000000 - ffff887fffffffff  0.5 TB  LDT remap for PTI
 *   ffff888000000000 - ffffc87fffffffff   64 TB  direct map of all physical memory
 *   ffffc90000000000 - ffffe8ffffffffff   32 TB  vmalloc/ioremap space
 *   ffffea0000000000 - ffffeaffffffffff    1 TB  virtual memory map (struct page)
 *   ffffec0000000000 - fffffbffffffffff   16 TB  KASAN shadow
 *   fffffe0000000000 - fffffe7fffffffff  0.5 TB  cpu_entry_area
 *   ffffff0000000000 - ffffff7fffffffff  0.5 TB  %esp fixup stacks
 *   ffffffef00000000 - fffffffeffffffff   64 GB  EFI runtime region
 *   ffffffff80000000 - ffffffff9fffffff  512 MB  kernel text, mapped to phys 0
 *   ffffffffa0000000 - fffffffffeffffff 1520 MB  modules
 *   FIXADDR_START    - ffffffffff5fffff           fixmap
 *   ffffffffff600000 - ffffffffff600fff    4 kB  legacy vsyscall
 *
 * This header is also included from assembly and the linker script, so it
 * holds only #defines.
 */
#ifndef ARCH_X86_64_LAYOUT_H
#define ARCH_X86_64_LAYOUT_H

#ifdef __ASSEMBLY__
#define _AC(x, y) x
#else
#define __AC(x, y) (x##y)
#define _AC(x, y) __AC(x, y)
#endif

#define USER_SPACE_END       _AC(0x00007ffffffff000, UL) /* + 4 kB guard page */
#define KERNEL_SPACE_START   _AC(0xffff800000000000, UL)
#define GUARD_HOLE_START     _AC(0xffff800000000000, UL)
#define GUARD_HOLE_END       _AC(0xffff880000000000, UL)
#define LDT_REMAP_START      _AC(0xffff880000000000, UL)
#define LDT_REMAP_END        _AC(0xffff888000000000, UL)

/* Direct map of all physical memory ("page_offset_base"). */
#define PAGE_OFFSET          _AC(0xffff888000000000, UL)
#define DIRECT_MAP_SIZE      _AC(0x0000400000000000, UL) /* 64 TB */
#define DIRECT_MAP_END       (PAGE_OFFSET + DIRECT_MAP_SIZE)

/* vmalloc/ioremap space ("vmalloc_base"). */
#define VMALLOC_BASE         _AC(0xffffc90000000000, UL)
#define VMALLOC_SIZE         _AC(0x0000200000000000, UL) /* 32 TB */
#define VMALLOC_LIMIT        (VMALLOC_BASE + VMALLOC_SIZE)

/* The struct page array ("vmemmap_base"): page = VMEMMAP_BASE + pfn. */
#define VMEMMAP_BASE         _AC(0xffffea0000000000, UL)
#define VMEMMAP_SIZE         _AC(0x0000010000000000, UL) /* 1 TB */

/*
 * KASAN (make KASAN=1): the shadow byte of address a is at
 * (a >> KASAN_SHADOW_SCALE_SHIFT) + KASAN_SHADOW_OFFSET, Linux's x86_64
 * values, so the kernel half's shadow is exactly KASAN_SHADOW_START..END.
 */
#define KASAN_SHADOW_START   _AC(0xffffec0000000000, UL)
#define KASAN_SHADOW_END     _AC(0xfffffc0000000000, UL) /* 16 TB */
#define KASAN_SHADOW_OFFSET  _AC(0xdffffc0000000000, UL)
#define KASAN_SHADOW_SCALE_SHIFT 3
#define CPU_ENTRY_AREA_BASE  _AC(0xfffffe0000000000, UL)
#define CPU_ENTRY_AREA_END   _AC(0xfffffe8000000000, UL) /* 0.5 TB */
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

#endif /* ARCH_X86_64_LAYOUT_H */

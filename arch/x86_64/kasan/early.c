// SPDX-License-Identifier: MIT
/*
 * KASAN (make KASAN=1): shadow for the kernel image, from the first
 * instruction of C on.
 *
 * The instrumented build puts red zones around stack arrays, written into
 * the shadow by each function's prologue; the boot CPU's first stack lies
 * in the image's .bss, and kmain's callees use it long before memblock
 * could give the direct map its shadow (mm/kasan/shadow.c). So entry.S
 * calls kasan_early_init() before kmain: it maps this file's static shadow
 * array at the image's shadow address in the boot page tables, through
 * static tables of its own, and paging_init() links the same tables into
 * the kernel's (kasan_map_image_shadow()) before switching to them.
 *
 *   boot_pml4 / kernel_pml4 [PML4_INDEX(shadow)] -> pdpt -> pd -> pt[]
 *                                 -> kasan_image_shadow[] (reads 00)
 *
 * Nothing here is instrumented (arch/ never is).
 */
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/layout.h"
#include "kmm/compiler.h"

#define PAGE_SIZE_4K 4096UL

extern char _kernel_start[], _kernel_end[];
extern u64 boot_pml4[];

/* One shadow byte per 8 bytes of image: room for an image of 4 MiB. */
#define KASAN_IMAGE_SHADOW_SIZE (512UL << 10)
#define KASAN_IMAGE_PTS (KASAN_IMAGE_SHADOW_SIZE / PMD_SIZE + 2)

static u8 kasan_image_shadow[KASAN_IMAGE_SHADOW_SIZE] __aligned(4096);
static u64 kasan_image_pdpt[PTRS_PER_TABLE] __aligned(4096);
static u64 kasan_image_pd[PTRS_PER_TABLE] __aligned(4096);
static u64 kasan_image_pt[KASAN_IMAGE_PTS][PTRS_PER_TABLE] __aligned(4096);

/* The end of the image part that has shadow (all of it, unless too large). */
unsigned long kasan_image_shadow_end;

static u64 image_phys(const void *p)
{
	return (unsigned long)p - __START_KERNEL_map;
}

static unsigned long image_shadow(unsigned long a)
{
	return (a >> KASAN_SHADOW_SCALE_SHIFT) + KASAN_SHADOW_OFFSET;
}

/* Build the tables; called from entry.S on the boot stack, before kmain. */
void kasan_early_init(void)
{
	unsigned long start = (unsigned long)_kernel_start, end = (unsigned long)_kernel_end;
	unsigned long s = image_shadow(start) & ~(PAGE_SIZE_4K - 1), va;
	unsigned long pd0 = (s >> PMD_SHIFT) & 511, i = 0;

	if (end - start > KASAN_IMAGE_SHADOW_SIZE << KASAN_SHADOW_SCALE_SHIFT)
		end = start + (KASAN_IMAGE_SHADOW_SIZE << KASAN_SHADOW_SCALE_SHIFT);
	kasan_image_shadow_end = end;
	for (va = s; va < image_shadow(end - 1) + 1; va += PAGE_SIZE_4K, i++) {
		unsigned long pd = (va >> PMD_SHIFT) & 511;
		u64 *pt = kasan_image_pt[pd - pd0];

		kasan_image_pd[pd] = image_phys(pt) | _PAGE_PRESENT | _PAGE_RW;
		pt[(va >> 12) & 511] = image_phys(&kasan_image_shadow[i * PAGE_SIZE_4K]) |
				       PAGE_KERNEL;
	}
	kasan_image_pdpt[(s >> PUD_SHIFT) & 511] =
		image_phys(kasan_image_pd) | _PAGE_PRESENT | _PAGE_RW;
	kasan_map_image_shadow(boot_pml4);
}

/* The KASAN kernel runs 4-level (mem_layout.c): @pml4 is a PML4, 512 GiB an entry. */
void kasan_map_image_shadow(u64 *pml4)
{
	unsigned long s = image_shadow((unsigned long)_kernel_start);

	pml4[(s >> 39) & 511] = image_phys(kasan_image_pdpt) |
					 _PAGE_PRESENT | _PAGE_RW;
}

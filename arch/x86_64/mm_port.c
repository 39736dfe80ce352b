// SPDX-License-Identifier: MIT
/* The kernel side of the mm port: mapping pages and a source of randomness. */
#include "mm/port.h"
#include "mm/mm.h"
#include "arch/x86_64/pgtable.h"

static u64 prot_to_pte(unsigned int prot)
{
	u64 p = _PAGE_PRESENT | _PAGE_GLOBAL;

	if (prot & MM_PROT_WRITE)
		p |= _PAGE_RW;
	if (!(prot & MM_PROT_EXEC))
		p |= _PAGE_NX;
	return p;
}

int mm_map_kernel_page(unsigned long va, phys_addr_t pa, unsigned int prot)
{
	return kernel_map_range(va, pa, PAGE_SIZE, prot_to_pte(prot), PG_LEVEL_4K);
}

int mm_map_kernel_huge(unsigned long va, phys_addr_t pa, unsigned int prot)
{
	return kernel_map_range(va, pa, PMD_SIZE, prot_to_pte(prot), PG_LEVEL_2M);
}

void mm_unmap_kernel_page(unsigned long va)
{
	kernel_unmap_range(va, PAGE_SIZE);
}

void mm_flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	flush_tlb_kernel_range(start, end);
}

/*
 * Not cryptographic: a splitmix64 stream seeded from the TSC. Enough to make
 * free-list order and pointer-hardening secrets differ between boots; under
 * QEMU -icount the TSC, and so the stream, repeat exactly.
 */
u64 mm_random_u64(void)
{
	static u64 state;
	u64 z;

	if (!state)
		state = rdtsc() | 1;
	z = (state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void mm_port_meminfo(struct mm_port_meminfo *mi)
{
	mi->direct_map_4k = direct_map_pages[PG_LEVEL_4K];
	mi->direct_map_2m = direct_map_pages[PG_LEVEL_2M];
	mi->direct_map_1g = direct_map_pages[PG_LEVEL_1G];
	mi->pagetable_pages = nr_pagetable_pages;
}

// SPDX-License-Identifier: MIT
/*
 * Fixmap slots (see fixmap.h). The slots share one page table, which the
 * first fixmap_map() allocates through kernel_map_range(); after that,
 * mapping a slot only writes its PTE. Remapping a slot unmaps it first,
 * because kernel_map_range() refuses to overwrite a present entry.
 */
#include "arch/x86_64/fixmap.h"
#include "arch/x86_64/pgtable.h"
#include "mm/port.h"

unsigned long fix_to_virt(unsigned int slot)
{
	return FIXADDR_START + (unsigned long)slot * PAGE_SIZE;
}

void *fixmap_map(unsigned int slot, phys_addr_t pa, u64 prot)
{
	unsigned long va = fix_to_virt(slot);
	phys_addr_t base = pa & ~(phys_addr_t)(PAGE_SIZE - 1);

	if (slot >= __end_of_fixed_addresses)
		return NULL;
	fixmap_unmap(slot);
	prot = (prot | _PAGE_PRESENT) & ~(_PAGE_USER | PTE_ADDR_MASK);
	if (kernel_map_range(va, base, PAGE_SIZE, prot, PG_LEVEL_4K))
		return NULL;
	/* The slot may have held another page a moment ago. */
	flush_tlb_kernel_range(va, va + PAGE_SIZE);
	return (void *)(va + (unsigned long)(pa - base));
}

void fixmap_unmap(unsigned int slot)
{
	unsigned long va = fix_to_virt(slot);

	if (slot >= __end_of_fixed_addresses)
		return;
	kernel_unmap_range(va, PAGE_SIZE);
}

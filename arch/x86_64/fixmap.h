/* SPDX-License-Identifier: MIT */
/*
 * The fixmap: a handful of 4 KiB virtual slots at fixed addresses,
 * FIXADDR_START..FIXADDR_TOP (layout.h), for reaching a physical page that
 * the direct map does not cover -- firmware tables in a reserved range, a
 * device register page -- without any allocator. Slot i lives at
 * FIXADDR_START + i * PAGE_SIZE. One user per slot; slots are not locked.
 */
#ifndef ARCH_X86_64_FIXMAP_H
#define ARCH_X86_64_FIXMAP_H

#include "kmm/types.h"
#include "arch/x86_64/layout.h"

enum fixed_addresses {
	FIX_ACPI_RSDP,   /* the RSDP, wherever firmware put it */
	FIX_ACPI_TABLE,  /* one ACPI table page at a time */
	FIX_APIC,        /* the local APIC's registers, uncached (apic.c) */
	FIX_TEST_0,      /* reserved for the self-tests */
	FIX_TEST_1,
	__end_of_fixed_addresses,
};

_Static_assert(__end_of_fixed_addresses <= FIX_NR_SLOTS,
	       "more fixmap slots than layout.h reserves");
_Static_assert((FIXADDR_START & 0xfff) == 0 && FIXADDR_TOP == VSYSCALL_ADDR,
	       "fixmap slots are whole pages ending at the vsyscall page");

/* The virtual address of @slot (no check that it is mapped). */
unsigned long fix_to_virt(unsigned int slot);

/*
 * Map the page holding @pa at @slot with @prot (PAGE_KERNEL_RO etc.; it is
 * made present and never user), replacing what the slot held. Returns a
 * pointer to @pa itself (page offset kept), or NULL for a bad slot or when
 * no page-table page could be allocated. The caller owns the slot until
 * fixmap_unmap().
 */
void *fixmap_map(unsigned int slot, phys_addr_t pa, u64 prot);

/* Unmap @slot and flush its TLB entry. A no-op for an empty slot. */
void fixmap_unmap(unsigned int slot);

#endif /* ARCH_X86_64_FIXMAP_H */

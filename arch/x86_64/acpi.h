/* SPDX-License-Identifier: MIT */
/*
 * Finding and copying ACPI tables (arch/x86_64/acpi.c): RSDP -> RSDT/XSDT
 * -> a table by signature. Usable from paging_init() on (the fixmap needs
 * the kernel's page tables); nothing here allocates but acpi_load_table(),
 * through the allocator its caller names, so the SRAT can be read before
 * kmalloc exists and the MADT after.
 */
#ifndef ARCH_X86_64_ACPI_H
#define ARCH_X86_64_ACPI_H

#include "kmm/types.h"

/* Copy @len bytes of firmware memory at @pa into @dst, through the fixmap.
 * 0, or -ENOMEM when no page table for the fixmap could be allocated. */
int acpi_copy(void *dst, phys_addr_t pa, size_t len);

/*
 * The physical address of the first table with signature @sig that the
 * RSDT/XSDT lists, or 0: no RSDP, or a bad RSDP or root table (warned), or
 * no such table.
 */
phys_addr_t acpi_find_table(const char *sig);

/*
 * A checksummed copy of the table at @pa in memory from @alloc (which
 * returns NULL on failure; @free(p, size) gives it back), or NULL with a
 * warning for a bad length or checksum. *@len_out gets the table's length.
 */
void *acpi_load_table(phys_addr_t pa, void *(*alloc)(size_t size),
		      void (*free)(void *p, size_t size), u32 *len_out);

#endif /* ARCH_X86_64_ACPI_H */

// SPDX-License-Identifier: MIT
/*
 * ACPI tables: RSDP -> XSDT (ACPI 2.0+, 64-bit entries) or RSDT -> the table
 * with a given signature (the MADT for apic.c, the SRAT and SLIT for
 * numa.c). Firmware tables live in reserved or ACPI memory that the direct
 * map does not cover, so they are read page by page through the
 * FIX_ACPI_TABLE fixmap slot: finding a table copies only headers and root
 * entries, and checksums the root table in place; acpi_load_table() copies
 * a whole table into memory its caller allocates and checksums the copy.
 * One caller at a time (the slot is not locked): boot code on the boot CPU.
 */
#define pr_fmt(fmt) "ACPI: " fmt
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/fixmap.h"
#include "arch/x86_64/pgtable.h"
#include "boot/acpi.h"
#include "boot/boot_info.h"
#include "mm/port.h"
#include "kmm/printk.h"
#include "kmm/string.h"
#include "kmm/errno.h"

/* Visit @len bytes of firmware memory at @pa a page at a time. */
static int acpi_walk_phys(phys_addr_t pa, size_t len,
			  void (*fn)(const u8 *src, size_t n, void *arg), void *arg)
{
	while (len) {
		size_t off = pa & (PAGE_SIZE - 1), n = min(len, PAGE_SIZE - off);
		const u8 *src = fixmap_map(FIX_ACPI_TABLE, pa, PAGE_KERNEL_RO);

		if (!src) {
			fixmap_unmap(FIX_ACPI_TABLE);
			return -ENOMEM;
		}
		fn(src, n, arg);
		pa += n;
		len -= n;
	}
	fixmap_unmap(FIX_ACPI_TABLE);
	return 0;
}

static void copy_chunk(const u8 *src, size_t n, void *arg)
{
	u8 **out = arg;

	memcpy(*out, src, n);
	*out += n;
}

static void sum_chunk(const u8 *src, size_t n, void *arg)
{
	*(u8 *)arg += acpi_checksum(src, n);
}

int acpi_copy(void *dst, phys_addr_t pa, size_t len)
{
	u8 *out = dst;

	return acpi_walk_phys(pa, len, copy_chunk, &out);
}

/* The header of the table at @pa, its length checked; 0 or -errno (warned). */
static int acpi_read_header(phys_addr_t pa, struct acpi_table_header *h)
{
	if (acpi_copy(h, pa, sizeof(*h)))
		return -ENOMEM;
	if (h->length < sizeof(*h) || h->length > ACPI_MAX_TABLE_SIZE) {
		pr_warn("table at %#llx: bad length %u\n", (unsigned long long)pa,
			h->length);
		return -EINVAL;
	}
	return 0;
}

void *acpi_load_table(phys_addr_t pa, void *(*alloc)(size_t size),
		      void (*free)(void *p, size_t size), u32 *len_out)
{
	struct acpi_table_header h;
	void *t;

	if (acpi_read_header(pa, &h))
		return NULL;
	t = alloc(h.length);
	if (!t)
		return NULL;
	if (acpi_copy(t, pa, h.length)) {
		free(t, h.length);
		return NULL;
	}
	if (acpi_checksum(t, h.length)) {
		pr_warn("%.4s at %#llx: bad checksum\n", h.signature,
			(unsigned long long)pa);
		free(t, h.length);
		return NULL;
	}
	if (len_out)
		*len_out = h.length;
	return t;
}

/* The root table's address and entry size (4: RSDT, 8: XSDT), or 0. */
static phys_addr_t acpi_root_table(unsigned int *entry_size)
{
	struct acpi_rsdp rsdp;

	if (!boot_info.rsdp_phys)
		return 0;
	memset(&rsdp, 0, sizeof(rsdp));
	if (acpi_copy(&rsdp, boot_info.rsdp_phys, 20) ||
	    memcmp(rsdp.signature, "RSD PTR ", 8) || acpi_checksum(&rsdp, 20)) {
		pr_warn("no valid RSDP at %#llx\n",
			(unsigned long long)boot_info.rsdp_phys);
		return 0;
	}
	if (rsdp.revision >= 2 && !acpi_copy(&rsdp, boot_info.rsdp_phys, sizeof(rsdp)) &&
	    rsdp.length >= sizeof(rsdp) && !acpi_checksum(&rsdp, sizeof(rsdp)) &&
	    rsdp.xsdt_address) {
		*entry_size = 8;
		return rsdp.xsdt_address;
	}
	*entry_size = 4;
	return rsdp.rsdt_address;
}

phys_addr_t acpi_find_table(const char *sig)
{
	struct acpi_table_header root, h;
	phys_addr_t root_pa, found = 0;
	unsigned int i, n, entry_size = 0;
	u8 sum = 0;

	root_pa = acpi_root_table(&entry_size);
	if (!root_pa || acpi_read_header(root_pa, &root))
		return 0;
	if (acpi_walk_phys(root_pa, root.length, sum_chunk, &sum))
		return 0;
	if (sum) {
		pr_warn("%.4s at %#llx: bad checksum\n", root.signature,
			(unsigned long long)root_pa);
		return 0;
	}
	if (memcmp(root.signature, entry_size == 8 ? "XSDT" : "RSDT", 4)) {
		pr_warn("root table at %#llx has signature %.4s\n",
			(unsigned long long)root_pa, root.signature);
		return 0;
	}
	n = (root.length - sizeof(root)) / entry_size;
	for (i = 0; i < n && !found; i++) {
		u64 pa = 0;

		if (acpi_copy(&pa, root_pa + sizeof(root) + (u64)i * entry_size, entry_size))
			break;
		if (pa && !acpi_copy(&h, pa, sizeof(h)) && !memcmp(h.signature, sig, 4))
			found = pa;
	}
	return found;
}

// SPDX-License-Identifier: MIT
/*
 * From the UEFI loader's hand-off to struct boot_info.
 *
 * Our GNU-EFI loader (boot/efi/) exits boot services and jumps to the kernel
 * with a struct efi_handoff holding the firmware's final memory map. This file
 * is the only kernel code that reads EFI memory descriptors; it turns each one
 * into a boot_info range:
 *
 *   EFI type                               boot_info type
 *   -------------------------------------  ---------------------
 *   Conventional, BootServicesCode/Data,   USABLE   (boot services are gone;
 *   LoaderCode                                       the loader's code is dead)
 *   LoaderData                             BOOTLOADER (kernel image, hand-off,
 *                                                     map, loader stack)
 *   ACPIReclaimMemory                      ACPI_RECLAIM
 *   ACPIMemoryNVS                          ACPI_NVS
 *   RuntimeServicesCode/Data               FIRMWARE_RUNTIME
 *   MemoryMappedIO, MemoryMappedIOPortSpace MMIO
 *   UnusableMemory                         BAD
 *   Reserved, PalCode, Persistent,         RESERVED
 *   Unaccepted, anything unknown
 *
 * Conventional memory tagged specific-purpose (EFI_MEMORY_SP) is RESERVED:
 * the platform set it aside for one user and general allocations must not
 * take it. LoaderData is BOOTLOADER rather than USABLE because the kernel is
 * still running on it (its stack, the map being read here); the kernel image
 * inside it is reserved by the kernel itself anyway, and the rest may be
 * reclaimed once boot_info is complete.
 *
 * Sorting, merging and overlap resolution are boot_info_add_range()'s job.
 */
#define pr_fmt(fmt) "efi_map: " fmt

#include "boot/efi_map.h"
#include "kmm/errno.h"
#include "kmm/printk.h"
#include "kmm/string.h"

u32 efi_mem_type_to_boot(u32 efi_type, u64 attribute)
{
	switch (efi_type) {
	case EFI_MEM_CONVENTIONAL:
		if (attribute & EFI_MEM_ATTR_SP)
			return BOOT_MEM_RESERVED;
		return BOOT_MEM_USABLE;
	case EFI_MEM_LOADER_CODE:
	case EFI_MEM_BOOT_SERVICES_CODE:
	case EFI_MEM_BOOT_SERVICES_DATA:
		return BOOT_MEM_USABLE;
	case EFI_MEM_LOADER_DATA:
		return BOOT_MEM_BOOTLOADER;
	case EFI_MEM_ACPI_RECLAIM:
		return BOOT_MEM_ACPI_RECLAIM;
	case EFI_MEM_ACPI_NVS:
		return BOOT_MEM_ACPI_NVS;
	case EFI_MEM_RUNTIME_SERVICES_CODE:
	case EFI_MEM_RUNTIME_SERVICES_DATA:
		return BOOT_MEM_FIRMWARE_RUNTIME;
	case EFI_MEM_MMIO:
	case EFI_MEM_MMIO_PORT_SPACE:
		return BOOT_MEM_MMIO;
	case EFI_MEM_UNUSABLE:
		return BOOT_MEM_BAD;
	default: /* Reserved, PalCode, Persistent, Unaccepted, unknown */
		return BOOT_MEM_RESERVED;
	}
}

/*
 * The byte range descriptor @idx covers, clipped to EFI_MAP_PHYS_LIMIT.
 * Returns false when nothing of it is left.
 */
static bool efi_desc_range(const struct efi_mem_desc *d, u64 idx, u64 *base,
			   u64 *size)
{
	u64 room;

	if (d->num_pages == 0)
		return false;
	if (d->phys_start >= EFI_MAP_PHYS_LIMIT) {
		pr_warn("descriptor %llu (type %u) starts at %#llx, beyond 2^52: skipped\n",
			(unsigned long long)idx, d->type,
			(unsigned long long)d->phys_start);
		return false;
	}
	*base = d->phys_start;
	room = EFI_MAP_PHYS_LIMIT - d->phys_start;
	/* Compare in pages so that num_pages << 12 cannot wrap. */
	if (d->num_pages > room >> EFI_MEM_PAGE_SHIFT) {
		pr_warn("descriptor %llu (type %u) at %#llx has %#llx pages, past 2^52: clipped to %#llx bytes\n",
			(unsigned long long)idx, d->type,
			(unsigned long long)d->phys_start,
			(unsigned long long)d->num_pages,
			(unsigned long long)room);
		*size = room;
	} else {
		*size = d->num_pages << EFI_MEM_PAGE_SHIFT;
	}
	return true;
}

int efi_map_to_boot_info(const void *descs, u64 map_size, u64 desc_size,
			 u32 desc_version, struct boot_info *bi)
{
	const u8 *p = descs;
	u64 nr, i;
	unsigned int pass;

	/*
	 * desc_version is not checked: the spec keeps the first 40 bytes fixed
	 * across versions and grows desc_size instead.
	 */
	(void)desc_version;
	if (!descs || !bi)
		return -EINVAL;
	if (desc_size < sizeof(struct efi_mem_desc) || desc_size % 8 != 0 ||
	    desc_size > EFI_MAP_MAX_DESC_SIZE) {
		pr_warn("bad descriptor size %llu\n", (unsigned long long)desc_size);
		return -EINVAL;
	}
	if (map_size == 0 || map_size % desc_size != 0 ||
	    map_size / desc_size > EFI_MAP_MAX_ENTRIES) {
		pr_warn("bad map size %llu for descriptor size %llu\n",
			(unsigned long long)map_size,
			(unsigned long long)desc_size);
		return -EINVAL;
	}

	/*
	 * Two passes: everything that is not RAM first, then RAM, so that an
	 * overflowing table can only lose RAM, never a reservation.
	 */
	nr = map_size / desc_size;
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < nr; i++) {
			struct efi_mem_desc d;
			u64 base, size;
			u32 type;
			int err;

			/* The map need not be 8-byte aligned in memory: copy it out. */
			memcpy(&d, p + i * desc_size, sizeof(d));
			type = efi_mem_type_to_boot(d.type, d.attribute);
			if ((type == BOOT_MEM_USABLE) != (pass == 1))
				continue;
			if (!efi_desc_range(&d, i, &base, &size))
				continue;
			err = boot_info_add_range(bi, base, size, type);
			if (err == -ENOSPC && pass == 1) {
				pr_warn("more ranges than boot_info holds (%d): usable descriptor %llu and later ones dropped\n",
					BOOT_MAX_MEM_RANGES, (unsigned long long)i);
				return 0;
			}
			if (err == -ENOSPC) {
				pr_warn("more reserved ranges than boot_info holds (%d)\n",
					BOOT_MAX_MEM_RANGES);
				return -ENOSPC;
			}
			if (err)
				return err;
		}
	}
	return 0;
}

/*
 * The hand-off's physical addresses are used as pointers: the kernel calls
 * in while the firmware's identity map is live, before __va() means anything.
 */
static const void *efi_identity_ptr(u64 phys)
{
	return (const void *)(uintptr_t)phys;
}


int efi_handoff_to_boot_info(const struct efi_handoff *h, struct boot_info *bi,
			     char *err, size_t errlen)
{
	int ret;

	if (err && errlen)
		err[0] = '\0';
	if (!h)
		return boot_fail(err, errlen, -EINVAL, "no EFI hand-off (NULL)");
	if (h->magic != KMM_EFI_HANDOFF_MAGIC)
		return boot_fail(err, errlen, -EINVAL,
					"EFI hand-off: bad magic %#llx",
					(unsigned long long)h->magic);
	if (h->version != KMM_EFI_HANDOFF_VERSION)
		return boot_fail(err, errlen, -EINVAL,
					"EFI hand-off: version %u, expected %u",
					h->version, KMM_EFI_HANDOFF_VERSION);
	if (h->size != sizeof(*h))
		return boot_fail(err, errlen, -EINVAL,
					"EFI hand-off: size %u, expected %zu",
					h->size, sizeof(*h));
	if (strnlen(h->cmdline, sizeof(h->cmdline)) == sizeof(h->cmdline))
		return boot_fail(err, errlen, -EINVAL,
					"EFI hand-off: command line not NUL-terminated");
	if (strnlen(h->loader_name, sizeof(h->loader_name)) == sizeof(h->loader_name))
		return boot_fail(err, errlen, -EINVAL,
					"EFI hand-off: loader name not NUL-terminated");
	if (!h->mmap_phys)
		return boot_fail(err, errlen, -EINVAL,
					"EFI hand-off: no memory map");
	/* Same words as mb2_parse(): the limit is the kernel's, whoever booted it. */
	if (h->cmdline_refused)
		return boot_fail(err, errlen, -E2BIG,
				 "command line of %u bytes is longer than the %zu-byte limit",
				 h->cmdline_refused, sizeof(h->cmdline) - 1);

	_Static_assert(sizeof(bi->cmdline) >= sizeof(h->cmdline),
		       "boot_info command line shorter than the hand-off's");
	_Static_assert(sizeof(bi->loader_name) >= sizeof(h->loader_name),
		       "boot_info loader name shorter than the hand-off's");
	memset(bi, 0, sizeof(*bi));
	bi->magic = BOOT_INFO_MAGIC;
	bi->version = BOOT_INFO_VERSION;
	bi->method = BOOT_METHOD_UEFI_DIRECT;
	strlcpy(bi->cmdline, h->cmdline, sizeof(bi->cmdline));
	strlcpy(bi->loader_name, h->loader_name, sizeof(bi->loader_name));
	bi->rsdp_phys = h->rsdp_phys;
	bi->rsdp_revision = h->rsdp_revision;
	bi->fb_phys = h->fb_phys;
	if (h->fb_phys) {
		bi->fb_width = h->fb_width;
		bi->fb_height = h->fb_height;
		bi->fb_pitch = h->fb_pitch;
		bi->fb_bpp = h->fb_bpp;
	}

	ret = efi_map_to_boot_info(efi_identity_ptr(h->mmap_phys), h->mmap_size,
				   h->desc_size, h->desc_version, bi);
	if (ret == -EINVAL)
		return boot_fail(err, errlen, ret,
					"EFI hand-off: malformed memory map (%llu bytes, descriptor size %llu)",
					(unsigned long long)h->mmap_size,
					(unsigned long long)h->desc_size);
	/* A valid map: efi_map_to_boot_info() checked the division. */
	bi->efi_map_entries = (u32)(h->mmap_size / h->desc_size);
	if (ret == -ENOSPC)
		return boot_fail(err, errlen, ret,
					"EFI hand-off: memory map needs more than %d ranges; some dropped",
					BOOT_MAX_MEM_RANGES);
	if (ret)
		return boot_fail(err, errlen, ret,
					"EFI hand-off: memory map conversion failed (%d)", ret);
	return 0;
}

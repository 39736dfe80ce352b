/* SPDX-License-Identifier: MIT */
/*
 * Turning what our GNU-EFI loader hands over (boot/efi_handoff.h) into
 * struct boot_info. This is kernel-side code: it cannot include the GNU-EFI
 * headers, so the one firmware structure it reads, the memory descriptor, is
 * declared here with the layout the UEFI specification gives it
 * (UEFI 2.10, 7.2 EFI_BOOT_SERVICES.GetMemoryMap(), EFI_MEMORY_DESCRIPTOR).
 *
 * Nothing outside boot/ includes this header.
 */
#ifndef BOOT_EFI_MAP_H
#define BOOT_EFI_MAP_H

#include <stddef.h>
#include "kmm/types.h"
#include "boot/boot_info.h"
#include "boot/efi_handoff.h"

/* EFI_MEMORY_TYPE values (UEFI 2.10, table 7.10). */
enum efi_mem_type {
	EFI_MEM_RESERVED = 0,
	EFI_MEM_LOADER_CODE = 1,
	EFI_MEM_LOADER_DATA = 2,
	EFI_MEM_BOOT_SERVICES_CODE = 3,
	EFI_MEM_BOOT_SERVICES_DATA = 4,
	EFI_MEM_RUNTIME_SERVICES_CODE = 5,
	EFI_MEM_RUNTIME_SERVICES_DATA = 6,
	EFI_MEM_CONVENTIONAL = 7,
	EFI_MEM_UNUSABLE = 8,
	EFI_MEM_ACPI_RECLAIM = 9,
	EFI_MEM_ACPI_NVS = 10,
	EFI_MEM_MMIO = 11,
	EFI_MEM_MMIO_PORT_SPACE = 12,
	EFI_MEM_PAL_CODE = 13,
	EFI_MEM_PERSISTENT = 14,
	EFI_MEM_UNACCEPTED = 15,
};

/* Descriptor pages are always 4 KiB, whatever the CPU's page size. */
#define EFI_MEM_PAGE_SHIFT 12
#define EFI_MEM_PAGE_SIZE  (1ULL << EFI_MEM_PAGE_SHIFT)

/*
 * Attribute bit: "specific-purpose" memory (UEFI 2.8+), set aside for a
 * particular user; ordinary allocations must leave it alone.
 */
#define EFI_MEM_ATTR_SP (1ULL << 18)

/* x86_64 physical addresses have at most 52 bits (Intel SDM vol. 3, 4.1.4). */
#define EFI_MAP_PHYS_LIMIT (1ULL << 52)

/*
 * Sanity bounds for a map passed through memory we do not otherwise trust:
 * the spec lets descriptors grow, but never past a page, and no firmware
 * reports anywhere near 64 Ki of them.
 */
#define EFI_MAP_MAX_DESC_SIZE 4096
#define EFI_MAP_MAX_ENTRIES   65536

/*
 * One descriptor, as the firmware lays it out. Consecutive descriptors are
 * desc_size bytes apart, which may be more than sizeof (48 on OVMF): later
 * spec versions append fields. Never index an array of these.
 */
struct efi_mem_desc {
	u32 type;       /* enum efi_mem_type */
	u32 pad;
	u64 phys_start; /* 4 KiB aligned */
	u64 virt_start;
	u64 num_pages;  /* 4 KiB pages */
	u64 attribute;  /* EFI_MEMORY_* bits */
};

_Static_assert(offsetof(struct efi_mem_desc, type) == 0, "EFI descriptor: Type at 0");
_Static_assert(offsetof(struct efi_mem_desc, phys_start) == 8,
	       "EFI descriptor: PhysicalStart at 8");
_Static_assert(offsetof(struct efi_mem_desc, virt_start) == 16,
	       "EFI descriptor: VirtualStart at 16");
_Static_assert(offsetof(struct efi_mem_desc, num_pages) == 24,
	       "EFI descriptor: NumberOfPages at 24");
_Static_assert(offsetof(struct efi_mem_desc, attribute) == 32,
	       "EFI descriptor: Attribute at 32");
_Static_assert(sizeof(struct efi_mem_desc) == 40, "EFI descriptor: 40 bytes");

/* The boot_info type a firmware memory type (with its attributes) becomes. */
u32 efi_mem_type_to_boot(u32 efi_type, u64 attribute);

/*
 * Add every descriptor of the firmware memory map @descs (@map_size bytes,
 * one descriptor every @desc_size bytes) to @bi's memory ranges. Descriptors
 * may be unsorted, adjacent or overlapping: boot_info_add_range() sorts and
 * merges them, the more restrictive type winning. Zero-page descriptors are
 * skipped; ones reaching past 2^52 are clipped (or skipped when they start
 * there) with a warning.
 * Returns 0; -EINVAL for a malformed map (bad desc_size, map_size not a
 * multiple of it, empty or absurdly large), @bi then untouched; -ENOSPC when
 * @bi's table filled up, @bi then holds every range that fitted.
 */
int efi_map_to_boot_info(const void *descs, u64 map_size, u64 desc_size,
			 u32 desc_version, struct boot_info *bi);

/*
 * Validate the loader's hand-off @h and fill all of @bi from it (every field
 * is overwritten). @h and the map it points to must be directly addressable:
 * the kernel calls this while the firmware's identity map is still live.
 * Returns 0; otherwise a negative errno with a one-line reason in @err:
 * -EINVAL for a bad magic, version, size or unterminated string, or a
 * malformed map; -E2BIG when the loader refused a command line too long for
 * the hand-off; -ENOSPC when the map did not fit (@bi is still usable).
 */
int efi_handoff_to_boot_info(const struct efi_handoff *h, struct boot_info *bi,
			     char *err, size_t errlen);

#endif /* BOOT_EFI_MAP_H */

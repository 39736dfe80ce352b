/* SPDX-License-Identifier: MIT */
/*
 * struct boot_info: everything the kernel learns from its boot loader,
 * normalised. boot/ builds it from Multiboot2 tags (GRUB) or from the UEFI
 * memory map (boot/efi loader); nothing outside boot/ ever sees a Multiboot2
 * tag or an EFI memory descriptor.
 *
 * Memory ranges are sorted by base, do not overlap, and adjacent ranges of the
 * same type are merged. Sizes are in bytes and never zero.
 */
#ifndef BOOT_BOOT_INFO_H
#define BOOT_BOOT_INFO_H

#include "kmm/types.h"
#include "kmm/memmap.h"

#define BOOT_INFO_MAGIC    0x6b6d6d42u /* "Bmmk" in memory: 'k' 'm' 'm' 'B' */
#define BOOT_INFO_VERSION  1

#define BOOT_MAX_MEM_RANGES 128
#define BOOT_CMDLINE_MAX    4096 /* with its NUL; longer lines are refused */
#define BOOT_LOADER_NAME_MAX 64

enum boot_method {
	BOOT_METHOD_UNKNOWN = 0,
	BOOT_METHOD_MULTIBOOT2_BIOS, /* GRUB on BIOS firmware */
	BOOT_METHOD_MULTIBOOT2_EFI,  /* GRUB on UEFI firmware */
	BOOT_METHOD_UEFI_DIRECT,     /* our GNU-EFI loader, no GRUB */
};


struct boot_info {
	u32 magic;   /* BOOT_INFO_MAGIC */
	u32 version; /* BOOT_INFO_VERSION */
	u32 method;  /* enum boot_method */
	u32 nr_mem;
	struct boot_mem_range mem[BOOT_MAX_MEM_RANGES];
	char cmdline[BOOT_CMDLINE_MAX];
	char loader_name[BOOT_LOADER_NAME_MAX];
	u64 rsdp_phys;     /* 0 when the loader gave none */
	u32 rsdp_revision; /* 0: ACPI 1.0 RSDP, 2: XSDP */
	u32 efi_map_entries; /* descriptors in the firmware's map, 0 if none */
	u64 fb_phys;       /* GOP framebuffer, 0 when none was recorded */
	u32 fb_width, fb_height, fb_pitch, fb_bpp;
};

/* The kernel's copy, filled once by boot/ before anything else runs. */
extern struct boot_info boot_info;

const char *boot_mem_type_name(u32 type);
const char *boot_method_name(u32 method);

/*
 * Add a range to @bi, keeping the list sorted, non-overlapping and merged.
 * Where ranges overlap, the more restrictive type wins (anything beats
 * USABLE), so RAM a firmware also called reserved is never handed out.
 * Returns 0, or -ENOSPC when the table is full (the range is dropped).
 */
int boot_info_add_range(struct boot_info *bi, u64 base, u64 size, u32 type);

/*
 * For the parsers: format a reason into @err (if any room) and return @code,
 * so a failure reads `return boot_fail(err, errlen, -EINVAL, "...", ...);`.
 */
int boot_fail(char *err, size_t errlen, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Make @bi safe for the kernel that runs on it, warning about each change:
 * RAM (usable or loader) above @max_phys, what the CPU can address, is
 * clipped or dropped; a range that is not RAM but overlaps the kernel image
 * [@kstart, @kend) is reported (the image is already there: it stays, and
 * the kernel reserves it), as is an image that no RAM range covers.
 * Returns the number of warnings.
 */
unsigned int boot_info_sanitize(struct boot_info *bi, u64 max_phys, u64 kstart,
				u64 kend);

/* Is @type memory the kernel may use once boot_info is built (RAM)? */
static inline bool boot_mem_is_ram(u32 type)
{
	return type == BOOT_MEM_USABLE || type == BOOT_MEM_BOOTLOADER;
}

/* Sum of the sizes of all ranges of @type. */
u64 boot_info_total(const struct boot_info *bi, u32 type);

#endif /* BOOT_BOOT_INFO_H */

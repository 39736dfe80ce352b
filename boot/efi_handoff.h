/* SPDX-License-Identifier: MIT */
/*
 * The contract between our GNU-EFI loader (boot/efi/) and the kernel's 64-bit
 * entry point, for booting without GRUB.
 *
 * The kernel image carries a struct kmm_entry_header right after its
 * Multiboot2 header (within the first 32 KiB of the file, 8-byte aligned);
 * the loader finds it by its magic and jumps to entry64_phys:
 *
 *   - 64-bit mode, paging on with the firmware's identity map, interrupts off,
 *     boot services exited, a valid stack, direction flag clear;
 *   - RDI = KMM_EFI_HANDOFF_MAGIC, RSI = physical address of a struct
 *     efi_handoff in memory the loader allocated as EfiLoaderData.
 *
 * The kernel copies what it needs out of the hand-off into boot_info before
 * it allocates anything, then treats LoaderData as bootloader memory.
 * The memory map is the firmware's own (EFI_MEMORY_DESCRIPTOR array, stepped
 * by desc_size); only boot/ reads it.
 *
 * A command line longer than cmdline[] holds is not cut: the loader hands over
 * an empty cmdline and its length in cmdline_refused, and the kernel refuses
 * to boot with the same message and exit as on the Multiboot2 paths.
 */
#ifndef BOOT_EFI_HANDOFF_H
#define BOOT_EFI_HANDOFF_H

#include "kmm/types.h"

#define KMM_ENTRY_HEADER_MAGIC 0x34367972746e456bULL /* "kEntry64" */
#define KMM_EFI_HANDOFF_MAGIC  0x6f646e6148696645ULL /* "EfiHando" */
#define KMM_EFI_HANDOFF_VERSION 3 /* 2: 4096-byte command line, 3: cmdline_refused */

struct kmm_entry_header {
	u64 magic;        /* KMM_ENTRY_HEADER_MAGIC */
	u64 entry64_phys; /* physical address of the 64-bit entry */
};

struct efi_handoff {
	u64 magic;        /* KMM_EFI_HANDOFF_MAGIC */
	u32 version;      /* KMM_EFI_HANDOFF_VERSION */
	u32 size;         /* sizeof(struct efi_handoff) */
	u64 mmap_phys;    /* EFI memory map (descriptors) */
	u64 mmap_size;    /* bytes in the map */
	u64 desc_size;    /* step between descriptors */
	u32 desc_version;
	u32 reserved0;
	u64 rsdp_phys;    /* 0 if none */
	u32 rsdp_revision;
	u32 cmdline_refused; /* 0, or the length of a line too long to hand over */
	u64 fb_phys;      /* GOP framebuffer or 0 */
	u32 fb_width, fb_height, fb_pitch, fb_bpp;
	u64 kernel_phys_start, kernel_phys_end; /* what the loader placed */
	char cmdline[4096]; /* NUL-terminated; empty when cmdline_refused */
	char loader_name[64];
};

#endif /* BOOT_EFI_HANDOFF_H */

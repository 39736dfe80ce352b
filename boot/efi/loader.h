/* SPDX-License-Identifier: MIT */
/*
 * Private declarations of the kmm GNU-EFI loader (the .c files in boot/efi/).
 * The loader is a UEFI application, built with GNU-EFI, not kernel code:
 * it uses the firmware's types and calls, and shares nothing with the kernel
 * but the hand-off contract in boot/efi_handoff.h.
 */
#ifndef BOOT_EFI_LOADER_H
#define BOOT_EFI_LOADER_H

#include <efi.h>
#include <efilib.h>

/*
 * Every message the loader prints starts with "kmm-efi: "; failures with
 * "kmm-efi: error: " so that a test reading the serial log (OVMF copies the
 * firmware console to COM1) can find them. @fmt is a GNU-EFI Print() format:
 * %a for a CHAR8 string, %s for CHAR16, %r for an EFI_STATUS, %lx for UINT64.
 */
#define LOADER_PREFIX L"kmm-efi: "
#define loader_info(fmt, ...)  Print(LOADER_PREFIX fmt L"\n", ##__VA_ARGS__)
#define loader_warn(fmt, ...)  Print(LOADER_PREFIX L"warning: " fmt L"\n", ##__VA_ARGS__)
#define loader_error(fmt, ...) Print(LOADER_PREFIX L"error: " fmt L"\n", ##__VA_ARGS__)

#define LOADER_NAME "kmm-efi (GNU-EFI)"

/* File names on the ESP (see the search order in esp.c). */
#define KERNEL_FILE_NAME  L"kernel.elf"
#define CMDLINE_FILE_NAME L"kmm-cmdline.txt"

#define LOADER_MAX_PATH 256 /* CHAR16s in a path on the ESP */

/* --- esp.c: files on the partition the loader came from ---------------- */

struct esp {
	EFI_FILE_HANDLE root;
	CHAR16 loader_dir[LOADER_MAX_PATH]; /* "\EFI\BOOT", "" for the root */
};

/* Open the volume the loader was loaded from. Prints why on failure. */
EFI_STATUS esp_open(EFI_LOADED_IMAGE *li, struct esp *esp);
void esp_close(struct esp *esp);

/*
 * Read the whole of @name, looking first in the loader's directory, then in
 * the root. On success *@buf (pool memory, the caller frees it with
 * FreePool()) holds *@size bytes plus a NUL, and @found holds the path used.
 * Returns EFI_NOT_FOUND quietly when neither exists, EFI_BAD_BUFFER_SIZE
 * quietly when the file is larger than @max_size (*@size then holds its
 * size); prints other failures.
 */
EFI_STATUS esp_find_file(struct esp *esp, const CHAR16 *name, UINTN max_size,
			 UINT8 **buf, UINTN *size, CHAR16 found[LOADER_MAX_PATH]);

/* Like esp_find_file(), for @name in the directory of the file @beside. */
EFI_STATUS esp_read_beside(struct esp *esp, const CHAR16 *beside,
			   const CHAR16 *name, UINTN max_size, UINT8 **buf,
			   UINTN *size);

/* --- kernel_elf.c: checking and placing kernel.elf ---------------------- */

#define KERNEL_MAX_SEGMENTS 16
/* The entry header must sit in the first 32 KiB of the file (efi_handoff.h). */
#define KERNEL_HEADER_SEARCH 32768
/* Every loaded byte stays below 4 GiB, like GRUB's Multiboot2 loading. */
#define KERNEL_LOAD_LIMIT 0x100000000ULL

struct kernel_span {
	EFI_PHYSICAL_ADDRESS base; /* page-aligned */
	UINTN pages;
	BOOLEAN allocated;
};

struct kernel_segment {
	UINT64 paddr, offset, filesz, memsz;
	UINT32 flags; /* PF_X, PF_W, PF_R */
};

struct kernel_image {
	const UINT8 *file;
	UINTN file_size;
	UINT64 entry64_phys;
	UINT64 phys_start, phys_end; /* bytes the PT_LOAD segments cover */
	/* Non-empty PT_LOAD segments, sorted by physical address. */
	struct kernel_segment segs[KERNEL_MAX_SEGMENTS];
	UINTN nr_segs;
	/* Page runs covering the segments, sorted, merged, disjoint. */
	struct kernel_span spans[KERNEL_MAX_SEGMENTS];
	UINTN nr_spans;
};

/*
 * Check that @file is a kernel we can load: ELF64, little-endian, x86_64,
 * ET_EXEC, sane PT_LOAD segments below 4 GiB that do not overlap, and a kmm
 * entry header pointing into a loaded executable segment. Fills @img.
 * Prints what is wrong and returns EFI_LOAD_ERROR otherwise.
 */
EFI_STATUS kernel_check(const UINT8 *file, UINTN file_size,
			struct kernel_image *img);

/*
 * Allocate every page run of @img at its physical address as EfiLoaderData,
 * copy the segments and zero their bss. Frees what it took and prints the
 * range and the firmware's status when some memory is not free.
 */
EFI_STATUS kernel_load(struct kernel_image *img);

/* Give back what kernel_load() allocated (error paths only). */
void kernel_unload(struct kernel_image *img);

/* --- cmdline.c: the kernel command line --------------------------------- */

/*
 * Fill @out (@outlen bytes, NUL-terminated) with the kernel command line:
 * the loader's own LoadOptions when they are text, otherwise the contents of
 * kmm-cmdline.txt beside the kernel, otherwise "". @kernel_path is where
 * kernel.elf was found. A line that does not fit is not cut: @out stays
 * empty and *@refused gets its length (the kernel refuses it). Fails only
 * when the file cannot be read or memory runs out, after printing why.
 */
EFI_STATUS cmdline_get(EFI_LOADED_IMAGE *li, struct esp *esp,
		       const CHAR16 *kernel_path, char *out, UINTN outlen,
		       UINT32 *refused);

#endif /* BOOT_EFI_LOADER_H */

/* SPDX-License-Identifier: MIT */
/*
 * Multiboot2: the parts of the protocol kmm reads (Multiboot2 specification
 * 2.0, section 3: the OS image header and the boot information format).
 *
 * The boot information GRUB leaves at EBX is 8-byte aligned:
 *
 *   +0  u32 total_size   bytes, this fixed part and the end tag included
 *   +4  u32 reserved
 *   +8  tags: { u32 type; u32 size; payload }, each starting 8-byte aligned
 *       (the next tag is at ALIGN_UP(size, 8)), the last one { 0, 8 }.
 *
 * Only boot/ includes this header: mb2_parse() turns the tags into
 * struct boot_info and nothing past boot/ ever sees a tag.
 */
#ifndef BOOT_MULTIBOOT2_H
#define BOOT_MULTIBOOT2_H

/* The OS image header (section 3.1.1) and the value GRUB leaves in EAX. */
#define MULTIBOOT2_HEADER_MAGIC     0xE85250D6u
#define MULTIBOOT2_BOOTLOADER_MAGIC 0x36D76289u
#define MULTIBOOT2_ARCH_I386        0u
#define MULTIBOOT2_HEADER_ALIGN     8
#define MULTIBOOT2_SEARCH_BYTES     32768 /* header within the first 32 KiB */

/* OS image header tag types (section 3.1.3 onwards). */
#define MB2_HEADER_TAG_END            0
#define MB2_HEADER_TAG_INFO_REQUEST   1
#define MB2_HEADER_TAG_ADDRESS        2
#define MB2_HEADER_TAG_ENTRY_ADDRESS  3
#define MB2_HEADER_TAG_CONSOLE_FLAGS  4
#define MB2_HEADER_TAG_FRAMEBUFFER    5
#define MB2_HEADER_TAG_MODULE_ALIGN   6
#define MB2_HEADER_TAG_EFI_BS         7
#define MB2_HEADER_TAG_ENTRY_EFI32    8
#define MB2_HEADER_TAG_ENTRY_EFI64    9
#define MB2_HEADER_TAG_RELOCATABLE    10

/* Boot information tag types (section 3.6). */
#define MB2_TAG_END              0
#define MB2_TAG_CMDLINE          1
#define MB2_TAG_LOADER_NAME      2
#define MB2_TAG_MODULE           3
#define MB2_TAG_BASIC_MEMINFO    4
#define MB2_TAG_BOOTDEV          5
#define MB2_TAG_MMAP             6
#define MB2_TAG_VBE              7
#define MB2_TAG_FRAMEBUFFER      8
#define MB2_TAG_ELF_SECTIONS     9
#define MB2_TAG_APM              10
#define MB2_TAG_EFI32            11 /* EFI32 system table pointer */
#define MB2_TAG_EFI64            12 /* EFI64 system table pointer */
#define MB2_TAG_SMBIOS           13
#define MB2_TAG_ACPI_OLD         14 /* copy of the ACPI 1.0 RSDP */
#define MB2_TAG_ACPI_NEW         15 /* copy of the ACPI 2.0+ XSDP */
#define MB2_TAG_NETWORK          16
#define MB2_TAG_EFI_MMAP         17 /* the firmware's final memory map */
#define MB2_TAG_EFI_BS           18 /* EFI boot services not terminated */
#define MB2_TAG_EFI32_IH         19
#define MB2_TAG_EFI64_IH         20
#define MB2_TAG_LOAD_BASE_ADDR   21

/* Memory map entry types (tag 6); anything else is reserved. */
#define MB2_MEMORY_AVAILABLE        1
#define MB2_MEMORY_RESERVED         2
#define MB2_MEMORY_ACPI_RECLAIMABLE 3
#define MB2_MEMORY_NVS              4
#define MB2_MEMORY_BADRAM           5

/* Framebuffer types (tag 8). */
#define MB2_FRAMEBUFFER_INDEXED  0
#define MB2_FRAMEBUFFER_RGB      1
#define MB2_FRAMEBUFFER_EGA_TEXT 2

/* Bounds mb2_parse() enforces on what it is given. */
#define MB2_INFO_MIN_SIZE  16          /* fixed part + end tag */
#define MB2_INFO_MAX_SIZE  (1u << 20)  /* GRUB's is a few KiB */
#define MB2_ERR_MAX        128         /* a buffer this big holds any message */

#ifndef __ASSEMBLY__
#include "kmm/types.h"
#include "boot/boot_info.h"

struct mb2_info_header {
	u32 total_size;
	u32 reserved;
};

struct mb2_tag {
	u32 type;
	u32 size; /* header included, padding to 8 bytes excluded */
};

/* Tags 1 and 2: a NUL-terminated string fills the rest of the tag. */
struct mb2_tag_string {
	struct mb2_tag tag;
	char string[];
};

struct mb2_tag_basic_meminfo {
	struct mb2_tag tag;
	u32 mem_lower; /* KiB from 0 */
	u32 mem_upper; /* KiB from 1 MiB */
};

struct mb2_mmap_entry {
	u64 base_addr;
	u64 length;
	u32 type;
	u32 reserved;
};

/* Tag 6: entries are entry_size bytes apart; entry_size may grow. */
struct mb2_tag_mmap {
	struct mb2_tag tag;
	u32 entry_size;
	u32 entry_version; /* 0 */
	u8 entries[];
};

/* Tag 8: common part; colour information follows. */
struct mb2_tag_framebuffer {
	struct mb2_tag tag;
	u64 addr;
	u32 pitch;
	u32 width;
	u32 height;
	u8 bpp;
	u8 fb_type;
	u16 reserved;
};

struct mb2_tag_efi64 {
	struct mb2_tag tag;
	u64 pointer;
};

struct mb2_tag_efi32 {
	struct mb2_tag tag;
	u32 pointer;
};

/* Tags 14 and 15: a byte copy of the RSDP (20 bytes) or XSDP (36 bytes). */
struct mb2_tag_acpi {
	struct mb2_tag tag;
	u8 rsdp[];
};

/* Tag 17: EFI_MEMORY_DESCRIPTORs, descr_size bytes apart. */
struct mb2_tag_efi_mmap {
	struct mb2_tag tag;
	u32 descr_size;
	u32 descr_version;
	u8 descs[];
};

struct mb2_tag_load_base {
	struct mb2_tag tag;
	u32 load_base_addr;
};

/* The ACPI RSDP as the firmware lays it out (ACPI 6.5, 5.2.5.3). */
#define ACPI_RSDP_SIGNATURE "RSD PTR "
#define ACPI_RSDP_V1_SIZE   20
#define ACPI_XSDP_SIZE      36

_Static_assert(sizeof(struct mb2_info_header) == 8, "Multiboot2 fixed part");
_Static_assert(sizeof(struct mb2_tag) == 8, "Multiboot2 tag header");
_Static_assert(sizeof(struct mb2_mmap_entry) == 24, "Multiboot2 mmap entry");
_Static_assert(sizeof(struct mb2_tag_mmap) == 16, "Multiboot2 mmap tag");
_Static_assert(sizeof(struct mb2_tag_basic_meminfo) == 16, "basic meminfo tag");
_Static_assert(sizeof(struct mb2_tag_framebuffer) == 32, "framebuffer tag");
_Static_assert(sizeof(struct mb2_tag_efi64) == 16, "EFI64 tag");
_Static_assert(sizeof(struct mb2_tag_efi_mmap) == 16, "EFI mmap tag");

/*
 * Parse the Multiboot2 boot information at @info (mapped; physical address
 * @info_phys) into @bi, which is cleared first. Everything kept is copied:
 * the kernel may reuse the boot information's memory afterwards, with one
 * exception: rsdp_phys is the physical address of the RSDP copy *inside* the
 * boot information (tag 15 preferred over 14), so the kernel reserves the
 * boot information's memory (kernel/main.c).
 *
 * Memory ranges come from tag 17, the firmware's own map, when GRUB passes
 * one that converts cleanly (boot/efi_map.c), else from tag 6, which is
 * required either way; efi_map_entries counts tag 17's descriptors.
 * method is MULTIBOOT2_EFI when an EFI system table tag (11 or 12) is
 * present, else MULTIBOOT2_BIOS. An RGB framebuffer (tag 8) is recorded.
 * Optional tags that look wrong (an RSDP copy failing its signature or
 * checksum, a short framebuffer tag, a malformed tag 17) are ignored with a
 * warning: booting without them is safe. Unknown tag types are skipped.
 *
 * Returns 0 with bi->magic and bi->version set. Otherwise a negative errno
 * and a one-line reason in @err (MB2_ERR_MAX bytes are always enough);
 * bi->magic is then 0 and the rest of @bi is meaningless. -EINVAL: the
 * information or a tag is malformed (bad size or alignment, a tag overrunning
 * the total, no end tag, a bad memory map, an unterminated string, boot
 * services still running); -ENOENT: no memory map or no usable RAM in it;
 * -ENOSPC: more memory ranges than struct boot_info holds.
 */
int mb2_parse(const void *info, u64 info_phys, struct boot_info *bi,
	      char *err, size_t errlen);

#endif /* !__ASSEMBLY__ */
#endif /* BOOT_MULTIBOOT2_H */

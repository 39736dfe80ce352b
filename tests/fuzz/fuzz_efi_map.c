// SPDX-License-Identifier: MIT
/*
 * fuzz_efi_map: the UEFI memory map conversion on arbitrary descriptors.
 *
 * Input layout: a control byte, then (handoff mode, bit 7 set) the bytes of
 * a struct efi_handoff, or (map mode) a descriptor size choice, a map size
 * trim, a count, 8 bytes of raw descriptor size, up to three 17-byte ranges
 * already in boot_info; the rest is the descriptor array.
 * The array is copied into a heap buffer of exactly its length and the map
 * size the callee is told never exceeds it, so AddressSanitizer catches any
 * read past the map.
 *
 *   map mode      efi_map_to_boot_info(): -EINVAL exactly when the
 *                 descriptor size or map size is malformed (boot_info then
 *                 untouched); on 0 the table keeps its invariants and equals
 *                 the painted model (pre-existing ranges plus every
 *                 non-empty descriptor, clipped at 2^52, typed as
 *                 efi_map.c's table says); on -ENOSPC only the invariants.
 *   handoff mode  efi_handoff_to_boot_info() with the magic, version and
 *                 size made right or left as they come; on 0 every field is
 *                 copied, the method is UEFI_DIRECT and the table is as in
 *                 map mode; a failure leaves a reason. A well-formed one
 *                 with cmdline_refused set is refused with -E2BIG.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "boot/efi_map.h"
#include "kmm/errno.h"

static struct boot_info bi, before;
static struct fuzz_paint paint;

/* efi_map.c's type table, written out again from its documentation. */
static u32 expected_type(u32 type, u64 attr)
{
	switch (type) {
	case EFI_MEM_CONVENTIONAL:
		return attr & EFI_MEM_ATTR_SP ? BOOT_MEM_RESERVED : BOOT_MEM_USABLE;
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
	default:
		return BOOT_MEM_RESERVED;
	}
}

static bool map_valid(u64 map_size, u64 desc_size)
{
	return desc_size >= sizeof(struct efi_mem_desc) && desc_size % 8 == 0 &&
	       desc_size <= EFI_MAP_MAX_DESC_SIZE && map_size && map_size % desc_size == 0 &&
	       map_size / desc_size <= EFI_MAP_MAX_ENTRIES;
}

/* Paint every descriptor of a valid map as the converter should. */
static void paint_map(const u8 *map, u64 map_size, u64 desc_size)
{
	u64 i;

	for (i = 0; i < map_size / desc_size; i++) {
		struct efi_mem_desc d;
		u64 size;

		memcpy(&d, map + i * desc_size, sizeof(d));
		if (!d.num_pages || d.phys_start >= EFI_MAP_PHYS_LIMIT)
			continue;
		size = EFI_MAP_PHYS_LIMIT - d.phys_start;
		if (d.num_pages <= size >> EFI_MEM_PAGE_SHIFT)
			size = d.num_pages << EFI_MEM_PAGE_SHIFT;
		fuzz_paint_add(&paint, d.phys_start, size,
			       expected_type(d.type, d.attribute));
	}
}

static void check_result(int ret, const u8 *map, u64 map_size, u64 desc_size)
{
	if (!map_valid(map_size, desc_size)) {
		FUZZ_CHECK(ret == -EINVAL, "malformed map (size %llu, desc %llu) gave %d",
			   (unsigned long long)map_size, (unsigned long long)desc_size, ret);
		return;
	}
	FUZZ_CHECK(ret == 0 || ret == -ENOSPC, "valid map gave %d", ret);
	fuzz_check_boot_info(&bi);
	if (ret == 0) {
		paint_map(map, map_size, desc_size);
		fuzz_paint_expect(&paint, &bi);
	}
}

static u64 pick_desc_size(u8 c, const u8 *data, size_t size)
{
	static const u64 common[] = { 40, 48, 56, 64, 4096, 4104, 0, 8, 44 };
	u64 v = 0;

	if (c < 0xf0)
		return common[c % ARRAY_SIZE(common)];
	memcpy(&v, data, size < 8 ? size : 8);
	return v;
}

static void run_map(const u8 *data, size_t size)
{
	u64 desc_size, map_size;
	unsigned int pre, trim, i;
	u8 *map;
	int ret;

	if (size < 3 + 8)
		return;
	desc_size = pick_desc_size(data[0], data + 3, size - 3);
	trim = data[1] & 0x80 ? data[1] & 0x3f : 0; /* claim less than there is */
	pre = data[2] % 4;
	data += 3 + 8;
	size -= 3 + 8;
	/* Up to three ranges that were in boot_info before the map. */
	for (i = 0; i < pre && size >= 17; i++, data += 17, size -= 17) {
		u64 base, len;

		memcpy(&base, data, 8);
		memcpy(&len, data + 8, 8);
		base &= (1ULL << 40) - 1;
		len &= (1ULL << 36) - 1;
		if (!boot_info_add_range(&bi, base, len, 1 + data[16] % 8))
			fuzz_paint_add(&paint, base, len, 1 + data[16] % 8);
	}
	map_size = size > trim ? size - trim : 0;
	map = malloc(size ? size : 1);
	FUZZ_CHECK(map, "out of host memory");
	memcpy(map, data, size);
	before = bi;
	ret = efi_map_to_boot_info(map, map_size, desc_size, 1, &bi);
	if (ret == -EINVAL)
		FUZZ_CHECK(!memcmp(&bi, &before, sizeof(bi)), "-EINVAL changed boot_info");
	check_result(ret, map, map_size, desc_size);
	free(map);
}

static void run_handoff(u8 ctl, const u8 *data, size_t size)
{
	struct efi_handoff h = { 0 };
	char err[128];
	u8 *map;
	int ret;

	memcpy(&h, data, size < sizeof(h) ? size : sizeof(h));
	data += size < sizeof(h) ? size : sizeof(h);
	size -= size < sizeof(h) ? size : sizeof(h);
	if (ctl & 2) {
		h.magic = KMM_EFI_HANDOFF_MAGIC;
		h.version = KMM_EFI_HANDOFF_VERSION;
		h.size = sizeof(h);
	}
	if (ctl & 4) {
		h.cmdline[sizeof(h.cmdline) - 1] = '\0';
		h.loader_name[sizeof(h.loader_name) - 1] = '\0';
		/* As the loader does: a refused line is handed over empty. */
		if (h.cmdline[0])
			h.cmdline_refused = 0;
	}
	if (ctl & 8)
		h.desc_size = 40 + 8 * (ctl >> 4);
	map = malloc(size ? size : 1);
	FUZZ_CHECK(map, "out of host memory");
	memcpy(map, data, size);
	/* The map must be where the hand-off says, and no longer than we have. */
	h.mmap_phys = (ctl & 1) ? (u64)(uintptr_t)map : 0;
	if (h.mmap_size > size || (ctl & 8))
		h.mmap_size = size;

	ret = efi_handoff_to_boot_info(&h, &bi, err, sizeof(err));
	FUZZ_CHECK(memchr(err, 0, sizeof(err)), "error message not terminated");
	if (ret == -EINVAL && !err[0])
		FUZZ_CHECK(0, "-EINVAL without a reason");
	if (h.magic != KMM_EFI_HANDOFF_MAGIC || h.version != KMM_EFI_HANDOFF_VERSION ||
	    h.size != sizeof(h) || !memchr(h.cmdline, 0, sizeof(h.cmdline)) ||
	    !memchr(h.loader_name, 0, sizeof(h.loader_name)) || !h.mmap_phys) {
		FUZZ_CHECK(ret == -EINVAL, "a bad hand-off was accepted (%d)", ret);
		goto out;
	}
	if (h.cmdline_refused) {
		FUZZ_CHECK(ret == -E2BIG && strstr(err, "longer than the 4095-byte limit"),
			   "a refused command line gave %d (%s)", ret, err);
		goto out;
	}
	check_result(ret, map, h.mmap_size, h.desc_size);
	if (ret == -EINVAL)
		goto out;
	FUZZ_CHECK(err[0] || ret == 0, "failure %d without a reason", ret);
	FUZZ_CHECK(bi.magic == BOOT_INFO_MAGIC && bi.version == BOOT_INFO_VERSION &&
			   bi.method == BOOT_METHOD_UEFI_DIRECT,
		   "magic %#x version %u method %u", bi.magic, bi.version, bi.method);
	FUZZ_CHECK(!strcmp(bi.cmdline, h.cmdline) && !strcmp(bi.loader_name, h.loader_name),
		   "strings not copied");
	FUZZ_CHECK(bi.rsdp_phys == h.rsdp_phys && bi.rsdp_revision == h.rsdp_revision,
		   "RSDP not copied");
	FUZZ_CHECK(bi.fb_phys == h.fb_phys && (!h.fb_phys || bi.fb_width == h.fb_width),
		   "framebuffer not copied");
	FUZZ_CHECK(bi.efi_map_entries == h.mmap_size / h.desc_size, "efi_map_entries %u",
		   bi.efi_map_entries);
out:
	free(map);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_setup_console();
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u8 ctl;

	if (!size)
		return 0;
	ctl = data[0];
	memset(&bi, 0, sizeof(bi));
	paint.n = 0;
	if (ctl & 0x80)
		run_handoff(ctl & 0x7f, data + 1, size - 1);
	else
		run_map(data + 1, size - 1);
	return 0;
}

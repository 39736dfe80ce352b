// SPDX-License-Identifier: MIT
/*
 * fuzz_mb2: mb2_parse() on arbitrary boot information.
 *
 * The input is the boot information itself. Its total_size field is
 * trusted by the parser (GRUB's promise), so the harness makes it true: the
 * blob is copied into a heap buffer of exactly total_size bytes (a larger
 * claim is cut to the input's length), and AddressSanitizer catches any read
 * past it. The error buffer is as long as the last input byte says, so short
 * buffers are exercised too.
 *
 * When mb2_parse() returns 0: magic, version and method are set; the range
 * table keeps boot_info's invariants; some RAM is usable; an RSDP address
 * points inside the information; and the ranges are
 *   - those of the EFI map (tag 17) when it converts cleanly (the conversion
 *     itself is fuzzed against its own model by fuzz_efi_map), else
 *   - exactly what painting tag 6's non-empty entries gives (see
 *     fuzz_paint_expect), unless the table overflowed and RAM was dropped:
 *     then nothing boot_info calls usable may be anything else in the map.
 * Otherwise: a reason is in the error buffer and bi->magic is 0.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "boot/multiboot2.h"
#include "boot/efi_map.h"
#include "kmm/errno.h"
#include "kernel/ktest.h"

#define INFO_PHYS 0x10000ULL

static struct boot_info bi, efi;
static struct fuzz_paint paint;

static u32 mb2_to_boot(u32 type)
{
	switch (type) {
	case MB2_MEMORY_AVAILABLE:        return BOOT_MEM_USABLE;
	case MB2_MEMORY_ACPI_RECLAIMABLE: return BOOT_MEM_ACPI_RECLAIM;
	case MB2_MEMORY_NVS:              return BOOT_MEM_ACPI_NVS;
	case MB2_MEMORY_BADRAM:           return BOOT_MEM_BAD;
	default:                          return BOOT_MEM_RESERVED;
	}
}

/* The first tag of @type, or NULL. */
static const struct mb2_tag *find_tag(const u8 *info, u32 total, u32 type)
{
	u32 off = sizeof(struct mb2_info_header);

	while (total - off >= sizeof(struct mb2_tag)) {
		const struct mb2_tag *tag = (const void *)(info + off);

		if (tag->type == type)
			return tag;
		if (tag->type == MB2_TAG_END)
			return NULL;
		off += ALIGN_UP(tag->size, 8u);
	}
	return NULL;
}

/* Tag 17 converted on its own, if it is well formed and has RAM. */
static bool efi_map_expected(const u8 *info, u32 total, struct boot_info *out)
{
	const struct mb2_tag *tag = find_tag(info, total, MB2_TAG_EFI_MMAP);
	const struct mb2_tag_efi_mmap *m = (const void *)tag;
	u32 payload;

	if (!tag || tag->size < sizeof(*m) || m->descr_size < 40 || m->descr_size % 8)
		return false;
	payload = tag->size - sizeof(*m);
	if (payload == 0 || payload % m->descr_size)
		return false;
	memset(out, 0, sizeof(*out));
	return efi_map_to_boot_info(m->descs, payload, m->descr_size,
				    m->descr_version, out) == 0 &&
	       boot_info_total(out, BOOT_MEM_USABLE) > 0;
}

/* After an overflow: RAM in boot_info must not be anything else in the map. */
static void expect_no_invented_ram(const struct fuzz_paint *p,
				   const struct boot_info *b)
{
	unsigned int i, j;

	for (i = 0; i < b->nr_mem; i++) {
		const struct boot_mem_range *r = &b->mem[i];

		if (r->type != BOOT_MEM_USABLE)
			continue;
		for (j = 0; j < p->n; j++)
			FUZZ_CHECK(p->r[j].type == BOOT_MEM_USABLE ||
					   p->r[j].end <= r->base ||
					   p->r[j].base >= r->base + r->size,
				   "usable [%#llx, %#llx) overlaps map type %u at [%#llx, %#llx)",
				   (unsigned long long)r->base,
				   (unsigned long long)(r->base + r->size), p->r[j].type,
				   (unsigned long long)p->r[j].base,
				   (unsigned long long)p->r[j].end);
	}
}

/* The ranges the memory map tag (the first tag 6) asks for, painted. */
static void paint_mmap(const u8 *info, u32 total)
{
	u32 off = sizeof(struct mb2_info_header);

	paint.n = 0;
	while (total - off >= sizeof(struct mb2_tag)) {
		const struct mb2_tag *tag = (const void *)(info + off);

		if (tag->type == MB2_TAG_MMAP) {
			const struct mb2_tag_mmap *m = (const void *)tag;
			u32 i, n = (tag->size - sizeof(*m)) / m->entry_size;

			for (i = 0; i < n; i++) {
				const struct mb2_mmap_entry *e =
					(const void *)(m->entries + (size_t)i * m->entry_size);

				if (e->length)
					fuzz_paint_add(&paint, e->base_addr, e->length,
						       mb2_to_boot(e->type));
			}
			return;
		}
		off += ALIGN_UP(tag->size, 8u);
	}
	FUZZ_CHECK(0, "parsed without a memory map tag");
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
	size_t errlen = size ? data[size - 1] % (MB2_ERR_MAX + 1) : MB2_ERR_MAX;
	u32 total = 0;
	u8 *info;
	char *err;
	size_t len;
	unsigned long mark;
	int ret;

	memcpy(&total, data, size < 4 ? size : 4);
	if (total > size)
		total = (u32)size;
	len = total < 8 ? 8 : total;
	info = calloc(1, len);
	err = errlen ? malloc(errlen) : NULL;
	FUZZ_CHECK(info && (err || !errlen), "out of host memory");
	memcpy(info, data, size < len ? size : len);
	memcpy(info, &total, sizeof(total));

	mark = ktest_console_mark();
	ret = mb2_parse(info, INFO_PHYS, &bi, err, errlen);
	if (err)
		FUZZ_CHECK(memchr(err, 0, errlen), "error message not terminated");
	if (ret) {
		FUZZ_CHECK(ret == -EINVAL || ret == -ENOENT || ret == -ENOSPC,
			   "mb2_parse returned %d", ret);
		FUZZ_CHECK(bi.magic == 0, "failed parse left magic %#x", bi.magic);
		if (errlen > 1)
			FUZZ_CHECK(err[0], "failure %d without a reason", ret);
		goto out;
	}
	FUZZ_CHECK(bi.magic == BOOT_INFO_MAGIC && bi.version == BOOT_INFO_VERSION,
		   "magic %#x version %u", bi.magic, bi.version);
	FUZZ_CHECK(bi.method == BOOT_METHOD_MULTIBOOT2_BIOS ||
			   bi.method == BOOT_METHOD_MULTIBOOT2_EFI, "method %u", bi.method);
	fuzz_check_boot_info(&bi);
	FUZZ_CHECK(bi.nr_mem > 0 && boot_info_total(&bi, BOOT_MEM_USABLE) > 0,
		   "success without usable RAM");
	if (bi.rsdp_phys)
		FUZZ_CHECK(bi.rsdp_phys >= INFO_PHYS + 16 &&
				   bi.rsdp_phys + ACPI_RSDP_V1_SIZE <= INFO_PHYS + total,
			   "RSDP at %#llx outside the information",
			   (unsigned long long)bi.rsdp_phys);
	if (efi_map_expected(info, total, &efi)) {
		FUZZ_CHECK(bi.nr_mem == efi.nr_mem &&
				   !memcmp(bi.mem, efi.mem, efi.nr_mem * sizeof(efi.mem[0])),
			   "ranges differ from tag 17's conversion");
		goto out;
	}
	paint_mmap(info, total);
	if (fuzz_reported(mark, "later ones dropped"))
		expect_no_invented_ram(&paint, &bi);
	else
		fuzz_paint_expect(&paint, &bi);
out:
	free(err);
	free(info);
	return 0;
}

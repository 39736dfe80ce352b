// SPDX-License-Identifier: MIT
/*
 * boot/multiboot2.c and boot/boot_info.c on hand-made boot information.
 *
 * The good blobs copy the tag sequences GRUB 2.06 hands over under QEMU
 * (SeaBIOS: 21,1,2,10,6,9,4,5,8,14; OVMF: 21,1,2,6,9,4,12,14,15,17); the bad
 * ones break one rule each and check the exact error and its message.
 * boot_info_add_range() is also checked against a brute-force model.
 */
#include <stdlib.h>
#include <string.h>
#include "boot/boot_info.h"
#include "boot/multiboot2.h"
#include "kernel/ktest.h"
#include "kmm/errno.h"
#include "kmm/string.h"

#define INFO_PHYS 0x10000ULL /* where the "loader" put the blob */

struct blob {
	u64 words[4096]; /* 32 KiB, 8-byte aligned */
	u32 len;
};

static struct blob blob;

static u8 *blob_bytes(struct blob *b)
{
	return (u8 *)b->words;
}

static void blob_init(struct blob *b)
{
	memset(b, 0, sizeof(*b));
	b->len = sizeof(struct mb2_info_header);
}

/* Append a tag of @size bytes (header included); returns it, zeroed. */
static void *blob_tag(struct blob *b, u32 type, u32 size)
{
	struct mb2_tag *tag = (void *)(blob_bytes(b) + b->len);

	tag->type = type;
	tag->size = size;
	b->len += ALIGN_UP(size, 8u);
	((struct mb2_info_header *)b->words)->total_size = b->len;
	return tag;
}

static void blob_end(struct blob *b)
{
	blob_tag(b, MB2_TAG_END, 8);
}

static u32 blob_offset(struct blob *b, const void *tag)
{
	return (u32)((const u8 *)tag - blob_bytes(b));
}

static void *add_string(struct blob *b, u32 type, const char *s)
{
	struct mb2_tag_string *t = blob_tag(b, type, 8 + strlen(s) + 1);

	memcpy(t->string, s, strlen(s) + 1);
	return t;
}

static void *add_mmap(struct blob *b, u32 entry_size,
		      const struct mb2_mmap_entry *e, u32 n)
{
	struct mb2_tag_mmap *m = blob_tag(b, MB2_TAG_MMAP, 16 + n * entry_size);
	u32 i;

	m->entry_size = entry_size;
	for (i = 0; i < n; i++)
		memcpy(m->entries + i * entry_size, &e[i], sizeof(e[i]));
	return m;
}

static void fix_checksum(u8 *p, u32 len, u32 at)
{
	u8 sum = 0;
	u32 i;

	p[at] = 0;
	for (i = 0; i < len; i++)
		sum += p[i];
	p[at] = (u8)-sum;
}

/* Tag 14 (20-byte RSDP) or 15 (36-byte XSDP), with valid checksums. */
static struct mb2_tag_acpi *add_rsdp(struct blob *b, bool xsdp)
{
	u32 len = xsdp ? ACPI_XSDP_SIZE : ACPI_RSDP_V1_SIZE;
	struct mb2_tag_acpi *a = blob_tag(b, xsdp ? MB2_TAG_ACPI_NEW :
					  MB2_TAG_ACPI_OLD, 8 + len);
	u8 *r = a->rsdp;

	memcpy(r, ACPI_RSDP_SIGNATURE, 8);
	memcpy(r + 9, "BOCHS ", 6);
	r[15] = xsdp ? 2 : 0;
	r[16] = 0x00; r[17] = 0x50; r[18] = 0xfe; r[19] = 0x07; /* RSDT */
	fix_checksum(r, ACPI_RSDP_V1_SIZE, 8);
	if (xsdp) {
		u32 length = ACPI_XSDP_SIZE;

		memcpy(r + 20, &length, 4);
		r[24] = 0x00; r[25] = 0x60; r[26] = 0xfe; r[27] = 0x07; /* XSDT */
		fix_checksum(r, ACPI_XSDP_SIZE, 32);
	}
	return a;
}

static void add_opaque(struct blob *b, u32 type, u32 size)
{
	u8 *t = blob_tag(b, type, size);
	u32 i;

	for (i = 8; i < size; i++)
		t[i] = (u8)(0x40 + i);
}

static const struct mb2_mmap_entry qemu_bios_map[] = {
	{ 0x0,         0x9fc00,    MB2_MEMORY_AVAILABLE, 0 },
	{ 0x9fc00,     0x400,      MB2_MEMORY_RESERVED, 0 },
	{ 0xf0000,     0x10000,    MB2_MEMORY_RESERVED, 0 },
	{ 0x100000,    0x7ee0000,  MB2_MEMORY_AVAILABLE, 0 },
	{ 0x7fe0000,   0x20000,    MB2_MEMORY_RESERVED, 0 },
	{ 0xfffc0000,  0x40000,    MB2_MEMORY_RESERVED, 0 },
};

static const struct mb2_mmap_entry ovmf_map[] = {
	{ 0x0,         0xa0000,    MB2_MEMORY_AVAILABLE, 0 },
	{ 0x100000,    0x700000,   MB2_MEMORY_AVAILABLE, 0 },
	{ 0x800000,    0x8000,     MB2_MEMORY_NVS, 0 },
	{ 0x808000,    0x8000,     MB2_MEMORY_AVAILABLE, 0 },
	{ 0x810000,    0xf0000,    MB2_MEMORY_NVS, 0 },
	{ 0x900000,    0x76f4000,  MB2_MEMORY_AVAILABLE, 0 },
	{ 0x7ff4000,   0x4000,     MB2_MEMORY_ACPI_RECLAIMABLE, 0 },
	{ 0x7ff8000,   0x8000,     MB2_MEMORY_RESERVED, 0 },
	{ 0xb0000000,  0x10000000, MB2_MEMORY_RESERVED, 0 },
	{ 0xffc00000,  0x400000,   MB2_MEMORY_RESERVED, 0 },
};

static const char grub_cmdline[] = "/boot/kernel.elf loglevel=7 ktest=all";

/* GRUB 2.06 on SeaBIOS: 21,1,2,10,6,9,4,5,8,14. Returns the tag 14 offset. */
static u32 build_seabios(struct blob *b, u8 fb_type)
{
	struct mb2_tag_load_base *lb;
	struct mb2_tag_basic_meminfo *mi;
	struct mb2_tag_framebuffer *fb;
	u32 rsdp_off;

	blob_init(b);
	lb = blob_tag(b, MB2_TAG_LOAD_BASE_ADDR, 12);
	lb->load_base_addr = 0x100000;
	add_string(b, MB2_TAG_CMDLINE, grub_cmdline);
	add_string(b, MB2_TAG_LOADER_NAME, "GRUB 2.06-13+deb12u1");
	add_opaque(b, MB2_TAG_APM, 28);
	add_mmap(b, 24, qemu_bios_map, ARRAY_SIZE(qemu_bios_map));
	add_opaque(b, MB2_TAG_ELF_SECTIONS, 20 + 64 * 12);
	mi = blob_tag(b, MB2_TAG_BASIC_MEMINFO, 16);
	mi->mem_lower = 639;
	mi->mem_upper = 130048;
	add_opaque(b, MB2_TAG_BOOTDEV, 20);
	fb = blob_tag(b, MB2_TAG_FRAMEBUFFER, 38);
	fb->fb_type = fb_type;
	fb->addr = fb_type == MB2_FRAMEBUFFER_RGB ? 0xfd000000 : 0xb8000;
	fb->width = fb_type == MB2_FRAMEBUFFER_RGB ? 1024 : 80;
	fb->height = fb_type == MB2_FRAMEBUFFER_RGB ? 768 : 25;
	fb->pitch = fb_type == MB2_FRAMEBUFFER_RGB ? 4096 : 160;
	fb->bpp = fb_type == MB2_FRAMEBUFFER_RGB ? 32 : 16;
	rsdp_off = blob_offset(b, add_rsdp(b, false));
	blob_end(b);
	return rsdp_off;
}

/* GRUB 2.06 on OVMF: 21,1,2,6,9,4,12,14,15,17. Returns the tag 15 offset. */
static u32 build_ovmf(struct blob *b, u32 efi_descs)
{
	struct mb2_tag_efi64 *st;
	struct mb2_tag_efi_mmap *em;
	u32 xsdp_off;

	blob_init(b);
	((struct mb2_tag_load_base *)blob_tag(b, MB2_TAG_LOAD_BASE_ADDR, 12))
		->load_base_addr = 0x100000;
	add_string(b, MB2_TAG_CMDLINE, grub_cmdline);
	add_string(b, MB2_TAG_LOADER_NAME, "GRUB 2.06-13+deb12u1");
	add_mmap(b, 24, ovmf_map, ARRAY_SIZE(ovmf_map));
	add_opaque(b, MB2_TAG_ELF_SECTIONS, 20 + 64 * 12);
	add_opaque(b, MB2_TAG_BASIC_MEMINFO, 16);
	st = blob_tag(b, MB2_TAG_EFI64, 16);
	st->pointer = 0x7f9ee018;
	add_rsdp(b, false);
	xsdp_off = blob_offset(b, add_rsdp(b, true));
	em = blob_tag(b, MB2_TAG_EFI_MMAP, 16 + efi_descs * 48);
	em->descr_size = 48;
	em->descr_version = 1;
	blob_end(b);
	return xsdp_off;
}

/* Walk @bi's ranges: sorted, disjoint, merged, non-empty, known types. */
static int check_ranges(struct ktest *t, const struct boot_info *bi)
{
	int errors = 0;
	u32 i;

	for (i = 0; i < bi->nr_mem; i++) {
		const struct boot_mem_range *r = &bi->mem[i];

		if (r->size == 0 || r->base + r->size < r->base ||
		    r->type < BOOT_MEM_USABLE || r->type > BOOT_MEM_BOOTLOADER) {
			KTEST_FAIL(t, "range %u [%#llx +%#llx) type %u is bad", i,
				   (unsigned long long)r->base,
				   (unsigned long long)r->size, r->type);
			errors++;
		}
		if (i && bi->mem[i - 1].base + bi->mem[i - 1].size > r->base) {
			KTEST_FAIL(t, "range %u overlaps or precedes range %u", i,
				   i - 1);
			errors++;
		}
		if (i && bi->mem[i - 1].base + bi->mem[i - 1].size == r->base &&
		    bi->mem[i - 1].type == r->type) {
			KTEST_FAIL(t, "ranges %u and %u should have merged", i - 1, i);
			errors++;
		}
	}
	return errors;
}

#define EXPECT_RANGE(t, bi, i, b, s, ty)                                   \
	do {                                                               \
		KTEST_EXPECT_EQ(t, (bi)->mem[i].base, (b));                \
		KTEST_EXPECT_EQ(t, (bi)->mem[i].size, (s));                \
		KTEST_EXPECT_EQ(t, (bi)->mem[i].type, (ty));               \
	} while (0)

static struct boot_info bi;
static char err[MB2_ERR_MAX];

static int parse(struct blob *b)
{
	return mb2_parse(b->words, INFO_PHYS, &bi, err, sizeof(err));
}

/* Expect parse(@b) to fail with @code and a message containing @text. */
#define EXPECT_FAIL(t, b, code, text)                                      \
	do {                                                               \
		KTEST_EXPECT_EQ(t, parse(b), (code));                      \
		KTEST_EXPECT_TRUE(t, strstr(err, (text)) != NULL);         \
		KTEST_EXPECT_EQ(t, bi.magic, 0);                           \
		if (!strstr(err, (text)))                                  \
			KTEST_FAIL(t, "message was \"%s\"", err);          \
	} while (0)

/* ---- good information ---------------------------------------------------- */

static void grub_seabios(struct ktest *t)
{
	u32 rsdp_off = build_seabios(&blob, MB2_FRAMEBUFFER_EGA_TEXT);

	KTEST_ASSERT_EQ(t, parse(&blob), 0);
	KTEST_EXPECT_STREQ(t, err, "");
	KTEST_EXPECT_EQ(t, bi.magic, BOOT_INFO_MAGIC);
	KTEST_EXPECT_EQ(t, bi.version, BOOT_INFO_VERSION);
	KTEST_EXPECT_EQ(t, bi.method, BOOT_METHOD_MULTIBOOT2_BIOS);
	KTEST_EXPECT_STREQ(t, bi.cmdline, grub_cmdline);
	KTEST_EXPECT_STREQ(t, bi.loader_name, "GRUB 2.06-13+deb12u1");
	KTEST_EXPECT_EQ(t, bi.rsdp_phys, INFO_PHYS + rsdp_off + 8);
	KTEST_EXPECT_EQ(t, bi.rsdp_revision, 0);
	KTEST_EXPECT_EQ(t, bi.efi_map_entries, 0);
	KTEST_EXPECT_EQ(t, bi.fb_phys, 0); /* EGA text is not a framebuffer */
	KTEST_ASSERT_EQ(t, bi.nr_mem, 6);
	EXPECT_RANGE(t, &bi, 0, 0x0, 0x9fc00, BOOT_MEM_USABLE);
	EXPECT_RANGE(t, &bi, 1, 0x9fc00, 0x400, BOOT_MEM_RESERVED);
	EXPECT_RANGE(t, &bi, 2, 0xf0000, 0x10000, BOOT_MEM_RESERVED);
	EXPECT_RANGE(t, &bi, 3, 0x100000, 0x7ee0000, BOOT_MEM_USABLE);
	EXPECT_RANGE(t, &bi, 4, 0x7fe0000, 0x20000, BOOT_MEM_RESERVED);
	EXPECT_RANGE(t, &bi, 5, 0xfffc0000, 0x40000, BOOT_MEM_RESERVED);
	KTEST_EXPECT_EQ(t, boot_info_total(&bi, BOOT_MEM_USABLE),
			0x9fc00 + 0x7ee0000);
	KTEST_EXPECT_EQ(t, check_ranges(t, &bi), 0);
}

static void grub_seabios_rgb_framebuffer(struct ktest *t)
{
	build_seabios(&blob, MB2_FRAMEBUFFER_RGB);
	KTEST_ASSERT_EQ(t, parse(&blob), 0);
	KTEST_EXPECT_EQ(t, bi.fb_phys, 0xfd000000);
	KTEST_EXPECT_EQ(t, bi.fb_width, 1024);
	KTEST_EXPECT_EQ(t, bi.fb_height, 768);
	KTEST_EXPECT_EQ(t, bi.fb_pitch, 4096);
	KTEST_EXPECT_EQ(t, bi.fb_bpp, 32);
}

static void grub_ovmf(struct ktest *t)
{
	u32 xsdp_off = build_ovmf(&blob, 37);

	KTEST_ASSERT_EQ(t, parse(&blob), 0);
	KTEST_EXPECT_EQ(t, bi.magic, BOOT_INFO_MAGIC);
	KTEST_EXPECT_EQ(t, bi.method, BOOT_METHOD_MULTIBOOT2_EFI);
	KTEST_EXPECT_STREQ(t, bi.cmdline, grub_cmdline);
	/* The XSDP (tag 15) wins over the RSDP (tag 14) before it. */
	KTEST_EXPECT_EQ(t, bi.rsdp_phys, INFO_PHYS + xsdp_off + 8);
	KTEST_EXPECT_EQ(t, bi.rsdp_revision, 2);
	KTEST_EXPECT_EQ(t, bi.efi_map_entries, 37);
	KTEST_EXPECT_EQ(t, bi.fb_phys, 0);
	KTEST_ASSERT_EQ(t, bi.nr_mem, ARRAY_SIZE(ovmf_map));
	EXPECT_RANGE(t, &bi, 2, 0x800000, 0x8000, BOOT_MEM_ACPI_NVS);
	EXPECT_RANGE(t, &bi, 6, 0x7ff4000, 0x4000, BOOT_MEM_ACPI_RECLAIM);
	EXPECT_RANGE(t, &bi, 9, 0xffc00000, 0x400000, BOOT_MEM_RESERVED);
	KTEST_EXPECT_EQ(t, boot_info_total(&bi, BOOT_MEM_USABLE),
			0xa0000 + 0x700000 + 0x8000 + 0x76f4000);
	KTEST_EXPECT_EQ(t, boot_info_total(&bi, BOOT_MEM_ACPI_NVS), 0xf8000);
	KTEST_EXPECT_EQ(t, check_ranges(t, &bi), 0);
}

static void minimal_information(struct ktest *t)
{
	static const struct mb2_mmap_entry one = { 0x100000, 0x100000,
						   MB2_MEMORY_AVAILABLE, 0 };

	blob_init(&blob);
	add_mmap(&blob, 24, &one, 1);
	blob_end(&blob);
	KTEST_ASSERT_EQ(t, parse(&blob), 0);
	KTEST_EXPECT_EQ(t, bi.method, BOOT_METHOD_MULTIBOOT2_BIOS);
	KTEST_EXPECT_STREQ(t, bi.cmdline, "");
	KTEST_EXPECT_STREQ(t, bi.loader_name, "");
	KTEST_EXPECT_EQ(t, bi.rsdp_phys, 0);
	KTEST_ASSERT_EQ(t, bi.nr_mem, 1);
	EXPECT_RANGE(t, &bi, 0, 0x100000, 0x100000, BOOT_MEM_USABLE);
}

static void mmap_larger_entries_and_types(struct ktest *t)
{
	/* A future entry_size of 32: parse by entry_size, never sizeof. */
	static const struct mb2_mmap_entry e[] = {
		{ 0x0,      0x1000,  MB2_MEMORY_AVAILABLE, 0 },
		{ 0x1000,   0x1000,  MB2_MEMORY_RESERVED, 0 },
		{ 0x2000,   0x1000,  MB2_MEMORY_ACPI_RECLAIMABLE, 0 },
		{ 0x3000,   0x1000,  MB2_MEMORY_NVS, 0 },
		{ 0x4000,   0x1000,  MB2_MEMORY_BADRAM, 0 },
		{ 0x5000,   0x1000,  7, 0 },  /* unknown: reserved */
		{ 0x6000,   0x1000,  0, 0 },  /* unknown: reserved */
		{ 0x10000,  0x10000, MB2_MEMORY_AVAILABLE, 0 },
	};
	struct mb2_tag_mmap *m;
	u32 i;

	blob_init(&blob);
	m = add_mmap(&blob, 32, e, ARRAY_SIZE(e));
	/* Poison the 8 extra bytes of each entry: they must be skipped. */
	for (i = 0; i < ARRAY_SIZE(e); i++)
		memset(m->entries + i * 32 + 24, 0xff, 8);
	blob_end(&blob);
	KTEST_ASSERT_EQ(t, parse(&blob), 0);
	KTEST_ASSERT_EQ(t, bi.nr_mem, 7); /* the two unknown ones merge */
	EXPECT_RANGE(t, &bi, 0, 0x0, 0x1000, BOOT_MEM_USABLE);
	EXPECT_RANGE(t, &bi, 1, 0x1000, 0x1000, BOOT_MEM_RESERVED);
	EXPECT_RANGE(t, &bi, 2, 0x2000, 0x1000, BOOT_MEM_ACPI_RECLAIM);
	EXPECT_RANGE(t, &bi, 3, 0x3000, 0x1000, BOOT_MEM_ACPI_NVS);
	EXPECT_RANGE(t, &bi, 4, 0x4000, 0x1000, BOOT_MEM_BAD);
	EXPECT_RANGE(t, &bi, 5, 0x5000, 0x2000, BOOT_MEM_RESERVED);
	EXPECT_RANGE(t, &bi, 6, 0x10000, 0x10000, BOOT_MEM_USABLE);
}

static void mmap_zero_length_overlap_unsorted(struct ktest *t)
{
	static const struct mb2_mmap_entry e[] = {
		{ 0x200000, 0x100000, MB2_MEMORY_AVAILABLE, 0 },
		{ 0x50000,  0,        MB2_MEMORY_RESERVED, 0 }, /* zero-length */
		{ 0x0,      0x100000, MB2_MEMORY_AVAILABLE, 0 }, /* unsorted */
		{ 0x80000,  0x40000,  MB2_MEMORY_RESERVED, 0 },  /* splits RAM */
		{ 0x100000, 0x100000, MB2_MEMORY_AVAILABLE, 0 }, /* touches: merge */
		{ 0x250000, 0x10000,  MB2_MEMORY_BADRAM, 0 },    /* inside RAM */
	};

	blob_init(&blob);
	add_mmap(&blob, 24, e, ARRAY_SIZE(e));
	blob_end(&blob);
	KTEST_ASSERT_EQ(t, parse(&blob), 0);
	KTEST_EXPECT_EQ(t, check_ranges(t, &bi), 0);
	KTEST_ASSERT_EQ(t, bi.nr_mem, 5);
	EXPECT_RANGE(t, &bi, 0, 0x0, 0x80000, BOOT_MEM_USABLE);
	EXPECT_RANGE(t, &bi, 1, 0x80000, 0x40000, BOOT_MEM_RESERVED);
	EXPECT_RANGE(t, &bi, 2, 0xc0000, 0x190000, BOOT_MEM_USABLE);
	EXPECT_RANGE(t, &bi, 3, 0x250000, 0x10000, BOOT_MEM_BAD);
	EXPECT_RANGE(t, &bi, 4, 0x260000, 0xa0000, BOOT_MEM_USABLE);
}

/*
 * A command line of up to 4095 bytes arrives whole; a longer one stops the
 * boot with a message, never cut short (options after a cut would silently
 * be lost). The loader name, only ever shown, is cut to its buffer.
 */
static void strings_truncated_to_buffers(struct ktest *t)
{
	static const struct mb2_mmap_entry one = { 0, 0x100000,
						   MB2_MEMORY_AVAILABLE, 0 };
	static char longline[BOOT_CMDLINE_MAX + 1];
	char longname[BOOT_LOADER_NAME_MAX * 2];

	KTEST_EXPECT_GE(t, BOOT_CMDLINE_MAX, 4096);
	memset(longline, 'c', BOOT_CMDLINE_MAX - 1);
	memcpy(longline + BOOT_CMDLINE_MAX - 1 - 6, " end=1", 6);
	longline[BOOT_CMDLINE_MAX - 1] = '\0';
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	blob_init(&blob);
	add_string(&blob, MB2_TAG_CMDLINE, longline);
	add_string(&blob, MB2_TAG_LOADER_NAME, longname);
	add_mmap(&blob, 24, &one, 1);
	blob_end(&blob);
	KTEST_ASSERT_EQ(t, parse(&blob), 0);
	KTEST_EXPECT_EQ(t, strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
	KTEST_EXPECT_STREQ(t, bi.cmdline + BOOT_CMDLINE_MAX - 1 - 6, " end=1");
	KTEST_EXPECT_EQ(t, strlen(bi.loader_name), BOOT_LOADER_NAME_MAX - 1);
	KTEST_EXPECT_EQ(t, bi.cmdline[0], 'c');

	/* One byte more: refused, loudly. */
	memset(&bi, 0, sizeof(bi));
	longline[BOOT_CMDLINE_MAX - 1] = 'c';
	longline[BOOT_CMDLINE_MAX] = '\0';
	blob_init(&blob);
	add_string(&blob, MB2_TAG_CMDLINE, longline);
	add_mmap(&blob, 24, &one, 1);
	blob_end(&blob);
	EXPECT_FAIL(t, &blob, -E2BIG,
		    "command line of 4096 bytes is longer than the 4095-byte limit");

	/* An empty string (size 9) is fine, and the NUL may end early. */
	blob_init(&blob);
	add_string(&blob, MB2_TAG_CMDLINE, "");
	memcpy(((struct mb2_tag_string *)blob_tag(&blob, MB2_TAG_LOADER_NAME,
						  8 + 10))->string,
	       "GRUB\0junkX", 10);
	add_mmap(&blob, 24, &one, 1);
	blob_end(&blob);
	KTEST_ASSERT_EQ(t, parse(&blob), 0);
	KTEST_EXPECT_STREQ(t, bi.cmdline, "");
	KTEST_EXPECT_STREQ(t, bi.loader_name, "GRUB");
}

static void unknown_tags_skipped(struct ktest *t)
{
	static const struct mb2_mmap_entry one = { 0, 0x100000,
						   MB2_MEMORY_AVAILABLE, 0 };

	blob_init(&blob);
	add_opaque(&blob, 99, 13);
	add_opaque(&blob, MB2_TAG_MODULE, 30);
	add_opaque(&blob, MB2_TAG_MODULE, 30); /* repeats are fine for unused tags */
	add_mmap(&blob, 24, &one, 1);
	add_opaque(&blob, 0x7fffffff, 8);
	blob_end(&blob);
	KTEST_EXPECT_EQ(t, parse(&blob), 0);
	KTEST_EXPECT_EQ(t, bi.nr_mem, 1);
}

static void bad_rsdp_ignored(struct ktest *t)
{
	struct mb2_tag_acpi *x;
	unsigned long mark;
	u32 rsdp_off;

	/* Bad XSDP checksum: fall back to the ACPI 1.0 copy, with a warning. */
	x = (void *)(blob_bytes(&blob) + build_ovmf(&blob, 4));
	x->rsdp[30] ^= 1;
	/* Tag 14 (28 bytes, padded to 32) sits right before tag 15. */
	rsdp_off = blob_offset(&blob, x) - 32;
	mark = ktest_console_mark();
	KTEST_ASSERT_EQ(t, parse(&blob), 0);
	KTEST_EXPECT_EQ(t, bi.rsdp_phys, INFO_PHYS + rsdp_off + 8);
	KTEST_EXPECT_EQ(t, bi.rsdp_revision, 0);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "not a valid RSDP"));

	/* Bad signature on the only RSDP: no RSDP at all. */
	rsdp_off = build_seabios(&blob, MB2_FRAMEBUFFER_EGA_TEXT);
	blob_bytes(&blob)[rsdp_off + 8] = 'X';
	KTEST_ASSERT_EQ(t, parse(&blob), 0);
	KTEST_EXPECT_EQ(t, bi.rsdp_phys, 0);

	/* Bad checksum on the only RSDP. */
	rsdp_off = build_seabios(&blob, MB2_FRAMEBUFFER_EGA_TEXT);
	blob_bytes(&blob)[rsdp_off + 8 + 19] ^= 0x10;
	KTEST_ASSERT_EQ(t, parse(&blob), 0);
	KTEST_EXPECT_EQ(t, bi.rsdp_phys, 0);
}

/* ---- malformed information ----------------------------------------------- */

static void null_and_misaligned(struct ktest *t)
{
	static u64 shifted[sizeof(blob.words) / 8 + 1];

	KTEST_EXPECT_EQ(t, mb2_parse(NULL, 0, &bi, err, sizeof(err)), -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(err, "NULL") != NULL);

	build_seabios(&blob, MB2_FRAMEBUFFER_EGA_TEXT);
	memcpy((u8 *)shifted + 4, blob.words, blob.len);
	KTEST_EXPECT_EQ(t, mb2_parse((u8 *)shifted + 4, INFO_PHYS + 4, &bi, err,
				     sizeof(err)), -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(err, "not 8-byte aligned") != NULL);
	/* A mapped pointer that is aligned while the physical one is not. */
	KTEST_EXPECT_EQ(t, mb2_parse(blob.words, INFO_PHYS + 4, &bi, err,
				     sizeof(err)), -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(err, "0x10004 is not 8-byte aligned") != NULL);
}

static void bad_total_size(struct ktest *t)
{
	struct mb2_info_header *h = (void *)blob.words;

	build_seabios(&blob, MB2_FRAMEBUFFER_EGA_TEXT);
	h->total_size = 0;
	EXPECT_FAIL(t, &blob, -EINVAL, "total_size 0 is outside [16, 1048576]");
	h->total_size = 15;
	EXPECT_FAIL(t, &blob, -EINVAL, "total_size 15 is outside");
	h->total_size = MB2_INFO_MAX_SIZE + 1;
	EXPECT_FAIL(t, &blob, -EINVAL, "total_size 1048577 is outside");
	h->total_size = 0xffffffff;
	EXPECT_FAIL(t, &blob, -EINVAL, "is outside");
	/* Too short to include the last tags: the end tag is cut off. */
	h->total_size = blob.len - 8;
	EXPECT_FAIL(t, &blob, -EINVAL, "no end tag within total_size");
	/* Shorter still: the RSDP tag overruns it. */
	h->total_size = blob.len - 16;
	EXPECT_FAIL(t, &blob, -EINVAL, "tag type 14 at offset");
	KTEST_EXPECT_TRUE(t, strstr(err, "overruns total_size") != NULL);
}

static void tag_too_small(struct ktest *t)
{
	struct mb2_tag *tag;

	blob_init(&blob);
	tag = blob_tag(&blob, MB2_TAG_CMDLINE, 8);
	blob_end(&blob);
	tag->size = 4;
	EXPECT_FAIL(t, &blob, -EINVAL, "tag type 1 at offset 8 has size 4, below 8");
	tag->size = 0; /* would loop forever if accepted */
	EXPECT_FAIL(t, &blob, -EINVAL, "has size 0, below 8");
}

static void tag_overruns_total(struct ktest *t)
{
	struct mb2_tag *tag;

	build_seabios(&blob, MB2_FRAMEBUFFER_EGA_TEXT);
	tag = (void *)(blob_bytes(&blob) + 8); /* tag 21 */
	tag->size = blob.len; /* 8 + blob.len > total */
	EXPECT_FAIL(t, &blob, -EINVAL, "tag type 21 at offset 8");
	KTEST_EXPECT_TRUE(t, strstr(err, "overruns total_size") != NULL);
	tag->size = 0xfffffff8; /* must not wrap around */
	EXPECT_FAIL(t, &blob, -EINVAL, "overruns total_size");
}

static void missing_or_bad_end_tag(struct ktest *t)
{
	static const struct mb2_mmap_entry one = { 0, 0x100000,
						   MB2_MEMORY_AVAILABLE, 0 };
	struct mb2_tag *end;

	blob_init(&blob);
	add_mmap(&blob, 24, &one, 1);
	EXPECT_FAIL(t, &blob, -EINVAL, "no end tag within total_size 48");

	/* Zero padding where the end tag should be is a tag of size 0. */
	((struct mb2_info_header *)blob.words)->total_size += 8;
	EXPECT_FAIL(t, &blob, -EINVAL, "has size 0, below 8");

	blob_init(&blob);
	add_mmap(&blob, 24, &one, 1);
	end = blob_tag(&blob, MB2_TAG_END, 16);
	EXPECT_FAIL(t, &blob, -EINVAL, "end tag at offset 48 has size 16, not 8");
	end->size = 8;
	KTEST_EXPECT_EQ(t, parse(&blob), 0); /* total past the end tag is fine */
}

static void missing_memory_map(struct ktest *t)
{
	blob_init(&blob);
	add_string(&blob, MB2_TAG_CMDLINE, "console=ttyS0");
	add_opaque(&blob, MB2_TAG_BASIC_MEMINFO, 16);
	blob_end(&blob);
	EXPECT_FAIL(t, &blob, -ENOENT, "no memory map (tag 6)");

	blob_init(&blob);
	blob_end(&blob);
	EXPECT_FAIL(t, &blob, -ENOENT, "no memory map (tag 6)");
}

static void bad_entry_size(struct ktest *t)
{
	static const struct mb2_mmap_entry e[2] = {
		{ 0, 0x100000, MB2_MEMORY_AVAILABLE, 0 },
		{ 0x100000, 0x100000, MB2_MEMORY_AVAILABLE, 0 },
	};
	static const u32 sizes[] = { 0, 8, 20, 28, 36 };
	struct mb2_tag_mmap *m;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		char want[96];

		blob_init(&blob);
		m = add_mmap(&blob, 24, e, 2);
		m->entry_size = sizes[i];
		blob_end(&blob);
		snprintf(want, sizeof(want), "memory map entry_size %u is invalid",
			 sizes[i]);
		EXPECT_FAIL(t, &blob, -EINVAL, want);
	}
}

static void bad_mmap_tag_size(struct ktest *t)
{
	static const struct mb2_mmap_entry e[2] = {
		{ 0, 0x100000, MB2_MEMORY_AVAILABLE, 0 },
		{ 0x100000, 0x100000, MB2_MEMORY_AVAILABLE, 0 },
	};
	struct mb2_tag_mmap *m;

	/* A trailing partial entry. */
	blob_init(&blob);
	m = blob_tag(&blob, MB2_TAG_MMAP, 16 + 24 + 16);
	m->entry_size = 24;
	memcpy(m->entries, e, 24 + 16);
	blob_end(&blob);
	EXPECT_FAIL(t, &blob, -EINVAL,
		    "memory map tag size 56 is not 16 + a multiple of entry_size 24");

	/* Too short for the mmap tag's own header. */
	blob_init(&blob);
	m = add_mmap(&blob, 24, e, 0);
	m->tag.size = 12;
	blob_end(&blob);
	EXPECT_FAIL(t, &blob, -EINVAL, "has size 12, below its 16-byte header");

	/* No entries. */
	blob_init(&blob);
	add_mmap(&blob, 24, e, 0);
	blob_end(&blob);
	EXPECT_FAIL(t, &blob, -ENOENT, "memory map (tag 6) has no entries");
}

static void mmap_without_usable_ram(struct ktest *t)
{
	static const struct mb2_mmap_entry e[] = {
		{ 0, 0x100000, MB2_MEMORY_RESERVED, 0 },
		{ 0x100000, 0, MB2_MEMORY_AVAILABLE, 0 },
		{ 0x200000, 0x1000, MB2_MEMORY_NVS, 0 },
	};

	blob_init(&blob);
	add_mmap(&blob, 24, e, ARRAY_SIZE(e));
	blob_end(&blob);
	EXPECT_FAIL(t, &blob, -ENOENT, "memory map has no usable RAM");
}

static void mmap_entry_wraps(struct ktest *t)
{
	static const struct mb2_mmap_entry e[] = {
		{ 0, 0x100000, MB2_MEMORY_AVAILABLE, 0 },
		{ 0xfffffffffffff000ULL, 0x2000, MB2_MEMORY_RESERVED, 0 },
	};

	blob_init(&blob);
	add_mmap(&blob, 24, e, ARRAY_SIZE(e));
	blob_end(&blob);
	EXPECT_FAIL(t, &blob, -EINVAL, "memory map entry 1: base 0xfffffffffffff000 + length 0x2000 wraps past 2^64");
}

static void mmap_too_many_ranges(struct ktest *t)
{
	static struct mb2_mmap_entry e[BOOT_MAX_MEM_RANGES + 1];
	u32 i;

	/* Every entry its own range: one gap apart. */
	for (i = 0; i < ARRAY_SIZE(e); i++) {
		e[i].base_addr = (u64)i * 0x2000;
		e[i].length = 0x1000;
		e[i].type = MB2_MEMORY_AVAILABLE;
	}
	blob_init(&blob);
	add_mmap(&blob, 24, e, BOOT_MAX_MEM_RANGES);
	blob_end(&blob);
	KTEST_EXPECT_EQ(t, parse(&blob), 0);
	KTEST_EXPECT_EQ(t, bi.nr_mem, BOOT_MAX_MEM_RANGES);

	/* One usable range too many: it is dropped with a warning, not fatal. */
	blob_init(&blob);
	add_mmap(&blob, 24, e, ARRAY_SIZE(e));
	blob_end(&blob);
	KTEST_EXPECT_EQ(t, parse(&blob), 0);
	KTEST_EXPECT_EQ(t, bi.nr_mem, BOOT_MAX_MEM_RANGES);
	KTEST_EXPECT_EQ(t, boot_info_total(&bi, BOOT_MEM_USABLE),
			BOOT_MAX_MEM_RANGES * 0x1000ULL);

	/* Too many reservations cannot be represented safely: an error. */
	for (i = 0; i < ARRAY_SIZE(e); i++)
		e[i].type = MB2_MEMORY_RESERVED;
	blob_init(&blob);
	add_mmap(&blob, 24, e, ARRAY_SIZE(e));
	blob_end(&blob);
	EXPECT_FAIL(t, &blob, -ENOSPC,
		    "memory map has more than 128 reserved ranges (full at entry 128 of 129)");
}

/*
 * A hostile map: one large usable range listed first, then many small
 * firmware holes inside it. Whatever fits, no hole may come out usable.
 */
static void mmap_holes_never_become_ram(struct ktest *t)
{
	static struct mb2_mmap_entry e[1 + 100];
	u32 i, j, holes;

	for (holes = 40; holes <= 100; holes += 60) {
		e[0] = (struct mb2_mmap_entry){ 0x100000, 0x3ff00000,
						MB2_MEMORY_AVAILABLE, 0 };
		for (i = 1; i <= holes; i++)
			e[i] = (struct mb2_mmap_entry){ 0x4000000 + (u64)i * 0x100000,
							0x1000, MB2_MEMORY_NVS, 0 };
		blob_init(&blob);
		add_mmap(&blob, 24, e, holes + 1);
		blob_end(&blob);
		if (parse(&blob) != 0)
			continue; /* refusing the whole map is safe too */
		for (j = 0; j < bi.nr_mem; j++) {
			const struct boot_mem_range *r = &bi.mem[j];

			for (i = 1; i <= holes; i++)
				if (r->type == BOOT_MEM_USABLE &&
				    e[i].base_addr < r->base + r->size &&
				    r->base < e[i].base_addr + e[i].length)
					KTEST_FAIL(t, "NVS hole %u at %#llx is usable (%u holes)",
						   i, (unsigned long long)e[i].base_addr, holes);
		}
	}
}

static void string_without_nul(struct ktest *t)
{
	static const struct mb2_mmap_entry one = { 0, 0x100000,
						   MB2_MEMORY_AVAILABLE, 0 };
	struct mb2_tag_string *s;

	blob_init(&blob);
	add_mmap(&blob, 24, &one, 1);
	s = blob_tag(&blob, MB2_TAG_CMDLINE, 8 + 16);
	memset(s->string, 'x', 16);
	blob_end(&blob); /* starts with a 0 byte: a strlen() would run into it */
	EXPECT_FAIL(t, &blob, -EINVAL,
		    "command line tag at offset 48 has no NUL within its 24 bytes");

	blob_init(&blob);
	add_mmap(&blob, 24, &one, 1);
	s = blob_tag(&blob, MB2_TAG_LOADER_NAME, 8);
	blob_end(&blob);
	EXPECT_FAIL(t, &blob, -EINVAL, "boot loader name tag at offset 48 has no NUL");
}

static void duplicate_tags(struct ktest *t)
{
	static const struct mb2_mmap_entry one = { 0, 0x100000,
						   MB2_MEMORY_AVAILABLE, 0 };

	blob_init(&blob);
	add_mmap(&blob, 24, &one, 1);
	add_mmap(&blob, 24, &one, 1);
	blob_end(&blob);
	EXPECT_FAIL(t, &blob, -EINVAL, "tag type 6 appears twice (offsets 8 and 48)");

	blob_init(&blob);
	add_string(&blob, MB2_TAG_CMDLINE, "a");
	add_mmap(&blob, 24, &one, 1);
	add_string(&blob, MB2_TAG_CMDLINE, "b");
	blob_end(&blob);
	EXPECT_FAIL(t, &blob, -EINVAL, "tag type 1 appears twice");
}

static void boot_services_running(struct ktest *t)
{
	build_ovmf(&blob, 4);
	blob.len -= 8; /* drop the end tag */
	blob_tag(&blob, MB2_TAG_EFI_BS, 8);
	blob_end(&blob);
	EXPECT_FAIL(t, &blob, -EINVAL, "EFI boot services were not exited (tag 18");
}

static void malformed_optional_tags(struct ktest *t)
{
	struct mb2_tag_efi_mmap *em;
	struct mb2_tag_framebuffer *fb;
	unsigned long mark;

	/* A framebuffer tag too short for its fields is dropped. */
	blob_init(&blob);
	add_mmap(&blob, 24, qemu_bios_map, ARRAY_SIZE(qemu_bios_map));
	fb = blob_tag(&blob, MB2_TAG_FRAMEBUFFER, 24);
	fb->addr = 0xfd000000;
	blob_end(&blob);
	mark = ktest_console_mark();
	KTEST_ASSERT_EQ(t, parse(&blob), 0);
	KTEST_EXPECT_EQ(t, bi.fb_phys, 0);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "ignoring framebuffer tag"));

	/* An EFI map tag with a bad descriptor size is dropped. */
	build_ovmf(&blob, 4);
	em = (void *)(blob_bytes(&blob) + blob.len - 8 - (16 + 4 * 48));
	KTEST_ASSERT_EQ(t, em->tag.type, MB2_TAG_EFI_MMAP);
	em->descr_size = 20;
	KTEST_ASSERT_EQ(t, parse(&blob), 0);
	KTEST_EXPECT_EQ(t, bi.efi_map_entries, 0);
	em->descr_size = 56; /* 192 bytes is not a multiple of 56 */
	KTEST_ASSERT_EQ(t, parse(&blob), 0);
	KTEST_EXPECT_EQ(t, bi.efi_map_entries, 0);
	em->descr_size = 64;
	KTEST_ASSERT_EQ(t, parse(&blob), 0);
	KTEST_EXPECT_EQ(t, bi.efi_map_entries, 3);
}

/* With a valid tag 17, its ranges (firmware types kept) replace tag 6's. */
static void grub_ovmf_efi_map_preferred(struct ktest *t)
{
	static const struct { u32 type; u64 phys, pages; } d[] = {
		{ 7, 0x0, 0x9f },        /* conventional */
		{ 6, 0x100000, 0x10 },   /* runtime services data */
		{ 2, 0x110000, 0xf0 },   /* loader data */
		{ 7, 0x200000, 0x1000 }, /* conventional */
	};
	struct mb2_tag_efi_mmap *em;
	unsigned int i;

	build_ovmf(&blob, ARRAY_SIZE(d));
	em = (void *)(blob_bytes(&blob) + blob.len - 8 - (16 + ARRAY_SIZE(d) * 48));
	KTEST_ASSERT_EQ(t, em->tag.type, MB2_TAG_EFI_MMAP);
	for (i = 0; i < ARRAY_SIZE(d); i++) {
		u8 *p = em->descs + i * 48;

		memcpy(p, &d[i].type, 4);
		memcpy(p + 8, &d[i].phys, 8);
		memcpy(p + 24, &d[i].pages, 8);
	}
	KTEST_ASSERT_EQ(t, parse(&blob), 0);
	KTEST_EXPECT_EQ(t, bi.efi_map_entries, ARRAY_SIZE(d));
	KTEST_ASSERT_EQ(t, bi.nr_mem, 4);
	EXPECT_RANGE(t, &bi, 0, 0x0, 0x9f000, BOOT_MEM_USABLE);
	EXPECT_RANGE(t, &bi, 1, 0x100000, 0x10000, BOOT_MEM_FIRMWARE_RUNTIME);
	EXPECT_RANGE(t, &bi, 2, 0x110000, 0xf0000, BOOT_MEM_BOOTLOADER);
	EXPECT_RANGE(t, &bi, 3, 0x200000, 0x1000000, BOOT_MEM_USABLE);
	KTEST_EXPECT_EQ(t, check_ranges(t, &bi), 0);
}

static void error_buffer_handling(struct ktest *t)
{
	char small[8];

	blob_init(&blob);
	blob_end(&blob);
	memset(small, 'z', sizeof(small));
	KTEST_EXPECT_EQ(t, mb2_parse(blob.words, INFO_PHYS, &bi, small,
				     sizeof(small)), -ENOENT);
	KTEST_EXPECT_STREQ(t, small, "no memo");
	KTEST_EXPECT_EQ(t, mb2_parse(blob.words, INFO_PHYS, &bi, NULL, 0),
			-ENOENT);
	/* A good parse clears a stale message. */
	strcpy(err, "stale");
	build_seabios(&blob, MB2_FRAMEBUFFER_EGA_TEXT);
	KTEST_EXPECT_EQ(t, parse(&blob), 0);
	KTEST_EXPECT_STREQ(t, err, "");
}

/* ---- boot_info_add_range ------------------------------------------------- */

static void add_range_rejects_bad_input(struct ktest *t)
{
	struct boot_info b = { 0 };

	KTEST_EXPECT_EQ(t, boot_info_add_range(&b, 0x1000, 0, BOOT_MEM_USABLE), -EINVAL);
	KTEST_EXPECT_EQ(t, boot_info_add_range(&b, ~0ULL - 0xfff, 0x2000,
					       BOOT_MEM_USABLE), -EINVAL);
	KTEST_EXPECT_EQ(t, boot_info_add_range(&b, 0x1000, 0x1000, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, boot_info_add_range(&b, 0x1000, 0x1000,
					       BOOT_MEM_BOOTLOADER + 1), -EINVAL);
	KTEST_EXPECT_EQ(t, b.nr_mem, 0);
	/* The very top of the address space, ending just below 2^64. */
	KTEST_EXPECT_EQ(t, boot_info_add_range(&b, ~0ULL - 0xfff, 0xfff,
					       BOOT_MEM_RESERVED), 0);
	KTEST_EXPECT_EQ(t, b.nr_mem, 1);
}

static void add_range_sorts_and_merges(struct ktest *t)
{
	struct boot_info b = { 0 };

	KTEST_ASSERT_EQ(t, boot_info_add_range(&b, 0x5000, 0x1000, BOOT_MEM_USABLE), 0);
	KTEST_ASSERT_EQ(t, boot_info_add_range(&b, 0x1000, 0x1000, BOOT_MEM_USABLE), 0);
	KTEST_ASSERT_EQ(t, boot_info_add_range(&b, 0x3000, 0x1000, BOOT_MEM_RESERVED), 0);
	KTEST_EXPECT_EQ(t, check_ranges(t, &b), 0);
	KTEST_ASSERT_EQ(t, b.nr_mem, 3);
	EXPECT_RANGE(t, &b, 0, 0x1000, 0x1000, BOOT_MEM_USABLE);
	EXPECT_RANGE(t, &b, 1, 0x3000, 0x1000, BOOT_MEM_RESERVED);
	EXPECT_RANGE(t, &b, 2, 0x5000, 0x1000, BOOT_MEM_USABLE);

	/* Touching a range of its type merges; of another type does not. */
	KTEST_ASSERT_EQ(t, boot_info_add_range(&b, 0x2000, 0x1000, BOOT_MEM_USABLE), 0);
	KTEST_ASSERT_EQ(t, b.nr_mem, 3);
	EXPECT_RANGE(t, &b, 0, 0x1000, 0x2000, BOOT_MEM_USABLE);
	EXPECT_RANGE(t, &b, 1, 0x3000, 0x1000, BOOT_MEM_RESERVED);

	/* Filling the last gap joins three ranges into one. */
	KTEST_ASSERT_EQ(t, boot_info_add_range(&b, 0x4000, 0x1000, BOOT_MEM_RESERVED), 0);
	KTEST_ASSERT_EQ(t, b.nr_mem, 3);
	EXPECT_RANGE(t, &b, 1, 0x3000, 0x2000, BOOT_MEM_RESERVED);
	KTEST_ASSERT_EQ(t, boot_info_add_range(&b, 0x1000, 0x5000, BOOT_MEM_RESERVED), 0);
	KTEST_ASSERT_EQ(t, b.nr_mem, 1);
	EXPECT_RANGE(t, &b, 0, 0x1000, 0x5000, BOOT_MEM_RESERVED);

	/* Adding what is already there changes nothing. */
	KTEST_ASSERT_EQ(t, boot_info_add_range(&b, 0x2000, 0x1000, BOOT_MEM_RESERVED), 0);
	KTEST_ASSERT_EQ(t, b.nr_mem, 1);
	EXPECT_RANGE(t, &b, 0, 0x1000, 0x5000, BOOT_MEM_RESERVED);
}

static void add_range_restrictive_wins(struct ktest *t)
{
	struct boot_info b = { 0 };

	/* Usable over reserved: the reserved part stays reserved. */
	KTEST_ASSERT_EQ(t, boot_info_add_range(&b, 0, 0x10000, BOOT_MEM_RESERVED), 0);
	KTEST_ASSERT_EQ(t, boot_info_add_range(&b, 0x8000, 0x10000, BOOT_MEM_USABLE), 0);
	KTEST_ASSERT_EQ(t, b.nr_mem, 2);
	EXPECT_RANGE(t, &b, 0, 0, 0x10000, BOOT_MEM_RESERVED);
	EXPECT_RANGE(t, &b, 1, 0x10000, 0x8000, BOOT_MEM_USABLE);

	/* Reserved inside usable splits it in three. */
	KTEST_ASSERT_EQ(t, boot_info_add_range(&b, 0x12000, 0x1000, BOOT_MEM_ACPI_NVS), 0);
	KTEST_ASSERT_EQ(t, b.nr_mem, 4);
	EXPECT_RANGE(t, &b, 1, 0x10000, 0x2000, BOOT_MEM_USABLE);
	EXPECT_RANGE(t, &b, 2, 0x12000, 0x1000, BOOT_MEM_ACPI_NVS);
	EXPECT_RANGE(t, &b, 3, 0x13000, 0x5000, BOOT_MEM_USABLE);

	/* Usable across holes and reserved ranges fills only the holes. */
	memset(&b, 0, sizeof(b));
	KTEST_ASSERT_EQ(t, boot_info_add_range(&b, 0x10, 0x10, BOOT_MEM_RESERVED), 0);
	KTEST_ASSERT_EQ(t, boot_info_add_range(&b, 0x30, 0x10, BOOT_MEM_MMIO), 0);
	KTEST_ASSERT_EQ(t, boot_info_add_range(&b, 0x0, 0x50, BOOT_MEM_USABLE), 0);
	KTEST_ASSERT_EQ(t, b.nr_mem, 5);
	EXPECT_RANGE(t, &b, 0, 0x0, 0x10, BOOT_MEM_USABLE);
	EXPECT_RANGE(t, &b, 1, 0x10, 0x10, BOOT_MEM_RESERVED);
	EXPECT_RANGE(t, &b, 2, 0x20, 0x10, BOOT_MEM_USABLE);
	EXPECT_RANGE(t, &b, 3, 0x30, 0x10, BOOT_MEM_MMIO);
	EXPECT_RANGE(t, &b, 4, 0x40, 0x10, BOOT_MEM_USABLE);

	/* Bad RAM across all of it takes over everything. */
	KTEST_ASSERT_EQ(t, boot_info_add_range(&b, 0x8, 0x40, BOOT_MEM_BAD), 0);
	KTEST_ASSERT_EQ(t, b.nr_mem, 3);
	EXPECT_RANGE(t, &b, 0, 0x0, 0x8, BOOT_MEM_USABLE);
	EXPECT_RANGE(t, &b, 1, 0x8, 0x40, BOOT_MEM_BAD);
	EXPECT_RANGE(t, &b, 2, 0x48, 0x8, BOOT_MEM_USABLE);
	KTEST_EXPECT_EQ(t, check_ranges(t, &b), 0);
}

/* The documented order, weakest first. */
static const u32 rank_order[] = {
	BOOT_MEM_USABLE, BOOT_MEM_BOOTLOADER, BOOT_MEM_ACPI_RECLAIM,
	BOOT_MEM_RESERVED, BOOT_MEM_MMIO, BOOT_MEM_FIRMWARE_RUNTIME,
	BOOT_MEM_ACPI_NVS, BOOT_MEM_BAD,
};

static int model_rank(u32 type)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rank_order); i++)
		if (rank_order[i] == type)
			return (int)i;
	return -1;
}

static void add_range_tie_order(struct ktest *t)
{
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(rank_order); i++) {
		for (j = 0; j < ARRAY_SIZE(rank_order); j++) {
			struct boot_info b = { 0 };
			u32 want = rank_order[max(i, j)];

			boot_info_add_range(&b, 0x1000, 0x1000, rank_order[i]);
			boot_info_add_range(&b, 0x1000, 0x1000, rank_order[j]);
			if (b.nr_mem != 1 || b.mem[0].type != want)
				KTEST_FAIL(t, "%s then %s gave %s, want %s",
					   boot_mem_type_name(rank_order[i]),
					   boot_mem_type_name(rank_order[j]),
					   boot_mem_type_name(b.mem[0].type),
					   boot_mem_type_name(want));
		}
	}
}

static void add_range_full_table(struct ktest *t)
{
	static struct boot_info b, saved;
	u32 i;

	memset(&b, 0, sizeof(b));
	for (i = 0; i < BOOT_MAX_MEM_RANGES; i++)
		KTEST_ASSERT_EQ(t, boot_info_add_range(&b, (u64)i * 0x2000, 0x1000,
						       BOOT_MEM_USABLE), 0);
	KTEST_ASSERT_EQ(t, b.nr_mem, BOOT_MAX_MEM_RANGES);
	saved = b;

	/* A new disjoint range, or a split, does not fit: nothing changes. */
	KTEST_EXPECT_EQ(t, boot_info_add_range(&b, 0x10000000, 0x1000,
					       BOOT_MEM_USABLE), -ENOSPC);
	KTEST_EXPECT_EQ(t, boot_info_add_range(&b, 0x800, 0x100,
					       BOOT_MEM_RESERVED), -ENOSPC);
	KTEST_EXPECT_EQ(t, boot_info_add_range(&b, 0x1000, 0x800,
					       BOOT_MEM_RESERVED), -ENOSPC);
	KTEST_EXPECT_EQ(t, memcmp(&b, &saved, sizeof(b)), 0);

	/* Growing a range or joining two still works when full. */
	KTEST_EXPECT_EQ(t, boot_info_add_range(&b, 0x1000, 0x800,
					       BOOT_MEM_USABLE), 0);
	KTEST_EXPECT_EQ(t, b.nr_mem, BOOT_MAX_MEM_RANGES);
	KTEST_EXPECT_EQ(t, boot_info_add_range(&b, 0x1800, 0x800,
					       BOOT_MEM_USABLE), 0);
	KTEST_EXPECT_EQ(t, b.nr_mem, BOOT_MAX_MEM_RANGES - 1);
	KTEST_EXPECT_EQ(t, boot_info_add_range(&b, 0x10000000, 0x1000,
					       BOOT_MEM_USABLE), 0);
	KTEST_EXPECT_EQ(t, b.nr_mem, BOOT_MAX_MEM_RANGES);
	KTEST_EXPECT_EQ(t, check_ranges(t, &b), 0);
}

/*
 * Random adds over a 512-unit address space against a model that stores
 * one type per unit; after every add the table must equal the model's
 * ranges, or the add must have failed with -ENOSPC and changed nothing.
 */
#define MODEL_UNITS 512
#define UNIT 0x1000ULL

static u32 model_ranges(const u8 *cell, struct boot_mem_range *out)
{
	u32 n = 0, x = 0;

	while (x < MODEL_UNITS) {
		u32 start = x;

		if (!cell[x]) {
			x++;
			continue;
		}
		while (x < MODEL_UNITS && cell[x] == cell[start])
			x++;
		if (n < BOOT_MAX_MEM_RANGES + 1) {
			out[n].base = start * UNIT;
			out[n].size = (x - start) * UNIT;
			out[n].type = cell[start];
		}
		n++;
	}
	return n;
}

static void add_range_random_vs_model(struct ktest *t)
{
	static struct boot_info b;
	static struct boot_mem_range want[BOOT_MAX_MEM_RANGES + 1];
	u8 cell[MODEL_UNITS], before[MODEL_UNITS];
	unsigned int seed = 12345, step;
	int enospc = 0;

	memset(&b, 0, sizeof(b));
	memset(cell, 0, sizeof(cell));
	for (step = 0; step < 8000; step++) {
		u32 start, len, type, x, n;
		int ret;

		if (step % 1000 == 0) { /* start afresh now and then */
			memset(&b, 0, sizeof(b));
			memset(cell, 0, sizeof(cell));
		}
		seed = seed * 1103515245u + 12345u;
		start = (seed >> 8) % MODEL_UNITS;
		seed = seed * 1103515245u + 12345u;
		/* Mostly short ranges, to fragment the table until it fills. */
		len = 1 + (seed >> 8) % (step % 5 ? 3 : 48);
		if (start + len > MODEL_UNITS)
			len = MODEL_UNITS - start;
		seed = seed * 1103515245u + 12345u;
		type = (seed >> 8) % 2 ? BOOT_MEM_USABLE :
		       rank_order[(seed >> 12) % ARRAY_SIZE(rank_order)];

		memcpy(before, cell, sizeof(cell));
		for (x = start; x < start + len; x++)
			if (!cell[x] || model_rank(type) > model_rank(cell[x]))
				cell[x] = (u8)type;
		n = model_ranges(cell, want);

		ret = boot_info_add_range(&b, start * UNIT, len * UNIT, type);
		if (n > BOOT_MAX_MEM_RANGES) {
			enospc++;
			KTEST_EXPECT_EQ(t, ret, -ENOSPC);
			memcpy(cell, before, sizeof(cell));
			n = model_ranges(cell, want);
		} else {
			KTEST_EXPECT_EQ(t, ret, 0);
		}
		if (b.nr_mem != n ||
		    memcmp(b.mem, want, n * sizeof(want[0]))) {
			KTEST_FAIL(t, "step %u: add [%u, +%u) type %u: table differs from model",
				   step, start, len, type);
			return;
		}
		if (check_ranges(t, &b))
			return;
	}
	/* The run must also have exercised the full table. */
	KTEST_EXPECT_GT(t, enospc, 0);
}

static void names_and_totals(struct ktest *t)
{
	struct boot_info b = { 0 };

	KTEST_EXPECT_STREQ(t, boot_mem_type_name(BOOT_MEM_USABLE), "usable");
	KTEST_EXPECT_STREQ(t, boot_mem_type_name(BOOT_MEM_RESERVED), "reserved");
	KTEST_EXPECT_STREQ(t, boot_mem_type_name(BOOT_MEM_ACPI_RECLAIM), "ACPI data");
	KTEST_EXPECT_STREQ(t, boot_mem_type_name(BOOT_MEM_ACPI_NVS), "ACPI NVS");
	KTEST_EXPECT_STREQ(t, boot_mem_type_name(BOOT_MEM_BAD), "bad RAM");
	KTEST_EXPECT_STREQ(t, boot_mem_type_name(BOOT_MEM_FIRMWARE_RUNTIME),
			   "firmware runtime");
	KTEST_EXPECT_STREQ(t, boot_mem_type_name(BOOT_MEM_MMIO), "MMIO");
	KTEST_EXPECT_STREQ(t, boot_mem_type_name(BOOT_MEM_BOOTLOADER), "bootloader");
	KTEST_EXPECT_STREQ(t, boot_mem_type_name(0), "unknown");
	KTEST_EXPECT_STREQ(t, boot_mem_type_name(1234), "unknown");
	KTEST_EXPECT_STREQ(t, boot_method_name(BOOT_METHOD_MULTIBOOT2_BIOS),
			   "multiboot2-bios");
	KTEST_EXPECT_STREQ(t, boot_method_name(BOOT_METHOD_MULTIBOOT2_EFI),
			   "multiboot2-efi");
	KTEST_EXPECT_STREQ(t, boot_method_name(BOOT_METHOD_UEFI_DIRECT), "uefi");
	KTEST_EXPECT_STREQ(t, boot_method_name(BOOT_METHOD_UNKNOWN), "unknown");
	KTEST_EXPECT_STREQ(t, boot_method_name(99), "unknown");

	KTEST_EXPECT_EQ(t, boot_info_total(&b, BOOT_MEM_USABLE), 0);
	boot_info_add_range(&b, 0, 0x1000, BOOT_MEM_USABLE);
	boot_info_add_range(&b, 0x2000, 0x3000, BOOT_MEM_USABLE);
	boot_info_add_range(&b, 0x1000, 0x800, BOOT_MEM_ACPI_NVS);
	KTEST_EXPECT_EQ(t, boot_info_total(&b, BOOT_MEM_USABLE), 0x4000);
	KTEST_EXPECT_EQ(t, boot_info_total(&b, BOOT_MEM_ACPI_NVS), 0x800);
	KTEST_EXPECT_EQ(t, boot_info_total(&b, BOOT_MEM_BAD), 0);
}

static const struct ktest_case multiboot2_cases[] = {
	KTEST_CASE(grub_seabios),
	KTEST_CASE(grub_seabios_rgb_framebuffer),
	KTEST_CASE(grub_ovmf),
	KTEST_CASE(grub_ovmf_efi_map_preferred),
	KTEST_CASE(minimal_information),
	KTEST_CASE(mmap_larger_entries_and_types),
	KTEST_CASE(mmap_zero_length_overlap_unsorted),
	KTEST_CASE(strings_truncated_to_buffers),
	KTEST_CASE(unknown_tags_skipped),
	KTEST_CASE(bad_rsdp_ignored),
	KTEST_CASE(null_and_misaligned),
	KTEST_CASE(bad_total_size),
	KTEST_CASE(tag_too_small),
	KTEST_CASE(tag_overruns_total),
	KTEST_CASE(missing_or_bad_end_tag),
	KTEST_CASE(missing_memory_map),
	KTEST_CASE(bad_entry_size),
	KTEST_CASE(bad_mmap_tag_size),
	KTEST_CASE(mmap_without_usable_ram),
	KTEST_CASE(mmap_entry_wraps),
	KTEST_CASE(mmap_too_many_ranges),
	KTEST_CASE(mmap_holes_never_become_ram),
	KTEST_CASE(string_without_nul),
	KTEST_CASE(duplicate_tags),
	KTEST_CASE(boot_services_running),
	KTEST_CASE(malformed_optional_tags),
	KTEST_CASE(error_buffer_handling),
};

KTEST_SUITE(multiboot2, multiboot2_cases);

static const struct ktest_case boot_info_cases[] = {
	KTEST_CASE(add_range_rejects_bad_input),
	KTEST_CASE(add_range_sorts_and_merges),
	KTEST_CASE(add_range_restrictive_wins),
	KTEST_CASE(add_range_tie_order),
	KTEST_CASE(add_range_full_table),
	KTEST_CASE(add_range_random_vs_model),
	KTEST_CASE(names_and_totals),
};

KTEST_SUITE(boot_info, boot_info_cases);

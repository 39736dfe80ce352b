// SPDX-License-Identifier: MIT
/*
 * boot/efi_map.c: the UEFI memory map and the loader's hand-off turned into
 * boot_info, on hand-made maps. Each case states the exact ranges the kernel
 * must end up with: a wrong type here is memory handed out that the firmware
 * still owns, or RAM lost for good.
 */
#include <stdint.h>
#include <string.h>
#include "boot/efi_map.h"
#include "kernel/ktest.h"
#include "kmm/errno.h"

#define PAGE 4096ULL
#define MAX_DESCS 160
#define VIRT_POISON 0xdeadbeefcafef00dULL

struct tdesc {
	u32 type;
	u64 start;
	u64 pages;
	u64 attr;
};

struct trange {
	u64 base, size;
	u32 type;
};

/* 8 spare bytes so a map can start misaligned (see misaligned_buffer). */
static u8 map_store[MAX_DESCS * 64 + 8] __attribute__((aligned(8)));
static struct boot_info bi;

/*
 * Lay @n descriptors out @desc_size bytes apart at @buf, the way a firmware
 * does: the known fields at their offsets, and junk after byte 40 that the
 * conversion must not read as anything.
 */
static u64 build_map_at(u8 *buf, const struct tdesc *d, size_t n, u64 desc_size)
{
	size_t i;

	memset(buf, 0xa5, n * desc_size);
	for (i = 0; i < n; i++) {
		u8 *p = buf + i * desc_size;
		u32 pad = 0;
		u64 virt = VIRT_POISON;

		memcpy(p + 0, &d[i].type, 4);
		memcpy(p + 4, &pad, 4);
		memcpy(p + 8, &d[i].start, 8);
		memcpy(p + 16, &virt, 8);
		memcpy(p + 24, &d[i].pages, 8);
		memcpy(p + 32, &d[i].attr, 8);
	}
	return n * desc_size;
}

static u64 build_map(const struct tdesc *d, size_t n, u64 desc_size)
{
	return build_map_at(map_store, d, n, desc_size);
}

static int convert(const struct tdesc *d, size_t n, u64 desc_size)
{
	u64 size = build_map(d, n, desc_size);

	memset(&bi, 0, sizeof(bi));
	return efi_map_to_boot_info(map_store, size, desc_size, 1, &bi);
}

/* Index of the first range of @b that differs from @exp, or -1. */
static int first_mismatch(const struct boot_info *b, const struct trange *exp, u32 n)
{
	u32 i;

	for (i = 0; i < n && i < b->nr_mem; i++)
		if (b->mem[i].base != exp[i].base || b->mem[i].size != exp[i].size ||
		    b->mem[i].type != exp[i].type)
			return (int)i;
	return b->nr_mem == n ? -1 : (int)i;
}

static void expect_ranges(struct ktest *t, const struct boot_info *b,
			  const struct trange *exp, u32 n)
{
	int i = first_mismatch(b, exp, n);

	KTEST_EXPECT_EQ(t, b->nr_mem, n);
	if (i < 0 || (u32)i >= n || (u32)i >= b->nr_mem)
		return;
	KTEST_FAIL(t, "range %d is [%#llx +%#llx %s], expected [%#llx +%#llx %s]",
		   i, (unsigned long long)b->mem[i].base,
		   (unsigned long long)b->mem[i].size,
		   boot_mem_type_name(b->mem[i].type),
		   (unsigned long long)exp[i].base,
		   (unsigned long long)exp[i].size,
		   boot_mem_type_name(exp[i].type));
}

/* A trimmed-down OVMF map: sorted, with neighbours that must merge. */
static const struct tdesc ovmf_like[] = {
	{ EFI_MEM_BOOT_SERVICES_CODE, 0x0, 1, 0xf },
	{ EFI_MEM_CONVENTIONAL, 0x1000, 0x9f, 0xf },
	{ EFI_MEM_CONVENTIONAL, 0x100000, 0x100, 0xf },
	{ EFI_MEM_LOADER_DATA, 0x200000, 0x20, 0xf },  /* the kernel */
	{ EFI_MEM_CONVENTIONAL, 0x220000, 0x5de0, 0xf },
	{ EFI_MEM_LOADER_CODE, 0x6000000, 0x10, 0xf },  /* the loader */
	{ EFI_MEM_BOOT_SERVICES_DATA, 0x6010000, 0x1000, 0xf },
	{ EFI_MEM_ACPI_RECLAIM, 0x7010000, 0x4, 0xf },
	{ EFI_MEM_ACPI_NVS, 0x7014000, 0x8, 0xf },
	{ EFI_MEM_RUNTIME_SERVICES_CODE, 0x701c000, 0x40, 0x800000000000000fULL },
	{ EFI_MEM_RUNTIME_SERVICES_DATA, 0x705c000, 0x80, 0x800000000000000fULL },
	{ EFI_MEM_RESERVED, 0x70dc000, 0x24, 0xf },
	{ EFI_MEM_MMIO, 0xffc00000, 0x400, 0x8000000000000001ULL },
};

static const struct trange ovmf_like_ranges[] = {
	{ 0x0, 0xa0000, BOOT_MEM_USABLE },
	{ 0x100000, 0x100000, BOOT_MEM_USABLE },
	{ 0x200000, 0x20000, BOOT_MEM_BOOTLOADER },
	{ 0x220000, 0x7010000 - 0x220000, BOOT_MEM_USABLE },
	{ 0x7010000, 0x4000, BOOT_MEM_ACPI_RECLAIM },
	{ 0x7014000, 0x8000, BOOT_MEM_ACPI_NVS },
	{ 0x701c000, 0xc0000, BOOT_MEM_FIRMWARE_RUNTIME },
	{ 0x70dc000, 0x24000, BOOT_MEM_RESERVED },
	{ 0xffc00000, 0x400000, BOOT_MEM_MMIO },
};

static void ovmf_like_map(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, convert(ovmf_like, ARRAY_SIZE(ovmf_like), 48), 0);
	expect_ranges(t, &bi, ovmf_like_ranges, ARRAY_SIZE(ovmf_like_ranges));
}

/* Descriptor stride is desc_size, never sizeof: 40, 48 and 56 agree. */
static void descriptor_sizes(struct ktest *t)
{
	static const u64 sizes[] = { 40, 48, 56, 64, 4096 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		if (sizes[i] * ARRAY_SIZE(ovmf_like) > sizeof(map_store)) {
			/* Page-sized descriptors: the first two, which merge. */
			KTEST_ASSERT_EQ(t, convert(ovmf_like, 2, sizes[i]), 0);
			expect_ranges(t, &bi, ovmf_like_ranges, 1);
			continue;
		}
		KTEST_ASSERT_EQ(t, convert(ovmf_like, ARRAY_SIZE(ovmf_like), sizes[i]), 0);
		expect_ranges(t, &bi, ovmf_like_ranges, ARRAY_SIZE(ovmf_like_ranges));
	}
}

/* Every type, each alone in its own slot of address space. */
static void every_type(struct ktest *t)
{
	static const struct {
		u32 efi;
		u32 boot;
	} table[] = {
		{ EFI_MEM_RESERVED, BOOT_MEM_RESERVED },
		{ EFI_MEM_LOADER_CODE, BOOT_MEM_USABLE },
		{ EFI_MEM_LOADER_DATA, BOOT_MEM_BOOTLOADER },
		{ EFI_MEM_BOOT_SERVICES_CODE, BOOT_MEM_USABLE },
		{ EFI_MEM_BOOT_SERVICES_DATA, BOOT_MEM_USABLE },
		{ EFI_MEM_RUNTIME_SERVICES_CODE, BOOT_MEM_FIRMWARE_RUNTIME },
		{ EFI_MEM_RUNTIME_SERVICES_DATA, BOOT_MEM_FIRMWARE_RUNTIME },
		{ EFI_MEM_CONVENTIONAL, BOOT_MEM_USABLE },
		{ EFI_MEM_UNUSABLE, BOOT_MEM_BAD },
		{ EFI_MEM_ACPI_RECLAIM, BOOT_MEM_ACPI_RECLAIM },
		{ EFI_MEM_ACPI_NVS, BOOT_MEM_ACPI_NVS },
		{ EFI_MEM_MMIO, BOOT_MEM_MMIO },
		{ EFI_MEM_MMIO_PORT_SPACE, BOOT_MEM_MMIO },
		{ EFI_MEM_PAL_CODE, BOOT_MEM_RESERVED },
		{ EFI_MEM_PERSISTENT, BOOT_MEM_RESERVED },
		{ EFI_MEM_UNACCEPTED, BOOT_MEM_RESERVED },
		{ 16, BOOT_MEM_RESERVED },          /* next spec's type */
		{ 0x70000000, BOOT_MEM_RESERVED },  /* OEM range */
		{ 0x80000000, BOOT_MEM_RESERVED },  /* OS vendor range */
		{ 0xffffffff, BOOT_MEM_RESERVED },
	};
	struct tdesc d[ARRAY_SIZE(table)];
	struct trange exp[ARRAY_SIZE(table)];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(table); i++) {
		KTEST_EXPECT_EQ(t, efi_mem_type_to_boot(table[i].efi, 0), table[i].boot);
		/* Two pages apart: nothing touches, nothing merges. */
		d[i] = (struct tdesc){ table[i].efi, 0x100000 + i * 2 * PAGE, 1, 0 };
		exp[i] = (struct trange){ d[i].start, PAGE, table[i].boot };
	}
	KTEST_ASSERT_EQ(t, convert(d, ARRAY_SIZE(d), 48), 0);
	expect_ranges(t, &bi, exp, ARRAY_SIZE(exp));
}

/* Specific-purpose RAM is set aside for one user: never general RAM. */
static void specific_purpose_attribute(struct ktest *t)
{
	static const struct tdesc d[] = {
		{ EFI_MEM_CONVENTIONAL, 0x100000, 0x10, 0xf },
		{ EFI_MEM_CONVENTIONAL, 0x110000, 0x10, 0xf | EFI_MEM_ATTR_SP },
	};
	static const struct trange exp[] = {
		{ 0x100000, 0x10000, BOOT_MEM_USABLE },
		{ 0x110000, 0x10000, BOOT_MEM_RESERVED },
	};

	KTEST_EXPECT_EQ(t, efi_mem_type_to_boot(EFI_MEM_CONVENTIONAL, EFI_MEM_ATTR_SP),
			BOOT_MEM_RESERVED);
	KTEST_ASSERT_EQ(t, convert(d, ARRAY_SIZE(d), 48), 0);
	expect_ranges(t, &bi, exp, ARRAY_SIZE(exp));
}

/* The firmware does not promise order: reversed and shuffled maps agree. */
static void unsorted_map(struct ktest *t)
{
	static const size_t order[] = { 7, 0, 12, 3, 9, 1, 11, 5, 2, 10, 4, 8, 6 };
	struct tdesc d[ARRAY_SIZE(ovmf_like)];
	size_t i, n = ARRAY_SIZE(ovmf_like);

	_Static_assert(ARRAY_SIZE(order) == ARRAY_SIZE(ovmf_like), "one slot each");
	for (i = 0; i < n; i++)
		d[i] = ovmf_like[n - 1 - i];
	KTEST_ASSERT_EQ(t, convert(d, n, 48), 0);
	expect_ranges(t, &bi, ovmf_like_ranges, ARRAY_SIZE(ovmf_like_ranges));

	for (i = 0; i < n; i++)
		d[i] = ovmf_like[order[i]];
	KTEST_ASSERT_EQ(t, convert(d, n, 56), 0);
	expect_ranges(t, &bi, ovmf_like_ranges, ARRAY_SIZE(ovmf_like_ranges));
}

/* Touching usable kinds become one range; touching different kinds do not. */
static void adjacent_descriptors(struct ktest *t)
{
	static const struct tdesc d[] = {
		{ EFI_MEM_CONVENTIONAL, 0x100000, 1, 0 },
		{ EFI_MEM_BOOT_SERVICES_CODE, 0x101000, 2, 0 },
		{ EFI_MEM_LOADER_CODE, 0x103000, 1, 0 },
		{ EFI_MEM_BOOT_SERVICES_DATA, 0x104000, 4, 0 },
		{ EFI_MEM_LOADER_DATA, 0x108000, 1, 0 },
		{ EFI_MEM_LOADER_DATA, 0x109000, 1, 0 },
		{ EFI_MEM_CONVENTIONAL, 0x10a000, 6, 0 },
	};
	static const struct trange exp[] = {
		{ 0x100000, 0x8000, BOOT_MEM_USABLE },
		{ 0x108000, 0x2000, BOOT_MEM_BOOTLOADER },
		{ 0x10a000, 0x6000, BOOT_MEM_USABLE },
	};

	KTEST_ASSERT_EQ(t, convert(d, ARRAY_SIZE(d), 40), 0);
	expect_ranges(t, &bi, exp, ARRAY_SIZE(exp));
}

/* Where descriptors overlap, the more restrictive type wins, in any order. */
static void overlapping_descriptors(struct ktest *t)
{
	static const struct tdesc d[] = {
		{ EFI_MEM_CONVENTIONAL, 0x100000, 16, 0 },
		{ EFI_MEM_RESERVED, 0x104000, 4, 0 },
		{ EFI_MEM_CONVENTIONAL, 0x10c000, 8, 0 },       /* overlaps the tail */
		{ EFI_MEM_UNUSABLE, 0x112000, 1, 0 },           /* inside the above */
		{ EFI_MEM_LOADER_DATA, 0x0fe000, 4, 0 },        /* straddles the start */
	};
	static const struct trange exp[] = {
		{ 0x0fe000, 0x4000, BOOT_MEM_BOOTLOADER },
		{ 0x102000, 0x2000, BOOT_MEM_USABLE },
		{ 0x104000, 0x4000, BOOT_MEM_RESERVED },
		{ 0x108000, 0xa000, BOOT_MEM_USABLE },
		{ 0x112000, 0x1000, BOOT_MEM_BAD },
		{ 0x113000, 0x1000, BOOT_MEM_USABLE },
	};
	struct tdesc rev[ARRAY_SIZE(d)];
	size_t i;

	KTEST_ASSERT_EQ(t, convert(d, ARRAY_SIZE(d), 48), 0);
	expect_ranges(t, &bi, exp, ARRAY_SIZE(exp));
	for (i = 0; i < ARRAY_SIZE(d); i++)
		rev[i] = d[ARRAY_SIZE(d) - 1 - i];
	KTEST_ASSERT_EQ(t, convert(rev, ARRAY_SIZE(rev), 48), 0);
	expect_ranges(t, &bi, exp, ARRAY_SIZE(exp));
}

static void zero_page_descriptors_skipped(struct ktest *t)
{
	static const struct tdesc d[] = {
		{ EFI_MEM_RESERVED, 0x0, 0, 0 },
		{ EFI_MEM_CONVENTIONAL, 0x100000, 2, 0 },
		{ EFI_MEM_UNUSABLE, 0x101000, 0, 0 }, /* would split the range */
	};
	static const struct trange exp[] = {
		{ 0x100000, 0x2000, BOOT_MEM_USABLE },
	};

	KTEST_ASSERT_EQ(t, convert(d, ARRAY_SIZE(d), 48), 0);
	expect_ranges(t, &bi, exp, ARRAY_SIZE(exp));
}

/* Bad geometry is refused before anything is added. */
static void invalid_geometry(struct ktest *t)
{
	static const u64 bad_desc_sizes[] = { 0, 8, 32, 36, 44, 47, 50, 4104, 1ULL << 40 };
	u64 size;
	size_t i;

	size = build_map(ovmf_like, 4, 48);
	for (i = 0; i < ARRAY_SIZE(bad_desc_sizes); i++) {
		u64 ds = bad_desc_sizes[i];

		memset(&bi, 0, sizeof(bi));
		KTEST_EXPECT_EQ(t, efi_map_to_boot_info(map_store, size, ds, 1, &bi), -EINVAL);
		/* Also with a map size that is an exact multiple of it. */
		if (ds && ds < 64)
			KTEST_EXPECT_EQ(t, efi_map_to_boot_info(map_store, 4 * ds, ds, 1, &bi),
					-EINVAL);
		KTEST_EXPECT_EQ(t, bi.nr_mem, 0);
	}
	/* map_size not a multiple of desc_size, empty, absurd, or no map. */
	KTEST_EXPECT_EQ(t, efi_map_to_boot_info(map_store, size - 8, 48, 1, &bi), -EINVAL);
	KTEST_EXPECT_EQ(t, efi_map_to_boot_info(map_store, size + 40, 48, 1, &bi), -EINVAL);
	KTEST_EXPECT_EQ(t, efi_map_to_boot_info(map_store, 0, 48, 1, &bi), -EINVAL);
	KTEST_EXPECT_EQ(t, efi_map_to_boot_info(map_store, 48ULL * (EFI_MAP_MAX_ENTRIES + 1),
						48, 1, &bi), -EINVAL);
	KTEST_EXPECT_EQ(t, efi_map_to_boot_info(NULL, size, 48, 1, &bi), -EINVAL);
	KTEST_EXPECT_EQ(t, efi_map_to_boot_info(map_store, size, 48, 1, NULL), -EINVAL);
	KTEST_EXPECT_EQ(t, bi.nr_mem, 0);
}

/* A map need not be 8-byte aligned in memory (checked by UBSan). */
static void misaligned_buffer(struct ktest *t)
{
	u64 size = build_map_at(map_store + 4, ovmf_like, ARRAY_SIZE(ovmf_like), 48);

	memset(&bi, 0, sizeof(bi));
	KTEST_ASSERT_EQ(t, efi_map_to_boot_info(map_store + 4, size, 48, 1, &bi), 0);
	expect_ranges(t, &bi, ovmf_like_ranges, ARRAY_SIZE(ovmf_like_ranges));
}

/* Page counts that run past 2^52 (or past 2^64) are clipped, loudly. */
static void page_count_overflow(struct ktest *t)
{
	const u64 limit = EFI_MAP_PHYS_LIMIT;
	const struct tdesc d[] = {
		{ EFI_MEM_CONVENTIONAL, 0x100000, 0x10, 0 },
		{ EFI_MEM_RESERVED, limit - 2 * PAGE, 10, 0 },     /* past 2^52 */
		{ EFI_MEM_CONVENTIONAL, limit, 1, 0 },             /* beyond: skipped */
		{ EFI_MEM_CONVENTIONAL, ~0ULL & ~(PAGE - 1), 1, 0 }, /* would wrap */
	};
	const struct trange exp[] = {
		{ 0x100000, 0x10000, BOOT_MEM_USABLE },
		{ limit - 2 * PAGE, 2 * PAGE, BOOT_MEM_RESERVED },
	};
	unsigned long mark = ktest_console_mark();

	KTEST_ASSERT_EQ(t, convert(d, ARRAY_SIZE(d), 48), 0);
	expect_ranges(t, &bi, exp, ARRAY_SIZE(exp));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "clipped"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "skipped"));
}

/* pages * 4096 itself wraps 64 bits: the range must end at 2^52, not wrap. */
static void page_count_multiplication_wraps(struct ktest *t)
{
	static const u64 huge[] = { 1ULL << 52, 1ULL << 60, ~0ULL };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(huge); i++) {
		const struct tdesc d[] = { { EFI_MEM_CONVENTIONAL, 0x1000, huge[i], 0 } };
		const struct trange exp[] = {
			{ 0x1000, EFI_MAP_PHYS_LIMIT - 0x1000, BOOT_MEM_USABLE },
		};

		KTEST_ASSERT_EQ(t, convert(d, 1, 40), 0);
		expect_ranges(t, &bi, exp, 1);
	}
}

/*
 * More distinct ranges than boot_info holds: surplus RAM is dropped with a
 * warning (safe), surplus reservations are an error (RAM could swallow them).
 */
static void table_full(struct ktest *t)
{
	struct tdesc d[BOOT_MAX_MEM_RANGES + 4];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(d); i++)
		d[i] = (struct tdesc){ EFI_MEM_CONVENTIONAL, 0x100000 + i * 2 * PAGE, 1, 0 };
	KTEST_EXPECT_EQ(t, convert(d, ARRAY_SIZE(d), 40), 0);
	KTEST_EXPECT_EQ(t, bi.nr_mem, BOOT_MAX_MEM_RANGES);
	KTEST_EXPECT_EQ(t, bi.mem[0].base, 0x100000);
	KTEST_EXPECT_EQ(t, bi.mem[BOOT_MAX_MEM_RANGES - 1].base,
			0x100000 + (BOOT_MAX_MEM_RANGES - 1) * 2 * PAGE);

	for (i = 0; i < ARRAY_SIZE(d); i++)
		d[i].type = EFI_MEM_ACPI_NVS;
	KTEST_EXPECT_EQ(t, convert(d, ARRAY_SIZE(d), 40), -ENOSPC);
}

/* A large RAM descriptor first, then firmware holes inside it: none usable. */
static void holes_never_become_ram(struct ktest *t)
{
	struct tdesc d[1 + 60];
	size_t i, j;

	d[0] = (struct tdesc){ EFI_MEM_CONVENTIONAL, 0x100000, 0x3ff00, 0 };
	for (i = 1; i < ARRAY_SIZE(d); i++)
		d[i] = (struct tdesc){ EFI_MEM_RUNTIME_SERVICES_DATA, 0x4000000 + i * 0x100000, 1, 0 };
	KTEST_ASSERT_EQ(t, convert(d, ARRAY_SIZE(d), 48), 0);
	for (j = 0; j < bi.nr_mem; j++)
		for (i = 1; i < ARRAY_SIZE(d); i++)
			if (bi.mem[j].type == BOOT_MEM_USABLE &&
			    d[i].start < bi.mem[j].base + bi.mem[j].size &&
			    bi.mem[j].base < d[i].start + PAGE)
				KTEST_FAIL(t, "runtime page at %#llx is usable",
					   (unsigned long long)d[i].start);
}

/* --- the hand-off ------------------------------------------------------- */

static struct efi_handoff ho;

static void make_handoff(u64 desc_size)
{
	u64 size = build_map(ovmf_like, ARRAY_SIZE(ovmf_like), desc_size);

	memset(&ho, 0, sizeof(ho));
	ho.magic = KMM_EFI_HANDOFF_MAGIC;
	ho.version = KMM_EFI_HANDOFF_VERSION;
	ho.size = sizeof(ho);
	ho.mmap_phys = (u64)(uintptr_t)map_store;
	ho.mmap_size = size;
	ho.desc_size = desc_size;
	ho.desc_version = 1;
	ho.rsdp_phys = 0x7fbe014;
	ho.rsdp_revision = 2;
	ho.fb_phys = 0x80000000;
	ho.fb_width = 1280;
	ho.fb_height = 800;
	ho.fb_pitch = 5120;
	ho.fb_bpp = 32;
	ho.kernel_phys_start = 0x200000;
	ho.kernel_phys_end = 0x220000;
	strcpy(ho.cmdline, "ktest=all loglevel=7");
	strcpy(ho.loader_name, "kmm-efi (GNU-EFI)");
}

static void handoff_fills_boot_info(struct ktest *t)
{
	char err[128];

	make_handoff(48);
	memset(&bi, 0xff, sizeof(bi)); /* every field must be written */
	KTEST_ASSERT_EQ(t, efi_handoff_to_boot_info(&ho, &bi, err, sizeof(err)), 0);
	KTEST_EXPECT_STREQ(t, err, "");
	KTEST_EXPECT_EQ(t, bi.magic, BOOT_INFO_MAGIC);
	KTEST_EXPECT_EQ(t, bi.version, BOOT_INFO_VERSION);
	KTEST_EXPECT_EQ(t, bi.method, BOOT_METHOD_UEFI_DIRECT);
	KTEST_EXPECT_STREQ(t, bi.cmdline, "ktest=all loglevel=7");
	KTEST_EXPECT_STREQ(t, bi.loader_name, "kmm-efi (GNU-EFI)");
	KTEST_EXPECT_EQ(t, bi.rsdp_phys, 0x7fbe014);
	KTEST_EXPECT_EQ(t, bi.rsdp_revision, 2);
	KTEST_EXPECT_EQ(t, bi.efi_map_entries, ARRAY_SIZE(ovmf_like));
	KTEST_EXPECT_EQ(t, bi.fb_phys, 0x80000000);
	KTEST_EXPECT_EQ(t, bi.fb_width, 1280);
	KTEST_EXPECT_EQ(t, bi.fb_height, 800);
	KTEST_EXPECT_EQ(t, bi.fb_pitch, 5120);
	KTEST_EXPECT_EQ(t, bi.fb_bpp, 32);
	expect_ranges(t, &bi, ovmf_like_ranges, ARRAY_SIZE(ovmf_like_ranges));
}

static void handoff_without_extras(struct ktest *t)
{
	char err[128];

	make_handoff(40);
	ho.rsdp_phys = 0;
	ho.rsdp_revision = 0;
	ho.fb_phys = 0;
	ho.fb_width = 1024; /* stale geometry without a framebuffer is dropped */
	ho.cmdline[0] = '\0';
	KTEST_ASSERT_EQ(t, efi_handoff_to_boot_info(&ho, &bi, err, sizeof(err)), 0);
	KTEST_EXPECT_STREQ(t, bi.cmdline, "");
	KTEST_EXPECT_EQ(t, bi.rsdp_phys, 0);
	KTEST_EXPECT_EQ(t, bi.fb_phys, 0);
	KTEST_EXPECT_EQ(t, bi.fb_width, 0);
	KTEST_EXPECT_EQ(t, bi.nr_mem, ARRAY_SIZE(ovmf_like_ranges));
}

/* Each broken hand-off is refused with a reason naming the problem. */
static void handoff_validation(struct ktest *t)
{
	char err[128];

	KTEST_EXPECT_EQ(t, efi_handoff_to_boot_info(NULL, &bi, err, sizeof(err)), -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(err, "NULL") != NULL);

	make_handoff(48);
	ho.magic ^= 1;
	KTEST_EXPECT_EQ(t, efi_handoff_to_boot_info(&ho, &bi, err, sizeof(err)), -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(err, "magic") != NULL);

	make_handoff(48);
	ho.version = KMM_EFI_HANDOFF_VERSION + 1;
	KTEST_EXPECT_EQ(t, efi_handoff_to_boot_info(&ho, &bi, err, sizeof(err)), -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(err, "version") != NULL);

	make_handoff(48);
	ho.size = sizeof(ho) - 8;
	KTEST_EXPECT_EQ(t, efi_handoff_to_boot_info(&ho, &bi, err, sizeof(err)), -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(err, "size") != NULL);

	make_handoff(48);
	memset(ho.cmdline, 'x', sizeof(ho.cmdline));
	KTEST_EXPECT_EQ(t, efi_handoff_to_boot_info(&ho, &bi, err, sizeof(err)), -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(err, "command line") != NULL);

	/* A line the loader could not hand over: refused as mb2_parse() does. */
	make_handoff(48);
	ho.cmdline[0] = '\0';
	ho.cmdline_refused = 5000;
	KTEST_EXPECT_EQ(t, efi_handoff_to_boot_info(&ho, &bi, err, sizeof(err)), -E2BIG);
	KTEST_EXPECT_STREQ(t, err,
			   "command line of 5000 bytes is longer than the 4095-byte limit");

	make_handoff(48);
	memset(ho.loader_name, 'x', sizeof(ho.loader_name));
	KTEST_EXPECT_EQ(t, efi_handoff_to_boot_info(&ho, &bi, err, sizeof(err)), -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(err, "loader name") != NULL);

	make_handoff(48);
	ho.mmap_phys = 0;
	KTEST_EXPECT_EQ(t, efi_handoff_to_boot_info(&ho, &bi, err, sizeof(err)), -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(err, "no memory map") != NULL);

	make_handoff(48);
	ho.desc_size = 36;
	KTEST_EXPECT_EQ(t, efi_handoff_to_boot_info(&ho, &bi, err, sizeof(err)), -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(err, "malformed memory map") != NULL);

	make_handoff(48);
	ho.mmap_size -= 8;
	KTEST_EXPECT_EQ(t, efi_handoff_to_boot_info(&ho, &bi, err, sizeof(err)), -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(err, "malformed memory map") != NULL);

	/* No error buffer: still refused, nothing written anywhere. */
	make_handoff(48);
	ho.magic = 0;
	KTEST_EXPECT_EQ(t, efi_handoff_to_boot_info(&ho, &bi, NULL, 0), -EINVAL);
}

/*
 * The should-fail check: the comparison these cases rely on does notice a
 * wrong type, a wrong size and a missing range.
 */
static void should_fail_wrong_expectation(struct ktest *t)
{
	static const struct trange wrong_type[] = { { 0x0, 0xa0000, BOOT_MEM_RESERVED } };
	static const struct trange wrong_size[] = { { 0x0, 0x9f000, BOOT_MEM_USABLE } };
	static const struct trange too_many[] = {
		{ 0x0, 0xa0000, BOOT_MEM_USABLE },
		{ 0x100000, 0x1000, BOOT_MEM_USABLE },
	};
	static const struct trange right[] = { { 0x0, 0xa0000, BOOT_MEM_USABLE } };

	KTEST_ASSERT_EQ(t, convert(ovmf_like, 2, 48), 0);
	KTEST_EXPECT_EQ(t, first_mismatch(&bi, right, 1), -1);
	KTEST_EXPECT_EQ(t, first_mismatch(&bi, wrong_type, 1), 0);
	KTEST_EXPECT_EQ(t, first_mismatch(&bi, wrong_size, 1), 0);
	KTEST_EXPECT_EQ(t, first_mismatch(&bi, too_many, 2), 1);
}

static const struct ktest_case efi_map_cases[] = {
	KTEST_CASE(ovmf_like_map),
	KTEST_CASE(descriptor_sizes),
	KTEST_CASE(every_type),
	KTEST_CASE(specific_purpose_attribute),
	KTEST_CASE(unsorted_map),
	KTEST_CASE(adjacent_descriptors),
	KTEST_CASE(overlapping_descriptors),
	KTEST_CASE(zero_page_descriptors_skipped),
	KTEST_CASE(invalid_geometry),
	KTEST_CASE(misaligned_buffer),
	KTEST_CASE(page_count_overflow),
	KTEST_CASE(page_count_multiplication_wraps),
	KTEST_CASE(table_full),
	KTEST_CASE(holes_never_become_ram),
	KTEST_CASE(handoff_fills_boot_info),
	KTEST_CASE(handoff_without_extras),
	KTEST_CASE(handoff_validation),
	KTEST_CASE(should_fail_wrong_expectation),
};

KTEST_SUITE(efi_map, efi_map_cases);

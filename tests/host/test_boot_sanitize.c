// SPDX-License-Identifier: MIT
/*
 * boot_info_sanitize(): hostile memory maps the kernel must survive. RAM
 * beyond the CPU's physical address width is clipped or dropped, firmware
 * ranges over the kernel image are reported, and each change is warned
 * about, naming the range.
 */
#include <string.h>
#include "kernel/ktest.h"
#include "boot/boot_info.h"
#include "host_mm.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

static struct boot_info bi;

static void setup(const struct boot_mem_range *r, unsigned int n)
{
	unsigned int i;

	memset(&bi, 0, sizeof(bi));
	for (i = 0; i < n; i++)
		boot_info_add_range(&bi, r[i].base, r[i].size, r[i].type);
}

static void clean_map_untouched(struct ktest *t)
{
	static const struct boot_mem_range m[] = {
		{ 0, 0x9f000, BOOT_MEM_USABLE, 0 },
		{ MiB, 127 * MiB, BOOT_MEM_USABLE, 0 },
		{ 128 * MiB, MiB, BOOT_MEM_RESERVED, 0 },
	};
	unsigned long mark = ktest_console_mark();

	setup(m, ARRAY_SIZE(m));
	KTEST_EXPECT_EQ(t, boot_info_sanitize(&bi, 1ULL << 40, 2 * MiB, 3 * MiB), 0);
	KTEST_EXPECT_EQ(t, bi.nr_mem, 3);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "kernel image"), 0);
}

static void ram_beyond_address_width(struct ktest *t)
{
	static const struct boot_mem_range m[] = {
		{ MiB, 127 * MiB, BOOT_MEM_USABLE, 0 },
		{ 60 * GiB, 8 * GiB, BOOT_MEM_USABLE, 0 },   /* straddles 64 GiB */
		{ 100 * GiB, GiB, BOOT_MEM_BOOTLOADER, 0 },  /* wholly beyond */
		{ 200 * GiB, GiB, BOOT_MEM_RESERVED, 0 },    /* not RAM: kept */
	};
	unsigned long mark = ktest_console_mark();

	setup(m, ARRAY_SIZE(m));
	KTEST_EXPECT_EQ(t, boot_info_sanitize(&bi, 64 * GiB, 2 * MiB, 3 * MiB), 2);
	KTEST_ASSERT_EQ(t, bi.nr_mem, 3);
	KTEST_EXPECT_EQ(t, bi.mem[1].base, 60 * GiB);
	KTEST_EXPECT_EQ(t, bi.mem[1].size, 4 * GiB);
	KTEST_EXPECT_EQ(t, bi.mem[2].type, BOOT_MEM_RESERVED);
	KTEST_EXPECT_EQ(t, boot_info_total(&bi, BOOT_MEM_BOOTLOADER), 0);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
		"usable range [mem 0x0000000f00000000-0x00000010ffffffff] lies beyond the CPU's physical address limit 0x1000000000: clipped"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, ": dropped"));
}

static void firmware_over_kernel_image(struct ktest *t)
{
	static const struct boot_mem_range m[] = {
		{ MiB, 127 * MiB, BOOT_MEM_USABLE, 0 },
		{ 2 * MiB + 0x3000, 0x1000, BOOT_MEM_ACPI_NVS, 0 },
	};
	unsigned long mark = ktest_console_mark();

	setup(m, ARRAY_SIZE(m));
	/* Two warnings: the NVS page, and an image no longer all in RAM. */
	KTEST_EXPECT_EQ(t, boot_info_sanitize(&bi, 1ULL << 40, 2 * MiB, 3 * MiB), 2);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
		"ACPI NVS range [mem 0x0000000000203000-0x0000000000203fff] overlaps the kernel image"));
	KTEST_EXPECT_EQ(t, host_console_count(mark, "is not all in RAM"), 1);
}

static void kernel_outside_ram(struct ktest *t)
{
	static const struct boot_mem_range m[] = {
		{ 16 * MiB, 112 * MiB, BOOT_MEM_USABLE, 0 },
	};
	unsigned long mark = ktest_console_mark();

	setup(m, ARRAY_SIZE(m));
	KTEST_EXPECT_EQ(t, boot_info_sanitize(&bi, 1ULL << 40, 2 * MiB, 3 * MiB), 1);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "is not all in RAM"), 1);
}

static const struct ktest_case sanitize_cases[] = {
	KTEST_CASE(clean_map_untouched),
	KTEST_CASE(ram_beyond_address_width),
	KTEST_CASE(firmware_over_kernel_image),
	KTEST_CASE(kernel_outside_ram),
};
KTEST_SUITE(boot_sanitize, sanitize_cases);

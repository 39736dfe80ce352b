// SPDX-License-Identifier: MIT
/*
 * Boot self-tests: what the loader told us, the command line, the formatter,
 * and exceptions that must be caught, reported and survived.
 */
#include "kernel/ktest.h"
#include "kernel/cmdline.h"
#include "kmm/string.h"
#include "boot/boot_info.h"
#include "arch/x86_64/traps.h"
#include "mm/memblock.h"
#include "mm/mm.h"

/* Parse "128M" / "6G" / "1024K" / plain bytes. 0 on a malformed value. */
static u64 parse_size(const char *s)
{
	u64 v = 0;

	if (!*s)
		return 0;
	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (u64)(*s - '0');
	switch (*s) {
	case 'G': case 'g': v <<= 30; s++; break;
	case 'M': case 'm': v <<= 20; s++; break;
	case 'K': case 'k': v <<= 10; s++; break;
	}
	return *s ? 0 : v;
}

static void boot_info_header(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, boot_info.magic, BOOT_INFO_MAGIC);
	KTEST_EXPECT_EQ(t, boot_info.version, BOOT_INFO_VERSION);
	KTEST_EXPECT_NE(t, boot_info.method, BOOT_METHOD_UNKNOWN);
	KTEST_EXPECT_GT(t, boot_info.nr_mem, 0);
}

static void memory_map_sorted_and_disjoint(struct ktest *t)
{
	unsigned int i;

	for (i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_range *r = &boot_info.mem[i];

		KTEST_EXPECT_GT(t, r->size, 0);
		if (i > 0) {
			const struct boot_mem_range *p = &boot_info.mem[i - 1];

			KTEST_EXPECT_LE(t, p->base + p->size, r->base);
		}
	}
}

/*
 * The harness passes expect_mem=<the -m size>. Usable RAM must be within the
 * firmware's own reservations of it: not more, and at most 16 MiB less
 * (BIOS area, ACPI tables, OVMF's own data).
 */
static void usable_ram_matches_machine(struct ktest *t)
{
	char val[32];
	/* Loader memory is RAM we get back (the kernel image sits in it). */
	u64 expect, usable = boot_info_total(&boot_info, BOOT_MEM_USABLE) +
			     boot_info_total(&boot_info, BOOT_MEM_BOOTLOADER);

	if (!cmdline_get(boot_info.cmdline, "expect_mem", val, sizeof(val))) {
		ktest_skip(t, "no expect_mem= on the command line");
		return;
	}
	expect = parse_size(val);
	KTEST_ASSERT_NE(t, expect, 0);
	KTEST_EXPECT_LE(t, usable, expect);
	KTEST_EXPECT_GE(t, usable, expect - (expect > (1ULL << 30) ? 64ULL << 20 : 16ULL << 20));
	/* memblock holds exactly that RAM, minus partial pages at the edges. */
	KTEST_EXPECT_LE(t, memblock_phys_mem_size(), usable);
	KTEST_EXPECT_GE(t, memblock_phys_mem_size(), usable - boot_info.nr_mem * PAGE_SIZE);
}

/* The harness passes ktest_roundtrip=kmm-rt:1,2=3 and expects it verbatim. */
static void cmdline_roundtrip(struct ktest *t)
{
	char val[64];

	if (!cmdline_get(boot_info.cmdline, "ktest_roundtrip", val, sizeof(val))) {
		ktest_skip(t, "no ktest_roundtrip= on the command line");
		return;
	}
	KTEST_EXPECT_STREQ(t, val, "kmm-rt:1,2=3");
}

/* The harness passes expect_boot=<method name> for the path it booted. */
static void boot_method_reported(struct ktest *t)
{
	char val[32];

	if (!cmdline_get(boot_info.cmdline, "expect_boot", val, sizeof(val))) {
		ktest_skip(t, "no expect_boot= on the command line");
		return;
	}
	KTEST_EXPECT_STREQ(t, boot_method_name(boot_info.method), val);
}

/*
 * Nothing the firmware kept for itself may ever reach the allocator: every
 * page of every non-RAM range, and of the kernel image, is either outside
 * the struct page array or marked reserved (free pages never are).
 */
static void firmware_ranges_never_free(struct ktest *t)
{
	extern char _kernel_start[], _kernel_end[];
	unsigned long pfn, bad = 0, checked = 0;
	unsigned int i;

	for (i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_range *r = &boot_info.mem[i];
		unsigned long first = PFN_DOWN(r->base);
		unsigned long last = PFN_UP(r->base + r->size);

		if (r->type == BOOT_MEM_USABLE || r->type == BOOT_MEM_BOOTLOADER)
			continue;
		first = max(first, min_pfn_mapped);
		last = min(last, max_pfn_mapped);
		for (pfn = first; pfn < last; pfn++) {
			if (!pfn_valid(pfn))
				continue;
			checked++;
			if (!PageReserved(pfn_to_page(pfn)) && bad++ < 4)
				KTEST_FAIL(t, "pfn %#lx of %s range [mem %#llx-%#llx] is managed",
					   pfn, boot_mem_type_name(r->type),
					   (unsigned long long)r->base,
					   (unsigned long long)(r->base + r->size - 1));
		}
	}
	for (pfn = PHYS_PFN(__pa(_kernel_start)); pfn < PHYS_PFN(__pa(_kernel_end)); pfn++) {
		checked++;
		if (!PageReserved(pfn_to_page(pfn)) && bad++ < 4)
			KTEST_FAIL(t, "kernel image pfn %#lx is managed", pfn);
	}
	KTEST_EXPECT_EQ(t, bad, 0);
	KTEST_EXPECT_GT(t, checked, 0);
}

static void formatter(struct ktest *t)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%d|%5u|%-4x|%08lx|%s|%c|%%", -42, 7u, 0xabu,
		 0xdeadUL, "str", 'z');
	KTEST_EXPECT_STREQ(t, buf, "-42|    7|ab  |0000dead|str|z|%");
	snprintf(buf, sizeof(buf), "%llx %zu %i", 0xffffffffffffffffULL,
		 (size_t)123, 0);
	KTEST_EXPECT_STREQ(t, buf, "ffffffffffffffff 123 0");
	KTEST_EXPECT_EQ(t, snprintf(buf, 4, "%s", "abcdef"), 6);
	KTEST_EXPECT_STREQ(t, buf, "abc");
	snprintf(buf, sizeof(buf), "%pS", (void *)formatter);
	KTEST_EXPECT_EQ(t, strncmp(buf, "formatter+0x0", 13), 0);
}

static void breakpoint_survived(struct ktest *t)
{
	u64 before = last_trap.count;

	__asm__ __volatile__("int3");
	KTEST_EXPECT_EQ(t, last_trap.count, before + 1);
	KTEST_EXPECT_EQ(t, last_trap.vector, X86_TRAP_BP);
}

static void invalid_opcode_survived(struct ktest *t)
{
	u64 before = last_trap.count;
	int resumed = 0;

	__asm__ __volatile__("1: ud2\n"
			     "2: movl $1, %0\n"
			     _ASM_EXTABLE(1b, 2b)
			     : "=r"(resumed) : : "memory");
	KTEST_EXPECT_EQ(t, resumed, 1);
	KTEST_EXPECT_EQ(t, last_trap.count, before + 1);
	KTEST_EXPECT_EQ(t, last_trap.vector, X86_TRAP_UD);
}

static void divide_error_survived(struct ktest *t)
{
	u64 before = last_trap.count;
	volatile u32 zero = 0;
	u32 q = 7, r = 0;

	__asm__ __volatile__("1: divl %2\n"
			     "2:\n"
			     _ASM_EXTABLE(1b, 2b)
			     : "+a"(q), "+d"(r)
			     : "r"(zero)
			     : "memory");
	KTEST_EXPECT_EQ(t, last_trap.count, before + 1);
	KTEST_EXPECT_EQ(t, last_trap.vector, X86_TRAP_DE);
}

static const struct ktest_case boot_cases[] = {
	KTEST_CASE(boot_info_header),
	KTEST_CASE(memory_map_sorted_and_disjoint),
	KTEST_CASE(usable_ram_matches_machine),
	KTEST_CASE(cmdline_roundtrip),
	KTEST_CASE(boot_method_reported),
	KTEST_CASE(firmware_ranges_never_free),
	KTEST_CASE(formatter),
	KTEST_CASE(breakpoint_survived),
	KTEST_CASE(invalid_opcode_survived),
	KTEST_CASE(divide_error_survived),
};
KTEST_SUITE(boot, boot_cases);

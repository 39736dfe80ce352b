// SPDX-License-Identifier: MIT
/*
 * memblock on the host: hand-made firmware maps, good and hostile, and a
 * randomized comparison of the tables, the free ranges and the allocator
 * against a page bitmap model.
 */
#include <stdlib.h>
#include "kernel/ktest.h"
#include "kmm/string.h"
#include "mm/memblock.h"
#include "mm/gfp.h"
#include "host_mm.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

struct want {
	phys_addr_t base, size;
};

#define R(b, s, t) { (b), (s), BOOT_MEM_##t, 0 }

/* Compare the memory table with @w, printing the table on a mismatch. */
static void expect_memory(struct ktest *t, const struct want *w, unsigned int n)
{
	unsigned int i;

	KTEST_EXPECT_EQ(t, memblock.memory.cnt, n);
	for (i = 0; i < n && i < memblock.memory.cnt; i++) {
		KTEST_EXPECT_EQ(t, memblock.memory.regions[i].base, w[i].base);
		KTEST_EXPECT_EQ(t, memblock.memory.regions[i].size, w[i].size);
	}
	if (t->failures)
		memblock_dump();
}

static unsigned int warnings_since(unsigned long mark)
{
	return host_console_count(mark, "memblock: map entry") +
	       host_console_count(mark, "memblock: memory map has");
}

static void good_map(struct ktest *t)
{
	static const struct boot_mem_range map[] = {
		R(0, 0x9f000, USABLE), R(0x9f000, 0x1000, RESERVED),
		R(0xf0000, 0x10000, RESERVED), R(0x100000, 0x7ee0000, USABLE),
		R(0x7fe0000, 0x20000, RESERVED), R(0xfffc0000, 0x40000, RESERVED),
		R(0x100000000ULL, 0x40000000, USABLE),
	};
	static const struct want w[] = {
		{ 0, 0x9f000 }, { 0x100000, 0x7ee0000 }, { 0x100000000ULL, 0x40000000 },
	};
	unsigned long mark;

	host_memblock_reset();
	mark = ktest_console_mark();
	memblock_add_map(map, ARRAY_SIZE(map));
	KTEST_EXPECT_EQ(t, warnings_since(mark), 0);
	expect_memory(t, w, ARRAY_SIZE(w));
	KTEST_EXPECT_EQ(t, memblock_phys_mem_size(), 0x9f000 + 0x7ee0000 + 0x40000000ULL);
	KTEST_EXPECT_EQ(t, memblock_start_of_DRAM(), 0);
	KTEST_EXPECT_EQ(t, memblock_end_of_DRAM(), 0x140000000ULL);
	KTEST_EXPECT_TRUE(t, memblock_is_memory(0x100000));
	KTEST_EXPECT_FALSE(t, memblock_is_memory(0x9f000));
	KTEST_EXPECT_FALSE(t, memblock_is_memory(0x13fffffffULL + 1));
}

static void unsorted_map(struct ktest *t)
{
	static const struct boot_mem_range map[] = {
		R(0x100000000ULL, 0x1000000, USABLE), R(0x100000, 0x100000, USABLE),
		R(0x0, 0x9f000, USABLE), R(0x300000, 0x100000, USABLE),
		R(0x200000, 0x100000, USABLE),
	};
	static const struct want w[] = {
		{ 0, 0x9f000 }, { 0x100000, 0x300000 }, { 0x100000000ULL, 0x1000000 },
	};
	unsigned long mark;

	host_memblock_reset();
	mark = ktest_console_mark();
	memblock_add_map(map, ARRAY_SIZE(map));
	expect_memory(t, w, ARRAY_SIZE(w));
	/* Entries 1, 2 and 4 each come after a higher base: three warnings. */
	KTEST_EXPECT_EQ(t, host_console_count(mark, "is out of order"), 3);
	KTEST_EXPECT_EQ(t, warnings_since(mark), 3);
}

static void overlapping_map(struct ktest *t)
{
	static const struct boot_mem_range map[] = {
		R(0x100000, 0x400000, USABLE), R(0x300000, 0x400000, USABLE),
		R(0x200000, 0x100000, USABLE),
		/* Firmware calls part of the RAM reserved: that part is not RAM. */
		R(0x600000, 0x100000, RESERVED),
	};
	static const struct want w[] = {
		{ 0x100000, 0x500000 },
	};
	unsigned long mark;

	host_memblock_reset();
	mark = ktest_console_mark();
	memblock_add_map(map, ARRAY_SIZE(map));
	expect_memory(t, w, ARRAY_SIZE(w));
	KTEST_EXPECT_EQ(t, host_console_count(mark, "overlaps an earlier entry"), 3);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "of another type"), 1);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "is out of order"), 1);
	KTEST_EXPECT_EQ(t, warnings_since(mark), 4);
}

static void empty_and_unaligned_map(struct ktest *t)
{
	static const struct boot_mem_range map[] = {
		R(0x100000, 0, USABLE), R(0x100800, 0x200000, USABLE),
		R(0x400000, 0, RESERVED), R(0x500000, 0x800, USABLE),
		R(0x600000, 0x1000, USABLE),
	};
	static const struct want w[] = {
		/* 0x100800 + 0x200000 trimmed inward to whole pages. */
		{ 0x101000, 0x1ff000 }, { 0x600000, 0x1000 },
	};
	unsigned long mark;

	host_memblock_reset();
	mark = ktest_console_mark();
	memblock_add_map(map, ARRAY_SIZE(map));
	expect_memory(t, w, ARRAY_SIZE(w));
	KTEST_EXPECT_EQ(t, host_console_count(mark, "is empty, ignored"), 2);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "not page aligned, trimmed"), 2);
	KTEST_EXPECT_EQ(t, warnings_since(mark), 4);
}

static void absurd_map(struct ktest *t)
{
	static const struct boot_mem_range map[] = {
		R(0x100000, 0x100000, USABLE),
		/* Wraps around 2^64. */
		R(0x200000, ~0ULL - 0x1000, USABLE),
		/* Starts beyond any physical address. */
		R(0xfff0000000000000ULL, 0x1000, USABLE),
		R(~0ULL & PAGE_MASK, 0x1000, USABLE),
	};
	static const struct want w[] = {
		{ 0x100000, HOST_PHYS_SIZE - 0x100000 },
	};
	unsigned long mark;

	host_memblock_reset();
	mark = ktest_console_mark();
	memblock_add_map(map, ARRAY_SIZE(map));
	expect_memory(t, w, ARRAY_SIZE(w));
	KTEST_EXPECT_EQ(t, host_console_count(mark, "runs past the physical address limit"), 1);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "lies beyond the physical address limit"), 2);
	KTEST_EXPECT_EQ(t, warnings_since(mark), 3);
	/* memblock_add itself refuses what cannot be a physical address. */
	KTEST_EXPECT_EQ(t, memblock_add(MM_MAX_PHYS_ADDR, PAGE_SIZE), -ERANGE);
	KTEST_EXPECT_EQ(t, memblock_reserve(~0ULL - 10, 100), -ERANGE);
}

static void too_many_entries(struct ktest *t)
{
	enum { N = 300 };
	struct boot_mem_range *map = calloc(N, sizeof(*map));
	unsigned long mark;
	unsigned int i;

	KTEST_ASSERT_NOT_NULL(t, map);
	for (i = 0; i < N; i++) {
		map[i].base = (u64)i * 2 * PAGE_SIZE + MiB;
		map[i].size = PAGE_SIZE;
		map[i].type = BOOT_MEM_USABLE;
	}
	host_memblock_reset();
	mark = ktest_console_mark();
	memblock_add_map(map, N);
	KTEST_EXPECT_EQ(t, memblock.memory.cnt, MEMBLOCK_MAX_REGIONS);
	KTEST_EXPECT_EQ(t, warnings_since(mark), 1);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "172 ignored"));
	/* What was kept is still sorted and disjoint. */
	for (i = 1; i < memblock.memory.cnt; i++)
		KTEST_EXPECT_GT(t, memblock.memory.regions[i].base,
				memblock.memory.regions[i - 1].base +
				memblock.memory.regions[i - 1].size);
	free(map);
}

static void alloc_top_down(struct ktest *t)
{
	static const struct boot_mem_range map[] = {
		R(0x100000, 0x700000, USABLE),  /* 1 MiB .. 8 MiB */
		R(0x1000000, 0x100000, USABLE), /* 16 MiB .. 17 MiB */
	};
	phys_addr_t a, b, c;
	unsigned long mark;
	u8 *p;

	host_memblock_reset();
	memblock_add_map(map, ARRAY_SIZE(map));
	memblock_reserve(0x1080000, 0x10);   /* widened to one page */

	a = memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE);
	KTEST_EXPECT_EQ(t, a, 0x10ff000);
	KTEST_EXPECT_TRUE(t, memblock_is_reserved(a));
	KTEST_EXPECT_TRUE(t, memblock_is_reserved(0x1080000));
	KTEST_EXPECT_FALSE(t, memblock_is_reserved(0x1081000));
	/* 0x80000 bytes fit only below the reservation at 0x1080000. */
	b = memblock_phys_alloc(0x80000, PAGE_SIZE);
	KTEST_EXPECT_EQ(t, b, 0x1000000);
	/* Aligned: the highest 2 MiB boundary with 2 MiB free below 8 MiB. */
	c = memblock_phys_alloc(2 * MiB, 2 * MiB);
	KTEST_EXPECT_EQ(t, c, 0x600000);

	/* Not zeroed by memblock_phys_alloc; zeroed by memblock_alloc. */
	memset(__va(c), 0x77, PAGE_SIZE);
	KTEST_EXPECT_EQ(t, memblock_free(c, 2 * MiB), 0);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(PAGE_SIZE, 2 * MiB), c);
	KTEST_EXPECT_EQ(t, *(u8 *)__va(c), 0x77);
	memblock_free(c, PAGE_SIZE);
	p = memblock_alloc(100, 2 * MiB);
	KTEST_EXPECT_TRUE(t, p == __va(c));
	KTEST_EXPECT_EQ(t, p[0], 0);
	KTEST_EXPECT_EQ(t, p[PAGE_SIZE - 1], 0);

	/* The limit is respected; failure is 0 / NULL with a warning. */
	memblock.limit = 0x200000;
	a = memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE);
	KTEST_EXPECT_EQ(t, a, 0x1ff000);
	mark = ktest_console_mark();
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(2 * MiB, PAGE_SIZE), 0);
	KTEST_EXPECT_TRUE(t, memblock_alloc(2 * MiB, PAGE_SIZE) == NULL);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "memblock: out of memory"), 2);
	/* A non-power-of-two alignment is refused. */
	ktest_expect_report(t, "bad allocation request size 0x1000 align 0x3000");
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(PAGE_SIZE, 3 * PAGE_SIZE), 0);
	memblock.limit = 0;
}

static void never_page_zero(struct ktest *t)
{
	static const struct boot_mem_range map[] = { R(0, 0x2000, USABLE) };

	host_memblock_reset();
	memblock_add_map(map, 1);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE), 0x1000);
	host_console_quiet(true);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE), 0);
	host_console_quiet(false);
}

static void remove_splits(struct ktest *t)
{
	static const struct want w[] = {
		{ 0x100000, 0x100000 }, { 0x201000, 0x5ff000 },
	};

	host_memblock_reset();
	memblock_add(0x100000, 0x700000);
	KTEST_EXPECT_EQ(t, memblock_remove(0x200000, 0x800), 0);
	expect_memory(t, w, ARRAY_SIZE(w));
}

/*
 * With the memory table full, cutting a reservation out of the middle of a
 * RAM range cannot split it: the RAM above the cut is given up, and the
 * reserved pages are never left counted as memory.
 */
static void remove_when_full_loses_ram_not_reservations(struct ktest *t)
{
	unsigned int i;

	host_memblock_reset();
	memblock_add(0x100000, 0x1000000);
	for (i = 1; i < MEMBLOCK_MAX_REGIONS; i++)
		memblock_add(0x2000000 + (phys_addr_t)i * 2 * PAGE_SIZE, PAGE_SIZE);
	KTEST_ASSERT_EQ(t, memblock.memory.cnt, MEMBLOCK_MAX_REGIONS);
	KTEST_EXPECT_EQ(t, memblock_remove(0x800000, PAGE_SIZE), -ENOSPC);
	KTEST_EXPECT_FALSE(t, memblock_is_memory(0x800000));
	KTEST_EXPECT_TRUE(t, memblock_is_memory(0x7ff000));
	KTEST_EXPECT_FALSE(t, memblock_is_memory(0x801000));
	KTEST_EXPECT_EQ(t, memblock.memory.cnt, MEMBLOCK_MAX_REGIONS);

	/* A reservation cannot be shrunk that way: it stays whole. */
	for (i = 0; i < MEMBLOCK_MAX_REGIONS; i++)
		memblock_reserve(0x4000000 + (phys_addr_t)i * 16 * PAGE_SIZE,
				 i ? PAGE_SIZE : 4 * PAGE_SIZE);
	KTEST_ASSERT_EQ(t, memblock.reserved.cnt, MEMBLOCK_MAX_REGIONS);
	KTEST_EXPECT_EQ(t, memblock_free(0x4001000, PAGE_SIZE), -ENOSPC);
	KTEST_EXPECT_TRUE(t, memblock_is_reserved(0x4001000));
	KTEST_EXPECT_TRUE(t, memblock_is_reserved(0x4003000));
}

static void debug_dump(struct ktest *t)
{
	unsigned long mark;

	host_memblock_reset();
	memblock.debug = true;
	mark = ktest_console_mark();
	memblock_add(0x100000, 0x100000);
	memblock_reserve(0x180000, 0x1000);
	memblock_dump();
	memblock.debug = false;
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "memblock_reserve: [0x0000000000180000-0x0000000000180fff]"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, " memory[0]\t[0x0000000000100000-0x00000000001fffff]"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, " reserved[0]\t[0x0000000000180000-0x0000000000180fff]"));
}

static void refused_after_mem_init(struct ktest *t)
{
	unsigned long mark;

	host_mm_setup_default();
	mark = ktest_console_mark();
	ktest_expect_report(t, "after mem_init() refused");
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE), 0);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "after mem_init() refused"));
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

/* ---- randomized against a model --------------------------------------- */

#define MODEL_PAGES 512
static bool model_mem[MODEL_PAGES], model_res[MODEL_PAGES];

static u64 rng;
static u64 next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Runs of @bits as regions; returns false at the first difference. */
static bool table_matches(const struct memblock_type *type, const bool *bits)
{
	unsigned int i = 0, p = 0;

	while (p < MODEL_PAGES) {
		unsigned int s;

		if (!bits[p]) {
			p++;
			continue;
		}
		for (s = p; p < MODEL_PAGES && bits[p]; p++)
			;
		if (i >= type->cnt || type->regions[i].base != (phys_addr_t)s * PAGE_SIZE ||
		    type->regions[i].size != (phys_addr_t)(p - s) * PAGE_SIZE)
			return false;
		i++;
	}
	return i == type->cnt;
}

static bool free_ranges_match(void)
{
	unsigned int idx = 0, p = 0;
	phys_addr_t s, e;

	while (memblock_next_free_range(&idx, &s, &e)) {
		unsigned int ms;

		while (p < MODEL_PAGES && !(model_mem[p] && !model_res[p]))
			p++;
		for (ms = p; p < MODEL_PAGES && model_mem[p] && !model_res[p]; p++)
			;
		if (s != (phys_addr_t)ms * PAGE_SIZE || e != (phys_addr_t)p * PAGE_SIZE)
			return false;
	}
	while (p < MODEL_PAGES && !(model_mem[p] && !model_res[p]))
		p++;
	return p == MODEL_PAGES;
}

/* The model's answer for memblock_phys_alloc: highest fit, never page 0. */
static long model_alloc(unsigned int pages, unsigned int align, unsigned int limit)
{
	long cand;

	for (cand = (long)(limit - pages) / align * align; cand >= 1; cand -= align) {
		unsigned int i;

		for (i = 0; i < pages; i++)
			if (!model_mem[cand + i] || model_res[cand + i])
				break;
		if (i == pages)
			return cand;
	}
	return 0;
}

static void set_bits(bool *bits, unsigned int s, unsigned int n, bool v)
{
	while (n-- && s < MODEL_PAGES)
		bits[s++] = v;
}

static void randomized_model(struct ktest *t)
{
	unsigned int op;
	u64 seed = host_seed(0x5eed1234abcdULL);

	printk("    # memblock seed %#llx (set KMM_SEED to repeat)\n",
	       (unsigned long long)seed);
	rng = seed ? seed : 1;
	host_memblock_reset();
	memset(model_mem, 0, sizeof(model_mem));
	memset(model_res, 0, sizeof(model_res));
	host_console_quiet(true);
	for (op = 0; op < 20000 && !t->failures; op++) {
		unsigned int s = next_rand() % MODEL_PAGES;
		unsigned int n = 1 + next_rand() % 24;
		phys_addr_t base = (phys_addr_t)s * PAGE_SIZE, size = (phys_addr_t)n * PAGE_SIZE;
		unsigned int kind = next_rand() % 6;
		int err = 0;

		if (s + n > MODEL_PAGES)
			n = MODEL_PAGES - s, size = (phys_addr_t)n * PAGE_SIZE;
		switch (kind) {
		case 0:
		case 1:
			err = memblock_add(base, size);
			if (!err)
				set_bits(model_mem, s, n, true);
			break;
		case 2:
			err = memblock_remove(base, size);
			if (!err)
				set_bits(model_mem, s, n, false);
			break;
		case 3:
			err = memblock_reserve(base, size);
			if (!err)
				set_bits(model_res, s, n, true);
			break;
		case 4:
			err = memblock_free(base, size);
			if (!err)
				set_bits(model_res, s, n, false);
			break;
		case 5: {
			unsigned int align = 1u << (next_rand() % 4);
			unsigned int limit = next_rand() % 2 ? MODEL_PAGES :
					     (unsigned int)(next_rand() % MODEL_PAGES) + 1;
			long want;
			phys_addr_t got;

			n = 1 + n % 8;
			memblock.limit = (phys_addr_t)limit * PAGE_SIZE;
			want = limit >= n ? model_alloc(n, align, limit) : 0;
			got = memblock_phys_alloc((phys_addr_t)n * PAGE_SIZE,
						  (phys_addr_t)align * PAGE_SIZE);
			memblock.limit = 0;
			if (!got && want && memblock.reserved.cnt == MEMBLOCK_MAX_REGIONS)
				break;
			KTEST_EXPECT_EQ(t, got, (phys_addr_t)want * PAGE_SIZE);
			if (got)
				set_bits(model_res, (unsigned int)(got / PAGE_SIZE), n, true);
			break;
		}
		}
		KTEST_EXPECT_TRUE(t, err == 0 || err == -ENOSPC);
		KTEST_EXPECT_TRUE(t, table_matches(&memblock.memory, model_mem));
		KTEST_EXPECT_TRUE(t, table_matches(&memblock.reserved, model_res));
		KTEST_EXPECT_TRUE(t, free_ranges_match());
		if (t->failures)
			printk("    # failed at operation %u (kind %u base %#lx size %#lx)\n",
			       op, kind, (unsigned long)base, (unsigned long)size);
	}
	host_console_quiet(false);
}

static const struct ktest_case memblock_cases[] = {
	KTEST_CASE(good_map),
	KTEST_CASE(unsorted_map),
	KTEST_CASE(overlapping_map),
	KTEST_CASE(empty_and_unaligned_map),
	KTEST_CASE(absurd_map),
	KTEST_CASE(too_many_entries),
	KTEST_CASE(alloc_top_down),
	KTEST_CASE(never_page_zero),
	KTEST_CASE(remove_splits),
	KTEST_CASE(remove_when_full_loses_ram_not_reservations),
	KTEST_CASE(debug_dump),
	KTEST_CASE(refused_after_mem_init),
	KTEST_CASE(randomized_model),
};
KTEST_SUITE(memblock, memblock_cases);

// SPDX-License-Identifier: MIT
/*
 * bench: the allocators' hot paths timed inside the kernel, in TSC ticks per
 * operation (one alloc+free pair). Off by default; run it under QEMU with a
 * deterministic clock, where one tick is one guest instruction and every
 * figure repeats exactly:
 *
 *   python3 tests/harness.py boot --icount --cmdline "ktest=bench" --name bench
 *
 * Each case prints "# <name>: <ticks>.<2 digits> ticks/op" (integer
 * arithmetic: the kernel has no floating point). The figure is raw: it
 * includes the loop and the result check (about 5 instructions), as do
 * Linux's published figures (docs/bench-kernel.md). The calibration case
 * times a loop of exactly two instructions and must read 2.00; on real
 * hardware, or without -icount, it shows what a tick is worth instead.
 *
 * The cases check that every allocation succeeded, never how long it took:
 * a timing is a measurement, not a pass/fail criterion. Each one warms up
 * first (per-CPU magazines and page lists filled) and runs with interrupts
 * off, so that only the code under test is counted.
 */
#include "cpu.h"
#include "kernel/ktest.h"
#include "mm/gfp.h"
#include "mm/slab.h"

#define BENCH_PAIRS 10000
#define BENCH_BATCH 1000
#define BENCH_BATCH_ROUNDS 10

/* Read once per operation, so the compiler cannot fold the size in. */
static volatile size_t bench_size = 64;

static void *batch[BENCH_BATCH];

/* Print @ticks / @ops with two decimals, rounded to nearest. */
static void bench_report(const char *name, u64 ticks, u64 ops)
{
	u64 hundredths = (ticks * 100 + ops / 2) / ops;

	printk("    # %s: %llu.%02llu ticks/op\n", name,
	       (unsigned long long)(hundredths / 100),
	       (unsigned long long)(hundredths % 100));
}

static void calibration_2insn_loop(struct ktest *t)
{
	unsigned long n = 1000000, flags = local_irq_save();
	u64 t0, t1;

	t0 = rdtsc();
	__asm__ __volatile__("1: dec %0\n\tjnz 1b" : "+r"(n) : : "cc");
	t1 = rdtsc();
	local_irq_restore(flags);
	KTEST_EXPECT_EQ(t, n, 0);
	bench_report("calibration_2insn_loop", t1 - t0, 1000000);
}

/*
 * Time BENCH_PAIRS kmalloc(@size)+kfree pairs after a warm-up round. With
 * @variable, the size is read from a volatile each time (unknown at compile
 * time); otherwise it is a constant the compiler sees.
 */
static __always_inline void kmalloc_pairs(struct ktest *t, const char *name,
					  size_t size, bool variable)
{
	unsigned long flags;
	unsigned int i, round;
	u64 t0 = 0, t1 = 0;

	for (round = 0; round < 2; round++) {
		flags = local_irq_save();
		t0 = rdtsc();
		for (i = 0; i < BENCH_PAIRS; i++) {
			void *p = kmalloc(variable ? bench_size : size, GFP_KERNEL);

			if (unlikely(!p))
				break;
			kfree(p);
		}
		t1 = rdtsc();
		local_irq_restore(flags);
		KTEST_ASSERT_EQ(t, i, BENCH_PAIRS);
	}
	bench_report(name, t1 - t0, BENCH_PAIRS);
}

static void kmalloc64_pair(struct ktest *t)
{
	kmalloc_pairs(t, "kmalloc64_pair", 64, false);
}

static void kmalloc64_variable_size_pair(struct ktest *t)
{
	bench_size = 64;
	kmalloc_pairs(t, "kmalloc64_variable_size_pair", 64, true);
}

static void kmalloc8_pair(struct ktest *t)
{
	kmalloc_pairs(t, "kmalloc8_pair", 8, false);
}

static void kmalloc256_pair(struct ktest *t)
{
	kmalloc_pairs(t, "kmalloc256_pair", 256, false);
}

static void kmalloc4096_pair(struct ktest *t)
{
	kmalloc_pairs(t, "kmalloc4096_pair", 4096, false);
}

/* 1000 x kmalloc(64), then 1000 x kfree; ticks per alloc+free. */
static void kmalloc64_batch1000(struct ktest *t)
{
	unsigned int i, n, round;
	unsigned long flags;
	u64 ticks = 0;

	for (round = 0; round <= BENCH_BATCH_ROUNDS; round++) {
		u64 t0, t1;

		flags = local_irq_save();
		t0 = rdtsc();
		for (n = 0; n < BENCH_BATCH; n++) {
			batch[n] = kmalloc(64, GFP_KERNEL);
			if (unlikely(!batch[n]))
				break;
		}
		for (i = 0; i < n; i++)
			kfree(batch[i]);
		t1 = rdtsc();
		local_irq_restore(flags);
		KTEST_ASSERT_EQ(t, n, BENCH_BATCH);
		if (round) /* round 0 warms up */
			ticks += t1 - t0;
	}
	bench_report("kmalloc64_batch1000", ticks, BENCH_BATCH * BENCH_BATCH_ROUNDS);
}

static void kmem_cache128_pair(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("bench-128", 128, 0, 0, NULL);
	unsigned long flags;
	unsigned int i, round;
	u64 t0 = 0, t1 = 0;

	KTEST_ASSERT_NOT_NULL(t, s);
	for (round = 0; round < 2; round++) {
		flags = local_irq_save();
		t0 = rdtsc();
		for (i = 0; i < BENCH_PAIRS; i++) {
			void *p = kmem_cache_alloc(s, GFP_KERNEL);

			if (unlikely(!p))
				break;
			kmem_cache_free(s, p);
		}
		t1 = rdtsc();
		local_irq_restore(flags);
		if (i != BENCH_PAIRS)
			break;
	}
	kmem_cache_destroy(s);
	KTEST_ASSERT_EQ(t, i, BENCH_PAIRS);
	bench_report("kmem_cache128_pair", t1 - t0, BENCH_PAIRS);
}

static __always_inline void page_pairs(struct ktest *t, const char *name,
				       unsigned int order)
{
	unsigned long flags;
	unsigned int i, round;
	u64 t0 = 0, t1 = 0;

	for (round = 0; round < 2; round++) {
		flags = local_irq_save();
		t0 = rdtsc();
		for (i = 0; i < BENCH_PAIRS; i++) {
			struct page *p = alloc_pages(GFP_KERNEL, order);

			if (unlikely(!p))
				break;
			__free_pages(p, order);
		}
		t1 = rdtsc();
		local_irq_restore(flags);
		KTEST_ASSERT_EQ(t, i, BENCH_PAIRS);
	}
	bench_report(name, t1 - t0, BENCH_PAIRS);
}

static void page_order0_pair(struct ktest *t)
{
	page_pairs(t, "page_order0_pair", 0);
}

static void page_order3_pair(struct ktest *t)
{
	page_pairs(t, "page_order3_pair", 3);
}

static const struct ktest_case bench_cases[] = {
	KTEST_CASE(calibration_2insn_loop),
	KTEST_CASE(kmalloc64_pair),
	KTEST_CASE(kmalloc64_variable_size_pair),
	KTEST_CASE(kmalloc64_batch1000),
	KTEST_CASE(kmem_cache128_pair),
	KTEST_CASE(kmalloc8_pair),
	KTEST_CASE(kmalloc256_pair),
	KTEST_CASE(kmalloc4096_pair),
	KTEST_CASE(page_order0_pair),
	KTEST_CASE(page_order3_pair),
};

KTEST_SUITE(bench, bench_cases, .default_off = true);

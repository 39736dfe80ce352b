// SPDX-License-Identifier: MIT
/*
 * vmalloc on the host's fake machine, beyond the kernel suite (which runs in
 * test_ksuites): failure unwinding, address reuse, mappings released, and a
 * randomized mix checked by vmalloc_check() and the areas' contents.
 */
#include "kernel/ktest.h"
#include "kmm/string.h"
#include "mm/gfp.h"
#include "mm/vmalloc.h"
#include "host_mm.h"
#include "probe.h"

static void failure_unwinds(struct ktest *t)
{
	unsigned long free, mapped, mark;

	host_mm_setup_default();
	vfree(vmalloc(PAGE_SIZE)); /* warm the descriptor pool */
	drain_all_pages();
	free = nr_free_pages();
	mapped = host_mapped_pages();
	mark = ktest_console_mark();
	/* More than the machine has: pages run out half way, all go back. */
	KTEST_EXPECT_TRUE(t, vmalloc(200UL << 20) == NULL);
	KTEST_EXPECT_TRUE(t, vmalloc(HOST_VMALLOC_SIZE + 1) == NULL);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "vmalloc: allocation of"), 2);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "page allocation failure"), 0);
	drain_all_pages();
	KTEST_EXPECT_EQ(t, nr_free_pages(), free);
	KTEST_EXPECT_EQ(t, host_mapped_pages(), mapped);
	KTEST_EXPECT_EQ(t, vmalloc_check(), 0);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

static void first_fit_reuses_holes(struct ktest *t)
{
	void *a, *b, *c, *b2;

	host_mm_setup_default();
	a = vmalloc(3 * PAGE_SIZE);
	b = vmalloc(2 * PAGE_SIZE);
	c = vmalloc(PAGE_SIZE);
	KTEST_ASSERT_TRUE(t, a && b && c);
	/* Each area is followed by one guard page. */
	KTEST_EXPECT_EQ(t, (char *)b - (char *)a, 4 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, (char *)c - (char *)b, 3 * PAGE_SIZE);
	vfree(b);
	b2 = vmalloc(PAGE_SIZE);
	KTEST_EXPECT_TRUE(t, b2 == b);
	KTEST_EXPECT_EQ(t, vmalloc_check(), 0);
	vfree(a);
	vfree(b2);
	vfree(c);
}

static void mappings_released(struct ktest *t)
{
	unsigned long mapped;
	u8 *p;

	host_mm_setup_default();
	mapped = host_mapped_pages();
	p = vzalloc(10 * PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, host_mapped_pages(), mapped + 10);
	vfree(p);
	KTEST_EXPECT_EQ(t, host_mapped_pages(), mapped);
	KTEST_EXPECT_EQ(t, probe_read_u8(p + 5 * PAGE_SIZE, NULL), -EFAULT);
}

static void randomized_areas(struct ktest *t)
{
	enum { SLOTS = 64 };
	u8 *area[SLOTS] = { 0 };
	unsigned long pages[SLOTS] = { 0 }, free, i;
	u64 r = host_seed(0x766d616c6c6f63ULL) | 1;

	host_mm_setup_default();
	/* Warm the descriptor pool for SLOTS areas: its pages are kept. */
	for (i = 0; i < SLOTS; i++)
		area[i] = vmalloc(PAGE_SIZE);
	for (i = 0; i < SLOTS; i++) {
		vfree(area[i]);
		area[i] = NULL;
	}
	drain_all_pages();
	free = nr_free_pages();
	for (i = 0; i < 2000 && !t->failures; i++) {
		unsigned int s;

		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		s = r % SLOTS;
		if (area[s]) {
			unsigned long k;

			for (k = 0; k < pages[s]; k++)
				if (area[s][k * PAGE_SIZE] != (u8)(s + k) ||
				    area[s][k * PAGE_SIZE + PAGE_SIZE - 1] != (u8)~(s + k))
					KTEST_FAIL(t, "area %u page %lu changed", s, k);
			vfree(area[s]);
			area[s] = NULL;
		} else {
			unsigned long k;

			pages[s] = 1 + (r >> 8) % 40;
			area[s] = vmalloc(pages[s] * PAGE_SIZE);
			KTEST_ASSERT_NOT_NULL(t, area[s]);
			for (k = 0; k < pages[s]; k++) {
				area[s][k * PAGE_SIZE] = (u8)(s + k);
				area[s][k * PAGE_SIZE + PAGE_SIZE - 1] = (u8)~(s + k);
			}
		}
		if (i % 500 == 0)
			KTEST_EXPECT_EQ(t, vmalloc_check(), 0);
	}
	for (i = 0; i < SLOTS; i++)
		vfree(area[i]);
	drain_all_pages();
	KTEST_EXPECT_EQ(t, nr_free_pages(), free);
	KTEST_EXPECT_EQ(t, vmalloc_check(), 0);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

static const struct ktest_case vmalloc_host_cases[] = {
	KTEST_CASE(failure_unwinds),
	KTEST_CASE(first_fit_reuses_holes),
	KTEST_CASE(mappings_released),
	KTEST_CASE(randomized_areas),
};
KTEST_SUITE(vmalloc_host, vmalloc_host_cases);

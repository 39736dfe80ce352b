// SPDX-License-Identifier: MIT
/*
 * kmm_setup(): a layout libkmm cannot work with is refused with a message
 * that names the problem, and leaves the running layout alone; one that it
 * can is taken only before mem_init(). The host port's own layout (see
 * host_mm.h) is the valid starting point of every case.
 */
#include "kernel/ktest.h"
#include "mm/port.h"
#include "mm/gfp.h"
#include "host_mm.h"

/* The layout the host port handed over, read back from libkmm. */
static struct kmm_layout current(void)
{
	return (struct kmm_layout){
		.direct_map_base = kmm_page_offset_base,
		.direct_map_size = kmm_max_phys_addr,
		.vmemmap_base = kmm_vmemmap_base,
		.vmalloc_start = kmm_vmalloc_start,
		.vmalloc_end = kmm_vmalloc_end,
		.nr_cpus = kmm_nr_cpus,
	};
}

/* kmm_setup(@l) must fail with a message containing @why, changing nothing. */
static void expect_refused(struct ktest *t, const struct kmm_layout *l, const char *why)
{
	unsigned long direct = kmm_page_offset_base, structs = kmm_vmemmap_base;
	unsigned long mark = ktest_console_mark();

	KTEST_EXPECT_EQ(t, kmm_setup(l), -EINVAL);
	KTEST_EXPECT_EQ(t, host_console_count(mark, why), 1);
	KTEST_EXPECT_EQ(t, kmm_page_offset_base, direct);
	KTEST_EXPECT_EQ(t, kmm_vmemmap_base, structs);
}

static void bad_layouts_refused(struct ktest *t)
{
	struct kmm_layout l;

	host_memblock_reset();
	l = current();
	l.vmalloc_end = 0;
	expect_refused(t, &l, "a required field is 0");
	l = current();
	l.vmemmap_base += 8;
	expect_refused(t, &l, "multiples of 4 KiB");
	l = current();
	l.vmalloc_end = l.vmalloc_start;
	expect_refused(t, &l, "vmalloc_end is not above vmalloc_start");
	l = current();
	l.vmalloc_start = l.direct_map_base + PAGE_SIZE;
	l.vmalloc_end = l.vmalloc_start + HOST_VMALLOC_SIZE;
	expect_refused(t, &l, "overlap");
	l = current();
	l.vmemmap_base = l.direct_map_base + l.direct_map_size - PAGE_SIZE;
	expect_refused(t, &l, "overlap");
	l = current();
	l.direct_map_base = -PAGE_SIZE;
	expect_refused(t, &l, "the direct map wraps past 2^64");
	l = current();
	l.zone_dma_end = 8ULL << 30;
	l.zone_dma32_end = 4ULL << 30;
	expect_refused(t, &l, "zone limits");
	l = current();
	l.nr_cpus = MM_NR_CPUS + 1;
	expect_refused(t, &l, "KMM_MAX_CPUS");
	KTEST_EXPECT_EQ(t, kmm_max_cpus(), MM_NR_CPUS);
}

static void good_layout_taken_before_mem_init(struct ktest *t)
{
	struct kmm_layout l;

	host_memblock_reset();
	l = current();
	KTEST_EXPECT_EQ(t, kmm_setup(&l), 0);
	KTEST_EXPECT_EQ(t, kmm_zone_dma_end, 16ULL << 20);
	KTEST_EXPECT_EQ(t, kmm_zone_dma32_end, 4ULL << 30);
	KTEST_EXPECT_FALSE(t, memblock_is_retired());
	host_mm_setup_default();
	KTEST_EXPECT_TRUE(t, memblock_is_retired());
	expect_refused(t, &l, "called after mem_init()");
}

/* The zone limits are the port's: a 64 MiB "DMA" zone holds GFP_DMA pages up to it. */
static void zone_limits_from_the_layout(struct ktest *t)
{
	struct kmm_layout l;
	unsigned long a;

	host_memblock_reset();
	l = current();
	l.zone_dma_end = 64ULL << 20;
	KTEST_ASSERT_EQ(t, kmm_setup(&l), 0);
	host_mm_setup_default();
	a = __get_free_pages(GFP_DMA, 0);
	KTEST_EXPECT_TRUE(t, a != 0);
	KTEST_EXPECT_LT(t, __pa((void *)a), 64ULL << 20);
	KTEST_EXPECT_GE(t, __pa((void *)a), 16ULL << 20);
	free_pages(a, 0);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
	host_memblock_reset();
	l.zone_dma_end = 0;
	KTEST_EXPECT_EQ(t, kmm_setup(&l), 0);
}

static const struct ktest_case setup_cases[] = {
	KTEST_CASE(bad_layouts_refused),
	KTEST_CASE(good_layout_taken_before_mem_init),
	KTEST_CASE(zone_limits_from_the_layout),
};
KTEST_SUITE(setup, setup_cases);

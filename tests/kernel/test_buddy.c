// SPDX-License-Identifier: MIT
/*
 * Self-tests of the page allocator on the machine it runs on, through the
 * public API only. The host build runs this same file on its fake machine
 * (tests/host/test_ksuites.c).
 *
 *   alloc_every_order     orders 0..10 allocate, are aligned, hold data, free
 *   exhaustion            NULL (one warning) when memory is gone, no panic;
 *                         freeing everything restores buddyinfo exactly
 *   atomic_below_min      GFP_ATOMIC gets pages GFP_KERNEL may not
 *   dma_zones             GFP_DMA below 16 MiB, GFP_DMA32 below 4 GiB
 *   zero_flag             __GFP_ZERO zeroes what was dirty
 *   misuse_*              each misuse is reported and refused, and the
 *                         allocator stays consistent; pages vmalloc or the
 *                         slab allocator hold are not the caller's to free
 *   page_poison           a write to a free page is caught on reuse
 */
#include "kernel/ktest.h"
#include "kmm/string.h"
#include "mm/gfp.h"
#include "mm/kasan.h"
#include "mm/memblock.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"
#include "tests/kernel/ktest_pages.h"

typedef unsigned long snapshot_t[MAX_NR_ZONES][NR_PAGE_ORDERS];

/* Each test must leave the allocator healthy and as it found it. */
static void expect_healthy(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

static void alloc_every_order(struct ktest *t)
{
	unsigned int o;

	for (o = 0; o <= MAX_PAGE_ORDER; o++) {
		struct page *p = alloc_pages(GFP_KERNEL, o);
		u8 *mem;

		KTEST_ASSERT_NOT_NULL(t, p);
		KTEST_EXPECT_EQ(t, page_to_pfn(p) & ((1UL << o) - 1), 0);
		mem = page_address(p);
		mem[0] = 0x11;
		mem[(PAGE_SIZE << o) - 1] = 0x22;
		KTEST_EXPECT_EQ(t, mem[0] + mem[(PAGE_SIZE << o) - 1], 0x33);
		__free_pages(p, o);
	}
	expect_healthy(t);
}

static void exhaustion(struct ktest *t)
{
	static snapshot_t before, after;
	struct page *list = NULL;
	unsigned long free_before, taken, mark;

	/* Running out reclaims slab memory (mm/slab_depot.c): reclaim it first. */
	slab_reclaim();
	drain_all_pages();
	buddy_snapshot(before);
	free_before = nr_free_pages();
	taken = grab_all(&list, GFP_ATOMIC);
	KTEST_EXPECT_GT(t, taken, free_before / 2);

	mark = ktest_console_mark();
	ktest_expect_report(t, "page allocation failure: order:0");
	KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL, 0) == NULL);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "page allocation failure: order:0"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "Node 0, zone"));
	mark = ktest_console_mark();
	KTEST_EXPECT_TRUE(t, alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 2) == NULL);
	KTEST_EXPECT_FALSE(t, ktest_console_contains(mark, "page allocation failure"));
	expect_healthy(t);

	free_all(list);
	drain_all_pages();
	buddy_snapshot(after);
	KTEST_EXPECT_EQ(t, memcmp(before, after, sizeof(before)), 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
	expect_healthy(t);
}

static void atomic_below_min(struct ktest *t)
{
	struct page *list = NULL;
	unsigned long kernel_pages, atomic_pages;

	kernel_pages = grab_all(&list, GFP_KERNEL);
	atomic_pages = grab_all(&list, GFP_ATOMIC);
	KTEST_EXPECT_GT(t, kernel_pages, 0);
	KTEST_EXPECT_GT(t, atomic_pages, 0);
	free_all(list);
	drain_all_pages();
	expect_healthy(t);
}

static void check_zone_limit(struct ktest *t, gfp_t gfp, phys_addr_t limit)
{
	struct page *list = NULL, *p;
	unsigned int i, o;

	for (i = 0; i < 64; i++) {
		o = i % 4;
		p = alloc_pages(gfp, o);
		KTEST_ASSERT_NOT_NULL(t, p);
		KTEST_EXPECT_LE(t, page_to_phys(p) + (PAGE_SIZE << o), limit);
		((struct page **)page_address(p))[0] = list;
		((struct page **)page_address(p))[1] = (struct page *)(unsigned long)o;
		list = p;
	}
	free_all(list);
}

static void dma_zones(struct ktest *t)
{
	check_zone_limit(t, GFP_DMA, ZONE_DMA_END);
	if (memblock_end_of_DRAM() <= ZONE_DMA32_END) {
		ktest_skip(t, "no RAM above 4 GiB: GFP_DMA32 cannot be told apart");
		expect_healthy(t);
		return;
	}
	check_zone_limit(t, GFP_DMA32, ZONE_DMA32_END);
	expect_healthy(t);
}

static void zero_flag(struct ktest *t)
{
	unsigned int o;

	for (o = 0; o <= 3; o++) {
		struct page *p = alloc_pages(GFP_KERNEL, o);
		const u8 *mem;
		unsigned long i;

		KTEST_ASSERT_NOT_NULL(t, p);
		memset(page_address(p), 0x5c, PAGE_SIZE << o);
		__free_pages(p, o);
		p = alloc_pages(GFP_KERNEL | __GFP_ZERO, o);
		KTEST_ASSERT_NOT_NULL(t, p);
		mem = page_address(p);
		for (i = 0; i < (PAGE_SIZE << o) && !mem[i]; i++)
			;
		KTEST_EXPECT_EQ(t, i, PAGE_SIZE << o);
		__free_pages(p, o);
	}
	{
		unsigned long va = get_zeroed_page(GFP_KERNEL);

		KTEST_ASSERT_NE(t, va, 0);
		KTEST_EXPECT_EQ(t, ((const u8 *)va)[PAGE_SIZE - 1], 0);
		free_page(va);
	}
	expect_healthy(t);
}

/* Free @p at @order expecting it refused with a report containing @text. */
static void expect_refused(struct ktest *t, struct page *p, unsigned int order,
			   const char *text)
{
	unsigned long free = nr_free_pages(), mark = ktest_console_mark();

	ktest_expect_report(t, "BUG: bad free refused");
	__free_pages(p, order);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "BUG: bad free refused"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, text));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "caller "));
	KTEST_EXPECT_EQ(t, nr_free_pages(), free);
	expect_healthy(t);
}

static void misuse_double_free(struct ktest *t)
{
	struct page *p = alloc_page(GFP_KERNEL);

	KTEST_ASSERT_NOT_NULL(t, p);
	__free_page(p);
	expect_refused(t, p, 0, "double free");
	drain_all_pages();
	expect_refused(t, p, 0, "double free");
	p = alloc_pages(GFP_KERNEL, 3);
	KTEST_ASSERT_NOT_NULL(t, p);
	__free_pages(p, 3);
	expect_refused(t, p, 3, "double free");
}

static void misuse_wrong_order(struct ktest *t)
{
	struct page *p = alloc_pages(GFP_KERNEL, 2);

	KTEST_ASSERT_NOT_NULL(t, p);
	expect_refused(t, p, 1, "wrong order (allocated with order 2)");
	expect_refused(t, p, 4, "wrong order (allocated with order 2)");
	__free_pages(p, 2);
	expect_healthy(t);
}

static void misuse_tail_page(struct ktest *t)
{
	struct page *p = alloc_pages(GFP_KERNEL, 2);

	KTEST_ASSERT_NOT_NULL(t, p);
	expect_refused(t, p + 1, 0, "tail page of the order-2 block");
	expect_refused(t, p + 2, 1, "tail page of the order-2 block");
	__free_pages(p, 2);
	expect_healthy(t);
}

static void misuse_outside_memory(struct ktest *t)
{
	unsigned long end_pfn = PFN_UP(memblock_end_of_DRAM());

	expect_refused(t, pfn_to_page(end_pfn + (1UL << 20)), 0,
		       "pfn outside managed memory");
	expect_refused(t, (struct page *)((char *)pfn_to_page(end_pfn / 2) + 8), 0,
		       "pfn outside managed memory");
	/* The first MiB is reserved for firmware: it has struct pages, not ours. */
	expect_refused(t, pfn_to_page(1), 0, "reserved page");
}

static void misuse_owned_pages(struct ktest *t)
{
	void *v = vmalloc(2 * PAGE_SIZE), *obj, *large;

	KTEST_ASSERT_NOT_NULL(t, v);
	expect_refused(t, vmalloc_to_page(v), 0, "page still owned by vmalloc");
	vfree(v);
	expect_healthy(t);
	/* The host runs this suite before kmem_cache_init(): no kmalloc there. */
	if (!slab_is_available()) {
		ktest_skip(t, "slab allocator not set up");
		return;
	}
	obj = kmalloc(64, GFP_KERNEL);       /* in an order-0 slab */
	large = kmalloc(64 * 1024, GFP_KERNEL); /* order 4, PG_large_kmalloc */
	KTEST_ASSERT_TRUE(t, obj && large);
	expect_refused(t, virt_to_page(obj), 0, "page still owned by slab");
	expect_refused(t, virt_to_page(large), 4, "page still owned by kmalloc");
	kfree(obj);
	kfree(large);
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
	expect_healthy(t);
}

static void page_poison(struct ktest *t)
{
	bool saved = page_poisoning_enabled;
	struct page *p, *q;
	unsigned long mark;

	page_poisoning_enabled = true;
	p = alloc_page(GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	__free_page(p);
	kasan_disable_current(); /* reads and writes a free page on purpose */
	KTEST_EXPECT_EQ(t, ((u8 *)page_address(p))[2048], PAGE_POISON);
	/* Nothing written: nothing reported. */
	mark = ktest_console_mark();
	q = alloc_page(GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, p == q);
	KTEST_EXPECT_FALSE(t, ktest_console_contains(mark, "free page written"));
	__free_page(q);
	/* A planted write while free is reported when the page is reused. */
	((u8 *)page_address(p))[2048] = 0x42;
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG: free page written");
	q = alloc_page(GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, p == q);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "free page written"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "first at offset 0x800 (0x42"));
	__free_page(q);
	page_poisoning_enabled = saved;
	kasan_enable_current();
	expect_healthy(t);
}

static const struct ktest_case buddy_cases[] = {
	KTEST_CASE(alloc_every_order),
	KTEST_CASE(exhaustion),
	KTEST_CASE(atomic_below_min),
	KTEST_CASE(dma_zones),
	KTEST_CASE(zero_flag),
	KTEST_CASE(misuse_double_free),
	KTEST_CASE(misuse_wrong_order),
	KTEST_CASE(misuse_tail_page),
	KTEST_CASE(misuse_outside_memory),
	KTEST_CASE(misuse_owned_pages),
	KTEST_CASE(page_poison),
};
KTEST_SUITE(buddy, buddy_cases);

// SPDX-License-Identifier: MIT
/*
 * The page allocator on the host's fake machine (host_default_map: DMA,
 * DMA32 with a hole, Normal above 4 GiB).
 *
 * The centre is a randomized model-based test: a shadow model of every live
 * block checks that blocks never overlap, are aligned to their order, obey
 * their zone limit, and keep the pattern written into them until they are
 * freed. The seed is printed; KMM_SEED=<n> repeats a run.
 */
#include <pthread.h>
#include <stdlib.h>
#include "kernel/ktest.h"
#include "kmm/string.h"
#include "mm/gfp.h"
#include "mm/internal.h"
#include "mm/memblock.h"
#include "mm/slab.h"
#include "mm/slab_internal.h"
#include "mm/vmalloc.h"
#include "host_mm.h"
#include "probe.h"
#include "tests/kernel/ktest_pages.h"

typedef unsigned long snapshot_t[MAX_NR_ZONES][NR_PAGE_ORDERS];

static bool snapshots_equal(snapshot_t a, snapshot_t b)
{
	return !memcmp(a, b, sizeof(snapshot_t));
}

static u64 rng_state;
static u64 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static u64 pattern(unsigned long pfn, u32 tag)
{
	return ((u64)tag << 32) ^ (pfn * 0x9e3779b97f4a7c15ULL);
}

/* Write the first and last word of every page of the block. */
static void fill_block(struct page *page, unsigned int order, u32 tag)
{
	unsigned long i, pfn = page_to_pfn(page);

	for (i = 0; i < (1UL << order); i++) {
		u64 *w = page_address(page + i);

		w[0] = pattern(pfn + i, tag);
		w[PAGE_SIZE / 8 - 1] = ~pattern(pfn + i, tag);
	}
}

static bool block_intact(struct page *page, unsigned int order, u32 tag)
{
	unsigned long i, pfn = page_to_pfn(page);

	for (i = 0; i < (1UL << order); i++) {
		const u64 *w = page_address(page + i);

		if (w[0] != pattern(pfn + i, tag) ||
		    w[PAGE_SIZE / 8 - 1] != ~pattern(pfn + i, tag))
			return false;
	}
	return true;
}

/* ---- boot -------------------------------------------------------------- */

/* Free memory enters the buddy whole, as maximal aligned blocks. */
static void boot_hands_over_free_memory(struct ktest *t)
{
	snapshot_t want = { { 0 } }, got;
	unsigned long free = 0;
	phys_addr_t s, e;
	unsigned int idx = 0;

	host_mm_setup_default();
	while (memblock_next_free_range(&idx, &s, &e)) {
		unsigned long pfn = PHYS_PFN(s), end = PHYS_PFN(e);

		free += end - pfn;
		while (pfn < end) {
			unsigned int o = MAX_PAGE_ORDER, zi = pfn_zone_idx(pfn);

			while (!IS_ALIGNED(pfn, 1UL << o) || pfn + (1UL << o) > end)
				o--;
			want[zi][o]++;
			pfn += 1UL << o;
		}
	}
	buddy_snapshot(got);
	KTEST_EXPECT_TRUE(t, snapshots_equal(want, got));
	KTEST_EXPECT_EQ(t, nr_free_pages(), free);
	KTEST_EXPECT_EQ(t, totalram_pages, free);
	/* The default map has RAM in all three zones. */
	KTEST_EXPECT_GT(t, zones[ZONE_DMA].managed_pages, 3000);
	KTEST_EXPECT_GT(t, zones[ZONE_DMA32].managed_pages, 15000);
	KTEST_EXPECT_EQ(t, zones[ZONE_NORMAL].present_pages, 8192);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

static void memmap_only_where_ram(struct ktest *t)
{
	u8 byte;

	host_mm_setup_default();
	KTEST_EXPECT_TRUE(t, pfn_valid(0));
	KTEST_EXPECT_TRUE(t, PageReserved(pfn_to_page(0)));
	KTEST_EXPECT_TRUE(t, pfn_valid(PHYS_PFN(0x4fff000)));
	KTEST_EXPECT_FALSE(t, pfn_valid(PHYS_PFN(0x80000000)));
	KTEST_EXPECT_TRUE(t, pfn_valid(PHYS_PFN(0x100000000ULL)));
	KTEST_EXPECT_FALSE(t, pfn_valid(PHYS_PFN(0x102000000ULL)));
	/* The struct pages of the hole are not even mapped. */
	KTEST_EXPECT_EQ(t, probe_read_u8(pfn_to_page(PHYS_PFN(0x80000000)), &byte),
			-EFAULT);
	KTEST_EXPECT_EQ(t, probe_read_u8(pfn_to_page(PHYS_PFN(0x100000000ULL)), &byte), 0);
	/* Backing for 3 present runs of struct pages, about 1/64 of RAM. */
	KTEST_EXPECT_LE(t, memmap_pages, (128 + 64) * 1024 / 64 / 4);
	KTEST_EXPECT_EQ(t, (unsigned long)virt_to_page(page_address(pfn_to_page(1234))),
			(unsigned long)pfn_to_page(1234));
}

static void buddyinfo_format(struct ktest *t)
{
	static const char *const names[] = { "     DMA", "   DMA32", "  Normal" };
	snapshot_t snap;
	unsigned long mark;
	unsigned int zi, o;

	host_mm_setup_default();
	mark = ktest_console_mark();
	show_buddyinfo();
	show_meminfo();
	buddy_snapshot(snap);
	for (zi = 0; zi < MAX_NR_ZONES; zi++) {
		char line[160];
		int n = snprintf(line, sizeof(line), "Node 0, zone %s ", names[zi]);

		for (o = 0; o < NR_PAGE_ORDERS; o++)
			n += snprintf(line + n, sizeof(line) - n, "%6lu ", snap[zi][o]);
		snprintf(line + n, sizeof(line) - n, "\n");
		KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, line));
	}
	/* The memmap went to the top of RAM: Normal lost 1792 KiB of 32 MiB. */
	KTEST_EXPECT_EQ(t, snap[ZONE_NORMAL][MAX_PAGE_ORDER], 7);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "MemTotal:"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "DirectMap2M:"));
}

/* Counts of 20 digits fit the line (the buffer never overflows). */
static void buddyinfo_huge_counts(struct ktest *t)
{
	unsigned long saved[NR_PAGE_ORDERS], mark;
	struct zone *z = &zones[ZONE_NORMAL];
	char line[300];
	unsigned int o;
	int n;

	host_mm_setup_default();
	for (o = 0; o < NR_PAGE_ORDERS; o++) {
		saved[o] = z->free_area[o].nr_free;
		z->free_area[o].nr_free = ~0UL;
	}
	mark = ktest_console_mark();
	show_buddyinfo();
	for (o = 0; o < NR_PAGE_ORDERS; o++)
		z->free_area[o].nr_free = saved[o];
	n = snprintf(line, sizeof(line), "Node 0, zone   Normal ");
	for (o = 0; o < NR_PAGE_ORDERS; o++)
		n += snprintf(line + n, sizeof(line) - n, "%lu ", ~0UL);
	snprintf(line + n, sizeof(line) - n, "\n");
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, line));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "Node 0, zone    DMA32"));
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

/*
 * A new machine forgets the old one however little the reset undoes: its
 * memory reads as zero (RAM and elsewhere), its vmalloc mappings and the
 * struct pages of RAM it no longer has are gone.
 */
static void fresh_machine_forgets(struct ktest *t)
{
	static const struct boot_mem_range small[] = {
		{ 0x0, 0x9f000, BOOT_MEM_USABLE, 0 },
		{ 0x100000, 0x3f00000, BOOT_MEM_USABLE, 0 },
	};
	const phys_addr_t hole = 0x10000000;
	struct page *p;
	u64 *w;
	void *v;
	u8 byte;

	host_mm_setup_default();
	p = alloc_pages(GFP_KERNEL, 2);
	KTEST_ASSERT_NOT_NULL(t, p);
	w = page_address(p);
	memset(w, 0x5c, 4 * PAGE_SIZE);
	*(u64 *)__va(hole) = 0x1234;
	v = vmalloc(2 * PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, v);
	memset(v, 0x77, 2 * PAGE_SIZE);

	host_mm_setup(small, ARRAY_SIZE(small));
	KTEST_EXPECT_EQ(t, w[0], 0);
	KTEST_EXPECT_EQ(t, w[4 * PAGE_SIZE / 8 - 1], 0);
	KTEST_EXPECT_EQ(t, *(u64 *)__va(hole), 0);
	KTEST_EXPECT_EQ(t, probe_read_u8(v, &byte), -EFAULT);
	KTEST_EXPECT_EQ(t, probe_read_u8(pfn_to_page(PHYS_PFN(0x100000000ULL)), &byte),
			-EFAULT);
	KTEST_EXPECT_EQ(t, probe_read_u8(pfn_to_page(PHYS_PFN(0x3000000)), &byte), 0);
	KTEST_EXPECT_EQ(t, host_mapped_pages(), memmap_pages);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

/* ---- zones ------------------------------------------------------------- */

static void zone_limits(struct ktest *t)
{
	unsigned int o;

	host_mm_setup_default();
	for (o = 0; o <= 4; o++) {
		struct page *n = alloc_pages(GFP_KERNEL, o);
		struct page *d32 = alloc_pages(GFP_DMA32, o);
		struct page *d = alloc_pages(GFP_DMA, o);

		KTEST_ASSERT_TRUE(t, n && d32 && d);
		KTEST_EXPECT_GE(t, page_to_phys(n), 1ULL << 32);
		KTEST_EXPECT_LE(t, page_to_phys(d32) + (PAGE_SIZE << o), 1ULL << 32);
		KTEST_EXPECT_GE(t, page_to_phys(d32), 16ULL << 20);
		KTEST_EXPECT_LE(t, page_to_phys(d) + (PAGE_SIZE << o), 16ULL << 20);
		__free_pages(n, o);
		__free_pages(d32, o);
		__free_pages(d, o);
	}
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

/* Normal runs out first, then DMA32, then DMA: never back up. */
static void fallback_order(struct ktest *t)
{
	struct page *head = NULL, *p;
	unsigned int last_zone = ZONE_NORMAL, seen[MAX_NR_ZONES] = { 0 };
	unsigned long before;

	host_mm_setup_default();
	drain_all_pages();
	before = nr_free_pages();
	while ((p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0))) {
		unsigned int zi = page_zonenum(p);

		KTEST_EXPECT_LE(t, zi, last_zone);
		last_zone = zi;
		seen[zi]++;
		*(struct page **)page_address(p) = head;
		head = p;
	}
	KTEST_EXPECT_GT(t, seen[ZONE_NORMAL], 7000);
	KTEST_EXPECT_GT(t, seen[ZONE_DMA32], 10000);
	KTEST_EXPECT_GT(t, seen[ZONE_DMA], 3000);
	while (head) {
		p = *(struct page **)page_address(head);
		__free_page(head);
		head = p;
	}
	drain_all_pages();
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

/* ---- exhaustion ------------------------------------------------------------ */

static void exhaustion_restores_buddyinfo(struct ktest *t)
{
	snapshot_t before, after;
	struct page *list = NULL;
	unsigned long free_before, kernel_pages, atomic_pages, mark, min = 0;
	unsigned int zi;

	host_mm_setup_default();
	drain_all_pages();
	buddy_snapshot(before);
	free_before = nr_free_pages();
	for (zi = 0; zi < MAX_NR_ZONES; zi++)
		min += zones[zi].watermark_min;

	kernel_pages = grab_all(&list, GFP_KERNEL);
	/* GFP_KERNEL stops at the min watermark; GFP_ATOMIC may go below it. */
	KTEST_EXPECT_GE(t, nr_free_pages(), min - MAX_NR_ZONES);
	atomic_pages = grab_all(&list, GFP_ATOMIC);
	KTEST_EXPECT_GT(t, atomic_pages, 0);
	KTEST_EXPECT_LE(t, atomic_pages, min / 2 + MAX_NR_ZONES);
	KTEST_EXPECT_GT(t, kernel_pages, free_before - min - 64);

	mark = ktest_console_mark();
	ktest_expect_report(t, "page allocation failure: order:0");
	KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL, 0) == NULL);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "page allocation failure"), 1);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "order:0, gfp:0, caller"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "Node 0, zone    DMA32"));
	mark = ktest_console_mark();
	KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL | __GFP_NOWARN, 3) == NULL);
	KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER + 1) == NULL);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "page allocation failure"), 0);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);

	free_all(list);
	drain_all_pages();
	buddy_snapshot(after);
	KTEST_EXPECT_TRUE(t, snapshots_equal(before, after));
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

/*
 * Below the min watermark only __GFP_HIGH may allocate, one page at a time:
 * a GFP_ATOMIC refill must not park reserve pages on the per-CPU list,
 * where the next GFP_KERNEL fast path would find them.
 */
static void atomic_refill_keeps_reserve(struct ktest *t)
{
	struct page *list = NULL, *p;
	unsigned long free_before;
	unsigned int i;

	host_mm_setup_default();
	drain_all_pages();
	free_before = nr_free_pages();
	KTEST_ASSERT_GE(t, pcp_lists[0][ZONE_NORMAL].batch, 2);
	grab_all(&list, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, alloc_page(GFP_KERNEL | __GFP_NOWARN) == NULL);
	for (i = 0; i < 4; i++) {
		p = alloc_page(GFP_ATOMIC | __GFP_NOWARN);
		KTEST_ASSERT_NOT_NULL(t, p);
		((struct page **)page_address(p))[0] = list;
		((struct page **)page_address(p))[1] = NULL;
		list = p;
		KTEST_EXPECT_TRUE(t, alloc_page(GFP_KERNEL | __GFP_NOWARN) == NULL);
	}
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
	free_all(list);
	drain_all_pages();
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

/* ---- misuse -------------------------------------------------------------- */

/* Free @page at @order expecting a refusal that prints @text. */
static void expect_refused(struct ktest *t, struct page *page, unsigned int order,
			   const char *text)
{
	unsigned long free = nr_free_pages(), mark = ktest_console_mark();

	ktest_expect_report(t, "BUG: bad free refused");
	__free_pages(page, order);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, text));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "BUG: bad free refused"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "caller "));
	KTEST_EXPECT_EQ(t, host_console_count(mark, "BUG:"), 1);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

static void misuse_double_free(struct ktest *t)
{
	struct page *p;
	char pfn_text[32];

	host_mm_setup_default();
	p = alloc_page(GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	__free_page(p);
	snprintf(pfn_text, sizeof(pfn_text), "pfn %#lx order 0", page_to_pfn(p));
	expect_refused(t, p, 0, "double free (page is free)");
	expect_refused(t, p, 0, pfn_text);
	/* Once merged into a larger free block, still caught. */
	drain_all_pages();
	expect_refused(t, p, 0, "double free");
	p = alloc_pages(GFP_KERNEL, 4);
	KTEST_ASSERT_NOT_NULL(t, p);
	__free_pages(p, 4);
	expect_refused(t, p, 4, "double free");
}

static void misuse_wrong_order(struct ktest *t)
{
	struct page *p;
	unsigned long free;

	host_mm_setup_default();
	free = nr_free_pages();
	p = alloc_pages(GFP_KERNEL, 2);
	KTEST_ASSERT_NOT_NULL(t, p);
	expect_refused(t, p, 1, "wrong order (allocated with order 2)");
	expect_refused(t, p, 0, "wrong order (allocated with order 2)");
	expect_refused(t, p, 3, "wrong order");
	__free_pages(p, 2);
	drain_all_pages();
	KTEST_EXPECT_EQ(t, nr_free_pages(), free);
}

static void misuse_tail_page(struct ktest *t)
{
	struct page *p;
	char text[64];

	host_mm_setup_default();
	p = alloc_pages(GFP_KERNEL, 3);
	KTEST_ASSERT_NOT_NULL(t, p);
	snprintf(text, sizeof(text), "tail page of the order-3 block at pfn %#lx",
		 page_to_pfn(p));
	expect_refused(t, p + 1, 0, text);
	expect_refused(t, p + 5, 0, text);
	expect_refused(t, p + 4, 2, text);
	__free_pages(p, 3);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

static void misuse_outside_memory(struct ktest *t)
{
	host_mm_setup_default();
	expect_refused(t, pfn_to_page(max_pfn_mapped + 5), 0, "pfn outside managed memory");
	/* A hole with no struct pages at all: refused, not dereferenced. */
	expect_refused(t, pfn_to_page(PHYS_PFN(0x80000000)), 0, "pfn outside managed memory");
	expect_refused(t, pfn_to_page(PHYS_PFN(0x80000000)), 5, "pfn outside managed memory");
	/* Not a struct page boundary. */
	expect_refused(t, (struct page *)((char *)pfn_to_page(300) + 8), 0,
		       "pfn outside managed memory");
	/* Firmware's first MiB has struct pages, but the buddy never had it. */
	expect_refused(t, pfn_to_page(16), 0, "reserved page");
	expect_refused(t, pfn_to_page(16), 11, "order too large");
}

/*
 * A page the slab allocator, vmalloc or a large kmalloc still owns is not
 * the caller's to free: refused on the fast path (order 0 in the fast
 * window) and on the slow one, and the owner goes on working.
 */
static void misuse_owned_pages(struct ktest *t)
{
	struct page *head, *big_head;
	void *small, *big, *large, *dma, *v;

	host_mm_setup_default();
	kmem_cache_init();
	small = kmalloc(64, GFP_KERNEL);      /* an order-0 slab */
	big = kmalloc(4096, GFP_KERNEL);      /* an order-3 slab */
	large = kmalloc(100000, GFP_KERNEL);  /* order 5, PG_large_kmalloc */
	dma = kmalloc(100, GFP_DMA);          /* order 0, outside the fast window */
	v = vmalloc(3 * PAGE_SIZE);
	KTEST_ASSERT_TRUE(t, small && big && large && dma && v);
	head = slab_lookup(small);
	big_head = slab_lookup(big);
	KTEST_ASSERT_TRUE(t, head && big_head);
	KTEST_ASSERT_EQ(t, head->slab_order, 0);
	KTEST_ASSERT_NE(t, big_head->slab_order, 0);

	expect_refused(t, head, 0, "page still owned by slab");
	expect_refused(t, big_head, big_head->slab_order, "page still owned by slab");
	expect_refused(t, vmalloc_to_page((char *)v + PAGE_SIZE), 0,
		       "page still owned by vmalloc");
	expect_refused(t, virt_to_page(large), 5, "page still owned by kmalloc");
	expect_refused(t, virt_to_page(dma), 0, "page still owned by kmalloc");
	KTEST_EXPECT_TRUE(t, PageSlab(head) && PageSlab(big_head));
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
	KTEST_EXPECT_EQ(t, vmalloc_check(), 0);

	/* The owners free them as usual. */
	kfree(small);
	kfree(big);
	kfree(large);
	kfree(dma);
	vfree(v);
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
	KTEST_EXPECT_EQ(t, vmalloc_check(), 0);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

/* ---- per-CPU lists ------------------------------------------------------- */

/*
 * Before an allocation fails, other CPUs' per-CPU lists are drained, as
 * Linux does: no page stays stranded on CPU 1 while CPU 0 runs dry
 * (issue 12, finding 8).
 */
static void alloc_drains_other_cpus_before_failing(struct ktest *t)
{
	struct page *list = NULL, *p;
	unsigned long before, got;

	host_mm_setup_default();
	drain_all_pages();
	before = nr_free_pages();
	host_set_cpu(1);
	p = alloc_page(GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	__free_page(p);
	KTEST_ASSERT_TRUE(t, pcp_count(&pcp_lists[1][ZONE_NORMAL]) > 0);
	host_set_cpu(0);
	got = grab_all(&list, GFP_ATOMIC);
	KTEST_EXPECT_EQ(t, pcp_count(&pcp_lists[1][ZONE_NORMAL]), 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before - got);
	free_all(list);
	drain_all_pages();
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

static void pcp_remote_free(struct ktest *t)
{
	struct page *pages[200];
	unsigned long before;
	unsigned int i;

	host_mm_setup_default();
	drain_all_pages();
	before = nr_free_pages();
	host_set_cpu(0);
	for (i = 0; i < ARRAY_SIZE(pages); i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, pages[i]);
	}
	/* CPU 1 frees what CPU 0 allocated: the pages join CPU 1's list. */
	host_set_cpu(1);
	for (i = 0; i < ARRAY_SIZE(pages); i++)
		__free_page(pages[i]);
	KTEST_EXPECT_GT(t, pcp_count(&pcp_lists[1][ZONE_NORMAL]), 0);
	KTEST_EXPECT_LE(t, pcp_count(&pcp_lists[1][ZONE_NORMAL]),
			pcp_lists[1][ZONE_NORMAL].high);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
	/* CPU 1 allocates them again from its own list. */
	pages[0] = alloc_page(GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, pages[0] == pages[ARRAY_SIZE(pages) - 1]);
	__free_page(pages[0]);
	host_set_cpu(0);
	drain_all_pages();
	for (i = 0; i < MM_NR_CPUS; i++)
		KTEST_EXPECT_EQ(t, pcp_count(&pcp_lists[i][ZONE_NORMAL]), 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

/* ---- page poisoning ------------------------------------------------------ */

static void poison_catches_write(struct ktest *t)
{
	struct page *p, *q;
	unsigned long mark;
	char text[48];

	host_mm_setup_default();
	page_poisoning_enabled = true;
	p = alloc_page(GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	__free_page(p);
	KTEST_EXPECT_EQ(t, *(u8 *)page_address(p), PAGE_POISON);
	((u8 *)page_address(p))[100] = 0x42; /* a write after free */
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG: free page written");
	q = alloc_page(GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, p == q);
	snprintf(text, sizeof(text), "free page written: pfn %#lx", page_to_pfn(p));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, text));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "1 bytes changed, first at offset 0x64 (0x42"));
	/* An untouched poisoned block passes, through splits and merges. */
	__free_page(q);
	p = alloc_pages(GFP_KERNEL, 5);
	KTEST_ASSERT_NOT_NULL(t, p);
	__free_pages(p, 5);
	mark = ktest_console_mark();
	q = alloc_pages(GFP_KERNEL, 3);
	KTEST_ASSERT_NOT_NULL(t, q);
	KTEST_EXPECT_EQ(t, host_console_count(mark, "free page written"), 0);
	/* A write into the middle of a free block is found when it is split. */
	__free_pages(q, 3);
	((u8 *)page_address(q + 6))[4095] = 0;
	mark = ktest_console_mark();
	ktest_expect_report(t, "BUG: free page written");
	p = alloc_pages(GFP_KERNEL, 3);
	KTEST_EXPECT_TRUE(t, p == q);
	snprintf(text, sizeof(text), "pfn %#lx, 1 bytes changed", page_to_pfn(q + 6));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, text));
	__free_pages(p, 3);
	page_poisoning_enabled = false;
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

/* ---- the randomized model -------------------------------------------------- */

struct live_block {
	struct page *page;
	u32 tag;
	u8 order;
	u8 zone_limit; /* highest zone the request allowed */
	bool zeroed;
};

struct model {
	struct live_block *live;
	unsigned long nr_live, cap;
	u8 *owned; /* per pfn: part of a live block */
	unsigned long ops, fails;
	u32 next_tag;
};

static unsigned int pick_order(void)
{
	unsigned int r = rnd() % 100;

	if (r < 60)
		return 0;
	if (r < 80)
		return 1 + rnd() % 2;
	if (r < 95)
		return 3 + rnd() % 3;
	return 6 + rnd() % 5;
}

static void model_alloc(struct ktest *t, struct model *m)
{
	static const struct { gfp_t gfp; u8 zone; } kinds[] = {
		{ GFP_KERNEL, ZONE_NORMAL }, { GFP_KERNEL, ZONE_NORMAL },
		{ GFP_KERNEL, ZONE_NORMAL }, { GFP_KERNEL, ZONE_NORMAL },
		{ GFP_KERNEL | __GFP_ZERO, ZONE_NORMAL }, { GFP_ATOMIC, ZONE_NORMAL },
		{ GFP_DMA32, ZONE_DMA32 }, { GFP_DMA32 | __GFP_ZERO, ZONE_DMA32 },
		{ GFP_DMA, ZONE_DMA },
	};
	unsigned int k = rnd() % ARRAY_SIZE(kinds), order = pick_order();
	struct live_block *b;
	unsigned long pfn, i;
	struct page *page;

	page = alloc_pages(kinds[k].gfp | __GFP_NOWARN, order);
	if (!page) {
		m->fails++;
		return;
	}
	pfn = page_to_pfn(page);
	KTEST_EXPECT_TRUE(t, IS_ALIGNED(pfn, 1UL << order));
	KTEST_EXPECT_LE(t, page_zonenum(page), kinds[k].zone);
	KTEST_EXPECT_EQ(t, page_zonenum(page), pfn_zone_idx(pfn + (1UL << order) - 1));
	for (i = 0; i < (1UL << order); i++) {
		if (m->owned[pfn + i]) {
			KTEST_FAIL(t, "pfn %#lx handed out twice (order %u)", pfn + i, order);
			break;
		}
		m->owned[pfn + i] = 1;
	}
	if (kinds[k].gfp & __GFP_ZERO) {
		const u64 *w = page_address(page);

		for (i = 0; i < (PAGE_SIZE << order) / 8; i += 61)
			if (w[i]) {
				KTEST_FAIL(t, "__GFP_ZERO block at pfn %#lx not zero", pfn);
				break;
			}
	}
	if (m->nr_live == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 1024;
		m->live = realloc(m->live, m->cap * sizeof(*m->live));
	}
	b = &m->live[m->nr_live++];
	b->page = page;
	b->order = (u8)order;
	b->tag = ++m->next_tag;
	fill_block(page, order, b->tag);
}

static void model_free(struct ktest *t, struct model *m, unsigned long idx)
{
	struct live_block b = m->live[idx];
	unsigned long pfn = page_to_pfn(b.page), i;

	m->live[idx] = m->live[--m->nr_live];
	if (!block_intact(b.page, b.order, b.tag))
		KTEST_FAIL(t, "block at pfn %#lx order %u was overwritten while live",
			   pfn, b.order);
	for (i = 0; i < (1UL << b.order); i++)
		m->owned[pfn + i] = 0;
	__free_pages(b.page, b.order);
}

/* @n operations allocating with probability @alloc_pct percent. */
static void model_phase(struct ktest *t, struct model *m, unsigned long n,
			unsigned int alloc_pct)
{
	unsigned long i;

	for (i = 0; i < n && t->failures < 10; i++) {
		if (!m->nr_live || rnd() % 100 < alloc_pct)
			model_alloc(t, m);
		else
			model_free(t, m, rnd() % m->nr_live);
		m->ops++;
		if (m->ops % 100000 == 0)
			KTEST_EXPECT_EQ(t, buddy_check(), 0);
	}
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

static void randomized_model(struct ktest *t)
{
	struct model m = { 0 };
	snapshot_t before, after;
	unsigned long free_before;
	u64 seed = host_seed(0x6b6d6d2062756479ULL);

	printk("    # buddy seed %#llx (set KMM_SEED to repeat)\n",
	       (unsigned long long)seed);
	rng_state = seed ? seed : 1;
	host_mm_setup_default();
	drain_all_pages();
	buddy_snapshot(before);
	free_before = nr_free_pages();
	m.owned = calloc(max_pfn_mapped, 1);
	KTEST_ASSERT_NOT_NULL(t, m.owned);

	model_phase(t, &m, 300000, 55);   /* growing */
	model_phase(t, &m, 400000, 75);   /* under pressure: allocations fail */
	KTEST_EXPECT_GT(t, m.fails, 1000);
	model_phase(t, &m, 300000, 35);   /* shrinking */
	while (m.nr_live && !t->failures)
		model_free(t, &m, rnd() % m.nr_live);
	KTEST_EXPECT_GE(t, m.ops, 1000000);
	printk("    # %lu operations, %lu failed allocations\n", m.ops, m.fails);

	drain_all_pages();
	buddy_snapshot(after);
	KTEST_EXPECT_TRUE(t, snapshots_equal(before, after));
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
	free(m.owned);
	free(m.live);
}

/* ---- threads as CPUs --------------------------------------------------------- */

#define NR_THREADS 4
#define HANDOFF 256

static struct {
	pthread_mutex_t lock;
	struct page *page[HANDOFF];
	unsigned int order[HANDOFF];
	unsigned int n;
} handoff = { .lock = PTHREAD_MUTEX_INITIALIZER };

struct worker {
	unsigned int cpu;
	u64 rng;
	unsigned long bad;
	pthread_t thread;
};

static u64 worker_rnd(struct worker *w)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return w->rng;
}

/* Tag a block with its pfn so that any thread can verify it. */
static void stamp(struct page *p, unsigned int order)
{
	fill_block(p, order, (u32)order);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct page *mine[64];
	unsigned int mine_order[64], n = 0, i;

	host_set_cpu(w->cpu);
	for (i = 0; i < 60000; i++) {
		unsigned int r = worker_rnd(w) % 100;

		if (r < 50 && n < 64) {
			unsigned int order = r < 40 ? 0 : 1 + r % 3;
			struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);

			if (!p)
				continue;
			stamp(p, order);
			mine[n] = p;
			mine_order[n++] = order;
		} else if (r < 75 && n) {
			/* Hand a block to whichever CPU takes it next. */
			pthread_mutex_lock(&handoff.lock);
			if (handoff.n < HANDOFF) {
				n--;
				handoff.page[handoff.n] = mine[n];
				handoff.order[handoff.n++] = mine_order[n];
			}
			pthread_mutex_unlock(&handoff.lock);
		} else {
			struct page *p = NULL;
			unsigned int order = 0;

			pthread_mutex_lock(&handoff.lock);
			if (handoff.n) {
				p = handoff.page[--handoff.n];
				order = handoff.order[handoff.n];
			}
			pthread_mutex_unlock(&handoff.lock);
			if (!p && n) {
				p = mine[--n];
				order = mine_order[n];
			}
			if (!p)
				continue;
			if (!block_intact(p, order, order))
				w->bad++;
			__free_pages(p, order);
		}
	}
	while (n--)
		__free_pages(mine[n], mine_order[n]);
	return NULL;
}

static void threads_as_cpus(struct ktest *t)
{
	struct worker w[NR_THREADS];
	snapshot_t before, after;
	unsigned long free_before;
	unsigned int i, checks = 0;
	u64 seed = host_seed(0x7468726561647321ULL);

	host_mm_setup_default();
	drain_all_pages();
	buddy_snapshot(before);
	free_before = nr_free_pages();
	for (i = 0; i < NR_THREADS; i++) {
		w[i] = (struct worker){ .cpu = i + 1, .rng = seed + i * 7919 + 1 };
		KTEST_ASSERT_EQ(t, pthread_create(&w[i].thread, NULL, worker_main, &w[i]), 0);
	}
	/* The checker takes every lock, so it may run while the CPUs work. */
	for (i = 0; i < 20; i++, checks++)
		KTEST_EXPECT_EQ(t, buddy_check(), 0);
	for (i = 0; i < NR_THREADS; i++) {
		pthread_join(w[i].thread, NULL);
		KTEST_EXPECT_EQ(t, w[i].bad, 0);
	}
	while (handoff.n) {
		handoff.n--;
		__free_pages(handoff.page[handoff.n], handoff.order[handoff.n]);
	}
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
	drain_all_pages();
	buddy_snapshot(after);
	KTEST_EXPECT_TRUE(t, snapshots_equal(before, after));
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

/* The checker itself: a corrupted free list is found, then repaired. */
static void checker_finds_corruption(struct ktest *t)
{
	struct page *p;
	unsigned long saved;

	host_mm_setup_default();
	p = alloc_pages(GFP_KERNEL, 2);
	KTEST_ASSERT_NOT_NULL(t, p);
	__free_pages(p, 2);
	drain_all_pages();
	/* A tail page pretending to head a free block. */
	saved = p[2].flags;
	p[2].flags |= BIT(PG_buddy);
	host_console_quiet(true);
	ktest_expect_report(t, "buddy_check: zone Normal, node 0: pfn");
	KTEST_EXPECT_EQ(t, buddy_check(), 1);
	p[2].flags = saved;
	/* A wrong free-page count. */
	zones[ZONE_NORMAL].free_pages++;
	ktest_expect_report(t, "but the lists hold");
	KTEST_EXPECT_EQ(t, buddy_check(), 1);
	zones[ZONE_NORMAL].free_pages--;
	host_console_quiet(false);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

static const struct ktest_case buddy_host_cases[] = {
	KTEST_CASE(boot_hands_over_free_memory),
	KTEST_CASE(memmap_only_where_ram),
	KTEST_CASE(buddyinfo_format),
	KTEST_CASE(buddyinfo_huge_counts),
	KTEST_CASE(fresh_machine_forgets),
	KTEST_CASE(zone_limits),
	KTEST_CASE(fallback_order),
	KTEST_CASE(exhaustion_restores_buddyinfo),
	KTEST_CASE(atomic_refill_keeps_reserve),
	KTEST_CASE(misuse_double_free),
	KTEST_CASE(misuse_wrong_order),
	KTEST_CASE(misuse_tail_page),
	KTEST_CASE(misuse_outside_memory),
	KTEST_CASE(misuse_owned_pages),
	KTEST_CASE(pcp_remote_free),
	KTEST_CASE(alloc_drains_other_cpus_before_failing),
	KTEST_CASE(poison_catches_write),
	KTEST_CASE(checker_finds_corruption),
	KTEST_CASE(randomized_model),
	KTEST_CASE(threads_as_cpus),
};
KTEST_SUITE(buddy_host, buddy_host_cases);

// SPDX-License-Identifier: MIT
/*
 * fuzz_buddy: the page allocator driven by the input, checked against a model.
 *
 * Each input starts a fresh fake machine (host_mm_setup; the first byte picks
 * one of a few memory maps, one of them small enough to run out) and then
 * reads operations until the input ends:
 *
 *   alloc / free            any order 0..MAX_PAGE_ORDER+1, zone flags,
 *                           __GFP_ZERO, __GFP_HIGH, both APIs (struct page
 *                           and direct-map address)
 *   misuse                  double free, wrong order, tail page, a page that
 *                           is reserved, in a hole, or past the end of memory
 *   drain, switch CPU
 *
 * The model (live[]) holds every block the allocator gave out, with a tag
 * written into its pages. After every operation: no two live blocks overlap,
 * each is aligned, in RAM, not reserved, inside the zones its flags allow,
 * and free + live pages add up to what the machine started with. Every
 * misuse must be reported ("BUG") and change nothing. At the end of the
 * input every live block must still hold its tag; everything is freed, and
 * then buddy_check() must find nothing and the free lists must have exactly
 * the shape they had after boot (the buddy's shape depends only on which
 * pages are free).
 */
#include <string.h>

#include "fuzz_common.h"
#include "host_mm.h"
#include "kernel/ktest.h"
#include "mm/gfp.h"
#include "mm/memblock.h"

#define MAX_LIVE 256
#define MAX_OPS 512

typedef unsigned long snapshot_t[MAX_NR_ZONES][NR_PAGE_ORDERS];

struct block {
	struct page *page;
	unsigned int order;
	u64 tag;
};

static struct block live[MAX_LIVE];
static unsigned int nr_live;
static unsigned long live_pages, boot_free;
static snapshot_t boot_shape;
static u64 next_tag;

/* Freed blocks, for double frees; a record is usable only while no live block covers it. */
static struct block freed[16];
static unsigned int nr_freed;

/* A 16 MiB machine: DMA only, a hole, an unaligned edge. Runs out quickly. */
static const struct boot_mem_range small_map[] = {
	{ 0x0, 0x9f000, BOOT_MEM_USABLE, 0 },
	{ 0x100000, 0x5ff800, BOOT_MEM_USABLE, 0 },
	{ 0x600000, 0x100000, BOOT_MEM_RESERVED, 0 },
	{ 0x700000, 0x900000, BOOT_MEM_USABLE, 0 },
};

/* DMA32 and Normal only in odd pieces, reserved bites inside RAM. */
static const struct boot_mem_range odd_map[] = {
	{ 0x100000, 0x300000, BOOT_MEM_USABLE, 0 },
	{ 0x1000000, 0x1234000, BOOT_MEM_USABLE, 0 },
	{ 0x1100000, 0x3000, BOOT_MEM_ACPI_NVS, 0 },
	{ 0x100000000ULL, 0x800000, BOOT_MEM_USABLE, 0 },
	{ 0x100400000ULL, 0x1000, BOOT_MEM_BAD, 0 },
};

static u64 tag_word(u64 tag, unsigned long i)
{
	return (tag << 16) ^ (i * 0x9e3779b97f4a7c15ULL);
}

/* Pages we touch in a block: all of a small one, the ends of a large one. */
static bool touched(unsigned int order, unsigned long i)
{
	return order <= 3 || i == 0 || i == (1UL << order) - 1;
}

static void fill(const struct block *b)
{
	unsigned long i;

	for (i = 0; i < (1UL << b->order); i++) {
		u64 *w;

		if (!touched(b->order, i))
			continue;
		w = page_address(b->page + i);
		w[0] = tag_word(b->tag, i);
		w[PAGE_SIZE / 8 - 1] = ~tag_word(b->tag, i);
	}
}

static void check_intact(const struct block *b)
{
	unsigned long i;

	for (i = 0; i < (1UL << b->order); i++) {
		const u64 *w;

		if (!touched(b->order, i))
			continue;
		w = page_address(b->page + i);
		FUZZ_CHECK(w[0] == tag_word(b->tag, i) &&
				   w[PAGE_SIZE / 8 - 1] == ~tag_word(b->tag, i),
			   "live block pfn %#lx order %u page %lu overwritten",
			   page_to_pfn(b->page), b->order, i);
	}
}

static void check_zeroed(const struct block *b)
{
	unsigned long i, j;

	for (i = 0; i < (1UL << b->order); i++) {
		const u64 *w;

		if (!touched(b->order, i))
			continue;
		w = page_address(b->page + i);
		for (j = 0; j < PAGE_SIZE / 8; j++)
			FUZZ_CHECK(w[j] == 0, "__GFP_ZERO block pfn %#lx order %u: word %lu of page %lu is %#llx",
				   page_to_pfn(b->page), b->order, j, i,
				   (unsigned long long)w[j]);
	}
}

static bool overlaps(unsigned long pfn, unsigned int order, const struct block *b)
{
	unsigned long s = page_to_pfn(b->page);

	return pfn < s + (1UL << b->order) && s < pfn + (1UL << order);
}

/* Is any page of [pfn, pfn + 2^order) in a live block? */
static bool live_covers(unsigned long pfn, unsigned int order)
{
	unsigned int i;

	for (i = 0; i < nr_live; i++)
		if (overlaps(pfn, order, &live[i]))
			return true;
	return false;
}

static void check_counts(void)
{
	FUZZ_CHECK(nr_free_pages() + live_pages == boot_free,
		   "free %lu + live %lu != %lu at boot", nr_free_pages(),
		   live_pages, boot_free);
}

/* A new block from the allocator: where it may be, and that it is new. */
static void accept(struct page *page, unsigned int order, gfp_t gfp)
{
	unsigned long pfn = page_to_pfn(page), last = pfn + (1UL << order) - 1;
	struct block *b;

	FUZZ_CHECK(order <= MAX_PAGE_ORDER, "order %u block handed out", order);
	FUZZ_CHECK((pfn & ((1UL << order) - 1)) == 0, "pfn %#lx not aligned to order %u",
		   pfn, order);
	FUZZ_CHECK(memblock_is_memory(PFN_PHYS(pfn)) && memblock_is_memory(PFN_PHYS(last)),
		   "block pfn %#lx order %u is not RAM", pfn, order);
	FUZZ_CHECK(!memblock_is_reserved(PFN_PHYS(pfn)) &&
			   !memblock_is_reserved(PFN_PHYS(last)),
		   "block pfn %#lx order %u is reserved", pfn, order);
	if (gfp & __GFP_DMA)
		FUZZ_CHECK(PFN_PHYS(last) < ZONE_DMA_END, "GFP_DMA block at pfn %#lx", pfn);
	else if (gfp & __GFP_DMA32)
		FUZZ_CHECK(PFN_PHYS(last) < ZONE_DMA32_END, "GFP_DMA32 block at pfn %#lx", pfn);
	FUZZ_CHECK(!live_covers(pfn, order), "block pfn %#lx order %u handed out twice",
		   pfn, order);
	FUZZ_CHECK(nr_live < MAX_LIVE, "model full");
	b = &live[nr_live++];
	b->page = page;
	b->order = order;
	b->tag = ++next_tag;
	live_pages += 1UL << order;
	if (gfp & __GFP_ZERO)
		check_zeroed(b);
	fill(b);
}

static gfp_t pick_gfp(struct fuzz_input *in)
{
	u8 c = fz_u8(in);
	gfp_t gfp = __GFP_NOWARN;

	if (c & 1)
		gfp |= __GFP_DMA;
	if (c & 2)
		gfp |= __GFP_DMA32;
	if (c & 4)
		gfp |= __GFP_ZERO;
	if (c & 8)
		gfp |= GFP_ATOMIC;
	if ((c & 0x30) == 0x30)
		gfp &= ~__GFP_NOWARN;
	return gfp;
}

static void op_alloc(struct fuzz_input *in, bool by_address)
{
	unsigned int order = fz_u8(in) % (MAX_PAGE_ORDER + 2);
	gfp_t gfp = pick_gfp(in);
	struct page *page;

	if (nr_live == MAX_LIVE)
		return;
	if (by_address) {
		unsigned long addr = order == 0 && (gfp & __GFP_ZERO) ?
				     get_zeroed_page(gfp) : __get_free_pages(gfp, order);

		page = addr ? virt_to_page((void *)addr) : NULL;
	} else {
		page = alloc_pages(gfp, order);
	}
	if (order > MAX_PAGE_ORDER)
		FUZZ_CHECK(!page, "order %u allocation succeeded", order);
	if (page)
		accept(page, order, gfp);
}

static void forget(unsigned int i)
{
	struct block b = live[i];

	live[i] = live[--nr_live];
	live_pages -= 1UL << b.order;
	freed[nr_freed++ % ARRAY_SIZE(freed)] = b;
}

static void op_free(struct fuzz_input *in, bool by_address)
{
	unsigned int i;

	if (!nr_live)
		return;
	i = fz_u8(in) % nr_live;
	check_intact(&live[i]);
	if (by_address)
		free_pages((unsigned long)page_address(live[i].page), live[i].order);
	else
		__free_pages(live[i].page, live[i].order);
	forget(i);
}

/* @fn must be refused with a report and leave the allocator as it was. */
static void expect_refused(struct page *page, unsigned int order, const char *what)
{
	unsigned long mark = ktest_console_mark(), before = nr_free_pages();

	__free_pages(page, order);
	FUZZ_CHECK(fuzz_reported(mark, "BUG"), "%s (pfn %#lx order %u) not reported",
		   what, page_to_pfn(page), order);
	FUZZ_CHECK(nr_free_pages() == before, "%s changed the free count %lu -> %lu",
		   what, before, nr_free_pages());
}

static void op_double_free(struct fuzz_input *in)
{
	const struct block *b;
	unsigned int n = nr_freed < ARRAY_SIZE(freed) ? nr_freed : ARRAY_SIZE(freed);

	if (!n)
		return;
	b = &freed[fz_u8(in) % n];
	if (live_covers(page_to_pfn(b->page), b->order))
		return; /* given out again since: freeing it would be legitimate */
	expect_refused(b->page, b->order, "double free");
}

static void op_wrong_order(struct fuzz_input *in)
{
	unsigned int order, i;
	u8 c;

	if (!nr_live)
		return;
	i = fz_u8(in) % nr_live;
	c = fz_u8(in);
	order = c & 0x80 ? MAX_PAGE_ORDER + 1 + (c & 0x7f) : c % (MAX_PAGE_ORDER + 1);
	if (order == live[i].order)
		order = (order + 1) % (MAX_PAGE_ORDER + 1);
	expect_refused(live[i].page, order, "free with the wrong order");
}

static void op_tail(struct fuzz_input *in)
{
	unsigned int i, order;
	unsigned long k;

	if (!nr_live)
		return;
	i = fz_u8(in) % nr_live;
	if (!live[i].order)
		return;
	k = 1 + fz_u16(in) % ((1UL << live[i].order) - 1);
	order = fz_u8(in) % (MAX_PAGE_ORDER + 1);
	expect_refused(live[i].page + k, order, "free of a tail page");
}

/* A struct page that is no allocated block: reserved, a hole, past the end. */
static void op_foreign(struct fuzz_input *in)
{
	unsigned long pfn;
	u8 c = fz_u8(in);

	switch (c % 4) {
	case 0:	/* the first MiB is reserved at boot */
		pfn = fz_u8(in);
		break;
	case 1: /* anywhere below the end of memory (only if not live) */
		pfn = fz_u32(in) % max_pfn_mapped;
		break;
	case 2: /* past the struct page array */
		pfn = max_pfn_mapped + fz_u16(in);
		break;
	default: /* far beyond */
		pfn = max_pfn_mapped + ((unsigned long)fz_u32(in) << 4);
		break;
	}
	if (live_covers(pfn, 0))
		return;
	expect_refused(pfn_to_page(pfn), fz_u8(in) % (MAX_PAGE_ORDER + 1),
		       "free of a page that is not allocated");
}

static const struct {
	const struct boot_mem_range *map;
	unsigned int n;
} machines[] = {
	{ NULL, 0 }, /* host_default_map */
	{ small_map, ARRAY_SIZE(small_map) },
	{ odd_map, ARRAY_SIZE(odd_map) },
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_setup_console();
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_input in;
	snapshot_t shape;
	unsigned int m, ops = 0;

	fz_init(&in, data, size);
	m = fz_u8(&in) % ARRAY_SIZE(machines);
	if (machines[m].map)
		host_mm_setup(machines[m].map, machines[m].n);
	else
		host_mm_setup_default();
	nr_live = nr_freed = 0;
	live_pages = 0;
	boot_free = nr_free_pages();
	buddy_snapshot(boot_shape);

	while (!fz_done(&in) && ops++ < MAX_OPS) {
		u8 op = fz_u8(&in);

		switch (op % 16) {
		case 0: case 1: case 2: case 3:
			op_alloc(&in, false);
			break;
		case 4:
			op_alloc(&in, true);
			break;
		case 5: case 6: case 7:
			op_free(&in, false);
			break;
		case 8:
			op_free(&in, true);
			break;
		case 9:
			op_double_free(&in);
			break;
		case 10:
			op_wrong_order(&in);
			break;
		case 11:
			op_tail(&in);
			break;
		case 12:
			op_foreign(&in);
			break;
		case 13:
			if (op & 0x10)
				drain_all_pages();
			else
				drain_local_pages();
			break;
		case 14:
			host_set_cpu(fz_u8(&in) % HOST_NR_CPUS);
			break;
		default: { /* a burst: order-k allocations until 32 or failure */
			unsigned int k = fz_u8(&in) % 4, j;
			gfp_t gfp = pick_gfp(&in);

			for (j = 0; j < 32 && nr_live < MAX_LIVE; j++) {
				struct page *p = alloc_pages(gfp | __GFP_NOWARN, k);

				if (!p)
					break;
				accept(p, k, gfp);
			}
			break;
		}
		}
		check_counts();
		if (op % 16 >= 9 && op % 16 <= 12)
			FUZZ_CHECK(buddy_check() == 0, "buddy_check after misuse op %u", op % 16);
	}

	FUZZ_CHECK(buddy_check() == 0, "buddy_check with %u live blocks", nr_live);
	while (nr_live) {
		check_intact(&live[nr_live - 1]);
		__free_pages(live[nr_live - 1].page, live[nr_live - 1].order);
		forget(nr_live - 1);
	}
	drain_all_pages();
	check_counts();
	FUZZ_CHECK(buddy_check() == 0, "buddy_check after freeing everything");
	buddy_snapshot(shape);
	FUZZ_CHECK(!memcmp(shape, boot_shape, sizeof(shape)),
		   "free lists differ from boot after everything was freed");
	host_set_cpu(0);
	return 0;
}

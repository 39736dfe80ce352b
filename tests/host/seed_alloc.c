// SPDX-License-Identifier: MIT
/*
 * The seed's allocator families (API and overview in seed_alloc.h).
 *
 * Theory of operation
 * -------------------
 * All heaps grow one way inside their arena: [base, brk) is the heap, and
 * brk only moves up. The high-water mark of brk is the footprint.
 *
 * Bump: alloc returns brk and moves it; free is a no-op. Nothing is reused.
 *
 * Fit heaps (first, next, best fit): the heap is a row of blocks, each with a
 * boundary tag at both ends (Knuth): a header and a footer word holding the
 * block's size with bit 0 set while it is allocated.
 *
 *   base                                                          brk
 *   | hdr | payload ......... | ftr | hdr | next prev ..... | ftr |
 *   +--------- allocated block -----+--------- free block ---------+
 *
 * The footer lets free() look at the block just below in O(1), so a freed
 * block merges with free neighbours on both sides at once (immediate
 * coalescing). Invariant: no two free blocks are adjacent. Free blocks are
 * also on one doubly linked list (explicit free list), newest first; the
 * three policies differ only in how they search it:
 *   first fit  from the head, the first block large enough;
 *   next fit   from where the last search ended (the rover), wrapping round;
 *   best fit   the whole list, the smallest block large enough.
 * A block larger than needed is split when the rest can be a block of its
 * own (SEED_MIN_BLOCK). When nothing fits, the heap grows at brk; if the
 * topmost block is free it is extended rather than left behind.
 *
 * Segregated fit: power-of-two classes 8, 16, 32 ... bytes. Each class keeps
 * a singly linked list of free blocks, linked through their first word. A
 * class up to SEED_PAGE is fed a page at a time, cut into equal blocks, and
 * every page holds one class only, recorded in a byte per page (seg_class[],
 * kept at the end of the arena), so free() needs no header: the page says
 * the size. Larger classes are runs of whole pages. Blocks are never merged
 * or returned: the price of O(1) is memory held by classes that emptied.
 */
#include <stdio.h>
#include <string.h>
#include "seed_alloc.h"

#define TAG_ALLOC 1UL
#define SEED_TAGS (2 * sizeof(size_t))                      /* header + footer */
#define SEED_MIN_BLOCK (SEED_TAGS + 2 * sizeof(void *))     /* room for links */

#define SEG_FREE_PAGE 0x00 /* seg_class[] of a page not yet handed out */
#define SEG_RUN_TAIL  0xff /* a page inside a multi-page block */

_Static_assert(SEED_MIN_BLOCK % SEED_ALIGN == 0, "blocks keep the alignment");
_Static_assert(SEED_SEG_NR_CLASSES < SEG_RUN_TAIL, "class + 1 fits a page byte");
_Static_assert((1UL << SEED_SEG_MIN_SHIFT) >= sizeof(void *), "link fits a block");

struct seed_block {
	size_t tag;
	struct seed_block *next, *prev; /* only while free */
};

static size_t round_up(size_t x, size_t a)
{
	return (x + a - 1) & ~(a - 1);
}

static void grow_to(struct seed_heap *h, unsigned char *brk)
{
	size_t used = (size_t)(brk - h->base);

	h->brk = brk;
	if (h->kind == SEED_SEGREGATED)
		used += used / SEED_PAGE; /* the class bytes of those pages */
	if (used > h->high_water)
		h->high_water = used;
}

/* ---- boundary tags --------------------------------------------------- */

static size_t blk_size(const struct seed_block *b)
{
	return b->tag & ~TAG_ALLOC;
}

static int blk_alloc(const struct seed_block *b)
{
	return b->tag & TAG_ALLOC;
}

static size_t *blk_footer(const struct seed_block *b)
{
	return (size_t *)((unsigned char *)b + blk_size(b) - sizeof(size_t));
}

static void blk_set(struct seed_block *b, size_t size, size_t alloc)
{
	b->tag = size | alloc;
	*blk_footer(b) = size | alloc;
}

static struct seed_block *blk_next(const struct seed_heap *h, struct seed_block *b)
{
	unsigned char *n = (unsigned char *)b + blk_size(b);

	return n < h->brk ? (struct seed_block *)n : NULL;
}

static struct seed_block *blk_prev(const struct seed_heap *h, struct seed_block *b)
{
	size_t prev_size;

	if ((unsigned char *)b == h->base)
		return NULL;
	prev_size = ((size_t *)b)[-1] & ~TAG_ALLOC;
	return (struct seed_block *)((unsigned char *)b - prev_size);
}

/* The block that ends at brk, if any. */
static struct seed_block *blk_top(const struct seed_heap *h)
{
	return h->brk == h->base ? NULL : blk_prev(h, (struct seed_block *)h->brk);
}

static void list_add(struct seed_heap *h, struct seed_block *b)
{
	b->prev = NULL;
	b->next = h->free_head;
	if (h->free_head)
		h->free_head->prev = b;
	h->free_head = b;
}

static void list_del(struct seed_heap *h, struct seed_block *b)
{
	if (h->rover == b)
		h->rover = b->next;
	if (b->prev)
		b->prev->next = b->next;
	else
		h->free_head = b->next;
	if (b->next)
		b->next->prev = b->prev;
}

/* ---- the three searches ---------------------------------------------------- */

static struct seed_block *find_first(struct seed_heap *h, size_t need)
{
	struct seed_block *b;

	for (b = h->free_head; b; b = b->next)
		if (blk_size(b) >= need)
			return b;
	return NULL;
}

static struct seed_block *find_next(struct seed_heap *h, size_t need)
{
	struct seed_block *start = h->rover ? h->rover : h->free_head, *b;

	for (b = start; b; b = b->next)
		if (blk_size(b) >= need)
			return h->rover = b;
	for (b = h->free_head; b != start; b = b->next)
		if (blk_size(b) >= need)
			return h->rover = b;
	return NULL;
}

static struct seed_block *find_best(struct seed_heap *h, size_t need)
{
	struct seed_block *b, *best = NULL;

	for (b = h->free_head; b; b = b->next) {
		if (blk_size(b) < need || (best && blk_size(b) >= blk_size(best)))
			continue;
		best = b;
		if (blk_size(b) == need)
			break;
	}
	return best;
}

static void *fit_alloc(struct seed_heap *h, size_t size)
{
	size_t need = round_up(size, SEED_ALIGN) + SEED_TAGS, have;
	struct seed_block *b;

	if (need < SEED_MIN_BLOCK)
		need = SEED_MIN_BLOCK;
	if (h->kind == SEED_FIRST_FIT)
		b = find_first(h, need);
	else if (h->kind == SEED_NEXT_FIT)
		b = find_next(h, need);
	else
		b = find_best(h, need);

	if (b) {
		list_del(h, b);
		have = blk_size(b);
	} else {
		/* Grow, reusing a free block at the top of the heap. */
		b = blk_top(h);
		if (b && !blk_alloc(b)) {
			list_del(h, b);
		} else {
			b = (struct seed_block *)h->brk;
		}
		if ((size_t)(h->limit - (unsigned char *)b) < need) {
			if ((unsigned char *)b != h->brk)
				list_add(h, b);
			return NULL;
		}
		if ((unsigned char *)b + need > h->brk)
			grow_to(h, (unsigned char *)b + need);
		have = need;
	}
	if (have - need >= SEED_MIN_BLOCK) {
		struct seed_block *rest = (struct seed_block *)((unsigned char *)b + need);

		blk_set(rest, have - need, 0);
		list_add(h, rest);
		have = need;
	}
	blk_set(b, have, TAG_ALLOC);
	return (unsigned char *)b + sizeof(size_t);
}

static void fit_free(struct seed_heap *h, void *p)
{
	struct seed_block *b = (struct seed_block *)((unsigned char *)p - sizeof(size_t));
	struct seed_block *n, *pv;
	size_t size;

	if (!blk_alloc(b) || *blk_footer(b) != b->tag) {
		fprintf(stderr, "seed_alloc: %s: bad or double free of %p\n",
			seed_kind_name(h->kind), p);
		return;
	}
	size = blk_size(b);
	n = blk_next(h, b);
	if (n && !blk_alloc(n)) {
		list_del(h, n);
		size += blk_size(n);
	}
	pv = blk_prev(h, b);
	if (pv && !blk_alloc(pv)) {
		list_del(h, pv);
		size += blk_size(pv);
		b = pv;
	}
	blk_set(b, size, 0);
	list_add(h, b);
}

/* ---- segregated fit --------------------------------------------------------- */

static unsigned int seg_class_of(size_t size)
{
	unsigned int c = 0;

	while ((1UL << (c + SEED_SEG_MIN_SHIFT)) < size)
		c++;
	return c;
}

static size_t seg_class_size(unsigned int c)
{
	return 1UL << (c + SEED_SEG_MIN_SHIFT);
}

static size_t seg_page_index(const struct seed_heap *h, const void *p)
{
	return (size_t)((const unsigned char *)p - h->base) / SEED_PAGE;
}

/* Take a page (or a run of pages) at brk and put its blocks on class @c. */
static int seg_refill(struct seed_heap *h, unsigned int c)
{
	size_t bsize = seg_class_size(c), span = bsize > SEED_PAGE ? bsize : SEED_PAGE;
	size_t first = seg_page_index(h, h->brk), i;
	unsigned char *blk;

	if ((size_t)(h->limit - h->brk) < span)
		return -1;
	for (i = 0; i < span / SEED_PAGE; i++)
		h->seg_class[first + i] = i ? SEG_RUN_TAIL : (unsigned char)(c + 1);
	/* Push in reverse, so the blocks come out in address order. */
	for (blk = h->brk + span - bsize;; blk -= bsize) {
		*(void **)blk = h->seg_free[c];
		h->seg_free[c] = blk;
		if (blk == h->brk)
			break;
	}
	grow_to(h, h->brk + span);
	return 0;
}

static void *seg_alloc(struct seed_heap *h, size_t size)
{
	unsigned int c = seg_class_of(size);
	void *p;

	if (c >= SEED_SEG_NR_CLASSES)
		return NULL;
	if (!h->seg_free[c] && seg_refill(h, c))
		return NULL;
	p = h->seg_free[c];
	h->seg_free[c] = *(void **)p;
	return p;
}

static void seg_free(struct seed_heap *h, void *p)
{
	unsigned char *q = p;
	size_t page;
	unsigned int c;

	if (q < h->base || q >= h->brk || ((size_t)(q - h->base) & (SEED_ALIGN - 1)))
		goto bad;
	page = seg_page_index(h, q);
	if (h->seg_class[page] == SEG_FREE_PAGE || h->seg_class[page] == SEG_RUN_TAIL)
		goto bad;
	c = h->seg_class[page] - 1;
	if ((size_t)(q - h->base) % (seg_class_size(c) < SEED_PAGE ? seg_class_size(c) : SEED_PAGE))
		goto bad;
	if (h->seg_free[c] == p) /* the cheap double-free check */
		goto bad;
	*(void **)p = h->seg_free[c];
	h->seg_free[c] = p;
	return;
bad:
	fprintf(stderr, "seed_alloc: segregated: bad or double free of %p\n", p);
}

/* ---- the interface ---------------------------------------------------------- */

int seed_init(struct seed_heap *h, enum seed_kind kind, void *arena, size_t size)
{
	unsigned char *a = arena;

	memset(h, 0, sizeof(*h));
	if (kind >= SEED_NR_KINDS || ((uintptr_t)a & (SEED_ALIGN - 1)) || size < SEED_PAGE)
		return -1;
	h->kind = kind;
	h->base = h->brk = a;
	h->limit = a + (size & ~(size_t)(SEED_ALIGN - 1));
	if (kind == SEED_SEGREGATED) {
		size_t pages = size / SEED_PAGE, map = round_up(pages, SEED_PAGE);

		if (((uintptr_t)a & (SEED_PAGE - 1)) || pages * SEED_PAGE <= map)
			return -1;
		/* The class map takes the arena's last pages; pages are untouched until used. */
		h->limit = a + pages * SEED_PAGE - map;
		h->seg_class = h->limit;
	}
	return 0;
}

void *seed_alloc(struct seed_heap *h, size_t size)
{
	unsigned char *p;

	if (size == 0 || size > (size_t)(h->limit - h->base))
		return NULL;
	switch (h->kind) {
	case SEED_BUMP:
		size = round_up(size, SEED_ALIGN);
		if ((size_t)(h->limit - h->brk) < size)
			return NULL;
		p = h->brk;
		grow_to(h, h->brk + size);
		return p;
	case SEED_SEGREGATED:
		return seg_alloc(h, size);
	default:
		return fit_alloc(h, size);
	}
}

void seed_free(struct seed_heap *h, void *p)
{
	if (!p || h->kind == SEED_BUMP)
		return;
	if (h->kind == SEED_SEGREGATED)
		seg_free(h, p);
	else
		fit_free(h, p);
}

size_t seed_footprint(const struct seed_heap *h)
{
	return h->high_water;
}

size_t seed_usable_size(const struct seed_heap *h, const void *p)
{
	const unsigned char *q = p;

	switch (h->kind) {
	case SEED_BUMP:
		return 0; /* a bump heap keeps no sizes */
	case SEED_SEGREGATED:
		return seg_class_size(h->seg_class[seg_page_index(h, q)] - 1);
	default:
		return blk_size((const struct seed_block *)(q - sizeof(size_t))) - SEED_TAGS;
	}
}

size_t seed_largest_free(const struct seed_heap *h)
{
	const struct seed_block *b;
	size_t best = 0;

	if (h->kind == SEED_BUMP || h->kind == SEED_SEGREGATED)
		return 0;
	for (b = h->free_head; b; b = b->next)
		if (blk_size(b) - SEED_TAGS > best)
			best = blk_size(b) - SEED_TAGS;
	return best;
}

const char *seed_kind_name(enum seed_kind kind)
{
	static const char *const names[SEED_NR_KINDS] = {
		[SEED_BUMP] = "bump",
		[SEED_FIRST_FIT] = "first-fit",
		[SEED_NEXT_FIT] = "next-fit",
		[SEED_BEST_FIT] = "best-fit",
		[SEED_SEGREGATED] = "segregated",
	};

	return kind < SEED_NR_KINDS ? names[kind] : "?";
}

/* ---- checkers ----------------------------------------------------------------- */

#define CHECK(h, cond, ...)                                                   \
	do {                                                                  \
		if (!(cond)) {                                                \
			fprintf(stderr, "seed_check: %s: ", seed_kind_name((h)->kind)); \
			fprintf(stderr, __VA_ARGS__);                         \
			fputc('\n', stderr);                                  \
			errors++;                                             \
		}                                                             \
	} while (0)

static int fit_check(const struct seed_heap *h)
{
	const unsigned char *p = h->base;
	const struct seed_block *b, *prev = NULL;
	unsigned long nfree = 0, listed = 0;
	int errors = 0, prev_free = 0, rover_listed = !h->rover;

	while (p < h->brk) {
		b = (const struct seed_block *)p;
		if (blk_size(b) < SEED_MIN_BLOCK || blk_size(b) % SEED_ALIGN ||
		    blk_size(b) > (size_t)(h->brk - p)) {
			CHECK(h, 0, "block %p: bad size %zu", (const void *)b, blk_size(b));
			return errors;
		}
		CHECK(h, *blk_footer(b) == b->tag, "block %p: header %#zx, footer %#zx",
		      (const void *)b, b->tag, *blk_footer(b));
		if (!blk_alloc(b)) {
			nfree++;
			CHECK(h, !prev_free, "free blocks %p and %p not coalesced",
			      (const void *)prev, (const void *)b);
		}
		prev_free = !blk_alloc(b);
		prev = b;
		p += blk_size(b);
	}
	CHECK(h, p == h->brk, "blocks end at %p, brk is %p", (const void *)p, (void *)h->brk);
	prev = NULL;
	for (b = h->free_head; b && listed <= nfree; b = b->next) {
		listed++;
		CHECK(h, (const unsigned char *)b >= h->base && (const unsigned char *)b < h->brk,
		      "free list entry %p outside the heap", (const void *)b);
		if ((const unsigned char *)b < h->base || (const unsigned char *)b >= h->brk)
			return errors;
		CHECK(h, !blk_alloc(b), "allocated block %p on the free list", (const void *)b);
		CHECK(h, b->prev == prev, "block %p: prev %p, expected %p",
		      (const void *)b, (const void *)b->prev, (const void *)prev);
		if (b == h->rover)
			rover_listed = 1;
		prev = b;
	}
	CHECK(h, listed == nfree, "%lu free blocks in the heap, %lu listed", nfree, listed);
	CHECK(h, rover_listed, "rover %p not on the free list", (const void *)h->rover);
	return errors;
}

static int seg_check(const struct seed_heap *h)
{
	size_t pages = (size_t)(h->brk - h->base) / SEED_PAGE, i, n, limit;
	unsigned int c;
	int errors = 0;
	const void *p;

	CHECK(h, (size_t)(h->brk - h->base) % SEED_PAGE == 0, "brk %p not page aligned",
	      (void *)h->brk);
	for (i = 0; i < pages; i++) {
		unsigned char cls = h->seg_class[i];

		CHECK(h, cls != SEG_FREE_PAGE, "page %zu below brk has no class", i);
		CHECK(h, cls == SEG_RUN_TAIL || cls <= SEED_SEG_NR_CLASSES,
		      "page %zu: bad class byte %u", i, cls);
		if (cls != SEG_RUN_TAIL && cls != SEG_FREE_PAGE && cls <= SEED_SEG_NR_CLASSES &&
		    seg_class_size(cls - 1) > SEED_PAGE) {
			for (n = 1; n < seg_class_size(cls - 1) / SEED_PAGE; n++)
				CHECK(h, i + n < pages && h->seg_class[i + n] == SEG_RUN_TAIL,
				      "run at page %zu: page %zu not a tail", i, i + n);
		}
	}
	for (c = 0; c < SEED_SEG_NR_CLASSES; c++) {
		size_t bsize = seg_class_size(c);

		limit = (size_t)(h->brk - h->base) / bsize + 1;
		n = 0;
		for (p = h->seg_free[c]; p; p = *(void *const *)p) {
			const unsigned char *q = p;

			if (q < h->base || q >= h->brk) {
				CHECK(h, 0, "class %zu: entry %p outside the heap", bsize, p);
				break;
			}
			CHECK(h, h->seg_class[seg_page_index(h, q)] == c + 1,
			      "class %zu: entry %p in a page of class byte %u", bsize, p,
			      h->seg_class[seg_page_index(h, q)]);
			CHECK(h, (size_t)(q - h->base) % (bsize < SEED_PAGE ? bsize : SEED_PAGE) == 0,
			      "class %zu: entry %p not on a block boundary", bsize, p);
			if (++n > limit) {
				CHECK(h, 0, "class %zu: free list loops", bsize);
				break;
			}
		}
	}
	return errors;
}

int seed_check(const struct seed_heap *h)
{
	int errors = 0;

	CHECK(h, h->base <= h->brk && h->brk <= h->limit, "brk %p outside [%p, %p]",
	      (void *)h->brk, (void *)h->base, (void *)h->limit);
	if (errors)
		return errors;
	switch (h->kind) {
	case SEED_BUMP:
		return 0;
	case SEED_SEGREGATED:
		return seg_check(h);
	default:
		return fit_check(h);
	}
}

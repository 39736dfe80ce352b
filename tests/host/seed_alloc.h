/* SPDX-License-Identifier: MIT */
/*
 * The seed's allocator families, small and plain, for study and comparison
 * (docs/allocators.md). Not part of the kernel: tests/bench replays traces
 * through them beside kmm's slab, tests/host/test_seed_alloc.c checks them.
 *
 *   SEED_BUMP        linear: a pointer that only moves up; free does nothing
 *   SEED_FIRST_FIT   free list with boundary tags, the first block that fits
 *   SEED_NEXT_FIT    the same, searching on from the last hit, circularly
 *   SEED_BEST_FIT    the same, the smallest block that fits
 *   SEED_SEGREGATED  power-of-two size classes, 8 B .. 8 KiB, one free list
 *                    per class, each page holding blocks of one class only
 *
 * Every heap lives in one caller-supplied arena and grows upwards from its
 * start; seed_footprint() is the high-water mark of that growth, which is
 * what the heap took from the system. No locking: one thread per heap.
 */
#ifndef TESTS_HOST_SEED_ALLOC_H
#define TESTS_HOST_SEED_ALLOC_H

#include <stddef.h>
#include <stdint.h>

enum seed_kind {
	SEED_BUMP,
	SEED_FIRST_FIT,
	SEED_NEXT_FIT,
	SEED_BEST_FIT,
	SEED_SEGREGATED,
	SEED_NR_KINDS,
};

/* Every block is aligned to this; requests are rounded up to it. */
#define SEED_ALIGN 8
/* The segregated heap's page, and its classes 8 B .. SEED_SEG_MAX_SMALL. */
#define SEED_PAGE 4096UL
#define SEED_SEG_MIN_SHIFT 3
#define SEED_SEG_MAX_SHIFT 30 /* classes above 8 KiB are page runs */
#define SEED_SEG_NR_CLASSES (SEED_SEG_MAX_SHIFT - SEED_SEG_MIN_SHIFT + 1)

struct seed_block; /* a free block of the fit heaps (seed_alloc.c) */

struct seed_heap {
	enum seed_kind kind;
	unsigned char *base;  /* arena start */
	unsigned char *limit; /* arena end (exclusive) */
	unsigned char *brk;   /* top of the heap: [base, brk) is in use */
	size_t high_water;    /* the most brk - base ever was, plus metadata */
	/* Fit heaps: explicit free list (LIFO), and next fit's roving pointer. */
	struct seed_block *free_head;
	struct seed_block *rover;
	/* Segregated heap: free blocks per class, class of each page. */
	void *seg_free[SEED_SEG_NR_CLASSES];
	unsigned char *seg_class; /* one byte per arena page, at the arena end */
};

/*
 * Make @h a heap of @kind over [@arena, @arena + @size). Returns 0, or -1
 * when the arena is too small or misaligned (SEED_ALIGN; the segregated heap
 * wants SEED_PAGE). The arena stays the caller's.
 */
int seed_init(struct seed_heap *h, enum seed_kind kind, void *arena, size_t size);

/* @size bytes aligned to SEED_ALIGN; NULL when the arena is full or size is 0. */
void *seed_alloc(struct seed_heap *h, size_t size);

/* Give back a block from seed_alloc(); NULL is ignored. */
void seed_free(struct seed_heap *h, void *p);

/* Bytes the heap took from its arena at most, metadata included. */
size_t seed_footprint(const struct seed_heap *h);

/* Bytes a block from seed_alloc() can hold (>= what was asked for). */
size_t seed_usable_size(const struct seed_heap *h, const void *p);

/*
 * Walk the whole heap: tags, free lists, coalescing, class pages. Returns
 * the number of inconsistencies (each printed on stderr); 0 means healthy.
 */
int seed_check(const struct seed_heap *h);

/* The largest block a fit heap could hand out without growing (0 otherwise). */
size_t seed_largest_free(const struct seed_heap *h);

const char *seed_kind_name(enum seed_kind kind);

#endif /* TESTS_HOST_SEED_ALLOC_H */

// SPDX-License-Identifier: MIT
/*
 * The seed allocators (tests/host/seed_alloc.h) as backends: one heap over a
 * large reserved arena, started afresh for every repetition. Single-threaded
 * by design, so the threaded workloads are not run; no page workloads.
 * Footprint is the heap's high-water mark.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/mman.h>
#include "bench.h"
#include "seed_alloc.h"

#define SEED_ARENA_SIZE (8UL << 30) /* reserved, only touched pages cost */

static struct seed_heap heap;
static enum seed_kind kind;
static unsigned char *arena;

#define BK(x) seed_##x
#define BK_ALLOC(size) seed_alloc(&heap, size)
#define BK_FREE(p) seed_free(&heap, p)
#define BK_THREAD_ENTER(idx) ((void)(idx))
#define BK_FOOTPRINT() seed_footprint(&heap)
#define BK_NO_THREADS
#include "workloads.h"

/*
 * A fresh heap over the same arena. Its pages stay resident, as the other
 * allocators keep theirs between repetitions, so timings are not page faults.
 */
static void seed_reset(void)
{
	seed_init(&heap, kind, arena, SEED_ARENA_SIZE);
}

static const char *setup_kind(enum seed_kind k)
{
	kind = k;
	arena = mmap(NULL, SEED_ARENA_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (arena == MAP_FAILED)
		return "cannot reserve the arena";
	if (seed_init(&heap, kind, arena, SEED_ARENA_SIZE))
		return "seed_init failed";
	return NULL;
}

static const char *setup_bump(void) { return setup_kind(SEED_BUMP); }
static const char *setup_first(void) { return setup_kind(SEED_FIRST_FIT); }
static const char *setup_next(void) { return setup_kind(SEED_NEXT_FIT); }
static const char *setup_best(void) { return setup_kind(SEED_BEST_FIT); }
static const char *setup_seg(void) { return setup_kind(SEED_SEGREGATED); }

const struct bench_backend bench_seed_backends[] = {
	{ "bump", setup_bump, seed_run, seed_replay, seed_reset },
	{ "first-fit", setup_first, seed_run, seed_replay, seed_reset },
	{ "next-fit", setup_next, seed_run, seed_replay, seed_reset },
	{ "best-fit", setup_best, seed_run, seed_replay, seed_reset },
	{ "segregated", setup_seg, seed_run, seed_replay, seed_reset },
};
const unsigned int bench_nr_seed_backends = sizeof(bench_seed_backends) /
					     sizeof(bench_seed_backends[0]);

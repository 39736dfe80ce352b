/* SPDX-License-Identifier: MIT */
/*
 * kmm-bench: allocators side by side on the host (docs/benchmarks.md).
 *
 * The program runs every backend (an allocator: glibc, jemalloc, mimalloc,
 * tcmalloc, kmm's kmalloc / kmem_cache / page allocator, the seed
 * allocators) in a child process of its own, so no allocator sees another's
 * heap, and the children write their figures into a shared results table
 * that the parent prints and saves as CSV.
 *
 * A backend provides the operations of struct bench_backend; the workload
 * bodies are written once, in workloads.h, and compiled per backend with its
 * alloc/free spelled out (no indirect call of our own on the hot path).
 *
 * Benchmarks measure; they never pass or fail on a figure.
 */
#ifndef TESTS_BENCH_BENCH_H
#define TESTS_BENCH_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "trace.h"

/* Workloads, in table order. One op is one alloc+free pair throughout. */
enum bench_workload {
	W_PAIR64,     /* alloc(64); free; repeated */
	W_BATCH1K,    /* 1,000 x alloc(64), then 1,000 x free */
	W_BATCH100K,  /* 100,000 x alloc(64), then 100,000 x free */
	W_MIXED,      /* random slots of 1,024, random sizes 8 B .. 16 KiB */
	W_PRODCONS,   /* thread 0 allocates, thread 1 frees */
	W_SCALE1,     /* per-thread batches of 16, one thread */
	W_SCALE2,     /* the same on two threads at once */
	W_PAGE0,      /* alloc_page + __free_page (malloc: aligned 4 KiB) */
	W_PAGE3,      /* order-3 pair (malloc: aligned 32 KiB) */
	W_PAGEBULK,   /* 1,000 x order 0, then 1,000 x free */
	W_MEMINIT,    /* kmm only, callgrind only: mem_init() per page of RAM */
	W_NR,
};

struct bench_workload_info {
	const char *name;
	const char *what;
	long n;           /* ops per repetition (full run) */
	bool threaded;
};

extern const struct bench_workload_info bench_workloads[W_NR];

/* One backend: an allocator in one child process. */
struct bench_backend {
	const char *name;
	/* Set up in the child; 0 or a reason it cannot run (printed, row skipped). */
	const char *(*setup)(void);
	/* Run workload @w for @n ops; elapsed ns, or -1 when not supported. */
	double (*run)(enum bench_workload w, long n);
	/* Replay @t: elapsed ns, or footprint figures when @fp is given. */
	double (*replay)(const struct trace *t, struct trace_footprint *fp);
	/* Start a repetition from a clean state (may be NULL). */
	void (*reset)(void);
	/* Before a footprint replay in a fresh child (may be NULL). */
	void (*before_footprint)(void);
	/*
	 * NULL: the backend is linked into this program. Else the program,
	 * beside this one, that links it and runs it (bench.c, --child).
	 */
	const char *exe;
};

/*
 * Each program links some of these (bench.mk): kmm-bench the kmm and seed
 * backends, kmm-bench-<malloc> its one malloc. Weak, so that bench.c can
 * tell which.
 */
extern const struct bench_backend bench_malloc_backends[] __attribute__((weak));
extern const unsigned int bench_nr_malloc_backends __attribute__((weak));
extern const struct bench_backend bench_kmm_backends[] __attribute__((weak));
extern const unsigned int bench_nr_kmm_backends __attribute__((weak));
extern const struct bench_backend bench_seed_backends[] __attribute__((weak));
extern const unsigned int bench_nr_seed_backends __attribute__((weak));

/*
 * Bracket a measured loop: stop returns the ns since start. With --callgrind
 * they also switch callgrind's instrumentation on and off.
 */
extern bool bench_callgrind;
void bench_measure_start(void);
double bench_measure_stop(void);

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Keep the compiler from dropping an allocation it can see through. */
#define bench_keep(p) __asm__ volatile("" : : "r"(p) : "memory")

/* The random mixed workload, drawn once before forking (so equal for all). */
#define MIXED_SLOTS 1024
struct mixed_step {
	uint32_t slot;
	uint32_t size;
};
extern struct mixed_step *bench_mixed;
extern long bench_mixed_len;

/* Touch every page of [p, p + len), so it is resident before a baseline. */
void bench_prefault(void *p, size_t len);

/* Resident bytes of this process (/proc/self/statm). */
size_t bench_rss_bytes(void);

/* A single-producer single-consumer ring for the producer/consumer workload. */
#define RING_SIZE 1024
struct bench_ring {
	void *slot[RING_SIZE];
	unsigned long head __attribute__((aligned(64))); /* written by the producer */
	unsigned long tail __attribute__((aligned(64))); /* written by the consumer */
};

void ring_push(struct bench_ring *r, void *p);
void *ring_pop(struct bench_ring *r);

/* Start @nr threads running fn(arg_i, i) together; wall time in ns. */
double bench_run_threads(unsigned int nr, void (*fn)(void *arg, unsigned int idx),
			 void *arg);

#endif /* TESTS_BENCH_BENCH_H */

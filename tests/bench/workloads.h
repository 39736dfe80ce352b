/* SPDX-License-Identifier: MIT */
/*
 * The workload bodies, written once and compiled per backend: the includer
 * defines
 *
 *   BK(x)                 the backend's name for function x (a prefix)
 *   BK_ALLOC(size)        allocate, NULL on failure
 *   BK_FREE(p)            free
 *   BK_THREAD_ENTER(idx)  run first by each worker thread (e.g. set the CPU)
 *   BK_FOOTPRINT()        bytes the allocator holds now (size_t)
 *
 * and optionally BK_PAGE_ALLOC(order) / BK_PAGE_FREE(p, order) for the page
 * workloads, BK_FIXED_SIZE when only 64-byte objects exist (kmem_cache: no
 * mixed sizes, no traces), BK_NO_THREADS for single-threaded allocators.
 *
 * Every workload times exactly its measured loop between
 * bench_measure_start() and bench_measure_stop(), which also bracket the
 * callgrind instrumentation in --callgrind mode; setup (drawing random
 * numbers, arrays, threads) stays outside.
 */
#include <stdlib.h>
#include <string.h>

static double BK(pair64)(long n)
{
	long i;

	bench_measure_start();
	for (i = 0; i < n; i++) {
		void *p = BK_ALLOC(64);

		bench_keep(p);
		BK_FREE(p);
	}
	return bench_measure_stop();
}

/* @n pairs in rounds of @batch allocations followed by their frees. */
static double BK(batch)(long n, long batch)
{
	void **v = malloc(batch * sizeof(*v));
	long r, i;
	double ns;

	if (!v)
		return -1;
	bench_measure_start();
	for (r = 0; r < n / batch; r++) {
		for (i = 0; i < batch; i++)
			v[i] = BK_ALLOC(64);
		for (i = 0; i < batch; i++)
			BK_FREE(v[i]);
	}
	ns = bench_measure_stop();
	free(v);
	return ns;
}

#ifndef BK_FIXED_SIZE
/* Random slots: an empty slot gets an object, a full one is freed. */
static double BK(mixed)(long n)
{
	void *slot[MIXED_SLOTS] = { 0 };
	long i, steps = n < bench_mixed_len ? n : bench_mixed_len;
	double ns;

	bench_measure_start();
	for (i = 0; i < steps; i++) {
		void **s = &slot[bench_mixed[i].slot];

		if (*s) {
			BK_FREE(*s);
			*s = NULL;
		} else {
			*s = BK_ALLOC(bench_mixed[i].size);
		}
	}
	for (i = 0; i < MIXED_SLOTS; i++)
		if (slot[i])
			BK_FREE(slot[i]);
	ns = bench_measure_stop();
	return ns;
}

static double BK(replay)(const struct trace *t, struct trace_footprint *fp)
{
	void **obj = calloc(t->nr_ids, sizeof(*obj));
	uint32_t *size = fp ? calloc(t->nr_ids, sizeof(*size)) : NULL;
	size_t base, live = 0, cur;
	double ns = -1;
	long i;

	if (!obj || (fp && !size))
		goto out;
	if (fp) {
		memset(fp, 0, sizeof(*fp));
		bench_prefault(obj, t->nr_ids * sizeof(*obj));
		bench_prefault(size, t->nr_ids * sizeof(*size));
	}
	base = BK_FOOTPRINT();
	bench_measure_start();
	for (i = 0; i < t->nr_events; i++) {
		const struct trace_event *e = &t->ev[i];
		void *p;

		if (!e->size) {
			BK_FREE(obj[e->id]);
			obj[e->id] = NULL;
			if (fp)
				live -= size[e->id];
			continue;
		}
		p = BK_ALLOC(e->size);
		if (!p) {
			fprintf(stderr, "%s: allocation of %u bytes failed at event %ld\n",
				t->name, e->size, i);
			ns = -1;
			goto out_free;
		}
		obj[e->id] = p;
		*(volatile char *)p = 1; /* a caller writes what it allocates */
		if (!fp)
			continue;
		/* Footprint run: touch it all, so resident memory is honest. */
		memset(p, 0x5c, e->size);
		size[e->id] = e->size;
		live += e->size;
		cur = BK_FOOTPRINT();
		cur = cur > base ? cur - base : 0; /* memory given back below the start */
		if (cur > fp->peak_footprint)
			fp->peak_footprint = cur;
		if (live > fp->peak_live) {
			fp->peak_live = live;
			fp->at_live_peak = cur;
		}
	}
	ns = bench_measure_stop();
out_free:
	for (i = 0; i < (long)t->nr_ids; i++)
		if (obj[i])
			BK_FREE(obj[i]);
out:
	free(obj);
	free(size);
	return ns;
}
#endif

#ifndef BK_NO_THREADS
struct BK(prodcons_arg) {
	struct bench_ring ring;
	long n;
};

static void BK(prodcons_thread)(void *arg, unsigned int idx)
{
	struct BK(prodcons_arg) *a = arg;
	long i;

	BK_THREAD_ENTER(idx);
	if (idx == 0) {
		for (i = 0; i < a->n; i++)
			ring_push(&a->ring, BK_ALLOC(64));
	} else {
		for (i = 0; i < a->n; i++)
			BK_FREE(ring_pop(&a->ring));
	}
}

static double BK(prodcons)(long n)
{
	struct BK(prodcons_arg) *a = calloc(1, sizeof(*a));
	double ns;

	if (!a)
		return -1;
	a->n = n;
	ns = bench_run_threads(2, BK(prodcons_thread), a);
	free(a);
	return ns;
}

#define SCALE_BATCH 16

static void BK(scale_thread)(void *arg, unsigned int idx)
{
	long rounds = *(long *)arg / SCALE_BATCH, r, i;
	void *v[SCALE_BATCH];

	BK_THREAD_ENTER(idx);
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < SCALE_BATCH; i++)
			v[i] = BK_ALLOC(64);
		for (i = 0; i < SCALE_BATCH; i++)
			BK_FREE(v[i]);
	}
}

/* @n pairs in all, shared out among @threads threads working on their own objects. */
static double BK(scale)(long n, unsigned int threads)
{
	long each = n / threads;

	return bench_run_threads(threads, BK(scale_thread), &each);
}
#endif

#ifdef BK_PAGE_ALLOC
static double BK(page_pair)(long n, unsigned int order)
{
	long i;

	bench_measure_start();
	for (i = 0; i < n; i++) {
		void *p = BK_PAGE_ALLOC(order);

		bench_keep(p);
		BK_PAGE_FREE(p, order);
	}
	return bench_measure_stop();
}

static double BK(page_bulk)(long n)
{
	void *v[1000];
	long r, i;

	bench_measure_start();
	for (r = 0; r < n / 1000; r++) {
		for (i = 0; i < 1000; i++)
			v[i] = BK_PAGE_ALLOC(0);
		for (i = 0; i < 1000; i++)
			BK_PAGE_FREE(v[i], 0);
	}
	return bench_measure_stop();
}
#endif

static double BK(run)(enum bench_workload w, long n)
{
	switch (w) {
	case W_PAIR64:
		return BK(pair64)(n);
	case W_BATCH1K:
		return BK(batch)(n, 1000);
	case W_BATCH100K:
		return BK(batch)(n, 100000);
#ifndef BK_FIXED_SIZE
	case W_MIXED:
		return BK(mixed)(n);
#endif
#ifndef BK_NO_THREADS
	case W_PRODCONS:
		return BK(prodcons)(n);
	case W_SCALE1:
		return BK(scale)(n, 1);
	case W_SCALE2:
		return BK(scale)(n, 2);
#endif
#ifdef BK_PAGE_ALLOC
	case W_PAGE0:
		return BK(page_pair)(n, 0);
	case W_PAGE3:
		return BK(page_pair)(n, 3);
	case W_PAGEBULK:
		return BK(page_bulk)(n);
#endif
	default:
		return -1;
	}
}

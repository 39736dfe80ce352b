// SPDX-License-Identifier: MIT
/*
 * User-space allocators as backends: glibc's malloc, jemalloc, mimalloc and
 * tcmalloc (Debian's libjemalloc-dev, libmimalloc-dev, libgoogle-perftools-dev).
 *
 * Each is linked directly into a program of its own (bench.mk), as an
 * application would use it: this file is compiled once per allocator with
 * one of BM_GLIBC, BM_JEMALLOC, BM_MIMALLOC or BM_TCMALLOC defined and
 * calls that allocator's functions by name, with no indirection:
 *
 *   kmm-bench-glibc     glibc's malloc, the C library's own
 *   kmm-bench-jemalloc  libjemalloc.a, static: it is the program's malloc
 *   kmm-bench-mimalloc  libmimalloc.so (Debian ships no static library):
 *                       mi_malloc/mi_free called directly
 *   kmm-bench-tcmalloc  libtcmalloc_minimal.a, static: tc_malloc/tc_free
 *
 * kmm-bench runs each of them as a child (bench.c), which writes its
 * figures into the parent's shared table.
 *
 * Footprint is the growth of the process's resident memory (RSS) during a
 * replay in a fresh child, which includes the allocator's own metadata.
 *
 * The page workloads use aligned allocation of 4096 << order bytes: the
 * nearest thing a malloc has to alloc_pages(), for scale only.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include "bench.h"

#if defined(BM_JEMALLOC)
#define BM_NAME "jemalloc"
#define bm_malloc malloc
#define bm_free free
#define bm_aligned(a, s) aligned_alloc(a, s)
#elif defined(BM_MIMALLOC)
#include <mimalloc.h>
#define BM_NAME "mimalloc"
#define bm_malloc mi_malloc
#define bm_free mi_free
#define bm_aligned(a, s) mi_malloc_aligned(s, a)
#elif defined(BM_TCMALLOC)
#include <gperftools/tcmalloc.h>
#define BM_NAME "tcmalloc"
#define bm_malloc tc_malloc
#define bm_free tc_free
#define bm_aligned(a, s) tc_memalign(a, s)
#elif defined(BM_GLIBC)
#define BM_NAME "glibc"
#define bm_malloc malloc
#define bm_free free
#define bm_aligned(a, s) aligned_alloc(a, s)
#else
#error "define one of BM_GLIBC, BM_JEMALLOC, BM_MIMALLOC, BM_TCMALLOC"
#endif

#define BK(x) malloc_##x
#define BK_ALLOC(size) bm_malloc(size)
#define BK_FREE(p) bm_free(p)
#define BK_THREAD_ENTER(idx) ((void)(idx))
#define BK_FOOTPRINT() bench_rss_bytes()
#define BK_PAGE_ALLOC(order) bm_aligned(4096, 4096UL << (order))
#define BK_PAGE_FREE(p, order) bm_free(p)
#include "workloads.h"

static const char *malloc_setup(void)
{
	return NULL;
}

#ifdef BM_GLIBC
/*
 * glibc is the program's own malloc, so the child inherits a heap with free
 * chunks already resident, which would hide a trace's growth from the RSS
 * count: give them back first.
 */
static void glibc_trim(void)
{
	malloc_trim(0);
}
#endif

/*
 * glibc's malloc_trim() only where glibc is the program's malloc (with
 * jemalloc linked statically, the symbol is glibc's but the heap is not).
 */
#ifdef BM_GLIBC
#define BM_BEFORE_FOOTPRINT glibc_trim
#else
#define BM_BEFORE_FOOTPRINT NULL
#endif

const struct bench_backend bench_malloc_backends[] = {
	{ BM_NAME, malloc_setup, malloc_run, malloc_replay, NULL, BM_BEFORE_FOOTPRINT, NULL },
};
const unsigned int bench_nr_malloc_backends = 1;

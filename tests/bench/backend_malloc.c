// SPDX-License-Identifier: MIT
/*
 * User-space allocators as backends: glibc's malloc, jemalloc, mimalloc and
 * tcmalloc (Debian's libjemalloc2, libmimalloc2.0, libtcmalloc-minimal4).
 *
 * How they share one program without clashing: each runs in its own child
 * process (bench.c), which dlopen()s the library with RTLD_LOCAL, so its
 * malloc never replaces ours, and RTLD_DEEPBIND, so the library's own calls
 * to malloc/free bind to itself and not to glibc. We call it through
 * dlsym()ed pointers, preferring the prefixed names (mi_malloc, tc_malloc)
 * where the library exports them; Debian's jemalloc has no je_ prefix, so
 * its plain malloc/free are looked up in its own handle. glibc is called
 * through the same kind of pointer, so every malloc pays one indirect call.
 *
 * jemalloc uses initial-exec TLS, which dlopen() can only place if glibc
 * reserved room for it: bench.c re-executes itself once with
 * GLIBC_TUNABLES=glibc.rtld.optional_static_tls=... for that.
 *
 * Footprint is the growth of the process's resident memory (RSS) during a
 * replay in a fresh child, which includes the allocator's own metadata.
 *
 * The page workloads use aligned_alloc(4096, 4096 << order): the nearest
 * thing a malloc has to alloc_pages(), for scale only.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include "bench.h"

static void *(*bm_malloc)(size_t);
static void (*bm_free)(void *);
static void *(*bm_aligned)(size_t, size_t);

#define BK(x) malloc_##x
#define BK_ALLOC(size) bm_malloc(size)
#define BK_FREE(p) bm_free(p)
#define BK_THREAD_ENTER(idx) ((void)(idx))
#define BK_FOOTPRINT() bench_rss_bytes()
#define BK_PAGE_ALLOC(order) bm_aligned(4096, 4096UL << (order))
#define BK_PAGE_FREE(p, order) bm_free(p)
#include "workloads.h"

static const char *use_glibc(void)
{
	bm_malloc = malloc;
	bm_free = free;
	bm_aligned = aligned_alloc;
	return NULL;
}

/* dlsym the first of @names that @h defines. */
static void *sym(void *h, const char *const *names)
{
	void *p = NULL;

	for (; *names && !p; names++)
		p = dlsym(h, *names);
	return p;
}

static const char *use_library(const char *lib, const char *const *m,
			       const char *const *f, const char *const *a)
{
	static char why[256];
	void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);

	if (!h) {
		snprintf(why, sizeof(why), "%s", dlerror());
		return why;
	}
	*(void **)&bm_malloc = sym(h, m);
	*(void **)&bm_free = sym(h, f);
	*(void **)&bm_aligned = sym(h, a);
	if (!bm_malloc || !bm_free || !bm_aligned) {
		snprintf(why, sizeof(why), "%s: malloc/free/aligned_alloc not found", lib);
		return why;
	}
	return NULL;
}

static const char *use_jemalloc(void)
{
	static const char *const m[] = { "je_malloc", "malloc", NULL };
	static const char *const f[] = { "je_free", "free", NULL };
	static const char *const a[] = { "je_aligned_alloc", "aligned_alloc", NULL };

	return use_library("libjemalloc.so.2", m, f, a);
}

static const char *use_mimalloc(void)
{
	static const char *const m[] = { "mi_malloc", NULL };
	static const char *const f[] = { "mi_free", NULL };
	static const char *const a[] = { "mi_aligned_alloc", NULL };

	return use_library("libmimalloc.so.2", m, f, a);
}

static const char *use_tcmalloc(void)
{
	static const char *const m[] = { "tc_malloc", NULL };
	static const char *const f[] = { "tc_free", NULL };
	static const char *const a[] = { "tc_memalign", NULL };

	return use_library("libtcmalloc_minimal.so.4", m, f, a);
}

/*
 * glibc is the program's own malloc, so the child inherits a heap with free
 * chunks already resident, which would hide a trace's growth from the RSS
 * count: give them back first.
 */
static void glibc_trim(void)
{
	malloc_trim(0);
}

const struct bench_backend bench_malloc_backends[] = {
	{ "glibc", use_glibc, malloc_run, malloc_replay, NULL, glibc_trim },
	{ "jemalloc", use_jemalloc, malloc_run, malloc_replay, NULL },
	{ "mimalloc", use_mimalloc, malloc_run, malloc_replay, NULL },
	{ "tcmalloc", use_tcmalloc, malloc_run, malloc_replay, NULL },
};
const unsigned int bench_nr_malloc_backends = sizeof(bench_malloc_backends) /
					       sizeof(bench_malloc_backends[0]);

/* SPDX-License-Identifier: MIT */
/*
 * Warming a CPU's magazines before a test takes its baseline of free pages,
 * so that none is allocated between the baseline and the check.
 *
 * One allocation and free is not always enough: an allocation that KFENCE
 * samples comes from its pool and gives the CPU no magazine (the slow path
 * samples before it loads one). The next allocation is not sampled (the
 * countdown restarts at the interval), so a second try suffices; a cache
 * with no magazines at all (a debug cache, slab_debug=) just tries a few
 * times.
 */
#ifndef TESTS_KERNEL_KTEST_WARM_H
#define TESTS_KERNEL_KTEST_WARM_H

#include "mm/slab.h"
#include "mm/slab_internal.h"

#define KTEST_WARM_TRIES 4

/* This CPU's magazine of @s. */
static inline void ktest_warm_cache(struct kmem_cache *s)
{
	for (int i = 0; i < KTEST_WARM_TRIES && s->mag[mm_cpu_id()] == &slab_empty_mag; i++)
		kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL));
}

/* This CPU's magazine of the kmalloc class that serves @size bytes. */
static inline void ktest_warm_kmalloc(size_t size)
{
	struct kmem_cache *s = kmalloc_caches[kmalloc_size_index[(size + 7) / 8]];

	for (int i = 0; i < KTEST_WARM_TRIES && s->mag[mm_cpu_id()] == &slab_empty_mag; i++)
		kfree(kmalloc(size, GFP_KERNEL));
}

#endif /* TESTS_KERNEL_KTEST_WARM_H */

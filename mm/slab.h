/* SPDX-License-Identifier: MIT */
/*
 * Object caches and kmalloc, with Linux's names.
 *
 * kmem_cache_*: caches of equal-sized objects, optional constructor.
 * kmalloc/kfree: general allocations served from segregated size classes;
 * requests above KMALLOC_MAX_CACHE_SIZE go straight to the page allocator.
 */
#ifndef MM_SLAB_H
#define MM_SLAB_H

#include "kmm/types.h"
#include "mm/gfp.h"

/* Cache flags */
#define SLAB_HWCACHE_ALIGN 0x0001u /* align objects to the cache line */
#define SLAB_POISON        0x0002u /* P: 0x6b/0xa5 on free, 0x5a uninitialised */
#define SLAB_RED_ZONE      0x0004u /* Z: guard bytes around each object */
#define SLAB_STORE_USER    0x0008u /* U: record who allocated and freed */
#define SLAB_PANIC         0x0010u /* panic if creation fails */
#define SLAB_CONSISTENCY_CHECKS 0x0020u /* F: check on every alloc and free */
#define SLAB_NO_RANDOM     0x0040u /* keep free lists in address order */

struct kmem_cache;

/* Create a cache. Returns NULL on failure (or panics with SLAB_PANIC). */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, unsigned int flags,
				     void (*ctor)(void *));
/*
 * Destroy a cache; live objects are reported by address and leaked. Empties
 * every CPU's magazine without asking that CPU: no other CPU may use @s
 * during the call (or after it: any later use is reported).
 */
void kmem_cache_destroy(struct kmem_cache *s);

/*
 * An object from @s, constructed (the constructor ran once, when its slab
 * was built) but otherwise as the last user left it. NULL when no page can
 * be had; the caller owns the object until kmem_cache_free().
 */
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp);
/* The same, zero-filled. */
void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp);
/*
 * Give @obj back to @s. A pointer that is not a live object of @s (double
 * free, interior pointer, another cache's object) is reported and refused.
 */
void kmem_cache_free(struct kmem_cache *s, void *obj);
/* Allocate @nr objects into @p; returns nr or 0 (none kept) on failure. */
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t gfp, size_t nr, void **p);
void kmem_cache_free_bulk(struct kmem_cache *s, size_t nr, void **p);
/*
 * Return every empty slab to the page allocator; returns pages freed.
 * Empties every CPU's magazine without asking that CPU: the caller must
 * ensure no other CPU allocates from or frees to @s during the call.
 */
int kmem_cache_shrink(struct kmem_cache *s);

/* kmalloc(0) returns this: not NULL, faults if touched, kfree accepts it. */
#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

/* Requests up to this size come from slab caches, larger ones from pages. */
#define KMALLOC_MAX_CACHE_SIZE 8192

/*
 * kmalloc() of a size known at compile time: @slot is (size - 1) / 8, for
 * 1 <= size <= KMALLOC_MAX_CACHE_SIZE; @gfp without zone modifiers. Only the
 * inline kmalloc() below should call it. It takes a slot, not a cache, so
 * no caller can hand it a cache that is not a kmalloc class.
 */
void *__kmalloc_slot(unsigned long slot, gfp_t gfp);
/* kmalloc() for any size. */
void *__kmalloc(size_t size, gfp_t gfp);

/*
 * Allocate @size bytes, naturally aligned if a power of two, else 8-aligned.
 * NULL when memory runs out or @size is above 4 MiB; ZERO_SIZE_PTR for 0.
 * The caller owns the memory until kfree(). A size the compiler knows picks
 * its cache here, as Linux's kmalloc() does; anything else goes through
 * __kmalloc().
 */
static __always_inline void *kmalloc(size_t size, gfp_t gfp)
{
	if (__builtin_constant_p(size) && size && size <= KMALLOC_MAX_CACHE_SIZE &&
	    !(gfp & (__GFP_DMA | __GFP_DMA32)))
		return __kmalloc_slot((size - 1) / 8, gfp);
	return __kmalloc(size, gfp);
}

void *kzalloc(size_t size, gfp_t gfp);
void *kcalloc(size_t n, size_t size, gfp_t gfp);
void *krealloc(const void *p, size_t new_size, gfp_t gfp);
void kfree(const void *p);
/* The usable size of a kmalloc'd object (>= what was asked for). */
size_t ksize(const void *p);

/*
 * Validate every slab, free list, counter, red zone and poison byte of @s,
 * and every CPU's magazine (double frees included), repairing what it can.
 * Returns the number of errors found (each is reported). 0 means healthy.
 * Reads and repairs other CPUs' magazines without asking them: the caller
 * must ensure no other CPU uses @s during the call.
 */
int slab_check(struct kmem_cache *s);
/* slab_check over every cache: no other CPU may use any cache meanwhile. */
int slab_check_all(void);

/* /proc/slabinfo format, version 2.1. */
void show_slabinfo(void);

/* Set up the kmalloc caches; after mem_init(). */
void kmem_cache_init(void);
/* Has kmem_cache_init() run (may kmalloc and kmem_cache_create be used)? */
bool slab_is_available(void);

/* slab_debug= command-line option, Linux syntax (e.g. "FZPU", "P,kmalloc-64"). */
int slab_debug_setup(const char *arg);
/* Warn about slab_debug= cache names no cache matches; returns how many. */
int slab_debug_check_names(void);
/* slab_nomerge-like switch: slab_random=0 keeps free lists in address order. */
extern bool slab_freelist_random;

#endif /* MM_SLAB_H */

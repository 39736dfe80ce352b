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

/* The cache flags (SLAB_*) are public: include/kmm/kmm.h. */
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
/*
 * Allocate @nr objects into @p, whole magazines at a time; returns nr, or
 * 0 when memory runs out (then none is kept: those taken are freed).
 */
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t gfp, size_t nr, void **p);
/*
 * Free the @nr objects in @p, each checked as by kmem_cache_free(); with
 * @s NULL, each as by kfree() (mixed caches). NULL entries are skipped.
 */
void kmem_cache_free_bulk(struct kmem_cache *s, size_t nr, void **p);
/* kfree_bulk() is in include/kmm/kmm.h. */
/*
 * Return every magazine (the depot's and every CPU's) and every empty slab
 * to the page allocator; returns pages freed. Empties every CPU's magazine
 * without asking that CPU: the caller must ensure no other CPU allocates
 * from or frees to @s during the call.
 */
int kmem_cache_shrink(struct kmem_cache *s);

/*
 * Give back what every cache holds spare: full magazines in the depots
 * (their objects go back to their slabs) and every empty slab. The page
 * allocator calls it before it fails an allocation. Only trylocks, never
 * touches a CPU's own magazines: safe on any CPU, in any context, under
 * any slab lock. Returns pages freed.
 */
unsigned long slab_reclaim(void);

#define KMALLOC_MAX_CACHE_SIZE KMM_KMALLOC_MAX_CACHE_SIZE

/*
 * kmalloc() of a size known at compile time: @slot is (size - 1) / 8, for
 * 1 <= size <= KMALLOC_MAX_CACHE_SIZE; @gfp without zone modifiers. Only the
 * inline kmalloc() below should call it. It takes a slot, not a cache, so
 * no caller can hand it a cache that is not a kmalloc class. @size is the
 * request itself, read only on the slow path (a debug cache records it).
 */
void *__kmalloc_slot(unsigned long slot, gfp_t gfp, unsigned long size);
/* kmalloc() for any size. */
void *__kmalloc(size_t size, gfp_t gfp);

/* kmalloc() itself is inline, in include/kmm/kmm.h. */
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

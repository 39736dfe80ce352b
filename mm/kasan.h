/* SPDX-License-Identifier: MIT */
/*
 * KASAN, generic mode: the allocators' hooks into the shadow-memory
 * checker of the `make KASAN=1` build (mm/kasan/, theory of operation in
 * mm/kasan/shadow.c). In every other build each hook is an empty inline
 * that hands its argument back, so a call site costs nothing.
 *
 * Hook contract, per allocator:
 *   slab       kasan_slab_alloc() on every object handed out (with the size
 *              the caller asked for), kasan_slab_free() before every free:
 *              true means KASAN took the object (quarantine, or a reported
 *              double free) and the allocator must not free it now.
 *              kasan_poison_slab() on a new slab, kasan_cache_shrink()
 *              before a cache is shrunk or destroyed.
 *   pages      kasan_alloc_pages() on every block handed out,
 *              kasan_free_pages() before every free, kasan_free_init() on
 *              memory entering the buddy allocator at boot.
 *   kmalloc    kasan_kmalloc_large() on a large kmalloc (the tail after the
 *              requested size becomes a red zone), kasan_kfree() as
 *              kasan_slab_free() for a pointer of unknown cache;
 *              kasan_krealloc() when krealloc() resizes in place and
 *              kasan_ksize() in ksize() (the caller may use all of it).
 *   vmalloc    kasan_vmalloc() once an area is mapped: NULL when no memory
 *              was left for its shadow, and vmalloc must then fail (unmap
 *              and free the area), as Linux's does when
 *              kasan_populate_vmalloc() fails; kasan_vfree() before it is
 *              unmapped.
 */
#ifndef MM_KASAN_H
#define MM_KASAN_H

#include "kmm/types.h"

struct kmem_cache;
struct page;

#ifdef KMM_KASAN

/* Map the shadow of RAM (memblock) and start checking. After paging_init. */
void kasan_init(void);
/* Reports printed since boot. */
unsigned long kasan_report_count(void);
/* Free every quarantined object now (tests that count slabs want this). */
void kasan_quarantine_flush(void);
/*
 * No reports on this CPU until the matching enable, and frees go straight
 * to the allocator: for tests of the allocators' own misuse checks, which
 * damage memory on purpose (Linux's slub_kunit does the same). Nests.
 */
void kasan_disable_current(void);
void kasan_enable_current(void);

void *kasan_slab_alloc(struct kmem_cache *s, void *obj, size_t size,
		       unsigned long caller);
bool kasan_slab_free(struct kmem_cache *s, void *obj, unsigned long caller);
bool kasan_kfree(const void *obj, unsigned long caller);
void kasan_poison_slab(struct kmem_cache *s, struct page *head);
void kasan_cache_shrink(struct kmem_cache *s);
void *kasan_kmalloc_large(void *p, size_t size, unsigned long caller);
void *kasan_krealloc(const void *p, size_t size, unsigned long caller);
size_t kasan_ksize(const void *p, size_t size);
struct page *kasan_alloc_pages(struct page *page, unsigned int order);
void kasan_free_pages(struct page *page, unsigned int order);
void kasan_free_init(struct page *page, unsigned int order);
void *kasan_vmalloc(void *addr, size_t size, size_t area_size, unsigned long caller);
void kasan_vfree(const void *addr, size_t area_size, unsigned long caller);

#else

/* KASAN off: every hook does nothing, and its arguments go unused. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
static inline void kasan_init(void) {}
static inline unsigned long kasan_report_count(void) { return 0; }
static inline void kasan_quarantine_flush(void) {}
static inline void kasan_disable_current(void) {}
static inline void kasan_enable_current(void) {}
static inline void *kasan_slab_alloc(struct kmem_cache *s, void *obj,
				     size_t size, unsigned long caller)
{
	return obj;
}
static inline bool kasan_slab_free(struct kmem_cache *s, void *obj,
				   unsigned long caller)
{
	return false;
}
static inline bool kasan_kfree(const void *obj, unsigned long caller)
{
	return false;
}
static inline void kasan_poison_slab(struct kmem_cache *s, struct page *head) {}
static inline void kasan_cache_shrink(struct kmem_cache *s) {}
static inline void *kasan_kmalloc_large(void *p, size_t size, unsigned long caller)
{
	return p;
}
static inline void *kasan_krealloc(const void *p, size_t size, unsigned long caller)
{
	return (void *)p;
}
static inline size_t kasan_ksize(const void *p, size_t size)
{
	return size;
}
static inline struct page *kasan_alloc_pages(struct page *page, unsigned int order)
{
	return page;
}
static inline void kasan_free_pages(struct page *page, unsigned int order) {}
static inline void kasan_free_init(struct page *page, unsigned int order) {}
static inline void *kasan_vmalloc(void *addr, size_t size, size_t area_size,
				  unsigned long caller)
{
	return addr;
}
static inline void kasan_vfree(const void *addr, size_t area_size,
			       unsigned long caller) {}
#pragma GCC diagnostic pop
#endif /* KMM_KASAN */

#endif /* MM_KASAN_H */

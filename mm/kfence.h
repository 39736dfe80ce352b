/* SPDX-License-Identifier: MIT */
/*
 * KFENCE: a sampling guard-page detector for slab objects, on by default.
 * The behaviour is Linux's (Documentation/dev-tools/kfence.rst); the code is
 * kmm's own. Theory of operation at the top of mm/kfence.c.
 */
#ifndef MM_KFENCE_H
#define MM_KFENCE_H

#include "kmm/types.h"
#include "mm/port.h"
#include "mm/gfp.h"

struct kmem_cache;

/* Every this many allocations on a CPU, one is served from the pool. */
#define KFENCE_DEFAULT_SAMPLE_INTERVAL 10000

/*
 * kfence.sample_interval=N: sample one allocation in every N on each CPU;
 * 0 disables KFENCE (no pool is set up). Before kfence_init(). 0 or -EINVAL.
 */
int kfence_sample_interval_setup(const char *arg);
/* The interval in force (0: disabled). */
unsigned int kfence_sample_interval(void);

/* Set up the pool; after kmem_cache_init(). Prints what it did. */
void kfence_init(void);

/* Is the pool set up (KFENCE enabled at boot)? */
bool kfence_enabled(void);

#ifdef MM_KFENCE_POOL_START
extern bool kfence_pool_ready;

/* Is @addr inside the KFENCE pool (guard pages included)? */
static __always_inline bool is_kfence_address(const void *addr)
{
	return (unsigned long)addr - MM_KFENCE_POOL_START < MM_KFENCE_POOL_SIZE &&
	       kfence_pool_ready;
}
#else
static __always_inline bool is_kfence_address(const void *addr)
{
	(void)addr;
	return false;
}
#endif

/*
 * Hooks for the slab allocator's slow paths (mm/slab.c, mm/kmalloc.c).
 *
 * kfence_alloc: counts this allocation; when it is the one to sample and
 * @s can be sampled, an object of @s from the pool, else NULL (allocate as
 * usual). kfence_free: free a pool object (is_kfence_address() was true);
 * @s is the cache kmem_cache_free() named, NULL for kfree. Misuse is
 * reported. kfence_ksize: the size of a live pool object, 0 (reported)
 * for any other pool address.
 */
extern unsigned int kfence_countdown_limit;
void *__kfence_alloc(struct kmem_cache *s, gfp_t gfp, unsigned long caller);

/*
 * The slow path's share of the count: the fast path took its decrement
 * already and came here when it reached 0, which this decrement turns into
 * a value above any interval; a CPU that never counted starts there too.
 * kfence_countdown_limit is the interval (KFENCE_IDLE_PERIOD in kfence.c
 * while KFENCE is off), and 0 while failslab= may inject: then every slow
 * path counts in __kfence_alloc() (see kfence.c).
 */
static __always_inline void *kfence_alloc(struct kmem_cache *s, gfp_t gfp,
					  unsigned long caller)
{
	if (likely(!mm_cpu_countdown_dec() &&
		   mm_cpu_countdown_read() <= kfence_countdown_limit))
		return NULL;
	return __kfence_alloc(s, gfp, caller);
}

/*
 * failslab= started or stopped injecting (mm/fault_inject.c), or failed an
 * allocation on this CPU (mm/slab.c): while it may inject, this CPU's
 * countdown sends every allocation to the slow path. Interrupts off.
 */
void kfence_failslab_changed(void);

void kfence_free(struct kmem_cache *s, const void *addr, unsigned long caller);
size_t kfence_ksize(const void *addr, unsigned long caller);
/* kmem_cache_destroy(@s): pool objects of @s forget it (live ones are reported). */
void kfence_shutdown_cache(struct kmem_cache *s);

/*
 * The page-fault hook: a fault at @addr in the pool (a guard page, a freed
 * or unused object) is reported, the page made accessible, and true
 * returned: the faulting access may be retried. False for any other
 * address. @ip and @bp are the faulting instruction and its frame pointer,
 * for the report's call chain.
 */
bool kfence_handle_page_fault(unsigned long addr, bool is_write,
			      unsigned long ip, unsigned long bp);

struct kfence_stats {
	bool enabled;
	unsigned long allocated;      /* pool objects in use now */
	unsigned long total_allocs;   /* allocations served from the pool */
	unsigned long total_frees;
	unsigned long bugs;           /* reports printed */
	unsigned long skipped_incompatible; /* sampled, but the cache cannot be */
	unsigned long skipped_capacity;     /* sampled, but the pool was full */
};

void kfence_get_stats(struct kfence_stats *st);
/* The statistics in the shape of Linux's /sys/kernel/debug/kfence/stats. */
void kfence_show_stats(void);

/* Where kfence_sample_next() puts the object in its page. */
enum kfence_placement {
	KFENCE_PLACE_RANDOM,
	KFENCE_PLACE_LEFT,  /* at the start: the guard page before it */
	KFENCE_PLACE_RIGHT, /* at the end: the guard page right after it */
};

/*
 * For tests: make the next allocation on this CPU (whatever its cache)
 * come from the pool, placed as @where. False when KFENCE is disabled.
 * The caller keeps interrupts from allocating in between if it must be
 * sure to get that allocation.
 */
bool kfence_sample_next(enum kfence_placement where);

/* The pool object holding @addr: its index (kfence-#N), or -1. */
int kfence_object_index(const void *addr);

#endif /* MM_KFENCE_H */

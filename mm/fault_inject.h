/* SPDX-License-Identifier: MIT */
/*
 * Fault injection for the allocators, as Linux has it
 * (Documentation/fault-injection): failslab= makes kmem_cache_alloc() and
 * kmalloc() fail, fail_page_alloc= makes alloc_pages() fail, so that every
 * caller's error path gets run. Both take
 *
 *     <interval>,<probability>,<space>,<times>
 *
 *   interval     fail at most every interval-th eligible call (0 or 1: any)
 *   probability  percent of the remaining calls that fail, 0 .. 100
 *   space        let this much through before failing: bytes of object
 *                size (failslab) or pages (fail_page_alloc), as in Linux
 *   times        failures to inject at most; -1: no limit
 *
 * A call with __GFP_NOFAIL is never failed; one with __GFP_NOWARN fails
 * silently, any other prints "FAULT_INJECTION: forcing a failure." with
 * the attributes and the caller (the first FAULT_REPORTS_MAX times per
 * capability). An injected page failure prints no "page allocation
 * failure" report (Linux fails those before the allocator runs).
 *
 * Exempt: allocations of struct kmem_cache itself (Linux exempts its
 * kmem_cache too); boot, until fault_inject_start(), which kmain calls
 * just before the self-tests. fail_page_alloc_min_order=N (Linux's
 * debugfs min-order) exempts smaller orders; Linux's ignore-gfp-wait and
 * ignore-gfp-highmem have no counterpart: nothing here sleeps and there is
 * no highmem, so every allocation is eligible.
 */
#ifndef MM_FAULT_INJECT_H
#define MM_FAULT_INJECT_H

#include "mm/gfp.h"

struct kmem_cache;

struct fault_config {
	unsigned long interval;
	unsigned long probability; /* percent */
	long space;                /* counts down as calls go through */
	long times;                /* counts down as failures are injected */
};

struct fault_attr {
	const char *name;
	bool *active;             /* the fast paths' flag this attribute drives */
	mm_spinlock_t lock;       /* everything below */
	struct fault_config cfg;
	bool configured;          /* cfg holds a valid setting */
	unsigned long count;      /* eligible calls past space, for interval */
	unsigned long injected;   /* failures injected */
	unsigned int reports;     /* FAULT_INJECTION reports printed */
	u64 rnd;                  /* xorshift64* state for probability */
};

#define FAULT_REPORTS_MAX 10
#define FAULT_NOWARN 0x1

extern struct fault_attr failslab_attr, fail_page_alloc_attr;
extern unsigned int fail_page_alloc_min_order;

/*
 * True while the capability may inject (started, probability > 0, times not
 * used up). Off, the fast paths run as without fault injection; on, every
 * allocation takes its slow path, which asks should_fail_*(). The page
 * allocator's fast path compares fail_page_alloc_active; the slab's reads
 * no flag: failslab_active holds KFENCE's countdown at 1 (mm/kfence.c).
 */
extern bool failslab_active, fail_page_alloc_active;

/*
 * Should this call fail? @size counts against space; @flags FAULT_NOWARN
 * keeps it quiet. Counts the failure.
 */
bool should_fail_ex(struct fault_attr *attr, long size, int flags,
		    unsigned long caller);
bool should_fail_alloc_page(gfp_t gfp, unsigned int order, unsigned long caller);
bool should_failslab(struct kmem_cache *s, gfp_t gfp, unsigned long caller);

/*
 * Parse "<interval>,<probability>,<space>,<times>" into @c: 0, or -EINVAL
 * with the reason in @why.
 */
int fault_config_parse(const char *str, struct fault_config *c, char *why,
		       size_t len);

/*
 * The command-line handler: configure @attr from @str, or warn naming the
 * option and leave @attr off. 0 or -EINVAL.
 */
int setup_fault_attr(struct fault_attr *attr, const char *str);

/* fail_page_alloc_min_order=: 0 .. MAX_PAGE_ORDER, or a warning and -EINVAL. */
int setup_fail_page_alloc_min_order(const char *str);

/*
 * Replace @attr's setting (NULL: unconfigured, off) and reset its counters;
 * @seed drives the probability. For tests and the command line.
 */
void fault_attr_set(struct fault_attr *attr, const struct fault_config *c,
		    u64 seed);
/* @attr's live setting (space and times as they have counted down). */
struct fault_config fault_attr_get(struct fault_attr *attr);
/* Print @attr as Linux's debugfs would show it, with its counters. */
void fault_attr_show(struct fault_attr *attr);

/* Let configured capabilities inject (kmain, before the self-tests) or stop them. */
void fault_inject_start(void);
void fault_inject_stop(void);

#endif /* MM_FAULT_INJECT_H */

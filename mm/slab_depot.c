// SPDX-License-Identifier: MIT
/*
 * The depot: whole magazines between the per-CPU layer and the slabs
 * (Bonwick and Adams, "Magazines and Vmem", USENIX 2001).
 *
 * Theory of operation
 * -------------------
 * Each CPU holds two magazines of a cache: the loaded one (s->mag[cpu]),
 * which the fast paths in slab_internal.h pop and push without a lock, and
 * the previous one (s->prev[cpu]), full or empty, touched only by the slow
 * paths. Under them, the cache keeps a depot of magazines: a stack of full
 * ones per memory node (a CPU gives and takes only its own node's, so that
 * magazines hold their CPU's node's objects: slab_node.c) and a stack of
 * empty ones, linked through the magazines themselves (m->next overlays
 * m->last, which no magazine in a depot uses).
 *
 *   CPU 0: mag[0] [o o o . .]  prev[0] [o o o o o]   ... CPU n
 *                   \ fast paths         | slow paths, s->lock held
 *                                        v
 *   depot:  depot_full[nid] -> [ooooo] -> NULL  (all nodes': at most depot_max_full)
 *           depot_empty -> [.....] -> NULL
 *                                        |  only when the depot has
 *                                        v  nothing to give or no room
 *   slabs:  partial, empty, full (slab.c: refill and flush, validated)
 *
 * When the loaded magazine is empty (allocation) or full (free), the fast
 * path's miss call (slab_alloc_miss(), slab_free_full() in slab.c: the
 * object already checked, interrupts off), under the cache lock, moves a
 * whole magazine's worth of objects at once: from the previous magazine if it is full (allocation), into it if
 * it is empty (free), else from a full magazine of the depot or into an
 * empty one that joins the depot's full ones. So a run of allocations or
 * frees longer than a magazine takes the lock once per magazine and never
 * touches a slab, as long as the depot can serve. When it cannot (no full
 * magazine to allocate from; the depot holds depot_max_full full ones
 * already when freeing), slab.c refills or flushes the loaded magazine
 * against the slabs as it did before the depot existed, with every
 * object's free pointer decoded and checked.
 *
 * The loaded magazine itself never moves: its objects are copied (up to
 * SLAB_MAG_MAX pointers, one memcpy per magazine of operations), and
 * s->mag[cpu] keeps naming the same magazine from the CPU's first use
 * until a shrink or destroy. That is what kfree's hint (slab_kmalloc_mag())
 * needs: the magazine it names never leaves its CPU, so no other CPU ever
 * loads it while a kfree() here pushes into it. The previous magazine and
 * the depot's are never named by the hint, so kmem_cache_shrink() may free
 * them even for kmalloc caches, and a cache holds, after a shrink, exactly
 * the loaded magazines it held before.
 *
 * Sizes. A magazine's capacity (m->limit, at most SLAB_MAG_MAX) comes from
 * the object size (slab_cache.c, slab_mag_sizes[]). It grows under
 * contention, as in the paper: each slow path that finds the cache lock
 * taken counts, and every SLAB_DEPOT_GROW_AFTER of them double the
 * capacity of the magazines the cache hands out from then on (up to
 * SLAB_MAG_MAX slots; a magazine picks up the new capacity when objects
 * next move into it). The depot keeps at most depot_max_full full
 * magazines: for objects up to SLAB_DEPOT_SMALL bytes, about
 * SLAB_DEPOT_BYTES of objects, at least 4 and at most SLAB_DEPOT_MAX_FULL
 * magazines; for larger ones about SLAB_DEPOT_BIG_BYTES, at least one
 * (slab_depot_init()).
 *
 * Giving memory back:
 *  - kmem_cache_shrink() (slab_depot_release()) empties every magazine,
 *    the depot's and every CPU's, into the slabs; frees the depot's
 *    magazines, every previous one and, except for kmalloc caches (the
 *    hint), every loaded one, so that the cache holds nothing but what its
 *    users hold; then returns the empty slabs of the magazine cache. It
 *    touches other CPUs' magazines: the caller guarantees that no other
 *    CPU uses the cache meanwhile (as before the depot).
 *  - slab_reclaim(), which the page allocator calls before it fails an
 *    allocation, flushes every cache's full depot magazines into the
 *    slabs and returns every empty slab. It never touches a CPU's
 *    magazines, only what the cache lock guards, so it is safe on any CPU
 *    at any time; it only trylocks, so that it may run under any cache
 *    lock (a slab growing calls alloc_pages with its cache locked) and
 *    simply skips a cache whose lock is taken.
 *
 * Hardening: a magazine in the depot, or the previous one, names no last
 * object (every move clears it, and the loaded magazine's too when it fills), so
 * the unchecked free shortcut only ever applies to the loaded magazine
 * with room in it. Objects move between CPUs inside whole magazines
 * without their free pointers being read: a double free whose two copies
 * both sit in magazines is caught only where it was before, when a copy
 * meets the slabs (flush) or slab_check(); see "Double free" in slab.c.
 *
 * Locking: s->lock guards prev[], the depot and its counters. Lock order:
 * s->lock -> slab_magazine_cache.lock (a new empty magazine is allocated
 * with s->lock held); slab_reclaim() takes locks only by trylock.
 */
#include "mm/slab.h"
#include "mm/slab_internal.h"
#include "kmm/string.h"

#define SLAB_DEPOT_BYTES      (64u << 10) /* of objects in full magazines */
#define SLAB_DEPOT_MAX_FULL   64
#define SLAB_DEPOT_MIN_FULL   4
#define SLAB_DEPOT_SMALL      128 /* larger objects: SLAB_DEPOT_BIG_BYTES */
#define SLAB_DEPOT_BIG_BYTES  (8u << 10)
#define SLAB_DEPOT_BIG_MIN    1

/*
 * Depot fields of a freshly set up cache; after its magazine size. Up to
 * 128-byte objects the depot keeps 64 KiB of them (17 magazines of
 * kmalloc-64: a 1000-object batch never meets the slabs); larger objects
 * only 8 KiB, but at least one magazine (a contended cache's magazines
 * grow past 8 KiB, and its CPUs still trade through the depot): each full
 * magazine a depot keeps is memory no other cache can use, and a slab
 * round trip costs little next to what a caller does with a 1 KiB object.
 * (The traces' footprint over peak live bytes, against 64 KiB and at
 * least 4 magazines for all: burst 18.4 -> 15.8 %, netbuf 15.0 -> 14.5 %
 * with the slab sizes of slab_cache.c.)
 */
void slab_depot_init(struct kmem_cache *s)
{
	unsigned long per_mag = (unsigned long)s->mag_limit * s->size;

	s->depot_max_full = 0;
	if (per_mag && s->size <= SLAB_DEPOT_SMALL)
		s->depot_max_full = (unsigned int)clamp_ul(SLAB_DEPOT_BYTES / per_mag,
							   SLAB_DEPOT_MIN_FULL,
							   SLAB_DEPOT_MAX_FULL);
	else if (per_mag)
		s->depot_max_full = (unsigned int)clamp_ul(SLAB_DEPOT_BIG_BYTES / per_mag,
							   SLAB_DEPOT_BIG_MIN, SLAB_DEPOT_MAX_FULL);
}

/*
 * Take @s->lock for a slow path, counting contention: enough of it grows
 * the magazines. Interrupts off.
 */
void slab_lock_slow(struct kmem_cache *s)
{
	if (likely(mm_spin_trylock(&s->lock)))
		return;
	mm_spin_lock(&s->lock);
	if (++s->depot_contended < SLAB_DEPOT_GROW_AFTER || !s->mag_limit)
		return;
	s->depot_contended = 0;
	if (s->mag_limit < SLAB_MAG_MAX) {
		s->mag_limit = min(s->mag_limit * 2, (unsigned int)SLAB_MAG_MAX);
		s->mag_batch = s->mag_limit / 2;
		slab_depot_init(s);
	}
}

static void depot_push(struct slab_magazine **stack, unsigned int *nr,
		       struct slab_magazine *m)
{
	m->next = *stack;
	*stack = m;
	(*nr)++;
}

static struct slab_magazine *depot_pop(struct kmem_cache *s,
				       struct slab_magazine **stack,
				       unsigned int *nr)
{
	struct slab_magazine *m = *stack;

	if (!m)
		return NULL;
	*stack = m->next;
	(*nr)--;
	slab_mag_forget_last(m);
	m->limit = s->mag_limit;
	return m;
}

/*
 * Move every object of @src into the empty magazine @dst. Neither's last
 * survives: @dst may now be full, @src is not the loaded magazine.
 */
static void slab_mag_move(struct kmem_cache *s, struct slab_magazine *dst,
			  struct slab_magazine *src)
{
	dst->limit = s->mag_limit;
	slab_mag_forget_last(dst);
	/* A constant size: inlined as a word copy, cheaper than avail-sized memcpy. */
	__builtin_memcpy(&dst->slot[1], &src->slot[1], SLAB_MAG_MAX * sizeof(void *));
	dst->avail = src->avail;
	src->avail = 0;
	slab_mag_forget_last(src);
}

/* A new empty magazine for @s, or NULL. */
static struct slab_magazine *slab_new_magazine(struct kmem_cache *s)
{
	struct slab_magazine *m;

	m = slab_alloc_slow(&slab_magazine_cache, GFP_ATOMIC | __GFP_NOWARN, _RET_IP_);
	if (!m)
		return NULL;
	m->avail = 0;
	m->limit = s->mag_limit;
	m->cookie = s->mag_cookie;
	m->fp_offset = s->fp_offset;
	slab_mag_forget_last(m);
	m->slot[0] = NULL;
	return m;
}

/*
 * This CPU's loaded magazine @m of @s is empty: fill it from the previous
 * magazine, else from a full one of the depot, whose magazine becomes the
 * previous (if there was none) or goes back empty. Returns @m, still empty
 * when neither had objects. Lock held, interrupts off.
 */
struct slab_magazine *slab_depot_get_full(struct kmem_cache *s,
					  struct slab_magazine *m)
{
	unsigned int cpu = mm_cpu_id();
	struct slab_magazine *p = s->prev[cpu], *f;

	m->limit = s->mag_limit; /* empty: growing it is safe; a refill may need it */
	if (p && p->avail) {
		slab_mag_move(s, m, p);
		return m;
	}
	/* This node's: a magazine another node's CPU filled holds its objects. */
	f = depot_pop(s, &s->depot_full[cpu_mem_node[cpu]], &s->nr_depot_full);
	if (!f)
		return m;
	slab_mag_move(s, m, f);
	if (!p)
		s->prev[cpu] = f;
	else
		depot_push(&s->depot_empty, &s->nr_depot_empty, f);
	return m;
}

/*
 * This CPU's loaded magazine @m of @s is full: empty it into the previous
 * magazine if that is empty, else into an empty magazine (the depot's, or
 * a new one) that joins the depot's full ones (or becomes the previous, if
 * there was none). Returns @m, still full when the depot holds as many full
 * magazines as it may or no magazine can be had: then the caller flushes
 * to the slabs. Lock held, interrupts off.
 */
struct slab_magazine *slab_depot_get_empty(struct kmem_cache *s,
					   struct slab_magazine *m)
{
	unsigned int cpu = mm_cpu_id();
	struct slab_magazine *p = s->prev[cpu], *e;

	if (p && !p->avail) {
		slab_mag_move(s, p, m);
		return m;
	}
	if (p && s->nr_depot_full >= s->depot_max_full)
		return m;
	e = depot_pop(s, &s->depot_empty, &s->nr_depot_empty);
	if (!e)
		e = slab_new_magazine(s);
	if (!e)
		return m;
	slab_mag_move(s, e, m);
	if (!p)
		s->prev[cpu] = e;
	else
		depot_push(&s->depot_full[cpu_mem_node[cpu]], &s->nr_depot_full, e);
	return m;
}

/* Give every empty slab of @s, every node's, back to the page allocator. Lock held. */
unsigned long slab_discard_empty_locked(struct kmem_cache *s)
{
	struct page *head, *tmp;
	unsigned long pages = 0;

	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		list_for_each_entry_safe(head, tmp, &s->node[nid].empty, slab_list) {
			pages += 1UL << head->slab_order;
			slab_discard(s, head);
		}
	return pages;
}

/*
 * Empty the depot of @s into the slabs; its magazines go on @*freed to be
 * freed once the lock is dropped. Lock held.
 */
static void slab_depot_empty_locked(struct kmem_cache *s,
				    struct slab_magazine **freed)
{
	struct slab_magazine *m;

	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		while ((m = depot_pop(s, &s->depot_full[nid], &s->nr_depot_full))) {
			slab_flush_locked(s, m, m->avail, _RET_IP_);
			m->next = *freed;
			*freed = m;
		}
	while ((m = depot_pop(s, &s->depot_empty, &s->nr_depot_empty))) {
		m->next = *freed;
		*freed = m;
	}
}

/*
 * Free the magazines on the list @m; then, if @shrink, return the magazine
 * cache's empty slabs. Returns pages freed. No cache lock held.
 */
static unsigned long slab_free_magazines(struct slab_magazine *m, bool shrink)
{
	struct kmem_cache *mc = &slab_magazine_cache;
	unsigned long flags, pages = 0;

	while (m) {
		struct slab_magazine *next = m->next;

		slab_free_slow(mc, m, _RET_IP_);
		m = next;
	}
	if (!shrink)
		return 0;
	flags = mm_irq_save();
	if (mm_spin_trylock(&mc->lock)) {
		pages = slab_discard_empty_locked(mc);
		mm_spin_unlock(&mc->lock);
	}
	mm_irq_restore(flags);
	return pages;
}

/*
 * kmem_cache_shrink()'s part: empty the depot and every CPU's previous
 * magazine into the slabs and free their magazines; free every CPU's
 * loaded magazine too (already emptied by slab_drain_all_magazines())
 * unless @s is a kmalloc cache, whose loaded magazines kfree's hint may
 * name on their CPU. Returns the magazine cache's pages freed. Other CPUs must
 * not use @s meanwhile.
 */
unsigned long slab_depot_release(struct kmem_cache *s)
{
	struct slab_magazine *freed = NULL, *m;
	bool keep_cpu = s->flags & SLAB_KMALLOC;
	unsigned long flags;
	unsigned int cpu;

	if (!s->mag_limit)
		return 0;
	flags = mm_irq_save();
	mm_spin_lock(&s->lock);
	slab_depot_empty_locked(s, &freed);
	for (cpu = 0; cpu < MM_NR_CPUS; cpu++) {
		m = s->prev[cpu];
		if (m) {
			slab_flush_locked(s, m, m->avail, _RET_IP_);
			s->prev[cpu] = NULL;
			m->next = freed;
			freed = m;
		}
		m = s->mag[cpu];
		if (!keep_cpu && m != &slab_empty_mag) {
			slab_flush_locked(s, m, m->avail, _RET_IP_);
			s->mag[cpu] = &slab_empty_mag;
			m->next = freed;
			freed = m;
		}
	}
	mm_spin_unlock(&s->lock);
	mm_irq_restore(flags);
	return slab_free_magazines(freed, true);
}

/*
 * Called by the page allocator before it fails an allocation: flush every
 * cache's full depot magazines into its slabs, return every empty slab
 * and the depots' magazines. Only trylocks; never touches a CPU's own
 * magazines. Returns pages freed.
 */
unsigned long slab_reclaim(void)
{
	struct slab_magazine *freed = NULL;
	struct kmem_cache *s, *mc = &slab_magazine_cache;
	unsigned long flags, pages = 0;
	bool free_mags;

#ifdef MM_SPIN_TRYLOCK_TAKES
	return 0; /* without a real trylock, this could deadlock */
#endif
	if (!slab_is_available())
		return 0;
	flags = mm_irq_save();
	if (!mm_spin_trylock(&slab_caches_lock)) {
		mm_irq_restore(flags);
		return 0;
	}
	/* Held here, the magazine cache lock would make freeing deadlock. */
	free_mags = mm_spin_trylock(&mc->lock);
	if (free_mags)
		mm_spin_unlock(&mc->lock);
	list_for_each_entry(s, &slab_caches, list) {
		if (s == mc || !mm_spin_trylock(&s->lock))
			continue;
		if (free_mags)
			slab_depot_empty_locked(s, &freed);
		pages += slab_discard_empty_locked(s);
		mm_spin_unlock(&s->lock);
	}
	mm_spin_unlock(&slab_caches_lock);
	mm_irq_restore(flags);
	return pages + slab_free_magazines(freed, free_mags);
}

/*
 * Every magazine of @s in turn: each CPU's loaded and previous ones, then
 * the depot's. *@pos starts at 0; *@cpu says whose it is (MM_NR_CPUS: the
 * depot's). NULL at the end. Lock held.
 */
struct slab_magazine *slab_next_magazine(struct kmem_cache *s,
					 unsigned int *pos, unsigned int *cpu)
{
	unsigned int p = (*pos)++, i;
	struct slab_magazine *m;

	for (; p < 2 * MM_NR_CPUS; p = (*pos)++) {
		*cpu = p / 2;
		m = (p & 1) ? s->prev[p / 2] : s->mag[p / 2];
		if (m && m != &slab_empty_mag)
			return m;
	}
	*cpu = MM_NR_CPUS;
	p -= 2 * MM_NR_CPUS;
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		for (m = s->depot_full[nid], i = 0; m && i < p; i++)
			m = m->next;
		if (m)
			return m;
		p -= i;
	}
	for (m = s->depot_empty, i = 0; m && i < p; i++)
		m = m->next;
	return m;
}

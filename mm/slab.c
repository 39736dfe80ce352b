// SPDX-License-Identifier: MIT
/*
 * The slab allocator: caches of equal-sized objects over buddy pages.
 *
 * Theory of operation
 * -------------------
 * A cache (struct kmem_cache) hands out objects of one size. Its memory is
 * a set of slabs; a slab is one naturally aligned buddy block of 2^order
 * pages cut into s->objects slots of s->size bytes (layout of a slot in
 * slab_internal.h). Free objects of a slab are linked through themselves;
 * the head page of the block (PG_slab) holds the slab's state:
 *
 *   struct kmem_cache                          the slab (2^order pages)
 *   +-----------------+                        +------+------+------+----+
 *   | mag[cpu] -------+--> magazine (per CPU)  | obj0 | obj1 | obj2 | .. |
 *   | partial --------+--+  [NULL|o|o|o| ...]  +--^---+--|---+------+----+
 *   | full, empty     |  |                        |      |  free pointers,
 *   | lock            |  |  head struct page      |      |  encoded
 *   +-----------------+  +->  slab_list           |      v
 *                            slab_cache, inuse    |    NULL
 *                            freelist ------------+
 *   tail struct pages:   slab_cache, slab_head -> head page
 *
 * Every page of a slab names its cache, so kmem_cache_free() checks the
 * cache of a pointer with one load; tail pages also point at the head, and
 * because slabs are naturally aligned the slab of a trusted object is found
 * by rounding its pfn down to the slab order. Both are O(1).
 *
 * Two layers serve an allocation:
 *  1. The per-CPU magazine (Bonwick & Adams 2001): an array of object
 *     pointers used as a stack. The fast paths touch only this CPU's
 *     magazine, with interrupts off and no lock; a miss moves mag_batch
 *     objects between the magazine and the slabs under the cache lock, so at
 *     most 1 in mag_batch operations takes the lock. Objects freed on
 *     another CPU of the same node simply enter that CPU's magazine; every
 *     slab operation finds an object's slab from its address, so where an
 *     object was allocated never matters. An object of another node's
 *     memory goes back to its slab instead (slab_node.c). Magazines are
 *     allocated on a CPU's first use (from the magazine cache); until then
 *     mag[cpu] points at the shared empty magazine, whose limit of 0 sends
 *     both fast paths to the slow one. Under the magazines, the depot
 *     (slab_depot.c) keeps each CPU's previous magazine and the cache's
 *     full (per node) and empty ones: a slow path
 *     first moves a whole magazine of objects from or to it, under one
 *     lock hold, and only falls back to the slabs when it cannot.
 *  2. The slabs, kept per node (slab_node.c): this CPU's node's partial
 *     ones first, then an empty one, then a new slab from alloc_pages().
 *     A slab whose last object returns goes on its node's empty list;
 *     beyond SLAB_MIN_EMPTY empty slabs of its node it goes back to the
 *     buddy allocator.
 *     kmem_cache_shrink() returns them all. Objects move between magazine
 *     and slabs in runs: a refill takes as many objects as it needs off one
 *     slab's free list at a time (slab_take_run()), a flush returns each
 *     run of consecutive magazine slots in one slab together
 *     (slab_put_run()). A run costs one struct page lookup and one update
 *     of the slab's counters and list; each object in it still has its
 *     free pointer decoded and checked (below) and rewritten.
 *
 * Debug caches (any of F, Z, P, U) have no magazines: every operation takes
 * the lock and runs the checks in slab_debug.c. That keeps the fast paths
 * free of debug tests.
 *
 * Hardening, always on:
 *  - Free pointers are stored as next ^ s->secret ^ bswap(&stored), and every
 *    decoded pointer must be NULL or an object boundary of the same slab.
 *  - Each new slab's free list visits the objects in a random affine order
 *    (start and step drawn per slab; slab_random=0 or SLAB_NO_RANDOM keeps
 *    address order). It costs no memory, unlike a stored shuffle, at the
 *    price of a weaker permutation.
 *  - Double free. The full check (walk the slab's free list) is O(objects),
 *    far too slow for the fast path, so non-debug caches check cheaply,
 *    at three points:
 *      free (fast path)  the object's mark (slab_marked_free() in
 *                        slab_internal.h): every object in a magazine
 *                        holds the cache's cookie in its free-pointer
 *                        word, so free(a); free(b); free(a) and a second
 *                        free on another CPU are refused at the free; the
 *                        checked path also sends an object whose free
 *                        pointer decodes to NULL or into its own slab to
 *                        the slow path, which refuses it if it reads as
 *                        on the slab's free list (slab_on_free_list()).
 *      flush to a slab   an object whose free pointer already decodes to
 *                        NULL or an object of its slab is on the free list
 *                        (slab_take_run() leaves SLAB_FP_TAKEN in the
 *                        objects it hands out), and one whose slab is no
 *                        longer a slab of the cache was freed with it: both
 *                        are refused. So free(a); free(b); free(a) is
 *                        caught when the second copy of a leaves the
 *                        magazine, whichever CPU's magazine holds it, and
 *                        no free list ever becomes a cycle. Magazines that
 *                        go through the depot reach a slab later (when the
 *                        depot is at its bound, on shrink or reclaim): the
 *                        check is the same, it only runs later.
 *      slab_check()      any object twice in the magazines, or in a
 *                        magazine and on a free list: reported, and the
 *                        extra copy dropped, before anything is flushed.
 *    With F or any other debug flag the free itself walks the free list.
 *  - The free fast path checks that the pointer is in a slab of this cache
 *    (its pfn has a struct page, memory holes have none, and the page
 *    names the cache) and is an object start (one multiply, see
 *    slab_obj_offset(); not the slab's unused tail), so a wrong-cache,
 *    foreign, misaligned or tail pointer never enters a magazine.
 *    The one exception needs no check: the object this CPU's magazine
 *    handed out last (m->last), freed straight back, is one of the cache's
 *    objects by construction. m->last is cleared by any other push and on
 *    every CPU when a slab is discarded, so no pointer into a page the slab
 *    allocator gave back can take the shortcut (slab_free_last() and
 *    slab_discard()); it stays after the shortcut's own push, where the
 *    object's mark refuses a second free, and the shortcut tests for room
 *    itself, so that a write over the mark cannot make it push past the
 *    magazine's end.
 *
 * Cost in the kernel (QEMU -icount, docs/bench-kernel.md, loop included):
 * a kmem_cache pair 55.5 instructions, a kmalloc(64) pair 59.5; the kernel
 * pays pushf/pop/cli and test/jz(/sti) for mm_irq_save/restore but reads
 * the CPU id with one %gs load (vmemmap and the direct map's base are
 * variables, chosen at boot by KASLR). kmem_cache_alloc's fast path is 23
 * instructions and the free of the object just allocated 23 (sti and ret
 * included); kfree of any other object 63, of which 15 are the
 * double-free mark and free-list tests and 23 the pointer checks above
 * (2 more for the NUMA test).
 * With more live objects than a magazine holds (1000 kmalloc(64), then
 * 1000 kfree) whole magazines go through the depot (slab_depot.c), entered
 * straight from the fast paths' miss calls (slab_alloc_miss(),
 * slab_free_full()): 110.4 per alloc + free, most of it kfree's checked
 * path; beyond the depot's bound each object passes through its slab once
 * each way, about 225 on the host.
 *
 * kfree() of the object kmalloc() handed out last on this CPU needs no
 * lookup: kmalloc leaves a per-CPU hint naming the magazine it popped from
 * (slab_kmalloc_mag()), and that magazine's m->last vouches for the
 * pointer. Any other kfree finds the slab's cache in the struct page of the
 * object's page, which says PG_slab (the head) or PG_slab_tail (any other
 * page of a slab: kmalloc-9360's slabs are 16 pages).
 *
 * The life of a cache (geometry, creation, shrinking, destruction, boot)
 * is in slab_cache.c, the checker and debug flags in slab_debug.c.
 *
 * Lock order: slab_caches_lock -> kmem_cache.lock -> zone lock (in
 * alloc_pages). The cache lock is only taken with interrupts off, so
 * interrupt handlers may allocate and free (GFP_ATOMIC).
 *
 * Other CPUs' magazines: a magazine is used by its own CPU only, with
 * interrupts off and no lock, except that kmem_cache_shrink(),
 * kmem_cache_destroy() and slab_check() empty or repair every CPU's
 * magazine from the calling CPU without asking its owner (the port has no
 * cross-CPU call). A magazine in use on another CPU meanwhile is
 * corrupted. So the caller of those three must ensure that no other CPU
 * uses the cache at the same time (docs/porting.md); the fast paths stay
 * lock-free for it.
 *
 * Fault injection (failslab=, mm/fault_inject.c): while it may inject,
 * KFENCE's countdown stays at 1 (mm/kfence.c), so slab_alloc_pop() sends
 * every allocation to the slow path (slab_alloc_miss() passes it on to
 * slab_alloc_sized()), which asks should_failslab() before touching
 * anything, and after an injection puts the countdown back to 1; off, it
 * costs the fast path nothing of its own.
 *
 * Calling contexts: any, including interrupt handlers, once
 * kmem_cache_init() has run. Nothing here sleeps.
 */
#include "mm/slab.h"
#include "mm/slab_internal.h"
#include "mm/kasan.h"
#include "kmm/string.h"
#include "mm/kfence.h"

bool slab_freelist_random = true;

/* avail = limit = 0, slot[0] = NULL: every fast path misses. */
struct slab_magazine slab_empty_mag = { .last = &slab_empty_mag.cookie };

#ifndef KMM_PERCPU_GS_SLOT
struct mm_cpu_slot mm_cpu_slots[MM_NR_CPUS]; /* the port's default (mm/port.h) */
#endif

/* ---- finding the slab of a pointer --------------------------------------- */

/* The head page of the slab holding @obj, or NULL if @obj is in none. */
struct page *slab_lookup(const void *obj)
{
	unsigned long pfn = PHYS_PFN(__pa(obj)), pp, hp, dist;
	struct page *pg, *head;

	if (!pfn_valid(pfn))
		return NULL;
	pg = pfn_to_page(pfn);
	if (PageSlab(pg))
		return pg;
	/* A tail page, if its head pointer is sane; else not a slab at all. */
	pp = (unsigned long)pg;
	hp = (unsigned long)pg->slab_head;
	if (hp >= pp || pp - hp >= (sizeof(struct page) << SLAB_MAX_ORDER) ||
	    (pp - hp) % sizeof(struct page))
		return NULL;
	dist = (pp - hp) / sizeof(struct page);
	if (!pfn_valid(pfn - dist))
		return NULL;
	head = pfn_to_page(pfn - dist);
	if (!PageSlab(head) || dist >= (1UL << head->slab_order) ||
	    pg->slab_cache != head->slab_cache)
		return NULL;
	return head;
}

/* Is @obj an object boundary of slab @head? Sets *@idx when it is. */
bool slab_obj_index(const struct kmem_cache *s, const struct page *head,
		    const void *obj, unsigned int *idx)
{
	unsigned long base = (unsigned long)slab_base(head) + s->offset;
	unsigned long a = (unsigned long)obj;
	unsigned int i;

	if (a < base || a - base >= (unsigned long)s->size * s->objects ||
	    (a - base) % s->size)
		return false;
	i = (unsigned int)((a - base) / s->size);
	*idx = i;
	return true;
}

/* The head page of a trusted object's slab: round its pfn down. */
static struct page *slab_head_of(const struct kmem_cache *s, const void *obj)
{
	unsigned long pfn = PHYS_PFN(__pa_direct(obj));

	return pfn_to_page(pfn & ~((1UL << s->order) - 1));
}

/* ---- slabs ---------------------------------------------------------------- */

void slab_set_state(struct kmem_cache *s, struct page *head,
		    enum slab_state state)
{
	struct kmem_cache_node *n = slab_node_of(s, head);

	if (head->slab_state == state)
		return;
	switch (head->slab_state) {
	case SLAB_STATE_EMPTY:   s->nr_empty--;   n->nr_empty--;   break;
	case SLAB_STATE_PARTIAL: s->nr_partial--; n->nr_partial--; break;
	case SLAB_STATE_FULL:    s->nr_full--;    n->nr_full--;    break;
	default: break;
	}
	if (head->slab_state != SLAB_STATE_NONE)
		list_del(&head->slab_list);
	head->slab_state = (u8)state;
	switch (state) {
	case SLAB_STATE_EMPTY:
		s->nr_empty++;
		n->nr_empty++;
		list_add(&head->slab_list, &n->empty);
		break;
	case SLAB_STATE_PARTIAL:
		s->nr_partial++;
		n->nr_partial++;
		list_add(&head->slab_list, &n->partial);
		break;
	case SLAB_STATE_FULL:
		s->nr_full++;
		n->nr_full++;
		list_add(&head->slab_list, &n->full);
		break;
	default:
		break;
	}
}

/* The list a slab belongs on, from its in-use count. */
enum slab_state slab_expected_state(const struct page *head)
{
	if (head->inuse == 0)
		return SLAB_STATE_EMPTY;
	return head->inuse >= head->objects ? SLAB_STATE_FULL : SLAB_STATE_PARTIAL;
}

static unsigned int gcd(unsigned int a, unsigned int b)
{
	while (b) {
		unsigned int t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* Link every object of a new slab: address order, or i -> start + i*step. */
static void slab_build_freelist(struct kmem_cache *s, struct page *head)
{
	unsigned int n = s->objects, idx = 0, step = 1, k;
	void *base = slab_base(head), *obj, *first = NULL, *last = NULL;

	if (slab_freelist_random && !(s->flags & SLAB_NO_RANDOM) && n > 2) {
		u64 r = mm_random_u64();

		idx = (unsigned int)(r % n);
		step = 1 + (unsigned int)((r >> 32) % (n - 1));
		while (gcd(step, n) != 1)
			step = step + 1 < n ? step + 1 : 1;
	}
	for (k = 0; k < n; k++) {
		obj = slab_object(s, base, idx);
		if (last)
			slab_set_fp(s, last, obj);
		else
			first = obj;
		last = obj;
		idx += step;
		if (idx >= n)
			idx -= n;
	}
	slab_set_fp(s, last, NULL);
	head->freelist = first;
}

/*
 * Allocate and format a slab, of node @nid's memory only unless @nid is
 * NUMA_NO_NODE (then this CPU's node first); it starts on the empty list.
 * Lock held.
 */
struct page *slab_new(struct kmem_cache *s, gfp_t gfp, int nid)
{
	unsigned int i, npages = 1U << s->order;
	struct page *head;
	void *base;

	gfp &= ~(__GFP_ZERO | __GFP_DMA | __GFP_DMA32);
	if (nid == NUMA_NO_NODE)
		head = alloc_pages(gfp & ~__GFP_THISNODE, s->order);
	else
		head = alloc_pages_node(nid, gfp | __GFP_THISNODE | __GFP_NOWARN,
					s->order);
	if (!head)
		return NULL;
	for (i = 1; i < npages; i++) {
		head[i].slab_cache = s;
		head[i].slab_head = head;
		page_set_flag(&head[i], PG_slab_tail); /* kfree's fast path trusts it */
	}
	head->slab_cache = s;
	head->inuse = 0;
	head->objects = s->objects;
	head->slab_order = s->order;
	head->slab_state = SLAB_STATE_NONE;
	page_set_flag(head, PG_slab);

	base = slab_base(head);
	if (slab_is_debug(s))
		slab_debug_init_slab(s, head);
	if (s->ctor)
		for (i = 0; i < s->objects; i++)
			s->ctor(slab_object(s, base, i));
	kasan_poison_slab(s, head);
	slab_build_freelist(s, head);
	s->nr_slabs++;
	s->free_objects += s->objects;
	slab_set_state(s, head, SLAB_STATE_EMPTY);
	return head;
}

/*
 * Give an empty slab back to the page allocator. Lock held.
 *
 * Every CPU's magazine forgets its last object first: that object is
 * owned by a caller, so it is not in this slab, unless the caller already
 * freed it elsewhere; then a second free must not slip, unchecked, into a
 * magazine while the page goes back to the buddy. A remote CPU may be
 * setting its own m->last meanwhile; either value is safe, and only
 * a double free racing with this discard could still get through, as it
 * could through the pointer checks.
 */
void slab_discard(struct kmem_cache *s, struct page *head)
{
	unsigned int i, order = head->slab_order, npages = 1U << order;

	for (i = 0; i < MM_NR_CPUS; i++)
		if (s->mag[i] != &slab_empty_mag)
			WRITE_ONCE(s->mag[i]->last, slab_mag_no_last(s->mag[i]));
	slab_set_state(s, head, SLAB_STATE_NONE);
	s->nr_slabs--;
	s->free_objects -= head->objects;
	for (i = 1; i < npages; i++) {
		page_clear_flag(&head[i], PG_slab_tail);
		head[i].slab_cache = NULL;
		head[i].slab_head = NULL;
	}
	page_clear_flag(head, PG_slab);
	head->slab_cache = NULL;
	head->freelist = NULL;
	head->slab_list.next = head->slab_list.prev = NULL;
	head->inuse = 0;
	head->objects = 0;
	head->slab_order = 0;
	head->slab_state = 0;
	__free_pages(head, order);
}

/*
 * Cut a slab's free list after @last (NULL: empty it) because a pointer in
 * it cannot be trusted. Objects no longer reachable are leaked as in use.
 */
void slab_truncate_freelist(struct kmem_cache *s, struct page *head,
			    void *last, unsigned int nfree)
{
	if (last)
		slab_set_fp(s, last, NULL);
	else
		head->freelist = NULL;
	slab_set_nfree(s, head, nfree);
}

/* Believe the free list: @nfree objects are free. Fixes counters and list. */
void slab_set_nfree(struct kmem_cache *s, struct page *head, unsigned int nfree)
{
	unsigned int old_free = head->objects - head->inuse;

	head->inuse = head->objects - nfree;
	s->free_objects = s->free_objects - old_free + nfree;
	slab_set_state(s, head, slab_expected_state(head));
}

/*
 * What the batch paths need to decode and check a slab's free pointers,
 * read once into locals: their stores through free pointers could alias
 * the cache's fields, which the compiler would then load per object.
 */
struct slab_fp_key {
	unsigned long secret, base, used, fp_offset;
	u64 div_magic, obj_bound;
};

static __always_inline struct slab_fp_key slab_fp_key(const struct kmem_cache *s,
						     const struct page *head)
{
	return (struct slab_fp_key){
		.secret = s->secret,
		.base = (unsigned long)slab_base(head) + s->offset,
		.used = s->used,
		.fp_offset = s->fp_offset,
		.div_magic = s->div_magic,
		.obj_bound = s->obj_bound,
	};
}

/*
 * Does a free pointer that decodes to @next read as one on a free list of
 * the slab of @k: NULL or an object of that slab (slab_obj_offset())?
 * Every pointer taken off a list must; an object taken off carries
 * SLAB_FP_TAKEN instead until its user writes over it, and a user's data
 * reads as free only by chance (the secret is random): about
 * objects / 2^64.
 */
static __always_inline bool slab_fp_says_free(const struct slab_fp_key *k,
					      unsigned long next)
{
	unsigned long off = next - k->base;

	return !next || (off < k->used && off * k->div_magic < k->obj_bound);
}

/*
 * The slab the next refill takes from: one of this CPU's memory node's
 * lists (partial, then empty), else a new slab; NULL when memory runs out.
 * With several nodes the new slab is of this node's memory only, and when
 * the node has none the nearest node's slabs serve (slab_node.c). Lock
 * held.
 */
static struct page *slab_next_source(struct kmem_cache *s, gfp_t gfp)
{
	int nid = cpu_mem_node[mm_cpu_id()];
	struct page *head = slab_node_get(s, nid);

	if (head)
		return head;
	if (unlikely(nr_memory_nodes > 1))
		return slab_node_fallback(s, gfp, nid);
	return slab_new(s, gfp, NUMA_NO_NODE);
}

/*
 * Take up to @nr objects off slab @head's free list into @dst[0..], in
 * list order; returns how many (at least one: the list is not empty).
 * Each object's free pointer is decoded once, checked to be NULL or an
 * object of the same slab, and replaced by SLAB_FP_TAKEN; the slab's
 * counters and list move once per call. A corrupt pointer is reported and
 * cuts the list there: the objects after it are leaked as in use. Lock held.
 */
static unsigned int slab_take_run(struct kmem_cache *s, struct page *head,
				  void **dst, unsigned int nr, bool to_mag,
				  unsigned long caller)
{
	unsigned int n = 0, nfree = head->objects - head->inuse;
	void *obj = head->freelist, *next;
	const struct slab_fp_key k = slab_fp_key(s, head);

	if (nr > nfree)
		nr = nfree;
	do {
		void **where = (void **)((char *)obj + k.fp_offset);
		unsigned long key = k.secret ^ __builtin_bswap64((unsigned long)where);

		next = (void *)((unsigned long)*where ^ key);
		/* No longer reads as free; in a magazine, carries its mark. */
		*where = to_mag ? (void *)(unsigned long)s->mag_cookie :
				  (void *)((unsigned long)SLAB_FP_TAKEN ^ key);
		dst[n++] = obj;
		if (unlikely(!slab_fp_says_free(&k, (unsigned long)next))) {
			slab_bug(s, obj, s->fp_offset, caller,
				 "Freepointer corrupt (0x%lx)", (unsigned long)next);
			head->freelist = NULL;
			head->inuse += n;
			s->free_objects -= n;
			slab_set_nfree(s, head, 0);
			return n;
		}
		obj = next;
	} while (n < nr && obj);
	head->freelist = obj;
	head->inuse += n;
	s->free_objects -= n;
	slab_set_state(s, head, slab_expected_state(head));
	return n;
}

/* Take one object off the slabs, growing the cache if needed. Lock held. */
static void *slab_take_object(struct kmem_cache *s, gfp_t gfp,
			      unsigned long caller)
{
	struct page *head = slab_next_source(s, gfp);
	void *obj;

	if (!head)
		return NULL;
	slab_take_run(s, head, &obj, 1, false, caller);
	return obj;
}

/*
 * Return the objects @src[0..], as long as they lie in slab @head and at
 * most @nr of them, to its free list; returns how many it went through.
 * Each is refused, as already free, when its free pointer reads as free
 * (slab_fp_says_free(): on this list, an earlier copy in this run
 * included) or when nothing of the slab is in use. The free pointer is
 * decoded and rewritten with one key per object; the slab's counters and
 * list move once per call, and an emptied slab beyond the reserve goes
 * back to the page allocator. Lock held.
 */
static unsigned int slab_put_run(struct kmem_cache *s, struct page *head,
				 void *const *src, unsigned int nr, bool from_mag,
				 unsigned long caller)
{
	const struct slab_fp_key k = slab_fp_key(s, head);
	unsigned int inuse = head->inuse, n;
	void *list = head->freelist;

	for (n = 0; n < nr; n++) {
		void *obj = src[n];
		void **where = (void **)((char *)obj + k.fp_offset);
		unsigned long key, next;

		/* @src holds object starts: one outside these is in another slab. */
		if ((unsigned long)obj - k.base >= k.used)
			break;
		key = k.secret ^ __builtin_bswap64((unsigned long)where);
		next = (unsigned long)*where ^ key;
		/*
		 * From a magazine, the object must carry the magazine mark: a
		 * second copy finds the free pointer its first copy left.
		 */
		if (unlikely(!inuse || (from_mag ? *(unsigned long *)where != s->mag_cookie :
					slab_fp_says_free(&k, next)))) {
			slab_bug(s, obj, 0, caller, "Object already free");
			continue;
		}
		*where = (void *)((unsigned long)list ^ key);
		list = obj;
		inuse--;
	}
	head->freelist = list;
	s->free_objects += head->inuse - inuse;
	head->inuse = inuse;
	if (inuse == 0 && slab_node_of(s, head)->nr_empty >= SLAB_MIN_EMPTY)
		slab_discard(s, head);
	else
		slab_set_state(s, head, slab_expected_state(head));
	return n;
}

/* ---- magazines ------------------------------------------------------------ */

/* This CPU's magazine, installing one on first use. Interrupts off. */
static struct slab_magazine *slab_cpu_magazine(struct kmem_cache *s)
{
	unsigned int cpu = mm_cpu_id();
	struct slab_magazine *m = s->mag[cpu];

	if (likely(m != &slab_empty_mag) || !s->mag_limit)
		return m;
	m = slab_alloc_slow(&slab_magazine_cache, GFP_ATOMIC | __GFP_NOWARN, _RET_IP_);
	if (!m)
		return &slab_empty_mag;
	m->avail = 0;
	m->limit = s->mag_limit;
	m->cookie = s->mag_cookie;
	m->fp_offset = s->fp_offset;
	slab_mag_forget_last(m);
	m->slot[0] = NULL;
	s->mag[cpu] = m;
	return m;
}

/*
 * Move the @nr oldest objects of @m back to their slabs. Lock held.
 *
 * Consecutive objects of one slab (the common case: objects allocated
 * together are freed together) form a run that costs one struct page
 * lookup and one list update (slab_put_run()).
 *
 * A magazine can hold a double free the push could not see: a copy below
 * the top, or one in another CPU's magazine. The first copy to reach the
 * slab makes the object read as free (slab_put_run refuses the next), and
 * if it emptied the slab, which then went back to the page allocator, the
 * next copy finds no slab of @s there and is refused as well.
 */
void slab_flush_locked(struct kmem_cache *s, struct slab_magazine *m,
		       unsigned int nr, unsigned long caller)
{
	unsigned int i, n;

	for (i = 1; i <= nr;) {
		void *obj = m->slot[i];
		struct page *head = slab_head_of(s, obj);

		if (unlikely(!PageSlab(head) || head->slab_cache != s)) {
			slab_bug(s, obj, 0, caller,
				 "Object already free (its slab is gone)");
			i++;
			continue;
		}
		n = slab_put_run(s, head, &m->slot[i], nr + 1 - i, true, caller);
		/* The first is in @head's slab: a run is never empty. */
		ASSERT_MSG(n, "slab %s: object %p outside its slab", s->name, obj);
		i += n;
	}
	for (i = nr + 1; i <= m->avail; i++)
		m->slot[i - nr] = m->slot[i];
	m->avail -= nr;
	/* Its last may have gone back to the slab: no shortcut for it now. */
	slab_mag_forget_last(m);
}

/*
 * Empty every CPU's magazine into the slabs. Remote magazines are read
 * without their CPU's cooperation: callers guarantee no concurrent use.
 */
void slab_drain_all_magazines(struct kmem_cache *s)
{
	unsigned long flags;
	unsigned int cpu;

	flags = mm_irq_save();
	mm_spin_lock(&s->lock);
	for (cpu = 0; cpu < MM_NR_CPUS; cpu++)
		if (s->mag[cpu] != &slab_empty_mag)
			slab_flush_locked(s, s->mag[cpu], s->mag[cpu]->avail,
					  _RET_IP_);
	mm_spin_unlock(&s->lock);
	mm_irq_restore(flags);
}

/* ---- slow paths ----------------------------------------------------------- */

/*
 * This CPU's magazine @m of @s is empty: load a full one from the depot
 * (slab_depot.c), else take objects off the slabs; then pop one. NULL when
 * memory runs out. Lock held, interrupts off.
 */
static void *slab_refill_locked(struct kmem_cache *s, struct slab_magazine *m,
				gfp_t gfp, unsigned long caller)
{
	void *obj;

	m = slab_depot_get_full(s, m);
	while (m->avail < s->mag_batch) {
		struct page *head = slab_next_source(s, gfp);

		if (!head)
			break;
		m->avail += slab_take_run(s, head, &m->slot[m->avail + 1],
					  s->mag_batch - m->avail, true, caller);
	}
	if (!m->avail)
		return NULL;
	obj = m->slot[m->avail--];
	m->last = obj;
	slab_mark_allocated(m, obj);
	return obj;
}

/*
 * failslab= failed this allocation: the countdown the fast path took to 0
 * on its way here goes back to 1 (kfence_failslab_changed()), so that the
 * next allocation on this CPU asks should_failslab() again.
 */
static void *slab_failslab_injected(void)
{
	unsigned long flags = mm_irq_save();

	kfence_failslab_changed();
	mm_irq_restore(flags);
	return NULL;
}

/*
 * Not inlined into kmem_cache_alloc(): the fast path would set up a frame
 * for it. A refill that finds no memory returns NULL, as slab_alloc_sized()
 * would after the same attempt.
 */
__noinline void *slab_alloc_miss(struct kmem_cache *s, gfp_t gfp, unsigned int size,
				 unsigned long caller, enum slab_alloc_result r)
{
	unsigned long flags;
	struct slab_magazine *m;
	void *obj;

	if (r == SLAB_ALLOC_EMPTY) {
		flags = mm_irq_save();
		m = s->mag[mm_cpu_id()];
		/*
		 * Still empty (an interrupt may have refilled it) and a real
		 * magazine; then the fast path's KFENCE count, which it
		 * skipped, with kfence_alloc()'s test: a countdown that would
		 * reach 0 or end above the limit (0 while failslab= may
		 * inject; wrapped after a failed slow path) sends the
		 * allocation to the slow path, uncounted, for kfence_alloc()
		 * to count once. v - 2 < limit is 1 <= v - 1 <= limit.
		 */
		if (!m->avail && m->limit &&
		    mm_cpu_countdown_read() - 2 < READ_ONCE(kfence_countdown_limit)) {
			mm_cpu_countdown_dec();
			slab_lock_slow(s);
			obj = slab_refill_locked(s, m, gfp, caller);
			mm_spin_unlock(&s->lock);
			mm_irq_restore(flags);
			return obj;
		}
		mm_irq_restore(flags);
	}
	return slab_alloc_sized(s, gfp, caller, size);
}

void *slab_alloc_slow(struct kmem_cache *s, gfp_t gfp, unsigned long caller)
{
	return slab_alloc_sized(s, gfp, caller, s->object_size);
}

/*
 * @size (<= object_size) is what a kmalloc caller asked for: a debug cache
 * records it and red-zones the bytes after it; __GFP_ZERO then zeroes only
 * those @size bytes.
 */
void *slab_alloc_sized(struct kmem_cache *s, gfp_t gfp, unsigned long caller,
		       unsigned int size)
{
	unsigned int zero = s->object_size;
	struct slab_magazine *m;
	unsigned long flags;
	void *obj = NULL;

	if (unlikely(s->flags & SLAB_DEAD)) {
		pr_err("slab: allocation from %s (not initialised or destroyed), caller %pS\n",
		       s->name, (void *)caller);
		return NULL;
	}
	if (unlikely(gfp & SLAB_GFP_CHECK) && slab_gfp_refused(s, &gfp, caller))
		return NULL; /* a zone modifier: mm/gfp_check.c */
	if (unlikely(READ_ONCE(failslab_active)) && should_failslab(s, gfp, caller))
		return slab_failslab_injected();
	obj = kfence_alloc(s, gfp, caller);
	if (unlikely(obj))
		return obj;
	flags = mm_irq_save();
	m = slab_cpu_magazine(s);
	if (m->avail) { /* __GFP_ZERO, failslab or the KFENCE countdown */
		obj = m->slot[m->avail--];
		m->last = obj;
		slab_mark_allocated(m, obj);
		goto out;
	}
	slab_lock_slow(s);
	if (m == &slab_empty_mag) {
		obj = slab_take_object(s, gfp, caller);
		if (obj && slab_is_debug(s))
			zero = slab_debug_on_alloc(s, obj, caller, size);
	} else {
		obj = slab_refill_locked(s, m, gfp, caller);
	}
	mm_spin_unlock(&s->lock);
out:
	mm_irq_restore(flags);
	if (obj && (gfp & __GFP_ZERO))
		memset(obj, 0, zero);
	return obj;
}

/*
 * One object of node @nid's memory, from its lists or a new slab of its
 * memory, bypassing the magazines (so that a remote object never enters
 * this CPU's magazine); with __GFP_THISNODE NULL when @nid has none, else
 * the usual allocation (this CPU's node first) then.
 */
void *slab_alloc_node(struct kmem_cache *s, gfp_t gfp, unsigned long caller,
		      unsigned int size, int nid)
{
	unsigned long flags;
	void *obj = NULL;
	struct page *head;

	if (unlikely(s->flags & SLAB_DEAD) || (unsigned int)nid >= MAX_NUMNODES)
		return slab_alloc_sized(s, gfp & ~__GFP_THISNODE, caller, size);
	if (unlikely(gfp & SLAB_GFP_CHECK) && slab_gfp_refused(s, &gfp, caller))
		return NULL;
	if (unlikely(READ_ONCE(failslab_active)) && should_failslab(s, gfp, caller))
		return slab_failslab_injected();
	flags = mm_irq_save();
	slab_lock_slow(s);
	head = slab_node_get(s, nid);
	if (!head)
		head = slab_new(s, gfp, nid);
	if (head) {
		slab_take_run(s, head, &obj, 1, false, caller);
		if (slab_is_debug(s))
			size = slab_debug_on_alloc(s, obj, caller, size);
	}
	mm_spin_unlock(&s->lock);
	mm_irq_restore(flags);
	if (!obj) {
		if (gfp & __GFP_THISNODE) {
			if (!(gfp & __GFP_NOWARN))
				pr_warn("slab: %s: no memory on node %d, caller %pS\n",
					s->name, nid, (void *)caller);
			return NULL;
		}
		return slab_alloc_sized(s, gfp, caller, size);
	}
	if (gfp & __GFP_ZERO)
		memset(obj, 0, size);
	return obj;
}

/* Report a pointer that is in slab @head of @s but not on a boundary. */
static void slab_bad_boundary(struct kmem_cache *s, struct page *head,
			      const void *obj, unsigned long caller)
{
	unsigned long base = (unsigned long)slab_base(head) + s->offset;
	unsigned long a = (unsigned long)obj, i;

	if (a < base) {
		slab_bug(s, obj, (long)(a - base), caller,
			 "Invalid pointer (before the first object)");
		return;
	}
	i = (a - base) / s->size;
	if (i >= s->objects) {
		slab_bug(s, obj, (long)(a - base), caller,
			 "Invalid pointer (in the slab's unused tail)");
		return;
	}
	slab_bug(s, slab_object(s, (void *)slab_base(head), (unsigned int)i),
		 (long)((a - base) % s->size), caller,
		 "Invalid pointer (not at an object start)");
}

/*
 * Push @obj, a checked object of @s, on this CPU's magazine @m, making room
 * first if it is full: the depot (slab_depot.c), else a flush to the
 * slabs. Lock held, interrupts off.
 */
static void slab_push_locked(struct kmem_cache *s, struct slab_magazine *m,
			     void *obj, unsigned long caller)
{
	if (m->avail >= m->limit)
		m = slab_depot_get_empty(s, m);
	if (m->avail >= m->limit) /* a grown mag_batch may exceed it */
		slab_flush_locked(s, m, min(s->mag_batch, m->avail), caller);
	slab_mark_free(m, obj);
	m->slot[++m->avail] = obj;
	slab_mag_forget_last(m); /* the magazine may be full now */
}

void slab_free_full(struct kmem_cache *s, struct slab_magazine *m, const void *obj,
		    unsigned long flags, unsigned long caller)
{
	slab_lock_slow(s);
	slab_push_locked(s, m, (void *)obj, caller);
	mm_spin_unlock(&s->lock);
	mm_irq_restore(flags);
}

/* Not inlined into kmem_cache_free(): the fast path would set up a frame for it. */
__noinline void slab_free_miss(struct kmem_cache *s, const void *obj,
			       struct slab_magazine *m, enum slab_free_result r,
			       unsigned long flags, unsigned long caller)
{
	if (r == SLAB_FREE_FULL) {
		slab_free_full(s, m, obj, flags, caller);
		return;
	}
	mm_irq_restore(flags);
	slab_free_slow(s, obj, caller);
}

void slab_free_slow(struct kmem_cache *s, const void *cobj, unsigned long caller)
{
	struct page *head;
	void *obj = (void *)cobj;
	struct slab_magazine *m;
	unsigned long flags;
	unsigned int idx;

	if (unlikely(is_kfence_address(cobj))) {
		kfence_free(s, cobj, caller);
		return;
	}
	head = slab_lookup(cobj);
	if (!head) {
		slab_bug(s, obj, 0, caller, "Pointer not in any slab");
		return;
	}
	if (head->slab_cache != s) {
		slab_bug(s, obj, 0, caller, "Wrong cache: object belongs to %s",
			 head->slab_cache->name);
		return;
	}
	if (s->flags & SLAB_DEAD) {
		slab_bug(s, obj, 0, caller, "Object of a destroyed cache");
		return;
	}
	if (!slab_obj_index(s, head, obj, &idx)) {
		slab_bad_boundary(s, head, obj, caller);
		return;
	}
	flags = mm_irq_save();
	m = slab_cpu_magazine(s);
	/* In some CPU's magazine already (slab_marked_free()), or on the slab. */
	if (s->mag_limit && (*(unsigned long *)slab_fp_addr(s, obj) == s->mag_cookie ||
			     slab_on_free_list(s, obj))) {
		slab_bug(s, obj, 0, caller, "Object already free");
		goto out;
	}
	slab_lock_slow(s);
	/* Another node's object goes home, to its slab (slab_free_remote()). */
	if (m == &slab_empty_mag || slab_free_remote(head)) {
		if (!slab_is_debug(s) || slab_debug_on_free(s, head, obj, caller))
			slab_put_run(s, head, &obj, 1, false, caller);
	} else {
		slab_push_locked(s, m, obj, caller);
	}
	mm_spin_unlock(&s->lock);
out:
	mm_irq_restore(flags);
}

/* ---- the API -------------------------------------------------------------- */

/* Allocate one object of @s; NULL when memory runs out. */
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	return kasan_slab_alloc(s, slab_alloc_fast(s, gfp), s->object_size, _RET_IP_);
}

/*
 * One object of @s from node @node's memory (NUMA_NO_NODE: as
 * kmem_cache_alloc()); another node's when @node has none, unless
 * __GFP_THISNODE (then NULL).
 */
void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t gfp, int node)
{
	if (node == NUMA_NO_NODE)
		return kasan_slab_alloc(s, slab_alloc_fast(s, gfp), s->object_size, _RET_IP_);
	return kasan_slab_alloc(s, slab_alloc_node(s, gfp, _RET_IP_, s->object_size, node),
				s->object_size, _RET_IP_);
}

/* Allocate one zeroed object of @s; NULL when memory runs out. */
void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp)
{
	return kasan_slab_alloc(s, slab_alloc_fast(s, gfp | __GFP_ZERO),
				s->object_size, _RET_IP_);
}

/* Return @obj to @s. Misuse (wrong cache, bad pointer, double free) is reported and refused. */
void kmem_cache_free(struct kmem_cache *s, void *obj)
{
	if (kasan_slab_free(s, obj, _RET_IP_))
		return;
	slab_free_fast(s, obj);
}

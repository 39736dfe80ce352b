/* SPDX-License-Identifier: MIT */
/*
 * Private declarations of the slab allocator (mm/slab.c, mm/slab_cache.c,
 * mm/kmalloc.c, mm/slab_debug.c) and its tests. The theory of operation is
 * at the top of mm/slab.c; the layout of one object slot is drawn here
 * because all of them walk it:
 *
 *   slot = s->size bytes, slots packed from the start of the slab
 *   +----------+---------------------+----------+------+-----------+-----+
 *   | left RZ  | object (object_size)| right RZ | free | track     | pad |
 *   | (Z only) | <- user pointer     | (Z only) | ptr  | alloc/free|     |
 *   +----------+---------------------+----------+------+-----------+-----+
 *   0          offset                 rz_end-ish  fp    (U only)   size
 *
 * Without debug flags or a constructor the free pointer overlays the first
 * word of the object and the slot is just the object rounded up to its
 * alignment. Offsets below (fp_offset, track_offset, rz_right) count from
 * the user pointer, which is what every path holds.
 */
#ifndef MM_SLAB_INTERNAL_H
#define MM_SLAB_INTERNAL_H

#include "kmm/list.h"
#include "kmm/string.h"
#include "mm/internal.h"
#include "mm/slab.h"
#include "mm/fault_inject.h"

/* Internal cache flags, above the public ones. */
#define SLAB_KMALLOC     0x1000u /* a kmalloc size class: never destroyed */
#define SLAB_NO_MAGAZINE 0x2000u /* no per-CPU layer (the magazine cache) */
#define SLAB_DEAD        0x4000u /* sentinel: destroyed or not yet created */
#define SLAB_STATIC      0x8000u /* struct lives in .data, not in the boot cache */
#define SLAB_KEEP_FREED  0x10000u /* a free object keeps its contents: free
				     pointer after it, never poisoned */

/* Flags that move a cache off the fast path. */
#define SLAB_DEBUG_FLAGS (SLAB_POISON | SLAB_RED_ZONE | SLAB_STORE_USER | \
			  SLAB_CONSISTENCY_CHECKS)

/* Debug byte patterns (the values Linux uses, so dumps read the same). */
#define SLAB_RED_INACTIVE 0xbb /* red zone of a free object */
#define SLAB_RED_ACTIVE   0xcc /* red zone of an object in use */
#define SLAB_POISON_FREE  0x6b /* body of a free object */
#define SLAB_POISON_END   0xa5 /* last byte of a free object */
#define SLAB_POISON_INUSE 0x5a /* never initialised: new objects, slab tail */

#define SLAB_MAX_ORDER   4   /* slabs of at most 16 pages */
#define SLAB_PREF_ORDER  3   /* more objects than fit here are not sought */
#define SLAB_MIN_OBJECTS 8   /* aim for this many objects per slab */
#define SLAB_MAX_OBJECTS 1024 /* bounds the checker's on-stack bitmap */
#define SLAB_MAX_ALIGN   16384 /* kmalloc-16k is naturally aligned */
#define SLAB_NAME_LEN    32
#define SLAB_MIN_EMPTY   1   /* empty slabs a cache keeps in reserve */
#define SLAB_WASTE_DIV   8   /* tail waste at most 1/8 (12.5 %) of a slab */

/*
 * A magazine: this CPU's stack of free objects. slot[0] is always NULL, so
 * slot[avail] is the top of the stack even when the magazine is empty and
 * the double-free check on the fast path needs no extra branch.
 *
 * last is the object the magazine handed out most recently, while it may
 * come straight back (see slab_free_fast): an object of this cache, owned
 * by its caller. Anything that could break one of the two clears it
 * (slab_mag_forget_last()): every other push, and slab_discard() for every
 * CPU (the object's slab may be going back to the buddy allocator). It
 * promises no room: the shortcut tests avail < limit itself.
 */
#define SLAB_MAG_SLOTS 60 /* slot[1..59] hold objects (slab_mag_sizes[]); 512 bytes */
#define SLAB_MAG_MAX   (SLAB_MAG_SLOTS - 1)

/*
 * cookie and fp_offset are copies of the cache's (s->mag_cookie and
 * s->fp_offset), so that kfree's hint path, which knows only the magazine,
 * can mark and check an object: every object in a magazine holds the cookie
 * in its free-pointer word (see slab_mark_free()).
 */
struct slab_magazine {
	unsigned int avail; /* objects in slot[1..avail] */
	unsigned int limit; /* capacity in use, <= SLAB_MAG_MAX; 0 = none */
	union {
		void *last; /* slab_mag_no_last(), or may return without pointer checks */
		struct slab_magazine *next; /* in a depot: the next on its stack */
	};
	unsigned long cookie;
	unsigned long fp_offset;
	void *slot[SLAB_MAG_SLOTS];
} __aligned(64);

_Static_assert(sizeof(struct slab_magazine) == 512, "magazine is 8 cache lines");

/* Owner tracking (U): who last allocated and freed an object. */
struct slab_track {
	unsigned long addr; /* caller, for %pS */
	unsigned int cpu;
	unsigned int seq;   /* global operation number: which came last */
};

/* Which list of its cache a slab is on (page->slab_state). */
enum slab_state {
	SLAB_STATE_EMPTY,
	SLAB_STATE_PARTIAL,
	SLAB_STATE_FULL,
	SLAB_STATE_NONE,    /* being built or torn down */
};

/*
 * One node's slabs of a cache (Linux's struct kmem_cache_node): every slab
 * on these lists is of node page_to_nid(head)'s memory. Under the cache's
 * lock, like the totals in struct kmem_cache (mm/slab_node.c).
 */
struct kmem_cache_node {
	struct list_head partial, full, empty;
	unsigned long nr_partial, nr_full, nr_empty;
};

struct kmem_cache {
	/* Hot: read by every fast-path alloc and free. */
	struct slab_magazine *mag[MM_NR_CPUS]; /* &slab_empty_mag until used */
	unsigned long slab_mask;  /* slab bytes - 1 (slabs are naturally aligned) */
	u64 div_magic;            /* 2^64 / size, rounded up: see slab_obj_offset */
	u64 obj_bound;            /* ... and what it maps object offsets below */
	unsigned int size;        /* slot stride */
	unsigned int offset;      /* user pointer - slot start (left red zone) */
	u8 order;                 /* each slab is 2^order pages */
	u16 objects;              /* objects per slab */
	unsigned int object_size; /* what the user asked for */
	unsigned int fp_offset;   /* free pointer, from the user pointer */
	u64 secret;               /* free pointer obfuscation */
	u64 mag_cookie;           /* what objects in magazines hold; never 0 */

	/* Warm: slow paths. */
	unsigned int flags;
	unsigned int align;
	unsigned int used;        /* objects * size: where the unused tail starts */
	unsigned int rz_right;    /* right red zone bytes after the object */
	unsigned int track_offset;/* struct slab_track[2], from the user pointer */
	unsigned int orig_offset; /* debug kmalloc class: the requested size (u32), or 0 */
	unsigned int mag_limit;   /* magazine capacity for this cache */
	unsigned int mag_batch;   /* objects moved per refill or flush */
	void (*ctor)(void *);

	/*
	 * The depot (mm/slab_depot.c): each CPU's previous magazine, and
	 * stacks of full and empty magazines, under s->lock.
	 */
	struct slab_magazine *prev[MM_NR_CPUS]; /* NULL until first needed */
	/* Full ones by the memory node of the CPUs that filled them (slab_node.c). */
	struct slab_magazine *depot_full[MAX_NUMNODES], *depot_empty;
	unsigned int nr_depot_full, nr_depot_empty; /* nr_depot_full: all nodes' */
	unsigned int depot_max_full; /* full magazines kept; beyond, to slabs */
	unsigned int depot_contended; /* slow paths that found the lock taken */

	mm_spinlock_t lock;       /* everything below, and the slabs' freelists */
	struct kmem_cache_node node[MAX_NUMNODES]; /* slab lists, by node */
	unsigned long nr_partial, nr_full, nr_empty; /* totals over the nodes */
	unsigned long nr_slabs;
	unsigned long free_objects; /* on slab freelists (not magazines) */

	struct list_head list;    /* slab_caches, under slab_caches_lock */
	char name[SLAB_NAME_LEN];
};

/* slab.c: slabs, magazines, the slow paths */
extern struct slab_magazine slab_empty_mag;

void *slab_alloc_slow(struct kmem_cache *s, gfp_t gfp, unsigned long caller);
/*
 * mm/gfp_check.c: a zone modifier no cache honours (report, true: fail the
 * call); else *@gfp with bad bits stripped (report if any), false.
 */
bool slab_gfp_refused(struct kmem_cache *s, gfp_t *gfp, unsigned long caller);
#define SLAB_GFP_CHECK (GFP_ZONE_MASK | ~GFP_VALID_MASK)
/* The same for kmalloc: @size is the request, which a debug cache records. */
void *slab_alloc_sized(struct kmem_cache *s, gfp_t gfp, unsigned long caller,
		       unsigned int size);
/* One object of node @nid's memory, past the magazines (kmem_cache_alloc_node). */
void *slab_alloc_node(struct kmem_cache *s, gfp_t gfp, unsigned long caller,
		      unsigned int size, int nid);
void slab_free_slow(struct kmem_cache *s, const void *obj, unsigned long caller);
/*
 * The free fast paths' way past a full magazine: @obj, an object of @s that
 * passed every check of slab_free_checked(), goes on @m, this CPU's loaded
 * magazine of @s, once the depot has made room (or a flush to the slabs),
 * under one lock hold and with no second lookup. Called with interrupts off
 * by mm_irq_save(), which returned @flags; restores them.
 */
void slab_free_full(struct kmem_cache *s, struct slab_magazine *m, const void *obj,
		    unsigned long flags, unsigned long caller);
struct page *slab_lookup(const void *obj);
bool slab_obj_index(const struct kmem_cache *s, const struct page *head,
		    const void *obj, unsigned int *idx);
/*
 * Empty every CPU's magazine into the slabs. Other CPUs' magazines are
 * emptied without asking them: no other CPU may use @s meanwhile.
 */
void slab_drain_all_magazines(struct kmem_cache *s);
/* Give an empty slab back to the page allocator. Lock held. */
void slab_discard(struct kmem_cache *s, struct page *head);
enum slab_state slab_expected_state(const struct page *head);
void slab_truncate_freelist(struct kmem_cache *s, struct page *head,
			    void *last, unsigned int nfree);
void slab_set_nfree(struct kmem_cache *s, struct page *head, unsigned int nfree);

/* Make @head's state @state: its node's list and counters. Lock held. */
void slab_set_state(struct kmem_cache *s, struct page *head, enum slab_state state);
/* A new slab, of node @nid's memory only unless NUMA_NO_NODE. Lock held. */
struct page *slab_new(struct kmem_cache *s, gfp_t gfp, int nid);

/* slab_node.c: the per-node slab lists, and frees that go home */
static inline struct kmem_cache_node *slab_node_of(struct kmem_cache *s,
						   const struct page *head)
{
	return &s->node[page_to_nid(head)];
}
void slab_nodes_init(struct kmem_cache *s);
/* A slab of node @nid's lists with a free object, or NULL. Lock held. */
struct page *slab_node_get(struct kmem_cache *s, int nid);
/* A slab of the nearest node, other than @nid, that has one. Lock held. */
struct page *slab_node_fallback(struct kmem_cache *s, gfp_t gfp, int nid);
/*
 * NUMA: is @pg, a page of a slab, of another node than this CPU's memory
 * node? Then its objects may not enter this CPU's magazine: they go home,
 * to their slab, in slab_free_slow(). With one node with memory this is
 * one compare of a global that never changes after boot. Inline, not a
 * call: a call on the free path makes the compiler save registers in the
 * prologue that the free shortcut shares (+10 instructions per pair).
 */
static __always_inline bool slab_free_remote(const struct page *pg)
{
	return unlikely(nr_memory_nodes > 1) &&
	       page_to_nid(pg) != cpu_mem_node[mm_cpu_id()];
}

/* slab_depot.c: the depot of magazines under the per-CPU layer */
#define SLAB_DEPOT_GROW_AFTER 16 /* contended slow paths per magazine doubling */
void slab_depot_init(struct kmem_cache *s);
void slab_lock_slow(struct kmem_cache *s);
struct slab_magazine *slab_depot_get_full(struct kmem_cache *s,
					  struct slab_magazine *m);
struct slab_magazine *slab_depot_get_empty(struct kmem_cache *s,
					   struct slab_magazine *m);
unsigned long slab_depot_release(struct kmem_cache *s);
struct slab_magazine *slab_next_magazine(struct kmem_cache *s,
					 unsigned int *pos, unsigned int *cpu);
void slab_flush_locked(struct kmem_cache *s, struct slab_magazine *m,
		       unsigned int nr, unsigned long caller);
unsigned long slab_discard_empty_locked(struct kmem_cache *s);

/* slab_cache.c: the life of a cache */
extern struct kmem_cache slab_dead_cache;
extern struct kmem_cache kmem_cache_boot;     /* the cache of caches */
extern struct kmem_cache slab_magazine_cache; /* the cache of magazines */
extern struct list_head slab_caches;
extern mm_spinlock_t slab_caches_lock;
int slab_cache_setup(struct kmem_cache *s, const char *name, unsigned int size,
		     unsigned int align, unsigned int flags, void (*ctor)(void *));
struct kmem_cache *slab_create(const char *name, unsigned int size,
			       unsigned int align, unsigned int flags,
			       void (*ctor)(void *));

static inline void *slab_base(const struct page *head)
{
	return page_address(head);
}

static inline void *slab_object(const struct kmem_cache *s, void *base,
				unsigned int i)
{
	return (char *)base + s->offset + (unsigned long)i * s->size;
}

static inline bool slab_is_debug(const struct kmem_cache *s)
{
	return s->flags & SLAB_DEBUG_FLAGS;
}

/*
 * Poisoning would destroy what a constructor built, or what a free object
 * must keep (SLAB_KEEP_FREED), so it is skipped there.
 */
static inline bool slab_poisons(const struct kmem_cache *s)
{
	return (s->flags & SLAB_POISON) && !s->ctor && !(s->flags & SLAB_KEEP_FREED);
}

/*
 * What an object taken off its slab's free list holds in its free pointer:
 * neither NULL nor an object, so it does not read as free. Its user may
 * overwrite only some bytes of the word (kmalloc(n) users writing p[0]);
 * the word then decodes to this value with those bytes changed, so every
 * byte is non-zero and the top ones non-canonical: no partial write can
 * make it read as NULL or as an object. (The value 1 could: a write of one
 * byte 0 decoded to 0..255, NULL for one byte value in 256, and a
 * legitimately freed object was refused as "already free" and leaked.)
 */
#define SLAB_FP_TAKEN ((void *)0x5ab1e7a4e05ab1e7UL)
_Static_assert((0x5ab1e7a4e05ab1e7UL >> 47) != 0 && (0x5ab1e7a4e05ab1e7UL >> 47) != 0x1ffff,
	       "SLAB_FP_TAKEN must be non-canonical");

/* The free pointer: next ^ secret ^ byteswap(where it is stored). */
static inline void **slab_fp_addr(const struct kmem_cache *s, const void *obj)
{
	return (void **)((char *)obj + s->fp_offset);
}

static inline void slab_set_fp(const struct kmem_cache *s, void *obj, void *next)
{
	void **where = slab_fp_addr(s, obj);

	*where = (void *)((unsigned long)next ^ s->secret ^
			  __builtin_bswap64((unsigned long)where));
}

static inline void *slab_get_fp_raw(const struct kmem_cache *s, const void *obj)
{
	void **where = slab_fp_addr(s, obj);

	return (void *)((unsigned long)*where ^ s->secret ^
			__builtin_bswap64((unsigned long)where));
}

/*
 * Is @off, an offset into a slab, where one of its objects starts (objects
 * start at offset 0 in every cache with magazines)? One multiply, one
 * compare, with c = s->div_magic = 2^64 / size rounded up and e = size * c
 * - 2^64, 0 <= e < size (Lemire et al., "Faster remainder by direct
 * computation", 2019): mod 2^64, k * size * c is k * e, which stays below
 * the slab size B, while any @off < 2^32 that size does not divide gives at
 * least c >= 2^64 / B >= B. So objects 0 .. objects - 1 map below
 * s->obj_bound = objects * e and every other offset, the unused tail's
 * included, at or above it (e = 0, a power-of-two size, leaves no tail:
 * the bound is c).
 */
_Static_assert((PAGE_SIZE << SLAB_MAX_ORDER) <= (1ULL << 32),
	       "slab_obj_offset needs slabs of at most 2^32 bytes");

static __always_inline bool slab_obj_offset(const struct kmem_cache *s,
					    unsigned long off)
{
	return off * s->div_magic < s->obj_bound;
}

/*
 * May the fast paths read the struct page of @pfn? Below max_pfn_mapped it
 * exists except in memory holes, whose memmap blocks are not mapped: the
 * same test as pfn_valid(), inline.
 */
static __always_inline bool slab_pfn_in_map(unsigned long pfn)
{
	return pfn < max_pfn_mapped && memmap_block_present(pfn);
}

/*
 * kfree's hint: the magazine this CPU's kmalloc fast path popped from last.
 * If the pointer kfree() gets is that magazine's m->last, it is an object
 * of the magazine's cache (see slab_free_last()), so
 * kfree needs neither its struct page nor its cache. The hint lives in the
 * port's per-CPU slot as an offset from slab_empty_mag, so that the slot's
 * initial NULL names the empty magazine, whose last is always NULL. Only
 * kmalloc caches, never destroyed, set it: the magazine it names is never
 * freed.
 */
static __always_inline struct slab_magazine *slab_kmalloc_mag(void)
{
	return (struct slab_magazine *)((unsigned long)&slab_empty_mag +
					(unsigned long)mm_cpu_slot_read());
}

static __always_inline void slab_set_kmalloc_mag(struct slab_magazine *m)
{
	mm_cpu_slot_write((void *)((unsigned long)m - (unsigned long)&slab_empty_mag));
}

/*
 * The fast paths: this CPU's magazine, interrupts off, no lock. Anything
 * unusual (empty or full magazine, debug cache, suspicious pointer) goes to
 * the out-of-line slow path, which sorts it out or reports it.
 *
 * They are always inlined into the API functions, so _RET_IP_ in them is
 * the API's caller (GCC and clang define __builtin_return_address(0) of an
 * inlined function so). Each API function reads it on one branch only, the
 * one to its single slow-path call, so that GCC sets up the frame (which
 * _RET_IP_ needs under -fno-omit-frame-pointer) only there.
 */

/*
 * Double free, caught before an object can be handed out twice: every
 * object in a magazine, on any CPU, holds m->cookie (a random per-cache
 * value) in its free-pointer word, and a pop clears it. A free of an object
 * that already holds it goes to the slow path, which reports it; so do
 * kfree(a); kfree(b); kfree(a) and a second free on another CPU. Objects on
 * a slab's free list hold an encoded pointer instead, which a flush checks.
 * A user's data equals the cookie only by chance (2^-64), and a user's
 * write over part of the word clears the mark (the free is then unchecked,
 * as a double free after a use-after-free write always is).
 */
static __always_inline unsigned long *slab_mark_addr(const struct slab_magazine *m,
						    const void *obj)
{
	return (unsigned long *)((char *)obj + m->fp_offset);
}

static __always_inline bool slab_marked_free(const struct slab_magazine *m,
					     const void *obj)
{
	return *slab_mark_addr(m, obj) == m->cookie;
}

static __always_inline void slab_mark_free(const struct slab_magazine *m, const void *obj)
{
	*slab_mark_addr(m, obj) = m->cookie;
}

static __always_inline void slab_mark_allocated(const struct slab_magazine *m,
						const void *obj)
{
	*slab_mark_addr(m, obj) = 0;
}

/*
 * What m->last holds when it names no object: the address whose mark word
 * is m->cookie itself, so that slab_free_last()'s mark compare turns it
 * away and no NULL test is needed there. It is no object of the cache (an
 * object's mark word lies in its own slot, never in a magazine); a free of
 * it takes the checked path and is reported there.
 */
static __always_inline void *slab_mag_no_last(const struct slab_magazine *m)
{
	return (void *)((unsigned long)&m->cookie - m->fp_offset);
}

static __always_inline void slab_mag_forget_last(struct slab_magazine *m)
{
	m->last = slab_mag_no_last(m);
}

/* What slab_alloc_pop() made of an allocation. */
enum slab_alloc_result {
	SLAB_POPPED,      /* *objp is the object */
	SLAB_ALLOC_EMPTY, /* the magazine is empty: slab_alloc_miss() refills it */
	SLAB_ALLOC_SLOW,  /* KFENCE's or failslab='s turn: the slow path */
};

/* Pop an object off this CPU's magazine of @s into *@objp. */
static __always_inline enum slab_alloc_result
slab_alloc_pop(struct kmem_cache *s, void **objp, bool kmalloc_hint)
{
	unsigned long flags;
	struct slab_magazine *m;
	unsigned int n;
	void *obj;

	flags = mm_irq_save();
	m = s->mag[mm_cpu_id()];
	n = m->avail;
	if (unlikely(!n)) {
		mm_irq_restore(flags);
		return SLAB_ALLOC_EMPTY;
	}
	/*
	 * Counting for KFENCE (mm/kfence.h): at 0, the slow path samples. It
	 * stays at 1 while failslab= may inject, so that every allocation
	 * asks should_failslab() there.
	 */
	if (unlikely(mm_cpu_countdown_dec())) {
		mm_irq_restore(flags);
		return SLAB_ALLOC_SLOW;
	}
	m->avail = n - 1;
	obj = m->slot[n];
	m->last = obj;
	slab_mark_allocated(m, obj);
	if (kmalloc_hint)
		slab_set_kmalloc_mag(m);
	mm_irq_restore(flags);
	*objp = obj;
	return SLAB_POPPED;
}

/*
 * The allocation fast paths' miss (@r from slab_alloc_pop(), or
 * SLAB_ALLOC_SLOW for a @gfp with bits of GFP_SLOW_MASK): an empty
 * magazine is refilled here, under one lock hold (the depot, else the
 * slabs), after the KFENCE count the fast path skipped for it; anything
 * else (a CPU's first use, a cache without magazines, KFENCE's or
 * failslab='s turn, __GFP_ZERO) goes to slab_alloc_sized(). One call for
 * every miss, so that GCC sets up the frame _RET_IP_ needs on this branch
 * only. @size is what a kmalloc caller asked for.
 */
void *slab_alloc_miss(struct kmem_cache *s, gfp_t gfp, unsigned int size,
		      unsigned long caller, enum slab_alloc_result r);

static __always_inline void *slab_alloc_fast(struct kmem_cache *s, gfp_t gfp)
{
	enum slab_alloc_result r = SLAB_ALLOC_SLOW;
	void *obj;

	if (likely(!(gfp & GFP_SLOW_MASK)))
		r = slab_alloc_pop(s, &obj, false);
	if (likely(r == SLAB_POPPED))
		return obj;
	return slab_alloc_miss(s, gfp, s->object_size, _RET_IP_, r);
}

/*
 * Does @obj, an object start in a slab of @s (a cache with magazines:
 * objects start at offset 0), read as on its slab's free list: its free
 * pointer decodes to NULL or to an object of the same slab? Then freeing it
 * again is a double free. An allocated object holds 0 there after a pop (it
 * decodes to the random key) or SLAB_FP_TAKEN, or its user's data.
 */
static __always_inline bool slab_on_free_list(const struct kmem_cache *s,
					      const void *obj)
{
	unsigned long where = (unsigned long)obj + s->fp_offset;
	unsigned long next = *(unsigned long *)where ^ s->secret ^ __builtin_bswap64(where);
	unsigned long off = next - ((unsigned long)obj & ~s->slab_mask);

	return !next || (off < s->used && slab_obj_offset(s, off));
}

/* What slab_free_checked() made of a free. */
enum slab_free_result {
	SLAB_FREED,     /* pushed on the magazine */
	SLAB_FREE_FULL, /* passed every check, but the magazine is full: slab_free_full() */
	SLAB_FREE_SLOW, /* anything else: the slow path decides */
};

/*
 * slab_free_fast() did not free @obj (@r says why); interrupts still off,
 * @flags from mm_irq_save(). One call for both misses, so that GCC sets up
 * the frame _RET_IP_ needs on this branch only.
 */
void slab_free_miss(struct kmem_cache *s, const void *obj, struct slab_magazine *m,
		    enum slab_free_result r, unsigned long flags, unsigned long caller);

/*
 * Free @obj, already known to lie in a page of a slab of @s, checking that
 * it is an object start, and push it on @m, this CPU's magazine of @s;
 * interrupts off. SLAB_FREE_SLOW sends the free to the slow path, which
 * decides exactly: an object start is not just a multiple of the size (the
 * slab's unused tail may start at one: kmalloc-96 has 42 objects, then 64
 * bytes), and a debug cache, whose red zones move objects, may pass or
 * fail here (its magazine limit of 0 sends it on). Its free-pointer word is
 * read once: the magazine mark means a double free (slab_marked_free()),
 * and a word that decodes to NULL or into the object's own slab may be a
 * free list's link (slab_on_free_list()), which the slow path tells apart;
 * an allocated object's word decodes there by chance only (the secret is
 * random). After the push m->last names @obj: its mark now turns the
 * shortcut away (slab_free_last()), and the magazine may be full.
 */
static __always_inline enum slab_free_result
slab_free_checked(struct kmem_cache *s, struct slab_magazine *m, const void *obj)
{
	unsigned long where = (unsigned long)obj + s->fp_offset, word, next;
	unsigned long cookie = m->cookie;
	unsigned int n;

	if (!slab_obj_offset(s, (unsigned long)obj & s->slab_mask))
		return SLAB_FREE_SLOW;
	word = *(unsigned long *)where;
	if (unlikely(word == cookie))
		return SLAB_FREE_SLOW;
	next = word ^ s->secret ^ __builtin_bswap64(where);
	if (unlikely(!next || (next ^ (unsigned long)obj) <= s->slab_mask))
		return SLAB_FREE_SLOW;
	n = m->avail;
	if (unlikely(n >= m->limit)) /* limit 0: no magazine (first use, debug) */
		return m->limit ? SLAB_FREE_FULL : SLAB_FREE_SLOW;
	*(unsigned long *)where = cookie;
	m->last = (void *)obj;
	m->avail = n + 1;
	m->slot[n + 1] = (void *)obj;
	return SLAB_FREED;
}

/*
 * The free fast path's shortcut: the object this CPU's magazine handed out
 * last comes straight back (allocate, use, free: the common case). It is
 * an object start of @s by construction, so none of the pointer checks
 * below is needed. Its mark catches a second free, here or after a free on
 * another CPU; it also turns away a cleared m->last (slab_mag_no_last()),
 * so a NULL @obj needs no test of its own. The room test is not redundant:
 * m->last stays after the push, and a use-after-free write over the mark
 * followed by a second free of the same object must not push past the
 * magazine's end (it goes to the checked path and the depot instead: a
 * double free after a use-after-free write stays unchecked, as everywhere,
 * but corrupts nothing of the allocator's).
 */
static __always_inline bool slab_free_last(struct slab_magazine *m, const void *obj)
{
	unsigned int n;

	if (obj != m->last || slab_marked_free(m, obj))
		return false;
	n = m->avail;
	if (unlikely(n >= m->limit))
		return false;
	/*
	 * m->last may stay: a second free of it meets its mark (or, if a
	 * write cleared that, the room test); a pop sets it, a flush clears it.
	 */
	slab_mark_free(m, obj);
	m->avail = n + 1;
	m->slot[n + 1] = (void *)obj;
	return true;
}

static __always_inline void slab_free_fast(struct kmem_cache *s, const void *obj)
{
	unsigned long flags = mm_irq_save();
	struct slab_magazine *m = s->mag[mm_cpu_id()];
	enum slab_free_result r;
	unsigned long pfn;

	if (likely(slab_free_last(m, obj))) {
		mm_irq_restore(flags);
		return;
	}
	pfn = PHYS_PFN(__pa_direct(obj));
	/* NUMA: another node's object skips the magazine (slab_free_remote()). */
	r = SLAB_FREE_SLOW;
	if (likely(slab_pfn_in_map(pfn) && pfn_to_page(pfn)->slab_cache == s &&
		   !slab_free_remote(pfn_to_page(pfn))))
		r = slab_free_checked(s, m, obj);
	if (likely(r == SLAB_FREED)) {
		mm_irq_restore(flags);
		return;
	}
	slab_free_miss(s, obj, m, r, flags, _RET_IP_);
}

/* slab_debug.c: called with s->lock held, interrupts off. */
unsigned int slab_debug_flags_for(const char *name);
void slab_debug_init_slab(struct kmem_cache *s, struct page *head);
void slab_debug_init_object(struct kmem_cache *s, void *obj);
unsigned int slab_debug_on_alloc(struct kmem_cache *s, void *obj,
				 unsigned long caller, unsigned int size);
unsigned int slab_debug_orig_size(const struct kmem_cache *s, const void *obj);
void slab_debug_kmalloc_shrink(struct kmem_cache *s, void *obj, unsigned int size);
bool slab_debug_on_free(struct kmem_cache *s, struct page *head, void *obj,
			unsigned long caller);
int slab_check_slab(struct kmem_cache *s, struct page *head,
		    enum slab_state state, unsigned long caller);
void slab_report_live(struct kmem_cache *s, struct page *head);
__printf(5, 6)
void slab_bug(const struct kmem_cache *s, const void *obj, long offset,
	      unsigned long caller, const char *fmt, ...);
void slab_print_owner(const struct kmem_cache *s, const void *obj);

/* kmalloc.c */
#define KMALLOC_MIN_SIZE   8
#define KMALLOC_NR_CLASSES 66
#define KMALLOC_SHIFT_MAX  MAX_PAGE_ORDER /* largest kmalloc: 4 MiB */
extern const unsigned int kmalloc_class_size[KMALLOC_NR_CLASSES];
extern struct kmem_cache *kmalloc_caches[KMALLOC_NR_CLASSES + 1];
/* The cache for each 8 bytes of request size: [(size - 1) / 8]. */
extern struct kmem_cache *kmalloc_size_cache[KMALLOC_MAX_CACHE_SIZE / 8];
extern u8 kmalloc_size_index[KMALLOC_MAX_CACHE_SIZE / 8 + 1];
void kmalloc_caches_init(void);

#endif /* MM_SLAB_INTERNAL_H */

// SPDX-License-Identifier: MIT
/*
 * The life of a slab cache: its geometry, creation, shrinking and
 * destruction, and the boot of the slab allocator.
 *
 * Theory of operation
 * -------------------
 * A cache is a struct kmem_cache, itself an object of the cache of caches
 * (kmem_cache_boot); magazines are objects of the magazine cache. Both are
 * static, set up by kmem_cache_init(), and have no magazines of their own,
 * so creating a cache or a CPU's first magazine never recurses:
 *
 *   kmem_cache_create -> slab_create -> object of kmem_cache_boot
 *                                       slab_cache_setup(): layout, order
 *   first use on a CPU -> slab_cpu_magazine (slab.c) -> slab_magazine_cache
 *
 * Geometry (slab_cache_setup): the slot layout of slab_internal.h, the slab
 * order that keeps the unused tail within 1/8 of the slab with enough
 * objects, the fast paths' object check constants (slab_obj_offset), and
 * the magazine size, by object size (slab_mag_sizes[]).
 *
 * Destruction drains every magazine, returns the empty slabs, reports and
 * orphans the slabs still holding objects (their pages name
 * slab_dead_cache, so a late free is refused), and frees the struct. The
 * cache of caches keeps a free object's contents (SLAB_KEEP_FREED): a stale
 * pointer still finds every mag[] at the empty magazine and SLAB_DEAD set,
 * and each use is reported instead of following freed memory.
 *
 * Other CPUs: kmem_cache_shrink() and kmem_cache_destroy() empty every
 * CPU's magazine from the calling CPU, without asking the owners (the port
 * has no cross-CPU call). The caller must ensure that no other CPU
 * allocates from or frees to the cache meanwhile (docs/porting.md); the
 * fast paths take no lock that could make this safe.
 *
 * Locking: slab_caches_lock guards the list of caches (slab_check_all and
 * show_slabinfo walk it) and nests outside each cache's lock.
 */
#include "mm/slab.h"
#include "mm/slab_internal.h"
#include "mm/kasan.h"
#include "kmm/string.h"
#include "mm/kfence.h"

LIST_HEAD(slab_caches);
mm_spinlock_t slab_caches_lock = MM_SPINLOCK_INIT;

#define SLAB_STATIC_CACHE(n, fl)                                         \
	{                                                                \
		.mag = { [0 ... MM_NR_CPUS - 1] = &slab_empty_mag },     \
		.size = 8, .flags = (fl) | SLAB_STATIC, .name = n,       \
	}

/* Objects of destroyed caches point here; freeing one is reported. */
struct kmem_cache slab_dead_cache = SLAB_STATIC_CACHE("destroyed-cache", SLAB_DEAD);
/* The cache of caches, and the cache of magazines. */
struct kmem_cache kmem_cache_boot = SLAB_STATIC_CACHE("kmem_cache", 0);
struct kmem_cache slab_magazine_cache = SLAB_STATIC_CACHE("slab_magazine", 0);
static bool slab_ready;

/* ---- geometry ------------------------------------------------------------ */

/*
 * A tail of at most 1/SLAB_FIT_DIV of the slab is taken at the first order
 * with enough objects that has one; only if none has, the first with at
 * most 1/SLAB_WASTE_DIV. So a 4368-byte object gets 15 per 64 KiB slab
 * (16 bytes unused) rather than 7 per 32 KiB (2,192 bytes, 6.7 %); at
 * most 256-byte objects never leave order 0 for it (their tail is below
 * 1/16 of a page).
 */
#define SLAB_FIT_DIV 16
/*
 * Objects above 1 KiB settle for 2 per slab when that fits: a slab that
 * one survivor pins then holds less (kmalloc-4k: 8 KiB slabs, not 16 KiB;
 * the netbuf trace 15.0 -> 14.5 % over its peak live bytes with 2 rather
 * than 4). The magazines, not the slab size, keep the slab layer off the
 * fast paths: the host mixed workload is within 0.5 instructions per op.
 */
#define SLAB_BIG_OBJECT      1024
#define SLAB_BIG_MIN_OBJECTS 2

/* The unused bytes of a slab of order @o of @s, or ~0 when it does not qualify. */
static unsigned long slab_order_tail(const struct kmem_cache *s, int o,
				     unsigned long want)
{
	unsigned long bytes = PAGE_SIZE << o, n = bytes / s->size;

	/* n == 0 does not fit; more than the cap would leave a tail >= size. */
	if (n == 0 || n > SLAB_MAX_OBJECTS || n < want)
		return ~0UL;
	return bytes - n * s->size;
}

/* Pick the slab order: tail waste <= 1/8 with enough objects per slab. */
static int slab_choose_order(struct kmem_cache *s)
{
	unsigned long bytes, n, want, tail, best_waste = ~0UL;
	int o, best = -1;

	if ((PAGE_SIZE << SLAB_MAX_ORDER) / s->size == 0)
		return -EINVAL;
	/* Higher orders only when the tail rule needs them. */
	n = (PAGE_SIZE << SLAB_PREF_ORDER) / s->size;
	want = n < SLAB_MIN_OBJECTS ? n : SLAB_MIN_OBJECTS;
	if (want == 0)
		want = 1;
	if (s->size > SLAB_BIG_OBJECT && want > SLAB_BIG_MIN_OBJECTS)
		want = SLAB_BIG_MIN_OBJECTS;
	for (o = 0; o <= SLAB_MAX_ORDER; o++) {
		tail = slab_order_tail(s, o, want);
		if (tail != ~0UL && tail * SLAB_FIT_DIV <= PAGE_SIZE << o) {
			best = o;
			goto found;
		}
	}
	for (o = 0; o <= SLAB_MAX_ORDER; o++) {
		bytes = PAGE_SIZE << o;
		n = bytes / s->size;
		if (n == 0 || n > SLAB_MAX_OBJECTS)
			continue;
		if (n >= want && (bytes - n * s->size) * SLAB_WASTE_DIV <= bytes) {
			best = o;
			break;
		}
		/* Fallback: least waste per byte, compared without division. */
		if (best < 0 || (bytes - n * s->size) * (PAGE_SIZE << best) <
				best_waste * bytes) {
			best = o;
			best_waste = bytes - n * s->size;
		}
	}
	if (best < 0)
		return -EINVAL;
found:
	s->order = (u8)best;
	s->objects = (u16)((PAGE_SIZE << best) / s->size);
	return 0;
}

/* Constants of the fast paths' object check (see slab_obj_offset). */
static void slab_div_init(struct kmem_cache *s)
{
	u64 c = ~0ULL / s->size + 1, e = (u64)s->size * c; /* mod 2^64 */

	s->slab_mask = (PAGE_SIZE << s->order) - 1;
	s->div_magic = c;
	s->obj_bound = e ? s->objects * e : c;
	s->used = (unsigned int)s->objects * s->size;
}

/*
 * Magazine capacity by object size: a full magazine pins at most about
 * 8 KiB of objects up to 256 bytes (59 of <= 128, 29 of <= 256), 16 KiB
 * of objects up to 4 KiB (16 of <= 1 KiB, 8 of <= 2 KiB, 4 of <= 4 KiB)
 * and four objects of anything larger (64 KiB at most, kmalloc-16k); a
 * CPU holds two (loaded and previous, mm/slab_depot.c). Two slots instead
 * of four for the 8-16 KiB classes cost the host mixed workload (5.7 % of
 * its requests there) 8 instructions per op and gave back no footprint in
 * the traces. Each refill or flush against the slabs moves half of one
 * (mag_batch). 59 rather than 29 for small objects halves the depot
 * exchanges of a long batch (the in-kernel 1000-batch: 97.4 -> 90.3
 * instructions per op); capacity below the maximum grows under contention
 * (slab_lock_slow()).
 */
static const struct {
	unsigned int max_size, limit;
} slab_mag_sizes[] = {
	{ 128, SLAB_MAG_MAX },
	{ 256, 29 },
	{ 1024, 16 },
	{ 2048, 8 },
	{ 4096, 4 },
	{ ~0U, 4 },
};

/*
 * Fill in @s for objects of @size bytes: layout, slab order, magazine
 * size. Allocates nothing; -EINVAL when no slab of at most
 * 2^SLAB_MAX_ORDER pages can hold such an object.
 */
int slab_cache_setup(struct kmem_cache *s, const char *name, unsigned int size,
		     unsigned int align, unsigned int flags, void (*ctor)(void *))
{
	unsigned int p, cpu, hw, i;

	if (!name || size == 0 || size > (PAGE_SIZE << SLAB_MAX_ORDER) ||
	    (align & (align - 1)) || align > SLAB_MAX_ALIGN)
		return -EINVAL;
	align = max(align, (unsigned int)sizeof(void *));
	if (flags & SLAB_HWCACHE_ALIGN) {
		/* A cache line, or a fraction of one for tiny objects. */
		for (hw = 64; hw / 2 >= size && hw > sizeof(void *); hw /= 2)
			;
		align = max(align, hw);
	}

	memset(s, 0, sizeof(*s));
	for (cpu = 0; cpu < MM_NR_CPUS; cpu++)
		s->mag[cpu] = &slab_empty_mag;
	strlcpy(s->name, name, sizeof(s->name));
	s->object_size = size;
	s->flags = flags;
	s->ctor = ctor;
	s->align = align;

	s->offset = (flags & SLAB_RED_ZONE) ? ALIGN_UP((unsigned int)sizeof(void *), align) : 0;
	p = s->offset + size;
	if (flags & SLAB_RED_ZONE) {
		s->rz_right = ALIGN_UP(p, sizeof(void *)) + sizeof(void *) - p;
		p += s->rz_right;
	} else {
		p = ALIGN_UP(p, sizeof(void *));
	}
	/* A constructed or debugged object keeps its contents while free. */
	if (ctor || (flags & (SLAB_DEBUG_FLAGS | SLAB_KEEP_FREED))) {
		s->fp_offset = p - s->offset;
		p += sizeof(void *);
	}
	if (flags & SLAB_STORE_USER) {
		s->track_offset = p - s->offset;
		p += 2 * sizeof(struct slab_track);
	}
	/* A debugged kmalloc class records each object's requested size. */
	if ((flags & SLAB_KMALLOC) && (flags & SLAB_DEBUG_FLAGS)) {
		s->orig_offset = p - s->offset;
		p += sizeof(void *);
	}
	s->size = ALIGN_UP(p, align);
	if (slab_choose_order(s))
		return -EINVAL;
	slab_div_init(s);
	s->secret = mm_random_u64();
	/*
	 * From the secret's upper half (no second draw: the random stream the
	 * slabs' free-list orders take stays as it was), so a cookie read from
	 * a freed object gives away at most half of the secret.
	 */
	s->mag_cookie = ((s->secret >> 32) * 0x9e3779b97f4a7c15ULL) | 1;

	if (!(flags & (SLAB_DEBUG_FLAGS | SLAB_NO_MAGAZINE | SLAB_DEAD))) {
		for (i = 0; s->size > slab_mag_sizes[i].max_size; i++)
			;
		s->mag_limit = slab_mag_sizes[i].limit;
		s->mag_batch = s->mag_limit / 2;
	}
	slab_depot_init(s);
	mm_spin_lock_init(&s->lock);
	slab_nodes_init(s);
	INIT_LIST_HEAD(&s->list);
	return 0;
}

/* Flush every magazine, then free every empty slab; returns pages freed. */
int kmem_cache_shrink(struct kmem_cache *s)
{
	unsigned long flags;
	int pages = 0;

	if (!s || (s->flags & SLAB_DEAD))
		return 0;
	kasan_cache_shrink(s);
	slab_drain_all_magazines(s);
	pages += (int)slab_depot_release(s);
	flags = mm_irq_save();
	mm_spin_lock(&s->lock);
	pages += (int)slab_discard_empty_locked(s); /* every node's */
	mm_spin_unlock(&s->lock);
	mm_irq_restore(flags);
	return pages;
}

/* Build a cache without checking the flags (kmalloc uses internal ones). */
struct kmem_cache *slab_create(const char *name, unsigned int size,
			       unsigned int align, unsigned int flags,
			       void (*ctor)(void *))
{
	struct kmem_cache *s = NULL;
	unsigned long irq;

	if (!slab_ready) {
		pr_err("slab: kmem_cache_create(%s) before kmem_cache_init\n",
		       name ? name : "(null)");
		goto fail;
	}
	if (name)
		flags |= slab_debug_flags_for(name);
	s = slab_alloc_slow(&kmem_cache_boot, GFP_KERNEL, _RET_IP_);
	if (!s)
		goto fail;
	if (slab_cache_setup(s, name, size, align, flags, ctor)) {
		pr_err("slab: cannot create cache %s: size %u align %u\n",
		       name ? name : "(null)", size, align);
		goto err_free_cache;
	}
	irq = mm_irq_save();
	mm_spin_lock(&slab_caches_lock);
	list_add_tail(&s->list, &slab_caches);
	mm_spin_unlock(&slab_caches_lock);
	mm_irq_restore(irq);
	return s;

err_free_cache:
	slab_free_slow(&kmem_cache_boot, s, _RET_IP_);
	s = NULL;
fail:
	if (flags & SLAB_PANIC)
		panic("slab: cannot create cache %s", name ? name : "(null)");
	return NULL;
}

/*
 * Create a cache of @size-byte objects aligned to @align (0: 8 bytes).
 * @ctor runs once per object, when its slab is built. NULL on failure.
 */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, unsigned int flags,
				     void (*ctor)(void *))
{
	unsigned int public = SLAB_HWCACHE_ALIGN | SLAB_POISON | SLAB_RED_ZONE |
			      SLAB_STORE_USER | SLAB_PANIC |
			      SLAB_CONSISTENCY_CHECKS | SLAB_NO_RANDOM |
			      SLAB_SKIP_KFENCE;

	return slab_create(name, size, align, flags & public, ctor);
}

/* Mark a leaked slab's pages as belonging to no live cache. Lock held. */
static void slab_orphan(struct page *head)
{
	unsigned int i;

	for (i = 0; i < (1U << head->slab_order); i++)
		head[i].slab_cache = &slab_dead_cache;
}

/*
 * Destroy @s. Objects still allocated are reported by address and leaked
 * (their pages stay allocated; freeing one later is reported and refused).
 */
void kmem_cache_destroy(struct kmem_cache *s)
{
	struct page *head, *tmp;
	unsigned long flags;
	unsigned long live;
	unsigned int cpu;

	if (!s)
		return;
	if (s->flags & (SLAB_KMALLOC | SLAB_STATIC | SLAB_DEAD)) {
		pr_err("slab: refusing to destroy %s\n", s->name);
		return;
	}
	flags = mm_irq_save();
	mm_spin_lock(&slab_caches_lock);
	list_del(&s->list);
	mm_spin_unlock(&slab_caches_lock);
	mm_irq_restore(flags);

	kmem_cache_shrink(s);
	kfence_shutdown_cache(s);

	flags = mm_irq_save();
	mm_spin_lock(&s->lock);
	live = s->nr_slabs * s->objects - s->free_objects;
	if (s->nr_partial || s->nr_full) {
		slab_bug(s, NULL, 0, _RET_IP_,
			 "Objects remaining on kmem_cache_destroy: %lu", live);
		for (int nid = 0; nid < MAX_NUMNODES; nid++) {
			list_for_each_entry_safe(head, tmp, &s->node[nid].partial, slab_list) {
				slab_report_live(s, head);
				slab_orphan(head);
			}
			list_for_each_entry_safe(head, tmp, &s->node[nid].full, slab_list) {
				slab_report_live(s, head);
				slab_orphan(head);
			}
		}
	}
	mm_spin_unlock(&s->lock);
	mm_irq_restore(flags);

	/*
	 * A stale pointer to @s must find it destroyed: every magazine the
	 * shared empty one (both fast paths miss) and SLAB_DEAD set (the slow
	 * paths report). The cache of caches keeps a free object's contents.
	 */
	for (cpu = 0; cpu < MM_NR_CPUS; cpu++) {
		if (s->mag[cpu] != &slab_empty_mag)
			slab_free_slow(&slab_magazine_cache, s->mag[cpu], _RET_IP_);
		s->mag[cpu] = &slab_empty_mag;
	}
	s->flags |= SLAB_DEAD;
	slab_free_slow(&kmem_cache_boot, s, _RET_IP_);
}

/* A fresh machine (mem_init()): no cache exists until kmem_cache_init(). */
void slab_forget_caches(void)
{
	slab_ready = false;
	INIT_LIST_HEAD(&slab_caches);
}

bool slab_is_available(void)
{
	return slab_ready;
}

/*
 * Set up the cache of caches, the magazine cache and the kmalloc classes.
 * Call after mem_init(). Calling it again (host tests, after a fresh
 * mem_init) forgets every cache of the previous machine.
 */
void kmem_cache_init(void)
{
	unsigned int dbg;

	INIT_LIST_HEAD(&slab_caches);
	dbg = slab_debug_flags_for("kmem_cache");
	if (slab_cache_setup(&kmem_cache_boot, "kmem_cache",
			     sizeof(struct kmem_cache), 64,
			     SLAB_STATIC | SLAB_NO_MAGAZINE | SLAB_KEEP_FREED | dbg,
			     NULL))
		panic("slab: cannot set up the cache of caches");
	dbg = slab_debug_flags_for("slab_magazine");
	if (slab_cache_setup(&slab_magazine_cache, "slab_magazine",
			     sizeof(struct slab_magazine), 64,
			     SLAB_STATIC | SLAB_NO_MAGAZINE | dbg, NULL))
		panic("slab: cannot set up the magazine cache");
	list_add_tail(&kmem_cache_boot.list, &slab_caches);
	list_add_tail(&slab_magazine_cache.list, &slab_caches);
	slab_ready = true;
	kmalloc_caches_init();
}

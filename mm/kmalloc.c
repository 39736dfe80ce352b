// SPDX-License-Identifier: MIT
/*
 * kmalloc: general-purpose allocation over segregated size classes.
 *
 * Theory of operation
 * -------------------
 * Requests up to KMALLOC_MAX_CACHE_SIZE (16 KiB) are served by one slab
 * cache per size class; larger ones by the page allocator directly. The
 * classes (kmalloc_class_size[]) bound the waste of rounding a request up:
 *
 *   8 B .. 128 B    every 8 bytes                  waste < 8 bytes
 *   128 B .. 8 KiB  about 7 per power of two       waste <= 1/8 of the request
 *   8 KiB .. 16 KiB 64 KiB / n: 9360 .. 16384      waste <= 1/4 of the class
 *
 * and every class above 128 bytes is a whole fraction of its slab (4096 /
 * n, ..., 65536 / n, rounded down to 8 bytes) at the order slab_cache.c
 * picks for it: the slab's unused tail is under 2.5 % of it, but for
 * kmalloc-216 (5.1 %) and kmalloc-7688 (6.2 %), which the 1/8 rule needs.
 * Fitting the slabs rather than a 1/8 grid cut the tail from up to 12 %
 * (a 3328-byte class left 2,816 bytes of each 32 KiB slab unused) without
 * more classes. Power-of-two classes are created with their
 * own size as alignment, so a power-of-two request is naturally aligned;
 * every class is a multiple of 8, so every object is 8-byte aligned.
 *
 * The size -> class lookup is one table load: kmalloc_size_index[] has an
 * entry per 8 bytes of request, giving an index into kmalloc_caches[]:
 *
 *   size:   1..8  9..16  ...  121..128  129..136  137..144  ...  16377..16384
 *   index:  (size + 7) / 8 -> 1      2          16        17        17          66
 *   kmalloc_caches[index] -> struct kmem_cache *  ([0]: "not ready" sentinel)
 *
 * Before kmem_cache_init() every index is 0, whose sentinel cache refuses
 * allocations with a message instead of crashing. The allocation fast paths
 * read the two tables' product, kmalloc_size_cache[], one pointer per 8
 * bytes of request: one load instead of two dependent ones.
 *
 * Large allocations are whole buddy blocks of 2^order pages marked
 * PG_large_kmalloc with page->private = order; kfree() recognises them from
 * the page flags. kmalloc(0) returns ZERO_SIZE_PTR, an address in the
 * never-mapped first page.
 *
 * The zone modifiers __GFP_DMA/__GFP_DMA32 send a request to the page
 * allocator (whole pages), since the slab caches mix zones.
 *
 * Fast paths: a kmalloc() whose size the compiler knows picks its cache
 * inline (mm/slab.h) and calls __kmalloc_slot(); any other size goes
 * through __kmalloc(). Both pop this CPU's magazine and leave kfree()'s
 * per-CPU hint (slab.c), so that freeing the object just allocated costs
 * no lookup.
 *
 * Locking and contexts: as slab.c; kmalloc and kfree may be called from
 * interrupt handlers.
 */
#include "mm/slab.h"
#include "mm/slab_internal.h"
#include "mm/kasan.h"
#include "kmm/string.h"
#include "mm/kfence.h"

/*
 * Above 128 bytes each class is (nearly) a whole fraction of a slab of 4,
 * 8, 16, 32 or 64 KiB, rounded down to 8 bytes, chosen (by waste under
 * requests log-uniform within each power of two, plus a cost per class)
 * among the sizes that keep the rounding rule above; powers of two, 96 and
 * 192 are Linux's and stay. Which slab each class gets is slab_cache.c's
 * choice (slab_choose_order(): kmalloc-1360 takes 3 per 4 KiB slab,
 * kmalloc-9360 7 per 64 KiB); /proc/slabinfo's pagesperslab shows it.
 */
const unsigned int kmalloc_class_size[KMALLOC_NR_CLASSES] = {
	8, 16, 24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120, 128,
	144, 160, 176, 192, 216, 240, 256,
	288, 312, 336, 368, 408, 448, 472, 512,
	576, 624, 680, 744, 816, 904, 952, 1024,
	1152, 1256, 1360, 1488, 1632, 1816, 1912, 2048,
	2304, 2520, 2728, 2976, 3272, 3640, 4096,
	4608, 5040, 5456, 5952, 6552, 7280, 7688, 8192,
	9360, 10920, 13104, KMALLOC_MAX_CACHE_SIZE,
};

_Static_assert(KMALLOC_MAX_CACHE_SIZE == 16384, "the last row is 64 KiB / n up to the limit");
_Static_assert(KMALLOC_NR_CLASSES < 256, "class index must fit in a u8");

#define KMALLOC_ZONE_GFP (__GFP_DMA | __GFP_DMA32)

/* Index 0 before kmem_cache_init(), and the name in kfree's reports. */
static struct kmem_cache kmalloc_unready = {
	.mag = { [0 ... MM_NR_CPUS - 1] = &slab_empty_mag },
	.size = 8, .flags = SLAB_DEAD | SLAB_STATIC, .name = "kmalloc",
};

struct kmem_cache *kmalloc_caches[KMALLOC_NR_CLASSES + 1] = {
	[0 ... KMALLOC_NR_CLASSES] = &kmalloc_unready,
};
u8 kmalloc_size_index[KMALLOC_MAX_CACHE_SIZE / 8 + 1];

/*
 * The same lookup flattened for the fast paths: kmalloc_size_cache[(size -
 * 1) / 8] is kmalloc_caches[kmalloc_size_index[(size + 7) / 8]]. One load
 * instead of two dependent ones, indexed by size - 1, which the range check
 * has computed already; 16 KiB, of which a request touches one cache line.
 */
struct kmem_cache *kmalloc_size_cache[KMALLOC_MAX_CACHE_SIZE / 8] = {
	[0 ... KMALLOC_MAX_CACHE_SIZE / 8 - 1] = &kmalloc_unready,
};

static __always_inline struct kmem_cache *kmalloc_cache_for(size_t size)
{
	return kmalloc_size_cache[(size - 1) >> 3];
}

static char kmalloc_names[KMALLOC_NR_CLASSES][24];

/*
 * Red zones for large kmallocs: on when slab_debug= gives Z to the name
 * "kmalloc-large" (a global "Z", "FZPU" or "kmalloc-*" does). The block's
 * bytes after the request are filled with SLAB_RED_ACTIVE at allocation
 * and checked at kfree; the request is kept in the head page's
 * _reserved[0] (0: not red-zoned). ksize() then returns the request.
 */
static bool kmalloc_large_redzone;

#define kmalloc_large_orig(head) ((head)->_reserved[0])

static unsigned long kmalloc_large_bytes(const struct page *head)
{
	return PAGE_SIZE << head->private;
}

/* Red-zone @head's bytes from @size on (a new or shrunk request). */
static void kmalloc_large_set_redzone(struct page *head, size_t size)
{
	size_t old = kmalloc_large_orig(head) ? kmalloc_large_orig(head)
					      : kmalloc_large_bytes(head);

	kmalloc_large_orig(head) = size;
	if (size < old)
		memset((char *)page_address(head) + size, SLAB_RED_ACTIVE, old - size);
}

/* Check the red zone after a large kmalloc's request; report and restore. */
static void kmalloc_large_check(struct page *head, unsigned long caller)
{
	unsigned long i, last, orig = kmalloc_large_orig(head);
	unsigned long end = kmalloc_large_bytes(head);
	u8 *p = page_address(head);

	if (!orig)
		return;
	for (i = orig; i < end; i++)
		if (p[i] != SLAB_RED_ACTIVE)
			break;
	if (i == end)
		return;
	for (last = end - 1; p[last] == SLAB_RED_ACTIVE; last--)
		;
	slab_bug(&kmalloc_unready, p, (long)i, caller, "Right Redzone overwritten");
	printk(KERN_ERR "0x%lx-0x%lx @offset=%lu. First byte 0x%02x instead of 0x%02x\n",
	       (unsigned long)(p + i), (unsigned long)(p + last), i, p[i],
	       SLAB_RED_ACTIVE);
	printk(KERN_ERR "Object 0x%lx requested size %lu of %lu (large kmalloc); red zone restored\n",
	       (unsigned long)p, orig, end);
	memset(p + orig, SLAB_RED_ACTIVE, end - orig);
}

/* Create one cache per class and fill the size index. Called by kmem_cache_init. */
void kmalloc_caches_init(void)
{
	unsigned int i, j, c = 0, size, align;

	for (i = 0; i <= KMALLOC_NR_CLASSES; i++)
		kmalloc_caches[i] = &kmalloc_unready;
	memset(kmalloc_size_index, 0, sizeof(kmalloc_size_index));
	for (j = 0; j < KMALLOC_MAX_CACHE_SIZE / 8; j++)
		kmalloc_size_cache[j] = &kmalloc_unready;
	for (i = 0; i < KMALLOC_NR_CLASSES; i++) {
		size = kmalloc_class_size[i];
		align = (size & (size - 1)) ? 8 : size;
		if (size >= 1024 && size % 1024 == 0)
			snprintf(kmalloc_names[i], sizeof(kmalloc_names[i]),
				 "kmalloc-%uk", size / 1024);
		else
			snprintf(kmalloc_names[i], sizeof(kmalloc_names[i]),
				 "kmalloc-%u", size);
		kmalloc_caches[i + 1] = slab_create(kmalloc_names[i], size, align,
						    SLAB_KMALLOC | SLAB_PANIC, NULL);
	}
	kmalloc_large_redzone = slab_debug_flags_for("kmalloc-large") & SLAB_RED_ZONE;
	for (j = 1; j <= KMALLOC_MAX_CACHE_SIZE / 8; j++) {
		while (kmalloc_class_size[c] < j * 8) /* the last is the limit */
			c++;
		kmalloc_size_index[j] = (u8)(c + 1);
		kmalloc_size_cache[j - 1] = kmalloc_caches[c + 1];
	}
}

/* The smallest order whose block holds @size bytes. */
static unsigned int kmalloc_order(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size && order <= KMALLOC_SHIFT_MAX)
		order++;
	return order;
}

/*
 * kmalloc's slow path: zero, large, zone-restricted, or too large. Pages
 * of node @nid first, unless NUMA_NO_NODE.
 */
static __noinline void *kmalloc_large_node(size_t size, gfp_t gfp,
					   unsigned long caller, int nid)
{
	unsigned int order;
	struct page *page;

	if (!size)
		return ZERO_SIZE_PTR;
	if (unlikely(gfp_is_bad(gfp)))
		gfp = gfp_fixup(gfp, caller);
	order = kmalloc_order(size);
	if (order > KMALLOC_SHIFT_MAX) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("kmalloc: %zu bytes is more than the largest allocation "
				"(%lu), caller %pS\n", size,
				PAGE_SIZE << KMALLOC_SHIFT_MAX, (void *)caller);
		return NULL;
	}
	page = nid == NUMA_NO_NODE ? alloc_pages(gfp, order) :
	       alloc_pages_node(nid, gfp, order);
	if (!page)
		return NULL;
	page_set_flag(page, PG_large_kmalloc);
	page->private = order;
	kmalloc_large_orig(page) = 0;
	if (kmalloc_large_redzone)
		kmalloc_large_set_redzone(page, size);
	return kasan_kmalloc_large(page_address(page), size, caller);
}

#define kmalloc_large(size, gfp, caller) \
	kmalloc_large_node(size, gfp, caller, NUMA_NO_NODE)

/*
 * __kmalloc's miss (@r: see slab_alloc_miss()): an empty magazine, KFENCE's
 * turn, __GFP_ZERO, or a large size.
 */
static __noinline void *kmalloc_slow(size_t size, gfp_t gfp, unsigned long caller,
				     enum slab_alloc_result r)
{
	if (size - 1 < KMALLOC_MAX_CACHE_SIZE && !(gfp & KMALLOC_ZONE_GFP))
		return kasan_slab_alloc(kmalloc_cache_for(size),
					slab_alloc_miss(kmalloc_cache_for(size), gfp,
							(unsigned int)size, caller, r),
					size, caller);
	return kmalloc_large(size, gfp, caller);
}

/*
 * kmalloc() of a size the compiler knew (see mm/slab.h). The fast path
 * leaves kfree's hint (slab_kmalloc_mag()) behind, which is why it must only
 * ever see kmalloc caches.
 */
void *__kmalloc_slot(unsigned long slot, gfp_t gfp, unsigned long size)
{
	enum slab_alloc_result r = SLAB_ALLOC_SLOW;
	struct kmem_cache *s;
	void *obj;

	DEBUG_ASSERT(slot < ARRAY_SIZE(kmalloc_size_cache));
	s = kmalloc_size_cache[slot];

	if (likely(!(gfp & GFP_SLOW_MASK)))
		r = slab_alloc_pop(s, &obj, true);
	if (likely(r == SLAB_POPPED))
		return kasan_slab_alloc(s, obj, (slot + 1) * 8, _RET_IP_);
	return kasan_slab_alloc(s, slab_alloc_miss(s, gfp, (unsigned int)size,
						   _RET_IP_, r),
				size, _RET_IP_);
}

/*
 * kmalloc() of any size (see mm/slab.h). Every miss, __GFP_ZERO included,
 * goes to one slow-path call, so that GCC sets up the frame _RET_IP_ needs
 * on that branch only.
 */
void *__kmalloc(size_t size, gfp_t gfp)
{
	enum slab_alloc_result r = SLAB_ALLOC_SLOW;
	void *obj;

	if (likely(size - 1 < KMALLOC_MAX_CACHE_SIZE && !(gfp & GFP_SLOW_MASK)))
		r = slab_alloc_pop(kmalloc_cache_for(size), &obj, true);
	if (likely(r == SLAB_POPPED))
		return kasan_slab_alloc(kmalloc_cache_for(size), obj, size, _RET_IP_);
	return kmalloc_slow(size, gfp, _RET_IP_, r);
}

/* kmalloc, zeroed. */
void *kzalloc(size_t size, gfp_t gfp)
{
	if (likely(size - 1 < KMALLOC_MAX_CACHE_SIZE && !(gfp & KMALLOC_ZONE_GFP)))
		return kasan_slab_alloc(kmalloc_cache_for(size),
					slab_alloc_sized(kmalloc_cache_for(size), gfp | __GFP_ZERO,
							 _RET_IP_, (unsigned int)size),
					size, _RET_IP_);
	return kmalloc_large(size, gfp | __GFP_ZERO, _RET_IP_);
}

/* A zeroed array of @n elements of @size bytes; NULL if n * size overflows. */
void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	if (likely(bytes - 1 < KMALLOC_MAX_CACHE_SIZE && !(gfp & KMALLOC_ZONE_GFP)))
		return kasan_slab_alloc(kmalloc_cache_for(bytes),
					slab_alloc_sized(kmalloc_cache_for(bytes), gfp | __GFP_ZERO,
							 _RET_IP_, (unsigned int)bytes),
					bytes, _RET_IP_);
	return kmalloc_large(bytes, gfp | __GFP_ZERO, _RET_IP_);
}

/* The head page of the large kmalloc containing @pfn, or NULL. */
static struct page *kmalloc_large_head(unsigned long pfn)
{
	unsigned int order;
	unsigned long head;

	for (order = 0; order <= KMALLOC_SHIFT_MAX; order++) {
		head = pfn & ~((1UL << order) - 1);
		if (!pfn_valid(head))
			return NULL;
		if (page_test_flag(pfn_to_page(head), PG_large_kmalloc) &&
		    pfn - head < (1UL << pfn_to_page(head)->private))
			return pfn_to_page(head);
	}
	return NULL;
}

/* Usable size of @p, or 0 (reported) when @p is no kmalloc object. */
static size_t kmalloc_usable(const void *p, unsigned long caller)
{
	unsigned long pfn = PHYS_PFN(__pa(p));
	struct page *head;
	unsigned int idx;

	if (unlikely(is_kfence_address(p)))
		return kfence_ksize(p, caller);
	head = slab_lookup(p);
	if (head) {
		struct kmem_cache *s = head->slab_cache;

		if (!(s->flags & SLAB_DEAD) && slab_obj_index(s, head, p, &idx))
			return slab_is_debug(s) ? slab_debug_orig_size(s, p)
						: s->object_size;
		slab_free_slow(s, p, caller); /* reports what is wrong */
		return 0;
	}
	head = pfn_valid(pfn) ? kmalloc_large_head(pfn) : NULL;
	if (head && p == page_address(head))
		return kmalloc_large_orig(head) ? kmalloc_large_orig(head)
						: kmalloc_large_bytes(head);
	slab_bug(&kmalloc_unready, p, 0, caller,
		 head ? "Invalid pointer (not at the start of a large kmalloc)"
		      : "Pointer not in any slab or large kmalloc");
	return 0;
}

/* Free the large kmalloc whose head page is @head. */
static void kmalloc_large_free(struct page *head, unsigned long caller)
{
	kmalloc_large_check(head, caller);
	kmalloc_large_orig(head) = 0;
	page_clear_flag(head, PG_large_kmalloc);
	__free_pages(head, (unsigned int)head->private);
}

/* kfree's slow path: large allocations, everything suspicious. */
static __noinline void kfree_slow(const void *p, unsigned long caller)
{
	unsigned long pfn = PHYS_PFN(__pa(p));
	struct page *head;

	if (unlikely(is_kfence_address(p))) {
		kfence_free(NULL, p, caller);
		return;
	}
	/*
	 * The start of a large kmalloc: its own page is the head, which says
	 * so, and no slab's (slab pages never carry PG_large_kmalloc). Any
	 * other pointer into one takes the lookups below.
	 */
	if (pfn_valid(pfn)) {
		head = pfn_to_page(pfn);
		if (page_test_flag(head, PG_large_kmalloc) && p == page_address(head)) {
			kmalloc_large_free(head, caller);
			return;
		}
	}
	head = slab_lookup(p);
	if (head) {
		struct kmem_cache *s = head->slab_cache;

		/*
		 * The allocator's own caches (struct kmem_cache, magazines)
		 * give no object to any caller, so no kfree() of one is
		 * legitimate: it is a stale pointer into memory reused for
		 * them (a double free of a large kmalloc whose pages now hold
		 * a live cache's struct), and freeing it would free a cache
		 * in use. slab_dead_cache reports in slab_free_slow().
		 */
		if (unlikely((s->flags & (SLAB_STATIC | SLAB_DEAD)) == SLAB_STATIC)) {
			slab_bug(s, p, 0, caller,
				 "Not a kmalloc object: the allocator's own (stale pointer or double free?)");
			return;
		}
		slab_free_slow(s, p, caller);
		return;
	}
	head = pfn_valid(pfn) ? kmalloc_large_head(pfn) : NULL;
	if (!head) {
		slab_bug(&kmalloc_unready, p, 0, caller,
			 "Pointer not in any slab or large kmalloc");
		return;
	}
	if (p != page_address(head)) {
		slab_bug(&kmalloc_unready, p,
			 (long)((unsigned long)p - (unsigned long)page_address(head)),
			 caller, "Invalid pointer (not at the start of a large kmalloc)");
		return;
	}
	kmalloc_large_free(head, caller);
}

/*
 * kfree's fast path did not free @p (@r says why); interrupts still off,
 * @flags from mm_irq_save(). One call for both misses, so that GCC sets up
 * the frame _RET_IP_ needs on this branch only. For SLAB_FREE_FULL the
 * fast path proved @p an object of a slab with magazines, on this CPU's
 * node, not yet free: its cache and magazine are found again (fewer live
 * registers on the fast path), not checked again.
 */
static __noinline void kfree_miss(const void *p, enum slab_free_result r,
				  unsigned long flags, unsigned long caller)
{
	if (r == SLAB_FREE_FULL) {
		struct kmem_cache *s = pfn_to_page(PHYS_PFN(__pa_direct(p)))->slab_cache;

		slab_free_full(s, s->mag[mm_cpu_id()], p, flags, caller);
		return;
	}
	mm_irq_restore(flags);
	kfree_slow(p, caller);
}

/*
 * kfree's fast paths, interrupts off: the object kmalloc handed out last
 * on this CPU, needing no lookup at all; else an object in any page of a
 * slab (PG_slab or PG_slab_tail: every page of a slab names its cache),
 * going into this CPU's magazine of the slab's cache after the same checks
 * as kmem_cache_free. That magazine's own m->last is not compared again:
 * the hint catches the common case, and the compare cost every other kfree
 * 2 instructions for the few it would have spared the checks.
 */
static __always_inline enum slab_free_result kfree_fast(const void *p)
{
	struct slab_magazine *m;
	struct kmem_cache *s;
	unsigned long pfn;
	struct page *pg;

	if (likely(slab_free_last(slab_kmalloc_mag(), p)))
		return SLAB_FREED;
	pfn = PHYS_PFN(__pa_direct(p));
	if (unlikely(!slab_pfn_in_map(pfn)))
		return SLAB_FREE_SLOW;
	pg = pfn_to_page(pfn);
	if (unlikely(!(pg->flags & (BIT(PG_slab) | BIT(PG_slab_tail)))))
		return SLAB_FREE_SLOW;
	s = pg->slab_cache;
	m = s->mag[mm_cpu_id()];
	/* NUMA: another node's object skips the magazine (slab_free_remote()). */
	if (slab_free_remote(pg))
		return SLAB_FREE_SLOW;
	return slab_free_checked(s, m, p);
}

/* Free memory from kmalloc (or any slab object). NULL and ZERO_SIZE_PTR are ignored. */
void kfree(const void *p)
{
	enum slab_free_result r;
	unsigned long flags;

	if (unlikely(ZERO_OR_NULL_PTR(p)) || kasan_kfree(p, _RET_IP_))
		return;
	flags = mm_irq_save();
	r = kfree_fast(p);
	if (likely(r == SLAB_FREED)) {
		mm_irq_restore(flags);
		return;
	}
	kfree_miss(p, r, flags, _RET_IP_);
}

/*
 * The usable size of a kmalloc'd object (>= what was asked for); 0 for
 * NULL. In a debug kmalloc cache (slab_debug=) and for a red-zoned large
 * kmalloc it is exactly what was asked for: the bytes after it are red zone.
 */
size_t ksize(const void *p)
{
	if (ZERO_OR_NULL_PTR(p))
		return 0;
	return kasan_ksize(p, kmalloc_usable(p, _RET_IP_));
}

/* A debugged object shrunk in place: its red zone now starts at @size. */
static void kmalloc_debug_shrink(const void *p, size_t size)
{
	unsigned long pfn = PHYS_PFN(__pa(p));
	struct page *head;

	if (is_kfence_address(p))
		return;
	head = slab_lookup(p);
	if (head) {
		if (slab_is_debug(head->slab_cache))
			slab_debug_kmalloc_shrink(head->slab_cache, (void *)p,
						  (unsigned int)size);
		return;
	}
	head = kmalloc_large_head(pfn);
	if (head && kmalloc_large_orig(head))
		kmalloc_large_set_redzone(head, size);
}

/*
 * Resize @p to @new_size, keeping its contents; in place when it fits.
 * NULL on failure (then @p is untouched); new_size 0 frees and returns
 * ZERO_SIZE_PTR.
 */
void *krealloc(const void *p, size_t new_size, gfp_t gfp)
{
	size_t old;
	void *n;

	if (!new_size) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	if (ZERO_OR_NULL_PTR(p))
		return kmalloc(new_size, gfp);
	old = kmalloc_usable(p, _RET_IP_);
	if (!old)
		return NULL;
	if (new_size <= old) {
		kmalloc_debug_shrink(p, new_size);
		return kasan_krealloc(p, new_size, _RET_IP_);
	}
	n = kmalloc(new_size, gfp & ~__GFP_ZERO);
	if (!n)
		return NULL;
	memcpy(n, p, old);
	if (gfp & __GFP_ZERO)
		memset((char *)n + old, 0, new_size - old);
	kfree(p);
	return n;
}

/*
 * kmalloc() of node @node's memory (NUMA_NO_NODE: kmalloc() itself); of
 * another node's when @node has none, unless __GFP_THISNODE (then NULL).
 * Slab-sized requests take the cache's node path (slab_alloc_node(), see
 * slab_node_source() in mm/slab.c), past the magazines; kfree() takes
 * either back.
 */
void *kmalloc_node(size_t size, gfp_t gfp, int node)
{
	struct kmem_cache *s;

	if (node == NUMA_NO_NODE)
		return kmalloc(size, gfp);
	if (size - 1 >= KMALLOC_MAX_CACHE_SIZE || (gfp & KMALLOC_ZONE_GFP))
		return kmalloc_large_node(size, gfp, _RET_IP_, node);
	s = kmalloc_cache_for(size);
	return kasan_slab_alloc(s, slab_alloc_node(s, gfp, _RET_IP_, (unsigned int)size,
						   node), size, _RET_IP_);
}

// SPDX-License-Identifier: MIT
/*
 * KASAN: what the allocators tell the shadow (the hooks of mm/kasan.h),
 * the quarantine, and who allocated and freed what.
 *
 *   slab object   slot = [left red zone | object | right part of the slot]
 *     new slab    the whole slab fc (red zone)
 *     allocated   the requested bytes 00 (a partial last granule 01..07),
 *                 the rest of the slot fc
 *     freed       the object fb, then into the quarantine; the allocator
 *                 gets it back only when it leaves the quarantine
 *   pages         allocated 00, free ff (all of the buddy's memory at boot)
 *   large kmalloc the requested bytes 00, the rest of its block fe
 *   vmalloc area  the requested bytes 00, the rest of its pages and the
 *                 guard page f8, and f8 again once freed
 *
 * The quarantine is a FIFO of freed slab objects, bounded in objects and
 * bytes: a use after free is caught while the object waits there, rather
 * than hidden by the next allocation reusing it. Objects of internal caches
 * (SLAB_STATIC: the cache of caches and of magazines) are neither poisoned
 * nor quarantined: the allocator itself uses them.
 *
 * The call chains of each allocation and free are kept in a table indexed
 * by a hash of the object's address (a newer object may take an older
 * one's entry; a report then says no record is left).
 *
 * Lock order: kasan_quarantine_lock -> kmem_cache.lock -> zone lock; the
 * table's lock is taken alone.
 */
#include "mm/kasan/kasan.h"
#include "mm/slab_internal.h"
#include "mm/internal.h"
#include "mm/gfp.h"

/* ---- call chains and the object table ------------------------------------- */

extern char _text[], _etext[];

#define KASAN_MAX_FRAME_SPAN 0x10000UL /* larger than any kernel stack */

/*
 * Return addresses of the frame-pointer chain from @fp, innermost first.
 * Walks only while each frame lies a little above the last and returns
 * into kernel text, so a chain that leaves the stack ends there.
 */
unsigned int kasan_save_stack(unsigned long *frames, unsigned int max,
			      unsigned long fp)
{
	unsigned int n = 0;

	while (n < max && fp && !(fp & 7)) {
		unsigned long next = ((unsigned long *)fp)[0];
		unsigned long ret = ((unsigned long *)fp)[1];

		if (ret < (unsigned long)_text || ret >= (unsigned long)_etext)
			break;
		frames[n++] = ret;
		if (next <= fp || next - fp > KASAN_MAX_FRAME_SPAN)
			break;
		fp = next;
	}
	return n;
}

#define KASAN_META_BITS 12
#define KASAN_META_ENTRIES (1U << KASAN_META_BITS)

static struct kasan_meta kasan_meta_table[KASAN_META_ENTRIES];
static mm_spinlock_t kasan_meta_lock = MM_SPINLOCK_INIT;

static struct kasan_meta *kasan_meta_slot(unsigned long addr)
{
	return &kasan_meta_table[((addr >> 3) * 0x9e3779b97f4a7c15ULL) >>
				 (64 - KASAN_META_BITS)];
}

static void kasan_set_track(struct kasan_track *t, unsigned long fp)
{
	t->cpu = (unsigned int)mm_cpu_id();
	/* Skip the hook's own frame: the chain starts at the allocator's caller. */
	t->nr = kasan_save_stack(t->frames, KASAN_STACK_DEPTH, fp);
}

static void kasan_record(unsigned long addr, size_t size, bool freed, unsigned long fp)
{
	struct kasan_meta *m = kasan_meta_slot(addr);
	unsigned long irq = mm_irq_save();

	mm_spin_lock(&kasan_meta_lock);
	if (!freed) {
		m->addr = addr;
		m->size = size;
		m->freed = false;
		m->free.nr = 0;
		kasan_set_track(&m->alloc, fp);
	} else if (m->addr == addr) {
		m->freed = true;
		kasan_set_track(&m->free, fp);
	}
	mm_spin_unlock(&kasan_meta_lock);
	mm_irq_restore(irq);
}

/* The record of the object at @addr, or NULL if none is left. */
const struct kasan_meta *kasan_meta_find(unsigned long addr)
{
	const struct kasan_meta *m = kasan_meta_slot(addr);

	return m->addr == addr ? m : NULL;
}

/* ---- the quarantine ------------------------------------------------------- */

#define KASAN_QUARANTINE_OBJECTS 1024
#define KASAN_QUARANTINE_BYTES   (1UL << 20)

struct kasan_qentry {
	void *obj;
	struct kmem_cache *s;
	unsigned long caller;
};

static struct kasan_qentry kasan_quarantine[KASAN_QUARANTINE_OBJECTS];
static unsigned int kasan_q_head, kasan_q_count;
static unsigned long kasan_q_bytes;
static mm_spinlock_t kasan_quarantine_lock = MM_SPINLOCK_INIT;

/* Give the oldest object back to its cache. Quarantine lock held. */
static void kasan_quarantine_evict_locked(void)
{
	struct kasan_qentry *e = &kasan_quarantine[kasan_q_head];

	kasan_q_head = (kasan_q_head + 1) % KASAN_QUARANTINE_OBJECTS;
	kasan_q_count--;
	kasan_q_bytes -= e->s->size;
	slab_free_slow(e->s, e->obj, e->caller);
}

static void kasan_quarantine_put(struct kmem_cache *s, void *obj, unsigned long caller)
{
	unsigned long irq = mm_irq_save();
	struct kasan_qentry *e;

	mm_spin_lock(&kasan_quarantine_lock);
	while (kasan_q_count &&
	       (kasan_q_count == KASAN_QUARANTINE_OBJECTS ||
		kasan_q_bytes + s->size > KASAN_QUARANTINE_BYTES))
		kasan_quarantine_evict_locked();
	e = &kasan_quarantine[(kasan_q_head + kasan_q_count) % KASAN_QUARANTINE_OBJECTS];
	e->obj = obj;
	e->s = s;
	e->caller = caller;
	kasan_q_count++;
	kasan_q_bytes += s->size;
	mm_spin_unlock(&kasan_quarantine_lock);
	mm_irq_restore(irq);
}

void kasan_quarantine_flush(void)
{
	unsigned long irq = mm_irq_save();

	mm_spin_lock(&kasan_quarantine_lock);
	while (kasan_q_count)
		kasan_quarantine_evict_locked();
	mm_spin_unlock(&kasan_quarantine_lock);
	mm_irq_restore(irq);
}

/* Free every quarantined object of @s (or just @obj), keeping the others in order. */
static void kasan_quarantine_remove(struct kmem_cache *s, const void *obj)
{
	unsigned long irq = mm_irq_save();
	unsigned int i, kept = 0;

	mm_spin_lock(&kasan_quarantine_lock);
	for (i = 0; i < kasan_q_count; i++) {
		struct kasan_qentry e =
			kasan_quarantine[(kasan_q_head + i) % KASAN_QUARANTINE_OBJECTS];

		if (e.s == s && (!obj || e.obj == obj)) {
			kasan_q_bytes -= s->size;
			slab_free_slow(s, e.obj, e.caller);
		} else {
			kasan_quarantine[(kasan_q_head + kept++) % KASAN_QUARANTINE_OBJECTS] = e;
		}
	}
	kasan_q_count = kept;
	mm_spin_unlock(&kasan_quarantine_lock);
	mm_irq_restore(irq);
}

void kasan_cache_shrink(struct kmem_cache *s)
{
	kasan_quarantine_remove(s, NULL);
}

/* ---- slab ----------------------------------------------------------------- */

static bool kasan_cache_checked(const struct kmem_cache *s)
{
	return READ_ONCE(kasan_ready) && !(s->flags & SLAB_STATIC);
}

void kasan_poison_slab(struct kmem_cache *s, struct page *head)
{
	if (kasan_cache_checked(s))
		kasan_poison((unsigned long)slab_base(head), PAGE_SIZE << s->order,
			     KASAN_SLAB_REDZONE);
}

void *kasan_slab_alloc(struct kmem_cache *s, void *obj, size_t size,
		       unsigned long caller)
{
	unsigned long a = (unsigned long)obj, slot, end, rz;

	if (!obj || ZERO_OR_NULL_PTR(obj) || !kasan_cache_checked(s))
		return obj;
	slot = a - s->offset;
	end = slot + s->size;
	if (a > slot)
		kasan_poison(slot, a - slot, KASAN_SLAB_REDZONE);
	kasan_unpoison(a, size);
	rz = ALIGN_UP(a + size, KASAN_GRANULE_SIZE);
	if (end > rz)
		kasan_poison(rz, end - rz, KASAN_SLAB_REDZONE);
	kasan_record(a, size, false, (unsigned long)__builtin_frame_address(0));
	return obj;
}

bool kasan_slab_free(struct kmem_cache *s, void *obj, unsigned long caller)
{
	unsigned long a = (unsigned long)obj;
	struct page *head;
	unsigned int idx;
	s8 shadow;

	if (ZERO_OR_NULL_PTR(obj) || !kasan_cache_checked(s))
		return false;
	/* Not a live object's start: the allocator reports what it is. */
	head = slab_lookup(obj);
	if (!head || head->slab_cache != s || (s->flags & SLAB_DEAD) ||
	    !slab_obj_index(s, head, obj, &idx))
		return false;
	shadow = *(s8 *)kasan_mem_to_shadow(a);
	if (kasan_current_disabled()) {
		/*
		 * The allocator checks this free itself: a second free of a
		 * quarantined object must reach it as one.
		 */
		if ((u8)shadow == KASAN_SLAB_FREE)
			kasan_quarantine_remove(s, obj);
		else
			kasan_poison(a, ALIGN_UP(s->object_size, KASAN_GRANULE_SIZE),
				     KASAN_SLAB_FREE);
		return false;
	}
	if (shadow < 0) {
		kasan_report_bad_free(obj, caller, (u8)shadow == KASAN_SLAB_FREE ?
				      "double-free" : "invalid-free");
		return true;
	}
	kasan_poison(a, ALIGN_UP(s->object_size, KASAN_GRANULE_SIZE), KASAN_SLAB_FREE);
	kasan_record(a, 0, true, (unsigned long)__builtin_frame_address(0));
	kasan_quarantine_put(s, obj, caller);
	return true;
}

bool kasan_kfree(const void *obj, unsigned long caller)
{
	struct page *head;

	if (ZERO_OR_NULL_PTR(obj) || !READ_ONCE(kasan_ready))
		return false;
	head = slab_lookup(obj);
	if (!head)
		return false; /* a large kmalloc, or no kmalloc pointer at all */
	return kasan_slab_free(head->slab_cache, (void *)obj, caller);
}

void *kasan_kmalloc_large(void *p, size_t size, unsigned long caller)
{
	unsigned long a = (unsigned long)p, rz, end;
	struct page *page;

	if (ZERO_OR_NULL_PTR(p) || !READ_ONCE(kasan_ready))
		return p;
	page = virt_to_page(p);
	end = a + (PAGE_SIZE << page->private);
	rz = ALIGN_UP(a + size, KASAN_GRANULE_SIZE);
	kasan_unpoison(a, size);
	if (end > rz)
		kasan_poison(rz, end - rz, KASAN_PAGE_REDZONE);
	kasan_record(a, size, false, (unsigned long)__builtin_frame_address(0));
	return p;
}

/* A kmalloc object resized in place to @size bytes. */
void *kasan_krealloc(const void *p, size_t size, unsigned long caller)
{
	struct page *head;

	if (ZERO_OR_NULL_PTR(p) || !READ_ONCE(kasan_ready))
		return (void *)p;
	head = slab_lookup(p);
	if (head)
		return kasan_slab_alloc(head->slab_cache, (void *)p, size, caller);
	return kasan_kmalloc_large((void *)p, size, caller);
}

size_t kasan_ksize(const void *p, size_t size)
{
	if (size)
		kasan_krealloc(p, size, _RET_IP_);
	return size;
}

/* ---- pages ---------------------------------------------------------------- */

struct page *kasan_alloc_pages(struct page *page, unsigned int order)
{
	if (page && READ_ONCE(kasan_ready))
		kasan_unpoison((unsigned long)page_address(page), PAGE_SIZE << order);
	return page;
}

/*
 * Mark a block free, but only one the page allocator will accept (the test
 * of its free_check()): a refused free must leave the shadow of memory
 * still in use alone.
 */
void kasan_free_pages(struct page *page, unsigned int order)
{
	unsigned long pfn;

	if (!page || !READ_ONCE(kasan_ready) || order > MAX_PAGE_ORDER)
		return;
	pfn = page_to_pfn(page);
	if (!pfn_valid(pfn))
		return;
	if ((page->flags & (BIT(PG_buddy) | BIT(PG_pcp) | BIT(PG_reserved) |
			    PAGE_OWNER_MASK)) ||
	    !(page->flags & BIT(PG_head)) || page_order(page) != order)
		return;
	kasan_poison((unsigned long)page_address(page), PAGE_SIZE << order,
		     KASAN_PAGE_FREE);
}

void kasan_free_init(struct page *page, unsigned int order)
{
	if (READ_ONCE(kasan_ready))
		kasan_poison((unsigned long)page_address(page), PAGE_SIZE << order,
			     KASAN_PAGE_FREE);
}

/* ---- vmalloc -------------------------------------------------------------- */

void *kasan_vmalloc(void *addr, size_t size, size_t area_size, unsigned long caller)
{
	unsigned long a = (unsigned long)addr;

	if (!addr || !READ_ONCE(kasan_ready))
		return addr;
	/*
	 * The area, its guard page after it, and their shadow. Without it the
	 * area cannot be handed out: a shadow page left from an earlier area
	 * reads "freed" and would turn every access into a false report.
	 */
	if (kasan_populate_vmalloc(a, a + area_size + PAGE_SIZE))
		return NULL;
	kasan_poison(a, area_size + PAGE_SIZE, KASAN_VMALLOC_INVALID);
	kasan_unpoison(a, size);
	kasan_record(a, size, false, (unsigned long)__builtin_frame_address(0));
	return addr;
}

void kasan_vfree(const void *addr, size_t area_size, unsigned long caller)
{
	unsigned long a = (unsigned long)addr;

	if (!addr || !READ_ONCE(kasan_ready) || !kasan_has_shadow(a))
		return;
	kasan_poison(a, area_size, KASAN_VMALLOC_INVALID);
	kasan_record(a, 0, true, (unsigned long)__builtin_frame_address(0));
}

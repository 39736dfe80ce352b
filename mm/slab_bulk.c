// SPDX-License-Identifier: MIT
/*
 * Bulk allocation and free, with Linux's names and semantics:
 * kmem_cache_alloc_bulk(), kmem_cache_free_bulk() and kfree_bulk().
 *
 * Theory of operation
 * -------------------
 * An allocation of @nr objects copies them out of this CPU's loaded
 * magazine as one block, with interrupts off once per magazine; when the
 * magazine runs dry, one object goes through the slow path, which loads a
 * whole full magazine (the previous one or the depot's, slab_depot.c) or
 * refills from the slabs, and the copying goes on. So a bulk allocation
 * costs a copy per object and a lock hold per magazine. All or nothing, as
 * in Linux: when memory runs out, the objects already taken are freed and
 * 0 is returned.
 *
 * A bulk free checks each pointer exactly as kmem_cache_free() does (the
 * cache from the page, an object start; the hardening of slab.c) before it
 * enters a magazine; full magazines go to the depot whole. kfree_bulk(), and
 * kmem_cache_free_bulk() with a NULL cache, find each object's cache from
 * its page, so one array may mix caches and large kmallocs. NULL entries
 * are skipped, as Linux does.
 *
 * Contexts: as kmem_cache_alloc() and kmem_cache_free().
 */
#include "mm/slab.h"
#include "mm/slab_internal.h"
#include "mm/kasan.h"
#include "kmm/string.h"

/*
 * Allocate @nr objects of @s into @p[0..nr-1]; returns @nr, or 0 with
 * nothing kept when memory runs out (Linux's contract). __GFP_ZERO zeroes
 * each. The caller owns the objects until it frees them.
 */
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t gfp, size_t nr, void **p)
{
	unsigned long flags, caller = _RET_IP_;
	struct slab_magazine *m;
	size_t i = 0, k, take;

	if (!s || nr > 0x7fffffffUL)
		return 0;
	if (unlikely(gfp & SLAB_GFP_CHECK) && slab_gfp_refused(s, &gfp, caller))
		return 0;
	while (i < nr) {
		flags = mm_irq_save();
		m = s->mag[mm_cpu_id()];
		take = min((size_t)m->avail, nr - i);
		for (k = 0; k < take; k++) {
			p[i + k] = m->slot[m->avail - k];
			slab_mark_allocated(m, p[i + k]); /* a pop's double-free mark */
		}
		m->avail -= (unsigned int)take;
		if (take)
			slab_mag_forget_last(m);
		mm_irq_restore(flags);
		i += take;
		if (i == nr)
			break;
		/* Dry: the slow path loads a full magazine (or a debug cache's one object). */
		p[i] = slab_alloc_slow(s, gfp & ~__GFP_ZERO, caller);
		if (unlikely(!p[i]))
			goto err_free_taken;
		i++;
	}
	for (i = 0; i < nr; i++) {
		p[i] = kasan_slab_alloc(s, p[i], s->object_size, caller);
		if (gfp & __GFP_ZERO)
			memset(p[i], 0, s->object_size);
	}
	return (int)nr;

err_free_taken:
	/* Back as they came: KASAN never saw them handed out. */
	while (i--)
		slab_free_fast(s, p[i]);
	return 0;
}

/*
 * Free the @nr objects in @p, each checked as by kmem_cache_free() (as by
 * kfree() when @s is NULL: then they may come from any caches). NULL
 * entries are skipped.
 */
void kmem_cache_free_bulk(struct kmem_cache *s, size_t nr, void **p)
{
	size_t i;

	if (!s) {
		for (i = 0; i < nr; i++)
			kfree(p[i]);
		return;
	}
	for (i = 0; i < nr; i++)
		if (p[i] && !kasan_slab_free(s, p[i], _RET_IP_))
			slab_free_fast(s, p[i]);
}

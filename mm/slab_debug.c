// SPDX-License-Identifier: MIT
/*
 * Slab debugging: red zones, poisoning, owner tracking, the checker and
 * the BUG reports, and the slab_debug= option.
 *
 * Theory of operation
 * -------------------
 * A cache with any debug flag has no magazines: every allocation and free
 * goes through slab_alloc_slow/slab_free_slow with the cache lock held and
 * calls in here. An object is in one of two states, written into its slot
 * (layout in slab_internal.h) so the checker can verify it later:
 *
 *              left RZ    object                     right RZ   track
 *   free:      bb bb ..   6b 6b 6b ... 6b a5         bb bb ..   alloc, free
 *   in use:    cc cc ..   5a 5a ... (until written)  cc cc ..   alloc, free
 *
 * with poisoning (P) applying to the object bytes and red zones (Z) to the
 * guard bytes. In a kmalloc class the object records the size its caller
 * asked for (orig_offset, as Linux's orig_size) and, in use, the bytes from
 * there to object_size are red zone too (cc), so a kmalloc(60) overrun into
 * bytes 60..63 of its kmalloc-64 object is caught; ksize() returns the
 * requested size in such a cache; owner tracking (U) records the last allocating and freeing
 * caller. A new slab is first filled with 0x5a (never initialised), so the
 * unused tail of the slab keeps 0x5a for its whole life and is checked too.
 * Objects with a constructor are not poisoned: that would undo the
 * constructor's work, which must survive free/alloc cycles.
 *
 * Checks: allocation verifies the free state (catches writes to a freed
 * object), free verifies the object is not already on the slab's free list
 * (double free) and the in-use red zones (writes past either end).
 * slab_check_slab() verifies everything for one slab and counts one error
 * per damaged area (one red zone, one object's poison, one free list, one
 * counter), repairing each so that the next check returns 0.
 *
 * Reports start with "BUG <cache>: <what>" and name the object, the offset
 * of the damage within it, the caller, and the owner when tracked.
 *
 * slab_check() and show_slabinfo() take slab_caches_lock and each cache's
 * lock themselves. slab_check() reads and repairs other CPUs' magazines
 * without those CPUs' cooperation: its caller must ensure no other CPU uses
 * the cache meanwhile (mm/slab.c, "Other CPUs' magazines"). show_slabinfo()
 * only reads the counts, racily: its magazine figures are exact only when
 * the cache is quiet.
 *
 * Context: the per-object helpers run with the cache lock held and
 * interrupts off; slab_debug_setup/slab_debug_flags_for, slab_check and
 * show_slabinfo may be called from any context that may take the locks.
 */
#include "mm/slab.h"
#include "mm/slab_internal.h"
#include "kmm/string.h"

/* ---- slab_debug= ---------------------------------------------------------- */

#define SLAB_DEBUG_ALL (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | \
			SLAB_STORE_USER)
#define SLAB_DEBUG_MAX_BLOCKS 8

struct slab_debug_block {
	unsigned int flags;
	const char *names; /* comma-separated, into slab_debug_buf; NULL = all */
};

static char slab_debug_buf[256];
static struct slab_debug_block slab_debug_blocks[SLAB_DEBUG_MAX_BLOCKS];
static unsigned int slab_debug_nr_blocks;
static unsigned int slab_debug_global;

/* Parse option letters up to @end; -EINVAL on an unknown one. */
static int slab_debug_parse_flags(const char *p, const char *end,
				  unsigned int *flags)
{
	*flags = 0;
	if (p == end) {
		*flags = SLAB_DEBUG_ALL;
		return 0;
	}
	for (; p < end; p++) {
		switch (*p | 0x20) {
		case 'f': *flags |= SLAB_CONSISTENCY_CHECKS; break;
		case 'z': *flags |= SLAB_RED_ZONE; break;
		case 'p': *flags |= SLAB_POISON; break;
		case 'u': *flags |= SLAB_STORE_USER; break;
		case 't': case 'a': case 'o': break; /* tracing, failslab: not here */
		case '-' | 0x20: *flags = 0; break;
		default:
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * slab_debug=[options][,cache[,cache...]][;...], Linux's syntax. No
 * argument means FZPU for every cache; "-" turns debugging off; a cache name
 * may end in '*'. Replaces the previous setting; returns 0 or -EINVAL.
 */
int slab_debug_setup(const char *arg)
{
	struct slab_debug_block blocks[SLAB_DEBUG_MAX_BLOCKS];
	char buf[sizeof(slab_debug_buf)];
	unsigned int nr = 0, global = 0, flags;
	char *p, *semi, *comma;

	if (!arg || !*arg) {
		slab_debug_nr_blocks = 0;
		slab_debug_global = SLAB_DEBUG_ALL;
		return 0;
	}
	if (strlcpy(buf, arg, sizeof(buf)) >= sizeof(buf))
		goto err_invalid;
	for (p = buf; p; p = semi) {
		semi = strchr(p, ';');
		if (semi)
			*semi++ = '\0';
		comma = strchr(p, ',');
		if (slab_debug_parse_flags(p, comma ? comma : p + strlen(p), &flags))
			goto err_invalid;
		if (!comma || !comma[1]) {
			global = flags;
			continue;
		}
		if (nr == SLAB_DEBUG_MAX_BLOCKS)
			goto err_invalid;
		blocks[nr].flags = flags;
		blocks[nr].names = slab_debug_buf + (comma + 1 - buf);
		nr++;
		*comma = '\0';
	}
	memcpy(slab_debug_buf, buf, sizeof(buf));
	memcpy(slab_debug_blocks, blocks, sizeof(blocks[0]) * nr);
	slab_debug_nr_blocks = nr;
	slab_debug_global = global;
	return 0;

err_invalid:
	pr_err("slab: invalid slab_debug=%s, ignored\n", arg);
	return -EINVAL;
}

/* Does the comma-separated @list name @name (entries may end in '*')? */
static bool slab_debug_name_match(const char *list, const char *name)
{
	const char *p = list, *end;
	size_t len;

	while (*p) {
		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		if (len && p[len - 1] == '*') {
			if (!strncmp(p, name, len - 1))
				return true;
		} else if (len == strlen(name) && !strncmp(p, name, len)) {
			return true;
		}
		if (!end)
			break;
		p = end + 1;
	}
	return false;
}

/* The debug flags slab_debug= asks for on cache @name. */
unsigned int slab_debug_flags_for(const char *name)
{
	unsigned int i;

	for (i = 0; i < slab_debug_nr_blocks; i++)
		if (slab_debug_name_match(slab_debug_blocks[i].names, name))
			return slab_debug_blocks[i].flags;
	return slab_debug_global;
}

/*
 * Warn about each cache name slab_debug= gave that no existing cache
 * matches (a typo would otherwise leave debugging silently off); returns
 * how many. Call once the boot's caches exist.
 */
int slab_debug_check_names(void)
{
	struct kmem_cache *s;
	unsigned long flags;
	unsigned int i;
	const char *p, *end;
	char name[64];
	size_t len;
	int missing = 0;

	for (i = 0; i < slab_debug_nr_blocks; i++) {
		for (p = slab_debug_blocks[i].names; *p; p = end + 1) {
			bool found = false;

			end = strchr(p, ',');
			len = end ? (size_t)(end - p) : strlen(p);
			if (len && len < sizeof(name)) {
				memcpy(name, p, len);
				name[len] = '\0';
				flags = mm_irq_save();
				mm_spin_lock(&slab_caches_lock);
				list_for_each_entry(s, &slab_caches, list)
					found |= slab_debug_name_match(name, s->name);
				mm_spin_unlock(&slab_caches_lock);
				mm_irq_restore(flags);
				/* Large kmallocs' red zones (kmalloc.c): no cache, but a name. */
				found |= slab_debug_name_match(name, "kmalloc-large");
				if (!found) {
					pr_warn("slab: slab_debug: no cache matches \"%s\" (yet); only a cache created later under that name will be debugged\n",
						name);
					missing++;
				}
			}
			if (!end)
				break;
		}
	}
	return missing;
}

/* ---- reports --------------------------------------------------------------- */

static struct slab_track *slab_tracks(const struct kmem_cache *s, const void *obj)
{
	return (struct slab_track *)((char *)obj + s->track_offset);
}

/* Print who last allocated and freed @obj (owner tracking only). */
void slab_print_owner(const struct kmem_cache *s, const void *obj)
{
	struct slab_track *t;
	struct page *head;
	unsigned int idx;

	if (!obj || !(s->flags & SLAB_STORE_USER))
		return;
	head = slab_lookup(obj);
	if (!head || head->slab_cache != s || !slab_obj_index(s, head, obj, &idx))
		return;
	t = slab_tracks(s, obj);
	if (t[0].addr)
		printk(KERN_ERR "Allocated by %pS cpu %u seq %u\n",
		       (void *)t[0].addr, t[0].cpu, t[0].seq);
	if (t[1].addr)
		printk(KERN_ERR "Freed by %pS cpu %u seq %u\n",
		       (void *)t[1].addr, t[1].cpu, t[1].seq);
}

/* Report a misuse or corruption in @s: the BUG line, object, offset, caller, owner. */
void slab_bug(const struct kmem_cache *s, const void *obj, long offset,
	      unsigned long caller, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	printk(KERN_ERR "=============================================================================\n");
	printk(KERN_ERR "BUG %s: %s\n", s->name, what);
	printk(KERN_ERR "-----------------------------------------------------------------------------\n");
	if (obj)
		printk(KERN_ERR "Object 0x%lx offset %ld caller %pS\n",
		       (unsigned long)obj, offset, (void *)caller);
	else
		printk(KERN_ERR "Caller %pS\n", (void *)caller);
	slab_print_owner(s, obj);
}

/* ---- object states --------------------------------------------------------- */

static void slab_set_redzones(const struct kmem_cache *s, void *obj, u8 val)
{
	memset((char *)obj - s->offset, val, s->offset);
	memset((char *)obj + s->object_size, val, s->rz_right);
}

static void slab_poison_object(const struct kmem_cache *s, void *obj)
{
	memset(obj, SLAB_POISON_FREE, s->object_size - 1);
	((u8 *)obj)[s->object_size - 1] = SLAB_POISON_END;
}

/* Check @len bytes are @val; report the first bad one and restore. 1 if bad. */
static int slab_check_bytes(struct kmem_cache *s, void *obj, u8 *start,
			    unsigned int len, u8 val, unsigned long caller,
			    const char *what)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		if (start[i] != val)
			break;
	if (i == len)
		return 0;
	slab_bug(s, obj, (long)(start + i - (u8 *)obj), caller, "%s", what);
	printk(KERN_ERR "First bad byte 0x%02x at 0x%lx, expected 0x%02x; restored\n",
	       start[i], (unsigned long)(start + i), val);
	memset(start, val, len);
	return 1;
}

static int slab_check_redzones(struct kmem_cache *s, void *obj, u8 val,
			       unsigned long caller)
{
	int errors = 0;

	if (!(s->flags & SLAB_RED_ZONE))
		return 0;
	errors += slab_check_bytes(s, obj, (u8 *)obj - s->offset, s->offset, val,
				   caller, "Left Redzone overwritten");
	errors += slab_check_bytes(s, obj, (u8 *)obj + s->object_size, s->rz_right,
				   val, caller, "Right Redzone overwritten");
	return errors;
}

static int slab_check_poison(struct kmem_cache *s, void *obj, unsigned long caller)
{
	u8 *p = obj;
	unsigned int i, n = s->object_size;

	if (!slab_poisons(s))
		return 0;
	for (i = 0; i < n - 1; i++)
		if (p[i] != SLAB_POISON_FREE)
			break;
	if (i == n - 1 && p[i] == SLAB_POISON_END)
		return 0;
	slab_bug(s, obj, i, caller, "Poison overwritten (use after free)");
	printk(KERN_ERR "First bad byte 0x%02x at 0x%lx, expected 0x%02x; restored\n",
	       p[i], (unsigned long)(p + i),
	       i == n - 1 ? SLAB_POISON_END : SLAB_POISON_FREE);
	slab_poison_object(s, obj);
	return 1;
}

/* ---- requested sizes (debugged kmalloc classes) ---------------------------- */

static u32 *slab_orig_size_addr(const struct kmem_cache *s, const void *obj)
{
	return (u32 *)((char *)obj + s->orig_offset);
}

/*
 * What the kmalloc caller asked for, for an object in use of a debug cache
 * (the whole object elsewhere). ksize() returns it, so that no user may
 * touch the red zone after it.
 */
unsigned int slab_debug_orig_size(const struct kmem_cache *s, const void *obj)
{
	unsigned int n;

	if (!s->orig_offset)
		return s->object_size;
	n = *slab_orig_size_addr(s, obj);
	return n && n <= s->object_size ? n : s->object_size;
}

/*
 * The bytes between the requested size and the object's end, red zone of
 * an object in use (as Linux's orig_size): check them, 1 if overwritten.
 */
static int slab_check_kmalloc_tail(struct kmem_cache *s, void *obj,
				   unsigned long caller)
{
	unsigned int i, last, orig = slab_debug_orig_size(s, obj);
	u8 *p = obj;

	if (!(s->flags & SLAB_RED_ZONE) || orig >= s->object_size)
		return 0;
	for (i = orig; i < s->object_size; i++)
		if (p[i] != SLAB_RED_ACTIVE)
			break;
	if (i == s->object_size)
		return 0;
	for (last = s->object_size - 1; p[last] == SLAB_RED_ACTIVE; last--)
		;
	slab_bug(s, obj, i, caller, "Right Redzone overwritten");
	printk(KERN_ERR "0x%lx-0x%lx @offset=%u. First byte 0x%02x instead of 0x%02x\n",
	       (unsigned long)(p + i), (unsigned long)(p + last), i,
	       p[i], SLAB_RED_ACTIVE);
	printk(KERN_ERR "Object 0x%lx requested size %u of %u; red zone restored\n",
	       (unsigned long)obj, orig, s->object_size);
	memset(p + orig, SLAB_RED_ACTIVE, s->object_size - orig);
	return 1;
}

/* krealloc() in place to @size bytes (<= the current request). */
void slab_debug_kmalloc_shrink(struct kmem_cache *s, void *obj, unsigned int size)
{
	unsigned long flags;
	unsigned int orig;

	if (!s->orig_offset)
		return;
	flags = mm_irq_save();
	mm_spin_lock(&s->lock);
	orig = slab_debug_orig_size(s, obj);
	if (size && size < orig) {
		*slab_orig_size_addr(s, obj) = size;
		if (s->flags & SLAB_RED_ZONE)
			memset((char *)obj + size, SLAB_RED_ACTIVE, orig - size);
	}
	mm_spin_unlock(&s->lock);
	mm_irq_restore(flags);
}

static void slab_set_track(struct kmem_cache *s, void *obj, int which,
			   unsigned long caller)
{
	static unsigned int seq;
	struct slab_track *t = &slab_tracks(s, obj)[which];

	t->addr = caller;
	t->cpu = mm_cpu_id();
	t->seq = __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED);
}

/* Put a never-used object in the free state. */
void slab_debug_init_object(struct kmem_cache *s, void *obj)
{
	if (s->flags & SLAB_RED_ZONE)
		slab_set_redzones(s, obj, SLAB_RED_INACTIVE);
	if (slab_poisons(s))
		slab_poison_object(s, obj);
	if (s->flags & SLAB_STORE_USER)
		memset(slab_tracks(s, obj), 0, 2 * sizeof(struct slab_track));
	if (s->orig_offset)
		*slab_orig_size_addr(s, obj) = s->object_size;
}

/* Format a new slab: never-initialised fill, then every object free. */
void slab_debug_init_slab(struct kmem_cache *s, struct page *head)
{
	void *base = slab_base(head);
	unsigned int i;

	if (s->flags & SLAB_POISON)
		memset(base, SLAB_POISON_INUSE, PAGE_SIZE << s->order);
	for (i = 0; i < s->objects; i++)
		slab_debug_init_object(s, slab_object(s, base, i));
}

/*
 * An object leaves its slab: check the free state, then mark it in use.
 * @size is the request (object_size outside kmalloc); the bytes after it
 * join the right red zone in a kmalloc class. Returns the usable size.
 */
unsigned int slab_debug_on_alloc(struct kmem_cache *s, void *obj,
				 unsigned long caller, unsigned int size)
{
	slab_check_redzones(s, obj, SLAB_RED_INACTIVE, caller);
	slab_check_poison(s, obj, caller);
	if (s->flags & SLAB_RED_ZONE)
		slab_set_redzones(s, obj, SLAB_RED_ACTIVE);
	if (slab_poisons(s))
		memset(obj, SLAB_POISON_INUSE, s->object_size);
	if (s->flags & SLAB_STORE_USER)
		slab_set_track(s, obj, 0, caller);
	if (!s->orig_offset || !size || size > s->object_size)
		return s->object_size;
	*slab_orig_size_addr(s, obj) = size;
	if (s->flags & SLAB_RED_ZONE)
		memset((char *)obj + size, SLAB_RED_ACTIVE, s->object_size - size);
	return size;
}

/* Is @obj on @head's free list? Stops at a corrupt pointer. */
static bool slab_on_freelist(struct kmem_cache *s, struct page *head, void *obj)
{
	void *p = head->freelist;
	unsigned int n = 0, idx;

	while (p && n++ <= head->objects) {
		if (p == obj)
			return true;
		p = slab_get_fp_raw(s, p);
		if (p && !slab_obj_index(s, head, p, &idx))
			break;
	}
	return false;
}

/*
 * An object returns: refuse a double free, check and restore the red zones,
 * then put it in the free state. False means "do not free it".
 */
bool slab_debug_on_free(struct kmem_cache *s, struct page *head, void *obj,
			unsigned long caller)
{
	if (slab_on_freelist(s, head, obj)) {
		slab_bug(s, obj, 0, caller, "Object already free");
		return false;
	}
	slab_check_redzones(s, obj, SLAB_RED_ACTIVE, caller);
	slab_check_kmalloc_tail(s, obj, caller);
	if (s->flags & SLAB_STORE_USER)
		slab_set_track(s, obj, 1, caller);
	if (s->flags & SLAB_RED_ZONE)
		slab_set_redzones(s, obj, SLAB_RED_INACTIVE);
	if (slab_poisons(s))
		slab_poison_object(s, obj);
	return true;
}

/* ---- the checker ----------------------------------------------------------- */

#define FREEMAP_WORDS (SLAB_MAX_OBJECTS / 64)

static bool freemap_test(const u64 *map, unsigned int i)
{
	return (map[i / 64] >> (i % 64)) & 1;
}

/*
 * Walk @head's free list into @map. Returns the number of free objects, or
 * -1 after reporting and truncating a corrupt list (*nfree then holds the
 * objects kept).
 */
static int slab_walk_freelist(struct kmem_cache *s, struct page *head, u64 *map,
			      unsigned int *nfree, unsigned long caller)
{
	void *p = head->freelist, *last = NULL;
	unsigned int idx;

	memset(map, 0, FREEMAP_WORDS * sizeof(u64));
	*nfree = 0;
	while (p) {
		if (!slab_obj_index(s, head, p, &idx)) {
			if (last)
				slab_bug(s, last, s->fp_offset, caller,
					 "Freepointer corrupt (0x%lx)", (unsigned long)p);
			else
				slab_bug(s, p, 0, caller, "Slab freelist head corrupt");
			slab_truncate_freelist(s, head, last, *nfree);
			return -1;
		}
		if (freemap_test(map, idx)) {
			slab_bug(s, last, s->fp_offset, caller,
				 "Freelist loops back to object %u", idx);
			slab_truncate_freelist(s, head, last, *nfree);
			return -1;
		}
		map[idx / 64] |= 1ULL << (idx % 64);
		(*nfree)++;
		last = p;
		p = slab_get_fp_raw(s, p);
	}
	return (int)*nfree;
}

/* Take slot @i out of @m (a repair: the object stays free once). */
static void slab_mag_drop(struct slab_magazine *m, unsigned int i)
{
	unsigned int n = min(m->avail, (unsigned int)SLAB_MAG_MAX);

	for (; i < n; i++)
		m->slot[i] = m->slot[i + 1];
	m->avail = n - 1;
	slab_mag_forget_last(m);
}

/*
 * Double frees among @head's objects that magazines hold: an entry also on
 * the slab's free list (@map), or a second entry for one object, in the
 * same magazine or another CPU's. Each is reported and the extra copy
 * dropped, so that no flush meets it.
 */
static int slab_check_magazine_overlap(struct kmem_cache *s, struct page *head,
				       const u64 *map, unsigned long caller)
{
	unsigned long base = (unsigned long)slab_base(head);
	unsigned long bytes = PAGE_SIZE << s->order;
	u64 seen[FREEMAP_WORDS] = { 0 };
	struct slab_magazine *m;
	unsigned int cpu, i, idx, pos = 0;
	int errors = 0;

	/* Every CPU's loaded and previous magazine, then the depot's (slab_depot.c). */
	while ((m = slab_next_magazine(s, &pos, &cpu))) {
		for (i = 1; i <= m->avail && i <= SLAB_MAG_MAX;) {
			unsigned long a = (unsigned long)m->slot[i];

			if (a - base >= bytes || !slab_obj_index(s, head, m->slot[i], &idx)) {
				i++;
				continue;
			}
			if (freemap_test(map, idx)) {
				slab_bug(s, m->slot[i], 0, caller,
					 "Object in cpu %u magazine is also on the free list (double free)",
					 cpu);
			} else if (freemap_test(seen, idx)) {
				slab_bug(s, m->slot[i], 0, caller,
					 "Object in a magazine twice (double free), again in cpu %u's",
					 cpu);
			} else {
				seen[idx / 64] |= 1ULL << (idx % 64);
				i++;
				continue;
			}
			slab_mag_drop(m, i);
			errors++;
		}
	}
	return errors;
}

/*
 * Check one slab on list @state of @s: header, free list, counters, and for
 * debug caches every red zone, poison and the padding. Lock held.
 */
int slab_check_slab(struct kmem_cache *s, struct page *head,
		    enum slab_state state, unsigned long caller)
{
	u64 map[FREEMAP_WORDS];
	void *base = slab_base(head), *obj;
	unsigned int i, nfree, used_bytes;
	int errors = 0;

	if (!PageSlab(head) || head->slab_cache != s ||
	    head->slab_order != s->order || head->objects != s->objects ||
	    head->slab_state != state) {
		slab_bug(s, base, 0, caller, "Slab header corrupt (state %u, order %u, %u objects)",
			 head->slab_state, head->slab_order, head->objects);
		return 1;
	}
	if (slab_walk_freelist(s, head, map, &nfree, caller) < 0) {
		errors++;
		/* Objects cut off the list are now in use: mark them so. */
		if (s->flags & SLAB_RED_ZONE)
			for (i = 0; i < s->objects; i++)
				if (!freemap_test(map, i)) {
					obj = slab_object(s, base, i);
					slab_set_redzones(s, obj, SLAB_RED_ACTIVE);
					if (s->orig_offset)
						*slab_orig_size_addr(s, obj) = s->object_size;
				}
	} else if (nfree != (unsigned int)head->objects - head->inuse) {
		slab_bug(s, base, 0, caller, "Wrong inuse count %u: %u of %u objects free",
			 head->inuse, nfree, head->objects);
		slab_set_nfree(s, head, nfree);
		errors++;
	} else if (slab_expected_state(head) != state) {
		slab_bug(s, base, 0, caller, "Slab on the wrong list (%u in use of %u)",
			 head->inuse, head->objects);
		slab_set_nfree(s, head, nfree);
		errors++;
	}
	if (!slab_is_debug(s))
		return errors + slab_check_magazine_overlap(s, head, map, caller);

	for (i = 0; i < s->objects; i++) {
		obj = slab_object(s, base, i);
		if (freemap_test(map, i)) {
			errors += slab_check_redzones(s, obj, SLAB_RED_INACTIVE, caller);
			errors += slab_check_poison(s, obj, caller);
		} else {
			errors += slab_check_redzones(s, obj, SLAB_RED_ACTIVE, caller);
			errors += slab_check_kmalloc_tail(s, obj, caller);
		}
	}
	if (s->flags & SLAB_POISON) {
		used_bytes = (unsigned int)s->objects * s->size;
		errors += slab_check_bytes(s, (u8 *)base + used_bytes,
					   (u8 *)base + used_bytes,
					   (unsigned int)(PAGE_SIZE << s->order) - used_bytes,
					   SLAB_POISON_INUSE, caller, "Padding overwritten");
	}
	return errors;
}

/* List the objects of @head still allocated (kmem_cache_destroy). */
void slab_report_live(struct kmem_cache *s, struct page *head)
{
	u64 map[FREEMAP_WORDS];
	void *base = slab_base(head), *obj;
	unsigned int i, nfree;

	slab_walk_freelist(s, head, map, &nfree, _RET_IP_);
	for (i = 0; i < s->objects; i++) {
		if (freemap_test(map, i))
			continue;
		obj = slab_object(s, base, i);
		printk(KERN_ERR "Object 0x%lx still allocated\n", (unsigned long)obj);
		slab_print_owner(s, obj);
	}
}

/* ---- whole caches: slab_check, /proc/slabinfo ------------------------------ */

/* Check one list of node @nid; *@count += its slabs. Lock held. */
static int slab_check_list(struct kmem_cache *s, int nid, struct list_head *list,
			   enum slab_state state, unsigned long *count,
			   unsigned long caller)
{
	struct page *head, *tmp;
	int errors = 0;

	list_for_each_entry_safe(head, tmp, list, slab_list) {
		(*count)++;
		if (page_to_nid(head) != nid) {
			slab_bug(s, slab_base(head), 0, caller,
				 "Slab of node %d on node %d's list", page_to_nid(head), nid);
			errors++;
		}
		errors += slab_check_slab(s, head, state, caller);
	}
	return errors;
}

/* Check node @nid's lists and counters; adds its slabs to the totals. */
static int slab_check_node(struct kmem_cache *s, int nid, unsigned long *n_empty,
			   unsigned long *n_partial, unsigned long *n_full,
			   unsigned long caller)
{
	struct kmem_cache_node *n = &s->node[nid];
	unsigned long e = 0, p = 0, f = 0;
	int errors = 0;

	errors += slab_check_list(s, nid, &n->partial, SLAB_STATE_PARTIAL, &p, caller);
	errors += slab_check_list(s, nid, &n->full, SLAB_STATE_FULL, &f, caller);
	errors += slab_check_list(s, nid, &n->empty, SLAB_STATE_EMPTY, &e, caller);
	if (!errors && (e != n->nr_empty || p != n->nr_partial || f != n->nr_full)) {
		slab_bug(s, NULL, 0, caller,
			 "Node %d slab counts wrong: lists %lu/%lu/%lu, counters %lu/%lu/%lu",
			 nid, e, p, f, n->nr_empty, n->nr_partial, n->nr_full);
		n->nr_empty = e;
		n->nr_partial = p;
		n->nr_full = f;
		errors++;
	}
	*n_empty += e;
	*n_partial += p;
	*n_full += f;
	return errors;
}

/* Check every magazine entry of @s names an object of @s. Lock held. */
static int slab_check_magazines(struct kmem_cache *s, unsigned long caller)
{
	struct slab_magazine *m;
	unsigned int cpu, i, idx, pos = 0;
	struct page *head;
	int errors = 0;

	/* cpu MM_NR_CPUS: a magazine in the depot. */
	while ((m = slab_next_magazine(s, &pos, &cpu))) {
		if (m->avail > m->limit || m->limit > s->mag_limit || m->slot[0]) {
			slab_bug(s, m, 0, caller, "Magazine of cpu %u corrupt", cpu);
			errors++;
			continue;
		}
		for (i = 1; i <= m->avail; i++) {
			head = slab_lookup(m->slot[i]);
			if (!head || head->slab_cache != s ||
			    !slab_obj_index(s, head, m->slot[i], &idx)) {
				slab_bug(s, m->slot[i], 0, caller,
					 "Magazine of cpu %u holds a foreign pointer", cpu);
				errors++;
			}
		}
	}
	return errors;
}

/* The cache's count of free objects against its slabs'. Lock held. */
static int slab_check_free_total(struct kmem_cache *s, int errors,
				 unsigned long caller)
{
	unsigned long total = 0;
	struct page *head;

	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		struct list_head *lists[] = { &s->node[nid].partial, &s->node[nid].full,
					      &s->node[nid].empty };

		for (unsigned int i = 0; i < ARRAY_SIZE(lists); i++)
			list_for_each_entry(head, lists[i], slab_list)
				total += head->objects - head->inuse;
	}
	if (total == s->free_objects)
		return 0;
	s->free_objects = total;
	if (errors)
		return 0; /* a consequence of a repair already counted */
	slab_bug(s, NULL, 0, caller, "Free object count wrong");
	return 1;
}

/*
 * Validate every slab, free list, counter, red zone and poison byte of @s;
 * returns the number of errors, each reported. Repairs what it can.
 */
int slab_check(struct kmem_cache *s)
{
	unsigned long flags, n_empty, n_partial, n_full, caller = _RET_IP_;
	int errors = 0;

	if (!s || (s->flags & SLAB_DEAD))
		return 0;
	flags = mm_irq_save();
	mm_spin_lock(&s->lock);
	errors += slab_check_magazines(s, caller);
	n_empty = n_partial = n_full = 0;
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		errors += slab_check_node(s, nid, &n_empty, &n_partial, &n_full, caller);
	errors += slab_check_free_total(s, errors, caller);
	/* Slabs moved by repairs above may have been counted twice. */
	if (!errors && (n_empty != s->nr_empty || n_partial != s->nr_partial ||
			n_full != s->nr_full ||
			s->nr_slabs != s->nr_empty + s->nr_partial + s->nr_full)) {
		slab_bug(s, NULL, 0, caller,
			 "Slab counts wrong: lists %lu/%lu/%lu, counters %lu/%lu/%lu of %lu",
			 n_empty, n_partial, n_full, s->nr_empty, s->nr_partial,
			 s->nr_full, s->nr_slabs);
		s->nr_empty = n_empty;
		s->nr_partial = n_partial;
		s->nr_full = n_full;
		s->nr_slabs = n_empty + n_partial + n_full;
		errors++;
	}
	mm_spin_unlock(&s->lock);
	mm_irq_restore(flags);
	return errors;
}

/* slab_check() over every cache; returns the total error count. */
int slab_check_all(void)
{
	struct kmem_cache *s;
	unsigned long flags;
	int errors = 0;

	flags = mm_irq_save();
	mm_spin_lock(&slab_caches_lock);
	list_for_each_entry(s, &slab_caches, list)
		errors += slab_check(s);
	mm_spin_unlock(&slab_caches_lock);
	mm_irq_restore(flags);
	return errors;
}

/* Objects in @s's magazines (read racily for remote CPUs: statistics only). */
static unsigned long slab_magazine_objects(struct kmem_cache *s)
{
	struct slab_magazine *m;
	unsigned int cpu, pos = 0;
	unsigned long n = 0;

	while ((m = slab_next_magazine(s, &pos, &cpu)))
		n += READ_ONCE(m->avail);
	return n;
}

/* Print every cache in /proc/slabinfo version 2.1 format. */
void show_slabinfo(void)
{
	unsigned long flags, total, active, slabs, active_slabs;
	struct kmem_cache *s;

	printk("slabinfo - version: 2.1\n");
	printk("# name            <active_objs> <num_objs> <objsize> <objperslab> "
	       "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : "
	       "slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	flags = mm_irq_save();
	mm_spin_lock(&slab_caches_lock);
	list_for_each_entry(s, &slab_caches, list) {
		mm_spin_lock(&s->lock);
		slabs = s->nr_slabs;
		total = slabs * s->objects;
		active = total - s->free_objects - slab_magazine_objects(s);
		active_slabs = s->nr_partial + s->nr_full;
		mm_spin_unlock(&s->lock);
		printk("%-17s %6lu %6lu %6u %4u %4u : tunables %4u %4u %4u : slabdata %6lu %6lu %6u\n",
		       s->name, active, total, s->size, (unsigned int)s->objects,
		       1U << s->order, s->mag_limit, s->mag_batch, 0U,
		       active_slabs, slabs, 0U);
	}
	mm_spin_unlock(&slab_caches_lock);
	mm_irq_restore(flags);
}

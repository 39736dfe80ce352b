// SPDX-License-Identifier: MIT
/*
 * fuzz_slab: kmem_cache_* and kmalloc/kfree/krealloc driven by the input,
 * checked against a model.
 *
 * Each input starts a fresh machine and slab allocator. Its first byte picks
 * the debug configuration (none; slab_debug=F for every cache; FZPU; red
 * zones on a few kmalloc classes) and whether free lists are randomised.
 * Then operations until the input ends:
 *
 *   create / destroy        caches of any size, alignment and public flags,
 *                           with or without a constructor
 *   alloc / free            kmem_cache_alloc/zalloc/free, the bulk calls,
 *                           kmalloc/kzalloc/kcalloc/krealloc/kfree, any size
 *                           up to 3 pages and zone flags, kmem_cache_shrink
 *   misuse                  double free, interior pointer, wrong cache, a
 *                           pointer no allocator gave out, an object of a
 *                           destroyed cache
 *
 * The model (live[]) holds every object given out, filled with a pattern.
 * Each new object must not overlap a live one, must be aligned as promised,
 * zeroed when asked, and ksize() must cover the request; krealloc must keep
 * the contents. Every misuse must be reported ("BUG") and leave
 * slab_check_all() == 0. At the end every live object must still hold its
 * pattern; everything is freed and slab_check_all() must find nothing.
 *
 * A double free of an *older* object is only exercised in the all-debug
 * configuration: a non-debug cache catches only the immediate one
 * (mm/slab.c, "Hardening"), by design.
 */
#include <string.h>

#include "fuzz_common.h"
#include "host_mm.h"
#include "kernel/ktest.h"
#include "mm/slab.h"

#define MAX_LIVE   256
#define MAX_CACHES 4
#define MAX_OPS    512
#define MAX_KMALLOC (3 * PAGE_SIZE)

struct cache {
	struct kmem_cache *s;
	unsigned int size, align, flags;
	unsigned int gen; /* bumped by each create in this slot */
	bool ctor;
};

struct object {
	u8 *p;
	size_t size;     /* bytes the user asked for */
	int cache;       /* index into caches[], or -1 for kmalloc */
	unsigned int gen; /* caches[cache].gen when it was allocated */
	u8 seed;
};

static struct cache caches[MAX_CACHES];
static struct object live[MAX_LIVE];
static unsigned int nr_live;
static bool all_debug;

/* Pointers from destroyed caches (leaked by design) and recently freed. */
static u8 *orphans[16];
static unsigned int nr_orphans;
static struct object freed[16];
static unsigned int nr_freed;
static const u8 *last_freed; /* the immediately preceding free, if any */

/* Machine: 64 MiB of DMA32 and a little DMA; small enough to run out. */
static const struct boot_mem_range slab_map[] = {
	{ 0x100000, 0xf00000, BOOT_MEM_USABLE, 0 },
	{ 0x1000000, 0x3000000, BOOT_MEM_USABLE, 0 },
};

static const char *const debug_configs[] = {
	"-", "F", "FZPU", "Z,kmalloc-64,kmalloc-8;P,kmalloc-256,fuzz1",
};

static void ctor_fn(void *obj)
{
	memset(obj, 0xc7, 8);
}

static u8 pat(const struct object *o, size_t i)
{
	return (u8)(o->seed + i * 31);
}

static void fill(const struct object *o)
{
	size_t i;

	for (i = 0; i < o->size; i++)
		o->p[i] = pat(o, i);
}

static void check_intact(const struct object *o, size_t upto)
{
	size_t i;

	for (i = 0; i < upto; i++)
		FUZZ_CHECK(o->p[i] == pat(o, i),
			   "object %p (%zu bytes, cache %d) byte %zu is %#x, not %#x",
			   o->p, o->size, o->cache, i, o->p[i], pat(o, i));
}

static bool range_live(const u8 *p, size_t size, int skip)
{
	unsigned int i;

	for (i = 0; i < nr_live; i++) {
		if ((int)i == skip)
			continue;
		if (p < live[i].p + (live[i].size ? live[i].size : 1) &&
		    live[i].p < p + (size ? size : 1))
			return true;
	}
	return false;
}

static void check_health(const char *after)
{
	int errors = slab_check_all();

	FUZZ_CHECK(errors == 0, "slab_check_all() = %d after %s", errors, after);
}

static void accept(void *p, size_t size, int cache, gfp_t gfp, u8 seed)
{
	struct object *o;

	FUZZ_CHECK(!range_live(p, size, -1), "object %p (%zu bytes) overlaps a live one", p, size);
	FUZZ_CHECK(((unsigned long)p & 7) == 0, "object %p not 8-byte aligned", p);
	if (cache >= 0 && caches[cache].align > 1)
		FUZZ_CHECK(((unsigned long)p & (caches[cache].align - 1)) == 0,
			   "object %p of cache %d not aligned to %u", p, cache,
			   caches[cache].align);
	if (cache < 0) {
		FUZZ_CHECK(ksize(p) >= size, "ksize(%p) = %zu < %zu", p, ksize(p), size);
		if (size <= KMALLOC_MAX_CACHE_SIZE && (size & (size - 1)) == 0)
			FUZZ_CHECK(((unsigned long)p & (size - 1)) == 0,
				   "kmalloc(%zu) = %p not naturally aligned", size, p);
	}
	if (gfp & __GFP_ZERO) {
		size_t i;

		for (i = 0; i < size; i++)
			FUZZ_CHECK(((u8 *)p)[i] == 0, "zeroed object %p byte %zu is %#x",
				   p, i, ((u8 *)p)[i]);
	}
	o = &live[nr_live++];
	o->p = p;
	o->size = size;
	o->cache = cache;
	o->gen = cache >= 0 ? caches[cache].gen : 0;
	o->seed = seed;
	fill(o);
}

static void forget(unsigned int i)
{
	last_freed = live[i].p;
	freed[nr_freed++ % ARRAY_SIZE(freed)] = live[i];
	live[i] = live[--nr_live];
}

static void free_object(unsigned int i)
{
	check_intact(&live[i], live[i].size);
	if (live[i].cache >= 0)
		kmem_cache_free(caches[live[i].cache].s, live[i].p);
	else
		kfree(live[i].p);
	forget(i);
}

static void op_create(struct fuzz_input *in)
{
	static const char *const names[MAX_CACHES] = { "fuzz0", "fuzz1", "fuzz2", "fuzz3" };
	unsigned int slot = fz_u8(in) % MAX_CACHES, size, align, flags;
	u8 a = fz_u8(in);
	struct cache *c = &caches[slot];

	if (c->s)
		return;
	size = fz_u16(in) % 9000;
	if (a & 0x80)
		align = a & 0x7f; /* possibly not a power of two: must be refused */
	else
		align = (a & 0x0f) <= 12 ? 1U << (a & 0x0f) : 0;
	flags = fz_u8(in) & (SLAB_HWCACHE_ALIGN | SLAB_POISON | SLAB_RED_ZONE |
			     SLAB_STORE_USER | SLAB_CONSISTENCY_CHECKS | SLAB_NO_RANDOM);
	if (all_debug)
		flags |= SLAB_CONSISTENCY_CHECKS;
	c->ctor = a & 0x40 && !(a & 0x80) && size >= 8; /* ctor_fn writes 8 bytes */
	c->s = kmem_cache_create(names[slot], size, align, flags, c->ctor ? ctor_fn : NULL);
	if (!c->s)
		return;
	c->size = size;
	c->align = (align & (align - 1)) ? 0 : align;
	c->flags = flags;
	c->gen++;
}

static void op_destroy(struct fuzz_input *in)
{
	unsigned int slot = fz_u8(in) % MAX_CACHES, i;
	bool had_live = false;
	unsigned long mark = ktest_console_mark();

	if (!caches[slot].s)
		return;
	for (i = 0; i < nr_live;) {
		if (live[i].cache == (int)slot) {
			had_live = true;
			check_intact(&live[i], live[i].size);
			orphans[nr_orphans++ % ARRAY_SIZE(orphans)] = live[i].p;
			live[i] = live[--nr_live];
			continue;
		}
		i++;
	}
	kmem_cache_destroy(caches[slot].s);
	FUZZ_CHECK(fuzz_reported(mark, "BUG") == had_live,
		   "destroying a cache %s live objects: report %s", had_live ? "with" : "without",
		   had_live ? "missing" : "printed");
	caches[slot].s = NULL;
	last_freed = NULL;
	check_health("kmem_cache_destroy");
}

static gfp_t pick_gfp(u8 c)
{
	gfp_t gfp = __GFP_NOWARN;

	if (c & 1)
		gfp |= __GFP_ZERO;
	if (c & 2)
		gfp |= GFP_ATOMIC;
	if ((c & 0x1c) == 0x04)
		gfp |= __GFP_DMA;
	if ((c & 0x1c) == 0x08)
		gfp |= __GFP_DMA32;
	return gfp;
}

static void op_cache_alloc(struct fuzz_input *in)
{
	unsigned int slot = fz_u8(in) % MAX_CACHES;
	u8 c = fz_u8(in);
	gfp_t gfp = pick_gfp(c) & ~(__GFP_DMA | __GFP_DMA32);
	struct cache *cc = &caches[slot];
	void *p;

	if (!cc->s || nr_live == MAX_LIVE)
		return;
	if (c & 0x80) { /* bulk */
		void *v[8];
		size_t n = 1 + (c >> 4 & 7), i;

		if (nr_live + n > MAX_LIVE)
			return;
		if (kmem_cache_alloc_bulk(cc->s, gfp, n, v) != (int)n)
			return;
		for (i = 0; i < n; i++)
			accept(v[i], cc->size, (int)slot, gfp, fz_u8(in));
		return;
	}
	p = (c & 0x40) ? kmem_cache_zalloc(cc->s, gfp) : kmem_cache_alloc(cc->s, gfp);
	if (p)
		accept(p, cc->size, (int)slot, (c & 0x40) ? gfp | __GFP_ZERO : gfp, fz_u8(in));
}

static void op_kmalloc(struct fuzz_input *in)
{
	size_t size = fz_u16(in) % (MAX_KMALLOC + 1);
	u8 c = fz_u8(in);
	gfp_t gfp = pick_gfp(c);
	void *p;

	if (nr_live == MAX_LIVE)
		return;
	switch (c >> 5 & 3) {
	case 0:
		p = kmalloc(size, gfp);
		break;
	case 1:
		p = kzalloc(size, gfp);
		gfp |= __GFP_ZERO;
		break;
	case 2: { /* kcalloc, sometimes with n * size past SIZE_MAX */
		size_t n = (c & 0x80) ? SIZE_MAX / 2 + fz_u8(in) : 1 + fz_u8(in) % 4;

		size /= 4;
		p = kcalloc(n, size, gfp);
		if (n > 4) {
			FUZZ_CHECK(p == (size ? NULL : ZERO_SIZE_PTR),
				   "kcalloc(%zu, %zu) returned %p", n, size, p);
			return;
		}
		size *= n;
		gfp |= __GFP_ZERO;
		break;
	}
	default:
		p = kmalloc(size, gfp);
		break;
	}
	if (size == 0) {
		FUZZ_CHECK(p == ZERO_SIZE_PTR, "zero-size allocation returned %p", p);
		kfree(p);
		return;
	}
	if (p)
		accept(p, size, -1, gfp, fz_u8(in));
}

static void op_krealloc(struct fuzz_input *in)
{
	unsigned int i;
	size_t size = fz_u16(in) % (MAX_KMALLOC + 1), keep;
	struct object o;
	void *p;

	if (!nr_live)
		return;
	i = fz_u8(in) % nr_live;
	if (live[i].cache >= 0)
		return;
	o = live[i];
	check_intact(&o, o.size);
	p = krealloc(o.p, size, GFP_KERNEL | __GFP_NOWARN);
	if (size == 0) {
		FUZZ_CHECK(p == ZERO_SIZE_PTR, "krealloc(p, 0) returned %p", p);
		forget(i);
		return;
	}
	if (!p) {
		check_intact(&o, o.size); /* the old object stays */
		return;
	}
	keep = o.size < size ? o.size : size;
	live[i].p = p;
	check_intact(&live[i], keep);
	FUZZ_CHECK(!range_live(p, size, (int)i), "krealloc result %p overlaps a live object", p);
	FUZZ_CHECK(ksize(p) >= size, "ksize(%p) = %zu after krealloc to %zu", p, ksize(p), size);
	live[i].size = size;
	fill(&live[i]);
	last_freed = NULL;
}

/* @fn(arg) must be reported and leave every cache consistent. */
#define EXPECT_REPORTED(call, what, p)                                        \
	do {                                                                  \
		unsigned long __mark = ktest_console_mark();                  \
		call;                                                         \
		FUZZ_CHECK(fuzz_reported(__mark, "BUG"), "%s of %p not reported", \
			   what, (const void *)(p));                          \
		check_health(what);                                           \
	} while (0)

static void op_double_free(struct fuzz_input *in)
{
	const struct object *o;
	unsigned int n = nr_freed < ARRAY_SIZE(freed) ? nr_freed : ARRAY_SIZE(freed);

	if (!n)
		return;
	o = &freed[fz_u8(in) % n];
	/* Non-debug caches promise to catch only the immediate double free. */
	if (!all_debug && o->p != last_freed)
		return;
	if (o->cache >= 0 && (!caches[o->cache].s || caches[o->cache].gen != o->gen))
		return; /* its cache is gone: the pointer is meaningless now */
	if (range_live(o->p, o->size, -1))
		return; /* given out again: freeing it would be legitimate */
	if (o->cache >= 0)
		EXPECT_REPORTED(kmem_cache_free(caches[o->cache].s, o->p), "double free", o->p);
	else
		EXPECT_REPORTED(kfree(o->p), "double free", o->p);
}

static void op_interior(struct fuzz_input *in)
{
	unsigned int i;
	size_t k;
	const struct object *o;

	if (!nr_live)
		return;
	i = fz_u8(in) % nr_live;
	o = &live[i];
	if (o->size < 2)
		return;
	k = 1 + fz_u16(in) % (o->size - 1);
	if (o->cache >= 0 && (fz_u8(in) & 1))
		EXPECT_REPORTED(kmem_cache_free(caches[o->cache].s, o->p + k),
				"interior pointer", o->p + k);
	else
		EXPECT_REPORTED(kfree(o->p + k), "interior pointer", o->p + k);
	check_intact(o, o->size);
}

static void op_wrong_cache(struct fuzz_input *in)
{
	unsigned int i, slot = fz_u8(in) % MAX_CACHES;
	const struct object *o;

	if (!nr_live || !caches[slot].s)
		return;
	i = fz_u8(in) % nr_live;
	o = &live[i];
	if (o->cache == (int)slot)
		return;
	EXPECT_REPORTED(kmem_cache_free(caches[slot].s, o->p), "free to the wrong cache", o->p);
	check_intact(o, o->size);
}

/* A pointer into a page that holds no slab and no large kmalloc. */
static void op_wild(struct fuzz_input *in)
{
	unsigned long pfn = fz_u32(in) % (max_pfn_mapped + 16);
	u8 *p = (u8 *)__va(PFN_PHYS(pfn)) + (fz_u16(in) % PAGE_SIZE);
	unsigned int i;

	if (pfn_valid(pfn) && PageSlab(pfn_to_page(pfn)))
		return;
	for (i = 0; i < nr_live; i++) {
		unsigned long first = PHYS_PFN(__pa(live[i].p));
		unsigned long last = PHYS_PFN(__pa(live[i].p + live[i].size));

		if (pfn >= first && pfn <= last)
			return;
	}
	EXPECT_REPORTED(kfree(p), "free of a wild pointer", p);
}

static void op_orphan(struct fuzz_input *in)
{
	unsigned int n = nr_orphans < ARRAY_SIZE(orphans) ? nr_orphans : ARRAY_SIZE(orphans);
	u8 *p;

	if (!n)
		return;
	p = orphans[fz_u8(in) % n];
	EXPECT_REPORTED(kfree(p), "free of an object of a destroyed cache", p);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_setup_console();
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_input in;
	unsigned int ops = 0, i;
	u8 cfg;

	fz_init(&in, data, size);
	cfg = fz_u8(&in);
	host_mm_setup(slab_map, ARRAY_SIZE(slab_map));
	slab_debug_setup(debug_configs[cfg % ARRAY_SIZE(debug_configs)]);
	all_debug = cfg % ARRAY_SIZE(debug_configs) == 1;
	slab_freelist_random = !(cfg & 0x80);
	kmem_cache_init();
	for (i = 0; i < MAX_CACHES; i++)
		caches[i].s = NULL;
	nr_live = nr_orphans = nr_freed = 0;
	last_freed = NULL;

	while (!fz_done(&in) && ops++ < MAX_OPS) {
		u8 op = fz_u8(&in);
		const u8 *before = last_freed;

		switch (op % 16) {
		case 0:
			op_create(&in);
			break;
		case 1:
			op_destroy(&in);
			break;
		case 2: case 3: case 4:
			op_cache_alloc(&in);
			break;
		case 5: case 6: case 7:
			op_kmalloc(&in);
			break;
		case 8: case 9: case 10:
			if (nr_live)
				free_object(fz_u8(&in) % nr_live);
			break;
		case 11:
			op_krealloc(&in);
			break;
		case 12:
			op_double_free(&in);
			break;
		case 13:
			if (op & 0x10)
				op_interior(&in);
			else
				op_wrong_cache(&in);
			break;
		case 14:
			if (op & 0x10)
				op_wild(&in);
			else
				op_orphan(&in);
			break;
		default:
			if (op & 0x10) {
				unsigned int slot = fz_u8(&in) % MAX_CACHES;

				if (caches[slot].s)
					kmem_cache_shrink(caches[slot].s);
			} else {
				host_set_cpu(fz_u8(&in) % HOST_NR_CPUS);
			}
			break;
		}
		/* "Immediate" means nothing happened between the two frees. */
		if (last_freed == before)
			last_freed = NULL;
		if (ops % 32 == 0)
			check_health("a run of operations");
	}

	check_health("the last operation");
	while (nr_live)
		free_object(nr_live - 1);
	for (i = 0; i < MAX_CACHES; i++)
		if (caches[i].s)
			FUZZ_CHECK(slab_check(caches[i].s) == 0, "cache %u after freeing everything", i);
	check_health("freeing everything");
	for (i = 0; i < MAX_CACHES; i++) {
		unsigned long mark = ktest_console_mark();

		if (!caches[i].s)
			continue;
		kmem_cache_destroy(caches[i].s);
		FUZZ_CHECK(!fuzz_reported(mark, "BUG"), "destroying empty cache %u reported objects", i);
	}
	check_health("destroying every cache");
	host_set_cpu(0);
	return 0;
}

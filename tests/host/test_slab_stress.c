// SPDX-License-Identifier: MIT
/*
 * Randomised model-based tests of the slab allocator and kmalloc.
 *
 * The model is a table of live allocations, each filled with its own tag
 * byte. Every free verifies the tag (contents preserved from alloc to
 * free, and no other allocation overlapped it); every allocation checks
 * alignment; each phase ends with slab_check_all() == 0 and a sort of the
 * live table proving no two objects overlap. Phases alternate between
 * growing and shrinking the working set so slabs are created and returned.
 *
 * The threaded variant runs one thread per CPU (host_set_cpu) on the same
 * caches and passes objects between threads, so objects are freed on a CPU
 * other than the one that allocated them.
 *
 * The seed is printed as "# seed: N" and can be set with KMM_SEED.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/ktest.h"
#include "mm/slab.h"
#include "mm/slab_internal.h"
#include "host_mm.h"

#define NR_OPS        1000000
#define PHASE_OPS     100000
#define MAX_LIVE      8192
#define NR_THREADS    4
#define THREAD_OPS    150000
#define MAILBOX_SIZE  512

struct rng {
	u64 s;
};

static u64 rng_next(struct rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return r->s;
}

static unsigned int rng_below(struct rng *r, unsigned int n)
{
	return (unsigned int)(rng_next(r) % n);
}

struct obj {
	unsigned char *p;
	size_t size;           /* bytes the model owns */
	struct kmem_cache *s;  /* NULL: kmalloc */
	unsigned char tag;
};

struct test_cache {
	const char *name;
	unsigned int size, align, flags;
	bool ctor;
	struct kmem_cache *s;
};

static struct test_cache caches[] = {
	{ "st-24", 24, 0, 0, false },
	{ "st-100-hw", 100, 0, SLAB_HWCACHE_ALIGN, false },
	{ "st-ctor", 200, 0, 0, true },
	{ "st-debug", 72, 16, SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE |
				SLAB_POISON | SLAB_STORE_USER, false },
	{ "st-poison", 500, 0, SLAB_POISON, false },
	{ "st-1000", 1000, 0, 0, false },
	{ "st-3000", 3000, 64, 0, false },
	{ "st-rz", 33, 0, SLAB_RED_ZONE, false },
};

static void st_ctor(void *p)
{
	memset(p, 0, 8);
}

static void setup_machine(void)
{
	unsigned int i;

	host_mm_setup_default();
	slab_debug_setup("-");
	kmem_cache_init();
	for (i = 0; i < ARRAY_SIZE(caches); i++)
		caches[i].s = kmem_cache_create(caches[i].name, caches[i].size,
						caches[i].align, caches[i].flags,
						caches[i].ctor ? st_ctor : NULL);
}

static size_t kmalloc_size(struct rng *r)
{
	unsigned int x = rng_below(r, 1000);

	if (x < 600)
		return 1 + rng_below(r, 256);
	if (x < 900)
		return 1 + rng_below(r, 2048);
	if (x < 995)
		return 1 + rng_below(r, KMALLOC_MAX_CACHE_SIZE);
	return KMALLOC_MAX_CACHE_SIZE + 1 + rng_below(r, 60000); /* pages */
}

static unsigned long required_align(const struct obj *o)
{
	if (o->s)
		return o->s->align;
	if (!(o->size & (o->size - 1)))
		return o->size < PAGE_SIZE ? o->size : PAGE_SIZE;
	return 8;
}

/* Allocate into @o; false (with a failure recorded) if anything is wrong. */
static bool model_alloc(struct ktest *t, struct rng *r, struct obj *o)
{
	if (rng_below(r, 2)) {
		struct test_cache *c = &caches[rng_below(r, ARRAY_SIZE(caches))];

		o->s = c->s;
		o->size = c->size;
		o->p = kmem_cache_alloc(c->s, GFP_KERNEL);
	} else {
		o->s = NULL;
		o->size = kmalloc_size(r);
		o->p = kmalloc(o->size, GFP_KERNEL);
	}
	if (!o->p) {
		KTEST_FAIL(t, "allocation of %zu bytes failed", o->size);
		return false;
	}
	if ((unsigned long)o->p & (required_align(o) - 1)) {
		KTEST_FAIL(t, "%p (%zu bytes) not aligned to %lu", o->p, o->size,
			   required_align(o));
		return false;
	}
	o->tag = (unsigned char)rng_next(r);
	memset(o->p, o->tag, o->size);
	return true;
}

static bool model_verify(struct ktest *t, const struct obj *o)
{
	size_t i;

	for (i = 0; i < o->size; i++) {
		if (o->p[i] != o->tag) {
			KTEST_FAIL(t, "%p (%zu bytes, %s): byte %zu is 0x%02x, wrote 0x%02x",
				   o->p, o->size, o->s ? o->s->name : "kmalloc", i,
				   o->p[i], o->tag);
			return false;
		}
	}
	return true;
}

static void model_free(const struct obj *o)
{
	if (o->s)
		kmem_cache_free(o->s, o->p);
	else
		kfree(o->p);
}

static int cmp_obj(const void *a, const void *b)
{
	const struct obj *x = a, *y = b;

	return x->p < y->p ? -1 : x->p > y->p;
}

static bool no_overlap(struct ktest *t, struct obj *live, unsigned int n)
{
	unsigned int i;

	qsort(live, n, sizeof(*live), cmp_obj);
	for (i = 1; i < n; i++) {
		if (live[i - 1].p + live[i - 1].size > live[i].p) {
			KTEST_FAIL(t, "%p+%zu overlaps %p", live[i - 1].p,
				   live[i - 1].size, live[i].p);
			return false;
		}
	}
	return true;
}

static struct obj live[MAX_LIVE];

static void random_model(struct ktest *t)
{
	struct rng r;
	unsigned int n = 0, op, target = 0, i;
	u64 seed = host_seed(20240501);

	printk("    # seed: %llu\n", (unsigned long long)seed);
	r.s = seed | 1;
	setup_machine();
	for (op = 0; op < NR_OPS; op++) {
		if (op % PHASE_OPS == 0) {
			if (op) {
				KTEST_EXPECT_EQ(t, slab_check_all(), 0);
				if (!no_overlap(t, live, n))
					return;
			}
			target = (op / PHASE_OPS) % 2 ? 200 : 1000 + rng_below(&r, 6000);
		}
		if (n < MAX_LIVE && (n == 0 || rng_below(&r, 100) < (n < target ? 70 : 30))) {
			if (!model_alloc(t, &r, &live[n]))
				return;
			n++;
		} else if (rng_below(&r, 100) == 0 && !live[i = rng_below(&r, n)].s) {
			/* krealloc: the prefix survives, the tail gets the tag. */
			struct obj *o = &live[i];
			size_t keep = o->size, nsize = kmalloc_size(&r);
			unsigned char *p = krealloc(o->p, nsize, GFP_KERNEL);

			if (!p) {
				KTEST_FAIL(t, "krealloc to %zu failed", nsize);
				return;
			}
			o->p = p;
			o->size = nsize < keep ? nsize : keep;
			if (!model_verify(t, o))
				return;
			o->size = nsize;
			memset(o->p, o->tag, nsize);
		} else {
			i = rng_below(&r, n);
			if (!model_verify(t, &live[i]))
				return;
			model_free(&live[i]);
			live[i] = live[--n];
		}
	}
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
	KTEST_EXPECT_TRUE(t, no_overlap(t, live, n));
	while (n--) {
		if (!model_verify(t, &live[n]))
			return;
		model_free(&live[n]);
	}
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
	for (i = 0; i < ARRAY_SIZE(caches); i++) {
		kmem_cache_shrink(caches[i].s);
		KTEST_EXPECT_EQ(t, caches[i].s->nr_slabs, 0);
		kmem_cache_destroy(caches[i].s);
	}
}

/* Bulk allocation through the same model checks. */
static void bulk_model(struct ktest *t)
{
	struct rng r = { .s = host_seed(77) | 1 };
	void *p[64];
	unsigned int round, i, nr, c;

	setup_machine();
	for (round = 0; round < 2000; round++) {
		c = rng_below(&r, ARRAY_SIZE(caches));
		nr = 1 + rng_below(&r, 64);
		KTEST_ASSERT_EQ(t, kmem_cache_alloc_bulk(caches[c].s, GFP_KERNEL, nr, p), nr);
		for (i = 0; i < nr; i++)
			memset(p[i], (int)i, caches[c].size);
		for (i = 0; i < nr; i++)
			if (((unsigned char *)p[i])[caches[c].size - 1] != (unsigned char)i)
				KTEST_FAIL(t, "bulk object %u overwritten", i);
		kmem_cache_free_bulk(caches[c].s, nr, p);
	}
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
}

/* ---- threads as CPUs ------------------------------------------------------- */

struct mailbox {
	pthread_mutex_t lock;
	unsigned int n;
	struct obj objs[MAILBOX_SIZE];
};

struct worker {
	pthread_t thread;
	unsigned int idx, cpu;
	u64 seed;
	struct ktest *t;
	struct mailbox box;
	struct obj live[1024];
	unsigned int nlive;
	unsigned long cross_frees;
	bool failed;
};

static struct worker workers[NR_THREADS];

static void drain_mailbox(struct worker *w)
{
	struct mailbox *b = &w->box;
	struct obj o;

	pthread_mutex_lock(&b->lock);
	while (b->n) {
		o = b->objs[--b->n];
		pthread_mutex_unlock(&b->lock);
		if (!model_verify(w->t, &o))
			w->failed = true;
		model_free(&o);
		w->cross_frees++;
		pthread_mutex_lock(&b->lock);
	}
	pthread_mutex_unlock(&b->lock);
}

static bool post(struct worker *to, const struct obj *o)
{
	bool ok = false;

	pthread_mutex_lock(&to->box.lock);
	if (to->box.n < MAILBOX_SIZE) {
		to->box.objs[to->box.n++] = *o;
		ok = true;
	}
	pthread_mutex_unlock(&to->box.lock);
	return ok;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct rng r = { .s = w->seed | 1 };
	unsigned int op, i;

	host_set_cpu(w->cpu);
	for (op = 0; op < THREAD_OPS && !w->failed; op++) {
		if (op % 64 == 0)
			drain_mailbox(w);
		if (w->nlive < ARRAY_SIZE(w->live) &&
		    (w->nlive == 0 || rng_below(&r, 100) < 55)) {
			if (!model_alloc(w->t, &r, &w->live[w->nlive])) {
				w->failed = true;
				break;
			}
			w->nlive++;
			continue;
		}
		i = rng_below(&r, w->nlive);
		if (rng_below(&r, 100) < 30 &&
		    post(&workers[(w->idx + 1 + rng_below(&r, NR_THREADS - 1)) % NR_THREADS],
			 &w->live[i])) {
			w->live[i] = w->live[--w->nlive];
			continue;
		}
		if (!model_verify(w->t, &w->live[i]))
			w->failed = true;
		model_free(&w->live[i]);
		w->live[i] = w->live[--w->nlive];
	}
	return NULL;
}

static void threads_cross_cpu_frees(struct ktest *t)
{
	u64 seed = host_seed(20240502);
	unsigned long cross = 0;
	unsigned int i, j;

	printk("    # seed: %llu\n", (unsigned long long)seed);
	setup_machine();
	for (i = 0; i < NR_THREADS; i++) {
		struct worker *w = &workers[i];

		memset(w, 0, sizeof(*w));
		pthread_mutex_init(&w->box.lock, NULL);
		w->idx = i;
		w->cpu = i + 1; /* cpu 0 is this thread, idle until the joins */
		w->seed = seed + i * 0x9e3779b97f4a7c15ULL;
		w->t = t;
	}
	for (i = 0; i < NR_THREADS; i++)
		pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]);
	for (i = 0; i < NR_THREADS; i++)
		pthread_join(workers[i].thread, NULL);
	/* Quiescent now: this thread (cpu 0) cleans up everyone's leftovers. */
	host_set_cpu(0);
	for (i = 0; i < NR_THREADS; i++) {
		struct worker *w = &workers[i];

		KTEST_EXPECT_FALSE(t, w->failed);
		drain_mailbox(w);
		cross += w->cross_frees;
		for (j = 0; j < w->nlive; j++) {
			model_verify(t, &w->live[j]);
			model_free(&w->live[j]);
		}
	}
	KTEST_EXPECT_GT(t, cross, 10000);
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
	for (i = 0; i < ARRAY_SIZE(caches); i++) {
		kmem_cache_shrink(caches[i].s);
		KTEST_EXPECT_EQ(t, caches[i].s->nr_slabs, 0);
	}
	for (i = 1; i <= KMALLOC_NR_CLASSES; i++) {
		kmem_cache_shrink(kmalloc_caches[i]);
		KTEST_EXPECT_EQ(t, kmalloc_caches[i]->nr_slabs, 0);
	}
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
}

static const struct ktest_case slab_stress_cases[] = {
	KTEST_CASE(random_model),
	KTEST_CASE(bulk_model),
	KTEST_CASE(threads_cross_cpu_frees),
};

KTEST_SUITE(slab_stress, slab_stress_cases);

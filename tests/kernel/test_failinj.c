// SPDX-License-Identifier: MIT
/*
 * fail_stress: the allocators under injected failures (failslab=,
 * fail_page_alloc=; mm/fault_inject.c). Off by default: `make test` boots
 * it with both options on the command line, on two CPUs.
 *
 *   nofail_never_injected  every call fails, except __GFP_NOFAIL ones
 *   report_without_nowarn  a failed call without __GFP_NOWARN prints
 *                          Linux's FAULT_INJECTION report (deliberately)
 *   random_alloc_free      every CPU allocates and frees at random, pages
 *                          of orders 0-4, objects of three caches (one
 *                          never used before, so its magazines are born
 *                          under injection), kmalloc small and large,
 *                          kzalloc and vmalloc; each live object holds a
 *                          pattern checked before it is freed; NULL is a
 *                          normal result. Then everything is freed and
 *                          free pages, slab objects and vmalloc come back
 *                          to their exact baseline, every checker at 0.
 *
 * The stress case uses the command line's settings (or, with neither
 * option given, failslab=1,10,0,-1 fail_page_alloc=1,10,0,-1, and says
 * so), prints the injection counters at the end, as Linux's debugfs would
 * show them, and leaves the settings as it found them. Every allocation
 * here passes __GFP_NOWARN except in report_without_nowarn, so no other
 * report is expected.
 */
#include "kernel/ktest.h"
#include "kmm/string.h"
#include "mm/gfp.h"
#include "mm/slab.h"
#include "mm/slab_internal.h"
#include "mm/vmalloc.h"
#include "tests/kernel/ktest_warm.h"
#include "mm/fault_inject.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/pgtable.h"

static struct fault_config cmdline_cfg[2];
static bool cmdline_set[2];
static struct fault_attr *const attrs[2] = { &failslab_attr, &fail_page_alloc_attr };

/* Put both capabilities back as the command line set them. */
static unsigned int cmdline_min_order;

static void restore_cmdline_settings(void)
{
	unsigned int i;

	fail_page_alloc_min_order = cmdline_min_order;
	for (i = 0; i < 2; i++)
		fault_attr_set(attrs[i], cmdline_set[i] ? &cmdline_cfg[i] : NULL,
			       mm_random_u64());
	fault_inject_start();
}

static int fail_stress_init(void)
{
	unsigned int i;

	cmdline_min_order = fail_page_alloc_min_order;
	for (i = 0; i < 2; i++) {
		cmdline_set[i] = attrs[i]->configured;
		cmdline_cfg[i] = fault_attr_get(attrs[i]);
	}
	return 0;
}

/* ---- exemptions and reports ------------------------------------------------ */

static const struct fault_config always = { 1, 100, 0, -1 };

static void nofail_never_injected(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("fi-nofail", 96, 0, 0, NULL);
	unsigned long before;
	unsigned int order;
	void *p;

	KTEST_ASSERT_NOT_NULL(t, s);
	/* A free vmalloc descriptor and page tables for what follows. */
	vfree(vmalloc(3 * PAGE_SIZE));
	fail_page_alloc_min_order = 0;
	fault_attr_set(&failslab_attr, &always, 1);
	fault_attr_set(&fail_page_alloc_attr, &always, 1);
	fault_inject_start();
	before = nr_free_pages();
	for (order = 0; order <= MAX_PAGE_ORDER; order++) {
		struct page *pg;

		KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL | __GFP_NOWARN, order) == NULL);
		pg = alloc_pages(GFP_KERNEL | __GFP_NOFAIL, order);
		KTEST_EXPECT_TRUE(t, pg != NULL);
		if (pg)
			__free_pages(pg, order);
	}
	/* The failed calls took nothing, the NOFAIL ones gave all back. */
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
	KTEST_EXPECT_TRUE(t, kmem_cache_alloc(s, __GFP_NOWARN) == NULL);
	KTEST_EXPECT_TRUE(t, kmalloc(200, __GFP_NOWARN) == NULL);
	KTEST_EXPECT_TRUE(t, kmalloc(5 * PAGE_SIZE * 4, __GFP_NOWARN) == NULL);
	KTEST_EXPECT_TRUE(t, __vmalloc(3 * PAGE_SIZE, __GFP_NOWARN) == NULL);
	p = kmem_cache_alloc(s, __GFP_NOFAIL);
	KTEST_EXPECT_TRUE(t, p != NULL);
	kmem_cache_free(s, p);
	p = kmalloc(200, __GFP_NOFAIL);
	KTEST_EXPECT_TRUE(t, p != NULL);
	kfree(p);
	p = __vmalloc(3 * PAGE_SIZE, __GFP_NOFAIL | __GFP_NOWARN);
	KTEST_EXPECT_TRUE(t, p != NULL);
	vfree(p);
	fault_inject_stop();
	KTEST_EXPECT_GE(t, failslab_attr.injected, 2);
	KTEST_EXPECT_GE(t, fail_page_alloc_attr.injected, MAX_PAGE_ORDER + 3);
	kmem_cache_destroy(s);
	drain_all_pages();
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
	restore_cmdline_settings();
}

/* Deliberate reports: "FAULT_INJECTION: forcing a failure." for each capability. */
static void report_without_nowarn(struct ktest *t)
{
	unsigned long mark;

	fail_page_alloc_min_order = 0;
	fault_attr_set(&failslab_attr, &always, 1);
	fault_attr_set(&fail_page_alloc_attr, &always, 1);
	fault_inject_start();
	mark = ktest_console_mark();
	KTEST_EXPECT_TRUE(t, kmalloc(64, GFP_KERNEL) == NULL);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "FAULT_INJECTION: forcing a failure."));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
		"name failslab, interval 1, probability 100, space 0, times -1, caller "));
	mark = ktest_console_mark();
	KTEST_EXPECT_TRUE(t, alloc_page(GFP_KERNEL) == NULL);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
		"name fail_page_alloc, interval 1, probability 100, space 0, times -1, caller "));
	/* As in Linux: an injected failure is not also a page allocation failure. */
	KTEST_EXPECT_FALSE(t, ktest_console_contains(mark, "page allocation failure"));
	fault_inject_stop();
	restore_cmdline_settings();
}

/* ---- the stress ------------------------------------------------------------ */

enum kind {
	K_PAGES, K_CACHE, K_KMALLOC, K_KZALLOC, K_KMALLOC_LARGE, K_VMALLOC,
	NR_KINDS,
};

static const char *const kind_names[NR_KINDS] = {
	"pages", "kmem_cache", "kmalloc", "kzalloc", "kmalloc large", "vmalloc",
};

#define NR_CACHES 3
static const unsigned int cache_sizes[NR_CACHES] = { 24, 200, 1500 };
static struct kmem_cache *caches[NR_CACHES];

#define STRESS_SLOTS   192
#define STRESS_ITERS   20000
#define PAGES_MAX_ORDER 4
#define KMALLOC_SMALL_MAX 2048
#define KMALLOC_LARGE_MAX (4 * KMALLOC_MAX_CACHE_SIZE)
#define VMALLOC_MAX_PAGES 6
/* Live vmalloc areas per CPU at most, so that priming covers them. */
#define VMALLOC_LIVE_MAX 12

struct live {
	void *p;
	u32 size;  /* bytes */
	u8 kind;
	u8 aux;    /* order, or cache index */
};

struct stress_cpu {
	unsigned int cpu;
	u64 rng, seed;
	struct live slot[STRESS_SLOTS];
	unsigned int vmalloc_live;
	unsigned long tries[NR_KINDS], nulls[NR_KINDS];
	unsigned long bad_pattern, bad_zero, frees;
} __aligned(64);

static struct stress_cpu stress[NR_CPUS];

static u64 next_rand(u64 *s)
{
	u64 x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* Word @i of the pattern of the object at @p. */
static u64 pattern(const void *p, unsigned long i)
{
	return ((unsigned long)p * 0x9e3779b97f4a7c15ULL) ^ (i * 0xff51afd7ed558ccdULL);
}

static void fill(void *p, u32 size)
{
	u64 *w = p;
	unsigned long i;

	for (i = 0; i < size / 8; i++)
		w[i] = pattern(p, i);
}

static bool intact(const void *p, u32 size)
{
	const u64 *w = p;
	unsigned long i;

	for (i = 0; i < size / 8; i++)
		if (w[i] != pattern(p, i))
			return false;
	return true;
}

static bool all_zero(const void *p, u32 size)
{
	const u8 *b = p;
	u32 i;

	for (i = 0; i < size; i++)
		if (b[i])
			return false;
	return true;
}

static void stress_alloc(struct stress_cpu *c, struct live *l)
{
	u64 r = next_rand(&c->rng);
	enum kind k = (enum kind)(r % NR_KINDS);
	void *p = NULL;
	u32 size = 0;
	u8 aux = 0;

	r >>= 8;
	if (k == K_VMALLOC && c->vmalloc_live >= VMALLOC_LIVE_MAX)
		k = K_KMALLOC;
	c->tries[k]++;
	switch (k) {
	case K_PAGES: {
		struct page *pg;

		aux = (u8)(r % (PAGES_MAX_ORDER + 1));
		pg = alloc_pages(GFP_KERNEL | __GFP_NOWARN, aux);
		size = (u32)(PAGE_SIZE << aux);
		p = pg ? page_address(pg) : NULL;
		break;
	}
	case K_CACHE:
		aux = (u8)(r % NR_CACHES);
		size = cache_sizes[aux];
		p = kmem_cache_alloc(caches[aux], GFP_KERNEL | __GFP_NOWARN);
		break;
	case K_KMALLOC:
	case K_KZALLOC:
		size = (u32)(8 + (r % (KMALLOC_SMALL_MAX / 8)) * 8);
		p = k == K_KZALLOC ? kzalloc(size, __GFP_NOWARN) :
				     kmalloc(size, __GFP_NOWARN);
		break;
	case K_KMALLOC_LARGE:
		size = (u32)(KMALLOC_MAX_CACHE_SIZE + 8 +
			     (r % ((KMALLOC_LARGE_MAX - KMALLOC_MAX_CACHE_SIZE) / 8)) * 8);
		p = kmalloc(size, __GFP_NOWARN);
		break;
	case K_VMALLOC:
		size = (u32)((1 + r % VMALLOC_MAX_PAGES) * PAGE_SIZE);
		p = __vmalloc(size, GFP_KERNEL | __GFP_NOWARN);
		if (p)
			c->vmalloc_live++;
		break;
	default:
		break;
	}
	if (!p) {
		c->nulls[k]++;
		return;
	}
	if (k == K_KZALLOC && !all_zero(p, size))
		c->bad_zero++;
	fill(p, size);
	l->p = p;
	l->size = size;
	l->kind = (u8)k;
	l->aux = aux;
}

/* Check @l's pattern and free it, whichever CPU allocated it. */
static void stress_free(struct stress_cpu *c, struct live *l)
{
	if (!intact(l->p, l->size))
		c->bad_pattern++;
	switch (l->kind) {
	case K_PAGES:
		__free_pages(virt_to_page(l->p), l->aux);
		break;
	case K_CACHE:
		kmem_cache_free(caches[l->aux], l->p);
		break;
	case K_VMALLOC:
		vfree(l->p);
		break;
	default:
		kfree(l->p);
		break;
	}
	c->frees++;
	l->p = NULL;
}

static void stress_worker(void *arg)
{
	struct stress_cpu *c = arg;
	unsigned long i;

	for (i = 0; i < STRESS_ITERS; i++) {
		struct live *l = &c->slot[next_rand(&c->rng) % STRESS_SLOTS];

		if (l->p) {
			if (l->kind == K_VMALLOC)
				c->vmalloc_live--;
			stress_free(c, l);
		} else {
			stress_alloc(c, l);
		}
	}
}

/* Every kmalloc cache, the magazine cache and ours with their magazines emptied. */
static void shrink_all(void)
{
	unsigned int i;

	for (i = 1; i <= KMALLOC_NR_CLASSES; i++)
		kmem_cache_shrink(kmalloc_caches[i]);
	for (i = 0; i < NR_CACHES; i++)
		kmem_cache_shrink(caches[i]);
	kmem_cache_shrink(&slab_magazine_cache);
	drain_all_pages();
}

/* Objects in use in the slabs of @s, magazines emptied (shrink_all). */
static unsigned long objects_in_use(const struct kmem_cache *s)
{
	return s->nr_slabs * s->objects - s->free_objects;
}

static unsigned long kmalloc_in_use(void)
{
	unsigned long n = 0;
	unsigned int i;

	for (i = 1; i <= KMALLOC_NR_CLASSES; i++)
		n += objects_in_use(kmalloc_caches[i]);
	return n;
}

/*
 * Every CPU gets the magazines of the two warm caches and of every kmalloc
 * class; the third cache stays cold. The vmalloc descriptor pool and page
 * tables grow to what the stress can need: as many areas as it keeps live,
 * of the largest size, and then a larger one over the same addresses.
 */
static void warm_up(void *arg)
{
	unsigned int i, size;

	for (i = 0; i < NR_CACHES - 1; i++)
		ktest_warm_cache(caches[i]);
	for (size = 8; size <= KMALLOC_MAX_CACHE_SIZE; size += 8)
		ktest_warm_kmalloc(size);
}

static void prime_vmalloc(void)
{
	static void *v[NR_CPUS * VMALLOC_LIVE_MAX];
	unsigned int i;
	void *big;

	for (i = 0; i < ARRAY_SIZE(v); i++)
		v[i] = vmalloc(VMALLOC_MAX_PAGES * PAGE_SIZE);
	big = vmalloc(4 * ARRAY_SIZE(v) * (VMALLOC_MAX_PAGES + 1) * PAGE_SIZE);
	for (i = 0; i < ARRAY_SIZE(v); i++)
		vfree(v[i]);
	vfree(big);
}

static void print_cpu(const struct stress_cpu *c)
{
	unsigned int k;

	pr_info("fail_stress: cpu %u seed %#llx: %lu frees\n", c->cpu,
		(unsigned long long)c->seed, c->frees);
	for (k = 0; k < NR_KINDS; k++)
		pr_info("fail_stress: cpu %u %-13s %5lu allocations, %5lu NULL\n",
			c->cpu, kind_names[k], c->tries[k], c->nulls[k]);
}

static bool fails_always(struct fault_attr *a)
{
	struct fault_config c = fault_attr_get(a);

	return a->configured && c.interval <= 1 && c.probability == 100 &&
	       c.space == 0 && c.times == -1;
}

static void random_alloc_free(struct ktest *t)
{
	const struct fault_config dflt = { 1, 10, 0, -1 };
	unsigned long free0, pt0, km0, mag0, injected0[2];
	unsigned long nulls = 0, tries = 0, bad = 0, zero = 0;
	unsigned int cpu, i, k, ncpu = 0;
	struct kmem_cache *cold;

	fault_inject_stop();
	if (!cmdline_set[0] && !cmdline_set[1]) {
		pr_info("fail_stress: neither failslab= nor fail_page_alloc= given: using 1,10,0,-1 for both\n");
		fault_attr_set(&failslab_attr, &dflt, mm_random_u64());
		fault_attr_set(&fail_page_alloc_attr, &dflt, mm_random_u64());
	}
	for (i = 0; i < NR_CACHES; i++) {
		static char names[NR_CACHES][16];

		snprintf(names[i], sizeof(names[i]), "fi-stress-%u", cache_sizes[i]);
		caches[i] = kmem_cache_create(names[i], cache_sizes[i], 0, 0, NULL);
		KTEST_ASSERT_NOT_NULL(t, caches[i]);
	}
	cold = caches[NR_CACHES - 1];
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (cpu_online(cpu))
			smp_call_on_cpu(cpu, warm_up, NULL);
	prime_vmalloc();
	shrink_all();
	free0 = nr_free_pages();
	pt0 = nr_pagetable_pages;
	km0 = kmalloc_in_use();
	mag0 = objects_in_use(&slab_magazine_cache);
	for (i = 0; i < 2; i++)
		injected0[i] = attrs[i]->injected;

	memset(stress, 0, sizeof(stress));
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		stress[cpu].cpu = cpu;
		stress[cpu].seed = stress[cpu].rng = mm_random_u64() | 1;
	}
	fault_inject_start();
	for (cpu = 1; cpu < NR_CPUS; cpu++)
		if (cpu_online(cpu) && !smp_call_async(cpu, stress_worker, &stress[cpu]))
			ncpu++;
	stress_worker(&stress[0]);
	for (cpu = 1; cpu < NR_CPUS; cpu++)
		smp_wait(cpu);
	fault_inject_stop();
	if (!ncpu)
		pr_info("fail_stress: only one CPU online: no concurrent stress\n");

	/* Free what is left, here: the APs' objects cross CPUs. */
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		struct stress_cpu *c = &stress[cpu];

		for (i = 0; i < STRESS_SLOTS; i++)
			if (c->slot[i].p)
				stress_free(c, &c->slot[i]);
		bad += c->bad_pattern;
		zero += c->bad_zero;
		for (k = 0; k < NR_KINDS; k++) {
			tries += c->tries[k];
			nulls += c->nulls[k];
		}
		if (c->frees)
			print_cpu(c);
	}
	for (i = 0; i < 2; i++)
		fault_attr_show(attrs[i]);

	KTEST_EXPECT_EQ(t, bad, 0);
	KTEST_EXPECT_EQ(t, zero, 0);
	/* Failures were injected and, unless every page must fail, some succeeded. */
	KTEST_EXPECT_GT(t, nulls, 0);
	if (!fails_always(&fail_page_alloc_attr))
		KTEST_EXPECT_LT(t, nulls, tries);
	for (i = 0; i < 2; i++)
		if (attrs[i]->configured && fault_attr_get(attrs[i]).probability)
			KTEST_EXPECT_GT(t, attrs[i]->injected, injected0[i]);
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
	KTEST_EXPECT_EQ(t, vmalloc_check(), 0);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);

	/* Back to the baseline, exactly. */
	kmem_cache_destroy(cold);
	caches[NR_CACHES - 1] = NULL;
	shrink_all();
	KTEST_EXPECT_EQ(t, kmalloc_in_use(), km0);
	KTEST_EXPECT_EQ(t, objects_in_use(&slab_magazine_cache), mag0);
	for (i = 0; i < NR_CACHES - 1; i++) {
		KTEST_EXPECT_EQ(t, objects_in_use(caches[i]), 0);
		KTEST_EXPECT_EQ(t, caches[i]->nr_slabs, 0);
	}
	/* Kernel page tables are never freed (nor in Linux): count them out. */
	if (nr_pagetable_pages != pt0)
		pr_info("fail_stress: %lu page-table pages added for vmalloc\n",
			nr_pagetable_pages - pt0);
	KTEST_EXPECT_EQ(t, nr_free_pages() + (nr_pagetable_pages - pt0), free0);
	for (i = 0; i < NR_CACHES - 1; i++)
		kmem_cache_destroy(caches[i]);
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
	restore_cmdline_settings();
}

static const struct ktest_case fail_stress_cases[] = {
	KTEST_CASE(nofail_never_injected),
	KTEST_CASE(report_without_nowarn),
	KTEST_CASE(random_alloc_free),
};

KTEST_SUITE(fail_stress, fail_stress_cases, .default_off = true,
	    .init = fail_stress_init);

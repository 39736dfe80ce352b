// SPDX-License-Identifier: MIT
/*
 * kfence: the sampling guard-page detector (mm/kfence.c), in the spirit of
 * Linux's mm/kfence/kfence_test.c. Each misuse case forces the next
 * allocation into the pool (kfence_sample_next()), misbehaves once, and
 * checks the exact report on the console: the title naming this file's
 * function, the access, the object with its size and cache, the call
 * chains; then that the kernel went on (the case itself returns, and the
 * object can still be freed without a second report).
 *
 * Every case runs with interrupts off between forcing a sample and the
 * allocation, so that no interrupt handler takes the sampled allocation.
 */
#include "cpu.h"
#include "kernel/ktest.h"
#include "kmm/string.h"
#include "mm/gfp.h"
#include "mm/slab.h"
#include "mm/kfence.h"
#include "arch/x86_64/smp.h"

static int kfence_suite_init(void)
{
	if (!kfence_enabled()) {
		pr_info("kfence: suite skipped: KFENCE is off (kfence.sample_interval=0, or no pool region, as in the KASAN build)\n");
		return -1;
	}
	return 0;
}

/* The next kmalloc(@size) on this CPU, from the pool and placed as @where. */
static __always_inline void *pool_kmalloc(size_t size, enum kfence_placement where)
{
	unsigned long flags = local_irq_save();
	void *p;

	kfence_sample_next(where);
	p = kmalloc(size, GFP_KERNEL);
	local_irq_restore(flags);
	return p;
}

/* Did the console print exactly @fmt (formatted) since @mark? */
static bool printed(unsigned long mark, const char *fmt, ...) __printf(2, 3);
static bool printed(unsigned long mark, const char *fmt, ...)
{
	char text[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return ktest_console_contains(mark, text);
}

/* What every report about pool object @p (kmalloc-64, size 64) shows. */
static void expect_object(struct ktest *t, unsigned long mark, const void *p,
			  const char *fn)
{
	int idx = kfence_object_index(p);

	KTEST_EXPECT_TRUE(t, printed(mark, "kfence-#%d: 0x%lx-0x%lx, size=64, cache=kmalloc-64",
				     idx, (unsigned long)p, (unsigned long)p + 63));
	KTEST_EXPECT_TRUE(t, printed(mark, "allocated by task 0 on cpu %u:\n %s+0x",
				     smp_processor_id(), fn));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "\nCPU: "));
}

/* Free @p and expect no report: the kernel carries on normally. */
static __always_inline void free_quietly(struct ktest *t, void *p)
{
	unsigned long mark = ktest_console_mark();

	kfree(p);
	KTEST_EXPECT_FALSE(t, ktest_console_contains(mark, "BUG"));
}

static void out_of_bounds_read_right(struct ktest *t)
{
	char *p = pool_kmalloc(64, KFENCE_PLACE_RIGHT);
	unsigned long mark;

	KTEST_ASSERT_TRUE(t, is_kfence_address(p));
	ktest_expect_report(t, "BUG: KFENCE: out-of-bounds read in out_of_bounds_read_right+0x");
	mark = ktest_console_mark();
	(void)READ_ONCE(p[64]);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
		"BUG: KFENCE: out-of-bounds read in out_of_bounds_read_right+0x"));
	KTEST_EXPECT_TRUE(t, printed(mark, "Out-of-bounds read at 0x%lx (64B right of kfence-#%d):\n out_of_bounds_read_right+0x",
				     (unsigned long)p + 64, kfence_object_index(p)));
	expect_object(t, mark, p, "out_of_bounds_read_right");
	free_quietly(t, p);
}

static void out_of_bounds_write_right(struct ktest *t)
{
	char *p = pool_kmalloc(64, KFENCE_PLACE_RIGHT);
	unsigned long mark;

	KTEST_ASSERT_TRUE(t, is_kfence_address(p));
	ktest_expect_report(t, "BUG: KFENCE: out-of-bounds write in out_of_bounds_write_right+0x");
	mark = ktest_console_mark();
	WRITE_ONCE(p[64 + 7], 1);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
		"BUG: KFENCE: out-of-bounds write in out_of_bounds_write_right+0x"));
	KTEST_EXPECT_TRUE(t, printed(mark, "Out-of-bounds write at 0x%lx (71B right of kfence-#%d):",
				     (unsigned long)p + 71, kfence_object_index(p)));
	expect_object(t, mark, p, "out_of_bounds_write_right");
	free_quietly(t, p);
}

static void out_of_bounds_read_left(struct ktest *t)
{
	char *p = pool_kmalloc(64, KFENCE_PLACE_LEFT);
	unsigned long mark;

	KTEST_ASSERT_TRUE(t, is_kfence_address(p));
	ktest_expect_report(t, "BUG: KFENCE: out-of-bounds read in out_of_bounds_read_left+0x");
	mark = ktest_console_mark();
	(void)READ_ONCE(p[-1]);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
		"BUG: KFENCE: out-of-bounds read in out_of_bounds_read_left+0x"));
	KTEST_EXPECT_TRUE(t, printed(mark, "Out-of-bounds read at 0x%lx (1B left of kfence-#%d):",
				     (unsigned long)p - 1, kfence_object_index(p)));
	expect_object(t, mark, p, "out_of_bounds_read_left");
	free_quietly(t, p);
}

static void out_of_bounds_write_left(struct ktest *t)
{
	char *p = pool_kmalloc(64, KFENCE_PLACE_LEFT);
	unsigned long mark;

	KTEST_ASSERT_TRUE(t, is_kfence_address(p));
	ktest_expect_report(t, "BUG: KFENCE: out-of-bounds write in out_of_bounds_write_left+0x");
	mark = ktest_console_mark();
	WRITE_ONCE(p[-16], 1);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
		"BUG: KFENCE: out-of-bounds write in out_of_bounds_write_left+0x"));
	KTEST_EXPECT_TRUE(t, printed(mark, "Out-of-bounds write at 0x%lx (16B left of kfence-#%d):",
				     (unsigned long)p - 16, kfence_object_index(p)));
	expect_object(t, mark, p, "out_of_bounds_write_left");
	free_quietly(t, p);
}

static void use_after_free_read(struct ktest *t)
{
	char *p = pool_kmalloc(64, KFENCE_PLACE_RANDOM);
	unsigned long mark;
	int idx = kfence_object_index(p);

	KTEST_ASSERT_TRUE(t, is_kfence_address(p));
	kfree(p);
	ktest_expect_report(t, "BUG: KFENCE: use-after-free read in use_after_free_read+0x");
	mark = ktest_console_mark();
	(void)READ_ONCE(p[8]);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
		"BUG: KFENCE: use-after-free read in use_after_free_read+0x"));
	KTEST_EXPECT_TRUE(t, printed(mark, "Use-after-free read at 0x%lx (in kfence-#%d):",
				     (unsigned long)p + 8, idx));
	expect_object(t, mark, p, "use_after_free_read");
	KTEST_EXPECT_TRUE(t, printed(mark, "freed by task 0 on cpu %u:\n use_after_free_read+0x",
				     smp_processor_id()));
	/* Reported once: the page is accessible now. */
	mark = ktest_console_mark();
	(void)READ_ONCE(p[16]);
	KTEST_EXPECT_FALSE(t, ktest_console_contains(mark, "BUG"));
}

static void use_after_free_write(struct ktest *t)
{
	char *p = pool_kmalloc(64, KFENCE_PLACE_RANDOM);
	unsigned long mark;
	int idx = kfence_object_index(p);

	KTEST_ASSERT_TRUE(t, is_kfence_address(p));
	kfree(p);
	ktest_expect_report(t, "BUG: KFENCE: use-after-free write in use_after_free_write+0x");
	mark = ktest_console_mark();
	WRITE_ONCE(p[0], 0x42);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
		"BUG: KFENCE: use-after-free write in use_after_free_write+0x"));
	KTEST_EXPECT_TRUE(t, printed(mark, "Use-after-free write at 0x%lx (in kfence-#%d):",
				     (unsigned long)p, idx));
	expect_object(t, mark, p, "use_after_free_write");
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "freed by task 0 on cpu"));
	/* The write went to the object's own page, now mapped again. */
	KTEST_EXPECT_EQ(t, READ_ONCE(p[0]), 0x42);
}

static void invalid_free(struct ktest *t)
{
	char *p = pool_kmalloc(64, KFENCE_PLACE_RANDOM);
	unsigned long mark;

	KTEST_ASSERT_TRUE(t, is_kfence_address(p));
	ktest_expect_report(t, "BUG: KFENCE: invalid free in invalid_free+0x");
	mark = ktest_console_mark();
	kfree(p + 1);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
		"BUG: KFENCE: invalid free in invalid_free+0x"));
	KTEST_EXPECT_TRUE(t, printed(mark, "Invalid free of 0x%lx (in kfence-#%d):\n invalid_free+0x",
				     (unsigned long)p + 1, kfence_object_index(p)));
	expect_object(t, mark, p, "invalid_free");
	/* The object was left alone: it is still usable and freeable. */
	p[63] = 1;
	free_quietly(t, p);
}

static void double_free(struct ktest *t)
{
	char *p = pool_kmalloc(64, KFENCE_PLACE_RANDOM);
	unsigned long mark;

	KTEST_ASSERT_TRUE(t, is_kfence_address(p));
	free_quietly(t, p);
	ktest_expect_report(t, "BUG: KFENCE: invalid free in double_free+0x");
	mark = ktest_console_mark();
	kfree(p);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
		"BUG: KFENCE: invalid free in double_free+0x"));
	KTEST_EXPECT_TRUE(t, printed(mark, "Invalid free of 0x%lx (in kfence-#%d):",
				     (unsigned long)p, kfence_object_index(p)));
	expect_object(t, mark, p, "double_free");
	KTEST_EXPECT_TRUE(t, printed(mark, "freed by task 0 on cpu %u:\n double_free+0x",
				     smp_processor_id()));
}

/* A write past the object but inside its page: only the canary sees it. */
static void canary_damage(struct ktest *t)
{
	char *p = pool_kmalloc(64, KFENCE_PLACE_LEFT);
	struct kfence_stats a, b;
	unsigned long mark;

	KTEST_ASSERT_TRUE(t, is_kfence_address(p));
	ktest_expect_report(t, "BUG: KFENCE: memory corruption in canary_damage+0x");
	mark = ktest_console_mark();
	p[64 + 3] = 0x11;
	KTEST_EXPECT_FALSE(t, ktest_console_contains(mark, "BUG"));
	kfence_get_stats(&a);
	kfree(p);
	kfence_get_stats(&b);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
		"BUG: KFENCE: memory corruption in canary_damage+0x"));
	KTEST_EXPECT_TRUE(t, printed(mark, "Corrupted memory at 0x%lx [ 0x11 . . . . . . . . . . . . . . . ] (in kfence-#%d):",
				     (unsigned long)p + 67, kfence_object_index(p)));
	expect_object(t, mark, p, "canary_damage");
	/* Freed all the same. */
	KTEST_EXPECT_EQ(t, b.total_frees, a.total_frees + 1);
	KTEST_EXPECT_EQ(t, b.allocated + 1, a.allocated);
}

/* Canary on the left of a right-placed object of a size not a multiple of 8. */
static void canary_damage_left(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("kfence-60", 60, 8, 0, NULL);
	unsigned long flags, mark;
	char *p;

	KTEST_ASSERT_NOT_NULL(t, s);
	flags = local_irq_save();
	kfence_sample_next(KFENCE_PLACE_RIGHT);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	local_irq_restore(flags);
	KTEST_ASSERT_TRUE(t, is_kfence_address(p));
	/* 4096 - 60 rounded down to 8: four canary bytes follow the object. */
	KTEST_EXPECT_EQ(t, ((unsigned long)p + 60) & (PAGE_SIZE - 1), PAGE_SIZE - 4);
	ktest_expect_report(t, "BUG: KFENCE: memory corruption in canary_damage_left+0x");
	mark = ktest_console_mark();
	p[-2] = 0x22;
	kmem_cache_free(s, p);
	KTEST_EXPECT_TRUE(t, printed(mark, "Corrupted memory at 0x%lx [ 0x22 . ] (in kfence-#%d):",
				     (unsigned long)p - 2, kfence_object_index(p)));
	KTEST_EXPECT_TRUE(t, printed(mark, "size=60, cache=kfence-60"));
	kmem_cache_destroy(s);
}

static int ctor_runs;

static void count_ctor(void *obj)
{
	ctor_runs++;
	memset(obj, 0x77, 32);
}

/* Pool objects behave as slab objects: ksize, krealloc, ctor, zeroing. */
static void pool_objects_work(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("kfence-ctor", 32, 0, 0, count_ctor);
	unsigned long flags, mark = ktest_console_mark();
	char *p, *q;
	int before;

	KTEST_ASSERT_NOT_NULL(t, s);
	p = pool_kmalloc(64, KFENCE_PLACE_RIGHT);
	KTEST_ASSERT_TRUE(t, is_kfence_address(p));
	KTEST_EXPECT_EQ(t, ksize(p), 64);
	KTEST_EXPECT_EQ(t, ((unsigned long)p + 64) & (PAGE_SIZE - 1), 0);
	memset(p, 0x5c, 64);
	q = krealloc(p, 48, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, q == p);
	q = krealloc(p, 200, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, q);
	KTEST_EXPECT_FALSE(t, is_kfence_address(q));
	KTEST_EXPECT_EQ(t, q[63], 0x5c);
	kfree(q);

	flags = local_irq_save();
	kfence_sample_next(KFENCE_PLACE_LEFT);
	p = kzalloc(128, GFP_KERNEL);
	local_irq_restore(flags);
	KTEST_ASSERT_TRUE(t, is_kfence_address(p));
	KTEST_EXPECT_EQ(t, (unsigned long)p & (PAGE_SIZE - 1), 0);
	KTEST_EXPECT_EQ(t, p[0] | p[127], 0);
	kfree(p);

	before = ctor_runs;
	flags = local_irq_save();
	kfence_sample_next(KFENCE_PLACE_RANDOM);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	local_irq_restore(flags);
	KTEST_ASSERT_TRUE(t, is_kfence_address(p));
	KTEST_EXPECT_EQ(t, ctor_runs, before + 1);
	KTEST_EXPECT_EQ(t, p[31], 0x77);
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
	KTEST_EXPECT_FALSE(t, ktest_console_contains(mark, "BUG"));
}

/* A cache created with SLAB_SKIP_KFENCE is never sampled. */
static void skip_kfence_cache(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("kfence-skip", 64, 0, SLAB_SKIP_KFENCE, NULL);
	struct kfence_stats a, b;
	unsigned long flags;
	void *p;

	KTEST_ASSERT_NOT_NULL(t, s);
	kfence_get_stats(&a);
	flags = local_irq_save();
	kfence_sample_next(KFENCE_PLACE_RANDOM);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	local_irq_restore(flags);
	KTEST_EXPECT_FALSE(t, is_kfence_address(p));
	kfence_get_stats(&b);
	KTEST_EXPECT_EQ(t, b.skipped_incompatible, a.skipped_incompatible + 1);
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
}

#define SAMPLE_OBJECTS 25000

/*
 * Nothing forced: at the default interval, allocating a few intervals'
 * worth of objects must put some of them in the pool.
 */
static void default_interval_samples(struct ktest *t)
{
	void **objs = kmalloc(SAMPLE_OBJECTS * sizeof(void *), GFP_KERNEL);
	struct kfence_stats a, b;
	unsigned int i, in_pool = 0;

	KTEST_ASSERT_NOT_NULL(t, objs);
	if (kfence_sample_interval() != KFENCE_DEFAULT_SAMPLE_INTERVAL) {
		ktest_skip(t, "kfence.sample_interval is not the default");
		kfree(objs);
		return;
	}
	kfence_get_stats(&a);
	for (i = 0; i < SAMPLE_OBJECTS; i++) {
		objs[i] = kmalloc(32, GFP_KERNEL);
		if (objs[i] && is_kfence_address(objs[i]))
			in_pool++;
	}
	kfence_get_stats(&b);
	for (i = 0; i < SAMPLE_OBJECTS; i++)
		kfree(objs[i]);
	kfree(objs);
	pr_info("    # %u of %u allocations came from the pool\n", in_pool,
		SAMPLE_OBJECTS);
	KTEST_EXPECT_GE(t, in_pool, SAMPLE_OBJECTS / KFENCE_DEFAULT_SAMPLE_INTERVAL);
	KTEST_EXPECT_LE(t, in_pool, SAMPLE_OBJECTS / KFENCE_DEFAULT_SAMPLE_INTERVAL + 1);
	KTEST_EXPECT_EQ(t, b.total_allocs - a.total_allocs, in_pool);
}

/* The pool reuses the object freed longest ago, not the one just freed. */
static void freed_object_not_reused_soon(struct ktest *t)
{
	char *p = pool_kmalloc(64, KFENCE_PLACE_RANDOM), *q;

	KTEST_ASSERT_TRUE(t, is_kfence_address(p));
	kfree(p);
	q = pool_kmalloc(64, KFENCE_PLACE_RANDOM);
	KTEST_ASSERT_TRUE(t, is_kfence_address(q));
	KTEST_EXPECT_NE(t, kfence_object_index(p), kfence_object_index(q));
	kfree(q);
}

/* Faults on another CPU are handled there and the CPU goes on. */
struct ap_uaf {
	char *p;
	int value;
};

static void ap_read(void *arg)
{
	struct ap_uaf *u = arg;

	u->value = READ_ONCE(u->p[5]);
}

static void fault_on_other_cpu(struct ktest *t)
{
	struct ap_uaf u = { .value = -1 };
	unsigned long mark;

	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs a second CPU");
		return;
	}
	u.p = pool_kmalloc(64, KFENCE_PLACE_RANDOM);
	KTEST_ASSERT_TRUE(t, is_kfence_address(u.p));
	u.p[5] = 9;
	kfree(u.p);
	ktest_expect_report(t, "BUG: KFENCE: use-after-free read in ap_read+0x");
	mark = ktest_console_mark();
	KTEST_ASSERT_EQ(t, smp_call_on_cpu(1, ap_read, &u), 0);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
		"BUG: KFENCE: use-after-free read in ap_read+0x"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "\nCPU: 1 PID: 0"));
	KTEST_EXPECT_EQ(t, u.value, 9);
}

#define CONCURRENT_ROUNDS 300

struct pool_worker {
	unsigned int sampled, wrong;
};

/* Sampled allocations and frees in a loop, each object checked on the way. */
static void pool_worker(void *arg)
{
	struct pool_worker *w = arg;
	unsigned int i;

	for (i = 0; i < CONCURRENT_ROUNDS; i++) {
		u64 *p = pool_kmalloc(16 + (i % 8) * 8, KFENCE_PLACE_RANDOM);

		if (!p)
			continue;
		if (is_kfence_address(p))
			w->sampled++;
		p[0] = i;
		p[1] = ~(u64)i;
		if (p[0] != i || p[1] != ~(u64)i)
			w->wrong++;
		kfree(p);
	}
}

/* Every CPU at once: the pool's lock keeps its state whole. */
static void concurrent_pool_use(struct ktest *t)
{
	struct pool_worker w[NR_CPUS] = {};
	unsigned int cpu, n = num_online_cpus(), total = 0;
	unsigned long mark = ktest_console_mark();
	struct kfence_stats a, b;

	if (n < 2) {
		ktest_skip(t, "needs a second CPU");
		return;
	}
	kfence_get_stats(&a);
	for (cpu = 1; cpu < n; cpu++)
		KTEST_ASSERT_EQ(t, smp_call_async(cpu, pool_worker, &w[cpu]), 0);
	pool_worker(&w[0]);
	for (cpu = 1; cpu < n; cpu++)
		smp_wait(cpu);
	kfence_get_stats(&b);
	for (cpu = 0; cpu < n; cpu++) {
		KTEST_EXPECT_EQ(t, w[cpu].wrong, 0);
		/* A full pool (another CPU's objects) may refuse some. */
		KTEST_EXPECT_GT(t, w[cpu].sampled, CONCURRENT_ROUNDS / 2);
		total += w[cpu].sampled;
	}
	KTEST_EXPECT_EQ(t, b.total_allocs - a.total_allocs, total);
	KTEST_EXPECT_EQ(t, b.total_frees - a.total_frees, total);
	KTEST_EXPECT_EQ(t, b.allocated, a.allocated);
	KTEST_EXPECT_EQ(t, b.bugs, a.bugs);
	KTEST_EXPECT_FALSE(t, ktest_console_contains(mark, "BUG"));
}

static void stats_on_demand(struct ktest *t)
{
	unsigned long mark = ktest_console_mark();
	struct kfence_stats st;
	char text[64];

	kfence_get_stats(&st);
	KTEST_EXPECT_TRUE(t, st.enabled);
	KTEST_EXPECT_GE(t, st.bugs, 1);
	KTEST_EXPECT_GE(t, st.total_allocs, st.total_frees);
	KTEST_EXPECT_EQ(t, st.allocated, st.total_allocs - st.total_frees);
	kfence_show_stats();
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "enabled: 1\n"));
	snprintf(text, sizeof(text), "total bugs: %lu\n", st.bugs);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, text));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "currently allocated: "));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "skipped allocations (capacity): "));
}

static const struct ktest_case kfence_cases[] = {
	KTEST_CASE(out_of_bounds_read_right),
	KTEST_CASE(out_of_bounds_write_right),
	KTEST_CASE(out_of_bounds_read_left),
	KTEST_CASE(out_of_bounds_write_left),
	KTEST_CASE(use_after_free_read),
	KTEST_CASE(use_after_free_write),
	KTEST_CASE(invalid_free),
	KTEST_CASE(double_free),
	KTEST_CASE(canary_damage),
	KTEST_CASE(canary_damage_left),
	KTEST_CASE(pool_objects_work),
	KTEST_CASE(skip_kfence_cache),
	KTEST_CASE(default_interval_samples),
	KTEST_CASE(freed_object_not_reused_soon),
	KTEST_CASE(fault_on_other_cpu),
	KTEST_CASE(concurrent_pool_use),
	KTEST_CASE(stats_on_demand),
};

KTEST_SUITE(kfence, kfence_cases, .init = kfence_suite_init);

// SPDX-License-Identifier: MIT
/*
 * SMP self-tests: the application processors are really distinct CPUs set
 * up like the boot CPU, and memory allocated on one CPU and freed on another
 * comes back whole -- pages through the per-CPU lists and the buddy, objects
 * through the magazines and the slabs -- one direction at a time and with
 * every CPU allocating and freeing at once.
 *
 * Each case skips when only one CPU is online (QEMU -smp 1, nosmp). The
 * counting cases first warm up every CPU (so each has the magazines it will
 * use), then take the baseline after draining per-CPU pages and shrinking
 * the caches involved, and demand the same count at the end.
 */
#include "kernel/ktest.h"
#include "kmm/string.h"
#include "mm/gfp.h"
#include "mm/slab.h"
#include "mm/slab_internal.h"
#include "tests/kernel/ktest_warm.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/cpu.h"

#define NEED_SMP(t)                                                  \
	do {                                                         \
		if (num_online_cpus() < 2) {                         \
			ktest_skip(t, "only one CPU online");        \
			return;                                      \
		}                                                    \
	} while (0)

/* The first online AP. Callers have checked that there is one. */
static unsigned int first_ap(void)
{
	unsigned int cpu;

	for (cpu = 1; cpu < NR_CPUS; cpu++)
		if (cpu_online(cpu))
			return cpu;
	return 0;
}

static void shrink_kmalloc_caches(void)
{
	unsigned int i;

	for (i = 1; i <= KMALLOC_NR_CLASSES; i++)
		kmem_cache_shrink(kmalloc_caches[i]);
}

/* Free pages once every per-CPU list is drained and @s (if any) and kmalloc shrunk. */
static unsigned long settled_free_pages(struct kmem_cache *s)
{
	if (s)
		kmem_cache_shrink(s);
	shrink_kmalloc_caches();
	drain_all_pages();
	return nr_free_pages();
}

/* A recognisable value for word @i of an allocation at @p made on @cpu. */
static u64 tag_of(const void *p, unsigned int cpu, unsigned long i)
{
	return ((unsigned long)p * 0x9e3779b97f4a7c15ULL) ^ ((u64)cpu << 56) ^ i;
}

/* ---- identity ------------------------------------------------------------ */

struct cpu_report {
	unsigned int cpu;
	u32 apic_id, cpuid_apic_id;
	unsigned long gs_base, cr0, cr4, rsp;
	u64 efer;
};

static void report_self(void *arg)
{
	struct cpu_report *r = arg;
	u32 a, b, c, d;

	cpuid_count(1, 0, &a, &b, &c, &d);
	r->cpu = mm_cpu_id();
	r->apic_id = apic_read_id();
	r->cpuid_apic_id = b >> 24;
	r->gs_base = rdmsr(MSR_GS_BASE);
	r->cr0 = read_cr0();
	r->cr4 = read_cr4();
	r->efer = rdmsr(MSR_EFER);
	r->rsp = (unsigned long)__builtin_frame_address(0);
}

static void dummy_call(void *arg)
{
}

/* Run on an AP: a call to another AP must be refused, not deadlock. */
static void call_from_ap(void *arg)
{
	int *ret = arg;

	*ret = smp_call_on_cpu(smp_processor_id() == 1 ? 2 : 1, dummy_call, NULL);
}

static void each_cpu_reports_itself(struct ktest *t)
{
	static struct cpu_report rep[NR_CPUS];
	unsigned int cpu, other, n = 0;

	NEED_SMP(t);
	memset(rep, 0, sizeof(rep));
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!cpu_online(cpu))
			continue;
		n++;
		rep[cpu].cpu = ~0u;
		KTEST_ASSERT_EQ(t, smp_call_on_cpu(cpu, report_self, &rep[cpu]), 0);
		printk("    # CPU%u: mm_cpu_id %u, APIC ID %u, stack near %#lx\n",
		       cpu, rep[cpu].cpu, rep[cpu].apic_id, rep[cpu].rsp);
		KTEST_EXPECT_EQ(t, rep[cpu].cpu, cpu);
		KTEST_EXPECT_EQ(t, rep[cpu].apic_id, percpu_area[cpu].apic_id);
		KTEST_EXPECT_EQ(t, rep[cpu].cpuid_apic_id, rep[cpu].apic_id);
		KTEST_EXPECT_EQ(t, rep[cpu].gs_base, (unsigned long)&percpu_area[cpu]);
		/*
		 * Same protections and paging depth as the boot CPU: WP,
		 * PGE, SMEP, SMAP, LA57, and NX where the CPU has it.
		 */
		KTEST_EXPECT_EQ(t, rep[cpu].cr0, rep[0].cr0);
		KTEST_EXPECT_EQ(t, rep[cpu].cr4, rep[0].cr4);
		KTEST_EXPECT_EQ(t, !!(rep[cpu].efer & EFER_NXE), boot_cpu.nx);
		/* It ran on that CPU's own stack. */
		KTEST_EXPECT_TRUE(t, rep[cpu].rsp >= percpu_area[cpu].stack_bottom &&
				     rep[cpu].rsp < percpu_area[cpu].stack_top);
		for (other = 0; other < cpu; other++)
			if (cpu_online(other))
				KTEST_EXPECT_NE(t, rep[other].apic_id, rep[cpu].apic_id);
	}
	KTEST_EXPECT_EQ(t, n, num_online_cpus());
	/* Calls that cannot be made are refused, not lost. */
	KTEST_EXPECT_EQ(t, smp_call_on_cpu(NR_CPUS, dummy_call, NULL), -EINVAL);
	KTEST_EXPECT_EQ(t, smp_call_async(0, dummy_call, NULL), -EINVAL);
	for (cpu = 1; cpu < NR_CPUS; cpu++)
		if (!cpu_online(cpu)) {
			KTEST_EXPECT_EQ(t, smp_call_on_cpu(cpu, dummy_call, NULL), -EINVAL);
			break;
		}
	if (num_online_cpus() > 2 && cpu_online(1) && cpu_online(2)) {
		int ret = 0;

		KTEST_ASSERT_EQ(t, smp_call_on_cpu(1, call_from_ap, &ret), 0);
		KTEST_EXPECT_EQ(t, ret, -EINVAL);
	}
	other = first_ap();
	KTEST_ASSERT_EQ(t, smp_call_async(other, dummy_call, NULL), 0);
	KTEST_EXPECT_EQ(t, smp_call_async(other, dummy_call, NULL), -EBUSY);
	smp_wait(other);
	KTEST_EXPECT_EQ(t, smp_call_async(other, dummy_call, NULL), 0);
	smp_wait(other);
}

/* ---- pages, one direction at a time -------------------------------------- */

#define XPAGES 96

struct page_batch {
	struct page *page[XPAGES];
	unsigned int order[XPAGES];
	unsigned int allocated, bad_tags, alloc_cpu;
};

/* Allocate blocks of order 0..3 and tag their first and last words. */
static void alloc_page_batch(void *arg)
{
	struct page_batch *b = arg;
	unsigned int i;

	b->alloc_cpu = mm_cpu_id();
	b->allocated = 0;
	for (i = 0; i < XPAGES; i++) {
		unsigned int order = i % 4;
		struct page *p = alloc_pages(GFP_KERNEL, order);
		u64 *w;

		b->page[i] = p;
		b->order[i] = order;
		if (!p)
			continue;
		w = page_address(p);
		w[0] = tag_of(w, b->alloc_cpu, 0);
		w[(PAGE_SIZE << order) / 8 - 1] = tag_of(w, b->alloc_cpu, 1);
		b->allocated++;
	}
}

static void free_page_batch(void *arg)
{
	struct page_batch *b = arg;
	unsigned int i;

	b->bad_tags = 0;
	for (i = 0; i < XPAGES; i++) {
		u64 *w;

		if (!b->page[i])
			continue;
		w = page_address(b->page[i]);
		if (w[0] != tag_of(w, b->alloc_cpu, 0) ||
		    w[(PAGE_SIZE << b->order[i]) / 8 - 1] != tag_of(w, b->alloc_cpu, 1))
			b->bad_tags++;
		__free_pages(b->page[i], b->order[i]);
	}
}

static void pages_freed_on_other_cpu(struct ktest *t)
{
	static struct page_batch b;
	unsigned int ap;
	unsigned long start;

	NEED_SMP(t);
	ap = first_ap();
	drain_all_pages();
	start = nr_free_pages();

	/* Allocated on the AP, freed here. */
	KTEST_ASSERT_EQ(t, smp_call_on_cpu(ap, alloc_page_batch, &b), 0);
	KTEST_EXPECT_EQ(t, b.alloc_cpu, ap);
	KTEST_EXPECT_EQ(t, b.allocated, XPAGES);
	free_page_batch(&b);
	KTEST_EXPECT_EQ(t, b.bad_tags, 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), start);

	/* Allocated here, freed on the AP (onto its per-CPU lists). */
	alloc_page_batch(&b);
	KTEST_EXPECT_EQ(t, b.allocated, XPAGES);
	KTEST_ASSERT_EQ(t, smp_call_on_cpu(ap, free_page_batch, &b), 0);
	KTEST_EXPECT_EQ(t, b.bad_tags, 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), start);

	drain_all_pages();
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), start);
}

/* ---- objects, one direction at a time ------------------------------------ */

#define XOBJS 512
#define XOBJ_MAX_KMALLOC 2048
#define XCACHE_SIZE 96

struct obj_batch {
	struct kmem_cache *cache;
	void *obj[XOBJS];
	void *km[XOBJS];
	unsigned int allocated, bad_tags, alloc_cpu;
};

/* 16 bytes or more: the first and the last word are different words. */
static size_t kmalloc_size_for(unsigned int i)
{
	return 16 + (i * 37) % (XOBJ_MAX_KMALLOC - 16);
}

static void alloc_obj_batch(void *arg)
{
	struct obj_batch *b = arg;
	unsigned int i;

	b->alloc_cpu = mm_cpu_id();
	b->allocated = 0;
	for (i = 0; i < XOBJS; i++) {
		u64 *o = kmem_cache_alloc(b->cache, GFP_KERNEL);
		u64 *k = kmalloc(kmalloc_size_for(i), GFP_KERNEL);

		b->obj[i] = o;
		b->km[i] = k;
		if (o) {
			o[0] = tag_of(o, b->alloc_cpu, 0);
			o[XCACHE_SIZE / 8 - 1] = tag_of(o, b->alloc_cpu, 1);
			b->allocated++;
		}
		if (k) {
			k[0] = tag_of(k, b->alloc_cpu, 0);
			k[kmalloc_size_for(i) / 8 - 1] = tag_of(k, b->alloc_cpu, 1);
			b->allocated++;
		}
	}
}

static void free_obj_batch(void *arg)
{
	struct obj_batch *b = arg;
	unsigned int i;

	b->bad_tags = 0;
	for (i = 0; i < XOBJS; i++) {
		u64 *o = b->obj[i], *k = b->km[i];

		if (o && (o[0] != tag_of(o, b->alloc_cpu, 0) ||
			  o[XCACHE_SIZE / 8 - 1] != tag_of(o, b->alloc_cpu, 1)))
			b->bad_tags++;
		if (k && (k[0] != tag_of(k, b->alloc_cpu, 0) ||
			  k[kmalloc_size_for(i) / 8 - 1] != tag_of(k, b->alloc_cpu, 1)))
			b->bad_tags++;
		kmem_cache_free(b->cache, o);
		kfree(k);
	}
}

/*
 * Give this CPU a magazine for @arg's cache and for every kmalloc class the
 * cases use, so that no magazine is allocated between baseline and check.
 */
static void warm_up_caches(void *arg)
{
	struct kmem_cache *s = arg;
	unsigned int size;

	if (s)
		ktest_warm_cache(s);
	for (size = 8; size <= XOBJ_MAX_KMALLOC; size += 8)
		ktest_warm_kmalloc(size);
}

static void warm_up_all_cpus(struct kmem_cache *s)
{
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (cpu_online(cpu))
			smp_call_on_cpu(cpu, warm_up_caches, s);
}

static void objects_freed_on_other_cpu(struct ktest *t)
{
	static struct obj_batch b;
	unsigned int ap;
	unsigned long start;

	NEED_SMP(t);
	ap = first_ap();
	b.cache = kmem_cache_create("ktest-smp", XCACHE_SIZE, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, b.cache);
	warm_up_all_cpus(b.cache);
	start = settled_free_pages(b.cache);

	/* Allocated on the AP, freed here. */
	KTEST_ASSERT_EQ(t, smp_call_on_cpu(ap, alloc_obj_batch, &b), 0);
	KTEST_EXPECT_EQ(t, b.alloc_cpu, ap);
	KTEST_EXPECT_EQ(t, b.allocated, 2 * XOBJS);
	KTEST_EXPECT_LT(t, nr_free_pages(), start);
	free_obj_batch(&b);
	KTEST_EXPECT_EQ(t, b.bad_tags, 0);
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);

	/* Allocated here, freed on the AP (into its magazines). */
	alloc_obj_batch(&b);
	KTEST_EXPECT_EQ(t, b.allocated, 2 * XOBJS);
	KTEST_ASSERT_EQ(t, smp_call_on_cpu(ap, free_obj_batch, &b), 0);
	KTEST_EXPECT_EQ(t, b.bad_tags, 0);
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);

	/* Every slab emptied, wherever its objects were freed. */
	KTEST_EXPECT_GT(t, kmem_cache_shrink(b.cache), 0);
	KTEST_EXPECT_EQ(t, settled_free_pages(b.cache), start);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
	kmem_cache_destroy(b.cache);
}

/* ---- every CPU at once ---------------------------------------------------- */

/*
 * The online CPUs form a ring: each allocates, tags and passes every
 * allocation to the next CPU through a single-producer single-consumer
 * queue, and frees what the previous CPU passed to it -- while that CPU is
 * itself allocating. A CPU whose queue out is full frees from its queue in
 * until there is room, so every object crosses and no CPU can run far ahead
 * (under TCG a vCPU thread may be descheduled for milliseconds). CPU 0 also
 * drains every CPU's page lists and runs buddy_check() now and then, which
 * both claim to be safe against concurrent use.
 */
#define STRESS_ITERS   3000
#define RING_SLOTS     128
#define STRESS_CHECK_EVERY 1000

struct handoff {
	void *ptr;
	u32 order;   /* pages: the order; kmalloc: ~0 */
	u32 size;    /* bytes tagged */
	u32 cpu;     /* allocating CPU */
};

struct handoff_ring {
	struct handoff slot[RING_SLOTS];
	u32 head __aligned(64); /* written by the producer */
	u32 tail __aligned(64); /* written by the consumer */
};

struct stress_worker {
	unsigned int cpu;
	struct handoff_ring *in, *out;
	const u32 *prev_done;  /* the producer into @in has finished */
	u32 done;
	unsigned long allocs, frees, crossed, bad_tags, alloc_failures, check_errors;
	u64 rng;
} __aligned(64);

static struct handoff_ring rings[NR_CPUS];
static struct stress_worker workers[NR_CPUS];
static u32 stress_go;

static bool ring_push(struct handoff_ring *r, const struct handoff *h)
{
	u32 head = r->head, tail = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);

	if (head - tail == RING_SLOTS)
		return false;
	r->slot[head % RING_SLOTS] = *h;
	__atomic_store_n(&r->head, head + 1, __ATOMIC_RELEASE);
	return true;
}

static bool ring_pop(struct handoff_ring *r, struct handoff *h)
{
	u32 tail = r->tail, head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);

	if (head == tail)
		return false;
	*h = r->slot[tail % RING_SLOTS];
	__atomic_store_n(&r->tail, tail + 1, __ATOMIC_RELEASE);
	return true;
}

static u64 next_rand(struct stress_worker *w)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return w->rng;
}

static bool stress_alloc(struct stress_worker *w, struct handoff *h)
{
	u64 r = next_rand(w);
	u64 *p;

	h->cpu = w->cpu;
	if ((r & 3) == 0) {
		struct page *pg = alloc_pages(GFP_KERNEL, (r >> 2) % 3);

		h->order = (r >> 2) % 3;
		h->size = PAGE_SIZE << h->order;
		h->ptr = pg ? page_address(pg) : NULL;
	} else {
		h->order = ~0u;
		h->size = 16 + (((r >> 8) % (XOBJ_MAX_KMALLOC - 16)) & ~7u);
		h->ptr = kmalloc(h->size, GFP_KERNEL);
	}
	if (!h->ptr) {
		w->alloc_failures++;
		return false;
	}
	p = h->ptr;
	p[0] = tag_of(p, h->cpu, 0);
	p[h->size / 8 - 1] = tag_of(p, h->cpu, 1);
	w->allocs++;
	return true;
}

static void stress_free(struct stress_worker *w, const struct handoff *h)
{
	u64 *p = h->ptr;

	if (p[0] != tag_of(p, h->cpu, 0) || p[h->size / 8 - 1] != tag_of(p, h->cpu, 1))
		w->bad_tags++;
	if (h->cpu != w->cpu)
		w->crossed++;
	if (h->order == ~0u)
		kfree(p);
	else
		__free_pages(virt_to_page(p), h->order);
	w->frees++;
}

static void stress_run(void *arg)
{
	struct stress_worker *w = arg;
	struct handoff h, in;
	unsigned int i, j;

	while (!__atomic_load_n(&stress_go, __ATOMIC_ACQUIRE))
		cpu_relax();
	for (i = 0; i < STRESS_ITERS; i++) {
		if (stress_alloc(w, &h)) {
			while (!ring_push(w->out, &h)) {
				if (ring_pop(w->in, &in))
					stress_free(w, &in);
				else
					cpu_relax();
			}
		}
		for (j = 0; j < 2 && ring_pop(w->in, &in); j++)
			stress_free(w, &in);
		if (w->cpu == 0 && i % STRESS_CHECK_EVERY == STRESS_CHECK_EVERY - 1) {
			drain_all_pages();
			w->check_errors += buddy_check();
		}
	}
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	for (;;) {
		bool prev_done = __atomic_load_n(w->prev_done, __ATOMIC_ACQUIRE);

		if (ring_pop(w->in, &h))
			stress_free(w, &h);
		else if (prev_done)
			break;
		else
			cpu_relax();
	}
}

static void all_cpus_alloc_and_free_at_once(struct ktest *t)
{
	unsigned int cpus[NR_CPUS], n = 0, i;
	unsigned long start, allocs = 0, frees = 0;

	NEED_SMP(t);
	for (i = 0; i < NR_CPUS; i++)
		if (cpu_online(i))
			cpus[n++] = i;
	warm_up_all_cpus(NULL);
	start = settled_free_pages(NULL);

	memset(rings, 0, sizeof(rings));
	memset(workers, 0, sizeof(workers));
	for (i = 0; i < n; i++) {
		struct stress_worker *w = &workers[i];

		w->cpu = cpus[i];
		w->in = &rings[i];
		w->out = &rings[(i + 1) % n];
		w->prev_done = &workers[(i + n - 1) % n].done;
		w->rng = 0x2545f4914f6cdd1dULL * (i + 1);
	}
	__atomic_store_n(&stress_go, 0, __ATOMIC_RELEASE);
	for (i = 1; i < n; i++)
		KTEST_ASSERT_EQ(t, smp_call_async(cpus[i], stress_run, &workers[i]), 0);
	__atomic_store_n(&stress_go, 1, __ATOMIC_RELEASE);
	stress_run(&workers[0]);
	for (i = 1; i < n; i++)
		smp_wait(cpus[i]);

	for (i = 0; i < n; i++) {
		struct stress_worker *w = &workers[i];

		printk("    # CPU%u: %lu allocated, %lu freed, %lu of them from CPU%u\n",
		       w->cpu, w->allocs, w->frees, w->crossed,
		       cpus[(i + n - 1) % n]);
		KTEST_EXPECT_EQ(t, w->bad_tags, 0);
		KTEST_EXPECT_EQ(t, w->alloc_failures, 0);
		KTEST_EXPECT_EQ(t, w->check_errors, 0);
		/* Everything the previous CPU allocated was freed here. */
		KTEST_EXPECT_EQ(t, w->crossed, workers[(i + n - 1) % n].allocs);
		KTEST_EXPECT_EQ(t, w->frees, w->crossed);
		allocs += w->allocs;
		frees += w->frees;
	}
	KTEST_EXPECT_EQ(t, allocs, frees);
	KTEST_EXPECT_EQ(t, slab_check_all(), 0);
	KTEST_EXPECT_EQ(t, settled_free_pages(NULL), start);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

static const struct ktest_case smp_cases[] = {
	KTEST_CASE(each_cpu_reports_itself),
	KTEST_CASE(pages_freed_on_other_cpu),
	KTEST_CASE(objects_freed_on_other_cpu),
	KTEST_CASE(all_cpus_alloc_and_free_at_once),
};

KTEST_SUITE(smp, smp_cases);

/* ---- smp_stack_overflow (default off): an AP's guard page stops a runaway ---- */

/* Never reached at run time; the compiler cannot know, so it must recurse. */
static volatile unsigned long ap_overflow_depth_limit = ~0UL;

static __noinline unsigned long ap_recurse_deeper(unsigned long depth)
{
	volatile u8 frame[256];
	unsigned long r;

	frame[depth % sizeof(frame)] = (u8)depth;
	if (depth == ap_overflow_depth_limit)
		return 0;
	r = ap_recurse_deeper(depth + 1);
	/* Using the frame after the call rules out a tail call. */
	return r + frame[(depth * 7) % sizeof(frame)];
}

static void ap_recurse(void *arg)
{
	*(unsigned long *)arg = ap_recurse_deeper(0);
}

static void overflow_an_ap_stack(struct ktest *t)
{
	unsigned long r = 0;
	unsigned int ap;

	NEED_SMP(t);
	ap = first_ap();
	printk("    # CPU%u recursing until the guard page below %#lx stops it; expect a panic\n",
	       ap, percpu_area[ap].stack_bottom);
	smp_call_on_cpu(ap, ap_recurse, &r);
	KTEST_FAIL(t, "unbounded recursion on CPU%u returned: no guard page fault", ap);
}

static const struct ktest_case smp_stack_overflow_cases[] = {
	KTEST_CASE(overflow_an_ap_stack),
};
KTEST_SUITE(smp_stack_overflow, smp_stack_overflow_cases, .default_off = true);

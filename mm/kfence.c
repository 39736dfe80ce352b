// SPDX-License-Identifier: MIT
/*
 * KFENCE: a sampling guard-page detector over the slab allocator, on by
 * default, with Linux's behaviour and report format
 * (Documentation/dev-tools/kfence.rst); kmm's own code.
 *
 * Theory of operation
 * -------------------
 * The pool is a range of virtual memory of its own (the port's
 * MM_KFENCE_POOL_START/SIZE; in the kernel, KFENCE_POOL_START in
 * arch/x86_64/layout.h). Odd pages hold one object each, even pages are
 * guard pages that are never mapped (the last page too):
 *
 *   page:   0       1        2       3        4           2N-1      2N ..
 *         +-------+--------+-------+--------+-------+   +--------+-------+
 *         | guard | obj #0 | guard | obj #1 | guard |...| obj #N-1| guard |
 *         +-------+--------+-------+--------+-------+   +--------+-------+
 *                  ^^^^^^^^ one object, against the left or the right edge;
 *                           the rest of its page is canary bytes
 *
 * Each object page owns one physical page, taken from the page allocator
 * at kfence_init() and kept for good; it is mapped only while its object
 * is allocated. So every access to a guard page, to a freed object, or to
 * an object never handed out, faults. The page-fault handler asks
 * kfence_handle_page_fault(), which prints a report in Linux's shape and
 * maps the page (a guard page gets a shared scratch page, a freed object
 * its own page again), so that the access goes on and the kernel with it.
 * A guard page opened that way is closed again when either object next to
 * it is next allocated.
 *
 * Sampling: slab_alloc_pop() (the allocation fast path, slab_internal.h)
 * decrements a per-CPU countdown (the port's mm_cpu_countdown_*: in the
 * kernel `subl $1, %gs:48` and a jump, 2 instructions) and takes the slow
 * path when it reaches 0. slab_alloc_slow() calls kfence_alloc(), which
 * counts allocations that reached the slow path by themselves, and when
 * the countdown is due resets it to the interval and serves the request
 * from the pool: one allocation in every kfence.sample_interval on each
 * CPU. The free paths need no test at all: a pool address is no
 * direct-map address, so the slab free fast paths, which only accept
 * those, hand it to their slow paths, where is_kfence_address() sends it
 * here.
 *
 * At free the canary is checked (damage is reported), the page unmapped
 * (the TLB entry of this CPU flushed; another CPU may keep a stale entry
 * for a short while, as in Linux), and the object queued at the tail of a
 * FIFO of free objects: the object freed longest ago is reused first, so
 * a use after free stays detectable for as long as possible.
 *
 * Locking: kfence_lock, taken with interrupts off, protects every object's
 * state, the FIFO, the guard bitmap and the statistics. The fault handler
 * takes it too (faults may come on any CPU); nothing under the lock
 * touches a pool page that could fault. Lock order: kfence_lock -> the
 * port's page-table lock (mm_map_kernel_page).
 */
#include "mm/kfence.h"
#include "mm/slab.h"
#include "mm/slab_internal.h"
#include "kmm/string.h"

#ifndef MM_HAVE_CPU_COUNTDOWN
#ifndef KMM_PERCPU_GS_COUNTDOWN
struct mm_cpu_countdown mm_cpu_countdowns[MM_NR_CPUS]; /* the port's default */
#endif
#endif

static unsigned int sample_interval = KFENCE_DEFAULT_SAMPLE_INTERVAL;

/*
 * The countdown also carries failslab= (mm/fault_inject.c): while failslab
 * may inject, kfence_countdown_limit is 0, so that every slow path comes
 * to __kfence_alloc(), which leaves the countdown at 1, so that every
 * allocation takes the slow path, where should_failslab() decides. The
 * fast path keeps one decrement and branch for both. KFENCE's own count
 * then goes on in kfence_forced_left[] (the allocations left until the
 * one to sample, 0: not forced), so the sampling rate does not change.
 * With KFENCE off the countdown still restarts every KFENCE_IDLE_PERIOD
 * allocations, so that another CPU notices failslab= within that many of
 * its allocations (the CPU that starts it notices at once).
 */
#define KFENCE_IDLE_PERIOD 65536U

unsigned int kfence_countdown_limit = KFENCE_IDLE_PERIOD;
static unsigned int kfence_forced_left[MM_NR_CPUS];

/* Where a CPU's countdown restarts. */
static unsigned int kfence_period(bool ready)
{
	return ready && sample_interval ? sample_interval : KFENCE_IDLE_PERIOD;
}

static void kfence_set_limit(bool ready)
{
	WRITE_ONCE(kfence_countdown_limit,
		   READ_ONCE(failslab_active) ? 0 : kfence_period(ready));
}

/*
 * This CPU's countdown sent its allocation here (kfence_alloc()): is it the
 * one to sample? Restarts the countdown: at 1 while failslab is active.
 * Interrupts off.
 */
static bool kfence_count(bool ready)
{
	unsigned int cpu = mm_cpu_id(), period = kfence_period(ready);
	unsigned int left = kfence_forced_left[cpu], v;
	bool due;

	/* Allocations left after this one; 0 or wrapped (above any period): due. */
	v = left ? left - 1 : mm_cpu_countdown_read();
	due = !v || v > period;
	if (READ_ONCE(failslab_active)) {
		kfence_forced_left[cpu] = due ? period : v;
		mm_cpu_countdown_write(1);
	} else {
		kfence_forced_left[cpu] = 0;
		mm_cpu_countdown_write(due ? period : v);
	}
	return due;
}

/* failslab= started or stopped injecting (fault_inject.c); interrupts off. */
static void kfence_failslab_changed_ready(bool ready)
{
	unsigned int cpu = mm_cpu_id(), period = kfence_period(ready), v;

	kfence_set_limit(ready);
	if (!READ_ONCE(failslab_active))
		return;
	if (!kfence_forced_left[cpu]) {
		v = mm_cpu_countdown_read();
		kfence_forced_left[cpu] = v && v <= period ? v : period;
	}
	/*
	 * Also after an injection, which fails the allocation before
	 * kfence_alloc() restarts the countdown: left at the 0 the fast path
	 * took it to, the next decrement would wrap, and this CPU's
	 * allocations would stop coming to should_failslab().
	 */
	mm_cpu_countdown_write(1);
}

int kfence_sample_interval_setup(const char *arg)
{
	unsigned long v = 0;
	const char *p = arg;

	if (!p || !*p)
		return -EINVAL;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > 0x7fffffffUL)
			return -EINVAL;
	}
	sample_interval = (unsigned int)v;
	return 0;
}

unsigned int kfence_sample_interval(void)
{
	return sample_interval;
}

#ifdef MM_KFENCE_POOL_START

#define KFENCE_POOL_PAGES   (MM_KFENCE_POOL_SIZE / PAGE_SIZE)
#define KFENCE_NUM_OBJECTS  (KFENCE_POOL_PAGES / 2 - 1)
#define KFENCE_STACK_DEPTH  16
#define KFENCE_CANARY(a)    ((u8)(0xaa ^ ((unsigned long)(a) & 7)))
/* The canary of 8 aligned bytes: 0xaa ^ 0, 0xaa ^ 1, ... in memory order. */
#define KFENCE_CANARY_WORD  0xadacafaea9a8abaaULL
#define KFENCE_RULE "=================================================================="

_Static_assert(MM_KFENCE_POOL_SIZE % (2 * PAGE_SIZE) == 0 && KFENCE_NUM_OBJECTS >= 1,
	       "the KFENCE pool is pairs of pages, at least one object");
_Static_assert(KFENCE_NUM_OBJECTS < 65536, "FIFO entries are u16");

enum kfence_state { KFENCE_UNUSED, KFENCE_ALLOCATED, KFENCE_FREED };

struct kfence_track {
	unsigned long stack[KFENCE_STACK_DEPTH];
	unsigned int nr;
	unsigned int cpu;
};

struct kfence_meta {
	enum kfence_state state;
	bool mapped;              /* its page is mapped */
	unsigned long addr;       /* the object, while allocated (and after) */
	size_t size;
	const struct kmem_cache *cache; /* NULL once the cache is destroyed */
	char cache_name[SLAB_NAME_LEN];
	phys_addr_t pa;           /* the object page's physical page */
	struct kfence_track alloc, free;
};

enum kfence_error {
	KFENCE_ERROR_OOB,
	KFENCE_ERROR_UAF,
	KFENCE_ERROR_CORRUPTION,
	KFENCE_ERROR_INVALID,
	KFENCE_ERROR_INVALID_FREE,
};

bool kfence_pool_ready;
static mm_spinlock_t kfence_lock = MM_SPINLOCK_INIT;
static struct kfence_meta kfence_meta[KFENCE_NUM_OBJECTS];
static u16 fifo[KFENCE_NUM_OBJECTS];
static unsigned int fifo_head, fifo_count;
static u64 guard_open[(KFENCE_POOL_PAGES + 63) / 64];
static phys_addr_t scratch_pa;   /* what an opened guard page shows */
static struct kfence_stats stats;
static u8 forced_place[MM_NR_CPUS]; /* enum kfence_placement + 1, or 0 */

static inline unsigned long pool_start(void)
{
	return (unsigned long)MM_KFENCE_POOL_START;
}

static inline unsigned long obj_page(unsigned int i)
{
	return pool_start() + (2UL * i + 1) * PAGE_SIZE;
}

/* The object whose page holds @addr, or NULL (a guard page). */
static struct kfence_meta *meta_of_page(unsigned long addr)
{
	unsigned long page = (addr - pool_start()) >> PAGE_SHIFT;

	if (!(page & 1) || page / 2 >= KFENCE_NUM_OBJECTS)
		return NULL;
	return &kfence_meta[page / 2];
}

static inline unsigned int meta_index(const struct kfence_meta *m)
{
	return (unsigned int)(m - kfence_meta);
}

bool kfence_enabled(void)
{
	return kfence_pool_ready;
}

int kfence_object_index(const void *addr)
{
	struct kfence_meta *m;

	if (!is_kfence_address(addr))
		return -1;
	m = meta_of_page((unsigned long)addr);
	return m ? (int)meta_index(m) : -1;
}

/* ---- call chains ---------------------------------------------------------- */

/*
 * Record the call chain from frame @bp, starting at @caller: the frames of
 * the allocator itself, below the caller, are dropped, as Linux does.
 */
static void save_track(struct kfence_track *t, unsigned long bp, unsigned long caller)
{
	unsigned long raw[KFENCE_STACK_DEPTH + 8];
	unsigned int n = mm_stack_trace(bp, raw, ARRAY_SIZE(raw)), i, from = n;

	for (i = 0; i < n; i++)
		if (raw[i] == caller) {
			from = i;
			break;
		}
	t->nr = 0;
	if (from == n)
		t->stack[t->nr++] = caller;
	for (i = from; i < n && t->nr < KFENCE_STACK_DEPTH; i++)
		t->stack[t->nr++] = raw[i];
	t->cpu = (unsigned int)mm_cpu_id();
}

static void print_stack(const unsigned long *stack, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		printk(KERN_ERR " %pS\n", (void *)stack[i]);
}

/* ---- canary ---------------------------------------------------------------- */

/*
 * The canary is written and checked a word at a time, four words per
 * round where a run allows: a sampled object costs about a page of each,
 * and that cost, divided by the sample interval, is what sampling adds to
 * every allocation (docs/bench-kernel.md).
 */
static void canary_fill(unsigned long from, unsigned long to)
{
	const u64 c = KFENCE_CANARY_WORD;

	for (; from < to && (from & 7); from++)
		*(u8 *)from = KFENCE_CANARY(from);
	for (; from + 32 <= to; from += 32) {
		((u64 *)from)[0] = c;
		((u64 *)from)[1] = c;
		((u64 *)from)[2] = c;
		((u64 *)from)[3] = c;
	}
	for (; from + 8 <= to; from += 8)
		*(u64 *)from = c;
	for (; from < to; from++)
		*(u8 *)from = KFENCE_CANARY(from);
}

/* The first byte of [from, to) that is not canary, or 0. */
static unsigned long canary_check(unsigned long from, unsigned long to)
{
	const u64 c = KFENCE_CANARY_WORD;

	for (; from < to && (from & 7); from++)
		if (*(u8 *)from != KFENCE_CANARY(from))
			return from;
	for (; from + 32 <= to; from += 32) {
		const u64 *w = (const u64 *)from;

		if (((w[0] ^ c) | (w[1] ^ c) | (w[2] ^ c) | (w[3] ^ c)) != 0)
			break;
	}
	for (; from < to; from++)
		if (*(u8 *)from != KFENCE_CANARY(from))
			return from;
	return 0;
}

/* ---- reports --------------------------------------------------------------- */

static const char *access_name(bool is_write)
{
	return is_write ? "write" : "read";
}

/*
 * Linux's "[ 0xac . . . ]": up to 16 bytes from @addr to the end of its
 * canary run, the damaged ones in hex, the intact ones as dots.
 */
static void print_corrupted_bytes(const struct kfence_meta *m, unsigned long addr)
{
	unsigned long end = addr < m->addr ? m->addr : (addr | (PAGE_SIZE - 1)) + 1;
	char buf[16 * 5 + 4];
	unsigned int len = 0;

	if (end > addr + 16)
		end = addr + 16;
	len += (unsigned int)snprintf(buf + len, sizeof(buf) - len, "[");
	for (; addr < end; addr++) {
		u8 b = *(const u8 *)addr;

		if (b != KFENCE_CANARY(addr))
			len += (unsigned int)snprintf(buf + len, sizeof(buf) - len, " 0x%02x", b);
		else
			len += (unsigned int)snprintf(buf + len, sizeof(buf) - len, " .");
	}
	snprintf(buf + len, sizeof(buf) - len, " ]");
	printk(KERN_CONT "%s", buf);
}

static void print_object(const struct kfence_meta *m)
{
	const char *cache = m->cache ? m->cache_name : "(destroyed)";

	printk(KERN_ERR "kfence-#%u: 0x%lx-0x%lx, size=%zu, cache=%s\n\n",
	       meta_index(m), m->addr, m->addr + m->size - 1, m->size, cache);
	printk(KERN_ERR "allocated by task 0 on cpu %u:\n", m->alloc.cpu);
	print_stack(m->alloc.stack, m->alloc.nr);
	if (m->state == KFENCE_FREED) {
		printk(KERN_ERR "\nfreed by task 0 on cpu %u:\n", m->free.cpu);
		print_stack(m->free.stack, m->free.nr);
	}
}

/*
 * One report, Linux's layout: title naming the function, the access and
 * its call chain, the object with its allocation (and free) call chains.
 * kfence_lock held.
 */
static void kfence_report_locked(enum kfence_error err, const struct kfence_meta *m,
			  unsigned long addr, bool is_write,
			  const unsigned long *stack, unsigned int nr)
{
	unsigned int idx = m ? meta_index(m) : 0;
	void *where = nr ? (void *)stack[0] : NULL;

	DEBUG_ASSERT(mm_spin_is_locked(&kfence_lock));
	stats.bugs++;
	printk(KERN_ERR KFENCE_RULE "\n");
	switch (err) {
	case KFENCE_ERROR_OOB:
		printk(KERN_ERR "BUG: KFENCE: out-of-bounds %s in %pS\n\n",
		       access_name(is_write), where);
		if (addr < m->addr)
			printk(KERN_ERR "Out-of-bounds %s at 0x%lx (%luB left of kfence-#%u):\n",
			       access_name(is_write), addr, m->addr - addr, idx);
		else
			printk(KERN_ERR "Out-of-bounds %s at 0x%lx (%luB right of kfence-#%u):\n",
			       access_name(is_write), addr, addr - m->addr, idx);
		break;
	case KFENCE_ERROR_UAF:
		printk(KERN_ERR "BUG: KFENCE: use-after-free %s in %pS\n\n",
		       access_name(is_write), where);
		printk(KERN_ERR "Use-after-free %s at 0x%lx (in kfence-#%u):\n",
		       access_name(is_write), addr, idx);
		break;
	case KFENCE_ERROR_CORRUPTION:
		printk(KERN_ERR "BUG: KFENCE: memory corruption in %pS\n\n", where);
		printk(KERN_ERR "Corrupted memory at 0x%lx ", addr);
		print_corrupted_bytes(m, addr);
		printk(KERN_CONT " (in kfence-#%u):\n", idx);
		break;
	case KFENCE_ERROR_INVALID:
		printk(KERN_ERR "BUG: KFENCE: invalid %s in %pS\n\n",
		       access_name(is_write), where);
		printk(KERN_ERR "Invalid %s at 0x%lx:\n", access_name(is_write), addr);
		break;
	case KFENCE_ERROR_INVALID_FREE:
		printk(KERN_ERR "BUG: KFENCE: invalid free in %pS\n\n", where);
		if (m)
			printk(KERN_ERR "Invalid free of 0x%lx (in kfence-#%u):\n", addr, idx);
		else
			printk(KERN_ERR "Invalid free of 0x%lx:\n", addr);
		break;
	}
	print_stack(stack, nr);
	if (m && m->state != KFENCE_UNUSED) {
		printk(KERN_ERR "\n");
		print_object(m);
	}
	printk(KERN_ERR "\nCPU: %u PID: 0\n", (unsigned int)mm_cpu_id());
	printk(KERN_ERR KFENCE_RULE "\n");
}

/* ---- mapping ------------------------------------------------------------------ */

static bool guard_is_open(unsigned long page)
{
	return guard_open[page / 64] & (1ULL << (page % 64));
}

/* Unmap guard page @page again if a fault opened it. kfence_lock held. */
static void guard_close_locked(unsigned long page)
{
	unsigned long va = pool_start() + page * PAGE_SIZE;

	DEBUG_ASSERT(mm_spin_is_locked(&kfence_lock));
	if (page >= KFENCE_POOL_PAGES || !guard_is_open(page))
		return;
	mm_unmap_kernel_page(va);
	mm_flush_tlb_kernel_range(va, va + PAGE_SIZE);
	guard_open[page / 64] &= ~(1ULL << (page % 64));
}

static void object_unmap_locked(struct kfence_meta *m)
{
	unsigned long va = obj_page(meta_index(m));

	DEBUG_ASSERT(mm_spin_is_locked(&kfence_lock));
	if (!m->mapped)
		return;
	mm_unmap_kernel_page(va);
	mm_flush_tlb_kernel_range(va, va + PAGE_SIZE);
	m->mapped = false;
}

static int object_map_locked(struct kfence_meta *m)
{
	int err;

	DEBUG_ASSERT(mm_spin_is_locked(&kfence_lock));
	if (m->mapped)
		return 0;
	err = mm_map_kernel_page(obj_page(meta_index(m)), m->pa,
				 MM_PROT_READ | MM_PROT_WRITE);
	if (!err)
		m->mapped = true;
	return err;
}

/* ---- setup ------------------------------------------------------------------- */

/*
 * Set up the pool: a physical page per object and a scratch page, all
 * objects unmapped and free. Idempotent on a fresh machine (host tests
 * build many). On failure KFENCE stays off and says so.
 */
void kfence_init(void)
{
	unsigned long flags, p;
	unsigned int i;
	int err;

	kfence_pool_ready = false;
	kfence_set_limit(false);
	if (!MM_KFENCE_POOL_START) {
		pr_info("kfence: the layout has no pool region (kmm_layout.kfence_pool_start); KFENCE is off\n");
		return;
	}
	flags = mm_irq_save();
	mm_spin_lock(&kfence_lock);
	/* A machine built again (host tests): what the last pool mapped goes. */
	for (i = 0; i < KFENCE_NUM_OBJECTS; i++)
		object_unmap_locked(&kfence_meta[i]);
	for (p = 0; p < KFENCE_POOL_PAGES; p++)
		guard_close_locked(p);
	memset(kfence_meta, 0, sizeof(kfence_meta));
	memset(&stats, 0, sizeof(stats));
	memset(forced_place, 0, sizeof(forced_place));
	fifo_head = fifo_count = 0;
	mm_spin_unlock(&kfence_lock);
	mm_irq_restore(flags);
	if (!sample_interval) {
		pr_info("kfence: disabled (kfence.sample_interval=0)\n");
		return;
	}
	p = __get_free_page(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN);
	if (!p)
		goto err_nomem;
	scratch_pa = __pa((void *)p);
	for (i = 0; i < KFENCE_NUM_OBJECTS; i++) {
		p = __get_free_page(GFP_KERNEL | __GFP_NOWARN);
		if (!p)
			goto err_free_pages;
		kfence_meta[i].pa = __pa((void *)p);
		fifo[i] = (u16)i;
	}
	flags = mm_irq_save();
	mm_spin_lock(&kfence_lock);
	/* Build the page tables over the pool now, not in a fault handler. */
	err = object_map_locked(&kfence_meta[0]);
	if (!err) {
		object_unmap_locked(&kfence_meta[0]);
		fifo_count = KFENCE_NUM_OBJECTS;
		stats.enabled = true;
	}
	mm_spin_unlock(&kfence_lock);
	mm_irq_restore(flags);
	if (err)
		goto err_free_pages;
	/* Other CPUs' countdowns start at 0: their first slow path sets them. */
	flags = mm_irq_save();
	memset(kfence_forced_left, 0, sizeof(kfence_forced_left));
	mm_cpu_countdown_write(sample_interval);
	kfence_pool_ready = true;
	kfence_set_limit(true);
	kfence_failslab_changed_ready(true);
	mm_irq_restore(flags);
	pr_info("kfence: initialized - using %lu bytes for %u objects at 0x%lx-0x%lx, "
		"sampling 1 in %u allocations per CPU\n",
		(unsigned long)MM_KFENCE_POOL_SIZE, (unsigned int)KFENCE_NUM_OBJECTS,
		pool_start(), pool_start() + MM_KFENCE_POOL_SIZE, sample_interval);
	return;

err_free_pages:
	for (i = 0; i < KFENCE_NUM_OBJECTS && kfence_meta[i].pa; i++)
		free_page((unsigned long)__va(kfence_meta[i].pa));
	memset(kfence_meta, 0, sizeof(kfence_meta));
	free_page((unsigned long)__va(scratch_pa));
err_nomem:
	pr_err("kfence: no memory for the pool; KFENCE is off\n");
}

/* ---- allocation -------------------------------------------------------------- */

static bool cache_compatible(const struct kmem_cache *s)
{
	return s->object_size <= PAGE_SIZE && s->align <= PAGE_SIZE &&
	       !(s->flags & (SLAB_NO_MAGAZINE | SLAB_SKIP_KFENCE | SLAB_DEAD |
			     SLAB_STATIC | SLAB_KEEP_FREED));
}

/*
 * The countdown ran out (see kfence_alloc() in kfence.h): start it again
 * and serve this allocation from the pool if @s allows and there is room.
 */
void *__kfence_alloc(struct kmem_cache *s, gfp_t gfp, unsigned long caller)
{
	struct kfence_track track;
	struct kfence_meta *m;
	unsigned long flags, page, addr, align;
	unsigned int i, place;
	size_t size = s->object_size;

	flags = mm_irq_save();
	if (!kfence_count(kfence_pool_ready) && !forced_place[mm_cpu_id()]) {
		mm_irq_restore(flags);
		return NULL;
	}
	if (!kfence_pool_ready) {
		mm_irq_restore(flags);
		return NULL;
	}
	place = forced_place[mm_cpu_id()];
	forced_place[mm_cpu_id()] = 0;
	mm_irq_restore(flags);
	if (!cache_compatible(s)) {
		flags = mm_irq_save();
		mm_spin_lock(&kfence_lock);
		stats.skipped_incompatible++;
		mm_spin_unlock(&kfence_lock);
		mm_irq_restore(flags);
		return NULL;
	}
	if (!place || place - 1 == KFENCE_PLACE_RANDOM)
		place = 1 + ((mm_random_u64() & 1) ? KFENCE_PLACE_LEFT : KFENCE_PLACE_RIGHT);
	save_track(&track, (unsigned long)__builtin_frame_address(0), caller);

	flags = mm_irq_save();
	mm_spin_lock(&kfence_lock);
	if (!fifo_count) {
		stats.skipped_capacity++;
		mm_spin_unlock(&kfence_lock);
		mm_irq_restore(flags);
		return NULL;
	}
	i = fifo[fifo_head];
	fifo_head = (fifo_head + 1) % KFENCE_NUM_OBJECTS;
	fifo_count--;
	m = &kfence_meta[i];
	if (object_map_locked(m)) {
		/* Cannot happen (the tables exist): put it back, do not sample. */
		fifo[(fifo_head + fifo_count) % KFENCE_NUM_OBJECTS] = (u16)i;
		fifo_count++;
		mm_spin_unlock(&kfence_lock);
		mm_irq_restore(flags);
		return NULL;
	}
	page = obj_page(i);
	guard_close_locked((page - pool_start()) / PAGE_SIZE - 1);
	guard_close_locked((page - pool_start()) / PAGE_SIZE + 1);
	align = s->align > sizeof(void *) ? s->align : sizeof(void *);
	if (place - 1 == KFENCE_PLACE_LEFT)
		addr = page;
	else
		addr = (page + PAGE_SIZE - size) & ~(align - 1);
	m->addr = addr;
	m->size = size;
	m->cache = s;
	strlcpy(m->cache_name, s->name, sizeof(m->cache_name));
	m->alloc = track;
	m->free.nr = 0;
	m->state = KFENCE_ALLOCATED;
	stats.allocated++;
	stats.total_allocs++;
	canary_fill(page, addr);
	canary_fill(addr + size, page + PAGE_SIZE);
	mm_spin_unlock(&kfence_lock);
	mm_irq_restore(flags);

	if (s->ctor)
		s->ctor((void *)addr);
	if (gfp & __GFP_ZERO)
		memset((void *)addr, 0, size);
	return (void *)addr;
}

void kfence_failslab_changed(void)
{
	kfence_failslab_changed_ready(kfence_pool_ready);
}

bool kfence_sample_next(enum kfence_placement where)
{
	unsigned long flags;

	if (!kfence_pool_ready)
		return false;
	flags = mm_irq_save();
	forced_place[mm_cpu_id()] = (u8)(where + 1);
	mm_cpu_countdown_write(1);
	mm_irq_restore(flags);
	return true;
}

/* ---- free -------------------------------------------------------------------- */

void kfence_free(struct kmem_cache *s, const void *ptr, unsigned long caller)
{
	unsigned long addr = (unsigned long)ptr, flags, page, bad;
	struct kfence_track track;
	struct kfence_meta *m;

	save_track(&track, (unsigned long)__builtin_frame_address(0), caller);
	flags = mm_irq_save();
	mm_spin_lock(&kfence_lock);
	m = meta_of_page(addr);
	if (!m || m->state != KFENCE_ALLOCATED || addr != m->addr ||
	    (s && m->cache != s)) {
		/* Interior pointer, double free, guard page, wrong cache. */
		kfence_report_locked(KFENCE_ERROR_INVALID_FREE,
			      m && m->state != KFENCE_UNUSED ? m : NULL, addr, false,
			      track.stack, track.nr);
		goto out;
	}
	page = obj_page(meta_index(m));
	bad = canary_check(page, m->addr);
	if (!bad)
		bad = canary_check(m->addr + m->size, page + PAGE_SIZE);
	if (bad)
		kfence_report_locked(KFENCE_ERROR_CORRUPTION, m, bad, false, track.stack,
			      track.nr);
	m->free = track;
	m->state = KFENCE_FREED;
	object_unmap_locked(m);
	fifo[(fifo_head + fifo_count) % KFENCE_NUM_OBJECTS] = (u16)meta_index(m);
	fifo_count++;
	stats.allocated--;
	stats.total_frees++;
out:
	mm_spin_unlock(&kfence_lock);
	mm_irq_restore(flags);
}

size_t kfence_ksize(const void *ptr, unsigned long caller)
{
	struct kfence_meta *m = meta_of_page((unsigned long)ptr);
	size_t size = 0;
	unsigned long flags = mm_irq_save();

	mm_spin_lock(&kfence_lock);
	if (m && m->state == KFENCE_ALLOCATED && m->addr == (unsigned long)ptr)
		size = m->size;
	mm_spin_unlock(&kfence_lock);
	mm_irq_restore(flags);
	if (!size)
		pr_err("kfence: ksize(0x%lx): not a live KFENCE object, caller %pS\n",
		       (unsigned long)ptr, (void *)caller);
	return size;
}

void kfence_shutdown_cache(struct kmem_cache *s)
{
	unsigned long flags;
	unsigned int i;

	if (!kfence_pool_ready)
		return;
	flags = mm_irq_save();
	mm_spin_lock(&kfence_lock);
	for (i = 0; i < KFENCE_NUM_OBJECTS; i++) {
		struct kfence_meta *m = &kfence_meta[i];

		if (m->cache != s)
			continue;
		if (m->state == KFENCE_ALLOCATED)
			pr_err("kfence: kfence-#%u of cache %s still allocated at kmem_cache_destroy, allocated by %pS\n",
			       i, s->name, m->alloc.nr ? (void *)m->alloc.stack[0] : NULL);
		m->cache = NULL;
	}
	mm_spin_unlock(&kfence_lock);
	mm_irq_restore(flags);
}

/* ---- faults ------------------------------------------------------------------ */

bool kfence_handle_page_fault(unsigned long addr, bool is_write,
			      unsigned long ip, unsigned long bp)
{
	unsigned long stack[KFENCE_STACK_DEPTH], flags, page, va;
	struct kfence_meta *m, *left, *right;
	unsigned int nr;

	if (!is_kfence_address((void *)addr))
		return false;
	stack[0] = ip;
	nr = 1 + mm_stack_trace(bp, stack + 1, KFENCE_STACK_DEPTH - 1);
	page = (addr - pool_start()) >> PAGE_SHIFT;
	va = pool_start() + page * PAGE_SIZE;

	flags = mm_irq_save();
	mm_spin_lock(&kfence_lock);
	m = meta_of_page(addr);
	if (m) {
		/* Another CPU mapped it meanwhile: just retry. */
		if (m->mapped)
			goto out;
		kfence_report_locked(m->state == KFENCE_FREED ? KFENCE_ERROR_UAF :
			      KFENCE_ERROR_INVALID, m, addr, is_write, stack, nr);
		object_map_locked(m);
		goto out;
	}
	if (guard_is_open(page))
		goto out;
	/* A guard page: blame the nearer live object on either side. */
	left = page ? meta_of_page(va - PAGE_SIZE) : NULL;
	right = page + 1 < KFENCE_POOL_PAGES ? meta_of_page(va + PAGE_SIZE) : NULL;
	if (left && left->state != KFENCE_ALLOCATED)
		left = NULL;
	if (right && right->state != KFENCE_ALLOCATED)
		right = NULL;
	if (left && right)
		m = addr - (left->addr + left->size) <= right->addr - addr ? left : right;
	else
		m = left ? left : right;
	kfence_report_locked(m ? KFENCE_ERROR_OOB : KFENCE_ERROR_INVALID, m, addr,
		      is_write, stack, nr);
	if (!mm_map_kernel_page(va, scratch_pa, MM_PROT_READ | MM_PROT_WRITE))
		guard_open[page / 64] |= 1ULL << (page % 64);
out:
	mm_spin_unlock(&kfence_lock);
	mm_irq_restore(flags);
	return true;
}

/* ---- statistics -------------------------------------------------------------- */

void kfence_get_stats(struct kfence_stats *st)
{
	unsigned long flags = mm_irq_save();

	mm_spin_lock(&kfence_lock);
	*st = stats;
	st->enabled = kfence_pool_ready;
	mm_spin_unlock(&kfence_lock);
	mm_irq_restore(flags);
}

void kfence_show_stats(void)
{
	struct kfence_stats st;

	kfence_get_stats(&st);
	printk("enabled: %d\n", st.enabled ? 1 : 0);
	printk("currently allocated: %lu\n", st.allocated);
	printk("total allocations: %lu\n", st.total_allocs);
	printk("total frees: %lu\n", st.total_frees);
	printk("total bugs: %lu\n", st.bugs);
	printk("skipped allocations (incompatible): %lu\n", st.skipped_incompatible);
	printk("skipped allocations (capacity): %lu\n", st.skipped_capacity);
}

#else /* !MM_KFENCE_POOL_START: a port without a pool region never samples */

void kfence_init(void)
{
	pr_info("kfence: this port has no pool region; KFENCE is off\n");
}

bool kfence_enabled(void)
{
	return false;
}

void *__kfence_alloc(struct kmem_cache *s, gfp_t gfp, unsigned long caller)
{
	unsigned long flags = mm_irq_save();

	kfence_count(false);
	mm_irq_restore(flags);
	return NULL;
}

void kfence_failslab_changed(void)
{
	kfence_failslab_changed_ready(false);
}

void kfence_free(struct kmem_cache *s, const void *addr, unsigned long caller)
{
}

size_t kfence_ksize(const void *addr, unsigned long caller)
{
	return 0;
}

void kfence_shutdown_cache(struct kmem_cache *s)
{
}

bool kfence_handle_page_fault(unsigned long addr, bool is_write,
			      unsigned long ip, unsigned long bp)
{
	return false;
}

void kfence_get_stats(struct kfence_stats *st)
{
	memset(st, 0, sizeof(*st));
}

void kfence_show_stats(void)
{
	printk("enabled: 0\n");
}

bool kfence_sample_next(enum kfence_placement where)
{
	return false;
}

int kfence_object_index(const void *addr)
{
	return -1;
}

#endif /* MM_KFENCE_POOL_START */

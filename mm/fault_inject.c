// SPDX-License-Identifier: MIT
/*
 * Fault injection: failslab= and fail_page_alloc= (see fault_inject.h for
 * the options and what they mean).
 *
 * Theory of operation
 * -------------------
 * Each capability is a struct fault_attr: its setting (interval,
 * probability, space, times), its counters and a private random state,
 * under its own lock. A call to should_fail_ex() decides, in Linux's order:
 *
 *   times == 0                 -> go through (nothing left to inject)
 *   space > size               -> space -= size, go through
 *   interval > 1: ++count % interval != 0 -> go through
 *   random % 100 >= probability -> go through
 *   otherwise fail: injected++, times-- unless it is -1, report unless
 *   FAULT_NOWARN
 *
 * The fast paths of the slab and the page allocator never ask: the page
 * allocator's tests a flag (fail_page_alloc_active), the slab's finds
 * KFENCE's countdown held at 1 while failslab_active is set (mm/kfence.c),
 * and each leaves for its slow path then; the slow path calls should_failslab() or
 * should_fail_alloc_page() before it does anything else, so a failed call
 * changes no allocator state at all. The flag is set only while the
 * capability can inject: started (fault_inject_start()), probability > 0,
 * times not used up. When times reaches 0 the flag drops and the fast paths
 * come back.
 *
 * Locking: attr->lock, with interrupts off, is a leaf: taken with a slab
 * cache lock or none held, never with a zone lock, and nothing is called
 * under it. Context: any.
 */
#include "mm/fault_inject.h"
#include "mm/slab_internal.h"
#include "mm/kfence.h"
#include "kmm/string.h"

bool failslab_active, fail_page_alloc_active;
unsigned int fail_page_alloc_min_order;
static bool fault_inject_running;

struct fault_attr failslab_attr = {
	.name = "failslab",
	.active = &failslab_active,
	.lock = MM_SPINLOCK_INIT,
};

struct fault_attr fail_page_alloc_attr = {
	.name = "fail_page_alloc",
	.active = &fail_page_alloc_active,
	.lock = MM_SPINLOCK_INIT,
};

static struct fault_attr *const fault_attrs[] = {
	&failslab_attr, &fail_page_alloc_attr,
};

/* Recompute the fast paths' flag; lock held. */
static void fault_attr_update_locked(struct fault_attr *attr)
{
	WRITE_ONCE(*attr->active, fault_inject_running && attr->configured &&
		   attr->cfg.probability && attr->cfg.times != 0);
	if (attr == &failslab_attr)
		kfence_failslab_changed(); /* the slab's fast path reads no flag */
}

static u64 fault_random(struct fault_attr *attr)
{
	u64 x = attr->rnd;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	attr->rnd = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static void __cold fault_report(const struct fault_attr *attr,
				const struct fault_config *c, unsigned int nr,
				unsigned long caller)
{
	if (nr > FAULT_REPORTS_MAX)
		return;
	if (nr == FAULT_REPORTS_MAX) {
		pr_warn("FAULT_INJECTION: %s: further reports suppressed\n",
			attr->name);
		return;
	}
	pr_warn("FAULT_INJECTION: forcing a failure.\n");
	pr_warn("name %s, interval %lu, probability %lu, space %ld, times %ld, caller %pS\n",
		attr->name, c->interval, c->probability, c->space, c->times,
		(void *)caller);
}

/* Decide whether this call fails (see the top of the file). */
bool should_fail_ex(struct fault_attr *attr, long size, int flags,
		    unsigned long caller)
{
	struct fault_config *c = &attr->cfg, snap;
	unsigned long irq = mm_irq_save();
	unsigned int nr = 0;
	bool fail = false;

	mm_spin_lock(&attr->lock);
	if (!attr->configured || !c->probability || !c->times)
		goto out;
	if (c->space > size) {
		c->space -= size;
		goto out;
	}
	if (c->interval > 1 && ++attr->count % c->interval)
		goto out;
	if ((fault_random(attr) >> 32) % 100 >= c->probability)
		goto out;
	fail = true;
	attr->injected++;
	if (c->times > 0 && --c->times == 0)
		fault_attr_update_locked(attr);
	if (!(flags & FAULT_NOWARN)) {
		nr = ++attr->reports;
		snap = *c;
	}
out:
	mm_spin_unlock(&attr->lock);
	mm_irq_restore(irq);
	if (nr)
		fault_report(attr, &snap, nr - 1, caller);
	return fail;
}

/* fail_page_alloc: never __GFP_NOFAIL, never below min order; space in pages. */
bool should_fail_alloc_page(gfp_t gfp, unsigned int order, unsigned long caller)
{
	if (gfp & __GFP_NOFAIL || order < fail_page_alloc_min_order)
		return false;
	return should_fail_ex(&fail_page_alloc_attr, 1L << order,
			      gfp & __GFP_NOWARN ? FAULT_NOWARN : 0, caller);
}

/* failslab: never __GFP_NOFAIL, never the cache of caches; space in bytes. */
bool should_failslab(struct kmem_cache *s, gfp_t gfp, unsigned long caller)
{
	if (gfp & __GFP_NOFAIL || s == &kmem_cache_boot)
		return false;
	return should_fail_ex(&failslab_attr, s->object_size,
			      gfp & __GFP_NOWARN ? FAULT_NOWARN : 0, caller);
}

/*
 * One decimal number in [min, max] at *@pp, up to the next ',' or the end;
 * moves *@pp past it. -EINVAL with the reason otherwise.
 */
static int parse_field(const char **pp, const char *what, long long min,
		       unsigned long long max, long long *out, char *why,
		       size_t len)
{
	const char *p = *pp, *start = p;
	unsigned long long v = 0;
	bool neg = false, digits = false, big = false;

	if (*p == '-') {
		neg = true;
		p++;
	}
	for (; *p >= '0' && *p <= '9'; p++) {
		digits = true;
		if (v > (~0ULL - 9) / 10)
			big = true;
		else
			v = v * 10 + (unsigned long long)(*p - '0');
	}
	if (!digits || (*p && *p != ',')) {
		size_t n = strchr(start, ',') ? (size_t)(strchr(start, ',') - start) :
						 strlen(start);

		snprintf(why, len, "%s \"%.*s\" is not a decimal number", what,
			 (int)min(n, (size_t)24), start);
		return -EINVAL;
	}
	if (big || (neg && v > (unsigned long long)-min) || (!neg && v > max)) {
		snprintf(why, len, "%s %s%llu is out of range (%lld .. %llu)", what,
			 neg ? "-" : "", v, min, max);
		return -EINVAL;
	}
	*out = neg ? -(long long)v : (long long)v;
	*pp = p;
	return 0;
}

int fault_config_parse(const char *str, struct fault_config *c, char *why,
		       size_t len)
{
	static const char *const names[4] = {
		"interval", "probability", "space", "times",
	};
	const long long mins[4] = { 0, 0, 0, -1 };
	const unsigned long long maxs[4] = { ~0UL >> 1, 100, ~0UL >> 1, ~0UL >> 1 };
	long long v[4];
	const char *p = str;
	unsigned int i;

	if (!str || !*str) {
		snprintf(why, len, "expects <interval>,<probability>,<space>,<times>");
		return -EINVAL;
	}
	for (i = 0; i < 4; i++) {
		if (i && *p++ != ',') {
			snprintf(why, len, "has %u of the 4 fields <interval>,<probability>,<space>,<times>",
				 i);
			return -EINVAL;
		}
		if (parse_field(&p, names[i], mins[i], maxs[i], &v[i], why, len))
			return -EINVAL;
	}
	if (*p) {
		snprintf(why, len, "has more than the 4 fields <interval>,<probability>,<space>,<times>");
		return -EINVAL;
	}
	c->interval = (unsigned long)v[0];
	c->probability = (unsigned long)v[1];
	c->space = (long)v[2];
	c->times = (long)v[3];
	return 0;
}

int setup_fault_attr(struct fault_attr *attr, const char *str)
{
	struct fault_config c;
	char why[128];

	if (fault_config_parse(str, &c, why, sizeof(why))) {
		pr_warn("FAULT_INJECTION: %s=%s %s; %s stays off\n", attr->name,
			str ? str : "", why, attr->name);
		fault_attr_set(attr, NULL, 0);
		return -EINVAL;
	}
	fault_attr_set(attr, &c, mm_random_u64());
	return 0;
}

int setup_fail_page_alloc_min_order(const char *str)
{
	const char *p = str ? str : "";
	long long order;
	char why[96];
	int err;

	err = parse_field(&p, "order", 0, MAX_PAGE_ORDER, &order, why, sizeof(why));

	if (!err && *p) {
		snprintf(why, sizeof(why), "order \"%s\" is not a decimal number", str);
		err = -EINVAL;
	}
	if (err) {
		pr_warn("FAULT_INJECTION: fail_page_alloc_min_order=%s: %s; it stays %u\n",
			str ? str : "", why, fail_page_alloc_min_order);
		return -EINVAL;
	}
	fail_page_alloc_min_order = (unsigned int)order;
	return 0;
}

void fault_attr_set(struct fault_attr *attr, const struct fault_config *c,
		    u64 seed)
{
	unsigned long irq = mm_irq_save();

	mm_spin_lock(&attr->lock);
	attr->configured = c != NULL;
	if (c)
		attr->cfg = *c;
	else
		memset(&attr->cfg, 0, sizeof(attr->cfg));
	attr->count = 0;
	attr->injected = 0;
	attr->reports = 0;
	attr->rnd = seed | 1; /* xorshift's state must not be 0 */
	fault_attr_update_locked(attr);
	mm_spin_unlock(&attr->lock);
	mm_irq_restore(irq);
}

struct fault_config fault_attr_get(struct fault_attr *attr)
{
	unsigned long irq = mm_irq_save();
	struct fault_config c;

	mm_spin_lock(&attr->lock);
	c = attr->cfg;
	mm_spin_unlock(&attr->lock);
	mm_irq_restore(irq);
	return c;
}

void fault_attr_show(struct fault_attr *attr)
{
	unsigned long irq = mm_irq_save(), injected, count;
	struct fault_config c;
	bool configured;

	mm_spin_lock(&attr->lock);
	c = attr->cfg;
	configured = attr->configured;
	injected = attr->injected;
	count = attr->count;
	mm_spin_unlock(&attr->lock);
	mm_irq_restore(irq);
	if (!configured) {
		pr_info("%s: off\n", attr->name);
		return;
	}
	pr_info("%s: interval %lu, probability %lu, space %ld, times %ld; failures injected %lu, interval count %lu\n",
		attr->name, c.interval, c.probability, c.space, c.times,
		injected, count);
}

static void fault_inject_set_running(bool running)
{
	unsigned int i;

	fault_inject_running = running;
	for (i = 0; i < ARRAY_SIZE(fault_attrs); i++) {
		unsigned long irq = mm_irq_save();

		mm_spin_lock(&fault_attrs[i]->lock);
		fault_attr_update_locked(fault_attrs[i]);
		mm_spin_unlock(&fault_attrs[i]->lock);
		mm_irq_restore(irq);
	}
}

void fault_inject_start(void)
{
	fault_inject_set_running(true);
}

void fault_inject_stop(void)
{
	fault_inject_set_running(false);
}

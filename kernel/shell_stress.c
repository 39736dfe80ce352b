// SPDX-License-Identifier: MIT
/*
 * The shell's stress command: random allocation traffic on every online
 * CPU for a number of seconds, then every checker.
 *
 * Each CPU keeps its own table of live allocations (kmalloc of random
 * sizes, alloc_pages of orders 0..3) and, at random, allocates into an
 * empty slot or frees a full one. Each allocation is filled with a pattern
 * made of its address and the CPU, checked again just before the free: a
 * block handed to two owners, or written by someone else, shows up as a
 * pattern error. Objects never move between CPUs, so the traffic exercises
 * the per-CPU paths and the shared zone and slab locks at once. vmalloc
 * runs on the boot CPU only: vfree flushes only the calling CPU's TLB
 * (arch/x86_64/smp.c), so the APs stay out of the vmalloc area.
 *
 * The APs get the work through smp_call_async(); the boot CPU runs its
 * share, then waits for them. The deadline is a TSC value calibrated
 * against udelay() (the PIT) on the boot CPU before the start.
 */
#include "kernel/shell.h"
#include "kernel/shell_internal.h"
#include "kmm/printk.h"
#include "kmm/string.h"
#include "kmm/errno.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/smp.h"
#include "mm/gfp.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"

#define STRESS_SLOTS       128
#define STRESS_MAX_SECONDS 3600
#define STRESS_MAX_KMALLOC 4096
#define STRESS_MAX_ORDER   3
#define STRESS_VMALLOC_MAX (64UL << 10)

enum { ST_NONE, ST_KMALLOC, ST_PAGES, ST_VMALLOC };

struct stress_slot {
	u8 kind;
	u8 order;
	u32 size;
	void *p;
};

struct stress_cpu {
	unsigned int cpu;
	u64 deadline, rng;
	unsigned long allocs, frees, failures, bad_patterns;
	struct stress_slot slots[STRESS_SLOTS];
} __aligned(64);

static struct stress_cpu stress_cpus[NR_CPUS];

static u64 next_rand(struct stress_cpu *sc)
{
	u64 x = sc->rng;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return sc->rng = x;
}

static u64 stamp(const struct stress_cpu *sc, const void *p)
{
	return (u64)(unsigned long)p * 0x9e3779b97f4a7c15ULL ^ sc->cpu;
}

static void fill(const struct stress_cpu *sc, void *p, size_t size)
{
	u64 v = stamp(sc, p), *w = p;
	size_t i;

	for (i = 0; i < size / 8; i++)
		w[i] = v + i;
}

static bool intact(const struct stress_cpu *sc, const void *p, size_t size)
{
	const u64 *w = p;
	u64 v = stamp(sc, p);
	size_t i;

	for (i = 0; i < size / 8; i++)
		if (w[i] != v + i)
			return false;
	return true;
}

static void slot_free(struct stress_cpu *sc, struct stress_slot *sl)
{
	if (!intact(sc, sl->p, sl->size)) {
		sc->bad_patterns++;
		pr_err("stress: CPU%u: %p (%u bytes) was overwritten while allocated\n",
		       sc->cpu, sl->p, sl->size);
	}
	if (sl->kind == ST_KMALLOC)
		kfree(sl->p);
	else if (sl->kind == ST_PAGES)
		free_pages((unsigned long)sl->p, sl->order);
	else
		vfree(sl->p);
	sl->kind = ST_NONE;
	sc->frees++;
}

static void slot_alloc(struct stress_cpu *sc, struct stress_slot *sl)
{
	u64 r = next_rand(sc);
	unsigned int what = (unsigned int)(r % 16);

	if (what < 11) {
		sl->kind = ST_KMALLOC;
		sl->size = 8 + (u32)((r >> 8) % STRESS_MAX_KMALLOC);
		sl->p = kmalloc(sl->size, GFP_KERNEL | __GFP_NOWARN);
	} else if (what < 15 || sc->cpu != 0) {
		sl->kind = ST_PAGES;
		sl->order = (u8)((r >> 8) % (STRESS_MAX_ORDER + 1));
		sl->size = (u32)(PAGE_SIZE << sl->order);
		sl->p = (void *)__get_free_pages(GFP_KERNEL | __GFP_NOWARN, sl->order);
	} else {
		sl->kind = ST_VMALLOC;
		sl->size = (u32)(PAGE_SIZE + (r >> 8) % STRESS_VMALLOC_MAX);
		sl->p = vmalloc(sl->size);
	}
	if (!sl->p) {
		sl->kind = ST_NONE;
		sc->failures++;
		return;
	}
	fill(sc, sl->p, sl->size);
	sc->allocs++;
}

static void stress_one_cpu(void *arg)
{
	struct stress_cpu *sc = arg;
	unsigned int i;

	while (rdtsc() < sc->deadline) {
		for (i = 0; i < 64; i++) {
			struct stress_slot *sl = &sc->slots[next_rand(sc) % STRESS_SLOTS];

			if (sl->kind == ST_NONE)
				slot_alloc(sc, sl);
			else
				slot_free(sc, sl);
		}
	}
	for (i = 0; i < STRESS_SLOTS; i++)
		if (sc->slots[i].kind != ST_NONE)
			slot_free(sc, &sc->slots[i]);
	drain_local_pages();
}

int shell_cmd_stress(int argc, char **argv)
{
	unsigned long seconds, allocs = 0, frees = 0, failures = 0, bad = 0;
	unsigned int cpu, ncpus = 0;
	u64 t0, per_10ms, deadline;

	if (argc != 2)
		return shell_usage(shell_find(argv[0]));
	if (shell_arg_ulong("stress", "seconds", argv[1], false, &seconds))
		return -EINVAL;
	if (seconds == 0 || seconds > STRESS_MAX_SECONDS) {
		printk(KERN_INFO "stress: seconds must be 1..%u\n", STRESS_MAX_SECONDS);
		return -EINVAL;
	}
	shell_forget_freed();
	t0 = rdtsc();
	udelay(10000);
	per_10ms = rdtsc() - t0;
	deadline = rdtsc() + per_10ms * 100 * seconds;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		struct stress_cpu *sc = &stress_cpus[cpu];

		if (!cpu_online(cpu))
			continue;
		memset(sc, 0, sizeof(*sc));
		sc->cpu = cpu;
		sc->deadline = deadline;
		sc->rng = (rdtsc() ^ (0x2545f4914f6cdd1dULL * (cpu + 1))) | 1;
		ncpus++;
		if (cpu != 0 && smp_call_async(cpu, stress_one_cpu, sc))
			printk(KERN_INFO "stress: CPU%u did not take the work\n", cpu);
	}
	printk(KERN_INFO "stress: %lu s of random traffic on %u CPU%s ...\n",
	       seconds, ncpus, ncpus == 1 ? "" : "s");
	stress_one_cpu(&stress_cpus[0]);
	for (cpu = 1; cpu < NR_CPUS; cpu++)
		if (cpu_online(cpu))
			smp_wait(cpu);
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		struct stress_cpu *sc = &stress_cpus[cpu];

		if (!cpu_online(cpu))
			continue;
		printk(KERN_INFO "stress: CPU%u: %lu allocations, %lu frees, %lu failed, %lu overwritten\n",
		       cpu, sc->allocs, sc->frees, sc->failures, sc->bad_patterns);
		allocs += sc->allocs;
		frees += sc->frees;
		failures += sc->failures;
		bad += sc->bad_patterns;
	}
	printk(KERN_INFO "stress: total %lu allocations, %lu frees, %lu failed, %lu overwritten\n",
	       allocs, frees, failures, bad);
	return shell_find("check")->run(1, (char *[]){ "check", NULL });
}

/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU data: one struct percpu per CPU, reached through the GS segment.
 *
 * Each CPU points IA32_GS_BASE at its own slot of percpu_area[] (smp.c), so
 * %gs:PERCPU_SELF_OFFSET is "this CPU's struct" and %gs:PERCPU_CPU_ID_OFFSET
 * its logical number: one load, no table lookup, no APIC access. The boot
 * CPU sets its GS base in smp_prepare_boot_cpu() before anything reads it;
 * an AP sets its own before it runs any C code that could call into mm/.
 * Nothing in kmm loads a GS selector afterwards (that would zero the base).
 *
 * libkmm is built to read the CPU id and its slot at these offsets
 * (KMM_PERCPU_GS_*, Makefile; arch/x86_64/mm_port.c checks they agree).
 */
#ifndef ARCH_X86_64_PERCPU_H
#define ARCH_X86_64_PERCPU_H

#include "kmm/types.h"
#include "kmm/compiler.h"

/*
 * The most CPUs kmm brings up: the Makefile's KERNEL_MAX_CPUS, which also
 * sizes mm/'s per-CPU state (MM_NR_CPUS; smp.c checks they agree).
 */
#ifndef KMM_MAX_CPUS
#error "KMM_MAX_CPUS comes from the Makefile (KERNEL_MAX_CPUS)"
#endif
#define NR_CPUS KMM_MAX_CPUS

#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101

#define PERCPU_SELF_OFFSET   0
#define PERCPU_CPU_ID_OFFSET 8
#define PERCPU_MM_SLOT_OFFSET 16
#define PERCPU_MM_COUNTDOWN_OFFSET 48

struct percpu {
	struct percpu *self;        /* %gs:0, for this_cpu() */
	u32 cpu_id;                 /* %gs:8, logical number 0 .. NR_CPUS-1 */
	u32 apic_id;                /* local APIC ID, from the MADT (BSP: its own) */
	void *mm_slot;              /* %gs:16, mm/'s (mm_cpu_slot_read/write) */
	unsigned long stack_bottom; /* the kernel stack; the page below is a guard */
	unsigned long stack_top;
	unsigned long df_stack_top; /* IST1 top, for #DF */
	u32 mm_countdown;           /* %gs:48, mm/'s (mm_cpu_countdown_*) */
} __aligned(64);

_Static_assert(offsetof(struct percpu, self) == PERCPU_SELF_OFFSET,
	       "this_cpu() reads %gs:PERCPU_SELF_OFFSET");
_Static_assert(offsetof(struct percpu, cpu_id) == PERCPU_CPU_ID_OFFSET,
	       "smp_processor_id() reads %gs:PERCPU_CPU_ID_OFFSET");
_Static_assert(offsetof(struct percpu, mm_slot) == PERCPU_MM_SLOT_OFFSET,
	       "mm_cpu_slot_read() reads %gs:PERCPU_MM_SLOT_OFFSET");
_Static_assert(offsetof(struct percpu, mm_countdown) == PERCPU_MM_COUNTDOWN_OFFSET,
	       "mm_cpu_countdown_dec() decrements %gs:PERCPU_MM_COUNTDOWN_OFFSET");

extern struct percpu percpu_area[NR_CPUS];

/* This CPU's struct percpu. */
static inline struct percpu *this_cpu(void)
{
	struct percpu *p;

	__asm__("movq %%gs:%c1, %0" : "=r"(p) : "i"(PERCPU_SELF_OFFSET));
	return p;
}

/* This CPU's logical number. Constant for the life of the CPU: no migration. */
static inline unsigned int smp_processor_id(void)
{
	unsigned int id;

	__asm__("movl %%gs:%c1, %0" : "=r"(id) : "i"(PERCPU_CPU_ID_OFFSET));
	return id;
}

#endif /* ARCH_X86_64_PERCPU_H */

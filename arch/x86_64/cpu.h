/* SPDX-License-Identifier: MIT */
/* x86_64 CPU access: port I/O, control registers, MSRs, CPUID, interrupts. */
#ifndef ARCH_X86_64_CPU_H
#define ARCH_X86_64_CPU_H

#include "kmm/types.h"
#include "kmm/compiler.h"

#define X86_CR0_WP   BIT(16)
#define X86_CR0_PG   BIT(31)
#define X86_CR4_PAE  BIT(5)
#define X86_CR4_PGE  BIT(7)
#define X86_CR4_SMEP BIT(20)
#define X86_CR4_SMAP BIT(21)
#define X86_CR4_LA57 BIT(12)
#define X86_EFLAGS_IF BIT(9)
#define X86_EFLAGS_AC BIT(18)

#define MSR_EFER     0xc0000080
#define EFER_NXE     BIT(11)

static inline void outb(u16 port, u8 v)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(u16 port, u32 v)
{
	__asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline void cpuid_count(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			     : "a"(leaf), "c"(sub));
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ __volatile__("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}

#define DEFINE_CR(n)                                                         \
	static inline unsigned long read_cr##n(void)                         \
	{                                                                    \
		unsigned long v;                                             \
		__asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v));        \
		return v;                                                    \
	}                                                                    \
	static inline void write_cr##n(unsigned long v)                      \
	{                                                                    \
		__asm__ __volatile__("mov %0, %%cr" #n : : "r"(v) : "memory"); \
	}
DEFINE_CR(0)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline unsigned long read_cr2(void)
{
	unsigned long v;

	__asm__ __volatile__("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline unsigned long read_flags(void)
{
	unsigned long f;

	__asm__ __volatile__("pushfq; popq %0" : "=r"(f) : : "memory");
	return f;
}

static inline void local_irq_disable(void)
{
	__asm__ __volatile__("cli" : : : "memory");
}

static inline void local_irq_enable(void)
{
	__asm__ __volatile__("sti" : : : "memory");
}

static inline unsigned long local_irq_save(void)
{
	unsigned long f = read_flags();

	local_irq_disable();
	return f;
}

/*
 * Enable interrupts again if @f, from local_irq_save(), had them on. In asm
 * so that the test reads the saved word where it is: the C version let GCC
 * copy and mask it early, two instructions more on every fast path.
 */
static inline void local_irq_restore(unsigned long f)
{
	__asm__ __volatile__("testl %1, %k0\n\tjz 1f\n\tsti\n1:"
			     : : "r"(f), "i"(X86_EFLAGS_IF) : "memory", "cc");
}

static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" : : : "memory");
}

static inline void invlpg(unsigned long va)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

static inline __noreturn void halt_forever(void)
{
	for (;;)
		__asm__ __volatile__("cli; hlt");
}

/* Leave QEMU through isa-debug-exit (iobase 0xf4): exit status (v << 1) | 1. */
#define QEMU_EXIT_PASS  0x10 /* status 33 */
#define QEMU_EXIT_FAIL  0x11 /* status 35 */
#define QEMU_EXIT_PANIC 0x12 /* status 37 */
__noreturn void qemu_exit(u32 code);

/* CPU features kmm cares about, read once at boot. */
struct cpu_features {
	bool nx, pdpe1gb, pge, smep, smap, la57, invariant_tsc, rdrand, rdseed;
	u8 phys_addr_bits, virt_addr_bits;
	char vendor[13];
	char brand[49];
};
extern struct cpu_features boot_cpu;
void cpu_detect(void);
void cpu_enable_protections(void);

#endif /* ARCH_X86_64_CPU_H */

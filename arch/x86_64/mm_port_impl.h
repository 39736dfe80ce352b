/* SPDX-License-Identifier: MIT */
/*
 * The kernel's implementation of the mm port (see mm/port.h for the contract).
 * Included only through mm/port.h.
 */
#ifndef ARCH_X86_64_MM_PORT_IMPL_H
#define ARCH_X86_64_MM_PORT_IMPL_H

#include "arch/x86_64/layout.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/percpu.h"

/* The direct map: all RAM at PAGE_OFFSET + physical address. */
static inline void *__va(phys_addr_t pa)
{
	return (void *)(unsigned long)(pa + PAGE_OFFSET);
}

/* Accepts direct-map addresses and kernel-image addresses, as Linux's __pa. */
static inline phys_addr_t __pa(const void *va)
{
	unsigned long x = (unsigned long)va;

	if (x >= __START_KERNEL_map)
		return x - __START_KERNEL_map;
	return x - PAGE_OFFSET;
}

/*
 * Direct-map addresses only, for the slab free fast paths: one subtract.
 * Any pointer outside the direct-map window [PAGE_OFFSET, DIRECT_MAP_END)
 * (kernel image, vmalloc, user, NULL) wraps to DIRECT_MAP_SIZE or above,
 * beyond every pfn the memmap covers, so those paths hand it to their slow
 * path, which uses __pa() and reports it.
 */
static inline phys_addr_t __pa_direct(const void *va)
{
	return (unsigned long)va - PAGE_OFFSET;
}
#define __pa_direct __pa_direct
_Static_assert(PAGE_OFFSET + DIRECT_MAP_SIZE <= VMALLOC_BASE &&
	       PAGE_OFFSET + DIRECT_MAP_SIZE <= VMEMMAP_BASE &&
	       PAGE_OFFSET + DIRECT_MAP_SIZE <= __START_KERNEL_map,
	       "__pa_direct: the direct map lies below every other kernel range");

#define vmemmap ((struct page *)VMEMMAP_BASE)
#define VMALLOC_START VMALLOC_BASE
#define VMALLOC_END   VMALLOC_LIMIT
/* The most RAM the direct map and vmemmap have room for (64 TB). */
#define MM_MAX_PHYS_ADDR DIRECT_MAP_SIZE

/*
 * One load from this CPU's struct percpu (arch/x86_64/percpu.h). A 32-bit
 * load zero-extends into the whole register, and saying so (an unsigned
 * long result) spares the callers, which index arrays with it, a separate
 * zero-extension.
 */
#define MM_NR_CPUS NR_CPUS
static inline unsigned long mm_cpu_id(void)
{
	unsigned long id;

	__asm__("movl %%gs:%c1, %k0" : "=r"(id) : "i"(PERCPU_CPU_ID_OFFSET));
	return id;
}

/* mm/'s pointer in this CPU's struct percpu: one %gs-relative access. */
#define MM_HAVE_CPU_SLOT
static inline void *mm_cpu_slot_read(void)
{
	void *p;

	__asm__ __volatile__("movq %%gs:%c1, %0" : "=r"(p) : "i"(PERCPU_MM_SLOT_OFFSET));
	return p;
}

static inline void mm_cpu_slot_write(void *p)
{
	__asm__ __volatile__("movq %0, %%gs:%c1" : : "r"(p), "i"(PERCPU_MM_SLOT_OFFSET)
			     : "memory");
}

/*
 * mm/'s per-CPU countdown (the KFENCE sample counter) in this CPU's struct
 * percpu: the decrement is one instruction whose flags the caller branches
 * on, so counting an allocation costs the fast path a sub and a jump.
 */
#define MM_HAVE_CPU_COUNTDOWN
static __always_inline bool mm_cpu_countdown_dec(void)
{
	bool zero;

	__asm__ __volatile__("subl $1, %%gs:%c1" : "=@ccz"(zero)
			     : "i"(PERCPU_MM_COUNTDOWN_OFFSET));
	return zero;
}

static inline unsigned int mm_cpu_countdown_read(void)
{
	unsigned int v;

	__asm__ __volatile__("movl %%gs:%c1, %0" : "=r"(v)
			     : "i"(PERCPU_MM_COUNTDOWN_OFFSET));
	return v;
}

static inline void mm_cpu_countdown_write(unsigned int v)
{
	__asm__ __volatile__("movl %0, %%gs:%c1" : : "r"(v),
			     "i"(PERCPU_MM_COUNTDOWN_OFFSET));
}

/* The KFENCE pool's place in the layout (layout.h). */
#define MM_KFENCE_POOL_START KFENCE_POOL_START
#define MM_KFENCE_POOL_SIZE  KFENCE_POOL_SIZE

/*
 * Walk the frame-pointer chain from @bp, storing up to @max return
 * addresses; every frame is read with a probe, so a bad chain ends the walk
 * instead of faulting (arch/x86_64/stacktrace.c).
 */
#define MM_HAVE_STACK_TRACE
unsigned int mm_stack_trace(unsigned long bp, unsigned long *entries,
			    unsigned int max);

typedef spinlock_t mm_spinlock_t;
#define MM_SPINLOCK_INIT SPINLOCK_INIT
#define mm_spin_lock_init(l) spin_lock_init(l)
#define mm_spin_lock(l)      spin_lock(l)
#define mm_spin_unlock(l)    spin_unlock(l)
#define mm_spin_trylock(l)   spin_trylock(l)
#define mm_spin_is_locked(l) spin_is_locked(l)

static inline unsigned long mm_irq_save(void)
{
	return local_irq_save();
}

static inline void mm_irq_restore(unsigned long flags)
{
	local_irq_restore(flags);
}

int mm_map_kernel_page(unsigned long va, phys_addr_t pa, unsigned int prot);
#define MM_HAVE_MAP_KERNEL_HUGE
int mm_map_kernel_huge(unsigned long va, phys_addr_t pa, unsigned int prot);
void mm_unmap_kernel_page(unsigned long va);
void mm_flush_tlb_kernel_range(unsigned long start, unsigned long end);
u64 mm_random_u64(void);

#endif /* ARCH_X86_64_MM_PORT_IMPL_H */

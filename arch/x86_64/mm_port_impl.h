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

#define vmemmap ((struct page *)VMEMMAP_BASE)
#define VMALLOC_START VMALLOC_BASE
#define VMALLOC_END   VMALLOC_LIMIT
/* The most RAM the direct map and vmemmap have room for (64 TB). */
#define MM_MAX_PHYS_ADDR DIRECT_MAP_SIZE

/* One load from this CPU's struct percpu (arch/x86_64/percpu.h). */
#define MM_NR_CPUS NR_CPUS
static inline unsigned int mm_cpu_id(void)
{
	return smp_processor_id();
}

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

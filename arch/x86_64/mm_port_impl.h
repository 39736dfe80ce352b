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

/*
 * The layout is chosen at boot (arch/x86_64/mem_layout.c: paging depth,
 * KASLR), so these read Linux's variables page_offset_base, vmalloc_base
 * and vmemmap_base (layout.h), never constants.
 */

/* The direct map: all RAM at page_offset_base + physical address. */
static inline void *__va(phys_addr_t pa)
{
	return (void *)(unsigned long)(pa + page_offset_base);
}

/* Accepts direct-map addresses and kernel-image addresses, as Linux's __pa. */
static inline phys_addr_t __pa(const void *va)
{
	unsigned long x = (unsigned long)va;

	if (x >= __START_KERNEL_map)
		return x - __START_KERNEL_map;
	return x - page_offset_base;
}

/*
 * Direct-map addresses only, for the slab free fast paths: one subtract.
 * Any pointer outside the direct-map region [page_offset_base, +
 * direct_map_size) (kernel image, vmalloc, user, NULL) wraps to
 * direct_map_size or above, beyond every pfn the memmap covers (the region
 * holds all RAM plus padding, and lies below every other kernel range:
 * mem_layout.c places it first), so those paths hand it to their slow path,
 * which uses __pa() and reports it.
 */
static inline phys_addr_t __pa_direct(const void *va)
{
	return (unsigned long)va - page_offset_base;
}
#define __pa_direct __pa_direct

#define vmemmap ((struct page *)vmemmap_base)
#define VMALLOC_START vmalloc_base
#define VMALLOC_END   (vmalloc_base + vmalloc_size)
/* The most RAM the 4-level direct map and vmemmap have room for (64 TB). */
#define MM_MAX_PHYS_ADDR DIRECT_MAP_SIZE_L4

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

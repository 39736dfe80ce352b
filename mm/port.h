/* SPDX-License-Identifier: MIT */
/*
 * The port: everything mm/ needs from the kernel it runs in.
 *
 * mm/ never includes an arch/ header. Instead the build puts a directory on
 * the include path that holds "mm_port_impl.h", which must provide:
 *
 *   __va(phys_addr_t) -> void *      the direct map, both ways; the only
 *   __pa(const void *) -> phys_addr_t bridges between the two address types
 *   vmemmap                          struct page * indexed by pfn
 *   VMALLOC_START, VMALLOC_END       the virtual range vmalloc may use
 *   MM_NR_CPUS                       the most CPUs mm/ keeps state for
 *   mm_cpu_id(void)                  this CPU, 0 .. MM_NR_CPUS-1, as unsigned
 *                                    int or unsigned long (which spares the
 *                                    callers a zero-extension when indexing)
 *   mm_spinlock_t, MM_SPINLOCK_INIT, mm_spin_lock_init(l), mm_spin_lock(l),
 *   mm_spin_unlock(l), mm_spin_is_locked(l)
 *   unsigned long mm_irq_save(void) / void mm_irq_restore(unsigned long)
 *                                    keep this CPU's interrupt handlers out
 *   int  mm_map_kernel_page(unsigned long va, phys_addr_t pa, unsigned prot)
 *                                    0 or -ENOMEM; prot is MM_PROT_* below
 *   void mm_unmap_kernel_page(unsigned long va)
 *   void mm_flush_tlb_kernel_range(unsigned long start, unsigned long end)
 *   u64  mm_random_u64(void)         for hardening secrets; need not be strong
 *
 * and may provide:
 *
 *   mm_spin_trylock(l)               lets the per-CPU fast paths skip the lock
 *                                    when another CPU holds it (default: take it)
 *   MM_MAX_PHYS_ADDR                 RAM above it is ignored (default 2^52)
 *   phys_addr_t __pa_direct(const void *)
 *                                    __pa() for direct-map addresses only; any
 *                                    other pointer must come out at or above
 *                                    MM_MAX_PHYS_ADDR, where no pfn has a struct
 *                                    page (the slab free fast paths; default __pa)
 *   void *mm_cpu_slot_read(void), void mm_cpu_slot_write(void *)
 *                                    with #define MM_HAVE_CPU_SLOT: one pointer
 *                                    per CPU for mm/, NULL until first written,
 *                                    used by its own CPU with interrupts off
 *                                    (default: an array indexed by mm_cpu_id())
 *   int mm_map_kernel_huge(unsigned long va, phys_addr_t pa, unsigned prot)
 *                                    map one 2 MiB page (both addresses 2 MiB
 *                                    aligned), with #define MM_HAVE_MAP_KERNEL_HUGE;
 *                                    vmemmap then costs no page tables below
 *                                    the PMD
 *   bool mm_cpu_countdown_dec(void), unsigned int mm_cpu_countdown_read(void),
 *   void mm_cpu_countdown_write(unsigned int)
 *                                    with #define MM_HAVE_CPU_COUNTDOWN: one
 *                                    u32 per CPU, 0 until written, used by its
 *                                    own CPU with interrupts off; _dec
 *                                    subtracts 1 and says whether the result
 *                                    is 0 (KFENCE's sample counter on the
 *                                    allocation fast path; default: an array
 *                                    indexed by mm_cpu_id())
 *   MM_KFENCE_POOL_START, MM_KFENCE_POOL_SIZE
 *                                    a virtual range of its own, nothing
 *                                    mapped there, for the KFENCE pool
 *                                    (mm/kfence.c); without them KFENCE
 *                                    never samples
 *   unsigned int mm_stack_trace(unsigned long bp, unsigned long *entries,
 *                               unsigned int max)
 *                                    with #define MM_HAVE_STACK_TRACE: up to
 *                                    @max return addresses of the frame chain
 *                                    from frame pointer @bp, safely (default:
 *                                    none; KFENCE reports then name only the
 *                                    caller)
 *   void mm_port_meminfo(struct mm_port_meminfo *)
 *                                    direct-map and page-table figures for
 *                                    show_meminfo() (mm/mm.h; default: zeroes)
 *
 * and the functions declared in kmm/printk.h (printk, with %pS) and
 * kmm/assert.h (panic). Our kernel's port is arch/x86_64/mm_port_impl.h; the
 * host tests' port (a large anonymous mapping posing as physical memory) is
 * tests/host/mm_port_impl.h. docs/porting.md walks through writing one.
 *
 * Lock order inside mm/: slab cache lock -> zone lock. Per-CPU state is only
 * touched with interrupts off on its own CPU (mm_irq_save).
 */
#ifndef MM_PORT_H
#define MM_PORT_H

#include "kmm/types.h"
#include "kmm/compiler.h"
#include "kmm/errno.h"
#include "kmm/assert.h"
#include "kmm/printk.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))

/* Protection for mm_map_kernel_page(). Kernel mappings are never user. */
#define MM_PROT_READ  0x1u
#define MM_PROT_WRITE 0x2u
#define MM_PROT_EXEC  0x4u

struct page;

#include "mm_port_impl.h"

/* The contract is checked here, at compile time, not found missing at link. */
#ifndef VMALLOC_START
#error "mm port: VMALLOC_START not defined"
#endif
#ifndef VMALLOC_END
#error "mm port: VMALLOC_END not defined"
#endif
#ifndef MM_NR_CPUS
#error "mm port: MM_NR_CPUS not defined"
#endif
#ifndef MM_SPINLOCK_INIT
#error "mm port: MM_SPINLOCK_INIT not defined"
#endif
#ifndef vmemmap
#error "mm port: vmemmap not defined"
#endif

#ifndef __pa_direct
#define __pa_direct(va) __pa(va)
#endif

#ifndef MM_HAVE_CPU_SLOT
/* One cache line per CPU: the slot is written on hot paths. */
struct mm_cpu_slot {
	void *p;
} __aligned(64);
extern struct mm_cpu_slot mm_cpu_slots[MM_NR_CPUS];

static inline void *mm_cpu_slot_read(void)
{
	return mm_cpu_slots[mm_cpu_id()].p;
}

static inline void mm_cpu_slot_write(void *p)
{
	mm_cpu_slots[mm_cpu_id()].p = p;
}
#endif

#ifndef MM_HAVE_CPU_COUNTDOWN
struct mm_cpu_countdown {
	unsigned int n;
} __aligned(64);
extern struct mm_cpu_countdown mm_cpu_countdowns[MM_NR_CPUS];

static inline bool mm_cpu_countdown_dec(void)
{
	return --mm_cpu_countdowns[mm_cpu_id()].n == 0;
}

static inline unsigned int mm_cpu_countdown_read(void)
{
	return mm_cpu_countdowns[mm_cpu_id()].n;
}

static inline void mm_cpu_countdown_write(unsigned int v)
{
	mm_cpu_countdowns[mm_cpu_id()].n = v;
}
#endif

#ifndef MM_HAVE_STACK_TRACE
static inline unsigned int mm_stack_trace(unsigned long bp, unsigned long *entries,
					  unsigned int max)
{
	(void)bp;
	(void)entries;
	(void)max;
	return 0;
}
#endif

#endif /* MM_PORT_H */

/* SPDX-License-Identifier: MIT */
/*
 * The host tests' implementation of the mm port (contract: mm/port.h).
 *
 * The fake machine (tests/host/port.c):
 *
 *   host_phys_base  one MAP_SHARED mapping of a memfd, HOST_PHYS_SIZE bytes:
 *                   "physical" address pa lives at host_phys_base + pa (the
 *                   direct map). Untouched pages cost nothing.
 *   vmemmap         a PROT_NONE reservation for HOST_PHYS_SIZE / PAGE_SIZE
 *                   struct pages; mem_init() maps backing into it from
 *                   memblock, exactly as the kernel does.
 *   vmalloc area    a PROT_NONE reservation of HOST_VMALLOC_SIZE bytes.
 *   KFENCE pool     a PROT_NONE reservation of MM_KFENCE_POOL_SIZE bytes;
 *                   KFENCE samples only after a test calls kfence_init(),
 *                   and a fault there is a SIGSEGV the test must turn into
 *                   kfence_handle_page_fault() (tests/host/test_kfence.c).
 *
 * mm_map_kernel_page(va, pa) maps the memfd page at offset pa at va with
 * mmap(MAP_FIXED), so the same physical page is reachable through both
 * addresses; mm_unmap_kernel_page() puts PROT_NONE back, so guard pages and
 * unmapped struct pages really fault.
 *
 * CPUs are threads: each thread says which CPU it is with host_set_cpu().
 * Interrupts do not exist: mm_irq_save/restore do nothing.
 */
#ifndef TESTS_HOST_MM_PORT_IMPL_H
#define TESTS_HOST_MM_PORT_IMPL_H

#include "kmm/types.h"

#define HOST_PHYS_SIZE    (8ULL << 30)
#define HOST_VMALLOC_SIZE (1UL << 30)

/* memblock refuses map entries beyond the fake machine's address space. */
#define MM_MAX_PHYS_ADDR HOST_PHYS_SIZE

extern unsigned char *host_phys_base;
extern struct page *host_vmemmap;
extern unsigned long host_vmalloc_start;

static inline void *__va(phys_addr_t pa)
{
	return host_phys_base + pa;
}

static inline phys_addr_t __pa(const void *va)
{
	return (phys_addr_t)((const unsigned char *)va - host_phys_base);
}

extern unsigned long host_kfence_start;

/* The KFENCE pool: a PROT_NONE reservation of its own (mm/kfence.c). */
#define MM_KFENCE_POOL_START host_kfence_start
#define MM_KFENCE_POOL_SIZE  (2UL << 20)

#define vmemmap       host_vmemmap
#define VMALLOC_START host_vmalloc_start
#define VMALLOC_END   (host_vmalloc_start + HOST_VMALLOC_SIZE)

#define MM_NR_CPUS 8
extern __thread unsigned int host_cpu_id;
static inline unsigned int mm_cpu_id(void)
{
	return host_cpu_id;
}

typedef struct {
	int locked;
} mm_spinlock_t;
#define MM_SPINLOCK_INIT { 0 }

/* Out of line, so that the uncontended path stays two instructions. */
void host_spin_lock_contended(mm_spinlock_t *l);

static inline void mm_spin_lock_init(mm_spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELAXED);
}

static inline void mm_spin_lock(mm_spinlock_t *l)
{
	if (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		host_spin_lock_contended(l);
}

/* Beyond the contract: lets mm/'s fast paths give up instead of spinning. */
static inline bool mm_spin_trylock(mm_spinlock_t *l)
{
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}
#define mm_spin_trylock mm_spin_trylock

static inline void mm_spin_unlock(mm_spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline bool mm_spin_is_locked(mm_spinlock_t *l)
{
	return __atomic_load_n(&l->locked, __ATOMIC_RELAXED);
}

static inline unsigned long mm_irq_save(void)
{
	return 0;
}

static inline void mm_irq_restore(unsigned long flags)
{
	(void)flags;
}

int mm_map_kernel_page(unsigned long va, phys_addr_t pa, unsigned int prot);
void mm_unmap_kernel_page(unsigned long va);
void mm_flush_tlb_kernel_range(unsigned long start, unsigned long end);
u64 mm_random_u64(void);

#endif /* TESTS_HOST_MM_PORT_IMPL_H */

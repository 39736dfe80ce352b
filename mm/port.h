/* SPDX-License-Identifier: MIT */
/*
 * The port, inside the library: everything mm/ needs from the kernel it
 * runs in, in the names mm/ uses.
 *
 * A kernel hands libkmm its layout at run time (kmm_setup() with a struct
 * kmm_layout, include/kmm/kmm.h) and a few hooks at link time
 * (include/kmm/port.h); this header turns those into what mm/ calls:
 *
 *   __va(phys_addr_t) -> void *      the direct map, both ways; the only
 *   __pa(const void *) -> phys_addr_t bridges between the two address types
 *   __pa_direct(const void *)        __pa() for direct-map addresses only; any
 *                                    other pointer comes out at or above
 *                                    MM_MAX_PHYS_ADDR (kmm_setup checks it)
 *   vmemmap                          struct page * indexed by pfn
 *   VMALLOC_START, VMALLOC_END       the virtual range vmalloc may use
 *   MM_NR_CPUS                       the most CPUs mm/ keeps state for
 *                                    (KMM_MAX_CPUS, fixed when the library is built)
 *   mm_cpu_id(void)                  this CPU, 0 .. MM_NR_CPUS-1
 *   mm_cpu_slot_read/write           one pointer per CPU for mm/, NULL until
 *                                    first written, used by its own CPU with
 *                                    interrupts off
 *   mm_spinlock_t and mm_spin_*      a test-and-test-and-set byte lock
 *   mm_irq_save/mm_irq_restore       keep this CPU's interrupt handlers out
 *   mm_map_kernel_page, mm_unmap_kernel_page, mm_flush_tlb_kernel_range,
 *   mm_map_kernel_huge, mm_random_u64, mm_port_meminfo: the hooks
 *
 * The per-CPU accessors have two builds. By default the CPU id comes from
 * the KMM_HOOK_CPU_ID hook (0 when kmm_layout.nr_cpus is 1) and the slots
 * are an array. A kernel that keeps its CPU number and a spare pointer at
 * fixed offsets from %gs builds the library with KMM_PERCPU_GS_CPU_ID and
 * KMM_PERCPU_GS_SLOT (make lib KMM_PERCPU_GS=8,16): one %gs-relative load
 * each, which is what kmm's own kernel does (docs/porting.md#fast-per-cpu).
 *
 * Lock order inside mm/: slab cache lock -> zone lock. Per-CPU state is only
 * touched with interrupts off on its own CPU (mm_irq_save).
 */
#ifndef MM_PORT_H
#define MM_PORT_H

#include "mm/namespace.h"
#include "kmm/types.h"
#include "kmm/compiler.h"
#include "kmm/errno.h"
#include "kmm/assert.h"
#include "kmm/printk.h"
#define KMM_INTERNAL_PAGE_HELPERS
#include "kmm/kmm.h"

#define PAGE_SHIFT KMM_PAGE_SHIFT
#define PAGE_SIZE  (1UL << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))

#define MM_PROT_READ  KMM_PROT_READ
#define MM_PROT_WRITE KMM_PROT_WRITE
#define MM_PROT_EXEC  KMM_PROT_EXEC

struct page;

/* ---- the layout, set by kmm_setup() (mm/setup.c) -------------------------- */

extern unsigned long kmm_page_offset_base; /* direct map of physical 0 */
extern unsigned long kmm_vmemmap_base;
extern unsigned long kmm_vmalloc_start, kmm_vmalloc_end;
extern unsigned long kmm_image_base, kmm_image_size;
extern phys_addr_t kmm_image_base_pa;
extern phys_addr_t kmm_max_phys_addr;      /* size of the direct map */
extern phys_addr_t kmm_zone_dma_end, kmm_zone_dma32_end;
extern unsigned int kmm_nr_cpus;

static inline void *__va(phys_addr_t pa)
{
	return (void *)(unsigned long)(pa + kmm_page_offset_base);
}

/* Direct-map and kernel-image addresses, as Linux's __pa. */
static inline phys_addr_t __pa(const void *va)
{
	unsigned long x = (unsigned long)va;

	if (x - kmm_image_base < kmm_image_size)
		return x - kmm_image_base + kmm_image_base_pa;
	return x - kmm_page_offset_base;
}

/*
 * Direct-map addresses only, for the slab free fast paths: one subtract.
 * Any pointer outside [direct map, + MM_MAX_PHYS_ADDR) wraps to
 * MM_MAX_PHYS_ADDR or above (kmm_setup() refuses a layout where it would
 * not), beyond every pfn the memmap covers, so those paths hand it to their
 * slow path, which uses __pa() and reports it.
 */
static inline phys_addr_t __pa_direct(const void *va)
{
	return (unsigned long)va - kmm_page_offset_base;
}

#define vmemmap       ((struct page *)kmm_vmemmap_base)
#define VMALLOC_START kmm_vmalloc_start
#define VMALLOC_END   kmm_vmalloc_end
#define MM_MAX_PHYS_ADDR kmm_max_phys_addr

/* ---- CPUs --------------------------------------------------------------- */

#ifndef KMM_MAX_CPUS
#define KMM_MAX_CPUS 32
#endif
#define MM_NR_CPUS KMM_MAX_CPUS

unsigned int kmm_port_cpu_id(void);

#ifdef KMM_PERCPU_GS_CPU_ID
/* A 32-bit load zero-extends: an unsigned long spares the callers one. */
static inline unsigned long mm_cpu_id(void)
{
	unsigned long id;

	__asm__("movl %%gs:%c1, %k0" : "=r"(id) : "i"(KMM_PERCPU_GS_CPU_ID));
	return id;
}
#elif defined(KMM_HOST)
/*
 * The host tests' port: threads act as CPUs, each with its number in a
 * thread-local variable (tests/host/port.c), read inline as a kernel reads
 * %gs, so host figures (make bench) count no call for it.
 */
extern __thread unsigned int kmm_host_cpu_id;
static inline unsigned long mm_cpu_id(void)
{
	return kmm_host_cpu_id;
}
#else
/*
 * One CPU: 0. Several: the port's hook, called through a trampoline that
 * keeps every register but %rax (lib/port_default.c), so that the fast
 * paths around it need no registers saved for a call they rarely make. (A
 * kernel has no red zone below %rsp for the call to overwrite.)
 */
static inline unsigned long mm_cpu_id(void)
{
	unsigned long id;

	if (likely(kmm_nr_cpus <= 1))
		return 0;
	__asm__ __volatile__("call kmm_cpu_id_preserving" : "=a"(id) : : "cc");
	return id;
}
#endif

#ifdef KMM_PERCPU_GS_SLOT
static inline void *mm_cpu_slot_read(void)
{
	void *p;

	__asm__ __volatile__("movq %%gs:%c1, %0" : "=r"(p) : "i"(KMM_PERCPU_GS_SLOT));
	return p;
}

static inline void mm_cpu_slot_write(void *p)
{
	__asm__ __volatile__("movq %0, %%gs:%c1" : : "r"(p), "i"(KMM_PERCPU_GS_SLOT)
			     : "memory");
}
#else
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

/* ---- KFENCE's per-CPU sample countdown (mm/kfence.h) -------------------- */

/*
 * One u32 per CPU, 0 until written, used by its own CPU with interrupts
 * off; mm_cpu_countdown_dec() subtracts 1 and says whether the result is 0.
 * With KMM_PERCPU_GS_COUNTDOWN (make lib KMM_PERCPU_GS=id,slot,countdown)
 * the decrement is one instruction whose flags the fast path branches on.
 */
#ifdef KMM_PERCPU_GS_COUNTDOWN
static __always_inline bool mm_cpu_countdown_dec(void)
{
	bool zero;

	__asm__ __volatile__("subl $1, %%gs:%c1" : "=@ccz"(zero)
			     : "i"(KMM_PERCPU_GS_COUNTDOWN));
	return zero;
}

static inline unsigned int mm_cpu_countdown_read(void)
{
	unsigned int v;

	__asm__ __volatile__("movl %%gs:%c1, %0" : "=r"(v)
			     : "i"(KMM_PERCPU_GS_COUNTDOWN));
	return v;
}

static inline void mm_cpu_countdown_write(unsigned int v)
{
	__asm__ __volatile__("movl %0, %%gs:%c1" : : "r"(v),
			     "i"(KMM_PERCPU_GS_COUNTDOWN));
}
#else
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

/* The KFENCE pool's virtual range (kmm_layout.kfence_pool_start; 0: none). */
extern unsigned long kmm_kfence_pool_start;
#define MM_KFENCE_POOL_START kmm_kfence_pool_start
#define MM_KFENCE_POOL_SIZE  KMM_KFENCE_POOL_SIZE

/* ---- locks and interrupts ----------------------------------------------- */

typedef struct {
	volatile u8 locked;
} mm_spinlock_t;

#define MM_SPINLOCK_INIT { 0 }

/* Out of line: the uncontended path stays an exchange and a branch. */
void kmm_spin_lock_contended(mm_spinlock_t *l);

static inline void mm_spin_lock_init(mm_spinlock_t *l)
{
	l->locked = 0;
}

static inline void mm_spin_lock(mm_spinlock_t *l)
{
	if (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		kmm_spin_lock_contended(l);
}

/* Lets mm/'s fast paths give up instead of spinning. */
static inline bool mm_spin_trylock(mm_spinlock_t *l)
{
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}
#define mm_spin_trylock mm_spin_trylock

static inline void mm_spin_unlock(mm_spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline bool mm_spin_is_locked(const mm_spinlock_t *l)
{
	return l->locked;
}

#ifdef KMM_HOST
/* Host threads have no interrupts. */
static inline unsigned long mm_irq_save(void)
{
	return 0;
}

static inline void mm_irq_restore(unsigned long flags)
{
	(void)flags;
}
#else
static inline unsigned long mm_irq_save(void)
{
	unsigned long f;

	__asm__ __volatile__("pushfq; popq %0; cli" : "=r"(f) : : "memory");
	return f;
}

/* Interrupts on again if @f had IF (bit 9) set; the test reads @f in place. */
static inline void mm_irq_restore(unsigned long f)
{
	__asm__ __volatile__("testl %1, %k0\n\tjz 1f\n\tsti\n1:"
			     : : "r"(f), "i"(0x200) : "memory", "cc");
}
#endif

/* ---- the hooks (include/kmm/port.h), in mm/'s names ---------------------- */

int kmm_port_map_page(unsigned long va, phys_addr_t pa, unsigned int prot);
void kmm_port_unmap_page(unsigned long va);
void kmm_port_flush_tlb(unsigned long start, unsigned long end);
int kmm_port_map_huge(unsigned long va, phys_addr_t pa, unsigned int prot);
unsigned long long kmm_port_random(void);
void kmm_port_console_write(int level, const char *text, unsigned long len);
__noreturn void kmm_port_panic(const char *msg);
bool kmm_port_symbol(unsigned long addr, const char **name,
		     unsigned long *offset, unsigned long *size);
void kmm_port_relax(void);
unsigned int kmm_port_stack_trace(unsigned long bp, unsigned long *entries,
				  unsigned int max);

#define mm_map_kernel_page(va, pa, prot) kmm_port_map_page(va, pa, prot)
#define mm_map_kernel_huge(va, pa, prot) kmm_port_map_huge(va, pa, prot)
#define mm_unmap_kernel_page(va)         kmm_port_unmap_page(va)
#define mm_flush_tlb_kernel_range(s, e)  kmm_port_flush_tlb(s, e)
#define mm_random_u64()                  ((u64)kmm_port_random())
#define mm_stack_trace(bp, e, max)       kmm_port_stack_trace(bp, e, max)

#endif /* MM_PORT_H */

// SPDX-License-Identifier: MIT
/*
 * The kernel's port of libkmm: its layout (Linux's, arch/x86_64/layout.h)
 * and the hooks of include/kmm/port.h. The library is built for this
 * kernel with KMM_PERCPU_GS_CPU_ID / KMM_PERCPU_GS_SLOT (Makefile), so
 * mm/'s per-CPU accesses are single %gs loads from struct percpu.
 */
#include "mm/port.h"
#include "mm/mm.h"
#include "kmm/printk.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/stacktrace.h"
#include "kernel/kmm.h"

_Static_assert(KMM_PERCPU_GS_CPU_ID == PERCPU_CPU_ID_OFFSET &&
	       KMM_PERCPU_GS_SLOT == PERCPU_MM_SLOT_OFFSET &&
	       KMM_PERCPU_GS_COUNTDOWN == PERCPU_MM_COUNTDOWN_OFFSET,
	       "libkmm reads the CPU id, its slot and KFENCE's countdown where struct percpu keeps them");
_Static_assert(MM_NR_CPUS == NR_CPUS, "libkmm keeps state for every CPU we start");

static u64 prot_to_pte(unsigned int prot)
{
	u64 p = _PAGE_PRESENT | _PAGE_GLOBAL;

	if (prot & MM_PROT_WRITE)
		p |= _PAGE_RW;
	if (!(prot & MM_PROT_EXEC))
		p |= _PAGE_NX;
	return p;
}

static int map_page(unsigned long va, phys_addr_t pa, unsigned int prot)
{
	return kernel_map_range(va, pa, PAGE_SIZE, prot_to_pte(prot), PG_LEVEL_4K);
}

static int map_huge(unsigned long va, phys_addr_t pa, unsigned int prot)
{
	return kernel_map_range(va, pa, PMD_SIZE, prot_to_pte(prot), PG_LEVEL_2M);
}

static void unmap_page(unsigned long va)
{
	kernel_unmap_range(va, PAGE_SIZE);
}

/*
 * Not cryptographic: a splitmix64 stream seeded from the TSC. Enough to make
 * free-list order and pointer-hardening secrets differ between boots; under
 * QEMU -icount the TSC, and so the stream, repeat exactly.
 */
static u64 random_u64(void)
{
	static u64 state;
	u64 z;

	if (!state)
		state = rdtsc() | 1;
	z = (state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void port_meminfo(struct kmm_port_meminfo *mi)
{
	mi->direct_map_4k = direct_map_pages[PG_LEVEL_4K];
	mi->direct_map_2m = direct_map_pages[PG_LEVEL_2M];
	mi->direct_map_1g = direct_map_pages[PG_LEVEL_1G];
	mi->pagetable_pages = nr_pagetable_pages;
}

static __noreturn void port_panic(const char *msg)
{
	panic("%s", msg);
}

/*
 * Hand libkmm the layout layout_init() chose (arch/x86_64/mem_layout.c:
 * paging depth and KASLR), with the whole kernel image mapping for __pa().
 * Until then libkmm's bases are 0 and __va() is the boot identity map.
 */
void arch_mm_setup(void)
{
	const struct kmm_layout layout = {
		.direct_map_base = page_offset_base,
		.direct_map_size = direct_map_size,
		.vmemmap_base = vmemmap_base,
		.vmalloc_start = vmalloc_base,
		.vmalloc_end = vmalloc_base + vmalloc_size,
		.image_base = __START_KERNEL_map,
		.image_base_pa = 0,
		.image_size = -__START_KERNEL_map,
#ifdef KMM_KASAN
		/* KASAN has no shadow for the pool: the KASAN kernel has no KFENCE. */
		.kfence_pool_start = 0,
#else
		.kfence_pool_start = KFENCE_POOL_START,
#endif
		.nr_cpus = NR_CPUS,
	};

	if (kmm_setup(&layout))
		panic("kmm_setup refused the kernel's layout");
}

#define KMM_HOOK_MAP_PAGE      map_page
#define KMM_HOOK_UNMAP_PAGE    unmap_page
#define KMM_HOOK_CONSOLE_WRITE printk_emit
#define KMM_HOOK_PANIC         port_panic
#define KMM_HOOK_FLUSH_TLB     flush_tlb_kernel_range
#define KMM_HOOK_CPU_ID        smp_processor_id
#define KMM_HOOK_RANDOM        random_u64
#define KMM_HOOK_MAP_HUGE      map_huge
#define KMM_HOOK_SYMBOL        kallsyms_lookup
#define KMM_HOOK_MEMINFO       port_meminfo
#define KMM_HOOK_STACK_TRACE   arch_stack_trace
#include "kmm/port.h"

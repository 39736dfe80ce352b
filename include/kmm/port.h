/* SPDX-License-Identifier: MIT */
/*
 * The hooks libkmm calls in your kernel (docs/porting.md#hooks).
 *
 * In exactly one .c file, #define the hook names to your functions, then
 * include this header: it defines the kmm_port_* functions the library
 * calls, each forwarding to yours. The three required hooks, and a missing
 * one is an #error here, at compile time:
 *
 *   KMM_HOOK_MAP_PAGE      int f(unsigned long va, kmm_phys_addr_t pa, unsigned int prot)
 *                          map one 4 KiB kernel page (supervisor, prot is
 *                          KMM_PROT_*); 0, or -12 (-ENOMEM) when a page table
 *                          cannot be had. Called with kmm's locks free, in
 *                          process context: at mem_init() for the vmemmap
 *                          (page tables from memblock_phys_alloc() then), and
 *                          by vmalloc (page tables from get_zeroed_page()).
 *   KMM_HOOK_UNMAP_PAGE    void f(unsigned long va)
 *                          clear that mapping; the TLB is flushed after it
 *                          (KMM_HOOK_FLUSH_TLB). Process context (vfree).
 *   KMM_HOOK_CONSOLE_WRITE void f(int level, const char *text, unsigned long len)
 *                          print one message (it may hold several lines);
 *                          level is Linux's, 0 (emerg) .. 7 (debug). Any
 *                          context, interrupts possibly off, kmm locks
 *                          possibly held: must not allocate.
 *
 * Optional, each with a default a single-CPU kernel can live with:
 *
 *   KMM_HOOK_PANIC         void f(const char *msg), never returns.
 *                          Default: print "Kernel panic - not syncing: msg"
 *                          and halt this CPU with interrupts off.
 *   KMM_HOOK_FLUSH_TLB     void f(unsigned long start, unsigned long end)
 *                          drop stale translations of [start, end) on every
 *                          CPU. Default: invlpg on this CPU (right for one CPU).
 *   KMM_HOOK_CPU_ID        unsigned int f(void): this CPU, 0 .. nr_cpus - 1,
 *                          stable while interrupts are off. Asked only when
 *                          kmm_layout.nr_cpus > 1, and then required:
 *                          kmm_setup() refuses nr_cpus > 1 without it.
 *   KMM_HOOK_RANDOM        unsigned long long f(void): seeds for slab
 *                          hardening; need not be strong. Default: a
 *                          splitmix64 stream seeded from the TSC.
 *   KMM_HOOK_MAP_HUGE      int f(unsigned long va, kmm_phys_addr_t pa, unsigned int prot)
 *                          map one 2 MiB page (both 2 MiB aligned), so the
 *                          vmemmap needs no page tables below the PMD; non-0:
 *                          kmm falls back to 4 KiB pages. Default: non-0.
 *   KMM_HOOK_SYMBOL        _Bool f(unsigned long addr, const char **name,
 *                                  unsigned long *offset, unsigned long *size)
 *                          name a code address for %pS in reports. Default:
 *                          false (the address is printed).
 *   KMM_HOOK_RELAX         void f(void): called while spinning on a busy
 *                          kmm lock. Default: the pause instruction.
 *   KMM_HOOK_STACK_TRACE   unsigned int f(unsigned long bp, unsigned long *entries,
 *                                          unsigned int max)
 *                          up to max return addresses of the frame-pointer
 *                          chain from bp, reading each frame safely; for
 *                          KFENCE's allocation and free call chains. Default:
 *                          0 (reports name only the caller).
 *   KMM_HOOK_MEMINFO       void f(struct kmm_port_meminfo *mi): fill in the
 *                          DirectMap and PageTables lines of show_meminfo().
 *                          Default: zeroes.
 *
 * Everything else (spinlocks on compiler atomics, interrupt save/restore
 * with pushf/cli, the formatter, string routines) is inside the library.
 */
#ifndef KMM_PORT_H
#define KMM_PORT_H

#include "kmm/kmm.h"

#ifndef KMM_HOOK_MAP_PAGE
#error "kmm: KMM_HOOK_MAP_PAGE not defined, see docs/porting.md#hooks"
#endif
#ifndef KMM_HOOK_UNMAP_PAGE
#error "kmm: KMM_HOOK_UNMAP_PAGE not defined, see docs/porting.md#hooks"
#endif
#ifndef KMM_HOOK_CONSOLE_WRITE
#error "kmm: KMM_HOOK_CONSOLE_WRITE not defined, see docs/porting.md#hooks"
#endif

int kmm_port_map_page(unsigned long va, kmm_phys_addr_t pa, unsigned int prot);
int kmm_port_map_page(unsigned long va, kmm_phys_addr_t pa, unsigned int prot)
{
	return KMM_HOOK_MAP_PAGE(va, pa, prot);
}

void kmm_port_unmap_page(unsigned long va);
void kmm_port_unmap_page(unsigned long va)
{
	KMM_HOOK_UNMAP_PAGE(va);
}

void kmm_port_console_write(int level, const char *text, unsigned long len);
void kmm_port_console_write(int level, const char *text, unsigned long len)
{
	KMM_HOOK_CONSOLE_WRITE(level, text, len);
}

#ifdef KMM_HOOK_PANIC
__attribute__((noreturn)) void kmm_port_panic(const char *msg);
__attribute__((noreturn)) void kmm_port_panic(const char *msg)
{
	KMM_HOOK_PANIC(msg);
	__builtin_unreachable();
}
#endif

#ifdef KMM_HOOK_FLUSH_TLB
void kmm_port_flush_tlb(unsigned long start, unsigned long end);
void kmm_port_flush_tlb(unsigned long start, unsigned long end)
{
	KMM_HOOK_FLUSH_TLB(start, end);
}
#endif

#ifdef KMM_HOOK_CPU_ID
unsigned int kmm_port_cpu_id(void);
unsigned int kmm_port_cpu_id(void)
{
	return KMM_HOOK_CPU_ID();
}
#endif

#ifdef KMM_HOOK_RANDOM
unsigned long long kmm_port_random(void);
unsigned long long kmm_port_random(void)
{
	return KMM_HOOK_RANDOM();
}
#endif

#ifdef KMM_HOOK_MAP_HUGE
int kmm_port_map_huge(unsigned long va, kmm_phys_addr_t pa, unsigned int prot);
int kmm_port_map_huge(unsigned long va, kmm_phys_addr_t pa, unsigned int prot)
{
	return KMM_HOOK_MAP_HUGE(va, pa, prot);
}
#endif

#ifdef KMM_HOOK_SYMBOL
_Bool kmm_port_symbol(unsigned long addr, const char **name,
		      unsigned long *offset, unsigned long *size);
_Bool kmm_port_symbol(unsigned long addr, const char **name,
		      unsigned long *offset, unsigned long *size)
{
	return KMM_HOOK_SYMBOL(addr, name, offset, size);
}
#endif

#ifdef KMM_HOOK_RELAX
void kmm_port_relax(void);
void kmm_port_relax(void)
{
	KMM_HOOK_RELAX();
}
#endif

#ifdef KMM_HOOK_STACK_TRACE
unsigned int kmm_port_stack_trace(unsigned long bp, unsigned long *entries,
				  unsigned int max);
unsigned int kmm_port_stack_trace(unsigned long bp, unsigned long *entries,
				  unsigned int max)
{
	return KMM_HOOK_STACK_TRACE(bp, entries, max);
}
#endif

#ifdef KMM_HOOK_MEMINFO
void kmm_port_meminfo(struct kmm_port_meminfo *mi);
void kmm_port_meminfo(struct kmm_port_meminfo *mi)
{
	KMM_HOOK_MEMINFO(mi);
}
#endif

#endif /* KMM_PORT_H */

// SPDX-License-Identifier: MIT
/*
 * libkmm's side of the port: printk and panic on top of the console hook,
 * the contended path of its spinlock, and the defaults of the optional hooks
 * (include/kmm/port.h), each weak so that a kernel's KMM_HOOK_* wins. The
 * defaults are what one CPU needs; docs/porting.md#hooks says when to
 * override them.
 */
#include "mm/port.h"
#include "mm/mm.h"

/* ---- printk and panic --------------------------------------------------- */

#define KMM_PRINTK_MAX 1024

/*
 * Format, take the KERN_ level marker off and hand the message to the
 * console hook: level 0..7, or -1 when the message had none (a
 * continuation). Output longer than KMM_PRINTK_MAX - 1 bytes is cut there.
 */
int vprintk(const char *fmt, va_list ap)
{
	char buf[KMM_PRINTK_MAX];
	const char *text = buf;
	int level = -1, len;

	len = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (len >= (int)sizeof(buf))
		len = sizeof(buf) - 1;
	if (len >= 2 && buf[0] == KERN_SOH[0]) {
		if (buf[1] >= '0' && buf[1] <= '7')
			level = buf[1] - '0';
		text += 2;
		len -= 2;
	}
	kmm_port_console_write(level, text, (unsigned long)len);
	return len;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

__noreturn void panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kmm_port_panic(buf);
}

/* Default KMM_HOOK_PANIC: say why, then stop this CPU for good. */
__attribute__((weak)) __noreturn void kmm_port_panic(const char *msg)
{
	printk(KERN_EMERG "Kernel panic - not syncing: %s\n", msg);
#ifdef KMM_HOST
	__builtin_trap();
#else
	for (;;)
		__asm__ __volatile__("cli; hlt");
#endif
}

/* ---- the lock ----------------------------------------------------------- */

/* Default KMM_HOOK_RELAX: tell the CPU we are spinning. */
__attribute__((weak)) void kmm_port_relax(void)
{
	__builtin_ia32_pause();
}

void kmm_spin_lock_contended(mm_spinlock_t *l)
{
	do {
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			kmm_port_relax();
	} while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE));
}

/* ---- optional hooks ------------------------------------------------------ */

/* Default KMM_HOOK_STACK_TRACE: no call chains (KFENCE names the caller only). */
__attribute__((weak)) unsigned int kmm_port_stack_trace(unsigned long bp,
							unsigned long *entries,
							unsigned int max)
{
	(void)bp;
	(void)entries;
	(void)max;
	return 0;
}

/* Default KMM_HOOK_FLUSH_TLB: this CPU only, which is every CPU of a UP kernel. */
__attribute__((weak)) void kmm_port_flush_tlb(unsigned long start, unsigned long end)
{
#ifdef KMM_HOST
	(void)start;
	(void)end;
#else
	for (; start < end; start += PAGE_SIZE)
		__asm__ __volatile__("invlpg (%0)" : : "r"(start) : "memory");
#endif
}

/*
 * Default KMM_HOOK_CPU_ID: only asked when nr_cpus > 1, where it must not
 * be missing; kmm_setup() asks once and refuses this answer.
 */
__attribute__((weak)) unsigned int kmm_port_cpu_id(void)
{
	return ~0u;
}

#if !defined(KMM_HOST) && !defined(KMM_PERCPU_GS_CPU_ID)
/*
 * kmm_port_cpu_id() for mm_cpu_id() (mm/port.h): caller-saved registers
 * kept, the stack aligned for the hook, the id zero-extended in %rax.
 */
__asm__(".text\n"
	".globl kmm_cpu_id_preserving\n"
	".type kmm_cpu_id_preserving, @function\n"
	"kmm_cpu_id_preserving:\n\t"
	"pushq %rbp\n\t"
	"movq %rsp, %rbp\n\t"
	"andq $-16, %rsp\n\t"
	"pushq %rdi\n\tpushq %rsi\n\tpushq %rdx\n\tpushq %rcx\n\t"
	"pushq %r8\n\tpushq %r9\n\tpushq %r10\n\tpushq %r11\n\t"
	"call kmm_port_cpu_id\n\t"
	"movl %eax, %eax\n\t"
	"popq %r11\n\tpopq %r10\n\tpopq %r9\n\tpopq %r8\n\t"
	"popq %rcx\n\tpopq %rdx\n\tpopq %rsi\n\tpopq %rdi\n\t"
	"leave\n\t"
	"ret\n"
	".size kmm_cpu_id_preserving, . - kmm_cpu_id_preserving\n");
#endif

/* Default KMM_HOOK_MAP_HUGE: none; the vmemmap goes in 4 KiB pages. */
__attribute__((weak)) int kmm_port_map_huge(unsigned long va, phys_addr_t pa,
					    unsigned int prot)
{
	(void)va;
	(void)pa;
	(void)prot;
	return -ENOSYS;
}

/* Default KMM_HOOK_SYMBOL: no symbol table; %pS prints the address. */
__attribute__((weak)) bool kmm_port_symbol(unsigned long addr, const char **name,
					   unsigned long *offset, unsigned long *size)
{
	(void)addr;
	(void)name;
	(void)offset;
	(void)size;
	return false;
}

static inline u64 read_tsc(void)
{
	u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

/*
 * Default KMM_HOOK_RANDOM. Not cryptographic: a splitmix64 stream seeded
 * from the TSC, enough to make free-list order and pointer-hardening
 * secrets differ between boots (under QEMU -icount they repeat exactly).
 */
__attribute__((weak)) unsigned long long kmm_port_random(void)
{
	static u64 state;
	u64 z;

	if (!state)
		state = read_tsc() | 1;
	z = __atomic_add_fetch(&state, 0x9e3779b97f4a7c15ULL, __ATOMIC_RELAXED);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

// SPDX-License-Identifier: MIT
/*
 * panic(): the end of the road. Prints "Kernel panic - <reason>", where it was
 * called from, a register snapshot and a frame-pointer backtrace, then leaves
 * QEMU with status 37 (isa-debug-exit 0x12). On real hardware it halts.
 */
#include "kmm/assert.h"
#include "kmm/printk.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/traps.h"

static int panicking;

__noreturn void panic(const char *fmt, ...)
{
	char buf[256];
	struct pt_regs regs = { 0 };
	va_list ap;

	local_irq_disable();
	if (__atomic_fetch_add(&panicking, 1, __ATOMIC_ACQ_REL)) {
		printk(KERN_EMERG "Kernel panic - recursive or concurrent panic, halting\n");
		qemu_exit(QEMU_EXIT_PANIC);
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);

	__asm__ __volatile__("movq %%rsp, %0\n\t"
			     "movq %%rbp, %1\n\t"
			     "movq %%rbx, %2\n\t"
			     "movq %%r12, %3\n\t"
			     "movq %%r13, %4\n\t"
			     "movq %%r14, %5\n\t"
			     "movq %%r15, %6\n\t"
			     "leaq (%%rip), %%rax\n\t"
			     "movq %%rax, %7\n\t"
			     : "=m"(regs.rsp), "=m"(regs.rbp), "=m"(regs.rbx),
			       "=m"(regs.r12), "=m"(regs.r13), "=m"(regs.r14),
			       "=m"(regs.r15), "=m"(regs.rip)
			     :
			     : "rax");
	regs.cs = 0x08;
	regs.ss = 0x10;
	regs.rflags = read_flags();

	printk(KERN_EMERG "Kernel panic - %s\n", buf);
	printk(KERN_EMERG "called from %pS\n", __builtin_return_address(0));
	show_regs(&regs);
	show_backtrace(regs.rbp, 0);
	printk(KERN_EMERG "---[ end Kernel panic - %s ]---\n", buf);
	qemu_exit(QEMU_EXIT_PANIC);
}

// SPDX-License-Identifier: MIT
/*
 * Memory probes (see probe.h). Reads and writes list their one faulting
 * instruction in __ex_table, with a recovery path that sets -EFAULT. An exec
 * probe cannot do that (the faulting RIP is the target itself), so it saves
 * where to resume and the trap handler consults probe_exec_fixup().
 */
#include "arch/x86_64/probe.h"
#include "arch/x86_64/traps.h"
#include "kmm/errno.h"

int probe_read_u8(const void *addr, u8 *val)
{
	int err;
	u8 v = 0;

	__asm__ __volatile__("1:	movb (%[addr]), %[v]\n"
			     "	xorl %[err], %[err]\n"
			     "	jmp 3f\n"
			     "2:	movl %[efault], %[err]\n"
			     "3:\n"
			     _ASM_EXTABLE(1b, 2b)
			     : [v] "+q"(v), [err] "=r"(err)
			     : [addr] "r"(addr), [efault] "i"(-EFAULT)
			     : "memory");
	if (val)
		*val = v;
	return err;
}

int probe_read_u64(const void *addr, u64 *val)
{
	int err;
	u64 v = 0;

	__asm__ __volatile__("1:	movq (%[addr]), %[v]\n"
			     "	xorl %[err], %[err]\n"
			     "	jmp 3f\n"
			     "2:	movl %[efault], %[err]\n"
			     "3:\n"
			     _ASM_EXTABLE(1b, 2b)
			     : [v] "+r"(v), [err] "=r"(err)
			     : [addr] "r"(addr), [efault] "i"(-EFAULT)
			     : "memory");
	if (val)
		*val = v;
	return err;
}

int probe_write_u8(void *addr, u8 val)
{
	int err;

	__asm__ __volatile__("1:	movb %[v], (%[addr])\n"
			     "	xorl %[err], %[err]\n"
			     "	jmp 3f\n"
			     "2:	movl %[efault], %[err]\n"
			     "3:\n"
			     _ASM_EXTABLE(1b, 2b)
			     : [err] "=r"(err)
			     : [addr] "r"(addr), [v] "q"(val), [efault] "i"(-EFAULT)
			     : "memory");
	return err;
}

/* Where a faulting exec probe resumes, and the stack it resumes on. */
/* Global, not static: the assembly below refers to them by name. */
volatile unsigned long exec_probe_target, exec_probe_resume, exec_probe_rsp;

int probe_exec(const void *addr);
__asm__(
	"	.text\n"
	"	.globl probe_exec\n"
	"probe_exec:\n"
	"	pushq %rbp\n"
	"	movq %rsp, %rbp\n"
	"	movq %rdi, exec_probe_target(%rip)\n"
	"	leaq 1f(%rip), %rax\n"
	"	movq %rax, exec_probe_resume(%rip)\n"
	"	movq %rsp, exec_probe_rsp(%rip)\n"
	"	call *%rdi\n"
	"	movq $0, exec_probe_target(%rip)\n"
	"	xorl %eax, %eax\n"
	"	popq %rbp\n"
	"	ret\n"
	"1:	movq $0, exec_probe_target(%rip)\n"
	"	movl $-14, %eax\n"
	"	popq %rbp\n"
	"	ret\n");

bool probe_exec_fixup(struct pt_regs *regs, u64 cr2)
{
	if (regs->vector != X86_TRAP_PF || !(regs->error_code & X86_PF_INSTR) ||
	    !exec_probe_target || regs->rip != exec_probe_target)
		return false;
	regs->rip = exec_probe_resume;
	regs->rsp = exec_probe_rsp;
	return true;
}

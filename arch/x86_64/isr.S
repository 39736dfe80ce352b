/* SPDX-License-Identifier: MIT */
/*
 * Exception entry stubs for vectors 0-31. Each pushes a dummy error code when
 * the CPU does not push one, then its vector, then every general register,
 * building a struct pt_regs (arch/x86_64/traps.h), and calls
 * do_exception(regs). If it returns, the registers (possibly changed by a
 * fixup) are restored and iretq resumes.
 */
	.text

.macro ISR_NOERR vec
	.globl isr\vec
isr\vec:
	pushq $0
	pushq $\vec
	jmp isr_common
.endm

.macro ISR_ERR vec
	.globl isr\vec
isr\vec:
	pushq $\vec
	jmp isr_common
.endm

ISR_NOERR 0
ISR_NOERR 1
ISR_NOERR 2
ISR_NOERR 3
ISR_NOERR 4
ISR_NOERR 5
ISR_NOERR 6
ISR_NOERR 7
ISR_ERR   8
ISR_NOERR 9
ISR_ERR   10
ISR_ERR   11
ISR_ERR   12
ISR_ERR   13
ISR_ERR   14
ISR_NOERR 15
ISR_NOERR 16
ISR_ERR   17
ISR_NOERR 18
ISR_NOERR 19
ISR_NOERR 20
ISR_ERR   21
ISR_NOERR 22
ISR_NOERR 23
ISR_NOERR 24
ISR_NOERR 25
ISR_NOERR 26
ISR_NOERR 27
ISR_NOERR 28
ISR_ERR   29
ISR_ERR   30
ISR_NOERR 31

/*
 * The wake-up IPI and the local APIC's spurious vector (smp.c): both arrive
 * only while an idle AP sits in `sti; hlt`, and waking it is all they are
 * for. smp.c signals the end of interrupt after the hlt; a spurious
 * interrupt needs none (SDM Vol. 3A, 10.9).
 */
	.globl isr_wakeup
isr_wakeup:
	iretq

isr_common:
	cld
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi
	/*
	 * A frame for the interrupted code, so backtraces show the function
	 * that faulted: return address = its RIP, saved RBP = its RBP. The
	 * CPU aligned RSP to 16 before its frame; 22 quadwords pushed since
	 * plus these 2 keep it aligned for the call.
	 */
	movq %rsp, %rbx
	pushq 17*8(%rdi)            /* pt_regs.rip */
	pushq %rbp
	movq %rsp, %rbp
	call do_exception
	movq %rbx, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp /* vector and error code */
	iretq

	.section .rodata
	.balign 8
	.globl isr_table
isr_table:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad isr\n
	.endr

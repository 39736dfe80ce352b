/* SPDX-License-Identifier: MIT */
/*
 * The application processors' way in (see the top of smp.c).
 *
 * trampoline_start .. trampoline_end is a template: smp.c copies it to a page
 * below 1 MiB and sends a STARTUP IPI whose vector is that page's number, so
 * an AP starts here in real mode with CS = page << 8, IP = 0. The code uses
 * only offsets from trampoline_start and the page's base, which it computes
 * from CS into %ebx, so the copy may sit in any such page; it never runs in
 * place (it lives in .rodata).
 *
 *   real mode        load the template's GDT, set CR0.PE (clear CD/NW: after
 *                    INIT the caches are off)
 *   protected mode   CR4.PAE (and CR4.LA57 when the BSP runs 5-level),
 *                    CR3 = the boot tables the BSP chose (boot_pgtable_phys:
 *                    they identity-map this page and map the kernel image),
 *                    EFER.LME (|NXE where the CPU has NX), CR0.PG|WP
 *   long mode        jump to smp_ap_start64 in the higher half, which takes
 *                    the kernel's own page tables and the stack smp.c chose
 *
 * tr_progress records how far an AP got (1 real mode, 2 protected mode,
 * 3 long mode), for smp.c's report when one never comes online.
 */
#include "layout.h"
#include "segment.h"

#define PHYS(sym)     ((sym) - __START_KERNEL_map)
#define TR(sym)       ((sym) - trampoline_start)

#define CR0_PE   (1 << 0)
#define CR0_NW   (1 << 29)
#define CR0_CD   (1 << 30)
#define CR0_PG   (1 << 31)
#define CR0_WP   (1 << 16)
#define CR4_PAE  (1 << 5)
#define CR4_LA57 (1 << 12)
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)

#define TR_CODE32 0x08
#define TR_DATA   0x10
#define TR_CODE64 0x18

	.section .rodata.trampoline, "a"
	.balign 16
	.globl trampoline_start, trampoline_end, tr_progress

	.code16
trampoline_start:
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	movb $1, TR(tr_progress)
	xorl %ebx, %ebx
	movw %ax, %bx
	shll $4, %ebx                   /* %ebx = physical base of this page */

	/* The three addresses that depend on where the page is. */
	leal TR(tr_gdt)(%ebx), %eax
	movl %eax, TR(tr_gdtr) + 2
	leal TR(tr_pm32)(%ebx), %eax
	movl %eax, TR(tr_pm_jump)
	leal TR(tr_lm64)(%ebx), %eax
	movl %eax, TR(tr_lm_jump)

	lgdtl TR(tr_gdtr)
	movl %cr0, %eax
	andl $~(CR0_CD | CR0_NW), %eax
	orl $CR0_PE, %eax
	movl %eax, %cr0
	ljmpl *TR(tr_pm_jump)

	.code32
tr_pm32:
	movl $TR_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movb $2, TR(tr_progress)(%ebx)

	movl %cr4, %eax
	orl $CR4_PAE, %eax
	orl PHYS(boot_cr4_la57), %eax
	movl %eax, %cr4
	movl PHYS(boot_pgtable_phys), %eax
	movl %eax, %cr3
	movl %ebx, %ebp                 /* cpuid clobbers %ebx */
	movl $0x80000001, %eax
	cpuid
	movl %ebp, %ebx
	movl $EFER_LME, %esi
	testl $(1 << 20), %edx          /* NX */
	jz 1f
	orl $EFER_NXE, %esi
1:	movl $MSR_EFER, %ecx
	rdmsr
	orl %esi, %eax
	wrmsr
	movl %cr0, %eax
	orl $(CR0_PG | CR0_WP), %eax
	movl %eax, %cr0
	ljmpl *TR(tr_lm_jump)(%ebx)

	.code64
tr_lm64:
	movl %ebx, %ebx                 /* upper halves are undefined after the switch */
	movb $3, TR(tr_progress)(%rbx)
	movabsq $smp_ap_start64, %rax
	jmp *%rax

	.balign 8
tr_gdt:
	.quad 0
	.quad GDT_DESC_CODE32           /* TR_CODE32 */
	.quad GDT_DESC_DATA             /* TR_DATA */
	.quad GDT_DESC_CODE64           /* TR_CODE64 */
tr_gdt_end:
	.balign 4
tr_gdtr:
	.short tr_gdt_end - tr_gdt - 1
	.long 0                         /* base, set above */
	.balign 4
tr_pm_jump:                             /* far pointer: offset, selector */
	.long 0
	.short TR_CODE32
	.balign 4
tr_lm_jump:
	.long 0
	.short TR_CODE64
tr_progress:
	.byte 0
trampoline_end:

/*
 * In the higher half, still on boot_pml4 and the trampoline's GDT. Switch to
 * the kernel's page tables (the AP's stack is in vmalloc space, which only
 * they map), take the stack and CPU number smp.c published, and call
 * smp_ap_main(cpu), which loads this CPU's own GDT, TSS and IDT first.
 */
	.text
	.globl smp_ap_start64
smp_ap_start64:
	movq kernel_pml4_phys(%rip), %rax
	movq %rax, %cr3
	movq smp_boot_stack_top(%rip), %rsp
	xorl %ebp, %ebp
	movl smp_boot_cpu(%rip), %edi
	call smp_ap_main
1:	cli
	hlt
	jmp 1b

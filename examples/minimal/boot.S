/* SPDX-License-Identifier: MIT */
/*
 * The example kernel's entry: GRUB (Multiboot2) leaves us in 32-bit
 * protected mode with paging off. Build page tables for our layout, enter
 * long mode, jump to the higher half and call kmain(mbi_phys).
 *
 * Boot page tables, all with 2 MiB pages over the first 1 GiB of RAM:
 *   PML4[0]   -> pdpt_low  [0]   -> pd   identity (until we are high)
 *   PML4[256] -> pdpt_low  [0]   -> pd   direct map at 0xffff800000000000
 *   PML4[511] -> pdpt_high [510] -> pd   image at 0xffffffff80000000
 */
#define KERNEL_VMA 0xffffffff80000000
#define PHYS(x) ((x) - KERNEL_VMA)

	.section .multiboot, "a"
	.align 8
mb2_header:
	.long 0xe85250d6                /* magic */
	.long 0                         /* architecture: i386 */
	.long mb2_end - mb2_header
	.long -(0xe85250d6 + (mb2_end - mb2_header))
	.align 8
	.short 0, 0                     /* end tag */
	.long 8
mb2_end:

	.section .text.boot, "ax"
	.code32
	.globl _start
_start:
	cli
	movl %ebx, %edi                 /* the Multiboot2 information, physical */

	/* pd: 512 x 2 MiB, present, writable, large */
	movl $PHYS(pd), %edx
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $0x83, %eax
	movl %eax, (%edx, %ecx, 8)
	movl $0, 4(%edx, %ecx, 8)
	incl %ecx
	cmpl $512, %ecx
	jne 1b

	movl $PHYS(pd) + 3, %eax
	movl %eax, PHYS(pdpt_low)
	movl %eax, PHYS(pdpt_high) + 510 * 8
	movl $PHYS(pdpt_low) + 3, %eax
	movl %eax, PHYS(pml4)
	movl %eax, PHYS(pml4) + 256 * 8
	movl $PHYS(pdpt_high) + 3, %eax
	movl %eax, PHYS(pml4) + 511 * 8

	movl $PHYS(pml4), %eax
	movl %eax, %cr3
	movl %cr4, %eax
	orl $(1 << 5), %eax             /* PAE */
	movl %eax, %cr4
	movl $0xc0000080, %ecx          /* EFER: long mode, no-execute */
	rdmsr
	orl $((1 << 8) | (1 << 11)), %eax
	wrmsr
	movl %cr0, %eax
	orl $0x80000001, %eax           /* paging, protection */
	movl %eax, %cr0
	lgdt gdt_ptr
	ljmp $0x08, $long_entry

	.code64
long_entry:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movl %edi, %edi                 /* zero-extend the boot info address */
	movabsq $stack_top, %rsp
	movabsq $kmain, %rax
	call *%rax                      /* rdi = the Multiboot2 information */
2:	cli
	hlt
	jmp 2b

	.section .data.boot, "a"          /* read-only: the accessed bits are preset */
	.align 16
gdt:
	.quad 0
	.quad 0x00af9b000000ffff        /* 0x08: 64-bit code */
	.quad 0x00cf93000000ffff        /* 0x10: data */
gdt_ptr:
	.short gdt_ptr - gdt - 1
	.long gdt

	.section .bss
	.align 4096
	.globl pml4
pml4:	.skip 4096
pdpt_low:	.skip 4096
pdpt_high:	.skip 4096
pd:	.skip 4096
	.align 16
stack:	.skip 16384
stack_top:

/* SPDX-License-Identifier: MIT */
/*
 * The kernel's first instructions, for both ways in:
 *
 *   _start32  GRUB (Multiboot2): 32-bit protected mode, paging off,
 *             EAX = 0x36D76289, EBX = physical address of the boot information.
 *   entry64   our GNU-EFI loader (boot/efi_handoff.h): 64-bit mode on the
 *             firmware's identity map, RDI = KMM_EFI_HANDOFF_MAGIC,
 *             RSI = physical address of the hand-off.
 *
 * Both switch to the boot page tables below, which map
 *   - the low 4 GiB identity (so this code keeps running where it is loaded),
 *   - the same 4 GiB at PAGE_OFFSET (the direct map, so early C code can use
 *     __va() on boot data and on memblock allocations below 4 GiB), and
 *   - the first 1 GiB at __START_KERNEL_map (the kernel image),
 * all with 2 MiB pages. They are built at assembly time, so no code has to
 * run before the tables exist. mm/ later replaces them with the real ones.
 *
 * Then both jump to the higher-half address of start64_high and call
 * kmain(magic, info_phys).
 */
#include "layout.h"
#include "segment.h"

#define MB2_HEADER_MAGIC   0xe85250d6
#define MB2_BOOT_MAGIC     0x36d76289
#define MB2_ARCH_I386      0
#define KMM_ENTRY_HEADER_MAGIC 0x34367972746e456b

#define PHYS(sym)          ((sym) - __START_KERNEL_map)

#define PTE_P   0x001
#define PTE_W   0x002
#define PTE_PS  0x080

#define CR0_PG  (1 << 31)
#define CR0_WP  (1 << 16)
#define CR4_PAE (1 << 5)
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)

#define COM1 0x3f8

/* ---- Multiboot2 header: first thing in the image, 8-byte aligned ---- */
	.section .multiboot, "a"
	.balign 8
mb2_header:
	.long MB2_HEADER_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* end tag */
	.balign 8
	.short 0
	.short 0
	.long 8
mb2_header_end:

	/* For the EFI loader: where the 64-bit entry is (boot/efi_handoff.h). */
	.balign 8
	.globl kmm_entry_header
kmm_entry_header:
	.quad KMM_ENTRY_HEADER_MAGIC
	.quad PHYS(entry64)

/* ---- 32-bit entry from GRUB ---- */
	.section .text.boot, "ax"
	.code32
	.globl _start32
_start32:
	cli
	cld
	movl $PHYS(boot_stack_top), %esp
	movl %eax, PHYS(boot_magic)
	movl %ebx, PHYS(boot_info_phys)

	cmpl $MB2_BOOT_MAGIC, %eax
	jne .Lno_multiboot

	/* CPUID present? (EFLAGS.ID toggles) */
	pushfl
	popl %eax
	movl %eax, %ecx
	xorl $(1 << 21), %eax
	pushl %eax
	popfl
	pushfl
	popl %eax
	pushl %ecx
	popfl
	cmpl %eax, %ecx
	je .Lno_long_mode

	/* Long mode (CPUID 0x80000001 EDX bit 29)? */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb .Lno_long_mode
	movl $0x80000001, %eax
	cpuid
	testl $(1 << 29), %edx
	jz .Lno_long_mode
	testl $(1 << 20), %edx      /* NX: our page tables rely on it */
	jz .Lno_nx

	/* PAE, then EFER.LME|NXE, then the boot tables and paging + WP. */
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4

	movl $MSR_EFER, %ecx
	rdmsr
	orl $(EFER_LME | EFER_NXE), %eax
	wrmsr

	movl $PHYS(boot_pml4), %eax
	movl %eax, %cr3

	movl %cr0, %eax
	orl $(CR0_PG | CR0_WP), %eax
	movl %eax, %cr0

	lgdt PHYS(boot_gdt_ptr)
	ljmp $KERNEL_CS, $PHYS(start64_low)

.Lno_multiboot:
	movl $PHYS(msg_no_multiboot), %esi
	jmp .Lfatal32
.Lno_nx:
	movl $PHYS(msg_no_nx), %esi
	jmp .Lfatal32
.Lno_long_mode:
	movl $PHYS(msg_no_long_mode), %esi
	/* fall through */

/* Print the NUL-terminated string at %esi on COM1 and VGA text, then halt. */
.Lfatal32:
	movl $0xb8000, %edi
1:	movb (%esi), %al
	testb %al, %al
	jz 3f
	movb %al, %bl
	movw $(COM1 + 5), %dx       /* wait for the transmitter */
2:	inb %dx, %al
	testb $0x20, %al
	jz 2b
	movw $COM1, %dx
	movb %bl, %al
	outb %al, %dx
	movb %bl, (%edi)
	movb $0x4f, 1(%edi)         /* white on red */
	addl $2, %edi
	incl %esi
	jmp 1b
3:	cli
	hlt
	jmp 3b

/* ---- 64-bit entry from the EFI loader ---- */
	.code64
	.globl entry64
entry64:
	cli
	cld
	/* Running at the physical address: RIP-relative gives physical. */
	leaq boot_stack_top(%rip), %rsp
	movq %rdi, boot_magic(%rip)
	movq %rsi, boot_info_phys(%rip)

	movl $0x80000001, %eax
	cpuid
	testl $(1 << 20), %edx
	jz .Lno_nx64

	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_NXE, %eax
	wrmsr

	leaq boot_pml4(%rip), %rax
	movq %rax, %cr3

	/* Our GDT, at its physical address, then reload CS with a far return. */
	leaq boot_gdt(%rip), %rax
	movq %rax, boot_gdt_ptr64+2(%rip)
	lgdt boot_gdt_ptr64(%rip)
	leaq start64_low(%rip), %rax
	pushq $KERNEL_CS
	pushq %rax
	lretq

/* No NX under UEFI: say so on COM1 (the firmware console is gone), halt. */
.Lno_nx64:
	leaq msg_no_nx(%rip), %rsi
1:	movb (%rsi), %bl
	testb %bl, %bl
	jz 3f
	movw $(COM1 + 5), %dx
2:	inb %dx, %al
	testb $0x20, %al
	jz 2b
	movw $COM1, %dx
	movb %bl, %al
	outb %al, %dx
	incq %rsi
	jmp 1b
3:	cli
	hlt
	jmp 3b

/* ---- 64-bit, still at the physical address: go to the higher half ---- */
start64_low:
	movl $KERNEL_DS, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movabsq $start64_high, %rax
	jmp *%rax

	.text
start64_high:
	movabsq $boot_stack_top, %rsp
	xorl %ebp, %ebp
#ifdef KMM_KASAN
	call kasan_early_init	/* the image's shadow, before any stack red zone */
#endif
	movq boot_magic(%rip), %rdi
	movq boot_info_phys(%rip), %rsi
	call kmain
1:	cli
	hlt
	jmp 1b

/* ---- data ---- */
	.section .rodata
msg_no_multiboot:
	.asciz "kmm: not booted by a Multiboot2 loader (bad magic in EAX); halting."
msg_no_nx:
	.asciz "kmm: this CPU has no NX (execute-disable) bit; kmm maps memory W^X and needs it. Halting."
msg_no_long_mode:
	.asciz "kmm: this CPU has no 64-bit long mode; kmm needs an x86_64 CPU. Halting."

	.data
	.balign 8
	.globl boot_magic, boot_info_phys
boot_magic:      .quad 0
boot_info_phys:  .quad 0

	/* Flat 64-bit code (KERNEL_CS) and data (KERNEL_DS) descriptors. */
	.balign 16
boot_gdt:
	.quad 0
	.quad GDT_DESC_CODE64
	.quad GDT_DESC_DATA
boot_gdt_end:
boot_gdt_ptr:
	.short boot_gdt_end - boot_gdt - 1
	.long PHYS(boot_gdt)
	.balign 8
boot_gdt_ptr64:
	.short boot_gdt_end - boot_gdt - 1
	.quad 0

/*
 * Boot page tables. PML4 indexes: 0 (identity), 273 (PAGE_OFFSET),
 * 511 (__START_KERNEL_map, with PDPT index 510).
 */
#define PML4_INDEX(va) (((va) >> 39) & 511)
#define PDPT_INDEX(va) (((va) >> 30) & 511)

	.section .data.page_aligned, "aw"
	.balign 4096
	.globl boot_pml4
boot_pml4:
	.quad PHYS(boot_pdpt_low) + (PTE_P | PTE_W)
	.fill PML4_INDEX(PAGE_OFFSET) - 1, 8, 0
	.quad PHYS(boot_pdpt_low) + (PTE_P | PTE_W)
	.fill 511 - PML4_INDEX(PAGE_OFFSET) - 1, 8, 0
	.quad PHYS(boot_pdpt_high) + (PTE_P | PTE_W)

boot_pdpt_low:
	.quad PHYS(boot_pd) + 0x0000 + (PTE_P | PTE_W)
	.quad PHYS(boot_pd) + 0x1000 + (PTE_P | PTE_W)
	.quad PHYS(boot_pd) + 0x2000 + (PTE_P | PTE_W)
	.quad PHYS(boot_pd) + 0x3000 + (PTE_P | PTE_W)
	.fill 508, 8, 0

boot_pdpt_high:
	.fill PDPT_INDEX(__START_KERNEL_map), 8, 0
	.quad PHYS(boot_pd) + (PTE_P | PTE_W)
	.fill 511 - PDPT_INDEX(__START_KERNEL_map), 8, 0

	/* 2048 x 2 MiB = the low 4 GiB. */
boot_pd:
	.set i, 0
	.rept 2048
	.quad (i << 21) + (PTE_P | PTE_W | PTE_PS)
	.set i, i + 1
	.endr

/* The boot stack, with an unmapped guard page below it once mm/ runs. */
	.section .bss.page_aligned, "aw", @nobits
	.balign 4096
	.globl boot_stack_guard, boot_stack_bottom, boot_stack_top
boot_stack_guard:
	.skip 4096
boot_stack_bottom:
	.skip 16384
boot_stack_top:

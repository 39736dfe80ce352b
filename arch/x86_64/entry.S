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
 *   - the low 4 GiB identity (so this code keeps running where it is loaded,
 *     and early C code reaches boot data through __va() while
 *     page_offset_base is still 0), and
 *   - the first 1 GiB at __START_KERNEL_map (the kernel image),
 * all with 2 MiB pages. They are built at assembly time, so no code has to
 * run before the tables exist. The direct map's base is chosen at run time
 * (mem_layout.c maps the low 4 GiB there too, in these tables), and mm/
 * later replaces them with the real ones.
 *
 * Paging starts 4-level (boot_pml4), unless the EFI firmware handed over
 * with CR4.LA57 already set (then boot_pml5, whose first and last entries
 * lead to boot_pml4 as a P4D). Switching between the two needs paging off:
 * paging_mode_switch() below does it from kmain, as Linux's 32-bit trampoline
 * does. A CPU without NX is accepted: EFER.NXE is set only where it exists.
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
#define CR4_LA57 (1 << 12)
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)

#define COM1 0x3f8

/* boot_gdt's 32-bit code segment, for paging_mode_switch(). */
#define BOOT_CS32 0x18

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
	movl $EFER_LME, %esi
	testl $(1 << 20), %edx      /* NX, where the CPU has it */
	jz 1f
	orl $EFER_NXE, %esi
1:
	/* PAE, then EFER.LME (|NXE), then the boot tables and paging + WP. */
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4

	movl $MSR_EFER, %ecx
	rdmsr
	orl %esi, %eax
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
	jz 1f
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_NXE, %eax
	wrmsr
1:
	/* The firmware's paging depth stays until kmain decides. */
	leaq boot_pml4(%rip), %rax
	movq %cr4, %rcx
	testl $CR4_LA57, %ecx
	jz 2f
	leaq boot_pml5(%rip), %rax
	movl $CR4_LA57, boot_cr4_la57(%rip)
2:	movl %eax, boot_pgtable_phys(%rip)
	movq %rax, %cr3

	/* Our GDT, at its physical address, then reload CS with a far return. */
	leaq boot_gdt(%rip), %rax
	movq %rax, boot_gdt_ptr64+2(%rip)
	lgdt boot_gdt_ptr64(%rip)
	leaq start64_low(%rip), %rax
	pushq $KERNEL_CS
	pushq %rax
	lretq

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

/*
 * void paging_mode_switch(u32 top_phys, u32 cr4_la57)
 *
 * Enter 5-level paging (cr4_la57 = CR4.LA57) or 4-level (0) with the boot
 * table at top_phys (below 4 GiB, identity-mapping the kernel image and
 * mapping it at __START_KERNEL_map). CR4.LA57 may change only with paging
 * off, and paging may go off only outside 64-bit mode: so drop to 32-bit
 * compatibility mode on the identity map, turn paging off (the CPU leaves
 * long mode; EFER.LME stays set), set CR4.LA57 and CR3, turn paging on
 * (back in long mode, now at the new depth) and return through the higher
 * half. Interrupts must be off. The caller's GDT is saved and restored; the
 * switch runs on boot_gdt, at its physical address, which has the 32-bit
 * code segment. FS and GS are not reloaded; the caller rewrites their base
 * MSRs afterwards, in case the trip through legacy mode cut them to 32 bits.
 */
	.globl paging_mode_switch
paging_mode_switch:
	pushq %rbp
	movq %rsp, %rbp
	sgdt saved_gdtr(%rip)
	lgdt switch_gdt_ptr(%rip)
	movl %esi, %edx
	pushq $BOOT_CS32
	movl $PHYS(.Lswitch32), %eax
	pushq %rax
	lretq

	.code32
.Lswitch32:
	movl %cr0, %eax
	andl $~CR0_PG, %eax
	movl %eax, %cr0
	movl %cr4, %eax
	andl $~CR4_LA57, %eax
	orl %edx, %eax
	movl %eax, %cr4
	movl %edi, %cr3
	movl %cr0, %eax
	orl $CR0_PG, %eax
	movl %eax, %cr0
	ljmp $KERNEL_CS, $PHYS(.Lswitch64)

	.code64
.Lswitch64:
	movabsq $.Lswitch_high, %rax
	jmp *%rax
.Lswitch_high:
	lgdt saved_gdtr(%rip)
	pushq $KERNEL_CS
	leaq 1f(%rip), %rax
	pushq %rax
	lretq
1:	movl $KERNEL_DS, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	popq %rbp
	ret

/* ---- data ---- */
	.section .rodata
msg_no_multiboot:
	.asciz "kmm: not booted by a Multiboot2 loader (bad magic in EAX); halting."
msg_no_long_mode:
	.asciz "kmm: this CPU has no 64-bit long mode; kmm needs an x86_64 CPU. Halting."

	.data
	.balign 8
	.globl boot_magic, boot_info_phys
boot_magic:      .quad 0
boot_info_phys:  .quad 0

	/*
	 * The boot page tables in use (boot_pml4 or boot_pml5) and whether
	 * they are 5-level: the AP trampoline starts each CPU on them.
	 */
	.globl boot_pgtable_phys, boot_cr4_la57
boot_pgtable_phys: .long PHYS(boot_pml4)
boot_cr4_la57:     .long 0

	.balign 8
saved_gdtr:
	.short 0
	.quad 0

	/* Flat 64-bit code (KERNEL_CS) and data (KERNEL_DS) descriptors. */
	.balign 16
boot_gdt:
	.quad 0
	.quad GDT_DESC_CODE64
	.quad GDT_DESC_DATA
	.quad GDT_DESC_CODE32           /* BOOT_CS32 */
boot_gdt_end:
boot_gdt_ptr:
	.short boot_gdt_end - boot_gdt - 1
	.long PHYS(boot_gdt)
	.balign 8
boot_gdt_ptr64:
	.short boot_gdt_end - boot_gdt - 1
	.quad 0
	.balign 8
switch_gdt_ptr:
	.short boot_gdt_end - boot_gdt - 1
	.quad PHYS(boot_gdt)

/*
 * Boot page tables. PML4 indexes: 0 (identity), 511 (__START_KERNEL_map,
 * with PDPT index 510). With LA57, boot_pml5's entries 0 and 511 lead to
 * boot_pml4, which then serves as the P4D of both ends of the space.
 */
#define PDPT_INDEX(va) (((va) >> 30) & 511)

	.section .data.page_aligned, "aw"
	.balign 4096
	.globl boot_pml4, boot_pml5, boot_pd
boot_pml4:
	.quad PHYS(boot_pdpt_low) + (PTE_P | PTE_W)
	.fill 510, 8, 0
	.quad PHYS(boot_pdpt_high) + (PTE_P | PTE_W)

boot_pml5:
	.quad PHYS(boot_pml4) + (PTE_P | PTE_W)
	.fill 510, 8, 0
	.quad PHYS(boot_pml4) + (PTE_P | PTE_W)

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

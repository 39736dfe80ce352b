/* SPDX-License-Identifier: MIT */
/* Exceptions: the saved register frame, IDT/GDT/TSS setup, the fixup table. */
#ifndef ARCH_X86_64_TRAPS_H
#define ARCH_X86_64_TRAPS_H

#include "kmm/types.h"
#include "kmm/compiler.h"

/* The frame isr.S builds: general registers, vector, error code, CPU frame. */
struct pt_regs {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error_code;
	u64 rip, cs, rflags, rsp, ss;
};

enum x86_vector {
	X86_TRAP_DE = 0, X86_TRAP_DB, X86_TRAP_NMI, X86_TRAP_BP, X86_TRAP_OF,
	X86_TRAP_BR, X86_TRAP_UD, X86_TRAP_NM, X86_TRAP_DF, X86_TRAP_OLD_MF,
	X86_TRAP_TS, X86_TRAP_NP, X86_TRAP_SS, X86_TRAP_GP, X86_TRAP_PF,
	X86_TRAP_SPURIOUS, X86_TRAP_MF, X86_TRAP_AC, X86_TRAP_MC, X86_TRAP_XF,
	X86_TRAP_VE, X86_TRAP_CP,
};

/* #PF error code bits. */
#define X86_PF_PROT  BIT(0) /* 0: not present, 1: protection violation */
#define X86_PF_WRITE BIT(1)
#define X86_PF_USER  BIT(2)
#define X86_PF_RSVD  BIT(3)
#define X86_PF_INSTR BIT(4)
#define X86_PF_PK    BIT(5)

/* Load the GDT (with a TSS whose IST1 serves #DF), the IDT, and enable traps. */
void traps_init(void);
/*
 * On application processor @cpu (1 .. NR_CPUS-1): load its own GDT and TSS,
 * with IST1 at @df_stack_top, and the IDT traps_init() filled.
 */
void traps_init_ap(unsigned int cpu, unsigned long df_stack_top);
/*
 * Make interrupt vector @vec (32..255) do nothing but return: for the IPI
 * that wakes an idle AP from hlt (smp.c), which signals its own EOI.
 */
void traps_set_wakeup_gate(unsigned int vec);

/*
 * Exception fixup table, as Linux's __ex_table: an instruction that may
 * fault is listed with a recovery address. When it faults, the trap handler
 * resumes at the recovery address instead of reporting a crash, and records
 * what happened in the per-CPU trap_record below.
 */
struct exception_table_entry {
	s32 insn;  /* relative to &entry->insn */
	s32 fixup; /* relative to &entry->fixup */
};

#define _ASM_EXTABLE(from, to)                       \
	" .pushsection __ex_table, \"a\"\n"          \
	" .balign 4\n"                               \
	" .long (" #from ") - .\n"                   \
	" .long (" #to ") - .\n"                     \
	" .popsection\n"

const struct exception_table_entry *search_exception_tables(unsigned long ip);

/* What the last fixed-up (expected) exception was. */
struct trap_record {
	u64 count;     /* fixed-up exceptions so far */
	u64 vector;
	u64 error_code;
	u64 rip;
	u64 cr2;
};
extern struct trap_record last_trap;

/* Print a register dump like Linux's oops. */
void show_regs(const struct pt_regs *regs);
/* Walk frame pointers from @rbp, printing "[<addr>] symbol+off/size". */
void show_backtrace(unsigned long rbp, unsigned long rip);

#endif /* ARCH_X86_64_TRAPS_H */

// SPDX-License-Identifier: MIT
/*
 * Exceptions: the GDT and TSS (IST1 gives #DF its own stack), the IDT for the
 * 32 architectural vectors, and do_exception(), which either recovers (an
 * expected fault listed in __ex_table, an exec probe, a breakpoint) or
 * reports the exception the way Linux reports an oops and panics.
 *
 * Every CPU has its own GDT and TSS (cpu_tables[cpu]): a TSS holds the CPU's
 * IST stacks, and `ltr` marks its descriptor busy, so two CPUs cannot share
 * one. The IDT is shared; the boot CPU fills it once.
 */
#include "arch/x86_64/traps.h"
#include "arch/x86_64/segment.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/probe.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/percpu.h"
#include "mm/port.h"
#include "mm/kfence.h"
#include "kmm/printk.h"
#include "kmm/assert.h"
#include "kmm/string.h"


struct tss {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __packed;
_Static_assert(sizeof(struct tss) == 104, "TSS layout");

struct idt_entry {
	u16 offset_low;
	u16 selector;
	u8 ist;
	u8 type_attr;
	u16 offset_mid;
	u32 offset_high;
	u32 zero;
} __packed;
_Static_assert(sizeof(struct idt_entry) == 16, "IDT entry layout");

struct desc_ptr {
	u16 limit;
	u64 base;
} __packed;

#define DF_STACK_SIZE 8192

/* One CPU's descriptor tables: null, code, data, then the 16-byte TSS descriptor. */
struct cpu_tables {
	u64 gdt[5];
	struct tss tss;
} __aligned(64);

static struct cpu_tables cpu_tables[NR_CPUS];
static struct idt_entry idt[256] __aligned(16);
static u8 df_stack[DF_STACK_SIZE] __aligned(16);

struct trap_record last_trap;

extern const u64 isr_table[32];
extern const struct exception_table_entry __start___ex_table[];
extern const struct exception_table_entry __stop___ex_table[];
extern char boot_stack_guard[], boot_stack_bottom[], boot_stack_top[];

static const char *const vector_names[32] = {
	"divide error", "debug", "NMI", "int3", "overflow", "bounds",
	"invalid opcode", "device not available", "double fault",
	"coprocessor segment overrun", "invalid TSS", "segment not present",
	"stack segment", "general protection fault", "page fault", "spurious",
	"x87 floating point", "alignment check", "machine check",
	"SIMD floating point", "virtualization", "control protection",
	"reserved", "reserved", "reserved", "reserved", "reserved",
	"reserved", "hypervisor injection", "VMM communication", "security",
	"reserved",
};

static const char *const vector_mnemonics[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#MF9",
	"#TS", "#NP", "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM",
	"#VE", "#CP", "#22", "#23", "#24", "#25", "#26", "#27", "#HV", "#VC",
	"#SX", "#31",
};

static void set_gate(unsigned int vec, u64 handler, u8 ist)
{
	struct idt_entry *e = &idt[vec];

	e->offset_low = handler & 0xffff;
	e->selector = KERNEL_CS;
	e->ist = ist;
	e->type_attr = DESC_INTERRUPT_GATE;
	e->offset_mid = (handler >> 16) & 0xffff;
	e->offset_high = handler >> 32;
	e->zero = 0;
}

/* Build CPU @cpu's GDT and TSS, load them, and reload the segment registers. */
static void load_cpu_tables(unsigned int cpu, unsigned long df_stack_top)
{
	struct cpu_tables *ct = &cpu_tables[cpu];
	u64 *gdt = ct->gdt;
	struct desc_ptr gdtr;
	u64 base = (u64)&ct->tss, limit = sizeof(ct->tss) - 1;

	ct->tss.ist[0] = df_stack_top;
	ct->tss.iomap_base = sizeof(ct->tss);

	gdt[0] = 0;
	gdt[1] = GDT_DESC_CODE64;
	gdt[2] = GDT_DESC_DATA;
	gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		 ((u64)DESC_TSS_AVAILABLE << 40) | (((limit >> 16) & 0xf) << 48) |
		 (((base >> 24) & 0xff) << 56);
	gdt[4] = base >> 32;

	gdtr.limit = sizeof(ct->gdt) - 1;
	gdtr.base = (u64)gdt;
	__asm__ __volatile__(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movl %2, %%eax\n\t"
		"movl %%eax, %%ds\n\t"
		"movl %%eax, %%es\n\t"
		"movl %%eax, %%ss\n\t"
		"ltr %w3\n\t"
		:
		: "m"(gdtr), "i"(KERNEL_CS), "i"(KERNEL_DS), "r"(TSS_SEL)
		: "rax", "memory");
}

static void load_idt(void)
{
	struct desc_ptr idtr;

	idtr.limit = sizeof(idt) - 1;
	idtr.base = (u64)idt;
	__asm__ __volatile__("lidt %0" : : "m"(idtr));
}

void traps_init(void)
{
	unsigned int i;

	load_cpu_tables(0, (unsigned long)(df_stack + DF_STACK_SIZE));
	for (i = 0; i < 32; i++)
		set_gate(i, isr_table[i], i == X86_TRAP_DF ? 1 : 0);
	load_idt();
}

void traps_set_wakeup_gate(unsigned int vec)
{
	extern const char isr_wakeup[];

	ASSERT_MSG(vec >= 32 && vec < ARRAY_SIZE(idt), "vector %u", vec);
	set_gate(vec, (u64)isr_wakeup, 0);
}

void traps_init_ap(unsigned int cpu, unsigned long df_stack_top)
{
	ASSERT_MSG(cpu > 0 && cpu < NR_CPUS, "cpu %u", cpu);
	load_cpu_tables(cpu, df_stack_top);
	load_idt();
}

const struct exception_table_entry *search_exception_tables(unsigned long ip)
{
	const struct exception_table_entry *e;

	for (e = __start___ex_table; e < __stop___ex_table; e++)
		if ((unsigned long)&e->insn + e->insn == ip)
			return e;
	return NULL;
}

void show_regs(const struct pt_regs *r)
{
	printk(KERN_EMERG "RIP: %04llx:%pS\n", (unsigned long long)r->cs,
	       (void *)r->rip);
	printk(KERN_EMERG "RSP: %04llx:%016llx EFLAGS: %08llx\n",
	       (unsigned long long)r->ss, (unsigned long long)r->rsp,
	       (unsigned long long)r->rflags);
	printk(KERN_EMERG "RAX: %016llx RBX: %016llx RCX: %016llx\n",
	       (unsigned long long)r->rax, (unsigned long long)r->rbx,
	       (unsigned long long)r->rcx);
	printk(KERN_EMERG "RDX: %016llx RSI: %016llx RDI: %016llx\n",
	       (unsigned long long)r->rdx, (unsigned long long)r->rsi,
	       (unsigned long long)r->rdi);
	printk(KERN_EMERG "RBP: %016llx R08: %016llx R09: %016llx\n",
	       (unsigned long long)r->rbp, (unsigned long long)r->r8,
	       (unsigned long long)r->r9);
	printk(KERN_EMERG "R10: %016llx R11: %016llx R12: %016llx\n",
	       (unsigned long long)r->r10, (unsigned long long)r->r11,
	       (unsigned long long)r->r12);
	printk(KERN_EMERG "R13: %016llx R14: %016llx R15: %016llx\n",
	       (unsigned long long)r->r13, (unsigned long long)r->r14,
	       (unsigned long long)r->r15);
	printk(KERN_EMERG "CR0: %016lx CR2: %016lx CR3: %016lx CR4: %016lx\n",
	       read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

/* A frame pointer we may follow: inside the kernel's half and aligned. */
static bool frame_ok(unsigned long fp)
{
	return fp >= PAGE_OFFSET && (fp & 7) == 0 && fp < ~0UL - 16 &&
	       probe_read_u64((const void *)fp, NULL) == 0 &&
	       probe_read_u64((const void *)(fp + 8), NULL) == 0;
}

void show_backtrace(unsigned long rbp, unsigned long rip)
{
	unsigned int depth = 0;

	printk(KERN_EMERG "Call Trace:\n");
	if (rip)
		printk(KERN_EMERG " [<%016lx>] %pS\n", rip, (void *)rip);
	while (rbp && depth++ < 32 && frame_ok(rbp)) {
		unsigned long ret = ((unsigned long *)rbp)[1];

		if (!ret)
			break;
		printk(KERN_EMERG " [<%016lx>] %pS\n", ret, (void *)ret);
		rbp = ((unsigned long *)rbp)[0];
	}
}

static void decode_pf(u64 err, u64 cr2)
{
	printk(KERN_EMERG "BUG: unable to handle page fault for address: %016llx\n",
	       (unsigned long long)cr2);
	printk(KERN_EMERG "#PF: supervisor %s access in %s mode\n",
	       err & X86_PF_INSTR ? "instruction fetch" :
	       err & X86_PF_WRITE ? "write" : "read",
	       err & X86_PF_USER ? "user" : "kernel");
	printk(KERN_EMERG "#PF: error_code(0x%04llx) - %s%s\n",
	       (unsigned long long)err,
	       err & X86_PF_PROT ? "permissions violation" : "not-present page",
	       err & X86_PF_RSVD ? ", reserved bit set" : "");
}

static void record_trap(const struct pt_regs *regs, u64 cr2)
{
	last_trap.count++;
	last_trap.vector = regs->vector;
	last_trap.error_code = regs->error_code;
	last_trap.rip = regs->rip;
	last_trap.cr2 = cr2;
}

/*
 * Whether @addr is in the guard page below the boot stack or below this
 * CPU's own stack. Only called on the way to a panic, once the GS base is set.
 */
static bool in_stack_guard(u64 addr)
{
	const struct percpu *pc = this_cpu();

	if (addr >= (u64)boot_stack_guard && addr < (u64)boot_stack_bottom)
		return true;
	return pc && pc->stack_bottom &&
	       addr >= pc->stack_bottom - PAGE_SIZE && addr < pc->stack_bottom;
}

/*
 * Faults an instruction in __ex_table may expect. An NMI, #DB or #MC that
 * happens to land on such an instruction is not the fault it expected.
 */
static bool fixup_allowed(u64 vec)
{
	switch (vec) {
	case X86_TRAP_DE: case X86_TRAP_UD: case X86_TRAP_SS:
	case X86_TRAP_GP: case X86_TRAP_PF: case X86_TRAP_AC:
		return true;
	default:
		return false;
	}
}

void do_exception(struct pt_regs *regs);

void do_exception(struct pt_regs *regs)
{
	const struct exception_table_entry *fix;
	u64 vec = regs->vector;
	u64 cr2 = vec == X86_TRAP_PF || vec == X86_TRAP_DF ? read_cr2() : 0;

	/* A breakpoint is a trap: report it and go on after the int3. */
	if (vec == X86_TRAP_BP) {
		record_trap(regs, 0);
		printk(KERN_INFO "int3: breakpoint at %pS, continuing\n",
		       (void *)(regs->rip - 1));
		return;
	}

	if (fixup_allowed(vec)) {
		fix = search_exception_tables(regs->rip);
		if (fix) {
			record_trap(regs, cr2);
			regs->rip = (unsigned long)&fix->fixup + fix->fixup;
			return;
		}
		if (probe_exec_fixup(regs, cr2)) {
			record_trap(regs, cr2);
			return;
		}
	}
	/* A not-present fault in the KFENCE pool is reported there, then retried. */
	if (vec == X86_TRAP_PF && !(regs->error_code & X86_PF_PROT) &&
	    kfence_handle_page_fault(cr2, regs->error_code & X86_PF_WRITE, regs->rip, regs->rbp))
		return;

	printk(KERN_EMERG "\n");
	if (vec == X86_TRAP_DF && (in_stack_guard(cr2) || in_stack_guard(regs->rsp))) {
		const struct percpu *pc = this_cpu();

		printk(KERN_EMERG "BUG: kernel stack overflow: guard page hit at %016llx (stack %p-%p)\n",
		       (unsigned long long)(in_stack_guard(cr2) ? cr2 : regs->rsp),
		       pc && pc->stack_bottom ? (void *)pc->stack_bottom : (void *)boot_stack_bottom,
		       pc && pc->stack_top ? (void *)pc->stack_top : (void *)boot_stack_top);
	} else if (vec == X86_TRAP_PF) {
		decode_pf(regs->error_code, cr2);
	}
	printk(KERN_EMERG "%s: %s, error code 0x%llx [vector %llu]\n",
	       vec < 32 ? vector_mnemonics[vec] : "?",
	       vec < 32 ? vector_names[vec] : "unknown",
	       (unsigned long long)regs->error_code, (unsigned long long)vec);
	printk(KERN_EMERG "CPU: %u\n", smp_processor_id());
	show_regs(regs);
	show_backtrace(regs->rbp, regs->rip);
	panic("Fatal exception: %s",
	      vec == X86_TRAP_DF && (in_stack_guard(cr2) || in_stack_guard(regs->rsp)) ?
	      "kernel stack overflow" : (vec < 32 ? vector_names[vec] : "unknown"));
}

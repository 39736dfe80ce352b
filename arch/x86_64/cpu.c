// SPDX-License-Identifier: MIT
/* CPU identification, the protections kmm turns on, and leaving QEMU. */
#include "arch/x86_64/cpu.h"
#include "kmm/printk.h"
#include "kmm/string.h"
#include "arch/x86_64/mem_layout.h"
#include "arch/x86_64/layout.h"

struct cpu_features boot_cpu;

void cpu_detect(void)
{
	u32 a, b, c, d, max_ext, i;

	cpuid_count(0, 0, &a, &b, &c, &d);
	memcpy(boot_cpu.vendor, &b, 4);
	memcpy(boot_cpu.vendor + 4, &d, 4);
	memcpy(boot_cpu.vendor + 8, &c, 4);
	boot_cpu.vendor[12] = '\0';
	if (a >= 7) {
		cpuid_count(7, 0, &a, &b, &c, &d);
		boot_cpu.smep = b & BIT(7);
		boot_cpu.smap = b & BIT(20);
		boot_cpu.la57 = c & BIT(16);
		boot_cpu.rdseed = b & BIT(18);
	}
	cpuid_count(1, 0, &a, &b, &c, &d);
	boot_cpu.pge = d & BIT(13);
	boot_cpu.rdrand = c & BIT(30);

	cpuid_count(0x80000000, 0, &max_ext, &b, &c, &d);
	if (max_ext >= 0x80000001) {
		cpuid_count(0x80000001, 0, &a, &b, &c, &d);
		boot_cpu.nx = d & BIT(20);
		boot_cpu.pdpe1gb = d & BIT(26);
	}
	if (max_ext >= 0x80000004) {
		for (i = 0; i < 3; i++) {
			cpuid_count(0x80000002 + i, 0, &a, &b, &c, &d);
			memcpy(boot_cpu.brand + 16 * i, &a, 4);
			memcpy(boot_cpu.brand + 16 * i + 4, &b, 4);
			memcpy(boot_cpu.brand + 16 * i + 8, &c, 4);
			memcpy(boot_cpu.brand + 16 * i + 12, &d, 4);
		}
		boot_cpu.brand[48] = '\0';
	}
	if (max_ext >= 0x80000007) {
		cpuid_count(0x80000007, 0, &a, &b, &c, &d);
		boot_cpu.invariant_tsc = d & BIT(8);
	}
	boot_cpu.phys_addr_bits = 36;
	boot_cpu.virt_addr_bits = 48;
	if (max_ext >= 0x80000008) {
		cpuid_count(0x80000008, 0, &a, &b, &c, &d);
		boot_cpu.phys_addr_bits = a & 0xff;
		boot_cpu.virt_addr_bits = (a >> 8) & 0xff;
	}
}

/*
 * EFER.NXE (where the CPU has NX) and CR0.WP were set on the way in; make
 * sure, and add CR4.PGE,
 * and SMEP/SMAP where the CPU has them (there is no user space yet, but a
 * kernel that forgets them is the one that gets exploited later).
 */
void cpu_enable_protections(void)
{
	unsigned long cr4 = read_cr4();

	if (boot_cpu.nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	write_cr0(read_cr0() | X86_CR0_WP);
	if (boot_cpu.pge)
		cr4 |= X86_CR4_PGE;
	if (boot_cpu.smep)
		cr4 |= X86_CR4_SMEP;
	if (boot_cpu.smap)
		cr4 |= X86_CR4_SMAP;
	write_cr4(cr4);
	pr_info("CPU: %s %s, %u-bit physical, %u-bit virtual addresses (%s)\n",
		boot_cpu.vendor, boot_cpu.brand[0] ? boot_cpu.brand : "",
		boot_cpu.phys_addr_bits, pgtable_l5_enabled() ? 57 : 48,
		paging_mode_reason);
	pr_info("CPU protections: NX %s, WP on, PGE %s, SMEP %s, SMAP %s\n",
		boot_cpu.nx ? "on" :
		"absent (CPU lacks it: no-execute is not enforced)", boot_cpu.pge ? "on" : "absent",
		boot_cpu.smep ? "on" : "absent (CPU lacks it)",
		boot_cpu.smap ? "on" : "absent (CPU lacks it)");
}

__noreturn void qemu_exit(u32 code)
{
	outl(0xf4, code);
	/* Not under QEMU (or no isa-debug-exit device): just stop. */
	halt_forever();
}

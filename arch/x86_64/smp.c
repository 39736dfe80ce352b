// SPDX-License-Identifier: MIT
/*
 * SMP bring-up: start the application processors (APs) and run functions on
 * them.
 *
 * Theory of operation
 * -------------------
 *
 * Finding the CPUs. The ACPI MADT lists every processor's local APIC ID
 * (apic.c parses it and logs one "ACPI: LAPIC" line per entry). We start
 * exactly the enabled entries other than ourselves, so a logical CPU number
 * always belongs to a known APIC ID; we do not broadcast INIT-SIPI-SIPI
 * and count arrivals (that would also wake CPUs the firmware disabled).
 * Without a MADT, or with the APIC in x2APIC mode, kmm stays on the boot CPU.
 * At most NR_CPUS run (the Makefile's KERNEL_MAX_CPUS): with more in the
 * MADT, a warning says how many stay off, and the boot CPU and the first
 * NR_CPUS - 1 others in MADT order are started.
 *
 * Bring-up, one AP at a time, as in the Intel SDM Vol. 3A, 8.4.4.1:
 *
 *   BSP                                          AP
 *   vmalloc a 16 KiB stack and an 8 KiB #DF
 *   stack (unmapped guard pages around both);
 *   publish smp_boot_cpu, smp_boot_stack_top
 *   INIT IPI, wait 10 ms                         reset, waits for SIPI
 *   STARTUP IPI (vector = trampoline page)       real mode at page:0
 *   wait 200 us, STARTUP IPI again, 200 us       (a second SIPI to a running
 *                                                CPU is ignored)
 *                                                trampoline.S: protected mode,
 *                                                long mode on the boot tables,
 *                                                smp_ap_start64: kernel_pml4,
 *                                                its stack, smp_ap_main(cpu):
 *                                                GS base, own GDT/TSS, shared
 *                                                IDT, its local APIC on, the
 *                                                BSP's CR0 and CR4
 *                                                (WP, PGE, SMEP, SMAP), NXE
 *   wait up to 10 s for the online bit <------   set the online bit (release)
 *                                                sleep (hlt) until its mailbox
 *                                                has a call
 *
 * Delays come from PIT channel 2 (udelay() in apic.c), so they hold on real
 * hardware as well as under QEMU. An AP that misses the deadline is reported
 * with how far through the trampoline it got, and bring-up stops there: its
 * stacks and the published boot parameters stay as they are, in case it
 * wakes up later. The APs' MTRRs are the firmware's: INIT keeps them.
 *
 * Trampoline memory. One 4 KiB page below 1 MiB that boot_info calls usable
 * RAM, outside the Multiboot2 information and the RSDP, found by scanning up
 * from TRAMPOLINE_LOWEST. memblock reserved the whole first MiB, so the
 * buddy allocator never hands it out; the direct map covers it (it is RAM),
 * and the boot tables -- still in .data -- identity-map it for the switch to long
 * mode. The page keeps the trampoline after bring-up; nothing else uses it.
 *
 * Per-CPU data. percpu_area[cpu] (percpu.h), one cache line each, holds the
 * CPU's number, APIC ID and stack bounds; IA32_GS_BASE points at it, so
 * mm_cpu_id() is one %gs-relative load. Beside it, in this file, each CPU
 * has a mailbox (its own cache line); in traps.c, its GDT and TSS.
 *
 * Mailboxes. state moves IDLE -> CLAIMED (caller, CAS) -> PENDING (caller,
 * release: fn and arg are visible) -> DONE (AP, release: fn's stores are
 * visible) -> IDLE (caller, after an acquire load of DONE).
 *
 * Idle APs sleep. An AP with nothing to do runs `sti; hlt; cli`, and the
 * caller, after publishing PENDING, sends it the wake-up IPI
 * (SMP_WAKEUP_VECTOR, whose handler only returns; the AP signals the EOI
 * itself). An IPI that arrives before the sti waits in the APIC until the
 * sti, whose one-instruction shadow lets the hlt start first, so a wake-up
 * is never lost. That is the only time interrupts are on: there are no
 * other IRQ handlers. Spinning instead would cost little on hardware, but
 * under QEMU TCG every spinning AP is a busy host thread, and 31 of them
 * on two host cores slow everything, the calls to them most.
 *
 * What an AP may do: anything mm/ allows any CPU (alloc_pages, kmalloc,
 * kmem_cache_*, drain_local_pages, printk), within mm/'s own rule that
 * kmem_cache_shrink/destroy and slab_check must not race with other CPUs
 * using the same cache. What it may not do: rely on exception fixups
 * (last_trap is one global record), or on TLB coherence for kernel mappings
 * that change: kernel_change_prot, kernel_unmap_range and vfree flush only
 * the calling CPU's TLB (there is no shootdown IPI yet), so an AP must not
 * touch vmalloc or fixmap memory that is freed or remapped while it runs.
 * The direct map and the kernel image never change after boot. APs never
 * return to the firmware and are not stopped before qemu_exit.
 */
#define pr_fmt(fmt) "smp: " fmt
#include "arch/x86_64/smp.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/numa.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/traps.h"
#include "arch/x86_64/pgtable.h"
#include "boot/boot_info.h"
#include "boot/multiboot2.h"
#include "mm/port.h"
#include "mm/vmalloc.h"
#include "kmm/printk.h"
#include "kmm/string.h"
#include "kmm/errno.h"

_Static_assert(MM_NR_CPUS == NR_CPUS, "mm/ keeps state for every CPU we start");

#define AP_STACK_SIZE      16384 /* as the boot stack */
#define AP_DF_STACK_SIZE   8192
/*
 * As long as Linux gives an AP (10 s): under QEMU TCG the AP is a host
 * thread, and with dozens of vCPUs on two busy host cores its first
 * instructions can wait for the scheduler for most of a second.
 */
#define AP_BOOT_TIMEOUT_US 10000000
#define INIT_DELAY_US      10000 /* SDM 8.4.4.1: INIT, then 10 ms */
#define SIPI_DELAY_US      200   /* after each STARTUP IPI */
/* Trampoline page: above the real-mode IVT/BDA page, below the EBDA/VGA hole. */
#define TRAMPOLINE_LOWEST  0x1000ULL
#define TRAMPOLINE_LIMIT   0xa0000ULL
#define ONLINE_WORDS       ((NR_CPUS + 63) / 64)
#define SMP_WAKEUP_VECTOR  0xf0 /* above the exceptions, below the spurious 0xff */

enum mailbox_state { MB_IDLE, MB_CLAIMED, MB_PENDING, MB_DONE };

struct smp_mailbox {
	void (*fn)(void *);
	void *arg;
	u32 state; /* enum mailbox_state */
} __aligned(64);

struct percpu percpu_area[NR_CPUS];
bool smp_disabled;

static struct smp_mailbox mailboxes[NR_CPUS];
static u64 online_mask[ONLINE_WORDS] = { 1 };
static u32 nr_online = 1;
static unsigned long bsp_cr0, bsp_cr4;

/* Read by smp_ap_start64 (trampoline.S) on the AP being started. */
unsigned long smp_boot_stack_top;
u32 smp_boot_cpu;

extern const u8 trampoline_start[], trampoline_end[], tr_progress[];
extern char boot_stack_bottom[], boot_stack_top[];
extern u64 boot_magic, boot_info_phys;

__noreturn void smp_ap_main(unsigned int cpu);

void smp_prepare_boot_cpu(void)
{
	struct percpu *pc = &percpu_area[0];

	pc->self = pc;
	pc->cpu_id = 0;
	pc->stack_bottom = (unsigned long)boot_stack_bottom;
	pc->stack_top = (unsigned long)boot_stack_top;
	wrmsr(MSR_GS_BASE, (u64)pc);
}

unsigned int num_online_cpus(void)
{
	return __atomic_load_n(&nr_online, __ATOMIC_ACQUIRE);
}

bool cpu_online(unsigned int cpu)
{
	return cpu < NR_CPUS &&
	       (__atomic_load_n(&online_mask[cpu / 64], __ATOMIC_ACQUIRE) & BIT(cpu % 64));
}

/* ---- calls -------------------------------------------------------------- */

int smp_call_async(unsigned int cpu, void (*fn)(void *), void *arg)
{
	struct smp_mailbox *mb;
	u32 idle = MB_IDLE;

	/*
	 * Only the boot CPU posts: an AP busy running a call does not serve
	 * its own mailbox, so AP-to-AP calls could wait on each other forever,
	 * and with one poster a completion can only be collected by it.
	 */
	if (cpu == 0 || !cpu_online(cpu) || smp_processor_id() != 0)
		return -EINVAL;
	mb = &mailboxes[cpu];
	if (!__atomic_compare_exchange_n(&mb->state, &idle, MB_CLAIMED, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return -EBUSY;
	mb->fn = fn;
	mb->arg = arg;
	__atomic_store_n(&mb->state, MB_PENDING, __ATOMIC_RELEASE);
	/* Fails only with a broken APIC (printed): the AP would sleep on. */
	apic_send_fixed(percpu_area[cpu].apic_id, SMP_WAKEUP_VECTOR);
	return 0;
}

void smp_wait(unsigned int cpu)
{
	struct smp_mailbox *mb;

	if (cpu >= NR_CPUS || smp_processor_id() != 0)
		return;
	mb = &mailboxes[cpu];
	if (__atomic_load_n(&mb->state, __ATOMIC_ACQUIRE) == MB_IDLE)
		return;
	while (__atomic_load_n(&mb->state, __ATOMIC_ACQUIRE) != MB_DONE)
		cpu_relax();
	__atomic_store_n(&mb->state, MB_IDLE, __ATOMIC_RELEASE);
}

int smp_call_on_cpu(unsigned int cpu, void (*fn)(void *), void *arg)
{
	int ret;

	if (cpu < NR_CPUS && cpu == smp_processor_id()) {
		fn(arg);
		return 0;
	}
	/* Another caller's call to @cpu is in flight: it will finish. */
	while ((ret = smp_call_async(cpu, fn, arg)) == -EBUSY)
		cpu_relax();
	if (ret)
		return ret;
	smp_wait(cpu);
	return 0;
}

/* ---- the AP side -------------------------------------------------------- */

static __noreturn void ap_serve_calls(struct smp_mailbox *mb)
{
	for (;;) {
		while (__atomic_load_n(&mb->state, __ATOMIC_ACQUIRE) != MB_PENDING) {
			__asm__ __volatile__("sti; hlt; cli" ::: "memory");
			apic_eoi();
		}
		mb->fn(mb->arg);
		__atomic_store_n(&mb->state, MB_DONE, __ATOMIC_RELEASE);
	}
}

/* First C code on an AP: smp_ap_start64 calls it on the AP's own stack. */
__noreturn void smp_ap_main(unsigned int cpu)
{
	struct percpu *pc = &percpu_area[cpu];
	u32 apic_id;

	wrmsr(MSR_GS_BASE, (u64)pc);
	traps_init_ap(cpu, pc->df_stack_top);
	apic_init_ap();
	write_cr0(bsp_cr0);
	write_cr4(bsp_cr4);
	if (boot_cpu.nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);

	apic_id = apic_read_id();
	if (apic_id != pc->apic_id)
		pr_warn("CPU%u came up with APIC ID %u, the MADT said %u\n",
			cpu, apic_id, pc->apic_id);
	/* Online first, then counted: a counted CPU is always cpu_online(). */
	__atomic_fetch_or(&online_mask[cpu / 64], BIT(cpu % 64), __ATOMIC_RELEASE);
	__atomic_fetch_add(&nr_online, 1, __ATOMIC_RELEASE);
	ap_serve_calls(&mailboxes[cpu]);
}

/* ---- the BSP side ------------------------------------------------------- */

static bool range_is_usable(phys_addr_t base, phys_addr_t size)
{
	unsigned int i;

	for (i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_range *r = &boot_info.mem[i];

		if (r->type == BOOT_MEM_USABLE && base >= r->base &&
		    base + size <= r->base + r->size)
			return true;
	}
	return false;
}

static bool overlaps(phys_addr_t a, phys_addr_t alen, phys_addr_t b, phys_addr_t blen)
{
	return a < b + blen && b < a + alen;
}

/* Copy the trampoline to a free page below 1 MiB; its address, or 0. */
static phys_addr_t trampoline_setup(void)
{
	size_t size = (size_t)(trampoline_end - trampoline_start);
	phys_addr_t mbi = 0, mbi_len = 0, pa;

	BUILD_BUG_ON(AP_STACK_SIZE % PAGE_SIZE || AP_DF_STACK_SIZE % PAGE_SIZE);
	ASSERT_MSG(size <= PAGE_SIZE, "trampoline is %zu bytes", size);
	if (boot_magic == MULTIBOOT2_BOOTLOADER_MAGIC) {
		mbi = boot_info_phys;
		mbi_len = *(const u32 *)__va(mbi);
	}
	for (pa = TRAMPOLINE_LOWEST; pa < TRAMPOLINE_LIMIT; pa += PAGE_SIZE) {
		if (!range_is_usable(pa, PAGE_SIZE) ||
		    (mbi_len && overlaps(pa, PAGE_SIZE, mbi, mbi_len)) ||
		    (boot_info.rsdp_phys && overlaps(pa, PAGE_SIZE, boot_info.rsdp_phys, 36)))
			continue;
		memcpy(__va(pa), trampoline_start, size);
		pr_info("trampoline at %#llx (%zu bytes, STARTUP vector %#llx)\n",
			(unsigned long long)pa, size, (unsigned long long)(pa >> 12));
		return pa;
	}
	pr_err("no usable RAM page below %#llx for the AP trampoline\n",
	       (unsigned long long)TRAMPOLINE_LIMIT);
	return 0;
}

static const char *const progress_names[] = {
	"nothing: it never ran the trampoline", "real mode", "protected mode",
	"long mode, but not C",
};

/* Start AP @cpu, APIC ID @apic_id, through the trampoline page @tramp. */
static int smp_boot_one(unsigned int cpu, u32 apic_id, phys_addr_t tramp)
{
	struct percpu *pc = &percpu_area[cpu];
	volatile u8 *progress = (u8 *)__va(tramp) + (tr_progress - trampoline_start);
	void *stack, *df_stack;
	unsigned long waited;
	u8 reached;
	int ret;

	stack = vmalloc(AP_STACK_SIZE);
	df_stack = vmalloc(AP_DF_STACK_SIZE);
	if (!stack || !df_stack) {
		pr_err("CPU%u: no memory for its stacks\n", cpu);
		ret = -ENOMEM;
		goto err_free_stacks;
	}
	pc->self = pc;
	pc->cpu_id = cpu;
	pc->apic_id = apic_id;
	pc->stack_bottom = (unsigned long)stack;
	pc->stack_top = (unsigned long)stack + AP_STACK_SIZE;
	pc->df_stack_top = (unsigned long)df_stack + AP_DF_STACK_SIZE;
	x86_numa_add_cpu(cpu, apic_id); /* its node is known before it runs */

	*progress = 0;
	smp_boot_cpu = cpu;
	smp_boot_stack_top = pc->stack_top;
	/* Everything above is visible before the IPI can start the AP. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);

	ret = apic_send_init(apic_id);
	if (ret)
		goto err_free_stacks;
	udelay(INIT_DELAY_US);
	ret = apic_send_startup(apic_id, (u8)(tramp >> 12));
	if (ret)
		goto err_stuck;
	udelay(SIPI_DELAY_US);
	ret = apic_send_startup(apic_id, (u8)(tramp >> 12));
	if (ret)
		goto err_stuck;
	udelay(SIPI_DELAY_US);

	for (waited = 0; !cpu_online(cpu) && waited < AP_BOOT_TIMEOUT_US; waited += 100)
		udelay(100);
	if (!cpu_online(cpu)) {
		reached = *progress;
		pr_err("CPU%u (APIC ID %u) did not come online within %u ms; it reached %s\n",
		       cpu, apic_id, AP_BOOT_TIMEOUT_US / 1000,
		       reached < ARRAY_SIZE(progress_names) ? progress_names[reached] : "?");
		ret = -EIO;
		goto err_stuck;
	}
	pr_info("CPU%u (APIC ID %u) online, stack %p-%p\n", cpu, apic_id,
		stack, (void *)pc->stack_top);
	return 0;

err_free_stacks:
	/* No STARTUP IPI went out: nothing can be using them. */
	vfree(df_stack);
	vfree(stack);
	memset(pc, 0, sizeof(*pc));
	return ret;
err_stuck:
	/* The AP may still wake up and use its stacks: leave them. */
	return ret;
}

void smp_init(void)
{
	/* The boot CPU and NR_CPUS - 1 others fit, wherever the MADT lists it. */
	u32 ids[NR_CPUS];
	unsigned int i, next = 1, nr_ids, online;
	phys_addr_t tramp;
	u32 bsp_apic;
	int n;

	pr_info("Bringing up secondary CPUs ...\n");
	if (smp_disabled) {
		pr_info("nosmp: staying on the boot CPU\n");
		goto out;
	}
	if (apic_init())
		goto out;
	bsp_apic = apic_read_id();
	percpu_area[0].apic_id = bsp_apic;
	n = acpi_madt_cpus(ids, ARRAY_SIZE(ids));
	if (n < 0) {
		pr_info("no ACPI MADT: cannot tell which other CPUs exist\n");
		goto out;
	}
	if (n <= 1)
		goto out;
	tramp = trampoline_setup();
	if (!tramp)
		goto out;
	bsp_cr0 = read_cr0();
	bsp_cr4 = read_cr4();
	traps_set_wakeup_gate(SMP_WAKEUP_VECTOR);
	traps_set_wakeup_gate(APIC_SPURIOUS_VECTOR);

	if (n > NR_CPUS)
		pr_warn("%d CPUs found, using the first %u (NR_CPUS): %d stay off\n",
			n, NR_CPUS, n - NR_CPUS);
	nr_ids = min((unsigned int)n, (unsigned int)ARRAY_SIZE(ids));
	for (i = 0; i < nr_ids && next < NR_CPUS; i++) {
		if (ids[i] == bsp_apic)
			continue;
		if (smp_boot_one(next, ids[i], tramp))
			break;
		next++;
	}
out:
	online = num_online_cpus();
	pr_info("Brought up %u node%s, %u CPU%s\n", x86_numa_nr_nodes(),
		x86_numa_nr_nodes() == 1 ? "" : "s", online, online == 1 ? "" : "s");
}

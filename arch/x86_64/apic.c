// SPDX-License-Identifier: MIT
/*
 * The local APIC, the MADT and a PIT busy wait, for SMP bring-up (smp.c).
 *
 * Local APIC: xAPIC mode only. The registers are one 4 KiB MMIO page at the
 * physical base IA32_APIC_BASE names (0xfee00000 unless relocated); every
 * CPU sees its own APIC there, so one uncached fixmap slot (FIX_APIC) in the
 * shared kernel page tables serves all CPUs. Firmware that hands over in
 * x2APIC mode (it must, with APIC IDs above 254) is refused: kmm then runs
 * on the boot CPU alone.
 *
 * MADT: acpi.c finds the table with signature "APIC" (RSDP -> XSDT or
 * RSDT) and copies it out of firmware memory, through the FIX_ACPI_TABLE
 * slot, into kmalloc memory, where it is checksummed.
 *
 * Delays: there is no timer interrupt. udelay() counts down PIT channel 2 in
 * mode 0 (one-shot) and polls its OUT pin at port 0x61 bit 5, the way Linux
 * calibrates its TSC: right on real hardware (1.193182 MHz crystal, no
 * calibration needed) and under QEMU, whose PIT runs on the virtual clock.
 * A PIT that never counts (some recent machines gate it off) would make
 * every wait spin a bounded number of port reads instead; that is reported.
 */
#define pr_fmt(fmt) "apic: " fmt
#include "arch/x86_64/apic.h"
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fixmap.h"
#include "arch/x86_64/pgtable.h"
#include "boot/acpi.h"
#include "mm/port.h"
#include "mm/slab.h"
#include "kmm/printk.h"
#include "kmm/string.h"
#include "kmm/errno.h"

static volatile u8 *apic_regs;

static u32 apic_read(u32 reg)
{
	return *(volatile u32 *)(apic_regs + reg);
}

static void apic_write(u32 reg, u32 v)
{
	*(volatile u32 *)(apic_regs + reg) = v;
}

/* ---- PIT channel 2 busy wait ------------------------------------------- */

#define PIT_HZ          1193182u
#define PIT_CH2_DATA    0x42
#define PIT_MODE        0x43
#define PIT_PORT_B      0x61
#define PORT_B_GATE2    BIT(0) /* channel 2 gate */
#define PORT_B_SPEAKER  BIT(1) /* speaker data enable: keep off */
#define PORT_B_OUT2     BIT(5) /* channel 2 output (read only) */
#define PIT_SEL_CH2_LOHI_MODE0 0xb0
/* A PIT count is 16 bits: wait at most this long per count-down. */
#define PIT_MAX_CHUNK_US 50000u
/* Port reads per microsecond before we give up on a PIT that never fires. */
#define PIT_SPIN_PER_US 100u

static bool pit_dead_reported;

static void pit_wait_count(u32 count, unsigned long spins)
{
	u8 b = inb(PIT_PORT_B);

	outb(PIT_PORT_B, (b & ~PORT_B_SPEAKER) | PORT_B_GATE2);
	outb(PIT_MODE, PIT_SEL_CH2_LOHI_MODE0);
	outb(PIT_CH2_DATA, count & 0xff);
	outb(PIT_CH2_DATA, count >> 8);
	while (!(inb(PIT_PORT_B) & PORT_B_OUT2)) {
		if (!spins--) {
			if (!pit_dead_reported)
				pr_warn("PIT channel 2 does not count; delays are approximate\n");
			pit_dead_reported = true;
			return;
		}
	}
}

void udelay(unsigned long us)
{
	while (us) {
		unsigned long chunk = min(us, (unsigned long)PIT_MAX_CHUNK_US);
		u32 count = (u32)DIV_ROUND_UP(chunk * PIT_HZ, 1000000UL);

		pit_wait_count(count, chunk * PIT_SPIN_PER_US + 1000);
		us -= chunk;
	}
}

/* ---- local APIC ---------------------------------------------------------- */

int apic_init(void)
{
	u32 a, b, c, d;
	u64 msr;
	phys_addr_t base;

	cpuid_count(1, 0, &a, &b, &c, &d);
	if (!(d & BIT(9))) {
		pr_info("this CPU has no local APIC\n");
		return -ENOSYS;
	}
	msr = rdmsr(MSR_IA32_APIC_BASE);
	if (!(msr & APIC_BASE_ENABLE)) {
		pr_info("local APIC disabled by firmware (IA32_APIC_BASE %#llx)\n",
			(unsigned long long)msr);
		return -ENOSYS;
	}
	if (msr & APIC_BASE_X2APIC) {
		pr_info("firmware left the local APIC in x2APIC mode; only xAPIC is supported\n");
		return -ENOSYS;
	}
	base = msr & APIC_BASE_ADDR_MASK & ((1ULL << boot_cpu.phys_addr_bits) - 1);
	apic_regs = fixmap_map(FIX_APIC, base, PAGE_KERNEL_NOCACHE);
	if (!apic_regs) {
		pr_err("cannot map the local APIC at %#llx\n", (unsigned long long)base);
		return -ENOMEM;
	}
	if (!(apic_read(APIC_SVR) & APIC_SVR_ENABLE)) {
		/* IF stays clear, so enabling delivers nothing to this CPU. */
		apic_write(APIC_SVR, (apic_read(APIC_SVR) & ~0xffu) |
			   APIC_SVR_ENABLE | APIC_SPURIOUS_VECTOR);
		pr_info("software-enabled the local APIC\n");
	}
	pr_info("local APIC at %#llx (xAPIC, version %#x), boot CPU APIC ID %u\n",
		(unsigned long long)base, apic_read(APIC_LVR) & 0xff, apic_read_id());
	return 0;
}

u32 apic_read_id(void)
{
	return apic_read(APIC_ID) >> 24;
}

/* Write the ICR (high half first: writing the low half sends) and wait. */
static int apic_send_ipi(u32 apic_id, u32 low)
{
	unsigned int i;
	u32 esr;

	apic_write(APIC_ESR, 0);
	apic_write(APIC_ICR_HIGH, apic_id << 24);
	apic_write(APIC_ICR_LOW, low);
	for (i = 0; i < 1000 && (apic_read(APIC_ICR_LOW) & APIC_ICR_SEND_PENDING); i++)
		udelay(10);
	apic_write(APIC_ESR, 0);
	esr = apic_read(APIC_ESR);
	if (i == 1000 || esr) {
		pr_err("IPI %#x to APIC ID %u: %s (ESR %#x)\n", low, apic_id,
		       i == 1000 ? "still pending after 10 ms" : "send error", esr);
		return -EIO;
	}
	return 0;
}

int apic_send_init(u32 apic_id)
{
	return apic_send_ipi(apic_id, APIC_ICR_DM_INIT | APIC_ICR_LEVEL_ASSERT);
}

int apic_send_startup(u32 apic_id, u8 vector)
{
	/* SDM 10.6.1: Level must be 1 for every mode but INIT de-assert. */
	return apic_send_ipi(apic_id, APIC_ICR_DM_STARTUP | APIC_ICR_LEVEL_ASSERT | vector);
}

int apic_send_fixed(u32 apic_id, u8 vector)
{
	return apic_send_ipi(apic_id, APIC_ICR_DM_FIXED | APIC_ICR_LEVEL_ASSERT | vector);
}

void apic_init_ap(void)
{
	apic_write(APIC_TPR, 0);
	apic_write(APIC_SVR, (apic_read(APIC_SVR) & ~0xffu) |
		   APIC_SVR_ENABLE | APIC_SPURIOUS_VECTOR);
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

/* ---- ACPI: the MADT (tables found by acpi.c) ---------------------------- */

struct acpi_madt {
	struct acpi_table_header header;
	u32 lapic_address;
	u32 flags;
} __packed;
_Static_assert(sizeof(struct acpi_madt) == 44, "MADT layout (5.2.12)");

#define MADT_LOCAL_APIC    0 /* 8 bytes: uid u8, apic id u8, flags u32 */
#define MADT_LOCAL_X2APIC  9 /* 16 bytes: reserved u16, x2apic id, flags, uid */
#define MADT_ENABLED        BIT(0)
#define MADT_ONLINE_CAPABLE BIT(1)
#define XAPIC_MAX_ID        0xfe /* 0xff is the broadcast destination */
static void *madt_alloc(size_t size)
{
	return kmalloc(size, GFP_KERNEL);
}

static void madt_free(void *p, size_t size)
{
	kfree(p);
}

int acpi_madt_cpus(u32 *ids, unsigned int max)
{
	phys_addr_t pa = acpi_find_table("APIC");
	struct acpi_madt *madt;
	const u8 *p, *end;
	unsigned int nr = 0, i;

	if (!pa)
		return -ENOENT;
	madt = acpi_load_table(pa, madt_alloc, madt_free, NULL);
	if (!madt)
		return -ENOENT;
	if (madt->header.length < sizeof(*madt)) {
		kfree(madt);
		return -ENOENT;
	}
	printk(KERN_INFO "ACPI: MADT at %#llx, %u bytes, OEM \"%.6s\"\n",
		(unsigned long long)pa, madt->header.length, madt->header.oem_id);
	p = (const u8 *)(madt + 1);
	end = (const u8 *)madt + madt->header.length;
	for (; p + 2 <= end && p[1] >= 2 && p + p[1] <= end; p += p[1]) {
		u32 id, uid, flags;
		bool dup = false;

		if (p[0] == MADT_LOCAL_APIC && p[1] >= 8) {
			uid = p[2];
			id = p[3];
			memcpy(&flags, p + 4, 4);
		} else if (p[0] == MADT_LOCAL_X2APIC && p[1] >= 16) {
			memcpy(&id, p + 4, 4);
			memcpy(&flags, p + 8, 4);
			memcpy(&uid, p + 12, 4);
		} else {
			continue;
		}
		if (!(flags & MADT_ENABLED)) {
			printk(KERN_INFO "ACPI: LAPIC (acpi_id[0x%02x] lapic_id[0x%02x] %s)\n",
				uid, id, flags & MADT_ONLINE_CAPABLE ?
				"online-capable, not present" : "disabled");
			continue;
		}
		if (id > XAPIC_MAX_ID) {
			printk(KERN_INFO "ACPI: X2APIC (apic_id[0x%x] uid[0x%x]): cannot be started in xAPIC mode, skipped\n",
				id, uid);
			continue;
		}
		for (i = 0; i < nr && i < max; i++)
			dup |= ids[i] == id;
		if (dup)
			continue;
		printk(KERN_INFO "ACPI: LAPIC (acpi_id[0x%02x] lapic_id[0x%02x] enabled)\n",
			uid, id);
		if (nr < max)
			ids[nr] = id;
		nr++;
	}
	kfree(madt);
	return (int)nr;
}

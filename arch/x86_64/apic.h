/* SPDX-License-Identifier: MIT */
/*
 * The local APIC (xAPIC, memory-mapped), the ACPI MADT's list of processors,
 * and a PIT-timed busy wait: what smp.c needs to start application
 * processors. See the top of smp.c for how they fit together.
 */
#ifndef ARCH_X86_64_APIC_H
#define ARCH_X86_64_APIC_H

#include "kmm/types.h"

/* IA32_APIC_BASE (Intel SDM Vol. 3A, 10.4.4). */
#define MSR_IA32_APIC_BASE   0x1b
#define APIC_BASE_BSP        BIT(8)
#define APIC_BASE_X2APIC     BIT(10)
#define APIC_BASE_ENABLE     BIT(11)
#define APIC_BASE_ADDR_MASK  0x000ffffffffff000ULL

/* xAPIC register offsets (SDM Vol. 3A, table 10-1). */
#define APIC_ID        0x020 /* ID in bits 31:24 */
#define APIC_LVR       0x030 /* version in bits 7:0 */
#define APIC_TPR       0x080 /* task priority */
#define APIC_EOI       0x0b0 /* write 0: end of interrupt */
#define APIC_SVR       0x0f0 /* spurious vector; bit 8 = software enable */
#define APIC_ESR       0x280 /* error status; write before reading */
#define APIC_ICR_LOW   0x300
#define APIC_ICR_HIGH  0x310 /* destination in bits 31:24 */

#define APIC_SVR_ENABLE        BIT(8)
#define APIC_SPURIOUS_VECTOR   0xff
#define APIC_ICR_DM_FIXED      (0u << 8)
#define APIC_ICR_DM_INIT       (5u << 8)
#define APIC_ICR_DM_STARTUP    (6u << 8)
#define APIC_ICR_SEND_PENDING  BIT(12)
#define APIC_ICR_LEVEL_ASSERT  BIT(14)

/*
 * Map this (the boot) CPU's local APIC through the fixmap, uncached, and
 * make sure it is software-enabled. 0, -ENOSYS when the CPU has no APIC or
 * firmware left it disabled or in x2APIC mode (not supported), -ENOMEM when
 * the fixmap slot could not be mapped. Every CPU reaches its own APIC at the
 * same address afterwards.
 */
int apic_init(void);

/* This CPU's local APIC ID. Only after apic_init() succeeded. */
u32 apic_read_id(void);

/*
 * Send INIT (level assert) or a STARTUP IPI with @vector (the 4 KiB page
 * number of the real-mode entry point) to @apic_id and wait for the local
 * APIC to accept it. 0, or -EIO when it stayed pending or the APIC reported
 * a send error (printed).
 */
int apic_send_init(u32 apic_id);
int apic_send_startup(u32 apic_id, u8 vector);

/* Send interrupt @vector to @apic_id (fixed delivery); as apic_send_init. */
int apic_send_fixed(u32 apic_id, u8 vector);

/*
 * On an AP: software-enable its local APIC (INIT left it disabled) and
 * accept every priority, so that fixed IPIs reach it.
 */
void apic_init_ap(void);

/* End of interrupt for the highest-priority vector in service, if any. */
void apic_eoi(void);

/* Busy-wait at least @us microseconds, timed by PIT channel 2. */
void udelay(unsigned long us);

/*
 * Fill @ids with the local APIC IDs of the enabled processors the ACPI MADT
 * lists, in table order, logging one line per processor. Returns how many
 * were found (entries beyond @max are counted and logged, not stored), or
 * -ENOENT when there is no RSDP, no valid RSDT/XSDT or no MADT.
 */
int acpi_madt_cpus(u32 *ids, unsigned int max);

#endif /* ARCH_X86_64_APIC_H */

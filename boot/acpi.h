/* SPDX-License-Identifier: MIT */
/*
 * ACPI table layouts as the firmware writes them (ACPI 6.5, chapter 5.2),
 * for the code that reads them: arch/x86_64/acpi.c finds and copies tables,
 * apic.c reads the MADT, boot/acpi_numa.c the SRAT and SLIT. Every field is
 * little-endian and unaligned in memory: tables are read through these
 * packed structures only.
 */
#ifndef BOOT_ACPI_H
#define BOOT_ACPI_H

#include "kmm/types.h"
#include "kmm/compiler.h"

/* Root System Description Pointer (5.2.5.3). */
struct acpi_rsdp {
	char signature[8];     /* "RSD PTR " */
	u8 checksum;           /* over the first 20 bytes */
	char oem_id[6];
	u8 revision;           /* 0: ACPI 1.0, 2: 2.0 and later */
	u32 rsdt_address;
	/* ACPI 2.0+ */
	u32 length;
	u64 xsdt_address;
	u8 ext_checksum;       /* over all 36 bytes */
	u8 reserved[3];
} __packed;
_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP layout (ACPI 6.5, 5.2.5.3)");

/* The header every System Description Table starts with (5.2.6). */
struct acpi_table_header {
	char signature[4];
	u32 length;            /* of the whole table, header included */
	u8 revision;
	u8 checksum;           /* all @length bytes sum to 0 mod 256 */
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	u32 creator_id;
	u32 creator_revision;
} __packed;
_Static_assert(sizeof(struct acpi_table_header) == 36, "SDT header layout (5.2.6)");

/* The largest table kmm copies: real SRATs and MADTs are a few KiB. */
#define ACPI_MAX_TABLE_SIZE (1u << 20)

/* ---- SRAT: System Resource Affinity Table (5.2.16) ---------------------- */

struct acpi_srat {
	struct acpi_table_header header;
	u32 table_revision;    /* reserved, 1 for compatibility */
	u64 reserved;
} __packed;
_Static_assert(sizeof(struct acpi_srat) == 48, "SRAT layout (5.2.16)");

/* Each affinity structure starts with its type and its length in bytes. */
struct acpi_subtable_header {
	u8 type;
	u8 length;
} __packed;

#define ACPI_SRAT_CPU_AFFINITY    0
#define ACPI_SRAT_MEMORY_AFFINITY 1
#define ACPI_SRAT_X2APIC_AFFINITY 2

/* Type 0: Processor Local APIC/SAPIC Affinity (5.2.16.1). */
struct acpi_srat_cpu_affinity {
	struct acpi_subtable_header header;
	u8 proximity_domain_lo;  /* bits 7:0 */
	u8 apic_id;
	u32 flags;               /* ACPI_SRAT_CPU_ENABLED */
	u8 local_sapic_eid;
	u8 proximity_domain_hi[3]; /* bits 31:8 */
	u32 clock_domain;
} __packed;
_Static_assert(sizeof(struct acpi_srat_cpu_affinity) == 16, "SRAT type 0 (5.2.16.1)");

/* Type 1: Memory Affinity (5.2.16.2). */
struct acpi_srat_mem_affinity {
	struct acpi_subtable_header header;
	u32 proximity_domain;
	u16 reserved;
	u64 base_address;
	u64 length;
	u32 reserved1;
	u32 flags;               /* ACPI_SRAT_MEM_* */
	u64 reserved2;
} __packed;
_Static_assert(sizeof(struct acpi_srat_mem_affinity) == 40, "SRAT type 1 (5.2.16.2)");

/* Type 2: Processor Local x2APIC Affinity (5.2.16.3). */
struct acpi_srat_x2apic_cpu_affinity {
	struct acpi_subtable_header header;
	u16 reserved;
	u32 proximity_domain;
	u32 apic_id;             /* the x2APIC ID */
	u32 flags;               /* ACPI_SRAT_CPU_ENABLED */
	u32 clock_domain;
	u32 reserved2;
} __packed;
_Static_assert(sizeof(struct acpi_srat_x2apic_cpu_affinity) == 24, "SRAT type 2 (5.2.16.3)");

#define ACPI_SRAT_CPU_ENABLED       BIT(0)
#define ACPI_SRAT_MEM_ENABLED       BIT(0)
#define ACPI_SRAT_MEM_HOT_PLUGGABLE BIT(1)
#define ACPI_SRAT_MEM_NON_VOLATILE  BIT(2)

/* ---- SLIT: System Locality Information Table (5.2.17) ------------------- */

struct acpi_slit {
	struct acpi_table_header header;
	u64 locality_count;      /* N; then N x N bytes, row i = from locality i */
	u8 entry[];
} __packed;
_Static_assert(sizeof(struct acpi_slit) == 44, "SLIT layout (5.2.17)");

#define ACPI_SLIT_LOCAL       10  /* the diagonal */
#define ACPI_SLIT_UNREACHABLE 0xff

/* The 8-bit sum of @len bytes at @p: 0 for a table whose checksum holds. */
static inline u8 acpi_checksum(const void *p, size_t len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return sum;
}

#endif /* BOOT_ACPI_H */

/* SPDX-License-Identifier: MIT */
/*
 * A physical memory map entry: what boot/ produces and mm/ (memblock)
 * consumes. It lives here, not in boot/, so that mm/ can be lifted into
 * another kernel with include/kmm/ alone.
 */
#ifndef KMM_MEMMAP_H
#define KMM_MEMMAP_H

#include "kmm/types.h"

enum boot_mem_type {
	BOOT_MEM_USABLE = 1,      /* free RAM, ours to allocate */
	BOOT_MEM_RESERVED,        /* firmware or device: never touch */
	BOOT_MEM_ACPI_RECLAIM,    /* ACPI tables: usable once parsed (we keep them) */
	BOOT_MEM_ACPI_NVS,        /* firmware's across sleep: never touch */
	BOOT_MEM_BAD,             /* defective RAM */
	BOOT_MEM_FIRMWARE_RUNTIME, /* UEFI runtime services code/data */
	BOOT_MEM_MMIO,            /* memory-mapped I/O */
	BOOT_MEM_BOOTLOADER,      /* holds the kernel or its hand-off data */
};

struct boot_mem_range {
	u64 base;
	u64 size;
	u32 type; /* enum boot_mem_type */
	u32 reserved;
};

#endif /* KMM_MEMMAP_H */

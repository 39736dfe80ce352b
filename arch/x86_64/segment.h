/* SPDX-License-Identifier: MIT */
/*
 * Segment descriptors and selectors. Long mode ignores base and limit of
 * code and data segments, but the descriptors must still be present and say
 * what they are (Intel SDM vol. 3, 3.4.5 and 5.2.1). Usable from assembly.
 */
#ifndef ARCH_X86_64_SEGMENT_H
#define ARCH_X86_64_SEGMENT_H

/* Flat descriptors: present, DPL 0, 4 GiB limit with 4 KiB granularity. */
#define GDT_DESC_CODE64 0x00af9a000000ffff /* code, L=1 (64-bit) */
#define GDT_DESC_CODE32 0x00cf9a000000ffff /* code, D=1 (32-bit) */
#define GDT_DESC_DATA   0x00cf92000000ffff /* data, writable */

/* The kernel's GDT: null, code, data, then a 16-byte TSS descriptor. */
#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define TSS_SEL   0x18

/* System descriptor types (the byte at bit 40 of a descriptor, P and DPL 0). */
#define DESC_TSS_AVAILABLE  0x89 /* present, 64-bit TSS (available) */
#define DESC_INTERRUPT_GATE 0x8e /* present, 64-bit interrupt gate */

#endif /* ARCH_X86_64_SEGMENT_H */

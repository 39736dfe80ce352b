/* SPDX-License-Identifier: MIT */
/*
 * The example kernel's own header: the definitions every hobby kernel has
 * (and that libkmm's public header must not fight with), its layout, and
 * its services. Nothing here comes from kmm.
 */
#ifndef MINIMAL_H
#define MINIMAL_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef unsigned long size_t;
typedef _Bool bool;
#define true 1
#define false 0
#define NULL ((void *)0)

#define PAGE_SIZE 4096UL
#define min(a, b) ((a) < (b) ? (a) : (b))
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((a) - 1))
#define BUG_ON(c) do { if (c) panic("BUG_ON(" #c ")"); } while (0)

/*
 * Our layout (not Linux's): RAM is mapped at DIRECT_MAP, the kernel image
 * at KERNEL_VMA + physical (boot.S). kmm's struct pages and vmalloc get
 * their own 512 GiB slots, which nothing maps until kmm asks.
 */
#define DIRECT_MAP      0xffff800000000000UL  /* PML4 slot 256 */
#define DIRECT_MAP_SIZE (1UL << 30)           /* what boot.S maps */
#define VMEMMAP_BASE    0xffffa00000000000UL  /* PML4 slot 320 */
#define VMALLOC_START   0xffffb00000000000UL  /* PML4 slot 352 */
#define VMALLOC_END     (VMALLOC_START + (1UL << 30))
#define KERNEL_VMA      0xffffffff80000000UL

#define phys_to_virt(pa) ((void *)((unsigned long)(pa) + DIRECT_MAP))
#define virt_to_phys(va) ((u64)((unsigned long)(va) - DIRECT_MAP))

/* serial.c-ish services, in kernel.c */
void serial_write(const char *s, size_t n);
void puts(const char *s);
void put_num(unsigned long v);
__attribute__((noreturn)) void panic(const char *msg);
__attribute__((noreturn)) void qemu_exit(u8 code);
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);

/* paging.c-ish services, in kernel.c */
int map_page(unsigned long va, u64 pa, unsigned int prot);
void unmap_page(unsigned long va);

/* Multiboot2 memory map: call @fn for each usable range. */
void mb2_each_ram(u64 mbi, void (*fn)(u64 base, u64 len));
const char *mb2_cmdline(u64 mbi);

/* kmm_glue.c: hand kmm our layout and RAM, start its allocators. */
void kmm_start(u64 mbi);

#endif /* MINIMAL_H */

// SPDX-License-Identifier: MIT
/*
 * A stand-in kernel for testing the EFI loader without the real kernel.
 *
 * It carries a struct kmm_entry_header like kernel.elf does and checks, on
 * COM1, what the loader promises in boot/efi_handoff.h: RDI holds the
 * hand-off magic, RSI a valid struct efi_handoff, interrupts and the
 * direction flag are off, the stack is aligned as after a call, and the
 * memory map lists the kernel, the stack and the hand-off as LoaderData.
 * It also checks that .data was copied and .bss zeroed. It prints
 * "kmm-efi-stub: PASS" or "kmm-efi-stub: FAIL ..." and leaves QEMU through
 * isa-debug-exit (0x10 -> exit status 33 on pass, 0x11 -> 35 on failure).
 */
#include "boot/efi_handoff.h"

#define COM1 0x3f8
#define DEBUG_EXIT_PORT 0xf4
#define EFI_LOADER_DATA 2
#define RFLAGS_IF (1UL << 9)
#define RFLAGS_DF (1UL << 10)

void stub_main(u64 magic, const struct efi_handoff *h, u64 entry_rsp, u64 rflags);
void stub_entry64(void);

__attribute__((section(".kmm_entry_header"), used, aligned(8)))
static const struct kmm_entry_header entry_header = {
	.magic = KMM_ENTRY_HEADER_MAGIC,
	.entry64_phys = (u64)(uintptr_t)stub_entry64,
};

/* RDI and RSI pass straight through; RDX = RSP and RCX = RFLAGS at entry. */
__asm__(".text\n"
	".globl stub_entry64\n"
	"stub_entry64:\n"
	"	mov %rsp, %rdx\n"
	"	pushfq\n"
	"	pop %rcx\n"
	"	and $-16, %rsp\n"
	"	call stub_main\n"
	"1:	hlt\n"
	"	jmp 1b\n");

static volatile u32 data_word = 0x5eedf00d;
static volatile u8 bss_block[8192];

static void outb(u16 port, u8 v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static u8 inb(u16 port)
{
	u8 v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static void putc(char c)
{
	while (!(inb(COM1 + 5) & 0x20))
		;
	outb(COM1, (u8)c);
}

static void puts(const char *s)
{
	while (*s)
		putc(*s++);
}

static void puthex(u64 v)
{
	int i;

	puts("0x");
	for (i = 60; i >= 0; i -= 4)
		putc("0123456789abcdef"[(v >> i) & 0xf]);
}

static void __attribute__((noreturn)) finish(const char *failure)
{
	if (failure) {
		puts("kmm-efi-stub: FAIL ");
		puts(failure);
		puts("\r\n");
	} else {
		puts("kmm-efi-stub: PASS\r\n");
	}
	outb(DEBUG_EXIT_PORT, failure ? 0x11 : 0x10);
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* The type of the map descriptor holding @addr, or -1. */
static int map_type_at(const struct efi_handoff *h, u64 addr)
{
	const u8 *map = (const u8 *)(uintptr_t)h->mmap_phys;
	u64 off;

	for (off = 0; off + h->desc_size <= h->mmap_size; off += h->desc_size) {
		const u32 *type = (const u32 *)(map + off);
		const u64 *start = (const u64 *)(map + off + 8);
		const u64 *pages = (const u64 *)(map + off + 24);

		if (addr >= *start && addr - *start < *pages * 4096)
			return (int)*type;
	}
	return -1;
}

void stub_main(u64 magic, const struct efi_handoff *h, u64 entry_rsp, u64 rflags)
{
	u64 i;

	puts("\r\nkmm-efi-stub: entered, handoff at ");
	puthex((u64)(uintptr_t)h);
	puts("\r\n");
	if (magic != KMM_EFI_HANDOFF_MAGIC)
		finish("RDI is not KMM_EFI_HANDOFF_MAGIC");
	if (rflags & RFLAGS_IF)
		finish("interrupts enabled");
	if (rflags & RFLAGS_DF)
		finish("direction flag set");
	if ((entry_rsp + 8) % 16 != 0 || *(const u64 *)(uintptr_t)entry_rsp != 0)
		finish("stack not aligned as after a call with a zero return address");
	if (h->magic != KMM_EFI_HANDOFF_MAGIC || h->version != KMM_EFI_HANDOFF_VERSION ||
	    h->size != sizeof(*h))
		finish("bad hand-off header");
	if (h->desc_size < 40 || h->mmap_size == 0 || h->mmap_size % h->desc_size)
		finish("bad memory map geometry");
	if (map_type_at(h, (u64)(uintptr_t)h) != EFI_LOADER_DATA)
		finish("hand-off not in LoaderData");
	if (map_type_at(h, entry_rsp) != EFI_LOADER_DATA)
		finish("stack not in LoaderData");
	if (map_type_at(h, h->mmap_phys) != EFI_LOADER_DATA)
		finish("memory map not in LoaderData");
	if (map_type_at(h, h->kernel_phys_start) != EFI_LOADER_DATA ||
	    map_type_at(h, h->kernel_phys_end - 1) != EFI_LOADER_DATA)
		finish("kernel not in LoaderData");
	if (h->kernel_phys_start != 0x200000)
		finish("kernel_phys_start is not the link address");
	if (data_word != 0x5eedf00d)
		finish(".data not copied");
	for (i = 0; i < sizeof(bss_block); i++)
		if (bss_block[i])
			finish(".bss not zeroed");
	if (!h->rsdp_phys ||
	    *(const u64 *)(uintptr_t)h->rsdp_phys != 0x2052545020445352ULL)
		finish("no RSDP, or no \"RSD PTR \" signature there");

	puts("kmm-efi-stub: loader=\"");
	puts(h->loader_name);
	puts("\" cmdline=\"");
	puts(h->cmdline);
	puts("\" cmdline_refused=");
	puthex(h->cmdline_refused);
	puts(" desc_size=");
	puthex(h->desc_size);
	puts(" entries=");
	puthex(h->mmap_size / h->desc_size);
	puts(" rsdp_rev=");
	puthex(h->rsdp_revision);
	puts(" fb=");
	puthex(h->fb_phys);
	puts("\r\n");
	finish(NULL);
}

// SPDX-License-Identifier: MIT
/*
 * kmm's UEFI loader: boots build/kernel.elf without GRUB.
 *
 * ESP layout (what `make efi` puts in build/esp/):
 *
 *   \EFI\BOOT\BOOTX64.EFI   this loader, the removable-media default path
 *   \kernel.elf             the very same kernel GRUB boots
 *   \kmm-cmdline.txt        optional: the kernel command line, one line
 *
 * kernel.elf and kmm-cmdline.txt may also sit beside the loader, which is
 * searched first (esp.c); the command line comes from the loader's
 * LoadOptions when they are text (cmdline.c).
 *
 * Steps, in order; any failure before step 6 prints a line starting with
 * "kmm-efi: error: " on the firmware console (OVMF copies it to COM1),
 * frees what was taken, waits a few seconds and returns the error to the
 * firmware. No page of the kernel is allocated before the file is checked,
 * and we never jump into a kernel that is not completely loaded.
 *
 *   1. open the ESP through our LoadedImage's DeviceHandle
 *   2. read kernel.elf, check it, place its segments at their p_paddr
 *   3. the command line, the ACPI RSDP (2.0 table preferred), the GOP
 *      framebuffer if there is one
 *   4. allocate, as EfiLoaderData below 4 GiB, the hand-off, a 64 KiB stack
 *      and the memory-map buffer (once, with slack for what the allocations
 *      themselves add to the map)
 *   5. GetMemoryMap + ExitBootServices, retried while the map key is stale;
 *      nothing is printed in between (printing allocates and changes the key)
 *   6. interrupts off, RSP on our stack, RDI = KMM_EFI_HANDOFF_MAGIC,
 *      RSI = &handoff, jump to entry64_phys (boot/efi_handoff.h).
 *
 * After ExitBootServices only plain memory and COM1 are touched.
 */
#include "boot/efi/loader.h"
#include "boot/efi_handoff.h"

#define KERNEL_FILE_MAX   (64ULL << 20) /* generous: kernel.elf has debug info */
#define LOADER_STACK_SIZE (64 * 1024)
#define MMAP_SLACK_DESCS  16  /* the map grows by a few entries as we allocate */
#define EXIT_ATTEMPTS     8
#define ERROR_DELAY_US    (5 * 1000 * 1000)

#define COM1_PORT 0x3f8
#define COM1_LSR_THR_EMPTY 0x20

#define HANDOFF_PAGES EFI_SIZE_TO_PAGES(sizeof(struct efi_handoff))
_Static_assert(sizeof(struct efi_handoff) <= 2 * EFI_PAGE_SIZE,
	       "the hand-off fits in the pages allocated for it");
_Static_assert(sizeof(((struct efi_handoff *)0)->loader_name) > sizeof(LOADER_NAME),
	       "the loader's name fits in the hand-off");

/* What the kernel receives, all EfiLoaderData below 4 GiB. */
struct handoff_mem {
	struct efi_handoff *handoff;
	EFI_PHYSICAL_ADDRESS stack_base;
	EFI_MEMORY_DESCRIPTOR *map;
	UINTN map_capacity; /* bytes */
};

/* Allocate @pages below 4 GiB as EfiLoaderData; 0 on failure. */
static EFI_PHYSICAL_ADDRESS alloc_low_pages(UINTN pages, const CHAR16 *what)
{
	EFI_PHYSICAL_ADDRESS addr = KERNEL_LOAD_LIMIT - 1;
	EFI_STATUS st;

	st = BS->AllocatePages(AllocateMaxAddress, EfiLoaderData, pages, &addr);
	if (EFI_ERROR(st)) {
		loader_error(L"cannot allocate %d pages for the %s: %r",
			     (INT32)pages, what, st);
		return 0;
	}
	return addr;
}

static BOOLEAN guid_eq(const EFI_GUID *a, const EFI_GUID *b)
{
	return CompareMem(a, b, sizeof(*a)) == 0;
}

/* The ACPI RSDP from the configuration table, ACPI 2.0+ (XSDP) preferred. */
static void find_rsdp(struct efi_handoff *h)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID, acpi10 = ACPI_TABLE_GUID;
	const UINT8 *rsdp20 = NULL, *rsdp10 = NULL, *rsdp;
	UINTN i;

	for (i = 0; i < ST->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &ST->ConfigurationTable[i];

		if (guid_eq(&t->VendorGuid, &acpi20))
			rsdp20 = t->VendorTable;
		else if (guid_eq(&t->VendorGuid, &acpi10))
			rsdp10 = t->VendorTable;
	}
	rsdp = rsdp20 ? rsdp20 : rsdp10;
	if (!rsdp) {
		loader_warn(L"no ACPI RSDP in the firmware's configuration table");
		return;
	}
	if (CompareMem(rsdp, "RSD PTR ", 8) != 0) {
		loader_warn(L"the ACPI table at 0x%lx has no \"RSD PTR \" signature: ignored",
			    (UINT64)(UINTN)rsdp);
		return;
	}
	h->rsdp_phys = (UINT64)(UINTN)rsdp;
	h->rsdp_revision = rsdp[15]; /* ACPI 6.5, 5.2.5.3: 0 = 1.0, 2 = 2.0+ */
	loader_info(L"ACPI RSDP at 0x%lx (revision %d)", h->rsdp_phys, h->rsdp_revision);
}

/* Record the GOP framebuffer when it is a plain 32-bit linear one. */
static void find_framebuffer(struct efi_handoff *h)
{
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop;
	EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info;

	if (EFI_ERROR(LibLocateProtocol(&GraphicsOutputProtocol, (void **)&gop)) ||
	    !gop->Mode || !gop->Mode->Info)
		return;
	info = gop->Mode->Info;
	if (info->PixelFormat != PixelRedGreenBlueReserved8BitPerColor &&
	    info->PixelFormat != PixelBlueGreenRedReserved8BitPerColor)
		return;
	h->fb_phys = gop->Mode->FrameBufferBase;
	h->fb_width = info->HorizontalResolution;
	h->fb_height = info->VerticalResolution;
	h->fb_pitch = info->PixelsPerScanLine * 4;
	h->fb_bpp = 32;
}

static EFI_STATUS alloc_handoff_mem(struct handoff_mem *m)
{
	UINTN map_size = 0, key, dsize;
	UINT32 dver;
	EFI_PHYSICAL_ADDRESS addr;
	EFI_STATUS st;

	SetMem(m, sizeof(*m), 0);
	addr = alloc_low_pages(HANDOFF_PAGES, L"hand-off");
	if (!addr)
		return EFI_OUT_OF_RESOURCES;
	m->handoff = (struct efi_handoff *)(UINTN)addr;
	SetMem(m->handoff, HANDOFF_PAGES * EFI_PAGE_SIZE, 0);

	m->stack_base = alloc_low_pages(EFI_SIZE_TO_PAGES(LOADER_STACK_SIZE), L"stack");
	if (!m->stack_base)
		goto err_free_handoff;

	/* Ask for the size only; the buffer is then allocated once, with slack. */
	st = BS->GetMemoryMap(&map_size, NULL, &key, &dsize, &dver);
	if (st != EFI_BUFFER_TOO_SMALL) {
		loader_error(L"GetMemoryMap did not report its size: %r", st);
		goto err_free_stack;
	}
	m->map_capacity = EFI_SIZE_TO_PAGES(map_size + MMAP_SLACK_DESCS * dsize) *
			  EFI_PAGE_SIZE;
	addr = alloc_low_pages(m->map_capacity / EFI_PAGE_SIZE, L"memory map");
	if (!addr)
		goto err_free_stack;
	m->map = (EFI_MEMORY_DESCRIPTOR *)(UINTN)addr;
	return EFI_SUCCESS;

err_free_stack:
	BS->FreePages(m->stack_base, EFI_SIZE_TO_PAGES(LOADER_STACK_SIZE));
err_free_handoff:
	BS->FreePages((EFI_PHYSICAL_ADDRESS)(UINTN)m->handoff, HANDOFF_PAGES);
	return EFI_OUT_OF_RESOURCES;
}

static void free_handoff_mem(struct handoff_mem *m)
{
	BS->FreePages((EFI_PHYSICAL_ADDRESS)(UINTN)m->map,
		      m->map_capacity / EFI_PAGE_SIZE);
	BS->FreePages(m->stack_base, EFI_SIZE_TO_PAGES(LOADER_STACK_SIZE));
	BS->FreePages((EFI_PHYSICAL_ADDRESS)(UINTN)m->handoff, HANDOFF_PAGES);
}

static inline void outb(UINT16 port, UINT8 v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline UINT8 inb(UINT16 port)
{
	UINT8 v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/*
 * Once ExitBootServices has been called, even unsuccessfully, the console
 * may be gone: report on COM1 directly (the firmware left it set up) and
 * stop the machine.
 */
static void __attribute__((noreturn)) fatal_after_exit(const char *msg)
{
	const char *p;

	for (p = msg; *p; p++) {
		while (!(inb(COM1_PORT + 5) & COM1_LSR_THR_EMPTY))
			;
		outb(COM1_PORT, (UINT8)*p);
	}
	for (;;)
		__asm__ volatile("cli; hlt");
}

/*
 * Take the final memory map and leave boot services. Returns an error only
 * when the first GetMemoryMap fails, while boot services are still whole;
 * later failures do not return.
 */
static EFI_STATUS exit_boot_services(EFI_HANDLE image, struct handoff_mem *m)
{
	UINTN map_size, key, dsize;
	UINT32 dver;
	EFI_STATUS st;
	int attempt;

	for (attempt = 0; attempt < EXIT_ATTEMPTS; attempt++) {
		map_size = m->map_capacity;
		st = BS->GetMemoryMap(&map_size, m->map, &key, &dsize, &dver);
		if (EFI_ERROR(st)) {
			if (attempt == 0) {
				loader_error(L"GetMemoryMap failed: %r", st);
				return st;
			}
			fatal_after_exit("kmm-efi: error: GetMemoryMap failed after ExitBootServices was refused\r\n");
		}
		st = BS->ExitBootServices(image, key);
		if (st == EFI_SUCCESS) {
			__asm__ volatile("cli");
			m->handoff->mmap_phys = (UINT64)(UINTN)m->map;
			m->handoff->mmap_size = map_size;
			m->handoff->desc_size = dsize;
			m->handoff->desc_version = dver;
			return EFI_SUCCESS;
		}
		if (st != EFI_INVALID_PARAMETER)
			fatal_after_exit("kmm-efi: error: ExitBootServices failed\r\n");
	}
	fatal_after_exit("kmm-efi: error: ExitBootServices kept refusing the memory map key\r\n");
}

/*
 * The trampoline: interrupts off, direction flag clear, our stack, and the
 * hand-off registers of boot/efi_handoff.h. A zero return address is pushed
 * so RSP is aligned as after a call (RSP + 8 a multiple of 16) and stack
 * walkers stop there.
 */
static void __attribute__((noreturn)) jump_to_kernel(UINT64 entry, UINT64 stack_top,
						     struct efi_handoff *h)
{
	__asm__ volatile("cli\n\t"
			 "cld\n\t"
			 "mov %0, %%rsp\n\t"
			 "xor %%ebp, %%ebp\n\t"
			 "pushq $0\n\t"
			 "jmp *%1"
			 :
			 : "r"(stack_top), "r"(entry), "D"(KMM_EFI_HANDOFF_MAGIC), "S"(h)
			 : "memory");
	__builtin_unreachable();
}

/* Steps 1-6 above. Returns only on failure, with everything freed. */
static EFI_STATUS boot_kernel(EFI_HANDLE image)
{
	EFI_LOADED_IMAGE *li;
	struct esp esp;
	static struct kernel_image img; /* ~1 KiB: keep it off the firmware's stack */
	struct handoff_mem mem;
	CHAR16 kernel_path[LOADER_MAX_PATH];
	UINT8 *file = NULL;
	UINTN file_size;
	struct efi_handoff *h;
	EFI_STATUS st;

	st = BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&li);
	if (EFI_ERROR(st)) {
		loader_error(L"no LoadedImage protocol on our own image: %r", st);
		return st;
	}
	st = esp_open(li, &esp);
	if (EFI_ERROR(st))
		return st;

	st = esp_find_file(&esp, KERNEL_FILE_NAME, KERNEL_FILE_MAX, &file, &file_size,
			   kernel_path);
	if (st == EFI_NOT_FOUND) {
		loader_error(L"%s not found in \"%s\" or the root of the boot partition",
			     KERNEL_FILE_NAME, esp.loader_dir[0] ? esp.loader_dir : L"\\");
		goto err_close;
	}
	if (st == EFI_BAD_BUFFER_SIZE)
		loader_error(L"%s is %lu bytes, more than the %lu this loader accepts",
			     kernel_path, (UINT64)file_size, (UINT64)KERNEL_FILE_MAX);
	if (EFI_ERROR(st))
		goto err_close;
	loader_info(L"%s: %lu bytes", kernel_path, (UINT64)file_size);

	st = kernel_check(file, file_size, &img);
	if (EFI_ERROR(st))
		goto err_free_file;
	st = kernel_load(&img);
	if (EFI_ERROR(st))
		goto err_free_file;
	loader_info(L"kernel loaded at 0x%lx-0x%lx, 64-bit entry 0x%lx",
		    img.phys_start, img.phys_end - 1, img.entry64_phys);
	FreePool(file);
	file = NULL;

	st = alloc_handoff_mem(&mem);
	if (EFI_ERROR(st))
		goto err_unload;
	h = mem.handoff;
	h->magic = KMM_EFI_HANDOFF_MAGIC;
	h->version = KMM_EFI_HANDOFF_VERSION;
	h->size = sizeof(*h);
	h->kernel_phys_start = img.phys_start;
	h->kernel_phys_end = img.phys_end;
	CopyMem(h->loader_name, LOADER_NAME, sizeof(LOADER_NAME));
	st = cmdline_get(li, &esp, kernel_path, h->cmdline, sizeof(h->cmdline),
			 &h->cmdline_refused);
	if (EFI_ERROR(st))
		goto err_free_mem;
	find_rsdp(h);
	find_framebuffer(h);
	esp_close(&esp);

	loader_info(L"exiting boot services; jumping to 0x%lx", img.entry64_phys);
	st = exit_boot_services(image, &mem);
	if (EFI_ERROR(st))
		goto err_free_mem;
	jump_to_kernel(img.entry64_phys, mem.stack_base + LOADER_STACK_SIZE, h);

err_free_mem:
	free_handoff_mem(&mem);
err_unload:
	kernel_unload(&img);
err_free_file:
	if (file)
		FreePool(file);
err_close:
	esp_close(&esp);
	return st;
}

/* Called by GNU-EFI's crt0 with the SysV ABI: no EFIAPI here (boot.md). */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_STATUS st;

	InitializeLib(image, systab);
	loader_info(L"%a", LOADER_NAME);
	st = boot_kernel(image);
	loader_error(L"boot stopped (%r); returning to the firmware in %d seconds",
		     st, ERROR_DELAY_US / 1000000);
	BS->Stall(ERROR_DELAY_US);
	return st;
}

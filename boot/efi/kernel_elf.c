// SPDX-License-Identifier: MIT
/*
 * Checking kernel.elf and placing it at its physical load address.
 *
 * kmm's kernel.elf is the same file GRUB boots: a static ELF64 executable
 * whose PT_LOAD segments carry physical load addresses (p_paddr) below 4 GiB
 * and higher-half virtual ones. Its Multiboot2 entry is 32-bit, useless to
 * us; instead the kernel carries a struct kmm_entry_header in the first
 * 32 KiB of the file whose entry64_phys we jump to (boot/efi_handoff.h).
 *
 * Everything is checked before a single page is allocated, so a bad file
 * costs nothing; then each run of pages the segments cover is allocated with
 * AllocatePages(AllocateAddress, EfiLoaderData): if the firmware already uses
 * that memory, we say which range and what sits there, and give up. We never
 * jump into a kernel that is not completely in place.
 *
 *   file:  [ehdr][phdrs]...[ .text ][ .rodata ][ .data ]........
 *                             |          |          |  \ p_filesz
 *   phys:  ...[ span 0: .text .rodata  ][ span 1: .data + bss (zeroed) ]...
 *              ^ page-aligned, merged when segments share or touch pages
 */
#include <elf.h>

#include "boot/efi/loader.h"
#include "boot/efi_handoff.h"

#define KPAGE_SIZE 4096ULL
#define kpage_down(x) ((x) & ~(KPAGE_SIZE - 1))
#define kpage_up(x)   kpage_down((x) + KPAGE_SIZE - 1)

#define kernel_bad(fmt, ...) \
	(loader_error(L"kernel.elf: " fmt, ##__VA_ARGS__), EFI_LOAD_ERROR)

static const CHAR16 *const efi_type_names[] = {
	L"Reserved", L"LoaderCode", L"LoaderData", L"BootServicesCode",
	L"BootServicesData", L"RuntimeServicesCode", L"RuntimeServicesData",
	L"Conventional", L"Unusable", L"ACPIReclaim", L"ACPINVS", L"MMIO",
	L"MMIOPortSpace", L"PalCode", L"Persistent", L"Unaccepted",
};

static const CHAR16 *efi_type_name(UINT32 type)
{
	if (type < sizeof(efi_type_names) / sizeof(efi_type_names[0]))
		return efi_type_names[type];
	return L"unknown";
}

/* Read the program headers into img->segs; check each on its own. */
static EFI_STATUS collect_segments(const Elf64_Ehdr *eh, struct kernel_image *img)
{
	const UINT8 *file = img->file;
	UINTN file_size = img->file_size;
	struct kernel_segment *segs = img->segs;
	UINTN i, j;

	img->nr_segs = 0;
	for (i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;

		/* Program headers need not be aligned in our buffer. */
		CopyMem(&ph, file + eh->e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_filesz > ph.p_memsz)
			return kernel_bad(L"segment %d: p_filesz 0x%lx is larger than p_memsz 0x%lx",
					  (INT32)i, ph.p_filesz, ph.p_memsz);
		if (ph.p_offset > file_size || ph.p_filesz > file_size - ph.p_offset)
			return kernel_bad(L"truncated: segment %d needs file bytes 0x%lx-0x%lx, the file has 0x%lx",
					  (INT32)i, ph.p_offset, ph.p_offset + ph.p_filesz,
					  (UINT64)file_size);
		if (ph.p_paddr >= KERNEL_LOAD_LIMIT ||
		    ph.p_memsz > KERNEL_LOAD_LIMIT - ph.p_paddr)
			return kernel_bad(L"segment %d at physical 0x%lx (+0x%lx) is not below 4 GiB",
					  (INT32)i, ph.p_paddr, ph.p_memsz);
		/*
		 * The kernel maps its image page by page, virtual to physical:
		 * both addresses must sit at the same offset in their page.
		 */
		if ((ph.p_paddr ^ ph.p_vaddr) & (KPAGE_SIZE - 1))
			return kernel_bad(L"segment %d: p_paddr 0x%lx and p_vaddr 0x%lx differ in their page offset",
					  (INT32)i, ph.p_paddr, ph.p_vaddr);
		if (img->nr_segs == KERNEL_MAX_SEGMENTS)
			return kernel_bad(L"more than %d PT_LOAD segments",
					  KERNEL_MAX_SEGMENTS);
		/* Insertion sort by physical address. */
		for (j = img->nr_segs; j > 0 && segs[j - 1].paddr > ph.p_paddr; j--)
			segs[j] = segs[j - 1];
		segs[j].paddr = ph.p_paddr;
		segs[j].offset = ph.p_offset;
		segs[j].filesz = ph.p_filesz;
		segs[j].memsz = ph.p_memsz;
		segs[j].flags = ph.p_flags;
		img->nr_segs++;
	}
	if (img->nr_segs == 0)
		return kernel_bad(L"no PT_LOAD segment to load");
	return EFI_SUCCESS;
}

/* Reject overlapping segments; merge their pages into img->spans. */
static EFI_STATUS build_spans(struct kernel_image *img)
{
	const struct kernel_segment *segs = img->segs;
	UINTN nr_segs = img->nr_segs;
	UINTN i;

	img->nr_spans = 0;
	for (i = 0; i < nr_segs; i++) {
		UINT64 start = kpage_down(segs[i].paddr);
		UINT64 end = kpage_up(segs[i].paddr + segs[i].memsz);
		struct kernel_span *last = img->nr_spans ?
			&img->spans[img->nr_spans - 1] : NULL;

		if (i > 0 && segs[i - 1].paddr + segs[i - 1].memsz > segs[i].paddr)
			return kernel_bad(L"segments at physical 0x%lx and 0x%lx overlap",
					  segs[i - 1].paddr, segs[i].paddr);
		if (last && start <= last->base + last->pages * KPAGE_SIZE) {
			UINT64 last_end = last->base + last->pages * KPAGE_SIZE;

			if (end > last_end)
				last->pages = (end - last->base) / KPAGE_SIZE;
			continue;
		}
		img->spans[img->nr_spans].base = start;
		img->spans[img->nr_spans].pages = (end - start) / KPAGE_SIZE;
		img->spans[img->nr_spans].allocated = FALSE;
		img->nr_spans++;
	}
	img->phys_start = segs[0].paddr;
	img->phys_end = 0;
	for (i = 0; i < nr_segs; i++)
		if (segs[i].paddr + segs[i].memsz > img->phys_end)
			img->phys_end = segs[i].paddr + segs[i].memsz;
	return EFI_SUCCESS;
}

/* Find struct kmm_entry_header and check where it points. */
static EFI_STATUS find_entry(struct kernel_image *img)
{
	const UINT8 *file = img->file;
	UINTN file_size = img->file_size;
	const struct kernel_segment *segs = img->segs;
	UINTN limit = file_size < KERNEL_HEADER_SEARCH ? file_size : KERNEL_HEADER_SEARCH;
	struct kmm_entry_header hdr;
	UINTN off, i;

	for (off = 0; off + sizeof(hdr) <= limit; off += 8) {
		CopyMem(&hdr, file + off, sizeof(hdr));
		if (hdr.magic == KMM_ENTRY_HEADER_MAGIC)
			break;
	}
	if (off + sizeof(hdr) > limit)
		return kernel_bad(L"no kmm entry header (magic \"kEntry64\") in the first %d KiB: not a kmm kernel with a 64-bit entry",
				  KERNEL_HEADER_SEARCH / 1024);
	for (i = 0; i < img->nr_segs; i++) {
		if ((segs[i].flags & PF_X) && hdr.entry64_phys >= segs[i].paddr &&
		    hdr.entry64_phys < segs[i].paddr + segs[i].filesz) {
			img->entry64_phys = hdr.entry64_phys;
			return EFI_SUCCESS;
		}
	}
	return kernel_bad(L"entry64_phys 0x%lx (header at file offset 0x%lx) is not in an executable segment",
			  hdr.entry64_phys, (UINT64)off);
}

EFI_STATUS kernel_check(const UINT8 *file, UINTN file_size,
			struct kernel_image *img)
{
	Elf64_Ehdr eh;
	EFI_STATUS st;

	SetMem(img, sizeof(*img), 0);
	img->file = file;
	img->file_size = file_size;
	if (file_size < sizeof(eh))
		return kernel_bad(L"truncated: %lu bytes, smaller than an ELF64 header",
				  (UINT64)file_size);
	CopyMem(&eh, file, sizeof(eh));
	if (CompareMem(eh.e_ident, ELFMAG, SELFMAG) != 0)
		return kernel_bad(L"not an ELF file (bad magic %02x %02x %02x %02x)",
				  eh.e_ident[0], eh.e_ident[1], eh.e_ident[2], eh.e_ident[3]);
	if (eh.e_ident[EI_CLASS] != ELFCLASS64)
		return kernel_bad(L"not ELF64 (EI_CLASS %d)", eh.e_ident[EI_CLASS]);
	if (eh.e_ident[EI_DATA] != ELFDATA2LSB)
		return kernel_bad(L"not little-endian (EI_DATA %d)", eh.e_ident[EI_DATA]);
	if (eh.e_machine != EM_X86_64)
		return kernel_bad(L"not an x86_64 executable (e_machine %d)", eh.e_machine);
	if (eh.e_type != ET_EXEC)
		return kernel_bad(L"not a static executable (e_type %d, want ET_EXEC)", eh.e_type);
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0)
		return kernel_bad(L"bad program header table (e_phentsize %d, e_phnum %d)",
				  eh.e_phentsize, eh.e_phnum);
	if (eh.e_phoff > file_size ||
	    (file_size - eh.e_phoff) / sizeof(Elf64_Phdr) < eh.e_phnum)
		return kernel_bad(L"truncated: program headers at 0x%lx run past the end of the %lu-byte file",
				  eh.e_phoff, (UINT64)file_size);

	st = collect_segments(&eh, img);
	if (EFI_ERROR(st))
		return st;
	st = build_spans(img);
	if (EFI_ERROR(st))
		return st;
	return find_entry(img);
}

/* Print the firmware's memory map entries that overlap [base, end). */
static void explain_range(UINT64 base, UINT64 end)
{
	UINTN nr, key, dsize;
	UINT32 dver;
	EFI_MEMORY_DESCRIPTOR *map = LibMemoryMap(&nr, &key, &dsize, &dver);
	UINTN i, shown = 0;

	if (!map)
		return;
	for (i = 0; i < nr; i++) {
		EFI_MEMORY_DESCRIPTOR *d = (void *)((UINT8 *)map + i * dsize);
		UINT64 d_end = d->PhysicalStart + d->NumberOfPages * KPAGE_SIZE;

		if (d->PhysicalStart >= end || d_end <= base ||
		    d->Type == EfiConventionalMemory)
			continue;
		loader_error(L"  0x%lx-0x%lx is %s", d->PhysicalStart, d_end - 1,
			     efi_type_name(d->Type));
		if (++shown == 8)
			break;
	}
	if (!shown)
		loader_error(L"  (the firmware's memory map has no RAM there)");
	FreePool(map);
}

EFI_STATUS kernel_load(struct kernel_image *img)
{
	EFI_STATUS st;
	UINTN i;

	for (i = 0; i < img->nr_spans; i++) {
		struct kernel_span *s = &img->spans[i];
		EFI_PHYSICAL_ADDRESS addr = s->base;
		UINT64 end = s->base + s->pages * KPAGE_SIZE;

		st = BS->AllocatePages(AllocateAddress, EfiLoaderData, s->pages, &addr);
		if (EFI_ERROR(st)) {
			loader_error(L"kernel.elf: load range 0x%lx-0x%lx is not free (AllocatePages: %r)",
				     s->base, end - 1, st);
			explain_range(s->base, end);
			kernel_unload(img);
			return st;
		}
		s->allocated = TRUE;
		/* Zero first: that is the bss and any gap between segments. */
		SetMem((void *)(UINTN)s->base, s->pages * KPAGE_SIZE, 0);
	}
	for (i = 0; i < img->nr_segs; i++)
		CopyMem((void *)(UINTN)img->segs[i].paddr,
			img->file + img->segs[i].offset, img->segs[i].filesz);
	return EFI_SUCCESS;
}

void kernel_unload(struct kernel_image *img)
{
	UINTN i;

	for (i = 0; i < img->nr_spans; i++) {
		if (img->spans[i].allocated)
			BS->FreePages(img->spans[i].base, img->spans[i].pages);
		img->spans[i].allocated = FALSE;
	}
}

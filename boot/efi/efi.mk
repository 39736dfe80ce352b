# boot/efi/efi.mk: kmm's GNU-EFI loader and a bootable EFI system partition
# directory, included by the top-level Makefile.
#
#   make efi        build/BOOTX64.EFI and build/esp/:
#                     build/esp/EFI/BOOT/BOOTX64.EFI   the loader
#                     build/esp/kernel.elf             copy of build/kernel.elf
#                     build/esp/kmm-cmdline.txt        $(CMDLINE), one line
#   make efi-test   boot the loader in QEMU+OVMF on broken kernels and check
#                   that it stops with a "kmm-efi: error: " line
#
# QEMU boots the directory as a FAT drive:
#   qemu-system-x86_64 -bios $(EFI_OVMF) -drive format=raw,file=fat:rw:build/esp
#
# The loader is a UEFI application, not kernel code: it is compiled with
# GNU-EFI's flags (position-independent, MS ABI calls, 2-byte wchar_t),
# linked as a shared object against GNU-EFI's crt0 and linker script, then
# converted to PE32+. Every variable here starts with EFI_.

EFI_INC     := /usr/include/efi
EFI_LIBDIR  := /usr/lib
EFI_CRT0    := $(EFI_LIBDIR)/crt0-efi-x86_64.o
EFI_LDS     := $(EFI_LIBDIR)/elf_x86_64_efi.lds
EFI_OVMF    ?= /usr/share/ovmf/OVMF.fd

EFI_CFLAGS  := -std=gnu11 -O2 -g -isystem $(EFI_INC) -isystem $(EFI_INC)/x86_64 -I. -Iinclude \
	-fpic -ffreestanding -fno-stack-protector -fshort-wchar -mno-red-zone \
	-maccumulate-outgoing-args -DGNU_EFI_USE_MS_ABI -fno-strict-aliasing \
	-Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wstrict-prototypes \
	-Wno-missing-field-initializers -MMD -MP
EFI_LDFLAGS := -shared -Bsymbolic -nostdlib -znocombreloc -T $(EFI_LDS)
EFI_LIBS    := -L$(EFI_LIBDIR) -lgnuefi -lefi
# The sections of the shared object that make up the PE image.
EFI_SECTIONS := -j .text -j .sdata -j .data -j .rodata -j .dynamic -j .dynsym \
	-j .rel -j .rela -j '.rel.*' -j '.rela.*' -j .reloc

EFI_SRCS    := $(sort $(wildcard boot/efi/*.c))
EFI_OBJS    := $(patsubst %.c,$(BUILD)/efi/%.o,$(EFI_SRCS))
EFI_SO      := $(BUILD)/efi/loader.so
EFI_APP     := $(BUILD)/BOOTX64.EFI
EFI_ESP     := $(BUILD)/esp
EFI_ESP_FILES := $(EFI_ESP)/EFI/BOOT/BOOTX64.EFI $(EFI_ESP)/kernel.elf \
	$(EFI_ESP)/kmm-cmdline.txt

.PHONY: efi efi-test efi-always
all: efi
efi: $(EFI_APP) $(EFI_ESP_FILES)

$(EFI_OBJS): | $(BUILD)/.deps-ok

$(BUILD)/efi/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(filter 0,$(V)),echo "  EFICC   $<")
	$(Q)$(CC) $(EFI_CFLAGS) -c $< -o $@

$(EFI_SO): $(EFI_OBJS) $(EFI_CRT0) $(EFI_LDS)
	@$(if $(filter 0,$(V)),echo "  EFILD   $@")
	$(Q)$(LD) $(EFI_LDFLAGS) $(EFI_CRT0) $(EFI_OBJS) -o $@ $(EFI_LIBS)

$(EFI_APP): $(EFI_SO)
	@$(if $(filter 0,$(V)),echo "  EFIAPP  $@")
	$(Q)$(OBJCOPY) $(EFI_SECTIONS) --target efi-app-x86_64 --subsystem=10 $< $@

$(EFI_ESP)/EFI/BOOT/BOOTX64.EFI: $(EFI_APP)
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

$(EFI_ESP)/kernel.elf: $(BUILD)/kernel.elf
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

# Rewritten only when $(CMDLINE) changed, so the ESP stays up to date with
# whatever CMDLINE= the last `make` was given.
$(EFI_ESP)/kmm-cmdline.txt: efi-always
	@mkdir -p $(dir $@)
	$(Q)printf '%s\n' '$(subst ','\'',$(CMDLINE))' > $@.tmp
	$(Q)if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

efi-always:

# A stand-in kernel that checks the hand-off (boot/efi/test/), so the
# loader can be tested before, and independently of, the real kernel.
EFI_STUB := $(BUILD)/efi/stub-kernel.elf
EFI_STUB_CFLAGS := -std=gnu11 -O2 -ffreestanding -fno-pic -fno-pie -mno-red-zone \
	-mgeneral-regs-only -fno-stack-protector -fno-asynchronous-unwind-tables \
	-fcf-protection=none -Wall -Wextra -Werror -I. -Iinclude
EFI_STUB_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,boot/efi/test/stub_kernel.ld \
	-Wl,-z,max-page-size=0x1000 -Wl,--build-id=none

$(EFI_STUB): boot/efi/test/stub_kernel.c boot/efi/test/stub_kernel.ld boot/efi_handoff.h
	@mkdir -p $(dir $@)
	@$(if $(filter 0,$(V)),echo "  EFISTUB $@")
	$(Q)$(CC) $(EFI_STUB_CFLAGS) $(EFI_STUB_LDFLAGS) -o $@ $<

efi-test: $(EFI_APP) $(EFI_STUB)
	$(Q)$(PYTHON) boot/efi/test/efi_test.py --loader $(EFI_APP) --stub $(EFI_STUB) \
		--ovmf $(EFI_OVMF) --qemu $(QEMU) --workdir $(BUILD)/efi-test

# make test runs the loader's QEMU cases too (about 40 s).
TEST_PROGRAMS += "efi-loader::$(PYTHON) boot/efi/test/efi_test.py --loader $(EFI_APP) --stub $(EFI_STUB) --ovmf $(EFI_OVMF) --qemu $(QEMU) --workdir $(BUILD)/efi-test"
TEST_PROGRAM_DEPS += $(EFI_APP) $(EFI_STUB)

# kmm: build, boot and test. `make help` lists the targets.
#
# Variables a user may override (make VAR=value):
CC        ?= gcc
HOSTCC    ?= gcc
CLANG     ?= clang
LD        := ld
OBJCOPY   ?= objcopy
NM        ?= nm
PYTHON    ?= python3
QEMU      ?= qemu-system-x86_64
OPT       ?= -O2
MEM       ?= 128M
SMP       ?= 2
CPU       ?= qemu64
FIRMWARE  ?= bios
CMDLINE   ?=
V         ?= 0

# Flags a user may not override: what makes the kernel a kernel.
BUILD := build
ifeq ($(V),1)
Q :=
else
Q := @
endif
ifeq ($(CC),cc)
CC := gcc
endif

COMMON_WARN := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-missing-field-initializers
INCLUDES := -I. -Iinclude

KERNEL_CFLAGS := -std=gnu11 $(OPT) -g -ffreestanding -fno-builtin -nostdlib \
	-mno-red-zone -mcmodel=kernel -mgeneral-regs-only -fno-pic -fno-pie \
	-fno-stack-protector -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	-fno-asynchronous-unwind-tables -fcf-protection=none -mno-80387 \
	$(COMMON_WARN) $(INCLUDES) -Iarch/x86_64 -MMD -MP
KERNEL_ASFLAGS := $(KERNEL_CFLAGS) -D__ASSEMBLY__
KERNEL_LDFLAGS := -nostdlib -static -no-pie -z max-page-size=0x1000 --no-dynamic-linker \
	-z noexecstack

# Kernel sources: each directory's files, by concept (see README "Tree").
KERNEL_SRCS := $(sort $(wildcard arch/x86_64/*.S arch/x86_64/*.c boot/*.S boot/*.c \
	kernel/*.c mm/*.c tests/kernel/*.c))
include mm/kasan/kasan.mk
KERNEL_OBJS := $(patsubst %,$(BUILD)/kernel/%.o,$(basename $(KERNEL_SRCS)))

# Host build of the very same code, with sanitizers, for `make check`.
HOST_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer -DKMM_HOST -DKMM_DEBUG \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined \
	$(COMMON_WARN) -Wno-missing-prototypes $(INCLUDES) -Itests/host -MMD -MP
HOST_LDFLAGS := -fsanitize=address,undefined -pthread
HOST_LIB_SRCS := $(sort $(wildcard mm/*.c) $(filter-out boot/efi/%,$(wildcard boot/*.c)) \
	kernel/vsprintf.c kernel/ktest.c kernel/cmdline.c kernel/logbuf.c \
	$(filter-out tests/host/test_%.c,$(wildcard tests/host/*.c)))
HOST_LIB_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,$(HOST_LIB_SRCS))
HOST_TESTS := $(patsubst tests/host/%.c,$(BUILD)/host/%,$(wildcard tests/host/test_*.c))

.PHONY: all kernel iso run test check debug clean deps help selfcheck host-tests
# Keep intermediate objects (test objects would otherwise be deleted after linking).
.SECONDARY:
all: deps kernel iso

help:
	@echo "make run       build, boot in QEMU, show the boot log and self-tests"
	@echo "make test      every test: host tests, then QEMU boots on a matrix"
	@echo "make check     host tests only (ASan+UBSan)"
	@echo "make debug     boot halted with a gdb stub and attach gdb"
	@echo "make efi       the GNU-EFI loader and an ESP directory"
	@echo "make bench     allocator figures (kmm, glibc, jemalloc, mimalloc, tcmalloc)"
	@echo "make fuzz      every libFuzzer target for FUZZ_SECONDS (make test runs fuzz-smoke)"
	@echo "make KASAN=1   the kernel with KASAN, in build/kasan/ (docs/kasan.md)"
	@echo "variables: MEM=$(MEM) SMP=$(SMP) CPU=$(CPU) FIRMWARE=bios|uefi|efi CMDLINE='...' V=1"

# Missing Debian packages are installed by the project itself (apt-get when root).
deps: $(BUILD)/.deps-ok
$(BUILD)/.deps-ok: tools/install-deps.sh
	@mkdir -p $(BUILD)
	$(Q)tools/install-deps.sh
	$(Q)touch $@
$(KERNEL_OBJS) $(HOST_LIB_OBJS): | $(BUILD)/.deps-ok

kernel: $(BUILD)/kernel.elf
iso: $(BUILD)/kmm.iso

# --- kernel -----------------------------------------------------------------
$(BUILD)/kernel/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(filter 0,$(V)),echo "  CC      $<")
	$(Q)$(CC) $(KERNEL_CFLAGS) $(call kasan_cflags,$<) -c $< -o $@

$(BUILD)/kernel/%.o: %.S
	@mkdir -p $(dir $@)
	@$(if $(filter 0,$(V)),echo "  AS      $<")
	$(Q)$(CC) $(KERNEL_ASFLAGS) -c $< -o $@

# Symbol names for backtraces: link once without them, list the symbols, link
# again with the list. .kallsyms is placed after everything else, so no other
# address moves between the two links (checked below).
$(BUILD)/kallsyms0.o: tools/gen-kallsyms.sh
	@mkdir -p $(BUILD)
	$(Q)tools/gen-kallsyms.sh < /dev/null > $(BUILD)/kallsyms0.S
	$(Q)$(CC) $(KERNEL_ASFLAGS) -c $(BUILD)/kallsyms0.S -o $@

$(BUILD)/linker.lds: linker.ld arch/x86_64/layout.h
	@mkdir -p $(BUILD)
	$(Q)$(CC) -E -P -x c -D__ASSEMBLY__ -Iarch/x86_64 linker.ld -o $@

$(BUILD)/kernel.elf: $(KERNEL_OBJS) $(BUILD)/kallsyms0.o $(BUILD)/linker.lds tools/gen-kallsyms.sh
	@$(if $(filter 0,$(V)),echo "  LD      $@")
	$(Q)$(LD) $(KERNEL_LDFLAGS) -T $(BUILD)/linker.lds -o $(BUILD)/kernel.pass1.elf $(KERNEL_OBJS) $(BUILD)/kallsyms0.o
	$(Q)$(NM) -n --defined-only $(BUILD)/kernel.pass1.elf | tools/gen-kallsyms.sh > $(BUILD)/kallsyms.S
	$(Q)$(CC) $(KERNEL_ASFLAGS) -c $(BUILD)/kallsyms.S -o $(BUILD)/kallsyms.o
	$(Q)$(LD) $(KERNEL_LDFLAGS) -T $(BUILD)/linker.lds -o $@.tmp $(KERNEL_OBJS) $(BUILD)/kallsyms.o
	$(Q)$(NM) -n --defined-only $(BUILD)/kernel.pass1.elf | grep -iv ' [a-z] kallsyms_\| _kernel_end\| __kallsyms' > $(BUILD)/syms1.txt
	$(Q)$(NM) -n --defined-only $@.tmp | grep -iv ' [a-z] kallsyms_\| _kernel_end\| __kallsyms' > $(BUILD)/syms2.txt
	$(Q)cmp -s $(BUILD)/syms1.txt $(BUILD)/syms2.txt || { echo "kallsyms: addresses moved between links"; exit 1; }
	$(Q)if command -v grub-file >/dev/null 2>&1 && ! grub-file --is-x86-multiboot2 $@.tmp; then \
		echo "$@: grub-file does not accept it as a Multiboot2 kernel"; exit 1; fi
	$(Q)mv $@.tmp $@

$(BUILD)/kmm.iso: $(BUILD)/kernel.elf tools/mkiso.sh
	@$(if $(filter 0,$(V)),echo "  ISO     $@")
	$(Q)tools/mkiso.sh $(BUILD)/kernel.elf $@ "$(CMDLINE)"

# Test programs beyond the host binaries, as "NAME::COMMAND" for the harness;
# the included fragments add theirs.
TEST_PROGRAMS :=
TEST_PROGRAM_DEPS :=
-include boot/efi/efi.mk
-include tests/bench/bench.mk
-include tests/fuzz/fuzz.mk
include mm/kasan/kasan-test.mk

# --- running ----------------------------------------------------------------
run: deps all
	$(Q)$(PYTHON) tests/harness.py run $(KASAN_RUN_ARGS) --mem $(MEM) --smp $(SMP) --cpu $(CPU) \
		--firmware $(FIRMWARE) --cmdline "$(CMDLINE)"

debug: deps all
	$(Q)tools/debug.sh $(BUILD)/kmm.iso $(BUILD)/kernel.elf

# --- tests ------------------------------------------------------------------
$(BUILD)/host/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(filter 0,$(V)),echo "  HOSTCC  $<")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/host/libkmm_host.a: $(HOST_LIB_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/host/test_%: $(BUILD)/host/tests/host/test_%.o $(BUILD)/host/libkmm_host.a
	$(Q)$(HOSTCC) $(HOST_LDFLAGS) -o $@ $< -Wl,--whole-archive $(BUILD)/host/libkmm_host.a -Wl,--no-whole-archive

host-tests: $(HOST_TESTS)

check: deps host-tests
	$(Q)$(PYTHON) tests/harness.py host $(HOST_TESTS)

test: deps all host-tests $(TEST_PROGRAM_DEPS)
	$(Q)$(PYTHON) tests/harness.py all --host $(HOST_TESTS) $(TEST_PROGRAMS)

selfcheck: deps all
	$(Q)$(PYTHON) tests/harness.py selfcheck

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

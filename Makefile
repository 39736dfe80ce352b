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
# libkmm: the most CPUs it keeps per-CPU state for (16 bytes per CPU in every
# kmem_cache, docs/porting.md), and "ID,SLOT", the %gs offsets of the fast
# per-CPU mode (docs/porting.md#fast-per-cpu-mode).
KMM_MAX_CPUS  ?= 32
KMM_PERCPU_GS ?=

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

FREESTANDING := -std=gnu11 $(OPT) -g -ffreestanding -fno-builtin -nostdlib \
	-mno-red-zone -mcmodel=kernel -mgeneral-regs-only -fno-pic -fno-pie \
	-fno-stack-protector -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	-fno-asynchronous-unwind-tables -fcf-protection=none -mno-80387

# libkmm (mm/ plus lib/): the allocators as a library any x86_64 higher-half
# kernel links. Its sources build with every warning and no -Wno-*.
LIB_SRCS := $(sort $(wildcard mm/*.c lib/*.c))
LIB_WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
lib_config = -DKMM_MAX_CPUS=$(1) $(if $(2),-DKMM_PERCPU_GS_CPU_ID=$(word 1,$(subst $(comma), ,$(2))) \
	-DKMM_PERCPU_GS_SLOT=$(word 2,$(subst $(comma), ,$(2))) \
	$(if $(word 3,$(subst $(comma), ,$(2))),-DKMM_PERCPU_GS_COUNTDOWN=$(word 3,$(subst $(comma), ,$(2)))))
comma := ,
LIB_CFLAGS = $(FREESTANDING) $(LIB_WARN) $(INCLUDES) -DKMM_LIBRARY_BUILD -MMD -MP
LIB_PUBLIC_HEADERS := include/kmm/kmm.h include/kmm/port.h
# kmm's own kernel keeps its CPU number, a slot for mm/ and KFENCE's
# countdown at %gs:8, %gs:16 and %gs:48 (arch/x86_64/percpu.h): its libkmm
# uses the fast per-CPU mode. It starts at most KERNEL_MAX_CPUS CPUs
# (NR_CPUS, percpu.h; the cost per CPU: docs/testing.md#cpus).
KERNEL_MAX_CPUS := 32
KERNEL_LIB_CONFIG := $(call lib_config,$(KERNEL_MAX_CPUS),8$(comma)16$(comma)48)

KERNEL_CFLAGS := $(FREESTANDING) $(COMMON_WARN) $(INCLUDES) -Iarch/x86_64 \
	$(KERNEL_LIB_CONFIG) -MMD -MP
KERNEL_ASFLAGS := $(KERNEL_CFLAGS) -D__ASSEMBLY__
KERNEL_LDFLAGS := -nostdlib -static -no-pie -z max-page-size=0x1000 --no-dynamic-linker \
	-z noexecstack

# Kernel sources: each directory's files, by concept (see README "Tree").
KERNEL_SRCS := $(sort $(wildcard arch/x86_64/*.S arch/x86_64/*.c boot/*.S boot/*.c \
	kernel/*.c tests/kernel/*.c))
include mm/kasan/kasan.mk
KERNEL_OBJS := $(patsubst %,$(BUILD)/kernel/%.o,$(basename $(KERNEL_SRCS)))

# Host build of the very same code, with sanitizers, for `make check`.
HOST_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer -DKMM_HOST -DKMM_DEBUG \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined \
	$(COMMON_WARN) -Wno-missing-prototypes $(INCLUDES) -Itests/host -MMD -MP
HOST_LDFLAGS := -fsanitize=address,undefined -pthread
# libkmm's sources but lib/string.c (the host has the C library's).
LIB_HOST_SRCS := $(filter-out lib/string.c,$(LIB_SRCS))
HOST_LIB_SRCS := $(sort $(LIB_HOST_SRCS) $(filter-out boot/efi/%,$(wildcard boot/*.c)) \
	kernel/ktest.c kernel/cmdline.c kernel/logbuf.c \
	$(filter-out tests/host/test_%.c,$(wildcard tests/host/*.c)))
HOST_LIB_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,$(HOST_LIB_SRCS))
HOST_TESTS := $(patsubst tests/host/%.c,$(BUILD)/host/%,$(wildcard tests/host/test_*.c))

.PHONY: all kernel iso run test check debug clean deps help selfcheck host-tests lib memmap
# Keep intermediate objects (test objects would otherwise be deleted after linking).
.SECONDARY:
all: deps kernel iso

help:
	@echo "make run       build, boot in QEMU, self-tests, then the kmm> shell (poweroff ends it)"
	@echo "make test      every test: host tests, then QEMU boots on a matrix"
	@echo "make check     host tests only (ASan+UBSan)"
	@echo "make lib       build/libkmm.a and its headers, for another kernel (docs/porting.md)"
	@echo "make debug     boot halted with a gdb stub and attach gdb (kmm-* commands)"
	@echo "make memmap    picture physical memory before/after fragmenting it (build/memmap.png)"
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
$(KERNEL_OBJS) $(HOST_LIB_OBJS) $(LIB_OBJS) $(KERNEL_LIB_OBJS): | $(BUILD)/.deps-ok

kernel: $(BUILD)/kernel.elf
iso: $(BUILD)/kmm.iso

# --- libkmm -----------------------------------------------------------------
LIB_OBJS := $(patsubst %.c,$(BUILD)/libkmm/%.o,$(LIB_SRCS))
KERNEL_LIB_OBJS := $(patsubst %.c,$(BUILD)/kernel/libkmm/%.o,$(LIB_SRCS))

lib: $(BUILD)/libkmm.a $(patsubst include/%,$(BUILD)/include/%,$(LIB_PUBLIC_HEADERS))
	@echo "libkmm: $(abspath $(BUILD)/libkmm.a) (KMM_MAX_CPUS=$(KMM_MAX_CPUS)$(if $(KMM_PERCPU_GS), KMM_PERCPU_GS=$(KMM_PERCPU_GS)))"
	@echo "headers: -I$(abspath $(BUILD)/include)  (#include <kmm/kmm.h>; glue: <kmm/port.h>)"

# Objects follow the configuration: changing CC, KMM_MAX_CPUS or
# KMM_PERCPU_GS rebuilds them (the stamp is rewritten only when it changes).
LIB_CONFIG := $(CC) $(call lib_config,$(KMM_MAX_CPUS),$(KMM_PERCPU_GS))
LIB_STAMP := $(BUILD)/libkmm/.config
$(shell mkdir -p $(BUILD)/libkmm && echo '$(LIB_CONFIG)' | cmp -s - $(LIB_STAMP) || \
	echo '$(LIB_CONFIG)' > $(LIB_STAMP))
$(LIB_OBJS): $(LIB_STAMP)

$(BUILD)/libkmm/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(filter 0,$(V)),echo "  CC      $< (libkmm)")
	$(Q)$(CC) $(LIB_CFLAGS) $(call lib_config,$(KMM_MAX_CPUS),$(KMM_PERCPU_GS)) -c $< -o $@

$(BUILD)/libkmm.a: $(LIB_OBJS)
	@$(if $(filter 0,$(V)),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/include/kmm/%.h: include/kmm/%.h
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

# The kernel's own libkmm: the same sources, in the kernel's per-CPU mode.
$(BUILD)/kernel/libkmm/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(filter 0,$(V)),echo "  CC      $< (kernel libkmm)")
	$(Q)$(CC) $(LIB_CFLAGS) $(KERNEL_LIB_CONFIG) $(KASAN_LIB_CFLAGS) $(call kasan_cflags,$<) -c $< -o $@

$(BUILD)/kernel/libkmm.a: $(KERNEL_LIB_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

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

$(BUILD)/kernel.elf: $(KERNEL_OBJS) $(BUILD)/kernel/libkmm.a $(BUILD)/kallsyms0.o $(BUILD)/linker.lds tools/gen-kallsyms.sh
	@$(if $(filter 0,$(V)),echo "  LD      $@")
	$(Q)$(LD) $(KERNEL_LDFLAGS) -T $(BUILD)/linker.lds -o $(BUILD)/kernel.pass1.elf $(KERNEL_OBJS) $(BUILD)/kernel/libkmm.a $(BUILD)/kallsyms0.o
	$(Q)$(NM) -n --defined-only $(BUILD)/kernel.pass1.elf | tools/gen-kallsyms.sh > $(BUILD)/kallsyms.S
	$(Q)$(CC) $(KERNEL_ASFLAGS) -c $(BUILD)/kallsyms.S -o $(BUILD)/kallsyms.o
	$(Q)$(LD) $(KERNEL_LDFLAGS) -T $(BUILD)/linker.lds -o $@.tmp $(KERNEL_OBJS) $(BUILD)/kernel/libkmm.a $(BUILD)/kallsyms.o
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
-include tests/lib/lib.mk
# The monitor shell over the serial port, gdb's kmm-* commands, the memmap picture tool.
TEST_PROGRAMS += "shell::$(PYTHON) tests/shell_test.py"
TEST_PROGRAMS += "memmap-tool::$(PYTHON) tests/memmap_tool_test.py"
TEST_PROGRAMS += "gdb::$(PYTHON) tests/gdb_test.py"

include mm/kasan/kasan-test.mk

# --- running ----------------------------------------------------------------
run: deps all
	$(Q)$(PYTHON) tests/harness.py run --shell $(KASAN_RUN_ARGS) --mem $(MEM) --smp $(SMP) --cpu $(CPU) \
		--firmware $(FIRMWARE) --cmdline "$(CMDLINE)"

# Boot at the shell, fragment memory, draw it: build/memmap-before.png, build/memmap.png.
memmap: deps all
	$(Q)$(PYTHON) tools/memmap_demo.py --mem $(MEM) --out $(BUILD)

debug: deps all
	$(Q)tools/debug.sh $(BUILD)/kmm.iso $(BUILD)/kernel.elf

# --- tests ------------------------------------------------------------------
# libkmm's sources get its own printk and panic (mm/namespace.h).
$(BUILD)/host/mm/%.o $(BUILD)/host/lib/%.o: HOST_CFLAGS += -DKMM_LIBRARY_BUILD
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

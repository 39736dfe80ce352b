# SPDX-License-Identifier: MIT
# libkmm's own tests (included by the top-level Makefile), all in make test:
#
#   lib-symbols  tests/lib/symbols.sh over build/libkmm.a (GCC) and
#                build/libkmm-clang.a (the same library built by clang)
#   lib-clash    tests/lib/clash.sh over the installed public headers
#   example-minimal, example-minimal-fail
#                tests/lib/boot_example.sh: the example kernel passes, and
#                fails when one of its checks fails

LIB_CLANG_OBJS := $(patsubst %.c,$(BUILD)/libkmm-clang/%.o,$(LIB_SRCS))

$(LIB_CLANG_OBJS): $(LIB_STAMP) | $(BUILD)/.deps-ok
$(BUILD)/libkmm-clang/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(filter 0,$(V)),echo "  CLANG   $< (libkmm)")
	$(Q)$(CLANG) $(LIB_CFLAGS) $(call lib_config,$(KMM_MAX_CPUS),$(KMM_PERCPU_GS)) -c $< -o $@

$(BUILD)/libkmm-clang.a: $(LIB_CLANG_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

TEST_PROGRAMS += "lib-symbols::tests/lib/symbols.sh $(BUILD)/libkmm.a $(NM) $(CC)" \
	"lib-symbols-clang::tests/lib/symbols.sh $(BUILD)/libkmm-clang.a $(NM) $(CLANG)" \
	"lib-clash::tests/lib/clash.sh $(BUILD)/include"
TEST_PROGRAM_DEPS += lib $(BUILD)/libkmm-clang.a

# The worked foreign kernel (examples/minimal), built by its own Makefile
# against build/libkmm.a and build/include/, as a porter would, and booted
# on SeaBIOS + GRUB: once to pass, once with a deliberately failing check.
EXAMPLE_DIR := $(BUILD)/examples/minimal
.PHONY: example
example: $(EXAMPLE_DIR)/kernel.elf
$(EXAMPLE_DIR)/kernel.elf: lib $(wildcard examples/minimal/*)
	$(Q)$(MAKE) --no-print-directory -C examples/minimal KMM=$(CURDIR) \
		OUT=$(CURDIR)/$(EXAMPLE_DIR) CC=$(CC) LD=$(LD) $(if $(filter 0,$(V)),-s)

TEST_PROGRAMS += "example-minimal::tests/lib/boot_example.sh $(EXAMPLE_DIR)/kernel.elf" \
	"example-minimal-fail::tests/lib/boot_example.sh $(EXAMPLE_DIR)/kernel.elf fail"
TEST_PROGRAM_DEPS += $(EXAMPLE_DIR)/kernel.elf

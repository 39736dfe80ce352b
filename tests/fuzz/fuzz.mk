# SPDX-License-Identifier: MIT
# libFuzzer targets over mm/ and boot/ (included by the top-level Makefile).
#
#   make fuzz         each target for FUZZ_SECONDS (default 60), corpus kept
#                     in build/fuzz/corpus/<target>, crashes in
#                     build/fuzz/artifacts/<target>/
#   make fuzz-smoke   replay every seed and regression input, then fuzz each
#                     target for FUZZ_SMOKE_SECONDS (default 3); prints KTAP
#   make fuzz-build   just the binaries, build/fuzz/fuzz_<target>
#
# A crash found becomes a file in tests/fuzz/regressions/<target>/, replayed
# by every fuzz-smoke from then on.

FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_SECONDS ?= 3
FUZZ_CC            ?= $(CLANG)

FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_TARGETS := buddy slab memblock mb2 efi_map srat
FUZZ_BINS    := $(patsubst %,$(FUZZ_DIR)/fuzz_%,$(FUZZ_TARGETS))

# The same code as the host tests (the port in tests/host), built by clang
# with coverage for libFuzzer; the tests' own main() and cases stay out.
FUZZ_LIB_SRCS := $(sort $(LIB_HOST_SRCS) $(filter-out boot/efi/%,$(wildcard boot/*.c)) \
	kernel/ktest.c kernel/cmdline.c kernel/logbuf.c \
	$(filter-out tests/host/test_%.c tests/host/main.c,$(wildcard tests/host/*.c)))
FUZZ_LIB_OBJS := $(patsubst %.c,$(FUZZ_DIR)/%.o,$(FUZZ_LIB_SRCS))

FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer -DKMM_HOST -DKMM_DEBUG \
	-fsanitize=fuzzer-no-link $(FUZZ_SAN) $(COMMON_WARN) -Wno-missing-prototypes \
	$(INCLUDES) -Itests/host -MMD -MP
FUZZ_LDFLAGS := -fsanitize=fuzzer $(FUZZ_SAN) -pthread

# The targets' own objects: kept (not intermediate) so a rebuild is incremental.
FUZZ_OBJS := $(patsubst %,$(FUZZ_DIR)/tests/fuzz/fuzz_%.o,$(FUZZ_TARGETS) common)

.PHONY: fuzz fuzz-smoke fuzz-build
fuzz-build: $(FUZZ_BINS)

$(FUZZ_LIB_OBJS) $(FUZZ_BINS): | $(BUILD)/.deps-ok

$(FUZZ_DIR)/mm/%.o $(FUZZ_DIR)/lib/%.o: FUZZ_CFLAGS += -DKMM_LIBRARY_BUILD
$(FUZZ_DIR)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(filter 0,$(V)),echo "  FUZZCC  $<")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_DIR)/libkmm_fuzz.a: $(FUZZ_LIB_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/tests/fuzz/fuzz_%.o $(FUZZ_DIR)/tests/fuzz/fuzz_common.o \
		$(FUZZ_DIR)/libkmm_fuzz.a
	@$(if $(filter 0,$(V)),echo "  FUZZLD  $@")
	$(Q)$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $(filter %.o,$^) \
		-Wl,--whole-archive $(FUZZ_DIR)/libkmm_fuzz.a -Wl,--no-whole-archive

fuzz-smoke: $(FUZZ_BINS)
	$(Q)tests/fuzz/run.sh smoke $(FUZZ_SMOKE_SECONDS) $(FUZZ_DIR) $(FUZZ_TARGETS)

fuzz: $(FUZZ_BINS)
	$(Q)tests/fuzz/run.sh long $(FUZZ_SECONDS) $(FUZZ_DIR) $(FUZZ_TARGETS)

# make test runs the smoke pass (a few seconds per target) in its summary.
TEST_PROGRAMS += "fuzz-smoke::tests/fuzz/run.sh smoke $(FUZZ_SMOKE_SECONDS) $(FUZZ_DIR) $(FUZZ_TARGETS)"
TEST_PROGRAM_DEPS += $(FUZZ_BINS)

# SPDX-License-Identifier: MIT
# Benchmarks (included by the Makefile; docs/benchmarks.md explains them).
#
#   make bench        callgrind instruction counts, then every allocator side
#                     by side; tables on the terminal, CSV under build/bench/
#   make plots        PNG/SVG under docs/plots/ from build/bench/*.csv
#   make traces       regenerate tests/traces/*.trace (deterministic)
#   make bench-quick  a tenth of the work, for trying things out
#
# mm/ is built again here, -O2 without sanitizers and without KMM_DEBUG (as
# the kernel is built), with the host port, into build/bench/.
BENCH_DIR     := $(BUILD)/bench
BENCH_BIN     := $(BENCH_DIR)/kmm-bench
BENCH_ARGS    ?=
BENCH_CFLAGS  := -std=gnu11 -O2 -g -fno-omit-frame-pointer -DKMM_HOST \
	$(COMMON_WARN) -Wno-missing-prototypes $(INCLUDES) -Itests/host -MMD -MP
BENCH_LDFLAGS := -pthread
BENCH_LIB_SRCS := $(LIB_HOST_SRCS) kernel/ktest.c kernel/cmdline.c kernel/logbuf.c \
	tests/host/port.c tests/host/compat.c tests/host/seed_alloc.c
# The driver every program shares; kmm-bench adds kmm and the seed allocators.
BENCH_DRIVER  := tests/bench/bench.c tests/bench/trace.c
BENCH_KMM_SRCS := tests/bench/backend_kmm.c tests/bench/backend_seed.c
BENCH_OBJS    := $(patsubst %.c,$(BENCH_DIR)/obj/%.o,$(BENCH_LIB_SRCS) $(BENCH_DRIVER) $(BENCH_KMM_SRCS))
BENCH_DRIVER_OBJS := $(patsubst %.c,$(BENCH_DIR)/obj/%.o,$(BENCH_DRIVER))
BENCH_TRACES  := $(sort $(wildcard tests/traces/*.trace))
BENCH_VALGRIND := valgrind

# Each malloc linked directly into a program of its own (backend_malloc.c):
# jemalloc and tcmalloc statically, mimalloc from its shared library (Debian
# ships no static one), glibc as the C library's own.
BENCH_MALLOCS := glibc jemalloc mimalloc tcmalloc
BENCH_MALLOC_BINS := $(patsubst %,$(BENCH_BIN)-%,$(BENCH_MALLOCS))
BENCH_LIBS_glibc :=
BENCH_LIBS_jemalloc := -Wl,-Bstatic -ljemalloc -Wl,-Bdynamic -ldl -lm
BENCH_LIBS_mimalloc := -lmimalloc
BENCH_LIBS_tcmalloc := -Wl,-Bstatic -ltcmalloc_minimal -Wl,-Bdynamic -lstdc++ -lm
BENCH_DEF_glibc := -DBM_GLIBC
BENCH_DEF_jemalloc := -DBM_JEMALLOC
BENCH_DEF_mimalloc := -DBM_MIMALLOC
BENCH_DEF_tcmalloc := -DBM_TCMALLOC

.PHONY: bench bench-quick bench-callgrind plots traces
bench: $(BUILD)/.deps-bench-ok $(BENCH_BIN) $(BENCH_MALLOC_BINS)
	$(Q)tests/bench/callgrind.sh $(BENCH_BIN) $(BENCH_DIR) "$(BENCH_VALGRIND)"
	$(Q)$(BENCH_BIN) --out $(BENCH_DIR) $(BENCH_ARGS)

bench-quick: $(BUILD)/.deps-bench-ok $(BENCH_BIN) $(BENCH_MALLOC_BINS)
	$(Q)$(BENCH_BIN) --quick --out $(BENCH_DIR) $(BENCH_ARGS)

bench-callgrind: $(BUILD)/.deps-bench-ok $(BENCH_BIN) $(BENCH_MALLOC_BINS)
	$(Q)tests/bench/callgrind.sh $(BENCH_BIN) $(BENCH_DIR) "$(BENCH_VALGRIND)"

$(BUILD)/.deps-bench-ok: tools/install-deps.sh
	@mkdir -p $(BUILD)
	$(Q)tools/install-deps.sh bench
	$(Q)touch $@

$(BENCH_DIR)/obj/mm/%.o $(BENCH_DIR)/obj/lib/%.o: BENCH_CFLAGS += -DKMM_LIBRARY_BUILD
$(BENCH_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(filter 0,$(V)),echo "  BENCHCC $<")
	$(Q)$(HOSTCC) $(BENCH_CFLAGS) -c $< -o $@

# kmm-bench itself needs no bench package: `make test` builds it (never runs
# it) so that a link break in the benchmark is caught where the tests are.
TEST_PROGRAM_DEPS += $(BENCH_BIN)

$(BENCH_BIN): $(BENCH_OBJS)
	@$(if $(filter 0,$(V)),echo "  LD      $@")
	$(Q)$(HOSTCC) $(BENCH_LDFLAGS) -o $@ $^

$(BENCH_DIR)/obj/backend_malloc-%.o: tests/bench/backend_malloc.c | $(BUILD)/.deps-bench-ok
	@mkdir -p $(dir $@)
	@$(if $(filter 0,$(V)),echo "  BENCHCC $< ($*)")
	$(Q)$(HOSTCC) $(BENCH_CFLAGS) $(BENCH_DEF_$*) -c $< -o $@

$(BENCH_BIN)-%: $(BENCH_DRIVER_OBJS) $(BENCH_DIR)/obj/backend_malloc-%.o
	@$(if $(filter 0,$(V)),echo "  LD      $@")
	$(Q)$(HOSTCC) $(BENCH_LDFLAGS) -o $@ $^ $(BENCH_LIBS_$*)


plots: $(BUILD)/.deps-bench-ok
	@test -f $(BENCH_DIR)/ops_wide.csv || { echo "plots: run 'make bench' first"; exit 1; }
	@mkdir -p docs/plots
	$(Q)gnuplot -e "indir='$(BENCH_DIR)'; outdir='docs/plots'" tests/bench/plots.gp
	@echo "  PLOTS   docs/plots/"

traces:
	$(Q)$(PYTHON) tests/traces/gen_traces.py tests/traces

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
BENCH_LDLIBS  := -ldl
BENCH_LIB_SRCS := $(LIB_HOST_SRCS) kernel/cmdline.c kernel/logbuf.c \
	tests/host/port.c tests/host/compat.c tests/host/seed_alloc.c
BENCH_SRCS    := $(sort $(wildcard tests/bench/*.c))
BENCH_OBJS    := $(patsubst %.c,$(BENCH_DIR)/obj/%.o,$(BENCH_LIB_SRCS) $(BENCH_SRCS))
BENCH_TRACES  := $(sort $(wildcard tests/traces/*.trace))
BENCH_VALGRIND := env GLIBC_TUNABLES=glibc.rtld.optional_static_tls=65536 valgrind

.PHONY: bench bench-quick bench-callgrind plots traces
bench: $(BUILD)/.deps-bench-ok $(BENCH_BIN)
	$(Q)tests/bench/callgrind.sh $(BENCH_BIN) $(BENCH_DIR) "$(BENCH_VALGRIND)"
	$(Q)$(BENCH_BIN) --out $(BENCH_DIR) $(BENCH_ARGS)

bench-quick: $(BUILD)/.deps-bench-ok $(BENCH_BIN)
	$(Q)$(BENCH_BIN) --quick --out $(BENCH_DIR) $(BENCH_ARGS)

bench-callgrind: $(BUILD)/.deps-bench-ok $(BENCH_BIN)
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

$(BENCH_OBJS): | $(BUILD)/.deps-bench-ok

$(BENCH_BIN): $(BENCH_OBJS)
	@$(if $(filter 0,$(V)),echo "  LD      $@")
	$(Q)$(HOSTCC) $(BENCH_LDFLAGS) -o $@ $^ $(BENCH_LDLIBS)

plots: $(BUILD)/.deps-bench-ok
	@test -f $(BENCH_DIR)/ops_wide.csv || { echo "plots: run 'make bench' first"; exit 1; }
	@mkdir -p docs/plots
	$(Q)gnuplot -e "indir='$(BENCH_DIR)'; outdir='docs/plots'" tests/bench/plots.gp
	@echo "  PLOTS   docs/plots/"

traces:
	$(Q)$(PYTHON) tests/traces/gen_traces.py tests/traces

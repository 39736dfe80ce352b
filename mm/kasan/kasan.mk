# SPDX-License-Identifier: MIT
# The KASAN build (make KASAN=1), included by the top-level Makefile right
# after the kernel's source list: everything goes to build/kasan/, the
# runtime (mm/kasan/) joins the sources, and mm/, kernel/ and tests/kernel
# are built with GCC's generic KASAN in outline mode (a call per access).
# Not instrumented: boot/ and arch/ (they run before the shadow exists, or
# are the page tables it lives in), the runtime itself, and the allocators'
# insides, which handle free and red-zone memory by design (as Linux leaves
# out slub.c); their callers are checked through the hooks of mm/kasan.h.
KASAN ?= 0
ifeq ($(KASAN),1)
BUILD := build/kasan
KERNEL_SRCS += $(sort $(wildcard mm/kasan/*.c arch/x86_64/kasan/*.c))
KERNEL_CFLAGS += -DKMM_KASAN
KERNEL_ASFLAGS += -DKMM_KASAN
KASAN_CFLAGS := -fsanitize=kernel-address -fasan-shadow-offset=0xdffffc0000000000 \
	--param asan-instrumentation-with-call-threshold=0 \
	--param asan-stack=1 --param asan-globals=1
KASAN_SANITIZE_n := mm/kasan/% mm/kfence.c mm/slab.c mm/slab_bulk.c mm/slab_depot.c mm/slab_cache.c mm/slab_debug.c \
	mm/slab_node.c \
	mm/kmalloc.c mm/page_alloc.c mm/page_poison.c
KASAN_INSTRUMENTED := $(filter-out $(KASAN_SANITIZE_n), \
	$(filter mm/% kernel/% tests/kernel/%,$(KERNEL_SRCS) $(LIB_SRCS)))
# The kernel's libkmm (mm/ and lib/) is built for KASAN too.
KASAN_LIB_CFLAGS := -DKMM_KASAN
kasan_cflags = $(if $(filter $(KASAN_INSTRUMENTED),$(1)),$(KASAN_CFLAGS))
KASAN_RUN_ARGS := --kernel $(BUILD)/kernel.elf
endif

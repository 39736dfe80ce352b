# SPDX-License-Identifier: MIT
# `make test` builds the KASAN kernel (build/kasan/kernel.elf) and boots it
# twice (tests/kasan_boots.py): the kasan suite, and the default self-tests,
# which must print no KASAN report.
ifneq ($(KASAN),1)
.PHONY: kasan-kernel
kasan-kernel:
	$(Q)$(MAKE) --no-print-directory KASAN=1 kernel
TEST_PROGRAM_DEPS += kasan-kernel
TEST_PROGRAMS += "kasan::$(PYTHON) tests/kasan_boots.py --kernel build/kasan/kernel.elf"
endif

# In the KASAN build every object depends on its flags, which live above.
ifeq ($(KASAN),1)
$(KERNEL_OBJS) $(KERNEL_LIB_OBJS): mm/kasan/kasan.mk
endif

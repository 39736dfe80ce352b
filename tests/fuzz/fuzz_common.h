/* SPDX-License-Identifier: MIT */
/*
 * What every fuzz target shares: reading the input as a stream of choices,
 * a quiet console, and failing loudly.
 *
 * A target turns its input into a sequence of operations with fz_u8() and
 * friends; past the end of the input every read returns 0, so any input is
 * a complete, valid program. A broken invariant calls FUZZ_CHECK(), which
 * prints the reason on stderr and aborts: libFuzzer records the input as a
 * crash. mm/'s own panic() (tests/host/port.c) aborts too.
 *
 * The console: misuse reports are the expected outcome of many inputs, so
 * kernel messages stay off stdout (they are still recorded, for
 * fuzz_reported()). KMM_FUZZ_VERBOSE=1 in the environment shows them, which
 * is what you want when replaying a crash:
 *
 *   KMM_FUZZ_VERBOSE=1 build/fuzz/fuzz_buddy tests/fuzz/regressions/buddy/x
 */
#ifndef TESTS_FUZZ_FUZZ_COMMON_H
#define TESTS_FUZZ_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include "kmm/types.h"
#include "kmm/compiler.h"

struct fuzz_input {
	const u8 *data;
	size_t size;
	size_t pos;
};

static inline void fz_init(struct fuzz_input *in, const u8 *data, size_t size)
{
	in->data = data;
	in->size = size;
	in->pos = 0;
}

static inline bool fz_done(const struct fuzz_input *in)
{
	return in->pos >= in->size;
}

static inline u8 fz_u8(struct fuzz_input *in)
{
	return in->pos < in->size ? in->data[in->pos++] : 0;
}

static inline u16 fz_u16(struct fuzz_input *in)
{
	return (u16)(fz_u8(in) | fz_u8(in) << 8);
}

static inline u32 fz_u32(struct fuzz_input *in)
{
	return fz_u16(in) | (u32)fz_u16(in) << 16;
}

static inline u64 fz_u64(struct fuzz_input *in)
{
	return fz_u32(in) | (u64)fz_u32(in) << 32;
}

/* Quiet console unless KMM_FUZZ_VERBOSE is set; call from LLVMFuzzerInitialize. */
void fuzz_setup_console(void);

/* Whether @text was printed by the kernel code since @mark (ktest_console_mark). */
bool fuzz_reported(unsigned long mark, const char *text);

void fuzz_fail(const char *file, int line, const char *fmt, ...)
	__printf(3, 4) __attribute__((noreturn));

#define FUZZ_CHECK(cond, fmt, ...)                                           \
	do {                                                                 \
		if (!(cond))                                                 \
			fuzz_fail(__FILE__, __LINE__, "%s: " fmt, #cond,     \
				  ##__VA_ARGS__);                            \
	} while (0)


/* ---- struct boot_info: invariants and a reference model of its table ---- */

struct boot_info;

/*
 * What boot/boot_info.h promises of a filled table: at most
 * BOOT_MAX_MEM_RANGES ranges, each non-empty, not wrapping and of a known
 * type, sorted, disjoint, touching ranges of one type merged; strings
 * NUL-terminated. Fails the input otherwise.
 */
void fuzz_check_boot_info(const struct boot_info *bi);

/*
 * The model: ranges painted in any order, each point keeping the most
 * restrictive type (usable < bootloader < ACPI reclaim < reserved < MMIO <
 * firmware runtime < ACPI NVS < bad). fuzz_paint_expect() fails the input
 * unless @bi's table is exactly the painted picture.
 */
#define FUZZ_PAINT_MAX 4096
struct fuzz_paint {
	unsigned int n;
	struct {
		u64 base, end;
		u32 type;
	} r[FUZZ_PAINT_MAX];
};

void fuzz_paint_add(struct fuzz_paint *p, u64 base, u64 size, u32 type);
void fuzz_paint_expect(const struct fuzz_paint *p, const struct boot_info *bi);

#endif /* TESTS_FUZZ_FUZZ_COMMON_H */

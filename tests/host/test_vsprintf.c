// SPDX-License-Identifier: MIT
/*
 * lib/vsprintf.c against the host C library's vsnprintf.
 *
 * Ours are kmm_vsnprintf/kmm_snprintf (kmm/printk.h maps the usual names
 * to them); the reference is the C library's, found by its own name with
 * dlsym(RTLD_NEXT). Calls to ours go through
 * vsnprintf with a va_list so the compiler cannot fold a constant format
 * at build time and bypass the code under test.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <stdint.h>
#include "kernel/ktest.h"
#include <string.h>
#include "kmm/string.h"

typedef int (*vsnprintf_fn)(char *, size_t, const char *, va_list);

#define CMP_BUF 1024

static vsnprintf_fn libc_vsnprintf(void)
{
	static vsnprintf_fn fn;

	if (!fn)
		fn = (vsnprintf_fn)dlsym(RTLD_NEXT, "vsnprintf");
	return fn;
}

static int ours(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static int ref(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = libc_vsnprintf()(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/*
 * Format with both implementations: full output, then every buffer size
 * from 0 to past the end, checking the return value, the stored prefix, the
 * NUL and that no byte past the buffer was written.
 */
static void __printf(3, 4) check_fmt(struct ktest *t, int line,
				     const char *fmt, ...)
{
	char want[CMP_BUF], got[CMP_BUF];
	va_list ap, aq;
	int nw, ng;
	size_t size;

	if (!libc_vsnprintf()) {
		ktest_fail_at(t, __FILE__, line, "no libc vsnprintf");
		return;
	}

	va_start(ap, fmt);
	va_copy(aq, ap);
	nw = libc_vsnprintf()(want, sizeof(want), fmt, aq);
	va_end(aq);
	va_copy(aq, ap);
	ng = vsnprintf(got, sizeof(got), fmt, aq);
	va_end(aq);
	if (nw != ng || strcmp(want, got)) {
		ktest_fail_at(t, __FILE__, line,
			      "format \"%s\": ours %d \"%s\", libc %d \"%s\"",
			      fmt, ng, got, nw, want);
		va_end(ap);
		return;
	}

	for (size = 0; nw < 200 && size <= (size_t)nw + 2; size++) {
		size_t kept = size ? min(size - 1, (size_t)nw) : 0, i;

		memset(got, 0xa5, sizeof(got));
		va_copy(aq, ap);
		ng = vsnprintf(size ? got : NULL, size, fmt, aq);
		va_end(aq);
		if (ng != nw)
			ktest_fail_at(t, __FILE__, line,
				      "format \"%s\", size %zu: returned %d, want %d",
				      fmt, size, ng, nw);
		if (memcmp(got, want, kept) || (size && got[kept] != '\0'))
			ktest_fail_at(t, __FILE__, line,
				      "format \"%s\", size %zu: bad prefix or NUL",
				      fmt, size);
		for (i = size; i < sizeof(got); i++) {
			if ((unsigned char)got[i] != 0xa5) {
				ktest_fail_at(t, __FILE__, line,
					      "format \"%s\", size %zu: wrote byte %zu",
					      fmt, size, i);
				break;
			}
		}
	}
	va_end(ap);
}

#define CHECK(t, fmt, ...) check_fmt(t, __LINE__, fmt, ##__VA_ARGS__)

/* The same for formats the compiler would warn about (ignored flags). */
#define CHECK_UNVETTED(t, fmt, ...)                                         \
	do {                                                                \
		const char *volatile __fmt = (fmt);                         \
		check_fmt(t, __LINE__, __fmt, ##__VA_ARGS__);               \
	} while (0)

/* Expect our output to be exactly @want (for what libc does differently). */
#define EXPECT_OURS(t, want, fmt, ...)                                      \
	do {                                                                \
		char __buf[CMP_BUF];                                        \
		int __n = ours(__buf, sizeof(__buf), fmt, ##__VA_ARGS__);   \
		KTEST_EXPECT_STREQ(t, __buf, want);                         \
		KTEST_EXPECT_EQ(t, __n, (int)strlen(want));                 \
	} while (0)

static void plain_text(struct ktest *t)
{
	/* The reference must be the C library's, not ours again. */
	KTEST_ASSERT_TRUE(t, libc_vsnprintf() && libc_vsnprintf() != vsnprintf);
	CHECK_UNVETTED(t, "");
	CHECK(t, "hello, world");
	CHECK(t, "%%");
	CHECK(t, "100%% sure %%%%");
	CHECK(t, "a%cb", 'x');
}

static void decimal_extremes(struct ktest *t)
{
	CHECK(t, "%d %d %d", 0, 1, -1);
	CHECK(t, "%d|%i", INT_MAX, INT_MIN);
	CHECK(t, "%u", UINT_MAX);
	CHECK(t, "%ld|%ld", LONG_MAX, LONG_MIN);
	CHECK(t, "%lu", ULONG_MAX);
	CHECK(t, "%lld|%lld", LLONG_MAX, LLONG_MIN);
	CHECK(t, "%llu", ULLONG_MAX);
	CHECK(t, "%lli", -1234567890123LL);
	CHECK(t, "%zu|%zd|%zd", SIZE_MAX, (long)-5, (long)LONG_MIN);
	CHECK(t, "%zx", (size_t)0xfedcba9876543210ULL);
}

static void short_and_char_lengths(struct ktest *t)
{
	CHECK(t, "%hd|%hu|%hx", 70000, 70000, 0x12345);
	CHECK(t, "%hd|%hd", -32768, 32767);
	CHECK(t, "%hhd|%hhu|%hhx", 200, 300, 0x1ff);
	CHECK(t, "%hhd|%hhd", -128, 127);
	CHECK(t, "%hho", 0777);
}

static void hex_and_octal(struct ktest *t)
{
	CHECK(t, "%x|%X|%o", 0u, 0u, 0u);
	CHECK(t, "%x|%X", 0xdeadbeefu, 0xdeadbeefu);
	CHECK(t, "%o", UINT_MAX);
	CHECK(t, "%llx|%llX|%llo", ULLONG_MAX, ULLONG_MAX, ULLONG_MAX);
	CHECK(t, "%lx", 0x8000000000000000UL);
	CHECK(t, "%#x|%#X|%#o", 0u, 0u, 0u);
	CHECK(t, "%#x|%#X|%#o|%#o", 255u, 255u, 8u, 1u);
	CHECK(t, "%#llx|%#llo", ULLONG_MAX, ULLONG_MAX);
	CHECK(t, "%#08x|%#-8x|%#8x|", 0xabu, 0xabu, 0xabu);
	CHECK(t, "%#.5x|%#.5o|%#.1o|%#.0o", 0x1fu, 8u, 8u, 0u);
	CHECK(t, "%#010X", 0xbeefu);
}

static void widths_and_flags(struct ktest *t)
{
	CHECK(t, "[%5d][%-5d][%05d]", 42, 42, 42);
	CHECK(t, "[%5d][%-5d][%05d]", -42, -42, -42);
	CHECK(t, "[%+d][%+d][%+d]", 0, 5, -5);
	CHECK(t, "[% d][% d][% d]", 0, 5, -5);
	CHECK_UNVETTED(t, "[%+ d][% +d]", 5, 5);
	CHECK(t, "[%+05d][% 05d][%-+5d][%- 5d]", 7, 7, 7, 7);
	CHECK_UNVETTED(t, "[%-08d][%0-8d]", 7, -7);
	CHECK(t, "[%1d][%2d]", 12345, -12345);
	CHECK(t, "[%020lld][%-20lld][%+20lld]", LLONG_MIN, LLONG_MIN,
	      LLONG_MAX);
	CHECK(t, "[%08u][%-8u][%8x]", 123u, 123u, 0xfu);
	CHECK(t, "[%300d]", 1);
	CHECK(t, "[%-300u]", 1u);
}

static void precision(struct ktest *t)
{
	CHECK(t, "[%.3d][%.3d][%.1d]", 7, -7, 12345);
	CHECK(t, "[%.0d][%.0u][%.0x][%.0o]", 0, 0u, 0u, 0u);
	CHECK(t, "[%5.0d][%-5.0d][%+.0d][% .0d]", 0, 0, 0, 0);
	CHECK(t, "[%.0d][%.0d]", 1, -1);
	CHECK_UNVETTED(t, "[%08.3d][%08.3d][%-8.3d]", 5, -5, 5);
	CHECK(t, "[%.10lld][%.25llu]", LLONG_MIN, ULLONG_MAX);
	CHECK(t, "[%.d][%.x]", 0, 0u);
	CHECK_UNVETTED(t, "[%10.4x][%-10.4X][%010.4x]", 0xabu, 0xabu, 0xabu);
	CHECK(t, "[%+.4d][% 8.4d]", 3, 3);
}

static void star_arguments(struct ktest *t)
{
	CHECK(t, "[%*d]", 6, 42);
	CHECK(t, "[%*d]", -6, 42);
	CHECK(t, "[%0*d]", 6, -42);
	CHECK(t, "[%.*d]", 4, 42);
	CHECK(t, "[%.*d]", -1, 42);
	CHECK(t, "[%.*d]", 0, 0);
	CHECK(t, "[%*.*d]", 8, 3, 42);
	CHECK(t, "[%-*.*x]", 8, 3, 0x42u);
	CHECK(t, "[%*s][%-*s]", 5, "ab", 5, "ab");
	CHECK(t, "[%.*s][%.*s]", 2, "abcdef", -1, "abcdef");
	CHECK(t, "[%*c]", 3, 'z');
}

static void chars_and_strings(struct ktest *t)
{
	CHECK(t, "[%c][%5c][%-5c]", 'A', 'B', 'C');
	CHECK(t, "[%c]", 0x141); /* converted to unsigned char: 'A' */
	CHECK(t, "[%s][%10s][%-10s]", "hello", "hello", "hello");
	CHECK(t, "[%.3s][%10.3s][%-10.3s]", "hello", "hello", "hello");
	CHECK(t, "[%.0s][%.10s][%s]", "hello", "hello", "");
	CHECK(t, "[%3s]", "longer than width");
}

static void null_string(struct ktest *t)
{
	const char *volatile nul = NULL;

	EXPECT_OURS(t, "(null)", "%s", nul);
	EXPECT_OURS(t, "[  (null)]", "[%8s]", nul);
	EXPECT_OURS(t, "[(null)  ]", "[%-8s]", nul);
	/* Like Linux: the precision cuts "(null)" as it would any string. */
	EXPECT_OURS(t, "(nu", "%.3s", nul);
}

static void pointers(struct ktest *t)
{
	EXPECT_OURS(t, "0x0000000000000000", "%p", (void *)0);
	EXPECT_OURS(t, "0x0000000000001234", "%p", (void *)0x1234);
	EXPECT_OURS(t, "0xffffffff80000000", "%p", (void *)0xffffffff80000000UL);
	EXPECT_OURS(t, "[  0x00000000deadbeef]", "[%20p]", (void *)0xdeadbeefUL);
	EXPECT_OURS(t, "[0x00000000deadbeef  ]", "[%-20p]", (void *)0xdeadbeefUL);
	EXPECT_OURS(t, "0x0000000000000001s", "%ps", (void *)1);
}

static void __noinline symbol_target(void)
{
	barrier();
}

/* What %pS must print for @addr, whatever this build's kallsyms knows. */
static void expected_symbol(char *buf, size_t size, unsigned long addr)
{
	const char *name;
	unsigned long off, len;

	if (kallsyms_lookup(addr, &name, &off, &len) && name)
		ref(buf, size, "%s+0x%lx/0x%lx", name, off, len);
	else
		ref(buf, size, "0x%016lx", addr);
}

static void symbol_pointer(struct ktest *t)
{
	char want[256], want_pad[300], got[300];
	unsigned long addr = (unsigned long)&symbol_target + 1;
	int n;

	expected_symbol(want, sizeof(want), addr);
	n = ours(got, sizeof(got), "%pS", (void *)addr);
	KTEST_EXPECT_STREQ(t, got, want);
	KTEST_EXPECT_EQ(t, n, (int)strlen(want));

	ref(want_pad, sizeof(want_pad), "[%-60s]", want);
	ours(got, sizeof(got), "[%-60pS]", (void *)addr);
	KTEST_EXPECT_STREQ(t, got, want_pad);
	ref(want_pad, sizeof(want_pad), "[%60s]", want);
	ours(got, sizeof(got), "[%60pS]", (void *)addr);
	KTEST_EXPECT_STREQ(t, got, want_pad);

	/* A known symbol prints as name+0xoff/0xsize; an unknown one as %p. */
	if (strncmp(want, "0x", 2))
		KTEST_EXPECT_TRUE(t, strstr(got, "+0x") && strstr(got, "/0x"));
	else
		KTEST_EXPECT_EQ(t, strlen(want), 18);
}

static void symbol_fallback(struct ktest *t)
{
	const char *name;
	unsigned long off, len;
	char got[64];

	/* Address 8 is in the never-mapped first page: no symbol there. */
	if (kallsyms_lookup(8, &name, &off, &len)) {
		ktest_skip(t, "host kallsyms resolves address 8");
		return;
	}
	ours(got, sizeof(got), "%pS", (void *)8);
	KTEST_EXPECT_STREQ(t, got, "0x0000000000000008");
	ours(got, sizeof(got), "<%-20pS>", (void *)8);
	KTEST_EXPECT_STREQ(t, got, "<0x0000000000000008  >");
}

static void unknown_conversions(struct ktest *t)
{
	/* Through a variable so the compiler does not vet these formats. */
	const char *volatile fmt;

	fmt = "%y%d";
	EXPECT_OURS(t, "%y5", fmt, 5);
	fmt = "[%-5y]";
	EXPECT_OURS(t, "[%-5y]", fmt);
	fmt = "abc%";
	EXPECT_OURS(t, "abc%", fmt);
	fmt = "abc%-08";
	EXPECT_OURS(t, "abc%-08", fmt);
	/* %n never writes through its argument: it is not supported. */
	{
		int victim = 1234;

		fmt = "a%nb";
		EXPECT_OURS(t, "a%nb", fmt, &victim);
		KTEST_EXPECT_EQ(t, victim, 1234);
	}
}

static void return_value_and_truncation(struct ktest *t)
{
	char big[1001], small[16];
	const char *volatile fmt = "%s";
	int n;

	memset(big, 'q', 1000);
	big[1000] = '\0';
	memset(small, 0x5a, sizeof(small));
	n = snprintf(small, 8, fmt, big);
	KTEST_EXPECT_EQ(t, n, 1000);
	KTEST_EXPECT_EQ(t, memcmp(small, "qqqqqqq", 8), 0);
	KTEST_EXPECT_EQ(t, small[8], 0x5a);

	/* Size 0 with a NULL buffer measures. */
	KTEST_EXPECT_EQ(t, ours(NULL, 0, "%d-%s", -12345, "abc"), 10);

	/* Size 1 stores only the NUL. */
	small[0] = 'x';
	KTEST_EXPECT_EQ(t, ours(small, 1, "%s", "hello"), 5);
	KTEST_EXPECT_EQ(t, small[0], '\0');

	CHECK(t, "%s=%d, %s=%#x", "alpha", -1, "beta", 0xbeefu);
	CHECK(t, "%-10s|%10s|%c%c", "left", "right", 'o', 'k');
}

static void mixed_arguments(struct ktest *t)
{
	/* Consuming every length correctly keeps later arguments aligned. */
	CHECK(t, "%hhd %hd %d %ld %lld %zu %s %c %u", (signed char)-3,
	      (short)-300, -70000, -5000000000L, -5000000000000LL,
	      (size_t)77, "str", 'c', 9u);
	CHECK(t, "%llx %x %llx %x", 0x1122334455667788ULL, 0x99u,
	      0xaabbccddeeff0011ULL, 0x22u);
}

static const struct ktest_case vsprintf_cases[] = {
	KTEST_CASE(plain_text),
	KTEST_CASE(decimal_extremes),
	KTEST_CASE(short_and_char_lengths),
	KTEST_CASE(hex_and_octal),
	KTEST_CASE(widths_and_flags),
	KTEST_CASE(precision),
	KTEST_CASE(star_arguments),
	KTEST_CASE(chars_and_strings),
	KTEST_CASE(null_string),
	KTEST_CASE(pointers),
	KTEST_CASE(symbol_pointer),
	KTEST_CASE(symbol_fallback),
	KTEST_CASE(unknown_conversions),
	KTEST_CASE(return_value_and_truncation),
	KTEST_CASE(mixed_arguments),
};

KTEST_SUITE(vsprintf, vsprintf_cases);

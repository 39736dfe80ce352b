// SPDX-License-Identifier: MIT
/*
 * Deliberate failures, to prove the harness catches them. Neither suite runs
 * by default: the harness's self-check boots with ktest=selftest_fail (must
 * end in QEMU exit 35 and a failed verdict) and ktest=selftest_panic (exit 37
 * and "Kernel panic - " in the log).
 */
#include "kernel/ktest.h"
#include "kmm/assert.h"

static void selftest_expect_fails(struct ktest *t)
{
	int answer = 41;

	KTEST_EXPECT_EQ(t, answer, 42);
}

static void selftest_passes(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, 1 + 1, 2);
}

static const struct ktest_case selftest_fail_cases[] = {
	KTEST_CASE(selftest_passes),
	KTEST_CASE(selftest_expect_fails),
};
KTEST_SUITE(selftest_fail, selftest_fail_cases, .default_off = true);

static void selftest_panics(struct ktest *t)
{
	panic("selftest: deliberate panic to check the harness");
}

static const struct ktest_case selftest_panic_cases[] = {
	KTEST_CASE(selftest_panics),
};
KTEST_SUITE(selftest_panic, selftest_panic_cases, .default_off = true);

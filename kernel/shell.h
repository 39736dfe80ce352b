/* SPDX-License-Identifier: MIT */
/*
 * The monitor shell on the serial console (init=shell): a line editor, the
 * command table and the helpers commands share. See kernel/shell.c.
 */
#ifndef KERNEL_SHELL_H
#define KERNEL_SHELL_H

#include "kmm/types.h"
#include "kmm/compiler.h"

#define SHELL_MAX_ARGS 8

struct shell_cmd {
	const char *name;
	const char *args;  /* usage after the name, "" for none */
	const char *help;  /* one line */
	/* argv[0] is the command name; returns 0, or nonzero after printing why. */
	int (*run)(int argc, char **argv);
};

/* The commands, in help order (kernel/shell_cmds.c). */
extern const struct shell_cmd shell_cmds[];
extern const unsigned int shell_nr_cmds;

/*
 * Read prompts and run commands until poweroff, which leaves QEMU with
 * the self-tests' verdict (@tests_failed suites failed).
 */
__noreturn void shell_run(int tests_failed);

/*
 * Parse an unsigned number: decimal, or hex with 0x. With @suffixes, a
 * K, M or G suffix multiplies by 2^10, 2^20, 2^30. 0, or -EINVAL for
 * garbage (printing nothing), -ERANGE when it does not fit 64 bits.
 */
int shell_parse_ulong(const char *s, bool suffixes, unsigned long *v);

/*
 * Parse argv[@i] as a number for @cmd, printing the one-line error on
 * failure ("kmalloc: size: 'x' is not a number"). 0 or -EINVAL.
 */
int shell_arg_ulong(const char *cmd, const char *what, const char *s,
		    bool suffixes, unsigned long *v);

/* Print "@cmd: usage: @cmd @args". Returns -EINVAL. */
int shell_usage(const struct shell_cmd *c);
const struct shell_cmd *shell_find(const char *name);

/* The verdict poweroff reports (set by shell_run). */
extern int shell_tests_failed;

#endif /* KERNEL_SHELL_H */

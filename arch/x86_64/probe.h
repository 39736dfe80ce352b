/* SPDX-License-Identifier: MIT */
/*
 * Probing memory that may not be accessible, built on the exception fixup
 * table: a fault inside a probe is recorded in last_trap (traps.h) and turned
 * into -EFAULT instead of a crash. Tests use them to prove that page 0,
 * read-only and no-execute mappings, and guard pages really fault.
 */
#ifndef ARCH_X86_64_PROBE_H
#define ARCH_X86_64_PROBE_H

#include "kmm/types.h"

struct pt_regs;

/* Read a byte / a u64 at @addr into *@val (if non-NULL). 0 or -EFAULT. */
int probe_read_u8(const void *addr, u8 *val);
int probe_read_u64(const void *addr, u64 *val);
/* Write @val at @addr. 0 or -EFAULT. */
int probe_write_u8(void *addr, u8 val);
/*
 * Call @addr as a function. 0 when it ran and returned (put a `ret`, 0xc3,
 * there first), -EFAULT when fetching the instruction faulted.
 */
int probe_exec(const void *addr);

/* For the trap handler: resume an exec probe that faulted. */
bool probe_exec_fixup(struct pt_regs *regs, u64 cr2);

#endif /* ARCH_X86_64_PROBE_H */

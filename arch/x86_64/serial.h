/* SPDX-License-Identifier: MIT */
/* COM1 serial console. */
#ifndef ARCH_X86_64_SERIAL_H
#define ARCH_X86_64_SERIAL_H

#include "kmm/types.h"

/* Program COM1 for 115200 8N1. Safe to call more than once. */
void serial_init(void);
/* Write @n bytes, turning "\n" into "\r\n". */
void serial_write(const char *s, size_t n);
/* The next received byte, or -1 when none is waiting (never blocks). */
int serial_getc(void);

#endif

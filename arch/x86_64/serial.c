// SPDX-License-Identifier: MIT
/*
 * A 16550 UART on COM1 (I/O port 0x3f8), 115200 baud 8N1, polled.
 * It is the kernel's only console: it works the same under SeaBIOS, OVMF and
 * our EFI loader, and QEMU can log it to a file.
 */
#include "arch/x86_64/serial.h"
#include "cpu.h"

#define COM1       0x3f8
#define UART_DATA  0 /* with DLAB: divisor low */
#define UART_IER   1 /* with DLAB: divisor high */
#define UART_FCR   2
#define UART_LCR   3
#define UART_MCR   4
#define UART_LSR   5
#define UART_LSR_DR   0x01 /* a received byte waits in UART_DATA */
#define UART_LSR_THRE 0x20
#define UART_LCR_DLAB 0x80
#define UART_LCR_8N1  0x03

static bool serial_present;

void serial_init(void)
{
	outb(COM1 + UART_IER, 0x00);            /* no interrupts */
	outb(COM1 + UART_LCR, UART_LCR_DLAB);
	outb(COM1 + UART_DATA, 1);              /* 115200 / 1 */
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, UART_LCR_8N1);
	outb(COM1 + UART_FCR, 0xc7);            /* FIFO on, cleared, 14-byte threshold */
	outb(COM1 + UART_MCR, 0x03);            /* DTR, RTS */
	/* A missing UART reads back 0xff from every register. */
	serial_present = inb(COM1 + UART_LSR) != 0xff;
}

static void serial_putc_raw(char c)
{
	unsigned int spins = 0;

	while (!(inb(COM1 + UART_LSR) & UART_LSR_THRE) && ++spins < 100000)
		cpu_relax();
	outb(COM1 + UART_DATA, (u8)c);
}

void serial_write(const char *s, size_t n)
{
	size_t i;

	if (!serial_present)
		return;
	for (i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc_raw('\r');
		serial_putc_raw(s[i]);
	}
}

/* Polled input: no device interrupts exist (IF stays clear). */
int serial_getc(void)
{
	if (!serial_present || !(inb(COM1 + UART_LSR) & UART_LSR_DR))
		return -1;
	return inb(COM1 + UART_DATA);
}

/* SPDX-License-Identifier: MIT */
/* PL011 output and a tiny printf: %s %c %u %x (64-bit, "0x" is up to the format), %lx %lu. */
#include "gst.h"

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_FR_TXFF (1U << 5)

void gst_putc(char c)
{
	volatile u32 *uart = (volatile u32 *)GST_UART;

	while (uart[UART_FR / 4] & UART_FR_TXFF)
		;
	uart[UART_DR / 4] = (u8)c;
}

void gst_puts(const char *s)
{
	while (*s)
		gst_putc(*s++);
}

static void put_num(u64 v, unsigned int base, int width)
{
	char buf[24];
	int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n < width)
		buf[n++] = '0';
	while (n)
		gst_putc(buf[--n]);
}

void gst_vprintf(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		int width = 0;

		if (*fmt != '%') {
			gst_putc(*fmt);
			continue;
		}
		fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l')
			fmt++;
		switch (*fmt) {
		case 's':
			gst_puts(va_arg(ap, const char *));
			break;
		case 'c':
			gst_putc((char)va_arg(ap, int));
			break;
		case 'u':
			put_num(va_arg(ap, u64), 10, width);
			break;
		case 'x':
			put_num(va_arg(ap, u64), 16, width);
			break;
		case '%':
			gst_putc('%');
			break;
		default:
			gst_putc('?');
			return;
		}
	}
}

void gst_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gst_vprintf(fmt, ap);
	va_end(ap);
}

/*
 * gcc may emit calls to these even with -ffreestanding (struct copies, zeroing). memset
 * stores 8 bytes at a time where it can: the guest hypervisor zeroes megabytes of pool
 * pages, and under el2emu every guest store is costly (shared/notes/unicorn-2.0.1.md §8).
 */
void *memset(void *d, int c, size_t n)
{
	u8 *p = d;
	u64 w = 0x0101010101010101UL * (u8)c;

	while (n && ((u64)p & 7)) {
		*p++ = (u8)c;
		n--;
	}
	for (; n >= 8; n -= 8, p += 8)
		*(volatile u64 *)p = w;
	while (n--)
		*p++ = (u8)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	u8 *p = d;
	const u8 *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

/* qemu-at-timer: the cost of one AT S12E1R inside a QEMU guest, on exactly the tables and
 * registers of tools/bench_walk.c's build(), so that `el2emu bench walk` compares like with
 * like. Runs at EL2 on `qemu-system-aarch64 -M virt,virtualization=on -cpu max` with the MMU
 * off, prints one line `at_s12e1r_ns=<ns, 1 decimal> par=0x<16 hex> tables=0x<16 hex>` (or a
 * line starting with `error:`) and powers off through PSCI. `tables` is the digest that
 * bench_walk.c compares with its own (tables_digest()), so that "the same tables and
 * registers" is checked, not assumed. */
#include <stdint.h>

#define UART_BASE 0x09000000ul	/* PL011 on virt: DR at +0, FR at +0x18, TXFF = bit 5 */
#define RAM_BASE 0x40000000ull
#define RAM_SIZE (4ull << 20)
#define VA 0x1234567000ull
#define ROUNDS 10
#define ITERS 100000u		/* per round; the best of ROUNDS rounds is kept */

void guest_main(void);
void guest_exception(uint64_t esr, uint64_t elr, uint64_t far);

static void uart_putc(char c)
{
	volatile uint32_t *uart = (volatile uint32_t *)UART_BASE;

	while (uart[0x18 / 4] & (1u << 5))
		;
	uart[0] = (uint32_t)(unsigned char)c;
}

static void uart_puts(const char *s)
{
	while (*s)
		uart_putc(*s++);
}

static void put_hex(uint64_t v)
{
	uart_puts("0x");
	for (int sh = 60; sh >= 0; sh -= 4)
		uart_putc("0123456789abcdef"[(v >> sh) & 15]);
}

static void put_dec(uint64_t v)
{
	char buf[21];
	int i = 20;

	buf[i] = 0;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	uart_puts(&buf[i]);
}

void guest_exception(uint64_t esr, uint64_t elr, uint64_t far)
{
	(void)far;
	uart_puts("error: exception esr=");
	put_hex(esr);
	uart_puts(" elr=");
	put_hex(elr);
	uart_puts("\n");
}

/* With the MMU off these are Device stores: aligned 64-bit only (-mstrict-align). */
static void put(uint64_t pa, uint64_t v)
{
	*(volatile uint64_t *)pa = v;
}

static void zero_page(uint64_t pa)
{
	for (uint64_t off = 0; off < 0x1000; off += 8)
		put(pa + off, 0);
}

/* The same tables, at the same physical addresses, as build() in tools/bench_walk.c:
 * stage 2 4K, T0SZ=16, 4 levels from level 0, identity over 4 MiB at RAM_BASE in 4K pages;
 * stage 1 4K, T0SZ=16, 4 levels, VA 0x1234567000 -> IPA 0x40300000. */
static void build(void)
{
	uint64_t s2 = RAM_BASE, s1 = RAM_BASE + 0x100000;

	for (uint64_t p = 0; p < 3 + (RAM_SIZE >> 21); p++)
		zero_page(s2 + p * 0x1000);
	for (uint64_t p = 0; p < 4; p++)
		zero_page(s1 + p * 0x1000);
	put(s2 + 8 * ((RAM_BASE >> 39) & 511), (s2 + 0x1000) | 3);
	put(s2 + 0x1000 + 8 * ((RAM_BASE >> 30) & 511), (s2 + 0x2000) | 3);
	for (uint64_t i = 0; i < RAM_SIZE >> 21; i++) {
		uint64_t l3 = s2 + 0x3000 + i * 0x1000;

		put(s2 + 0x2000 + 8 * (((RAM_BASE >> 21) + i) & 511), l3 | 3);
		for (uint64_t j = 0; j < 512; j++)
			put(l3 + 8 * j, (RAM_BASE + (i << 21) + (j << 12)) | 0x7ff);
	}
	put(s1 + 8 * ((VA >> 39) & 511), (s1 + 0x1000) | 3);
	put(s1 + 0x1000 + 8 * ((VA >> 30) & 511), (s1 + 0x2000) | 3);
	put(s1 + 0x2000 + 8 * ((VA >> 21) & 511), (s1 + 0x3000) | 3);
	put(s1 + 0x3000 + 8 * ((VA >> 12) & 511), 0x40300000 | 0x703);

	uint64_t vtcr = 0x80000000 | 5u << 16 | 3u << 12 | 1u << 10 | 1u << 8 | 2u << 6 | 16;
	uint64_t tcr = 5ull << 32 | 1u << 23 | 3u << 12 | 1u << 10 | 1u << 8 | 16;

	/* HCR_EL2.RW=1 (AArch64 EL1, required for AT S12E1R to read TCR_EL1 as TCR), VM=1. */
	__asm__ volatile("msr vtcr_el2, %0\n\tmsr vttbr_el2, %1\n\tmsr tcr_el1, %2\n\t"
			 "msr ttbr0_el1, %3\n\tmsr mair_el1, %4\n\tmsr sctlr_el1, %5\n\t"
			 "msr hcr_el2, %6\n\tisb"
			 :
			 : "r"(vtcr), "r"(s2), "r"(tcr), "r"(s1), "r"(0xffull),
			   "r"(0x30d0181dull), "r"(0x80000001ull)
			 : "memory");
}

static uint64_t fnv(uint64_t h, uint64_t word)
{
	return (h ^ word) * 0x100000001b3ull;
}

/* FNV-1a over the 64-bit words of the 4 MiB at RAM_BASE, then over the registers as read
 * back (what QEMU kept of them), in the order of tables_digest() in bench_walk.c. */
static uint64_t tables_digest(void)
{
	uint64_t h = 0xcbf29ce484222325ull, r[7];

	for (uint64_t pa = RAM_BASE; pa < RAM_BASE + RAM_SIZE; pa += 8)
		h = fnv(h, *(volatile uint64_t *)pa);
	__asm__ volatile("mrs %0, vtcr_el2\n\tmrs %1, vttbr_el2\n\tmrs %2, tcr_el1\n\t"
			 "mrs %3, ttbr0_el1\n\tmrs %4, mair_el1\n\tmrs %5, sctlr_el1\n\t"
			 "mrs %6, hcr_el2"
			 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3]), "=r"(r[4]), "=r"(r[5]),
			   "=r"(r[6]));
	for (int i = 0; i < 7; i++)
		h = fnv(h, r[i]);
	return h;
}

static uint64_t now(void)
{
	uint64_t t;

	__asm__ volatile("isb\n\tmrs %0, cntpct_el0" : "=r"(t) : : "memory");
	return t;
}

/* n x (AT S12E1R; ISB; read PAR_EL1): what software must do to use an AT result. */
static uint64_t at_loop(uint32_t n)
{
	uint64_t t0 = now(), par;

	__asm__ volatile("1:\tat s12e1r, %[va]\n\tisb\n\tmrs %[par], par_el1\n\t"
			 "subs %w[n], %w[n], #1\n\tb.ne 1b"
			 : [n] "+r"(n), [par] "=&r"(par)
			 : [va] "r"(VA)
			 : "cc", "memory");
	return now() - t0;
}

/* The same loop without the AT: subtracted, so that the figure is the AT alone. */
static uint64_t base_loop(uint32_t n)
{
	uint64_t t0 = now(), par;

	__asm__ volatile("1:\tisb\n\tmrs %[par], par_el1\n\t"
			 "subs %w[n], %w[n], #1\n\tb.ne 1b"
			 : [n] "+r"(n), [par] "=&r"(par)
			 :
			 : "cc", "memory");
	return now() - t0;
}

void guest_main(void)
{
	uint64_t freq, par, tables, at = ~0ull, base = ~0ull;

	build();
	tables = tables_digest();
	__asm__ volatile("at s12e1r, %1\n\tisb\n\tmrs %0, par_el1"
			 : "=r"(par)
			 : "r"(VA)
			 : "memory");
	if (par & 1) {
		uart_puts("error: AT S12E1R faulted, par=");
		put_hex(par);
		uart_puts("\n");
		return;
	}
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	/* Noisy shared hosts: the minimum of each loop over the rounds, as bench_walk.c does. */
	for (int r = 0; r < ROUNDS; r++) {
		uint64_t a = at_loop(ITERS), b = base_loop(ITERS);

		at = a < at ? a : at;
		base = b < base ? b : base;
	}
	/* ticks * 1e10 stays below 2^64 for any round shorter than ~29 s at 62.5 MHz. */
	if (!freq || at <= base || at - base > 1000000000ull) {
		uart_puts("error: unusable timing, at_ticks=");
		put_dec(at);
		uart_puts(" base_ticks=");
		put_dec(base);
		uart_puts(" freq=");
		put_dec(freq);
		uart_puts("\n");
		return;
	}
	uint64_t den = freq * ITERS;
	uint64_t tenths = ((at - base) * 10000000000ull + den / 2) / den;

	uart_puts("at_s12e1r_ns=");
	put_dec(tenths / 10);
	uart_putc('.');
	put_dec(tenths % 10);
	uart_puts(" par=");
	put_hex(par);
	uart_puts(" tables=");
	put_hex(tables);
	uart_puts("\n");
}

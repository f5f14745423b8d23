/* el2emu's QEMU oracle: a bare-metal EL2 program that replays host-made scenarios
 * (descriptors, system registers, AT queries) and prints PAR_EL1 for every query.
 *
 * Output protocol (strict; the generator rejects anything else):
 *   ORACLE 1
 *   S <n>                 scenario n starts
 *   R <id> <w> <r>        register <id> read back <r> after <w> was written (mismatch only)
 *   P <par>               one per query, PAR_EL1 as 16 hex digits
 *   DONE <nscn>
 *   X <esr> <elr> <far>   an unexpected exception (then power off)
 *   ERR <why>
 */
#include <stdint.h>
#include "../oracle_blob.h"

void guest_main(void);
void guest_exception(uint64_t esr, uint64_t elr, uint64_t far);

#define UART_DR	((volatile uint32_t *)(ORB_UART_BASE + 0x00))
#define UART_FR	((volatile uint32_t *)(ORB_UART_BASE + 0x18))

/* gcc may emit calls to these even with -fno-builtin. */
void *memset(void *d, int c, unsigned long n);
void *memcpy(void *d, const void *s, unsigned long n);
void *memset(void *d, int c, unsigned long n)
{
	unsigned char *p = d;

	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, const void *s, unsigned long n)
{
	unsigned char *p = d;
	const unsigned char *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

static void putc_(char c)
{
	while (*UART_FR & (1U << 5))
		;
	*UART_DR = (uint32_t)(unsigned char)c;
}

static void puts_(const char *s)
{
	while (*s)
		putc_(*s++);
}

static void puthex(uint64_t v)
{
	for (int i = 60; i >= 0; i -= 4)
		putc_("0123456789abcdef"[(v >> i) & 0xf]);
}

static void putdec(uint32_t v)
{
	char buf[12];
	int n = 0;

	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		putc_(buf[--n]);
}

#define MSR(reg, v) __asm__ volatile("msr " #reg ", %0" : : "r"(v) : "memory")
#define MRS(reg) ({ uint64_t v_; __asm__ volatile("mrs %0, " #reg : "=r"(v_)); v_; })
#define ISB() __asm__ volatile("isb" : : : "memory")
#define DSB() __asm__ volatile("dsb sy" : : : "memory")
#define TLBI_ALL() __asm__ volatile("dsb sy\n\ttlbi alle2is\n\ttlbi alle1is\n\tdsb sy\n\tisb" \
				    : : : "memory")

void guest_exception(uint64_t esr, uint64_t elr, uint64_t far)
{
	puts_("X ");
	puthex(esr);
	putc_(' ');
	puthex(elr);
	putc_(' ');
	puthex(far);
	putc_('\n');
}

static void reg_write(uint32_t id, uint64_t v)
{
	switch (id) {
	case ORB_TCR_EL1: MSR(tcr_el1, v); break;
	case ORB_TTBR0_EL1: MSR(ttbr0_el1, v); break;
	case ORB_TTBR1_EL1: MSR(ttbr1_el1, v); break;
	case ORB_MAIR_EL1: MSR(mair_el1, v); break;
	case ORB_SCTLR_EL1: MSR(sctlr_el1, v); break;
	case ORB_VTCR_EL2: MSR(vtcr_el2, v); break;
	case ORB_VTTBR_EL2: MSR(vttbr_el2, v); break;
	case ORB_TCR_EL2: MSR(tcr_el2, v); break;
	case ORB_TTBR0_EL2: MSR(ttbr0_el2, v); break;
	case ORB_TTBR1_EL2: MSR(s3_4_c2_c0_1, v); break;	/* TTBR1_EL2 */
	case ORB_MAIR_EL2: MSR(mair_el2, v); break;
	case ORB_HCR_EL2: MSR(hcr_el2, v); break;
	case ORB_SCTLR_EL2: MSR(sctlr_el2, v); break;
	default: break;
	}
	ISB();
}

static uint64_t reg_read(uint32_t id)
{
	switch (id) {
	case ORB_TCR_EL1: return MRS(tcr_el1);
	case ORB_TTBR0_EL1: return MRS(ttbr0_el1);
	case ORB_TTBR1_EL1: return MRS(ttbr1_el1);
	case ORB_MAIR_EL1: return MRS(mair_el1);
	case ORB_SCTLR_EL1: return MRS(sctlr_el1);
	case ORB_VTCR_EL2: return MRS(vtcr_el2);
	case ORB_VTTBR_EL2: return MRS(vttbr_el2);
	case ORB_TCR_EL2: return MRS(tcr_el2);
	case ORB_TTBR0_EL2: return MRS(ttbr0_el2);
	case ORB_TTBR1_EL2: return MRS(s3_4_c2_c0_1);
	case ORB_MAIR_EL2: return MRS(mair_el2);
	case ORB_HCR_EL2: return MRS(hcr_el2);
	case ORB_SCTLR_EL2: return MRS(sctlr_el2);
	default: return 0;
	}
}

static void check_reg(uint32_t id, uint64_t want)
{
	uint64_t got = reg_read(id);

	if (got == want)
		return;
	puts_("R ");
	putdec(id);
	putc_(' ');
	puthex(want);
	putc_(' ');
	puthex(got);
	putc_('\n');
}

static uint64_t do_at(uint32_t op, uint64_t va)
{
	switch (op) {
	case ORB_S1E1R: __asm__ volatile("at s1e1r, %0" : : "r"(va)); break;
	case ORB_S1E1W: __asm__ volatile("at s1e1w, %0" : : "r"(va)); break;
	case ORB_S1E0R: __asm__ volatile("at s1e0r, %0" : : "r"(va)); break;
	case ORB_S1E0W: __asm__ volatile("at s1e0w, %0" : : "r"(va)); break;
	case ORB_S12E1R: __asm__ volatile("at s12e1r, %0" : : "r"(va)); break;
	case ORB_S12E1W: __asm__ volatile("at s12e1w, %0" : : "r"(va)); break;
	case ORB_S12E0R: __asm__ volatile("at s12e0r, %0" : : "r"(va)); break;
	case ORB_S12E0W: __asm__ volatile("at s12e0w, %0" : : "r"(va)); break;
	case ORB_S1E2R: __asm__ volatile("at s1e2r, %0" : : "r"(va)); break;
	case ORB_S1E2W: __asm__ volatile("at s1e2w, %0" : : "r"(va)); break;
	default: return ~0ULL;
	}
	ISB();
	return MRS(par_el1);
}

#define SCTLR_EL2_OFF	ORB_SCTLR_EL2_OFF

static const uint8_t *run_scenario(const uint8_t *p, uint32_t n)
{
	const struct orb_scn *s = (const void *)p;
	const struct orb_reg *regs = (const void *)(s + 1);
	const struct orb_mem *mem = (const void *)(regs + s->nregs);
	const struct orb_query *q = (const void *)(mem + s->nmem);

	if (s->magic != ORB_SCN_MAGIC) {
		puts_("ERR bad scenario magic\n");
		return 0;
	}
	if ((uint64_t)(q + s->nq) > ORB_BLOB_BASE + ORB_BLOB_MAX) {
		puts_("ERR scenario beyond the blob\n");
		return 0;
	}
	puts_("S ");
	putdec(n);
	putc_('\n');

	/* Base state (the trace writes the same records): EL2 stage 1 off, E2H=0. */
	reg_write(ORB_SCTLR_EL2, SCTLR_EL2_OFF);
	reg_write(ORB_HCR_EL2, 0);
	TLBI_ALL();

	for (uint32_t i = 0; i < s->nmem; i++) {
		if (mem[i].addr < ORB_SCN_BASE || mem[i].addr >= ORB_SCN_END || (mem[i].addr & 7)) {
			puts_("ERR mem address\n");
			return 0;
		}
		*(volatile uint64_t *)mem[i].addr = mem[i].val;
	}
	DSB();

	for (uint32_t i = 0; i < s->nregs; i++) {
		if (regs[i].id >= ORB_NREGS) {
			puts_("ERR register id\n");
			return 0;
		}
		if (regs[i].id == ORB_SCTLR_EL2)
			TLBI_ALL();
		reg_write(regs[i].id, regs[i].val);
		check_reg(regs[i].id, regs[i].val);
	}

	for (uint32_t i = 0; i < s->nq; i++) {
		uint64_t par = do_at(q[i].op, q[i].va);

		puts_("P ");
		puthex(par);
		putc_('\n');
	}
	return (const uint8_t *)(q + s->nq);
}

void guest_main(void)
{
	const struct orb_hdr *h = (const void *)ORB_BLOB_BASE;
	const uint8_t *p = (const uint8_t *)(h + 1);
	uint32_t n;

	puts_("ORACLE 1\n");
	if (h->magic != ORB_MAGIC) {
		puts_("ERR no blob\n");
		return;
	}
	for (n = 0; n < h->nscn; n++) {
		p = run_scenario(p, n);
		if (!p)
			return;
		if ((uint64_t)p >= ORB_BLOB_BASE + ORB_BLOB_MAX) {
			puts_("ERR blob overrun\n");
			return;
		}
	}
	if (*(const uint32_t *)p != ORB_END_MAGIC) {
		puts_("ERR no end marker\n");
		return;
	}
	puts_("DONE ");
	putdec(n);
	putc_('\n');
}

/* Unit tests of the pure parts of src/cpu: VHE redirection, the virtual EL2 register
 * file, syndromes, vector offsets, the PL011 subset and the ELF parser. Expected values
 * come from the Arm ARM (cited per test) or from QEMU 7.2's output for the same guest. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "el2emu/cpu.h"
#include "el2emu/sysreg.h"

/* Arm ARM D8.12.2: with E2H=1, EL1 names at EL2 reach the EL2 registers. */
static void test_vhe_redirect_el1_names(void **state)
{
	uint32_t out;

	(void)state;
	assert_int_equal(cpu_vhe_redirect(SR_ENC(3, 0, 1, 0, 0), true, &out), CPU_VR_EL2);
	assert_int_equal(out, SR_ENC(3, 4, 1, 0, 0));	/* SCTLR_EL1 -> SCTLR_EL2 */
	assert_int_equal(cpu_vhe_redirect(SR_ENC(3, 0, 1, 0, 2), true, &out), CPU_VR_EL2);
	assert_int_equal(out, SR_ENC(3, 4, 1, 1, 2));	/* CPACR_EL1 -> CPTR_EL2 */
	assert_int_equal(cpu_vhe_redirect(SR_ENC(3, 0, 4, 0, 1), true, &out), CPU_VR_EL2);
	assert_int_equal(out, SR_ENC(3, 4, 4, 0, 1));	/* ELR_EL1 -> ELR_EL2 */
	assert_int_equal(cpu_vhe_redirect(SR_ENC(3, 0, 14, 1, 0), true, &out), CPU_VR_EL2);
	assert_int_equal(out, SR_ENC(3, 4, 14, 1, 0));	/* CNTKCTL_EL1 -> CNTHCTL_EL2 */
	assert_int_equal(cpu_vhe_redirect(SR_ENC(3, 3, 14, 2, 1), true, &out), CPU_VR_EL2);
	assert_int_equal(out, SR_ENC(3, 4, 14, 2, 1));	/* CNTP_CTL_EL0 -> CNTHP_CTL_EL2 */
	/* Not redirected: TPIDR_EL1, PAR_EL1, SP_EL1 stay the nested context's. */
	assert_int_equal(cpu_vhe_redirect(SR_ENC(3, 0, 13, 0, 4), true, &out), CPU_VR_EL1);
	assert_int_equal(out, SR_ENC(3, 0, 13, 0, 4));
	assert_int_equal(cpu_vhe_redirect(SR_ENC(3, 0, 7, 4, 0), true, &out), CPU_VR_EL1);
	assert_int_equal(cpu_vhe_redirect(SR_ENC(3, 4, 4, 1, 0), true, &out), CPU_VR_EL1);
	/* E2H=0: EL1 names are the nested guest's. */
	assert_int_equal(cpu_vhe_redirect(SR_ENC(3, 0, 1, 0, 0), false, &out), CPU_VR_EL1);
	assert_int_equal(out, SR_ENC(3, 0, 1, 0, 0));
	assert_int_equal(cpu_vhe_redirect(SR_ENC(3, 3, 14, 2, 1), false, &out), CPU_VR_EL1);
}

/* Arm ARM D8.12.3: the EL12 and EL02 aliases reach the EL1/EL0 registers with E2H=1, UNDEFINED
 * otherwise; EL3 registers (op1=6) are UNDEFINED at EL2. */
static void test_vhe_aliases(void **state)
{
	uint32_t out;

	(void)state;
	assert_int_equal(cpu_vhe_redirect(SR_ENC(3, 5, 1, 0, 0), true, &out), CPU_VR_EL1);
	assert_int_equal(out, SR_ENC(3, 0, 1, 0, 0));	/* SCTLR_EL12 -> SCTLR_EL1 */
	assert_int_equal(cpu_vhe_redirect(SR_ENC(3, 5, 1, 0, 2), true, &out), CPU_VR_EL1);
	assert_int_equal(out, SR_ENC(3, 0, 1, 0, 2));	/* CPACR_EL12 -> CPACR_EL1 */
	assert_int_equal(cpu_vhe_redirect(SR_ENC(3, 5, 14, 3, 1), true, &out), CPU_VR_EL1);
	assert_int_equal(out, SR_ENC(3, 3, 14, 3, 1));	/* CNTV_CTL_EL02 -> CNTV_CTL_EL0 */
	assert_int_equal(cpu_vhe_redirect(SR_ENC(3, 5, 1, 0, 0), false, &out), CPU_VR_UNDEF);
	assert_int_equal(cpu_vhe_redirect(SR_ENC(3, 5, 13, 0, 4), true, &out), CPU_VR_UNDEF);
	assert_int_equal(cpu_vhe_redirect(SR_ENC(3, 6, 1, 1, 0), true, &out), CPU_VR_UNDEF);
	assert_int_equal(cpu_vhe_redirect(SR_ENC(3, 6, 4, 1, 0), false, &out), CPU_VR_UNDEF);
	assert_int_equal(cpu_vhe_redirect(SR_ENC(3, 4, 2, 1, 0), false, &out), CPU_VR_EL2);
	assert_int_equal(out, SR_ENC(3, 4, 2, 1, 0));	/* VTTBR_EL2 */
}

/* The file holds the EL2 registers; RES1 bits read as 1 (Arm ARM D24.2: VTCR_EL2 bit 31
 * RES1, SCTLR_EL2 (E2H=0) bits 4 and 5 RES1); RES0 bits read as 0. */
static void test_vregs_masks(void **state)
{
	struct cpu_vregs vr;
	uint64_t v = 1;

	(void)state;
	cpu_vregs_init(&vr);
	assert_true(vr.n >= 30);
	assert_true(cpu_vregs_read(&vr, SR_ENC(3, 4, 2, 1, 0), &v));	/* VTTBR_EL2 */
	assert_false(cpu_vregs_read(&vr, SR_ENC(3, 0, 1, 0, 0), &v));	/* SCTLR_EL1 */
	assert_false(cpu_vregs_write(&vr, SR_ENC(3, 0, 2, 0, 0), 1, NULL));
	assert_true(cpu_vregs_write(&vr, SR_ENC(3, 4, 2, 1, 2), 0x23559, &v));
	assert_int_equal(v, 0x80023559);
	assert_int_equal(cpu_vregs_get(&vr, SR_ENC(3, 4, 2, 1, 2)), 0x80023559);
	assert_true(cpu_vregs_write(&vr, SR_ENC(3, 4, 1, 0, 0), 0, &v));
	assert_int_equal(v & 0x30, 0x30);
	/* ESR_EL2[63:32] are RES0; ELR_EL2 keeps every bit. */
	assert_true(cpu_vregs_write(&vr, SR_ENC(3, 4, 5, 2, 0), ~UINT64_C(0), &v));
	assert_int_equal(v, 0xffffffffu);
	assert_true(cpu_vregs_write(&vr, SR_ENC(3, 4, 4, 0, 1), ~UINT64_C(0), &v));
	assert_int_equal(v, ~UINT64_C(0));
	/* HCR_EL2 as the guest hypervisor writes it (RW | E2H | VM) is stored unchanged. */
	assert_true(cpu_vregs_write(&vr, SR_ENC(3, 4, 1, 1, 0), 0x480000001, &v));
	assert_int_equal(v, 0x480000001);
}

/* Every register the sysreg table encodes with op1=4 (the EL2 registers, DBGVCR32_EL2 at
 * op0=2, SPSR_irq/abt/und/fiq), SP_EL1 excepted, is in the file, and nothing else is. */
static void test_vregs_whole_table(void **state)
{
	struct cpu_vregs vr;
	size_t want = 0, el2 = 0;
	uint32_t out;
	uint64_t v;

	(void)state;
	cpu_vregs_init(&vr);
	for (size_t i = 0; i < sr_count(); i++) {
		const struct sr_desc *d = sr_get(i);
		size_t len = strlen(d->name);
		bool in = cpu_vregs_read(&vr, d->enc, &v);

		if (d->kind != SR_KIND_REG)
			continue;
		if (len > 4 && !strcmp(d->name + len - 4, "_EL2") && SR_ENC_OP1(d->enc) == 4) {
			el2++;
			if (!in)
				fail_msg("%s is not in the virtual EL2 register file", d->name);
		}
		if (SR_ENC_OP1(d->enc) == 4 && strcmp(d->name, "SP_EL1")) {
			want++;
			if (!in)
				fail_msg("%s is not in the virtual EL2 register file", d->name);
		} else if (in) {
			fail_msg("%s is in the virtual EL2 register file", d->name);
		}
	}
	assert_int_equal(vr.n, want);
	assert_true(vr.n < CPU_VREGS_MAX);
	/* ARMv8.0-8.4 EL2 (Arm ARM): at least the 16 ICH_LR<n>_EL2, 8 ICH_APxR<n>_EL2 and 8
	 * MPAMVPM<n>_EL2 on top of the 52 registers of the first table. */
	assert_true(el2 >= 52 + 32);
	/* DBGVCR32_EL2 (op0=2) and SPSR_fiq reach the file; MRS at op0=2 with op1=4 is an EL2
	 * access, others at op0=2 are not. */
	assert_true(cpu_vregs_write(&vr, SR_ENC(2, 4, 0, 7, 0), 0xc0000000, NULL));
	assert_int_equal(cpu_vregs_get(&vr, SR_ENC(2, 4, 0, 7, 0)), 0xc0000000);
	assert_false(cpu_vregs_read(&vr, SR_ENC(2, 0, 0, 7, 0), &v));
	assert_true(cpu_vregs_read(&vr, SR_ENC(3, 4, 4, 3, 3), &v));
	assert_false(cpu_vregs_read(&vr, SR_ENC(3, 4, 4, 1, 0), &v));	/* SP_EL1 */
	assert_int_equal(cpu_vhe_redirect(SR_ENC(2, 4, 0, 7, 0), true, &out), CPU_VR_EL2);
	assert_int_equal(out, SR_ENC(2, 4, 0, 7, 0));
	/* MDSCR_EL1 */
	assert_int_equal(cpu_vhe_redirect(SR_ENC(2, 0, 0, 2, 2), true, &out), CPU_VR_EL1);
	/* ICH_LR15_EL2 [59:56] are RES0 (Arm ARM); ZCR_EL2 keeps LEN only. */
	assert_true(cpu_vregs_write(&vr, SR_ENC(3, 4, 12, 13, 7), ~UINT64_C(0), &v));
	assert_int_equal(v, ~(UINT64_C(0xf) << 56 | UINT64_C(0x7) << 45));
	assert_true(cpu_vregs_write(&vr, SR_ENC(3, 4, 1, 2, 0), ~UINT64_C(0), &v));
	assert_int_equal(v, 0xf);
}

/* ESR_EL2 encodings (Arm ARM D24.2.41); 0x56000021 is what QEMU 7.2 reports for
 * `svc #0x21` (guests/expected/nvhe.out). */
static void test_esr(void **state)
{
	(void)state;
	assert_int_equal(cpu_esr_hvc_smc_svc(0x15, 0xd4000000u | (0x21u << 5) | 1), 0x56000021);
	assert_int_equal(cpu_esr_hvc_smc_svc(0x16, 0xd4000002u | (0x1234u << 5)), 0x5a001234);
	assert_int_equal(cpu_esr_hvc_smc_svc(0x17, 0xd4000003u), 0x5e000000);
	/* MSR SCTLR_EL1, X3: Op0=3 [21:20], Op1=0, CRn=1 [13:10], Rt=3 [9:5], CRm=0, W. */
	assert_int_equal(cpu_esr_sys(SR_ENC(3, 0, 1, 0, 0), 3, false), 0x62300460);
	/* MRS X0, VTTBR_EL2: Op1=4 [16:14], CRn=2, CRm=1 [4:1], Op2=0, read. */
	assert_int_equal(cpu_esr_sys(SR_ENC(3, 4, 2, 1, 0), 0, true), 0x62310803);
	assert_int_equal(cpu_esr_unknown(), 0x02000000);
}

/* The guest hypervisor's own abort on an address nothing backs: QEMU 7.2 reports
 * esr=0x86000010 for the same wild jump at EL2 (tests/e2e/bad/wildjump.out). */
static void test_esr_own_abort(void **state)
{
	(void)state;
	/* As Unicorn reports it from EL0 under the host stage 2: IABT_LOW, S2 L3 fault. */
	assert_int_equal(cpu_esr_own_abort(0x82000007), 0x86000010);
	/* A store with ISV, SAS=3, SRT=1, WnR: current-EL DABT, SEA; with ISV=0 the
	 * instruction syndrome ISS[23:14] is RES0, WnR stays. */
	assert_int_equal(cpu_esr_own_abort(0x93c10047), 0x96000050);
	/* S1PTW is cleared. */
	assert_int_equal(cpu_esr_own_abort(0x92000087), 0x96000010);
}

/* ISS[24:14] of data aborts: the values QEMU 7.2 reports at EL2 for the same instructions
 * (tests/e2e/feat/s1.out: `ldr x0, [x8]` -> ISS 0x1c08005 with DFSC 5), and the Arm ARM
 * field layout (ISV 24, SAS 23:22, SSE 21, SRT 20:16, SF 15, AR 14). */
static void test_ldst_iss(void **state)
{
	uint32_t iss = 0;

	(void)state;
	assert_true(cpu_ldst_iss(0xf9400100, &iss));	/* ldr x0, [x8] */
	assert_int_equal(iss, 0x1c08000);
	assert_true(cpu_ldst_iss(0xf9000100, &iss));	/* str x0, [x8] */
	assert_int_equal(iss, 0x1c08000);
	assert_true(cpu_ldst_iss(0xb9400022, &iss));	/* ldr w2, [x1] */
	assert_int_equal(iss, 0x1820000);
	assert_true(cpu_ldst_iss(0x39400022, &iss));	/* ldrb w2, [x1] */
	assert_int_equal(iss, 0x1020000);
	assert_true(cpu_ldst_iss(0x39800022, &iss));	/* ldrsb x2, [x1]: SSE, SF */
	assert_int_equal(iss, 0x1228000);
	assert_true(cpu_ldst_iss(0x79c00022, &iss));	/* ldrsh w2, [x1]: SSE, not SF */
	assert_int_equal(iss, 0x1620000);
	assert_true(cpu_ldst_iss(0xb8616843, &iss));	/* ldr w3, [x2, x1] */
	assert_int_equal(iss, 0x1830000);
	assert_true(cpu_ldst_iss(0xf85f8041, &iss));	/* ldur x1, [x2, #-8] */
	assert_int_equal(iss, 0x1c18000);
	assert_true(cpu_ldst_iss(0xc8dffc20, &iss));	/* ldar x0, [x1]: AR */
	assert_int_equal(iss, 0x1c0c000);
	assert_true(cpu_ldst_iss(0x58000040, &iss));	/* ldr x0, literal */
	assert_int_equal(iss, 0x1c08000);
	assert_false(cpu_ldst_iss(0xf8408c41, &iss));	/* ldr x1, [x2, #8]!: writeback */
	assert_false(cpu_ldst_iss(0xa9400440, &iss));	/* ldp x0, x1, [x2] */
	assert_false(cpu_ldst_iss(0xfd400040, &iss));	/* ldr d0, [x2]: SIMD&FP */
	assert_false(cpu_ldst_iss(0xc85f7c20, &iss));	/* ldxr x0, [x1] */
	assert_false(cpu_ldst_iss(0xf9800040, &iss));	/* prfm */
	assert_false(cpu_ldst_iss(0xd503201f, &iss));	/* nop */
}

/* AArch64.TakeException() vector offsets. */
static void test_vector_offset(void **state)
{
	(void)state;
	assert_int_equal(cpu_vector_offset(1, false, 0), 0x400);
	assert_int_equal(cpu_vector_offset(0, true, 1), 0x480);
	assert_int_equal(cpu_vector_offset(2, false, 0), 0x200);
	assert_int_equal(cpu_vector_offset(2, true, 0), 0x000);
	assert_int_equal(cpu_vector_offset(2, false, 3), 0x380);
}

/* PL011 TRM: UARTFR TXFE (7) and RXFE (4) set, BUSY/TXFF clear. */
static void test_pl011(void **state)
{
	(void)state;
	assert_int_equal(cpu_pl011_read(0x18), 0x90);
	assert_int_equal(cpu_pl011_read(0x0), 0);
	assert_int_equal(cpu_pl011_read(0xfe0), 0);
}

/* ---- ELF ---- */

struct seg {
	uint64_t paddr, filesz, memsz;
	uint8_t first;
};
struct segs {
	unsigned n;
	struct seg s[4];
	int fail;
};

static int put(void *ctx, uint64_t paddr, const void *data, uint64_t filesz, uint64_t memsz)
{
	struct segs *ss = ctx;

	if (ss->fail)
		return -1;
	ss->s[ss->n].paddr = paddr;
	ss->s[ss->n].filesz = filesz;
	ss->s[ss->n].memsz = memsz;
	ss->s[ss->n].first = filesz ? *(const uint8_t *)data : 0;
	ss->n++;
	return 0;
}

static void w(uint8_t *p, uint64_t v, unsigned n)
{
	while (n--) {
		*p++ = (uint8_t)v;
		v >>= 8;
	}
}

/* A minimal ELF64 AArch64 executable: header, one PT_NOTE, one PT_LOAD of 16 bytes. */
static size_t make_elf(uint8_t *b, size_t cap)
{
	memset(b, 0, cap);
	memcpy(b, "\177ELF", 4);
	b[4] = 2;
	b[5] = 1;
	b[6] = 1;
	w(b + 16, 2, 2);		/* ET_EXEC */
	w(b + 18, 183, 2);		/* EM_AARCH64 */
	w(b + 24, 0x40000010, 8);	/* e_entry */
	w(b + 32, 64, 8);		/* e_phoff */
	w(b + 54, 56, 2);
	w(b + 56, 2, 2);
	w(b + 64, 4, 4);		/* PT_NOTE: ignored */
	w(b + 120, 1, 4);		/* PT_LOAD */
	w(b + 120 + 8, 176, 8);		/* p_offset */
	w(b + 120 + 24, 0x40000000, 8);	/* p_paddr */
	w(b + 120 + 32, 16, 8);
	w(b + 120 + 40, 32, 8);
	b[176] = 0xab;
	return 192;
}

static void test_elf_ok(void **state)
{
	uint8_t b[256];
	struct segs ss = { 0 };
	uint64_t entry = 0;
	char err[128];
	size_t len = make_elf(b, sizeof(b));

	(void)state;
	assert_int_equal(cpu_elf_parse(b, len, &entry, put, &ss, err, sizeof(err)), 0);
	assert_int_equal(entry, 0x40000010);
	assert_int_equal(ss.n, 1);
	assert_int_equal(ss.s[0].paddr, 0x40000000);
	assert_int_equal(ss.s[0].filesz, 16);
	assert_int_equal(ss.s[0].memsz, 32);
	assert_int_equal(ss.s[0].first, 0xab);
}

static void test_elf_bad(void **state)
{
	uint8_t b[256];
	struct segs ss = { 0 };
	uint64_t entry;
	char err[128];
	size_t len;

	(void)state;
	len = make_elf(b, sizeof(b));
	assert_int_equal(cpu_elf_parse(b, 10, &entry, put, &ss, err, sizeof(err)), -1);
	b[0] = 0;
	assert_int_equal(cpu_elf_parse(b, len, &entry, put, &ss, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not an ELF"));
	len = make_elf(b, sizeof(b));
	w(b + 18, 62, 2);		/* x86-64 */
	assert_int_equal(cpu_elf_parse(b, len, &entry, put, &ss, err, sizeof(err)), -1);
	len = make_elf(b, sizeof(b));
	w(b + 120 + 32, 4096, 8);	/* filesz beyond the file */
	w(b + 120 + 40, 4096, 8);
	assert_int_equal(cpu_elf_parse(b, len, &entry, put, &ss, err, sizeof(err)), -1);
	len = make_elf(b, sizeof(b));
	w(b + 120 + 8, UINT64_MAX - 4, 8);	/* offset wraps */
	assert_int_equal(cpu_elf_parse(b, len, &entry, put, &ss, err, sizeof(err)), -1);
	len = make_elf(b, sizeof(b));
	w(b + 56, 0xffff, 2);		/* phnum beyond the file */
	assert_int_equal(cpu_elf_parse(b, len, &entry, put, &ss, err, sizeof(err)), -1);
	len = make_elf(b, sizeof(b));
	w(b + 120, 6, 4);		/* no PT_LOAD left */
	assert_int_equal(cpu_elf_parse(b, len, &entry, put, &ss, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no PT_LOAD"));
	len = make_elf(b, sizeof(b));
	ss.fail = 1;			/* the loader refuses the range */
	assert_int_equal(cpu_elf_parse(b, len, &entry, put, &ss, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "outside RAM"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vhe_redirect_el1_names),
		cmocka_unit_test(test_vhe_aliases),
		cmocka_unit_test(test_vregs_masks),
		cmocka_unit_test(test_vregs_whole_table),
		cmocka_unit_test(test_esr),
		cmocka_unit_test(test_esr_own_abort),
		cmocka_unit_test(test_ldst_iss),
		cmocka_unit_test(test_vector_offset),
		cmocka_unit_test(test_pl011),
		cmocka_unit_test(test_elf_ok),
		cmocka_unit_test(test_elf_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

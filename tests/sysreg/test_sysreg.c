/* Unit tests of src/sysreg: the table, the field decoders, TLBI/AT semantics, the printers.
 * Expected values come from the Arm ARM (DDI 0487), from QEMU (the PAR_EL1/ESR values of
 * /work/shared/examples and notes/qemu-oracle.md) or from GNU as 2.40, as each test says;
 * none is copied from the code under test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "el2emu/sysreg.h"

static const struct sr_desc *must_find(const char *name)
{
	const struct sr_desc *d = sr_find_name(name);

	if (!d)
		fail_msg("%s is not in the table", name);
	return d;
}

static uint64_t field(const struct sr_desc *d, uint64_t value, unsigned flags,
		      const char *name)
{
	size_t n;
	const struct sr_field *f = sr_fields_for(d, value, flags, &n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(f[i].name, name))
			return sr_field_get(&f[i], value);
	fail_msg("%s has no field %s in this layout", d->name, name);
	return 0;
}

static bool has_field(const struct sr_desc *d, uint64_t value, unsigned flags, const char *nm)
{
	size_t n;
	const struct sr_field *f = sr_fields_for(d, value, flags, &n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(f[i].name, nm))
			return true;
	return false;
}

/* Every entry round-trips name <-> encoding; names and encodings are unique. */
static void test_roundtrip(void **state)
{
	size_t ntlbi = 0, nat = 0;

	(void)state;
	assert_true(sr_count() > 200);
	for (size_t i = 0; i < sr_count(); i++) {
		ntlbi += sr_get(i)->kind == SR_KIND_TLBI;
		nat += sr_get(i)->kind == SR_KIND_AT;
	}
	/* ARMv8.0-8.4 AArch64 TLBIs without the FEAT_XS nXS forms, counted from the Arm ARM
	 * TLBI pages: EL1&0 (op1 0) 12 ARMv8.0 + 6 OS + 12 range; from EL2 (op1 4) 14 ARMv8.0
	 * + 7 OS + 6 range-IPA + 6 range-EL2; EL3 (op1 6) 6 ARMv8.0 + 3 OS + 6 range.
	 * AT: 12 ARMv8.0 (incl. EL3) + 2 FEAT_PAN2. */
	assert_int_equal(ntlbi, 30 + 33 + 15);
	assert_int_equal(nat, 14);
	for (size_t i = 0; i < sr_count(); i++) {
		const struct sr_desc *d = sr_get(i);
		char enc[SR_ENC_STR_LEN], pref[48];
		uint32_t e;

		assert_ptr_equal(sr_find_name(d->name), d);
		assert_ptr_equal(sr_find_enc(d->enc, d->kind != SR_KIND_REG), d);
		sr_enc_str(d->enc, enc, sizeof(enc));
		assert_true(sr_parse_enc(enc, &e));
		assert_int_equal(e, d->enc);
		assert_ptr_equal(sr_find_name(enc), d);
		if (d->kind != SR_KIND_REG) {
			snprintf(pref, sizeof(pref), "%s %s", sr_kind_prefix(d), d->name);
			assert_ptr_equal(sr_find_name(pref), d);
		}
		for (size_t j = i + 1; j < sr_count(); j++) {
			const struct sr_desc *o = sr_get(j);

			if (!strcasecmp(o->name, d->name))
				fail_msg("duplicate name %s", d->name);
			if (o->enc == d->enc &&
			    (o->kind == SR_KIND_REG) == (d->kind == SR_KIND_REG))
				fail_msg("%s and %s share an encoding", d->name, o->name);
		}
	}
	assert_null(sr_get(sr_count()));
}

/* Encodings from the Arm ARM (DDI 0487K.a), the "Accessing <reg>" encoding tables of
 * each register page and the encodings of the TLBI, AT and DC instruction pages. */
static void test_spot_checks(void **state)
{
	static const struct {
		const char *name, *enc;
	} arm[] = {
		{ "VTTBR_EL2", "S3_4_C2_C1_0" },
		{ "HCR_EL2", "S3_4_C1_C1_0" },
		{ "VTCR_EL2", "S3_4_C2_C1_2" },
		{ "TCR_EL2", "S3_4_C2_C0_2" },
		{ "SCTLR_EL2", "S3_4_C1_C0_0" },
		{ "ESR_EL2", "S3_4_C5_C2_0" },
		{ "FAR_EL2", "S3_4_C6_C0_0" },
		{ "HPFAR_EL2", "S3_4_C6_C0_4" },
		{ "VNCR_EL2", "S3_4_C2_C2_0" },
		{ "HFGRTR_EL2", "S3_4_C1_C1_4" },
		{ "HFGITR_EL2", "S3_4_C1_C1_6" },
		{ "HDFGRTR_EL2", "S3_4_C3_C1_4" },
		{ "CNTVOFF_EL2", "S3_4_C14_C0_3" },
		{ "SCTLR_EL12", "S3_5_C1_C0_0" },
		{ "CNTV_CTL_EL02", "S3_5_C14_C3_1" },
		{ "CNTP_CTL_EL02", "S3_5_C14_C2_1" },
		{ "CurrentEL", "S3_0_C4_C2_2" },
		{ "DAIF", "S3_3_C4_C2_1" },
		{ "SPSel", "S3_0_C4_C2_0" },
		{ "ID_AA64MMFR0_EL1", "S3_0_C0_C7_0" },
		{ "PAR_EL1", "S3_0_C7_C4_0" },
		{ "IPAS2E1IS", "S1_4_C8_C0_1" },
		{ "VMALLS12E1IS", "S1_4_C8_C3_6" },
		{ "ALLE1IS", "S1_4_C8_C3_4" },
		{ "RIPAS2E1IS", "S1_4_C8_C0_2" },
		{ "RVAE1IS", "S1_0_C8_C2_1" },
		{ "VMALLE1OS", "S1_0_C8_C1_0" },
		{ "S12E1R", "S1_4_C7_C8_4" },
		{ "S1E2W", "S1_4_C7_C8_1" },
		{ "S1E1RP", "S1_0_C7_C9_0" },
		{ "CIVAC", "S1_3_C7_C14_1" },
		/* DACR32_EL2, DBGVCR32_EL2, SPSR_irq, SPSR_fiq, VSESR_EL2, VDISR_EL2,
		 * ZCR_EL2, TRFCR_EL2, PMSCR_EL2, MPAM2_EL2, MPAMVPM7_EL2, SDER32_EL2:
		 * the Arm ARM register pages. ICC_SRE_EL2 and the ICH_* registers: the
		 * Arm ARM and the GICv3/v4 architecture specification (IHI 0069), whose
		 * ICH_LR<n>_EL2 is S3_4_C12_C12_n for n < 8, S3_4_C12_C13_(n - 8) above. */
		{ "DACR32_EL2", "S3_4_C3_C0_0" },
		{ "DBGVCR32_EL2", "S2_4_C0_C7_0" },
		{ "SPSR_irq", "S3_4_C4_C3_0" },
		{ "SPSR_fiq", "S3_4_C4_C3_3" },
		{ "VSESR_EL2", "S3_4_C5_C2_3" },
		{ "VDISR_EL2", "S3_4_C12_C1_1" },
		{ "ZCR_EL2", "S3_4_C1_C2_0" },
		{ "TRFCR_EL2", "S3_4_C1_C2_1" },
		{ "PMSCR_EL2", "S3_4_C9_C9_0" },
		{ "MPAM2_EL2", "S3_4_C10_C5_0" },
		{ "MPAMVPM7_EL2", "S3_4_C10_C6_7" },
		{ "SDER32_EL2", "S3_4_C1_C3_1" },
		{ "ICC_SRE_EL2", "S3_4_C12_C9_5" },
		{ "ICH_AP1R0_EL2", "S3_4_C12_C9_0" },
		{ "ICH_HCR_EL2", "S3_4_C12_C11_0" },
		{ "ICH_ELRSR_EL2", "S3_4_C12_C11_5" },
		{ "ICH_LR7_EL2", "S3_4_C12_C12_7" },
		{ "ICH_LR8_EL2", "S3_4_C12_C13_0" },
		{ "ICH_LR15_EL2", "S3_4_C12_C13_7" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(arm) / sizeof(arm[0]); i++) {
		uint32_t e;

		assert_true(sr_parse_enc(arm[i].enc, &e));
		assert_string_equal(must_find(arm[i].name)->name, arm[i].name);
		assert_int_equal(must_find(arm[i].name)->enc, e);
	}
	/* Instruction words assembled by GNU as 2.40 (-march=armv8.6-a). */
	assert_int_equal(SR_INSN_MSR(must_find("HCR_EL2")->enc, 0), 0xd51c1100);
	assert_int_equal(SR_INSN_MRS(must_find("VTTBR_EL2")->enc, 0), 0xd53c2100);
	assert_int_equal(SR_INSN_SYS(must_find("IPAS2E1IS")->enc, 0), 0xd50c8020);
	assert_int_equal(SR_INSN_SYS(must_find("S12E1R")->enc, 0), 0xd50c7880);
	assert_int_equal(SR_INSN_SYS(must_find("VMALLS12E1IS")->enc, 31), 0xd50c83df);
	assert_int_equal(SR_INSN_MRS(must_find("ICH_VTR_EL2")->enc, 0), 0xd53ccb20);
	assert_int_equal(SR_INSN_MSR(must_find("DBGVCR32_EL2")->enc, 0), 0xd5140700);
	/* Read-only per the Arm ARM: the GIC status and type registers. */
	assert_int_equal(must_find("ICH_VTR_EL2")->access, SR_ACC_R);
	assert_int_equal(must_find("ICH_MISR_EL2")->access, SR_ACC_R);
	assert_int_equal(must_find("ICH_EISR_EL2")->access, SR_ACC_R);
	assert_int_equal(must_find("ICH_ELRSR_EL2")->access, SR_ACC_R);
	assert_int_equal(must_find("ICH_VMCR_EL2")->access, SR_ACC_RW);
	/* Case-insensitive names and prefixes; the prefix must match the kind. */
	assert_ptr_equal(sr_find_name("vttbr_el2"), must_find("VTTBR_EL2"));
	assert_ptr_equal(sr_find_name("tlbi  ipas2e1is"), must_find("IPAS2E1IS"));
	assert_ptr_equal(sr_find_name("at s12e1r"), must_find("S12E1R"));
	assert_ptr_equal(sr_find_name("DC CIVAC"), must_find("CIVAC"));
	assert_ptr_equal(sr_find_name("IC IALLU"), must_find("IALLU"));
	assert_null(sr_find_name("AT IPAS2E1IS"));
	assert_null(sr_find_name("DC IALLU"));
	assert_null(sr_find_name("TLBI HCR_EL2"));
	assert_null(sr_find_name("HCR_EL3"));
	assert_null(sr_find_name(""));
	assert_null(sr_find_name(NULL));
	/* EL12 aliases name the register they access. */
	assert_string_equal(must_find("TCR_EL12")->alias_of, "TCR_EL1");
	assert_ptr_equal(sr_find_enc(must_find("HCR_EL2")->enc, true), NULL);
}

static void test_parse_enc(void **state)
{
	static const char *const bad[] = {
		"", "S", "S3", "S3_4", "S3_4_C2_C1", "S4_0_C0_C0_0", "S3_8_C0_C0_0",
		"S3_0_C16_C0_0", "S3_0_C0_C16_0", "S3_0_C0_C0_8", "S3_0_C0_C0_0x",
		"S3_0_C001_C0_0", "S3_0_0_C0_0", "X3_0_C0_C0_0", "S3_0_C0_C0_", "S-1_0_C0_C0_0",
		"S3_0_C0_C0_0 ", " S3_0_C0_C0_0", "S3__0_C0_C0_0",
	};
	uint32_t e = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (sr_parse_enc(bad[i], &e))
			fail_msg("'%s' parsed", bad[i]);
	assert_false(sr_parse_enc(NULL, &e));
	assert_true(sr_parse_enc("s3_7_c15_c15_7", &e));
	assert_int_equal(e, 0xffff);
	assert_true(sr_parse_enc("S0_0_C0_C0_0", &e));
	assert_int_equal(e, 0);
	assert_int_equal(SR_ENC_OP0(SR_ENC(2, 3, 4, 5, 6)), 2);
	assert_int_equal(SR_ENC_OP1(SR_ENC(2, 3, 4, 5, 6)), 3);
	assert_int_equal(SR_ENC_CRN(SR_ENC(2, 3, 4, 5, 6)), 4);
	assert_int_equal(SR_ENC_CRM(SR_ENC(2, 3, 4, 5, 6)), 5);
	assert_int_equal(SR_ENC_OP2(SR_ENC(2, 3, 4, 5, 6)), 6);
	/* An unknown but well-formed encoding is not a name. */
	assert_null(sr_find_name("S3_7_C15_C15_7"));
}

/* Table invariants: fields inside 64 bits and disjoint, masks disjoint from fields and from
 * each other, ops carry their semantics. Checked for every alternative layout too. */
static void check_layout(const char *name, const struct sr_field *f, size_t n, uint64_t res0,
			 uint64_t res1)
{
	uint64_t seen = 0;

	if (res0 & res1)
		fail_msg("%s: RES0 and RES1 overlap", name);
	for (size_t i = 0; i < n; i++) {
		uint64_t m;

		if (!f[i].width || f[i].lsb + f[i].width > 64)
			fail_msg("%s.%s: bad position", name, f[i].name);
		m = (f[i].width == 64 ? ~UINT64_C(0) : (UINT64_C(1) << f[i].width) - 1)
		    << f[i].lsb;
		if (m & seen)
			fail_msg("%s.%s overlaps another field", name, f[i].name);
		if (m & (res0 | res1))
			fail_msg("%s.%s overlaps RES0/RES1", name, f[i].name);
		if (f[i].fmt == SR_FMT_ENUM && f[i].values == NULL && strcmp(f[i].name, "TGran64"))
			fail_msg("%s.%s: enum without values", name, f[i].name);
		seen |= m;
	}
}

static void test_table_invariants(void **state)
{
	static const uint64_t probes[] = { 0, 1, 0x5a000000, 0x62000000, 0x82000000,
					   0x92000000, 0xffffffffffffffff };
	(void)state;
	for (size_t i = 0; i < sr_count(); i++) {
		const struct sr_desc *d = sr_get(i);

		assert_non_null(d->summary);
		switch (d->kind) {
		case SR_KIND_REG:
			assert_true(SR_ENC_OP0(d->enc) >= 2);
			assert_true(d->access == SR_ACC_R || d->access == SR_ACC_RW);
			assert_null(d->tlbi);
			assert_null(d->at);
			for (size_t p = 0; p < sizeof(probes) / sizeof(probes[0]); p++) {
				for (unsigned fl = 0; fl < 4; fl++) {
					size_t n;
					const struct sr_field *f =
						sr_fields_for(d, probes[p], fl, &n);
					uint64_t r0, r1;

					sr_masks_for(d, probes[p], fl, &r0, &r1);
					check_layout(d->name, f, n, r0, r1);
				}
			}
			if (d->alias_of)
				assert_int_equal(SR_ENC_OP1(d->enc), 5);
			break;
		case SR_KIND_TLBI:

			assert_int_equal(SR_ENC_OP0(d->enc), 1);
			assert_int_equal(SR_ENC_CRN(d->enc), 8);
			assert_non_null(d->tlbi);
			assert_true(d->tlbi->stage1 || d->tlbi->stage2);
			assert_int_equal(d->tlbi->has_operand, d->tlbi->scope != SR_TLBI_ALL &&
							   d->tlbi->scope != SR_TLBI_VMALL);
			/* Suffix IS/OS <-> domain; "L" forms are last level. */
			if (strstr(d->name, "OS") == d->name + strlen(d->name) - 2)
				assert_int_equal(d->tlbi->domain, SR_SH_OS);
			else if (strstr(d->name, "IS") == d->name + strlen(d->name) - 2)
				assert_int_equal(d->tlbi->domain, SR_SH_IS);
			else
				assert_int_equal(d->tlbi->domain, SR_SH_NONE);
			assert_int_equal(d->tlbi->last_level, strstr(d->name, "LE") != NULL &&
								   strncmp(d->name, "ALLE", 4) &&
								   strncmp(d->name, "VMALLE", 6));
			assert_int_equal(SR_ENC_OP1(d->enc), d->tlbi->regime_el == 3 ? 6 :
					 d->tlbi->regime_el == 2 || d->tlbi->stage2 ||
					 strstr(d->name, "ALLE1") == d->name ? 4 : 0);
			break;
		case SR_KIND_AT:
			assert_int_equal(SR_ENC_OP0(d->enc), 1);
			assert_int_equal(SR_ENC_CRN(d->enc), 7);
			assert_non_null(d->at);
			/* The name spells the semantics: S1/S12, E<el>, R/W, P. */
			assert_int_equal(d->at->stage2, !strncmp(d->name, "S12", 3));
			assert_int_equal(d->at->el, d->name[d->at->stage2 ? 4 : 3] - '0');
			assert_int_equal(d->at->write, d->name[d->at->stage2 ? 5 : 4] == 'W');
			assert_int_equal(d->at->pan, d->name[strlen(d->name) - 1] == 'P');
			break;
		case SR_KIND_CACHE:
			assert_int_equal(SR_ENC_OP0(d->enc), 1);
			assert_int_equal(SR_ENC_CRN(d->enc), 7);
			break;
		}
	}
}

/* Register values commented in the traces of /work/shared/examples (fields stated there). */
static void test_decode_trace_values(void **state)
{
	const struct sr_desc *vtcr = must_find("VTCR_EL2"), *tcr = must_find("TCR_EL1");
	const struct sr_desc *ttbr = must_find("TTBR0_EL1"), *hcr = must_find("HCR_EL2");
	const struct sr_desc *sctlr1 = must_find("SCTLR_EL1");
	const struct sr_desc *sctlr2 = must_find("SCTLR_EL2"), *mair = must_find("MAIR_EL1");
	char buf[96];
	uint64_t r0, r1;
	struct sr_vttbr vt;

	(void)state;
	/* two-stage-4k: VTCR_EL2 0x80023559 = T0SZ=25, SL0=1, TG0=4K, PS=40 bits,
	 * WB inner-shareable walks. */
	assert_int_equal(field(vtcr, 0x80023559, 0, "T0SZ"), 25);
	assert_int_equal(field(vtcr, 0x80023559, 0, "SL0"), 1);
	assert_int_equal(field(vtcr, 0x80023559, 0, "TG0"), 0);
	assert_int_equal(field(vtcr, 0x80023559, 0, "PS"), 2);
	assert_int_equal(field(vtcr, 0x80023559, 0, "SH0"), 3);
	assert_int_equal(field(vtcr, 0x80023559, 0, "IRGN0"), 1);
	assert_string_equal(sr_field_str(sr_field_find(vtcr, "PS"), 0x80023559, buf, sizeof(buf)),
			    "2: 40 bits (1TB)");
	assert_string_equal(sr_field_str(sr_field_find(vtcr, "TG0"), 0x80023559, buf,
					 sizeof(buf)), "0: 4KB granule");
	assert_non_null(strstr(sr_field_str(sr_field_find(vtcr, "T0SZ"), 0x80023559, buf,
					    sizeof(buf)), "39-bit"));
	sr_masks_for(vtcr, 0x80023559, 0, &r0, &r1);
	assert_int_equal(0x80023559 & r0, 0);
	assert_int_equal(~UINT64_C(0x80023559) & r1, 0); /* bit 31 RES1 set, as software must */
	/* nested-offset: VTCR_EL2 0x80023560 = T0SZ=32, SL0=1. */
	assert_int_equal(field(vtcr, 0x80023560, 0, "T0SZ"), 32);
	assert_int_equal(field(vtcr, 0x80023560, 0, "SL0"), 1);
	/* VTTBR_EL2 0x82000070000000: VMID 130, root 0x70000000;
	 * 0xc1000070000000: VMID 193 (nested-offset). */
	sr_vttbr_decode(0x82000070000000, 0, &vt);
	assert_int_equal(vt.vmid, 130);
	assert_int_equal(vt.baddr, 0x70000000);
	assert_false(vt.cnp);
	sr_vttbr_decode(0xc1000070000000, 0, &vt);
	assert_int_equal(vt.vmid, 193);
	/* 16-bit VMIDs (FEAT_VMID16, VTCR_EL2.VS=1): VTTBR_EL2[63:48]; 8-bit: [55:48] with
	 * [63:56] RES0. CnP is bit 0 (FEAT_TTCNP). */
	sr_vttbr_decode(0x1234000070000001, SR_DEC_VMID16, &vt);
	assert_int_equal(vt.vmid, 0x1234);
	assert_true(vt.cnp);
	assert_int_equal(vt.baddr, 0x70000000);
	sr_vttbr_decode(0x1234000070000001, 0, &vt);
	assert_int_equal(vt.vmid, 0x34);
	assert_int_equal(field(must_find("VTTBR_EL2"), 0x1234000070000001, SR_DEC_VMID16, "VMID"),
			 0x1234);
	assert_int_equal(field(must_find("VTTBR_EL2"), 0x1234000070000001, 0, "VMID"), 0x34);
	sr_masks_for(must_find("VTTBR_EL2"), 0, 0, &r0, &r1);
	assert_int_equal(r0, 0xff00000000000000);
	sr_masks_for(must_find("VTTBR_EL2"), 0, SR_DEC_VMID16, &r0, &r1);
	assert_int_equal(r0, 0);
	/* TCR_EL1 0x280993519: T0SZ=25, TG0=4K, EPD1=1, IPS=40 bits (nested-offset);
	 * 0x280903510: T0SZ=16 (two-stage-4k). */
	assert_int_equal(field(tcr, 0x280993519, 0, "T0SZ"), 25);
	assert_int_equal(field(tcr, 0x280993519, 0, "TG0"), 0);
	assert_int_equal(field(tcr, 0x280993519, 0, "EPD1"), 1);
	assert_int_equal(field(tcr, 0x280993519, 0, "IPS"), 2);
	assert_int_equal(field(tcr, 0x280903510, 0, "T0SZ"), 16);
	assert_int_equal(field(tcr, 0x280903510, 0, "TG1"), 2); /* 0b10: 4KB for TG1 */
	/* TTBR0_EL1 0x4a000010000000: ASID 74, root at IPA 0x10000000. */
	assert_int_equal(field(ttbr, 0x4a000010000000, 0, "ASID"), 74);
	assert_string_equal(sr_field_str(sr_field_find(ttbr, "BADDR"), 0x4a000010000000, buf,
					 sizeof(buf)), "0x10000000");
	/* HCR_EL2 0x80000001: RW=1, VM=1. */
	assert_int_equal(field(hcr, 0x80000001, 0, "RW"), 1);
	assert_int_equal(field(hcr, 0x80000001, 0, "VM"), 1);
	assert_int_equal(field(hcr, 0x80000001, 0, "E2H"), 0);
	assert_int_equal(field(hcr, 0x400000000, 0, "E2H"), 1); /* bit 34 */
	assert_int_equal(field(hcr, UINT64_C(1) << 42, 0, "NV"), 1);
	/* SCTLR_EL1 0x30d0181d: M=1, C=1, I=1. SCTLR_EL2 0x30c5183c: M=0, and every E2H=0
	 * RES1 bit (4, 5, 16, 18, 23, 28, 29) set. */
	assert_int_equal(field(sctlr1, 0x30d0181d, 0, "M"), 1);
	assert_int_equal(field(sctlr1, 0x30d0181d, 0, "C"), 1);
	assert_int_equal(field(sctlr1, 0x30d0181d, 0, "I"), 1);
	assert_int_equal(field(sctlr2, 0x30c5183c, 0, "M"), 0);
	sr_masks_for(sctlr2, 0x30c5183c, 0, &r0, &r1);
	assert_int_equal(~UINT64_C(0x30c5183c) & r1, 0);
	assert_int_equal(UINT64_C(0x30c5183c) & r0, 0);
	/* MAIR_EL1 0x4404ff: Attr0 0xff, Attr1 0x04, Attr2 0x44. */
	assert_int_equal(field(mair, 0x4404ff, 0, "Attr0"), 0xff);
	assert_int_equal(field(mair, 0x4404ff, 0, "Attr1"), 0x04);
	assert_int_equal(field(mair, 0x4404ff, 0, "Attr2"), 0x44);
}

/* TCR_EL2 has two formats (Arm ARM): E2H=0 has PS at [18:16] and RES1 bits 23
 * and 31; E2H=1 is TCR_EL1's (T1SZ, EPD1, IPS at [34:32]). */
static void test_tcr_el2_formats(void **state)
{
	const struct sr_desc *d = must_find("TCR_EL2");
	uint64_t r0, r1;

	(void)state;
	assert_true(has_field(d, 0, 0, "PS"));
	assert_false(has_field(d, 0, 0, "T1SZ"));
	assert_true(has_field(d, 0, SR_DEC_E2H, "T1SZ"));
	assert_true(has_field(d, 0, SR_DEC_E2H, "IPS"));
	assert_false(has_field(d, 0, SR_DEC_E2H, "PS"));
	/* 0x80823510 (E2H=0): T0SZ=16, TG0=4KB, PS=2 (40 bits). */
	assert_int_equal(field(d, 0x80823510, 0, "T0SZ"), 16);
	assert_int_equal(field(d, 0x80823510, 0, "PS"), 2);
	sr_masks_for(d, 0, 0, &r0, &r1);
	assert_int_equal(r1, (UINT64_C(1) << 31) | (UINT64_C(1) << 23));
	/* E2H=1: T1SZ=[21:16], EPD1=bit 23, IPS=[34:32]; no RES1 bits. */
	assert_int_equal(field(d, 0x280903510, SR_DEC_E2H, "T1SZ"), 16);
	assert_int_equal(field(d, 0x280903510, SR_DEC_E2H, "EPD1"), 1);
	assert_int_equal(field(d, 0x280903510, SR_DEC_E2H, "IPS"), 2);
	sr_masks_for(d, 0, SR_DEC_E2H, &r0, &r1);
	assert_int_equal(r1, 0);
	/* CPTR_EL2 with E2H=1 has CPACR_EL1's FPEN at [21:20]; with E2H=0 TFP at bit 10. */
	assert_int_equal(field(must_find("CPTR_EL2"), 3 << 20, SR_DEC_E2H, "FPEN"), 3);
	assert_int_equal(field(must_find("CPTR_EL2"), 1 << 10, 0, "TFP"), 1);
}

/* ESR_ELx (Arm ARM). 0x5a000000 is the HVC #0 syndrome QEMU reported
 * (notes/qemu-oracle.md: "ESR_EL2 = 0x5a000000, EC 0x16 = HVC64"). */
static void test_esr(void **state)
{
	const struct sr_desc *d = must_find("ESR_EL2");
	struct sr_esr_sys s = { 0 }, back;
	uint32_t iss;

	(void)state;
	assert_int_equal(field(d, 0x5a000000, 0, "EC"), SR_EC_HVC64);
	assert_int_equal(field(d, 0x5a000000, 0, "IL"), 1);
	assert_int_equal(field(d, 0x5a00abcd, 0, "imm16"), 0xabcd);
	assert_string_equal(sr_esr_ec_str(0x16), "HVC in AArch64 state");
	assert_non_null(strstr(sr_esr_ec_str(0x3f), "reserved"));
	/* A data abort from a lower EL: EC 0x24, IL, ISV, SAS=3, SRT=5, SF, WnR, S1PTW clear,
	 * DFSC 0x0f (permission fault, level 3): assembled from the ESR_EL2 ISS bit positions. */
	uint64_t dabt = (UINT64_C(0x24) << 26) | (1u << 25) | (1u << 24) | (3u << 22) |
			(5u << 16) | (1u << 15) | (1u << 6) | 0x0f;
	char buf[96];

	assert_int_equal(field(d, dabt, 0, "ISV"), 1);
	assert_int_equal(field(d, dabt, 0, "SAS"), 3);
	assert_int_equal(field(d, dabt, 0, "SRT"), 5);
	assert_int_equal(field(d, dabt, 0, "WnR"), 1);
	assert_int_equal(field(d, dabt, 0, "S1PTW"), 0);
	assert_int_equal(field(d, dabt, 0, "DFSC"), 0x0f);
	assert_string_equal(sr_field_str(sr_field_find(d, "EC"), dabt, buf, sizeof(buf)),
			    "0x24: Data Abort from a lower Exception level");
	{
		size_t n;
		const struct sr_field *f = sr_fields_for(d, dabt, 0, &n);
		const struct sr_field *fsc = &f[n - 1];

		assert_string_equal(fsc->name, "DFSC");
		assert_string_equal(sr_field_str(fsc, dabt, buf, sizeof(buf)),
				    "0x0f: permission fault, level 3");
		assert_string_equal(sr_field_str(fsc, 0x24ull << 26 | 0x06, buf, sizeof(buf)),
				    "0x06: translation fault, level 2");
		assert_string_equal(sr_field_str(fsc, 0x24ull << 26 | 0x0b, buf, sizeof(buf)),
				    "0x0b: access flag fault, level 3");
		assert_string_equal(sr_field_str(fsc, 0x24ull << 26 | 0x21, buf, sizeof(buf)),
				    "0x21: alignment fault");
	}
	/* Instruction abort: IFSC, no WnR. */
	assert_true(has_field(d, UINT64_C(0x20) << 26, 0, "IFSC"));
	assert_false(has_field(d, UINT64_C(0x20) << 26, 0, "WnR"));
	/* MRS X3, HCR_EL2 trapped (EC 0x18): ISS = Op0 3 <<20 | Op2 0 <<17 | Op1 4 <<14 |
	 * CRn 1 <<10 | Rt 3 <<5 | CRm 1 <<1 | Direction 1 = 0x310463 (ESR_EL2, ISS encoding
	 * for EC 0b011000). */
	s.enc = must_find("HCR_EL2")->enc;
	s.rt = 3;
	s.read = true;
	iss = sr_esr_sys_iss(&s);
	assert_int_equal(iss, 0x310463);
	sr_esr_sys_decode(iss, &back);
	assert_int_equal(back.enc, s.enc);
	assert_int_equal(back.rt, 3);
	assert_true(back.read);
	assert_int_equal(field(d, (UINT64_C(0x18) << 26) | iss, 0, "Op1"), 4);
	assert_int_equal(field(d, (UINT64_C(0x18) << 26) | iss, 0, "CRm"), 1);
	/* TLBI VMALLS12E1IS trapped: SYS, op0 1, Rt 31, Direction 0. */
	s.enc = must_find("VMALLS12E1IS")->enc;
	s.rt = 31;
	s.read = false;
	sr_esr_sys_decode(sr_esr_sys_iss(&s), &back);
	assert_ptr_equal(sr_find_enc(back.enc, true), must_find("VMALLS12E1IS"));
	/* ESR_EL1 and ESR_EL12 share the layout. */
	assert_int_equal(field(must_find("ESR_EL1"), dabt, 0, "DFSC"), 0x0f);
	assert_int_equal(field(must_find("ESR_EL12"), dabt, 0, "DFSC"), 0x0f);
}

/* PAR_EL1 values QEMU produced (/work/shared/examples/two-stage-4k.trace). */
static void test_par(void **state)
{
	const struct sr_desc *d = must_find("PAR_EL1");
	char buf[96];

	(void)state;
	/* 0xff00000070600b80: success, PA 0x70600000, ATTR 0xff, SH=Inner, NS=1. */
	assert_int_equal(field(d, 0xff00000070600b80, 0, "F"), 0);
	assert_int_equal(field(d, 0xff00000070600b80, 0, "ATTR"), 0xff);
	assert_int_equal(field(d, 0xff00000070600b80, 0, "SH"), 3);
	assert_int_equal(field(d, 0xff00000070600b80, 0, "NS"), 1);
	assert_string_equal(sr_field_str(sr_field_find(d, "PA"), 0xff00000070600b80, buf,
					 sizeof(buf)), "0x70600000");
	/* 0x81f: stage 1 permission fault at level 3 (FST 0x0f, S=0). */
	assert_int_equal(field(d, 0x81f, 0, "FST"), 0x0f);
	assert_int_equal(field(d, 0x81f, 0, "S"), 0);
	/* 0xa0f: stage 2 translation fault at level 3 (FST 0x07, S=1, PTW=0). */
	assert_int_equal(field(d, 0xa0f, 0, "FST"), 0x07);
	assert_int_equal(field(d, 0xa0f, 0, "S"), 1);
	assert_int_equal(field(d, 0xa0f, 0, "PTW"), 0);
	assert_false(has_field(d, 0xa0f, 0, "PA"));
	/* HPFAR_EL2.FIPA holds IPA[51:12] at [43:4] (Arm ARM, HPFAR_EL2):
	 * IPA 0x20201000 <-> 0x202010. */
	assert_string_equal(sr_field_str(sr_field_find(must_find("HPFAR_EL2"), "FIPA"), 0x202010,
					 buf, sizeof(buf)), "0x20201000");
}

/* TLBI operands (Arm ARM, the TLBI instruction pages). */
/* Field positions of the GICv3, RAS, SVE and MPAM EL2 registers, from the Arm ARM
 * register pages (ICH_LR<n>_EL2: GICv3/v4 specification IHI 0069, 12.4). */
static void test_el2_v84_fields(void **state)
{
	static const struct {
		const char *reg, *field;
		unsigned lsb, width;
	} arm[] = {
		{ "ICH_HCR_EL2", "En", 0, 1 },
		{ "ICH_HCR_EL2", "TDIR", 14, 1 },
		{ "ICH_HCR_EL2", "EOIcount", 27, 5 },
		{ "ICH_VTR_EL2", "ListRegs", 0, 5 },
		{ "ICH_VTR_EL2", "PRIbits", 29, 3 },
		{ "ICH_VMCR_EL2", "VPMR", 24, 8 },
		{ "ICH_VMCR_EL2", "VBPR1", 18, 3 },
		{ "ICH_LR3_EL2", "State", 62, 2 },
		{ "ICH_LR12_EL2", "Priority", 48, 8 },
		{ "ICH_MISR_EL2", "NP", 3, 1 },
		{ "ICC_SRE_EL2", "Enable", 3, 1 },
		{ "VDISR_EL2", "A", 31, 1 },
		{ "VSESR_EL2", "IDS", 24, 1 },
		{ "ZCR_EL2", "LEN", 0, 4 },
		{ "TRFCR_EL2", "TS", 5, 2 },
		{ "PMSCR_EL2", "PCT", 6, 2 },
		{ "MPAM2_EL2", "TRAPMPAM1EL1", 48, 1 },
		{ "MPAM2_EL2", "PMG_D", 40, 8 },
		{ "MPAMHCR_EL2", "TRAP_MPAMIDR_EL1", 31, 1 },
		{ "MPAMVPM5_EL2", "PhyPARTID3", 48, 16 },
		{ "MPAMVPMV_EL2", "VPM_V", 0, 32 },
		{ "FPEXC32_EL2", "EN", 30, 1 },
	};
	char buf[64];

	(void)state;
	for (size_t i = 0; i < sizeof(arm) / sizeof(arm[0]); i++) {
		const struct sr_field *f = sr_field_find(must_find(arm[i].reg), arm[i].field);

		if (!f)
			fail_msg("%s.%s missing", arm[i].reg, arm[i].field);
		assert_int_equal(f->lsb, arm[i].lsb);
		assert_int_equal(f->width, arm[i].width);
	}
	/* ICH_LR<n>_EL2.State = 0b11: pending and active (IHI 0069). */
	assert_string_equal(sr_field_str(sr_field_find(must_find("ICH_LR0_EL2"), "State"),
					 UINT64_C(3) << 62, buf, sizeof(buf)),
			    "3: Pending and active");
	/* 32-bit registers: [63:32] RES0 (Arm ARM); MPAM2_EL2 keeps every bit. */
	assert_int_equal(must_find("DACR32_EL2")->res0, UINT64_C(0xffffffff00000000));
	assert_int_equal(must_find("SPSR_und")->res0, UINT64_C(0xffffffff00000000));
	assert_int_equal(must_find("ICH_AP0R3_EL2")->res0, UINT64_C(0xffffffff00000000));
	assert_int_equal(must_find("MPAMVPMV_EL2")->res0, UINT64_C(0xffffffff00000000));
	assert_int_equal(must_find("MPAM2_EL2")->res0, 0);
	assert_string_equal(must_find("ZCR_EL2")->feature, "FEAT_SVE");
	assert_string_equal(must_find("VSESR_EL2")->feature, "FEAT_RAS");
	assert_string_equal(must_find("SDER32_EL2")->feature, "FEAT_SEL2");
	/* Arm ARM DACR32_EL2: "present only when FEAT_AA32EL1 is implemented". */
	assert_string_equal(must_find("DACR32_EL2")->feature, "FEAT_AA32EL1");
	assert_null(must_find("RMR_EL2")->feature);
}

static void test_tlbi_decode(void **state)
{
	struct sr_tlbi_operand op;
	const struct sr_tlbi_info *ipa = must_find("IPAS2E1IS")->tlbi;
	const struct sr_tlbi_info *vae1 = must_find("VAE1IS")->tlbi;

	(void)state;
	/* The trace's "tlbi IPAS2E1IS 0x20204": IPA 0x20204000, no TTL hint. */
	assert_true(sr_tlbi_decode(ipa, 0x20204, &op));
	assert_int_equal(op.addr, 0x20204000);
	assert_int_equal(op.end, 0x20205000);
	assert_int_equal(op.ttl_level, -1);
	assert_false(op.has_asid);
	/* TTL 0b0111: 4KB granule, level 3; TTL 0b1010: 16KB, level 2; 0b0100: 4KB with
	 * level 0b00, reserved without FEAT_LPA2 -> no hint. NS is Xt[63]. */
	assert_true(sr_tlbi_decode(ipa, (UINT64_C(7) << 44) | 0x20204, &op));
	assert_int_equal(op.ttl_level, 3);
	assert_int_equal(op.ttl_granule, 4096);
	assert_true(sr_tlbi_decode(ipa, (UINT64_C(10) << 44) | (UINT64_C(1) << 63) | 4, &op));
	assert_int_equal(op.ttl_level, 2);
	assert_int_equal(op.ttl_granule, 16384);
	assert_true(op.ns);
	assert_int_equal(op.addr, 0x4000);
	assert_int_equal(op.end, 0x8000);
	/* 64KB hint (TTL 0b1111): the page is the 64KB page holding IPA 0x35000. */
	assert_true(sr_tlbi_decode(ipa, (UINT64_C(15) << 44) | 0x35, &op));
	assert_int_equal(op.addr, 0x30000);
	assert_int_equal(op.end, 0x40000);
	assert_true(sr_tlbi_decode(ipa, (UINT64_C(4) << 44) | 1, &op));
	assert_int_equal(op.ttl_level, -1);
	/* IPA[51:12] in Xt[39:0]: bit 39 is IPA bit 51. */
	assert_true(sr_tlbi_decode(ipa, UINT64_C(1) << 39, &op));
	assert_int_equal(op.addr, UINT64_C(1) << 51);
	/* VAE1IS: ASID 74 in Xt[63:48], VA 0x80000000; VA[55] set -> upper range VA. */
	assert_true(sr_tlbi_decode(vae1, (UINT64_C(74) << 48) | 0x80000, &op));
	assert_true(op.has_asid);
	assert_int_equal(op.asid, 74);
	assert_int_equal(op.addr, 0x80000000);
	assert_true(sr_tlbi_decode(vae1, 0xfffffffffff, &op));
	assert_int_equal(op.addr, 0xfffffffffffff000);
	assert_int_equal(op.end, UINT64_MAX);
	/* VAAE1IS ignores the ASID field. ASIDE1: ASID only. */
	assert_true(sr_tlbi_decode(must_find("VAAE1IS")->tlbi, (UINT64_C(74) << 48) | 1, &op));
	assert_false(op.has_asid);
	assert_int_equal(op.addr, 0x1000);
	assert_true(sr_tlbi_decode(must_find("ASIDE1IS")->tlbi, UINT64_C(9) << 48, &op));
	assert_int_equal(op.asid, 9);
	/* No operand: ALLE1IS, VMALLS12E1IS. */
	assert_false(sr_tlbi_decode(must_find("ALLE1IS")->tlbi, 0x1234, &op));
	assert_false(sr_tlbi_decode(must_find("VMALLS12E1IS")->tlbi, 0, &op));
	assert_false(sr_tlbi_decode(NULL, 0, &op));
}

/* Range forms (FEAT_TLBIRANGE): ASID [63:48], TG [47:46], SCALE [45:44], NUM [43:39],
 * TTL [38:37], BaseADDR [36:0]; (NUM + 1) * 2^(5 * SCALE + 1) granules. */
static void test_tlbi_range(void **state)
{
	struct sr_tlbi_operand op;
	const struct sr_tlbi_info *rva = must_find("RVAE1IS")->tlbi;
	const struct sr_tlbi_info *ripa = must_find("RIPAS2E1IS")->tlbi;
	uint64_t xt;

	(void)state;
	/* 4KB, SCALE 1, NUM 3: 4 * 2^6 = 256 pages from 0x100000, ASID 5, TTL level 3. */
	xt = (UINT64_C(5) << 48) | (UINT64_C(1) << 46) | (UINT64_C(1) << 44) |
	     (UINT64_C(3) << 39) | (UINT64_C(3) << 37) | 0x100;
	assert_true(sr_tlbi_decode(rva, xt, &op));
	assert_int_equal(op.range_pages, 256);
	assert_int_equal(op.range_granule, 4096);
	assert_int_equal(op.addr, 0x100000);
	assert_int_equal(op.end, 0x200000);
	assert_int_equal(op.asid, 5);
	assert_true(op.has_asid);
	assert_int_equal(op.ttl_level, 3);
	/* 64KB, SCALE 0, NUM 0: 2 granules of 64KB from BaseADDR 0x10 = 0x100000; IPA. */
	xt = (UINT64_C(3) << 46) | 0x10;
	assert_true(sr_tlbi_decode(ripa, xt, &op));
	assert_int_equal(op.range_pages, 2);
	assert_int_equal(op.addr, 0x100000);
	assert_int_equal(op.end, 0x120000);
	assert_false(op.has_asid);
	assert_int_equal(op.ttl_level, -1);
	/* Largest range: SCALE 3, NUM 31: 32 * 2^16 granules. 16KB granule. */
	xt = (UINT64_C(2) << 46) | (UINT64_C(3) << 44) | (UINT64_C(31) << 39);
	assert_true(sr_tlbi_decode(ripa, xt, &op));
	assert_int_equal(op.range_pages, UINT64_C(32) << 16);
	assert_int_equal(op.end, (UINT64_C(32) << 16) * 16384);
	/* TG 0b00 is reserved. */
	assert_false(sr_tlbi_decode(rva, 0x100, &op));
	/* An upper-range VA: BaseADDR top bit (VA[48] for 4KB) set, near the top: no wrap. */
	xt = (UINT64_C(1) << 46) | (UINT64_C(3) << 44) | (UINT64_C(31) << 39) |
	     ((UINT64_C(1) << 37) - 1);
	assert_true(sr_tlbi_decode(rva, xt, &op));
	assert_int_equal(op.addr, 0xfffffffffffff000);
	assert_int_equal(op.end, UINT64_MAX);
}

static void test_at_semantics(void **state)
{
	(void)state;
	/* Arm ARM: AT S12E1R is stage 1+2 EL1 read; S1E2W is EL2 stage 1 write. */
	assert_int_equal(must_find("S12E1R")->at->el, 1);
	assert_true(must_find("S12E1R")->at->stage2);
	assert_false(must_find("S12E1R")->at->write);
	assert_int_equal(must_find("S1E2W")->at->el, 2);
	assert_false(must_find("S1E2W")->at->stage2);
	assert_true(must_find("S1E2W")->at->write);
	assert_int_equal(must_find("S12E0W")->at->el, 0);
	assert_true(must_find("S1E1WP")->at->pan);
	/* TLBI semantics: IPAS2E1IS invalidates stage 2 only, VMALLS12E1IS both. */
	assert_int_equal(must_find("IPAS2E1IS")->tlbi->scope, SR_TLBI_IPA);
	assert_false(must_find("IPAS2E1IS")->tlbi->stage1);
	assert_true(must_find("IPAS2E1IS")->tlbi->stage2);
	assert_true(must_find("VMALLS12E1IS")->tlbi->stage1);
	assert_true(must_find("VMALLS12E1IS")->tlbi->stage2);
	assert_false(must_find("VMALLE1IS")->tlbi->stage2);
	assert_int_equal(must_find("ALLE2")->tlbi->regime_el, 2);
	assert_int_equal(must_find("VALE1OS")->tlbi->domain, SR_SH_OS);
	assert_true(must_find("IPAS2LE1")->tlbi->last_level);
}

/* The printers: each entry, with several values, prints without error; key lines are
 * present. */
static char *print_to_string(const struct sr_desc *d, uint64_t v, unsigned flags)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int n;

	assert_non_null(f);
	n = sr_print(f, d, v, flags);
	fclose(f);
	assert_true(n >= 0);
	assert_int_equal((size_t)n, len);
	return buf;
}

static void test_print(void **state)
{
	static const uint64_t vals[] = { 0, ~UINT64_C(0), 0x80023559, 0x5a000000,
					 UINT64_C(0x18) << 26 | 0x310463, 0x93c08007, 0x81f,
					 0x0123456789abcdef };
	char *s;

	(void)state;
	for (size_t i = 0; i < sr_count(); i++)
		for (size_t v = 0; v < sizeof(vals) / sizeof(vals[0]); v++)
			for (unsigned fl = 0; fl < 4; fl++)
				free(print_to_string(sr_get(i), vals[v], fl));
	s = print_to_string(must_find("VTCR_EL2"), 0x80023559, 0);
	assert_non_null(strstr(s, "39-bit IPA, 4KB granule, start level 1, 40-bit PA"));
	assert_null(strstr(s, "warning"));
	free(s);
	s = print_to_string(must_find("VTCR_EL2"), 0x23559, 0);
	assert_non_null(strstr(s, "RES1 bits clear: 0x80000000"));
	free(s);
	s = print_to_string(must_find("ESR_EL2"), UINT64_C(0x18) << 26 | 0x310463, 0);
	assert_non_null(strstr(s, "MRS X3, HCR_EL2"));
	free(s);
	s = print_to_string(must_find("TCR_EL1"), 0x280903510, 0);
	assert_non_null(strstr(s, "TTBR0: 48-bit VA, 4KB granule, start level 0"));
	free(s);
	s = print_to_string(must_find("IPAS2E1IS"), 0x20204, 0);
	assert_non_null(strstr(s, "0x20204000"));
	free(s);
	s = print_to_string(must_find("HPFAR_EL2"), 0x202010, 0);
	assert_non_null(strstr(s, "faulting IPA page 0x20201000"));
	free(s);
}

/* xorshift64: reproducible pseudo-random operands. */
static uint64_t rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Any Xt gives a well-formed result: a range that does not wrap, of the size the fields
 * say; a page aligned to its granule; TG=0b00 the only rejection. */
static void test_tlbi_any_operand(void **state)
{
	uint64_t x = 0x9e3779b97f4a7c15;

	(void)state;
	for (size_t i = 0; i < sr_count(); i++) {
		const struct sr_tlbi_info *t = sr_get(i)->tlbi;
		bool range;

		if (!t || !t->has_operand)
			continue;
		range = t->scope == SR_TLBI_RVA || t->scope == SR_TLBI_RVAA ||
			t->scope == SR_TLBI_RIPA;
		for (int k = 0; k < 4000; k++) {
			uint64_t xt = rnd(&x), size;
			struct sr_tlbi_operand op;
			bool ok = sr_tlbi_decode(t, xt, &op);

			assert_int_equal(ok, !range || ((xt >> 46) & 3) != 0);
			if (!ok)
				continue;
			assert_true(op.ttl_level >= -1 && op.ttl_level <= 3);
			if (t->scope == SR_TLBI_ASID)
				continue;
			assert_true(op.end > op.addr);
			size = range ? op.range_pages * op.range_granule
				     : (op.ttl_granule ? op.ttl_granule : 4096);
			assert_true(op.end - op.addr == size || op.end == UINT64_MAX);
			if (range) {
				assert_true(op.range_pages >= 2 &&
					    op.range_pages <= (UINT64_C(32) << 16));
			} else {
				assert_int_equal(op.addr & (size - 1), 0);
			}
		}
	}
}

/* Look-ups never crash on arbitrary text and only accept what they should. */
static void test_lookup_any_text(void **state)
{
	static const char alphabet[] = "SCsc_0123456789 ELTBIAxX";
	uint64_t x = 0x853c49e6748fea9b;
	char buf[24];

	(void)state;
	for (int k = 0; k < 20000; k++) {
		size_t n = rnd(&x) % (sizeof(buf) - 1);
		const struct sr_desc *d;
		uint32_t e;

		for (size_t i = 0; i < n; i++)
			buf[i] = alphabet[rnd(&x) % (sizeof(alphabet) - 1)];
		buf[n] = '\0';
		d = sr_find_name(buf);
		if (sr_parse_enc(buf, &e)) {
			char back[SR_ENC_STR_LEN];

			/* Whatever parses prints back to the same encoding. */
			assert_true(sr_parse_enc(sr_enc_str(e, back, sizeof(back)), &e));
			assert_true(e <= SR_ENC_MASK);
		}
		if (d)
			assert_true(strcasecmp(buf, d->name) == 0 || strchr(buf, '_') ||
				    strchr(buf, ' '));
	}
}

/* Every entry prints any value under any flags without error (run under ASan/UBSan). */
static void test_print_any_value(void **state)
{
	FILE *null = fopen("/dev/null", "w");
	uint64_t x = 0x2545f4914f6cdd1d;

	(void)state;
	assert_non_null(null);
	for (size_t i = 0; i < sr_count(); i++)
		for (int k = 0; k < 48; k++)
			assert_true(sr_print(null, sr_get(i), rnd(&x), (unsigned)k & 3) > 0);
	fclose(null);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_spot_checks),
		cmocka_unit_test(test_parse_enc),
		cmocka_unit_test(test_table_invariants),
		cmocka_unit_test(test_decode_trace_values),
		cmocka_unit_test(test_tcr_el2_formats),
		cmocka_unit_test(test_esr),
		cmocka_unit_test(test_par),
		cmocka_unit_test(test_el2_v84_fields),
		cmocka_unit_test(test_tlbi_decode),
		cmocka_unit_test(test_tlbi_range),
		cmocka_unit_test(test_at_semantics),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_tlbi_any_operand),
		cmocka_unit_test(test_print_any_value),
		cmocka_unit_test(test_lookup_any_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Cross-check of the whole table against Capstone 4 (an independent disassembler): every
 * MRS/MSR/SYS encoding in the table, assembled into an instruction word, must disassemble
 * to the same register or operation name.
 *
 * Capstone 4.0.2 predates some of the table's entries. For those (listed below, and in
 * docs/sysreg.md) Capstone prints the generic form, "s3_4_c1_c1_4" or "sys #4, c8, c0, #2",
 * and the test checks that this generic form is exactly the entry's encoding. The list is
 * exact in both directions: an entry on it that Capstone does name fails the test too.
 * The same entries were checked against GNU as 2.40 (-march=armv8.6-a), which knows all of
 * them (tests/sysreg/gas_check.cmake runs that check when the cross toolchain exists).
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <capstone/capstone.h>
#include <cmocka.h>

#include "el2emu/sysreg.h"

/* Entries Capstone 4.0.2 does not name, and why. */
static const char *const capstone4_unknown[] = {
	/* FEAT_FGT (ARMv8.6) fine-grained trap registers: newer than Capstone 4. */
	"HFGRTR_EL2", "HFGWTR_EL2", "HFGITR_EL2", "HDFGRTR_EL2", "HDFGWTR_EL2", "HAFGRTR_EL2",
	/* FEAT_NV2 (ARMv8.4). */
	"VNCR_EL2",
	/* FEAT_SEL2 (ARMv8.4) Secure EL2 stage 2 and timers. */
	"VSTTBR_EL2", "VSTCR_EL2", "CNTHVS_TVAL_EL2", "CNTHVS_CTL_EL2", "CNTHVS_CVAL_EL2",
	"CNTHPS_TVAL_EL2", "CNTHPS_CTL_EL2", "CNTHPS_CVAL_EL2", "SDER32_EL2",
	/* FEAT_RAS (ARMv8.2) virtual SError registers. */
	"VSESR_EL2", "VDISR_EL2",
	/* FEAT_SVE (ARMv8.2), FEAT_TRF (ARMv8.4). */
	"ZCR_EL2", "TRFCR_EL2",
	/* FEAT_MPAM (ARMv8.4). */
	"MPAMHCR_EL2", "MPAMVPMV_EL2", "MPAM2_EL2", "MPAMVPM0_EL2", "MPAMVPM1_EL2",
	"MPAMVPM2_EL2", "MPAMVPM3_EL2", "MPAMVPM4_EL2", "MPAMVPM5_EL2", "MPAMVPM6_EL2",
	"MPAMVPM7_EL2",
	/* FEAT_VHE (ARMv8.1): Capstone 4 names CNTP_TVAL_EL02 and CNTP_CVAL_EL02 but not
	 * CNTP_CTL_EL02 (S3_5_C14_C2_1, which GNU as 2.40 assembles from the name). */
	"CNTP_CTL_EL02",
	/* FEAT_TLBIOS (ARMv8.4) Outer Shareable TLBIs. */
	"VMALLE1OS", "VAE1OS", "ASIDE1OS", "VAAE1OS", "VALE1OS", "VAALE1OS", "ALLE2OS",
	"VAE2OS", "ALLE1OS", "VALE2OS", "VMALLS12E1OS", "IPAS2E1OS", "IPAS2LE1OS", "ALLE3OS",
	"VAE3OS", "VALE3OS",
	/* FEAT_TLBIRANGE (ARMv8.4) range TLBIs. */
	"RVAE1IS", "RVAAE1IS", "RVALE1IS", "RVAALE1IS", "RVAE1OS", "RVAAE1OS", "RVALE1OS",
	"RVAALE1OS", "RVAE1", "RVAAE1", "RVALE1", "RVAALE1", "RIPAS2E1IS", "RIPAS2LE1IS",
	"RVAE2IS", "RVALE2IS", "RIPAS2E1", "RIPAS2E1OS", "RIPAS2LE1", "RIPAS2LE1OS", "RVAE2OS",
	"RVALE2OS", "RVAE2", "RVALE2", "RVAE3IS", "RVALE3IS", "RVAE3OS", "RVALE3OS", "RVAE3",
	"RVALE3",
	/* FEAT_PAN2 (ARMv8.2) AT S1E1RP/S1E1WP. */
	"S1E1RP", "S1E1WP",
	/* FEAT_DPB (ARMv8.2) DC CVAP. */
	"CVAP",
};

static bool on_unknown_list(const char *name)
{
	for (size_t i = 0; i < sizeof(capstone4_unknown) / sizeof(capstone4_unknown[0]); i++)
		if (!strcmp(capstone4_unknown[i], name))
			return true;
	return false;
}

/* No-operand ops encode Rt = 31 (XZR); the rest take X0. */
static unsigned sys_rt(const struct sr_desc *d)
{
	if (d->kind == SR_KIND_TLBI)
		return d->tlbi->has_operand ? 0 : 31;
	if (d->kind == SR_KIND_CACHE && !strcmp(sr_kind_prefix(d), "IC") &&
	    strncmp(d->name, "IALLU", 5) == 0)
		return 31;
	return 0;
}

/* Copies the token of s up to ',' or the end, lower-cased. */
static void token(const char *s, char *out, size_t len)
{
	size_t i = 0;

	while (*s == ' ')
		s++;
	while (*s && *s != ',' && i + 1 < len)
		out[i++] = (char)tolower((unsigned char)*s++);
	out[i] = '\0';
}

/* Entries Capstone 4.0.2 names with another spelling of the same encoding: the GICv3
 * specification's early name ICH_ELSR_EL2 (GNU as 2.40 accepts only ICH_ELRSR_EL2, the
 * Arm ARM name). */
static const struct {
	const char *table, *capstone;
} capstone4_spelling[] = {
	{ "ICH_ELRSR_EL2", "ich_elsr_el2" },
};

/* The name Capstone 4 gives d (lower case) into want. */
static void capstone_name(const struct sr_desc *d, char *want, size_t len)
{
	for (size_t i = 0; i < sizeof(capstone4_spelling) / sizeof(capstone4_spelling[0]); i++) {
		if (!strcmp(capstone4_spelling[i].table, d->name)) {
			snprintf(want, len, "%s", capstone4_spelling[i].capstone);
			return;
		}
	}
	token(d->name, want, len);
}

struct cs_name {
	char mnemonic[32];
	char name[64];    /* register or operation name as Capstone spells it */
	bool generic;     /* Capstone printed the generic encoding, not a name */
	uint32_t enc;     /* that generic encoding */
};

static void disasm(csh cs, uint32_t word, bool is_mrs, struct cs_name *out)
{
	uint8_t code[4] = { (uint8_t)word, (uint8_t)(word >> 8), (uint8_t)(word >> 16),
			    (uint8_t)(word >> 24) };
	cs_insn *insn;
	size_t n = cs_disasm(cs, code, sizeof(code), 0, 1, &insn);
	unsigned op1, crn, crm, op2;
	const char *ops;

	memset(out, 0, sizeof(*out));
	if (n != 1)
		fail_msg("Capstone cannot disassemble 0x%08x", word);
	snprintf(out->mnemonic, sizeof(out->mnemonic), "%s", insn[0].mnemonic);
	ops = insn[0].op_str;
	if (is_mrs) {
		ops = strchr(ops, ',');
		assert_non_null(ops);
		ops++;
	}
	token(ops, out->name, sizeof(out->name));
	if (!strcmp(out->mnemonic, "sys") || !strcmp(out->mnemonic, "sysl")) {
		out->generic = sscanf(insn[0].op_str, "#%u, c%u, c%u, #%u", &op1, &crn, &crm,
				      &op2) == 4;
		if (out->generic)
			out->enc = SR_ENC(1, op1, crn, crm, op2);
	} else if (sr_parse_enc(out->name, &out->enc)) {
		out->generic = true;
	}
	cs_free(insn, n);
}

static void test_capstone_names(void **state)
{
	csh cs;
	size_t checked = 0, generic = 0;

	/* The list is Capstone 4's; a newer Capstone may name listed entries, and must then
	 * name them right. */
	int major = 0, minor = 0;
	bool strict;

	(void)state;
	cs_version(&major, &minor);
	strict = major == 4;
	assert_int_equal(cs_open(CS_ARCH_ARM64, CS_MODE_LITTLE_ENDIAN, &cs), CS_ERR_OK);
	for (size_t i = 0; i < sr_count(); i++) {
		const struct sr_desc *d = sr_get(i);
		uint32_t words[2];
		bool mrs[2];
		int nw = 0;

		if (d->kind == SR_KIND_REG) {
			if (d->access & SR_ACC_R) {
				mrs[nw] = true;
				words[nw++] = SR_INSN_MRS(d->enc, 0);
			}
			if (d->access & SR_ACC_W) {
				mrs[nw] = false;
				words[nw++] = SR_INSN_MSR(d->enc, 0);
			}
		} else {
			mrs[nw] = false;
			words[nw++] = SR_INSN_SYS(d->enc, sys_rt(d));
		}
		for (int w = 0; w < nw; w++) {
			struct cs_name got;
			char want[64];

			disasm(cs, words[w], mrs[w], &got);
			checked++;
			if (on_unknown_list(d->name) && (strict || got.generic)) {
				if (!got.generic)
					fail_msg("%s: on the Capstone-4-unknown list but Capstone "
						 "names it '%s %s'", d->name, got.mnemonic,
						 got.name);
				if (got.enc != d->enc)
					fail_msg("%s: Capstone's generic form encodes 0x%04x, the "
						 "table 0x%04x", d->name, got.enc, d->enc);
				generic++;
				continue;
			}
			capstone_name(d, want, sizeof(want));
			if (strcmp(got.name, want))
				fail_msg("%s (0x%08x): Capstone says '%s %s'", d->name, words[w],
					 got.mnemonic, got.name);
			if (d->kind == SR_KIND_REG) {
				if (strcmp(got.mnemonic, mrs[w] ? "mrs" : "msr"))
					fail_msg("%s: mnemonic %s", d->name, got.mnemonic);
			} else {
				token(sr_kind_prefix(d), want, sizeof(want));
				if (strcmp(got.mnemonic, want))
					fail_msg("%s: Capstone mnemonic '%s', table kind '%s'",
						 d->name, got.mnemonic, want);
			}
		}
	}
	cs_close(&cs);
	/* Every unknown-list entry is in the table (no stale names). */
	for (size_t i = 0; i < sizeof(capstone4_unknown) / sizeof(capstone4_unknown[0]); i++)
		assert_non_null(sr_find_name(capstone4_unknown[i]));
	for (size_t i = 0; i < sizeof(capstone4_spelling) / sizeof(capstone4_spelling[0]); i++)
		assert_non_null(sr_find_name(capstone4_spelling[i].table));
	print_message("Capstone %d: checked %zu instruction words, %zu in generic form\n", major,
		      checked, generic);
	assert_true(checked > 300);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capstone_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

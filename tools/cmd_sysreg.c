/* el2emu sysreg: look up, list and decode system registers and system instructions. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "commands.h"
#include "el2emu/sysreg.h"

static void sysreg_usage(FILE *out)
{
	fprintf(out,
		"usage: el2emu sysreg list [reg|tlbi|at|cache]\n"
		"       el2emu sysreg lookup NAME|S<op0>_<op1>_C<n>_C<m>_<op2>\n"
		"       el2emu sysreg decode NAME VALUE [--e2h] [--vmid16]\n"
		"\n"
		"  list     every register and operation el2emu knows, with its encoding\n"
		"  lookup   name -> encoding and encoding -> name; also the MRS/MSR/SYS words\n"
		"  decode   every field of VALUE with its name and meaning. NAME says whose\n"
		"           layout applies: ESR_EL1, ESR_EL2 and ESR_EL12 decode an ESR taken\n"
		"           to that EL; a TLBI name (e.g. IPAS2E1IS) decodes its Xt operand.\n"
		"  --e2h    TCR_EL2, SCTLR_EL2, CPTR_EL2 in their HCR_EL2.E2H=1 format\n"
		"  --vmid16 VTTBR_EL2 with a 16-bit VMID (VTCR_EL2.VS=1)\n"
		"\n"
		"NAME is case-insensitive; TLBI/AT/DC/IC names may carry their prefix\n"
		"('TLBI IPAS2E1IS'). VALUE is hexadecimal with 0x, or decimal.\n");
}

static const char *access_str(const struct sr_desc *d)
{
	if (d->kind != SR_KIND_REG)
		return "op";
	return d->access == SR_ACC_RW ? "RW" : d->access == SR_ACC_R ? "RO" : "WO";
}

static int sysreg_list(int argc, char **argv)
{
	static const char *const kinds[] = { "reg", "tlbi", "at", "cache" };
	int kind = -1;
	char enc[SR_ENC_STR_LEN], full[40];

	if (argc > 2) {
		cli_error("sysreg list: too many arguments");
		return 2;
	}
	if (argc == 2) {
		for (int k = 0; k < 4; k++)
			if (!strcasecmp(argv[1], kinds[k]))
				kind = k;
		if (kind < 0) {
			cli_error("sysreg list: unknown kind '%s' (reg, tlbi, at, cache)", argv[1]);
			return 2;
		}
	}
	for (size_t i = 0; i < sr_count(); i++) {
		const struct sr_desc *d = sr_get(i);

		if (kind >= 0 && (int)d->kind != kind)
			continue;
		snprintf(full, sizeof(full), "%s%s%s", sr_kind_prefix(d),
			 *sr_kind_prefix(d) ? " " : "", d->name);
		printf("%-20s %-16s %-3s %s%s%s%s\n", full, sr_enc_str(d->enc, enc, sizeof(enc)),
		       access_str(d), d->summary, d->feature ? " [" : "",
		       d->feature ? d->feature : "", d->feature ? "]" : "");
	}
	return 0;
}

static int sysreg_lookup(int argc, char **argv)
{
	const struct sr_desc *d;
	char enc[SR_ENC_STR_LEN];
	uint32_t e;

	if (argc != 2) {
		cli_error("sysreg lookup: expected one NAME or S<op0>_<op1>_C<n>_C<m>_<op2>");
		return 2;
	}
	d = sr_find_name(argv[1]);
	if (!d) {
		if (sr_parse_enc(argv[1], &e))
			cli_error("sysreg lookup: no register or operation known at %s "
				  "(op0=%u op1=%u CRn=%u CRm=%u op2=%u)",
				  sr_enc_str(e, enc, sizeof(enc)), SR_ENC_OP0(e), SR_ENC_OP1(e),
				  SR_ENC_CRN(e), SR_ENC_CRM(e), SR_ENC_OP2(e));
		else
			cli_error("sysreg lookup: unknown register or operation '%s' "
				  "(see 'el2emu sysreg list')", argv[1]);
		return 2;
	}
	e = d->enc;
	printf("name:     %s%s%s\n", sr_kind_prefix(d), *sr_kind_prefix(d) ? " " : "", d->name);
	printf("encoding: %s  (op0=%u op1=%u CRn=%u CRm=%u op2=%u, 0x%04" PRIx32 ")\n",
	       sr_enc_str(e, enc, sizeof(enc)), SR_ENC_OP0(e), SR_ENC_OP1(e), SR_ENC_CRN(e),
	       SR_ENC_CRM(e), SR_ENC_OP2(e), e);
	printf("summary:  %s\n", d->summary);
	if (d->feature)
		printf("feature:  %s\n", d->feature);
	if (d->alias_of)
		printf("alias of: %s (from EL2 with HCR_EL2.E2H=1)\n", d->alias_of);
	if (d->kind == SR_KIND_REG) {
		printf("access:   %s\n", access_str(d));
		if (d->access & SR_ACC_R)
			printf("MRS x0:   0x%08" PRIx32 "\n", SR_INSN_MRS(e, 0));
		if (d->access & SR_ACC_W)
			printf("MSR x0:   0x%08" PRIx32 "\n", SR_INSN_MSR(e, 0));
		if (d->res0 || d->res1)
			printf("RES0:     0x%016" PRIx64 "\nRES1:     0x%016" PRIx64 "\n", d->res0,
			       d->res1);
	} else {
		printf("SYS x0:   0x%08" PRIx32 "\n", SR_INSN_SYS(e, 0));
	}
	return 0;
}

static int sysreg_decode(int argc, char **argv)
{
	const char *pos[2] = { NULL, NULL };
	unsigned flags = 0;
	int npos = 0;
	const struct sr_desc *d;
	uint64_t value;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--e2h")) {
			flags |= SR_DEC_E2H;
		} else if (!strcmp(argv[i], "--vmid16")) {
			flags |= SR_DEC_VMID16;
		} else if (argv[i][0] == '-' && argv[i][1] == '-') {
			cli_error("sysreg decode: unknown option '%s'", argv[i]);
			return 2;
		} else if (npos < 2) {
			pos[npos++] = argv[i];
		} else {
			cli_error("sysreg decode: too many arguments");
			return 2;
		}
	}
	if (npos != 2) {
		cli_error("sysreg decode: expected NAME VALUE");
		return 2;
	}
	d = sr_find_name(pos[0]);
	if (!d) {
		cli_error("sysreg decode: unknown register or operation '%s' "
			  "(see 'el2emu sysreg list')", pos[0]);
		return 2;
	}
	if (!cli_parse_u64(pos[1], &value)) {
		cli_error("sysreg decode: bad value '%s': expected a 64-bit number "
			  "(0x... or decimal)", pos[1]);
		return 2;
	}
	if (d->kind == SR_KIND_AT) {
		printf("AT %s, Xt = 0x%016" PRIx64 ": translate VA 0x%" PRIx64 " as EL%u %s, "
		       "stage 1%s%s; the result is written to PAR_EL1\n",
		       d->name, value, value, d->at->el, d->at->write ? "write" : "read",
		       d->at->stage2 ? " and stage 2" : " only",
		       d->at->pan ? ", honouring PSTATE.PAN" : "");
		return 0;
	}
	if (d->kind == SR_KIND_CACHE) {
		printf("%s %s, Xt = 0x%016" PRIx64 ": %s\n", sr_kind_prefix(d), d->name, value,
		       d->summary);
		return 0;
	}
	return sr_print(stdout, d, value, flags) < 0 ? 1 : 0;
}

int cmd_sysreg(int argc, char **argv)
{
	if (argc < 2) {
		sysreg_usage(stderr);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			sysreg_usage(stdout);
			return 0;
		}
	}
	if (!strcmp(argv[1], "list"))
		return sysreg_list(argc - 1, argv + 1);
	if (!strcmp(argv[1], "lookup"))
		return sysreg_lookup(argc - 1, argv + 1);
	if (!strcmp(argv[1], "decode"))
		return sysreg_decode(argc - 1, argv + 1);
	cli_error("sysreg: unknown subcommand '%s' (list, lookup, decode)", argv[1]);
	sysreg_usage(stderr);
	return 2;
}

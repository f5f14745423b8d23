/* el2emu decode: disassemble AArch64 instruction words with Capstone and name the system
 * register or operation of MRS/MSR/SYS/SYSL from el2emu's own table. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <capstone/capstone.h>

#include "commands.h"
#include "el2emu/sysreg.h"

static void decode_usage(FILE *out)
{
	fprintf(out,
		"usage: el2emu decode WORD...\n"
		"\n"
		"Disassembles each 32-bit AArch64 instruction word (hexadecimal, with or\n"
		"without 0x, as objdump prints them) with Capstone. For MRS, MSR, SYS and SYSL\n"
		"it also names the system register or TLBI/AT/DC/IC operation from el2emu's\n"
		"table, with its S<op0>_<op1>_C<n>_C<m>_<op2> encoding.\n");
}

/* A 32-bit word in hexadecimal, "0x" optional. */
static bool parse_word(const char *s, uint32_t *out)
{
	const char *p = s;
	char *end;
	unsigned long long v;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	if (!isxdigit((unsigned char)*p))
		return false;
	errno = 0;
	v = strtoull(p, &end, 16);
	if (errno || *end || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* The system-instruction class (Arm ARM "System instructions"): 1101 0101 00 L
 * op0 op1 CRn CRm op2 Rt. op0 0 is MSR (immediate) and hints, not a table entry. */
static void print_sysreg_note(uint32_t w)
{
	uint32_t enc = (w >> 5) & SR_ENC_MASK;
	bool read = (w >> 21) & 1;
	const struct sr_desc *d;
	char es[SR_ENC_STR_LEN];

	if ((w & 0xffc00000u) != 0xd5000000u || SR_ENC_OP0(enc) == 0)
		return;
	sr_enc_str(enc, es, sizeof(es));
	d = sr_find_enc(enc, SR_ENC_OP0(enc) == 1);
	if (!d) {
		printf("    ; %s %s: not in el2emu's table\n",
		       SR_ENC_OP0(enc) == 1 ? (read ? "SYSL" : "SYS") : (read ? "MRS" : "MSR"), es);
		return;
	}
	if (d->kind == SR_KIND_REG)
		printf("    ; %s %s (%s): %s%s\n", read ? "MRS" : "MSR", d->name, es, d->summary,
		       (read && !(d->access & SR_ACC_R)) || (!read && !(d->access & SR_ACC_W))
			       ? " [this direction is UNDEFINED]"
			       : "");
	else
		printf("    ; %s %s (%s): %s\n", sr_kind_prefix(d), d->name, es, d->summary);
}

int cmd_decode(int argc, char **argv)
{
	csh cs;
	uint32_t *words;
	int n = argc - 1, rc = 0;

	if (n < 1) {
		decode_usage(stderr);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			decode_usage(stdout);
			return 0;
		}
	}
	words = calloc((size_t)n, sizeof(*words));
	if (!words) {
		cli_error("decode: out of memory");
		return 1;
	}
	/* Validate every word before printing anything. */
	for (int i = 0; i < n; i++) {
		if (!parse_word(argv[i + 1], &words[i])) {
			cli_error("decode: bad instruction word '%s': expected a 32-bit "
				  "hexadecimal number such as 0xd51c2100",
				  argv[i + 1]);
			free(words);
			return 2;
		}
	}
	if (cs_open(CS_ARCH_ARM64, CS_MODE_LITTLE_ENDIAN, &cs) != CS_ERR_OK) {
		cli_error("decode: Capstone cannot open an AArch64 disassembler");
		free(words);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		uint8_t code[4] = { (uint8_t)words[i], (uint8_t)(words[i] >> 8),
				    (uint8_t)(words[i] >> 16), (uint8_t)(words[i] >> 24) };
		cs_insn *insn;
		size_t count = cs_disasm(cs, code, sizeof(code), 0, 1, &insn);

		if (count == 1) {
			printf("0x%08" PRIx32 "  %s%s%s\n", words[i], insn[0].mnemonic,
			       insn[0].op_str[0] ? " " : "", insn[0].op_str);
			cs_free(insn, count);
		} else if ((words[i] >> 16) == 0) {
			/* UDF #imm16 (Armv8.0 permanently undefined), which Capstone 4 lacks. */
			printf("0x%08" PRIx32 "  udf #0x%" PRIx32 "\n", words[i], words[i]);
		} else {
			cli_error("decode: 0x%08" PRIx32 " is not an AArch64 instruction "
				  "(unallocated encoding, or one Capstone 4 does not know)",
				  words[i]);
			rc = 2;
			continue;
		}
		print_sysreg_note(words[i]);
	}
	cs_close(&cs);
	free(words);
	return rc;
}

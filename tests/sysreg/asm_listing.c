/* Writes every table entry as GNU assembler source (argv[1]) and the instruction words
 * el2emu expects for it, as little-endian hex bytes (argv[2]). gas_check.cmake assembles
 * the source and compares: an independent check of every encoding, including those
 * Capstone 4 does not know. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "el2emu/sysreg.h"

static void lower(const char *s, char *out, size_t len)
{
	size_t i = 0;

	while (*s && i + 1 < len)
		out[i++] = (char)tolower((unsigned char)*s++);
	out[i] = '\0';
}

static void word(FILE *f, uint32_t w)
{
	fprintf(f, "%02x%02x%02x%02x", w & 0xff, (w >> 8) & 0xff, (w >> 16) & 0xff, w >> 24);
}

int main(int argc, char **argv)
{
	FILE *s, *h;
	char name[64], pref[8];

	if (argc != 3)
		return 2;
	s = fopen(argv[1], "w");
	h = fopen(argv[2], "w");
	if (!s || !h)
		return 1;
	for (size_t i = 0; i < sr_count(); i++) {
		const struct sr_desc *d = sr_get(i);

		lower(d->name, name, sizeof(name));
		lower(sr_kind_prefix(d), pref, sizeof(pref));
		if (d->kind == SR_KIND_REG) {
			if (d->access & SR_ACC_R) {
				fprintf(s, "\tmrs x0, %s\n", name);
				word(h, SR_INSN_MRS(d->enc, 0));
			}
			if (d->access & SR_ACC_W) {
				fprintf(s, "\tmsr %s, x0\n", name);
				word(h, SR_INSN_MSR(d->enc, 0));
			}
			continue;
		}
		/* Operations without an operand encode Rt = 31. */
		bool none = (d->kind == SR_KIND_TLBI && !d->tlbi->has_operand) ||
			    (d->kind == SR_KIND_CACHE && !strncmp(d->name, "IALLU", 5));

		fprintf(s, "\t%s %s%s\n", pref, name, none ? "" : ", x0");
		word(h, SR_INSN_SYS(d->enc, none ? 31 : 0));
	}
	return (fclose(s) | fclose(h)) ? 1 : 0;
}

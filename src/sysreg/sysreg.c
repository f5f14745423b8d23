/* Table look-ups, encoding parsing, and the structured decoders (VTTBR, ESR, TLBI). */
#include <ctype.h>
#include <string.h>

#include "internal.h"

size_t sr_count(void)
{
	return sr_table_len;
}

const struct sr_desc *sr_get(size_t i)
{
	return i < sr_table_len ? &sr_table[i] : NULL;
}

static bool is_sys_kind(enum sr_kind k)
{
	return k != SR_KIND_REG;
}

const struct sr_desc *sr_find_enc(uint32_t enc, bool is_sys)
{
	for (size_t i = 0; i < sr_table_len; i++)
		if (sr_table[i].enc == enc && is_sys_kind(sr_table[i].kind) == is_sys)
			return &sr_table[i];
	return NULL;
}

/* Parses a decimal number of at most 2 digits from *p, no larger than max. */
static bool parse_small(const char **p, unsigned max, unsigned *out)
{
	unsigned v = 0;
	int n = 0;

	while (isdigit((unsigned char)**p) && n < 3) {
		v = v * 10 + (unsigned)(**p - '0');
		(*p)++;
		n++;
	}
	if (n == 0 || n > 2 || v > max)
		return false;
	*out = v;
	return true;
}

bool sr_parse_enc(const char *s, uint32_t *enc)
{
	unsigned op0, op1, crn, crm, op2;
	const char *p = s;

	if (!s || (*p != 'S' && *p != 's'))
		return false;
	p++;
	if (!parse_small(&p, 3, &op0) || *p++ != '_' || !parse_small(&p, 7, &op1) ||
	    *p++ != '_' || (*p != 'C' && *p != 'c'))
		return false;
	p++;
	if (!parse_small(&p, 15, &crn) || *p++ != '_' || (*p != 'C' && *p != 'c'))
		return false;
	p++;
	if (!parse_small(&p, 15, &crm) || *p++ != '_' || !parse_small(&p, 7, &op2) || *p)
		return false;
	*enc = SR_ENC(op0, op1, crn, crm, op2);
	return true;
}

char *sr_enc_str(uint32_t enc, char *buf, size_t len)
{
	if (len)
		snprintf(buf, len, "S%u_%u_C%u_C%u_%u", SR_ENC_OP0(enc), SR_ENC_OP1(enc),
			 SR_ENC_CRN(enc), SR_ENC_CRM(enc), SR_ENC_OP2(enc));
	return buf;
}

const char *sr_kind_prefix(const struct sr_desc *d)
{
	switch (d->kind) {
	case SR_KIND_TLBI:
		return "TLBI";
	case SR_KIND_AT:
		return "AT";
	case SR_KIND_CACHE:
		/* IC ops are the cache ops with CRm 1 or 5 (Arm ARM "IC"). */
		return (SR_ENC_CRM(d->enc) == 1 || SR_ENC_CRM(d->enc) == 5) ? "IC" : "DC";
	case SR_KIND_REG:
		break;
	}
	return "";
}

/* "TLBI x", "AT x", "DC x", "IC x": the prefix must name the entry's kind. */
static const char *strip_prefix(const char *name, const char **prefix)
{
	static const char *const prefixes[] = { "TLBI", "AT", "DC", "IC" };

	*prefix = NULL;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t n = strlen(prefixes[i]);

		if (!strncasecmp(name, prefixes[i], n) && (name[n] == ' ' || name[n] == '\t')) {
			*prefix = prefixes[i];
			name += n;
			while (*name == ' ' || *name == '\t')
				name++;
			return name;
		}
	}
	return name;
}

const struct sr_desc *sr_find_name(const char *name)
{
	const char *prefix;
	uint32_t enc;

	if (!name)
		return NULL;
	name = strip_prefix(name, &prefix);
	for (size_t i = 0; i < sr_table_len; i++) {
		const struct sr_desc *d = &sr_table[i];

		if (strcasecmp(d->name, name))
			continue;
		if (prefix && strcmp(prefix, sr_kind_prefix(d)))
			continue;
		return d;
	}
	/* The generic form names an MRS/MSR register when op0 is 2 or 3, else a SYS op
	 * (Arm ARM: op0 0b01 is the System instruction space). */
	if (sr_parse_enc(name, &enc)) {
		const struct sr_desc *d = sr_find_enc(enc, SR_ENC_OP0(enc) == 1);

		if (d && (!prefix || !strcmp(prefix, sr_kind_prefix(d))))
			return d;
	}
	return NULL;
}

const struct sr_field *sr_field_find(const struct sr_desc *d, const char *name)
{
	for (size_t i = 0; i < d->nfields; i++)
		if (!strcasecmp(d->fields[i].name, name))
			return &d->fields[i];
	return NULL;
}

/* VTTBR_EL2: BADDR [47:1], CnP [0], VMID [55:48] or [63:48] with VTCR_EL2.VS=1
 * (Arm ARM, VTTBR_EL2; FEAT_VMID16). */
void sr_vttbr_decode(uint64_t value, unsigned flags, struct sr_vttbr *out)
{
	out->cnp = value & 1;
	out->baddr = value & UINT64_C(0x0000fffffffffffe);
	out->vmid = (flags & SR_DEC_VMID16) ? (uint16_t)(value >> 48) : (uint8_t)(value >> 48);
}

/* ISS encoding for EC 0b011000 (Arm ARM ESR_EL2, "ISS encoding for an exception
 * from MSR, MRS, or System instruction execution in AArch64 state"). */
uint32_t sr_esr_sys_iss(const struct sr_esr_sys *s)
{
	uint32_t e = s->enc;

	return SR_ENC_OP0(e) << 20 | SR_ENC_OP2(e) << 17 | SR_ENC_OP1(e) << 14 |
	       SR_ENC_CRN(e) << 10 | (uint32_t)(s->rt & 31) << 5 | SR_ENC_CRM(e) << 1 |
	       (s->read ? 1u : 0u);
}

void sr_esr_sys_decode(uint32_t iss, struct sr_esr_sys *out)
{
	out->enc = SR_ENC((iss >> 20) & 3, (iss >> 14) & 7, (iss >> 10) & 15, (iss >> 1) & 15,
			  (iss >> 17) & 7);
	out->rt = (iss >> 5) & 31;
	out->read = iss & 1;
}

/*
 * TTL hint, Xt[47:44] of the by-address forms (FEAT_TTL; Arm ARM "TLB maintenance
 * instructions", e.g. TLBI VAE1): TTL[3:2] granule 0b00 none, 0b01 4KB, 0b10 16KB,
 * 0b11 64KB; TTL[1:0] level 1..3. TTL[1:0] = 0b00 with a granule is level 0 only with
 * FEAT_LPA2 and otherwise reserved.
 * IMPDEF: el2emu treats the reserved encodings as "no hint", i.e. any level, which is
 * always a safe over-invalidation.
 */
static void decode_ttl(unsigned ttl, struct sr_tlbi_operand *out)
{
	static const uint32_t granule[4] = { 0, 4096, 16384, 65536 };

	out->ttl_granule = granule[(ttl >> 2) & 3];
	out->ttl_level = (int8_t)(ttl & 3);
	if (!out->ttl_granule || out->ttl_level == 0) {
		out->ttl_granule = 0;
		out->ttl_level = -1;
	}
}

/* Sign-extends bit `top` of v through bit 63. */
static uint64_t sext(uint64_t v, unsigned top)
{
	uint64_t m = UINT64_C(1) << top;

	v &= (m << 1) - 1;
	return (v ^ m) - m;
}

/* Range forms (FEAT_TLBIRANGE; Arm ARM and TLBI RVAE1 / RIPAS2E1): Xt[63:48] ASID,
 * [47:46] TG, [45:44] SCALE, [43:39] NUM, [38:37] TTL level, [36:0] BaseADDR in units of
 * the TG granule; the range covers (NUM + 1) * 2^(5 * SCALE + 1) granules. */
static bool decode_range(const struct sr_tlbi_info *op, uint64_t xt, struct sr_tlbi_operand *out)
{
	static const unsigned tg_shift[4] = { 0, 12, 14, 16 };
	unsigned tg = (xt >> 46) & 3, ttl = (xt >> 37) & 3;
	unsigned shift = tg_shift[tg];
	uint64_t base = xt & ((UINT64_C(1) << 37) - 1);

	/* TG 0b00 is reserved: no valid range. */
	if (!tg)
		return false;
	out->range_granule = 1u << shift;
	out->range_scale = (xt >> 44) & 3;
	out->range_num = (xt >> 39) & 31;
	out->range_pages = (uint64_t)(out->range_num + 1) << (5 * out->range_scale + 1);
	out->ttl_granule = ttl ? out->range_granule : 0;
	out->ttl_level = ttl ? (int8_t)ttl : -1;
	if (op->scope == SR_TLBI_RIPA) {
		out->ns = xt >> 63;
		out->addr = base << shift;
	} else {
		out->has_asid = op->scope == SR_TLBI_RVA;
		out->asid = out->has_asid ? (uint16_t)(xt >> 48) : 0;
		/* IMPDEF: BaseADDR holds VA[36+s:s]; its top bit is taken as the sign of
		 * an upper-range (TTBR1) VA. */
		out->addr = sext(base << shift, 36 + shift);
	}
	/* At most 32 * 2^16 granules of 64KB = 2^37 bytes: cannot overflow past 2^64 from
	 * a 52-bit base, except for upper-range VAs near the top, which saturate. */
	uint64_t size = out->range_pages << shift;

	out->end = out->addr + size < out->addr ? UINT64_MAX : out->addr + size;
	return true;
}

bool sr_tlbi_decode(const struct sr_tlbi_info *op, uint64_t xt, struct sr_tlbi_operand *out)
{
	memset(out, 0, sizeof(*out));
	out->ttl_level = -1;
	if (!op || !op->has_operand)
		return false;
	switch (op->scope) {
	case SR_TLBI_ALL:
	case SR_TLBI_VMALL:
		return false;
	case SR_TLBI_ASID:
		/* TLBI ASIDE1: Xt[63:48] ASID, the rest RES0. */
		out->has_asid = true;
		out->asid = (uint16_t)(xt >> 48);
		out->end = 0;
		return true;
	case SR_TLBI_VA:
	case SR_TLBI_VAA:
		/* Xt[43:0] VA[55:12], VA[63:56] follow VA[55]; Xt[63:48] ASID for VA forms. */
		decode_ttl((xt >> 44) & 15, out);
		out->has_asid = op->scope == SR_TLBI_VA;
		out->asid = out->has_asid ? (uint16_t)(xt >> 48) : 0;
		out->addr = sext((xt & ((UINT64_C(1) << 44) - 1)) << 12, 55);
		break;
	case SR_TLBI_IPA:
		/* TLBI IPAS2E1: Xt[63] NS, Xt[39:0] IPA[51:12] (IPA[47:12] without FEAT_LPA,
		 * Xt[39:36] then RES0). */
		decode_ttl((xt >> 44) & 15, out);
		out->ns = xt >> 63;
		out->addr = (xt & ((UINT64_C(1) << 40) - 1)) << 12;
		break;
	case SR_TLBI_RVA:
	case SR_TLBI_RVAA:
	case SR_TLBI_RIPA:
		if (!decode_range(op, xt, out)) {
			memset(out, 0, sizeof(*out));
			out->ttl_level = -1;
			return false;
		}
		return true;
	}
	/* A single page: the hint's granule when given, else the smallest (4KB) page.
	 * Address bits below a 16KB/64KB hint granule do not select anything: aligned down. */
	uint64_t page = out->ttl_granule ? out->ttl_granule : 4096;

	out->addr &= ~(page - 1);
	out->end = out->addr + page < out->addr ? UINT64_MAX : out->addr + page;
	return true;
}

/* Layout selection, field formatting and the pretty-printers. */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "internal.h"

static unsigned esr_class(unsigned ec)
{
	switch (ec) {
	case 0x20:
	case 0x21:
		return SR_ESR_IABT;
	case 0x24:
	case 0x25:
		return SR_ESR_DABT;
	case 0x18:
		return SR_ESR_SYS;
	case 0x15:
	case 0x16:
	case 0x17:
		return SR_ESR_IMM16;
	default:
		return SR_ESR_OTHER;
	}
}

/* SR_LAYOUT_E2H: with HCR_EL2.E2H=1 these EL2 registers take the EL1 register's format
 * (Arm ARM "Virtualization Host Extensions"; CPTR_EL2 takes CPACR_EL1's). */
static const struct sr_desc *e2h_format(const struct sr_desc *d)
{
	static const char *const map[][2] = {
		{ "SCTLR_EL2", "SCTLR_EL1" },
		{ "TCR_EL2", "TCR_EL1" },
		{ "CPTR_EL2", "CPACR_EL1" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(d->name, map[i][0]))
			return sr_find_name(map[i][1]);
	return NULL;
}

/* The alternative layout value uses, or NULL for the entry's own fields and masks. */
static const struct sr_layout_alt *alt_layout(const struct sr_desc *d, uint64_t value,
					      unsigned flags, const struct sr_desc **other)
{
	*other = NULL;
	switch ((enum sr_layout)d->layout) {
	case SR_LAYOUT_ESR:
		return &sr_esr_layouts[esr_class((value >> 26) & 63)];
	case SR_LAYOUT_PAR:
		return (value & 1) ? &sr_par_fault_layout : NULL;
	case SR_LAYOUT_VTTBR:
		return (flags & SR_DEC_VMID16) ? &sr_vttbr_vmid16_layout : NULL;
	case SR_LAYOUT_E2H:
		if (flags & SR_DEC_E2H)
			*other = e2h_format(d);
		return NULL;
	case SR_LAYOUT_PLAIN:
		break;
	}
	return NULL;
}

const struct sr_field *sr_fields_for(const struct sr_desc *d, uint64_t value, unsigned flags,
				     size_t *n)
{
	const struct sr_desc *other;
	const struct sr_layout_alt *alt = alt_layout(d, value, flags, &other);

	if (other)
		d = other;
	if (alt) {
		*n = alt->nfields;
		return alt->fields;
	}
	*n = d->nfields;
	return d->fields;
}

void sr_masks_for(const struct sr_desc *d, uint64_t value, unsigned flags, uint64_t *res0,
		  uint64_t *res1)
{
	const struct sr_desc *other;
	const struct sr_layout_alt *alt = alt_layout(d, value, flags, &other);

	if (other)
		d = other;
	*res0 = alt ? alt->res0 : d->res0;
	*res1 = alt ? alt->res1 : d->res1;
}

const char *sr_esr_ec_str(unsigned ec)
{
	for (const struct sr_enum *v = sr_esr_ec_vals; v->meaning; v++)
		if (v->value == ec)
			return v->meaning;
	return "reserved or unallocated exception class";
}

/* Fault status codes (Arm ARM, ESR_EL2 ISS DFSC; the same codes in PAR_EL1.FST). */
static const char *fsc_str(unsigned fsc, int *level)
{
	*level = (int)(fsc & 3);
	switch (fsc >> 2) {
	case 0:
		return "address size fault";
	case 1:
		return "translation fault";
	case 2:
		return "access flag fault";
	case 3:
		return "permission fault";
	case 5:
		return "synchronous external abort on translation table walk";
	case 7:
		return "synchronous parity/ECC error on translation table walk";
	}
	*level = -1;
	switch (fsc) {
	case 0x10:
		return "synchronous external abort, not on a translation table walk";
	case 0x11:
		return "synchronous tag check fault";
	case 0x18:
		return "synchronous parity/ECC error, not on a translation table walk";
	case 0x21:
		return "alignment fault";
	case 0x30:
		return "TLB conflict abort";
	case 0x31:
		return "unsupported atomic hardware update fault";
	case 0x34:
		return "IMPLEMENTATION DEFINED fault (lockdown)";
	case 0x35:
		return "IMPLEMENTATION DEFINED fault (unsupported exclusive or atomic)";
	}
	return "reserved fault status code";
}

/* Physical address size codes of VTCR_EL2.PS, TCR_ELx.{PS,IPS}, ID_AA64MMFR0_EL1.PARange
 * (Arm ARM, ID_AA64MMFR0_EL1.PARange). */
static int pa_bits(unsigned code)
{
	static const int bits[] = { 32, 36, 40, 42, 44, 48, 52 };

	return code < sizeof(bits) / sizeof(bits[0]) ? bits[code] : -1;
}

static const char *size_str(unsigned bits, char *buf, size_t len)
{
	static const char *const unit[] = { "B", "KB", "MB", "GB", "TB", "PB", "EB" };

	snprintf(buf, len, "%" PRIu64 "%s", UINT64_C(1) << (bits % 10), unit[bits / 10]);
	return buf;
}

const char *sr_field_str(const struct sr_field *f, uint64_t value, char *buf, size_t len)
{
	uint64_t v = sr_field_get(f, value);
	char sz[16];
	int level;

	switch ((enum sr_fmt)f->fmt) {
	case SR_FMT_BOOL:
		snprintf(buf, len, "%u", (unsigned)v);
		break;
	case SR_FMT_ENUM:
		for (const struct sr_enum *e = f->values; e && e->meaning; e++) {
			if (e->value == v) {
				snprintf(buf, len,
					 f->width > 4 ? "0x%02" PRIx64 ": %s" : "%" PRIu64 ": %s", v,
					 e->meaning);
				return buf;
			}
		}
		snprintf(buf, len, "%" PRIu64 "%s", v, f->values ? ": reserved" : "");
		break;
	case SR_FMT_TSZ:
		snprintf(buf, len, "%" PRIu64 " (%u-bit region, %s)", v, (unsigned)(64 - v),
			 size_str((unsigned)(64 - v), sz, sizeof(sz)));
		break;
	case SR_FMT_ADDR:
		snprintf(buf, len, "0x%" PRIx64, f->shift >= 64 ? 0 : v << f->shift);
		break;
	case SR_FMT_FSC: {
		const char *what = fsc_str((unsigned)v, &level);

		if (level >= 0)
			snprintf(buf, len, "0x%02" PRIx64 ": %s, level %d", v, what, level);
		else
			snprintf(buf, len, "0x%02" PRIx64 ": %s", v, what);
		break;
	}
	case SR_FMT_PS: {
		int bits = pa_bits((unsigned)v);

		if (bits > 0)
			snprintf(buf, len, "%" PRIu64 ": %d bits (%s)", v, bits,
				 size_str((unsigned)bits, sz, sizeof(sz)));
		else
			snprintf(buf, len, "%" PRIu64 ": reserved", v);
		break;
	}
	case SR_FMT_HEX:
	default:
		snprintf(buf, len, f->width > 4 ? "0x%" PRIx64 : "%" PRIu64, v);
		break;
	}
	return buf;
}

/* Counts characters like fprintf, latching the first error. */
struct out {
	FILE *f;
	int n;
};

static void outf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void outf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (o->n < 0)
		return;
	va_start(ap, fmt);
	r = vfprintf(o->f, fmt, ap);
	va_end(ap);
	o->n = r < 0 ? -1 : o->n + r;
}

/* Stage-1/stage-2 start level for a region of ia_bits with a granule of 2^gshift bytes:
 * each level resolves gshift - 3 bits (Arm ARM, AArch64.S1StartLevel()). */
static int start_level(unsigned ia_bits, unsigned gshift)
{
	unsigned stride = gshift - 3;

	if (ia_bits <= gshift)
		return 3;
	return 4 - (int)((ia_bits - gshift + stride - 1) / stride);
}

static unsigned tg0_shift(unsigned tg0)
{
	return tg0 == 1 ? 16 : tg0 == 2 ? 14 : 12;
}

/* VTCR_EL2.SL0 with TG0 -> start level (Arm ARM, AArch64.S2StartLevel()). */
static int s2_start_level(unsigned sl0, unsigned tg0)
{
	if (tg0 == 0)
		return sl0 == 3 ? 3 : 2 - (int)sl0;
	return sl0 == 3 ? (tg0 == 2 ? 0 : -1) : 3 - (int)sl0;
}

/* One line of architectural consequences, for the registers where that helps. */
static void print_derived(struct out *o, const struct sr_desc *d, uint64_t value,
			  unsigned flags)
{
	const char *name = d->alias_of ? d->alias_of : d->name;
	bool tcr_el1_like = !strcmp(name, "TCR_EL1") ||
			    (!strcmp(name, "TCR_EL2") && (flags & SR_DEC_E2H));

	if (!strcmp(name, "VTCR_EL2")) {
		unsigned t0sz = value & 63, tg0 = (value >> 14) & 3, sl0 = (value >> 6) & 3;
		int lvl = s2_start_level(sl0, tg0), pab = pa_bits((value >> 16) & 7);

		outf(o, "  => stage 2: %u-bit IPA, %uKB granule, start level ", 64 - t0sz,
		     (1u << tg0_shift(tg0)) / 1024);
		outf(o, lvl < 0 ? "reserved" : "%d", lvl);
		outf(o, pab > 0 ? ", %d-bit PA" : ", reserved PA size", pab);
		if (lvl >= 0 && start_level(64 - t0sz, tg0_shift(tg0)) != lvl &&
		    start_level(64 - t0sz, tg0_shift(tg0)) > lvl)
			outf(o, " (SL0 too low for T0SZ: concatenated tables required)");
		else if (lvl >= 0 && start_level(64 - t0sz, tg0_shift(tg0)) != lvl)
			outf(o, " (SL0 and T0SZ inconsistent: translation fault at level 0)");
		outf(o, "\n");
	} else if (tcr_el1_like) {
		unsigned t0sz = value & 63, t1sz = (value >> 16) & 63;
		unsigned g0 = tg0_shift((value >> 14) & 3);
		unsigned tg1 = (value >> 30) & 3, g1 = tg1 == 1 ? 14 : tg1 == 3 ? 16 : 12;

		outf(o, "  => TTBR0: %u-bit VA, %uKB granule, start level %d%s\n", 64 - t0sz,
		     (1u << g0) / 1024, start_level(64 - t0sz, g0),
		     (value >> 7) & 1 ? " (walks disabled, EPD0=1)" : "");
		outf(o, "  => TTBR1: %u-bit VA, %uKB granule, start level %d%s\n", 64 - t1sz,
		     (1u << g1) / 1024, start_level(64 - t1sz, g1),
		     (value >> 23) & 1 ? " (walks disabled, EPD1=1)" : "");
	} else if (!strcmp(name, "TCR_EL2")) {
		unsigned t0sz = value & 63, g0 = tg0_shift((value >> 14) & 3);

		outf(o, "  => EL2 stage 1: %u-bit VA, %uKB granule, start level %d\n", 64 - t0sz,
		     (1u << g0) / 1024, start_level(64 - t0sz, g0));
	} else if (d->layout == SR_LAYOUT_ESR && esr_class((value >> 26) & 63) == SR_ESR_SYS) {
		struct sr_esr_sys s;
		const struct sr_desc *t;
		char enc[SR_ENC_STR_LEN];

		sr_esr_sys_decode((uint32_t)value & 0x1ffffff, &s);
		t = sr_find_enc(s.enc, SR_ENC_OP0(s.enc) == 1);
		sr_enc_str(s.enc, enc, sizeof(enc));
		if (SR_ENC_OP0(s.enc) == 1)
			outf(o, "  => %s %s%s%s, X%u\n", s.read ? "SYSL" : "SYS",
			     t ? sr_kind_prefix(t) : enc, t ? " " : "", t ? t->name : "", s.rt);
		else
			outf(o, "  => %s X%u, %s\n", s.read ? "MRS" : "MSR", s.rt,
			     t ? t->name : enc);
	} else if (!strcmp(name, "HPFAR_EL2")) {
		outf(o, "  => faulting IPA page 0x%" PRIx64 "\n", ((value >> 4) & 0xffffffffffu)
								      << 12);
	} else if (!strcmp(name, "PAR_EL1") && !(value & 1)) {
		outf(o, "  => output address 0x%" PRIx64 " (add VA[11:0])\n",
		     value & UINT64_C(0x000ffffffffff000));
	}
}

int sr_print(FILE *f, const struct sr_desc *d, uint64_t value, unsigned flags)
{
	struct out o = { f, 0 };
	const struct sr_field *fields;
	uint64_t res0, res1;
	char enc[SR_ENC_STR_LEN], buf[96];
	size_t n;

	sr_enc_str(d->enc, enc, sizeof(enc));
	outf(&o, "%s = 0x%016" PRIx64 "  (%s%s%s, %s)\n", d->name, value, sr_kind_prefix(d),
	     *sr_kind_prefix(d) ? " " : "", enc, d->summary);
	if (d->kind == SR_KIND_TLBI) {
		if (o.n < 0)
			return -1;
		int r = sr_tlbi_print(f, d, value);

		return r < 0 ? -1 : o.n + r;
	}
	fields = sr_fields_for(d, value, flags, &n);
	for (size_t i = 0; i < n; i++) {
		const struct sr_field *fl = &fields[i];
		char bits[16];

		if (fl->width == 1)
			snprintf(bits, sizeof(bits), "[%u]", fl->lsb);
		else
			snprintf(bits, sizeof(bits), "[%u:%u]", fl->lsb + fl->width - 1, fl->lsb);
		outf(&o, "  %-8s %-9s %s  (%s)\n", bits, fl->name,
		     sr_field_str(fl, value, buf, sizeof(buf)), fl->meaning);
	}
	if (!n)
		outf(&o, "  (no named fields)\n");
	sr_masks_for(d, value, flags, &res0, &res1);
	if (value & res0)
		outf(&o, "  warning: RES0 bits set: 0x%" PRIx64 "\n", value & res0);
	if (~value & res1)
		outf(&o, "  warning: RES1 bits clear: 0x%" PRIx64 "\n", ~value & res1);
	print_derived(&o, d, value, flags);
	return o.n;
}

static const char *const scope_str[] = {
	[SR_TLBI_ALL] = "all entries",
	[SR_TLBI_VMALL] = "all entries of the current VMID",
	[SR_TLBI_ASID] = "by ASID",
	[SR_TLBI_VA] = "by VA and ASID",
	[SR_TLBI_VAA] = "by VA, any ASID",
	[SR_TLBI_IPA] = "by IPA (stage 2 only)",
	[SR_TLBI_RVA] = "range by VA and ASID",
	[SR_TLBI_RVAA] = "range by VA, any ASID",
	[SR_TLBI_RIPA] = "range by IPA (stage 2 only)",
};

int sr_tlbi_print(FILE *f, const struct sr_desc *d, uint64_t xt)
{
	static const char *const regime[] = { "?", "EL1&0", "EL2 / EL2&0", "EL3" };
	static const char *const dom[] = { "this PE", "Inner Shareable", "Outer Shareable" };
	const struct sr_tlbi_info *t = d->tlbi;
	struct sr_tlbi_operand op;
	struct out o = { f, 0 };

	if (!t)
		return 0;
	outf(&o, "  TLBI %s: %s, regime %s, %s%s%s, %s%s\n", d->name, scope_str[t->scope],
	     regime[t->regime_el & 3], t->stage1 ? "stage 1" : "",
	     t->stage1 && t->stage2 ? " and " : "", t->stage2 ? "stage 2" : "",
	     dom[t->domain], t->last_level ? ", last level only" : "");
	if (!t->has_operand) {
		outf(&o, "  (no register operand)\n");
		return o.n;
	}
	if (!sr_tlbi_decode(t, xt, &op)) {
		outf(&o, "  operand: TG=0b00 is reserved: no valid range\n");
		return o.n;
	}
	if (op.has_asid)
		outf(&o, "  ASID      %u\n", op.asid);
	if (t->scope == SR_TLBI_IPA || t->scope == SR_TLBI_RIPA)
		outf(&o, "  NS        %u\n", op.ns);
	if (t->scope == SR_TLBI_ASID)
		return o.n;
	if (op.range_granule)
		outf(&o, "  range     [0x%" PRIx64 ", 0x%" PRIx64 "): NUM=%u SCALE=%u, %" PRIu64
			 " x %uKB pages\n",
		     op.addr, op.end, op.range_num, op.range_scale, op.range_pages,
		     op.range_granule / 1024);
	else
		outf(&o, "  address   0x%" PRIx64 "\n", op.addr);
	if (op.ttl_level >= 0)
		outf(&o, "  TTL       level %d, %uKB granule\n", op.ttl_level,
		     op.ttl_granule / 1024);
	else
		outf(&o, "  TTL       no hint (entries at any level)\n");
	return o.n;
}

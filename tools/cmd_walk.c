/* el2emu walk: draw one translation step by step for a student (docs/tutorial.md).
 *
 * Loads the state a trace describes (el2emu/trace_state.h), runs one AT or one nested
 * access as an inspection walk (tr_ctx.no_side_effects: no Access flag or dirty update is
 * written; the shadow stage 2 of --access is private to this command and thrown away), and
 * prints the registers that define the regime, every descriptor read with the address bits
 * that indexed it and its fields, the result, and the count of memory references. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "el2emu/shadow_s2.h"
#include "el2emu/trace.h"
#include "el2emu/trace_state.h"
#include "el2emu/translate.h"

#define BIT(n) ((uint64_t)1 << (n))
#define MASK(hi, lo) ((~(uint64_t)0 >> (63 - (hi))) & ~(((uint64_t)1 << (lo)) - 1))
#define FIELD(v, hi, lo) (((v) & MASK(hi, lo)) >> (lo))

static void walk_usage(FILE *out)
{
	fprintf(out,
		"usage: el2emu walk FILE [--line N] (--at OP VA | --access r|w|x EL VA)\n"
		"                   [--no-color]\n"
		"\n"
		"Loads the state the trace FILE describes (ram, mem, mem64, reg, hostmap; at\n"
		"and access records are skipped) up to line N (default: the whole file),\n"
		"performs one translation without side effects and draws it: the registers of\n"
		"the regime, every descriptor read (stage-2 reads indented under the stage-1\n"
		"read they serve), the result, and the number of memory references.\n"
		"\n"
		"  --at OP VA          AT OP at EL2 (S1E1R S1E1W S1E0R S1E0W S12E1R S12E1W S12E0R\n"
		"                      S12E0W S1E2R S1E2W): ends with PAR_EL1\n"
		"  --access T EL VA    the nested guest at EL 0 or 1 reads (r), writes (w) or\n"
		"                      fetches (x) VA, as the trace record `access`: through its\n"
		"                      stage 1, the guest hypervisor's stage 2 and the host's\n"
		"                      (hostmap), and then through a shadow stage 2\n"
		"  --line N            apply only the records on lines 1..N\n"
		"  --no-color          never colour (colour is only used on a terminal)\n"
		"  -h, --help          show this help\n"
		"Exit status: 0 the walk was drawn (a fault is a result), 2 a usage or input\n"
		"error.\n");
}

/* ---- output ---- */

static bool use_color;

enum hue { H_NONE, H_HEAD, H_S1, H_S2, H_OK, H_BAD };

__attribute__((format(printf, 2, 3))) static void out(enum hue h, const char *fmt, ...)
{
	static const char *const code[] = { "", "\033[1m", "\033[36m", "\033[33m",
					    "\033[32m", "\033[31m" };
	va_list ap;

	if (use_color && h != H_NONE)
		fputs(code[h], stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (use_color && h != H_NONE)
		fputs("\033[0m", stdout);
}

/* ---- the shape of one stage, decoded from the registers (for display) ---- */

struct stage {
	bool on;
	int stage;		/* 1 or 2 */
	unsigned gbits;		/* 12, 14, 16 */
	unsigned ia_bits;	/* input address size */
	unsigned txsz;		/* TxSZ as written (ia_bits comes from it, clamped) */
	int start;		/* start level */
	uint64_t base;		/* table base (BADDR) */
	bool two_priv;		/* stage 1 with EL0 and a privileged level */
};

static const char *gran_name(unsigned gbits)
{
	return gbits == 12 ? "4K" : gbits == 14 ? "16K" : "64K";
}

/* VMSAv8-64 levels: each level resolves gbits-3 bits above the page offset. */
static int start_from_size(unsigned ia_bits, unsigned gbits)
{
	unsigned stride = gbits - 3, levels = (ia_bits - gbits + stride - 1) / stride;

	return 4 - (int)levels;
}

/* TxSZ limits of the default features (FEAT_TTST: up to 48; FEAT_LVA: 64K down to 12).
 * AArch64.S1MinTxSZ / S1MaxTxSZ. */
static unsigned clamp_txsz(unsigned txsz, unsigned gbits)
{
	unsigned lo = gbits == 16 ? 12 : 16, hi = gbits == 16 ? 47 : 48;

	return txsz < lo ? lo : txsz > hi ? hi : txsz;
}

static unsigned tg0_bits(unsigned tg)
{
	return tg == 1 ? 16 : tg == 2 ? 14 : 12;	/* 0b11 reserved: IMPDEF, shown as 4K */
}

static unsigned tg1_bits(unsigned tg)
{
	return tg == 1 ? 14 : tg == 3 ? 16 : 12;
}

static const unsigned pa_size_bits[8] = { 32, 36, 40, 42, 44, 48, 52, 52 };

static const char *mair_name(unsigned attr)
{
	switch (attr) {
	case 0x00: return "Device-nGnRnE";
	case 0x04: return "Device-nGnRE";
	case 0x08: return "Device-nGRE";
	case 0x0c: return "Device-GRE";
	case 0x44: return "Normal Non-cacheable";
	case 0xbb: return "Normal Write-Through";
	case 0xff: return "Normal Write-Back";
	default: return (attr & 0xf0) ? "Normal" : "Device";
	}
}

static const char *sh_name(unsigned sh)
{
	return sh == 0 ? "Non-shareable" : sh == 2 ? "Outer Shareable" :
	       sh == 3 ? "Inner Shareable" : "reserved";
}

static const char *s2_memattr_name(unsigned ma)
{
	static const char *const dev[] = { "Device-nGnRnE", "Device-nGnRE", "Device-nGRE",
					   "Device-GRE" };

	if (!(ma & 0xc))
		return dev[ma & 3];
	if (ma == 0xf)
		return "Normal Write-Back";
	if (ma == 0x5)
		return "Normal Non-cacheable";
	if (ma == 0xa)
		return "Normal Write-Through";
	return "Normal";
}

/* ---- the request ---- */

struct req {
	bool is_at;
	enum tr_at_op op;
	enum tr_regime regime;
	struct tr_access acc;
	bool s12;		/* the output IPA goes through stage 2 too */
	uint64_t va;
};

struct view {
	struct trace_state *st;
	const struct tr_sysregs *regs;
	struct tr_features feat;
	struct req rq;
	struct stage s1, s2;
	const char *tcr_name, *ttbr_name, *sctlr_name;
	uint64_t tcr, ttbr, sctlr, mair;
};

static bool mem_read(void *c, uint64_t pa, uint64_t *val)
{
	return trace_mem_read64(c, pa, val) == TRACE_MEM_OK;
}

/* An inspection walk pretends a hardware update happened and writes nothing. */
static bool mem_cas_pretend(void *c, uint64_t pa, uint64_t expected, uint64_t desired,
			    uint64_t *seen)
{
	(void)desired;
	if (!mem_read(c, pa, seen))
		return false;
	*seen = expected;
	return true;
}

/* Decode the regime the request uses, mirroring AArch64.AT(): S1E2* target EL2 (EL2&0 with
 * E2H), the others EL1&0 (EL2&0 when E2H and TGE are both 1). */
static void decode_regime(struct view *v)
{
	const struct tr_sysregs *r = v->regs;
	bool e2h = r->hcr_el2 & BIT(34), tge = r->hcr_el2 & BIT(27);
	bool hi = v->rq.va & BIT(55);
	unsigned txsz, gbits;
	uint64_t tcr;

	if (v->rq.is_at && (v->rq.op == TR_AT_S1E2R || v->rq.op == TR_AT_S1E2W))
		v->rq.regime = e2h ? TR_REGIME_EL20 : TR_REGIME_EL2;
	else
		v->rq.regime = (e2h && tge) ? TR_REGIME_EL20 : TR_REGIME_EL10;

	memset(&v->s1, 0, sizeof(v->s1));
	v->s1.stage = 1;
	if (v->rq.regime == TR_REGIME_EL10) {
		tcr = r->tcr_el1;
		v->tcr_name = "TCR_EL1";
		v->sctlr = r->sctlr_el1;
		v->sctlr_name = "SCTLR_EL1";
		v->mair = r->mair_el1;
		v->ttbr = hi ? r->ttbr1_el1 : r->ttbr0_el1;
		v->ttbr_name = hi ? "TTBR1_EL1" : "TTBR0_EL1";
	} else {
		tcr = r->tcr_el2;
		v->tcr_name = "TCR_EL2";
		v->sctlr = r->sctlr_el2;
		v->sctlr_name = "SCTLR_EL2";
		v->mair = r->mair_el2;
		hi = hi && v->rq.regime == TR_REGIME_EL20;
		v->ttbr = hi ? r->ttbr1_el2 : r->ttbr0_el2;
		v->ttbr_name = hi ? "TTBR1_EL2" : "TTBR0_EL2";
	}
	v->tcr = tcr;
	v->s1.on = v->sctlr & 1;
	v->s1.two_priv = v->rq.regime != TR_REGIME_EL2;
	if (hi) {
		gbits = tg1_bits((unsigned)FIELD(tcr, 31, 30));
		txsz = (unsigned)FIELD(tcr, 21, 16);
	} else {
		gbits = tg0_bits((unsigned)FIELD(tcr, 15, 14));
		txsz = (unsigned)FIELD(tcr, 5, 0);
	}
	v->s1.gbits = gbits;
	v->s1.txsz = txsz;
	v->s1.ia_bits = 64 - clamp_txsz(txsz, gbits);
	v->s1.start = start_from_size(v->s1.ia_bits, gbits);
	v->s1.base = v->ttbr & MASK(47, 1);

	memset(&v->s2, 0, sizeof(v->s2));
	v->s2.stage = 2;
	v->s2.on = v->rq.regime == TR_REGIME_EL10 && (r->hcr_el2 & 1);
	v->s2.gbits = tg0_bits((unsigned)FIELD(r->vtcr_el2, 15, 14));
	v->s2.txsz = (unsigned)FIELD(r->vtcr_el2, 5, 0);
	v->s2.ia_bits = 64 - clamp_txsz((unsigned)FIELD(r->vtcr_el2, 5, 0), v->s2.gbits);
	{
		/* VTCR_EL2.SL0 (no DS): 4K 0->L2 1->L1 2->L0 3->L3 (TTST); 16K/64K 0->L3
		 * 1->L2 2->L1 3->L0. */
		unsigned sl0 = (unsigned)FIELD(r->vtcr_el2, 7, 6);

		v->s2.start = v->s2.gbits == 12 ? (sl0 == 3 ? 3 : 2 - (int)sl0) : 3 - (int)sl0;
	}
	v->s2.base = r->vttbr_el2 & MASK(47, 1);
	v->rq.s12 = v->s2.on && (!v->rq.is_at || (v->rq.op >= TR_AT_S12E1R &&
						  v->rq.op <= TR_AT_S12E0W));
}

/* "T0SZ=25 (39-bit VA)"; an out-of-range TxSZ faults (AArch64.S1TxSZFaults, IMPDEF). */
static const char *txsz_str(const struct stage *s, const char *name, const char *ia,
			    char *buf, size_t len)
{
	if (64 - s->ia_bits != s->txsz)
		snprintf(buf, len, "%s=%u (out of range: IMPDEF, el2emu and QEMU give a level 0 "
			 "translation fault)", name, s->txsz);
	else
		snprintf(buf, len, "%s=%u (%u-bit %s)", name, s->txsz, s->ia_bits, ia);
	return buf;
}

static void print_regs(const struct view *v)
{
	char tb[96];
	const struct tr_sysregs *r = v->regs;
	const struct stage *s1 = &v->s1, *s2 = &v->s2;
	bool hi = v->ttbr_name[4] == '1';	/* TTBR1_ELx */

	out(H_HEAD, "regime: %s, stage 1 %s%s\n", tr_regime_name(v->rq.regime),
	    s1->on ? "on" : "off (output = input)",
	    s2->on ? (v->rq.s12 ? ", stage 2 on (tables and output)" :
		      ", stage 2 on (stage-1 tables only: AT S1E* returns the IPA)") : "");
	if (v->rq.regime == TR_REGIME_EL2)
		printf("  %-10s 0x%-16" PRIx64 " TG0=%s %s: start level %d, "
		       "%d level%s; PS=%u bits\n", v->tcr_name, v->tcr, gran_name(s1->gbits),
		       txsz_str(s1, "T0SZ", "VA", tb, sizeof(tb)), s1->start, 4 - s1->start,
		       s1->start == 3 ? "" : "s",
		       pa_size_bits[FIELD(v->tcr, 18, 16)]);
	else
		printf("  %-10s 0x%-16" PRIx64 " %s=%s %s: start level %d, "
		       "%d level%s; EPD%d=%u; IPS=%u bits\n", v->tcr_name, v->tcr,
		       hi ? "TG1" : "TG0", gran_name(s1->gbits),
		       txsz_str(s1, hi ? "T1SZ" : "T0SZ", "VA", tb, sizeof(tb)), s1->start,
		       4 - s1->start,
		       s1->start == 3 ? "" : "s", hi ? 1 : 0,
		       (unsigned)((v->tcr >> (hi ? 23 : 7)) & 1),
		       pa_size_bits[FIELD(v->tcr, 34, 32)]);
	if (v->rq.regime == TR_REGIME_EL2)
		printf("  %-10s 0x%-16" PRIx64 " BADDR 0x%" PRIx64 "\n", v->ttbr_name, v->ttbr,
		       s1->base);
	else
		printf("  %-10s 0x%-16" PRIx64 " ASID %u, BADDR 0x%" PRIx64 " (%s)\n",
		       v->ttbr_name, v->ttbr,
		       (unsigned)(FIELD(v->ttbr, 63, 48) & ((v->tcr & BIT(36)) ? 0xffff : 0xff)),
		       s1->base, s2->on ? "an IPA" : "a PA");
	printf("  %-10s 0x%-16" PRIx64 " M=%u (stage 1 %s), EE=%u, WXN=%u\n", v->sctlr_name,
	       v->sctlr, (unsigned)(v->sctlr & 1), (v->sctlr & 1) ? "on" : "off",
	       (unsigned)((v->sctlr >> 25) & 1), (unsigned)((v->sctlr >> 19) & 1));
	printf("  %-10s 0x%-16" PRIx64 " VM=%u (stage 2 %s), E2H=%u, TGE=%u\n", "HCR_EL2",
	       r->hcr_el2, (unsigned)(r->hcr_el2 & 1), (r->hcr_el2 & 1) ? "on" : "off",
	       (unsigned)((r->hcr_el2 >> 34) & 1), (unsigned)((r->hcr_el2 >> 27) & 1));
	if (!s2->on)
		return;
	printf("  %-10s 0x%-16" PRIx64 " TG0=%s %s SL0=%u: start level %d, "
	       "%d level%s; PS=%u bits\n", "VTCR_EL2", r->vtcr_el2, gran_name(s2->gbits),
	       txsz_str(s2, "T0SZ", "IPA", tb, sizeof(tb)), (unsigned)FIELD(r->vtcr_el2, 7, 6),
	       s2->start,
	       4 - s2->start, s2->start == 3 ? "" : "s", pa_size_bits[FIELD(r->vtcr_el2, 18, 16)]);
	printf("  %-10s 0x%-16" PRIx64 " VMID %u, BADDR 0x%" PRIx64 "\n", "VTTBR_EL2",
	       r->vttbr_el2,
	       (unsigned)(FIELD(r->vttbr_el2, 63, 48) &
			  ((r->vtcr_el2 & BIT(19)) ? 0xffff : 0xff)), s2->base);
}

/* ---- descriptors ---- */

/* The input-address bits that formed the index of a read at level (AArch64.TableIndex
 * shape): [lsb + stride - 1 : lsb], the start level taking every bit up to ia_bits - 1.
 * False when the logged index does not match (a format this display does not model). */
static bool index_bits(const struct stage *s, int level, uint64_t ia, uint32_t index,
		       unsigned *msb, unsigned *lsb)
{
	unsigned stride = s->gbits - 3;

	if (level < s->start || level > 3)
		return false;
	*lsb = s->gbits + stride * (unsigned)(3 - level);
	*msb = level == s->start ? s->ia_bits - 1 : *lsb + stride - 1;
	if (*msb < *lsb || *msb > 63)
		return false;
	return ((ia >> *lsb) & (MASK(*msb - *lsb, 0))) == index;
}

static void size_str(uint64_t size, char *buf, size_t len)
{
	if (size >= BIT(30))
		snprintf(buf, len, "%" PRIu64 "G", size >> 30);
	else if (size >= BIT(20))
		snprintf(buf, len, "%" PRIu64 "M", size >> 20);
	else
		snprintf(buf, len, "%" PRIu64 "K", size >> 10);
}

static bool block_allowed(unsigned gbits, int level)
{
	return gbits == 12 ? (level == 1 || level == 2) : level == 2;
}

/* Decodes one descriptor as the VMSAv8-64 Block, Page and Table formats define it (48-bit
 * OA, no FEAT_LPA2 layout): type, output or next-table address, permissions, attributes. */
static void print_desc(const struct view *v, const struct stage *s, int level, uint64_t desc)
{
	unsigned lsb = s->gbits + (s->gbits - 3) * (unsigned)(3 - (level < 0 ? 3 : level));
	const char *space = s->stage == 1 ? (v->s2.on ? "IPA" : "PA") :
			    (v->rq.is_at ? "PA" : "L1 IPA");
	char sz[16];

	out(H_NONE, "         desc 0x%016" PRIx64 "  ", desc);
	if (!(desc & 1)) {
		out(H_BAD, "invalid (bit 0 = 0)\n");
		return;
	}
	if (level < 3 && (desc & 2)) {
		printf("table -> %s 0x%" PRIx64, space, desc & MASK(47, s->gbits));
		if (s->stage == 1 && FIELD(desc, 63, 59))
			printf(", NSTable=%u APTable=%u UXNTable=%u PXNTable=%u",
			       (unsigned)(desc >> 63), (unsigned)FIELD(desc, 62, 61),
			       (unsigned)((desc >> 60) & 1), (unsigned)((desc >> 59) & 1));
		printf("\n");
		return;
	}
	if (level == 3 && !(desc & 2)) {
		out(H_BAD, "reserved (bits[1:0] = 01 at level 3): invalid\n");
		return;
	}
	if (level < 3 && !block_allowed(s->gbits, level)) {
		out(H_BAD, "block at level %d: not allowed with the %s granule, invalid\n", level,
		    gran_name(s->gbits));
		return;
	}
	size_str(BIT(lsb), sz, sizeof(sz));
	printf("%s %s -> %s 0x%" PRIx64, level == 3 ? "page" : "block", sz, space,
	       desc & MASK(47, lsb));
	if (s->stage == 1) {
		unsigned ap = (unsigned)FIELD(desc, 7, 6), idx = (unsigned)FIELD(desc, 4, 2);
		static const char *const ap2[] = { "EL1 read/write, EL0 none",
						   "EL1+EL0 read/write",
						   "EL1 read-only, EL0 none",
						   "EL1+EL0 read-only" };

		if (s->two_priv)
			printf(", AP=%u%u (%s)", ap >> 1, ap & 1, ap2[ap]);
		else
			printf(", AP[2]=%u (%s)", ap >> 1, (ap & 2) ? "read-only" : "read/write");
		printf(", %s=%u", s->two_priv ? "UXN" : "XN", (unsigned)((desc >> 54) & 1));
		if (s->two_priv)
			printf(", PXN=%u", (unsigned)((desc >> 53) & 1));
		printf(", AF=%u", (unsigned)((desc >> 10) & 1));
		if (s->two_priv)
			printf(", nG=%u", (unsigned)((desc >> 11) & 1));
		printf(", AttrIndx=%u (MAIR 0x%02x %s), SH=%u (%s)", idx,
		       (unsigned)((v->mair >> (8 * idx)) & 0xff),
		       mair_name((unsigned)((v->mair >> (8 * idx)) & 0xff)),
		       (unsigned)FIELD(desc, 9, 8), sh_name((unsigned)FIELD(desc, 9, 8)));
	} else {
		static const char *const s2ap[] = { "none", "read-only", "write-only",
						    "read/write" };
		unsigned a = (unsigned)FIELD(desc, 7, 6), ma = (unsigned)FIELD(desc, 5, 2);

		printf(", S2AP=%u%u (%s), XN=%u%u, AF=%u, MemAttr=0x%x (%s), SH=%u (%s)", a >> 1,
		       a & 1, s2ap[a], (unsigned)((desc >> 54) & 1), (unsigned)((desc >> 53) & 1),
		       (unsigned)((desc >> 10) & 1), ma, s2_memattr_name(ma),
		       (unsigned)FIELD(desc, 9, 8), sh_name((unsigned)FIELD(desc, 9, 8)));
	}
	if (desc & BIT(52))
		printf(", Contiguous");
	if (desc & BIT(51))
		printf(", DBM");
	printf("\n");
}

/* ---- drawing a walk log ---- */

struct draw {
	const struct view *v;
	const struct tr_walk_log *log;
	unsigned stored;
	unsigned s1_reads, s2_reads;
	/* The stage-1 walk as the drawing follows it. */
	uint64_t s1_table;	/* next stage-1 table (IPA) */
	int s1_level;
	bool s1_leaf;
	uint64_t out_ipa;	/* stage-1 output (or the VA with stage 1 off) */
	/* For --access: the host's view of the guest hypervisor's addresses. */
	bool host;
};

static void host_note(const struct draw *d, uint64_t l1ipa)
{
	uint64_t pa, base, size;

	if (!d->host)
		return;
	if (trace_state_host(d->v->st, l1ipa, &pa, &base, &size))
		printf(" (host PA 0x%" PRIx64 ")", pa);
	else
		out(H_BAD, " (the host maps no memory here)");
}

static void draw_read(struct draw *d, unsigned i, uint64_t ia, const char *indent)
{
	const struct tr_log_entry *e = &d->log->e[i];
	const struct stage *s = e->stage == 1 ? &d->v->s1 : &d->v->s2;
	const char *iname = e->stage == 1 ? "VA" : "IPA";
	unsigned msb, lsb;

	out(e->stage == 1 ? H_S1 : H_S2, "%s#%-2u S%u L%d", indent, i + 1, e->stage, e->level);
	if (e->stage == 1 && d->v->s2.on)
		printf("  table IPA 0x%" PRIx64, e->table_ia);
	else
		printf("  table %s 0x%" PRIx64, d->host ? "L1 IPA" : "PA", e->table_pa);
	printf(" [%u]", e->index);
	if (index_bits(s, e->level, ia, e->index, &msb, &lsb))
		printf(" = %s[%u:%u] of 0x%" PRIx64, iname, msb, lsb, ia);
	if (e->stage == 1 && d->v->s2.on)
		printf(" -> reads IPA 0x%" PRIx64 " = %s 0x%" PRIx64,
		       e->table_ia + 8 * (uint64_t)e->index, d->host ? "L1 IPA" : "PA",
		       e->desc_pa);
	else
		printf(" -> reads %s 0x%" PRIx64, d->host ? "L1 IPA" : "PA", e->desc_pa);
	host_note(d, e->desc_pa);
	printf("\n");
	printf("%s", indent);
	print_desc(d->v, s, e->level, e->desc);
}

static void s1_follow(struct draw *d, const struct tr_log_entry *e)
{
	const struct stage *s = &d->v->s1;
	unsigned lsb = s->gbits + (s->gbits - 3) * (unsigned)(3 - e->level);

	if (e->level < 3 && (e->desc & 3) == 3) {
		d->s1_table = e->desc & MASK(47, s->gbits);
		d->s1_level = e->level + 1;
	} else if (e->desc & 1) {
		d->s1_leaf = true;
		d->out_ipa = (e->desc & MASK(47, lsb)) | (d->v->rq.va & MASK(lsb - 1, 0));
	}
}

/* The IPA of the stage-1 descriptor the next stage-1 read fetches. */
static uint64_t s1_next_desc_ipa(const struct draw *d)
{
	const struct stage *s = &d->v->s1;
	unsigned msb, lsb;

	if (d->s1_level < s->start || d->s1_level > 3)
		return d->s1_table;
	lsb = s->gbits + (s->gbits - 3) * (unsigned)(3 - d->s1_level);
	msb = d->s1_level == s->start ? s->ia_bits - 1 : lsb + s->gbits - 4;
	return d->s1_table + 8 * ((d->v->rq.va >> lsb) & MASK(msb - lsb, 0));
}

static void draw_log(struct draw *d)
{
	const struct tr_walk_log *log = d->log;
	unsigned i = 0;

	d->stored = log->n < TR_LOG_MAX ? log->n : TR_LOG_MAX;
	d->s1_table = d->v->s1.base;
	d->s1_level = d->v->s1.start;
	d->out_ipa = d->v->rq.va;
	out(H_HEAD, "descriptor reads, in the order the walk makes them:\n");
	if (!d->stored)
		printf("  (none)\n");
	while (i < d->stored) {
		const struct tr_log_entry *e = &log->e[i];

		if (e->stage == 2 && e->s1ptw) {
			/* The stage-2 walk of a stage-1 table address: draw it under the
			 * stage-1 read it serves. */
			uint64_t ipa = s1_next_desc_ipa(d);
			unsigned j = i, k;

			while (j < d->stored && log->e[j].stage == 2 && log->e[j].s1ptw)
				j++;
			out(H_S1, "  S1 L%d", d->s1_level);
			printf("  table IPA 0x%" PRIx64, d->s1_table);
			if (j < d->stored && log->e[j].stage == 1)
				printf(" -> %s 0x%" PRIx64, d->host ? "L1 IPA" : "PA",
				       log->e[j].table_pa);
			else
				out(H_BAD, " -> no PA (stage-2 fault)");
			printf(", via S2");
			for (k = i; k < j; k++)
				printf(" L%d", log->e[k].level);
			printf(":\n");
			for (k = i; k < j; k++, d->s2_reads++)
				draw_read(d, k, ipa, "      ");
			i = j;
			continue;
		}
		if (e->stage == 1) {
			draw_read(d, i, d->v->rq.va, "  ");
			d->s1_reads++;
			s1_follow(d, e);
			i++;
			continue;
		}
		/* Stage 2 of the output IPA (or of the VA with stage 1 off). */
		{
			unsigned j = i;

			while (j < d->stored && log->e[j].stage == 2 && !log->e[j].s1ptw)
				j++;
			out(H_S2, "  S2 of the output IPA 0x%" PRIx64 ":\n", d->out_ipa);
			for (; i < j; i++, d->s2_reads++)
				draw_read(d, i, d->out_ipa, "      ");
		}
	}
	if (log->n > d->stored)
		printf("  ... %u more reads (not stored: TR_LOG_MAX is %d)\n", log->n - d->stored,
		       TR_LOG_MAX);
}

/* ---- results ---- */

static const char *fsc_kind(unsigned fsc, int *level)
{
	*level = (int)(fsc & 3);
	switch (fsc) {
	case 0x29: *level = -1; return "address size fault";
	case 0x2b: *level = -1; return "translation fault";
	case 0x13: *level = -1; return "synchronous external abort on the walk";
	case 0x10: return "synchronous external abort";
	default: break;
	}
	switch (fsc >> 2) {
	case 0: return "address size fault";
	case 1: return "translation fault";
	case 2: return "access flag fault";
	case 3: return "permission fault";
	case 5: return "synchronous external abort on the walk";
	default: return "fault";
	}
}

/* The architectural reason, from the last descriptor the faulting stage read. */
static void print_reason(const struct draw *d, unsigned stage, unsigned fsc, bool write,
			 bool exec, unsigned el)
{
	const struct tr_log_entry *last = NULL;
	int level;
	const char *kind = fsc_kind(fsc, &level);

	for (unsigned i = d->stored; i-- > 0;) {
		if (d->log->e[i].stage == stage) {
			last = &d->log->e[i];
			break;
		}
	}
	printf("  why: ");
	if ((fsc >> 2) == 1 || fsc == 0x2b) {
		if (!last || last->level != level)
			printf("no stage-%u descriptor was read at level %d: the input address is "
			       "outside the range the table covers (%s)\n", stage, level,
			       stage == 1 ? "TxSZ, EPD0/EPD1, or the VA's top bits neither all 0 "
			       "nor all 1: AArch64.VAIsOutOfRange" : "VTCR_EL2.T0SZ, or an SL0 "
			       "that does not fit it: AArch64.S2InconsistentSL");
		else if (!(last->desc & 1))
			printf("the stage-%u level-%d descriptor is invalid (bit 0 = 0)\n", stage,
			       level);
		else
			printf("the stage-%u level-%d descriptor has a reserved encoding "
			       "(AArch64.BlockDescSupported)\n", stage, level);
	} else if ((fsc >> 2) == 2) {
		/* TCR_EL1/TCR_EL2 (E2H) HA is bit 39; TCR_EL2 (E2H=0) and VTCR_EL2: bit 21. */
		bool ha = stage == 2 ? (d->v->regs->vtcr_el2 >> 21) & 1 :
			  d->v->rq.regime == TR_REGIME_EL2 ? (d->v->tcr >> 21) & 1 :
			  (d->v->tcr >> 39) & 1;

		if (ha)
			printf("the stage-%u level-%d descriptor has AF (bit 10) = 0\n", stage,
			       level);
		else
			printf("the stage-%u level-%d descriptor has AF (bit 10) = 0 and the "
			       "hardware does not set it (%s.HA = 0): software must, on this "
			       "fault\n", stage, level, stage == 1 ? d->v->tcr_name : "VTCR_EL2");
	} else if ((fsc >> 2) == 3 && last) {
		const char *what = exec ? "instruction fetch" : write ? "write" : "read";

		if (stage == 1)
			printf("the stage-1 leaf (AP=%u%u, UXN=%u, PXN=%u) does not allow this %s "
			       "at EL%u (AArch64.S1DirectBasePermissions)\n",
			       (unsigned)((last->desc >> 7) & 1), (unsigned)((last->desc >> 6) & 1),
			       (unsigned)((last->desc >> 54) & 1),
			       (unsigned)((last->desc >> 53) & 1), what, el);
		else
			printf("the stage-2 leaf (S2AP=%u%u, XN=%u%u) does not allow this %s "
			       "(AArch64.S2CheckPermissions)\n", (unsigned)((last->desc >> 7) & 1),
			       (unsigned)((last->desc >> 6) & 1),
			       (unsigned)((last->desc >> 54) & 1),
			       (unsigned)((last->desc >> 53) & 1), what);
	} else if ((fsc >> 2) == 0 || fsc == 0x29) {
		if (last && last->level == level && (last->desc & 1))
			printf("the output or next-table address of the stage-%u level-%d "
			       "descriptor is wider than the output size (IPS/PS: "
			       "AArch64.OAOutOfRange)\n", stage, level);
		else
			printf("the table base address is wider than the output size (IPS/PS: "
			       "AArch64.OAOutOfRange)\n");
	} else if ((fsc >> 2) == 5 || fsc == 0x13) {
		if (last && last->level == level - 1 && (last->desc & 3) == 3)
			printf("the level-%d table the stage-%u level-%d descriptor points to is "
			       "not backed by memory (no ram region)\n", level, stage, level - 1);
		else
			printf("the descriptor address is not backed by memory (no ram "
			       "region)\n");
	} else {
		printf("%s\n", kind);
	}
}

static void print_counts(const struct draw *d, const char *shadowed)
{
	int n = 4 - d->v->s1.start, m = 4 - d->v->s2.start, max;

	out(H_HEAD, "memory references: %u descriptor read%s (stage 1: %u, stage 2: %u)\n",
	    d->log->n, d->log->n == 1 ? "" : "s", d->s1_reads, d->s2_reads);
	if (!d->v->s1.on) {
		printf("  stage 1 is off: no stage-1 reads\n");
		return;
	}
	printf("  native, one stage of n=%d levels: n = %d\n", n, n);
	if (!d->v->s2.on)
		return;
	if (d->v->rq.s12) {
		max = (n + 1) * (m + 1) - 1;
		printf("  2-D, stage 1 (n=%d) under stage 2 (m=%d): (n+1)(m+1)-1 = %d\n", n, m,
		       max);
	} else {
		/* AT S1E* under HCR_EL2.VM=1: the tables go through stage 2, the output not. */
		max = n * (m + 1);
		printf("  2-D, stage 1 (n=%d) tables under stage 2 (m=%d), output IPA not "
		       "translated: n(m+1) = %d\n", n, m, max);
	}
	if (d->log->n != (unsigned)max)
		printf("  this walk: %u (a block leaf or a fault ends a walk early)\n", d->log->n);
	if (shadowed)
		printf("%s", shadowed);
}

static void print_par(const struct draw *d, uint64_t par)
{
	const struct req *rq = &d->v->rq;

	out(H_HEAD, "result: ");
	if (!(par & 1)) {
		bool ipa = d->v->s2.on && !rq->s12;
		uint64_t attr = par >> 56;

		out(H_OK, "PAR_EL1 0x%016" PRIx64 ": %s 0x%" PRIx64 "\n", par, ipa ? "IPA" : "PA",
		    (par & MASK(51, 12)) | (rq->va & 0xfff));
		printf("  F=0, PA[51:12]=0x%" PRIx64 " (+ VA[11:0]), ATTR=0x%02x (%s), SH=%u (%s), "
		       "NS=%u\n", (par & MASK(51, 12)) >> 12, (unsigned)attr,
		       mair_name((unsigned)attr), (unsigned)FIELD(par, 8, 7),
		       sh_name((unsigned)FIELD(par, 8, 7)), (unsigned)((par >> 9) & 1));
		return;
	}
	{
		unsigned fst = (unsigned)FIELD(par, 6, 1);
		bool s = par & BIT(9), ptw = par & BIT(8);
		int level;
		const char *kind = fsc_kind(fst, &level);

		out(H_BAD, "PAR_EL1 0x%" PRIx64 ": F=1, FST=0x%02x (%s, level %d), PTW=%u, S=%u\n",
		    par, fst, kind, level, ptw, s);
		printf("  %s\n", !s ? "S=0: stage 1 faulted" :
		       ptw ? "a stage-2 fault on the stage-1 walk (S1PTW): it reports the "
			     "stage-2 level" : "a stage-2 fault on the output IPA");
		if (s && ptw)
			printf("  faulting IPA 0x%" PRIx64
			       ": the stage-1 descriptor being fetched\n",
			       s1_next_desc_ipa(d));
		else if (s)
			printf("  faulting IPA 0x%" PRIx64 "\n", d->out_ipa);
		print_reason(d, s ? 2 : 1, fst, rq->acc.type == TR_ACC_WRITE, false, rq->acc.el);
	}
}

/* ---- --access: the nested guest, through the shadow stage 2 ---- */

struct shadow_env {
	struct view *v;
	struct s2_mmu *mmu;
	struct s2_ctx_info info;
	struct tr_sysregs sregs;	/* the shadow's own VTTBR/VTCR, to walk it */
	unsigned shadow_reads;
	bool failed;
};

static bool host_lookup(void *c, uint64_t ipa, struct s2_host_map *outm)
{
	struct shadow_env *se = c;
	uint64_t pa, base, size;

	if (!trace_state_host(se->v->st, ipa, &pa, &base, &size))
		return false;
	*outm = (struct s2_host_map){ base, pa - (ipa - base), size, S2_PERM_ALL };
	return true;
}

static bool host_read64(void *c, uint64_t ipa, uint64_t *val)
{
	struct shadow_env *se = c;

	return mem_read(trace_state_mem(se->v->st), ipa, val);
}

static bool host_cas_pretend(void *c, uint64_t ipa, uint64_t expected, uint64_t desired,
			     uint64_t *seen)
{
	struct shadow_env *se = c;

	return mem_cas_pretend(trace_state_mem(se->v->st), ipa, expected, desired, seen);
}

static bool shadow_table_read(void *c, uint64_t pa, uint64_t *val)
{
	struct shadow_env *se = c;

	se->shadow_reads++;
	return s2_table_read64(se->mmu, pa, val);
}

/* Stage 2 as the CPU sees it after the fills: a walk of the shadow table itself (counted),
 * whose leaf gives the host PA; stage-1 tables are then read at their L1 IPA, where the
 * trace keeps the guest hypervisor's memory. */
static bool shadow_xlate(void *c, uint64_t ipa, const struct tr_access *acc, bool s1ptw,
			 struct tr_result *res, struct tr_fault *fault)
{
	struct shadow_env *se = c;
	struct tr_ctx sc = { .regs = &se->sregs, .feat = &se->v->feat,
			     .mem = { shadow_table_read, NULL, se }, .no_side_effects = true };
	struct s2_req q = { .ipa = ipa, .type = acc->type, .el = acc->el, .s1ptw = s1ptw,
			    .va = se->v->rq.va };
	struct s2_result sr;

	if (s2_translate(se->mmu, &q, &sr, NULL) != S2_OK || !sr.hit) {
		se->failed = true;
		memset(fault, 0, sizeof(*fault));
		fault->type = TR_FAULT_TRANSLATION;
		fault->stage2 = true;
		fault->ipa = ipa;
		return false;
	}
	if (!tr_walk_s2(&sc, ipa, acc, res, fault) || res->oa != sr.pa) {
		se->failed = true;
		return false;
	}
	if (s1ptw)
		res->oa = sr.l1_ipa;
	return true;
}

static int do_access(struct view *v)
{
	struct tr_walk_log log = { 0 }, slog = { 0 };
	struct tr_ctx ctx = { .regs = v->regs, .feat = &v->feat,
			      .mem = { mem_read, mem_cas_pretend, trace_state_mem(v->st) },
			      .log = &log, .no_side_effects = true };
	struct shadow_env se = { .v = v };
	struct s2_host_ops host = { host_lookup, host_read64, host_cas_pretend, &se };
	struct s2_malloc_pages mp;
	struct s2_page_ops pages;
	struct s2_config cfg;
	struct s2_access_result ar;
	struct tr_result res;
	struct tr_fault fault;
	struct draw d = { .v = v, .log = &log, .host = true };
	char shadowed[512] = "";
	int n = 4 - v->s1.start, m = 4 - v->s2.start, slot, lvl;
	const char *kind;

	/* The architectural walk, drawn: stage 1 and the guest hypervisor's stage 2, reading
	 * the guest hypervisor's memory (L1 IPA). */
	tr_translate(&ctx, TR_REGIME_EL10, v->rq.va, &v->rq.acc, &res, &fault);

	/* The same access through a fresh shadow stage 2, as `access` replays it. */
	s2_config_default(&cfg);
	/* Shadow table pages get PAs the shadow walk below can address (48-bit PS). */
	s2_malloc_pages_init(&mp, 0xf00000000000ull, 0, &pages);
	se.mmu = s2_create(&cfg, &v->feat, &pages, &host);
	if (!se.mmu) {
		cli_error("walk: out of memory");
		return 2;
	}
	s2_access(se.mmu, v->regs, v->rq.acc.type, v->rq.acc.el, v->rq.va, &ar);
	slot = s2_load(se.mmu, v->regs);

	draw_log(&d);
	out(H_HEAD, "result: ");
	switch (ar.outcome) {
	case S2A_OK:
		out(H_OK, "pa=0x%" PRIx64 "\n", ar.pa);
		printf("  L2 IPA 0x%" PRIx64 " -> L1 IPA 0x%" PRIx64 " -> host PA 0x%" PRIx64
		       "\n", d.out_ipa, res.oa, ar.pa);
		break;
	case S2A_S1_FAULT:
		kind = fsc_kind(ar.fsc, &lvl);
		out(H_BAD, "fault=s1:0x%02x (%s, level %d), taken by the nested guest's EL1\n",
		    ar.fsc, kind, lvl);
		print_reason(&d, 1, ar.fsc, v->rq.acc.type == TR_ACC_WRITE,
			     v->rq.acc.type == TR_ACC_EXEC, v->rq.acc.el);
		break;
	case S2A_S2_FAULT:
	case S2A_S2PTW_FAULT:
		kind = fsc_kind(ar.fsc, &lvl);
		out(H_BAD, "fault=%s:0x%02x:0x%" PRIx64 " (stage-2 %s, level %d%s), taken to the "
		    "guest hypervisor (virtual EL2)\n",
		    ar.outcome == S2A_S2PTW_FAULT ? "s2ptw" : "s2", ar.fsc, ar.ipa, kind, lvl,
		    ar.outcome == S2A_S2PTW_FAULT ? ", on the stage-1 walk" : "");
		printf("  ESR_EL2 0x%" PRIx64 ", FAR_EL2 0x%" PRIx64 ", HPFAR_EL2 0x%" PRIx64
		       " (FIPA = IPA[51:12] at [43:4])\n", ar.vf.esr, ar.vf.far, ar.vf.hpfar);
		print_reason(&d, 2, ar.fsc, v->rq.acc.type == TR_ACC_WRITE,
			     v->rq.acc.type == TR_ACC_EXEC, v->rq.acc.el);
		break;
	case S2A_HOST:
		out(H_BAD, "fault=host:0x%" PRIx64 "\n", ar.ipa);
		printf("  the guest hypervisor's IPA 0x%" PRIx64 " is not mapped by the host "
		       "(hostmap): the host handles it; the guest sees no fault\n", ar.ipa);
		break;
	case S2A_ERROR:
		cli_error("walk: the shadow stage 2 ran out of memory");
		s2_destroy(se.mmu);
		return 2;
	}

	/* Walk again now that the shadow holds the leaves: stage 1 under the shadow stage 2,
	 * every reference counted. */
	if (ar.outcome == S2A_OK && slot >= 0 && s2_ctx_info(se.mmu, slot, &se.info)) {
		struct tr_s2_hook hook = { shadow_xlate, &se };
		struct tr_ctx c2 = ctx;
		struct tr_result r2;
		struct tr_fault f2;
		int k = 4;	/* the host's stage 2 in el2emu's own format: 4K, 48-bit, L0 */
		unsigned s1 = 0;

		c2.log = &slog;
		se.sregs.vtcr_el2 = se.info.vtcr;
		se.sregs.vttbr_el2 = se.info.vttbr;
		if (tr_walk_s1(&c2, TR_REGIME_EL10, v->rq.va, &v->rq.acc, &hook, &r2, &f2) &&
		    !se.failed && r2.oa == ar.pa) {
			for (unsigned i = 0; i < slog.n && i < TR_LOG_MAX; i++)
				s1 += slog.e[i].stage == 1;
			snprintf(shadowed, sizeof(shadowed),
				 "  3-D, no shadow: every guest stage-2 read also goes through the "
				 "host's stage 2;\n"
				 "      as a table of k=%d levels (el2emu's format, 4K from "
				 "level 0; a trace's hostmap is a range map):\n"
				 "      (n+1)(m+1)(k+1)-1 = %d\n"
				 "  shadowed: stage 1 under the shadow stage 2 (real VTTBR 0x%"
				 PRIx64 ", VTCR 0x%" PRIx64 "),\n"
				 "      measured: %u stage-1 reads + %u shadow reads = %u "
				 "references (at most (n+1)(k+1)-1 = %d)\n",
				 k, (n + 1) * (m + 1) * (k + 1) - 1, se.info.vttbr, se.info.vtcr,
				 s1, se.shadow_reads, s1 + se.shadow_reads, (n + 1) * (k + 1) - 1);
		}
	}
	if (slot >= 0 && s2_ctx_info(se.mmu, slot, &se.info))
		printf("  shadow context: key VTTBR_EL2 0x%" PRIx64 " (VMID %u) + VTCR_EL2 0x%"
		       PRIx64 "; %u %s after this access\n", se.info.key.vttbr,
		       se.info.key.vmid, se.info.key.vtcr, se.info.leaves,
		       se.info.leaves == 1 ? "leaf" : "leaves");
	print_counts(&d, shadowed);
	s2_destroy(se.mmu);
	return 0;
}

static int do_at(struct view *v)
{
	struct tr_walk_log log = { 0 };
	struct tr_ctx ctx = { .regs = v->regs, .feat = &v->feat,
			      .mem = { mem_read, mem_cas_pretend, trace_state_mem(v->st) },
			      .log = &log, .no_side_effects = true };
	struct draw d = { .v = v, .log = &log };
	uint64_t par = tr_at(&ctx, v->rq.op, v->rq.va);

	draw_log(&d);
	print_par(&d, par);
	print_counts(&d, NULL);
	return 0;
}

static bool parse_num(const char *s, const char *what, uint64_t *v)
{
	if (trace_parse_u64(s, v))
		return true;
	cli_error("walk: %s '%s' is not a number (0x hex or decimal)", what, s);
	return false;
}

int cmd_walk(int argc, char **argv)
{
	struct view v = { 0 };
	struct trace_limits lim;
	const char *path = NULL;
	bool no_color = false, have = false;
	uint64_t line = 0, el;
	char err[512];
	int i, rc;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			walk_usage(stdout);
			return 0;
		} else if (!strcmp(a, "--no-color")) {
			no_color = true;
		} else if (!strcmp(a, "--line")) {
			if (i + 1 >= argc || !parse_num(argv[++i], "line", &line))
				goto usage;
			if (line == 0 || line > 0xffffffffu) {
				cli_error("walk: --line must be between 1 and 4294967295");
				return 2;
			}
		} else if (!strcmp(a, "--at")) {
			if (have || i + 2 >= argc) {
				cli_error("walk: --at takes OP VA (and only one --at or --access)");
				return 2;
			}
			v.rq.is_at = true;
			v.rq.op = tr_at_op_from_name(argv[++i]);
			if (v.rq.op == TR_AT_NONE) {
				cli_error("walk: unknown AT operation '%s' (S1E1R S1E1W S1E0R "
					  "S1E0W S12E1R S12E1W S12E0R S12E0W S1E2R S1E2W)",
					  argv[i]);
				return 2;
			}
			if (!parse_num(argv[++i], "VA", &v.rq.va))
				return 2;
			/* The access AT makes (AArch64.AT): for the reasons printed. */
			v.rq.acc.type = (v.rq.op == TR_AT_S1E1W || v.rq.op == TR_AT_S1E0W ||
					 v.rq.op == TR_AT_S12E1W || v.rq.op == TR_AT_S12E0W ||
					 v.rq.op == TR_AT_S1E2W) ? TR_ACC_WRITE : TR_ACC_READ;
			v.rq.acc.el = (v.rq.op == TR_AT_S1E0R || v.rq.op == TR_AT_S1E0W ||
				       v.rq.op == TR_AT_S12E0R || v.rq.op == TR_AT_S12E0W) ? 0 :
				      (v.rq.op == TR_AT_S1E2R || v.rq.op == TR_AT_S1E2W) ? 2 : 1;
			v.rq.acc.at = true;
			have = true;
		} else if (!strcmp(a, "--access")) {
			const char *t;

			if (have || i + 3 >= argc) {
				cli_error("walk: --access takes r|w|x EL VA (and only one --at or "
					  "--access)");
				return 2;
			}
			t = argv[++i];
			if (strlen(t) != 1 || !strchr("rwx", t[0])) {
				cli_error("walk: access type '%s' is not r, w or x", t);
				return 2;
			}
			v.rq.acc.type = t[0] == 'r' ? TR_ACC_READ : t[0] == 'w' ? TR_ACC_WRITE :
				       TR_ACC_EXEC;
			if (!parse_num(argv[++i], "EL", &el))
				return 2;
			if (el > 1) {
				cli_error("walk: the nested guest's EL must be 0 or 1, not %"
					  PRIu64, el);
				return 2;
			}
			v.rq.acc.el = (uint8_t)el;
			if (!parse_num(argv[++i], "VA", &v.rq.va))
				return 2;
			have = true;
		} else if (a[0] == '-' && a[1]) {
			cli_error("walk: unknown option '%s'", a);
			goto usage;
		} else if (!path) {
			path = a;
		} else {
			cli_error("walk: one trace file only ('%s' is extra)", a);
			goto usage;
		}
	}
	if (!path || !have) {
		cli_error("walk: %s", !path ? "no trace file given" :
			  "say what to translate: --at OP VA or --access r|w|x EL VA");
		goto usage;
	}
	use_color = !no_color && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");

	trace_limits_default(&lim);
	v.st = trace_state_load(path, (unsigned long)line, &lim, err, sizeof(err));
	if (!v.st) {
		cli_error("walk: %s", err);
		return 2;
	}
	v.regs = trace_state_regs(v.st);
	tr_features_default(&v.feat);
	decode_regime(&v);

	if (v.rq.is_at)
		out(H_HEAD, "el2emu walk: AT %s 0x%" PRIx64 " in %s\n", tr_at_op_name(v.rq.op),
		    v.rq.va, path);
	else
		out(H_HEAD, "el2emu walk: access %c %u 0x%" PRIx64 " in %s\n",
		    v.rq.acc.type == TR_ACC_READ ? 'r' : v.rq.acc.type == TR_ACC_WRITE ? 'w' : 'x',
		    v.rq.acc.el, v.rq.va, path);
	printf("state: the records up to line %lu (%" PRIu64 " at/access records not run, %"
	       PRIu64 " tlbi)\n", trace_state_line(v.st), trace_state_skipped(v.st),
	       trace_state_tlbis(v.st));
	if (!v.rq.is_at)
		printf("the nested guest at EL%u %s VA 0x%" PRIx64 "\n", v.rq.acc.el,
		       v.rq.acc.type == TR_ACC_READ ? "reads" :
		       v.rq.acc.type == TR_ACC_WRITE ? "writes" : "fetches an instruction at",
		       v.rq.va);
	print_regs(&v);
	if (!v.rq.is_at && (v.rq.regime != TR_REGIME_EL10)) {
		cli_error("walk: --access needs the EL1&0 regime (HCR_EL2.{E2H,TGE} != {1,1})");
		trace_state_free(v.st);
		return 2;
	}
	rc = v.rq.is_at ? do_at(&v) : do_access(&v);
	trace_state_free(v.st);
	return rc;
usage:
	walk_usage(stderr);
	return 2;
}

/* oragen: builds AT scenarios, runs them on QEMU (tests/oracle/guest), and writes
 * el2emu v1 traces whose expectations are QEMU's PAR_EL1 answers.
 *
 * Every scenario is constructed so that its answer is known in advance: each probe VA
 * owns the descriptors it changes (slot ownership below), so one fault never leaks into
 * another probe's walk. The generator computes the architectural PAR_EL1 of every query
 * and requires QEMU's answer to be the same. Two known QEMU 7.2 departures are tolerated,
 * and the corpus records the architectural value (docs/qemu-oracle.md): PAR_EL1.SH of a
 * Device or Normal Non-cacheable result (7b: 0b10, PAREncodeShareability()), and, in the
 * one family built for it, the level of an S1PTW fault (7c: the stage-2 walk's level).
 * Anything else unexpected stops the generator: nothing unexplained enters the corpus.
 *
 * usage: oragen FAMILY SEED ELF QEMU OUT.trace
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "oracle_blob.h"

/* ---------------------------------------------------------------- utilities */

static void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("oragen: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n, sz);

	if (!p)
		die("out of memory");
	return p;
}

static void *xrealloc(void *p, size_t sz)
{
	p = realloc(p, sz);
	if (!p)
		die("out of memory");
	return p;
}

static uint64_t rng_state;

/* splitmix64: fixed seed, so every run builds the same scenarios. */
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned rndn(unsigned n)
{
	return (unsigned)(rnd() % n);
}

/* ---------------------------------------------------------------- scenario memory */

#define OWN_FREE	0
#define OWN_SHARED	1
#define OWN_INFRA	2	/* probe ids start at 3 */

struct table {
	uint64_t pa;
	uint64_t ipa;		/* stage-1 tables under stage 2: where the walk finds it */
	uint32_t size;
	bool s1;		/* a stage-1 table of an EL1&0 regime with stage 2 on */
	int ipa_probe;		/* != 0: its IPA is private to this probe (S1PTW faults) */
	uint64_t *w;
	int *own;
};

#define MAXTAB 512

struct regval {
	bool set;
	uint64_t v;
};

struct query {
	uint32_t op;
	uint64_t va;
	uint64_t par;		/* the architectural answer */
	uint64_t qemu72;	/* QEMU 7.2's known different answer (7c), or 0 */
	int probe;
};

struct scn {
	uint64_t base, next, limit;
	uint64_t tipa_off;	/* IPA of a stage-1 table = PA - base + tipa_off */
	struct table tab[MAXTAB];
	int ntab;
	struct regval reg[ORB_NREGS];
	struct query *q;
	int nq, qcap;
	char title[400];
};

static uint64_t ram_next = ORB_SCN_BASE;

static struct table *tab_alloc(struct scn *s, uint32_t size, uint32_t align)
{
	struct table *t;
	uint64_t pa = (s->next + align - 1) & ~(uint64_t)(align - 1);

	if (s->ntab == MAXTAB || pa + size > s->limit)
		return NULL;
	t = &s->tab[s->ntab++];
	memset(t, 0, sizeof(*t));
	t->pa = pa;
	t->ipa = pa - s->base + s->tipa_off;
	t->size = size;
	t->w = xcalloc(size / 8, sizeof(uint64_t));
	t->own = xcalloc(size / 8, sizeof(int));
	s->next = pa + size;
	return t;
}

/* ---------------------------------------------------------------- regimes */

struct regime {
	bool s2;		/* stage-2 descriptor format */
	bool s1vm;		/* stage-1 of EL1&0 with stage 2 on: table addresses are IPAs */
	unsigned apt_mask;	/* APTable bits new table descriptors may get (0: none) */
	bool tbi;		/* TCR_ELx.TBI for this range: the top byte is ignored */
	unsigned shift;		/* granule: 12, 14, 16 */
	unsigned ias;		/* input address size */
	unsigned oasz;		/* output address size (IPS/PS) */
	int sl;			/* start level */
	bool upper;		/* a TTBR1 range: the VA's top bits are ones */
	struct table *root;
};

static unsigned stride(const struct regime *r)
{
	return r->shift - 3;
}

static unsigned lvl_shift(const struct regime *r, int l)
{
	return r->shift + (unsigned)(3 - l) * stride(r);
}

static uint64_t lvl_size(const struct regime *r, int l)
{
	return 1ULL << lvl_shift(r, l);
}

static unsigned lvl_index(const struct regime *r, uint64_t va, int l)
{
	unsigned bits = l == r->sl ? r->ias - lvl_shift(r, l) : stride(r);

	return (unsigned)((va >> lvl_shift(r, l)) & ((1ULL << bits) - 1));
}

/* Root table size in bytes: start level entries (stage 2: with concatenation). */
static uint32_t root_size(const struct regime *r)
{
	return (uint32_t)(8ULL << (r->ias - lvl_shift(r, r->sl)));
}

/* AArch64.S1StartLevel(): levels needed to resolve ias bits. */
static int s1_start_level(unsigned shift, unsigned ias)
{
	unsigned s = shift - 3;

	return 4 - (int)((ias - shift + s - 1) / s);
}

/* AArch64.BlockDescSupported() with DS=0 and PAMax=52 (QEMU -cpu max). */
static bool leaf_ok(const struct regime *r, int l)
{
	if (l == 3)
		return true;
	if (l < r->sl)
		return false;
	switch (r->shift) {
	case 12: return l == 1 || l == 2;
	case 14: return l == 2;
	default: return l == 1 || l == 2;
	}
}

static uint64_t oa_mask(void)
{
	return 0x0000fffffffff000ULL;	/* OA[47:12]; bits above 47 are never used here */
}

/* A walk from the root of r to the level-l slot of va. Tables are created on the way;
 * slots at levels >= priv become the property of `owner` (a probe), the others are
 * shared. Returns 0 when the path crosses a slot it may not use (the caller picks
 * another address), 1 with a free slot, 2 with a shared slot already in use. */
struct slot {
	struct table *t;
	unsigned idx;
	struct table *path[4];
	unsigned aptable;	/* APTable bits accumulated above the slot */
};

static uint64_t table_addr(const struct regime *r, const struct table *t)
{
	return r->s1vm ? t->ipa : t->pa;
}

static struct table *find_table(struct scn *s, const struct regime *r, uint64_t a)
{
	for (int k = 0; k < s->ntab; k++)
		if (s->tab[k].s1 == r->s1vm && table_addr(r, &s->tab[k]) == a)
			return &s->tab[k];
	return NULL;
}

static int walk_to(struct scn *s, const struct regime *r, uint64_t va, int l, int priv,
		   int owner, struct slot *out)
{
	struct table *t = r->root;

	out->aptable = 0;
	for (int cur = r->sl;; cur++) {
		unsigned i = lvl_index(r, va, cur);

		out->path[cur] = t;
		if (cur == l) {
			out->t = t;
			out->idx = i;
			if (t->own[i] == OWN_FREE)
				return 1;
			return t->own[i] == OWN_SHARED && owner == OWN_SHARED ? 2 : 0;
		}
		if (t->own[i] == OWN_FREE) {
			struct table *n = tab_alloc(s, 1U << r->shift, 1U << r->shift);

			if (!n)
				return 0;
			n->s1 = r->s1vm;
			t->w[i] = (table_addr(r, n) & oa_mask()) | 3;
			/* hierarchical permissions (TCR.HPD=0): APTable, bits[62:61] */
			if (r->apt_mask && rndn(10) == 0)
				t->w[i] |= (uint64_t)(r->apt_mask & (1 + rndn(3))) << 61;
			t->own[i] = cur >= priv ? owner : OWN_SHARED;
			out->aptable |= (unsigned)(t->w[i] >> 61) & 3;
			t = n;
			continue;
		}
		if (t->own[i] != OWN_SHARED || cur >= priv || (t->w[i] & 3) != 3)
			return 0;
		out->aptable |= (unsigned)(t->w[i] >> 61) & 3;
		t = find_table(s, r, t->w[i] & oa_mask());
		if (!t)
			return 0;
	}
}

/* ---------------------------------------------------------------- probes and outcomes */

enum where { W_NONE, W_S1, W_S2, W_PTW };
enum fkind { F_TRANS, F_AS, F_AF, F_PERM };

static const char *const fkind_name[] = { "translation", "address size", "access flag",
					  "permission" };

struct probe {
	uint64_t va;
	bool oor;		/* VA outside the regime's input range */
	enum where where;
	enum fkind fk;
	int flevel;
	int s2flevel;		/* S1PTW: the stage-2 level that faults (flevel: the stage-1 one) */
	int s1_leaf;
	unsigned ap, attridx, sh;
	unsigned aptable;	/* APTable bits of the table descriptors on the walk */
	uint64_t ipa;		/* the VA's IPA (its PA when there is no stage 2) */
	bool ipa_oor;		/* IPA outside the stage-2 input range */
	int s2_leaf;
	unsigned s2ap, s2attr, s2sh;
	uint64_t pa;
	bool dropped;
	int kind;		/* enum pkind */
	bool hi;		/* in the TTBR1 range */
	struct slot leaf;	/* the stage-1 leaf slot (to move its output address) */
	struct table *ptw_table;
	char note[200];
};

#define MAXPROBE 48

enum pkind { P_OK, P_S1_INVAL, P_S1_L3RES, P_S1_AF, P_S1_AS, P_S2_INVAL, P_S2_AF, P_S2_AS,
	     P_PTW, P_OOR, P_IPA_OOR, P_NKIND };

enum rkind { R_EL10, R_EL2, R_EL20 };

struct ctx {
	struct scn *s;
	enum rkind rk;
	bool vm, has_hi;
	bool xlevel;		/* S1PTW faults at a stage-2 level other than the stage-1 one */
	bool s1off;		/* SCTLR_EL1.M=0: stage 1 flat, Device-nGnRnE */
	struct regime s1, s1hi, s2;
	uint64_t mair;
	struct probe p[MAXPROBE];
	int np;
	int w[P_NKIND];		/* weights of the probe kinds */
};


static uint64_t par_fault(enum fkind fk, int level, bool s2, bool ptw)
{
	static const unsigned base[] = { 0x04, 0x00, 0x08, 0x0c };

	return 0x800 | (s2 ? 0x200 : 0) | (ptw ? 0x100 : 0) |
	       ((uint64_t)(base[fk] | (unsigned)level) << 1) | 1;
}

/* Stage-1 MAIR byte combined with stage-2 MemAttr[3:0] (S2 FWB off), then
 * PAREncodeShareability(): Device and Normal inner+outer Non-cacheable report 0b10. */
static void result_attrs(unsigned a1, unsigned sh1, bool s2, unsigned m2, unsigned sh2,
			 unsigned *attr, unsigned *sh)
{
	unsigned a = a1, s = sh1;

	if (s2) {
		bool dev1 = (a1 & 0xf0) == 0, dev2 = (m2 & 0xc) == 0;

		if (dev1 || dev2) {
			/* the more restrictive Device type: nGnRnE < nGnRE < nGRE < GRE */
			unsigned d1 = dev1 ? (a1 >> 2) & 3 : 3, d2 = dev2 ? m2 & 3 : 3;

			a = (d1 < d2 ? d1 : d2) << 2;
		} else {
			/* the weaker cacheability (NC < WT < WB), S1's allocation hints */
			unsigned c1 = (a1 & 0xf) == 4 ? 1 : (a1 & 0xf) >> 2;
			unsigned c2 = m2 & 3;

			if (c1 == 1 || c2 == 1)
				a = 0x44;
			else if (c1 == 2 || c2 == 2)
				a = ((a1 & 0x3) | 0x8) * 0x11;
			else
				a = a1;
			/* the more shareable of the two */
			if (sh1 == 2 || sh2 == 2)
				s = 2;
			else if (sh1 == 3 || sh2 == 3)
				s = 3;
			else
				s = 0;
		}
	}
	if ((a & 0xf0) == 0 || a == 0x44)
		s = 2;
	*attr = a;
	*sh = s;
}

static bool op_el0(uint32_t op)
{
	return op == ORB_S1E0R || op == ORB_S1E0W || op == ORB_S12E0R || op == ORB_S12E0W;
}

static bool op_write(uint32_t op)
{
	return op == ORB_S1E1W || op == ORB_S1E0W || op == ORB_S12E1W || op == ORB_S12E0W ||
	       op == ORB_S1E2W;
}

static bool op_s12(uint32_t op)
{
	return op >= ORB_S12E1R && op <= ORB_S12E0W;
}

static uint64_t expect(const struct ctx *c, const struct probe *p, uint32_t op)
{
	bool s2 = c->vm && op_s12(op);
	bool unpriv = c->rk != R_EL2;	/* the regime has an EL0 */
	unsigned attr, sh;
	uint64_t addr;

	if (p->oor)	/* AArch64.S1DisabledOutput(): beyond PAMax, address size */
		return par_fault(c->s1off ? F_AS : F_TRANS, 0, false, false);
	if (p->where == W_PTW)
		return par_fault(p->fk, p->s2flevel, true, true);
	if (p->where == W_S1)
		return par_fault(p->fk, p->flevel, false, false);
	/* AArch64.S1DirectBasePermissions(): AP[1] grants EL0, AP[2] removes write;
	 * hierarchical: APTable[0] removes EL0 access, APTable[1] removes write */
	if (!c->s1off && unpriv && op_el0(op) && (!(p->ap & 1) || (p->aptable & 1)))
		return par_fault(F_PERM, p->s1_leaf, false, false);
	if (!c->s1off && op_write(op) && ((p->ap & 2) || (p->aptable & 2)))
		return par_fault(F_PERM, p->s1_leaf, false, false);
	if (s2) {
		if (p->ipa_oor)
			return par_fault(F_TRANS, 0, true, false);
		if (p->where == W_S2)
			return par_fault(p->fk, p->flevel, true, false);
		/* S2AP[0] read, S2AP[1] write */
		if (!(p->s2ap & (op_write(op) ? 2U : 1U)))
			return par_fault(F_PERM, p->s2_leaf, true, false);
	}
	/* stage 1 off: data accesses are Device-nGnRnE (HCR_EL2.DC=0) */
	result_attrs(c->s1off ? 0 : (unsigned)(c->mair >> (8 * p->attridx)) & 0xff,
		     c->s1off ? 2 : p->sh, s2, p->s2attr, p->s2sh, &attr, &sh);
	addr = s2 ? p->pa : p->ipa;
	return ((uint64_t)attr << 56) | (addr & 0x000ffffffffff000ULL) | 0x800 | 0x200 |
	       ((uint64_t)sh << 7);
}

/* ---------------------------------------------------------------- building */

static uint64_t rnd_below(unsigned bits, uint64_t align)
{
	uint64_t v = bits >= 64 ? rnd() : rnd() & ((1ULL << bits) - 1);

	return v & ~(align - 1);
}

static unsigned rnd_sh(void)
{
	static const unsigned v[] = { 0, 2, 3, 3 };

	return v[rndn(4)];
}

static int rnd_leaf_level(const struct regime *r)
{
	int l;

	do
		l = r->sl + (int)rndn((unsigned)(4 - r->sl));
	while (!leaf_ok(r, l));
	return l;
}

/* An output-address bit at or above oasz, for an address size fault; at or above minbit
 * too, so that a block's alignment does not clear it (a 64K L1 block holds OA[47:42]). */
static uint64_t as_bit(const struct regime *r, unsigned minbit)
{
	unsigned lo = r->oasz > minbit ? r->oasz : minbit;

	return 1ULL << (lo + rndn(48 - lo));
}

/* Stage-2 mapping (or the stage-2 fault) for one IPA. Returns false on a conflict. */
static bool s2_map(struct ctx *c, uint64_t ipa, uint64_t pa, int leaf, unsigned s2ap,
		   unsigned attr, unsigned sh, enum where wh, enum fkind fk, int fl, int owner)
{
	struct regime *r = &c->s2;
	struct slot sl;
	int at = wh == W_NONE ? leaf : fl;
	uint64_t d;

	if (walk_to(c->s, r, ipa, at, at, owner, &sl) != 1)
		return false;
	if (wh != W_NONE && fk == F_TRANS) {
		d = 0;
	} else if (wh != W_NONE && fk == F_AS && at < 3 && (!leaf_ok(r, at) || rndn(2))) {
		d = ((as_bit(r, 0) | pa) & oa_mask() & ~((1ULL << r->shift) - 1)) | 3;
	} else {
		uint64_t oa = pa & ~(lvl_size(r, at) - 1);

		if (wh != W_NONE && fk == F_AS)
			oa |= as_bit(r, lvl_shift(r, at));
		d = (oa & oa_mask()) | (at == 3 ? 3 : 1) | ((uint64_t)attr << 2) |
		    ((uint64_t)s2ap << 6) | ((uint64_t)sh << 8) | 0x400;
		if (wh != W_NONE && fk == F_AF)
			d &= ~0x400ULL;
		if (wh != W_NONE && fk == F_PERM)
			d &= ~0xc0ULL;
	}
	sl.t->w[sl.idx] = d;
	sl.t->own[sl.idx] = owner;
	return true;
}

/* Stage-2 page for a shared stage-1 table page: Normal WB, inner shareable, RW, AF=1. */
static bool s2_map_table_page(struct ctx *c, uint64_t ipa, uint64_t pa)
{
	struct slot sl;
	uint64_t d = (pa & ~((1ULL << c->s2.shift) - 1) & oa_mask()) | 0x7ff;
	int rc = walk_to(c->s, &c->s2, ipa, 3, 4, OWN_SHARED, &sl);

	if (rc == 2)
		return sl.t->w[sl.idx] == d;
	if (rc != 1)
		return false;
	sl.t->w[sl.idx] = d;
	sl.t->own[sl.idx] = OWN_SHARED;
	return true;
}

static uint64_t s1_leaf_desc(const struct ctx *c, const struct regime *r, int l, uint64_t oa,
			     const struct probe *p)
{
	uint64_t d = (oa & ~(lvl_size(r, l) - 1) & oa_mask()) | (l == 3 ? 3 : 1) |
		     ((uint64_t)p->attridx << 2) | ((uint64_t)p->ap << 6) |
		     ((uint64_t)p->sh << 8) | 0x400;

	if (c->rk != R_EL2 && rndn(2))
		d |= 1ULL << 11;			/* nG: no effect on AT */
	if (rndn(3) == 0)
		d |= (uint64_t)rndn(4) << 53;		/* PXN/UXN: no effect on AT R/W */
	if (c->rk == R_EL2)
		d &= ~(1ULL << 53);			/* RES0 in the EL2 regime */
	return d;
}

static uint64_t pick_va(const struct regime *r, uint64_t base)
{
	int j = r->sl + (int)rndn((unsigned)(4 - r->sl));
	unsigned bits = j == r->sl ? r->ias : lvl_shift(r, j) + stride(r);
	uint64_t mask = (1ULL << bits) - 1;
	uint64_t va = (base & ~mask) | (rnd() & mask);

	va &= (1ULL << r->ias) - 1;
	if (r->upper)
		va |= ~((1ULL << r->ias) - 1);
	return va;
}

static const char *const lvl_word[] = { "L0", "L1", "L2", "L3" };

static int weighted(const int *w, int n)
{
	int sum = 0, x;

	for (int i = 0; i < n; i++)
		sum += w[i];
	x = (int)rndn((unsigned)sum);
	for (int i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return 0;
}

/* Stage 1 of one probe. Returns false when no conflict-free VA was found. */
static bool build_probe_s1(struct ctx *c, struct regime *r, struct probe *p, int id,
			   enum pkind k, uint64_t vabase)
{
	unsigned ipabits = c->vm ? (c->s2.ias < r->oasz ? c->s2.ias : r->oasz) : r->oasz;

	for (int tries = 0; tries < 40; tries++) {
		struct slot sl;
		int l = rnd_leaf_level(r), at, priv;
		uint64_t leafsz;

		memset(p, 0, sizeof(*p));
		p->va = pick_va(r, vabase);
		p->ap = rndn(4);
		p->attridx = rndn(8);
		p->sh = rnd_sh();
		p->s1_leaf = l;
		at = l;
		priv = l;
		if (k == P_OOR) {
			p->oor = true;
			if (r->upper) {
				p->va = (p->va & ((1ULL << r->ias) - 1)) | (1ULL << 55) |
					(1ULL << (r->ias + rndn(55 - r->ias)));
			} else if (!c->has_hi && rndn(2)) {
				/* upper half with no TTBR1 walk: EPD1=1, or no TTBR1 at all */
				/* one random call per statement: C leaves the order open */
				p->va = ~0ULL << (40 + rndn(16));
				p->va |= rnd() & 0xffffffffffULL;
				snprintf(p->note, sizeof(p->note), "VA 0x%" PRIx64 " in the upper "
					 "range, %s: translation fault, level 0", p->va,
					 c->rk == R_EL2 ? "which the EL2 regime does not have" :
					 "TTBR1 walks disabled (EPD1=1)");
				return true;
			} else {
				p->va |= 1ULL << (r->ias + rndn(64 - r->ias - 9));
			}
			snprintf(p->note, sizeof(p->note), "VA outside the %s range (%u bits): "
				 "translation fault, level 0", r->upper ? "TTBR1" : "TTBR0",
				 r->ias);
			return true;
		}
		if (k == P_S1_INVAL || k == P_S1_AS) {
			at = r->sl + (int)rndn((unsigned)(4 - r->sl));
			priv = at;
		} else if (k == P_S1_L3RES) {
			at = priv = 3;
		} else if (k == P_PTW) {
			int lo = r->sl + 1 > c->s2.sl ? r->sl + 1 : c->s2.sl;

			if (lo > 3)
				return false;
			p->flevel = lo + (int)rndn((unsigned)(4 - lo));
			if (p->flevel > l) {
				l = 3;
				p->s1_leaf = 3;
				at = 3;
			}
			priv = p->flevel - 1;
		}
		/* a probe about another fault allows every access at stage 1 (AP=01) */
		if (k != P_OK && k != P_S1_INVAL && k != P_S1_L3RES && k != P_S1_AS)
			p->ap = 1;
		if (walk_to(c->s, r, p->va, at, priv, id, &sl) != 1)
			continue;
		leafsz = lvl_size(r, l);
		if (k == P_S1_INVAL) {
			p->where = W_S1;
			p->fk = F_TRANS;
			p->flevel = at;
			sl.t->w[sl.idx] = 0;
			sl.t->own[sl.idx] = id;
			snprintf(p->note, sizeof(p->note), "stage-1 %s descriptor invalid: "
				 "translation fault", lvl_word[at]);
			return true;
		}
		if (k == P_S1_L3RES) {
			p->where = W_S1;
			p->fk = F_TRANS;
			p->flevel = 3;
			sl.t->w[sl.idx] = s1_leaf_desc(c, r, 3, rnd_below(ipabits, 1), p) & ~2ULL;
			sl.t->own[sl.idx] = id;
			snprintf(p->note, sizeof(p->note), "stage-1 L3 descriptor, bits[1:0]=01 "
				 "(reserved): translation fault");
			return true;
		}
		if (k == P_S1_AS) {
			if (r->oasz >= 48)
				return false;
			p->where = W_S1;
			p->fk = F_AS;
			p->flevel = at;
			if (at < 3 && (!leaf_ok(r, at) || rndn(2))) {
				uint64_t a = as_bit(r, 0);

				a |= rnd_below(r->oasz, 1);
				sl.t->w[sl.idx] = (a & oa_mask() & ~((1ULL << r->shift) - 1)) | 3;
				snprintf(p->note, sizeof(p->note), "stage-1 %s table descriptor "
					 "points beyond the %u-bit output size: address size fault",
					 lvl_word[at], r->oasz);
			} else {
				uint64_t a = as_bit(r, lvl_shift(r, at));

				a |= rnd_below(r->oasz, 1);
				p->s1_leaf = at;
				sl.t->w[sl.idx] = s1_leaf_desc(c, r, at, a, p);
				snprintf(p->note, sizeof(p->note), "stage-1 %s %s output address "
					 "beyond the %u-bit output size: address size fault",
					 lvl_word[at], at == 3 ? "page" : "block", r->oasz);
			}
			sl.t->own[sl.idx] = id;
			return true;
		}
		/* a valid leaf */
		p->ipa = rnd_below(ipabits, leafsz) + (p->va & (leafsz - 1));
		if (k == P_IPA_OOR) {
			if (!c->vm || c->s2.ias >= r->oasz)
				return false;
			p->ipa_oor = true;
			p->ipa = rnd_below(r->oasz, leafsz);
			p->ipa |= 1ULL << (c->s2.ias + rndn(r->oasz - c->s2.ias));
			p->ipa = (p->ipa & ~(leafsz - 1)) + (p->va & (leafsz - 1));
		}
		if (leafsz > (1ULL << ipabits))
			continue;
		sl.t->w[sl.idx] = s1_leaf_desc(c, r, l, p->ipa, p);
		sl.t->own[sl.idx] = id;
		p->leaf = sl;
		p->aptable = sl.aptable;
		if (k == P_S1_AF) {
			sl.t->w[sl.idx] &= ~0x400ULL;
			p->where = W_S1;
			p->fk = F_AF;
			p->flevel = l;
			snprintf(p->note, sizeof(p->note), "stage-1 %s %s with AF=0: access flag "
				 "fault", lvl_word[l], l == 3 ? "page" : "block");
			return true;
		}
		if (k == P_PTW) {
			p->where = W_PTW;
			p->ptw_table = sl.path[p->flevel];
		}
		snprintf(p->note, sizeof(p->note), "stage-1 %s %s AP=%u%s AttrIndx=%u SH=%u -> %s "
			 "0x%" PRIx64, lvl_word[l], l == 3 ? "page" : "block", p->ap,
			 p->aptable == 0 ? "" : p->aptable == 1 ? " APTable=01" :
			 p->aptable == 2 ? " APTable=10" : " APTable=11", p->attridx, p->sh,
			 c->vm ? "IPA" : "PA", p->ipa);
		return true;
	}
	return false;
}

/* Stage 1 off (SCTLR_EL1.M=0): the IPA is the VA (AArch64.S1DisabledOutput()). */
static bool build_probe_off(struct ctx *c, struct probe *p, enum pkind k)
{
	memset(p, 0, sizeof(*p));
	if (k == P_OOR) {
		p->oor = true;
		p->va = rnd_below(52, 1);
		p->va |= 1ULL << (52 + rndn(12));
		snprintf(p->note, sizeof(p->note), "stage 1 off, VA 0x%" PRIx64 " beyond the "
			 "52-bit PA range: address size fault, level 0", p->va);
		return true;
	}
	/* mostly below 2^48, some up to 2^52 (PA[51:48] in PAR_EL1[51:48]) */
	p->va = rnd_below(c->vm ? c->s2.ias : rndn(4) ? 48 : 52, 1);
	if (k == P_IPA_OOR) {
		if (!c->vm || c->s2.ias >= 52)
			return false;
		p->ipa_oor = true;
		p->va = rnd_below(c->s2.ias, 1);
		p->va |= 1ULL << (c->s2.ias + rndn(52 - c->s2.ias));
	}
	p->ipa = p->va;
	snprintf(p->note, sizeof(p->note), "stage 1 off: %s = VA, Device-nGnRnE",
		 c->vm ? "IPA" : "PA");
	return true;
}

static const unsigned s2attr_pool[] = { 0xf, 0xf, 0xf, 0xf, 0x5, 0xa, 0x1, 0x0 };
static const unsigned s2ap_pool[] = { 3, 3, 3, 3, 1, 2, 0 };

/* Stage 2 of one probe (data side). */
static bool build_probe_s2(struct ctx *c, struct regime *r1, struct probe *p, int id,
			   enum pkind k)
{
	struct regime *r = &c->s2;
	unsigned ipabits = c->s1off ? c->s2.ias : c->s2.ias < r1->oasz ? c->s2.ias : r1->oasz;
	uint64_t l1sz = c->s1off ? 1ULL << 12 : lvl_size(r1, p->s1_leaf);

	if (p->oor || p->where == W_S1 || p->ipa_oor || p->where == W_PTW)
		return true;
	for (int tries = 0; tries < 40; tries++) {
		int l = rnd_leaf_level(r);
		uint64_t l2sz = lvl_size(r, l);
		enum where wh = W_NONE;
		enum fkind fk = F_TRANS;
		int fl = l;

		if (tries && c->s1off) {	/* IPA = VA: pick another VA */
			p->ipa = rnd_below(ipabits, 1);
			p->va = p->ipa;
		} else if (tries) {	/* move the stage-1 output to another IPA */
			p->ipa = rnd_below(ipabits, l1sz) + (p->va & (l1sz - 1));
			p->leaf.t->w[p->leaf.idx] = (p->leaf.t->w[p->leaf.idx] & ~(oa_mask() &
						     ~(l1sz - 1))) | (p->ipa & oa_mask() &
						     ~(l1sz - 1));
		}
		p->s2_leaf = l;
		p->s2ap = k == P_OK ? s2ap_pool[rndn(7)] : 3;
		p->s2attr = s2attr_pool[rndn(8)];
		p->s2sh = rnd_sh();
		p->pa = rnd_below(r->oasz, l2sz) + (p->ipa & (l2sz - 1));
		if (k == P_S2_INVAL) {
			wh = W_S2;
			fl = r->sl + (int)rndn((unsigned)(4 - r->sl));
		} else if (k == P_S2_AF) {
			wh = W_S2;
			fk = F_AF;
		} else if (k == P_S2_AS) {
			if (r->oasz >= 48)
				return false;
			wh = W_S2;
			fk = F_AS;
			fl = r->sl + (int)rndn((unsigned)(4 - r->sl));
		}
		if (!s2_map(c, p->ipa, p->pa, l, p->s2ap, p->s2attr, p->s2sh, wh, fk, fl, id))
			continue;
		if (wh != W_NONE) {
			p->where = wh;
			p->fk = fk;
			p->flevel = fl;
			snprintf(p->note + strlen(p->note), sizeof(p->note) - strlen(p->note),
				 "; stage-2 %s %s fault", lvl_word[fl], fkind_name[fk]);
		} else {
			snprintf(p->note + strlen(p->note), sizeof(p->note) - strlen(p->note),
				 "; stage-2 %s %s S2AP=%u MemAttr=0x%x SH=%u -> PA 0x%" PRIx64,
				 lvl_word[l], l == 3 ? "page" : "block", p->s2ap, p->s2attr,
				 p->s2sh,
				 p->pa);
		}
		return true;
	}
	return false;
}

/* The stage-2 fault that the stage-1 walk meets when it fetches a descriptor from
 * table t, a level-L stage-1 table: placed at stage-2 level L too, so that QEMU 7.2
 * (which reports the stage-1 level, docs/qemu-oracle.md 7c) and the architecture (the
 * stage-2 level) give the same PAR. The table moves to an IPA that no other table or
 * page shares at stage-2 level L. */
static bool move_table_ptw(struct ctx *c, struct regime *r1, struct table *t, int L, int id,
			   enum fkind *fkp)
{
	struct regime *r = &c->s2;
	unsigned ipabits = c->s2.ias < r1->oasz ? c->s2.ias : r1->oasz;
	uint64_t lsz = lvl_size(r, L);
	static const enum fkind kinds[] = { F_TRANS, F_AS, F_AF, F_PERM };
	static unsigned turn[4];	/* kinds in turn: each level gets each kind */

	for (int tries = 0; tries < 40; tries++) {
		enum fkind fk = kinds[turn[L]++ % 4];
		uint64_t region = rnd_below(ipabits, lsz > t->size ? lsz : t->size);
		uint64_t ipa = region + (lsz > t->size ? (t->pa & (lsz - 1)) : 0);
		bool ok = true;

		if ((fk == F_AF || fk == F_PERM) && !leaf_ok(r, L))
			fk = F_TRANS;
		if (fk == F_AS && r->oasz >= 48)
			fk = F_TRANS;
		if (ipa + t->size > (1ULL << ipabits))
			continue;
		/* every stage-2 entry of level L that the table spans gets the fault */
		if (!s2_map(c, ipa, t->pa, L, 3, 0xf, 3, W_PTW, fk, L, id))
			continue;
		for (uint64_t off = lsz; off < t->size && ok; off += lsz)
			ok = s2_map(c, ipa + off, t->pa + off, L, 3, 0xf, 3, W_PTW, fk, L, id);
		if (!ok)
			return false;	/* half written: the caller drops the probe */
		t->ipa = ipa;
		t->ipa_probe = id;
		*fkp = fk;
		return true;
	}
	return false;
}

static bool build_probe_ptw(struct ctx *c, struct regime *r1, struct probe *p, int id)
{
	struct table *t = p->ptw_table;
	uint64_t old = t->ipa;
	int ls = p->flevel;

	/* xlevel: the stage-2 fault at another level than the stage-1 table's; the
	 * architecture reports the stage-2 level, QEMU 7.2 the stage-1 one (7c) */
	if (c->xlevel) {
		int n = 4 - c->s2.sl;

		if (n < 2)
			return false;
		ls = c->s2.sl + (int)rndn((unsigned)n - 1);
		if (ls >= p->flevel)
			ls++;
	}
	if (!move_table_ptw(c, r1, t, ls, id, &p->fk))
		return false;
	p->s2flevel = ls;
	/* the parent (private) descriptor now points at the new IPA */
	for (int k = 0; k < c->s->ntab; k++) {
		struct table *u = &c->s->tab[k];

		for (uint32_t i = 0; i < u->size / 8; i++)
			if (u != t && u->own[i] == id && (u->w[i] & 3) == 3 &&
			    (u->w[i] & oa_mask()) == old)
				u->w[i] = (u->w[i] & ~oa_mask()) | (t->ipa & oa_mask());
	}
	snprintf(p->note + strlen(p->note), sizeof(p->note) - strlen(p->note),
		 "; its %s table sits at IPA 0x%" PRIx64 " where stage 2 has a %s %s "
		 "fault: S1PTW", lvl_word[p->flevel], t->ipa, lvl_word[ls],
		 fkind_name[p->fk]);
	return true;
}

/* The stage-1 root table itself behind a stage-2 fault: every walk stops there. */
static void root_ptw(struct ctx *c)
{
	enum fkind fk;
	int L = c->s1.sl;

	if (c->s2.sl > L || !move_table_ptw(c, &c->s1, c->s1.root, L, OWN_INFRA, &fk))
		return;
	snprintf(c->s->title + strlen(c->s->title), sizeof(c->s->title) -
		 strlen(c->s->title), "; the stage-1 root table sits at IPA 0x%" PRIx64
		 " where stage 2 has a %s %s fault", c->s1.root->ipa, lvl_word[L],
		 fkind_name[fk]);
	for (int i = 0; i < c->np; i++) {
		struct probe *p = &c->p[i];

		if (p->oor)
			continue;
		p->where = W_PTW;
		p->fk = fk;
		p->flevel = L;
		p->s2flevel = L;
		snprintf(p->note + strlen(p->note), sizeof(p->note) - strlen(p->note),
			 "; S1PTW on the root table");
	}
}

/* ---------------------------------------------------------------- scenarios */

static const char *const op_name[] = { "S1E1R", "S1E1W", "S1E0R", "S1E0W", "S12E1R",
				       "S12E1W", "S12E0R", "S12E0W", "S1E2R", "S1E2W" };
static const char *const reg_name[] = { "TCR_EL1", "TTBR0_EL1", "TTBR1_EL1", "MAIR_EL1",
					"SCTLR_EL1", "VTCR_EL2", "VTTBR_EL2", "HCR_EL2",
					"TCR_EL2", "TTBR0_EL2", "TTBR1_EL2", "MAIR_EL2",
					"SCTLR_EL2" };

#define SCTLR_EL1_ON	0x30d0181dULL	/* M, C, I: caches on, so Normal stays cacheable */
#define SCTLR_EL2_OFF	ORB_SCTLR_EL2_OFF
#define SCTLR_EL2_ON	0x30c5183dULL
#define HCR_RW		(1ULL << 31)
#define HCR_VM		(1ULL << 0)
#define HCR_E2H		(1ULL << 34)
#define SCN_MAX		0x400000ULL	/* memory of one scenario */

static unsigned ps_enc(unsigned bits)
{
	switch (bits) {
	case 32: return 0;
	case 36: return 1;
	case 40: return 2;
	case 42: return 3;
	case 44: return 4;
	case 48: return 5;
	default: die("bad address size %u", bits);
	}
}

static uint64_t tg0_enc(unsigned shift)
{
	return shift == 12 ? 0 : shift == 16 ? 1 : 2;
}

static uint64_t tg1_enc(unsigned shift)
{
	return shift == 14 ? 1 : shift == 12 ? 2 : 3;
}

static void set_reg(struct scn *s, int id, uint64_t v)
{
	s->reg[id].set = true;
	s->reg[id].v = v;
}

static void regime_init(struct scn *s, struct regime *r, bool s2, bool s1vm, unsigned shift,
			unsigned ias, unsigned oasz, int sl, bool upper)
{
	uint32_t rs;

	memset(r, 0, sizeof(*r));
	r->s2 = s2;
	r->s1vm = s1vm;
	r->shift = shift;
	r->ias = ias;
	r->oasz = oasz;
	r->sl = sl;
	r->upper = upper;
	rs = root_size(r);
	r->root = tab_alloc(s, rs, rs < 64 ? 64 : rs);
	if (!r->root)
		die("scenario memory exhausted");
	r->root->s1 = s1vm;
}

static const uint8_t mair_pool[] = { 0xff, 0x44, 0xbb, 0x04, 0x00, 0xff, 0xff };
static const unsigned oasz_pool[] = { 40, 42, 44, 48 };
static const unsigned gran_pool[] = { 12, 14, 16 };

/* A stage-2 configuration: granule, IPA size, start level and concatenation, within
 * AArch64.S2InconsistentSL()'s limits; PS >= max(44, IPA size) (docs/qemu-oracle.md 7a). */
static void pick_s2(unsigned shift, int nconcat, int want_sl, unsigned *ias, int *sl,
		    unsigned *ps)
{
	unsigned st = shift - 3;

	for (;;) {
		int l = shift == 12 ? (int)rndn(3) : 1 + (int)rndn(3);
		unsigned full = (4 - (unsigned)l) * st + shift;	/* bits one table resolves */
		unsigned lo = (3 - (unsigned)l) * st + shift + 1, hi = full + 4, a;

		if (nconcat >= 0) {
			a = full + (unsigned)nconcat;
		} else {
			a = lo + rndn(hi - lo + 1);
		}
		if (a < lo || a > hi || a < 25 || a > 48 || (want_sl >= 0 && l != want_sl) ||
		    (want_sl >= 0 && a > 44))
			continue;
		*ias = a;
		*sl = l;
		/* PS 44 leaves room for address size faults */
		*ps = a <= 44 && (want_sl >= 0 || rndn(4)) ? 44 : 48;
		return;
	}
}

static unsigned concat_count(const struct regime *r)
{
	unsigned full = (4 - (unsigned)r->sl) * stride(r) + r->shift;

	return r->ias > full ? 1U << (r->ias - full) : 1;
}

struct family {
	const char *name;
	const char *covers;
	enum rkind rk;
	bool vm;
	int s1gran;		/* 0: random */
	int s2gran;		/* 0: random */
	int concat;		/* -1: any; -2: 2, 4, 8, 16 in turn; else log2 of the count */
	int hi;			/* 1: TTBR1 range in use sometimes */
	int rootptw;		/* 1: every other scenario faults on the stage-1 root */
	int s2sl;		/* -1: any stage-2 start level; else that one, with PS 44 */
	unsigned s1ias_min;	/* smallest stage-1 VA size */
	bool xlevel;		/* S1PTW faults at another stage-2 level (7c, corrected) */
	bool s1off;		/* SCTLR_EL1.M=0, with stage 2 in every other scenario */
	int nscn;
	int nprobe;
	int w[P_NKIND];
};

static void add_infra(struct ctx *c)
{
	struct regime *r = &c->s1;
	uint64_t bs = lvl_size(r, 2);
	uint64_t code_end = ORB_BLOB_BASE + ORB_BLOB_MAX;

	for (int dev = 0; dev < 2; dev++) {
		uint64_t a = dev ? ORB_UART_BASE & ~(bs - 1) : ORB_CODE_BASE;
		uint64_t end = dev ? a + 1 : code_end;

		for (; a < end; a += bs) {
			struct slot sl;

			if (walk_to(c->s, r, a, 2, 2, OWN_INFRA, &sl) != 1)
				die("identity map of the oracle program");
			sl.t->w[sl.idx] = a | 1 | 0x400 | (3ULL << 8) | ((uint64_t)dev << 2);
			sl.t->own[sl.idx] = OWN_INFRA;
		}
	}
}

static void op_list(const struct ctx *c, uint32_t *ops, int *n)
{
	*n = 0;
	if (c->rk != R_EL10) {
		ops[(*n)++] = ORB_S1E2R;
		ops[(*n)++] = ORB_S1E2W;
		return;
	}
	for (uint32_t o = ORB_S1E1R; o <= ORB_S1E0W; o++)
		ops[(*n)++] = o;
	if (c->vm) {
		for (uint32_t o = ORB_S12E1R; o <= ORB_S12E0W; o++)
			ops[(*n)++] = o;
	} else {
		/* HCR_EL2.VM=0: S12E* behave as S1E* */
		ops[(*n)++] = ORB_S12E1R;
		ops[(*n)++] = ORB_S12E0W;
	}
	if (c->s1off) {
		/* SCTLR_EL2.M=0 too: the EL2 regime is flat as well, with no stage 2 */
		ops[(*n)++] = ORB_S1E2R;
		ops[(*n)++] = ORB_S1E2W;
	}
}

static void build_scenario(struct ctx *c, const struct family *f, int n)
{
	struct scn *s = c->s;
	unsigned g1 = f->s1gran ? (unsigned)f->s1gran : gran_pool[rndn(3)];
	unsigned g2 = f->s2gran ? (unsigned)f->s2gran : gran_pool[rndn(3)];
	unsigned ias1, oasz1 = oasz_pool[rndn(4)], ias2 = 0, ps = 0, ias1hi = 0, ghi = 0;
	int sl2 = 0, id = 3;
	uint64_t vabase, vabasehi, tcr;
	bool el2mmu = f->rk != R_EL10;

	s->base = ram_next;
	s->next = s->base;
	s->limit = s->base + SCN_MAX;
	if (s->limit > ORB_SCN_END)
		die("guest RAM exhausted: fewer scenarios per family");
	c->rk = f->rk;
	c->has_hi = f->hi && rndn(2) && !f->s1off;
	c->xlevel = f->xlevel;
	c->s1off = f->s1off;
	c->vm = f->vm && (!f->s1off || n % 2);
	c->np = 0;
	memcpy(c->w, f->w, sizeof(c->w));

	/* MAIR: Attr0 Normal WB and Attr1 Device-nGnRE (the oracle's identity map uses
	 * them in the EL2 regimes), the others from a pool of Normal/Device encodings. */
	c->mair = 0xff | (0x04ULL << 8);
	for (int i = 2; i < 8; i++)
		c->mair |= (uint64_t)mair_pool[rndn(sizeof(mair_pool))] << (8 * i);
	if (f->rk == R_EL10 && rndn(2)) {
		uint64_t a0 = mair_pool[rndn(sizeof(mair_pool))];

		c->mair = (c->mair & ~0xffffULL) | a0;
		c->mair |= (uint64_t)mair_pool[rndn(sizeof(mair_pool))] << 8;
	}

	if (c->vm) {
		pick_s2(g2, f->concat == -2 ? 1 + n % 4 : f->concat, f->s2sl, &ias2, &sl2, &ps);
		regime_init(s, &c->s2, true, false, g2, ias2, ps, sl2, false);
		/* stage-1 tables at IPA = PA - base + tipa_off, inside both IPA limits */
		unsigned lim = ias2 < oasz1 ? ias2 : oasz1;

		s->tipa_off = rnd_below(lim, 1ULL << 22);
		if (s->tipa_off + SCN_MAX > (1ULL << lim))
			s->tipa_off = 0;
	} else {
		s->tipa_off = s->base;
	}
	ias1 = (el2mmu ? 32 : 25) + rndn(el2mmu ? 17 : 24);
	if (ias1 < f->s1ias_min)
		ias1 = f->s1ias_min + rndn(49 - f->s1ias_min);
	regime_init(s, &c->s1, false, c->vm, g1, ias1, oasz1, s1_start_level(g1, ias1), false);
	if (c->has_hi) {
		ghi = gran_pool[rndn(3)];
		ias1hi = 25 + rndn(24);
		regime_init(s, &c->s1hi, false, c->vm, ghi, ias1hi, oasz1,
			    s1_start_level(ghi, ias1hi), true);
	}
	snprintf(s->title, sizeof(s->title), "%s%s: stage 1 %uK granule, %u-bit VA from %s, "
		 "%u-bit OA", c->s1off ? "SCTLR_EL1.M=0, " : "",
		 f->rk == R_EL10 ? "EL1&0" : f->rk == R_EL2 ? "EL2" :
		 "EL2&0 (VHE)", 1U << (g1 - 10), ias1, lvl_word[c->s1.sl], oasz1);
	if (c->has_hi)
		snprintf(s->title + strlen(s->title), sizeof(s->title) - strlen(s->title),
			 "; TTBR1 %uK granule, %u-bit VA from %s", 1U << (ghi - 10), ias1hi,
			 lvl_word[c->s1hi.sl]);
	if (c->vm)
		snprintf(s->title + strlen(s->title), sizeof(s->title) - strlen(s->title),
			 "; stage 2 %uK granule, %u-bit IPA from %s, %u concatenated, PS %u bits",
			 1U << (g2 - 10), ias2, lvl_word[sl2], concat_count(&c->s2), ps);

	if (el2mmu)
		add_infra(c);
	/* APTable on new stage-1 table descriptors from here on (not on the oracle's own
	 * identity map); APTable[0] only where the regime has an EL0 */
	c->s1.apt_mask = f->rk == R_EL2 ? 2 : 3;
	c->s1hi.apt_mask = 3;
	c->s1.tbi = rndn(3) == 0 && !c->s1off;
	c->s1hi.tbi = c->has_hi && rndn(3) == 0;
	vabase = rnd();
	vabasehi = rnd();
	for (int i = 0; i < f->nprobe && c->np < MAXPROBE; i++) {
		enum pkind k = (enum pkind)weighted(c->w, P_NKIND);
		bool hi = c->has_hi && rndn(2);
		struct probe *p = &c->p[c->np];

		if (!c->vm && (k == P_S2_INVAL || k == P_S2_AF || k == P_S2_AS || k == P_PTW ||
			       k == P_IPA_OOR))
			k = P_OK;
		if (c->s1off && (k == P_S1_INVAL || k == P_S1_L3RES || k == P_S1_AF ||
				 k == P_S1_AS || k == P_PTW))
			k = P_OK;
		if (c->s1off ? !build_probe_off(c, p, k) :
		    !build_probe_s1(c, hi ? &c->s1hi : &c->s1, p, id + c->np, k,
				    hi ? vabasehi : vabase))
			continue;
		p->kind = (int)k;
		p->hi = hi;
		if (hi) {
			char tmp[sizeof(p->note)];

			snprintf(tmp, sizeof(tmp), "TTBR1: %.180s", p->note);
			memcpy(p->note, tmp, sizeof(tmp));
		}
		c->np++;
	}
	if (c->vm) {
		for (int k = 0; k < s->ntab; k++) {
			struct table *t = &s->tab[k];
			uint64_t step = 1ULL << g2;

			if (!t->s1)
				continue;
			for (uint64_t off = 0; off < t->size; off += step)
				if (!s2_map_table_page(c, t->ipa + off, t->pa + off))
					die("scenario %d: stage-2 map of a stage-1 table", n);
		}
		if (f->rootptw && !c->has_hi && n % 2)
			root_ptw(c);
		for (int i = 0; i < c->np; i++) {
			struct probe *p = &c->p[i];
			struct regime *r1 = p->hi ? &c->s1hi : &c->s1;

			if (p->where == W_PTW && !c->s1.root->ipa_probe &&
			    !build_probe_ptw(c, r1, p, id + i))
				p->dropped = true;
		}
		for (int i = 0; i < c->np; i++) {
			struct probe *p = &c->p[i];
			struct regime *r1 = p->hi ? &c->s1hi : &c->s1;
			enum pkind k = (enum pkind)p->kind;

			if (!p->dropped && !build_probe_s2(c, r1, p, id + i, k))
				p->dropped = true;
		}
	}

	/* registers: every scenario writes all of them */
	for (int i = 0; i < ORB_NREGS; i++)
		set_reg(s, i, 0);
	set_reg(s, ORB_SCTLR_EL2, el2mmu ? SCTLR_EL2_ON : SCTLR_EL2_OFF);
	set_reg(s, ORB_HCR_EL2, HCR_RW | (c->vm ? HCR_VM : 0) | (f->rk == R_EL20 ? HCR_E2H : 0));
	tcr = (64 - ias1) | (1 << 8) | (1 << 10) | (3 << 12) | (tg0_enc(g1) << 14);
	if (f->rk == R_EL2) {
		tcr |= ((uint64_t)ps_enc(oasz1) << 16) | (1ULL << 23) | (1ULL << 31) |
		       ((uint64_t)c->s1.tbi << 20);
		set_reg(s, ORB_TCR_EL2, tcr);
		set_reg(s, ORB_TTBR0_EL2, c->s1.root->pa);
		set_reg(s, ORB_MAIR_EL2, c->mair);
	} else {
		tcr |= ((uint64_t)ps_enc(oasz1) << 32) | ((uint64_t)c->s1.tbi << 37) |
		       ((uint64_t)c->s1hi.tbi << 38);
		if (c->has_hi)
			tcr |= ((uint64_t)(64 - ias1hi) << 16) | (1 << 24) | (1 << 26) |
			       (3 << 28) | (tg1_enc(ghi) << 30);
		else
			tcr |= (1 << 23) | (tg1_enc(12) << 30);	/* EPD1: TTBR1 walks fault */
		if (f->rk == R_EL20) {
			set_reg(s, ORB_TCR_EL2, tcr);
			uint64_t asid = (uint64_t)rndn(256) << 48;

			set_reg(s, ORB_TTBR0_EL2, asid | c->s1.root->pa);
			set_reg(s, ORB_TTBR1_EL2, c->has_hi ? asid | c->s1hi.root->pa : 0);
			set_reg(s, ORB_MAIR_EL2, c->mair);
		} else {
			uint64_t asid = (uint64_t)rndn(256) << 48;

			set_reg(s, ORB_TCR_EL1, tcr);
			set_reg(s, ORB_TTBR0_EL1, asid | table_addr(&c->s1, c->s1.root));
			set_reg(s, ORB_TTBR1_EL1, c->has_hi ?
				asid | table_addr(&c->s1hi, c->s1hi.root) : 0);
			set_reg(s, ORB_MAIR_EL1, c->mair);
			set_reg(s, ORB_SCTLR_EL1, SCTLR_EL1_ON & ~(c->s1off ? 1ULL : 0));
		}
	}
	if (c->vm) {
		unsigned sl0 = g2 == 12 ? 2 - (unsigned)sl2 : 3 - (unsigned)sl2;

		set_reg(s, ORB_VTCR_EL2, (64 - ias2) | (sl0 << 6) | (1 << 8) | (1 << 10) |
			(3 << 12) | (tg0_enc(g2) << 14) | ((uint64_t)ps_enc(ps) << 16) |
			(1ULL << 31));
		set_reg(s, ORB_VTTBR_EL2, ((uint64_t)(1 + rndn(255)) << 48) | c->s2.root->pa);
	}

	/* queries */
	s->nq = 0;
	for (int i = 0; i < c->np; i++) {
		uint32_t ops[12];
		int nops;

		if (c->p[i].dropped)
			continue;
		op_list(c, ops, &nops);
		for (int j = 0; j < nops; j++) {
			uint64_t va = c->p[i].va;
			bool up = (va >> 55) & 1;

			if (s->nq == s->qcap) {
				s->qcap = s->qcap ? 2 * s->qcap : 64;
				s->q = xrealloc(s->q, (size_t)s->qcap * sizeof(*s->q));
			}
			/* TBI: the top byte is ignored, so a tag must not change the answer */
			if ((!up && c->s1.tbi) || (up && c->has_hi && c->s1hi.tbi)) {
				va &= ~(0xffULL << 56);
				va |= (uint64_t)rndn(256) << 56;
			}
			s->q[s->nq].op = ops[j];
			s->q[s->nq].va = va;
			s->q[s->nq].par = expect(c, &c->p[i], ops[j]);
			s->q[s->nq].qemu72 = 0;
			if (c->p[i].where == W_PTW && c->p[i].s2flevel != c->p[i].flevel)
				s->q[s->nq].qemu72 = par_fault(c->p[i].fk, c->p[i].flevel, true,
							       true);
			s->q[s->nq].probe = i;
			s->nq++;
		}
	}
	ram_next = (s->next + 0xfffff) & ~0xfffffULL;
}

/* ---------------------------------------------------------------- output */

struct buf {
	uint8_t *p;
	size_t n, cap;
};

static void put(struct buf *b, const void *d, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, d, n);
	b->n += n;
}

static void blob_scenario(struct buf *b, const struct scn *s)
{
	struct orb_scn h = { ORB_SCN_MAGIC, ORB_NREGS, 0, (uint32_t)s->nq };
	size_t hpos = b->n;

	put(b, &h, sizeof(h));
	for (uint32_t i = 0; i < ORB_NREGS; i++) {
		struct orb_reg r = { i, 0, s->reg[i].v };

		put(b, &r, sizeof(r));
	}
	for (int k = 0; k < s->ntab; k++)
		for (uint32_t i = 0; i < s->tab[k].size / 8; i++)
			if (s->tab[k].w[i]) {
				struct orb_mem m = { s->tab[k].pa + 8 * i, s->tab[k].w[i] };

				put(b, &m, sizeof(m));
				h.nmem++;
			}
	for (int i = 0; i < s->nq; i++) {
		struct orb_query q = { s->q[i].op, 0, s->q[i].va };

		put(b, &q, sizeof(q));
	}
	memcpy(b->p + hpos, &h, sizeof(h));
}

static void trace_scenario(FILE *f, const struct scn *s, const struct ctx *c, int n,
			   const uint64_t *got)
{
	int last = -1;

	fprintf(f, "\n# ---- scenario %d: %s\n", n, s->title);
	fprintf(f, "ram 0x%" PRIx64 " 0x%" PRIx64 "\n", s->base,
		(s->next - s->base + 0xffff) & ~(uint64_t)0xffff);
	/* exactly what the oracle program does: base state, memory, registers */
	fprintf(f, "reg SCTLR_EL2 0x%llx\nreg HCR_EL2 0x0\ntlbi ALLE2IS\ntlbi ALLE1IS\n",
		(unsigned long long)SCTLR_EL2_OFF);
	for (int k = 0; k < s->ntab; k++)
		for (uint32_t i = 0; i < s->tab[k].size / 8; i++)
			if (s->tab[k].w[i])
				fprintf(f, "mem64 0x%" PRIx64 " 0x%016" PRIx64 "\n",
					s->tab[k].pa + 8 * i, s->tab[k].w[i]);
	for (int i = 0; i < ORB_NREGS; i++) {
		if (i == ORB_SCTLR_EL2)
			fputs("tlbi ALLE2IS\ntlbi ALLE1IS\n", f);
		fprintf(f, "reg %s 0x%" PRIx64 "\n", reg_name[i], s->reg[i].v);
	}
	for (int i = 0; i < s->nq; i++) {
		if (s->q[i].probe != last) {
			last = s->q[i].probe;
			fprintf(f, "# %s\n", c->p[last].note);
		}
		fprintf(f, "at %s 0x%" PRIx64 " 0x%" PRIx64 "%s\n", op_name[s->q[i].op],
			s->q[i].va, s->q[i].par,
			got[i] == s->q[i].par ? "" : got[i] == s->q[i].qemu72 ?
			"   # QEMU 7.2: the stage-1 level (7c)" : "   # QEMU 7.2: SH of Device/NC (7b)");
	}
}

/* The only difference from the architectural answer QEMU 7.2 is allowed: PAR.SH of a
 * Device or Normal Non-cacheable result (it copies the descriptor's SH). */
static bool sh_deviation(uint64_t want, uint64_t got)
{
	unsigned attr = (unsigned)(want >> 56);

	if (want & 1)
		return false;
	if ((attr & 0xf0) != 0 && attr != 0x44)
		return false;
	return (want & ~0x180ULL) == (got & ~0x180ULL);
}

static int parse_hex(const char *s, uint64_t *v)
{
	char *end;

	if (strlen(s) != 16)
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 16);
	return errno || *end ? -1 : 0;
}

/* ---------------------------------------------------------------- families */

#define W_DEFAULT { 10, 3, 1, 2, 2, 3, 2, 2, 3, 1, 1 }
#define W_PTWMOST { 2, 0, 0, 0, 0, 0, 0, 0, 12, 0, 0 }

#define W_S1MOST { 4, 6, 2, 4, 6, 0, 0, 0, 0, 1, 0 }
#define W_S2MOST { 3, 0, 0, 0, 0, 6, 4, 6, 0, 0, 2 }

#define FAM(n, c, r, v, g1, g2, cc, h, rp, ns, np, ...) \
	{ .name = n, .covers = c, .rk = r, .vm = v, .s1gran = g1, .s2gran = g2, .concat = cc, \
	  .hi = h, .rootptw = rp, .nscn = ns, .nprobe = np, .s2sl = -1, .w = __VA_ARGS__ }

static const struct family families[] = {
	FAM("s1-4k", "EL1&0 stage 1 only (HCR_EL2.VM=0), 4K granule", R_EL10, false, 12, 0, -1,
	    1, 0, 16, 16, W_DEFAULT),
	FAM("s1-16k", "EL1&0 stage 1 only (HCR_EL2.VM=0), 16K granule", R_EL10, false, 14, 0,
	    -1, 1, 0, 16, 16, W_DEFAULT),
	FAM("s1-64k", "EL1&0 stage 1 only (HCR_EL2.VM=0), 64K granule", R_EL10, false, 16, 0,
	    -1, 1, 0, 16, 16, W_DEFAULT),
	FAM("s12-4k", "EL1&0 two-stage walks, stage 2 4K granule (stage 1 any granule)",
	    R_EL10, true, 0, 12, -1, 1, 0, 16, 16, W_DEFAULT),
	FAM("s12-16k", "EL1&0 two-stage walks, stage 2 16K granule (stage 1 any granule)",
	    R_EL10, true, 0, 14, -1, 1, 0, 16, 16, W_DEFAULT),
	FAM("s12-64k", "EL1&0 two-stage walks, stage 2 64K granule (stage 1 any granule)",
	    R_EL10, true, 0, 16, -1, 1, 0, 16, 16, W_DEFAULT),
	FAM("s2-4k-concat", "stage 2 4K granule with 2, 4, 8 and 16 concatenated root tables",
	    R_EL10, true, 0, 12, -2, 0, 0, 12, 14, W_DEFAULT),
	FAM("s2-16k-concat", "stage 2 16K granule with 2, 4, 8 and 16 concatenated root tables",
	    R_EL10, true, 0, 14, -2, 0, 0, 12, 14, W_DEFAULT),
	FAM("s2-64k-concat", "stage 2 64K granule with 2, 4, 8 and 16 concatenated root tables",
	    R_EL10, true, 0, 16, -2, 0, 0, 12, 14, W_DEFAULT),
	FAM("el2", "EL2 regime, HCR_EL2.E2H=0 (TTBR0_EL2, EL2 TCR layout), AT S1E2R/W", R_EL2,
	    false, 0, 0, -1, 0, 0, 24, 28, W_DEFAULT),
	FAM("el20-vhe", "EL2&0 regime, HCR_EL2.E2H=1 (TTBR0/1_EL2, EL1 TCR layout), AT S1E2R/W",
	    R_EL20, false, 0, 0, -1, 1, 0, 24, 28, W_DEFAULT),
	FAM("faults-s1", "stage-1 faults of every kind and level, EL1&0 with stage 2 (any "
	    "granules)",
	    R_EL10, true, 0, 0, -1, 1, 0, 12, 16, W_S1MOST),
	FAM("faults-s2", "stage-2 faults of every kind and level (4K stage 2, often from L0)",
	    R_EL10, true, 0, 12, -1, 0, 0, 12, 16, W_S2MOST),
	FAM("faults-s1ptw", "stage-2 faults on the stage-1 table walk (S1PTW), every kind, "
	    "including the root table", R_EL10, true, 0, 0, -1, 0, 1, 20, 14, W_PTWMOST),
	{ .name = "faults-s1ptw-l1", .covers = "S1PTW faults of every kind at levels 1-3: 4K "
	  "stage 1 from L0 over a 4K stage 2 from L1 (PS 44)", .rk = R_EL10, .vm = true,
	  .s1gran = 12, .s2gran = 12, .concat = -1, .s2sl = 1, .s1ias_min = 40, .nscn = 8,
	  .nprobe = 14, .w = W_PTWMOST },
	{ .name = "s1-off", .covers = "EL1&0 with SCTLR_EL1.M=0 (flat, Device-nGnRnE), with "
	  "and without stage 2", .rk = R_EL10, .vm = true, .s2gran = 0, .concat = -1,
	  .s2sl = -1, .s1off = true, .nscn = 12, .nprobe = 16,
	  .w = { 8, 0, 0, 0, 0, 2, 2, 2, 0, 2, 2 } },
	{ .name = "faults-s1ptw-xlevel", .covers = "S1PTW faults where the stage-2 walk fails "
	  "at another level than the stage-1 table's (architectural level, see 7c)",
	  .rk = R_EL10, .vm = true, .s2gran = 12, .concat = -1, .s2sl = -1, .nscn = 8,
	  .nprobe = 14, .xlevel = true, .w = W_PTWMOST },
};

static uint64_t hash_name(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	while (*s)
		h = (h ^ (uint8_t)*s++) * 0x100000001b3ULL;
	return h;
}

static void run_qemu(const char *qemu, const char *elf, const char *blob, int nscn,
		     struct scn *s, uint64_t **got, char *cmdline, size_t cmdsz)
{
	char cmd[16384], line[256];
	FILE *p;
	int scn = -1, q = 0, state = 0, rc;

	snprintf(cmdline, cmdsz, "timeout 20 qemu-system-aarch64 -M virt,virtualization=on "
		 "-cpu max -m 1G -nographic -kernel oracle.elf -device loader,file=BLOB,"
		 "addr=0x%lx,force-raw=on", (unsigned long)ORB_BLOB_BASE);
	snprintf(cmd, sizeof(cmd), "timeout 20 '%s' -M virt,virtualization=on -cpu max -m 1G "
		 "-nographic -kernel '%s' -device loader,file='%s',addr=0x%lx,force-raw=on "
		 "</dev/null 2>&1", qemu, elf, blob, (unsigned long)ORB_BLOB_BASE);
	p = popen(cmd, "r");
	if (!p)
		die("cannot run %s", qemu);
	while (fgets(line, sizeof(line), p)) {
		char a[32], b[32], c3[32];
		uint64_t v;
		int n;

		line[strcspn(line, "\r\n")] = 0;
		if (state == 0) {
			if (strcmp(line, "ORACLE 1"))
				die("QEMU: unexpected first line '%s'", line);
			state = 1;
		} else if (sscanf(line, "S %d", &n) == 1 && state == 1) {
			if (n != scn + 1 || (scn >= 0 && q != s[scn].nq))
				die("QEMU: scenario %d out of order ('%s')", n, line);
			scn = n;
			q = 0;
		} else if (sscanf(line, "P %31s", a) == 1 && state == 1 && scn >= 0) {
			if (q >= s[scn].nq || parse_hex(a, &v))
				die("QEMU: scenario %d: bad line '%s'", scn, line);
			got[scn][q++] = v;
		} else if (sscanf(line, "DONE %d", &n) == 1 && state == 1) {
			if (n != nscn || scn != nscn - 1 || q != s[scn].nq)
				die("QEMU: incomplete run ('%s')", line);
			state = 2;
		} else if (sscanf(line, "R %d %31s %31s", &n, a, b) == 3) {
			die("QEMU: scenario %d: register %s written %s, read back %s", scn,
			    n >= 0 && n < ORB_NREGS ? reg_name[n] : "?", a, b);
		} else if (sscanf(line, "X %31s %31s %31s", a, b, c3) == 3) {
			die("QEMU: scenario %d query %d: exception ESR=%s ELR=%s FAR=%s", scn, q,
			    a, b, c3);
		} else {
			die("QEMU: unexpected line '%s'", line);
		}
	}
	rc = pclose(p);
	rc = rc != -1 && WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
	if (state != 2 || rc != 0)
		die("QEMU run incomplete (exit status %d%s)", rc,
		    rc == 124 ? ": killed by timeout 20" : "");
}

int main(int argc, char **argv)
{
	const struct family *f = NULL;
	struct scn *s;
	struct ctx *c;
	uint64_t **got, seed;
	struct buf b = { 0 };
	struct orb_hdr h = { ORB_MAGIC, 0 };
	uint32_t end = ORB_END_MAGIC;
	char blob[4096], tmp[4096], ver[256] = "unknown", cmdline[512], vcmd[4200];
	int nq = 0, ndev = 0, ndev7c = 0, ndrop = 0, nprobe = 0, nkind[P_NKIND] = { 0 };
	FILE *o, *vp;

	if (argc != 6) {
		fprintf(stderr, "usage: oragen FAMILY SEED ORACLE_ELF QEMU OUT.trace\n"
			"families:");
		for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
			fprintf(stderr, " %s", families[i].name);
		fputc('\n', stderr);
		return 2;
	}
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (!strcmp(families[i].name, argv[1]))
			f = &families[i];
	if (!f)
		die("unknown family '%s'", argv[1]);
	seed = strtoull(argv[2], NULL, 0);
	for (int i = 3; i < 6; i++)
		if (strlen(argv[i]) > 3000 || strchr(argv[i], '\''))
			die("path too long or contains a quote: %s", argv[i]);
	rng_state = seed ^ hash_name(f->name);

	s = xcalloc((size_t)f->nscn, sizeof(*s));
	c = xcalloc((size_t)f->nscn, sizeof(*c));
	got = xcalloc((size_t)f->nscn, sizeof(*got));
	h.nscn = (uint32_t)f->nscn;
	put(&b, &h, sizeof(h));
	for (int n = 0; n < f->nscn; n++) {
		c[n].s = &s[n];
		build_scenario(&c[n], f, n);
		blob_scenario(&b, &s[n]);
		got[n] = xcalloc((size_t)s[n].nq + 1, sizeof(uint64_t));
		nq += s[n].nq;
		for (int i = 0; i < c[n].np; i++) {
			if (c[n].p[i].dropped) {
				ndrop++;
				continue;
			}
			nprobe++;
			nkind[c[n].p[i].kind]++;
		}
	}
	put(&b, &end, sizeof(end));
	if (b.n > ORB_BLOB_MAX)
		die("blob too large (%zu bytes)", b.n);

	snprintf(blob, sizeof(blob), "%s.blob", argv[5]);
	o = fopen(blob, "wb");
	if (!o || fwrite(b.p, 1, b.n, o) != b.n || fclose(o))
		die("cannot write %s", blob);
	snprintf(vcmd, sizeof(vcmd), "'%s' --version", argv[4]);
	vp = popen(vcmd, "r");
	if (vp) {
		if (fgets(ver, sizeof(ver), vp))
			ver[strcspn(ver, "\r\n")] = 0;
		pclose(vp);
	}
	run_qemu(argv[4], argv[3], blob, f->nscn, s, got, cmdline, sizeof(cmdline));
	unlink(blob);

	for (int n = 0; n < f->nscn; n++)
		for (int i = 0; i < s[n].nq; i++) {
			const struct query *q = &s[n].q[i];

			if (got[n][i] == q->par)
				continue;
			if (sh_deviation(q->par, got[n][i])) {
				ndev++;
				continue;
			}
			if (q->qemu72 && got[n][i] == q->qemu72) {
				ndev7c++;
				continue;
			}
			die("scenario %d (%s): at %s 0x%" PRIx64 ": QEMU 0x%" PRIx64 ", expected "
			    "0x%" PRIx64, n, c[n].p[q->probe].note, op_name[q->op], q->va,
			    got[n][i], q->par);
		}

	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[5]);
	o = fopen(tmp, "w");
	if (!o)
		die("cannot write %s", tmp);
	fprintf(o, "el2emu-trace 1\n"
		"# QEMU oracle corpus, family %s: %s.\n"
		"# Produced by tests/oracle/oragen (seed %" PRIu64 ") with %s:\n"
		"#   %s\n"
		"# (oracle.elf: tests/oracle/guest; BLOB: the scenarios below, as oragen wrote\n"
		"# them.) %d scenarios, %d probes, %d `at` expectations. Each expectation is\n"
		"# QEMU's PAR_EL1, which oragen also derived from the Arm ARM rules for the\n"
		"# tables it built; they agree except in %d queries where QEMU 7.2 copies the\n"
		"# descriptor's SH for a Device or Normal Non-cacheable result: there the corpus\n"
		"# holds the architectural SH=0b10 (PAREncodeShareability()). PAR.NS=1 on success\n"
		"# as QEMU reports it (UNKNOWN in the architecture). See docs/qemu-oracle.md.\n"
		"# Each scenario declares its own `ram` and writes every register; registers and\n"
		"# memory are the ones the oracle program used.\n",
		f->name, f->covers, seed, ver, cmdline, f->nscn, nprobe, nq, ndev);
	if (ndev7c)
		fprintf(o, "# In %d queries QEMU 7.2 reports the stage-1 level of an S1PTW fault;\n"
			"# the corpus holds the level of the stage-2 walk, as the architecture\n"
			"# (and QEMU 10) does: docs/qemu-oracle.md, 7c.\n", ndev7c);
	for (int n = 0; n < f->nscn; n++)
		trace_scenario(o, &s[n], &c[n], n, got[n]);
	if (fclose(o) || rename(tmp, argv[5]))
		die("cannot write %s", argv[5]);

	fprintf(stderr, "%s: %d scenarios, %d probes (%d dropped), %d queries, %d SH corrected;"
		" %d S1PTW level corrected; kinds:", f->name, f->nscn, nprobe, ndrop, nq, ndev,
		ndev7c);
	for (int k = 0; k < P_NKIND; k++)
		fprintf(stderr, " %d", nkind[k]);
	fputc('\n', stderr);
	for (int n = 0; n < f->nscn; n++) {
		free(got[n]);
		free(s[n].q);
		for (int k = 0; k < s[n].ntab; k++) {
			free(s[n].tab[k].w);
			free(s[n].tab[k].own);
		}
	}
	free(got);
	free(s);
	free(c);
	free(b.p);
	return 0;
}

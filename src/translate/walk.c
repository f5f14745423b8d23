/* The VMSAv8-64 walk: stage 1 (AArch64.S1Translate, AArch64.S1Walk), stage 2
 * (AArch64.S2Translate, AArch64.S2Walk) and the two-stage EL1&0 walk in which every
 * stage-1 table address is translated by stage 2. No allocation, no I/O except through
 * ctx->mem. */
#include <string.h>

#include "tr_internal.h"

#define DESC_AF TR_BIT(10)
#define DESC_DBM TR_BIT(51)
#define DESC_CONTIG TR_BIT(52)
#define DESC_AP2 TR_BIT(7)	/* stage 1 AP[2] (read-only); stage 2 S2AP[1] (write) */
#define CAS_RETRIES 4

/* Builtin stage 2, used as the hook of the two-stage walk: parameters decoded once. */
struct s2_builtin {
	const struct tr_ctx *ctx;
	const struct tr_params *p;
};

/* What the walk loop found at the leaf. */
struct leaf {
	uint64_t desc, desc_ia, desc_pa, oa;
	int8_t level;
	uint8_t lsb;
	uint8_t aptable;	/* APTable bits OR-ed over the table levels */
	bool xnt, pxnt;		/* UXNTable/XNTable, PXNTable OR-ed over the table levels */
};

static uint64_t bswap64(uint64_t v)
{
	return __builtin_bswap64(v);
}

static void fault_init(struct tr_fault *f, enum tr_fault_type t, int level)
{
	f->type = t;
	f->level = (int8_t)level;
}

/* A fault found by the walk itself starts from a clean record; s2_translate() adds the
 * stage-2 fields (IPA, S1PTW, WnR) on its way out, s1_translate() the VA. */
static void walk_fault(struct tr_fault *f, const struct tr_params *p, enum tr_fault_type t,
		       int level)
{
	memset(f, 0, sizeof(*f));
	f->stage2 = p->stage == 2;
	fault_init(f, t, level);
}

/* AArch64.BlockDescSupported(): 64K level 1 blocks depend on PAMax, not on PS. */
static bool block_ok(const struct tr_params *p, int level)
{
	switch (p->gbits) {
	case 12:
		return level == 1 || level == 2 || (level == 0 && p->ds);
	case 14:
		return level == 2 || (level == 1 && p->ds);
	default:
		return level == 2 || (level == 1 && p->blk64_l1);
	}
}

/* Output or next-table address held by a descriptor (AArch64.NextTableBase,
 * AArch64.LeafBase): DS puts OA[51:50] in bits [9:8], the 64K 52-bit format puts
 * OA[51:48] in bits [15:12]. */
static inline __attribute__((always_inline)) uint64_t
desc_addr(bool ds, bool oa52_64k, uint64_t desc, unsigned lsb)
{
	if (ds)
		return (desc & TR_MASK(49, lsb)) | TR_FIELD(desc, 9, 8) << 50;
	if (oa52_64k)
		return (desc & TR_MASK(47, lsb)) | TR_FIELD(desc, 15, 12) << 48;
	return desc & TR_MASK(47, lsb);
}

static void log_read(const struct tr_ctx *ctx, const struct tr_params *p, int level,
		     uint64_t table_ia, uint64_t desc_ia, uint64_t desc_pa, uint64_t idx,
		     uint64_t desc, bool s1ptw)
{
	struct tr_walk_log *log = ctx->log;

	if (log->n < TR_LOG_MAX) {
		struct tr_log_entry *e = &log->e[log->n];

		e->stage = p->stage;
		e->level = (int8_t)level;
		e->table_ia = table_ia;
		e->table_pa = desc_pa - (desc_ia - table_ia);
		e->index = (uint32_t)idx;
		e->desc_pa = desc_pa;
		e->desc = desc;
		e->s1ptw = s1ptw;
	}
	log->n++;
}

/* No PA: the value the s2_table_pa_*() copies return on a fault (PAs have at most 52 bits). */
#define NO_PA (~0ull)

static uint64_t s2_table_pa_plain(const struct tr_ctx *ctx, const struct tr_params *p,
				  uint64_t ipa, struct tr_fault *fault);
static uint64_t s2_table_pa_any(const struct tr_ctx *ctx, const struct tr_params *p,
				uint64_t ipa, struct tr_fault *fault);

/* The table walk loop shared by both stages (AArch64.S1Walk / AArch64.S2Walk): finds
 * the leaf for ia, or a Translation, Address size or External abort fault. For stage 1
 * under stage 2, the builtin stage 2 (s2p) or a hook (s2) translates each table address
 * (a stage-2 fault is returned as is). Inlined so that each stage gets its own loop;
 * ds, oa52 and ee are p's, or constants in the copies specialised for the common
 * formats (fmt_plain()), and logging is ctx->log != NULL or a constant false. s2_plain:
 * fmt_plain() holds for s2p. */
static inline __attribute__((always_inline)) bool
walk(const struct tr_ctx *ctx, const struct tr_params *p, uint64_t ia,
     const struct tr_params *s2p, const bool s2_plain, const struct tr_s2_hook *s2,
     bool s1ptw_log, struct leaf *lf, struct tr_fault *fault, const bool ds, const bool oa52,
     const bool ee, const bool logging)
{
	/* Locals, so that the parameters stay in registers across the read64 calls. */
	const unsigned gbits = p->gbits, stride = p->stride, oa_bits = p->oa_bits;
	const uint64_t table_mask = p->table_mask, idx_mask = (1ull << stride) - 1;
	const bool tattrs = p->stage == 1 && !p->hpd;
	uint64_t table = p->ttb;
	int level = p->start_level;
	unsigned lsb = p->start_lsb;
	uint64_t idx = (ia >> lsb) & p->start_idx_mask;
	unsigned aptable = 0;
	bool xnt = false, pxnt = false;

	for (;;) {
		uint64_t desc_ia = table + idx * 8, desc_pa = desc_ia, desc;

		if (s2p) {
			desc_pa = s2_plain ? s2_table_pa_plain(ctx, s2p, desc_ia, fault) :
				  s2_table_pa_any(ctx, s2p, desc_ia, fault);
			if (__builtin_expect(desc_pa == NO_PA, 0))
				return false;
		} else if (s2) {
			struct tr_access racc = { .type = TR_ACC_READ, .el = 1 };
			struct tr_result r2;

			if (!s2->xlate(s2->ctx, desc_ia, &racc, true, &r2, fault))
				return false;
			desc_pa = r2.oa;
		}
		if (__builtin_expect(!ctx->mem.read64(ctx->mem.ctx, desc_pa, &desc), 0)) {
			walk_fault(fault, p, TR_FAULT_EXT_ABORT_WALK, level);
			fault->pa = desc_pa;
			return false;
		}
		if (ee)
			desc = bswap64(desc);
		if (logging)
			log_read(ctx, p, level, table, desc_ia, desc_pa, idx, desc, s1ptw_log);

		if (__builtin_expect(!(desc & 1), 0)) {
			walk_fault(fault, p, TR_FAULT_TRANSLATION, level);
			return false;
		}
		if (level < 3 && (desc & 2)) {
			/* Table descriptor (level -1 holds tables only). */
			uint64_t next = ds || oa52 ? desc_addr(ds, oa52, desc, gbits) :
					desc & table_mask;

			if (__builtin_expect(next >> oa_bits != 0, 0)) {
				walk_fault(fault, p, TR_FAULT_ADDRSIZE, level);
				return false;
			}
			/* Hierarchical attributes, ignored at stage 2 and with TCR.HPD. */
			if (tattrs) {
				aptable |= TR_FIELD(desc, 62, 61);
				xnt |= (desc >> 60) & 1;
				pxnt |= (desc >> 59) & 1;
			}
			table = next;
			level++;
			lsb -= stride;
			idx = (ia >> lsb) & idx_mask;
			continue;
		}
		/* Page at level 3 needs bits[1:0]=11; a block needs a level that supports
		 * it (AArch64.BlockDescSupported); else reserved: invalid. */
		if ((level == 3 && !(desc & 2)) || (level < 3 && !block_ok(p, level))) {
			walk_fault(fault, p, TR_FAULT_TRANSLATION, level);
			return false;
		}
		lf->oa = desc_addr(ds, oa52, desc, lsb);
		if (lf->oa >> oa_bits) {
			walk_fault(fault, p, TR_FAULT_ADDRSIZE, level);
			return false;
		}
		lf->oa |= ia & ((1ull << lsb) - 1);
		lf->desc = desc;
		lf->desc_ia = desc_ia;
		lf->desc_pa = desc_pa;
		lf->level = (int8_t)level;
		lf->lsb = (uint8_t)lsb;
		lf->aptable = (uint8_t)aptable;
		lf->xnt = xnt;
		lf->pxnt = pxnt;
		return true;
	}
}

/* Whether a hardware update can be made (or, for an inspection walk, pretended). */
static bool hw_update_possible(const struct tr_ctx *ctx)
{
	return ctx->no_side_effects || ctx->mem.cas64;
}

/* AArch64.MemSwapTableDesc(): 0 done, 1 the descriptor changed under us (walk again),
 * -1 external abort. */
static int swap_desc(const struct tr_ctx *ctx, const struct tr_params *p, uint64_t pa,
		     uint64_t old, uint64_t new)
{
	uint64_t seen;

	if (ctx->no_side_effects)
		return 0;
	if (p->ee) {
		old = bswap64(old);
		new = bswap64(new);
	}
	if (!ctx->mem.cas64(ctx->mem.ctx, pa, old, new, &seen))
		return -1;
	return seen == old ? 0 : 1;
}

static uint8_t desc_sh(const struct tr_params *p, uint64_t desc)
{
	uint8_t sh = p->ds ? p->ds_sh : (uint8_t)TR_FIELD(desc, 9, 8);

	/* IMPDEF: the reserved SH=01 is treated as Non-shareable. */
	return sh == 1 ? 0 : sh;
}

/* Stage-1 permissions (AArch64.S1DirectBasePermissions, Arm ARM D8.4). Bits TR_PERM_*,
 * from AP[2:1] as given (the caller applies DBM), APTable OR-ed over the table levels,
 * pxn/uxn: PXN or PXNTable, UXN/XN or (U)XNTable, and pan: PSTATE.PAN applies to this
 * access (FEAT_PAN, a privileged data access with acc->pan). */
static uint8_t s1_perms(const struct tr_params *p, unsigned ap, unsigned aptable, bool pxn,
			bool uxn, bool pan)
{
	bool pr, pw, ur, uw, px, ux;

	if (p->two_priv) {
		pr = true;
		pw = !(ap & 2);
		ur = ap & 1;
		uw = (ap & 1) && !(ap & 2);
		if (aptable & 1)		/* APTable[0]: no EL0 access below */
			ur = uw = false;
		if (aptable & 2)		/* APTable[1]: no write access below */
			pw = uw = false;
		/* Locations writable at EL0 are not executable at EL1 (S1DirectBasePermissions). */
		px = !(pxn || uw);
		ux = !uxn;
		/* PSTATE.PAN: privileged data accesses to EL0-readable memory fault. */
		if (pan && ur)
			pr = pw = false;
		if (p->wxn) {
			if (pw)
				px = false;
			if (uw)
				ux = false;
		}
	} else {
		/* One privilege level: AP[1] RES1, bit 54 is XN, PXN RES0. */
		pr = true;
		pw = !(ap & 2) && !(aptable & 2);
		ur = uw = ux = false;
		px = !uxn;
		if (p->wxn && pw)
			px = false;
	}
	return (uint8_t)((ur ? TR_PERM_R0 : 0) | (uw ? TR_PERM_W0 : 0) | (ux ? TR_PERM_X0 : 0) |
			 (pr ? TR_PERM_R1 : 0) | (pw ? TR_PERM_W1 : 0) | (px ? TR_PERM_X1 : 0));
}

/* Index of the stage-1 permission table: AP[2:1], APTable, PXN, UXN, PAN (s1_perms()). */
static inline unsigned perm_index(unsigned ap, unsigned aptable, bool pxn, bool uxn, bool pan)
{
	return ap | aptable << 2 | (unsigned)pxn << 4 | (unsigned)uxn << 5 | (unsigned)pan << 6;
}

/* Stage-1 permissions of a leaf: from the table of cached parameters, or computed. */
static inline uint8_t leaf_perms(const struct tr_params *p, uint64_t desc, unsigned ap,
				 const struct leaf *lf, bool pan)
{
	bool pxn = (desc & TR_BIT(53)) || lf->pxnt, uxn = (desc & TR_BIT(54)) || lf->xnt;

	if (p->perm_tab)
		return p->s1_perm[perm_index(ap, lf->aptable, pxn, uxn, pan)];
	return s1_perms(p, ap, lf->aptable, pxn, uxn, pan);
}

/* ---- Decoded parameters, cached (struct tr_cache) ---- */

/* Stage-1 attributes of AttrIndx idx (AArch64.S1AttrDecode()): MAIR_ELx.Attr<idx>, with
 * SCTLR_ELx.C / I = 0 making Normal memory Non-cacheable (instruction fetches from
 * Device memory too, then Outer Shareable). */
static void s1_attr_entry(const struct tr_params *p, bool exec, unsigned idx,
			  struct tr_s1_attr *e)
{
	struct tr_memattrs *m = &e->m;

	tr_mair_decode((uint8_t)(p->mair >> (8 * idx)), m);
	e->sh2 = false;
	if (exec ? (m->device || !p->icache) : (!m->device && !p->dcache)) {
		e->sh2 = m->device;
		m->device = false;
		m->in = m->out = TR_CA_NC;
		m->in_hints = m->out_hints = 0;
		m->in_tr = m->out_tr = false;
	}
	e->enc = tr_mair_encode(m);
	/* PAREncodeShareability(): with m->sh still 0, 0b10 means Device or Non-cacheable. */
	e->par_sh2 = tr_par_sh(m) == 2;
}

/* The attribute and permission tables of cached stage-1 parameters. */
static void s1_attr_table(struct tr_params *p)
{
	for (unsigned x = 0; x < 2; x++)
		for (unsigned i = 0; i < 8; i++)
			s1_attr_entry(p, x, i, &p->s1_attr[x][i]);
	p->attr_tab = true;
	for (unsigned i = 0; i < sizeof(p->s1_perm); i++)
		p->s1_perm[i] = s1_perms(p, i & 3, (i >> 2) & 3, (i >> 4) & 1, (i >> 5) & 1,
					 (i >> 6) & 1);
	p->perm_tab = true;
}

enum { SLOT_S2 = 2 * 3 };

/* Whether c's decodes are those of ctx's registers and features. */
static inline bool cache_current(const struct tr_cache *c, const struct tr_ctx *ctx)
{
	return !memcmp(&c->regs, ctx->regs, sizeof(c->regs)) &&
	       !memcmp(&c->feat, ctx->feat, sizeof(c->feat));
}

/* ctx->cache, emptied first when the registers or features differ from those its slots
 * were decoded from, and marked in use until cache_leave(); NULL without a cache. Called
 * once per walk, at its entry point. A walk nested in another one on the same cache (a
 * tr_s2_hook that walks, maybe with other registers) gets NULL: redecoding would change
 * the parameters under the outer walk. */
static struct tr_cache *cache_enter(const struct tr_ctx *ctx)
{
	struct tr_cache *c = ctx->cache;

	if (!c || c->busy)
		return NULL;
	if (!cache_current(c, ctx)) {
		c->regs = *ctx->regs;
		c->feat = *ctx->feat;
		c->valid = 0;
		memset(c->comb, 0, sizeof(c->comb));
	}
	c->busy = true;
	return c;
}

static void cache_leave(struct tr_cache *c)
{
	if (c)
		c->busy = false;
}

/* ---- The two-stage fast path ----
 * A two-stage EL1&0 walk that meets no fault and makes no hardware update, on cached
 * parameters of the plain formats, is done by el10_fast(): the same reads as the general
 * walk (24 for 4+4 levels), each descriptor tested by one mask and compare. Anything else (a
 * fault, an Access flag or dirty state to update, a reserved or out-of-range descriptor)
 * makes it give up, and the general walk starts again from the beginning: a walk has no
 * side effect before its leaf, and table walks may be made speculatively, so an abandoned
 * one is one that could have happened. Its results are checked against the general
 * walk's by tests/translate/test_fast.c. */

#define S2_R TR_BIT(6)	/* S2AP[0]: stage-2 read permission */
#define FAST_NEVER (~0ull)	/* a want no masked descriptor equals */

static inline __attribute__((always_inline)) uint8_t
s2_perm_bits(const struct tr_params *p, uint64_t desc, uint8_t *pxn);

/* The descriptor tests of p (see struct tr_params), made when p enters the cache. */
static void fast_setup(struct tr_params *p)
{
	const uint64_t oa_hi = p->oa_bits < 48 ? TR_MASK(47, p->oa_bits) : 0;
	unsigned lsb = p->gbits + 3u * p->stride;	/* level 0 */

	p->fast = !p->ds && !p->oa52_64k && !p->ee && p->setup_fault == TR_FAULT_NONE &&
		  p->start_level >= 0 && !p->epd && !p->ttb_oor &&
		  (p->stage == 2 ? !p->ptw : p->s1_enabled && p->attr_tab && p->perm_tab);
	p->fast_table = 3 | oa_hi;
	for (int l = 0; l < 4; l++, lsb -= p->stride) {
		/* AArch64.S1Walk/S2Walk: a page at level 3, a block where the granule has
		 * one; the output address within the OA size; AF=1 (no fault, no update);
		 * not DBM under HD (writable for the permission checks: the general path). */
		p->fast_leaf_mask[l] = 3 | DESC_AF | (oa_hi & TR_MASK(47, lsb)) |
				       (p->hd ? DESC_DBM : 0);
		p->fast_leaf_want[l] = l == 3 ? 3 | DESC_AF :
				       block_ok(p, l) ? 1 | DESC_AF : FAST_NEVER;
	}
	if (p->stage != 2)
		return;
	/* s2_perm_bits() for each S2AP and XN[1:0]. */
	for (unsigned i = 0; i < 16; i++) {
		const uint64_t desc = (uint64_t)(i & 3) << 6 | (uint64_t)(i >> 2) << 53;
		uint8_t xn, perms = s2_perm_bits(p, desc, &xn);

		p->fast_s2_perm[i] = (uint8_t)(perms | xn << 6);
	}
}

/* Stores a decode in slot of c (may be NULL) and returns where the parameters now are. */
static const struct tr_params *cache_put(struct tr_cache *c, unsigned slot,
					 const struct tr_params *p)
{
	if (!c)
		return p;
	c->slot[slot] = *p;
	fast_setup(&c->slot[slot]);
	c->valid |= (uint8_t)(1u << slot);
	return &c->slot[slot];
}

/* tr_s2_setup() through the synchronised cache c (may be NULL): the parameters, in *tmp
 * or in the cache. */
static const struct tr_params *s2_params(const struct tr_ctx *ctx, struct tr_cache *c,
					 struct tr_params *tmp)
{
	if (c && (c->valid & (1u << SLOT_S2)))
		return &c->slot[SLOT_S2];
	tr_s2_setup(ctx->regs, ctx->feat, tmp);
	return cache_put(c, SLOT_S2, tmp);
}

/* The cache slot of the stage-1 decode for va: one per regime and VA range (TTBR1 when
 * VA bit 55 is set, in the regimes with two ranges). */
static unsigned s1_slot(enum tr_regime regime, uint64_t va)
{
	return (unsigned)regime * 2 + (regime != TR_REGIME_EL2 && (va & TR_BIT(55)));
}

/* tr_s1_decode() of the range of va, likewise. Their setup_fault is the TxSZ fault only
 * (tr_s1_check() adds the per-VA ones). */
static const struct tr_params *s1_params(const struct tr_ctx *ctx, struct tr_cache *c,
					 enum tr_regime regime, uint64_t va,
					 struct tr_params *tmp)
{
	bool upper = regime != TR_REGIME_EL2 && (va & TR_BIT(55));
	unsigned slot = s1_slot(regime, va);

	if (c && (c->valid & (1u << slot)))
		return &c->slot[slot];
	tr_s1_decode(ctx->regs, ctx->feat, regime, upper, tmp);
	if (!c)
		return tmp;
	s1_attr_table(tmp);
	return cache_put(c, slot, tmp);
}

/* ---- Stage 2 ---- */

/* AArch64.S2Translate() for one IPA with decoded parameters, up to the leaf: walk,
 * access flag, permissions, hardware update. *pdesc is the descriptor as now in memory. */
static inline __attribute__((always_inline)) bool
s2_core(const struct tr_ctx *ctx, const struct tr_params *p, uint64_t ipa,
	const struct tr_access *acc, bool s1ptw, struct leaf *plf, uint64_t *pdesc,
	bool *pupdated, struct tr_fault *fault, const bool ds, const bool oa52, const bool ee,
	const bool logging)
{
	bool write = acc->type == TR_ACC_WRITE;
	bool hd = p->hd && hw_update_possible(ctx);
	bool ha = p->ha && hw_update_possible(ctx);
	struct leaf lf;
	unsigned tries = 0;
	uint64_t desc;
	bool r, w, x0, x1, updated = false;
	unsigned xn, memattr;

	if (p->setup_fault != TR_FAULT_NONE) {
		walk_fault(fault, p, p->setup_fault, p->setup_level);
		goto fail;
	}
	/* AArch64.IPAIsOutOfRange(). */
	if (p->ia_bits < 64 && (ipa >> p->ia_bits)) {
		walk_fault(fault, p, TR_FAULT_TRANSLATION, 0);
		goto fail;
	}
again:
	if (!walk(ctx, p, ipa, NULL, false, NULL, s1ptw, &lf, fault, ds, oa52, ee, logging))
		goto fail;
	desc = lf.desc;
	/* Access flag fault unless hardware updates it (AArch64.S2Walk). */
	if (!(desc & DESC_AF) && !ha) {
		walk_fault(fault, p, TR_FAULT_ACCESS, lf.level);
		goto fail;
	}
	/* AArch64.S2CheckPermissions(). With HD, a DBM location counts as writable. */
	r = desc & TR_BIT(6);
	w = (desc & DESC_AP2) || (hd && (desc & DESC_DBM));
	xn = (unsigned)TR_FIELD(desc, 54, 53);
	if (!p->xnx)
		xn &= 2;	/* without FEAT_XNX only XN[1] exists */
	x0 = xn == 0 || xn == 1;
	x1 = xn == 0 || xn == 3;
	memattr = (unsigned)TR_FIELD(desc, 5, 2);
	{
		bool ok;

		if (s1ptw)
			/* HCR_EL2.PTW: a stage-1 walk to stage-2 Device memory faults. */
			ok = r && (!write || w) &&
			     !(p->ptw && (p->fwb ? !(memattr & 4) : !(memattr >> 2)));
		else if (acc->type == TR_ACC_READ)
			ok = r;
		else if (write)
			ok = w;
		else
			ok = acc->el == 0 ? x0 : x1;
		if (!ok) {
			walk_fault(fault, p, TR_FAULT_PERMISSION, lf.level);
			goto fail;
		}
	}
	/* Hardware AF / dirty update; AT never sets the dirty state. */
	{
		uint64_t new = desc;

		if (!(desc & DESC_AF))
			new |= DESC_AF;
		if (hd && write && !acc->at && (desc & DESC_DBM) && !(desc & DESC_AP2))
			new |= DESC_AP2;
		if (new != desc) {
			int rc = swap_desc(ctx, p, lf.desc_pa, desc, new);

			/* IMPDEF: a descriptor that keeps changing under the update is
			 * reported as an external abort on the update. */
			if (rc < 0 || (rc > 0 && ++tries >= CAS_RETRIES)) {
				walk_fault(fault, p, TR_FAULT_EXT_ABORT_WALK, lf.level);
				fault->pa = lf.desc_pa;
				goto fail;
			}
			if (rc > 0)
				goto again;
			desc = new;
			updated = true;
		}
	}
	*plf = lf;
	*pdesc = desc;
	*pupdated = updated;
	return true;
fail:
	fault->stage2 = true;
	fault->s1ptw = s1ptw;
	fault->ipa = ipa;
	fault->write = write;
	return false;
}

/* The common case, for which the walk loops have copies specialised at compile time:
 * 48-bit descriptor formats (no DS, no 52-bit 64K format), little-endian, no log. */
static inline bool fmt_plain(const struct tr_ctx *ctx, const struct tr_params *p)
{
	return !ctx->log && !p->ds && !p->oa52_64k && !p->ee;
}

/* s2_core() with the format and log flags either constant (plain) or read from p/ctx. */
#define S2_CORE(ctx, p, ipa, acc, s1ptw, lf, desc, updated, fault, plain)			\
	s2_core(ctx, p, ipa, acc, s1ptw, lf, desc, updated, fault, !(plain) && (p)->ds,	\
		!(plain) && (p)->oa52_64k, !(plain) && (p)->ee, !(plain) && (ctx)->log)

/* The PA of a stage-1 table at IPA ipa, or NO_PA: a stage-2 read lookup (the hot path of
 * the two-stage walk, which needs no stage-2 result record). Out of line, so that the
 * stage-1 loop that calls it keeps its own state in registers. */
static const struct tr_access s2_racc = { .type = TR_ACC_READ, .el = 1 };

static inline __attribute__((always_inline)) uint64_t
s2_table_pa_fmt(const struct tr_ctx *ctx, const struct tr_params *p, uint64_t ipa,
		struct tr_fault *fault, const bool plain)
{
	struct leaf lf;
	uint64_t desc;
	bool updated;

	if (!S2_CORE(ctx, p, ipa, &s2_racc, true, &lf, &desc, &updated, fault, plain))
		return NO_PA;
	return lf.oa;
}

static __attribute__((noinline)) uint64_t
s2_table_pa_plain(const struct tr_ctx *ctx, const struct tr_params *p, uint64_t ipa,
		  struct tr_fault *fault)
{
	return s2_table_pa_fmt(ctx, p, ipa, fault, true);
}

static __attribute__((noinline)) uint64_t
s2_table_pa_any(const struct tr_ctx *ctx, const struct tr_params *p, uint64_t ipa,
		struct tr_fault *fault)
{
	return s2_table_pa_fmt(ctx, p, ipa, fault, false);
}

/* Permission bits (TR_PERM_*) of a stage-2 descriptor as it is in memory
 * (AArch64.S2CheckPermissions(): S2AP and XN[1:0]); *pxn gets XN as reported. */
static inline __attribute__((always_inline)) uint8_t
s2_perm_bits(const struct tr_params *p, uint64_t desc, uint8_t *pxn)
{
	bool r = desc & TR_BIT(6), w = desc & DESC_AP2, x0, x1;
	unsigned xn = (unsigned)TR_FIELD(desc, 54, 53);

	if (!p->xnx)
		xn &= 2;	/* without FEAT_XNX only XN[1] exists */
	x0 = xn == 0 || xn == 1;
	x1 = xn == 0 || xn == 3;
	*pxn = (uint8_t)xn;
	return (uint8_t)((r ? TR_PERM_R0 | TR_PERM_R1 : 0) | (w ? TR_PERM_W0 | TR_PERM_W1 : 0) |
			 (x0 ? TR_PERM_X0 : 0) | (x1 ? TR_PERM_X1 : 0));
}

/* The stage-2 fields of a result from its leaf (AArch64.S2Translate()). */
static inline void s2_fill(const struct tr_params *p, const struct leaf *lf, uint64_t desc,
			   struct tr_result *res)
{
	res->s2_valid = true;
	res->s2_level = lf->level;
	res->s2_block_size = 1ull << lf->lsb;
	res->s2_desc = desc;
	res->s2ap = (uint8_t)TR_FIELD(desc, 7, 6);
	res->s2_memattr = (uint8_t)TR_FIELD(desc, 5, 2);
	res->s2_sh = desc_sh(p, desc);
	res->s2_contiguous = desc & DESC_CONTIG;
}

/* want_attrs: fill attr/sh as for stage 2 alone (a two-stage walk combines them itself).
 * plain: the copy for the common formats (fmt_plain()). */
static inline __attribute__((always_inline)) bool
s2_translate_fmt(const struct tr_ctx *ctx, const struct tr_params *p, uint64_t ipa,
		 const struct tr_access *acc, bool s1ptw, bool want_attrs,
		 struct tr_result *res, struct tr_fault *fault, const bool plain)
{
	struct leaf lf;
	uint64_t desc;
	bool updated;

	if (!S2_CORE(ctx, p, ipa, acc, s1ptw, &lf, &desc, &updated, fault, plain))
		return false;
	res->oa = lf.oa;
	res->ipa = ipa;
	res->level = lf.level;
	res->block_size = 1ull << lf.lsb;
	res->desc = desc;
	res->contiguous = desc & DESC_CONTIG;
	res->ng = false;
	res->asid = 0;
	res->hw_updated = updated;
	s2_fill(p, &lf, desc, res);
	/* Reported permissions are those of the descriptor as it now is in memory. */
	res->perms = s2_perm_bits(p, desc, &res->s2_xn);
	/* Stage 2 alone: the attributes as if stage 1 were Normal Write-Back RWA (not
	 * needed for a stage-1 table address). */
	if (!want_attrs) {
		res->attr = 0;
		res->sh = 0;
		res->s1_attr = 0;
		res->s1_sh = 0;
	} else {
		struct tr_memattrs s1 = { .in = TR_CA_WB, .out = TR_CA_WB, .in_hints = 3,
					  .out_hints = 3 };
		struct tr_memattrs m;

		tr_s2_combine(&s1, res->s2_memattr, res->s2_sh, p->fwb, &m);
		res->attr = tr_mair_encode(&m);
		res->sh = tr_par_sh(&m);
		res->s1_attr = 0;
		res->s1_sh = 0;
	}
	return true;
}

static __attribute__((noinline)) bool
s2_translate_plain(const struct tr_ctx *ctx, const struct tr_params *p, uint64_t ipa,
		   const struct tr_access *acc, bool s1ptw, bool want_attrs,
		   struct tr_result *res, struct tr_fault *fault)
{
	return s2_translate_fmt(ctx, p, ipa, acc, s1ptw, want_attrs, res, fault, true);
}

static __attribute__((noinline)) bool
s2_translate_any(const struct tr_ctx *ctx, const struct tr_params *p, uint64_t ipa,
		 const struct tr_access *acc, bool s1ptw, bool want_attrs,
		 struct tr_result *res, struct tr_fault *fault)
{
	return s2_translate_fmt(ctx, p, ipa, acc, s1ptw, want_attrs, res, fault, false);
}

static bool s2_translate(const struct tr_ctx *ctx, const struct tr_params *p, uint64_t ipa,
			 const struct tr_access *acc, bool s1ptw, bool want_attrs,
			 struct tr_result *res, struct tr_fault *fault)
{
	if (fmt_plain(ctx, p))
		return s2_translate_plain(ctx, p, ipa, acc, s1ptw, want_attrs, res, fault);
	return s2_translate_any(ctx, p, ipa, acc, s1ptw, want_attrs, res, fault);
}

/* The builtin stage 2 of the output IPA of a two-stage walk, straight into the stage-1
 * result: the PA, the stage-2 fields, the permissions intersected (the attributes are
 * combined by the caller). plain: the copy for the common formats (fmt_plain()). */
static inline __attribute__((always_inline)) bool
s2_output_fmt(const struct tr_ctx *ctx, const struct tr_params *p, const struct tr_access *acc,
	      struct tr_result *res, struct tr_fault *fault, const bool plain)
{
	struct leaf lf;
	uint64_t desc;
	bool updated;

	if (!S2_CORE(ctx, p, res->ipa, acc, false, &lf, &desc, &updated, fault, plain))
		return false;
	res->oa = lf.oa;
	res->hw_updated |= updated;
	s2_fill(p, &lf, desc, res);
	res->perms &= s2_perm_bits(p, desc, &res->s2_xn);
	return true;
}

static __attribute__((noinline)) bool
s2_output_plain(const struct tr_ctx *ctx, const struct tr_params *p, const struct tr_access *acc,
		struct tr_result *res, struct tr_fault *fault)
{
	return s2_output_fmt(ctx, p, acc, res, fault, true);
}

static __attribute__((noinline)) bool
s2_output_any(const struct tr_ctx *ctx, const struct tr_params *p, const struct tr_access *acc,
	      struct tr_result *res, struct tr_fault *fault)
{
	return s2_output_fmt(ctx, p, acc, res, fault, false);
}

static bool builtin_xlate(void *vctx, uint64_t ipa, const struct tr_access *acc, bool s1ptw,
			  struct tr_result *out, struct tr_fault *fault)
{
	const struct s2_builtin *b = vctx;

	return s2_translate(b->ctx, b->p, ipa, acc, s1ptw, !s1ptw, out, fault);
}

bool tr_walk_s2(const struct tr_ctx *ctx, uint64_t ipa, const struct tr_access *acc,
		struct tr_result *res, struct tr_fault *fault)
{
	struct tr_params tmp;
	struct tr_cache *c = cache_enter(ctx);
	bool ok;

	memset(res, 0, sizeof(*res));
	ok = s2_translate(ctx, s2_params(ctx, c, &tmp), ipa, acc, false, true, res, fault);
	cache_leave(c);
	return ok;
}

/* ---- Stage 1 ---- */

static inline __attribute__((always_inline)) bool
perms_allow(uint8_t perms, const struct tr_access *acc)
{
	unsigned shift = acc->el == 0 ? 0 : 3;
	unsigned bit = acc->type == TR_ACC_READ ? 1 : acc->type == TR_ACC_WRITE ? 2 : 4;

	return perms & (bit << shift);
}

/* HCR_EL2.CD (data) / ID (instruction fetches): Normal memory treated as Non-cacheable
 * (S2DCacheEnabled / HCR_EL2.ID in AArch64.S2Translate); then the PAR_EL1 encodings of
 * the combined attributes. */
static void set_combined(const struct tr_ctx *ctx, struct tr_memattrs *m,
			 const struct tr_access *acc, struct tr_result *res)
{
	if (!m->device && (ctx->regs->hcr_el2 & (acc->type == TR_ACC_EXEC ? HCR_ID : HCR_CD))) {
		m->in = m->out = TR_CA_NC;
		m->in_hints = m->out_hints = 0;
	}
	res->attr = tr_mair_encode(m);
	res->sh = tr_par_sh(m);
}

#define COMB_VALID 0x8000u
#define COMB_SH2 0x100u

/* res->attr and res->sh from a c->comb entry and the two stages' shareability. */
static inline void comb_apply(uint16_t ce, uint8_t sh1, uint8_t sh2, struct tr_result *res)
{
	res->attr = (uint8_t)ce;
	res->sh = (ce & COMB_SH2) ? 2 : combine_sh(sh1, sh2);
}

/* The attributes of a two-stage walk with the builtin stage 2 (S2CombineS1MemAttrs or
 * S2ApplyFWBMemAttrs, then HCR_EL2.CD/ID) into res->attr and res->sh; m: stage 1's. With
 * a cache and stage-1 attributes from its table (entry tab), the part that does not
 * depend on shareability is kept per stage-2 MemAttr in c->comb: it is a function of the
 * registers and of the two descriptors' attribute fields only. */
static void two_stage_attrs(const struct tr_ctx *ctx, struct tr_cache *c, int tab,
			    const struct tr_memattrs *m, const struct tr_params *p2,
			    const struct tr_access *acc, struct tr_result *res)
{
	struct tr_memattrs m2;
	uint16_t *ce;

	if (!c || tab < 0) {
		tr_s2_combine(m, res->s2_memattr, res->s2_sh, p2->fwb, &m2);
		set_combined(ctx, &m2, acc, res);
		return;
	}
	ce = &c->comb[tab][res->s2_memattr & 15];
	if (!(*ce & COMB_VALID)) {
		struct tr_memattrs s1 = *m;
		struct tr_result r;

		/* The combined shareability is S2CombineS1Shareability() of the two, which
		 * PAREncodeShareability() overrides only for Device and Non-cacheable. */
		s1.sh = 0;
		tr_s2_combine(&s1, res->s2_memattr, 0, p2->fwb, &m2);
		set_combined(ctx, &m2, acc, &r);
		*ce = (uint16_t)(COMB_VALID | (r.sh == 2 ? COMB_SH2 : 0) | r.attr);
	}
	comb_apply(*ce, m->sh, res->s2_sh, res);
}

/* Combine a stage-1 result with the stage-2 translation of its output IPA. */
static void combine_s2(const struct tr_ctx *ctx, const struct tr_memattrs *s1m,
		       const struct tr_result *r2, const struct tr_access *acc,
		       struct tr_result *res)
{
	struct tr_memattrs m;

	res->oa = r2->oa;
	res->perms &= r2->perms;
	res->s2_valid = r2->s2_valid;
	res->s2_level = r2->s2_valid ? r2->s2_level : r2->level;
	res->s2_block_size = r2->s2_valid ? r2->s2_block_size : r2->block_size;
	res->s2_desc = r2->s2_valid ? r2->s2_desc : r2->desc;
	res->s2ap = r2->s2ap;
	res->s2_xn = r2->s2_xn;
	res->s2_memattr = r2->s2_memattr;
	res->s2_sh = r2->s2_sh;
	res->s2_contiguous = r2->s2_contiguous;
	res->hw_updated |= r2->hw_updated;
	if (r2->s2_valid) {
		bool fwb = (ctx->regs->hcr_el2 & HCR_FWB) && ctx->feat->fwb;

		tr_s2_combine(s1m, r2->s2_memattr, r2->s2_sh, fwb, &m);
	} else {
		/* A foreign stage 2 reports its attributes in MAIR form. */
		struct tr_memattrs s2m;

		tr_mair_decode(r2->attr, &s2m);
		s2m.sh = r2->sh;
		tr_combine_mair(s1m, &s2m, &m);
	}
	set_combined(ctx, &m, acc, res);
}

/* The fast path's previous 4K stage-2 walk within the same two-stage walk: its IPA, its
 * leaf level and the table descriptors it went through (levels above the leaf). A walk
 * that fails leaves it as it is: the fast path then gives up, and pv with it. */
struct fast_prev {
	uint64_t ipa;		/* ~0 when there is none (no IPA has 64 bits) */
	unsigned shift;		/* the IPA bits from here up select the entries above the leaf */
	int leaf;
	uint64_t desc[3];	/* read only below pv->leaf: set by then (gcc cannot see it) */
	uint64_t addr[3];	/* where desc[l] was read */
};

/* The fast path's stage-2 walk of ipa (AArch64.S2Walk()) for a granule other than 4K: the
 * output address, with the leaf descriptor in *pdesc and its level in *plevel, or NO_PA to
 * give up. need: descriptor bits the leaf must have set besides fast_leaf_want (S2AP read
 * for a stage-1 table address). */
static inline __attribute__((always_inline)) uint64_t
fast_s2(const struct tr_ctx *ctx, const struct tr_params *p, uint64_t ipa, uint64_t need,
	uint64_t *pdesc, int *plevel)
{
	const unsigned stride = p->stride;
	const uint64_t tchk = p->fast_table, table_mask = p->table_mask;
	uint64_t table = p->ttb, desc = 0;
	unsigned lsb = p->start_lsb;
	uint64_t idx = (ipa >> lsb) & p->start_idx_mask;
	int level = p->start_level;

	if (ipa >> p->ia_bits)	/* AArch64.IPAIsOutOfRange() */
		return NO_PA;
	for (;; level++) {
		if (!ctx->mem.read64(ctx->mem.ctx, table + idx * 8, &desc))
			return NO_PA;
		if (level == 3 || (desc & tchk) != 3)
			break;
		table = desc & table_mask;
		lsb -= stride;
		idx = (ipa >> lsb) & ((1ull << stride) - 1);
	}
	if ((desc & (p->fast_leaf_mask[level] | need)) != (p->fast_leaf_want[level] | need))
		return NO_PA;
	*pdesc = desc;
	*plevel = level;
	return (desc & TR_MASK(47, lsb)) | (ipa & ((1ull << lsb) - 1));
}

#define LSB4K(l) (12u + 9u * (unsigned)(3 - (l)))	/* 4K granule: index lsb of level l */

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"	/* struct fast_prev */
#endif

/* The reads of a 4K stage-2 walk of ipa from start level `start` (< 3, a constant) whose
 * entries above level 3 are those of the previous walk pv, which ended at level 3: the
 * table descriptors re-read at the addresses pv recorded, with the level-3 descriptor
 * read at the address they give, all without waiting for one another. False when a read
 * fails or a re-read differs from what pv read (those were then not this walk's
 * addresses); else the level-3 descriptor in *desc. */
static inline __attribute__((always_inline)) bool
fast_s2_4k_again(const struct tr_ctx *ctx, const struct fast_prev *pv, uint64_t ipa,
		 const int start, uint64_t *desc)
{
	uint64_t seen[3], differ = 0;
	bool ok = true;

#pragma GCC unroll 4
	for (int l = start; l < 3; l++)
		ok &= ctx->mem.read64(ctx->mem.ctx, pv->addr[l], &seen[l]);
	ok &= ctx->mem.read64(ctx->mem.ctx,
			      (pv->desc[2] & TR_MASK(47, 12)) + ((ipa >> 12) & 511) * 8, desc);
#pragma GCC unroll 4
	for (int l = start; l < 3; l++)
		differ |= seen[l] ^ pv->desc[l];
	return ok && !differ;
}

/* fast_s2() for the 4K granule from start level `start` (a constant: the loops unroll).
 * The reads are those of AArch64.S2Walk(), one per level, but not always in series: where
 * ipa's entries are those the previous stage-2 walk (pv) went through at every level above
 * the leaf, or at levels 0-1, those levels' addresses and the next level's are already
 * known from that walk's descriptors, so their reads are issued without waiting for one
 * another; each table descriptor re-read must then read as that walk read it (else those
 * were not the walk's addresses: give up). The stage-2 walks of a two-stage walk's
 * stage-1 tables and of its output mostly share their upper levels, so this takes most of
 * the 24 reads off the dependent chain without skipping any. */
static inline __attribute__((always_inline)) uint64_t
fast_s2_4k(const struct tr_ctx *ctx, const struct tr_params *p, uint64_t ipa, const int start,
	   uint64_t need, struct fast_prev *pv, uint64_t *pdesc, int *plevel)
{
	const uint64_t tchk = p->fast_table, table_mask = TR_MASK(47, 12);
	const uint64_t addr0 = p->ttb + ((ipa >> LSB4K(start)) & p->start_idx_mask) * 8;
	uint64_t addr = addr0, desc = 0;
	int level;

	if (ipa >> p->ia_bits)	/* AArch64.IPAIsOutOfRange() */
		return NO_PA;
	if (!((ipa ^ pv->ipa) >> pv->shift)) {
		uint64_t seen[3], differ = 0;
		bool ok = true;

		level = pv->leaf;
		if (level == 3 && start < 3) {	/* the usual case, without the loop tests */
			if (!fast_s2_4k_again(ctx, pv, ipa, start, &desc))
				return NO_PA;
			goto leaf;
		}
#pragma GCC unroll 4
		for (int l = start; l < 3; l++) {
			if (l >= level)
				break;
			ok &= ctx->mem.read64(ctx->mem.ctx, pv->addr[l], &seen[l]);
		}
		if (level > start)
			addr = (pv->desc[level - 1] & table_mask) +
			       ((ipa >> LSB4K(level)) & 511) * 8;
		ok &= ctx->mem.read64(ctx->mem.ctx, addr, &desc);
#pragma GCC unroll 4
		for (int l = start; l < 3; l++) {
			if (l >= level)
				break;
			differ |= seen[l] ^ pv->desc[l];
		}
		if (!ok || differ)
			return NO_PA;
	} else if (start < 2 && pv->leaf >= 2 && !((ipa ^ pv->ipa) >> LSB4K(1))) {
		/* Levels start..1 as pv's: re-read; level 2 read with them, 3 after it. */
		uint64_t seen[2], differ = 0;
		bool ok = true;

#pragma GCC unroll 2
		for (int l = start; l < 2; l++)
			ok &= ctx->mem.read64(ctx->mem.ctx, pv->addr[l], &seen[l]);
		addr = (pv->desc[1] & table_mask) + ((ipa >> LSB4K(2)) & 511) * 8;
		ok &= ctx->mem.read64(ctx->mem.ctx, addr, &desc);
		level = 2;
		if (ok && (desc & tchk) == 3) {
			pv->desc[2] = desc;
			pv->addr[2] = addr;
			addr = (desc & table_mask) + ((ipa >> LSB4K(3)) & 511) * 8;
			ok &= ctx->mem.read64(ctx->mem.ctx, addr, &desc);
			level = 3;
		}
#pragma GCC unroll 2
		for (int l = start; l < 2; l++)
			differ |= seen[l] ^ pv->desc[l];
		if (!ok || differ)
			return NO_PA;
		pv->ipa = ipa;
		pv->shift = LSB4K(level - 1);
		pv->leaf = level;
	} else {
#pragma GCC unroll 4
		for (level = start; level <= 3; level++) {
			if (!ctx->mem.read64(ctx->mem.ctx, addr, &desc))
				return NO_PA;
			if (level == 3 || (desc & tchk) != 3)
				break;
			pv->desc[level] = desc;
			pv->addr[level] = addr;
			addr = (desc & table_mask) + ((ipa >> LSB4K(level + 1)) & 511) * 8;
		}
		pv->ipa = ipa;
		pv->shift = LSB4K(level - 1);
		pv->leaf = level;
	}
leaf:
	if ((desc & (p->fast_leaf_mask[level] | need)) != (p->fast_leaf_want[level] | need))
		return NO_PA;
	*pdesc = desc;
	*plevel = level;
	return (desc & TR_MASK(47, LSB4K(level))) | (ipa & ((1ull << LSB4K(level)) - 1));
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/* fast_s2_4k() from 4K start level s2start, or fast_s2() for s2start -1 (a constant). */
static inline __attribute__((always_inline)) uint64_t
fast_s2_t(const struct tr_ctx *ctx, const struct tr_params *p, uint64_t ipa, const int s2start,
	  uint64_t need, struct fast_prev *pv, uint64_t *pdesc, int *plevel)
{
	if (s2start >= 0)
		return fast_s2_4k(ctx, p, ipa, s2start, need, pv, pdesc, plevel);
	return fast_s2(ctx, p, ipa, need, pdesc, plevel);
}

/* The fast path (see fast_setup()) of a two-stage EL1&0 walk with the output through the
 * builtin stage 2: true with *res exactly as s1_translate() makes it, or false to give
 * up (*res and *fault then undefined). p and p2 are cached and fast. s2start: a 4K stage
 * 2's start level, or -1 for the other granules (a constant: see el10_fast()). */
static inline __attribute__((always_inline)) bool
el10_fast_t(const struct tr_ctx *ctx, struct tr_cache *c, const struct tr_params *p,
	    const struct tr_params *p2, uint64_t va, const struct tr_access *acc,
	    struct tr_result *res, struct tr_fault *fault, const int s2start)
{
	const bool x = acc->type == TR_ACC_EXEC;
	const bool pan = !x && acc->pan && acc->el != 0 && ctx->feat->pan;
	const unsigned stride = p->stride;
	const uint64_t tchk = p->fast_table, table_mask = p->table_mask;
	const uint64_t idx_mask = (1ull << stride) - 1;
	uint64_t table = p->ttb, desc, d2;
	unsigned lsb = p->start_lsb, aptable = 0;
	uint64_t idx = (va >> lsb) & p->start_idx_mask;
	int level = p->start_level;
	uint64_t tables = 0;	/* the table descriptors OR-ed: APTable, (P)XNTable */
	/* Not an initializer: gcc would clear all of it, and its wide stores would then
	 * be read back in parts. */
	struct fast_prev pv;

	pv.ipa = ~0ull;
	pv.shift = 0;
	pv.leaf = 0;

	if (tr_s1_check(p, va, acc) != TR_FAULT_NONE)
		return false;
	for (;; level++) {
		const uint64_t tipa = table + idx * 8;
		uint64_t desc_pa, d;
		int l2;

		/* The stage-1 tables mostly share their 4K stage-2 levels 0-2 (fast_s2_4k()):
		 * that case inline, with the leaf test of a level-3 page; the IPA is then
		 * in range, as pv's was. */
		if (s2start >= 0 && s2start < 3 && pv.leaf == 3 && !((tipa ^ pv.ipa) >> pv.shift)) {
			if (!fast_s2_4k_again(ctx, &pv, tipa, s2start, &d) ||
			    (d & (p2->fast_leaf_mask[3] | S2_R)) != (p2->fast_leaf_want[3] | S2_R))
				return false;
			desc_pa = (d & TR_MASK(47, 12)) | (tipa & 0xfff);
		} else {
			desc_pa = fast_s2_t(ctx, p2, tipa, s2start, S2_R, &pv, &d, &l2);
		}

		if (desc_pa == NO_PA || !ctx->mem.read64(ctx->mem.ctx, desc_pa, &desc))
			return false;
		if (level == 3 || (desc & tchk) != 3)
			break;
		tables |= desc;
		table = desc & table_mask;
		lsb -= stride;
		idx = (va >> lsb) & idx_mask;
	}
	if ((desc & p->fast_leaf_mask[level]) != p->fast_leaf_want[level])
		return false;

	/* Hierarchical attributes, ignored with TCR.HPD. */
	if (p->hpd)
		tables = 0;
	aptable = (unsigned)TR_FIELD(tables, 62, 61);

	const unsigned ap = (unsigned)TR_FIELD(desc, 7, 6);
	const uint64_t xn = desc | tables >> 6;	/* PXNTable, (U)XNTable onto PXN, (U)XN */
	const uint8_t perms = p->s1_perm[perm_index(ap, aptable, xn >> 53 & 1, xn >> 54 & 1, pan)];
	const uint64_t ipa = (desc & TR_MASK(47, lsb)) | (va & ((1ull << lsb) - 1));

	/* The output's stage 2 (AArch64.S2Translate()); the permissions of both stages are
	 * checked after it: a fault of either makes the fast path give up all the same. */
	int level2;
	const uint64_t oa = fast_s2_t(ctx, p2, ipa, s2start, 0, &pv, &d2, &level2);

	if (oa == NO_PA)
		return false;

	const uint8_t s2p = p2->fast_s2_perm[TR_FIELD(d2, 7, 6) | TR_FIELD(d2, 54, 53) << 2];
	const uint8_t all = perms & s2p & 0x3f, s2xn = s2p >> 6;
	const unsigned attr_idx = (unsigned)TR_FIELD(desc, 4, 2);
	const struct tr_s1_attr *e = &p->s1_attr[x][attr_idx];
	const uint16_t comb = c->comb[x * 8 + attr_idx][TR_FIELD(d2, 5, 2)];

	if (!perms_allow(all, acc))
		return false;

	/* The result, field by field as s1_translate(), s2_output_fmt() and
	 * two_stage_attrs() make it (desc_sh() without TCR.DS). */
	const bool ng = p->two_priv && (desc & TR_BIT(11));
	const uint8_t f1 = (uint8_t)TR_FIELD(desc, 9, 8), f2 = (uint8_t)TR_FIELD(d2, 9, 8);
	const uint8_t sh1 = e->sh2 ? 2 : f1 == 1 ? 0 : f1, sh2 = f2 == 1 ? 0 : f2;

	/* Every member stored one by one, not memset() nor a compound literal: gcc makes
	 * those a microcoded `rep stos` at these sizes, which costs more than all of this
	 * walk's bookkeeping. The asserts (sizes on LP64) catch a member added and not
	 * stored here. */
#if defined(__LP64__)
	_Static_assert(sizeof(struct tr_fault) == 32, "el10_fast() stores each tr_fault member");
	_Static_assert(sizeof(struct tr_result) == 80, "el10_fast() stores each tr_result member");
#endif
	fault->type = TR_FAULT_NONE;
	fault->level = 0;
	fault->stage2 = fault->s1ptw = false;
	fault->write = acc->type == TR_ACC_WRITE;
	fault->ipa = fault->pa = 0;
	fault->va = va;
	res->oa = oa;
	res->ipa = ipa;
	res->level = (int8_t)level;
	res->block_size = 1ull << lsb;
	res->desc = desc;
	comb_apply(comb, sh1, sh2, res);
	res->perms = all;
	res->contiguous = desc & DESC_CONTIG;
	res->ng = ng;
	res->s2_valid = true;
	res->s2_level = (int8_t)level2;
	res->s2_block_size = 1ull << (s2start >= 0 ? LSB4K(level2) :
				      p2->gbits + (unsigned)(3 - level2) * p2->stride);
	res->s2_desc = d2;
	res->s2ap = (uint8_t)TR_FIELD(d2, 7, 6);
	res->s2_xn = s2xn;
	res->s2_memattr = (uint8_t)TR_FIELD(d2, 5, 2);
	res->s2_sh = sh2;
	res->s2_contiguous = d2 & DESC_CONTIG;
	res->s1_attr = e->enc;
	res->s1_sh = e->par_sh2 ? 2 : sh1;
	res->asid = ng ? p->asid : 0;
	res->hw_updated = false;
	if (__builtin_expect(!(comb & COMB_VALID), 0)) {
		/* The first walk with these attributes: two_stage_attrs() makes them and
		 * keeps them in the cache. */
		struct tr_memattrs m = e->m;

		m.sh = sh1;
		two_stage_attrs(ctx, c, (int)(x * 8 + attr_idx), &m, p2, acc, res);
	}
	return true;
}

/* AArch64.S1DisabledOutput(): flat mapping, Device-nGnRnE data (Normal WB with
 * HCR_EL2.DC), Normal instruction fetches. */
static bool s1_disabled(const struct tr_ctx *ctx, enum tr_regime regime, uint64_t va,
			const struct tr_params *p, const struct tr_access *acc,
			struct tr_result *res, struct tr_fault *fault, struct tr_memattrs *m)
{
	uint8_t pa_bits = ctx->feat->pa_bits > 52 ? 52 : ctx->feat->pa_bits;

	if (va >> pa_bits) {
		fault_init(fault, TR_FAULT_ADDRSIZE, 0);
		return false;
	}
	memset(m, 0, sizeof(*m));
	if (acc->type == TR_ACC_EXEC) {
		m->in = m->out = p->icache ? TR_CA_WT : TR_CA_NC;
		m->in_hints = m->out_hints = p->icache ? 2 : 0;
		m->sh = 2;
	} else if (regime == TR_REGIME_EL10 && (ctx->regs->hcr_el2 & HCR_DC)) {
		m->in = m->out = TR_CA_WB;
		m->in_hints = m->out_hints = 3;
	} else {
		m->device = true;
		m->sh = 2;
	}
	res->oa = res->ipa = va;
	res->level = 0;
	res->block_size = 0;
	res->desc = 0;
	res->perms = 0x3f;
	return true;
}

/* AArch64.S1Translate(), with optional stage 2 for the table addresses (tables) and for
 * the output (s2_out). */
static bool s1_translate(const struct tr_ctx *ctx, struct tr_cache *c, enum tr_regime regime,
			 uint64_t va, const struct tr_access *acc,
			 const struct tr_s2_hook *tables, const struct tr_s2_hook *s2_out,
			 struct tr_result *res, struct tr_fault *fault)
{
	struct tr_params tmp;
	const struct tr_params *p, *s2p;
	enum tr_fault_type setup;
	bool s2_plain;
	int tab = -1;	/* entry of the stage-1 attribute table used, if any */
	/* PSTATE.PAN applies: a privileged data access with PAN set (FEAT_PAN). */
	const bool pan = ctx->feat->pan && acc->pan && acc->el != 0 && acc->type != TR_ACC_EXEC;
	struct tr_memattrs m;
	struct leaf lf;
	unsigned tries = 0;
	bool hd, ha, write = acc->type == TR_ACC_WRITE;
	uint64_t desc;
	unsigned ap;
	uint8_t perms;

	memset(res, 0, sizeof(*res));
	memset(fault, 0, sizeof(*fault));
	fault->va = va;
	fault->write = write;
	p = s1_params(ctx, c, regime, va, &tmp);
	setup = tr_s1_check(p, va, acc);
	hd = p->hd && hw_update_possible(ctx);
	ha = p->ha && hw_update_possible(ctx);

	if (!p->s1_enabled) {
		if (!s1_disabled(ctx, regime, va, p, acc, res, fault, &m))
			return false;
		goto output;
	}
	if (setup != TR_FAULT_NONE) {
		fault_init(fault, setup, 0);
		return false;
	}
	s2p = tables && tables->xlate == builtin_xlate ?
	      ((const struct s2_builtin *)tables->ctx)->p : NULL;
	s2_plain = s2p && fmt_plain(ctx, s2p);
again:
	if (fmt_plain(ctx, p) ?
	    !walk(ctx, p, va, s2p, s2_plain, tables, false, &lf, fault, false, false, false,
		  false) :
	    !walk(ctx, p, va, s2p, s2_plain, tables, false, &lf, fault, p->ds, p->oa52_64k,
		  p->ee, ctx->log != NULL))
		goto fail;
	desc = lf.desc;
	if (!(desc & DESC_AF) && !ha) {
		walk_fault(fault, p, TR_FAULT_ACCESS, lf.level);
		goto fail;
	}
	/* With HD, a DBM location counts as writable (AArch64.S1Translate). */
	ap = (unsigned)TR_FIELD(desc, 7, 6);
	if (hd && (desc & DESC_DBM))
		ap &= 1;
	perms = leaf_perms(p, desc, ap, &lf, pan);
	if (!perms_allow(perms, acc)) {
		walk_fault(fault, p, TR_FAULT_PERMISSION, lf.level);
		goto fail;
	}
	{
		uint64_t new = desc | DESC_AF;

		if (hd && write && !acc->at && (desc & DESC_DBM))
			new &= ~DESC_AP2;
		if (new != desc) {
			uint64_t pa = lf.desc_pa;
			int rc;

			if (tables && !ctx->no_side_effects) {
				/* The update is a write through stage 2. */
				struct tr_access wacc = { .type = TR_ACC_WRITE, .el = 1 };
				struct tr_result r2;

				if (!tables->xlate(tables->ctx, lf.desc_ia, &wacc, true, &r2,
						   fault))
					goto fail;
				pa = r2.oa;
			}
			rc = swap_desc(ctx, p, pa, desc, new);
			if (rc < 0 || (rc > 0 && ++tries >= CAS_RETRIES)) {
				/* IMPDEF: see s2_translate(). */
				walk_fault(fault, p, TR_FAULT_EXT_ABORT_WALK, lf.level);
				fault->pa = pa;
				goto fail;
			}
			if (rc > 0)
				goto again;
			desc = new;
			res->hw_updated = true;
		}
	}

	res->oa = res->ipa = lf.oa;
	res->level = lf.level;
	res->block_size = 1ull << lf.lsb;
	res->desc = desc;
	res->contiguous = desc & DESC_CONTIG;
	res->ng = p->two_priv && (desc & TR_BIT(11));
	res->asid = res->ng ? p->asid : 0;
	/* Reported permissions: those of the descriptor as it now is in memory. */
	if (ap != TR_FIELD(desc, 7, 6))
		perms = leaf_perms(p, desc, (unsigned)TR_FIELD(desc, 7, 6), &lf, pan);
	res->perms = perms;
	{
		/* From the table of cached parameters, or made now. */
		bool x = acc->type == TR_ACC_EXEC;
		unsigned idx = (unsigned)TR_FIELD(desc, 4, 2);
		struct tr_s1_attr made;
		const struct tr_s1_attr *e = &p->s1_attr[x][idx];

		if (!p->attr_tab) {
			s1_attr_entry(p, x, idx, &made);
			e = &made;
		}
		m = e->m;
		m.sh = e->sh2 ? 2 : desc_sh(p, desc);
		if (p->attr_tab)
			tab = (int)(x * 8 + idx);
		res->s1_attr = e->enc;
		res->s1_sh = e->par_sh2 ? 2 : m.sh;
		goto attrs_done;
	}
output:
	res->s1_attr = tr_mair_encode(&m);
	res->s1_sh = tr_par_sh(&m);
attrs_done:
	res->attr = res->s1_attr;
	res->sh = res->s1_sh;
	if (s2_out && s2_out->xlate == builtin_xlate) {
		const struct tr_params *p2 = ((const struct s2_builtin *)s2_out->ctx)->p;

		if (!(fmt_plain(ctx, p2) ? s2_output_plain(ctx, p2, acc, res, fault) :
		      s2_output_any(ctx, p2, acc, res, fault)))
			goto fail;
		two_stage_attrs(ctx, c, tab, &m, p2, acc, res);
	} else if (s2_out) {
		struct tr_result r2;

		if (!s2_out->xlate(s2_out->ctx, res->ipa, acc, false, &r2, fault))
			goto fail;
		combine_s2(ctx, &m, &r2, acc, res);
	}
	return true;
fail:
	fault->va = va;
	if (!fault->stage2)
		fault->write = write;
	return false;
}

bool tr_walk_s1(const struct tr_ctx *ctx, enum tr_regime regime, uint64_t va,
		const struct tr_access *acc, const struct tr_s2_hook *s2,
		struct tr_result *res, struct tr_fault *fault)
{
	if (regime != TR_REGIME_EL10 && regime != TR_REGIME_EL20 && regime != TR_REGIME_EL2) {
		/* Not a stage-1 regime: nothing to walk. */
		memset(res, 0, sizeof(*res));
		memset(fault, 0, sizeof(*fault));
		fault_init(fault, TR_FAULT_TRANSLATION, 0);
		fault->va = va;
		return false;
	}
	struct tr_cache *c = cache_enter(ctx);
	bool ok = s1_translate(ctx, c, regime, va, acc, s2, s2, res, fault);

	cache_leave(c);
	return ok;
}

/* The stage-2 hook of the EL1&0 regime when HCR_EL2.VM=1: ctx->s2_hook or the builtin. */
static bool el10_translate(const struct tr_ctx *ctx, struct tr_cache *c, uint64_t va,
			   const struct tr_access *acc, bool s2_output, struct tr_result *res,
			   struct tr_fault *fault)
{
	struct s2_builtin b;
	struct tr_params p2;
	struct tr_s2_hook h;
	const struct tr_s2_hook *hook = ctx->s2_hook;

	/* HCR_EL2.TGE=1 makes HCR_EL2.VM behave as 0 for all purposes but a direct read. */
	if ((ctx->regs->hcr_el2 & (HCR_VM | HCR_TGE)) != HCR_VM)
		return s1_translate(ctx, c, TR_REGIME_EL10, va, acc, NULL, NULL, res, fault);
	if (!hook) {
		b.ctx = ctx;
		b.p = s2_params(ctx, c, &p2);
		h.xlate = builtin_xlate;
		h.ctx = &b;
		hook = &h;
	}
	return s1_translate(ctx, c, TR_REGIME_EL10, va, acc, hook, s2_output ? hook : NULL, res,
			    fault);
}

/* tr_el10_translate() by the general walk. */
static __attribute__((noinline)) bool
el10_general(const struct tr_ctx *ctx, uint64_t va, const struct tr_access *acc, bool s2_output,
	     struct tr_result *res, struct tr_fault *fault)
{
	struct tr_cache *c = cache_enter(ctx);
	bool ok = el10_translate(ctx, c, va, acc, s2_output, res, fault);

	cache_leave(c);
	return ok;
}

/* tr_el10_translate() with the output through stage 2 and the idle cache c: by the fast
 * path when c is current and holds fast decodes for va, el10_fast_t() for the stage-2
 * granule and, with 4K, start level (one copy each, so that its stage-2 walks have
 * constant levels); else, or when it gives up, by the general walk. */
static __attribute__((noinline)) bool
el10_fast(const struct tr_ctx *ctx, struct tr_cache *c, uint64_t va, const struct tr_access *acc,
	  struct tr_result *res, struct tr_fault *fault)
{
	const unsigned slot = s1_slot(TR_REGIME_EL10, va);
	const struct tr_params *p = &c->slot[slot], *p2 = &c->slot[SLOT_S2];
	bool ok;

	if (!cache_current(c, ctx) || !(c->valid >> slot & 1) || !(c->valid >> SLOT_S2 & 1) ||
	    !p->fast || !p2->fast)
		return el10_general(ctx, va, acc, true, res, fault);
	c->busy = true;
	switch (p2->gbits == 12 ? p2->start_level : -1) {
	case 0: ok = el10_fast_t(ctx, c, p, p2, va, acc, res, fault, 0); break;
	case 1: ok = el10_fast_t(ctx, c, p, p2, va, acc, res, fault, 1); break;
	case 2: ok = el10_fast_t(ctx, c, p, p2, va, acc, res, fault, 2); break;
	case 3: ok = el10_fast_t(ctx, c, p, p2, va, acc, res, fault, 3); break;
	default: ok = el10_fast_t(ctx, c, p, p2, va, acc, res, fault, -1); break;
	}
	c->busy = false;
	if (!ok)
		return el10_general(ctx, va, acc, true, res, fault);
	c->fast_walks++;
	return true;
}

bool tr_el10_translate(const struct tr_ctx *ctx, uint64_t va, const struct tr_access *acc,
		       bool s2_output, struct tr_result *res, struct tr_fault *fault)
{
	const struct tr_cache *c = ctx->cache;

	/* The fast path, once the general walk has put both decodes in the cache (the
	 * first walk after a register change does). Both are tail calls: no frame here. */
	if (c && !c->busy && s2_output && !ctx->log && !ctx->s2_hook &&
	    (ctx->regs->hcr_el2 & (HCR_VM | HCR_TGE)) == HCR_VM)
		return el10_fast(ctx, ctx->cache, va, acc, res, fault);
	return el10_general(ctx, va, acc, s2_output, res, fault);
}

bool tr_translate(const struct tr_ctx *ctx, enum tr_regime regime, uint64_t va,
		  const struct tr_access *acc, struct tr_result *res, struct tr_fault *fault)
{
	switch (regime) {
	case TR_REGIME_EL10:
		return tr_el10_translate(ctx, va, acc, true, res, fault);
	case TR_REGIME_S2:
		return tr_walk_s2(ctx, va, acc, res, fault);
	case TR_REGIME_EL2:
	case TR_REGIME_EL20: {
		struct tr_cache *c = cache_enter(ctx);
		bool ok = s1_translate(ctx, c, regime, va, acc, NULL, NULL, res, fault);

		cache_leave(c);
		return ok;
	}
	}
	memset(fault, 0, sizeof(*fault));
	fault_init(fault, TR_FAULT_TRANSLATION, 0);
	return false;
}

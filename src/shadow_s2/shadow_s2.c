/* el2emu shadow_s2: contexts, shadow tables, fill, invalidation, reverse map, audit.
 *
 * A shadow leaf is a TLB entry: it may outlive a guest-table change until the matching
 * TLBI and must be gone after it. Three indexes find leaves without scanning:
 *   - the shadow table itself (L2 IPA), with a parallel meta array per table page;
 *   - gh: (context, guest leaf base, guest leaf level) -> leaves, for TLBI by IPA;
 *   - rh: (L1 IPA block, shadow level) -> leaves, the reverse map for host changes.
 */
#include <stdlib.h>
#include <string.h>

#include "el2emu/shadow_s2.h"
#include "el2emu/sysreg.h"

#define ENTRIES 512
#define S2_IPA_BITS 48			/* the shadow table: T0SZ=16, start level 0 */
#define OA_MASK 0x0000fffffffff000ull	/* descriptor OA[47:12] */
#define DESC_VALID 1ull
#define DESC_TABLE 3ull			/* table (levels 0-2) or page (level 3) */
#define DESC_AF (1ull << 10)
#define SW_SHIFT 55			/* software bits [58:55]: guest level + 1 */
#define RING 256			/* TLBIs remembered for the audit */
#define LH_MIN_BUCKETS 256u		/* initial leaf-hash size (lh_grow) */
#define PH_MIN_BUCKETS 64u		/* initial page-hash size (ph_grow) */

_Static_assert(sizeof(((struct s2_stats *)0)->tlbi) / sizeof(uint64_t) == S2_TLBI_KINDS,
	       "s2_stats.tlbi has one counter per enum s2_tlbi_kind");

struct leaf;

struct page {
	uint64_t *tbl;
	uint64_t pa;
	struct page *parent;
	unsigned pidx;
	int level;
	unsigned used;
	struct page *hnext;		/* page hash by PA */
	void *meta[ENTRIES];		/* struct page * (table) or struct leaf * (leaf) */
};

struct ctx;

struct leaf {
	struct ctx *ctx;
	struct page *pg;
	unsigned idx;
	uint8_t level;			/* shadow level 1..3 */
	uint8_t perms;
	int8_t glevel;			/* -1: guest stage 2 off */
	uint64_t ipa, pa, l1;		/* bases of the shadow leaf */
	uint64_t gbase, gsize;		/* the guest leaf it came from */
	uint64_t seq;			/* TLBI sequence number at fill */
	struct leaf *gnext, *rnext;	/* hash chains */
	struct leaf *prev, *next;	/* context list */
};

struct ctx {
	bool used;
	struct s2_key key;
	unsigned gshift;		/* guest granule: 12, 14 or 16 */
	uint64_t lru;
	struct page *root;
	unsigned pages, leaves;
	struct leaf *head;
	bool reused;
};

struct lhash {
	struct leaf **b;
	uint64_t mask;
};

struct tlbi_rec {
	uint64_t seq;
	struct s2_tlbi op;
	uint16_t vmid;
};

struct s2_mmu {
	struct s2_config cfg;
	struct tr_features feat;
	struct s2_page_ops pg;
	struct s2_host_ops host;
	struct ctx *ctx;
	int loaded;
	uint64_t clock;
	struct tr_sysregs regs;		/* of the loaded context */
	struct tr_cache cache;		/* register decodes of the walks, kept while the
					 * registers stay (translate.h) */
	struct lhash gh, rh;		/* same size, grown together (lh_grow) */
	uint64_t lh_max_mask;		/* their final size, which max_leaves sets */
	struct page **ph;
	uint64_t phmask, ph_max_mask;	/* grown like the leaf hashes (ph_grow) */
	unsigned pages_total, leaves_total;
	struct s2_stats st;
	bool flush;
	uint64_t seq;
	struct tlbi_rec ring[RING];
	uint64_t ring_n;
	struct leaf *spare;		/* dropped leaf records, reused (at most max_leaves) */
};

/* ---- small helpers ---- */

static uint64_t mix(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t h = a * 0x9e3779b97f4a7c15ull ^ b;

	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= c + (h >> 32);
	h *= 0x94d049bb133111ebull;
	return h ^ (h >> 31);
}

static uint64_t pow2_at_least(uint64_t n)
{
	uint64_t p = 1;

	while (p < n && p < (1ull << 40))
		p <<= 1;
	return p;
}

/* 4K granule, stage 2: level l maps 2^(12 + 9*(3-l)) bytes per entry. */
static unsigned lshift(int level)
{
	return 12 + 9 * (unsigned)(3 - level);
}

static unsigned idx_of(uint64_t ipa, int level)
{
	return (unsigned)(ipa >> lshift(level)) & (ENTRIES - 1);
}

static bool perm_allows(uint8_t perms, enum tr_acc_type t, uint8_t el)
{
	switch (t) {
	case TR_ACC_READ:
		return perms & (el ? TR_PERM_R1 : TR_PERM_R0);
	case TR_ACC_WRITE:
		return perms & (el ? TR_PERM_W1 : TR_PERM_W0);
	case TR_ACC_EXEC:
		return perms & (el ? TR_PERM_X1 : TR_PERM_X0);
	}
	return false;
}

/* Stage-2 S2AP/XN of a descriptor as permissions (AArch64.S2ApplyOutputPerms):
 * S2AP[0] read, S2AP[1] write, both ELs; XN[1:0] with FEAT_XNX: 00 both execute,
 * 01 EL0 only (PXN), 10 neither, 11 EL1 only (UXN); without FEAT_XNX XN[0] is RES0. */
static uint8_t s2_desc_perms(uint64_t desc, bool xnx)
{
	unsigned ap = (desc >> 6) & 3, xn = (desc >> 53) & 3;
	uint8_t p = 0;

	if (ap & 1)
		p |= TR_PERM_R0 | TR_PERM_R1;
	if (ap & 2)
		p |= TR_PERM_W0 | TR_PERM_W1;
	if (!xnx)
		xn &= 2;
	if (xn == 0 || xn == 1)
		p |= TR_PERM_X0;
	if (xn == 0 || xn == 3)
		p |= TR_PERM_X1;
	return p;
}

/* The inverse, for the shadow leaf (the CPU's FEAT_XNX is assumed: IMPDEF of el2emu's CPU). */
static uint64_t perms_to_desc(uint8_t p)
{
	uint64_t d = 0;
	bool x0 = p & TR_PERM_X0, x1 = p & TR_PERM_X1;
	unsigned xn;

	if (p & (TR_PERM_R0 | TR_PERM_R1))
		d |= 1ull << 6;
	if (p & (TR_PERM_W0 | TR_PERM_W1))
		d |= 1ull << 7;
	xn = x0 && x1 ? 0 : x0 ? 1 : x1 ? 3 : 2;
	return d | (uint64_t)xn << 53;
}

/* Shadow leaves grant R/W to both ELs alike (stage 2 has no per-EL read/write). */
static uint8_t perms_norm(uint8_t p)
{
	uint8_t r = p & (TR_PERM_X0 | TR_PERM_X1);

	if ((p & TR_PERM_R0) && (p & TR_PERM_R1))
		r |= TR_PERM_R0 | TR_PERM_R1;
	if ((p & TR_PERM_W0) && (p & TR_PERM_W1))
		r |= TR_PERM_W0 | TR_PERM_W1;
	return r;
}

/* VTCR_EL2.VS (bit 19) selects a 16-bit VMID when FEAT_VMID16 is implemented. */
static uint16_t vmid_of(const struct s2_config *cfg, uint64_t vttbr, uint64_t vtcr)
{
	bool wide = cfg->vmid16 && ((vtcr >> 19) & 1);

	return (uint16_t)((vttbr >> 48) & (wide ? 0xffff : 0xff));
}

/* VTCR_EL2.TG0 (bits 15:14): 00 4K, 01 64K, 10 16K; 11 is reserved and behaves as one
 * of the others (4K here). The first walk corrects it to the granule translate used. */
static unsigned gran_shift(uint64_t vtcr)
{
	switch ((vtcr >> 14) & 3) {
	case 1:
		return 16;
	case 2:
		return 14;
	default:
		return 12;
	}
}

/* Size of a guest leaf at level l for granule shift g. */
static unsigned gleaf_shift(unsigned g, int level)
{
	return g + (unsigned)(3 - level) * (g - 3);
}

/* ---- configuration, allocator ---- */

void s2_config_default(struct s2_config *cfg)
{
	cfg->max_contexts = 8;
	cfg->max_pages_ctx = 2048;
	cfg->max_pages_total = 4096;
	cfg->max_leaves = 262144;
	cfg->first_vmid = 1;
	cfg->vmid16 = true;
}

static void *malloc_page(void *c, uint64_t *pa)
{
	struct s2_malloc_pages *mp = c;
	void *p;

	if (mp->limit && mp->live >= mp->limit)
		return NULL;
	p = aligned_alloc(4096, 4096);
	if (!p)
		return NULL;
	memset(p, 0, 4096);
	*pa = mp->next_pa;
	mp->next_pa += 4096;
	mp->live++;
	return p;
}

static void malloc_free(void *c, void *page, uint64_t pa)
{
	struct s2_malloc_pages *mp = c;

	(void)pa;
	free(page);
	mp->live--;
}

void s2_malloc_pages_init(struct s2_malloc_pages *mp, uint64_t base_pa, size_t limit,
			  struct s2_page_ops *ops)
{
	mp->next_pa = base_pa & ~0xfffull;
	mp->live = 0;
	mp->limit = limit;
	ops->alloc = malloc_page;
	ops->free = malloc_free;
	ops->ctx = mp;
}

/* ---- keys ---- */

void s2_key_from_regs(const struct s2_config *cfg, const struct tr_sysregs *regs,
		      struct s2_key *key)
{
	memset(key, 0, sizeof(*key));
	key->s2_on = regs->hcr_el2 & 1;
	key->vmid = vmid_of(cfg, regs->vttbr_el2, regs->vtcr_el2);
	if (key->s2_on) {
		/* CnP (bit 0) only says the table may be shared; it selects no other table. */
		key->vttbr = regs->vttbr_el2 & ~1ull;
		if (!(cfg->vmid16 && ((regs->vtcr_el2 >> 19) & 1)))
			key->vttbr &= ~(0xffull << 56);	/* VMID[15:8] RES0, 8-bit VMIDs */
		key->vtcr = regs->vtcr_el2;
	}
}

static bool key_eq(const struct s2_key *a, const struct s2_key *b)
{
	return a->s2_on == b->s2_on && a->vmid == b->vmid && a->vttbr == b->vttbr &&
	       a->vtcr == b->vtcr;
}

/* ---- hashes ---- */

static uint64_t gkey(const struct ctx *c, uint64_t gbase, int glevel)
{
	return mix((uint64_t)(uintptr_t)c, gbase, (uint64_t)(glevel + 1));
}

static uint64_t rkey(uint64_t l1, int level)
{
	return mix(l1, (uint64_t)level, 0x5a5a);
}

static void gh_insert(struct s2_mmu *m, struct leaf *l)
{
	struct leaf **b = &m->gh.b[gkey(l->ctx, l->gbase, l->glevel) & m->gh.mask];

	l->gnext = *b;
	*b = l;
}

static void lh_move(struct leaf **to, uint64_t mask, struct leaf *l, bool g)
{
	struct leaf **b = &to[(g ? gkey(l->ctx, l->gbase, l->glevel) : rkey(l->l1, l->level)) &
			      mask];

	if (g)
		l->gnext = *b;
	else
		l->rnext = *b;
	*b = l;
}

/* The leaf hashes start at LH_MIN_BUCKETS and double while there are more than two leaves a
 * bucket, up to the size max_leaves sets: a replay of a short trace then clears 4 KiB
 * instead of 4 MiB. When the larger arrays cannot be allocated the chains only get longer. */
static void lh_grow(struct s2_mmu *m)
{
	uint64_t n = (m->gh.mask + 1) * 2;
	struct leaf **gb, **rb;

	if (m->gh.mask >= m->lh_max_mask || m->leaves_total <= 2 * (m->gh.mask + 1))
		return;
	gb = calloc(n, sizeof(*gb));
	rb = calloc(n, sizeof(*rb));
	if (!gb || !rb) {
		free(gb);
		free(rb);
		return;
	}
	for (uint64_t b = 0; b <= m->gh.mask; b++) {
		for (struct leaf *l = m->gh.b[b], *nx; l; l = nx) {
			nx = l->gnext;
			lh_move(gb, n - 1, l, true);
		}
		for (struct leaf *l = m->rh.b[b], *nx; l; l = nx) {
			nx = l->rnext;
			lh_move(rb, n - 1, l, false);
		}
	}
	free(m->gh.b);
	free(m->rh.b);
	m->gh = (struct lhash){ gb, n - 1 };
	m->rh = (struct lhash){ rb, n - 1 };
}

static void gh_remove(struct s2_mmu *m, struct leaf *l)
{
	struct leaf **p = &m->gh.b[gkey(l->ctx, l->gbase, l->glevel) & m->gh.mask];

	while (*p && *p != l)
		p = &(*p)->gnext;
	if (*p)
		*p = l->gnext;
}

static void rh_insert(struct s2_mmu *m, struct leaf *l)
{
	struct leaf **b = &m->rh.b[rkey(l->l1, l->level) & m->rh.mask];

	l->rnext = *b;
	*b = l;
}

static void rh_remove(struct s2_mmu *m, struct leaf *l)
{
	struct leaf **p = &m->rh.b[rkey(l->l1, l->level) & m->rh.mask];

	while (*p && *p != l)
		p = &(*p)->rnext;
	if (*p)
		*p = l->rnext;
}

static void ph_insert(struct s2_mmu *m, struct page *pg)
{
	struct page **b = &m->ph[mix(pg->pa, 0, 0) & m->phmask];

	pg->hnext = *b;
	*b = pg;
}

/* As lh_grow(), for the page hash: doubled while there are more than two pages a bucket. */
static void ph_grow(struct s2_mmu *m)
{
	uint64_t n = (m->phmask + 1) * 2;
	struct page **b;

	if (m->phmask >= m->ph_max_mask || m->pages_total <= 2 * (m->phmask + 1))
		return;
	b = calloc(n, sizeof(*b));
	if (!b)
		return;
	for (uint64_t i = 0; i <= m->phmask; i++) {
		for (struct page *pg = m->ph[i], *nx; pg; pg = nx) {
			struct page **to = &b[mix(pg->pa, 0, 0) & (n - 1)];

			nx = pg->hnext;
			pg->hnext = *to;
			*to = pg;
		}
	}
	free(m->ph);
	m->ph = b;
	m->phmask = n - 1;
}

static void ph_remove(struct s2_mmu *m, struct page *pg)
{
	struct page **p = &m->ph[mix(pg->pa, 0, 0) & m->phmask];

	while (*p && *p != pg)
		p = &(*p)->hnext;
	if (*p)
		*p = pg->hnext;
}

/* ---- pages ---- */

static struct page *page_new(struct s2_mmu *m)
{
	struct page *pg = calloc(1, sizeof(*pg));

	if (!pg)
		return NULL;
	pg->tbl = m->pg.alloc(m->pg.ctx, &pg->pa);
	if (!pg->tbl) {
		free(pg);
		return NULL;
	}
	return pg;
}

static void page_discard(struct s2_mmu *m, struct page *pg)
{
	m->pg.free(m->pg.ctx, pg->tbl, pg->pa);
	free(pg);
}

/* Account for and index a page that becomes part of a context's table. */
static void page_attach(struct s2_mmu *m, struct ctx *c, struct page *pg)
{
	c->pages++;
	m->pages_total++;
	m->st.pages_live = m->pages_total;
	if (m->pages_total > m->st.pages_peak)
		m->st.pages_peak = m->pages_total;
	ph_grow(m);
	ph_insert(m, pg);
}

static void page_detach_free(struct s2_mmu *m, struct ctx *c, struct page *pg)
{
	ph_remove(m, pg);
	c->pages--;
	m->pages_total--;
	m->st.pages_live = m->pages_total;
	page_discard(m, pg);
}

/* ---- leaves ---- */

/* Leaf records are recycled: a flush of 100,000 leaves then costs no free() calls, and the
 * spare list never exceeds the peak number of leaves (max_leaves). */
static struct leaf *leaf_alloc(struct s2_mmu *m)
{
	struct leaf *l = m->spare;

	if (!l)
		return calloc(1, sizeof(*l));
	m->spare = l->next;
	memset(l, 0, sizeof(*l));
	return l;
}

static void leaf_release(struct s2_mmu *m, struct leaf *l)
{
	l->next = m->spare;
	m->spare = l;
}

static void leaf_unlink(struct s2_mmu *m, struct leaf *l)
{
	struct ctx *c = l->ctx;

	gh_remove(m, l);
	rh_remove(m, l);
	if (l->prev)
		l->prev->next = l->next;
	else
		c->head = l->next;
	if (l->next)
		l->next->prev = l->prev;
	c->leaves--;
	m->leaves_total--;
	m->st.leaves_live = m->leaves_total;
}

/* Drop one leaf: clear its descriptor and free table pages left empty (never the root). */
static void leaf_drop(struct s2_mmu *m, struct leaf *l)
{
	struct ctx *c = l->ctx;
	struct page *pg = l->pg;
	unsigned idx = l->idx;

	leaf_unlink(m, l);
	leaf_release(m, l);
	for (;;) {
		pg->tbl[idx] = 0;
		pg->meta[idx] = NULL;
		pg->used--;
		if (pg->used || !pg->parent)
			break;
		idx = pg->pidx;
		struct page *parent = pg->parent;

		page_detach_free(m, c, pg);
		pg = parent;
	}
	m->flush = true;
}

static void tree_free(struct s2_mmu *m, struct ctx *c, struct page *pg)
{
	for (unsigned i = 0; i < ENTRIES && pg->used; i++) {
		if (!pg->meta[i])
			continue;
		if ((pg->tbl[i] & 3) == DESC_TABLE && pg->level < 3)
			tree_free(m, c, pg->meta[i]);
		pg->tbl[i] = 0;
		pg->meta[i] = NULL;
		pg->used--;
	}
	if (pg->parent)
		page_detach_free(m, c, pg);
}

/* Drop every leaf of a context and every table page but the root. */
/* Remove every leaf of c from both hash tables in one sequential sweep (cheaper than one
 * random unlink per leaf once c holds a good part of the buckets' worth). */
static void hash_sweep(struct s2_mmu *m, const struct ctx *c)
{
	for (uint64_t b = 0; b <= m->gh.mask; b++) {
		for (struct leaf **p = &m->gh.b[b]; *p;) {
			if ((*p)->ctx == c)
				*p = (*p)->gnext;
			else
				p = &(*p)->gnext;
		}
		for (struct leaf **p = &m->rh.b[b]; *p;) {
			if ((*p)->ctx == c)
				*p = (*p)->rnext;
			else
				p = &(*p)->rnext;
		}
	}
}

static unsigned ctx_flush(struct s2_mmu *m, struct ctx *c)
{
	unsigned n = c->leaves;

	if (n > (m->gh.mask + 1) / 8) {
		hash_sweep(m, c);
		while (c->head) {
			struct leaf *l = c->head;

			c->head = l->next;
			leaf_release(m, l);
		}
		c->leaves = 0;
		m->leaves_total -= n;
		m->st.leaves_live = m->leaves_total;
	}
	while (c->head) {
		struct leaf *l = c->head;

		leaf_unlink(m, l);
		leaf_release(m, l);
	}
	if (c->root)
		tree_free(m, c, c->root);
	if (n)
		m->flush = true;
	return n;
}

static void ctx_evict(struct s2_mmu *m, struct ctx *c)
{
	ctx_flush(m, c);
	if (c->root) {
		page_detach_free(m, c, c->root);
		c->root = NULL;
	}
	c->used = false;
	m->st.contexts_evicted++;
}

/* ---- create, destroy, load ---- */

struct s2_mmu *s2_create(const struct s2_config *cfg, const struct tr_features *feat,
			 const struct s2_page_ops *pages, const struct s2_host_ops *host)
{
	struct s2_mmu *m;

	if (!cfg || !feat || !pages || !pages->alloc || !pages->free || !host ||
	    !host->lookup || !host->read64)
		return NULL;
	if (cfg->max_contexts < 1 || cfg->max_contexts > 4096 || cfg->max_pages_ctx < 4 ||
	    cfg->max_pages_total < 4 || cfg->max_leaves < 1 ||
	    cfg->max_pages_total > (1u << 24) || cfg->max_leaves > (1u << 26) ||
	    (uint32_t)cfg->first_vmid + cfg->max_contexts > 0x10000u)
		return NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->cfg = *cfg;
	m->feat = *feat;
	m->pg = *pages;
	m->host = *host;
	m->loaded = -1;
	m->ctx = calloc(cfg->max_contexts, sizeof(*m->ctx));
	m->lh_max_mask = pow2_at_least(cfg->max_leaves / 2 + 1) - 1;
	m->gh.mask = m->lh_max_mask < LH_MIN_BUCKETS - 1 ? m->lh_max_mask : LH_MIN_BUCKETS - 1;
	m->rh.mask = m->gh.mask;
	m->gh.b = calloc(m->gh.mask + 1, sizeof(*m->gh.b));
	m->rh.b = calloc(m->rh.mask + 1, sizeof(*m->rh.b));
	m->ph_max_mask = pow2_at_least(cfg->max_pages_total) - 1;
	m->phmask = m->ph_max_mask < PH_MIN_BUCKETS - 1 ? m->ph_max_mask : PH_MIN_BUCKETS - 1;
	m->ph = calloc(m->phmask + 1, sizeof(*m->ph));
	if (!m->ctx || !m->gh.b || !m->rh.b || !m->ph) {
		s2_destroy(m);
		return NULL;
	}
	return m;
}

void s2_destroy(struct s2_mmu *m)
{
	if (!m)
		return;
	for (unsigned i = 0; m->ctx && i < m->cfg.max_contexts; i++)
		if (m->ctx[i].used)
			ctx_evict(m, &m->ctx[i]);
	while (m->spare) {
		struct leaf *l = m->spare;

		m->spare = l->next;
		free(l);
	}
	free(m->ctx);
	free(m->gh.b);
	free(m->rh.b);
	free(m->ph);
	free(m);
}

const struct s2_stats *s2_stats(const struct s2_mmu *m)
{
	return &m->st;
}

bool s2_take_flush(struct s2_mmu *m)
{
	bool f = m->flush;

	m->flush = false;
	return f;
}

void s2_put(struct s2_mmu *m)
{
	m->loaded = -1;
}

int s2_load(struct s2_mmu *m, const struct tr_sysregs *regs)
{
	struct s2_key key;
	struct ctx *victim = NULL;
	int slot = -1;

	s2_key_from_regs(&m->cfg, regs, &key);
	m->regs = *regs;
	m->clock++;
	for (unsigned i = 0; i < m->cfg.max_contexts; i++) {
		struct ctx *c = &m->ctx[i];

		if (c->used && key_eq(&c->key, &key)) {
			c->lru = m->clock;
			if (m->loaded != (int)i)
				m->st.context_hits++;
			m->loaded = (int)i;
			return (int)i;
		}
	}
	/* A miss creates a context; it never fails for want of a slot (R: the 2017 review
	 * question). Only the context being replaced is unloaded, never one in use. */
	m->loaded = -1;
	for (unsigned i = 0; i < m->cfg.max_contexts; i++) {
		struct ctx *c = &m->ctx[i];

		if (!c->used) {
			slot = (int)i;
			break;
		}
		if (!victim || c->lru < victim->lru)
			victim = c;
	}
	if (slot < 0) {
		slot = (int)(victim - m->ctx);
		ctx_evict(m, victim);
	}
	struct ctx *c = &m->ctx[slot];
	struct page *root = page_new(m);

	if (!root)
		return -1;
	/* The slot's real VMID may still tag entries in the CPU's TLB. */
	if (c->reused)
		m->flush = true;
	memset(c, 0, sizeof(*c));
	c->used = true;
	c->reused = true;
	c->key = key;
	c->gshift = key.s2_on ? gran_shift(key.vtcr) : 12;
	c->lru = m->clock;
	root->level = 0;
	c->root = root;
	page_attach(m, c, root);
	m->st.contexts_created++;
	m->loaded = slot;
	return slot;
}

bool s2_ctx_info(const struct s2_mmu *m, int slot, struct s2_ctx_info *info)
{
	const struct ctx *c;

	if (slot < 0 || (unsigned)slot >= m->cfg.max_contexts || !m->ctx[slot].used)
		return false;
	c = &m->ctx[slot];
	memset(info, 0, sizeof(*info));
	info->slot = slot;
	info->key = c->key;
	info->real_vmid = (uint16_t)(m->cfg.first_vmid + slot);
	info->root_pa = c->root->pa;
	info->vttbr = (uint64_t)info->real_vmid << 48 | c->root->pa;
	/* T0SZ=16, SL0=2 (level 0 with 4K), IRGN/ORGN WB, SH inner, TG0=4K, PS=0b101 (48
	 * bits), VS=1 (16-bit VMID). */
	info->vtcr = 16 | 2ull << 6 | 1ull << 8 | 1ull << 10 | 3ull << 12 | 5ull << 16 |
		     1ull << 19;
	info->pages = c->pages;
	info->leaves = c->leaves;
	return true;
}

/* ---- guest memory through the host stage 2 ---- */

struct gmem {
	struct s2_mmu *m;
	bool host_miss;
	uint64_t host_ipa;
};

static bool gmem_map(struct gmem *g, uint64_t ipa)
{
	struct s2_host_map hm;

	if (!g->m->host.lookup(g->m->host.ctx, ipa, &hm) || ipa - hm.ipa >= hm.size) {
		g->host_miss = true;
		g->host_ipa = ipa;
		return false;
	}
	return true;
}

static bool gmem_read64(void *ctx, uint64_t ipa, uint64_t *val)
{
	struct gmem *g = ctx;

	if (!gmem_map(g, ipa))
		return false;
	return g->m->host.read64(g->m->host.ctx, ipa, val);
}

static bool gmem_cas64(void *ctx, uint64_t ipa, uint64_t expected, uint64_t desired,
		       uint64_t *seen)
{
	struct gmem *g = ctx;

	if (!gmem_map(g, ipa))
		return false;
	return g->m->host.cas64(g->m->host.ctx, ipa, expected, desired, seen);
}

/* ---- fill ---- */

struct walk_out {
	uint64_t l1;
	uint8_t gperms;
	int8_t glevel;
	uint64_t gbase, gsize;
	uint64_t memattr, sh;
};

static void make_vfault(const struct s2_req *req, const struct tr_fault *f, struct s2_vfault *vf)
{
	bool exec = req->fetch || (req->type == TR_ACC_EXEC && !req->s1ptw);
	uint64_t iss;

	memset(vf, 0, sizeof(*vf));
	vf->f = *f;
	vf->f.stage2 = true;
	vf->f.s1ptw = req->s1ptw;
	/* WnR: a write, including a hardware update of a stage-1 descriptor. */
	vf->f.write = req->type == TR_ACC_WRITE;
	vf->f.ipa = req->ipa;
	vf->f.va = req->va;
	vf->fsc = tr_fault_fsc(&vf->f);
	/* ESR_EL2: EC 0x24 data abort / 0x20 instruction abort from a lower EL, IL=1;
	 * ISS: DFSC[5:0], WnR[6], S1PTW[7] (ISS encoding for an exception from a Data
	 * Abort). */
	iss = vf->fsc;
	if (vf->f.write)
		iss |= 1u << 6;
	if (req->s1ptw)
		iss |= 1u << 7;
	vf->esr = (uint64_t)(exec ? 0x20 : 0x24) << 26 | 1ull << 25 | iss;
	vf->far = req->va;
	/* HPFAR_EL2.FIPA[43:4] = IPA[51:12]. */
	vf->hpfar = ((req->ipa >> 12) << 4) & 0xffffffffff0ull;
}

static enum s2_outcome guest_walk(struct s2_mmu *m, struct ctx *c, const struct tr_sysregs *regs,
				  const struct s2_req *req, bool inspect, struct walk_out *w,
				  struct s2_result *res, struct tr_walk_log *log)
{
	struct gmem g = {.m = m};
	struct tr_ctx tc = {
		.regs = regs,
		.feat = &m->feat,
		.mem = {gmem_read64, m->host.cas64 ? gmem_cas64 : NULL, &g},
		.log = log,
		.no_side_effects = inspect,
		.cache = &m->cache,
	};
	struct tr_access acc = {.type = req->type, .el = req->el};
	struct tr_result r;
	struct tr_fault f;
	uint64_t desc;

	if (!c->key.s2_on) {
		/* Guest stage 2 off: L2 IPA = L1 IPA; only the host bounds the leaf. */
		w->l1 = req->ipa;
		w->gperms = S2_PERM_ALL;
		w->glevel = -1;
		w->gsize = 1ull << 30;
		w->gbase = req->ipa & ~(w->gsize - 1);
		w->memattr = 0xf;
		w->sh = 3;
		return S2_OK;
	}
	memset(&r, 0, sizeof(r));
	memset(&f, 0, sizeof(f));
	if (!tr_walk_s2(&tc, req->ipa, &acc, &r, &f)) {
		if (g.host_miss) {
			res->host_ipa = g.host_ipa;
			res->host_walk = true;
			return S2_HOST_MISS;
		}
		make_vfault(req, &f, &res->vf);
		return S2_GUEST_FAULT;
	}
	desc = r.s2_valid ? r.s2_desc : r.desc;
	w->l1 = r.oa;
	w->glevel = r.s2_valid ? r.s2_level : r.level;
	if (w->glevel < 0 || w->glevel > 3)
		return S2_ERROR;	/* a walker result el2emu cannot shadow */
	/* The size of one descriptor at that level (a contiguous run is invalidated entry by
	 * entry, so the entry, not the run, is the unit a TLBI names). The granule is the one
	 * the walker used: an unimplemented or reserved TG0 falls back as translate decides. */
	w->gsize = r.s2_valid ? r.s2_block_size : r.block_size;
	if (w->gsize != 1ull << gleaf_shift(c->gshift, w->glevel)) {
		unsigned g;

		for (g = 12; g <= 16; g += 2)
			if (w->gsize == 1ull << gleaf_shift(g, w->glevel))
				break;
		if (g > 16)
			return S2_ERROR;	/* no granule gives that leaf size */
		c->gshift = g;
	}
	w->gbase = req->ipa & ~(w->gsize - 1);
	w->gperms = s2_desc_perms(desc, m->feat.xnx);
	w->memattr = (desc >> 2) & 0xf;
	w->sh = (desc >> 8) & 3;
	return S2_OK;
}

/* The largest shadow block (1G, 2M, 4K) inside both the guest leaf and the host range,
 * with L2 IPA and PA congruent modulo its size. 0: not representable (IPA or PA beyond
 * the shadow table's 48 bits, or a host range that does not cover a whole congruent
 * page): the translation is answered but not cached. */
static int pick_level(uint64_t ipa, uint64_t l1, uint64_t pa, uint64_t gsize,
		      const struct s2_host_map *hm)
{
	if (ipa >> S2_IPA_BITS || pa >> S2_IPA_BITS)
		return 0;
	for (int level = 1; level <= 3; level++) {
		uint64_t s = 1ull << lshift(level), b = l1 & ~(s - 1);

		if (s > gsize || (ipa & (s - 1)) != (pa & (s - 1)))
			continue;
		if (b < hm->ipa || b - hm->ipa > hm->size || hm->size - (b - hm->ipa) < s)
			continue;
		return level;
	}
	return 0;
}

struct plan {
	int level;
	int first_new;		/* shallowest level whose table page must be allocated */
	struct page *at;	/* existing page at level first_new - 1 */
	struct leaf *drop;	/* a leaf in the way (a block on the path, or the same slot) */
	unsigned need;
};

static void make_plan(struct ctx *c, uint64_t ipa, int level, struct plan *p)
{
	struct page *pg = c->root;

	memset(p, 0, sizeof(*p));
	for (int l = 0;; l++) {
		unsigned i = idx_of(ipa, l);
		uint64_t d = pg->tbl[i];

		if (l == level) {
			if (d && (d & 3) == DESC_TABLE && l < 3) {
				/* A table is already there: shadow a smaller piece instead. */
				level++;
				pg = pg->meta[i];
				continue;
			}
			if (d)
				p->drop = pg->meta[i];
			p->level = level;
			p->at = pg;
			p->first_new = level + 1;
			return;
		}
		if (d && (d & 3) == DESC_TABLE) {
			pg = pg->meta[i];
			continue;
		}
		if (d)
			p->drop = pg->meta[i];
		p->level = level;
		p->at = pg;
		p->first_new = l + 1;
		p->need = (unsigned)(level - l);
		return;
	}
}

static struct ctx *lru_unloaded(struct s2_mmu *m)
{
	struct ctx *v = NULL;

	for (unsigned i = 0; i < m->cfg.max_contexts; i++) {
		struct ctx *c = &m->ctx[i];

		if (c->used && (int)i != m->loaded && (!v || c->lru < v->lru))
			v = c;
	}
	return v;
}

static void fill_ok(struct s2_result *res, uint64_t pa, uint64_t l1, uint8_t perms, int level,
		    int glevel)
{
	res->outcome = S2_OK;
	res->pa = pa;
	res->l1_ipa = l1;
	res->perms = perms;
	res->level = (int8_t)level;
	res->guest_level = (int8_t)glevel;
}

enum s2_outcome s2_translate(struct s2_mmu *m, const struct s2_req *req,
			     struct s2_result *res, struct tr_walk_log *walk_log)
{
	struct ctx *c;
	struct walk_out w;
	struct s2_host_map hm;
	struct plan p;
	struct page *newp[3] = {NULL, NULL, NULL};
	struct leaf *nl;
	enum tr_acc_type type = req->type;
	enum s2_outcome o;
	uint64_t pa;
	uint8_t perms;
	int level;
	bool refill = false;

	memset(res, 0, sizeof(*res));
	res->level = -1;
	res->guest_level = -1;
	if (m->loaded < 0) {
		m->st.errors++;
		return res->outcome = S2_ERROR;
	}
	c = &m->ctx[m->loaded];
	/* Hit: descend the shadow table as the CPU would. */
	if (!(req->ipa >> S2_IPA_BITS)) {
		struct page *pg = c->root;

		for (int l = 0; l <= 3; l++) {
			unsigned i = idx_of(req->ipa, l);
			uint64_t d = pg->tbl[i];

			if (!d)
				break;
			if ((d & 3) == DESC_TABLE && l < 3) {
				pg = pg->meta[i];
				continue;
			}
			struct leaf *lf = pg->meta[i];
			uint64_t off = req->ipa - lf->ipa;

			if (perm_allows(lf->perms, type, req->el)) {
				m->st.hits++;
				res->hit = true;
				fill_ok(res, lf->pa + off, lf->l1 + off, lf->perms, l, lf->glevel);
				return S2_OK;
			}
			/* Stage 2 may have granted more since the fill (or a DBM page may become
			 * writable): walk again for this access type. */
			refill = true;
			break;
		}
	}

	/* Miss: walk the guest's stage 2, then the host's. */
	o = guest_walk(m, c, &m->regs, req, false, &w, res, walk_log);
	if (o == S2_GUEST_FAULT) {
		m->st.guest_faults++;
		return res->outcome = o;
	}
	if (o == S2_HOST_MISS) {
		m->st.host_misses++;
		return res->outcome = o;
	}
	if (o != S2_OK) {
		m->st.errors++;
		return res->outcome = o;
	}
	if (!m->host.lookup(m->host.ctx, w.l1, &hm) || w.l1 - hm.ipa >= hm.size) {
		m->st.host_misses++;
		res->host_ipa = w.l1;
		return res->outcome = S2_HOST_MISS;
	}
	perms = perms_norm(w.gperms & hm.perms);
	pa = hm.pa + (w.l1 - hm.ipa);
	if (!perm_allows(hm.perms, type, req->el)) {
		m->st.host_misses++;
		res->host_ipa = w.l1;
		res->host_perm = true;
		return res->outcome = S2_HOST_MISS;
	}
	level = pick_level(req->ipa, w.l1, pa, w.gsize, &hm);
	if (!level) {
		/* Beyond the shadow table's reach: answer without caching. */
		m->st.fills++;
		fill_ok(res, pa, w.l1, perms, -1, w.glevel);
		return S2_OK;
	}

	/* Prepare: may fail, changes nothing but (allowed) TLB drops under pressure. */
	for (int attempt = 0;; attempt++) {
		make_plan(c, req->ipa, level, &p);
		if (c->pages + p.need <= m->cfg.max_pages_ctx &&
		    m->pages_total + p.need <= m->cfg.max_pages_total &&
		    m->leaves_total + 1 - (p.drop ? 1 : 0) <= m->cfg.max_leaves)
			break;
		struct ctx *v = lru_unloaded(m);

		if (attempt > (int)m->cfg.max_contexts + 2) {
			m->st.errors++;
			return res->outcome = S2_ERROR;
		}
		/* Memory pressure: drop whole contexts (TLB entries may go at any time). */
		if (v && c->pages + p.need <= m->cfg.max_pages_ctx)
			ctx_evict(m, v);
		else
			m->st.leaves_dropped_pressure += ctx_flush(m, c);
	}
	nl = leaf_alloc(m);
	if (!nl)
		goto fail;
	for (unsigned k = 0; k < p.need; k++) {
		newp[k] = page_new(m);
		if (!newp[k])
			goto fail;
	}

	/* Commit: cannot fail. */
	if (p.drop) {
		struct page *keep = p.at;

		/* Dropping must not free the page the plan builds on. */
		keep->used++;
		leaf_drop(m, p.drop);
		keep->used--;
	}
	level = p.level;
	struct page *pg = p.at;

	for (unsigned k = 0; k < p.need; k++) {
		int l = p.first_new - 1 + (int)k;
		unsigned i = idx_of(req->ipa, l);

		newp[k]->level = l + 1;
		newp[k]->parent = pg;
		newp[k]->pidx = i;
		page_attach(m, c, newp[k]);
		pg->tbl[i] = newp[k]->pa | DESC_TABLE;
		pg->meta[i] = newp[k];
		pg->used++;
		pg = newp[k];
	}
	{
		uint64_t s = 1ull << lshift(level);
		unsigned i = idx_of(req->ipa, level);
		uint64_t d;

		nl->ctx = c;
		nl->pg = pg;
		nl->idx = i;
		nl->level = (uint8_t)level;
		nl->perms = perms;
		nl->glevel = w.glevel;
		nl->ipa = req->ipa & ~(s - 1);
		nl->pa = pa & ~(s - 1);
		nl->l1 = w.l1 & ~(s - 1);
		nl->gbase = w.gbase;
		nl->gsize = w.gsize;
		nl->seq = m->seq;
		/* Block (levels 1-2) or page (level 3); MemAttr and SH from the guest leaf
		 * (IMPDEF: the host's attributes are Normal WB and do not narrow them). */
		d = nl->pa | (level == 3 ? DESC_TABLE : DESC_VALID) | w.memattr << 2 |
		    w.sh << 8 | DESC_AF | perms_to_desc(perms) |
		    (uint64_t)(w.glevel + 1) << SW_SHIFT;
		pg->tbl[i] = d;
		pg->meta[i] = nl;
		pg->used++;
		nl->next = c->head;
		if (c->head)
			c->head->prev = nl;
		c->head = nl;
		c->leaves++;
		m->leaves_total++;
		m->st.leaves_live = m->leaves_total;
		if (m->leaves_total > m->st.leaves_peak)
			m->st.leaves_peak = m->leaves_total;
		lh_grow(m);
		gh_insert(m, nl);
		rh_insert(m, nl);
	}
	m->st.fills++;
	if (refill)
		m->st.refills++;
	fill_ok(res, pa, w.l1, perms, level, w.glevel);
	return S2_OK;

fail:
	for (unsigned k = 0; k < 3; k++)
		if (newp[k])
			page_discard(m, newp[k]);
	if (nl)
		leaf_release(m, nl);
	m->st.errors++;
	return res->outcome = S2_ERROR;
}

/* ---- a nested guest's access: stage 1 through the shadow ---- */

struct acc_state {
	struct s2_mmu *m;
	uint64_t va;
	bool fetch;
	bool host_miss, error, have_vf, have_last;
	uint64_t host_ipa;
	struct s2_vfault vf;
	uint64_t last_ipa, last_pa, last_l1;
};

static bool hook_xlate(void *ctx, uint64_t ipa, const struct tr_access *acc, bool s1ptw,
		       struct tr_result *out, struct tr_fault *fault)
{
	struct acc_state *as = ctx;
	struct s2_req req = {.ipa = ipa, .type = acc->type, .el = acc->el, .s1ptw = s1ptw,
			     .fetch = as->fetch, .va = as->va};
	struct s2_result r;

	switch (s2_translate(as->m, &req, &r, NULL)) {
	case S2_OK:
		memset(out, 0, sizeof(*out));
		out->oa = r.pa;
		out->ipa = ipa;
		out->perms = r.perms;
		out->level = r.level;
		out->block_size = r.level > 0 ? 1ull << lshift(r.level) : 4096;
		as->have_last = true;
		as->last_ipa = ipa;
		as->last_pa = r.pa;
		as->last_l1 = r.l1_ipa;
		return true;
	case S2_GUEST_FAULT:
		as->have_vf = true;
		as->vf = r.vf;
		*fault = r.vf.f;
		return false;
	case S2_HOST_MISS:
		as->host_miss = true;
		as->host_ipa = r.host_ipa;
		break;
	case S2_ERROR:
		as->error = true;
		break;
	}
	/* Not a guest fault: the caller reports it from as. */
	memset(fault, 0, sizeof(*fault));
	fault->type = TR_FAULT_EXT_ABORT_WALK;
	fault->stage2 = true;
	fault->s1ptw = s1ptw;
	fault->ipa = ipa;
	fault->va = as->va;
	return false;
}

/* The walker reads stage-1 descriptors at the PA the hook returned (plus an offset). The
 * replayed memory is addressed by L1 IPA, so map the PA back through the IPA it came from. */
static bool amem_l1(struct acc_state *as, uint64_t pa, uint64_t *l1)
{
	uint64_t ipa;
	struct s2_req req = {.type = TR_ACC_READ, .s1ptw = true, .va = as->va};
	struct s2_result r;

	if (!as->have_last)
		return false;
	ipa = as->last_ipa + (pa - as->last_pa);
	if ((ipa & ~0xfffull) == (as->last_ipa & ~0xfffull)) {
		*l1 = as->last_l1 + (pa - as->last_pa);
		return true;
	}
	req.ipa = ipa;
	if (s2_translate(as->m, &req, &r, NULL) != S2_OK)
		return false;
	*l1 = r.l1_ipa;
	return true;
}

static bool amem_read64(void *ctx, uint64_t pa, uint64_t *val)
{
	struct acc_state *as = ctx;
	uint64_t l1;

	return amem_l1(as, pa, &l1) && as->m->host.read64(as->m->host.ctx, l1, val);
}

static bool amem_cas64(void *ctx, uint64_t pa, uint64_t expected, uint64_t desired,
		       uint64_t *seen)
{
	struct acc_state *as = ctx;
	uint64_t l1;

	return amem_l1(as, pa, &l1) &&
	       as->m->host.cas64(as->m->host.ctx, l1, expected, desired, seen);
}

enum s2_access_outcome s2_access(struct s2_mmu *m, const struct tr_sysregs *regs,
				 enum tr_acc_type type, uint8_t el, uint64_t va,
				 struct s2_access_result *out)
{
	struct acc_state as = {.m = m, .va = va, .fetch = type == TR_ACC_EXEC};
	struct tr_s2_hook hook = {hook_xlate, &as};
	struct tr_ctx tc = {
		.regs = regs,
		.feat = &m->feat,
		.mem = {amem_read64, m->host.cas64 ? amem_cas64 : NULL, &as},
		.s2_hook = &hook,
		.cache = &m->cache,
	};
	struct tr_access acc = {.type = type, .el = el};
	struct tr_result r;
	struct tr_fault f;

	memset(out, 0, sizeof(*out));
	if (s2_load(m, regs) < 0)
		return out->outcome = S2A_ERROR;
	memset(&r, 0, sizeof(r));
	memset(&f, 0, sizeof(f));
	if (tr_walk_s1(&tc, TR_REGIME_EL10, va, &acc, &hook, &r, &f)) {
		out->pa = r.oa;
		return out->outcome = S2A_OK;
	}
	out->fault = f;
	if (as.error)
		return out->outcome = S2A_ERROR;
	if (as.host_miss) {
		out->ipa = as.host_ipa & ~0xfffull;
		return out->outcome = S2A_HOST;
	}
	if (!f.stage2) {
		out->fsc = tr_fault_fsc(&f);
		return out->outcome = S2A_S1_FAULT;
	}
	if (as.have_vf)
		out->vf = as.vf;
	out->fsc = tr_fault_fsc(&f);
	out->ipa = f.ipa & ~0xfffull;
	return out->outcome = f.s1ptw ? S2A_S2PTW_FAULT : S2A_S2_FAULT;
}

/* ---- TLB maintenance ---- */

static const char *const kind_names[S2_TLBI_KINDS] = {
	"VMALLS12E1", "IPAS2E1", "IPAS2LE1", "RIPAS2E1", "RIPAS2LE1",
	"ALLE1", "stage1", "other", "invalid",
};

const char *s2_tlbi_kind_name(enum s2_tlbi_kind k)
{
	return (unsigned)k < S2_TLBI_KINDS ? kind_names[k] : "?";
}

static enum s2_tlbi_kind kind_of(const struct sr_tlbi_info *t)
{
	switch (t->scope) {
	case SR_TLBI_ALL:
		return t->regime_el == 1 ? S2_TLBI_ALLE1 : S2_TLBI_OTHER;
	case SR_TLBI_VMALL:
		return t->stage2 ? S2_TLBI_VMALLS12E1 :
		       t->regime_el == 1 ? S2_TLBI_STAGE1 : S2_TLBI_OTHER;
	case SR_TLBI_IPA:
		return t->last_level ? S2_TLBI_IPAS2LE1 : S2_TLBI_IPAS2E1;
	case SR_TLBI_RIPA:
		return t->last_level ? S2_TLBI_RIPAS2LE1 : S2_TLBI_RIPAS2E1;
	default:
		return t->regime_el == 1 ? S2_TLBI_STAGE1 : S2_TLBI_OTHER;
	}
}

int s2_tlbi_kind_from_name(const char *name)
{
	const struct sr_desc *d = sr_find_name(name);

	if (!d || d->kind != SR_KIND_TLBI || !d->tlbi)
		return -1;
	return (int)kind_of(d->tlbi);
}

void s2_tlbi_decode(enum s2_tlbi_kind kind, uint64_t xt, struct s2_tlbi *op)
{
	/* One form of each kind: the operand layout is the same for IS, OS and nXS. */
	static const char *const form[S2_TLBI_KINDS] = {
		"VMALLS12E1", "IPAS2E1", "IPAS2LE1", "RIPAS2E1", "RIPAS2LE1",
		"ALLE1", "VMALLE1", "ALLE2", NULL,
	};

	if ((unsigned)kind >= S2_TLBI_KINDS || !form[kind] ||
	    !s2_tlbi_from_sysreg(sr_find_name(form[kind]), xt, op)) {
		memset(op, 0, sizeof(*op));
		op->kind = S2_TLBI_INVALID;
		op->ttl_level = -1;
	}
}

bool s2_tlbi_from_sysreg(const struct sr_desc *d, uint64_t xt, struct s2_tlbi *op)
{
	const struct sr_tlbi_info *t;
	struct sr_tlbi_operand o;

	memset(op, 0, sizeof(*op));
	op->ttl_level = -1;
	if (!d || d->kind != SR_KIND_TLBI || !d->tlbi)
		return false;
	t = d->tlbi;
	op->kind = kind_of(t);
	if (t->scope != SR_TLBI_IPA && t->scope != SR_TLBI_RIPA)
		return true;
	if (!sr_tlbi_decode(t, xt, &o)) {
		/* Range TG=0b00 is reserved: TLBIRange() reports no valid range, and no entry
		 * is required to be invalidated. */
		op->kind = S2_TLBI_INVALID;
		return true;
	}
	op->start = o.addr;
	op->end = o.end > o.addr ? o.end : o.addr + 1;
	op->ttl_level = o.ttl_level;
	op->ttl_gran = o.ttl_level >= 0 ? o.ttl_granule : 0;
	return true;
}

static bool ttl_applies(const struct ctx *c, const struct s2_tlbi *op)
{
	unsigned g = op->ttl_gran == 4096 ? 12 : op->ttl_gran == 16384 ? 14 :
		     op->ttl_gran == 65536 ? 16 : 0;

	/* A hint for another granule than the context's says nothing about its entries. */
	return op->ttl_level >= 0 && g == c->gshift;
}

static bool range_overlaps(uint64_t a, uint64_t asize, uint64_t start, uint64_t end)
{
	return a < end && (start <= a || start - a < asize);
}

/* Drop the leaves of c whose guest leaf overlaps [start, end) (AArch64.TLBIMatch for
 * stage-2 entries by IPA), restricted to the TTL level when the hint applies. */
static unsigned drop_guest_range(struct s2_mmu *m, struct ctx *c, const struct s2_tlbi *op)
{
	bool hint = ttl_applies(c, op);
	unsigned n = 0;

	for (int level = 0; level <= 3; level++) {
		unsigned sh = gleaf_shift(c->gshift, level);
		uint64_t first, last;

		if ((hint && level != op->ttl_level) || sh > 52 || op->end <= op->start)
			continue;
		first = op->start >> sh;
		last = (op->end - 1) >> sh;
		if (last - first < 64) {
			for (uint64_t k = first; k <= last; k++) {
				uint64_t b = k << sh;
				struct leaf *l = m->gh.b[gkey(c, b, level) & m->gh.mask];

				while (l) {
					struct leaf *nx = l->gnext;

					if (l->ctx == c && l->glevel == level && l->gbase == b) {
						leaf_drop(m, l);
						n++;
					}
					l = nx;
				}
			}
			continue;
		}
		for (struct leaf *l = c->head, *nx; l; l = nx) {
			nx = l->next;
			if (l->glevel == level &&
			    range_overlaps(l->gbase, l->gsize, op->start, op->end)) {
				leaf_drop(m, l);
				n++;
			}
		}
	}
	return n;
}

unsigned s2_tlbi(struct s2_mmu *m, const struct tr_sysregs *regs, const struct s2_tlbi *op)
{
	uint16_t vmid = vmid_of(&m->cfg, regs->vttbr_el2, regs->vtcr_el2);
	unsigned n = 0;

	if ((unsigned)op->kind >= S2_TLBI_KINDS)
		return 0;
	m->st.tlbi[op->kind]++;
	m->seq++;
	m->ring[m->ring_n % RING] = (struct tlbi_rec){m->seq, *op, vmid};
	m->ring_n++;
	for (unsigned i = 0; i < m->cfg.max_contexts; i++) {
		struct ctx *c = &m->ctx[i];

		if (!c->used)
			continue;
		switch (op->kind) {
		case S2_TLBI_ALLE1:
			n += ctx_flush(m, c);
			break;
		case S2_TLBI_VMALLS12E1:
			if (c->key.vmid == vmid)
				n += ctx_flush(m, c);
			break;
		case S2_TLBI_IPAS2E1:
		case S2_TLBI_IPAS2LE1:
		case S2_TLBI_RIPAS2E1:
		case S2_TLBI_RIPAS2LE1:
			/* Shadow leaves are all final-level entries and el2emu caches no
			 * walk entries, so the last-level forms drop the same leaves. */
			if (c->key.vmid == vmid && c->key.s2_on)
				n += drop_guest_range(m, c, op);
			break;
		default:
			break;
		}
	}
	m->st.leaves_dropped_tlbi += n;
	/* Every kind but a reserved operand reaches the CPU's TLB (stage-1 and combined
	 * entries live there, not in the shadow). */
	if (op->kind != S2_TLBI_INVALID) {
		m->flush = true;
		m->st.cpu_tlb_flushes++;
	}
	return n;
}

/* ---- host changes: the reverse map ---- */

unsigned s2_host_changed(struct s2_mmu *m, uint64_t ipa, uint64_t size)
{
	uint64_t end = ipa + size < ipa ? UINT64_MAX : ipa + size;
	unsigned n = 0;

	m->st.host_remaps++;
	/* No leaf, nothing derived from the range: skip the per-page probes of a large one. */
	if (!size || !m->leaves_total)
		return 0;
	for (int level = 1; level <= 3; level++) {
		unsigned sh = lshift(level);
		uint64_t first = ipa >> sh, last = (end - 1) >> sh;

		if (last - first < 4096 || last - first < m->leaves_total) {
			for (uint64_t k = first; k <= last; k++) {
				uint64_t b = k << sh;
				struct leaf *l = m->rh.b[rkey(b, level) & m->rh.mask];

				while (l) {
					struct leaf *nx = l->rnext;

					if (l->level == level && l->l1 == b) {
						leaf_drop(m, l);
						n++;
					}
					l = nx;
				}
			}
			continue;
		}
		/* A range larger than the number of leaves: scanning them is cheaper. */
		for (unsigned i = 0; i < m->cfg.max_contexts; i++) {
			for (struct leaf *l = m->ctx[i].head, *nx; l; l = nx) {
				nx = l->next;
				if (l->level == level &&
				    range_overlaps(l->l1, 1ull << sh, ipa, end)) {
					leaf_drop(m, l);
					n++;
				}
			}
		}
	}
	m->st.leaves_dropped_host += n;
	if (n)
		m->st.cpu_tlb_flushes++;
	return n;
}

/* ---- audit ---- */

/* Did a TLBI run after the fill that must have removed l? Written independently of the
 * indexes the invalidation itself uses, so the audit checks them. */
static bool tlbi_covered(const struct s2_mmu *m, const struct leaf *l)
{
	uint64_t from = m->ring_n > RING ? m->ring_n - RING : 0;

	for (uint64_t k = from; k < m->ring_n; k++) {
		const struct tlbi_rec *r = &m->ring[k % RING];
		const struct ctx *c = l->ctx;

		if (r->seq <= l->seq)
			continue;
		switch (r->op.kind) {
		case S2_TLBI_ALLE1:
			return true;
		case S2_TLBI_VMALLS12E1:
			if (r->vmid == c->key.vmid)
				return true;
			break;
		case S2_TLBI_IPAS2E1:
		case S2_TLBI_IPAS2LE1:
		case S2_TLBI_RIPAS2E1:
		case S2_TLBI_RIPAS2LE1:
			if (r->vmid != c->key.vmid || !c->key.s2_on || l->glevel < 0)
				break;
			if (ttl_applies(c, &r->op) && r->op.ttl_level != l->glevel)
				break;
			if (l->gbase < r->op.end && r->op.start < l->gbase + l->gsize)
				return true;
			break;
		default:
			break;
		}
	}
	return false;
}

static void audit_leaf(struct s2_mmu *m, struct ctx *c, struct leaf *l,
		       void (*cb)(void *arg, const struct s2_audit_finding *f), void *arg,
		       struct s2_audit_report *rep)
{
	struct tr_sysregs regs = m->regs;
	uint64_t size = 1ull << lshift(l->level);
	struct s2_req req = {.ipa = l->ipa, .va = l->ipa};
	struct s2_audit_finding fd = {.slot = (int)(c - m->ctx), .ipa = l->ipa, .size = size,
				      .pa = l->pa, .l1_ipa = l->l1};
	struct s2_result tmp;
	struct s2_host_map hm;
	struct walk_out w;

	rep->checked++;
	regs.vttbr_el2 = c->key.vttbr | (uint64_t)c->key.vmid << 48;
	regs.vtcr_el2 = c->key.vtcr;
	regs.hcr_el2 = (regs.hcr_el2 & ~1ull) | (c->key.s2_on ? 1 : 0);
	/* Walk for an access the leaf grants, without side effects. */
	if (l->perms & TR_PERM_R1) {
		req.type = TR_ACC_READ, req.el = 1;
	} else if (l->perms & TR_PERM_W1) {
		req.type = TR_ACC_WRITE, req.el = 1;
	} else if (l->perms & TR_PERM_X1) {
		req.type = TR_ACC_EXEC, req.el = 1;
	} else {
		req.type = TR_ACC_EXEC, req.el = 0;
	}
	memset(&tmp, 0, sizeof(tmp));
	if (guest_walk(m, c, &regs, &req, true, &w, &tmp, NULL) != S2_OK)
		fd.why = "the guest stage 2 no longer maps the IPA";
	else if (w.l1 != l->l1)
		fd.why = "the guest stage 2 maps the IPA elsewhere";
	else if (w.gsize < size || w.glevel != l->glevel)
		fd.why = "the guest leaf changed size";
	else if (l->perms & ~perms_norm(w.gperms))
		fd.why = "the guest stage 2 grants less than the leaf";
	if (fd.why) {
		fd.verdict = tlbi_covered(m, l) ? S2_AUDIT_STALE_BUG : S2_AUDIT_STALE_ALLOWED;
	} else if (!m->host.lookup(m->host.ctx, l->l1, &hm) || l->l1 - hm.ipa >= hm.size ||
		   hm.size - (l->l1 - hm.ipa) < size || hm.pa + (l->l1 - hm.ipa) != l->pa) {
		fd.why = "the host maps the L1 IPA elsewhere or not at all";
		fd.verdict = S2_AUDIT_HOST_STALE;
	} else if (l->perms & ~perms_norm(hm.perms)) {
		fd.why = "the host grants less than the leaf";
		fd.verdict = S2_AUDIT_HOST_STALE;
	} else {
		return;
	}
	if (fd.verdict == S2_AUDIT_STALE_BUG)
		rep->stale_bug++;
	else if (fd.verdict == S2_AUDIT_STALE_ALLOWED)
		rep->stale_allowed++;
	else
		rep->host_stale++;
	if (cb)
		cb(arg, &fd);
}

void s2_audit(struct s2_mmu *m, void (*cb)(void *arg, const struct s2_audit_finding *f),
	      void *arg, struct s2_audit_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	for (unsigned i = 0; i < m->cfg.max_contexts; i++)
		for (struct leaf *l = m->ctx[i].head; l; l = l->next)
			audit_leaf(m, &m->ctx[i], l, cb, arg, rep);
}

/* ---- inspection ---- */

static void visit(const struct page *pg, void (*cb)(void *arg, const struct s2_leaf_info *leaf),
		  void *arg)
{
	for (unsigned i = 0; i < ENTRIES; i++) {
		uint64_t d = pg->tbl[i];

		if (!d)
			continue;
		if ((d & 3) == DESC_TABLE && pg->level < 3) {
			visit(pg->meta[i], cb, arg);
			continue;
		}
		const struct leaf *l = pg->meta[i];
		struct s2_leaf_info li = {
			.ipa = l->ipa, .size = 1ull << lshift(l->level), .pa = l->pa,
			.l1_ipa = l->l1, .desc = d, .level = (int8_t)l->level,
			.guest_level = l->glevel, .perms = l->perms,
		};

		cb(arg, &li);
	}
}

void s2_for_each_leaf(const struct s2_mmu *m, int slot,
		      void (*cb)(void *arg, const struct s2_leaf_info *leaf), void *arg)
{
	if (slot < 0 || (unsigned)slot >= m->cfg.max_contexts || !m->ctx[slot].used)
		return;
	visit(m->ctx[slot].root, cb, arg);
}

bool s2_table_read64(const struct s2_mmu *m, uint64_t pa, uint64_t *val)
{
	uint64_t base = pa & ~0xfffull;

	if (pa & 7)
		return false;
	for (const struct page *pg = m->ph[mix(base, 0, 0) & m->phmask]; pg; pg = pg->hnext) {
		if (pg->pa == base) {
			*val = pg->tbl[(pa & 0xfff) >> 3];
			return true;
		}
	}
	return false;
}

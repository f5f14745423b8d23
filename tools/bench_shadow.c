/* el2emu bench shadow: shadow stage-2 fill, hit and invalidation, and the memory references
 * of a translation with and without the shadow (shared/notes/kvm-nv-anchor.md §8.3).
 *
 * The world: a host stage 2 (4 levels, 4K pages) maps L1 IPA to host PA; the guest
 * hypervisor's stage 2 (4 levels, 4K pages) maps L2 IPA to L1 IPA; the nested guest's
 * stage 1 (4 levels) maps VA to L2 IPA. Every table is real and walked by translate;
 * descriptor reads are counted at the host-memory choke point. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "commands.h"
#include "el2emu/shadow_s2.h"
#include "el2emu/translate.h"

#define HMEM_BASE 0x100000000ull	/* host PA of the backed host memory */
#define HMEM_PAGES 4096			/* 16 MiB: every table lives here */
#define HOST_TABLES 2048		/* first half: the host's own stage-2 tables */
#define L1_TABLES 0x40000000ull		/* L1 IPA of the guest's table pages (second half) */
#define L1_DATA 0x80000000ull		/* L1 IPA of the data pages (never read) */
#define DATA_PA 0x200000000ull		/* host PA of the data pages */
#define NPAGES 131072u			/* data pages mapped by both stages (512 MiB) */
#define LEAVES 100000u			/* installed leaves for the invalidation figures */
#define VA_BASE 0x7f0000000000ull	/* the nested guest's VAs (needs a 4-level walk) */

/* VTCR_EL2 / TCR_EL1: T0SZ=16 (48 bits) so every walk has 4 levels; 4K granule; PS=48. */
#define VTCR_4L (16u | 2u << 6 | 5ull << 16 | 1ull << 31)
#define TCR_4L (16u | 1ull << 23 | 5ull << 32)	/* EPD1=1, IPS=48 bits */

struct world {
	uint64_t (*hmem)[512];
	unsigned host_next, l1_next;
	uint64_t host_root, guest_root, s1_root;
	struct tr_features feat;
	struct tr_sysregs host_regs, regs;
	uint64_t reads;			/* descriptor reads at host memory */
	struct s2_mmu *m;
	struct s2_malloc_pages mp;
};

static uint64_t *hmem_word(struct world *w, uint64_t pa)
{
	if (pa < HMEM_BASE || pa - HMEM_BASE >= (uint64_t)HMEM_PAGES * 4096 || (pa & 7))
		return NULL;
	return &w->hmem[(pa - HMEM_BASE) >> 12][(pa & 0xfff) >> 3];
}

static bool hmem_read(void *c, uint64_t pa, uint64_t *val)
{
	struct world *w = c;
	uint64_t *p = hmem_word(w, pa);

	if (!p)
		return false;
	w->reads++;
	*val = *p;
	return true;
}

/* L1 table pages sit at host PA HMEM_BASE + (HOST_TABLES + n) pages, n = page - L1_TABLES. */
static uint64_t l1_table_pa(uint64_t ipa)
{
	return HMEM_BASE + (uint64_t)HOST_TABLES * 4096 + (ipa - L1_TABLES);
}

static uint64_t new_host_page(struct world *w)
{
	if (w->host_next >= HOST_TABLES) {
		fprintf(stderr, "bench shadow: host table space exhausted\n");
		exit(2);
	}
	return HMEM_BASE + (uint64_t)w->host_next++ * 4096;
}

static uint64_t new_l1_page(struct world *w)
{
	if (w->l1_next >= HMEM_PAGES - HOST_TABLES) {
		fprintf(stderr, "bench shadow: guest table space exhausted\n");
		exit(2);
	}
	return L1_TABLES + (uint64_t)w->l1_next++ * 4096;
}

/* Map one 4K page in a 4-level table whose words are reached through word(). */
static void map4(struct world *w, uint64_t root, uint64_t ia, uint64_t desc, bool host)
{
	uint64_t table = root;

	for (int l = 0; l < 3; l++) {
		uint64_t a = table + 8 * ((ia >> (39 - 9 * l)) & 511);
		uint64_t *p = hmem_word(w, host ? a : l1_table_pa(a));

		if (!(*p & 1))
			*p = (host ? new_host_page(w) : new_l1_page(w)) | 3;
		table = *p & 0xfffffffff000ull;
	}
	*hmem_word(w, host ? table + 8 * ((ia >> 12) & 511) :
			     l1_table_pa(table + 8 * ((ia >> 12) & 511))) = desc;
}

/* Stage-2 page: MemAttr Normal WB, S2AP RW, SH inner, AF. */
static uint64_t s2_page(uint64_t oa)
{
	return oa | 3 | 0xfu << 2 | 3u << 6 | 3u << 8 | 1u << 10;
}

/* Stage-1 page: AttrIndx 0, AP=01 (EL1+EL0 RW), SH inner, AF. */
static uint64_t s1_page(uint64_t oa)
{
	return oa | 3 | 1u << 6 | 3u << 8 | 1u << 10;
}

static bool host_walk(struct world *w, uint64_t ipa, struct tr_result *r)
{
	struct tr_ctx tc = {.regs = &w->host_regs, .feat = &w->feat,
			    .mem = {hmem_read, NULL, w}, .no_side_effects = true};
	struct tr_access acc = {.type = TR_ACC_READ, .el = 1};
	struct tr_fault f;

	return tr_walk_s2(&tc, ipa, &acc, r, &f);
}

static bool host_lookup(void *c, uint64_t ipa, struct s2_host_map *out)
{
	struct world *w = c;
	struct tr_result r;

	if (!host_walk(w, ipa, &r))
		return false;
	out->ipa = ipa & ~(r.block_size - 1);
	out->pa = r.oa & ~(r.block_size - 1);
	out->size = r.block_size;
	out->perms = S2_PERM_ALL;
	return true;
}

static bool host_read64(void *c, uint64_t ipa, uint64_t *val)
{
	struct world *w = c;
	struct tr_result r;

	return host_walk(w, ipa, &r) && hmem_read(w, r.oa, val);
}

static void world_build(struct world *w)
{
	memset(w, 0, sizeof(*w));
	w->hmem = calloc(HMEM_PAGES, sizeof(*w->hmem));
	if (!w->hmem) {
		fprintf(stderr, "bench shadow: out of memory\n");
		exit(2);
	}
	tr_features_default(&w->feat);
	w->host_root = new_host_page(w);
	w->host_regs.vtcr_el2 = VTCR_4L;
	w->host_regs.vttbr_el2 = w->host_root;
	w->host_regs.hcr_el2 = 1ull << 31 | 1;
	/* Host: the guest's table pages and the data pages, 4K each. */
	for (uint64_t i = 0; i < HMEM_PAGES - HOST_TABLES; i++)
		map4(w, w->host_root, L1_TABLES + i * 4096,
		     s2_page(l1_table_pa(L1_TABLES) + i * 4096), true);
	for (uint64_t i = 0; i < NPAGES; i++)
		map4(w, w->host_root, L1_DATA + i * 4096, s2_page(DATA_PA + i * 4096), true);
	/* Guest stage 2: L2 IPA i*4K -> L1 data page i; its table pages 1:1. */
	w->guest_root = new_l1_page(w);
	for (uint64_t i = 0; i < NPAGES; i++)
		map4(w, w->guest_root, i * 4096, s2_page(L1_DATA + i * 4096), false);
	/* Nested stage 1, tables in L1 table space at L2 IPA = L1 IPA. */
	w->s1_root = new_l1_page(w);
	for (uint64_t i = 0; i < 64; i++)
		map4(w, w->s1_root, VA_BASE + i * 4096, s1_page(i * 4096), false);
	for (uint64_t i = 0; i < HMEM_PAGES - HOST_TABLES; i++)
		map4(w, w->guest_root, L1_TABLES + i * 4096, s2_page(L1_TABLES + i * 4096), false);
	w->regs.vtcr_el2 = VTCR_4L;
	w->regs.vttbr_el2 = 1ull << 48 | w->guest_root;
	w->regs.hcr_el2 = 1ull << 31 | 1;
	w->regs.tcr_el1 = TCR_4L;
	w->regs.ttbr0_el1 = w->s1_root;
	w->regs.sctlr_el1 = 1;
	w->regs.mair_el1 = 0xff;
}

static void shadow_new(struct world *w)
{
	struct s2_page_ops pages;
	struct s2_host_ops host = {host_lookup, host_read64, NULL, w};
	struct s2_config cfg;

	s2_config_default(&cfg);
	s2_malloc_pages_init(&w->mp, 0x800000000000ull, 0, &pages);
	w->m = s2_create(&cfg, &w->feat, &pages, &host);
	if (!w->m || s2_load(w->m, &w->regs) < 0) {
		fprintf(stderr, "bench shadow: cannot create the shadow\n");
		exit(2);
	}
}

static bool xl(struct world *w, uint64_t ipa)
{
	struct s2_req req = {.ipa = ipa, .type = TR_ACC_READ, .el = 1, .va = ipa};
	struct s2_result r;

	return s2_translate(w->m, &req, &r, NULL) == S2_OK;
}

/* ---- memory references, counted at host memory ---- */

/* Stage-2 hooks for the counting walks. */
struct hook3 {
	struct world *w;
};

/* L2 IPA -> host PA without a shadow: the guest stage 2 (each read an L1 IPA translated
 * by the host stage 2), then the host stage 2 of the output. */
static bool xlate_3d(void *c, uint64_t ipa, const struct tr_access *acc, bool s1ptw,
		     struct tr_result *out, struct tr_fault *fault)
{
	struct world *w = ((struct hook3 *)c)->w;
	struct tr_ctx tc = {.regs = &w->regs, .feat = &w->feat,
			    .mem = {host_read64, NULL, w}, .no_side_effects = true};
	struct tr_result r;

	(void)s1ptw;
	if (!tr_walk_s2(&tc, ipa, acc, &r, fault) || !host_walk(w, r.oa, out)) {
		fault->stage2 = true;
		return false;
	}
	return true;
}

/* L2 IPA -> host PA through the shadow table, walked as the CPU would. */
static bool shadow_read(void *c, uint64_t pa, uint64_t *val)
{
	struct world *w = c;

	w->reads++;
	return s2_table_read64(w->m, pa, val);
}

static bool xlate_shadow(void *c, uint64_t ipa, const struct tr_access *acc, bool s1ptw,
			 struct tr_result *out, struct tr_fault *fault)
{
	struct world *w = ((struct hook3 *)c)->w;
	struct s2_ctx_info info;
	struct tr_sysregs sr = {.hcr_el2 = 1ull << 31 | 1};
	struct tr_ctx tc = {.regs = &sr, .feat = &w->feat, .mem = {shadow_read, NULL, w},
			    .no_side_effects = true};

	(void)s1ptw;
	s2_ctx_info(w->m, s2_load(w->m, &w->regs), &info);
	sr.vttbr_el2 = info.vttbr;
	sr.vtcr_el2 = info.vtcr;
	return tr_walk_s2(&tc, ipa, acc, out, fault);
}

/* Stage-1 descriptor reads at the PA a hook returned: host memory. */
static bool s1_read(void *c, uint64_t pa, uint64_t *val)
{
	return hmem_read(c, pa, val);
}

static uint64_t count_walk(struct world *w, bool (*xlate)(void *, uint64_t,
							  const struct tr_access *, bool,
							  struct tr_result *, struct tr_fault *))
{
	struct hook3 h = {w};
	struct tr_s2_hook hook = {xlate, &h};
	struct tr_ctx tc = {.regs = &w->regs, .feat = &w->feat, .mem = {s1_read, NULL, w},
			    .no_side_effects = true};
	struct tr_access acc = {.type = TR_ACC_READ, .el = 1};
	struct tr_result r;
	struct tr_fault f;

	w->reads = 0;
	if (!tr_walk_s1(&tc, TR_REGIME_EL10, VA_BASE + 0x18, &acc, &hook, &r, &f))
		return 0;
	return w->reads;
}

static void refs(struct world *w, uint64_t out[4])
{
	struct tr_result r;

	/* Native: one 4-level walk (the host stage 2 alone). */
	w->reads = 0;
	out[0] = host_walk(w, L1_DATA, &r) ? w->reads : 0;
	/* 2-D: a 4-level stage 1 whose table addresses and output go through a 4-level stage
	 * 2 (the guest stage 2 over flat L1 memory: counted with the host walk excluded). */
	{
		struct tr_walk_log log;
		struct tr_ctx tc = {.regs = &w->regs, .feat = &w->feat,
				    .mem = {host_read64, NULL, w}, .log = &log,
				    .no_side_effects = true};
		struct tr_access acc = {.type = TR_ACC_READ, .el = 1};
		struct tr_fault f;

		tr_log_reset(&log);
		out[1] = tr_translate(&tc, TR_REGIME_EL10, VA_BASE + 0x18, &acc, &r, &f) ?
				 log.n : 0;
	}
	/* 3-D: stage 1, guest stage 2 and host stage 2, nothing shadowed. */
	out[2] = count_walk(w, xlate_3d);
	/* Shadowed: stage 1 over the shadow table (filled first). */
	for (uint64_t i = 0; i < HMEM_PAGES - HOST_TABLES; i++)
		xl(w, L1_TABLES + i * 4096);
	for (uint64_t i = 0; i < 64; i++)
		xl(w, i * 4096);
	out[3] = count_walk(w, xlate_shadow);
}

/* ---- timings ---- */

static uint64_t lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return *s >> 17;
}

/* A dependent-load chain: the machine's memory-latency baseline for ratios. */
static double baseline_load_ns(void)
{
	enum { N = 1 << 20 };
	uint32_t *next = malloc(N * sizeof(*next));
	uint64_t s = 7, t0;
	uint32_t i, p = 0;

	if (!next)
		return 0;
	for (i = 0; i < N; i++)
		next[i] = i;
	for (i = N - 1; i > 0; i--) {	/* Sattolo: one cycle through every slot */
		uint32_t j = (uint32_t)(lcg(&s) % i), t = next[i];

		next[i] = next[j];
		next[j] = t;
	}
	t0 = bench_now_ns();
	for (i = 0; i < 4 * N; i++)
		p = next[p];
	t0 = bench_now_ns() - t0;
	free(next);
	return p == 0xffffffff ? 0 : (double)t0 / (4.0 * N);
}

static void fill_range(struct world *w, uint32_t from, uint32_t to)
{
	for (uint32_t i = from; i < to; i++)
		xl(w, (uint64_t)i * 4096);
}

int bench_shadow(int argc, char **argv)
{
	bool json = false;
	struct world w;
	uint64_t r[4], t0, n;
	double fill_ns, hit_ns, ipas2_ns, vmall_ns, base_ns;
	uint64_t seed = 1;
	struct s2_tlbi op;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else {
			cli_error("bench shadow: unknown option '%s'", argv[i]);
			return 2;
		}
	}
	world_build(&w);
	shadow_new(&w);
	refs(&w, r);
	s2_destroy(w.m);

	/* Fill: each a miss walking the guest stage 2 (4 levels, each read through the
	 * 4-level host stage 2) and the host stage 2 of the output. */
	shadow_new(&w);
	n = LEAVES;
	t0 = bench_now_ns();
	fill_range(&w, 0, (uint32_t)n);
	fill_ns = (double)(bench_now_ns() - t0) / (double)n;
	/* Hit: random installed pages. */
	t0 = bench_now_ns();
	for (uint64_t i = 0; i < 1000000; i++)
		xl(&w, (lcg(&seed) % LEAVES) * 4096 + 8);
	hit_ns = (double)(bench_now_ns() - t0) / 1e6;
	/* IPAS2E1 with 100,000 leaves installed: batches of 1000 distinct pages, refilled
	 * (untimed) after each batch. */
	ipas2_ns = 0;
	for (unsigned b = 0; b < 10; b++) {
		uint32_t first = b * 1000;

		t0 = bench_now_ns();
		for (uint32_t i = first; i < first + 1000; i++) {
			op = (struct s2_tlbi){S2_TLBI_IPAS2E1, (uint64_t)i * 4096,
					      (uint64_t)i * 4096 + 4096, -1, 0};
			s2_tlbi(w.m, &w.regs, &op);
		}
		ipas2_ns += (double)(bench_now_ns() - t0);
		fill_range(&w, first, first + 1000);
	}
	ipas2_ns /= 10000.0;
	/* VMALLS12E1 with 100,000 leaves installed. */
	vmall_ns = 0;
	for (unsigned b = 0; b < 3; b++) {
		op = (struct s2_tlbi){S2_TLBI_VMALLS12E1, 0, 0, -1, 0};
		t0 = bench_now_ns();
		s2_tlbi(w.m, &w.regs, &op);
		vmall_ns += (double)(bench_now_ns() - t0);
		if (b < 2)
			fill_range(&w, 0, LEAVES);
	}
	vmall_ns /= 3.0;
	s2_destroy(w.m);
	free(w.hmem);
	base_ns = baseline_load_ns();

	if (json) {
		printf("{\"bench\":\"shadow\",\"fill_ns\":%.1f,\"hit_ns\":%.1f,\"ipas2e1_ns\":%.1f,"
		       "\"vmalls12e1_ns\":%.0f,\"leaves\":%u,\"refs_native\":%" PRIu64
		       ",\"refs_2d\":%" PRIu64 ",\"refs_3d\":%" PRIu64 ",\"refs_shadowed\":%" PRIu64
		       ",\"baseline_load_ns\":%.2f,\"fill_loads\":%.1f,\"hit_loads\":%.1f}\n",
		       fill_ns, hit_ns, ipas2_ns, vmall_ns, LEAVES, r[0], r[1], r[2], r[3], base_ns,
		       base_ns > 0 ? fill_ns / base_ns : 0, base_ns > 0 ? hit_ns / base_ns : 0);
	} else {
		printf("shadow stage 2 (4-level guest stage 2 over a 4-level host stage 2)\n"
		       "  fill (miss, 4+4-level walk + install)   %10.1f ns\n"
		       "  hit                                      %10.1f ns\n"
		       "  TLBI IPAS2E1, %u leaves installed    %10.1f ns\n"
		       "  TLBI VMALLS12E1, %u leaves installed %10.0f ns\n"
		       "  dependent-load baseline                  %10.2f ns\n"
		       "memory references per translation (counted; 4-level tables)\n"
		       "  native %" PRIu64 ", 2-D %" PRIu64 ", 3-D %" PRIu64 ", shadowed %" PRIu64
		       "   (formulas: n, (n+1)(m+1)-1, (n+1)(m+1)(k+1)-1: 4, 24, 124, 24)\n",
		       fill_ns, hit_ns, LEAVES, ipas2_ns, LEAVES, vmall_ns, base_ns, r[0], r[1],
		       r[2], r[3]);
	}
	return 0;
}

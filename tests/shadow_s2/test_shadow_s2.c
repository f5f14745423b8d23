/* shadow_s2 unit tests. Expected values come from the Arm ARM (VMSAv8-64 stage-2
 * descriptor format, D8.3; stage-2 permissions, D8.4.2 / AArch64.S2ApplyOutputPerms; ESR_EL2
 * and HPFAR_EL2 encodings, D24.2) and are written out here, never taken from the code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "el2emu/shadow_s2.h"
#include "el2emu/sysreg.h"

/* ---- fixture: L1 memory for the guest's tables, a host range map ---- */

#define MEM_BASE 0x40000000ull	/* L1 IPA of the guest's table pages */
#define MEM_PAGES 256
#define HOST_OFF 0x1000000000ull	/* host PA = L1 IPA + 64 GiB unless a test says else */

struct hrange {
	uint64_t ipa, pa, size;
	uint8_t perms;
};

struct fx {
	uint64_t mem[MEM_PAGES][512];
	unsigned next_page;
	struct hrange host[64];
	unsigned nhost;
	struct s2_malloc_pages mp;
	struct s2_page_ops pages;
	struct s2_host_ops hops;
	struct tr_features feat;
	struct s2_config cfg;
	struct tr_sysregs regs;
	struct s2_mmu *m;
};

static bool host_lookup(void *c, uint64_t ipa, struct s2_host_map *out)
{
	struct fx *f = c;

	for (unsigned i = 0; i < f->nhost; i++) {
		const struct hrange *h = &f->host[i];

		if (ipa >= h->ipa && ipa - h->ipa < h->size) {
			*out = (struct s2_host_map){h->ipa, h->pa, h->size, h->perms};
			return true;
		}
	}
	return false;
}

static uint64_t *mem_word(struct fx *f, uint64_t ipa)
{
	if (ipa < MEM_BASE || ipa - MEM_BASE >= (uint64_t)MEM_PAGES * 4096 || (ipa & 7))
		return NULL;
	return &f->mem[(ipa - MEM_BASE) >> 12][(ipa & 0xfff) >> 3];
}

static bool host_read64(void *c, uint64_t ipa, uint64_t *val)
{
	uint64_t *w = mem_word(c, ipa);

	if (!w)
		return false;
	*val = *w;
	return true;
}

static bool host_cas64(void *c, uint64_t ipa, uint64_t expected, uint64_t desired,
		       uint64_t *seen)
{
	uint64_t *w = mem_word(c, ipa);

	if (!w)
		return false;
	*seen = *w;
	if (*w == expected)
		*w = desired;
	return true;
}

static void host_add(struct fx *f, uint64_t ipa, uint64_t pa, uint64_t size, uint8_t perms)
{
	assert_true(f->nhost < 64);
	f->host[f->nhost++] = (struct hrange){ipa, pa, size, perms};
}

/* Stage-2 descriptors, 4K granule (Arm ARM D8.3.1): table = next-level address | 0b11;
 * block (levels 1, 2) = OA | 0b01, page (level 3) = OA | 0b11, with MemAttr[5:2]=0b1111
 * (Normal WB), S2AP[7:6], SH[9:8]=0b11, AF[10], XN[54:53]. */
#define S2AP_NONE 0u
#define S2AP_RO 1u
#define S2AP_WO 2u
#define S2AP_RW 3u
static uint64_t s2_leaf(uint64_t oa, int level, unsigned ap, unsigned xn)
{
	return oa | (level == 3 ? 3u : 1u) | 0xfu << 2 | (uint64_t)ap << 6 | 3u << 8 |
	       1u << 10 | (uint64_t)xn << 53;
}

static uint64_t new_table(struct fx *f)
{
	assert_true(f->next_page < MEM_PAGES);
	return MEM_BASE + (uint64_t)f->next_page++ * 4096;
}

/* Guest stage 2: VTCR_EL2 T0SZ=25 (39-bit IPA), SL0=1 (start level 1), TG0=4K, PS=40 bits;
 * so the walk covers levels 1..3 and the root is one 4K table (no concatenation). */
#define VTCR_4K_L1 (25u | 1u << 6 | 2ull << 16 | 1ull << 31)

static void guest_map(struct fx *f, uint64_t root, uint64_t ipa, uint64_t desc, int level)
{
	uint64_t table = root;

	for (int l = 1; l < level; l++) {
		unsigned i = (unsigned)(ipa >> (12 + 9 * (3 - l))) & 511;
		uint64_t *w = mem_word(f, table + 8 * i);

		assert_non_null(w);
		if (!(*w & 1))
			*w = new_table(f) | 3;
		table = *w & 0xfffffffff000ull;
	}
	*mem_word(f, table + 8 * ((ipa >> (12 + 9 * (3 - level))) & 511)) = desc;
}

static void guest_set(struct fx *f, uint64_t root, uint64_t ipa, uint64_t desc, int level)
{
	guest_map(f, root, ipa, desc, level);
}

static void set_vm(struct fx *f, bool on, uint16_t vmid, uint64_t root)
{
	f->regs.hcr_el2 = (on ? 1u : 0u) | 1ull << 31;
	f->regs.vtcr_el2 = VTCR_4K_L1;
	f->regs.vttbr_el2 = (uint64_t)vmid << 48 | root;
}

static struct fx *fx_new(void)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	s2_malloc_pages_init(&f->mp, 0x800000000ull, 0, &f->pages);
	f->hops = (struct s2_host_ops){host_lookup, host_read64, host_cas64, f};
	tr_features_default(&f->feat);
	f->feat.pa_bits = 48;
	f->feat.xnx = true;
	f->feat.gran4 = f->feat.gran16 = f->feat.gran64 = true;
	f->feat.gran4_s2 = f->feat.gran16_s2 = f->feat.gran64_s2 = true;
	s2_config_default(&f->cfg);
	/* The host maps the guest's table pages (host[0]); tests add the data ranges. */
	host_add(f, MEM_BASE, 0x7f00000000, (uint64_t)MEM_PAGES * 4096, S2_PERM_ALL);
	return f;
}

static void fx_start(struct fx *f)
{
	f->m = s2_create(&f->cfg, &f->feat, &f->pages, &f->hops);
	assert_non_null(f->m);
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	if (f) {
		s2_destroy(f->m);
		assert_int_equal(f->mp.live, 0);	/* every table page given back */
		free(f);
	}
	return 0;
}

/* A guest whose table root is at root, VMID vmid, with host identity + HOST_OFF. */
static uint64_t fx_guest(struct fx *f, uint16_t vmid)
{
	uint64_t root = new_table(f);

	set_vm(f, true, vmid, root);
	return root;
}

static enum s2_outcome xl(struct fx *f, uint64_t ipa, enum tr_acc_type t, uint8_t el,
			  struct s2_result *r)
{
	struct s2_req req = {.ipa = ipa, .type = t, .el = el, .va = 0xdead000 | (ipa & 0xfff)};

	assert_true(s2_load(f->m, &f->regs) >= 0);
	return s2_translate(f->m, &req, r, NULL);
}

static void count_leaf(void *arg, const struct s2_leaf_info *l)
{
	(void)l;
	(*(unsigned *)arg)++;
}

static unsigned leaves_of(struct fx *f)
{
	unsigned n = 0;

	s2_for_each_leaf(f->m, s2_load(f->m, &f->regs), count_leaf, &n);
	return n;
}

/* ---- keys ---- */

static int setup(void **state)
{
	struct fx *f = fx_new();

	*state = f;
	return 0;
}

static void test_same_vmid_other_baddr(void **state)
{
	struct fx *f = *state;
	int a, b;

	fx_start(f);
	set_vm(f, true, 5, 0x40000000);
	a = s2_load(f->m, &f->regs);
	set_vm(f, true, 5, 0x40001000);	/* same VMID, another stage-2 table */
	b = s2_load(f->m, &f->regs);
	assert_true(a >= 0 && b >= 0);
	assert_int_not_equal(a, b);
	set_vm(f, true, 5, 0x40000000);
	assert_int_equal(s2_load(f->m, &f->regs), a);
	assert_int_equal(s2_stats(f->m)->contexts_created, 2);
	assert_int_equal(s2_stats(f->m)->context_hits, 1);
}

static void test_cnp_ignored(void **state)
{
	struct fx *f = *state;
	int a;

	fx_start(f);
	set_vm(f, true, 7, 0x40000000);
	a = s2_load(f->m, &f->regs);
	f->regs.vttbr_el2 |= 1;		/* VTTBR_EL2.CnP */
	assert_int_equal(s2_load(f->m, &f->regs), a);
	assert_int_equal(s2_stats(f->m)->contexts_created, 1);
}

static void test_vm0_keys_by_vmid(void **state)
{
	struct fx *f = *state;
	int a, b, c;

	fx_start(f);
	set_vm(f, false, 9, 0x40000000);
	a = s2_load(f->m, &f->regs);
	set_vm(f, false, 9, 0x40005000);	/* BADDR is not used while VM=0 */
	f->regs.vtcr_el2 ^= 1;			/* nor is VTCR */
	assert_int_equal(s2_load(f->m, &f->regs), a);
	set_vm(f, false, 10, 0x40000000);
	b = s2_load(f->m, &f->regs);
	assert_int_not_equal(a, b);
	set_vm(f, true, 9, 0x40000000);		/* VM=1 never shares a VM=0 context */
	c = s2_load(f->m, &f->regs);
	assert_int_not_equal(c, a);
	assert_int_not_equal(c, b);
}

static void test_vmid_width(void **state)
{
	struct fx *f = *state;
	int a;

	fx_start(f);
	set_vm(f, true, 0x1234, 0x40000000);	/* VS=0: VMID is VTTBR[55:48] = 0x34 */
	a = s2_load(f->m, &f->regs);
	set_vm(f, true, 0x5634, 0x40000000);
	assert_int_equal(s2_load(f->m, &f->regs), a);
	f->regs.vtcr_el2 |= 1u << 19;		/* VS=1: 16-bit VMIDs differ */
	set_vm(f, true, 0x1234, 0x40000000);
	f->regs.vtcr_el2 |= 1u << 19;
	a = s2_load(f->m, &f->regs);
	set_vm(f, true, 0x5634, 0x40000000);
	f->regs.vtcr_el2 |= 1u << 19;
	assert_int_not_equal(s2_load(f->m, &f->regs), a);
}

/* 10,000 distinct VTTBRs, each with a fill attempt: the pool stays at its size, the
 * table pages stay bounded, nothing crashes. */
static void test_many_vttbrs_bounded(void **state)
{
	struct fx *f = *state;
	uint64_t root = new_table(f);
	struct s2_result r;

	f->cfg.max_contexts = 8;
	fx_start(f);
	guest_set(f, root, 0x200000, s2_leaf(0x200000, 2, S2AP_RW, 0), 2);
	host_add(f, 0, HOST_OFF, 1ull << 40, S2_PERM_ALL);
	for (unsigned i = 0; i < 10000; i++) {
		/* Half share the real table (and fill), half point at arbitrary pages. */
		uint64_t baddr = (i & 1) ? root : (uint64_t)(i & 0xfff) << 12;

		set_vm(f, true, (uint16_t)(i / 2), baddr);
		xl(f, 0x200000 + (i & 0x1ff) * 4096, TR_ACC_READ, 1, &r);
		assert_true(r.outcome != S2_ERROR);
		assert_true(f->mp.live <= f->cfg.max_pages_total);
	}
	assert_int_equal(s2_stats(f->m)->contexts_created, 10000);
	assert_int_equal(s2_stats(f->m)->contexts_evicted, 10000 - 8);
	assert_true(s2_stats(f->m)->pages_peak <= 8 * 4);
}

/* ---- fill ---- */

static void test_fill_and_hit(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 1);
	struct s2_result r;

	fx_start(f);
	host_add(f, 0, HOST_OFF, 1ull << 40, S2_PERM_ALL);
	guest_set(f, root, 0x123000, s2_leaf(0x80456000, 3, S2AP_RW, 0), 3);
	assert_int_equal(xl(f, 0x123abc, TR_ACC_READ, 1, &r), S2_OK);
	assert_false(r.hit);
	assert_int_equal(r.pa, HOST_OFF + 0x80456abc);
	assert_int_equal(r.l1_ipa, 0x80456abc);
	assert_int_equal(r.guest_level, 3);
	assert_int_equal(xl(f, 0x123ff8, TR_ACC_WRITE, 0, &r), S2_OK);
	assert_true(r.hit);
	assert_int_equal(r.pa, HOST_OFF + 0x80456ff8);
	assert_int_equal(s2_stats(f->m)->fills, 1);
	assert_int_equal(s2_stats(f->m)->hits, 1);
}

/* The shadow table is a real stage-2 table: translate walks it to the same PA. */
struct shadow_mem {
	struct s2_mmu *m;
};

static bool shadow_read(void *c, uint64_t pa, uint64_t *val)
{
	return s2_table_read64(((struct shadow_mem *)c)->m, pa, val);
}

static void test_shadow_table_walkable(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 1);
	struct s2_ctx_info info;
	struct s2_result r;
	struct shadow_mem sm;
	struct tr_sysregs hregs = {0};
	struct tr_ctx tc = {0};
	struct tr_access acc = {.type = TR_ACC_READ, .el = 1};
	struct tr_result tres;
	struct tr_fault tf;

	fx_start(f);
	host_add(f, 0, HOST_OFF, 1ull << 40, S2_PERM_ALL);
	guest_set(f, root, 0x40200000, s2_leaf(0x80400000, 2, S2AP_RW, 0), 2);
	assert_int_equal(xl(f, 0x40212345, TR_ACC_READ, 1, &r), S2_OK);
	assert_int_equal(r.level, 2);	/* 2 MiB block: guest block, host congruent mod 2M */
	assert_true(s2_ctx_info(f->m, s2_load(f->m, &f->regs), &info));
	sm.m = f->m;
	hregs.vttbr_el2 = info.vttbr;
	hregs.vtcr_el2 = info.vtcr;
	hregs.hcr_el2 = 1ull << 31 | 1;
	tc.regs = &hregs;
	tc.feat = &f->feat;
	tc.mem = (struct tr_mem_ops){shadow_read, NULL, &sm};
	tc.no_side_effects = true;
	memset(&tres, 0, sizeof(tres));
	assert_true(tr_walk_s2(&tc, 0x40212345, &acc, &tres, &tf));
	assert_int_equal(tres.oa, HOST_OFF + 0x80412345);
	assert_int_equal(tres.level, 2);
}

/* A guest 1 GiB block over a host that maps the region in 4 KiB pieces: 4 KiB shadow
 * leaves; and over a host 1 GiB mapping congruent mod 1 GiB: one 1 GiB shadow block. */
static void test_guest_1g_over_host_4k(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 1);
	struct s2_result r;

	fx_start(f);
	for (unsigned i = 0; i < 16; i++)	/* scattered 4K host pages */
		host_add(f, 0x80000000 + i * 4096ull, 0x3000000000 + i * 0x10000ull, 4096,
			 S2_PERM_ALL);
	host_add(f, 0xc0000000, 0x4000000000, 1ull << 30, S2_PERM_ALL);
	guest_set(f, root, 0x40000000, s2_leaf(0x80000000, 1, S2AP_RW, 0), 1);
	guest_set(f, root, 0x80000000, s2_leaf(0xc0000000, 1, S2AP_RW, 0), 1);
	assert_int_equal(xl(f, 0x40003010, TR_ACC_READ, 1, &r), S2_OK);
	assert_int_equal(r.pa, 0x3000030010);
	assert_int_equal(r.level, 3);
	assert_int_equal(r.guest_level, 1);
	assert_int_equal(xl(f, 0x40004010, TR_ACC_READ, 1, &r), S2_OK);
	assert_int_equal(r.pa, 0x3000040010);
	assert_false(r.hit);		/* the next 4K page is its own leaf */
	assert_int_equal(xl(f, 0x9abcdef0, TR_ACC_READ, 1, &r), S2_OK);
	assert_int_equal(r.pa, 0x401abcdef0);
	assert_int_equal(r.level, 1);
}

static void test_guest_4k_over_host_2m(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 1);
	struct s2_result r;

	fx_start(f);
	host_add(f, 0x80000000, 0x5000000000, 2ull << 20, S2_PERM_ALL);	/* one 2M block */
	guest_set(f, root, 0x40000000, s2_leaf(0x80001000, 3, S2AP_RW, 0), 3);
	assert_int_equal(xl(f, 0x40000ff0, TR_ACC_READ, 1, &r), S2_OK);
	assert_int_equal(r.pa, 0x5000001ff0);
	assert_int_equal(r.level, 3);
	assert_int_equal(r.guest_level, 3);
}

/* The nested-offset.trace case: a guest 2 MiB block whose host offset is only 4K-aligned. */
static void test_unaligned_offset_splits(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 1);
	struct s2_result r;

	fx_start(f);
	host_add(f, 0x88000000, 0x2088013000, 0x400000, S2_PERM_ALL);
	guest_set(f, root, 0x20000000, s2_leaf(0x88000000, 2, S2AP_RW, 0), 2);
	assert_int_equal(xl(f, 0x201bb7f0, TR_ACC_READ, 1, &r), S2_OK);
	assert_int_equal(r.pa, 0x20881ce7f0);
	assert_int_equal(r.level, 3);
	assert_int_equal(r.guest_level, 2);
}

/* Permission matrix: S2AP x XN[1:0] (FEAT_XNX) x host permissions, every access type and
 * EL. Arm ARM D8.4.2: S2AP 00 none, 01 read, 10 write, 11 read/write; XN 00 execute at
 * EL0 and EL1, 01 EL0 only, 10 neither, 11 EL1 only. */
static const bool ap_r[4] = {false, true, false, true}, ap_w[4] = {false, false, true, true};
static const bool xn_x0[4] = {true, true, false, false}, xn_x1[4] = {true, false, false, true};
static const uint8_t hosts[4] = {S2_PERM_ALL, TR_PERM_R0 | TR_PERM_R1,
				 TR_PERM_R0 | TR_PERM_R1 | TR_PERM_X0 | TR_PERM_X1,
				 TR_PERM_R0 | TR_PERM_R1 | TR_PERM_W0 | TR_PERM_W1};

/* One cell: host h, S2AP ap, XN xn, access t at EL el, on its own page. */
static void perm_cell(struct fx *f, uint64_t root, unsigned page, unsigned h, unsigned ap,
		      unsigned xn, unsigned t, uint8_t el)
{
	uint64_t ipa = 0x1000000 + page * 4096ull;
	uint64_t l1 = 0x80000000 + h * 0x1000000ull + page * 4096ull;
	uint8_t hp = hosts[h];
	struct s2_result r;
	enum s2_outcome o;
	bool g, hok;

	guest_set(f, root, ipa, s2_leaf(l1, 3, ap, xn), 3);
	g = t == 0 ? ap_r[ap] : t == 1 ? ap_w[ap] : el ? xn_x1[xn] : xn_x0[xn];
	hok = hp & (t == 0 ? TR_PERM_R1 : t == 1 ? TR_PERM_W1 : TR_PERM_X1);
	o = xl(f, ipa, (enum tr_acc_type)t, el, &r);
	if (!g) {
		assert_int_equal(o, S2_GUEST_FAULT);
		assert_int_equal(r.vf.fsc, 0x0f);	/* permission fault, level 3 */
		return;
	}
	if (!hok) {
		assert_int_equal(o, S2_HOST_MISS);
		assert_true(r.host_perm);
		return;
	}
	assert_int_equal(o, S2_OK);
	/* The leaf grants exactly guest AND host. */
	assert_int_equal(!!(r.perms & TR_PERM_W1), ap_w[ap] && (hp & TR_PERM_W1));
	assert_int_equal(!!(r.perms & TR_PERM_R1), ap_r[ap] && (hp & TR_PERM_R1));
	assert_int_equal(!!(r.perms & TR_PERM_X0), xn_x0[xn] && (hp & TR_PERM_X0));
	assert_int_equal(!!(r.perms & TR_PERM_X1), xn_x1[xn] && (hp & TR_PERM_X1));
}

static void test_permission_matrix(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 1);

	fx_start(f);
	for (unsigned h = 0; h < 4; h++)
		host_add(f, 0x80000000 + h * 0x1000000ull, HOST_OFF + h * 0x1000000ull, 0x1000000,
			 hosts[h]);
	/* 4 hosts x 4 S2AP x 4 XN x 3 access types x 2 ELs = 384 cells. */
	for (unsigned c = 0; c < 384; c++)
		perm_cell(f, root, c, c / 96, (c / 24) % 4, (c / 6) % 4, (c / 2) % 3,
			  (uint8_t)(c % 2));
}

/* A read fill of a read-only guest page never lets a write through. */
static void test_read_fill_no_write(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 1);
	struct s2_result r;

	fx_start(f);
	host_add(f, 0, HOST_OFF, 1ull << 40, S2_PERM_ALL);
	guest_set(f, root, 0x5000, s2_leaf(0x9000, 3, S2AP_RO, 0), 3);
	assert_int_equal(xl(f, 0x5008, TR_ACC_READ, 1, &r), S2_OK);
	assert_int_equal(xl(f, 0x5008, TR_ACC_WRITE, 1, &r), S2_GUEST_FAULT);
	/* ESR_EL2: EC=0x24 (data abort, lower EL), IL=1, WnR=1, DFSC=0x0f (permission L3). */
	assert_int_equal(r.vf.esr, 0x24ull << 26 | 1ull << 25 | 1u << 6 | 0x0f);
	/* HPFAR_EL2.FIPA[43:4] = IPA[51:12]. */
	assert_int_equal(r.vf.hpfar, 0x50);
	assert_int_equal(r.vf.far, 0xdead008);
	/* The guest upgrades the page without a TLBI: the write walks again and succeeds. */
	guest_set(f, root, 0x5000, s2_leaf(0x9000, 3, S2AP_RW, 0), 3);
	assert_int_equal(xl(f, 0x5008, TR_ACC_WRITE, 1, &r), S2_OK);
	assert_int_equal(s2_stats(f->m)->refills, 1);
	assert_int_equal(leaves_of(f), 1);
}

static void test_translation_fault_and_host_miss(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 1);
	struct s2_result r;

	fx_start(f);
	host_add(f, 0x1000, 0x7000000000, 0x1000, S2_PERM_ALL);
	guest_set(f, root, 0x6000, s2_leaf(0x1000, 3, S2AP_RW, 0), 3);
	guest_set(f, root, 0x7000, s2_leaf(0x2000, 3, S2AP_RW, 0), 3);	/* host: nothing */
	/* IPA 0x8000: no guest entry: translation fault level 3 (DFSC 0x07), instruction
	 * abort for a fetch (EC 0x20). */
	assert_int_equal(xl(f, 0x8000, TR_ACC_EXEC, 1, &r), S2_GUEST_FAULT);
	assert_int_equal(r.vf.fsc, 0x07);
	assert_int_equal(r.vf.esr, 0x20ull << 26 | 1ull << 25 | 0x07);
	assert_int_equal(xl(f, 0x7010, TR_ACC_READ, 1, &r), S2_HOST_MISS);
	assert_int_equal(r.host_ipa, 0x2010);
	assert_false(r.host_perm);
	assert_false(r.host_walk);	/* the output, not a table read */
	f->host[0].size = 0x1000;	/* the guest's L2/L3 tables are no longer mapped */
	assert_int_equal(xl(f, 0x6010, TR_ACC_READ, 1, &r), S2_HOST_MISS);
	assert_true(r.host_walk);
	assert_int_equal(r.host_ipa >> 12, (MEM_BASE >> 12) + 1);
	f->host[0].size = (uint64_t)MEM_PAGES * 4096;
	assert_int_equal(leaves_of(f), 0);
	assert_int_equal(xl(f, 0x6010, TR_ACC_READ, 1, &r), S2_OK);
	assert_int_equal(r.pa, 0x7000000010);
}

/* Stage-2 faults during the nested stage-1 walk (S1PTW), through s2_access(). The nested
 * stage 1: TCR_EL1 T0SZ=25 (start level 1), TG0=4K, EPD1, IPS=40 bits; its L1 table at L2
 * IPA 0x10000000. Stage-1 block: OA | AF | SH=11 | AP=01 | 0b01. */
static void test_s2_faults_on_s1_walk(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 1);
	uint64_t s1root = new_table(f), s1l2 = new_table(f);
	struct s2_access_result ar;

	fx_start(f);
	host_add(f, 0x80000000, HOST_OFF + 0x80000000, 0x10000000, S2_PERM_ALL);
	f->regs.tcr_el1 = 0x280993519;
	f->regs.ttbr0_el1 = 0x10000000;
	f->regs.sctlr_el1 = 0x30d0181d;
	f->regs.mair_el1 = 0xff;
	guest_set(f, root, 0x10000000, s2_leaf(s1root, 3, S2AP_RW, 0), 3);
	guest_set(f, root, 0x10002000, s2_leaf(s1l2, 3, S2AP_RW, 0) & ~(1ull << 10), 3);
	guest_set(f, root, 0x10003000, s2_leaf(0x90000000, 3, S2AP_RW, 0), 3);
	guest_set(f, root, 0x0, s2_leaf(0x80000000, 2, S2AP_RW, 0), 2);
	*mem_word(f, s1root + 8 * 1) = 0x0 | 0x741;		/* VA 0x40000000: 1G -> IPA 0 */
	*mem_word(f, s1root + 8 * 2) = 0x10001000 | 3;	/* table IPA not mapped by S2 */
	*mem_word(f, s1root + 8 * 3) = 0x10002000 | 3;	/* table IPA: S2 page with AF=0 */
	*mem_word(f, s1root + 8 * 4) = 0x10003000 | 3;	/* table IPA: host maps nothing */

	assert_int_equal(s2_access(f->m, &f->regs, TR_ACC_READ, 1, 0x40000123, &ar), S2A_OK);
	assert_int_equal(ar.pa, HOST_OFF + 0x80000123);
	/* Stage-2 translation fault, level 3, on the walk: IPA of the table page. */
	assert_int_equal(s2_access(f->m, &f->regs, TR_ACC_READ, 1, 0x80000008, &ar),
			 S2A_S2PTW_FAULT);
	assert_int_equal(ar.fsc, 0x07);
	assert_int_equal(ar.ipa, 0x10001000);
	/* ESR_EL2: data abort from a lower EL, IL, S1PTW (ISS bit 7), DFSC 0x07. */
	assert_int_equal(ar.vf.esr, 0x24ull << 26 | 1ull << 25 | 1u << 7 | 0x07);
	assert_int_equal(ar.vf.hpfar, 0x10001ull << 4);
	assert_int_equal(ar.vf.far, 0x80000008);
	/* An instruction fetch: the same fault is an instruction abort (EC 0x20). */
	assert_int_equal(s2_access(f->m, &f->regs, TR_ACC_EXEC, 1, 0x80000008, &ar),
			 S2A_S2PTW_FAULT);
	assert_int_equal(ar.vf.esr, 0x20ull << 26 | 1ull << 25 | 1u << 7 | 0x07);
	/* Stage-2 access flag fault, level 3, on the walk. */
	assert_int_equal(s2_access(f->m, &f->regs, TR_ACC_WRITE, 0, 0xc0000010, &ar),
			 S2A_S2PTW_FAULT);
	assert_int_equal(ar.fsc, 0x0b);
	assert_int_equal(ar.ipa, 0x10002000);
	/* The stage-1 table's L1 page is not mapped by the host: a host miss, not injected. */
	assert_int_equal(s2_access(f->m, &f->regs, TR_ACC_READ, 1, 0x100000010, &ar), S2A_HOST);
	assert_int_equal(ar.ipa, 0x90000000);
	/* A stage-1 fault stays a stage-1 fault (L1[5] is invalid: translation, level 1). */
	assert_int_equal(s2_access(f->m, &f->regs, TR_ACC_READ, 1, 0x140000000, &ar),
			 S2A_S1_FAULT);
	assert_int_equal(ar.fsc, 0x05);
}

/* ---- invalidation ---- */

struct tl_world {
	uint64_t rootA1, rootA2, rootB;
};

/* VMID 1 with two tables (A1, A2) and VMID 2 (B); each maps pages at 0x10000..0x12000
 * (level 3) and a 2 MiB block at 0x400000 split into 4K pieces (host offset 4K only). */
static void tl_build(struct fx *f, struct tl_world *w)
{
	uint64_t roots[3];

	host_add(f, 0x80000000, 0x6000001000, 0x10000000, S2_PERM_ALL);
	for (int k = 0; k < 3; k++) {
		roots[k] = new_table(f);
		for (unsigned p = 0; p < 3; p++) {
			uint64_t l1 = 0x80000000 + k * 0x100000ull + p * 4096ull;

			guest_set(f, roots[k], 0x10000 + p * 4096ull,
				  s2_leaf(l1, 3, S2AP_RW, 0), 3);
		}
		guest_set(f, roots[k], 0x400000,
			  s2_leaf(0x80400000 + k * 0x200000ull, 2, S2AP_RW, 0), 2);
	}
	w->rootA1 = roots[0];
	w->rootA2 = roots[1];
	w->rootB = roots[2];
}

static void tl_fill(struct fx *f, uint16_t vmid, uint64_t root)
{
	struct s2_result r;

	set_vm(f, true, vmid, root);
	for (unsigned p = 0; p < 3; p++)
		assert_int_equal(xl(f, 0x10000 + p * 4096ull, TR_ACC_READ, 1, &r), S2_OK);
	for (unsigned p = 0; p < 4; p++)
		assert_int_equal(xl(f, 0x400000 + p * 0x10000ull, TR_ACC_READ, 1, &r), S2_OK);
}

static unsigned tl_leaves(struct fx *f, uint16_t vmid, uint64_t root)
{
	set_vm(f, true, vmid, root);
	return leaves_of(f);
}

/* Is the IPA shadowed in that context? (Looked up without filling.) */
struct find {
	uint64_t ipa;
	bool found;
};

static void find_leaf(void *arg, const struct s2_leaf_info *l)
{
	struct find *fd = arg;

	if (fd->ipa >= l->ipa && fd->ipa - l->ipa < l->size)
		fd->found = true;
}

static bool tl_has(struct fx *f, uint16_t vmid, uint64_t root, uint64_t ipa)
{
	struct find fd = {ipa, false};

	set_vm(f, true, vmid, root);
	s2_for_each_leaf(f->m, s2_load(f->m, &f->regs), find_leaf, &fd);
	return fd.found;
}

/* The operation as the sysreg table names and decodes it. */
static void tlbi_op(const char *name, uint64_t xt, struct s2_tlbi *op)
{
	assert_true(s2_tlbi_from_sysreg(sr_find_name(name), xt, op));
}

static void tl_run(struct fx *f, struct tl_world *w, const char *name, uint64_t xt)
{
	struct s2_tlbi op;

	tl_build(f, w);
	fx_start(f);
	tl_fill(f, 1, w->rootA1);
	tl_fill(f, 1, w->rootA2);
	tl_fill(f, 2, w->rootB);
	assert_int_equal(tl_leaves(f, 1, w->rootA1), 7);
	set_vm(f, true, 1, w->rootA1);		/* the TLBI runs with VMID 1 current */
	tlbi_op(name, xt, &op);
	s2_tlbi(f->m, &f->regs, &op);
}

static void test_tlbi_ipas2e1(void **state)
{
	struct fx *f = *state;
	struct tl_world w;

	tl_run(f, &w, "IPAS2E1IS", 0x11);	/* IPA 0x11000 */
	/* Only that page, in both VMID-1 contexts; VMID 2 keeps it. */
	assert_int_equal(tl_leaves(f, 1, w.rootA1), 6);
	assert_int_equal(tl_leaves(f, 1, w.rootA2), 6);
	assert_int_equal(tl_leaves(f, 2, w.rootB), 7);
	assert_false(tl_has(f, 1, w.rootA1, 0x11000));
	assert_true(tl_has(f, 1, w.rootA1, 0x10000));
	assert_true(tl_has(f, 2, w.rootB, 0x11000));
	assert_int_equal(s2_stats(f->m)->leaves_dropped_tlbi, 2);
}

static void test_tlbi_ipas2e1_inside_block(void **state)
{
	struct fx *f = *state;
	struct tl_world w;

	/* One IPA inside the guest 2 MiB block: every 4K piece of that block goes. */
	tl_run(f, &w, "IPAS2E1", 0x4ff);
	assert_int_equal(tl_leaves(f, 1, w.rootA1), 3);
	assert_int_equal(tl_leaves(f, 1, w.rootA2), 3);
	assert_int_equal(tl_leaves(f, 2, w.rootB), 7);
}

static void test_tlbi_ttl_honoured(void **state)
{
	struct fx *f = *state;
	struct tl_world w;

	/* TTL=0b0111 (4K granule, level 3) for an IPA in the 2 MiB block: the hint says the
	 * entry is a level-3 one, so the block's pieces (guest level 2) stay. */
	tl_run(f, &w, "IPAS2E1OS", 0x7ull << 44 | 0x4ff);
	assert_int_equal(tl_leaves(f, 1, w.rootA1), 7);
	/* TTL=0b0110 (level 2): they go. */
	struct s2_tlbi op;

	tlbi_op("IPAS2E1OS", 0x6ull << 44 | 0x4ff, &op);
	assert_int_equal(op.kind, S2_TLBI_IPAS2E1);
	assert_int_equal(op.ttl_level, 2);
	assert_int_equal(op.ttl_gran, 4096);
	set_vm(f, true, 1, w.rootA1);
	assert_int_equal(s2_tlbi(f->m, &f->regs, &op), 8);
}

static void test_tlbi_ipas2le1(void **state)
{
	struct fx *f = *state;
	struct tl_world w;

	/* Last level: shadow leaves are final-level entries, so the same leaf goes. */
	tl_run(f, &w, "IPAS2LE1IS", 0x12);
	assert_int_equal(tl_leaves(f, 1, w.rootA1), 6);
	assert_false(tl_has(f, 1, w.rootA1, 0x12000));
	assert_int_equal(s2_stats(f->m)->tlbi[S2_TLBI_IPAS2LE1], 1);
}

static void test_tlbi_ripas2e1(void **state)
{
	struct fx *f = *state;
	struct tl_world w;
	struct s2_tlbi op;

	/* TG=01 (4K), SCALE=0, NUM=0: 2 pages from BaseADDR 0x11 -> [0x11000, 0x13000). */
	tlbi_op("RIPAS2E1IS", 1ull << 46 | 0x11, &op);
	assert_int_equal(op.start, 0x11000);
	assert_int_equal(op.end, 0x13000);
	tl_run(f, &w, "RIPAS2E1IS", 1ull << 46 | 0x11);
	assert_int_equal(tl_leaves(f, 1, w.rootA1), 5);
	assert_true(tl_has(f, 1, w.rootA1, 0x10000));
	assert_false(tl_has(f, 1, w.rootA1, 0x11000));
	assert_false(tl_has(f, 1, w.rootA1, 0x12000));
	assert_int_equal(tl_leaves(f, 2, w.rootB), 7);
}

static void test_tlbi_ripas2le1_scale(void **state)
{
	struct fx *f = *state;
	struct tl_world w;
	struct s2_tlbi op;

	/* TG=01, SCALE=1, NUM=1: 2 * 2^6 = 128 pages from 0x3c0000 -> [0x3c0000, 0x440000):
	 * overlaps the 2 MiB block, not the pages at 0x10000. */
	tlbi_op("RIPAS2LE1", 1ull << 46 | 1ull << 44 | 1ull << 39 | 0x3c0, &op);
	assert_int_equal(op.kind, S2_TLBI_RIPAS2LE1);
	assert_int_equal(op.start, 0x3c0000);
	assert_int_equal(op.end, 0x440000);
	tl_run(f, &w, "RIPAS2LE1", 1ull << 46 | 1ull << 44 | 1ull << 39 | 0x3c0);
	assert_int_equal(tl_leaves(f, 1, w.rootA1), 3);
	assert_int_equal(tl_leaves(f, 2, w.rootB), 7);
}

static void test_tlbi_range_tg0_reserved(void **state)
{
	struct fx *f = *state;
	struct tl_world w;

	tl_run(f, &w, "RIPAS2E1", 0x11);	/* TG=00: reserved, nothing required */
	assert_int_equal(tl_leaves(f, 1, w.rootA1), 7);
}

static void test_tlbi_vmalls12e1(void **state)
{
	struct fx *f = *state;
	struct tl_world w;

	tl_run(f, &w, "VMALLS12E1IS", 0);
	assert_int_equal(tl_leaves(f, 1, w.rootA1), 0);
	assert_int_equal(tl_leaves(f, 1, w.rootA2), 0);
	assert_int_equal(tl_leaves(f, 2, w.rootB), 7);
}

static void test_tlbi_alle1(void **state)
{
	struct fx *f = *state;
	struct tl_world w;

	tl_run(f, &w, "ALLE1OS", 0);
	assert_int_equal(tl_leaves(f, 1, w.rootA1), 0);
	assert_int_equal(tl_leaves(f, 2, w.rootB), 0);
	/* The contexts stay (only their entries go); the pages all return but the roots. */
	assert_int_equal(s2_stats(f->m)->pages_live, 3);
}

static void test_tlbi_stage1_only(void **state)
{
	struct fx *f = *state;
	struct tl_world w;
	struct s2_tlbi op;

	tl_run(f, &w, "VMALLE1IS", 0);
	assert_int_equal(tl_leaves(f, 1, w.rootA1), 7);
	assert_int_equal(tl_leaves(f, 2, w.rootB), 7);
	assert_true(s2_take_flush(f->m));	/* the CPU's stage-1 entries must go */
	assert_int_equal(s2_stats(f->m)->tlbi[S2_TLBI_STAGE1], 1);
	tlbi_op("VAE1IS", 0x1234, &op);
	assert_int_equal(op.kind, S2_TLBI_STAGE1);
	tlbi_op("ALLE2", 0, &op);
	assert_int_equal(op.kind, S2_TLBI_OTHER);
	assert_false(s2_tlbi_from_sysreg(sr_find_name("VTTBR_EL2"), 0, &op));
	/* By name and by kind, as the CPU module calls it. */
	assert_int_equal(s2_tlbi_kind_from_name("ipas2le1os"), S2_TLBI_IPAS2LE1);
	assert_int_equal(s2_tlbi_kind_from_name("VMALLE1"), S2_TLBI_STAGE1);
	assert_int_equal(s2_tlbi_kind_from_name("VTTBR_EL2"), -1);
	s2_tlbi_decode(S2_TLBI_RIPAS2E1, 1ull << 46 | 2ull << 37 | 0x11, &op);
	assert_int_equal(op.kind, S2_TLBI_RIPAS2E1);
	assert_int_equal(op.start, 0x11000);
	assert_int_equal(op.end, 0x13000);
	assert_int_equal(op.ttl_level, 2);
	s2_tlbi_decode(S2_TLBI_RIPAS2E1, 0x11, &op);	/* TG=0b00 */
	assert_int_equal(op.kind, S2_TLBI_INVALID);
}

/* ---- host changes: the reverse map ---- */

static void test_host_remap_drops_only_its_leaves(void **state)
{
	struct fx *f = *state;
	uint64_t r1 = new_table(f), r2 = new_table(f);
	struct s2_result r;

	fx_start(f);
	host_add(f, 0x80000000, 0x6000000000, 0x10000000, S2_PERM_ALL);
	/* Two contexts map L1 page 0x80005000 (under different L2 IPAs) and 0x80006000. */
	guest_set(f, r1, 0x1000, s2_leaf(0x80005000, 3, S2AP_RW, 0), 3);
	guest_set(f, r1, 0x2000, s2_leaf(0x80006000, 3, S2AP_RW, 0), 3);
	guest_set(f, r2, 0x9000, s2_leaf(0x80005000, 3, S2AP_RW, 0), 3);
	guest_set(f, r2, 0xa000, s2_leaf(0x80007000, 3, S2AP_RW, 0), 3);
	set_vm(f, true, 1, r1);
	xl(f, 0x1000, TR_ACC_READ, 1, &r);
	xl(f, 0x2000, TR_ACC_READ, 1, &r);
	set_vm(f, true, 2, r2);
	xl(f, 0x9000, TR_ACC_READ, 1, &r);
	xl(f, 0xa000, TR_ACC_READ, 1, &r);
	assert_int_equal(s2_host_changed(f->m, 0x80005000, 0x1000), 2);
	set_vm(f, true, 1, r1);
	assert_int_equal(leaves_of(f), 1);
	set_vm(f, true, 2, r2);
	assert_int_equal(leaves_of(f), 1);
	assert_int_equal(s2_stats(f->m)->leaves_dropped_host, 2);
	/* A range that overlaps nothing drops nothing. */
	assert_int_equal(s2_host_changed(f->m, 0x90000000, 0x10000000), 0);
	/* A huge range takes the scan path and still drops exactly the overlapping leaves. */
	assert_int_equal(s2_host_changed(f->m, 0x80006000, 1ull << 40), 2);
}

/* ---- audit ---- */

static void test_audit(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 3);
	struct s2_audit_report rep;
	struct s2_result r;
	struct s2_tlbi op;

	fx_start(f);
	host_add(f, 0, HOST_OFF, 1ull << 40, S2_PERM_ALL);
	guest_set(f, root, 0x3000, s2_leaf(0x83000, 3, S2AP_RW, 0), 3);
	guest_set(f, root, 0x4000, s2_leaf(0x84000, 3, S2AP_RW, 0), 3);
	xl(f, 0x3000, TR_ACC_READ, 1, &r);
	xl(f, 0x4000, TR_ACC_READ, 1, &r);
	s2_audit(f->m, NULL, NULL, &rep);
	assert_int_equal(rep.checked, 2);
	assert_int_equal(rep.stale_allowed + rep.stale_bug + rep.host_stale, 0);
	/* Break without a TLBI: the stale leaf is architecturally allowed. */
	guest_set(f, root, 0x3000, 0, 3);
	s2_audit(f->m, NULL, NULL, &rep);
	assert_int_equal(rep.stale_allowed, 1);
	assert_int_equal(rep.stale_bug, 0);
	/* An unrelated TLBI does not make it a bug; the right one removes it. */
	tlbi_op("IPAS2E1", 0x4, &op);
	s2_tlbi(f->m, &f->regs, &op);
	s2_audit(f->m, NULL, NULL, &rep);
	assert_int_equal(rep.stale_allowed, 1);
	tlbi_op("IPAS2E1", 0x3, &op);
	s2_tlbi(f->m, &f->regs, &op);
	s2_audit(f->m, NULL, NULL, &rep);
	assert_int_equal(rep.checked, 0);
	/* The host moves a page without telling: reported as host-stale. */
	xl(f, 0x4000, TR_ACC_READ, 1, &r);
	f->host[1].pa += 0x1000000;
	s2_audit(f->m, NULL, NULL, &rep);
	assert_int_equal(rep.host_stale, 1);
}

/* A guest with a 64K granule (VTCR_EL2.TG0=0b01, T0SZ=25, SL0=1: start level 2, 1024-entry
 * table). Its 64 KiB page over a host offset that is only 4 KiB aligned becomes 4 KiB shadow
 * pieces; IPAS2E1 on any IPA of the page drops every piece. TTL: a 4K-granule hint says
 * nothing about 64K entries (ignored); a 64K hint for level 3 (0b1111) applies, one for
 * level 2 (0b1110) excludes the level-3 page. 64K descriptors: OA[47:16]. */
#define VTCR_64K_L2 (25u | 1u << 6 | 1u << 14 | 2ull << 16 | 1ull << 31)

static void map64k(struct fx *f, uint64_t root, uint64_t ipa, uint64_t desc)
{
	uint64_t *w = mem_word(f, root + 8 * ((ipa >> 29) & 1023));
	uint64_t l3;

	if (!(*w & 1)) {
		l3 = MEM_BASE + 0x80000;	/* a 64K-aligned, 64K-long table */
		*w = l3 | 3;
	}
	l3 = *w & 0xffffffff0000ull;
	*mem_word(f, l3 + 8 * ((ipa >> 16) & 8191)) = desc;
}

static unsigned drop64(struct fx *f, uint64_t xt)
{
	struct s2_tlbi op;
	struct s2_result r;

	/* Fill two pieces of the 64K page at IPA 0x30000, then invalidate. */
	assert_int_equal(xl(f, 0x30008, TR_ACC_READ, 1, &r), S2_OK);
	assert_int_equal(r.pa, 0x6000001000 + 0x50008);
	assert_int_equal(r.level, 3);
	assert_int_equal(xl(f, 0x3f008, TR_ACC_READ, 1, &r), S2_OK);
	tlbi_op("IPAS2E1IS", xt, &op);
	return s2_tlbi(f->m, &f->regs, &op);
}

static void test_guest_64k_granule(void **state)
{
	struct fx *f = *state;
	uint64_t root = MEM_BASE + 0x40000;	/* 64K aligned */

	fx_start(f);
	f->regs.hcr_el2 = 1 | 1ull << 31;
	f->regs.vtcr_el2 = VTCR_64K_L2;
	f->regs.vttbr_el2 = 1ull << 48 | root;
	host_add(f, 0x80000000, 0x6000001000, 0x1000000, S2_PERM_ALL);
	map64k(f, root, 0x30000, 0x80050000 | 3 | 0xfu << 2 | 3u << 6 | 3u << 8 | 1u << 10);
	assert_int_equal(drop64(f, 0x35), 2);			/* no hint */
	assert_int_equal(drop64(f, 0x7ull << 44 | 0x35), 2);	/* 4K hint: ignored */
	assert_int_equal(drop64(f, 0xfull << 44 | 0x35), 2);	/* 64K, level 3 */
	assert_int_equal(drop64(f, 0xeull << 44 | 0x35), 0);	/* 64K, level 2: not this */
}

/* 4K tables with VTCR_EL2.TG0 = 64K on a CPU without the 64K stage-2 granule: translate
 * walks them as 4K (an unimplemented TG0 selects an implemented granule, IMPDEF), and the
 * shadow's TLBI sizes follow the walk: IPAS2E1 of one 4K page is exact. */
static void test_unimplemented_granule_follows_walker(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 1);
	struct s2_result r;
	struct s2_tlbi op;

	f->feat.gran64_s2 = false;
	fx_start(f);
	f->regs.vtcr_el2 = VTCR_4K_L1 | 1u << 14;	/* TG0 = 64K, not implemented */
	host_add(f, 0, HOST_OFF, 1ull << 40, S2_PERM_ALL);
	guest_set(f, root, 0x5000, s2_leaf(0x9000, 3, S2AP_RW, 0), 3);
	guest_set(f, root, 0x6000, s2_leaf(0xa000, 3, S2AP_RW, 0), 3);
	assert_int_equal(xl(f, 0x5008, TR_ACC_READ, 1, &r), S2_OK);
	assert_int_equal(r.pa, HOST_OFF + 0x9008);
	assert_int_equal(xl(f, 0x6008, TR_ACC_READ, 1, &r), S2_OK);
	/* Only the 4K page: a 64K-sized guess would take its neighbour as well. */
	tlbi_op("IPAS2E1", 0x5, &op);
	assert_int_equal(s2_tlbi(f->m, &f->regs, &op), 1);
	assert_int_equal(leaves_of(f), 1);
}

/* A 2 MiB shadow block, then the guest replaces its block by a table of pages without a
 * TLBI: a write the old (read-only) leaf cannot serve walks again, drops the block in the way
 * and installs the page under a new table. */
static void test_refill_splits_block(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 1);
	uint64_t l3 = new_table(f);
	struct s2_result r;

	fx_start(f);
	host_add(f, 0, HOST_OFF, 1ull << 40, S2_PERM_ALL);
	guest_set(f, root, 0x600000, s2_leaf(0x800000, 2, S2AP_RO, 0), 2);
	assert_int_equal(xl(f, 0x612345, TR_ACC_READ, 1, &r), S2_OK);
	assert_int_equal(r.level, 2);
	for (unsigned i = 0; i < 512; i++)
		*mem_word(f, l3 + 8 * i) = s2_leaf(0x800000 + i * 4096ull, 3, S2AP_RW, 0);
	guest_set(f, root, 0x600000, l3 | 3, 2);
	assert_int_equal(xl(f, 0x612345, TR_ACC_WRITE, 1, &r), S2_OK);
	assert_int_equal(r.level, 3);
	assert_int_equal(r.pa, HOST_OFF + 0x812345);
	assert_int_equal(leaves_of(f), 1);
	assert_int_equal(s2_stats(f->m)->refills, 1);
}

/* An IPA beyond the shadow table's 48 bits (guest stage 2 off, host mapping there) is
 * translated but not installed. */
static void test_ipa_beyond_shadow(void **state)
{
	struct fx *f = *state;
	struct s2_result r;

	fx_start(f);
	set_vm(f, false, 3, 0);
	host_add(f, 1ull << 48, 0x1000, 1ull << 30, S2_PERM_ALL);
	assert_int_equal(xl(f, (1ull << 48) | 0x2468, TR_ACC_READ, 1, &r), S2_OK);
	assert_int_equal(r.pa, 0x3468);
	assert_int_equal(r.level, -1);
	assert_int_equal(leaves_of(f), 0);
}

/* Random guest-table changes, TLBIs, host changes and accesses. Reference: a direct walk of
 * the guest table and the host ranges written in this test. Invariants: the audit never finds
 * a leaf left stale by a TLBI or a host change; an access whose page was covered by a TLBI
 * since its last table change agrees with the reference. */
#define RND_PAGES 64

static bool ref_xlate(struct fx *f, uint64_t root, uint64_t ipa, enum tr_acc_type t, uint64_t *pa)
{
	uint64_t d2 = 0, d3 = 0, l2t, l1;
	uint64_t *w;

	/* levels 1-3 of the fixture's 39-bit table */
	w = mem_word(f, root + 8 * ((ipa >> 30) & 511));
	if (!w || (*w & 3) != 3)
		return false;
	l2t = *w & 0xfffffffff000ull;
	w = mem_word(f, l2t + 8 * ((ipa >> 21) & 511));
	if (!w || !(*w & 1))
		return false;
	d2 = *w;
	if ((d2 & 3) == 1) {
		d3 = d2;
		l1 = (d2 & 0xffffffe00000ull) | (ipa & 0x1fffff);
	} else {
		w = mem_word(f, (d2 & 0xfffffffff000ull) + 8 * ((ipa >> 12) & 511));
		if (!w || (*w & 3) != 3)
			return false;
		d3 = *w;
		l1 = (d3 & 0xfffffffff000ull) | (ipa & 0xfff);
	}
	if (!(d3 & (1u << 10)) || !((d3 >> 6) & (t == TR_ACC_WRITE ? 2 : 1)))
		return false;
	for (unsigned i = 0; i < f->nhost; i++)
		if (l1 >= f->host[i].ipa && l1 - f->host[i].ipa < f->host[i].size) {
			*pa = f->host[i].pa + (l1 - f->host[i].ipa);
			return true;
		}
	return false;
}

static void test_random_against_reference(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 4), l3 = new_table(f);
	bool clean[RND_PAGES];		/* the page's entry has not changed since a TLBI */
	uint64_t x = 0x1234567;
	unsigned checked = 0;

	f->cfg.max_pages_total = 64;
	fx_start(f);
	host_add(f, 0x80000000, HOST_OFF + 0x80000000, 0x100000, S2_PERM_ALL);
	host_add(f, 0x80100000, 0x3000200000, 0x100000, S2_PERM_ALL);
	guest_set(f, root, 0x200000, l3 | 3, 2);
	for (unsigned i = 0; i < RND_PAGES; i++)
		clean[i] = true;
	for (unsigned step = 0; step < 20000; step++) {
		unsigned page, op;
		uint64_t ipa;
		struct s2_result r;
		struct s2_audit_report rep;
		struct s2_tlbi t;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		page = (unsigned)(x >> 8) % RND_PAGES;
		ipa = 0x200000 + page * 4096ull + ((x >> 20) & 0xff8);
		op = (unsigned)(x >> 40) % 16;
		if (op < 3) {	/* change an entry: invalid, RO or RW, to one of 4 L1 pages */
			uint64_t oa = 0x80000000 + ((x >> 50) & 3) * 0x80000ull + page * 4096ull;
			unsigned ap = (x >> 52) & 3;

			*mem_word(f, l3 + 8 * page) = ap ? s2_leaf(oa, 3, ap, 0) : 0;
			clean[page] = false;
		} else if (op == 3) {
			tlbi_op("IPAS2E1IS", ipa >> 12, &t);
			s2_tlbi(f->m, &f->regs, &t);
			clean[page] = true;
		} else if (op == 4) {
			tlbi_op("RIPAS2LE1", 1ull << 46 | 3ull << 39 | ipa >> 12, &t); /* 8 pages */
			s2_tlbi(f->m, &f->regs, &t);
			for (unsigned k = page; k < page + 8 && k < RND_PAGES; k++)
				clean[k] = true;
		} else if (op == 5 && (x & 0xf) == 0) {
			tlbi_op("VMALLS12E1IS", 0, &t);
			s2_tlbi(f->m, &f->regs, &t);
			for (unsigned k = 0; k < RND_PAGES; k++)
				clean[k] = true;
		} else if (op == 6 && (x & 0xf) == 1) {	/* the host moves half its memory */
			f->host[1].pa ^= 0x1000000;
			s2_host_changed(f->m, f->host[1].ipa, f->host[1].size);
		} else {
			enum tr_acc_type t2 = (x >> 30) & 1 ? TR_ACC_WRITE : TR_ACC_READ;
			uint64_t want = 0;
			bool ok = ref_xlate(f, root, ipa, t2, &want);
			enum s2_outcome o = xl(f, ipa, t2, 1, &r);

			if (clean[page]) {
				checked++;
				assert_int_equal(o == S2_OK, ok);
				if (ok)
					assert_int_equal(r.pa, want);
			}
		}
		s2_audit(f->m, NULL, NULL, &rep);
		assert_int_equal(rep.stale_bug, 0);
		assert_int_equal(rep.host_stale, 0);
		assert_true(s2_stats(f->m)->pages_live <= 64);
	}
	assert_true(checked > 1000);
}

/* ---- bounds and failure ---- */

static void test_page_bound_per_context(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 1);
	struct s2_result r;

	f->cfg.max_pages_ctx = 6;
	fx_start(f);
	host_add(f, 0, HOST_OFF, 1ull << 40, S2_PERM_ALL);
	/* Pages 512 GiB... apart need fresh tables every time. */
	for (unsigned i = 0; i < 8; i++)
		guest_set(f, root, (uint64_t)i << 30,
			  s2_leaf(0x1000 + i * 4096ull, 3, S2AP_RW, 0), 3);
	for (unsigned i = 0; i < 8; i++) {
		assert_int_equal(xl(f, (uint64_t)i << 30, TR_ACC_READ, 1, &r), S2_OK);
		assert_true(s2_stats(f->m)->pages_live <= 6);
	}
	assert_true(s2_stats(f->m)->leaves_dropped_pressure > 0);
}

/* The total page bound evicts another (unloaded) context before it touches the loaded one;
 * the leaf bound drops leaves, never fails a fill. */
static void test_total_bounds(void **state)
{
	struct fx *f = *state;
	uint64_t r1 = new_table(f), r2 = new_table(f);
	struct s2_result r;

	f->cfg.max_pages_total = 8;
	f->cfg.max_leaves = 5;
	fx_start(f);
	host_add(f, 0, HOST_OFF, 1ull << 40, S2_PERM_ALL);
	for (unsigned i = 0; i < 8; i++) {
		guest_set(f, r1, i * 4096ull, s2_leaf(0x100000 + i * 4096ull, 3, S2AP_RW, 0), 3);
		guest_set(f, r2, (uint64_t)i << 30, s2_leaf(0x200000 + i * 4096ull, 3, S2AP_RW, 0),
			  3);
	}
	set_vm(f, true, 1, r1);
	assert_int_equal(xl(f, 0, TR_ACC_READ, 1, &r), S2_OK);	/* root + 3 pages */
	set_vm(f, true, 2, r2);
	assert_int_equal(xl(f, 0, TR_ACC_READ, 1, &r), S2_OK);	/* root + 3: total 8 */
	assert_int_equal(s2_stats(f->m)->contexts_evicted, 0);
	assert_int_equal(xl(f, 1ull << 30, TR_ACC_READ, 1, &r), S2_OK);	/* needs 2 more */
	assert_int_equal(s2_stats(f->m)->contexts_evicted, 1);	/* context 1 went */
	assert_true(s2_stats(f->m)->pages_live <= 8);
	for (unsigned i = 2; i < 8; i++)
		assert_int_equal(xl(f, (uint64_t)i << 30, TR_ACC_READ, 1, &r), S2_OK);
	assert_true(s2_stats(f->m)->leaves_live <= 5);
	assert_true(s2_stats(f->m)->pages_peak <= 8);
	assert_int_equal(s2_stats(f->m)->errors, 0);
}

static void test_alloc_failure_changes_nothing(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 1);
	struct s2_result r;
	unsigned before;

	fx_start(f);
	host_add(f, 0, HOST_OFF, 1ull << 40, S2_PERM_ALL);
	guest_set(f, root, 0x1000, s2_leaf(0x1000, 3, S2AP_RW, 0), 3);
	guest_set(f, root, 0x80000000, s2_leaf(0x2000, 3, S2AP_RW, 0), 3);
	assert_int_equal(xl(f, 0x1000, TR_ACC_READ, 1, &r), S2_OK);
	before = (unsigned)f->mp.live;
	f->mp.limit = f->mp.live + 1;	/* a new L1+L2+L3 path needs 3 pages */
	assert_int_equal(xl(f, 0x80000000, TR_ACC_READ, 1, &r), S2_ERROR);
	assert_int_equal(f->mp.live, before);
	assert_int_equal(leaves_of(f), 1);
	f->mp.limit = 0;
	assert_int_equal(xl(f, 0x80000000, TR_ACC_READ, 1, &r), S2_OK);
}

/* A host range that is not page-congruent (PA - IPA not a multiple of 4K) or smaller than
 * a page cannot be a shadow leaf: every access is answered right, and none is cached. */
static void test_host_not_page_congruent(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 1);
	struct s2_result r;

	fx_start(f);
	host_add(f, 0x80000000, 0x5000000800, 0x10000, S2_PERM_ALL);
	host_add(f, 0x80010000, 0x5100000000, 0x800, S2_PERM_ALL);
	guest_set(f, root, 0x3000, s2_leaf(0x80000000, 3, S2AP_RW, 0), 3);
	guest_set(f, root, 0x4000, s2_leaf(0x80010000, 3, S2AP_RW, 0), 3);
	for (int k = 0; k < 2; k++) {
		assert_int_equal(xl(f, 0x3010, TR_ACC_READ, 1, &r), S2_OK);
		assert_int_equal(r.pa, 0x5000000810);
		assert_int_equal(xl(f, 0x3ff0, TR_ACC_READ, 1, &r), S2_OK);
		assert_int_equal(r.pa, 0x50000017f0);
		assert_int_equal(xl(f, 0x4010, TR_ACC_READ, 1, &r), S2_OK);
		assert_int_equal(r.pa, 0x5100000010);
		assert_false(r.hit);
	}
	assert_int_equal(leaves_of(f), 0);
}

/* A flush of a context holding many leaves sweeps the hash tables instead of unlinking
 * leaf by leaf (max_leaves 64: 32 buckets, sweep above 4 leaves); the other context's
 * leaves must stay reachable by TLBI and by the reverse map afterwards. */
static void test_flush_sweep_keeps_others(void **state)
{
	struct fx *f = *state;
	uint64_t r1 = new_table(f), r2 = new_table(f);
	struct s2_result r;
	struct s2_tlbi op;

	f->cfg.max_leaves = 64;
	fx_start(f);
	host_add(f, 0, HOST_OFF, 1ull << 40, S2_PERM_ALL);
	for (unsigned i = 0; i < 20; i++) {
		guest_set(f, r1, i * 4096ull, s2_leaf(0x100000 + i * 4096ull, 3, S2AP_RW, 0), 3);
		guest_set(f, r2, i * 4096ull, s2_leaf(0x200000 + i * 4096ull, 3, S2AP_RW, 0), 3);
	}
	set_vm(f, true, 1, r1);
	for (unsigned i = 0; i < 20; i++)
		assert_int_equal(xl(f, i * 4096ull, TR_ACC_READ, 1, &r), S2_OK);
	set_vm(f, true, 2, r2);
	for (unsigned i = 0; i < 20; i++)
		assert_int_equal(xl(f, i * 4096ull, TR_ACC_READ, 1, &r), S2_OK);
	set_vm(f, true, 1, r1);
	tlbi_op("VMALLS12E1", 0, &op);
	assert_int_equal(s2_tlbi(f->m, &f->regs, &op), 20);
	assert_int_equal(s2_stats(f->m)->leaves_live, 20);
	set_vm(f, true, 2, r2);
	tlbi_op("IPAS2E1", 0x3, &op);
	assert_int_equal(s2_tlbi(f->m, &f->regs, &op), 1);
	assert_int_equal(s2_host_changed(f->m, 0x204000, 0x2000), 2);
	assert_int_equal(leaves_of(f), 17);
	for (unsigned i = 0; i < 20; i++)	/* refill the 3 dropped pages */
		assert_int_equal(xl(f, i * 4096ull, TR_ACC_READ, 1, &r), S2_OK);
	assert_int_equal(leaves_of(f), 20);
}

/* Configurations that cannot keep the bounds are refused, not half-built. */
static void test_config_refused(void **state)
{
	struct fx *f = *state;
	struct s2_config c;

	s2_config_default(&c);
	assert_int_equal(c.max_contexts, 8);	/* the default pool */
	c.max_contexts = 0;
	assert_null(s2_create(&c, &f->feat, &f->pages, &f->hops));
	s2_config_default(&c);
	c.max_pages_ctx = 3;	/* a 4-level path needs the root and 3 tables */
	assert_null(s2_create(&c, &f->feat, &f->pages, &f->hops));
	s2_config_default(&c);
	c.first_vmid = 0xfffc;	/* 8 real VMIDs do not fit in 16 bits */
	assert_null(s2_create(&c, &f->feat, &f->pages, &f->hops));
	s2_config_default(&c);
	assert_null(s2_create(&c, &f->feat, &f->pages, NULL));
	assert_int_equal(f->mp.live, 0);
}

static void test_garbage_tables_never_crash(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 1);
	struct s2_result r;
	uint64_t x = 0x9e3779b97f4a7c15ull;

	fx_start(f);
	host_add(f, 0, HOST_OFF, 1ull << 40, S2_PERM_ALL);
	/* Random descriptors all over the guest's table pages, random VTCRs. */
	for (unsigned i = 0; i < MEM_PAGES * 512; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		f->mem[i / 512][i % 512] = (x & 1) ? (x & 0x7ffffff000ull) | MEM_BASE | 3 : x;
	}
	for (unsigned i = 0; i < 4000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		f->regs.vtcr_el2 = i & 1 ? VTCR_4K_L1 : x & 0xffffffff;
		f->regs.vttbr_el2 = (x & 0xffff000000000000ull) | root;
		xl(f, x >> 16, (enum tr_acc_type)(i % 3), i & 1, &r);
	}
	(void)root;
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_same_vmid_other_baddr),
		T(test_cnp_ignored),
		T(test_vm0_keys_by_vmid),
		T(test_vmid_width),
		T(test_many_vttbrs_bounded),
		T(test_fill_and_hit),
		T(test_shadow_table_walkable),
		T(test_guest_1g_over_host_4k),
		T(test_guest_4k_over_host_2m),
		T(test_unaligned_offset_splits),
		T(test_permission_matrix),
		T(test_read_fill_no_write),
		T(test_translation_fault_and_host_miss),
		T(test_s2_faults_on_s1_walk),
		T(test_tlbi_ipas2e1),
		T(test_tlbi_ipas2e1_inside_block),
		T(test_tlbi_ttl_honoured),
		T(test_tlbi_ipas2le1),
		T(test_tlbi_ripas2e1),
		T(test_tlbi_ripas2le1_scale),
		T(test_tlbi_range_tg0_reserved),
		T(test_tlbi_vmalls12e1),
		T(test_tlbi_alle1),
		T(test_tlbi_stage1_only),
		T(test_host_remap_drops_only_its_leaves),
		T(test_audit),
		T(test_guest_64k_granule),
		T(test_unimplemented_granule_follows_walker),
		T(test_refill_splits_block),
		T(test_ipa_beyond_shadow),
		T(test_random_against_reference),
		T(test_page_bound_per_context),
		T(test_total_bounds),
		T(test_alloc_failure_changes_nothing),
		T(test_host_not_page_congruent),
		T(test_flush_sweep_keeps_others),
		T(test_config_refused),
		T(test_garbage_tables_never_crash),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}

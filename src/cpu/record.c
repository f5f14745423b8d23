/* The recorder (record.h): tracked pages, register diffs, access sampling. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "el2emu/trace_writer.h"
#include "record.h"

#define PAGE 4096u
/* Bounds whatever the guest does: 32 MiB of page copies, 64 Ki sampled keys (4 MiB). */
#define MAX_PAGES 8192u
#define PAGE_HASH 16384u		/* power of two, 2 * MAX_PAGES: short probes */
#define MAX_KEYS (1u << 16)

struct tracked {
	uint64_t ipa;
	uint8_t *copy;
};

struct akey {
	uint64_t vttbr, vtcr, page;
	uint32_t gen;			/* a slot of an older generation is free */
	uint8_t type, el, outcome;
};

struct cpu_rec {
	struct trace_writer *w;
	struct cpu_rec_env env;
	enum cpu_trace_accesses acc;
	struct tracked *pages;
	unsigned npages;
	int32_t *index;			/* PAGE_HASH slots: page number or -1 */
	struct akey *keys;		/* open addressing, 2 * MAX_KEYS slots */
	unsigned nkeys;
	uint32_t gen;			/* from 1; a TLBI or host change starts the next */
	struct tr_sysregs last;		/* values the trace has set (replay starts at 0) */
	uint8_t scratch[PAGE];
	bool over_pages;
	char limit_msg[128];
};

static const struct {
	const char *name;
	size_t off;
} reg_names[] = {
	{ "HCR_EL2", offsetof(struct tr_sysregs, hcr_el2) },
	{ "VTCR_EL2", offsetof(struct tr_sysregs, vtcr_el2) },
	{ "VTTBR_EL2", offsetof(struct tr_sysregs, vttbr_el2) },
	{ "TCR_EL2", offsetof(struct tr_sysregs, tcr_el2) },
	{ "TTBR0_EL2", offsetof(struct tr_sysregs, ttbr0_el2) },
	{ "TTBR1_EL2", offsetof(struct tr_sysregs, ttbr1_el2) },
	{ "SCTLR_EL2", offsetof(struct tr_sysregs, sctlr_el2) },
	{ "MAIR_EL2", offsetof(struct tr_sysregs, mair_el2) },
	{ "TCR_EL1", offsetof(struct tr_sysregs, tcr_el1) },
	{ "TTBR0_EL1", offsetof(struct tr_sysregs, ttbr0_el1) },
	{ "TTBR1_EL1", offsetof(struct tr_sysregs, ttbr1_el1) },
	{ "SCTLR_EL1", offsetof(struct tr_sysregs, sctlr_el1) },
	{ "MAIR_EL1", offsetof(struct tr_sysregs, mair_el1) },
};

struct cpu_rec *cpu_rec_new(const char *path, enum cpu_trace_accesses acc,
			    const struct cpu_rec_env *env, char *err, size_t errlen)
{
	struct cpu_rec *r = calloc(1, sizeof(*r));

	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->env = *env;
	r->acc = acc;
	r->gen = 1;
	r->pages = calloc(MAX_PAGES, sizeof(*r->pages));
	r->index = malloc(PAGE_HASH * sizeof(*r->index));
	if (!r->pages || !r->index) {
		snprintf(err, errlen, "out of memory");
		cpu_rec_free(r, NULL, 0);
		return NULL;
	}
	memset(r->index, 0xff, PAGE_HASH * sizeof(*r->index));
	r->w = trace_writer_open(path, err, errlen);
	if (!r->w) {
		cpu_rec_free(r, NULL, 0);
		return NULL;
	}
	return r;
}

int cpu_rec_free(struct cpu_rec *r, char *err, size_t errlen)
{
	char buf[160];
	int rc = 0;
	unsigned i;

	if (!r)
		return 0;
	if (r->w && trace_writer_close(r->w, buf, sizeof(buf))) {
		rc = -1;
		if (err)
			snprintf(err, errlen, "%s", buf);
	}
	if (!rc && r->limit_msg[0]) {
		rc = -1;
		if (err)
			snprintf(err, errlen, "%s", r->limit_msg);
	}
	for (i = 0; i < r->npages; i++)
		free(r->pages[i].copy);
	free(r->pages);
	free(r->index);
	free(r->keys);
	free(r);
	return rc;
}

void cpu_rec_comment(struct cpu_rec *r, const char *text)
{
	trace_write_comment(r->w, text);
}

void cpu_rec_ram(struct cpu_rec *r, uint64_t base, uint64_t size)
{
	trace_write_ram(r->w, base, size);
}

static uint32_t page_hash(uint64_t pn)
{
	return (uint32_t)((pn * UINT64_C(0x9e3779b97f4a7c15)) >> 40) & (PAGE_HASH - 1);
}

static int32_t page_find(const struct cpu_rec *r, uint64_t ipa, uint32_t *slot)
{
	uint32_t h = page_hash(ipa / PAGE);

	while (r->index[h] >= 0 && r->pages[r->index[h]].ipa != ipa)
		h = (h + 1) & (PAGE_HASH - 1);
	*slot = h;
	return r->index[h];
}

/* Writes a page the trace has never set (replay memory is zero): its non-zero runs. */
static void dump_page(struct cpu_rec *r, uint64_t ipa, const uint8_t *p)
{
	unsigned i = 0, j;
	uint64_t v;

	while (i < PAGE / 8) {
		memcpy(&v, p + 8 * i, 8);
		if (!v) {
			i++;
			continue;
		}
		for (j = i + 1; j < PAGE / 8; j++) {
			memcpy(&v, p + 8 * j, 8);
			if (!v)
				break;
		}
		if (j - i == 1) {
			memcpy(&v, p + 8 * i, 8);
			trace_write_mem64(r->w, ipa + 8 * i, v);
		} else {
			trace_write_mem(r->w, ipa + 8 * i, p + 8 * i, (size_t)(j - i) * 8);
		}
		i = j;
	}
}

void cpu_rec_note_read(struct cpu_rec *r, uint64_t ipa)
{
	uint32_t slot;
	struct tracked *t;

	ipa &= ~(uint64_t)(PAGE - 1);
	if (page_find(r, ipa, &slot) >= 0)
		return;
	if (r->npages == MAX_PAGES) {
		if (!r->over_pages)
			snprintf(r->limit_msg, sizeof(r->limit_msg),
				 "recording: the walks read more than %u pages; the trace is "
				 "incomplete from there", MAX_PAGES);
		r->over_pages = true;
		return;
	}
	t = &r->pages[r->npages];
	t->copy = malloc(PAGE);
	if (!t->copy || !r->env.read_page(r->env.ctx, ipa, t->copy)) {
		free(t->copy);
		t->copy = NULL;
		return;
	}
	t->ipa = ipa;
	r->index[slot] = (int32_t)r->npages++;
	dump_page(r, ipa, t->copy);
}

/* Everything that changed since the last record: registers, then tracked words. */
static void sync(struct cpu_rec *r, const struct tr_sysregs *regs)
{
	unsigned i, k;

	for (i = 0; i < sizeof(reg_names) / sizeof(reg_names[0]); i++) {
		uint64_t now, was;

		memcpy(&now, (const char *)regs + reg_names[i].off, 8);
		memcpy(&was, (const char *)&r->last + reg_names[i].off, 8);
		if (now != was)
			trace_write_reg(r->w, reg_names[i].name, now);
	}
	r->last = *regs;
	for (i = 0; i < r->npages; i++) {
		struct tracked *t = &r->pages[i];

		if (!r->env.read_page(r->env.ctx, t->ipa, r->scratch) ||
		    !memcmp(r->scratch, t->copy, PAGE))
			continue;
		for (k = 0; k < PAGE; k += 8) {
			uint64_t v;

			if (!memcmp(r->scratch + k, t->copy + k, 8))
				continue;
			memcpy(&v, r->scratch + k, 8);
			trace_write_mem64(r->w, t->ipa + k, v);
		}
		memcpy(t->copy, r->scratch, PAGE);
	}
}

/* first-per-page counts from the last invalidation: after a TLBI or a host change the
 * same page may reach a new PA, and that access is worth a record. Entries of older
 * generations read as free; every entry of the current one was inserted after them, so
 * probe chains stay intact. */
static void new_generation(struct cpu_rec *r)
{
	r->nkeys = 0;
	if (++r->gen == 0) {
		if (r->keys)
			memset(r->keys, 0, 2 * (size_t)MAX_KEYS * sizeof(*r->keys));
		r->gen = 1;
	}
}

void cpu_rec_hostmap(struct cpu_rec *r, const struct tr_sysregs *regs, uint64_t ipa,
		     uint64_t pa, uint64_t size)
{
	new_generation(r);
	sync(r, regs);
	if (pa == UINT64_MAX)
		trace_write_hostunmap(r->w, ipa, size);
	else
		trace_write_hostmap(r->w, ipa, pa, size);
}

void cpu_rec_tlbi(struct cpu_rec *r, const struct tr_sysregs *regs, const char *op,
		  bool has_xt, uint64_t xt)
{
	new_generation(r);
	sync(r, regs);
	trace_write_tlbi(r->w, op, has_xt, xt);
}

void cpu_rec_at(struct cpu_rec *r, const struct tr_sysregs *regs, const char *op,
		uint64_t va, uint64_t par)
{
	sync(r, regs);
	trace_write_at(r->w, op, va, par);
}

static uint64_t key_hash(const struct akey *k)
{
	uint64_t h = k->vttbr * UINT64_C(0x9e3779b97f4a7c15);

	h ^= (k->vtcr + (h << 6) + (h >> 2)) * UINT64_C(0xbf58476d1ce4e5b9);
	h ^= (k->page + (h << 6) + (h >> 2)) * UINT64_C(0x94d049bb133111eb);
	h ^= (uint64_t)k->type << 16 | (uint64_t)k->el << 8 | k->outcome;
	return h ^ (h >> 31);
}

/* true when the key is not in the current generation; insert: add it then. */
static bool sample(struct cpu_rec *r, const struct tr_sysregs *regs, char type, unsigned el,
		   uint64_t va, enum trace_result_kind outcome, bool insert)
{
	struct akey k;
	uint64_t h, mask = 2 * (uint64_t)MAX_KEYS - 1;

	if (r->acc == CPU_TRACE_ACC_NONE)
		return false;
	if (r->acc == CPU_TRACE_ACC_ALL)
		return true;
	if (!r->keys) {
		r->keys = calloc(2 * (size_t)MAX_KEYS, sizeof(*r->keys));
		if (!r->keys)
			return true;	/* no memory for sampling: record everything */
	}
	memset(&k, 0, sizeof(k));
	/* The shadow context: the virtual VTTBR and VTCR with stage 2 on, the VMID alone
	 * with it off (docs/shadow-s2.md). */
	if (regs->hcr_el2 & 1) {
		k.vttbr = regs->vttbr_el2 & ~UINT64_C(1);	/* CnP */
		k.vtcr = regs->vtcr_el2;
	} else {
		k.vttbr = regs->vttbr_el2 >> 48;
		k.vtcr = UINT64_MAX;
	}
	k.page = va >> 12;
	k.type = (uint8_t)type;
	k.el = (uint8_t)el;
	k.outcome = (uint8_t)outcome;
	k.gen = r->gen;
	for (h = key_hash(&k) & mask;; h = (h + 1) & mask) {
		struct akey *s = &r->keys[h];

		if (s->gen != r->gen)
			break;
		if (s->vttbr == k.vttbr && s->vtcr == k.vtcr && s->page == k.page &&
		    s->type == k.type && s->el == k.el && s->outcome == k.outcome)
			return false;
	}
	if (!insert || r->nkeys == MAX_KEYS)
		return true;	/* a full set: record, unsampled, rather than lose */
	r->keys[h] = k;
	r->nkeys++;
	return true;
}

bool cpu_rec_want_access(struct cpu_rec *r, const struct tr_sysregs *regs, char type,
			 unsigned el, uint64_t va, enum trace_result_kind outcome)
{
	return sample(r, regs, type, el, va, outcome, true);
}

bool cpu_rec_is_new(struct cpu_rec *r, const struct tr_sysregs *regs, char type, unsigned el,
		    uint64_t va, enum trace_result_kind outcome)
{
	return sample(r, regs, type, el, va, outcome, false);
}

void cpu_rec_access(struct cpu_rec *r, const struct tr_sysregs *regs, char type, unsigned el,
		    uint64_t va, const struct trace_result *res)
{
	sync(r, regs);
	trace_write_access(r->w, type, el, va, res);
}

/* Nested records of a replay, through the shadow stage 2 (src/shadow_s2): `hostmap` is a
 * sorted, bounded range map that backs the shadow's host stage 2 (a change drops exactly
 * the shadow leaves derived from the changed range, through the reverse map); `access`
 * runs the nested stage 1 with every stage-2 lookup served by the shadow (hit, or fill on
 * a miss); `tlbi` has its real effect on the shadow. A stale shadow entry after a TLBI
 * would therefore show up as a failed expectation.
 *
 * Address spaces: memory (`ram`, descriptors) is keyed by the guest hypervisor's physical
 * address, i.e. its IPA (L1 IPA); host PAs are only labels that `hostmap` produces. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "el2emu/shadow_s2.h"
#include "replay_nested.h"
#include "trace_internal.h"

struct host_range {
	uint64_t ipa, last, pa;	/* [ipa, last] -> [pa, pa + last - ipa] */
};

struct trace_nested {
	struct trace_nested_env env;
	bool explicit_map;	/* a hostmap record was seen: the 1:1 default no longer applies */
	struct host_range *map;
	uint32_t nmap, cap;
	struct s2_mmu *shadow;
	struct s2_malloc_pages pages;
	bool mem_limit;		/* set during one access */
	/* --audit totals */
	uint64_t audits, audit_checked, audit_allowed, audit_bugs;
};

static bool host_lookup(void *ctx, uint64_t ipa, struct s2_host_map *out);
static bool host_read64(void *ctx, uint64_t ipa, uint64_t *val);
static bool host_cas64(void *ctx, uint64_t ipa, uint64_t expected, uint64_t desired,
		       uint64_t *seen);

struct trace_nested *trace_nested_new(const struct trace_nested_env *env)
{
	struct trace_nested *n = trace_calloc(1, sizeof(*n));
	struct s2_page_ops pages;
	struct s2_host_ops host;
	struct s2_config cfg;

	if (!n)
		return NULL;
	n->env = *env;
	/* Shadow table pages live in a synthetic PA range above any 52-bit host PA label
	 * a trace can name; they are never dereferenced by PA here. */
	s2_malloc_pages_init(&n->pages, 0x10000000000000ull, 0, &pages);
	host = (struct s2_host_ops){ host_lookup, host_read64, host_cas64, n };
	s2_config_default(&cfg);
	n->shadow = s2_create(&cfg, env->feat, &pages, &host);
	if (!n->shadow) {
		trace_free(n, sizeof(*n));
		return NULL;
	}
	return n;
}

void trace_nested_free(struct trace_nested *n)
{
	if (!n)
		return;
	s2_destroy(n->shadow);
	trace_free(n->map, (size_t)n->cap * sizeof(*n->map));
	trace_free(n, sizeof(*n));
}

bool trace_nested_host_pa(const struct trace_nested *n, uint64_t ipa, uint64_t *pa)
{
	uint32_t lo = 0, hi = n->nmap;

	/* trace-format.md: without any hostmap, every ram region is mapped 1:1. */
	if (!n->explicit_map) {
		*pa = ipa;
		return trace_mem_backed(n->env.mem, ipa, 1);
	}
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (n->map[mid].last < ipa) {
			lo = mid + 1;
		} else if (n->map[mid].ipa > ipa) {
			hi = mid;
		} else {
			*pa = n->map[mid].pa + (ipa - n->map[mid].ipa);
			return true;
		}
	}
	return false;
}

int trace_nested_hostmap(struct trace_nested *n, const struct trace_record *rec, char *err,
			 size_t errlen)
{
	uint64_t ipa = rec->u.hostmap.ipa, size = rec->u.hostmap.size, last;
	bool none = rec->u.hostmap.none;
	struct host_range repl[3];
	uint32_t i, j, nrepl = 0, count;

	if (size == 0) {
		snprintf(err, errlen, "hostmap range is empty");
		return -1;
	}
	last = ipa + (size - 1);
	if (last < ipa || (!none && rec->u.hostmap.pa + (size - 1) < rec->u.hostmap.pa)) {
		snprintf(err, errlen, "hostmap range of 0x%" PRIx64
			 " bytes runs past the end of the address space", size);
		return -1;
	}
	/* [i, j): the ranges the new one overlaps. */
	for (i = 0; i < n->nmap && n->map[i].last < ipa; i++)
		;
	for (j = i; j < n->nmap && n->map[j].ipa <= last; j++)
		;
	/* Later records override earlier ones: keep only what sticks out on either side. */
	if (i < j && n->map[i].ipa < ipa)
		repl[nrepl++] = (struct host_range){ n->map[i].ipa, ipa - 1, n->map[i].pa };
	if (!none)
		repl[nrepl++] = (struct host_range){ ipa, last, rec->u.hostmap.pa };
	if (i < j && n->map[j - 1].last > last) {
		const struct host_range *r = &n->map[j - 1];

		repl[nrepl++] = (struct host_range){ last + 1, r->last,
						     r->pa + (last + 1 - r->ipa) };
	}
	count = n->nmap - (j - i) + nrepl;
	if (count > n->env.lim->max_hostmap) {
		snprintf(err, errlen, "hostmap: more than %" PRIu32 " disjoint ranges",
			 n->env.lim->max_hostmap);
		return -1;
	}
	if (count > n->cap) {
		uint32_t cap = n->cap ? n->cap * 2 : 16;
		struct host_range *m;

		if (cap < count)
			cap = count;
		if (cap > n->env.lim->max_hostmap)
			cap = n->env.lim->max_hostmap;
		m = trace_calloc(cap, sizeof(*m));
		if (!m) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		if (n->nmap)
			memcpy(m, n->map, n->nmap * sizeof(*m));
		trace_free(n->map, (size_t)n->cap * sizeof(*m));
		n->map = m;
		n->cap = cap;
	}
	memmove(&n->map[i + nrepl], &n->map[j], (n->nmap - j) * sizeof(*n->map));
	memcpy(&n->map[i], repl, nrepl * sizeof(*repl));
	n->nmap = count;
	/* The first hostmap replaces the 1:1 default everywhere; later ones change only
	 * their range. Either way exactly the shadow leaves derived from it go. */
	if (!n->explicit_map)
		s2_host_changed(n->shadow, 0, UINT64_MAX);
	else
		s2_host_changed(n->shadow, ipa, size);
	n->explicit_map = true;
	return 0;
}

/* ---- the host's stage 2 as the shadow sees it ---- */

/* The mapped range around ipa. The 1:1 default reports the largest naturally aligned
 * block (1 GiB, 2 MiB, 4 KiB) that lies wholly in `ram`, so shadow leaves can be large. */
static bool host_lookup(void *ctx, uint64_t ipa, struct s2_host_map *out)
{
	struct trace_nested *n = ctx;
	uint32_t lo = 0, hi = n->nmap;

	if (!n->explicit_map) {
		static const uint64_t sizes[] = { 1ull << 30, 1ull << 21, 1ull << 12 };

		for (unsigned k = 0; k < 3; k++) {
			uint64_t base = ipa & ~(sizes[k] - 1);

			if (trace_mem_backed(n->env.mem, base, sizes[k])) {
				*out = (struct s2_host_map){ base, base, sizes[k], S2_PERM_ALL };
				return true;
			}
		}
		/* A region smaller than a page: the host's granule is still the page. */
		if (!trace_mem_backed(n->env.mem, ipa, 1))
			return false;
		*out = (struct s2_host_map){ ipa & ~0xfffull, ipa & ~0xfffull, 4096, S2_PERM_ALL };
		return true;
	}
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct host_range *r = &n->map[mid];

		if (r->last < ipa) {
			lo = mid + 1;
		} else if (r->ipa > ipa) {
			hi = mid;
		} else {
			/* size = last - ipa + 1 cannot overflow but for a range covering all
			 * of the 64-bit space; clip that one by a page. */
			uint64_t size = r->last - r->ipa + 1 ? r->last - r->ipa + 1 : r->last;

			*out = (struct s2_host_map){ r->ipa, r->pa, size, S2_PERM_ALL };
			return true;
		}
	}
	return false;
}

static bool host_read64(void *ctx, uint64_t ipa, uint64_t *val)
{
	struct trace_nested *n = ctx;

	return trace_mem_read64(n->env.mem, ipa, val) == TRACE_MEM_OK;
}

static bool host_cas64(void *ctx, uint64_t ipa, uint64_t expected, uint64_t desired,
		       uint64_t *seen)
{
	struct trace_nested *n = ctx;
	enum trace_mem_status st = trace_mem_cas64(n->env.mem, ipa, expected, desired, seen);

	if (st == TRACE_MEM_LIMIT || st == TRACE_MEM_NOMEM)
		n->mem_limit = true;
	return st == TRACE_MEM_OK;
}

int trace_nested_access(struct trace_nested *n, const struct trace_record *rec,
			struct trace_result *got, char *err, size_t errlen)
{
	static const enum tr_acc_type types[] = { ['r'] = TR_ACC_READ, ['w'] = TR_ACC_WRITE,
						  ['x'] = TR_ACC_EXEC };
	struct s2_access_result ar;

	n->mem_limit = false;
	memset(got, 0, sizeof(*got));
	s2_access(n->shadow, n->env.regs, types[(unsigned char)rec->u.access.type],
		  (uint8_t)rec->u.access.el, rec->u.access.va, &ar);
	if (n->mem_limit) {
		snprintf(err, errlen, "memory limit exceeded by a hardware descriptor update "
			 "(--max-alloc)");
		return -1;
	}
	switch (ar.outcome) {
	case S2A_OK:
		got->kind = TRACE_RES_PA;
		got->addr = ar.pa;
		return 0;
	case S2A_S1_FAULT:
		got->kind = TRACE_RES_S1;
		got->fsc = ar.fsc;
		return 0;
	case S2A_S2_FAULT:
	case S2A_S2PTW_FAULT:
		/* HPFAR_EL2.FIPA: the result names the faulting IPA's page. */
		got->kind = ar.outcome == S2A_S2PTW_FAULT ? TRACE_RES_S2PTW : TRACE_RES_S2;
		got->fsc = ar.fsc;
		got->addr = ar.ipa;
		return 0;
	case S2A_HOST:
		got->kind = TRACE_RES_HOST;
		got->addr = ar.ipa;
		return 0;
	case S2A_ERROR:
		break;
	}
	snprintf(err, errlen, "shadow stage 2: out of memory for table pages");
	return -1;
}

void trace_nested_tlbi(struct trace_nested *n, const struct sr_desc *op, uint64_t xt)
{
	struct s2_tlbi t;

	if (s2_tlbi_from_sysreg(op, xt, &t))
		s2_tlbi(n->shadow, n->env.regs, &t);
}

/* ---- --audit and statistics ---- */

struct audit_out {
	FILE *out;
	const char *name;
	unsigned long line;
};

static void audit_finding(void *arg, const struct s2_audit_finding *f)
{
	const struct audit_out *a = arg;

	if (f->verdict == S2_AUDIT_STALE_ALLOWED || !a->out)
		return;
	fprintf(a->out, "%s:%lu: audit: shadow leaf IPA 0x%" PRIx64 "+0x%" PRIx64
		" -> PA 0x%" PRIx64 " (L1 IPA 0x%" PRIx64 ") is stale %s: %s\n", a->name,
		a->line, f->ipa, f->size,
		f->pa, f->l1_ipa,
		f->verdict == S2_AUDIT_STALE_BUG ? "after a TLBI" : "after a hostmap change",
		f->why);
}

unsigned trace_nested_audit(struct trace_nested *n, FILE *out, const char *name,
			    unsigned long line)
{
	struct audit_out a = { out, name, line };
	struct s2_audit_report rep;

	s2_audit(n->shadow, audit_finding, &a, &rep);
	n->audits++;
	n->audit_checked += rep.checked;
	n->audit_allowed += rep.stale_allowed;
	n->audit_bugs += rep.stale_bug + rep.host_stale;
	return rep.stale_bug + rep.host_stale;
}

void trace_nested_print_stats(const struct trace_nested *n, FILE *out)
{
	const struct s2_stats *st = s2_stats(n->shadow);

	fprintf(out, "shadow stage 2: %" PRIu64 " contexts created, %" PRIu64 " evicted, %" PRIu64
		" reused; %" PRIu64 " fills, %" PRIu64 " hits, %" PRIu64 " refills; %" PRIu64
		" guest faults, %" PRIu64 " host misses\n", st->contexts_created,
		st->contexts_evicted, st->context_hits, st->fills, st->hits, st->refills,
		st->guest_faults, st->host_misses);
	fprintf(out, "  TLBIs:");
	for (unsigned k = 0; k < S2_TLBI_KINDS; k++)
		fprintf(out, " %s %" PRIu64 "%s", s2_tlbi_kind_name((enum s2_tlbi_kind)k),
			st->tlbi[k], k + 1 < S2_TLBI_KINDS ? "," : "");
	fprintf(out, "\n  leaves dropped: %" PRIu64 " by TLBIs, %" PRIu64 " by hostmap changes, %"
		PRIu64 " under memory pressure; peak %" PRIu64 " leaves, %" PRIu64
		" table pages\n", st->leaves_dropped_tlbi, st->leaves_dropped_host,
		st->leaves_dropped_pressure, st->leaves_peak, st->pages_peak);
	if (n->audits)
		fprintf(out, "  audit: %" PRIu64 " runs, %" PRIu64 " leaves checked, %" PRIu64
			" stale without a TLBI (allowed), %" PRIu64 " stale after one (bugs)\n",
			n->audits, n->audit_checked, n->audit_allowed, n->audit_bugs);
}

void trace_nested_json_stats(const struct trace_nested *n, FILE *out)
{
	const struct s2_stats *st = s2_stats(n->shadow);

	fprintf(out, "{\"contexts_created\":%" PRIu64 ",\"contexts_evicted\":%" PRIu64
		",\"fills\":%" PRIu64 ",\"hits\":%" PRIu64 ",\"refills\":%" PRIu64
		",\"guest_faults\":%" PRIu64 ",\"host_misses\":%" PRIu64 ",\"tlbi\":{",
		st->contexts_created, st->contexts_evicted, st->fills, st->hits, st->refills,
		st->guest_faults, st->host_misses);
	for (unsigned k = 0; k < S2_TLBI_KINDS; k++)
		fprintf(out, "%s\"%s\":%" PRIu64, k ? "," : "",
			s2_tlbi_kind_name((enum s2_tlbi_kind)k), st->tlbi[k]);
	fprintf(out, "},\"dropped_tlbi\":%" PRIu64 ",\"dropped_host\":%" PRIu64
		",\"dropped_pressure\":%" PRIu64 ",\"audits\":%" PRIu64
		",\"audit_stale_allowed\":%" PRIu64 ",\"audit_bugs\":%" PRIu64 "}",
		st->leaves_dropped_tlbi, st->leaves_dropped_host, st->leaves_dropped_pressure,
		n->audits, n->audit_allowed, n->audit_bugs);
}

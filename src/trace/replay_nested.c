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
#include "hostmap.h"
#include "replay_nested.h"
#include "trace_internal.h"

struct trace_nested {
	struct trace_nested_env env;
	struct trace_hostmap host;
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
	trace_hostmap_init(&n->host, env->mem, env->lim->max_hostmap);
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
	trace_hostmap_fini(&n->host);
	trace_free(n, sizeof(*n));
}

bool trace_nested_host_pa(const struct trace_nested *n, uint64_t ipa, uint64_t *pa)
{
	uint64_t base, pa_base, size;

	if (!trace_hostmap_lookup(&n->host, ipa, &base, &pa_base, &size))
		return false;
	*pa = pa_base + (ipa - base);
	return true;
}

int trace_nested_hostmap(struct trace_nested *n, const struct trace_record *rec, char *err,
			 size_t errlen)
{
	bool was_default = !n->host.explicit_map;

	if (trace_hostmap_set(&n->host, rec->u.hostmap.ipa, rec->u.hostmap.size,
			      rec->u.hostmap.none, rec->u.hostmap.pa, err, errlen))
		return -1;
	/* The first hostmap replaces the 1:1 default everywhere; later ones change only
	 * their range. Either way exactly the shadow leaves derived from it go. */
	if (was_default)
		s2_host_changed(n->shadow, 0, UINT64_MAX);
	else
		s2_host_changed(n->shadow, rec->u.hostmap.ipa, rec->u.hostmap.size);
	return 0;
}

/* ---- the host's stage 2 as the shadow sees it ---- */

/* The mapped range around ipa, as hostmap.h reports it. */
static bool host_lookup(void *ctx, uint64_t ipa, struct s2_host_map *out)
{
	struct trace_nested *n = ctx;
	uint64_t base, pa_base, size;

	if (!trace_hostmap_lookup(&n->host, ipa, &base, &pa_base, &size))
		return false;
	*out = (struct s2_host_map){ base, pa_base, size, S2_PERM_ALL };
	return true;
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

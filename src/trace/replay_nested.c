/* Nested records of a replay, reference form: `hostmap` is a sorted, bounded range map and
 * every `access` is computed directly with the translate API (nested stage 1, each of its
 * table IPAs and its output IPA through the guest hypervisor's stage 2, then the host map).
 * With no translation cached anywhere, a TLBI has nothing to invalidate: each result is the
 * architectural one for the current memory and registers.
 *
 * Address spaces: memory (`ram`, descriptors) is keyed by the guest hypervisor's physical
 * address, i.e. its IPA (L1 IPA); host PAs are only labels that `hostmap` produces. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

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
	/* Set during one access. */
	bool host_fault;
	uint64_t host_ipa;
	bool mem_limit;
};

struct trace_nested *trace_nested_new(const struct trace_nested_env *env)
{
	struct trace_nested *n = trace_calloc(1, sizeof(*n));

	if (n)
		n->env = *env;
	return n;
}

void trace_nested_free(struct trace_nested *n)
{
	if (!n)
		return;
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
	n->explicit_map = true;
	return 0;
}

/* Descriptor reads of the guest stage 2 and of the nested stage 1: the guest hypervisor's
 * memory, reachable only where the host maps it. */
static bool nested_read64(void *ctx, uint64_t addr, uint64_t *val)
{
	struct trace_nested *n = ctx;
	uint64_t pa;

	if (!trace_nested_host_pa(n, addr, &pa)) {
		if (!n->host_fault) {
			n->host_fault = true;
			n->host_ipa = addr;
		}
		return false;
	}
	return trace_mem_read64(n->env.mem, addr, val) == TRACE_MEM_OK;
}

static bool nested_cas64(void *ctx, uint64_t addr, uint64_t expected, uint64_t desired,
			 uint64_t *seen)
{
	struct trace_nested *n = ctx;
	enum trace_mem_status st;
	uint64_t pa;

	if (!trace_nested_host_pa(n, addr, &pa)) {
		if (!n->host_fault) {
			n->host_fault = true;
			n->host_ipa = addr;
		}
		return false;
	}
	st = trace_mem_cas64(n->env.mem, addr, expected, desired, seen);
	if (st == TRACE_MEM_LIMIT || st == TRACE_MEM_NOMEM)
		n->mem_limit = true;
	return st == TRACE_MEM_OK;
}

static void nested_ctx(struct trace_nested *n, struct tr_ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->regs = n->env.regs;
	c->feat = n->env.feat;
	c->mem.read64 = nested_read64;
	c->mem.cas64 = nested_cas64;
	c->mem.ctx = n;
}

/* The guest hypervisor's stage 2 (L2 IPA -> L1 IPA), then the host map of the L1 IPA.
 * out->oa stays the L1 IPA: the stage-1 walk reads its descriptors there. */
static bool nested_s2_xlate(void *ctx, uint64_t ipa, const struct tr_access *acc, bool s1ptw,
			    struct tr_result *out, struct tr_fault *fault)
{
	struct trace_nested *n = ctx;
	struct tr_ctx c;
	uint64_t pa;

	nested_ctx(n, &c);
	if (n->env.regs->hcr_el2 & 1) {		/* HCR_EL2.VM */
		if (!tr_walk_s2(&c, ipa, acc, out, fault)) {
			fault->stage2 = true;
			fault->s1ptw = s1ptw;
			return false;
		}
	} else {
		memset(out, 0, sizeof(*out));
		out->oa = ipa;
		out->ipa = ipa;
	}
	if (!trace_nested_host_pa(n, out->oa, &pa)) {
		if (!n->host_fault) {
			n->host_fault = true;
			n->host_ipa = out->oa;
		}
		memset(fault, 0, sizeof(*fault));
		fault->type = TR_FAULT_EXT_ABORT_WALK;
		fault->stage2 = true;
		fault->s1ptw = s1ptw;
		fault->ipa = ipa;
		return false;
	}
	return true;
}

int trace_nested_access(struct trace_nested *n, const struct trace_record *rec,
			struct trace_result *got, char *err, size_t errlen)
{
	static const enum tr_acc_type types[] = { ['r'] = TR_ACC_READ, ['w'] = TR_ACC_WRITE,
						  ['x'] = TR_ACC_EXEC };
	struct tr_access acc = { .type = types[(unsigned char)rec->u.access.type],
				 .el = (uint8_t)rec->u.access.el };
	struct tr_s2_hook hook = { nested_s2_xlate, n };
	struct tr_result res;
	struct tr_fault fault;
	struct tr_ctx c;
	uint64_t pa;

	nested_ctx(n, &c);
	memset(&res, 0, sizeof(res));
	memset(&fault, 0, sizeof(fault));
	n->host_fault = false;
	n->mem_limit = false;
	memset(got, 0, sizeof(*got));
	if (tr_walk_s1(&c, TR_REGIME_EL10, rec->u.access.va, &acc, &hook, &res, &fault)) {
		if (trace_nested_host_pa(n, res.oa, &pa)) {
			got->kind = TRACE_RES_PA;
			got->addr = pa;
			return 0;
		}
		n->host_fault = true;
		n->host_ipa = res.oa;
	}
	if (n->mem_limit) {
		snprintf(err, errlen, "memory limit exceeded by a hardware descriptor update "
			 "(--max-alloc)");
		return -1;
	}
	if (n->host_fault) {
		got->kind = TRACE_RES_HOST;
		got->addr = n->host_ipa & ~(uint64_t)(TRACE_PAGE_SIZE - 1);
	} else if (fault.stage2) {
		/* HPFAR_EL2.FIPA holds IPA[47:12]: the result names the faulting IPA's page. */
		got->kind = fault.s1ptw ? TRACE_RES_S2PTW : TRACE_RES_S2;
		got->fsc = tr_fault_fsc(&fault);
		got->addr = fault.ipa & ~(uint64_t)(TRACE_PAGE_SIZE - 1);
	} else {
		got->kind = TRACE_RES_S1;
		got->fsc = tr_fault_fsc(&fault);
	}
	return 0;
}

void trace_nested_tlbi(struct trace_nested *n, const struct sr_desc *op, uint64_t xt)
{
	/* Reference form: nothing is cached, so there is nothing to invalidate. */
	(void)n;
	(void)op;
	(void)xt;
}

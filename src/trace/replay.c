/* The replay driver: applies the records of a trace in file order and checks every
 * expectation (shared/trace-format.md, "Replay output"). */
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "el2emu/sysreg.h"
#include "el2emu/trace.h"
#include "el2emu/translate.h"
#include "replay_nested.h"
#include "trace_internal.h"

#define ERR_LEN 256

/* reg and tlbi names, each resolved once per replay together with what it means here (the
 * trace_reg_slot()), since a trace names the same few registers and operations over and
 * over. Direct-mapped on the spelling as written; a collision only costs another lookup. */
#define NAME_CACHE 64

struct name_entry {
	char name[TRACE_NAME_MAX];
	const struct sr_desc *d;	/* NULL: empty */
	int reg;			/* trace_reg_slot(), -1 when it does not feed translation */
};

struct replay {
	const char *name;
	const struct trace_replay_opts *o;
	struct trace_stats *st;
	struct trace_mem *mem;
	struct trace_nested *nested;
	struct tr_sysregs regs;
	struct tr_features feat;
	struct tr_cache cache;	/* register decodes, reused while the registers stay */
	bool mem_limit;		/* a hardware descriptor update hit --max-alloc */
	char err[ERR_LEN];
	struct name_entry names[NAME_CACHE];
	char at_name[TRACE_NAME_MAX];	/* the last AT operation resolved, as written */
	enum tr_at_op at_op;
};

/* FNV-1a over the name, folded to lower case when fold is set. */
static uint32_t name_hash(const char *name, bool fold)
{
	uint32_t h = 2166136261u;

	for (const char *p = name; *p; p++)
		h = (h ^ (unsigned char)(fold && *p >= 'A' && *p <= 'Z' ? *p + 32 : *p)) *
		    16777619u;
	return h;
}

/* A case-insensitive index of the sysreg table's names, built on first use and shared by
 * every replay of the process (sr_find_name() compares against each entry in turn). The
 * first entry of a name wins, as in sr_find_name(); a name the index lacks, such as the
 * generic S<op0>_<op1>_C<n>_C<m>_<op2> form, still goes to sr_find_name(). If the table
 * outgrew the index, the index stays empty and every lookup goes there. */
#define SR_INDEX 1024u

static const struct sr_desc *sr_index[SR_INDEX];
static bool sr_index_built;

static void sr_index_build(void)
{
	size_t n = sr_count();

	sr_index_built = true;
	if (n > SR_INDEX / 2)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct sr_desc *d = sr_get(i);
		uint32_t h = name_hash(d->name, true) % SR_INDEX;

		while (sr_index[h] && strcasecmp(sr_index[h]->name, d->name))
			h = (h + 1) % SR_INDEX;
		if (!sr_index[h])
			sr_index[h] = d;
	}
}

static const struct sr_desc *find_sysreg(const char *name)
{
	if (!sr_index_built)
		sr_index_build();
	for (uint32_t h = name_hash(name, true) % SR_INDEX; sr_index[h]; h = (h + 1) % SR_INDEX)
		if (!strcasecmp(sr_index[h]->name, name))
			return sr_index[h];
	return sr_find_name(name);
}

/* The sysreg entry a reg/tlbi record names, or NULL when there is none. */
static const struct name_entry *resolve(struct replay *rp, const char *name)
{
	struct name_entry *e = &rp->names[name_hash(name, false) % NAME_CACHE];
	const struct sr_desc *d;

	if (e->d && !strcmp(e->name, name))
		return e;
	d = find_sysreg(name);
	if (!d)
		return NULL;
	/* rec->name is shorter than TRACE_NAME_MAX (reader.c). */
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->d = d;
	/* A VHE alias (TCR_EL12 ...) writes the register it names. */
	e->reg = trace_reg_slot(d);
	return e;
}

/* PAR_EL1 bits the architecture leaves open, which a trace captured elsewhere may hold
 * either way: on success NS (bit 9, UNKNOWN for a Non-secure regime) and bit 10 (IMPDEF);
 * on a fault bits [63:48] (IMPDEF). Arm ARM D24.2 PAR_EL1. */
static bool par_equal(uint64_t expected, uint64_t got)
{
	uint64_t open;

	if ((expected ^ got) & 1)
		return false;
	open = (expected & 1) ? 0xffff000000000000ull : (3ull << 9);
	return ((expected ^ got) & ~open) == 0;
}

static bool replay_read64(void *ctx, uint64_t pa, uint64_t *val)
{
	struct replay *rp = ctx;

	return trace_mem_read64(rp->mem, pa, val) == TRACE_MEM_OK;
}

static bool replay_cas64(void *ctx, uint64_t pa, uint64_t expected, uint64_t desired,
			 uint64_t *seen)
{
	struct replay *rp = ctx;
	enum trace_mem_status st = trace_mem_cas64(rp->mem, pa, expected, desired, seen);

	if (st == TRACE_MEM_LIMIT || st == TRACE_MEM_NOMEM)
		rp->mem_limit = true;
	return st == TRACE_MEM_OK;
}

__attribute__((format(printf, 3, 4))) static int rp_error(struct replay *rp,
							  unsigned long line,
							  const char *fmt, ...)
{
	char msg[ERR_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (rp->o->out)
		fflush(rp->o->out);	/* keep the failure lines before the error */
	if (rp->o->progress && rp->o->err)
		rp->o->progress(rp->o->progress_ctx, NULL);
	if (rp->o->err)
		fprintf(rp->o->err, "%s:%lu: error: %s\n", rp->name, line, msg);
	return 2;
}

/* A failed expectation: counted, and printed as the format says. */
static void fail(struct replay *rp, const struct trace_record *rec, const char *expected,
		 const char *got)
{
	rp->st->failed++;
	if (rp->o->progress && rp->o->out)
		rp->o->progress(rp->o->progress_ctx, NULL);
	if (rp->o->out)
		fprintf(rp->o->out, "%s:%lu: %s: expected %s got %s\n", rp->name, rec->line,
			rec->text, expected, got);
}

static const char *mem_status_str(enum trace_mem_status st)
{
	switch (st) {
	case TRACE_MEM_UNBACKED:
		return "outside every ram region";
	case TRACE_MEM_LIMIT:
		return "over the limit of allocated memory (--max-alloc)";
	case TRACE_MEM_NOMEM:
		return "out of memory";
	default:
		return "ok";
	}
}

static int do_reg(struct replay *rp, const struct trace_record *rec)
{
	const struct name_entry *e = resolve(rp, rec->name);

	if (!e || e->d->kind != SR_KIND_REG)
		return rp_error(rp, rec->line, "unknown register '%s'", rec->name);
	if (e->reg < 0) {
		rp->st->regs_ignored++;
		return 0;
	}
	trace_reg_store(&rp->regs, e->reg, rec->u.reg.value);
	return 0;
}

static int do_at(struct replay *rp, const struct trace_record *rec)
{
	enum tr_at_op op;
	struct tr_ctx ctx = {
		.regs = &rp->regs,
		.feat = &rp->feat,
		.mem = { replay_read64, replay_cas64, rp },
		.cache = &rp->cache,
	};
	char want[24], got[24];
	uint64_t par;

	/* Traces run one AT operation many times in a row: look it up once. */
	if (strcmp(rec->name, rp->at_name)) {
		rp->at_op = tr_at_op_from_name(rec->name);
		snprintf(rp->at_name, sizeof(rp->at_name), "%s", rec->name);
	}
	op = rp->at_op;
	if (op == TR_AT_NONE)
		return rp_error(rp, rec->line, "unknown AT operation '%s' (S1E1R S1E1W S1E0R "
			     "S1E0W S12E1R S12E1W S12E0R S12E0W S1E2R S1E2W)", rec->name);
	par = tr_at(&ctx, op, rec->u.at.va);
	if (rp->mem_limit)
		return rp_error(rp, rec->line, "a hardware descriptor update is %s",
				mem_status_str(TRACE_MEM_LIMIT));
	if (!rec->has_opt) {
		rp->st->at_unchecked++;
		return 0;
	}
	if (par_equal(rec->u.at.par, par)) {
		rp->st->passed++;
		return 0;
	}
	/* Formatted only for a failure line: most records pass. */
	snprintf(want, sizeof(want), "0x%" PRIx64, rec->u.at.par);
	snprintf(got, sizeof(got), "0x%" PRIx64, par);
	fail(rp, rec, want, got);
	return 0;
}

static int do_tlbi(struct replay *rp, const struct trace_record *rec)
{
	const struct name_entry *e = resolve(rp, rec->name);
	const struct sr_desc *d = e ? e->d : NULL;
	bool operand;

	if (!d || d->kind != SR_KIND_TLBI || !d->tlbi)
		return rp_error(rp, rec->line, "unknown TLBI operation '%s'", rec->name);
	operand = d->tlbi->has_operand;
	if (operand && !rec->has_opt)
		return rp_error(rp, rec->line, "tlbi %s takes a register operand <xt>", d->name);
	if (!operand && rec->has_opt)
		return rp_error(rp, rec->line, "tlbi %s takes no register operand", d->name);
	trace_nested_tlbi(rp->nested, d, rec->u.tlbi.xt);
	return 0;
}

static int do_access(struct replay *rp, const struct trace_record *rec)
{
	struct trace_result got;
	char want_s[64], got_s[64];

	if (trace_nested_access(rp->nested, rec, &got, rp->err, sizeof(rp->err)))
		return rp_error(rp, rec->line, "%s", rp->err);
	if (!rec->has_opt) {
		rp->st->access_unchecked++;
		return 0;
	}
	if (trace_result_equal(&rec->u.access.expect, &got)) {
		rp->st->passed++;
		return 0;
	}
	trace_result_format(&rec->u.access.expect, want_s, sizeof(want_s));
	trace_result_format(&got, got_s, sizeof(got_s));
	fail(rp, rec, want_s, got_s);
	return 0;
}

static int do_mem(struct replay *rp, const struct trace_record *rec, uint64_t addr,
		  const void *bytes, size_t len)
{
	enum trace_mem_status st;

	if (len == 0)
		return 0;
	if (!trace_mem_backed(rp->mem, addr, len))
		return rp_error(rp, rec->line, "%s: 0x%" PRIx64 "+0x%zx is outside every ram "
				"region", trace_kind_name(rec->kind), addr, len);
	st = trace_mem_write(rp->mem, addr, bytes, len);
	if (st != TRACE_MEM_OK)
		return rp_error(rp, rec->line, "%s: writing 0x%" PRIx64 "+0x%zx: %s",
				trace_kind_name(rec->kind), addr, len, mem_status_str(st));
	return 0;
}

static int apply(struct replay *rp, const struct trace_record *rec)
{
	uint8_t b[8];

	switch (rec->kind) {
	case TRACE_HEADER:
		return 0;
	case TRACE_RAM:
		if (trace_mem_add_region(rp->mem, rec->u.ram.base, rec->u.ram.size, rp->err,
					 sizeof(rp->err)))
			return rp_error(rp, rec->line, "%s", rp->err);
		return 0;
	case TRACE_MEM:
		return do_mem(rp, rec, rec->u.mem.addr, rec->u.mem.bytes, rec->u.mem.len);
	case TRACE_MEM64:
		for (int i = 0; i < 8; i++)
			b[i] = (uint8_t)(rec->u.mem64.value >> (8 * i));
		return do_mem(rp, rec, rec->u.mem64.addr, b, sizeof(b));
	case TRACE_REG:
		return do_reg(rp, rec);
	case TRACE_AT:
		return do_at(rp, rec);
	case TRACE_TLBI:
		return do_tlbi(rp, rec);
	case TRACE_HOSTMAP:
		if (trace_nested_hostmap(rp->nested, rec, rp->err, sizeof(rp->err)))
			return rp_error(rp, rec->line, "%s", rp->err);
		return 0;
	case TRACE_ACCESS:
		return do_access(rp, rec);
	case TRACE_NKINDS:
		break;
	}
	return rp_error(rp, rec->line, "unknown record");
}

int trace_replay(struct trace_reader *r, const char *name, const struct trace_replay_opts *o,
		 struct trace_stats *st)
{
	struct replay rp = { .name = name, .o = o, .st = st, .at_op = TR_AT_NONE };
	struct trace_nested_env env;
	struct trace_record rec;
	uint64_t nrec = 0;
	int status = 0, n;

	memset(st, 0, sizeof(*st));
	trace_heap_reset_peak();
	tr_features_default(&rp.feat);
	rp.mem = trace_mem_new(&o->limits);
	env = (struct trace_nested_env){ rp.mem, &rp.regs, &rp.feat, &o->limits };
	rp.nested = rp.mem ? trace_nested_new(&env) : NULL;
	if (!rp.nested) {
		status = rp_error(&rp, 0, "out of memory");
		goto out;
	}
	while ((n = trace_reader_next(r, &rec)) > 0) {
		if (o->progress && nrec % TRACE_PROGRESS_RECORDS == 0) {
			struct trace_progress p = { .name = name, .records = nrec };

			trace_reader_position(r, &p.done, &p.total);
			o->progress(o->progress_ctx, &p);
		}
		nrec++;
		st->records[rec.kind]++;
		status = apply(&rp, &rec);
		if (status)
			break;
		if (o->audit)
			st->failed += trace_nested_audit(rp.nested, o->out, name, rec.line);
	}
	if (n < 0)
		status = rp_error(&rp, trace_reader_line(r), "%s", trace_reader_error(r));
	if (status == 0 && st->failed)
		status = 1;
out:
	st->lines = trace_reader_line(r);
	if (rp.mem) {
		st->mem_allocated = trace_mem_allocated(rp.mem);
		st->mem_declared = trace_mem_declared(rp.mem);
	}
	st->heap_peak = trace_heap_peak();
	if (o->progress)
		o->progress(o->progress_ctx, NULL);
	if (rp.nested && o->nested_stats)
		trace_nested_print_stats(rp.nested, o->nested_stats);
	if (rp.nested && o->nested_json)
		trace_nested_json_stats(rp.nested, o->nested_json);
	trace_nested_free(rp.nested);
	trace_mem_free(rp.mem);
	return status;
}

int trace_replay_path(const char *path, const struct trace_replay_opts *o,
		      struct trace_stats *st)
{
	char err[ERR_LEN];
	struct trace_reader *r = trace_reader_open_path(path, &o->limits, err, sizeof(err));
	int status;

	if (!r) {
		memset(st, 0, sizeof(*st));
		if (o->err)
			fprintf(o->err, "%s: error: %s\n", path, err);
		return 2;
	}
	status = trace_replay(r, path, o, st);
	trace_reader_close(r);
	return status;
}

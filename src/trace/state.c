/* The state a trace describes up to a line (include/el2emu/trace_state.h): memory, the
 * translation registers and the host map, with every query record skipped. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "el2emu/sysreg.h"
#include "el2emu/trace_state.h"
#include "hostmap.h"
#include "trace_internal.h"

struct trace_state {
	struct trace_mem *mem;
	struct tr_sysregs regs;
	struct trace_limits lim;
	struct trace_hostmap host;
	unsigned long line;
	uint64_t skipped, tlbis;
};

__attribute__((format(printf, 5, 6))) static void st_err(char *err, size_t errlen,
							 const char *path, unsigned long line,
							 const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s:%lu: %s", path, line, msg);
}

static const char *mem_why(enum trace_mem_status st)
{
	switch (st) {
	case TRACE_MEM_UNBACKED:
		return "outside every ram region";
	case TRACE_MEM_LIMIT:
		return "over the limit of allocated memory";
	case TRACE_MEM_NOMEM:
		return "out of memory";
	default:
		return "ok";
	}
}

static int apply_reg(struct trace_state *s, const struct trace_record *rec, char *why,
		     size_t len)
{
	const struct sr_desc *d = sr_find_name(rec->name);
	int slot = trace_reg_slot(d);

	if (!d || d->kind != SR_KIND_REG) {
		snprintf(why, len, "unknown register '%s'", rec->name);
		return -1;
	}
	if (slot >= 0)
		trace_reg_store(&s->regs, slot, rec->u.reg.value);
	return 0;
}

static int apply_mem(struct trace_state *s, uint64_t addr, const void *bytes, size_t n,
		     char *why, size_t len)
{
	enum trace_mem_status st;

	if (n == 0)
		return 0;
	if (!trace_mem_backed(s->mem, addr, n)) {
		snprintf(why, len, "0x%" PRIx64 "+0x%zx is outside every ram region", addr, n);
		return -1;
	}
	st = trace_mem_write(s->mem, addr, bytes, n);
	if (st != TRACE_MEM_OK) {
		snprintf(why, len, "writing 0x%" PRIx64 "+0x%zx: %s", addr, n, mem_why(st));
		return -1;
	}
	return 0;
}

static int apply(struct trace_state *s, const struct trace_record *rec, char *why, size_t len)
{
	const struct sr_desc *d;
	uint8_t b[8];

	switch (rec->kind) {
	case TRACE_HEADER:
		return 0;
	case TRACE_RAM:
		return trace_mem_add_region(s->mem, rec->u.ram.base, rec->u.ram.size, why, len);
	case TRACE_MEM:
		return apply_mem(s, rec->u.mem.addr, rec->u.mem.bytes, rec->u.mem.len, why, len);
	case TRACE_MEM64:
		for (int i = 0; i < 8; i++)
			b[i] = (uint8_t)(rec->u.mem64.value >> (8 * i));
		return apply_mem(s, rec->u.mem64.addr, b, sizeof(b), why, len);
	case TRACE_REG:
		return apply_reg(s, rec, why, len);
	case TRACE_HOSTMAP:
		return trace_hostmap_set(&s->host, rec->u.hostmap.ipa, rec->u.hostmap.size,
					 rec->u.hostmap.none, rec->u.hostmap.pa, why, len);
	case TRACE_TLBI:
		/* A TLBI changes no table: what it invalidates is the TLB/shadow that the
		 * skipped queries would have filled. Checked so a typo is still an error. */
		d = sr_find_name(rec->name);
		if (!d || d->kind != SR_KIND_TLBI) {
			snprintf(why, len, "unknown TLBI operation '%s'", rec->name);
			return -1;
		}
		s->tlbis++;
		return 0;
	case TRACE_AT:
		if (tr_at_op_from_name(rec->name) == TR_AT_NONE) {
			snprintf(why, len, "unknown AT operation '%s'", rec->name);
			return -1;
		}
		s->skipped++;
		return 0;
	case TRACE_ACCESS:
		s->skipped++;
		return 0;
	case TRACE_NKINDS:
		break;
	}
	snprintf(why, len, "unknown record");
	return -1;
}

struct trace_state *trace_state_load(const char *path, unsigned long upto_line,
				     const struct trace_limits *lim, char *err, size_t errlen)
{
	struct trace_state *s = trace_calloc(1, sizeof(*s));
	struct trace_reader *r;
	struct trace_record rec;
	char why[256];
	int n;

	if (!s) {
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	s->lim = *lim;
	s->mem = trace_mem_new(lim);
	trace_hostmap_init(&s->host, s->mem, lim->max_hostmap);
	r = s->mem ? trace_reader_open_path(path, lim, why, sizeof(why)) : NULL;
	if (!r) {
		snprintf(err, errlen, "%s: %s", path, s->mem ? why : "out of memory");
		trace_state_free(s);
		return NULL;
	}
	while ((n = trace_reader_next(r, &rec)) > 0) {
		if (upto_line && rec.line > upto_line)
			break;
		if (apply(s, &rec, why, sizeof(why))) {
			st_err(err, errlen, path, rec.line, "%s", why);
			goto fail;
		}
		s->line = rec.line;
	}
	if (n < 0) {
		st_err(err, errlen, path, trace_reader_line(r), "%s", trace_reader_error(r));
		goto fail;
	}
	trace_reader_close(r);
	return s;
fail:
	trace_reader_close(r);
	trace_state_free(s);
	return NULL;
}

void trace_state_free(struct trace_state *s)
{
	if (!s)
		return;
	trace_mem_free(s->mem);
	trace_hostmap_fini(&s->host);
	trace_free(s, sizeof(*s));
}

const struct tr_sysregs *trace_state_regs(const struct trace_state *s)
{
	return &s->regs;
}

struct trace_mem *trace_state_mem(struct trace_state *s)
{
	return s->mem;
}

unsigned long trace_state_line(const struct trace_state *s)
{
	return s->line;
}

uint64_t trace_state_skipped(const struct trace_state *s)
{
	return s->skipped;
}

uint64_t trace_state_tlbis(const struct trace_state *s)
{
	return s->tlbis;
}

bool trace_state_host(const struct trace_state *s, uint64_t ipa, uint64_t *pa, uint64_t *base,
		      uint64_t *size)
{
	uint64_t pa_base;

	if (!trace_hostmap_lookup(&s->host, ipa, base, &pa_base, size))
		return false;
	*pa = pa_base + (ipa - *base);
	return true;
}

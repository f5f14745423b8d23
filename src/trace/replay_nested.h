/* Private to src/trace: the nested records of a replay (trace-format.md, "Nested records"):
 * `hostmap`, `access` and the effect of `tlbi` on nested state.
 *
 * replay.c parses and validates every record, then hands these over. The reference form in
 * replay_nested.c computes each access directly with the translate API; the shadow stage-2
 * module replaces it with the shadow path behind this same interface. */
#ifndef EL2EMU_TRACE_REPLAY_NESTED_H
#define EL2EMU_TRACE_REPLAY_NESTED_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "el2emu/trace.h"
#include "el2emu/translate.h"

struct sr_desc;

/* What the nested state sees of the replay; every pointer outlives the trace_nested.
 * regs always holds the current register values (records apply in file order). */
struct trace_nested_env {
	struct trace_mem *mem;		/* the guest hypervisor's physical space (L1 IPA) */
	const struct tr_sysregs *regs;
	const struct tr_features *feat;
	const struct trace_limits *lim;
};

struct trace_nested;

struct trace_nested *trace_nested_new(const struct trace_nested_env *env);
void trace_nested_free(struct trace_nested *n);

/* The host's stage 2 for the guest hypervisor changes (rec->kind == TRACE_HOSTMAP).
 * Returns 0, or -1 with a message in err (empty or wrapping range, too many ranges). */
int trace_nested_hostmap(struct trace_nested *n, const struct trace_record *rec, char *err,
			 size_t errlen);

/* The nested guest makes the access of rec (rec->kind == TRACE_ACCESS); *got receives the
 * outcome in the form of an <result>. Returns 0, or -1 with a message in err when the replay
 * cannot go on (a memory limit hit by a hardware descriptor update). */
int trace_nested_access(struct trace_nested *n, const struct trace_record *rec,
			struct trace_result *got, char *err, size_t errlen);

/* The guest hypervisor executed a TLBI (op is a validated SR_KIND_TLBI entry, xt its operand,
 * 0 when it takes none). */
void trace_nested_tlbi(struct trace_nested *n, const struct sr_desc *op, uint64_t xt);

/* --audit: re-derive every shadow leaf from the current tables. A leaf that differs
 * although a TLBI or a hostmap record should have removed it is an el2emu bug: each is
 * printed to out as "NAME:LINE: audit: ..." and counted in the return value. A leaf that
 * differs with no TLBI since its fill is an architecturally allowed stale TLB entry and
 * is only counted (trace_nested_print_stats). */
unsigned trace_nested_audit(struct trace_nested *n, FILE *out, const char *name,
			    unsigned long line);

/* The shadow stage 2's statistics: contexts created and evicted, fills, hits, TLBIs per
 * kind and the leaves they dropped, leaves dropped by hostmap changes, audit counts. */
void trace_nested_print_stats(const struct trace_nested *n, FILE *out);
/* The same as one JSON object (no trailing newline). */
void trace_nested_json_stats(const struct trace_nested *n, FILE *out);

/* True when the host maps the guest hypervisor's IPA; *pa receives the host PA. */
bool trace_nested_host_pa(const struct trace_nested *n, uint64_t ipa, uint64_t *pa);

#endif

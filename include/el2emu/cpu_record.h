/* el2emu cpu: recording a boot as a version-1 trace (`el2emu run --trace-out FILE`).
 * See docs/replay.md "Recording" for what is recorded, when, and how it is sampled. */
#ifndef EL2EMU_CPU_RECORD_H
#define EL2EMU_CPU_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "el2emu/cpu.h"

/* Which nested-guest accesses become `access` records (--trace-accesses). */
enum cpu_trace_accesses {
	CPU_TRACE_ACC_FIRST,	/* first-per-page: one per (context, VA page, kind, outcome) */
	CPU_TRACE_ACC_ALL,	/* every access the run observes (each miss or fault) */
	CPU_TRACE_ACC_NONE,
};

/* Starts recording into path (".gz": compressed) before cpu_run(); note (may be NULL)
 * becomes a comment at the top (how the trace was made). 0, or -1 with a message. The
 * machine owns the recorder from then on. */
int cpu_record_start(struct cpu_machine *m, const char *path, enum cpu_trace_accesses acc,
		     const char *note, char *err, size_t errlen);
/* Ends the recording after cpu_run(): 0, or -1 with a message (write error, a recording
 * limit reached). Safe to call when no recording was started. */
int cpu_record_finish(struct cpu_machine *m, char *err, size_t errlen);

/* --host-remap-every N: at the first entry into the nested guest after N more shadow
 * fills, the host moves one RAM page of the guest hypervisor behind a data leaf of the
 * context about to run to a free host page (contents copied), in a deterministic order,
 * and tells shadow_s2 (reverse map). 0 (the default) never remaps. Call before cpu_run(). */
int cpu_set_host_remap(struct cpu_machine *m, uint64_t every, char *err, size_t errlen);

#endif

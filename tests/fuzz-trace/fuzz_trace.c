/* libFuzzer target: any byte string, replayed as a trace, ends in a status of 0, 1 or 2,
 * never in a crash, a sanitizer report or allocation beyond the limits below. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "el2emu/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace_replay_opts o = { .out = NULL, .err = NULL };
	struct trace_reader *r;
	struct trace_stats st;
	uint64_t before = trace_heap_in_use();
	int status;

	trace_limits_default(&o.limits);
	o.limits.max_alloc = 1u << 20;
	o.limits.max_regions = 16;
	o.limits.max_hostmap = 64;
	o.limits.max_line = 4096;
	r = trace_reader_open_mem(data, size, &o.limits);
	if (!r)
		return 0;
	status = trace_replay(r, "fuzz", &o, &st);
	trace_reader_close(r);
	/* Properties: a defined status, allocation within the limits, and nothing leaked. */
	if (status < 0 || status > 2 || st.mem_allocated > o.limits.max_alloc ||
	    st.heap_peak > before + o.limits.max_alloc + (8u << 20) ||
	    trace_heap_in_use() != before)
		abort();
	return 0;
}

/* Counted allocation for the trace module (see trace_internal.h). */
#include <stdlib.h>

#include "el2emu/trace.h"
#include "trace_internal.h"

static uint64_t heap_in_use;
static uint64_t heap_peak;

void *trace_calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		return NULL;
	p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		return NULL;
	heap_in_use += (uint64_t)n * size;
	if (heap_in_use > heap_peak)
		heap_peak = heap_in_use;
	return p;
}

void trace_free(void *p, size_t size)
{
	if (!p)
		return;
	heap_in_use -= size;
	free(p);
}

uint64_t trace_heap_in_use(void)
{
	return heap_in_use;
}

uint64_t trace_heap_peak(void)
{
	return heap_peak;
}

void trace_heap_reset_peak(void)
{
	heap_peak = heap_in_use;
}

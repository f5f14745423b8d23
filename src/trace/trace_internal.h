/* Private to src/trace: the counted allocator behind trace_heap_*(). */
#ifndef EL2EMU_TRACE_INTERNAL_H
#define EL2EMU_TRACE_INTERNAL_H

#include <stddef.h>

/* calloc/free that keep count of the bytes in use, so that tests can assert that replay
 * memory does not grow with the number of records. trace_free() takes the size given to
 * trace_calloc(); both accept NULL/0. */
void *trace_calloc(size_t n, size_t size);
void trace_free(void *p, size_t size);

#endif

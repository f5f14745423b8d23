/* Private to src/trace: the host's stage 2 for the guest hypervisor as a trace describes it
 * (`hostmap` records), shared by the replay (replay_nested.c) and the state loader behind
 * `el2emu walk` (state.c). trace-format.md: without any hostmap record every ram region is
 * mapped 1:1; later records override earlier ones for the same range; `none` removes one. */
#ifndef EL2EMU_TRACE_HOSTMAP_H
#define EL2EMU_TRACE_HOSTMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct trace_mem;

struct trace_host_range {
	uint64_t ipa, last, pa;	/* [ipa, last] -> [pa, pa + last - ipa] */
};

struct trace_hostmap {
	const struct trace_mem *mem;	/* the ram regions of the 1:1 default */
	uint32_t max;			/* bound on the number of disjoint ranges */
	bool explicit_map;		/* a hostmap record was seen: no 1:1 default */
	struct trace_host_range *map;	/* sorted, disjoint */
	uint32_t n, cap;
};

void trace_hostmap_init(struct trace_hostmap *h, const struct trace_mem *mem, uint32_t max);
void trace_hostmap_fini(struct trace_hostmap *h);

/* Applies `hostmap ipa pa|none size`. Returns 0, or -1 with the reason in why (the map is
 * then unchanged). */
int trace_hostmap_set(struct trace_hostmap *h, uint64_t ipa, uint64_t size, bool none,
		      uint64_t pa, char *why, size_t len);

/* The mapped range around ipa: L1 IPAs [*base, *base + *size) live at host PAs from
 * *pa_base. The 1:1 default reports the largest naturally aligned block (1 GiB, 2 MiB,
 * 4 KiB) that lies wholly in ram, or the 4 KiB page of a smaller region. false: unmapped. */
bool trace_hostmap_lookup(const struct trace_hostmap *h, uint64_t ipa, uint64_t *base,
			  uint64_t *pa_base, uint64_t *size);

#endif

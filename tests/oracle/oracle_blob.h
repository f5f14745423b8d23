/* The image the host generator writes and the bare-metal oracle program reads.
 * Shared by both sides; plain fixed-width little-endian records, no padding surprises. */
#ifndef EL2EMU_ORACLE_BLOB_H
#define EL2EMU_ORACLE_BLOB_H

#include <stdint.h>

/* Guest physical layout under `-M virt -m 1G` (RAM 0x40000000..0x7fffffff). */
#define ORB_CODE_BASE	0x40000000UL	/* program, data, stack (link.ld) */
#define ORB_BLOB_BASE	0x40200000UL	/* the blob, loaded by -device loader */
#define ORB_BLOB_MAX	0x01e00000UL	/* blob must end below 0x42000000 */
#define ORB_SCN_BASE	0x50000000UL	/* scenario memory (tables) starts here */
#define ORB_SCN_END	0x80000000UL
#define ORB_UART_BASE	0x09000000UL

/* SCTLR_EL2 between scenarios (stage 1 off): the trace records the same value. */
#define ORB_SCTLR_EL2_OFF	0x30c5183cULL

#define ORB_MAGIC	0x314c424fU	/* "OBL1" */
#define ORB_SCN_MAGIC	0x314e4353U	/* "SCN1" */
#define ORB_END_MAGIC	0x21444e45U	/* "END!" */

struct orb_hdr {
	uint32_t magic;
	uint32_t nscn;
};

/* Followed by nregs orb_reg, nmem orb_mem, nq orb_query. */
struct orb_scn {
	uint32_t magic;
	uint32_t nregs;
	uint32_t nmem;
	uint32_t nq;
};

/* Registers, in the order the program writes them (and the trace records them): the
 * EL1&0 ones while HCR_EL2.E2H is still 0, then HCR_EL2, then the EL2 stage-1 ones (so a
 * VHE scenario writes them with E2H=1, as VHE software does), then TLBI ALLE2IS/ALLE1IS
 * and SCTLR_EL2. Each is read back right after its write. */
enum orb_regid {
	ORB_TCR_EL1, ORB_TTBR0_EL1, ORB_TTBR1_EL1, ORB_MAIR_EL1, ORB_SCTLR_EL1,
	ORB_VTCR_EL2, ORB_VTTBR_EL2, ORB_HCR_EL2, ORB_TCR_EL2, ORB_TTBR0_EL2, ORB_TTBR1_EL2,
	ORB_MAIR_EL2, ORB_SCTLR_EL2,
	ORB_NREGS
};

struct orb_reg {
	uint32_t id;
	uint32_t pad;
	uint64_t val;
};

struct orb_mem {
	uint64_t addr;
	uint64_t val;
};

enum orb_op {
	ORB_S1E1R, ORB_S1E1W, ORB_S1E0R, ORB_S1E0W, ORB_S12E1R, ORB_S12E1W, ORB_S12E0R,
	ORB_S12E0W, ORB_S1E2R, ORB_S1E2W, ORB_NOPS
};

struct orb_query {
	uint32_t op;
	uint32_t pad;
	uint64_t va;
};

#endif

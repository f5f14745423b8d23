/* Private to src/sysreg: the table and the layout-dependent field sets (table.c). */
#ifndef EL2EMU_SYSREG_INTERNAL_H
#define EL2EMU_SYSREG_INTERNAL_H

#include "el2emu/sysreg.h"

extern const struct sr_desc sr_table[];
extern const size_t sr_table_len;

/* One alternative field layout with its own RES0/RES1 masks. */
struct sr_layout_alt {
	const struct sr_field *fields;
	size_t nfields;
	uint64_t res0, res1;
};

/* ESR layouts, in this order: data abort, instruction abort, MSR/MRS/System trap,
 * HVC/SMC/SVC, any other class. */
enum { SR_ESR_DABT, SR_ESR_IABT, SR_ESR_SYS, SR_ESR_IMM16, SR_ESR_OTHER };
extern const struct sr_layout_alt sr_esr_layouts[];
extern const struct sr_layout_alt sr_par_fault_layout;
extern const struct sr_layout_alt sr_vttbr_vmid16_layout;
extern const struct sr_enum sr_esr_ec_vals[];

#endif

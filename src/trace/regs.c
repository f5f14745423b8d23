/* The registers of a `reg` record that feed translation (trace_internal.h): a small table,
 * not a switch; every other register of the sysreg table is accepted and has no effect. */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "el2emu/sysreg.h"
#include "el2emu/translate.h"
#include "trace_internal.h"

static const struct {
	const char *name;
	size_t off;
} reg_map[] = {
#define R(name, field) { name, offsetof(struct tr_sysregs, field) }
	R("HCR_EL2", hcr_el2),	   R("VTCR_EL2", vtcr_el2),   R("VTTBR_EL2", vttbr_el2),
	R("TCR_EL2", tcr_el2),	   R("TTBR0_EL2", ttbr0_el2), R("TTBR1_EL2", ttbr1_el2),
	R("SCTLR_EL2", sctlr_el2), R("MAIR_EL2", mair_el2),   R("TCR_EL1", tcr_el1),
	R("TTBR0_EL1", ttbr0_el1), R("TTBR1_EL1", ttbr1_el1), R("SCTLR_EL1", sctlr_el1),
	R("MAIR_EL1", mair_el1),
#undef R
};

int trace_reg_slot(const struct sr_desc *d)
{
	const char *name;

	if (!d || d->kind != SR_KIND_REG)
		return -1;
	name = d->alias_of ? d->alias_of : d->name;
	for (size_t i = 0; i < sizeof(reg_map) / sizeof(reg_map[0]); i++)
		if (!strcasecmp(name, reg_map[i].name))
			return (int)i;
	return -1;
}

void trace_reg_store(struct tr_sysregs *regs, int slot, uint64_t value)
{
	memcpy((char *)regs + reg_map[slot].off, &value, sizeof(value));
}

/*
 * The system-register table: data, not code. Encodings, field positions, RES0/RES1 masks
 * and field meanings are from the Arm ARM (DDI 0487): the register pages of "AArch64 System
 * Register Descriptions" and the TLBI/AT/DC/IC instruction pages.
 *
 * RES0/RES1 masks describe el2emu's model: every feature whose field is listed counts as
 * implemented (ARMv8.0-8.4 plus the listed later fields); a bit that is RES1 only when a
 * feature is absent (e.g. SCTLR_EL1.EOS, bit 11) is a field here, not a RES1 bit.
 */
#include "internal.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(n) (UINT64_C(1) << (n))
#define GENMASK(h, l) (((~UINT64_C(0)) >> (63 - (h))) & ~(BIT(l) - 1))

#define F(nm, l, w, m) { nm, l, w, m, SR_FMT_HEX, 0, NULL }
#define FB(nm, l, m) { nm, l, 1, m, SR_FMT_BOOL, 0, NULL }
#define FE(nm, l, w, m, v) { nm, l, w, m, SR_FMT_ENUM, 0, v }
#define FT(nm, l, m) { nm, l, 6, m, SR_FMT_TSZ, 0, NULL }
#define FA(nm, l, w, s, m) { nm, l, w, m, SR_FMT_ADDR, s, NULL }
#define FS(nm, l, w, m) { nm, l, w, m, SR_FMT_FSC, 0, NULL }
#define FP(nm, l, w, m) { nm, l, w, m, SR_FMT_PS, 0, NULL }
#define FIELDS(a) .fields = a, .nfields = ARRAY_SIZE(a)

/* Value meanings shared by several registers. */
static const struct sr_enum tg0_vals[] = {
	{ 0, "4KB granule" }, { 1, "64KB granule" }, { 2, "16KB granule" },
	{ 3, "reserved" }, { 0, NULL } };
static const struct sr_enum tg1_vals[] = {
	{ 0, "reserved" }, { 1, "16KB granule" }, { 2, "4KB granule" },
	{ 3, "64KB granule" }, { 0, NULL } };
static const struct sr_enum sh_vals[] = {
	{ 0, "Non-shareable" }, { 1, "reserved" }, { 2, "Outer Shareable" },
	{ 3, "Inner Shareable" }, { 0, NULL } };
static const struct sr_enum rgn_vals[] = {
	{ 0, "Non-cacheable" }, { 1, "Write-Back Read-Allocate Write-Allocate" },
	{ 2, "Write-Through Read-Allocate No Write-Allocate" },
	{ 3, "Write-Back Read-Allocate No Write-Allocate" }, { 0, NULL } };
/* VTCR_EL2.SL0 (Arm ARM "Determining the stage 2 start level"). */
static const struct sr_enum sl0_vals[] = {
	{ 0, "start level 2 (4KB), level 3 (16KB, 64KB)" },
	{ 1, "start level 1 (4KB), level 2 (16KB, 64KB)" },
	{ 2, "start level 0 (4KB), level 1 (16KB, 64KB)" },
	{ 3, "start level 3 (4KB, FEAT_TTST), level 0 (16KB, FEAT_LPA2), reserved (64KB)" },
	{ 0, NULL } };
static const struct sr_enum bsu_vals[] = {
	{ 0, "no effect" }, { 1, "Inner Shareable" }, { 2, "Outer Shareable" },
	{ 3, "Full system" }, { 0, NULL } };
static const struct sr_enum el_vals[] = {
	{ 0, "EL0" }, { 1, "EL1" }, { 2, "EL2" }, { 3, "EL3" }, { 0, NULL } };
static const struct sr_enum spsr_m_vals[] = {
	{ 0, "EL0t" }, { 4, "EL1t" }, { 5, "EL1h" }, { 8, "EL2t" }, { 9, "EL2h" },
	{ 12, "EL3t" }, { 13, "EL3h" }, { 0, NULL } };
static const struct sr_enum fpen_vals[] = {
	{ 0, "trap EL0 and EL1" }, { 1, "trap EL0 only" }, { 2, "trap EL0 and EL1" },
	{ 3, "no trap" }, { 0, NULL } };
static const struct sr_enum par_sh_vals[] = {
	{ 0, "Non-shareable" }, { 1, "reserved" }, { 2, "Outer Shareable" },
	{ 3, "Inner Shareable" }, { 0, NULL } };
static const struct sr_enum vmidbits_vals[] = {
	{ 0, "8-bit VMID" }, { 2, "16-bit VMID" }, { 0, NULL } };
static const struct sr_enum asidbits_vals[] = {
	{ 0, "8-bit ASID" }, { 2, "16-bit ASID" }, { 0, NULL } };
/* ID_AA64MMFR0_EL1.TGran4/TGran64 and TGran16 use different encodings. */
static const struct sr_enum tgran4_vals[] = {
	{ 0, "4KB supported" }, { 1, "4KB with 52-bit addresses (FEAT_LPA2)" },
	{ 15, "4KB not supported" }, { 0, NULL } };
static const struct sr_enum tgran16_vals[] = {
	{ 0, "16KB not supported" }, { 1, "16KB supported" },
	{ 2, "16KB with 52-bit addresses (FEAT_LPA2)" }, { 0, NULL } };
static const struct sr_enum tgran_2_vals[] = {
	{ 0, "as the stage-1 field" }, { 1, "not supported at stage 2" },
	{ 2, "supported at stage 2" }, { 3, "supported at stage 2 with 52-bit addresses" },
	{ 0, NULL } };

/* ESR_ELx.EC (Arm ARM, ESR_EL2), the classes an AArch64 hypervisor meets. */
const struct sr_enum sr_esr_ec_vals[] = {
	{ 0x00, "Unknown reason" },
	{ 0x01, "Trapped WFI or WFE" },
	{ 0x07, "Access to SVE, Advanced SIMD or floating point trapped" },
	{ 0x0e, "Illegal Execution state" },
	{ 0x15, "SVC in AArch64 state" },
	{ 0x16, "HVC in AArch64 state" },
	{ 0x17, "SMC in AArch64 state" },
	{ 0x18, "Trapped MSR, MRS or System instruction" },
	{ 0x19, "Access to SVE trapped" },
	{ 0x1a, "Trapped ERET, ERETAA or ERETAB (FEAT_NV)" },
	{ 0x1f, "IMPLEMENTATION DEFINED exception to EL3" },
	{ 0x20, "Instruction Abort from a lower Exception level" },
	{ 0x21, "Instruction Abort taken without a change in Exception level" },
	{ 0x22, "PC alignment fault" },
	{ 0x24, "Data Abort from a lower Exception level" },
	{ 0x25, "Data Abort taken without a change in Exception level" },
	{ 0x26, "SP alignment fault" },
	{ 0x2c, "Trapped floating-point exception (AArch64)" },
	{ 0x2f, "SError interrupt" },
	{ 0x30, "Breakpoint from a lower Exception level" },
	{ 0x31, "Breakpoint without a change in Exception level" },
	{ 0x32, "Software Step from a lower Exception level" },
	{ 0x33, "Software Step without a change in Exception level" },
	{ 0x34, "Watchpoint from a lower Exception level" },
	{ 0x35, "Watchpoint without a change in Exception level" },
	{ 0x3c, "BRK instruction (AArch64)" },
	{ 0, NULL } };

/* HCR_EL2 (Arm ARM register page), fields of ARMv8.0-8.6. */
static const struct sr_field hcr_el2_fields[] = {
	FB("VM", 0, "EL1&0 stage 2 translation enabled"),
	FB("SWIO", 1, "set/way invalidation override"),
	FB("PTW", 2, "protected table walk"),
	FB("FMO", 3, "physical FIQ routing to EL2"),
	FB("IMO", 4, "physical IRQ routing to EL2"),
	FB("AMO", 5, "physical SError routing to EL2"),
	FB("VF", 6, "virtual FIQ pending"),
	FB("VI", 7, "virtual IRQ pending"),
	FB("VSE", 8, "virtual SError pending"),
	FB("FB", 9, "force broadcast of TLB and I-cache maintenance"),
	FE("BSU", 10, 2, "barrier shareability upgrade", bsu_vals),
	FB("DC", 12, "default cacheability (EL1&0 stage 1 off)"),
	FB("TWI", 13, "trap WFI"),
	FB("TWE", 14, "trap WFE"),
	FB("TID0", 15, "trap ID group 0"),
	FB("TID1", 16, "trap ID group 1"),
	FB("TID2", 17, "trap ID group 2"),
	FB("TID3", 18, "trap ID group 3"),
	FB("TSC", 19, "trap SMC"),
	FB("TIDCP", 20, "trap IMPLEMENTATION DEFINED functionality"),
	FB("TACR", 21, "trap auxiliary control registers"),
	FB("TSW", 22, "trap data cache set/way"),
	FB("TPCP", 23, "trap data cache clean to PoC/PoP"),
	FB("TPU", 24, "trap cache maintenance to PoU"),
	FB("TTLB", 25, "trap TLB maintenance"),
	FB("TVM", 26, "trap virtual memory controls (writes)"),
	FB("TGE", 27, "trap general exceptions (EL0 runs in the EL2&0 or host regime)"),
	FB("TDZ", 28, "trap DC ZVA"),
	FB("HCD", 29, "HVC disable"),
	FB("TRVM", 30, "trap virtual memory controls (reads)"),
	FB("RW", 31, "EL1 is AArch64"),
	FB("CD", 32, "stage 2 data access cacheability disable"),
	FB("ID", 33, "stage 2 instruction access cacheability disable"),
	FB("E2H", 34, "EL2 host (FEAT_VHE)"),
	FB("TLOR", 35, "trap LORegion registers"),
	FB("TERR", 36, "trap error record accesses"),
	FB("TEA", 37, "route synchronous external aborts to EL2"),
	FB("MIOCNCE", 38, "mismatched inner/outer cacheable non-coherency enable"),
	FB("APK", 40, "pointer authentication key registers not trapped"),
	FB("API", 41, "pointer authentication instructions not trapped"),
	FB("NV", 42, "nested virtualization (FEAT_NV)"),
	FB("NV1", 43, "nested virtualization, EL1 register redirection"),
	FB("AT", 44, "trap AT S1E0*, S1E1* (FEAT_NV)"),
	FB("NV2", 45, "enhanced nested virtualization: VNCR page (FEAT_NV2)"),
	FB("FWB", 46, "stage 2 forced write-back (FEAT_S2FWB)"),
	FB("FIEN", 47, "fault injection enable (FEAT_RASv1p1)"),
	FB("TID4", 49, "trap ID group 4"),
	FB("TICAB", 50, "trap IC IALLUIS/IALLU"),
	FB("AMVOFFEN", 51, "activity monitors virtual offsets enable"),
	FB("TOCU", 52, "trap cache maintenance to PoU (other)"),
	FB("EnSCXT", 53, "SCXTNUM access enable"),
	FB("TTLBIS", 54, "trap Inner Shareable TLB maintenance"),
	FB("TTLBOS", 55, "trap Outer Shareable TLB maintenance"),
	FB("ATA", 56, "allocation tag access (FEAT_MTE)"),
	FB("DCT", 57, "default cacheability tagging"),
	FB("TID5", 58, "trap ID group 5"),
	FB("TWEDEn", 59, "TWE delay enable"),
	F("TWEDEL", 60, 4, "TWE delay"),
};

/* VTCR_EL2 (Arm ARM register page), ARMv8.0-8.4 layout. */
static const struct sr_field vtcr_el2_fields[] = {
	FT("T0SZ", 0, "size offset of the stage 2 input (IPA) region"),
	FE("SL0", 6, 2, "stage 2 starting level", sl0_vals),
	FE("IRGN0", 8, 2, "inner cacheability of stage 2 walks", rgn_vals),
	FE("ORGN0", 10, 2, "outer cacheability of stage 2 walks", rgn_vals),
	FE("SH0", 12, 2, "shareability of stage 2 walks", sh_vals),
	FE("TG0", 14, 2, "stage 2 granule", tg0_vals),
	FP("PS", 16, 3, "stage 2 output (PA) size"),
	FB("VS", 19, "16-bit VMID (FEAT_VMID16)"),
	FB("HA", 21, "hardware Access flag update, stage 2 (FEAT_HAFDBS)"),
	FB("HD", 22, "hardware dirty state, stage 2 (FEAT_HAFDBS)"),
	FB("HWU59", 25, "bit 59 of stage 2 block/page descriptors is IMPDEF hardware use"),
	FB("HWU60", 26, "bit 60 of stage 2 descriptors is IMPDEF hardware use"),
	FB("HWU61", 27, "bit 61 of stage 2 descriptors is IMPDEF hardware use"),
	FB("HWU62", 28, "bit 62 of stage 2 descriptors is IMPDEF hardware use"),
	FB("NSW", 29, "Secure stage 2 walks access Non-secure PA space (FEAT_SEL2)"),
	FB("NSA", 30, "Secure stage 2 output is Non-secure PA space (FEAT_SEL2)"),
};

/* VTTBR_EL2 (Arm ARM register page): 8-bit VMID layout; VMID16 layout below. */
static const struct sr_field vttbr_el2_fields[] = {
	FB("CnP", 0, "common not private (FEAT_TTCNP)"),
	FA("BADDR", 1, 47, 1, "stage 2 translation table base (bits [47:1])"),
	F("VMID", 48, 8, "virtual machine identifier (8-bit)"),
};
static const struct sr_field vttbr_el2_vmid16_fields[] = {
	FB("CnP", 0, "common not private (FEAT_TTCNP)"),
	FA("BADDR", 1, 47, 1, "stage 2 translation table base (bits [47:1])"),
	F("VMID", 48, 16, "virtual machine identifier (16-bit, VTCR_EL2.VS=1)"),
};

/* TTBR0_EL1, TTBR1_EL1, TTBR0_EL2 (E2H=1: ASID), TTBR1_EL2 (Arm ARM register pages). */
static const struct sr_field ttbr_fields[] = {
	FB("CnP", 0, "common not private (FEAT_TTCNP)"),
	FA("BADDR", 1, 47, 1, "translation table base (bits [47:1])"),
	F("ASID", 48, 16, "address space identifier (TCR.A1 selects the TTBR)"),
};

/* TCR_EL1 (Arm ARM register page), also TCR_EL2 with HCR_EL2.E2H=1. */
static const struct sr_field tcr_el1_fields[] = {
	FT("T0SZ", 0, "size offset of the TTBR0 region"),
	FB("EPD0", 7, "TTBR0 walks disabled"),
	FE("IRGN0", 8, 2, "inner cacheability of TTBR0 walks", rgn_vals),
	FE("ORGN0", 10, 2, "outer cacheability of TTBR0 walks", rgn_vals),
	FE("SH0", 12, 2, "shareability of TTBR0 walks", sh_vals),
	FE("TG0", 14, 2, "TTBR0 granule", tg0_vals),
	FT("T1SZ", 16, "size offset of the TTBR1 region"),
	FB("A1", 22, "TTBR1_ELx.ASID defines the ASID (else TTBR0)"),
	FB("EPD1", 23, "TTBR1 walks disabled"),
	FE("IRGN1", 24, 2, "inner cacheability of TTBR1 walks", rgn_vals),
	FE("ORGN1", 26, 2, "outer cacheability of TTBR1 walks", rgn_vals),
	FE("SH1", 28, 2, "shareability of TTBR1 walks", sh_vals),
	FE("TG1", 30, 2, "TTBR1 granule", tg1_vals),
	FP("IPS", 32, 3, "intermediate physical address size"),
	FB("AS", 36, "16-bit ASID"),
	FB("TBI0", 37, "top byte ignored, TTBR0 region"),
	FB("TBI1", 38, "top byte ignored, TTBR1 region"),
	FB("HA", 39, "hardware Access flag update (FEAT_HAFDBS)"),
	FB("HD", 40, "hardware dirty state (FEAT_HAFDBS)"),
	FB("HPD0", 41, "hierarchical permissions disabled, TTBR0 (FEAT_HPDS)"),
	FB("HPD1", 42, "hierarchical permissions disabled, TTBR1 (FEAT_HPDS)"),
	FB("HWU059", 43, "TTBR0 descriptor bit 59 hardware use"),
	FB("HWU060", 44, "TTBR0 descriptor bit 60 hardware use"),
	FB("HWU061", 45, "TTBR0 descriptor bit 61 hardware use"),
	FB("HWU062", 46, "TTBR0 descriptor bit 62 hardware use"),
	FB("HWU159", 47, "TTBR1 descriptor bit 59 hardware use"),
	FB("HWU160", 48, "TTBR1 descriptor bit 60 hardware use"),
	FB("HWU161", 49, "TTBR1 descriptor bit 61 hardware use"),
	FB("HWU162", 50, "TTBR1 descriptor bit 62 hardware use"),
	FB("TBID0", 51, "TBI0 applies to data accesses only (FEAT_PAuth)"),
	FB("TBID1", 52, "TBI1 applies to data accesses only (FEAT_PAuth)"),
	FB("NFD0", 53, "non-fault translation disabled, TTBR0 (FEAT_SVE)"),
	FB("NFD1", 54, "non-fault translation disabled, TTBR1 (FEAT_SVE)"),
	FB("E0PD0", 55, "EL0 access to TTBR0 region faults (FEAT_E0PD)"),
	FB("E0PD1", 56, "EL0 access to TTBR1 region faults (FEAT_E0PD)"),
	FB("TCMA0", 57, "unchecked tag accesses, TTBR0 (FEAT_MTE2)"),
	FB("TCMA1", 58, "unchecked tag accesses, TTBR1 (FEAT_MTE2)"),
	FB("DS", 59, "52-bit addresses with 4KB/16KB granules (FEAT_LPA2)"),
};
#define TCR_EL1_RES0 (BIT(6) | BIT(35) | GENMASK(63, 60))

/* TCR_EL2 with HCR_EL2.E2H=0 (Arm ARM register page). */
static const struct sr_field tcr_el2_fields[] = {
	FT("T0SZ", 0, "size offset of the TTBR0_EL2 region"),
	FE("IRGN0", 8, 2, "inner cacheability of walks", rgn_vals),
	FE("ORGN0", 10, 2, "outer cacheability of walks", rgn_vals),
	FE("SH0", 12, 2, "shareability of walks", sh_vals),
	FE("TG0", 14, 2, "granule", tg0_vals),
	FP("PS", 16, 3, "physical address size"),
	FB("TBI", 20, "top byte ignored"),
	FB("HA", 21, "hardware Access flag update (FEAT_HAFDBS)"),
	FB("HD", 22, "hardware dirty state (FEAT_HAFDBS)"),
	FB("HPD", 24, "hierarchical permissions disabled (FEAT_HPDS)"),
	FB("HWU59", 25, "descriptor bit 59 hardware use"),
	FB("HWU60", 26, "descriptor bit 60 hardware use"),
	FB("HWU61", 27, "descriptor bit 61 hardware use"),
	FB("HWU62", 28, "descriptor bit 62 hardware use"),
	FB("TBID", 29, "TBI applies to data accesses only (FEAT_PAuth)"),
	FB("TCMA", 30, "unchecked tag accesses (FEAT_MTE2)"),
	FB("DS", 32, "52-bit addresses with 4KB/16KB granules (FEAT_LPA2)"),
};

/* SCTLR_EL1 (Arm ARM register page), also SCTLR_EL2 with HCR_EL2.E2H=1. */
static const struct sr_field sctlr_el1_fields[] = {
	FB("M", 0, "stage 1 MMU enabled"),
	FB("A", 1, "alignment check"),
	FB("C", 2, "data cacheability"),
	FB("SA", 3, "SP alignment check"),
	FB("SA0", 4, "SP alignment check at EL0"),
	FB("CP15BEN", 5, "AArch32 CP15 barriers enabled"),
	FB("nAA", 6, "no alignment fault for some LDAPR/STLR (FEAT_LSE2)"),
	FB("ITD", 7, "AArch32 IT disable"),
	FB("SED", 8, "AArch32 SETEND disable"),
	FB("UMA", 9, "EL0 access to DAIF"),
	FB("EnRCTX", 10, "EL0 access to restriction instructions (FEAT_SPECRES)"),
	FB("EOS", 11, "exception exit is context synchronizing (FEAT_ExS)"),
	FB("I", 12, "instruction cacheability"),
	FB("EnDB", 13, "pointer authentication, key B data"),
	FB("DZE", 14, "EL0 DC ZVA"),
	FB("UCT", 15, "EL0 CTR_EL0 access"),
	FB("nTWI", 16, "EL0 WFI not trapped"),
	FB("nTWE", 18, "EL0 WFE not trapped"),
	FB("WXN", 19, "write implies execute-never"),
	FB("TSCXT", 20, "trap EL0 SCXTNUM_EL0 (FEAT_CSV2)"),
	FB("IESB", 21, "implicit error synchronization (FEAT_IESB)"),
	FB("EIS", 22, "exception entry is context synchronizing (FEAT_ExS)"),
	FB("SPAN", 23, "PSTATE.PAN unchanged on exception (FEAT_PAN)"),
	FB("E0E", 24, "EL0 big-endian data"),
	FB("EE", 25, "EL1 big-endian data and walks"),
	FB("UCI", 26, "EL0 cache maintenance"),
	FB("EnDA", 27, "pointer authentication, key A data"),
	FB("nTLSMD", 28, "no trap of AArch32 load/store multiple to Device (FEAT_LSMAOC)"),
	FB("LSMAOE", 29, "AArch32 load/store multiple atomicity and ordering (FEAT_LSMAOC)"),
	FB("EnIB", 30, "pointer authentication, key B instructions"),
	FB("EnIA", 31, "pointer authentication, key A instructions"),
	FB("BT0", 35, "EL0 BTI guarded pages (FEAT_BTI)"),
	FB("BT1", 36, "EL1 BTI guarded pages (FEAT_BTI)"),
	FB("ITFSB", 37, "tag check faults synchronized on exception entry (FEAT_MTE2)"),
	F("TCF0", 38, 2, "EL0 tag check fault mode (FEAT_MTE2)"),
	F("TCF", 40, 2, "EL1 tag check fault mode (FEAT_MTE2)"),
	FB("ATA0", 42, "EL0 allocation tag access (FEAT_MTE2)"),
	FB("ATA", 43, "EL1 allocation tag access (FEAT_MTE2)"),
	FB("DSSBS", 44, "PSTATE.SSBS on exception entry (FEAT_SSBS)"),
	FB("TWEDEn", 45, "TWE delay enable (FEAT_TWED)"),
	F("TWEDEL", 46, 4, "TWE delay (FEAT_TWED)"),
};
#define SCTLR_EL1_RES0 (BIT(17) | GENMASK(34, 32) | GENMASK(63, 50))

/* SCTLR_EL2 with HCR_EL2.E2H=0 (Arm ARM register page). */
static const struct sr_field sctlr_el2_fields[] = {
	FB("M", 0, "EL2 stage 1 MMU enabled"),
	FB("A", 1, "alignment check"),
	FB("C", 2, "data cacheability"),
	FB("SA", 3, "SP alignment check"),
	FB("nAA", 6, "no alignment fault for some LDAPR/STLR (FEAT_LSE2)"),
	FB("EOS", 11, "exception exit is context synchronizing (FEAT_ExS)"),
	FB("I", 12, "instruction cacheability"),
	FB("EnDB", 13, "pointer authentication, key B data"),
	FB("WXN", 19, "write implies execute-never"),
	FB("IESB", 21, "implicit error synchronization (FEAT_IESB)"),
	FB("EIS", 22, "exception entry is context synchronizing (FEAT_ExS)"),
	FB("EE", 25, "EL2 big-endian data and walks"),
	FB("EnDA", 27, "pointer authentication, key A data"),
	FB("EnIB", 30, "pointer authentication, key B instructions"),
	FB("EnIA", 31, "pointer authentication, key A instructions"),
	FB("BT", 36, "EL2 BTI guarded pages (FEAT_BTI)"),
	FB("ITFSB", 37, "tag check faults synchronized on exception entry (FEAT_MTE2)"),
	F("TCF", 40, 2, "EL2 tag check fault mode (FEAT_MTE2)"),
	FB("ATA", 43, "EL2 allocation tag access (FEAT_MTE2)"),
	FB("DSSBS", 44, "PSTATE.SSBS on exception entry (FEAT_SSBS)"),
};
#define SCTLR_EL2_RES1                                                                     \
	(BIT(4) | BIT(5) | BIT(16) | BIT(18) | BIT(23) | BIT(28) | BIT(29))
#define SCTLR_EL2_RES0                                                                     \
	(GENMASK(10, 7) | GENMASK(15, 14) | BIT(17) | BIT(20) | BIT(24) | BIT(26) |          \
	 GENMASK(35, 32) | GENMASK(39, 38) | BIT(42) | GENMASK(63, 45))

/* CPACR_EL1 (Arm ARM register page), also CPTR_EL2 with HCR_EL2.E2H=1. */
static const struct sr_field cpacr_el1_fields[] = {
	FE("ZEN", 16, 2, "SVE trap control (FEAT_SVE)", fpen_vals),
	FE("FPEN", 20, 2, "FP/Advanced SIMD trap control", fpen_vals),
	FE("SMEN", 24, 2, "SME trap control (FEAT_SME)", fpen_vals),
	FB("TTA", 28, "trap trace register accesses"),
	FB("TAM", 30, "trap activity monitor accesses (EL2 form, FEAT_AMUv1)"),
	FB("TCPAC", 31, "trap CPACR_EL1 accesses (EL2 form)"),
};
#define CPACR_EL1_RES0                                                                     \
	(GENMASK(15, 0) | GENMASK(19, 18) | GENMASK(23, 22) | GENMASK(27, 26) | BIT(29) |    \
	 GENMASK(63, 32))

/* CPTR_EL2 with HCR_EL2.E2H=0 (Arm ARM register page). */
static const struct sr_field cptr_el2_fields[] = {
	FB("TZ", 8, "trap SVE (FEAT_SVE)"),
	FB("TFP", 10, "trap FP/Advanced SIMD"),
	FB("TSM", 12, "trap SME (FEAT_SME)"),
	FB("TTA", 20, "trap trace register accesses"),
	FB("TAM", 30, "trap activity monitor accesses (FEAT_AMUv1)"),
	FB("TCPAC", 31, "trap CPACR_EL1 accesses"),
};
#define CPTR_EL2_RES1 (GENMASK(7, 0) | BIT(9) | BIT(13))
#define CPTR_EL2_RES0 (BIT(11) | GENMASK(19, 14) | GENMASK(29, 21) | GENMASK(63, 32))

/* ESR_ELx (Arm ARM register page): the fixed part; ISS layouts by EC are below. */
static const struct sr_field esr_fields[] = {
	FE("EC", 26, 6, "exception class", sr_esr_ec_vals),
	FB("IL", 25, "32-bit instruction trapped"),
	F("ISS", 0, 25, "instruction specific syndrome"),
};

/* FAR_ELx, ELR_ELx, VBAR_ELx: one address. */
static const struct sr_field far_fields[] = {
	FA("VA", 0, 64, 0, "faulting virtual address"),
};
static const struct sr_field vbar_fields[] = {
	FA("VBA", 11, 53, 11, "vector base address (2KB aligned)"),
};

/* HPFAR_EL2 (Arm ARM register page): FIPA[43:4] = IPA[51:12]; NS (FEAT_SEL2). */
static const struct sr_field hpfar_el2_fields[] = {
	FA("FIPA", 4, 40, 12, "faulting IPA, bits [51:12]"),
	FB("NS", 63, "faulting IPA is in the Non-secure IPA space (FEAT_SEL2)"),
};

/* PAR_EL1 (Arm ARM register page): F=0 layout here, F=1 layout in sr_par_fault_fields. */
static const struct sr_field par_fields[] = {
	FB("F", 0, "translation aborted"),
	FE("SH", 7, 2, "shareability of the result", par_sh_vals),
	FB("NS", 9, "output is Non-secure"),
	F("IMPDEF", 10, 1, "IMPLEMENTATION DEFINED"),
	FA("PA", 12, 40, 12, "output address, bits [51:12]"),
	F("ATTR", 56, 8, "memory attributes (MAIR_ELx encoding)"),
};
static const struct sr_field sr_par_fault_fields[] = {
	FB("F", 0, "translation aborted"),
	FS("FST", 1, 6, "fault status code"),
	FB("PTW", 8, "stage 2 fault on the stage 1 walk"),
	FB("S", 9, "fault was at stage 2"),
	F("IMPDEF", 56, 8, "IMPLEMENTATION DEFINED"),
};

/* MAIR_ELx (Arm ARM register page). */
static const struct sr_field mair_fields[] = {
	F("Attr0", 0, 8, "memory attribute 0"), F("Attr1", 8, 8, "memory attribute 1"),
	F("Attr2", 16, 8, "memory attribute 2"), F("Attr3", 24, 8, "memory attribute 3"),
	F("Attr4", 32, 8, "memory attribute 4"), F("Attr5", 40, 8, "memory attribute 5"),
	F("Attr6", 48, 8, "memory attribute 6"), F("Attr7", 56, 8, "memory attribute 7"),
};

/* SPSR_ELx (Arm ARM register page), AArch64 state. */
static const struct sr_field spsr_fields[] = {
	FE("M", 0, 4, "Exception level and SP", spsr_m_vals),
	FB("nRW", 4, "AArch32 state"),
	FB("F", 6, "FIQ masked"),
	FB("I", 7, "IRQ masked"),
	FB("A", 8, "SError masked"),
	FB("D", 9, "debug exceptions masked"),
	F("BTYPE", 10, 2, "branch type (FEAT_BTI)"),
	FB("SSBS", 12, "speculative store bypass safe (FEAT_SSBS)"),
	FB("IL", 20, "illegal execution state"),
	FB("SS", 21, "software step"),
	FB("PAN", 22, "privileged access never (FEAT_PAN)"),
	FB("UAO", 23, "user access override (FEAT_UAO)"),
	FB("DIT", 24, "data independent timing (FEAT_DIT)"),
	FB("TCO", 25, "tag check override (FEAT_MTE)"),
	FB("V", 28, "overflow"),
	FB("C", 29, "carry"),
	FB("Z", 30, "zero"),
	FB("N", 31, "negative"),
};
#define SPSR_RES0 (BIT(5) | GENMASK(19, 13) | GENMASK(27, 26) | GENMASK(63, 32))

static const struct sr_field currentel_fields[] = {
	FE("EL", 2, 2, "current Exception level", el_vals),
};
static const struct sr_field spsel_fields[] = {
	FB("SP", 0, "SP_ELx selected (else SP_EL0)"),
};
static const struct sr_field daif_fields[] = {
	FB("F", 6, "FIQ masked"), FB("I", 7, "IRQ masked"),
	FB("A", 8, "SError masked"), FB("D", 9, "debug exceptions masked"),
};

/* MDCR_EL2 (Arm ARM register page), ARMv8.0-8.4 fields. */
static const struct sr_field mdcr_el2_fields[] = {
	F("HPMN", 0, 5, "event counters accessible below EL2"),
	FB("TPMCR", 5, "trap PMCR_EL0"),
	FB("TPM", 6, "trap performance monitor accesses"),
	FB("HPME", 7, "EL2 event counters enabled"),
	FB("TDE", 8, "route debug exceptions to EL2"),
	FB("TDA", 9, "trap debug register accesses"),
	FB("TDOSA", 10, "trap debug OS-related register accesses"),
	FB("TDRA", 11, "trap debug ROM address register accesses"),
	F("E2PB", 12, 2, "profiling buffer owning EL (FEAT_SPE)"),
	FB("TPMS", 14, "trap profiling controls (FEAT_SPE)"),
	FB("HPMD", 17, "guest event counting prohibited at EL2 (FEAT_PMUv3p1)"),
	FB("TTRF", 19, "trap trace filter controls (FEAT_TRF)"),
	FB("HCCD", 23, "cycle counting prohibited at EL2 (FEAT_PMUv3p5)"),
};
#define MDCR_EL2_RES0 (GENMASK(16, 15) | BIT(18) | GENMASK(22, 20) | GENMASK(63, 24))

/* HSTR_EL2 (Arm ARM register page): trap AArch32 CP15 primary register Tn. */
static const struct sr_field hstr_el2_fields[] = {
	FB("T0", 0, "trap CP15 c0"), FB("T1", 1, "trap CP15 c1"), FB("T2", 2, "trap CP15 c2"),
	FB("T3", 3, "trap CP15 c3"), FB("T5", 5, "trap CP15 c5"), FB("T6", 6, "trap CP15 c6"),
	FB("T7", 7, "trap CP15 c7"), FB("T8", 8, "trap CP15 c8"), FB("T9", 9, "trap CP15 c9"),
	FB("T10", 10, "trap CP15 c10"), FB("T11", 11, "trap CP15 c11"),
	FB("T12", 12, "trap CP15 c12"), FB("T13", 13, "trap CP15 c13"),
	FB("T15", 15, "trap CP15 c15"),
};
#define HSTR_EL2_RES0 (BIT(4) | BIT(14) | GENMASK(63, 16))

/* CNTHCTL_EL2 with HCR_EL2.E2H=0 (Arm ARM register page). */
static const struct sr_field cnthctl_el2_fields[] = {
	FB("EL1PCTEN", 0, "EL0/EL1 physical counter access not trapped"),
	FB("EL1PCEN", 1, "EL0/EL1 physical timer access not trapped"),
	FB("EVNTEN", 2, "event stream enabled"),
	FB("EVNTDIR", 3, "event stream on 1-to-0 transition"),
	F("EVNTI", 4, 4, "event stream counter bit"),
};

/* CNTx_CTL (Arm ARM): timer control. */
static const struct sr_field cnt_ctl_fields[] = {
	FB("ENABLE", 0, "timer enabled"),
	FB("IMASK", 1, "interrupt masked"),
	FB("ISTATUS", 2, "timer condition met"),
};
#define CNT_CTL_RES0 GENMASK(63, 3)

/* VNCR_EL2 (FEAT_NV2; Arm ARM register page): BADDR[52:12], the EL2 VA of the 4KB VNCR
 * page; bits [63:53] are RESS, a sign extension of bit 52. */
static const struct sr_field vncr_el2_fields[] = {
	FA("BADDR", 12, 41, 12, "VNCR page base address (EL2 VA bits [52:12])"),
	F("RESS", 53, 11, "sign extension of bit 52"),
};
#define VNCR_EL2_RES0 GENMASK(11, 0)

/* VPIDR_EL2 / MIDR_EL1 (Arm ARM register page). */
static const struct sr_field midr_fields[] = {
	F("Revision", 0, 4, "revision"), F("PartNum", 4, 12, "part number"),
	F("Architecture", 16, 4, "architecture (0xf: by ID registers)"),
	F("Variant", 20, 4, "variant"), F("Implementer", 24, 8, "implementer code"),
};

/* VMPIDR_EL2 / MPIDR_EL1 (Arm ARM register page). */
static const struct sr_field mpidr_fields[] = {
	F("Aff0", 0, 8, "affinity level 0"), F("Aff1", 8, 8, "affinity level 1"),
	F("Aff2", 16, 8, "affinity level 2"), FB("MT", 24, "multithreading"),
	FB("U", 30, "uniprocessor"), F("Aff3", 32, 8, "affinity level 3"),
};
#define MPIDR_RES0 (GENMASK(29, 25) | GENMASK(63, 40))
#define MPIDR_RES1 BIT(31)

/* ID_AA64MMFR0_EL1 (Arm ARM register page). */
static const struct sr_field mmfr0_fields[] = {
	FP("PARange", 0, 4, "physical address range"),
	FE("ASIDBits", 4, 4, "ASID size", asidbits_vals),
	F("BigEnd", 8, 4, "mixed-endian support"),
	F("SNSMem", 12, 4, "Secure/Non-secure memory distinction"),
	F("BigEndEL0", 16, 4, "mixed-endian at EL0"),
	FE("TGran16", 20, 4, "16KB granule, stage 1", tgran16_vals),
	F("TGran64", 24, 4, "64KB granule, stage 1 (0: supported, 0xf: not)"),
	FE("TGran4", 28, 4, "4KB granule, stage 1", tgran4_vals),
	FE("TGran16_2", 32, 4, "16KB granule, stage 2", tgran_2_vals),
	FE("TGran64_2", 36, 4, "64KB granule, stage 2", tgran_2_vals),
	FE("TGran4_2", 40, 4, "4KB granule, stage 2", tgran_2_vals),
	F("ExS", 44, 4, "non-context-synchronizing exception entry/exit (FEAT_ExS)"),
	F("FGT", 56, 4, "fine-grained traps (FEAT_FGT)"),
	F("ECV", 60, 4, "enhanced counter virtualization (FEAT_ECV)"),
};

/* ID_AA64MMFR1_EL1 (Arm ARM register page). */
static const struct sr_field mmfr1_fields[] = {
	F("HAFDBS", 0, 4, "hardware Access flag / dirty state"),
	FE("VMIDBits", 4, 4, "VMID size", vmidbits_vals),
	F("VH", 8, 4, "virtualization host extensions (FEAT_VHE)"),
	F("HPDS", 12, 4, "hierarchical permission disables"),
	F("LO", 16, 4, "LORegions"),
	F("PAN", 20, 4, "privileged access never"),
	F("SpecSEI", 24, 4, "SError on speculative reads"),
	F("XNX", 28, 4, "stage 2 EL0/EL1 execute-never distinction"),
	F("TWED", 32, 4, "delayed trapping of WFE"),
	F("ETS", 36, 4, "enhanced translation synchronization"),
	F("HCX", 40, 4, "HCRX_EL2"),
	F("AFP", 44, 4, "alternate floating-point behavior"),
	F("nTLBPA", 48, 4, "no intermediate caching by PA"),
	F("TIDCP1", 52, 4, "EL0 IMPDEF trap"),
	F("CMOW", 56, 4, "cache maintenance by VA requires write permission"),
	F("ECBHB", 60, 4, "exploitative control of branch history"),
};

/* ID_AA64MMFR2_EL1 (Arm ARM register page). */
static const struct sr_field mmfr2_fields[] = {
	F("CnP", 0, 4, "common not private translations"),
	F("UAO", 4, 4, "user access override"),
	F("LSM", 8, 4, "LSMAOE/nTLSMD controls"),
	F("IESB", 12, 4, "implicit error synchronization"),
	F("VARange", 16, 4, "52-bit VA with 64KB granule (FEAT_LVA)"),
	F("CCIDX", 20, 4, "64-bit CCSIDR_EL1 format"),
	F("NV", 24, 4, "nested virtualization (1: FEAT_NV, 2: FEAT_NV2)"),
	F("ST", 28, 4, "small translation tables (FEAT_TTST)"),
	F("AT", 32, 4, "unaligned single-copy atomicity (FEAT_LSE2)"),
	F("IDS", 36, 4, "ID group 3 traps report EC 0x18"),
	F("FWB", 40, 4, "stage 2 forced write-back"),
	F("TTL", 48, 4, "TLBI address-range hints (FEAT_TTL)"),
	F("BBM", 52, 4, "break-before-make levels on block size change"),
	F("EVT", 56, 4, "enhanced virtualization traps"),
	F("E0PD", 60, 4, "E0PDx controls"),
};

/* ID_AA64PFR0_EL1 (Arm ARM register page). */
static const struct sr_field pfr0_fields[] = {
	F("EL0", 0, 4, "EL0 (1: AArch64, 2: AArch64 and AArch32)"),
	F("EL1", 4, 4, "EL1"), F("EL2", 8, 4, "EL2 (0: not implemented)"),
	F("EL3", 12, 4, "EL3 (0: not implemented)"),
	F("FP", 16, 4, "floating point"), F("AdvSIMD", 20, 4, "Advanced SIMD"),
	F("GIC", 24, 4, "GIC system registers"), F("RAS", 28, 4, "RAS extension"),
	F("SVE", 32, 4, "SVE"), F("SEL2", 36, 4, "Secure EL2 (FEAT_SEL2)"),
	F("MPAM", 40, 4, "MPAM"), F("AMU", 44, 4, "activity monitors"),
	F("DIT", 48, 4, "data independent timing"), F("RME", 52, 4, "realm management"),
	F("CSV2", 56, 4, "speculative use of out-of-context branch targets"),
	F("CSV3", 60, 4, "speculative use of faulting data"),
};

/* ID_AA64ISAR0_EL1 (Arm ARM register page): the field that matters here is TLB. */
static const struct sr_field isar0_fields[] = {
	F("AES", 4, 4, "AES"), F("SHA1", 8, 4, "SHA1"), F("SHA2", 12, 4, "SHA2"),
	F("CRC32", 16, 4, "CRC32"), F("Atomic", 20, 4, "LSE atomics"),
	F("TME", 24, 4, "transactional memory"), F("RDM", 28, 4, "SQRDMLAH/SQRDMLSH"),
	F("SHA3", 32, 4, "SHA3"), F("SM3", 36, 4, "SM3"), F("SM4", 40, 4, "SM4"),
	F("DP", 44, 4, "dot product"), F("FHM", 48, 4, "FMLAL/FMLSL"),
	F("TS", 52, 4, "flag manipulation"),
	F("TLB", 56, 4, "TLB maintenance (1: FEAT_TLBIOS, 2: and FEAT_TLBIRANGE)"),
	F("RNDR", 60, 4, "random number"),
};

/* ICC_SRE_EL2 (Arm ARM; GICv3 system register interface). */
static const struct sr_field icc_sre_el2_fields[] = {
	FB("SRE", 0, "system register interface at EL2"),
	FB("DFB", 1, "disable FIQ bypass"),
	FB("DIB", 2, "disable IRQ bypass"),
	FB("Enable", 3, "EL1 may use ICC_SRE_EL1 (0: trapped to EL2)"),
};
#define ICC_SRE_EL2_RES0 GENMASK(63, 4)

/* ICH_HCR_EL2 (Arm ARM), fields of GICv3/GICv4 without the GICv4.1 vSGIEOICount. */
static const struct sr_field ich_hcr_el2_fields[] = {
	FB("En", 0, "virtual CPU interface enabled"),
	FB("UIE", 1, "underflow maintenance interrupt enabled"),
	FB("LRENPIE", 2, "List Register Entry Not Present interrupt enabled"),
	FB("NPIE", 3, "No Pending maintenance interrupt enabled"),
	FB("VGrp0EIE", 4, "VM Group 0 enabled maintenance interrupt"),
	FB("VGrp0DIE", 5, "VM Group 0 disabled maintenance interrupt"),
	FB("VGrp1EIE", 6, "VM Group 1 enabled maintenance interrupt"),
	FB("VGrp1DIE", 7, "VM Group 1 disabled maintenance interrupt"),
	FB("TC", 10, "trap common EL1 ICC_* accesses"),
	FB("TALL0", 11, "trap EL1 Group 0 ICC_* accesses"),
	FB("TALL1", 12, "trap EL1 Group 1 ICC_* accesses"),
	FB("TSEI", 13, "trap locally generated SEIs"),
	FB("TDIR", 14, "trap EL1 ICC_DIR_EL1 writes"),
	F("EOIcount", 27, 5, "EOIs without a matching List Register entry"),
};
#define ICH_HCR_EL2_RES0 (GENMASK(9, 8) | GENMASK(26, 15) | GENMASK(63, 32))

/* ICH_VTR_EL2 (Arm ARM): what the virtual CPU interface implements. */
static const struct sr_field ich_vtr_el2_fields[] = {
	F("ListRegs", 0, 5, "List Registers implemented, minus one"),
	FB("DVIM", 18, "masking of directly injected virtual interrupts (GICv4.1)"),
	FB("TDS", 19, "separate trapping of EL1 ICC_DIR_EL1 writes (ICH_HCR_EL2.TDIR)"),
	FB("nV4", 20, "direct injection of virtual interrupts not supported"),
	FB("A3V", 21, "non-zero Affinity 3 in SGI generation"),
	FB("SEIS", 22, "local SEI generation"),
	F("IDbits", 23, 3, "virtual interrupt ID bits (0: 16, 1: 24)"),
	F("PREbits", 26, 3, "virtual preemption bits, minus one"),
	F("PRIbits", 29, 3, "virtual priority bits, minus one"),
};
#define ICH_VTR_EL2_RES0 (GENMASK(17, 5) | GENMASK(63, 32))

/* ICH_MISR_EL2 (Arm ARM): which maintenance interrupts are asserted. */
static const struct sr_field ich_misr_el2_fields[] = {
	FB("EOI", 0, "End Of Interrupt"),
	FB("U", 1, "Underflow"),
	FB("LRENP", 2, "List Register Entry Not Present"),
	FB("NP", 3, "No Pending"),
	FB("VGrp0E", 4, "VM Group 0 enabled"),
	FB("VGrp0D", 5, "VM Group 0 disabled"),
	FB("VGrp1E", 6, "VM Group 1 enabled"),
	FB("VGrp1D", 7, "VM Group 1 disabled"),
};

/* ICH_VMCR_EL2 (Arm ARM): the virtual machine's ICV_* state. */
static const struct sr_field ich_vmcr_el2_fields[] = {
	FB("VENG0", 0, "virtual Group 0 interrupts enabled"),
	FB("VENG1", 1, "virtual Group 1 interrupts enabled"),
	FB("VAckCtl", 2, "virtual AckCtl (RES0 without legacy support)"),
	FB("VFIQEn", 3, "virtual Group 0 as FIQs"),
	FB("VCBPR", 4, "common binary point for both groups"),
	FB("VEOIM", 9, "priority drop and deactivation separate"),
	F("VBPR1", 18, 3, "virtual Group 1 binary point"),
	F("VBPR0", 21, 3, "virtual Group 0 binary point"),
	F("VPMR", 24, 8, "virtual priority mask"),
};
#define ICH_VMCR_EL2_RES0 (GENMASK(8, 5) | GENMASK(17, 10) | GENMASK(63, 32))

/* ICH_LR<n>_EL2 (Arm ARM): one virtual interrupt. */
static const struct sr_enum ich_lr_state_vals[] = {
	{ 0, "Invalid" }, { 1, "Pending" }, { 2, "Active" }, { 3, "Pending and active" },
	{ 0, NULL } };
static const struct sr_field ich_lr_el2_fields[] = {
	F("vINTID", 0, 32, "virtual INTID"),
	F("pINTID", 32, 13, "physical INTID (HW=1), or EOI at bit 41 (HW=0)"),
	F("Priority", 48, 8, "virtual priority"),
	FB("Group", 60, "Group 1 (0: Group 0)"),
	FB("HW", 61, "hardware interrupt: deactivates pINTID"),
	FE("State", 62, 2, "state of the interrupt", ich_lr_state_vals),
};
#define ICH_LR_EL2_RES0 (GENMASK(47, 45) | GENMASK(59, 56))

/* ZCR_EL2 (Arm ARM, FEAT_SVE). */
static const struct sr_field zcr_el2_fields[] = {
	F("LEN", 0, 4, "vector length (LEN + 1) x 128 bits at EL2 and below"),
};
#define ZCR_EL2_RES0 GENMASK(63, 4)

/* TRFCR_EL2 (Arm ARM, FEAT_TRF). */
static const struct sr_field trfcr_el2_fields[] = {
	FB("E0HTRE", 0, "EL0 trace in the EL2&0 regime"),
	FB("E2TRE", 1, "EL2 trace"),
	FB("CX", 3, "CONTEXTIDR_EL2 trace"),
	F("TS", 5, 2, "timestamp control"),
};
#define TRFCR_EL2_RES0 (BIT(2) | BIT(4) | GENMASK(63, 7))

/* PMSCR_EL2 (Arm ARM, FEAT_SPE). */
static const struct sr_field pmscr_el2_fields[] = {
	FB("E0HSPE", 0, "EL0 sampling in the EL2&0 regime"),
	FB("E2SPE", 1, "EL2 sampling"),
	FB("CX", 3, "CONTEXTIDR_EL2 capture"),
	FB("PA", 4, "physical address capture"),
	FB("TS", 5, "timestamp"),
	F("PCT", 6, 2, "physical timestamp control"),
};
#define PMSCR_EL2_RES0 (BIT(2) | GENMASK(63, 8))

/* VSESR_EL2 (Arm ARM, FEAT_RAS): syndrome of the virtual SError HCR_EL2.VSE injects. */
static const struct sr_field vsesr_el2_fields[] = {
	F("ISS", 0, 24, "ESR_ELx.ISS[23:0] of the virtual SError"),
	FB("IDS", 24, "IMPLEMENTATION DEFINED syndrome"),
};
#define VSESR_EL2_RES0 GENMASK(63, 25)

/* VDISR_EL2 (Arm ARM, FEAT_RAS), AArch64 EL1 format: a virtual SError deferred by ESB. */
static const struct sr_field vdisr_el2_fields[] = {
	F("ISS", 0, 24, "syndrome of the deferred virtual SError"),
	FB("IDS", 24, "IMPLEMENTATION DEFINED syndrome"),
	FB("A", 31, "virtual SError deferred"),
};
#define VDISR_EL2_RES0 (GENMASK(30, 25) | GENMASK(63, 32))

/* MPAM2_EL2 (Arm ARM, FEAT_MPAM). No RES0 mask: later MPAM versions and FEAT_SME fill
 * bits [62:50], and a guest's value there is kept. */
static const struct sr_field mpam2_el2_fields[] = {
	F("PARTID_I", 0, 16, "instruction PARTID at EL2"),
	F("PARTID_D", 16, 16, "data PARTID at EL2"),
	F("PMG_I", 32, 8, "instruction PMG at EL2"),
	F("PMG_D", 40, 8, "data PMG at EL2"),
	FB("TRAPMPAM1EL1", 48, "trap MPAM1_EL1 accesses from EL1"),
	FB("TRAPMPAM0EL1", 49, "trap MPAM0_EL1 accesses from EL1"),
	FB("TIDR", 58, "trap MPAMIDR_EL1 accesses from EL1"),
	FB("MPAMEN", 63, "MPAM enabled (read-only view of MPAM3_EL3.MPAMEN)"),
};

/* MPAMHCR_EL2 (Arm ARM, FEAT_MPAM). */
static const struct sr_field mpamhcr_el2_fields[] = {
	FB("EL0_VPMEN", 0, "EL0 virtual PARTIDs mapped (HCR_EL2.TGE=0)"),
	FB("EL1_VPMEN", 1, "EL1 virtual PARTIDs mapped"),
	FB("GSTAPP_PLK", 8, "PARTID of EL1 when running EL0 under TGE=0"),
	FB("TRAP_MPAMIDR_EL1", 31, "trap MPAMIDR_EL1 reads from EL1"),
};
#define MPAMHCR_EL2_RES0 (GENMASK(7, 2) | GENMASK(30, 9) | GENMASK(63, 32))

/* MPAMVPM<n>_EL2 (Arm ARM, FEAT_MPAM): four virtual -> physical PARTID entries. */
static const struct sr_field mpamvpm_el2_fields[] = {
	F("PhyPARTID0", 0, 16, "physical PARTID of virtual PARTID 4n"),
	F("PhyPARTID1", 16, 16, "physical PARTID of virtual PARTID 4n+1"),
	F("PhyPARTID2", 32, 16, "physical PARTID of virtual PARTID 4n+2"),
	F("PhyPARTID3", 48, 16, "physical PARTID of virtual PARTID 4n+3"),
};

/* MPAMVPMV_EL2 (Arm ARM, FEAT_MPAM): one valid bit per MPAMVPM<n>_EL2 entry (8 x 4). */
static const struct sr_field mpamvpmv_el2_fields[] = {
	F("VPM_V", 0, 32, "valid bits of the virtual PARTID mapping entries 0-31"),
};

/* SDER32_EL2 (Arm ARM, FEAT_SEL2): Secure EL1&0 AArch32 debug enables. */
static const struct sr_field sder32_fields[] = {
	FB("SUIDEN", 0, "Secure EL0 invasive debug"),
	FB("SUNIDEN", 1, "Secure EL0 non-invasive debug"),
};

/* RMR_EL2 (Arm ARM): warm reset request when EL2 is the highest EL. */
static const struct sr_field rmr_fields[] = {
	FB("AA64", 0, "reset into AArch64"),
	FB("RR", 1, "request a Warm reset"),
};

/* FPEXC32_EL2 (Arm ARM): the AArch32 FPEXC, fields an EL2 context switch looks at. */
static const struct sr_field fpexc32_fields[] = {
	FB("EN", 30, "AArch32 floating point and Advanced SIMD enabled"),
	FB("EX", 31, "exception state (IMPLEMENTATION DEFINED subarchitecture)"),
};

/* CONTEXTIDR_ELx, TPIDR_ELx: one value. */
static const struct sr_field contextidr_fields[] = {
	F("PROCID", 0, 32, "process identifier"),
};

/* The TLBI operation families (Arm ARM "A64 System instructions for TLB
 * maintenance"). scope, regime EL, stage 1, stage 2, last level, domain, Xt. */
#define TLBI_INFO(sc, el, s1, s2, last, dom, xt)                                          \
	(&(const struct sr_tlbi_info){ SR_TLBI_##sc, el, s1, s2, last, SR_SH_##dom, xt })
#define TLBI(nm, o1, crm, o2, feat, sum, info)                                             \
	{ .name = nm, .enc = SR_ENC(1, o1, 8, crm, o2), .kind = SR_KIND_TLBI,               \
	  .access = SR_ACC_W, .feature = feat, .summary = sum, .tlbi = info }
/* stage-1 EL1&0 by-address op: name, op1, CRm, op2, feature, scope, last, domain */
#define TLBI_E1(nm, crm, o2, feat, sc, last, dom, sum)                                     \
	TLBI(nm, 0, crm, o2, feat, sum, TLBI_INFO(sc, 1, true, false, last, dom, true))
#define TLBI_E2(nm, crm, o2, feat, sc, last, dom, sum)                                     \
	TLBI(nm, 4, crm, o2, feat, sum, TLBI_INFO(sc, 2, true, false, last, dom, true))
/* IMPDEF-free: EL3 has no ASIDs, so its by-VA forms are "all ASIDs" scopes. */
#define TLBI_E3(nm, crm, o2, feat, sc, last, dom, sum)                                     \
	TLBI(nm, 6, crm, o2, feat, sum, TLBI_INFO(sc, 3, true, false, last, dom, true))
#define TLBI_IPA(nm, crm, o2, feat, sc, last, dom, sum)                                    \
	TLBI(nm, 4, crm, o2, feat, sum, TLBI_INFO(sc, 1, false, true, last, dom, true))

#define REG(nm, o0, o1, crn, crm, o2, acc, sum)                                            \
	.name = nm, .enc = SR_ENC(o0, o1, crn, crm, o2), .kind = SR_KIND_REG, .access = acc, \
	.summary = sum
#define AT(nm, o1, crm, o2, feat, e, s2, w, p, sum)                                        \
	{ .name = nm, .enc = SR_ENC(1, o1, 7, crm, o2), .kind = SR_KIND_AT,                 \
	  .access = SR_ACC_W, .feature = feat, .summary = sum,                              \
	  .at = &(const struct sr_at_info){ e, s2, w, p } }
#define CACHE(nm, o1, crm, o2, feat, sum)                                                  \
	{ .name = nm, .enc = SR_ENC(1, o1, 7, crm, o2), .kind = SR_KIND_CACHE,              \
	  .access = SR_ACC_W, .feature = feat, .summary = sum }

#define RW SR_ACC_RW
#define RO SR_ACC_R

const struct sr_desc sr_table[] = {
	/* EL2 registers (Arm ARM), ARMv8.0-8.4 and the fine-grained traps. */
	{ REG("VPIDR_EL2", 3, 4, 0, 0, 0, RW, "Virtualization Processor ID"),
	  FIELDS(midr_fields), .res0 = GENMASK(63, 32) },
	{ REG("VMPIDR_EL2", 3, 4, 0, 0, 5, RW, "Virtualization Multiprocessor ID"),
	  FIELDS(mpidr_fields), .res0 = MPIDR_RES0, .res1 = MPIDR_RES1 },
	{ REG("SCTLR_EL2", 3, 4, 1, 0, 0, RW, "System Control (EL2)"),
	  FIELDS(sctlr_el2_fields), .layout = SR_LAYOUT_E2H, .res0 = SCTLR_EL2_RES0,
	  .res1 = SCTLR_EL2_RES1 },
	{ REG("ACTLR_EL2", 3, 4, 1, 0, 1, RW, "Auxiliary Control (EL2), IMPLEMENTATION DEFINED") },
	{ REG("HCR_EL2", 3, 4, 1, 1, 0, RW, "Hypervisor Configuration"),
	  FIELDS(hcr_el2_fields), .res0 = BIT(39) | BIT(48) },
	{ REG("MDCR_EL2", 3, 4, 1, 1, 1, RW, "Monitor Debug Configuration (EL2)"),
	  FIELDS(mdcr_el2_fields), .res0 = MDCR_EL2_RES0 },
	{ REG("CPTR_EL2", 3, 4, 1, 1, 2, RW, "Architectural Feature Trap (EL2)"),
	  FIELDS(cptr_el2_fields), .layout = SR_LAYOUT_E2H, .res0 = CPTR_EL2_RES0,
	  .res1 = CPTR_EL2_RES1 },
	{ REG("HSTR_EL2", 3, 4, 1, 1, 3, RW, "Hypervisor System Trap"),
	  FIELDS(hstr_el2_fields), .res0 = HSTR_EL2_RES0 },
	{ REG("HFGRTR_EL2", 3, 4, 1, 1, 4, RW, "Hypervisor Fine-Grained Read Trap"),
	  .feature = "FEAT_FGT" },
	{ REG("HFGWTR_EL2", 3, 4, 1, 1, 5, RW, "Hypervisor Fine-Grained Write Trap"),
	  .feature = "FEAT_FGT" },
	{ REG("HFGITR_EL2", 3, 4, 1, 1, 6, RW, "Hypervisor Fine-Grained Instruction Trap"),
	  .feature = "FEAT_FGT" },
	{ REG("HACR_EL2", 3, 4, 1, 1, 7, RW, "Hypervisor Auxiliary Control, IMPDEF") },
	{ REG("TTBR0_EL2", 3, 4, 2, 0, 0, RW, "Translation Table Base 0 (EL2)"),
	  FIELDS(ttbr_fields) },
	{ REG("TTBR1_EL2", 3, 4, 2, 0, 1, RW, "Translation Table Base 1 (EL2&0, E2H=1)"),
	  FIELDS(ttbr_fields), .feature = "FEAT_VHE" },
	{ REG("TCR_EL2", 3, 4, 2, 0, 2, RW, "Translation Control (EL2)"),
	  FIELDS(tcr_el2_fields), .layout = SR_LAYOUT_E2H,
	  .res0 = GENMASK(7, 6) | BIT(19) | GENMASK(63, 33), .res1 = BIT(23) | BIT(31) },
	{ REG("VTTBR_EL2", 3, 4, 2, 1, 0, RW, "Virtualization Translation Table Base"),
	  FIELDS(vttbr_el2_fields), .layout = SR_LAYOUT_VTTBR, .res0 = GENMASK(63, 56) },
	{ REG("VTCR_EL2", 3, 4, 2, 1, 2, RW, "Virtualization Translation Control"),
	  FIELDS(vtcr_el2_fields), .res0 = BIT(20) | GENMASK(24, 23) | GENMASK(63, 32),
	  .res1 = BIT(31) },
	{ REG("VNCR_EL2", 3, 4, 2, 2, 0, RW, "Virtual Nested Control (VNCR page address)"),
	  FIELDS(vncr_el2_fields), .res0 = VNCR_EL2_RES0, .feature = "FEAT_NV2" },
	{ REG("VSTTBR_EL2", 3, 4, 2, 6, 0, RW, "Virtualization Secure Translation Table Base"),
	  .feature = "FEAT_SEL2" },
	{ REG("VSTCR_EL2", 3, 4, 2, 6, 2, RW, "Virtualization Secure Translation Control"),
	  .feature = "FEAT_SEL2" },
	{ REG("HDFGRTR_EL2", 3, 4, 3, 1, 4, RW, "Hypervisor Debug Fine-Grained Read Trap"),
	  .feature = "FEAT_FGT" },
	{ REG("HDFGWTR_EL2", 3, 4, 3, 1, 5, RW, "Hypervisor Debug Fine-Grained Write Trap"),
	  .feature = "FEAT_FGT" },
	{ REG("HAFGRTR_EL2", 3, 4, 3, 1, 6, RW, "Hypervisor Activity Monitors FG Read Trap"),
	  .feature = "FEAT_FGT" },
	{ REG("SPSR_EL2", 3, 4, 4, 0, 0, RW, "Saved Program Status (EL2)"),
	  FIELDS(spsr_fields), .res0 = SPSR_RES0 },
	{ REG("ELR_EL2", 3, 4, 4, 0, 1, RW, "Exception Link (EL2)"), FIELDS(far_fields) },
	{ REG("SP_EL1", 3, 4, 4, 1, 0, RW, "Stack Pointer (EL1)") },
	{ REG("AFSR0_EL2", 3, 4, 5, 1, 0, RW, "Auxiliary Fault Status 0 (EL2), IMPDEF") },
	{ REG("AFSR1_EL2", 3, 4, 5, 1, 1, RW, "Auxiliary Fault Status 1 (EL2), IMPDEF") },
	{ REG("ESR_EL2", 3, 4, 5, 2, 0, RW, "Exception Syndrome (EL2)"),
	  FIELDS(esr_fields), .layout = SR_LAYOUT_ESR, .res0 = GENMASK(63, 32) },
	{ REG("FAR_EL2", 3, 4, 6, 0, 0, RW, "Fault Address (EL2)"), FIELDS(far_fields) },
	{ REG("HPFAR_EL2", 3, 4, 6, 0, 4, RW, "Hypervisor IPA Fault Address"),
	  FIELDS(hpfar_el2_fields), .res0 = GENMASK(3, 0) | GENMASK(62, 44) },
	{ REG("MAIR_EL2", 3, 4, 10, 2, 0, RW, "Memory Attribute Indirection (EL2)"),
	  FIELDS(mair_fields) },
	{ REG("AMAIR_EL2", 3, 4, 10, 3, 0, RW, "Auxiliary Memory Attribute Indirection (EL2)") },
	{ REG("VBAR_EL2", 3, 4, 12, 0, 0, RW, "Vector Base Address (EL2)"),
	  FIELDS(vbar_fields), .res0 = GENMASK(10, 0) },
	{ REG("RVBAR_EL2", 3, 4, 12, 0, 1, RO, "Reset Vector Base Address (EL2)") },
	{ REG("CONTEXTIDR_EL2", 3, 4, 13, 0, 1, RW, "Context ID (EL2, FEAT_VHE)"),
	  FIELDS(contextidr_fields), .res0 = GENMASK(63, 32), .feature = "FEAT_VHE" },
	{ REG("TPIDR_EL2", 3, 4, 13, 0, 2, RW, "Thread ID (EL2)") },
	{ REG("CNTVOFF_EL2", 3, 4, 14, 0, 3, RW, "Counter-timer Virtual Offset") },
	{ REG("CNTHCTL_EL2", 3, 4, 14, 1, 0, RW, "Counter-timer Hypervisor Control"),
	  FIELDS(cnthctl_el2_fields) },
	{ REG("CNTHP_TVAL_EL2", 3, 4, 14, 2, 0, RW, "EL2 physical timer TimerValue") },
	{ REG("CNTHP_CTL_EL2", 3, 4, 14, 2, 1, RW, "EL2 physical timer Control"),
	  FIELDS(cnt_ctl_fields), .res0 = CNT_CTL_RES0 },
	{ REG("CNTHP_CVAL_EL2", 3, 4, 14, 2, 2, RW, "EL2 physical timer CompareValue") },
	{ REG("CNTHV_TVAL_EL2", 3, 4, 14, 3, 0, RW, "EL2 virtual timer TimerValue"),
	  .feature = "FEAT_VHE" },
	{ REG("CNTHV_CTL_EL2", 3, 4, 14, 3, 1, RW, "EL2 virtual timer Control"),
	  FIELDS(cnt_ctl_fields), .res0 = CNT_CTL_RES0, .feature = "FEAT_VHE" },
	{ REG("CNTHV_CVAL_EL2", 3, 4, 14, 3, 2, RW, "EL2 virtual timer CompareValue"),
	  .feature = "FEAT_VHE" },
	{ REG("CNTHVS_TVAL_EL2", 3, 4, 14, 4, 0, RW, "Secure EL2 virtual timer TimerValue"),
	  .feature = "FEAT_SEL2" },
	{ REG("CNTHVS_CTL_EL2", 3, 4, 14, 4, 1, RW, "Secure EL2 virtual timer Control"),
	  FIELDS(cnt_ctl_fields), .res0 = CNT_CTL_RES0, .feature = "FEAT_SEL2" },
	{ REG("CNTHVS_CVAL_EL2", 3, 4, 14, 4, 2, RW, "Secure EL2 virtual timer CompareValue"),
	  .feature = "FEAT_SEL2" },
	{ REG("CNTHPS_TVAL_EL2", 3, 4, 14, 5, 0, RW, "Secure EL2 physical timer TimerValue"),
	  .feature = "FEAT_SEL2" },
	{ REG("CNTHPS_CTL_EL2", 3, 4, 14, 5, 1, RW, "Secure EL2 physical timer Control"),
	  FIELDS(cnt_ctl_fields), .res0 = CNT_CTL_RES0, .feature = "FEAT_SEL2" },
	{ REG("CNTHPS_CVAL_EL2", 3, 4, 14, 5, 2, RW, "Secure EL2 physical timer CompareValue"),
	  .feature = "FEAT_SEL2" },
	/* AArch32 state an AArch64 EL2 saves and restores for an AArch32 EL1 (Arm ARM).
	 * DACR32_EL2, IFSR32_EL2 and DBGVCR32_EL2 are present only with FEAT_AA32EL1. */
	{ REG("DACR32_EL2", 3, 4, 3, 0, 0, RW, "Domain Access Control (AArch32 EL1)"),
	  .feature = "FEAT_AA32EL1", .res0 = GENMASK(63, 32) },
	{ REG("IFSR32_EL2", 3, 4, 5, 0, 1, RW, "Instruction Fault Status (AArch32 EL1)"),
	  .feature = "FEAT_AA32EL1", .res0 = GENMASK(63, 32) },
	{ REG("FPEXC32_EL2", 3, 4, 5, 3, 0, RW, "Floating-Point Exception Control (AArch32)"),
	  FIELDS(fpexc32_fields), .res0 = GENMASK(63, 32) },
	{ REG("DBGVCR32_EL2", 2, 4, 0, 7, 0, RW, "Debug Vector Catch (AArch32)"),
	  .feature = "FEAT_AA32EL1", .res0 = GENMASK(63, 32) },
	/* The banked SPSRs of the AArch32 IRQ, Abort, Undefined and FIQ modes; AArch32
	 * SPSR format (no field layout given here). */
	{ REG("SPSR_irq", 3, 4, 4, 3, 0, RW, "Saved Program Status (AArch32 IRQ mode)"),
	  .res0 = GENMASK(63, 32) },
	{ REG("SPSR_abt", 3, 4, 4, 3, 1, RW, "Saved Program Status (AArch32 Abort mode)"),
	  .res0 = GENMASK(63, 32) },
	{ REG("SPSR_und", 3, 4, 4, 3, 2, RW, "Saved Program Status (AArch32 Undefined mode)"),
	  .res0 = GENMASK(63, 32) },
	{ REG("SPSR_fiq", 3, 4, 4, 3, 3, RW, "Saved Program Status (AArch32 FIQ mode)"),
	  .res0 = GENMASK(63, 32) },
	{ REG("RMR_EL2", 3, 4, 12, 0, 2, RW, "Reset Management (EL2 the highest EL)"),
	  FIELDS(rmr_fields), .res0 = GENMASK(63, 2) },
	{ REG("SDER32_EL2", 3, 4, 1, 3, 1, RW, "AArch32 Secure Debug Enable (Secure EL2)"),
	  .feature = "FEAT_SEL2", FIELDS(sder32_fields), .res0 = GENMASK(63, 2) },
	/* FEAT_RAS (ARMv8.2). */
	{ REG("VSESR_EL2", 3, 4, 5, 2, 3, RW, "Virtual SError Exception Syndrome"),
	  .feature = "FEAT_RAS", FIELDS(vsesr_el2_fields), .res0 = VSESR_EL2_RES0 },
	{ REG("VDISR_EL2", 3, 4, 12, 1, 1, RW, "Virtual Deferred Interrupt Status"),
	  .feature = "FEAT_RAS", FIELDS(vdisr_el2_fields), .res0 = VDISR_EL2_RES0 },
	/* FEAT_SVE (ARMv8.2), FEAT_SPE (ARMv8.2), FEAT_TRF (ARMv8.4). */
	{ REG("ZCR_EL2", 3, 4, 1, 2, 0, RW, "SVE Control (EL2)"), .feature = "FEAT_SVE",
	  FIELDS(zcr_el2_fields), .res0 = ZCR_EL2_RES0 },
	{ REG("TRFCR_EL2", 3, 4, 1, 2, 1, RW, "Trace Filter Control (EL2)"),
	  .feature = "FEAT_TRF", FIELDS(trfcr_el2_fields), .res0 = TRFCR_EL2_RES0 },
	{ REG("PMSCR_EL2", 3, 4, 9, 9, 0, RW, "Statistical Profiling Control (EL2)"),
	  .feature = "FEAT_SPE", FIELDS(pmscr_el2_fields), .res0 = PMSCR_EL2_RES0 },
	/* FEAT_MPAM (ARMv8.4). */
	{ REG("MPAMHCR_EL2", 3, 4, 10, 4, 0, RW, "MPAM Hypervisor Control"),
	  .feature = "FEAT_MPAM", FIELDS(mpamhcr_el2_fields), .res0 = MPAMHCR_EL2_RES0 },
	{ REG("MPAMVPMV_EL2", 3, 4, 10, 4, 1, RW, "MPAM Virtual PARTID Mapping Valid"),
	  .feature = "FEAT_MPAM", FIELDS(mpamvpmv_el2_fields), .res0 = GENMASK(63, 32) },
	{ REG("MPAM2_EL2", 3, 4, 10, 5, 0, RW, "MPAM2 (EL2)"), .feature = "FEAT_MPAM",
	  FIELDS(mpam2_el2_fields) },
#define MPAMVPM(n)                                                                         \
	{ REG("MPAMVPM" #n "_EL2", 3, 4, 10, 6, n, RW, "MPAM Virtual PARTID Mapping " #n), \
	  .feature = "FEAT_MPAM", FIELDS(mpamvpm_el2_fields) }
	MPAMVPM(0), MPAMVPM(1), MPAMVPM(2), MPAMVPM(3),
	MPAMVPM(4), MPAMVPM(5), MPAMVPM(6), MPAMVPM(7),
#undef MPAMVPM
	/* GICv3 CPU interface at EL2 and its virtualization control (Arm ARM, "GIC system
	 * registers"; FEAT_GICv3). */
#define ICH_AP(g, n)                                                                       \
	{ REG("ICH_AP" #g "R" #n "_EL2", 3, 4, 12, 8 + (g), n, RW,                          \
	      "Hypervisor Active Priorities Group " #g " " #n), .feature = "FEAT_GICv3",      \
	  .res0 = GENMASK(63, 32) }
	ICH_AP(0, 0), ICH_AP(0, 1), ICH_AP(0, 2), ICH_AP(0, 3),
	ICH_AP(1, 0), ICH_AP(1, 1), ICH_AP(1, 2), ICH_AP(1, 3),
#undef ICH_AP
	{ REG("ICC_SRE_EL2", 3, 4, 12, 9, 5, RW, "Interrupt Controller System Register Enable"),
	  .feature = "FEAT_GICv3", FIELDS(icc_sre_el2_fields), .res0 = ICC_SRE_EL2_RES0 },
	{ REG("ICH_HCR_EL2", 3, 4, 12, 11, 0, RW, "Interrupt Controller Hyp Control"),
	  .feature = "FEAT_GICv3", FIELDS(ich_hcr_el2_fields), .res0 = ICH_HCR_EL2_RES0 },
	{ REG("ICH_VTR_EL2", 3, 4, 12, 11, 1, RO, "Interrupt Controller VGIC Type"),
	  .feature = "FEAT_GICv3", FIELDS(ich_vtr_el2_fields), .res0 = ICH_VTR_EL2_RES0 },
	{ REG("ICH_MISR_EL2", 3, 4, 12, 11, 2, RO, "Interrupt Controller Maintenance Status"),
	  .feature = "FEAT_GICv3", FIELDS(ich_misr_el2_fields), .res0 = GENMASK(63, 8) },
	{ REG("ICH_EISR_EL2", 3, 4, 12, 11, 3, RO, "Interrupt Controller End of Interrupt Status"),
	  .feature = "FEAT_GICv3", .res0 = GENMASK(63, 16) },
	{ REG("ICH_ELRSR_EL2", 3, 4, 12, 11, 5, RO, "Interrupt Controller Empty LR Status"),
	  .feature = "FEAT_GICv3", .res0 = GENMASK(63, 16) },
	{ REG("ICH_VMCR_EL2", 3, 4, 12, 11, 7, RW, "Interrupt Controller Virtual Machine Control"),
	  .feature = "FEAT_GICv3", FIELDS(ich_vmcr_el2_fields), .res0 = ICH_VMCR_EL2_RES0 },
#define ICH_LR(n)                                                                          \
	{ REG("ICH_LR" #n "_EL2", 3, 4, 12, 12 + (n) / 8, (n) % 8, RW,                      \
	      "Interrupt Controller List Register " #n), .feature = "FEAT_GICv3",             \
	  FIELDS(ich_lr_el2_fields), .res0 = ICH_LR_EL2_RES0 }
	ICH_LR(0), ICH_LR(1), ICH_LR(2), ICH_LR(3), ICH_LR(4), ICH_LR(5), ICH_LR(6), ICH_LR(7),
	ICH_LR(8), ICH_LR(9), ICH_LR(10), ICH_LR(11), ICH_LR(12), ICH_LR(13), ICH_LR(14),
	ICH_LR(15),
#undef ICH_LR
	{ REG("SP_EL2", 3, 6, 4, 1, 0, RW, "Stack Pointer (EL2)") },

	/* EL1 and EL0 registers of a nested guest's context (Arm ARM). */
	{ REG("MIDR_EL1", 3, 0, 0, 0, 0, RO, "Main ID"), FIELDS(midr_fields),
	  .res0 = GENMASK(63, 32) },
	{ REG("MPIDR_EL1", 3, 0, 0, 0, 5, RO, "Multiprocessor Affinity"), FIELDS(mpidr_fields),
	  .res0 = MPIDR_RES0, .res1 = MPIDR_RES1 },
	{ REG("ID_AA64PFR0_EL1", 3, 0, 0, 4, 0, RO, "AArch64 Processor Feature 0"),
	  FIELDS(pfr0_fields) },
	{ REG("ID_AA64PFR1_EL1", 3, 0, 0, 4, 1, RO, "AArch64 Processor Feature 1") },
	{ REG("ID_AA64DFR0_EL1", 3, 0, 0, 5, 0, RO, "AArch64 Debug Feature 0") },
	{ REG("ID_AA64ISAR0_EL1", 3, 0, 0, 6, 0, RO, "AArch64 Instruction Set Attribute 0"),
	  FIELDS(isar0_fields), .res0 = GENMASK(3, 0) },
	{ REG("ID_AA64ISAR1_EL1", 3, 0, 0, 6, 1, RO, "AArch64 Instruction Set Attribute 1") },
	{ REG("ID_AA64MMFR0_EL1", 3, 0, 0, 7, 0, RO, "AArch64 Memory Model Feature 0"),
	  FIELDS(mmfr0_fields), .res0 = GENMASK(55, 48) },
	{ REG("ID_AA64MMFR1_EL1", 3, 0, 0, 7, 1, RO, "AArch64 Memory Model Feature 1"),
	  FIELDS(mmfr1_fields) },
	{ REG("ID_AA64MMFR2_EL1", 3, 0, 0, 7, 2, RO, "AArch64 Memory Model Feature 2"),
	  FIELDS(mmfr2_fields), .res0 = GENMASK(47, 44) },
	{ REG("SCTLR_EL1", 3, 0, 1, 0, 0, RW, "System Control (EL1)"),
	  FIELDS(sctlr_el1_fields), .res0 = SCTLR_EL1_RES0 },
	{ REG("ACTLR_EL1", 3, 0, 1, 0, 1, RW, "Auxiliary Control (EL1), IMPDEF") },
	{ REG("CPACR_EL1", 3, 0, 1, 0, 2, RW, "Architectural Feature Access Control"),
	  FIELDS(cpacr_el1_fields), .res0 = CPACR_EL1_RES0 },
	{ REG("TTBR0_EL1", 3, 0, 2, 0, 0, RW, "Translation Table Base 0 (EL1&0)"),
	  FIELDS(ttbr_fields) },
	{ REG("TTBR1_EL1", 3, 0, 2, 0, 1, RW, "Translation Table Base 1 (EL1&0)"),
	  FIELDS(ttbr_fields) },
	{ REG("TCR_EL1", 3, 0, 2, 0, 2, RW, "Translation Control (EL1&0)"),
	  FIELDS(tcr_el1_fields), .res0 = TCR_EL1_RES0 },
	{ REG("SPSR_EL1", 3, 0, 4, 0, 0, RW, "Saved Program Status (EL1)"),
	  FIELDS(spsr_fields), .res0 = SPSR_RES0 },
	{ REG("ELR_EL1", 3, 0, 4, 0, 1, RW, "Exception Link (EL1)"), FIELDS(far_fields) },
	{ REG("SP_EL0", 3, 0, 4, 1, 0, RW, "Stack Pointer (EL0)") },
	{ REG("SPSel", 3, 0, 4, 2, 0, RW, "Stack Pointer Select"), FIELDS(spsel_fields),
	  .res0 = GENMASK(63, 1) },
	{ REG("CurrentEL", 3, 0, 4, 2, 2, RO, "Current Exception Level"),
	  FIELDS(currentel_fields), .res0 = GENMASK(63, 4) | GENMASK(1, 0) },
	{ REG("PAN", 3, 0, 4, 2, 3, RW, "Privileged Access Never (FEAT_PAN)"),
	  .feature = "FEAT_PAN" },
	{ REG("UAO", 3, 0, 4, 2, 4, RW, "User Access Override (FEAT_UAO)"),
	  .feature = "FEAT_UAO" },
	{ REG("AFSR0_EL1", 3, 0, 5, 1, 0, RW, "Auxiliary Fault Status 0 (EL1), IMPDEF") },
	{ REG("AFSR1_EL1", 3, 0, 5, 1, 1, RW, "Auxiliary Fault Status 1 (EL1), IMPDEF") },
	{ REG("ESR_EL1", 3, 0, 5, 2, 0, RW, "Exception Syndrome (EL1)"),
	  FIELDS(esr_fields), .layout = SR_LAYOUT_ESR, .res0 = GENMASK(63, 32) },
	{ REG("FAR_EL1", 3, 0, 6, 0, 0, RW, "Fault Address (EL1)"), FIELDS(far_fields) },
	{ REG("PAR_EL1", 3, 0, 7, 4, 0, RW, "Physical Address (result of AT)"),
	  FIELDS(par_fields), .layout = SR_LAYOUT_PAR, .res0 = GENMASK(6, 1) | GENMASK(55, 52),
	  .res1 = BIT(11) },
	{ REG("MAIR_EL1", 3, 0, 10, 2, 0, RW, "Memory Attribute Indirection (EL1)"),
	  FIELDS(mair_fields) },
	{ REG("AMAIR_EL1", 3, 0, 10, 3, 0, RW, "Auxiliary Memory Attribute Indirection (EL1)") },
	{ REG("VBAR_EL1", 3, 0, 12, 0, 0, RW, "Vector Base Address (EL1)"),
	  FIELDS(vbar_fields), .res0 = GENMASK(10, 0) },
	{ REG("CONTEXTIDR_EL1", 3, 0, 13, 0, 1, RW, "Context ID (EL1)"),
	  FIELDS(contextidr_fields), .res0 = GENMASK(63, 32) },
	{ REG("TPIDR_EL1", 3, 0, 13, 0, 4, RW, "Thread ID (EL1)") },
	{ REG("CNTKCTL_EL1", 3, 0, 14, 1, 0, RW, "Counter-timer Kernel Control") },
	{ REG("CCSIDR_EL1", 3, 1, 0, 0, 0, RO, "Current Cache Size ID") },
	{ REG("CLIDR_EL1", 3, 1, 0, 0, 1, RO, "Cache Level ID") },
	{ REG("CSSELR_EL1", 3, 2, 0, 0, 0, RW, "Cache Size Selection") },
	{ REG("CTR_EL0", 3, 3, 0, 0, 1, RO, "Cache Type") },
	{ REG("NZCV", 3, 3, 4, 2, 0, RW, "Condition flags") },
	{ REG("DAIF", 3, 3, 4, 2, 1, RW, "Interrupt Mask Bits"), FIELDS(daif_fields),
	  .res0 = GENMASK(63, 10) | GENMASK(5, 0) },
	{ REG("TPIDR_EL0", 3, 3, 13, 0, 2, RW, "Thread ID (EL0)") },
	{ REG("TPIDRRO_EL0", 3, 3, 13, 0, 3, RW, "Thread ID, EL0 read-only") },
	{ REG("CNTFRQ_EL0", 3, 3, 14, 0, 0, RW, "Counter-timer Frequency") },
	{ REG("CNTPCT_EL0", 3, 3, 14, 0, 1, RO, "Counter-timer Physical Count") },
	{ REG("CNTVCT_EL0", 3, 3, 14, 0, 2, RO, "Counter-timer Virtual Count") },
	{ REG("CNTP_TVAL_EL0", 3, 3, 14, 2, 0, RW, "EL1 physical timer TimerValue") },
	{ REG("CNTP_CTL_EL0", 3, 3, 14, 2, 1, RW, "EL1 physical timer Control"),
	  FIELDS(cnt_ctl_fields), .res0 = CNT_CTL_RES0 },
	{ REG("CNTP_CVAL_EL0", 3, 3, 14, 2, 2, RW, "EL1 physical timer CompareValue") },
	{ REG("CNTV_TVAL_EL0", 3, 3, 14, 3, 0, RW, "Virtual timer TimerValue") },
	{ REG("CNTV_CTL_EL0", 3, 3, 14, 3, 1, RW, "Virtual timer Control"),
	  FIELDS(cnt_ctl_fields), .res0 = CNT_CTL_RES0 },
	{ REG("CNTV_CVAL_EL0", 3, 3, 14, 3, 2, RW, "Virtual timer CompareValue") },

	/* EL12 / EL02 aliases (FEAT_VHE, Arm ARM "Virtualization Host Extensions"):
	 * from EL2 with HCR_EL2.E2H=1 they access the EL1/EL0 register named. */
#define ALIAS(nm, crn, crm, o2, of) REG(nm, 3, 5, crn, crm, o2, RW, "alias of " of),       \
	.alias_of = of, .feature = "FEAT_VHE"
	{ ALIAS("SCTLR_EL12", 1, 0, 0, "SCTLR_EL1"), FIELDS(sctlr_el1_fields),
	  .res0 = SCTLR_EL1_RES0 },
	{ ALIAS("CPACR_EL12", 1, 0, 2, "CPACR_EL1"), FIELDS(cpacr_el1_fields),
	  .res0 = CPACR_EL1_RES0 },
	{ ALIAS("TTBR0_EL12", 2, 0, 0, "TTBR0_EL1"), FIELDS(ttbr_fields) },
	{ ALIAS("TTBR1_EL12", 2, 0, 1, "TTBR1_EL1"), FIELDS(ttbr_fields) },
	{ ALIAS("TCR_EL12", 2, 0, 2, "TCR_EL1"), FIELDS(tcr_el1_fields), .res0 = TCR_EL1_RES0 },
	{ ALIAS("SPSR_EL12", 4, 0, 0, "SPSR_EL1"), FIELDS(spsr_fields), .res0 = SPSR_RES0 },
	{ ALIAS("ELR_EL12", 4, 0, 1, "ELR_EL1"), FIELDS(far_fields) },
	{ ALIAS("AFSR0_EL12", 5, 1, 0, "AFSR0_EL1") },
	{ ALIAS("AFSR1_EL12", 5, 1, 1, "AFSR1_EL1") },
	{ ALIAS("ESR_EL12", 5, 2, 0, "ESR_EL1"), FIELDS(esr_fields), .layout = SR_LAYOUT_ESR,
	  .res0 = GENMASK(63, 32) },
	{ ALIAS("FAR_EL12", 6, 0, 0, "FAR_EL1"), FIELDS(far_fields) },
	{ ALIAS("MAIR_EL12", 10, 2, 0, "MAIR_EL1"), FIELDS(mair_fields) },
	{ ALIAS("AMAIR_EL12", 10, 3, 0, "AMAIR_EL1") },
	{ ALIAS("VBAR_EL12", 12, 0, 0, "VBAR_EL1"), FIELDS(vbar_fields),
	  .res0 = GENMASK(10, 0) },
	{ ALIAS("CONTEXTIDR_EL12", 13, 0, 1, "CONTEXTIDR_EL1"), FIELDS(contextidr_fields),
	  .res0 = GENMASK(63, 32) },
	{ ALIAS("CNTKCTL_EL12", 14, 1, 0, "CNTKCTL_EL1") },
	{ ALIAS("CNTP_TVAL_EL02", 14, 2, 0, "CNTP_TVAL_EL0") },
	{ ALIAS("CNTP_CTL_EL02", 14, 2, 1, "CNTP_CTL_EL0"), FIELDS(cnt_ctl_fields),
	  .res0 = CNT_CTL_RES0 },
	{ ALIAS("CNTP_CVAL_EL02", 14, 2, 2, "CNTP_CVAL_EL0") },
	{ ALIAS("CNTV_TVAL_EL02", 14, 3, 0, "CNTV_TVAL_EL0") },
	{ ALIAS("CNTV_CTL_EL02", 14, 3, 1, "CNTV_CTL_EL0"), FIELDS(cnt_ctl_fields),
	  .res0 = CNT_CTL_RES0 },
	{ ALIAS("CNTV_CVAL_EL02", 14, 3, 2, "CNTV_CVAL_EL0") },
#undef ALIAS

	/* TLBI, EL1&0 regime (op1 = 0). */
	TLBI("VMALLE1OS", 0, 1, 0, "FEAT_TLBIOS", "stage 1, current VMID",
	     TLBI_INFO(VMALL, 1, true, false, false, OS, false)),
	TLBI_E1("VAE1OS", 1, 1, "FEAT_TLBIOS", VA, false, OS, "by VA and ASID"),
	TLBI_E1("ASIDE1OS", 1, 2, "FEAT_TLBIOS", ASID, false, OS, "by ASID"),
	TLBI_E1("VAAE1OS", 1, 3, "FEAT_TLBIOS", VAA, false, OS, "by VA, all ASIDs"),
	TLBI_E1("VALE1OS", 1, 5, "FEAT_TLBIOS", VA, true, OS, "by VA and ASID, last level"),
	TLBI_E1("VAALE1OS", 1, 7, "FEAT_TLBIOS", VAA, true, OS, "by VA, all ASIDs, last level"),
	TLBI_E1("RVAE1IS", 2, 1, "FEAT_TLBIRANGE", RVA, false, IS, "range by VA and ASID"),
	TLBI_E1("RVAAE1IS", 2, 3, "FEAT_TLBIRANGE", RVAA, false, IS, "range by VA, all ASIDs"),
	TLBI_E1("RVALE1IS", 2, 5, "FEAT_TLBIRANGE", RVA, true, IS, "range by VA, last level"),
	TLBI_E1("RVAALE1IS", 2, 7, "FEAT_TLBIRANGE", RVAA, true, IS,
		"range by VA, all ASIDs, last level"),
	TLBI("VMALLE1IS", 0, 3, 0, NULL, "stage 1, current VMID",
	     TLBI_INFO(VMALL, 1, true, false, false, IS, false)),
	TLBI_E1("VAE1IS", 3, 1, NULL, VA, false, IS, "by VA and ASID"),
	TLBI_E1("ASIDE1IS", 3, 2, NULL, ASID, false, IS, "by ASID"),
	TLBI_E1("VAAE1IS", 3, 3, NULL, VAA, false, IS, "by VA, all ASIDs"),
	TLBI_E1("VALE1IS", 3, 5, NULL, VA, true, IS, "by VA and ASID, last level"),
	TLBI_E1("VAALE1IS", 3, 7, NULL, VAA, true, IS, "by VA, all ASIDs, last level"),
	TLBI_E1("RVAE1OS", 5, 1, "FEAT_TLBIRANGE", RVA, false, OS, "range by VA and ASID"),
	TLBI_E1("RVAAE1OS", 5, 3, "FEAT_TLBIRANGE", RVAA, false, OS, "range by VA, all ASIDs"),
	TLBI_E1("RVALE1OS", 5, 5, "FEAT_TLBIRANGE", RVA, true, OS, "range by VA, last level"),
	TLBI_E1("RVAALE1OS", 5, 7, "FEAT_TLBIRANGE", RVAA, true, OS,
		"range by VA, all ASIDs, last level"),
	TLBI_E1("RVAE1", 6, 1, "FEAT_TLBIRANGE", RVA, false, NONE, "range by VA and ASID"),
	TLBI_E1("RVAAE1", 6, 3, "FEAT_TLBIRANGE", RVAA, false, NONE, "range by VA, all ASIDs"),
	TLBI_E1("RVALE1", 6, 5, "FEAT_TLBIRANGE", RVA, true, NONE, "range by VA, last level"),
	TLBI_E1("RVAALE1", 6, 7, "FEAT_TLBIRANGE", RVAA, true, NONE,
		"range by VA, all ASIDs, last level"),
	TLBI("VMALLE1", 0, 7, 0, NULL, "stage 1, current VMID",
	     TLBI_INFO(VMALL, 1, true, false, false, NONE, false)),
	TLBI_E1("VAE1", 7, 1, NULL, VA, false, NONE, "by VA and ASID"),
	TLBI_E1("ASIDE1", 7, 2, NULL, ASID, false, NONE, "by ASID"),
	TLBI_E1("VAAE1", 7, 3, NULL, VAA, false, NONE, "by VA, all ASIDs"),
	TLBI_E1("VALE1", 7, 5, NULL, VA, true, NONE, "by VA and ASID, last level"),
	TLBI_E1("VAALE1", 7, 7, NULL, VAA, true, NONE, "by VA, all ASIDs, last level"),

	/* TLBI from EL2 (op1 = 4): stage 2 by IPA, EL1&0 all/VMALLS12, the EL2 regime. */
	TLBI_IPA("IPAS2E1IS", 0, 1, NULL, IPA, false, IS, "stage 2 by IPA, current VMID"),
	TLBI_IPA("RIPAS2E1IS", 0, 2, "FEAT_TLBIRANGE", RIPA, false, IS, "stage 2 range by IPA"),
	TLBI_IPA("IPAS2LE1IS", 0, 5, NULL, IPA, true, IS, "stage 2 by IPA, last level"),
	TLBI_IPA("RIPAS2LE1IS", 0, 6, "FEAT_TLBIRANGE", RIPA, true, IS,
		 "stage 2 range by IPA, last level"),
	TLBI("ALLE2OS", 4, 1, 0, "FEAT_TLBIOS", "all EL2 regime entries",
	     TLBI_INFO(ALL, 2, true, false, false, OS, false)),
	TLBI_E2("VAE2OS", 1, 1, "FEAT_TLBIOS", VA, false, OS, "EL2 by VA"),
	TLBI("ALLE1OS", 4, 1, 4, "FEAT_TLBIOS", "all EL1&0 entries, all VMIDs, both stages",
	     TLBI_INFO(ALL, 1, true, true, false, OS, false)),
	TLBI_E2("VALE2OS", 1, 5, "FEAT_TLBIOS", VA, true, OS, "EL2 by VA, last level"),
	TLBI("VMALLS12E1OS", 4, 1, 6, "FEAT_TLBIOS", "stages 1 and 2, current VMID",
	     TLBI_INFO(VMALL, 1, true, true, false, OS, false)),
	TLBI_E2("RVAE2IS", 2, 1, "FEAT_TLBIRANGE", RVA, false, IS, "EL2 range by VA"),
	TLBI_E2("RVALE2IS", 2, 5, "FEAT_TLBIRANGE", RVA, true, IS, "EL2 range, last level"),
	TLBI("ALLE2IS", 4, 3, 0, NULL, "all EL2 regime entries",
	     TLBI_INFO(ALL, 2, true, false, false, IS, false)),
	TLBI_E2("VAE2IS", 3, 1, NULL, VA, false, IS, "EL2 by VA"),
	TLBI("ALLE1IS", 4, 3, 4, NULL, "all EL1&0 entries, all VMIDs, both stages",
	     TLBI_INFO(ALL, 1, true, true, false, IS, false)),
	TLBI_E2("VALE2IS", 3, 5, NULL, VA, true, IS, "EL2 by VA, last level"),
	TLBI("VMALLS12E1IS", 4, 3, 6, NULL, "stages 1 and 2, current VMID",
	     TLBI_INFO(VMALL, 1, true, true, false, IS, false)),
	TLBI_IPA("IPAS2E1OS", 4, 0, "FEAT_TLBIOS", IPA, false, OS, "stage 2 by IPA"),
	TLBI_IPA("IPAS2E1", 4, 1, NULL, IPA, false, NONE, "stage 2 by IPA"),
	TLBI_IPA("RIPAS2E1", 4, 2, "FEAT_TLBIRANGE", RIPA, false, NONE, "stage 2 range by IPA"),
	TLBI_IPA("RIPAS2E1OS", 4, 3, "FEAT_TLBIRANGE", RIPA, false, OS, "stage 2 range by IPA"),
	TLBI_IPA("IPAS2LE1OS", 4, 4, "FEAT_TLBIOS", IPA, true, OS, "stage 2 by IPA, last level"),
	TLBI_IPA("IPAS2LE1", 4, 5, NULL, IPA, true, NONE, "stage 2 by IPA, last level"),
	TLBI_IPA("RIPAS2LE1", 4, 6, "FEAT_TLBIRANGE", RIPA, true, NONE,
		 "stage 2 range by IPA, last level"),
	TLBI_IPA("RIPAS2LE1OS", 4, 7, "FEAT_TLBIRANGE", RIPA, true, OS,
		 "stage 2 range by IPA, last level"),
	TLBI_E2("RVAE2OS", 5, 1, "FEAT_TLBIRANGE", RVA, false, OS, "EL2 range by VA"),
	TLBI_E2("RVALE2OS", 5, 5, "FEAT_TLBIRANGE", RVA, true, OS, "EL2 range, last level"),
	TLBI_E2("RVAE2", 6, 1, "FEAT_TLBIRANGE", RVA, false, NONE, "EL2 range by VA"),
	TLBI_E2("RVALE2", 6, 5, "FEAT_TLBIRANGE", RVA, true, NONE, "EL2 range, last level"),
	TLBI("ALLE2", 4, 7, 0, NULL, "all EL2 regime entries",
	     TLBI_INFO(ALL, 2, true, false, false, NONE, false)),
	TLBI_E2("VAE2", 7, 1, NULL, VA, false, NONE, "EL2 by VA"),
	TLBI("ALLE1", 4, 7, 4, NULL, "all EL1&0 entries, all VMIDs, both stages",
	     TLBI_INFO(ALL, 1, true, true, false, NONE, false)),
	TLBI_E2("VALE2", 7, 5, NULL, VA, true, NONE, "EL2 by VA, last level"),
	TLBI("VMALLS12E1", 4, 7, 6, NULL, "stages 1 and 2, current VMID",
	     TLBI_INFO(VMALL, 1, true, true, false, NONE, false)),

	/* TLBI, EL3 regime (op1 = 6). */
	TLBI("ALLE3OS", 6, 1, 0, "FEAT_TLBIOS", "all EL3 entries",
	     TLBI_INFO(ALL, 3, true, false, false, OS, false)),
	TLBI_E3("VAE3OS", 1, 1, "FEAT_TLBIOS", VAA, false, OS, "EL3 by VA"),
	TLBI_E3("VALE3OS", 1, 5, "FEAT_TLBIOS", VAA, true, OS, "EL3 by VA, last level"),
	TLBI_E3("RVAE3IS", 2, 1, "FEAT_TLBIRANGE", RVAA, false, IS, "EL3 range by VA"),
	TLBI_E3("RVALE3IS", 2, 5, "FEAT_TLBIRANGE", RVAA, true, IS, "EL3 range, last level"),
	TLBI("ALLE3IS", 6, 3, 0, NULL, "all EL3 entries",
	     TLBI_INFO(ALL, 3, true, false, false, IS, false)),
	TLBI_E3("VAE3IS", 3, 1, NULL, VAA, false, IS, "EL3 by VA"),
	TLBI_E3("VALE3IS", 3, 5, NULL, VAA, true, IS, "EL3 by VA, last level"),
	TLBI_E3("RVAE3OS", 5, 1, "FEAT_TLBIRANGE", RVAA, false, OS, "EL3 range by VA"),
	TLBI_E3("RVALE3OS", 5, 5, "FEAT_TLBIRANGE", RVAA, true, OS, "EL3 range, last level"),
	TLBI_E3("RVAE3", 6, 1, "FEAT_TLBIRANGE", RVAA, false, NONE, "EL3 range by VA"),
	TLBI_E3("RVALE3", 6, 5, "FEAT_TLBIRANGE", RVAA, true, NONE, "EL3 range, last level"),
	TLBI("ALLE3", 6, 7, 0, NULL, "all EL3 entries",
	     TLBI_INFO(ALL, 3, true, false, false, NONE, false)),
	TLBI_E3("VAE3", 7, 1, NULL, VAA, false, NONE, "EL3 by VA"),
	TLBI_E3("VALE3", 7, 5, NULL, VAA, true, NONE, "EL3 by VA, last level"),

	/* AT (Arm ARM "A64 System instructions for address translation"). */
	AT("S1E1R", 0, 8, 0, NULL, 1, false, false, false, "stage 1, EL1, read"),
	AT("S1E1W", 0, 8, 1, NULL, 1, false, true, false, "stage 1, EL1, write"),
	AT("S1E0R", 0, 8, 2, NULL, 0, false, false, false, "stage 1, EL0, read"),
	AT("S1E0W", 0, 8, 3, NULL, 0, false, true, false, "stage 1, EL0, write"),
	AT("S1E1RP", 0, 9, 0, "FEAT_PAN2", 1, false, false, true, "stage 1, EL1, read, PAN"),
	AT("S1E1WP", 0, 9, 1, "FEAT_PAN2", 1, false, true, true, "stage 1, EL1, write, PAN"),
	AT("S1E2R", 4, 8, 0, NULL, 2, false, false, false, "stage 1, EL2, read"),
	AT("S1E2W", 4, 8, 1, NULL, 2, false, true, false, "stage 1, EL2, write"),
	AT("S12E1R", 4, 8, 4, NULL, 1, true, false, false, "stages 1 and 2, EL1, read"),
	AT("S12E1W", 4, 8, 5, NULL, 1, true, true, false, "stages 1 and 2, EL1, write"),
	AT("S12E0R", 4, 8, 6, NULL, 0, true, false, false, "stages 1 and 2, EL0, read"),
	AT("S12E0W", 4, 8, 7, NULL, 0, true, true, false, "stages 1 and 2, EL0, write"),
	AT("S1E3R", 6, 8, 0, NULL, 3, false, false, false, "stage 1, EL3, read"),
	AT("S1E3W", 6, 8, 1, NULL, 3, false, true, false, "stage 1, EL3, write"),

	/* DC / IC (Arm ARM "A64 System instructions for cache maintenance"). */
	CACHE("IALLUIS", 0, 1, 0, NULL, "invalidate all to PoU, Inner Shareable"),
	CACHE("IALLU", 0, 5, 0, NULL, "invalidate all to PoU"),
	CACHE("IVAU", 3, 5, 1, NULL, "invalidate by VA to PoU"),
	CACHE("IVAC", 0, 6, 1, NULL, "invalidate by VA to PoC"),
	CACHE("ISW", 0, 6, 2, NULL, "invalidate by set/way"),
	CACHE("CSW", 0, 10, 2, NULL, "clean by set/way"),
	CACHE("CISW", 0, 14, 2, NULL, "clean and invalidate by set/way"),
	CACHE("ZVA", 3, 4, 1, NULL, "zero by VA"),
	CACHE("CVAC", 3, 10, 1, NULL, "clean by VA to PoC"),
	CACHE("CVAU", 3, 11, 1, NULL, "clean by VA to PoU"),
	CACHE("CVAP", 3, 12, 1, "FEAT_DPB", "clean by VA to PoP"),
	CACHE("CIVAC", 3, 14, 1, NULL, "clean and invalidate by VA to PoC"),
};
const size_t sr_table_len = ARRAY_SIZE(sr_table);

/* ESR_ELx layouts by exception class (Arm ARM, "ISS encoding for an exception
 * from ..."); each repeats EC and IL so that one array describes the whole value. */
#define ESR_HEAD FE("EC", 26, 6, "exception class", sr_esr_ec_vals), \
	FB("IL", 25, "32-bit instruction trapped")
static const struct sr_field esr_dabt_fields[] = {
	ESR_HEAD,
	FB("ISV", 24, "ISS[23:14] hold a valid instruction syndrome"),
	F("SAS", 22, 2, "access size: 2^SAS bytes"),
	FB("SSE", 21, "load sign-extended"),
	F("SRT", 16, 5, "register transferred (Xt/Wt)"),
	FB("SF", 15, "64-bit register"),
	FB("AR", 14, "acquire/release semantics"),
	FB("VNCR", 13, "fault came from the VNCR_EL2 page (FEAT_NV2)"),
	F("SET", 11, 2, "synchronous error type (FEAT_RAS)"),
	FB("FnV", 10, "FAR is not valid"),
	FB("EA", 9, "external abort type"),
	FB("CM", 8, "cache maintenance or AT instruction"),
	FB("S1PTW", 7, "stage 2 fault on a stage 1 translation table walk"),
	FB("WnR", 6, "write (else read)"),
	FS("DFSC", 0, 6, "data fault status code"),
};
static const struct sr_field esr_iabt_fields[] = {
	ESR_HEAD,
	F("SET", 11, 2, "synchronous error type (FEAT_RAS)"),
	FB("FnV", 10, "FAR is not valid"),
	FB("EA", 9, "external abort type"),
	FB("S1PTW", 7, "stage 2 fault on a stage 1 translation table walk"),
	FS("IFSC", 0, 6, "instruction fault status code"),
};
static const struct sr_field esr_sys_fields[] = {
	ESR_HEAD,
	F("Op0", 20, 2, "op0 of the instruction"),
	F("Op2", 17, 3, "op2"),
	F("Op1", 14, 3, "op1"),
	F("CRn", 10, 4, "CRn"),
	F("Rt", 5, 5, "general-purpose register Xt"),
	F("CRm", 1, 4, "CRm"),
	FB("Direction", 0, "read (MRS or SYSL), else write (MSR or SYS)"),
};
static const struct sr_field esr_imm16_fields[] = {
	ESR_HEAD,
	F("imm16", 0, 16, "immediate of the HVC/SMC/SVC instruction"),
};
#define ESR_RES0 GENMASK(63, 32)
const struct sr_layout_alt sr_esr_layouts[] = {
	{ esr_dabt_fields, ARRAY_SIZE(esr_dabt_fields), ESR_RES0, 0 },
	{ esr_iabt_fields, ARRAY_SIZE(esr_iabt_fields),
	  ESR_RES0 | GENMASK(24, 13) | BIT(8) | BIT(6), 0 },
	{ esr_sys_fields, ARRAY_SIZE(esr_sys_fields), ESR_RES0 | GENMASK(24, 22), 0 },
	{ esr_imm16_fields, ARRAY_SIZE(esr_imm16_fields), ESR_RES0 | GENMASK(24, 16), 0 },
	{ esr_fields, ARRAY_SIZE(esr_fields), ESR_RES0, 0 },
};
const struct sr_layout_alt sr_par_fault_layout = {
	sr_par_fault_fields, ARRAY_SIZE(sr_par_fault_fields), BIT(7) | BIT(10) | GENMASK(55, 52),
	BIT(11)
};
const struct sr_layout_alt sr_vttbr_vmid16_layout = {
	vttbr_el2_vmid16_fields, ARRAY_SIZE(vttbr_el2_vmid16_fields), 0, 0
};

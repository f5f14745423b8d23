/* el2emu system-register model: one declarative table of the system registers and system
 * instructions (TLBI, AT, DC/IC) el2emu knows, their encodings, fields and RES0/RES1
 * masks, TLBI/AT semantics, and value pretty-printers. Pure C: no Unicorn, no I/O except
 * through a FILE * the caller passes. */
#ifndef EL2EMU_SYSREG_H
#define EL2EMU_SYSREG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Packed encoding: the 16-bit op0:op1:CRn:CRm:op2 operand exactly as it sits in bits [20:5]
 * of an MRS/MSR/SYS/SYSL instruction (Arm ARM "System instruction class encoding
 * overview"), so an instruction word is 0xd5000000 | L << 21 | enc << 5 | Rt.
 */
#define SR_ENC(op0, op1, crn, crm, op2)                                                    \
	((uint32_t)((((uint32_t)(op0) & 3u) << 14) | (((uint32_t)(op1) & 7u) << 11) |       \
		    (((uint32_t)(crn) & 15u) << 7) | (((uint32_t)(crm) & 15u) << 3) |        \
		    ((uint32_t)(op2) & 7u)))
#define SR_ENC_OP0(e) (((uint32_t)(e) >> 14) & 3u)
#define SR_ENC_OP1(e) (((uint32_t)(e) >> 11) & 7u)
#define SR_ENC_CRN(e) (((uint32_t)(e) >> 7) & 15u)
#define SR_ENC_CRM(e) (((uint32_t)(e) >> 3) & 15u)
#define SR_ENC_OP2(e) ((uint32_t)(e) & 7u)
#define SR_ENC_MASK 0xffffu

/* The instruction word of MRS Xt / MSR Xt (reg) or SYS / SYSL (ops) for an encoding. */
#define SR_INSN_MSR(enc, rt) (0xd5100000u | ((uint32_t)(enc) << 5) | ((uint32_t)(rt) & 31u))
#define SR_INSN_MRS(enc, rt) (0xd5300000u | ((uint32_t)(enc) << 5) | ((uint32_t)(rt) & 31u))
#define SR_INSN_SYS(enc, rt) (0xd5000000u | ((uint32_t)(enc) << 5) | ((uint32_t)(rt) & 31u))

enum sr_kind { SR_KIND_REG, SR_KIND_TLBI, SR_KIND_AT, SR_KIND_CACHE };

/* Access flags of a register (sr_desc.access). */
#define SR_ACC_R 1u
#define SR_ACC_W 2u
#define SR_ACC_RW (SR_ACC_R | SR_ACC_W)

/* How a field's value is shown by the pretty-printers. */
enum sr_fmt {
	SR_FMT_HEX,  /* plain number */
	SR_FMT_BOOL, /* one bit, name shown when set */
	SR_FMT_ENUM, /* value looked up in sr_field.values */
	SR_FMT_TSZ,  /* TnSZ: region of 2^(64 - value) bytes */
	SR_FMT_ADDR, /* an address: value << sr_field.shift */
	SR_FMT_FSC,  /* a fault status code (ESR DFSC/IFSC, PAR FST) */
	SR_FMT_PS,   /* a physical address size code (PS, IPS, PARange) */
};

struct sr_enum {
	uint64_t value;
	const char *meaning;
};

struct sr_field {
	const char *name;      /* Arm ARM field name: "T0SZ", "VMID" */
	uint8_t lsb, width;    /* bits [lsb + width - 1 : lsb] */
	const char *meaning;   /* short description */
	uint8_t fmt;           /* enum sr_fmt */
	uint8_t shift;         /* SR_FMT_ADDR: the field holds address >> shift */
	const struct sr_enum *values; /* SR_FMT_ENUM: terminated by meaning == NULL */
};

/* TLBI semantics, needed by shadow stage 2 and replay. */
enum sr_tlbi_scope {
	SR_TLBI_ALL,   /* ALLE1, ALLE2: every entry of the regime(s) */
	SR_TLBI_VMALL, /* VMALLE1 (current VMID, stage 1), VMALLS12E1 (current VMID, S1+S2) */
	SR_TLBI_ASID,  /* ASIDE1 */
	SR_TLBI_VA,    /* VAE1, VALE1, VAE2: by VA and ASID (ASID ignored for global entries) */
	SR_TLBI_VAA,   /* VAAE1: by VA, all ASIDs */
	SR_TLBI_IPA,   /* IPAS2E1: stage 2 only, by IPA, current VMID */
	SR_TLBI_RVA,   /* FEAT_TLBIRANGE: range by VA and ASID */
	SR_TLBI_RVAA,  /* range by VA, all ASIDs */
	SR_TLBI_RIPA,  /* range by IPA, stage 2 only */
};

enum sr_shareability { SR_SH_NONE, SR_SH_IS, SR_SH_OS };

struct sr_tlbi_info {
	enum sr_tlbi_scope scope;
	uint8_t regime_el; /* 1: EL1&0, 2: EL2 (or EL2&0 with HCR_EL2.E2H=1), 3: EL3 */
	bool stage1, stage2; /* which stages' entries the operation invalidates */
	bool last_level;     /* the "L" forms: only entries from the last level of the walk */
	enum sr_shareability domain;
	bool has_operand;    /* the operation takes an Xt */
};

/* Decoded Xt operand of a TLBI. */
struct sr_tlbi_operand {
	/* By-address forms: addr is the VA/IPA (an address, not >> 12) and [addr, end) one
	 * page of the hinted granule (4KB without a hint); every entry whose mapping contains
	 * addr is affected, blocks included. Range forms: [addr, end) is the whole range, and
	 * every entry that overlaps it is affected. end saturates at UINT64_MAX. */
	uint64_t addr;
	uint64_t end;
	bool has_asid;          /* VA/RVA forms carry an ASID (Xt[63:48]) */
	uint16_t asid;
	bool ns;                /* IPA forms: Xt[63], the IPA space is Non-secure */
	int8_t ttl_level;       /* level hint 0..3, or -1 for "no hint: any level" */
	uint32_t ttl_granule;   /* granule of the hint in bytes, 0 for "no hint" */
	uint32_t range_granule; /* range forms: TG granule in bytes */
	uint8_t range_num, range_scale;
	uint64_t range_pages;   /* range forms: (NUM + 1) * 2^(5 * SCALE + 1) */
};

/* AT semantics, needed by translate and replay. */
struct sr_at_info {
	uint8_t el;   /* 0, 1, 2, 3: the EL whose regime and permissions the lookup uses */
	bool stage2;  /* S12E*: stage 1 and stage 2 */
	bool write;   /* W forms check write permission, R forms read */
	bool pan;     /* S1E1RP/S1E1WP (FEAT_PAN2): honour PSTATE.PAN */
};

/* Which field layout a value uses: decoders that depend on another value. */
enum sr_layout {
	SR_LAYOUT_PLAIN,   /* fields are fixed */
	SR_LAYOUT_ESR,     /* ISS fields chosen by EC */
	SR_LAYOUT_PAR,     /* PAR_EL1: F=0 (success) or F=1 (fault) layout */
	SR_LAYOUT_E2H,     /* *_EL2 with SR_DEC_E2H: the layout of the _EL1 register of the
			    * same name (TCR_EL2, SCTLR_EL2, CPTR_EL2 -> CPACR_EL1) */
	SR_LAYOUT_VTTBR,   /* VMID is 8 bits, or 16 with SR_DEC_VMID16 */
};

struct sr_desc {
	const char *name;        /* Arm ARM spelling: "VTTBR_EL2", "IPAS2E1IS", "S12E1R" */
	uint32_t enc;            /* SR_ENC(...) */
	enum sr_kind kind;
	uint8_t access;          /* SR_ACC_*; ops (TLBI/AT/DC/IC) are write-only */
	uint8_t layout;          /* enum sr_layout */
	const char *feature;     /* architecture feature needed, NULL for ARMv8.0 */
	const char *alias_of;    /* EL12/EL02 (FEAT_VHE): the register the alias accesses */
	const char *summary;     /* one line */
	uint64_t res0, res1;     /* RES0/RES1 masks (registers; see docs/sysreg.md) */
	const struct sr_field *fields;
	size_t nfields;
	const struct sr_tlbi_info *tlbi; /* SR_KIND_TLBI */
	const struct sr_at_info *at;     /* SR_KIND_AT */
};

/* Table access. */
size_t sr_count(void);
const struct sr_desc *sr_get(size_t i);

/* Case-insensitive; accepts an optional "TLBI ", "AT ", "DC ", "IC " prefix and the
 * generic form "S3_4_C2_C1_0" (resolved to the named entry). NULL if unknown. */
const struct sr_desc *sr_find_name(const char *name);
/* is_sys: the operand of SYS/SYSL (TLBI/AT/DC/IC) rather than MRS/MSR. */
const struct sr_desc *sr_find_enc(uint32_t enc, bool is_sys);
/* "S3_4_C2_C1_0" (case-insensitive, op0 0..3, op1 0..7, C0..C15, op2 0..7) -> encoding. */
bool sr_parse_enc(const char *s, uint32_t *enc);
/* Writes "S3_4_C2_C1_0" into buf (at least SR_ENC_STR_LEN bytes). Returns buf. */
#define SR_ENC_STR_LEN 20
char *sr_enc_str(uint32_t enc, char *buf, size_t len);
/* "TLBI", "AT", "DC"/"IC" or "" for registers. */
const char *sr_kind_prefix(const struct sr_desc *d);

/* Field access. */
static inline uint64_t sr_field_get(const struct sr_field *f, uint64_t value)
{
	uint64_t v = value >> f->lsb;

	return f->width >= 64 ? v : v & ((UINT64_C(1) << f->width) - 1);
}
/* The field named name (case-insensitive) in d's fixed layout, or NULL. */
const struct sr_field *sr_field_find(const struct sr_desc *d, const char *name);

/* Options of the layout-dependent decoders. */
#define SR_DEC_E2H (1u << 0)    /* TCR/SCTLR/CPTR_EL2: HCR_EL2.E2H=1 format */
#define SR_DEC_VMID16 (1u << 1) /* VTTBR_EL2: 16-bit VMID (VTCR_EL2.VS=1) */

/* The fields that describe value under d's layout (ESR: EC, IL and the ISS fields of that
 * EC; PAR_EL1: by F; TCR_EL2: by SR_DEC_E2H). Sets *n. Never NULL for a register. */
const struct sr_field *sr_fields_for(const struct sr_desc *d, uint64_t value, unsigned flags,
				     size_t *n);
/* The RES0/RES1 masks that apply to value under d's layout (as sr_fields_for). */
void sr_masks_for(const struct sr_desc *d, uint64_t value, unsigned flags, uint64_t *res0,
		  uint64_t *res1);
/* A field's value as text ("4KB", "40 bits (1TB)", "0x70000000"): writes into buf. */
const char *sr_field_str(const struct sr_field *f, uint64_t value, char *buf, size_t len);
/* Prints every field of value (one per line), RES0/RES1 violations and derived values.
 * Returns the number of characters written, or -1 on a write error. */
int sr_print(FILE *out, const struct sr_desc *d, uint64_t value, unsigned flags);

/* Structured decoders used by other modules. */
struct sr_vttbr {
	uint16_t vmid;  /* VMID[7:0], or VMID[15:0] with SR_DEC_VMID16 */
	uint64_t baddr; /* BADDR: Xt[47:1] as an address (bits [47:1], CnP masked) */
	bool cnp;
};
void sr_vttbr_decode(uint64_t value, unsigned flags, struct sr_vttbr *out);

/* ESR_ELx exception classes el2emu produces or inspects (Arm ARM ESR_EL2). */
enum sr_esr_ec {
	SR_EC_UNKNOWN = 0x00,
	SR_EC_WFX = 0x01,
	SR_EC_SVC64 = 0x15,
	SR_EC_HVC64 = 0x16,
	SR_EC_SMC64 = 0x17,
	SR_EC_SYS64 = 0x18, /* trapped MSR, MRS or System instruction */
	SR_EC_IABT_LOW = 0x20,
	SR_EC_IABT_CUR = 0x21,
	SR_EC_PC_ALIGN = 0x22,
	SR_EC_DABT_LOW = 0x24,
	SR_EC_DABT_CUR = 0x25,
	SR_EC_SP_ALIGN = 0x26,
	SR_EC_ERET = 0x1a,
};
/* Name of an exception class ("DABT_LOW: Data Abort from a lower EL"), never NULL. */
const char *sr_esr_ec_str(unsigned ec);

/* ISS of a trapped MSR/MRS/System instruction (EC 0x18), Arm ARM. */
struct sr_esr_sys {
	uint32_t enc;  /* SR_ENC of the accessed register / operation */
	uint8_t rt;
	bool read;     /* Direction: 1 = MRS (read) */
};
/* Encodes/decodes the ISS of EC 0x18: ISS[21:20] Op0, [19:17] Op2, [16:14] Op1,
 * [13:10] CRn, [9:5] Rt, [4:1] CRm, [0] Direction. */
uint32_t sr_esr_sys_iss(const struct sr_esr_sys *s);
void sr_esr_sys_decode(uint32_t iss, struct sr_esr_sys *out);

/* TLBI / AT. */
/* Decodes Xt for op; false (and *out zeroed) if op takes no operand or the range form's
 * TG is the reserved 0b00, for which the range is not valid: the caller decides (no entry
 * need be invalidated; invalidating the whole scope is also safe). */
bool sr_tlbi_decode(const struct sr_tlbi_info *op, uint64_t xt, struct sr_tlbi_operand *out);
/* Prints the decoded operand of a TLBI, as `el2emu sysreg decode IPAS2E1IS XT` shows it. */
int sr_tlbi_print(FILE *out, const struct sr_desc *d, uint64_t xt);

#endif

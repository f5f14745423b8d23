/* el2emu shadow_s2: shadow stage-2 tables for nested virtualization (pure C, no I/O).
 *
 * The guest hypervisor (L1) maps L2 IPA -> L1 IPA with its virtual VTTBR_EL2/VTCR_EL2; the
 * host maps L1 IPA -> host PA. A shadow context holds a real VMSAv8-64 stage-2 table (4K
 * granule, 48-bit IPA, start level 0) mapping L2 IPA -> host PA, filled one leaf at a time
 * on a miss and invalidated exactly as a TLB would be. See docs/shadow-s2.md.
 *
 * Every entry point takes guest-controlled values (registers, tables, TLBI operands) and
 * answers with an architectural fault or an error value; none aborts, and memory stays
 * within the bounds of struct s2_config whatever the guest does.
 */
#ifndef EL2EMU_SHADOW_S2_H
#define EL2EMU_SHADOW_S2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "el2emu/translate.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Table pages: 4 KiB, zeroed, 4 KiB aligned; *pa is where the CPU's MMU sees the page. */
struct s2_page_ops {
	void *(*alloc)(void *ctx, uint64_t *pa);	/* NULL when out of memory */
	void (*free)(void *ctx, void *page, uint64_t pa);
	void *ctx;
};

/* A malloc-backed page allocator for tests and replay: PAs are synthetic, handed out
 * upward from base_pa (4 KiB aligned) and never reused while a page is live. */
struct s2_malloc_pages {
	uint64_t next_pa;
	size_t live;		/* pages currently allocated */
	size_t limit;		/* 0: no limit; otherwise alloc fails beyond it (tests) */
};
void s2_malloc_pages_init(struct s2_malloc_pages *mp, uint64_t base_pa, size_t limit,
			  struct s2_page_ops *ops);

/* Permission bits (shadow leaves, host mappings): the TR_PERM_* of translate.h. */
#define S2_PERM_ALL (TR_PERM_R0 | TR_PERM_W0 | TR_PERM_X0 | TR_PERM_R1 | TR_PERM_W1 | TR_PERM_X1)

/* The host's stage 2 for L1 (L1 IPA -> host PA). */
struct s2_host_map {
	uint64_t ipa;		/* [ipa, ipa + size) is mapped contiguously ... */
	uint64_t pa;		/* ... at [pa, pa + size) */
	uint64_t size;
	uint8_t perms;		/* TR_PERM_* the host grants there */
};
struct s2_host_ops {
	/* The mapped range around ipa (any extent containing ipa; larger ranges allow larger
	 * shadow blocks). false: the host maps nothing at ipa. */
	bool (*lookup)(void *ctx, uint64_t ipa, struct s2_host_map *out);
	/* The 64-bit little-endian word at an L1 IPA the host maps; false: not backed. */
	bool (*read64)(void *ctx, uint64_t ipa, uint64_t *val);
	/* May be NULL (then no hardware AF/dirty update of guest tables is possible). */
	bool (*cas64)(void *ctx, uint64_t ipa, uint64_t expected, uint64_t desired,
		      uint64_t *seen);
	void *ctx;
};

struct s2_config {
	unsigned max_contexts;		/* pool size (default 8) */
	unsigned max_pages_ctx;		/* table pages per context, root included (>= 4) */
	unsigned max_pages_total;	/* table pages in all contexts */
	unsigned max_leaves;		/* installed leaves in all contexts */
	uint16_t first_vmid;		/* real VMIDs: first_vmid + slot (must fit 16 bits) */
	bool vmid16;			/* FEAT_VMID16: VTCR_EL2.VS selects 16 bits */
};
void s2_config_default(struct s2_config *cfg);

/* The key of a shadow context (what the virtual registers select). */
struct s2_key {
	bool s2_on;		/* virtual HCR_EL2.VM */
	uint16_t vmid;		/* virtual VMID, 8 or 16 bits per VTCR_EL2.VS */
	uint64_t vttbr;		/* VM=1: VTTBR_EL2 with CnP cleared; VM=0: 0 */
	uint64_t vtcr;		/* VM=1: VTCR_EL2; VM=0: 0 */
};
void s2_key_from_regs(const struct s2_config *cfg, const struct tr_sysregs *regs,
		      struct s2_key *key);

struct s2_stats {
	uint64_t contexts_created, context_hits, contexts_evicted;
	uint64_t fills, hits, refills;	/* refill: a hit lacking the permission */
	uint64_t guest_faults, host_misses, errors;
	uint64_t leaves_dropped_tlbi, leaves_dropped_host, leaves_dropped_pressure;
	uint64_t tlbi[9];		/* per enum s2_tlbi_kind */
	uint64_t host_remaps;
	uint64_t cpu_tlb_flushes;	/* times the CPU's TLB must be flushed (s2_take_flush) */
	uint64_t pages_live, pages_peak, leaves_live, leaves_peak;
};

struct s2_mmu;
struct s2_mmu *s2_create(const struct s2_config *cfg, const struct tr_features *feat,
			 const struct s2_page_ops *pages, const struct s2_host_ops *host);
void s2_destroy(struct s2_mmu *mmu);
const struct s2_stats *s2_stats(const struct s2_mmu *mmu);

/* What the CPU needs to run L2 on the loaded context. */
struct s2_ctx_info {
	int slot;
	struct s2_key key;
	uint16_t real_vmid;
	uint64_t root_pa;
	uint64_t vttbr;		/* real VTTBR_EL2: real VMID | root */
	uint64_t vtcr;		/* real VTCR_EL2: 4K, T0SZ=16, SL0 level 0, PS 48 bits */
	unsigned pages, leaves;
};

/* Select (creating on a miss, evicting the least recently used unloaded context when the
 * pool is full) and load the context for the virtual registers. Returns the slot, or -1
 * only when the allocator cannot give a root page. */
int s2_load(struct s2_mmu *mmu, const struct tr_sysregs *regs);
void s2_put(struct s2_mmu *mmu);
bool s2_ctx_info(const struct s2_mmu *mmu, int slot, struct s2_ctx_info *info);
/* true once when the CPU's TLB must be flushed (a leaf was dropped or changed, a slot and
 * its real VMID were reused, or a stage-1 TLBI ran); clears the flag. */
bool s2_take_flush(struct s2_mmu *mmu);

/* The result of a stage-2 access through the shadow. */
enum s2_outcome {
	S2_OK,		/* pa/l1_ipa valid */
	S2_GUEST_FAULT,	/* the guest's stage 2 faults: inject into virtual EL2 */
	S2_HOST_MISS,	/* the host maps no memory at host_ipa (MMIO or error), or forbids */
	S2_ERROR,	/* el2emu could not proceed (allocation); nothing was changed */
};
struct s2_vfault {
	struct tr_fault f;	/* stage2=true, level, ipa, s1ptw, write */
	uint8_t fsc;		/* DFSC/IFSC */
	uint64_t esr;		/* ESR_EL2: EC (data/instruction abort, lower EL), IL, ISS */
	uint64_t far;		/* FAR_EL2: the VA given in the request */
	uint64_t hpfar;		/* HPFAR_EL2: FIPA = ipa[51:12] at bits [43:4] */
};
struct s2_result {
	enum s2_outcome outcome;
	bool hit;		/* served by an installed leaf, no walk */
	uint64_t pa, l1_ipa;
	uint8_t perms;		/* the leaf's TR_PERM_* */
	int8_t level;		/* shadow leaf level (1..3), -1 when not installed */
	int8_t guest_level;	/* the guest leaf level, -1 with the guest stage 2 off */
	struct s2_vfault vf;	/* S2_GUEST_FAULT */
	uint64_t host_ipa;	/* S2_HOST_MISS: the L1 IPA */
	bool host_perm;		/* S2_HOST_MISS: mapped but the host forbids the access */
	bool host_walk;		/* S2_HOST_MISS: on a read of the guest's stage-2 tables */
};

struct s2_req {
	uint64_t ipa;		/* L2 IPA */
	enum tr_acc_type type;
	uint8_t el;		/* 0 or 1: the nested guest's EL (execute permission) */
	bool s1ptw;		/* a stage-1 table access (READ; WRITE for a hardware update) */
	bool fetch;		/* part of an instruction fetch (ESR_EL2.EC 0x20, not 0x24) */
	uint64_t va;		/* reported in FAR_EL2 */
};

/* Translate one L2 IPA through the loaded context (s2_load first): hit, or miss -> walk
 * the guest stage 2 and the host stage 2 and install one leaf (prepare, then commit).
 * walk_log, when not NULL, receives the guest stage-2 descriptor reads of a miss. */
enum s2_outcome s2_translate(struct s2_mmu *mmu, const struct s2_req *req,
			     struct s2_result *res, struct tr_walk_log *walk_log);

/* A nested guest's access (trace record `access`): stage 1 of EL1&0 (its table reads and
 * its output through the shadow), loading the context for regs first. */
enum s2_access_outcome {
	S2A_OK, S2A_S1_FAULT, S2A_S2_FAULT, S2A_S2PTW_FAULT, S2A_HOST, S2A_ERROR,
};
struct s2_access_result {
	enum s2_access_outcome outcome;
	uint64_t pa;		/* S2A_OK */
	uint8_t fsc;		/* faults */
	uint64_t ipa;		/* s2 faults: page of the faulting IPA; S2A_HOST: L1 IPA */
	struct tr_fault fault;	/* the stage-1 or stage-2 fault as the walker reports it */
	struct s2_vfault vf;	/* stage-2 faults: what virtual EL2 gets */
};
enum s2_access_outcome s2_access(struct s2_mmu *mmu, const struct tr_sysregs *regs,
				 enum tr_acc_type type, uint8_t el, uint64_t va,
				 struct s2_access_result *out);

/* TLB maintenance by the guest hypervisor (executed at virtual EL2). */
enum s2_tlbi_kind {
	S2_TLBI_VMALLS12E1,	/* {,IS,OS}: everything of the current virtual VMID */
	S2_TLBI_IPAS2E1,	/* {,IS,OS}: one IPA, stage 2 */
	S2_TLBI_IPAS2LE1,	/* {,IS,OS}: one IPA, last level */
	S2_TLBI_RIPAS2E1,	/* {,IS,OS}: an IPA range (FEAT_TLBIRANGE) */
	S2_TLBI_RIPAS2LE1,	/* {,IS,OS}: an IPA range, last level */
	S2_TLBI_ALLE1,		/* {,IS,OS}: every VMID */
	S2_TLBI_STAGE1,		/* VMALLE1, VAE1, ASIDE1...: shadow kept, CPU TLB flushed */
	S2_TLBI_OTHER,		/* EL2/EL3 regimes: no effect on the shadow */
	S2_TLBI_INVALID,	/* a reserved operand (e.g. range TG=0): nothing required */
	S2_TLBI_KINDS
};
struct s2_tlbi {
	enum s2_tlbi_kind kind;
	uint64_t start, end;	/* IPA range [start, end) (IPAS2*: the page) */
	int8_t ttl_level;	/* -1: no hint */
	uint32_t ttl_gran;	/* granule of the TTL hint in bytes; 0 with no hint */
};
const char *s2_tlbi_kind_name(enum s2_tlbi_kind k);
/* The shadow's view of a TLBI (d: a sysreg table entry, xt: its operand, decoded by
 * sr_tlbi_decode). false when d is not a TLBI. */
struct sr_desc;
bool s2_tlbi_from_sysreg(const struct sr_desc *d, uint64_t xt, struct s2_tlbi *op);
/* The same by name (case-insensitive, as the sysreg table spells it: "IPAS2E1IS"): the kind,
 * or -1 when the name is no TLBI. */
int s2_tlbi_kind_from_name(const char *name);
/* Decode Xt for a kind (any of its IS/OS/nXS forms decodes alike). */
void s2_tlbi_decode(enum s2_tlbi_kind kind, uint64_t xt, struct s2_tlbi *op);
/* Apply to every context whose virtual VMID is the current one of regs (ALLE1: all).
 * Returns the number of shadow leaves dropped. */
unsigned s2_tlbi(struct s2_mmu *mmu, const struct tr_sysregs *regs, const struct s2_tlbi *op);

/* The host changed (remapped or unmapped) its stage 2 for L1 IPAs [ipa, ipa + size): drop
 * exactly the shadow leaves whose output lies there, in every context. Returns the count. */
unsigned s2_host_changed(struct s2_mmu *mmu, uint64_t ipa, uint64_t size);

/* Audit: re-derive every installed leaf from the current guest and host tables. */
enum s2_audit_verdict {
	S2_AUDIT_STALE_ALLOWED,	/* differs, but no TLBI covering it ran since the fill */
	S2_AUDIT_STALE_BUG,	/* differs although a TLBI covering it ran after the fill */
	S2_AUDIT_HOST_STALE,	/* the host mapping changed without s2_host_changed() */
};
struct s2_audit_finding {
	enum s2_audit_verdict verdict;
	int slot;
	uint64_t ipa, size, pa, l1_ipa;
	const char *why;
};
struct s2_audit_report {
	unsigned checked, stale_allowed, stale_bug, host_stale;
};
void s2_audit(struct s2_mmu *mmu, void (*cb)(void *arg, const struct s2_audit_finding *f),
	      void *arg, struct s2_audit_report *rep);

/* Visit every installed leaf of a context in IPA order (dump, teaching, tests). */
struct s2_leaf_info {
	uint64_t ipa, size, pa, l1_ipa, desc;
	int8_t level, guest_level;
	uint8_t perms;
};
void s2_for_each_leaf(const struct s2_mmu *mmu, int slot,
		      void (*cb)(void *arg, const struct s2_leaf_info *leaf), void *arg);
/* Read a word of the shadow tables by the PA the CPU sees (to walk them with translate). */
bool s2_table_read64(const struct s2_mmu *mmu, uint64_t pa, uint64_t *val);

#ifdef __cplusplus
}
#endif

#endif /* EL2EMU_SHADOW_S2_H */

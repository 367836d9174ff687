/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel-side helpers shared by the bpf/ tools. Include after vmlinux.h.
 *
 * Every bam_dmux tracepoint's first argument is the bam-dmux platform
 * device. Programs read their arguments from the raw u64 context array,
 * which has the same layout for tp_btf (module BTF present) and raw_tp
 * (fallback), so DMUX_PROBE() defines both flavours around one handler and
 * user space enables one of them before load (see trace_helpers.c).
 */
#ifndef DMUX_COMMON_BPF_H
#define DMUX_COMMON_BPF_H

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#define BAM_DMUX_WIRE_NO_TYPES
#include "bam_dmux_wire.h"
#include "dmux.h"

_Static_assert(DMUX_NUM_CH == BAM_DMUX_NUM_CH, "channel count");

/* -d DEV: only this device ("bam-dmux.0"); empty for all */
const volatile char targ_dev[DMUX_NAME_LEN] = {};

/* device name -> slot in the tool's per-device arrays */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, DMUX_MAX_DEVS);
	__type(key, struct dmux_name);
	__type(value, __u32);
} devs SEC(".maps");

/* slots handed out so far (may run past DMUX_MAX_DEVS: those are ignored) */
__u32 dmux_nr_devs = 0;

#define DMUX_PROBE(tp, handler)						\
SEC("tp_btf/" #tp)							\
int tp##_btf(__u64 *ctx) { return handler(ctx); }			\
SEC("raw_tp/" #tp)							\
int tp##_raw(__u64 *ctx) { return handler(ctx); }

#define DMUX_ARG_DEV(ctx)	((const struct device *)(ctx)[0])

static __always_inline bool dmux_name_eq(const char *a,
					 const volatile char *b)
{
	int i;

	for (i = 0; i < DMUX_NAME_LEN; i++) {
		if (a[i] != b[i])
			return false;
		if (!a[i])
			return true;
	}
	return true;
}

/*
 * Slot of @dev in the per-device arrays, or -1 when it is filtered out
 * (-d) or there are more devices than slots. Callers still bound-check the
 * result before indexing, for the verifier.
 */
static __always_inline int dmux_dev_slot(const struct device *dev)
{
	struct dmux_name key = {};
	const char *name;
	__u32 *slot, n;

	name = BPF_CORE_READ(dev, kobj.name);
	if (!name || bpf_probe_read_kernel_str(key.name, sizeof(key.name), name) < 0)
		return -1;
	if (targ_dev[0] && !dmux_name_eq(key.name, targ_dev))
		return -1;

	slot = bpf_map_lookup_elem(&devs, &key);
	if (slot)
		return *slot;

	n = __sync_fetch_and_add(&dmux_nr_devs, 1);
	if (n >= DMUX_MAX_DEVS)
		return -1;
	if (bpf_map_update_elem(&devs, &key, &n, BPF_NOEXIST)) {
		/* another CPU added it first: use its slot, lose ours */
		slot = bpf_map_lookup_elem(&devs, &key);
		return slot ? (int)*slot : -1;
	}
	return n;
}

/* floor(log2(v)), 0 for v <= 1 */
static __always_inline __u32 dmux_log2(__u64 v)
{
	__u32 r = 0;

	if (v >> 32) { v >>= 32; r += 32; }
	if (v >> 16) { v >>= 16; r += 16; }
	if (v >> 8) { v >>= 8; r += 8; }
	if (v >> 4) { v >>= 4; r += 4; }
	if (v >> 2) { v >>= 2; r += 2; }
	if (v >> 1) r += 1;
	return r;
}

static __always_inline void dmux_hist_add(__u64 *slots, __u64 v)
{
	__u32 s = dmux_log2(v);

	if (s >= DMUX_HIST_SLOTS)
		s = DMUX_HIST_SLOTS - 1;
	__sync_fetch_and_add(&slots[s], 1);
}

#define DMUX_SLOT_OK(s)	((s) >= 0 && (s) < DMUX_MAX_DEVS)

#endif /* DMUX_COMMON_BPF_H */

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel-side helpers shared by the bpf/ tools. Include after vmlinux.h.
 *
 * Every tool source NAME.bpf.c is compiled twice:
 *
 * - NAME.bpf.o: each handler as SEC("tp_btf/...") and SEC("raw_tp/..."),
 *   reading the tracepoint's TP_PROTO arguments from the u64 context array
 *   (the same layout for both flavours; user space enables one before
 *   load). The first argument is the bam-dmux platform device; its name is
 *   read with CO-RE, so this object needs the kernel's BTF.
 * - NAME.tp.bpf.o (-DDMUX_TRACEFS): each handler as a classic
 *   SEC("tracepoint/bam_dmux/...") program reading the recorded fields
 *   (dmux_trace_rec.h) and the recorded device name. No CO-RE: it loads on
 *   a kernel without BTF.
 *
 * A tool writes each handler once, as fn(slot, arguments...), and names
 * the events it wants with the DMUX_ON_*() macros below, which expand to
 * the programs of the object being built.
 */
#ifndef DMUX_COMMON_BPF_H
#define DMUX_COMMON_BPF_H

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#define BAM_DMUX_WIRE_NO_TYPES
#include "bam_dmux_wire.h"
#include "dmux.h"
#include "dmux_trace_rec.h"

_Static_assert(DMUX_NUM_CH == BAM_DMUX_NUM_CH, "channel count");

const volatile struct dmux_cfg dmux_cfg = {
	.ch = -1,
};

/* device name -> slot in the tool's per-device arrays */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, DMUX_MAX_DEVS);
	__type(key, struct dmux_name);
	__type(value, __u32);
} devs SEC(".maps");

/*
 * State of the programs only, kept out of .bss (which holds the tool's
 * counters alone): the slots handed out so far (may run past
 * DMUX_MAX_DEVS: those are ignored) and the device cache.
 */
__u32 dmux_nr_devs SEC(".data.dmux") = 0;

#define DMUX_SLOT_OK(s)	((s) >= 0 && (s) < DMUX_MAX_DEVS)

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
 * Slot of the device named @key, handing out a new one the first time;
 * -1 when it is filtered out (-d) or there are more devices than slots.
 */
static __always_inline int dmux_name_slot(const struct dmux_name *key)
{
	__u32 *slot, n;

	if (dmux_cfg.dev[0] && !dmux_name_eq(key->name, dmux_cfg.dev))
		return -1;

	slot = bpf_map_lookup_elem(&devs, key);
	if (slot)
		return *slot;

	n = __sync_fetch_and_add(&dmux_nr_devs, 1);
	if (n >= DMUX_MAX_DEVS)
		return -1;
	if (bpf_map_update_elem(&devs, key, &n, BPF_NOEXIST)) {
		/* another CPU added it first: use its slot, lose ours */
		slot = bpf_map_lookup_elem(&devs, key);
		return slot ? (int)*slot : -1;
	}
	return n;
}

#ifdef DMUX_TRACEFS

/* the slot of the device named in a record (tracefs: no pointer to cache) */
static __always_inline int dmux_rec_slot(void *rec, __u32 loc)
{
	struct dmux_name key = {};

	if (bpf_probe_read_kernel_str(key.name, sizeof(key.name),
				      rec + DMUX_LOC_OFFSET(loc)) < 0)
		return -1;
	return dmux_name_slot(&key);
}

#define DMUX_EVENT(tp, rec_t, call_btf, call_rec)			\
SEC("tracepoint/bam_dmux/" #tp)						\
int tp##_tp(struct rec_t *rec)						\
{									\
	int s = dmux_rec_slot(rec, rec->dev);				\
									\
	if (!DMUX_SLOT_OK(s))						\
		return 0;						\
	return call_rec;						\
}

#else /* tp_btf and raw_tp */

/* struct dmux_dev_cache in dmux.h */
struct dmux_dev_cache dmux_cache[DMUX_CACHE_ENTRIES] SEC(".data.dmux") = {};

/* the name of @dev (CO-RE), then its slot by name */
static __noinline int dmux_dev_slot_slow(const struct device *dev)
{
	struct dmux_name key = {};
	const char *name;

	name = BPF_CORE_READ(dev, kobj.name);
	if (!name || bpf_probe_read_kernel_str(key.name, sizeof(key.name), name) < 0)
		return -1;
	return dmux_name_slot(&key);
}

static __always_inline int dmux_cache_value(int s)
{
	return DMUX_SLOT_OK(s) ? s + 1 : (int)DMUX_CACHE_SKIP;
}

/* slot of @dev: the cache first, the name when it is not there yet */
static __always_inline int dmux_dev_slot(const struct device *dev)
{
	__u64 key = (__u64)(long)dev;
	__u32 v;
	int i, s;

	for (i = 0; i < DMUX_CACHE_ENTRIES; i++) {
		struct dmux_dev_cache *c = &dmux_cache[i];

		if (c->dev == key) {
			v = c->slot;
			if (v == DMUX_CACHE_SKIP)
				return -1;
			if (v)
				return v - 1;
			/* being filled on another CPU */
			return dmux_dev_slot_slow(dev);
		}
		if (c->dev)
			continue;
		/* a free entry: claim it for @dev, unless another CPU did */
		if (__sync_val_compare_and_swap(&c->dev, 0, key) != 0) {
			if (c->dev == key)
				return dmux_dev_slot_slow(dev);
			continue;
		}
		s = dmux_dev_slot_slow(dev);
		c->slot = dmux_cache_value(s);
		return s;
	}
	return dmux_dev_slot_slow(dev);
}

#define DMUX_EVENT(tp, rec_t, call_btf, call_rec)			\
static __always_inline int tp##_handle(__u64 *ctx)			\
{									\
	int s = dmux_dev_slot((const struct device *)ctx[0]);		\
									\
	if (!DMUX_SLOT_OK(s))						\
		return 0;						\
	return call_btf;						\
}									\
SEC("tp_btf/" #tp)							\
int tp##_btf(__u64 *ctx) { return tp##_handle(ctx); }			\
SEC("raw_tp/" #tp)							\
int tp##_raw(__u64 *ctx) { return tp##_handle(ctx); }

#endif /* DMUX_TRACEFS */

/*
 * The events, by TP_PROTO; @fn is called as fn(slot, arguments after dev).
 * ctx[] holds the TP_PROTO arguments, rec the recorded fields.
 */

/* bam_dmux_rx, bam_dmux_tx_defer(dev, u8 ch, u32 len) */
#define DMUX_ON_FRAME(tp, fn)						\
	DMUX_EVENT(tp, dmux_rec_frame,					\
		   fn(s, (__u8)ctx[1], (__u32)ctx[2]),			\
		   fn(s, rec->ch, rec->len))

/* bam_dmux_rx_batch(dev, u8 ch, u32 packets, u32 bytes) */
#define DMUX_ON_RX_BATCH(fn)						\
	DMUX_EVENT(bam_dmux_rx_batch, dmux_rec_rx_batch,		\
		   fn(s, (__u8)ctx[1], (__u32)ctx[2], (__u32)ctx[3]),	\
		   fn(s, rec->ch, rec->packets, rec->bytes))

/* bam_dmux_rx_poll(dev, int budget, int done, u32 posted) */
#define DMUX_ON_RX_POLL(fn)						\
	DMUX_EVENT(bam_dmux_rx_poll, dmux_rec_rx_poll,			\
		   fn(s, (int)ctx[1], (int)ctx[2], (__u32)ctx[3]),	\
		   fn(s, rec->budget, rec->done, rec->posted))

/* bam_dmux_rx_refill, bam_dmux_tx_done/abort/stop/wake(dev, u32 count) */
#define DMUX_ON_RING(tp, fn)						\
	DMUX_EVENT(tp, dmux_rec_ring,					\
		   fn(s, (__u32)ctx[1]),				\
		   fn(s, rec->count))

/* bam_dmux_rx_drop(dev, u8 ch, u32 reason) */
#define DMUX_ON_RX_DROP(fn)						\
	DMUX_EVENT(bam_dmux_rx_drop, dmux_rec_rx_drop,			\
		   fn(s, (__u8)ctx[1], (__u32)ctx[2]),			\
		   fn(s, rec->ch, rec->reason))

/* bam_dmux_tx(dev, u8 ch, u32 len, u32 in_flight) */
#define DMUX_ON_TX(fn)							\
	DMUX_EVENT(bam_dmux_tx, dmux_rec_tx,				\
		   fn(s, (__u8)ctx[1], (__u32)ctx[2], (__u32)ctx[3]),	\
		   fn(s, rec->ch, rec->len, rec->in_flight))

/* bam_dmux_tx_cmd(dev, u8 ch, u8 cmd, u32 in_flight) */
#define DMUX_ON_TX_CMD(fn)						\
	DMUX_EVENT(bam_dmux_tx_cmd, dmux_rec_tx_cmd,			\
		   fn(s, (__u8)ctx[1], (__u8)ctx[2], (__u32)ctx[3]),	\
		   fn(s, rec->ch, rec->cmd, rec->in_flight))

/* bam_dmux_pc_vote, bam_dmux_pc_remote(dev, bool on) */
#define DMUX_ON_POWER(tp, fn)						\
	DMUX_EVENT(tp, dmux_rec_power,					\
		   fn(s, (__u8)ctx[1] != 0),				\
		   fn(s, rec->on != 0))

/* bam_dmux_pc_ack(dev) */
#define DMUX_ON_PC_ACK(fn)						\
	DMUX_EVENT(bam_dmux_pc_ack, dmux_rec_pc_ack, fn(s), fn(s))

/* bam_dmux_wake(dev, u64 latency_ns, int result) */
#define DMUX_ON_WAKE(fn)						\
	DMUX_EVENT(bam_dmux_wake, dmux_rec_wake,			\
		   fn(s, ctx[1], (int)ctx[2]),				\
		   fn(s, rec->latency_ns, rec->result))

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

/*
 * Record @v in the extremes of the interval @epoch (struct dmux_extreme in
 * dmux.h). Not atomic: concurrent updates may lose an extreme, never
 * invent one.
 */
static __always_inline void dmux_extreme_add(struct dmux_extreme ext[2],
					     __u64 epoch, __u64 v)
{
	struct dmux_extreme *e = &ext[epoch & 1];

	if (e->epoch != DMUX_EXTREME_TAG(epoch)) {
		e->min = v;
		e->max = v;
		e->epoch = DMUX_EXTREME_TAG(epoch);
		return;
	}
	if (v < e->min)
		e->min = v;
	if (v > e->max)
		e->max = v;
}

#endif /* DMUX_COMMON_BPF_H */

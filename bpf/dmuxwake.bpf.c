// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmuxwake: wake latency from the host's pc=1 vote to a ready data path
 * (bam_dmux_wake), TX deferral while suspended (bam_dmux_tx_defer until
 * the next bam_dmux_tx), and the modem's own power-ups (bam_dmux_pc_remote
 * while the host's vote, from bam_dmux_pc_vote, is off).
 */
#include "vmlinux.h"
#include "dmux_common.bpf.h"
#include "dmuxwake.h"

#define ETIMEDOUT 110

/* -m: histograms in milliseconds instead of microseconds */
const volatile bool targ_ms = false;

struct wake_counters counters[DMUX_MAX_DEVS] = {};
struct wake_gauges gauges[DMUX_MAX_DEVS] = {};

struct wake_state state[DMUX_MAX_DEVS] = {};

#define WAKE_SLOT(ctx, s)						\
	int s = dmux_dev_slot(DMUX_ARG_DEV(ctx));			\
	if (!DMUX_SLOT_OK(s))						\
		return 0;

static __always_inline __u64 to_unit(__u64 ns)
{
	return targ_ms ? ns / 1000000 : ns / 1000;
}

/* bam_dmux_wake(dev, u64 latency_ns, int result) */
static __always_inline int handle_wake(__u64 *ctx)
{
	__u64 ns = ctx[1];
	int result = (int)ctx[2];
	struct wake_counters *c;
	struct wake_gauges *g;
	WAKE_SLOT(ctx, s);

	c = &counters[s];
	g = &gauges[s];
	if (result == -ETIMEDOUT) {
		__sync_fetch_and_add(&c->timeouts, 1);
		return 0;
	}
	if (result) {
		__sync_fetch_and_add(&c->errors, 1);
		return 0;
	}
	__sync_fetch_and_add(&c->wakes, 1);
	__sync_fetch_and_add(&c->wake_ns, ns);
	dmux_hist_add(c->wake_hist, to_unit(ns));
	/* wakes of one device are serialized: no race here */
	if (ns < g->wake_min_ns)
		g->wake_min_ns = ns;
	if (ns > g->wake_max_ns)
		g->wake_max_ns = ns;
	return 0;
}

/* bam_dmux_tx_defer(dev, u8 ch, u32 len) */
static __always_inline int handle_tx_defer(__u64 *ctx)
{
	WAKE_SLOT(ctx, s);

	__sync_fetch_and_add(&counters[s].deferred, 1);
	__sync_val_compare_and_swap(&state[s].defer_start_ns, 0,
				    bpf_ktime_get_ns());
	return 0;
}

/* bam_dmux_tx(dev, u8 ch, u32 len, u32 in_flight): ends a deferral */
static __always_inline int handle_tx(__u64 *ctx)
{
	__u64 start;
	WAKE_SLOT(ctx, s);

	start = state[s].defer_start_ns;
	if (!start)
		return 0;
	if (__sync_val_compare_and_swap(&state[s].defer_start_ns, start, 0) != start)
		return 0;
	__sync_fetch_and_add(&counters[s].defer_waits, 1);
	dmux_hist_add(counters[s].defer_hist, to_unit(bpf_ktime_get_ns() - start));
	return 0;
}

/* bam_dmux_pc_vote(dev, bool on) */
static __always_inline int handle_pc_vote(__u64 *ctx)
{
	bool on = (__u8)ctx[1];
	WAKE_SLOT(ctx, s);

	state[s].vote = on;
	__sync_fetch_and_add(on ? &counters[s].votes_on : &counters[s].votes_off, 1);
	return 0;
}

/* bam_dmux_pc_ack(dev) */
static __always_inline int handle_pc_ack(__u64 *ctx)
{
	WAKE_SLOT(ctx, s);

	__sync_fetch_and_add(&counters[s].acks, 1);
	return 0;
}

/* bam_dmux_pc_remote(dev, bool on) */
static __always_inline int handle_pc_remote(__u64 *ctx)
{
	bool on = (__u8)ctx[1];
	WAKE_SLOT(ctx, s);

	if (!on) {
		__sync_fetch_and_add(&counters[s].remote_down, 1);
		return 0;
	}
	__sync_fetch_and_add(&counters[s].remote_up, 1);
	if (state[s].vote == 0)
		__sync_fetch_and_add(&counters[s].remote_wakes, 1);
	return 0;
}

DMUX_PROBE(bam_dmux_wake, handle_wake)
DMUX_PROBE(bam_dmux_tx_defer, handle_tx_defer)
DMUX_PROBE(bam_dmux_tx, handle_tx)
DMUX_PROBE(bam_dmux_pc_vote, handle_pc_vote)
DMUX_PROBE(bam_dmux_pc_ack, handle_pc_ack)
DMUX_PROBE(bam_dmux_pc_remote, handle_pc_remote)

char LICENSE[] SEC("license") = "GPL";

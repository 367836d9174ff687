// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmuxring: ring occupancy. TX: descriptors in flight at each submit
 * (bam_dmux_tx), ring full (bam_dmux_tx_stop), woken (bam_dmux_tx_wake),
 * completions (bam_dmux_tx_done).
 *
 * RX: how many buffers were still posted to the DMA engine when a NAPI
 * poll had taken its completed frames, before it refilled the ring: zero
 * means every posted buffer had been filled, the ring ran empty and the
 * modem had to hold its frames. The driver's poll takes @done frames,
 * refills (bam_dmux_rx_refill with the new level) and then reports
 * bam_dmux_rx_poll with the level after the refill, so the level left is
 * the one before that refill minus @done; with no refill in the poll, the
 * last level minus @done.
 */
#include "vmlinux.h"
#include "dmux_common.bpf.h"
#include "dmuxring.h"

struct ring_counters counters[DMUX_MAX_DEVS] = {};
struct ring_gauges gauges[DMUX_MAX_DEVS] = {};
/* polls and refills of one device are serialized (NAPI, rx lock) */
struct ring_state state[DMUX_MAX_DEVS] = {};

#define RING_SLOT(ctx, s)						\
	int s = dmux_dev_slot(DMUX_ARG_DEV(ctx));			\
	if (!DMUX_SLOT_OK(s))						\
		return 0;

/* racy on purpose: these are indications, not counts */
static __always_inline void set_min(__u64 *p, __u64 v)
{
	if (v < *p)
		*p = v;
}

static __always_inline void set_max(__u64 *p, __u64 v)
{
	if (v > *p)
		*p = v;
}

/* bam_dmux_rx_poll(dev, int budget, int done, u32 posted) */
static __always_inline int handle_rx_poll(__u64 *ctx)
{
	int done = (int)ctx[2];
	__u32 posted = (__u32)ctx[3];
	struct ring_state *rs;
	__u32 before;
	long left;
	RING_SLOT(ctx, s);

	rs = &state[s];
	__sync_fetch_and_add(&counters[s].polls, 1);
	gauges[s].rx_posted = posted;
	gauges[s].seen = 1;
	if (done < 0)
		done = 0;
	before = done && rs->refilled ? rs->prev : rs->cur;
	if (!rs->known || (done && rs->refilled && rs->known < 2)) {
		/* the level before this poll's refill is not known yet */
		__sync_fetch_and_add(&counters[s].rx_unknown, 1);
	} else {
		left = (long)before - done;
		if (left < 0)
			left = 0;
		if (!left)
			__sync_fetch_and_add(&counters[s].rx_empty, 1);
		dmux_hist_add(counters[s].rx_posted_hist, left);
		set_min(&gauges[s].rx_posted_min, left);
	}
	rs->cur = posted;
	rs->refilled = 0;
	if (rs->known)
		rs->known = 2;
	return 0;
}

/* bam_dmux_rx_refill(dev, u32 count): count buffers now posted */
static __always_inline int handle_rx_refill(__u64 *ctx)
{
	__u32 posted = (__u32)ctx[1];
	struct ring_state *rs;
	RING_SLOT(ctx, s);

	rs = &state[s];
	__sync_fetch_and_add(&counters[s].refills, 1);
	if (!posted)
		__sync_fetch_and_add(&counters[s].refill_empty, 1);
	gauges[s].rx_posted = posted;
	set_max(&gauges[s].rx_posted_max, posted);
	gauges[s].seen = 1;
	rs->prev = rs->cur;
	rs->cur = posted;
	rs->refilled = 1;
	if (!rs->known)
		rs->known = 1;
	return 0;
}

/* bam_dmux_tx(dev, u8 ch, u32 len, u32 in_flight) */
static __always_inline int handle_tx(__u64 *ctx)
{
	__u32 in_flight = (__u32)ctx[3];
	RING_SLOT(ctx, s);

	__sync_fetch_and_add(&counters[s].tx_submits, 1);
	dmux_hist_add(counters[s].tx_inflight_hist, in_flight);
	gauges[s].tx_inflight = in_flight;
	set_max(&gauges[s].tx_inflight_max, in_flight);
	gauges[s].seen = 1;
	return 0;
}

/* bam_dmux_tx_done/stop/wake(dev, u32 count): count in flight after it */
static __always_inline int handle_tx_done(__u64 *ctx)
{
	RING_SLOT(ctx, s);

	__sync_fetch_and_add(&counters[s].tx_done, 1);
	gauges[s].tx_inflight = (__u32)ctx[1];
	gauges[s].seen = 1;
	return 0;
}

static __always_inline int handle_tx_stop(__u64 *ctx)
{
	RING_SLOT(ctx, s);

	__sync_fetch_and_add(&counters[s].tx_full, 1);
	set_max(&gauges[s].tx_inflight_max, (__u32)ctx[1]);
	return 0;
}

static __always_inline int handle_tx_wake(__u64 *ctx)
{
	RING_SLOT(ctx, s);

	__sync_fetch_and_add(&counters[s].tx_wakes, 1);
	return 0;
}

DMUX_PROBE(bam_dmux_rx_poll, handle_rx_poll)
DMUX_PROBE(bam_dmux_rx_refill, handle_rx_refill)
DMUX_PROBE(bam_dmux_tx, handle_tx)
DMUX_PROBE(bam_dmux_tx_done, handle_tx_done)
DMUX_PROBE(bam_dmux_tx_stop, handle_tx_stop)
DMUX_PROBE(bam_dmux_tx_wake, handle_tx_wake)

char LICENSE[] SEC("license") = "GPL";

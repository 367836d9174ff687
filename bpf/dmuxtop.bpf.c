// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmuxtop: per-channel RX/TX packets and bytes and RX drops, from
 * bam_dmux_rx, bam_dmux_tx and bam_dmux_rx_drop.
 */
#include "vmlinux.h"
#include "dmux_common.bpf.h"
#include "dmuxtop.h"

/* -c CH: only this channel; -1 for all */
const volatile int targ_ch = -1;

struct chan_stats stats[DMUX_MAX_DEVS][DMUXTOP_CH_SLOTS] = {};

static __always_inline struct chan_stats *chan_slot(__u64 *ctx, __u32 ch)
{
	int s;

	if (targ_ch >= 0 && ch != (__u32)targ_ch)
		return NULL;
	s = dmux_dev_slot(DMUX_ARG_DEV(ctx));
	if (!DMUX_SLOT_OK(s))
		return NULL;
	if (ch >= DMUX_NUM_CH)
		ch = DMUX_NUM_CH;
	return &stats[s][ch];
}

/* bam_dmux_rx(dev, u8 ch, u32 len) */
static __always_inline int handle_rx(__u64 *ctx)
{
	struct chan_stats *cs = chan_slot(ctx, (__u8)ctx[1]);

	if (!cs)
		return 0;
	__sync_fetch_and_add(&cs->rx_packets, 1);
	__sync_fetch_and_add(&cs->rx_bytes, (__u32)ctx[2]);
	return 0;
}

/* bam_dmux_tx(dev, u8 ch, u32 len, u32 in_flight) */
static __always_inline int handle_tx(__u64 *ctx)
{
	struct chan_stats *cs = chan_slot(ctx, (__u8)ctx[1]);

	if (!cs)
		return 0;
	__sync_fetch_and_add(&cs->tx_packets, 1);
	__sync_fetch_and_add(&cs->tx_bytes, (__u32)ctx[2]);
	return 0;
}

/* bam_dmux_rx_drop(dev, u8 ch, u32 reason) */
static __always_inline int handle_rx_drop(__u64 *ctx)
{
	struct chan_stats *cs = chan_slot(ctx, (__u8)ctx[1]);

	if (!cs)
		return 0;
	__sync_fetch_and_add(&cs->drops, 1);
	return 0;
}

DMUX_PROBE(bam_dmux_rx, handle_rx)
DMUX_PROBE(bam_dmux_tx, handle_tx)
DMUX_PROBE(bam_dmux_rx_drop, handle_rx_drop)

char LICENSE[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmuxtop: per-channel RX/TX packets and bytes and RX drops, from
 * bam_dmux_rx_batch (once per NAPI poll and channel, not per packet),
 * bam_dmux_tx and bam_dmux_rx_drop.
 */
#include "vmlinux.h"
#include "dmux_common.bpf.h"
#include "dmuxtop.h"

struct dmuxtop_data dmux_data SEC(".bss") = {};

/* -c CH; drops with no valid channel share the last slot */
static __always_inline bool ch_wanted(__u8 ch)
{
	return dmux_cfg.ch < 0 || ch == (__u32)dmux_cfg.ch;
}

static __always_inline __u32 ch_slot(__u8 ch)
{
	return ch < DMUX_NUM_CH ? ch : DMUX_NUM_CH;
}

static __always_inline int count_rx(int s, __u8 ch, __u32 packets,
				    __u32 bytes)
{
	struct chan_rx *c;

	if (!ch_wanted(ch))
		return 0;
	c = &dmux_data.devs[s].rx[ch_slot(ch)];
	__sync_fetch_and_add(&c->packets, packets);
	__sync_fetch_and_add(&c->bytes, bytes);
	return 0;
}

static __always_inline int count_tx(int s, __u8 ch, __u32 len, __u32 in_flight)
{
	struct chan_tx *c;

	(void)in_flight;
	if (!ch_wanted(ch))
		return 0;
	c = &dmux_data.devs[s].tx[ch_slot(ch)];
	__sync_fetch_and_add(&c->packets, 1);
	__sync_fetch_and_add(&c->bytes, len);
	return 0;
}

static __always_inline int count_rx_drop(int s, __u8 ch, __u32 reason)
{
	(void)reason;
	if (!ch_wanted(ch))
		return 0;
	__sync_fetch_and_add(&dmux_data.devs[s].rx[ch_slot(ch)].drops, 1);
	return 0;
}

DMUX_ON_RX_BATCH(count_rx)
DMUX_ON_TX(count_tx)
DMUX_ON_RX_DROP(count_rx_drop)

char LICENSE[] SEC("license") = "GPL";

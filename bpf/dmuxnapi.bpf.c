// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmuxnapi: frames per NAPI poll, polls, budget-exhausted polls and frames
 * delivered or refused, from bam_dmux_rx_poll, bam_dmux_rx and
 * bam_dmux_rx_drop.
 */
#include "vmlinux.h"
#include "dmux_common.bpf.h"
#include "dmuxnapi.h"

struct napi_stats stats[DMUX_MAX_DEVS] = {};

/* bam_dmux_rx_poll(dev, int budget, int done, u32 posted) */
static __always_inline int handle_rx_poll(__u64 *ctx)
{
	int budget = (int)ctx[1], done = (int)ctx[2];
	int s = dmux_dev_slot(DMUX_ARG_DEV(ctx));
	struct napi_stats *st;

	if (!DMUX_SLOT_OK(s))
		return 0;
	/* budget 0 (netpoll) does no RX work: not a poll here */
	if (budget <= 0)
		return 0;
	if (done < 0)
		done = 0;
	st = &stats[s];
	__sync_fetch_and_add(&st->polls, 1);
	__sync_fetch_and_add(&st->frames, done);
	if (!done)
		__sync_fetch_and_add(&st->empty_polls, 1);
	if (done >= budget)
		__sync_fetch_and_add(&st->budget_exhausted, 1);
	st->last_budget = budget;
	dmux_hist_add(st->frames_hist, done);
	return 0;
}

/* bam_dmux_rx(dev, u8 ch, u32 len) */
static __always_inline int handle_rx(__u64 *ctx)
{
	__u32 len = (__u32)ctx[2];
	int s = dmux_dev_slot(DMUX_ARG_DEV(ctx));

	if (!DMUX_SLOT_OK(s))
		return 0;
	__sync_fetch_and_add(&stats[s].delivered, 1);
	__sync_fetch_and_add(&stats[s].delivered_bytes, len);
	return 0;
}

/* bam_dmux_rx_drop(dev, u8 ch, u32 reason) */
static __always_inline int handle_rx_drop(__u64 *ctx)
{
	int s = dmux_dev_slot(DMUX_ARG_DEV(ctx));

	if (!DMUX_SLOT_OK(s))
		return 0;
	__sync_fetch_and_add(&stats[s].dropped, 1);
	return 0;
}

DMUX_PROBE(bam_dmux_rx_poll, handle_rx_poll)
DMUX_PROBE(bam_dmux_rx_drop, handle_rx_drop)
DMUX_PROBE(bam_dmux_rx, handle_rx)

char LICENSE[] SEC("license") = "GPL";

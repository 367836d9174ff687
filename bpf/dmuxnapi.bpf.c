// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmuxnapi: frames per NAPI poll, polls, budget-exhausted polls and frames
 * delivered or refused, from bam_dmux_rx_poll, bam_dmux_rx_batch and
 * bam_dmux_rx_drop: nothing runs per delivered packet.
 */
#include "vmlinux.h"
#include "dmux_common.bpf.h"
#include "dmuxnapi.h"

struct dmuxnapi_data dmux_data SEC(".bss") = {};

static __always_inline int count_poll(int s, int budget, int done, __u32 posted)
{
	struct napi_stats *st = &dmux_data.devs[s];
	__u32 slot;

	(void)posted;
	/* budget 0 (netpoll) does no RX work: not a poll here */
	if (budget <= 0)
		return 0;
	if (done < 0)
		done = 0;
	__sync_fetch_and_add(&st->polls, 1);
	__sync_fetch_and_add(&st->frames, done);
	if (!done)
		__sync_fetch_and_add(&st->empty_polls, 1);
	if (done >= budget)
		__sync_fetch_and_add(&st->budget_exhausted, 1);
	st->last_budget = budget;
	slot = done <= DMUXNAPI_MAX_BATCH ? done : DMUXNAPI_MAX_BATCH + 1;
	__sync_fetch_and_add(&st->frames_hist[slot], 1);
	return 0;
}

static __always_inline int count_rx(int s, __u8 ch, __u32 packets,
				    __u32 bytes)
{
	(void)ch;
	__sync_fetch_and_add(&dmux_data.devs[s].delivered, packets);
	__sync_fetch_and_add(&dmux_data.devs[s].delivered_bytes, bytes);
	return 0;
}

static __always_inline int count_rx_drop(int s, __u8 ch, __u32 reason)
{
	(void)ch;
	(void)reason;
	__sync_fetch_and_add(&dmux_data.devs[s].dropped, 1);
	return 0;
}

DMUX_ON_RX_POLL(count_poll)
DMUX_ON_RX_BATCH(count_rx)
DMUX_ON_RX_DROP(count_rx_drop)

char LICENSE[] SEC("license") = "GPL";

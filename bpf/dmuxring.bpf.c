// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmuxring: ring occupancy. TX: descriptors in flight at each DATA submit
 * (bam_dmux_tx), ring full (bam_dmux_tx_stop), woken (bam_dmux_tx_wake),
 * frames done (bam_dmux_tx_done).
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

struct dmuxring_data dmux_data SEC(".bss") = {};

static __always_inline int count_poll(int s, int budget, int done, __u32 posted)
{
	struct ring_rx *rx = &dmux_data.devs[s].rx;
	struct ring_rx_state *rs = &rx->st;
	__u32 before;
	long left;

	(void)budget;
	__sync_fetch_and_add(&rx->c.polls, 1);
	rx->posted = posted;
	if (done < 0)
		done = 0;
	before = done && rs->refilled ? rs->prev : rs->cur;
	if (!rs->known || (done && rs->refilled && rs->known < 2)) {
		/* the level before this poll's refill is not known yet */
		__sync_fetch_and_add(&rx->c.unknown, 1);
	} else {
		left = (long)before - done;
		if (left < 0)
			left = 0;
		if (!left)
			__sync_fetch_and_add(&rx->c.empty, 1);
		dmux_hist_add(rx->c.posted_hist, left);
		dmux_extreme_add(rx->left, dmux_data.epoch, left);
	}
	rs->cur = posted;
	rs->refilled = 0;
	if (rs->known)
		rs->known = 2;
	return 0;
}

/* the driver reports a refill only when it posted buffers: count > 0 */
static __always_inline int count_refill(int s, __u32 posted)
{
	struct ring_rx *rx = &dmux_data.devs[s].rx;
	struct ring_rx_state *rs = &rx->st;

	__sync_fetch_and_add(&rx->c.refills, 1);
	rx->posted = posted;
	dmux_extreme_add(rx->level, dmux_data.epoch, posted);
	rs->prev = rs->cur;
	rs->cur = posted;
	rs->refilled = 1;
	if (!rs->known)
		rs->known = 1;
	return 0;
}

/*
 * TX events are emitted under the driver's tx_lock: serialized per device,
 * so tx->inflight follows the ring. Command frames are submitted without
 * an event: the level seen lags by the commands in flight.
 */
static __always_inline int count_tx(int s, __u8 ch, __u32 len, __u32 in_flight)
{
	struct ring_tx *tx = &dmux_data.devs[s].tx;

	(void)ch;
	(void)len;
	__sync_fetch_and_add(&tx->c.submits, 1);
	dmux_hist_add(tx->c.inflight_hist, in_flight);
	tx->inflight = in_flight;
	dmux_extreme_add(tx->at_submit, dmux_data.epoch, in_flight);
	return 0;
}

/*
 * bam_dmux_tx_done reports the frames left in flight: one fewer for a
 * completion, 0 after an abort of all of them. The level fell by the
 * frames seen submitted (DATA) plus those submitted unseen; the ring
 * completes in order, so the first completion after an unseen submit is
 * taken as that frame's (the totals are exact either way).
 */
static __always_inline int count_tx_done(int s, __u32 count)
{
	struct ring_tx *tx = &dmux_data.devs[s].tx;
	__u64 seen = tx->inflight > count ? tx->inflight - count : 0;

	if (seen)
		__sync_fetch_and_add(&tx->c.done, seen);
	else
		__sync_fetch_and_add(&tx->c.done_other, 1);
	tx->inflight = count;
	return 0;
}

static __always_inline int count_tx_stop(int s, __u32 count)
{
	struct ring_tx *tx = &dmux_data.devs[s].tx;

	__sync_fetch_and_add(&tx->c.full, 1);
	dmux_extreme_add(tx->at_submit, dmux_data.epoch, count);
	return 0;
}

static __always_inline int count_tx_wake(int s, __u32 count)
{
	(void)count;
	__sync_fetch_and_add(&dmux_data.devs[s].tx.c.wakes, 1);
	return 0;
}

DMUX_ON_RX_POLL(count_poll)
DMUX_ON_RING(bam_dmux_rx_refill, count_refill)
DMUX_ON_TX(count_tx)
DMUX_ON_RING(bam_dmux_tx_done, count_tx_done)
DMUX_ON_RING(bam_dmux_tx_stop, count_tx_stop)
DMUX_ON_RING(bam_dmux_tx_wake, count_tx_wake)

char LICENSE[] SEC("license") = "GPL";

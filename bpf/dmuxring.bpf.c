// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmuxring: ring occupancy. TX: descriptors in flight at each DATA submit
 * (bam_dmux_tx), command frames (bam_dmux_tx_cmd), ring full
 * (bam_dmux_tx_stop), woken (bam_dmux_tx_wake), frames done
 * (bam_dmux_tx_done) and dropped when the link went down
 * (bam_dmux_tx_abort).
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
 * so tx->inflight follows the ring, DATA frames (bam_dmux_tx) and command
 * frames (bam_dmux_tx_cmd) alike.
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

static __always_inline int count_tx_cmd(int s, __u8 ch, __u8 cmd, __u32 in_flight)
{
	struct ring_tx *tx = &dmux_data.devs[s].tx;
	int i;

	(void)ch;
	(void)cmd;
	__sync_fetch_and_add(&tx->c.cmds, 1);
	tx->inflight = in_flight;
	for (i = 0; i < RING_TX_CMDS_TRACKED; i++) {
		if (tx->cmds.used & (1U << i))
			continue;
		tx->cmds.ahead[i] = in_flight ? in_flight - 1 : 0;
		tx->cmds.used |= 1U << i;
		break;
	}
	/* more commands in flight than tracked: that one counts as DATA */
	return 0;
}

/*
 * bam_dmux_tx_done reports the frames left in flight: the level fell by
 * the frames that completed. A fall from a level the tool never saw (the
 * frames were submitted before it started) counts one frame of unknown
 * kind.
 */
static __always_inline int count_tx_done(int s, __u32 count)
{
	struct ring_tx *tx = &dmux_data.devs[s].tx;
	__u64 fell = tx->inflight > count ? tx->inflight - count : 0;
	__u64 cmds = 0;
	int i;

	tx->inflight = count;
	if (!fell) {
		__sync_fetch_and_add(&tx->c.done_other, 1);
		return 0;
	}
	for (i = 0; i < RING_TX_CMDS_TRACKED; i++) {
		if (!(tx->cmds.used & (1U << i)))
			continue;
		if (tx->cmds.ahead[i] < fell) {
			tx->cmds.used &= ~(1U << i);
			cmds++;
		} else {
			tx->cmds.ahead[i] -= fell;
		}
	}
	if (cmds > fell)
		cmds = fell;
	if (cmds)
		__sync_fetch_and_add(&tx->c.done_cmds, cmds);
	if (fell > cmds)
		__sync_fetch_and_add(&tx->c.done, fell - cmds);
	return 0;
}

/* the link went down with @count frames in flight: all of them dropped */
static __always_inline int count_tx_abort(int s, __u32 count)
{
	struct ring_tx *tx = &dmux_data.devs[s].tx;

	__sync_fetch_and_add(&tx->c.aborted, count);
	tx->inflight = 0;
	tx->cmds.used = 0;
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
DMUX_ON_TX_CMD(count_tx_cmd)
DMUX_ON_RING(bam_dmux_tx_done, count_tx_done)
DMUX_ON_RING(bam_dmux_tx_abort, count_tx_abort)
DMUX_ON_RING(bam_dmux_tx_stop, count_tx_stop)
DMUX_ON_RING(bam_dmux_tx_wake, count_tx_wake)

char LICENSE[] SEC("license") = "GPL";

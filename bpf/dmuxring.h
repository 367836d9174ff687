/* SPDX-License-Identifier: GPL-2.0-only */
/* dmuxring: RX and TX ring occupancy of the BAM-DMUX driver */
#ifndef DMUXRING_H
#define DMUXRING_H

#include "dmux.h"

/* per device, counters cumulative since the tool started */
struct ring_rx_counters {
	__u64 posted_hist[DMUX_HIST_SLOTS];	/* RX buffers left at each poll */
	__u64 polls;		/* bam_dmux_rx_poll */
	__u64 empty;		/* polls that found the RX ring empty */
	__u64 unknown;		/* polls before the ring level was known */
	__u64 refills;		/* bam_dmux_rx_refill */
};

struct ring_tx_counters {
	__u64 inflight_hist[DMUX_HIST_SLOTS];	/* TX in flight at each submit */
	__u64 submits;		/* bam_dmux_tx: DATA frames submitted */
	__u64 cmds;		/* bam_dmux_tx_cmd: command frames (OPEN, CLOSE) submitted */
	__u64 full;		/* bam_dmux_tx_stop: ring full, queues stopped */
	__u64 wakes;		/* bam_dmux_tx_wake: queues woken */
	/*
	 * Frames that completed (bam_dmux_tx_done): done counts DATA frames,
	 * as submits does; done_cmds the command frames; done_other those
	 * submitted before the tool started, of either kind.
	 */
	__u64 done;
	__u64 done_cmds;
	__u64 done_other;
	/* frames dropped in flight when the link went down (bam_dmux_tx_abort) */
	__u64 aborted;
};

/*
 * Command frames in flight, to tell their completions from DATA frames':
 * the ring completes in order, so a command completes once the frames
 * that were ahead of it have. The driver sends at most an OPEN and a
 * CLOSE per channel before either completes.
 */
#define RING_TX_CMDS_TRACKED	16

struct ring_tx_cmds {
	__u32 ahead[RING_TX_CMDS_TRACKED];	/* frames still ahead of it */
	__u32 used;				/* bit i: ahead[i] is a command's */
};

/*
 * The RX ring level as the tracepoints report it, to work out how many
 * buffers a poll left posted. Polls and refills of one device are
 * serialized (NAPI, rx lock).
 */
struct ring_rx_state {
	__u32 cur;		/* posted after the last refill or poll */
	__u32 prev;		/* posted before the last refill */
	__u32 refilled;		/* a refill since the last poll */
	__u32 known;		/* cur is known (a refill was seen) */
};

/* RX (NAPI's CPU) and TX (the senders') on separate cache lines */
struct ring_rx {
	struct ring_rx_counters c;
	struct ring_rx_state st;
	__u64 posted;			/* after the last poll or refill */
	struct dmux_extreme left[2];	/* buffers left at a poll: min */
	struct dmux_extreme level[2];	/* posted after a refill: max */
} __attribute__((aligned(DMUX_CACHELINE)));

struct ring_tx {
	struct ring_tx_counters c;
	struct ring_tx_cmds cmds;
	__u64 inflight;			/* after the last TX event */
	struct dmux_extreme at_submit[2]; /* in flight at a submit or stop: max */
} __attribute__((aligned(DMUX_CACHELINE)));

struct ring_dev {
	struct ring_rx rx;
	struct ring_tx tx;
};

/* the BPF side's .bss; user space moves epoch on at each interval */
struct dmuxring_data {
	__u64 epoch;
	struct ring_dev devs[DMUX_MAX_DEVS];
};

#define RING_RX_NR_COUNTERS (sizeof(struct ring_rx_counters) / sizeof(__u64))
#define RING_TX_NR_COUNTERS (sizeof(struct ring_tx_counters) / sizeof(__u64))

#endif /* DMUXRING_H */

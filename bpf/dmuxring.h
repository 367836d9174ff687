/* SPDX-License-Identifier: GPL-2.0-only */
/* dmuxring: RX and TX ring occupancy of the BAM-DMUX driver */
#ifndef DMUXRING_H
#define DMUXRING_H

#include "dmux.h"

/* per device, cumulative since the tool started */
struct ring_counters {
	__u64 rx_posted_hist[DMUX_HIST_SLOTS];	/* RX buffers left at each poll */
	__u64 tx_inflight_hist[DMUX_HIST_SLOTS]; /* TX in flight at each submit */
	__u64 polls;		/* bam_dmux_rx_poll */
	__u64 rx_empty;		/* polls that found the RX ring empty */
	__u64 rx_unknown;	/* polls before the ring level was known */
	__u64 refills;		/* bam_dmux_rx_refill */
	__u64 refill_empty;	/* refills that left no RX buffer posted */
	__u64 tx_submits;	/* bam_dmux_tx */
	__u64 tx_full;		/* bam_dmux_tx_stop: ring full, queues stopped */
	__u64 tx_wakes;		/* bam_dmux_tx_wake: queues woken */
	__u64 tx_done;		/* bam_dmux_tx_done */
};

#define RING_NR_COUNTERS (sizeof(struct ring_counters) / sizeof(__u64))

/* per device, levels: the last value seen and, per interval, the extremes */
struct ring_gauges {
	__u64 rx_posted;	/* after the last poll or refill */
	__u64 tx_inflight;	/* after the last submit or completion */
	__u64 rx_posted_min;	/* fewest left at a poll this interval (~0: none) */
	__u64 rx_posted_max;	/* highest after a refill this interval */
	__u64 tx_inflight_max;	/* highest at a submit this interval */
	__u64 seen;		/* any event yet */
};

/*
 * per device state of the BPF side: the RX ring level as the tracepoints
 * report it, to work out how many buffers a poll left posted
 */
struct ring_state {
	__u32 cur;		/* posted after the last refill or poll */
	__u32 prev;		/* posted before the last refill */
	__u32 refilled;		/* a refill since the last poll */
	__u32 known;		/* cur is known (a refill was seen) */
};

#endif /* DMUXRING_H */

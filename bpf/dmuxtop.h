/* SPDX-License-Identifier: GPL-2.0-only */
/* dmuxtop: per-channel traffic of the BAM-DMUX driver */
#ifndef DMUXTOP_H
#define DMUXTOP_H

#include "dmux.h"

/* slot DMUX_NUM_CH: drops whose header named no valid channel */
#define DMUXTOP_CH_SLOTS	(DMUX_NUM_CH + 1)

/* per device and channel, cumulative since the tool started */
struct chan_rx {
	__u64 packets;		/* bam_dmux_rx_batch: DATA frames handed up */
	__u64 bytes;		/* their payload (IP packet) bytes */
	__u64 drops;		/* bam_dmux_rx_drop, any reason */
};

struct chan_tx {
	__u64 packets;		/* bam_dmux_tx: DATA frames submitted */
	__u64 bytes;
};

/*
 * RX is counted on NAPI's CPU, TX on the senders': their counters start on
 * separate cache lines so that the two do not bounce one line between them.
 */
struct dmuxtop_dev {
	struct chan_rx rx[DMUXTOP_CH_SLOTS] __attribute__((aligned(DMUX_CACHELINE)));
	struct chan_tx tx[DMUXTOP_CH_SLOTS] __attribute__((aligned(DMUX_CACHELINE)));
};

/* the BPF side's .bss */
struct dmuxtop_data {
	struct dmuxtop_dev devs[DMUX_MAX_DEVS];
};

/* user side: one channel's counters, as printed */
struct chan_stats {
	__u64 rx_packets;
	__u64 rx_bytes;
	__u64 tx_packets;
	__u64 tx_bytes;
	__u64 drops;
};

#define CHAN_NR_COUNTERS (sizeof(struct chan_stats) / sizeof(__u64))

#endif /* DMUXTOP_H */

/* SPDX-License-Identifier: GPL-2.0-only */
/* dmuxtop: per-channel traffic of the BAM-DMUX driver */
#ifndef DMUXTOP_H
#define DMUXTOP_H

#include "dmux.h"

/* slot DMUX_NUM_CH: drops whose header named no valid channel */
#define DMUXTOP_CH_SLOTS	(DMUX_NUM_CH + 1)

/* per device and channel, cumulative since the tool started */
struct chan_stats {
	__u64 rx_packets;	/* bam_dmux_rx: DATA frames handed up */
	__u64 rx_bytes;		/* their payload (IP packet) bytes */
	__u64 tx_packets;	/* bam_dmux_tx: DATA frames submitted */
	__u64 tx_bytes;
	__u64 drops;		/* bam_dmux_rx_drop, any reason */
};

#define CHAN_NR_COUNTERS (sizeof(struct chan_stats) / sizeof(__u64))

#endif /* DMUXTOP_H */

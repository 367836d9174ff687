/* SPDX-License-Identifier: GPL-2.0-only */
/* dmuxwake: power-control wake latency of the BAM-DMUX driver */
#ifndef DMUXWAKE_H
#define DMUXWAKE_H

#include "dmux.h"

/* per device, cumulative since the tool started */
struct wake_counters {
	__u64 wake_hist[DMUX_HIST_SLOTS];	/* vote -> ready, in us (-m: ms) */
	__u64 defer_hist[DMUX_HIST_SLOTS];	/* TX deferral, same unit */
	__u64 wakes;		/* bam_dmux_wake with result 0 */
	__u64 wake_ns;		/* their summed latency */
	__u64 timeouts;		/* bam_dmux_wake with -ETIMEDOUT */
	__u64 errors;		/* bam_dmux_wake with another error */
	__u64 deferred;		/* frames deferred (bam_dmux_tx_defer) */
	__u64 defer_waits;	/* deferral episodes ended by a frame sent */
	__u64 votes_on;		/* bam_dmux_pc_vote on */
	__u64 votes_off;	/* bam_dmux_pc_vote off */
	__u64 acks;		/* bam_dmux_pc_ack */
	__u64 remote_up;	/* bam_dmux_pc_remote on */
	__u64 remote_down;	/* bam_dmux_pc_remote off */
	__u64 remote_wakes;	/* remote up while the host's vote was off */
};

#define WAKE_NR_COUNTERS (sizeof(struct wake_counters) / sizeof(__u64))

/* per device state of the BPF side, not printed */
struct wake_state {
	__u64 defer_start_ns;	/* first deferral not yet followed by a frame sent */
	__u32 vote;		/* host's last vote: enum wake_vote */
	__u32 pad;
};

/* unknown until the tool sees a vote: zeroed memory says so */
enum wake_vote {
	WAKE_VOTE_UNKNOWN,
	WAKE_VOTE_OFF,
	WAKE_VOTE_ON,
};

struct wake_dev {
	struct wake_counters c;
	struct dmux_extreme wake_ns[2];	/* latency of the interval's wakes */
	struct wake_state st;
};

/* the BPF side's .bss; user space moves epoch on at each interval */
struct dmuxwake_data {
	__u64 epoch;
	struct wake_dev devs[DMUX_MAX_DEVS];
};

#endif /* DMUXWAKE_H */

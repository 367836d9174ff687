/* SPDX-License-Identifier: GPL-2.0-only */
/* dmuxnapi: NAPI batching of the BAM-DMUX RX path */
#ifndef DMUXNAPI_H
#define DMUXNAPI_H

#include "dmux.h"

/*
 * A poll takes at most its budget, the NAPI weight, which the driver bounds
 * (BAM_DMUX_NAPI_WEIGHT_MAX): one histogram slot per exact batch size,
 * 0..DMUXNAPI_MAX_BATCH, and a last one for anything above.
 */
#define DMUXNAPI_MAX_BATCH	256
#define DMUXNAPI_BATCH_SLOTS	(DMUXNAPI_MAX_BATCH + 2)

/* per device, cumulative since the tool started */
struct napi_stats {
	__u64 frames_hist[DMUXNAPI_BATCH_SLOTS]; /* polls by frames done */
	__u64 polls;			/* bam_dmux_rx_poll with budget > 0 */
	__u64 budget_exhausted;		/* polls that used their whole budget */
	__u64 empty_polls;		/* polls that found no frame */
	__u64 frames;			/* sum of done over the polls */
	__u64 delivered;		/* DATA frames handed up (bam_dmux_rx_batch) */
	__u64 delivered_bytes;		/* their payload bytes */
	__u64 dropped;			/* frames refused (bam_dmux_rx_drop) */
	__u64 last_budget;		/* budget of the last poll */
};

#define NAPI_NR_COUNTERS (sizeof(struct napi_stats) / sizeof(__u64))

/* the BPF side's .bss */
struct dmuxnapi_data {
	struct napi_stats devs[DMUX_MAX_DEVS];
};

#endif /* DMUXNAPI_H */

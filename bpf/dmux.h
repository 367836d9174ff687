/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Limits and types shared by every BAM-DMUX tool, kernel and user side.
 *
 * Each tool keeps its counters in a global array in .bss, one slot per
 * bam-dmux device; the BPF side assigns the slots in the order devices are
 * first seen and records the slot of each device name in the "devs" hash
 * map, which user space walks to print the names. Counters only grow:
 * user space mmaps .bss and prints differences between two reads, so no
 * event is lost between intervals.
 */
#ifndef DMUX_H
#define DMUX_H

#define DMUX_MAX_DEVS	8	/* bam-dmux devices tracked at once */
#define DMUX_NAME_LEN	32	/* device name, NUL included */
#define DMUX_NUM_CH	8	/* = BAM_DMUX_NUM_CH */
#define DMUX_HIST_SLOTS	32	/* log2 histogram buckets */

struct dmux_name {
	char name[DMUX_NAME_LEN];
};

#endif /* DMUX_H */

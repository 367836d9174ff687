/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Limits and types shared by every BAM-DMUX tool, kernel and user side.
 *
 * Each tool keeps its counters in one structure in .bss (its only .bss
 * variable, so that user space finds it at offset 0 of that map, whatever
 * skeleton it came from), one slot per bam-dmux device; the BPF side assigns
 * the slots in the order devices are first seen and records the slot of
 * each device name in the "devs" hash map, which user space walks to print
 * the names. Counters only grow: user space mmaps .bss and prints
 * differences between two reads, so no event is lost between intervals.
 */
#ifndef DMUX_H
#define DMUX_H

#define DMUX_MAX_DEVS	8	/* bam-dmux devices tracked at once */
#define DMUX_NAME_LEN	32	/* device name, NUL included */
#define DMUX_NUM_CH	8	/* = BAM_DMUX_NUM_CH */
#define DMUX_HIST_SLOTS	32	/* log2 histogram buckets */
#define DMUX_CACHELINE	64	/* keep RX and TX counters this far apart */

struct dmux_name {
	char name[DMUX_NAME_LEN];
};

/*
 * The BPF side's struct device pointer -> slot cache, so that the hot path
 * compares one pointer instead of copying the name and hashing it. slot is
 * 0 until its entry is complete, then slot + 1, or DMUX_CACHE_SKIP for a
 * device filtered out (-d) or beyond DMUX_MAX_DEVS. Entries are never
 * reused: a device removed and created again at another address takes a
 * new entry (and finds its old slot by name).
 */
#define DMUX_CACHE_ENTRIES	(2 * DMUX_MAX_DEVS)
#define DMUX_CACHE_SKIP		0xffffffffU

struct dmux_dev_cache {
	__u64 dev;
	__u32 slot;
	__u32 pad;
};

/* the tools' settings, in .rodata (set by user space before load) */
struct dmux_cfg {
	char dev[DMUX_NAME_LEN];	/* -d DEV: only this device; "" for all */
	int ch;				/* dmuxtop -c CH: only this channel; -1 all */
	int ms;				/* dmuxwake -m: milliseconds */
};

/*
 * The smallest and largest value of an interval, without a lock and without
 * a sentinel that could be printed: the BPF side writes the buffer of the
 * current epoch (ext[epoch & 1]), restarting it when it finds an older
 * epoch in it; user space ends an interval by moving the epoch on and then
 * reads the previous buffer, which is valid only if it carries that epoch
 * (stored plus one, so that zeroed memory matches no epoch). An event
 * racing with the switch may land in either interval; min and max are
 * always values that were seen.
 */
struct dmux_extreme {
	__u64 epoch;	/* DMUX_EXTREME_TAG(epoch) of the values */
	__u64 min;
	__u64 max;
};

#define DMUX_EXTREME_TAG(epoch)	((epoch) + 1)

#endif /* DMUX_H */

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The bam_dmux events as tracefs records them, for the tools' classic
 * SEC("tracepoint/bam_dmux/...") programs on a kernel without BTF: the
 * layout of driver/bam_dmux_trace.h's TP_STRUCT__entry after the common
 * header, which is what events/bam_dmux/<event>/format shows. Defined
 * here, with plain types, because without BTF there is nothing to take
 * them from; user space checks them against the format files before it
 * loads (dmux_check_tracefs_layout() in trace_helpers.c).
 *
 * The device name is a __data_loc string: the u32 holds its offset from
 * the start of the record (low 16 bits) and its length, NUL included
 * (high 16 bits).
 */
#ifndef DMUX_TRACE_REC_H
#define DMUX_TRACE_REC_H

#define DMUX_LOC_OFFSET(loc)	((loc) & 0xffff)
#define DMUX_LOC_LEN(loc)	((loc) >> 16)

/* struct trace_entry */
#define DMUX_REC_COMMON			\
	__u16 common_type;		\
	__u8 common_flags;		\
	__u8 common_preempt_count;	\
	__s32 common_pid;		\
	__u32 dev	/* __data_loc char[] */

/* class bam_dmux_frame: bam_dmux_rx, bam_dmux_tx_defer */
struct dmux_rec_frame {
	DMUX_REC_COMMON;
	__u8 ch;
	__u32 len;
};

struct dmux_rec_rx_batch {
	DMUX_REC_COMMON;
	__u8 ch;
	__u32 packets;
	__u32 bytes;
};

struct dmux_rec_rx_poll {
	DMUX_REC_COMMON;
	__s32 budget;
	__s32 done;
	__u32 posted;
};

/* class bam_dmux_ring: bam_dmux_rx_refill, bam_dmux_tx_done/abort/stop/wake */
struct dmux_rec_ring {
	DMUX_REC_COMMON;
	__u32 count;
};

struct dmux_rec_rx_drop {
	DMUX_REC_COMMON;
	__u8 ch;
	__u32 reason;
};

struct dmux_rec_tx {
	DMUX_REC_COMMON;
	__u8 ch;
	__u32 len;
	__u32 in_flight;
};

struct dmux_rec_tx_cmd {
	DMUX_REC_COMMON;
	__u8 ch;
	__u8 cmd;
	__u32 in_flight;
};

/* class bam_dmux_power: bam_dmux_pc_vote, bam_dmux_pc_remote */
struct dmux_rec_power {
	DMUX_REC_COMMON;
	__u8 on;	/* bool */
};

struct dmux_rec_pc_ack {
	DMUX_REC_COMMON;
};

struct dmux_rec_wake {
	DMUX_REC_COMMON;
	__u64 latency_ns;
	__s32 result;
};

#endif /* DMUX_TRACE_REC_H */

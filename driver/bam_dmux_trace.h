/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints of the BAM-DMUX driver. The bpf/ tools and tools/bpftrace/
 * scripts attach to these (tp_btf/raw_tp see the TP_PROTO arguments,
 * tracefs and perf see the recorded fields): change neither lightly and
 * keep Documentation/tracepoints.rst in step.
 *
 * Every event's first argument is the bam-dmux platform device; the
 * recorded field is its name ("bam-dmux.0"), never a pointer.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM bam_dmux

#if !defined(_BAM_DMUX_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _BAM_DMUX_TRACE_H

#include <linux/device.h>
#include <linux/tracepoint.h>

/* a frame on one channel: rx, tx_defer */
DECLARE_EVENT_CLASS(bam_dmux_frame,
	TP_PROTO(const struct device *dev, u8 ch, u32 len),
	TP_ARGS(dev, ch, len),
	TP_STRUCT__entry(
		__string(dev, dev_name(dev))
		__field(u8, ch)
		__field(u32, len)
	),
	TP_fast_assign(
		__assign_str(dev, dev_name(dev));
		__entry->ch = ch;
		__entry->len = len;
	),
	TP_printk("dev=%s ch=%u len=%u", __get_str(dev), __entry->ch,
		  __entry->len)
);

/* a DATA frame of @len payload bytes handed to the stack on @ch */
DEFINE_EVENT(bam_dmux_frame, bam_dmux_rx,
	TP_PROTO(const struct device *dev, u8 ch, u32 len),
	TP_ARGS(dev, ch, len));

/* a packet queued on @ch while the link was down, sent once it is up */
DEFINE_EVENT(bam_dmux_frame, bam_dmux_tx_defer,
	TP_PROTO(const struct device *dev, u8 ch, u32 len),
	TP_ARGS(dev, ch, len));

/*
 * The DATA frames of @ch handed to the stack in one RX run (a NAPI poll,
 * or with napi=0 one pass over the ring from a DMA completion callback):
 * @packets frames of @bytes payload bytes in all. Once per run and
 * channel, so a tool that counts traffic need not run per packet.
 */
TRACE_EVENT(bam_dmux_rx_batch,
	TP_PROTO(const struct device *dev, u8 ch, u32 packets, u32 bytes),
	TP_ARGS(dev, ch, packets, bytes),
	TP_STRUCT__entry(
		__string(dev, dev_name(dev))
		__field(u8, ch)
		__field(u32, packets)
		__field(u32, bytes)
	),
	TP_fast_assign(
		__assign_str(dev, dev_name(dev));
		__entry->ch = ch;
		__entry->packets = packets;
		__entry->bytes = bytes;
	),
	TP_printk("dev=%s ch=%u packets=%u bytes=%u", __get_str(dev),
		  __entry->ch, __entry->packets, __entry->bytes)
);

/* end of one NAPI poll: @done frames of @budget, @posted RX buffers left */
TRACE_EVENT(bam_dmux_rx_poll,
	TP_PROTO(const struct device *dev, int budget, int done, u32 posted),
	TP_ARGS(dev, budget, done, posted),
	TP_STRUCT__entry(
		__string(dev, dev_name(dev))
		__field(int, budget)
		__field(int, done)
		__field(u32, posted)
	),
	TP_fast_assign(
		__assign_str(dev, dev_name(dev));
		__entry->budget = budget;
		__entry->done = done;
		__entry->posted = posted;
	),
	TP_printk("dev=%s budget=%d done=%d posted=%u", __get_str(dev),
		  __entry->budget, __entry->done, __entry->posted)
);

/* ring occupancy after an event: rx_refill (posted RX), tx_done/tx_stop/tx_wake (TX in flight) */
DECLARE_EVENT_CLASS(bam_dmux_ring,
	TP_PROTO(const struct device *dev, u32 count),
	TP_ARGS(dev, count),
	TP_STRUCT__entry(
		__string(dev, dev_name(dev))
		__field(u32, count)
	),
	TP_fast_assign(
		__assign_str(dev, dev_name(dev));
		__entry->count = count;
	),
	TP_printk("dev=%s count=%u", __get_str(dev), __entry->count)
);

/* RX buffers were posted: @count buffers are now posted to the DMA engine */
DEFINE_EVENT(bam_dmux_ring, bam_dmux_rx_refill,
	TP_PROTO(const struct device *dev, u32 count),
	TP_ARGS(dev, count));

/* TX descriptors completed: @count are still in flight */
DEFINE_EVENT(bam_dmux_ring, bam_dmux_tx_done,
	TP_PROTO(const struct device *dev, u32 count),
	TP_ARGS(dev, count));

/* the link went down: @count TX frames in flight were dropped, none is left */
DEFINE_EVENT(bam_dmux_ring, bam_dmux_tx_abort,
	TP_PROTO(const struct device *dev, u32 count),
	TP_ARGS(dev, count));

/* the TX ring is full (@count in flight): queues stopped */
DEFINE_EVENT(bam_dmux_ring, bam_dmux_tx_stop,
	TP_PROTO(const struct device *dev, u32 count),
	TP_ARGS(dev, count));

/* the TX ring drained below its wake threshold (@count in flight): queues woken */
DEFINE_EVENT(bam_dmux_ring, bam_dmux_tx_wake,
	TP_PROTO(const struct device *dev, u32 count),
	TP_ARGS(dev, count));

/* a frame refused; @reason is enum bam_dmux_frame_err, @ch the raw header value (0xff when unknown) */
TRACE_EVENT(bam_dmux_rx_drop,
	TP_PROTO(const struct device *dev, u8 ch, u32 reason),
	TP_ARGS(dev, ch, reason),
	TP_STRUCT__entry(
		__string(dev, dev_name(dev))
		__field(u8, ch)
		__field(u32, reason)
	),
	TP_fast_assign(
		__assign_str(dev, dev_name(dev));
		__entry->ch = ch;
		__entry->reason = reason;
	),
	TP_printk("dev=%s ch=%u reason=%s", __get_str(dev), __entry->ch,
		  __print_symbolic(__entry->reason,
				   { 1, "bad_magic" }, { 2, "bad_cmd" },
				   { 3, "bad_channel" }, { 4, "oversize" },
				   { 5, "short" }, { 6, "bad_pad" },
				   { 7, "inactive_channel" },
				   { 8, "dma_error" }, { 9, "no_memory" }))
);

/* a DATA frame of @len payload bytes submitted on @ch; @in_flight after it */
TRACE_EVENT(bam_dmux_tx,
	TP_PROTO(const struct device *dev, u8 ch, u32 len, u32 in_flight),
	TP_ARGS(dev, ch, len, in_flight),
	TP_STRUCT__entry(
		__string(dev, dev_name(dev))
		__field(u8, ch)
		__field(u32, len)
		__field(u32, in_flight)
	),
	TP_fast_assign(
		__assign_str(dev, dev_name(dev));
		__entry->ch = ch;
		__entry->len = len;
		__entry->in_flight = in_flight;
	),
	TP_printk("dev=%s ch=%u len=%u in_flight=%u", __get_str(dev),
		  __entry->ch, __entry->len, __entry->in_flight)
);

/* a command frame (@cmd: OPEN, CLOSE) submitted on @ch; @in_flight after it */
TRACE_EVENT(bam_dmux_tx_cmd,
	TP_PROTO(const struct device *dev, u8 ch, u8 cmd, u32 in_flight),
	TP_ARGS(dev, ch, cmd, in_flight),
	TP_STRUCT__entry(
		__string(dev, dev_name(dev))
		__field(u8, ch)
		__field(u8, cmd)
		__field(u32, in_flight)
	),
	TP_fast_assign(
		__assign_str(dev, dev_name(dev));
		__entry->ch = ch;
		__entry->cmd = cmd;
		__entry->in_flight = in_flight;
	),
	TP_printk("dev=%s ch=%u cmd=%s in_flight=%u", __get_str(dev),
		  __entry->ch,
		  __print_symbolic(__entry->cmd, { 1, "open" }, { 2, "close" },
				   { 4, "open_no_a2_pc" }),
		  __entry->in_flight)
);

/* a power-control line change: pc_vote (host votes), pc_remote (modem's pc line) */
DECLARE_EVENT_CLASS(bam_dmux_power,
	TP_PROTO(const struct device *dev, bool on),
	TP_ARGS(dev, on),
	TP_STRUCT__entry(
		__string(dev, dev_name(dev))
		__field(bool, on)
	),
	TP_fast_assign(
		__assign_str(dev, dev_name(dev));
		__entry->on = on;
	),
	TP_printk("dev=%s on=%d", __get_str(dev), __entry->on)
);

DEFINE_EVENT(bam_dmux_power, bam_dmux_pc_vote,
	TP_PROTO(const struct device *dev, bool on),
	TP_ARGS(dev, on));

DEFINE_EVENT(bam_dmux_power, bam_dmux_pc_remote,
	TP_PROTO(const struct device *dev, bool on),
	TP_ARGS(dev, on));

/* the modem acknowledged the host's last vote */
TRACE_EVENT(bam_dmux_pc_ack,
	TP_PROTO(const struct device *dev),
	TP_ARGS(dev),
	TP_STRUCT__entry(
		__string(dev, dev_name(dev))
	),
	TP_fast_assign(
		__assign_str(dev, dev_name(dev));
	),
	TP_printk("dev=%s", __get_str(dev))
);

/*
 * a host wake-up finished: @latency_ns from the pc=1 vote until the data
 * path was ready (or gave up); @result 0 or a negative errno (-ETIMEDOUT)
 */
TRACE_EVENT(bam_dmux_wake,
	TP_PROTO(const struct device *dev, u64 latency_ns, int result),
	TP_ARGS(dev, latency_ns, result),
	TP_STRUCT__entry(
		__string(dev, dev_name(dev))
		__field(u64, latency_ns)
		__field(int, result)
	),
	TP_fast_assign(
		__assign_str(dev, dev_name(dev));
		__entry->latency_ns = latency_ns;
		__entry->result = result;
	),
	TP_printk("dev=%s latency_ns=%llu result=%d", __get_str(dev),
		  __entry->latency_ns, __entry->result)
);

/* channel @ch opened (@open) or closed, by the host (@by_host) or the modem */
TRACE_EVENT(bam_dmux_channel,
	TP_PROTO(const struct device *dev, u8 ch, bool open, bool by_host),
	TP_ARGS(dev, ch, open, by_host),
	TP_STRUCT__entry(
		__string(dev, dev_name(dev))
		__field(u8, ch)
		__field(bool, open)
		__field(bool, by_host)
	),
	TP_fast_assign(
		__assign_str(dev, dev_name(dev));
		__entry->ch = ch;
		__entry->open = open;
		__entry->by_host = by_host;
	),
	TP_printk("dev=%s ch=%u %s by %s", __get_str(dev), __entry->ch,
		  __entry->open ? "open" : "close",
		  __entry->by_host ? "host" : "modem")
);

#endif /* _BAM_DMUX_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE bam_dmux_trace
#include <trace/define_trace.h>

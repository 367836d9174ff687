/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bam_dmux_sim: a simulated BAM-DMUX modem.
 *
 * One struct sim_modem per simulated modem. It plays the hardware and the
 * modem firmware at once:
 *
 *   sim_dma.c     the BAM DMA engine: a dmaengine provider with a "tx"
 *                 (host to modem) and an "rx" (modem to host) slave channel
 *   sim_modem.c   the modem side of the DMUX protocol: the RX frame queue,
 *                 TX frame parsing, OPEN/CLOSE, the link model, fault frames
 *   sim_power.c   the modem side of the power-control handshake, offered to
 *                 the driver as a struct bam_dmux_pc_ops provider
 *   sim_netdev.c  the modem-side interfaces bdsim<ch> / bdsim<M>-<ch>
 *   sim_debugfs.c knobs, actions and statistics
 *   sim_main.c    module parameters, instances, setup and teardown order
 *
 * Locking: sm->lock (BH) protects the modem state, the RX frame queue and
 * the statistics. Each DMA channel has its own sc->lock (IRQ-safe, because
 * dmaengine clients may query status from any context) for its descriptor
 * lists and cookies; when both are held, sm->lock is taken first.
 */
#ifndef BAM_DMUX_SIM_H
#define BAM_DMUX_SIM_H

#include <linux/dmaengine.h>
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/platform_device.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "bam_dmux_pc.h"
#include "bam_dmux_wire.h"

#define SIM_DRV_NAME		"bam_dmux_sim"
#define SIM_MAX_MODEMS		4
#define SIM_EVQ_LEN		32	/* power events waiting for delivery */
#define SIM_VOTEQ_LEN		8	/* host votes waiting for their ack */
#define SIM_TASK_BUDGET		64	/* descriptors per tasklet run */
#define SIM_DESC_POOL_MAX	512	/* one-entry descriptors kept for reuse */

/* Knob defaults (documented in Documentation/sim.rst) */
#define SIM_DEF_RX_QUEUE_LEN	1000
#define SIM_DEF_WAKE_DELAY_US	1000
#define SIM_DEF_RESTART_MS	500
/*
 * A modem powers its BAM down soon after the host's vote went down and
 * traffic stopped; 0 (never) is for tests that need the line to stay up.
 */
#define SIM_DEF_IDLE_MS		200
/*
 * Link model: a frame due now takes along every frame due within this
 * window, as a modem delivers what one LTE subframe (1 ms) carried.
 */
#define SIM_DEF_LINK_BURST_US	1000
#define SIM_ENGINE_CPU_ANY	(-1)	/* engine work where it was kicked */

enum sim_dir {
	SIM_TX = 0,	/* host to modem, DMA_MEM_TO_DEV, the "tx" channel */
	SIM_RX = 1,	/* modem to host, DMA_DEV_TO_MEM, the "rx" channel */
};

/* What a queued RX frame is, for the statistics */
enum sim_frame_kind {
	SIM_FRAME_DATA,
	SIM_FRAME_CTRL,		/* OPEN / CLOSE sent by the modem */
	SIM_FRAME_INJECT,	/* a fault frame from the inject knob */
};

/*
 * skb->cb of a frame waiting in the modem's RX queue. A DATA frame from a
 * bdsim interface is queued as the IP packet itself (unframed): the engine
 * writes the DMUX header, the payload, a checksum the sender left to
 * "hardware" (CHECKSUM_PARTIAL) and the pad straight into the host's
 * buffer, in one pass, as a real modem's DMA would. Control and fault
 * frames are queued as the bytes to transfer (framed).
 */
struct sim_frame_cb {
	ktime_t ready;		/* link model: earliest delivery, 0 = now */
	u8 kind;		/* enum sim_frame_kind */
	u8 ch;
	u16 len;		/* payload length of a DATA frame */
	bool unframed;		/* the engine adds header and pad */
};

static inline struct sim_frame_cb *sim_frame_cb(struct sk_buff *skb)
{
	return (struct sim_frame_cb *)skb->cb;
}

/* One scatter-gather element as given by the client: a DMA address */
struct sim_sg {
	dma_addr_t addr;
	u32 len;
};

/*
 * One DMA descriptor: a transfer of one frame. It lives on exactly one of
 * its channel's lists (allocated, submitted, issued) or is sc->active
 * while the channel's tasklet works on it.
 */
struct sim_desc {
	struct dma_async_tx_descriptor tx;
	struct list_head node;
	ktime_t ready;			/* TX link model: earliest completion */
	bool pooled;			/* from and back to sc->pool */
	u32 len;			/* sum of the sg lengths */
	enum dmaengine_tx_result result;
	u32 residue;
	unsigned int nents;
	struct sim_sg sg[];
};

struct sim_modem;

/* One slave channel of the simulated BAM */
struct sim_chan {
	struct dma_chan chan;
	struct sim_modem *sm;
	enum sim_dir dir;
	enum dma_transfer_direction direction;
	spinlock_t lock;		/* lists, cookies, active */
	struct list_head allocated;	/* prepared, not submitted */
	struct list_head submitted;	/* submitted, not issued */
	struct list_head issued;	/* issued, waiting in order */
	struct sim_desc *active;	/* being transferred by the tasklet */
	struct list_head pool;		/* free one-entry descriptors */
	unsigned int pool_len;
	bool active_terminated;		/* terminate_all ran meanwhile */
	struct dma_slave_config cfg;
	/*
	 * The pipe, as bam_dma and a remotely powered BAM see it: held by a
	 * client (held), set up by its first issue_pending after the
	 * request (initialized), and dead once the BAM lost its power or the
	 * pipe was reset under the modem, until the client frees the channel
	 * and requests it again.
	 */
	bool held;
	bool initialized;
	bool dead;
	struct tasklet_struct task;	/* transfers and completion callbacks */
	call_single_data_t kick_csd;	/* schedules task on engine_cpu */
	atomic_t kick_pending;		/* kick_csd on its way */
	struct hrtimer timer;		/* link model: wakes the tasklet */
	ktime_t link_free;		/* link model: when the link is idle */
	ktime_t burst_end;		/* link model: frames due by then go */
	u64 desc_live;			/* descriptors allocated, not freed */
	u64 desc_done;			/* completed with a callback */
	u64 desc_terminated;		/* dropped by terminate_all */
	u64 desc_errors;		/* completed with an error result */
	u64 bad_prep;			/* prep refused (direction, sg_len) */
	u64 bad_addr;			/* DMA address not in memory */
	u64 truncated;			/* RX frame longer than the buffer */
	u64 issued_while_down;		/* TX issued while the modem was down */
	u64 prep_refused;		/* prep_fail_rx/tx injections that hit */
	u64 access_while_down;		/* engine used while the BAM had no power */
	u64 issue_dead_pipe;		/* issue_pending on a dead pipe */
	u64 terminate_while_active;	/* RX reset while the modem may write */
	u64 free_busy;			/* channel freed with descriptors queued */
	u64 pipe_resets;		/* pipe lost with the BAM's power */
	atomic_t inj_prep_fail;		/* preps still to refuse */
};

/* Power events for the driver, delivered in order from a work item */
enum sim_ev_type {
	SIM_EV_ACK,
	SIM_EV_POWER,
};

struct sim_ev {
	u8 type;
	bool on;
};

struct sim_vote {
	bool on;
	ktime_t due;
};

/*
 * Statistics shown in debugfs "stats", all under sm->lock. The order of
 * the enum is the order of the file; sim_stat_names[] in sim_debugfs.c
 * gives the names.
 */
enum sim_stat {
	/* modem to host (the "rx" DMA channel) */
	SIM_ST_RX_FRAMES,		/* frames completed into RX buffers */
	SIM_ST_RX_CTRL,			/* of which OPEN/CLOSE */
	SIM_ST_RX_INJECTED,		/* of which fault frames */
	SIM_ST_RX_DROP_QUEUE_FULL,
	SIM_ST_RX_DROP_UNOPENED,	/* bdsim xmit, host has not opened */
	SIM_ST_RX_DROP_CLOSED,		/* bdsim xmit, modem closed channel */
	SIM_ST_RX_DROP_OVERSIZE,	/* bdsim xmit longer than 2040 */
	SIM_ST_RX_DROP_CRASH,		/* queued or sent while crashed */
	SIM_ST_RX_DROP_RESET,		/* flushed when the host went away */
	SIM_ST_RX_DROP_NOMEM,
	SIM_ST_RX_QUEUE_MAX,		/* highest queue depth seen */
	/* host to modem (the "tx" DMA channel) */
	SIM_ST_TX_FRAMES,		/* descriptors parsed */
	SIM_ST_TX_BAD_MAGIC,
	SIM_ST_TX_BAD_CMD,
	SIM_ST_TX_BAD_CHANNEL,
	SIM_ST_TX_OVERSIZE,
	SIM_ST_TX_SHORT,
	SIM_ST_TX_BAD_PAD,
	SIM_ST_TX_UNOPENED,		/* DATA on a channel the host did not open */
	SIM_ST_TX_CLOSED,		/* DATA on a channel the modem did not open */
	SIM_ST_TX_DROP_DOWN,		/* bdsim absent or down */
	SIM_ST_TX_DROP_NOMEM,
	SIM_ST_TX_PAD_NOT_MINIMAL,	/* more pad than needed (still accepted) */
	SIM_ST_TX_PAD_NONZERO,		/* pad bytes not zero (still accepted) */
	SIM_ST_TX_TRAILING,		/* descriptor longer than the frame */
	SIM_ST_HOST_OPEN,		/* OPEN (or OPEN_NO_A2_PC) from the host */
	SIM_ST_HOST_OPEN_NO_A2_PC,
	SIM_ST_HOST_CLOSE,
	SIM_ST_MODEM_OPEN,		/* OPEN sent by the modem */
	SIM_ST_MODEM_CLOSE,
	/* DMA errors injected */
	SIM_ST_RX_DMA_ERROR,
	SIM_ST_TX_DMA_ERROR,
	/* injections, by name */
	SIM_ST_INJ_BAD_MAGIC,
	SIM_ST_INJ_BAD_CMD,
	SIM_ST_INJ_BAD_CHANNEL,
	SIM_ST_INJ_OVERSIZE,
	SIM_ST_INJ_SHORT,
	SIM_ST_INJ_BAD_PAD,
	SIM_ST_INJ_UNOPENED,
	SIM_ST_INJ_GARBAGE,
	SIM_ST_INJ_DMA_ERROR,
	SIM_ST_INJ_NO_ACK,
	SIM_ST_INJ_CRASH,
	SIM_ST_INJ_PREP_FAIL,
	/* power control */
	SIM_ST_VOTES_ON,
	SIM_ST_VOTES_OFF,
	SIM_ST_VOTES_IGNORED,		/* no_ack or crashed */
	SIM_ST_VOTES_UNACKED,		/* vote before the previous was acked */
	SIM_ST_ACKS_SENT,
	SIM_ST_HOST_ACKS,
	SIM_ST_HOST_ACKS_SPURIOUS,	/* host ack with no line change pending */
	SIM_ST_POWER_UP,
	SIM_ST_POWER_DOWN,
	SIM_ST_MODEM_WAKEUPS,		/* power-ups the modem started itself */
	SIM_ST_RAISES_DEFERRED,		/* power-ups held until the host acked a fall */
	SIM_ST_IDLE_POWER_DOWNS,
	SIM_ST_CRASHES,
	SIM_ST_RESTARTS,
	SIM_ST_EVENTS_LOST,		/* event queue overflow */
	SIM_ST_EVENTS_COALESCED,	/* line edges merged into a queued event */
	SIM_ST_BAM_POWER_OFF,		/* the BAM lost its power */
	SIM_ST_WAKES,			/* wake latencies measured */
	SIM_ST_WAKE_LAST_US,
	SIM_ST_WAKE_MIN_US,
	SIM_ST_WAKE_MAX_US,
	SIM_ST_MAX,
};

struct sim_modem {
	unsigned int id;
	struct platform_device *simdev;	/* ours: the DMA engine's device */
	struct platform_device *pdev;	/* "bam-dmux".id: the driver binds */
	char pdev_name[24];

	/* DMA engine */
	struct dma_device dd;
	struct dma_slave_map map[2];
	struct sim_chan chan[2];
	struct completion dd_released;
	bool dd_registered;

	spinlock_t lock;		/* everything below */
	bool dying;

	/* knobs (debugfs) */
	u32 rx_queue_len;
	u32 rate_rx_kbps;		/* modem to host, 0 = unlimited */
	u32 rate_tx_kbps;		/* host to modem, 0 = unlimited */
	u32 latency_us;			/* one way, both directions */
	u32 link_burst_us;		/* link model: release window */
	int engine_cpu;			/* where the tasklets run, or -1 */
	u32 channels;			/* bitmask announced at boot */
	u32 wake_delay_us;
	u32 idle_ms;
	u32 restart_ms;
	bool bam_powered_remotely;	/* the BAM loses power with the modem */
	bool residue_exact;		/* report result and residue (not bam_dma) */
	bool irq_coalesce;		/* power events merge, as a threaded IRQ */

	/* the BAM block */
	bool bam_powered;		/* powered: line up, or its fall not acked */
	bool bam_needs_reset;		/* lost power since the last BAM reset */
	unsigned int active_channels;	/* channels held by the client */
	u64 bam_resets;			/* first channel requested: BAM reset */

	/* protocol */
	u8 modem_open;			/* channels the modem announced */
	u8 host_open;			/* channels the host opened */
	u8 host_no_a2_pc;		/* opened with OPEN_NO_A2_PC */
	bool need_announce;		/* announce at the next power-up */
	struct sk_buff_head rxq;	/* frames for the host (unlocked use) */
	struct sk_buff_head air;	/* uplink frames in the air (own lock) */
	struct hrtimer air_timer;	/* delivers them at the far end */
	unsigned long last_activity;	/* jiffies of the last frame */

	/* faults waiting to happen */
	u32 inj_dma_error_any;
	u32 inj_dma_error_rx;
	u32 inj_dma_error_tx;
	u32 inj_no_ack;

	/* power control */
	bool pc_line;			/* the modem's pc line */
	bool host_vote;			/* the host's last vote */
	bool crashed;
	bool wake_pending;		/* modem-initiated wake timer armed */
	bool raise_pending;		/* power up once the host acks the fall */
	bool wake_measuring;
	ktime_t wake_start;
	unsigned int host_ack_pending;	/* line changes the host owes an ack */
	struct sim_vote voteq[SIM_VOTEQ_LEN];
	unsigned int vote_head, vote_count;
	struct hrtimer vote_timer;
	struct hrtimer wake_timer;
	struct hrtimer restart_timer;
	struct delayed_work idle_work;

	/* the driver's side of the provider */
	const struct bam_dmux_pc_events *events;
	void *ev_ctx;
	bool started;
	struct sim_ev evq[SIM_EVQ_LEN];
	unsigned int ev_head, ev_count;
	unsigned int ev_power_queued;	/* POWER events queued, not taken */
	unsigned int ev_ack_queued;	/* ACK events queued, not taken */
	struct work_struct ev_work;
	struct workqueue_struct *wq;	/* ordered: events and idle */

	/* modem-side interfaces */
	struct mutex ndev_lock;		/* serializes create/destroy */
	struct net_device __rcu *ndev[BAM_DMUX_NUM_CH];

	/* statistics */
	u64 st[SIM_ST_MAX];
	u64 ch_rx_frames[BAM_DMUX_NUM_CH], ch_rx_bytes[BAM_DMUX_NUM_CH];
	u64 ch_tx_frames[BAM_DMUX_NUM_CH], ch_tx_bytes[BAM_DMUX_NUM_CH];

	struct dentry *ddir;
};

/*
 * Link model: a frame of @len bytes enters a link that is busy until
 * *@link_free; it is serialized at @rate_kbps and arrives @latency_us
 * later. Returns its arrival time, 0 when the model is off (and then
 * reads no clock: the model costs nothing unless it is used).
 */
static inline ktime_t sim_link_ready(ktime_t *link_free, u32 len,
				     u32 rate_kbps, u32 latency_us)
{
	ktime_t start, now;
	u64 ser = 0;

	if (!rate_kbps && !latency_us)
		return 0;
	now = ktime_get();
	start = ktime_after(*link_free, now) ? *link_free : now;
	if (rate_kbps)
		ser = div_u64((u64)len * 8 * NSEC_PER_MSEC, rate_kbps);
	*link_free = ktime_add_ns(start, ser);
	return ktime_add_us(*link_free, latency_us);
}

static inline void sim_inc(struct sim_modem *sm, enum sim_stat s)
{
	sm->st[s]++;
}

/* sim_dma.c */
int sim_dma_register(struct sim_modem *sm);
void sim_dma_unregister(struct sim_modem *sm);
void sim_dma_kick(struct sim_modem *sm, enum sim_dir dir);
void sim_dma_chan_kick(struct sim_chan *sc);
void sim_dma_stop(struct sim_modem *sm);
void sim_dma_bam_power_locked(struct sim_modem *sm, bool on);
void sim_dma_bam_reboot_locked(struct sim_modem *sm);

/* sim_modem.c */
void sim_modem_init(struct sim_modem *sm);
void sim_modem_cleanup(struct sim_modem *sm);
int sim_modem_rx_enqueue(struct sim_modem *sm, struct sk_buff *frame);
struct sk_buff *sim_modem_frame_alloc(u8 cmd, u8 ch, const void *payload,
				      unsigned int len, gfp_t gfp);
void sim_modem_send_ctrl_locked(struct sim_modem *sm, u8 cmd, u8 ch);
void sim_modem_announce_locked(struct sim_modem *sm);
void sim_modem_flush_rxq_locked(struct sim_modem *sm, enum sim_stat why);
void sim_modem_tx_frame(struct sim_modem *sm, struct sim_desc *d,
			struct list_head *batch);
void sim_modem_rx_frame(struct sim_modem *sm, struct sim_desc *d,
			struct sk_buff *skb);
int sim_modem_inject(struct sim_modem *sm, const char *name, u32 count);
int sim_modem_open_close(struct sim_modem *sm, u8 cmd, unsigned int ch);
void *sim_dma_virt(struct sim_modem *sm, dma_addr_t addr, u32 len);

/* sim_power.c */
extern const struct bam_dmux_pc_ops sim_pc_ops;
void sim_pc_init(struct sim_modem *sm);
void sim_pc_cleanup(struct sim_modem *sm);
void sim_pc_boot(struct sim_modem *sm);
void sim_pc_wake_locked(struct sim_modem *sm);
void sim_pc_crash(struct sim_modem *sm);
void sim_pc_idle_kick(struct sim_modem *sm);

/* sim_netdev.c */
int sim_ndev_sync(struct sim_modem *sm, u32 channels);
void sim_ndev_destroy_all(struct sim_modem *sm);
void sim_ndev_deliver(struct sim_modem *sm, u8 ch, const void *data,
		      unsigned int len, struct list_head *batch);
void sim_ndev_deliver_flush(struct list_head *batch);
void sim_air_init(struct sim_modem *sm);
void sim_air_stop(struct sim_modem *sm);

/* sim_debugfs.c */
int sim_debugfs_init(void);
void sim_debugfs_exit(void);
void sim_debugfs_add(struct sim_modem *sm);
void sim_debugfs_remove(struct sim_modem *sm);

/* sim_fuzz.c */
void sim_fuzz_debugfs_add(struct sim_modem *sm);

#endif /* BAM_DMUX_SIM_H */

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * BAM-DMUX driver: private structures shared by the files of the driver.
 *
 * One struct bam_dmux per "bam-dmux" platform device (one per modem). It
 * owns the two DMA channels, the RX and TX rings, the NAPI instance, the
 * power-control state and up to BAM_DMUX_NUM_CH network interfaces, one
 * per channel the modem announced.
 */
#ifndef BAM_DMUX_H
#define BAM_DMUX_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/dmaengine.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/scatterlist.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "bam_dmux_pc.h"
#include "bam_dmux_wire.h"

#define BAM_DMUX_DRV_NAME		"bam-dmux"

#define BAM_DMUX_RING_MIN		8
#define BAM_DMUX_RING_MAX		1024
#define BAM_DMUX_RING_DEFAULT		64
#define BAM_DMUX_NAPI_WEIGHT_MAX	256

#define BAM_DMUX_AUTOSUSPEND_MS		1000
#define BAM_DMUX_REMOTE_TIMEOUT		msecs_to_jiffies(2000)
/* how long ethtool -G waits for the TX frames in flight to complete */
#define BAM_DMUX_TX_DRAIN_TIMEOUT	msecs_to_jiffies(1000)
/* how long a failed RX refill waits before it is retried */
#define BAM_DMUX_REFILL_RETRY		msecs_to_jiffies(10)

/* scatterlist entries of a fragmented TX frame: its head and its frags */
#define BAM_DMUX_TX_SG_MAX		(MAX_SKB_FRAGS + 1)

/* channel byte of a frame whose header could not be trusted */
#define BAM_DMUX_CH_UNKNOWN		0xff

/*
 * Per-device counters, shown by ethtool -S in this order under the names
 * in bam_dmux_stat_names[] (bam_dmux_ethtool.c).
 */
enum bam_dmux_stat {
	BAM_DMUX_STAT_RX_POLLS,
	BAM_DMUX_STAT_RX_BUDGET_EXHAUSTED,
	BAM_DMUX_STAT_RX_BAD_MAGIC,
	BAM_DMUX_STAT_RX_BAD_CMD,
	BAM_DMUX_STAT_RX_BAD_CHANNEL,
	BAM_DMUX_STAT_RX_OVERSIZE,
	BAM_DMUX_STAT_RX_SHORT,
	BAM_DMUX_STAT_RX_BAD_PAD,
	BAM_DMUX_STAT_RX_INACTIVE_CHANNEL,
	BAM_DMUX_STAT_RX_ALLOC_FAIL,
	BAM_DMUX_STAT_RX_DMA_ERROR,
	BAM_DMUX_STAT_TX_RING_FULL,
	BAM_DMUX_STAT_TX_DEFERRED,
	BAM_DMUX_STAT_TX_DMA_ERROR,
	BAM_DMUX_STAT_PC_VOTES,
	BAM_DMUX_STAT_PC_WAKEUPS,
	BAM_DMUX_STAT_PC_TIMEOUTS,
	BAM_DMUX_STAT_REMOTE_POWER_UP,
	BAM_DMUX_STAT_REMOTE_POWER_DOWN,
	BAM_DMUX_STAT_MODEM_RESTARTS,
	BAM_DMUX_STAT_PC_MERGED,
	BAM_DMUX_STAT_DMA_SETUP_FAIL,
	BAM_DMUX_STAT_NUM,
};

/*
 * One RX ring slot. The slot keeps its buffer across completions: a frame
 * that is refused, or a command, leaves the buffer in place (still mapped)
 * and the refill reposts it; a DATA frame handed to the stack takes the
 * buffer with it and the refill allocates a new one.
 */
struct bam_dmux_rx_slot {
	struct bam_dmux *dmux;
	/* the buffer: an skb, or a page_pool page; NULL when it went up */
	struct sk_buff *skb;
	struct page *page;
	dma_addr_t addr;
	u32 residue;			/* from the completion */
	u8 result;			/* enum dmaengine_tx_result */
	bool done;			/* completed, not yet processed */
};

/* One TX ring slot: a frame queued, submitted or in flight. */
struct bam_dmux_tx_slot {
	struct bam_dmux *dmux;
	struct sk_buff *skb;
	struct net_device *netdev;	/* NULL for a command frame */
	dma_addr_t addr;		/* a linear frame's mapping */
	struct scatterlist *sgl;	/* tx_sg: a fragmented frame's ... */
	u8 nents;			/* ... entries mapped; 0: linear */
	u32 payload;			/* payload bytes, for the statistics */
	u32 wire_len;			/* bytes counted in BQL */
	u8 ch;
	bool mapped;
	bool done;			/* completed, not yet reaped */
	bool error;			/* ... and the engine said it failed */
};

/* Per-CPU interface statistics. */
struct bam_dmux_pcpu_stats {
	u64_stats_t rx_packets;
	u64_stats_t rx_bytes;
	u64_stats_t tx_packets;
	u64_stats_t tx_bytes;
	u64_stats_t rx_dropped;
	u64_stats_t tx_dropped;
	u64_stats_t rx_errors;
	u64_stats_t tx_errors;
	struct u64_stats_sync syncp;
};

/* netdev_priv() of a wwanN interface */
struct bam_dmux_netdev {
	struct bam_dmux *dmux;
	struct bam_dmux_pcpu_stats __percpu *stats;
	u8 ch;
};

/**
 * struct bam_dmux - one BAM-DMUX device (one modem)
 * @dev: the "bam-dmux" platform device
 * @node: in the module's list of bound devices
 * @pc_ops: the power-control provider (Qualcomm or the simulator)
 * @pc: the provider's own state
 * @pc_lock: owns the link state below and the DMA channels: every field
 *	from @pc_want to @rx_chan/@tx_chan is written under it, and
 *	bam_dmux_link_update() alone derives from them whether TX may submit
 * @pc_want: runtime PM wants the link (resumed, or resuming)
 * @pc_vote: the vote we signalled last
 * @pc_acked: the modem acked @pc_vote
 * @remote_up: the modem's pc line is up, our DMA channels are held and RX
 *	buffers are posted
 * @pc_wait: woken when @pc_acked, @remote_up or @tx_ready change
 * @pc_started: the provider delivers events
 * @removing: remove() runs: no new work
 * @restart_counted: this power-up's modem restart is counted already
 * @rx_chan: the "rx" DMA channel, held while @remote_up: a remotely
 *	powered BAM loses every pipe with its power, so the channels are
 *	requested when the modem's line rises and released before we ack
 *	its fall
 * @tx_chan: the "tx" DMA channel, held as @rx_chan
 * @rx_ring: the RX ring (bam_dmux_rx.c)
 * @rx_size: its size
 * @rx_size_next: a size asked for by ethtool -G while RX ran, applied at
 *	the modem's next power-down (0: none)
 * @rx_head: index of the oldest posted slot
 * @rx_posted: slots posted from @rx_head on
 * @rx_active: RX is set up (NAPI enabled, buffers posted)
 * @rx_cb_armed: RX completion callbacks schedule NAPI; cleared when it is
 *	scheduled, set again when a poll completes (bam_dmux_rx.c)
 * @use_napi: deliver through NAPI (module parameter napi)
 * @want_page_pool: RX buffers from a page_pool (module parameter
 *	rx_page_pool); the pool is made at the first power-up, against the
 *	DMA channel's device
 * @page_pool: that pool
 * @rx_lock: serializes napi=0 delivery; with NAPI, the end of a poll
 *	against bam_dmux_rx_stop()
 * @napi: the device's one NAPI instance (one RX pipe for all channels)
 * @napi_dev: the dummy netdev @napi hangs on
 * @refill_work: retries a failed RX refill
 * @tx_lock: protects the TX ring and the queue stop/wake decisions
 * @tx_napi: reaps TX completions: the DMA callback marks its slot done
 *	and schedules it, so the frames a completion run finished are
 *	reported to BQL and runtime PM once, when the run is over
 * @tx_cb_armed: TX completion callbacks schedule @tx_napi; cleared when
 *	it is scheduled, set again when a poll completes (bam_dmux_tx.c)
 * @tx_ring: the TX ring (bam_dmux_tx.c)
 * @tx_size: its size
 * @tx_head: index of the oldest slot in use
 * @tx_inflight: slots submitted from @tx_head on
 * @tx_sg: fragmented frames go out as one transfer of several
 *	descriptors (module parameter tx_sg); the interfaces offer NETIF_F_SG
 * @tx_sgl: with @tx_sg, BAM_DMUX_TX_SG_MAX entries for each slot
 * @tx_count: slots in use: in flight, then deferred; while it is not 0
 *	the ring holds one runtime PM usage count
 * @tx_ready: TX may submit directly; written under @pc_lock and @tx_lock
 * @tx_stopped: the queues are stopped: the ring is full
 * @tx_frozen: a resize waits for the ring to drain: submit nothing
 * @tx_unissued: a slot was submitted (xmit_more) and not issued yet
 * @tx_wait: woken when @tx_inflight or @tx_count reaches 0
 * @tx_work: deferred TX: resume the link, then submit what waits
 * @netdevs: the interfaces, by channel
 * @remote_open: channels the modem opened
 * @host_open: channels we sent OPEN on
 * @open_lost: OPENs dropped before the modem saw them: sent again
 * @no_a2_pc: channels opened with OPEN_NO_A2_PC, each holding our vote
 * @channel_work: creates interfaces and sends OPENs (it sleeps)
 * @stats: the counters of ethtool -S, by enum bam_dmux_stat
 */
struct bam_dmux {
	struct device *dev;
	struct list_head node;

	/* power control and the link state */
	const struct bam_dmux_pc_ops *pc_ops;
	void *pc;
	struct mutex pc_lock;
	bool pc_want;
	bool pc_vote;
	bool pc_acked;
	bool remote_up;
	wait_queue_head_t pc_wait;
	bool pc_started;
	bool removing;
	bool restart_counted;

	/* DMA, held while the modem powers the BAM */
	struct dma_chan *rx_chan;
	struct dma_chan *tx_chan;

	/* RX ring and NAPI */
	struct bam_dmux_rx_slot *rx_ring;
	u32 rx_size;
	u32 rx_size_next;
	u32 rx_head;
	u32 rx_posted;
	bool rx_active;
	bool rx_cb_armed;
	bool use_napi;
	bool want_page_pool;
	struct page_pool *page_pool;
	spinlock_t rx_lock;
	struct napi_struct napi;
	struct net_device napi_dev;
	struct delayed_work refill_work;

	/* TX ring */
	spinlock_t tx_lock;
	struct napi_struct tx_napi;
	struct bam_dmux_tx_slot *tx_ring;
	u32 tx_size;
	bool tx_sg;
	struct scatterlist *tx_sgl;
	u32 tx_head;
	u32 tx_inflight;
	u32 tx_count;
	bool tx_cb_armed;
	bool tx_ready;
	bool tx_stopped;
	bool tx_frozen;
	bool tx_unissued;
	wait_queue_head_t tx_wait;
	struct work_struct tx_work;

	/* channels and interfaces */
	struct net_device *netdevs[BAM_DMUX_NUM_CH];
	unsigned long remote_open;
	unsigned long host_open;
	unsigned long open_lost;
	unsigned long no_a2_pc;
	struct work_struct channel_work;

	atomic_long_t stats[BAM_DMUX_STAT_NUM];
};

/*
 * Schedule @napi and disarm the DMA completion callbacks that schedule it
 * (@armed) until its poll re-arms them: what masking its interrupt does
 * for a NIC. The DMA engine calls back once per descriptor, all of a
 * completion run's callbacks in a row (bam_dma's from one tasklet), and
 * each napi_schedule() while NAPI waits to run would set its MISSED bit:
 * the poll that takes the whole run would then be followed by one that
 * finds nothing.
 */
static inline void bam_dmux_napi_schedule_disarm(struct napi_struct *napi,
						 bool *armed)
{
	if (napi_schedule_prep(napi)) {
		WRITE_ONCE(*armed, false);
		__napi_schedule(napi);
	}
}

static inline void bam_dmux_stat_inc(struct bam_dmux *dmux,
				     enum bam_dmux_stat stat)
{
	atomic_long_inc(&dmux->stats[stat]);
}

static inline void bam_dmux_stat_add(struct bam_dmux *dmux,
				     enum bam_dmux_stat stat, long n)
{
	atomic_long_add(n, &dmux->stats[stat]);
}

/* interface statistics helpers (bam_dmux_netdev.c) */
enum bam_dmux_ndstat {
	BAM_DMUX_ND_RX,
	BAM_DMUX_ND_TX,
	BAM_DMUX_ND_RX_DROP,
	BAM_DMUX_ND_TX_DROP,
	BAM_DMUX_ND_RX_ERR,
	BAM_DMUX_ND_TX_ERR,
};

void bam_dmux_netdev_count(struct net_device *netdev, enum bam_dmux_ndstat what,
			   unsigned int bytes);

/* main */
extern const struct ethtool_ops bam_dmux_ethtool_ops;
u32 bam_dmux_param_rx_ring(void);
u32 bam_dmux_param_tx_ring(void);

/* RX: bam_dmux_rx.c */
int bam_dmux_rx_init(struct bam_dmux *dmux, u32 size, bool use_napi, int weight,
		     bool page_pool);
void bam_dmux_rx_exit(struct bam_dmux *dmux);
int bam_dmux_rx_start(struct bam_dmux *dmux);
void bam_dmux_rx_stop(struct bam_dmux *dmux);
int bam_dmux_rx_resize(struct bam_dmux *dmux, u32 size);
void bam_dmux_set_napi_weight(struct bam_dmux *dmux, int weight);

/* TX: bam_dmux_tx.c */
int bam_dmux_tx_init(struct bam_dmux *dmux, u32 size, bool sg);
void bam_dmux_tx_exit(struct bam_dmux *dmux);
netdev_tx_t bam_dmux_tx_data(struct bam_dmux *dmux, struct sk_buff *skb,
			     struct net_device *netdev, u8 ch);
int bam_dmux_tx_cmd(struct bam_dmux *dmux, u8 cmd, u8 ch, gfp_t gfp);
void bam_dmux_tx_set_ready(struct bam_dmux *dmux, bool ready);
bool bam_dmux_tx_quiesce(struct bam_dmux *dmux);
void bam_dmux_tx_abort(struct bam_dmux *dmux);
int bam_dmux_tx_resize(struct bam_dmux *dmux, u32 size);
void bam_dmux_tx_attach(struct bam_dmux *dmux, struct net_device *netdev);
void bam_dmux_tx_start(struct bam_dmux *dmux, struct net_device *netdev);

/* power control and the link: bam_dmux_power.c */
int bam_dmux_power_init(struct bam_dmux *dmux);
void bam_dmux_power_exit(struct bam_dmux *dmux);
void bam_dmux_no_a2_pc(struct bam_dmux *dmux, u8 ch, bool hold);
int bam_dmux_pm_get(struct bam_dmux *dmux);
extern const struct dev_pm_ops bam_dmux_pm_ops;

/* channels and interfaces: bam_dmux_netdev.c */
void bam_dmux_channel_remote(struct bam_dmux *dmux, u8 ch, u8 cmd);
void bam_dmux_channels_lost(struct bam_dmux *dmux);
void bam_dmux_channel_work(struct work_struct *work);
void bam_dmux_netdevs_remove(struct bam_dmux *dmux,
			     struct net_device *netdevs[BAM_DMUX_NUM_CH]);
void bam_dmux_netdevs_free(struct net_device *netdevs[BAM_DMUX_NUM_CH]);

/* Qualcomm provider: bam_dmux_pc_qcom.c, built only where it can be */
#if IS_ENABLED(CONFIG_QCOM_SMEM_STATE) || defined(BAM_DMUX_PC_QCOM)
int bam_dmux_pc_qcom_get(struct device *dev, const struct bam_dmux_pc_ops **ops,
			 void **provider);
#else
static inline int bam_dmux_pc_qcom_get(struct device *dev,
				       const struct bam_dmux_pc_ops **ops,
				       void **provider)
{
	return -ENODEV;
}
#endif

#endif /* BAM_DMUX_H */

// SPDX-License-Identifier: GPL-2.0-only
/*
 * BAM-DMUX RX: the ring of buffers posted to the modem's "rx" pipe and the
 * NAPI poll that drains it.
 *
 * The DMA completion callback only records the result in its slot and
 * schedules NAPI. The poll walks the completed slots in posting order,
 * validates each frame, hands DATA frames to GRO and commands to the
 * channel code, then refills the ring in one batch and issues pending
 * once. With the module parameter napi=0 the callback itself delivers each
 * frame and reposts its buffer, as the mainline driver does.
 *
 * A slot keeps its buffer (mapped) when the frame in it was refused or was
 * a command: the refill reposts it. A failed allocation leaves the slot
 * empty; the refill is retried by the next poll and, when nothing is left
 * posted to cause one, by a delayed work item, so no slot is ever lost.
 *
 * What a frame is comes from its header alone: bam_dma completes every
 * descriptor with no result and no residue. An engine that reports them
 * (the simulator with residue=exact) gets two more checks: a DMA error,
 * and a payload longer than the bytes transferred. bam_dma does not tell
 * a transfer that failed, either: every buffer is posted with a zeroed
 * header, so that one completed with nothing written is told from a frame
 * (counted as rx_dma_error) rather than read for what was there before.
 *
 * RX runs only while the modem's pc line is up (bam_dmux_power.c): its
 * pipe is stopped and its buffers freed before the line's fall is acked.
 */
#include <linux/dma-mapping.h>
#include <linux/if_ether.h>
#include <linux/skbuff.h>
#include <net/page_pool.h>

#include "bam_dmux.h"
#include "bam_dmux_trace.h"

static const struct {
	enum bam_dmux_stat stat;
	const char *name;
} bam_dmux_rx_errs[BAM_DMUX_FRAME_ERR_MAX] = {
	[BAM_DMUX_FRAME_BAD_MAGIC] = { BAM_DMUX_STAT_RX_BAD_MAGIC, "bad magic" },
	[BAM_DMUX_FRAME_BAD_CMD] = { BAM_DMUX_STAT_RX_BAD_CMD, "bad command" },
	[BAM_DMUX_FRAME_BAD_CHANNEL] = { BAM_DMUX_STAT_RX_BAD_CHANNEL, "bad channel" },
	[BAM_DMUX_FRAME_OVERSIZE] = { BAM_DMUX_STAT_RX_OVERSIZE, "oversize" },
	[BAM_DMUX_FRAME_SHORT] = { BAM_DMUX_STAT_RX_SHORT, "short" },
	[BAM_DMUX_FRAME_BAD_PAD] = { BAM_DMUX_STAT_RX_BAD_PAD, "bad padding" },
	[BAM_DMUX_FRAME_INACTIVE_CHANNEL] = { BAM_DMUX_STAT_RX_INACTIVE_CHANNEL,
					      "inactive channel" },
	[BAM_DMUX_FRAME_DMA_ERROR] = { BAM_DMUX_STAT_RX_DMA_ERROR, "DMA error" },
	[BAM_DMUX_FRAME_NO_MEMORY] = { BAM_DMUX_STAT_RX_ALLOC_FAIL, "no memory" },
};

static struct device *bam_dmux_rx_dma_dev(struct bam_dmux *dmux)
{
	return dmux->rx_chan->device->dev;
}

static struct bam_dmux_rx_slot *bam_dmux_rx_slot(struct bam_dmux *dmux, u32 n)
{
	return &dmux->rx_ring[(dmux->rx_head + n) % dmux->rx_size];
}

static void bam_dmux_rx_drop(struct bam_dmux *dmux, u8 ch,
			     enum bam_dmux_frame_err err)
{
	if (err <= BAM_DMUX_FRAME_OK || err >= BAM_DMUX_FRAME_ERR_MAX)
		return;

	bam_dmux_stat_inc(dmux, bam_dmux_rx_errs[err].stat);
	trace_bam_dmux_rx_drop(dmux->dev, ch, err);
	dev_warn_ratelimited(dmux->dev, "RX frame dropped (ch %u): %s\n", ch,
			     bam_dmux_rx_errs[err].name);
}

static void bam_dmux_rx_callback(void *param,
				 const struct dmaengine_result *result);

/*
 * RX buffers are one skb per slot (mapped once, unmapped when it goes up),
 * or with rx_page_pool=1 one page_pool page per slot (mapped by the pool,
 * turned into an skb with napi_build_skb() and recycled by the stack).
 */
#define BAM_DMUX_RX_HEADROOM	NET_SKB_PAD

/*
 * The modem writes the buffers, and we write the zeroed header it must
 * see before it does: both ways. (With a bounce buffer between, a
 * DMA_FROM_DEVICE sync for the device copies nothing, and a buffer
 * completed unwritten would show the bounce buffer's last frame.)
 */
#define BAM_DMUX_RX_DMA_DIR	DMA_BIDIRECTIONAL

static int bam_dmux_rx_buf_alloc(struct bam_dmux *dmux,
				 struct bam_dmux_rx_slot *slot, gfp_t gfp)
{
	struct device *dma_dev = bam_dmux_rx_dma_dev(dmux);
	struct sk_buff *skb;
	struct page *page;

	if (dmux->page_pool) {
		page = page_pool_alloc_pages(dmux->page_pool, gfp | __GFP_NOWARN);
		if (!page)
			return -ENOMEM;
		slot->page = page;
		slot->addr = page_pool_get_dma_addr(page) + BAM_DMUX_RX_HEADROOM;
		return 0;
	}

	skb = __netdev_alloc_skb(NULL, BAM_DMUX_BUFFER_SIZE, gfp | __GFP_NOWARN);
	if (!skb)
		return -ENOMEM;
	slot->addr = dma_map_single(dma_dev, skb->data, BAM_DMUX_BUFFER_SIZE,
				    BAM_DMUX_RX_DMA_DIR);
	if (dma_mapping_error(dma_dev, slot->addr)) {
		dev_kfree_skb_any(skb);
		return -ENOMEM;
	}
	slot->skb = skb;
	return 0;
}

static bool bam_dmux_rx_has_buf(const struct bam_dmux_rx_slot *slot)
{
	return slot->skb || slot->page;
}

static void *bam_dmux_rx_buf_va(const struct bam_dmux_rx_slot *slot)
{
	if (slot->page)
		return page_address(slot->page) + BAM_DMUX_RX_HEADROOM;
	return slot->skb->data;
}

static void bam_dmux_rx_buf_free(struct bam_dmux *dmux,
				 struct bam_dmux_rx_slot *slot)
{
	if (slot->page) {
		page_pool_put_full_page(dmux->page_pool, slot->page, false);
		slot->page = NULL;
	} else if (slot->skb) {
		dma_unmap_single(bam_dmux_rx_dma_dev(dmux), slot->addr,
				 BAM_DMUX_BUFFER_SIZE, BAM_DMUX_RX_DMA_DIR);
		dev_kfree_skb_any(slot->skb);
		slot->skb = NULL;
	}
}

/* Take the buffer out of @slot as an skb holding @len payload bytes. */
static struct sk_buff *bam_dmux_rx_buf_take(struct bam_dmux *dmux,
					    struct bam_dmux_rx_slot *slot,
					    unsigned int len, bool napi)
{
	struct sk_buff *skb;

	if (slot->page) {
		void *va = page_address(slot->page);

		skb = napi ? napi_build_skb(va, PAGE_SIZE) :
			     build_skb(va, PAGE_SIZE);
		if (!skb)
			return NULL;	/* the page stays in the slot */
		skb_mark_for_recycle(skb);
		skb_reserve(skb, BAM_DMUX_RX_HEADROOM);
		slot->page = NULL;
	} else {
		skb = slot->skb;
		slot->skb = NULL;
		dma_unmap_single(bam_dmux_rx_dma_dev(dmux), slot->addr,
				 BAM_DMUX_BUFFER_SIZE, BAM_DMUX_RX_DMA_DIR);
	}
	skb_put(skb, BAM_DMUX_HDR_SIZE + len);
	skb_pull(skb, BAM_DMUX_HDR_SIZE);
	return skb;
}

/*
 * The header a buffer is posted with: all zero, which no frame has (its
 * magic is 0x33fc). Still there on completion, nothing was written.
 */
static void bam_dmux_rx_buf_mark(struct bam_dmux *dmux,
				 struct bam_dmux_rx_slot *slot)
{
	memset(bam_dmux_rx_buf_va(slot), 0, BAM_DMUX_HDR_SIZE);
	/* the CPU only read the rest since the last sync for the CPU */
	dma_sync_single_for_device(bam_dmux_rx_dma_dev(dmux), slot->addr,
				   BAM_DMUX_HDR_SIZE, BAM_DMUX_RX_DMA_DIR);
}

static bool bam_dmux_rx_buf_unwritten(const struct bam_dmux_hdr *hdr)
{
	static const u8 zero[BAM_DMUX_HDR_SIZE];

	return !memcmp(hdr, zero, sizeof(zero));
}

/* Post the buffer of @slot, allocating one when the slot has none. */
static int bam_dmux_rx_post(struct bam_dmux *dmux,
			    struct bam_dmux_rx_slot *slot, gfp_t gfp)
{
	struct dma_async_tx_descriptor *desc;
	dma_cookie_t cookie;

	if (!bam_dmux_rx_has_buf(slot) &&
	    bam_dmux_rx_buf_alloc(dmux, slot, gfp))
		return -ENOMEM;
	bam_dmux_rx_buf_mark(dmux, slot);

	desc = dmaengine_prep_slave_single(dmux->rx_chan, slot->addr,
					   BAM_DMUX_BUFFER_SIZE, DMA_DEV_TO_MEM,
					   DMA_PREP_INTERRUPT);
	if (!desc)
		return -ENOMEM;

	desc->callback_result = bam_dmux_rx_callback;
	desc->callback_param = slot;
	slot->done = false;
	cookie = dmaengine_submit(desc);
	if (dma_submit_error(cookie))
		return -EIO;
	return 0;
}

/*
 * Post every empty slot; issue pending once when anything was posted.
 * Returns false when the ring could not be filled.
 */
static bool bam_dmux_rx_refill(struct bam_dmux *dmux, gfp_t gfp)
{
	u32 posted = 0;
	bool full = true;

	while (dmux->rx_posted < dmux->rx_size) {
		struct bam_dmux_rx_slot *slot;

		slot = bam_dmux_rx_slot(dmux, dmux->rx_posted);
		if (bam_dmux_rx_post(dmux, slot, gfp)) {
			bam_dmux_stat_inc(dmux, BAM_DMUX_STAT_RX_ALLOC_FAIL);
			full = false;
			break;
		}
		dmux->rx_posted++;
		posted++;
	}

	if (posted) {
		trace_bam_dmux_rx_refill(dmux->dev, dmux->rx_posted);
		dma_async_issue_pending(dmux->rx_chan);
	}
	if (!full)
		schedule_delayed_work(&dmux->refill_work,
				      BAM_DMUX_REFILL_RETRY);
	return full;
}

static __be16 bam_dmux_rx_protocol(const struct sk_buff *skb)
{
	if (!skb->len)
		return htons(ETH_P_MAP);
	switch (skb->data[0] & 0xf0) {
	case 0x40:
		return htons(ETH_P_IP);
	case 0x60:
		return htons(ETH_P_IPV6);
	default:
		/* not Raw-IP: QMAP, never dropped silently */
		return htons(ETH_P_MAP);
	}
}

/* DATA frames delivered per channel in one RX run, for bam_dmux_rx_batch */
struct bam_dmux_rx_batch {
	u32 packets[BAM_DMUX_NUM_CH];
	u32 bytes[BAM_DMUX_NUM_CH];
};

static void bam_dmux_rx_data(struct bam_dmux *dmux,
			     struct bam_dmux_rx_slot *slot,
			     const struct bam_dmux_hdr *hdr, bool napi,
			     struct bam_dmux_rx_batch *batch)
{
	u16 len = bam_dmux_le16_to_cpu(hdr->len);
	struct net_device *netdev;
	struct sk_buff *skb;
	u8 ch = hdr->ch;

	netdev = READ_ONCE(dmux->netdevs[ch]);
	if (!netdev || !test_bit(ch, &dmux->remote_open) ||
	    !test_bit(ch, &dmux->host_open)) {
		if (netdev)
			bam_dmux_netdev_count(netdev, BAM_DMUX_ND_RX_DROP, 0);
		bam_dmux_rx_drop(dmux, ch, BAM_DMUX_FRAME_INACTIVE_CHANNEL);
		return;
	}

	/* the buffer goes up the stack; the refill allocates a new one */
	skb = bam_dmux_rx_buf_take(dmux, slot, len, napi);
	if (!skb) {
		bam_dmux_netdev_count(netdev, BAM_DMUX_ND_RX_DROP, 0);
		bam_dmux_rx_drop(dmux, ch, BAM_DMUX_FRAME_NO_MEMORY);
		return;
	}
	skb->dev = netdev;
	skb->protocol = bam_dmux_rx_protocol(skb);
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);

	bam_dmux_netdev_count(netdev, BAM_DMUX_ND_RX, len);
	trace_bam_dmux_rx(dmux->dev, ch, len);
	if (batch) {
		batch->packets[ch]++;
		batch->bytes[ch] += len;
	}

	if (napi)
		napi_gro_receive(&dmux->napi, skb);
	else
		netif_receive_skb(skb);
}

/* Handle one completed slot. */
static void bam_dmux_rx_frame(struct bam_dmux *dmux,
			      struct bam_dmux_rx_slot *slot, bool napi,
			      struct bam_dmux_rx_batch *batch)
{
	const struct bam_dmux_hdr *hdr;
	enum bam_dmux_frame_err err;
	unsigned int transferred;

	/* reported by engines other than bam_dma only */
	if (slot->result != DMA_TRANS_NOERROR) {
		bam_dmux_rx_drop(dmux, BAM_DMUX_CH_UNKNOWN,
				 BAM_DMUX_FRAME_DMA_ERROR);
		return;
	}

	/* a residue of 0 (bam_dma's) says nothing: trust the header */
	transferred = BAM_DMUX_BUFFER_SIZE -
		      min_t(u32, slot->residue, BAM_DMUX_BUFFER_SIZE);
	dma_sync_single_for_cpu(bam_dmux_rx_dma_dev(dmux), slot->addr,
				BAM_DMUX_BUFFER_SIZE, BAM_DMUX_RX_DMA_DIR);

	hdr = bam_dmux_rx_buf_va(slot);
	if (bam_dmux_rx_buf_unwritten(hdr)) {
		bam_dmux_rx_drop(dmux, BAM_DMUX_CH_UNKNOWN,
				 BAM_DMUX_FRAME_DMA_ERROR);
		return;
	}
	err = bam_dmux_hdr_validate(hdr, transferred);
	if (err) {
		bam_dmux_rx_drop(dmux, transferred >= BAM_DMUX_HDR_SIZE ?
				 hdr->ch : BAM_DMUX_CH_UNKNOWN, err);
		return;
	}

	if (hdr->cmd == BAM_DMUX_CMD_DATA)
		bam_dmux_rx_data(dmux, slot, hdr, napi, batch);
	else
		bam_dmux_channel_remote(dmux, hdr->ch, hdr->cmd);
}

static bool bam_dmux_rx_pending(struct bam_dmux *dmux)
{
	return dmux->rx_posted &&
	       smp_load_acquire(&bam_dmux_rx_slot(dmux, 0)->done);
}

/* see bam_dmux_napi_schedule_disarm() */
static void bam_dmux_rx_napi_schedule(struct bam_dmux *dmux)
{
	bam_dmux_napi_schedule_disarm(&dmux->napi, &dmux->rx_cb_armed);
}

/*
 * The poll is over and NAPI idle: re-arm the callbacks, then look again
 * at @head, the oldest posted slot, for a completion that came while they
 * were disarmed. Each side writes its flag, then a full barrier, then
 * reads the other's: a callback that misses the re-arm has its slot seen
 * here. @head is NULL when nothing is posted: no buffer can complete,
 * and the delayed refill that posts again schedules NAPI.
 */
static void bam_dmux_rx_rearm(struct bam_dmux *dmux,
			      struct bam_dmux_rx_slot *head)
{
	WRITE_ONCE(dmux->rx_cb_armed, true);
	smp_mb();
	if (head && smp_load_acquire(&head->done))
		bam_dmux_rx_napi_schedule(dmux);
}

static void bam_dmux_rx_batch_trace(struct bam_dmux *dmux,
				    const struct bam_dmux_rx_batch *batch)
{
	u8 ch;

	for (ch = 0; ch < BAM_DMUX_NUM_CH; ch++)
		if (batch->packets[ch])
			trace_bam_dmux_rx_batch(dmux->dev, ch,
						batch->packets[ch],
						batch->bytes[ch]);
}

/* Process up to @budget completed slots in posting order. */
static int bam_dmux_rx_process(struct bam_dmux *dmux, int budget, bool napi)
{
	struct bam_dmux_rx_batch batch, *counted = NULL;
	int done = 0;

	/* counted only while someone listens */
	if (trace_bam_dmux_rx_batch_enabled()) {
		memset(&batch, 0, sizeof(batch));
		counted = &batch;
	}

	while (done < budget && bam_dmux_rx_pending(dmux)) {
		struct bam_dmux_rx_slot *slot = bam_dmux_rx_slot(dmux, 0);

		WRITE_ONCE(slot->done, false);
		dmux->rx_head = (dmux->rx_head + 1) % dmux->rx_size;
		dmux->rx_posted--;
		bam_dmux_rx_frame(dmux, slot, napi, counted);
		done++;
	}
	if (counted && done)
		bam_dmux_rx_batch_trace(dmux, counted);
	return done;
}

static int bam_dmux_rx_poll(struct napi_struct *napi, int budget)
{
	struct bam_dmux *dmux = container_of(napi, struct bam_dmux, napi);
	struct bam_dmux_rx_slot *head;
	int done;

	/* budget 0 (netpoll) asks for TX work only: there is none here */
	if (!budget)
		return 0;

	bam_dmux_stat_inc(dmux, BAM_DMUX_STAT_RX_POLLS);
	done = bam_dmux_rx_process(dmux, budget, true);
	bam_dmux_rx_refill(dmux, GFP_ATOMIC);
	trace_bam_dmux_rx_poll(dmux->dev, budget, done, dmux->rx_posted);

	if (done == budget) {
		bam_dmux_stat_inc(dmux, BAM_DMUX_STAT_RX_BUDGET_EXHAUSTED);
		return budget;
	}

	/* taken while the ring is still ours: another poll may start below */
	head = dmux->rx_posted ? bam_dmux_rx_slot(dmux, 0) : NULL;
	/*
	 * Once NAPI is complete, napi_disable() no longer waits for us:
	 * bam_dmux_rx_stop() takes rx_lock after it, so it cannot free the
	 * ring before the re-check below is done with @head.
	 */
	spin_lock(&dmux->rx_lock);
	if (napi_complete_done(napi, done))
		bam_dmux_rx_rearm(dmux, head);
	spin_unlock(&dmux->rx_lock);
	return done;
}

/* napi=0: deliver from the DMA callback, one frame at a time. */
static void bam_dmux_rx_direct(struct bam_dmux *dmux)
{
	do {
		/* a nested or concurrent callback leaves the work to the holder */
		if (!spin_trylock(&dmux->rx_lock))
			return;
		if (dmux->rx_active) {
			bam_dmux_rx_process(dmux, INT_MAX, false);
			bam_dmux_rx_refill(dmux, GFP_ATOMIC);
		}
		spin_unlock(&dmux->rx_lock);
	} while (READ_ONCE(dmux->rx_active) && bam_dmux_rx_pending(dmux));
}

static void bam_dmux_rx_callback(void *param,
				 const struct dmaengine_result *result)
{
	struct bam_dmux_rx_slot *slot = param;
	struct bam_dmux *dmux = slot->dmux;

	slot->result = result ? result->result : DMA_TRANS_NOERROR;
	slot->residue = result ? result->residue : 0;
	smp_store_release(&slot->done, true);

	if (dmux->use_napi) {
		/* pairs with the barrier in bam_dmux_rx_rearm() */
		smp_mb();
		if (READ_ONCE(dmux->rx_cb_armed))
			bam_dmux_rx_napi_schedule(dmux);
	} else {
		bam_dmux_rx_direct(dmux);
	}
}

static void bam_dmux_rx_refill_work(struct work_struct *work)
{
	struct bam_dmux *dmux = container_of(to_delayed_work(work),
					     struct bam_dmux, refill_work);

	local_bh_disable();
	if (READ_ONCE(dmux->rx_active)) {
		if (dmux->use_napi)
			bam_dmux_rx_napi_schedule(dmux);
		else
			bam_dmux_rx_direct(dmux);
	}
	local_bh_enable();
}

static int bam_dmux_rx_page_pool_create(struct bam_dmux *dmux);
static int bam_dmux_rx_ring_apply(struct bam_dmux *dmux);

/*
 * Set up RX once the modem's pc line is up and the channel is held: post
 * every buffer and start. Called with pc_lock held.
 */
int bam_dmux_rx_start(struct bam_dmux *dmux)
{
	int ret;

	if (dmux->rx_active)
		return 0;
	if (dmux->want_page_pool && !dmux->page_pool) {
		ret = bam_dmux_rx_page_pool_create(dmux);
		if (ret)
			return ret;
	}
	bam_dmux_rx_ring_apply(dmux);

	dmux->rx_head = 0;
	dmux->rx_posted = 0;
	/* a stop may have come while NAPI was scheduled, disarmed */
	WRITE_ONCE(dmux->rx_cb_armed, true);
	if (dmux->use_napi)
		napi_enable(&dmux->napi);

	/*
	 * Nothing else touches the ring before the refill issues pending, so
	 * it may sleep to allocate here.
	 */
	WRITE_ONCE(dmux->rx_active, true);
	bam_dmux_rx_refill(dmux, GFP_KERNEL);
	return 0;
}

/* Count a frame that completed but was never processed. */
static void bam_dmux_rx_lost(struct bam_dmux *dmux,
			     struct bam_dmux_rx_slot *slot)
{
	const struct bam_dmux_hdr *hdr;
	struct net_device *netdev;
	unsigned int transferred;

	if (slot->result != DMA_TRANS_NOERROR)
		return;
	transferred = BAM_DMUX_BUFFER_SIZE -
		      min_t(u32, slot->residue, BAM_DMUX_BUFFER_SIZE);
	dma_sync_single_for_cpu(bam_dmux_rx_dma_dev(dmux), slot->addr,
				BAM_DMUX_BUFFER_SIZE, BAM_DMUX_RX_DMA_DIR);
	hdr = bam_dmux_rx_buf_va(slot);
	if (bam_dmux_hdr_validate(hdr, transferred) ||
	    hdr->cmd != BAM_DMUX_CMD_DATA)
		return;
	netdev = READ_ONCE(dmux->netdevs[hdr->ch]);
	if (netdev)
		bam_dmux_netdev_count(netdev, BAM_DMUX_ND_RX_DROP, 0);
}

/*
 * Stop RX DMA and free every buffer: the modem's pc line fell, so it
 * writes no more (or remove gave up waiting for it). Frames completed but
 * not yet delivered are counted as dropped on their interface. A ring
 * size asked for meanwhile applies now. Called with pc_lock held.
 */
void bam_dmux_rx_stop(struct bam_dmux *dmux)
{
	u32 i;

	if (!dmux->rx_active)
		return;

	if (dmux->use_napi)
		napi_disable(&dmux->napi);
	spin_lock_bh(&dmux->rx_lock);
	WRITE_ONCE(dmux->rx_active, false);
	spin_unlock_bh(&dmux->rx_lock);
	cancel_delayed_work_sync(&dmux->refill_work);
	dmaengine_terminate_sync(dmux->rx_chan);

	for (i = 0; i < dmux->rx_size; i++) {
		struct bam_dmux_rx_slot *slot = &dmux->rx_ring[i];

		if (!bam_dmux_rx_has_buf(slot))
			continue;
		if (slot->done)
			bam_dmux_rx_lost(dmux, slot);
		bam_dmux_rx_buf_free(dmux, slot);
		slot->done = false;
	}
	dmux->rx_head = 0;
	dmux->rx_posted = 0;
	bam_dmux_rx_ring_apply(dmux);
}

static struct bam_dmux_rx_slot *bam_dmux_rx_ring_alloc(struct bam_dmux *dmux,
							u32 size)
{
	struct bam_dmux_rx_slot *ring;
	u32 i;

	ring = kcalloc(size, sizeof(*ring), GFP_KERNEL);
	if (!ring)
		return NULL;
	for (i = 0; i < size; i++)
		ring[i].dmux = dmux;
	return ring;
}

/* Switch to the ring size asked for, while RX is stopped. pc_lock held. */
static int bam_dmux_rx_ring_apply(struct bam_dmux *dmux)
{
	struct bam_dmux_rx_slot *ring;
	u32 size = dmux->rx_size_next;

	if (!size)
		return 0;
	ring = bam_dmux_rx_ring_alloc(dmux, size);
	if (!ring) {
		dev_warn(dmux->dev, "no memory for an RX ring of %u\n", size);
		return -ENOMEM;
	}
	kfree(dmux->rx_ring);
	dmux->rx_ring = ring;
	WRITE_ONCE(dmux->rx_size, size);
	WRITE_ONCE(dmux->rx_size_next, 0);
	return 0;
}

/*
 * ethtool -G. The modem may write into any buffer posted, and bam_dma
 * resets a pipe it terminates, which faults a BAM still in use: so a
 * running ring is never torn down here. The new size applies at once
 * when RX is stopped, else when the modem next powers down (the ring is
 * stopped then anyway). pc_lock held.
 */
int bam_dmux_rx_resize(struct bam_dmux *dmux, u32 size)
{
	WRITE_ONCE(dmux->rx_size_next, size == dmux->rx_size ? 0 : size);
	if (dmux->rx_active)
		return 0;
	return bam_dmux_rx_ring_apply(dmux);
}

void bam_dmux_set_napi_weight(struct bam_dmux *dmux, int weight)
{
	WRITE_ONCE(dmux->napi.weight, weight);
}

static int bam_dmux_rx_page_pool_create(struct bam_dmux *dmux)
{
	struct page_pool_params pp = {
		.flags = PP_FLAG_DMA_MAP | PP_FLAG_DMA_SYNC_DEV,
		.order = 0,
		.pool_size = BAM_DMUX_RING_MAX,
		.nid = NUMA_NO_NODE,
		.dev = bam_dmux_rx_dma_dev(dmux),
		.dma_dir = BAM_DMUX_RX_DMA_DIR,
		.max_len = BAM_DMUX_BUFFER_SIZE,
		.offset = BAM_DMUX_RX_HEADROOM,
	};
	struct page_pool *pool;

	/* one buffer and its skb_shared_info per page */
	BUILD_BUG_ON(SKB_DATA_ALIGN(BAM_DMUX_RX_HEADROOM + BAM_DMUX_BUFFER_SIZE) +
		     SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) > PAGE_SIZE);

	pool = page_pool_create(&pp);
	if (IS_ERR(pool))
		return PTR_ERR(pool);
	dmux->page_pool = pool;
	return 0;
}

int bam_dmux_rx_init(struct bam_dmux *dmux, u32 size, bool use_napi,
		     int weight, bool page_pool)
{
	dmux->rx_ring = bam_dmux_rx_ring_alloc(dmux, size);
	if (!dmux->rx_ring)
		return -ENOMEM;
	dmux->rx_size = size;
	dmux->use_napi = use_napi;
	/* made at the first power-up: it maps against the channel's device */
	dmux->want_page_pool = page_pool;
	spin_lock_init(&dmux->rx_lock);
	INIT_DELAYED_WORK(&dmux->refill_work, bam_dmux_rx_refill_work);

	/* one NAPI for the device: the channels share one RX pipe */
	init_dummy_netdev(&dmux->napi_dev);
	netif_napi_add_weight(&dmux->napi_dev, &dmux->napi, bam_dmux_rx_poll,
			      min(weight, NAPI_POLL_WEIGHT));
	/* above NAPI_POLL_WEIGHT on purpose (a bench sweeps it) */
	bam_dmux_set_napi_weight(dmux, weight);
	return 0;
}

void bam_dmux_rx_exit(struct bam_dmux *dmux)
{
	netif_napi_del(&dmux->napi);
	kfree(dmux->rx_ring);
	dmux->rx_ring = NULL;
	if (dmux->page_pool)
		page_pool_destroy(dmux->page_pool);
	dmux->page_pool = NULL;
}

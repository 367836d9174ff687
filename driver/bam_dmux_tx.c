// SPDX-License-Identifier: GPL-2.0-only
/*
 * BAM-DMUX TX: one ring shared by every channel of the device, on the
 * modem's "tx" pipe.
 *
 * A slot in use is either in flight (submitted to the DMA engine) or
 * deferred (queued while the link was down); in-flight slots always come
 * first, so frames leave in the order they were queued. While the link is
 * up, ndo_start_xmit submits directly; otherwise it defers the frame and
 * the TX work item resumes the link (runtime PM) and submits what waits.
 *
 * While the ring holds any frame it holds one runtime PM usage count,
 * taken when the first frame is queued and dropped (with the autosuspend
 * clock read once) when the last one leaves, by whichever path: completion,
 * abort on the modem's power-down, a resize, remove, or a deferred frame
 * that cannot be submitted. So the link is never voted down under a
 * frame, and a busy link costs runtime PM nothing per frame.
 *
 * Completions are reaped in a TX-only NAPI poll: the DMA callback only
 * marks its slot done and schedules the poll, which runs once the engine's
 * completion run (bam_dma's tasklet, calling back one descriptor at a time)
 * is over. The poll reports the run to byte queue limits in one call per
 * interface: BQL sizes its limit from what completes together, and fed one
 * frame at a time it shrinks the limit to about two frames, which starves
 * a link the modem paces. Byte queue limits are kept per interface; the
 * queues of all interfaces stop when the ring is full and wake once a
 * quarter of it is free again.
 *
 * With the module parameter tx_sg the interfaces offer NETIF_F_SG: a
 * fragmented frame goes out as one transfer whose descriptors cover its
 * head and its frags, the last one flagged EOT, instead of the stack
 * copying it into a linear buffer. Off by default: whether the A2 takes a
 * frame split so is not known (Documentation/driver.rst).
 */
#include <linux/dma-mapping.h>
#include <linux/pm_runtime.h>
#include <linux/skbuff.h>

#include "bam_dmux.h"
#include "bam_dmux_trace.h"

static struct device *bam_dmux_tx_dma_dev(struct bam_dmux *dmux)
{
	return dmux->tx_chan->device->dev;
}

static struct bam_dmux_tx_slot *bam_dmux_tx_slot(struct bam_dmux *dmux, u32 n)
{
	return &dmux->tx_ring[(dmux->tx_head + n) % dmux->tx_size];
}

static u32 bam_dmux_tx_wake_thresh(struct bam_dmux *dmux)
{
	return dmux->tx_size - dmux->tx_size / 4;
}

static void bam_dmux_tx_stop_queues(struct bam_dmux *dmux)
{
	int ch;

	for (ch = 0; ch < BAM_DMUX_NUM_CH; ch++) {
		struct net_device *netdev = READ_ONCE(dmux->netdevs[ch]);

		if (netdev)
			netif_stop_queue(netdev);
	}
}

static void bam_dmux_tx_wake_queues(struct bam_dmux *dmux)
{
	int ch;

	for (ch = 0; ch < BAM_DMUX_NUM_CH; ch++) {
		struct net_device *netdev = READ_ONCE(dmux->netdevs[ch]);

		if (netdev && netif_device_present(netdev) &&
		    netif_running(netdev))
			netif_wake_queue(netdev);
	}
}

/* Wake the queues once the ring has drained enough. tx_lock held. */
static void bam_dmux_tx_maybe_wake(struct bam_dmux *dmux)
{
	if (!dmux->tx_stopped || dmux->tx_frozen ||
	    dmux->tx_count > bam_dmux_tx_wake_thresh(dmux))
		return;
	dmux->tx_stopped = false;
	trace_bam_dmux_tx_wake(dmux->dev, dmux->tx_inflight);
	bam_dmux_tx_wake_queues(dmux);
}

/*
 * BQL completions of one batch, per channel: each interface is told once
 * per completion run (or per abort, resize, drop) what left its queue.
 */
struct bam_dmux_tx_batch {
	struct net_device *netdev[BAM_DMUX_NUM_CH];
	unsigned int pkts[BAM_DMUX_NUM_CH];
	unsigned int bytes[BAM_DMUX_NUM_CH];
};

static void bam_dmux_tx_batch_report_ch(struct bam_dmux_tx_batch *batch, u8 ch)
{
	if (!batch->pkts[ch])
		return;
	netdev_tx_completed_queue(netdev_get_tx_queue(batch->netdev[ch], 0),
				  batch->pkts[ch], batch->bytes[ch]);
	batch->pkts[ch] = 0;
	batch->bytes[ch] = 0;
}

static void bam_dmux_tx_batch_add(struct bam_dmux_tx_batch *batch,
				  struct net_device *netdev, u8 ch,
				  unsigned int bytes)
{
	/* the channel's interface was replaced within the batch */
	if (batch->netdev[ch] != netdev)
		bam_dmux_tx_batch_report_ch(batch, ch);
	batch->netdev[ch] = netdev;
	batch->pkts[ch]++;
	batch->bytes[ch] += bytes;
}

/* Tell BQL what the batch completed. tx_lock held, as for the wake. */
static void bam_dmux_tx_batch_report(struct bam_dmux_tx_batch *batch)
{
	u8 ch;

	for (ch = 0; ch < BAM_DMUX_NUM_CH; ch++)
		bam_dmux_tx_batch_report_ch(batch, ch);
}

/*
 * @n slots left the ring. Returns true when it is empty now: the caller
 * then drops the ring's runtime PM reference, after tx_lock.
 */
static bool bam_dmux_tx_retire(struct bam_dmux *dmux, u32 n)
{
	dmux->tx_count -= n;
	return n && !dmux->tx_count;
}

/* The ring emptied: drop its runtime PM reference. */
static void bam_dmux_tx_pm_put(struct bam_dmux *dmux)
{
	pm_runtime_mark_last_busy(dmux->dev);
	pm_runtime_put_autosuspend(dmux->dev);
}

static void bam_dmux_tx_unmap(struct bam_dmux *dmux,
			      struct bam_dmux_tx_slot *slot)
{
	if (slot->mapped && slot->nents)
		dma_unmap_sg(bam_dmux_tx_dma_dev(dmux), slot->sgl, slot->nents,
			     DMA_TO_DEVICE);
	else if (slot->mapped)
		dma_unmap_single(bam_dmux_tx_dma_dev(dmux), slot->addr,
				 slot->skb->len, DMA_TO_DEVICE);
	slot->mapped = false;
	slot->nents = 0;
}

/* The command of a slot that holds no data frame (no interface) */
static u8 bam_dmux_tx_slot_cmd(const struct bam_dmux_tx_slot *slot)
{
	const struct bam_dmux_hdr *hdr = (const void *)slot->skb->data;

	return hdr->cmd;
}

/*
 * Release a slot whose frame completed (@sent) or was dropped: BQL (into
 * @batch, reported by the caller), the interface statistics and the skb.
 * @budget is the NAPI budget of the TX poll, 0 elsewhere. tx_lock held.
 */
static void bam_dmux_tx_release(struct bam_dmux *dmux,
				struct bam_dmux_tx_slot *slot, bool sent,
				struct bam_dmux_tx_batch *batch, int budget)
{
	struct net_device *netdev = slot->netdev;

	bam_dmux_tx_unmap(dmux, slot);
	slot->done = false;

	if (netdev) {
		bam_dmux_tx_batch_add(batch, netdev, slot->ch, slot->wire_len);
		bam_dmux_netdev_count(netdev, sent ? BAM_DMUX_ND_TX :
				      BAM_DMUX_ND_TX_DROP, slot->payload);
	} else if (!sent && bam_dmux_tx_slot_cmd(slot) == BAM_DMUX_CMD_OPEN &&
		   test_and_clear_bit(slot->ch, &dmux->host_open)) {
		/*
		 * The modem never saw this OPEN and drops our data until it
		 * does: send it again once the link is up.
		 */
		set_bit(slot->ch, &dmux->open_lost);
	}
	if (sent)
		napi_consume_skb(slot->skb, budget);
	else
		dev_kfree_skb_any(slot->skb);
	slot->skb = NULL;
	slot->netdev = NULL;
}

/* see bam_dmux_napi_schedule_disarm() */
static void bam_dmux_tx_napi_schedule(struct bam_dmux *dmux)
{
	bam_dmux_napi_schedule_disarm(&dmux->tx_napi, &dmux->tx_cb_armed);
}

/*
 * TX NAPI is idle: re-arm the callbacks, then look again at the oldest
 * slot in flight for a completion that came while they were disarmed.
 * The flag is written before the lock is taken, the callback's slot
 * before it reads the flag: one of the two sees the other.
 */
static void bam_dmux_tx_rearm(struct bam_dmux *dmux)
{
	bool pending;

	WRITE_ONCE(dmux->tx_cb_armed, true);
	smp_mb();
	spin_lock_bh(&dmux->tx_lock);
	pending = dmux->tx_inflight && bam_dmux_tx_slot(dmux, 0)->done;
	spin_unlock_bh(&dmux->tx_lock);
	if (pending)
		bam_dmux_tx_napi_schedule(dmux);
}

/*
 * The DMA engine completed a slot's descriptor: mark it and let the TX
 * poll reap it once the engine's completion run is over.
 */
static void bam_dmux_tx_callback(void *param,
				 const struct dmaengine_result *result)
{
	struct bam_dmux_tx_slot *slot = param;
	struct bam_dmux *dmux = slot->dmux;
	u32 index = slot - dmux->tx_ring;
	bool expected;

	spin_lock_bh(&dmux->tx_lock);
	/* in flight: among the tx_inflight slots from tx_head on */
	expected = !slot->done && index < dmux->tx_size &&
		   (index + dmux->tx_size - dmux->tx_head) % dmux->tx_size <
		   dmux->tx_inflight;
	if (expected) {
		slot->done = true;
		slot->error = result && result->result != DMA_TRANS_NOERROR;
	}
	spin_unlock_bh(&dmux->tx_lock);

	if (unlikely(!expected)) {
		dev_warn_ratelimited(dmux->dev, "unexpected TX completion\n");
		return;
	}
	/* pairs with the barrier in bam_dmux_tx_rearm() */
	smp_mb();
	if (READ_ONCE(dmux->tx_cb_armed))
		bam_dmux_tx_napi_schedule(dmux);
}

/*
 * TX NAPI poll: release the completed slots at the head of the ring, in
 * order, then report them to BQL and wake the queues once for the batch.
 * TX completions are not bounded by @budget (a budget of 0, netpoll's,
 * still reaps them).
 */
static int bam_dmux_tx_poll(struct napi_struct *napi, int budget)
{
	struct bam_dmux *dmux = container_of(napi, struct bam_dmux, tx_napi);
	struct bam_dmux_tx_batch batch = {};
	bool drained, idle, reopen;
	u32 done = 0;

	spin_lock_bh(&dmux->tx_lock);
	while (dmux->tx_inflight) {
		struct bam_dmux_tx_slot *slot = bam_dmux_tx_slot(dmux, 0);

		if (!slot->done)
			break;
		if (slot->error) {
			bam_dmux_stat_inc(dmux, BAM_DMUX_STAT_TX_DMA_ERROR);
			if (slot->netdev)
				bam_dmux_netdev_count(slot->netdev,
						      BAM_DMUX_ND_TX_ERR, 0);
			dev_warn_ratelimited(dmux->dev,
					     "TX DMA error on ch %u\n",
					     slot->ch);
		}
		bam_dmux_tx_release(dmux, slot, !slot->error, &batch, budget);
		dmux->tx_head = (dmux->tx_head + 1) % dmux->tx_size;
		dmux->tx_inflight--;
		done++;
		trace_bam_dmux_tx_done(dmux->dev, dmux->tx_inflight);
	}
	bam_dmux_tx_batch_report(&batch);
	idle = bam_dmux_tx_retire(dmux, done);
	bam_dmux_tx_maybe_wake(dmux);
	/* a resize waits for the first, remove for the second */
	drained = done && (!dmux->tx_inflight || !dmux->tx_count);
	/* an OPEN that found the ring full: there is room for it now */
	reopen = done && dmux->tx_ready && READ_ONCE(dmux->open_lost);
	spin_unlock_bh(&dmux->tx_lock);

	if (drained)
		wake_up_all(&dmux->tx_wait);
	if (idle)
		bam_dmux_tx_pm_put(dmux);
	if (reopen && !READ_ONCE(dmux->removing))
		schedule_work(&dmux->channel_work);

	/* netpoll's budget of 0 reaps but leaves NAPI to its owner */
	if (budget && napi_complete_done(napi, 0))
		bam_dmux_tx_rearm(dmux);
	return 0;
}

/*
 * A fragmented frame (tx_sg): map its head and frags, one transfer of
 * several descriptors; DMA_PREP_INTERRUPT puts EOT on the last one.
 */
static struct dma_async_tx_descriptor *
bam_dmux_tx_prep_sg(struct bam_dmux *dmux, struct bam_dmux_tx_slot *slot)
{
	struct device *dma_dev = bam_dmux_tx_dma_dev(dmux);
	struct dma_async_tx_descriptor *desc;
	int nents, mapped;

	sg_init_table(slot->sgl, BAM_DMUX_TX_SG_MAX);
	nents = skb_to_sgvec(slot->skb, slot->sgl, 0, slot->skb->len);
	if (nents <= 0)
		return NULL;
	mapped = dma_map_sg(dma_dev, slot->sgl, nents, DMA_TO_DEVICE);
	if (!mapped)
		return NULL;
	desc = dmaengine_prep_slave_sg(dmux->tx_chan, slot->sgl, mapped,
				       DMA_MEM_TO_DEV, DMA_PREP_INTERRUPT);
	if (!desc) {
		dma_unmap_sg(dma_dev, slot->sgl, nents, DMA_TO_DEVICE);
		return NULL;
	}
	slot->nents = nents;
	return desc;
}

static struct dma_async_tx_descriptor *
bam_dmux_tx_prep_linear(struct bam_dmux *dmux, struct bam_dmux_tx_slot *slot)
{
	struct device *dma_dev = bam_dmux_tx_dma_dev(dmux);
	struct dma_async_tx_descriptor *desc;
	struct sk_buff *skb = slot->skb;

	slot->addr = dma_map_single(dma_dev, skb->data, skb->len,
				    DMA_TO_DEVICE);
	if (dma_mapping_error(dma_dev, slot->addr))
		return NULL;
	desc = dmaengine_prep_slave_single(dmux->tx_chan, slot->addr, skb->len,
					   DMA_MEM_TO_DEV, DMA_PREP_INTERRUPT);
	if (!desc)
		dma_unmap_single(dma_dev, slot->addr, skb->len, DMA_TO_DEVICE);
	return desc;
}

/* Map and submit a slot; the caller issues pending. tx_lock held. */
static int bam_dmux_tx_submit(struct bam_dmux *dmux,
			      struct bam_dmux_tx_slot *slot)
{
	struct dma_async_tx_descriptor *desc;
	dma_cookie_t cookie;

	slot->done = false;
	slot->nents = 0;
	/* only an interface with NETIF_F_SG (tx_sg) hands us fragments */
	if (skb_is_nonlinear(slot->skb))
		desc = bam_dmux_tx_prep_sg(dmux, slot);
	else
		desc = bam_dmux_tx_prep_linear(dmux, slot);
	if (!desc)
		return -ENOMEM;
	desc->callback_result = bam_dmux_tx_callback;
	desc->callback_param = slot;
	slot->mapped = true;
	cookie = dmaengine_submit(desc);
	if (dma_submit_error(cookie)) {
		/* the frame stays deferred, unmapped, for the TX work */
		bam_dmux_tx_unmap(dmux, slot);
		return -EIO;
	}

	dmux->tx_inflight++;
	dmux->tx_unissued = true;
	if (slot->netdev)
		trace_bam_dmux_tx(dmux->dev, slot->ch, slot->payload,
				  dmux->tx_inflight);
	else
		trace_bam_dmux_tx_cmd(dmux->dev, slot->ch,
				      bam_dmux_tx_slot_cmd(slot),
				      dmux->tx_inflight);
	return 0;
}

/*
 * Start what was submitted and not issued yet. bam_dma runs a descriptor
 * only once issue_pending moved it to the hardware: one left behind by an
 * xmit_more batch would sit in the engine, neither sent nor completed.
 * tx_lock held; a submitted slot keeps the channel (it is released only
 * after bam_dmux_tx_abort).
 */
static void bam_dmux_tx_issue(struct bam_dmux *dmux)
{
	if (!dmux->tx_unissued)
		return;
	dmux->tx_unissued = false;
	dma_async_issue_pending(dmux->tx_chan);
}

/*
 * Queue a frame (header already pushed). Returns -EBUSY when the ring is
 * full, leaving the skb to the caller and the queue of @netdev stopped.
 */
static int bam_dmux_tx_enqueue(struct bam_dmux *dmux, struct sk_buff *skb,
			       struct net_device *netdev, u8 ch, u32 payload,
			       bool more)
{
	struct bam_dmux_tx_slot *slot;
	bool kick = false, defer = false;

	spin_lock_bh(&dmux->tx_lock);
	if (dmux->tx_count >= dmux->tx_size) {
		/* under tx_lock, so that no wake can slip in between */
		if (netdev)
			netif_stop_queue(netdev);
		spin_unlock_bh(&dmux->tx_lock);
		return -EBUSY;
	}

	/* the first frame takes the ring's PM reference (bam_dmux_tx_retire) */
	if (!dmux->tx_count)
		pm_runtime_get_noresume(dmux->dev);
	slot = bam_dmux_tx_slot(dmux, dmux->tx_count);
	slot->skb = skb;
	slot->netdev = netdev;
	slot->ch = ch;
	slot->payload = payload;
	slot->wire_len = skb->len;
	slot->mapped = false;
	dmux->tx_count++;

	if (netdev)
		kick = __netdev_tx_sent_queue(netdev_get_tx_queue(netdev, 0),
					      skb->len, more);
	else
		kick = true;

	if (dmux->tx_ready && !dmux->tx_frozen &&
	    dmux->tx_inflight == dmux->tx_count - 1 &&
	    !bam_dmux_tx_submit(dmux, slot)) {
		kick = kick || !more;
	} else {
		defer = true;
		/* the frames before it may have been submitted with more */
		kick = true;
		bam_dmux_stat_inc(dmux, BAM_DMUX_STAT_TX_DEFERRED);
		trace_bam_dmux_tx_defer(dmux->dev, ch, payload);
	}

	if (dmux->tx_count >= dmux->tx_size && !dmux->tx_stopped) {
		dmux->tx_stopped = true;
		bam_dmux_stat_inc(dmux, BAM_DMUX_STAT_TX_RING_FULL);
		trace_bam_dmux_tx_stop(dmux->dev, dmux->tx_inflight);
		bam_dmux_tx_stop_queues(dmux);
		kick = true;
	}
	if (kick)
		bam_dmux_tx_issue(dmux);
	spin_unlock_bh(&dmux->tx_lock);

	if (defer)
		queue_work(system_unbound_wq, &dmux->tx_work);
	return 0;
}

netdev_tx_t bam_dmux_tx_data(struct bam_dmux *dmux, struct sk_buff *skb,
			     struct net_device *netdev, u8 ch)
{
	unsigned int payload = skb->len;
	unsigned int pad = bam_dmux_pad_len(payload);
	struct bam_dmux_hdr *hdr;

	if (!test_bit(ch, &dmux->remote_open) ||
	    payload > BAM_DMUX_MAX_DATA_SIZE)
		goto drop;
	if (skb_cow_head(skb, BAM_DMUX_HDR_SIZE))
		goto drop;
	/* tx_sg maps a head and its frags, not a chain of skbs */
	if (skb_has_frag_list(skb) && __skb_linearize(skb))
		goto drop;
	if (pad) {
		/* frees the skb on failure */
		if (skb_pad(skb, pad)) {
			bam_dmux_netdev_count(netdev, BAM_DMUX_ND_TX_DROP, 0);
			return NETDEV_TX_OK;
		}
		__skb_put(skb, pad);
	}
	hdr = skb_push(skb, BAM_DMUX_HDR_SIZE);
	bam_dmux_hdr_encode(hdr, BAM_DMUX_CMD_DATA, ch, payload);

	if (bam_dmux_tx_enqueue(dmux, skb, netdev, ch, payload,
				netdev_xmit_more())) {
		/* not the normal path: the queues stop before the ring fills */
		__skb_pull(skb, BAM_DMUX_HDR_SIZE);
		/* padding made the frame linear; a frame not padded is as given */
		if (pad)
			__skb_trim(skb, payload);
		return NETDEV_TX_BUSY;
	}
	return NETDEV_TX_OK;

drop:
	bam_dmux_netdev_count(netdev, BAM_DMUX_ND_TX_DROP, 0);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

/* Send a command frame (OPEN/CLOSE) on @ch. */
int bam_dmux_tx_cmd(struct bam_dmux *dmux, u8 cmd, u8 ch, gfp_t gfp)
{
	struct sk_buff *skb;
	int ret;

	skb = alloc_skb(BAM_DMUX_HDR_SIZE, gfp);
	if (!skb)
		return -ENOMEM;
	bam_dmux_hdr_encode(skb_put(skb, BAM_DMUX_HDR_SIZE), cmd, ch, 0);
	ret = bam_dmux_tx_enqueue(dmux, skb, NULL, ch, 0, false);
	if (ret) {
		dev_warn_ratelimited(dmux->dev,
				     "TX ring full, command %u on ch %u lost\n",
				     cmd, ch);
		kfree_skb(skb);
	}
	return ret;
}

/* Drop every deferred frame (the link could not be brought up). */
static void bam_dmux_tx_drop_deferred(struct bam_dmux *dmux)
{
	struct bam_dmux_tx_batch batch = {};
	bool idle;
	u32 n = 0;

	spin_lock_bh(&dmux->tx_lock);
	while (dmux->tx_count - n > dmux->tx_inflight) {
		n++;
		bam_dmux_tx_release(dmux,
				    bam_dmux_tx_slot(dmux, dmux->tx_count - n),
				    false, &batch, 0);
	}
	bam_dmux_tx_batch_report(&batch);
	idle = bam_dmux_tx_retire(dmux, n);
	bam_dmux_tx_maybe_wake(dmux);
	spin_unlock_bh(&dmux->tx_lock);

	if (n)
		wake_up_all(&dmux->tx_wait);
	if (idle)
		bam_dmux_tx_pm_put(dmux);
}

/* Submit the deferred frames in order. Returns how many are left. */
static u32 bam_dmux_tx_submit_deferred(struct bam_dmux *dmux)
{
	u32 left;

	spin_lock_bh(&dmux->tx_lock);
	while (dmux->tx_ready && !dmux->tx_frozen &&
	       dmux->tx_inflight < dmux->tx_count) {
		if (bam_dmux_tx_submit(dmux,
				       bam_dmux_tx_slot(dmux, dmux->tx_inflight)))
			break;
	}
	bam_dmux_tx_issue(dmux);
	left = dmux->tx_count - dmux->tx_inflight;
	spin_unlock_bh(&dmux->tx_lock);
	return left;
}

static void bam_dmux_tx_work(struct work_struct *work)
{
	struct bam_dmux *dmux = container_of(work, struct bam_dmux, tx_work);
	int ret;

	ret = bam_dmux_pm_get(dmux);
	if (!ret && !READ_ONCE(dmux->tx_ready))
		/* powered, but the modem is down (restarting): wait for it */
		wait_event_timeout(dmux->pc_wait,
				   READ_ONCE(dmux->tx_ready) ||
				   READ_ONCE(dmux->removing),
				   BAM_DMUX_REMOTE_TIMEOUT);

	/* a resize in progress submits what waits when it is done */
	if (bam_dmux_tx_submit_deferred(dmux) && !READ_ONCE(dmux->tx_frozen)) {
		if (ret)
			dev_warn_ratelimited(dmux->dev,
					     "link down (%d), deferred TX dropped\n",
					     ret);
		else
			dev_warn_ratelimited(dmux->dev,
					     "cannot submit, deferred TX dropped\n");
		bam_dmux_tx_drop_deferred(dmux);
	}

	if (!ret) {
		pm_runtime_mark_last_busy(dmux->dev);
		pm_runtime_put_autosuspend(dmux->dev);
	}
}

/*
 * The link state says TX may submit (@ready) or not. Only
 * bam_dmux_link_update() calls this, under pc_lock. Frames queued while
 * the link was down are submitted by the TX work.
 */
void bam_dmux_tx_set_ready(struct bam_dmux *dmux, bool ready)
{
	bool deferred;

	spin_lock_bh(&dmux->tx_lock);
	dmux->tx_ready = ready;
	deferred = dmux->tx_count > dmux->tx_inflight;
	spin_unlock_bh(&dmux->tx_lock);

	if (ready && deferred)
		queue_work(system_unbound_wq, &dmux->tx_work);
	if (ready && READ_ONCE(dmux->open_lost) && !READ_ONCE(dmux->removing))
		schedule_work(&dmux->channel_work);
	wake_up_all(&dmux->pc_wait);
}

/*
 * Runtime suspend, under pc_lock: stop submitting if, and only if, no
 * frame is queued. Returns whether it did.
 */
bool bam_dmux_tx_quiesce(struct bam_dmux *dmux)
{
	bool idle;

	spin_lock_bh(&dmux->tx_lock);
	idle = !dmux->tx_count;
	if (idle)
		dmux->tx_ready = false;
	spin_unlock_bh(&dmux->tx_lock);
	return idle;
}

/*
 * A channel's interface comes back (the modem opened it): attach it, and
 * keep its queue stopped if the ring is full. Under tx_lock, as the
 * decision to wake the queues is taken.
 */
void bam_dmux_tx_attach(struct bam_dmux *dmux, struct net_device *netdev)
{
	spin_lock_bh(&dmux->tx_lock);
	netif_device_attach(netdev);
	if (dmux->tx_stopped)
		netif_stop_queue(netdev);
	spin_unlock_bh(&dmux->tx_lock);
}

/* ndo_open: start the queue of @netdev unless the ring is full. */
void bam_dmux_tx_start(struct bam_dmux *dmux, struct net_device *netdev)
{
	spin_lock_bh(&dmux->tx_lock);
	if (dmux->tx_stopped)
		netif_stop_queue(netdev);
	else
		netif_start_queue(netdev);
	spin_unlock_bh(&dmux->tx_lock);
}

/*
 * Terminate TX DMA and drop the frames in flight: the modem's line fell,
 * so it reads the pipe no more. Deferred frames stay queued. Under
 * pc_lock, with tx_ready down already.
 */
void bam_dmux_tx_abort(struct bam_dmux *dmux)
{
	struct bam_dmux_tx_batch batch = {};
	bool idle;
	u32 n = 0;

	dmaengine_terminate_sync(dmux->tx_chan);

	spin_lock_bh(&dmux->tx_lock);
	dmux->tx_unissued = false;
	while (dmux->tx_inflight) {
		struct bam_dmux_tx_slot *slot = bam_dmux_tx_slot(dmux, 0);

		/* a slot completed but not reaped yet did reach the modem */
		bam_dmux_tx_release(dmux, slot, slot->done && !slot->error,
				    &batch, 0);
		dmux->tx_head = (dmux->tx_head + 1) % dmux->tx_size;
		dmux->tx_inflight--;
		n++;
	}
	if (n)
		trace_bam_dmux_tx_abort(dmux->dev, n);
	/* inflight back to 0 in BQL too, or the queue stalls */
	bam_dmux_tx_batch_report(&batch);
	idle = bam_dmux_tx_retire(dmux, n);
	bam_dmux_tx_maybe_wake(dmux);
	spin_unlock_bh(&dmux->tx_lock);

	if (n)
		wake_up_all(&dmux->tx_wait);
	if (idle)
		bam_dmux_tx_pm_put(dmux);
}

/*
 * A ring of @size slots and, with tx_sg, the scatterlists of its slots
 * (*@sgl, else NULL). NULL when out of memory.
 */
static struct bam_dmux_tx_slot *
bam_dmux_tx_ring_alloc(struct bam_dmux *dmux, u32 size,
		       struct scatterlist **sgl)
{
	struct bam_dmux_tx_slot *ring;
	u32 i;

	*sgl = NULL;
	ring = kcalloc(size, sizeof(*ring), GFP_KERNEL);
	if (!ring)
		return NULL;
	if (dmux->tx_sg) {
		*sgl = kcalloc(size * BAM_DMUX_TX_SG_MAX, sizeof(**sgl),
			       GFP_KERNEL);
		if (!*sgl) {
			kfree(ring);
			return NULL;
		}
	}
	for (i = 0; i < size; i++) {
		ring[i].dmux = dmux;
		if (*sgl)
			ring[i].sgl = &(*sgl)[i * BAM_DMUX_TX_SG_MAX];
	}
	return ring;
}

/*
 * ethtool -G: submit nothing new, wait (bounded) for the frames in flight
 * to complete, then move the deferred ones to a ring of @size; what does
 * not fit is dropped and counted. Nothing is terminated: the modem may be
 * reading the pipe. Called with RTNL held.
 */
int bam_dmux_tx_resize(struct bam_dmux *dmux, u32 size)
{
	struct bam_dmux_tx_batch batch = {};
	struct scatterlist *sgl, *old_sgl;
	struct bam_dmux_tx_slot *ring, *old;
	u32 i, n = 0, count;
	bool deferred, idle;

	if (size == READ_ONCE(dmux->tx_size))
		return 0;
	ring = bam_dmux_tx_ring_alloc(dmux, size, &sgl);
	if (!ring)
		return -ENOMEM;

	spin_lock_bh(&dmux->tx_lock);
	dmux->tx_frozen = true;
	/* what the stack submitted with more before the freeze must go */
	bam_dmux_tx_issue(dmux);
	spin_unlock_bh(&dmux->tx_lock);

	wait_event_timeout(dmux->tx_wait, !READ_ONCE(dmux->tx_inflight),
			   BAM_DMUX_TX_DRAIN_TIMEOUT);

	spin_lock_bh(&dmux->tx_lock);
	if (dmux->tx_inflight) {
		dmux->tx_frozen = false;
		deferred = dmux->tx_count > dmux->tx_inflight;
		spin_unlock_bh(&dmux->tx_lock);
		kfree(ring);
		kfree(sgl);
		if (deferred)
			queue_work(system_unbound_wq, &dmux->tx_work);
		return -EBUSY;
	}
	/* only deferred frames are left: drop what the new ring cannot hold */
	while (dmux->tx_count - n > size) {
		n++;
		bam_dmux_tx_release(dmux,
				    bam_dmux_tx_slot(dmux, dmux->tx_count - n),
				    false, &batch, 0);
	}
	bam_dmux_tx_batch_report(&batch);
	idle = bam_dmux_tx_retire(dmux, n);
	count = dmux->tx_count;
	for (i = 0; i < count; i++) {
		struct bam_dmux_tx_slot *from = bam_dmux_tx_slot(dmux, i);

		ring[i].skb = from->skb;
		ring[i].netdev = from->netdev;
		ring[i].ch = from->ch;
		ring[i].payload = from->payload;
		ring[i].wire_len = from->wire_len;
	}
	old = dmux->tx_ring;
	old_sgl = dmux->tx_sgl;
	dmux->tx_ring = ring;
	dmux->tx_sgl = sgl;
	WRITE_ONCE(dmux->tx_size, size);
	dmux->tx_head = 0;
	dmux->tx_frozen = false;
	if (dmux->tx_count >= size) {
		if (!dmux->tx_stopped) {
			dmux->tx_stopped = true;
			bam_dmux_tx_stop_queues(dmux);
		}
	} else {
		bam_dmux_tx_maybe_wake(dmux);
	}
	deferred = count > 0;
	spin_unlock_bh(&dmux->tx_lock);

	kfree(old);
	kfree(old_sgl);
	if (n)
		wake_up_all(&dmux->tx_wait);
	if (idle)
		bam_dmux_tx_pm_put(dmux);
	if (deferred)
		queue_work(system_unbound_wq, &dmux->tx_work);
	return 0;
}

int bam_dmux_tx_init(struct bam_dmux *dmux, u32 size, bool sg)
{
	dmux->tx_sg = sg;
	dmux->tx_ring = bam_dmux_tx_ring_alloc(dmux, size, &dmux->tx_sgl);
	if (!dmux->tx_ring)
		return -ENOMEM;
	dmux->tx_size = size;
	spin_lock_init(&dmux->tx_lock);
	init_waitqueue_head(&dmux->tx_wait);
	INIT_WORK(&dmux->tx_work, bam_dmux_tx_work);
	/* on the dummy netdev of RX NAPI (bam_dmux_rx_init) */
	netif_napi_add_tx(&dmux->napi_dev, &dmux->tx_napi, bam_dmux_tx_poll);
	dmux->tx_cb_armed = true;
	napi_enable(&dmux->tx_napi);
	return 0;
}

/* After the interfaces are gone and the link is down: nothing is queued. */
void bam_dmux_tx_exit(struct bam_dmux *dmux)
{
	cancel_work_sync(&dmux->tx_work);
	bam_dmux_tx_drop_deferred(dmux);
	napi_disable(&dmux->tx_napi);
	netif_napi_del(&dmux->tx_napi);
	kfree(dmux->tx_ring);
	dmux->tx_ring = NULL;
	kfree(dmux->tx_sgl);
	dmux->tx_sgl = NULL;
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * bam_dmux_sim: the simulated BAM DMA engine.
 *
 * A dmaengine provider with two slave channels, "tx" (DMA_MEM_TO_DEV, the
 * host sends frames to the modem) and "rx" (DMA_DEV_TO_MEM, the modem
 * writes frames into buffers the host posted). The driver finds them with
 * dma_request_chan(dev, "tx"/"rx") through the dma_slave_map filter below.
 *
 * The dmaengine rules this follows (drivers/dma/dmaengine.h is not
 * available to modules, so cookies are tracked here):
 *  - tx_submit assigns increasing cookies; issue_pending starts the
 *    submitted descriptors; they complete strictly in submission order.
 *  - Each channel's tasklet performs the transfers and invokes the
 *    callbacks in BH context, callback_result first (with the residue and
 *    an error result when a fault was injected), then callback. With
 *    engine_cpu set, the tasklet is scheduled on that CPU (through an
 *    IPI, as a steered completion interrupt would): callbacks still run
 *    in tasklet context, only on another CPU than the submitter's.
 *  - terminate_all drops every descriptor not yet completed, with no
 *    callback; synchronize waits until no callback is running.
 *  - Buffers are reached only through the DMA addresses given.
 *
 * A transfer happens only while the modem's pc line is up and it has not
 * crashed, as the BAM pipes stop when the modem side is powered down.
 *
 * What bam_dma and a remotely powered BAM (bam_powered_remotely=1, the
 * default) do, and so what this engine does:
 *  - The BAM is powered while the modem's pc line is up, and until the
 *    host acks its fall; then every pipe a client holds is reset. Its
 *    descriptors never complete and the pipe stays dead until the client
 *    frees the channel and requests it again (sim_dma_bam_power_locked).
 *  - Requesting the first channel resets the whole BAM; a pipe is set up
 *    by its first issue_pending after the request.
 *  - Any use of the engine while the BAM has no power is counted
 *    (access_while_down), and so is an issue_pending on a dead pipe
 *    (issue_dead_pipe) and a terminate_all of an RX pipe the modem may be
 *    writing into (terminate_while_active), which kills the pipe: bam_dma
 *    resets a pipe on terminate, and a BAM whose attached engine still
 *    uses a reset pipe takes a fatal error.
 *  - With residue=none (the default) every completion reports
 *    DMA_TRANS_NOERROR and residue 0, as bam_dma's vchan_cookie_complete
 *    does; a failed transfer completes like any other, having moved
 *    nothing (bam_dma acks a BAM error interrupt and tells no client).
 */
#include <linux/dma-mapping.h>
#include <linux/slab.h>

#include "sim.h"

static struct sim_chan *to_sim_chan(struct dma_chan *chan)
{
	return container_of(chan, struct sim_chan, chan);
}

static struct sim_desc *to_sim_desc(struct dma_async_tx_descriptor *tx)
{
	return container_of(tx, struct sim_desc, tx);
}

/* The BAM is without power: nothing may touch the engine. */
static bool sim_bam_unpowered(struct sim_modem *sm)
{
	return READ_ONCE(sm->bam_powered_remotely) &&
	       !READ_ONCE(sm->bam_powered);
}

/* Count a use of the engine while the BAM has no power. sc->lock held. */
static void sim_access_check_locked(struct sim_chan *sc, const char *what)
{
	if (!sim_bam_unpowered(sc->sm))
		return;
	sc->access_while_down++;
	dev_warn_ratelimited(sc->chan.device->dev,
			     "%s: %s while the BAM has no power\n",
			     sc->dir == SIM_TX ? "tx" : "rx", what);
}

/*
 * One-entry descriptors (a driver's usual one buffer a frame) go back to
 * the channel's pool, so a frame costs no allocation once warm.
 */
static void sim_desc_free(struct sim_chan *sc, struct sim_desc *d)
{
	unsigned long flags;

	spin_lock_irqsave(&sc->lock, flags);
	sc->desc_live--;
	if (d->pooled && sc->pool_len < SIM_DESC_POOL_MAX) {
		list_add(&d->node, &sc->pool);
		sc->pool_len++;
		d = NULL;
	}
	spin_unlock_irqrestore(&sc->lock, flags);
	kfree(d);
}

static void sim_desc_pool_free(struct sim_chan *sc)
{
	struct sim_desc *d, *tmp;

	list_for_each_entry_safe(d, tmp, &sc->pool, node)
		kfree(d);
	INIT_LIST_HEAD(&sc->pool);
	sc->pool_len = 0;
}

static void sim_desc_free_list(struct sim_chan *sc, struct list_head *head)
{
	struct sim_desc *d, *tmp;

	list_for_each_entry_safe(d, tmp, head, node) {
		list_del(&d->node);
		sim_desc_free(sc, d);
	}
}

/*
 * What dmaengine_desc_get_callback_invoke() does, for a module. bam_dma
 * reports neither a result nor a residue: neither do we, unless asked to.
 */
static void sim_desc_invoke(struct sim_chan *sc, struct sim_desc *d)
{
	struct dma_async_tx_descriptor *tx = &d->tx;
	bool exact = READ_ONCE(sc->sm->residue_exact);
	struct dmaengine_result res = {
		.result = exact ? d->result : DMA_TRANS_NOERROR,
		.residue = exact ? d->residue : 0,
	};

	if (tx->callback_result)
		tx->callback_result(tx->callback_param, &res);
	else if (tx->callback)
		tx->callback(tx->callback_param);
}

static dma_cookie_t sim_tx_submit(struct dma_async_tx_descriptor *tx)
{
	struct sim_chan *sc = to_sim_chan(tx->chan);
	struct sim_desc *d = to_sim_desc(tx);
	unsigned long flags;
	dma_cookie_t cookie;

	spin_lock_irqsave(&sc->lock, flags);
	sim_access_check_locked(sc, "submit");
	cookie = sc->chan.cookie + 1;
	if (cookie < DMA_MIN_COOKIE)
		cookie = DMA_MIN_COOKIE;
	sc->chan.cookie = cookie;
	tx->cookie = cookie;
	list_move_tail(&d->node, &sc->submitted);
	spin_unlock_irqrestore(&sc->lock, flags);

	return cookie;
}

static struct dma_async_tx_descriptor *
sim_prep_slave_sg(struct dma_chan *chan, struct scatterlist *sgl,
		  unsigned int sg_len, enum dma_transfer_direction direction,
		  unsigned long flags, void *context)
{
	struct sim_chan *sc = to_sim_chan(chan);
	struct sim_desc *d = NULL;
	struct scatterlist *sg;
	unsigned long lflags;
	unsigned int i;
	u32 total = 0;

	spin_lock_irqsave(&sc->lock, lflags);
	sim_access_check_locked(sc, "prep");
	if (sg_len == 1 && sc->pool_len) {
		d = list_first_entry(&sc->pool, struct sim_desc, node);
		list_del(&d->node);
		sc->pool_len--;
	}
	spin_unlock_irqrestore(&sc->lock, lflags);

	if (direction != sc->direction || !sg_len) {
		spin_lock_irqsave(&sc->lock, lflags);
		sc->bad_prep++;
		spin_unlock_irqrestore(&sc->lock, lflags);
		dev_warn_ratelimited(chan->device->dev,
				     "%s: refused prep: direction %d, %u entries\n",
				     dma_chan_name(chan), direction, sg_len);
		goto refuse;
	}

	/* the prep_fail_rx/tx injection: as if the engine had no descriptor */
	if (atomic_dec_if_positive(&sc->inj_prep_fail) >= 0) {
		spin_lock_irqsave(&sc->lock, lflags);
		sc->prep_refused++;
		spin_unlock_irqrestore(&sc->lock, lflags);
		goto refuse;
	}

	/* prep may be called from atomic context (a NAPI refill) */
	if (!d) {
		d = kmalloc(struct_size(d, sg, sg_len), GFP_NOWAIT);
		if (!d)
			return NULL;
	}
	/* a reused descriptor must not keep a former client's callback */
	memset(d, 0, sizeof(*d));
	d->pooled = sg_len == 1;

	for_each_sg(sgl, sg, sg_len, i) {
		d->sg[i].addr = sg_dma_address(sg);
		d->sg[i].len = sg_dma_len(sg);
		total += sg_dma_len(sg);
	}
	d->nents = sg_len;
	d->len = total;
	d->result = DMA_TRANS_NOERROR;

	dma_async_tx_descriptor_init(&d->tx, chan);
	d->tx.flags = flags;
	d->tx.tx_submit = sim_tx_submit;

	spin_lock_irqsave(&sc->lock, lflags);
	list_add_tail(&d->node, &sc->allocated);
	sc->desc_live++;
	spin_unlock_irqrestore(&sc->lock, lflags);

	return &d->tx;

refuse:
	if (d) {
		spin_lock_irqsave(&sc->lock, lflags);
		list_add(&d->node, &sc->pool);
		sc->pool_len++;
		spin_unlock_irqrestore(&sc->lock, lflags);
	}
	return NULL;
}

static void sim_issue_pending(struct dma_chan *chan)
{
	struct sim_chan *sc = to_sim_chan(chan);
	struct sim_modem *sm = sc->sm;
	u32 rate = READ_ONCE(sm->rate_tx_kbps);
	struct sim_desc *d;
	unsigned long flags;
	bool any;

	spin_lock_irqsave(&sc->lock, flags);
	/*
	 * The modem reads a frame as its uplink drains: a descriptor completes
	 * at the link's rate. The latency comes after, in the air
	 * (sim_ndev_deliver): the host does not wait for it.
	 */
	if (sc->dir == SIM_TX) {
		list_for_each_entry(d, &sc->submitted, node)
			d->ready = sim_link_ready(&sc->link_free, d->len,
						  rate, 0);
	}
	sim_access_check_locked(sc, "issue_pending");
	list_splice_tail_init(&sc->submitted, &sc->issued);
	any = !list_empty(&sc->issued);
	if (any && sc->dir == SIM_TX && !READ_ONCE(sm->pc_line))
		sc->issued_while_down++;
	if (any && sc->dead) {
		/* the BAM never sees these: they will not complete */
		sc->issue_dead_pipe++;
		dev_warn_ratelimited(chan->device->dev,
				     "%s: issue_pending on a dead pipe\n",
				     sc->dir == SIM_TX ? "tx" : "rx");
		any = false;
	} else if (any) {
		sc->initialized = true;
	}
	spin_unlock_irqrestore(&sc->lock, flags);

	if (any)
		sim_dma_chan_kick(sc);
}

static enum dma_status sim_tx_status(struct dma_chan *chan,
				     dma_cookie_t cookie,
				     struct dma_tx_state *state)
{
	struct sim_chan *sc = to_sim_chan(chan);
	dma_cookie_t last, done;
	enum dma_status status;
	struct sim_desc *d;
	unsigned long flags;
	u32 residue = 0;

	spin_lock_irqsave(&sc->lock, flags);
	last = chan->cookie;
	done = chan->completed_cookie;
	status = dma_async_is_complete(cookie, done, last);
	if (status != DMA_COMPLETE && state) {
		/* nothing is transferred until a descriptor completes */
		if (sc->active && sc->active->tx.cookie == cookie)
			residue = sc->active->len;
		list_for_each_entry(d, &sc->issued, node)
			if (d->tx.cookie == cookie)
				residue = d->len;
		list_for_each_entry(d, &sc->submitted, node)
			if (d->tx.cookie == cookie)
				residue = d->len;
	}
	spin_unlock_irqrestore(&sc->lock, flags);

	if (state) {
		state->last = done;
		state->used = last;
		state->residue = residue;
		state->in_flight_bytes = 0;
	}
	return status;
}

static int sim_device_config(struct dma_chan *chan,
			     struct dma_slave_config *cfg)
{
	struct sim_chan *sc = to_sim_chan(chan);
	unsigned long flags;

	spin_lock_irqsave(&sc->lock, flags);
	sim_access_check_locked(sc, "slave config");
	sc->cfg = *cfg;
	spin_unlock_irqrestore(&sc->lock, flags);
	return 0;
}

/* The modem may write into the RX pipe: its line is up and it runs. */
static bool sim_modem_may_write(struct sim_modem *sm)
{
	return READ_ONCE(sm->pc_line) && !READ_ONCE(sm->crashed) &&
	       READ_ONCE(sm->bam_powered);
}

/* Drop every descriptor not completed yet, with no callback. sc->lock held. */
static unsigned int sim_chan_drop_locked(struct sim_chan *sc,
					 struct list_head *head)
{
	unsigned int n = 0;
	struct sim_desc *d;

	list_splice_tail_init(&sc->allocated, head);
	list_splice_tail_init(&sc->submitted, head);
	list_splice_tail_init(&sc->issued, head);
	if (sc->active && !sc->active_terminated) {
		sc->active_terminated = true;
		n++;
	}
	list_for_each_entry(d, head, node)
		n++;
	return n;
}

/* Descriptors committed to the pipe: issued, or being transferred */
static bool sim_chan_busy_locked(struct sim_chan *sc)
{
	return !list_empty(&sc->issued) ||
	       (sc->active && !sc->active_terminated);
}

static int sim_terminate_all(struct dma_chan *chan)
{
	struct sim_chan *sc = to_sim_chan(chan);
	unsigned long flags;
	LIST_HEAD(head);

	spin_lock_irqsave(&sc->lock, flags);
	sim_access_check_locked(sc, "terminate_all");
	/*
	 * bam_dma resets a pipe that has descriptors committed to it; the
	 * modem writing into it then faults the BAM, and the pipe is lost.
	 */
	if (sc->dir == SIM_RX && READ_ONCE(sc->sm->bam_powered_remotely) &&
	    !sc->dead && sim_chan_busy_locked(sc) &&
	    sim_modem_may_write(sc->sm)) {
		sc->terminate_while_active++;
		sc->dead = true;
		dev_warn_ratelimited(chan->device->dev,
				     "rx: terminate_all while the modem may write: pipe lost\n");
	}
	sc->desc_terminated += sim_chan_drop_locked(sc, &head);
	spin_unlock_irqrestore(&sc->lock, flags);

	sim_desc_free_list(sc, &head);
	return 0;
}

static void sim_synchronize(struct dma_chan *chan)
{
	struct sim_chan *sc = to_sim_chan(chan);
	unsigned long flags;
	bool more;

	/* the tasklet is the only place callbacks run */
	tasklet_kill(&sc->task);

	/* a kick that raced with the kill must not be lost */
	spin_lock_irqsave(&sc->lock, flags);
	more = !list_empty(&sc->issued);
	spin_unlock_irqrestore(&sc->lock, flags);
	if (more)
		sim_dma_chan_kick(sc);
}

/*
 * dma_request_chan(): as bam_dma, the first channel requested resets the
 * whole BAM, and the pipe is set up on its first issue_pending.
 */
static int sim_alloc_chan_resources(struct dma_chan *chan)
{
	struct sim_chan *sc = to_sim_chan(chan);
	struct sim_modem *sm = sc->sm;
	unsigned long flags;

	spin_lock_bh(&sm->lock);
	if (sm->active_channels++ == 0 && sm->bam_powered_remotely) {
		sm->bam_resets++;
		if (!sim_bam_unpowered(sm))
			sm->bam_needs_reset = false;
	}
	spin_lock_irqsave(&sc->lock, flags);
	sim_access_check_locked(sc, "channel request");
	chan->cookie = DMA_MIN_COOKIE;
	chan->completed_cookie = DMA_MIN_COOKIE;
	sc->link_free = 0;
	sc->burst_end = 0;
	sc->held = true;
	sc->initialized = false;
	/*
	 * A BAM without power cannot set the pipe up; nor can one that lost
	 * its power since its last reset, which only the first channel
	 * requested causes: a client that kept the other channel gets a
	 * dead pipe.
	 */
	sc->dead = sim_bam_unpowered(sm) || sm->bam_needs_reset;
	spin_unlock_irqrestore(&sc->lock, flags);
	spin_unlock_bh(&sm->lock);
	return 0;
}

/*
 * dma_release_channel(): bam_dma resets the pipe (its registers: the BAM
 * must be powered) and refuses to free one with descriptors committed,
 * leaving it allocated for good. That is counted (free_busy, one of the
 * totals a driver must keep at 0); the simulator frees it anyway.
 */
static void sim_free_chan_resources(struct dma_chan *chan)
{
	struct sim_chan *sc = to_sim_chan(chan);
	struct sim_modem *sm = sc->sm;
	unsigned long flags;
	LIST_HEAD(head);

	spin_lock_bh(&sm->lock);
	spin_lock_irqsave(&sc->lock, flags);
	sim_access_check_locked(sc, "channel release");
	if (sim_chan_busy_locked(sc)) {
		sc->free_busy++;
		dev_warn_ratelimited(chan->device->dev,
				     "%s: channel released with descriptors queued\n",
				     sc->dir == SIM_TX ? "tx" : "rx");
	}
	sc->desc_terminated += sim_chan_drop_locked(sc, &head);
	sc->held = false;
	sc->initialized = false;
	sc->dead = false;
	spin_unlock_irqrestore(&sc->lock, flags);
	if (sm->active_channels)
		sm->active_channels--;
	spin_unlock_bh(&sm->lock);

	sim_desc_free_list(sc, &head);
	sim_synchronize(chan);
}

/*
 * The BAM gains or loses its power (@on). Losing it resets every pipe a
 * client holds: they are dead until requested again. sm->lock held.
 */
static void sim_dma_bam_kill_pipes_locked(struct sim_modem *sm)
{
	unsigned long flags;
	int i;

	sm->bam_needs_reset = true;
	sim_inc(sm, SIM_ST_BAM_POWER_OFF);
	for (i = 0; i < 2; i++) {
		struct sim_chan *sc = &sm->chan[i];

		spin_lock_irqsave(&sc->lock, flags);
		if (sc->held && !sc->dead) {
			sc->dead = true;
			sc->pipe_resets++;
		}
		spin_unlock_irqrestore(&sc->lock, flags);
	}
}

void sim_dma_bam_power_locked(struct sim_modem *sm, bool on)
{
	if (on || !sm->bam_powered_remotely) {
		sm->bam_powered = true;
		return;
	}
	if (!sm->bam_powered)
		return;
	sm->bam_powered = false;
	sim_dma_bam_kill_pipes_locked(sm);
}

/*
 * A crashed modem rebooted, and its BAM with it: a power cycle that the
 * pipes do not survive, over by the time the line rises again. Unlike
 * sim_dma_bam_power_locked(false) then (true), the BAM is never seen
 * without power: an engine use racing with this on another CPU (a host
 * still handling the crash's fall) meets a live or a dead pipe, not a
 * zero-length power gap that no hardware has. sm->lock held.
 */
void sim_dma_bam_reboot_locked(struct sim_modem *sm)
{
	if (sm->bam_powered_remotely && sm->bam_powered)
		sim_dma_bam_kill_pipes_locked(sm);
	sm->bam_powered = true;
}

/*
 * Link model: may a frame that arrives at @ready (0: model off) go now?
 * A frame that is due opens a burst: every frame due within link_burst_us
 * after it goes with it, as a real modem delivers a subframe's worth at
 * once; a frame alone is never early. Otherwise the timer wakes the
 * channel when the frame is due. Only the channel's tasklet calls this.
 */
static bool sim_link_due(struct sim_chan *sc, ktime_t ready)
{
	ktime_t now;

	if (!ready || !ktime_after(ready, sc->burst_end))
		return true;
	now = ktime_get();
	if (ktime_after(ready, now)) {
		hrtimer_start(&sc->timer, ready, HRTIMER_MODE_ABS_SOFT);
		return false;
	}
	sc->burst_end = ktime_add_us(now, READ_ONCE(sc->sm->link_burst_us));
	return true;
}

/*
 * Take the next descriptor whose turn it is, or NULL. Frames wait for the
 * modem to be up, and for the link model.
 */
static struct sim_desc *sim_chan_take(struct sim_chan *sc)
{
	struct sim_desc *d;
	unsigned long flags;

	spin_lock_irqsave(&sc->lock, flags);
	/* a dead pipe never completes what was committed to it */
	d = sc->dead ? NULL :
	    list_first_entry_or_null(&sc->issued, struct sim_desc, node);
	if (d && !sim_link_due(sc, d->ready))
		d = NULL;
	if (d) {
		list_del_init(&d->node);
		sc->active = d;
		sc->active_terminated = false;
	}
	spin_unlock_irqrestore(&sc->lock, flags);
	return d;
}

/* The transfer is done: complete in order, call back unless terminated */
static void sim_chan_complete(struct sim_chan *sc, struct sim_desc *d)
{
	unsigned long flags;
	bool terminated;

	spin_lock_irqsave(&sc->lock, flags);
	terminated = sc->active_terminated;
	sc->active = NULL;
	sc->active_terminated = false;
	if (!terminated) {
		sc->chan.completed_cookie = d->tx.cookie;
		sc->desc_done++;
		if (d->result != DMA_TRANS_NOERROR)
			sc->desc_errors++;
	}
	spin_unlock_irqrestore(&sc->lock, flags);

	if (!terminated)
		sim_desc_invoke(sc, d);
	sim_desc_free(sc, d);
}

/* Should the next injected DMA error hit this direction? Under sm->lock. */
static bool sim_take_dma_error(struct sim_modem *sm, enum sim_dir dir)
{
	u32 *own = dir == SIM_RX ? &sm->inj_dma_error_rx : &sm->inj_dma_error_tx;

	if (*own) {
		(*own)--;
		return true;
	}
	if (sm->inj_dma_error_any) {
		sm->inj_dma_error_any--;
		return true;
	}
	return false;
}

static bool sim_modem_ready(struct sim_modem *sm)
{
	return sm->pc_line && !sm->crashed && !sm->dying;
}

/*
 * One TX transfer: returns false when there is nothing to do now. DATA
 * for a bdsim interface joins @batch, handed up when the tasklet ends.
 */
static bool sim_tx_step(struct sim_chan *sc, struct list_head *batch)
{
	struct sim_modem *sm = sc->sm;
	struct sim_desc *d;
	bool error;

	spin_lock(&sm->lock);
	if (!sim_modem_ready(sm)) {
		spin_unlock(&sm->lock);
		return false;
	}
	d = sim_chan_take(sc);
	if (!d) {
		spin_unlock(&sm->lock);
		return false;
	}
	error = sim_take_dma_error(sm, SIM_TX);
	if (error)
		sim_inc(sm, SIM_ST_TX_DMA_ERROR);
	sm->last_activity = jiffies;
	spin_unlock(&sm->lock);

	if (error) {
		d->result = DMA_TRANS_READ_FAILED;
		d->residue = d->len;
	} else {
		sim_modem_tx_frame(sm, d, batch);
	}
	sim_chan_complete(sc, d);
	return true;
}

/* One RX transfer: a queued frame into a posted buffer */
static bool sim_rx_step(struct sim_chan *sc)
{
	struct sim_modem *sm = sc->sm;
	struct sk_buff *skb;
	struct sim_desc *d;
	bool error;

	spin_lock(&sm->lock);
	if (!sim_modem_ready(sm)) {
		spin_unlock(&sm->lock);
		return false;
	}
	skb = skb_peek(&sm->rxq);
	if (!skb) {
		spin_unlock(&sm->lock);
		return false;
	}
	if (!sim_link_due(sc, sim_frame_cb(skb)->ready)) {
		spin_unlock(&sm->lock);
		return false;
	}
	d = sim_chan_take(sc);
	if (!d) {
		/* the frame waits for the host to post a buffer */
		spin_unlock(&sm->lock);
		return false;
	}
	error = sim_take_dma_error(sm, SIM_RX);
	if (error) {
		/* the transfer failed: the frame stays queued for a retry */
		sim_inc(sm, SIM_ST_RX_DMA_ERROR);
		spin_unlock(&sm->lock);
		d->result = DMA_TRANS_WRITE_FAILED;
		d->residue = d->len;
		sim_chan_complete(sc, d);
		return true;
	}
	sm->last_activity = jiffies;
	__skb_unlink(skb, &sm->rxq);
	spin_unlock(&sm->lock);

	sim_modem_rx_frame(sm, d, skb);
	sim_chan_complete(sc, d);
	return true;
}

static void sim_chan_tasklet(struct tasklet_struct *t)
{
	struct sim_chan *sc = from_tasklet(sc, t, task);
	int budget = SIM_TASK_BUDGET;
	LIST_HEAD(batch);
	bool more;

	/* the bdsim interfaces in @batch stay registered until it is flushed */
	rcu_read_lock();
	do {
		more = sc->dir == SIM_TX ? sim_tx_step(sc, &batch) :
					   sim_rx_step(sc);
	} while (more && --budget > 0);
	sim_ndev_deliver_flush(&batch);
	rcu_read_unlock();

	/* more to do: let other softirq work run first */
	if (more)
		sim_dma_chan_kick(sc);
}

static enum hrtimer_restart sim_chan_timer(struct hrtimer *timer)
{
	struct sim_chan *sc = container_of(timer, struct sim_chan, timer);

	sim_dma_chan_kick(sc);
	return HRTIMER_NORESTART;
}

/* The IPI on engine_cpu: the tasklet runs there when the IPI returns */
static void sim_chan_kick_remote(void *info)
{
	struct sim_chan *sc = info;

	tasklet_schedule(&sc->task);
	/* after the schedule: sim_dma_stop() waits for this, then kills */
	atomic_set_release(&sc->kick_pending, 0);
}

/*
 * Schedule the channel's tasklet, on engine_cpu when one is set and
 * online, else where we run. One IPI at a time: a kick while one is on its
 * way is covered by the tasklet it schedules, which runs after it.
 */
void sim_dma_chan_kick(struct sim_chan *sc)
{
	int cpu = READ_ONCE(sc->sm->engine_cpu);

	if (cpu == SIM_ENGINE_CPU_ANY || cpu >= nr_cpu_ids ||
	    !cpu_online(cpu) || cpu == raw_smp_processor_id()) {
		tasklet_schedule(&sc->task);
		return;
	}
	if (atomic_xchg(&sc->kick_pending, 1))
		return;
	if (smp_call_function_single_async(cpu, &sc->kick_csd)) {
		atomic_set(&sc->kick_pending, 0);
		tasklet_schedule(&sc->task);
	}
}

/* Something changed (frames queued, power up): try to transfer */
void sim_dma_kick(struct sim_modem *sm, enum sim_dir dir)
{
	sim_dma_chan_kick(&sm->chan[dir]);
}

/* Teardown: no more transfers, no timer, no IPI, no tasklet */
void sim_dma_stop(struct sim_modem *sm)
{
	int i;

	for (i = 0; i < 2; i++) {
		struct sim_chan *sc = &sm->chan[i];

		hrtimer_cancel(&sc->timer);
		while (atomic_read_acquire(&sc->kick_pending))
			cpu_relax();
		tasklet_kill(&sc->task);
	}
}

static bool sim_dma_filter(struct dma_chan *chan, void *param)
{
	return chan == param;
}

static void sim_dma_release(struct dma_device *dd)
{
	struct sim_modem *sm = container_of(dd, struct sim_modem, dd);

	complete(&sm->dd_released);
}

int sim_dma_register(struct sim_modem *sm)
{
	struct dma_device *dd = &sm->dd;
	struct device *dev = &sm->simdev->dev;
	int i, ret;

	/* BAM descriptors carry 32-bit addresses */
	ret = dma_coerce_mask_and_coherent(dev, DMA_BIT_MASK(32));
	if (ret)
		return ret;

	INIT_LIST_HEAD(&dd->channels);
	dd->dev = dev;
	dma_cap_zero(dd->cap_mask);
	dma_cap_set(DMA_SLAVE, dd->cap_mask);
	dma_cap_set(DMA_PRIVATE, dd->cap_mask);
	dd->directions = BIT(DMA_DEV_TO_MEM) | BIT(DMA_MEM_TO_DEV);
	dd->src_addr_widths = BIT(DMA_SLAVE_BUSWIDTH_4_BYTES);
	dd->dst_addr_widths = BIT(DMA_SLAVE_BUSWIDTH_4_BYTES);
	dd->residue_granularity = DMA_RESIDUE_GRANULARITY_DESCRIPTOR;
	dd->device_alloc_chan_resources = sim_alloc_chan_resources;
	dd->device_free_chan_resources = sim_free_chan_resources;
	dd->device_prep_slave_sg = sim_prep_slave_sg;
	dd->device_config = sim_device_config;
	dd->device_terminate_all = sim_terminate_all;
	dd->device_synchronize = sim_synchronize;
	dd->device_tx_status = sim_tx_status;
	dd->device_issue_pending = sim_issue_pending;
	dd->device_release = sim_dma_release;
	init_completion(&sm->dd_released);

	for (i = 0; i < 2; i++) {
		struct sim_chan *sc = &sm->chan[i];

		sc->sm = sm;
		sc->dir = i;
		sc->direction = i == SIM_TX ? DMA_MEM_TO_DEV : DMA_DEV_TO_MEM;
		spin_lock_init(&sc->lock);
		INIT_LIST_HEAD(&sc->allocated);
		INIT_LIST_HEAD(&sc->submitted);
		INIT_LIST_HEAD(&sc->issued);
		INIT_LIST_HEAD(&sc->pool);
		tasklet_setup(&sc->task, sim_chan_tasklet);
		INIT_CSD(&sc->kick_csd, sim_chan_kick_remote, sc);
		hrtimer_init(&sc->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
		sc->timer.function = sim_chan_timer;
		sc->chan.device = dd;
		list_add_tail(&sc->chan.device_node, &dd->channels);
	}

	/* the driver asks for dma_request_chan(&pdev->dev, "tx"/"rx") */
	sm->map[0] = (struct dma_slave_map){ sm->pdev_name, "tx",
					     &sm->chan[SIM_TX].chan };
	sm->map[1] = (struct dma_slave_map){ sm->pdev_name, "rx",
					     &sm->chan[SIM_RX].chan };
	dd->filter.map = sm->map;
	dd->filter.mapcnt = ARRAY_SIZE(sm->map);
	dd->filter.fn = sim_dma_filter;

	ret = dma_async_device_register(dd);
	if (ret)
		return ret;
	/*
	 * dmaengine pins the provider's module while a client holds a
	 * channel. Our exit unregisters the "bam-dmux" device first, which
	 * unbinds the driver and releases the channels, so the simulator can
	 * be unloaded with the driver loaded, as the issue asks.
	 */
	dd->owner = NULL;
	sm->dd_registered = true;
	return 0;
}

void sim_dma_unregister(struct sim_modem *sm)
{
	if (!sm->dd_registered)
		return;
	dma_async_device_unregister(&sm->dd);
	if (!wait_for_completion_timeout(&sm->dd_released, 10 * HZ))
		dev_err(&sm->simdev->dev, "DMA device still referenced\n");
	sm->dd_registered = false;
	sim_desc_pool_free(&sm->chan[SIM_TX]);
	sim_desc_pool_free(&sm->chan[SIM_RX]);
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * BAM-DMUX power control: the two-way handshake with the modem, driven by
 * runtime PM.
 *
 * Host side (our vote): runtime resume votes pc=1, waits for the modem's
 * pc-ack and for its pc line to be up, then lets TX submit; runtime suspend
 * (1 s autosuspend after the last frame) votes pc=0. A vote waits until the
 * previous one was acked. Every wait gives up after 2 s: the timeout is
 * counted, the vote is withdrawn and the next send tries again.
 *
 * Modem side (its pc line): the modem's BAM is powered remotely and loses
 * every pipe with its power. Rising, we request both DMA channels, post RX
 * buffers and toggle our pc-ack; falling, we stop both pipes, free the
 * buffers, release the channels and only then toggle pc-ack, after which
 * the modem cuts the BAM's power. Nothing touches the engine in between.
 * A fall while our vote is up and acked is a modem restart: the
 * interfaces are detached until the modem announces its channels again.
 *
 * The link state (pc_want, pc_vote, pc_acked, remote_up, the channels) is
 * written under pc_lock only, and bam_dmux_link_update() alone derives
 * from it whether TX may submit.
 */
#include <linux/dmaengine.h>
#include <linux/ktime.h>
#include <linux/lockdep.h>
#include <linux/pm_runtime.h>

#include "bam_dmux.h"
#include "bam_dmux_trace.h"

/*
 * Whether TX may submit follows from the link state, here and nowhere
 * else: runtime PM wants the link, our vote is up and acked, and the
 * modem's line is up with our channels held. pc_lock held.
 */
static void bam_dmux_link_update(struct bam_dmux *dmux)
{
	lockdep_assert_held(&dmux->pc_lock);
	bam_dmux_tx_set_ready(dmux, dmux->pc_want && dmux->pc_vote &&
				    dmux->pc_acked && dmux->remote_up);
}

/*
 * Change our vote, and what runtime PM wants with it. Unless @wait_prev is
 * false (the previous wait just timed out), wait for the previous vote's
 * ack first.
 */
static void bam_dmux_vote(struct bam_dmux *dmux, bool on, bool wait_prev)
{
	if (wait_prev &&
	    !wait_event_timeout(dmux->pc_wait, READ_ONCE(dmux->pc_acked),
				BAM_DMUX_REMOTE_TIMEOUT)) {
		bam_dmux_stat_inc(dmux, BAM_DMUX_STAT_PC_TIMEOUTS);
		dev_warn_ratelimited(dmux->dev,
				     "modem did not ack the previous vote\n");
	}

	mutex_lock(&dmux->pc_lock);
	WRITE_ONCE(dmux->pc_acked, false);
	dmux->pc_want = on;
	dmux->pc_vote = on;
	bam_dmux_link_update(dmux);
	dmux->pc_ops->vote(dmux->pc, on);
	mutex_unlock(&dmux->pc_lock);

	bam_dmux_stat_inc(dmux, BAM_DMUX_STAT_PC_VOTES);
	trace_bam_dmux_pc_vote(dmux->dev, on);
}

static int bam_dmux_runtime_resume(struct device *dev)
{
	struct bam_dmux *dmux = dev_get_drvdata(dev);
	ktime_t start;
	u64 latency;

	start = ktime_get();
	bam_dmux_vote(dmux, true, true);

	if (!wait_event_timeout(dmux->pc_wait, READ_ONCE(dmux->pc_acked),
				BAM_DMUX_REMOTE_TIMEOUT))
		goto timeout;
	if (!wait_event_timeout(dmux->pc_wait, READ_ONCE(dmux->remote_up),
				BAM_DMUX_REMOTE_TIMEOUT))
		goto timeout;

	bam_dmux_stat_inc(dmux, BAM_DMUX_STAT_PC_WAKEUPS);
	latency = ktime_to_ns(ktime_sub(ktime_get(), start));
	trace_bam_dmux_wake(dmux->dev, latency, 0);
	return 0;

timeout:
	latency = ktime_to_ns(ktime_sub(ktime_get(), start));
	trace_bam_dmux_wake(dmux->dev, latency, -ETIMEDOUT);
	bam_dmux_stat_inc(dmux, BAM_DMUX_STAT_PC_TIMEOUTS);
	dev_warn_ratelimited(dev, "modem did not power up\n");
	/* withdraw the vote; the next send votes again (bam_dmux_pm_get) */
	bam_dmux_vote(dmux, false, READ_ONCE(dmux->pc_acked));
	return -EAGAIN;
}

static int bam_dmux_runtime_suspend(struct device *dev)
{
	struct bam_dmux *dmux = dev_get_drvdata(dev);

	/*
	 * TX stops submitting, atomically with the check that nothing is
	 * queued, and nothing lets it start again until the next resume.
	 */
	mutex_lock(&dmux->pc_lock);
	if (!bam_dmux_tx_quiesce(dmux)) {
		mutex_unlock(&dmux->pc_lock);
		return -EBUSY;
	}
	dmux->pc_want = false;
	mutex_unlock(&dmux->pc_lock);

	bam_dmux_vote(dmux, false, true);
	return 0;
}

const struct dev_pm_ops bam_dmux_pm_ops = {
	SET_RUNTIME_PM_OPS(bam_dmux_runtime_suspend, bam_dmux_runtime_resume,
			   NULL)
};

static void bam_dmux_dma_release(struct bam_dmux *dmux)
{
	if (dmux->tx_chan)
		dma_release_channel(dmux->tx_chan);
	if (dmux->rx_chan)
		dma_release_channel(dmux->rx_chan);
	dmux->tx_chan = NULL;
	dmux->rx_chan = NULL;
}

/*
 * Request both DMA channels. A remotely powered BAM has just been powered
 * up: bam_dma resets it on the first request and sets each pipe up on its
 * first transfer. pc_lock held.
 */
static int bam_dmux_dma_request(struct bam_dmux *dmux)
{
	struct dma_slave_config rx_conf = {
		.direction = DMA_DEV_TO_MEM,
		.src_maxburst = BAM_DMUX_BUFFER_SIZE,
	};
	struct dma_chan *chan;
	int ret;

	chan = dma_request_chan(dmux->dev, "rx");
	if (IS_ERR(chan))
		return PTR_ERR(chan);
	dmux->rx_chan = chan;
	ret = dmaengine_slave_config(chan, &rx_conf);
	if (ret)
		goto err;

	chan = dma_request_chan(dmux->dev, "tx");
	if (IS_ERR(chan)) {
		ret = PTR_ERR(chan);
		goto err;
	}
	dmux->tx_chan = chan;
	return 0;

err:
	bam_dmux_dma_release(dmux);
	return ret;
}

/* The modem's line rose: take the channels, post RX buffers. pc_lock held. */
static void bam_dmux_link_up(struct bam_dmux *dmux)
{
	int ret;

	bam_dmux_stat_inc(dmux, BAM_DMUX_STAT_REMOTE_POWER_UP);
	WRITE_ONCE(dmux->restart_counted, false);

	ret = bam_dmux_dma_request(dmux);
	if (!ret) {
		ret = bam_dmux_rx_start(dmux);
		if (ret)
			bam_dmux_dma_release(dmux);
	}
	if (ret) {
		/* the next power-up tries again */
		bam_dmux_stat_inc(dmux, BAM_DMUX_STAT_DMA_SETUP_FAIL);
		dev_err_ratelimited(dmux->dev, "cannot set up DMA: %d\n", ret);
		return;
	}
	WRITE_ONCE(dmux->remote_up, true);
}

/*
 * The modem's line fell (or the device goes away): stop both pipes while
 * the BAM still has power, free the buffers and give the channels back.
 * The modem cuts the BAM's power once we ack. pc_lock held.
 */
static void bam_dmux_link_down(struct bam_dmux *dmux)
{
	WRITE_ONCE(dmux->remote_up, false);
	bam_dmux_link_update(dmux);
	if (dmux->tx_chan)
		bam_dmux_tx_abort(dmux);
	bam_dmux_rx_stop(dmux);
	bam_dmux_dma_release(dmux);

	/*
	 * Down under a vote the modem acked: it restarted. A vote not acked
	 * yet may simply have crossed an idle power-down the modem decided
	 * before it saw the vote; a modem that restarted then says so with
	 * its new OPENs (bam_dmux_channel_remote()).
	 */
	if (dmux->pc_vote && dmux->pc_acked && !READ_ONCE(dmux->removing)) {
		bam_dmux_stat_inc(dmux, BAM_DMUX_STAT_MODEM_RESTARTS);
		dev_warn(dmux->dev, "modem went down, waiting for it to restart\n");
		bam_dmux_channels_lost(dmux);
	}
}

/*
 * An interrupt of the modem's pc line, with the line's level now. Edges
 * that came while the last one was handled merge into one interrupt: a
 * level we know already means the line went the other way and back. We
 * ack every interrupt, as the modem waits for it.
 */
static void bam_dmux_remote_power(void *ctx, bool on)
{
	struct bam_dmux *dmux = ctx;

	mutex_lock(&dmux->pc_lock);
	trace_bam_dmux_pc_remote(dmux->dev, on);

	if (on == dmux->remote_up) {
		/*
		 * Down and up again: the BAM lost its power in between, and
		 * our pipes with it. Up and down again: nothing to undo.
		 */
		bam_dmux_stat_inc(dmux, BAM_DMUX_STAT_PC_MERGED);
		if (on) {
			bam_dmux_stat_inc(dmux, BAM_DMUX_STAT_REMOTE_POWER_DOWN);
			bam_dmux_link_down(dmux);
		}
	}
	if (on && !dmux->remote_up) {
		bam_dmux_link_up(dmux);
	} else if (!on && dmux->remote_up) {
		bam_dmux_stat_inc(dmux, BAM_DMUX_STAT_REMOTE_POWER_DOWN);
		bam_dmux_link_down(dmux);
	}

	dmux->pc_ops->ack(dmux->pc);
	bam_dmux_link_update(dmux);
	mutex_unlock(&dmux->pc_lock);
	wake_up_all(&dmux->pc_wait);
}

/* The modem toggled its pc-ack: it saw our last vote. */
static void bam_dmux_remote_ack(void *ctx)
{
	struct bam_dmux *dmux = ctx;

	trace_bam_dmux_pc_ack(dmux->dev);
	mutex_lock(&dmux->pc_lock);
	WRITE_ONCE(dmux->pc_acked, true);
	bam_dmux_link_update(dmux);
	mutex_unlock(&dmux->pc_lock);
	wake_up_all(&dmux->pc_wait);
}

static const struct bam_dmux_pc_events bam_dmux_pc_events = {
	.remote_power = bam_dmux_remote_power,
	.remote_ack = bam_dmux_remote_ack,
};

/*
 * pm_runtime_resume_and_get() for the TX path. The PM core of 6.1 latches
 * any error of ->runtime_resume, our -EAGAIN after a wake timeout
 * included, and fails every later resume with -EINVAL until the status
 * is set again. A timeout is no lasting fault (a modem restarting answers
 * the next vote), so clear the latched error: the device is suspended,
 * as the failed resume left it, and the next send votes again.
 */
int bam_dmux_pm_get(struct bam_dmux *dmux)
{
	int ret;

	ret = pm_runtime_resume_and_get(dmux->dev);
	if (ret == -EINVAL) {
		/* latched by an earlier failed wake (ethtool's, say) */
		pm_runtime_set_suspended(dmux->dev);
		ret = pm_runtime_resume_and_get(dmux->dev);
	}
	/* a no-op (-EAGAIN) unless this resume latched its error */
	if (ret)
		pm_runtime_set_suspended(dmux->dev);
	return ret;
}

/*
 * OPEN_NO_A2_PC: keep our vote up while channel @ch is open (@hold), or
 * release it. Any context.
 */
void bam_dmux_no_a2_pc(struct bam_dmux *dmux, u8 ch, bool hold)
{
	if (hold) {
		if (!test_and_set_bit(ch, &dmux->no_a2_pc))
			pm_runtime_get(dmux->dev);
	} else if (test_and_clear_bit(ch, &dmux->no_a2_pc)) {
		pm_runtime_mark_last_busy(dmux->dev);
		pm_runtime_put_autosuspend(dmux->dev);
	}
}

int bam_dmux_power_init(struct bam_dmux *dmux)
{
	int ret;

	mutex_init(&dmux->pc_lock);
	/* no vote is waiting for an ack yet */
	dmux->pc_acked = true;
	init_waitqueue_head(&dmux->pc_wait);

	pm_runtime_set_autosuspend_delay(dmux->dev, BAM_DMUX_AUTOSUSPEND_MS);
	pm_runtime_use_autosuspend(dmux->dev);
	pm_runtime_enable(dmux->dev);

	ret = dmux->pc_ops->start(dmux->pc, &bam_dmux_pc_events, dmux);
	if (ret) {
		pm_runtime_disable(dmux->dev);
		pm_runtime_dont_use_autosuspend(dmux->dev);
		return ret;
	}
	dmux->pc_started = true;

	/*
	 * The modem may have powered up before us. If it is down, it tells
	 * its channels at its next power-up: vote once, so that it does.
	 */
	if (dmux->pc_ops->remote_power_level(dmux->pc)) {
		bam_dmux_remote_power(dmux, true);
	} else {
		pm_runtime_mark_last_busy(dmux->dev);
		pm_request_resume(dmux->dev);
	}
	return 0;
}

/*
 * remove(): vote down and give the modem a bounded time to power down,
 * so that its fall is handled (and acked) as any other; only a modem that
 * keeps its line up has its pipes stopped under it.
 */
void bam_dmux_power_exit(struct bam_dmux *dmux)
{
	u8 ch;

	pm_runtime_disable(dmux->dev);
	for (ch = 0; ch < BAM_DMUX_NUM_CH; ch++)
		if (test_and_clear_bit(ch, &dmux->no_a2_pc))
			pm_runtime_put_noidle(dmux->dev);

	mutex_lock(&dmux->pc_lock);
	dmux->pc_want = false;
	bam_dmux_link_update(dmux);
	mutex_unlock(&dmux->pc_lock);
	if (dmux->pc_vote)
		bam_dmux_vote(dmux, false, true);

	if (!wait_event_timeout(dmux->pc_wait, !READ_ONCE(dmux->remote_up),
				BAM_DMUX_REMOTE_TIMEOUT) &&
	    !dmux->pc_ops->remote_power_level(dmux->pc))
		/*
		 * The line fell and its event is on its way (a slow machine):
		 * stopping the provider now would lose it, and with it the
		 * last moment the BAM has power.
		 */
		wait_event_timeout(dmux->pc_wait, !READ_ONCE(dmux->remote_up),
				   BAM_DMUX_REMOTE_TIMEOUT);
	if (READ_ONCE(dmux->remote_up))
		dev_warn(dmux->dev,
			 "modem kept its power line up: stopping DMA under it\n");

	if (dmux->pc_started)
		dmux->pc_ops->stop(dmux->pc);
	dmux->pc_started = false;

	mutex_lock(&dmux->pc_lock);
	if (dmux->remote_up || dmux->rx_chan)
		bam_dmux_link_down(dmux);
	mutex_unlock(&dmux->pc_lock);

	pm_runtime_dont_use_autosuspend(dmux->dev);
	pm_runtime_set_suspended(dmux->dev);
}

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
 * Modem side (its pc line): rising, we set up RX, post buffers and toggle
 * our pc-ack; falling, we stop DMA, free the buffers and toggle pc-ack. A
 * fall while our vote is up is a modem restart: the interfaces are
 * detached until the modem announces its channels again.
 */
#include <linux/ktime.h>
#include <linux/pm_runtime.h>

#include "bam_dmux.h"
#include "bam_dmux_trace.h"

/*
 * Change our vote. Unless @wait_prev is false (the previous wait just
 * timed out), wait for the previous vote's ack first.
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
	dmux->pc_vote = on;
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

	bam_dmux_tx_set_ready(dmux, true);
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

	if (!bam_dmux_tx_idle(dmux))
		return -EBUSY;
	bam_dmux_vote(dmux, false, true);
	return 0;
}

const struct dev_pm_ops bam_dmux_pm_ops = {
	SET_RUNTIME_PM_OPS(bam_dmux_runtime_suspend, bam_dmux_runtime_resume,
			   NULL)
};

/* The modem's pc line changed. Process context, serialized. */
static void bam_dmux_remote_power(void *ctx, bool on)
{
	struct bam_dmux *dmux = ctx;
	bool restart;

	mutex_lock(&dmux->pc_lock);
	if (on == dmux->remote_up) {
		mutex_unlock(&dmux->pc_lock);
		return;
	}
	trace_bam_dmux_pc_remote(dmux->dev, on);

	if (on) {
		bam_dmux_stat_inc(dmux, BAM_DMUX_STAT_REMOTE_POWER_UP);
		WRITE_ONCE(dmux->restart_counted, false);
		bam_dmux_rx_start(dmux);
		dmux->pc_ops->ack(dmux->pc);
		WRITE_ONCE(dmux->remote_up, true);
		/* our vote is up and acked (the modem came back): TX may go */
		if (dmux->pc_vote && READ_ONCE(dmux->pc_acked))
			bam_dmux_tx_set_ready(dmux, true);
		wake_up_all(&dmux->pc_wait);
		mutex_unlock(&dmux->pc_lock);
		return;
	}

	bam_dmux_stat_inc(dmux, BAM_DMUX_STAT_REMOTE_POWER_DOWN);
	restart = dmux->pc_vote;
	WRITE_ONCE(dmux->remote_up, false);
	bam_dmux_tx_set_ready(dmux, false);
	bam_dmux_tx_abort(dmux);
	bam_dmux_rx_stop(dmux);
	dmux->pc_ops->ack(dmux->pc);
	if (restart) {
		bam_dmux_stat_inc(dmux, BAM_DMUX_STAT_MODEM_RESTARTS);
		dev_warn(dmux->dev, "modem went down, waiting for it to restart\n");
		bam_dmux_channels_lost(dmux);
	}
	mutex_unlock(&dmux->pc_lock);
}

/* The modem toggled its pc-ack: it saw our last vote. */
static void bam_dmux_remote_ack(void *ctx)
{
	struct bam_dmux *dmux = ctx;

	trace_bam_dmux_pc_ack(dmux->dev);
	WRITE_ONCE(dmux->pc_acked, true);
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

	/* the modem may have powered up before us */
	if (dmux->pc_ops->remote_power_level(dmux->pc))
		bam_dmux_remote_power(dmux, true);
	return 0;
}

void bam_dmux_power_exit(struct bam_dmux *dmux)
{
	u8 ch;

	pm_runtime_disable(dmux->dev);
	if (dmux->pc_started)
		dmux->pc_ops->stop(dmux->pc);
	dmux->pc_started = false;

	mutex_lock(&dmux->pc_lock);
	bam_dmux_tx_set_ready(dmux, false);
	bam_dmux_tx_abort(dmux);
	bam_dmux_rx_stop(dmux);
	WRITE_ONCE(dmux->remote_up, false);
	if (dmux->pc_vote) {
		dmux->pc_vote = false;
		dmux->pc_ops->vote(dmux->pc, false);
		bam_dmux_stat_inc(dmux, BAM_DMUX_STAT_PC_VOTES);
		trace_bam_dmux_pc_vote(dmux->dev, false);
	}
	mutex_unlock(&dmux->pc_lock);

	for (ch = 0; ch < BAM_DMUX_NUM_CH; ch++)
		if (test_and_clear_bit(ch, &dmux->no_a2_pc))
			pm_runtime_put_noidle(dmux->dev);
	pm_runtime_dont_use_autosuspend(dmux->dev);
	pm_runtime_set_suspended(dmux->dev);
}

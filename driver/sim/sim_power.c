// SPDX-License-Identifier: GPL-2.0-only
/*
 * bam_dmux_sim: the modem's side of the power-control handshake, offered
 * to the driver as a struct bam_dmux_pc_ops provider (bam_dmux_pc.h).
 *
 * The modem has a pc line (its power) and a pc-ack line (toggled when it
 * saw a host vote); the host's vote() and ack() are its two lines.
 *
 *  - host vote: after wake_delay_us the modem toggles its ack and, when
 *    the vote is "on" and its line is down, raises its line. A vote made
 *    before the previous one was acked is counted (votes_unacked).
 *  - modem line change: the host owes an ack(); the modem counts them.
 *  - modem-initiated wake: a frame queued for the host while the line is
 *    down raises the line after wake_delay_us.
 *  - idle_ms: with the host's vote down, no frame either way for idle_ms
 *    and no ack owed, the modem lowers its line.
 *  - crash: no acks, no DMA completions, the line drops, queued frames are
 *    lost; after restart_ms the modem boots again: line up, channels
 *    announced anew.
 *
 * The modem's timers run as soft hrtimers; the events for the driver are
 * queued in order and delivered one at a time from a work item on an
 * ordered workqueue (process context), from start() until stop().
 *
 * irq_coalesce (default 1) models the modem's lines as threaded
 * interrupts: an edge that comes while an event of its line waits for
 * delivery merges into it, and the event then carries the line's current
 * level. The host acks the one event it saw; so the modem expects one ack
 * per event delivered, not per edge.
 *
 * The BAM is powered from the line's rise until the host acks its fall
 * (or until a crashed modem reboots): then sim_dma_bam_power_locked()
 * resets every pipe.
 */
#include "sim.h"

/*
 * With irq_coalesce, merge an edge into the event of its line that waits
 * for delivery: it now carries @on. Returns true when merged. sm->lock.
 */
static bool sim_ev_merge_locked(struct sim_modem *sm, u8 type, bool on)
{
	unsigned int i, n;

	if (!sm->irq_coalesce)
		return false;
	if (type == SIM_EV_POWER ? !sm->ev_power_queued : !sm->ev_ack_queued)
		return false;
	for (i = 0; i < sm->ev_count; i++) {
		n = (sm->ev_head + i) % SIM_EVQ_LEN;
		if (sm->evq[n].type == type)
			sm->evq[n].on = on;
	}
	sim_inc(sm, SIM_ST_EVENTS_COALESCED);
	return true;
}

/*
 * Queue an event for the driver. Returns false when it merged into one
 * already queued (the host will see, and ack, one event). Under sm->lock.
 */
static bool sim_ev_push_locked(struct sim_modem *sm, u8 type, bool on)
{
	unsigned int tail;

	if (!sm->started)
		return true;
	if (sim_ev_merge_locked(sm, type, on))
		return false;
	if (sm->ev_count == SIM_EVQ_LEN) {
		sim_inc(sm, SIM_ST_EVENTS_LOST);
		return true;
	}
	tail = (sm->ev_head + sm->ev_count) % SIM_EVQ_LEN;
	sm->evq[tail].type = type;
	sm->evq[tail].on = on;
	sm->ev_count++;
	if (type == SIM_EV_POWER)
		sm->ev_power_queued++;
	else
		sm->ev_ack_queued++;
	queue_work(sm->wq, &sm->ev_work);
	return true;
}

static void sim_ev_work(struct work_struct *work)
{
	struct sim_modem *sm = container_of(work, struct sim_modem, ev_work);
	const struct bam_dmux_pc_events *events;
	struct sim_ev ev;
	void *ctx;

	for (;;) {
		spin_lock_bh(&sm->lock);
		if (!sm->started || !sm->ev_count) {
			spin_unlock_bh(&sm->lock);
			return;
		}
		ev = sm->evq[sm->ev_head];
		sm->ev_head = (sm->ev_head + 1) % SIM_EVQ_LEN;
		sm->ev_count--;
		/* the handler runs: a new edge raises a new event */
		if (ev.type == SIM_EV_POWER)
			sm->ev_power_queued--;
		else
			sm->ev_ack_queued--;
		events = sm->events;
		ctx = sm->ev_ctx;
		spin_unlock_bh(&sm->lock);

		if (ev.type == SIM_EV_POWER)
			events->remote_power(ctx, ev.on);
		else
			events->remote_ack(ctx);
	}
}

/* Raise the modem's pc line. Under sm->lock. */
static void sim_pc_power_up_locked(struct sim_modem *sm)
{
	sm->pc_line = true;
	sim_dma_bam_power_locked(sm, true);
	sim_inc(sm, SIM_ST_POWER_UP);
	if (sim_ev_push_locked(sm, SIM_EV_POWER, true))
		sm->host_ack_pending++;
	if (sm->need_announce && sm->started)
		sim_modem_announce_locked(sm);
	sim_dma_kick(sm, SIM_RX);
	sim_dma_kick(sm, SIM_TX);
}

static void sim_pc_power_down_locked(struct sim_modem *sm)
{
	sm->pc_line = false;
	sim_inc(sm, SIM_ST_POWER_DOWN);
	if (sim_ev_push_locked(sm, SIM_EV_POWER, false))
		sm->host_ack_pending++;
	/* no host to wait for: the BAM goes down with the line */
	if (!sm->started)
		sim_dma_bam_power_locked(sm, false);
}

/*
 * The modem wants its line up (a host vote, or frames of its own). While
 * the host still owes the ack of its fall, the modem is still powering
 * down: it raises the line once that ack came (sim_pc_ack), as the fall
 * and the rise of one power cycle are never merged into one event. Only a
 * crashed modem's reboot raises the line regardless.
 */
static void sim_pc_raise_locked(struct sim_modem *sm)
{
	if (sm->host_ack_pending && sm->started) {
		if (!sm->raise_pending)
			sim_inc(sm, SIM_ST_RAISES_DEFERRED);
		sm->raise_pending = true;
		return;
	}
	sim_pc_power_up_locked(sm);
}

void sim_pc_idle_kick(struct sim_modem *sm)
{
	u32 ms = READ_ONCE(sm->idle_ms);

	if (ms && !READ_ONCE(sm->dying))
		mod_delayed_work(sm->wq, &sm->idle_work, msecs_to_jiffies(ms));
}

/* Votes are acked wake_delay_us after they were made, in order */
static enum hrtimer_restart sim_vote_timer(struct hrtimer *timer)
{
	struct sim_modem *sm = container_of(timer, struct sim_modem,
					    vote_timer);
	enum hrtimer_restart ret = HRTIMER_NORESTART;
	bool idle = false;
	struct sim_vote *v;

	spin_lock(&sm->lock);
	while (sm->vote_count && !sm->crashed && !sm->dying) {
		v = &sm->voteq[sm->vote_head];
		if (ktime_after(v->due, ktime_get())) {
			hrtimer_set_expires(timer, v->due);
			ret = HRTIMER_RESTART;
			break;
		}
		sm->vote_head = (sm->vote_head + 1) % SIM_VOTEQ_LEN;
		sm->vote_count--;

		sim_inc(sm, SIM_ST_ACKS_SENT);
		sim_ev_push_locked(sm, SIM_EV_ACK, true);
		if (v->on && !sm->pc_line)
			sim_pc_raise_locked(sm);
		if (!v->on)
			idle = true;
	}
	spin_unlock(&sm->lock);

	if (idle)
		sim_pc_idle_kick(sm);
	return ret;
}

/* Modem-initiated wake-up: it has frames for the host */
void sim_pc_wake_locked(struct sim_modem *sm)
{
	if (sm->pc_line || sm->crashed || sm->dying || sm->wake_pending ||
	    !sm->started)
		return;
	sm->wake_pending = true;
	if (!sm->wake_measuring) {
		sm->wake_measuring = true;
		sm->wake_start = ktime_get();
	}
	hrtimer_start(&sm->wake_timer, ns_to_ktime((u64)sm->wake_delay_us * NSEC_PER_USEC),
		      HRTIMER_MODE_REL_SOFT);
}

static enum hrtimer_restart sim_wake_timer(struct hrtimer *timer)
{
	struct sim_modem *sm = container_of(timer, struct sim_modem,
					    wake_timer);

	spin_lock(&sm->lock);
	sm->wake_pending = false;
	if (!sm->pc_line && !sm->crashed && !sm->dying) {
		sim_inc(sm, SIM_ST_MODEM_WAKEUPS);
		sim_pc_raise_locked(sm);
	}
	spin_unlock(&sm->lock);
	return HRTIMER_NORESTART;
}

static enum hrtimer_restart sim_restart_timer(struct hrtimer *timer)
{
	struct sim_modem *sm = container_of(timer, struct sim_modem,
					    restart_timer);

	spin_lock(&sm->lock);
	if (sm->crashed && !sm->dying) {
		sm->crashed = false;
		sim_inc(sm, SIM_ST_RESTARTS);
		/* the modem rebooted: its BAM was reset, acked fall or not */
		sim_dma_bam_reboot_locked(sm);
		sm->need_announce = true;
		sm->vote_count = 0;
		sm->raise_pending = false;
		sim_pc_power_up_locked(sm);
	}
	spin_unlock(&sm->lock);
	return HRTIMER_NORESTART;
}

static void sim_idle_work(struct work_struct *work)
{
	struct sim_modem *sm = container_of(to_delayed_work(work),
					    struct sim_modem, idle_work);
	unsigned long idle_j, due;
	bool rearm = false;

	spin_lock_bh(&sm->lock);
	idle_j = msecs_to_jiffies(sm->idle_ms);
	if (!sm->idle_ms || !sm->pc_line || sm->crashed || sm->dying ||
	    sm->host_vote || sm->host_no_a2_pc)
		goto unlock;	/* the next vote-off or knob write re-arms */
	due = sm->last_activity + idle_j;
	if (time_before(jiffies, due)) {
		mod_delayed_work(sm->wq, &sm->idle_work, due - jiffies);
		goto unlock;
	}
	if (sm->host_ack_pending || sm->vote_count ||
	    !skb_queue_empty(&sm->rxq)) {
		rearm = true;
		goto unlock;
	}
	sim_inc(sm, SIM_ST_IDLE_POWER_DOWNS);
	sim_pc_power_down_locked(sm);
unlock:
	spin_unlock_bh(&sm->lock);
	if (rearm)
		sim_pc_idle_kick(sm);
}

/* The crash injection */
void sim_pc_crash(struct sim_modem *sm)
{
	spin_lock_bh(&sm->lock);
	if (sm->crashed || sm->dying) {
		spin_unlock_bh(&sm->lock);
		return;
	}
	sm->crashed = true;
	sim_inc(sm, SIM_ST_CRASHES);
	sm->vote_count = 0;
	sm->wake_measuring = false;
	sim_modem_flush_rxq_locked(sm, SIM_ST_RX_DROP_CRASH);
	sm->modem_open = 0;
	sm->host_open = 0;
	sm->host_no_a2_pc = 0;
	if (sm->pc_line)
		sim_pc_power_down_locked(sm);
	hrtimer_start(&sm->restart_timer, ms_to_ktime(sm->restart_ms),
		      HRTIMER_MODE_REL_SOFT);
	spin_unlock_bh(&sm->lock);
}

/* The provider ops */

static int sim_pc_start(void *provider, const struct bam_dmux_pc_events *events,
			void *ctx)
{
	struct sim_modem *sm = provider;

	spin_lock_bh(&sm->lock);
	sm->events = events;
	sm->ev_ctx = ctx;
	sm->ev_head = 0;
	sm->ev_count = 0;
	sm->ev_power_queued = 0;
	sm->ev_ack_queued = 0;
	sm->started = true;
	/* a new host session: it knows nothing of what came before */
	sm->host_open = 0;
	sm->host_no_a2_pc = 0;
	sm->host_vote = false;
	sm->vote_count = 0;
	sm->raise_pending = false;
	sim_modem_flush_rxq_locked(sm, SIM_ST_RX_DROP_RESET);
	/* the host reads the line level and acks a line that is up */
	sm->host_ack_pending = sm->pc_line ? 1 : 0;
	sm->need_announce = true;
	if (sm->pc_line && !sm->crashed)
		sim_modem_announce_locked(sm);
	spin_unlock_bh(&sm->lock);
	return 0;
}

static void sim_pc_stop(void *provider)
{
	struct sim_modem *sm = provider;

	spin_lock_bh(&sm->lock);
	sm->started = false;
	sm->ev_count = 0;
	sm->ev_power_queued = 0;
	sm->ev_ack_queued = 0;
	sm->host_open = 0;
	sm->host_no_a2_pc = 0;
	sm->host_vote = false;
	sm->vote_count = 0;
	sm->raise_pending = false;
	sm->wake_measuring = false;
	sim_modem_flush_rxq_locked(sm, SIM_ST_RX_DROP_RESET);
	spin_unlock_bh(&sm->lock);

	/* an event the host is handling (a fall: it still uses the BAM) ends */
	cancel_work_sync(&sm->ev_work);
	hrtimer_cancel(&sm->vote_timer);
	spin_lock_bh(&sm->lock);
	sm->events = NULL;
	sm->ev_ctx = NULL;
	/* then a fall the host will never ack: the modem cuts the power */
	if (!sm->pc_line)
		sim_dma_bam_power_locked(sm, false);
	spin_unlock_bh(&sm->lock);
	sim_pc_idle_kick(sm);
}

static void sim_pc_vote(void *provider, bool on)
{
	struct sim_modem *sm = provider;
	struct sim_vote *v;
	bool idle = false;

	spin_lock_bh(&sm->lock);
	sim_inc(sm, on ? SIM_ST_VOTES_ON : SIM_ST_VOTES_OFF);
	if (sm->vote_count)
		sim_inc(sm, SIM_ST_VOTES_UNACKED);
	sm->host_vote = on;
	if (sm->dying)
		goto unlock;
	if (sm->crashed) {
		sim_inc(sm, SIM_ST_VOTES_IGNORED);
		goto unlock;
	}
	if (sm->inj_no_ack) {
		sm->inj_no_ack--;
		sim_inc(sm, SIM_ST_VOTES_IGNORED);
		/* a host that saw no ack may still vote off: allow idling */
		idle = !on;
		goto unlock;
	}
	if (sm->vote_count == SIM_VOTEQ_LEN) {
		sim_inc(sm, SIM_ST_VOTES_IGNORED);
		goto unlock;
	}
	if (on && !sm->pc_line && !sm->wake_measuring) {
		sm->wake_measuring = true;
		sm->wake_start = ktime_get();
	}
	v = &sm->voteq[(sm->vote_head + sm->vote_count) % SIM_VOTEQ_LEN];
	v->on = on;
	v->due = ktime_add_us(ktime_get(), sm->wake_delay_us);
	sm->vote_count++;
	if (sm->vote_count == 1)
		hrtimer_start(&sm->vote_timer, v->due, HRTIMER_MODE_ABS_SOFT);
unlock:
	spin_unlock_bh(&sm->lock);
	if (idle)
		sim_pc_idle_kick(sm);
}

static void sim_pc_ack(void *provider)
{
	struct sim_modem *sm = provider;
	bool idle = false;
	s64 us;

	spin_lock_bh(&sm->lock);
	sim_inc(sm, SIM_ST_HOST_ACKS);
	if (!sm->host_ack_pending) {
		sim_inc(sm, SIM_ST_HOST_ACKS_SPURIOUS);
		goto unlock;
	}
	sm->host_ack_pending--;
	/* the host let go of the BAM: the modem cuts its power */
	if (!sm->pc_line && !sm->host_ack_pending) {
		sim_dma_bam_power_locked(sm, false);
		/* and powers up again if it was asked to meanwhile */
		if (sm->raise_pending && !sm->crashed && !sm->dying) {
			sm->raise_pending = false;
			sim_pc_power_up_locked(sm);
		}
	}
	if (sm->pc_line && sm->wake_measuring && !sm->host_ack_pending) {
		/* the wake is complete: the host is ready for RX */
		us = ktime_us_delta(ktime_get(), sm->wake_start);
		sm->wake_measuring = false;
		sim_inc(sm, SIM_ST_WAKES);
		sm->st[SIM_ST_WAKE_LAST_US] = us;
		if (sm->st[SIM_ST_WAKES] == 1 || us < sm->st[SIM_ST_WAKE_MIN_US])
			sm->st[SIM_ST_WAKE_MIN_US] = us;
		if (us > sm->st[SIM_ST_WAKE_MAX_US])
			sm->st[SIM_ST_WAKE_MAX_US] = us;
	}
	if (sm->pc_line) {
		sim_dma_kick(sm, SIM_RX);
		sim_dma_kick(sm, SIM_TX);
		idle = !sm->host_vote;
	}
unlock:
	spin_unlock_bh(&sm->lock);
	if (idle)
		sim_pc_idle_kick(sm);
}

static bool sim_pc_remote_power_level(void *provider)
{
	struct sim_modem *sm = provider;

	return READ_ONCE(sm->pc_line);
}

const struct bam_dmux_pc_ops sim_pc_ops = {
	.start = sim_pc_start,
	.stop = sim_pc_stop,
	.vote = sim_pc_vote,
	.ack = sim_pc_ack,
	.remote_power_level = sim_pc_remote_power_level,
};

void sim_pc_init(struct sim_modem *sm)
{
	INIT_WORK(&sm->ev_work, sim_ev_work);
	INIT_DELAYED_WORK(&sm->idle_work, sim_idle_work);
	hrtimer_init(&sm->vote_timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
	sm->vote_timer.function = sim_vote_timer;
	hrtimer_init(&sm->wake_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	sm->wake_timer.function = sim_wake_timer;
	hrtimer_init(&sm->restart_timer, CLOCK_MONOTONIC,
		     HRTIMER_MODE_REL_SOFT);
	sm->restart_timer.function = sim_restart_timer;
}

/* The modem boots: its line rises; it announces when a host starts */
void sim_pc_boot(struct sim_modem *sm)
{
	spin_lock_bh(&sm->lock);
	sm->need_announce = true;
	sm->pc_line = true;
	sim_dma_bam_power_locked(sm, true);
	sim_inc(sm, SIM_ST_POWER_UP);
	spin_unlock_bh(&sm->lock);
}

/* Teardown, after the driver is gone and sm->dying is set */
void sim_pc_cleanup(struct sim_modem *sm)
{
	hrtimer_cancel(&sm->vote_timer);
	hrtimer_cancel(&sm->wake_timer);
	hrtimer_cancel(&sm->restart_timer);
	cancel_delayed_work_sync(&sm->idle_work);
	cancel_work_sync(&sm->ev_work);
}

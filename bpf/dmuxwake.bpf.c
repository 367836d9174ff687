// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmuxwake: wake latency from the host's pc=1 vote to a ready data path
 * (bam_dmux_wake), TX deferral while suspended (bam_dmux_tx_defer until
 * the next frame sent: bam_dmux_tx for DATA, bam_dmux_tx_done for any),
 * and the modem's own power-ups (bam_dmux_pc_remote while the host's vote,
 * from bam_dmux_pc_vote, is off).
 */
#include "vmlinux.h"
#include "dmux_common.bpf.h"
#include "dmuxwake.h"

#define ETIMEDOUT 110

struct dmuxwake_data dmux_data SEC(".bss") = {};

static __always_inline __u64 to_unit(__u64 ns)
{
	return dmux_cfg.ms ? ns / 1000000 : ns / 1000;
}

static __always_inline int count_wake(int s, __u64 ns, int result)
{
	struct wake_dev *d = &dmux_data.devs[s];

	if (result == -ETIMEDOUT) {
		__sync_fetch_and_add(&d->c.timeouts, 1);
		return 0;
	}
	if (result) {
		__sync_fetch_and_add(&d->c.errors, 1);
		return 0;
	}
	/* the extremes first: a wake counted has its latency in them */
	dmux_extreme_add(d->wake_ns, dmux_data.epoch, ns);
	__sync_fetch_and_add(&d->c.wake_ns, ns);
	dmux_hist_add(d->c.wake_hist, to_unit(ns));
	__sync_fetch_and_add(&d->c.wakes, 1);
	return 0;
}

/* a DATA or command frame queued while the link was down */
static __always_inline int count_tx_defer(int s, __u8 ch, __u32 len)
{
	struct wake_dev *d = &dmux_data.devs[s];

	(void)ch;
	(void)len;
	__sync_fetch_and_add(&d->c.deferred, 1);
	__sync_val_compare_and_swap(&d->st.defer_start_ns, 0, bpf_ktime_get_ns());
	return 0;
}

/*
 * A frame went out: the deferral, if any, is over. DATA frames report
 * their submit (bam_dmux_tx); command frames (OPEN, CLOSE) report nothing
 * until they complete (bam_dmux_tx_done), so a deferral of commands only
 * ends at the first completion, one DMA transfer after its submit.
 */
static __always_inline int end_deferral(int s)
{
	struct wake_dev *d = &dmux_data.devs[s];
	__u64 start = d->st.defer_start_ns;

	if (!start)
		return 0;
	if (__sync_val_compare_and_swap(&d->st.defer_start_ns, start, 0) != start)
		return 0;
	dmux_hist_add(d->c.defer_hist, to_unit(bpf_ktime_get_ns() - start));
	__sync_fetch_and_add(&d->c.defer_waits, 1);
	return 0;
}

static __always_inline int count_tx(int s, __u8 ch, __u32 len, __u32 in_flight)
{
	(void)ch;
	(void)len;
	(void)in_flight;
	return end_deferral(s);
}

static __always_inline int count_tx_done(int s, __u32 count)
{
	(void)count;
	return end_deferral(s);
}

static __always_inline int count_pc_vote(int s, bool on)
{
	struct wake_dev *d = &dmux_data.devs[s];

	d->st.vote = on ? WAKE_VOTE_ON : WAKE_VOTE_OFF;
	__sync_fetch_and_add(on ? &d->c.votes_on : &d->c.votes_off, 1);
	return 0;
}

static __always_inline int count_pc_ack(int s)
{
	__sync_fetch_and_add(&dmux_data.devs[s].c.acks, 1);
	return 0;
}

static __always_inline int count_pc_remote(int s, bool on)
{
	struct wake_dev *d = &dmux_data.devs[s];

	if (!on) {
		__sync_fetch_and_add(&d->c.remote_down, 1);
		return 0;
	}
	__sync_fetch_and_add(&d->c.remote_up, 1);
	if (d->st.vote == WAKE_VOTE_OFF)
		__sync_fetch_and_add(&d->c.remote_wakes, 1);
	return 0;
}

DMUX_ON_WAKE(count_wake)
DMUX_ON_FRAME(bam_dmux_tx_defer, count_tx_defer)
DMUX_ON_TX(count_tx)
DMUX_ON_RING(bam_dmux_tx_done, count_tx_done)
DMUX_ON_POWER(bam_dmux_pc_vote, count_pc_vote)
DMUX_ON_PC_ACK(count_pc_ack)
DMUX_ON_POWER(bam_dmux_pc_remote, count_pc_remote)

char LICENSE[] SEC("license") = "GPL";

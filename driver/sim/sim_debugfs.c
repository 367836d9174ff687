// SPDX-License-Identifier: GPL-2.0-only
/*
 * bam_dmux_sim: debugfs knobs, actions and statistics, in
 * /sys/kernel/debug/bam_dmux_sim/modem<N>/ (Documentation/sim.rst).
 *
 * Plain values are u32 files; "channels" and "idle_ms" act when written;
 * "open", "open_no_a2_pc", "close" and "inject" are write-only
 * actions; "stats" is read-only, one "name value" pair a line.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "sim.h"

static struct dentry *sim_debugfs_root;

static const char * const sim_stat_names[SIM_ST_MAX] = {
	[SIM_ST_RX_FRAMES]		= "rx_frames",
	[SIM_ST_RX_CTRL]		= "rx_ctrl",
	[SIM_ST_RX_INJECTED]		= "rx_injected",
	[SIM_ST_RX_DROP_QUEUE_FULL]	= "rx_drop_queue_full",
	[SIM_ST_RX_DROP_UNOPENED]	= "rx_drop_unopened",
	[SIM_ST_RX_DROP_CLOSED]		= "rx_drop_closed",
	[SIM_ST_RX_DROP_OVERSIZE]	= "rx_drop_oversize",
	[SIM_ST_RX_DROP_CRASH]		= "rx_drop_crash",
	[SIM_ST_RX_DROP_RESET]		= "rx_drop_reset",
	[SIM_ST_RX_DROP_NOMEM]		= "rx_drop_nomem",
	[SIM_ST_RX_QUEUE_MAX]		= "rx_queue_max",
	[SIM_ST_TX_FRAMES]		= "tx_frames",
	[SIM_ST_TX_BAD_MAGIC]		= "tx_bad_magic",
	[SIM_ST_TX_BAD_CMD]		= "tx_bad_cmd",
	[SIM_ST_TX_BAD_CHANNEL]		= "tx_bad_channel",
	[SIM_ST_TX_OVERSIZE]		= "tx_oversize",
	[SIM_ST_TX_SHORT]		= "tx_short",
	[SIM_ST_TX_BAD_PAD]		= "tx_bad_pad",
	[SIM_ST_TX_UNOPENED]		= "tx_unopened",
	[SIM_ST_TX_CLOSED]		= "tx_closed",
	[SIM_ST_TX_DROP_DOWN]		= "tx_drop_down",
	[SIM_ST_TX_DROP_NOMEM]		= "tx_drop_nomem",
	[SIM_ST_TX_PAD_NOT_MINIMAL]	= "tx_pad_not_minimal",
	[SIM_ST_TX_PAD_NONZERO]		= "tx_pad_nonzero",
	[SIM_ST_TX_TRAILING]		= "tx_trailing",
	[SIM_ST_HOST_OPEN]		= "host_open",
	[SIM_ST_HOST_OPEN_NO_A2_PC]	= "host_open_no_a2_pc",
	[SIM_ST_HOST_CLOSE]		= "host_close",
	[SIM_ST_MODEM_OPEN]		= "modem_open",
	[SIM_ST_MODEM_CLOSE]		= "modem_close",
	[SIM_ST_RX_DMA_ERROR]		= "rx_dma_error",
	[SIM_ST_TX_DMA_ERROR]		= "tx_dma_error",
	[SIM_ST_INJ_BAD_MAGIC]		= "inject_bad_magic",
	[SIM_ST_INJ_BAD_CMD]		= "inject_bad_cmd",
	[SIM_ST_INJ_BAD_CHANNEL]	= "inject_bad_channel",
	[SIM_ST_INJ_OVERSIZE]		= "inject_oversize",
	[SIM_ST_INJ_SHORT]		= "inject_short",
	[SIM_ST_INJ_BAD_PAD]		= "inject_bad_pad",
	[SIM_ST_INJ_UNOPENED]		= "inject_unopened",
	[SIM_ST_INJ_GARBAGE]		= "inject_garbage",
	[SIM_ST_INJ_DMA_ERROR]		= "inject_dma_error",
	[SIM_ST_INJ_NO_ACK]		= "inject_no_ack",
	[SIM_ST_INJ_CRASH]		= "inject_crash",
	[SIM_ST_INJ_PREP_FAIL]		= "inject_prep_fail",
	[SIM_ST_VOTES_ON]		= "votes_on",
	[SIM_ST_VOTES_OFF]		= "votes_off",
	[SIM_ST_VOTES_IGNORED]		= "votes_ignored",
	[SIM_ST_VOTES_UNACKED]		= "votes_unacked",
	[SIM_ST_ACKS_SENT]		= "acks_sent",
	[SIM_ST_HOST_ACKS]		= "host_acks",
	[SIM_ST_HOST_ACKS_SPURIOUS]	= "host_acks_spurious",
	[SIM_ST_POWER_UP]		= "power_up",
	[SIM_ST_POWER_DOWN]		= "power_down",
	[SIM_ST_MODEM_WAKEUPS]		= "modem_wakeups",
	[SIM_ST_RAISES_DEFERRED]	= "raises_deferred",
	[SIM_ST_IDLE_POWER_DOWNS]	= "idle_power_downs",
	[SIM_ST_CRASHES]		= "crashes",
	[SIM_ST_RESTARTS]		= "restarts",
	[SIM_ST_EVENTS_LOST]		= "events_lost",
	[SIM_ST_EVENTS_COALESCED]	= "events_coalesced",
	[SIM_ST_BAM_POWER_OFF]		= "bam_power_off",
	[SIM_ST_WAKES]			= "wakes",
	[SIM_ST_WAKE_LAST_US]		= "wake_last_us",
	[SIM_ST_WAKE_MIN_US]		= "wake_min_us",
	[SIM_ST_WAKE_MAX_US]		= "wake_max_us",
};

/* the per-channel DMA counters shown in stats, named in sim_stats_show() */
#define SIM_DMA_COUNTERS	14

/* counters every client must keep at 0, summed over both channels */
#define SIM_DMA_VIOLATIONS	4

struct sim_stats_snap {
	u64 st[SIM_ST_MAX];
	u64 ch[4][BAM_DMUX_NUM_CH];
	u64 dma[2][SIM_DMA_COUNTERS];
	u64 bam_resets;
	unsigned int rx_queued;
	u8 modem_open, host_open, host_no_a2_pc;
	bool pc_line, host_vote, crashed;
	unsigned int host_ack_pending;
	bool started;
};

static int sim_stats_show(struct seq_file *s, void *unused)
{
	static const char * const dma_names[SIM_DMA_COUNTERS] = {
		"desc_live", "desc_done", "desc_terminated", "desc_errors",
		"bad_prep", "bad_addr", "truncated", "issued_while_down",
		"prep_refused", "access_while_down", "issue_dead_pipe",
		"terminate_while_active", "free_busy", "pipe_resets",
	};
	/* the dma_names[] index of the first of the SIM_DMA_VIOLATIONS */
	const int violations = 9;
	static const char * const ch_names[4] = {
		"rx_frames", "rx_bytes", "tx_frames", "tx_bytes",
	};
	struct sim_modem *sm = s->private;
	struct sim_stats_snap *snap;
	unsigned long flags;
	int i, j;

	snap = kzalloc(sizeof(*snap), GFP_KERNEL);
	if (!snap)
		return -ENOMEM;

	spin_lock_bh(&sm->lock);
	memcpy(snap->st, sm->st, sizeof(snap->st));
	memcpy(snap->ch[0], sm->ch_rx_frames, sizeof(snap->ch[0]));
	memcpy(snap->ch[1], sm->ch_rx_bytes, sizeof(snap->ch[1]));
	memcpy(snap->ch[2], sm->ch_tx_frames, sizeof(snap->ch[2]));
	memcpy(snap->ch[3], sm->ch_tx_bytes, sizeof(snap->ch[3]));
	snap->rx_queued = skb_queue_len(&sm->rxq);
	snap->modem_open = sm->modem_open;
	snap->host_open = sm->host_open;
	snap->host_no_a2_pc = sm->host_no_a2_pc;
	snap->pc_line = sm->pc_line;
	snap->host_vote = sm->host_vote;
	snap->crashed = sm->crashed;
	snap->host_ack_pending = sm->host_ack_pending;
	snap->started = sm->started;
	snap->bam_resets = sm->bam_resets;
	spin_unlock_bh(&sm->lock);

	for (i = 0; i < 2; i++) {
		struct sim_chan *sc = &sm->chan[i];

		spin_lock_irqsave(&sc->lock, flags);
		snap->dma[i][0] = sc->desc_live;
		snap->dma[i][1] = sc->desc_done;
		snap->dma[i][2] = sc->desc_terminated;
		snap->dma[i][3] = sc->desc_errors;
		snap->dma[i][4] = sc->bad_prep;
		snap->dma[i][5] = sc->bad_addr;
		snap->dma[i][6] = sc->truncated;
		snap->dma[i][7] = sc->issued_while_down;
		snap->dma[i][8] = sc->prep_refused;
		snap->dma[i][9] = sc->access_while_down;
		snap->dma[i][10] = sc->issue_dead_pipe;
		snap->dma[i][11] = sc->terminate_while_active;
		snap->dma[i][12] = sc->free_busy;
		snap->dma[i][13] = sc->pipe_resets;
		spin_unlock_irqrestore(&sc->lock, flags);
	}

	/* state */
	seq_printf(s, "pc_line %d\n", snap->pc_line);
	seq_printf(s, "host_vote %d\n", snap->host_vote);
	seq_printf(s, "host_started %d\n", snap->started);
	seq_printf(s, "crashed %d\n", snap->crashed);
	seq_printf(s, "host_acks_owed %u\n", snap->host_ack_pending);
	seq_printf(s, "modem_open_mask 0x%02x\n", snap->modem_open);
	seq_printf(s, "host_open_mask 0x%02x\n", snap->host_open);
	seq_printf(s, "host_no_a2_pc_mask 0x%02x\n", snap->host_no_a2_pc);
	seq_printf(s, "rx_queued %u\n", snap->rx_queued);
	/* counters */
	for (i = 0; i < SIM_ST_MAX; i++)
		seq_printf(s, "%s %llu\n", sim_stat_names[i], snap->st[i]);
	for (j = 0; j < BAM_DMUX_NUM_CH; j++)
		for (i = 0; i < 4; i++)
			seq_printf(s, "ch%d_%s %llu\n", j, ch_names[i],
				   snap->ch[i][j]);
	for (j = 0; j < 2; j++)
		for (i = 0; i < SIM_DMA_COUNTERS; i++)
			seq_printf(s, "dma_%s_%s %llu\n", j == SIM_TX ? "tx" : "rx",
				   dma_names[i], snap->dma[j][i]);
	seq_printf(s, "dma_bam_resets %llu\n", snap->bam_resets);
	/* what a driver must never do, both channels together */
	for (i = violations; i < violations + SIM_DMA_VIOLATIONS; i++)
		seq_printf(s, "dma_%s %llu\n", dma_names[i],
			   snap->dma[SIM_TX][i] + snap->dma[SIM_RX][i]);
	kfree(snap);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sim_stats);

static int sim_channels_get(void *data, u64 *val)
{
	struct sim_modem *sm = data;

	*val = READ_ONCE(sm->channels);
	return 0;
}

static int sim_channels_set(void *data, u64 val)
{
	struct sim_modem *sm = data;
	int ret;

	if (val > 0xff)
		return -EINVAL;
	ret = sim_ndev_sync(sm, val);
	if (ret)
		return ret;
	spin_lock_bh(&sm->lock);
	sm->channels = val;
	spin_unlock_bh(&sm->lock);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(sim_channels_fops, sim_channels_get,
			 sim_channels_set, "0x%02llx\n");

static int sim_idle_get(void *data, u64 *val)
{
	struct sim_modem *sm = data;

	*val = READ_ONCE(sm->idle_ms);
	return 0;
}

static int sim_idle_set(void *data, u64 val)
{
	struct sim_modem *sm = data;

	if (val > 3600000)
		return -EINVAL;
	WRITE_ONCE(sm->idle_ms, val);
	sim_pc_idle_kick(sm);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(sim_idle_fops, sim_idle_get, sim_idle_set,
			 "%llu\n");

/* "engine_cpu": -1, or an online CPU the DMA tasklets are steered to */
static int sim_engine_cpu_get(void *data, u64 *val)
{
	struct sim_modem *sm = data;

	*val = (s64)READ_ONCE(sm->engine_cpu);
	return 0;
}

static int sim_engine_cpu_set(void *data, u64 val)
{
	struct sim_modem *sm = data;
	s64 cpu = (s64)val;

	if (cpu != SIM_ENGINE_CPU_ANY &&
	    (cpu < 0 || cpu >= nr_cpu_ids || !cpu_online(cpu)))
		return -EINVAL;
	WRITE_ONCE(sm->engine_cpu, cpu);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE_SIGNED(sim_engine_cpu_fops, sim_engine_cpu_get,
				sim_engine_cpu_set, "%lld\n");

static int sim_open_set(void *data, u64 val)
{
	return sim_modem_open_close(data, BAM_DMUX_CMD_OPEN, val);
}
DEFINE_DEBUGFS_ATTRIBUTE(sim_open_fops, NULL, sim_open_set, "%llu\n");

static int sim_close_set(void *data, u64 val)
{
	return sim_modem_open_close(data, BAM_DMUX_CMD_CLOSE, val);
}
DEFINE_DEBUGFS_ATTRIBUTE(sim_close_fops, NULL, sim_close_set, "%llu\n");

static int sim_open_no_a2_pc_set(void *data, u64 val)
{
	return sim_modem_open_close(data, BAM_DMUX_CMD_OPEN_NO_A2_PC, val);
}
DEFINE_DEBUGFS_ATTRIBUTE(sim_open_no_a2_pc_fops, NULL, sim_open_no_a2_pc_set,
			 "%llu\n");

static const char * const sim_residue_modes[] = { "none", "exact" };

/* "residue": none (bam_dma: no result, no residue) or exact */
static ssize_t sim_residue_read(struct file *file, char __user *ubuf,
				size_t len, loff_t *ppos)
{
	struct sim_modem *sm = file->private_data;
	char buf[16];
	int n;

	n = scnprintf(buf, sizeof(buf), "%s\n",
		      sim_residue_modes[READ_ONCE(sm->residue_exact)]);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static ssize_t sim_residue_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	struct sim_modem *sm = file->private_data;
	char buf[16];
	int mode;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	mode = sysfs_match_string(sim_residue_modes, buf);
	if (mode < 0)
		return mode;
	WRITE_ONCE(sm->residue_exact, mode);
	return len;
}

static const struct file_operations sim_residue_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = sim_residue_read,
	.write = sim_residue_write,
	.llseek = default_llseek,
};

/* "name [count]" */
static ssize_t sim_inject_write(struct file *file, const char __user *ubuf,
				size_t len, loff_t *ppos)
{
	struct sim_modem *sm = file->private_data;
	char buf[64], name[32];
	u32 count = 1;
	int n, ret;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';

	n = sscanf(buf, "%31s %u", name, &count);
	if (n < 1 || count > 100000)
		return -EINVAL;
	ret = sim_modem_inject(sm, name, count);
	return ret ? ret : len;
}

static const struct file_operations sim_inject_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = sim_inject_write,
	.llseek = noop_llseek,
};

void sim_debugfs_add(struct sim_modem *sm)
{
	struct dentry *d;
	char name[16];

	snprintf(name, sizeof(name), "modem%u", sm->id);
	d = debugfs_create_dir(name, sim_debugfs_root);
	sm->ddir = d;

	debugfs_create_u32("rx_queue_len", 0644, d, &sm->rx_queue_len);
	debugfs_create_u32("rate_rx_kbps", 0644, d, &sm->rate_rx_kbps);
	debugfs_create_u32("rate_tx_kbps", 0644, d, &sm->rate_tx_kbps);
	debugfs_create_u32("latency_us", 0644, d, &sm->latency_us);
	debugfs_create_u32("link_burst_us", 0644, d, &sm->link_burst_us);
	debugfs_create_file_unsafe("engine_cpu", 0644, d, sm,
				   &sim_engine_cpu_fops);
	debugfs_create_u32("wake_delay_us", 0644, d, &sm->wake_delay_us);
	debugfs_create_u32("restart_ms", 0644, d, &sm->restart_ms);
	debugfs_create_file_unsafe("idle_ms", 0644, d, sm, &sim_idle_fops);
	debugfs_create_bool("bam_powered_remotely", 0644, d,
			    &sm->bam_powered_remotely);
	debugfs_create_bool("irq_coalesce", 0644, d, &sm->irq_coalesce);
	debugfs_create_file("residue", 0644, d, sm, &sim_residue_fops);
	debugfs_create_file_unsafe("channels", 0644, d, sm,
				   &sim_channels_fops);
	debugfs_create_file_unsafe("open", 0200, d, sm, &sim_open_fops);
	debugfs_create_file_unsafe("close", 0200, d, sm, &sim_close_fops);
	debugfs_create_file_unsafe("open_no_a2_pc", 0200, d, sm,
				   &sim_open_no_a2_pc_fops);
	debugfs_create_file("inject", 0200, d, sm, &sim_inject_fops);
	debugfs_create_file("stats", 0444, d, sm, &sim_stats_fops);
	sim_fuzz_debugfs_add(sm);
}

void sim_debugfs_remove(struct sim_modem *sm)
{
	debugfs_remove(sm->ddir);
	sm->ddir = NULL;
}

int sim_debugfs_init(void)
{
	sim_debugfs_root = debugfs_create_dir(SIM_DRV_NAME, NULL);
	return 0;
}

void sim_debugfs_exit(void)
{
	debugfs_remove(sim_debugfs_root);
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * bam_dmux_sim: a seeded frame fuzzer, the modem sending the host frames
 * with random headers and payloads.
 *
 * Writing "SEED COUNT" to debugfs modem<N>/fuzz queues COUNT frames for
 * the host, drawn from a PRNG seeded with SEED (prandom_u32_state): the
 * same seed gives the same frames, byte for byte, so a failure found by a
 * run is reproduced from the seed it printed. Each frame is built one of
 * two ways:
 *
 *  - raw: 1..2048 random bytes, a valid magic only by chance;
 *  - mutated: a header that is mostly valid with each field mutated on
 *    its own (magic, command, channel, length at and around its limits,
 *    padding), a payload of random bytes whose first nibble picks IPv4,
 *    IPv6 or something else, and a transfer that is the frame's length,
 *    or shorter or longer than it.
 *
 * The three valid commands that change the link (OPEN, CLOSE,
 * OPEN_NO_A2_PC) are never sent: a CLOSE would detach the interface the
 * test checks traffic on, and every frame must end in a counter of the
 * driver (delivered, or one drop reason) for the test's ledger to add up.
 * Frames are queued as fault frames (rx_injected) on a channel both sides
 * opened; the writer waits while the modem's queue is half full, so that
 * no frame is dropped for lack of room while the host is slow.
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/prandom.h>
#include <linux/skbuff.h>
#include <linux/uaccess.h>

#include "sim.h"

#define SIM_FUZZ_MAX_COUNT	1000000
/* how long the writer waits for room in the modem's queue, per frame */
#define SIM_FUZZ_QUEUE_WAIT_MS	2000
#define SIM_FUZZ_QUEUE_POLL_US	200

/* one in SIM_FUZZ_RAW_ONE_IN frames is raw bytes, the rest mutated */
#define SIM_FUZZ_RAW_ONE_IN	8

/* lengths at and around the limits the driver checks */
static const u16 sim_fuzz_edge_lens[] = {
	0, 1, 2, 3, 4, 19, 20, 39, 40,
	BAM_DMUX_MAX_DATA_SIZE - 4, BAM_DMUX_MAX_DATA_SIZE - 1,
	BAM_DMUX_MAX_DATA_SIZE, BAM_DMUX_MAX_DATA_SIZE + 1,
	BAM_DMUX_BUFFER_SIZE, 0x7fff, 0xffff,
};

/* first payload bytes: IPv4, IPv6, QMAP-like, anything */
static const u8 sim_fuzz_first_bytes[] = { 0x45, 0x4f, 0x60, 0x00, 0x80, 0xff };

static u32 sim_fuzz_below(struct rnd_state *rs, u32 n)
{
	return prandom_u32_state(rs) % n;
}

/* true one time in @n */
static bool sim_fuzz_one_in(struct rnd_state *rs, u32 n)
{
	return sim_fuzz_below(rs, n) == 0;
}

static void sim_fuzz_fill(struct rnd_state *rs, u8 *p, unsigned int len)
{
	prandom_bytes_state(rs, p, len);
}

static u16 sim_fuzz_payload_len(struct rnd_state *rs)
{
	switch (sim_fuzz_below(rs, 4)) {
	case 0:
		return sim_fuzz_edge_lens[sim_fuzz_below(rs,
						ARRAY_SIZE(sim_fuzz_edge_lens))];
	case 1:
		return prandom_u32_state(rs);	/* any 16-bit value */
	default:
		return sim_fuzz_below(rs, BAM_DMUX_MAX_DATA_SIZE + 1);
	}
}

static u8 sim_fuzz_cmd(struct rnd_state *rs)
{
	u8 cmd;

	if (!sim_fuzz_one_in(rs, 4))
		return BAM_DMUX_CMD_DATA;
	cmd = prandom_u32_state(rs);
	/* see the top of the file: no valid command but DATA */
	return bam_dmux_cmd_valid(cmd) ? BAM_DMUX_CMD_DATA : cmd;
}

/* A header that is mostly valid, then the payload and a transfer length */
static struct sk_buff *sim_fuzz_mutated(struct rnd_state *rs)
{
	struct bam_dmux_hdr hdr;
	unsigned int frame_len, xfer;
	struct sk_buff *skb;
	u8 *payload;
	u16 len;

	len = sim_fuzz_payload_len(rs);
	bam_dmux_hdr_encode(&hdr, sim_fuzz_cmd(rs),
			    sim_fuzz_below(rs, BAM_DMUX_NUM_CH), len);
	if (sim_fuzz_one_in(rs, 8))
		hdr.magic = bam_dmux_cpu_to_le16(prandom_u32_state(rs));
	if (sim_fuzz_one_in(rs, 8))
		hdr.ch = prandom_u32_state(rs);
	if (sim_fuzz_one_in(rs, 8))
		hdr.pad = prandom_u32_state(rs);
	hdr.signal = prandom_u32_state(rs);

	frame_len = BAM_DMUX_HDR_SIZE + len + hdr.pad;
	switch (sim_fuzz_below(rs, 8)) {
	case 0:		/* cut anywhere, the header too */
		xfer = 1 + sim_fuzz_below(rs, frame_len);
		break;
	case 1:		/* trailing bytes after the frame */
		xfer = frame_len + 1 + sim_fuzz_below(rs, 64);
		break;
	default:
		xfer = frame_len;
		break;
	}
	xfer = min_t(unsigned int, xfer, BAM_DMUX_BUFFER_SIZE);

	skb = alloc_skb(xfer, GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_put_data(skb, &hdr, min_t(unsigned int, xfer, sizeof(hdr)));
	if (xfer > sizeof(hdr)) {
		payload = skb_put(skb, xfer - sizeof(hdr));
		sim_fuzz_fill(rs, payload, xfer - sizeof(hdr));
		payload[0] = sim_fuzz_first_bytes[sim_fuzz_below(rs,
					ARRAY_SIZE(sim_fuzz_first_bytes))];
	}
	return skb;
}

static struct sk_buff *sim_fuzz_raw(struct rnd_state *rs)
{
	unsigned int len = 1 + sim_fuzz_below(rs, BAM_DMUX_BUFFER_SIZE);
	struct sk_buff *skb;

	skb = alloc_skb(len, GFP_KERNEL);
	if (skb)
		sim_fuzz_fill(rs, skb_put(skb, len), len);
	return skb;
}

/* Wait until the modem's queue has room for one frame more than half. */
static int sim_fuzz_wait_room(struct sim_modem *sm)
{
	unsigned long deadline = jiffies +
				 msecs_to_jiffies(SIM_FUZZ_QUEUE_WAIT_MS);

	while (skb_queue_len_lockless(&sm->rxq) >=
	       max(READ_ONCE(sm->rx_queue_len) / 2, 1U)) {
		if (time_after(jiffies, deadline))
			return -ETIMEDOUT;
		if (signal_pending(current))
			return -EINTR;
		usleep_range(SIM_FUZZ_QUEUE_POLL_US,
			     2 * SIM_FUZZ_QUEUE_POLL_US);
	}
	return 0;
}

static int sim_fuzz_run(struct sim_modem *sm, u64 seed, u32 count)
{
	struct rnd_state rs;
	struct sk_buff *skb;
	u8 open;
	u32 i;
	int ret;

	spin_lock_bh(&sm->lock);
	open = sm->host_open & sm->modem_open;
	spin_unlock_bh(&sm->lock);
	if (!open)
		return -ENOTCONN;	/* nothing would reach the host */

	prandom_seed_state(&rs, seed);
	for (i = 0; i < count; i++) {
		ret = sim_fuzz_wait_room(sm);
		if (ret)
			return ret;
		if (sim_fuzz_one_in(&rs, SIM_FUZZ_RAW_ONE_IN))
			skb = sim_fuzz_raw(&rs);
		else
			skb = sim_fuzz_mutated(&rs);
		if (!skb)
			return -ENOMEM;
		memset(skb->cb, 0, sizeof(struct sim_frame_cb));
		sim_frame_cb(skb)->kind = SIM_FRAME_INJECT;
		sim_frame_cb(skb)->ch = __ffs(open);
		ret = sim_modem_rx_enqueue(sm, skb);
		if (ret)
			return ret;
		cond_resched();
	}
	return 0;
}

static ssize_t sim_fuzz_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	struct sim_modem *sm = file->private_data;
	char buf[48];
	u64 seed;
	u32 count;
	int ret;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (sscanf(buf, "%llu %u", &seed, &count) != 2 ||
	    count > SIM_FUZZ_MAX_COUNT)
		return -EINVAL;

	ret = sim_fuzz_run(sm, seed, count);
	return ret ? ret : len;
}

static const struct file_operations sim_fuzz_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = sim_fuzz_write,
	.llseek = no_llseek,
};

void sim_fuzz_debugfs_add(struct sim_modem *sm)
{
	debugfs_create_file("fuzz", 0200, sm->ddir, sm, &sim_fuzz_fops);
}

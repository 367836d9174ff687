// SPDX-License-Identifier: GPL-2.0-only
/*
 * bam_dmux_sim: the modem's side of the DMUX protocol.
 *
 * RX (modem to host): every frame the modem wants to send, DATA from a
 * bdsim interface, OPEN/CLOSE from the modem, or a fault frame from the
 * inject knob, waits in a bounded queue (rx_queue_len) until the host has
 * posted a buffer on the "rx" DMA channel; one frame per buffer. The link
 * model stamps each frame with its arrival time when it is queued. DATA
 * waits as the IP packet the bdsim interface was given, and is framed
 * (header, checksum offload, pad) as it is written into the host's buffer.
 *
 * TX (host to modem): each "tx" descriptor is one frame. The modem
 * validates it with the shared wire-format helper, counts what is wrong,
 * tracks the host's OPEN/CLOSE and hands DATA to the channel's bdsim
 * interface.
 *
 * DATA is carried only on channels both sides opened: the modem drops
 * (and counts) what it would send on a channel the host has not opened,
 * and what the host sends on a channel it never opened.
 */
#include <linux/dma-direct.h>
#include <linux/random.h>
#include <net/checksum.h>
#include <linux/slab.h>

#include "sim.h"

/*
 * The "hardware" reaches memory only through the DMA address it was
 * given. On x86 the simulator's device uses dma-direct: translate it back
 * to a physical address, refuse anything that is not RAM.
 */
void *sim_dma_virt(struct sim_modem *sm, dma_addr_t addr, u32 len)
{
	struct device *dev = &sm->simdev->dev;
	phys_addr_t phys = dma_to_phys(dev, addr);

	if (!len || !pfn_valid(PHYS_PFN(phys)) ||
	    !pfn_valid(PHYS_PFN(phys + len - 1)))
		return NULL;
	return phys_to_virt(phys);
}

static void sim_chan_count(struct sim_chan *sc, u64 *counter)
{
	unsigned long flags;

	spin_lock_irqsave(&sc->lock, flags);
	(*counter)++;
	spin_unlock_irqrestore(&sc->lock, flags);
}

/* A well-formed frame: header, @len bytes of @payload (or zeros), pad. */
struct sk_buff *sim_modem_frame_alloc(u8 cmd, u8 ch, const void *payload,
				      unsigned int len, gfp_t gfp)
{
	unsigned int flen = bam_dmux_frame_len(len);
	struct bam_dmux_hdr *hdr;
	struct sk_buff *skb;

	skb = alloc_skb(flen, gfp);
	if (!skb)
		return NULL;
	hdr = skb_put(skb, BAM_DMUX_HDR_SIZE);
	bam_dmux_hdr_encode(hdr, cmd, ch, len);
	if (payload)
		skb_put_data(skb, payload, len);
	else
		skb_put_zero(skb, len);
	skb_put_zero(skb, flen - BAM_DMUX_HDR_SIZE - len);

	memset(skb->cb, 0, sizeof(struct sim_frame_cb));
	sim_frame_cb(skb)->kind = cmd == BAM_DMUX_CMD_DATA ? SIM_FRAME_DATA :
							     SIM_FRAME_CTRL;
	sim_frame_cb(skb)->ch = ch;
	sim_frame_cb(skb)->len = len;
	return skb;
}

/* Bytes @skb takes on the wire: with header and pad if not framed yet */
static unsigned int sim_frame_wire_len(struct sk_buff *skb)
{
	return sim_frame_cb(skb)->unframed ? bam_dmux_frame_len(skb->len) :
					     skb->len;
}

/* Queue @skb for the host, or drop it and count why. Under sm->lock. */
static int sim_rx_queue_locked(struct sim_modem *sm, struct sk_buff *skb)
{
	struct sim_frame_cb *cb = sim_frame_cb(skb);
	unsigned int qlen;

	if (sm->dying) {
		kfree_skb(skb);
		return -ENODEV;
	}
	if (sm->crashed) {
		sim_inc(sm, SIM_ST_RX_DROP_CRASH);
		kfree_skb(skb);
		return -EIO;
	}
	if (skb_queue_len(&sm->rxq) >= sm->rx_queue_len) {
		sim_inc(sm, SIM_ST_RX_DROP_QUEUE_FULL);
		kfree_skb(skb);
		return -ENOBUFS;
	}

	cb->ready = sim_link_ready(&sm->chan[SIM_RX].link_free,
				   sim_frame_wire_len(skb), sm->rate_rx_kbps,
				   sm->latency_us);
	__skb_queue_tail(&sm->rxq, skb);
	qlen = skb_queue_len(&sm->rxq);
	if (qlen > sm->st[SIM_ST_RX_QUEUE_MAX])
		sm->st[SIM_ST_RX_QUEUE_MAX] = qlen;
	sm->last_activity = jiffies;

	if (!sm->pc_line)
		sim_pc_wake_locked(sm);	/* modem-initiated wake-up */
	else
		sim_dma_kick(sm, SIM_RX);
	return 0;
}

/* DATA from a bdsim interface (any context with BH allowed) */
int sim_modem_rx_enqueue(struct sim_modem *sm, struct sk_buff *frame)
{
	u8 bit = BIT(sim_frame_cb(frame)->ch);
	int ret;

	spin_lock_bh(&sm->lock);
	if (!(sm->host_open & bit)) {
		sim_inc(sm, SIM_ST_RX_DROP_UNOPENED);
		kfree_skb(frame);
		ret = -ENOTCONN;
	} else if (!(sm->modem_open & bit)) {
		sim_inc(sm, SIM_ST_RX_DROP_CLOSED);
		kfree_skb(frame);
		ret = -ENOTCONN;
	} else {
		ret = sim_rx_queue_locked(sm, frame);
	}
	spin_unlock_bh(&sm->lock);
	return ret;
}

void sim_modem_send_ctrl_locked(struct sim_modem *sm, u8 cmd, u8 ch)
{
	struct sk_buff *skb;

	skb = sim_modem_frame_alloc(cmd, ch, NULL, 0, GFP_ATOMIC);
	if (!skb) {
		sim_inc(sm, SIM_ST_RX_DROP_NOMEM);
		return;
	}
	if (cmd == BAM_DMUX_CMD_CLOSE) {
		sm->modem_open &= ~BIT(ch);
		sim_inc(sm, SIM_ST_MODEM_CLOSE);
	} else {
		sm->modem_open |= BIT(ch);
		sim_inc(sm, SIM_ST_MODEM_OPEN);
	}
	sim_rx_queue_locked(sm, skb);
}

/* The modem (re)started talking to a host: OPEN every channel it has */
void sim_modem_announce_locked(struct sim_modem *sm)
{
	unsigned int ch;

	sm->need_announce = false;
	for (ch = 0; ch < BAM_DMUX_NUM_CH; ch++)
		if (sm->channels & BIT(ch))
			sim_modem_send_ctrl_locked(sm, BAM_DMUX_CMD_OPEN, ch);
}

void sim_modem_flush_rxq_locked(struct sim_modem *sm, enum sim_stat why)
{
	sm->st[why] += skb_queue_len(&sm->rxq);
	__skb_queue_purge(&sm->rxq);
}

int sim_modem_open_close(struct sim_modem *sm, u8 cmd, unsigned int ch)
{
	int ret = 0;

	if (ch >= BAM_DMUX_NUM_CH)
		return -EINVAL;
	spin_lock_bh(&sm->lock);
	if (sm->crashed)
		ret = -EIO;
	else
		sim_modem_send_ctrl_locked(sm, cmd, ch);
	spin_unlock_bh(&sm->lock);
	return ret;
}

/*
 * A host-to-modem transfer completed: parse and act on the frame in
 * @d's buffers. Runs in the "tx" channel's tasklet.
 */
void sim_modem_tx_frame(struct sim_modem *sm, struct sim_desc *d,
			struct list_head *batch)
{
	struct sim_chan *sc = &sm->chan[SIM_TX];
	const struct bam_dmux_hdr *hdr;
	enum bam_dmux_frame_err err;
	unsigned int plen, i, off;
	void *bounce = NULL;
	bool deliver = false;
	const u8 *buf, *p;
	u8 bit;

	d->residue = 0;
	if (d->nents == 1) {
		buf = sim_dma_virt(sm, d->sg[0].addr, d->len);
	} else {
		bounce = kmalloc(d->len, GFP_ATOMIC);
		buf = bounce;
		for (i = 0, off = 0; buf && i < d->nents; i++) {
			p = sim_dma_virt(sm, d->sg[i].addr, d->sg[i].len);
			if (!p) {
				buf = NULL;
				break;
			}
			memcpy(bounce + off, p, d->sg[i].len);
			off += d->sg[i].len;
		}
	}
	if (!buf) {
		if (bounce || d->nents == 1)
			sim_chan_count(sc, &sc->bad_addr);
		d->result = DMA_TRANS_READ_FAILED;
		d->residue = d->len;
		goto out;
	}

	hdr = (const struct bam_dmux_hdr *)buf;
	err = bam_dmux_hdr_validate(hdr, d->len);

	spin_lock(&sm->lock);
	sim_inc(sm, SIM_ST_TX_FRAMES);
	switch (err) {
	case BAM_DMUX_FRAME_OK:
		break;
	case BAM_DMUX_FRAME_BAD_MAGIC:
		sim_inc(sm, SIM_ST_TX_BAD_MAGIC);
		goto unlock;
	case BAM_DMUX_FRAME_BAD_CMD:
		sim_inc(sm, SIM_ST_TX_BAD_CMD);
		goto unlock;
	case BAM_DMUX_FRAME_BAD_CHANNEL:
		sim_inc(sm, SIM_ST_TX_BAD_CHANNEL);
		goto unlock;
	case BAM_DMUX_FRAME_OVERSIZE:
		sim_inc(sm, SIM_ST_TX_OVERSIZE);
		goto unlock;
	case BAM_DMUX_FRAME_SHORT:
		sim_inc(sm, SIM_ST_TX_SHORT);
		goto unlock;
	default:
		sim_inc(sm, SIM_ST_TX_BAD_PAD);
		goto unlock;
	}

	plen = bam_dmux_le16_to_cpu(hdr->len);
	/* accepted, but a faithful modem notes what a careful host avoids */
	if (hdr->pad != bam_dmux_pad_len(plen))
		sim_inc(sm, SIM_ST_TX_PAD_NOT_MINIMAL);
	p = buf + BAM_DMUX_HDR_SIZE + plen;
	for (i = 0; i < hdr->pad; i++) {
		if (p[i]) {
			sim_inc(sm, SIM_ST_TX_PAD_NONZERO);
			break;
		}
	}
	if (d->len > BAM_DMUX_HDR_SIZE + plen + hdr->pad)
		sim_inc(sm, SIM_ST_TX_TRAILING);

	bit = BIT(hdr->ch);
	switch (hdr->cmd) {
	case BAM_DMUX_CMD_OPEN_NO_A2_PC:
		sim_inc(sm, SIM_ST_HOST_OPEN_NO_A2_PC);
		sm->host_no_a2_pc |= bit;
		fallthrough;
	case BAM_DMUX_CMD_OPEN:
		sim_inc(sm, SIM_ST_HOST_OPEN);
		sm->host_open |= bit;
		break;
	case BAM_DMUX_CMD_CLOSE:
		sim_inc(sm, SIM_ST_HOST_CLOSE);
		sm->host_open &= ~bit;
		sm->host_no_a2_pc &= ~bit;
		break;
	default: /* DATA */
		if (!(sm->host_open & bit))
			sim_inc(sm, SIM_ST_TX_UNOPENED);
		else if (!(sm->modem_open & bit))
			sim_inc(sm, SIM_ST_TX_CLOSED);
		else
			deliver = true;
		break;
	}
unlock:
	spin_unlock(&sm->lock);

	if (deliver)
		sim_ndev_deliver(sm, hdr->ch, buf + BAM_DMUX_HDR_SIZE, plen,
				 batch);
out:
	kfree(bounce);
}

/*
 * Write the frame @skb stands for, @flen bytes, to @dst. A DATA frame
 * still unframed gets its header, then its payload with the checksum its
 * sender left to the "hardware" (CHECKSUM_PARTIAL, as skb_checksum_help
 * would fill it in) computed while copying, then its pad: every byte is
 * written once.
 */
static void sim_frame_write(struct sk_buff *skb, u8 *dst, unsigned int flen)
{
	struct sim_frame_cb *cb = sim_frame_cb(skb);
	unsigned int start;
	__wsum csum;

	if (!cb->unframed) {
		skb_copy_bits(skb, 0, dst, skb->len);
		return;
	}
	bam_dmux_hdr_encode((struct bam_dmux_hdr *)dst, BAM_DMUX_CMD_DATA,
			    cb->ch, skb->len);
	dst += BAM_DMUX_HDR_SIZE;
	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		start = skb_checksum_start_offset(skb);
		skb_copy_bits(skb, 0, dst, start);
		csum = skb_copy_and_csum_bits(skb, start, dst + start,
					      skb->len - start);
		*(__sum16 *)(dst + start + skb->csum_offset) =
			csum_fold(csum) ?: CSUM_MANGLED_0;
	} else {
		skb_copy_bits(skb, 0, dst, skb->len);
	}
	memset(dst + skb->len, 0, flen - BAM_DMUX_HDR_SIZE - skb->len);
}

/*
 * Copy @flen bytes of frame into @d's buffers, through a bounce buffer
 * when they are scattered or too short (the frame is then truncated).
 * Returns the bytes written, or -errno.
 */
static int sim_frame_scatter(struct sim_modem *sm, struct sim_desc *d,
			     struct sk_buff *skb, unsigned int flen)
{
	unsigned int copy = min_t(unsigned int, flen, d->len);
	unsigned int i, off = 0, n;
	u8 *bounce, *p;

	if (d->nents == 1 && flen <= d->len) {
		p = sim_dma_virt(sm, d->sg[0].addr, flen);
		if (!p)
			return -EFAULT;
		sim_frame_write(skb, p, flen);
		return flen;
	}
	bounce = kmalloc(flen, GFP_ATOMIC);
	if (!bounce)
		return -ENOMEM;
	sim_frame_write(skb, bounce, flen);
	for (i = 0; i < d->nents && off < copy; i++) {
		n = min_t(unsigned int, d->sg[i].len, copy - off);
		p = sim_dma_virt(sm, d->sg[i].addr, n);
		if (!p) {
			kfree(bounce);
			return -EFAULT;
		}
		memcpy(p, bounce + off, n);
		off += n;
	}
	kfree(bounce);
	return off;
}

/*
 * A modem-to-host transfer: write @skb into @d's buffers. Runs in the
 * "rx" channel's tasklet; consumes @skb.
 */
void sim_modem_rx_frame(struct sim_modem *sm, struct sim_desc *d,
			struct sk_buff *skb)
{
	struct sim_chan *sc = &sm->chan[SIM_RX];
	struct sim_frame_cb *cb = sim_frame_cb(skb);
	unsigned int flen = sim_frame_wire_len(skb);
	int written;

	written = sim_frame_scatter(sm, d, skb, flen);
	if (written < 0) {
		if (written == -EFAULT) {
			sim_chan_count(sc, &sc->bad_addr);
		} else {
			spin_lock(&sm->lock);
			sim_inc(sm, SIM_ST_RX_DROP_NOMEM);
			spin_unlock(&sm->lock);
		}
		d->result = DMA_TRANS_WRITE_FAILED;
		d->residue = d->len;
		kfree_skb(skb);
		return;
	}
	d->residue = d->len - written;
	if (flen > d->len)
		sim_chan_count(sc, &sc->truncated);

	spin_lock(&sm->lock);
	sim_inc(sm, SIM_ST_RX_FRAMES);
	switch (cb->kind) {
	case SIM_FRAME_CTRL:
		sim_inc(sm, SIM_ST_RX_CTRL);
		break;
	case SIM_FRAME_INJECT:
		sim_inc(sm, SIM_ST_RX_INJECTED);
		break;
	default:
		sm->ch_rx_frames[cb->ch]++;
		sm->ch_rx_bytes[cb->ch] += cb->len;
		break;
	}
	spin_unlock(&sm->lock);
	consume_skb(skb);
}

/* Fault frames */
enum sim_inj {
	SIM_INJ_BAD_MAGIC,
	SIM_INJ_BAD_CMD,
	SIM_INJ_BAD_CHANNEL,
	SIM_INJ_OVERSIZE,
	SIM_INJ_SHORT,
	SIM_INJ_BAD_PAD,
	SIM_INJ_UNOPENED,
	SIM_INJ_GARBAGE,
	SIM_INJ_DMA_ERROR,
	SIM_INJ_DMA_ERROR_RX,
	SIM_INJ_DMA_ERROR_TX,
	SIM_INJ_NO_ACK,
	SIM_INJ_CRASH,
	SIM_INJ_PREP_FAIL_RX,
	SIM_INJ_PREP_FAIL_TX,
};

static const struct {
	const char *name;
	enum sim_stat stat;
} sim_inj_table[] = {
	[SIM_INJ_BAD_MAGIC]	= { "bad_magic", SIM_ST_INJ_BAD_MAGIC },
	[SIM_INJ_BAD_CMD]	= { "bad_cmd", SIM_ST_INJ_BAD_CMD },
	[SIM_INJ_BAD_CHANNEL]	= { "bad_channel", SIM_ST_INJ_BAD_CHANNEL },
	[SIM_INJ_OVERSIZE]	= { "oversize", SIM_ST_INJ_OVERSIZE },
	[SIM_INJ_SHORT]		= { "short", SIM_ST_INJ_SHORT },
	[SIM_INJ_BAD_PAD]	= { "bad_pad", SIM_ST_INJ_BAD_PAD },
	[SIM_INJ_UNOPENED]	= { "unopened", SIM_ST_INJ_UNOPENED },
	[SIM_INJ_GARBAGE]	= { "garbage", SIM_ST_INJ_GARBAGE },
	[SIM_INJ_DMA_ERROR]	= { "dma_error", SIM_ST_INJ_DMA_ERROR },
	[SIM_INJ_DMA_ERROR_RX]	= { "dma_error_rx", SIM_ST_INJ_DMA_ERROR },
	[SIM_INJ_DMA_ERROR_TX]	= { "dma_error_tx", SIM_ST_INJ_DMA_ERROR },
	[SIM_INJ_NO_ACK]	= { "no_ack", SIM_ST_INJ_NO_ACK },
	[SIM_INJ_CRASH]		= { "crash", SIM_ST_INJ_CRASH },
	[SIM_INJ_PREP_FAIL_RX]	= { "prep_fail_rx", SIM_ST_INJ_PREP_FAIL },
	[SIM_INJ_PREP_FAIL_TX]	= { "prep_fail_tx", SIM_ST_INJ_PREP_FAIL },
};

/* A minimal IPv4 header (20 bytes, protocol 253: experimental) */
static const u8 sim_ipv4_probe[20] = {
	0x45, 0x00, 0x00, 0x14, 0x00, 0x00, 0x40, 0x00,
	0x40, 0xfd, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x01,
	0x0a, 0x00, 0x00, 0x02,
};

static struct sk_buff *sim_inject_build(enum sim_inj type, u8 ch)
{
	struct bam_dmux_hdr *hdr;
	struct sk_buff *skb;
	unsigned int len;

	if (type == SIM_INJ_GARBAGE) {
		len = 1 + get_random_u32_below(BAM_DMUX_BUFFER_SIZE);
		skb = alloc_skb(len, GFP_KERNEL);
		if (!skb)
			return NULL;
		get_random_bytes(skb_put(skb, len), len);
		/*
		 * Random, but never by chance a valid frame, whatever the host
		 * can tell of its length (bam_dma tells none): never the magic.
		 */
		if (len >= 2 && skb->data[0] == (BAM_DMUX_MAGIC & 0xff) &&
		    skb->data[1] == BAM_DMUX_MAGIC >> 8)
			skb->data[0] ^= 0xff;
		memset(skb->cb, 0, sizeof(struct sim_frame_cb));
		goto out;
	}

	skb = sim_modem_frame_alloc(BAM_DMUX_CMD_DATA, ch, sim_ipv4_probe,
				    sizeof(sim_ipv4_probe), GFP_KERNEL);
	if (!skb)
		return NULL;
	hdr = (struct bam_dmux_hdr *)skb->data;
	switch (type) {
	case SIM_INJ_BAD_MAGIC:
		hdr->magic = bam_dmux_cpu_to_le16(0xdead);
		break;
	case SIM_INJ_BAD_CMD:
		hdr->cmd = 3;	/* downstream's STATUS: not ours */
		break;
	case SIM_INJ_BAD_CHANNEL:
		hdr->ch = BAM_DMUX_NUM_CH;
		break;
	case SIM_INJ_OVERSIZE:
		hdr->len = bam_dmux_cpu_to_le16(BAM_DMUX_MAX_DATA_SIZE + 1);
		break;
	case SIM_INJ_SHORT:
		/* claims 100 bytes, 20 are transferred */
		hdr->len = bam_dmux_cpu_to_le16(100);
		break;
	case SIM_INJ_BAD_PAD:
		/* 20 bytes fit, 4 bytes follow, the header claims 8 of pad */
		skb_put_zero(skb, 4);
		hdr->pad = 8;
		break;
	default:	/* SIM_INJ_UNOPENED: a valid frame, wrong channel */
		break;
	}
out:
	sim_frame_cb(skb)->kind = SIM_FRAME_INJECT;
	return skb;
}

/* The inject knob: @name as listed in sim_inj_table, @count times */
int sim_modem_inject(struct sim_modem *sm, const char *name, u32 count)
{
	enum sim_inj type;
	struct sk_buff *skb;
	u8 ch = 0;
	u32 i;

	for (type = 0; type < ARRAY_SIZE(sim_inj_table); type++)
		if (!strcmp(name, sim_inj_table[type].name))
			break;
	if (type == ARRAY_SIZE(sim_inj_table))
		return -EINVAL;

	switch (type) {
	case SIM_INJ_PREP_FAIL_RX:
	case SIM_INJ_PREP_FAIL_TX:
		atomic_add(count, &sm->chan[type == SIM_INJ_PREP_FAIL_RX ?
					   SIM_RX : SIM_TX].inj_prep_fail);
		spin_lock_bh(&sm->lock);
		sm->st[SIM_ST_INJ_PREP_FAIL] += count;
		spin_unlock_bh(&sm->lock);
		return 0;
	case SIM_INJ_CRASH:
		spin_lock_bh(&sm->lock);
		sim_inc(sm, SIM_ST_INJ_CRASH);
		spin_unlock_bh(&sm->lock);
		sim_pc_crash(sm);
		return 0;
	case SIM_INJ_NO_ACK:
		spin_lock_bh(&sm->lock);
		sm->inj_no_ack += count;
		sm->st[SIM_ST_INJ_NO_ACK] += count;
		spin_unlock_bh(&sm->lock);
		return 0;
	case SIM_INJ_DMA_ERROR:
	case SIM_INJ_DMA_ERROR_RX:
	case SIM_INJ_DMA_ERROR_TX:
		spin_lock_bh(&sm->lock);
		if (type == SIM_INJ_DMA_ERROR)
			sm->inj_dma_error_any += count;
		else if (type == SIM_INJ_DMA_ERROR_RX)
			sm->inj_dma_error_rx += count;
		else
			sm->inj_dma_error_tx += count;
		sm->st[SIM_ST_INJ_DMA_ERROR] += count;
		spin_unlock_bh(&sm->lock);
		return 0;
	case SIM_INJ_UNOPENED:
		spin_lock_bh(&sm->lock);
		ch = ffz(sm->host_open);
		spin_unlock_bh(&sm->lock);
		if (ch >= BAM_DMUX_NUM_CH)
			return -EBUSY;	/* the host opened every channel */
		break;
	default:
		break;
	}

	for (i = 0; i < count; i++) {
		skb = sim_inject_build(type, ch);
		spin_lock_bh(&sm->lock);
		sim_inc(sm, sim_inj_table[type].stat);
		if (skb)
			sim_rx_queue_locked(sm, skb);
		else
			sim_inc(sm, SIM_ST_RX_DROP_NOMEM);
		spin_unlock_bh(&sm->lock);
	}
	return 0;
}

void sim_modem_init(struct sim_modem *sm)
{
	skb_queue_head_init(&sm->rxq);
	sm->rx_queue_len = SIM_DEF_RX_QUEUE_LEN;
	sm->wake_delay_us = SIM_DEF_WAKE_DELAY_US;
	sm->restart_ms = SIM_DEF_RESTART_MS;
	sm->idle_ms = SIM_DEF_IDLE_MS;
	sm->bam_powered_remotely = true;
	sm->irq_coalesce = true;
	sm->link_burst_us = SIM_DEF_LINK_BURST_US;
	sm->engine_cpu = SIM_ENGINE_CPU_ANY;
	sm->last_activity = jiffies;
}

void sim_modem_cleanup(struct sim_modem *sm)
{
	spin_lock_bh(&sm->lock);
	__skb_queue_purge(&sm->rxq);
	spin_unlock_bh(&sm->lock);
}

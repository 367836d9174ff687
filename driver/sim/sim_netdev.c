// SPDX-License-Identifier: GPL-2.0-only
/*
 * bam_dmux_sim: the modem-side network interfaces.
 *
 * One interface per channel in the "channels" knob: bdsim<ch> for modem 0,
 * bdsim<M>-<ch> for modem M >= 1; dev_port = channel. Raw IP like the
 * driver's wwan interfaces (ARPHRD_RAWIP, point-to-point, no ARP), and
 * movable to another network namespace, so that a user can run iperf3 -s
 * on the modem side.
 *
 * Transmit on bdsim<ch> is the modem sending to the host on channel ch:
 * the packet becomes a DATA frame in the modem's RX queue. DATA the host
 * sends on channel ch is received on bdsim<ch>, as IPv4 or IPv6 by its
 * first nibble (ETH_P_MAP otherwise, as the driver does).
 *
 * bdsim offers scatter-gather, checksum offload and TSO, so that the
 * modem-side sender neither copies, checksums nor segments in software
 * for it: the modem segments a GSO packet here, into one DATA frame per
 * IP packet of at most the MTU, as the network would have carried it, and
 * the engine fills in a left-out checksum while it writes the frame into
 * the host's buffer (the host's wwan interface offloads nothing). The
 * queued packet itself is the frame: no copy is made until the "DMA".
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <net/dst.h>

#include "sim.h"

/*
 * bdsim counts its own drops: the core's counters (dev_core_stats_*) are
 * allocated on a device's first drop with GFP_ATOMIC and silently lose
 * every increment until that allocation succeeds, and the tests compare
 * these counts with the modem's exactly.
 */
struct sim_ndev_priv {
	struct sim_modem *sm;
	atomic_long_t tx_dropped;
	atomic_long_t rx_dropped;
	u8 ch;
};

/* What bdsim offers the stack, and what its segments may still lack */
#define SIM_NDEV_OFFLOADS	(NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_HIGHDMA | \
				 NETIF_F_GSO_SOFTWARE)
#define SIM_NDEV_SEG_FEATURES	(NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_HIGHDMA)

static void sim_ndev_count_drop(struct net_device *dev, enum sim_stat why)
{
	struct sim_ndev_priv *priv = netdev_priv(dev);

	spin_lock_bh(&priv->sm->lock);
	sim_inc(priv->sm, why);
	spin_unlock_bh(&priv->sm->lock);
	atomic_long_inc(&priv->tx_dropped);
}

/* One IP packet of at most the MTU becomes one DATA frame: queue it */
static void sim_ndev_frame(struct net_device *dev, struct sk_buff *skb)
{
	struct sim_ndev_priv *priv = netdev_priv(dev);
	unsigned int len = skb->len;
	struct sim_frame_cb *cb;

	if (len > BAM_DMUX_MAX_DATA_SIZE) {
		sim_ndev_count_drop(dev, SIM_ST_RX_DROP_OVERSIZE);
		kfree_skb(skb);
		return;
	}
	/*
	 * The packet has left the sender, as if copied to the modem: the
	 * modem's queue, not the socket's send buffer, holds it from now on.
	 */
	skb_orphan(skb);
	skb_dst_drop(skb);
	cb = sim_frame_cb(skb);
	memset(cb, 0, sizeof(*cb));
	cb->kind = SIM_FRAME_DATA;
	cb->ch = priv->ch;
	cb->len = len;
	cb->unframed = true;
	if (sim_modem_rx_enqueue(priv->sm, skb)) {
		atomic_long_inc(&priv->tx_dropped);
		return;
	}
	dev_sw_netstats_tx_add(dev, 1, len);
}

static netdev_tx_t sim_ndev_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct sk_buff *segs, *seg, *next;

	if (!skb_is_gso(skb)) {
		sim_ndev_frame(dev, skb);
		return NETDEV_TX_OK;
	}
	/* segments keep their fragments and leave the checksum to the DMA */
	segs = skb_gso_segment(skb, SIM_NDEV_SEG_FEATURES);
	if (IS_ERR_OR_NULL(segs)) {
		sim_ndev_count_drop(dev, SIM_ST_RX_DROP_NOMEM);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		sim_ndev_frame(dev, seg);
	}
	return NETDEV_TX_OK;
}

/* Count a DATA frame from the host that bdsim (@dev, if any) never got */
static void sim_ndev_count_rx_drop(struct sim_modem *sm, struct net_device *dev,
				   enum sim_stat why)
{
	if (dev) {
		struct sim_ndev_priv *priv = netdev_priv(dev);

		atomic_long_inc(&priv->rx_dropped);
	}
	spin_lock(&sm->lock);
	sim_inc(sm, why);
	spin_unlock(&sm->lock);
}

/*
 * Hand @skb (a DATA payload from the host, no device yet) to bdsim<@ch>:
 * it joins @batch, received by sim_ndev_deliver_flush(). Softirq context,
 * under rcu_read_lock() until the flush. Frees @skb when it cannot go.
 */
static void sim_ndev_receive(struct sim_modem *sm, u8 ch, struct sk_buff *skb,
			     struct list_head *batch)
{
	unsigned int len = skb->len;
	struct net_device *dev;

	dev = rcu_dereference(sm->ndev[ch]);
	if (!dev || !netif_running(dev)) {
		kfree_skb(skb);
		sim_ndev_count_rx_drop(sm, dev, SIM_ST_TX_DROP_DOWN);
		return;
	}
	skb->dev = dev;
	switch (len ? skb->data[0] & 0xf0 : 0) {
	case 0x40:
		skb->protocol = htons(ETH_P_IP);
		break;
	case 0x60:
		skb->protocol = htons(ETH_P_IPV6);
		break;
	default:
		skb->protocol = htons(ETH_P_MAP);
		break;
	}
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	skb->pkt_type = PACKET_HOST;
	dev_sw_netstats_rx_add(dev, len);
	list_add_tail(&skb->list, batch);

	spin_lock(&sm->lock);
	sm->ch_tx_frames[ch]++;
	sm->ch_tx_bytes[ch] += len;
	spin_unlock(&sm->lock);
}

/* A frame on its way over the air (uplink latency): where and when */
struct sim_air_cb {
	ktime_t due;
	u8 ch;
};

static struct sim_air_cb *sim_air_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct sim_air_cb) > sizeof(skb->cb));
	return (struct sim_air_cb *)skb->cb;
}

/*
 * The uplink's far end: deliver every frame whose air time is over, then
 * wait for the next one. Softirq (a soft hrtimer).
 */
static enum hrtimer_restart sim_air_timer(struct hrtimer *timer)
{
	struct sim_modem *sm = container_of(timer, struct sim_modem, air_timer);
	struct sk_buff *skb, *next;
	ktime_t now = ktime_get();
	LIST_HEAD(landed);
	LIST_HEAD(batch);
	unsigned long flags;
	ktime_t due = 0;

	spin_lock_irqsave(&sm->air.lock, flags);
	while ((skb = skb_peek(&sm->air))) {
		if (ktime_after(sim_air_cb(skb)->due, now)) {
			due = sim_air_cb(skb)->due;
			break;
		}
		__skb_unlink(skb, &sm->air);
		list_add_tail(&skb->list, &landed);
	}
	spin_unlock_irqrestore(&sm->air.lock, flags);

	rcu_read_lock();
	list_for_each_entry_safe(skb, next, &landed, list) {
		skb_list_del_init(skb);
		sim_ndev_receive(sm, sim_air_cb(skb)->ch, skb, &batch);
	}
	sim_ndev_deliver_flush(&batch);
	rcu_read_unlock();

	if (!due)
		return HRTIMER_NORESTART;
	hrtimer_set_expires(timer, due);
	return HRTIMER_RESTART;
}

/*
 * DATA from the host on @ch, which the modem just read from the BAM. With
 * a latency it reaches bdsim<ch> that much later (sim_air_timer): the
 * descriptor completed already, as a real modem reads the frame into its
 * own memory and sends it over the air afterwards. Without one it joins
 * @batch, received when the channel's tasklet ends its run. Softirq
 * context, under rcu_read_lock() until sim_ndev_deliver_flush().
 */
void sim_ndev_deliver(struct sim_modem *sm, u8 ch, const void *data,
		      unsigned int len, struct list_head *batch)
{
	u32 latency_us = READ_ONCE(sm->latency_us);
	struct sk_buff *skb;
	unsigned long flags;
	bool first;

	skb = netdev_alloc_skb(NULL, len);
	if (!skb) {
		sim_ndev_count_rx_drop(sm, rcu_dereference(sm->ndev[ch]),
				       SIM_ST_TX_DROP_NOMEM);
		return;
	}
	skb_put_data(skb, data, len);
	if (!latency_us) {
		sim_ndev_receive(sm, ch, skb, batch);
		return;
	}

	sim_air_cb(skb)->ch = ch;
	sim_air_cb(skb)->due = ktime_add_us(ktime_get(), latency_us);
	spin_lock_irqsave(&sm->air.lock, flags);
	first = skb_queue_empty(&sm->air);
	__skb_queue_tail(&sm->air, skb);
	/* later frames are due later: the timer only ever waits for the head */
	if (first)
		hrtimer_start(&sm->air_timer, sim_air_cb(skb)->due,
			      HRTIMER_MODE_ABS_SOFT);
	spin_unlock_irqrestore(&sm->air.lock, flags);
}

void sim_air_init(struct sim_modem *sm)
{
	skb_queue_head_init(&sm->air);
	hrtimer_init(&sm->air_timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
	sm->air_timer.function = sim_air_timer;
}

/* Teardown: the frames still in the air are lost with the modem */
void sim_air_stop(struct sim_modem *sm)
{
	hrtimer_cancel(&sm->air_timer);
	skb_queue_purge(&sm->air);
}

/* One pass through the stack for a tasklet run's worth of frames */
void sim_ndev_deliver_flush(struct list_head *batch)
{
	if (!list_empty(batch))
		netif_receive_skb_list(batch);
}

static void sim_ndev_get_stats64(struct net_device *dev,
				 struct rtnl_link_stats64 *stats)
{
	struct sim_ndev_priv *priv = netdev_priv(dev);

	dev_get_tstats64(dev, stats);
	stats->tx_dropped += atomic_long_read(&priv->tx_dropped);
	stats->rx_dropped += atomic_long_read(&priv->rx_dropped);
}

static const struct net_device_ops sim_ndev_ops = {
	.ndo_start_xmit		= sim_ndev_xmit,
	.ndo_get_stats64	= sim_ndev_get_stats64,
};

static void sim_ndev_setup(struct net_device *dev)
{
	dev->netdev_ops = &sim_ndev_ops;
	dev->type = ARPHRD_RAWIP;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->features |= NETIF_F_LLTX | SIM_NDEV_OFFLOADS;
	dev->hw_features |= SIM_NDEV_OFFLOADS;
	dev->mtu = ETH_DATA_LEN;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = BAM_DMUX_MAX_DATA_SIZE;
	dev->tx_queue_len = 0;
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
	dev->needs_free_netdev = true;
}

static int sim_ndev_create(struct sim_modem *sm, u8 ch)
{
	struct sim_ndev_priv *priv;
	struct net_device *dev;
	char name[IFNAMSIZ];
	int ret;

	if (sm->id)
		snprintf(name, sizeof(name), "bdsim%u-%u", sm->id, ch);
	else
		snprintf(name, sizeof(name), "bdsim%u", ch);
	dev = alloc_netdev(sizeof(*priv), name, NET_NAME_PREDICTABLE,
			   sim_ndev_setup);
	if (!dev)
		return -ENOMEM;
	priv = netdev_priv(dev);
	priv->sm = sm;
	priv->ch = ch;
	dev->dev_port = ch;
	SET_NETDEV_DEV(dev, &sm->simdev->dev);

	ret = register_netdev(dev);
	if (ret) {
		free_netdev(dev);
		return ret;
	}
	rcu_assign_pointer(sm->ndev[ch], dev);
	return 0;
}

static void sim_ndev_destroy(struct sim_modem *sm, u8 ch)
{
	struct net_device *dev;

	dev = rcu_dereference_protected(sm->ndev[ch],
					lockdep_is_held(&sm->ndev_lock));
	if (!dev)
		return;
	RCU_INIT_POINTER(sm->ndev[ch], NULL);
	synchronize_net();
	unregister_netdev(dev);
}

/* Make the interfaces match @channels: create and remove as needed */
int sim_ndev_sync(struct sim_modem *sm, u32 channels)
{
	int ret = 0;
	u8 ch;

	mutex_lock(&sm->ndev_lock);
	for (ch = 0; ch < BAM_DMUX_NUM_CH; ch++) {
		bool want = channels & BIT(ch);
		bool have = rcu_access_pointer(sm->ndev[ch]);

		if (want && !have)
			ret = sim_ndev_create(sm, ch);
		else if (!want && have)
			sim_ndev_destroy(sm, ch);
		if (ret)
			break;
	}
	mutex_unlock(&sm->ndev_lock);
	return ret;
}

void sim_ndev_destroy_all(struct sim_modem *sm)
{
	sim_ndev_sync(sm, 0);
}

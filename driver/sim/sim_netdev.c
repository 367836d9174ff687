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
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>

#include "sim.h"

struct sim_ndev_priv {
	struct sim_modem *sm;
	u8 ch;
};

static netdev_tx_t sim_ndev_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct sim_ndev_priv *priv = netdev_priv(dev);
	struct sim_modem *sm = priv->sm;
	unsigned int len = skb->len;
	struct sk_buff *frame;

	if (len > BAM_DMUX_MAX_DATA_SIZE) {
		spin_lock_bh(&sm->lock);
		sim_inc(sm, SIM_ST_RX_DROP_OVERSIZE);
		spin_unlock_bh(&sm->lock);
		goto drop;
	}
	frame = sim_modem_frame_alloc(BAM_DMUX_CMD_DATA, priv->ch, NULL, len,
				      GFP_ATOMIC);
	if (!frame) {
		spin_lock_bh(&sm->lock);
		sim_inc(sm, SIM_ST_RX_DROP_NOMEM);
		spin_unlock_bh(&sm->lock);
		goto drop;
	}
	if (skb_copy_bits(skb, 0, frame->data + BAM_DMUX_HDR_SIZE, len)) {
		kfree_skb(frame);
		goto drop;
	}
	if (sim_modem_rx_enqueue(sm, frame))
		goto drop;

	dev_sw_netstats_tx_add(dev, 1, len);
	consume_skb(skb);
	return NETDEV_TX_OK;

drop:
	dev_core_stats_tx_dropped_inc(dev);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

/* DATA from the host on @ch: hand it to bdsim<ch>. Softirq context. */
void sim_ndev_deliver(struct sim_modem *sm, u8 ch, const void *data,
		      unsigned int len)
{
	enum sim_stat drop = SIM_ST_MAX;
	struct net_device *dev;
	struct sk_buff *skb;

	rcu_read_lock();
	dev = rcu_dereference(sm->ndev[ch]);
	if (!dev || !netif_running(dev)) {
		drop = SIM_ST_TX_DROP_DOWN;
		if (dev)
			dev_core_stats_rx_dropped_inc(dev);
		goto out;
	}
	skb = netdev_alloc_skb(dev, len);
	if (!skb) {
		drop = SIM_ST_TX_DROP_NOMEM;
		dev_core_stats_rx_dropped_inc(dev);
		goto out;
	}
	skb_put_data(skb, data, len);
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
	netif_rx(skb);
out:
	rcu_read_unlock();

	spin_lock(&sm->lock);
	if (drop != SIM_ST_MAX) {
		sim_inc(sm, drop);
	} else {
		sm->ch_tx_frames[ch]++;
		sm->ch_tx_bytes[ch] += len;
	}
	spin_unlock(&sm->lock);
}

static const struct net_device_ops sim_ndev_ops = {
	.ndo_start_xmit		= sim_ndev_xmit,
	.ndo_get_stats64	= dev_get_tstats64,
};

static void sim_ndev_setup(struct net_device *dev)
{
	dev->netdev_ops = &sim_ndev_ops;
	dev->type = ARPHRD_RAWIP;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->features |= NETIF_F_LLTX;
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

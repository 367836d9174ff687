// SPDX-License-Identifier: GPL-2.0-only
/*
 * BAM-DMUX channels and their network interfaces.
 *
 * The modem announces a channel with OPEN; the first OPEN creates the
 * interface wwanN (from a work item: registration sleeps), a later one
 * re-attaches it. The modem's CLOSE detaches it. The host sends OPEN when
 * the interface goes up (or, if it is up already, when the modem opens the
 * channel again) and CLOSE when it goes down. DATA flows only on channels
 * both sides opened.
 *
 * The interfaces look like every other WWAN data interface, so that
 * ModemManager finds them: devtype "wwan", ARPHRD_RAWIP, point-to-point,
 * no ARP, dev_port = channel, parent = the bam-dmux platform device.
 */
#include <linux/etherdevice.h>
#include <net/pkt_sched.h>
#include <linux/if_arp.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "bam_dmux.h"
#include "bam_dmux_trace.h"

static const struct device_type bam_dmux_wwan_type = {
	.name = "wwan",
};

void bam_dmux_netdev_count(struct net_device *netdev, enum bam_dmux_ndstat what,
			   unsigned int bytes)
{
	struct bam_dmux_netdev *bndev = netdev_priv(netdev);
	struct bam_dmux_pcpu_stats *stats;
	unsigned long flags;

	stats = get_cpu_ptr(bndev->stats);
	flags = u64_stats_update_begin_irqsave(&stats->syncp);
	switch (what) {
	case BAM_DMUX_ND_RX:
		u64_stats_inc(&stats->rx_packets);
		u64_stats_add(&stats->rx_bytes, bytes);
		break;
	case BAM_DMUX_ND_TX:
		u64_stats_inc(&stats->tx_packets);
		u64_stats_add(&stats->tx_bytes, bytes);
		break;
	case BAM_DMUX_ND_RX_DROP:
		u64_stats_inc(&stats->rx_dropped);
		break;
	case BAM_DMUX_ND_TX_DROP:
		u64_stats_inc(&stats->tx_dropped);
		break;
	case BAM_DMUX_ND_RX_ERR:
		u64_stats_inc(&stats->rx_errors);
		break;
	case BAM_DMUX_ND_TX_ERR:
		u64_stats_inc(&stats->tx_errors);
		break;
	}
	u64_stats_update_end_irqrestore(&stats->syncp, flags);
	put_cpu_ptr(bndev->stats);
}

static void bam_dmux_netdev_get_stats64(struct net_device *netdev,
					struct rtnl_link_stats64 *s)
{
	struct bam_dmux_netdev *bndev = netdev_priv(netdev);
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct bam_dmux_pcpu_stats *stats;
		u64 rxp, rxb, txp, txb, rxd, txd, rxe, txe;
		unsigned int start;

		stats = per_cpu_ptr(bndev->stats, cpu);
		do {
			start = u64_stats_fetch_begin(&stats->syncp);
			rxp = u64_stats_read(&stats->rx_packets);
			rxb = u64_stats_read(&stats->rx_bytes);
			txp = u64_stats_read(&stats->tx_packets);
			txb = u64_stats_read(&stats->tx_bytes);
			rxd = u64_stats_read(&stats->rx_dropped);
			txd = u64_stats_read(&stats->tx_dropped);
			rxe = u64_stats_read(&stats->rx_errors);
			txe = u64_stats_read(&stats->tx_errors);
		} while (u64_stats_fetch_retry(&stats->syncp, start));

		s->rx_packets += rxp;
		s->rx_bytes += rxb;
		s->tx_packets += txp;
		s->tx_bytes += txb;
		s->rx_dropped += rxd;
		s->tx_dropped += txd;
		s->rx_errors += rxe;
		s->tx_errors += txe;
	}
}

/* Send OPEN on @ch unless done already. */
static void bam_dmux_host_open(struct bam_dmux *dmux, u8 ch)
{
	if (test_and_set_bit(ch, &dmux->host_open))
		return;
	trace_bam_dmux_channel(dmux->dev, ch, true, true);
	if (bam_dmux_tx_cmd(dmux, BAM_DMUX_CMD_OPEN, ch, GFP_KERNEL)) {
		/*
		 * No slot: frames deferred while the modem was down fill the
		 * ring. The modem drops our data until it sees the OPEN, so
		 * the TX poll sends it again once frames have left the ring.
		 */
		clear_bit(ch, &dmux->host_open);
		set_bit(ch, &dmux->open_lost);
	}
}

static int bam_dmux_netdev_open(struct net_device *netdev)
{
	struct bam_dmux_netdev *bndev = netdev_priv(netdev);
	struct bam_dmux *dmux = bndev->dmux;

	if (test_bit(bndev->ch, &dmux->remote_open))
		bam_dmux_host_open(dmux, bndev->ch);
	bam_dmux_tx_start(dmux, netdev);
	return 0;
}

static int bam_dmux_netdev_stop(struct net_device *netdev)
{
	struct bam_dmux_netdev *bndev = netdev_priv(netdev);
	struct bam_dmux *dmux = bndev->dmux;
	u8 ch = bndev->ch;

	netif_stop_queue(netdev);
	if (test_and_clear_bit(ch, &dmux->host_open)) {
		trace_bam_dmux_channel(dmux->dev, ch, false, true);
		if (test_bit(ch, &dmux->remote_open))
			bam_dmux_tx_cmd(dmux, BAM_DMUX_CMD_CLOSE, ch, GFP_KERNEL);
	}
	return 0;
}

static netdev_tx_t bam_dmux_netdev_start_xmit(struct sk_buff *skb,
					      struct net_device *netdev)
{
	struct bam_dmux_netdev *bndev = netdev_priv(netdev);

	return bam_dmux_tx_data(bndev->dmux, skb, netdev, bndev->ch);
}

static const struct net_device_ops bam_dmux_netdev_ops = {
	.ndo_open = bam_dmux_netdev_open,
	.ndo_stop = bam_dmux_netdev_stop,
	.ndo_start_xmit = bam_dmux_netdev_start_xmit,
	.ndo_get_stats64 = bam_dmux_netdev_get_stats64,
};

static void bam_dmux_netdev_setup(struct net_device *netdev)
{
	netdev->netdev_ops = &bam_dmux_netdev_ops;
	netdev->ethtool_ops = &bam_dmux_ethtool_ops;
	SET_NETDEV_DEVTYPE(netdev, &bam_dmux_wwan_type);

	netdev->type = ARPHRD_RAWIP;
	netdev->flags = IFF_POINTOPOINT | IFF_NOARP;
	netdev->hard_header_len = 0;
	netdev->addr_len = 0;
	netdev->mtu = ETH_DATA_LEN;
	netdev->min_mtu = ETH_MIN_MTU;
	netdev->max_mtu = BAM_DMUX_MAX_DATA_SIZE;
	netdev->needed_headroom = BAM_DMUX_HDR_SIZE;
	netdev->needed_tailroom = 3;	/* padding to a multiple of 4 */
	netdev->tx_queue_len = DEFAULT_TX_QUEUE_LEN;

	/* IPv6 derives its interface identifier from it (RAWIP) */
	netdev->addr_assign_type = NET_ADDR_RANDOM;
	eth_random_addr(netdev->perm_addr);
}

static int bam_dmux_netdev_create(struct bam_dmux *dmux, u8 ch)
{
	struct bam_dmux_netdev *bndev;
	struct net_device *netdev;
	int ret;

	netdev = alloc_netdev(sizeof(*bndev), "wwan%d", NET_NAME_ENUM,
			      bam_dmux_netdev_setup);
	if (!netdev)
		return -ENOMEM;

	bndev = netdev_priv(netdev);
	bndev->dmux = dmux;
	bndev->ch = ch;
	bndev->stats = netdev_alloc_pcpu_stats(struct bam_dmux_pcpu_stats);
	if (!bndev->stats) {
		ret = -ENOMEM;
		goto err_free;
	}
	SET_NETDEV_DEV(netdev, dmux->dev);
	netdev->dev_port = ch;
	if (dmux->tx_sg) {
		/* and software GSO with it, which the core ties to SG */
		netdev->hw_features |= NETIF_F_SG;
		netdev->features |= NETIF_F_SG;
	}

	ret = register_netdev(netdev);
	if (ret)
		goto err_free_stats;

	WRITE_ONCE(dmux->netdevs[ch], netdev);
	if (!test_bit(ch, &dmux->remote_open)) {
		netif_device_detach(netdev);
		netif_carrier_off(netdev);
	}
	return 0;

err_free_stats:
	free_percpu(bndev->stats);
err_free:
	free_netdev(netdev);
	return ret;
}

/*
 * Creates the interfaces of newly announced channels and sends OPEN on
 * those that are up while the modem had them closed, or whose OPEN was
 * dropped before it reached the modem.
 */
void bam_dmux_channel_work(struct work_struct *work)
{
	struct bam_dmux *dmux = container_of(work, struct bam_dmux,
					     channel_work);
	u8 ch;

	/* the OPENs lost on the way are sent again below */
	xchg(&dmux->open_lost, 0);
	for (ch = 0; ch < BAM_DMUX_NUM_CH; ch++) {
		struct net_device *netdev;
		int ret;

		if (READ_ONCE(dmux->removing))
			return;
		if (!test_bit(ch, &dmux->remote_open))
			continue;

		if (!dmux->netdevs[ch]) {
			ret = bam_dmux_netdev_create(dmux, ch);
			if (ret) {
				dev_err(dmux->dev,
					"cannot create interface for ch %u: %d\n",
					ch, ret);
				continue;
			}
		}

		netdev = dmux->netdevs[ch];
		rtnl_lock();
		if (netif_running(netdev) && test_bit(ch, &dmux->remote_open))
			bam_dmux_host_open(dmux, ch);
		rtnl_unlock();
	}
}

/* A command from the modem. Softirq (NAPI) or DMA callback context. */
void bam_dmux_channel_remote(struct bam_dmux *dmux, u8 ch, u8 cmd)
{
	struct net_device *netdev = READ_ONCE(dmux->netdevs[ch]);

	switch (cmd) {
	case BAM_DMUX_CMD_OPEN:
	case BAM_DMUX_CMD_OPEN_NO_A2_PC:
		trace_bam_dmux_channel(dmux->dev, ch, true, false);
		if (cmd == BAM_DMUX_CMD_OPEN_NO_A2_PC)
			bam_dmux_no_a2_pc(dmux, ch, true);
		if (test_and_set_bit(ch, &dmux->remote_open)) {
			/*
			 * Announced again without a CLOSE: the modem restarted
			 * while we were not voting (its line fall looked like
			 * an idle power-down). It forgot our OPEN.
			 */
			clear_bit(ch, &dmux->host_open);
			if (!xchg(&dmux->restart_counted, true))
				bam_dmux_stat_inc(dmux,
						  BAM_DMUX_STAT_MODEM_RESTARTS);
		}
		if (netdev) {
			netif_carrier_on(netdev);
			bam_dmux_tx_attach(dmux, netdev);
		}
		if (!READ_ONCE(dmux->removing))
			schedule_work(&dmux->channel_work);
		break;
	case BAM_DMUX_CMD_CLOSE:
		trace_bam_dmux_channel(dmux->dev, ch, false, false);
		clear_bit(ch, &dmux->remote_open);
		/* the modem forgot our OPEN: send it again on re-OPEN */
		clear_bit(ch, &dmux->host_open);
		bam_dmux_no_a2_pc(dmux, ch, false);
		if (netdev) {
			netif_device_detach(netdev);
			netif_carrier_off(netdev);
		}
		break;
	}
}

/* The modem restarted: every channel is closed until it announces them. */
void bam_dmux_channels_lost(struct bam_dmux *dmux)
{
	u8 ch;

	for (ch = 0; ch < BAM_DMUX_NUM_CH; ch++) {
		struct net_device *netdev = READ_ONCE(dmux->netdevs[ch]);

		clear_bit(ch, &dmux->remote_open);
		clear_bit(ch, &dmux->host_open);
		bam_dmux_no_a2_pc(dmux, ch, false);
		if (netdev) {
			netif_device_detach(netdev);
			netif_carrier_off(netdev);
		}
	}
}

/*
 * Unregister the interfaces. They are unpublished first so that RX no
 * longer reaches them; the TX ring may still point at them, so they are
 * freed only by bam_dmux_netdevs_free() once TX is torn down.
 */
void bam_dmux_netdevs_remove(struct bam_dmux *dmux,
			     struct net_device *netdevs[BAM_DMUX_NUM_CH])
{
	u8 ch;

	for (ch = 0; ch < BAM_DMUX_NUM_CH; ch++) {
		netdevs[ch] = dmux->netdevs[ch];
		WRITE_ONCE(dmux->netdevs[ch], NULL);
	}
	synchronize_net();

	for (ch = 0; ch < BAM_DMUX_NUM_CH; ch++)
		if (netdevs[ch])
			unregister_netdev(netdevs[ch]);
}

void bam_dmux_netdevs_free(struct net_device *netdevs[BAM_DMUX_NUM_CH])
{
	u8 ch;

	for (ch = 0; ch < BAM_DMUX_NUM_CH; ch++) {
		struct bam_dmux_netdev *bndev;

		if (!netdevs[ch])
			continue;
		bndev = netdev_priv(netdevs[ch]);
		free_percpu(bndev->stats);
		free_netdev(netdevs[ch]);
	}
}

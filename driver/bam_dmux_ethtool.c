// SPDX-License-Identifier: GPL-2.0-only
/*
 * BAM-DMUX ethtool support: driver info (-i), ring sizes (-g/-G) and the
 * per-device counters (-S). The interfaces of one device share its rings
 * and counters, so every interface shows (and changes) the same values.
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>

#include "bam_dmux.h"

static const char bam_dmux_stat_names[BAM_DMUX_STAT_NUM][ETH_GSTRING_LEN] = {
	[BAM_DMUX_STAT_RX_POLLS]		= "rx_polls",
	[BAM_DMUX_STAT_RX_BUDGET_EXHAUSTED]	= "rx_budget_exhausted",
	[BAM_DMUX_STAT_RX_BAD_MAGIC]		= "rx_bad_magic",
	[BAM_DMUX_STAT_RX_BAD_CMD]		= "rx_bad_cmd",
	[BAM_DMUX_STAT_RX_BAD_CHANNEL]		= "rx_bad_channel",
	[BAM_DMUX_STAT_RX_OVERSIZE]		= "rx_oversize",
	[BAM_DMUX_STAT_RX_SHORT]		= "rx_short",
	[BAM_DMUX_STAT_RX_BAD_PAD]		= "rx_bad_pad",
	[BAM_DMUX_STAT_RX_INACTIVE_CHANNEL]	= "rx_inactive_channel",
	[BAM_DMUX_STAT_RX_ALLOC_FAIL]		= "rx_alloc_fail",
	[BAM_DMUX_STAT_RX_DMA_ERROR]		= "rx_dma_error",
	[BAM_DMUX_STAT_TX_RING_FULL]		= "tx_ring_full",
	[BAM_DMUX_STAT_TX_DEFERRED]		= "tx_deferred",
	[BAM_DMUX_STAT_TX_DMA_ERROR]		= "tx_dma_error",
	[BAM_DMUX_STAT_PC_VOTES]		= "pc_votes",
	[BAM_DMUX_STAT_PC_WAKEUPS]		= "pc_wakeups",
	[BAM_DMUX_STAT_PC_TIMEOUTS]		= "pc_timeouts",
	[BAM_DMUX_STAT_REMOTE_POWER_UP]		= "remote_power_up",
	[BAM_DMUX_STAT_REMOTE_POWER_DOWN]	= "remote_power_down",
	[BAM_DMUX_STAT_MODEM_RESTARTS]		= "modem_restarts",
	[BAM_DMUX_STAT_PC_MERGED]		= "pc_merged",
	[BAM_DMUX_STAT_DMA_SETUP_FAIL]		= "dma_setup_fail",
};

/*
 * After the counters, one gauge: the RX ring in use. ethtool -g shows the
 * size asked for, which a running ring takes at the modem's next power
 * collapse (bam_dmux_rx_resize()).
 */
#define BAM_DMUX_GAUGE_RX_RING_ACTIVE	"rx_ring_active"
#define BAM_DMUX_ETHTOOL_STATS		(BAM_DMUX_STAT_NUM + 1)

static struct bam_dmux *bam_dmux_from_netdev(struct net_device *netdev)
{
	struct bam_dmux_netdev *bndev = netdev_priv(netdev);

	return bndev->dmux;
}

static void bam_dmux_get_drvinfo(struct net_device *netdev,
				 struct ethtool_drvinfo *info)
{
	struct bam_dmux *dmux = bam_dmux_from_netdev(netdev);

	strscpy(info->driver, BAM_DMUX_DRV_NAME, sizeof(info->driver));
	strscpy(info->bus_info, dev_name(dmux->dev), sizeof(info->bus_info));
}

static void bam_dmux_get_ringparam(struct net_device *netdev,
				   struct ethtool_ringparam *ring,
				   struct kernel_ethtool_ringparam *kring,
				   struct netlink_ext_ack *extack)
{
	struct bam_dmux *dmux = bam_dmux_from_netdev(netdev);

	ring->rx_max_pending = BAM_DMUX_RING_MAX;
	ring->tx_max_pending = BAM_DMUX_RING_MAX;
	ring->rx_pending = READ_ONCE(dmux->rx_size_next) ?:
			   READ_ONCE(dmux->rx_size);
	ring->tx_pending = READ_ONCE(dmux->tx_size);
}

static int bam_dmux_set_ringparam(struct net_device *netdev,
				  struct ethtool_ringparam *ring,
				  struct kernel_ethtool_ringparam *kring,
				  struct netlink_ext_ack *extack)
{
	struct bam_dmux *dmux = bam_dmux_from_netdev(netdev);
	int ret;

	if (ring->rx_pending < BAM_DMUX_RING_MIN ||
	    ring->tx_pending < BAM_DMUX_RING_MIN) {
		NL_SET_ERR_MSG_MOD(extack, "ring size below the minimum of 8");
		return -EINVAL;
	}

	mutex_lock(&dmux->pc_lock);
	ret = bam_dmux_rx_resize(dmux, ring->rx_pending);
	mutex_unlock(&dmux->pc_lock);
	if (ret) {
		NL_SET_ERR_MSG_MOD(extack, "no memory for the RX ring");
		return ret;
	}
	ret = bam_dmux_tx_resize(dmux, ring->tx_pending);
	if (ret == -EBUSY)
		NL_SET_ERR_MSG_MOD(extack,
				   "TX frames in flight did not complete: modem stalled");
	return ret;
}

static int bam_dmux_get_sset_count(struct net_device *netdev, int sset)
{
	return sset == ETH_SS_STATS ? BAM_DMUX_ETHTOOL_STATS : -EOPNOTSUPP;
}

static void bam_dmux_get_strings(struct net_device *netdev, u32 sset, u8 *data)
{
	if (sset != ETH_SS_STATS)
		return;
	memcpy(data, bam_dmux_stat_names, sizeof(bam_dmux_stat_names));
	strscpy(data + sizeof(bam_dmux_stat_names),
		BAM_DMUX_GAUGE_RX_RING_ACTIVE, ETH_GSTRING_LEN);
}

static void bam_dmux_get_ethtool_stats(struct net_device *netdev,
				       struct ethtool_stats *stats, u64 *data)
{
	struct bam_dmux *dmux = bam_dmux_from_netdev(netdev);
	int i;

	for (i = 0; i < BAM_DMUX_STAT_NUM; i++)
		data[i] = atomic_long_read(&dmux->stats[i]);
	data[BAM_DMUX_STAT_NUM] = READ_ONCE(dmux->rx_size);
}

const struct ethtool_ops bam_dmux_ethtool_ops = {
	.get_drvinfo = bam_dmux_get_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_ringparam = bam_dmux_get_ringparam,
	.set_ringparam = bam_dmux_set_ringparam,
	.get_sset_count = bam_dmux_get_sset_count,
	.get_strings = bam_dmux_get_strings,
	.get_ethtool_stats = bam_dmux_get_ethtool_stats,
};

// SPDX-License-Identifier: GPL-2.0-only
/*
 * BAM-DMUX: the Qualcomm BAM Data Multiplexer, a WWAN network driver.
 *
 * Platform glue: module parameters, probe and remove. The device gets its
 * power-control provider from platform data (the simulated modem) or from
 * the device tree (the Qualcomm provider). Its two DMA channels are not
 * taken here: a remotely powered BAM has them only while the modem powers
 * it (bam_dmux_power.c).
 *
 * The only global state is the list of bound devices, so that a write to
 * the napi_weight parameter reaches every live device.
 */
#include <linux/dmaengine.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>

#include "bam_dmux.h"

static unsigned int bam_dmux_rx_ring_size = BAM_DMUX_RING_DEFAULT;
static unsigned int bam_dmux_tx_ring_size = BAM_DMUX_RING_DEFAULT;
static bool bam_dmux_use_napi = true;
static bool bam_dmux_rx_page_pool = true;
static int bam_dmux_napi_weight = NAPI_POLL_WEIGHT;
static bool bam_dmux_tx_sg;

static LIST_HEAD(bam_dmux_devices);
static DEFINE_MUTEX(bam_dmux_devices_lock);

static int bam_dmux_param_set_ring(const char *val,
				   const struct kernel_param *kp)
{
	unsigned int size;
	int ret;

	ret = kstrtouint(val, 0, &size);
	if (ret)
		return ret;
	if (size < BAM_DMUX_RING_MIN || size > BAM_DMUX_RING_MAX)
		return -EINVAL;
	WRITE_ONCE(*(unsigned int *)kp->arg, size);
	return 0;
}

static const struct kernel_param_ops bam_dmux_ring_ops = {
	.set = bam_dmux_param_set_ring,
	.get = param_get_uint,
};

module_param_cb(rx_ring, &bam_dmux_ring_ops, &bam_dmux_rx_ring_size, 0644);
MODULE_PARM_DESC(rx_ring,
		 "RX ring size of devices bound afterwards (8..1024, default 64; live: ethtool -G)");
module_param_cb(tx_ring, &bam_dmux_ring_ops, &bam_dmux_tx_ring_size, 0644);
MODULE_PARM_DESC(tx_ring,
		 "TX ring size of devices bound afterwards (8..1024, default 64; live: ethtool -G)");

module_param_named(napi, bam_dmux_use_napi, bool, 0644);
MODULE_PARM_DESC(napi,
		 "Deliver RX through NAPI/GRO (1, default) or per packet from the DMA callback (0); read at bind");

module_param_named(rx_page_pool, bam_dmux_rx_page_pool, bool, 0644);
MODULE_PARM_DESC(rx_page_pool,
		 "RX buffers from a page_pool, built into skbs without a copy (1, default), or one skb per buffer (0); read at bind");

/*
 * Off by default: no driver known to work on hardware sends the A2 a
 * frame split over several descriptors (Documentation/driver.rst).
 */
module_param_named(tx_sg, bam_dmux_tx_sg, bool, 0644);
MODULE_PARM_DESC(tx_sg,
		 "Send a fragmented frame as one DMA transfer of several descriptors, EOT on the last (NETIF_F_SG), instead of the stack linearizing it (0, default); read at bind");

static int bam_dmux_param_set_weight(const char *val,
				     const struct kernel_param *kp)
{
	struct bam_dmux *dmux;
	int weight, ret;

	ret = kstrtoint(val, 0, &weight);
	if (ret)
		return ret;
	if (weight < 1 || weight > BAM_DMUX_NAPI_WEIGHT_MAX)
		return -EINVAL;

	mutex_lock(&bam_dmux_devices_lock);
	WRITE_ONCE(bam_dmux_napi_weight, weight);
	list_for_each_entry(dmux, &bam_dmux_devices, node)
		bam_dmux_set_napi_weight(dmux, weight);
	mutex_unlock(&bam_dmux_devices_lock);
	return 0;
}

static const struct kernel_param_ops bam_dmux_weight_ops = {
	.set = bam_dmux_param_set_weight,
	.get = param_get_int,
};

module_param_cb(napi_weight, &bam_dmux_weight_ops, &bam_dmux_napi_weight, 0644);
MODULE_PARM_DESC(napi_weight,
		 "NAPI weight (1..256, default 64), applied to bound devices at once");

static int bam_dmux_probe(struct platform_device *pdev)
{
	struct bam_dmux_platform_data *pdata = dev_get_platdata(&pdev->dev);
	struct device *dev = &pdev->dev;
	struct bam_dmux *dmux;
	int ret;

	dmux = devm_kzalloc(dev, sizeof(*dmux), GFP_KERNEL);
	if (!dmux)
		return -ENOMEM;
	dmux->dev = dev;
	platform_set_drvdata(pdev, dmux);
	INIT_WORK(&dmux->channel_work, bam_dmux_channel_work);

	if (pdata && pdata->pc_ops) {
		dmux->pc_ops = pdata->pc_ops;
		dmux->pc = pdata->pc_provider;
	} else {
		ret = bam_dmux_pc_qcom_get(dev, &dmux->pc_ops, &dmux->pc);
		if (ret)
			return dev_err_probe(dev, ret,
					     "no power-control provider\n");
	}

	/* the DMA channels are requested when the modem powers the BAM */
	ret = bam_dmux_rx_init(dmux, READ_ONCE(bam_dmux_rx_ring_size),
			       READ_ONCE(bam_dmux_use_napi),
			       READ_ONCE(bam_dmux_napi_weight),
			       READ_ONCE(bam_dmux_rx_page_pool));
	if (ret)
		return ret;
	ret = bam_dmux_tx_init(dmux, READ_ONCE(bam_dmux_tx_ring_size),
			       READ_ONCE(bam_dmux_tx_sg));
	if (ret)
		goto err_rx_exit;

	mutex_lock(&bam_dmux_devices_lock);
	list_add_tail(&dmux->node, &bam_dmux_devices);
	/* a weight written while we were probing */
	bam_dmux_set_napi_weight(dmux, bam_dmux_napi_weight);
	mutex_unlock(&bam_dmux_devices_lock);

	ret = bam_dmux_power_init(dmux);
	if (ret)
		goto err_list_del;
	return 0;

err_list_del:
	mutex_lock(&bam_dmux_devices_lock);
	list_del(&dmux->node);
	mutex_unlock(&bam_dmux_devices_lock);
	bam_dmux_tx_exit(dmux);
err_rx_exit:
	bam_dmux_rx_exit(dmux);
	return ret;
}

static int bam_dmux_remove(struct platform_device *pdev)
{
	struct bam_dmux *dmux = platform_get_drvdata(pdev);
	struct net_device *netdevs[BAM_DMUX_NUM_CH];

	WRITE_ONCE(dmux->removing, true);
	cancel_work_sync(&dmux->channel_work);

	/* closing the interfaces sends CLOSE; let those frames go out */
	bam_dmux_netdevs_remove(dmux, netdevs);
	flush_work(&dmux->tx_work);
	wait_event_timeout(dmux->tx_wait, !READ_ONCE(dmux->tx_count),
			   BAM_DMUX_REMOTE_TIMEOUT);

	mutex_lock(&bam_dmux_devices_lock);
	list_del(&dmux->node);
	mutex_unlock(&bam_dmux_devices_lock);

	/*
	 * Vote down, let the modem power down (its fall stops DMA, frees the
	 * buffers and releases the channels), stop the provider.
	 */
	bam_dmux_power_exit(dmux);
	cancel_work_sync(&dmux->channel_work);
	bam_dmux_tx_exit(dmux);
	bam_dmux_netdevs_free(netdevs);
	bam_dmux_rx_exit(dmux);
	return 0;
}

static const struct of_device_id bam_dmux_of_match[] = {
	{ .compatible = "qcom,bam-dmux" },
	{ }
};
MODULE_DEVICE_TABLE(of, bam_dmux_of_match);

static struct platform_driver bam_dmux_driver = {
	.probe = bam_dmux_probe,
	.remove = bam_dmux_remove,
	.driver = {
		.name = BAM_DMUX_DRV_NAME,
		.pm = &bam_dmux_pm_ops,
		.of_match_table = bam_dmux_of_match,
	},
};
module_platform_driver(bam_dmux_driver);

MODULE_DESCRIPTION("Qualcomm BAM-DMUX WWAN network driver");
MODULE_LICENSE("GPL");
MODULE_ALIAS("platform:" BAM_DMUX_DRV_NAME);

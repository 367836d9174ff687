// SPDX-License-Identifier: GPL-2.0-only
/*
 * bam_dmux_sim: a simulated BAM-DMUX modem, so that the bam_dmux driver
 * runs on any machine. See Documentation/sim.rst.
 *
 * The module registers a platform driver "bam_dmux_sim" and one device of
 * it per modem (nr_modems). Probing a modem sets up, in order: its state,
 * its DMA engine (on the bam_dmux_sim.N device), its bdsim interfaces,
 * its debugfs directory, boots the modem (pc line up) and finally
 * registers the platform device "bam-dmux" id N, with the power-control
 * provider as platform data, for the driver to bind to. Removal undoes
 * this in reverse: the driver unbinds first, releasing its DMA channels.
 */
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include "sim.h"

static unsigned int nr_modems = 1;
module_param(nr_modems, uint, 0444);
MODULE_PARM_DESC(nr_modems, "number of simulated modems (1..4, default 1)");

static unsigned int channels = 0xff;
module_param(channels, uint, 0444);
MODULE_PARM_DESC(channels,
		 "initial value of every modem's channels knob (bitmask, default 0xff)");

static struct platform_device *sim_devs[SIM_MAX_MODEMS];

static void sim_teardown(struct sim_modem *sm)
{
	/* the driver unbinds: it stops the provider, releases its channels */
	if (!IS_ERR_OR_NULL(sm->pdev))
		platform_device_unregister(sm->pdev);
	sm->pdev = NULL;
	sim_debugfs_remove(sm);

	spin_lock_bh(&sm->lock);
	sm->dying = true;
	sm->started = false;
	spin_unlock_bh(&sm->lock);

	sim_pc_cleanup(sm);
	sim_ndev_destroy_all(sm);
	sim_dma_stop(sm);
	sim_air_stop(sm);
	sim_dma_unregister(sm);
	sim_modem_cleanup(sm);
	destroy_workqueue(sm->wq);
	kfree(sm);
}

static int sim_probe(struct platform_device *simdev)
{
	struct bam_dmux_platform_data pd;
	struct platform_device_info info;
	struct sim_modem *sm;
	int ret;

	sm = kzalloc(sizeof(*sm), GFP_KERNEL);
	if (!sm)
		return -ENOMEM;
	sm->id = simdev->id;
	sm->simdev = simdev;
	snprintf(sm->pdev_name, sizeof(sm->pdev_name), "bam-dmux.%u", sm->id);
	spin_lock_init(&sm->lock);
	mutex_init(&sm->ndev_lock);
	sm->channels = channels & 0xff;
	sim_modem_init(sm);
	sim_air_init(sm);
	sim_pc_init(sm);

	sm->wq = alloc_ordered_workqueue("bam_dmux_sim%u", 0, sm->id);
	if (!sm->wq) {
		kfree(sm);
		return -ENOMEM;
	}

	ret = sim_dma_register(sm);
	if (ret) {
		dev_err(&simdev->dev, "DMA engine: %d\n", ret);
		goto err;
	}
	ret = sim_ndev_sync(sm, sm->channels);
	if (ret) {
		dev_err(&simdev->dev, "interfaces: %d\n", ret);
		goto err;
	}
	sim_debugfs_add(sm);
	sim_pc_boot(sm);

	pd.pc_ops = &sim_pc_ops;
	pd.pc_provider = sm;
	memset(&info, 0, sizeof(info));
	info.parent = &simdev->dev;
	info.name = "bam-dmux";
	info.id = sm->id;
	info.data = &pd;
	info.size_data = sizeof(pd);
	sm->pdev = platform_device_register_full(&info);
	if (IS_ERR(sm->pdev)) {
		ret = PTR_ERR(sm->pdev);
		dev_err(&simdev->dev, "bam-dmux device: %d\n", ret);
		goto err;
	}

	platform_set_drvdata(simdev, sm);
	dev_info(&simdev->dev, "modem %u: channels 0x%02x, device %s\n",
		 sm->id, sm->channels, sm->pdev_name);
	return 0;

err:
	sim_teardown(sm);
	return ret;
}

static int sim_remove(struct platform_device *simdev)
{
	struct sim_modem *sm = platform_get_drvdata(simdev);

	sim_teardown(sm);
	return 0;
}

static struct platform_driver sim_driver = {
	.probe = sim_probe,
	.remove = sim_remove,
	.driver = {
		.name = SIM_DRV_NAME,
	},
};

static void sim_devs_remove(void)
{
	int i;

	for (i = SIM_MAX_MODEMS - 1; i >= 0; i--) {
		if (sim_devs[i])
			platform_device_unregister(sim_devs[i]);
		sim_devs[i] = NULL;
	}
}

static int __init sim_init(void)
{
	struct platform_device *pdev;
	unsigned int i;
	int ret;

	if (!nr_modems || nr_modems > SIM_MAX_MODEMS) {
		pr_err(SIM_DRV_NAME ": nr_modems must be 1..%d\n",
		       SIM_MAX_MODEMS);
		return -EINVAL;
	}

	sim_debugfs_init();
	ret = platform_driver_register(&sim_driver);
	if (ret)
		goto err_debugfs;

	for (i = 0; i < nr_modems; i++) {
		pdev = platform_device_register_simple(SIM_DRV_NAME, i, NULL, 0);
		if (IS_ERR(pdev)) {
			ret = PTR_ERR(pdev);
			goto err_devs;
		}
		sim_devs[i] = pdev;
		if (!platform_get_drvdata(pdev)) {
			ret = -ENODEV;	/* probe failed, it said why */
			goto err_devs;
		}
	}
	return 0;

err_devs:
	sim_devs_remove();
	platform_driver_unregister(&sim_driver);
err_debugfs:
	sim_debugfs_exit();
	return ret;
}

static void __exit sim_exit(void)
{
	sim_devs_remove();
	platform_driver_unregister(&sim_driver);
	sim_debugfs_exit();
}

module_init(sim_init);
module_exit(sim_exit);

MODULE_DESCRIPTION("Simulated Qualcomm BAM-DMUX modem");
MODULE_LICENSE("GPL");

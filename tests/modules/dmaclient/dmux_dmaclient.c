// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmux_dmaclient: a DMA client of bam_dmux_sim that is not the bam_dmux
 * driver, for tests/guest/15-sim-bam.sh.
 *
 * It takes the simulated BAM's two channels with dma_request_channel()
 * and a filter, and does with them what a test tells it to, whatever the
 * state of the modem: the guest test uses it to misbehave as no driver
 * should (post while the BAM has no power, keep the channels across the
 * BAM's power loss, terminate a pipe the modem writes into) and to check
 * that the simulator rejects and counts each of these, as the hardware
 * would fail them.
 *
 * Actions, in /sys/kernel/debug/dmux_dmaclient/ (write-only):
 *   request    take the "tx" and "rx" channels of modem <modem>
 *   release    terminate_sync on rx, release both, free every buffer
 *   post N     N RX buffers of 2048 bytes: map, prep DEV_TO_MEM, submit
 *              each, then one issue_pending for the batch
 *   terminate  dmaengine_terminate_sync() on rx, free every buffer
 * Read-only counters (since the module was loaded):
 *   posted     RX buffers submitted
 *   completed  RX completions seen
 *
 * Every buffer is unmapped and freed when it completes, on terminate, on
 * release and at module exit.
 */
#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#define DMACLIENT_NAME		"dmux_dmaclient"
#define DMACLIENT_SIM_DEV	"bam_dmux_sim"	/* the simulator's DMA device */
#define DMACLIENT_BUF_SIZE	2048		/* one BAM-DMUX RX buffer */
#define DMACLIENT_MAX_POST	256		/* buffers a post may ask for */

static unsigned int modem;
module_param(modem, uint, 0444);
MODULE_PARM_DESC(modem, "the simulated modem to take channels of (default 0)");

/* One posted RX buffer, on dc->bufs until it completes or is freed */
struct dmaclient_buf {
	struct list_head node;
	struct dmaclient *dc;
	struct device *dev;		/* mapped against this device */
	void *data;
	dma_addr_t addr;
};

/**
 * struct dmaclient - the client's state
 * @lock: serializes the actions (request, release, post, terminate)
 * @tx: the "tx" channel, NULL when not held
 * @rx: the "rx" channel, NULL when not held
 * @provider: the simulator's module, pinned while the channels are held
 * @buf_lock: protects @bufs, @posted and @completed (taken in callbacks)
 * @bufs: RX buffers posted and not completed
 * @posted: RX buffers submitted since load
 * @completed: RX completions seen since load
 * @dir: the debugfs directory
 */
struct dmaclient {
	struct mutex lock;
	struct dma_chan *tx;
	struct dma_chan *rx;
	struct module *provider;
	spinlock_t buf_lock;
	struct list_head bufs;
	u64 posted;
	u64 completed;
	struct dentry *dir;
};

static struct dmaclient dmaclient;

/* What the filter looks for: a channel of one device, by its slave name */
struct dmaclient_match {
	const char *devname;
	const char *slave;
};

/*
 * A channel of the simulator's DMA device "bam_dmux_sim.<modem>". Its
 * dma_slave_map (what dma_request_chan() resolves "tx" and "rx" through)
 * says which channel is which: "rx" is the DMA_DEV_TO_MEM one.
 */
static bool dmaclient_filter(struct dma_chan *chan, void *param)
{
	const struct dmaclient_match *m = param;
	const struct dma_filter *f = &chan->device->filter;
	int i;

	if (strcmp(dev_name(chan->device->dev), m->devname))
		return false;
	for (i = 0; i < f->mapcnt; i++)
		if (f->map[i].param == chan && !strcmp(f->map[i].slave, m->slave))
			return true;
	return false;
}

static struct dma_chan *dmaclient_chan_get(const char *slave)
{
	char devname[32];
	struct dmaclient_match m = { .devname = devname, .slave = slave };
	dma_cap_mask_t mask;

	snprintf(devname, sizeof(devname), DMACLIENT_SIM_DEV ".%u", modem);
	dma_cap_zero(mask);
	dma_cap_set(DMA_SLAVE, mask);
	return dma_request_channel(mask, dmaclient_filter, &m);
}

static void dmaclient_buf_free(struct dmaclient_buf *buf)
{
	dma_unmap_single(buf->dev, buf->addr, DMACLIENT_BUF_SIZE,
			 DMA_FROM_DEVICE);
	kfree(buf->data);
	kfree(buf);
}

/* Free every buffer still posted: no callback may run any more */
static void dmaclient_bufs_free(struct dmaclient *dc)
{
	struct dmaclient_buf *buf, *tmp;
	unsigned long flags;
	LIST_HEAD(head);

	spin_lock_irqsave(&dc->buf_lock, flags);
	list_splice_init(&dc->bufs, &head);
	spin_unlock_irqrestore(&dc->buf_lock, flags);

	list_for_each_entry_safe(buf, tmp, &head, node) {
		list_del(&buf->node);
		dmaclient_buf_free(buf);
	}
}

/* RX completion (the provider's tasklet): count it, free the buffer */
static void dmaclient_rx_done(void *param, const struct dmaengine_result *res)
{
	struct dmaclient_buf *buf = param;
	struct dmaclient *dc = buf->dc;
	unsigned long flags;

	spin_lock_irqsave(&dc->buf_lock, flags);
	list_del(&buf->node);
	dc->completed++;
	spin_unlock_irqrestore(&dc->buf_lock, flags);
	dmaclient_buf_free(buf);
}

/*
 * The simulator lets itself be unloaded while a client holds its channels
 * (it clears dma_device.owner, as it unbinds the bam_dmux driver first):
 * nothing would release ours, so pin its module while we hold them.
 */
static int dmaclient_request(struct dmaclient *dc)
{
	struct device_driver *drv;

	if (dc->rx)
		return -EBUSY;
	dc->tx = dmaclient_chan_get("tx");
	if (!dc->tx)
		return -ENODEV;
	drv = dc->tx->device->dev->driver;
	dc->provider = drv ? drv->owner : NULL;
	if (!try_module_get(dc->provider)) {
		dma_release_channel(dc->tx);
		dc->tx = NULL;
		return -ENODEV;
	}
	dc->rx = dmaclient_chan_get("rx");
	if (!dc->rx) {
		dma_release_channel(dc->tx);
		dc->tx = NULL;
		module_put(dc->provider);
		return -ENODEV;
	}
	return 0;
}

static void dmaclient_terminate(struct dmaclient *dc)
{
	dmaengine_terminate_sync(dc->rx);
	dmaclient_bufs_free(dc);
}

static int dmaclient_release(struct dmaclient *dc)
{
	if (!dc->rx)
		return -ENODEV;
	dmaclient_terminate(dc);
	dma_release_channel(dc->rx);
	dma_release_channel(dc->tx);
	dc->rx = NULL;
	dc->tx = NULL;
	module_put(dc->provider);
	dc->provider = NULL;
	return 0;
}

/* Map, prep and submit one RX buffer (not issued) */
static int dmaclient_post_one(struct dmaclient *dc)
{
	struct dma_async_tx_descriptor *desc;
	struct dmaclient_buf *buf;
	unsigned long flags;
	dma_cookie_t cookie;

	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	buf->dc = dc;
	buf->data = kmalloc(DMACLIENT_BUF_SIZE, GFP_KERNEL);
	if (!buf->data)
		goto err_buf;
	buf->dev = dmaengine_get_dma_device(dc->rx);
	buf->addr = dma_map_single(buf->dev, buf->data, DMACLIENT_BUF_SIZE,
				   DMA_FROM_DEVICE);
	if (dma_mapping_error(buf->dev, buf->addr))
		goto err_data;

	desc = dmaengine_prep_slave_single(dc->rx, buf->addr,
					   DMACLIENT_BUF_SIZE, DMA_DEV_TO_MEM,
					   DMA_PREP_INTERRUPT);
	if (!desc)
		goto err_map;
	desc->callback_result = dmaclient_rx_done;
	desc->callback_param = buf;

	/* on the list before it can complete (issue_pending comes later) */
	spin_lock_irqsave(&dc->buf_lock, flags);
	list_add_tail(&buf->node, &dc->bufs);
	spin_unlock_irqrestore(&dc->buf_lock, flags);

	cookie = dmaengine_submit(desc);
	if (dma_submit_error(cookie)) {
		spin_lock_irqsave(&dc->buf_lock, flags);
		list_del(&buf->node);
		spin_unlock_irqrestore(&dc->buf_lock, flags);
		goto err_map;
	}

	spin_lock_irqsave(&dc->buf_lock, flags);
	dc->posted++;
	spin_unlock_irqrestore(&dc->buf_lock, flags);
	return 0;

err_map:
	dma_unmap_single(buf->dev, buf->addr, DMACLIENT_BUF_SIZE,
			 DMA_FROM_DEVICE);
err_data:
	kfree(buf->data);
err_buf:
	kfree(buf);
	return -EIO;
}

static int dmaclient_post(struct dmaclient *dc, unsigned int n)
{
	unsigned int i;
	int ret = 0;

	if (!dc->rx)
		return -ENODEV;
	if (!n || n > DMACLIENT_MAX_POST)
		return -EINVAL;
	for (i = 0; i < n && !ret; i++)
		ret = dmaclient_post_one(dc);
	/* what was submitted is issued, even when a later buffer failed */
	dma_async_issue_pending(dc->rx);
	return ret;
}

/* debugfs */

static int dmaclient_request_set(void *data, u64 val)
{
	struct dmaclient *dc = data;
	int ret;

	mutex_lock(&dc->lock);
	ret = dmaclient_request(dc);
	mutex_unlock(&dc->lock);
	return ret;
}
DEFINE_DEBUGFS_ATTRIBUTE(dmaclient_request_fops, NULL, dmaclient_request_set,
			 "%llu\n");

static int dmaclient_release_set(void *data, u64 val)
{
	struct dmaclient *dc = data;
	int ret;

	mutex_lock(&dc->lock);
	ret = dmaclient_release(dc);
	mutex_unlock(&dc->lock);
	return ret;
}
DEFINE_DEBUGFS_ATTRIBUTE(dmaclient_release_fops, NULL, dmaclient_release_set,
			 "%llu\n");

static int dmaclient_post_set(void *data, u64 val)
{
	struct dmaclient *dc = data;
	int ret;

	if (val > DMACLIENT_MAX_POST)
		return -EINVAL;
	mutex_lock(&dc->lock);
	ret = dmaclient_post(dc, val);
	mutex_unlock(&dc->lock);
	return ret;
}
DEFINE_DEBUGFS_ATTRIBUTE(dmaclient_post_fops, NULL, dmaclient_post_set,
			 "%llu\n");

static int dmaclient_terminate_set(void *data, u64 val)
{
	struct dmaclient *dc = data;
	int ret = 0;

	mutex_lock(&dc->lock);
	if (dc->rx)
		dmaclient_terminate(dc);
	else
		ret = -ENODEV;
	mutex_unlock(&dc->lock);
	return ret;
}
DEFINE_DEBUGFS_ATTRIBUTE(dmaclient_terminate_fops, NULL,
			 dmaclient_terminate_set, "%llu\n");

static int dmaclient_posted_get(void *data, u64 *val)
{
	struct dmaclient *dc = data;
	unsigned long flags;

	spin_lock_irqsave(&dc->buf_lock, flags);
	*val = dc->posted;
	spin_unlock_irqrestore(&dc->buf_lock, flags);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(dmaclient_posted_fops, dmaclient_posted_get, NULL,
			 "%llu\n");

static int dmaclient_completed_get(void *data, u64 *val)
{
	struct dmaclient *dc = data;
	unsigned long flags;

	spin_lock_irqsave(&dc->buf_lock, flags);
	*val = dc->completed;
	spin_unlock_irqrestore(&dc->buf_lock, flags);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(dmaclient_completed_fops, dmaclient_completed_get,
			 NULL, "%llu\n");

static int __init dmaclient_init(void)
{
	struct dmaclient *dc = &dmaclient;
	struct dentry *d;

	mutex_init(&dc->lock);
	spin_lock_init(&dc->buf_lock);
	INIT_LIST_HEAD(&dc->bufs);

	d = debugfs_create_dir(DMACLIENT_NAME, NULL);
	dc->dir = d;
	debugfs_create_file_unsafe("request", 0200, d, dc,
				   &dmaclient_request_fops);
	debugfs_create_file_unsafe("release", 0200, d, dc,
				   &dmaclient_release_fops);
	debugfs_create_file_unsafe("post", 0200, d, dc, &dmaclient_post_fops);
	debugfs_create_file_unsafe("terminate", 0200, d, dc,
				   &dmaclient_terminate_fops);
	debugfs_create_file_unsafe("posted", 0444, d, dc,
				   &dmaclient_posted_fops);
	debugfs_create_file_unsafe("completed", 0444, d, dc,
				   &dmaclient_completed_fops);
	return 0;
}

static void __exit dmaclient_exit(void)
{
	struct dmaclient *dc = &dmaclient;

	/* no action runs once the files are gone */
	debugfs_remove_recursive(dc->dir);
	mutex_lock(&dc->lock);
	dmaclient_release(dc);
	mutex_unlock(&dc->lock);
}

module_init(dmaclient_init);
module_exit(dmaclient_exit);
MODULE_DESCRIPTION("A DMA client of bam_dmux_sim that misbehaves on purpose");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0-only
/*
 * BAM-DMUX power control on Qualcomm SoCs: our two bits are SMSM/SMP2P
 * smem states ("pc", "pc-ack" in qcom,smem-state-names), the modem's two
 * bits arrive as interrupts ("pc" on both edges, "pc-ack").
 *
 * Both interrupts are threaded; a mutex delivers their events one at a
 * time, as the provider interface requires. Edges that come while the
 * handler runs merge into one interrupt, so the pc line's level is read
 * from the interrupt controller (at probe and on every pc interrupt) and
 * every interrupt is passed on, even with the level unchanged: the core
 * acks each one, and the modem waits for that ack.
 */
#include <linux/interrupt.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/soc/qcom/smem_state.h>

#include "bam_dmux.h"

struct bam_dmux_qcom {
	struct device *dev;
	struct qcom_smem_state *pc;
	struct qcom_smem_state *pc_ack;
	u32 pc_mask;
	u32 pc_ack_mask;
	bool pc_ack_state;
	int pc_irq;
	int pc_ack_irq;

	struct mutex lock;		/* one event at a time */
	const struct bam_dmux_pc_events *events;
	void *ctx;
};

static bool bam_dmux_qcom_level(struct bam_dmux_qcom *q)
{
	bool level = false;

	if (irq_get_irqchip_state(q->pc_irq, IRQCHIP_STATE_LINE_LEVEL, &level))
		return false;
	return level;
}

static irqreturn_t bam_dmux_qcom_pc_irq(int irq, void *data)
{
	struct bam_dmux_qcom *q = data;

	mutex_lock(&q->lock);
	q->events->remote_power(q->ctx, bam_dmux_qcom_level(q));
	mutex_unlock(&q->lock);
	return IRQ_HANDLED;
}

static irqreturn_t bam_dmux_qcom_pc_ack_irq(int irq, void *data)
{
	struct bam_dmux_qcom *q = data;

	mutex_lock(&q->lock);
	q->events->remote_ack(q->ctx);
	mutex_unlock(&q->lock);
	return IRQ_HANDLED;
}

static int bam_dmux_qcom_start(void *provider,
			       const struct bam_dmux_pc_events *events,
			       void *ctx)
{
	struct bam_dmux_qcom *q = provider;

	q->events = events;
	q->ctx = ctx;
	enable_irq(q->pc_irq);
	enable_irq(q->pc_ack_irq);
	return 0;
}

static void bam_dmux_qcom_stop(void *provider)
{
	struct bam_dmux_qcom *q = provider;

	/* waits for running threaded handlers */
	disable_irq(q->pc_irq);
	disable_irq(q->pc_ack_irq);
}

static void bam_dmux_qcom_vote(void *provider, bool on)
{
	struct bam_dmux_qcom *q = provider;

	qcom_smem_state_update_bits(q->pc, q->pc_mask, on ? q->pc_mask : 0);
}

static void bam_dmux_qcom_ack(void *provider)
{
	struct bam_dmux_qcom *q = provider;

	q->pc_ack_state = !q->pc_ack_state;
	qcom_smem_state_update_bits(q->pc_ack, q->pc_ack_mask,
				    q->pc_ack_state ? q->pc_ack_mask : 0);
}

static bool bam_dmux_qcom_remote_power_level(void *provider)
{
	return bam_dmux_qcom_level(provider);
}

static const struct bam_dmux_pc_ops bam_dmux_qcom_ops = {
	.start = bam_dmux_qcom_start,
	.stop = bam_dmux_qcom_stop,
	.vote = bam_dmux_qcom_vote,
	.ack = bam_dmux_qcom_ack,
	.remote_power_level = bam_dmux_qcom_remote_power_level,
};

static int bam_dmux_qcom_irq(struct bam_dmux_qcom *q, const char *name,
			     irq_handler_t handler, int *irq)
{
	struct platform_device *pdev = to_platform_device(q->dev);
	int ret;

	*irq = platform_get_irq_byname(pdev, name);
	if (*irq < 0)
		return *irq;
	/* enabled by start(): no event before the core is ready for it */
	ret = devm_request_threaded_irq(q->dev, *irq, NULL, handler,
					IRQF_ONESHOT | IRQF_NO_AUTOEN,
					dev_name(q->dev), q);
	if (ret)
		return dev_err_probe(q->dev, ret, "cannot request %s IRQ\n",
				     name);
	return 0;
}

int bam_dmux_pc_qcom_get(struct device *dev, const struct bam_dmux_pc_ops **ops,
			 void **provider)
{
	struct bam_dmux_qcom *q;
	unsigned int bit;
	int ret;

	if (!dev->of_node)
		return -ENODEV;

	q = devm_kzalloc(dev, sizeof(*q), GFP_KERNEL);
	if (!q)
		return -ENOMEM;
	q->dev = dev;
	mutex_init(&q->lock);

	q->pc = devm_qcom_smem_state_get(dev, "pc", &bit);
	if (IS_ERR(q->pc))
		return dev_err_probe(dev, PTR_ERR(q->pc),
				     "cannot get the pc smem state\n");
	q->pc_mask = BIT(bit);

	q->pc_ack = devm_qcom_smem_state_get(dev, "pc-ack", &bit);
	if (IS_ERR(q->pc_ack))
		return dev_err_probe(dev, PTR_ERR(q->pc_ack),
				     "cannot get the pc-ack smem state\n");
	q->pc_ack_mask = BIT(bit);

	ret = bam_dmux_qcom_irq(q, "pc", bam_dmux_qcom_pc_irq, &q->pc_irq);
	if (ret)
		return ret;
	ret = bam_dmux_qcom_irq(q, "pc-ack", bam_dmux_qcom_pc_ack_irq,
				&q->pc_ack_irq);
	if (ret)
		return ret;

	*ops = &bam_dmux_qcom_ops;
	*provider = q;
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * BAM-DMUX power control: the interface between the driver core and the
 * provider of the two-way power-control handshake.
 *
 * The host and the modem each own two single-bit lines: "pc" (I want the
 * link powered) and "pc-ack" (toggled to acknowledge the other side's last
 * pc change). On Qualcomm SoCs the host's bits are SMSM/SMP2P smem states
 * and the modem's bits arrive as interrupts; the simulated modem provides
 * the same through this interface. The driver core only ever talks to a
 * struct bam_dmux_pc.
 *
 * Contract:
 *  - Events are delivered in process context (they may sleep), one at a
 *    time per provider and in the order the modem raised them, from start()
 *    until stop() returns.
 *  - vote() and ack() may be called from any context that may sleep and
 *    never block for the remote side: the answer arrives as an event.
 *  - remote_power_level() reads the current level of the modem's pc line,
 *    as hardware allows at probe.
 */
#ifndef BAM_DMUX_PC_H
#define BAM_DMUX_PC_H

#include <linux/types.h>

struct device;

/**
 * struct bam_dmux_pc_events - what the modem's two lines tell the core
 * @remote_power: an interrupt of the modem's pc line; @on is the line's
 *	level now. Edges that came while the previous event was handled may
 *	have merged into this one (a threaded interrupt), so @on may equal
 *	the level the core saw last. The core acks every call with ack().
 * @remote_ack: an interrupt of the modem's pc-ack line: it saw our last
 *	vote. Merged toggles arrive as one call.
 */
struct bam_dmux_pc_events {
	void (*remote_power)(void *ctx, bool on);
	void (*remote_ack)(void *ctx);
};

/**
 * struct bam_dmux_pc_ops - a power-control provider
 * @start: deliver @events to @ctx from now on
 * @stop: deliver nothing more; returns once no event runs
 * @vote: set our pc line (we want the link powered: @on)
 * @ack: toggle our pc-ack line (we handled the modem's last pc event)
 * @remote_power_level: the modem's pc line now, as read at probe
 */
struct bam_dmux_pc_ops {
	int (*start)(void *provider, const struct bam_dmux_pc_events *events,
		     void *ctx);
	void (*stop)(void *provider);
	void (*vote)(void *provider, bool on);
	void (*ack)(void *provider);
	bool (*remote_power_level)(void *provider);
};

/*
 * Platform data of a "bam-dmux" device whose power control is not
 * described by the device tree (the simulated modem passes this).
 */
struct bam_dmux_platform_data {
	const struct bam_dmux_pc_ops *pc_ops;
	void *pc_provider;
};

#endif /* BAM_DMUX_PC_H */

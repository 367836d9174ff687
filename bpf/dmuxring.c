// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmuxring: RX and TX ring occupancy of the BAM-DMUX driver. Per interval
 * and device: histograms of RX buffers posted at each NAPI poll and of TX
 * descriptors in flight at each submit, how often the RX ring ran empty
 * and the TX ring was full.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "trace_helpers.h"
#include "dmuxring.h"
#include "dmuxring.skel.h"
#include "dmuxring.tp.skel.h"

DMUX_SKELETONS(dmuxring)

const char *argp_program_version = "dmuxring 0.1";
static const char doc[] =
"Summarize RX and TX ring occupancy of the BAM-DMUX driver.\n"
"\n"
"USAGE: dmuxring [-h] [-v] [-T] [-j] [-d DEV] [interval] [count]\n"
"\n"
"RX: buffers still posted to the DMA engine when a NAPI poll had taken its\n"
"completed frames, before refilling; 'ring empty' counts polls that found\n"
"every posted buffer filled (the modem had to hold further frames).\n"
"TX: descriptors in flight at each DATA frame submitted; 'ring full' counts\n"
"the times the driver stopped its queues; 'completions' counts the DATA\n"
"frames that left the ring (each frame of an abort included), 'other' the\n"
"command frames (OPEN, CLOSE) and frames submitted before the tool started.\n"
"\n"
"EXAMPLES:\n"
"    dmuxring              # every second until Ctrl-C\n"
"    dmuxring -T 5         # every 5 s, with timestamps\n"
"    dmuxring -j 1 10      # ten JSON lines";

static const struct argp_child children[] = {
	{ &dmux_common_argp, 0, NULL, 0 },
	{},
};

static const struct argp argp = {
	.doc = doc,
	.children = children,
};

static struct ring_rx_counters prev_rx[DMUX_MAX_DEVS];
static struct ring_tx_counters prev_tx[DMUX_MAX_DEVS];

static void read_counters(const volatile struct dmuxring_data *data, int i,
			  struct ring_rx_counters *rx, struct ring_tx_counters *tx)
{
	memcpy(rx, (void *)&data->devs[i].rx.c, sizeof(*rx));
	memcpy(tx, (void *)&data->devs[i].tx.c, sizeof(*tx));
}

/* a JSON number, or null when the interval saw none */
static void json_extreme(cJSON *o, const char *name, bool valid, __u64 v)
{
	if (valid)
		cJSON_AddNumberToObject(o, name, v);
	else
		cJSON_AddNullToObject(o, name);
}

static void print_interval(struct dmux_obj *o, double elapsed)
{
	volatile struct dmuxring_data *data = o->data;
	struct dmux_name names[DMUX_MAX_DEVS];
	cJSON *root = NULL, *devs = NULL;
	int i, used;
	__u64 ended;

	dmux_extremes_next(&data->epoch, &ended);
	used = dmux_read_devs(o, names);
	if (env.json) {
		root = dmux_json_interval(elapsed);
		devs = cJSON_AddArrayToObject(root, "devices");
	} else {
		if (env.timestamp)
			printf("%-8s\n", dmux_time_str());
		if (!used)
			printf("(no bam-dmux events)\n");
	}

	for (i = 0; i < DMUX_MAX_DEVS; i++) {
		volatile struct ring_dev *rd = &data->devs[i];
		struct ring_rx_counters rx, drx;
		struct ring_tx_counters tx, dtx;
		__u64 left_min, left_max, lvl_min, lvl_max, inf_min, inf_max;
		bool has_left, has_lvl, has_inf;

		if (!names[i].name[0])
			continue;
		read_counters(data, i, &rx, &tx);
		dmux_delta((__u64 *)&drx, (__u64 *)&rx, (__u64 *)&prev_rx[i],
			   RING_RX_NR_COUNTERS);
		dmux_delta((__u64 *)&dtx, (__u64 *)&tx, (__u64 *)&prev_tx[i],
			   RING_TX_NR_COUNTERS);
		prev_rx[i] = rx;
		prev_tx[i] = tx;
		has_left = dmux_extreme_get(rd->rx.left, ended, &left_min, &left_max);
		has_lvl = dmux_extreme_get(rd->rx.level, ended, &lvl_min, &lvl_max);
		has_inf = dmux_extreme_get(rd->tx.at_submit, ended, &inf_min, &inf_max);

		if (env.json) {
			cJSON *j = cJSON_CreateObject();

			cJSON_AddStringToObject(j, "dev", names[i].name);
			cJSON_AddNumberToObject(j, "polls", drx.polls);
			cJSON_AddNumberToObject(j, "rx_empty", drx.empty);
			cJSON_AddNumberToObject(j, "rx_unknown", drx.unknown);
			cJSON_AddNumberToObject(j, "refills", drx.refills);
			cJSON_AddNumberToObject(j, "rx_posted", rd->rx.posted);
			json_extreme(j, "rx_posted_min", has_left, left_min);
			json_extreme(j, "rx_posted_max", has_lvl, lvl_max);
			cJSON_AddNumberToObject(j, "tx_submits", dtx.submits);
			cJSON_AddNumberToObject(j, "tx_cmds", dtx.cmds);
			cJSON_AddNumberToObject(j, "tx_done", dtx.done);
			cJSON_AddNumberToObject(j, "tx_done_cmds", dtx.done_cmds);
			cJSON_AddNumberToObject(j, "tx_done_other", dtx.done_other);
			cJSON_AddNumberToObject(j, "tx_aborted", dtx.aborted);
			cJSON_AddNumberToObject(j, "tx_full", dtx.full);
			cJSON_AddNumberToObject(j, "tx_wakes", dtx.wakes);
			cJSON_AddNumberToObject(j, "tx_inflight", rd->tx.inflight);
			json_extreme(j, "tx_inflight_max", has_inf, inf_max);
			cJSON_AddItemToObject(j, "rx_posted_hist",
					      dmux_hist_json(drx.posted_hist,
							     DMUX_HIST_SLOTS,
							     DMUX_HIST_LOG2));
			cJSON_AddItemToObject(j, "tx_inflight_hist",
					      dmux_hist_json(dtx.inflight_hist,
							     DMUX_HIST_SLOTS,
							     DMUX_HIST_LOG2));
			cJSON_AddItemToArray(devs, j);
			continue;
		}
		printf("%s:\n", names[i].name);
		printf("  RX: %llu polls, ring empty at %llu (%.1f%%), %llu refills; posted now %llu",
		       drx.polls, drx.empty,
		       drx.polls ? 100.0 * drx.empty / drx.polls : 0.0,
		       drx.refills, (unsigned long long)rd->rx.posted);
		if (has_left)
			printf(", fewest left at a poll %llu", left_min);
		printf("\n");
		printf("  TX: %llu submits (+%llu commands), ring full %llu, woken %llu, %llu completions (commands %llu, other %llu), %llu aborted; in flight now %llu",
		       dtx.submits, dtx.cmds, dtx.full, dtx.wakes, dtx.done,
		       dtx.done_cmds, dtx.done_other, dtx.aborted,
		       (unsigned long long)rd->tx.inflight);
		if (has_inf)
			printf(", max %llu", inf_max);
		printf("\n");
		dmux_print_hist(drx.posted_hist, DMUX_HIST_SLOTS, DMUX_HIST_LOG2,
				"rx left at poll");
		dmux_print_hist(dtx.inflight_hist, DMUX_HIST_SLOTS, DMUX_HIST_LOG2,
				"tx in flight");
		printf("\n");
	}
	if (env.json)
		dmux_json_print(root);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct dmux_cfg cfg = { .ch = -1 };
	struct dmux_obj obj;
	int i;

	dmux_setup("dmuxring");
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return 1;
	if (dmux_open(&obj, dmuxring_open_skel, &cfg))
		return 1;
	/*
	 * Count from here: the programs attach one by one, so events seen
	 * before the last one was attached would skew the first interval.
	 */
	for (i = 0; i < DMUX_MAX_DEVS; i++)
		read_counters(obj.data, i, &prev_rx[i], &prev_tx[i]);
	if (!env.json)
		printf("Tracing bam-dmux rings... Hit Ctrl-C to end.\n");
	return dmux_run(&obj, print_interval);
}

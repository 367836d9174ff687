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

const char *argp_program_version = "dmuxring 0.1";
static const char doc[] =
"Summarize RX and TX ring occupancy of the BAM-DMUX driver.\n"
"\n"
"USAGE: dmuxring [-h] [-v] [-T] [-j] [-d DEV] [interval] [count]\n"
"\n"
"RX: buffers still posted to the DMA engine when a NAPI poll had taken its\n"
"completed frames, before refilling; 'ring empty' counts polls that found\n"
"every posted buffer filled (the modem had to hold further frames).\n"
"TX: descriptors in flight at each submit; 'ring full' counts the times\n"
"the driver stopped its queues.\n"
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

static struct ring_counters prev[DMUX_MAX_DEVS];

static void reset_extremes(struct dmuxring_bpf *skel, int i)
{
	skel->bss->gauges[i].rx_posted_min = ~0ULL;
	skel->bss->gauges[i].rx_posted_max = 0;
	skel->bss->gauges[i].tx_inflight_max = 0;
}

static void print_interval(struct dmuxring_bpf *skel, double elapsed)
{
	struct dmux_name names[DMUX_MAX_DEVS];
	cJSON *root = NULL, *devs = NULL;
	int i, used;

	used = dmux_read_devs(skel->maps.devs, names);
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
		struct ring_counters now, d;
		struct ring_gauges g;
		long rx_min;

		if (!names[i].name[0])
			continue;
		memcpy(&now, (void *)&skel->bss->counters[i], sizeof(now));
		memcpy(&g, (void *)&skel->bss->gauges[i], sizeof(g));
		reset_extremes(skel, i);
		dmux_delta((__u64 *)&d, (__u64 *)&now, (__u64 *)&prev[i],
			   RING_NR_COUNTERS);
		prev[i] = now;
		rx_min = g.rx_posted_min == ~0ULL ? -1 : (long)g.rx_posted_min;

		if (env.json) {
			cJSON *o = cJSON_CreateObject();

			cJSON_AddStringToObject(o, "dev", names[i].name);
			cJSON_AddNumberToObject(o, "polls", d.polls);
			cJSON_AddNumberToObject(o, "rx_empty", d.rx_empty);
			cJSON_AddNumberToObject(o, "rx_unknown", d.rx_unknown);
			cJSON_AddNumberToObject(o, "refills", d.refills);
			cJSON_AddNumberToObject(o, "refill_empty", d.refill_empty);
			cJSON_AddNumberToObject(o, "rx_posted", g.rx_posted);
			if (rx_min >= 0)
				cJSON_AddNumberToObject(o, "rx_posted_min", rx_min);
			else
				cJSON_AddNullToObject(o, "rx_posted_min");
			cJSON_AddNumberToObject(o, "rx_posted_max", g.rx_posted_max);
			cJSON_AddNumberToObject(o, "tx_submits", d.tx_submits);
			cJSON_AddNumberToObject(o, "tx_done", d.tx_done);
			cJSON_AddNumberToObject(o, "tx_full", d.tx_full);
			cJSON_AddNumberToObject(o, "tx_wakes", d.tx_wakes);
			cJSON_AddNumberToObject(o, "tx_inflight", g.tx_inflight);
			cJSON_AddNumberToObject(o, "tx_inflight_max", g.tx_inflight_max);
			cJSON_AddItemToObject(o, "rx_posted_hist",
					      dmux_log2_hist_json(d.rx_posted_hist,
								  DMUX_HIST_SLOTS));
			cJSON_AddItemToObject(o, "tx_inflight_hist",
					      dmux_log2_hist_json(d.tx_inflight_hist,
								  DMUX_HIST_SLOTS));
			cJSON_AddItemToArray(devs, o);
			continue;
		}
		printf("%s:\n", names[i].name);
		printf("  RX: %llu polls, ring empty at %llu (%.1f%%), %llu refills; posted now %llu",
		       d.polls, d.rx_empty,
		       d.polls ? 100.0 * d.rx_empty / d.polls : 0.0,
		       d.refills, g.rx_posted);
		if (rx_min >= 0)
			printf(", fewest left at a poll %ld", rx_min);
		printf("\n");
		printf("  TX: %llu submits, ring full %llu, woken %llu, %llu completions; in flight now %llu, max %llu\n",
		       d.tx_submits, d.tx_full, d.tx_wakes, d.tx_done,
		       g.tx_inflight, g.tx_inflight_max);
		dmux_print_log2_hist(d.rx_posted_hist, DMUX_HIST_SLOTS,
				     "rx left at poll");
		dmux_print_log2_hist(d.tx_inflight_hist, DMUX_HIST_SLOTS,
				     "tx in flight");
		printf("\n");
	}
	if (env.json)
		dmux_json_print(root);
	fflush(stdout);
}

static struct dmuxring_bpf *open_load(enum dmux_attach mode)
{
	struct dmuxring_bpf *skel = dmuxring_bpf__open();

	if (!skel)
		return NULL;
	dmux_set_targ_dev(skel->rodata->targ_dev);
	dmux_set_attach(skel->obj, mode);
	if (dmuxring_bpf__load(skel)) {
		dmuxring_bpf__destroy(skel);
		return NULL;
	}
	return skel;
}

int main(int argc, char **argv)
{
	struct dmuxring_bpf *skel;
	enum dmux_attach mode;
	double elapsed;
	int err, i;

	dmux_setup("dmuxring");
	err = argp_parse(&argp, argc, argv, 0, NULL, NULL);
	if (err)
		return 1;

	mode = dmux_probe_attach();
	if (mode == DMUX_ATTACH_NONE)
		return dmux_no_tracepoints();
	skel = open_load(mode);
	if (!skel && mode == DMUX_ATTACH_TP_BTF) {
		mode = DMUX_ATTACH_RAW_TP;
		skel = open_load(mode);
	}
	if (!skel) {
		fprintf(stderr, "dmuxring: failed to load BPF programs (-v for details)\n");
		return 1;
	}
	for (i = 0; i < DMUX_MAX_DEVS; i++)
		reset_extremes(skel, i);
	err = dmuxring_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "dmuxring: failed to attach to bam_dmux tracepoints (%s): %s\n",
			dmux_attach_name(mode), strerror(-err));
		goto out;
	}
	/*
	 * Count from here: the programs attach one by one, so events seen
	 * before the last one was attached would skew the first interval.
	 */
	memcpy(prev, (void *)skel->bss->counters, sizeof(prev));
	if (env.verbose)
		fprintf(stderr, "dmuxring: attached with %s\n", dmux_attach_name(mode));
	if (!env.json)
		printf("Tracing bam-dmux rings... Hit Ctrl-C to end.\n");

	dmux_interval_start();
	do {
		dmux_wait_interval(&elapsed);
		print_interval(skel, elapsed);
	} while (!dmux_last_interval());
out:
	dmuxring_bpf__destroy(skel);
	return err ? 1 : 0;
}

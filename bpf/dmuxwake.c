// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmuxwake: power-control wake latency of the BAM-DMUX driver. Per interval
 * and device: a histogram of the time from the host's pc=1 vote until the
 * data path was ready, with timeouts; how long TX waited while suspended;
 * and how often the modem powered up on its own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "trace_helpers.h"
#include "dmuxwake.h"
#include "dmuxwake.skel.h"
#include "dmuxwake.tp.skel.h"

DMUX_SKELETONS(dmuxwake)

static bool milliseconds;

const char *argp_program_version = "dmuxwake 0.1";
static const char doc[] =
"Summarize BAM-DMUX power-control wake-ups.\n"
"\n"
"USAGE: dmuxwake [-h] [-v] [-T] [-j] [-m] [-d DEV] [interval] [count]\n"
"\n"
"wake: from the host's pc=1 vote until the modem acked, its pc line was up\n"
"and the data path ready (bam_dmux_wake); timeouts are wakes that gave up\n"
"after the 2 s remote timeout. tx deferral: from the first frame queued\n"
"while suspended until the next frame sent (a DATA frame's submit, or any\n"
"frame's completion: OPEN and CLOSE report no submit). remote wakes:\n"
"the modem raised its pc line while the host's vote was off.\n"
"\n"
"EXAMPLES:\n"
"    dmuxwake              # every second until Ctrl-C, in microseconds\n"
"    dmuxwake -m 10        # every 10 s, in milliseconds\n"
"    dmuxwake -j 1 5       # five JSON lines";

static const struct argp_option opts[] = {
	{ "milliseconds", 'm', NULL, 0, "Histograms in milliseconds", 0 },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	(void)arg;
	(void)state;
	switch (key) {
	case 'm':
		milliseconds = true;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = {
	{ &dmux_common_argp, 0, NULL, 0 },
	{},
};

static const struct argp argp = {
	.options = opts,
	.parser = parse_arg,
	.doc = doc,
	.children = children,
};

static struct wake_counters prev[DMUX_MAX_DEVS];

static void print_interval(struct dmux_obj *o, double elapsed)
{
	const char *unit = milliseconds ? "msecs" : "usecs";
	volatile struct dmuxwake_data *data = o->data;
	struct dmux_name names[DMUX_MAX_DEVS];
	cJSON *root = NULL, *devs = NULL;
	int i, used;
	__u64 ended;

	dmux_extremes_next(&data->epoch, &ended);
	used = dmux_read_devs(o, names);
	if (env.json) {
		root = dmux_json_interval(elapsed);
		cJSON_AddStringToObject(root, "unit", milliseconds ? "ms" : "us");
		devs = cJSON_AddArrayToObject(root, "devices");
	} else {
		if (env.timestamp)
			printf("%-8s\n", dmux_time_str());
		if (!used)
			printf("(no bam-dmux events)\n");
	}

	for (i = 0; i < DMUX_MAX_DEVS; i++) {
		struct wake_counters now, d;
		__u64 min_ns = 0, max_ns = 0;
		bool extremes;
		double avg_us;

		if (!names[i].name[0])
			continue;
		memcpy(&now, (void *)&data->devs[i].c, sizeof(now));
		extremes = dmux_extreme_get(data->devs[i].wake_ns, ended,
					    &min_ns, &max_ns);
		dmux_delta((__u64 *)&d, (__u64 *)&now, (__u64 *)&prev[i],
			   WAKE_NR_COUNTERS);
		prev[i] = now;
		avg_us = d.wakes ? d.wake_ns / 1000.0 / d.wakes : 0;

		if (env.json) {
			cJSON *j = cJSON_CreateObject();

			cJSON_AddStringToObject(j, "dev", names[i].name);
			cJSON_AddNumberToObject(j, "wakes", d.wakes);
			cJSON_AddNumberToObject(j, "timeouts", d.timeouts);
			cJSON_AddNumberToObject(j, "errors", d.errors);
			if (d.wakes)
				cJSON_AddNumberToObject(j, "wake_avg_us", avg_us);
			if (d.wakes && extremes) {
				cJSON_AddNumberToObject(j, "wake_min_us", min_ns / 1000.0);
				cJSON_AddNumberToObject(j, "wake_max_us", max_ns / 1000.0);
			}
			cJSON_AddItemToObject(j, "wake_hist",
					      dmux_hist_json(d.wake_hist, DMUX_HIST_SLOTS,
							     DMUX_HIST_LOG2));
			cJSON_AddNumberToObject(j, "deferred", d.deferred);
			cJSON_AddNumberToObject(j, "defer_waits", d.defer_waits);
			cJSON_AddItemToObject(j, "defer_hist",
					      dmux_hist_json(d.defer_hist, DMUX_HIST_SLOTS,
							     DMUX_HIST_LOG2));
			cJSON_AddNumberToObject(j, "votes_on", d.votes_on);
			cJSON_AddNumberToObject(j, "votes_off", d.votes_off);
			cJSON_AddNumberToObject(j, "acks", d.acks);
			cJSON_AddNumberToObject(j, "remote_up", d.remote_up);
			cJSON_AddNumberToObject(j, "remote_down", d.remote_down);
			cJSON_AddNumberToObject(j, "remote_wakes", d.remote_wakes);
			cJSON_AddItemToArray(devs, j);
			continue;
		}
		printf("%s:\n", names[i].name);
		printf("  wakes %llu, timeouts %llu, errors %llu", d.wakes,
		       d.timeouts, d.errors);
		if (d.wakes && extremes)
			printf("; latency min %.0f avg %.0f max %.0f us",
			       min_ns / 1000.0, avg_us, max_ns / 1000.0);
		else if (d.wakes)
			printf("; latency avg %.0f us", avg_us);
		printf("\n  votes on %llu off %llu, acks %llu; modem pc up %llu down %llu, remote wakes %llu\n",
		       d.votes_on, d.votes_off, d.acks, d.remote_up,
		       d.remote_down, d.remote_wakes);
		printf("  tx deferred %llu frames in %llu waits\n", d.deferred,
		       d.defer_waits);
		printf("  wake latency:\n");
		dmux_print_hist(d.wake_hist, DMUX_HIST_SLOTS, DMUX_HIST_LOG2, unit);
		if (d.defer_waits) {
			printf("  tx deferral:\n");
			dmux_print_hist(d.defer_hist, DMUX_HIST_SLOTS, DMUX_HIST_LOG2,
					unit);
		}
		printf("\n");
	}
	if (env.json)
		dmux_json_print(root);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct dmux_cfg cfg = { .ch = -1 };
	struct dmuxwake_data *data;
	struct dmux_obj obj;
	int i;

	dmux_setup("dmuxwake");
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return 1;
	cfg.ms = milliseconds;
	if (dmux_open(&obj, dmuxwake_open_skel, &cfg))
		return 1;
	data = obj.data;
	/*
	 * Count from here: the programs attach one by one, so events seen
	 * before the last one was attached would skew the first interval.
	 */
	for (i = 0; i < DMUX_MAX_DEVS; i++)
		prev[i] = data->devs[i].c;
	if (!env.json)
		printf("Tracing bam-dmux wake-ups... Hit Ctrl-C to end.\n");
	return dmux_run(&obj, print_interval);
}

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

static bool milliseconds;

const char *argp_program_version = "dmuxwake 0.1";
static const char doc[] =
"Summarize BAM-DMUX power-control wake-ups.\n"
"\n"
"USAGE: dmuxwake [-h] [-v] [-T] [-j] [-m] [-d DEV] [interval] [count]\n"
"\n"
"wake: from the host's pc=1 vote until the modem acked, its pc line was up\n"
"and the data path ready (bam_dmux_wake); timeouts are wakes that gave up\n"
"after the 2 s remote timeout. tx deferral: from the first packet queued\n"
"while suspended until the first packet submitted after it. remote wakes:\n"
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

static void reset_extremes(struct dmuxwake_bpf *skel, int i)
{
	skel->bss->gauges[i].wake_min_ns = ~0ULL;
	skel->bss->gauges[i].wake_max_ns = 0;
}

static void print_interval(struct dmuxwake_bpf *skel, double elapsed)
{
	const char *unit = milliseconds ? "msecs" : "usecs";
	struct dmux_name names[DMUX_MAX_DEVS];
	cJSON *root = NULL, *devs = NULL;
	int i, used;

	used = dmux_read_devs(skel->maps.devs, names);
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
		struct wake_gauges g;
		double avg_us;

		if (!names[i].name[0])
			continue;
		memcpy(&now, (void *)&skel->bss->counters[i], sizeof(now));
		memcpy(&g, (void *)&skel->bss->gauges[i], sizeof(g));
		reset_extremes(skel, i);
		dmux_delta((__u64 *)&d, (__u64 *)&now, (__u64 *)&prev[i],
			   WAKE_NR_COUNTERS);
		prev[i] = now;
		avg_us = d.wakes ? d.wake_ns / 1000.0 / d.wakes : 0;

		if (env.json) {
			cJSON *o = cJSON_CreateObject();

			cJSON_AddStringToObject(o, "dev", names[i].name);
			cJSON_AddNumberToObject(o, "wakes", d.wakes);
			cJSON_AddNumberToObject(o, "timeouts", d.timeouts);
			cJSON_AddNumberToObject(o, "errors", d.errors);
			if (d.wakes) {
				cJSON_AddNumberToObject(o, "wake_min_us", g.wake_min_ns / 1000.0);
				cJSON_AddNumberToObject(o, "wake_avg_us", avg_us);
				cJSON_AddNumberToObject(o, "wake_max_us", g.wake_max_ns / 1000.0);
			}
			cJSON_AddItemToObject(o, "wake_hist",
					      dmux_log2_hist_json(d.wake_hist,
								  DMUX_HIST_SLOTS));
			cJSON_AddNumberToObject(o, "deferred", d.deferred);
			cJSON_AddNumberToObject(o, "defer_waits", d.defer_waits);
			cJSON_AddItemToObject(o, "defer_hist",
					      dmux_log2_hist_json(d.defer_hist,
								  DMUX_HIST_SLOTS));
			cJSON_AddNumberToObject(o, "votes_on", d.votes_on);
			cJSON_AddNumberToObject(o, "votes_off", d.votes_off);
			cJSON_AddNumberToObject(o, "acks", d.acks);
			cJSON_AddNumberToObject(o, "remote_up", d.remote_up);
			cJSON_AddNumberToObject(o, "remote_down", d.remote_down);
			cJSON_AddNumberToObject(o, "remote_wakes", d.remote_wakes);
			cJSON_AddItemToArray(devs, o);
			continue;
		}
		printf("%s:\n", names[i].name);
		printf("  wakes %llu, timeouts %llu, errors %llu", d.wakes,
		       d.timeouts, d.errors);
		if (d.wakes)
			printf("; latency min %.0f avg %.0f max %.0f us",
			       g.wake_min_ns / 1000.0, avg_us,
			       g.wake_max_ns / 1000.0);
		printf("\n  votes on %llu off %llu, acks %llu; modem pc up %llu down %llu, remote wakes %llu\n",
		       d.votes_on, d.votes_off, d.acks, d.remote_up,
		       d.remote_down, d.remote_wakes);
		printf("  tx deferred %llu packets in %llu waits\n", d.deferred,
		       d.defer_waits);
		printf("  wake latency:\n");
		dmux_print_log2_hist(d.wake_hist, DMUX_HIST_SLOTS, unit);
		if (d.defer_waits) {
			printf("  tx deferral:\n");
			dmux_print_log2_hist(d.defer_hist, DMUX_HIST_SLOTS, unit);
		}
		printf("\n");
	}
	if (env.json)
		dmux_json_print(root);
	fflush(stdout);
}

static struct dmuxwake_bpf *open_load(enum dmux_attach mode)
{
	struct dmuxwake_bpf *skel = dmuxwake_bpf__open();

	if (!skel)
		return NULL;
	dmux_set_targ_dev(skel->rodata->targ_dev);
	skel->rodata->targ_ms = milliseconds;
	dmux_set_attach(skel->obj, mode);
	if (dmuxwake_bpf__load(skel)) {
		dmuxwake_bpf__destroy(skel);
		return NULL;
	}
	return skel;
}

int main(int argc, char **argv)
{
	struct dmuxwake_bpf *skel;
	enum dmux_attach mode;
	double elapsed;
	int err, i;

	dmux_setup("dmuxwake");
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
		fprintf(stderr, "dmuxwake: failed to load BPF programs (-v for details)\n");
		return 1;
	}
	for (i = 0; i < DMUX_MAX_DEVS; i++) {
		reset_extremes(skel, i);
		skel->bss->state[i].vote = 2;	/* unknown until the next vote */
	}
	err = dmuxwake_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "dmuxwake: failed to attach to bam_dmux tracepoints (%s): %s\n",
			dmux_attach_name(mode), strerror(-err));
		goto out;
	}
	/*
	 * Count from here: the programs attach one by one, so events seen
	 * before the last one was attached would skew the first interval.
	 */
	memcpy(prev, (void *)skel->bss->counters, sizeof(prev));
	if (env.verbose)
		fprintf(stderr, "dmuxwake: attached with %s\n", dmux_attach_name(mode));
	if (!env.json)
		printf("Tracing bam-dmux wake-ups... Hit Ctrl-C to end.\n");

	dmux_interval_start();
	do {
		dmux_wait_interval(&elapsed);
		print_interval(skel, elapsed);
	} while (!dmux_last_interval());
out:
	dmuxwake_bpf__destroy(skel);
	return err ? 1 : 0;
}

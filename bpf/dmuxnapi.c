// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmuxnapi: NAPI batching of the BAM-DMUX RX path. Per interval and device:
 * a log2 histogram of frames done per poll, polls/s, budget-exhausted
 * polls/s and frames/s delivered to the stack.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "trace_helpers.h"
#include "dmuxnapi.h"
#include "dmuxnapi.skel.h"

#define NAPI_WEIGHT_PATH "/sys/module/bam_dmux/parameters/napi_weight"

static bool show_weight;

const char *argp_program_version = "dmuxnapi 0.1";
static const char doc[] =
"Summarize NAPI batching of the BAM-DMUX driver's RX path.\n"
"\n"
"Per interval: polls/s, polls that used their whole budget (the driver\n"
"asked to be polled again at once), polls that found nothing, frames/s\n"
"taken by the polls, DATA frames/s handed to the stack, frames/s refused,\n"
"and a log2 histogram of frames per poll (0 and 1 share the first slot).\n"
"\n"
"USAGE: dmuxnapi [-h] [-v] [-T] [-j] [-w] [-d DEV] [interval] [count]\n"
"\n"
"EXAMPLES:\n"
"    dmuxnapi              # every second until Ctrl-C\n"
"    dmuxnapi -w 5 3       # three 5 s intervals, with the napi weight\n"
"    dmuxnapi -d bam-dmux.1 -j 1 10   # one JSON line a second, one device";

static const struct argp_option opts[] = {
	{ "weight", 'w', NULL, 0, "Show the current napi_weight module parameter", 0 },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	(void)arg;
	(void)state;
	switch (key) {
	case 'w':
		show_weight = true;
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

static struct napi_stats prev[DMUX_MAX_DEVS];

static void print_interval(struct dmuxnapi_bpf *skel, double elapsed)
{
	struct dmux_name names[DMUX_MAX_DEVS];
	long weight = show_weight ? dmux_read_long(NAPI_WEIGHT_PATH) : -1;
	cJSON *root = NULL, *devs = NULL;
	int i, used;

	used = dmux_read_devs(skel->maps.devs, names);
	if (env.json) {
		root = dmux_json_interval(elapsed);
		if (show_weight && weight >= 0)
			cJSON_AddNumberToObject(root, "napi_weight", weight);
		else if (show_weight)
			cJSON_AddNullToObject(root, "napi_weight");
		devs = cJSON_AddArrayToObject(root, "devices");
	} else {
		if (env.timestamp)
			printf("%-8s ", dmux_time_str());
		if (show_weight && weight >= 0)
			printf("napi_weight %ld", weight);
		else if (show_weight)
			printf("napi_weight n/a");
		if (env.timestamp || show_weight)
			printf("\n");
		if (!used)
			printf("(no bam-dmux events)\n");
	}

	for (i = 0; i < DMUX_MAX_DEVS; i++) {
		struct napi_stats now, d;

		if (!names[i].name[0])
			continue;
		memcpy(&now, (void *)&skel->bss->stats[i], sizeof(now));
		dmux_delta((__u64 *)&d, (__u64 *)&now,
			   (__u64 *)&prev[i], NAPI_NR_COUNTERS);
		prev[i] = now;

		if (env.json) {
			cJSON *o = cJSON_CreateObject();

			cJSON_AddStringToObject(o, "dev", names[i].name);
			cJSON_AddNumberToObject(o, "polls", d.polls);
			cJSON_AddNumberToObject(o, "budget_exhausted", d.budget_exhausted);
			cJSON_AddNumberToObject(o, "empty_polls", d.empty_polls);
			cJSON_AddNumberToObject(o, "frames", d.frames);
			cJSON_AddNumberToObject(o, "delivered", d.delivered);
			cJSON_AddNumberToObject(o, "delivered_bytes", d.delivered_bytes);
			cJSON_AddNumberToObject(o, "dropped", d.dropped);
			cJSON_AddNumberToObject(o, "budget", now.last_budget);
			cJSON_AddNumberToObject(o, "polls_per_s", d.polls / elapsed);
			cJSON_AddNumberToObject(o, "budget_exhausted_per_s",
						d.budget_exhausted / elapsed);
			cJSON_AddNumberToObject(o, "frames_per_s", d.frames / elapsed);
			cJSON_AddNumberToObject(o, "delivered_per_s", d.delivered / elapsed);
			cJSON_AddItemToObject(o, "frames_per_poll",
					      dmux_log2_hist_json(d.frames_hist,
								  DMUX_HIST_SLOTS));
			cJSON_AddItemToArray(devs, o);
			continue;
		}
		printf("%s: polls/s %.1f  budget-exhausted/s %.1f  empty/s %.1f\n"
		       "  frames/s %.1f  delivered/s %.1f (%.1f kbit/s)  dropped/s %.1f\n",
		       names[i].name, d.polls / elapsed,
		       d.budget_exhausted / elapsed, d.empty_polls / elapsed,
		       d.frames / elapsed, d.delivered / elapsed,
		       d.delivered_bytes * 8 / elapsed / 1000,
		       d.dropped / elapsed);
		dmux_print_log2_hist(d.frames_hist, DMUX_HIST_SLOTS, "frames/poll");
		printf("\n");
	}
	if (env.json)
		dmux_json_print(root);
	fflush(stdout);
}

static struct dmuxnapi_bpf *open_load(enum dmux_attach mode)
{
	struct dmuxnapi_bpf *skel = dmuxnapi_bpf__open();

	if (!skel)
		return NULL;
	dmux_set_targ_dev(skel->rodata->targ_dev);
	dmux_set_attach(skel->obj, mode);
	if (dmuxnapi_bpf__load(skel)) {
		dmuxnapi_bpf__destroy(skel);
		return NULL;
	}
	return skel;
}

int main(int argc, char **argv)
{
	struct dmuxnapi_bpf *skel = NULL;
	enum dmux_attach mode;
	double elapsed;
	int err;

	dmux_setup("dmuxnapi");
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
		fprintf(stderr, "dmuxnapi: failed to load BPF programs (-v for details)\n");
		return 1;
	}
	err = dmuxnapi_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "dmuxnapi: failed to attach to bam_dmux tracepoints (%s): %s\n",
			dmux_attach_name(mode), strerror(-err));
		goto out;
	}
	/*
	 * Count from here: the programs attach one by one, so events seen
	 * before the last one was attached would skew the first interval.
	 */
	memcpy(prev, (void *)skel->bss->stats, sizeof(prev));
	if (env.verbose)
		fprintf(stderr, "dmuxnapi: attached with %s\n", dmux_attach_name(mode));
	if (!env.json)
		printf("Tracing bam-dmux NAPI polls... Hit Ctrl-C to end.\n");

	dmux_interval_start();
	do {
		dmux_wait_interval(&elapsed);
		print_interval(skel, elapsed);
	} while (!dmux_last_interval());
out:
	dmuxnapi_bpf__destroy(skel);
	return err ? 1 : 0;
}

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
#include "dmuxnapi.tp.skel.h"

DMUX_SKELETONS(dmuxnapi)

#define NAPI_WEIGHT_PATH "/sys/module/bam_dmux/parameters/napi_weight"

static bool show_weight;

const char *argp_program_version = "dmuxnapi 0.1";
static const char doc[] =
"Summarize NAPI batching of the BAM-DMUX driver's RX path.\n"
"\n"
"Per interval: polls/s, polls that used their whole budget (the driver\n"
"asked to be polled again at once), polls that found nothing, frames/s\n"
"taken by the polls, DATA frames/s handed to the stack, frames/s refused,\n"
"and a histogram of the exact number of frames each poll took.\n"
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

static void print_interval(struct dmux_obj *o, double elapsed)
{
	const volatile struct dmuxnapi_data *data = o->data;
	struct dmux_name names[DMUX_MAX_DEVS];
	long weight = show_weight ? dmux_read_long(NAPI_WEIGHT_PATH) : -1;
	cJSON *root = NULL, *devs = NULL;
	int i, used;

	used = dmux_read_devs(o, names);
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
		memcpy(&now, (void *)&data->devs[i], sizeof(now));
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
					      dmux_hist_json(d.frames_hist,
							     DMUXNAPI_BATCH_SLOTS,
							     DMUX_HIST_LINEAR));
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
		dmux_print_hist(d.frames_hist, DMUXNAPI_BATCH_SLOTS,
				DMUX_HIST_LINEAR, "frames/poll");
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

	dmux_setup("dmuxnapi");
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return 1;
	if (dmux_open(&obj, dmuxnapi_open_skel, &cfg))
		return 1;
	/*
	 * Count from here: the programs attach one by one, so events seen
	 * before the last one was attached would skew the first interval.
	 */
	memcpy(prev, obj.data, sizeof(prev));
	if (!env.json)
		printf("Tracing bam-dmux NAPI polls... Hit Ctrl-C to end.\n");
	return dmux_run(&obj, print_interval);
}

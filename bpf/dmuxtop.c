// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmuxtop: per-channel RX and TX packets/s, bits/s and drops/s of the
 * BAM-DMUX driver, one row per channel with traffic, busiest first.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "trace_helpers.h"
#include "dmuxtop.h"
#include "dmuxtop.skel.h"
#include "dmuxtop.tp.skel.h"

DMUX_SKELETONS(dmuxtop)

static int targ_ch = -1;
static bool noclear;

const char *argp_program_version = "dmuxtop 0.1";
static const char doc[] =
"Show per-channel traffic of the BAM-DMUX driver, busiest first.\n"
"\n"
"USAGE: dmuxtop [-h] [-v] [-T] [-j] [-C] [-d DEV] [-c CH] [interval] [count]\n"
"\n"
"Rows: one per device and channel with traffic in the interval, sorted by\n"
"RX+TX bytes. RX counts DATA frames handed to the stack, TX DATA frames\n"
"submitted to the DMA engine, DROPS frames the driver refused (channel ?\n"
"when the header named no valid channel). Bytes are payload (IP) bytes.\n"
"\n"
"EXAMPLES:\n"
"    dmuxtop               # every second until Ctrl-C\n"
"    dmuxtop -c 0 5        # channel 0 only, every 5 s\n"
"    dmuxtop -j 1 10       # ten JSON lines, with exact packet/byte counts";

static const struct argp_option opts[] = {
	{ "channel", 'c', "CH", 0, "Only this channel (0-7)", 0 },
	{ "noclear", 'C', NULL, 0, "Don't clear the screen between intervals", 0 },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	char *end;

	switch (key) {
	case 'c':
		errno = 0;
		targ_ch = strtol(arg, &end, 10);
		if (errno || *end || targ_ch < 0 || targ_ch >= DMUX_NUM_CH) {
			fprintf(stderr, "dmuxtop: invalid channel: %s\n", arg);
			argp_usage(state);
		}
		break;
	case 'C':
		noclear = true;
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

struct row {
	const char *dev;
	int ch;			/* -1: no valid channel */
	struct chan_stats d;
};

static struct chan_stats prev[DMUX_MAX_DEVS][DMUXTOP_CH_SLOTS];

/* the counters of device slot @i, channel slot @ch, as they are now */
static void read_chan(const volatile struct dmuxtop_data *data, int i, int ch,
		      struct chan_stats *cs)
{
	const volatile struct dmuxtop_dev *d = &data->devs[i];

	cs->rx_packets = d->rx[ch].packets;
	cs->rx_bytes = d->rx[ch].bytes;
	cs->drops = d->rx[ch].drops;
	cs->tx_packets = d->tx[ch].packets;
	cs->tx_bytes = d->tx[ch].bytes;
}

static void read_all(const volatile struct dmuxtop_data *data)
{
	int i, ch;

	for (i = 0; i < DMUX_MAX_DEVS; i++)
		for (ch = 0; ch < DMUXTOP_CH_SLOTS; ch++)
			read_chan(data, i, ch, &prev[i][ch]);
}

static int cmp_rows(const void *a, const void *b)
{
	const struct row *ra = a, *rb = b;
	__u64 ta = ra->d.rx_bytes + ra->d.tx_bytes;
	__u64 tb = rb->d.rx_bytes + rb->d.tx_bytes;

	if (ta != tb)
		return ta < tb ? 1 : -1;
	if (ra->d.drops != rb->d.drops)
		return ra->d.drops < rb->d.drops ? 1 : -1;
	return strcmp(ra->dev, rb->dev) ?: ra->ch - rb->ch;
}

/* 1234567 -> "1.23M" */
static const char *human(double v, char *buf, size_t len)
{
	static const char units[] = " KMGT";
	int u = 0;

	while (v >= 1000 && u < 4) {
		v /= 1000;
		u++;
	}
	if (u)
		snprintf(buf, len, "%.2f%c", v, units[u]);
	else
		snprintf(buf, len, "%.0f", v);
	return buf;
}

static void print_interval(struct dmux_obj *o, double elapsed)
{
	const volatile struct dmuxtop_data *data = o->data;
	static struct row rows[DMUX_MAX_DEVS * DMUXTOP_CH_SLOTS];
	struct dmux_name names[DMUX_MAX_DEVS];
	int i, ch, n = 0;

	dmux_read_devs(o, names);
	for (i = 0; i < DMUX_MAX_DEVS; i++) {
		if (!names[i].name[0])
			continue;
		for (ch = 0; ch < DMUXTOP_CH_SLOTS; ch++) {
			struct chan_stats now;
			struct row *r = &rows[n];

			read_chan(data, i, ch, &now);
			dmux_delta((__u64 *)&r->d, (__u64 *)&now,
				   (__u64 *)&prev[i][ch], CHAN_NR_COUNTERS);
			prev[i][ch] = now;
			if (!r->d.rx_packets && !r->d.tx_packets && !r->d.drops)
				continue;
			r->dev = names[i].name;
			r->ch = ch < DMUX_NUM_CH ? ch : -1;
			n++;
		}
	}
	qsort(rows, n, sizeof(rows[0]), cmp_rows);

	if (env.json) {
		cJSON *root = dmux_json_interval(elapsed);
		cJSON *arr = cJSON_AddArrayToObject(root, "channels");

		for (i = 0; i < n; i++) {
			cJSON *o = cJSON_CreateObject();
			struct chan_stats *d = &rows[i].d;

			cJSON_AddStringToObject(o, "dev", rows[i].dev);
			cJSON_AddNumberToObject(o, "ch", rows[i].ch);
			cJSON_AddNumberToObject(o, "rx_packets", d->rx_packets);
			cJSON_AddNumberToObject(o, "rx_bytes", d->rx_bytes);
			cJSON_AddNumberToObject(o, "tx_packets", d->tx_packets);
			cJSON_AddNumberToObject(o, "tx_bytes", d->tx_bytes);
			cJSON_AddNumberToObject(o, "drops", d->drops);
			cJSON_AddNumberToObject(o, "rx_pps", d->rx_packets / elapsed);
			cJSON_AddNumberToObject(o, "rx_bps", d->rx_bytes * 8 / elapsed);
			cJSON_AddNumberToObject(o, "tx_pps", d->tx_packets / elapsed);
			cJSON_AddNumberToObject(o, "tx_bps", d->tx_bytes * 8 / elapsed);
			cJSON_AddNumberToObject(o, "drops_per_s", d->drops / elapsed);
			cJSON_AddItemToArray(arr, o);
		}
		dmux_json_print(root);
		return;
	}

	if (!noclear && isatty(STDOUT_FILENO))
		printf("\033[H\033[2J");
	if (env.timestamp)
		printf("%-8s ", dmux_time_str());
	printf("interval %.2f s, %d channel%s with traffic\n", elapsed, n,
	       n == 1 ? "" : "s");
	printf("%-16s %3s %10s %10s %10s %10s %9s\n", "DEV", "CH", "RX_PKT/s",
	       "RX_bit/s", "TX_PKT/s", "TX_bit/s", "DROPS/s");
	for (i = 0; i < n; i++) {
		struct chan_stats *d = &rows[i].d;
		char chs[12], rxb[16], txb[16];

		if (rows[i].ch < 0)
			snprintf(chs, sizeof(chs), "?");
		else
			snprintf(chs, sizeof(chs), "%d", rows[i].ch);
		printf("%-16s %3s %10.1f %10s %10.1f %10s %9.1f\n", rows[i].dev,
		       chs, d->rx_packets / elapsed,
		       human(d->rx_bytes * 8 / elapsed, rxb, sizeof(rxb)),
		       d->tx_packets / elapsed,
		       human(d->tx_bytes * 8 / elapsed, txb, sizeof(txb)),
		       d->drops / elapsed);
	}
	printf("\n");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct dmux_cfg cfg = { .ch = -1 };
	struct dmux_obj obj;

	dmux_setup("dmuxtop");
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return 1;
	cfg.ch = targ_ch;
	if (dmux_open(&obj, dmuxtop_open_skel, &cfg))
		return 1;
	/*
	 * Count from here: the programs attach one by one, so events seen
	 * before the last one was attached would skew the first interval.
	 */
	read_all(obj.data);
	return dmux_run(&obj, print_interval);
}

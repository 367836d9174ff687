// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmuxbench: measure the BAM-DMUX data path with iperf3 across RX/TX ring
 * sizes and NAPI weights, side by side with a veth baseline, and report
 * the results as ratios measured in one run.
 *
 *   dmuxbench sweep  -- run iperf3 for each configuration, append CSV rows
 *   dmuxbench report -- tables, ratios and a gnuplot plot from those rows
 *
 * Ring sizes are set with the ethtool ioctl (ETHTOOL_SRINGPARAM), the NAPI
 * weight through /sys/module/bam_dmux/parameters/napi_weight, and the
 * driver's own counters (ETHTOOL_GSTATS) give the frames per NAPI poll.
 * iperf3's -J output is parsed with cJSON.
 */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <cjson/cJSON.h>

#define MAX_LIST	16
#define MAX_ROWS	1024
#define NAPI_WEIGHT_PARAM "/sys/module/bam_dmux/parameters/napi_weight"
#define NAPI_PARAM	"/sys/module/bam_dmux/parameters/napi"

static const char *const csv_header =
	"label,path,dir,rx_ring,tx_ring,weight,seconds,mbps,retransmits,"
	"cpu_host,cpu_remote,rx_packets,rx_polls,frames_per_poll";

struct result {
	char label[32];
	char path[16];
	char dir[4];
	int rx_ring, tx_ring, weight, seconds;
	double mbps, cpu_host, cpu_remote, frames_per_poll;
	long long retransmits, rx_packets, rx_polls;
};

struct sweep_opts {
	const char *label;
	const char *path;
	const char *ifname;	/* interface whose rings and counters we use */
	const char *addr;	/* iperf3 server */
	const char *netns;	/* run the client in this netns */
	const char *output;
	int seconds;
	int streams;
	int rings[MAX_LIST], nr_rings;
	int weights[MAX_LIST], nr_weights;
	bool rx, tx;
};

/* ---- ethtool ioctl ---------------------------------------------------- */

static int ethtool_ioctl(const char *ifname, void *cmd)
{
	struct ifreq ifr = { 0 };
	int fd, ret;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = cmd;
	ret = ioctl(fd, SIOCETHTOOL, &ifr) ? -errno : 0;
	close(fd);
	return ret;
}

static int set_rings(const char *ifname, int rx, int tx)
{
	struct ethtool_ringparam ring = { .cmd = ETHTOOL_GRINGPARAM };
	int ret;

	ret = ethtool_ioctl(ifname, &ring);
	if (ret)
		return ret;
	ring.cmd = ETHTOOL_SRINGPARAM;
	ring.rx_pending = rx;
	ring.tx_pending = tx;
	return ethtool_ioctl(ifname, &ring);
}

/* Read the named ethtool -S counters of @ifname into @values. */
static int read_stats(const char *ifname, const char *const *names, long long *values,
		      int count)
{
	struct {
		struct ethtool_sset_info hdr;
		__u32 len;
	} sset = { .hdr = { .cmd = ETHTOOL_GSSET_INFO, .sset_mask = 1ULL << ETH_SS_STATS } };
	struct ethtool_gstrings *strings = NULL;
	struct ethtool_stats *stats = NULL;
	unsigned int n, i;
	int j, ret;

	for (j = 0; j < count; j++)
		values[j] = -1;
	ret = ethtool_ioctl(ifname, &sset);
	if (ret)
		return ret;
	n = sset.hdr.sset_mask ? sset.len : 0;
	strings = calloc(1, sizeof(*strings) + (size_t)n * ETH_GSTRING_LEN);
	stats = calloc(1, sizeof(*stats) + (size_t)n * sizeof(__u64));
	if (!strings || !stats) {
		ret = -ENOMEM;
		goto out;
	}
	strings->cmd = ETHTOOL_GSTRINGS;
	strings->string_set = ETH_SS_STATS;
	strings->len = n;
	stats->cmd = ETHTOOL_GSTATS;
	stats->n_stats = n;
	ret = ethtool_ioctl(ifname, strings);
	if (!ret)
		ret = ethtool_ioctl(ifname, stats);
	if (ret)
		goto out;
	for (i = 0; i < n; i++) {
		const char *name = (const char *)strings->data + i * ETH_GSTRING_LEN;

		for (j = 0; j < count; j++)
			if (!strncmp(name, names[j], ETH_GSTRING_LEN))
				values[j] = (long long)stats->data[i];
	}
out:
	free(strings);
	free(stats);
	return ret;
}

/*
 * bam_dmux never tears a running RX ring down under the modem: a new RX
 * size takes effect when the modem next powers down, and ethtool -S shows
 * the ring in use as rx_ring_active. Wait (at most @secs) until it is
 * @rx, reading it every 2 s: each read holds the link up for the 1 s
 * autosuspend delay, so the idle modem powers down in between. A driver
 * without that gauge applies the size at once: nothing to wait for.
 */
static int wait_rx_ring(const char *ifname, int rx, int secs)
{
	static const char *const name[] = { "rx_ring_active" };
	long long active;
	int waited;

	for (waited = 0; ; waited += 2) {
		if (read_stats(ifname, name, &active, 1) || active < 0 ||
		    active == rx)
			return 0;
		if (waited >= secs)
			break;
		if (!waited)
			fprintf(stderr, "dmuxbench: %s: RX ring %lld, %d from the modem's next power-down\n",
				ifname, active, rx);
		sleep(2);
	}
	fprintf(stderr, "dmuxbench: %s: RX ring still %lld after %d s (the modem never powered down)\n",
		ifname, active, secs);
	return -ETIMEDOUT;
}

/* rx packets of the interface, from its standard statistics */
static long long read_rx_packets(const char *ifname)
{
	char path[128];
	long long value = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/rx_packets", ifname);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lld", &value) != 1)
		value = -1;
	fclose(f);
	return value;
}

static int write_param(const char *path, int value)
{
	FILE *f = fopen(path, "w");
	int ret = 0;

	if (!f)
		return -errno;
	if (fprintf(f, "%d\n", value) < 0)
		ret = -EIO;
	if (fclose(f))
		ret = -errno;
	return ret;
}

/* An int or bool module parameter: bools read as Y or N. */
static int read_param(const char *path)
{
	FILE *f = fopen(path, "r");
	char text[32] = "";
	int value = -1;

	if (!f)
		return -1;
	if (fgets(text, sizeof(text), f)) {
		if (text[0] == 'Y' || text[0] == 'y')
			value = 1;
		else if (text[0] == 'N' || text[0] == 'n')
			value = 0;
		else if (sscanf(text, "%d", &value) != 1)
			value = -1;
	}
	fclose(f);
	return value;
}

/* ---- iperf3 ------------------------------------------------------------ */

static char *run_capture(const char *cmd)
{
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap);
	FILE *p;
	size_t n;

	if (!buf)
		return NULL;
	p = popen(cmd, "r");
	if (!p) {
		free(buf);
		return NULL;
	}
	while ((n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
		len += n;
		if (cap - len < 4096) {
			char *bigger = realloc(buf, cap * 2);

			if (!bigger)
				break;
			buf = bigger;
			cap *= 2;
		}
	}
	buf[len] = '\0';
	pclose(p);
	return buf;
}

static double json_number(const cJSON *obj, const char *a, const char *b)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, a);

	if (b)
		item = cJSON_GetObjectItemCaseSensitive(item, b);
	return cJSON_IsNumber(item) ? item->valuedouble : -1;
}

/* One iperf3 TCP run; @receive: the server sends (-R), we receive. */
static int run_iperf3(const struct sweep_opts *o, bool receive, struct result *r)
{
	const cJSON *end, *error;
	char cmd[512];
	cJSON *root;
	char *out;

	snprintf(cmd, sizeof(cmd), "%s%s iperf3 -c %s -t %d -P %d -J %s 2>&1",
		 o->netns ? "ip netns exec " : "", o->netns ? o->netns : "",
		 o->addr, o->seconds, o->streams, receive ? "-R" : "");
	out = run_capture(cmd);
	if (!out) {
		fprintf(stderr, "dmuxbench: cannot run iperf3: %s\n", strerror(errno));
		return -1;
	}
	root = cJSON_Parse(out);
	if (!root) {
		fprintf(stderr, "dmuxbench: iperf3 printed no JSON:\n%.500s\n", out);
		free(out);
		return -1;
	}
	free(out);
	error = cJSON_GetObjectItemCaseSensitive(root, "error");
	if (cJSON_IsString(error)) {
		fprintf(stderr, "dmuxbench: iperf3: %s\n", error->valuestring);
		cJSON_Delete(root);
		return -1;
	}
	end = cJSON_GetObjectItemCaseSensitive(root, "end");
	r->mbps = json_number(end, "sum_received", "bits_per_second") / 1e6;
	r->retransmits = (long long)json_number(end, "sum_sent", "retransmits");
	r->cpu_host = json_number(end, "cpu_utilization_percent", "host_total");
	r->cpu_remote = json_number(end, "cpu_utilization_percent", "remote_total");
	cJSON_Delete(root);
	return r->mbps < 0 ? -1 : 0;
}

/* ---- sweep ------------------------------------------------------------- */

static int parse_list(const char *arg, int *list, int *count)
{
	char *copy = strdup(arg), *tok, *save = NULL, *end;

	*count = 0;
	if (!copy)
		return -1;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		long v = strtol(tok, &end, 10);

		if (*end || v <= 0 || *count == MAX_LIST) {
			free(copy);
			return -1;
		}
		list[(*count)++] = (int)v;
	}
	free(copy);
	return *count ? 0 : -1;
}

static void print_row(FILE *f, const struct result *r)
{
	fprintf(f, "%s,%s,%s,%d,%d,%d,%d,%.2f,%lld,%.1f,%.1f,%lld,%lld,%.2f\n",
		r->label, r->path, r->dir, r->rx_ring, r->tx_ring, r->weight,
		r->seconds, r->mbps, r->retransmits, r->cpu_host, r->cpu_remote,
		r->rx_packets, r->rx_polls, r->frames_per_poll);
}

static int measure(const struct sweep_opts *o, int ring, int weight, bool receive,
		   FILE *csv)
{
	static const char *const counters[] = { "rx_polls" };
	long long polls_before = -1, polls_after = -1;
	long long pkts_before, pkts_after;
	struct result r = { 0 };

	snprintf(r.label, sizeof(r.label), "%s", o->label);
	snprintf(r.path, sizeof(r.path), "%s", o->path);
	snprintf(r.dir, sizeof(r.dir), "%s", receive ? "rx" : "tx");
	r.rx_ring = r.tx_ring = ring;
	r.weight = weight;
	r.seconds = o->seconds;

	if (o->ifname)
		read_stats(o->ifname, counters, &polls_before, 1);
	pkts_before = o->ifname ? read_rx_packets(o->ifname) : -1;
	if (run_iperf3(o, receive, &r))
		return -1;
	if (o->ifname)
		read_stats(o->ifname, counters, &polls_after, 1);
	pkts_after = o->ifname ? read_rx_packets(o->ifname) : -1;

	r.rx_packets = pkts_before >= 0 ? pkts_after - pkts_before : -1;
	r.rx_polls = polls_before >= 0 ? polls_after - polls_before : -1;
	r.frames_per_poll = r.rx_polls > 0 ? (double)r.rx_packets / r.rx_polls : 0;

	print_row(csv, &r);
	fflush(csv);
	fprintf(stderr, "dmuxbench: %-8s %-5s %s ring %4d weight %3d: %8.1f Mbit/s, %.1f frames/poll\n",
		r.label, r.path, r.dir, ring, weight, r.mbps, r.frames_per_poll);
	return 0;
}

static int sweep(const struct sweep_opts *o)
{
	int i, j, d, ret = 0, failed = 0;
	bool dirs[2] = { o->rx, o->tx };
	FILE *csv = stdout;
	bool new_file;

	if (o->output) {
		new_file = access(o->output, F_OK) != 0;
		csv = fopen(o->output, "a");
		if (!csv) {
			fprintf(stderr, "dmuxbench: %s: %s\n", o->output, strerror(errno));
			return 1;
		}
		if (new_file)
			fprintf(csv, "%s\n", csv_header);
	} else {
		printf("%s\n", csv_header);
	}

	for (i = 0; i < o->nr_rings; i++) {
		int ring = o->rings[i];

		if (ring > 0 && o->ifname) {
			ret = set_rings(o->ifname, ring, ring);
			if (!ret)
				ret = wait_rx_ring(o->ifname, ring, 30);
			if (ret) {
				fprintf(stderr, "dmuxbench: ethtool -G %s rx %d tx %d: %s\n",
					o->ifname, ring, ring, strerror(-ret));
				failed++;
				continue;
			}
		}
		for (j = 0; j < o->nr_weights; j++) {
			int weight = o->weights[j];

			if (weight > 0) {
				ret = write_param(NAPI_WEIGHT_PARAM, weight);
				if (ret) {
					fprintf(stderr, "dmuxbench: %s: %s\n",
						NAPI_WEIGHT_PARAM, strerror(-ret));
					failed++;
					continue;
				}
			}
			for (d = 0; d < 2; d++)
				if (dirs[d] && measure(o, ring, weight, d == 0, csv))
					failed++;
		}
	}
	if (csv != stdout)
		fclose(csv);
	return failed ? 1 : 0;
}

/* ---- report ------------------------------------------------------------ */

static int load_rows(const char *path, struct result *rows, int max)
{
	char line[512];
	int n = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		fprintf(stderr, "dmuxbench: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) && n < max) {
		struct result *r = &rows[n];

		if (!strncmp(line, "label,", 6))
			continue;
		if (sscanf(line, "%31[^,],%15[^,],%3[^,],%d,%d,%d,%d,%lf,%lld,%lf,%lf,%lld,%lld,%lf",
			   r->label, r->path, r->dir, &r->rx_ring, &r->tx_ring, &r->weight,
			   &r->seconds, &r->mbps, &r->retransmits, &r->cpu_host,
			   &r->cpu_remote, &r->rx_packets, &r->rx_polls,
			   &r->frames_per_poll) == 14)
			n++;
	}
	fclose(f);
	return n;
}

static const struct result *find_row(const struct result *rows, int n, const char *path,
				     const char *label, const char *dir)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(rows[i].path, path) && !strcmp(rows[i].dir, dir) &&
		    (!label || !strcmp(rows[i].label, label)))
			return &rows[i];
	return NULL;
}

static int plot(const struct result *rows, int n, const char *png)
{
	char dat[512];
	FILE *f, *gp;
	int i, points = 0;

	snprintf(dat, sizeof(dat), "%s.dat", png);
	f = fopen(dat, "w");
	if (!f)
		return -errno;
	/* RX throughput by ring size, one block per NAPI weight (label napi1) */
	for (i = 0; i < n; i++) {
		const struct result *r = &rows[i];

		if (strcmp(r->path, "wwan") || strcmp(r->dir, "rx") || strcmp(r->label, "napi1"))
			continue;
		fprintf(f, "%d %d %.2f %.2f\n", r->weight, r->rx_ring, r->mbps,
			r->frames_per_poll);
		points++;
	}
	fclose(f);
	if (!points)
		return -ENODATA;	/* no wwan RX rows with NAPI: nothing to plot */

	gp = popen("gnuplot", "w");
	if (!gp)
		return -errno;
	fprintf(gp,
		"set terminal pngcairo size 900,540 noenhanced\n"
		"set output '%s'\n"
		"set title 'BAM-DMUX RX (modem -> host) through wwan0, iperf3 TCP'\n"
		"set xlabel 'RX ring size (buffers)'\n"
		"set ylabel 'Mbit/s'\n"
		"set logscale x 2\n"
		"set key top left\n"
		"set grid\n"
		"weights = system(\"awk '{print $1}' %s | sort -nu | tr '\\\\n' ' '\")\n"
		"plot for [w in weights] sprintf(\"< awk '$1 == %%s' %s | sort -k2n\", w) "
		"using 2:3 with linespoints title 'napi weight '.w\n",
		png, dat, dat);
	return pclose(gp) ? -EIO : 0;
}

static int report(const char *csv_path, const char *png)
{
	static struct result rows[MAX_ROWS];
	const struct result *base, *other;
	int n, i;

	n = load_rows(csv_path, rows, MAX_ROWS);
	if (n <= 0) {
		fprintf(stderr, "dmuxbench: no results in %s\n", csv_path);
		return 1;
	}

	printf("%-8s %-5s %-3s %7s %6s %10s %9s %12s %9s\n", "label", "path", "dir",
	       "ring", "weight", "Mbit/s", "vs veth", "frames/poll", "cpu host");
	for (i = 0; i < n; i++) {
		const struct result *r = &rows[i];
		char ratio[16] = "-";

		base = find_row(rows, n, "veth", NULL, r->dir);
		if (base && base->mbps > 0 && strcmp(r->path, "veth"))
			snprintf(ratio, sizeof(ratio), "%.3f", r->mbps / base->mbps);
		printf("%-8s %-5s %-3s %7d %6d %10.1f %9s %12.2f %8.1f%%\n", r->label,
		       r->path, r->dir, r->rx_ring, r->weight, r->mbps, ratio,
		       r->frames_per_poll, r->cpu_host);
	}

	/* NAPI against per-packet delivery, same ring and weight */
	for (i = 0; i < n; i++) {
		const struct result *r = &rows[i];

		if (strcmp(r->label, "napi0"))
			continue;
		other = NULL;
		for (int j = 0; j < n; j++)
			if (!strcmp(rows[j].label, "napi1") && !strcmp(rows[j].dir, r->dir) &&
			    rows[j].rx_ring == r->rx_ring && rows[j].weight == r->weight &&
			    !strcmp(rows[j].path, r->path))
				other = &rows[j];
		if (other && r->mbps > 0)
			printf("ratio napi=1 / napi=0, %s, ring %d, weight %d: %.3f\n",
			       r->dir, r->rx_ring, r->weight, other->mbps / r->mbps);
	}

	if (png) {
		int ret = plot(rows, n, png);

		if (ret)
			fprintf(stderr, "dmuxbench: plot %s failed: %s\n", png, strerror(-ret));
		else
			printf("plot: %s\n", png);
	}
	return 0;
}

/* ---- command line ------------------------------------------------------ */

static void usage(FILE *f)
{
	fprintf(f,
"Usage: dmuxbench sweep [OPTIONS]\n"
"       dmuxbench report CSV [-p PNG]\n"
"\n"
"Measure the BAM-DMUX data path with iperf3 (TCP) across RX/TX ring sizes and\n"
"NAPI weights, and report results as ratios measured in the same run.\n"
"\n"
"sweep options:\n"
"  -a, --addr ADDR        iperf3 server to measure against (required)\n"
"  -i, --iface IFACE      wwan interface: its rings are set and its counters read\n"
"  -N, --netns NS         run the iperf3 client in network namespace NS\n"
"  -P, --path NAME        what is measured: wwan or veth (default wwan)\n"
"  -l, --label TEXT       label of these rows (default napi<N> from the driver)\n"
"  -r, --rings LIST       ring sizes to sweep, rx = tx (default: leave as is)\n"
"  -w, --weights LIST     NAPI weights to sweep (default: leave as is)\n"
"  -t, --time SECS        seconds per iperf3 run (default 5)\n"
"  -s, --streams N        parallel iperf3 streams (default 1)\n"
"  -d, --dir rx|tx|both   rx: modem sends (iperf3 -R), tx: host sends (default rx)\n"
"  -o, --output CSV       append rows to CSV (default: print to stdout)\n"
"\n"
"report options:\n"
"  -p, --plot PNG         also plot RX Mbit/s by ring size per weight (gnuplot)\n"
"\n"
"Examples:\n"
"  dmuxbench sweep -i wwan0 -a 198.18.0.2 -r 8,64,256 -w 16,64 -o res.csv\n"
"  dmuxbench sweep -P veth -N bench-veth -a 198.19.0.2 -o res.csv\n"
"  dmuxbench report res.csv -p res.png\n");
}

static int cmd_sweep(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "addr", required_argument, NULL, 'a' },
		{ "iface", required_argument, NULL, 'i' },
		{ "netns", required_argument, NULL, 'N' },
		{ "path", required_argument, NULL, 'P' },
		{ "label", required_argument, NULL, 'l' },
		{ "rings", required_argument, NULL, 'r' },
		{ "weights", required_argument, NULL, 'w' },
		{ "time", required_argument, NULL, 't' },
		{ "streams", required_argument, NULL, 's' },
		{ "dir", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct sweep_opts o = {
		.path = "wwan", .seconds = 5, .streams = 1, .rx = true,
		.rings = { 0 }, .nr_rings = 1, .weights = { 0 }, .nr_weights = 1,
	};
	char label[32];
	int c;

	while ((c = getopt_long(argc, argv, "a:i:N:P:l:r:w:t:s:d:o:h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'a': o.addr = optarg; break;
		case 'i': o.ifname = optarg; break;
		case 'N': o.netns = optarg; break;
		case 'P': o.path = optarg; break;
		case 'l': o.label = optarg; break;
		case 'o': o.output = optarg; break;
		case 'r':
			if (parse_list(optarg, o.rings, &o.nr_rings))
				goto bad;
			break;
		case 'w':
			if (parse_list(optarg, o.weights, &o.nr_weights))
				goto bad;
			break;
		case 't': o.seconds = atoi(optarg); if (o.seconds <= 0) goto bad; break;
		case 's': o.streams = atoi(optarg); if (o.streams <= 0) goto bad; break;
		case 'd':
			o.rx = !strcmp(optarg, "rx") || !strcmp(optarg, "both");
			o.tx = !strcmp(optarg, "tx") || !strcmp(optarg, "both");
			if (!o.rx && !o.tx)
				goto bad;
			break;
		case 'h': usage(stdout); return 0;
		default: goto bad;
		}
	}
	if (!o.addr || optind != argc)
		goto bad;
	if ((o.nr_rings > 1 || o.rings[0]) && !o.ifname) {
		fprintf(stderr, "dmuxbench: --rings needs --iface\n");
		return 2;
	}
	if (!o.label) {
		int napi = read_param(NAPI_PARAM);

		if (!strcmp(o.path, "wwan") && napi >= 0)
			snprintf(label, sizeof(label), "napi%d", napi);
		else
			snprintf(label, sizeof(label), "%s", o.path);
		o.label = label;
	}
	return sweep(&o);
bad:
	usage(stderr);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "sweep"))
		return cmd_sweep(argc - 1, argv + 1);
	if (argc >= 3 && !strcmp(argv[1], "report")) {
		const char *png = NULL;

		if (argc == 5 && (!strcmp(argv[3], "-p") || !strcmp(argv[3], "--plot")))
			png = argv[4];
		else if (argc != 3)
			goto bad;
		return report(argv[2], png);
	}
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
bad:
	usage(stderr);
	return 2;
}

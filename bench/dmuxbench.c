// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmuxbench: measure the BAM-DMUX data path with iperf3 across RX and TX
 * ring sizes, NAPI weights and BQL on or off, repeated in interleaved
 * rounds, with the CPU each owner spent per packet (perf), ping RTT under
 * load and frames per NAPI poll beside every run; then report medians
 * with their spread, ratios against the baselines and a recommendation.
 *
 *   dmuxbench sweep  -- run the grid ROUNDS times, append one CSV row a run
 *   dmuxbench report -- results.json, report.md and PNG plots of a run
 *   dmuxbench owners -- CPU by owner of `perf script` output
 *
 * Every program runs through fork/execvp with an argument vector (no
 * shell); iperf3's stderr never reaches the JSON parser. Ring sizes are
 * set with the ethtool ioctl, the NAPI weight through the module's
 * parameter, BQL through the queue's byte_queue_limits. The parsers and
 * statistics live in bench_lib.c, which the unit tests use too.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <cjson/cJSON.h>
#ifdef __x86_64__
#include <cpuid.h>
#endif

#include "bench_lib.h"

#define MAX_LIST	16
#define MAX_ROWS	4096
#define MAX_CPUS	64
#define MAX_PIDS	256
#define MAX_PINGS	4096
#define MAX_MODULES	512
#define NAPI_WEIGHT_PARAM "/sys/module/bam_dmux/parameters/napi_weight"
#define NAPI_PARAM	"/sys/module/bam_dmux/parameters/napi"
/* perf's cpu-clock period (bench/run's perf record -c): a sample per 4 ms of CPU */
#define PERF_PERIOD_NS	4000000LL
/* a tool beside the run has this long to attach (BPF loads slowly under TCG) */
#define TOOL_ATTACH_SECS 120
/* ping under load: every 200 ms, from 1 s into the run */
#define PING_INTERVAL	"0.2"
#define PING_SETTLE_SECS 1
#define BQL_DEFAULT	-1
#define BQL_ON		1
#define BQL_OFF		0
/* "within 5 % of the best" */
#define RECOMMEND_TOLERANCE 0.05

static const char *const csv_header =
	"phase,label,path,dir,proto,round,rx_ring,tx_ring,weight,bql,seconds,mbps,"
	"retransmits,packets,pkts_per_s,rx_polls,frames_per_poll,rx_empty,tx_ring_full,"
	"ping_n,ping_med_ms,ping_p90_ms,samples,ns_driver,ns_sim,ns_copy,ns_stack,"
	"ns_user,ns_modem,ns_idle,host_ns_per_pkt,host_cpu_ms,cpu_busy,t_start,t_end,"
	"modem_tids,modules";
#define CSV_FIELDS 37

struct result {
	char phase[16], label[32], path[16], dir[4], proto[4];
	int round, rx_ring, tx_ring, weight, bql, seconds;
	double mbps;
	long long retransmits, packets;
	double pkts_per_s;
	long long rx_polls;
	double frames_per_poll;
	long long rx_empty, tx_ring_full;
	int ping_n;
	double ping_med, ping_p90;
	long long samples;
	double ns_owner[OWNER_NR];
	double host_ns_per_pkt, host_cpu_ms;
	char cpu_busy[128];
	double t_start, t_end;		/* CLOCK_MONOTONIC: perf's samples of the run */
	char modem_tids[512];		/* "1;2;3": the far side's tasks */
	char modules[160];		/* "bam_dmux:START:END;bam_dmux_sim:START:END" */
};

struct sweep_opts {
	const char *phase, *label, *path;
	const char *ifname;	/* interface whose rings and counters we use */
	const char *addr;	/* iperf3 server */
	const char *netns;	/* run in this netns (the client's) */
	const char *modem_netns; /* the far side: its tasks are "modem" */
	const char *output, *hist_output, *workdir, *bpf_bin;
	int seconds, streams, rounds, first_round, udp_len;
	int rx_rings[MAX_LIST], nr_rx_rings;
	int tx_rings[MAX_LIST], nr_tx_rings;
	int weights[MAX_LIST], nr_weights;
	int bqls[2], nr_bqls;
	const char *perf_ctl, *perf_ack;	/* perf record --control fifos */
	/* --trafgen: trafgen's config and the modem-side device it sends on */
	const char *trafgen_conf, *trafgen_dev;
	bool rx, tx, ping, napi_tools;
};

struct config {
	int rx_ring, tx_ring, weight, bql;
	bool receive;
};

/* ---- running programs --------------------------------------------------- */

/*
 * Start @argv with stdout to @out_fd and stderr to @err_fd (-1: /dev/null),
 * after @delay_s seconds. Returns the child's pid or -1.
 */
static pid_t spawn(char *const argv[], int out_fd, int err_fd, int delay_s)
{
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, STDIN_FILENO);
		dup2(out_fd >= 0 ? out_fd : null, STDOUT_FILENO);
		dup2(err_fd >= 0 ? err_fd : null, STDERR_FILENO);
		if (delay_s)
			sleep((unsigned int)delay_s);
		execvp(argv[0], argv);
		fprintf(stderr, "dmuxbench: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

static int wait_child(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Run @argv, return what it printed on stdout (stderr to @err_path or dropped). */
static char *capture(char *const argv[], const char *err_path, int *status)
{
	size_t len = 0, cap = 65536;
	int pipefd[2], err_fd = -1;
	char *buf = malloc(cap);
	ssize_t n;
	pid_t pid;

	if (!buf || pipe(pipefd)) {
		free(buf);
		return NULL;
	}
	if (err_path)
		err_fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	pid = spawn(argv, pipefd[1], err_fd, 0);
	close(pipefd[1]);
	if (err_fd >= 0)
		close(err_fd);
	if (pid < 0) {
		close(pipefd[0]);
		free(buf);
		return NULL;
	}
	while ((n = read(pipefd[0], buf + len, cap - len - 1)) > 0 ||
	       (n < 0 && errno == EINTR)) {
		if (n < 0)
			continue;
		len += (size_t)n;
		if (cap - len < 4096) {
			char *bigger = realloc(buf, cap * 2);

			if (!bigger)
				break;
			buf = bigger;
			cap *= 2;
		}
	}
	buf[len] = '\0';
	close(pipefd[0]);
	*status = wait_child(pid);
	return buf;
}

static int stop_child(pid_t pid, int sig)
{
	if (pid <= 0)
		return -1;
	kill(pid, sig);
	return wait_child(pid);
}

/* ---- the system: files, ethtool, counters -------------------------------- */

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

/* @rx, @tx: the new sizes, 0 to keep what is set */
static int set_rings(const char *ifname, int rx, int tx)
{
	struct ethtool_ringparam ring = { .cmd = ETHTOOL_GRINGPARAM };
	int ret;

	ret = ethtool_ioctl(ifname, &ring);
	if (ret)
		return ret;
	if ((!rx || ring.rx_pending == (__u32)rx) && (!tx || ring.tx_pending == (__u32)tx))
		return 0;
	ring.cmd = ETHTOOL_SRINGPARAM;
	if (rx)
		ring.rx_pending = rx;
	if (tx)
		ring.tx_pending = tx;
	return ethtool_ioctl(ifname, &ring);
}

/* Read the named ethtool -S counters of @ifname into @values (-1: absent). */
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
		sleep(2);
	}
	fprintf(stderr, "dmuxbench: %s: RX ring still %lld after %d s (the modem never powered down)\n",
		ifname, active, secs);
	return -ETIMEDOUT;
}

/*
 * Packets of @ifname from /proc/net/dev, which (unlike /sys/class/net)
 * shows the netns this process is in. @rx: received, else sent.
 */
/* packets (or with @bytes, bytes) @ifname received (@rx) or sent so far */
static long long read_netdev(const char *ifname, bool rx, bool bytes)
{
	char line[512], name[IFNAMSIZ + 2];
	long long v[16];
	long long value = -1;
	FILE *f = fopen("/proc/net/dev", "r");

	if (!f)
		return -1;
	snprintf(name, sizeof(name), "%s:", ifname);
	while (fgets(line, sizeof(line), f)) {
		char *p = line;

		while (*p == ' ')
			p++;
		if (strncmp(p, name, strlen(name)))
			continue;
		p += strlen(name);
		/* rx: bytes packets errs drop fifo frame compressed multicast; tx: bytes packets ... */
		if (sscanf(p, "%lld %lld %lld %lld %lld %lld %lld %lld %lld %lld",
			   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7],
			   &v[8], &v[9]) == 10)
			value = rx ? v[bytes ? 0 : 1] : v[bytes ? 8 : 9];
	}
	fclose(f);
	return value;
}

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int ret = 0;

	if (!f)
		return -errno;
	if (fputs(text, f) < 0)
		ret = -EIO;
	if (fclose(f))
		ret = -errno;
	return ret;
}

static int write_int(const char *path, long long value)
{
	char text[32];

	snprintf(text, sizeof(text), "%lld\n", value);
	return write_text(path, text);
}

/* An int or bool: bools read as Y or N. -1: absent. */
static long long read_int(const char *path)
{
	FILE *f = fopen(path, "r");
	char text[64] = "";
	long long value = -1;

	if (!f)
		return -1;
	if (fgets(text, sizeof(text), f)) {
		if (text[0] == 'Y' || text[0] == 'y')
			value = 1;
		else if (text[0] == 'N' || text[0] == 'n')
			value = 0;
		else if (sscanf(text, "%lld", &value) != 1)
			value = -1;
	}
	fclose(f);
	return value;
}

/*
 * BQL off: its limit can never fall below limit_min, so raising limit_min
 * to limit_max leaves nothing for BQL to do. On: limit_min 0, as booted.
 */
static int set_bql(const char *ifname, int bql)
{
	char min_path[256], max_path[256];
	long long max;

	if (bql == BQL_DEFAULT)
		return 0;
	snprintf(min_path, sizeof(min_path),
		 "/sys/class/net/%s/queues/tx-0/byte_queue_limits/limit_min", ifname);
	snprintf(max_path, sizeof(max_path),
		 "/sys/class/net/%s/queues/tx-0/byte_queue_limits/limit_max", ifname);
	max = read_int(max_path);
	if (max < 0)
		return -ENOENT;
	return write_int(min_path, bql == BQL_ON ? 0 : max);
}

/* busy and total jiffies of every CPU from /proc/stat */
static int read_cpu_times(long long *busy, long long *total, int max)
{
	char line[512];
	int n = 0;
	FILE *f = fopen("/proc/stat", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f) && n < max) {
		long long v[10] = { 0 };
		int cpu, i;

		if (strncmp(line, "cpu", 3) || line[3] == ' ')
			continue;
		if (sscanf(line, "cpu%d %lld %lld %lld %lld %lld %lld %lld %lld", &cpu,
			   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) < 9)
			continue;
		total[n] = 0;
		for (i = 0; i < 8; i++)
			total[n] += v[i];
		busy[n] = total[n] - v[3] - v[4];	/* idle and iowait */
		n++;
	}
	fclose(f);
	return n;
}

/* the pids of every task in the netns @name (ip netns add NAME) */
static int netns_pids(const char *name, int *pids, int max)
{
	char path[PATH_MAX];
	struct stat ns, st;
	struct dirent *e;
	int n = 0;
	DIR *d;

	if (!name)
		return 0;
	snprintf(path, sizeof(path), "/var/run/netns/%s", name);
	if (stat(path, &ns))
		return 0;
	d = opendir("/proc");
	if (!d)
		return 0;
	while ((e = readdir(d)) && n < max) {
		char task_path[PATH_MAX];
		struct dirent *t;
		DIR *td;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", e->d_name);
		if (stat(path, &st) || st.st_ino != ns.st_ino || st.st_dev != ns.st_dev)
			continue;
		/* every thread: perf script prints thread ids */
		snprintf(task_path, sizeof(task_path), "/proc/%s/task", e->d_name);
		td = opendir(task_path);
		while (td && (t = readdir(td)) && n < max)
			if (isdigit((unsigned char)t->d_name[0]))
				pids[n++] = atoi(t->d_name);
		if (td)
			closedir(td);
	}
	closedir(d);
	return n;
}

static int enter_netns(const char *name)
{
	char path[PATH_MAX];
	int fd, ret;

	snprintf(path, sizeof(path), "/var/run/netns/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	ret = setns(fd, CLONE_NEWNET) ? -errno : 0;
	close(fd);
	return ret;
}

/* ---- tools beside a run ---------------------------------------------------- */

struct side_tool {
	pid_t pid;
	char out[PATH_MAX], err[PATH_MAX];
};

static bool file_has(const char *path, const char *text)
{
	char line[1024];
	bool found = false;
	FILE *f = fopen(path, "r");

	while (f && !found && fgets(line, sizeof(line), f))
		found = strstr(line, text) != NULL;
	if (f)
		fclose(f);
	return found;
}

/*
 * Start a BPF tool with one interval longer than any run (-j 86400): it
 * prints the whole run as one JSON line when it is interrupted.
 */
static int side_tool_start(struct side_tool *t, const struct sweep_opts *o, const char *tool)
{
	char path[PATH_MAX], interval[] = "86400";
	char *argv[] = { path, (char *)"-v", (char *)"-j", interval, NULL };
	int out, err, waited;

	snprintf(path, sizeof(path), "%s/%s", o->bpf_bin, tool);
	snprintf(t->out, sizeof(t->out), "%s/%s.json", o->workdir, tool);
	snprintf(t->err, sizeof(t->err), "%s/%s.err", o->workdir, tool);
	out = open(t->out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	err = open(t->err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	t->pid = out >= 0 && err >= 0 ? spawn(argv, out, err, 0) : -1;
	if (out >= 0)
		close(out);
	if (err >= 0)
		close(err);
	for (waited = 0; t->pid > 0 && waited < TOOL_ATTACH_SECS * 10; waited++) {
		if (file_has(t->err, "attached with"))
			return 0;
		if (waitpid(t->pid, NULL, WNOHANG) == t->pid)
			break;
		usleep(100000);
	}
	fprintf(stderr, "dmuxbench: %s did not attach (see %s)\n", tool, t->err);
	stop_child(t->pid, SIGKILL);
	t->pid = -1;
	return -1;
}

/* the last line the tool printed */
static char *side_tool_stop(struct side_tool *t)
{
	char line[65536], *last = NULL;
	FILE *f;

	if (t->pid <= 0)
		return NULL;
	stop_child(t->pid, SIGINT);
	t->pid = -1;
	f = fopen(t->out, "r");
	while (f && fgets(line, sizeof(line), f)) {
		free(last);
		last = strdup(line);
	}
	if (f)
		fclose(f);
	return last;
}

/* ---- one run ------------------------------------------------------------- */

static char *iperf3_run(const struct sweep_opts *o, bool receive, const char *err_path,
			int *status)
{
	char secs[16], streams[16], len[16];
	char *argv[20];
	int n = 0;

	snprintf(secs, sizeof(secs), "%d", o->seconds);
	snprintf(streams, sizeof(streams), "%d", o->streams);
	snprintf(len, sizeof(len), "%d", o->udp_len);
	argv[n++] = (char *)"iperf3";
	argv[n++] = (char *)"-c";
	argv[n++] = (char *)o->addr;
	argv[n++] = (char *)"-t";
	argv[n++] = secs;
	argv[n++] = (char *)"-P";
	argv[n++] = streams;
	argv[n++] = (char *)"-J";
	if (receive)
		argv[n++] = (char *)"-R";
	if (o->udp_len) {
		argv[n++] = (char *)"-u";
		argv[n++] = (char *)"-l";
		argv[n++] = len;
		argv[n++] = (char *)"-b";
		argv[n++] = (char *)"0";
	}
	argv[n] = NULL;
	return capture(argv, err_path, status);
}

static void note_modem_tids(const struct sweep_opts *o, struct result *r);

/*
 * --trafgen: trafgen sends what its config describes from the modem side's
 * netns, as fast as it can, for the run's seconds, in a session of its
 * own so that SIGINT reaches its worker processes too. It keeps a file mmap-ed
 * in its working directory, so it runs in the workdir (the repository may
 * be a 9p mount, which refuses shared mappings). Notes the modem side's
 * tasks in @r while it runs. Returns its exit status, -1 if it could not
 * be started.
 */
static int trafgen_run(const struct sweep_opts *o, struct result *r)
{
	char *argv[] = { (char *)"setsid", (char *)"env", (char *)"-C", (char *)o->workdir,
			 (char *)"ip",
			 (char *)"netns", (char *)"exec", (char *)o->modem_netns,
			 (char *)"trafgen", (char *)"--dev", (char *)o->trafgen_dev,
			 (char *)"--conf", (char *)o->trafgen_conf, (char *)"--no-sock-mem",
			 (char *)"--notouch-irq", (char *)"--cpus", (char *)"1",
			 (char *)"--no-cpu-stats", NULL };
	char err_path[PATH_MAX];
	pid_t pid;
	int fd, status;

	snprintf(err_path, sizeof(err_path), "%s/trafgen.err", o->workdir);
	fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	pid = spawn(argv, -1, fd, 0);
	if (fd >= 0)
		close(fd);
	if (pid < 0)
		return -1;
	sleep(o->seconds);
	/* its tasks are the modem side's, but gone once it has stopped */
	note_modem_tids(o, r);
	/* trafgen's workers are its children: its own group, from setsid */
	kill(-pid, SIGINT);
	status = wait_child(pid);
	/* stopped by our SIGINT is how a run ends */
	return status == 128 + SIGINT ? 0 : status;
}

/*
 * perf record runs for the whole bench, started with its events disabled
 * (-D -1) and a control fifo: each run enables them for its own duration.
 */
static int perf_control(const struct sweep_opts *o, const char *cmd)
{
	char ack[16] = "";
	int fd, ret = -1;

	fd = open(o->perf_ctl, O_WRONLY);
	if (fd < 0)
		return -1;
	if (write(fd, cmd, strlen(cmd)) == (ssize_t)strlen(cmd))
		ret = 0;
	close(fd);
	fd = open(o->perf_ack, O_RDONLY);
	if (fd >= 0) {
		if (read(fd, ack, sizeof(ack) - 1) <= 0 || strncmp(ack, "ack", 3))
			ret = -1;
		close(fd);
	}
	return ret;
}

static double monotonic_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* the two modules' text now (they move when reloaded) */
static void note_modules(struct result *r)
{
	struct module_range m[MAX_MODULES];
	FILE *f = fopen("/proc/modules", "r");
	int n = 0, i;

	if (f) {
		n = bench_modules_parse(f, m, MAX_MODULES);
		fclose(f);
	}
	for (i = 0; i < n; i++) {
		char part[80];

		if (strcmp(m[i].name, "bam_dmux") && strcmp(m[i].name, "bam_dmux_sim"))
			continue;
		snprintf(part, sizeof(part), "%s%.40s:%llx:%llx", r->modules[0] ? ";" : "",
			 m[i].name, m[i].start, m[i].end);
		strncat(r->modules, part, sizeof(r->modules) - strlen(r->modules) - 1);
	}
	if (!r->modules[0])
		snprintf(r->modules, sizeof(r->modules), "-");
}

static void note_modem_tids(const struct sweep_opts *o, struct result *r)
{
	static int pids[MAX_PIDS];
	int n = netns_pids(o->modem_netns, pids, MAX_PIDS);

	if (bench_tids_add(r->modem_tids, sizeof(r->modem_tids), pids, n))
		fprintf(stderr, "dmuxbench: %s: more modem-side tasks than a row keeps\n",
			r->label);
}

static void print_row(FILE *f, const struct result *r)
{
	int i;

	fprintf(f, "%s,%s,%s,%s,%s,%d,%d,%d,%d,%d,%d,%.3f,%lld,%lld,%.1f,%lld,%.2f,%lld,%lld,"
		"%d,%.2f,%.2f,%lld",
		r->phase, r->label, r->path, r->dir, r->proto, r->round, r->rx_ring, r->tx_ring,
		r->weight, r->bql, r->seconds, r->mbps, r->retransmits, r->packets,
		r->pkts_per_s, r->rx_polls, r->frames_per_poll, r->rx_empty, r->tx_ring_full,
		r->ping_n, r->ping_med, r->ping_p90, r->samples);
	for (i = 0; i < OWNER_NR; i++)
		fprintf(f, ",%.1f", r->ns_owner[i]);
	fprintf(f, ",%.1f,%.2f,%s,%.6f,%.6f,%s,%s\n", r->host_ns_per_pkt, r->host_cpu_ms,
		r->cpu_busy[0] ? r->cpu_busy : "-", r->t_start, r->t_end,
		r->modem_tids[0] ? r->modem_tids : "-", r->modules[0] ? r->modules : "-");
}

static void ping_stats(const char *path, struct result *r)
{
	static double rtt[MAX_PINGS];
	FILE *f = fopen(path, "r");
	struct bench_stats s;

	if (!f)
		return;
	r->ping_n = bench_ping_parse(f, rtt, MAX_PINGS);
	fclose(f);
	bench_stats(rtt, r->ping_n, &s);
	r->ping_med = s.median;
	r->ping_p90 = bench_percentile(rtt, r->ping_n, 90);
}

static void write_hist(const struct sweep_opts *o, const struct result *r,
		       const struct napi_summary *n)
{
	bool new_file = access(o->hist_output, F_OK) != 0;
	FILE *f = fopen(o->hist_output, "a");
	int i;

	if (!f)
		return;
	if (new_file)
		fprintf(f, "phase,label,dir,rx_ring,tx_ring,weight,bql,round,low,high,count\n");
	for (i = 0; i < n->nr_buckets; i++)
		fprintf(f, "%s,%s,%s,%d,%d,%d,%d,%d,%lld,%lld,%lld\n", r->phase, r->label, r->dir,
			r->rx_ring, r->tx_ring, r->weight, r->bql, r->round, n->low[i],
			n->high[i], n->count[i]);
	fclose(f);
}

static int measure(const struct sweep_opts *o, const struct config *cfg, int round,
		   FILE *csv)
{
	static const char *const counters[] = { "rx_polls", "tx_ring_full" };
	long long before[2], after[2], pkts_before = -1, pkts_after = -1;
	long long bytes_before = -1, bytes_after = -1;
	long long busy0[MAX_CPUS], total0[MAX_CPUS], busy1[MAX_CPUS], total1[MAX_CPUS];
	char ping_out[PATH_MAX], iperf_err[PATH_MAX];
	struct side_tool napi = { .pid = -1 }, ring = { .pid = -1 };
	pid_t ping_pid = -1;
	struct result r = { 0 };
	struct iperf_result ir;
	const char *why = NULL;
	int status = -1, ncpu, i, ret = -1;
	char *json;

	snprintf(r.phase, sizeof(r.phase), "%s", o->phase);
	snprintf(r.label, sizeof(r.label), "%s", o->label);
	snprintf(r.path, sizeof(r.path), "%s", o->path);
	snprintf(r.dir, sizeof(r.dir), "%s", cfg->receive ? "rx" : "tx");
	/* trafgen's packets are the UDP its config describes */
	snprintf(r.proto, sizeof(r.proto), "%s",
		 o->trafgen_conf || o->udp_len ? "udp" : "tcp");
	r.round = round;
	r.rx_ring = cfg->rx_ring;
	r.tx_ring = cfg->tx_ring;
	r.weight = cfg->weight;
	r.bql = cfg->bql;
	r.seconds = o->seconds;
	r.rx_empty = r.tx_ring_full = r.rx_polls = -1;
	snprintf(ping_out, sizeof(ping_out), "%s/ping.txt", o->workdir);
	snprintf(iperf_err, sizeof(iperf_err), "%s/iperf3.err", o->workdir);

	if (o->napi_tools && o->ifname) {
		side_tool_start(&napi, o, "dmuxnapi");
		side_tool_start(&ring, o, "dmuxring");
	}
	if (o->perf_ctl && perf_control(o, "enable\n"))
		fprintf(stderr, "dmuxbench: perf did not take \"enable\" (%s)\n", o->perf_ctl);
	if (o->ping) {
		char deadline[16];
		char *argv[] = { (char *)"ping", (char *)"-n", (char *)"-i", (char *)PING_INTERVAL,
				 (char *)"-w", deadline, (char *)o->addr, NULL };
		int fd = open(ping_out, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		snprintf(deadline, sizeof(deadline), "%d",
			 o->seconds > PING_SETTLE_SECS + 1 ? o->seconds - PING_SETTLE_SECS : 1);
		ping_pid = spawn(argv, fd, -1, PING_SETTLE_SECS);
		close(fd);
	}

	if (o->ifname) {
		read_stats(o->ifname, counters, before, 2);
		pkts_before = read_netdev(o->ifname, cfg->receive, false);
		bytes_before = read_netdev(o->ifname, cfg->receive, true);
	}
	ncpu = read_cpu_times(busy0, total0, MAX_CPUS);
	r.t_start = monotonic_now();
	if (o->trafgen_conf) {
		json = NULL;
		status = trafgen_run(o, &r);
	} else {
		json = iperf3_run(o, cfg->receive, iperf_err, &status);
	}
	r.t_end = monotonic_now();
	read_cpu_times(busy1, total1, MAX_CPUS);
	if (o->ifname) {
		read_stats(o->ifname, counters, after, 2);
		pkts_after = read_netdev(o->ifname, cfg->receive, false);
		bytes_after = read_netdev(o->ifname, cfg->receive, true);
	}
	if (ping_pid > 0)
		stop_child(ping_pid, SIGINT);
	if (o->perf_ctl)
		perf_control(o, "disable\n");
	note_modules(&r);
	note_modem_tids(o, &r);

	if (o->trafgen_conf) {
		/* what the interface received is the measure: no receiver reports */
		if (status || pkts_before < 0 || pkts_after < 0 || bytes_before < 0 ||
		    bytes_after < 0) {
			fprintf(stderr, "dmuxbench: trafgen failed (exit %d; its stderr: %s/trafgen.err)\n",
				status, o->workdir);
			goto out;
		}
		memset(&ir, 0, sizeof(ir));
		ir.mbps = (bytes_after - bytes_before) * 8.0 / 1e6 / (r.t_end - r.t_start);
	} else if (!json || bench_iperf_parse(json, &ir, &why)) {
		fprintf(stderr, "dmuxbench: iperf3 %s: %s (exit %d; its stderr: %s)\n",
			r.dir, why ? why : strerror(errno), status, iperf_err);
		goto out;
	}
	r.mbps = ir.mbps;
	r.retransmits = ir.retransmits;
	r.packets = pkts_before >= 0 && pkts_after >= 0 ? pkts_after - pkts_before :
		    ir.udp ? ir.packets : -1;
	r.pkts_per_s = r.packets > 0 ? (double)r.packets / o->seconds : 0;
	if (o->ifname && before[0] >= 0 && after[0] >= 0) {
		r.rx_polls = after[0] - before[0];
		r.frames_per_poll = r.rx_polls > 0 && cfg->receive ?
			(double)r.packets / r.rx_polls : 0;
	}
	if (o->ifname && before[1] >= 0 && after[1] >= 0)
		r.tx_ring_full = after[1] - before[1];
	if (o->ping)
		ping_stats(ping_out, &r);
	for (i = 0; i < ncpu; i++) {
		char part[16];
		long long dt = total1[i] - total0[i];

		snprintf(part, sizeof(part), "%s%.0f", i ? ";" : "",
			 dt > 0 ? 100.0 * (busy1[i] - busy0[i]) / dt : 0.0);
		strncat(r.cpu_busy, part, sizeof(r.cpu_busy) - strlen(r.cpu_busy) - 1);
	}
	ret = 0;
out:
	if (napi.pid > 0 || ring.pid > 0) {
		char *line = side_tool_stop(&napi);
		struct napi_summary ns = { 0 };

		if (line && !bench_napi_parse(line, &ns)) {
			if (o->hist_output)
				write_hist(o, &r, &ns);
		}
		free(line);
		line = side_tool_stop(&ring);
		if (line)
			r.rx_empty = bench_ring_rx_empty(line);
		free(line);
	}
	free(json);
	if (ret)
		return ret;
	print_row(csv, &r);
	fflush(csv);
	fprintf(stderr, "dmuxbench: r%d %-6s %-14s %s %s rx %4d tx %4d w %3d bql %2d: %8.2f Mbit/s %9.0f pkt/s",
		round, r.phase, r.label, r.dir, r.proto, r.rx_ring, r.tx_ring, r.weight, r.bql,
		r.mbps, r.pkts_per_s);
	if (o->ping)
		fprintf(stderr, " ping %.1f/%.1f ms", r.ping_med, r.ping_p90);
	fprintf(stderr, "\n");
	return 0;
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

static int parse_bql(const char *arg, struct sweep_opts *o)
{
	char *copy = strdup(arg), *tok, *save = NULL;

	o->nr_bqls = 0;
	for (tok = strtok_r(copy, ",", &save); tok && o->nr_bqls < 2;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "on"))
			o->bqls[o->nr_bqls++] = BQL_ON;
		else if (!strcmp(tok, "off"))
			o->bqls[o->nr_bqls++] = BQL_OFF;
		else
			o->nr_bqls = -1;
		if (o->nr_bqls < 0)
			break;
	}
	free(copy);
	return o->nr_bqls > 0 ? 0 : -1;
}

static int apply(const struct sweep_opts *o, const struct config *c)
{
	int ret = 0;

	if (o->ifname && (c->rx_ring || c->tx_ring)) {
		ret = set_rings(o->ifname, c->rx_ring, c->tx_ring);
		if (!ret && c->rx_ring)
			ret = wait_rx_ring(o->ifname, c->rx_ring, 30);
		if (ret) {
			fprintf(stderr, "dmuxbench: ethtool -G %s rx %d tx %d: %s\n",
				o->ifname, c->rx_ring, c->tx_ring, strerror(-ret));
			return ret;
		}
	}
	if (c->weight) {
		ret = write_int(NAPI_WEIGHT_PARAM, c->weight);
		if (ret) {
			fprintf(stderr, "dmuxbench: %s: %s\n", NAPI_WEIGHT_PARAM, strerror(-ret));
			return ret;
		}
	}
	if (o->ifname && c->bql != BQL_DEFAULT) {
		ret = set_bql(o->ifname, c->bql);
		if (ret)
			fprintf(stderr, "dmuxbench: BQL of %s: %s\n", o->ifname, strerror(-ret));
	}
	return ret;
}

/*
 * Round r runs every configuration once, the order rotated by r so that
 * no configuration always runs first or right after the same other one.
 */
static int sweep(const struct sweep_opts *o)
{
	static struct config cfgs[MAX_LIST * MAX_LIST * MAX_LIST * 2 * 2];
	int a, b, w, q, d, n = 0, r, k, failed = 0;
	bool dirs[2] = { o->rx, o->tx };
	FILE *csv = stdout;

	for (a = 0; a < o->nr_rx_rings; a++)
		for (b = 0; b < o->nr_tx_rings; b++)
			for (w = 0; w < o->nr_weights; w++)
				for (q = 0; q < o->nr_bqls; q++)
					for (d = 0; d < 2; d++) {
						if (!dirs[d])
							continue;
						cfgs[n++] = (struct config) {
							.rx_ring = o->rx_rings[a],
							.tx_ring = o->tx_rings[b],
							.weight = o->weights[w],
							.bql = o->bqls[q],
							.receive = d == 0,
						};
					}

	if (o->output) {
		bool new_file = access(o->output, F_OK) != 0;

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
	if (mkdir(o->workdir, 0755) && errno != EEXIST) {
		fprintf(stderr, "dmuxbench: %s: %s\n", o->workdir, strerror(errno));
		return 1;
	}
	for (r = o->first_round; r < o->first_round + o->rounds; r++) {
		for (k = 0; k < n; k++) {
			const struct config *c = &cfgs[(k + r) % n];

			if (apply(o, c) || measure(o, c, r, csv))
				failed++;
		}
	}
	if (csv != stdout)
		fclose(csv);
	return failed ? 1 : 0;
}

/* ---- report ------------------------------------------------------------- */

static int split_csv(char *line, char **fields, int max)
{
	int n = 0;
	char *p = line;

	line[strcspn(line, "\r\n")] = '\0';
	while (n < max) {
		fields[n++] = p;
		p = strchr(p, ',');
		if (!p)
			break;
		*p++ = '\0';
	}
	return n;
}

static int load_rows(const char *path, struct result *rows, int max)
{
	char line[2048], *f[CSV_FIELDS + 1];
	int n = 0, i;
	FILE *in = fopen(path, "r");

	if (!in) {
		fprintf(stderr, "dmuxbench: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), in) && n < max) {
		struct result *r = &rows[n];

		if (!strncmp(line, "phase,", 6))
			continue;
		if (split_csv(line, f, CSV_FIELDS + 1) != CSV_FIELDS)
			continue;
		memset(r, 0, sizeof(*r));
		snprintf(r->phase, sizeof(r->phase), "%s", f[0]);
		snprintf(r->label, sizeof(r->label), "%s", f[1]);
		snprintf(r->path, sizeof(r->path), "%s", f[2]);
		snprintf(r->dir, sizeof(r->dir), "%s", f[3]);
		snprintf(r->proto, sizeof(r->proto), "%s", f[4]);
		r->round = atoi(f[5]);
		r->rx_ring = atoi(f[6]);
		r->tx_ring = atoi(f[7]);
		r->weight = atoi(f[8]);
		r->bql = atoi(f[9]);
		r->seconds = atoi(f[10]);
		r->mbps = atof(f[11]);
		r->retransmits = atoll(f[12]);
		r->packets = atoll(f[13]);
		r->pkts_per_s = atof(f[14]);
		r->rx_polls = atoll(f[15]);
		r->frames_per_poll = atof(f[16]);
		r->rx_empty = atoll(f[17]);
		r->tx_ring_full = atoll(f[18]);
		r->ping_n = atoi(f[19]);
		r->ping_med = atof(f[20]);
		r->ping_p90 = atof(f[21]);
		r->samples = atoll(f[22]);
		for (i = 0; i < OWNER_NR; i++)
			r->ns_owner[i] = atof(f[23 + i]);
		r->host_ns_per_pkt = atof(f[30]);
		r->host_cpu_ms = atof(f[31]);
		snprintf(r->cpu_busy, sizeof(r->cpu_busy), "%s", f[32]);
		r->t_start = atof(f[33]);
		r->t_end = atof(f[34]);
		snprintf(r->modem_tids, sizeof(r->modem_tids), "%s", f[35]);
		snprintf(r->modules, sizeof(r->modules), "%s", f[36]);
		n++;
	}
	fclose(in);
	return n;
}

/* the measures a group reports, each over its repeated runs */
enum measure_id {
	M_MBPS, M_PPS, M_HOST_NS, M_HOST_US_PER_MBIT, M_PING_MED, M_PING_P90,
	M_FPP, M_RX_EMPTY, M_TX_FULL, M_OWNER0,
	M_NR = M_OWNER0 + OWNER_NR,
};

static const char *const measure_names[M_NR] = {
	"mbps", "pkts_per_s", "host_ns_per_pkt", "host_us_per_mbit", "ping_med_ms",
	"ping_p90_ms", "frames_per_poll", "rx_empty", "tx_ring_full",
	"ns_driver", "ns_sim", "ns_copy", "ns_stack", "ns_user", "ns_modem", "ns_idle",
};

struct group {
	const struct result *first;	/* its configuration */
	int nr;
	struct bench_stats m[M_NR];
	bool has_perf, has_ping;
	char cpu_busy[256];		/* per run, for the table */
};

static bool same_config(const struct result *a, const struct result *b)
{
	return !strcmp(a->phase, b->phase) && !strcmp(a->label, b->label) &&
	       !strcmp(a->path, b->path) && !strcmp(a->dir, b->dir) &&
	       !strcmp(a->proto, b->proto) && a->rx_ring == b->rx_ring &&
	       a->tx_ring == b->tx_ring && a->weight == b->weight && a->bql == b->bql;
}

static double measure_of(const struct result *r, enum measure_id m)
{
	switch (m) {
	case M_MBPS: return r->mbps;
	case M_PPS: return r->pkts_per_s;
	case M_HOST_NS: return r->host_ns_per_pkt;
	case M_HOST_US_PER_MBIT:
		return r->mbps > 0 ? r->host_cpu_ms * 1e3 / (r->mbps * r->seconds) : 0;
	case M_PING_MED: return r->ping_med;
	case M_PING_P90: return r->ping_p90;
	case M_FPP: return r->frames_per_poll;
	case M_RX_EMPTY: return (double)r->rx_empty;
	case M_TX_FULL: return (double)r->tx_ring_full;
	default: return r->ns_owner[m - M_OWNER0];
	}
}

static int make_groups(const struct result *rows, int n, struct group *g)
{
	static double v[MAX_ROWS];
	int ng = 0, i, j, m;

	for (i = 0; i < n; i++) {
		for (j = 0; j < ng; j++)
			if (same_config(g[j].first, &rows[i]))
				break;
		if (j < ng)
			continue;
		memset(&g[ng], 0, sizeof(g[ng]));
		g[ng].first = &rows[i];
		for (m = 0; m < M_NR; m++) {
			int k = 0;

			for (j = i; j < n; j++)
				if (same_config(&rows[i], &rows[j])) {
					v[k++] = measure_of(&rows[j], m);
					if (m == 0) {
						g[ng].has_perf |= rows[j].samples > 0;
						g[ng].has_ping |= rows[j].ping_n > 0;
						if (strlen(g[ng].cpu_busy) + strlen(rows[j].cpu_busy) + 2 <
						    sizeof(g[ng].cpu_busy)) {
							if (g[ng].cpu_busy[0])
								strcat(g[ng].cpu_busy, " ");
							strcat(g[ng].cpu_busy, rows[j].cpu_busy);
						}
					}
				}
			bench_stats(v, k, &g[ng].m[m]);
			g[ng].nr = k;
		}
		ng++;
	}
	return ng;
}

static const char *bql_name(int bql)
{
	return bql == BQL_ON ? "on" : bql == BQL_OFF ? "off" : "-";
}

/* "median [min-max] ±spread%" */
static const char *fmt_stat(char *buf, size_t len, const struct bench_stats *s, int prec)
{
	snprintf(buf, len, "%.*f [%.*f-%.*f] ±%.0f%%", prec, s->median, prec, s->min, prec,
		 s->max, s->spread * 50);
	return buf;
}

/*
 * Ratio of medians a/b, with the range min(a)/max(b) .. max(a)/min(b); "no
 * difference" when the ranges of the runs overlap.
 */
static void fmt_ratio(char *buf, size_t len, const struct bench_stats *a,
		      const struct bench_stats *b)
{
	if (b->median <= 0 || b->min <= 0 || b->max <= 0) {
		snprintf(buf, len, "-");
		return;
	}
	snprintf(buf, len, "%.2fx [%.2f-%.2f]%s", a->median / b->median, a->min / b->max,
		 a->max / b->min, bench_overlap(a, b) ? " no difference" : "");
}

static const struct group *find_group(const struct group *g, int ng, const char *phase,
				      const char *label, const char *dir)
{
	int i;

	for (i = 0; i < ng; i++)
		if (!strcmp(g[i].first->phase, phase) && !strcmp(g[i].first->label, label) &&
		    !strcmp(g[i].first->dir, dir))
			return &g[i];
	return NULL;
}

struct env_info {
	char kernel[128], accel[64];
	long vcpus;
};

static void detect_env(struct env_info *e)
{
	struct utsname u;
	char line[4096];
	bool hypervisor = false;
	FILE *f;

	memset(e, 0, sizeof(*e));
	if (!uname(&u))
		snprintf(e->kernel, sizeof(e->kernel), "%s", u.release);
	e->vcpus = sysconf(_SC_NPROCESSORS_ONLN);
	f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "flags", 5) && strstr(line, " hypervisor"))
			hypervisor = true;
	if (f)
		fclose(f);
	snprintf(e->accel, sizeof(e->accel), "%s", hypervisor ? "unknown hypervisor" : "none");
#ifdef __x86_64__
	if (hypervisor) {
		unsigned int a, b, c, d;
		char sig[13] = "";

		/* the hypervisor's CPUID signature: "KVMKVMKVM", "TCGTCGTCGTCG" */
		__cpuid(0x40000000, a, b, c, d);
		memcpy(sig, &b, 4);
		memcpy(sig + 4, &c, 4);
		memcpy(sig + 8, &d, 4);
		if (!strncmp(sig, "KVMKVMKVM", 9))
			snprintf(e->accel, sizeof(e->accel), "KVM");
		else if (!strncmp(sig, "TCGTCGTCGTCG", 12))
			snprintf(e->accel, sizeof(e->accel), "TCG");
		else if (!sig[0] || !strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", sig[0]))
			/* QEMU's TCG leaves the leaf empty unless asked for a signature */
			snprintf(e->accel, sizeof(e->accel), "TCG (no KVM signature)");
		else
			snprintf(e->accel, sizeof(e->accel), "%.12s", sig);
	}
#else
	(void)line;
#endif
	{
		/* kvm-clock is offered only under KVM */
		FILE *cs = fopen("/sys/devices/system/clocksource/clocksource0/available_clocksource", "r");

		if (cs && fgets(line, sizeof(line), cs) && strstr(line, "kvm-clock") &&
		    strncmp(e->accel, "KVM", 3))
			snprintf(e->accel, sizeof(e->accel), "KVM (kvm-clock)");
		if (cs)
			fclose(cs);
	}
}

/*
 * The environment a results.json of DIR already records: a report made
 * again elsewhere (on the host, after the guest's run) keeps the run's.
 */
static int read_env(const char *dir, struct env_info *e)
{
	char path[PATH_MAX];
	const cJSON *env, *k, *a, *v;
	cJSON *root;
	char *text;
	FILE *f;
	long len;

	snprintf(path, sizeof(path), "%s/results.json", dir);
	f = fopen(path, "r");
	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = len > 0 ? calloc(1, (size_t)len + 1) : NULL;
	if (text && fread(text, 1, (size_t)len, f) != (size_t)len) {
		free(text);
		text = NULL;
	}
	fclose(f);
	if (!text)
		return -1;
	root = cJSON_Parse(text);
	free(text);
	env = cJSON_GetObjectItemCaseSensitive(root, "environment");
	k = cJSON_GetObjectItemCaseSensitive(env, "kernel");
	a = cJSON_GetObjectItemCaseSensitive(env, "accelerator");
	v = cJSON_GetObjectItemCaseSensitive(env, "vcpus");
	if (!cJSON_IsString(k) || !cJSON_IsString(a) || !cJSON_IsNumber(v)) {
		cJSON_Delete(root);
		return -1;
	}
	memset(e, 0, sizeof(*e));
	snprintf(e->kernel, sizeof(e->kernel), "%s", k->valuestring);
	snprintf(e->accel, sizeof(e->accel), "%s", a->valuestring);
	e->vcpus = (long)v->valuedouble;
	cJSON_Delete(root);
	return 0;
}

/* gnuplot with @script, through execvp */
static int gnuplot(const char *script)
{
	char *argv[] = { (char *)"gnuplot", (char *)script, NULL };
	pid_t pid = spawn(argv, -1, STDERR_FILENO, 0);

	return pid < 0 ? -1 : wait_child(pid);
}

struct report_ctx {
	const char *dir;
	struct group *g;
	int ng;
	FILE *md;
};

static FILE *open_in(const struct report_ctx *c, const char *name, char *path, size_t len)
{
	snprintf(path, len, "%s/%s", c->dir, name);
	return fopen(path, "w");
}

/* throughput and latency against ring size in the link phase */
static void plot_rings(const struct report_ctx *c)
{
	char dat[PATH_MAX], gp[PATH_MAX];
	FILE *f = open_in(c, "rings.dat", dat, sizeof(dat)), *s;
	int i, series = 0;
	static const struct { const char *dir; int bql; const char *title; } kinds[] = {
		{ "rx", -2, "downlink, RX ring" },
		{ "tx", BQL_ON, "uplink, TX ring, BQL on" },
		{ "tx", BQL_OFF, "uplink, TX ring, BQL off" },
	};
	int k;

	if (!f)
		return;
	for (k = 0; k < 3; k++) {
		int written = 0;

		/* one gnuplot index per kind, rows by ring size */
		for (int ring = 1; ring <= 4096; ring *= 2)
			for (i = 0; i < c->ng; i++) {
				const struct result *r = c->g[i].first;
				int size = !strcmp(r->dir, "rx") ? r->rx_ring : r->tx_ring;

				if (strcmp(r->phase, "link") || strcmp(r->dir, kinds[k].dir) ||
				    (kinds[k].bql != -2 && r->bql != kinds[k].bql) || size != ring)
					continue;
				fprintf(f, "%d %.3f %.3f %.3f %.2f %.2f\n", size,
					c->g[i].m[M_MBPS].median, c->g[i].m[M_MBPS].min,
					c->g[i].m[M_MBPS].max, c->g[i].m[M_PING_MED].median,
					c->g[i].m[M_PING_P90].median);
				written++;
			}
		if (!written)
			fprintf(f, "nan nan nan nan nan nan\n");
		fprintf(f, "\n\n");
		series += written > 0;
	}
	fclose(f);
	if (!series)
		return;
	s = open_in(c, "rings.gp", gp, sizeof(gp));
	if (!s)
		return;
	fprintf(s, "set terminal pngcairo size 900,540 noenhanced\n"
		"set logscale x 2\nset grid\nset key outside right\nset xlabel 'ring size (buffers)'\n"
		"set output '%s/throughput-vs-ring.png'\n"
		"set title 'Throughput under the link model: median, bars min-max'\n"
		"set ylabel 'Mbit/s'\n"
		"plot '%s' index 0 using 1:2:3:4 with yerrorlines title '%s', \\\n"
		"     '' index 1 using 1:2:3:4 with yerrorlines title '%s', \\\n"
		"     '' index 2 using 1:2:3:4 with yerrorlines title '%s'\n"
		"set output '%s/latency-vs-ring.png'\n"
		"set title 'ping RTT under load (median of runs)'\n"
		"set ylabel 'ms'\n"
		"plot '%s' index 0 using 1:5 with linespoints title '%s median', \\\n"
		"     '' index 0 using 1:6 with linespoints title '%s p90', \\\n"
		"     '' index 1 using 1:5 with linespoints title '%s median', \\\n"
		"     '' index 1 using 1:6 with linespoints title '%s p90', \\\n"
		"     '' index 2 using 1:5 with linespoints title '%s median', \\\n"
		"     '' index 2 using 1:6 with linespoints title '%s p90'\n",
		c->dir, dat, kinds[0].title, kinds[1].title, kinds[2].title, c->dir, dat,
		kinds[0].title, kinds[0].title, kinds[1].title, kinds[1].title,
		kinds[2].title, kinds[2].title);
	fclose(s);
	if (gnuplot(gp))
		fprintf(stderr, "dmuxbench: gnuplot %s failed\n", gp);
}

static void plot_weights(const struct report_ctx *c)
{
	char dat[PATH_MAX], gp[PATH_MAX];
	FILE *f = open_in(c, "weights.dat", dat, sizeof(dat)), *s;
	int i, points = 0;

	if (!f)
		return;
	for (int w = 1; w <= 256; w++)
		for (i = 0; i < c->ng; i++) {
			const struct group *g = &c->g[i];

			if (strcmp(g->first->phase, "weight") || g->first->weight != w ||
			    !g->has_perf)
				continue;
			fprintf(f, "%d %.3f %.3f %.3f\n", w, g->m[M_HOST_US_PER_MBIT].median,
				g->m[M_HOST_US_PER_MBIT].min, g->m[M_HOST_US_PER_MBIT].max);
			points++;
		}
	fclose(f);
	if (!points)
		return;
	s = open_in(c, "weights.gp", gp, sizeof(gp));
	if (!s)
		return;
	fprintf(s, "set terminal pngcairo size 900,540 noenhanced\n"
		"set output '%s/cpu-per-mbit-vs-weight.png'\n"
		"set title 'Host CPU per Mbit (simulator excluded), downlink at the cap'\n"
		"set xlabel 'NAPI weight'\nset ylabel 'us of CPU per Mbit'\nset logscale x 2\n"
		"set grid\nplot '%s' using 1:2:3:4 with yerrorlines title 'median, bars min-max'\n",
		c->dir, dat);
	fclose(s);
	if (gnuplot(gp))
		fprintf(stderr, "dmuxbench: gnuplot %s failed\n", gp);
}

/* the frames-per-poll histogram, summed over the runs of each NAPI weight */
static void plot_hist(const struct report_ctx *c, const char *hist_csv)
{
	char line[512], dat[PATH_MAX], gp[PATH_MAX], *f[12];
	static long long count[257][BENCH_HIST_MAX];
	static long long lows[BENCH_HIST_MAX];
	int nlows = 0, weights[16], nw = 0, i, j;
	FILE *in = fopen(hist_csv, "r"), *out, *s;

	if (!in)
		return;
	memset(count, 0, sizeof(count));
	while (fgets(line, sizeof(line), in)) {
		long long low;
		int w;

		/* downlink runs only: an uplink run's polls find nothing */
		if (split_csv(line, f, 12) != 11 || !strcmp(f[0], "phase") || strcmp(f[2], "rx"))
			continue;
		w = atoi(f[5]);
		low = atoll(f[8]);
		if (w < 0 || w > 256)
			continue;
		for (i = 0; i < nw && weights[i] != w; i++)
			;
		if (i == nw && nw < 16)
			weights[nw++] = w;
		for (j = 0; j < nlows && lows[j] != low; j++)
			;
		if (j == nlows) {
			if (nlows == BENCH_HIST_MAX)
				continue;
			lows[nlows++] = low;
		}
		count[w][j] += atoll(f[10]);
	}
	fclose(in);
	if (!nlows)
		return;
	out = open_in(c, "frames-per-poll.dat", dat, sizeof(dat));
	if (!out)
		return;
	/* rows by frames per poll, one column per weight */
	fprintf(out, "frames");
	for (i = 0; i < nw; i++)
		if (weights[i])
			fprintf(out, " weight_%d", weights[i]);
		else
			fprintf(out, " weight_as_set");
	fprintf(out, "\n");
	for (long long low = 0; low <= 4096; low++) {
		for (j = 0; j < nlows && lows[j] != low; j++)
			;
		if (j == nlows)
			continue;
		fprintf(out, "%lld", low);
		for (i = 0; i < nw; i++)
			fprintf(out, " %lld", count[weights[i]][j]);
		fprintf(out, "\n");
	}
	fclose(out);
	s = open_in(c, "frames-per-poll.gp", gp, sizeof(gp));
	if (!s)
		return;
	fprintf(s, "set terminal pngcairo size 900,540 noenhanced\n"
		"set output '%s/frames-per-poll.png'\n"
		"set title 'Frames per NAPI poll (dmuxnapi -j beside the runs)'\n"
		"set xlabel 'frames in the poll'\nset ylabel 'polls'\nset style data histograms\n"
		"set style fill solid 0.8\nset key autotitle columnheader\nset grid ytics\n"
		"plot for [col=2:%d] '%s' using col:xtic(int($1) %% 8 == 0 ? stringcolumn(1) : '')\n",
		c->dir, nw + 1, dat);
	fclose(s);
	if (gnuplot(gp))
		fprintf(stderr, "dmuxbench: gnuplot %s failed\n", gp);
}

static void md_row_head(FILE *md)
{
	fprintf(md, "| phase | label | dir | rx/tx ring | weight | BQL | runs | Mbit/s | "
		"pkt/s | host ns/pkt (no sim) | host µs/Mbit | driver | sim | copy | stack | "
		"user | modem | ping med/p90 ms | frames/poll | rx_empty | tx_ring_full | "
		"CPU busy %% (per CPU, per run) |\n"
		"|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
}

static void md_row(FILE *md, const struct group *g)
{
	const struct result *r = g->first;
	char a[64], b[64], h[64], u[64];

	fprintf(md, "| %s | %s | %s | %d/%d | %d | %s | %d | %s | %s | ", r->phase, r->label,
		r->dir, r->rx_ring, r->tx_ring, r->weight, bql_name(r->bql), g->nr,
		fmt_stat(a, sizeof(a), &g->m[M_MBPS], 2), fmt_stat(b, sizeof(b), &g->m[M_PPS], 0));
	if (g->has_perf)
		fprintf(md, "%s | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | ",
			fmt_stat(h, sizeof(h), &g->m[M_HOST_NS], 0),
			fmt_stat(u, sizeof(u), &g->m[M_HOST_US_PER_MBIT], 1),
			g->m[M_OWNER0 + OWNER_DRIVER].median, g->m[M_OWNER0 + OWNER_SIM].median,
			g->m[M_OWNER0 + OWNER_COPY].median, g->m[M_OWNER0 + OWNER_STACK].median,
			g->m[M_OWNER0 + OWNER_USER].median, g->m[M_OWNER0 + OWNER_MODEM].median);
	else
		fprintf(md, "- | - | - | - | - | - | - | - | ");
	if (g->has_ping)
		fprintf(md, "%.1f / %.1f | ", g->m[M_PING_MED].median, g->m[M_PING_P90].median);
	else
		fprintf(md, "- | ");
	fprintf(md, "%.1f | %.0f | %.0f | %s |\n", g->m[M_FPP].median, g->m[M_RX_EMPTY].median,
		g->m[M_TX_FULL].median, g->cpu_busy);
}

static void md_ratio(FILE *md, const struct group *g, int ng, const char *phase,
		     const char *a, const char *b, const char *dir)
{
	const struct group *x = find_group(g, ng, phase, a, dir);
	const struct group *y = find_group(g, ng, phase, b, dir);
	char t[96], c[96], p[96];

	if (!x || !y)
		return;
	fmt_ratio(t, sizeof(t), &x->m[M_MBPS], &y->m[M_MBPS]);
	fmt_ratio(p, sizeof(p), &x->m[M_PPS], &y->m[M_PPS]);
	if (x->has_perf && y->has_perf)
		fmt_ratio(c, sizeof(c), &x->m[M_HOST_NS], &y->m[M_HOST_NS]);
	else
		snprintf(c, sizeof(c), "-");
	fprintf(md, "| %s | %s / %s | %s | %s | %s |\n", dir, a, b, t, p, c);
}

/*
 * A target on the ratio a/b of one measure: met when even the worst pairing
 * of runs reaches it, missed when even the best does not, else unclear.
 */
static void md_target(FILE *md, const struct group *g, int ng, const char *phase,
		      const char *a, const char *b, const char *dir, enum measure_id m,
		      double target, const char *what)
{
	const struct group *x = find_group(g, ng, phase, a, dir);
	const struct group *y = find_group(g, ng, phase, b, dir);
	const struct bench_stats *sa, *sb;
	double med, lo, hi;

	if (!x || !y) {
		fprintf(md, "- %s: not measured in this run.\n", what);
		return;
	}
	sa = &x->m[m];
	sb = &y->m[m];
	if (sb->median <= 0 || sb->min <= 0 || sb->max <= 0)
		return;
	med = sa->median / sb->median;
	lo = sa->min / sb->max;
	hi = sa->max / sb->min;
	fprintf(md, "- %s (%s / %s, %s, %s): %.3f [%.3f-%.3f] against %.2f: %s\n", what, a, b,
		dir, measure_names[m], med, lo, hi, target,
		lo >= target ? "met" : hi < target ? "not met" :
		"unclear: the spread of the runs straddles it");
}

/* a knobs.txt line "name=value", cut at its '=': the value, or NULL */
static char *knob_split(char *line)
{
	char *eq;

	line[strcspn(line, "\n")] = '\0';
	eq = strchr(line, '=');
	if (!eq)
		return NULL;
	*eq = '\0';
	return eq + 1;
}

/* @name's value in DIR/knobs.txt into @buf, else @fallback */
static void knob_get(const char *dir, const char *name, const char *fallback, char *buf,
		     size_t len)
{
	char path[PATH_MAX], line[512], *value;
	FILE *f;

	snprintf(buf, len, "%s", fallback);
	snprintf(path, sizeof(path), "%s/knobs.txt", dir);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		value = knob_split(line);
		if (value && !strcmp(line, name))
			snprintf(buf, len, "%s", value);
	}
	if (f)
		fclose(f);
}

/*
 * The tools' CPU, from DIR/@label.txt (obs-cost.txt: one download with
 * every tool attached, bench/run's obs_cost; obs-cost-deb12.txt: the same
 * with the scripts under Debian 12's bpftrace). Their programs run per event, so their
 * run time (bpf_stats) a packet is set against the same run's host ns a
 * packet without the simulator (perf, which holds it too): that share is
 * what the 5 % asked of the tools is made of, and throughput in 5 s runs
 * varies by more than 5 %. Their processes wake once an interval whatever
 * the traffic: a fixed cost, given as CPU time per second of the run.
 */
static void md_obs_cpu(FILE *md, const char *dir, const struct group *g, int ng,
		       const char *label, const char *bpftrace_knob)
{
	const struct group *run = find_group(g, ng, "obs", label, "rx");
	struct bench_obs_cost c;
	char path[PATH_MAX], bpftrace[64];
	double host, tools, all;
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "%s/%s.txt", dir, label);
	f = fopen(path, "r");
	ret = f ? bench_obs_cost_parse(f, &c) : -1;
	if (f)
		fclose(f);
	if (ret || !run || run->m[M_HOST_NS].median <= 0) {
		fprintf(md, "- the tools' share of host CPU a packet (%s): not measured in this run.\n",
			label);
		return;
	}
	knob_get(dir, bpftrace_knob, "bpftrace", bpftrace, sizeof(bpftrace));
	host = run->m[M_HOST_NS].median;
	tools = c.tools_bpf_ns / c.packets;
	all = tools + c.bpftrace_bpf_ns / c.packets;
	fprintf(md, "- the four BPF tools' programs, share of host CPU a packet (%s, "
		"one run): %.0f of %.0f ns = %.1f %% against 5 %%: %s; their processes "
		"besides: %.1f ms of CPU a second, whatever the traffic\n", label,
		tools, host, 100 * tools / host, tools <= 0.05 * host ? "met" : "not met",
		c.tools_proc_ns / 1e3 / c.ms);
	fprintf(md, "- with the bpftrace scripts' programs under %s (%.0f ns a packet more): "
		"%.1f %% against 5 %%: %s; their processes besides: %.1f ms of CPU a second\n",
		bpftrace, all - tools, 100 * all / host, all <= 0.05 * host ? "met" : "not met",
		c.bpftrace_proc_ns / 1e3 / c.ms);
}

enum pick_step { PICK_FAST, PICK_LOW_LATENCY, PICK_LOW_CPU };

/* the knobs of the points that passed a step of bench_pick, as "16, 64" */
static void pick_list(char *buf, size_t len, const struct bench_point *p, int n,
		      enum pick_step step)
{
	size_t used = 0;
	bool passed;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n && used < len; i++) {
		passed = step == PICK_FAST ? p[i].fast :
			 step == PICK_LOW_LATENCY ? p[i].low_latency : p[i].low_cpu;
		if (passed)
			used += snprintf(buf + used, len - used, "%s%d", used ? ", " : "",
					 p[i].knob);
	}
}

/*
 * The ring sizes and the weight to use, with the evidence: bench_pick's
 * steps (throughput within 5 % of the best, then the lowest latency under
 * load, then the lowest host CPU per Mbit, each "lowest" meaning the
 * points whose runs cannot be told from it), and the smallest of what is
 * left.
 */
static void recommend(FILE *md, const struct group *g, int ng)
{
	static const struct { const char *phase, *dir; int bql; const char *what; } picks[] = {
		{ "link", "rx", -2, "RX ring" },
		{ "link", "tx", BQL_ON, "TX ring (BQL on)" },
		{ "weight", "rx", -2, "NAPI weight" },
	};
	struct bench_point *pt = calloc(ng ? ng : 1, sizeof(*pt));
	char fast[256], lat[256], cpu[256];
	int k, i, n, pick, best;

	fprintf(md, "\n## Recommendation\n\n");
	if (!pt) {
		fprintf(md, "- not computed: out of memory.\n");
		goto out;
	}
	for (k = 0; k < 3; k++) {
		n = 0;
		for (i = 0; i < ng; i++) {
			const struct group *c = &g[i];

			if (strcmp(c->first->phase, picks[k].phase) ||
			    strcmp(c->first->dir, picks[k].dir) ||
			    (picks[k].bql != -2 && c->first->bql != picks[k].bql))
				continue;
			pt[n] = (struct bench_point){
				.knob = k == 0 ? c->first->rx_ring :
					k == 1 ? c->first->tx_ring : c->first->weight,
				.mbps = c->m[M_MBPS],
				.ping_p90 = c->m[M_PING_P90],
				.cpu = c->m[M_HOST_US_PER_MBIT],
				.has_ping = c->has_ping,
				.has_cpu = c->has_perf,
			};
			n++;
		}
		pick = bench_pick(pt, n, RECOMMEND_TOLERANCE, &best);
		if (pick < 0) {
			fprintf(md, "- %s: not measured in this run.\n", picks[k].what);
			continue;
		}
		pick_list(fast, sizeof(fast), pt, n, PICK_FAST);
		pick_list(lat, sizeof(lat), pt, n, PICK_LOW_LATENCY);
		pick_list(cpu, sizeof(cpu), pt, n, PICK_LOW_CPU);
		fprintf(md, "- **%s %d**: %.2f Mbit/s (best %.2f at %d), ping p90 %.1f ms, ",
			picks[k].what, pt[pick].knob, pt[pick].mbps.median,
			pt[best].mbps.median, pt[best].knob, pt[pick].ping_p90.median);
		if (pt[pick].has_cpu)
			fprintf(md, "host %.1f µs/Mbit.", pt[pick].cpu.median);
		else
			fprintf(md, "host CPU not measured.");
		fprintf(md, " Within %.0f %% of the best throughput: %s; of those, ping p90 no "
			"different from the lowest: %s; of those, host CPU per Mbit no different "
			"from the lowest: %s; the smallest of these is picked%s.\n",
			RECOMMEND_TOLERANCE * 100, fast, lat, cpu,
			strchr(cpu, ',') ? " (no measured difference between them)" : "");
	}
out:
	free(pt);
}

static cJSON *stats_json(const struct bench_stats *s)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "n", s->n);
	cJSON_AddNumberToObject(o, "median", s->median);
	cJSON_AddNumberToObject(o, "min", s->min);
	cJSON_AddNumberToObject(o, "max", s->max);
	cJSON_AddNumberToObject(o, "spread", s->spread);
	return o;
}

static int write_json(const char *dir, const struct env_info *e, const char *knobs,
		      const struct group *g, int ng)
{
	char path[PATH_MAX], line[512];
	cJSON *root = cJSON_CreateObject(), *env, *kn, *groups;
	FILE *f;
	char *text;
	int i, m;

	env = cJSON_AddObjectToObject(root, "environment");
	cJSON_AddStringToObject(env, "kernel", e->kernel);
	cJSON_AddStringToObject(env, "accelerator", e->accel);
	cJSON_AddNumberToObject(env, "vcpus", e->vcpus);
	kn = cJSON_AddObjectToObject(root, "knobs");
	f = knobs ? fopen(knobs, "r") : NULL;
	while (f && fgets(line, sizeof(line), f)) {
		char *value = knob_split(line);

		if (value)
			cJSON_AddStringToObject(kn, line, value);
	}
	if (f)
		fclose(f);
	cJSON_AddNumberToObject(kn, "perf_period_ns", PERF_PERIOD_NS);
	groups = cJSON_AddArrayToObject(root, "points");
	for (i = 0; i < ng; i++) {
		const struct result *r = g[i].first;
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "phase", r->phase);
		cJSON_AddStringToObject(o, "label", r->label);
		cJSON_AddStringToObject(o, "path", r->path);
		cJSON_AddStringToObject(o, "dir", r->dir);
		cJSON_AddStringToObject(o, "proto", r->proto);
		cJSON_AddNumberToObject(o, "rx_ring", r->rx_ring);
		cJSON_AddNumberToObject(o, "tx_ring", r->tx_ring);
		cJSON_AddNumberToObject(o, "weight", r->weight);
		cJSON_AddStringToObject(o, "bql", bql_name(r->bql));
		cJSON_AddNumberToObject(o, "seconds", r->seconds);
		cJSON_AddNumberToObject(o, "runs", g[i].nr);
		cJSON_AddStringToObject(o, "cpu_busy_percent_per_run", g[i].cpu_busy);
		for (m = 0; m < M_NR; m++)
			cJSON_AddItemToObject(o, measure_names[m], stats_json(&g[i].m[m]));
		cJSON_AddItemToArray(groups, o);
	}
	text = cJSON_Print(root);
	cJSON_Delete(root);
	snprintf(path, sizeof(path), "%s/results.json", dir);
	f = fopen(path, "w");
	if (!f || !text) {
		free(text);
		if (f)
			fclose(f);
		return -1;
	}
	fprintf(f, "%s\n", text);
	free(text);
	return fclose(f);
}

static int report(const char *dir)
{
	static struct result rows[MAX_ROWS];
	static struct group groups[MAX_ROWS];
	char csv[PATH_MAX], knobs[PATH_MAX], hist[PATH_MAX], mdpath[PATH_MAX];
	static const char *const phases[] = { "base", "link", "weight", "small", "obs", "quick" };
	struct report_ctx c = { .dir = dir, .g = groups };
	struct env_info e;
	int n, i, p;
	FILE *md;

	snprintf(csv, sizeof(csv), "%s/results.csv", dir);
	snprintf(knobs, sizeof(knobs), "%s/knobs.txt", dir);
	snprintf(hist, sizeof(hist), "%s/frames-per-poll.csv", dir);
	snprintf(mdpath, sizeof(mdpath), "%s/report.md", dir);
	n = load_rows(csv, rows, MAX_ROWS);
	if (n <= 0) {
		fprintf(stderr, "dmuxbench: no results in %s\n", csv);
		return 1;
	}
	c.ng = make_groups(rows, n, groups);
	if (read_env(dir, &e))
		detect_env(&e);
	if (write_json(dir, &e, access(knobs, R_OK) ? NULL : knobs, groups, c.ng))
		fprintf(stderr, "dmuxbench: cannot write %s/results.json\n", dir);
	md = fopen(mdpath, "w");
	if (!md) {
		fprintf(stderr, "dmuxbench: %s: %s\n", mdpath, strerror(errno));
		return 1;
	}
	c.md = md;
	fprintf(md, "# dmuxbench report\n\nKernel %s, accelerator %s, %ld vCPUs. "
		"Medians of repeated, interleaved runs, [min-max] and ±half the range in %% "
		"of the median. Host CPU excludes the simulator (sim) and the modem side. "
		"CPU columns are ns per data packet (perf cpu-clock, %lld ns a sample).\n\n",
		e.kernel, e.accel, e.vcpus, PERF_PERIOD_NS);
	for (p = 0; p < 6; p++) {
		bool any = false;

		for (i = 0; i < c.ng; i++) {
			if (strcmp(groups[i].first->phase, phases[p]))
				continue;
			if (!any) {
				fprintf(md, "\n## %s\n\n", phases[p]);
				md_row_head(md);
			}
			any = true;
			md_row(md, &groups[i]);
		}
	}
	fprintf(md, "\n## Ratios (median/median [worst-best pairing of runs])\n\n"
		"| dir | a / b | Mbit/s | pkt/s | host ns/pkt |\n|---|---|---|---|---|\n");
	for (i = 0; i < 2; i++) {
		const char *d = i ? "tx" : "rx";

		md_ratio(md, groups, c.ng, "base", "napi1", "veth-nooffload", d);
		md_ratio(md, groups, c.ng, "base", "napi1", "veth-shipped", d);
		md_ratio(md, groups, c.ng, "base", "napi1", "napi0", d);
		md_ratio(md, groups, c.ng, "small", "udp64-napi1", "udp64-napi0", d);
		md_ratio(md, groups, c.ng, "obs", "obs-tools", "obs-off", d);
		md_ratio(md, groups, c.ng, "obs", "obs-on", "obs-off", d);
		md_ratio(md, groups, c.ng, "obs", "obs-on-deb12", "obs-off", d);
	}
	fprintf(md, "\n## Targets\n\n");
	md_target(md, groups, c.ng, "small", "udp64-napi1", "udp64-napi0", "rx", M_PPS, 2.0,
		  "NAPI at 2x per-packet delivery in frames/s at saturation");
	md_target(md, groups, c.ng, "obs", "obs-tools", "obs-off", "rx", M_MBPS, 0.95,
		  "the four BPF tools cost at most 5 %");
	md_target(md, groups, c.ng, "obs", "obs-on", "obs-off", "rx", M_MBPS, 0.95,
		  "the four BPF tools and the bpftrace scripts cost at most 5 %");
	if (find_group(groups, c.ng, "obs", "obs-on-deb12", "rx"))
		md_target(md, groups, c.ng, "obs", "obs-on-deb12", "obs-off", "rx", M_MBPS,
			  0.95, "the same, the scripts under Debian 12's bpftrace");
	md_obs_cpu(md, dir, groups, c.ng, "obs-cost", "obs_bpftrace");
	if (find_group(groups, c.ng, "obs", "obs-cost-deb12", "rx"))
		md_obs_cpu(md, dir, groups, c.ng, "obs-cost-deb12", "obs_bpftrace_deb12");
	recommend(md, groups, c.ng);
	fclose(md);
	plot_rings(&c);
	plot_weights(&c);
	plot_hist(&c, hist);
	/* the report on stdout too */
	md = fopen(mdpath, "r");
	if (md) {
		char line[1024];

		while (fgets(line, sizeof(line), md))
			fputs(line, stdout);
		fclose(md);
	}
	return 0;
}

/* ---- owners --------------------------------------------------------------- */

/* dmuxbench owners PERF_SCRIPT_OUTPUT [-m PROC_MODULES] [MODEM_TID...] */
static int owners(int argc, char **argv)
{
	static struct module_range modules[MAX_MODULES];
	static int pids[MAX_PIDS];
	struct owner_ctx ctx = { .modem_pids = pids, .modules = modules };
	struct owner_counts c;
	FILE *f;
	int i;

	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "-m") && i + 1 < argc) {
			f = fopen(argv[++i], "r");
			if (!f) {
				fprintf(stderr, "dmuxbench: %s: %s\n", argv[i], strerror(errno));
				return 1;
			}
			ctx.nr_modules = bench_modules_parse(f, modules, MAX_MODULES);
			fclose(f);
		} else if (ctx.nr_modem_pids < MAX_PIDS) {
			pids[ctx.nr_modem_pids++] = atoi(argv[i]);
		}
	}
	f = strcmp(argv[1], "-") ? fopen(argv[1], "r") : stdin;
	if (!f) {
		fprintf(stderr, "dmuxbench: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	bench_perf_count(f, &ctx, &c);
	if (f != stdin)
		fclose(f);
	for (i = 0; i < OWNER_NR; i++)
		printf("%-7s %8lld samples %6.2f %%\n", bench_owner_names[i], c.samples[i],
		       c.total ? 100.0 * c.samples[i] / c.total : 0);
	printf("total   %8lld samples (%lld other lines)\n", c.total, c.unparsed);
	return c.total ? 0 : 1;
}

/* ---- attribute: perf's samples to the runs ------------------------------- */

/* a row's owner context from its modem_tids and modules columns */
static void row_ctx(const struct result *r, struct owner_ctx *ctx, int *pids,
		    struct module_range *m)
{
	char copy[512], *tok, *save = NULL;

	ctx->modem_pids = pids;
	ctx->modules = m;
	ctx->nr_modules = 0;
	ctx->nr_modem_pids = bench_tids_parse(r->modem_tids, pids, MAX_PIDS);
	snprintf(copy, sizeof(copy), "%s", r->modules);
	for (tok = strtok_r(copy, ";", &save); tok && ctx->nr_modules < 2;
	     tok = strtok_r(NULL, ";", &save)) {
		struct module_range *mr = &m[ctx->nr_modules];

		if (sscanf(tok, "%63[^:]:%llx:%llx", mr->name, &mr->start, &mr->end) == 3)
			ctx->nr_modules++;
	}
}

/*
 * dmuxbench attribute CSV PERF_DATA: perf script once over the whole
 * bench; every sample goes to the run whose [t_start, t_end) holds it;
 * the CPU columns of CSV are filled in and the file rewritten.
 */
static int attribute(const char *csv_path, const char *data)
{
	char *argv[] = { (char *)"perf", (char *)"script", (char *)"-i", (char *)data,
			 (char *)"-F", (char *)"comm,tid,cpu,time,ip,sym,dso", NULL };
	static struct result rows[MAX_ROWS];
	static long long counts[MAX_ROWS][OWNER_NR];
	static int pids[MAX_PIDS];
	static struct perf_sample s;
	struct module_range m[2];
	struct owner_ctx ctx;
	struct perf_reader rd = { 0 };
	int n, i, j, status, last = 0;
	long long outside = 0;
	FILE *f, *out;
	pid_t pid;
	int pipefd[2];
	char tmp[PATH_MAX];

	n = load_rows(csv_path, rows, MAX_ROWS);
	if (n <= 0)
		return 1;
	if (pipe(pipefd))
		return 1;
	pid = spawn(argv, pipefd[1], -1, 0);
	close(pipefd[1]);
	if (pid < 0)
		return 1;
	f = fdopen(pipefd[0], "r");
	if (!f)
		return 1;
	rd.f = f;
	memset(counts, 0, sizeof(counts));
	while (!bench_perf_next(&rd, &s)) {
		/* rows are in time order: look near the last match first */
		for (j = 0; j < n; j++) {
			i = (last + j) % n;
			if (s.time >= rows[i].t_start && s.time < rows[i].t_end)
				break;
		}
		if (j == n) {
			outside++;
			continue;
		}
		last = i;
		row_ctx(&rows[i], &ctx, pids, m);
		counts[i][bench_perf_owner(&s, &ctx)]++;
	}
	fclose(f);
	status = wait_child(pid);
	if (status)
		fprintf(stderr, "dmuxbench: perf script exited %d\n", status);
	for (i = 0; i < n; i++) {
		struct result *r = &rows[i];

		r->samples = 0;
		for (j = 0; j < OWNER_NR; j++) {
			r->samples += counts[i][j];
			r->ns_owner[j] = r->packets > 0 ?
				(double)counts[i][j] * PERF_PERIOD_NS / r->packets : 0;
		}
		r->host_ns_per_pkt = r->ns_owner[OWNER_DRIVER] + r->ns_owner[OWNER_COPY] +
				     r->ns_owner[OWNER_STACK] + r->ns_owner[OWNER_USER];
		r->host_cpu_ms = r->host_ns_per_pkt * r->packets / 1e6;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", csv_path);
	out = fopen(tmp, "w");
	if (!out)
		return 1;
	fprintf(out, "%s\n", csv_header);
	for (i = 0; i < n; i++)
		print_row(out, &rows[i]);
	if (fclose(out) || rename(tmp, csv_path))
		return 1;
	fprintf(stderr, "dmuxbench: attributed perf samples to %d runs (%lld outside any run)\n",
		n, outside);
	return 0;
}

/* ---- command line ------------------------------------------------------ */

static void usage(FILE *f)
{
	fprintf(f,
"Usage: dmuxbench sweep [OPTIONS]\n"
"       dmuxbench attribute CSV PERF_DATA\n"
"       dmuxbench report DIR\n"
"       dmuxbench owners PERF_SCRIPT_OUTPUT [-m PROC_MODULES] [MODEM_TID...]\n"
"\n"
"Measure the BAM-DMUX data path with iperf3 across RX and TX ring sizes, NAPI\n"
"weights and BQL, repeated in interleaved rounds, with CPU per packet by owner\n"
"(perf), ping RTT under load and frames per NAPI poll; report medians with\n"
"their spread, ratios and a recommendation.\n"
"\n"
"sweep options:\n"
"  -a, --addr ADDR        iperf3 server to measure against (required)\n"
"  -i, --iface IFACE      interface whose rings, BQL and counters are used\n"
"  -N, --netns NS         run in network namespace NS (the client's side)\n"
"  -M, --modem-netns NS   the far side's netns: its tasks' CPU is \"modem\"\n"
"  -P, --path NAME        what is measured: wwan or veth (default wwan)\n"
"  -l, --label TEXT       label of these rows (default napi<N> from the driver)\n"
"  -p, --phase NAME       phase of these rows (default base)\n"
"  -r, --rings LIST       RX and TX ring sizes, the same (default: as they are)\n"
"      --rx-rings LIST    RX ring sizes to sweep\n"
"      --tx-rings LIST    TX ring sizes to sweep\n"
"  -w, --weights LIST     NAPI weights to sweep (default: as it is)\n"
"  -b, --bql LIST         on, off or on,off (default: as it is)\n"
"  -t, --time SECS        seconds per iperf3 run (default 5)\n"
"  -s, --streams N        parallel iperf3 streams (default 1)\n"
"  -u, --udp LEN          UDP with LEN-byte payloads at full rate (-b 0)\n"
"      --trafgen CONF,DEV instead of iperf3, trafgen sends CONF's packets on DEV in\n"
"                         the modem netns (-M) as fast as it can; rx only, measured\n"
"                         by IFACE's counters\n"
"  -d, --dir rx|tx|both   rx: modem sends (iperf3 -R), tx: host sends (default rx)\n"
"  -R, --rounds N         rounds over the grid (default 5)\n"
"      --first-round K    number of the first round (default 1)\n"
"      --perf CTL,ACK     enable a running perf record (--control fifo:CTL,ACK)\n"
"                         for each run; dmuxbench attribute then adds CPU by owner\n"
"      --ping             ping ADDR every 0.2 s during each run: RTT under load\n"
"      --napi-tools       dmuxnapi -j and dmuxring -j beside each run\n"
"      --bpf-bin DIR      where dmuxnapi and dmuxring are (default: beside dmuxbench)\n"
"      --hist CSV         append the frames-per-poll histograms to CSV\n"
"      --workdir DIR      scratch files (default /tmp/dmuxbench)\n"
"  -o, --output CSV       append rows to CSV (default: print to stdout)\n"
"\n"
"report: DIR/results.csv (and DIR/knobs.txt, DIR/frames-per-poll.csv) give\n"
"DIR/results.json, DIR/report.md and DIR/*.png; report.md goes to stdout too.\n"
"\n"
"Examples:\n"
"  dmuxbench sweep -i wwan0 -a 198.18.0.2 --rx-rings 16,64,256 -d rx --ping -o res.csv\n"
"  dmuxbench sweep -P veth -N bench-veth-a -a 198.19.0.2 -l veth-nooffload -o res.csv\n"
"  dmuxbench report build/bench/RUN\n");
}

enum { OPT_RX_RINGS = 256, OPT_TX_RINGS, OPT_FIRST_ROUND, OPT_PERF, OPT_PING,
       OPT_NAPI_TOOLS, OPT_BPF_BIN, OPT_HIST, OPT_WORKDIR, OPT_TRAFGEN };

static int cmd_sweep(int argc, char **argv, const char *self)
{
	static const struct option long_opts[] = {
		{ "addr", required_argument, NULL, 'a' },
		{ "iface", required_argument, NULL, 'i' },
		{ "netns", required_argument, NULL, 'N' },
		{ "modem-netns", required_argument, NULL, 'M' },
		{ "path", required_argument, NULL, 'P' },
		{ "label", required_argument, NULL, 'l' },
		{ "phase", required_argument, NULL, 'p' },
		{ "rings", required_argument, NULL, 'r' },
		{ "rx-rings", required_argument, NULL, OPT_RX_RINGS },
		{ "tx-rings", required_argument, NULL, OPT_TX_RINGS },
		{ "weights", required_argument, NULL, 'w' },
		{ "bql", required_argument, NULL, 'b' },
		{ "time", required_argument, NULL, 't' },
		{ "streams", required_argument, NULL, 's' },
		{ "udp", required_argument, NULL, 'u' },
		{ "trafgen", required_argument, NULL, OPT_TRAFGEN },
		{ "dir", required_argument, NULL, 'd' },
		{ "rounds", required_argument, NULL, 'R' },
		{ "first-round", required_argument, NULL, OPT_FIRST_ROUND },
		{ "perf", required_argument, NULL, OPT_PERF },
		{ "ping", no_argument, NULL, OPT_PING },
		{ "napi-tools", no_argument, NULL, OPT_NAPI_TOOLS },
		{ "bpf-bin", required_argument, NULL, OPT_BPF_BIN },
		{ "hist", required_argument, NULL, OPT_HIST },
		{ "workdir", required_argument, NULL, OPT_WORKDIR },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct sweep_opts o = {
		.path = "wwan", .phase = "base", .seconds = 5, .streams = 1, .rx = true,
		.rounds = 5, .first_round = 1, .workdir = "/tmp/dmuxbench",
		.nr_rx_rings = 1, .nr_tx_rings = 1, .nr_weights = 1,
		.bqls = { BQL_DEFAULT }, .nr_bqls = 1,
	};
	static char bpf_bin[PATH_MAX];
	char label[32];
	int c, ret;

	while ((c = getopt_long(argc, argv, "a:i:N:M:P:l:p:r:w:b:t:s:u:d:R:o:h", long_opts,
				NULL)) != -1) {
		switch (c) {
		case 'a': o.addr = optarg; break;
		case 'i': o.ifname = optarg; break;
		case 'N': o.netns = optarg; break;
		case 'M': o.modem_netns = optarg; break;
		case 'P': o.path = optarg; break;
		case 'l': o.label = optarg; break;
		case 'p': o.phase = optarg; break;
		case 'o': o.output = optarg; break;
		case 'r':
			if (parse_list(optarg, o.rx_rings, &o.nr_rx_rings) ||
			    parse_list(optarg, o.tx_rings, &o.nr_tx_rings))
				goto bad;
			break;
		case OPT_RX_RINGS:
			if (parse_list(optarg, o.rx_rings, &o.nr_rx_rings))
				goto bad;
			break;
		case OPT_TX_RINGS:
			if (parse_list(optarg, o.tx_rings, &o.nr_tx_rings))
				goto bad;
			break;
		case 'w':
			if (parse_list(optarg, o.weights, &o.nr_weights))
				goto bad;
			break;
		case 'b':
			if (parse_bql(optarg, &o))
				goto bad;
			break;
		case 't': o.seconds = atoi(optarg); if (o.seconds <= 0) goto bad; break;
		case 's': o.streams = atoi(optarg); if (o.streams <= 0) goto bad; break;
		case 'u': o.udp_len = atoi(optarg); if (o.udp_len <= 0) goto bad; break;
		case 'R': o.rounds = atoi(optarg); if (o.rounds <= 0) goto bad; break;
		case OPT_FIRST_ROUND: o.first_round = atoi(optarg); break;
		case OPT_PERF: {
			char *comma = strchr(optarg, ',');

			if (!comma)
				goto bad;
			*comma = '\0';
			o.perf_ctl = optarg;
			o.perf_ack = comma + 1;
			break;
		}
		case OPT_PING: o.ping = true; break;
		case OPT_NAPI_TOOLS: o.napi_tools = true; break;
		case OPT_BPF_BIN: o.bpf_bin = optarg; break;
		case OPT_HIST: o.hist_output = optarg; break;
		case OPT_WORKDIR: o.workdir = optarg; break;
		case OPT_TRAFGEN: {
			char *comma = strchr(optarg, ',');

			if (!comma || comma == optarg || !comma[1])
				goto bad;
			*comma = '\0';
			o.trafgen_conf = optarg;
			o.trafgen_dev = comma + 1;
			break;
		}
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
	if (o.trafgen_conf && (!o.modem_netns || !o.ifname || o.tx)) {
		fprintf(stderr, "dmuxbench: --trafgen needs --modem-netns and --iface, and -d rx\n");
		return 2;
	}
	if ((o.rx_rings[0] || o.tx_rings[0] || o.bqls[0] != BQL_DEFAULT) && !o.ifname) {
		fprintf(stderr, "dmuxbench: --rings and --bql need --iface\n");
		return 2;
	}
	if (!o.bpf_bin) {
		char *slash;

		snprintf(bpf_bin, sizeof(bpf_bin), "%s", self);
		slash = strrchr(bpf_bin, '/');
		if (slash)
			*slash = '\0';
		else
			snprintf(bpf_bin, sizeof(bpf_bin), ".");
		o.bpf_bin = bpf_bin;
	}
	if (!o.label) {
		long long napi = read_int(NAPI_PARAM);

		if (!strcmp(o.path, "wwan") && napi >= 0)
			snprintf(label, sizeof(label), "napi%lld", napi);
		else
			snprintf(label, sizeof(label), "%s", o.path);
		o.label = label;
	}
	if (o.netns) {
		ret = enter_netns(o.netns);
		if (ret) {
			fprintf(stderr, "dmuxbench: netns %s: %s\n", o.netns, strerror(-ret));
			return 1;
		}
	}
	return sweep(&o);
bad:
	usage(stderr);
	return 2;
}

int main(int argc, char **argv)
{
	/* a child that exits early must not kill us with SIGPIPE */
	signal(SIGPIPE, SIG_IGN);
	if (argc >= 2 && !strcmp(argv[1], "sweep"))
		return cmd_sweep(argc - 1, argv + 1, argv[0]);
	if (argc == 4 && !strcmp(argv[1], "attribute"))
		return attribute(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "report"))
		return report(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "owners"))
		return owners(argc - 1, argv + 1);
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}

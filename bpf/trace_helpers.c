// SPDX-License-Identifier: GPL-2.0-only
/*
 * User-side helpers shared by the bpf/ tools; see trace_helpers.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

#include "trace_helpers.h"

struct dmux_env env = {
	.interval = 1,
	.count = -1,
};
const char *dmux_prog = "dmux";
volatile sig_atomic_t dmux_exiting;

/* a tracepoint every driver version has, to probe with */
#define DMUX_PROBE_TP	"bam_dmux_rx"

static const struct argp_option common_options[] = {
	{ "verbose", 'v', NULL, 0, "Print libbpf debug output", 0 },
	{ "timestamp", 'T', NULL, 0, "Print a timestamp with each interval", 0 },
	{ "json", 'j', NULL, 0, "One JSON object per interval", 0 },
	{ "dev", 'd', "DEV", 0, "Only this bam-dmux device (e.g. bam-dmux.0)", 0 },
	{ NULL, 'h', NULL, OPTION_HIDDEN, "Show the full help", 0 },
	{},
};

static long parse_positive(const char *arg, const char *what,
			   struct argp_state *state)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || *end || v <= 0) {
		fprintf(stderr, "%s: invalid %s: %s\n", dmux_prog, what, arg);
		argp_usage(state);
	}
	return v;
}

static error_t common_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'v':
		env.verbose = true;
		break;
	case 'T':
		env.timestamp = true;
		break;
	case 'j':
		env.json = true;
		break;
	case 'd':
		if (strlen(arg) >= DMUX_NAME_LEN) {
			fprintf(stderr, "%s: device name too long: %s\n",
				dmux_prog, arg);
			argp_usage(state);
		}
		env.dev = arg;
		break;
	case 'h':
		argp_state_help(state, stderr, ARGP_HELP_STD_HELP);
		break;
	case ARGP_KEY_ARG:
		if (env.nargs == 0)
			env.interval = parse_positive(arg, "interval", state);
		else if (env.nargs == 1)
			env.count = parse_positive(arg, "count", state);
		else {
			fprintf(stderr, "%s: unrecognized argument: %s\n",
				dmux_prog, arg);
			argp_usage(state);
		}
		env.nargs++;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp dmux_common_argp = {
	.options = common_options,
	.parser = common_parse,
	.args_doc = "[interval] [count]",
};

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list args)
{
	(void)level;
	if (!env.verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static void sig_handler(int sig)
{
	(void)sig;
	dmux_exiting = 1;
}

void dmux_setup(const char *prog)
{
	struct sigaction sa = { .sa_handler = sig_handler };

	dmux_prog = prog;
	libbpf_set_print(libbpf_print);
	/* no SA_RESTART: Ctrl-C must cut the interval sleep short */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static bool path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* is btf_trace_<DMUX_PROBE_TP> in the bam_dmux module's BTF? */
static bool module_btf_has_tp(void)
{
	struct btf *vmlinux, *mod;
	bool found = false;

	if (!path_exists("/sys/kernel/btf/bam_dmux"))
		return false;
	vmlinux = btf__load_vmlinux_btf();
	if (!vmlinux)
		return false;
	mod = btf__load_module_btf("bam_dmux", vmlinux);
	if (mod) {
		found = btf__find_by_name_kind(mod, "btf_trace_" DMUX_PROBE_TP,
					       BTF_KIND_TYPEDEF) > 0;
		btf__free(mod);
	}
	btf__free(vmlinux);
	return found;
}

enum dmux_attach dmux_probe_attach(void)
{
	static const char *const events[] = {
		"/sys/kernel/tracing/events/bam_dmux",
		"/sys/kernel/debug/tracing/events/bam_dmux",
		"/sys/module/bam_dmux",
	};
	unsigned int i;

	if (module_btf_has_tp())
		return DMUX_ATTACH_TP_BTF;
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		if (path_exists(events[i]))
			return DMUX_ATTACH_RAW_TP;
	return DMUX_ATTACH_NONE;
}

const char *dmux_attach_name(enum dmux_attach mode)
{
	switch (mode) {
	case DMUX_ATTACH_TP_BTF:
		return "tp_btf";
	case DMUX_ATTACH_RAW_TP:
		return "raw_tp";
	default:
		return "none";
	}
}

void dmux_set_attach(struct bpf_object *obj, enum dmux_attach mode)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj) {
		const char *sec = bpf_program__section_name(prog);
		bool btf = !strncmp(sec, "tp_btf/", 7);
		bool raw = !strncmp(sec, "raw_tp/", 7);

		if (btf)
			bpf_program__set_autoload(prog, mode == DMUX_ATTACH_TP_BTF);
		else if (raw)
			bpf_program__set_autoload(prog, mode == DMUX_ATTACH_RAW_TP);
	}
}

void dmux_set_targ_dev(volatile char *targ_dev)
{
	int i;

	char path[64 + DMUX_NAME_LEN];

	if (!env.dev)
		return;
	snprintf(path, sizeof(path), "/sys/bus/platform/devices/%s", env.dev);
	if (!path_exists(path))
		fprintf(stderr, "%s: warning: no device %s (yet)\n", dmux_prog,
			env.dev);
	for (i = 0; i < DMUX_NAME_LEN - 1 && env.dev[i]; i++)
		targ_dev[i] = env.dev[i];
	targ_dev[i] = '\0';
}

int dmux_no_tracepoints(void)
{
	fprintf(stderr, "%s: no bam_dmux tracepoints: is the bam_dmux driver loaded?\n",
		dmux_prog);
	return 1;
}

int dmux_read_devs(struct bpf_map *devs, struct dmux_name names[DMUX_MAX_DEVS])
{
	struct dmux_name key, next;
	int fd = bpf_map__fd(devs), used = 0;
	void *prev = NULL;
	__u32 slot;

	memset(names, 0, sizeof(*names) * DMUX_MAX_DEVS);
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		if (!bpf_map_lookup_elem(fd, &next, &slot) &&
		    slot < DMUX_MAX_DEVS) {
			names[slot] = next;
			names[slot].name[DMUX_NAME_LEN - 1] = '\0';
			used++;
		}
		key = next;
		prev = &key;
	}
	return used;
}

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long intervals_done;
static double last;

void dmux_interval_start(void)
{
	last = mono_now();
}

void dmux_wait_interval(double *elapsed_s)
{
	struct timespec req = { .tv_sec = env.interval };
	double now;

	/* interrupted by a signal: the caller prints what it has, then stops */
	if (!dmux_exiting)
		nanosleep(&req, NULL);
	now = mono_now();
	*elapsed_s = now - last;
	last = now;
	intervals_done++;
}

bool dmux_last_interval(void)
{
	return dmux_exiting || (env.count > 0 && intervals_done >= env.count);
}

const char *dmux_time_str(void)
{
	static char buf[16];
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
	return buf;
}

double dmux_epoch(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void dmux_delta(__u64 *out, const __u64 *now, const __u64 *prev, int n)
{
	int i;

	for (i = 0; i < n; i++)
		out[i] = now[i] - prev[i];
}

static void print_stars(__u64 val, __u64 max, int width)
{
	int stars = max ? (int)((double)val * width / max) : 0;
	int i;

	if (stars > width)
		stars = width;
	for (i = 0; i < stars; i++)
		putchar('*');
	for (; i < width; i++)
		putchar(' ');
}

static void slot_range(int i, __u64 *low, __u64 *high)
{
	*low = i ? 1ULL << i : 0;
	*high = i < 63 ? (1ULL << (i + 1)) - 1 : UINT64_MAX;
}

void dmux_print_log2_hist(const __u64 *slots, int n, const char *unit)
{
	int i, last = -1, width = 10, stars = 40;
	__u64 max = 0, low, high;

	for (i = 0; i < n; i++) {
		if (slots[i]) {
			last = i;
			if (slots[i] > max)
				max = slots[i];
		}
	}
	if (last < 0) {
		printf("%*s%s : (none)\n", 5, "", unit);
		return;
	}
	if (last > 31)
		width = 20;
	/* the layout of libbpf-tools' print_log2_hist */
	printf("%*s%-*s : count    distribution\n", width == 10 ? 5 : 15, "",
	       width == 10 ? 19 : 29, unit);
	for (i = 0; i <= last; i++) {
		slot_range(i, &low, &high);
		printf("%*llu -> %-*llu : %-8llu |", width,
		       (unsigned long long)low, width, (unsigned long long)high,
		       (unsigned long long)slots[i]);
		print_stars(slots[i], max, stars);
		printf("|\n");
	}
}

cJSON *dmux_log2_hist_json(const __u64 *slots, int n)
{
	cJSON *arr = cJSON_CreateArray();
	__u64 low, high;
	int i, first = -1, last = -1;

	for (i = 0; i < n; i++) {
		if (slots[i]) {
			if (first < 0)
				first = i;
			last = i;
		}
	}
	for (i = first; first >= 0 && i <= last; i++) {
		cJSON *b = cJSON_CreateObject();

		slot_range(i, &low, &high);
		cJSON_AddNumberToObject(b, "low", (double)low);
		cJSON_AddNumberToObject(b, "high", (double)high);
		cJSON_AddNumberToObject(b, "count", (double)slots[i]);
		cJSON_AddItemToArray(arr, b);
	}
	return arr;
}

void dmux_json_print(cJSON *obj)
{
	char *s = cJSON_PrintUnformatted(obj);

	if (s) {
		puts(s);
		cJSON_free(s);
	}
	cJSON_Delete(obj);
	fflush(stdout);
}

cJSON *dmux_json_interval(double elapsed_s)
{
	cJSON *obj = cJSON_CreateObject();

	cJSON_AddStringToObject(obj, "time", dmux_time_str());
	cJSON_AddNumberToObject(obj, "ts", dmux_epoch());
	cJSON_AddNumberToObject(obj, "interval_s", elapsed_s);
	return obj;
}

long dmux_read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

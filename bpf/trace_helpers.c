// SPDX-License-Identifier: GPL-2.0-only
/*
 * User-side helpers shared by the bpf/ tools; see trace_helpers.h.
 */
#include <errno.h>
#include <stddef.h>
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
#include "dmux_trace_rec.h"

struct dmux_env env = {
	.interval = 1,
	.count = -1,
};
const char *dmux_prog = "dmux";
volatile sig_atomic_t dmux_exiting;

/* a tracepoint every driver version has, to probe with */
#define DMUX_PROBE_TP	"bam_dmux_rx"

static const struct argp_option common_options[] = {
	{ "verbose", 'v', NULL, 0, "Print libbpf debug output and the attach mode", 0 },
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

/* libbpf's warnings and errors always, its debug output with -v only */
static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list args)
{
	if (level == LIBBPF_DEBUG && !env.verbose)
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

/* where tracefs shows the bam_dmux events, NULL when it does not */
static const char *tracefs_events(void)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing/events/bam_dmux",
		"/sys/kernel/debug/tracing/events/bam_dmux",
	};
	unsigned int i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (path_exists(dirs[i]))
			return dirs[i];
	return NULL;
}

enum dmux_attach dmux_probe_attach(void)
{
	bool loaded = path_exists("/sys/module/bam_dmux");

	if (!path_exists("/sys/kernel/btf/vmlinux")) {
		if (env.verbose)
			fprintf(stderr, "%s: no kernel BTF (/sys/kernel/btf/vmlinux): classic tracepoints\n",
				dmux_prog);
		if (tracefs_events())
			return DMUX_ATTACH_TRACEFS;
		if (loaded)
			fprintf(stderr, "%s: no kernel BTF and tracefs shows no bam_dmux events: mount tracefs (mount -t tracefs nodev /sys/kernel/tracing)\n",
				dmux_prog);
		return DMUX_ATTACH_NONE;
	}
	if (module_btf_has_tp())
		return DMUX_ATTACH_TP_BTF;
	if (tracefs_events() || loaded)
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
	case DMUX_ATTACH_TRACEFS:
		return "tracepoint";
	default:
		return "none";
	}
}

/* Enable the tp_btf/ or raw_tp/ flavour of every program per @mode. */
static void set_autoload(struct bpf_object *obj, enum dmux_attach mode)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj) {
		const char *sec = bpf_program__section_name(prog);

		if (!strncmp(sec, "tp_btf/", 7))
			bpf_program__set_autoload(prog, mode == DMUX_ATTACH_TP_BTF);
		else if (!strncmp(sec, "raw_tp/", 7))
			bpf_program__set_autoload(prog, mode == DMUX_ATTACH_RAW_TP);
	}
}

/*
 * The tracefs layout the tracepoint programs read (dmux_trace_rec.h), field
 * by field, to check against events/bam_dmux/<event>/format.
 */
struct rec_field {
	const char *event;
	const char *field;
	unsigned int offset;
	unsigned int size;
};

#define REC_FIELD(ev, type, f)						\
	{ #ev, #f, offsetof(struct type, f), sizeof(((struct type *)0)->f) }
#define REC_COMMON(ev, type)						\
	REC_FIELD(ev, type, common_type), REC_FIELD(ev, type, common_flags), \
	REC_FIELD(ev, type, common_preempt_count),			\
	REC_FIELD(ev, type, common_pid), REC_FIELD(ev, type, dev)
#define REC_FRAME(ev)							\
	REC_COMMON(ev, dmux_rec_frame), REC_FIELD(ev, dmux_rec_frame, ch), \
	REC_FIELD(ev, dmux_rec_frame, len)
#define REC_RING(ev)							\
	REC_COMMON(ev, dmux_rec_ring), REC_FIELD(ev, dmux_rec_ring, count)
#define REC_POWER(ev)							\
	REC_COMMON(ev, dmux_rec_power), REC_FIELD(ev, dmux_rec_power, on)

static const struct rec_field rec_fields[] = {
	REC_FRAME(bam_dmux_rx),
	REC_FRAME(bam_dmux_tx_defer),
	REC_COMMON(bam_dmux_rx_batch, dmux_rec_rx_batch),
	REC_FIELD(bam_dmux_rx_batch, dmux_rec_rx_batch, ch),
	REC_FIELD(bam_dmux_rx_batch, dmux_rec_rx_batch, packets),
	REC_FIELD(bam_dmux_rx_batch, dmux_rec_rx_batch, bytes),
	REC_COMMON(bam_dmux_rx_poll, dmux_rec_rx_poll),
	REC_FIELD(bam_dmux_rx_poll, dmux_rec_rx_poll, budget),
	REC_FIELD(bam_dmux_rx_poll, dmux_rec_rx_poll, done),
	REC_FIELD(bam_dmux_rx_poll, dmux_rec_rx_poll, posted),
	REC_RING(bam_dmux_rx_refill),
	REC_RING(bam_dmux_tx_done),
	REC_RING(bam_dmux_tx_abort),
	REC_RING(bam_dmux_tx_stop),
	REC_RING(bam_dmux_tx_wake),
	REC_COMMON(bam_dmux_rx_drop, dmux_rec_rx_drop),
	REC_FIELD(bam_dmux_rx_drop, dmux_rec_rx_drop, ch),
	REC_FIELD(bam_dmux_rx_drop, dmux_rec_rx_drop, reason),
	REC_COMMON(bam_dmux_tx, dmux_rec_tx),
	REC_FIELD(bam_dmux_tx, dmux_rec_tx, ch),
	REC_FIELD(bam_dmux_tx, dmux_rec_tx, len),
	REC_FIELD(bam_dmux_tx, dmux_rec_tx, in_flight),
	REC_COMMON(bam_dmux_tx_cmd, dmux_rec_tx_cmd),
	REC_FIELD(bam_dmux_tx_cmd, dmux_rec_tx_cmd, ch),
	REC_FIELD(bam_dmux_tx_cmd, dmux_rec_tx_cmd, cmd),
	REC_FIELD(bam_dmux_tx_cmd, dmux_rec_tx_cmd, in_flight),
	REC_POWER(bam_dmux_pc_vote),
	REC_POWER(bam_dmux_pc_remote),
	REC_COMMON(bam_dmux_pc_ack, dmux_rec_pc_ack),
	REC_COMMON(bam_dmux_wake, dmux_rec_wake),
	REC_FIELD(bam_dmux_wake, dmux_rec_wake, latency_ns),
	REC_FIELD(bam_dmux_wake, dmux_rec_wake, result),
};

/*
 * Offset and size of @field in a tracefs format file, from lines like
 * "\tfield:__data_loc char[] dev;\toffset:8;\tsize:4;\tsigned:0;".
 */
static bool format_field(FILE *f, const char *field, unsigned int *offset,
			 unsigned int *size)
{
	char line[256];

	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		char *decl = strstr(line, "field:"), *end, *name, *p;

		if (!decl || !(end = strchr(decl, ';')))
			continue;
		*end = '\0';
		name = strrchr(decl, ' ');
		name = name ? name + 1 : decl + 6;
		if ((p = strchr(name, '[')))
			*p = '\0';
		if (strcmp(name, field))
			continue;
		p = strstr(end + 1, "offset:");
		return p && sscanf(p, "offset:%u;\tsize:%u;", offset, size) == 2;
	}
	return false;
}

/* does tracefs record @event the way dmux_trace_rec.h reads it? */
static bool tracefs_layout_ok(const char *event)
{
	const char *dir = tracefs_events();
	unsigned int i, off, size;
	char path[256];
	bool ok = true;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/format", dir ? dir : "", event);
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", dmux_prog, path, strerror(errno));
		return false;
	}
	for (i = 0; ok && i < sizeof(rec_fields) / sizeof(rec_fields[0]); i++) {
		const struct rec_field *r = &rec_fields[i];

		if (strcmp(r->event, event))
			continue;
		if (!format_field(f, r->field, &off, &size)) {
			fprintf(stderr, "%s: %s has no field %s\n", dmux_prog,
				path, r->field);
			ok = false;
		} else if (off != r->offset || size != r->size) {
			fprintf(stderr, "%s: %s: %s at offset %u size %u, expected %u size %u\n",
				dmux_prog, path, r->field, off, size, r->offset,
				r->size);
			ok = false;
		}
	}
	fclose(f);
	return ok;
}

static bool tracefs_layouts_ok(struct bpf_object *obj)
{
	static const char prefix[] = "tracepoint/bam_dmux/";
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj) {
		const char *sec = bpf_program__section_name(prog);

		if (!strncmp(sec, prefix, sizeof(prefix) - 1) &&
		    !tracefs_layout_ok(sec + sizeof(prefix) - 1))
			return false;
	}
	return true;
}

/* the memory-mapped data of the skeleton's map whose name ends in @suffix */
static void *skel_mmaped(struct bpf_object_skeleton *s, const char *suffix)
{
	size_t n = strlen(suffix);
	int i;

	for (i = 0; i < s->map_cnt; i++) {
		struct bpf_map_skeleton *m = (void *)((char *)s->maps +
						       i * s->map_skel_sz);
		size_t len = strlen(m->name);

		if (m->mmaped && len >= n && !strcmp(m->name + len - n, suffix))
			return *m->mmaped;
	}
	return NULL;
}

static void destroy(struct dmux_obj *o)
{
	if (o->s)
		bpf_object__destroy_skeleton(o->s);
	free(o->skel);
	o->s = NULL;
	o->skel = NULL;
	o->data = NULL;
}

/* open, configure and load the programs of @mode */
static int load(struct dmux_obj *o, dmux_open_fn open,
		const struct dmux_cfg *cfg, enum dmux_attach mode)
{
	bool tracefs = mode == DMUX_ATTACH_TRACEFS;
	struct dmux_cfg *rodata;
	int err;

	o->mode = mode;
	o->s = open(tracefs, &o->skel);
	if (!o->s) {
		err = -errno;
		fprintf(stderr, "%s: cannot open the BPF object: %s\n",
			dmux_prog, strerror(errno));
		destroy(o);
		return err;
	}
	rodata = skel_mmaped(o->s, ".rodata");
	if (rodata)
		*rodata = *cfg;
	if (tracefs && !tracefs_layouts_ok(*o->s->obj)) {
		destroy(o);
		return -EINVAL;
	}
	if (!tracefs)
		set_autoload(*o->s->obj, mode);
	err = bpf_object__load_skeleton(o->s);
	if (!err) {
		o->data = skel_mmaped(o->s, ".bss");
		if (o->data)
			return 0;
		err = -ENOENT;
	}
	destroy(o);
	return err;
}

int dmux_open(struct dmux_obj *o, dmux_open_fn open, struct dmux_cfg *cfg)
{
	enum dmux_attach mode = dmux_probe_attach();
	char path[64 + DMUX_NAME_LEN];
	int err = -ENOENT;

	memset(o, 0, sizeof(*o));
	if (mode == DMUX_ATTACH_NONE) {
		fprintf(stderr, "%s: no bam_dmux tracepoints: is the bam_dmux driver loaded?\n",
			dmux_prog);
		return 1;
	}
	if (env.dev) {
		snprintf(path, sizeof(path), "/sys/bus/platform/devices/%s", env.dev);
		if (!path_exists(path))
			fprintf(stderr, "%s: warning: no device %s (yet)\n",
				dmux_prog, env.dev);
		snprintf(cfg->dev, sizeof(cfg->dev), "%s", env.dev);
	}

	for (; mode > DMUX_ATTACH_NONE; mode--) {
		err = load(o, open, cfg, mode);
		if (!err)
			break;
		if (mode > DMUX_ATTACH_TRACEFS)
			fprintf(stderr, "%s: loading the %s programs failed (%s), trying %s\n",
				dmux_prog, dmux_attach_name(mode), strerror(-err),
				dmux_attach_name(mode - 1));
	}
	if (err) {
		fprintf(stderr, "%s: failed to load BPF programs (-v for details)\n",
			dmux_prog);
		return 1;
	}
	err = bpf_object__attach_skeleton(o->s);
	if (err) {
		fprintf(stderr, "%s: failed to attach to bam_dmux tracepoints (%s): %s\n",
			dmux_prog, dmux_attach_name(o->mode), strerror(-err));
		destroy(o);
		return 1;
	}
	if (env.verbose)
		fprintf(stderr, "%s: attached with %s\n", dmux_prog,
			dmux_attach_name(o->mode));
	return 0;
}

void dmux_close(struct dmux_obj *o)
{
	destroy(o);
}

int dmux_read_devs(const struct dmux_obj *o, struct dmux_name names[DMUX_MAX_DEVS])
{
	struct bpf_map *devs = bpf_object__find_map_by_name(*o->s->obj, "devs");
	int fd = devs ? bpf_map__fd(devs) : -1, used = 0;
	struct dmux_name key, next;
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

int dmux_run(struct dmux_obj *o, void (*print)(struct dmux_obj *o, double elapsed_s))
{
	double elapsed;

	dmux_interval_start();
	do {
		dmux_wait_interval(&elapsed);
		print(o, elapsed);
	} while (!dmux_last_interval());
	dmux_close(o);
	return 0;
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

static void slot_range(int i, int n, enum dmux_hist_kind kind, __u64 *low,
		       __u64 *high)
{
	if (kind == DMUX_HIST_LINEAR) {
		*low = i;
		*high = i < n - 1 ? (__u64)i : UINT64_MAX;
		return;
	}
	*low = i ? 1ULL << i : 0;
	*high = i < 63 ? (1ULL << (i + 1)) - 1 : UINT64_MAX;
}

/* the first and last slots in use, or -1 */
static void used_slots(const __u64 *slots, int n, int *first, int *last)
{
	int i;

	*first = *last = -1;
	for (i = 0; i < n; i++) {
		if (!slots[i])
			continue;
		if (*first < 0)
			*first = i;
		*last = i;
	}
}

void dmux_print_hist(const __u64 *slots, int n, enum dmux_hist_kind kind,
		     const char *unit)
{
	int i, first, last, width = 10, stars = 40;
	__u64 max = 0, low, high;

	used_slots(slots, n, &first, &last);
	if (last < 0) {
		printf("%*s%s : (none)\n", 5, "", unit);
		return;
	}
	for (i = first; i <= last; i++)
		if (slots[i] > max)
			max = slots[i];
	/* log2 starts at 0, as libbpf-tools' print_log2_hist does */
	if (kind == DMUX_HIST_LOG2)
		first = 0;
	else if (last == n - 1)
		width = 20;
	if (kind == DMUX_HIST_LOG2 && last > 31)
		width = 20;
	printf("%*s%-*s : count    distribution\n", width == 10 ? 5 : 15, "",
	       width == 10 ? 19 : 29, unit);
	for (i = first; i <= last; i++) {
		slot_range(i, n, kind, &low, &high);
		printf("%*llu -> %-*llu : %-8llu |", width,
		       (unsigned long long)low, width, (unsigned long long)high,
		       (unsigned long long)slots[i]);
		print_stars(slots[i], max, stars);
		printf("|\n");
	}
}

cJSON *dmux_hist_json(const __u64 *slots, int n, enum dmux_hist_kind kind)
{
	cJSON *arr = cJSON_CreateArray();
	int i, first, last;
	__u64 low, high;

	used_slots(slots, n, &first, &last);
	for (i = first; first >= 0 && i <= last; i++) {
		cJSON *b = cJSON_CreateObject();

		slot_range(i, n, kind, &low, &high);
		cJSON_AddNumberToObject(b, "low", (double)low);
		cJSON_AddNumberToObject(b, "high", (double)high);
		cJSON_AddNumberToObject(b, "count", (double)slots[i]);
		cJSON_AddItemToArray(arr, b);
	}
	return arr;
}

void dmux_extremes_next(volatile __u64 *epoch, __u64 *ended)
{
	*ended = *epoch;
	*epoch = *ended + 1;
}

bool dmux_extreme_get(const volatile struct dmux_extreme ext[2], __u64 ended,
		      __u64 *min, __u64 *max)
{
	const volatile struct dmux_extreme *e = &ext[ended & 1];

	if (e->epoch != DMUX_EXTREME_TAG(ended))
		return false;
	*min = e->min;
	*max = e->max;
	/* written by the BPF side as the tag was checked: read it again */
	return e->epoch == DMUX_EXTREME_TAG(ended);
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

// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench_lib: parsers and statistics of dmuxbench (see bench_lib.h). Nothing
 * here runs a program or touches the system: it reads text it is given.
 */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "bench_lib.h"

/* ---- iperf3 -J ---------------------------------------------------------- */

static const cJSON *json_path(const cJSON *obj, const char *a, const char *b)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, a);

	return b ? cJSON_GetObjectItemCaseSensitive(item, b) : item;
}

static double json_num(const cJSON *obj, const char *a, const char *b, double dflt)
{
	const cJSON *item = json_path(obj, a, b);

	return cJSON_IsNumber(item) ? item->valuedouble : dflt;
}

static char iperf_reason[256];

int bench_iperf_parse(const char *json, struct iperf_result *r, const char **err)
{
	const cJSON *end, *error, *proto;
	const char *why = NULL;
	cJSON *root;

	memset(r, 0, sizeof(*r));
	root = cJSON_Parse(json);
	if (!root) {
		why = "iperf3 printed no JSON";
		goto fail;
	}
	error = cJSON_GetObjectItemCaseSensitive(root, "error");
	if (cJSON_IsString(error)) {
		/* the reason must outlive root: keep it in a static copy */
		snprintf(iperf_reason, sizeof(iperf_reason), "%s", error->valuestring);
		why = iperf_reason;
		goto fail;
	}
	proto = json_path(root, "start", "test_start");
	proto = cJSON_GetObjectItemCaseSensitive(proto, "protocol");
	r->udp = cJSON_IsString(proto) && !strcmp(proto->valuestring, "UDP");
	end = cJSON_GetObjectItemCaseSensitive(root, "end");
	if (!end) {
		why = "iperf3's JSON has no \"end\"";
		goto fail;
	}
	if (r->udp) {
		/*
		 * iperf3 -u: "sum_received" (3.10 and later; "sum" before) is
		 * what the receiver reported: datagrams it expected and lost
		 */
		const cJSON *rec = cJSON_GetObjectItemCaseSensitive(end, "sum_received");

		if (!rec)
			rec = cJSON_GetObjectItemCaseSensitive(end, "sum");
		r->mbps = json_num(rec, "bits_per_second", NULL, -1);
		r->lost_percent = json_num(rec, "lost_percent", NULL, 0);
		r->packets = (long long)(json_num(rec, "packets", NULL, 0) -
					 json_num(rec, "lost_packets", NULL, 0));
	} else {
		r->mbps = json_num(end, "sum_received", "bits_per_second", -1);
		r->retransmits = (long long)json_num(end, "sum_sent", "retransmits", 0);
	}
	if (r->mbps < 0) {
		why = "iperf3's JSON has no received bits_per_second";
		goto fail;
	}
	r->mbps /= 1e6;
	cJSON_Delete(root);
	return 0;
fail:
	cJSON_Delete(root);
	if (err)
		*err = why;
	return -1;
}

/* ---- perf script ------------------------------------------------------ */

const char *const bench_owner_names[OWNER_NR] = {
	[OWNER_DRIVER] = "driver",
	[OWNER_SIM] = "sim",
	[OWNER_COPY] = "copy",
	[OWNER_STACK] = "stack",
	[OWNER_USER] = "user",
	[OWNER_MODEM] = "modem",
	[OWNER_IDLE] = "idle",
};

int bench_modules_parse(FILE *f, struct module_range *m, int max)
{
	char line[512];
	int n = 0;

	/* "NAME SIZE REFS DEPS STATE ADDRESS" */
	while (n < max && fgets(line, sizeof(line), f)) {
		unsigned long long size, addr;
		char name[64];

		if (sscanf(line, "%63s %llu %*s %*s %*s %llx", name, &size, &addr) != 3)
			continue;
		snprintf(m[n].name, sizeof(m[n].name), "%s", name);
		m[n].start = addr;
		m[n].end = addr + size;
		n++;
	}
	return n;
}

static void copy_trimmed(char *dst, size_t size, const char *from, const char *to)
{
	size_t len;

	while (from < to && (*from == ' ' || *from == '\t'))
		from++;
	while (to > from && (to[-1] == ' ' || to[-1] == '\t'))
		to--;
	len = (size_t)(to - from);
	if (len >= size)
		len = size - 1;
	memcpy(dst, from, len);
	dst[len] = '\0';
}

/* "IP SYM (DSO)", SYM possibly "sym+0x1f" */
static int parse_frame(const char *p, struct perf_frame *fr)
{
	const char *open, *close;
	char *end, *plus;

	while (*p == ' ' || *p == '\t')
		p++;
	fr->ip = strtoull(p, &end, 16);
	if (end == p || (*end != ' ' && *end != '\t'))
		return -1;
	close = strrchr(end, ')');
	open = close;
	while (open && open > end && *open != '(')
		open--;
	if (!close || !open || *open != '(')
		return -1;
	copy_trimmed(fr->sym, sizeof(fr->sym), end, open);
	copy_trimmed(fr->dso, sizeof(fr->dso), open + 1, close);
	plus = strstr(fr->sym, "+0x");
	if (plus)
		*plus = '\0';
	return 0;
}

/* the header: "COMM TID [CPU]" and maybe a frame; COMM may hold spaces */
/* " [CPU]": where the header's CPU field starts, or NULL */
static const char *cpu_field(const char *line, const char **end)
{
	const char *p, *q;

	for (p = line; (p = strstr(p, " [")); p++) {
		q = p + 2;
		while (isdigit((unsigned char)*q))
			q++;
		if (q > p + 2 && *q == ']') {
			*end = q;
			return p;
		}
	}
	return NULL;
}

static int parse_header(const char *line, struct perf_sample *s)
{
	const char *p, *cpu, *comm_end, *pid_start, *q = NULL;

	cpu = cpu_field(line, &q);
	if (!cpu)
		return -1;
	s->cpu = atoi(cpu + 2);
	comm_end = cpu;
	pid_start = comm_end;
	while (pid_start > line && isdigit((unsigned char)pid_start[-1]))
		pid_start--;
	if (pid_start == comm_end)
		return -1;
	s->pid = atoi(pid_start);
	copy_trimmed(s->comm, sizeof(s->comm), line, pid_start);
	s->nr_frames = 0;
	/* "[CPU] TIME:" when perf prints the time */
	p = q + 1;
	while (*p == ' ' || *p == '\t')
		p++;
	{
		char *end;
		double t = strtod(p, &end);

		if (end > p && *end == ':') {
			s->time = t;
			p = end + 1;
		}
	}
	if (!parse_frame(p, &s->frames[0]))
		s->nr_frames = 1;
	return 0;
}

static bool is_frame_line(const char *line)
{
	struct perf_frame fr;
	const char *end;

	return (line[0] == '\t' || line[0] == ' ') && !cpu_field(line, &end) &&
	       !parse_frame(line, &fr);
}

static bool reader_fill(struct perf_reader *r)
{
	if (r->have_line)
		return true;
	if (!fgets(r->line, sizeof(r->line), r->f))
		return false;
	r->line[strcspn(r->line, "\n")] = '\0';
	r->have_line = true;
	return true;
}

int bench_perf_next(struct perf_reader *r, struct perf_sample *s)
{
	memset(s, 0, sizeof(*s));
	for (;;) {
		if (!reader_fill(r))
			return -1;
		r->have_line = false;
		if (!is_frame_line(r->line) && !parse_header(r->line, s))
			break;
		if (r->line[0])
			r->skipped++;
	}
	/* the callchain, when there is one: its first frame is the sample's */
	while (reader_fill(r) && is_frame_line(r->line)) {
		r->have_line = false;
		if (s->nr_frames < PERF_MAX_FRAMES &&
		    !parse_frame(r->line, &s->frames[s->nr_frames]))
			s->nr_frames++;
	}
	return 0;
}

static bool sym_in(const char *sym, const char *const *list)
{
	for (; *list; list++) {
		size_t n = strlen(*list);

		/* a trailing '*' matches a prefix */
		if ((*list)[n - 1] == '*' ? !strncmp(sym, *list, n - 1) : !strcmp(sym, *list))
			return true;
	}
	return false;
}

/* the idle loop, as x86 and arm64 kernels name it */
static const char *const idle_syms[] = {
	"default_idle", "native_safe_halt", "pv_native_safe_halt", "arch_cpu_idle",
	"default_idle_call", "cpu_idle_poll*", "do_idle", "acpi_idle*", "intel_idle*",
	"mwait_idle*", "poll_idle", "cpuidle_enter_state", "cpu_do_idle", "arch_safe_halt",
	NULL,
};

/* copies between kernel and user memory, and the checksumming copies */
static const char *const copy_syms[] = {
	"copy_user_*", "_copy_to_iter", "_copy_from_iter*", "copyout", "copyin",
	"rep_movs_alternative", "copy_page_to_iter", "copy_page_from_iter*",
	"__copy_user*", "csum_and_copy_*", "csum_partial_copy_generic",
	"skb_copy_datagram_iter", "__skb_datagram_iter", "simple_copy_to_iter",
	"copy_to_user*", "copy_from_user*", "_copy_to_user", "_copy_from_user",
	"__arch_copy_to_user", "__arch_copy_from_user", "memcpy_to_iter",
	"memcpy_from_iter", NULL,
};

/*
 * Helpers whose cost belongs to whoever called them: with interrupts off
 * a cpu-clock sample waits for the unlock that enables them again, so a
 * lock's holder, not the lock, did the work; memset and memcpy serve
 * every owner.
 */
static const char *const helper_syms[] = {
	"_raw_spin_*", "_raw_read_*", "_raw_write_*", "native_queued_spin_lock_slowpath",
	"queued_spin_lock_slowpath", "__local_bh_enable_ip", "local_bh_enable",
	"memset*", "memcpy*", "memmove*", "__memset", "__memcpy", "clear_page*",
	"__raw_spin_unlock*", NULL,
};

static const char *module_of(const struct perf_frame *fr, const struct owner_ctx *ctx)
{
	static const char *const names[] = { "bam_dmux_sim", "bam_dmux" };
	const char *base = strrchr(fr->dso, '/') ? strrchr(fr->dso, '/') + 1 : fr->dso;
	char want[32];
	int i;

	for (i = 0; i < ctx->nr_modules; i++)
		if (fr->ip >= ctx->modules[i].start && fr->ip < ctx->modules[i].end)
			return ctx->modules[i].name;
	/* perf's own name for it: "[bam_dmux]", or the path of bam_dmux.ko */
	for (i = 0; i < 2; i++) {
		snprintf(want, sizeof(want), "[%s]", names[i]);
		if (!strcmp(fr->dso, want))
			return names[i];
		snprintf(want, sizeof(want), "%s.ko", names[i]);
		if (!strcmp(base, want))
			return names[i];
	}
	return NULL;
}

/* does a frame of @module call, directly or not, the deciding frame @fr? */
static bool called_by_module(const struct perf_sample *s, const struct perf_frame *fr,
			     const struct owner_ctx *ctx, const char *module)
{
	const struct perf_frame *caller;
	const char *m;

	for (caller = fr + 1; caller < s->frames + s->nr_frames; caller++) {
		m = module_of(caller, ctx);
		if (m && !strcmp(m, module))
			return true;
	}
	return false;
}

static bool dso_is_kernel(const char *dso)
{
	size_t n = strlen(dso);

	return dso[0] == '[' || strstr(dso, "vmlinux") ||
	       (n > 3 && !strcmp(dso + n - 3, ".ko"));
}

/*
 * The rule. The frame that decides is the first one, walking from where
 * the sample hit towards its callers, that is no helper (above); without
 * callchains, the sample's own frame. Then, first match wins:
 *  1. an idle-loop symbol: idle;
 *  2. code of bam_dmux_sim.ko: sim (whichever task it ran in);
 *  3. code of bam_dmux.ko: driver;
 *  4. any other sample of a task of the modem-side netns: modem (its
 *     iperf3, the TCP/IP work done in its context, its copies), unless
 *     the callchain passes through bam_dmux.ko: that is the host's
 *     receive path (the driver's NAPI poll or DMA callback) run by a
 *     softirq that interrupted the modem's task, so rules 5-7 take it;
 *  5. a copy symbol: copy;
 *  6. other kernel code: stack (softirqs that ran for the modem side in
 *     another task's context land here: a slight over-count of the host);
 *  7. the rest, host user space: user.
 */
enum bench_owner bench_perf_owner(const struct perf_sample *s, const struct owner_ctx *ctx)
{
	const struct perf_frame *fr;
	const char *module;
	int i;

	if (!s->nr_frames)
		return OWNER_STACK;
	fr = &s->frames[0];
	for (i = 0; i < s->nr_frames; i++)
		if (!sym_in(s->frames[i].sym, helper_syms)) {
			fr = &s->frames[i];
			break;
		}
	if (sym_in(fr->sym, idle_syms))
		return OWNER_IDLE;
	module = module_of(fr, ctx);
	if (module && !strcmp(module, "bam_dmux_sim"))
		return OWNER_SIM;
	if (module && !strcmp(module, "bam_dmux"))
		return OWNER_DRIVER;
	for (i = 0; i < ctx->nr_modem_pids; i++)
		if (s->pid && s->pid == ctx->modem_pids[i] &&
		    !called_by_module(s, fr, ctx, "bam_dmux"))
			return OWNER_MODEM;
	if (sym_in(fr->sym, copy_syms))
		return OWNER_COPY;
	if (dso_is_kernel(fr->dso))
		return OWNER_STACK;
	return OWNER_USER;
}

void bench_perf_count(FILE *f, const struct owner_ctx *ctx, struct owner_counts *c)
{
	struct perf_reader r = { .f = f };
	static struct perf_sample s;

	memset(c, 0, sizeof(*c));
	while (!bench_perf_next(&r, &s)) {
		c->samples[bench_perf_owner(&s, ctx)]++;
		c->total++;
	}
	c->unparsed = r.skipped;
}

/* one field of a tid list at @p: its id in *@tid (0 if none); returns the next field or NULL */
static const char *tids_next(const char *p, int *tid)
{
	char *end;
	long v = strtol(p, &end, 10);

	*tid = end != p && v > 0 && v <= INT_MAX ? (int)v : 0;
	p = strchr(end, ';');
	return p ? p + 1 : NULL;
}

int bench_tids_parse(const char *list, int *tids, int max)
{
	const char *p = list;
	int n = 0, tid;

	while (p && *p && n < max) {
		p = tids_next(p, &tid);
		if (tid)
			tids[n++] = tid;
	}
	return n;
}

static bool tids_has(const char *list, int tid)
{
	const char *p = list;
	int t;

	while (p && *p) {
		p = tids_next(p, &t);
		if (t && t == tid)
			return true;
	}
	return false;
}

int bench_tids_add(char *list, size_t size, const int *tids, int n)
{
	int i;

	if (!strcmp(list, "-"))
		list[0] = '\0';
	for (i = 0; i < n; i++) {
		size_t len = strlen(list);
		int w;

		if (tids_has(list, tids[i]))
			continue;
		w = snprintf(list + len, size - len, "%s%d", len ? ";" : "", tids[i]);
		if (w < 0 || (size_t)w >= size - len) {
			list[len] = '\0';
			return -1;
		}
	}
	if (!list[0] && size > 1)
		snprintf(list, size, "-");
	return 0;
}

/* ---- ping ------------------------------------------------------------- */

int bench_ping_parse(FILE *f, double *rtt, int max)
{
	char line[512];
	int n = 0;

	while (n < max && fgets(line, sizeof(line), f)) {
		const char *t = strstr(line, " time=");

		if (t)
			rtt[n++] = strtod(t + 6, NULL);
	}
	return n;
}

/* ---- dmuxnapi -j / dmuxring -j ----------------------------------------- */

static void napi_add_bucket(struct napi_summary *n, long long low, long long high,
			    long long count)
{
	int i;

	for (i = 0; i < n->nr_buckets; i++)
		if (n->low[i] == low) {
			n->count[i] += count;
			return;
		}
	if (n->nr_buckets == BENCH_HIST_MAX)
		return;
	/* keep the buckets in order of their low bound */
	for (i = n->nr_buckets; i > 0 && n->low[i - 1] > low; i--) {
		n->low[i] = n->low[i - 1];
		n->high[i] = n->high[i - 1];
		n->count[i] = n->count[i - 1];
	}
	n->low[i] = low;
	n->high[i] = high;
	n->count[i] = count;
	n->nr_buckets++;
}

int bench_napi_parse(const char *json_line, struct napi_summary *n)
{
	cJSON *root = cJSON_Parse(json_line);
	const cJSON *devs, *dev, *hist, *b;

	devs = cJSON_GetObjectItemCaseSensitive(root, "devices");
	if (!cJSON_IsArray(devs)) {
		cJSON_Delete(root);
		return -1;
	}
	cJSON_ArrayForEach(dev, devs) {
		n->polls += (long long)json_num(dev, "polls", NULL, 0);
		n->frames += (long long)json_num(dev, "frames", NULL, 0);
		n->empty_polls += (long long)json_num(dev, "empty_polls", NULL, 0);
		hist = cJSON_GetObjectItemCaseSensitive(dev, "frames_per_poll");
		cJSON_ArrayForEach(b, hist)
			napi_add_bucket(n, (long long)json_num(b, "low", NULL, 0),
					(long long)json_num(b, "high", NULL, 0),
					(long long)json_num(b, "count", NULL, 0));
	}
	cJSON_Delete(root);
	return 0;
}

long long bench_ring_rx_empty(const char *json_line)
{
	cJSON *root = cJSON_Parse(json_line);
	const cJSON *devs, *dev;
	long long sum = -1;

	devs = cJSON_GetObjectItemCaseSensitive(root, "devices");
	cJSON_ArrayForEach(dev, devs) {
		const cJSON *e = cJSON_GetObjectItemCaseSensitive(dev, "rx_empty");

		if (cJSON_IsNumber(e))
			sum = (sum < 0 ? 0 : sum) + (long long)e->valuedouble;
	}
	cJSON_Delete(root);
	return sum;
}

/* ---- statistics ------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void bench_stats(double *v, int n, struct bench_stats *s)
{
	memset(s, 0, sizeof(*s));
	s->n = n;
	if (n <= 0)
		return;
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	s->min = v[0];
	s->max = v[n - 1];
	s->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	s->spread = s->median != 0 ? (s->max - s->min) / fabs(s->median) : 0;
}

double bench_percentile(const double *sorted, int n, double p)
{
	int rank;

	if (n <= 0)
		return 0;
	rank = (int)ceil(p / 100.0 * n);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

bool bench_overlap(const struct bench_stats *a, const struct bench_stats *b)
{
	return a->min <= b->max && b->min <= a->max;
}

int bench_pick(struct bench_point *p, int n, double tolerance, int *best_out)
{
	int i, best = -1, low = -1, pick = -1;

	for (i = 0; i < n; i++)
		if (best < 0 || p[i].mbps.median > p[best].mbps.median)
			best = i;
	if (best_out)
		*best_out = best;
	for (i = 0; i < n; i++) {
		p[i].fast = p[i].mbps.median >= (1 - tolerance) * p[best].mbps.median;
		p[i].low_latency = false;
		p[i].low_cpu = false;
		if (p[i].fast && p[i].has_ping &&
		    (low < 0 || p[i].ping_p90.median < p[low].ping_p90.median))
			low = i;
	}
	for (i = 0; i < n; i++)
		p[i].low_latency = p[i].fast && (low < 0 || !p[i].has_ping ||
				   bench_overlap(&p[i].ping_p90, &p[low].ping_p90));
	low = -1;
	for (i = 0; i < n; i++)
		if (p[i].low_latency && p[i].has_cpu &&
		    (low < 0 || p[i].cpu.median < p[low].cpu.median))
			low = i;
	for (i = 0; i < n; i++) {
		p[i].low_cpu = p[i].low_latency && (low < 0 || !p[i].has_cpu ||
				bench_overlap(&p[i].cpu, &p[low].cpu));
		if (p[i].low_cpu && (pick < 0 || p[i].knob < p[pick].knob))
			pick = i;
	}
	return pick;
}

/* ---- the cost of observation ---------------------------------------- */

int bench_obs_cost_parse(FILE *f, struct bench_obs_cost *c)
{
	char line[256], kind[16], comm[32];
	double ns, *slot;
	bool bpf;

	memset(c, 0, sizeof(*c));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "packets %lld", &c->packets) == 1 ||
		    sscanf(line, "ms %lld", &c->ms) == 1)
			continue;
		if (sscanf(line, "%15s %31s %lf", kind, comm, &ns) != 3 ||
		    (strcmp(kind, "bpf") && strcmp(kind, "proc")))
			continue;
		bpf = !strcmp(kind, "bpf");
		if (!strncmp(comm, "dmux", 4))
			slot = bpf ? &c->tools_bpf_ns : &c->tools_proc_ns;
		else if (!strcmp(comm, "bpftrace"))
			slot = bpf ? &c->bpftrace_bpf_ns : &c->bpftrace_proc_ns;
		else
			continue;
		*slot += ns;
	}
	return c->packets > 0 && c->ms > 0 ? 0 : -1;
}

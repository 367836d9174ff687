/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bench_lib: the parts of dmuxbench that turn text into numbers, kept apart
 * from the code that runs things so that unit tests (tests/unit/test_bench.c)
 * can feed them captured output: iperf3 -J, perf script samples, ping
 * lines, dmuxnapi/dmuxring -j lines, and the statistics of repeated runs.
 */
#ifndef BENCH_LIB_H
#define BENCH_LIB_H

#include <stdbool.h>
#include <stdio.h>

/* ---- iperf3 -J ---------------------------------------------------------- */

struct iperf_result {
	double mbps;		/* received by the receiving end */
	double lost_percent;	/* UDP only, else 0 */
	long long retransmits;	/* TCP only, else 0 */
	long long packets;	/* UDP datagrams received, else 0 */
	bool udp;
};

/*
 * Parse iperf3's -J document. Returns 0, or -1 with @err (if not NULL)
 * pointing at a static reason: not JSON, iperf3's own "error", no "end".
 */
int bench_iperf_parse(const char *json, struct iperf_result *r, const char **err);

/* ---- perf script: CPU by owner ----------------------------------------- */

/*
 * Every sample belongs to exactly one owner (bench_perf_owner() says how
 * it is decided); the shares of all owners add up to 100 %.
 */
enum bench_owner {
	OWNER_DRIVER,	/* bam_dmux.ko */
	OWNER_SIM,	/* bam_dmux_sim.ko: the stand-in hardware */
	OWNER_COPY,	/* copies to and from user space */
	OWNER_STACK,	/* the rest of the kernel: network stack, scheduler... */
	OWNER_USER,	/* host user space (iperf3, libc) */
	OWNER_MODEM,	/* tasks of the modem-side netns */
	OWNER_IDLE,	/* the idle loop */
	OWNER_NR,
};

extern const char *const bench_owner_names[OWNER_NR];

#define PERF_MAX_FRAMES 32

/* one sample of `perf script -F comm,tid,cpu,ip,sym,dso` (with -g: a callchain) */
struct perf_sample {
	char comm[32];
	int pid;
	int cpu;
	double time;		/* with -F time: seconds of perf's clock */
	int nr_frames;		/* frames[0] is where the sample hit */
	struct perf_frame {
		unsigned long long ip;
		char sym[96];
		char dso[96];
	} frames[PERF_MAX_FRAMES];
};

/* a module's text, from /proc/modules: perf often names its dso [kernel.kallsyms] */
struct module_range {
	char name[64];
	unsigned long long start, end;
};

struct owner_ctx {
	const int *modem_pids;		/* tasks (thread ids) of the modem-side netns */
	int nr_modem_pids;
	const struct module_range *modules;
	int nr_modules;
};

/* Parse /proc/modules text: returns the number of ranges stored. */
int bench_modules_parse(FILE *f, struct module_range *m, int max);

/*
 * A run's modem-side tasks as results.csv keeps them: "1;2;3", or "-" for
 * none. bench_tids_add appends each of @tids not yet in @list (a run may
 * note its tasks more than once: while trafgen runs, and after); it stops
 * at a thread id that would not fit and returns -1, else 0.
 * bench_tids_parse stores up to @max ids and returns how many.
 */
int bench_tids_add(char *list, size_t size, const int *tids, int n);
int bench_tids_parse(const char *list, int *tids, int max);

/* reads `perf script` output one sample at a time, one line ahead */
struct perf_reader {
	FILE *f;
	char line[1024];
	bool have_line;
	long long skipped;	/* lines that were no sample */
};

/*
 * The next sample: its header line ("COMM TID [CPU] IP SYM (DSO)", or
 * "COMM TID [CPU]" when callchains follow) and the frame lines after it
 * ("IP SYM (DSO)"). Returns 0, or -1 at the end.
 */
int bench_perf_next(struct perf_reader *r, struct perf_sample *s);

/* the owner of a sample */
enum bench_owner bench_perf_owner(const struct perf_sample *s, const struct owner_ctx *ctx);

struct owner_counts {
	long long samples[OWNER_NR];
	long long total;
	long long unparsed;	/* lines that were not samples (headers, blanks) */
};

/* Read `perf script` output from @f and count samples by owner. */
void bench_perf_count(FILE *f, const struct owner_ctx *ctx, struct owner_counts *c);

/* ---- ping ------------------------------------------------------------- */

/* Parse "... time=12.3 ms" lines of ping; returns how many RTTs (ms) were stored. */
int bench_ping_parse(FILE *f, double *rtt, int max);

/* ---- dmuxnapi -j / dmuxring -j --------------------------------------- */

#define BENCH_HIST_MAX 64

struct napi_summary {
	long long polls, frames, empty_polls;
	int nr_buckets;
	long long low[BENCH_HIST_MAX], high[BENCH_HIST_MAX], count[BENCH_HIST_MAX];
};

/* Add one dmuxnapi -j line's devices into @n; -1 if it is not such a line. */
int bench_napi_parse(const char *json_line, struct napi_summary *n);

/* rx_empty of one dmuxring -j line, summed over its devices; -1 if none */
long long bench_ring_rx_empty(const char *json_line);

/* ---- statistics ------------------------------------------------------- */

struct bench_stats {
	int n;
	double median, min, max;
	double spread;	/* (max - min) / median, 0 when the median is 0 */
};

/* sorts @v in place */
void bench_stats(double *v, int n, struct bench_stats *s);

/* the @p-th percentile (0..100) of @n sorted values, nearest rank */
double bench_percentile(const double *sorted, int n, double p);

/* the [min, max] ranges overlap: no difference can be claimed */
bool bench_overlap(const struct bench_stats *a, const struct bench_stats *b);

/* ---- the recommendation --------------------------------------------- */

/* one setting of a knob (a ring size, a weight) and what it measured */
struct bench_point {
	int knob;
	struct bench_stats mbps, ping_p90, cpu;	/* cpu: host µs per Mbit */
	bool has_ping, has_cpu;
	/* set by bench_pick: which of its steps the point passed */
	bool fast, low_latency, low_cpu;
};

/*
 * Pick a setting: among the points within @tolerance of the best median
 * throughput (fast), those whose ping p90 cannot be told from the lowest
 * (their [min, max] ranges overlap it: low_latency), then among those the
 * ones whose CPU per Mbit cannot be told from the lowest (low_cpu), and of
 * those the smallest knob: with no measured difference left, the setting
 * that holds the least memory and queues the least. A point without ping
 * or CPU figures passes that step. Returns the index of the pick, -1 when
 * @n is 0; *@best (when not NULL) is the index of the best throughput.
 */
int bench_pick(struct bench_point *p, int n, double tolerance, int *best);

/* ---- the cost of observation ---------------------------------------- */

/* obs-cost.txt (bench/run's obs_cost): the tools' CPU over one download */
struct bench_obs_cost {
	long long packets, ms;			/* the download's */
	double tools_bpf_ns, tools_proc_ns;	/* dmux* processes */
	double bpftrace_bpf_ns, bpftrace_proc_ns;
};

/*
 * Parse "packets N", "ms N" and "bpf|proc COMM NS" lines: a COMM starting
 * with "dmux" is one of the four tools, "bpftrace" a script. Returns 0, or
 * -1 without packets or ms.
 */
int bench_obs_cost_parse(FILE *f, struct bench_obs_cost *c);

#endif

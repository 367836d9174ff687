/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User-side helpers shared by the bpf/ tools: the common command line
 * (-h -v -T -j -d DEV [interval] [count]), attach-mode probing (tp_btf on
 * module BTF, else raw_tp, else a clear "driver not loaded"), the interval
 * loop, log2 histogram printing and JSON helpers.
 */
#ifndef TRACE_HELPERS_H
#define TRACE_HELPERS_H

#include <argp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <linux/types.h>
#include <bpf/libbpf.h>
#include <cjson/cJSON.h>

#include "dmux.h"

struct dmux_env {
	bool verbose;		/* -v: libbpf debug output */
	bool timestamp;		/* -T */
	bool json;		/* -j: one JSON object per interval */
	const char *dev;	/* -d DEV, NULL for every device */
	int interval;		/* seconds */
	long count;		/* intervals, < 0 for until Ctrl-C */
	int nargs;		/* positional arguments seen */
};

extern struct dmux_env env;
extern const char *dmux_prog;	/* tool name, for messages */
extern volatile sig_atomic_t dmux_exiting;

/* argp child with the common options and positional arguments */
extern const struct argp dmux_common_argp;

enum dmux_attach {
	DMUX_ATTACH_NONE,
	DMUX_ATTACH_RAW_TP,
	DMUX_ATTACH_TP_BTF,
};

/* libbpf print callback, SIGINT/SIGTERM handlers; call first in main() */
void dmux_setup(const char *prog);

/* what the running kernel offers for the bam_dmux tracepoints */
enum dmux_attach dmux_probe_attach(void);
const char *dmux_attach_name(enum dmux_attach mode);

/*
 * Enable the tp_btf/ or raw_tp/ flavour of every program per @mode; call
 * between open and load.
 */
void dmux_set_attach(struct bpf_object *obj, enum dmux_attach mode);

/* copy -d DEV into the BPF side's targ_dev rodata */
void dmux_set_targ_dev(volatile char *targ_dev);

/* the message and exit status when the driver's tracepoints are missing */
int dmux_no_tracepoints(void);

/*
 * Names of the device slots the BPF side handed out: names[slot] is filled
 * (empty when unused); returns the number of slots in use.
 */
int dmux_read_devs(struct bpf_map *devs, struct dmux_name names[DMUX_MAX_DEVS]);

/*
 * The interval loop: dmux_interval_start() once attached, then
 * dmux_wait_interval() sleeps one interval (cut short by Ctrl-C) and
 * measures it, the caller prints, and stops when dmux_last_interval().
 */
void dmux_interval_start(void);
void dmux_wait_interval(double *elapsed_s);
bool dmux_last_interval(void);

/* "HH:MM:SS" of now */
const char *dmux_time_str(void);
double dmux_epoch(void);

/* a[i] - b[i] for n u64 counters */
void dmux_delta(__u64 *out, const __u64 *now, const __u64 *prev, int n);

/* log2 histogram in libbpf-tools' layout; @unit names the values */
void dmux_print_log2_hist(const __u64 *slots, int n, const char *unit);
/* [{"low":..,"high":..,"count":..}...] from the first to the last used slot */
cJSON *dmux_log2_hist_json(const __u64 *slots, int n);

/* print @obj as one line and free it */
void dmux_json_print(cJSON *obj);
/* a JSON object with "time", "ts" and "interval_s" */
cJSON *dmux_json_interval(double elapsed_s);

/* read a small integer from a sysfs file, -1 on error */
long dmux_read_long(const char *path);

#endif /* TRACE_HELPERS_H */

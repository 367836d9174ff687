/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User-side helpers shared by the bpf/ tools: the common command line
 * (-h -v -T -j -d DEV [interval] [count]), the open/load/attach sequence
 * with its probing and fallbacks (tp_btf on module BTF, else raw_tp, else,
 * without kernel BTF, classic tracepoints, else a clear "driver not
 * loaded"), the interval loop, histogram printing and JSON helpers.
 */
#ifndef TRACE_HELPERS_H
#define TRACE_HELPERS_H

#include <argp.h>
#include <signal.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <linux/types.h>
#include <bpf/libbpf.h>
#include <cjson/cJSON.h>

#include "dmux.h"

struct dmux_env {
	bool verbose;		/* -v: libbpf debug output, the attach mode */
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

/* how the programs attach, from the most capable down */
enum dmux_attach {
	DMUX_ATTACH_NONE,
	DMUX_ATTACH_TRACEFS,	/* SEC("tracepoint/"): no kernel BTF needed */
	DMUX_ATTACH_RAW_TP,	/* kernel BTF (CO-RE), no module BTF */
	DMUX_ATTACH_TP_BTF,	/* kernel and module BTF */
};

/* libbpf print callback, SIGINT/SIGTERM handlers; call first in main() */
void dmux_setup(const char *prog);

/* what the running kernel offers for the bam_dmux tracepoints */
enum dmux_attach dmux_probe_attach(void);
const char *dmux_attach_name(enum dmux_attach mode);

/*
 * Open one of a tool's two skeletons: NAME_tp_bpf (classic tracepoints)
 * when @tracefs, else NAME_bpf (tp_btf and raw_tp); *skel gets the typed
 * skeleton (freed by dmux_close()). DMUX_SKELETONS(NAME) defines one,
 * NAME_open_skel(), and checks that both skeletons have dmux_cfg alone in
 * .rodata and dmux_data alone in .bss, which is where dmux_open() looks.
 */
typedef struct bpf_object_skeleton *(*dmux_open_fn)(bool tracefs, void **skel);

#define DMUX_SKELETONS(tool)						\
_Static_assert(offsetof(struct tool##_bpf__rodata, dmux_cfg) == 0 &&	\
	       offsetof(struct tool##_tp_bpf__rodata, dmux_cfg) == 0 &&	\
	       offsetof(struct tool##_bpf__bss, dmux_data) == 0 &&	\
	       offsetof(struct tool##_tp_bpf__bss, dmux_data) == 0,	\
	       "dmux_open() finds dmux_cfg and dmux_data at offset 0");	\
static struct bpf_object_skeleton *tool##_open_skel(bool tracefs,	\
						     void **skel)	\
{									\
	if (tracefs) {							\
		struct tool##_tp_bpf *o = tool##_tp_bpf__open();	\
									\
		*skel = o;						\
		return o ? o->skeleton : NULL;				\
	} else {							\
		struct tool##_bpf *o = tool##_bpf__open();		\
									\
		*skel = o;						\
		return o ? o->skeleton : NULL;				\
	}								\
}

/* a tool's BPF side, loaded and attached */
struct dmux_obj {
	void *skel;			/* the typed skeleton */
	struct bpf_object_skeleton *s;
	enum dmux_attach mode;
	void *data;			/* .bss: the tool's data structure */
};

/*
 * Probe, open, configure (@cfg: its dev is filled from -d here), load,
 * falling back to the next attach mode when a load fails, and attach;
 * with -v, says which mode. Returns 0, or 1 after printing why not.
 */
int dmux_open(struct dmux_obj *o, dmux_open_fn open, struct dmux_cfg *cfg);
void dmux_close(struct dmux_obj *o);

/*
 * Names of the device slots the BPF side handed out: names[slot] is filled
 * (empty when unused); returns the number of slots in use.
 */
int dmux_read_devs(const struct dmux_obj *o, struct dmux_name names[DMUX_MAX_DEVS]);

/*
 * The interval loop: dmux_interval_start() once attached, then
 * dmux_wait_interval() sleeps one interval (cut short by Ctrl-C) and
 * measures it, the caller prints, and stops when dmux_last_interval().
 */
void dmux_interval_start(void);
void dmux_wait_interval(double *elapsed_s);
bool dmux_last_interval(void);

/*
 * The whole loop: @print every interval until count or Ctrl-C, then close
 * @o. Returns main()'s exit status.
 */
int dmux_run(struct dmux_obj *o, void (*print)(struct dmux_obj *o, double elapsed_s));

/* "HH:MM:SS" of now */
const char *dmux_time_str(void);
double dmux_epoch(void);

/* a[i] - b[i] for n u64 counters */
void dmux_delta(__u64 *out, const __u64 *now, const __u64 *prev, int n);

/*
 * Histograms: log2 (slot i counts 2^i .. 2^(i+1) - 1, 0 and 1 in slot 0)
 * or linear (slot i counts exactly i, the last slot anything above).
 */
enum dmux_hist_kind {
	DMUX_HIST_LOG2,
	DMUX_HIST_LINEAR,
};

/* in libbpf-tools' layout, `low -> high : count |****|`; @unit names the values */
void dmux_print_hist(const __u64 *slots, int n, enum dmux_hist_kind kind,
		     const char *unit);
/* [{"low":..,"high":..,"count":..}...] from the first to the last used slot */
cJSON *dmux_hist_json(const __u64 *slots, int n, enum dmux_hist_kind kind);

/*
 * End the interval of the extremes kept under *epoch (struct dmux_extreme):
 * move the epoch on, then return whether the ended interval has values in
 * @ext, and them.
 */
void dmux_extremes_next(volatile __u64 *epoch, __u64 *ended);
bool dmux_extreme_get(const volatile struct dmux_extreme ext[2], __u64 ended,
		      __u64 *min, __u64 *max);

/* print @obj as one line and free it */
void dmux_json_print(cJSON *obj);
/* a JSON object with "time", "ts" and "interval_s" */
cJSON *dmux_json_interval(double elapsed_s);

/* read a small integer from a sysfs file, -1 on error */
long dmux_read_long(const char *path);

#endif /* TRACE_HELPERS_H */

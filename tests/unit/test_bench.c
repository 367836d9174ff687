// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of dmuxbench's parsers and statistics (bench/bench_lib.c),
 * fed with output captured in the guest (tests/data/bench-*): iperf3 -J
 * of TCP both ways, UDP with 64-byte payloads and a failed connection,
 * `perf script` with callchains, /proc/modules, ping, dmuxnapi -j and
 * dmuxring -j; and a hand-written perf script file with one sample for
 * each rule that decides a sample's owner.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bench_lib.h"

#ifndef TEST_DATA
#define TEST_DATA "tests/data"
#endif

static char *slurp(const char *name)
{
	char path[512];
	long len;
	char *buf;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", TEST_DATA, name);
	f = fopen(path, "r");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return buf;
}

static FILE *open_data(const char *name)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", TEST_DATA, name);
	f = fopen(path, "r");
	assert_non_null(f);
	return f;
}

static void test_iperf_tcp(void **state)
{
	struct iperf_result r;
	char *rx = slurp("bench-iperf3-tcp-rx.json"), *tx = slurp("bench-iperf3-tcp-tx.json");

	(void)state;
	assert_int_equal(bench_iperf_parse(rx, &r, NULL), 0);
	assert_false(r.udp);
	/* end.sum_received.bits_per_second of the capture */
	assert_float_equal(r.mbps, 43.48772395, 1e-6);
	assert_int_equal(r.retransmits, 0);
	assert_int_equal(bench_iperf_parse(tx, &r, NULL), 0);
	assert_float_equal(r.mbps, 56.54111538, 1e-6);
	free(rx);
	free(tx);
}

static void test_iperf_udp(void **state)
{
	struct iperf_result r;
	char *udp = slurp("bench-iperf3-udp64-rx.json");

	(void)state;
	assert_int_equal(bench_iperf_parse(udp, &r, NULL), 0);
	assert_true(r.udp);
	/* received: sum_received's 12349 datagrams less 6409 lost; 380160 bytes / 64 */
	assert_int_equal(r.packets, 12349 - 6409);
	assert_int_equal(r.packets * 64, 380160);
	assert_float_equal(r.mbps, 1.47667352, 1e-6);
	assert_float_equal(r.lost_percent, 51.768982, 1e-4);
	free(udp);
}

static void test_iperf_error(void **state)
{
	struct iperf_result r;
	const char *why = NULL;
	char *err = slurp("bench-iperf3-error.json");
	char *tcp = slurp("bench-iperf3-tcp-rx.json");
	char *merged;

	(void)state;
	assert_int_equal(bench_iperf_parse(err, &r, &why), -1);
	assert_non_null(why);
	assert_non_null(strstr(why, "unable to connect"));
	/* stderr merged into stdout is not JSON: the reason dmuxbench keeps them apart */
	merged = malloc(strlen(tcp) + 64);
	assert_non_null(merged);
	sprintf(merged, "iperf3: some warning\n%s", tcp);
	assert_int_equal(bench_iperf_parse(merged, &r, &why), -1);
	assert_string_equal(why, "iperf3 printed no JSON");
	free(merged);
	free(err);
	free(tcp);
}

static int load_modules(struct module_range *m, int max)
{
	FILE *f = open_data("bench-proc-modules.txt");
	int n = bench_modules_parse(f, m, max);

	fclose(f);
	return n;
}

static void test_modules(void **state)
{
	struct module_range m[32];
	int n = load_modules(m, 32);

	(void)state;
	assert_int_equal(n, 12);
	assert_string_equal(m[0].name, "bam_dmux");
	assert_true(m[0].start == 0xffffffffc043a000ULL);
	assert_true(m[0].end == 0xffffffffc043a000ULL + 86016);
	assert_string_equal(m[1].name, "bam_dmux_sim");
}

/*
 * A trafgen run notes its modem-side tasks twice, while trafgen runs and
 * after: the second note once glued its first id to the last one's
 * ("236;241;242236"), and trafgen's worker's CPU went to the host.
 */
static void test_tids(void **state)
{
	const int during[] = { 236, 241, 242 }, after[] = { 236 }, more[] = { 7, 241, 8 };
	char list[14] = "";
	int got[8];

	(void)state;
	assert_int_equal(bench_tids_add(list, sizeof(list), NULL, 0), 0);
	assert_string_equal(list, "-");
	assert_int_equal(bench_tids_parse(list, got, 8), 0);
	assert_int_equal(bench_tids_add(list, sizeof(list), during, 3), 0);
	assert_int_equal(bench_tids_add(list, sizeof(list), after, 1), 0);
	assert_string_equal(list, "236;241;242");
	assert_int_equal(bench_tids_parse(list, got, 8), 3);
	assert_int_equal(got[2], 242);
	/* a short list keeps what fits and says so */
	assert_int_equal(bench_tids_add(list, sizeof(list), more, 3), -1);
	assert_string_equal(list, "236;241;242;7");
	assert_int_equal(bench_tids_parse(list, got, 2), 2);
	assert_int_equal(bench_tids_parse("12;x;-3;40", got, 8), 2);
	assert_int_equal(got[1], 40);
}

/* one sample for each rule, in bench-perf-rules.txt */
static void test_perf_rules(void **state)
{
	static const int modem[] = { 203 };
	struct module_range m[32];
	struct owner_ctx ctx = { .modem_pids = modem, .nr_modem_pids = 1, .modules = m };
	struct owner_counts c;
	FILE *f = open_data("bench-perf-rules.txt");

	(void)state;
	ctx.nr_modules = load_modules(m, 32);
	bench_perf_count(f, &ctx, &c);
	fclose(f);
	assert_int_equal(c.total, 12);
	assert_int_equal(c.unparsed, 3);	/* the three comment lines */
	assert_int_equal(c.samples[OWNER_IDLE], 1);
	/* by address; and a lock's unlock charged to the sim code holding it */
	assert_int_equal(c.samples[OWNER_SIM], 2);
	/* by perf's "[bam_dmux]", and by address even in a modem-side task */
	assert_int_equal(c.samples[OWNER_DRIVER], 2);
	/* the modem's TCP work and its copies */
	assert_int_equal(c.samples[OWNER_MODEM], 2);
	assert_int_equal(c.samples[OWNER_COPY], 1);
	/*
	 * memset charged to __alloc_skb; a comm with a space; the host's
	 * receive under the driver's poll, in a softirq that interrupted a
	 * modem-side task
	 */
	assert_int_equal(c.samples[OWNER_STACK], 3);
	assert_int_equal(c.samples[OWNER_USER], 1);
}

static void test_perf_header(void **state)
{
	struct perf_sample s;
	struct perf_reader r;
	FILE *f = fmemopen((char *)"     Web Content   300 [001] ffffffff81000010 tcp_v4_rcv+0x10 ([kernel.kallsyms])\n",
			   83, "r");

	(void)state;
	assert_non_null(f);
	memset(&r, 0, sizeof(r));
	r.f = f;
	assert_int_equal(bench_perf_next(&r, &s), 0);
	assert_string_equal(s.comm, "Web Content");
	assert_int_equal(s.pid, 300);
	assert_int_equal(s.cpu, 1);
	assert_int_equal(s.nr_frames, 1);
	assert_string_equal(s.frames[0].sym, "tcp_v4_rcv");
	assert_string_equal(s.frames[0].dso, "[kernel.kallsyms]");
	assert_int_equal(bench_perf_next(&r, &s), -1);
	fclose(f);
}

/* a real capture: iperf3 -R through wwan0, modem-side iperf3 -s is task 203 */
static void test_perf_capture(void **state)
{
	static const int modem[] = { 203 };
	struct module_range m[32];
	struct owner_ctx ctx = { .modem_pids = modem, .nr_modem_pids = 1, .modules = m };
	struct owner_counts c, no_modem;
	char line[1024];
	long long headers = 0, sum = 0;
	FILE *f = open_data("bench-perf-script.txt");
	int i;

	(void)state;
	/* count the samples independently: every line that starts a sample */
	while (fgets(line, sizeof(line), f))
		if (line[0] != '\t' && line[0] != '\n')
			headers++;
	rewind(f);
	ctx.nr_modules = load_modules(m, 32);
	bench_perf_count(f, &ctx, &c);
	assert_int_equal(c.total, headers);
	assert_int_equal(c.unparsed, 0);
	for (i = 0; i < OWNER_NR; i++)
		sum += c.samples[i];
	assert_int_equal(sum, c.total);
	assert_true(c.samples[OWNER_DRIVER] > 0);
	assert_true(c.samples[OWNER_SIM] > 0);
	assert_true(c.samples[OWNER_MODEM] > 0);
	assert_true(c.samples[OWNER_IDLE] > 0);
	assert_true(c.samples[OWNER_COPY] > 0);
	/* without the modules' addresses perf's names hide both modules */
	rewind(f);
	ctx.nr_modules = 0;
	ctx.nr_modem_pids = 0;
	bench_perf_count(f, &ctx, &no_modem);
	fclose(f);
	assert_int_equal(no_modem.total, c.total);
	assert_int_equal(no_modem.samples[OWNER_MODEM], 0);
	assert_int_equal(no_modem.samples[OWNER_DRIVER] + no_modem.samples[OWNER_SIM], 0);
}

static void test_ping(void **state)
{
	double rtt[16];
	struct bench_stats s;
	FILE *f = open_data("bench-ping.txt");
	int n = bench_ping_parse(f, rtt, 16);

	(void)state;
	fclose(f);
	assert_int_equal(n, 5);
	bench_stats(rtt, n, &s);
	assert_float_equal(s.median, 0.564, 1e-9);
	assert_float_equal(s.min, 0.523, 1e-9);
	assert_float_equal(bench_percentile(rtt, n, 90), 0.977, 1e-9);
	assert_float_equal(bench_percentile(rtt, n, 50), 0.564, 1e-9);
}

static void test_napi_ring(void **state)
{
	struct napi_summary ns = { 0 };
	char *napi = slurp("bench-dmuxnapi.json"), *ring = slurp("bench-dmuxring.json");
	long long polls = 0, frames = 0;
	int i;

	(void)state;
	assert_int_equal(bench_napi_parse(napi, &ns), 0);
	assert_int_equal(ns.polls, 379);
	assert_int_equal(ns.frames, 6389);
	assert_int_equal(ns.empty_polls, 146);
	/* the histogram holds every poll and every frame */
	for (i = 0; i < ns.nr_buckets; i++) {
		assert_true(ns.low[i] == ns.high[i]);
		polls += ns.count[i];
		frames += ns.count[i] * ns.low[i];
		if (i)
			assert_true(ns.low[i - 1] < ns.low[i]);
	}
	assert_int_equal(polls, ns.polls);
	assert_int_equal(frames, ns.frames);
	assert_int_equal(bench_ring_rx_empty(ring), 50);
	assert_int_equal(bench_napi_parse("{\"time\":1}", &ns), -1);
	assert_int_equal(bench_ring_rx_empty("not json"), -1);
	free(napi);
	free(ring);
}

static void test_stats(void **state)
{
	double odd[] = { 169, 95, 117 }, even[] = { 4, 1, 3, 2 }, one[] = { 7 };
	struct bench_stats a, b, c;

	(void)state;
	bench_stats(odd, 3, &a);
	assert_int_equal(a.n, 3);
	assert_float_equal(a.median, 117, 1e-9);
	assert_float_equal(a.min, 95, 1e-9);
	assert_float_equal(a.max, 169, 1e-9);
	assert_float_equal(a.spread, (169.0 - 95) / 117, 1e-9);
	bench_stats(even, 4, &b);
	assert_float_equal(b.median, 2.5, 1e-9);
	bench_stats(one, 1, &c);
	assert_float_equal(c.spread, 0, 1e-9);
	/* 95..169 and 1..4 do not overlap: a difference; 7 lies in 1..4? no */
	assert_false(bench_overlap(&a, &b));
	assert_false(bench_overlap(&b, &c));
	c.min = 3.5;
	c.max = 3.5;
	assert_true(bench_overlap(&b, &c));
	assert_true(bench_overlap(&a, &a));
	assert_float_equal(bench_percentile(even, 4, 90), 4, 1e-9);
	assert_float_equal(bench_percentile(even, 4, 0), 1, 1e-9);
}

/* a point: knob, throughput median [min-max], ping p90 and CPU likewise */
static struct bench_point point(int knob, double mbps, double lo, double hi,
				double p90, double p90_lo, double p90_hi,
				double cpu, double cpu_lo, double cpu_hi)
{
	struct bench_point p = {
		.knob = knob,
		.mbps = { .n = 3, .median = mbps, .min = lo, .max = hi },
		.ping_p90 = { .n = 3, .median = p90, .min = p90_lo, .max = p90_hi },
		.cpu = { .n = 3, .median = cpu, .min = cpu_lo, .max = cpu_hi },
		.has_ping = true,
		.has_cpu = true,
	};

	return p;
}

static void test_pick(void **state)
{
	struct bench_point p[4];
	int best;

	(void)state;
	/* all within 5 % and no measured difference: the smallest ring */
	p[0] = point(256, 136.9, 132.7, 136.9, 93.4, 90, 96, 4190, 3850, 5070);
	p[1] = point(16, 136.3, 131.0, 136.7, 95.2, 92, 97, 3920, 3700, 4240);
	p[2] = point(64, 133.7, 133.3, 136.5, 92.9, 91, 95, 3390, 3320, 3770);
	p[3] = point(1024, 136.3, 136.3, 136.5, 94.2, 93, 96, 3410, 2730, 4470);
	assert_int_equal(bench_pick(p, 4, 0.05, &best), 1);
	assert_int_equal(best, 0);
	assert_true(p[3].fast && p[3].low_latency && p[3].low_cpu);
	/* 256 costs more CPU than 64 beyond the spread of both */
	assert_true(p[0].low_latency);
	assert_false(p[0].low_cpu);

	/* 16 is too slow; 64's latency is lower beyond the spread */
	p[1].mbps.median = 120;
	p[2].ping_p90 = (struct bench_stats){ .n = 3, .median = 50, .min = 45, .max = 55 };
	assert_int_equal(bench_pick(p, 4, 0.05, NULL), 2);
	assert_false(p[1].fast);
	assert_false(p[0].low_latency);

	/* equal latency, 1024 costs less CPU beyond the spread of the others */
	p[2].ping_p90 = p[0].ping_p90;
	p[3].cpu = (struct bench_stats){ .n = 3, .median = 1000, .min = 900, .max = 1100 };
	assert_int_equal(bench_pick(p, 4, 0.05, NULL), 3);
	assert_true(p[3].low_cpu);
	assert_false(p[2].low_cpu);

	/* no ping and no CPU figures: the smallest of the fast ones */
	p[0].has_ping = p[2].has_ping = p[3].has_ping = false;
	p[0].has_cpu = p[2].has_cpu = p[3].has_cpu = false;
	assert_int_equal(bench_pick(p, 4, 0.05, NULL), 2);
	assert_int_equal(bench_pick(p, 0, 0.05, NULL), -1);
}

/* obs-cost.txt: the tools' and bpftrace's CPU apart, other owners ignored */
static void test_obs_cost(void **state)
{
	static const char text[] =
		"packets 177910\n"
		"ms 5200\n"
		"bpf bpftrace 162806408\n"
		"bpf dmuxnapi 9857348\n"
		"bpf dmuxtop 12776419\n"
		"bpf iperf3 5\n"
		"proc bpftrace 160231843\n"
		"proc dmuxnapi 34871850\n"
		"proc dmuxtop 24331322\n"
		"junk\n";
	struct bench_obs_cost c;
	FILE *f;

	(void)state;
	f = fmemopen((void *)text, sizeof(text) - 1, "r");
	assert_non_null(f);
	assert_int_equal(bench_obs_cost_parse(f, &c), 0);
	fclose(f);
	assert_int_equal(c.packets, 177910);
	assert_int_equal(c.ms, 5200);
	assert_true(c.tools_bpf_ns == 9857348.0 + 12776419.0);
	assert_true(c.tools_proc_ns == 34871850.0 + 24331322.0);
	assert_true(c.bpftrace_bpf_ns == 162806408.0);
	assert_true(c.bpftrace_proc_ns == 160231843.0);

	/* no packets: nothing to divide by */
	f = fmemopen((void *)"ms 5\nbpf dmuxtop 1\n", 19, "r");
	assert_non_null(f);
	assert_int_equal(bench_obs_cost_parse(f, &c), -1);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iperf_tcp),
		cmocka_unit_test(test_iperf_udp),
		cmocka_unit_test(test_iperf_error),
		cmocka_unit_test(test_modules),
		cmocka_unit_test(test_tids),
		cmocka_unit_test(test_perf_rules),
		cmocka_unit_test(test_perf_header),
		cmocka_unit_test(test_perf_capture),
		cmocka_unit_test(test_ping),
		cmocka_unit_test(test_napi_ring),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_pick),
		cmocka_unit_test(test_obs_cost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

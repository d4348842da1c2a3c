// SPDX-License-Identifier: GPL-2.0
/*
 * statbench: the benchmark behind invlab's comparison claims, on synthetic
 * data (make bench-stats, part of make bench).
 *
 *   statbench quality [PAIRS [HISTORIES]]
 *                               compare: A/A false alarms and 10%-drop
 *                               detection under each noise model (noise.h)
 *                               for 1, 3 and 5 boots per side; nightly:
 *                               false change points and red gates in
 *                               histories of 30 nights, and a 10% drop
 *   statbench synth DIR [RUNS METRICS SAMPLES]
 *                               write RUNS synthetic runs into DIR in the
 *                               result schema (default 100 x 50 x 20)
 *   statbench speed DIR         load every run in DIR, compare each with
 *                               the one before, write every comparison's
 *                               Markdown; prints the wall time
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/changepoint.h"
#include "analysis/compare.h"
#include "analysis/judge.h"
#include "analysis/policy.h"
#include "lib/result.h"
#include "analysis/runtab.h"
#include "analysis/stats.h"
#include "lib/util.h"
#include "noise.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

#define WINDOWS 5 /* per boot */
#define KMAX 5

/* A calibration: 10 boots of the model with nothing changed. */
static void calibrate(struct rng *r, const struct noise_model *m,
		      struct judge_ctx *prior)
{
	double v[10 * WINDOWS];
	int boot[10 * WINDOWS];
	struct samples s = { v, boot, 10 * WINDOWS, NULL };
	struct var_comp vc;

	noise_side(r, m, 1000, 10, WINDOWS, 0, v, boot);
	var_components(&s, true, &vc);
	prior->boot_sd = vc.boot_sd;
	prior->df = 9;
	snprintf(prior->source, sizeof(prior->source), "a calibration");
}

/* One comparison of k boots per side; shift 1: A/A, 0.9: a 10% drop. */
static enum verdict one_pair(const struct policy *p, struct rng *r,
			     const struct noise_model *m, size_t k, int cal,
			     double shift)
{
	double a[KMAX * WINDOWS], b[KMAX * WINDOWS];
	int ba[KMAX * WINDOWS], bb[KMAX * WINDOWS];
	struct samples sa = { a, ba, k * WINDOWS, NULL },
		       sb = { b, bb, k * WINDOWS, NULL };
	struct judge_ctx prior;
	struct judgement j;

	noise_side(r, m, 1000, k, WINDOWS, 0, a, ba);
	noise_side(r, m, 1000 * shift, k, WINDOWS, 1, b, bb);
	if (cal)
		calibrate(r, m, &prior);
	judge_samples(p, "iops", &sa, &sb, cal ? &prior : NULL, &j);
	return j.verdict;
}

/*
 * compare over the noise models: A/A false alarms and the detection of a
 * 10% drop, for 1 boot per side (with and without a calibration), 3 and 5.
 */
static int quality(const struct policy *p, int pairs)
{
	/* the calibrated column is shown, not a target: with heavy-tailed
	 * boot offsets one boot per side cannot be judged at alpha exactly,
	 * whatever the calibration
	 */
	static const struct {
		size_t k;
		int cal;
		const char *name;
	} ks[] = { { 1, 0, "K=1" },
		   { 1, 1, "K=1 calibrated (shown)" },
		   { 3, 0, "K=3" },
		   { 5, 0, "K=5" } };
	struct rng r;
	int bad = 0;

	rng_seed(&r, 2026);
	printf("compare, metric iops: alpha %g, min effect %g, judged over boots from %u per side; %d pairs per model and K, %d windows per boot\n",
	       p->alpha, policy_rule(p, "iops")->min_effect, p->min_boots,
	       pairs, WINDOWS);
	printf("%-18s", "model");
	for (size_t c = 0; c < sizeof(ks) / sizeof(ks[0]); c++)
		printf("  %-24s", ks[c].name);
	printf("\n%-18s", "");
	for (size_t c = 0; c < sizeof(ks) / sizeof(ks[0]); c++)
		printf("  %-24s", "A/A alarms / 10% caught");
	printf("\n");
	for (size_t mi = 0; mi < noise_model_count; mi++) {
		const struct noise_model *m = &noise_models[mi];

		printf("%-18s", m->name);
		for (size_t c = 0; c < sizeof(ks) / sizeof(ks[0]); c++) {
			int alarms = 0, caught = 0;

			for (int i = 0; i < pairs; i++) {
				enum verdict v = one_pair(p, &r, m, ks[c].k,
							  ks[c].cal, 1);

				alarms += v != V_SAME && v != V_INCONCLUSIVE;
				caught += one_pair(p, &r, m, ks[c].k, ks[c].cal,
						   0.9) == V_REGRESSED;
			}
			printf("  %6.2f%% / %6.2f%%       ",
			       100.0 * alarms / pairs, 100.0 * caught / pairs);
			if (m->informative || ks[c].cal)
				continue;
			bad |= alarms * 100 > pairs;
			bad |= ks[c].k == 5 && caught * 100 < 95 * pairs;
		}
		printf("\n");
	}
	printf("targets (all but the TCG lab model and the calibrated column): A/A false alarms <= 1%% in every model and K; a 10%% drop caught >= 95%% with K=5 (%s)\n",
	       bad ? "MISSED" : "met");
	return bad;
}

#define NIGHTS 30

/*
 * One history of NIGHTS nights of k boots each: its change points and
 * whether its gate ends red. step < 1: the mean drops by that factor from
 * night 20 on.
 */
static void one_history(const struct policy *p, struct rng *r,
			const struct noise_model *m, size_t k, double step,
			size_t *ncp, bool *red)
{
	double night[NIGHTS], v[KMAX * WINDOWS];
	size_t off[NIGHTS + 1];
	int boot[KMAX * WINDOWS];
	struct changepoint cp[CP_MAX_POINTS + 1];
	struct cp_series ser = { "iops", night, off, NIGHTS };
	struct cp_opts o = { 0 };

	for (size_t n = 0; n < NIGHTS; n++) {
		struct samples s = { v, boot, k * WINDOWS, NULL };

		noise_side(r, m, 1000 * (n >= 20 ? step : 1), k, WINDOWS, 0, v,
			   boot);
		night[n] = samples_summary(&s);
		off[n] = n;
	}
	off[NIGHTS] = NIGHTS;
	*ncp = cp_detect(p, &ser, &o, cp);
	*red = *ncp && cp[*ncp - 1].j.verdict == V_REGRESSED;
}

/*
 * nightly over the noise models: histories of NIGHTS nights with nothing
 * changed (false change points, false red gates) and with a 10% drop from
 * night 20 on (the gate red at the end), for 1, 3 and 5 boots a night.
 */
static int quality_nightly(const struct policy *p, int histories)
{
	static const size_t ks[] = { 1, 3, 5 };
	struct rng r;
	int bad = 0;

	rng_seed(&r, 30);
	printf("\nnightly, metric iops: %d histories of %d nights per model and K (boots a night, %d windows each); a night is one value (the median of its boots' medians); %u permutations\n",
	       histories, NIGHTS, WINDOWS, p->permutations);
	printf("%-18s", "model");
	for (size_t c = 0; c < sizeof(ks) / sizeof(ks[0]); c++)
		printf("  K=%-34zu", ks[c]);
	printf("\n%-18s", "");
	for (size_t c = 0; c < sizeof(ks) / sizeof(ks[0]); c++)
		printf("  %-36s", "A/A change pts / red gates / 10% red");
	printf("\n");
	for (size_t mi = 0; mi < noise_model_count; mi++) {
		const struct noise_model *m = &noise_models[mi];

		printf("%-18s", m->name);
		for (size_t c = 0; c < sizeof(ks) / sizeof(ks[0]); c++) {
			int with_cp = 0, red = 0, caught = 0;

			for (int h = 0; h < histories; h++) {
				size_t n;
				bool rd;

				one_history(p, &r, m, ks[c], 1, &n, &rd);
				with_cp += n > 0;
				red += rd;
				one_history(p, &r, m, ks[c], 0.9, &n, &rd);
				caught += rd;
			}
			printf("  %5d / %5d / %6.1f%%              ", with_cp,
			       red, 100.0 * caught / histories);
			if (!m->informative)
				bad |= red * 100 > histories;
		}
		printf("\n");
	}
	printf("target (all but the TCG lab model): at most 1 false red gate in 100 histories (%s)\n",
	       bad ? "MISSED" : "met");
	return bad;
}

static int write_run(const char *dir, int run, int metrics, int samples,
		     struct rng *r)
{
	char *rundir = xasprintf("%s/run-%03d", dir, run);
	char *celldir = xasprintf("%s/cell", rundir), *path;
	json_object *res = json_object_new_object(), *arr, *rj, *cells, *c;
	char id[32], started[32];
	int ret;

	mkdir_p(celldir, 0755);
	json_object_object_add(res, "schema",
			       json_object_new_string(RESULT_SCHEMA));
	json_object_object_add(res, "version",
			       json_object_new_int(RESULT_VERSION));
	json_object_object_add(res, "status",
			       json_object_new_string("complete"));
	arr = json_object_new_array();
	for (int s = 0; s < samples; s++) {
		json_object *sample = json_object_new_object();
		json_object *m = json_object_new_object();

		for (int k = 0; k < metrics; k++) {
			char name[32];
			/* a 10% step in metric 0 half way through */
			double mean = 1000 * (k + 1) *
				      (k == 0 && run >= 50 ? 0.9 : 1.0);

			snprintf(name, sizeof(name), "m%02d_per_s", k);
			json_object_object_add(
				m, name,
				json_object_new_double(
					mean * (1 + 0.03 * rng_normal(r))));
		}
		json_object_object_add(sample, "repetition",
				       json_object_new_int(s + 1));
		json_object_object_add(sample, "metrics", m);
		json_object_array_add(arr, sample);
	}
	json_object_object_add(res, "samples", arr);
	path = xasprintf("%s/result.json", celldir);
	ret = result_write(res, path);
	free(path);
	json_object_put(res);

	rj = json_object_new_object();
	json_object_object_add(rj, "schema",
			       json_object_new_string("invlab.run"));
	json_object_object_add(rj, "version", json_object_new_int(1));
	snprintf(id, sizeof(id), "run-%03d", run);
	/* one run a night, in order, for nightly's history */
	snprintf(started, sizeof(started), "2026-%02d-%02dT02:00:00Z",
		 1 + run / 28, 1 + run % 28);
	json_object_object_add(rj, "run_id", json_object_new_string(id));
	json_object_object_add(rj, "started", json_object_new_string(started));
	json_object_object_add(rj, "suite",
			       json_object_new_string("synthetic"));
	json_object_object_add(rj, "status",
			       json_object_new_string("complete"));
	cells = json_object_new_array();
	c = json_object_new_object();
	json_object_object_add(c, "label", json_object_new_string("cell"));
	json_object_object_add(c, "status", json_object_new_string("complete"));
	json_object_array_add(cells, c);
	json_object_object_add(rj, "kernels", cells);
	path = xasprintf("%s/run.json", rundir);
	ret = ret ? ret : result_write(rj, path);
	free(path);
	json_object_put(rj);
	free(celldir);
	free(rundir);
	return ret;
}

static int synth(const char *dir, int runs, int metrics, int samples)
{
	struct rng r;

	rng_seed(&r, 100);
	for (int i = 0; i < runs; i++) {
		if (write_run(dir, i, metrics, samples, &r)) {
			errorf("cannot write run %d under %s", i, dir);
			return 1;
		}
	}
	printf("%d runs x %d metrics x %d samples in %s\n", runs, metrics,
	       samples, dir);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int speed(const struct policy *p, const char *dir)
{
	struct strv names = { 0 };
	struct run *runs;
	struct dirent *de;
	size_t regressed = 0, judged = 0, bytes = 0;
	double t0 = now_s(), t1, t2;
	char err[ERRLEN];
	DIR *d = opendir(dir);

	if (!d) {
		errorf("%s: %s", dir, strerror(errno));
		return 2;
	}
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			strv_add(&names, de->d_name);
	closedir(d);
	qsort(names.v, names.n, sizeof(char *), cmp_str);
	runs = xcalloc(names.n + 1, sizeof(*runs));
	for (size_t i = 0; i < names.n; i++) {
		char *path = xasprintf("%s/%s", dir, names.v[i]);

		if (run_load(path, &runs[i], err, sizeof(err))) {
			errorf("%s", err);
			return 2;
		}
		free(path);
	}
	t1 = now_s();
	for (size_t i = 1; i < names.n; i++) {
		struct cell_pair pair;
		struct comparison c = { 0 };
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		compare_cells(&runs[i - 1].cells[0], &runs[i].cells[0], p, NULL,
			      &pair);
		c.base = runs[i - 1];
		c.new = runs[i];
		c.pairs = &pair;
		c.npairs = 1;
		for (size_t k = 0; k < pair.nm; k++) {
			regressed += pair.m[k].j.verdict == V_REGRESSED;
			judged++;
		}
		compare_markdown(&c, p, f);
		fclose(f);
		bytes += len;
		free(buf);
		cell_pair_free(&pair);
	}
	t2 = now_s();
	printf("loaded %zu runs in %.3f s; %zu comparisons (%zu metric judgements, %zu regressions called, %zu bytes of Markdown) in %.3f s; total %.3f s (target < 2 s)\n",
	       names.n, t1 - t0, names.n - 1, judged, regressed, bytes, t2 - t1,
	       t2 - t0);
	for (size_t i = 0; i < names.n; i++)
		run_free(&runs[i]);
	free(runs);
	strv_free(&names);
	return t2 - t0 < 2 ? 0 : 1;
}

int main(int argc, char **argv)
{
	char err[ERRLEN];
	struct policy p;
	int ret = 2;

	if (argc < 2) {
		fprintf(stderr,
			"usage: statbench quality [PAIRS] | synth DIR [RUNS METRICS SAMPLES] | speed DIR\n");
		return 2;
	}
	if (policy_load(NULL, &p, err, sizeof(err))) {
		errorf("%s", err);
		return 2;
	}
	if (!strcmp(argv[1], "quality"))
		ret = quality(&p, argc > 2 ? atoi(argv[2]) : 500) |
		      quality_nightly(&p, argc > 3 ? atoi(argv[3]) : 100);
	else if (!strcmp(argv[1], "synth") && argc > 2)
		ret = synth(argv[2], argc > 3 ? atoi(argv[3]) : 100,
			    argc > 4 ? atoi(argv[4]) : 50,
			    argc > 5 ? atoi(argv[5]) : 20);
	else if (!strcmp(argv[1], "speed") && argc > 2)
		ret = speed(&p, argv[2]);
	else
		fprintf(stderr, "statbench: unknown command %s\n", argv[1]);
	policy_free(&p);
	return ret;
}

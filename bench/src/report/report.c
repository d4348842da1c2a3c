// SPDX-License-Identifier: GPL-2.0
/*
 * The Markdown report of one lab run: context rows (with the ones that
 * differ between kernels called out), IOMMU commands per I/O by opcode,
 * workload throughput and latency, where the invalidations went, and every
 * window. Numbers come only from result.json; a kernel without one says why.
 */
#include "report.h"

#include <json-c/json.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/atomic_file.h"
#include "bpf/cmdq.h"
#include "bpf/fanout_stats.h"
#include "bpf/iommu_cmd_names.h"
#include "lib/json_util.h"
#include "lib/result.h"
#include "analysis/runtab.h"
#include "analysis/stats.h"
#include "lib/util.h"
#include "noise_table.h"

struct ksum {
	const char *label;
	const char *status;
	const char *reason;
	double boot_s;
	size_t boots, retried; /* the cell's boots, and attempts given up */
	size_t shared; /* its boots shared with other cells (lab_boot_group) */
	/* the directory (CELL/boot-N) with the console of the first boot
	 * that did not complete: a shared boot's is its first cell's
	 */
	char failed_boot[256];
	json_object *res; /* NULL when the guest left no valid result */
	char res_err[ERRLEN];
	size_t n;
	double *iops, *p50, *p99, *p999, *ios;
	double *per_io[IOMMU_CMD_NR_OPCODES];
	double *total_per_io;
};

static double jnum(json_object *o, const char *path)
{
	json_object *v = json_path(o, path);

	return v ? json_object_get_double(v) : NAN;
}

/* A metric of a sample's metrics object, by key: its name may hold dots. */
static double metric_num(json_object *metrics, const char *name)
{
	json_object *v = json_object_object_get(metrics, name);

	return v ? json_object_get_double(v) : NAN;
}

static void summarise(struct ksum *k)
{
	json_object *samples = json_path(k->res, "samples");
	size_t n = samples ? json_object_array_length(samples) : 0;

	k->n = n;
	k->iops = xcalloc(n, sizeof(double));
	k->p50 = xcalloc(n, sizeof(double));
	k->p99 = xcalloc(n, sizeof(double));
	k->p999 = xcalloc(n, sizeof(double));
	k->ios = xcalloc(n, sizeof(double));
	k->total_per_io = xcalloc(n, sizeof(double));
	for (unsigned int op = 0; op < IOMMU_CMD_NR_OPCODES; op++)
		k->per_io[op] = xcalloc(n, sizeof(double));
	for (size_t i = 0; i < n; i++) {
		json_object *s = json_object_array_get_idx(samples, i);
		double ios = jnum(s, "workload.total_ios");

		k->iops[i] = jnum(s, "workload.iops");
		k->p50[i] = jnum(s, "workload.clat_p50_ns") / 1000;
		k->p99[i] = jnum(s, "workload.clat_p99_ns") / 1000;
		k->p999[i] = jnum(s, "workload.clat_p99_9_ns") / 1000;
		k->ios[i] = ios;
		k->total_per_io[i] = jnum(s, "commands.total") / ios;
		for (unsigned int op = 0; op < IOMMU_CMD_NR_OPCODES; op++) {
			json_object *c =
				json_path(json_path(s, "commands.by_opcode"),
					  iommu_cmd_name(op));

			k->per_io[op][i] = c ? json_object_get_double(c) / ios :
					       0;
		}
	}
}

static void ksum_free(struct ksum *k)
{
	free(k->iops);
	free(k->p50);
	free(k->p99);
	free(k->p999);
	free(k->ios);
	free(k->total_per_io);
	for (unsigned int op = 0; op < IOMMU_CMD_NR_OPCODES; op++)
		free(k->per_io[op]);
	json_object_put(k->res);
}

static void table_head(FILE *f, const char *first, struct ksum *ks, size_t nk)
{
	fprintf(f, "| %s |", first);
	for (size_t i = 0; i < nk; i++)
		fprintf(f, " %s |", ks[i].label);
	fprintf(f, "\n|---|");
	for (size_t i = 0; i < nk; i++)
		fprintf(f, "---:|");
	fputc('\n', f);
}

/* A table cell: median (min–max) of v[0..n) in fmt, "-" when n is 0. */
static void range_cell(FILE *f, const char *fmt, const double *v, size_t n)
{
	char a[32], b[32], c[32];

	if (!n) {
		fprintf(f, " - |");
		return;
	}
	snprintf(a, sizeof(a), fmt, median_of(v, n));
	snprintf(b, sizeof(b), fmt, min_of(v, n));
	snprintf(c, sizeof(c), fmt, max_of(v, n));
	fprintf(f, " %s (%s–%s) |", a, b, c);
}

/* Add s to v unless it is there already. */
static void strv_add_new(struct strv *v, const char *s)
{
	for (size_t k = 0; k < v->n; k++) {
		if (!strcmp(v->v[k], s))
			return;
	}
	strv_add(v, s);
}

/* Context value of one kernel for a row, as text. */
typedef char *(*row_fn)(struct ksum *k);

static char *row_release(struct ksum *k)
{
	return xstrdup(json_path_str(k->res, "context.kernel.release", "?"));
}

static char *row_source(struct ksum *k)
{
	json_object *pk = json_path(k->res, "context.lab.kernel.packages");
	const char *meta =
		json_path_str(k->res, "context.lab.kernel.meta", NULL);
	const char *src =
		json_path_str(k->res, "context.lab.kernel.source", "");

	if (!strcmp(src, "lab-build"))
		return xasprintf(
			"lab build of %s",
			json_path_str(
				k->res,
				"context.lab.kernel.kernel_source.describe",
				"?"));
	if (!pk)
		return xstrdup(k->res ? "not a lab kernel" : "?");
	return xasprintf("Debian %s, %s",
			 json_path_str(k->res, "context.lab.kernel.suite", "?"),
			 meta ? meta : "?");
}

static char *row_config(struct ksum *k)
{
	const char *h =
		json_path_str(k->res, "context.kernel.config.sha256", NULL);

	return h ? xasprintf("`%.16s`", h) : xstrdup("not found");
}

/*
 * Append one formatted piece to the string *out (owned), with sep before
 * every piece but the first: how the list-valued rows are built.
 */
static void appendf(char **out, const char *sep, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void appendf(char **out, const char *sep, const char *fmt, ...)
{
	char *piece, *t;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&piece, fmt, ap) < 0)
		piece = NULL;
	va_end(ap);
	if (!piece)
		return;
	t = xasprintf("%s%s%s", *out, (*out)[0] ? sep : "", piece);
	free(piece);
	free(*out);
	*out = t;
}

static char *row_cmdline(struct ksum *k)
{
	/* The lab's own arguments (paths) are the same for every kernel and
	 * would only hide the ones that matter.
	 */
	const char *c = json_path_str(k->res, "context.kernel.cmdline", "?");
	struct strv words = { 0 };
	char *out = xstrdup("");

	strv_split_ws(&words, c);
	for (size_t i = 0; i < words.n; i++)
		if (strncmp(words.v[i], "invlab.", 7))
			appendf(&out, " ", "%s", words.v[i]);
	strv_free(&words);
	return out;
}

/* Applied patches as name@sha256-prefix, lab ones first. */
static char *row_patches(struct ksum *k)
{
	json_object *ps = json_path(k->res, "context.lab.kernel.patches");
	char *out = xstrdup("");

	for (size_t i = 0; ps && i < json_object_array_length(ps); i++) {
		json_object *p = json_object_array_get_idx(ps, i);

		appendf(&out, "<br>", "%s%s `%.8s`",
			strcmp(json_path_str(p, "series", ""), "lab") ?
				"user: " :
				"",
			json_path_str(p, "name", "?"),
			json_path_str(p, "sha256", ""));
	}
	if (!out[0]) {
		free(out);
		return xstrdup("none");
	}
	return out;
}

/* Which seed paths the kernel has (bpf/seed-paths.conf), by seed number. */
static char *row_seeds(struct ksum *k)
{
	json_object *sp = json_path(k->res, "probes.seed_paths");
	char *out = xstrdup("");

	if (!sp) {
		free(out);
		return xstrdup(k->res ? "not recorded" : "?");
	}
	json_object_object_foreach(sp, name, v)
		appendf(&out, ", ", "%s %s", json_path_str(v, "seed", name),
			json_object_get_boolean(json_path(v, "present")) ?
				"present" :
				"absent");
	return out;
}

/* amd_iommu_lab.* knobs as name=on/off. */
static char *row_knobs(struct ksum *k)
{
	json_object *o = json_path(k->res, "context.iommu.lab_knobs");
	char *out = xstrdup("");

	if (!o) {
		free(out);
		return xstrdup(k->res ? "none (not a lab kernel)" : "?");
	}
	json_object_object_foreach(o, name, v)
		appendf(&out, " ", "%s=%s", name,
			json_object_get_boolean(v) ? "on" : "off");
	return out;
}

/* The suite's kernel checks, if any ran. */
static char *row_checks(struct ksum *k)
{
	json_object *c = json_path(k->res, "checks");
	char *out = xstrdup("");

	if (!c) {
		free(out);
		return xstrdup("none run");
	}
	json_object_object_foreach(
		c, name, v) if (json_object_is_type(v, json_type_object))
		appendf(&out, ", ", "%s %s", name,
			json_object_get_boolean(
				json_object_object_get(v, "ok")) ?
				"ok" :
				"**FAILED**");
	return out;
}

static char *row_features(struct ksum *k)
{
	json_object *u = json_path(k->res, "context.iommu.units");
	json_object *u0 = u && json_object_array_length(u) ?
				  json_object_array_get_idx(u, 0) :
				  NULL;

	if (!u0)
		return xstrdup("no IOMMU in sysfs");
	return xasprintf("%zu unit(s); %s features %s",
			 json_object_array_length(u),
			 json_path_str(u0, "name", "?"),
			 json_path_str(u0, "features", "?"));
}

static char *row_intremap(struct ksum *k)
{
	return xstrdup(json_path_str(k->res,
				     "context.iommu.interrupt_remapping", "?"));
}

static char *row_mode(struct ksum *k)
{
	return xasprintf(
		"%s (device domain %s)",
		json_path_str(k->res, "context.iommu.dma_mode", "?"),
		json_path_str(k->res, "workload.device.iommu_group_type", "?"));
}

static char *row_probe(struct ksum *k)
{
	return xasprintf("%s on %s",
			 json_path_str(k->res, "probes.cmdq.mechanism", "?"),
			 json_path_str(k->res, "probes.cmdq.symbol", "?"));
}

static char *row_qemu(struct ksum *k)
{
	return xasprintf(
		"%s; topology %s `%.12s`",
		json_path_str(k->res, "context.lab.qemu.version", "real host"),
		json_path_str(k->res, "context.lab.topology.name", "-"),
		json_path_str(k->res, "context.lab.topology.sha256", ""));
}

/* The QEMU host's 1-minute load as each boot started: under TCG a busy
 * host slows the guest, whatever its kernel.
 */
static char *row_host_load(struct ksum *k)
{
	json_object *boots = json_path(k->res, "boots");
	char *out = xstrdup(""), *t;
	size_t n = boots && json_object_is_type(boots, json_type_array) ?
			   json_object_array_length(boots) :
			   0;

	for (size_t i = 0; i < n; i++) {
		json_object *l = json_path(json_object_array_get_idx(boots, i),
					   "host_load_1m");

		t = l && !json_object_is_type(l, json_type_null) ?
			    xasprintf("%s%s%.1f", out, i ? ", " : "",
				      json_object_get_double(l)) :
			    xasprintf("%s%s-", out, i ? ", " : "");
		free(out);
		out = t;
	}
	if (!n) {
		free(out);
		out = xstrdup("-");
	}
	return out;
}

static char *row_device(struct ksum *k)
{
	return xasprintf("%s (PCI %s)",
			 json_path_str(k->res, "workload.device.node", "?"),
			 json_path_str(k->res, "workload.device.pci", "?"));
}

static void context_rows(FILE *f, struct ksum *ks, size_t nk,
			 struct strv *differs)
{
	static const struct {
		const char *name;
		row_fn fn;
	} rows[] = {
		{ "kernel release", row_release },
		{ "kernel source", row_source },
		{ "patches", row_patches },
		{ "config sha256", row_config },
		{ "command line", row_cmdline },
		{ "IOMMU", row_features },
		{ "interrupt remapping", row_intremap },
		{ "lab knobs", row_knobs },
		{ "seed paths", row_seeds },
		{ "kernel checks", row_checks },
		{ "DMA invalidation", row_mode },
		{ "cmdq probe", row_probe },
		{ "QEMU", row_qemu },
		{ "host load at each boot", row_host_load },
		{ "device", row_device },
	};

	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		char **vals = xcalloc(nk, sizeof(char *));
		bool differ = false;

		for (size_t i = 0; i < nk; i++) {
			vals[i] = ks[i].res ? rows[r].fn(&ks[i]) : xstrdup("-");
			if (i && ks[i].res && ks[0].res &&
			    strcmp(vals[i], vals[0]))
				differ = true;
		}
		if (differ)
			strv_add(differs, rows[r].name);
		fprintf(f, differ ? "| **%s** |" : "| %s |", rows[r].name);
		for (size_t i = 0; i < nk; i++) {
			fprintf(f, " %s |", vals[i]);
			free(vals[i]);
		}
		fputc('\n', f);
		free(vals);
	}
}

static void commands_table(FILE *f, struct ksum *ks, size_t nk)
{
	table_head(f, "opcode", ks, nk);
	for (unsigned int op = 0; op < IOMMU_CMD_NR_OPCODES; op++) {
		bool any = false;

		for (size_t i = 0; i < nk; i++)
			any |= ks[i].n &&
			       median_of(ks[i].per_io[op], ks[i].n) > 0;
		if (!any)
			continue;
		fprintf(f, "| %s |", iommu_cmd_name(op));
		for (size_t i = 0; i < nk; i++) {
			if (ks[i].n)
				fprintf(f, " %.3f |",
					median_of(ks[i].per_io[op], ks[i].n));
			else
				fprintf(f, " - |");
		}
		fputc('\n', f);
	}
	fprintf(f, "| **all commands** |");
	for (size_t i = 0; i < nk; i++) {
		if (ks[i].n)
			fprintf(f, " **%.3f** |",
				median_of(ks[i].total_per_io, ks[i].n));
		else
			fprintf(f, " - |");
	}
	fputc('\n', f);
}

static void metric_row(FILE *f, const char *name, struct ksum *ks, size_t nk,
		       size_t off, const char *fmt)
{
	fprintf(f, "| %s |", name);
	for (size_t i = 0; i < nk; i++) {
		double *v = *(double **)((char *)&ks[i] + off);

		range_cell(f, fmt, v, ks[i].n);
	}
	fputc('\n', f);
}

/*
 * A row from the windows run with every probe detached ([probes] overhead):
 * path (per thousand with scale) in each of them; "-" for a kernel without.
 */
static void detached_row(FILE *f, const char *name, struct ksum *ks, size_t nk,
			 const char *path, double scale, const char *fmt)
{
	fprintf(f, "| %s |", name);
	for (size_t i = 0; i < nk; i++) {
		json_object *offs = json_path(ks[i].res, "overhead.off");
		size_t n = offs ? json_object_array_length(offs) : 0, m = 0;
		double *v = xcalloc(n + 1, sizeof(double));

		for (size_t w = 0; w < n; w++) {
			double x =
				jnum(json_object_array_get_idx(offs, w), path);

			if (!isnan(x))
				v[m++] = x / scale;
		}
		range_cell(f, fmt, v, m);
		free(v);
	}
	fputc('\n', f);
}

static void workload_table(FILE *f, struct ksum *ks, size_t nk)
{
	bool detached = false;

	for (size_t i = 0; i < nk; i++)
		detached |= json_path(ks[i].res, "overhead.off") != NULL;
	if (detached)
		fprintf(f,
			"Each kernel pays its own probe cost while the probes are attached (stock kernels hook more functions: see Probe overhead), so compare kernels by the windows run with every probe detached.\n\n");
	table_head(f, "metric: median (min–max)", ks, nk);
	metric_row(f, detached ? "IOPS, probes attached" : "IOPS", ks, nk,
		   offsetof(struct ksum, iops), "%.0f");
	/* each kernel's probes cost it differently: compare these */
	if (detached) {
		detached_row(f, "**IOPS, probes detached**", ks, nk,
			     "workload.iops", 1, "%.0f");
		detached_row(f, "completion latency p99 (µs), probes detached",
			     ks, nk, "workload.clat_p99_ns", 1000, "%.1f");
	}
	metric_row(f, "completion latency p50 (µs)", ks, nk,
		   offsetof(struct ksum, p50), "%.1f");
	metric_row(f, "completion latency p99 (µs)", ks, nk,
		   offsetof(struct ksum, p99), "%.1f");
	metric_row(f, "completion latency p99.9 (µs)", ks, nk,
		   offsetof(struct ksum, p999), "%.1f");
	metric_row(f, "reads per window", ks, nk, offsetof(struct ksum, ios),
		   "%.0f");
}

/* Commands of one opcode to one target, summed over a kernel's windows. */
struct target {
	unsigned int opcode;
	char id[16]; /* domid/devid, or "-" */
	double count;
};

static void add_target(struct target **t, size_t *n, size_t *cap,
		       unsigned int opcode, const char *id, double count)
{
	for (size_t i = 0; i < *n; i++) {
		if ((*t)[i].opcode == opcode && !strcmp((*t)[i].id, id)) {
			(*t)[i].count += count;
			return;
		}
	}
	*t = xgrow(*t, cap, *n + 1, sizeof(**t));
	(*t)[*n] = (struct target){ .opcode = opcode, .count = count };
	snprintf((*t)[*n].id, sizeof((*t)[*n].id), "%s", id);
	(*n)++;
}

/* Per kernel, the ids that took the most commands of each opcode. */
static void targets_table(FILE *f, struct ksum *ks, size_t nk)
{
	fprintf(f,
		"| kernel | opcode | domid / devid | commands | share of opcode |\n");
	fprintf(f, "|---|---|---:|---:|---:|\n");
	for (size_t i = 0; i < nk; i++) {
		json_object *samples = json_path(ks[i].res, "samples");
		double op_total[IOMMU_CMD_NR_OPCODES] = { 0 };
		struct target *t = NULL;
		size_t nt = 0, cap = 0;

		for (size_t s = 0; s < ks[i].n; s++) {
			json_object *ids =
				json_path(json_object_array_get_idx(samples, s),
					  "commands.by_id");

			for (size_t j = 0;
			     ids && j < json_object_array_length(ids); j++) {
				json_object *e =
					json_object_array_get_idx(ids, j);
				unsigned int op = iommu_cmd_opcode(
					json_path_str(e, "opcode", "?"));

				op_total[op] += jnum(e, "count");
				add_target(&t, &nt, &cap, op,
					   json_path_str(e, "id", "-"),
					   jnum(e, "count"));
			}
		}
		for (size_t j = 0; j < nt; j++) {
			double share = t[j].count / op_total[t[j].opcode];

			/* Small fry (under 1%) would drown the table. */
			if (share < 0.01)
				continue;
			fprintf(f, "| %s | %s | %s | %.0f | %.1f%% |\n",
				ks[i].label, iommu_cmd_name(t[j].opcode),
				t[j].id, t[j].count, 100 * share);
		}
		free(t);
	}
}

static void windows_table(FILE *f, struct ksum *ks, size_t nk)
{
	fprintf(f,
		"| kernel | window | IOPS | reads | commands | INVALIDATE_IOMMU_PAGES / read | COMPLETION_WAIT / read |\n");
	fprintf(f, "|---|---:|---:|---:|---:|---:|---:|\n");
	for (size_t i = 0; i < nk; i++) {
		json_object *samples = json_path(ks[i].res, "samples");

		for (size_t s = 0; s < ks[i].n; s++) {
			json_object *o = json_object_array_get_idx(samples, s);

			fprintf(f,
				"| %s | %s | %.0f | %.0f | %.0f | %.3f | %.3f |\n",
				ks[i].label,
				json_path_str(o, "repetition", "?"),
				ks[i].iops[s], ks[i].ios[s],
				jnum(o, "commands.total"),
				ks[i].per_io[IOMMU_CMD_INV_IOMMU_PAGES][s],
				ks[i].per_io[IOMMU_CMD_COMPL_WAIT][s]);
		}
	}
}

/* Sum of the counts of a {"OPCODE": n} object. */
static uint64_t sum_counts(json_object *o)
{
	uint64_t n = 0;

	if (!o)
		return 0;
	json_object_object_foreach(o, name, v)
	{
		(void)name;
		n += json_object_get_uint64(v);
	}
	return n;
}

/* "met", "not met" or "inconclusive" for an interval against a bound. */
static const char *verdict(double lo, double hi, double bound, bool upper)
{
	if (upper)
		return hi <= bound ? "met" :
		       lo > bound  ? "**not met**" :
				     "inconclusive";
	return lo >= bound ? "met" :
	       hi < bound  ? "**not met**" :
			     "inconclusive";
}

/*
 * The overhead benchmark ([probes] overhead): each window with the probes
 * attached against its pair with them detached.
 */
static void overhead_table(FILE *f, struct ksum *ks, size_t nk)
{
	bool head = false, any = false;

	for (size_t i = 0; i < nk; i++)
		any |= json_array_len(json_path(ks[i].res, "overhead.off")) > 0;
	if (any)
		fprintf(f, "\n## Probe overhead\n");

	for (size_t i = 0; i < nk; i++) {
		json_object *offs = json_path(ks[i].res, "overhead.off");
		size_t n = offs ? json_object_array_length(offs) : 0, m = 0;
		double *ratio, *added, *on, *off, r, rlo, rhi, a, alo, ahi;

		if (!offs || !json_path(json_object_array_get_idx(offs, 0),
					"workload.iops"))
			continue;
		if (!head) {
			fprintf(f,
				"\nEach repetition is a pair of windows, one with every probe attached and one with none, in alternating order. Ratio: IOPS with probes over IOPS without, per pair. Added per command: the extra time per read (1/IOPS) divided by the commands per read. Mean and 95%% confidence interval over the pairs (Student's t). Targets: at most 1%% throughput loss (ratio ≥ 0.99) and at most 50 ns per command.\n\n"
				"| kernel | pairs | IOPS on (median) | IOPS off (median) | ratio on/off [95%% CI] | added per command, ns [95%% CI] | ≤1%% loss | ≤50 ns |\n"
				"|---|---:|---:|---:|---|---|---|---|\n");
			head = true;
		}
		ratio = xcalloc(n + 1, sizeof(double));
		added = xcalloc(n + 1, sizeof(double));
		on = xcalloc(n + 1, sizeof(double));
		off = xcalloc(n + 1, sizeof(double));
		for (size_t j = 0; j < n && j < ks[i].n; j++) {
			json_object *o = json_object_array_get_idx(offs, j);
			double io = jnum(o, "workload.iops");
			double cmds_per_io = ks[i].total_per_io[j];

			if (!(io > 0) || !(ks[i].iops[j] > 0) ||
			    !(cmds_per_io > 0))
				continue;
			on[m] = ks[i].iops[j];
			off[m] = io;
			ratio[m] = on[m] / off[m];
			added[m] = (1e9 / on[m] - 1e9 / off[m]) / cmds_per_io;
			m++;
		}
		if (mean_ci95(ratio, m, &r, &rlo, &rhi) ||
		    mean_ci95(added, m, &a, &alo, &ahi)) {
			fprintf(f,
				"| %s | %zu | | | fewer than 2 complete pairs: no interval | | | |\n",
				ks[i].label, m);
		} else {
			fprintf(f,
				"| %s | %zu | %.0f | %.0f | %.4f [%.4f, %.4f] | %.0f [%.0f, %.0f] | %s | %s |\n",
				ks[i].label, m, median_of(on, m),
				median_of(off, m), r, rlo, rhi, a, alo, ahi,
				verdict(rlo, rhi, 0.99, false),
				verdict(alo, ahi, 50, true));
		}
		free(ratio);
		free(added);
		free(on);
		free(off);
	}
}

/* One overhead pair's CPU work per read, on and off; false if unknown. */
static bool cpu_pair(json_object *on, json_object *off, double *con,
		     double *coff)
{
	double bon = jnum(on, "cpu_busy_us"),
	       ion = jnum(on, "workload.total_ios");
	double boff = jnum(off, "cpu_busy_us"),
	       ioff = jnum(off, "workload.total_ios");

	if (!(bon > 0) || !(ion > 0) || !(boff > 0) || !(ioff > 0))
		return false;
	*con = bon / ion;
	*coff = boff / ioff;
	return true;
}

/*
 * The overhead pairs again, by the CPU work of a read (cpu.stat, idle left
 * out) rather than its time: on the instruction clock, instructions per
 * read and per command, the same on any host. Targets: at most 1% more
 * per read on a kernel with the lab tracepoints (3% on a stock kernel,
 * whose fan-out needs the fallback's hooks) and at most 150 instructions
 * per command.
 */
static void cpu_overhead_table(FILE *f, struct ksum *ks, size_t nk)
{
	bool head = false;

	for (size_t i = 0; i < nk; i++) {
		json_object *offs = json_path(ks[i].res, "overhead.off");
		json_object *samples = json_path(ks[i].res, "samples");
		size_t n = json_array_len(offs), m = 0;
		bool ic = !strcmp(json_path_str(ks[i].res,
						"context.lab.timing.mode",
						"wall"),
				  "icount");
		bool lab = json_object_get_boolean(
			json_path(ks[i].res, "probes.fanout.present"));
		double *ratio, *added, r, rlo, rhi, a, alo, ahi, bound;

		/* per read: only a workload that reads (fio) */
		if (!n || !json_path(json_object_array_get_idx(samples, 0),
				     "workload.total_ios"))
			continue;
		if (!head) {
			fprintf(f,
				"\nThe same pairs by the CPU work of a read (all CPUs, idle left out: cpu.stat): on the instruction clock (`[suite] timing = icount`) instructions, the same on any host and under any load; on the wall clock this host's CPU time. Added per command: the extra work per read over the commands per read. Targets on the instruction clock: at most 1%% more per read with the lab tracepoints, 3%% on a stock kernel (its fan-out needs the fallback's hooks), at most 150 instructions per command.\n\n"
				"| kernel | clock | pairs | per read on/off [95%% CI] | added per command [95%% CI] | per read | per command |\n"
				"|---|---|---:|---|---|---|---|\n");
			head = true;
		}
		ratio = xcalloc(n + 1, sizeof(double));
		added = xcalloc(n + 1, sizeof(double));
		for (size_t j = 0; j < n && j < ks[i].n; j++) {
			double con, coff, cmds = ks[i].total_per_io[j];

			if (!(cmds > 0) ||
			    !cpu_pair(json_object_array_get_idx(samples, j),
				      json_object_array_get_idx(offs, j), &con,
				      &coff))
				continue;
			ratio[m] = con / coff;
			/* us to ns: instructions on the icount clock */
			added[m] = (con - coff) * 1000 / cmds;
			m++;
		}
		bound = lab ? 1.01 : 1.03;
		if (mean_ci95(ratio, m, &r, &rlo, &rhi) ||
		    mean_ci95(added, m, &a, &alo, &ahi))
			fprintf(f,
				"| %s | %s | %zu | fewer than 2 pairs with CPU times: no interval | | | |\n",
				ks[i].label, ic ? "icount" : "wall", m);
		else
			fprintf(f,
				"| %s | %s | %zu | %.4f [%.4f, %.4f] | %.0f [%.0f, %.0f] %s | %s | %s |\n",
				ks[i].label, ic ? "instructions" : "wall (TCG)",
				m, r, rlo, rhi, a, alo, ahi, ic ? "insn" : "ns",
				ic ? verdict(rlo, rhi, bound, true) :
				     "no target on the wall clock",
				ic ? verdict(alo, ahi, 150, true) :
				     "no target on the wall clock");
		free(ratio);
		free(added);
	}
}

/*
 * A workload's own metrics in the overhead pairs (the hDomID sweep's times,
 * say): on over off, per pair; for NAME_ns with a cmds_per_NAME, the time
 * the probes add per command.
 */
static void metric_overhead_rows(FILE *f, const struct ksum *k,
				 json_object *samples, json_object *offs,
				 bool ic, bool *head)
{
	json_object *m0 =
		json_path(json_object_array_get_idx(samples, 0), "metrics");
	size_t n = json_array_len(offs);

	if (!json_object_is_type(m0, json_type_object))
		return;
	json_object_object_foreach(m0, name, v0)
	{
		double *ratio = xcalloc(n + 1, sizeof(double));
		double *added = xcalloc(n + 1, sizeof(double));
		double r, rlo, rhi, a = NAN, alo = NAN, ahi = NAN;
		size_t m = 0, na = 0, len = strlen(name);
		char *cmds = len > 3 && !strcmp(name + len - 3, "_ns") ?
				     xasprintf("cmds_per_%.*s", (int)(len - 3),
					       name) :
				     NULL;

		(void)v0;
		for (size_t j = 0; j < n; j++) {
			json_object *on =
				json_path(json_object_array_get_idx(samples, j),
					  "metrics");
			json_object *off = json_path(
				json_object_array_get_idx(offs, j), "metrics");
			double von = metric_num(on, name),
			       voff = metric_num(off, name);
			double c = cmds ? metric_num(on, cmds) : NAN;

			if (!(von > 0) || !(voff > 0))
				continue;
			ratio[m++] = von / voff;
			if (c > 0)
				added[na++] = (von - voff) / c;
		}
		if (!mean_ci95(ratio, m, &r, &rlo, &rhi)) {
			if (!*head) {
				fprintf(f,
					"\nThe workload's own metrics in the same pairs: on over off, and for a time per event with its commands per event (NAME_ns, cmds_per_NAME) the time the probes add per command; mean and 95%% CI over the pairs. Target on the instruction clock: at most 150 instructions per command.\n\n"
					"| kernel | metric | pairs | on/off [95%% CI] | added per command [95%% CI] | ≤150 insn |\n"
					"|---|---|---:|---|---|---|\n");
				*head = true;
			}
			fprintf(f, "| %s | %s | %zu | %.4f [%.4f, %.4f] |",
				k->label, name, m, r, rlo, rhi);
			if (!mean_ci95(added, na, &a, &alo, &ahi))
				fprintf(f, " %.0f [%.0f, %.0f] %s | %s |\n", a,
					alo, ahi, ic ? "insn" : "ns",
					ic ? verdict(alo, ahi, 150, true) :
					     "no target on the wall clock");
			else
				fprintf(f, " - | |\n");
		}
		free(cmds);
		free(ratio);
		free(added);
	}
}

static void workload_overhead_table(FILE *f, struct ksum *ks, size_t nk)
{
	bool head = false;

	for (size_t i = 0; i < nk; i++) {
		json_object *offs = json_path(ks[i].res, "overhead.off");
		bool ic = !strcmp(json_path_str(ks[i].res,
						"context.lab.timing.mode",
						"wall"),
				  "icount");

		if (json_array_len(offs))
			metric_overhead_rows(f, &ks[i],
					     json_path(ks[i].res, "samples"),
					     offs, ic, &head);
	}
}

/* A counter summed over every window's fanout object. */
static double fanout_sum(struct ksum *k, const char *path)
{
	json_object *samples = json_path(k->res, "samples");
	double sum = 0;

	for (size_t i = 0; samples && i < json_object_array_length(samples);
	     i++) {
		json_object *v = json_path(
			json_path(json_object_array_get_idx(samples, i),
				  "fanout"),
			path);

		if (v)
			sum += json_object_get_double(v);
	}
	return sum;
}

/* fanout_sum of by_kind.KIND.FIELD. */
static double kind_sum(struct ksum *k, const char *kind, const char *field)
{
	char *path = xasprintf("by_kind.%s.%s", kind, field);
	double v = fanout_sum(k, path);

	free(path);
	return v;
}

/* The fanout probe's view: what each invalidation turned into. */
static void fanout_table(FILE *f, struct ksum *ks, size_t nk)
{
	fprintf(f,
		"\n## Fan-out per invalidation\n\n"
		"From the lab kernel's amd_iommu tracepoints (fanout probe), all windows: each logical invalidation, the commands queued inside it, what it walked (hDomIDs, aliases or aligned sub-ranges), begin-to-end latency and first-to-last command time (spent with IRQs off: flushes run under a spinlock). Means; the histograms are in result.json. Buffer-full head re-reads: the driver re-reads the IOMMU's head register (one MMIO read) when its cached head says fewer than 0x20 bytes are free, about once per buffer's worth of commands (`amd_iommu_lab.cmdbuf_entries` sizes the buffer); further polls are real waits for space. Under QEMU the emulated IOMMU executes each command as the tail is written, so a re-read always finds room and further polls stay 0: there the cost is the re-read, never a wait.\n\n"
		"| kernel | invalidation | per read | commands each | walked each | latency (µs) | first→last command (µs) |\n"
		"|---|---|---:|---:|---:|---:|---:|\n");
	for (size_t i = 0; i < nk; i++) {
		double reads = 0, waits, wait_ns, stalls, cmds;
		char polls[64];
		bool any = false;

		if (!ks[i].res)
			continue;
		if (!json_object_get_boolean(
			    json_path(ks[i].res, "probes.fanout.present"))) {
			fprintf(f, "| %s | %s | | | | | |\n", ks[i].label,
				json_path_str(ks[i].res, "probes.fanout.note",
					      "no fanout probe in this run"));
			continue;
		}
		for (size_t s = 0; s < ks[i].n; s++)
			reads += ks[i].ios[s];
		for (unsigned int j = 0; j < FANOUT_NR_KINDS; j++) {
			const char *kind = fanout_kind_name(j);
			double ev = kind_sum(&ks[i], kind, "events");
			double c = kind_sum(&ks[i], kind, "commands");
			double w = kind_sum(&ks[i], kind, "walked");
			double lat = kind_sum(&ks[i], kind, "latency_ns");
			double hold = kind_sum(&ks[i], kind, "hold_ns");

			if (!ev)
				continue;
			char per_read[32] = "-"; /* no reads: not fio */

			if (reads > 0)
				snprintf(per_read, sizeof(per_read), "%.3f",
					 ev / reads);
			fprintf(f,
				"| %s | %s | %s | %.2f | %.2f | %.2f | %.2f |\n",
				ks[i].label, kind, per_read, c / ev, w / ev,
				lat / ev / 1000, hold / ev / 1000);
			any = true;
		}
		waits = fanout_sum(&ks[i], "completion_waits.count");
		wait_ns = fanout_sum(&ks[i], "completion_waits.ns");
		stalls = fanout_sum(&ks[i], "queue_stalls.count");
		cmds = fanout_sum(&ks[i], "commands");
		/* polls: counted only where the tracepoint timed the waits */
		if (json_path(json_path(json_object_array_get_idx(
						json_path(ks[i].res, "samples"),
						0),
					"fanout"),
			      "queue_stalls.polls"))
			snprintf(polls, sizeof(polls), "%.0f further polls",
				 fanout_sum(&ks[i], "queue_stalls.polls"));
		else
			snprintf(polls, sizeof(polls),
				 "polls not timed ([probes] queue_wait_time)");
		fprintf(f,
			"| %s | %scompletion waits: %.0f, mean %.2f µs; buffer-full head re-reads: %.0f (%.2f per 1000 commands), %s; outside any invalidation: %.0f commands | | | | | |\n",
			ks[i].label, any ? "" : "(no invalidation) ", waits,
			waits ? wait_ns / waits / 1000 : 0, stalls,
			cmds ? 1000 * stalls / cmds : 0, polls,
			fanout_sum(&ks[i], "unattributed_total"));
	}
}

/* The selfcheck.json of a cell, if it has one; NULL too when unreadable. */
static json_object *selfcheck_of(const char *run_dir, const char *cell,
				 char *err, size_t err_len)
{
	char *p = xasprintf("%s/%s/selfcheck.json", run_dir, cell);
	json_object *sc = NULL;

	if (path_exists(p))
		sc = json_doc_load(p, "self-check", NULL, 0, "selfcheck-v1",
				   err, err_len);
	free(p);
	return sc;
}

/* -1 with err naming a cell's selfcheck.json that is there but unreadable */
static int selfchecks_check(const struct run *r, const char *run_dir, char *err,
			    size_t err_len)
{
	int ret = 0;

	for (size_t i = 0; i < r->ncells && !ret; i++) {
		char *p = xasprintf("%s/%s/selfcheck.json", run_dir,
				    r->cells[i].id);

		if (path_exists(p)) {
			json_object *sc = selfcheck_of(run_dir, r->cells[i].id,
						       err, err_len);

			ret = sc ? 0 : -1;
			json_object_put(sc);
		}
		free(p);
	}
	return ret;
}

/* Each kernel's selfcheck.json, if the run traced QEMU (qemu_trace). */
static void selfcheck_table(FILE *f, const char *run_dir, struct ksum *ks,
			    size_t nk)
{
	bool head = false;

	for (size_t i = 0; i < nk; i++) {
		char err[ERRLEN];
		json_object *sc = selfcheck_of(run_dir, ks[i].label, err,
					       sizeof(err)),
			    *w;

		if (!sc)
			continue;
		if (!head) {
			fprintf(f,
				"\n## Probe self-check against QEMU\n\n"
				"Per window, the commands the probe counted against those QEMU's AMD IOMMU executed (its own amdvi_* trace), between the same completion waits. They must be equal, opcode by opcode.\n\n"
				"| kernel | window | completion waits | probe | QEMU | |\n|---|---:|---|---:|---:|---|\n");
			head = true;
		}
		w = json_path(sc, "windows");
		for (size_t j = 0; w && j < json_object_array_length(w); j++) {
			json_object *x = json_object_array_get_idx(w, j);
			bool exact =
				json_object_get_boolean(json_path(x, "exact"));

			fprintf(f,
				"| %s | %s | %s–%s | %" PRIu64 " | %" PRIu64
				" | %s |\n",
				ks[i].label,
				json_path_str(x, "repetition", "?"),
				json_path_str(x, "after", "?"),
				json_path_str(x, "through", "?"),
				sum_counts(json_path(x, "probe")),
				sum_counts(json_path(x, "qemu")),
				exact ? "exact" : "**DIFFERS**");
		}
		if (!json_object_get_boolean(json_path(sc, "exact")))
			fprintf(f, "| %s | | | | | **%s** |\n", ks[i].label,
				json_path_str(sc, "error", "not exact"));
		json_object_put(sc);
	}
}

/* A workload's own metrics (samples[].metrics), one row per name. */
static void extra_metrics_table(FILE *f, struct ksum *ks, size_t nk)
{
	struct strv names = { 0 };

	for (size_t i = 0; i < nk; i++) {
		json_object *samples = json_path(ks[i].res, "samples");

		for (size_t w = 0;
		     samples && w < json_object_array_length(samples); w++) {
			json_object *m =
				json_path(json_object_array_get_idx(samples, w),
					  "metrics");

			if (!m)
				continue;
			json_object_object_foreach(m, name, v)
			{
				(void)v;
				strv_add_new(&names, name);
			}
		}
	}
	table_head(f, "metric: median (min–max)", ks, nk);
	for (size_t k = 0; k < names.n; k++) {
		fprintf(f, "| %s |", names.v[k]);
		for (size_t i = 0; i < nk; i++) {
			json_object *samples = json_path(ks[i].res, "samples");
			size_t n = samples ? json_object_array_length(samples) :
					     0,
			       got = 0;
			double *v = xcalloc(n + 1, sizeof(double));

			for (size_t w = 0; w < n; w++) {
				double x = metric_num(
					json_path(json_object_array_get_idx(
							  samples, w),
						  "metrics"),
					names.v[k]);

				if (!isnan(x))
					v[got++] = x;
			}
			range_cell(f, "%.6g", v, got);
			free(v);
		}
		fputc('\n', f);
	}
	strv_free(&names);
}

/* The cell's boots: how many, retried, and the first that failed. */
static void ksum_boots(struct ksum *k, json_object *entry)
{
	json_object *boots = json_path(entry, "boots");

	bool found = false;

	k->boots = 0;
	k->retried = 0;
	k->shared = 0;
	snprintf(k->failed_boot, sizeof(k->failed_boot), "%s/boot-1", k->label);
	for (size_t i = 0; boots && i < json_object_array_length(boots); i++) {
		json_object *b = json_object_array_get_idx(boots, i);

		k->boots++;
		k->retried += json_array_len(json_path(b, "retried"));
		k->shared += json_path(b, "shared") != NULL;
		if (!found &&
		    strcmp(json_path_str(b, "status", ""), "complete")) {
			snprintf(k->failed_boot, sizeof(k->failed_boot),
				 "%s/%s",
				 json_path_str(b, "shared.console", k->label),
				 json_path_str(b, "dir", "boot-1"));
			found = true;
		}
	}
}

/* A kernel (or cell) of run.json kernels[] with its result.json. */
static void ksum_load(struct ksum *k, json_object *entry, const char *run_dir)
{
	char *rp;

	/* cells of a matrix run are "kernel@params" directories */
	k->label = json_path_str(entry, "cell",
				 json_path_str(entry, "label", "?"));
	k->status = json_path_str(entry, "status", "?");
	k->reason = json_path_str(entry, "reason", NULL);
	k->boot_s = jnum(entry, "seconds");
	ksum_boots(k, entry);
	rp = xasprintf("%s/%s/result.json", run_dir, k->label);
	k->res = result_load(rp, k->res_err, sizeof(k->res_err));
	free(rp);
	summarise(k);
}

/* What ran: the fio jobs (a suite's job may name a parameter: one job per
 * cell), or another workload.
 */
static void workload_line(FILE *f, json_object *any, struct ksum *ks, size_t nk,
			  bool fio)
{
	struct strv jobs = { 0 };

	if (!any)
		return;
	if (!fio) {
		fprintf(f,
			"Workload: `%s` on PCI %s, %s windows per cell, the cmdq probe counting every command queued to the IOMMU in each window; its own metrics are under \"Workload metrics\".\n\n",
			json_path_str(any, "workload.type", "?"),
			json_path_str(any, "workload.device.pci", "?"),
			json_path_str(any, "workload.repetitions", "?"));
		return;
	}
	for (size_t i = 0; i < nk; i++) {
		const char *j =
			ks[i].res ?
				json_path_str(ks[i].res, "workload.job", NULL) :
				NULL;

		if (j)
			strv_add_new(&jobs, j);
	}
	fprintf(f, "Workload: fio job%s ", jobs.n > 1 ? "s" : "");
	for (size_t k = 0; k < jobs.n; k++)
		fprintf(f, "%s`%s`", k ? ", " : "", jobs.v[k]);
	fprintf(f,
		"%s, %s windows of %s s on each kernel, the cmdq probe counting every command queued to the IOMMU in each window.\n\n",
		jobs.n > 1 ? " (by cell)" : "",
		json_path_str(any, "workload.repetitions", "?"),
		json_path_str(any, "workload.runtime_s", "?"));
	strv_free(&jobs);
}

/* What a time in this report is: the guest's clock. */
static void clock_line(FILE *f, json_object *any, bool fio)
{
	const char *mode = json_path_str(any, "context.lab.timing.mode", NULL);

	if (!any)
		return;
	if (!json_path(any, "context.lab") ||
	    json_object_is_type(json_path(any, "context.lab"),
				json_type_null)) {
		fprintf(f, "Clock: this host's wall clock (a real host).\n\n");
	} else if (mode && !strcmp(mode, "icount")) {
		fprintf(f,
			"Clock: **instruction clock** (QEMU `-icount %s`): every time below in ns is a count of guest instructions (one guest nanosecond an instruction), the same on any host and under any load.%s\n\n",
			json_path_str(any, "context.lab.timing.icount", "?"),
			fio ? " fio's IOPS and latencies on it also count the idle time QEMU skipped: they are no throughput; compare them on the wall clock." :
			      "");
	} else {
		fprintf(f,
			"Clock: the wall clock of this host under TCG: every time and rate below is this host's (its speed, its load), not hardware's; compare counts and ratios, or run the driver-path suites on the instruction clock (`[suite] timing = icount`).\n\n");
	}
}

/* Title, suite, the run's times and the workload. */
static void header_section(FILE *f, json_object *run, json_object *any,
			   struct ksum *ks, size_t nk, bool fio)
{
	char now[32];

	iso8601_now(now, sizeof(now));
	fprintf(f, "# invlab report: %s\n\n",
		json_path_str(run, "run_id", "?"));
	fprintf(f, "Suite **%s**: %s\n\n", json_path_str(run, "suite", "?"),
		json_path_str(run, "description", ""));
	fprintf(f,
		"Run %s, started %s, finished %s. Report written %s by invlab %s.\n\n",
		json_path_str(run, "status", "?"),
		json_path_str(run, "started", "?"),
		json_path_str(run, "finished", "-"), now,
		json_path_str(any, "context.invlab_version", "?"));
	workload_line(f, any, ks, nk, fio);
	clock_line(f, any, fio);
}

/*
 * The kernels that did not complete and why, each kernel's boot and
 * context, and which context rows differ between the kernels.
 */
static void kernels_section(FILE *f, const char *run_dir, struct ksum *ks,
			    size_t nk)
{
	struct strv differs = { 0 };

	fprintf(f, "## Kernels\n\n");
	for (size_t i = 0; i < nk; i++) {
		if (!strcmp(ks[i].status, "complete") && ks[i].res)
			continue;
		fprintf(f, "- **%s: %s**", ks[i].label, ks[i].status);
		if (ks[i].reason)
			fprintf(f, ": %s", ks[i].reason);
		if (!ks[i].res)
			fprintf(f, "; result: %s", ks[i].res_err);
		fprintf(f, " (console: `%s/%s/console.log`)\n", run_dir,
			ks[i].failed_boot);
	}
	fputc('\n', f);
	table_head(f, "", ks, nk);
	fprintf(f, "| boot |");
	for (size_t i = 0; i < nk; i++)
		fprintf(f, " %s in %.0f s |", ks[i].status, ks[i].boot_s);
	fputc('\n', f);
	fprintf(f, "| boots |");
	for (size_t i = 0; i < nk; i++) {
		fprintf(f, " %zu", ks[i].boots);
		if (ks[i].retried)
			fprintf(f,
				" (%zu retried: hung or panicked before the workload)",
				ks[i].retried);
		if (ks[i].shared)
			fprintf(f,
				" (%zu shared with the cells that differ only in module.* knobs: one invlab run each in turn)",
				ks[i].shared);
		fprintf(f, " |");
	}
	fputc('\n', f);
	context_rows(f, ks, nk, &differs);
	fprintf(f, "\nDiffering between the kernels: ");
	for (size_t i = 0; i < differs.n; i++)
		fprintf(f, "%s%s", i ? ", " : "", differs.v[i]);
	fprintf(f, "%s.\n\n", differs.n ? "" : "nothing recorded");
	strv_free(&differs);
}

/* What the workload measured: fio's reads, or the workload's own metrics. */
static void measures_section(FILE *f, struct ksum *ks, size_t nk, bool fio)
{
	if (fio) {
		fprintf(f, "## IOMMU commands per read\n\n");
		fprintf(f,
			"Commands the probe counted in a window divided by the reads fio completed in it (of the cell's block size, in the Workload table); median over the windows.\n\n");
		commands_table(f, ks, nk);
		fprintf(f, "\n## Workload\n\n");
		workload_table(f, ks, nk);
	} else {
		fprintf(f, "## Workload metrics\n\n");
		fprintf(f,
			"What the workload measured in each window (samples[].metrics): median (min–max) over the windows.\n\n");
		extra_metrics_table(f, ks, nk);
	}
}

/* Where the commands went, and every fio window. */
static void commands_section(FILE *f, struct ksum *ks, size_t nk, bool fio)
{
	fprintf(f, "\n## Where the commands went\n\n");
	fprintf(f,
		"Commands by target (domain id for INVALIDATE_IOMMU_PAGES, device id for device commands), all windows; targets under 1%% of their opcode left out.\n\n");
	targets_table(f, ks, nk);
	if (fio) {
		fprintf(f, "\n## Every window\n\n");
		windows_table(f, ks, nk);
	}
}

/* The noise at both levels (report/noise_table.h), from the run's table. */
static void boots_noise(FILE *f, const char *run_dir)
{
	char err[ERRLEN];
	struct policy p;
	struct run r;

	if (policy_load(NULL, &p, err, sizeof(err))) {
		fprintf(f, "\n## Boots and noise\n\nNot shown: %s\n", err);
		return;
	}
	if (run_load(run_dir, &r, err, sizeof(err))) {
		fprintf(f, "\n## Boots and noise\n\nNot shown: %s\n", err);
	} else {
		noise_section(f, &r, &p);
		run_free(&r);
	}
	policy_free(&p);
}

int report_write(const char *run_dir, const char *path, char *err,
		 size_t err_len)
{
	char *run_path = xasprintf("%s/run.json", run_dir);
	json_object *run = NULL, *kernels, *any = NULL;
	struct ksum *ks = NULL;
	size_t nk = 0, len;
	char *buf = NULL, *html, *plots;
	struct run checked;
	bool fio;
	FILE *f;
	int ret = -1, bad;

	/* every file the report reads, checked before a line is written */
	if (run_load(run_dir, &checked, err, err_len))
		goto out;
	bad = selfchecks_check(&checked, run_dir, err, err_len);
	run_free(&checked);
	if (bad)
		goto out;
	/* and both reports and their plots can be written: none is, else */
	html = xasprintf("%s/report.html", run_dir);
	plots = xasprintf("%s/plots", run_dir);
	bad = output_path_check(path, err, err_len) ||
	      output_path_check(html, err, err_len) ||
	      output_dir_check(plots, err, err_len);
	free(html);
	free(plots);
	if (bad)
		goto out;
	run = json_doc_load(run_path, "run", "invlab.run", 1, "run-v1", err,
			    err_len);
	if (!run)
		goto out;
	kernels = json_path(run, "kernels");
	nk = json_array_len(kernels);
	ks = xcalloc(nk, sizeof(*ks));
	for (size_t i = 0; i < nk; i++) {
		ksum_load(&ks[i], json_object_array_get_idx(kernels, i),
			  run_dir);
		if (ks[i].res && !any)
			any = ks[i].res;
	}
	fio = !any ||
	      !strcmp(json_path_str(any, "workload.type", "fio"), "fio");

	f = open_memstream(&buf, &len);
	header_section(f, run, any, ks, nk, fio);
	kernels_section(f, run_dir, ks, nk);
	measures_section(f, ks, nk, fio);
	commands_section(f, ks, nk, fio);
	fanout_table(f, ks, nk);
	overhead_table(f, ks, nk);
	cpu_overhead_table(f, ks, nk);
	workload_overhead_table(f, ks, nk);
	selfcheck_table(f, run_dir, ks, nk);
	boots_noise(f, run_dir);
	fclose(f);

	ret = atomic_write(path, buf, len);
	if (ret)
		seterr(err, err_len, "cannot write %s: %s", path,
		       strerror(-ret));
out:
	for (size_t i = 0; i < nk; i++)
		ksum_free(&ks[i]);
	free(ks);
	free(buf);
	json_object_put(run);
	free(run_path);
	return ret;
}

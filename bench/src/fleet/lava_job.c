// SPDX-License-Identifier: GPL-2.0
#include "lava_job.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab/plan.h"
#include "lib/names.h"
#include "lib/quote.h"

/* Printable ASCII, not empty: what a URL, a prompt or a type may hold. */
static int text_check(const char *opt, const char *v, char *err, size_t len)
{
	if (!v || !*v)
		return seterr(err, len, "%s: empty", opt);
	for (const char *c = v; *c; c++)
		if (*c < 0x20 || *c > 0x7e)
			return seterr(
				err, len,
				"%s: byte 0x%02x: only printable ASCII is written into a job",
				opt, (unsigned char)*c);
	return 0;
}

/*
 * LAVA writes a job's secrets to a file as KEY=VALUE lines, unquoted, and
 * the test shell reads them as sh: a URL there must mean the same to sh.
 */
static int db_check(const char *url, char *err, size_t len)
{
	if (text_check("--db", url, err, len))
		return -1;
	for (const char *c = url; *c; c++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789:/@._%?=+-,~",
			    *c))
			return seterr(
				err, len,
				"--db %s: '%c' would not survive LAVA's secrets file (KEY=VALUE lines read by sh): write it as %%%02X, or set the variable in the device's environment and give --db-env only",
				url, *c, (unsigned char)*c);
	return 0;
}

static int ident_check(const char *opt, const char *v, char *err, size_t len)
{
	if (!v || !((*v >= 'A' && *v <= 'Z') || (*v >= 'a' && *v <= 'z') ||
		    *v == '_'))
		return seterr(err, len,
			      "%s '%s': a shell variable name (A-Z a-z 0-9 _)",
			      opt, v ? v : "");
	for (const char *c = v; *c; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		      (*c >= '0' && *c <= '9') || *c == '_'))
			return seterr(
				err, len,
				"%s '%s': a shell variable name (A-Z a-z 0-9 _)",
				opt, v);
	return 0;
}

/* KEY of a --context KEY=VALUE (malloc'd), or NULL without an '=' */
static char *context_key(const char *kv)
{
	const char *eq = strchr(kv, '=');

	return eq ? xasprintf("%.*s", (int)(eq - kv), kv) : NULL;
}

/* Every option of j, with its defaults filled in (into d). */
static int opts_check(const struct lava_job *j, const struct suite *s,
		      struct lava_job *d, char *err, size_t len)
{
	const char *const urls[][2] = {
		{ "--kernel-url", j->kernel_url },
		{ "--initrd-url", j->initrd_url },
		{ "--modules-url", j->modules_url },
		{ "--rootfs", j->rootfs_url },
		{ "--upload", j->upload },
	};
	char list[256] = "";
	bool known = false;

	*d = *j;
	if (text_check("--device-type", j->device_type, err, len))
		return -1;
	for (size_t i = 0; i < s->kernels.n; i++) {
		known |= !strcmp(s->kernels.v[i], j->kernel);
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
			 "%s%s", i ? " " : "", s->kernels.v[i]);
	}
	if (!known)
		return seterr(err, len,
			      "--kernel %s: not one of suite %s's kernels (%s)",
			      j->kernel, s->name, list);
	if (!j->kernel_url)
		return seterr(err, len, "--kernel-url is required");
	for (size_t i = 0; i < ARRAY_SIZE(urls); i++)
		if (urls[i][1] && text_check(urls[i][0], urls[i][1], err, len))
			return -1;
	if (!d->boot_method)
		d->boot_method = strcmp(j->device_type, "qemu") ? "ipxe" :
								  "qemu";
	if (strcmp(d->boot_method, "ipxe") && strcmp(d->boot_method, "grub") &&
	    strcmp(d->boot_method, "qemu"))
		return seterr(err, len,
			      "--boot-method %s: expected ipxe, grub or qemu",
			      d->boot_method);
	/* a QEMU guest may take its root from elsewhere (the lab's 9p root) */
	if (!j->rootfs_url && strcmp(d->boot_method, "qemu"))
		return seterr(
			err, len,
			"--rootfs is required with --boot-method %s (an nfsrootfs)",
			d->boot_method);
	if (j->qemu_options.n && strcmp(d->boot_method, "qemu"))
		return seterr(err, len,
			      "--qemu-option: only with --boot-method qemu");
	for (size_t i = 0; i < j->qemu_options.n; i++)
		if (text_check("--qemu-option", j->qemu_options.v[i], err, len))
			return -1;
	for (size_t i = 0; i < j->context.n; i++) {
		const char *kv = j->context.v[i];
		char *key = context_key(kv);
		int bad = !key ? seterr(err, len,
					"--context %s: expected KEY=VALUE",
					kv) :
				 ident_check("--context: key", key, err, len) ||
					  text_check("--context", kv, err, len);

		if (!bad &&
		    (!strcmp(key, "extra_options") || !strcmp(key, "arch") ||
		     !strcmp(key, "extra_kernel_args")))
			bad = seterr(
				err, len,
				"--context %s: invlab writes %s itself (--qemu-option, --kernel-args)",
				kv, key);
		free(key);
		if (bad)
			return -1;
	}
	/* qemu's go inside "..." of the sh command line LAVA builds */
	if (j->kernel_args &&
	    text_check("--kernel-args", j->kernel_args, err, len))
		return -1;
	if (j->kernel_args && strpbrk(j->kernel_args, "\"\\$`"))
		return seterr(
			err, len,
			"--kernel-args %s: no \", \\, $ or ` (LAVA gives them to sh inside \"...\")",
			j->kernel_args);
	if (!d->boot_commands)
		d->boot_commands = "nfs";
	if (!d->prompt)
		d->prompt = "root@";
	if (!d->invlab)
		d->invlab = "/opt/invlab/build/invlab";
	if (!d->results)
		d->results = "/var/lib/invlab/runs";
	if (!d->db_env)
		d->db_env = "INVLAB_DB";
	if (!d->metric)
		d->metric = s->workload->headline;
	if (text_check("--boot-commands", d->boot_commands, err, len) ||
	    text_check("--prompt", d->prompt, err, len) ||
	    text_check("--invlab", d->invlab, err, len) ||
	    text_check("--results", d->results, err, len) ||
	    ident_check("--db-env", d->db_env, err, len) ||
	    (j->db && db_check(j->db, err, len)) ||
	    (j->host && name_check("--host: host name", j->host, err, len)) ||
	    text_check("--metric", d->metric, err, len))
		return -1;
	return 0;
}

/* ---- YAML, by hand: every string scalar through yaml_quote ---------- */

static void ykey(FILE *f, int indent, const char *key, const char *val)
{
	char *q = yaml_quote(val);

	fprintf(f, "%*s%s: %s\n", indent, "", key, q);
	free(q);
}

static void yitem(FILE *f, int indent, const char *val)
{
	char *q = yaml_quote(val);

	fprintf(f, "%*s- %s\n", indent, "", q);
	free(q);
}

/* A shell step, formatted (its words quoted by the caller). */
static void ystep(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void ystep(FILE *f, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	yitem(f, 10, s);
	free(s);
}

static void ytimeout(FILE *f, int indent, long minutes)
{
	fprintf(f, "%*stimeout:\n%*sminutes: %ld\n", indent, "", indent + 2, "",
		minutes);
}

static void yurl(FILE *f, int indent, const char *key, const char *url)
{
	if (!url)
		return;
	fprintf(f, "%*s%s:\n", indent, "", key);
	ykey(f, indent + 2, "url", url);
}

static void deploy(FILE *f, const struct lava_job *d, long minutes)
{
	fprintf(f, "- deploy:\n");
	ytimeout(f, 4, minutes);
	if (!strcmp(d->boot_method, "qemu")) {
		ykey(f, 4, "to", "tmpfs");
		fprintf(f, "    images:\n");
		char *arg = d->kernel_args ?
				    xasprintf("-kernel {kernel} -append \"%s\"",
					      d->kernel_args) :
				    xstrdup("-kernel {kernel}");

		yurl(f, 6, "kernel", d->kernel_url);
		ykey(f, 8, "image_arg", arg);
		free(arg);
		if (d->initrd_url) {
			yurl(f, 6, "initrd", d->initrd_url);
			ykey(f, 8, "image_arg", "-initrd {initrd}");
		}
		if (d->rootfs_url) {
			yurl(f, 6, "rootfs", d->rootfs_url);
			ykey(f, 8, "image_arg",
			     "-drive format=raw,if=virtio,file={rootfs}");
		}
	} else {
		ykey(f, 4, "to", "tftp");
		yurl(f, 4, "kernel", d->kernel_url);
		yurl(f, 4, "ramdisk", d->initrd_url);
		yurl(f, 4, "modules", d->modules_url);
		yurl(f, 4, "nfsrootfs", d->rootfs_url);
	}
	ykey(f, 4, "os", "debian");
}

static void boot(FILE *f, const struct lava_job *d, long minutes)
{
	fprintf(f, "- boot:\n");
	ytimeout(f, 4, minutes);
	ykey(f, 4, "method", d->boot_method);
	if (!strcmp(d->boot_method, "qemu"))
		ykey(f, 4, "media", "tmpfs");
	else
		ykey(f, 4, "commands", d->boot_commands);
	fprintf(f, "    prompts:\n");
	yitem(f, 4, d->prompt);
}

/*
 * The test shell, step by step (LAVA writes each to one script, in order:
 * variables and functions carry over). Every name from the suite or the
 * command line is an sh word through sh_quote.
 */
static void test_steps(FILE *f, const struct lava_job *d, const struct suite *s,
		       const struct lab_cell *cells, size_t n,
		       const char *units)
{
	char *qinv = sh_quote(d->invlab),
	     *qsuite = sh_quote(d->suite ? d->suite : s->name),
	     *qname = sh_quote(s->name), *qkernel = sh_quote(d->kernel),
	     *qmetric = sh_quote(d->metric), *qunits = sh_quote(units),
	     *qres = sh_quote(d->results),
	     *qhost =
		     d->host ?
			     sh_quote(d->host) :
			     xstrdup("\"${LAVA_DEVICE_HOSTNAME:-$(hostname -s)}\"");
	/* a run id is a name: the suite's name in it when it is one and fits */
	const char *tag =
		name_ok(s->name) && strlen(s->name) + 16 <= NAME_MAX_LEN ? "-" :
									   "";
	char *qdev = sh_quote(d->device ? d->device : ""),
	     *qrebind = sh_quote(d->allow_rebind ? d->allow_rebind : ""),
	     *qknobs = sh_quote(d->allow_knobs ? d->allow_knobs : "");

	ystep(f,
	      "INVLAB=%s SUITE=%s KERNEL=%s METRIC=%s UNITS=%s HOST=%s DEVICE=%s ALLOW_REBIND=%s ALLOW_KNOB=%s",
	      qinv, qsuite, qkernel, qmetric, qunits, qhost, qdev, qrebind,
	      qknobs);
	ystep(f,
	      "RUN_ID=$(date -u +%%Y%%m%%d-%%H%%M%%S)%s%s RESULTS=%s; RUN_DIR=$RESULTS/$RUN_ID; mkdir -p \"$RESULTS\"",
	      tag, *tag ? qname : "", qres);
	/*
	 * Every cell on this host, into a run directory (run.json, CELL/,
	 * report) of invlab's own making, behind invlab doctor's checks
	 */
	ystep(f,
	      "RC=0; \"$INVLAB\" lab --host --suite \"$SUITE\" --kernel \"$KERNEL\" --run-id \"$RUN_ID\" --results \"$RESULTS\" ${DEVICE:+--device \"$DEVICE\"} ${ALLOW_REBIND:+--allow-rebind \"$ALLOW_REBIND\"} ${ALLOW_KNOB:+--allow-knob \"$ALLOW_KNOB\"} || RC=$?; echo \"invlab: run $RUN_DIR: exit $RC\"");
	/* one cell: a test case, its headline metric's median the measurement */
	ystep(f,
	      "invlab_case() {\n"
	      "\tv=$(\"$INVLAB\" show --metric \"$METRIC\" \"$RUN_DIR/$1\" 2>/dev/null | cut -d' ' -f2)\n"
	      "\tif [ -n \"$v\" ] && [ \"$v\" != - ]; then\n"
	      "\t\tlava-test-case \"$1\" --result pass --measurement \"$v\" --units \"$UNITS\"\n"
	      "\telse\n"
	      "\t\tlava-test-case \"$1\" --result fail\n"
	      "\tfi\n"
	      "}");
	for (size_t i = 0; i < n; i++) {
		char *qid = sh_quote(cells[i].id);

		ystep(f, "invlab_case %s", qid);
		free(qid);
	}
	/*
	 * LAVA writes the job's secrets at its overlay's root (the test runs
	 * in OVERLAY/N/tests/N_NAME) as KEY=VALUE lines, for the test to read
	 */
	if (d->db)
		ystep(f,
		      "for f in ../../../secrets /lava-*/secrets; do if [ -f \"$f\" ]; then set -a; . \"$f\"; set +a; break; fi; done");
	ystep(f,
	      "if [ -z \"${%s:-}\" ]; then echo 'invlab: %s is not set: the run is not appended to the history'; lava-test-case invlab-history --result fail; elif [ ! -f \"$RUN_DIR/run.json\" ]; then echo \"invlab: no run in $RUN_DIR to append\"; lava-test-case invlab-history --result fail; elif \"$INVLAB\" nightly append --db \"$%s\" --host \"$HOST\" \"$RUN_DIR\"; then lava-test-case invlab-history --result pass; else lava-test-case invlab-history --result fail; fi",
	      d->db_env, d->db_env, d->db_env);
	if (d->upload) {
		char *qurl = sh_quote(d->upload);

		ystep(f,
		      "if tar -C \"$RESULTS\" -czf \"$RUN_DIR.tar.gz\" \"$RUN_ID\" && curl -fsS -T \"$RUN_DIR.tar.gz\" %s; then lava-test-case invlab-upload --result pass; else lava-test-case invlab-upload --result fail; fi",
		      qurl);
		free(qurl);
	}
	free(qinv);
	free(qsuite);
	free(qkernel);
	free(qmetric);
	free(qunits);
	free(qres);
	free(qhost);
	free(qdev);
	free(qrebind);
	free(qknobs);
	free(qname);
}

static void test(FILE *f, const struct lava_job *d, const struct suite *s,
		 const struct lab_cell *cells, size_t n, const char *units,
		 long minutes)
{
	char *name = xasprintf("invlab-%s", s->name);

	/* LAVA's definition names: [-_a-zA-Z0-9.]; a suite's may hold more */
	for (char *c = name; *c; c++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789-_.",
			    *c))
			*c = '_';
	fprintf(f, "- test:\n");
	ytimeout(f, 4, minutes);
	fprintf(f, "    definitions:\n");
	ykey(f, 4, "- from", "inline");
	ykey(f, 6, "name", name);
	ykey(f, 6, "path", "inline/invlab.yaml");
	fprintf(f, "      repository:\n        metadata:\n");
	ykey(f, 10, "format", "Lava-Test Test Definition 1.0");
	ykey(f, 10, "name", name);
	ykey(f, 10, "description",
	     s->description ? s->description : "an invlab suite");
	fprintf(f, "        run:\n          steps:\n");
	test_steps(f, d, s, cells, n, units);
	free(name);
}

char *lava_job_yaml(const struct lava_job *j, const struct suite *s,
		    const struct policy *p, size_t *ncells, char *err,
		    size_t err_len)
{
	struct lava_job d;
	struct strv kernel = { 0 };
	struct lab_cell *cells;
	const struct metric_rule *rule;
	char *units, *buf = NULL, *name;
	size_t n, len = 0;
	long test_min, deploy_min = 30, boot_min = 15;
	FILE *f;

	if (opts_check(j, s, &d, err, err_len))
		return NULL;
	rule = policy_rule(p, d.metric);
	units = xstrdup(rule && rule->unit ? rule->unit : "");
	/* lava-test-case's signal splits on spaces */
	for (char *c = units; *c; c++)
		if (*c == ' ')
			*c = '_';
	strv_add(&kernel, d.kernel);
	cells = lab_plan_cells(s, &kernel, &n);
	test_min = d.timeout_min ? d.timeout_min :
				   ((long)n * s->boot_timeout_s + 59) / 60 + 5;
	name = xasprintf("invlab %s on %s", s->name, d.kernel);

	f = open_memstream(&buf, &len);
	fprintf(f, "# invlab lava-job: suite %s, kernel %s, %zu cell(s)\n",
		s->name, d.kernel, n);
	ykey(f, 0, "job_name", name);
	ykey(f, 0, "device_type", d.device_type);
	ykey(f, 0, "visibility", "public");
	ykey(f, 0, "priority", "medium");
	fprintf(f, "timeouts:\n  job:\n    minutes: %ld\n",
		deploy_min + boot_min + test_min + 5);
	fprintf(f, "  connection:\n    minutes: 2\n");
	fprintf(f, "metadata:\n");
	ykey(f, 2, "invlab.suite", s->name);
	ykey(f, 2, "invlab.kernel", d.kernel);
	ykey(f, 2, "invlab.metric", d.metric);
	if (d.db) {
		fprintf(f, "secrets:\n");
		ykey(f, 2, d.db_env, d.db);
	}
	if (!strcmp(d.boot_method, "qemu") || d.kernel_args || d.context.n)
		fprintf(f, "context:\n");
	for (size_t i = 0; i < d.context.n; i++) {
		char *key = context_key(d.context.v[i]);

		ykey(f, 2, key, d.context.v[i] + strlen(key) + 1);
		free(key);
	}
	if (strcmp(d.boot_method, "qemu") && d.kernel_args)
		ykey(f, 2, "extra_kernel_args", d.kernel_args);
	if (!strcmp(d.boot_method, "qemu")) {
		ykey(f, 2, "arch", "amd64");
		if (d.qemu_options.n) {
			fprintf(f, "  extra_options:\n");
			for (size_t i = 0; i < d.qemu_options.n; i++)
				yitem(f, 2, d.qemu_options.v[i]);
		}
	}
	fprintf(f, "actions:\n");
	deploy(f, &d, deploy_min);
	boot(f, &d, boot_min);
	test(f, &d, s, cells, n, units, test_min);
	fclose(f);

	for (size_t i = 0; i < n; i++) {
		free(cells[i].kernel);
		free(cells[i].params);
		free(cells[i].id);
	}
	free(cells);
	strv_free(&kernel);
	free(units);
	free(name);
	*ncells = n;
	return buf;
}

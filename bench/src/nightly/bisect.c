// SPDX-License-Identifier: GPL-2.0
/*
 * invlab bisect: find the commit of a kernel git tree (KSRC) that changed
 * a metric. The good and bad commits are measured first, as references;
 * if the policy does not call their difference a change there is nothing
 * to bisect. Then `git bisect run` calls `invlab bisect-step` at each
 * commit, which builds the patched kernel from that commit and runs the
 * suite's cell (or a --step-cmd), and judges the metric against the good
 * reference with the same statistics as invlab compare: bad when it shows
 * the reference change, good when the same, skip when it cannot tell or
 * the kernel did not build. The user's tree is never touched: bisection
 * happens in a shared clone under the output directory.
 */
#include "bisect.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analysis/calib.h"
#include "lib/json_util.h"
#include "lib/result.h"

volatile sig_atomic_t bisect_interrupted;

/* The calibration the run's host has for metric in cell. */
static void side_prior(const struct run *r, const struct cell *c,
		       const char *metric, struct judge_ctx *prior)
{
	const char *src, *host = run_host(r, &src);
	char *path = calib_path(NULL, host ? host : "unknown"), err[ERRLEN];
	struct calib cal;

	prior->boot_sd = NAN;
	if (!calib_load(path, &cal, err, sizeof(err)) && cal.doc)
		calib_prior(&cal, r->suite, c->id, metric, prior);
	/* a time on the instruction clock: the policy's icount_min_effect */
	prior->icount = cell_on_icount(c);
	calib_free(&cal);
	free(path);
}

int bisect_samples(const char *run_dir, const char *cell, const char *metric,
		   struct bisect_side *s, char *err, size_t err_len)
{
	const struct metric *m;
	const struct cell *c;
	struct run r;

	memset(s, 0, sizeof(*s));
	if (run_load(run_dir, &r, err, err_len))
		return -1;
	c = cell ? run_cell(&r, cell) : r.ncells ? &r.cells[0] : NULL;
	if (!c || !c->result) {
		seterr(err, err_len, "%s: %s%s%s", run_dir,
		       c ? "no result in cell " : "no cell ", cell ? cell : "",
		       c ? c->result_err : "");
		run_free(&r);
		return -1;
	}
	m = cell_metric(c, metric);
	if (!m) {
		seterr(err, err_len, "%s: cell %s has no metric '%s'", run_dir,
		       c->id, metric);
		run_free(&r);
		return -1;
	}
	s->v = xcalloc(m->n + 1, sizeof(double));
	s->boot = xcalloc(m->n + 1, sizeof(int));
	s->n = metric_values(m, s->v, s->boot);
	side_prior(&r, c, metric, &s->prior);
	run_free(&r);
	return 0;
}

void bisect_side_free(struct bisect_side *s)
{
	free(s->v);
	free(s->boot);
	memset(s, 0, sizeof(*s));
}

enum bisect_verdict bisect_judge(const struct policy *p, const char *metric,
				 enum verdict change,
				 const struct bisect_side *good,
				 const struct bisect_side *step,
				 struct judgement *j)
{
	struct samples g = { good->v, good->boot, good->n, NULL };
	struct samples t = { step->v, step->boot, step->n, NULL };
	struct judge_ctx ctx = good->prior;

	/* both timed on the instruction clock, or the wall's minimum effect */
	ctx.icount = good->prior.icount && step->prior.icount;
	judge_samples(p, metric, &g, &t, &ctx, j);
	if (j->verdict == change)
		return BISECT_BAD;
	return j->verdict == V_SAME ? BISECT_GOOD : BISECT_SKIP;
}

static const char *jstr(json_object *o, const char *key)
{
	return json_path_str(o, key, NULL);
}

/* Run argv and return its stdout's first line. */
static char *output_line(char *const argv[])
{
	int fds[2], status;
	char buf[4096];
	ssize_t n, len = 0;
	pid_t pid;

	if (pipe(fds))
		return NULL;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	while ((n = read(fds[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fds[0]);
	buf[len] = '\0';
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return NULL;
	buf[strcspn(buf, "\n")] = '\0';
	return xstrdup(buf);
}

static char *git_line(const char *dir, const char *a, const char *b,
		      const char *c)
{
	return output_line((char *const[]){ "git", "-C", (char *)dir, (char *)a,
					    (char *)b, (char *)c, NULL });
}

/* The commit a revision names in dir, or NULL. */
static char *commit_of(const char *dir, const char *rev)
{
	char *spec = xasprintf("%s^{commit}", rev);
	char *sha = git_line(dir, "rev-parse", "--verify", spec);

	free(spec);
	return sha;
}

/*
 * Build and run one step into run_dir: the --step-cmd, or the lab kernel
 * built from src (KSRC) booted with the suite. Its exit status is only
 * reported: whether the step measured anything is read from run_dir.
 */
static int run_step(json_object *st, const char *run_dir, const char *sha)
{
	const char *src = jstr(st, "src"), *cmd = jstr(st, "step_cmd");
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	pid_t pid;
	int status;

	if (n < 0)
		return -1;
	self[n] = '\0';
	pid = fork();
	if (pid == 0) {
		setenv("INVLAB_BISECT_SRC", src, 1);
		setenv("INVLAB_BISECT_RUN", run_dir, 1);
		setenv("INVLAB_BISECT_COMMIT", sha, 1);
		if (chdir(src))
			_exit(126);
		if (cmd) {
			execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
			_exit(127);
		}
		/* kernel/build.sh builds KSRC with the lab's patches */
		setenv("KSRC", src, 1);
		char *results = xstrdup(run_dir),
		     *slash = strrchr(results, '/');

		*slash = '\0';
		execl(self, self, "lab", "--suite", jstr(st, "suite"),
		      "--kernel", jstr(st, "kernel"), "--results", results,
		      "--run-id", slash + 1, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* ---- one step: invlab bisect-step ----------------------------------- */

static const char *bisect_verdict_name(enum bisect_verdict v)
{
	return v == BISECT_BAD ? "bad" : v == BISECT_GOOD ? "good" : "skip";
}

/* The change the references showed (the state's "change"). */
static enum verdict reference_change(json_object *st)
{
	enum verdict change = V_REGRESSED;

	for (int k = V_SAME; k <= V_MISSING; k++)
		if (!strcmp(verdict_name(k), jstr(st, "change")))
			change = k;
	return change;
}

/* The step's run judged against the good reference, into its record. */
static enum bisect_verdict judge_step(json_object *st, const struct policy *p,
				      const char *run_dir, const char *sha,
				      json_object *rec)
{
	struct bisect_side good = { 0 }, step = { 0 };
	struct judgement j;
	enum bisect_verdict v = BISECT_SKIP;
	char err[ERRLEN];

	if (bisect_samples(jstr(st, "good_run"), jstr(st, "cell"),
			   jstr(st, "metric"), &good, err, sizeof(err)) ||
	    bisect_samples(run_dir, jstr(st, "cell"), jstr(st, "metric"), &step,
			   err, sizeof(err))) {
		/* no build, no boot, no number: git's convention is skip */
		say("bisect step %.12s: skip: %s", sha, err);
		json_object_object_add(rec, "verdict",
				       json_object_new_string("skip"));
		json_object_object_add(rec, "why", json_object_new_string(err));
	} else {
		v = bisect_judge(p, jstr(st, "metric"), reference_change(st),
				 &good, &step, &j);
		json_object_object_add(
			rec, "verdict",
			json_object_new_string(bisect_verdict_name(v)));
		json_object_object_add(rec, "why",
				       json_object_new_string(j.why));
		json_object_object_add(rec, "median", json_num(j.med_b));
		json_object_object_add(rec, "good_median", json_num(j.med_a));
		json_object_object_add(rec, "ratio", json_num(j.ratio));
		json_object_object_add(rec, "p", json_num(j.p));
		json_object_object_add(rec, "n",
				       json_object_new_int64((int64_t)step.n));
		json_object_object_add(rec, "boots",
				       json_object_new_int64((int64_t)j.kb));
		say("bisect step %.12s: %s (median %g vs good %g: %s)", sha,
		    bisect_verdict_name(v), j.med_b, j.med_a, j.why);
	}
	bisect_side_free(&good);
	bisect_side_free(&step);
	return v;
}

int bisect_step(const char *state)
{
	json_object *st, *steps, *rec;
	char err[ERRLEN], *sha, *subject, *run_dir;
	struct policy p;
	int v, status;

	st = json_file_load(state, "bisect state", err, sizeof(err));
	if (!st || !jstr(st, "src") || !jstr(st, "change")) {
		if (st)
			errorf("%s is not an invlab bisect state (no src or change)",
			       state);
		else
			errorf("%s", err);
		json_object_put(st);
		return 128; /* >= 128 aborts git bisect run */
	}
	if (policy_load(jstr(st, "policy"), &p, err, sizeof(err))) {
		errorf("%s", err);
		json_object_put(st);
		return 128;
	}
	sha = git_line(jstr(st, "src"), "rev-parse", "HEAD", NULL);
	subject = git_line(jstr(st, "src"), "log", "-1", "--format=%s");
	if (!sha) {
		errorf("%s: no HEAD", jstr(st, "src"));
		return 128;
	}
	steps = json_object_object_get(st, "steps");
	say("bisect step %zu: %.12s %s", json_object_array_length(steps) + 1,
	    sha, subject ? subject : "");
	run_dir = xasprintf("%s/runs/step-%.12s", jstr(st, "out"), sha);
	status = run_step(st, run_dir, sha);
	rec = json_object_new_object();
	json_object_object_add(rec, "commit", json_object_new_string(sha));
	json_object_object_add(rec, "subject",
			       json_object_new_string(subject ? subject : ""));
	json_object_object_add(rec, "run", json_object_new_string(run_dir));
	json_object_object_add(rec, "step_status", json_object_new_int(status));
	v = judge_step(st, &p, run_dir, sha, rec);
	json_object_array_add(steps, rec);
	if (result_write(st, state)) {
		errorf("cannot write %s", state);
		v = 128;
	}
	free(run_dir);
	free(sha);
	free(subject);
	policy_free(&p);
	json_object_put(st);
	return v;
}

/* ---- the bisection: invlab bisect ------------------------------------ */

/* What invlab bisect holds while it runs. */
struct bisection {
	const struct bisect_opts *o;
	char *good, *bad; /* the references' commits */
	struct policy p;
	bool have_policy;
	json_object *st; /* the state, NULL while git bisect run has it */
	char *state; /* its file, OUT/bisect.json */
};

/* The good and bad revisions as commits of o->ksrc, a git tree. */
static int resolve_references(struct bisection *b)
{
	const struct bisect_opts *o = b->o;
	char *gitdir = git_line(o->ksrc, "rev-parse", "--git-dir", NULL);

	if (!gitdir) {
		errorf("--ksrc %s is not a git tree (git rev-parse failed)",
		       o->ksrc);
		return -1;
	}
	free(gitdir);
	b->good = commit_of(o->ksrc, o->good);
	b->bad = commit_of(o->ksrc, o->bad);
	if (!b->good || !b->bad) {
		errorf("--%s %s is not a commit of %s",
		       b->good ? "bad" : "good", b->good ? o->bad : o->good,
		       o->ksrc);
		return -1;
	}
	return 0;
}

/* The policy, which must have a rule for the metric. */
static int load_policy(struct bisection *b)
{
	char err[ERRLEN];

	if (policy_load(b->o->policy, &b->p, err, sizeof(err))) {
		errorf("%s", err);
		return -1;
	}
	b->have_policy = true;
	if (!policy_rule(&b->p, b->o->metric)) {
		errorf("--metric %s: no rule for it in %s", b->o->metric,
		       b->p.path);
		return -1;
	}
	return 0;
}

/* The output directory, new: a bisection never writes into another's. */
static int make_out_dir(const char *out)
{
	if (path_exists(out)) {
		errorf("%s exists already: give another --out", out);
		return -1;
	}
	if (mkdir_p(out, 0755)) {
		errorf("cannot create %s: %s", out, strerror(errno));
		return -1;
	}
	return 0;
}

/* bisect.json as the bisection starts: the question and where it works. */
static json_object *state_new(const struct bisection *b)
{
	const struct bisect_opts *o = b->o;
	json_object *st = json_object_new_object();
	char *src = xasprintf("%s/src", o->out);

	json_object_object_add(st, "schema",
			       json_object_new_string("invlab.bisect"));
	json_object_object_add(st, "version", json_object_new_int(1));
	json_object_object_add(st, "status", json_object_new_string("running"));
	json_object_object_add(st, "ksrc", json_object_new_string(o->ksrc));
	json_object_object_add(st, "good", json_object_new_string(b->good));
	json_object_object_add(st, "bad", json_object_new_string(b->bad));
	json_object_object_add(st, "metric", json_object_new_string(o->metric));
	json_object_object_add(
		st, "cell", o->cell ? json_object_new_string(o->cell) : NULL);
	json_object_object_add(st, "suite", json_object_new_string(o->suite));
	json_object_object_add(st, "kernel", json_object_new_string(o->kernel));
	json_object_object_add(st, "policy", json_object_new_string(b->p.path));
	json_object_object_add(
		st, "step_cmd",
		o->step_cmd ? json_object_new_string(o->step_cmd) : NULL);
	json_object_object_add(st, "out", json_object_new_string(o->out));
	json_object_object_add(st, "src", json_object_new_string(src));
	json_object_object_add(st, "steps", json_object_new_array());
	free(src);
	return st;
}

/* The shared clone that is bisected instead of the user's tree. */
static int clone_tree(struct bisection *b)
{
	const char *ksrc = b->o->ksrc, *src = jstr(b->st, "src");

	say("cloning %s into %s (shared objects; your tree is not touched)",
	    ksrc, src);
	if (run_cmd((char *const[]){ "git", "clone", "--quiet", "--shared",
				     "--no-checkout", (char *)ksrc, (char *)src,
				     NULL },
		    NULL)) {
		errorf("git clone --shared %s failed", ksrc);
		return -1;
	}
	return 0;
}

/* One reference run: which ("good" or "bad") at commit sha. */
static int reference(json_object *st, const char *which, const char *sha,
		     char *err, size_t len)
{
	const char *src = jstr(st, "src");
	char *run_dir =
		xasprintf("%s/runs/%s-%.12s", jstr(st, "out"), which, sha);
	int ret;

	say("reference %s: %.12s", which, sha);
	if (run_cmd((char *const[]){ "git", "-C", (char *)src, "checkout",
				     "--quiet", "--detach", (char *)sha, NULL },
		    NULL)) {
		free(run_dir);
		return seterr(err, len, "git checkout %s in %s failed", sha,
			      src);
	}
	ret = run_step(st, run_dir, sha);
	json_object_object_add(st,
			       !strcmp(which, "good") ? "good_run" : "bad_run",
			       json_object_new_string(run_dir));
	if (ret)
		say("reference %s: the step exited %d", which, ret);
	free(run_dir);
	return 0;
}

/* Both references measured: 0, else the exit status (1: interrupted). */
static int measure_references(struct bisection *b)
{
	char err[ERRLEN] = "";

	if (!reference(b->st, "good", b->good, err, sizeof(err)) &&
	    !bisect_interrupted &&
	    !reference(b->st, "bad", b->bad, err, sizeof(err)) &&
	    !bisect_interrupted)
		return 0;
	if (bisect_interrupted) {
		errorf("interrupted while measuring the references");
		json_object_object_add(b->st, "status",
				       json_object_new_string("interrupted"));
		return 1;
	}
	errorf("%s", err);
	return 2;
}

/*
 * Good against bad under the policy: the change to look for (the state's
 * "change"), or -1 when there is none to bisect (or no numbers).
 */
static int judge_references(struct bisection *b)
{
	const struct bisect_opts *o = b->o;
	struct bisect_side gv = { 0 }, bv = { 0 };
	struct samples gs, bs;
	struct judgement j;
	char err[ERRLEN], *why;
	int ret = -1;

	if (bisect_samples(jstr(b->st, "good_run"), o->cell, o->metric, &gv,
			   err, sizeof(err)) ||
	    bisect_samples(jstr(b->st, "bad_run"), o->cell, o->metric, &bv, err,
			   sizeof(err))) {
		errorf("reference run: %s", err);
		goto out;
	}
	gs = (struct samples){ gv.v, gv.boot, gv.n, NULL };
	bs = (struct samples){ bv.v, bv.boot, bv.n, NULL };
	gv.prior.icount = gv.prior.icount && bv.prior.icount;
	judge_samples(&b->p, o->metric, &gs, &bs, &gv.prior, &j);
	why = xasprintf("%s: %s, median %g -> %g", verdict_name(j.verdict),
			j.why, j.med_a, j.med_b);
	json_object_object_add(b->st, "reference_why",
			       json_object_new_string(why));
	free(why);
	if (j.verdict != V_REGRESSED && j.verdict != V_IMPROVED &&
	    j.verdict != V_CHANGED) {
		errorf("%s between %.12s and %.12s is judged %s (%s): nothing to bisect (a noisy metric needs boots = %u or more in the suite, or a calibration of this lab, before a real change can be significant)",
		       o->metric, b->good, b->bad, verdict_name(j.verdict),
		       j.why, b->p.min_boots);
		json_object_object_add(b->st, "status",
				       json_object_new_string("no change"));
		goto out;
	}
	json_object_object_add(b->st, "change",
			       json_object_new_string(verdict_name(j.verdict)));
	say("references: %s %s (median %g -> %g); bisecting", o->metric,
	    verdict_name(j.verdict), j.med_a, j.med_b);
	ret = 0;
out:
	bisect_side_free(&gv);
	bisect_side_free(&bv);
	return ret;
}

/*
 * git bisect run over the clone, invlab bisect-step at each commit; the
 * clone is removed after (a kernel checkout is large; the steps' runs and
 * OUT/bisect.log are what is kept). The first bad commit and its subject,
 * or NULL; *status: git's exit status.
 */
static char *git_bisect(const struct bisection *b, char **subject, int *status)
{
	char self[PATH_MAX], *src = xasprintf("%s/src", b->o->out), *log;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *first;

	self[n > 0 ? n : 0] = '\0';
	*status = run_cmd((char *const[]){ "git", "-C", src, "bisect", "start",
					   b->bad, b->good, NULL },
			  NULL);
	if (!*status)
		*status = run_cmd((char *const[]){ "git", "-C", src, "bisect",
						   "run", self, "bisect-step",
						   b->state, NULL },
				  NULL);
	first = *status ? NULL :
			  git_line(src, "rev-parse", "--verify",
				   "refs/bisect/bad");
	*subject = first ? output_line((char *const[]){ "git", "-C", src, "log",
							"-1", "--format=%s",
							first, NULL }) :
			   NULL;
	log = xasprintf("%s/bisect.log", b->o->out);
	run_cmd((char *const[]){ "git", "-C", src, "bisect", "log", NULL },
		log);
	free(log);
	run_cmd((char *const[]){ "git", "-C", src, "bisect", "reset", "--quiet",
				 NULL },
		NULL);
	run_cmd((char *const[]){ "rm", "-rf", "--one-file-system", src, NULL },
		NULL);
	free(src);
	return first;
}

/*
 * The outcome into the state the steps have been adding to: 0 when git
 * found the first bad commit, 1 when not, 2 when the state is gone.
 */
static int record_outcome(struct bisection *b, const char *first,
			  const char *subject, int status)
{
	char err[ERRLEN];

	b->st = json_file_load(b->state, "bisect state", err, sizeof(err));
	if (!b->st) {
		errorf("%s", err);
		return 2;
	}
	if (first) {
		json_object_object_add(b->st, "first_bad",
				       json_object_new_string(first));
		json_object_object_add(
			b->st, "first_bad_subject",
			json_object_new_string(subject ? subject : ""));
	}
	json_object_object_add(b->st, "status",
			       json_object_new_string(first ? "found" :
						      bisect_interrupted ?
							      "interrupted" :
							      "ambiguous"));
	if (first)
		printf("first bad commit: %s %s\n", first,
		       subject ? subject : "");
	else
		errorf("git bisect run ended without one first bad commit (exit %d): skipped steps? see %s/bisect.log",
		       status, b->o->out);
	return first ? 0 : 1;
}

static void write_report(json_object *st, const char *path)
{
	json_object *steps = json_object_object_get(st, "steps");
	FILE *f = fopen(path, "w");

	if (!f)
		return;
	fprintf(f, "# invlab bisect: %s\n\n", jstr(st, "metric"));
	fprintf(f, "- tree: `%s` (bisected in the clone `%s`)\n",
		jstr(st, "ksrc"), jstr(st, "src"));
	fprintf(f, "- good: %s, bad: %s\n", jstr(st, "good"), jstr(st, "bad"));
	fprintf(f, "- references: %s (good run `%s`, bad run `%s`)\n",
		jstr(st, "reference_why"), jstr(st, "good_run"),
		jstr(st, "bad_run"));
	fprintf(f, "- status: **%s**\n", jstr(st, "status"));
	if (jstr(st, "first_bad"))
		fprintf(f, "- first bad commit: **%s** %s\n",
			jstr(st, "first_bad"), jstr(st, "first_bad_subject"));
	fprintf(f,
		"\n| step | commit | subject | median | vs good | p | verdict | why |\n|---:|---|---|---:|---:|---:|---|---|\n");
	for (size_t i = 0; i < json_object_array_length(steps); i++) {
		json_object *s = json_object_array_get_idx(steps, i), *v;
		double ratio = json_object_object_get_ex(s, "ratio", &v) && v ?
				       json_object_get_double(v) :
				       NAN;

		fprintf(f, "| %zu | %.12s | %s | %s | ", i + 1,
			jstr(s, "commit"), jstr(s, "subject"),
			jstr(s, "median") ? jstr(s, "median") : "-");
		if (!isnan(ratio))
			fprintf(f, "%+.2f%%", 100 * (ratio - 1));
		fprintf(f, " | %s | %s | %s |\n",
			jstr(s, "p") ? jstr(s, "p") : "-", jstr(s, "verdict"),
			jstr(s, "why"));
	}
	fclose(f);
}

/* The state's last word (failed, unless it says otherwise) and bisect.md. */
static void close_state(struct bisection *b)
{
	char *md;

	if (!b->st)
		return;
	md = xasprintf("%s/bisect.md", b->o->out);
	if (!jstr(b->st, "status") || !strcmp(jstr(b->st, "status"), "running"))
		json_object_object_add(b->st, "status",
				       json_object_new_string("failed"));
	result_write(b->st, b->state);
	write_report(b->st, md);
	printf("report: %s\n", md);
	free(md);
	json_object_put(b->st);
	b->st = NULL;
}

int bisect_run(const struct bisect_opts *o)
{
	struct bisection b = { .o = o };
	char *first = NULL, *subject = NULL;
	int ret = 2, status;

	if (resolve_references(&b) || load_policy(&b) || make_out_dir(o->out))
		goto out;
	b.st = state_new(&b);
	b.state = xasprintf("%s/bisect.json", o->out);
	if (clone_tree(&b))
		goto out;
	ret = measure_references(&b);
	if (ret)
		goto out;
	ret = 2;
	if (judge_references(&b))
		goto out;
	if (result_write(b.st, b.state)) {
		errorf("cannot write %s", b.state);
		goto out;
	}
	json_object_put(b.st);
	b.st = NULL;
	first = git_bisect(&b, &subject, &status);
	ret = record_outcome(&b, first, subject, status);
out:
	close_state(&b);
	if (b.have_policy)
		policy_free(&b.p);
	free(first);
	free(subject);
	free(b.state);
	free(b.good);
	free(b.bad);
	return ret;
}

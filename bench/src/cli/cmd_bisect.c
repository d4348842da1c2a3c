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
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "nightly/bisect.h"
#include "commands.h"
#include "lib/json_util.h"
#include "lib/result.h"
#include "analysis/stats.h"
#include "lib/util.h"

struct bisect_opts {
	const char *good, *bad, *metric, *suite, *cell, *ksrc, *kernel;
	const char *policy, *out, *step_cmd;
};

static const struct argp_option bisect_options[] = {
	{ "good", 'g', "REV", 0, "a commit of KSRC without the change", 0 },
	{ "bad", 'b', "REV", 0, "a later commit with it", 0 },
	{ "metric", 'm', "NAME", 0,
	  "the metric that changed (as invlab show names it)", 0 },
	{ "suite", 's', "NAME", 0, "suite to run at each step (default smoke)",
	  0 },
	{ "cell", 'c', "ID", 0,
	  "the suite cell to judge (default: the run's first)", 0 },
	{ "ksrc", 'k', "DIR", 0, "kernel git tree (default $KSRC)", 0 },
	{ "kernel", 'K', "LABEL", 0,
	  "lab kernel label to build and boot (default lab)", 0 },
	{ "policy", 'p', "FILE", 0, "metric policy (default bench/policy)", 0 },
	{ "out", 'o', "DIR", 0,
	  "where the bisection keeps its runs and report (default results/bisect-DATE)",
	  0 },
	{ "step-cmd", 'x', "CMD", 0,
	  "run CMD (sh -c, in the checked-out tree) instead of building the kernel and running the suite; it must write an invlab run into $INVLAB_BISECT_RUN",
	  0 },
	{ 0 }
};

static error_t bisect_parse(int key, char *arg, struct argp_state *state)
{
	struct bisect_opts *o = state->input;

	switch (key) {
	case 'g': o->good = arg; break;
	case 'b': o->bad = arg; break;
	case 'm': o->metric = arg; break;
	case 's': o->suite = arg; break;
	case 'c': o->cell = arg; break;
	case 'k': o->ksrc = arg; break;
	case 'K': o->kernel = arg; break;
	case 'p': o->policy = arg; break;
	case 'o': o->out = arg; break;
	case 'x': o->step_cmd = arg; break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_END:
		if (!o->good || !o->bad || !o->metric)
			argp_error(state,
				   "--good, --bad and --metric are required");
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* Run argv (in dir, if given) and return its stdout's first line. */
static char *output_line(char *const argv[], const char *dir)
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
		if (dir && chdir(dir))
			_exit(126);
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
					    (char *)b, (char *)c, NULL },
			   NULL);
}

/* The commit a revision names in dir, or NULL. */
static char *commit_of(const char *dir, const char *rev)
{
	char *spec = xasprintf("%s^{commit}", rev);
	char *sha = git_line(dir, "rev-parse", "--verify", spec);

	free(spec);
	return sha;
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) &&
			       !json_object_is_type(v, json_type_null) ?
		       json_object_get_string(v) :
		       NULL;
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

/* invlab bisect-step STATE: one `git bisect run` step at HEAD. */
int cmd_bisect_step(int argc, char **argv)
{
	json_object *st, *steps, *rec;
	char err[ERRLEN], *sha, *subject, *run_dir;
	double *good = NULL, *step = NULL;
	size_t ng = 0, ns = 0;
	struct judgement j;
	struct policy p;
	enum bisect_verdict v = BISECT_SKIP;
	int status;

	if (argc != 2) {
		errorf("usage: invlab bisect-step STATE (git bisect run calls it)");
		return 128;
	}
	st = json_object_from_file(argv[1]);
	if (!st || !jstr(st, "src") || !jstr(st, "change")) {
		errorf("%s is not an invlab bisect state", argv[1]);
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
	if (bisect_samples(jstr(st, "good_run"), jstr(st, "cell"),
			   jstr(st, "metric"), &good, &ng, err, sizeof(err)) ||
	    bisect_samples(run_dir, jstr(st, "cell"), jstr(st, "metric"), &step,
			   &ns, err, sizeof(err))) {
		/* no build, no boot, no number: git's convention is skip */
		say("bisect step %.12s: skip: %s", sha, err);
		json_object_object_add(rec, "verdict",
				       json_object_new_string("skip"));
		json_object_object_add(rec, "why", json_object_new_string(err));
	} else {
		enum verdict change = V_REGRESSED;

		for (int k = V_SAME; k <= V_MISSING; k++)
			if (!strcmp(verdict_name(k), jstr(st, "change")))
				change = k;
		v = bisect_judge(&p, jstr(st, "metric"), change, good, ng, step,
				 ns, &j);
		json_object_object_add(
			rec, "verdict",
			json_object_new_string(v == BISECT_BAD	? "bad" :
					       v == BISECT_GOOD ? "good" :
								  "skip"));
		json_object_object_add(rec, "why",
				       json_object_new_string(j.why));
		json_object_object_add(rec, "median", json_num(j.med_b));
		json_object_object_add(rec, "good_median", json_num(j.med_a));
		json_object_object_add(rec, "ratio", json_num(j.ratio));
		json_object_object_add(rec, "p", json_num(j.p));
		json_object_object_add(rec, "n", json_object_new_int64(ns));
		say("bisect step %.12s: %s (median %g vs good %g: %s)", sha,
		    v == BISECT_BAD  ? "bad" :
		    v == BISECT_GOOD ? "good" :
				       "skip",
		    j.med_b, j.med_a, j.why);
	}
	json_object_array_add(steps, rec);
	if (result_write(st, argv[1])) {
		errorf("cannot write %s", argv[1]);
		v = 128;
	}
	free(good);
	free(step);
	free(run_dir);
	free(sha);
	free(subject);
	policy_free(&p);
	json_object_put(st);
	return v;
}

/* Ctrl-C reaches the step (its invlab lab marks its run incomplete) and
 * git too; the bisection then stops and says so in its state and report.
 */
static volatile sig_atomic_t bisect_interrupted;

static void on_bisect_signal(int sig)
{
	(void)sig;
	bisect_interrupted = 1;
}

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

int cmd_bisect(int argc, char **argv)
{
	struct bisect_opts o = { .suite = "smoke", .kernel = "lab" };
	struct argp argp = {
		bisect_options,
		bisect_parse,
		NULL,
		"Bisect a kernel git tree for the commit that changed a metric. Exit 0 when found, 1 when the bisection ended without one commit, 2 on bad input.",
		NULL,
		NULL,
		NULL
	};
	char err[ERRLEN] = "", *good = NULL, *bad = NULL, *state = NULL;
	char self[PATH_MAX], stamp[32], *first = NULL, *subject = NULL, *tmp;
	double *gv = NULL, *bv = NULL;
	size_t ng = 0, nb = 0;
	json_object *st = NULL;
	struct judgement j;
	struct policy p;
	ssize_t n;
	int ret = 2, status;

	argp_parse(&argp, argc, argv, 0, NULL, &o);
	signal(SIGINT, on_bisect_signal);
	signal(SIGTERM, on_bisect_signal);
	if (!o.ksrc)
		o.ksrc = getenv("KSRC");
	if (!o.ksrc || !*o.ksrc) {
		errorf("which kernel tree? give --ksrc DIR or KSRC=DIR");
		return 2;
	}
	if (!git_line(o.ksrc, "rev-parse", "--git-dir", NULL)) {
		errorf("--ksrc %s is not a git tree (git rev-parse failed)",
		       o.ksrc);
		return 2;
	}
	good = commit_of(o.ksrc, o.good);
	bad = commit_of(o.ksrc, o.bad);
	if (!good || !bad) {
		errorf("--%s %s is not a commit of %s", good ? "bad" : "good",
		       good ? o.bad : o.good, o.ksrc);
		goto out;
	}
	if (policy_load(o.policy, &p, err, sizeof(err))) {
		errorf("%s", err);
		goto out;
	}
	if (!policy_rule(&p, o.metric)) {
		errorf("--metric %s: no rule for it in %s", o.metric, p.path);
		goto out_policy;
	}
	if (!o.out) {
		time_t t = time(NULL);

		strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&t));
		o.out = xasprintf("%s/results/bisect-%s", invlab_top(), stamp);
	}
	if (path_exists(o.out)) {
		errorf("%s exists already: give another --out", o.out);
		goto out_policy;
	}
	if (mkdir_p(o.out, 0755)) {
		errorf("cannot create %s: %s", o.out, strerror(errno));
		goto out_policy;
	}
	st = json_object_new_object();
	json_object_object_add(st, "schema",
			       json_object_new_string("invlab.bisect"));
	json_object_object_add(st, "version", json_object_new_int(1));
	json_object_object_add(st, "status", json_object_new_string("running"));
	json_object_object_add(st, "ksrc", json_object_new_string(o.ksrc));
	json_object_object_add(st, "good", json_object_new_string(good));
	json_object_object_add(st, "bad", json_object_new_string(bad));
	json_object_object_add(st, "metric", json_object_new_string(o.metric));
	json_object_object_add(st, "cell",
			       o.cell ? json_object_new_string(o.cell) : NULL);
	json_object_object_add(st, "suite", json_object_new_string(o.suite));
	json_object_object_add(st, "kernel", json_object_new_string(o.kernel));
	json_object_object_add(st, "policy", json_object_new_string(p.path));
	json_object_object_add(st, "step_cmd",
			       o.step_cmd ? json_object_new_string(o.step_cmd) :
					    NULL);
	json_object_object_add(st, "out", json_object_new_string(o.out));
	tmp = xasprintf("%s/src", o.out);
	json_object_object_add(st, "src", json_object_new_string(tmp));
	free(tmp);
	json_object_object_add(st, "steps", json_object_new_array());
	state = xasprintf("%s/bisect.json", o.out);

	say("cloning %s into %s (shared objects; your tree is not touched)",
	    o.ksrc, jstr(st, "src"));
	if (run_cmd((char *const[]){ "git", "clone", "--quiet", "--shared",
				     "--no-checkout", (char *)o.ksrc,
				     (char *)jstr(st, "src"), NULL },
		    NULL)) {
		errorf("git clone --shared %s failed", o.ksrc);
		goto out_state;
	}
	if (reference(st, "good", good, err, sizeof(err)) ||
	    bisect_interrupted || reference(st, "bad", bad, err, sizeof(err)) ||
	    bisect_interrupted) {
		if (bisect_interrupted) {
			errorf("interrupted while measuring the references");
			json_object_object_add(
				st, "status",
				json_object_new_string("interrupted"));
			ret = 1;
		} else {
			errorf("%s", err);
		}
		goto out_state;
	}
	if (bisect_samples(jstr(st, "good_run"), o.cell, o.metric, &gv, &ng,
			   err, sizeof(err)) ||
	    bisect_samples(jstr(st, "bad_run"), o.cell, o.metric, &bv, &nb, err,
			   sizeof(err))) {
		errorf("reference run: %s", err);
		goto out_state;
	}
	judge(&p, o.metric, gv, ng, bv, nb, &j);
	tmp = xasprintf("%s: %s, median %g -> %g", verdict_name(j.verdict),
			j.why, j.med_a, j.med_b);
	json_object_object_add(st, "reference_why",
			       json_object_new_string(tmp));
	free(tmp);
	if (j.verdict != V_REGRESSED && j.verdict != V_IMPROVED &&
	    j.verdict != V_CHANGED) {
		errorf("%s between %.12s and %.12s is judged %s (%s): nothing to bisect (more repetitions in the suite can make a real change significant)",
		       o.metric, good, bad, verdict_name(j.verdict), j.why);
		json_object_object_add(st, "status",
				       json_object_new_string("no change"));
		goto out_state;
	}
	json_object_object_add(st, "change",
			       json_object_new_string(verdict_name(j.verdict)));
	say("references: %s %s (median %g -> %g); bisecting", o.metric,
	    verdict_name(j.verdict), j.med_a, j.med_b);
	if (result_write(st, state)) {
		errorf("cannot write %s", state);
		goto out_state;
	}
	json_object_put(st);
	st = NULL;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	{
		char *src = xasprintf("%s/src", o.out);

		status = run_cmd((char *const[]){ "git", "-C", src, "bisect",
						  "start", bad, good, NULL },
				 NULL);
		if (!status)
			status = run_cmd((char *const[]){ "git", "-C", src,
							  "bisect", "run", self,
							  "bisect-step", state,
							  NULL },
					 NULL);
		first = status ? NULL :
				 git_line(src, "rev-parse", "--verify",
					  "refs/bisect/bad");
		if (first)
			subject = output_line(
				(char *const[]){ "git", "-C", src, "log", "-1",
						 "--format=%s", first, NULL },
				NULL);
		{
			char *log = xasprintf("%s/bisect.log", o.out);

			run_cmd((char *const[]){ "git", "-C", src, "bisect",
						 "log", NULL },
				log);
			free(log);
		}
		run_cmd((char *const[]){ "git", "-C", src, "bisect", "reset",
					 "--quiet", NULL },
			NULL);
		/* a kernel checkout is large; the steps' runs and the log
		 * are what is kept
		 */
		run_cmd((char *const[]){ "rm", "-rf", "--one-file-system", src,
					 NULL },
			NULL);
		free(src);
	}
	st = json_object_from_file(state);
	if (!st) {
		errorf("%s vanished", state);
		goto out_policy;
	}
	if (first) {
		json_object_object_add(st, "first_bad",
				       json_object_new_string(first));
		json_object_object_add(
			st, "first_bad_subject",
			json_object_new_string(subject ? subject : ""));
	}
	json_object_object_add(st, "status",
			       json_object_new_string(first ? "found" :
						      bisect_interrupted ?
							      "interrupted" :
							      "ambiguous"));
	ret = first ? 0 : 1;
	if (first)
		printf("first bad commit: %s %s\n", first,
		       subject ? subject : "");
	else
		errorf("git bisect run ended without one first bad commit (exit %d): skipped steps? see %s/bisect.log",
		       status, o.out);
out_state:
	if (st) {
		char *md = xasprintf("%s/bisect.md", o.out);

		if (!jstr(st, "status") ||
		    !strcmp(jstr(st, "status"), "running"))
			json_object_object_add(
				st, "status", json_object_new_string("failed"));
		result_write(st, state);
		write_report(st, md);
		printf("report: %s\n", md);
		free(md);
		json_object_put(st);
	}
out_policy:
	policy_free(&p);
out:
	free(gv);
	free(bv);
	free(first);
	free(subject);
	free(state);
	free(good);
	free(bad);
	return ret;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * invlab bisect: the commit of a kernel git tree that changed a metric,
 * each bisection step judged against the good and bad reference runs with
 * the same statistics as invlab compare.
 */
#ifndef INVLAB_BISECT_H
#define INVLAB_BISECT_H

#include <signal.h>
#include <stdbool.h>

#include "analysis/judge.h"
#include "analysis/policy.h"
#include "analysis/runtab.h"

/* git bisect run's exit codes */
enum bisect_verdict {
	BISECT_GOOD = 0,
	BISECT_BAD = 1,
	BISECT_SKIP = 125,
};

/*
 * The samples of metric in the cell of run dir (cell NULL: the run's first
 * cell); a malloc'd array and its length. -1 with err naming what is
 * missing.
 */
struct bisect_side {
	double *v;
	int *boot; /* each value's boot */
	size_t n;
	/* the run's host's calibration of this metric (boot_sd NaN: none) */
	struct judge_ctx prior;
};

int bisect_samples(const char *run_dir, const char *cell, const char *metric,
		   struct bisect_side *s, char *err, size_t err_len);
void bisect_side_free(struct bisect_side *s);

/*
 * A step is bad when, against the good reference, it shows the change the
 * bad reference shows (change: the verdict of good vs bad, usually
 * REGRESSED, but an improvement or a change of a direction-less metric can
 * be bisected too); good when judged the same; skipped when the statistics
 * cannot tell or see a change of another kind. j gets step vs good.
 */
enum bisect_verdict bisect_judge(const struct policy *p, const char *metric,
				 enum verdict change,
				 const struct bisect_side *good,
				 const struct bisect_side *step,
				 struct judgement *j);

/* What invlab bisect is asked (its options; out and ksrc given). */
struct bisect_opts {
	const char *good, *bad; /* revisions of ksrc */
	const char *metric, *suite, *cell, *ksrc, *kernel;
	const char *policy, *out, *step_cmd;
};

/*
 * Set by the command's SIGINT/SIGTERM handler: Ctrl-C reaches the step
 * (its invlab lab marks its run incomplete) and git too; the bisection
 * then stops and says so in its state and report.
 */
extern volatile sig_atomic_t bisect_interrupted;

/*
 * invlab bisect: the good and bad references measured in a shared clone of
 * o->ksrc under o->out, then `git bisect run` calling invlab bisect-step at
 * each commit; o->out/bisect.json (the state) and bisect.md. The exit
 * status: 0 when the first bad commit is found, 1 when the bisection ended
 * without one (or was interrupted), 2 on bad input or a failure before.
 */
int bisect_run(const struct bisect_opts *o);

/*
 * invlab bisect-step STATE: one `git bisect run` step at the clone's HEAD,
 * recorded in the state file: git bisect run's exit code (a
 * bisect_verdict), or 128 (stop the bisection) when it cannot go on.
 */
int bisect_step(const char *state);

#endif

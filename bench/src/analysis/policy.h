/* SPDX-License-Identifier: GPL-2.0 */
/* How a metric is judged, from bench/policy/metrics.conf (data, not code). */
#ifndef INVLAB_POLICY_H
#define INVLAB_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/util.h"

enum direction {
	DIR_NONE,
	DIR_HIGHER,
	DIR_LOWER
};
enum metric_kind {
	KIND_NOISY,
	KIND_EXACT
};

struct metric_rule {
	char *pattern; /* fnmatch pattern over metric names */
	enum direction direction;
	enum metric_kind kind;
	double min_effect; /* relative, noisy metrics */
	/* the same for a time taken on the instruction clock (icount) */
	double icount_min_effect;
	double tolerance; /* relative, exact metrics */
	char *unit;
};

struct policy {
	char *path;
	double alpha;
	/* the change-point search's permutation test: how many orders */
	unsigned int permutations;
	/* noisy metrics are judged over boots from this many per side */
	unsigned int min_boots;
	unsigned long long seed;
	struct strv ignore; /* context keys (fnmatch) left out of diffs */
	struct strv cmdline_ignore; /* kernel parameters left out */
	struct metric_rule *rules;
	size_t nrules;
};

/* path NULL: bench/policy/metrics.conf under the work tree. */
int policy_load(const char *path, struct policy *p, char *err, size_t err_len);
void policy_free(struct policy *p);
/* The first rule matching name; NULL when none does. */
const struct metric_rule *policy_rule(const struct policy *p, const char *name);
const char *direction_name(enum direction d);
/* ns, us, ms or s: the unit of a time. */
bool unit_is_time(const char *unit);
/*
 * The unit a metric's numbers are in: on the instruction clock (icount,
 * one guest nanosecond a guest instruction) a time unit counts guest
 * instructions ("insn", "k insn", ...); anything else is as it is.
 */
const char *clock_unit(const char *unit, bool icount);

#endif

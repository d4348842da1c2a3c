// SPDX-License-Identifier: GPL-2.0
#include "policy.h"

#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/conf.h"

const char *direction_name(enum direction d)
{
	return d == DIR_HIGHER ? "higher" : d == DIR_LOWER ? "lower" : "none";
}

static int get_double(const struct conf *c, const char *sec, const char *key,
		      double def, double min, double max, double *out,
		      char *err, size_t err_len)
{
	const char *v = conf_get(c, sec, key);
	char *end;

	*out = def;
	if (!v)
		return 0;
	errno = 0;
	*out = strtod(v, &end);
	if (errno || end == v || *end || isnan(*out) || *out < min ||
	    *out > max)
		return seterr(
			err, err_len,
			"%s: [%s] %s = '%s': expected a number in [%g, %g]",
			c->path, sec, key, v, min, max);
	return 0;
}

static int parse_rule(const struct conf *c, const char *sec,
		      struct metric_rule *r, char *err, size_t err_len)
{
	const char *dir = conf_get(c, sec, "direction");
	const char *kind = conf_get(c, sec, "kind");
	const char *unit = conf_get(c, sec, "unit");
	static const char *const keys[] = { "direction",  "kind",
					    "min_effect", "icount_min_effect",
					    "tolerance",  "unit" };

	for (size_t i = 0; i < c->n; i++) {
		bool known = false;

		if (strcmp(c->e[i].section, sec))
			continue;
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			known |= !strcmp(c->e[i].key, keys[k]);
		if (!known)
			return seterr(
				err, err_len,
				"%s: [%s] unknown key '%s' (expected direction, kind, min_effect, icount_min_effect, tolerance, unit)",
				c->path, sec, c->e[i].key);
	}
	r->pattern = xstrdup(sec);
	if (!dir)
		return seterr(err, err_len, "%s: [%s] lacks direction", c->path,
			      sec);
	if (!strcmp(dir, "higher"))
		r->direction = DIR_HIGHER;
	else if (!strcmp(dir, "lower"))
		r->direction = DIR_LOWER;
	else if (!strcmp(dir, "none"))
		r->direction = DIR_NONE;
	else
		return seterr(
			err, err_len,
			"%s: [%s] direction = '%s': expected higher, lower or none",
			c->path, sec, dir);
	if (!kind || !strcmp(kind, "noisy"))
		r->kind = KIND_NOISY;
	else if (!strcmp(kind, "exact"))
		r->kind = KIND_EXACT;
	else
		return seterr(err, err_len,
			      "%s: [%s] kind = '%s': expected exact or noisy",
			      c->path, sec, kind);
	r->unit = xstrdup(unit ? unit : "");
	if (get_double(c, sec, "min_effect", 0.05, 0, 10, &r->min_effect, err,
		       err_len) ||
	    get_double(c, sec, "tolerance", 0, 0, 10, &r->tolerance, err,
		       err_len))
		return -1;
	/* a time on the instruction clock is far less noisy */
	return get_double(c, sec, "icount_min_effect", r->min_effect, 0, 10,
			  &r->icount_min_effect, err, err_len);
}

int policy_load(const char *path, struct policy *p, char *err, size_t err_len)
{
	char *def = NULL;
	struct strv secs = { 0 };
	struct conf c;
	double alpha, perms, seed, min_boots;
	int ret = -1;

	memset(p, 0, sizeof(*p));
	if (!path)
		path = def =
			xasprintf("%s/bench/policy/metrics.conf", invlab_top());
	if (conf_load(path, &c, err, err_len)) {
		free(def);
		return -1;
	}
	p->path = xstrdup(path);
	if (get_double(&c, "defaults", "alpha", 0.01, 1e-6, 0.5, &alpha, err,
		       err_len) ||
	    get_double(&c, "defaults", "permutations", 999, 99, 1e6, &perms,
		       err, err_len) ||
	    get_double(&c, "defaults", "seed", 1, 0, 1e18, &seed, err,
		       err_len) ||
	    get_double(&c, "defaults", "min_boots", 3, 2, 1000, &min_boots, err,
		       err_len))
		goto out;
	p->min_boots = (unsigned int)min_boots;
	p->alpha = alpha;
	p->permutations = (unsigned int)perms;
	p->seed = (unsigned long long)seed;
	if (conf_get(&c, "context", "ignore"))
		strv_split(&p->ignore, conf_get(&c, "context", "ignore"));
	if (conf_get(&c, "context", "cmdline_ignore"))
		strv_split(&p->cmdline_ignore,
			   conf_get(&c, "context", "cmdline_ignore"));
	conf_sections(&c, &secs);
	p->rules = xcalloc(secs.n + 1, sizeof(*p->rules));
	for (size_t i = 0; i < secs.n; i++) {
		if (!strcmp(secs.v[i], "defaults") ||
		    !strcmp(secs.v[i], "context"))
			continue;
		if (parse_rule(&c, secs.v[i], &p->rules[p->nrules++], err,
			       err_len))
			goto out;
	}
	if (!p->nrules) {
		seterr(err, err_len, "%s: no metric sections", path);
		goto out;
	}
	ret = 0;
out:
	if (ret)
		policy_free(p);
	strv_free(&secs);
	conf_free(&c);
	free(def);
	return ret;
}

void policy_free(struct policy *p)
{
	for (size_t i = 0; i < p->nrules; i++) {
		free(p->rules[i].pattern);
		free(p->rules[i].unit);
	}
	free(p->rules);
	free(p->path);
	strv_free(&p->ignore);
	strv_free(&p->cmdline_ignore);
	memset(p, 0, sizeof(*p));
}

const struct metric_rule *policy_rule(const struct policy *p, const char *name)
{
	for (size_t i = 0; i < p->nrules; i++) {
		if (!fnmatch(p->rules[i].pattern, name, 0))
			return &p->rules[i];
	}
	return NULL;
}

bool unit_is_time(const char *unit)
{
	static const char *const times[] = { "ns", "us", "ms", "s" };

	for (size_t i = 0; unit && i < sizeof(times) / sizeof(times[0]); i++)
		if (!strcmp(unit, times[i]))
			return true;
	return false;
}

const char *clock_unit(const char *unit, bool icount)
{
	static const struct {
		const char *time, *insn;
	} map[] = { { "ns", "insn" },
		    { "us", "k insn" },
		    { "ms", "M insn" },
		    { "s", "G insn" } };

	if (!icount)
		return unit;
	for (size_t i = 0; unit && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(unit, map[i].time))
			return map[i].insn;
	return unit;
}

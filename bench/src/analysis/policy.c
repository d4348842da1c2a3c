// SPDX-License-Identifier: GPL-2.0
#include "policy.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "lib/conf.h"

const char *direction_name(enum direction d)
{
	return d == DIR_HIGHER ? "higher" : d == DIR_LOWER ? "lower" : "none";
}

/* The policy file: [defaults], [context], and one section per metric. */
static const struct conf_key defaults_keys[] = {
	{ "alpha", 0 }, { "min_boots", 0 }, { "permutations", 0 },
	{ "seed", 0 },	{ NULL, 0 },
};

static const struct conf_key context_keys[] = {
	{ "ignore", CONF_LIST },
	{ "cmdline_ignore", CONF_LIST },
	{ NULL, 0 },
};

static const struct conf_key rule_keys[] = {
	{ "direction", 0 },  { "kind", 0 },
	{ "min_effect", 0 }, { "icount_min_effect", 0 },
	{ "tolerance", 0 },  { "unit", 0 },
	{ NULL, 0 },
};

static const struct conf_section policy_sections[] = {
	{ "defaults", defaults_keys, NULL, NULL },
	{ "context", context_keys, NULL, NULL },
	{ "*", rule_keys, NULL, NULL }, /* a metric name or pattern */
	{ NULL, NULL, NULL, NULL },
};

static int parse_rule(const struct conf *c, const char *sec,
		      struct metric_rule *r, char *err, size_t err_len)
{
	const char *dir = conf_require(c, sec, "direction", err, err_len);
	const char *kind = conf_get(c, sec, "kind");
	const char *unit = conf_get(c, sec, "unit");

	r->pattern = xstrdup(sec);
	if (!dir)
		return -1;
	if (!strcmp(dir, "higher"))
		r->direction = DIR_HIGHER;
	else if (!strcmp(dir, "lower"))
		r->direction = DIR_LOWER;
	else if (!strcmp(dir, "none"))
		r->direction = DIR_NONE;
	else
		return conf_err(c, sec, "direction", err, err_len,
				"expected higher, lower or none");
	if (!kind || !strcmp(kind, "noisy"))
		r->kind = KIND_NOISY;
	else if (!strcmp(kind, "exact"))
		r->kind = KIND_EXACT;
	else
		return conf_err(c, sec, "kind", err, err_len,
				"expected exact or noisy");
	r->unit = xstrdup(unit ? unit : "");
	if (conf_get_double(c, sec, "min_effect", 0.05, 0, 10, &r->min_effect,
			    err, err_len) ||
	    conf_get_double(c, sec, "tolerance", 0, 0, 10, &r->tolerance, err,
			    err_len))
		return -1;
	/* a time on the instruction clock is far less noisy */
	return conf_get_double(c, sec, "icount_min_effect", r->min_effect, 0,
			       10, &r->icount_min_effect, err, err_len);
}

int policy_load(const char *path, struct policy *p, char *err, size_t err_len)
{
	char *def = NULL;
	struct strv secs = { 0 };
	struct conf c;
	long perms, seed, min_boots;
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
	if (conf_check(&c, policy_sections, err, err_len) ||
	    conf_get_double(&c, "defaults", "alpha", 0.01, 1e-6, 0.5, &p->alpha,
			    err, err_len) ||
	    conf_get_long(&c, "defaults", "permutations", 999, 99, 1000000,
			  &perms, err, err_len) ||
	    conf_get_long(&c, "defaults", "seed", 1, 0, 1000000000000000000L,
			  &seed, err, err_len) ||
	    conf_get_long(&c, "defaults", "min_boots", 3, 2, 1000, &min_boots,
			  err, err_len))
		goto out;
	p->min_boots = (unsigned int)min_boots;
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

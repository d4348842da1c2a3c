// SPDX-License-Identifier: GPL-2.0
#include "matrix.h"

#include "knob.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const struct conf_key matrix_keys[] = { { "*", CONF_LIST }, { NULL, 0 } };

int matrix_load(const struct conf *c, const char *suite, struct matrix *m,
		char *err, size_t err_len)
{
	size_t cells = 1;

	memset(m, 0, sizeof(*m));
	m->suite = xstrdup(suite);
	m->params = xcalloc(c->n + 1, sizeof(*m->params));
	for (size_t i = 0; i < c->n; i++) {
		const char *key = c->e[i].key;
		struct matrix_param *p;

		if (strcmp(c->e[i].section, "matrix"))
			continue;
		if (!knob_param_name_ok(key))
			return conf_err(
				c, "matrix", key, err, err_len,
				"parameter names are lower case letters, digits and _ (a workload's), cmdline.NAME (a kernel command-line parameter) or module.MOD.PARAM (a runtime module parameter)");
		p = &m->params[m->n++];
		p->name = xstrdup(key);
		strv_split(&p->values, c->e[i].value);
		if (!p->values.n)
			return conf_err(c, "matrix", key, err, err_len,
					"no values");
		for (size_t k = 0; k < p->values.n; k++) {
			/* values name cell directories and QEMU paths */
			if (strpbrk(p->values.v[k], "=,/@+ "))
				return conf_err(
					c, "matrix", key, err, err_len,
					"value '%s': no '=', ',', '/', '@' or '+' in values",
					p->values.v[k]);
		}
		cells *= p->values.n;
		if (cells > 10000)
			return conf_err(c, "matrix", NULL, err, err_len,
					"more than 10000 combinations");
	}
	return 0;
}

size_t matrix_combinations(const struct matrix *m)
{
	size_t n = 1;

	for (size_t i = 0; i < m->n; i++)
		n *= m->params[i].values.n;
	return n;
}

char *matrix_combination(const struct matrix *m, size_t idx)
{
	char *out = xstrdup(""), *t;
	size_t stride = matrix_combinations(m);

	for (size_t i = 0; i < m->n; i++) {
		const struct matrix_param *p = &m->params[i];

		stride /= p->values.n;
		t = xasprintf("%s%s%s=%s", out, i ? "," : "", p->name,
			      p->values.v[(idx / stride) % p->values.n]);
		free(out);
		out = t;
	}
	return out;
}

int matrix_parse_combination(const struct matrix *m, const char *str,
			     struct strv *kv, char *err, size_t err_len)
{
	struct strv given = { 0 };
	int ret = -1;

	if (str && *str) {
		char *copy = xstrdup(str), *save = NULL, *tok;

		for (tok = strtok_r(copy, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save))
			strv_add(&given, tok);
		free(copy);
	}
	for (size_t i = 0; i < given.n; i++) {
		char *eq = strchr(given.v[i], '=');
		const struct matrix_param *p = NULL;
		bool listed = false;

		if (eq)
			*eq = '\0';
		for (size_t k = 0; k < m->n; k++)
			p = !strcmp(m->params[k].name, given.v[i]) ?
				    &m->params[k] :
				    p;
		if (!eq || !p) {
			seterr(err, err_len,
			       "--params %s: '%s' is not a parameter of suite %s's [matrix]",
			       str, given.v[i], m->suite);
			goto out;
		}
		for (size_t k = 0; k < p->values.n; k++)
			listed |= !strcmp(p->values.v[k], eq + 1);
		if (!listed) {
			seterr(err, err_len,
			       "--params %s: %s=%s is not one of the values %s's [matrix] lists",
			       str, p->name, eq + 1, m->suite);
			goto out;
		}
		*eq = '=';
	}
	for (size_t k = 0; k < m->n; k++) {
		const struct matrix_param *p = &m->params[k];
		const char *value = NULL;
		size_t len = strlen(p->name);

		for (size_t i = 0; i < given.n; i++) {
			if (!strncmp(given.v[i], p->name, len) &&
			    given.v[i][len] == '=') {
				if (value) {
					seterr(err, err_len,
					       "--params %s: %s given twice",
					       str, p->name);
					goto out;
				}
				value = given.v[i] + len + 1;
			}
		}
		if (!value && p->values.n > 1) {
			seterr(err, err_len,
			       "suite %s sweeps %s (%zu values): give one with --params %s=VALUE",
			       m->suite, p->name, p->values.n, p->name);
			goto out;
		}
		strv_addf(kv, "%s=%s", p->name, value ? value : p->values.v[0]);
	}
	ret = 0;
out:
	strv_free(&given);
	return ret;
}

char *matrix_expand(const char *tmpl, const struct strv *kv)
{
	char *out = xstrdup(""), *t;
	const char *p = tmpl;

	while (*p) {
		const char *open = strstr(p, "${"), *close, *value = NULL;
		size_t len;

		if (!open) {
			t = xasprintf("%s%s", out, p);
			free(out);
			return t;
		}
		close = strchr(open, '}');
		if (!close)
			goto bad;
		len = (size_t)(close - open - 2);
		/* The job sees NAME in upper case; the matrix spells it lower. */
		for (size_t i = 0; i < kv->n && !value; i++) {
			const char *eq = strchr(kv->v[i], '=');

			if (eq && (size_t)(eq - kv->v[i]) == len &&
			    !strncasecmp(kv->v[i], open + 2, len))
				value = eq + 1;
		}
		if (!value)
			goto bad;
		t = xasprintf("%s%.*s%s", out, (int)(open - p), p, value);
		free(out);
		out = t;
		p = close + 1;
	}
	return out;
bad:
	free(out);
	return NULL;
}

void matrix_free(struct matrix *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->params[i].name);
		strv_free(&m->params[i].values);
	}
	free(m->params);
	free(m->suite);
	memset(m, 0, sizeof(*m));
}

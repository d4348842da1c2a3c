// SPDX-License-Identifier: GPL-2.0
#include "seed_paths.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/conf.h"
#include "ksyms.h"
#include "lib/util.h"

static json_object *str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

/* One section per seed path (a free name), with these keys. */
static const struct conf_key seed_path_keys[] = {
	{ "seed", 0 },
	{ "what", 0 },
	{ "symbols", CONF_LIST },
	{ "probe", 0 },
	{ "measure", CONF_LIST },
	{ NULL, 0 },
};

static const struct conf_section seed_paths_sections[] = {
	{ "*", seed_path_keys, NULL, NULL },
	{ NULL, NULL, NULL, NULL },
};

json_object *seed_paths_detect(const char *conf_path, const char *kallsyms,
			       char *err, size_t err_len)
{
	struct conf c;
	struct strv sections = { 0 }, *names;
	struct ksym_query *q;
	json_object *out = NULL;
	size_t nq = 0, k = 0;
	int ret;

	if (conf_load(conf_path, &c, err, err_len))
		return NULL;
	if (conf_check(&c, seed_paths_sections, err, err_len)) {
		conf_free(&c);
		return NULL;
	}
	conf_sections(&c, &sections);
	names = xcalloc(sections.n + 1, sizeof(*names));
	for (size_t i = 0; i < sections.n; i++) {
		const char *v = conf_get(&c, sections.v[i], "symbols");

		strv_split(&names[i], v ? v : "");
		nq += names[i].n;
	}
	/* Every path's symbols in one pass over kallsyms. */
	q = xcalloc(nq + 1, sizeof(*q));
	for (size_t i = 0; i < sections.n; i++)
		for (size_t j = 0; j < names[i].n; j++)
			q[k++].name = names[i].v[j];
	ret = ksyms_resolve_all(kallsyms, q, nq);
	if (ret) {
		seterr(err, err_len, "cannot read %s: %s", kallsyms,
		       strerror(-ret));
		goto out;
	}
	out = json_object_new_object();
	k = 0;
	for (size_t i = 0; i < sections.n; i++) {
		const char *sec = sections.v[i], *missing = NULL;
		json_object *p = json_object_new_object();
		json_object *syms = json_object_new_object();
		char *note = NULL;

		for (size_t j = 0; j < names[i].n; j++, k++) {
			json_object_object_add(
				syms, q[k].name,
				q[k].ret ? NULL :
					   json_object_new_string(q[k].found));
			if (q[k].ret && !missing)
				missing = q[k].name;
		}
		if (!names[i].n)
			note = xasprintf("%s: [%s] lists no symbols", conf_path,
					 sec);
		else if (missing)
			note = xasprintf("not present in this kernel: no %s",
					 missing);
		json_object_object_add(p, "seed",
				       str_or_null(conf_get(&c, sec, "seed")));
		json_object_object_add(p, "what",
				       str_or_null(conf_get(&c, sec, "what")));
		json_object_object_add(p, "present",
				       json_object_new_boolean(names[i].n &&
							       !missing));
		json_object_object_add(p, "symbols", syms);
		json_object_object_add(p, "probe",
				       str_or_null(conf_get(&c, sec, "probe")));
		{
			struct strv m = { 0 };
			json_object *a = json_object_new_array();
			const char *v = conf_get(&c, sec, "measure");

			strv_split(&m, v ? v : "");
			for (size_t j = 0; j < m.n; j++)
				json_object_array_add(
					a, json_object_new_string(m.v[j]));
			strv_free(&m);
			json_object_object_add(p, "measure", a);
		}
		json_object_object_add(p, "note", str_or_null(note));
		json_object_object_add(out, sec, p);
		free(note);
	}
out:
	for (size_t i = 0; i < sections.n; i++)
		strv_free(&names[i]);
	free(names);
	free(q);
	strv_free(&sections);
	conf_free(&c);
	return out;
}

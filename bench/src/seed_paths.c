// SPDX-License-Identifier: GPL-2.0
#include "seed_paths.h"

#include <stdbool.h>
#include <stdlib.h>

#include "conf.h"
#include "ksyms.h"
#include "util.h"

static json_object *str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

json_object *seed_paths_detect(const char *conf_path, const char *kallsyms,
			       char *err, size_t err_len)
{
	struct conf c;
	struct strv sections = { 0 };
	json_object *out;

	if (conf_load(conf_path, &c, err, err_len))
		return NULL;
	out = json_object_new_object();
	conf_sections(&c, &sections);
	for (size_t i = 0; i < sections.n; i++) {
		const char *sec = sections.v[i];
		json_object *p = json_object_new_object();
		json_object *syms = json_object_new_object();
		struct strv names = { 0 };
		const char *missing = NULL;
		char *note = NULL;

		strv_split(&names, conf_get(&c, sec, "symbols") ?
					   conf_get(&c, sec, "symbols") :
					   "");
		for (size_t j = 0; j < names.n; j++) {
			char found[256];
			bool exact;

			if (ksyms_resolve(kallsyms, names.v[j], found,
					  sizeof(found), &exact) == 0) {
				json_object_object_add(
					syms, names.v[j],
					json_object_new_string(found));
			} else {
				json_object_object_add(syms, names.v[j], NULL);
				if (!missing)
					missing = names.v[j];
			}
		}
		if (!names.n)
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
				       json_object_new_boolean(names.n &&
							       !missing));
		json_object_object_add(p, "symbols", syms);
		json_object_object_add(p, "probe",
				       str_or_null(conf_get(&c, sec, "probe")));
		json_object_object_add(p, "note", str_or_null(note));
		json_object_object_add(out, sec, p);
		free(note);
		strv_free(&names);
	}
	strv_free(&sections);
	conf_free(&c);
	return out;
}

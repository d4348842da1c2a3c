// SPDX-License-Identifier: GPL-2.0
#include "seed_probe.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

void seed_probe_attach(struct seed_probe *sp, json_object *seed_paths,
		       const char *kallsyms)
{
	memset(sp, 0, sizeof(*sp));
	json_object_object_foreach(seed_paths, name, path)
	{
		json_object *m = json_object_object_get(path, "measure");
		const char *fns[FNFAN_MAX_FNS];
		size_t n = m ? json_object_array_length(m) : 0;
		char err[ERRLEN];

		if (!n || n > FNFAN_MAX_FNS ||
		    !json_object_get_boolean(
			    json_object_object_get(path, "present")) ||
		    sp->n == SEED_PROBE_MAX_PATHS)
			continue;
		for (size_t i = 0; i < n; i++)
			fns[i] = json_object_get_string(
				json_object_array_get_idx(m, i));
		if (fnfan_probe_attach(&sp->p[sp->n].fn, kallsyms, fns, n, err,
				       sizeof(err))) {
			json_object_object_add(path, "measure_error",
					       json_object_new_string(err));
			say("seed path %s: not measured: %s", name, err);
			continue;
		}
		snprintf(sp->p[sp->n].path, sizeof(sp->p[sp->n].path), "%s",
			 name);
		sp->n++;
	}
}

void seed_probe_finish(struct seed_probe *sp, json_object *seed_paths)
{
	for (size_t i = 0; i < sp->n; i++) {
		struct fnfan_probe *fn = &sp->p[i].fn;
		json_object *path =
			json_object_object_get(seed_paths, sp->p[i].path);
		json_object *m = json_object_new_object();
		struct fnfan_totals t;

		if (fnfan_probe_read(fn, &t)) {
			json_object_object_add(
				path, "measure_error",
				json_object_new_string(
					"cannot read the fnfan probe's maps"));
			json_object_put(m);
		} else {
			for (size_t k = 0; k < fn->nr_fns; k++) {
				json_object *f = fnfan_fn_json(&t.fn[k]);

				json_object_object_add(
					f, "mechanism",
					json_object_new_string(
						fn->mechanism[k]));
				json_object_object_add(
					f, "partial",
					fn->partial[k] ?
						json_object_new_string(
							FNFAN_PARTIAL_NOTE) :
						NULL);
				json_object_object_add(m, fn->symbol[k], f);
			}
			json_object_object_add(path, "measured", m);
			json_object_object_add(
				path, "measured_over",
				json_object_new_string(
					"the whole run, attach to end"));
		}
		fnfan_probe_detach(fn);
	}
	sp->n = 0;
}

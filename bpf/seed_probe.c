// SPDX-License-Identifier: GPL-2.0
#include "seed_probe.h"

#include <stdio.h>
#include <string.h>

#include "lib/util.h"

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
		sp->p[sp->n].attached = true;
		sp->p[sp->n].nr_fns = n;
		for (size_t i = 0; i < n; i++)
			snprintf(sp->p[sp->n].names[i],
				 sizeof(sp->p[sp->n].names[i]), "%s", fns[i]);
		sp->n++;
	}
}

/* acc += what the attached probe counted so far */
static int add_counts(struct fnfan_probe *fn, struct fnfan_totals *acc)
{
	struct fnfan_totals t;

	if (fnfan_probe_read(fn, &t))
		return -1;
	acc->nr_fns = t.nr_fns;
	for (size_t k = 0; k < t.nr_fns; k++)
		fnfan_stats_add(&acc->fn[k], &t.fn[k]);
	return 0;
}

void seed_probe_pause(struct seed_probe *sp)
{
	for (size_t i = 0; i < sp->n; i++) {
		if (!sp->p[i].attached)
			continue;
		if (add_counts(&sp->p[i].fn, &sp->p[i].acc))
			snprintf(sp->p[i].error, sizeof(sp->p[i].error),
				 "cannot read the fnfan probe's maps");
		fnfan_probe_detach(&sp->p[i].fn);
		sp->p[i].attached = false;
		sp->p[i].pauses++;
	}
}

void seed_probe_resume(struct seed_probe *sp, const char *kallsyms)
{
	for (size_t i = 0; i < sp->n; i++) {
		const char *fns[FNFAN_MAX_FNS];
		char err[ERRLEN];

		if (sp->p[i].attached || sp->p[i].error[0])
			continue;
		for (size_t k = 0; k < sp->p[i].nr_fns; k++)
			fns[k] = sp->p[i].names[k];
		if (fnfan_probe_attach(&sp->p[i].fn, kallsyms, fns,
				       sp->p[i].nr_fns, err, sizeof(err)))
			snprintf(sp->p[i].error, sizeof(sp->p[i].error),
				 "attaching again after a detached window: %s",
				 err);
		else
			sp->p[i].attached = true;
	}
}

void seed_probe_finish(struct seed_probe *sp, json_object *seed_paths)
{
	for (size_t i = 0; i < sp->n; i++) {
		struct fnfan_probe *fn = &sp->p[i].fn;
		json_object *path =
			json_object_object_get(seed_paths, sp->p[i].path);
		json_object *m = json_object_new_object();
		struct fnfan_totals t = sp->p[i].acc;

		if (sp->p[i].attached && add_counts(fn, &t))
			snprintf(sp->p[i].error, sizeof(sp->p[i].error),
				 "cannot read the fnfan probe's maps");
		if (sp->p[i].error[0]) {
			/* part of the run is missing: no figures */
			json_object_object_add(
				path, "measure_error",
				json_object_new_string(sp->p[i].error));
			json_object_put(m);
		} else {
			for (size_t k = 0; k < fn->nr_fns; k++) {
				json_object *f = fnfan_fn_json(&t.fn[k]);

				/* calls and latency only: no program runs
				 * per command for a seed path
				 */
				json_object_object_add(f, "commands", NULL);
				json_object_object_add(
					f, "commands_per_call_hist", NULL);
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
					sp->p[i].pauses ?
						"the whole run, attach to end, except the windows run with every probe detached" :
						"the whole run, attach to end"));
		}
		if (sp->p[i].attached)
			fnfan_probe_detach(fn);
	}
	sp->n = 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The seed paths' own figures: for every path the running kernel has
 * (bpf/seed_paths.h) and whose bpf/seed-paths.conf entry lists
 * `measure` functions, an fnfan probe on them for the whole run.
 */
#ifndef INVLAB_SEED_PROBE_H
#define INVLAB_SEED_PROBE_H

#include <json-c/json.h>
#include <stdbool.h>

#include "fnfan_probe.h"
#include "lib/util.h"

#define SEED_PROBE_MAX_PATHS 8

struct seed_probe {
	size_t n;
	struct {
		char path[64];
		struct fnfan_probe fn;
		bool attached;
		/* to attach again after a pause */
		size_t nr_fns;
		char names[FNFAN_MAX_FNS][128];
		/* counts of earlier attachments (before pauses) */
		struct fnfan_totals acc;
		unsigned int pauses;
		char error[ERRLEN + 64];
	} p[SEED_PROBE_MAX_PATHS];
};

/*
 * Attach to the measure functions of each present path in seed_paths (the
 * detected JSON). A path whose functions cannot be probed gets
 * "measure_error" and the run goes on: the path is still reported.
 */
void seed_probe_attach(struct seed_probe *sp, json_object *seed_paths,
		       const char *kallsyms);
/*
 * Detach every seed probe for a window that must run with no probe at all
 * (the overhead pairs), keeping what they counted; seed_probe_resume()
 * attaches them again. The result then says the detached windows are not
 * in the figures.
 */
void seed_probe_pause(struct seed_probe *sp);
void seed_probe_resume(struct seed_probe *sp, const char *kallsyms);
/*
 * Add "measured" ({SYMBOL: calls, latency, commands ...}, over the whole
 * run) to each probed path, then detach.
 */
void seed_probe_finish(struct seed_probe *sp, json_object *seed_paths);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The seed paths' own figures: for every path the running kernel has
 * (bench/src/seed_paths.h) and whose bpf/seed-paths.conf entry lists
 * `measure` functions, an fnfan probe on them for the whole run.
 */
#ifndef INVLAB_SEED_PROBE_H
#define INVLAB_SEED_PROBE_H

#include <json-c/json.h>
#include <stdbool.h>

#include "fnfan_probe.h"

#define SEED_PROBE_MAX_PATHS 8

struct seed_probe {
	size_t n;
	struct {
		char path[64];
		struct fnfan_probe fn;
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
 * Add "measured" ({SYMBOL: calls, latency, commands ...}, over the whole
 * run) to each probed path, then detach.
 */
void seed_probe_finish(struct seed_probe *sp, json_object *seed_paths);

#endif

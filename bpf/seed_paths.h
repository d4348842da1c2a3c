/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which seed code paths (bpf/seed-paths.conf) the running kernel has, from
 * kallsyms: {NAME: {seed, what, present, symbols: {SYM: found or null},
 * probe, measure: [functions the seed probe times], note}}. A path whose functions are absent says "not present in this
 * kernel" and carries no figures.
 */
#ifndef INVLAB_SEED_PATHS_H
#define INVLAB_SEED_PATHS_H

#include <json-c/json.h>
#include <stddef.h>

/*
 * NULL with err naming the file if conf_path cannot be read, or it has a
 * key other than seed, what, symbols, probe and measure.
 */
json_object *seed_paths_detect(const char *conf_path, const char *kallsyms,
			       char *err, size_t err_len);

#endif

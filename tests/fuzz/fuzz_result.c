// SPDX-License-Identifier: GPL-2.0
/*
 * bench/src/lib/result.h and the run table (analysis/runtab.h): the input
 * is the result.json of the one cell of a run, read as every report reads
 * a run (result_load, then every metric of every window).
 */
#include "fuzz.h"

#include "analysis/runtab.h"

static const char run_json[] =
	"{ \"schema\": \"invlab.run\", \"version\": 1, "
	"\"run_id\": \"fuzz\", \"kernels\": [ "
	"{ \"cell\": \"c\", \"status\": \"complete\" } ] }";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path, *dir, err[ERRLEN];
	const char *source;
	struct run r;

	dir = fuzz_mkdir("c");
	free(fuzz_write("run.json", run_json, strlen(run_json)));
	path = fuzz_write("c/result.json", data, size);
	if (!run_load(fuzz_dir(), &r, err, sizeof(err))) {
		for (size_t i = 0; i < r.ncells; i++) {
			const struct cell *c = &r.cells[i];

			for (size_t k = 0; k < c->nm; k++) {
				double *v = xcalloc(c->m[k].n + 1, sizeof(*v));

				metric_values(&c->m[k], v, NULL);
				free(v);
			}
		}
		run_host(&r, &source);
		run_free(&r);
	}
	free(path);
	free(dir);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * A run's run.json (analysis/runtab.h run_load), read as a run and as one
 * of its cells, then made into its nightly history entry
 * (nightly/history.h). Cells named 6.12, 7.3 and lab exist, each with a
 * real result (the result corpus's seeds), so real run.json seeds reach
 * their results.
 */
#include "fuzz.h"

#include "analysis/runtab.h"
#include "nightly/history.h"

static const char *const cells[][2] = {
	{ "6.12", "timeout-6.12.json" },
	{ "7.3", "kprobe-7.3.json" },
	{ "lab", "msi-lab.json" },
};

/* The run directory: cells with their results (once). */
static const char *run_dir(void)
{
	static bool made;

	if (made)
		return fuzz_dir();
	for (size_t i = 0; i < ARRAY_SIZE(cells); i++) {
		char *src = xasprintf("%s/tests/fuzz/corpus/result/%s",
				      invlab_top(), cells[i][1]);
		char *dst = xasprintf("%s/result.json", cells[i][0]);
		size_t len;
		char *text = read_file(src, &len);

		if (!text) {
			perror(src);
			abort();
		}
		free(fuzz_mkdir(cells[i][0]));
		free(fuzz_write(dst, text, len));
		free(text);
		free(dst);
		free(src);
	}
	made = true;
	return fuzz_dir();
}

static void entry(const struct run *r)
{
	json_object *e = history_entry_json(r, "fuzzhost");
	size_t len;

	free(history_entry_text(e, &len));
	json_object_put(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = run_dir(), *source;
	char *path = fuzz_write("run.json", data, size), err[ERRLEN];
	char *cell = xasprintf("%s/%s", dir, cells[0][0]);
	struct run r;

	if (!run_load(dir, &r, err, sizeof(err))) {
		run_host(&r, &source);
		entry(&r);
		run_free(&r);
	}
	if (!run_load(cell, &r, err, sizeof(err)))
		run_free(&r);
	free(cell);
	free(path);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * A nightly history entry (nightly/history.h) as the nightly report reads
 * one: parsed and checked, its metrics' values, where it must be filed.
 */
#include "fuzz.h"

#include "nightly/history.h"

static void values(const struct hist_cell *hc)
{
	for (size_t k = 0; k < hc->nm; k++) {
		double *v = xcalloc(hc->m[k].n + 1, sizeof(*v));

		metric_values(&hc->m[k], v, NULL);
		free(v);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = fuzz_write("entry.json", data, size), err[ERRLEN];
	struct hist_entry e;

	if (!history_entry_load(path, &e, err, sizeof(err))) {
		for (size_t c = 0; c < e.ncells; c++)
			values(&e.cells[c]);
		history_entry_placed(&e, "lab1", "entry.json", err,
				     sizeof(err));
		history_entry_free(&e);
	}
	free(path);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * bench/src/run/suite.h: a suite file (and its workload's [workload] keys,
 * each workload's load()), then its matrix's cells as the lab plans them.
 */
#include "fuzz.h"

#include "run/suite.h"

/* Cells looked at per input: a matrix may have millions. */
#define MAX_CELLS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = fuzz_write("fuzz.conf", data, size), err[ERRLEN];
	struct suite s;
	size_t n;

	if (suite_load(invlab_top(), path, &s, err, sizeof(err))) {
		free(path);
		return 0;
	}
	n = matrix_combinations(&s.matrix);
	for (size_t i = 0; i < n && i < MAX_CELLS; i++) {
		char *combo = matrix_combination(&s.matrix, i);
		struct strv kv = { 0 };

		if (!matrix_parse_combination(&s.matrix, combo, &kv, err,
					      sizeof(err)))
			free(matrix_expand("${BS}-${IOPATH}", &kv));
		strv_free(&kv);
		free(combo);
	}
	suite_free(&s);
	free(path);
	return 0;
}

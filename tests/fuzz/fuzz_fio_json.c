// SPDX-License-Identifier: GPL-2.0
/* workloads/fio/fio.h: fio's --output-format=json text, both directions. */
#include "fuzz.h"

#include "workloads/fio/fio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const dirs[] = { "read", "write" };
	char *text = fuzz_str(data, size), err[ERRLEN];
	struct fio_metrics m;

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		if (!fio_parse_json(text, dirs[i], &m, err, sizeof(err)))
			json_object_put(fio_metrics_json(&m));
	}
	free(text);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/* bench/src/analysis/policy.h: a metric policy, and rules looked up in it. */
#include "fuzz.h"

#include "analysis/policy.h"

static const char *const names[] = {
	"iops",		 "cmds_per_io",
	"clat_p99_us",	 "fanout.dma_unmap.latency_ns",
	"detached.iops", "",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = fuzz_write("metrics.conf", data, size), err[ERRLEN];
	struct policy p;

	if (policy_load(path, &p, err, sizeof(err))) {
		free(path);
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		const struct metric_rule *r = policy_rule(&p, names[i]);

		if (r) {
			direction_name(r->direction);
			clock_unit(r->unit, true);
			clock_unit(r->unit, false);
		}
	}
	policy_free(&p);
	free(path);
	return 0;
}

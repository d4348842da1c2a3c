// SPDX-License-Identifier: GPL-2.0
/* workloads/dpdk/testpmd_parse.h: what dpdk-testpmd and dpdk-memhp print. */
#include "fuzz.h"

#include "workloads/dpdk/testpmd_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *out = fuzz_str(data, size), buf[256];
	struct testpmd_fwd_stats st;
	struct memhp_step step;

	testpmd_parse_fwd_stats(out, &st);
	testpmd_failure(out, buf, sizeof(buf));
	memhp_parse_reply(out, "map", &step);
	memhp_parse_reply(out, "unmap", &step);
	free(out);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/* What dpdk-testpmd and dpdk-memhp print, read back into numbers. */
#ifndef INVLAB_TESTPMD_PARSE_H
#define INVLAB_TESTPMD_PARSE_H

#include <stdbool.h>
#include <stddef.h>

struct testpmd_fwd_stats {
	unsigned long long rx_packets, rx_dropped;
	unsigned long long tx_packets, tx_dropped;
};

/*
 * The "Accumulated forward statistics for all ports" block that testpmd's
 * "stop" prints (the last one in out). -1 when out has none.
 */
int testpmd_parse_fwd_stats(const char *out, struct testpmd_fwd_stats *st);

/*
 * The first line of a command's output that says it failed ("Fail to
 * start port 0", "Invalid port 0", "No probed ethernet devices", ...),
 * copied into buf; false when there is none.
 */
bool testpmd_failure(const char *out, char *buf, size_t len);

/* One reply of dpdk-memhp: "map ok us=U events=E bytes=B". */
struct memhp_step {
	double us; /* rte_malloc or rte_free, in microseconds */
	unsigned int events; /* memory events: ranges added or removed */
	unsigned long long bytes; /* bytes in them */
};

/* verb is "map" or "unmap"; -1 when out is not its "ok" reply. */
int memhp_parse_reply(const char *out, const char *verb, struct memhp_step *st);

#endif

// SPDX-License-Identifier: GPL-2.0
#include "testpmd_parse.h"

#include <stdio.h>
#include <string.h>

/* The number after "key:" at or after p, within the line block. */
static int field(const char *p, const char *key, unsigned long long *v)
{
	const char *at = strstr(p, key);

	return at && sscanf(at + strlen(key), " %llu", v) == 1 ? 0 : -1;
}

int testpmd_parse_fwd_stats(const char *out, struct testpmd_fwd_stats *st)
{
	const char *blk = NULL, *p;

	for (p = out; (p = strstr(p, "Accumulated forward statistics")); p++)
		blk = p;
	memset(st, 0, sizeof(*st));
	if (!blk)
		return -1;
	return field(blk, "RX-packets:", &st->rx_packets) ||
			       field(blk, "RX-dropped:", &st->rx_dropped) ||
			       field(blk, "TX-packets:", &st->tx_packets) ||
			       field(blk, "TX-dropped:", &st->tx_dropped) ?
		       -1 :
		       0;
}

/* Line starts (after blanks) of testpmd's and the EAL's failure messages. */
static const char *const failures[] = {
	"Fail to",
	"Fail:",
	"Invalid port",
	"Cannot",
	"Please stop",
	"No probed ethernet devices",
	"testpmd: No probed ethernet devices",
	"error:",
	"map failed",
	"Bad arguments",
	"Command not found",
};

bool testpmd_failure(const char *out, char *buf, size_t len)
{
	const char *line = out;

	while (line && *line) {
		const char *eol = strchr(line, '\n'), *s = line;
		size_t n;

		while (*s == ' ' || *s == '\t')
			s++;
		n = eol ? (size_t)(eol - s) : strlen(s);
		for (size_t i = 0; i < sizeof(failures) / sizeof(failures[0]);
		     i++) {
			size_t k = strlen(failures[i]);

			if (n >= k && !strncmp(s, failures[i], k)) {
				snprintf(buf, len, "%.*s", (int)n, s);
				return true;
			}
		}
		line = eol ? eol + 1 : NULL;
	}
	return false;
}

int memhp_parse_reply(const char *out, const char *verb, struct memhp_step *st)
{
	const char *p;
	size_t k = strlen(verb);

	memset(st, 0, sizeof(*st));
	/* the reply line starts with "VERB ok " (the echo of the command
	 * is only testpmd's habit; memhp does not echo)
	 */
	for (p = out; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, verb, k) && !strncmp(p + k, " ok ", 4))
			break;
	}
	if (!p)
		return -1;
	return sscanf(p + k, " ok us=%lf events=%u bytes=%llu", &st->us,
		      &st->events, &st->bytes) == 3 ?
		       0 :
		       -1;
}

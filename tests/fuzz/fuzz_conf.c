// SPDX-License-Identifier: GPL-2.0
/* bench/src/lib/conf.h: any INI text, then every lookup a reader makes. */
#include "fuzz.h"

#include "lib/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = fuzz_write("in.conf", data, size), err[ERRLEN];
	struct strv secs = { 0 };
	struct conf c;
	long v;

	if (conf_load(path, &c, err, sizeof(err))) {
		free(path);
		return 0;
	}
	conf_sections(&c, &secs);
	for (size_t i = 0; i < secs.n; i++)
		conf_has_section(&c, secs.v[i]);
	for (size_t i = 0; i < c.n; i++) {
		conf_get(&c, c.e[i].section, c.e[i].key);
		conf_require(&c, c.e[i].section, c.e[i].key, err, sizeof(err));
		conf_get_long(&c, c.e[i].section, c.e[i].key, 0, -100, 1L << 40,
			      &v, err, sizeof(err));
	}
	conf_require(&c, "suite", "kernels", err, sizeof(err));
	strv_free(&secs);
	conf_free(&c);
	free(path);
	return 0;
}

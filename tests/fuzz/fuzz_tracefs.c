// SPDX-License-Identifier: GPL-2.0
/* bpf/tracefs.h: lines of the text trace, and their fields. */
#include "fuzz.h"

#include "bpf/tracefs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_str(data, size), *save = NULL, event[64], word[64];
	const char *fields;
	uint64_t v;

	for (char *l = strtok_r(text, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		if (tracefs_parse_line(l, event, sizeof(event), &fields))
			continue;
		tracefs_field_u64(fields, "opcode", &v);
		tracefs_field_u64(fields, "n", &v);
		tracefs_field_str(fields, "kind", word, sizeof(word));
		tracefs_field_str(fields, "k", word, 2);
	}
	free(text);
	return 0;
}

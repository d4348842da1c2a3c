// SPDX-License-Identifier: GPL-2.0
/*
 * bench/src/run/doctor.h's readers of files: a host's device allowlist
 * (/etc/invlab/devices) and an AMD IOMMU unit's amd-iommu/features.
 */
#include "fuzz.h"

#include "run/doctor.h"

static const char *const devices[] = {
	"/dev/nvme1n1", "0000:41:00.0", "serial:invlab-nvme0", "", "#",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *efr;
	unsigned long long v;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(devices); i++)
		doctor_allowlist_has(text, devices[i]);
	efr = doctor_efr_text(text, &v);
	free(efr);
	free(text);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
#include "fio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"

int fio_run(const char *jobfile, const char *device, const char *generic,
	    long runtime_s, const char *json_path, char *err, size_t err_len)
{
	char runtime[32], *out_opt, *job = read_file(jobfile, NULL);
	int status;

	/* A passthrough job on a kernel without the char device would make
	 * fio fail on an empty file name: say what is missing instead.
	 */
	if (job && strstr(job, "${NG_DEVICE}") && !generic[0]) {
		free(job);
		return seterr(
			err, err_len,
			"%s needs the NVMe generic char device of %s (/dev/ngXnY), which this kernel does not have",
			jobfile, device);
	}
	free(job);

	snprintf(runtime, sizeof(runtime), "%ld", runtime_s);
	/* fio expands ${DEVICE}, ${NG_DEVICE} and ${RUNTIME} in the job file; --readonly
	 * makes it refuse writes, so no job file can damage the device.
	 */
	setenv("DEVICE", device, 1);
	setenv("NG_DEVICE", generic, 1);
	setenv("RUNTIME", runtime, 1);
	out_opt = xasprintf("--output=%s", json_path);
	status = run_cmd((char *const[]){ "fio", "--readonly", "--eta=never",
					  "--output-format=json", out_opt,
					  (char *)jobfile, NULL },
			 NULL);
	free(out_opt);
	if (status == 127 || status == -2)
		return seterr(
			err, err_len,
			"fio is not installed (it comes with the lab rootfs, or 'apt-get install fio')");
	if (status)
		return seterr(err, err_len,
			      "fio %s on %s exited with status %d", jobfile,
			      device, status);
	return 0;
}

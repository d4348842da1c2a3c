/* SPDX-License-Identifier: GPL-2.0 */
/*
 * invlab run: one suite cell on this machine (a lab guest or a real AMD
 * host). The framework every workload runs in (workloads/workload.h): it
 * loads the suite, resolves the device, runs the kernel checks, attaches
 * the probe set, runs the warm-up and measured windows with a probe
 * snapshot around each, stops on Ctrl-C and writes result.json: atomically,
 * after every window, "incomplete" until the last one, so an interrupted
 * run keeps every finished window and never looks complete.
 */
#ifndef INVLAB_RUN_H
#define INVLAB_RUN_H

struct run_opts {
	const char *suite; /* a name under bench/suites, or a path */
	const char *out; /* the cell's directory */
	const char *lab_context; /* written by the host of a QEMU lab */
	const char *device; /* overrides [workload] device */
	long runtime; /* 0: the suite's */
	long repetitions; /* 0: the suite's */
	const char *allow_rebind; /* PCI address the user lets invlab move */
	const char *allow_knobs; /* module parameters it may write: "a.b,c.d" */
	const char *params; /* the [matrix] point: "name=value,..." */
};

/* 0 complete, 1 a window or check failed (result kept), 2 bad input. */
int run_suite(const struct run_opts *o);

#endif

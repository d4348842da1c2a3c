/* SPDX-License-Identifier: GPL-2.0 */
/*
 * invlab doctor: whether this machine can run a suite, item by item (root,
 * the AMD IOMMU and its features, interrupt remapping, DMA modes, BTF, the
 * lab tracepoints, the probes attaching, the IOMMU PMU, free space, the
 * suite's device, modules and kernel settings), each ok, reduced (the run
 * goes on with less: what it costs is said) or missing (the run cannot),
 * with how to fix it. invlab run makes the same checks first and refuses
 * on a missing item, before it writes anything.
 */
#ifndef INVLAB_DOCTOR_H
#define INVLAB_DOCTOR_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "run/suite.h"

/* The device allowlist of a host: one device a line (docs/real-host.md). */
#define DOCTOR_ALLOW_FILE "/etc/invlab/devices"

enum doctor_verdict {
	DOCTOR_OK,
	DOCTOR_REDUCED, /* runs, measuring less */
	DOCTOR_MISSING, /* cannot run */
};

struct doctor_item {
	char *name;
	enum doctor_verdict v;
	char *what; /* what was found */
	char *fix; /* how to fix it, or what it costs; NULL when ok */
};

struct doctor {
	struct doctor_item *items;
	size_t n, cap;
	bool lab_guest;
};

struct doctor_opts {
	const char *root; /* "" on a live system; a fake tree in the tests */
	const struct suite *s; /* NULL: the checks every suite needs */
	const struct strv *params; /* its matrix point, or NULL */
	const char *device; /* --device: overrides the suite's */
	const char *allow_rebind; /* --allow-rebind */
	const char *allow_knobs; /* --allow-knob */
	const char *allow_file; /* NULL: DOCTOR_ALLOW_FILE */
	/* where results go (free space of its nearest existing ancestor) */
	const char *out_dir;
	bool attach; /* attach the suite's probes and detach them */
	/* invlab run: it resolves the NVMe itself, waiting for its probe */
	bool device_later;
};

/*
 * Whether text, a device allowlist (one device a line; blanks around it
 * and a # comment after it ignored), names device.
 */
bool doctor_allowlist_has(const char *text, const char *device);
/* A QEMU lab guest (invlab.lab=1 on root's /proc/cmdline). */
bool doctor_lab_guest(const char *root);
/*
 * Every value of every matrix parameter as NAME=VALUE: what to check the
 * knobs of when no one point is given.
 */
void doctor_all_values(const struct matrix *m, struct strv *kv);
/* Every check; how many items are missing. */
size_t doctor_run(const struct doctor_opts *o, struct doctor *d);
/* One line an item: "ok      NAME: what", then "        fix: ...". */
void doctor_print(const struct doctor *d, FILE *f);
/*
 * What invlab run and invlab lab --host check first: the checks of o
 * (o->s set), and when an item is missing, -1 with err naming the suite
 * and every missing item with its fix (suite_arg: as the user gave it);
 * show, when not NULL, gets every item first. 0: nothing missing.
 */
int doctor_gate(const struct doctor_opts *o, const char *suite_arg, FILE *show,
		char *err, size_t len);
json_object *doctor_json(const struct doctor *d);
void doctor_free(struct doctor *d);
/*
 * The AMD IOMMU's Extended Feature Register as the driver shows it
 * (amd-iommu/features: "EFR:EFR2" in hex), decoded: "GT IA GA HE PC
 * HATS=2 ..."; NULL when it does not parse. Freed by the caller.
 */
char *doctor_efr_text(const char *features, unsigned long long *efr);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A cell's result over its boots: DIR/CELL/result.json, what compare,
 * report, show and nightly read, made from each boot's own result
 * (DIR/CELL/boot-N/result.json, kept as the guest wrote it).
 */
#ifndef INVLAB_MERGE_H
#define INVLAB_MERGE_H

#include <stddef.h>

#include "plan.h"

/*
 * Rewrite DIR/CELL/result.json (and selfcheck.json when the boots have
 * one) from the cell's boots in r's record. The first boot with a result
 * gives the context, probes and workload; the samples (and overhead.off)
 * of every boot with a result follow in boot order, each with its "boot";
 * "boots" lists every boot's directory, status and error. Its status is
 * complete when every boot of the run is, failed when one failed, else
 * incomplete. -1 with err when it cannot be written.
 */
int lab_cell_merge(const struct lab_run *r, const struct lab_cell *cell,
		   char *err, size_t len);

#endif

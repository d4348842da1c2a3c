/* SPDX-License-Identifier: GPL-2.0 */
/* invlab run's windows for the hDomID fan-out sweep (workload iommufd-sweep). */
#ifndef INVLAB_RUN_SWEEP_H
#define INVLAB_RUN_SWEEP_H

#include <json-c/json.h>
#include <stdbool.h>

#include "cmdq_probe.h"
#include "fanout_probe.h"
#include "suite.h"
#include "util.h"

/*
 * Build the sweep on the suite's device at the matrix point's hdomids and
 * viommus, then per window map `cycles` buffers at distinct IOVAs and unmap
 * them, reading the probes around each phase; append one sample per
 * window to samples and rewrite path after each. Torn down on any exit.
 */
int sweep_windows(const struct suite *s, const struct strv *params,
		  bool may_rebind, struct cmdq_probe *probe,
		  struct fanout_probe *fan, json_object *doc, const char *path,
		  volatile int *interrupted, char *err, size_t len);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two levels of a run's noise, drawn: for a headline noisy metric,
 * every window of every boot and each boot's median, per cell
 * (plots/boots.gp), so a reader sees how boots differ and how little the
 * windows of one boot do.
 */
#ifndef INVLAB_PLOT_BOOTS_H
#define INVLAB_PLOT_BOOTS_H

#include "analysis/runtab.h"
#include "plot.h"

/*
 * One plot per headline noisy metric the run has (IOPS, clat p99, the
 * workloads' latencies); none, with the reason, when no cell booted twice.
 */
int plot_boots(struct plot_set *ps, const struct run *r, char *err,
	       size_t err_len);

#endif

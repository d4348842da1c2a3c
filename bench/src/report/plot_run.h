/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The plots of one run's cells: the IOMMU command mix of each cell, and
 * each key metric against a parameter the cells vary (param_lines.h). The
 * fan-out histograms are plot_hist.h's.
 */
#ifndef INVLAB_PLOT_RUN_H
#define INVLAB_PLOT_RUN_H

#include "plot.h"
#include "analysis/runtab.h"

/* Stacked bars of the cmds_per_io.OPCODE medians, a bar per cell. */
int plot_cmd_mix(struct plot_set *ps, const struct run *r, char *err,
		 size_t err_len);

/*
 * The parameters of cell c as "name=value": run.json kernels[].params, then
 * result.json workload.params (a name given by both: run.json's). *kernel:
 * the kernel label of its run.json entry (the cell id if none).
 */
void cell_params(const struct run *r, const struct cell *c, struct strv *params,
		 const char **kernel);

/*
 * For every parameter some cells differ in alone: iops, clat_p99_us,
 * cmds_per_io and each samples[].metrics entry against it, a line per
 * value of the other parameters and kernel; medians over windows.
 */
int plot_param_lines(struct plot_set *ps, const struct run *r, char *err,
		     size_t err_len);

#endif

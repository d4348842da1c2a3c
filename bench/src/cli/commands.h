/* SPDX-License-Identifier: GPL-2.0 */
/* The invlab subcommands; each parses its own arguments (argp). */
#ifndef INVLAB_COMMANDS_H
#define INVLAB_COMMANDS_H

#include <argp.h>

int cmd_run(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_lab(int argc, char **argv);
int cmd_selfcheck(int argc, char **argv);
int cmd_report(int argc, char **argv);
/* The one RUN_DIR argument of report and show (argp; doc: its --help). */
const char *parse_run_dir(int argc, char **argv, const char *doc);
int cmd_show(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_bisect(int argc, char **argv);
int cmd_bisect_step(int argc, char **argv);
int cmd_nightly(int argc, char **argv);
int cmd_bench(int argc, char **argv);

#endif

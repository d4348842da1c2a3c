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
/* The one RUN_DIR argument of report (argp; doc: its --help). */
const char *parse_run_dir(int argc, char **argv, const char *doc);
/*
 * The argp parser of that argument, for a command with options of its
 * own: its input begins with the const char * the directory goes in.
 */
error_t run_dir_parse(int key, char *arg, struct argp_state *state);
int cmd_show(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_bisect(int argc, char **argv);
int cmd_bisect_step(int argc, char **argv);
int cmd_nightly(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_lava_job(int argc, char **argv);

#endif

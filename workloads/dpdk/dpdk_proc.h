/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A DPDK program (dpdk-testpmd -i, dpdk-memhp) driven over pipes: one
 * command line in, its output up to the next prompt back. The child runs
 * in its own process group, so a Ctrl-C aimed at invlab does not reach it:
 * invlab stops it itself (quit, then SIGTERM, then SIGKILL to the group)
 * and only then gives the NIC back to its driver. PR_SET_PDEATHSIG ends it
 * if invlab dies without that chance.
 */
#ifndef INVLAB_DPDK_PROC_H
#define INVLAB_DPDK_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

struct dpdk_proc {
	char name[32]; /* "testpmd", for messages */
	const char *prompt; /* "testpmd> " */
	pid_t pid; /* 0: not running */
	int in, out; /* its stdin, its stdout and stderr */
	char *buf; /* output since the last prompt */
	size_t len, cap;
	FILE *log; /* everything it printed and was sent, or NULL */
	volatile int *interrupted; /* a wait gives up when this is set */
	int status; /* wait status once it exited */
};

/*
 * Start argv[0] (found in PATH) with its output logged to log_path (NULL:
 * none), and wait up to timeout_s for its first prompt.
 */
int dpdk_proc_start(struct dpdk_proc *p, const char *name, char *const argv[],
		    const char *prompt, const char *log_path,
		    volatile int *interrupted, double timeout_s, char *err,
		    size_t len);

/*
 * Send one command line and wait up to timeout_s for the prompt after
 * it. *out is the program's output for it (echo included, prompt not),
 * valid until the next call. -1 with err on a timeout, the program's exit
 * or an interrupt.
 */
int dpdk_proc_cmd(struct dpdk_proc *p, const char *cmd, double timeout_s,
		  const char **out, char *err, size_t len);

/*
 * End the program: quit_cmd (may be NULL) and up to timeout_s for it to
 * exit, then SIGTERM and SIGKILL to its process group. Returns its exit
 * status (0 for a clean quit), or -1 when it had to be killed.
 */
int dpdk_proc_stop(struct dpdk_proc *p, const char *quit_cmd, double timeout_s);

/* The last bytes it printed, for an error message. */
const char *dpdk_proc_tail(const struct dpdk_proc *p, size_t n);

#endif

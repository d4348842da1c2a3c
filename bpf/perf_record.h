/* SPDX-License-Identifier: GPL-2.0 */
/*
 * [probes] perf_record = yes: `perf record -a -g` for the whole run, with
 * the probes running, into OUT/perf.data (kept with the run): where the
 * CPU time of the invalidation paths goes. Under QEMU there is no hardware
 * PMU and perf falls back to the cpu-clock software event; the result
 * records the events perf used (perf evlist).
 */
#ifndef INVLAB_PERF_RECORD_H
#define INVLAB_PERF_RECORD_H

#include <json-c/json.h>
#include <sys/types.h>

struct perf_record {
	pid_t pid;
	char data[4096]; /* OUT/perf.data */
	/*
	 * where perf writes: a local temporary directory, since perf's
	 * writes from its mmap'd buffers fail on a 9p output (EFAULT)
	 */
	char tmpdir[64];
	char tmp[128];
	char log[4096]; /* perf's own messages */
	/* perf's control FIFOs: invlab enables the events and waits for
	 * the ack, so the recording covers the windows
	 */
	char ctl[128], ack[128];
	double ready_s; /* from exec to events enabled */
};

/* How long perf may take to get ready (it reads every module's and BPF
 * program's symbols first: about 10 s under TCG on a stock kernel).
 */
#define PERF_RECORD_READY_TIMEOUT_S 240

/*
 * Start it with its events disabled, enable them through its control FIFO
 * and wait for perf's ack: until then perf is still setting up and records
 * nothing. -1 with err (perf stopped) if perf cannot be started or is not
 * ready in time.
 */
int perf_record_start(struct perf_record *p, const char *out_dir, char *err,
		      size_t err_len);
/*
 * Stop it (SIGINT: perf writes its header and exits) and describe the
 * recording: {"file", "bytes", "samples", "events", "log"}, or {"error"}
 * when perf failed or wrote nothing.
 */
json_object *perf_record_stop(struct perf_record *p);

/* "[ perf record: ... (N samples) ]": N, or -1 when the log lacks it. */
long perf_record_samples(const char *log);

#endif

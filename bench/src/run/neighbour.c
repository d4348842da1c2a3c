// SPDX-License-Identifier: GPL-2.0
#include "neighbour.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/json_util.h"
#include "lib/util.h"

void neighbour_init(struct neighbour *n, const struct suite *s, const char *out,
		    json_object *workload)
{
	json_object *o = json_object_new_object();

	n->s = s;
	n->out = out;
	json_object_object_add(o, "type", json_object_new_string("fio"));
	json_object_object_add(o, "job",
			       json_object_new_string(s->neighbour_job));
	json_object_object_add(o, "node", json_object_new_string(n->dev.node));
	json_object_object_add(o, "pci", json_object_new_string(n->dev.pci));
	json_object_object_add(o, "ramp_ms",
			       json_object_new_int64(s->neighbour_ramp_ms));
	json_object_object_add(workload, "neighbour", o);
}

/* Reads completed on the block device node (/sys/block/NAME/stat), or -1. */
static long long reads_done(const char *node)
{
	const char *name = strrchr(node, '/');
	char *path = xasprintf("/sys/block/%s/stat", name ? name + 1 : node);
	char *line = read_line(path);
	long long n = -1;

	if (line && sscanf(line, "%lld", &n) != 1)
		n = -1;
	free(line);
	free(path);
	return n;
}

static void sleep_ms(long ms)
{
	nanosleep(&(struct timespec){ ms / 1000, (ms % 1000) * 1000000 }, NULL);
}

int neighbour_start(struct neighbour *n, int rep, char *err, size_t len)
{
	char *path = xasprintf("%s/neighbour-fio-%d.json", n->out, rep);
	long long r0 = reads_done(n->dev.node);
	int ret;

	ret = fio_bg_start(&n->bg, n->s->neighbour_job, n->dev.node,
			   n->dev.generic, path, err, len);
	free(path);
	if (ret)
		return ret;
	/* fio takes its time to start under TCG: the window begins once its
	 * reads do, then the ramp
	 */
	for (int i = 0; r0 >= 0 && reads_done(n->dev.node) <= r0; i++) {
		if (i == 600) {
			fio_bg_stop(&n->bg, NULL, err, len);
			return seterr(
				err, len,
				"the neighbour's fio did not start reading %s within 60 s",
				n->dev.node);
		}
		sleep_ms(100);
	}
	sleep_ms(n->s->neighbour_ramp_ms);
	return 0;
}

int neighbour_stop(struct neighbour *n, bool keep, char *err, size_t len)
{
	return fio_bg_stop(&n->bg, keep ? &n->m : NULL, err, len);
}

void neighbour_sample(const struct neighbour *n, json_object *sample)
{
	json_object *metrics;

	json_object_object_add(sample, "neighbour", fio_metrics_json(&n->m));
	if (!json_object_object_get_ex(sample, "metrics", &metrics)) {
		metrics = json_object_new_object();
		json_object_object_add(sample, "metrics", metrics);
	}
	json_object_object_add(metrics, "neighbour.iops", json_num(n->m.iops));
	json_object_object_add(metrics, "neighbour.clat_p50_us",
			       json_num(n->m.clat_p50_ns / 1000));
	json_object_object_add(metrics, "neighbour.clat_p99_us",
			       json_num(n->m.clat_p99_ns / 1000));
	json_object_object_add(metrics, "neighbour.clat_p99_9_us",
			       json_num(n->m.clat_p999_ns / 1000));
}

void neighbour_free(struct neighbour *n)
{
	char ignored[ERRLEN];

	fio_bg_stop(&n->bg, NULL, ignored, sizeof(ignored));
}

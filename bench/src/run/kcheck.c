// SPDX-License-Identifier: GPL-2.0
#include "kcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/iommufd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "bpf/iommu_cmd.h"
#include "workloads/common/iommufd_dev.h"
#include "bpf/iommu_cmd_names.h"
#include "lib/result.h"
#include "bpf/tracefs.h"
#include "lib/util.h"

const char *const kcheck_events[] = {
	"amd_iommu_cmd_queued",		 "amd_iommu_completion_wait_begin",
	"amd_iommu_completion_wait_end", "amd_iommu_flush_begin",
	"amd_iommu_flush_end",		 NULL,
};

#define KNOB_PATH "/sys/module/amd_iommu_lab/parameters/"

/* A lab knob: 1 on, 0 off, -1 not in this kernel. */
static int knob(const char *name)
{
	char *p = xasprintf(KNOB_PATH "%s", name), *v = read_line(p);
	int ret = v ? (v[0] == 'Y' || v[0] == '1') : -1;

	free(v);
	free(p);
	return ret;
}

static json_object *knob_json(int v)
{
	return v < 0 ? NULL : json_object_new_boolean(v);
}

/* count[name]++ in a JSON object of counters. */
static void bump(json_object *o, const char *name)
{
	json_object *c;

	if (json_object_object_get_ex(o, name, &c))
		json_object_set_int64(c, json_object_get_int64(c) + 1);
	else
		json_object_object_add(o, name, json_object_new_int64(1));
}

static int read_burst(const char *node, long reads, char *err, size_t len)
{
	int fd = open(node, O_RDONLY | O_DIRECT | O_CLOEXEC);
	uint64_t size = 0, blocks;
	void *buf = NULL;
	int ret = -1;

	if (fd < 0)
		return seterr(err, len, "cannot open %s: %s", node,
			      strerror(errno));
	if (ioctl(fd, BLKGETSIZE64, &size) || size < 4096) {
		seterr(err, len, "cannot size %s", node);
		goto out;
	}
	if (posix_memalign(&buf, 4096, 4096)) {
		seterr(err, len, "out of memory");
		goto out;
	}
	blocks = size / 4096;
	for (long i = 0; i < reads; i++) {
		/* Spread over the device so no read is served twice. */
		off_t off = (off_t)(((uint64_t)i * 7919) % blocks) * 4096;

		if (pread(fd, buf, 4096, off) != 4096) {
			seterr(err, len, "read of %s at %lld failed: %s", node,
			       (long long)off, strerror(errno));
			goto out;
		}
	}
	ret = 0;
out:
	free(buf);
	close(fd);
	return ret;
}

/* Count the events of an instance's trace into o. */
static void count_trace(const char *inst, json_object *o)
{
	char *path = xasprintf("%s/trace", inst);
	FILE *f = fopen(path, "r");
	json_object *events = json_object_new_object();
	json_object *ops = json_object_new_object();
	json_object *kinds = json_object_new_object();
	char *line = NULL, ev[64], word[32];
	size_t cap = 0;
	const char *fields;
	uint64_t v;

	while (f && getline(&line, &cap, f) > 0) {
		if (tracefs_parse_line(line, ev, sizeof(ev), &fields))
			continue;
		bump(events, ev);
		if (!strcmp(ev, "amd_iommu_cmd_queued") &&
		    !tracefs_field_u64(fields, "opcode", &v))
			bump(ops, iommu_cmd_name((unsigned int)v));
		if (!strcmp(ev, "amd_iommu_flush_begin") &&
		    !tracefs_field_str(fields, "kind", word, sizeof(word)))
			bump(kinds, word);
	}
	free(line);
	if (f)
		fclose(f);
	free(path);
	json_object_object_add(o, "events", events);
	json_object_object_add(o, "commands_by_opcode", ops);
	json_object_object_add(o, "flushes_by_kind", kinds);
}

static int64_t count_of(json_object *o, const char *key, const char *name)
{
	json_object *m, *c;

	if (!json_object_object_get_ex(o, key, &m) ||
	    !json_object_object_get_ex(m, name, &c))
		return 0;
	return json_object_get_int64(c);
}

static json_object *check_tracepoints(const struct kcheck_opts *o)
{
	json_object *r = json_object_new_object();
	json_object *present = json_object_new_array();
	json_object *missing = json_object_new_array();
	const char *root = tracefs_root();
	struct strv names = { 0 };
	char err[ERRLEN] = "", *inst = NULL;
	bool ok = false;

	json_object_object_add(r, "present", present);
	json_object_object_add(r, "missing", missing);
	if (!root) {
		seterr(err, sizeof(err), "tracefs is not mounted");
		goto out;
	}
	tracefs_events(root, "amd_iommu", &names);
	for (int i = 0; kcheck_events[i]; i++) {
		bool have = false;

		for (size_t j = 0; j < names.n; j++)
			have |= !strcmp(names.v[j], kcheck_events[i]);
		json_object_array_add(have ? present : missing,
				      json_object_new_string(kcheck_events[i]));
	}
	if (json_object_array_length(missing)) {
		seterr(err, sizeof(err),
		       "%zu of the amd_iommu tracepoints are missing from %s/events: not a lab kernel (kernel/patches)?",
		       json_object_array_length(missing), root);
		goto out;
	}
	inst = tracefs_instance_create(root, "invlab-kcheck", err, sizeof(err));
	if (!inst)
		goto out;
	if (tracefs_write(inst, "tracing_on", "0", err, sizeof(err)) ||
	    tracefs_write(inst, "buffer_size_kb", "8192", err, sizeof(err)) ||
	    tracefs_write(inst, "trace", "", err, sizeof(err)) ||
	    tracefs_write(inst, "events/amd_iommu/enable", "1", err,
			  sizeof(err)) ||
	    tracefs_write(inst, "tracing_on", "1", err, sizeof(err)))
		goto out;
	if (read_burst(o->read_node, o->reads, err, sizeof(err)))
		goto out;
	if (tracefs_write(inst, "tracing_on", "0", err, sizeof(err)) ||
	    tracefs_write(inst, "events/amd_iommu/enable", "0", err,
			  sizeof(err)))
		goto out;
	json_object_object_add(r, "device",
			       json_object_new_string(o->read_node));
	json_object_object_add(r, "reads", json_object_new_int64(o->reads));
	json_object_object_add(
		r, "overrun",
		json_object_new_int64((int64_t)tracefs_overrun(inst)));
	count_trace(inst, r);
	/* Fired for the reads: commands, their flushes and their waits. */
	ok = count_of(r, "events", "amd_iommu_cmd_queued") >= o->reads &&
	     count_of(r, "flushes_by_kind", "domain_pages") >= o->reads &&
	     count_of(r, "events", "amd_iommu_completion_wait_end") >=
		     o->reads &&
	     tracefs_overrun(inst) == 0;
	if (!ok)
		seterr(err, sizeof(err),
		       "the tracepoints did not fire at least once per read (or events were lost)");
out:
	if (inst) {
		tracefs_write(inst, "events/amd_iommu/enable", "0", NULL, 0);
		tracefs_instance_remove(inst);
		free(inst);
	}
	strv_free(&names);
	json_object_object_add(r, "ok", json_object_new_boolean(ok));
	json_object_object_add(r, "error",
			       err[0] ? json_object_new_string(err) : NULL);
	return r;
}

bool kcheck_nest_parent_expected(int knob, int alloc_ret)
{
	/* Knob on: allowed. Off or absent: refused as upstream refuses it. */
	return knob == 1 ? alloc_ret == 0 : alloc_ret == -EOPNOTSUPP;
}

static json_object *check_nest_parent(const struct kcheck_opts *o)
{
	json_object *r = json_object_new_object();
	struct iommufd_dev d;
	char err[ERRLEN] = "";
	int k = knob("nest_parent"), ret;
	uint32_t hwpt = 0;
	bool ok = false;

	json_object_object_add(r, "device",
			       json_object_new_string(o->nest_parent_pci));
	json_object_object_add(r, "knob", knob_json(k));
	if (vfio_pci_bind("/sys", o->nest_parent_pci, o->may_rebind, err,
			  sizeof(err)) ||
	    iommufd_dev_open("/sys", o->nest_parent_pci, &d, err, sizeof(err)))
		goto out;
	ret = iommufd_hwpt_alloc(&d, IOMMU_HWPT_ALLOC_NEST_PARENT, &hwpt);
	json_object_object_add(r, "allocated", json_object_new_boolean(!ret));
	json_object_object_add(
		r, "errno",
		ret ? json_object_new_string(strerrorname_np(-ret)) : NULL);
	if (!ret)
		iommufd_destroy(&d, hwpt);
	iommufd_dev_close(&d);
	ok = kcheck_nest_parent_expected(k, ret);
	if (!ok)
		seterr(err, sizeof(err),
		       "nest parent HWPT %s with amd_iommu_lab.nest_parent %s; expected %s",
		       ret ? "refused" : "allocated",
		       k < 0 ? "absent" :
		       k     ? "on" :
			       "off",
		       k == 1 ? "an allocation" : "EOPNOTSUPP");
out:
	json_object_object_add(
		r, "expected",
		json_object_new_string(k == 1 ? "allocated" :
						"refused: EOPNOTSUPP"));
	json_object_object_add(r, "ok", json_object_new_boolean(ok));
	json_object_object_add(r, "error",
			       err[0] ? json_object_new_string(err) : NULL);
	return r;
}

json_object *kcheck_run(const struct kcheck_opts *o, json_object *context)
{
	json_object *r = json_object_new_object(), *c, *ir;
	bool ok = true;

	if (o->tracepoints) {
		c = check_tracepoints(o);
		ok &= json_object_get_boolean(json_object_object_get(c, "ok"));
		json_object_object_add(r, "tracepoints", c);
	}
	if (o->intremap) {
		const char *v = NULL;

		c = json_object_new_object();
		if (json_object_object_get_ex(context, "iommu", &ir) &&
		    json_object_object_get_ex(ir, "interrupt_remapping", &ir))
			v = json_object_get_string(ir);
		json_object_object_add(c, "state",
				       v ? json_object_new_string(v) : NULL);
		json_object_object_add(
			c, "ok",
			json_object_new_boolean(v && !strcmp(v, "enabled")));
		ok &= v && !strcmp(v, "enabled");
		json_object_object_add(r, "interrupt_remapping", c);
	}
	if (o->nest_parent_pci) {
		c = check_nest_parent(o);
		ok &= json_object_get_boolean(json_object_object_get(c, "ok"));
		json_object_object_add(r, "nest_parent", c);
	}
	json_object_object_add(r, "ok", json_object_new_boolean(ok));
	return r;
}

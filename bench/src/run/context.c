// SPDX-License-Identifier: GPL-2.0
#include "context.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "lib/json_util.h"
#include "lib/util.h"
#include "version.h"

static json_object *str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

char *context_kernel_log(void)
{
	int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *buf;
	int n;

	if (size <= 0)
		return NULL;
	buf = xcalloc(size + 1, 1);
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, size);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

/* Call fn on each line of log; the last verdict it returns that is not
 * NULL wins.
 */
static const char *scan_lines(const char *log, const char *init,
			      const char *(*fn)(const char *line, size_t n))
{
	const char *state = init, *p, *eol, *v;

	for (p = log; p && *p; p = eol ? eol + 1 : NULL) {
		eol = strchr(p, '\n');
		v = fn(p, eol ? (size_t)(eol - p) : strlen(p));
		if (v)
			state = v;
	}
	return state;
}

static const char *intremap_line(const char *p, size_t n)
{
	if (memmem(p, n, "Interrupt remapping enabled", 27))
		return "enabled";
	if (memmem(p, n, "Disabling interrupt remapping", 29))
		return "disabled";
	return NULL;
}

static const char *dma_mode_line(const char *p, size_t n)
{
	if (memmem(p, n, "Using strict mode", 17) ||
	    memmem(p, n, "invalidation policy: strict", 27))
		return "strict";
	if (memmem(p, n, "invalidation policy: lazy", 25))
		return "lazy";
	return NULL;
}

const char *context_intremap(const char *log)
{
	return scan_lines(log, "unknown", intremap_line);
}

const char *context_dma_mode(const char *log)
{
	return scan_lines(log, "unknown", dma_mode_line);
}

/* IOMMU-related kernel log lines, for the record. */
static json_object *iommu_log_lines(const char *log)
{
	json_object *arr = json_object_new_array();
	const char *p, *eol;

	for (p = log; p && *p; p = eol ? eol + 1 : NULL) {
		size_t n;

		eol = strchr(p, '\n');
		n = eol ? (size_t)(eol - p) : strlen(p);
		if (memmem(p, n, "AMD-Vi", 6) || memmem(p, n, "iommu:", 6) ||
		    memmem(p, n, "IOMMU", 5))
			json_object_array_add(arr,
					      json_object_new_string_len(p, n));
	}
	return arr;
}

static json_object *iommu_units(void)
{
	json_object *arr = json_object_new_array();
	DIR *d = opendir("/sys/class/iommu");
	struct dirent *de;

	while (d && (de = readdir(d))) {
		json_object *u;
		char *path, *v;

		if (de->d_name[0] == '.')
			continue;
		u = json_object_new_object();
		json_object_object_add(u, "name",
				       json_object_new_string(de->d_name));
		path = xasprintf("/sys/class/iommu/%s/amd-iommu/features",
				 de->d_name);
		v = read_line(path);
		json_object_object_add(u, "features", str_or_null(v));
		free(v);
		free(path);
		path = xasprintf("/sys/class/iommu/%s/amd-iommu/cap",
				 de->d_name);
		v = read_line(path);
		json_object_object_add(u, "cap", str_or_null(v));
		free(v);
		free(path);
		json_object_array_add(arr, u);
	}
	if (d)
		closedir(d);
	return arr;
}

/*
 * The IOMMU's own perf PMUs (amd_iommu_N on real AMD hardware: commands
 * processed, invalidations, IOTLB and DTE hits and misses). QEMU's
 * amd-iommu has none; the result says so rather than leaving it out.
 */
static json_object *iommu_pmus(void)
{
	DIR *d = opendir("/sys/bus/event_source/devices");
	json_object *o = json_object_new_object();
	json_object *names = json_object_new_array();
	struct dirent *de;

	while (d && (de = readdir(d)))
		if (!strncmp(de->d_name, "amd_iommu_", 10))
			json_object_array_add(
				names, json_object_new_string(de->d_name));
	if (d)
		closedir(d);
	json_object_object_add(
		o, "present",
		json_object_new_boolean(json_object_array_length(names) > 0));
	json_object_object_add(o, "pmus", names);
	json_object_object_add(
		o, "note",
		json_object_new_string(
			json_object_array_length(names) ?
				"present; perf stat of its events per window is not implemented yet" :
				"no amd_iommu_N perf PMU on this machine (QEMU's amd-iommu has none)"));
	return o;
}

/*
 * The lab kernel's knobs (amd_iommu_lab.* parameters, kernel/patches), as
 * booleans; null on a kernel without them.
 */
static json_object *lab_knobs(void)
{
	const char *dir = "/sys/module/amd_iommu_lab/parameters";
	DIR *d = opendir(dir);
	json_object *o;
	struct dirent *de;

	if (!d)
		return NULL;
	o = json_object_new_object();
	while ((de = readdir(d))) {
		char *p, *v;

		if (de->d_name[0] == '.')
			continue;
		p = xasprintf("%s/%s", dir, de->d_name);
		v = read_line(p);
		if (v && (!strcmp(v, "Y") || !strcmp(v, "N")))
			json_object_object_add(o, de->d_name,
					       json_object_new_boolean(v[0] ==
								       'Y'));
		else
			json_object_object_add(o, de->d_name, str_or_null(v));
		free(v);
		free(p);
	}
	closedir(d);
	return o;
}

static json_object *kernel_config(const char *release)
{
	const char *const fmts[] = {
		"/boot/config-%s",
		"/usr/lib/modules/%s/config",
		/* the lab's kernel share, for 6.x packages */
		"/run/invlab/kernel/root/boot/config-%s",
	};
	json_object *o = json_object_new_object();
	char hex[65];

	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		char *path = xasprintf(fmts[i], release);

		if (sha256_file(path, hex) == 0) {
			json_object_object_add(o, "path",
					       json_object_new_string(path));
			json_object_object_add(o, "sha256",
					       json_object_new_string(hex));
			free(path);
			return o;
		}
		free(path);
	}
	json_object_object_add(o, "path", NULL);
	json_object_object_add(o, "sha256", NULL);
	json_object_object_add(
		o, "note",
		json_object_new_string(
			"no kernel config found in /boot or /usr/lib/modules"));
	return o;
}

static json_object *kernel_info(void)
{
	json_object *k = json_object_new_object();
	struct utsname u;
	char *cmdline = read_line("/proc/cmdline");

	uname(&u);
	json_object_object_add(k, "release", json_object_new_string(u.release));
	json_object_object_add(k, "version", json_object_new_string(u.version));
	json_object_object_add(k, "machine", json_object_new_string(u.machine));
	json_object_object_add(k, "cmdline", str_or_null(cmdline));
	json_object_object_add(k, "config", kernel_config(u.release));
	free(cmdline);
	return k;
}

static char *cpuinfo_model(void)
{
	char *info = read_file("/proc/cpuinfo", NULL), *p, *model = NULL;

	if (!info)
		return NULL;
	p = strstr(info, "model name");
	if (p && (p = strchr(p, ':'))) {
		p += 2;
		model = strndup(p, strcspn(p, "\n"));
	}
	free(info);
	return model;
}

static double uptime_s(void)
{
	char *s = read_line("/proc/uptime");
	double up = s ? strtod(s, NULL) : -1;

	free(s);
	return up;
}

static json_object *host_info(void)
{
	json_object *h = json_object_new_object();
	char name[256] = "";
	char *model = cpuinfo_model();
	char *vendor = read_line("/sys/class/dmi/id/sys_vendor");
	char *product = read_line("/sys/class/dmi/id/product_name");

	gethostname(name, sizeof(name) - 1);
	json_object_object_add(h, "hostname", json_object_new_string(name));
	json_object_object_add(h, "cpu_model", str_or_null(model));
	json_object_object_add(
		h, "cpus", json_object_new_int(sysconf(_SC_NPROCESSORS_ONLN)));
	json_object_object_add(
		h, "memory_kib",
		json_object_new_int64((int64_t)sysconf(_SC_PHYS_PAGES) *
				      (sysconf(_SC_PAGESIZE) / 1024)));
	json_object_object_add(h, "dmi_vendor", str_or_null(vendor));
	/* Seconds since boot when the run started: the guest's boot time. */
	json_object_object_add(h, "uptime_s",
			       json_object_new_double(uptime_s()));
	json_object_object_add(h, "dmi_product", str_or_null(product));
	free(model);
	free(vendor);
	free(product);
	return h;
}

json_object *context_collect(const char *lab_json)
{
	json_object *ctx = json_object_new_object();
	json_object *iommu = json_object_new_object();
	char *log = context_kernel_log();

	json_object_object_add(ctx, "invlab_version",
			       json_object_new_string(INVLAB_VERSION));
	json_object_object_add(ctx, "host", host_info());
	json_object_object_add(ctx, "kernel", kernel_info());
	json_object_object_add(iommu, "units", iommu_units());
	json_object_object_add(iommu, "interrupt_remapping",
			       json_object_new_string(context_intremap(log)));
	json_object_object_add(iommu, "dma_mode",
			       json_object_new_string(context_dma_mode(log)));
	json_object_object_add(iommu, "log", iommu_log_lines(log));
	json_object_object_add(iommu, "lab_knobs", lab_knobs());
	json_object_object_add(iommu, "perf_pmu", iommu_pmus());
	json_object_object_add(ctx, "iommu", iommu);
	if (lab_json) {
		char err[ERRLEN];
		json_object *lab = json_file_load(lab_json, "lab context", err,
						  sizeof(err));

		if (!lab) {
			lab = json_object_new_object();
			json_object_object_add(lab, "error",
					       json_object_new_string(err));
		}
		json_object_object_add(ctx, "lab", lab);
	} else {
		json_object_object_add(ctx, "lab", NULL);
	}
	free(log);
	return ctx;
}

// SPDX-License-Identifier: GPL-2.0
#include "iommu_pmu.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int iommu_pmu_find(const char *sysfs, const char *wanted_path,
		   struct iommu_pmu *p, char *err, size_t err_len)
{
	char *dir = xasprintf("%s/bus/event_source/devices", sysfs);
	char *text = read_file(wanted_path, NULL), *save = NULL, *line;
	struct dirent *de;
	DIR *d;

	memset(p, 0, sizeof(*p));
	if (!text) {
		free(dir);
		return seterr(err, err_len, "cannot read %s: %s", wanted_path,
			      strerror(errno));
	}
	d = opendir(dir);
	while (d && (de = readdir(d))) {
		if (!strncmp(de->d_name, "amd_iommu_", 10))
			strv_add(&p->units, de->d_name);
	}
	if (d)
		closedir(d);
	free(dir);
	if (p->units.n)
		qsort(p->units.v, p->units.n, sizeof(char *), cmp_str);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		bool listed = false;

		str_rtrim(line);
		if (!line[0] || line[0] == '#')
			continue;
		for (size_t u = 0; u < p->units.n; u++) {
			char *ev = xasprintf(
				"%s/bus/event_source/devices/%s/events/%s",
				sysfs, p->units.v[u], line);

			if (path_exists(ev)) {
				strv_addf(&p->events, "%s/%s/", p->units.v[u],
					  line);
				listed = true;
			}
			free(ev);
		}
		if (!listed && p->units.n)
			strv_add(&p->skipped, line);
	}
	free(text);
	if (!p->units.n)
		snprintf(
			p->why, sizeof(p->why),
			"no amd_iommu perf PMU on this machine (QEMU's amd-iommu has none)");
	else if (!p->events.n)
		snprintf(p->why, sizeof(p->why),
			 "the amd_iommu PMU lists none of the events in %s",
			 wanted_path);
	return 0;
}

void iommu_pmu_free(struct iommu_pmu *p)
{
	strv_free(&p->units);
	strv_free(&p->events);
	strv_free(&p->skipped);
}

pid_t iommu_pmu_stat_start(const struct iommu_pmu *p, const char *out_path,
			   char *err, size_t err_len)
{
	struct strv argv = { 0 };
	pid_t pid;

	strv_add(&argv, "perf");
	strv_add(&argv, "stat");
	strv_add(&argv, "-a");
	strv_add(&argv, "-x,");
	strv_add(&argv, "-o");
	strv_add(&argv, out_path);
	for (size_t i = 0; i < p->events.n; i++) {
		strv_add(&argv, "-e");
		strv_add(&argv, p->events.v[i]);
	}
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		/* no stdin: perf stat without a command counts until SIGINT */
		if (null >= 0)
			dup2(null, 0);
		execvp("perf", argv.v);
		_exit(127);
	}
	strv_free(&argv);
	if (pid < 0)
		seterr(err, err_len, "fork for perf stat: %s", strerror(errno));
	return pid;
}

int iommu_pmu_stat_stop(pid_t pid)
{
	int status;

	if (pid <= 0)
		return -1;
	kill(pid, SIGINT);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return 127;
	/* perf stat exits 0 or by the SIGINT it was sent */
	return WIFEXITED(status) && WEXITSTATUS(status) ? -1 : 0;
}

json_object *iommu_pmu_parse_csv(const char *text, char *err, size_t err_len)
{
	json_object *o = json_object_new_object();
	char *copy = xstrdup(text), *save = NULL, *line;
	size_t counted = 0;

	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		/* value,unit,event,run time,percentage,... */
		char *f[4] = { 0 }, *p = line;

		if (line[0] == '#' || !line[0])
			continue;
		for (int i = 0; i < 4 && p; i++) {
			f[i] = p;
			p = strchr(p, ',');
			if (p)
				*p++ = '\0';
		}
		if (!f[2] || !f[2][0])
			continue;
		if (f[0][0] == '<') {
			json_object_object_add(o, f[2], NULL);
		} else {
			char *end;
			unsigned long long v = strtoull(f[0], &end, 10);

			if (end == f[0] || (*end && *end != '.'))
				continue;
			json_object_object_add(
				o, f[2], json_object_new_int64((int64_t)v));
			counted++;
		}
	}
	free(copy);
	if (!counted && !json_object_object_length(o)) {
		json_object_put(o);
		seterr(err, err_len, "perf stat output has no counts");
		return NULL;
	}
	return o;
}

// SPDX-License-Identifier: GPL-2.0
#include "nvme_dev.h"

#include <dirent.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/util.h"

/*
 * The generic char device of namespace nvmeXnY is ngXnY: the kernel names
 * both from the same controller and namespace-head instances.
 */
static int find_generic(const char *sysfs, struct nvme_dev *d)
{
	char path[PATH_MAX];
	unsigned int c, ns;

	d->generic[0] = '\0';
	if (sscanf(d->node, "/dev/nvme%un%u", &c, &ns) != 2)
		return 0;
	snprintf(path, sizeof(path), "%s/class/nvme-generic/ng%un%u", sysfs, c,
		 ns);
	if (path_exists(path))
		snprintf(d->generic, sizeof(d->generic), "/dev/ng%un%u", c, ns);
	return 0;
}

/* Fill pci, serial, iommu group and first namespace of controller ctrl. */
static int fill_ctrl(const char *sysfs, const char *ctrl, struct nvme_dev *d,
		     char *err, size_t err_len)
{
	char path[PATH_MAX], link[PATH_MAX];
	struct dirent *de;
	unsigned int best = ~0u;
	ssize_t n;
	char *s;
	DIR *dir;

	snprintf(d->ctrl, sizeof(d->ctrl), "%s", ctrl);
	snprintf(path, sizeof(path), "%s/class/nvme/%s/serial", sysfs, ctrl);
	s = read_line(path);
	if (s) {
		str_rtrim(s);
		snprintf(d->serial, sizeof(d->serial), "%s", s);
		free(s);
	}
	snprintf(path, sizeof(path), "%s/class/nvme/%s/device", sysfs, ctrl);
	n = readlink(path, link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = '\0';
		snprintf(d->pci, sizeof(d->pci), "%s", basename(link));
	}
	snprintf(path, sizeof(path), "%s/class/nvme/%s/device/iommu_group/type",
		 sysfs, ctrl);
	s = read_line(path);
	snprintf(d->iommu_group_type, sizeof(d->iommu_group_type), "%s",
		 s ? s : "none");
	free(s);
	if (d->node[0])
		return find_generic(sysfs, d);
	/* The lowest-numbered namespace: readdir order is no order. */
	snprintf(path, sizeof(path), "%s/class/nvme/%s", sysfs, ctrl);
	dir = opendir(path);
	while (dir && (de = readdir(dir))) {
		size_t len = strlen(ctrl);
		unsigned int ns;
		int end = 0;

		if (strncmp(de->d_name, ctrl, len) ||
		    sscanf(de->d_name + len, "n%u%n", &ns, &end) != 1 ||
		    de->d_name[len + end] || ns >= best)
			continue;
		best = ns;
		snprintf(d->node, sizeof(d->node), "/dev/%s", de->d_name);
	}
	if (dir)
		closedir(dir);
	if (!d->node[0])
		return seterr(err, err_len,
			      "NVMe controller %s has no namespace", ctrl);
	return find_generic(sysfs, d);
}

static int by_serial(const char *sysfs, const char *serial, struct nvme_dev *d,
		     char *err, size_t err_len)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/class/nvme", sysfs);
	dir = opendir(path);
	while (dir && (de = readdir(dir))) {
		char *s;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/class/nvme/%s/serial", sysfs,
			 de->d_name);
		s = read_line(path);
		if (!s)
			continue;
		str_rtrim(s);
		if (!strcmp(s, serial)) {
			char ctrl[256];

			free(s);
			snprintf(ctrl, sizeof(ctrl), "%s", de->d_name);
			closedir(dir);
			return fill_ctrl(sysfs, ctrl, d, err, err_len);
		}
		free(s);
	}
	if (dir)
		closedir(dir);
	return seterr(
		err, err_len,
		"no NVMe controller with serial '%s' (is the nvme driver loaded? in the QEMU lab the topology names it)",
		serial);
}

int nvme_dev_resolve(const char *sysfs, const char *spec, struct nvme_dev *d,
		     char *err, size_t err_len)
{
	char ctrl[64];
	unsigned int c, ns;
	int end = 0;

	memset(d, 0, sizeof(*d));
	if (!strncmp(spec, "serial:", 7) && spec[7])
		return by_serial(sysfs, spec + 7, d, err, err_len);
	/* A whole namespace only: never a partition. */
	if (sscanf(spec, "/dev/nvme%un%u%n", &c, &ns, &end) == 2 &&
	    !spec[end]) {
		char path[PATH_MAX];

		snprintf(d->node, sizeof(d->node), "%s", spec);
		snprintf(ctrl, sizeof(ctrl), "nvme%u", c);
		snprintf(path, sizeof(path), "%s/class/nvme/%s/%s", sysfs, ctrl,
			 spec + 5);
		if (!path_exists(path))
			return seterr(
				err, err_len,
				"device %s: no such namespace in %s/class/nvme/%s",
				spec, sysfs, ctrl);
		return fill_ctrl(sysfs, ctrl, d, err, err_len);
	}
	return seterr(err, err_len,
		      "device '%s': expected serial:NAME or /dev/nvmeXnY",
		      spec);
}

int nvme_dev_wait(const char *root, const char *spec, struct nvme_dev *d,
		  int tries, char *err, size_t err_len)
{
	char *sysfs = xasprintf("%s/sys", root), *node;
	int ret = -1;

	for (int i = 0; ret && i < tries; i++) {
		if (i)
			usleep(100000);
		err[0] = '\0';
		if (nvme_dev_resolve(sysfs, spec, d, err, err_len))
			continue;
		node = xasprintf("%s%s", root, d->node);
		ret = path_exists(node) ? 0 : -1;
		free(node);
	}
	if (ret && !err[0])
		seterr(err, err_len, "device %s did not appear", spec);
	free(sysfs);
	return ret;
}

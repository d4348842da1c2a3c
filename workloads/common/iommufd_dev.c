// SPDX-License-Identifier: GPL-2.0
#include "iommufd_dev.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "pci_rebind.h"
#include "lib/util.h"

int vfio_pci_bind(const char *sysfs, const char *pci, bool may_rebind,
		  char *err, size_t len)
{
	return pci_bind_driver(sysfs, pci, "vfio-pci", may_rebind, err, len);
}

/* /dev/vfio/devices/vfioN of a device bound to vfio-pci, made if missing. */
static int open_cdev(const char *sysfs, const char *pci, char *err, size_t len)
{
	char *dir = xasprintf("%s/bus/pci/devices/%s/vfio-dev", sysfs, pci);
	char *name = NULL, *node, *devfile, *num;
	DIR *d = opendir(dir);
	struct dirent *de;
	unsigned int maj, min;
	int fd = -1;

	while (d && (de = readdir(d)))
		if (!strncmp(de->d_name, "vfio", 4))
			name = xstrdup(de->d_name);
	if (d)
		closedir(d);
	if (!name) {
		seterr(err, len,
		       "%s has no VFIO device cdev (%s); is CONFIG_VFIO_DEVICE_CDEV in this kernel?",
		       pci, dir);
		free(dir);
		return -1;
	}
	node = xasprintf("/dev/vfio/devices/%s", name);
	if (!path_exists(node)) {
		/* No udev in a lab guest: make the node from sysfs's dev. */
		devfile = xasprintf("%s/%s/dev", dir, name);
		num = read_line(devfile);
		if (num && sscanf(num, "%u:%u", &maj, &min) == 2) {
			mkdir_p("/dev/vfio/devices", 0755);
			mknod(node, S_IFCHR | 0600, makedev(maj, min));
		}
		free(num);
		free(devfile);
	}
	fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		seterr(err, len, "cannot open %s: %s", node, strerror(errno));
	free(node);
	free(name);
	free(dir);
	return fd;
}

int iommufd_dev_open(const char *sysfs, const char *pci, struct iommufd_dev *d,
		     char *err, size_t len)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	struct iommu_ioas_alloc ioas = { .size = sizeof(ioas) };

	memset(d, 0, sizeof(*d));
	d->iommufd = d->devfd = -1;
	snprintf(d->pci, sizeof(d->pci), "%s", pci);
	d->iommufd = open("/dev/iommu", O_RDWR | O_CLOEXEC);
	if (d->iommufd < 0) {
		seterr(err, len,
		       "cannot open /dev/iommu: %s; is CONFIG_IOMMUFD in this kernel?",
		       strerror(errno));
		goto fail;
	}
	d->devfd = open_cdev(sysfs, pci, err, len);
	if (d->devfd < 0)
		goto fail;
	bind.iommufd = d->iommufd;
	if (ioctl(d->devfd, VFIO_DEVICE_BIND_IOMMUFD, &bind)) {
		seterr(err, len, "VFIO_DEVICE_BIND_IOMMUFD on %s: %s", pci,
		       strerror(errno));
		goto fail;
	}
	d->dev_id = bind.out_devid;
	if (ioctl(d->iommufd, IOMMU_IOAS_ALLOC, &ioas)) {
		seterr(err, len, "IOMMU_IOAS_ALLOC: %s", strerror(errno));
		goto fail;
	}
	d->ioas_id = ioas.out_ioas_id;
	return 0;
fail:
	iommufd_dev_close(d);
	return -1;
}

void iommufd_dev_close(struct iommufd_dev *d)
{
	if (d->devfd >= 0)
		close(d->devfd);
	if (d->iommufd >= 0)
		close(d->iommufd);
	d->devfd = d->iommufd = -1;
}

int iommufd_hwpt_alloc(struct iommufd_dev *d, uint32_t flags, uint32_t *hwpt_id)
{
	struct iommu_hwpt_alloc a = {
		.size = sizeof(a),
		.flags = flags,
		.dev_id = d->dev_id,
		.pt_id = d->ioas_id,
		.data_type = IOMMU_HWPT_DATA_NONE,
	};

	if (ioctl(d->iommufd, IOMMU_HWPT_ALLOC, &a))
		return -errno;
	*hwpt_id = a.out_hwpt_id;
	return 0;
}

int iommufd_destroy(struct iommufd_dev *d, uint32_t id)
{
	struct iommu_destroy x = { .size = sizeof(x), .id = id };

	return ioctl(d->iommufd, IOMMU_DESTROY, &x) ? -errno : 0;
}

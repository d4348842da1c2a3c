// SPDX-License-Identifier: GPL-2.0
#include "irte_storm.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lib/util.h"
#include "workloads/common/vfio_unsafe.h"

static int group_of(const char *sysfs, const char *pci, unsigned int *id)
{
	char *link = xasprintf("%s/bus/pci/devices/%s/iommu_group", sysfs, pci);
	char target[PATH_MAX];
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	const char *base;

	free(link);
	if (n <= 0)
		return -1;
	target[n] = '\0';
	base = strrchr(target, '/');
	return sscanf(base ? base + 1 : target, "%u", id) == 1 ? 0 : -1;
}

/* SET_CONTAINER, then the type1v2 IOMMU, as a QEMU or DPDK would. */
static int open_container(struct irte_storm *st, bool may_unsafe, char *err,
			  size_t len)
{
	if (ioctl(st->group, VFIO_GROUP_SET_CONTAINER, &st->container))
		return seterr(err, len,
			      "VFIO_GROUP_SET_CONTAINER (group %u): %s",
			      st->group_id, strerror(errno));
	if (!ioctl(st->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return 0;
	if (errno != EPERM)
		return seterr(err, len, "VFIO_SET_IOMMU type1v2 (group %u): %s",
			      st->group_id, strerror(errno));
	/* type1 refuses a group when interrupts are not remapped */
	if (!may_unsafe || vfio_unsafe_allow(&st->unsafe))
		return seterr(
			err, len,
			"VFIO refused group %u (EPERM): this kernel has no interrupt remapping, so it makes no IRTE updates to measure; vfio_iommu_type1.allow_unsafe_interrupts would let the storm run",
			st->group_id);
	say("no interrupt remapping in this kernel: allow_unsafe_interrupts set for this run (a lab guest); the storm makes no IRTE updates here");
	if (ioctl(st->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return seterr(
			err, len,
			"VFIO_SET_IOMMU type1v2 (group %u, unsafe interrupts allowed): %s",
			st->group_id, strerror(errno));
	return 0;
}

static int open_vfio(struct irte_storm *st, bool may_unsafe,
		     unsigned int vectors, char *err, size_t len)
{
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	struct vfio_irq_info ii = { .argsz = sizeof(ii),
				    .index = VFIO_PCI_MSIX_IRQ_INDEX };
	char *path;

	if (group_of(st->sysfs, st->pci, &st->group_id))
		return seterr(
			err, len,
			"%s has no IOMMU group: is the IOMMU on in this kernel?",
			st->pci);
	st->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (st->container < 0)
		return seterr(err, len, "cannot open /dev/vfio/vfio: %s",
			      strerror(errno));
	if (ioctl(st->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION ||
	    !ioctl(st->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU))
		return seterr(
			err, len,
			"this kernel's VFIO has no type1v2 IOMMU (CONFIG_VFIO_IOMMU_TYPE1)");
	path = xasprintf("/dev/vfio/%u", st->group_id);
	st->group = open(path, O_RDWR | O_CLOEXEC);
	if (st->group < 0) {
		seterr(err, len, "cannot open %s (group of %s): %s", path,
		       st->pci, strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	if (ioctl(st->group, VFIO_GROUP_GET_STATUS, &gs) ||
	    !(gs.flags & VFIO_GROUP_FLAGS_VIABLE))
		return seterr(
			err, len,
			"IOMMU group %u of %s is not viable: another device in %s/kernel/iommu_groups/%u/devices is bound to a host driver",
			st->group_id, st->pci, st->sysfs, st->group_id);
	if (open_container(st, may_unsafe, err, len))
		return -1;
	st->device = ioctl(st->group, VFIO_GROUP_GET_DEVICE_FD, st->pci);
	if (st->device < 0)
		return seterr(err, len, "VFIO_GROUP_GET_DEVICE_FD %s: %s",
			      st->pci, strerror(errno));
	if (ioctl(st->device, VFIO_DEVICE_GET_IRQ_INFO, &ii))
		return seterr(err, len,
			      "VFIO_DEVICE_GET_IRQ_INFO (MSI-X) %s: %s",
			      st->pci, strerror(errno));
	st->msix_count = ii.count;
	if (!(ii.flags & VFIO_IRQ_INFO_EVENTFD) || ii.count < vectors)
		return seterr(
			err, len,
			"%s offers %u MSI-X vectors through VFIO; the workload asks for %u",
			st->pci, ii.count, vectors);
	return 0;
}

int irte_storm_setup(struct irte_storm *st, const char *sysfs, const char *pci,
		     bool may_rebind, unsigned int vectors, char *err,
		     size_t len)
{
	char teardown_err[256];

	memset(st, 0, sizeof(*st));
	st->container = st->group = st->device = -1;
	snprintf(st->pci, sizeof(st->pci), "%s", pci);
	snprintf(st->sysfs, sizeof(st->sysfs), "%s", sysfs);
	/* saved first: a bind that fails half way is undone too */
	if (pci_binding_save(sysfs, pci, &st->orig, err, len))
		return -1;
	if (pci_bind_driver(sysfs, pci, "vfio-pci", may_rebind, err, len))
		goto fail;
	st->efds = xcalloc(vectors, sizeof(int));
	for (st->nr_efds = 0; st->nr_efds < vectors; st->nr_efds++) {
		st->efds[st->nr_efds] = eventfd(0, EFD_CLOEXEC);
		if (st->efds[st->nr_efds] < 0) {
			seterr(err, len, "eventfd: %s", strerror(errno));
			goto fail;
		}
	}
	if (open_vfio(st, may_rebind, vectors, err, len))
		goto fail;
	return 0;
fail:
	if (irte_storm_teardown(st, teardown_err, sizeof(teardown_err))) {
		size_t used = strlen(err);

		snprintf(err + used, len - used, "; and then: %s",
			 teardown_err);
	}
	return -1;
}

static int msix_disable(struct irte_storm *st)
{
	struct vfio_irq_set off = {
		.argsz = sizeof(off),
		.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		.index = VFIO_PCI_MSIX_IRQ_INDEX,
		.start = 0,
		.count = 0,
	};

	if (ioctl(st->device, VFIO_DEVICE_SET_IRQS, &off))
		return -errno;
	st->enabled = false;
	return 0;
}

int irte_storm_cycle(struct irte_storm *st)
{
	size_t sz = sizeof(struct vfio_irq_set) + st->nr_efds * sizeof(int);
	struct vfio_irq_set *on = calloc(1, sz);
	int ret = 0;

	if (!on)
		return -ENOMEM;
	on->argsz = sz;
	on->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	on->index = VFIO_PCI_MSIX_IRQ_INDEX;
	on->start = 0;
	on->count = st->nr_efds;
	memcpy(on->data, st->efds, st->nr_efds * sizeof(int));
	if (ioctl(st->device, VFIO_DEVICE_SET_IRQS, on))
		ret = -errno;
	else
		st->enabled = true;
	free(on);
	return ret ? ret : msix_disable(st);
}

int irte_storm_teardown(struct irte_storm *st, char *err, size_t len)
{
	int ret = 0;

	err[0] = '\0';
	if (st->enabled)
		msix_disable(st);
	if (st->device >= 0)
		close(st->device);
	if (st->group >= 0)
		close(st->group);
	if (st->container >= 0)
		close(st->container);
	st->device = st->group = st->container = -1;
	for (unsigned int i = 0; i < st->nr_efds; i++)
		close(st->efds[i]);
	free(st->efds);
	st->efds = NULL;
	st->nr_efds = 0;
	if (vfio_unsafe_restore(&st->unsafe))
		say("could not reset %s", VFIO_UNSAFE_PARAM);
	ret = pci_binding_restore(&st->orig, err, len);
	st->orig.saved = false;
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
#include "nest_parent.h"

#include <errno.h>
#include <linux/vfio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>

#include "workloads/common/iommufd_uapi.h"
#include "lib/util.h"

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int viommu_alloc(struct nest_parent *s, uint32_t *id)
{
	struct iommu_viommu_alloc a = {
		.size = sizeof(a),
		.type = INVLAB_VIOMMU_TYPE_AMD_LAB,
		.dev_id = s->d.dev_id,
		.hwpt_id = s->parent_id,
	};

	if (ioctl(s->d.iommufd, IOMMU_VIOMMU_ALLOC, &a))
		return -errno;
	*id = a.out_viommu_id;
	return 0;
}

/* A nested HWPT whose guest DTE names gdomid: V = 0, so no guest table. */
static int nested_alloc(struct nest_parent *s, uint32_t viommu, uint16_t gdomid,
			uint32_t *id)
{
	struct invlab_hwpt_amd_guest g = { .dte = { 0, gdomid, 0, 0 } };
	struct iommu_hwpt_alloc a = {
		.size = sizeof(a),
		.dev_id = s->d.dev_id,
		.pt_id = viommu,
		.data_type = INVLAB_HWPT_DATA_AMD_GUEST,
		.data_len = sizeof(g),
		.data_uptr = (uintptr_t)&g,
	};

	if (ioctl(s->d.iommufd, IOMMU_HWPT_ALLOC, &a))
		return -errno;
	*id = a.out_hwpt_id;
	return 0;
}

static int attach(struct nest_parent *s, uint32_t pt)
{
	struct vfio_device_attach_iommufd_pt a = {
		.argsz = sizeof(a),
		.pt_id = pt,
	};

	return ioctl(s->d.devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &a) ? -errno :
								      0;
}

int nest_parent_setup(struct nest_parent *s, const char *pci, bool may_rebind,
		      unsigned int viommus, unsigned int hdomids, size_t size,
		      char *err, size_t len)
{
	int ret;

	memset(s, 0, sizeof(*s));
	s->d.iommufd = s->d.devfd = -1;
	if (!viommus || !hdomids || hdomids > 65535 ||
	    (size_t)viommus * hdomids > 60000)
		return seterr(
			err, len,
			"%u vIOMMUs x %u hDomIDs: each must be at least 1, gDomIDs are 16 bits, and the host has about 64k domain ids",
			viommus, hdomids);
	if (vfio_pci_bind("/sys", pci, may_rebind, err, len) ||
	    iommufd_dev_open("/sys", pci, &s->d, err, len))
		return -1;
	s->opened = true;
	ret = iommufd_hwpt_alloc(&s->d, IOMMU_HWPT_ALLOC_NEST_PARENT,
				 &s->parent_id);
	if (ret) {
		seterr(err, len,
		       "IOMMU_HWPT_ALLOC(NEST_PARENT) on %s: %s (the IOMMU lacks nesting; under QEMU boot a kernel with amd_iommu_lab.nest_parent=1, label lab-nest)",
		       pci, strerror(-ret));
		goto fail;
	}
	ret = attach(s, s->parent_id);
	if (ret) {
		seterr(err, len, "attaching %s to the nest parent: %s", pci,
		       strerror(-ret));
		goto fail;
	}
	s->attached = true;
	s->viommu_ids = xcalloc(viommus, sizeof(uint32_t));
	s->nested_ids = xcalloc((size_t)viommus * hdomids, sizeof(uint32_t));
	for (unsigned int m = 0; m < viommus; m++) {
		ret = viommu_alloc(s, &s->viommu_ids[m]);
		if (ret) {
			seterr(err, len,
			       "IOMMU_VIOMMU_ALLOC %u of %u on %s: %s (a kernel without AMD vIOMMU support?)",
			       m + 1, viommus, pci, strerror(-ret));
			goto fail;
		}
		s->nviommus++;
		for (unsigned int n = 0; n < hdomids; n++) {
			ret = nested_alloc(s, s->viommu_ids[m],
					   (uint16_t)(n + 1),
					   &s->nested_ids[s->nnested]);
			if (ret) {
				seterr(err, len,
				       "nested HWPT (gDomID %u) on vIOMMU %u: %s%s",
				       n + 1, m + 1, strerror(-ret),
				       ret == -EOPNOTSUPP ?
					       " (no nested domain allocation on this vIOMMU: the lab kernel wires it under amd_iommu_lab.nest_parent=1, kernel/patches/0004)" :
					       "");
				goto fail;
			}
			s->nnested++;
		}
	}
	s->size = size;
	s->buf = mmap(NULL, size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (s->buf == MAP_FAILED) {
		s->buf = NULL;
		seterr(err, len, "mmap of %zu bytes: %s", size,
		       strerror(errno));
		goto fail;
	}
	return 0;
fail:
	nest_parent_teardown(s);
	return -1;
}

int nest_parent_map(struct nest_parent *s, uint64_t iova, double *ns)
{
	struct iommu_ioas_map m = {
		.size = sizeof(m),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			 IOMMU_IOAS_MAP_WRITEABLE,
		.ioas_id = s->d.ioas_id,
		.user_va = (uintptr_t)s->buf,
		.length = s->size,
		.iova = iova,
	};
	double t0 = now_ns();
	int ret = ioctl(s->d.iommufd, IOMMU_IOAS_MAP, &m) ? -errno : 0;

	*ns = now_ns() - t0;
	return ret;
}

int nest_parent_unmap(struct nest_parent *s, uint64_t iova, double *ns)
{
	struct iommu_ioas_unmap u = {
		.size = sizeof(u),
		.ioas_id = s->d.ioas_id,
		.iova = iova,
		.length = s->size,
	};
	double t0 = now_ns();
	int ret = ioctl(s->d.iommufd, IOMMU_IOAS_UNMAP, &u) ? -errno : 0;

	*ns = now_ns() - t0;
	return ret;
}

void nest_parent_teardown(struct nest_parent *s)
{
	/* children before parents, or the kernel says EBUSY */
	while (s->nnested)
		iommufd_destroy(&s->d, s->nested_ids[--s->nnested]);
	while (s->nviommus)
		iommufd_destroy(&s->d, s->viommu_ids[--s->nviommus]);
	if (s->attached) {
		struct vfio_device_detach_iommufd_pt d = { .argsz = sizeof(d) };

		ioctl(s->d.devfd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &d);
		s->attached = false;
	}
	if (s->parent_id) {
		iommufd_destroy(&s->d, s->parent_id);
		s->parent_id = 0;
	}
	if (s->opened)
		iommufd_dev_close(&s->d);
	s->opened = false;
	if (s->buf)
		munmap(s->buf, s->size);
	s->buf = NULL;
	free(s->viommu_ids);
	free(s->nested_ids);
	s->viommu_ids = s->nested_ids = NULL;
}

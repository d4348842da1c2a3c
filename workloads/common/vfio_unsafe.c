// SPDX-License-Identifier: GPL-2.0
#include "vfio_unsafe.h"

#include <errno.h>
#include <stdlib.h>

#include "lib/util.h"

int vfio_unsafe_allow(struct vfio_unsafe *u)
{
	char *v = read_line(VFIO_UNSAFE_PARAM);
	int r = 0;

	if (!v)
		return -errno; /* vfio_iommu_type1 is not loaded */
	if (v[0] != 'Y') {
		r = write_str_file(VFIO_UNSAFE_PARAM, "Y");
		u->set = !r;
	}
	free(v);
	return r;
}

int vfio_unsafe_restore(struct vfio_unsafe *u)
{
	int r = 0;

	if (u->set)
		r = write_str_file(VFIO_UNSAFE_PARAM, "N");
	u->set = false;
	return r;
}

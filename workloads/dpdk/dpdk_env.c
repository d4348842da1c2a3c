// SPDX-License-Identifier: GPL-2.0
#include "dpdk_env.h"

#include <errno.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "lib/util.h"
#include "workloads/common/vfio_unsafe.h"

#define NR_HUGEPAGES "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"

static long read_long(const char *path)
{
	char *v = read_line(path);
	long n = v ? strtol(v, NULL, 10) : -1;

	free(v);
	return n;
}

/* A hugetlbfs mount of 2 MiB pages (the default size), if any. */
static bool find_hugetlbfs(char *dir, size_t len)
{
	FILE *f = setmntent("/proc/mounts", "re");
	struct mntent *m;
	bool found = false;

	while (f && !found && (m = getmntent(f))) {
		if (strcmp(m->mnt_type, "hugetlbfs"))
			continue;
		if (hasmntopt(m, "pagesize") &&
		    !strstr(m->mnt_opts, "pagesize=2M"))
			continue;
		snprintf(dir, len, "%s", m->mnt_dir);
		found = true;
	}
	if (f)
		endmntent(f);
	return found;
}

int dpdk_env_setup(struct dpdk_env *e, long pages, bool allow_unsafe, char *err,
		   size_t len)
{
	char val[32];
	long now;
	int r;

	memset(e, 0, sizeof(*e));
	e->hugepages_before = read_long(NR_HUGEPAGES);
	if (e->hugepages_before < 0)
		return seterr(
			err, len,
			"no 2 MiB hugepages in this kernel (%s unreadable)",
			NR_HUGEPAGES);
	if (e->hugepages_before < pages) {
		snprintf(val, sizeof(val), "%ld", pages);
		r = write_str_file(NR_HUGEPAGES, val);
		now = read_long(NR_HUGEPAGES);
		if (r || now < pages)
			return seterr(
				err, len,
				"cannot reserve %ld 2 MiB hugepages (%s reads %ld%s%s); free memory or lower [workload] hugepages",
				pages, NR_HUGEPAGES, now, r ? ": " : "",
				r ? strerror(-r) : "");
	}
	if (!find_hugetlbfs(e->huge_dir, sizeof(e->huge_dir))) {
		snprintf(e->huge_dir, sizeof(e->huge_dir), "/dev/hugepages");
		mkdir_p(e->huge_dir, 0755);
		if (mount("nodev", e->huge_dir, "hugetlbfs", 0, "pagesize=2M"))
			return seterr(
				err, len,
				"no hugetlbfs mounted and cannot mount one on %s: %s",
				e->huge_dir, strerror(errno));
		e->mounted = true;
	}
	if (allow_unsafe) {
		r = vfio_unsafe_allow(&e->unsafe);
		if (r)
			return seterr(err, len, "cannot set %s: %s",
				      VFIO_UNSAFE_PARAM, strerror(-r));
	}
	return 0;
}

void dpdk_env_restore(struct dpdk_env *e, json_object *system)
{
	bool unsafe_was_set;
	char val[32];

	/* said before it is reset */
	unsafe_was_set = e->unsafe.set;
	if (vfio_unsafe_restore(&e->unsafe))
		say("cannot reset %s to N", VFIO_UNSAFE_PARAM);
	if (e->mounted && umount(e->huge_dir))
		say("cannot unmount %s: %s", e->huge_dir, strerror(errno));
	if (e->hugepages_before >= 0 &&
	    read_long(NR_HUGEPAGES) != e->hugepages_before) {
		snprintf(val, sizeof(val), "%ld", e->hugepages_before);
		if (write_str_file(NR_HUGEPAGES, val))
			say("cannot put %s back to %s", NR_HUGEPAGES, val);
	}
	if (system) {
		json_object_object_add(
			system, "hugepages_2m_before",
			json_object_new_int64(e->hugepages_before));
		json_object_object_add(
			system, "hugepages_2m_after",
			json_object_new_int64(read_long(NR_HUGEPAGES)));
		json_object_object_add(system, "hugetlbfs",
				       json_object_new_string(e->huge_dir));
		json_object_object_add(system, "hugetlbfs_mounted_by_invlab",
				       json_object_new_boolean(e->mounted));
		json_object_object_add(system,
				       "vfio_allow_unsafe_interrupts_set",
				       json_object_new_boolean(unsafe_was_set));
	}
	e->mounted = false;
	e->hugepages_before = -1;
}

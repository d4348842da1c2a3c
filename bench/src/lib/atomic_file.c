// SPDX-License-Identifier: GPL-2.0
#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= n;
	}
	return 0;
}

int atomic_write(const char *path, const void *buf, size_t len)
{
	char tmp[PATH_MAX], dir[PATH_MAX];
	int fd, err;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >=
	    (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	err = write_all(fd, buf, len);
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err) {
		unlink(tmp);
		return err;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		/* Some filesystems (9p) refuse fsync on a directory: harmless. */
		fsync(fd);
		close(fd);
	}
	return 0;
}

int output_path_check(const char *path, char *err, size_t err_len)
{
	char copy[PATH_MAX];
	const char *dir;
	struct stat st;

	if (!stat(path, &st) && S_ISDIR(st.st_mode))
		return seterr(err, err_len,
			      "cannot write %s: it is a directory", path);
	snprintf(copy, sizeof(copy), "%s", path);
	dir = dirname(copy);
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return seterr(err, err_len,
			      "cannot write %s: %s is not a directory", path,
			      dir);
	return 0;
}

int output_dir_check(const char *dir, char *err, size_t err_len)
{
	struct stat st;

	if (!stat(dir, &st) && !S_ISDIR(st.st_mode))
		return seterr(err, err_len,
			      "cannot write into %s: it is not a directory",
			      dir);
	return 0;
}

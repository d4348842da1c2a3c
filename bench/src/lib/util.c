// SPDX-License-Identifier: GPL-2.0
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <openssl/evp.h>

/* One line on stderr: prefix, the message, a newline. */
static void vline(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline("[invlab] ", fmt, ap);
	va_end(ap);
}

void errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline("invlab: error: ", fmt, ap);
	va_end(ap);
}

int seterr(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

static void oom(void)
{
	fputs("invlab: out of memory\n", stderr);
	abort();
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xgrow(void *v, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap && v)
		return v;
	if (*cap < 16)
		*cap = 16;
	while (*cap < need)
		*cap *= 2;
	return xrealloc(v, *cap * size);
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		oom();
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	char *p;

	if (vasprintf(&p, fmt, ap) < 0)
		oom();
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

void strv_add(struct strv *s, const char *str)
{
	s->v = xgrow(s->v, &s->cap, s->n + 2, sizeof(*s->v));
	s->v[s->n++] = xstrdup(str);
	s->v[s->n] = NULL;
}

void strv_addf(struct strv *s, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	strv_add(s, p);
	free(p);
}

static void split_on(struct strv *s, const char *text, const char *delims)
{
	char *copy = xstrdup(text), *save = NULL, *tok;

	for (tok = strtok_r(copy, delims, &save); tok;
	     tok = strtok_r(NULL, delims, &save))
		strv_add(s, tok);
	free(copy);
}

void strv_split(struct strv *s, const char *list)
{
	split_on(s, list, " \t,");
}

void strv_split_ws(struct strv *s, const char *text)
{
	split_on(s, text, " \t\n");
}

void strv_free(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

bool strv_has(const struct strv *s, const char *str)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], str))
			return true;
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void strv_sort(struct strv *s)
{
	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), cmp_str);
}

char *strv_join(const struct strv *s, const char *sep)
{
	size_t len = 1, sl = strlen(sep);
	char *out, *p;

	for (size_t i = 0; i < s->n; i++)
		len += strlen(s->v[i]) + sl;
	p = out = xcalloc(len, 1);
	for (size_t i = 0; i < s->n; i++) {
		if (i) {
			memcpy(p, sep, sl);
			p += sl;
		}
		strcpy(p, s->v[i]);
		p += strlen(s->v[i]);
	}
	return out;
}

char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0;
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(cap);
	if (!buf)
		oom();
	for (;;) {
		size_t got = fread(buf + n, 1, cap - n - 1, f);

		n += got;
		if (n + 1 < cap)
			break;
		buf = xgrow(buf, &cap, cap + 1, 1);
	}
	if (ferror(f)) {
		int e = errno;

		fclose(f);
		free(buf);
		errno = e ? e : EIO;
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

char *read_line(const char *path)
{
	char *s = read_file(path, NULL);

	if (s)
		s[strcspn(s, "\n")] = '\0';
	return s;
}

int mkdir_p(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	size_t i, n = strlen(path);

	if (n >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, mode) && errno != EEXIST)
			return -errno;
		buf[i] = path[i];
	}
	return 0;
}

int write_str_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	size_t len = strlen(val);
	ssize_t n;
	int e;

	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	e = n < 0 ? errno : EIO;
	close(fd);
	return n == (ssize_t)len ? 0 : -e;
}

bool path_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static void hexify(const unsigned char *md, unsigned int n, char hex[65])
{
	for (unsigned int i = 0; i < n && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

void sha256_buf(const void *buf, size_t len, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	EVP_Digest(buf, len, md, &n, EVP_sha256(), NULL);
	hexify(md, n, hex);
}

int sha256_file(const char *path, char hex[65])
{
	size_t len;
	char *buf = read_file(path, &len);

	if (!buf)
		return -errno;
	sha256_buf(buf, len, hex);
	free(buf);
	return 0;
}

void iso8601_now(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

double monotonic_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

const char *invlab_top(void)
{
	static char top[PATH_MAX];
	char exe[PATH_MAX];
	ssize_t n;

	if (top[0])
		return top;
	if (getenv("INVLAB_TOP")) {
		snprintf(top, sizeof(top), "%s", getenv("INVLAB_TOP"));
		return top;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return ".";
	exe[n] = '\0';
	/* <top>/build/invlab */
	snprintf(top, sizeof(top), "%s", dirname(dirname(exe)));
	return top;
}

/* Send fd to path (opened for writing, truncated); -1 on failure. */
static int redirect(int fd, const char *path)
{
	int f = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (f < 0 || dup2(f, fd) < 0)
		return -1;
	close(f);
	return 0;
}

int run_cmd_io(char *const argv[], const char *out_path, const char *err_path)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if ((out_path && redirect(STDOUT_FILENO, out_path)) ||
		    (err_path && redirect(STDERR_FILENO, err_path)))
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int run_cmd(char *const argv[], const char *out_path)
{
	return run_cmd_io(argv, out_path, NULL);
}

int parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long n;

	/* strtol would skip spaces and take a '+' */
	if (!((*s >= '0' && *s <= '9') ||
	      (*s == '-' && s[1] >= '0' && s[1] <= '9')))
		return -1;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || *end || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

int parse_double(const char *s, double min, double max, double *out)
{
	char *end;
	double d;

	/* strtod would take spaces, hex, "inf" and "nan" */
	if (!*s || strspn(s, "0123456789.eE+-") != strlen(s))
		return -1;
	errno = 0;
	d = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(d) || d < min || d > max)
		return -1;
	*out = d;
	return 0;
}

void str_rtrim(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
		s[--n] = '\0';
}

bool child_wait(pid_t pid, double limit_s, int *status)
{
	double end = monotonic_s() + limit_s;

	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return true;
		if ((r < 0 && errno != EINTR) || monotonic_s() > end)
			return false;
		usleep(20000);
	}
}

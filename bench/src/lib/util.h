/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers shared by the invlab commands. */
#ifndef INVLAB_UTIL_H
#define INVLAB_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define ERRLEN 512
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Progress and status lines on stderr, prefixed so they stand out. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "invlab: error: ..." on stderr. */
void errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* snprintf into an error buffer; returns -1 so callers can `return seterr()`. */
int seterr(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A growable NULL-terminated array of owned strings (argv, lists). */
struct strv {
	char **v;
	size_t n, cap;
};
void strv_add(struct strv *s, const char *str);
void strv_addf(struct strv *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Split on spaces and commas. */
void strv_split(struct strv *s, const char *list);
/* Words separated by white space only (a kernel command line). */
void strv_split_ws(struct strv *s, const char *text);
void strv_free(struct strv *s);
/* Whether str is one of s's strings. */
bool strv_has(const struct strv *s, const char *str);
/* s's strings in strcmp order. */
void strv_sort(struct strv *s);
/* s's strings joined by sep (freed by the caller). */
char *strv_join(const struct strv *s, const char *sep);

char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* xasprintf of a va_list: the one place formatting into memory can fail. */
char *xvasprintf(const char *fmt, va_list ap)
	__attribute__((format(printf, 1, 0)));
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
/*
 * Room for at least need elements of size bytes in the array v whose
 * capacity is *cap (doubling, from 16): the array to use from now on. The
 * one growth loop of invlab: every growable array goes through it.
 */
void *xgrow(void *v, size_t *cap, size_t need, size_t size);

/* Whole file into a NUL-terminated buffer; NULL and errno on failure. */
char *read_file(const char *path, size_t *len);
/* First line of a file, newline stripped, or NULL. */
char *read_line(const char *path);
int mkdir_p(const char *path, mode_t mode);
/*
 * Write val to an existing file in one write(2), truncating it first, as
 * sysfs, procfs and tracefs want (a module parameter, a driver's bind file,
 * a trace instance's event list). 0 or -errno.
 */
int write_str_file(const char *path, const char *val);
bool path_exists(const char *path);
/*
 * All of s as a decimal whole number in [min, max]: no sign but '-', no
 * space, nothing after it. 0, or -1 with *out untouched.
 */
int parse_long(const char *s, long min, long max, long *out);
/* All of s as a finite decimal number in [min, max]: 0, or -1. */
int parse_double(const char *s, double min, double max, double *out);
/* Cut trailing spaces, tabs and newlines (sysfs pads and ends lines). */
void str_rtrim(char *s);
/* SHA-256 of a file or buffer as 64 hex digits. */
int sha256_file(const char *path, char hex[65]);
void sha256_buf(const void *buf, size_t len, char hex[65]);
/* UTC time as 2026-11-21T19:22:00Z. */
void iso8601_now(char *buf, size_t len);
double monotonic_s(void);

/* The work tree: $INVLAB_TOP, else two levels above the running binary. */
const char *invlab_top(void);

/* Run argv to completion with stdout to out_path (NULL: inherit). Returns
 * the exit status, 128+signal, or -errno if it could not start.
 */
int run_cmd(char *const argv[], const char *out_path);
/* run_cmd with stderr to err_path too (NULL: inherited). */
int run_cmd_io(char *const argv[], const char *out_path, const char *err_path);
/*
 * Reap child pid within limit_s seconds (polling every 20 ms): true with
 * its wait status in *status, false if it is still running.
 */
bool child_wait(pid_t pid, double limit_s, int *status);

#endif

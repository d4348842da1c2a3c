// SPDX-License-Identifier: GPL-2.0
#include "tracefs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *tracefs_root(void)
{
	static const char *const roots[] = { "/sys/kernel/tracing",
					     "/sys/kernel/debug/tracing" };

	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		char *p = xasprintf("%s/events", roots[i]);
		bool ok = path_exists(p);

		free(p);
		if (ok)
			return roots[i];
	}
	return NULL;
}

int tracefs_events(const char *root, const char *system, struct strv *names)
{
	char *dir = xasprintf("%s/events/%s", root, system);
	DIR *d = opendir(dir);
	struct dirent *de;

	free(dir);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "enable") ||
		    !strcmp(de->d_name, "filter"))
			continue;
		strv_add(names, de->d_name);
	}
	closedir(d);
	return 0;
}

char *tracefs_instance_create(const char *root, const char *name, char *err,
			      size_t len)
{
	char *inst = xasprintf("%s/instances/%s", root, name);

	if (mkdir(inst, 0700) && errno != EEXIST) {
		seterr(err, len, "cannot create trace instance %s: %s", inst,
		       strerror(errno));
		free(inst);
		return NULL;
	}
	return inst;
}

void tracefs_instance_remove(const char *inst)
{
	rmdir(inst);
}

int tracefs_write(const char *dir, const char *file, const char *val, char *err,
		  size_t len)
{
	char *p = xasprintf("%s/%s", dir, file);
	int r = write_str_file(p, val);

	if (r)
		seterr(err, len, "cannot write '%s' to %s: %s", val, p,
		       strerror(-r));
	free(p);
	return r ? -1 : 0;
}

uint64_t tracefs_overrun(const char *inst)
{
	char *dir = xasprintf("%s/per_cpu", inst);
	DIR *d = opendir(dir);
	struct dirent *de;
	uint64_t sum = 0;

	while (d && (de = readdir(d))) {
		char *p, *text, *o;

		if (strncmp(de->d_name, "cpu", 3))
			continue;
		p = xasprintf("%s/%s/stats", dir, de->d_name);
		text = read_file(p, NULL);
		o = text ? strstr(text, "overrun:") : NULL;
		if (o)
			sum += strtoull(o + 8, NULL, 10);
		free(text);
		free(p);
	}
	if (d)
		closedir(d);
	free(dir);
	return sum;
}

int tracefs_parse_line(const char *line, char *event, size_t event_len,
		       const char **fields)
{
	const char *p, *colon;
	size_t n;

	if (line[0] == '#')
		return -1;
	/* The event name follows the timestamp's ": " after "] ". */
	p = strstr(line, "] ");
	if (!p)
		return -1;
	p = strstr(p, ": ");
	if (!p)
		return -1;
	p += 2;
	colon = strstr(p, ": ");
	if (!colon) {
		/* An event with no fields ends the line with its name. */
		colon = p + strcspn(p, ":\n");
		if (*colon != ':')
			return -1;
	}
	n = (size_t)(colon - p);
	if (!n || n >= event_len || memchr(p, ' ', n))
		return -1;
	memcpy(event, p, n);
	event[n] = '\0';
	*fields = colon[0] && colon[1] ? colon + 2 : colon + strlen(colon);
	return 0;
}

/* The start of name's value in fields, where name starts a word. */
static const char *field_value(const char *fields, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = fields; (p = strstr(p, name)); p++) {
		if ((p == fields || p[-1] == ' ') && p[n] == '=')
			return p + n + 1;
	}
	return NULL;
}

int tracefs_field_u64(const char *fields, const char *name, uint64_t *v)
{
	const char *val = field_value(fields, name);
	char *end;

	if (!val)
		return -1;
	errno = 0;
	*v = strtoull(val, &end, 0);
	if (errno || end == val || (*end && *end != ' ' && *end != '\n'))
		return -1;
	return 0;
}

int tracefs_field_str(const char *fields, const char *name, char *buf,
		      size_t len)
{
	const char *val = field_value(fields, name);
	size_t n;

	if (!val)
		return -1;
	n = strcspn(val, " \n");
	if (n >= len)
		return -1;
	memcpy(buf, val, n);
	buf[n] = '\0';
	return 0;
}

void tracefs_check_traceable(struct ksym_query *q, size_t n, char *how,
			     size_t len)
{
	const char *root = tracefs_root();
	char *path = xasprintf("%s/available_filter_functions",
			       root ? root : "/sys/kernel/tracing");
	int ret = ksyms_check_traceable(path, q, n);

	if (ret) {
		snprintf(how, len, "not checked: cannot read %s: %s", path,
			 strerror(-ret));
		for (size_t i = 0; i < n; i++)
			q[i].traceable = true;
	} else {
		snprintf(how, len, "every function checked against %s", path);
	}
	free(path);
}

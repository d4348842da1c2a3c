// SPDX-License-Identifier: GPL-2.0
/*
 * Merging histories from several lab hosts: plan every copy first (each
 * source entry checked, compared with what is already there and with the
 * other sources), then copy only when nothing conflicts.
 */
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/atomic_file.h"
#include "lib/names.h"
#include "history.h"

struct copy {
	char *src, *dest, *hostdir, *text;
	size_t len;
	json_object *doc;
};

struct plan {
	struct copy *c;
	size_t n, cap;
	struct merge_stats *st;
	struct strv *problems;
};

static json_object *parse_text(const char *text)
{
	return text ? json_tokener_parse(text) : NULL;
}

/* An entry already in the destination, or earlier in the plan. */
static void plan_existing(struct plan *pl, const char *src, json_object *doc,
			  const char *dest)
{
	size_t len;
	char *text;
	json_object *old;

	for (size_t i = 0; i < pl->n; i++) {
		if (strcmp(pl->c[i].dest, dest))
			continue;
		if (json_object_equal(pl->c[i].doc, doc))
			pl->st->same++;
		else
			strv_addf(
				pl->problems,
				"conflict: %s and %s are the same host and run with different content",
				pl->c[i].src, src);
		return;
	}
	text = read_file(dest, &len);
	old = parse_text(text);
	if (!old)
		strv_addf(pl->problems,
			  "%s: not valid JSON, cannot compare it with %s", dest,
			  src);
	else if (json_object_equal(old, doc))
		pl->st->same++;
	else
		strv_addf(
			pl->problems,
			"conflict: %s and %s are the same host and run with different content",
			dest, src);
	json_object_put(old);
	free(text);
}

static void plan_file(struct plan *pl, const char *into, const char *path,
		      const char *host)
{
	char err[ERRLEN], *copy = xstrdup(path), *dest, *text;
	const char *name = basename(copy);
	struct hist_entry e;
	json_object *doc;
	size_t len;
	bool known = false;

	if (history_entry_load(path, &e, err, sizeof(err)) ||
	    history_entry_placed(&e, host, name, err, sizeof(err))) {
		strv_add(pl->problems, err);
		if (e.path)
			history_entry_free(&e);
		free(copy);
		return;
	}
	if (!name_ok(e.host)) {
		strv_addf(pl->problems, "%s: host '%s' cannot name a directory",
			  path, e.host);
		goto out;
	}
	dest = xasprintf("%s/%s/%s", into, e.host, name);
	text = read_file(path, &len);
	doc = parse_text(text);
	for (size_t i = 0; i < pl->n && !known; i++)
		known = !strcmp(pl->c[i].dest, dest);
	if (known || path_exists(dest)) {
		plan_existing(pl, path, doc, dest);
		json_object_put(doc);
		free(text);
		free(dest);
		goto out;
	}
	pl->c = xgrow(pl->c, &pl->cap, pl->n + 1, sizeof(*pl->c));
	pl->c[pl->n++] = (struct copy){
		.src = xstrdup(path),
		.dest = dest,
		.hostdir = xasprintf("%s/%s", into, e.host),
		.text = text,
		.len = len,
		.doc = doc,
	};
out:
	history_entry_free(&e);
	free(copy);
}

static bool is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* dir's entry files; hostdirs: also those of its subdirectories. */
static void plan_dir(struct plan *pl, const char *into, const char *dir,
		     const char *host, bool hostdirs)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	if (n < 0) {
		strv_addf(pl->problems, "%s: cannot list: %s", dir,
			  strerror(errno));
		return;
	}
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char *path = xasprintf("%s/%s", dir, name);

		if (name[0] == '.')
			;
		else if (hostdirs && is_dir(path))
			plan_dir(pl, into, path, name, false);
		else if (history_is_entry_name(name))
			plan_file(pl, into, path, host);
		free(path);
		free(names[i]);
	}
	free(names);
}

int history_merge(const char *into, char *const *srcs, size_t nsrc,
		  struct merge_stats *st, struct strv *problems)
{
	struct plan pl = { .st = st, .problems = problems };
	int ret = 0;

	memset(st, 0, sizeof(*st));
	/* what is there already is checked whole, as a report would read it */
	if (is_dir(into)) {
		struct history h;
		char err[ERRLEN];

		if (history_load(into, NULL, &h, err, sizeof(err)))
			strv_add(problems, err);
		else
			history_free(&h);
	} else if (path_exists(into)) {
		strv_addf(problems, "--into %s is not a directory", into);
	}
	for (size_t i = 0; i < nsrc; i++) {
		if (!is_dir(srcs[i]))
			strv_addf(problems, "%s: no such history directory",
				  srcs[i]);
		else
			plan_dir(&pl, into, srcs[i], NULL, true);
	}
	for (size_t i = 0; i < pl.n && !problems->n; i++) {
		struct copy *c = &pl.c[i];
		int e = mkdir_p(c->hostdir, 0755) ?
				-errno :
				atomic_write(c->dest, c->text, c->len);

		if (e)
			strv_addf(problems, "cannot write %s: %s", c->dest,
				  strerror(-e));
		else
			st->copied++;
	}
	for (size_t i = 0; i < pl.n; i++) {
		free(pl.c[i].src);
		free(pl.c[i].dest);
		free(pl.c[i].hostdir);
		free(pl.c[i].text);
		json_object_put(pl.c[i].doc);
	}
	free(pl.c);
	if (problems->n)
		ret = -1;
	return ret;
}

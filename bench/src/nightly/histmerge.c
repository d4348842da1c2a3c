// SPDX-License-Identifier: GPL-2.0
/*
 * Merging histories from several lab hosts: collect every source entry
 * first (each checked, compared with the other sources), then compare
 * each with what the destination holds, and copy only when nothing
 * conflicts. The database history (histdb.c) merges the same collection.
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

static json_object *parse_text(const char *text)
{
	return text ? json_tokener_parse(text) : NULL;
}

static void conflict(struct strv *problems, const char *a, const char *b)
{
	strv_addf(
		problems,
		"conflict: %s and %s are the same host and run with different content",
		a, b);
}

static void collect_file(struct merge_set *set, const char *path,
			 const char *host, struct merge_stats *st,
			 struct strv *problems)
{
	char err[ERRLEN], *copy = xstrdup(path), *text;
	const char *name = basename(copy);
	struct hist_entry e;
	size_t len;

	if (history_entry_load(path, &e, err, sizeof(err)) ||
	    history_entry_placed(&e, host, name, err, sizeof(err))) {
		strv_add(problems, err);
		if (e.path)
			history_entry_free(&e);
		free(copy);
		return;
	}
	if (!name_ok(e.host)) {
		strv_addf(problems, "%s: host '%s' cannot name a directory",
			  path, e.host);
		goto out;
	}
	text = read_file(path, &len);
	for (size_t i = 0; i < set->n; i++) {
		struct merge_entry *m = &set->e[i];
		json_object *doc;

		if (strcmp(m->host, e.host) || strcmp(m->run_id, e.run_id))
			continue;
		doc = parse_text(text);
		if (json_object_equal(m->doc, doc))
			st->same++;
		else
			conflict(problems, m->src, path);
		json_object_put(doc);
		free(text);
		goto out;
	}
	set->e = xgrow(set->e, &set->cap, set->n + 1, sizeof(*set->e));
	set->e[set->n++] = (struct merge_entry){
		.src = xstrdup(path),
		.host = xstrdup(e.host),
		.run_id = xstrdup(e.run_id),
		.text = text,
		.len = len,
		.doc = parse_text(text),
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
static void collect_dir(struct merge_set *set, const char *dir,
			const char *host, bool hostdirs, struct merge_stats *st,
			struct strv *problems)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	if (n < 0) {
		strv_addf(problems, "%s: cannot list: %s", dir,
			  strerror(errno));
		return;
	}
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char *path = xasprintf("%s/%s", dir, name);

		if (name[0] == '.')
			;
		else if (hostdirs && is_dir(path))
			collect_dir(set, path, name, false, st, problems);
		else if (history_is_entry_name(name))
			collect_file(set, path, host, st, problems);
		free(path);
		free(names[i]);
	}
	free(names);
}

void history_merge_collect(char *const *srcs, size_t nsrc,
			   struct merge_set *set, struct merge_stats *st,
			   struct strv *problems)
{
	memset(set, 0, sizeof(*set));
	for (size_t i = 0; i < nsrc; i++) {
		if (!is_dir(srcs[i]))
			strv_addf(problems, "%s: no such history directory",
				  srcs[i]);
		else
			collect_dir(set, srcs[i], NULL, true, st, problems);
	}
}

bool history_merge_same(const struct merge_entry *m, const char *text,
			const char *where, struct strv *problems)
{
	json_object *old = parse_text(text);
	bool same = old && json_object_equal(old, m->doc);

	if (!old)
		strv_addf(problems,
			  "%s: not valid JSON, cannot compare it with %s",
			  where, m->src);
	else if (!same)
		conflict(problems, where, m->src);
	json_object_put(old);
	return same;
}

void history_merge_set_free(struct merge_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		free(set->e[i].src);
		free(set->e[i].host);
		free(set->e[i].run_id);
		free(set->e[i].text);
		json_object_put(set->e[i].doc);
	}
	free(set->e);
	memset(set, 0, sizeof(*set));
}

int history_merge(const char *into, char *const *srcs, size_t nsrc,
		  struct merge_stats *st, struct strv *problems)
{
	struct merge_set set;
	bool *copy;

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
	history_merge_collect(srcs, nsrc, &set, st, problems);
	copy = xcalloc(set.n + 1, sizeof(*copy));
	for (size_t i = 0; i < set.n; i++) {
		const struct merge_entry *m = &set.e[i];
		char *dest =
			xasprintf("%s/%s/%s.json", into, m->host, m->run_id);
		size_t len;
		char *text = read_file(dest, &len);

		if (text && history_merge_same(m, text, dest, problems))
			st->same++;
		copy[i] = !text;
		free(text);
		free(dest);
	}
	for (size_t i = 0; i < set.n && !problems->n; i++) {
		const struct merge_entry *m = &set.e[i];
		char *hostdir = xasprintf("%s/%s", into, m->host);
		char *dest = xasprintf("%s/%s.json", hostdir, m->run_id);
		int e = !copy[i] ? 0 :
			mkdir_p(hostdir, 0755) ?
				   -errno :
				   atomic_write(dest, m->text, m->len);

		if (e)
			strv_addf(problems, "cannot write %s: %s", dest,
				  strerror(-e));
		else
			st->copied += copy[i];
		free(hostdir);
		free(dest);
	}
	free(copy);
	history_merge_set_free(&set);
	return problems->n ? -1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
#include "knobs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/knob.h"

/* Whether kname is in the comma list allow (as MOD.PARAM or module.*). */
static bool allowed(const char *allow, const char *kname)
{
	struct strv v = { 0 };
	bool yes = false;

	if (allow)
		strv_split(&v, allow);
	for (size_t i = 0; i < v.n && !yes; i++) {
		const char *n = v.v[i];

		if (!strncmp(n, "module.", 7))
			n += 7;
		yes = !strcmp(n, kname);
	}
	strv_free(&v);
	return yes;
}

/* Whether the kernel was booted with kname=val (the last one wins). */
static bool on_cmdline(const char *root, const char *kname, const char *val)
{
	struct strv w = { 0 };
	char *path = xasprintf("%s/proc/cmdline", root);
	char *cmdline = read_line(path);
	size_t n = strlen(kname);
	bool found = false;

	if (cmdline)
		strv_split_ws(&w, cmdline);
	for (size_t i = 0; i < w.n; i++) {
		if (!strncmp(w.v[i], kname, n) && w.v[i][n] == '=')
			found = !strcmp(w.v[i] + n + 1, val);
	}
	strv_free(&w);
	free(cmdline);
	free(path);
	return found;
}

static void record(json_object *knobs, const char *kname, const char *kind,
		   const char *asked, const char *shown, const char *before)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "kind", json_object_new_string(kind));
	json_object_object_add(o, "asked", json_object_new_string(asked));
	json_object_object_add(o, "shown",
			       shown ? json_object_new_string(shown) : NULL);
	json_object_object_add(o, "before",
			       before ? json_object_new_string(before) : NULL);
	json_object_object_add(knobs, kname, o);
}

/*
 * A cmdline.* knob: the kernel's own value where sysfs shows it, else
 * the kernel's command line.
 */
static int check_cmdline(const struct knobs *k, json_object *knobs,
			 const char *kname, const char *val, char *err,
			 size_t len)
{
	char *path = knob_sysfs_path(k->root, kname);
	char *shown = path ? read_line(path) : NULL;
	int ret = 0;

	record(knobs, kname, "cmdline", val, shown, NULL);
	if (shown && !knob_value_same(val, shown))
		ret = seterr(
			err, len,
			"kernel setting %s=%s: the kernel shows %s in %s: it refused or clamped the value",
			kname, val, shown, path);
	else if (!shown && !on_cmdline(k->root, kname, val))
		ret = seterr(
			err, len,
			"kernel setting %s=%s: this kernel was not booted with it (/proc/cmdline), and shows no such module parameter",
			kname, val);
	free(path);
	free(shown);
	return ret;
}

/* A module.* knob: written, read back, the old value kept. */
static int set_module(struct knobs *k, json_object *knobs, const char *kname,
		      const char *val, bool may_write, const char *allow,
		      char *err, size_t len)
{
	char *path = knob_sysfs_path(k->root, kname), *before = NULL;
	char *shown = NULL;
	int ret = 0, e;

	if (!path || !(before = read_line(path))) {
		ret = seterr(
			err, len,
			"kernel setting module.%s: no such module parameter (%s)",
			kname, path ? path : "not MOD.PARAM");
		goto out;
	}
	if (!may_write && !allowed(allow, kname)) {
		ret = seterr(
			err, len,
			"kernel setting module.%s=%s would change this host's kernel (it is %s now): name it with --allow-knob %s to let invlab write it (the old value is written back after the run)",
			kname, val, before, kname);
		goto out;
	}
	e = write_str_file(path, val);
	if (e) {
		ret = seterr(
			err, len,
			"kernel setting module.%s=%s: writing %s: %s%s", kname,
			val, path, strerror(-e),
			e == -EACCES || e == -EPERM ?
				" (a parameter set only at boot: sweep it as cmdline.NAME)" :
				" (the kernel refused the value)");
		goto out;
	}
	strv_add(&k->paths, path);
	strv_add(&k->before, before);
	shown = read_line(path);
	if (!shown || !knob_value_same(val, shown))
		ret = seterr(
			err, len,
			"kernel setting module.%s=%s: %s reads back %s: the kernel refused or clamped the value",
			kname, val, path, shown ? shown : "nothing");
out:
	record(knobs, kname, "module", val, shown, before);
	free(path);
	free(before);
	free(shown);
	return ret;
}

int knobs_apply(struct knobs *k, const struct strv *params, bool may_write,
		const char *allow, json_object *context, char *err, size_t len)
{
	json_object *knobs = json_object_new_object();
	int ret = 0;

	if (!k->root)
		k->root = "";
	json_object_object_add(context, "knobs", knobs);
	for (size_t i = 0; i < params->n && !ret; i++) {
		char *name = xstrdup(params->v[i]), *val = strchr(name, '=');
		const char *kname;

		*val++ = '\0';
		switch (knob_kind(name, &kname)) {
		case KNOB_CMDLINE:
			ret = check_cmdline(k, knobs, kname, val, err, len);
			break;
		case KNOB_MODULE:
			ret = set_module(k, knobs, kname, val, may_write, allow,
					 err, len);
			if (!ret)
				say("kernel setting %s=%s (read back)", kname,
				    val);
			break;
		default: break;
		}
		free(name);
	}
	return ret;
}

void knobs_restore(struct knobs *k)
{
	for (size_t i = k->paths.n; i-- > 0;) {
		int e = write_str_file(k->paths.v[i], k->before.v[i]);

		if (e)
			say("could not write %s back to %s: %s", k->before.v[i],
			    k->paths.v[i], strerror(-e));
		else
			say("%s back to %s", k->paths.v[i], k->before.v[i]);
	}
	strv_free(&k->paths);
	strv_free(&k->before);
}

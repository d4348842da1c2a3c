// SPDX-License-Identifier: GPL-2.0
#include "doctor.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "bpf/probes.h"
#include "context.h"
#include "kcheck.h"
#include "lib/json_util.h"
#include "lib/knob.h"
#include "workloads/common/nvme_dev.h"

/* Free space a run needs where its results go: perf data, traces. */
#define DOCTOR_MIN_FREE_MIB 1024

static void add(struct doctor *d, const char *name, enum doctor_verdict v,
		const char *fix, const char *fmt, ...)
{
	struct doctor_item *it;
	va_list ap;

	d->items = xgrow(d->items, &d->cap, d->n + 1, sizeof(*d->items));
	it = &d->items[d->n++];
	it->name = xstrdup(name);
	it->v = v;
	va_start(ap, fmt);
	if (vasprintf(&it->what, fmt, ap) < 0)
		it->what = xstrdup(name);
	va_end(ap);
	it->fix = fix ? xstrdup(fix) : NULL;
}

static char *at(const char *root, const char *path)
{
	return xasprintf("%s%s", root, path);
}

bool doctor_lab_guest(const char *root)
{
	char *p = at(root, "/proc/cmdline"), *c = read_line(p);
	bool lab = false;

	/* the mark the lab's host gives its guests (lab/boot.c) */
	for (char *w = c ? strtok(c, " \n") : NULL; w && !lab;
	     w = strtok(NULL, " \n"))
		lab = !strcmp(w, "invlab.lab=1");

	free(c);
	free(p);
	return lab;
}

/* The entries of root/path whose names start with prefix, sorted. */
static void list_dir(const char *root, const char *path, const char *prefix,
		     struct strv *out)
{
	char *p = at(root, path);
	DIR *dir = opendir(p);
	struct dirent *de;

	free(p);
	while (dir && (de = readdir(dir)))
		if (de->d_name[0] != '.' &&
		    !strncmp(de->d_name, prefix, strlen(prefix)))
			strv_add(out, de->d_name);
	if (dir)
		closedir(dir);
	strv_sort(out);
}

static const struct {
	int bit;
	const char *name;
} efr_bits[] = {
	{ 0, "PREF" }, { 1, "PPR" }, { 2, "XT" },   { 3, "NX" },  { 4, "GT" },
	{ 6, "IA" },   { 7, "GA" },  { 8, "HE" },   { 9, "PC" },  { 21, "GAM" },
	{ 48, "GIO" }, { 49, "HA" }, { 50, "EPH" }, { 52, "HD" }, { 63, "SNP" },
};

char *doctor_efr_text(const char *features, unsigned long long *efr)
{
	char *end, *out, *t;
	unsigned long long v;

	errno = 0;
	v = strtoull(features, &end, 16);
	if (errno || end == features || (*end && *end != ':'))
		return NULL;
	*efr = v;
	out = xasprintf("EFR 0x%llx:", v);
	for (size_t i = 0; i < sizeof(efr_bits) / sizeof(efr_bits[0]); i++) {
		if (!(v >> efr_bits[i].bit & 1))
			continue;
		t = xasprintf("%s %s", out, efr_bits[i].name);
		free(out);
		out = t;
	}
	t = xasprintf("%s HATS=%llu GATS=%llu PASmax=%llu", out, v >> 10 & 3,
		      v >> 12 & 3, v >> 32 & 31);
	free(out);
	return t;
}

static void check_root(struct doctor *d)
{
	if (geteuid() == 0)
		add(d, "root", DOCTOR_OK, NULL, "running as root");
	else
		add(d, "root", DOCTOR_MISSING,
		    "run invlab as root (sudo): BPF, sysfs writes and the devices need it",
		    "running as uid %u", (unsigned)geteuid());
}

/* The AMD IOMMU units and what their EFR says; true when there is one. */
static bool check_iommu(const struct doctor_opts *o, struct doctor *d)
{
	struct strv amd = { 0 }, intel = { 0 };
	unsigned long long efr = 0, all = ~0ULL;
	char *feat = NULL, *p, *v, *text;
	bool ok = true;

	list_dir(o->root, "/sys/class/iommu", "ivhd", &amd);
	list_dir(o->root, "/sys/class/iommu", "dmar", &intel);
	if (!amd.n) {
		add(d, "amd-iommu", DOCTOR_MISSING,
		    intel.n ?
			    "invlab measures the AMD IOMMU driver: run it on an AMD host" :
			    "enable the IOMMU in the firmware (AMD CBS > NBIO > IOMMU) and do not boot with amd_iommu=off",
		    intel.n ?
			    "this host has no AMD IOMMU: it has an Intel VT-d IOMMU (%s)" :
			    "this host has no AMD IOMMU (nothing in /sys/class/iommu)",
		    intel.n ? intel.v[0] : "");
		strv_free(&amd);
		strv_free(&intel);
		return false;
	}
	for (size_t i = 0; i < amd.n; i++) {
		p = xasprintf("%s/sys/class/iommu/%s/amd-iommu/features",
			      o->root, amd.v[i]);
		v = read_line(p);
		free(p);
		text = v ? doctor_efr_text(v, &efr) : NULL;
		if (text)
			all &= efr;
		else
			ok = false;
		if (!i)
			feat = text ? text : xstrdup("features unreadable");
		else
			free(text);
		free(v);
	}
	add(d, "amd-iommu", DOCTOR_OK, NULL, "%zu unit(s) (%s ...); %s", amd.n,
	    amd.v[0], feat);
	if (!ok)
		add(d, "iommu-features", DOCTOR_REDUCED,
		    "the driver's amd-iommu/features file is missing or unreadable: features unknown",
		    "EFR of some unit unreadable");
	else if (!(all & 1ULL << 6))
		add(d, "iommu-features", DOCTOR_REDUCED,
		    "no IA (INVALIDATE_IOMMU_ALL): the flush-all tuning knob falls back to the walk",
		    "a unit lacks IA");
	else
		add(d, "iommu-features", DOCTOR_OK, NULL,
		    "every unit has IA%s%s", all & 1ULL << 4 ? ", GT" : "",
		    all & 1ULL << 9 ? ", PC" : "");
	free(feat);
	strv_free(&amd);
	strv_free(&intel);
	return true;
}

static void check_intremap(const struct doctor_opts *o, struct doctor *d)
{
	char *log = o->root[0] ? NULL : context_kernel_log();
	const char *ir = log ? context_intremap(log) : "unknown";
	/*
	 * only a suite's [checks] needs it: msi-storm without it records 0
	 * updates and says why (a stock kernel's result to compare against)
	 */
	bool needed = o->s && o->s->check_intremap;

	if (!strcmp(ir, "enabled"))
		add(d, "interrupt-remapping", DOCTOR_OK, NULL,
		    "enabled (kernel log)");
	else
		add(d, "interrupt-remapping",
		    needed && !strcmp(ir, "disabled") ? DOCTOR_MISSING :
							DOCTOR_REDUCED,
		    "IRTE updates and INVALIDATE_INTERRUPT_TABLE need interrupt remapping: enable x2APIC/IOMMU in the firmware, do not boot with intremap=off",
		    "%s%s", ir,
		    log ? " (kernel log)" :
			  " (the kernel log is not readable)");
	free(log);
}

/* The DMA domain type of every IOMMU group. */
static void check_dma(const struct doctor_opts *o, struct doctor *d)
{
	struct strv groups = { 0 };
	size_t dma = 0, fq = 0, ident = 0, other = 0;
	char *p, *t;

	list_dir(o->root, "/sys/kernel/iommu_groups", "", &groups);
	for (size_t i = 0; i < groups.n; i++) {
		p = xasprintf("%s/sys/kernel/iommu_groups/%s/type", o->root,
			      groups.v[i]);
		t = read_line(p);
		if (!t)
			other++;
		else if (!strcmp(t, "DMA"))
			dma++;
		else if (!strcmp(t, "DMA-FQ"))
			fq++;
		else if (!strcmp(t, "identity"))
			ident++;
		else
			other++;
		free(t);
		free(p);
	}
	add(d, "dma-mode",
	    groups.n && ident == groups.n ? DOCTOR_REDUCED : DOCTOR_OK,
	    groups.n && ident == groups.n ?
		    "every group is identity (iommu=pt): DMA is not translated, so no unmap invalidates anything; boot with iommu.passthrough=0" :
		    NULL,
	    "%zu IOMMU group(s): %zu DMA (strict), %zu DMA-FQ (lazy), %zu identity, %zu other",
	    groups.n, dma, fq, ident, other);
	strv_free(&groups);
}

static void check_kernel(const struct doctor_opts *o, struct doctor *d)
{
	char *p = at(o->root, "/sys/kernel/btf/vmlinux");
	size_t have = 0, n = 0;

	if (path_exists(p))
		add(d, "btf", DOCTOR_OK, NULL, "/sys/kernel/btf/vmlinux");
	else
		add(d, "btf", DOCTOR_MISSING,
		    "a kernel built with CONFIG_DEBUG_INFO_BTF=y (Debian, Ubuntu, Fedora and RHEL kernels have it): the probes are CO-RE",
		    "no /sys/kernel/btf/vmlinux");
	free(p);
	for (; kcheck_events[n]; n++) {
		p = xasprintf("%s/sys/kernel/tracing/events/amd_iommu/%s",
			      o->root, kcheck_events[n]);
		have += path_exists(p);
		free(p);
	}
	if (have == n)
		add(d, "lab-tracepoints", DOCTOR_OK, NULL,
		    "the %zu amd_iommu events of kernel/patches/0001", n);
	else
		add(d, "lab-tracepoints",
		    o->s && o->s->check_tracepoints ? DOCTOR_MISSING :
						      DOCTOR_REDUCED,
		    "fan-out is counted from the fallback probes only (no per-event kinds, no trace); the lab kernel (kernel/, make kernel) has them",
		    "%zu of the %zu amd_iommu events", have, n);
}

static void check_pmu(const struct doctor_opts *o, struct doctor *d)
{
	struct strv pmus = { 0 };

	list_dir(o->root, "/sys/bus/event_source/devices", "amd_iommu_", &pmus);
	if (pmus.n)
		add(d, "iommu-pmu", DOCTOR_OK, NULL, "%zu PMU(s): %s ...",
		    pmus.n, pmus.v[0]);
	else
		add(d, "iommu-pmu", DOCTOR_REDUCED,
		    "no hardware counts of the IOMMU's own (commands, IOTLB hits); it needs the PC feature and CONFIG_AMD_IOMMU (QEMU has none)",
		    "no amd_iommu_N perf PMU");
	strv_free(&pmus);
}

/* Free space where the results go: its nearest existing ancestor. */
static void check_space(const struct doctor_opts *o, struct doctor *d)
{
	char *dir = xstrdup(o->out_dir ? o->out_dir : ".");
	struct statvfs st;
	double mib;

	while (!path_exists(dir) && strrchr(dir, '/'))
		*strrchr(dir, '/') = '\0';
	if (!dir[0] || !path_exists(dir)) {
		/* "/x" trimmed to "", or a relative path with none there */
		const char *fallback = dir[0] ? "." : "/";

		free(dir);
		dir = xstrdup(fallback);
	}
	if (statvfs(dir, &st)) {
		add(d, "free-space", DOCTOR_REDUCED, NULL, "%s: %s", dir,
		    strerror(errno));
		free(dir);
		return;
	}
	mib = (double)st.f_bavail * st.f_frsize / (1024 * 1024);
	add(d, "free-space",
	    mib < DOCTOR_MIN_FREE_MIB ? DOCTOR_MISSING : DOCTOR_OK,
	    mib < DOCTOR_MIN_FREE_MIB ?
		    "free space where the results go (--out, --results)" :
		    NULL,
	    "%.0f MiB free in %s (%d needed)", mib, dir, DOCTOR_MIN_FREE_MIB);
	free(dir);
}

/* The suite's modules not loaded yet. */
static void unloaded_modules(const struct doctor_opts *o, struct strv *out)
{
	const struct strv *m = &o->s->modules;

	for (size_t i = 0; i < m->n; i++)
		if (!module_loaded(o->root, m->v[i]))
			strv_add(out, m->v[i]);
}

bool doctor_allowlist_has(const char *text, const char *device)
{
	const char *p = text, *eol, *w;
	size_t n, len = strlen(device);

	for (; p && *p; p = eol ? eol + 1 : NULL) {
		eol = strchr(p, '\n');
		n = eol ? (size_t)(eol - p) : strlen(p);
		w = p + strspn(p, " \t");
		if (w > p + n)
			continue;
		n -= (size_t)(w - p);
		for (size_t i = 0; i < n; i++)
			if (w[i] == ' ' || w[i] == '\t' || w[i] == '#' ||
			    w[i] == '\r') {
				n = i;
				break;
			}
		if (n && n == len && !memcmp(w, device, n))
			return true;
	}
	return false;
}

/* Whether device is a line of the allowlist file (file: which one). */
static bool allowed(const struct doctor_opts *o, const char *device,
		    const char **file)
{
	char *text;
	bool found;

	*file = o->allow_file		 ? o->allow_file :
		getenv("INVLAB_DEVICES") ? getenv("INVLAB_DEVICES") :
					   DOCTOR_ALLOW_FILE;
	text = read_file(*file, NULL);
	found = text && doctor_allowlist_has(text, device);
	free(text);
	return found;
}

/*
 * The suite's device: there, and the user's to use. On a real host a
 * device is used only when named: --device, or a line of the allowlist;
 * a PCI device moves to vfio-pci only with --allow-rebind naming it.
 */
static void check_device(const struct doctor_opts *o, struct doctor *d)
{
	const char *dev = o->device ? o->device : o->s->device, *file;
	bool pci = o->s->workload->device == WORKLOAD_DEVICE_PCI;
	char *p, err[ERRLEN] = "", *sys = at(o->root, "/sys");
	struct strv unloaded = { 0 };
	struct nvme_dev nd;

	if (!dev) {
		add(d, "device", DOCTOR_OK, NULL, "the suite uses no device");
		goto out;
	}
	if (!pci && !o->device_later)
		unloaded_modules(o, &unloaded);
	if (pci) {
		p = xasprintf("%s/bus/pci/devices/%s", sys, dev);
		if (!path_exists(p))
			add(d, "device", DOCTOR_MISSING,
			    "name a PCI device of this host (lspci -D) with --device",
			    "PCI device %s is not on this host", dev);
		else
			add(d, "device", DOCTOR_OK, NULL, "PCI device %s", dev);
		free(p);
	} else if (o->device_later) {
		/* invlab run resolves it, waiting for the driver's probe */
	} else if (unloaded.n &&
		   nvme_dev_resolve(sys, dev, &nd, err, sizeof(err))) {
		/* its driver may be among them: doctor loads nothing */
		char *mods = strv_join(&unloaded, " ");

		add(d, "device", DOCTOR_REDUCED,
		    "invlab run loads the suite's modules first; to check the device now, modprobe them and run doctor again",
		    "%s not found while the suite's modules (%s) are not loaded: not checked",
		    dev, mods);
		free(mods);
	} else if (!unloaded.n &&
		   nvme_dev_wait(o->root, dev, &nd, 50, err, sizeof(err))) {
		add(d, "device", DOCTOR_MISSING,
		    "name an NVMe namespace of this host with --device (serial:SERIAL or /dev/nvmeXnY; nvme list)",
		    "%s: %s", dev, err);
	} else {
		add(d, "device", DOCTOR_OK, NULL,
		    "%s is %s (PCI %s, IOMMU group type %s)", dev, nd.node,
		    nd.pci, nd.iommu_group_type);
	}
	if (d->lab_guest)
		add(d, "device-allowed", DOCTOR_OK, NULL,
		    "a lab guest (invlab.lab=1 on the kernel command line): its devices are disposable, the allowlist and --allow-rebind are not asked for");
	else if ((o->device && !strcmp(o->device, dev)) ||
		 allowed(o, dev, &file))
		add(d, "device-allowed", DOCTOR_OK, NULL, "%s named by %s", dev,
		    o->device ? "--device" : file);
	else
		add(d, "device-allowed", DOCTOR_MISSING,
		    "on a real host invlab uses only a device you name: --device DEV, or a line DEV in /etc/invlab/devices (INVLAB_DEVICES)",
		    "%s (the suite's) is not named on the command line nor in %s",
		    dev, file);
	if (!pci || d->lab_guest)
		goto out;
	if (o->allow_rebind && !strcmp(o->allow_rebind, dev))
		add(d, "rebind", DOCTOR_OK, NULL,
		    "%s may move to vfio-pci (--allow-rebind), and back after",
		    dev);
	else
		add(d, "rebind", DOCTOR_MISSING,
		    "the workload moves the device to vfio-pci for the run: allow it with --allow-rebind DEV",
		    "%s would leave its driver: not allowed", dev);
out:
	strv_free(&unloaded);
	free(sys);
}

static void check_modules(const struct doctor_opts *o, struct doctor *d)
{
	const struct strv *m = &o->s->modules;
	struct strv unloaded = { 0 }, missing = { 0 };
	char *list;

	if (!m->n)
		return;
	unloaded_modules(o, &unloaded);
	for (size_t i = 0; i < unloaded.n; i++)
		if (o->root[0] ||
		    run_cmd((char *const[]){ "modprobe", "-n", "-q",
					     unloaded.v[i], NULL },
			    NULL))
			strv_add(&missing, unloaded.v[i]);
	list = strv_join(missing.n ? &missing : m, " ");
	if (missing.n)
		add(d, "modules", DOCTOR_REDUCED,
		    "install the kernel's modules package (linux-modules-*, kernel-modules-extra): run tries modprobe and goes on in case they are built in",
		    "not loaded and modprobe cannot find: %s", list);
	else
		add(d, "modules", DOCTOR_OK, NULL, "%s (%zu not loaded yet)",
		    list, unloaded.n);
	free(list);
	strv_free(&missing);
	strv_free(&unloaded);
}

/* The matrix point's module.* knobs: there, writable and allowed. */
static void check_knobs(const struct doctor_opts *o, struct doctor *d)
{
	const struct strv *kv = o->params;
	struct strv allow = { 0 }, seen = { 0 };
	const char *k;

	strv_split(&allow, o->allow_knobs ? o->allow_knobs : "");
	for (size_t i = 0; kv && i < kv->n; i++) {
		char *name = xstrdup(kv->v[i]), *eq = strchr(name, '='), *p;

		if (eq)
			*eq = '\0';
		/* one line a knob, whichever of its values are listed */
		if (knob_kind(name, &k) != KNOB_MODULE ||
		    strv_has(&seen, name)) {
			free(name);
			continue;
		}
		strv_add(&seen, name);
		p = knob_sysfs_path(o->root, k);
		if (!p || !path_exists(p))
			add(d, "knobs", DOCTOR_REDUCED,
			    "a parameter of a module not loaded yet is checked again after the suite's modules load; the lab kernel (kernel/patches) has the amd_iommu_lab ones",
			    "%s: no %s", k, p ? p : "such parameter");
		else if (!d->lab_guest && !strv_has(&allow, k))
			add(d, "knobs", DOCTOR_MISSING,
			    "on a real host invlab writes a kernel setting only when named: --allow-knob MOD.PARAM",
			    "%s would be written: not allowed", k);
		else
			add(d, "knobs", DOCTOR_OK, NULL, "%s may be written",
			    k);
		free(p);
		free(name);
	}
	strv_free(&allow);
	strv_free(&seen);
}

/* Attach the suite's probes and detach them: what run will attach. */
static void check_attach(const struct doctor_opts *o, struct doctor *d)
{
	const struct suite *s = o->s;
	struct probe_opts po = {
		.top = invlab_top(),
		.kallsyms = "/proc/kallsyms",
		.cmdq = s ? s->cmdq_mechanism : "auto",
		.fallback = s && !s->workload->fallback ?
				    PROBE_FALLBACK_UNUSED :
			    s && !s->fallback_fanout ? PROBE_FALLBACK_OFF :
						       PROBE_FALLBACK_ON,
	};
	struct probe_set ps = { 0 };
	json_object *j = json_object_new_object();
	char err[ERRLEN] = "";

	if (probe_set_attach(&ps, &po, j, err, sizeof(err))) {
		add(d, "probes", DOCTOR_MISSING,
		    "fentry needs BTF and CONFIG_FUNCTION_TRACER, the kprobe fallback CONFIG_KPROBES; the symbols must be in /proc/kallsyms (amd_iommu built in or loaded)",
		    "cannot attach: %s", err);
	} else {
		add(d, "probes", DOCTOR_OK, NULL,
		    "attached and detached: cmdq by %s, fan-out by %s",
		    json_path_str(j, "cmdq.mechanism", "?"),
		    json_path_str(j, "fanout.mechanism", "?"));
		probe_set_finish(&ps);
	}
	json_object_put(j);
}

void doctor_all_values(const struct matrix *m, struct strv *kv)
{
	for (size_t i = 0; i < m->n; i++)
		for (size_t j = 0; j < m->params[i].values.n; j++)
			strv_addf(kv, "%s=%s", m->params[i].name,
				  m->params[i].values.v[j]);
}

size_t doctor_run(const struct doctor_opts *o, struct doctor *d)
{
	size_t missing = 0;

	memset(d, 0, sizeof(*d));
	d->lab_guest = doctor_lab_guest(o->root);
	check_root(d);
	if (check_iommu(o, d)) {
		check_intremap(o, d);
		check_dma(o, d);
	}
	check_kernel(o, d);
	check_pmu(o, d);
	check_space(o, d);
	if (o->s) {
		check_device(o, d);
		check_modules(o, d);
		check_knobs(o, d);
	}
	if (o->attach && geteuid() == 0 &&
	    path_exists("/sys/kernel/btf/vmlinux"))
		check_attach(o, d);
	for (size_t i = 0; i < d->n; i++)
		missing += d->items[i].v == DOCTOR_MISSING;
	return missing;
}

static const char *verdict_name(enum doctor_verdict v)
{
	return v == DOCTOR_OK	   ? "ok" :
	       v == DOCTOR_REDUCED ? "reduced" :
				     "missing";
}

void doctor_print(const struct doctor *d, FILE *f)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct doctor_item *it = &d->items[i];

		fprintf(f, "%-8s %s: %s\n", verdict_name(it->v), it->name,
			it->what);
		if (it->fix)
			fprintf(f, "%-8s   %s %s\n", "",
				it->v == DOCTOR_MISSING ? "fix:" : "costs:",
				it->fix);
	}
}

/* The missing items, "; "-separated, for an error message. */
static char *missing_text(const struct doctor *d)
{
	char *out = xstrdup(""), *t;

	for (size_t i = 0; i < d->n; i++) {
		const struct doctor_item *it = &d->items[i];

		if (it->v != DOCTOR_MISSING)
			continue;
		t = xasprintf("%s%s%s: %s (fix: %s)", out, out[0] ? "; " : "",
			      it->name, it->what, it->fix);
		free(out);
		out = t;
	}
	return out;
}

int doctor_gate(const struct doctor_opts *o, const char *suite_arg, FILE *show,
		char *err, size_t len)
{
	struct doctor d;
	char *why;
	int ret = 0;

	if (doctor_run(o, &d)) {
		if (show)
			doctor_print(&d, show);
		why = missing_text(&d);
		ret = seterr(
			err, len,
			"this machine cannot run suite %s: %s (invlab doctor --suite %s says more)",
			o->s->name, why, suite_arg);
		free(why);
	}
	doctor_free(&d);
	return ret;
}

json_object *doctor_json(const struct doctor *d)
{
	json_object *arr = json_object_new_array(), *o;

	for (size_t i = 0; i < d->n; i++) {
		const struct doctor_item *it = &d->items[i];

		o = json_object_new_object();
		json_object_object_add(o, "name",
				       json_object_new_string(it->name));
		json_object_object_add(
			o, "verdict",
			json_object_new_string(verdict_name(it->v)));
		json_object_object_add(o, "what",
				       json_object_new_string(it->what));
		json_object_object_add(
			o, "fix",
			it->fix ? json_object_new_string(it->fix) : NULL);
		json_object_array_add(arr, o);
	}
	return arr;
}

void doctor_free(struct doctor *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->items[i].name);
		free(d->items[i].what);
		free(d->items[i].fix);
	}
	free(d->items);
	memset(d, 0, sizeof(*d));
}

// SPDX-License-Identifier: GPL-2.0
#include "topology.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int topology_load(const char *top, const char *name, struct conf *c, char *err,
		  size_t err_len)
{
	char *path = strchr(name, '/') ?
			     xstrdup(name) :
			     xasprintf("%s/lab/topology/%s.conf", top, name);
	int ret = conf_load(path, c, err, err_len);

	free(path);
	if (ret)
		return ret;
	if (!conf_get(c, "machine", "type"))
		return seterr(err, err_len, "%s: [machine] needs type = (q35)",
			      c->path);
	if (!conf_get(c, "iommu", "device"))
		return seterr(err, err_len,
			      "%s: [iommu] needs device = (amd-iommu)",
			      c->path);
	return 0;
}

int parse_size(const char *s, unsigned long long *out)
{
	char *end;
	unsigned long long n;

	unsigned int shift = 0;

	/* strtoull would take "-1" as a huge number. */
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case 'K':
		shift = 10;
		end++;
		break;
	case 'M':
		shift = 20;
		end++;
		break;
	case 'G':
		shift = 30;
		end++;
		break;
	case '\0': break;
	default: return -1;
	}
	if (*end || !n || n > (~0ULL >> shift))
		return -1;
	n <<= shift;
	*out = n;
	return 0;
}

static bool is_device_section(const char *sec, const char **name)
{
	if (strncmp(sec, "device ", 7) || !sec[7])
		return false;
	*name = sec + 7;
	return true;
}

int topology_disks(const struct conf *c, const char *scratch_dir,
		   struct topology_disk **disks, size_t *n, char *err,
		   size_t err_len)
{
	struct strv secs = { 0 };
	const char *name;

	*disks = NULL;
	*n = 0;
	conf_sections(c, &secs);
	*disks = xcalloc(secs.n, sizeof(**disks));
	for (size_t i = 0; i < secs.n; i++) {
		const char *size = conf_get(c, secs.v[i], "disk");
		struct topology_disk *d;

		if (!is_device_section(secs.v[i], &name) || !size)
			continue;
		d = &(*disks)[(*n)++];
		if (parse_size(size, &d->size)) {
			seterr(err, err_len,
			       "%s: [%s] disk = %s: expected a size such as 512M or 1G",
			       c->path, secs.v[i], size);
			strv_free(&secs);
			return -1;
		}
		d->name = xstrdup(name);
		d->path = xasprintf("%s/%s.img", scratch_dir, name);
	}
	strv_free(&secs);
	return 0;
}

void topology_disks_free(struct topology_disk *disks, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(disks[i].name);
		free(disks[i].path);
	}
	free(disks);
}

/* "driver,k=v,k=v" from every key of a section except the skipped ones. */
static char *props(const struct conf *c, const char *sec, const char *first,
		   const char *const skip[])
{
	char *s = xstrdup(first), *t;

	for (size_t i = 0; i < c->n; i++) {
		bool skipped = false;

		if (strcmp(c->e[i].section, sec))
			continue;
		for (size_t k = 0; skip[k] && !skipped; k++)
			skipped = !strcmp(c->e[i].key, skip[k]);
		if (skipped)
			continue;
		t = xasprintf("%s,%s=%s", s, c->e[i].key, c->e[i].value);
		free(s);
		s = t;
	}
	return s;
}

static void share(struct strv *a, const char *tag, const char *path, bool ro)
{
	strv_add(a, "-fsdev");
	strv_addf(a, "local,id=fs_%s,path=%s,security_model=none%s", tag, path,
		  ro ? ",readonly=on" : "");
	strv_add(a, "-device");
	strv_addf(a, "virtio-9p-pci,fsdev=fs_%s,mount_tag=%s", tag, tag);
}

int topology_argv(const struct conf *c, const struct boot_spec *b,
		  struct strv *a, char *err, size_t err_len)
{
	static const char *const machine_skip[] = { "type",   "cpu",
						    "smp",    "memory",
						    "append", "timing",
						    "icount", NULL };
	static const char *const iommu_skip[] = { "device", NULL };
	static const char *const device_skip[] = { "driver", "disk", "netdev",
						   NULL };
	const char *cpu = conf_get(c, "machine", "cpu");
	const char *smp = conf_get(c, "machine", "smp");
	const char *mem = conf_get(c, "machine", "memory");
	const char *extra = conf_get(c, "machine", "append");
	struct strv secs = { 0 };
	const char *name;
	char *p;

	strv_add(a, b->qemu);
	p = props(c, "machine", conf_get(c, "machine", "type"), machine_skip);
	strv_add(a, "-machine");
	strv_add(a, p);
	free(p);
	strv_add(a, "-cpu");
	strv_add(a, cpu ? cpu : "max");
	strv_add(a, "-smp");
	strv_add(a, smp ? smp : "2");
	strv_add(a, "-m");
	strv_add(a, mem ? mem : "2G");
	if (b->icount) {
		/* the guest's clock counts its instructions */
		strv_add(a, "-icount");
		strv_add(a, b->icount);
	}
	/* Only the devices named here: no default NIC, VGA or drives. */
	strv_add(a, "-nodefaults");
	strv_add(a, "-no-reboot");
	strv_add(a, "-display");
	strv_add(a, "none");
	strv_add(a, "-monitor");
	strv_add(a, "none");
	strv_add(a, "-serial");
	strv_addf(a, "file:%s", b->console_path);

	/* The IOMMU first, so every device after it sits behind it. */
	p = props(c, "iommu", conf_get(c, "iommu", "device"), iommu_skip);
	strv_add(a, "-device");
	strv_add(a, p);
	free(p);

	conf_sections(c, &secs);
	for (size_t i = 0; i < secs.n; i++) {
		const char *driver, *netdev;

		if (!is_device_section(secs.v[i], &name))
			continue;
		driver = conf_get(c, secs.v[i], "driver");
		if (!driver) {
			seterr(err, err_len, "%s: [%s] needs driver = ...",
			       c->path, secs.v[i]);
			strv_free(&secs);
			return -1;
		}
		if (conf_get(c, secs.v[i], "disk")) {
			strv_add(a, "-drive");
			strv_addf(
				a,
				"file=%s/%s.img,if=none,id=drive_%s,format=raw,cache=none,aio=threads",
				b->scratch_dir, name, name);
		}
		netdev = conf_get(c, secs.v[i], "netdev");
		if (netdev) {
			strv_add(a, "-netdev");
			strv_addf(a, "%s,id=net_%s", netdev, name);
		}
		p = props(c, secs.v[i], driver, device_skip);
		strv_add(a, "-device");
		strv_addf(a, "%s,id=%s%s%s%s%s", p, name,
			  conf_get(c, secs.v[i], "disk") ? ",drive=drive_" : "",
			  conf_get(c, secs.v[i], "disk") ? name : "",
			  netdev ? ",netdev=net_" : "", netdev ? name : "");
		free(p);
	}
	strv_free(&secs);

	share(a, "rootfs", b->rootfs_dir, true);
	share(a, "kernel", b->kernel_dir, true);
	share(a, "top", b->top_dir, true);
	share(a, "out", b->out_dir, false);

	strv_add(a, "-kernel");
	strv_add(a, b->kernel);
	strv_add(a, "-initrd");
	strv_add(a, b->initrd);
	strv_add(a, "-append");
	strv_addf(a, "%s%s%s", b->append, extra && *extra ? " " : "",
		  extra ? extra : "");
	return 0;
}

static bool icount_opts_ok(const char *opts, size_t max)
{
	return *opts && strlen(opts) < max && !strpbrk(opts, " \t'\"");
}

int timing_set_icount(struct lab_timing *t, const char *opts, char *err,
		      size_t err_len)
{
	if (!icount_opts_ok(opts, sizeof(t->icount)))
		return seterr(err, err_len,
			      "--icount '%s': QEMU -icount options such as %s",
			      opts, TOPOLOGY_ICOUNT_DEFAULT);
	if (strcmp(t->mode, "icount"))
		return seterr(
			err, err_len,
			"--icount %s: the clock is %s, not icount (--timing icount)",
			opts, t->mode);
	snprintf(t->icount, sizeof(t->icount), "%s", opts);
	return 0;
}

int topology_timing(const struct conf *c, const char *override,
		    const char *override_from, struct lab_timing *t, char *err,
		    size_t err_len)
{
	const char *mode = conf_get(c, "machine", "timing");
	const char *opts = conf_get(c, "machine", "icount");
	const char *from = c->path;

	memset(t, 0, sizeof(*t));
	if (override) {
		mode = override;
		from = override_from;
	}
	if (!mode)
		mode = "wall";
	if (strcmp(mode, "wall") && strcmp(mode, "icount"))
		return seterr(err, err_len,
			      "%s: timing = %s: expected wall or icount", from,
			      mode);
	if (opts && !icount_opts_ok(opts, sizeof(t->icount)))
		return seterr(
			err, err_len,
			"%s: [machine] icount = '%s': QEMU -icount options such as %s",
			c->path, opts, TOPOLOGY_ICOUNT_DEFAULT);
	snprintf(t->mode, sizeof(t->mode), "%s", mode);
	if (!strcmp(mode, "icount"))
		snprintf(t->icount, sizeof(t->icount), "%s",
			 opts ? opts : TOPOLOGY_ICOUNT_DEFAULT);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
#include "topology.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A key topology_argv passes to QEMU as a property, as it is. */
#define QEMU_PROP CONF_OWN_FLAG

/* [machine]: what invlab reads, then -machine properties. */
static const struct conf_key machine_keys[] = {
	{ "type", 0 },
	{ "cpu", 0 },
	{ "smp", 0 },
	{ "memory", 0 },
	{ "append", 0 },
	{ "timing", 0 },
	{ "icount", 0 },
	{ "accel", QEMU_PROP },
	{ "acpi", QEMU_PROP },
	{ "hpet", QEMU_PROP },
	{ "pit", QEMU_PROP },
	{ "pic", QEMU_PROP },
	{ "smm", QEMU_PROP },
	{ "vmport", QEMU_PROP },
	{ "usb", QEMU_PROP },
	{ "sata", QEMU_PROP },
	{ "smbus", QEMU_PROP },
	{ "i8042", QEMU_PROP },
	{ "graphics", QEMU_PROP },
	{ "mem-merge", QEMU_PROP },
	{ "max-ram-below-4g", QEMU_PROP },
	{ "default-bus-bypass-iommu", QEMU_PROP },
	{ NULL, 0 },
};

/* [iommu] device = amd-iommu, with its QEMU properties. */
static const struct conf_key iommu_keys[] = { { "device", 0 }, { NULL, 0 } };

static const struct conf_key amd_iommu_keys[] = {
	{ "intremap", QEMU_PROP },
	{ "xtsup", QEMU_PROP },
	{ "pt", QEMU_PROP },
	{ "device-iotlb", QEMU_PROP },
	{ NULL, 0 },
};

static const struct conf_key *iommu_type_keys(const char *device)
{
	return !strcmp(device, "amd-iommu") ? amd_iommu_keys : NULL;
}

/* [device NAME]: its driver, and what QEMU takes of any PCI device. */
static const struct conf_key device_keys[] = {
	{ "driver", 0 },
	{ "bus", QEMU_PROP },
	{ "addr", QEMU_PROP },
	{ "multifunction", QEMU_PROP },
	{ "rombar", QEMU_PROP },
	{ "romfile", QEMU_PROP },
	{ "acpi-index", QEMU_PROP },
	{ NULL, 0 },
};

/* disk: the size of a scratch image, the device's drive. */
static const struct conf_key nvme_keys[] = {
	{ "disk", 0 },
	{ "serial", QEMU_PROP },
	{ "max_ioqpairs", QEMU_PROP },
	{ "msix_qsize", QEMU_PROP },
	{ "mdts", QEMU_PROP },
	{ "mqes", QEMU_PROP },
	{ "logical_block_size", QEMU_PROP },
	{ "physical_block_size", QEMU_PROP },
	{ "cmb_size_mb", QEMU_PROP },
	{ "ioeventfd", QEMU_PROP },
	{ "use-intel-id", QEMU_PROP },
	{ "sriov_max_vfs", QEMU_PROP },
	{ "write-cache", QEMU_PROP },
	{ NULL, 0 },
};

/* netdev: the QEMU -netdev backend and its options (user,restrict=on). */
static const struct conf_key e1000e_keys[] = {
	{ "netdev", 0 },
	{ "mac", QEMU_PROP },
	{ "init-vet", QEMU_PROP },
	{ "disable_vnet_hdr", QEMU_PROP },
	{ "subsys", QEMU_PROP },
	{ "subsys_ven", QEMU_PROP },
	{ NULL, 0 },
};

static const struct conf_key pcie_pci_bridge_keys[] = {
	{ "msi", QEMU_PROP },
	{ NULL, 0 },
};

static const struct conf_key pcie_root_port_keys[] = {
	{ "chassis", QEMU_PROP },     { "slot", QEMU_PROP },
	{ "port", QEMU_PROP },	      { "hotplug", QEMU_PROP },
	{ "bus-reserve", QEMU_PROP }, { NULL, 0 },
};

static const struct conf_key pci_testdev_keys[] = {
	{ "membar", QEMU_PROP },
	{ NULL, 0 },
};

/* The device drivers a topology may name, and the keys of each. */
static const struct topology_driver {
	const char *name;
	bool bridge; /* devices behind it name its NAME as their bus */
	const struct conf_key *keys;
} topology_drivers[] = {
	{ "nvme", false, nvme_keys },
	{ "e1000e", false, e1000e_keys },
	{ "pcie-pci-bridge", true, pcie_pci_bridge_keys },
	{ "pcie-root-port", true, pcie_root_port_keys },
	{ "pci-testdev", false, pci_testdev_keys },
};

static const struct topology_driver *find_driver(const char *name)
{
	for (size_t i = 0; name && i < ARRAY_SIZE(topology_drivers); i++) {
		if (!strcmp(topology_drivers[i].name, name))
			return &topology_drivers[i];
	}
	return NULL;
}

static const char *driver_name(size_t i)
{
	return topology_drivers[i].name;
}

/* "a, b or c" of the n names name(i) gives, to be freed. */
static char *or_list(size_t n, const char *(*name)(size_t i))
{
	char *s = xstrdup(""), *t;

	for (size_t i = 0; i < n; i++) {
		t = xasprintf("%s%s%s", s,
			      !i	? "" :
			      i + 1 < n ? ", " :
					  " or ",
			      name(i));
		free(s);
		s = t;
	}
	return s;
}

static const struct conf_key *driver_type_keys(const char *driver)
{
	const struct topology_driver *d = find_driver(driver);

	return d ? d->keys : NULL;
}

static const struct conf_section topology_sections[] = {
	{ "machine", machine_keys, NULL, NULL },
	{ "iommu", iommu_keys, "device", iommu_type_keys },
	{ "device *", device_keys, "driver", driver_type_keys },
	{ NULL, NULL, NULL, NULL },
};

static bool is_device_section(const char *sec, const char **name)
{
	if (strncmp(sec, "device ", 7) || !sec[7])
		return false;
	*name = sec + 7;
	return true;
}

/* QEMU's addr: a slot in hex (0x optional) and an optional function. */
static int parse_addr(const char *s, unsigned int *devfn)
{
	unsigned int slot, fn = 0;
	int n = 0;

	if (!isxdigit((unsigned char)*s))
		return -1;
	if (sscanf(s, "%x.%x%n", &slot, &fn, &n) != 2 &&
	    sscanf(s, "%x%n", &slot, &n) != 1)
		return -1;
	if (s[n] || slot > 0x1f || fn > 7)
		return -1;
	*devfn = slot << 3 | fn;
	return 0;
}

static int check_machine(const struct conf *c, char *err, size_t len)
{
	const char *type = conf_require(c, "machine", "type", err, len);
	const char *cpu = conf_get(c, "machine", "cpu");
	const char *mem = conf_get(c, "machine", "memory");
	unsigned long long size;
	struct lab_timing t;
	long smp;

	if (!type)
		return -1;
	if (strcmp(type, "q35") && strncmp(type, "pc-q35-", 7))
		return conf_err(
			c, "machine", "type", err, len,
			"expected q35 (or a versioned pc-q35-X.Y): the devices sit on its pcie.0");
	if (cpu && (!*cpu || strspn(cpu, "abcdefghijklmnopqrstuvwxyz"
					 "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					 "0123456789-_.,+=") != strlen(cpu)))
		return conf_err(c, "machine", "cpu", err, len,
				"expected a QEMU CPU model such as max");
	if (mem &&
	    (parse_size(mem, &size) || !strchr("MG", mem[strlen(mem) - 1])))
		return conf_err(c, "machine", "memory", err, len,
				"expected a size in M or G such as 2G");
	return conf_get_long(c, "machine", "smp", 2, 1, 256, &smp, err, len) ||
	       topology_timing(c, NULL, NULL, &t, err, len);
}

static const char *const netdev_backends[] = {
	"user",	   "tap",    "socket", "stream", "dgram",
	"hubport", "bridge", "l2tpv3", "vde",
};

static const char *backend_name(size_t i)
{
	return netdev_backends[i];
}

static int check_netdev(const struct conf *c, const char *sec, char *err,
			size_t len)
{
	const char *v = conf_get(c, sec, "netdev");
	size_t n = v ? strcspn(v, ",") : 0;
	char *list;

	for (size_t i = 0; v && i < ARRAY_SIZE(netdev_backends); i++) {
		if (strlen(netdev_backends[i]) == n &&
		    !strncmp(v, netdev_backends[i], n))
			return 0;
	}
	if (!v)
		return 0;
	list = or_list(ARRAY_SIZE(netdev_backends), backend_name);
	conf_err(
		c, sec, "netdev", err, len,
		"expected a QEMU -netdev backend (%s) and its options, such as user,restrict=on",
		list);
	free(list);
	return -1;
}

/* bus: pcie.0, or the NAME of a bridge given before it. */
static int check_bus(const struct conf *c, const struct strv *secs, size_t i,
		     char *err, size_t len)
{
	const char *bus = conf_get(c, secs->v[i], "bus"), *name;

	if (!bus || !strcmp(bus, "pcie.0"))
		return 0;
	for (size_t k = 0; k < i; k++) {
		const char *driver = conf_get(c, secs->v[k], "driver");
		const struct topology_driver *d = find_driver(driver);

		if (!is_device_section(secs->v[k], &name) || strcmp(name, bus))
			continue;
		if (d && d->bridge)
			return 0;
		return conf_err(c, secs->v[i], "bus", err, len,
				"[device %s] is a %s, not a bridge", bus,
				driver);
	}
	return conf_err(
		c, secs->v[i], "bus", err, len,
		"expected pcie.0 or the NAME of a bridge given above it");
}

/* addr: a slot and function, once on its bus. */
static int check_addr(const struct conf *c, const struct strv *secs, size_t i,
		      char *err, size_t len)
{
	const char *addr = conf_get(c, secs->v[i], "addr"), *bus, *name;
	unsigned int devfn, other;

	if (!addr)
		return 0;
	if (parse_addr(addr, &devfn))
		return conf_err(
			c, secs->v[i], "addr", err, len,
			"expected a slot (up to 1f) and an optional function (up to 7), such as 0x4 or 04.1");
	bus = conf_get(c, secs->v[i], "bus");
	for (size_t k = 0; bus && k < i; k++) {
		const char *b = conf_get(c, secs->v[k], "bus");
		const char *a = conf_get(c, secs->v[k], "addr");

		if (is_device_section(secs->v[k], &name) && b && a &&
		    !strcmp(b, bus) && !parse_addr(a, &other) && other == devfn)
			return conf_err(c, secs->v[i], "addr", err, len,
					"[device %s] is at %s on %s already",
					name, a, bus);
	}
	return 0;
}

static int check_device(const struct conf *c, const struct strv *secs, size_t i,
			char *err, size_t len)
{
	const char *sec = secs->v[i], *name = sec + 7, *driver, *disk;
	unsigned long long size;

	if (!isalpha((unsigned char)*name) ||
	    strspn(name,
		   "abcdefghijklmnopqrstuvwxyz"
		   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._") != strlen(name))
		return conf_err(
			c, sec, NULL, err, len,
			"NAME is its QEMU id: a letter, then letters, digits, '-', '.' and '_'");
	driver = conf_require(c, sec, "driver", err, len);
	if (!driver)
		return -1;
	if (!find_driver(driver)) {
		char *list = or_list(ARRAY_SIZE(topology_drivers), driver_name);

		conf_err(
			c, sec, "driver", err, len,
			"expected %s (the drivers bench/src/lab/topology.c knows)",
			list);
		free(list);
		return -1;
	}
	disk = conf_get(c, sec, "disk");
	if (disk && parse_size(disk, &size))
		return conf_err(c, sec, "disk", err, len,
				"expected a size such as 512M or 1G");
	return check_netdev(c, sec, err, len) ||
	       check_bus(c, secs, i, err, len) ||
	       check_addr(c, secs, i, err, len);
}

/* Everything QEMU would otherwise find wrong only after it started. */
static int check_topology(const struct conf *c, char *err, size_t len)
{
	struct strv secs = { 0 };
	const char *name;
	int ret;

	ret = conf_check(c, topology_sections, err, len) ||
	      check_machine(c, err, len);
	if (!ret && !conf_require(c, "iommu", "device", err, len))
		ret = -1;
	if (!ret && !iommu_type_keys(conf_get(c, "iommu", "device")))
		ret = conf_err(c, "iommu", "device", err, len,
			       "expected amd-iommu (the lab's IOMMU)");
	conf_sections(c, &secs);
	for (size_t i = 0; i < secs.n && !ret; i++) {
		if (is_device_section(secs.v[i], &name))
			ret = check_device(c, &secs, i, err, len);
	}
	strv_free(&secs);
	return ret ? -1 : 0;
}

int topology_load(const char *top, const char *name, struct conf *c, char *err,
		  size_t err_len)
{
	char *path = strchr(name, '/') ?
			     xstrdup(name) :
			     xasprintf("%s/lab/topology/%s.conf", top, name);
	int ret = conf_load(path, c, err, err_len);

	free(path);
	if (!ret && check_topology(c, err, err_len)) {
		conf_free(c);
		ret = -1;
	}
	return ret;
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
			conf_err(c, secs.v[i], "disk", err, err_len,
				 "expected a size such as 512M or 1G");
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

/* "driver,k=v,k=v" from the section's keys that are QEMU properties. */
static char *props(const struct conf *c, const char *sec, const char *first,
		   const struct conf_key *keys, const struct conf_key *more)
{
	char *s = xstrdup(first), *t;

	for (size_t i = 0; i < c->n; i++) {
		const struct conf_key *k;

		if (strcmp(c->e[i].section, sec))
			continue;
		k = conf_key_find(keys, c->e[i].key);
		if (!k)
			k = conf_key_find(more, c->e[i].key);
		if (!k || !(k->flags & QEMU_PROP))
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
	const char *iommu = conf_get(c, "iommu", "device");
	const char *cpu = conf_get(c, "machine", "cpu");
	const char *smp = conf_get(c, "machine", "smp");
	const char *mem = conf_get(c, "machine", "memory");
	const char *extra = conf_get(c, "machine", "append");
	struct strv secs = { 0 };
	const char *name;
	char *p;

	strv_add(a, b->qemu);
	p = props(c, "machine", conf_get(c, "machine", "type"), machine_keys,
		  NULL);
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
	p = props(c, "iommu", iommu, iommu_keys, iommu_type_keys(iommu));
	strv_add(a, "-device");
	strv_add(a, p);
	free(p);

	conf_sections(c, &secs);
	for (size_t i = 0; i < secs.n; i++) {
		const char *driver, *netdev;

		if (!is_device_section(secs.v[i], &name))
			continue;
		driver = conf_require(c, secs.v[i], "driver", err, err_len);
		if (!driver) {
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
		p = props(c, secs.v[i], driver, device_keys,
			  driver_type_keys(driver));
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
		return override ?
			       seterr(err, err_len,
				      "%s: timing = %s: expected wall or icount",
				      from, mode) :
			       conf_err(c, "machine", "timing", err, err_len,
					"expected wall or icount");
	if (opts && !icount_opts_ok(opts, sizeof(t->icount)))
		return conf_err(c, "machine", "icount", err, err_len,
				"QEMU -icount options such as %s",
				TOPOLOGY_ICOUNT_DEFAULT);
	snprintf(t->mode, sizeof(t->mode), "%s", mode);
	if (!strcmp(mode, "icount"))
		snprintf(t->icount, sizeof(t->icount), "%s",
			 opts ? opts : TOPOLOGY_ICOUNT_DEFAULT);
	return 0;
}

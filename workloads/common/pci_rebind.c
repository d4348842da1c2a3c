// SPDX-License-Identifier: GPL-2.0
#include "pci_rebind.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/util.h"

bool is_pci_addr(const char *v)
{
	unsigned int dom, bus, dev, fn;
	char end;

	return strlen(v) == 12 &&
	       sscanf(v, "%4x:%2x:%2x.%1x%c", &dom, &bus, &dev, &fn, &end) == 4;
}

static int write_devfile(const char *sysfs, const char *pci, const char *file,
			 const char *val)
{
	char *p = xasprintf("%s/bus/pci/devices/%s/%s", sysfs, pci, file);
	int r = write_str_file(p, val);

	free(p);
	return r;
}

void pci_bound_driver(const char *sysfs, const char *pci, char *buf, size_t len)
{
	char *link = xasprintf("%s/bus/pci/devices/%s/driver", sysfs, pci);
	char target[PATH_MAX];
	ssize_t n = readlink(link, target, sizeof(target) - 1);

	free(link);
	buf[0] = '\0';
	if (n > 0) {
		target[n] = '\0';
		snprintf(buf, len, "%s", strrchr(target, '/') + 1);
	}
}

int pci_binding_save(const char *sysfs, const char *pci, struct pci_binding *b,
		     char *err, size_t len)
{
	char *dev = xasprintf("%s/bus/pci/devices/%s", sysfs, pci), *ov;

	memset(b, 0, sizeof(*b));
	if (!path_exists(dev)) {
		seterr(err, len, "no PCI device %s (%s)", pci, dev);
		free(dev);
		return -1;
	}
	snprintf(b->sysfs, sizeof(b->sysfs), "%s", sysfs);
	snprintf(b->pci, sizeof(b->pci), "%s", pci);
	pci_bound_driver(sysfs, pci, b->driver, sizeof(b->driver));
	ov = xasprintf("%s/driver_override", dev);
	free(dev);
	dev = read_line(ov);
	free(ov);
	/* sysfs shows "(null)" when no override is set */
	if (dev && strcmp(dev, "(null)"))
		snprintf(b->override, sizeof(b->override), "%s", dev);
	free(dev);
	b->saved = true;
	return 0;
}

int pci_bind_driver(const char *sysfs, const char *pci, const char *drv,
		    bool may_rebind, char *err, size_t len)
{
	char *dev = xasprintf("%s/bus/pci/devices/%s", sysfs, pci);
	char cur[64], *p;
	int ret = -1, r;

	if (!path_exists(dev)) {
		seterr(err, len, "no PCI device %s (%s)", pci, dev);
		goto out;
	}
	pci_bound_driver(sysfs, pci, cur, sizeof(cur));
	if (!strcmp(cur, drv)) {
		ret = 0;
		goto out;
	}
	if (cur[0] && !may_rebind) {
		seterr(err, len,
		       "%s is bound to %s; invlab rebinds only devices it was told to in a lab guest. Bind it yourself: echo %s > %s/driver_override; echo %s > %s/driver/unbind; echo %s > %s/bus/pci/drivers_probe",
		       pci, cur, drv, dev, pci, dev, pci, sysfs);
		goto out;
	}
	r = write_devfile(sysfs, pci, "driver_override", drv);
	if (r) {
		seterr(err, len, "cannot set %s/driver_override: %s", dev,
		       strerror(-r));
		goto out;
	}
	if (cur[0]) {
		r = write_devfile(sysfs, pci, "driver/unbind", pci);
		if (r) {
			seterr(err, len, "cannot unbind %s from %s: %s", pci,
			       cur, strerror(-r));
			goto out;
		}
	}
	p = xasprintf("%s/bus/pci/drivers_probe", sysfs);
	r = write_str_file(p, pci);
	free(p);
	pci_bound_driver(sysfs, pci, cur, sizeof(cur));
	if (r || strcmp(cur, drv)) {
		seterr(err, len,
		       "%s did not bind to %s (%s); is the driver in this kernel (CONFIG_VFIO_PCI for vfio-pci)?",
		       pci, drv, r ? strerror(-r) : "no driver after probe");
		goto out;
	}
	ret = 0;
out:
	free(dev);
	return ret;
}

int pci_binding_restore(const struct pci_binding *b, char *err, size_t len)
{
	char cur[64], *p;
	int r;

	if (!b->saved)
		return 0;
	pci_bound_driver(b->sysfs, b->pci, cur, sizeof(cur));
	if (strcmp(cur, b->driver) && cur[0]) {
		r = write_devfile(b->sysfs, b->pci, "driver/unbind", b->pci);
		if (r)
			return seterr(err, len, "cannot unbind %s from %s: %s",
				      b->pci, cur, strerror(-r));
	}
	/* a newline clears driver_override */
	r = write_devfile(b->sysfs, b->pci, "driver_override",
			  b->override[0] ? b->override : "\n");
	if (r)
		return seterr(
			err, len,
			"cannot restore %s/bus/pci/devices/%s/driver_override: %s",
			b->sysfs, b->pci, strerror(-r));
	if (strcmp(cur, b->driver) && b->driver[0]) {
		p = xasprintf("%s/bus/pci/drivers_probe", b->sysfs);
		write_str_file(p, b->pci);
		free(p);
	}
	pci_bound_driver(b->sysfs, b->pci, cur, sizeof(cur));
	if (strcmp(cur, b->driver))
		return seterr(err, len,
			      "%s is on %s after restoring, not %s as before",
			      b->pci, cur[0] ? cur : "no driver",
			      b->driver[0] ? b->driver : "no driver");
	return 0;
}

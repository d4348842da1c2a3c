/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Moving a PCI device to another driver (vfio-pci for DPDK and iommufd,
 * whatever a workload needs) through sysfs's driver_override, and putting
 * it back: the binding a workload found is saved first and restored on
 * every exit, success, failure or Ctrl-C alike.
 */
#ifndef INVLAB_PCI_REBIND_H
#define INVLAB_PCI_REBIND_H

#include <stdbool.h>
#include <stddef.h>

struct pci_binding {
	char sysfs[64]; /* "/sys", or a test tree */
	char pci[32]; /* 0000:00:05.0 */
	char driver[64]; /* the driver it had ("" for none) */
	char override[64]; /* its driver_override before ("" for none) */
	bool saved;
};

/* A full PCI address: 0000:00:05.0. */
bool is_pci_addr(const char *v);

/* The name of the driver bound to pci ("" if none) into buf. */
void pci_bound_driver(const char *sysfs, const char *pci, char *buf,
		      size_t len);

/* Record pci's driver and driver_override; errors name the device. */
int pci_binding_save(const char *sysfs, const char *pci, struct pci_binding *b,
		     char *err, size_t len);

/*
 * Bind pci to drv. A device already on drv is left alone. Otherwise it is
 * unbound from its driver only when may_rebind is true (the user named the
 * device, or this is a disposable lab guest); if not, the error says how to
 * bind it by hand.
 */
int pci_bind_driver(const char *sysfs, const char *pci, const char *drv,
		    bool may_rebind, char *err, size_t len);

/*
 * Put the device back on the driver pci_binding_save() found, with its old
 * driver_override. Returns 0 when sysfs reads back that driver.
 */
int pci_binding_restore(const struct pci_binding *b, char *err, size_t len);

#endif

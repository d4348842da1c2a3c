// SPDX-License-Identifier: GPL-2.0
/* bench/src/lab/topology.h: QEMU topology files to a QEMU command line. */
#include "testutil.h"

#include "lab/topology.h"

static const struct boot_spec boot = {
	.qemu = "/usr/bin/qemu-system-x86_64",
	.kernel = "/k/vmlinuz-6.12",
	.initrd = "/k/initrd.img",
	.append = "console=ttyS0 panic=-1",
	.rootfs_dir = "/lab/rootfs",
	.kernel_dir = "/lab/kernel",
	.top_dir = "/work/top",
	.out_dir = "/lab/out/boot1",
	.console_path = "/lab/out/boot1/console.log",
	.scratch_dir = "/lab/scratch",
};

/* Index of the first argv entry equal to s at or after from, or -1. */
static long find_arg(const struct strv *a, const char *s, size_t from)
{
	for (size_t i = from; i < a->n; i++) {
		if (!strcmp(a->v[i], s))
			return (long)i;
	}
	return -1;
}

/* Index of the value of the first "opt VALUE" pair whose value starts with
 * prefix, or -1.
 */
static long find_opt(const struct strv *a, const char *opt, const char *prefix)
{
	for (size_t i = 0; i + 1 < a->n; i++) {
		if (!strcmp(a->v[i], opt) &&
		    !strncmp(a->v[i + 1], prefix, strlen(prefix)))
			return (long)i + 1;
	}
	return -1;
}

/* Index of the -device value whose id property is id, or -1. */
static long find_device(const struct strv *a, const char *id)
{
	char *prop = tu_printf(",id=%s", id);
	size_t n = strlen(prop);
	long found = -1;

	for (size_t i = 1; i < a->n && found < 0; i++) {
		const char *p = a->v[i];

		if (strcmp(a->v[i - 1], "-device"))
			continue;
		while ((p = strstr(p, prop))) {
			if (p[n] == ',' || p[n] == '\0') {
				found = (long)i;
				break;
			}
			p += n;
		}
	}
	free(prop);
	return found;
}

/* The value following the only occurrence of opt. */
static const char *only_opt(const struct strv *a, const char *opt)
{
	long i = find_arg(a, opt, 0);

	if (i < 0 || (size_t)i + 1 >= a->n)
		fail_msg("no %s in the QEMU command line", opt);
	if (find_arg(a, opt, i + 1) >= 0)
		fail_msg("%s appears twice in the QEMU command line", opt);
	return a->v[i + 1];
}

/* The default topology's argv, for the tests that read it. */
static int setup_default_argv(void **state)
{
	char err[ERRLEN] = "";
	struct strv *a = calloc(1, sizeof(*a));
	struct conf c;

	if (topology_load(tu_top(), "default", &c, err, sizeof(err)) ||
	    topology_argv(&c, &boot, a, err, sizeof(err))) {
		print_error("default topology: %s\n", err);
		conf_free(&c);
		strv_free(a);
		free(a);
		return -1;
	}
	conf_free(&c);
	*state = a;
	return 0;
}

static int teardown_argv(void **state)
{
	strv_free(*state);
	free(*state);
	return 0;
}

#define default_argv_test(f) \
	cmocka_unit_test_setup_teardown(f, setup_default_argv, teardown_argv)

static void test_argv_starts_with_qemu_and_is_null_terminated(void **state)
{
	const struct strv *a = *state;

	assert_string_equal(a->v[0], boot.qemu);
	assert_null(a->v[a->n]);
}

static void test_argv_machine_from_topology(void **state)
{
	const struct strv *a = *state;

	assert_string_equal(only_opt(a, "-machine"), "q35,accel=tcg");
	assert_string_equal(only_opt(a, "-cpu"), "max");
	assert_string_equal(only_opt(a, "-smp"), "2");
	assert_string_equal(only_opt(a, "-m"), "2G");
	assert_true(find_arg(a, "-nodefaults", 0) > 0);
	assert_string_equal(only_opt(a, "-serial"),
			    "file:/lab/out/boot1/console.log");
}

static void test_argv_iommu_device_before_nvme(void **state)
{
	const struct strv *a = *state;
	long iommu = find_opt(a, "-device", "amd-iommu");
	long nvme = find_device(a, "nvme0");

	assert_true(iommu > 0);
	assert_string_equal(a->v[iommu], "amd-iommu,intremap=on");
	assert_true(nvme > 0);
	/* Devices created before the IOMMU would not sit behind it. */
	assert_true(iommu < nvme);
	assert_true(iommu < find_device(a, "nic0"));
	assert_true(iommu < find_device(a, "bridge0"));
	assert_true(iommu < find_device(a, "alias0"));
}

static void test_argv_nvme_device_and_its_drive(void **state)
{
	const struct strv *a = *state;
	long nvme = find_device(a, "nvme0");
	long drive = find_opt(a, "-drive", "");
	const char *d;

	assert_true(nvme > 0);
	d = a->v[nvme];
	assert_true(!strncmp(d, "nvme,", 5));
	assert_contains(d, ",serial=invlab-nvme0");
	assert_contains(d, ",drive=drive_nvme0");
	assert_contains(d, ",addr=0x4");
	assert_contains(d, ",bus=pcie.0");
	/* disk is invlab's key, not a QEMU property. */
	assert_null(strstr(d, "disk="));

	assert_true(drive > 0);
	assert_contains(a->v[drive], "file=/lab/scratch/nvme0.img");
	assert_contains(a->v[drive], "id=drive_nvme0");
	assert_contains(a->v[drive], "format=raw");
	/* Only nvme0 has a disk. */
	assert_int_equal(find_arg(a, "-drive", drive), -1);
}

static void test_argv_alias_nic_behind_bridge(void **state)
{
	const struct strv *a = *state;
	long bridge = find_device(a, "bridge0");
	long alias = find_device(a, "alias0");
	long netdev;

	assert_true(alias > 0);
	assert_true(!strncmp(a->v[alias], "e1000e,", 7));
	assert_contains(a->v[alias], ",bus=bridge0");
	assert_contains(a->v[alias], ",addr=0x1");
	assert_contains(a->v[alias], ",netdev=net_alias0");
	assert_null(strstr(a->v[alias], "restrict"));
	/* QEMU needs the bridge's bus to exist before the device on it. */
	assert_true(bridge > 0);
	assert_true(!strncmp(a->v[bridge], "pcie-pci-bridge,", 16));
	assert_true(bridge < alias);
	netdev = find_opt(a, "-netdev", "user,restrict=on,id=net_alias0");
	assert_true(netdev > 0);
	assert_string_equal(a->v[netdev], "user,restrict=on,id=net_alias0");
}

static void check_share(const struct strv *a, const char *tag, const char *path,
			bool ro)
{
	char *fsdev = tu_printf("local,id=fs_%s,", tag);
	char *dev =
		tu_printf("virtio-9p-pci,fsdev=fs_%s,mount_tag=%s", tag, tag);
	char *p = tu_printf("path=%s,", path);
	long i = find_opt(a, "-fsdev", fsdev);

	if (i < 0)
		fail_msg("no -fsdev %s...", fsdev);
	assert_contains(a->v[i], p);
	if (ro)
		assert_contains(a->v[i], "readonly=on");
	else
		assert_null(strstr(a->v[i], "readonly"));
	assert_true(find_opt(a, "-device", dev) > 0);
	free(p);
	free(dev);
	free(fsdev);
}

static void test_argv_four_9p_shares_only_out_writable(void **state)
{
	const struct strv *a = *state;
	long n = 0;

	check_share(a, "rootfs", boot.rootfs_dir, true);
	check_share(a, "kernel", boot.kernel_dir, true);
	check_share(a, "top", boot.top_dir, true);
	check_share(a, "out", boot.out_dir, false);
	for (long i = find_arg(a, "-fsdev", 0); i >= 0;
	     i = find_arg(a, "-fsdev", i + 1))
		n++;
	assert_int_equal(n, 4);
}

static void test_argv_kernel_initrd_append(void **state)
{
	const struct strv *a = *state;

	assert_string_equal(only_opt(a, "-kernel"), boot.kernel);
	assert_string_equal(only_opt(a, "-initrd"), boot.initrd);
	/* The default topology's append is empty: no trailing space. */
	assert_string_equal(only_opt(a, "-append"), boot.append);
}

static void test_disks_of_default_topology(void **state)
{
	char err[ERRLEN] = "";
	struct topology_disk *disks;
	struct conf c;
	size_t n;

	(void)state;
	assert_int_equal(
		topology_load(tu_top(), "default", &c, err, sizeof(err)), 0);
	assert_int_equal(topology_disks(&c, "/lab/scratch", &disks, &n, err,
					sizeof(err)),
			 0);
	assert_int_equal(n, 1);
	assert_string_equal(disks[0].name, "nvme0");
	assert_string_equal(disks[0].path, "/lab/scratch/nvme0.img");
	assert_int_equal(disks[0].size, 1ULL << 30);
	topology_disks_free(disks, n);
	conf_free(&c);
}

/* A topology file of the test's own, loaded by path. */
static int load_conf(const char *dir, const char *text, struct conf *c,
		     char *err, size_t err_len, char **path)
{
	*path = tu_write(dir, "topo.conf", text);
	return topology_load(tu_top(), *path, c, err, err_len);
}

#define PLATFORM "[machine]\ntype = q35\n[iommu]\ndevice = amd-iommu\n"

static void test_argv_append_adds_topology_arguments(void **state)
{
	char err[ERRLEN] = "";
	struct strv a = { 0 };
	struct conf c;
	char *path;

	assert_int_equal(load_conf(*state,
				   "[machine]\ntype = q35\n"
				   "append = iommu.strict=1\n"
				   "[iommu]\ndevice = amd-iommu\n",
				   &c, err, sizeof(err), &path),
			 0);
	assert_int_equal(topology_argv(&c, &boot, &a, err, sizeof(err)), 0);
	assert_string_equal(only_opt(&a, "-append"),
			    "console=ttyS0 panic=-1 iommu.strict=1");
	/* Defaults when the topology leaves them out. */
	assert_string_equal(only_opt(&a, "-machine"), "q35");
	assert_string_equal(only_opt(&a, "-cpu"), "max");
	assert_string_equal(only_opt(&a, "-m"), "2G");
	strv_free(&a);
	conf_free(&c);
	free(path);
}

/* A topology that must not load: its error names the file, line and needle. */
static void expect_topology_error(const char *dir, const char *text,
				  const char *needle)
{
	char err[ERRLEN] = "";
	struct conf c;
	char *path;

	if (!load_conf(dir, text, &c, err, sizeof(err), &path))
		fail_msg("topology_load accepted:\n%s", text);
	assert_contains(err, path);
	assert_contains(err, needle);
	conf_free(&c);
	free(path);
}

/* Found at load, before QEMU starts: not in a boot. */
static void test_load_device_without_driver_is_an_error(void **state)
{
	expect_topology_error(*state, PLATFORM "[device x]\nbus = pcie.0\n",
			      "topo.conf:5: [device x] needs driver");
	/* a near miss of driver is named as such */
	expect_topology_error(*state, PLATFORM "[device x]\ndrvier = nvme\n",
			      "topo.conf:6: [device x] unknown key 'drvier' "
			      "(did you mean 'driver'?)");
}

static void test_load_bad_disk_size_is_an_error(void **state)
{
	expect_topology_error(
		*state, PLATFORM "[device d0]\ndriver = nvme\ndisk = 12Q\n",
		"topo.conf:7: [device d0] disk = 12Q: expected a size");
}

static void test_load_unknown_sections_and_keys_named(void **state)
{
	expect_topology_error(
		*state, PLATFORM "[disk d0]\nsize = 1G\n",
		"topo.conf:5: unknown section [disk d0] (expected "
		"[machine], [iommu] or [device NAME])");
	expect_topology_error(*state, PLATFORM "[devices]\ndriver = nvme\n",
			      "topo.conf:5: unknown section [devices] (did you "
			      "mean [device NAME]?)");
	expect_topology_error(
		*state, "[machin]\ntype = q35\n[iommu]\ndevice = amd-iommu\n",
		"topo.conf:1: unknown section [machin] (did you "
		"mean [machine]?)");
	expect_topology_error(*state,
			      PLATFORM "[devcie nic0]\ndriver = e1000e\n",
			      "topo.conf:5: unknown section [devcie nic0] (did "
			      "you mean [device nic0]?)");
	expect_topology_error(*state, PLATFORM "smpp = 2\n",
			      "topo.conf:5: [iommu] unknown key 'smpp'");
	expect_topology_error(
		*state,
		"[machine]\ntype = q35\nmemroy = 2G\n"
		"[iommu]\ndevice = amd-iommu\n",
		"topo.conf:3: [machine] unknown key 'memroy' (did "
		"you mean 'memory'?)");
	expect_topology_error(*state, PLATFORM "intremp = on\n",
			      "topo.conf:5: [iommu] unknown key 'intremp' (did "
			      "you mean 'intremap'?)");
	/* a device's keys are its driver's */
	expect_topology_error(*state,
			      PLATFORM "[device d0]\ndriver = nvme\n"
				       "serail = x\n",
			      "topo.conf:7: [device d0] unknown key 'serail' "
			      "(did you mean 'serial'?)");
	expect_topology_error(*state,
			      PLATFORM "[device d0]\ndriver = nvme\n"
				       "netdev = user\n",
			      "topo.conf:7: [device d0] unknown key 'netdev'");
	expect_topology_error(
		*state,
		PLATFORM "[device d0]\ndriver = nvme\n"
			 "addr = 0x4\naddr = 0x5\n",
		"topo.conf:8: [device d0] addr given twice (first "
		"at line 7)");
}

static void test_load_bad_values_named(void **state)
{
	expect_topology_error(
		*state, "[machine]\ntype = pc\n[iommu]\ndevice = amd-iommu\n",
		"topo.conf:2: [machine] type = pc: expected q35");
	expect_topology_error(
		*state,
		"[machine]\ntype = q35\nsmp = 0\n"
		"[iommu]\ndevice = amd-iommu\n",
		"topo.conf:3: [machine] smp = 0: expected a whole "
		"number from 1 to 256");
	expect_topology_error(
		*state,
		"[machine]\ntype = q35\nmemory = 2048\n"
		"[iommu]\ndevice = amd-iommu\n",
		"topo.conf:3: [machine] memory = 2048: expected a "
		"size in M or G");
	expect_topology_error(*state,
			      "[machine]\ntype = q35\n"
			      "[iommu]\ndevice = intel-iommu\n",
			      "topo.conf:4: [iommu] device = intel-iommu: "
			      "expected amd-iommu");
	expect_topology_error(
		*state, PLATFORM "[device d0]\ndriver = virtio-blk-pci\n",
		"topo.conf:6: [device d0] driver = virtio-blk-pci: "
		"expected nvme, e1000e");
	expect_topology_error(*state, PLATFORM "[device 0d]\ndriver = nvme\n",
			      "topo.conf:5: [device 0d]: NAME is its QEMU id");
	expect_topology_error(
		*state,
		PLATFORM "[device n]\ndriver = e1000e\n"
			 "netdev = usr,restrict=on\n",
		"topo.conf:7: [device n] netdev = usr,restrict=on: "
		"expected a QEMU -netdev backend");
	expect_topology_error(
		*state,
		PLATFORM "[device d0]\ndriver = nvme\n"
			 "addr = 0x20\n",
		"topo.conf:7: [device d0] addr = 0x20: expected a "
		"slot");
}

/* bus names pcie.0 or a bridge above; one device a slot of a bus */
static void test_load_references_resolved(void **state)
{
	expect_topology_error(*state,
			      PLATFORM "[device n]\ndriver = e1000e\n"
				       "bus = bridge0\n"
				       "[device bridge0]\n"
				       "driver = pcie-pci-bridge\n",
			      "topo.conf:7: [device n] bus = bridge0: expected "
			      "pcie.0 or the NAME of a bridge given above it");
	expect_topology_error(
		*state,
		PLATFORM "[device a]\ndriver = e1000e\n"
			 "[device b]\ndriver = e1000e\n"
			 "bus = a\n",
		"topo.conf:9: [device b] bus = a: [device a] is a "
		"e1000e, not a bridge");
	expect_topology_error(
		*state,
		PLATFORM "[device a]\ndriver = e1000e\n"
			 "bus = pcie.0\naddr = 0x5\n"
			 "[device b]\ndriver = nvme\n"
			 "bus = pcie.0\naddr = 05.0\n",
		"topo.conf:12: [device b] addr = 05.0: [device a] "
		"is at 0x5 on pcie.0 already");
}

static void test_load_without_iommu_device_is_an_error(void **state)
{
	char err[ERRLEN] = "";
	struct conf c;
	char *path;

	assert_int_not_equal(load_conf(*state,
				       "[machine]\ntype = q35\n"
				       "[iommu]\nintremap = on\n",
				       &c, err, sizeof(err), &path),
			     0);
	assert_contains(err, path);
	assert_contains(err, "[iommu] needs device");
	conf_free(&c);
	free(path);
}

static void test_load_without_machine_type_is_an_error(void **state)
{
	char err[ERRLEN] = "";
	struct conf c;
	char *path;

	assert_int_not_equal(load_conf(*state,
				       "[machine]\nsmp = 2\n"
				       "[iommu]\ndevice = amd-iommu\n",
				       &c, err, sizeof(err), &path),
			     0);
	assert_contains(err, path);
	assert_contains(err, "[machine] needs type");
	conf_free(&c);
	free(path);
}

static void test_load_unknown_topology_names_its_path(void **state)
{
	char err[ERRLEN] = "";
	struct conf c;

	(void)state;
	assert_int_not_equal(topology_load(tu_top(), "nosuch-topology", &c, err,
					   sizeof(err)),
			     0);
	assert_contains(err, "lab/topology/nosuch-topology.conf");
	conf_free(&c);
}

static void test_parse_size_accepts_suffixes_and_bytes(void **state)
{
	unsigned long long n = 0;

	(void)state;
	assert_int_equal(parse_size("512M", &n), 0);
	assert_int_equal(n, 512ULL << 20);
	assert_int_equal(parse_size("1G", &n), 0);
	assert_int_equal(n, 1ULL << 30);
	assert_int_equal(parse_size("4096", &n), 0);
	assert_int_equal(n, 4096);
	assert_int_equal(parse_size("64K", &n), 0);
	assert_int_equal(n, 64ULL << 10);
}

static void test_parse_size_rejects_bad_input(void **state)
{
	static const char *const bad[] = {
		"0",
		"0G",
		"12Q",
		"",
		"G",
		"1GB",
		"1g",
		" ",
		"1 G",
		"x1",
		"-1",
		"-512M",
		"17179869185G",
		"+1G",
		"18446744073709551616",
	};
	unsigned long long n = 42;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse_size(bad[i], &n) == 0)
			fail_msg("parse_size(\"%s\") accepted it as %llu",
				 bad[i], n);
	}
	/* Failure leaves the output alone. */
	assert_int_equal(n, 42);
}

static void test_timing_defaults_to_wall(void **state)
{
	char err[ERRLEN] = "";
	struct lab_timing t;
	struct conf c;
	char *path;

	assert_int_equal(
		load_conf(*state, PLATFORM, &c, err, sizeof(err), &path), 0);
	assert_int_equal(topology_timing(&c, NULL, NULL, &t, err, sizeof(err)),
			 0);
	assert_string_equal(t.mode, "wall");
	assert_string_equal(t.icount, "");
	conf_free(&c);
	free(path);
}

static void test_timing_icount_from_topology_and_suite(void **state)
{
	char err[ERRLEN] = "";
	struct lab_timing t;
	struct conf c;
	char *path;

	assert_int_equal(load_conf(*state,
				   "[machine]\ntype = q35\ntiming = icount\n"
				   "icount = shift=1,sleep=on\n"
				   "[iommu]\ndevice = amd-iommu\n",
				   &c, err, sizeof(err), &path),
			 0);
	assert_int_equal(topology_timing(&c, NULL, NULL, &t, err, sizeof(err)),
			 0);
	assert_string_equal(t.mode, "icount");
	assert_string_equal(t.icount, "shift=1,sleep=on");
	/* the suite's timing wins over the topology's */
	assert_int_equal(topology_timing(&c, "wall", "suite.conf", &t, err,
					 sizeof(err)),
			 0);
	assert_string_equal(t.mode, "wall");
	assert_string_equal(t.icount, "");
	conf_free(&c);
	free(path);
}

static void test_timing_icount_default_options(void **state)
{
	char err[ERRLEN] = "";
	struct lab_timing t;
	struct conf c;
	char *path;

	assert_int_equal(
		load_conf(*state, PLATFORM, &c, err, sizeof(err), &path), 0);
	assert_int_equal(topology_timing(&c, "icount", "suite.conf", &t, err,
					 sizeof(err)),
			 0);
	assert_string_equal(t.icount, TOPOLOGY_ICOUNT_DEFAULT);
	/* --icount replaces them, only on the instruction clock */
	assert_int_equal(timing_set_icount(&t, "shift=2", err, sizeof(err)), 0);
	assert_string_equal(t.icount, "shift=2");
	assert_int_not_equal(
		timing_set_icount(&t, "shift=2 -S", err, sizeof(err)), 0);
	assert_contains(err, "--icount 'shift=2 -S'");
	assert_int_equal(topology_timing(&c, NULL, NULL, &t, err, sizeof(err)),
			 0);
	assert_int_not_equal(timing_set_icount(&t, "shift=0", err, sizeof(err)),
			     0);
	assert_contains(err, "the clock is wall");
	conf_free(&c);
	free(path);
}

static void test_timing_bad_mode_names_its_source(void **state)
{
	char err[ERRLEN] = "";
	struct lab_timing t;
	struct conf c;
	char *path;

	/* the topology's own: at load */
	expect_topology_error(
		*state,
		"[machine]\ntype = q35\ntiming = cycles\n"
		"[iommu]\ndevice = amd-iommu\n",
		"topo.conf:3: [machine] timing = cycles: expected "
		"wall or icount");
	expect_topology_error(
		*state,
		"[machine]\ntype = q35\ntiming = icount\n"
		"icount = 'shift=0'\n"
		"[iommu]\ndevice = amd-iommu\n",
		"topo.conf:4: [machine] icount = 'shift=0': QEMU");
	/* the suite's or --timing's: when it is applied */
	assert_int_equal(
		load_conf(*state, PLATFORM, &c, err, sizeof(err), &path), 0);
	assert_int_not_equal(topology_timing(&c, "icont", "s.conf", &t, err,
					     sizeof(err)),
			     0);
	assert_contains(err, "s.conf: timing = icont");
	conf_free(&c);
	free(path);
}

static void test_argv_icount_only_on_the_instruction_clock(void **state)
{
	struct boot_spec b = boot;
	struct strv a = { 0 }, w = { 0 };
	char err[ERRLEN] = "";
	struct conf c;
	char *path;

	assert_int_equal(
		load_conf(*state, PLATFORM, &c, err, sizeof(err), &path), 0);
	assert_int_equal(topology_argv(&c, &b, &w, err, sizeof(err)), 0);
	assert_int_equal(find_arg(&w, "-icount", 0), -1);
	b.icount = "shift=0,align=off,sleep=off";
	assert_int_equal(topology_argv(&c, &b, &a, err, sizeof(err)), 0);
	assert_string_equal(only_opt(&a, "-icount"),
			    "shift=0,align=off,sleep=off");
	strv_free(&a);
	strv_free(&w);
	conf_free(&c);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		default_argv_test(
			test_argv_starts_with_qemu_and_is_null_terminated),
		default_argv_test(test_argv_machine_from_topology),
		default_argv_test(test_argv_iommu_device_before_nvme),
		default_argv_test(test_argv_nvme_device_and_its_drive),
		default_argv_test(test_argv_alias_nic_behind_bridge),
		default_argv_test(test_argv_four_9p_shares_only_out_writable),
		default_argv_test(test_argv_kernel_initrd_append),
		cmocka_unit_test(test_disks_of_default_topology),
		tu_test_tmp(test_argv_append_adds_topology_arguments),
		tu_test_tmp(test_load_device_without_driver_is_an_error),
		tu_test_tmp(test_load_bad_disk_size_is_an_error),
		tu_test_tmp(test_load_unknown_sections_and_keys_named),
		tu_test_tmp(test_load_bad_values_named),
		tu_test_tmp(test_load_references_resolved),
		tu_test_tmp(test_load_without_iommu_device_is_an_error),
		tu_test_tmp(test_load_without_machine_type_is_an_error),
		cmocka_unit_test(test_load_unknown_topology_names_its_path),
		cmocka_unit_test(test_parse_size_accepts_suffixes_and_bytes),
		cmocka_unit_test(test_parse_size_rejects_bad_input),
		tu_test_tmp(test_timing_defaults_to_wall),
		tu_test_tmp(test_timing_icount_from_topology_and_suite),
		tu_test_tmp(test_timing_icount_default_options),
		tu_test_tmp(test_timing_bad_mode_names_its_source),
		tu_test_tmp(test_argv_icount_only_on_the_instruction_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

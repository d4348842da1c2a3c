# invlab: measure AMD IOMMU invalidation fan-out.
#
#   make lab [SUITE=name]   build what is needed, run the suite in the QEMU lab, report
#   make test               unit tests, then the QEMU integration test
#
# On the host these run inside the lab rootfs (lab/enter.sh); the same
# Makefile builds natively on a lab host that has the packages of
# lab/rootfs/packages.list (make build NATIVE=1).

SUITE ?= smoke
INVLAB_VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo unknown)
export INVLAB_VERSION
# kernel/build.sh inputs (see kernel/README.md)
KSRC ?=
SERIES ?=
KCONFIG_BASE ?=
export KSRC SERIES KCONFIG_BASE

ifeq ($(INVLAB_IN_LAB)$(NATIVE),)

# ---- host side: everything happens inside the lab rootfs -----------------
.PHONY: lab test bench bench-stats build unit cli report-test integration format-check format rootfs kernels kernel shell clean

lab test bench bench-stats build unit cli report-test integration format-check format kernels kernel: rootfs
	INVLAB_BIND="$(abspath $(KSRC) $(SERIES) $(KCONFIG_BASE))" \
	lab/enter.sh $(MAKE) --no-print-directory $@ SUITE=$(SUITE)

rootfs:
	@lab/rootfs/build.sh >/dev/null

shell: rootfs
	INVLAB_BIND="$(abspath $(KSRC) $(SERIES) $(KCONFIG_BASE))" lab/enter.sh bash

clean:
	rm -rf build

else

# ---- inside the lab rootfs (or NATIVE=1 on a lab host) --------------------
B := build
CC ?= gcc
CLANG ?= clang
BPFTOOL ?= bpftool
PKGS := libbpf json-c inih libcrypto gsl libcmark-gfm
CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror \
	-I$(B) -Ibench/src -Ibpf -Iworkloads/fio -Iworkloads/iommufd -Iworkloads/msi-storm -Iworkloads/common -Iworkloads/dpdk -I$(B)/bpf \
	$(shell pkg-config --cflags $(PKGS))
LDLIBS := $(shell pkg-config --libs $(PKGS)) -lm
BPF_CFLAGS := -g -O2 -Wall -Werror -target bpf -D__TARGET_ARCH_x86 \
	-I/usr/include/$(shell uname -m)-linux-gnu -Ibpf

LIB_SRCS := $(addprefix bench/src/,util.c atomic_file.c conf.c suite.c \
	topology.c nvme_dev.c context.c result.c report.c stats.c tracefs.c \
	kcheck.c qemu_trace.c selfcheck.c seed_paths.c runtab.c policy.c \
	judge.c ctxdiff.c compare.c bisect.c workload.c iommu_pmu.c \
	perf_record.c kmsg.c) \
	$(addprefix bench/src/,history.c histmerge.c changepoint.c nightly.c \
	nightly_out.c) \
	$(addprefix bench/src/,plot.c plot_hist.c plot_run.c sweep.c html.c \
	report_html.c) \
	workloads/fio/fio_json.c workloads/fio/fio_run.c \
	workloads/iommufd/iommufd_dev.c workloads/iommufd/hdomid_sweep.c \
	workloads/iommufd/sweep_conf.c \
	workloads/msi-storm/msi_conf.c workloads/msi-storm/irte_storm.c \
	workloads/common/pci_rebind.c \
	workloads/dpdk/dpdk_conf.c workloads/dpdk/testpmd_parse.c \
	workloads/dpdk/dpdk_proc.c workloads/dpdk/dpdk_env.c \
	bpf/ksyms.c bpf/cmdq_counts.c bpf/fanout_stats.c bpf/fnfan_stats.c
MAIN_SRCS := $(addprefix bench/src/,invlab.c cmd_run.c cmd_lab.c cmd_report.c \
	cmd_show.c cmd_compare.c cmd_bisect.c run_driver.c run_sweep.c \
	fallback_probe.c seed_probe.c run_msi.c run_dpdk.c \
	cmd_nightly.c cmd_bench.c) \
	bpf/cmdq_probe.c bpf/fanout_probe.c bpf/fnfan_probe.c bpf/rb_trace.c
TEST_SRCS := $(wildcard bench/tests/test_*.c)
BPF_PROGS := cmdq fanout fnfan

LIB_OBJS := $(LIB_SRCS:%.c=$(B)/obj/%.o)
MAIN_OBJS := $(MAIN_SRCS:%.c=$(B)/obj/%.o)
TESTS := $(TEST_SRCS:bench/tests/%.c=$(B)/tests/%)
SKELS := $(BPF_PROGS:%=$(B)/bpf/%.skel.h)

.PHONY: build unit cli report-test integration test lab bench bench-stats kernels kernel format-check format FORCE
.DEFAULT_GOAL := build
.SECONDARY:

# DPDK's memory hotplug helper (workloads/dpdk/memhp.c), beside invlab so a
# guest finds it; only where libdpdk is installed, and invlab never links it.
DPDK_LIBS := $(shell pkg-config --libs libdpdk 2>/dev/null)

build: $(B)/invlab $(if $(DPDK_LIBS),$(B)/dpdk-memhp)

$(B)/dpdk-memhp: workloads/dpdk/memhp.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror \
		$(shell pkg-config --cflags libdpdk) -o $@ $< $(DPDK_LIBS)

$(B)/bpf/%.bpf.o: bpf/%.bpf.c bpf/%.h bpf/iommu_cmd.h bpf/log2.h bpf/cmdq.h bpf/cmdq_count.bpf.h
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(B)/bpf/%.skel.h: $(B)/bpf/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $*_bpf > $@.tmp && mv $@.tmp $@

# Rewritten only when the version changes, so only its users rebuild.
$(B)/version.h: FORCE
	@mkdir -p $(@D)
	@echo '#define INVLAB_VERSION "$(INVLAB_VERSION)"' > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@

FORCE:

# Skeletons and version.h must exist before any compile; -MMD then records
# which objects really include them.
$(B)/obj/%.o: %.c | $(SKELS) $(B)/version.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(B)/libinvlab.a: $(LIB_OBJS)
	ar rcs $@ $^

$(B)/invlab: $(MAIN_OBJS) $(B)/libinvlab.a
	$(CC) -o $@ $^ $(LDLIBS)

$(B)/statbench: bench/tools/statbench.c $(B)/libinvlab.a
	$(CC) $(CFLAGS) -o $@ $< $(B)/libinvlab.a $(LDLIBS)

$(B)/tests/%: bench/tests/%.c $(wildcard bench/tests/*.h) $(B)/libinvlab.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Ibench/tests -o $@ $< $(B)/libinvlab.a $(LDLIBS) -lcmocka

unit: $(TESTS)
	@bench/tests/run-unit.sh $(TESTS)

cli: build
	INVLAB=$(B)/invlab tests/cli.sh

# report.html in headless Chromium: every plot loads (RUNS="DIR ...": also
# real runs, copied first).
report-test: build
	INVLAB=$(B)/invlab tests/report/check-html.sh $(RUNS)

integration: build
	tests/integration/lab-smoke.sh

test: format-check unit cli report-test integration

lab: build
	$(B)/invlab lab --suite $(SUITE)

# The probes' overhead: attached vs detached, alternating pairs (see the
# report's "Probe overhead" section, printed at the end).
bench: bench-stats build
	@$(B)/invlab bench probes

kernel:
	@kernel/build.sh >/dev/null

# The comparison statistics on synthetic data: false alarms and detection
# under bench/policy/metrics.conf, then compare + Markdown over 100 runs x
# 50 metrics x 20 samples (bench/tools/statbench.c).
bench-stats: $(B)/statbench build
	@$(B)/statbench quality 2000
	@rm -rf $(B)/synth && mkdir -p $(B)/synth && $(B)/statbench synth $(B)/synth
	@$(B)/statbench speed $(B)/synth
	@rm -rf $(B)/synth-history $(B)/synth-nightly
	@$(B)/invlab nightly append --history $(B)/synth-history --host synth $(B)/synth/* >/dev/null
	@t0=$$(date +%s.%N); $(B)/invlab nightly report --history $(B)/synth-history -o $(B)/synth-nightly >/dev/null; \
	 rc=$$?; t1=$$(date +%s.%N); \
	 echo "nightly report over the same 100 runs (change points of every series, plots of the changed ones): $$(printf %.3f $$(echo "$$t1 - $$t0" | bc)) s, exit $$rc (1: the synthetic step at run 50 is a regression)"

kernels: kernel
	@for k in kernel/stock/*.conf; do kernel/prepare.sh $$(basename $$k .conf) >/dev/null; done

FORMAT_SRCS = $(LIB_SRCS) $(MAIN_SRCS) $(TEST_SRCS) bpf/*.h bpf/*.bpf.c \
	bench/src/*.h bench/tests/*.h bench/tools/*.c workloads/fio/*.h workloads/iommufd/*.h \
	workloads/msi-storm/*.h workloads/common/*.h workloads/dpdk/*.h \
	workloads/dpdk/memhp.c

format-check:
	clang-format --dry-run --Werror $(FORMAT_SRCS)

format:
	clang-format -i $(FORMAT_SRCS)

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

endif

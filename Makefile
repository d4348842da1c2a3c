# invlab: measure AMD IOMMU invalidation fan-out.
#
#   make lab [SUITE=name]   build what is needed, run the suite in the QEMU lab, report
#   make test               unit, command-line, bad-input, history database and LAVA job tests (again under ASan+UBSan), fuzz corpus check, then the QEMU integration test
#   make integration-long   the longer QEMU tests: trace, each workload's own, tuning knobs (CI runs it)
#   make doctor SUITE=name [DEVICE=dev]   can this machine run the suite? (docs/real-host.md)
#   make host SUITE=name DEVICE=dev [ALLOW_REBIND=pci] [ALLOW_KNOB=mod.param]
#                           run a suite on this real AMD host from inside the lab rootfs (docs/real-host.md)
#   make fuzz [FUZZ_TIME=s] every fuzz harness (tests/fuzz/) for FUZZ_TIME s
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
.PHONY: host doctor lab test bench bench-stats bench-db build unit cli badinput db-test lava-validate san fuzz fuzz-check report-test integration integration-long layout format-check format rootfs kernels kernel shell clean

lab test bench bench-stats bench-db build unit cli badinput db-test lava-validate san fuzz fuzz-check report-test integration integration-long layout format-check format kernels kernel: rootfs
	INVLAB_BIND="$(abspath $(KSRC) $(SERIES) $(KCONFIG_BASE))" \
	lab/enter.sh $(MAKE) --no-print-directory $@ SUITE=$(SUITE)

rootfs:
	@lab/rootfs/build.sh >/dev/null

# A real AMD host's doctor and run from inside the lab rootfs: its
# kernel's modules and the device allowlist are the host's (read-only).
host doctor: rootfs
	INVLAB_BIND="/lib/modules /etc/invlab" lab/enter.sh $(MAKE) --no-print-directory $@ \
		SUITE=$(SUITE) DEVICE=$(DEVICE) ALLOW_REBIND=$(ALLOW_REBIND) ALLOW_KNOB=$(ALLOW_KNOB)

shell: rootfs
	INVLAB_BIND="$(abspath $(KSRC) $(SERIES) $(KCONFIG_BASE))" lab/enter.sh bash

clean:
	rm -rf build build-san build-fuzz

else

# ---- inside the lab rootfs (or NATIVE=1 on a lab host) --------------------
CC ?= gcc
CLANG ?= clang
# Sanitizer builds, each in its own directory (make san, make fuzz):
#   SAN=1     gcc, ASan+UBSan (any finding fails the test): build-san/
#   SAN=fuzz  clang, ASan+UBSan and libFuzzer's coverage: build-fuzz/
SAN ?=
ifeq ($(SAN),)
B := build
else ifeq ($(SAN),fuzz)
B := build-fuzz
CC := $(CLANG)
SAN_FLAGS := -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
else
# UB is recoverable in the code and fatal at run time (halt_on_error), so
# tests/san/ubsan.supp can hold the known findings that wait for a fix.
# Reports go to files (make san fails on any), and exit status 66, which
# no test expects, so none passes by its exit status alone.
B := build-san
SAN_FLAGS := -fsanitize=address,undefined,float-cast-overflow \
	-fno-omit-frame-pointer
SAN_REPORTS := $(CURDIR)/$(B)/reports
export ASAN_OPTIONS ?= detect_leaks=1:exitcode=66:log_path=$(SAN_REPORTS)/asan
export UBSAN_OPTIONS ?= halt_on_error=1:print_stacktrace=1:exitcode=66:log_path=$(SAN_REPORTS)/ubsan:suppressions=$(CURDIR)/tests/san/ubsan.supp
endif
BPFTOOL ?= bpftool
PKGS := libbpf json-c inih libcrypto gsl libcmark-gfm libpq
# bench/src is grouped by role (docs/architecture.md); every group, the
# probes' user-space side and every workload directory build by wildcard.
SRC_GROUPS := lib analysis report nightly run lab fleet
# The workloads, one directory each (workloads/NAME/, its ops NAME_workload
# with '-' as '_'): the registry is generated from this list, in this order.
WORKLOADS := fio hdomid-sweep dpdk msi-storm
CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror \
	-I. -Ibench/src -I$(B) -I$(B)/bpf $(shell pkg-config --cflags $(PKGS)) \
	$(SAN_FLAGS)
LDFLAGS := $(SAN_FLAGS)
LDLIBS := $(shell pkg-config --libs $(PKGS)) -lm
BPF_CFLAGS := -g -O2 -Wall -Werror -target bpf -D__TARGET_ARCH_x86 \
	-I/usr/include/$(shell uname -m)-linux-gnu -Ibpf

LIB_SRCS := $(foreach g,$(SRC_GROUPS),$(wildcard bench/src/$(g)/*.c)) \
	$(filter-out %.bpf.c,$(wildcard bpf/*.c)) \
	$(foreach w,common $(WORKLOADS),$(wildcard workloads/$(w)/*.c)) \
	workloads/workload.c $(B)/gen/workloads.c $(B)/gen/schemas.c
MAIN_SRCS := $(wildcard bench/src/cli/*.c)
TEST_SRCS := $(wildcard bench/tests/test_*.c)
BPF_PROGS := cmdq fanout fnfan

LIB_OBJS := $(LIB_SRCS:%.c=$(B)/obj/%.o)
MAIN_OBJS := $(MAIN_SRCS:%.c=$(B)/obj/%.o)
TESTS := $(TEST_SRCS:bench/tests/%.c=$(B)/tests/%)
SKELS := $(BPF_PROGS:%=$(B)/bpf/%.skel.h)

.PHONY: host doctor build unit cli badinput db-test lava-validate san fuzz fuzz-check report-test integration integration-long layout test lab bench bench-stats bench-db kernels kernel format-check format FORCE
.DEFAULT_GOAL := build
.SECONDARY:

# DPDK's memory hotplug helper (workloads/dpdk/memhp/), beside invlab so a
# guest finds it; only where libdpdk is installed, and invlab never links it
# (nor a sanitizer build: no test runs it).
DPDK_LIBS := $(if $(SAN),,$(shell pkg-config --libs libdpdk 2>/dev/null))

build: $(B)/invlab $(if $(DPDK_LIBS),$(B)/dpdk-memhp)

$(B)/dpdk-memhp: workloads/dpdk/memhp/memhp.c
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

# The workload registry: every workload of WORKLOADS, each a NAME_workload
# defined in its directory. Referenced from workloads/workload.c, so the
# linker keeps every workload (a self-registering constructor in a static
# archive would be dropped). Rewritten only when the list changes.
WORKLOAD_SYMS := $(subst -,_,$(WORKLOADS))
$(B)/gen/workloads.c: FORCE
	@mkdir -p $(@D)
	@{ echo '/* Generated from the Makefile'"'"'s WORKLOADS: do not edit. */'; \
	  echo '#include "workloads/workload.h"'; \
	  for w in $(WORKLOAD_SYMS); do echo "extern const struct workload_ops $${w}_workload;"; done; \
	  echo 'const struct workload_ops *const workload_registry[] = {'; \
	  for w in $(WORKLOAD_SYMS); do echo "	&$${w}_workload,"; done; \
	  echo '};'; \
	  echo 'const size_t workload_registry_len = $(words $(WORKLOADS));'; } > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@

# The JSON Schemas of bench/schema, built into invlab (lib/jschema.h): a
# binary checks the files it reads against the schemas it was built with.
SCHEMAS := $(wildcard bench/schema/*.schema.json)
$(B)/gen/schemas.c: $(SCHEMAS) Makefile
	@mkdir -p $(@D)
	@{ echo '/* Generated from the JSON Schemas in bench/schema: do not edit. */'; \
	  echo '#include "lib/jschema.h"'; \
	  echo 'const struct jschema_text jschema_texts[] = {'; \
	  for f in $(SCHEMAS); do \
	    n=$$(basename $$f .schema.json); echo "	{ \"$$n\","; \
	    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/		"/' -e 's/$$/\\n"/' $$f; \
	    echo '	},'; done; \
	  echo '};'; \
	  echo 'const size_t jschema_texts_len = $(words $(SCHEMAS));'; } > $@.tmp
	@mv $@.tmp $@

# Skeletons and version.h must exist before any compile; -MMD then records
# which objects really include them.
$(B)/obj/%.o: %.c | $(SKELS) $(B)/version.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

# Made anew: a source removed from the tree leaves no member behind.
$(B)/libinvlab.a: $(LIB_OBJS)
	rm -f $@ && ar rcs $@ $^

$(B)/invlab: $(MAIN_OBJS) $(B)/libinvlab.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/statbench: $(wildcard bench/tools/*.c bench/tools/*.h) $(B)/libinvlab.a
	$(CC) $(CFLAGS) -Ibench/tools -o $@ $(wildcard bench/tools/*.c) $(B)/libinvlab.a $(LDLIBS)

$(B)/tests/%: bench/tests/%.c $(wildcard bench/tests/*.h) $(B)/libinvlab.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Ibench/tests -o $@ $< $(B)/libinvlab.a $(LDLIBS) -lcmocka

unit: $(TESTS)
	@bench/tests/run-unit.sh $(TESTS)

cli: build
	INVLAB=$(B)/invlab tests/cli.sh

# Bad input to every reader and option (suites, topologies, the policy,
# runs, results, histories, calibrations, the command line): exit 2, the
# input named, nothing left behind. No QEMU (tests/badinput/run.py).
badinput: build
	INVLAB=$(B)/invlab tests/badinput/run.py

# The history in PostgreSQL (nightly ... --db), against a private cluster
# on a Unix socket in a temporary directory (tests/nightly/db.sh).
db-test: build
	INVLAB=$(B)/invlab tests/nightly/db.sh

# invlab lava-job's jobs through LAVA's own schema validator (lava-common),
# a broken job refused, the test steps run with stand-ins (tests/lava/).
lava-validate: build
	INVLAB=$(B)/invlab tests/lava/validate.py

ifeq ($(SAN),)
# The unit, command-line, bad-input and database history tests again,
# built with ASan+UBSan (build-san/): any memory error, undefined behaviour
# or leak fails them.
san:
	@rm -rf build-san/reports && mkdir -p build-san/reports
	@$(MAKE) --no-print-directory SAN=1 unit cli badinput db-test lava-validate; rc=$$?; \
	if [ -n "$$(ls build-san/reports)" ]; then \
		cat build-san/reports/*; rc=1; \
		echo "san: sanitizer reports above (build-san/reports/)"; \
	fi; exit $$rc

fuzz fuzz-check:
	@$(MAKE) --no-print-directory SAN=fuzz $@
else ifeq ($(SAN),fuzz)
# libFuzzer harnesses (tests/fuzz/fuzz_NAME.c) over invlab's readers, each
# linked with the library built for fuzzing. fuzz: each for FUZZ_TIME s from
# its corpus (new inputs into build-fuzz/corpus/, never the tree's);
# fuzz-check: every corpus input, then FUZZ_CHECK_TIME s of fuzzing each.
FUZZ_TIME ?= 60
FUZZ_CHECK_TIME ?= 2
FUZZERS := $(patsubst tests/fuzz/fuzz_%.c,$(B)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))

$(B)/fuzz/%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(B)/libinvlab.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -fsanitize=fuzzer -Itests/fuzz -o $@ $< $(B)/libinvlab.a $(LDLIBS)

fuzz: $(FUZZERS)
	@tests/fuzz/run.sh fuzz $(FUZZ_TIME) $(FUZZERS)

fuzz-check: $(FUZZERS)
	@tests/fuzz/run.sh check $(FUZZ_CHECK_TIME) $(FUZZERS)
endif

# report.html in headless Chromium: every plot loads (RUNS="DIR ...": also
# real runs, copied first).
report-test: build
	INVLAB=$(B)/invlab tests/report/check-html.sh $(RUNS)

integration: build
	tests/integration/lab-smoke.sh

# The longer QEMU tests, not in make test (CI runs them after it): the
# per-event trace, each workload's own test, the tuning knobs.
integration-long: build
	tests/integration/lab-long.sh

# The tree's architecture: what may include what (tests/layout/layers.conf),
# no include cycle, every workload directory registered.
layout:
	@python3 tests/layout/check.py

test: format-check layout unit cli badinput db-test lava-validate san fuzz-check report-test integration

lab: build
	$(B)/invlab lab --suite $(SUITE)

# invlab doctor: can this machine run the suite (docs/real-host.md)
doctor: build
	$(B)/invlab doctor --suite $(SUITE) $(if $(DEVICE),--device=$(DEVICE)) \
		$(if $(ALLOW_REBIND),--allow-rebind=$(ALLOW_REBIND)) $(if $(ALLOW_KNOB),--allow-knob=$(ALLOW_KNOB))

# invlab lab --host: the suite's cells on this machine (docs/real-host.md)
host: build
	$(B)/invlab lab --host --suite $(SUITE) $(if $(DEVICE),--device=$(DEVICE)) \
		$(if $(ALLOW_REBIND),--allow-rebind=$(ALLOW_REBIND)) $(if $(ALLOW_KNOB),--allow-knob=$(ALLOW_KNOB))

# The probes' overhead: attached vs detached, alternating pairs (see the
# report's "Probe overhead" section, printed at the end).
bench: bench-stats bench-db build
	@$(B)/invlab bench probes

# The history in PostgreSQL against the directory history: 8 concurrent
# appenders, one append, the report over 1000 runs x 50 metrics, text
# against JSONB (bench/tools/dbbench.sh, a private cluster).
bench-db: $(B)/statbench build
	@bench/tools/dbbench.sh $(B)

kernel:
	@kernel/build.sh >/dev/null

# The comparison statistics on synthetic data: false alarms and detection
# under bench/policy/metrics.conf, then compare + Markdown over 100 runs x
# 50 metrics x 20 samples (bench/tools/statbench.c).
bench-stats: $(B)/statbench build
	@$(B)/statbench quality 500 100
	@rm -rf $(B)/synth && mkdir -p $(B)/synth && $(B)/statbench synth $(B)/synth
	@$(B)/statbench speed $(B)/synth
	@rm -rf $(B)/synth-history $(B)/synth-nightly
	@$(B)/invlab nightly append --history $(B)/synth-history --host synth $(B)/synth/* >/dev/null
	@t0=$$(date +%s.%N); $(B)/invlab nightly report --history $(B)/synth-history -o $(B)/synth-nightly >/dev/null; \
	 rc=$$?; t1=$$(date +%s.%N); \
	 echo "nightly report over the same 100 runs (change points of every series, plots of the changed ones): $$(printf %.3f $$(echo "$$t1 - $$t0" | bc)) s, exit $$rc (1: the synthetic step at run 50 is a regression)"

kernels: kernel
	@for k in kernel/stock/*.conf; do kernel/prepare.sh $$(basename $$k .conf) >/dev/null; done

FORMAT_SRCS = $(shell find bench/src bench/tests bench/tools bpf workloads \
	tests/fuzz -name '*.[ch]')

format-check:
	clang-format --dry-run --Werror $(FORMAT_SRCS)

format:
	clang-format -i $(FORMAT_SRCS)

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

endif

#!/bin/sh
# The real-host path driven as a user would on an AMD host, inside a lab
# kernel guest booted WITHOUT the lab guest's mark (suite hostmode:
# lab_guest = no): to its kernel an AMD IOMMU machine, to invlab a real
# host, with a real host's gates. lab/guest/job.sh runs it (INVLAB_BIN,
# INVLAB_TOP, OUT). Prints ok/FAIL lines, also into $OUT/hostmode.txt for
# lab-smoke.sh; exits 1 when one failed.
inv=$INVLAB_BIN
cd "$INVLAB_TOP" || exit 2
log=$OUT/hostmode.txt r=$OUT/results fails=0
S=tests/integration/suites/hostmode.conf M=tests/integration/suites/host-msi.conf
nic=0000:01:01.0
: >"$log"
ok() { echo "ok - hostmode: $*" | tee -a "$log"; }
bad() { echo "FAIL - hostmode: $*" | tee -a "$log"; fails=$((fails + 1)); }
check() { # description, then a command that must succeed
	what=$1
	shift
	if "$@"; then ok "$what"; else bad "$what"; fi
}
driver() { basename "$(readlink "/sys/bus/pci/devices/$nic/driver")"; }
modprobe e1000e 2>/dev/null

# 1. doctor on this "host": no lab mark, the suite's NVMe not named
$inv doctor --no-attach --suite $S >"$OUT/doctor-unnamed.txt" 2>&1
st=$?
check "doctor: a real host (no lab mark), the unnamed device missing, exit 1 ($st)" \
	sh -c "[ $st = 1 ] && grep -q '^invlab doctor: this host' '$OUT/doctor-unnamed.txt' &&
		grep -q '^missing  device-allowed: serial:invlab-nvme0' '$OUT/doctor-unnamed.txt' &&
		grep -q '^ok       amd-iommu: 1 unit' '$OUT/doctor-unnamed.txt'"
# 2. doctor with the device named: nothing missing, the probes attach
$inv doctor --suite $S --device serial:invlab-nvme0 >"$OUT/doctor-named.txt" 2>&1
st=$?
check "doctor --device: nothing missing, the probes attached and detached, exit 0 ($st)" \
	sh -c "[ $st = 0 ] && grep -q '^ok       probes: attached and detached' '$OUT/doctor-named.txt' &&
		grep -q '^ok       device-allowed: serial:invlab-nvme0 named by --device' '$OUT/doctor-named.txt'"
# 3. a run without an allowlisted device is refused before anything is written
$inv lab --host --suite $S --results "$r" --run-id unnamed >"$OUT/unnamed.txt" 2>&1
st=$?
check "host run without a named device: refused, exit 2, no run directory ($st)" \
	sh -c "[ $st = 2 ] && [ ! -e '$r/unnamed' ] && grep -q 'cannot run suite hostmode: .*device-allowed' '$OUT/unnamed.txt'"
# 4. the allowlisted e1000e without --allow-rebind: refused, still on e1000e
echo "$nic  # the aliased e1000e" >"$OUT/devices"
before=$(driver)
INVLAB_DEVICES=$OUT/devices $inv lab --host --suite $M --results "$r" --run-id norebind >"$OUT/norebind.txt" 2>&1
st=$?
check "msi-storm on the allowlisted $nic without --allow-rebind: refused, exit 2, still on $before ($st, $(driver))" \
	sh -c "[ $st = 2 ] && [ ! -e '$r/norebind' ] && [ '$before' = e1000e ] && [ \"\$(basename \$(readlink /sys/bus/pci/devices/$nic/driver))\" = e1000e ] &&
		grep -q 'missing  rebind: $nic would leave its driver' '$OUT/norebind.txt'"
# 5. a complete smoke run on the named NVMe
$inv lab --host --suite $S --device serial:invlab-nvme0 --results "$r" --run-id smoke >"$OUT/smoke.txt" 2>&1
st=$?
check "host run on the named NVMe: complete, exit 0, a run directory with run.json, result and report ($st)" \
	sh -c "[ $st = 0 ] && grep -q '\"status\": \"complete\"' '$r/smoke/run.json' &&
		grep -q '\"status\": \"complete\"' '$r/smoke/host/result.json' && [ -s '$r/smoke/report.md' ]"
# 6. msi-storm on the allowlisted e1000e with --allow-rebind: complete, given back
INVLAB_DEVICES=$OUT/devices $inv lab --host --suite $M --allow-rebind $nic --results "$r" --run-id msi >"$OUT/msi.txt" 2>&1
st=$?
check "msi-storm with --allow-rebind $nic: complete, exit 0, the e1000e bound again after ($st, $(driver))" \
	sh -c "[ $st = 0 ] && grep -q '\"status\": \"complete\"' '$r/msi/host/result.json' && [ \"\$(basename \$(readlink /sys/bus/pci/devices/$nic/driver))\" = e1000e ]"
# 7. the host runs go into a nightly history like any run
check "nightly append of the host runs" $inv nightly append --history "$OUT/history" --host amd-host "$r/smoke" "$r/msi"
[ "$fails" = 0 ]

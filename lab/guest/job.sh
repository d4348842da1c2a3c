#!/bin/sh
# PID 1 of a lab guest, after lab/guest/init: set up the system the way a lab
# host has it, run `invlab run` for this boot's suite, record its exit status
# for the host, and power off. The host reads guest-status; a guest that dies
# before writing it is a failed boot. Cells that share a boot (they differ
# only in module.* knobs, set by invlab run) are listed in invlab.cells, one
# line each, OUTPUT_DIR PARAMS: a run each in turn, each with its own status.
# invlab.script (a suite's guest_script, the real-host path's test) runs
# instead, as a user would on a host; its exit status is the guest's.
top= bin= out= suite= extra= params= hang= cells= script=
mount -t proc proc /proc
mount -t sysfs sysfs /sys
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	invlab.top=*) top=${arg#invlab.top=} ;;
	invlab.bin=*) bin=${arg#invlab.bin=} ;;
	invlab.out=*) out=${arg#invlab.out=} ;;
	invlab.suite=*) suite=${arg#invlab.suite=} ;;
	invlab.params=*) params=${arg#invlab.params=} ;;
	invlab.cells=*) cells=${arg#invlab.cells=} ;;
	invlab.script=*) script=${arg#invlab.script=} ;;
	invlab.args=*) extra=$(echo "${arg#invlab.args=}" | tr ',' ' ') ;;
	invlab.hang=*) hang=${arg#invlab.hang=} ;;
	esac
done
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t bpf bpf /sys/fs/bpf 2>/dev/null
# cpu.stat: each window's CPU work (bench/src/run/cpu_time.h)
mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
hostname invlab-guest
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8

echo "invlab-guest: kernel $(uname -r), suite $suite, output $out"
# Fault injection for the tests (a suite's hang_first_boot): hang before
# invlab run starts, as a stuck guest would; the host kills it at its time
# limit and, since no workload started, boots it again without this.
if [ "$hang" = 1 ]; then
	echo "invlab-guest: hanging before invlab run (the suite's hang_first_boot)"
	while :; do sleep 3600; done
fi
# one invlab run into $1 with parameters $2; its exit status in $1/guest-status
run_one() {
	# what invlab doctor says of this guest first, kept beside the result
	"${bin:-$top/build/invlab}" doctor --no-attach --suite "$suite" ${2:+--params "$2"} --out "$1" --json "$1/doctor.json" >"$1/doctor.txt" 2>&1
	echo "invlab-guest: invlab doctor exited with status $? (doctor.txt)"
	status=0
	"${bin:-$top/build/invlab}" run --suite "$suite" --out "$1" --lab-context "$1/lab.json" ${2:+--params "$2"} $extra || status=$?
	echo "$status" >"$1/guest-status.partial" && mv "$1/guest-status.partial" "$1/guest-status"
	sync
	echo "invlab-guest: invlab run ($1) exited with status $status"
}
if [ -n "$script" ]; then
	echo "invlab-guest: running $script (no invlab run of its own)"
	status=0
	INVLAB_BIN="${bin:-$top/build/invlab}" INVLAB_TOP=$top OUT=$out SUITE=$suite sh "$top/$script" </dev/null || status=$?
	echo "$status" >"$out/guest-status.partial" && mv "$out/guest-status.partial" "$out/guest-status"
	sync
	echo "invlab-guest: $script exited with status $status"
elif [ -n "$cells" ]; then
	total=$(wc -l <"$cells") i=0
	while read -r dir p; do
		i=$((i + 1))
		echo "invlab-guest: run $i of $total in this boot: ${p:-no parameters}"
		run_one "$dir" "$p" </dev/null
	done <"$cells"
else
	run_one "$out" "$params"
fi
echo "invlab-guest: powering off"
busybox poweroff -f

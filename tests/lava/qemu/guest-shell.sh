#!/bin/sh
# A QEMU lab guest as LAVA's qemu device type sees a booted device: a root
# shell on the serial console. lab/guest/job.sh runs it (invlab.script= on
# the kernel command line, given by the LAVA job's --kernel-args) after
# setting the guest up as a lab host has it; the guest is not marked as a
# lab guest, so invlab's real-host gates hold. LAVA then drives the shell:
# it mounts its test overlay, an ext2 disk, by /dev/disk/by-uuid (udev's
# links, which this guest has no udev to make: made here) and runs the
# job's test steps. tests/lava/qemu/lava-run.sh, docs/fleet.md.
mkdir -p /dev/disk/by-uuid
for d in /sys/class/block/*; do
	n=${d##*/}
	u=$(blkid -s UUID -o value "/dev/$n" 2>/dev/null) || continue
	[ -n "$u" ] && ln -sf "../../$n" "/dev/disk/by-uuid/$u"
done
# a NIC on QEMU's user network (lava-run.sh's, for the history database at
# 10.0.2.100): QEMU's default guest address
for n in /sys/class/net/e*; do
	[ -e "$n" ] || continue
	ip link set "${n##*/}" up && ip addr add 10.0.2.15/24 dev "${n##*/}" &&
		echo "invlab-guest: ${n##*/} is 10.0.2.15/24"
	break
done
echo "invlab-guest: a root shell on the console for LAVA (disks by uuid: $(ls /dev/disk/by-uuid | wc -l))"
# LAVA's test shell writes its profile to ~/.bashrc and runs its scripts
# with /bin/sh; an interactive sh with the console as its terminal
export HOME=/root PS1='invlab-guest# '
cd /root || exit 1
setsid sh -c 'exec sh -i </dev/ttyS0 >/dev/ttyS0 2>&1'
echo "invlab-guest: the console shell ended"

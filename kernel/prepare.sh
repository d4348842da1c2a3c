#!/usr/bin/env bash
# Make a guest kernel ready to boot in the QEMU lab and print three lines:
# its directory (with kernel.json), its initramfs, and the extra kernel
# command line it boots with (may be empty). Runs inside the lab rootfs.
# LABEL names kernel/stock/LABEL.conf (a Debian package) or
# kernel/lab/LABEL.conf (the lab's patched build, kernel/build.sh).
set -euo pipefail
. "$(dirname "$0")/../lab/lib.sh"

label=${1:?usage: kernel/prepare.sh LABEL}
cmdline=
if [ -f "$INVLAB_TOP/kernel/stock/$label.conf" ]; then
	kdir=$("$INVLAB_TOP/kernel/stock/fetch.sh" "$label")
elif [ -f "$INVLAB_TOP/kernel/lab/$label.conf" ]; then
	cmdline=$(sed -n 's/^cmdline=//p' "$INVLAB_TOP/kernel/lab/$label.conf" | tail -n 1)
	kdir=$("$INVLAB_TOP/kernel/build.sh")
else
	have=$(cd "$INVLAB_TOP/kernel" && ls stock/*.conf lab/*.conf | sed 's,.*/,,; s/\.conf$//' | tr '\n' ' ')
	die "no kernel '$label': neither kernel/stock/$label.conf nor kernel/lab/$label.conf exists (have: $have)"
fi
initrd=$("$INVLAB_TOP/lab/guest/mkinitramfs.sh" "$kdir")
echo "$kdir"
echo "$initrd"
echo "$cmdline"

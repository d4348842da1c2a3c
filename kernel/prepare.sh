#!/usr/bin/env bash
# Make a guest kernel ready to boot in the QEMU lab and print two lines: its
# directory (with kernel.json) and its initramfs. Runs inside the lab rootfs.
# LABEL names kernel/stock/LABEL.conf (a Debian package).
set -euo pipefail
. "$(dirname "$0")/../lab/lib.sh"

label=${1:?usage: kernel/prepare.sh LABEL}
if [ -f "$INVLAB_TOP/kernel/stock/$label.conf" ]; then
	kdir=$("$INVLAB_TOP/kernel/stock/fetch.sh" "$label")
else
	die "no kernel '$label': there is no kernel/stock/$label.conf"
fi
initrd=$("$INVLAB_TOP/lab/guest/mkinitramfs.sh" "$kdir")
echo "$kdir"
echo "$initrd"

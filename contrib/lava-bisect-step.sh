#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# One `invlab bisect` step on a real host, through LAVA (docs/fleet.md):
#
#   invlab bisect --ksrc ~/linux --good v7.2 --bad v7.3 --metric iops \
#       --suite smoke --step-cmd /opt/invlab/contrib/lava-bisect-step.sh
#
# invlab bisect runs it in the checked-out kernel tree with
# INVLAB_BISECT_SRC (that tree), INVLAB_BISECT_COMMIT (its commit) and
# INVLAB_BISECT_RUN (the directory to fill with an invlab run). It builds and
# publishes the kernel (your command), writes the LAVA job (invlab
# lava-job), submits it (lavacli), waits, fetches the run the job uploaded
# and puts it in INVLAB_BISECT_RUN. Exit 0 when the run is there; 1 when
# not (bisect then reads no run, and git bisect skips the commit: 125);
# 2 when this script is not set up. bisect judges the run, not this status.
#
# Set up, in the environment:
#   INVLAB_LAVA_PUBLISH      a command run in the tree that builds the kernel
#                            and publishes it where the lab's devices can
#                            download it; it prints KERNEL_URL [MODULES_URL]
#   INVLAB_LAVA_DEVICE_TYPE  the LAVA device type of the AMD hosts
#   INVLAB_LAVA_ROOTFS       the rootfs URL (invlab installed in it)
#   INVLAB_LAVA_STORE        a URL prefix the job can PUT the run to and this
#                            script can GET it from (curl)
#   INVLAB_LAVA_SUITE        the suite (default smoke), INVLAB_LAVA_KERNEL its
#                            kernel label (default lab)
#   LAVACLI_IDENTITY         lavacli's identity (default: lavacli's own)
#   INVLAB                   invlab (default invlab in PATH)
#   INVLAB_LAVA_JOB_ARGS     more invlab lava-job options (--boot-method ...)
# It cannot run without a LAVA server; nothing in make test runs it.
set -u
die() { echo "lava-bisect-step: $1" >&2; exit "${2:-1}"; }
for v in INVLAB_BISECT_RUN INVLAB_BISECT_COMMIT INVLAB_LAVA_PUBLISH \
	INVLAB_LAVA_DEVICE_TYPE INVLAB_LAVA_ROOTFS INVLAB_LAVA_STORE; do
	eval "[ -n \"\${$v:-}\" ]" || die "$v is not set (see the top of $0)" 2
done
invlab=${INVLAB:-invlab}
suite=${INVLAB_LAVA_SUITE:-smoke}
kernel=${INVLAB_LAVA_KERNEL:-lab}
lavacli="lavacli${LAVACLI_IDENTITY:+ --identity $LAVACLI_IDENTITY}"
commit=$INVLAB_BISECT_COMMIT
tmp=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$tmp"' EXIT

# 1. the kernel of this commit, where the devices can fetch it
urls=$(sh -c "$INVLAB_LAVA_PUBLISH") || die "$INVLAB_LAVA_PUBLISH failed for $commit"
# shellcheck disable=SC2086 # the URLs, split into words, never globbed
set -f && set -- $urls && set +f
[ $# -ge 1 ] || die "$INVLAB_LAVA_PUBLISH printed no kernel URL"
kernel_url=$1 modules_url=${2:-}

# 2. the job: every cell of the suite at this kernel, the run PUT to the store
store="$INVLAB_LAVA_STORE/bisect-$(date -u +%Y%m%d-%H%M%S)-$(echo "$commit" | cut -c1-12).tar.gz"
# shellcheck disable=SC2086 # INVLAB_LAVA_JOB_ARGS: words on purpose
"$invlab" lava-job --suite "$suite" --kernel "$kernel" \
	--device-type "$INVLAB_LAVA_DEVICE_TYPE" --kernel-url "$kernel_url" \
	${modules_url:+--modules-url "$modules_url"} --rootfs "$INVLAB_LAVA_ROOTFS" \
	--upload "$store" ${INVLAB_LAVA_JOB_ARGS:-} -o "$tmp/job.yaml" ||
	die "invlab lava-job failed"

# 3. submit, wait, and say how the job went
id=$($lavacli jobs submit "$tmp/job.yaml") || die "lavacli jobs submit failed"
echo "lava-bisect-step: $commit: LAVA job $id"
$lavacli jobs wait "$id" || die "lavacli jobs wait $id failed"
health=$($lavacli jobs show "$id" --yaml | sed -n 's/^health: *//p')
$lavacli results "$id" || true
[ "$health" = Complete ] || echo "lava-bisect-step: job $id: health ${health:-unknown}" >&2

# 4. the run the job uploaded becomes this step's run
curl -fsS -o "$tmp/run.tar.gz" "$store" || die "job $id uploaded no run to $store"
# shellcheck disable=SC2015 # either failing is the same failure
mkdir "$tmp/run" && tar -xzf "$tmp/run.tar.gz" -C "$tmp/run" ||
	die "$store is not a tarball of a run"
set -- "$tmp"/run/*/run.json
[ -f "$1" ] || die "$store holds no run (no RUN_ID/run.json)"
# shellcheck disable=SC2015
mkdir -p "$INVLAB_BISECT_RUN" && cp -R "$(dirname "$1")"/. "$INVLAB_BISECT_RUN"/ ||
	die "could not fill $INVLAB_BISECT_RUN"
echo "lava-bisect-step: $commit: run of job $id in $INVLAB_BISECT_RUN"

#!/usr/bin/env bash
# CPU rehearsal of the GPU route (./enhancer gpu-rehearsal; not part of CI): the device script, deploy/gpu/device-run.sh,
# run on this machine against a libtorch newer than the 2.7.1 DJL's natives were built for. Debian sid's libtorch-dev
# (2.14.x) needs a newer glibc than Debian 12's, so it lives in a debootstrap'd sid chroot, cached between runs. Inside
# it the kit's jlink'd runtime (glibc 2.17 floor) runs the project's inference; the JNI is built by build-djl-jni.sh
# exactly as on the GPU machine; parity is checked against fixtures that the stock CPU stack (DJL's own 2.7.1 natives
# from Maven) wrote.
#
# usage: deploy/gpu/rehearse-cpu.sh [--chroot DIR] [--kit DIR] [--out DIR] [--bench "GpuBench args"] [--no-bench]
#                                    [--reuse-kit] [--chroot-only]
#   SID_CHROOT  the chroot (default /var/tmp/scan-enhancer-sid; about 2 GB; outside the repository)
#   SID_MIRROR  Debian mirror (default: the one the host's apt uses, else deb.debian.org)
set -euo pipefail
REPO=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
CHROOT=${SID_CHROOT:-/var/tmp/scan-enhancer-sid}
KIT=${GPU_KIT:-$REPO/.gpu-kit}
OUT_DIR=$REPO/target/gpu-rehearsal
# the CPU has 2 cores here: the full GPU matrix would take hours, so the rehearsal benches one small row per mode
# (the uncertainty path with 2 samples; parity covers it with 8). The JNI's objects are kept in the chroot between runs
CHROOT_ONLY=0 REUSE_KIT=0
BENCH_ARGS=${GPU_BENCH_ARGS:---sizes 256 --batches 1 --modes default,kspace,prior,uncertainty --uncertainty 2 --repeats 1}
while [ $# -gt 0 ]; do
  case "$1" in
    --chroot) CHROOT=$2; shift 2 ;;
    --kit) KIT=$2; shift 2 ;;
    --out) OUT_DIR=$2; shift 2 ;;
    --bench) BENCH_ARGS=$2; shift 2 ;;
    --no-bench) BENCH_ARGS=none; shift ;;
    --chroot-only) CHROOT_ONLY=1; shift ;;
    --reuse-kit) REUSE_KIT=1; shift ;;
    *) echo "rehearse-cpu: unknown argument $1" >&2; exit 2 ;;
  esac
done
say() { printf '[gpu-rehearsal] %s\n' "$*" >&2; }
[ "$(id -u)" -eq 0 ] || { say "needs root (debootstrap, chroot, mount)"; exit 1; }
T0=$(date +%s)

mirror() {
  if [ -n "${SID_MIRROR:-}" ]; then echo "$SID_MIRROR"; return; fi
  local m
  m=$(grep -h -o -E '^URIs: *http[^ ]*/debian$' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1 | sed 's/^URIs: *//')
  echo "${m:-http://deb.debian.org/debian}"
}

# sid's Release files may be older than their Valid-Until on a snapshot mirror
APT_SID=(-o Acquire::Check-Valid-Until=false -o APT::Install-Recommends=false -o Dpkg::Use-Pty=0)

ensure_chroot() {
  if [ -x "$CHROOT/usr/bin/g++" ] && [ -f "$CHROOT/.scan-enhancer-ready" ]; then
    say "chroot ready: $CHROOT ($(cat "$CHROOT/.scan-enhancer-ready"))"
    return
  fi
  command -v debootstrap >/dev/null || { export DEBIAN_FRONTEND=noninteractive; apt-get update -q; apt-get install -y -q --no-install-recommends debootstrap; }
  if [ ! -x "$CHROOT/usr/bin/apt-get" ]; then
    say "debootstrap --variant=minbase sid $CHROOT (one time, a few minutes)"
    rm -rf "$CHROOT"
    nice -n 10 debootstrap --variant=minbase sid "$CHROOT" "$(mirror)"
  fi
  cp /etc/resolv.conf "$CHROOT/etc/resolv.conf" 2>/dev/null || true
  say "installing libtorch-dev and g++ in the chroot (one time)"
  chroot "$CHROOT" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_SID[@]}" update -q
  chroot "$CHROOT" env DEBIAN_FRONTEND=noninteractive nice -n 10 apt-get "${APT_SID[@]}" install -y -q \
      libtorch-dev g++ binutils xz-utils
  chroot "$CHROOT" apt-get clean
  chroot "$CHROOT" dpkg-query -W -f='libtorch-dev ${Version}' libtorch-dev > "$CHROOT/.scan-enhancer-ready"
  say "chroot ready: $(cat "$CHROOT/.scan-enhancer-ready"), $(du -sh "$CHROOT" | cut -f1)"
}

ensure_chroot
[ "$CHROOT_ONLY" = 1 ] && exit 0
T1=$(date +%s)

# --- the kit, as for the GPU machine --------------------------------------------------------------------------------
if [ "$REUSE_KIT" = 1 ] && [ -f "$KIT/KIT.md" ]; then
  say "reusing the kit in $KIT"
else
  "$REPO/deploy/gpu/make-kit.sh" "$KIT"
fi
T2=$(date +%s)

# --- the device run inside the chroot: the working tree as the device tool would send it, the kit carried ----------
STAGE=$CHROOT/rehearsal
rm -rf "$STAGE"; mkdir -p "$STAGE/repo" "$STAGE/out"
(cd "$REPO" && git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf -) | tar -C "$STAGE/repo" -xf -
cp -a "$KIT" "$STAGE/repo/.gpu-kit"
MOUNTED=()
cleanup() { for m in "${MOUNTED[@]}"; do umount "$m" 2>/dev/null || true; done; }
trap cleanup EXIT
if ! mountpoint -q "$CHROOT/proc"; then mount -t proc proc "$CHROOT/proc" && MOUNTED+=("$CHROOT/proc"); fi
if [ ! -c "$CHROOT/dev/urandom" ] && ! mountpoint -q "$CHROOT/dev"; then mount --bind /dev "$CHROOT/dev" && MOUNTED+=("$CHROOT/dev"); fi
SKIP=0; [ "$BENCH_ARGS" = none ] && { SKIP=1; BENCH_ARGS=; }
say "device-run.sh in the chroot against sid's libtorch (REQUIRE_GPU unset: parity and bench on the CPU)"
set +e
chroot "$CHROOT" env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    OUT=/rehearsal/out GPU_KIT=.gpu-kit DEVICE_WORK=/rehearsal/work TORCH_INCLUDE=/usr/include \
    TORCH_LIB=/usr/lib/x86_64-linux-gnu JNI_WORK=/var/cache/scan-enhancer-jni JAVA_XMX=6g SKIP_BENCH=$SKIP GPU_BENCH_ARGS="$BENCH_ARGS" BENCH_BUDGET_S=900 \
    nice -n 10 bash -c 'cd /rehearsal/repo && bash deploy/gpu/device-run.sh' > /dev/null
STATUS=$?
set -e
rm -rf "$OUT_DIR"; mkdir -p "$OUT_DIR"; cp -a "$STAGE/out/." "$OUT_DIR/"
T3=$(date +%s)
{
  echo; echo "## Rehearsal cost"
  echo "chroot $(du -sh "$CHROOT" | cut -f1) ($CHROOT, $(cat "$CHROOT/.scan-enhancer-ready")); kit $(du -sh "$KIT" | cut -f1);" \
       "kit $((T2 - T1)) s, device run $((T3 - T2)) s, total $((T3 - T0)) s (chroot made earlier or included above)"
} >> "$OUT_DIR/SUMMARY.md"
cat "$OUT_DIR/SUMMARY.md"
say "results in $OUT_DIR (exit $STATUS)"
exit $STATUS

#!/usr/bin/env bash
# The one command for the GPU machine (the device tool), from the repository root, with the kit carried:
#   GPU_KIT=.gpu-kit REQUIRE_GPU=1 bash deploy/gpu/device-run.sh
# Probes the toolchain, builds DJL's JNI against the machine's own libtorch (build-djl-jni.sh), checks parity of the
# project's inference against the kit's CPU fixtures, then benches (GpuBench) beside the CPU figures in the kit.
# Everything lands in $OUT (6 files: the device tool brings back at most 8). Sized to end well inside 10 minutes.
#   REQUIRE_GPU=1  fail loudly (exit 3) where no GPU is seen, instead of measuring the CPU
#   TORCH_DIR | TORCH_INCLUDE + TORCH_LIB   the libtorch to build against (default: python3's torch)
#   GPU_BENCH_ARGS extra GpuBench arguments (the CPU rehearsal passes a small matrix); BENCH_BUDGET_S (default 200);
#   SKIP_BENCH=1 stops after parity
set -uo pipefail
REPO=$(pwd)
KIT=$(cd "${GPU_KIT:-.gpu-kit}" 2>/dev/null && pwd) || { echo "device-run: no kit at ${GPU_KIT:-.gpu-kit} (./enhancer gpu-kit DIR, carried)" >&2; exit 2; }
OUT=${OUT:-$REPO/target/device-out}
WORK=${DEVICE_WORK:-/tmp/scan-enhancer-gpu}
mkdir -p "$OUT" "$WORK"
T0=$(date +%s)
say() { printf '[device-run +%ss] %s\n' "$(( $(date +%s) - T0 ))" "$*"; }
SUMMARY=$OUT/SUMMARY.md
finish() {
  local status=$1 why=$2
  {
    echo; echo "## Result"; echo "$why (exit $status) after $(( $(date +%s) - T0 )) s"
  } >> "$SUMMARY"
  say "$why (exit $status)"
  exit "$status"
}

main() {
echo "# Device run $(date -u +%FT%TZ)" > "$SUMMARY"

# --- 1. probe -----------------------------------------------------------------------------------------------------
PY=$(python3 -c 'import torch, os; print(torch.__version__, torch.version.cuda, int(torch._C._GLIBCXX_USE_CXX11_ABI), torch.cuda.is_available(), os.path.dirname(torch.__file__))' 2>/dev/null || echo "none")
SMI=$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || true)
{
  echo; echo "## Probe"; echo '```'
  echo "host: $(uname -srm), $(nproc) cores, $(ldd --version 2>/dev/null | head -1)"
  echo "g++: $(g++ --version 2>/dev/null | head -1 || echo none)"
  echo "python3 torch (version cuda cxx11abi cuda_available dir): $PY"
  echo "nvidia-smi: ${SMI:-none}"
  echo "kit: $(head -1 "$KIT/KIT.md" 2>/dev/null)"
  echo '```'
} | tee -a "$SUMMARY"
HAVE_GPU=0
[ -n "$SMI" ] && HAVE_GPU=1
if [ "${REQUIRE_GPU:-0}" = 1 ]; then
  [ "$HAVE_GPU" = 1 ] || finish 3 "REQUIRE_GPU=1 but nvidia-smi reports no GPU"
  case "$PY" in none|*" False "*) finish 3 "REQUIRE_GPU=1 but python3's torch does not see CUDA ($PY)" ;; esac
fi
DEVICE=cpu; [ "$HAVE_GPU" = 1 ] && DEVICE=gpu

# --- 2. Java runtime ------------------------------------------------------------------------------------------------
rm -rf "$WORK/jre"
tar -C "$WORK" -xJf "$KIT/runtime.tar.xz" 2>/dev/null \
  || python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$KIT/runtime.tar.xz" "$WORK" \
  || finish 1 "cannot unpack the kit's runtime"
"$WORK/jre/bin/java" -version 2>&1 | head -1 | sed 's/^/java: /' | tee -a "$SUMMARY"
"$WORK/jre/bin/java" -version >/dev/null 2>&1 || finish 1 "the kit's Java runtime does not start here (glibc? see KIT.md)"

# --- 3. JNI against this machine's libtorch -------------------------------------------------------------------------
TORCH_ARGS=()
if [ -n "${TORCH_INCLUDE:-}" ]; then TORCH_ARGS=(--include "$TORCH_INCLUDE" --lib "$TORCH_LIB")
elif [ -n "${TORCH_DIR:-}" ]; then TORCH_ARGS=(--torch "$TORCH_DIR"); fi
say "building the JNI (log: jni-build.log)"
J0=$(date +%s)
bash "$REPO/deploy/gpu/build-djl-jni.sh" "${TORCH_ARGS[@]}" --djl-src "$(ls "$KIT"/djl-src/*.tar.xz | head -1)" \
    --jni-header "$KIT/jni-include" --jni-include "$KIT/jni-include" --cache "$WORK/djl-cache" \
    --env-out "$WORK/djl.env" --jobs "$(nproc)" --work "${JNI_WORK:-$WORK/jni-build}" > "$OUT/jni-build.log" 2>&1
JNI_STATUS=$?
tail -8 "$OUT/jni-build.log"
{ echo; echo "## JNI build ($(( $(date +%s) - J0 )) s, exit $JNI_STATUS)"; echo '```'; tail -8 "$OUT/jni-build.log"; echo '```'; } >> "$SUMMARY"
[ "$JNI_STATUS" = 0 ] || finish 1 "JNI build failed"
# shellcheck disable=SC1091
. "$WORK/djl.env"
THREADS=$(nproc)
JAVA=("$WORK/jre/bin/java" $DJL_JNI_JAVA_OPTS -Xmx${JAVA_XMX:-24g} -Dai.djl.pytorch.num_threads="$THREADS"
      -Dai.djl.pytorch.num_interop_threads=1 --enable-native-access=ALL-UNNAMED -cp "$KIT/app.jar:$KIT/lib/*")
MODEL=$KIT/models/sr3-mri-t1-v7
REQ=(); [ "${REQUIRE_GPU:-0}" = 1 ] && REQ=(--require-gpu)

# --- 4. parity --------------------------------------------------------------------------------------------------------
say "parity against the kit's CPU fixtures"
timeout 240 "${JAVA[@]}" io.scanenhancer.harness.gpu.Parity check "$KIT/fixtures" --model "$MODEL" "${REQ[@]}" --out "$OUT/parity.md"
PARITY=$?
{ echo; echo "## Parity (exit $PARITY)"; echo '```'; cat "$OUT/parity.md" 2>/dev/null || echo "no result"; echo '```'; } >> "$SUMMARY"
[ "$PARITY" = 3 ] && finish 3 "REQUIRE_GPU=1 but DJL sees no GPU through the rebuilt JNI"

# --- 5. bench ---------------------------------------------------------------------------------------------------------
[ "${SKIP_BENCH:-0}" = 1 ] && { [ "$PARITY" = 0 ] && finish 0 "done: JNI built, parity within tolerance, bench skipped (SKIP_BENCH=1)" || finish 1 "parity FAILED (see parity.md)"; }
SMI_PID=
if [ "$HAVE_GPU" = 1 ]; then
  nvidia-smi --query-gpu=timestamp,memory.used,utilization.gpu --format=csv,nounits -lms 500 > "$OUT/nvidia-smi.csv" 2>&1 &
  SMI_PID=$!
fi
say "bench on $DEVICE"
BUDGET=${BENCH_BUDGET_S:-200}
# shellcheck disable=SC2086
timeout $((BUDGET + 150)) "${JAVA[@]}" io.scanenhancer.harness.gpu.GpuBench --device "$DEVICE" --model "$MODEL" \
    --inputs "$KIT/bench" --time-budget-s "$BUDGET" --out "$OUT/bench.md" ${GPU_BENCH_ARGS:-}
BENCH=$?
[ -n "$SMI_PID" ] && kill "$SMI_PID" 2>/dev/null
{
  echo; echo "## Bench on $DEVICE (exit $BENCH)"; cat "$OUT/bench.md" 2>/dev/null || echo "no result"
  if [ -n "$SMI_PID" ]; then
    echo; echo "peak memory.used over the whole bench (nvidia-smi every 0.5 s): $(awk -F', *' 'NR>1 && $2+0>m {m=$2+0} END{print m+0}' "$OUT/nvidia-smi.csv") MiB"
  fi
  echo; echo "## CPU figures from the kit"; sed 1d "$KIT/bench/cpu-bench.md" 2>/dev/null || echo "none in the kit"
} >> "$SUMMARY"

if [ "$PARITY" != 0 ]; then finish 1 "parity FAILED or did not run (see parity.md)"; fi
if [ "$BENCH" != 0 ]; then finish 1 "bench failed (exit $BENCH)"; fi
finish 0 "done: JNI built, parity within tolerance, bench written"
}

# one pipeline rather than exec > >(tee): the log is complete when the command returns
main 2>&1 | tee -a "$OUT/device-run.log"
exit "${PIPESTATUS[0]}"

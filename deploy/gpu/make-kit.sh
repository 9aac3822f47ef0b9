#!/usr/bin/env bash
# ./enhancer gpu-kit DIR: packs what the GPU machine needs to run the project's inference there, a machine with
# Python PyTorch + CUDA, g++, no Java and no network, reached by carrying at most 64 MiB (working tree included):
#   runtime.tar.xz   a jlink'd Java runtime          lib/           DJL api + pytorch-engine, gson, jna, slf4j, jackson
#   app.jar          service classes + harness/gpu   models/        sr3-mri-t1-v7 (routed: area/, kspace/)
#   djl-src/         DJL's JNI sources + licence     jni-include/   the JNI header, jni.h, jni_md.h
#   fixtures/        CPU parity fixtures (stock DJL 2.7.1 natives)   bench/  test slices + the CPU figures measured here
#   KIT.md           what is in it, the runtime chosen and its glibc floor, sizes
# DIR must be inside the repository and git-ignored (the device tool carries ignored paths only): .gpu-kit is.
#
# usage: make-kit.sh DIR [--jdk JAVA_HOME] [--refresh-fixtures] [--measure-cpu]
#   --jdk          the JDK to jlink (default: Temurin 25 where installed, else Debian's JDK 17; see KIT.md)
#   --measure-cpu  re-measure deploy/gpu/cpu-bench.md on this machine (stock CPU stack; about 15 minutes on 2 cores)
set -euo pipefail
REPO=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
cd "$REPO"
DIR= JDK=${KIT_JDK:-} REFRESH=0 MEASURE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --jdk) JDK=$2; shift 2 ;;
    --refresh-fixtures) REFRESH=1; shift ;;
    --measure-cpu) MEASURE=1; shift ;;
    -*) echo "gpu-kit: unknown option $1" >&2; exit 2 ;;
    *) DIR=$1; shift ;;
  esac
done
say() { printf '[gpu-kit] %s\n' "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }
[ -n "$DIR" ] || die "usage: ./enhancer gpu-kit DIR (e.g. .gpu-kit)"
mkdir -p "$DIR"; DIR=$(cd "$DIR" && pwd)
case "$DIR/" in "$REPO"/*) ;; *) die "$DIR is outside the repository: the device tool carries only paths inside it" ;; esac
REL=${DIR#"$REPO"/}
git check-ignore -q "$REL" || die "$REL is not git-ignored: add it to .git/info/exclude (or use .gpu-kit, which .gitignore lists)"
T0=$(date +%s)
MODEL=models/sr3-mri-t1-v7
DJL_SRC=${DJL_NATIVE_SRC:-$REPO/../shared/gpu/djl-pytorch-native-v0.36.0.tar.xz}
# a git worktree elsewhere: shared/ lies beside the main checkout
if [ -z "${DJL_NATIVE_SRC:-}" ] && [ ! -f "$DJL_SRC" ] && common=$(git -C "$REPO" rev-parse --path-format=absolute --git-common-dir 2>/dev/null); then
  DJL_SRC=$(dirname "$common")/../shared/gpu/djl-pytorch-native-v0.36.0.tar.xz
fi
[ -f "$DJL_SRC" ] || die "DJL JNI sources not found at $DJL_SRC (DJL_NATIVE_SRC)"

# --- build and classpath (stock CPU stack: DJL's own 2.7.1 natives from Maven) ------------------------------------
say "compiling (mvn test-compile)"
nice -n 10 mvn -B -q ${MAVEN_FLAGS:-} -DskipTests test-compile
CPFILE=target/gpu-kit-classpath.txt
mvn -B -q ${MAVEN_FLAGS:-} dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CPFILE" >/dev/null
STOCK_CP="target/classes:target/test-classes:$(cat "$CPFILE")"
TC=$(ls /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 2>/dev/null || true)
stock_java() {
  LD_PRELOAD=${TC:-} nice -n 10 java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$(nproc)" \
      -Dai.djl.pytorch.num_interop_threads=1 -cp "$STOCK_CP" "$@"
}

# --- jars and classes ---------------------------------------------------------------------------------------------
rm -rf "$DIR/lib" "$DIR/app.jar"; mkdir -p "$DIR/lib"
# JTransforms (with JLargeArrays and commons-math3, which it calls): the guard's k-space self-test degrades in Java
tr ':' '\n' < "$CPFILE" | grep -E '/(api-0\.36\.0|pytorch-engine-0\.36\.0|gson-[0-9.]+|jna-[0-9.]+|slf4j-api-[0-9.]+|jackson-(databind|core|annotations)-[0-9.]+|JTransforms-[0-9.]+|JLargeArrays-[0-9.]+|commons-math3-[0-9.]+)\.jar$' \
    | xargs -I{} cp {} "$DIR/lib/"
SLF4J=$(ls "$DIR"/lib/slf4j-api-*.jar | sed -E 's/.*slf4j-api-(.*)\.jar/\1/')
# a binding, so that DJL says which libtorch and JNI it loaded
mvn -B -q ${MAVEN_FLAGS:-} dependency:copy -Dartifact=org.slf4j:slf4j-simple:"$SLF4J" -DoutputDirectory="$DIR/lib" >/dev/null
[ "$(ls "$DIR"/lib/*.jar | wc -l)" -eq 12 ] || die "expected 12 jars in $DIR/lib, found: $(ls "$DIR/lib" | tr '\n' ' ')"
jar --create --file "$DIR/app.jar" -C target/classes io -C target/test-classes io/scanenhancer/harness/gpu

# --- runtime ------------------------------------------------------------------------------------------------------
if [ -z "$JDK" ]; then
  for j in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-17-openjdk-amd64; do [ -x "$j/bin/jlink" ] && { JDK=$j; break; }; done
fi
[ -x "$JDK/bin/jlink" ] || die "no JDK with jlink (--jdk)"
MODULES=$("$JDK/bin/jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps "$DIR"/lib/*.jar "$DIR/app.jar" 2>/dev/null || true)
MODULES=$(printf '%s\n' java.base java.logging java.management java.sql java.xml jdk.unsupported ${MODULES//,/ } | sort -u | paste -sd, -)
RT=$(mktemp -d)
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --output "$RT/jre"
# the newest glibc symbol version any of its binaries asks for: what the GPU machine's glibc must at least be
GLIBC=$(find "$RT/jre" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec objdump -T {} + 2>/dev/null \
    | grep -o 'GLIBC_[0-9.]*' | sort -t. -k2,2n -k3,3n -u | tail -1)
"$RT/jre/bin/java" -version 2>&1 | head -1 > "$RT/version"
tar -C "$RT" -cJf "$DIR/runtime.tar.xz" jre
RUNTIME_DESC="$(cat "$RT/version") from $JDK; modules $MODULES; needs $GLIBC"
rm -rf "$RT"

# --- model, DJL sources, JNI headers --------------------------------------------------------------------------------
rm -rf "$DIR/models" "$DIR/djl-src" "$DIR/jni-include"
mkdir -p "$DIR/models" "$DIR/djl-src"
cp -r "$MODEL" "$DIR/models/" # routed: routes.json, one member folder per degradation (model cards and all)
cp "$DJL_SRC" "$DIR/djl-src/"
cp "$(dirname "$DJL_SRC")"/DJL-LICENSE "$(dirname "$DJL_SRC")"/DJL-NOTICE "$DIR/djl-src/" 2>/dev/null || say "WARNING: DJL-LICENSE/NOTICE not found beside $DJL_SRC"
deploy/gpu/build-djl-jni.sh --headers-only "$DIR/jni-include"

# --- parity fixtures and bench inputs (stock CPU stack) ---------------------------------------------------------------
# one digest over every file of the model: fixtures are rewritten whenever any of its networks or configs changes
SHA=$(cd "$MODEL" && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1)
if [ "$REFRESH" = 1 ] || [ "$(cat "$DIR/fixtures/model.sha256" 2>/dev/null)" != "$SHA" ]; then
  say "writing parity fixtures with the stock CPU stack"
  rm -rf "$DIR/fixtures"
  stock_java io.scanenhancer.harness.gpu.Parity write "$DIR/fixtures" --model "$MODEL"
  echo "$SHA" > "$DIR/fixtures/model.sha256"
fi
mkdir -p "$DIR/bench"
stock_java io.scanenhancer.harness.gpu.GpuBench --write-inputs "$DIR/bench" --sizes 256,512
if [ "$MEASURE" = 1 ]; then
  say "measuring the CPU figures (stock stack, $(nproc) cores) into deploy/gpu/cpu-bench.md"
  tmp=$(mktemp)
  # 1024x1024 outputs x 8 posterior samples x 8 images would need tens of GB here: the pixel cap skips such rows
  stock_java -Xmx8g io.scanenhancer.harness.gpu.GpuBench --device cpu --inputs "$DIR/bench" --sizes 256,512 \
      --batches 1,8,32 --modes default,prior,uncertainty --repeats 1 --max-call-pixels 8388608 --out "$tmp"
  LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
  { echo "# CPU figures for the GPU comparison (measured $(date -u +%F) on $(nproc) cores, $(uname -m), stock DJL 2.7.1 CPU natives, tcmalloc)"
    echo; cat "$tmp"
    # the development machine's cores are shared: the load says how much of them this run had
    echo; echo "load average (1, 5, 15 min) before: $LOAD0; after: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores shared with other work"
  } > deploy/gpu/cpu-bench.md
  rm -f "$tmp"
fi
[ -f deploy/gpu/cpu-bench.md ] && cp deploy/gpu/cpu-bench.md "$DIR/bench/cpu-bench.md"

# --- manifest and size ----------------------------------------------------------------------------------------------
KIT_BYTES=$(du -sb "$DIR" | cut -f1)
# bytes of the NUL-separated paths on stdin (xargs may split them over several du calls, each with its own total)
bytes_of() { xargs -0 du -cb 2>/dev/null | awk '/\ttotal$/ {t += $1} END {print t + 0}'; }
TREE_BYTES=$(git ls-files -z | bytes_of)
# the tracked models travel too unless deploy/gpu/slim-tree.sh out removes them for the call (the kit has its own copy)
SLIM_BYTES=$(git ls-files -z | grep -zv '^models/' | bytes_of)
cat > "$DIR/KIT.md" <<EOF
# GPU kit ($(date -u +%FT%TZ), commit $(git rev-parse --short HEAD)$(git diff --quiet && echo "" || echo ", with uncommitted changes"))
- runtime: $RUNTIME_DESC
- jars: $(cd "$DIR/lib" && ls | paste -sd' ' -)
- app.jar: target/classes + target/test-classes/io/scanenhancer/harness/gpu
- model: $MODEL (sha256 of its files' sha256sum listing $SHA)
- DJL JNI sources: $(basename "$DJL_SRC") (Apache-2.0, DJL-LICENSE beside it); JNI headers from pytorch-engine 0.36.0 sources
- fixtures: $(grep '^engine=' "$DIR/fixtures/fixtures.properties" | cut -d= -f2-)
- CPU figures: bench/cpu-bench.md $( [ -f "$DIR/bench/cpu-bench.md" ] && echo "(from deploy/gpu/cpu-bench.md)" || echo "(none measured yet: --measure-cpu)")
- size: kit $((KIT_BYTES / 1048576)) MiB + tracked tree $((TREE_BYTES / 1048576)) MiB ($((SLIM_BYTES / 1048576)) MiB without models/, deploy/gpu/slim-tree.sh out) of the 64 MiB a device call carries
EOF
say "kit in $DIR: $((KIT_BYTES / 1048576)) MiB (tree $((TREE_BYTES / 1048576)) MiB, $((SLIM_BYTES / 1048576)) MiB without models/), $(( $(date +%s) - T0 )) s"
[ $((KIT_BYTES + SLIM_BYTES)) -lt $((62 * 1048576)) ] || die "kit + tree without models/ exceed 62 MiB: the device call would refuse them"
SLIM=
[ $((KIT_BYTES + TREE_BYTES)) -lt $((62 * 1048576)) ] || SLIM="deploy/gpu/slim-tree.sh out first (kit + tree are over 62 MiB; slim-tree.sh back after), then "
echo "carry: [\"$REL\"]; ${SLIM}on the device: GPU_KIT=$REL REQUIRE_GPU=1 bash deploy/gpu/device-run.sh"

#!/usr/bin/env bash
# Builds DJL 0.36.0's PyTorch JNI library (libdjl_torch.so) against the libtorch that will run it, and installs it
# where DJL looks: $DJL_CACHE_DIR/pytorch/<version>-<flavor>-linux-x86_64/0.36.0-libdjl_torch.so.
#
# Why: DJL's prebuilt JNI was compiled against PyTorch 2.7.1 headers; torch::from_blob and make_variable are inline
# header code, so against any other libtorch it fails ("set_stride is not allowed ...") or has undefined symbols, and
# DJL's CUDA builds for 2.7.1 were never published. DJL's own sources, unchanged, compiled against the host's
# headers fix both (see ../shared/GPU.md). One route for the GPU machine (device-run.sh), the image (Dockerfile) and
# the CPU rehearsal (rehearse-cpu.sh).
#
# usage: build-djl-jni.sh [--torch DIR | --include DIR --lib DIR] [--version X.Y.Z] [--flavor cpu|cuNNN] [--abi 0|1]
#          [--djl-src TARBALL] [--jni-header DIR | --sources-jar JAR] [--jni-include DIR] [--cache DIR]
#          [--work DIR] [--jobs N] [--env-out FILE]
#   --torch    a pip torch folder or an unpacked libtorch (both hold include/ and lib/); default: python3's torch
#   --include/--lib  a split layout (Debian's libtorch-dev: /usr/include, /usr/lib/x86_64-linux-gnu)
#   --djl-src  DJL's JNI sources, default $DJL_NATIVE_SRC or ../shared/gpu/djl-pytorch-native-v0.36.0.tar.xz
#   --jni-header  a folder holding ai_djl_pytorch_jni_PyTorchLibrary.h (else generated with javac from the
#              pytorch-engine sources jar: --sources-jar, ~/.m2, or Maven Central through mvn)
#   --jni-include  the folder with jni.h (and linux/jni_md.h); default: the JDK's include/
#   --cache    DJL's cache folder, default $DJL_CACHE_DIR or ~/.djl.ai
#   --headers-only DIR  just write the JNI header, jni.h and jni_md.h into DIR (for a machine without a JDK) and stop
set -euo pipefail
REPO=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
DJL_VERSION=0.36.0
TORCH= INC= LIB= VERSION= FLAVOR= ABI= HEADER_DIR= HEADERS_ONLY= SOURCES_JAR=${DJL_ENGINE_SOURCES:-} JNI_INC= WORK= ENV_OUT=
DJL_SRC=${DJL_NATIVE_SRC:-$REPO/../shared/gpu/djl-pytorch-native-v$DJL_VERSION.tar.xz}
# a git worktree elsewhere: shared/ lies beside the main checkout
if [ -z "${DJL_NATIVE_SRC:-}" ] && [ ! -f "$DJL_SRC" ] && common=$(git -C "$REPO" rev-parse --path-format=absolute --git-common-dir 2>/dev/null); then
  DJL_SRC=$(dirname "$common")/../shared/gpu/djl-pytorch-native-v$DJL_VERSION.tar.xz
fi
CACHE=${DJL_CACHE_DIR:-$HOME/.djl.ai}
JOBS=$(nproc)
while [ $# -gt 0 ]; do
  case "$1" in
    --torch) TORCH=$2 ;; --include) INC=$2 ;; --lib) LIB=$2 ;; --version) VERSION=$2 ;; --flavor) FLAVOR=$2 ;;
    --abi) ABI=$2 ;; --djl-src) DJL_SRC=$2 ;; --jni-header) HEADER_DIR=$2 ;; --sources-jar) SOURCES_JAR=$2 ;;
    --jni-include) JNI_INC=$2 ;; --cache) CACHE=$2 ;; --work) WORK=$2 ;; --jobs) JOBS=$2 ;; --env-out) ENV_OUT=$2 ;;
    --headers-only) HEADERS_ONLY=$2 ;;
    *) echo "build-djl-jni: unknown argument $1" >&2; exit 2 ;;
  esac
  shift 2
done
say() { printf '[build-djl-jni] %s\n' "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }
T0=$(date +%s)

# --- sources and headers ----------------------------------------------------------------------------------------
CLEAN_WORK=
if [ -z "$WORK" ]; then WORK=$(mktemp -d); CLEAN_WORK=1; fi
trap 'if [ -n "$CLEAN_WORK" ]; then rm -rf "$WORK"; fi' EXIT
mkdir -p "$WORK/src" "$WORK/obj" "$WORK/include"

find_javac() {
  for j in "${JAVA_HOME:-}/bin/javac" "$(command -v javac 2>/dev/null)"; do [ -x "$j" ] && { echo "$j"; return; }; done
  ls /usr/lib/jvm/*/bin/javac 2>/dev/null | head -1
}
if [ -z "$HEADER_DIR" ]; then
  JAVAC=$(find_javac); [ -n "$JAVAC" ] || die "no javac to generate the JNI header: give --jni-header"
  if [ -z "$SOURCES_JAR" ]; then
    SOURCES_JAR=$HOME/.m2/repository/ai/djl/pytorch/pytorch-engine/$DJL_VERSION/pytorch-engine-$DJL_VERSION-sources.jar
    [ -f "$SOURCES_JAR" ] || mvn -B -q dependency:get -Dartifact=ai.djl.pytorch:pytorch-engine:$DJL_VERSION:jar:sources >&2 \
      || die "cannot fetch the pytorch-engine sources jar from Maven Central"
  fi
  mkdir -p "$WORK/engine-src" "$WORK/classes"
  (cd "$WORK/engine-src" && "$(dirname "$JAVAC")/jar" xf "$SOURCES_JAR" ai/djl/pytorch/jni/PyTorchLibrary.java)
  # PyTorchLibrary imports only JDK classes: javac -h on it alone yields the header that DJL's build.sh makes
  "$JAVAC" -h "$WORK/include" -d "$WORK/classes" -sourcepath "$WORK/engine-src" \
      "$WORK/engine-src/ai/djl/pytorch/jni/PyTorchLibrary.java"
  HEADER_DIR=$WORK/include
fi
[ -f "$HEADER_DIR/ai_djl_pytorch_jni_PyTorchLibrary.h" ] || die "no ai_djl_pytorch_jni_PyTorchLibrary.h in $HEADER_DIR"
if [ -z "$JNI_INC" ]; then
  for d in "${JAVA_HOME:-/nonexistent}/include" "$(dirname "$(find_javac)" 2>/dev/null)/../include" /usr/lib/jvm/*/include; do
    [ -f "$d/jni.h" ] && { JNI_INC=$d; break; }
  done
fi
[ -n "$JNI_INC" ] && [ -f "$JNI_INC/jni.h" ] || die "no jni.h: give --jni-include"
JNI_MD=$JNI_INC/linux; [ -f "$JNI_MD/jni_md.h" ] || JNI_MD=$JNI_INC

if [ -n "$HEADERS_ONLY" ]; then
  mkdir -p "$HEADERS_ONLY/linux"
  cp "$HEADER_DIR/ai_djl_pytorch_jni_PyTorchLibrary.h" "$JNI_INC/jni.h" "$HEADERS_ONLY/"
  cp "$JNI_MD/jni_md.h" "$HEADERS_ONLY/linux/"
  say "JNI headers written to $HEADERS_ONLY"
  exit 0
fi

# --- which libtorch ---------------------------------------------------------------------------------------------
PY_TORCH=
if [ -z "$TORCH$INC" ]; then
  TORCH=$(python3 -c 'import torch, os; print(os.path.dirname(torch.__file__))' 2>/dev/null) \
      || die "no --torch/--include given and python3 has no torch"
  PY_TORCH=1
fi
if [ -n "$TORCH" ]; then
  INC=${INC:-$TORCH/include}; LIB=${LIB:-$TORCH/lib}
fi
[ -d "$INC/ATen" ] || die "no ATen headers under $INC"
[ -f "$LIB/libtorch_cpu.so" ] || die "no libtorch_cpu.so in $LIB"
if [ -n "$PY_TORCH" ]; then
  read -r PV PCUDA PABI < <(python3 -c 'import torch; print(torch.__version__, torch.version.cuda, int(torch._C._GLIBCXX_USE_CXX11_ABI))')
  VERSION=${VERSION:-${PV%%+*}}; ABI=${ABI:-$PABI}
  [ "$PCUDA" != None ] && [ -f "$LIB/libtorch_cuda.so" ] && FLAVOR=${FLAVOR:-cu${PCUDA//./}}
fi
if [ -z "$VERSION" ]; then
  # 2.14 moved the numbers to headeronly/version.h; older releases keep them in the C++ API's version.h
  vh=$(grep -l 'define TORCH_VERSION_MAJOR' "$INC"/torch/headeronly/version.h "$INC"/torch/csrc/api/include/torch/version.h 2>/dev/null | head -1 || true)
  [ -n "$vh" ] && VERSION=$(awk '/define TORCH_VERSION_(MAJOR|MINOR|PATCH)/{v=v (v?".":"") $3} END{print v}' "$vh")
fi
[[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "cannot tell the torch version (got '$VERSION'): give --version X.Y.Z"
if [ -z "$ABI" ]; then
  # the new ABI mangles std::string as std::__cxx11::basic_string ("B5cxx11"); libc10 exports many such symbols
  ABI=$(nm -D --defined-only "$LIB/libc10.so" 2>/dev/null | grep -c B5cxx11 || true)
  [ "$ABI" -gt 0 ] && ABI=1 || ABI=0
fi
CUDA_LIBS=()
if [ -f "$LIB/libtorch_cuda.so" ]; then
  CUDA_LIBS=(-ltorch_cuda -lc10_cuda)
  FLAVOR=${FLAVOR:-cu}
fi
FLAVOR=${FLAVOR:-cpu}
[ -n "${CUDA_LIBS[*]}" ] && [[ "$FLAVOR" != *cu* ]] && die "libtorch_cuda.so is there but flavor '$FLAVOR' lacks 'cu': DJL would skip the CUDA libraries"
IFS=. read -r MAJ MIN _ <<<"$VERSION"
# ATen refuses C++17 from 2.14 on; older releases are built and tested as C++17
if [ "$MAJ" -gt 2 ] || { [ "$MAJ" -eq 2 ] && [ "$MIN" -ge 14 ]; }; then STD=c++20; else STD=c++17; fi
CXX=${CXX:-g++}
command -v "$CXX" >/dev/null || die "no $CXX"
say "libtorch $VERSION ($FLAVOR, _GLIBCXX_USE_CXX11_ABI=$ABI): headers $INC, libraries $LIB; -std=$STD; $($CXX --version | head -1)"

# --- compile, link, check ---------------------------------------------------------------------------------------
[ -f "$DJL_SRC" ] || die "DJL JNI sources not found at $DJL_SRC (--djl-src or DJL_NATIVE_SRC)"
tar -xJf "$DJL_SRC" -C "$WORK/src" 2>/dev/null \
  || python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$DJL_SRC" "$WORK/src" \
  || die "cannot unpack $DJL_SRC"
NATIVE=$WORK/src/engines/pytorch/pytorch-native/src/main/native
UTILS=$WORK/src/api/src/main/native
[ -f "$UTILS/djl/utils.h" ] || die "$DJL_SRC lacks api/src/main/native/djl/utils.h"
CXXFLAGS=(-std=$STD -O2 -fPIC -D_GLIBCXX_USE_CXX11_ABI=$ABI -w
          -I"$NATIVE" -I"$UTILS" -I"$INC" -I"$INC/torch/csrc/api/include" -I"$HEADER_DIR" -I"$JNI_INC" -I"$JNI_MD")
# a --work folder kept between runs keeps its objects while compiler, flags and headers are the same
STAMP="$($CXX --version | head -1) ${CXXFLAGS[*]} $(ls -l --time-style=+%s "$INC/ATen/ATen.h" | cut -d' ' -f5-6)"
[ "$(cat "$WORK/obj/.stamp" 2>/dev/null)" = "$STAMP" ] || rm -f "$WORK"/obj/*.o
printf '%s' "$STAMP" > "$WORK/obj/.stamp"
say "compiling $(ls "$NATIVE"/*.cc | wc -l) sources with $JOBS jobs ($(ls "$WORK"/obj/*.o 2>/dev/null | wc -l) objects kept)"
export CXX WORK
printf '%s\0' "$NATIVE"/*.cc | xargs -0 -P "$JOBS" -I{} sh -c \
  'f="$1"; shift; o="$WORK/obj/$(basename "$f" .cc).o"; [ -f "$o" ] && exit 0
   "$CXX" "$@" -c "$f" -o "$o.tmp" && mv "$o.tmp" "$o" || { echo "compile failed: $f" >&2; exit 255; }' \
  sh {} "${CXXFLAGS[@]}" || die "compilation"
"$CXX" -shared -o "$WORK/libdjl_torch.so" "$WORK"/obj/*.o -L"$LIB" -Wl,--no-as-needed -ltorch -ltorch_cpu -lc10 \
    "${CUDA_LIBS[@]}" -Wl,-rpath,'$ORIGIN' || die "link"
UNDEFINED=$(LD_LIBRARY_PATH="$LIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ldd -r "$WORK/libdjl_torch.so" 2>&1 \
    | grep -E 'undefined symbol|not found' || true)
if [ -n "$UNDEFINED" ]; then
  printf '%s\n' "$UNDEFINED" | head -20 >&2
  die "ldd -r: $(printf '%s\n' "$UNDEFINED" | wc -l) undefined symbols or missing libraries"
fi

# --- install where DJL looks --------------------------------------------------------------------------------------
DEST=$CACHE/pytorch/$VERSION-$FLAVOR-linux-x86_64
mkdir -p "$DEST"
install -m 0755 "$WORK/libdjl_torch.so" "$DEST/$DJL_VERSION-libdjl_torch.so"
# DJL System.loads every library under PYTORCH_LIBRARY_PATH: never a system folder, so a split layout gets a folder
# of links to the torch libraries alone
TORCH_LIB=$LIB
if [ -e "$LIB/libc.so.6" ] || [ "$(ls "$LIB" | wc -l)" -gt 200 ]; then
  TORCH_LIB=$DEST/libtorch
  mkdir -p "$TORCH_LIB"
  for l in "$LIB"/lib{torch,torch_cpu,torch_cuda,c10,c10_cuda,shm}.so; do [ -e "$l" ] && ln -sfn "$l" "$TORCH_LIB/"; done
fi
JAVA_EXTRA=
if [ -n "${CUDA_LIBS[*]}" ]; then
  # DJL counts GPUs through JNA's Native.load("cudart"); pip wheels ship only libcudart.so.NN
  CUDART=$(ls "$LIB"/libcudart.so* "$LIB"/../../nvidia/cuda_runtime/lib/libcudart.so* "$LIB"/../../nvidia/cu*/lib/libcudart.so* \
           /usr/local/cuda/lib64/libcudart.so* 2>/dev/null | head -1 || true)
  if [ -n "$CUDART" ]; then
    mkdir -p "$DEST/jna"; ln -sfn "$(readlink -f "$CUDART")" "$DEST/jna/libcudart.so"
    JAVA_EXTRA="-Djna.library.path=$DEST/jna"
  else
    say "WARNING: no libcudart.so* found: DJL may count 0 GPUs"
  fi
fi
NV_LIBS=$(ls -d "$LIB"/../../nvidia/*/lib 2>/dev/null | xargs -r -n1 readlink -f | paste -sd: - || true)
{
  echo "export PYTORCH_LIBRARY_PATH=$TORCH_LIB"
  echo "export PYTORCH_VERSION=$VERSION"
  echo "export PYTORCH_FLAVOR=$FLAVOR"
  echo "export DJL_CACHE_DIR=$CACHE"
  [ -n "$NV_LIBS" ] && echo "export LD_LIBRARY_PATH=$NV_LIBS\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
  echo "export DJL_JNI_JAVA_OPTS='-Dai.djl.offline=true${JAVA_EXTRA:+ $JAVA_EXTRA}'"
} > "$WORK/djl.env"
[ -n "$ENV_OUT" ] && cp "$WORK/djl.env" "$ENV_OUT"
say "installed $DEST/$DJL_VERSION-libdjl_torch.so in $(( $(date +%s) - T0 )) s; environment for the JVM:"
cat "$WORK/djl.env"

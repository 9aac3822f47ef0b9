#!/usr/bin/env bash
# The device tool carries the tracked working tree and the kit together, 64 MiB at most; the tracked models alone are
# about 95 MiB. The device run needs none of them (the kit holds its own model copy), so for the device call:
#   deploy/gpu/slim-tree.sh out    deletes the tracked files under models/ from the working tree (refuses when any of
#                                  them has uncommitted changes: every deleted byte must be in git)
#   deploy/gpu/slim-tree.sh back   restores them from git (git checkout -- models)
#   deploy/gpu/slim-tree.sh size   what would travel: tracked files present + untracked, not ignored + the kit
# Run `back` after the call, also after a failed one; a new checkout of the commit restores them as well.
set -euo pipefail
REPO=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
cd "$REPO"
KIT=${GPU_KIT:-.gpu-kit}
mib() { echo $(( ($1 + 1048575) / 1048576 )); }
case "${1:-}" in
  out)
    if ! git diff --quiet -- models || ! git diff --cached --quiet -- models; then
      echo "slim-tree: models/ has uncommitted changes; commit them first (out deletes what git can restore)" >&2; exit 1
    fi
    git ls-files -z models | xargs -0 rm -f
    echo "slim-tree: tracked models removed from the working tree; restore with: deploy/gpu/slim-tree.sh back" ;;
  back)
    git checkout -- models
    echo "slim-tree: models restored from git" ;;
  size)
    # du skips the tracked files that out removed (and says so on stderr, which is dropped)
    tree=$( { { git ls-files -z; git ls-files -z --others --exclude-standard; } | xargs -0 du -cb 2>/dev/null || true; } | awk '/\ttotal$/ {t += $1} END {print t + 0}')
    kit=$(du -sb "$KIT" 2>/dev/null | cut -f1 || echo 0)
    echo "tree $(mib "$tree") MiB + kit ($KIT) $(mib "${kit:-0}") MiB = $(mib $((tree + ${kit:-0}))) MiB of 64 MiB" ;;
  *) echo "usage: deploy/gpu/slim-tree.sh out|back|size" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# The main job: install what is missing, build gctune (release), and run the
# quick sweep (all three collectors on trees, dlist and cache over a small
# threshold grid, about a minute on 2 cores) into out/<timestamp>/.
# Extra arguments go to `gctune sweep` (e.g. --preset default).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

if [ -f build-release/build.ninja ]; then
  meson setup --reconfigure build-release --buildtype=release >/dev/null
else
  meson setup build-release --buildtype=release >/dev/null
fi
ninja -C build-release >/dev/null

# One run per core, at most two: each run is pinned to a core of its own.
cores=$(build-release/harness/gctune info --json | python3 -c \
  'import json,sys; print(json.load(sys.stdin)["machine"]["allowed_cores"])')
jobs=$(( cores < 2 ? cores : 2 ))

exec build-release/harness/gctune sweep --preset quick -j "$jobs" "$@"

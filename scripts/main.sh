#!/usr/bin/env bash
# The main job: install what is missing, build gctune (release), and run the
# quick sweep (all three collectors on trees, dlist and cache over a small
# threshold grid, every repetition a process of its own, in interleaved
# rounds, with an A/A control per workload; under a minute on 2 cores)
# into out/<timestamp>/.  Extra arguments go to `gctune sweep` (e.g.
# --preset default).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

if [ -f build-release/build.ninja ]; then
  meson setup --reconfigure build-release --buildtype=release >/dev/null
else
  meson setup build-release --buildtype=release >/dev/null
fi
ninja -C build-release >/dev/null

# One process at a time (gctune's default): on a small machine two timed runs
# side by side disturb each other more than they save.
exec build-release/harness/gctune sweep --preset quick "$@"

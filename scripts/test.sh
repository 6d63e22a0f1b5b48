#!/usr/bin/env bash
# Install what is missing, build a release build (gcc) and an
# AddressSanitizer + UndefinedBehaviorSanitizer build (clang), run the whole
# test suite in both, and end with one line: "N passed, N failed".
#
# Test cases are counted from Criterion's per-program synthesis lines; a
# program that died without one counts as one failure.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh || exit 2

passed=0
failed=0

run_build() { # name, setup args...
  local dir=$1; shift
  echo "=== build $dir ($*)"
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log"; failed=$((failed + 1)); return; }
  fi
  if ! ninja -C "$dir" >"$dir.ninja.log" 2>&1; then
    tail -50 "$dir.ninja.log"
    failed=$((failed + 1))
    return
  fi
  echo "=== test $dir"
  meson test -C "$dir" --print-errorlogs --num-processes 1 >"$dir.test.log" 2>&1
  local log="$dir/meson-logs/testlog.txt"
  grep -E '^ *[0-9]+/[0-9]+ ' "$dir.test.log" || true
  # Per-program counts: "[====] Synthesis: Tested: T | Passing: P | Failing: F | Crashing: C"
  local p f programs synth
  p=$(grep -ho 'Synthesis: Tested: [0-9]* | Passing: [0-9]*' "$log" | awk '{s += $NF} END {print s + 0}')
  f=$(grep -ho 'Failing: [0-9]* | Crashing: [0-9]*' "$log" | awk '{s += $2 + $5} END {print s + 0}')
  programs=$(grep -cE '^ *[0-9]+/[0-9]+ ' "$dir.test.log" || true)
  synth=$(grep -c 'Synthesis: Tested:' "$log" || true)
  if [ "$synth" -lt "$programs" ]; then
    echo "  $((programs - synth)) test program(s) ended without a result line"
    f=$((f + programs - synth))
  fi
  echo "  $dir: $p passed, $f failed"
  passed=$((passed + p))
  failed=$((failed + f))
}

run_build build-release --buildtype=release
CC=clang run_build build-asan --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# Install what is missing, build a release build (gcc) and an
# AddressSanitizer + UndefinedBehaviorSanitizer build (clang), run the whole
# test suite in both, and end with one line: "N passed, N failed".
#
# Test cases are counted by scripts/count-tests.py from meson's logs.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh || exit 2

failed=0   # builds that did not even compile count as failures

run_build() { # name, setup args...
  local dir=$1; shift
  echo "=== build $dir ($*)"
  local reconf=()
  [ -f "$dir/build.ninja" ] && reconf=(--reconfigure)
  meson setup "${reconf[@]}" "$dir" "$@" >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log"; failed=$((failed + 1)); return; }
  if ! ninja -C "$dir" >"$dir.ninja.log" 2>&1; then
    tail -50 "$dir.ninja.log"
    failed=$((failed + 1))
    return
  fi
  echo "=== test $dir"
  meson test -C "$dir" --print-errorlogs --num-processes 1 >"$dir.test.log" 2>&1
  grep -E '^ *[0-9]+/[0-9]+ ' "$dir.test.log" || true
  logs+=("$dir/meson-logs/testlog.json")
}

logs=()
run_build build-release --buildtype=release
CC=clang run_build build-asan --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

# Test cases, counted from every build's meson log; the last line is the total.
summary=$(python3 scripts/count-tests.py "${logs[@]}")
echo "$summary" | sed '$d'
read -r passed _ case_failed _ <<<"$(echo "$summary" | tail -1)"
failed=$((failed + case_failed))
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# Install the Pyodide packages the trace oracle runs CPython 3.14 and 3.15
# with (real CPython compiled to WebAssembly, run by Node.js through
# tests/oracle/pyodide_run.mjs), exactly as package.json and package-lock.json
# beside this script pin them:
#
#     pyodide314 = pyodide@314.0.7          CPython 3.14.2 (incremental collector)
#     pyodide315 = pyodide@315.0.0-alpha.2  CPython 3.15.0rc1 (generational)
#
# into ${GCT_PYODIDE_DIR:-<repository>/.cache/pyodide} (git-ignored), where
# tests/oracle/trace_oracle.py looks for them.  Packages already there at
# those versions are left alone (no network).  About 30 MB, a few seconds.
#
# Exit status: 0 installed or already there; 1 not possible (no node or npm,
# or npm failed, e.g. offline), with a message saying so -- the
# trace-oracle-3.14 and trace-oracle-3.15 tests then skip and say why.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
dir=${GCT_PYODIDE_DIR:-$root/.cache/pyodide}

say() { echo "pyodide: $*"; }

for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    say "no $tool on PATH: not installed (Node.js and npm run and fetch the Pyodide packages); the CPython 3.14 and 3.15 trace oracles will skip"
    exit 1
  fi
done

# "alias version" per line, from package.json: pyodide314 314.0.7
wanted=$(node -e '
  const deps = require(process.argv[1]).dependencies;
  for (const [alias, spec] of Object.entries(deps))
    console.log(alias, spec.replace(/^npm:[^@]+@/, ""));
' "$here/package.json") || { say "cannot read $here/package.json"; exit 1; }

present() { # alias version: is that version installed?
  node -e '
    try { process.exit(require(process.argv[1]).version === process.argv[2] ? 0 : 1); }
    catch (e) { process.exit(1); }
  ' "$dir/node_modules/$1/package.json" "$2"
}

missing=0
while read -r alias version; do
  present "$alias" "$version" || missing=1
done <<<"$wanted"
if [ "$missing" -eq 0 ]; then
  say "already in $dir:" $(echo "$wanted" | sed 's/ /@/' | tr '\n' ' ')
  exit 0
fi

say "installing into $dir:" $(echo "$wanted" | sed 's/ /@/' | tr '\n' ' ')
mkdir -p "$dir" || exit 1
cp "$here/package.json" "$here/package-lock.json" "$dir/" || exit 1
if ! (cd "$dir" && npm ci --no-audit --no-fund --fetch-retries=1 --fetch-timeout=60000 >"$dir/npm.log" 2>&1); then
  say "npm ci failed (offline?), see $dir/npm.log; the CPython 3.14 and 3.15 trace oracles will skip:"
  tail -5 "$dir/npm.log" | sed 's/^/  /'
  exit 1
fi
while read -r alias version; do
  present "$alias" "$version" || { say "$alias is not $version after npm ci"; exit 1; }
done <<<"$wanted"
say "done"

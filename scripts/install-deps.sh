#!/usr/bin/env bash
# Install the Debian packages gctune needs, skipping those already present.
# Run as root on Debian 12 (the README says why each package is there).
# Then the Pyodide packages (CPython 3.14 and 3.15 as WebAssembly, for the
# trace oracles) with npm, if node and npm are there; they are not Debian
# packages and their absence only makes two tests skip, so that step never
# fails this script.
set -euo pipefail
cd "$(dirname "$0")/.."

pyodide() {
  bash tests/oracle/pyodide/install.sh || echo "install-deps: no Pyodide: trace-oracle-3.14 and -3.15 will skip"
}

packages=(
  gcc g++ clang pkg-config  # compilers: release build with gcc, sanitizer build with clang
  meson ninja-build         # the build system
  libcriterion-dev          # the C test framework (one process per test case)
  libbenchmark-dev          # Google Benchmark runs every configuration
  libjansson-dev            # JSON: reading Google Benchmark's output, writing meta.json
  libinih-dev               # sweep files (INI)
  libhwloc-dev              # the machine's topology (cores, caches, NUMA) and pinning runs to cores
  python3                   # oracle scripts that check the model against real CPython
  python3-dev               # the cpython backend embeds the real interpreter
  libgc-dev                 # Boehm GC: the anchor that marksweep is measured against
  gnuplot-nox               # plots (cairo terminals: SVG, PNG, PDF)
  valgrind                  # leak and invalid-access check of the test binaries
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  pyodide
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: must run as root to install packages (or install them yourself)" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
pyodide

"""checklib.py -- what the end-to-end check scripts share: collecting
failures, reading a CSV, running a command, finding a CPython 3.11."""
import csv
import os
import shutil
import subprocess

failures = []


def check(cond, what):
    """Record a failure (and print it) unless cond holds."""
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def rows(path):
    """The rows of a CSV file as dicts; [] if it is not there."""
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def run(args, timeout=900):
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout)


def python311():
    """A CPython 3.11 on PATH (python3.11, or python3 if it is one), or None."""
    for c in ("python3.11", "python3"):
        p = shutil.which(c)
        if p and run([p, "-c", "import sys; sys.exit(sys.version_info[:2] != (3, 11))"]
                     ).returncode == 0:
            return p
    return None


def finish(name):
    """Print the summary line; the exit status for it."""
    print("%s: %d failure%s" % (name, len(failures), "" if len(failures) == 1 else "s"))
    return 1 if failures else 0

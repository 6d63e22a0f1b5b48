#!/usr/bin/env python3
"""trace_oracle.py -- the hand-written heap traces (tests/traces/*.trace) on
the real CPython 3.11 collector and, with --gctune PATH, on gctune's gencycle
model (`gctune replay TRACE -c gencycle`): both must print the same JSON
(docs/traces.md).

    python3 tests/oracle/trace_oracle.py                  # CPython's JSON only
    python3 tests/oracle/trace_oracle.py --gctune build/gctune

Good traces (tests/traces/*.trace): each is converted by
scripts/trace-to-python.py into a stand-alone program, which the interpreter
running this script runs (the converter's docstring says how that program
keeps its own measurement out of the counts).  Without --gctune the
interpreter's JSON is printed; with it, gctune's JSON must be equal once both
are parsed, and a difference is shown as a unified diff of the two
json.dumps(indent=2) texts, with the trace's name.

Bad traces (tests/traces/bad/*.trace): the first comment line that reads
`# expect: TEXT` gives a substring of the error; the error is on the trace's
last line that is neither blank nor only a comment (line 1 for a bad header).
The converter (and, with --gctune, `gctune replay`) must exit 2, print
`FILE:LINE:` (FILE as it was given on the command line) and TEXT on stderr,
and the converter must write no -o file.

Exit status: 0 all good, 1 a difference or a failure, 2 bad usage, 77
(meson's "skipped") when the interpreter is not CPython 3.11, the collector
gencycle models.
"""
import difflib
import glob
import json
import os
import subprocess
import sys
import tempfile

if sys.implementation.name != "cpython" or sys.version_info[:2] != (3, 11):
    print("trace_oracle.py: the oracle is CPython 3.11, this is %s %s: skipped"
          % (sys.implementation.name, sys.version.split()[0]))
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CONVERTER = os.path.join(ROOT, "scripts", "trace-to-python.py")
TRACES = os.path.join(ROOT, "tests", "traces")
TIMEOUT = 120


def run(cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return None, "", "timed out after %d s" % TIMEOUT
    except OSError as e:
        return None, "", str(e)
    return p.returncode, p.stdout, p.stderr


def dumps(obj):
    return json.dumps(obj, indent=2) + "\n"


def cpython_json(trace, tmp):
    """Convert and run one trace; returns (parsed JSON, None) or (None, why)."""
    prog = os.path.join(tmp, os.path.basename(trace)[:-len(".trace")] + ".py")
    rc, _, err = run([sys.executable, CONVERTER, trace, "-o", prog])
    if rc != 0:
        return None, "the converter failed (exit %s): %s" % (rc, err.strip())
    rc, out, err = run([sys.executable, prog])
    if rc != 0:
        return None, "the program failed (exit %s): %s" % (rc, err.strip())
    try:
        obj = json.loads(out)
    except ValueError as e:
        return None, "the program's output is not JSON (%s)" % e
    if out != dumps(obj):
        return None, "the program's output is not json.dumps(indent=2)"
    return obj, None


def gctune_json(gctune, trace):
    rc, out, err = run([gctune, "replay", trace, "-c", "gencycle"])
    if rc != 0:
        return None, None, "gctune replay failed (exit %s): %s" % (rc, err.strip())
    try:
        return json.loads(out), out, None
    except ValueError as e:
        return None, None, "gctune replay's output is not JSON (%s)" % e


def expectation(trace):
    """(substring, line) of a bad trace's expected error."""
    want = None
    last = 0
    with open(trace, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            s = line.strip()
            if want is None and s.startswith("#") and s[1:].strip().startswith("expect:"):
                want = s[1:].strip()[len("expect:"):].strip()
            if s and not s.startswith("#"):
                last = n
    return want, last


def check_refusal(who, rc, err, trace, line, want):
    problems = []
    if rc != 2:
        problems.append("%s exited %s, not 2" % (who, rc))
    where = "%s:%d:" % (trace, line)
    if where not in err:
        problems.append("%s: stderr lacks %r" % (who, where))
    if want not in err:
        problems.append("%s: stderr lacks %r" % (who, want))
    if problems:
        problems.append("%s's stderr: %s" % (who, err.strip() or "(empty)"))
    return problems


def main():
    args = sys.argv[1:]
    gctune = None
    if args[:1] == ["--gctune"] and len(args) == 2:
        gctune = args[1]
    elif args:
        print("usage: trace_oracle.py [--gctune PATH]", file=sys.stderr)
        return 2
    good = sorted(glob.glob(os.path.join(TRACES, "*.trace")))
    bad = sorted(glob.glob(os.path.join(TRACES, "bad", "*.trace")))
    print("CPython %s (%s): %d traces, %d bad traces%s"
          % (sys.version.split()[0], sys.executable, len(good), len(bad),
             ", against %s replay -c gencycle" % gctune if gctune else ""))
    failures = 0
    with tempfile.TemporaryDirectory(prefix="trace-oracle.") as tmp:
        for trace in good:
            name = os.path.relpath(trace, ROOT)
            real, why = cpython_json(trace, tmp)
            if why:
                failures += 1
                print("FAIL %s: %s" % (name, why))
                continue
            if not gctune:
                print("== %s (CPython)" % name)
                sys.stdout.write(dumps(real))
                continue
            model, text, why = gctune_json(gctune, trace)
            if why:
                failures += 1
                print("FAIL %s: %s" % (name, why))
                continue
            if model != real:
                failures += 1
                print("DIFFERENCE %s: CPython and gencycle disagree" % name)
                sys.stdout.writelines(difflib.unified_diff(
                    dumps(real).splitlines(True), dumps(model).splitlines(True),
                    "%s (CPython %s)" % (name, sys.version.split()[0]),
                    "%s (gctune replay -c gencycle)" % name))
                continue
            note = "" if text == dumps(model) else " (note: not json.dumps(indent=2)'s text)"
            print("ok   %s: %d collections, count %s%s"
                  % (name, len(real["collections"]), real["count"], note))
        for trace in bad:
            name = os.path.relpath(trace, ROOT)
            want, line = expectation(trace)
            if not want:
                failures += 1
                print("FAIL %s: no '# expect:' comment line" % name)
                continue
            out = os.path.join(tmp, "bad.py")
            rc, _, err = run([sys.executable, CONVERTER, trace, "-o", out])
            problems = check_refusal("the converter", rc, err, trace, line, want)
            if os.path.exists(out):
                problems.append("the converter wrote %s" % out)
                os.unlink(out)
            if gctune:
                rc, _, err = run([gctune, "replay", trace, "-c", "gencycle"])
                problems += check_refusal("gctune replay", rc, err, trace, line, want)
            if problems:
                failures += 1
                print("FAIL %s (expected line %d, %r):" % (name, line, want))
                for p in problems:
                    print("  " + p)
            else:
                print("ok   %s: refused at line %d: %s" % (name, line, want))
    total = len(good) + len(bad)
    print("%d of %d traces as expected" % (total - failures, total))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

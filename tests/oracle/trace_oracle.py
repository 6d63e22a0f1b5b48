#!/usr/bin/env python3
"""trace_oracle.py -- the hand-written heap traces (tests/traces/*.trace) on
a real CPython collector and, with --gctune PATH, on the gctune model of that
version (`gctune replay TRACE -c MODEL`): both must print the same JSON
(docs/traces.md).

    python3 tests/oracle/trace_oracle.py                  # CPython's JSON only
    python3 tests/oracle/trace_oracle.py --gctune build/gctune
    python3 tests/oracle/trace_oracle.py --gctune build/gctune --model gencycle312

--model picks the model (gencycle: CPython 3.11, gencycle312, gencycle313)
and with it the interpreter that must run the programs: the one running this
script if it is that version, else python3.X on PATH or the newest
$PYENV_ROOT/versions/3.X.*; none found is a skip (exit 77) that says so.
For gencycle312 the interpreter's micro release is passed on as the model's
`patch` knob (3.12.0-3.12.2 ran a scheduled collection after gc.disable()).

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
(meson's "skipped") when no interpreter of the model's version is found.
"""
import argparse
import difflib
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

MODELS = {"gencycle": "3.11", "gencycle312": "3.12", "gencycle313": "3.13"}
PYTHON = sys.executable  # the interpreter that runs the converted programs


def find_interpreter(version):
    """A CPython of `version` ("3.12"): (path, full version) or (None, why)."""
    def full(path):
        rc, out, _ = run([path, "-c", "import sys; print(sys.implementation.name, "
                                      "'.'.join(map(str, sys.version_info[:3])))"])
        if rc != 0:
            return None
        name, ver = out.split()
        return ver if name == "cpython" and ver.rsplit(".", 1)[0] == version else None
    candidates = [sys.executable, shutil.which("python" + version)]
    root = os.environ.get("PYENV_ROOT")
    if root:
        found = glob.glob(os.path.join(root, "versions", version + ".*", "bin", "python3"))
        found.sort(key=lambda p: [int(x) if x.isdigit() else 0
                                  for x in p.split(os.sep)[-3].split(".")], reverse=True)
        candidates += found
    for path in candidates:
        ver = path and full(path)
        if ver:
            return path, ver
    return None, ("no CPython %s: not the interpreter running this script, no python%s on "
                  "PATH, nothing under $PYENV_ROOT/versions/%s.*%s"
                  % (version, version, version, "" if root else " ($PYENV_ROOT is not set)"))

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
    rc, out, err = run([PYTHON, prog])
    if rc != 0:
        return None, "the program failed (exit %s): %s" % (rc, err.strip())
    try:
        obj = json.loads(out)
    except ValueError as e:
        return None, "the program's output is not JSON (%s)" % e
    if out != dumps(obj):
        return None, "the program's output is not json.dumps(indent=2)"
    return obj, None


def gctune_json(gctune, trace, model):
    rc, out, err = run([gctune, "replay", trace, "-c"] + model)
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
    global PYTHON
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gctune", help="compare with `gctune replay` of this binary")
    ap.add_argument("--model", default="gencycle", choices=sorted(MODELS))
    a = ap.parse_args()
    gctune = a.gctune
    PYTHON, ver = find_interpreter(MODELS[a.model])
    if not PYTHON:
        print("trace_oracle.py: %s models CPython %s: %s: skipped" % (a.model, MODELS[a.model], ver))
        return 77
    model = [a.model]
    if a.model == "gencycle312":
        model += ["-k", "patch=%s" % ver.split(".")[2]]
    good = sorted(glob.glob(os.path.join(TRACES, "*.trace")))
    bad = sorted(glob.glob(os.path.join(TRACES, "bad", "*.trace")))
    print("CPython %s (%s): %d traces, %d bad traces%s"
          % (ver, PYTHON, len(good), len(bad),
             ", against %s replay -c %s" % (gctune, " ".join(model)) if gctune else ""))
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
            got, text, why = gctune_json(gctune, trace, model)
            if why:
                failures += 1
                print("FAIL %s: %s" % (name, why))
                continue
            if got != real:
                failures += 1
                print("DIFFERENCE %s: CPython and %s disagree" % (name, a.model))
                sys.stdout.writelines(difflib.unified_diff(
                    dumps(real).splitlines(True), dumps(got).splitlines(True),
                    "%s (CPython %s)" % (name, ver),
                    "%s (gctune replay -c %s)" % (name, " ".join(model))))
                continue
            note = "" if text == dumps(got) else " (note: not json.dumps(indent=2)'s text)"
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
                rc, _, err = run([gctune, "replay", trace, "-c"] + model)
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

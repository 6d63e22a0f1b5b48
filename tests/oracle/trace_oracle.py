#!/usr/bin/env python3
"""trace_oracle.py -- the hand-written heap traces (tests/traces/*.trace) on
a real CPython collector and, with --gctune PATH, on the gctune model of that
version (`gctune replay TRACE -c MODEL`): both must print the same JSON
(docs/traces.md).

    python3 tests/oracle/trace_oracle.py                  # CPython's JSON only
    python3 tests/oracle/trace_oracle.py --gctune build/gctune
    python3 tests/oracle/trace_oracle.py --gctune build/gctune --model gencycle312
    python3 tests/oracle/trace_oracle.py --model gencycle314 --real-only --out DIR

--model picks the model and with it the interpreter that must run the
programs:

    gencycle     CPython 3.11
    gencycle312  CPython 3.12 (the micro release is passed on as `-k patch=N`:
                 3.12.0-3.12.2 ran a scheduled collection after gc.disable())
    gencycle313  CPython 3.13
    gencycle314  CPython 3.14.0-3.14.4, the incremental collector (the micro
                 release is passed on as `-k patch=N`: 3.14.1 moved counting
                 from allocation to tracking)
    gencycle315  CPython 3.15, or 3.14.5 and later (the generational
                 collector again)

The interpreter is the one running this script if it is that version, else
python3.X on PATH, else the newest $PYENV_ROOT/versions/3.X.*, else (3.14 and
3.15) a Pyodide package -- real CPython compiled to WebAssembly -- run by
Node.js through tests/oracle/pyodide_run.mjs: node_modules/pyodide314
(pyodide@314.0.7, CPython 3.14.2) or node_modules/pyodide315
(pyodide@315.0.0-alpha.2, CPython 3.15.0rc1) under $GCT_PYODIDE_DIR (default
.cache/pyodide in the repository; .ci/run installs them there), with `node`
on PATH.  None found is a skip (exit 77) whose message names every place
looked at and what was missing; a Node.js or Pyodide that is there but does
not run is a failure (exit 1).

Good traces (tests/traces/*.trace): each is converted by
scripts/trace-to-python.py into a stand-alone program, which the interpreter
runs (the converter's docstring says how that program keeps its own
measurement out of the counts).  Without --gctune, or with --real-only, the
interpreter's JSON is printed; with --gctune, gctune's JSON must be equal once
both are parsed, and a difference is shown as a unified diff of the two
json.dumps(indent=2) texts, with the trace's name.  --out DIR also writes each
trace's real JSON to DIR/NAME.json and the program's stderr to DIR/NAME.err.

--hygiene runs every good trace a second time as a program without the
gc.callbacks callback (the converter's --no-callback) and requires the same
count and stats: the callback that observes the collections must not change
them.

Bad traces (tests/traces/bad/*.trace): the first comment line that reads
`# expect: TEXT` gives a substring of the error; the error is on the trace's
last line that is neither blank nor only a comment (line 1 for a bad header).
The converter (and, with --gctune, `gctune replay`) must exit 2, print
`FILE:LINE:` (FILE as it was given on the command line) and TEXT on stderr,
and the converter must write no -o file.

A trace that gctune replay refuses because it does not know one of its
operations yet (NEWER_OPS: `tuple`, which the converter has first) is
reported as PENDING, with the count in the last line, and does not fail the
run: the converter and the real interpreter still run it (and --out keeps
its JSON); it is compared as soon as gctune knows the operation.

Exit status: 0 all good, 1 a difference or a failure, 2 bad usage, 77
(meson's "skipped") when no interpreter of the model's version is found.
"""
import argparse
import concurrent.futures
import difflib
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CONVERTER = os.path.join(ROOT, "scripts", "trace-to-python.py")
TRACES = os.path.join(ROOT, "tests", "traces")
RUNNER = os.path.join(HERE, "pyodide_run.mjs")
TIMEOUT = 120

# model -> (the releases it models, the versions looked for in that order,
# which releases fit)
MODELS = {
    "gencycle": ("3.11", ["3.11"], lambda v: v[:2] == (3, 11)),
    "gencycle312": ("3.12", ["3.12"], lambda v: v[:2] == (3, 12)),
    "gencycle313": ("3.13", ["3.13"], lambda v: v[:2] == (3, 13)),
    "gencycle314": ("3.14.0-3.14.4", ["3.14"], lambda v: v[:2] == (3, 14) and v[2] <= 4),
    "gencycle315": ("3.15 or 3.14.5+", ["3.15", "3.14"],
                    lambda v: v[:2] == (3, 15) or (v[:2] == (3, 14) and v[2] >= 5)),
}
# Which models take the interpreter's micro release as their `patch` knob.
PATCH_KNOB = ("gencycle312", "gencycle314")
# CPython 3.14's increment budget counts the whole heap (heap_size / 10 /
# threshold1), the interpreter's own objects included.  The converted program
# starts every trace with exactly HEAP0 tracked objects, all frozen (the
# converter's constant); gencycle314's heap_base is what CPython's heap_size
# counts of them: 3 fewer, measured on CPython 3.14.2 (Pyodide) with the
# increment-budget-*.trace pair, whose results step between heap_base 49996,
# 49997 and 49998, and unchanged when the interpreter holds 1,100 more
# objects of its own.
HEAP_SIZE_UNCOUNTED = 3
# The Pyodide packages: CPython version -> folder under node_modules (the npm
# alias); their exact versions are pyodide/package.json's, which
# pyodide/install.sh installs.
PYODIDE = {"3.14": "pyodide314", "3.15": "pyodide315"}
PYODIDE_PACKAGE = os.path.join(HERE, "pyodide", "package.json")
PYODIDE_INSTALL = os.path.relpath(os.path.join(HERE, "pyodide", "install.sh"), ROOT)


def pyodide_version(alias):
    """The npm version package.json pins for alias ("314.0.7")."""
    with open(PYODIDE_PACKAGE, encoding="utf-8") as f:
        spec = json.load(f)["dependencies"][alias]
    return spec.rsplit("@", 1)[1]


def converter_constant(name):
    """An integer constant of scripts/trace-to-python.py (`NAME = 123`)."""
    with open(CONVERTER, encoding="utf-8") as f:
        for line in f:
            if line.startswith(name + " = "):
                return int(line.split("=", 1)[1].split("#", 1)[0])
    raise SystemExit("trace_oracle.py: no %s in %s" % (name, CONVERTER))


def pyodide_dir():
    return os.environ.get("GCT_PYODIDE_DIR") or os.path.join(ROOT, ".cache", "pyodide")


def run(cmd, timeout=TIMEOUT):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return None, "", "timed out after %d s" % timeout
    except OSError as e:
        return None, "", str(e)
    return p.returncode, p.stdout, p.stderr


class Interpreter:
    """A command that runs a Python program file: [python] or [node, runner, package]."""

    def __init__(self, cmd, release, version, what):
        self.cmd = cmd
        self.release = release      # (3, 15, 0)
        self.version = version      # "3.15.0rc1"
        self.what = what            # for the header line

    def micro(self):
        return self.release[2]


PROBE = ("import sys; print(sys.implementation.name, "
         "'.'.join(map(str, sys.version_info[:3])), sys.version.split()[0])")


def probe(cmd, tmp):
    """(name, (major, minor, micro), "3.15.0rc1") of the interpreter cmd runs,
    or (None, why, None)."""
    path = os.path.join(tmp, "probe.py")
    with open(path, "w", encoding="utf-8") as f:
        f.write(PROBE + "\n")
    rc, out, err = run(cmd + [path])
    if rc != 0:
        return None, "exit %s: %s" % (rc, (err.strip() or "(no message)").splitlines()[-1]), None
    try:
        name, ver, full = out.split()
        return name, tuple(int(x) for x in ver.split(".")), full
    except ValueError:
        return None, "unexpected output %r" % out, None


def find_model_interpreter(model, tmp, pyodide=True):
    """(Interpreter, None) for the model, or (None, why): why starts with
    "broken: " when an interpreter is there but does not run.  pyodide=False:
    native interpreters only."""
    label, versions, fits = MODELS[model]
    looked = []
    root = os.environ.get("PYENV_ROOT")
    seen = set()

    def native(path):
        if not path or path in seen:
            return None
        seen.add(path)
        name, ver, full = probe([path], tmp)
        if name == "cpython" and fits(ver):
            return Interpreter([path], ver, full, path)
        return None

    found = native(sys.executable)
    for version in versions:
        if found:
            break
        onpath = shutil.which("python" + version)
        found = native(onpath)
        looked.append("python%s on PATH is not a release that fits" % version if onpath
                      else "no python%s on PATH" % version)
        if found:
            break
        if root:
            paths = glob.glob(os.path.join(root, "versions", version + ".*", "bin", "python3"))
            paths.sort(key=lambda p: [int(x) if x.isdigit() else 0
                                      for x in p.split(os.sep)[-3].split(".")], reverse=True)
            for p in paths:
                found = native(p)
                if found:
                    break
            looked.append("nothing under $PYENV_ROOT/versions/%s.*%s"
                          % (version, " that fits" if paths else ""))
        else:
            looked.append("no $PYENV_ROOT for %s.*" % version)
        # the Pyodide package of the model's own version only (pyodide314 is
        # 3.14.2, which gencycle315 does not model)
        if found or not pyodide or version != versions[0] or version not in PYODIDE:
            continue
        folder = PYODIDE[version]
        npmver = pyodide_version(folder)
        d = pyodide_dir()
        pkg = os.path.join(d, "node_modules", folder)
        node = shutil.which("node")
        if not os.path.exists(os.path.join(pkg, "pyodide.mjs")):
            looked.append("no pyodide@%s in %s (run %s, as .ci/run does, or: npm install "
                          "--prefix %s %s@npm:pyodide@%s)"
                          % (npmver, pkg, PYODIDE_INSTALL, d, folder, npmver))
            continue
        if not node:
            looked.append("pyodide@%s is in %s but there is no `node` on PATH (Node.js runs "
                          "the Pyodide packages)" % (npmver, pkg))
            continue
        cmd = [node, RUNNER, pkg]
        name, ver, full = probe(cmd, tmp)
        if name is None:
            return None, "broken: %s could not run a program: %s" % (" ".join(cmd), ver)
        try:
            with open(os.path.join(pkg, "package.json"), encoding="utf-8") as f:
                have = json.load(f).get("version")
        except (OSError, ValueError):
            have = None
        if name == "cpython" and fits(ver):
            found = Interpreter(cmd, ver, full, "Pyodide %s, pyodide@%s%s" % (
                pkg, have, "" if have == npmver else ", not the pinned %s" % npmver))
        else:
            looked.append("%s is %s %s, which %s does not model" % (pkg, name, full, model))
    if found:
        return found, None
    return None, "no CPython %s: not the interpreter running this script, %s" % (
        label, ", ".join(looked))


def dumps(obj):
    return json.dumps(obj, indent=2) + "\n"


def run_trace(interp, trace, tmp, extra=()):
    """Convert (with the converter's options `extra`) and run one trace on
    interp: (parsed JSON, stderr, None) or (None, stderr, why)."""
    base = os.path.basename(trace)[:-len(".trace")]
    prog = os.path.join(tmp, base + ("-nocb" if extra else "") + ".py")
    rc, _, err = run([sys.executable, CONVERTER, trace, "-o", prog] + list(extra))
    if rc != 0:
        return None, err, "the converter failed (exit %s): %s" % (rc, err.strip())
    rc, out, err = run(interp.cmd + [prog])
    if rc != 0:
        return None, err, "the program failed (exit %s): %s" % (rc, err.strip())
    try:
        obj = json.loads(out)
    except ValueError as e:
        return None, err, "the program's output is not JSON (%s)" % e
    if out != dumps(obj):
        return None, err, "the program's output is not json.dumps(indent=2)"
    return obj, err, None


# The trace operations this script's converter has and a gctune binary may
# not have yet; a trace that gctune replay refuses for one of them is
# reported as pending, not compared (see main()).
NEWER_OPS = ("tuple",)
PENDING = "pending"


def lacks_op(err):
    """The operation gctune replay's stderr says it does not know, if it is
    one of NEWER_OPS."""
    for op in NEWER_OPS:
        if "unknown operation '%s'" % op in err:
            return op
    return None


# ---- the helpers other scripts import -------------------------------------
# tests/check-trace-record.py uses the older forms (a native interpreter by
# version, PYTHON, a 2-tuple), scripts/validate-interpreters.py the newer
# ones (by model, Pyodide included, an Interpreter, a 3-tuple); both work.
PYTHON = sys.executable  # the interpreter the older cpython_json form runs


def find_interpreter(what, tmp=None):
    """find_interpreter(model, tmp): (Interpreter, None) or (None, why), as
    --model finds it (find_model_interpreter).
    find_interpreter("3.12"): a native CPython of that version, (path, full
    version "3.12.1") or (None, why)."""
    if tmp is not None:
        return find_model_interpreter(what, tmp)
    model = [m for m, (_, versions, _) in MODELS.items() if versions[0] == what]
    if not model:
        return None, "no model of CPython %s" % what
    with tempfile.TemporaryDirectory(prefix="trace-oracle.") as tmp:
        interp, why = find_model_interpreter(model[0], tmp, pyodide=False)
    if not interp:
        return None, why
    return interp.cmd[0], ".".join(map(str, interp.release))


def cpython_json(*args):
    """cpython_json(interp, trace, tmp): (parsed JSON, stderr, why), as run_trace.
    cpython_json(trace, tmp): (parsed JSON, why), the program run by PYTHON."""
    if len(args) == 2:
        trace, tmp = args
        obj, _, why = run_trace(Interpreter([PYTHON], (), "", PYTHON), trace, tmp)
        return obj, why
    return run_trace(*args)


def gctune_json(gctune, trace, model):
    rc, out, err = run([gctune, "replay", trace, "-c"] + model)
    if rc == 2 and lacks_op(err):
        return None, None, PENDING + ": gctune replay has no `%s` operation yet" % lacks_op(err)
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


def end_state(obj):
    return {"count": obj["count"], "stats": obj["stats"]}


def real_runs(interp, good, tmp, hygiene, jobs):
    """Every good trace on the interpreter, `jobs` at a time (a Pyodide start
    costs seconds): {trace: (json, stderr, why, hygiene problem or None)}."""
    def one(trace):
        real, err, why = run_trace(interp, trace, tmp)
        problem = None
        if hygiene and not why:
            bare, _, bwhy = run_trace(interp, trace, tmp, ["--no-callback"])
            if bwhy:
                problem = "without the callback: %s" % bwhy
            elif end_state(bare) != end_state(real):
                problem = ("the callback changes the end state: with it %s, without it %s"
                           % (json.dumps(end_state(real)), json.dumps(end_state(bare))))
        return real, err, why, problem
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        return dict(zip(good, pool.map(one, good)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gctune", help="compare with `gctune replay` of this binary")
    ap.add_argument("--model", default="gencycle", choices=sorted(MODELS))
    ap.add_argument("--real-only", action="store_true",
                    help="print the real interpreter's JSON only (no gctune, even with --gctune)")
    ap.add_argument("--out", metavar="DIR",
                    help="write each trace's real JSON to DIR/NAME.json, its stderr to DIR/NAME.err")
    ap.add_argument("--hygiene", action="store_true",
                    help="also run each trace without the callback: the same count and stats")
    ap.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1),
                    help="programs run at a time (default: min(4, CPUs))")
    a = ap.parse_args()
    gctune = None if a.real_only else a.gctune
    good = sorted(glob.glob(os.path.join(TRACES, "*.trace")))
    bad = sorted(glob.glob(os.path.join(TRACES, "bad", "*.trace")))
    failures = 0
    pending = 0
    with tempfile.TemporaryDirectory(prefix="trace-oracle.") as tmp:
        interp, why = find_model_interpreter(a.model, tmp)
        if not interp:
            if why.startswith("broken: "):
                print("trace_oracle.py: %s: %s" % (a.model, why[len("broken: "):]))
                return 1
            print("trace_oracle.py: %s: %s: skipped" % (a.model, why))
            return 77
        model = [a.model]
        if a.model in PATCH_KNOB:
            model += ["-k", "patch=%s" % interp.micro()]
        if a.model == "gencycle314":
            model += ["-k", "heap_base=%d" % (converter_constant("HEAP0") - HEAP_SIZE_UNCOUNTED)]
        print("CPython %s (%s): %d traces, %d bad traces%s"
              % (interp.version, interp.what, len(good), len(bad),
                 ", against %s replay -c %s" % (gctune, " ".join(model)) if gctune else ""))
        if a.out:
            os.makedirs(a.out, exist_ok=True)
        results = real_runs(interp, good, tmp, a.hygiene, max(1, a.jobs))
        for trace in good:
            name = os.path.relpath(trace, ROOT)
            real, err, why, problem = results[trace]
            if a.out:
                base = os.path.join(a.out, os.path.basename(trace)[:-len(".trace")])
                with open(base + ".err", "w", encoding="utf-8") as f:
                    f.write(err)
                if real is not None:
                    with open(base + ".json", "w", encoding="utf-8") as f:
                        f.write(dumps(real))
            if why:
                failures += 1
                print("FAIL %s: %s" % (name, why))
                continue
            if problem:
                failures += 1
                print("FAIL %s: %s" % (name, problem))
                if gctune:
                    continue
            if not gctune:
                print("== %s (CPython %s)" % (name, interp.version))
                sys.stdout.write(dumps(real))
                continue
            got, text, why = gctune_json(gctune, trace, model)
            if why and why.startswith(PENDING):
                pending += 1
                print("PENDING %s: %s: CPython's JSON not compared" % (name, why[len(PENDING) + 2:]))
                continue
            if why:
                failures += 1
                print("FAIL %s: %s" % (name, why))
                continue
            if got != real:
                failures += 1
                print("DIFFERENCE %s: CPython and %s disagree" % (name, a.model))
                sys.stdout.writelines(difflib.unified_diff(
                    dumps(real).splitlines(True), dumps(got).splitlines(True),
                    "%s (CPython %s)" % (name, interp.version),
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
                if rc == 2 and lacks_op(err) and not problems:
                    pending += 1
                    print("PENDING %s: gctune replay has no `%s` operation yet: the "
                          "converter refused it at line %d" % (name, lacks_op(err), line))
                    continue
                problems += check_refusal("gctune replay", rc, err, trace, line, want)
            if problems:
                failures += 1
                print("FAIL %s (expected line %d, %r):" % (name, line, want))
                for p in problems:
                    print("  " + p)
            else:
                print("ok   %s: refused at line %d: %s" % (name, line, want))
    total = len(good) + len(bad)
    print("%d of %d traces as expected%s" % (
        total - failures - pending, total,
        ", %d pending (gctune replay lacks an operation of them)" % pending if pending else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

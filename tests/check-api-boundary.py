#!/usr/bin/env python3
"""check-api-boundary.py SOURCE_ROOT BUILD_ROOT -- workloads see only the API.

Proves two things about the workloads' side of the collectors' API (issue 11):

 (a) every workloads/*.c includes, among the project's headers (the
     #include "..." lines), only "workload.h", which includes heap.h;
 (b) with the exact compiler command the build uses for a workload file
     (from BUILD_ROOT/compile_commands.json), a snippet that reaches past the
     API does not compile, each for the reason expected: the heap's backend
     fields (h->priv: struct gct_heap is incomplete), a backend's flag
     (GCT_OF_MARK), the backends' list node (gct_link) and the internal
     header itself (internal/backend.h stops with its #error).  A control
     snippet that uses the API the same way must compile without a warning,
     so that the failures cannot come from a broken command.

Exit 0 when all holds; 1 with a line per failure otherwise.
"""
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

CONTROL = r"""
#include "workload.h"
int64_t boundary_control(void);
int64_t boundary_control(void)
{
    static const gct_shape node = GCT_SHAPE("node", 2, 8);
    gct_heap *h = gct_heap_new("gencycle", NULL, 0, NULL, 0);
    if (!h)
        return -1;
    gct_obj *a = gct_new(h, &node);
    gct_obj *b = gct_new(h, &node);
    gct_store(h, a, 0, b);
    gct_root_pop(h);
    int64_t n = gct_heap_counts(h)[0] + gct_heap_stats(h)[0].collections +
                gct_heap_live_objects(h) + (a->flags & GCT_OF_WEAKREFD);
    gct_heap_destroy(h);
    return n;
}
"""

# name -> (body after #include "workload.h", what the compiler must say)
BAD = {
    "backend field h->priv": (
        "void *boundary_bad(gct_heap *h);\n"
        "void *boundary_bad(gct_heap *h) { return h->priv; }\n",
        r"incomplete"),
    "backend field h->ops": (
        "const void *boundary_bad(gct_heap *h);\n"
        "const void *boundary_bad(gct_heap *h) { return h->ops; }\n",
        r"incomplete"),
    "backend flag GCT_OF_MARK": (
        "int boundary_bad(gct_obj *o);\n"
        "int boundary_bad(gct_obj *o) { return o->flags & GCT_OF_MARK; }\n",
        r"undeclared"),
    "backend flag GCT_OF_COLLECTING": (
        "int boundary_bad(gct_obj *o);\n"
        "int boundary_bad(gct_obj *o) { return o->flags & GCT_OF_COLLECTING; }\n",
        r"undeclared"),
    "backend type gct_link": (
        "int boundary_bad(void);\n"
        "int boundary_bad(void) { gct_link l = {0, 0}; return l.next == 0; }\n",
        r"unknown type name|undeclared"),
    "internal header": (
        '#include "internal/backend.h"\n',
        r"is for collector backends"),
}


def includes_ok(src_root):
    problems = []
    wdir = os.path.join(src_root, "workloads")
    files = sorted(f for f in os.listdir(wdir) if f.endswith(".c"))
    if not files:
        problems.append("no workloads/*.c found")
    for f in files:
        with open(os.path.join(wdir, f), encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                m = re.match(r'\s*#\s*include\s*"([^"]+)"', line)
                if m and m.group(1) != "workload.h":
                    problems.append(f'workloads/{f}:{n}: includes "{m.group(1)}"; '
                                    f'a workload includes only "workload.h"')
    return problems


def workload_command(src_root, build_root):
    """The compiler command and directory the build uses for a workload."""
    with open(os.path.join(build_root, "compile_commands.json"), encoding="utf-8") as fh:
        entries = json.load(fh)
    want = os.path.realpath(os.path.join(src_root, "workloads", "trees.c"))
    for e in entries:
        path = e["file"]
        if not os.path.isabs(path):
            path = os.path.join(e["directory"], path)
        if os.path.realpath(path) == want:
            args = e["arguments"] if "arguments" in e else shlex.split(e["command"])
            return args, e["directory"], e["file"]
    sys.exit("check-api-boundary: workloads/trees.c is not in compile_commands.json")


def strip(args, source):
    """Drop the output, dependency and source arguments of a compile command."""
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
            continue
        if a in ("-o", "-MF", "-MQ", "-MT"):
            skip = True
            continue
        if a in ("-c", "-MD", "-MMD", source):
            continue
        out.append(a)
    return out


def compile_snippet(cmd, directory, text):
    with tempfile.NamedTemporaryFile("w", suffix=".c", delete=False) as fh:
        fh.write(text)
        name = fh.name
    try:
        p = subprocess.run(cmd + ["-fdiagnostics-color=never", "-fsyntax-only", name], cwd=directory,
                           capture_output=True, text=True)
        return p.returncode, p.stderr
    finally:
        os.unlink(name)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src_root, build_root = sys.argv[1], sys.argv[2]
    problems = includes_ok(src_root)

    args, directory, source = workload_command(src_root, build_root)
    cmd = strip(args, source)
    rc, err = compile_snippet(cmd, directory, CONTROL)
    if rc != 0 or "warning" in err:
        problems.append("the control snippet (the API, as a workload uses it) does not compile "
                        "cleanly with the workloads' command:\n" + err)
    else:
        print("ok: the control snippet compiles with the workloads' command")
    for name, (body, reason) in BAD.items():
        rc, err = compile_snippet(cmd, directory, '#include "workload.h"\n' + body)
        if rc == 0:
            problems.append(f"{name}: compiles for a workload, and must not")
        elif not re.search(reason, err):
            problems.append(f"{name}: fails, but not for the expected reason "
                            f"(/{reason}/):\n{err}")
        else:
            print(f"ok: {name}: refused ({reason})")

    for p in problems:
        print("FAIL:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Count test cases from meson's testlog.json files.

A Criterion program reports its own cases ("Synthesis: Tested: T | Passing: P
| Failing: F | Crashing: C"); any other test program counts as one case.  A
program that meson saw fail (crash, timeout, non-zero exit) without any
failing case of its own counts as one more failure, so nothing is lost.
Prints one line per build and returns the totals on the last line.
"""
import json
import re
import sys

SYNTH = re.compile(r"Synthesis: Tested: (\d+) \| Passing: (\d+) \| Failing: (\d+) \| Crashing: (\d+)")


def count(path):
    passed = failed = 0
    for line in open(path, encoding="utf-8"):
        t = json.loads(line)
        out = (t.get("stdout") or "") + (t.get("stderr") or "")
        m = SYNTH.findall(out)
        ok = t.get("result") in ("OK", "EXPECTEDFAIL")
        if m:
            _, p, f, c = map(int, m[-1])
            passed += p
            failed += f + c
            if not ok and f + c == 0:
                failed += 1
                print(f"  {t['name']}: {t.get('result')} without a failing case", file=sys.stderr)
        elif ok:
            passed += 1
        else:
            failed += 1
            print(f"  {t['name']}: {t.get('result')}", file=sys.stderr)
    return passed, failed


if __name__ == "__main__":
    total_p = total_f = 0
    for path in sys.argv[1:]:
        p, f = count(path)
        print(f"  {path}: {p} passed, {f} failed")
        total_p += p
        total_f += f
    print(f"{total_p} passed, {total_f} failed")

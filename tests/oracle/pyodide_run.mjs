#!/usr/bin/env node
// pyodide_run.mjs -- run a Python program file on a Pyodide package (real
// CPython compiled to WebAssembly) the way `python3 PROGRAM.py ARGS...` runs
// it natively:
//
//     node tests/oracle/pyodide_run.mjs PKGDIR PROGRAM.py [ARGS...]
//
// PKGDIR is an installed pyodide npm package (the folder holding
// pyodide.mjs, e.g. .cache/pyodide/node_modules/pyodide314).  The program
// runs as __main__ in a fresh module, with sys.argv = [PROGRAM.py, ARGS...]
// and __file__ set; its file is copied into Pyodide's in-memory file system at
// the same absolute path, so tracebacks name it as CPython would.
//
// Output: the bytes Python writes to its stdout and stderr reach this
// process's stdout and stderr unchanged.  Pyodide's default handlers (and its
// `batched` mode) deliver output line by line with the newline stripped and
// console.log adds one back, so `print(x, end="")` would gain a newline; the
// `write` handler used here receives the raw bytes of each flush instead.
//
// Exit status, as CPython's: 0 when the program ends; 1 after an uncaught
// exception, whose traceback (the program's frames only) goes to stderr
// through sys.excepthook; SystemExit's code as CPython maps it (None: 0, an
// int: itself, anything else: printed to stderr, 1).  This runner's own
// failures (usage, a package that does not load, a file that cannot be read)
// exit 2 with a message naming what failed.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

function die(msg) {
  fs.writeSync(2, `pyodide_run.mjs: ${msg}\n`);
  process.exit(2);
}

// Write all of buf to fd, synchronously (output order is the program's), also
// when the descriptor is a non-blocking pipe that is momentarily full.
const pause = new Int32Array(new SharedArrayBuffer(4));
function writeAll(fd, buf) {
  let off = 0;
  while (off < buf.length) {
    try {
      off += fs.writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      if (e.code !== "EAGAIN") throw e;
      Atomics.wait(pause, 0, 0, 5);
    }
  }
  return buf.length;
}

const [pkgdir, program, ...args] = process.argv.slice(2);
if (!pkgdir || !program) die("usage: node pyodide_run.mjs PKGDIR PROGRAM.py [ARGS...]");
const entry = path.resolve(pkgdir, "pyodide.mjs");
if (!fs.existsSync(entry)) die(`no pyodide package in ${pkgdir} (no ${entry})`);
const progPath = path.resolve(program);
let source;
try {
  source = fs.readFileSync(progPath);
} catch (e) {
  die(`cannot read ${program}: ${e.message}`);
}

let py;
try {
  const { loadPyodide } = await import(pathToFileURL(entry).href);
  py = await loadPyodide({ indexURL: path.dirname(entry) + path.sep });
} catch (e) {
  die(`loading ${entry} failed: ${e && e.stack ? e.stack : e}`);
}
py.setStdout({ write: (buf) => writeAll(1, buf), isatty: false });
py.setStderr({ write: (buf) => writeAll(2, buf), isatty: false });
py.FS.mkdirTree(path.dirname(progPath));
py.FS.writeFile(progPath, source);

// The program runs in a module of its own, installed as sys.modules["__main__"]
// (Pyodide's own __main__ is put back afterwards).  The function below is
// defined and called from Pyodide's runPython; its frames are below the
// program's, as the interpreter's own frames are below a native __main__.
const BOOT = `
def _pyodide_run(path, argv):
    import sys, types
    main = types.ModuleType("__main__")
    main.__file__ = path
    main.__builtins__ = __builtins__
    saved = sys.modules["__main__"]
    sys.modules["__main__"] = main
    sys.argv = list(argv)
    status = 0
    try:
        with open(path, "rb") as f:
            code = compile(f.read(), path, "exec", dont_inherit=True)
        exec(code, main.__dict__)
    except SystemExit as e:
        c = e.code
        if c is None:
            status = 0
        elif isinstance(c, int):
            status = c
        else:
            try:
                print(c, file=sys.stderr)
            except Exception:
                pass
            status = 1
    except BaseException:
        t, v, tb = sys.exc_info()
        # leave out this function's frame: the traceback starts at the program
        sys.excepthook(t, v, tb.tb_next if tb is not None else tb)
        status = 1
    finally:
        for s in (sys.stdout, sys.stderr):
            try:
                s.flush()
            except Exception:
                pass
        sys.modules["__main__"] = saved
    return status
`;
let status;
try {
  py.runPython(BOOT);
  const run = py.globals.get("_pyodide_run");
  status = run(progPath, py.toPy([program, ...args]));
} catch (e) {
  die(`running ${program} failed inside Pyodide: ${e && e.stack ? e.stack : e}`);
}
process.exitCode = typeof status === "number" ? status & 0xff : 1;

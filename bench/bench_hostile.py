"""Hostile-input benchmark: each input from issue 16 is refused within a time and memory
bound. Each runs in a fresh process, so its peak memory is its own.

Targets: every input refused (a located error, no traceback) in < 1 s and < 50 MB over
the process's memory before it was read.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LEVELS = "abcdefg"
ALIAS_BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{LEVELS[i - 1]}'] * 10 if i else ['x'] * 10)}]\n"
    for i, name in enumerate(LEVELS))

# name -> (what is done in the child, a YAML text or typed line)
INPUTS = {
    "alias bomb, 7 levels × 10 (342 bytes)": ("yaml", ALIAS_BOMB),
    "nesting 100,000 deep": ("yaml", "a: " + "[" * 100_000 + "]" * 100_000 + "\n"),
    "a 400-digit age in a replay file": ("yaml", "dialog: triage\nanswers:\n  age_years: 1"
                                         + "0" * 400 + "\n"),
    "a number then 30,000 spaces": ("number", "1 a" + " " * 30_000 + "b"),
    "22 kB of dose text as a treatment line": ("drugs", "prednisolone 2 mg/kg/day " * 880),
}

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from assistant.engine import yamlfile
from assistant.engine.errors import TriageError
from assistant.engine.library import load
kind, text, folder = sys.argv[1], sys.stdin.read(), Path(sys.argv[2])
library = load()
session = library.new_session()
if kind == "drugs":
    library.matcher.match("diltiazm")   # the index is built before the clock starts
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
outcome = "accepted"
try:
    if kind == "yaml":
        path = folder / "hostile.yaml"
        path.write_text(text)
        yamlfile.load(path)
    elif kind == "number":
        session.answer(text)
    else:
        library.matcher.match(text)
        outcome = "read"
except TriageError as exc:
    outcome = "refused: " + str(exc)[:70]
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "mb": (peak - before) / 1024, "outcome": outcome}))
"""


def main() -> int:
    import tempfile

    ok = True
    print(f"{'input':42} {'time':>9} {'memory':>9}  outcome")
    with tempfile.TemporaryDirectory() as folder:
        for name, (kind, text) in INPUTS.items():
            run = subprocess.run([sys.executable, "-c", CHILD, kind, folder], input=text,
                                 capture_output=True, text=True, cwd=ROOT, timeout=120)
            if run.returncode != 0:
                print(f"{name:42} CRASHED: {run.stderr.strip().splitlines()[-1]}")
                ok = False
                continue
            result = json.loads(run.stdout)
            fine = (result["seconds"] < 1 and result["mb"] < 50
                    and result["outcome"] != "accepted")
            ok &= fine
            print(f"{name:42} {result['seconds'] * 1000:>6.0f} ms {result['mb']:>6.1f} MB  "
                  f"{result['outcome']}  {'ok' if fine else 'MISSED'}")
    print("\ntarget: each refused (or, for the treatment line, read) in < 1 s and < 50 MB")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

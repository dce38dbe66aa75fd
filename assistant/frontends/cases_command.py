"""``triage cases``: each case's pass or fail, with the reason for every failed property."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from .text import dumps, literal


def run(root: Path | None, folders: list[Path], as_json: bool, out: TextIO) -> int:
    from ..engine.cases import run_cases
    from ..engine.library import load

    results = run_cases(load(root), folders)
    for r in results:
        if as_json:
            out.write(dumps({"case": r.id, "source": r.source, "passed": r.passed,
                             "checked": r.checked, "failures": list(r.failures)}, indent=None)
                      + "\n")
            continue
        out.write(f"{'pass' if r.passed else 'FAIL'}  {r.id}: {literal(r.title)}\n")
        for failure in r.failures:
            out.write(f"      - {literal(failure)}\n")
    failed = sum(not r.passed for r in results)
    if not as_json:
        out.write(f"\n{len(results) - failed} of {len(results)} cases pass"
                  f"{f'; {failed} fail' if failed else ''}\n")
    return 1 if failed else 0

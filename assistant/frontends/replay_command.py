"""``triage replay FILE...``: each file through the engine, one after the other.

A file that fails is reported with its file and line and the others still run; the exit
code is 1 when any failed. Warnings carry their file and line too.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from . import exports
from .text import dumps, literal, result_lines

if TYPE_CHECKING:
    from ..engine.replay import ReplayResult


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from ..engine.errors import TriageError
    from ..engine.library import load
    from ..engine.recommend import what_would_change
    from ..engine.replay import replay

    files: list[Path] = args.files
    if args.report is not None and len(files) > 1:
        stderr.write("--report writes one consult's report: give one FILE with it\n")
        return 2
    library = load(args.root)
    failed = 0
    results: list[dict[str, Any]] = []
    for i, file in enumerate(files):
        if len(files) > 1 and not args.json:
            stdout.write(("\n" if i else "") + f"== {literal(file)} ==\n")
        try:
            result = replay(file, strict=args.strict, library=library)
        except TriageError as exc:
            failed += 1
            stderr.write(literal(exc) + "\n")
            results.append({"file": str(file), "error": str(exc)})
            continue
        if args.report is not None and _report(args.report, file, result, stdin, stderr) != 0:
            return 1
        if args.json:
            data = result.to_json()
            data["what_would_change"] = what_would_change(result.session.facts,
                                                          result.library).to_json()
            results.append({"file": str(file), **data} if len(files) > 1 else data)
        else:
            _print(result, stdout)
        for warning in result.warnings:
            stderr.write(f"warning: {literal(warning)}\n")
    if args.json and len(files) > 1:
        stdout.write(dumps(results) + "\n")
    elif args.json and not failed:
        stdout.write(dumps(results[0]) + "\n")
    return 1 if failed else 0


def _report(typed: str, file: Path, result: ReplayResult, stdin: TextIO,
            stderr: TextIO) -> int:
    """Write the consult report: to the path typed, else a timestamped name in the data folder."""
    from datetime import datetime

    from ..engine.report import consult_report

    text = consult_report(result.recommendation(), result.session, result.library,
                          datetime.now().astimezone())
    path = Path(typed).expanduser() if typed else exports.default_path(file.stem, "report")
    return exports.save(path, text, stdin, stderr, stderr)


def _print(result: ReplayResult, stdout: TextIO) -> None:
    from ..engine.result_view import result_view

    for step, answer in result.session.steps():
        stdout.write(f"? {literal(step.prompt)}\n  {literal(answer.shown)}\n")
    view = result_view(result.recommendation(), result.library.vocabulary)
    stdout.write("\n".join(result_lines(view)) + "\n")

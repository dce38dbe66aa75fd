"""``triage study``: the app's study screens, the plain study session, scripted rounds,
progress, export, reset, and a teacher's cohort summary of exported progress files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from .text import dumps, literal
from .userdata import StudyProgress


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    if getattr(args, "study_command", None) == "cohort":
        return cohort(args.folder, stdout)
    progress = StudyProgress(trainee=args.trainee)
    if args.reset:
        progress.reset()
        stdout.write("Study progress deleted.\n")
        return 0
    from ..engine.library import load

    library = load(args.root)
    if args.script is not None:
        from ..engine.study import reveal_markdown, run_script

        result = run_script(args.script, library)
        if args.record:
            progress.record(result)
        stdout.write(dumps(result.to_json()) + "\n" if args.json
                     else literal(reveal_markdown(result, library)))
        return 0
    if args.export is not None:
        from ..engine.study import catalogue

        titles = {cid: c.case.title for cid, c in catalogue(library).items()}
        try:
            progress.export(args.export, titles)
        except OSError as exc:
            stdout.write(f"cannot write the export: {literal(exc)}\n")
            return 1
        stdout.write(f"Exported to {literal(args.export)}\n")
        return 0
    if args.progress:
        from ..engine.progress import calibration
        from ..engine.study import case_list

        data = progress.read()
        for row in case_list(library, data, progress.now()):
            done = (f"{row.attempts} attempt(s), best {row.best}, review {row.review}"
                    if row.attempts else "not attempted")
            stdout.write(f"{row.id}: {literal(row.title)}\n  {done}\n")
        stdout.write(f"Calibration: {calibration(data.rounds).summary()}\n")
        return 0
    if args.plain:
        from .study_plain import run as run_plain

        return run_plain(library, progress, stdin, stdout)
    from .app.app import run as run_app

    return run_app(args.root, study=True, classroom=args.classroom)


def cohort(folder: Path, stdout: TextIO) -> int:
    """Per case over every progress file (``*.json``) in ``folder``: attempts, trainees,
    mean score, the most-missed step and the calibration. A file that cannot be read is an
    error naming it (and its field); nothing is summarised then."""
    from ..engine.errors import LoadError, Problem
    from ..engine.progress import cohort as summarise
    from ..engine.progress import decode

    if not folder.is_dir():
        raise LoadError([Problem(str(folder), None, "", "not a folder of progress files")])
    files = sorted(folder.glob("*.json"))
    if not files:
        raise LoadError([Problem(str(folder), None, "", "no progress files (*.json) here: "
                                 "trainees export theirs with `triage study --export NAME.json`")])
    problems, progresses, names = [], [], []
    for path in files:
        try:
            progress = decode(path.read_bytes(), str(path))
        except LoadError as exc:
            problems += exc.problems
            continue
        except OSError as exc:
            problems.append(Problem(str(path), None, "", f"cannot be read: {exc}"))
            continue
        progresses.append(progress)
        names.append(progress.trainee or path.stem)
    if problems:
        raise LoadError(problems)
    summary = summarise(progresses, names)
    stdout.write(f"Cohort: {len(names)} trainee(s): {', '.join(literal(n) for n in names)}\n\n")
    stdout.write(f"{'case':<38} {'tries':>5} {'trainees':>8} {'mean':>5}  most-missed step\n")
    for c in summary.cases:
        missed = f"{literal(c.most_missed)} ({c.missed}×)" if c.most_missed else "none"
        stdout.write(f"{literal(c.case):<38} {c.attempts:>5} {c.trainees:>8} "
                     f"{c.mean_score:>5.0f}  {missed}\n")
        stdout.write(f"{'':<38} calibration: {c.calibration.summary()}\n")
    stdout.write(f"\nAll rounds, calibration: {summary.calibration.summary()}\n")
    for b in summary.calibration.bins:
        stdout.write(f"  said {b.confidence} %: {b.rounds} round(s), right {b.observed} %\n")
    return 0

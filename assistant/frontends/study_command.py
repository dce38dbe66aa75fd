"""``triage study``: the app's study screens, the plain study session, scripted rounds,
progress, export, reset, and a teacher's cohort summary of exported progress files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .text import dumps, literal

if TYPE_CHECKING:
    from ..engine.progress import Calibration
from .userdata import StudyProgress


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    if getattr(args, "study_command", None) == "cohort":
        return cohort(args.folder, stdout, args.root)
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


def cohort(folder: Path, stdout: TextIO, root: Path | None = None) -> int:
    """Per case over every progress file (``*.json``) in ``folder``: attempts, trainees,
    mean score, the most-missed step and the calibration, the hardest case (lowest mean)
    first, each under its name. A file that cannot be read is an error naming it (and its
    field); nothing is summarised then."""
    from ..engine.errors import LoadError, Problem
    from ..engine.progress import cohort as summarise
    from ..engine.progress import decode

    if not folder.is_dir():
        raise LoadError([Problem(str(folder), None, "", "not a folder of progress files")])
    files = sorted(folder.glob("*.json"))
    if not files:
        raise LoadError([Problem(str(folder), None, "", "no progress files (*.json) here: "
                                 "trainees export theirs with `triage study --export NAME.json`, "
                                 "and triage serve keeps them in trainees/ of its data folder")])
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
    from ..engine.library import load
    from ..engine.study import catalogue

    cases = catalogue(load(root))
    stdout.write(f"Cohort: {len(names)} trainee(s): {', '.join(literal(n) for n in names)}\n")
    stdout.write("Per case, the lowest mean score first.\n")
    for c in sorted(summary.cases, key=lambda c: (c.mean_score, c.case)):
        known = cases.get(c.case)
        stdout.write(f"\n{literal(known.case.name if known else c.case)}"
                     f"{'' if known else ' (not a case of this knowledge base)'}\n")
        missed = (f"most missed: {literal(c.most_missed)} ({c.missed} of {c.attempts})"
                  if c.most_missed else "no step missed")
        stdout.write(f"  {c.attempts} attempt(s) by {c.trainees} trainee(s) · mean score "
                     f"{c.mean_score:.0f}\n  {missed}\n")
        stdout.write(f"  calibration: {_calibration_line(c.calibration)}\n")
    import textwrap

    stdout.write("\n" + textwrap.fill(f"All rounds: {summary.calibration.summary()}", 80) + "\n")
    for b in summary.calibration.bins:
        stdout.write(f"  said {b.confidence} %: {b.rounds} round(s), right {b.observed} %\n")
    return 0


def _calibration_line(c: Calibration) -> str:
    """One case's calibration in a line that fits 80 columns."""
    if not c.rounds or c.mean_confidence is None or c.brier is None:
        return "no round with a stated confidence"
    return (f"said {c.mean_confidence:.0f} % on average, right {c.accuracy} % of "
            f"{c.rounds}, Brier {c.brier:.2f}")

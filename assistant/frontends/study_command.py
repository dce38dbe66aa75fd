"""``triage study``: the app's study screens, the plain study session, scripted rounds,
progress, export and reset."""

from __future__ import annotations

import argparse
from typing import TextIO

from .text import dumps, literal
from .userdata import StudyProgress


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    progress = StudyProgress()
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
            progress.record(result.case.id, result.to_json())
        stdout.write(dumps(result.to_json()) + "\n" if args.json
                     else literal(reveal_markdown(result, library)))
        return 0
    titles = {c.id: c.title for c in library.knowledge.cases.values()}
    if args.export is not None:
        try:
            progress.export(args.export, titles)
        except OSError as exc:
            stdout.write(f"cannot write the export: {literal(exc)}\n")
            return 1
        stdout.write(f"Exported to {literal(args.export)}\n")
        return 0
    if args.progress:
        data = progress.read()
        for case_id, title in sorted(titles.items()):
            entry = data.get(case_id)
            done = (f"{entry['attempts']} attempt(s), best {entry['best']}, last {entry['last']}"
                    if entry else "not attempted")
            stdout.write(f"{case_id}: {literal(title)}\n  {done}\n")
        return 0
    if args.plain:
        from .study_plain import run as run_plain

        return run_plain(library, progress, stdin, stdout)
    from .app.app import run as run_app

    return run_app(args.root, study=True)

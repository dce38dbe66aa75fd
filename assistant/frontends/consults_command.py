"""``triage consults``: list the saved consults, open one in the app, export one, delete one.

A consult is named by its number in the list or by its file name. Exports go to the data
folder under timestamped names unless a path is given; an existing file is replaced, and a
consult deleted, only after the user answers yes.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from . import exports
from .consults import History, Listed, now
from .text import literal


def add_parser(sub: argparse._SubParsersAction) -> None:
    consults = sub.add_parser("consults", help="the saved consults: list, open, export, delete",
                              description="The consults saved in the data folder, latest "
                                          "unfinished first. CONSULT is a number in the list "
                                          "or a file name.")
    actions = consults.add_subparsers(dest="action")
    actions.add_parser("list", help="list the saved consults (the default)")
    opening = actions.add_parser("open", help="carry on with a consult in the app")
    opening.add_argument("consult", metavar="CONSULT")
    export = actions.add_parser("export", help="save a consult's report or replay file")
    export.add_argument("consult", metavar="CONSULT")
    what = export.add_mutually_exclusive_group(required=True)
    what.add_argument("--report", nargs="?", const="", type=str, metavar="PATH",
                      help="the Markdown consult report (a complete consult only)")
    what.add_argument("--replay", nargs="?", const="", type=str, metavar="PATH",
                      help="the answers as a replay file")
    delete = actions.add_parser("delete", help="delete a consult (asks first)")
    delete.add_argument("consult", metavar="CONSULT")


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    history = History()
    listed = history.list()
    if args.action in (None, "list"):
        return _list(history, listed, stdout)
    try:
        chosen = history.find(args.consult, listed)
    except LookupError as exc:
        stderr.write(literal(exc) + "\n")
        return 1
    if args.action == "delete":
        return _delete(chosen, stdin, stdout)
    if chosen.answers is None:
        stderr.write(f"{literal(chosen.path)} cannot be read: {literal(chosen.problem)}\n")
        return 1
    if args.action == "open":
        from .app.app import run as run_app

        return run_app(args.root, consult=chosen.path)
    return _export(args, history, chosen, stdin, stdout, stderr)


def _list(history: History, listed: list[Listed], stdout: TextIO) -> int:
    if not listed:
        stdout.write(f"No saved consults in {literal(history.folder)}.\n")
        return 0
    stdout.write(f"Saved consults in {literal(history.folder)}:\n")
    for i, entry in enumerate(listed, 1):
        stdout.write(f"{i:3}. {literal(entry.name)}  {literal(entry.summary())}\n")
    return 0


def _delete(chosen: Listed, stdin: TextIO, stdout: TextIO) -> int:
    stdout.write(f"{literal(chosen.path)}\n  {literal(chosen.summary())}\n")
    if not exports.confirm("Delete this consult? It cannot be undone.", stdin, stdout):
        stdout.write("Not deleted.\n")
        return 1
    chosen.path.unlink(missing_ok=True)
    stdout.write("Deleted.\n")
    return 0


def _export(args: argparse.Namespace, history: History, chosen: Listed, stdin: TextIO,
            stdout: TextIO, stderr: TextIO) -> int:
    from ..engine.errors import TriageError
    from ..engine.library import load

    kind = "report" if args.report is not None else "replay"
    typed = args.report if kind == "report" else args.replay
    path = Path(typed).expanduser() if typed else exports.default_path(chosen.name, kind,
                                                                        history.data)
    if kind == "replay":
        import yaml

        data = {"dialog": chosen.dialog} if chosen.dialog else {}
        text = yaml.safe_dump({**data, "answers": dict(chosen.answers or {})},
                              sort_keys=False, allow_unicode=True)
    else:
        from ..engine.recommend import recommend
        from ..engine.replay import restore
        from ..engine.report import consult_report

        library = load(args.root)
        try:
            session = restore(dict(chosen.answers or {}), library)
        except TriageError as exc:
            stderr.write(f"{literal(chosen.path)} cannot be replayed: {literal(exc)}\n")
            return 1
        if not session.complete:
            stderr.write(f"{literal(chosen.name)} is not complete ({len(session.path)} answers): "
                         f"finish it first (triage consults open {literal(chosen.name)})\n")
            return 1
        text = consult_report(recommend(session.facts, library), session, library, now())
    return exports.save(path, text, stdin, stdout, stderr, history.data)

"""The ``triage`` command: argument parsing and exit codes; all decisions are the engine's."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..engine.errors import TriageError
from .consults_command import add_parser as add_consults
from .text import literal

if TYPE_CHECKING:
    from ..engine.check import Findings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="triage",
        description="Calcinosis triage for juvenile dermatomyositis. Decision support for "
                    "clinicians, not a prescription.")
    parser.add_argument("--plain", action="store_true",
                        help="line-by-line chat on stdin/stdout instead of the full-screen app")
    parser.add_argument("--root", type=Path, help="folder holding knowledge/ and dialogs/ "
                                                  "(default: the built-in base)")
    sub = parser.add_subparsers(dest="command")
    rep = sub.add_parser("replay", help="feed replay files through the engine")
    rep.add_argument("files", nargs="+", type=Path, metavar="FILE")
    rep.add_argument("--json", action="store_true", help="print facts, transcript and warnings as JSON")
    rep.add_argument("--strict", action="store_true", help="treat every warning as an error")
    rep.add_argument("--report", nargs="?", const="", type=str, metavar="PATH",
                     help="also write the Markdown consult report (one FILE only; default: a "
                          "timestamped name in the data folder)")
    add_consults(sub)
    sub.add_parser("check", help="validate the knowledge base and dialogs")
    kbdiff = sub.add_parser("kb-diff", help="replay every case under two knowledge bases and "
                                            "show what changed (exit 1 when something did)")
    kbdiff.add_argument("old", metavar="OLD",
                        help="a folder with knowledge/ and dialogs/, or a git revision")
    kbdiff.add_argument("new", nargs="?", metavar="NEW",
                        help="the same (default: --root, else this working tree)")
    kbdiff.add_argument("--json", action="store_true", help="one JSON object per change")
    cases = sub.add_parser("cases", help="run the clinical case corpus: each case's expected "
                                         "properties against the engine")
    cases.add_argument("folders", nargs="*", type=Path, metavar="FOLDER",
                       help="also run the constructed cases in these folders (tests/cases)")
    cases.add_argument("--json", action="store_true", help="one JSON object per case")
    study = sub.add_parser("study", help="trainee self-study on the published cases")
    study.add_argument("--plain", action="store_true", default=argparse.SUPPRESS,
                       help="a line-by-line study session instead of the app")
    study.add_argument("--script", type=Path, metavar="FILE",
                       help="grade a scripted study round (case, answers, commit) and print it")
    study.add_argument("--json", action="store_true", help="with --script: the round as JSON")
    study.add_argument("--record", action="store_true",
                       help="with --script: also record the round in your progress")
    study.add_argument("--progress", action="store_true", help="print your progress per case")
    study.add_argument("--export", type=Path, metavar="PATH",
                       help="export every round to PATH (.json for a teacher's cohort, .csv, "
                       "else a Markdown table)")
    study.add_argument("--reset", action="store_true", help="delete your study progress")
    study.add_argument("--trainee", metavar="NAME",
                       help="keep progress in NAME's own file (trainees/ in the data folder)")
    study.add_argument("--classroom", action="store_true",
                       help="the app asks each trainee's name first (what `triage serve` runs)")
    study_sub = study.add_subparsers(dest="study_command")
    cohort = study_sub.add_parser("cohort", help="a teacher's summary of trainees' exported "
                                                 "progress files (*.json) in FOLDER")
    cohort.add_argument("folder", type=Path, metavar="FOLDER")
    serve = sub.add_parser("serve", help="run the study app in web browsers (textual-serve); "
                                         "localhost only unless --lan is given")
    serve.add_argument("--port", type=int, default=8000, help="the port (default 8000)")
    serve.add_argument("--lan", metavar="ADDRESS",
                       help="listen on this machine's ADDRESS on the local network, for a "
                            "classroom (anyone on that network can then open it)")
    match = sub.add_parser("match", help="match free-text drug names")
    match.add_argument("text", nargs="?", help="text to match (default: each line of stdin)")
    match.add_argument("--json", action="store_true", help="one JSON array per line")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "replay":
            from .replay_command import run as run_replay

            return run_replay(args, sys.stdin, sys.stdout, sys.stderr)
        if args.command == "consults":
            from .consults_command import run as run_consults

            return run_consults(args, sys.stdin, sys.stdout, sys.stderr)
        if args.command == "check":
            from ..engine.check import check

            return _report_check(check(args.root))
        if args.command == "kb-diff":
            from .kbdiff_command import run as run_kbdiff

            return run_kbdiff(args.old, args.new, args.root, args.json, sys.stdout, sys.stderr)
        if args.command == "cases":
            from .cases_command import run as run_cases

            return run_cases(args.root, args.folders, args.json, sys.stdout)
        if args.command == "study":
            from .study_command import run as run_study

            return run_study(args, sys.stdin, sys.stdout)
        if args.command == "serve":
            from .serve import run as run_serve

            return run_serve(args.root, args.lan, args.port, sys.stderr)
        if args.command == "match":
            from ..engine.library import load
            from .match_command import run

            return run(args.text, args.json, sys.stdin, sys.stdout, load(args.root).matcher)
        if not args.plain:
            from .app.app import run as run_app

            return run_app(args.root)
        from ..engine.library import load
        from .plain import run as run_plain

        return run_plain(load(args.root), sys.stdin, sys.stdout)
    except TriageError as exc:
        print(literal(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into a reader that stopped early (e.g. head)
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep interpreter shutdown quiet
        return 141


def _report_check(findings: Findings) -> int:
    for warning in findings.warnings:
        print(f"warning: {literal(warning)}", file=sys.stderr)
    for problem in findings.problems:
        print(literal(problem), file=sys.stderr)
    if findings.problems:
        print(f"{len(findings.problems)} problem(s) found", file=sys.stderr)
        return 1
    print("knowledge and dialogs: no problems found"
          + (f" ({len(findings.warnings)} warning(s))" if findings.warnings else ""))
    return 0

"""``triage kb-diff OLD [NEW]``: every case replayed under two knowledge bases, and what
changed. OLD and NEW are folders holding ``knowledge/`` and ``dialogs/``, or git revisions of
this repository (extracted with ``git archive``); NEW defaults to the working tree. Exit
status as ``diff``: 0 no change, 1 changes, 2 trouble."""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import TextIO

from .text import dumps, literal

# the case folders replayed, relative to each root (and to the project checkout)
CASE_FOLDERS = ("knowledge/cases", "tests/cases", "tests/replays")


class SpecError(Exception):
    """OLD or NEW is neither a knowledge folder nor a revision of this repository."""


def run(old: str, new: str | None, root: Path | None, as_json: bool, out: TextIO,
        err: TextIO) -> int:
    from ..engine.errors import TriageError
    from ..engine.kbdiff import compare, corpus
    from ..engine.knowledge import default_root
    from ..engine.library import load

    project = default_root()
    with tempfile.TemporaryDirectory() as tmp:
        try:
            old_root = knowledge_root(old, project, Path(tmp) / "old")
            new_root = (knowledge_root(new, project, Path(tmp) / "new") if new
                        else root or project)
        except SpecError as exc:
            err.write(f"kb-diff: {literal(exc)}\n")
            return 2
        libraries = []
        for label, spec, where in (("OLD", old, old_root), ("NEW", new or "the working tree", new_root)):
            try:
                libraries.append(load(where))
            except TriageError as exc:
                err.write(f"kb-diff: {label} ({literal(spec)}) does not load with this engine "
                          f"(it needs the current knowledge format):\n{literal(exc)}\n")
                return 2
        old_library, new_library = libraries
        folders = [(root, root / f) for root in (new_root, old_root, project)
                   for f in CASE_FOLDERS]
        changes = compare(old_library, new_library, corpus(folders))
    for change in changes:
        if as_json:
            out.write(dumps(change.to_json(), indent=None) + "\n")
            continue
        out.write(literal(change.key()) + "\n")
        out.writelines(f"    because: {literal(b)}\n" for b in change.because)
    if not as_json:
        cases = len({c.case for c in changes})
        out.write(f"{len(changes)} change(s) in {cases} case(s)\n" if changes else
                  "no case changes\n")
    return 1 if changes else 0


def knowledge_root(spec: str, repository: Path, into: Path) -> Path:
    """A folder holding knowledge/ and dialogs/: ``spec`` itself, or the revision ``spec``
    of the repository extracted into ``into``."""
    path = Path(spec)
    if (path / "knowledge").is_dir() and (path / "dialogs").is_dir():
        return path
    try:
        commit = _git(repository, "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}")
        archive = _git(repository, "archive", "--format=tar", commit.decode().strip(),
                       "knowledge", "dialogs")
    except (OSError, subprocess.CalledProcessError):
        raise SpecError(f"'{spec}' is neither a folder with knowledge/ and dialogs/ nor a git "
                        f"revision of {repository}") from None
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def _git(repository: Path, *args: str) -> bytes:
    return subprocess.run(["git", "-C", str(repository), *args], capture_output=True,
                          check=True).stdout

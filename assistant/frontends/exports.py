"""Where an export goes, and when it may be written: shared by the app and the CLI.

Exports default to the data folder under timestamped names. A folder that does not exist is
never created for an export (the data folder itself excepted), and an existing file is
replaced only after the user confirms it (in the app a second Enter; on the command line
a "y" answer).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from .text import literal
from .userdata import atomic_write, data_dir

KINDS = {"report": ".md", "replay": ".yaml", "progress": ".csv"}


def default_path(stem: str, kind: str, folder: Path | None = None) -> Path:
    """``<data folder>/<stem>-<kind>-<now>.<ext>``: a name no earlier export has."""
    when = datetime.now().strftime("%Y%m%d-%H%M%S")
    return (folder or data_dir()) / f"{stem}-{kind}-{when}{KINDS[kind]}"


@dataclass(frozen=True)
class Check:
    """What stands between a typed path and writing it."""

    refusal: str | None = None    # it cannot be written as typed (and why)
    exists: bool = False          # it can, but replaces a file: confirm first


def check(path: Path, folder: Path | None = None) -> Check:
    """``folder``: the data folder (the one folder an export may create)."""
    data = folder or data_dir()
    if path.is_dir():
        return Check(f"{path} is a folder: add a file name")
    if not path.parent.is_dir() and path.parent != data:
        return Check(f"the folder {path.parent} does not exist, and an export does not create "
                     f"folders; save into the data folder ({data}) or an existing folder")
    return Check(exists=path.exists())


def write(path: Path, text: str, folder: Path | None = None) -> None:
    """Write an export that passed ``check`` (the data folder is created if need be)."""
    if path.parent == (folder or data_dir()):
        path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, text)


def save(path: Path, text: str, stdin: TextIO, stdout: TextIO, stderr: TextIO,
         folder: Path | None = None) -> int:
    """Write an export from the command line: refused into a missing folder, and over an
    existing file only when the user says yes."""
    checked = check(path, folder)
    if checked.refusal is not None:
        stderr.write(f"Not saved: {literal(checked.refusal)}.\n")
        return 1
    if checked.exists and not confirm(f"{literal(path)} already exists. Replace it?",
                                      stdin, stdout):
        stdout.write("Not saved.\n")
        return 1
    try:
        write(path, text, folder)
    except OSError as exc:
        stderr.write(f"Not saved: {literal(exc)}\n")
        return 1
    stdout.write(f"Saved {literal(path)}\n")
    return 0


def confirm(question: str, stdin: TextIO, stdout: TextIO) -> bool:
    """Ask on the terminal (or read the answer piped in); only 'y' or 'yes' says yes."""
    stdout.write(f"{question} [y/N] ")
    stdout.flush()
    answer = stdin.readline()
    if not stdin.isatty():
        stdout.write(answer if answer.endswith("\n") else answer + "\n")
    return answer.strip().lower() in ("y", "yes")

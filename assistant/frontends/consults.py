"""Consult history: every consult has its own file in ``consults/`` under the data folder.

A consult's file is named after the moment it started (``consult-20250131-140532.yaml``)
and rewritten atomically after every answer. It is a replay file with one more top-level
entry, ``consult``: when it started and was last saved, a short label (age, sex,
diagnosis), how many answers and whether it is complete. The file is claimed on the first
save, so a consult with no answer leaves none, and starting a new consult never touches
another's file.

The single ``consult.yaml`` of earlier versions is moved into the history unchanged.
A file that cannot be read is listed with the reason, never dropped; leftover ``.tmp``
files of writes that were killed are removed.
"""

from __future__ import annotations

import builtins
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .userdata import atomic_write, data_dir

if TYPE_CHECKING:
    from ..engine.session import Session

FOLDER = "consults"
LEGACY = "consult.yaml"     # the one autosave slot of earlier versions
STALE_TMP = 60.0            # seconds: an older temporary file is from a write that was killed
STAMP = "%Y%m%d-%H%M%S"


def now() -> datetime:
    return datetime.now().astimezone().replace(microsecond=0)


@dataclass(frozen=True)
class Listed:
    """One consult file as listed: its summary, or the reason it cannot be read."""

    path: Path
    updated: datetime
    label: str = ""
    answers: Mapping[str, Any] | None = None   # replay-format answers; None when unreadable
    dialog: str | None = None                  # the dialog they answer (None: the default)
    count: int = 0
    complete: bool | None = None               # None: not recorded (a file from before)
    started: datetime | None = None
    problem: str | None = None

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def readable(self) -> bool:
        return self.problem is None

    @property
    def unfinished(self) -> bool:
        return self.readable and self.complete is not True

    def status(self) -> str:
        if self.problem is not None:
            return f"unreadable: {self.problem}"
        state = {True: "complete", False: "unfinished", None: "from an older version"}
        return f"{self.count} answer{'' if self.count == 1 else 's'}, {state[self.complete]}"

    def summary(self) -> str:
        """One line: when, who, how far (``31 Jan 14:05 · 8 y · female · … · 12 answers,
        unfinished``); for a file that cannot be read, its name and why."""
        who = self.label if self.readable else self.path.name
        when = self.updated.strftime("%d %b %H:%M" if self.updated.year == now().year
                                     else "%d %b %Y %H:%M")
        return " · ".join(p for p in (when, who, self.status()) if p)


class ConsultFile:
    """The file of one consult in ``data``/consults; named on the first save."""

    def __init__(self, data: Path, path: Path | None = None,
                 started: datetime | None = None) -> None:
        self.data, self.path = data, path   # data: the data folder (exports go there too)
        self.started = started or now()

    @property
    def stem(self) -> str:
        """The consult's name, also used to name its exports."""
        return self.path.stem if self.path is not None else f"consult-{self.started:{STAMP}}"

    def save(self, session: Session) -> None:
        import yaml

        from ..engine.record import replay_yaml

        if self.path is None:
            self.path = _claim(self.data / FOLDER, self.stem)
        meta = {"started": self.started.isoformat(), "updated": now().isoformat(),
                "label": consult_label(session), "answers": len(session.path),
                "complete": session.complete}
        header = ("# A consult, saved by calcinosis-triage after every answer. It is also a "
                  "replay file:\n#   triage replay " + str(self.path) + "\n")
        atomic_write(self.path, header
                     + yaml.safe_dump({"consult": meta}, sort_keys=False, allow_unicode=True)
                     + replay_yaml(session))


def _claim(folder: Path, stem: str) -> Path:
    """A new file name in ``folder`` that no other consult has (created empty, exclusively)."""
    folder.mkdir(parents=True, exist_ok=True)
    n = 1
    while True:
        path = folder / (f"{stem}.yaml" if n == 1 else f"{stem}-{n}.yaml")
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            return path
        except FileExistsError:
            n += 1


def consult_label(session: Session) -> str:
    """A short label from the answers so far: age, sex and diagnosis once known."""
    facts, questions = session.facts, session.dialog.questions
    parts = []
    age = facts.get("age_years")
    if isinstance(age, float):
        parts.append(f"{round(age * 12)} mo" if age < 2 else f"{round(age, 1):g} y")
    for qid in ("sex", "diagnosis"):
        value = facts.get(qid)
        option = next((o for o in questions[qid].options if o.value == value), None) \
            if qid in questions else None
        if option is not None:
            parts.append(option.label.split(" (")[0].lower() if qid == "sex"
                         else option.label.split(" (")[0])
    return " · ".join(parts)


class History:
    """The consults in the data folder (``folder``: the data folder, for tests)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.root = folder

    @property
    def data(self) -> Path:
        return self.root or data_dir()

    @property
    def folder(self) -> Path:
        return self.data / FOLDER

    def new(self) -> ConsultFile:
        return ConsultFile(self.data)

    def reopen(self, listed: Listed) -> ConsultFile:
        """The file of a listed consult, to carry on saving into it."""
        return ConsultFile(self.data, listed.path, listed.started)

    def list(self) -> list[Listed]:
        """Every consult file, unfinished ones first, each group latest first; unreadable
        files last. Moves the earlier single autosave in and removes stale ``.tmp`` files."""
        self._migrate()
        self._remove_stale_tmp()
        if not self.folder.is_dir():
            return []
        found = [read(path) for path in self.folder.glob("*.yaml")]
        found.sort(key=lambda c: c.updated, reverse=True)
        found.sort(key=lambda c: (not c.readable, not c.unfinished))
        return found

    def find(self, ref: str, listed: builtins.list[Listed] | None = None) -> Listed:
        """A consult by its number in ``list()`` (from 1) or its name; LookupError if none."""
        listed = self.list() if listed is None else listed
        if ref.isdigit() and 1 <= int(ref) <= len(listed):
            return listed[int(ref) - 1]
        name = Path(ref).stem
        for entry in listed:
            if entry.name == name:
                return entry
        raise LookupError(f"no consult '{ref}' in {self.folder} (see: triage consults)")

    def _migrate(self) -> None:
        legacy = self.data / LEGACY
        try:
            stamp = datetime.fromtimestamp(legacy.stat().st_mtime)
        except OSError:
            return
        target = _claim(self.folder, f"consult-{stamp:{STAMP}}")
        try:
            os.replace(legacy, target)
        except OSError:   # another process moved it first
            target.unlink(missing_ok=True)

    def _remove_stale_tmp(self) -> None:
        limit = time.time() - STALE_TMP
        for folder in (self.data, self.folder):
            for tmp in folder.glob(".*.tmp") if folder.is_dir() else ():
                try:
                    if tmp.stat().st_mtime < limit:
                        tmp.unlink()
                except OSError:
                    pass


def latest_unfinished(listed: list[Listed]) -> Listed | None:
    return next((c for c in listed if c.unfinished), None)


def read(path: Path) -> Listed:
    """A consult file's summary, or why it cannot be read (never raises for a bad file)."""
    from ..engine import yamlfile
    from ..engine.errors import LoadError

    try:
        updated = datetime.fromtimestamp(path.stat().st_mtime).astimezone()
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return Listed(path, now(), problem=f"cannot read the file ({exc})")
    if not text.strip():
        return Listed(path, updated, problem="the file is empty")
    try:
        data = yamlfile.parse(text, path.name).data
    except LoadError as exc:
        fault = exc.problems[0]
        where = "".join((f"line {fault.line}: " if fault.line else "",
                         f"{fault.field}: " if fault.field else ""))
        return Listed(path, updated, problem=where + fault.message)
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        return Listed(path, updated, problem="no 'answers' mapping: not a consult file")
    answers = data["answers"]
    meta: dict[str, Any] = data["consult"] if isinstance(data.get("consult"), dict) else {}
    complete = meta.get("complete")
    count = meta.get("answers")
    dialog = data.get("dialog")
    return Listed(path, _time(meta.get("updated")) or updated,
                  str(meta.get("label") or _label_from_answers(answers)), answers,
                  dialog if isinstance(dialog, str) else None,
                  count if isinstance(count, int) else len(answers),
                  complete if isinstance(complete, bool) else None,
                  _time(meta.get("started")))


def _time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.astimezone()
    try:
        return datetime.fromisoformat(str(value)).astimezone() if value else None
    except ValueError:
        return None


def _label_from_answers(answers: Mapping[str, Any]) -> str:
    """A label for a file saved without one: the answers as typed."""
    age = answers.get("age_years")
    parts = [f"{age} y" if isinstance(age, (int, float)) else age, answers.get("sex"),
             answers.get("diagnosis")]
    return " · ".join(str(p) for p in parts if isinstance(p, (str, int, float)))

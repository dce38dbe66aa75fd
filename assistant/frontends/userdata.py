"""What is kept for the user between runs, in their data folder: its location, atomic
writes, and the trainee's study progress (consults are in ``consults.py``).

Files are written atomically (a temporary file in the same folder, flushed to disk, then
renamed over the old one), so a crash or a closed terminal leaves the previous save or the
new one, never half a file. ``CALCINOSIS_TRIAGE_DATA`` overrides the folder (tests use it).
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..engine.progress import Progress
    from ..engine.study import Round

APP_NAME = "calcinosis-triage"
ENV_DIR = "CALCINOSIS_TRIAGE_DATA"


def data_dir() -> Path:
    """The user's data folder for this app (created on first write)."""
    override = os.environ.get(ENV_DIR)
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all; a missing folder is an error (OSError),
    never created here."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class _UserFile:
    """A file of the user's in the data folder, located on first use (off the start-up path)."""

    name = ""

    def __init__(self, folder: Path | None = None):
        self.folder = folder

    @cached_property
    def path(self) -> Path:
        return (self.folder or data_dir()) / self.name


class StudyProgress(_UserFile):
    """A trainee's graded study rounds (``study.json``, or a named trainee's own file under
    ``trainees/``), read back into typed records (``engine.progress.Progress``).

    ``clock`` stamps each round (tests inject one). A file that cannot be read is an error
    naming the file and field, never silently replaced: it holds the trainee's work."""

    name = "study.json"

    def __init__(self, folder: Path | None = None, trainee: str | None = None,
                 clock: Callable[[], datetime] | None = None):
        super().__init__(folder)
        self.trainee = trainee
        if trainee is not None:
            self.name = f"trainees/{trainee_file(trainee)}"
        self.clock = clock

    def read(self) -> Progress:
        from ..engine.progress import Progress, decode

        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return Progress(trainee=self.trainee)
        except OSError as exc:
            from ..engine.errors import LoadError, Problem

            raise LoadError([Problem(str(self.path), None, "", f"cannot be read: {exc}")]) from None
        return decode(data, str(self.path))

    def now(self) -> datetime:
        from ..engine.progress import now

        return self.clock() if self.clock is not None else now()

    def record(self, result: Round) -> Progress:
        """Add a graded round; returns the progress with it."""
        progress = self.read().add(result.record(self.now()))
        self._write(progress)
        return progress

    def replace_last(self, result: Round) -> None:
        """Amend the case's latest round (an override recorded after the reveal)."""
        self._write(self.read().replace_last(result.case.id, result.record(self.now())))

    def _write(self, progress: Progress) -> None:
        from ..engine.progress import encode

        if self.trainee is not None and progress.trainee is None:
            import msgspec

            progress = msgspec.structs.replace(progress, trainee=self.trainee)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, encode(progress))

    def reset(self) -> None:
        self.path.unlink(missing_ok=True)

    def export(self, path: Path, titles: dict[str, str]) -> None:
        """Every round as JSON (``.json``: the progress file itself, for a teacher's
        ``triage study cohort``), CSV (``.csv``) or a Markdown table (anything else)."""
        atomic_write(path, self.as_text(path, titles))

    def as_text(self, path: Path, titles: dict[str, str]) -> str:
        """What ``export`` writes to ``path``: the progress file for ``.json``, CSV for
        ``.csv``, else a Markdown table."""
        from ..engine.progress import encode

        progress = self.read()
        if path.suffix.lower() == ".json":
            return encode(progress)
        rows = [(r.case, titles.get(r.case, r.case), r.at.isoformat(), r.score,
                 *({p.name: p.points for p in r.parts}.get(n, "")
                   for n in ("facts", "red_flags", "triage", "therapy")),
                 r.commitment.level, r.commitment.therapy,
                 "" if r.commitment.confidence is None else r.commitment.confidence,
                 "yes" if r.correct else "no", "; ".join(s.title for s in r.missed),
                 r.commitment.reason)
                for r in sorted(progress.rounds, key=lambda r: (r.case, r.at))]
        head = ("case", "title", "when", "score", "facts", "red_flags", "triage", "therapy",
                "committed_level", "committed_therapy", "confidence", "right", "missed_steps",
                "reason")
        if path.suffix.lower() == ".csv":
            import csv
            import io

            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(head)
            writer.writerows(rows)
            return buffer.getvalue()
        cell = str.maketrans({"|": "\\|", "\n": " "})
        lines = ["# Study progress", "", "| " + " | ".join(head) + " |",
                 "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(str(v).translate(cell) for v in row) + " |" for row in rows]
        return "\n".join(lines) + "\n"


def trainee_file(name: str) -> str:
    """A file name for a trainee's name: letters and digits of any script kept (lower
    case), every other run of characters one hyphen, at most 60 characters, and a short
    hash of the exact name so that two names never share a file ("Ana B." and "ana b")."""
    import hashlib
    import re

    text = unicodedata.normalize("NFKC", name).strip()
    slug = re.sub(r"[\W_]+", "-", text.casefold()).strip("-")[:60].strip("-") or "trainee"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}.json"

"""What is kept for the user between runs, in their data folder: its location, atomic
writes, and the trainee's study progress (consults are in ``consults.py``).

Files are written atomically (a temporary file in the same folder, flushed to disk, then
renamed over the old one), so a crash or a closed terminal leaves the previous save or the
new one, never half a file. ``CALCINOSIS_TRIAGE_DATA`` overrides the folder (tests use it).
"""

from __future__ import annotations

import os
import tempfile
from functools import cached_property
from pathlib import Path
from typing import Any

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
    """A trainee's study rounds per case (``study.json``): attempts, best and last scores."""

    name = "study.json"

    def read(self) -> dict[str, dict[str, Any]]:
        import json

        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def record(self, case: str, round_json: dict[str, Any]) -> dict[str, Any]:
        """Add a graded round (``Round.to_json()``); returns the case's updated entry."""
        from datetime import UTC, datetime

        data = self.read()
        entry = data.setdefault(case, {"attempts": 0, "best": None, "rounds": []})
        entry["attempts"] += 1
        score = round_json["score"]
        entry["best"] = score if entry["best"] is None else max(entry["best"], score)
        entry["last"] = score
        entry["rounds"].append({"at": datetime.now(UTC).isoformat(timespec="seconds"),
                                **round_json})
        self._write(data)
        return entry

    def replace_last(self, case: str, round_json: dict[str, Any]) -> None:
        """Amend the case's latest round (an override recorded after the reveal)."""
        data = self.read()
        rounds = data.get(case, {}).get("rounds")
        if not rounds:
            return
        rounds[-1] = {"at": rounds[-1]["at"], **round_json}
        self._write(data)

    def _write(self, data: dict[str, Any]) -> None:
        import json

        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")

    def reset(self) -> None:
        self.path.unlink(missing_ok=True)

    def export(self, path: Path, titles: dict[str, str]) -> None:
        """Every round as CSV (``.csv``) or a Markdown table (anything else)."""
        atomic_write(path, self.as_text(path, titles))

    def as_text(self, path: Path, titles: dict[str, str]) -> str:
        """What ``export`` writes to ``path``: CSV for ``.csv``, else a Markdown table."""
        rows = [(case, titles.get(case, case), r["at"], r["score"],
                 *(r["parts"][p]["points"] for p in ("facts", "red_flags", "triage", "therapy")),
                 r["commitment"]["level"], r["commitment"]["therapy"], r["commitment"]["reason"])
                for case, entry in sorted(self.read().items()) for r in entry["rounds"]]
        head = ("case", "title", "when", "score", "facts", "red_flags", "triage", "therapy",
                "committed_level", "committed_therapy", "reason")
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

"""Where the test data lives, and writing or editing files for a test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
REPLAYS = ROOT / "tests" / "replays"
STUDY = ROOT / "tests" / "study"
CONSTRUCTED = ROOT / "tests" / "cases"   # constructed edge cases for the case corpus


def replay_answers(name: str) -> dict[str, Any]:
    """The answers of the seed replay file ``tests/replays/<name>.yaml``."""
    text = (REPLAYS / f"{name}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["answers"]


def write_replay(folder: Path, answers: dict[str, Any], name: str = "consult.yaml") -> Path:
    """A replay file holding ``answers``."""
    path = folder / name
    path.write_text(yaml.safe_dump({"answers": answers}, sort_keys=False, allow_unicode=True),
                    encoding="utf-8")
    return path


def replace_in(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in the file (which must hold it) with ``new``."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """The number of the first line of the file holding ``needle``."""
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if needle in line)

"""Shared fixtures: the real knowledge base, loaded once, and disposable copies of it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.engine.library import Library, load

ROOT = Path(__file__).resolve().parent.parent
REPLAYS = ROOT / "tests" / "replays"


@pytest.fixture(scope="session")
def library() -> Library:
    return load(ROOT)


@pytest.fixture
def root_copy(tmp_path: Path) -> Path:
    """A writable copy of knowledge/ and dialogs/ to break on purpose."""
    for name in ("knowledge", "dialogs"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def run_triage(*args: str, stdin: str = "", cwd: Path = ROOT,
               data: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real ``triage`` command in a fresh process (``data``: the user data folder)."""
    env = dict(os.environ, CALCINOSIS_TRIAGE_DATA=str(data)) if data is not None else None
    return subprocess.run([sys.executable, "-m", "assistant", *args], input=stdin, text=True,
                          capture_output=True, cwd=cwd, timeout=120, env=env)

"""The real ``triage`` command, run in a fresh process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from assistant.frontends.userdata import ENV_DIR

from .files import ROOT


def run_triage(*args: str, stdin: str = "", cwd: Path = ROOT,
               data: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``triage ARGS`` (``data``: the user data folder; by default the session's, which
    the test conftest points away from the real one)."""
    env = dict(os.environ, **({ENV_DIR: str(data)} if data is not None else {}))
    return subprocess.run([sys.executable, "-m", "assistant", *args], input=stdin, text=True,
                          capture_output=True, cwd=cwd, timeout=120, env=env)

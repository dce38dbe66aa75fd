"""The app's start-up path: the start screen paints before anything heavy is imported."""

from __future__ import annotations

import subprocess
import sys

from tests.support.files import ROOT


def test_the_app_start_up_path_leaves_the_engine_and_markdown_out():
    """The start screen paints before the knowledge base, YAML or Markdown are imported."""
    code = ("import sys\n"
            "from assistant.frontends.cli import _parser\n"
            "from assistant.frontends.app.app import TriageApp\n"
            "TriageApp()\n"
            "heavy = ('assistant.engine.library', 'assistant.engine.matching', 'yaml', "
            "'msgspec', 'rapidfuzz', 'markdown_it')\n"
            "print([m for m in heavy if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"

"""Architecture: the engine imports no UI; a whole replay run goes without Textual."""

from __future__ import annotations

import subprocess
import sys

from tests.support.files import REPLAYS, ROOT

PROBE = """
import sys
{code}
print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))
"""


def modules_after(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", PROBE.format(code=code)], capture_output=True,
                            text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_importing_the_engine_leaves_textual_out():
    code = "\n".join(f"import assistant.engine.{m}" for m in (
        "answers", "check", "conditions", "dialog", "dosing", "errors", "explain", "facts",
        "knowledge", "library", "matching", "recommend", "record", "replay", "report", "rules",
        "schema", "session", "suggest", "yamlfile"))
    assert modules_after(code) == "[]"


def test_a_whole_replay_run_never_imports_textual():
    code = ("from assistant.frontends.cli import main\n"
            f"main(['replay', {str(REPLAYS / 'rh.yaml')!r}, '--json'])")
    assert modules_after(code) == "[]"

"""`triage check`: clean on the shipped base; a broken one exits non-zero with the problem."""

from __future__ import annotations

from tests.support.command import run_triage
from tests.support.files import replace_in


def test_check_command_exits_non_zero_with_the_message(root_copy):
    labs = root_copy / "knowledge" / "labs.yaml"
    replace_in(labs, "  - id: crp\n", "  - id: crp\n    name: [unclosed\n")
    result = run_triage("--root", str(root_copy), "check")
    assert result.returncode == 1
    assert "knowledge/labs.yaml:" in result.stderr and "invalid YAML" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_is_clean_on_the_shipped_base():
    result = run_triage("check")
    assert result.returncode == 0, result.stderr

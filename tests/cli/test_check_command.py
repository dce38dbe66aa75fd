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


def test_an_overdue_review_warns_and_still_exits_zero(root_copy):
    path = root_copy / "knowledge" / "therapies" / "probenecid.yaml"
    replace_in(path, "reviewed: 2026-11-22\nreview_by: 2027-11-22",
               "reviewed: 2024-11-01\nreview_by: 2025-11-01")
    result = run_triage("--root", str(root_copy), "check")
    assert result.returncode == 0, result.stderr
    assert "warning: knowledge/therapies/probenecid.yaml: review overdue (reviewed 2024-11-01, " \
           "review by 2025-11-01)" in result.stderr
    assert "(1 warning(s))" in result.stdout

"""Hostile files given to the `triage` command: refused with the file and line, never a
traceback."""

from __future__ import annotations

from tests.support.command import run_triage
from tests.support.files import REPLAYS, replace_in


def test_the_command_line_reports_hostile_files_without_a_traceback(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text((REPLAYS / "rh.yaml").read_text().replace(
        "\nanswers:", "\nanswers: !!python/object/apply:os.system", 1))
    done = run_triage("replay", str(path))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "explicit tags" in done.stderr


def test_a_study_script_with_a_list_for_a_case_is_refused(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("case: [x]\nanswers: {}\ncommit: {level: soon, therapy: diltiazem}\n")
    done = run_triage("study", "--script", str(path))
    assert done.returncode == 1 and "s.yaml:1: case: unknown case" in done.stderr
    assert "Traceback" not in done.stderr


def test_check_refuses_a_broken_base_with_exit_1(root_copy):
    replace_in(root_copy / "knowledge" / "labs.yaml", "units: {mg/L: 1, mg/dL: 10}",
               "units: {mg/L: 1, mg/dL: 0}")
    done = run_triage("--root", str(root_copy), "check")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "knowledge/labs.yaml:" in done.stderr

"""`triage cases`: each case's pass or fail, and a non-zero exit when one fails."""

from __future__ import annotations

from tests.support.command import run_triage
from tests.support.files import CONSTRUCTED


def test_triage_cases_command_prints_pass_or_fail_and_exits_nonzero_on_failure(tmp_path):
    ok = run_triage("cases", str(CONSTRUCTED))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "pass  huge_necrotic_mass" in ok.stdout and "cases pass" in ok.stdout
    case = (CONSTRUCTED / "toddler.yaml").read_text()
    (tmp_path / "toddler.yaml").write_text(case.replace("- minocycline", "- methotrexate"))
    bad = run_triage("cases", str(tmp_path))
    assert bad.returncode == 1
    assert "FAIL  toddler" in bad.stdout and "Methotrexate is not excluded" in bad.stdout

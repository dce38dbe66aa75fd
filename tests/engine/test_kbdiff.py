"""kb-diff's comparison: a knowledge edit shows, case by case, the changed triage level,
first three options, exclusions and doses, with the rules and facts that changed them."""

from __future__ import annotations

from pathlib import Path

from assistant.engine.kbdiff import CaseInput, Change, compare, corpus
from assistant.engine.library import load
from assistant.frontends.kbdiff_command import CASE_FOLDERS
from tests.support.answers import base
from tests.support.files import ROOT, replace_in


def changes_between(old_root: Path, new_root: Path, cases: list[CaseInput]) -> list[Change]:
    return compare(load(old_root), load(new_root), cases)


def test_a_triage_rule_edit_changes_the_level_and_names_the_rule(root_copy):
    triage = root_copy / "knowledge" / "triage.yaml"
    replace_in(triage, "  - id: anaemia\n    level: soon", "  - id: anaemia\n    level: urgent")
    case = CaseInput("anaemic", base(hemoglobin="8 g/dL"))
    [change] = [c for c in changes_between(ROOT, root_copy, [case]) if c.what == "level"]
    assert change.key() == "anaemic: level: soon -> urgent"
    assert change.because == ("rule anaemia: soon -> urgent",)


def test_a_caution_edit_excludes_an_option_with_its_reason(root_copy):
    path = root_copy / "knowledge" / "therapies" / "diltiazem.yaml"
    replace_in(path, "  - id: diltiazem_dose_monitoring\n    severity: minor",
               "  - id: diltiazem_dose_monitoring\n    severity: contraindicated")
    case = CaseInput("quiet", base())
    found = {c.key() for c in changes_between(ROOT, root_copy, [case])}
    assert "quiet: excluded diltiazem: not excluded -> excluded by diltiazem_dose_monitoring" \
        in found


def test_a_dose_edit_is_reported_with_the_dose_that_changed(root_copy):
    path = root_copy / "knowledge" / "therapies" / "diltiazem.yaml"
    replace_in(path, '"2-4 mg/kg/day; lower doses had no effect on calcinosis"',
               '"2-3 mg/kg/day; lower doses had no effect on calcinosis"')
    case = CaseInput("quiet", base(weight_kg=30))
    [change] = [c for c in changes_between(ROOT, root_copy, [case]) if c.what == "dose"]
    assert change.subject == "diltiazem"
    assert change.old.startswith("5 doses #") and change.new.startswith("5 doses #")
    assert change.old != change.new
    assert any(b.startswith("- 2-4 mg/kg/day") for b in change.because)
    assert any(b.startswith("+ 2-3 mg/kg/day") for b in change.because)


def test_the_same_knowledge_changes_no_case(root_copy):
    cases = corpus([(ROOT, ROOT / f) for f in CASE_FOLDERS])
    assert len(cases) >= 70
    assert {c.name.split("/")[0] for c in cases} == {"knowledge", "tests"}
    assert changes_between(ROOT, root_copy, cases) == []

"""The knowledge base's own checks (`triage check`), on deliberately broken copies of it."""

from __future__ import annotations

import yaml

from assistant.engine.check import check
from tests.support.files import replace_in

NOT_CTD_JUMP = ("          - when: {question: diagnosis, in: [idiopathic, renal_metabolic, "
                "tumoral_calcinosis]}\n            goto: calcinosis_pattern")


def test_unreachable_question(root_copy):
    dialog = root_copy / "dialogs" / "triage.yaml"
    replace_in(dialog, NOT_CTD_JUMP, "          - goto: calcinosis_pattern")
    found = check(root_copy).problems
    assert any("muscle_weakness: no path through the dialog reaches this question" in p for p in found)
    assert any("skin_activity: no path" in p for p in found)


def test_rule_after_an_unconditional_rule_is_dead(root_copy):
    dialog = root_copy / "dialogs" / "triage.yaml"
    replace_in(dialog, NOT_CTD_JUMP, "          - goto: muscle_weakness\n" + NOT_CTD_JUMP)
    assert any("red_flags.next[1]: never used" in p for p in check(root_copy).problems)


def test_unused_reference(root_copy):
    refs = root_copy / "knowledge" / "references.yaml"
    data = yaml.safe_load(refs.read_text())
    data["references"].append({"id": "nobody_2099", "source": "primary_study", "title": "Never cited",
                               "confirmed": False})
    refs.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    assert any("nobody_2099: reference is never cited" in p for p in check(root_copy).problems)


def test_statement_without_reference(root_copy):
    path = root_copy / "knowledge" / "therapies" / "colchicine.yaml"
    data = yaml.safe_load(path.read_text())
    data["mechanism"]["refs"] = []
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    assert any("colchicine.mechanism: no reference" in p for p in check(root_copy).problems)


def test_therapy_without_evidence(root_copy):
    path = root_copy / "knowledge" / "therapies" / "colchicine.yaml"
    data = yaml.safe_load(path.read_text())
    data["evidence"] = []
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    assert any("colchicine.evidence: a therapy needs at least one evidence entry" in p
               for p in check(root_copy).problems)


def test_case_with_an_unknown_fact(root_copy):
    path = root_copy / "knowledge" / "cases" / "sara.yaml"
    replace_in(path, "answers:\n", "answers:\n  serum_magnesium: 2\n")
    assert any("sara" in p and "unknown question id 'serum_magnesium'" in p
               for p in check(root_copy).problems)


def test_case_with_an_invalid_value(root_copy):
    path = root_copy / "knowledge" / "cases" / "sara.yaml"
    text = path.read_text()
    path.write_text(text.replace("diagnosis: idiopathic", "diagnosis: idiopathik", 1))
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if "idiopathik" in t)
    assert any(f"knowledge/cases/sara.yaml:{line}: answers.diagnosis: 'idiopathik' is not an option" in p
               for p in check(root_copy).problems)

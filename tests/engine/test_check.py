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


def test_a_calcium_threshold_must_restate_the_reference_interval(root_copy):
    """Tables that restate labs.yaml's age bands must follow an edit of those bands."""
    replace_in(root_copy / "knowledge" / "labs.yaml",
               "{age_from: 1, age_to: 12, low: 8.8, high: 10.8}",
               "{age_from: 1, age_to: 12, low: 8.7, high: 10.8}")
    found = check(root_copy).problems
    assert any(p.startswith("knowledge/triage.yaml:") and "hypocalcaemia.when: calcium 8.8 mg/dL "
               "for ages 1–12: the reference interval's low limit there is 8.7" in p for p in found)
    assert any("calcium_vitamin_d_correction.fit[" in p for p in found)
    assert any("alendronate_low_calcium" in p or "alendronate.cautions[" in p for p in found)


def test_every_reference_band_must_be_covered(root_copy):
    replace_in(root_copy / "knowledge" / "triage.yaml",
               "        - all: [{question: age_years, below: 1}, {question: calcium, below: 9.0}]\n",
               "")
    assert any("hypocalcaemia.when: calcium is tested against its low limit by age, but not "
               "for ages 0–1" in p for p in check(root_copy).problems)


def test_ages_that_are_not_a_reference_band_are_named(root_copy):
    replace_in(root_copy / "knowledge" / "triage.yaml",
               "{question: age_years, at_least: 12}, {question: calcium, below: 8.5}",
               "{question: age_years, at_least: 13}, {question: calcium, below: 8.5}")
    assert any("hypocalcaemia.when: ages 13–19 are not one of the reference bands of calcium"
               in p for p in check(root_copy).problems)

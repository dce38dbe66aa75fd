"""Bad data fails loudly: file, line and field named, never a traceback or a half-loaded base."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.engine.errors import LoadError
from assistant.engine.library import load
from tests.support.files import line_of, replace_in


def problems(root: Path) -> str:
    with pytest.raises(LoadError) as err:
        load(root)
    return str(err.value)


def test_malformed_yaml_names_file_and_line(root_copy):
    labs = root_copy / "knowledge" / "labs.yaml"
    replace_in(labs, "  - id: crp\n", "  - id: crp\n    name: [unclosed\n")
    message = problems(root_copy)
    assert f"knowledge/labs.yaml:{line_of(labs, '[unclosed') + 1}:" in message
    assert "invalid YAML" in message


def test_wrong_type_names_the_field(root_copy):
    labs = root_copy / "knowledge" / "labs.yaml"
    replace_in(labs, "plausible: {low: 3, high: 20}", "plausible: {low: three, high: 20}")
    message = problems(root_copy)
    assert f"knowledge/labs.yaml:{line_of(labs, 'low: three')}: labs[4].plausible.low:" in message
    assert "Expected 'float', got 'str'" in message


def test_unknown_field_is_an_error(root_copy):
    dialog = root_copy / "dialogs" / "triage.yaml"
    replace_in(dialog, "      - id: sex\n", "      - id: sex\n        colour: blue\n")
    message = problems(root_copy)
    assert "dialogs/triage.yaml:" in message and "colour" in message


def test_duplicate_key_is_an_error(root_copy):
    labs = root_copy / "knowledge" / "labs.yaml"
    replace_in(labs, "    name: C-reactive protein\n", "    name: C-reactive protein\n    name: CRP\n")
    message = problems(root_copy)
    assert f"knowledge/labs.yaml:{line_of(labs, 'name: CRP')}: labs[1].name: duplicate key" in message


def test_every_problem_is_reported_at_once(root_copy):
    labs = root_copy / "knowledge" / "labs.yaml"
    replace_in(labs, "refs: [s69_paediatric_ranges]", "refs: [nobody_2099]")
    replace_in(labs, "unit: U/L\n    units: {U/L: 1, IU/L: 1, UI/L: 1}", "unit: U/L\n    units: {IU/L: 1}")
    message = problems(root_copy)
    assert "unknown reference 'nobody_2099'" in message
    assert "canonical unit 'U/L' must be listed with factor 1" in message


def test_unsafe_yaml_tags_are_refused(root_copy):
    labs = root_copy / "knowledge" / "labs.yaml"
    replace_in(labs, "    name: C-reactive protein\n", "    name: !!python/object/apply:os.system ['true']\n")
    assert "knowledge/labs.yaml" in problems(root_copy)


NOT_CTD = "when: {question: diagnosis, in: [idiopathic, renal_metabolic, tumoral_calcinosis]}"


@pytest.mark.parametrize("old, new, expected", [
    ("goto: calcinosis_pattern", "goto: calcinosis_patern", "unknown question 'calcinosis_patern'"),
    ("goto: calcinosis_pattern", "goto: age_years", "jumps may only go forward"),
    (NOT_CTD, NOT_CTD.replace("idiopathic", "idiopatic"),
     "'idiopatic' is not an option of 'diagnosis'"),
    (NOT_CTD, "when: {question: weight, below: 3}",
     "unknown question 'weight'"),
    (NOT_CTD, "when: {question: egfr, below: 3}",
     "'egfr' is not asked before this point"),
    (NOT_CTD, "when: {question: diagnosis, below: 3}",
     "'below' cannot test the single question 'diagnosis'"),
    (NOT_CTD, "when: {question: diagnosis}",
     "needs exactly one operator"),
])
def test_dialog_faults_are_located(root_copy, old, new, expected):
    dialog = root_copy / "dialogs" / "triage.yaml"
    replace_in(dialog, old, new)
    message = problems(root_copy)
    assert expected in message
    assert "dialogs/triage.yaml:" in message


def test_treatment_words_faults_are_located(root_copy):
    words = root_copy / "knowledge" / "treatment_words.yaml"
    replace_in(words, "  - kind: not_taken\n    reason: refused\n",
               "  - kind: taken\n    reason: refused\n")
    replace_in(words, '"stopped", "stop", "discontinued",', '"stopped", "stop", "refused",')
    message = problems(root_copy)
    assert (f"knowledge/treatment_words.yaml:{line_of(words, 'reason: refused')}: "
            "cues[2].reason: 'refused' is not a reason of kind 'taken'") in message
    assert "cues[13].words: 'refused' is also in cues[2]" in message

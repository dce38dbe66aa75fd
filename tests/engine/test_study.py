"""Trainee self-study graded by the engine: perfect rounds, misread units, missed red flags,
unknown against reported values, and the authors' choice against the evidence."""

from __future__ import annotations

import pytest

from assistant.engine.facts import UNKNOWN
from assistant.engine.replay import replay_data
from assistant.engine.report import md_text
from assistant.engine.study import case_session, compare, grade, reveal_markdown, run_script
from tests.support.files import STUDY
from tests.support.study import perfect


@pytest.mark.parametrize("case_id", ["douae", "imane", "jamila", "laila", "rh", "sara"])
def test_answering_as_the_case_and_committing_as_the_evidence_scores_100(library, case_id):
    case = library.knowledge.cases[case_id]
    result = grade(case, case_session(case, library), perfect(case, library), library)
    assert result.mismatches == ()
    assert result.score == 100
    text = reveal_markdown(result, library)
    assert "Every fact matches the case." in text
    assert md_text(library.knowledge.references[case.ref].citation()) in text
    for note in case.notes:
        assert md_text(note.text) in text


def test_a_misread_unit_missed_treatments_and_a_low_triage_are_each_explained(library):
    result = run_script(STUDY / "imane_misread.yaml", library)
    kinds = {m.question: m.kind for m in result.mismatches}
    assert kinds["crp"] == "unit"
    assert kinds["prior_treatments"] == "answer"
    parts = {p.name: p for p in result.parts}
    assert parts["triage"].points == 10 and "the case facts give soon" in parts["triage"].why
    # the misread CRP no longer raises the CRP flag: one of the two red flags is missed
    assert parts["red_flags"].points == 10
    assert parts["therapy"].points == 20    # diltiazem: the authors' next step, ranked 3
    assert result.score == 77
    text = reveal_markdown(result, library)
    assert "Unit misread: the paper's value is 160 mg/L" in text


def test_choosing_the_authors_acth_is_explained_against_the_evidence(library):
    result = run_script(STUDY / "rh_authors_acth.yaml", library)
    assert result.mismatches == ()
    therapy = next(p for p in result.parts if p.name == "therapy")
    assert therapy.points == 0 and "not for this patient" in therapy.why
    assert result.score == 80
    text = reveal_markdown(result, library)
    section = text.split("## Where the authors' choice and the evidence differ")[1]
    assert "The authors chose **ACTH" in section and "does not offer it for this child" in section
    assert "The authors chose **Probenecid**" in section


def test_a_missed_red_flag_and_an_unflagged_lab(library):
    case = library.knowledge.cases["rh"]
    answers = dict(case.answers, red_flags=["none"])
    reference = case_session(case, library)
    esr = reference.facts["esr"]
    answers["esr"] = "10 mm/h"
    session = replay_data(answers, library=library).session
    result = grade(case, session, perfect(case, library), library)
    kinds = [m.kind for m in result.mismatches]
    assert kinds.count("missed_red_flag") == len(reference.facts["red_flags"])
    esr_mismatch = next(m for m in result.mismatches if m.question == "esr")
    assert esr_mismatch.kind == "lab_flag" and f"{esr:g}" in esr_mismatch.expected
    assert next(p for p in result.parts if p.name == "red_flags").points < 20


def test_unknown_where_the_case_reports_a_value_and_the_reverse(library):
    case = library.knowledge.cases["imane"]
    answers = dict(case.answers, ck="unknown", egfr="100")
    session = replay_data(answers, library=library).session
    result = grade(case, session, perfect(case, library), library)
    found = {m.question: m.explanation for m in result.mismatches}
    assert "The vignette does give this: 1950 U/L" in found["ck"]
    assert "does not report this" in found["egfr"]
    assert session.facts["ck"] is UNKNOWN


def test_plural_and_singular_class_names_are_the_same_treatment(library):
    case = library.knowledge.cases["douae"]
    answers = dict(case.answers)
    answers["prior_treatments"] = [dict(answers["prior_treatments"][0], drug="NSAIDs")]
    session = replay_data(answers, library=library).session
    mismatches = compare(case_session(case, library), session, library)
    assert "prior_treatments" not in {m.question for m in mismatches}

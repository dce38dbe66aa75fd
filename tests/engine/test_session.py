"""Walking the triage dialog: branching, going back, editing, per-drug follow-ups."""

from __future__ import annotations

import pytest

from assistant.engine.errors import AnswerError
from assistant.engine.facts import UNKNOWN
from assistant.engine.replay import replay_data
from assistant.engine.session import KEEP, StepKey
from tests.support.answers import base
from tests.support.sessions import answer_until


def test_first_question_and_sections_in_order(library):
    session = library.new_session()
    assert session.current.key == StepKey("age_years")
    seen = []
    result = replay_data(base(), library=library)
    for step in result.session.path:
        if not seen or seen[-1] != step.section.id:
            seen.append(step.section.id)
    assert seen == ["patient", "diagnosis", "activity", "calcinosis", "labs", "steroids",
                    "treatments", "constraints"]


def test_idiopathic_calcinosis_skips_disease_activity(library):
    session = replay_data(base(diagnosis="idiopathic", muscle_weakness=None, skin_activity=None,
                               cmas=None, mmt8=None, physician_global=None),
                          library=library).session
    keys = [str(s.key) for s in session.path]
    assert "red_flags" in keys
    assert "muscle_weakness" not in keys and "skin_activity" not in keys
    assert "muscle_weakness" not in session.facts


def test_editing_the_diagnosis_reroutes_and_stale_answers_stop_counting(library):
    session = replay_data(base(), library=library).session
    assert session.facts["muscle_weakness"] == "mild"
    session.edit(StepKey("diagnosis"), "idiopathic")
    assert session.complete
    assert "muscle_weakness" not in session.facts
    assert {str(k) for k in session.stale} == {"muscle_weakness", "skin_activity", "cmas", "mmt8",
                                  "physician_global"}
    session.edit(StepKey("diagnosis"), "jdm")
    assert session.facts["muscle_weakness"] == "mild"
    assert session.stale == []


def test_back_withdraws_the_last_answer(library):
    session = library.new_session()
    session.answer("9")
    session.answer("female")
    assert session.back().key == StepKey("sex")
    assert "sex" not in session.facts
    assert session.back().key == StepKey("age_years")
    with pytest.raises(AnswerError, match="first question"):
        session.back()


def test_a_refused_answer_changes_nothing(library):
    session = library.new_session()
    with pytest.raises(AnswerError, match="0–21 years"):
        session.answer("45")
    assert session.current.key == StepKey("age_years")
    assert session.facts == {}


def test_unknown_only_where_the_question_allows_it(library):
    session = library.new_session()
    with pytest.raises(AnswerError, match="required"):
        session.answer("unknown")
    session.answer("30 months")
    assert session.facts["age_years"] == pytest.approx(2.5)
    session.answer("male")
    session.answer("unknown")
    assert session.facts["weight_kg"] is UNKNOWN


def test_each_prior_drug_gets_follow_ups(library):
    session = replay_data(base(), library=library).session
    keys = [str(s.key) for s in session.path]
    for i in (0, 1):
        for follow in ("response", "duration", "side_effects", "current"):
            assert f"prior_treatments[{i}].{follow}" in keys
    entries = session.facts["prior_treatments"]
    assert [e.drug for e in entries] == ["prednisolone", "methotrexate"]
    assert [e.response for e in entries] == ["partial", "partial"]
    assert [e.duration for e in entries] == ["over_6_months", "over_6_months"]
    assert entries[1].current is True
    step = next(s for s in session.path if s.key == StepKey("prior_treatments", 1, "response"))
    assert "methotrexate" in step.prompt


def test_no_prior_treatment_skips_the_follow_ups(library):
    session = replay_data(base(prior_treatments="none"), library=library).session
    assert session.facts["prior_treatments"] == ()
    assert not any(s.key.index is not None for s in session.path)


def test_a_look_alike_spelling_is_confirmed_not_applied(library):
    session = library.new_session()
    answer_until(session, "prior_treatments", base())
    session.answer("predniselone")
    step = session.current
    assert step.is_confirmation
    values = [o.value for o in step.options]
    assert "prednisolone" in values and "prednisone" in values and values[-1] == KEEP
    session.answer("prednisolone")
    assert "prednisolone" in session.current.prompt


def test_an_unrecognised_drug_is_kept_verbatim(library):
    session = library.new_session()
    answer_until(session, "prior_treatments", base())
    session.answer("zzqx tonic")
    while session.current.key != StepKey("iv_access"):
        session.answer("unknown")
    entry = session.facts["prior_treatments"][0]
    assert entry.text == "zzqx tonic"
    assert entry.drug is None and entry.status == "unknown"


def test_complete_session_refuses_more_answers(library):
    session = replay_data(base(), library=library).session
    assert session.complete
    with pytest.raises(AnswerError, match="complete"):
        session.answer("yes")


def test_same_answers_same_facts(library):
    first = replay_data(base(), library=library).to_json()
    second = replay_data(base(), library=library).to_json()
    assert first == second

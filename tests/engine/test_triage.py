"""Triage: red flags set the level; findings raise it or add actions, with their facts."""

from __future__ import annotations

import pytest

from tests.support.recommending import from_answers, from_seed

RED_FLAGS = ["fever_infected_lesion", "dysphagia", "breathing_difficulty", "abdominal_pain",
             "chest_pain_pericardial", "rapid_weakness", "hypocalcaemia_symptoms"]


def label(library, qid: str, value: str) -> str:
    return next(o.label for o in library.dialog.questions[qid].options if o.value == value)


def flags(rec) -> dict:
    return {f.id: f for f in rec.triage.flags}


def test_rh_is_urgent_for_infected_masses_and_pericardial_effusion(library):
    rec = from_seed(library, "rh")
    assert rec.triage.level == "urgent"
    found = flags(rec)
    assert found["infected_lesion_fever"].facts == {
        "red_flags": label(library, "red_flags", "fever_infected_lesion")}
    assert found["chest_pain_pericardial"].facts == {
        "red_flags": label(library, "red_flags", "chest_pain_pericardial")}
    assert found["hypocalcaemia"].facts["calcium"] == "8.78 mg/dL"
    assert "Correct calcium and vitamin D first" in found["hypocalcaemia"].action
    assert {"anaemia", "ulceration", "severe_weakness"} <= set(found)
    assert [f.level for f in rec.triage.flags][:2] == ["urgent", "urgent"]


@pytest.mark.parametrize("flag", RED_FLAGS)
def test_each_red_flag_is_urgent_and_leads_the_result(library, flag):
    rec = from_answers(library, red_flags=[flag])
    assert rec.triage.level == "urgent"
    assert rec.triage.flags[0].level == "urgent"
    assert rec.triage.flags[0].facts == {"red_flags": label(library, "red_flags", flag)}
    assert rec.triage.flags[0].refs


def test_no_red_flag_and_normal_labs_is_routine(library):
    rec = from_answers(library)
    assert rec.triage.level == "routine"
    assert {f.level for f in rec.triage.flags} <= {"routine"}


@pytest.mark.parametrize(("changes", "rule", "fact"), [
    ({"calcium": "2.0 mmol/L"}, "hypocalcaemia", "calcium"),
    ({"crp": 160}, "very_high_crp", "crp"),
    ({"calcinosis_ulcerated": True}, "ulceration", "calcinosis_ulcerated"),
    ({"hemoglobin": "85 g/L"}, "anaemia", "hemoglobin"),
    ({"calcinosis_infected": True, "prior_treatments": "none"}, "infected_lesion",
     "calcinosis_infected"),
    ({"muscle_weakness": "severe"}, "severe_weakness", "muscle_weakness"),
    ({"lesion_necrosis_sinus": True}, "necrotic_or_draining", "lesion_necrosis_sinus"),
])
def test_findings_raise_the_level_to_soon_with_their_facts(library, changes, rule, fact):
    rec = from_answers(library, **changes)
    assert rec.triage.level == "soon"
    assert fact in flags(rec)[rule].facts


def test_calcium_threshold_follows_age(library):
    # 8.6 mg/dL is low below 12 years (8.8) but normal from 12 (8.5)
    assert "hypocalcaemia" in flags(from_answers(library, calcium=8.6, age_years=9))
    assert "hypocalcaemia" not in flags(from_answers(library, calcium=8.6, age_years=13))


def test_routine_findings_add_actions_without_raising_the_level(library):
    rec = from_answers(library, vitamin_d=12, egfr=45)
    assert rec.triage.level == "routine"
    assert {"low_vitamin_d", "reduced_kidney_function"} <= set(flags(rec))


def test_an_infected_lesion_on_immunosuppression_is_same_day(library):
    # the base child takes prednisolone and methotrexate: an abscess is not a "soon" problem
    rec = from_answers(library, calcinosis_infected=True)
    assert rec.triage.level == "urgent"
    assert "infected_lesion_immunosuppressed" in flags(rec)
    assert rec.step("immunosuppression").value == "on_treatment"


def test_an_infected_lesion_with_treatment_unknown_in_jdm_is_same_day(library):
    rec = from_answers(library, calcinosis_infected=True, prior_treatments="unknown")
    assert rec.triage.level == "urgent"
    assert rec.step("immunosuppression").value == "unknown"


def test_an_infected_lesion_off_immunosuppression_in_idiopathic_calcinosis_is_soon(library):
    rec = from_answers(library, diagnosis="idiopathic", calcinosis_infected=True,
                       prior_treatments="unknown", muscle_weakness=None, skin_activity=None)
    assert rec.triage.level == "soon"
    assert "infected_lesion" in flags(rec)


def test_unknown_facts_never_fire_a_rule(library):
    rec = from_answers(library, calcium="unknown", crp="unknown", hemoglobin="unknown")
    assert not {"hypocalcaemia", "very_high_crp", "anaemia"} & set(flags(rec))


def test_idiopathic_calcinosis_has_no_disease_activity_flag(library):
    rec = from_seed(library, "sara")
    assert rec.triage.level == "routine" and rec.triage.flags == ()


@pytest.mark.parametrize(("case", "level"), [("imane", "soon"), ("laila", "routine"),
                                             ("douae", "soon"), ("jamila", "routine")])
def test_seed_levels(library, case, level):
    assert from_seed(library, case).triage.level == level


def test_the_consult_screens_triage_is_the_results_triage(library):
    """``triage`` derives only the facts the rules read; it must agree with the full run,
    flags and the facts behind them included, at every step of every seed consult."""
    from assistant.engine.recommend import recommend, triage
    from assistant.engine.replay import replay_data

    for case in library.knowledge.cases.values():
        done = replay_data(case.answers, library=library).session
        session = library.new_session()
        for _step, given in done.steps():
            session.answer(given.raw)
            assert triage(session.facts, library) == recommend(session.facts, library).triage

"""A treatment line through a consult: only drugs taken are trials, a look-alike is always
confirmed, and the typed line (doses, routes, words in any script) survives the answer,
the autosave, resume and the report, exactly."""

from __future__ import annotations

import string

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from assistant.engine.conditions import Condition
from assistant.engine.errors import AnswerError, ReplayError
from assistant.engine.record import replay_yaml
from assistant.engine.replay import replay, replay_data, restore
from assistant.engine.report import answers_markdown, consult_report, md_text
from assistant.engine.session import KEEP, StepKey
from assistant.frontends.consults import History, read
from tests.support.answers import base
from tests.support.files import REPLAYS


def at_treatments(library):
    session = library.new_session()
    answers = base()
    while session.current.key != StepKey("prior_treatments"):
        session.answer(answers[session.current.key.question])
    return session


def answer_rest(session, value="unknown"):
    while session.current is not None and session.current.key != StepKey("iv_access"):
        session.answer(value)


def test_only_drugs_taken_get_follow_ups(library):
    session = at_treatments(library)
    session.answer("no MTX, on Solupred 2 mg/kg/j; rituximab requested, not approved")
    asked = []
    while session.current.key != StepKey("iv_access"):
        asked.append(str(session.current.key))
        session.answer("unknown")
    assert asked == ["prior_treatments[1].response", "prior_treatments[1].duration",
                     "prior_treatments[1].side_effects", "prior_treatments[1].current"]
    entries = session.facts["prior_treatments"]
    assert [(e.drug, e.exposure.kind, e.exposure.reason) for e in entries] == [
        ("methotrexate", "not_taken", "negated"), ("prednisolone", "taken", None),
        ("rituximab", "not_taken", "not_approved")]
    assert entries[1].dose.text == "2 mg/kg/j" and entries[1].dose.per == "kg"
    assert entries[2].exposure.cue == "requested, not approved"
    assert entries[0].response is None and entries[2].current is None


def test_a_look_alike_is_confirmed_whatever_its_exposure(library):
    session = at_treatments(library)
    session.answer("no predniselone")
    step = session.current
    assert step.is_confirmation and step.mention == "predniselone"
    session.answer("prednisolone")
    assert session.current.key == StepKey("iv_access")            # not taken: no follow-ups
    [entry] = session.facts["prior_treatments"]
    assert (entry.drug, entry.status, entry.exposure.kind) == ("prednisolone", "confirmed",
                                                               "not_taken")


@pytest.mark.parametrize("line", ["??", "-", "***", "x3", "2 mg/kg/day"])
def test_a_line_naming_nothing_is_refused_not_read_as_none(library, line):
    session = at_treatments(library)
    with pytest.raises(AnswerError, match="no treatment found"):
        session.answer(line)
    assert session.current.key == StepKey("prior_treatments") and "prior_treatments" not in session.facts


@pytest.mark.parametrize("line", ["none", "nil", "no treatment so far", "aucun traitement",
                                  "لا يوجد"])
def test_a_line_saying_none_is_no_treatment_and_kept_as_typed(library, line):
    session = at_treatments(library)
    session.answer(line)
    assert session.facts["prior_treatments"] == ()
    assert session.answers[StepKey("prior_treatments")].shown == line


def test_an_arabic_line_names_its_drugs(library):
    session = at_treatments(library)
    session.answer("ميثوتريكسات و بريدنيزولون")
    answer_rest(session)
    assert [e.drug for e in session.facts["prior_treatments"]] == ["methotrexate",
                                                                    "prednisolone"]


def test_a_drug_condition_holds_for_taken_drugs_unless_it_names_an_exposure(library):
    session = at_treatments(library)
    session.answer("MTX stopped, no IVIG, allergic to minocycline")
    answer_rest(session)
    facts = session.facts
    assert Condition(question="prior_treatments", drug="methotrexate").holds(facts)
    assert not Condition(question="prior_treatments", drug="ivig").holds(facts)
    assert Condition(question="prior_treatments", drug="ivig",
                     exposure=("not_taken",)).holds(facts)
    assert Condition(question="prior_treatments", drug="minocycline",
                     exposure=("allergy", "not_taken")).holds(facts)
    assert not Condition(question="prior_treatments", drug="methotrexate",
                         exposure=("not_taken",)).holds(facts)
    with pytest.raises(ValueError, match="only go with 'drug'"):
        Condition(question="prior_treatments", answered=True, exposure=("taken",))


def test_a_drug_not_given_is_no_trial_for_the_pathway(library):
    from assistant.engine.history import taken, trials

    pathway = library.knowledge.pathway
    tried = replay_data(base(prior_treatments={"line": "IVIG 2 g/kg", "treatments": [
        {"drug": "IVIG", "response": "none", "duration": "over_6_months", "side_effects": "none",
         "current": False}]}), library=library).session.facts
    never = replay_data(base(prior_treatments="no IVIG, rituximab not approved"),
                        library=library).session.facts
    assert "ivig" in trials(tried, pathway.history, pathway.class_therapies)
    assert trials(never, pathway.history, pathway.class_therapies) == {}
    assert taken(never) == () and len(never["prior_treatments"]) == 2


# --- replay files and the autosave ---------------------------------------------------------

def test_the_typed_line_and_its_answers_round_trip_through_the_replay_file(library):
    session = at_treatments(library)
    line = "topical STS 25% + pred 2 mg/kg/d, no IVIG"
    session.answer(line)
    for value in ("partial", "3_to_6_months", "none", "yes", "prednisolone", "good",
                  "over_6_months", "weight gain", "no"):
        session.answer(value)                             # "pred" is confirmed first
    answer_rest(session, "yes")
    saved = yaml.safe_load(replay_yaml(session))["answers"]["prior_treatments"]
    assert saved == {"line": line, "treatments": [
        {"drug": "STS", "response": "partial", "duration": "3_to_6_months",
         "side_effects": "none", "current": True},
        {"drug": "pred", "confirm": "prednisolone", "response": "good",
         "duration": "over_6_months", "side_effects": "weight gain", "current": False}]}
    again = restore(yaml.safe_load(replay_yaml(session))["answers"], library)
    assert again.answers[StepKey("prior_treatments")].raw == line
    assert again.facts == session.facts
    sts = again.facts["prior_treatments"][0]
    assert sts.therapy == "sodium_thiosulfate_topical" and sts.dose.route == "topical"


def test_old_replay_lists_still_work(library):
    result = replay(REPLAYS / "rh.yaml", strict=True, library=library)
    entries = result.session.facts["prior_treatments"]
    assert [e.drug for e in entries] == ["prednisolone", "methotrexate"]
    assert all(e.exposure.kind == "taken" for e in entries)


def test_a_replay_line_entry_must_follow_the_line(tmp_path, library):
    path = tmp_path / "r.yaml"
    full = {"response": "good", "side_effects": "none", "current": True}
    items = {"line": "MTX, HCQ", "treatments": [{"drug": "HCQ", **full}, {"drug": "MTX", **full}]}
    path.write_text(yaml.safe_dump({"answers": base(prior_treatments=items)}))
    with pytest.raises(ReplayError, match="treatment 'MTX' does not match the next drug named"):
        replay(path, strict=True, library=library)
    items = {"line": "MTX, HCQ", "treatments": [{"drug": "HCQ", **full}]}
    path.write_text(yaml.safe_dump({"answers": base(prior_treatments=items)}))
    with pytest.raises(ReplayError, match="no entry for 'MTX' in 'prior_treatments'"):
        replay(path, library=library)
    items = {"line": "MTX", "treatments": [{"drug": "MTX", "dose": "15 mg"}]}
    path.write_text(yaml.safe_dump({"answers": base(prior_treatments=items)}))
    with pytest.raises(ReplayError, match=r"prior_treatments.treatments\[0\].dose: unknown entry"):
        replay(path, library=library)


def test_a_look_alike_without_confirmation_in_a_replay_is_kept_unrecognised(tmp_path, library):
    result = replay_data(base(prior_treatments={"line": "Cardine refused"}), library=library)
    [entry] = result.session.facts["prior_treatments"]
    assert entry.drug is None and entry.status == "unknown"
    assert (entry.exposure.kind, entry.exposure.reason) == ("not_taken", "refused")
    assert any("needs confirmation" in w for w in result.warnings)
    assert result.session.answers[StepKey("prior_treatments", 0, "confirm")].value == KEEP


def test_a_number_keeps_the_unit_typed_without_false_precision(library):
    session = replay_data(base(calcium="2.3 mmol/L"), library=library).session
    assert session.answers[StepKey("calcium")].shown == "2.3 mmol/L (= 9.2 mg/dL)"


def test_the_report_shows_what_was_typed_and_every_follow_up(library):
    result = replay_data(base(prior_treatments={
        "line": "MTX 15 mg/m² weekly, no IVIG",
        "treatments": [{"drug": "MTX", "response": "none", "duration": "over_6_months",
                        "side_effects": "raised LFTs", "current": False}]}), library=library)
    report = consult_report(result.recommendation(), result.session, library)
    assert "| 2.3 mmol/L (= 9.2 mg/dL) |" in report
    assert ("MTX 15 mg/m² weekly, no IVIG — read as taken: methotrexate 15 mg/m² weekly "
            "(no response, over 6 months, stopped) · not given: immunoglobulin") in report
    assert "| Side effects of methotrexate? | raised LFTs |" in report
    assert "\n".join(answers_markdown(result.session)) in report   # the section tested below


# --- property: whatever is typed comes back, exactly -----------------------------------------

WORDS = st.sampled_from(["MTX", "pred", "Solupred", "IVIG", "no", "stopped", "2 mg/kg",
                         "x3", "topical", "STS", "ميثوتريكسات", "بريدنيزولون", "لم يتلق",
                         "pas de", "rituximab", "not approved", "zorbitol", "Cardine",
                         "HCQ", "25%", "weekly", "calcium 2.4 mmol/L"])
SEPARATORS = st.sampled_from([" ", ", ", " + ", "; ", " then ", " et ", " / ", ": ", " - "])
NOISE = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@st.composite
def typed_lines(draw) -> str:
    parts = draw(st.lists(st.one_of(WORDS, NOISE), min_size=1, max_size=6))
    out = parts[0]
    for part in parts[1:]:
        out += draw(SEPARATORS) + part
    return out


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(line=typed_lines(), follow=st.text(max_size=20), data=st.data())
def test_any_typed_line_survives_autosave_resume_and_report(library, tmp_path_factory, line,
                                                           follow, data):
    session = at_treatments(library)
    try:
        session.answer(line)
    except AnswerError:
        assume(False)        # a line that names nothing is refused, never kept as "none"
    while session.current is not None and session.current.key != StepKey("iv_access"):
        step = session.current
        if step.is_confirmation:
            value = data.draw(st.sampled_from([o.value for o in step.options]))
        elif step.type == "text":
            value = follow if follow.strip() else "unknown"
        else:
            value = "unknown"
        session.answer(value)
    folder = tmp_path_factory.mktemp("data")
    file = History(folder).new()
    file.save(session)
    assert file.path is not None
    saved = read(file.path)
    assert saved.answers is not None, saved.problem
    again = restore(dict(saved.answers), library)
    assert again.answers[StepKey("prior_treatments")].raw == line
    treatments = StepKey("prior_treatments")
    assert again.answers[treatments].shown == session.answers[treatments].shown
    assert again.facts == session.facts
    assert [(s.key, a.shown) for s, a in again.steps()] == \
           [(s.key, a.shown) for s, a in session.steps()]
    answers = "\n".join(answers_markdown(again))    # the report's answers, as in the report
    assert md_text(line.strip()) in answers
    if follow.strip() and any(s.type == "text" for s in again.path if s.index is not None):
        assert md_text(follow.strip()) in answers



@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=string.ascii_letters + "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
               "абвгдежзиклмнопрстуф", min_size=4, max_size=10))
def test_a_word_in_any_script_is_kept(word):
    from assistant.engine.matching import default_matcher, key

    m = default_matcher()
    voc = m.vocabulary
    assume(key(word) not in voc.noise and (key(word),) not in voc.cues
           and (key(word),) not in voc.joins and (key(word),) not in voc.breaks
           and key(word) not in voc.none_lines)
    line = f"MTX, {word}"
    mentions = m.match(line)
    covered = "".join(line[x.start:x.end] for x in mentions)
    assert word in covered or any(word in x.text for x in mentions), mentions

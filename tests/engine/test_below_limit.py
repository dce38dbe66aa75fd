"""A lab result below a limit ("<5", "negative"): kept as below it, never as the limit, and
decided by the rules only where every value under the limit agrees."""

from __future__ import annotations

import msgspec
import pytest

from assistant.engine.conditions import Condition
from assistant.engine.facts import BelowLimit
from assistant.engine.record import replay_answers
from assistant.engine.replay import replay
from assistant.engine.session import StepKey
from tests.support.answers import base
from tests.support.files import write_replay


def cond(**fields) -> Condition:
    return msgspec.convert(fields, Condition)


@pytest.mark.parametrize("test, holds, undecided", [
    ({"below": 10}, True, False),      # every value under 5 is under 10
    ({"below": 5}, True, False),
    ({"at_most": 5}, True, False),
    ({"below": 3}, False, True),       # 4 or 1: cannot say
    ({"above": 50}, False, False),     # none is above 50: decided, and false
    ({"above": 3}, False, True),
    ({"at_least": 5}, False, False),
    ({"answered": True}, True, False),
])
def test_conditions_on_a_result_below_a_limit(test, holds, undecided):
    facts = {"crp": BelowLimit(5.0)}
    condition = cond(question="crp", **test)
    assert condition.holds(facts) is holds
    assert condition.undecided(facts) == (["crp"] if undecided else [])


def test_a_negative_result_decides_nothing_numeric():
    facts = {"crp": BelowLimit(None)}
    assert not cond(question="crp", below=10).holds(facts)
    assert not cond(question="crp", above=50).holds(facts)
    assert cond(question="crp", above=50).undecided(facts) == ["crp"]


def test_triage_sees_a_result_below_a_limit_as_every_value_under_it(tmp_path, library):
    answers = base(crp="<5", vitamin_d="<10 ng/mL", calcium="<2 mmol/L")
    result = replay(write_replay(tmp_path, answers), library=library)
    facts = result.to_json()["facts"]
    assert facts["crp"] == {"below": 5.0, "unit": "mg/L", "flag": None,
                            "reference": "0–10 mg/L"}
    assert facts["vitamin_d"]["below"] == 10.0
    assert facts["calcium"]["below"] == pytest.approx(8.016)
    assert facts["calcium"]["flag"] == "low"             # under 8.016 is under 8.8 too
    flags = {f.id for f in result.recommendation().triage.flags}
    assert {"low_vitamin_d", "hypocalcaemia"} <= flags   # below 20; below 8.8 at 9 years
    assert "very_high_crp" not in flags                  # a CRP under 5 is not above 50
    shown = {row["id"]: row["answer"] for row in result.to_json()["transcript"]}
    assert shown["crp"] == "<5 mg/L"
    assert shown["calcium"] == "<2 mmol/L (= <8.0 mg/dL)"
    # the replay file keeps the text typed, so it replays to the same facts
    assert replay_answers(result.session)["crp"] == "<5"


def test_negative_crp_is_recorded_as_below_an_unstated_limit(tmp_path, library):
    result = replay(write_replay(tmp_path, base(crp="negative")), library=library)
    assert result.session.facts["crp"] == BelowLimit(None)
    assert result.to_json()["facts"]["crp"]["below"] is None
    assert result.session.answers[StepKey("crp")].shown == "negative (below the detection limit)"

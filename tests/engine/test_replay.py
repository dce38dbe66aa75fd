"""Scripted replay through the real engine: seed cases, errors, warnings."""

from __future__ import annotations

import pytest

from assistant.engine.errors import LoadError, ReplayError
from assistant.engine.replay import replay, replay_data
from tests.support.answers import base
from tests.support.files import REPLAYS, write_replay

SEEDS = ["rh", "sara", "laila", "imane", "douae", "jamila"]


@pytest.mark.parametrize("case", SEEDS)
def test_seed_replays_are_clean_and_match_their_case(library, case):
    result = replay(REPLAYS / f"{case}.yaml", strict=True, library=library)
    assert result.session.complete
    assert result.warnings == []
    from_case = replay_data(library.knowledge.cases[case].answers, strict=True, library=library)
    assert result.to_json()["facts"] == from_case.to_json()["facts"]


def test_rh_facts_in_canonical_units(library):
    facts = replay(REPLAYS / "rh.yaml", library=library).to_json()["facts"]
    assert facts["diagnosis"] == "jdm"
    assert "fever_infected_lesion" in facts["red_flags"]
    assert facts["esr"] == {"value": 80.0, "unit": "mm/h", "flag": "high", "reference": "0–10 mm/h"}
    assert facts["calcium"]["unit"] == "mg/dL" and facts["calcium"]["flag"] == "low"
    assert facts["hemoglobin"]["flag"] == "low"
    assert set(facts["steroid_toxicity"]) >= {"osteoporosis", "osteonecrosis"}


def test_units_are_converted(tmp_path, library):
    result = replay(write_replay(tmp_path, base(calcium="2.19 mmol/L", hemoglobin="90 g/L")), library=library)
    facts = result.to_json()["facts"]
    assert facts["calcium"]["value"] == pytest.approx(8.778)
    assert facts["hemoglobin"]["value"] == pytest.approx(9.0)
    assert facts["platelets"]["value"] == pytest.approx(380)


def test_missing_required_answer_is_an_error_naming_it(tmp_path, library):
    with pytest.raises(ReplayError, match="no answer for 'diagnosis', and it is required"):
        replay(write_replay(tmp_path, base(diagnosis=None)), library=library)


def test_missing_optional_answer_becomes_unknown_with_a_warning(tmp_path, library):
    path = write_replay(tmp_path, base(esr=None))
    result = replay(path, library=library)
    assert result.to_json()["facts"]["esr"] == "unknown"
    # located like an error: the file, the line of the answers it is missing from, the field
    assert result.warnings == [f"{path}:2: answers.esr: no answer for 'esr'; recorded as unknown"]
    with pytest.raises(ReplayError, match="--strict"):
        replay(write_replay(tmp_path, base(esr=None)), strict=True, library=library)


def test_unknown_question_id_is_an_error(tmp_path, library):
    path = write_replay(tmp_path, base(serum_magnesium=2))
    with pytest.raises(ReplayError) as err:
        replay(path, library=library)
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "serum_magnesium" in text)
    assert f"consult.yaml:{line}: answers.serum_magnesium: unknown question id" in str(err.value)


def test_out_of_range_lab_is_an_error_with_the_range(tmp_path, library):
    path = write_replay(tmp_path, base(calcium="45 mg/dL"))
    with pytest.raises(ReplayError, match=r"answers.calcium: 45 mg/dL is outside the accepted "
                                          r"range 3–20 mg/dL for Calcium"):
        replay(path, library=library)


def test_unknown_unit_is_an_error(tmp_path, library):
    with pytest.raises(ReplayError, match="unknown unit 'furlongs' for CRP; accepted units: "
                                          "mg/L, mg/dL"):
        replay(write_replay(tmp_path, base(crp="4 furlongs")), library=library)


def test_answers_the_dialog_never_asked_are_warnings(tmp_path, library):
    result = replay(write_replay(tmp_path, base(diagnosis="idiopathic")), library=library)
    assert any("'muscle_weakness' was not used" in w for w in result.warnings)


def test_malformed_replay_file(tmp_path, library):
    path = tmp_path / "bad.yaml"
    path.write_text("answers:\n  age_years: [8\n")
    with pytest.raises(LoadError, match=r"bad.yaml:\d+: invalid YAML"):
        replay(path, library=library)
    path.write_text("answer:\n  age_years: 8\n")
    with pytest.raises(LoadError, match="needs an 'answers' mapping"):
        replay(path, library=library)


def test_drug_confirmation_from_the_replay_file(tmp_path, library):
    items = [{"drug": "dilitiazem", "confirm": "diltiazem", "response": "good", "duration": "3_to_6_months",
              "side_effects": "none", "current": True}]
    result = replay(write_replay(tmp_path, base(prior_treatments=items)), strict=True, library=library)
    entry = result.to_json()["facts"]["prior_treatments"][0]
    assert entry["text"] == "dilitiazem"
    assert entry["drug"] == "diltiazem" and entry["status"] in ("matched", "confirmed")

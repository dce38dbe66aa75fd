"""Ranking: evidence and the patient's facts, with every caution, exclusion and reason shown."""

from __future__ import annotations

import json

import pytest
import yaml

from assistant.engine.dosing import for_child
from assistant.engine.errors import LoadError
from assistant.engine.library import load
from assistant.engine.schema import Dose, DoseNumbers

from .recommending import caution_ids, from_answers, from_seed, option, ranked_ids, rules

SEEDS = ["rh", "sara", "laila", "imane", "douae", "jamila"]
WEAK = {"warfarin", "acth", "aluminium_hydroxide", "probenecid", "ceftriaxone"}


# --- seed cases -----------------------------------------------------------------------

def test_rh_bisphosphonates_carry_the_hypocalcaemia_caution(library):
    rec = from_seed(library, "rh")
    assert "pamidronate_low_calcium" in caution_ids(rec, "pamidronate")
    assert "alendronate_low_calcium" in caution_ids(rec, "alendronate")


def test_rh_acth_is_excluded_for_osteoporosis_and_carries_the_steroid_toxicity_caution(library):
    rec = from_seed(library, "rh")
    acth = option(rec, "acth")
    assert acth in rec.excluded
    assert "osteoporosis" in acth.reason
    assert acth.excluded[0].facts == {"steroid_toxicity": "osteoporosis"}
    assert "acth_same_steroid_toxicity" in caution_ids(rec, "acth")
    # the authors' first-line choice is kept, with its reference, in the notes shown
    assert any("iraq_case_report" in n.refs for n in acth.therapy.notes)
    assert "iraq_case_report" in acth.references()


def test_rh_infection_comes_before_escalating_immunosuppression(library):
    rec = from_seed(library, "rh")
    for therapy in ("methotrexate", "systemic_corticosteroid", "infliximab", "jak_inhibitor"):
        assert "infection_first" in rules(rec, therapy)
    assert "steroid_toxicity_avoid" in rules(rec, "systemic_corticosteroid")


def test_imane_diltiazem_ranks_above_pamidronate_that_did_not_help(library):
    rec = from_seed(library, "imane")
    ids = ranked_ids(rec)
    assert ids.index("diltiazem") < ids.index("pamidronate")
    prior = next(e for e in option(rec, "pamidronate").contributions if e.rule == "prior_none")
    assert prior.points < 0
    assert prior.facts == {"prior_treatments": "pamidronate (response none)"}
    assert "pamidronate (response none) → -3" in prior.text()


def test_sara_idiopathic_localised_painful_lesions_excision_first(library):
    rec = from_seed(library, "sara")
    assert ranked_ids(rec)[0] == "surgical_excision"
    assert "localized_symptomatic" in rules(rec, "surgical_excision")
    assert "idiopathic_no_disease" in rules(rec, "systemic_corticosteroid")


def test_laila_active_jdm_disease_control_first(library):
    rec = from_seed(library, "laila")
    assert set(ranked_ids(rec)[:2]) == {"systemic_corticosteroid", "methotrexate"}
    control = next(e for e in option(rec, "methotrexate").contributions
                   if e.rule == "active_disease_control")
    assert control.facts == {"diagnosis": "jdm", "ck": "750 U/L", "esr": "44 mm/h"}


def test_jamila_biologics_excluded_with_that_reason(library):
    rec = from_seed(library, "jamila")
    for therapy in ("infliximab", "jak_inhibitor", "abatacept", "rituximab", "ivig"):
        assert option(rec, therapy).reason == "Biologics are not available here."


@pytest.mark.parametrize("case", SEEDS)
def test_no_option_disappears_without_a_reason(library, case):
    rec = from_seed(library, case)
    assert len(rec.ranking) + len(rec.excluded) == len(library.knowledge.therapies)
    assert all(o.reason for o in rec.excluded)
    for o in rec.ranking:
        assert o.contributions, o.therapy.id
        assert o.score == sum(e.points for e in o.contributions)


@pytest.mark.parametrize("case", SEEDS)
def test_ties_break_on_baseline_then_id(library, case):
    ranking = from_seed(library, case).ranking
    keys = [(-o.score, -o.baseline, o.therapy.id) for o in ranking]
    assert keys == sorted(keys)


# --- weak evidence --------------------------------------------------------------------

def test_weak_or_contrary_evidence_ranks_last(library):
    assert set(ranked_ids(from_answers(library))[-len(WEAK):]) == WEAK


def test_weak_evidence_stays_below_the_best_supported_whatever_else(library):
    everything = from_answers(library, calcinosis_ulcerated=True, calcinosis_pattern="mixed",
                              steroid_toxicity=["none"], prior_treatments="none", age_years=14)
    floor = min(option(everything, t).score for t in ("pamidronate", "diltiazem"))
    assert all(option(everything, t).score < floor for t in WEAK)


# --- cautions and exclusions ----------------------------------------------------------

def test_minocycline_under_8(library):
    rec = from_answers(library, age_years=6)
    assert "minocycline_under_8" in caution_ids(rec, "minocycline")
    assert "minocycline_under_8" in rules(rec, "minocycline")
    assert "minocycline_under_8" not in caution_ids(from_answers(library), "minocycline")


def test_probenecid_excluded_under_2(library):
    rec = from_answers(library, age_years="18 months")
    assert option(rec, "probenecid") in rec.excluded
    assert "under 2 years" in option(rec, "probenecid").reason


@pytest.mark.parametrize(("therapy", "caution"), [
    ("probenecid", "probenecid_renal"), ("aluminium_hydroxide", "aluminium_renal"),
    ("pamidronate", "pamidronate_renal"), ("alendronate", "alendronate_renal"),
    ("sodium_thiosulfate_iv", "sts_iv_renal")])
def test_low_egfr_cautions(library, therapy, caution):
    assert caution in caution_ids(from_answers(library, egfr=25), therapy)
    assert caution not in caution_ids(from_answers(library), therapy)


def test_unknown_egfr_is_reported_as_not_checked(library):
    rec = from_answers(library, egfr="unknown")
    note = next(n for n in option(rec, "pamidronate").cautions if n.id == "pamidronate_renal")
    assert note.missing == ("egfr",)
    assert note.text().startswith("not checked: egfr unknown")
    assert note.to_json()["checked"] is False


@pytest.mark.parametrize("changes", [{"calcium": "2.0 mmol/L"}, {"vitamin_d": 12}])
def test_low_calcium_or_vitamin_d_before_bisphosphonates(library, changes):
    rec = from_answers(library, **changes)
    assert "pamidronate_low_calcium" in caution_ids(rec, "pamidronate")
    assert "alendronate_low_calcium" in caution_ids(rec, "alendronate")


def test_dysphagia_and_oral_alendronate(library):
    rec = from_answers(library, red_flags=["dysphagia"])
    assert "alendronate_dysphagia" in caution_ids(rec, "alendronate")


def test_probenecid_with_current_methotrexate(library):
    rec = from_answers(library)
    assert "probenecid_methotrexate" in caution_ids(rec, "probenecid")
    assert "probenecid_with_methotrexate" in rules(rec, "probenecid")


@pytest.mark.parametrize("drug", ["ciclosporin", "tacrolimus", "colchicine"])
def test_diltiazem_interactions(library, drug):
    treatments = [{"drug": drug, "response": "partial", "side_effects": "none", "current": True}]
    rec = from_answers(library, prior_treatments=treatments)
    assert "diltiazem_interactions" in caution_ids(rec, "diltiazem")


def test_steroid_toxicity_avoids_more_steroid(library):
    rec = from_answers(library, steroid_toxicity=["osteonecrosis"])
    assert "steroid_toxicity_avoid" in rules(rec, "systemic_corticosteroid")
    assert "steroid_sparing" in rules(rec, "methotrexate")
    assert "acth_same_steroid_toxicity" in caution_ids(rec, "acth")
    assert option(rec, "acth") in rec.ranking
    hypertension = from_answers(library, steroid_toxicity=["hypertension"])
    assert option(hypertension, "acth") in hypertension.excluded


def test_no_iv_access_excludes_iv_only_options(library):
    rec = from_answers(library, iv_access=False)
    for therapy in ("pamidronate", "ivig", "sodium_thiosulfate_iv", "ceftriaxone"):
        assert option(rec, therapy).reason.startswith("No IV access")
    assert option(rec, "infliximab") in rec.ranking     # adalimumab is subcutaneous


def test_biologics_unknown_is_reported_as_not_checked(library):
    rec = from_answers(library)
    note = next(n for n in option(rec, "infliximab").cautions if n.id == "no_biologics")
    assert note.missing == ("biologics_available",)


def test_prior_good_response_is_noted_and_none_lowers(library):
    def with_diltiazem(response: str):
        treatments = [{"drug": "diltiazem", "response": response, "side_effects": "none",
                       "current": False}]
        return option(from_answers(library, prior_treatments=treatments), "diltiazem")
    good, none = with_diltiazem("good"), with_diltiazem("none")
    assert "prior_good" in {e.rule for e in good.contributions}
    assert none.score < good.score


# --- doses ----------------------------------------------------------------------------

def test_dose_for_this_child_from_weight(library):
    rec = from_answers(library, weight_kg=28)
    first = option(rec, "diltiazem").doses[0]
    assert first.for_child == "56–112 mg per day for 28 kg"
    assert option(from_answers(library, weight_kg="unknown"), "diltiazem").doses[0].note \
        == "weight unknown: shown as published"


def test_dose_never_above_the_published_maximum():
    dose = Dose(text="2-4 mg/kg/day", population="test", refs=("r",),
                numbers=DoseNumbers(low=2, high=4, unit="mg", per="kg", interval="day", max=100))
    computed = for_child(dose, 40.0)
    assert computed.for_child == "80–100 mg per day for 40 kg"
    assert computed.note == "capped at the published maximum of 100 mg per day"
    assert for_child(dose, 10.0).note is None


def test_per_m2_dose_is_shown_as_published(library):
    dose = option(from_answers(library), "methotrexate").doses[0]
    assert dose.for_child is None and "body-surface area" in dose.note


# --- determinism and data errors ------------------------------------------------------

@pytest.mark.parametrize("case", SEEDS)
def test_same_facts_same_bytes(library, case):
    first = json.dumps(from_seed(library, case).to_json(), ensure_ascii=False)
    assert first == json.dumps(from_seed(library, case).to_json(), ensure_ascii=False)


def test_unknown_therapy_or_reference_in_a_rule_fails_with_file_and_line(root_copy):
    path = root_copy / "knowledge" / "ranking.yaml"
    text = path.read_text().replace("therapies: [pamidronate]\n", "therapies: [pamidronat]\n", 1)
    text = text.replace("refs: [taborn_1978]", "refs: [taborn_1979]", 1)
    path.write_text(text)
    with pytest.raises(LoadError) as err:
        load(root_copy)
    message = str(err.value)
    assert "knowledge/ranking.yaml:" in message
    assert "evidence_pamidronate.therapies: unknown therapy 'pamidronat'" in message
    assert "evidence_colchicine.refs: unknown reference 'taborn_1979'" in message


def test_rule_on_an_unknown_question_or_bad_level_fails(root_copy):
    path = root_copy / "knowledge" / "triage.yaml"
    data = yaml.safe_load(path.read_text())
    data["rules"][0]["when"] = {"question": "serum_magnesium", "below": 1}
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(LoadError, match="infected_lesion_fever.when: unknown question 'serum_magnesium'"):
        load(root_copy)
    data["rules"][0]["level"] = "asap"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(LoadError, match=r"knowledge/triage.yaml:\d+: rules\[0\].level"):
        load(root_copy)

"""The clinical pathway: stages, roles, lines of therapy, cautions, doses, explanations.

Each pattern the clinical review found (issue "Clinical reasoning v2") has a test here;
the published and constructed cases (``knowledge/cases``, ``tests/cases``) check whole
results against the literature.
"""

from __future__ import annotations

import json

import pytest
import yaml

from assistant.engine.dosing import body_surface_area, for_child
from assistant.engine.errors import LoadError
from assistant.engine.library import load
from assistant.engine.schema import Dose, DoseNumbers
from tests.support.recommending import (
    caution_ids,
    excluded_ids,
    from_answers,
    from_seed,
    option,
    ranked_ids,
)

SEEDS = ["rh", "sara", "laila", "imane", "douae", "jamila"]
IMMUNOSUPPRESSION = {"systemic_corticosteroid", "methotrexate", "mycophenolate", "ciclosporin",
                     "infliximab", "jak_inhibitor", "abatacept", "rituximab", "ivig", "acth"}
INACTIVE = {"muscle_weakness": "none", "skin_activity": "inactive", "ck": 90, "cmas": 50,
            "mmt8": 80, "physician_global": 0}


def roles_of(rec, n: int = 3) -> list[str]:
    return [o.role for o in rec.ranking[:n]]


# --- the seed expectations ------------------------------------------------------------------

def test_rh_infection_first_and_escalation_waits(library):
    rec = from_seed(library, "rh")
    assert rec.triage.level == "urgent"
    assert ranked_ids(rec)[0] == "infection_management"
    control = next(g for g in rec.groups if g.id == "disease_control")
    assert control.status == "deferred"
    # the steroid she is on is optimised; it carries her steroid toxicity as a major caution
    steroid = option(rec, "systemic_corticosteroid")
    assert steroid.place == "optimise"
    assert "steroid_toxicity_present" in caution_ids(rec, "systemic_corticosteroid")
    # ACTH is not for her: osteoporosis is a listed contraindication
    acth = option(rec, "acth")
    assert acth in rec.excluded and "osteoporosis" in acth.reason
    assert any("iraq_case_report" in n.refs for n in acth.therapy.notes)


def test_imane_diltiazem_above_pamidronate_that_did_not_help(library):
    rec = from_seed(library, "imane")
    ids = ranked_ids(rec)
    assert ids.index("diltiazem") < ids.index("pamidronate")
    pamidronate = option(rec, "pamidronate")
    assert pamidronate.place == "tried"
    assert "pamidronate (no response" in pamidronate.why[-1].facts["prior_treatments"]
    assert option(rec, "diltiazem").place == "first"


def test_sara_idiopathic_localised_painful_lesions_excision_first(library):
    rec = from_seed(library, "sara")
    assert ranked_ids(rec)[0] == "surgical_excision"
    assert rec.step("scope").value == "idiopathic" and rec.step("lesion").value == "discrete"
    assert IMMUNOSUPPRESSION <= excluded_ids(rec)


def test_laila_active_jdm_disease_control_first(library):
    rec = from_seed(library, "laila")
    assert set(ranked_ids(rec)[:2]) == {"systemic_corticosteroid", "methotrexate"}
    assert rec.step("activity").value == "active"
    assert rec.step("activity").reason.facts["ck"] == "750 U/L"


def test_jamila_on_steroid_alone_adds_methotrexate_and_biologics_are_excluded(library):
    rec = from_seed(library, "jamila")
    assert ranked_ids(rec)[0] == "methotrexate"
    assert option(rec, "systemic_corticosteroid").place == "optimise"
    for therapy in ("infliximab", "abatacept", "rituximab", "ivig"):
        assert option(rec, therapy).reason == "Biologics are not available here."
    # a JAK inhibitor is an oral small molecule, not a biologic
    assert option(rec, "jak_inhibitor") in rec.ranking


@pytest.mark.parametrize("case", SEEDS)
def test_no_option_disappears_without_a_reason(library, case):
    rec = from_seed(library, case)
    shown = {o.therapy.id for o in rec.ranking + rec.excluded}
    absent_roles = {g.id for g in rec.groups} ^ {r.id for r in library.knowledge.pathway.roles}
    may_be_absent = {t.id for t in library.knowledge.therapies.values()
                     if t.role in absent_roles or any(row.then == "absent" for row in t.fit)}
    # only options whose role is absent for this child, or whose fit says they are not relevant
    assert set(library.knowledge.therapies) - shown <= may_be_absent
    assert all(o.reason for o in rec.excluded)
    assert all(o.why for o in rec.ranking)


@pytest.mark.parametrize("case", SEEDS)
def test_ties_are_shown_as_ties(library, case):
    ranking = from_seed(library, case).ranking
    assert [o.rank for o in ranking] == sorted(o.rank for o in ranking)
    for before, after in zip(ranking, ranking[1:], strict=False):
        assert (before.rank == after.rank) == (before.tied and after.tied and
                                               before.rank == after.rank)


# --- 1. no immunosuppression for calcinosis without inflammatory disease ---------------------

def test_inactive_jdm_with_progressing_calcinosis_gets_no_new_immunosuppression(library):
    rec = from_answers(library, **INACTIVE, calcinosis_progressing=True,
                       steroid_toxicity=["none"],
                       prior_treatments=[{"drug": "methotrexate", "response": "good",
                                          "duration": "over_6_months", "side_effects": "none",
                                          "current": True}])
    assert rec.step("activity").value == "inactive"
    assert rec.step("activity").row == "printo_inactive"
    assert "disease_control" not in roles_of(rec)
    assert option(rec, "methotrexate").place == "continue"
    for therapy in ("systemic_corticosteroid", "ivig", "infliximab", "jak_inhibitor"):
        assert therapy in excluded_ids(rec), therapy
        assert "Inactive disease" in option(rec, therapy).reason


def test_new_lesions_alone_do_not_make_the_disease_active(library):
    rec = from_answers(library, muscle_weakness="unknown", skin_activity="unknown", ck="unknown",
                       calcinosis_progressing=True, esr="30 mm/h")
    assert rec.step("activity").value == "uncertain"
    assert option(rec, "activity_assessment").place == "first"


@pytest.mark.parametrize("diagnosis, scope", [("idiopathic", "idiopathic"),
                                              ("renal_metabolic", "metabolic"),
                                              ("tumoral_calcinosis", "genetic"),
                                              ("other", "undetermined")])
def test_no_immunosuppression_outside_connective_tissue_disease(library, diagnosis, scope):
    rec = from_answers(library, diagnosis=diagnosis, muscle_weakness=None, skin_activity=None,
                       cmas=None, mmt8=None, physician_global=None)
    assert rec.step("scope").value == scope
    assert IMMUNOSUPPRESSION <= excluded_ids(rec)
    assert "disease_control" not in {o.role for o in rec.ranking}


def test_a_past_partial_steroid_response_does_not_lift_escalation_in_inactive_disease(library):
    rec = from_answers(library, **INACTIVE,
                       prior_treatments=[{"drug": "prednisolone", "response": "partial",
                                          "duration": "over_6_months", "side_effects": "none",
                                          "current": False}])
    assert {"ivig", "infliximab"} <= excluded_ids(rec)


# --- 2. treatment history decides the line of therapy ---------------------------------------

def test_already_on_methotrexate_with_partial_response_is_optimised_and_escalated(library):
    rec = from_answers(library)   # the base child: prednisolone and MTX partial for > 6 months
    mtx = option(rec, "methotrexate")
    assert mtx.place == "optimise"
    assert ranked_ids(rec)[0] != "methotrexate"
    assert {option(rec, t).place for t in ("ivig", "mycophenolate", "ciclosporin")} == {"first"}
    line = next(r for r in option(rec, "ivig").why if r.text.startswith("Line 2"))
    assert "line 1 done" in line.text and "methotrexate" in line.text


def test_under_three_months_is_too_early_to_escalate(library):
    items = [{"drug": "methotrexate", "response": "partial", "duration": "under_3_months",
              "side_effects": "none", "current": True}]
    rec = from_answers(library, prior_treatments=items)
    assert option(rec, "methotrexate").place == "continue"
    assert option(rec, "systemic_corticosteroid").place == "first"   # completes induction
    assert option(rec, "ivig").place == "later"


def test_failed_diltiazem_and_pamidronate_move_the_next_calcinosis_line_up(library):
    items = [{"drug": drug, "response": "none", "duration": "over_6_months",
              "side_effects": "none", "current": False} for drug in ("diltiazem", "pamidronate")]
    rec = from_answers(library, **INACTIVE, calcinosis_pattern="mixed", prior_treatments=items)
    assert option(rec, "diltiazem").place == option(rec, "pamidronate").place == "tried"
    assert option(rec, "sodium_thiosulfate_iv").place == "first"
    assert ranked_ids(rec).index("sodium_thiosulfate_iv") < ranked_ids(rec).index("diltiazem")


def test_a_class_named_alone_counts_as_a_trial(library):
    items = [{"drug": "corticosteroids", "response": "partial", "duration": "over_6_months",
              "side_effects": "none", "current": True}]
    rec = from_answers(library, prior_treatments=items)
    assert option(rec, "systemic_corticosteroid").place == "optimise"
    assert ranked_ids(rec)[0] == "methotrexate"


# --- 3. contraindications change the order --------------------------------------------------

def test_hypocalcaemic_child_on_dialysis_gets_no_bisphosphonate(library):
    rec = from_answers(library, diagnosis="renal_metabolic", calcinosis_context=["dialysis"],
                       calcium="1.8 mmol/L", egfr=8, muscle_weakness=None, skin_activity=None,
                       cmas=None, mmt8=None, physician_global=None)
    assert {"pamidronate", "alendronate", "methotrexate"} <= excluded_ids(rec)
    assert roles_of(rec, 1) == ["metabolic"]
    assert ranked_ids(rec)[0] == "calcium_vitamin_d_correction"


def test_major_cautions_rank_an_option_below_its_peers(library):
    rec = from_answers(library, **INACTIVE, calcinosis_pattern="mixed", egfr=45,
                       prior_treatments="none")
    # pamidronate (renal caution) drops below diltiazem in the same line
    ids = ranked_ids(rec)
    assert option(rec, "pamidronate").place == option(rec, "diltiazem").place == "first"
    assert ids.index("diltiazem") < ids.index("pamidronate")


@pytest.mark.parametrize(("changes", "therapy", "caution"), [
    ({"egfr": 25}, "methotrexate", "methotrexate_severe_renal"),
    ({"egfr": 45}, "methotrexate", "methotrexate_renal"),
    ({"egfr": 45}, "colchicine", "colchicine_renal"),
    ({"diagnosis": "lupus"}, "infliximab", "infliximab_lupus"),
    ({}, "alendronate", "alendronate_paediatric"),
    ({"age_years": 3}, "colchicine", "colchicine_age"),
    ({"egfr": 25}, "probenecid", "probenecid_renal"),
    ({"egfr": 25}, "aluminium_hydroxide", "aluminium_renal"),
    ({"egfr": 25}, "pamidronate", "pamidronate_renal"),
    ({"egfr": 25}, "alendronate", "alendronate_renal"),
    ({"egfr": 25}, "sodium_thiosulfate_iv", "sts_iv_renal"),
])
def test_cautions_the_review_found_missing_are_there(library, changes, therapy, caution):
    assert caution in caution_ids(from_answers(library, **changes), therapy)


def test_severe_renal_impairment_excludes_methotrexate(library):
    rec = from_answers(library, egfr=25)
    assert "methotrexate" in excluded_ids(rec)
    assert "severe renal impairment" in option(rec, "methotrexate").reason


def test_minocycline_under_8_and_probenecid_under_2_are_not_offered(library):
    assert "minocycline" in excluded_ids(from_answers(library, age_years=6))
    assert "minocycline" not in excluded_ids(from_answers(library, age_years=13))
    rec = from_answers(library, age_years="18 months")
    assert "under 2 years" in option(rec, "probenecid").reason


def test_unknown_egfr_is_reported_as_not_checked(library):
    rec = from_answers(library, egfr="unknown")
    note = next(n for n in option(rec, "pamidronate").cautions if n.id == "pamidronate_renal")
    assert note.missing == ("egfr",)
    assert note.text(library.vocabulary).startswith("not checked (eGFR unknown)")


@pytest.mark.parametrize("changes", [{"calcium": "2.0 mmol/L"}, {"age_years": 13, "calcium": 8.4}])
def test_low_calcium_for_age_excludes_bisphosphonates_until_corrected(library, changes):
    rec = from_answers(library, **changes)
    assert {"pamidronate", "alendronate"} <= excluded_ids(rec)
    assert option(rec, "calcium_vitamin_d_correction").place == "first"


def test_low_vitamin_d_is_a_major_caution_not_an_exclusion(library):
    rec = from_answers(library, vitamin_d=12)
    assert "pamidronate_low_vitamin_d" in caution_ids(rec, "pamidronate")
    assert "pamidronate" not in excluded_ids(rec)


def test_no_iv_access_excludes_iv_only_options(library):
    rec = from_answers(library, iv_access=False)
    for therapy in ("pamidronate", "ivig", "sodium_thiosulfate_iv", "ceftriaxone"):
        assert option(rec, therapy).reason.startswith("No IV access")
    assert option(rec, "infliximab") in rec.ranking     # adalimumab is subcutaneous


def test_biologics_unknown_is_reported_as_not_checked(library):
    rec = from_answers(library)
    note = next(n for n in option(rec, "infliximab").cautions if n.id == "no_biologics")
    assert note.missing == ("biologics_available",)


@pytest.mark.parametrize("drug", ["ciclosporin", "tacrolimus", "colchicine"])
def test_diltiazem_interactions(library, drug):
    treatments = [{"drug": drug, "response": "partial", "duration": "unknown",
                   "side_effects": "none", "current": True}]
    rec = from_answers(library, prior_treatments=treatments)
    assert "diltiazem_interactions" in caution_ids(rec, "diltiazem")


def test_probenecid_with_current_methotrexate(library):
    assert "probenecid_methotrexate" in caution_ids(from_answers(library), "probenecid")


def test_steroid_toxicity_and_acth(library):
    rec = from_answers(library, steroid_toxicity=["osteonecrosis"])
    assert "steroid_toxicity_present" in caution_ids(rec, "systemic_corticosteroid")
    assert "acth_same_steroid_toxicity" in caution_ids(rec, "acth")
    assert option(rec, "acth") in rec.ranking
    hypertension = from_answers(library, steroid_toxicity=["hypertension"])
    assert option(hypertension, "acth") in hypertension.excluded


def test_warfarin_is_never_offered(library):
    for case in SEEDS:
        assert "warfarin" in excluded_ids(from_seed(library, case))


# --- 4. infection ------------------------------------------------------------------------

def test_an_abscess_on_methotrexate_and_steroid_comes_first_and_is_urgent(library):
    rec = from_answers(library, calcinosis_infected=True)
    assert rec.triage.level == "urgent"
    assert ranked_ids(rec)[0] == "infection_management"
    assert next(g for g in rec.groups if g.id == "disease_control").status == "deferred"
    assert "diltiazem" not in ranked_ids(rec)[:2]


def test_a_very_high_crp_asks_for_infection_to_be_looked_for(library):
    rec = from_answers(library, crp=120)
    assert rec.step("infection").value == "suspected"
    assert ranked_ids(rec)[0] == "infection_management"


def test_infection_role_is_absent_without_infection(library):
    assert "infection_management" not in ranked_ids(from_answers(library))


# --- 5. lesions -------------------------------------------------------------------------

def test_a_single_huge_necrotic_mass_with_a_sinus_is_excised(library):
    rec = from_answers(library, diagnosis="idiopathic", muscle_weakness=None, skin_activity=None,
                       cmas=None, mmt8=None, physician_global=None, calcinosis_pattern="tumoral",
                       calcinosis_extent="localized", lesion_size_cm=15,
                       lesion_necrosis_sinus=True, calcinosis_painful=False)
    assert rec.step("lesion").value == "complicated"
    assert ranked_ids(rec)[0] == "surgical_excision"


def test_ulceration_over_a_deep_tumoral_mass_does_not_favour_topical_thiosulfate(library):
    rec = from_answers(library, **INACTIVE, calcinosis_pattern="tumoral",
                       calcinosis_extent="localized", calcinosis_ulcerated=True)
    assert "sodium_thiosulfate_topical" in excluded_ids(rec)
    assert ranked_ids(rec)[0] == "surgical_excision"


def test_superficial_ulcerated_lesions_in_quiet_disease_favour_topical_thiosulfate(library):
    rec = from_answers(library, **INACTIVE, calcinosis_pattern="superficial",
                       calcinosis_ulcerated=True, calcinosis_painful=False)
    assert option(rec, "sodium_thiosulfate_topical").place == "first"
    assert roles_of(rec, 1) == ["local"]


def test_excision_is_not_for_diffuse_calcinosis_and_waits_in_active_disease(library):
    diffuse = from_answers(library, calcinosis_extent="diffuse")
    assert "surgical_excision" in excluded_ids(diffuse)
    active_discrete = from_answers(library, calcinosis_extent="localized")
    assert active_discrete.step("lesion").value == "discrete"
    assert next(g for g in active_discrete.groups if g.id == "local").status == "indicated"
    assert ranked_ids(active_discrete)[0] != "surgical_excision"


# --- 6. metabolic, renal and genetic calcinosis ------------------------------------------

def test_hyperphosphataemic_tumoral_calcinosis_is_treated_through_phosphate(library):
    rec = from_answers(library, diagnosis="tumoral_calcinosis", muscle_weakness=None,
                       skin_activity=None, cmas=None, mmt8=None, physician_global=None,
                       phosphate="2.4 mmol/L", age_years=12, prior_treatments="none")
    assert rec.step("scope").value == "genetic"
    assert roles_of(rec, 1) == ["metabolic"]
    assert option(rec, "phosphate_control").place == "first"
    assert {"diltiazem", "pamidronate"} <= excluded_ids(rec)


# --- 7. unknowns are explicit ------------------------------------------------------------

def test_gaps_and_what_would_change_are_computed(library):
    from assistant.engine.recommend import what_would_change

    result = from_seed(library, "laila")
    changes = what_would_change(result.facts, library)
    gaps = {g.subject: g for g in changes.gaps}
    # whether a lesion is infected is not recorded, and would change the level
    assert "triage level" in gaps["calcinosis_infected"].could_change
    infected = next(c for c in changes.level if c.subject == "calcinosis_infected")
    assert (infected.alternative, infected.now) == ("yes", "unknown")
    assert infected.effect == "level routine → soon"    # no immunosuppression: within days
    assert changes.options[ranked_ids(result)[0]]  # something would move the first option


def test_uncertain_activity_says_what_would_decide_it(library):
    from assistant.engine.recommend import what_would_change

    rec = from_answers(library, muscle_weakness="unknown", skin_activity="unknown", ck="unknown")
    changes = what_would_change(rec.facts, library)
    deciders = {c.subject for c in changes.stages["activity"]}
    assert {"muscle_weakness", "skin_activity", "ck"} <= deciders


# --- 8. doses ------------------------------------------------------------------------------

def test_prednisone_is_capped_at_its_published_maximum(library):
    rec = from_answers(library, weight_kg=60, steroid_toxicity=["none"])
    oral = next(d for d in option(rec, "systemic_corticosteroid").doses if "oral" in d.text)
    assert oral.for_child == "60 mg per day for 60 kg"
    assert oral.note == "capped at the published maximum of 60 mg per day"


def test_per_m2_dose_uses_height_or_says_it_needs_it(library):
    dose = option(from_answers(library, weight_kg=28, height_cm=132), "methotrexate").doses[0]
    bsa = body_surface_area(132, 28)
    assert dose.for_child == (f"{round(15 * bsa, 2):g}–{round(20 * bsa, 2):g} mg per week for "
                              f"{round(bsa, 2):g} m² (Mosteller, 132 cm, 28 kg)")
    missing = option(from_answers(library, height_cm="unknown"), "methotrexate").doses[0]
    assert missing.for_child is None and missing.note.startswith("needs height")


def test_dose_never_above_the_published_maximum():
    dose = Dose(text="2-4 mg/kg/day", population="test", refs=("r",),
                numbers=DoseNumbers(low=2, high=4, unit="mg", per="kg", interval="day", max=100))
    computed = for_child(dose, 40.0)
    assert computed.for_child == "80–100 mg per day for 40 kg"
    assert computed.note == "capped at the published maximum of 100 mg per day"
    assert for_child(dose, 10.0).note is None


def test_a_per_kg_dose_without_a_published_maximum_is_not_computed(library):
    dose = option(from_answers(library, weight_kg=28), "diltiazem").doses[0]
    assert dose.for_child is None and "no published maximum" in dose.note


# --- determinism and data errors ------------------------------------------------------------

@pytest.mark.parametrize("case", SEEDS)
def test_same_facts_same_bytes(library, case):
    first = json.dumps(from_seed(library, case).to_json(), ensure_ascii=False)
    assert first == json.dumps(from_seed(library, case).to_json(), ensure_ascii=False)


def test_unknown_therapy_or_reference_in_the_pathway_fails_with_file_and_line(root_copy):
    path = root_copy / "knowledge" / "pathway" / "roles.yaml"
    text = path.read_text().replace("therapies: [diltiazem, pamidronate]",
                                    "therapies: [diltiazem, pamidronat]", 1)
    text = text.replace("refs: [robertson_2003, harel_2001", "refs: [robertson_2004, harel_2001", 1)
    path.write_text(text)
    with pytest.raises(LoadError) as err:
        load(root_copy)
    message = str(err.value)
    assert "knowledge/pathway/roles.yaml:" in message
    assert "unknown therapy 'pamidronat'" in message
    assert "unknown reference 'robertson_2004'" in message


def test_a_decision_outside_the_table_values_fails(root_copy):
    path = root_copy / "knowledge" / "pathway" / "stages.yaml"
    path.write_text(path.read_text().replace("then: uncertain", "then: unsure", 1))
    with pytest.raises(LoadError, match="'unsure' is not one of: active, inactive, uncertain"):
        load(root_copy)


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

"""Graded evidence and review dates: every rule carries a level and a strength, the result
and the report show them, and each file of clinical logic is dated and checked for review."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.engine.check import check
from tests.engine.test_load_errors import problems
from tests.support.files import line_of, replace_in
from tests.support.recommending import from_seed, option


def test_a_row_without_a_level_fails_with_its_place(root_copy):
    roles = root_copy / "knowledge" / "pathway" / "roles.yaml"
    text = roles.read_text()
    start = text.index("      - id: infection_present")
    cut = text.index("        evidence_level: 5\n", start)
    roles.write_text(text[:cut] + text[cut + len("        evidence_level: 5\n"):])
    message = problems(root_copy)
    assert f"knowledge/pathway/roles.yaml:{line_of(roles, '- id: infection_present')}: " \
           "roles[0].status[0]: Object missing required field 'evidence_level'" in message


def test_an_unknown_strength_is_refused(root_copy):
    triage = root_copy / "knowledge" / "triage.yaml"
    text = triage.read_text()
    start = text.index("  - id: dysphagia")
    at = text.index("    strength: expert_opinion", start)
    old = "    strength: expert_opinion"
    triage.write_text(text[:at] + "    strength: very_strong" + text[at + len(old):])
    message = problems(root_copy)
    assert f"knowledge/triage.yaml:{line_of(triage, 'very_strong')}: rules[1].strength:" in message


def test_a_missing_review_date_fails_the_check(root_copy):
    path = root_copy / "knowledge" / "therapies" / "colchicine.yaml"
    replace_in(path, "review_by: 2027-11-22\n", "")
    found = check(root_copy).problems
    assert any("knowledge/therapies/colchicine.yaml:1: Object missing required field 'review_by'"
               in p for p in found)
    table = root_copy / "knowledge" / "pathway" / "stages.yaml"
    replace_in(table, "reviewed: 2026-11-22\n", "")
    assert any("knowledge/pathway/stages.yaml:" in p and "'reviewed'" in p
               for p in check(root_copy).problems)


def test_review_by_must_follow_reviewed(root_copy):
    path = root_copy / "knowledge" / "labs.yaml"
    replace_in(path, "review_by: 2027-11-22", "review_by: 2025-01-01")
    assert f"knowledge/labs.yaml:{line_of(path, 'reviewed:')}: review_by must be after reviewed" \
        in problems(root_copy)


def test_an_overdue_review_is_a_warning_not_a_failure(root_copy):
    path = root_copy / "knowledge" / "therapies" / "probenecid.yaml"
    replace_in(path, "reviewed: 2026-11-22\nreview_by: 2027-11-22",
               "reviewed: 2025-11-01\nreview_by: 2026-11-01")
    found = check(root_copy, today=date(2026, 11, 22))
    assert found.problems == []
    assert found.warnings == ["knowledge/therapies/probenecid.yaml: review overdue (reviewed "
                              "2025-11-01, review by 2026-11-01)"]
    assert check(root_copy, today=date(2026, 10, 1)).warnings == []


def test_every_decision_in_the_json_carries_its_grade(library):
    data = from_seed(library, "rh").to_json()
    reasons = [s["why"] for s in data["pathway"]] + [r["why"] for r in data["roles"]]
    reasons += [w for o in data["ranking"] for w in o["why"]]
    assert reasons and all(r["evidence_level"] in range(1, 6) for r in reasons)
    assert all(r["strength"] in ("strong", "conditional", "expert_opinion") for r in reasons)
    assert all({"evidence_level", "strength", "graded"} <= set(f) for f in data["triage"]["flags"])
    active = next(r for r in data["roles"] if r["role"] == "disease_control")["why"]
    assert (active["evidence_level"], active["strength"]) == (5, "expert_opinion")


def test_the_result_carries_the_knowledge_version_and_date(library):
    rec = from_seed(library, "sara")
    assert rec.to_json()["knowledge"] == {"version": library.version.hash,
                                          "date": library.version.date}
    assert len(library.version.hash) == 12 and int(library.version.hash, 16) >= 0
    newest = max(r.reviewed for r in library.knowledge.reviews.values())
    assert library.version.date == newest.isoformat()


def test_the_report_shows_levels_strengths_and_the_sources_own_grade(library):
    from assistant.engine.report import option_markdown

    rec = from_seed(library, "laila")
    text = option_markdown(option(rec, "methotrexate"), library)
    assert "*[level 2, strong; SHARE 1B, A]*" in text
    assert "(consensus, level 2; graded SHARE 1B, A by the source)" in text


# --- citing: copies, secondary pages, papers known only through a seed ----------------------

def _set_url(root, ref_id: str, url: str) -> None:
    path = root / "knowledge" / "references.yaml"
    text = path.read_text()
    start = text.index(f"- id: {ref_id}\n")
    at = text.index("  url: ", start)
    end = text.index("\n", at)
    path.write_text(text[:at] + f'  url: "{url}"' + text[end:])


@pytest.mark.parametrize("url, message", [
    ("http://47.251.13.51:8081/31302187", "'47.251.13.51' is a raw-IP mirror"),
    ("https://uat.mimsdev.com/philippines/drug/info/binosto", "'uat.mimsdev.com' is a staging"),
    ("https://docslib.org/doc/123/x", "'docslib.org' is a staging or mirror copy"),
    ("https://archive.org/", "a bare archive.org address is not a source"),
])
def test_a_copy_is_not_a_source(root_copy, url, message):
    _set_url(root_copy, "traineau_2020", url)
    found = check(root_copy).problems
    assert any(p.startswith("knowledge/references.yaml:") and "traineau_2020.url: " in p
               and message in p for p in found)


def test_a_secondary_site_must_say_so(root_copy):
    _set_url(root_copy, "valenzuela_2016", "https://www.seekhealthz.com/health/x/")
    found = check(root_copy).problems
    assert any("valenzuela_2016.source: 'www.seekhealthz.com' is a secondary site" in p
               for p in found)


def test_a_paper_nobody_read_is_cited_with_its_seed(root_copy):
    path = root_copy / "knowledge" / "therapies" / "alendronate.yaml"
    replace_in(path, "  refs: [ambler_2005, iraq_case_report]", "  refs: [ambler_2005]")
    found = check(root_copy).problems
    assert any("alendronate.time_to_response: 'ambler_2005' is known only through "
               "'iraq_case_report'" in p for p in found)


def test_a_title_and_a_description_are_exclusive(root_copy):
    path = root_copy / "knowledge" / "references.yaml"
    replace_in(path, '  title: "Cutaneous Calcinosis in Pediatrics: Report of Five Cases"\n',
               '  title: "Cutaneous Calcinosis in Pediatrics: Report of Five Cases"\n'
               '  described_as: "a seed"\n')
    assert "give either title (as published) or described_as" in problems(root_copy)


def test_a_dose_not_to_follow_is_never_computed(root_copy):
    path = root_copy / "knowledge" / "therapies" / "pamidronate.yaml"
    replace_in(path, "    population: 10-year-old girl with JDM (Imane); no weight given\n",
               "    population: 10-year-old girl with JDM (Imane); no weight given\n"
               "    numbers: {low: 30, high: 30, unit: mg, interval: dose}\n")
    assert "a dose not to be followed has no numbers to compute" in problems(root_copy)


def test_the_report_says_what_was_not_read_and_what_not_to_follow(library):
    from assistant.engine.report import option_markdown

    rec = from_seed(library, "imane")
    text = option_markdown(option(rec, "pamidronate"), library)
    assert "(3 children with JDM calcinosis (Marco Puche 2010), as reported in Iraqi seed " \
           "case report)" in text
    assert "**not to be followed**: Read literally, 30 mg six times a month" in text
    listed = [line for line in text.splitlines() if line[:1].isdigit()]
    marco = next(line for line in listed if "Marco Puche A" in line)
    assert "title not seen" in marco and "Not read: known only as reported in [" in marco
    dose = next(d for d in option(rec, "pamidronate").doses if d.not_to_follow)
    assert dose.for_child is None and dose.to_json()["not_to_follow"].startswith("Read literally")


@pytest.mark.parametrize("age, calcium, low", [
    ("6 months", 8.9, True),       # infants: below 9.0 mg/dL
    (5, 8.9, False), (5, 8.7, True),  # children: below 8.8
    (14, 8.6, False), (14, 8.4, True),  # adolescents: below 8.5
])
def test_the_bisphosphonate_calcium_caution_follows_the_labs_age_bands(library, age, calcium, low):
    from tests.support.recommending import from_answers

    rec = from_answers(library, age_years=age, calcium=calcium)
    for therapy in ("pamidronate", "alendronate"):
        notes = {n.id for n in option(rec, therapy).excluded}
        assert (f"{therapy}_low_calcium" in notes) is low, (therapy, age, calcium)

"""Constructed variants (knowledge/variants): one fact of a published case changed, marked
as constructed, validated at load, and checked through the engine: the expectation holds
for the variant and fails for the published case."""

from __future__ import annotations

import pytest

from assistant.engine.cases import run_cases, run_variants
from assistant.engine.check import check
from assistant.engine.errors import LoadError
from assistant.engine.library import load
from assistant.engine.study import case_session, catalogue, grade, reveal_markdown
from tests.support.study import perfect


def test_every_variant_changes_what_it_says_and_is_run_with_the_corpus(library):
    results = run_variants(library)
    assert len(results) >= 4
    assert all(r.passed and r.source.startswith("constructed variant of ") for r in results)
    assert {r.id for r in results} <= {r.id for r in run_cases(library)}
    for variant in library.knowledge.variants.values():
        assert variant.constructed is True and "constructed" in variant.title


def test_a_variant_is_studied_as_a_constructed_case_with_no_authors_choice(library):
    study = catalogue(library)["sara_infected"]
    assert study.variant_of == "sara"
    case = study.case
    assert case.vignette.startswith("CONSTRUCTED VARIANT, not a published patient.")
    assert case.answers["calcinosis_infected"] is True and case.authors_choice == ()
    result = grade(case, case_session(case, library), perfect(case, library), library,
                   study.variant_of)
    assert result.score == 100 and result.assistant.triage.level == "soon"
    assert result.variant_of == "sara"
    text = reveal_markdown(result, library)
    assert "*A constructed variant, not a published patient" in text
    assert "The paper names no choice at this point." in text


def _variant_file(root, text):
    folder = root / "knowledge" / "variants"
    (folder / "bad.yaml").write_text(text, encoding="utf-8")


BASE = """id: sara_again
case: sara
constructed: true
title: "Variant (constructed)"
change: {calcinosis_infected: true}
vignette: "The elbow lesion is infected."
teaches: "Infection first."
refs: [valenzuela_2016]
expect: {why: "infection first", refs: [valenzuela_2016], level: soon}
"""


@pytest.mark.parametrize("change, message", [
    (("case: sara", "case: nobody"), "sara_again.case: unknown case 'nobody'"),
    (("constructed: true", "constructed: false"), "constructed"),
    (("refs: [valenzuela_2016]\nexpect", "refs: [made_up_2099]\nexpect"),
     "unknown reference 'made_up_2099'"),
])
def test_a_bad_variant_is_refused_at_load_with_its_file_and_field(root_copy, change, message):
    _variant_file(root_copy, BASE.replace(*change))
    library = load(root_copy)
    with pytest.raises(LoadError) as err:
        assert library.knowledge.variants is None
    assert "knowledge/variants/bad.yaml" in str(err.value) and message in str(err.value)


def test_a_variant_that_changes_nothing_it_checks_fails_the_check(root_copy):
    # Sara's published answers already give "routine": an expectation of routine holds for
    # the published case too, so the variant teaches nothing
    _variant_file(root_copy, BASE.replace("level: soon", "scope: idiopathic"))
    problems = check(root_copy).problems
    assert any("knowledge/variants/bad.yaml" in p and "as published too" in p for p in problems)


def test_a_variant_whose_change_does_not_replay_fails_the_check(root_copy):
    _variant_file(root_copy, BASE.replace("{calcinosis_infected: true}",
                                          "{calcinosis_infected: perhaps}"))
    problems = check(root_copy).problems
    assert any("calcinosis_infected" in p for p in problems)

"""The clinical case corpus: every published case (knowledge/cases) and constructed edge
case (tests/cases) must show the properties the literature expects of its result."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.engine.cases import run_cases
from tests.support.files import CONSTRUCTED


@pytest.fixture(scope="module")
def results(library):
    return {r.id: r for r in run_cases(library, [CONSTRUCTED])}


def test_the_corpus_is_large_and_covers_published_and_constructed_cases(results, library):
    published = [c for c in library.knowledge.cases.values() if c.expect is not None]
    assert len(published) >= 36   # 6 seeds and at least 30 published cases
    assert len(list(CONSTRUCTED.glob("*.yaml"))) >= 20
    assert all(r.checked >= 1 for r in results.values())


def test_every_case_shows_what_the_literature_expects(results):
    failed = {r.id: r.failures for r in results.values() if not r.passed}
    assert not failed


def test_a_wrong_expectation_fails_with_its_reason(library, tmp_path: Path):
    case = (CONSTRUCTED / "huge_necrotic_mass.yaml").read_text()
    (tmp_path / "wrong.yaml").write_text(case.replace("- surgical_excision", "- diltiazem"))
    [result] = run_cases(library, [tmp_path], published=False)
    assert not result.passed
    assert result.failures == ("first is Surgical excision of calcinosis, expected one of Diltiazem",)

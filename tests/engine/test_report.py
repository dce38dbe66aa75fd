"""The Markdown consult report: sections, citations, determinism."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from assistant.engine.replay import replay
from assistant.engine.report import consult_report
from tests.support.files import REPLAYS

WHEN = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


def report_for(library, case: str) -> str:
    result = replay(REPLAYS / f"{case}.yaml", library=library)
    return consult_report(result.recommendation(), result.session, result.library, WHEN)


def test_report_leads_with_a_summary_then_the_appendix(library):
    text = report_for(library, "rh")
    headings = [h for h in text.splitlines() if h.startswith(("# ", "## "))]
    assert headings == ["# Calcinosis triage: consult report",
                        "## Triage: URGENT: same-day hospital review (2 urgent · 4 soon)",
                        "## The pathway", "## First steps", "## Options by role",
                        "## Not for this child", "## Gaps and what would change", "## Answers",
                        "# Appendix: each option in detail", "## Not for this child, in detail",
                        "## References"]
    assert text.count("Decision support for clinicians, not a prescription") == 2
    version = library.version
    assert f"*2026-11-22 09:30 UTC · calcinosis-triage {library.app_version} · knowledge " \
           f"{version.hash} (reviewed to {version.date}) · dialog triage v2 · evidence levels: " \
           "Oxford CEBM 2011, 1 best to 5*" in text
    # the answers as typed, with the lab flag against the child's reference range
    assert "| Serum calcium (total)? | 8.78 mg/dL | low (reference 8.8–10.8 mg/dL) |" in text
    assert "- **ACTH (corticotropin" in text and "osteoporosis" in text
    first = text[text.index("## First steps"):text.index("## Options by role")]
    assert first.splitlines()[2].startswith("1. **Treat the infection")
    # labels, never internal ids, in what a clinician reads first
    summary = text[:text.index("# Appendix")]
    for internal in ("fever_infected_lesion", "muscle_weakness", "systemic_corticosteroid",
                     "not_indicated"):
        assert internal not in summary


@pytest.mark.parametrize("case", ["rh", "imane", "jamila"])
def test_every_citation_number_is_listed(library, case):
    text = report_for(library, case)
    listed = {int(n) for n in re.findall(r"^(\d+)\. ", text, re.MULTILINE)}
    groups = re.findall(r"\[(\d+(?:, \d+)*)\]", text)
    cited = {int(n) for group in groups for n in group.split(", ")}
    assert cited and cited == listed == set(range(1, len(listed) + 1))
    # within one citation the numbers are sorted
    assert all([int(n) for n in g.split(", ")] == sorted(int(n) for n in g.split(", "))
               for g in groups)


def test_every_first_step_and_exclusion_carries_its_references(library):
    text = report_for(library, "rh")
    first = text[text.index("## First steps"):text.index("## Options by role")]
    items = [line for line in first.splitlines() if re.match(r"\d+=?\. ", line)]
    assert items and all(re.search(r"\[\d+(, \d+)*\]$", line) for line in items)
    excluded = text[text.index("## Not for this child\n"):text.index("## Gaps")]
    assert all(re.search(r"\[\d+(, \d+)*\]$", line) for line in excluded.splitlines()
               if line.startswith("- "))


def test_report_is_deterministic(library):
    assert report_for(library, "laila") == report_for(library, "laila")


def test_recommend_from_the_package(library):
    import assistant

    facts = replay(REPLAYS / "laila.yaml", library=library).session.facts
    assert assistant.recommend(facts).to_json() == assistant.recommend(facts, library).to_json()

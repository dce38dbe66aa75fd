"""The Markdown consult report and the replay command's JSON and --report output."""

from __future__ import annotations

import json
import re

import pytest

from assistant.engine.replay import replay
from assistant.engine.report import consult_report

from .conftest import REPLAYS, run_triage


def report_for(library, case: str) -> str:
    result = replay(REPLAYS / f"{case}.yaml", library=library)
    return consult_report(result.recommendation(), result.session.facts, result.library)


def test_report_has_every_section_and_leads_with_the_triage(library):
    text = report_for(library, "rh")
    headings = [h for h in text.splitlines() if h.startswith("## ")]
    assert headings == ["## Facts", "## Triage: URGENT: same-day hospital review",
                        "## Ranked options", "## Rationale", "## Excluded options",
                        "## References"]
    assert text.count("Decision support for clinicians, not a prescription") == 2
    assert "| Serum calcium (total)? | 8.78 mg/dL |" in text
    assert "- **ACTH (corticotropin" in text and "osteoporosis" in text
    assert "### 1. Pamidronate (IV bisphosphonate) (score 5)" in text


@pytest.mark.parametrize("case", ["rh", "imane", "jamila"])
def test_every_citation_number_is_listed(library, case):
    text = report_for(library, case)
    listed = {int(n) for n in re.findall(r"^(\d+)\. ", text, re.M)}
    cited = {int(n) for group in re.findall(r"\[(\d+(?:, \d+)*)\]", text)
             for n in group.split(", ")}
    assert cited and cited == listed == set(range(1, len(listed) + 1))


def test_report_is_deterministic(library):
    assert report_for(library, "laila") == report_for(library, "laila")


def test_replay_json_and_report_from_the_command(tmp_path):
    out = tmp_path / "rh.md"
    done = run_triage("replay", str(REPLAYS / "rh.yaml"), "--json", "--report", str(out))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["triage"]["level"] == "urgent"
    flag = data["triage"]["flags"][0]
    assert set(flag) >= {"message", "facts", "level"}
    entry = data["ranking"][0]
    assert set(entry) >= {"therapy", "name", "score", "contributions", "cautions", "dose",
                          "references"}
    assert all(" → " in c["text"] for c in entry["contributions"])
    assert data["excluded"] == [] or set(data["excluded"][0]) >= {"therapy", "reason"}
    assert "not a prescription" in data["disclaimer"]
    assert out.read_text(encoding="utf-8").startswith("# Calcinosis triage: consult report")


def test_plain_replay_output_ends_with_triage_and_ranking():
    done = run_triage("replay", str(REPLAYS / "sara.yaml"))
    assert done.returncode == 0, done.stderr
    assert "Triage: ROUTINE" in done.stdout
    assert " 1. Surgical excision of calcinosis" in done.stdout


def test_recommend_from_the_package(library):
    import assistant

    facts = replay(REPLAYS / "laila.yaml", library=library).session.facts
    assert assistant.recommend(facts).to_json() == assistant.recommend(facts, library).to_json()


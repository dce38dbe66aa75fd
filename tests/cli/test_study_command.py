"""Self-study from the command line: scripted rounds graded, recorded, reported, exported
and reset; whole rounds in the plain session, with an override after the reveal."""

from __future__ import annotations

import csv
import json

import pytest

from assistant.engine.facts import UNKNOWN
from assistant.engine.study import case_session
from assistant.frontends.userdata import StudyProgress
from tests.support.command import run_triage
from tests.support.files import STUDY
from tests.support.study import perfect


def test_the_cli_grades_records_reports_progress_exports_and_resets(tmp_path):
    script = str(STUDY / "imane_misread.yaml")
    graded = run_triage("study", "--script", script, "--json", "--record", data=tmp_path)
    assert graded.returncode == 0, graded.stderr
    assert json.loads(graded.stdout)["score"] == 77
    progress = run_triage("study", "--progress", data=tmp_path)
    assert "imane:" in progress.stdout and "1 attempt(s), best 77" in progress.stdout
    out = tmp_path / "progress.csv"
    assert run_triage("study", "--export", str(out), data=tmp_path).returncode == 0
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0][:4] == ["case", "title", "when", "score"]
    assert rows[1][0] == "imane" and rows[1][3] == "77"
    md = tmp_path / "progress.md"
    run_triage("study", "--export", str(md), data=tmp_path)
    assert md.read_text(encoding="utf-8").startswith("# Study progress")
    assert run_triage("study", "--reset", data=tmp_path).returncode == 0
    assert "not attempted" in run_triage("study", "--progress", data=tmp_path).stdout


def test_a_bad_study_script_names_the_file_and_field(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("case: nobody\nanswers: {}\ncommit: {level: soon, therapy: diltiazem}\n",
                   encoding="utf-8")
    result = run_triage("study", "--script", str(bad), data=tmp_path)
    assert result.returncode == 1
    assert "bad.yaml:1: case: unknown case 'nobody'" in result.stderr


def plain_lines(case, library) -> list[str]:
    """What a trainee types in plain mode to answer exactly as the case."""
    lines = []
    for _, answer in case_session(case, library).steps():
        raw = answer.raw
        if raw is UNKNOWN:
            raw = "unknown"
        elif isinstance(raw, bool):
            raw = "yes" if raw else "no"
        elif isinstance(raw, (list, tuple)):
            raw = ", ".join(raw)
        lines.append(str(raw))
    return lines


@pytest.mark.parametrize("case_id", ["douae", "imane", "jamila", "laila", "rh", "sara"])
def test_a_whole_round_in_plain_mode_then_progress(library, tmp_path, case_id):
    case = library.knowledge.cases[case_id]
    commit = perfect(case, library)
    levels = ["urgent", "soon", "routine"]
    therapies = sorted(library.knowledge.therapies.values(), key=lambda t: t.name)
    number = [t.id for t in therapies].index(commit.therapy) + 1
    cases = sorted(library.knowledge.cases)
    stdin = [str(cases.index(case_id) + 1), *plain_lines(case, library),
             str(levels.index(commit.level) + 1), str(number), "80", "as the evidence ranks it",
             "", "q"]
    result = run_triage("study", "--plain", stdin="\n".join(stdin) + "\n", data=tmp_path)
    assert result.returncode == 0, result.stdout[-2000:]
    before, after = result.stdout.split("Before anything is revealed")
    for rule in library.knowledge.triage:     # no spoilers: no flag before the commitment
        assert rule.message not in before
    assert "## Your score: 100 / 100" in after
    assert "Saved. Score 100; best for this case 100 after 1 attempt(s)." in result.stdout
    again = run_triage("study", "--plain", stdin="q\n", data=tmp_path)
    assert "(attempts 1, best 100)" in again.stdout


def test_an_override_after_the_reveal_is_recorded_with_its_reason(library, tmp_path):
    case = library.knowledge.cases["sara"]
    commit = perfect(case, library)
    therapies = sorted(library.knowledge.therapies.values(), key=lambda t: t.name)
    ids = [t.id for t in therapies]
    other = next(t for t in ids if t != commit.therapy)
    stdin = [str(sorted(library.knowledge.cases).index("sara") + 1), *plain_lines(case, library),
             str(["urgent", "soon", "routine"].index(commit.level) + 1),
             str(ids.index(commit.therapy) + 1), "90", "discrete painful lesion",
             str(ids.index(other) + 1), "family declines surgery", "q"]
    result = run_triage("study", "--plain", stdin="\n".join(stdin) + "\n", data=tmp_path)
    assert result.returncode == 0, result.stdout[-2000:]
    last = StudyProgress(tmp_path).read().of_case("sara")[-1]
    assert last.commitment.override == other
    assert last.commitment.override_reason == "family declines surgery"
    assert last.commitment.confidence == 90
    assert last.score == 100 and last.correct     # an override is recorded, not scored

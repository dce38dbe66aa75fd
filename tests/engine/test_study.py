"""Trainee self-study: scripted rounds graded by the engine, the plain session, the CLI's
progress, export and reset, and a round in the Textual app."""

from __future__ import annotations

import csv
import json

import pytest
from textual.widgets import DataTable, Input, OptionList, Select

from assistant.engine.facts import UNKNOWN
from assistant.engine.replay import replay_data
from assistant.engine.report import md_text
from assistant.engine.study import Commitment, case_session, compare, grade, reveal_markdown, run_script
from assistant.frontends.app.app import TriageApp
from assistant.frontends.app.screens.help import HelpScreen
from assistant.frontends.app.screens.study import (CasesScreen, CommitScreen, RevealScreen,
                                                   VignetteScreen)
from assistant.frontends.userdata import Autosave, StudyProgress

from .app_driver import run_consult
from .conftest import ROOT, run_triage

STUDY = ROOT / "tests" / "study"


def perfect(case, library) -> Commitment:
    """The commitment that matches the assistant's result for the case facts."""
    session = case_session(case, library)
    from assistant.engine.recommend import recommend

    rec = recommend(session.facts, library)
    return Commitment(rec.triage.level, rec.ranking[0].therapy.id, "as the evidence ranks it")


@pytest.mark.parametrize("case_id", ["douae", "imane", "jamila", "laila", "rh", "sara"])
def test_answering_as_the_case_and_committing_as_the_evidence_scores_100(library, case_id):
    case = library.knowledge.cases[case_id]
    result = grade(case, case_session(case, library), perfect(case, library), library)
    assert result.mismatches == ()
    assert result.score == 100
    text = reveal_markdown(result, library)
    assert "Every fact matches the case." in text
    assert md_text(library.knowledge.references[case.ref].citation()) in text
    for note in case.notes:
        assert md_text(note.text) in text


def test_a_misread_unit_missed_treatments_and_a_low_triage_are_each_explained(library):
    result = run_script(STUDY / "imane_misread.yaml", library)
    kinds = {m.question: m.kind for m in result.mismatches}
    assert kinds["crp"] == "unit"
    assert kinds["prior_treatments"] == "answer"
    parts = {p.name: p for p in result.parts}
    assert parts["triage"].points == 10 and "the case facts give soon" in parts["triage"].why
    # the misread CRP no longer raises the CRP flag: one of the two red flags is missed
    assert parts["red_flags"].points == 10
    assert parts["therapy"].points == 20    # diltiazem: the authors' next step, ranked 3
    assert result.score == 77
    text = reveal_markdown(result, library)
    assert "Unit misread: the paper's value is 160 mg/L" in text


def test_choosing_the_authors_acth_is_explained_against_the_evidence(library):
    result = run_script(STUDY / "rh_authors_acth.yaml", library)
    assert result.mismatches == ()
    therapy = next(p for p in result.parts if p.name == "therapy")
    assert therapy.points == 0 and "not for this patient" in therapy.why
    assert result.score == 80
    text = reveal_markdown(result, library)
    section = text.split("## Where the authors' choice and the evidence differ")[1]
    assert "The authors chose **ACTH" in section and "does not offer it for this child" in section
    assert "The authors chose **Probenecid**" in section


def test_a_missed_red_flag_and_an_unflagged_lab(library):
    case = library.knowledge.cases["rh"]
    answers = dict(case.answers, red_flags=["none"])
    reference = case_session(case, library)
    esr = reference.facts["esr"]
    answers["esr"] = "10 mm/h"
    session = replay_data(answers, library=library).session
    result = grade(case, session, perfect(case, library), library)
    kinds = [m.kind for m in result.mismatches]
    assert kinds.count("missed_red_flag") == len(reference.facts["red_flags"])
    esr_mismatch = next(m for m in result.mismatches if m.question == "esr")
    assert esr_mismatch.kind == "lab_flag" and f"{esr:g}" in esr_mismatch.expected
    assert next(p for p in result.parts if p.name == "red_flags").points < 20


def test_unknown_where_the_case_reports_a_value_and_the_reverse(library):
    case = library.knowledge.cases["imane"]
    answers = dict(case.answers, ck="unknown", egfr="100")
    session = replay_data(answers, library=library).session
    result = grade(case, session, perfect(case, library), library)
    found = {m.question: m.explanation for m in result.mismatches}
    assert "The vignette does give this: 1950 U/L" in found["ck"]
    assert "does not report this" in found["egfr"]
    assert session.facts["ck"] is UNKNOWN


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
    for step, answer in case_session(case, library).steps():
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
             str(levels.index(commit.level) + 1), str(number), "as the evidence ranks it",
             "", "q"]
    result = run_triage("study", "--plain", stdin="\n".join(stdin) + "\n", data=tmp_path)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "## Your score: 100 / 100" in result.stdout
    assert "Saved. Score 100; best for this case 100 after 1 attempt(s)." in result.stdout
    again = run_triage("study", "--plain", stdin="q\n", data=tmp_path)
    assert "(attempts 1, best 100)" in again.stdout


@pytest.mark.parametrize("case_id", ["imane", "sara"])
async def test_a_study_round_in_the_app(library, tmp_path, case_id):
    case = library.knowledge.cases[case_id]
    commit = perfect(case, library)
    progress = StudyProgress(tmp_path)
    app = TriageApp(autosave=Autosave(tmp_path), library=library, progress=progress)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, CasesScreen)
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=[c.id for c in app.screen.cases].index(case_id))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, VignetteScreen)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("f4")     # the vignette stays at hand during the dialog
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert md_text(case.title) in app.screen.text
        await pilot.press("escape")
        await pilot.pause()
        await run_consult(pilot, dict(case.answers))
        await pilot.pause()
        assert isinstance(app.screen, CommitScreen)
        levels = app.screen.query_one("#level", OptionList)
        levels.highlighted = ["urgent", "soon", "routine"].index(commit.level)
        app.screen.query_one("#therapy", Select).value = commit.therapy
        app.screen.query_one("#reason", Input).focus()
        await pilot.press(*"why")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RevealScreen)
        assert "## Your score: 100 / 100" in app.screen.query_one("#reveal-text").source
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CasesScreen)
        row = app.screen.query_one(DataTable).get_row(case_id)
        assert [str(v) for v in row[1:3]] == ["1", "100"]
    assert progress.read()[case_id]["best"] == 100


def test_an_override_after_the_reveal_is_recorded_with_its_reason(library, tmp_path):
    case = library.knowledge.cases["sara"]
    commit = perfect(case, library)
    therapies = sorted(library.knowledge.therapies.values(), key=lambda t: t.name)
    ids = [t.id for t in therapies]
    other = next(t for t in ids if t != commit.therapy)
    stdin = [str(sorted(library.knowledge.cases).index("sara") + 1), *plain_lines(case, library),
             str(["urgent", "soon", "routine"].index(commit.level) + 1),
             str(ids.index(commit.therapy) + 1), "discrete painful lesion",
             str(ids.index(other) + 1), "family declines surgery", "q"]
    result = run_triage("study", "--plain", stdin="\n".join(stdin) + "\n", data=tmp_path)
    assert result.returncode == 0, result.stdout[-2000:]
    last = StudyProgress(tmp_path).read()["sara"]["rounds"][-1]
    assert last["commitment"]["override"] == other
    assert last["commitment"]["override_reason"] == "family declines surgery"
    assert last["score"] == 100      # an override is recorded, not scored


def test_plural_and_singular_class_names_are_the_same_treatment(library):
    case = library.knowledge.cases["douae"]
    answers = dict(case.answers)
    answers["prior_treatments"] = [dict(answers["prior_treatments"][0], drug="NSAIDs")]
    session = replay_data(answers, library=library).session
    mismatches = compare(case_session(case, library), session, library)
    assert "prior_treatments" not in {m.question for m in mismatches}

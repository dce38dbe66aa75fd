"""The plain line-by-line chat, driven through a real process on stdin/stdout."""

from __future__ import annotations

import yaml

from assistant.engine.replay import replay
from assistant.engine.session import StepKey
from assistant.frontends.consults import History
from tests.support.command import run_triage

IDIOPATHIC = [
    "6", "female", "unknown", "unknown", "idiopathic", "none", "none",
    "tumoral", "multiple", "elbows, knees", "unknown", "no", "no", "no", "yes", "yes", "yes",
    *["unknown"] * 11,
    "none", "none", "yes", "no",
]


def test_a_whole_consult_in_plain_mode(tmp_path):
    result = run_triage("--plain", stdin="\n".join(IDIOPATHIC) + "\n", data=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Decision support for clinicians, not a prescription" in out
    assert "How old is the child?" in out
    assert "Muscle weakness" not in out  # idiopathic skips disease activity
    assert "The consult is complete." in out
    assert "Diagnosis: Idiopathic calcinosis" in out
    assert "1. Surgical excision of calcinosis (first choice now)" in out


def test_errors_back_why_and_edit(tmp_path):
    lines = ["45", "6", "/why", "/back", "7", "female", "/edit 1", "8", "/answers", "/quit"]
    result = run_triage("--plain", stdin="\n".join(lines) + "\n", data=tmp_path)
    out = result.stdout
    assert "outside the accepted range 0–21 years" in out
    assert "Why: Some reference ranges (creatine kinase" in out
    assert "1. Age: 8 years" in out and "2. Sex: Female" in out
    assert result.returncode == 1  # quit before the end


def test_input_ending_early_keeps_the_answers_shown(tmp_path):
    result = run_triage("--plain", stdin="9\nmale\n", data=tmp_path)
    assert result.returncode == 1
    assert "the consult is incomplete" in result.stdout
    assert "Sex: Male" in result.stdout


def test_piped_answers_are_echoed_and_every_answer_is_saved(tmp_path, library):
    before = IDIOPATHIC[:-3]                       # up to the treatments question
    lines = [*before, "no MTX, Solupred 2 mg/kg/j", "partial", "over_6_months", "none", "no"]
    result = run_triage("--plain", stdin="\n".join(lines) + "\n", data=tmp_path)
    out = result.stdout
    assert "> no MTX, Solupred 2 mg/kg/j\n" in out                 # the piped answer, echoed
    assert "Read as taken: prednisolone 2 mg/kg/j (response partial" not in out
    assert "Read as taken: prednisolone 2 mg/kg/j · not given: methotrexate" in out
    [saved] = (tmp_path / "consults").glob("consult-*.yaml")   # in the history, like the app's
    answers = yaml.safe_load(saved.read_text(encoding="utf-8"))["answers"]
    assert answers["prior_treatments"]["line"] == "no MTX, Solupred 2 mg/kg/j"
    session = replay(saved, library=library).session
    assert session.answers[StepKey("prior_treatments", 1, "response")].value == "partial"


def test_a_plain_consult_is_saved_in_the_history_like_the_apps(tmp_path):
    first = run_triage("--plain", stdin="9\nmale\n/back\nfemale\n/quit\n", data=tmp_path)
    second = run_triage("--plain", stdin="\n".join(IDIOPATHIC) + "\n", data=tmp_path)
    assert second.returncode == 0, second.stderr
    [unfinished, complete] = History(tmp_path).list()
    assert unfinished.answers == {"age_years": "9", "sex": "female"}
    assert unfinished.unfinished and unfinished.count == 2
    assert f"This consult is saved in {unfinished.path}" in first.stdout
    assert complete.complete and complete.label == "6 y · female · Idiopathic calcinosis"


def test_a_red_flag_is_shown_after_the_answer_that_raised_it(tmp_path):
    lines = [*IDIOPATHIC[:6], "dysphagia, 1", "/quit"]    # red flags: swallowing, then fever
    out = run_triage("--plain", stdin="\n".join(lines) + "\n", data=tmp_path).stdout
    raised = out.index("> dysphagia, 1\n") + len("> dysphagia, 1\n")
    after = out[raised:out.index("\n\n", raised)]
    assert after.count("⚠ URGENT") == 2, after
    assert "swallow" in after.lower() and "infect" in after.lower()
    assert "⚠" not in out[:raised]                       # nothing before it was raised


def test_a_choice_by_number_includes_the_unknown_answer(tmp_path, library):
    weakness = library.dialog.questions["muscle_weakness"]
    unknown = str(len(weakness.options) + 1)                # listed last, after the options
    lines = ["9", "female", "30", "unknown", "jdm", "none", "none", unknown, "/answers", "/quit"]
    out = run_triage("--plain", stdin="\n".join(lines) + "\n", data=tmp_path).stdout
    assert f"  {unknown}. {weakness.unknown}\n" in out
    assert f"8. Muscle weakness: {weakness.unknown}" in out

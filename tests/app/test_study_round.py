"""A self-study round in the app: case list, vignette (also at hand during the dialog),
the dialog, the commitment, the reveal with its score, and the progress kept."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, OptionList, Select

from assistant.engine.record import answer_rows
from assistant.engine.report import md_text
from assistant.engine.study import case_session, grade
from assistant.frontends.app.screens.consult import ConsultScreen
from assistant.frontends.app.screens.help import HelpScreen
from assistant.frontends.app.screens.study import (
    CasesScreen,
    CommitScreen,
    RevealScreen,
    VignetteScreen,
)
from assistant.frontends.app.widgets.facts_panel import FactsPanel
from assistant.frontends.userdata import StudyProgress
from tests.support.files import replay_answers
from tests.support.keys import answer, bubbles, fast_forward, run_consult
from tests.support.sessions import session_at
from tests.support.study import perfect


@pytest.mark.parametrize("case_id, answer_all", [("sara", run_consult), ("imane", fast_forward)],
                         ids=["sara-typed", "imane-posted"])
async def test_a_study_round_in_the_app(make_app, library, tmp_path, case_id, answer_all):
    case = library.knowledge.cases[case_id]
    commit = perfect(case, library)
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, CasesScreen)
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=list(app.screen.cases).index(case_id))
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
        await answer_all(pilot, dict(case.answers))
        await pilot.pause()
        assert isinstance(app.screen, CommitScreen)
        levels = app.screen.query_one("#level", OptionList)
        levels.highlighted = ["urgent", "soon", "routine"].index(commit.level)
        app.screen.query_one("#therapy", Select).value = commit.therapy
        app.screen.query_one("#confidence", Select).value = 70
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
        assert [str(v) for v in row[2:4]] == ["1", "100"]       # tries, best
    [record] = StudyProgress(tmp_path).read().rounds
    assert record.case == case_id and record.score == 100
    assert record.commitment.confidence == 70 and record.correct


async def test_a_broken_case_file_is_reported_and_the_app_stays_open(root_copy, tmp_path):
    """Cases are read on first use: a bad case file names its place and keeps the app up."""
    from assistant.frontends.app.app import TriageApp
    from assistant.frontends.app.screens.start import StartScreen

    case = root_copy / "knowledge" / "cases" / "sara.yaml"
    case.write_text(case.read_text().replace("answers:", "answer:"))
    app = TriageApp(root=root_copy, progress=StudyProgress(tmp_path))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        [note] = app._notifications
        assert "knowledge/cases/sara.yaml" in note.message
        assert "answer" in note.message


async def test_progress_is_exported_into_the_data_folder(make_app, library, tmp_path):
    case = library.knowledge.cases["sara"]
    graded = grade(case, case_session(case, library), perfect(case, library), library)
    StudyProgress(tmp_path).record(graded)
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        typed = app.screen.query_one("#path", Input).value
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CasesScreen)
    [written] = tmp_path.glob("study-progress-*.csv")
    assert str(written) == typed
    assert written.read_text(encoding="utf-8").startswith("case,title,when,score")
    assert "sara" in written.read_text(encoding="utf-8")


async def test_a_study_round_reveals_nothing_before_the_commitment(make_app, library):
    """No spoilers: the red flags RH's answers raise (shown at once in a consult) stay hidden
    in a study round, banner and transcript alike, and so do the marks of her abnormal labs
    in the answers panel, until the trainee has committed."""
    finished = []
    async with make_app().run_test(size=(100, 32)) as pilot:
        screen = ConsultScreen(library, session_at(library, "rh", "red_flags"), None,
                               finish=finished.append, vignette="# RH")
        await pilot.app.push_screen(screen)
        await pilot.pause()
        await answer(pilot, screen, replay_answers("rh"))
        assert screen.session.facts["red_flags"]          # the answer that raises them
        await fast_forward(pilot, replay_answers("rh"))
        assert finished == [screen.session]              # on to the commitment, no result
        assert not screen.query_one("#flags").display
        assert bubbles(screen, "flag") == [] and bubbles(screen, "finding") == []
        shown = " ".join(str(b.content) for b in screen.query("Bubble"))
        for rule in library.knowledge.triage:
            assert rule.message not in shown
        assert "URGENT" not in shown and "SOON" not in shown
        assert any(row.flag for row in answer_rows(screen.session))   # a consult marks them
        panel = [str(o.prompt) for o in screen.query_one(FactsPanel).options]
        assert panel and not any("▲" in line or "▼" in line for line in panel)

"""The study screens at 80×24: the case list cuts long titles with an ellipsis and shows
the highlighted case whole; the commitment asks level, first choice and confidence; a
classroom trainee names their own progress file."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.widgets import DataTable, Input, Select

from assistant.frontends.app.app import TriageApp
from assistant.frontends.app.screens.study import CasesScreen, CommitScreen, TraineeScreen
from assistant.frontends.userdata import StudyProgress, trainee_file
from tests.support.keys import wait_for

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)



async def test_long_titles_end_in_an_ellipsis_and_show_whole_below_the_list(make_app, library):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, CasesScreen))
        screen = app.screen
        table = screen.query_one(DataTable)
        rows = list(screen.cases)
        row = rows.index("vargas_lebron_2020_rituximab")
        table.move_cursor(row=row)
        await pilot.pause()
        title = library.knowledge.cases["vargas_lebron_2020_rituximab"].title
        shot = app.export_screenshot()
        assert "…" in shot                                   # cut titles say so
        assert "●●●" in shot                                 # its difficulty, in the list
        detail = str(screen.query_one("#case-detail").render())
        assert title in detail and "difficulty 3 advanced" in detail
        assert table.size.width <= 80
        assert "due for review" in str(table.border_title)


async def test_the_commitment_asks_a_confidence_and_fits_80_by_24(make_app, library):
    from assistant.engine.study import catalogue
    from tests.support.sessions import session_at

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        study = catalogue(library)["sara"]
        await app.push_screen(CommitScreen(library, app.progress, study,
                                           session_at(library, "sara")))
        await pilot.pause()
        screen = app.screen
        confidence = screen.query_one("#confidence", Select)
        assert [str(label) for label, _ in confidence._options[1:]] == [
            "50 %", "60 %", "70 %", "80 %", "90 %", "100 %"]
        screen.query_one("#reason", Input).focus()
        await pilot.press("x", "enter")
        await pilot.pause()
        assert "your confidence" in str(screen.query_one("#commit-hint").render())
        assert screen.query_one("#reason").region.bottom <= 24


async def test_a_classroom_trainee_gets_their_own_progress_file(library, tmp_path):
    app = TriageApp(library=library, progress=StudyProgress(tmp_path, clock=lambda: NOW),
                    study=True, classroom=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, TraineeScreen))
        name = "Amina [b]B.[/b]"
        app.screen.query_one(Input).value = name
        await pilot.pause()
        assert f"trainees/{trainee_file(name)}" in str(app.screen.query_one("#trainee-file").render())
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CasesScreen))
        assert app.progress.trainee == name
        assert app.progress.path == tmp_path / "trainees" / trainee_file(name)
        assert name in str(app.screen.query_one("#study-title").render())   # shown literally
        await pilot.press("x")              # no export to a path on the teacher's machine
        await pilot.pause()
        assert isinstance(app.screen, CasesScreen)
        assert any("kept for your teacher" in n.message for n in app._notifications)

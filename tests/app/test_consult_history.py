"""The app and the consult history: new consults never touch others, resume picks the latest
unfinished one, unreadable files are listed, exports go to the data folder and never
overwrite or create folders unasked."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from textual.widgets import Button, DataTable, Input, OptionList

from assistant.engine.record import replay_yaml
from assistant.engine.replay import restore
from assistant.engine.session import StepKey
from assistant.frontends import consults
from assistant.frontends.app.app import TriageApp
from assistant.frontends.app.screens.consult import ConsultScreen
from assistant.frontends.app.screens.export import ExportScreen
from assistant.frontends.app.screens.result import ResultScreen
from assistant.frontends.app.screens.start import StartScreen
from assistant.frontends.consults import History
from tests.support.files import replay_answers
from tests.support.keys import type_text, wait_for


def saved(history: History, answers: dict, library, minutes: int = 0, monkeypatch=None):
    if monkeypatch is not None:
        when = datetime(2025, 3, 1, 9, 0).astimezone() + timedelta(minutes=minutes)
        monkeypatch.setattr(consults, "now", lambda: when)
    file = history.new()
    file.save(restore(answers, library))
    return file.path


async def listed(pilot) -> StartScreen:
    start = pilot.app.screen_stack[0]
    await wait_for(pilot, lambda: start.listed)
    return start


async def test_a_new_consult_never_touches_the_previous_one(library, tmp_path):
    history = History(tmp_path)
    rh = saved(history, replay_answers("rh"), library)
    before = rh.read_bytes()
    app = TriageApp(history=history, library=library)
    async with app.run_test(size=(100, 32)) as pilot:
        start = await listed(pilot)
        listing = start.query_one("#consults", OptionList)
        assert "8 y · female · Juvenile dermatomyositis" in str(listing.get_option_at_index(0).prompt)
        listing.focus()
        await pilot.press("enter")                       # open the complete RH consult
        await wait_for(pilot, lambda: isinstance(app.screen, ResultScreen))
        await pilot.press("n")                           # a new consult, from the result
        await wait_for(pilot, lambda: isinstance(app.screen, ConsultScreen))
        assert app.screen.session.path == []
        await type_text(pilot, "9")
        await pilot.press("enter")
        await pilot.pause()
    assert rh.read_bytes() == before
    new = [c for c in history.list() if c.path != rh]
    assert len(new) == 1 and new[0].count == 1 and new[0].answers == {"age_years": "9"}


async def test_resume_picks_the_latest_unfinished_consult(library, tmp_path, monkeypatch):
    history = History(tmp_path)
    rh, sara = replay_answers("rh"), replay_answers("sara")
    older = saved(history, dict(list(rh.items())[:6]), library, 0, monkeypatch)
    latest = saved(history, dict(list(sara.items())[:6]), library, 10, monkeypatch)
    saved(history, rh, library, 20, monkeypatch)         # newer, but complete
    monkeypatch.undo()
    untouched = older.read_bytes()
    app = TriageApp(history=history, library=library)
    async with app.run_test(size=(100, 32)) as pilot:
        start = await listed(pilot)
        assert start.query_one("#resume", Button).display
        assert app.focused is start.query_one("#consults")
        listing = start.query_one("#consults", OptionList)     # the one to resume is highlighted
        row = str(listing.get_option_at_index(listing.highlighted).prompt)
        assert "6 y · female · Idiopathic calcinosis · 6 answers, unfinished" in row
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, ConsultScreen))
        screen = app.screen
        assert [s.key.question for s in screen.session.path] == list(sara)[:6]
        await pilot.press("8", "enter")                  # red flags: none of these
        await pilot.pause()
    assert older.read_bytes() == untouched
    again = next(c for c in history.list() if c.path == latest)
    assert again.count == 7


async def test_an_unreadable_file_is_listed_and_kept(library, tmp_path):
    history = History(tmp_path)
    folder = tmp_path / "consults"
    folder.mkdir()
    bad = folder / "consult-20250101-000000.yaml"
    bad.write_text("answers: [\n", encoding="utf-8")
    app = TriageApp(history=history, library=library)
    async with app.run_test(size=(100, 32)) as pilot:
        start = await listed(pilot)
        listing = start.query_one("#consults", OptionList)
        row = str(listing.get_option_at_index(0).prompt)
        assert "unreadable: line 2: invalid YAML" in row
        assert not start.query("#resume")
        listing.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is start
        assert any("cannot be opened" in n.message for n in app._notifications)
    assert bad.read_text(encoding="utf-8") == "answers: [\n"


async def test_the_app_can_open_a_given_consult(library, tmp_path):
    """As ``triage consults open`` does: a complete consult opens on its result."""
    history = History(tmp_path)
    sara = replay_answers("sara")
    path = saved(history, sara, library)
    app = TriageApp(history=history, library=library, consult=path)
    async with app.run_test(size=(100, 32)) as pilot:
        # the result screen up, its table filled (leaving earlier would unmount it midway)
        await wait_for(pilot, lambda: isinstance(app.screen, ResultScreen)
                       and app.screen.query(DataTable) and app.screen.query_one(DataTable).row_count)
        assert app.screen.session.facts == restore(sara, library).facts
        assert app.screen.saving.path == path


@pytest.fixture
async def result_screen(library, tmp_path):
    """The app on the result screen of the Sara consult, saved in ``tmp_path``."""
    history = History(tmp_path)
    app = TriageApp(history=history, library=library)
    session = restore(replay_answers("sara"), library)
    file = history.new()
    file.save(session)
    return app, ResultScreen(library, session, file), file


async def export_dialog(pilot, screen: ResultScreen, key: str) -> ExportScreen:
    """The result ``screen`` pushed, then its export dialog opened with ``key`` (m or s)."""
    pilot.app.push_screen(screen)
    await pilot.pause()
    await pilot.press(key)
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, ExportScreen)
    return dialog


async def test_export_defaults_to_the_data_folder_with_a_timestamped_name(result_screen,
                                                                          tmp_path):
    app, screen, file = result_screen
    async with app.run_test(size=(100, 32)) as pilot:
        dialog = await export_dialog(pilot, screen, "s")
        path = dialog.query_one("#path", Input).value
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
    saved_to = tmp_path / path.rsplit("/", 1)[1]
    assert str(saved_to) == path
    name = saved_to.name
    assert name.startswith(f"{file.path.stem}-replay-") and name.endswith(".yaml")
    datetime.strptime(name.removeprefix(f"{file.path.stem}-replay-").removesuffix(".yaml"),
                      "%Y%m%d-%H%M%S")
    assert saved_to.read_text(encoding="utf-8") == replay_yaml(screen.session)


async def test_export_asks_before_replacing_a_file(result_screen, tmp_path):
    app, screen, _ = result_screen
    target = tmp_path / "mine.md"
    target.write_text("my notes", encoding="utf-8")
    async with app.run_test(size=(100, 32)) as pilot:
        dialog = await export_dialog(pilot, screen, "m")
        dialog.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog
        assert "already exists. Enter again replaces it" in str(dialog.query_one("#export-hint").content)
        assert target.read_text(encoding="utf-8") == "my notes"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
    assert target.read_text(encoding="utf-8").startswith("# ")


async def test_export_does_not_create_a_folder_and_offers_the_data_folder(result_screen,
                                                                          tmp_path):
    app, screen, _ = result_screen
    typed = tmp_path / "no" / "such" / "folder" / "report.md"
    async with app.run_test(size=(100, 32)) as pilot:
        dialog = await export_dialog(pilot, screen, "m")
        dialog.query_one("#path", Input).value = str(typed)
        await pilot.press("enter")
        await pilot.pause()
        hint = str(dialog.query_one("#export-hint").content)
        assert f"the folder {typed.parent} does not exist" in hint
        assert not (tmp_path / "no").exists()
        button = dialog.query_one("#data-folder", Button)
        assert button.display
        await pilot.click(button)
        await pilot.pause()
        assert dialog.query_one("#path", Input).value == str(tmp_path / "report.md")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
    assert (tmp_path / "report.md").exists() and not (tmp_path / "no").exists()


async def test_a_consult_that_cannot_be_saved_says_so_and_keeps_its_answers(library, tmp_path):
    blocked = tmp_path / "data"
    blocked.write_text("a file where the data folder should be")
    app = TriageApp(history=History(blocked), library=library)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, ConsultScreen))
        await type_text(pilot, "9")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert screen.session.answers[StepKey("age_years")].raw == "9"
        assert screen.session.current.key == StepKey("sex")
        assert any("could not be saved" in n.message for n in app._notifications)
    assert blocked.read_text() == "a file where the data folder should be"

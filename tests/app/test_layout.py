"""The result banner and table at 80×24 and 120×40, on sessions restored from seed replays."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from assistant.engine.library import Library
from assistant.engine.replay import restore
from assistant.frontends.app.app import TriageApp
from assistant.frontends.app.screens.help import HelpScreen
from assistant.frontends.app.screens.result import ResultScreen
from tests.support.files import replay_answers
from tests.support.screens import rendered

SIZES = [(80, 24), (120, 40)]


async def result_of(pilot: Pilot, library: Library, case: str) -> ResultScreen:
    screen = ResultScreen(library, restore(replay_answers(case), library))
    await pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


@pytest.mark.parametrize("size", SIZES)
async def test_the_triage_banner_counts_scrolls_and_shows_every_flag(library, size):
    async with TriageApp(library=library).run_test(size=size) as pilot:
        screen = await result_of(pilot, library, "rh")
        view = screen.view
        assert len(view.flags) == 6
        title = str(screen.query_one("#banner-title").content)
        assert title == "Triage: URGENT: same-day hospital review (2 urgent · 4 soon)"
        text = rendered(screen.query_one("#banner-text").content)
        for flag in view.flags:     # every message and action, whole
            assert flag.message in text and (flag.action or "") in text
        flags = screen.query_one("#banner-flags")
        assert 0 < flags.size.height <= size[1] * 0.35
        if size == (80, 24):
            assert flags.max_scroll_y > 0              # more than fits: it scrolls
        flags.focus()
        await pilot.press("end")
        await pilot.pause()
        assert flags.scroll_y == flags.max_scroll_y   # the last action can be reached
        # t: every flag at full height, the options out of the way; Esc: back
        await pilot.press("t")
        await pilot.pause()
        assert not screen.query_one("#result-body").display
        assert flags.size.height > size[1] * 0.5
        if size == (120, 40):
            assert flags.max_scroll_y == 0             # all of them at once
        await pilot.press("escape")
        await pilot.pause()
        assert screen.query_one("#result-body").display and pilot.app.screen is screen
        assert pilot.app.focused is screen.query_one(DataTable)


async def test_a_long_name_ends_in_an_ellipsis_and_reads_whole_in_the_detail(library):
    async with TriageApp(library=library).run_test(size=(120, 40)) as pilot:
        screen = await result_of(pilot, library, "rh")
        table = screen.query_one(DataTable)
        rows = [(i, r.option) for i, r in enumerate(screen.rows) if r.option is not None]
        cut = [(i, o) for i, o in rows if str(table.get_row_at(i)[1]) != o.therapy.name]
        assert cut
        for i, option in cut:
            shown = str(table.get_row_at(i)[1])
            assert shown.endswith("…") and option.therapy.name.startswith(shown[:-1])
        row, option = cut[0]
        table.move_cursor(row=row)
        await pilot.pause()
        assert option.therapy.name in screen.query_one("#detail-text").source
        heading = screen.query_one("#detail-text").query("MarkdownH3").first()
        assert heading.size.width <= screen.query_one("#detail").size.width   # wraps, not cut
    async with TriageApp(library=library).run_test(size=(80, 24)) as pilot:
        screen = await result_of(pilot, library, "rh")
        screen.query_one(DataTable).move_cursor(row=row)
        await pilot.press("enter")                    # narrow: the detail opens over the table
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)
        assert option.therapy.name in pilot.app.screen.text

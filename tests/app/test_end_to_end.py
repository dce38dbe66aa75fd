"""Whole consults in the app, from the start screen to the result: one typed key by key,
one answered through the consult screen without keys; both autosave as they go."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from assistant.engine.replay import replay, replay_data
from assistant.frontends.app.screens.result import ResultScreen
from assistant.frontends.app.screens.start import StartScreen
from tests.support.files import REPLAYS, replay_answers
from tests.support.keys import fast_forward, run_consult
from tests.support.screens import rendered


@pytest.mark.parametrize("case, answer_all", [("rh", run_consult), ("sara", fast_forward)],
                         ids=["rh-typed", "sara-posted"])
async def test_a_seed_case_end_to_end(make_app, library, case, answer_all):
    app = make_app()
    expected = replay(REPLAYS / f"{case}.yaml", library=library)
    async with app.run_test(size=(100, 32)) as pilot:
        assert isinstance(app.screen, StartScreen)
        await pilot.press("n")
        await pilot.pause()
        await answer_all(pilot, replay_answers(case))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ResultScreen)
        assert screen.session.facts == expected.session.facts
        want = expected.recommendation()
        title = str(screen.query_one("#banner-title").content)
        assert title.startswith(f"Triage: {want.triage.level.upper()}")
        banner = rendered(screen.query_one("#banner-text").content)
        for flag in want.triage.flags:
            assert flag.message in banner
        # every option is a row of the table, the first choice among them
        table = screen.query_one(DataTable)
        assert table.row_count == len(screen.rows)
        listed = [r.option.therapy.id for r in screen.rows if r.option is not None]
        assert sorted(listed) == sorted(o.therapy.id for o in want.ranking + want.excluded)
        first = listed.index(want.ranking[0].therapy.id)
        row = [i for i, r in enumerate(screen.rows) if r.option is not None][first]
        assert str(table.get_row_at(row)[0]) == "1"
        table.move_cursor(row=row)
        await pilot.pause()
        detail = screen.query_one("#detail-text").source
        assert want.ranking[0].therapy.name in detail and "## References" in detail
    # what was autosaved replays to the same consult
    assert app.history is not None
    [saved] = app.history.list()
    assert saved.complete is True and saved.count == len(expected.session.path)
    assert saved.answers is not None
    assert replay_data(saved.answers, library=library).session.facts == expected.session.facts

"""The result banner and table, the consult's keys and answers panel, at 80×24 and 120×40,
on sessions restored from seed replays."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from assistant.engine.disclaimer import DISCLAIMER_LINE
from assistant.engine.library import Library
from assistant.engine.replay import restore
from assistant.engine.session import Session, StepKey
from assistant.frontends.app.app import TriageApp
from assistant.frontends.app.screens.consult import ConsultScreen
from assistant.frontends.app.screens.help import HelpScreen
from assistant.frontends.app.screens.result import ResultScreen
from assistant.frontends.app.widgets.answers import ChoiceAnswer, MultiAnswer
from assistant.frontends.app.widgets.drug_input import DrugInput
from assistant.frontends.app.widgets.facts_panel import FactsPanel
from tests.support.files import replay_answers
from tests.support.screens import rendered
from tests.support.sessions import session_at

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


async def test_the_result_screen_disclaimer_is_one_line_at_80_columns(library):
    async with TriageApp(library=library).run_test(size=(80, 24)) as pilot:
        screen = await result_of(pilot, library, "rh")
        line = screen.query_one("#disclaimer")
        assert line.size.height == 1
        assert rendered(line.content) == DISCLAIMER_LINE    # whole, not cut
        assert "not a prescription" in DISCLAIMER_LINE and "dose" in DISCLAIMER_LINE


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


# --- the consult: keys, the answers panel, wrapped options -----------------------------------

async def consult_on(pilot: Pilot, library: Library, session: Session) -> ConsultScreen:
    screen = ConsultScreen(library, session, None)
    await pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


async def test_escape_closes_the_answers_panel_on_a_narrow_terminal(consult_at):
    async with consult_at("rh", "esr", size=(80, 24)) as (pilot, screen):
        panel = screen.query_one(FactsPanel)
        await pilot.press("f3")
        await pilot.pause()
        assert panel.display and pilot.app.focused is panel
        await pilot.press("escape")
        await pilot.pause()
        assert not panel.display and screen.query_one("#chat").display
        assert isinstance(pilot.app.focused, Input)            # back to answering (ESR)


async def test_f3_toggles_the_panel_when_the_consult_is_complete(library):
    async with TriageApp(library=library).run_test(size=(80, 24)) as pilot:
        screen = await consult_on(pilot, library, session_at(library, "rh"))
        panel = screen.query_one(FactsPanel)
        assert not panel.display
        await pilot.press("f3")
        await pilot.pause()
        assert panel.display
        await pilot.press("escape")
        await pilot.pause()
        assert not panel.display


async def test_answers_that_no_longer_apply_are_reached_with_the_keyboard(library):
    session = session_at(library, "rh", "calcinosis_pattern")
    session.edit(StepKey("diagnosis"), "idiopathic")      # muscle and skin questions no longer apply
    async with TriageApp(library=library).run_test(size=(120, 40)) as pilot:
        screen = await consult_on(pilot, library, session)
        await pilot.press("f3")
        panel = screen.query_one(FactsPanel)
        stale = [r.key for r in panel.lines if r.stale]
        assert {StepKey("muscle_weakness"), StepKey("skin_activity")} <= set(stale)
        await pilot.press("end")
        await pilot.pause()
        assert panel.lines[panel.highlighted].key == stale[-1]
        await pilot.press("up")
        assert panel.lines[panel.highlighted].key == stale[-2]
        await pilot.press("enter")
        await pilot.pause()
        assert screen.editing is None
        assert any("no longer applies" in n.message for n in pilot.app._notifications)


@pytest.mark.parametrize("key, typed", [("age_years", "9"), ("weight_kg", "27 kgs")])
async def test_ctrl_z_brings_back_a_typed_answer_for_correction(library, key, typed):
    session = session_at(library, "rh", key)
    session.answer(typed)
    async with TriageApp(library=library).run_test(size=(80, 24)) as pilot:
        screen = await consult_on(pilot, library, session)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert screen.session.current.key == StepKey(key)
        assert screen.query_one("#answer").query_one(Input).value == typed
        await pilot.press("enter")                     # sent again as it was
        await pilot.pause()
        assert screen.session.answers[StepKey(key)].raw == typed


async def test_ctrl_z_brings_back_choices_ticks_and_a_drug_line(library):
    flags = ["fever_infected_lesion", "chest_pain_pericardial"]
    async with TriageApp(library=library).run_test(size=(120, 40)) as pilot:
        screen = await consult_on(pilot, library, session_at(library, "rh", "muscle_weakness"))
        await pilot.press("ctrl+z")                    # the red flags, ticked as they were
        await pilot.pause()
        assert screen.query_one(MultiAnswer).selected == flags
        while screen.session.current.key != StepKey("diagnosis"):
            await pilot.press("ctrl+z")
            await pilot.pause()
        choice = screen.query_one(ChoiceAnswer)        # the diagnosis, highlighted
        assert choice.values[choice.highlighted] == "jdm"
    session = session_at(library, "rh", "prior_treatments")
    session.answer("pred 2 mg/kg, MTX 15 mg/m2")
    async with TriageApp(library=library).run_test(size=(120, 40)) as pilot:
        screen = await consult_on(pilot, library, session)
        while screen.session.current.key != StepKey("prior_treatments"):
            await pilot.press("ctrl+z")
            await pilot.pause()
        line = screen.query_one(DrugInput).query_one(Input)
        assert line.value == "pred 2 mg/kg, MTX 15 mg/m2"


async def test_red_flag_labels_wrap_and_are_never_cut(consult_at):
    async with consult_at("rh", "red_flags") as (_, screen):   # the answers panel takes 36 columns
        ticks = screen.query_one(MultiAnswer)
        width = ticks.scrollable_content_region.width
        for i, label in enumerate(ticks.labels):
            text = rendered(ticks.get_option_at_index(i).prompt, width=width)
            assert label in text and "…" not in text


async def test_the_footer_shows_the_keys_that_work_now(library):
    session = session_at(library, "rh")
    session.back()                      # the last question waits for its answer

    def shown(screen: ConsultScreen) -> set[str]:
        return {key for key, b in screen.active_bindings.items()
                if b.binding.show and screen.check_action(b.binding.action, ()) is not False}

    async with TriageApp(library=library).run_test(size=(80, 24)) as pilot:
        screen = await consult_on(pilot, library, session)
        assert {"f2", "ctrl+z", "f3"} <= shown(screen)
        assert "ctrl+r" not in shown(screen) and "escape" not in shown(screen)
        await pilot.press("1")          # the last answer: the result shows, Esc comes back
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is screen and screen.session.complete
        assert "ctrl+r" in shown(screen) and "f2" not in shown(screen)

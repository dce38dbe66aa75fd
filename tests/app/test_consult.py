"""The consult screen, each test opened at the question it is about (restored from a seed
replay) or from the start screen: back and edit, drug confirmation, range errors, literal
text, red flags, autosave and resume, export, help and the palette."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from textual.pilot import Pilot
from textual.widgets import Button, Input

from assistant.engine.replay import replay
from assistant.engine.report import consult_report
from assistant.engine.session import StepKey
from assistant.frontends.app.app import TriageApp
from assistant.frontends.app.screens.consult import ConsultScreen
from assistant.frontends.app.screens.help import HelpScreen
from assistant.frontends.app.screens.start import StartScreen
from assistant.frontends.app.widgets.answers import ChoiceAnswer, NumberAnswer
from assistant.frontends.app.widgets.drug_input import Dropdown, DrugInput
from assistant.frontends.app.widgets.facts_panel import FactsPanel
from assistant.frontends.app.widgets.transcript import Bubble
from assistant.frontends.consults import History
from tests.support.files import REPLAYS, replay_answers
from tests.support.keys import answer, bubbles, type_text, wait_for

WHEN = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


async def start(pilot: Pilot) -> ConsultScreen:
    """A new consult from the start screen."""
    assert isinstance(pilot.app.screen, StartScreen)
    await pilot.press("n")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ConsultScreen)
    assert isinstance(pilot.app.focused, Input)    # the first question (age) is a number
    return screen


async def test_back_and_edit_recompute_later_questions(consult_at):
    answers = replay_answers("rh")
    async with consult_at("rh", "skin_activity", size=(120, 40)) as (pilot, screen):
        assert screen.session.facts["muscle_weakness"] == "severe"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert screen.session.current.key == StepKey("muscle_weakness")
        assert "muscle_weakness" not in screen.session.facts
        await answer(pilot, screen, answers)
        # change the diagnosis to idiopathic calcinosis: the muscle questions no longer apply
        await pilot.press("f3")
        panel = screen.query_one(FactsPanel)
        assert pilot.app.focused is panel
        panel.highlighted = [r.key for r in panel.lines].index(StepKey("diagnosis"))
        await pilot.press("enter")
        await pilot.pause()
        assert screen.editing is not None and screen.editing.key == StepKey("diagnosis")
        choice = screen.query_one(ChoiceAnswer)
        await pilot.press(str(choice.values.index("idiopathic") + 1))
        await pilot.pause()
        assert screen.editing is None
        assert screen.session.facts["diagnosis"] == "idiopathic"
        assert StepKey("muscle_weakness") in screen.session.stale
        stale = [r for r in panel.lines if r.stale]
        assert [r.key for r in stale] == [StepKey("muscle_weakness")]
        assert "Muscle weakness now?" not in bubbles(screen, "question")


async def test_escape_cancels_an_edit(make_app):
    async with make_app().run_test() as pilot:
        screen = await start(pilot)
        await type_text(pilot, "9")
        await pilot.press("enter")
        await pilot.pause()
        bubble = next(b for b in screen.query(Bubble) if b.key == StepKey("age_years"))
        await pilot.click(bubble)
        assert screen.editing is not None and screen.editing.key == StepKey("age_years")
        assert screen.query_one(Input).value == "9"
        await pilot.press("escape")
        await pilot.pause()
        assert screen.editing is None and screen.session.current.key == StepKey("sex")


async def test_on_a_narrow_terminal_the_answers_panel_gives_way_to_the_edit(make_app):
    async with make_app().run_test(size=(80, 24)) as pilot:
        screen = await start(pilot)
        await type_text(pilot, "9")
        await pilot.press("enter")
        await pilot.pause()
        panel, chat = screen.query_one(FactsPanel), screen.query_one("#chat")
        assert not panel.display and chat.display
        await pilot.press("f3")
        await pilot.pause()
        assert panel.display and not chat.display and pilot.app.focused is panel
        await pilot.press("enter")
        await pilot.pause()
        assert screen.editing is not None and screen.editing.key == StepKey("age_years")
        assert chat.display and not panel.display
        assert isinstance(pilot.app.focused, Input)


async def test_an_out_of_range_lab_says_the_accepted_range(consult_at):
    async with consult_at("imane", "crp") as (pilot, screen):
        await type_text(pilot, "9999")
        await pilot.press("enter")
        await pilot.pause()
        hint = screen.query_one("#hint")
        assert hint.has_class("-error")
        measure = screen.library.dialog.measures["crp"]
        text = str(hint.content)
        assert f"{measure.plausible.high:g}" in text
        assert screen.session.current.key == StepKey("crp")
        # a value in another unit, chosen in the selector, is converted by the engine
        number = screen.query_one(NumberAnswer)
        number.query_one(Input).value = "16"
        select = number.query_one("#unit")
        select.value = "mg/dL"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.session.facts["crp"] == 160.0
        assert screen.session.answers[StepKey("crp")].shown == "16 mg/dL (= 160 mg/L)"


async def test_a_look_alike_drug_is_confirmed_never_applied_silently(consult_at):
    async with consult_at("rh", "prior_treatments") as (pilot, screen):
        await type_text(pilot, "pred")
        await pilot.pause()
        drugs = screen.query_one(DrugInput)
        dropdown = drugs.query_one(Dropdown)
        assert dropdown.display
        assert [s.insert for s in drugs.suggestions] == ["prednisone", "prednisolone"]
        assert drugs.query_one(Input).value == "pred"      # nothing applied by itself
        await pilot.press("enter")
        await pilot.pause()
        step = screen.session.current
        assert step.is_confirmation and step.mention == "pred"
        assert "Did you mean one of these for 'pred'?" in bubbles(screen, "question")
        choice = screen.query_one(ChoiceAnswer)
        await pilot.press(str(choice.values.index("prednisolone") + 1))
        await pilot.pause()
        assert screen.session.current.key == StepKey("prior_treatments", 0, "response")
        assert "prednisolone" in screen.session.current.prompt


async def test_typed_markup_and_escapes_are_shown_literally(consult_at):
    typed = "[bold]zorbitol[/] \x1b[31m"
    async with consult_at("rh", "prior_treatments") as (pilot, screen):
        await type_text(pilot, typed)
        await pilot.press("enter")
        await pilot.pause()
        shown = bubbles(screen, "answer")[-1]
        assert "[bold]zorbitol[/]" in shown and "\\x1b[31m" in shown
        found = screen.session.answers[StepKey("prior_treatments")].value
        assert found.texts == (typed,)                            # the line kept whole
        assert {t.mention.status for t in found.mentions} == {"unknown"}   # and flagged unknown
        assert any("zorbitol" in t.mention.text for t in found.mentions)


async def test_red_flags_show_as_soon_as_answered(consult_at):
    async with consult_at("rh", "red_flags") as (pilot, screen):
        assert not screen.query_one("#flags").display
        await answer(pilot, screen, replay_answers("rh"))
        banner = screen.query_one("#flags")
        assert banner.display and banner.has_class("-urgent")
        assert any("URGENT" in text for text in bubbles(screen, "flag"))


async def test_why_is_this_asked(make_app):
    async with make_app().run_test() as pilot:
        screen = await start(pilot)
        await pilot.press("f2")
        await pilot.pause()
        assert f"Why this is asked: {screen.session.current.why}" in bubbles(screen, "note")


async def test_resume_after_a_crash_keeps_every_answer(consult_at, make_app, tmp_path):
    async with consult_at("imane", "prior_treatments") as (pilot, screen):
        await type_text(pilot, "prednisone, methotrexate")
        await pilot.press("enter")
        await pilot.pause()
        await answer(pilot, screen, replay_answers("imane"))
        before = [(s.key, a.shown) for s, a in screen.session.steps()]
        current = screen.session.current.key
    # the app above was never told to quit cleanly; only what autosave wrote survives
    [saved] = History(tmp_path).list()
    assert saved.unfinished and saved.count == len(before)
    assert saved.label == "10 y · female · Juvenile dermatomyositis"
    async with make_app().run_test(size=(100, 32)) as pilot:
        await wait_for(pilot, lambda: pilot.app.screen.query("#resume"))
        assert pilot.app.screen.query_one("#resume", Button).display
        # the focus moves to the list (Enter resumes too) on the next turn of the loop
        await pilot.pause()
        assert pilot.app.focused is pilot.app.screen.query_one("#consults")
        await pilot.press("r")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ConsultScreen)
        assert [(s.key, a.shown) for s, a in screen.session.steps()] == before
        assert screen.session.current.key == current


async def test_a_drug_line_with_doses_survives_back_and_resume(consult_at, make_app):
    line = "topical STS 25% bid + Solupred 2 mg/kg/j, no IVIG"
    async with consult_at("imane", "prior_treatments") as (pilot, screen):
        await type_text(pilot, line)
        await pilot.press("enter")
        await pilot.pause()
        assert bubbles(screen, "answer")[-1] == line
        assert any("not given: immunoglobulin" in note for note in bubbles(screen, "note"))
        await pilot.press("ctrl+z")                    # back: the line is there to correct
        await pilot.pause()
        assert screen.session.current.key == StepKey("prior_treatments")
        assert screen.query_one("#drugs-line", Input).value == line
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("2")                         # STS: partial response
        await pilot.pause()
    async with make_app().run_test(size=(100, 32)) as pilot:
        await wait_for(pilot, lambda: pilot.app.screen.query("#resume"))
        await pilot.press("r")
        await pilot.pause()
        session = pilot.app.screen.session
        assert session.answers[StepKey("prior_treatments")].shown == line
        assert session.answers[StepKey("prior_treatments", 0, "response")].value == "partial"
        sts = session.drug_entries("prior_treatments")[0]
        assert sts.therapy == "sodium_thiosulfate_topical" and sts.dose.text == "topical 25% bid"


async def test_export_report_and_replay_file(consult_at, library, tmp_path):
    async with consult_at("sara", None) as (pilot, _):
        result = pilot.app.screen
        for key, name in (("m", "report.md"), ("s", "replay.yaml")):
            await pilot.press(key)
            await pilot.pause()
            path = pilot.app.screen.query_one("#path", Input)
            path.value = str(tmp_path / name)
            await pilot.press("enter")
            await pilot.pause()
            assert pilot.app.screen is result
    expected = replay(REPLAYS / "sara.yaml", library=library)
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    # the same report but for the time it was written, on its provenance line
    written = re.match(r"\*(.+?) · calcinosis-triage", report.splitlines()[4])
    assert written is not None, report.splitlines()[:6]
    want = consult_report(expected.recommendation(), expected.session, library, WHEN)
    assert report == want.replace(WHEN.strftime("%Y-%m-%d %H:%M %Z"), written.group(1), 1)
    again = replay(tmp_path / "replay.yaml", library=library, strict=True)
    assert again.session.facts == expected.session.facts


async def test_the_start_screen_shows_the_disclaimer_every_result_carries(make_app, library):
    async with make_app().run_test() as pilot:
        shown = str(pilot.app.screen.query_one("#start-disclaimer").content)
    assert shown == replay(REPLAYS / "sara.yaml", library=library).recommendation().disclaimer


async def test_help_theme_and_palette_entries(make_app):
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        dark = app.current_theme.dark
        await pilot.press("ctrl+t")
        assert app.current_theme.dark is not dark
        screen = await start(pilot)
        titles = [c.title for c in app.get_system_commands(screen)]
        assert {"Why is this asked?", "Back one step", "New consult", "Help"} <= set(titles)
        assert "Save the consult report" not in titles


async def test_a_broken_knowledge_base_exits_with_the_problem(root_copy):
    (root_copy / "knowledge" / "labs.yaml").write_text("labs: [\n", encoding="utf-8")
    app = TriageApp(root=root_copy)
    async with app.run_test() as pilot:
        await pilot.press("n")
        await pilot.pause()
    assert app.return_code == 1

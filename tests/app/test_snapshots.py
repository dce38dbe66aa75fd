"""SVG snapshots of the main screens at 80×24 (pytest-textual-snapshot).

Accept an intended change with ``pytest tests/app/test_snapshots.py --snapshot-update``
and review the SVGs under ``tests/app/__snapshots__/``. Cursor blink is off so shots are
stable.
"""

from __future__ import annotations

from textual.widgets import Input

from tests.support.files import replay_answers
from tests.support.keys import answer, run_consult

SIZE = (80, 24)


async def steady(pilot) -> None:
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


async def until(pilot, key: str) -> None:
    answers = replay_answers("rh")
    await pilot.press("n")
    await pilot.pause()
    while pilot.app.screen.session.current.key != key:
        await answer(pilot, pilot.app.screen, answers)


def test_start_screen(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE)


def test_question_with_red_flags(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await until(pilot, "calcinosis_sites")
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_drug_dropdown(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await until(pilot, "prior_treatments")
        await pilot.press(*"pred")
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_result_screen(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await pilot.press("n")
        await pilot.pause()
        await run_consult(pilot, replay_answers("sara"))
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)

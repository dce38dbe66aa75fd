"""SVG snapshots of the main screens at 80×24 (pytest-textual-snapshot).

Accept an intended change with ``pytest tests/test_snapshots.py --snapshot-update`` and
review the SVGs under ``tests/__snapshots__/``. Cursor blink is off so shots are stable.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from assistant.frontends.app.app import TriageApp
from assistant.frontends.userdata import Autosave

from .app_driver import answer, answers_of, run_consult
from .conftest import REPLAYS

SIZE = (80, 24)


@pytest.fixture
def app(library, tmp_path) -> TriageApp:
    return TriageApp(autosave=Autosave(tmp_path), library=library)


async def steady(pilot) -> None:
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


async def until(pilot, key: str) -> None:
    answers = answers_of(REPLAYS / "rh.yaml")
    await pilot.press("n")
    await pilot.pause()
    while pilot.app.screen.session.current.key != key:
        await answer(pilot, pilot.app.screen, answers)


def test_start_screen(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE)


def test_question_with_red_flags(snap_compare, app):
    async def run_before(pilot) -> None:
        await until(pilot, "calcinosis_sites")
        await steady(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_drug_dropdown(snap_compare, app):
    async def run_before(pilot) -> None:
        await until(pilot, "prior_treatments")
        await pilot.press(*"pred")
        await steady(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_result_screen(snap_compare, app):
    async def run_before(pilot) -> None:
        await pilot.press("n")
        await pilot.pause()
        await run_consult(pilot, answers_of(REPLAYS / "sara.yaml"))
        await steady(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

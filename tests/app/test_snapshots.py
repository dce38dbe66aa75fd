"""SVG snapshots of the main screens at 80×24, the result with many flags and the answers
panel at 120×40 too (pytest-textual-snapshot). A consult is
answered through the screen (not restored) so that red flags show where they fired.

Accept an intended change with ``pytest tests/app/test_snapshots.py --snapshot-update``
and review the SVGs under ``tests/app/__snapshots__/``. Cursor blink is off so shots are
stable.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.support.files import replay_answers
from tests.support.keys import fast_forward
from tests.support.screens import open_consult

SIZE = (80, 24)
SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


async def steady(pilot: Pilot) -> None:
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


def test_start_screen(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE)


def test_question_with_red_flags(snap_compare, make_app):
    async def run_before(pilot: Pilot) -> None:
        await pilot.press("n")
        await pilot.pause()
        await fast_forward(pilot, replay_answers("rh"), until="calcinosis_sites")
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_drug_dropdown(snap_compare, make_app):
    async def run_before(pilot: Pilot) -> None:
        await pilot.press("n")
        await pilot.pause()
        await fast_forward(pilot, replay_answers("rh"), until="prior_treatments")
        await pilot.press(*"pred")
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_result_screen(snap_compare, make_app, library):
    async def run_before(pilot: Pilot) -> None:
        await open_consult(pilot, library, "sara", None)
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


@SIZES
def test_result_screen_with_six_flags(snap_compare, make_app, library, size):
    """RH: the banner counts its flags and scrolls; long names in the table end in '…'."""
    async def run_before(pilot: Pilot) -> None:
        await open_consult(pilot, library, "rh", None)
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@SIZES
def test_answers_panel(snap_compare, make_app, library, size):
    """F3 at the labs: wrapped answers whole, the latest highlighted; Esc shown to close it."""
    async def run_before(pilot: Pilot) -> None:
        await open_consult(pilot, library, "rh", "esr")
        await pilot.press("f3")
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

"""App screens opened on fixture state instead of typed answers."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from textual.pilot import Pilot

from assistant.engine.library import Library
from assistant.frontends.app.app import TriageApp
from assistant.frontends.app.screens.consult import ConsultScreen

from .sessions import session_at


async def open_consult(pilot: Pilot, library: Library, replay: str,
                       question: str | None) -> ConsultScreen:
    """Push the consult screen on a session restored from a seed replay up to ``question``
    (without one: complete, and the result is shown, as when such a consult is resumed)."""
    app = pilot.app
    assert isinstance(app, TriageApp)
    saving = app.history.new() if app.history is not None else None
    screen = ConsultScreen(library, session_at(library, replay, question), saving)
    await app.push_screen(screen)
    if question is None:
        screen.action_result()
    await pilot.pause()
    return screen


def rendered(renderable: Any, width: int = 200) -> str:
    """A widget's content as text, as the terminal shows it, with wrapped lines joined (so a
    sentence can be looked for whatever the width)."""
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(renderable)
    return " ".join(console.export_text().split())

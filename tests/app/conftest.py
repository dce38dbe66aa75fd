"""App fixtures: the app on the test's own data folder, and a consult opened at the
question a test is about (restored from a seed replay, not typed)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot

from assistant.engine.library import Library
from assistant.frontends.app.app import TriageApp
from assistant.frontends.app.screens.consult import ConsultScreen
from assistant.frontends.consults import History
from assistant.frontends.userdata import StudyProgress
from tests.support.screens import open_consult

SIZE = (100, 32)
OpenConsult = Callable[..., AbstractAsyncContextManager[tuple[Pilot, ConsultScreen]]]


@pytest.fixture
def make_app(library: Library, tmp_path: Path) -> Callable[[], TriageApp]:
    """A new app on the shared knowledge base, keeping its consults and study progress in
    the test's folder."""
    def make() -> TriageApp:
        return TriageApp(history=History(tmp_path), library=library,
                         progress=StudyProgress(tmp_path))
    return make


@pytest.fixture
def consult_at(make_app: Callable[[], TriageApp], library: Library) -> OpenConsult:
    """``async with consult_at("rh", "prior_treatments") as (pilot, screen):`` runs the app
    with the consult screen open at that question of that seed replay."""
    @asynccontextmanager
    async def run(replay: str, question: str | None,
                  size: tuple[int, int] = SIZE) -> AsyncIterator[tuple[Pilot, ConsultScreen]]:
        async with make_app().run_test(size=size) as pilot:
            yield pilot, await open_consult(pilot, library, replay, question)
    return run

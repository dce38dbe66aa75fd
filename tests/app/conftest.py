"""App fixtures: the app on the shared knowledge base and the test's own data folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.engine.library import Library
from assistant.frontends.app.app import TriageApp
from assistant.frontends.userdata import Autosave, StudyProgress


@pytest.fixture
def make_app(library: Library, tmp_path: Path) -> Callable[[], TriageApp]:
    """A new app on the shared knowledge base, autosaving and recording study progress in
    the test's folder."""
    def make() -> TriageApp:
        return TriageApp(autosave=Autosave(tmp_path), library=library,
                         progress=StudyProgress(tmp_path))
    return make

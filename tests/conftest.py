"""Fixtures for every test: the real knowledge base, loaded once, disposable copies of it,
and a user data folder that is never the real one."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.engine.library import Library, load
from assistant.frontends.userdata import ENV_DIR
from tests.support.files import ROOT


@pytest.fixture(scope="session", autouse=True)
def user_data_elsewhere(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Autosave and study progress (in this process and in ``triage`` subprocesses) go to a
    temporary folder unless a test names its own."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV_DIR, str(tmp_path_factory.mktemp("user-data")))
        yield


@pytest.fixture(scope="session")
def library() -> Library:
    return load(ROOT)


@pytest.fixture
def root_copy(tmp_path: Path) -> Path:
    """A writable copy of knowledge/ and dialogs/ to break on purpose."""
    for name in ("knowledge", "dialogs"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path

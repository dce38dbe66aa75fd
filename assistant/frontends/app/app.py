"""The Textual app: screens for start, consult, result and help over the engine.

The knowledge base loads in a worker thread while the start screen paints (and the drug
matcher warms up there too), so start-up carries only Textual itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerFailed, WorkerState

from ..consults import ConsultFile, History, Listed, latest_unfinished
from ..text import literal
from ..userdata import StudyProgress
from .screens.start import StartScreen

if TYPE_CHECKING:
    from ...engine.library import Library
    from ...engine.session import Session


PAINT_GRACE = 0.15   # seconds: background loading starts once the first screen is written


class TriageApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "Calcinosis triage"
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False),
    ]

    def __init__(self, root: Path | None = None, history: History | None = None,
                 library: Library | None = None, progress: StudyProgress | None = None,
                 study: bool = False, consult: Path | None = None,
                 classroom: bool = False) -> None:
        """``history``: where consults are saved (None: nowhere); ``consult``: a consult
        file of the history to open at once; ``classroom`` (``triage serve``): each trainee
        first enters a name and studies on a progress file of their own."""
        super().__init__()
        self.root, self.history = root, history
        self.progress = progress or StudyProgress()
        self.study_first = study and not classroom
        self.consult_first, self.classroom = consult, classroom
        self._library = library
        self._loader: Worker[Library] | None = None
        self.consults: list[Listed] = []   # the history, read after the first paint

    def get_default_screen(self) -> Screen:
        return StartScreen()   # the first frame painted is the start screen itself

    def on_mount(self) -> None:
        self.set_timer(PAINT_GRACE, self._after_first_paint)
        if self.study_first:
            self.call_after_refresh(self.run_action, "study")
        if self.classroom:
            from .screens.study import TraineeScreen

            self.push_screen(TraineeScreen(self.progress.folder), self._trainee)

    def _trainee(self, name: str | None) -> None:
        """A classroom trainee has given their name: their own progress, then the cases."""
        if name:
            self.progress = StudyProgress(self.progress.folder, trainee=name,
                                          clock=self.progress.clock)
            self.call_after_refresh(self.run_action, "study")

    def _after_first_paint(self) -> None:
        """List the saved consults and load the knowledge base once the start screen is up."""
        self.read_history()
        self._start_loading()

    def _start_loading(self) -> None:
        if self._library is None and self._loader is None:
            self._loader = self.run_worker(self._load, thread=True, exit_on_error=False,
                                           name="load knowledge")

    def read_history(self) -> None:
        """(Re)read the consult history in the background and show it on the start screen."""
        if self.history is not None:
            self.run_worker(self._read_history, thread=True, exclusive=True,
                            group="history", name="read history")

    def _read_history(self) -> None:
        assert self.history is not None
        self.call_from_thread(self._show_history, self.history.list())

    def _show_history(self, consults: list[Listed]) -> None:
        self.consults = consults
        start = self.screen_stack[0]   # the default screen
        if isinstance(start, StartScreen):
            start.show_consults(consults)
        if self.consult_first is not None:
            wanted, self.consult_first = self.consult_first, None
            listed = next((c for c in consults if c.path == wanted), None)
            if listed is not None:
                self.run_worker(self.open_consult(listed))

    def _load(self) -> Library:
        from ...engine.library import load

        library = load(self.root)
        library.matcher.match("diltiazm")   # warm the matcher: other-drug list and fuzzy pool
        return library

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is self._loader and event.state == WorkerState.ERROR:
            self.exit(return_code=1, message=literal(event.worker.error))

    async def library(self) -> Library | None:
        """The loaded knowledge base (waiting for the loader if need be); None if it failed,
        in which case the app is exiting with the problem."""
        if self._library is None:
            self._start_loading()
            assert self._loader is not None
            try:
                self._library = await self._loader.wait()
            except WorkerFailed:
                return None
        return self._library

    # --- consults ---------------------------------------------------------------------------

    async def action_new_consult(self) -> None:
        """A new consult in a new file; every other consult's file stays as it is."""
        library = await self.library()
        if library is not None:
            self._open(library, library.new_session(),
                       self.history.new() if self.history is not None else None)

    async def action_resume(self) -> None:
        """Open the latest unfinished consult."""
        listed = latest_unfinished(self.consults)
        if listed is None:
            self.notify("There is no unfinished consult to resume.", severity="warning")
            return
        await self.open_consult(listed)

    async def open_consult(self, listed: Listed) -> None:
        """Carry on with a saved consult (its result at once when it is complete)."""
        from ...engine.errors import TriageError
        from ...engine.replay import restore

        if listed.answers is None or self.history is None:
            self.notify(f"{listed.path} cannot be opened: {listed.problem}. The file is kept "
                        "as it is.", severity="error", markup=False)
            return
        library = await self.library()
        if library is None:
            return
        try:
            session = restore(dict(listed.answers), library)
        except TriageError as exc:
            self.notify(f"{listed.path} cannot be resumed: {literal(exc)}. The file is kept "
                        "as it is.", severity="error", markup=False)
            return
        self._open(library, session, self.history.reopen(listed))

    def _open(self, library: Library, session: Session, saving: ConsultFile | None) -> None:
        from .screens.consult import ConsultScreen

        while len(self.screen_stack) > 1:
            self.pop_screen()
        screen = ConsultScreen(library, session, saving)
        self.push_screen(screen)
        if session.complete:
            screen.call_after_refresh(screen.action_result)

    async def action_study(self) -> None:
        from ...engine.errors import TriageError
        from .screens.study import CasesScreen

        library = await self.library()
        if library is None:
            return
        try:  # the cases are read on first use, off the event loop
            await asyncio.to_thread(lambda: library.knowledge.cases)
        except TriageError as exc:
            self.notify(f"The published cases cannot be read: {literal(exc)}",
                        severity="error", markup=False)
            return
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(CasesScreen(library, self.progress))

    # --- app-wide actions ---------------------------------------------------------------------

    def action_help(self) -> None:
        from .screens.help import HelpScreen  # Markdown rendering: off the start-up path

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("New consult", "Start a new consult", self.action_new_consult)
        yield SystemCommand("Study published cases", "Trainee self-study with scores",
                            self.action_study)
        yield SystemCommand("Help", "Keys and how answers are read", self.action_help)
        yield SystemCommand("Toggle light/dark", "Switch between light and dark themes",
                            self.action_toggle_theme)
        for name, help_text, action in (
                ("Why is this asked?", "Explain the current question", "why"),
                ("Back one step", "Withdraw the last answer", "back"),
                ("Answers", "Show the answers so far, to change one", "answers"),
                ("Show the result", "Triage and ranked options", "result"),
                ("Save the consult report", "Markdown report of the result", "export_report"),
                ("Save a replay file", "The session's answers, replayable", "export_replay")):
            method = getattr(screen, f"action_{action}", None)
            if method is not None:
                yield SystemCommand(name, help_text, method)


def run(root: Path | None = None, study: bool = False, consult: Path | None = None,
        classroom: bool = False) -> int:
    """Run the app on the user's terminal (``study``: open the case list; ``consult``: open
    that consult of the history; ``classroom``: ask the trainee's name first, and keep no
    shared consult history); returns the exit code."""
    app = TriageApp(root, None if classroom else History(), study=study, consult=consult,
                    classroom=classroom)
    app.run()
    return app.return_code or 0

"""The consult: transcript above an answer area, red flags as they fire, answers at the side.

Every answer goes to the engine's Session; the screen only shows what the session, the
triage rules and the records say, and autosaves after each change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from ....engine.consult_view import FLAG_TAG, ConsultView, Entry
from ....engine.errors import AnswerError
from ....engine.library import Library
from ....engine.session import Answer, Session, Step, StepKey
from ....engine.suggest import suggest
from ...consults import ConsultFile
from ...text import literal
from ..widgets.answers import AnswerGiven, ChoiceAnswer, MultiAnswer, NumberAnswer, TextAnswer
from ..widgets.drug_input import DrugInput
from ..widgets.edit_requested import EditRequested
from ..widgets.facts_panel import FactsPanel
from ..widgets.transcript import Transcript

NARROW = 100   # columns below which the answers panel shows only on request (F3)


class ConsultScreen(Screen):
    BINDINGS = [
        Binding("ctrl+r", "result", "Result"),
        Binding("f2", "why", "Why asked?"),
        Binding("ctrl+z", "back", "Back"),
        Binding("f3", "answers", "Answers"),
        Binding("f4", "vignette", "Vignette"),
        Binding("escape", "close", "Close"),
    ]

    def __init__(self, library: Library, session: Session, autosave: ConsultFile | None,
                 finish: Callable[[Session], None] | None = None,
                 vignette: str | None = None) -> None:
        """Study mode: ``finish`` replaces the result screen when the consult is complete,
        and F4 shows the case ``vignette`` (Markdown). A study round is blind: nothing of the
        result (triage banner, red flags or findings in the transcript, abnormal labs marked
        in the answers) shows before the trainee commits."""
        super().__init__()
        self.library, self.session, self.autosave = library, session, autosave
        self.finish, self.vignette = finish, vignette
        self.editing: Step | None = None
        self.view = ConsultView(library, session, blind=finish is not None)
        self.withdrawn: dict[StepKey, Answer] = {}   # answers taken back (Ctrl+Z), shown again
        self.why_for: StepKey | None = None
        self.error: str | None = None
        self._shown: tuple[StepKey | None, bool] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="progress")
        with Horizontal(id="body"):
            with Vertical(id="chat"):
                yield Transcript()
                yield Static(id="flags")
                yield Vertical(id="answer")
                yield Static(id="hint")
            yield FactsPanel()
        yield Footer()

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < NARROW, "-narrow")
        self.refresh_view()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")

    # --- the view -------------------------------------------------------------------------

    @property
    def step(self) -> Step | None:
        return self.editing or self.session.current

    def refresh_view(self) -> None:
        self._update_flags()
        self.query_one(Transcript).show(self._entries())
        self.query_one(FactsPanel).show(self.view.answers())
        self._show_progress()
        self._show_answer_area()
        self._show_hint()
        self.refresh_bindings()

    def _update_flags(self) -> None:
        self.view.update()
        red = self.view.triage.red_flags
        banner = self.query_one("#flags", Static)
        banner.display = bool(red)
        if red:
            text = Text()
            for i, flag in enumerate(red):
                text.append(("\n" if i else "") + f"{FLAG_TAG[flag.level]}: ", style="bold")
                text.append(literal(flag.message))
            banner.update(text)
            banner.set_class(red[0].level == "urgent", "-urgent")

    def _entries(self) -> list[Entry]:
        then = ("Ctrl+R goes on to your commitment" if self.view.blind
                else "Ctrl+R shows the result")
        return self.view.entries(self.why_for, f"The consult is complete. {then}; select an "
                                               "answer (F3, or click it) to change it.")

    def _show_progress(self) -> None:
        progress = self.view.progress()
        text = Text()
        for i in range(progress.total):
            text.append("●" if i < progress.index else ("◉" if i == progress.index else "○"),
                        style="bold" if i == progress.index else "")
        if progress.title is not None:
            text.append(f"  Section {progress.index + 1} of {progress.total}: {progress.title}")
        else:
            text.append("  Complete")
        if self.editing is not None:
            text.append("  ·  changing an earlier answer (Esc cancels)", style="italic")
        self.query_one("#progress", Static).update(text)

    def _show_answer_area(self) -> None:
        step = self.step
        shown = (step.key if step else None, self.editing is not None)
        if shown == self._shown:
            return
        self._shown = shown
        area = self.query_one("#answer", Vertical)
        area.remove_children()
        if step is None:
            area.display = False
            self.query_one(FactsPanel).focus()
            return
        area.display = True
        widget = self._widget_for(step)
        area.mount(widget)   # the widget focuses itself when mounted

    def _focus_answer(self) -> None:
        area = self.query_one("#answer", Vertical)
        for widget in area.query("Input, OptionList"):
            if widget.focusable and widget.id != "dropdown":
                widget.focus()
                return

    def _widget_for(self, step: Step) -> Any:
        """The answer widget for ``step``, holding the answer being changed, or the one taken
        back with Ctrl+Z, for correction."""
        given = self.session.answer_for(step.key) if self.editing else self.withdrawn.get(step.key)
        if given is not None and given.mention != step.mention:
            given = None   # taken back from another drug in that place
        raw = given.raw if given is not None else None
        value = given.value if given is not None else None
        if step.type in ("single", "yesno"):
            return ChoiceAnswer(step, value)
        if step.type == "multi":
            return MultiAnswer(step, value)
        if isinstance(raw, (list, tuple)):   # treatments listed one by one in a replay file
            raw = ", ".join(str(t) for t in raw)
        text = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
        if step.type == "number":
            return NumberAnswer(self.library.dialog.measures[step.question.id], text)
        if step.type == "drugs":
            matcher = self.library.matcher
            return DrugInput(lambda line, cursor: suggest(line, cursor, matcher), text)
        return TextAnswer(text)

    def _show_hint(self) -> None:
        hint = self.query_one("#hint", Static)
        hint.set_class(self.error is not None, "-error")
        if self.error is not None:
            hint.update(Text(literal(self.error)))
            return
        step = self.step
        hint.update(Text(self._hint(step) if step else ""))

    def _hint(self, step: Step) -> str:
        parts = []
        if self.editing is not None:
            parts.append(f"Changing: {step.prompt}")
        if step.type in ("single", "yesno"):
            parts.append("↑↓ and Enter, or the option's number")
        elif step.type == "multi":
            parts.append("Space or the number ticks; Enter sends")
        elif step.type == "drugs":
            parts.append("↓ picks a suggestion; Enter sends the line")
        return " · ".join(parts + self.view.accepts(step))

    # --- answering ------------------------------------------------------------------------

    def on_answer_given(self, message: AnswerGiven) -> None:
        message.stop()
        try:
            if self.editing is not None:
                self.session.edit(self.editing.key, message.raw)
                self.editing = None
            else:
                self.session.answer(message.raw)
        except AnswerError as exc:
            self.error = str(exc)
            self._show_hint()
            return
        self._changed()
        if self.session.complete and self.editing is None:
            self.action_result()

    def _changed(self) -> None:
        self.error = None
        self.why_for = None
        if self.autosave is not None:
            try:
                self.autosave.save(self.session)
            except OSError as exc:
                self.notify(f"The consult could not be saved: {literal(exc)}. Its answers "
                            "are kept on screen; every next answer saves it again.",
                            severity="error", timeout=30, markup=False)
        self.refresh_view()

    def on_edit_requested(self, message: EditRequested) -> None:
        self.start_edit(message.key)

    def start_edit(self, key: StepKey) -> None:
        step = next((s for s in self.session.path if s.key == key), None)
        if step is None:
            self.notify("That answer no longer applies; it is kept in case you change back.")
            return
        self.editing = step
        self.error = None
        self.remove_class("-show-facts")   # on a narrow terminal the panel covers the answer area
        self.refresh_view()

    # --- actions --------------------------------------------------------------------------

    def action_why(self) -> None:
        step = self.step
        if step is None:
            return
        if self.editing is not None:
            self.notify(step.why, title="Why this is asked")
            return
        self.why_for = None if self.why_for == step.key else step.key
        self.query_one(Transcript).show(self._entries())

    def action_back(self) -> None:
        """Take back the last answer; its question comes again with that answer in place."""
        if self.editing is not None:
            self.action_close()
            return
        last = self.session.path[-1] if self.session.path else None
        taken = self.session.answer_for(last.key) if last is not None else None
        try:
            self.session.back()
        except AnswerError as exc:
            self.notify(str(exc), severity="warning")
            return
        if last is not None and taken is not None:
            self.withdrawn[last.key] = taken
        self._changed()

    def action_close(self) -> None:
        """Esc: cancel a change, or close the answers panel."""
        if self.editing is not None:
            self.editing = None
            self.error = None
            self.refresh_view()
        elif self._panel_open():
            self.remove_class("-show-facts")
            self._focus_answer()
            self.refresh_bindings()

    def _panel_open(self) -> bool:
        """The answers panel is shown over the chat (narrow) or has the focus (wide)."""
        if self.has_class("-narrow"):
            return self.has_class("-show-facts")
        return self.query_one(FactsPanel).has_focus and self.step is not None

    def action_answers(self) -> None:
        """Show and focus the answers (to pick one to change); again: back to answering."""
        if self._panel_open():
            self.action_close()
            return
        panel = self.query_one(FactsPanel)
        self.add_class("-show-facts")
        if panel.highlighted is None and panel.option_count:
            panel.highlighted = panel.option_count - 1   # the latest answer
        panel.focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer shows only the keys that do something now."""
        if action == "vignette":
            return self.vignette is not None
        if action == "result":
            return self.session.complete
        if action == "why":
            return self.step is not None
        if action == "back":
            return bool(self.session.path) or self.editing is not None
        if action == "close":
            return self.editing is not None or self._panel_open()
        return True

    def action_vignette(self) -> None:
        from .help import HelpScreen

        if self.vignette is not None:
            self.app.push_screen(HelpScreen(self.vignette))

    def action_result(self) -> None:
        if not self.session.complete:
            self.notify("The result comes when every question is answered.", severity="warning")
            return
        if self.finish is not None:
            self.finish(self.session)
            return
        from .result import ResultScreen

        self.app.push_screen(ResultScreen(self.library, self.session, self.autosave))

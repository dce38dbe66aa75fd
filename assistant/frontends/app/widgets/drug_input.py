"""A drug-list input with the matcher's candidates in a dropdown, updated as you type.

Nothing in the dropdown is applied on its own: Down moves into it and Enter (or Tab)
replaces the mention with the chosen name; Enter in the input sends the whole line, which
the engine matches again (a look-alike is then confirmed as a follow-up question).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from ....engine.suggest import Suggestion
from ...text import literal
from .answers import AnswerGiven

Suggest = Callable[[str, int], list[Suggestion]]


class Dropdown(OptionList):
    BINDINGS = [Binding("tab", "select", "Apply", show=False),
                Binding("escape", "close", "Close list", show=False)]

    def action_close(self) -> None:
        self.display = False
        self._line().focus()

    def on_key(self, event: events.Key) -> None:
        if event.key == "up" and self.highlighted in (None, 0):
            event.stop()
            self._line().focus()

    def _line(self) -> Input:
        assert self.parent is not None
        return self.parent.query_one("#drugs-line", Input)


class DrugInput(Vertical):
    BINDINGS = [Binding("down", "dropdown", "Candidates", show=False)]

    def __init__(self, suggest: Suggest, current: str = "") -> None:
        super().__init__(classes="answer-widget drugs")
        self.suggest = suggest
        self.current = current
        self.suggestions: list[Suggestion] = []

    def compose(self) -> ComposeResult:
        yield Input(self.current, placeholder="e.g. pred + MTX, then Aredia; or 'none'",
                    id="drugs-line")
        dropdown = Dropdown(id="dropdown")
        dropdown.display = False
        yield dropdown

    def on_mount(self) -> None:
        self.query_one("#drugs-line", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        line = event.input
        self.suggestions = self.suggest(line.value, line.cursor_position)
        dropdown = self.query_one(Dropdown)
        dropdown.clear_options()
        dropdown.add_options(Option(Text(literal(s.label)), disabled=s.insert is None)
                             for s in self.suggestions)
        dropdown.display = bool(self.suggestions)

    def action_dropdown(self) -> None:
        dropdown = self.query_one(Dropdown)
        if dropdown.display and any(s.insert for s in self.suggestions):
            dropdown.focus()
            dropdown.highlighted = next(i for i, s in enumerate(self.suggestions) if s.insert)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = self.suggestions[event.option_index]
        if chosen.insert is None:
            return
        line = self.query_one("#drugs-line", Input)
        value = line.value
        line.value = value[:chosen.start] + chosen.insert + value[chosen.end:]
        line.cursor_position = chosen.start + len(chosen.insert)
        line.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(AnswerGiven(event.value))

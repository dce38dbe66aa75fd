"""The side panel: every answer so far, abnormal labs marked, stale answers shown as such.

Selecting an answer (Enter or click) asks to change it. Answers that no longer apply can be
reached with the keyboard too (to read them; selecting one says why it cannot be changed).
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ....engine.record import AnswerRow
from ...text import literal
from .edit_requested import EditRequested


class FactsPanel(OptionList):
    BORDER_TITLE = "Answers"

    def __init__(self) -> None:
        super().__init__(id="facts")
        self.lines: list[AnswerRow] = []

    def show(self, lines: list[AnswerRow]) -> None:
        if lines == self.lines:
            return
        highlighted = self.highlighted
        self.lines = lines
        self.clear_options()
        self.add_options(Option(_render(line)) for line in lines)
        if highlighted is not None and lines:
            self.highlighted = min(highlighted, len(lines) - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(EditRequested(self.lines[event.option_index].key))


def _render(line: AnswerRow) -> Text:
    text = Text(literal(line.prompt), style="dim")
    text.append("\n")
    text.append(literal(line.answer), style="strike dim" if line.stale else "bold")
    if line.flag:
        text.append(f"  ▲ {line.flag}" if line.flag.startswith("high") else f"  ▼ {line.flag}",
                    style="bold red")
    if line.reading:
        text.append("\n")
        text.append(literal(f"read as {line.reading}"), style="italic")
    if line.stale:
        text.append("  (no longer applies)", style="italic")
    return text

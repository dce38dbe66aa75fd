"""Answer widgets, one per question type; each posts ``AnswerGiven`` with the raw answer.

The raw answer is what the engine parses (an option value, a list of values, a number
with its unit, or text); the widgets only collect it.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, OptionList, Select
from textual.widgets.option_list import Option

from ....engine.dialog import Measure
from ....engine.session import UNKNOWN_CHOICE, Step
from ...text import literal


class AnswerGiven(Message):
    """The clinician gave an answer to the step on screen."""

    def __init__(self, raw: Any) -> None:
        super().__init__()
        self.raw = raw


def _numbered_option(event: events.Key, count: int) -> int | None:
    """The option a number key 1–9 picks (the key is then consumed), if there is one."""
    digit = event.character
    if digit is None or len(digit) != 1 or digit not in "123456789" or int(digit) > count:
        return None
    event.stop()
    return int(digit) - 1


def _numbered(i: int, label: str) -> Text:
    return Text.assemble((f"{i}. " if i <= 9 else "   ", "dim"), literal(label))


class ChoiceAnswer(OptionList):
    """One option: arrows and Enter, or its number key."""

    def __init__(self, step: Step, current: Any = None) -> None:
        self.values = [c.value for c in step.choices]
        super().__init__(*(Option(_numbered(i, c.label), id=c.value)
                           for i, c in enumerate(step.choices, 1)),
                         classes="answer-widget")
        self._current = _current_value(step, current)

    def on_mount(self) -> None:
        self.highlighted = self.values.index(self._current) if self._current in self.values else 0
        self.focus()

    def on_key(self, event: events.Key) -> None:
        i = _numbered_option(event, len(self.values))
        if i is not None:
            self.highlighted = i
            self.post_message(AnswerGiven(self.values[i]))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(AnswerGiven(event.option.id))


class MultiAnswer(OptionList):
    """Several options: Space (or the number key) ticks, Enter sends the ticked ones.

    An option list with a tick box in each prompt, so that long labels (the red flags)
    wrap instead of being cut short.
    """

    BINDINGS = [Binding("space", "tick", "Tick", show=False),
                Binding("enter", "submit", "Send ticked", show=False)]

    def __init__(self, step: Step, current: Any = None) -> None:
        self.values = [c.value for c in step.choices]
        self.labels = [c.label for c in step.choices]
        self.ticked: set[str] = set()
        if isinstance(current, frozenset):
            self.ticked = set(current) & set(self.values)
        elif current is not None and UNKNOWN_CHOICE in self.values:   # the answer was unknown
            self.ticked = {UNKNOWN_CHOICE}
        super().__init__(*(Option(self._prompt(i), id=value) for i, value in enumerate(self.values)),
                         classes="answer-widget")

    def _prompt(self, i: int) -> Table:
        """The tick box and number, then the label wrapping under itself."""
        box = ("[x]", "bold") if self.values[i] in self.ticked else ("[ ]", "dim")
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column()
        grid.add_row(Text.assemble(box, " ", (f"{i + 1}." if i < 9 else "  ", "dim")),
                     Text(literal(self.labels[i])))
        return grid

    @property
    def selected(self) -> list[str]:
        """The ticked values, in the options' order."""
        return [v for v in self.values if v in self.ticked]

    def on_mount(self) -> None:
        self.highlighted = 0
        self.focus()

    def on_key(self, event: events.Key) -> None:
        i = _numbered_option(event, len(self.values))
        if i is not None:
            self.highlighted = i
            self.tick(self.values[i])

    def tick(self, value: str) -> None:
        self.ticked ^= {value}
        i = self.values.index(value)
        self.replace_option_prompt_at_index(i, self._prompt(i))

    def action_tick(self) -> None:
        if self.highlighted is not None:
            self.tick(self.values[self.highlighted])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()   # a click ticks, as Space does
        self.tick(self.values[event.option_index])

    def action_submit(self) -> None:
        chosen = self.selected
        self.post_message(AnswerGiven(chosen if chosen else ""))


def units(measure: Measure) -> list[str]:
    """Unit names to choose from: the canonical unit first, one name per conversion factor."""
    seen: dict[float, str] = {measure.units.get(measure.unit, 1.0): measure.unit}
    for name, factor in measure.units.items():
        seen.setdefault(factor, name)
    return list(seen.values())


class NumberAnswer(Horizontal):
    """A number with a unit selector; a unit typed after the number wins over the selector."""

    def __init__(self, measure: Measure, current: str = "") -> None:
        super().__init__(classes="answer-widget number")
        self.measure = measure
        self.current = current

    def compose(self) -> ComposeResult:
        yield Input(self.current, placeholder=f"number in {self.measure.unit}", id="value")
        names = units(self.measure)
        if len(names) > 1:
            yield Select([(n, n) for n in names], value=names[0], allow_blank=False, id="unit",
                         compact=True)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        unit = self.query(Select).first().value if self.query(Select) else self.measure.unit
        bare = text and not any(c.isalpha() for c in text)
        self.post_message(AnswerGiven(f"{text} {unit}" if bare and unit != self.measure.unit
                                      else text))


class TextAnswer(Input):
    def __init__(self, current: str = "") -> None:
        super().__init__(current, placeholder="type the answer, then Enter",
                         classes="answer-widget")

    def on_mount(self) -> None:
        self.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(AnswerGiven(event.value))


def _current_value(step: Step, current: Any) -> str | None:
    if current is None:
        return None
    if step.type == "yesno" and isinstance(current, bool):
        return "yes" if current else "no"
    return current if isinstance(current, str) else UNKNOWN_CHOICE

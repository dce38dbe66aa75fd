"""The first screen: what the tool is for, the disclaimer, new consult, resume, and the
saved consults (latest unfinished first; Enter opens one).

Kept light: of the engine it imports only the disclaimer (a plain string), so it paints while
the knowledge loads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, OptionList, Static
from textual.widgets.option_list import Option

from ....engine.disclaimer import DISCLAIMER
from ...consults import Listed, latest_unfinished
from ...text import literal

if TYPE_CHECKING:
    from ..app import TriageApp

INTENDED_USE = (
    "For paediatricians, rheumatologists and trainees caring for a child with calcinosis "
    "complicating juvenile dermatomyositis (or related paediatric calcinosis). It asks about "
    "symptoms, disease activity, labs and prior treatments, flags what needs same-day care, "
    "and ranks the published therapy options with the reasons, doses as published, cautions "
    "and references.")
SHORT = 32   # rows below which the intended use is left out when there are consults to list


class StartScreen(Screen):
    BINDINGS = [
        Binding("n", "app.new_consult", "New consult"),
        Binding("r", "resume", "Resume"),
        Binding("s", "app.study", "Study cases"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.consults: list[Listed] = []
        self.listed = False   # the history has been read once

    def compose(self) -> ComposeResult:
        with Vertical(id="start"):
            yield Static("Calcinosis triage", id="app-title")
            yield Static("Juvenile dermatomyositis and related paediatric calcinosis",
                         id="app-subtitle")
            yield Static(INTENDED_USE, id="intended-use")
            yield Static(DISCLAIMER, id="start-disclaimer")
            with Horizontal(id="start-buttons"):
                yield Button("New consult (n)", id="new", variant="primary")
                yield Button("Study cases (s)", id="study")
            yield Static("Saved consults, unfinished first (↑↓ and Enter opens one)",
                         id="consults-title")
            yield OptionList(id="consults")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#new", Button).focus()

    def on_resize(self, event: events.Resize) -> None:
        # a short terminal with consults to list: the intended use gives way (F1 has it)
        self.set_class(event.size.height < SHORT, "-short")

    def show_consults(self, consults: list[Listed]) -> None:
        """The history was read (after the first paint): list it with the focus on it and
        the latest unfinished consult highlighted, and offer to resume that one."""
        self.consults, self.listed = consults, True
        listing = self.query_one("#consults", OptionList)
        listing.clear_options()
        listing.add_options(Option(Text(literal(c.summary()),
                                        style="" if c.readable else "italic"))
                            for c in consults)
        self.set_class(bool(consults), "-history")
        latest = latest_unfinished(consults)
        listing.highlighted = consults.index(latest) if latest else (0 if consults else None)
        if latest is not None and not self.query("#resume"):
            self.query_one("#start-buttons").mount(Button("Resume (r)", id="resume"),
                                                   before="#study")
        elif latest is None:
            self.query("#resume").remove()
        if consults and (self.focused is None or isinstance(self.focused, Button)):
            listing.focus()   # Enter opens the highlighted one: the latest unfinished
        self.refresh_bindings()

    @property
    def triage_app(self) -> TriageApp:
        return cast("TriageApp", self.app)

    def on_screen_resume(self) -> None:
        if self.listed:   # back from a consult, which may have been saved since
            self.triage_app.read_history()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "resume" or latest_unfinished(self.consults) is not None

    async def action_resume(self) -> None:
        await self.app.run_action("resume")

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        await self.triage_app.open_consult(self.consults[event.option_index])

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {"new": "new_consult", "study": "study", "resume": "resume"}
        await self.app.run_action(actions[event.button.id or "new"])

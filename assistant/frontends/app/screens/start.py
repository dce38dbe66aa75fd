"""The first screen: what the tool is for, the disclaimer, and new consult or resume.

Kept light: it imports no engine module, so it paints while the knowledge loads.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

INTENDED_USE = (
    "For paediatricians, rheumatologists and trainees caring for a child with calcinosis "
    "complicating juvenile dermatomyositis (or related paediatric calcinosis). It asks about "
    "symptoms, disease activity, labs and prior treatments, flags what needs same-day care, "
    "and ranks the published therapy options with the reasons, doses as published, cautions "
    "and references.")
DISCLAIMER = ("Decision support for clinicians, not a prescription. It does not replace "
              "clinical judgement; check every dose against a current formulary and local "
              "protocol.")


class StartScreen(Screen):
    BINDINGS = [
        Binding("n", "app.new_consult", "New consult"),
        Binding("r", "app.resume", "Resume"),
    ]

    def __init__(self, saved_answers: int) -> None:
        super().__init__()
        self.saved_answers = saved_answers

    def compose(self) -> ComposeResult:
        with Vertical(id="start"):
            yield Static("Calcinosis triage", id="app-title")
            yield Static("Juvenile dermatomyositis and related paediatric calcinosis",
                         id="app-subtitle")
            yield Static(INTENDED_USE, id="intended-use")
            yield Static(DISCLAIMER, id="start-disclaimer")
            with Horizontal(id="start-buttons"):
                yield Button("New consult (n)", id="new", variant="primary")
                if self.saved_answers:
                    yield Button(f"Resume the last consult: {self.saved_answers} answers (r)",
                                 id="resume")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#resume" if self.saved_answers else "#new", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "new":
            self.app.run_action("new_consult")
        else:
            self.app.run_action("resume")

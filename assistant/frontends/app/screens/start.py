"""The first screen: what the tool is for, the disclaimer, and new consult or resume.

Kept light: of the engine it imports only the disclaimer (a plain string), so it paints while
the knowledge loads.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from ....engine.disclaimer import DISCLAIMER

INTENDED_USE = (
    "For paediatricians, rheumatologists and trainees caring for a child with calcinosis "
    "complicating juvenile dermatomyositis (or related paediatric calcinosis). It asks about "
    "symptoms, disease activity, labs and prior treatments, flags what needs same-day care, "
    "and ranks the published therapy options with the reasons, doses as published, cautions "
    "and references.")


class StartScreen(Screen):
    BINDINGS = [
        Binding("n", "app.new_consult", "New consult"),
        Binding("r", "resume", "Resume"),
        Binding("s", "app.study", "Study cases"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.saved_answers = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="start"):
            yield Static("Calcinosis triage", id="app-title")
            yield Static("Juvenile dermatomyositis and related paediatric calcinosis",
                         id="app-subtitle")
            yield Static(INTENDED_USE, id="intended-use")
            yield Static(DISCLAIMER, id="start-disclaimer")
            with Horizontal(id="start-buttons"):
                yield Button("New consult (n)", id="new", variant="primary")
                yield Button("Study published cases (s)", id="study")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#new", Button).focus()

    def offer_resume(self, answers: int) -> None:
        """A saved consult was found (read after the first paint): offer to resume it."""
        self.saved_answers = answers
        button = Button(f"Resume: {answers} answers (r)", id="resume")
        self.query_one("#start-buttons").mount(button)
        button.focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "resume" or self.saved_answers > 0

    async def action_resume(self) -> None:
        await self.app.run_action("resume")

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {"new": "new_consult", "study": "study", "resume": "resume"}
        await self.app.run_action(actions[event.button.id or "new"])

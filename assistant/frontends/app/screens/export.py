"""A small dialog asking where to save a file; the caller supplies what to write."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ...text import literal


class ExportScreen(ModalScreen[Path | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, default: str, write: Callable[[Path], None]) -> None:
        super().__init__()
        self.title_text, self.default, self.write = title, default, write

    def compose(self) -> ComposeResult:
        with Vertical(id="export"):
            yield Label(self.title_text)
            yield Input(str(Path.cwd() / self.default), id="path")
            yield Static("Enter saves · Esc cancels", id="export-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path = Path(event.value.strip()).expanduser()
        try:
            self.write(path)
        except OSError as exc:
            self.query_one("#export-hint", Static).update(Text(f"Cannot save: {literal(exc)}"))
            return
        self.app.notify(f"Saved {literal(path)}", markup=False)
        self.dismiss(path)

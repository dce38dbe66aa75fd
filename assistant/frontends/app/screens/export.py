"""A small dialog asking where to save a file; the caller supplies the text to write.

The path offered is in the data folder under a timestamped name. A file that exists is
replaced only on a second Enter; a folder that does not exist is not created (the dialog
says so and offers the data folder instead).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from ... import exports
from ...text import literal

ENTER_HINT = "Enter saves · Esc cancels"


class ExportScreen(ModalScreen[Path | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, default: Path, text: Callable[[Path], str],
                 folder: Path | None = None) -> None:
        """``text``: what to write to the path chosen; ``folder``: the data folder (None:
        the user's)."""
        super().__init__()
        self.title_text, self.default, self.text, self.folder = title, default, text, folder
        self.confirmed: Path | None = None   # the existing file a second Enter replaces

    def compose(self) -> ComposeResult:
        with Vertical(id="export"):
            yield Label(self.title_text)
            yield Input(str(self.default), id="path")
            yield Static(ENTER_HINT, id="export-hint")
            button = Button("Save in the data folder instead", id="data-folder")
            button.display = False
            yield button

    def _say(self, text: str, error: bool = False) -> None:
        hint = self.query_one("#export-hint", Static)
        hint.update(Text(literal(text)))
        hint.set_class(error, "-error")

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.confirmed is not None and Path(event.value.strip()).expanduser() != self.confirmed:
            self.confirmed = None
            self._say(ENTER_HINT)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path = Path(event.value.strip()).expanduser()
        checked = exports.check(path, self.folder)
        self.query_one("#data-folder").display = checked.refusal is not None
        if checked.refusal is not None:
            self._say(f"Not saved: {checked.refusal}.", error=True)
            return
        if checked.exists and self.confirmed != path:
            self.confirmed = path
            self._say(f"{path} already exists. Enter again replaces it; Esc cancels.",
                      error=True)
            return
        try:
            exports.write(path, self.text(path), self.folder)
        except OSError as exc:
            self._say(f"Not saved: {exc}", error=True)
            return
        self.app.notify(f"Saved {literal(path)}", markup=False)
        self.dismiss(path)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Offer the same file name in the data folder (saved on Enter, not before)."""
        event.stop()
        line = self.query_one("#path", Input)
        name = Path(line.value.strip()).name or self.default.name
        line.value = str(self.default.parent / name)
        event.button.display = False
        self._say(ENTER_HINT)
        line.focus()

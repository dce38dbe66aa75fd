"""The chat transcript: the assistant's questions, the clinician's answers, notes and flags.

Everything shown is a ``rich.text.Text`` built from plain strings, so typed text is never
read as markup; control characters are shown as visible escapes.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from ....engine.consult_view import Entry
from ....engine.session import StepKey
from ...text import literal
from .edit_requested import EditRequested


class Bubble(Static):
    """One transcript entry; an answer bubble knows which step it answers."""

    def __init__(self, entry: Entry) -> None:
        super().__init__(Text(literal(entry.text)), classes=entry.kind)
        self.key: StepKey | None = entry.key
        if entry.key is not None:
            self.tooltip = "Click to change this answer"

    def on_click(self) -> None:
        if self.key is not None:
            self.post_message(EditRequested(self.key))


class Transcript(VerticalScroll, can_focus=False):
    """Keeps the transcript's entries in sync with the screen: only what changed after the
    first difference is replaced."""

    def __init__(self) -> None:
        super().__init__(id="transcript")
        self.entries: list[Entry] = []

    def on_mount(self) -> None:
        self.anchor()

    def show(self, entries: list[Entry]) -> None:
        same = 0
        while same < min(len(entries), len(self.entries)) and entries[same] == self.entries[same]:
            same += 1
        for bubble in list(self.query(Bubble))[same:]:
            bubble.remove()
        self.mount_all(Bubble(entry) for entry in entries[same:])
        self.entries = list(entries)
        self.anchor()

"""The triage banner: the headline with the engine's count of flags per level, then every
flag with its action under it, scrollable (never cut off) and shown full-height on request."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from ....engine.result_view import ResultView
from ...text import literal

MARK = {"urgent": "⚠ URGENT", "soon": "⚠ SOON", "routine": "• finding"}


def flags_table(view: ResultView) -> Table:
    """Every flag: its level, then the message with the action under it (wrapped, not cut)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for flag in view.flags:
        text = Text(literal(flag.message))
        if flag.action:
            text.append(f"\n→ {literal(flag.action)}")
        grid.add_row(Text(MARK.get(flag.level, flag.level), style="bold"), text)
    return grid


class TriageBanner(Vertical):
    def __init__(self, view: ResultView, level: str) -> None:
        super().__init__(id="banner", classes=f"-{level}")
        self.view = view

    def compose(self) -> ComposeResult:
        counts = f" ({self.view.counts})" if self.view.flags else ""   # not "(no red flag)" twice
        yield Static(Text(f"Triage: {self.view.headline}{counts}", style="bold"), id="banner-title")
        with VerticalScroll(id="banner-flags") as flags:
            flags.can_focus = bool(self.view.flags)
            yield Static(flags_table(self.view), id="banner-text")

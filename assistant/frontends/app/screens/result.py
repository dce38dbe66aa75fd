"""The result: triage banner, ranked table, the selected option in detail, exclusions.

Everything comes from ``recommend`` and the engine's Markdown; this module is imported
only when a consult is complete (Markdown rendering stays off the start-up path).
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Markdown, Static

from ....engine.library import Library
from ....engine.record import replay_yaml
from ....engine.recommend import Option, Recommendation, recommend
from ....engine.report import consult_report, option_markdown
from ....engine.rules import LEVEL_TEXT
from ....engine.session import Session
from ...text import literal
from ...userdata import atomic_write
from .export import ExportScreen

class ResultScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Change answers"),
        Binding("m", "export_report", "Save report"),
        Binding("s", "export_replay", "Save replay"),
        Binding("n", "app.new_consult", "New consult"),
    ]

    def __init__(self, library: Library, session: Session) -> None:
        super().__init__()
        self.library, self.session = library, session
        self.recommendation: Recommendation = recommend(session.facts, library)
        self.rows: list[tuple[Option, int | None]] = (
            [(o, i) for i, o in enumerate(self.recommendation.ranking, 1)]
            + [(o, None) for o in self.recommendation.excluded])

    def compose(self) -> ComposeResult:
        yield Static(self._banner(), id="banner",
                     classes=f"-{self.recommendation.triage.level}")
        with Horizontal(id="result-body"):
            yield DataTable(id="ranking", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="detail"):
                yield Markdown(id="detail-text")
        yield Static(Text(self.recommendation.disclaimer), id="disclaimer")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "Score", "Option")
        for option, rank in self.rows:
            if rank is None:
                table.add_row("–", Text("excl.", style="italic"),
                              Text(literal(option.therapy.name), style="dim strike"))
            else:
                table.add_row(str(rank), f"{option.score:g}", Text(literal(option.therapy.name)))
        table.focus()
        self._show(0)

    def _banner(self) -> Text:
        triage = self.recommendation.triage
        text = Text(f"Triage: {LEVEL_TEXT[triage.level]}", style="bold")
        for flag in triage.flags:
            text.append(f"\n⚠ {flag.level}: {literal(flag.message)}")
            if flag.action:
                text.append(f" → {literal(flag.action)}")
        return text

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show(event.cursor_row)

    def _show(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            option, rank = self.rows[row]
            self.query_one("#detail-text", Markdown).update(
                option_markdown(option, rank, self.library))
            self.query_one("#detail", VerticalScroll).scroll_home(animate=False)

    def action_export_report(self) -> None:
        def write(path: Path) -> None:
            atomic_write(path, consult_report(self.recommendation, self.session.facts,
                                              self.library))

        self.app.push_screen(ExportScreen("Save the consult report (Markdown)",
                                          "consult-report.md", write))

    def action_export_replay(self) -> None:
        def write(path: Path) -> None:
            atomic_write(path, replay_yaml(self.session))

        self.app.push_screen(ExportScreen("Save the session as a replay file (YAML)",
                                          "consult-replay.yaml", write))

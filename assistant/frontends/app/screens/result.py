"""The result: triage banner (every flag, scrollable; t shows them all at full height),
then the options by role beside the selected row in detail.

The first row is the summary (the pathway step by step, the first steps, the gaps and what
would change them, what is not for this child); then each role with its options, then the
options not for this child. Everything shown comes from the engine (``recommend``,
``result_view`` and the report's Markdown); this module decides nothing and is imported only
when a consult is complete (Markdown rendering stays off the start-up path).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Markdown, Static

from ....engine.disclaimer import DISCLAIMER_LINE
from ....engine.library import Library
from ....engine.pathway import PLACE_SHORT
from ....engine.recommend import Option, Recommendation, RoleGroup, recommend
from ....engine.record import replay_yaml
from ....engine.report import consult_report, md_text, option_markdown, summary_markdown
from ....engine.result_view import ROLE_STATUS_SHORT, ResultView, result_view
from ....engine.session import Session
from ...consults import STAMP, ConsultFile, now
from ...exports import default_path
from ...text import literal
from ..widgets.triage_banner import TriageBanner
from .export import ExportScreen


@dataclass(frozen=True)
class _Row:
    """What a table row stands for: the summary, a role heading, the heading of the options
    not for this child, or an option."""

    kind: Literal["summary", "role", "excluded", "option"]
    option: Option | None = None
    group: RoleGroup | None = None


NAME_WIDTH = 34    # the detail shows the whole name
NARROW = 100       # columns below which the detail opens over the table on Enter


def _fit(name: str) -> str:
    """A therapy name for the table, cut with an ellipsis when it is too long."""
    shown = literal(name)
    return shown if len(shown) <= NAME_WIDTH else shown[:NAME_WIDTH - 1] + "…"


class ResultScreen(Screen):
    BINDINGS = [
        Binding("escape", "back", "Answers"),
        Binding("t", "triage", "All flags"),
        Binding("m", "export_report", "Report"),
        Binding("s", "export_replay", "Replay file"),
        Binding("n", "app.new_consult", "New"),
    ]

    def __init__(self, library: Library, session: Session,
                 saving: ConsultFile | None = None) -> None:
        """``saving``: the consult's file (its name and folder name the exports)."""
        super().__init__()
        self.library, self.session, self.saving = library, session, saving
        self.recommendation: Recommendation = recommend(session.facts, library)
        self.view: ResultView = result_view(self.recommendation, library.vocabulary)
        self.rows: list[_Row] = [_Row("summary")]
        for group in self.recommendation.groups:
            self.rows.append(_Row("role", group=group))
            self.rows += [_Row("option", option=o) for o in group.options]
        if self.recommendation.excluded:
            self.rows.append(_Row("excluded"))
            self.rows += [_Row("option", option=o) for o in self.recommendation.excluded]
        self._summary: str | None = None

    def compose(self) -> ComposeResult:
        yield TriageBanner(self.view, self.recommendation.triage.level)
        with Horizontal(id="result-body"):
            yield DataTable(id="ranking", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="detail"):
                yield Markdown(id="detail-text")
        yield Static(Text(DISCLAIMER_LINE), id="disclaimer")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "Option", "Place")
        for row in self.rows:
            if row.kind == "summary":
                table.add_row("", Text("Summary: pathway and gaps", style="bold"), "")
            elif row.kind == "excluded":
                table.add_row("", Text("Not for this child", style="bold"), "")
            elif row.group is not None:
                table.add_row("", Text(literal(row.group.title), style="bold underline"),
                              Text(ROLE_STATUS_SHORT[row.group.status], style="italic"))
            else:
                o = row.option
                assert o is not None
                if o.excluded:
                    table.add_row("–", Text(_fit(o.therapy.name), style="dim strike"),
                                  Text("not here", style="dim"))
                else:
                    table.add_row(f"{o.rank}{'=' if o.tied else ''}", Text(_fit(o.therapy.name)),
                                  PLACE_SHORT[o.place] if o.place else "")
        table.focus()
        self.run_worker(self._summarise, thread=True, name="summary")
        self.set_class(self.app.size.width < NARROW, "-narrow")
        if not self.has_class("-narrow"):
            self._show(0)

    def _status(self, group: RoleGroup) -> str:
        return next(g.status for g in self.view.groups if g.title == group.title)

    def action_triage(self) -> None:
        """Every flag, full height (again: back to the options)."""
        full = not self.has_class("-triage-full")
        self.set_class(full, "-triage-full")
        if full:
            self.query_one("#banner-flags").focus()
        else:
            self.query_one(DataTable).focus()

    def action_back(self) -> None:
        """Esc: out of the full triage view first, then back to the answers."""
        if self.has_class("-triage-full"):
            self.action_triage()
        else:
            self.app.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "triage" or bool(self.view.flags)

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if not self.has_class("-narrow"):
            self._show(event.cursor_row)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """On a narrow terminal the detail opens over the table (Esc closes it)."""
        if self.has_class("-narrow") and 0 <= event.cursor_row < len(self.rows):
            from .help import HelpScreen

            self.app.push_screen(HelpScreen(self._markdown(self.rows[event.cursor_row])))

    def _show(self, index: int) -> None:
        if not 0 <= index < len(self.rows):
            return
        self.query_one("#detail-text", Markdown).update(self._markdown(self.rows[index]))
        self.query_one("#detail", VerticalScroll).scroll_home(animate=False)

    def _markdown(self, row: _Row) -> str:
        if row.option is not None:
            return option_markdown(row.option, self.library)
        if row.group is not None:
            return (f"## {md_text(row.group.title)} ({self._status(row.group)})\n\n"
                    f"{md_text(row.group.reason.text)}")
        if self._summary is None:
            return "Working out the pathway, the gaps and what would change…"
        return self._summary

    def _summarise(self) -> None:
        """The summary re-runs the engine once per alternative answer: off the UI thread."""
        summary = summary_markdown(self.recommendation, self.session.facts, self.library)
        self.app.call_from_thread(self._summarised, summary)

    def _summarised(self, summary: str) -> None:
        self._summary = summary
        table = self.query_one(DataTable)
        if not self.has_class("-narrow") and self.rows[table.cursor_row].kind == "summary":
            self._show(table.cursor_row)

    def _export(self, title: str, kind: str, text: Callable[[Path], str]) -> None:
        stem = self.saving.stem if self.saving is not None else f"consult-{now():{STAMP}}"
        folder = self.saving.data if self.saving is not None else None
        self.app.push_screen(ExportScreen(title, default_path(stem, kind, folder), text, folder))

    def action_export_report(self) -> None:
        self._export("Save the consult report (Markdown)", "report",
                     lambda _: consult_report(self.recommendation, self.session,
                                              self.library, now()))

    def action_export_replay(self) -> None:
        self._export("Save the session as a replay file (YAML)", "replay",
                     lambda _: replay_yaml(self.session))

"""Self-study screens: the case list with progress, the vignette, the commitment made
before anything is revealed, and the reveal with its score (all graded by engine.study)."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Label, Markdown, OptionList, Select, Static
from textual.widgets.option_list import Option

from ....engine.library import Library
from ....engine.report import md_text
from ....engine.rules import LEVEL_TEXT, LEVELS
from ....engine.schema import Case
from ....engine.session import Session
from ....engine.study import Commitment, Round, grade, reveal_markdown
from ...exports import default_path
from ...text import literal
from ...userdata import StudyProgress
from .export import ExportScreen


class CasesScreen(Screen):
    """The published cases, each with attempts and best score."""

    BINDINGS = [
        Binding("enter", "open", "Study case", show=True),
        Binding("x", "export", "Export progress"),
        Binding("ctrl+d", "reset", "Reset progress"),
    ]

    def __init__(self, library: Library, progress: StudyProgress) -> None:
        super().__init__()
        self.library, self.progress = library, progress
        self.cases: list[Case] = sorted(library.knowledge.cases.values(), key=lambda c: c.id)

    def compose(self) -> ComposeResult:
        yield Static("Self-study: published cases. Answer from the vignette, commit, then see "
                     "how your reading compares.", id="study-title")
        yield DataTable(id="cases", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Case", "Attempts", "Best", "Title")
        self.refresh_rows()
        table.focus()

    def on_screen_resume(self) -> None:
        self.refresh_rows()

    def refresh_rows(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        data = self.progress.read()
        for case in self.cases:
            entry = data.get(case.id, {})
            table.add_row(Text(literal(case.name)), str(entry.get("attempts", 0)),
                          "–" if entry.get("best") is None else str(entry["best"]),
                          Text(literal(case.title)), key=case.id)
        table.move_cursor(row=min(row, len(self.cases) - 1))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        case = self.cases[table.cursor_row]
        self.app.push_screen(VignetteScreen(self.library, self.progress, case))

    def action_export(self) -> None:
        titles = {c.id: c.title for c in self.cases}
        folder = self.progress.path.parent      # the data folder
        self.app.push_screen(ExportScreen("Export study progress (.csv, or .md for Markdown)",
                                          default_path("study", "progress", folder),
                                          lambda path: self.progress.as_text(path, titles),
                                          folder))

    def action_reset(self) -> None:
        def done(confirmed: bool | None) -> None:
            if confirmed:
                self.progress.reset()
                self.refresh_rows()
                self.notify("Study progress deleted.")

        self.app.push_screen(ConfirmScreen("Delete all study progress? (y / n)"), done)


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [Binding("y", "dismiss(True)", "Yes"), Binding("n,escape", "dismiss(False)", "No")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="export"):
            yield Label(self.question)


class VignetteScreen(Screen):
    """The case as the paper tells it, with its reference."""

    BINDINGS = [Binding("s", "start", "Start the dialog"), Binding("escape", "app.pop_screen", "Cases")]

    def __init__(self, library: Library, progress: StudyProgress, case: Case) -> None:
        super().__init__()
        self.library, self.progress, self.case = library, progress, case

    def vignette(self) -> str:
        ref = self.library.knowledge.references[self.case.ref]
        return (f"# {md_text(self.case.title)}\n\n" + "\n\n".join(
            md_text(p.replace("\n", " ")) for p in self.case.vignette.strip().split("\n\n"))
            + f"\n\n*Source: {md_text(ref.citation())}*")

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="vignette"):
            yield Markdown(self.vignette() + "\n\nPress **s** to run the triage dialog, "
                           "answering from the vignette ('unknown' where it does not say); "
                           "**F4** shows the vignette again during the dialog.")
        yield Footer()

    def action_start(self) -> None:
        from .consult import ConsultScreen

        def finish(session: Session) -> None:
            self.app.push_screen(CommitScreen(self.library, self.progress, self.case, session))

        self.app.push_screen(ConsultScreen(self.library, self.library.new_session(), None,
                                           finish=finish, vignette=self.vignette()))


class CommitScreen(Screen):
    """Before anything is revealed: a triage level, a first-line choice and a reason."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back to the answers")]

    def __init__(self, library: Library, progress: StudyProgress, case: Case,
                 session: Session) -> None:
        super().__init__()
        self.library, self.progress, self.case, self.session = library, progress, case, session
        self.therapies = sorted(library.knowledge.therapies.values(), key=lambda t: t.name)

    def compose(self) -> ComposeResult:
        with Vertical(id="commit"):
            yield Label("Commit before the reveal. Triage level:")
            yield OptionList(*(Option(LEVEL_TEXT[lv], id=lv) for lv in LEVELS), id="level")
            yield Label("First-line choice:")
            yield Select([(t.name, t.id) for t in self.therapies], id="therapy",
                         prompt="choose a therapy")
            yield Label("Your reason, in one line (Enter commits):")
            yield Input(placeholder="e.g. active disease first; then calcinosis-directed",
                        id="reason")
            yield Static(id="commit-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#level", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#therapy", Select).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.value is not Select.BLANK:
            self.query_one("#reason", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        levels = self.query_one("#level", OptionList)
        therapy = self.query_one("#therapy", Select).value
        hint = self.query_one("#commit-hint", Static)
        if levels.highlighted is None or therapy is Select.BLANK:
            hint.update("Choose a triage level and a first-line therapy first.")
            return
        commitment = Commitment(LEVELS[levels.highlighted], str(therapy), event.value.strip())
        result = grade(self.case, self.session, commitment, self.library)
        self.app.push_screen(RevealScreen(self.library, self.progress, result))


class RevealScreen(Screen):
    """The reveal and the score; the round is saved to the trainee's progress."""

    BINDINGS = [
        Binding("o", "override", "Override first choice"),
        Binding("escape,q", "done", "Back to cases"),
    ]

    def __init__(self, library: Library, progress: StudyProgress, result: Round) -> None:
        super().__init__()
        self.library, self.progress, self.result = library, progress, result

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="reveal"):
            yield Markdown(reveal_markdown(self.result, self.library), id="reveal-text")
        yield Footer()

    def on_mount(self) -> None:
        self.progress.record(self.result.case.id, self.result.to_json())
        self.query_one("#reveal").focus()

    def action_override(self) -> None:
        therapies = sorted(self.library.knowledge.therapies.values(), key=lambda t: t.name)

        def done(choice: tuple[str, str] | None) -> None:
            if choice is None:
                return
            therapy, reason = choice
            commitment = replace(self.result.commitment, override=therapy, override_reason=reason)
            self.result = replace(self.result, commitment=commitment)
            self.progress.replace_last(self.result.case.id, self.result.to_json())
            self.query_one("#reveal-text", Markdown).update(
                reveal_markdown(self.result, self.library))
            self.notify("Override recorded.")

        self.app.push_screen(OverrideScreen([(t.name, t.id) for t in therapies]), done)

    def action_done(self) -> None:
        while not isinstance(self.app.screen, CasesScreen) and len(self.app.screen_stack) > 1:
            self.app.pop_screen()


class OverrideScreen(ModalScreen[tuple[str, str] | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(id="export"):
            yield Label("Override the assistant's first choice with:")
            yield Select(self.choices, id="override", prompt="choose a therapy")
            yield Label("Why (Enter records):")
            yield Input(id="override-reason")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        therapy = self.query_one(Select).value
        if therapy is not Select.BLANK:
            self.dismiss((str(therapy), event.value.strip()))

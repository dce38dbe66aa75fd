"""Self-study screens: the case list with progress, the vignette, the commitment made
before anything is revealed, and the reveal with its score (all graded by engine.study)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Label, Markdown, OptionList, Select, Static
from textual.widgets.option_list import Option

from ....engine.errors import TriageError
from ....engine.library import Library
from ....engine.progress import CONFIDENCES, Calibration, Progress, calibration
from ....engine.report import md_text
from ....engine.rules import LEVEL_TEXT, LEVELS
from ....engine.session import Session
from ....engine.study import (
    CaseRow,
    Commitment,
    Round,
    StudyCase,
    case_list,
    catalogue,
    grade,
    reveal_markdown,
)
from ...exports import default_path
from ...text import literal
from ...userdata import StudyProgress, trainee_file
from .export import ExportScreen


class CasesScreen(Screen):
    """The study cases (published, and constructed variants), each with attempts, best
    score and when it comes back for review; the highlighted case's whole title, topics
    and difficulty below the table."""

    BINDINGS = [
        Binding("enter", "open", "Study case", show=True),
        Binding("x", "export", "Export progress"),
        Binding("ctrl+d", "reset", "Reset progress"),
    ]
    # fixed columns: difficulty, tries, best, review; the case's name takes what is left,
    # and its title too from WIDE columns on (narrower, the title shows below the list)
    WIDTHS = (4, 5, 4, 16)
    WIDE = 110
    DIFFICULTY = {"1": "●○○", "2": "●●○", "3": "●●●"}

    def __init__(self, library: Library, progress: StudyProgress) -> None:
        super().__init__()
        self.library, self.progress = library, progress
        self.cases: dict[str, StudyCase] = catalogue(library)
        self.rows: tuple[CaseRow, ...] = ()
        self._width = 0

    def compose(self) -> ComposeResult:
        who = (f" Trainee: {literal(self.progress.trainee)}." if self.progress.trainee else "")
        yield Static(Text("Self-study: published cases and constructed variants. Answer from "
                          "the vignette, commit, then see how your reading compares." + who),
                     id="study-title")
        yield DataTable(id="cases", cursor_type="row")
        yield Static(id="case-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_rows()
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        self.refresh_rows()

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width:
            self.refresh_rows()

    def read_progress(self) -> Progress:
        try:
            return self.progress.read()
        except TriageError as exc:
            self.notify(f"Your progress cannot be read: {literal(exc)}", severity="error",
                        markup=False, timeout=20)
            return Progress()

    def refresh_rows(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        self._width = self.size.width or self.app.size.width
        table.clear(columns=True)
        free = self._width - sum(self.WIDTHS) - 2 * (len(self.WIDTHS) + 2) - 2
        wide = self._width >= self.WIDE
        name_width = max(12, free // 3 if wide else free)
        columns = [("Case", name_width), ("Diff", 4), ("Tries", 5), ("Best", 4),
                   ("Review", 16)]
        if wide:
            columns.append(("Title", max(12, free - name_width - 2)))
        for label, width in columns:
            table.add_column(label, width=width)
        self.rows = case_list(self.library, self.read_progress(), self.progress.now())
        due = sum(r.due for r in self.rows)
        for r in self.rows:
            cells = [cut(r.name), self.DIFFICULTY.get(r.difficulty[:1], ""), str(r.attempts),
                     "–" if r.best is None else str(r.best),
                     cut(("● " if r.due else "") + r.review)]
            if wide:
                cells.append(cut(r.title))
            table.add_row(*cells, key=r.id)
        table.move_cursor(row=min(row, len(self.rows) - 1))
        table.border_title = f"{len(self.rows)} cases · {due} due for review"
        self.show_detail()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        """The highlighted case in full: its title is never only seen cut short."""
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row is None:
            return
        r = self.rows[min(table.cursor_row, len(self.rows) - 1)]
        text = Text(literal(r.title), style="bold")
        facts = [r.topics, f"difficulty {r.difficulty}" if r.difficulty else "",
                 f"review: {r.review}"]
        text.append("\n" + " · ".join(literal(f) for f in facts if f))
        self.query_one("#case-detail", Static).update(text)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        case = self.cases[self.rows[table.cursor_row].id]
        self.app.push_screen(VignetteScreen(self.library, self.progress, case))

    def action_export(self) -> None:
        if getattr(self.app, "classroom", False):
            # a browser trainee would choose a path on the teacher's machine: not theirs to
            # write; their progress file is already where the teacher's cohort reads it
            self.notify("Your progress is kept for your teacher (trainees/ in the data folder "
                        "of triage serve); nothing to export here.", markup=False)
            return
        titles = {cid: c.case.title for cid, c in self.cases.items()}
        folder = self.progress.folder           # the data folder (None: the user's)
        self.app.push_screen(ExportScreen("Export study progress (.csv, .json for a teacher, "
                                          "or .md for Markdown)",
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


def cut(text: str) -> Text:
    """A cell that ends in an ellipsis when its column is too narrow (typed text literal)."""
    return Text(literal(text), no_wrap=True, overflow="ellipsis")


class TraineeScreen(ModalScreen[str]):
    """A classroom trainee's name: it names their own progress file (made safe for a file
    name) and is shown exactly as typed."""

    def __init__(self, folder: Path | None) -> None:
        super().__init__()
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical(id="export"):
            yield Label("Self-study. Your name (Enter starts; your progress is kept under it):")
            yield Input(id="trainee", placeholder="e.g. Amina B.")
            yield Static(id="trainee-file")

    def on_input_changed(self, event: Input.Changed) -> None:
        name = event.value.strip()
        shown = Text(f"Progress file: trainees/{trainee_file(name)}" if name else "")
        self.query_one("#trainee-file", Static).update(shown)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.dismiss(event.value.strip())


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

    def __init__(self, library: Library, progress: StudyProgress, study: StudyCase) -> None:
        super().__init__()
        self.library, self.progress, self.study = library, progress, study
        self.case = study.case

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
            self.app.push_screen(CommitScreen(self.library, self.progress, self.study, session))

        self.app.push_screen(ConsultScreen(self.library, self.library.new_session(), None,
                                           finish=finish, vignette=self.vignette()))


class CommitScreen(Screen):
    """Before anything is revealed: a triage level, a first-line choice, how sure the
    trainee is, and a reason. The line at the bottom says what the keys do where the focus
    is (an error once Enter commits too early)."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back to the answers")]
    HINTS = {"level": "↑↓ then Enter: the triage level",
             "therapy": "Enter opens the therapies (type a name to jump to it)",
             "confidence": "Enter opens the confidences: how sure you are that the level and "
                           "the first choice are both right",
             "reason": "Type your reason; Enter commits, and the reveal follows"}

    def __init__(self, library: Library, progress: StudyProgress, study: StudyCase,
                 session: Session) -> None:
        super().__init__()
        self.library, self.progress, self.study, self.session = library, progress, study, session
        self.therapies = sorted(library.knowledge.therapies.values(), key=lambda t: t.name)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="commit"):
            yield Label("Commit before the reveal. Triage level:")
            yield OptionList(*(Option(LEVEL_TEXT[lv], id=lv) for lv in LEVELS), id="level")
            yield Label("First-line choice:")
            yield Select([(t.name, t.id) for t in self.therapies], id="therapy",
                         prompt="choose a therapy")
            yield Label("How sure are you that both are right?")
            yield Select([(f"{c} %", c) for c in CONFIDENCES], id="confidence",
                         prompt="choose a confidence")
            yield Label("Your reason, in one line (Enter commits):")
            yield Input(placeholder="e.g. active disease first; then calcinosis-directed",
                        id="reason")
        yield Static(id="commit-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#level", OptionList).focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        hint = self.HINTS.get(event.widget.id or "")
        if hint is not None:
            self._hint(hint)

    def _hint(self, text: str, error: bool = False) -> None:
        line = self.query_one("#commit-hint", Static)
        line.update(Text(text))
        line.set_class(error, "-error")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#therapy", Select).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.value is Select.NULL:
            return
        target = "#confidence" if event.select.id == "therapy" else "#reason"
        self.query_one(target).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        levels = self.query_one("#level", OptionList)
        therapy = self.query_one("#therapy", Select).value
        confidence = self.query_one("#confidence", Select).value
        if levels.highlighted is None or therapy is Select.NULL or confidence is Select.NULL:
            self._hint("Choose a triage level, a first-line therapy and your confidence first.",
                       error=True)
            return
        commitment = Commitment(LEVELS[levels.highlighted], str(therapy), event.value.strip(),
                                int(str(confidence)))
        result = grade(self.study.case, self.session, commitment, self.library,
                       self.study.variant_of)
        try:
            rounds = self.progress.record(result).rounds
        except (TriageError, OSError) as exc:
            self.notify(f"This round could not be saved: {literal(exc)}", severity="error",
                        markup=False, timeout=20)
            rounds = ()
        self.app.push_screen(RevealScreen(self.library, self.progress, result,
                                          calibration(rounds)))


class RevealScreen(Screen):
    """The reveal and the score (the round is already saved to the trainee's progress),
    with the trainee's calibration over their rounds."""

    BINDINGS = [
        Binding("o", "override", "Override first choice"),
        Binding("escape,q", "done", "Back to cases"),
    ]

    def __init__(self, library: Library, progress: StudyProgress, result: Round,
                 calibration: Calibration | None = None) -> None:
        super().__init__()
        self.library, self.progress, self.result = library, progress, result
        self.calibration = calibration

    def text(self) -> str:
        return reveal_markdown(self.result, self.library, self.calibration)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="reveal"):
            yield Markdown(self.text(), id="reveal-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#reveal").focus()

    def action_override(self) -> None:
        therapies = sorted(self.library.knowledge.therapies.values(), key=lambda t: t.name)

        def done(choice: tuple[str, str] | None) -> None:
            if choice is None:
                return
            therapy, reason = choice
            commitment = replace(self.result.commitment, override=therapy, override_reason=reason)
            self.result = replace(self.result, commitment=commitment)
            try:
                self.progress.replace_last(self.result)
            except (TriageError, OSError) as exc:
                self.notify(f"The override could not be saved: {literal(exc)}",
                            severity="error", markup=False)
                return
            self.query_one("#reveal-text", Markdown).update(self.text())
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
        if therapy is not Select.NULL:
            self.dismiss((str(therapy), event.value.strip()))

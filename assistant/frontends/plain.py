"""A plain line-by-line chat over standard input and output (``triage --plain``).

Every answer is saved at once into the consult history, like the app's (its own file, a
replay file), and answers read from a pipe are echoed after their prompt so that the output
reads as a transcript.
"""

from __future__ import annotations

from typing import TextIO

from ..engine.consult_view import ConsultView, flag_text
from ..engine.errors import AnswerError
from ..engine.library import Library
from ..engine.recommend import recommend
from ..engine.record import answer_rows, drug_reading
from ..engine.result_view import result_view
from ..engine.session import Session, Step
from .consults import ConsultFile, History
from .text import literal, result_lines

COMMANDS = """Commands (type them instead of an answer):
  /why          why this question is asked
  /back         go back one question
  /edit N       change answer N (numbered by /answers)
  /answers      the answers so far
  /help         this list
  /quit         stop (answers so far are shown)"""


class PlainChat:
    """The consult as lines of text. ``blind`` (a study round): no red flags while answering
    and no result at the end; the trainee commits first."""

    def __init__(self, library: Library, stdin: TextIO, stdout: TextIO, blind: bool = False,
                 autosave: ConsultFile | None = None):
        self.library, self.stdin, self.stdout = library, stdin, stdout
        self.blind = blind
        self.autosave = autosave
        self.echo = not stdin.isatty()
        self.session: Session = library.new_session()
        self.view = ConsultView(library, self.session, blind)
        self._section: str | None = None

    def say(self, text: str = "") -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def run(self) -> int:
        dialog = self.library.dialog
        self.say(dialog.title)
        self.say(dialog.intro)
        self.say("Type /help for commands.\n")
        while (step := self.session.current) is not None:
            self.ask(step)
            line = self.read()
            if line is None:
                self.say("\nInput ended; the consult is incomplete.")
                self.show_answers()
                return 1
            if line.startswith("/"):
                if self.command(line.strip()) == "quit":
                    self.show_answers()
                    return 1
                continue
            try:
                self.session.answer(line)
            except AnswerError as exc:
                self.say(f"  ! {literal(exc)}")
                continue
            self.saved(step)
        self.say("\nThe consult is complete.")
        self.show_answers()
        if not self.blind:
            view = result_view(recommend(self.session.facts, self.library), self.library.vocabulary)
            self.say("\n".join(result_lines(view)))
        return 0

    def read(self) -> str | None:
        """The next input line (None at the end), echoed when it comes from a pipe."""
        line = self.stdin.readline()
        if not line:
            return None
        line = line.rstrip("\n")
        if self.echo:
            self.say(literal(line))
        return line

    def saved(self, step: Step) -> None:
        """After an answer: save the consult, say what a treatment line was read as and
        which red flags or findings the answer raised."""
        self.save()
        reading = drug_reading(self.session, step.key)
        if reading is not None:
            self.say(f"  Read as {literal(reading)}")
        for flag in self.view.update():
            self.say(f"  {literal(flag_text(flag))}")

    def save(self) -> None:
        if self.autosave is None:
            return
        try:
            self.autosave.save(self.session)
        except OSError as exc:
            self.say(f"  ! the consult could not be saved: {literal(exc)}")

    def ask(self, step: Step) -> None:
        if step.section.id != self._section:
            self._section = step.section.id
            progress = self.view.progress()
            self.say(f"\n== Section {progress.index + 1} of {progress.total}: "
                     f"{step.section.title} ==")
        self.say(f"\n{literal(step.prompt)}")
        for i, choice in enumerate(step.choices, 1):
            self.say(f"  {i}. {literal(choice.label)}")
        hints = []
        if step.type == "multi":
            hints.append("several allowed, separated by commas")
        elif step.type in ("single", "yesno"):
            hints.append("the number or the words")
        hints += self.view.accepts(step)
        if hints:
            self.say("  (" + "; ".join(literal(h) for h in hints) + ")")
        self.stdout.write("> ")
        self.stdout.flush()

    def command(self, line: str) -> str | None:
        name, _, arg = line.partition(" ")
        step = self.session.current
        if name == "/quit":
            return "quit"
        if name == "/why" and step is not None:
            self.say(f"  Why: {step.why}")
        elif name == "/back":
            try:
                self.session.back()
            except AnswerError as exc:
                self.say(f"  ! {exc}")
                return None
            self.save()
            self.view.update()
        elif name == "/edit":
            self.edit(arg.strip())
        elif name == "/answers":
            self.show_answers()
        else:
            self.say(COMMANDS)
        return None

    def edit(self, number: str) -> None:
        rows = [row for row in answer_rows(self.session) if not row.stale]
        if not (number.isdigit() and 1 <= int(number) <= len(rows)):
            self.say(f"  ! '{literal(number)}' is not an answer number; /answers lists them")
            return
        key = rows[int(number) - 1].key
        step = next(s for s in self.session.path if s.key == key)
        self.ask(step)
        line = self.read()
        if line is None:
            return
        try:
            self.session.edit(key, line)
        except AnswerError as exc:
            self.say(f"  ! {literal(exc)}")
            return
        self.saved(step)

    def show_answers(self) -> None:
        self.say("\nAnswers:")
        rows = self.view.answers()
        for i, row in enumerate((r for r in rows if not r.stale), 1):
            flag = f"   ! {row.flag}" if row.flag else ""
            self.say(f"  {i}. {literal(row.label)}: {literal(row.answer)}{flag}")
            if row.reading:
                self.say(f"     read as {literal(row.reading)}")
        stale = [literal(row.label) for row in rows if row.stale]
        if stale:
            self.say("  No longer apply after a change: " + ", ".join(stale))


def run(library: Library, stdin: TextIO, stdout: TextIO) -> int:
    saving = History().new()
    code = PlainChat(library, stdin, stdout, autosave=saving).run()
    if saving.path is not None:
        stdout.write(f"\nThis consult is saved in {literal(saving.path)}\n"
                     "(triage consults lists every saved consult).\n")
    return code

"""A plain line-by-line chat over standard input and output (``triage --plain``).

Every answer is saved at once into the consult history, like the app's (its own file, a
replay file), and answers read from a pipe are echoed after their prompt so that the output
reads as a transcript.
"""

from __future__ import annotations

from typing import TextIO

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
  /edit ID      change an earlier answer (IDs are listed by /answers)
  /answers      the answers so far
  /help         this list
  /quit         stop (answers so far are shown)"""


class PlainChat:
    def __init__(self, library: Library, stdin: TextIO, stdout: TextIO, show_result: bool = True,
                 autosave: ConsultFile | None = None):
        self.library, self.stdin, self.stdout = library, stdin, stdout
        self.show_result = show_result
        self.autosave = autosave
        self.echo = not stdin.isatty()
        self.session: Session = library.new_session()
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
        if self.show_result:
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
        """After an answer: save the consult, and say what a treatment line was read as."""
        self.save()
        reading = drug_reading(self.session, step.key)
        if reading is not None:
            self.say(f"  Read as {literal(reading)}")

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
            self.say(f"\n== {step.section.title} ==")
        self.say(f"\n{literal(step.prompt)}")
        for i, option in enumerate(step.options, 1):
            self.say(f"  {i}. {literal(option.label)}")
        hints = []
        if step.type == "multi":
            hints.append("several allowed, separated by commas")
        if step.type == "yesno":
            hints.append("yes or no")
        if step.index is None and step.question.help:
            hints.append(step.question.help.rstrip("."))
        elif step.type == "number":
            hints.append(f"in {self.library.dialog.measures[step.question.id].unit}")
        if step.unknown:
            hints.append(f"or 'unknown' ({step.unknown})")
        if hints:
            self.say("  (" + "; ".join(hints) + ")")
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
        elif name == "/edit":
            self.edit(arg.strip())
        elif name == "/answers":
            self.show_answers()
        else:
            self.say(COMMANDS)
        return None

    def edit(self, key: str) -> None:
        step = next((s for s in self.session.path if s.key == key), None)
        if step is None:
            self.say(f"  ! '{literal(key)}' is not an answered question; see /answers")
            return
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
        rows = answer_rows(self.session)
        for row in rows:
            if not row.stale:
                flag = f"   ! {row.flag}" if row.flag else ""
                self.say(f"  {row.key}: {literal(row.answer)}{flag}")
                if row.reading:
                    self.say(f"    read as {literal(row.reading)}")
        stale = [row.key for row in rows if row.stale]
        if stale:
            self.say("  No longer apply after a change: " + ", ".join(stale))


def run(library: Library, stdin: TextIO, stdout: TextIO) -> int:
    saving = History().new()
    code = PlainChat(library, stdin, stdout, autosave=saving).run()
    if saving.path is not None:
        stdout.write(f"\nThis consult is saved in {literal(saving.path)}\n"
                     "(triage consults lists every saved consult).\n")
    return code

"""Trainee self-study as a plain line-by-line session (``triage study --plain``)."""

from __future__ import annotations

from dataclasses import replace
from typing import TextIO

from ..engine.library import Library
from ..engine.rules import LEVEL_TEXT, LEVELS
from ..engine.schema import Case
from ..engine.study import Commitment, grade, reveal_markdown
from .plain import PlainChat
from .text import literal
from .userdata import StudyProgress


class PlainStudy:
    def __init__(self, library: Library, progress: StudyProgress, stdin: TextIO, stdout: TextIO):
        self.library, self.progress, self.stdin, self.stdout = library, progress, stdin, stdout
        self.cases = sorted(library.knowledge.cases.values(), key=lambda c: c.id)
        self.therapies = sorted(library.knowledge.therapies.values(), key=lambda t: t.name)

    def say(self, text: str = "") -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def ask(self, prompt: str) -> str | None:
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        return None if not line else line.strip()

    def run(self) -> int:
        self.say("Self-study on published cases. Decision support for clinicians, not a "
                 "prescription.\n")
        while True:
            case = self.choose_case()
            if case is None:
                return 0
            if not self.study(case):
                return 1

    def choose_case(self) -> Case | None:
        progress = self.progress.read()
        self.say("Cases:")
        for i, case in enumerate(self.cases, 1):
            entry = progress.get(case.id)
            done = (f"attempts {entry['attempts']}, best {entry['best']}" if entry
                    else "not attempted")
            self.say(f"  {i}. {literal(case.title)} ({done})")
        while True:
            line = self.ask("Case number (or q to quit): ")
            if line is None or line.lower() in ("q", "quit", "/quit"):
                return None
            if line.isdigit() and 1 <= int(line) <= len(self.cases):
                return self.cases[int(line) - 1]
            self.say(f"  ! choose 1 to {len(self.cases)}")

    def study(self, case: Case) -> bool:
        ref = self.library.knowledge.references[case.ref]
        self.say(f"\n# {literal(case.title)}\n\n{literal(case.vignette.strip())}\n")
        self.say(f"Source: {literal(ref.citation())}\n")
        self.say("Answer the dialog from the vignette ('unknown' where it does not say).")
        chat = PlainChat(self.library, self.stdin, self.stdout, blind=True)
        if chat.run() != 0:
            return False
        self.say("\nBefore anything is revealed, commit to a triage level and a first-line "
                 "choice.")
        level = self.pick("Triage level", list(LEVELS), [LEVEL_TEXT[lv] for lv in LEVELS])
        therapy = self.pick_therapy("First-line choice")
        if level is None or therapy is None:
            return False
        reason = self.ask("Your reason, in one line: ") or ""
        result = grade(case, chat.session, Commitment(level, therapy, reason), self.library)
        self.say("\n" + literal(reveal_markdown(result, self.library)))
        top = result.assistant.ranking[0].therapy.id if result.assistant.ranking else None
        override = self.pick_therapy("Override the assistant's first choice? Therapy number, "
                                     "or Enter to accept it", optional=True)
        if override is not None and override != top:
            why = self.ask("Why do you override it (one line)? ") or ""
            result = replace(result, commitment=replace(result.commitment, override=override,
                                                         override_reason=why))
        entry = self.progress.record(case.id, result.to_json())
        self.say(f"Saved. Score {result.score}; best for this case {entry['best']} "
                 f"after {entry['attempts']} attempt(s).\n")
        return True

    def pick(self, prompt: str, values: list[str], labels: list[str],
             optional: bool = False) -> str | None:
        """A numbered choice (number or value); with ``optional``, Enter answers None."""
        for i, label in enumerate(labels, 1):
            self.say(f"  {i:2}. {literal(label)}")
        while True:
            line = self.ask(f"{prompt}: ")
            if line is None or (optional and not line):
                return None
            if line.isdigit() and 1 <= int(line) <= len(values):
                return values[int(line) - 1]
            if line.lower() in values:
                return line.lower()
            self.say(f"  ! type a number from 1 to {len(values)}")

    def pick_therapy(self, prompt: str, optional: bool = False) -> str | None:
        return self.pick(prompt, [t.id for t in self.therapies],
                         [t.name for t in self.therapies], optional)


def run(library: Library, progress: StudyProgress, stdin: TextIO, stdout: TextIO) -> int:
    return PlainStudy(library, progress, stdin, stdout).run()

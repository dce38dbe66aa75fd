"""Trainee self-study as a plain line-by-line session (``triage study --plain``)."""

from __future__ import annotations

from dataclasses import replace
from typing import TextIO

from ..engine.errors import TriageError
from ..engine.library import Library
from ..engine.progress import CONFIDENCES, Progress, calibration
from ..engine.rules import LEVEL_TEXT, LEVELS
from ..engine.study import Commitment, StudyCase, case_list, catalogue, grade, reveal_markdown
from .plain import PlainChat
from .text import literal
from .userdata import StudyProgress


class PlainStudy:
    def __init__(self, library: Library, progress: StudyProgress, stdin: TextIO, stdout: TextIO):
        self.library, self.progress, self.stdin, self.stdout = library, progress, stdin, stdout
        self.cases = list(catalogue(library).values())
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

    def read_progress(self) -> Progress:
        try:
            return self.progress.read()
        except TriageError as exc:
            self.say(f"  ! your progress cannot be read: {literal(exc)}")
            return Progress()

    def choose_case(self) -> StudyCase | None:
        rows = case_list(self.library, self.read_progress(), self.progress.now())
        due = sum(r.due for r in rows)
        self.say(f"Cases ({len(rows)}; {due} due for review, marked *):")
        for i, r in enumerate(rows, 1):
            done = (f"attempts {r.attempts}, best {r.best}" if r.attempts else "not attempted")
            about = "; ".join(x for x in (r.topics, f"difficulty {r.difficulty}"
                                          if r.difficulty else "") if x)
            self.say(f" {'*' if r.due else ' '}{i:2}. {literal(r.title)} ({done})")
            self.say(f"      {literal(about)}" + (f" · review {r.review}" if r.attempts else ""))
        while True:
            line = self.ask("Case number (or q to quit): ")
            if line is None or line.lower() in ("q", "quit", "/quit"):
                return None
            if line.isdigit() and 1 <= int(line) <= len(self.cases):
                return self.cases[int(line) - 1]
            self.say(f"  ! choose 1 to {len(self.cases)}")

    def study(self, study: StudyCase) -> bool:
        case = study.case
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
        therapy = self.pick_therapy("First-line choice") if level is not None else None
        sure = (self.pick("How sure are you that both are right", [str(c) for c in CONFIDENCES],
                          [f"{c} %" for c in CONFIDENCES]) if therapy is not None else None)
        if level is None or therapy is None or sure is None:
            return False
        reason = self.ask("Your reason, in one line: ") or ""
        result = grade(case, chat.session, Commitment(level, therapy, reason, int(sure)),
                       self.library, study.variant_of)
        try:
            progress = self.progress.record(result)
        except (TriageError, OSError) as exc:
            self.say(f"  ! this round could not be saved: {literal(exc)}")
            progress = None
        rounds = progress.rounds if progress is not None else ()
        self.say("\n" + literal(reveal_markdown(result, self.library, calibration(rounds))))
        top = result.assistant.ranking[0].therapy.id if result.assistant.ranking else None
        override = self.pick_therapy("Override the assistant's first choice? Therapy number, "
                                     "or Enter to accept it", optional=True)
        if override is not None and override != top:
            why = self.ask("Why do you override it (one line)? ") or ""
            result = replace(result, commitment=replace(result.commitment, override=override,
                                                         override_reason=why))
            if progress is not None:
                self.progress.replace_last(result)
        if progress is not None:
            summary = progress.summary(case.id)
            assert summary is not None
            self.say(f"Saved. Score {result.score}; best for this case {summary.best} "
                     f"after {summary.attempts} attempt(s).\n")
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

"""What a consult in progress shows, computed once for every front end (the app and the
plain chat): the transcript with each red flag after the answer that raised it, the flags in
force, where the dialog stands, and what the current question accepts.

Pure data in plain strings; each front end only lays it out and adds its own keys.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from .library import Library
from .recommend import Flag, Triage, triage
from .record import AnswerRow, answer_rows, drug_reading, known_age, reference_text
from .session import Session, Step, StepKey

# a fired rule's level as a short tag before its message (a routine rule is a finding, not a
# red flag); the level's full name is rules.LEVEL_TEXT
FLAG_TAG = {"urgent": "⚠ URGENT", "soon": "⚠ SOON", "routine": "Note"}

Kind = Literal["section", "question", "answer", "note", "flag", "finding"]


@dataclass(frozen=True)
class Entry:
    """One transcript line; an answer knows the step it answers (to change it)."""

    kind: Kind
    text: str
    key: StepKey | None = None


@dataclass(frozen=True)
class Progress:
    """Where the dialog stands: ``index`` of the current section (``total`` when complete)."""

    index: int
    total: int
    title: str | None      # the current section's title; None when complete


def flag_text(flag: Flag, with_action: bool = True) -> str:
    action = f" → {flag.action}" if with_action and flag.action else ""
    return f"{FLAG_TAG[flag.level]}: {flag.message}{action}"


class ConsultView:
    """Follows one session. ``update`` after every change places newly fired flags after
    the answer that raised them. A ``blind`` view (a study round, before the trainee
    commits) runs no triage at all: nothing of the result shows."""

    def __init__(self, library: Library, session: Session, blind: bool = False) -> None:
        self.library, self.session, self.blind = library, session, blind
        self.triage = Triage("routine", ())      # as the answers stood at the last update
        self._fired_after: dict[str, StepKey] = {}   # flag id -> answer after which it fired

    def update(self) -> tuple[Flag, ...]:
        """Run the triage on the answers as they stand; returns the flags that fired now."""
        if self.blind:
            return ()
        self.triage = result = triage(self.session.facts, self.library)
        path = self.session.path
        new = tuple(f for f in result.flags if f.id not in self._fired_after)
        if path:
            for flag in new:
                self._fired_after[flag.id] = path[-1].key
        fired = {f.id for f in result.flags}
        self._fired_after = {k: v for k, v in self._fired_after.items() if k in fired}
        return new

    def answers(self) -> list[AnswerRow]:
        """Every answer so far, abnormal labs marked, except in a blind view: reading a lab
        against its range is part of what a study round tests."""
        rows = answer_rows(self.session)
        return [replace(row, flag=None) for row in rows] if self.blind else rows

    def entries(self, why_for: StepKey | None = None, complete_note: str = "") -> list[Entry]:
        """The transcript: sections, questions, answers (with what a treatment line was read
        as, and the flags each answer raised), then the question waiting for an answer (with
        why it is asked when ``why_for`` is its key) or ``complete_note``."""
        session = self.session
        out: list[Entry] = []
        section = None
        after: dict[StepKey, list[Flag]] = {}
        for flag in self.triage.flags:
            if flag.id in self._fired_after:
                after.setdefault(self._fired_after[flag.id], []).append(flag)
        for step, answer in session.steps():
            if step.section.id != section:
                section = step.section.id
                out.append(Entry("section", step.section.title))
            out.append(Entry("question", step.prompt))
            out.append(Entry("answer", answer.shown, step.key))
            reading = drug_reading(session, step.key)
            if reading is not None:
                out.append(Entry("note", f"Read as {reading}"))
            for flag in after.get(step.key, ()):
                out.append(Entry("finding" if flag.level == "routine" else "flag",
                                 flag_text(flag)))
        current = session.current
        if current is not None:
            if current.section.id != section:
                out.append(Entry("section", current.section.title))
            out.append(Entry("question", current.prompt))
            if why_for == current.key:
                out.append(Entry("note", f"Why this is asked: {current.why}"))
        elif complete_note:
            out.append(Entry("note", complete_note))
        return out

    def progress(self) -> Progress:
        sections = self.library.dialog.sections
        step = self.session.current
        if step is None:
            return Progress(len(sections), len(sections), None)
        index = next(i for i, s in enumerate(sections) if s.id == step.section.id)
        return Progress(index, len(sections), step.section.title)

    def accepts(self, step: Step) -> list[str]:
        """What ``step`` accepts, beyond the keys to press: a number's accepted range in its
        unit with the reference range for this child's age and results below a limit, the
        question's help, and what 'unknown' records."""
        parts = []
        if step.type == "number":
            dialog = self.library.dialog
            measure = dialog.measures[step.question.id]
            parts.append(f"Accepted {measure.plausible.low:g}–{measure.plausible.high:g} "
                         f"{measure.unit}")
            lab = dialog.labs.get(step.question.lab or "")
            ref = reference_text(lab, known_age(self.session.facts)) if lab else None
            if ref:
                parts.append(f"reference {ref}")
            if measure.below:
                parts.append("'<5' if below a limit" + (", or 'negative'" if measure.negative
                                                         else ""))
        if step.index is None and step.question.help:
            parts.append(step.question.help.rstrip("."))
        if step.unknown and step.type not in ("single", "yesno", "multi"):
            parts.append(f"or 'unknown' ({step.unknown})")
        return parts

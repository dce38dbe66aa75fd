"""The result as every front end shows it, computed once: the triage headline and counts,
the pathway step by step, the first steps, the options by role, what is not for this
child, and the gaps. Plain strings in the clinician's words (labels, units, option
names), never internal ids; the app, the plain chat, the report and study mode render them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .explain import Vocabulary
from .pathway import Decision, Note, Reason
from .recommend import Option, Recommendation
from .rules import LEVEL_TEXT, LEVELS
from .sensitivity import TOP

ROLE_STATUS_TEXT = {"first": "first", "lead": "now", "assess": "assess first",
                    "deferred": "after the infection", "indicated": "also",
                    "maintain": "continue only"}
ROLE_STATUS_SHORT = {"first": "first", "lead": "now", "assess": "assess", "deferred": "waits",
                     "indicated": "also", "maintain": "continue"}
SEVERITY_TEXT = {"contraindicated": "contraindicated", "major": "major caution",
                 "minor": "note"}


@dataclass(frozen=True)
class FlagLine:
    level: str
    message: str
    action: str | None
    facts: str
    grade: str             # "level 5, expert opinion": the evidence behind the rule


@dataclass(frozen=True)
class OptionLine:
    rank: str              # "1", "2=" (tied), "–" (excluded)
    name: str
    role: str              # the role's title
    place: str             # "first choice now", "optimise what the child is on" ...
    because: str           # the most specific reason, one line
    grade: str             # that reason's level of evidence and strength ("" when none)
    cautions: tuple[str, ...]


@dataclass(frozen=True)
class GroupView:
    title: str
    status: str            # "now", "first", "after the infection", "also", "continue only"
    because: str
    grade: str
    options: tuple[OptionLine, ...]


@dataclass(frozen=True)
class ResultView:
    headline: str                      # "URGENT: same-day hospital review"
    counts: str                        # "2 urgent · 5 soon · 1 finding"
    flags: tuple[FlagLine, ...]
    # one line per stage: "Disease activity: active (CK: 450 U/L) [level 2, strong]"
    path: tuple[str, ...]
    first_steps: tuple[OptionLine, ...]  # the first TOP options (what would move them: gaps)
    groups: tuple[GroupView, ...]
    excluded: tuple[OptionLine, ...]
    disclaimer: str
    knowledge: str                     # "knowledge 1a2b3c4d5e6f of 2026-11-22"


def result_view(rec: Recommendation, vocabulary: Vocabulary) -> ResultView:
    flags = tuple(FlagLine(f.level, f.message, f.action, vocabulary.line(f.facts),
                           f.grade.text()) for f in rec.triage.flags)
    groups = tuple(GroupView(g.title, ROLE_STATUS_TEXT.get(g.status, g.status), g.reason.text,
                             grade_text(g.reason),
                             tuple(option_line(o, vocabulary) for o in g.options))
                   for g in rec.groups)
    path = tuple(f"{step_line(s, vocabulary)} [{grade_text(s.reason)}]" for s in rec.steps)
    return ResultView(LEVEL_TEXT[rec.triage.level], counts(rec), flags, path,
                      tuple(option_line(o, vocabulary) for o in rec.ranking[:TOP]), groups,
                      tuple(option_line(o, vocabulary) for o in rec.excluded), rec.disclaimer,
                      f"knowledge {rec.knowledge.hash} of {rec.knowledge.date}")


def counts(rec: Recommendation) -> str:
    """"2 urgent · 5 soon · 1 finding", or "no red flag"."""
    n = rec.triage.counts()
    parts = [f"{n[level]} {level}" for level in LEVELS[:2] if n[level]]
    if n["routine"]:
        parts.append(f"{n['routine']} finding" + ("s" if n["routine"] > 1 else ""))
    return " · ".join(parts) or "no red flag"


def step_line(step: Decision, vocabulary: Vocabulary) -> str:
    facts = facts_text(step.reason, vocabulary)
    return f"{step.title}: {step.label}" + (f" ({facts})" if facts else "")


def grade_text(reason: Reason) -> str:
    """"level 4, conditional": the evidence level and strength behind a decision."""
    return reason.grade.text() if reason.grade is not None else ""


def facts_text(reason: Reason, vocabulary: Vocabulary) -> str:
    """The facts behind a decision, known ones only ("CK: 450 U/L; Weakness: Mild")."""
    known = {s: v for s, v in reason.facts.items() if v != "unknown"}
    return vocabulary.line(known)


def option_line(o: Option, vocabulary: Vocabulary) -> OptionLine:
    if o.excluded:
        return OptionLine("–", o.therapy.name, o.role_title, "not for this child",
                          o.excluded[0].message, "", tuple(note_text(n, vocabulary)
                                                           for n in o.excluded[1:]))
    because = o.why[-1] if o.why else None
    return OptionLine(rank_text(o), o.therapy.name, o.role_title, o.place_text,
                      because.text if because else "", grade_text(because) if because else "",
                      tuple(note_text(n, vocabulary) for n in o.cautions
                            if n.severity != "minor" and not n.missing))


def rank_text(o: Option) -> str:
    """"2", or "2=" when tied with a neighbour."""
    return f"{o.rank}{'=' if o.tied else ''}"


def note_text(n: Note, vocabulary: Vocabulary) -> str:
    return f"{SEVERITY_TEXT[n.severity]}: {n.text(vocabulary)}"

"""The triage dialog: a decision tree of typed questions in sections (``dialogs/*.yaml``).

Questions are asked in file order; a question's ``next`` rules (first match wins) may
jump ahead on earlier answers, and ``goto: end`` finishes the dialog. A ``drugs``
question asks its ``follow_up`` questions once per drug named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

from . import yamlfile
from .conditions import Condition
from .errors import LoadError, Problem
from .schema import Interval, Lab, Strict, unit_problems

END = "end"
QuestionType = Literal["single", "multi", "yesno", "number", "drugs", "text"]
FOLLOW_UP_IDS = ("response", "duration", "side_effects", "current")


class Option(Strict, kw_only=True, frozen=True):
    value: str
    label: str
    exclusive: bool = False          # cannot be combined with other options (e.g. "none")


class Measure(Strict, kw_only=True, frozen=True):
    """Units and limits of a number: canonical ``unit``, accepted ``units`` (factor to
    canonical). ``below``: a result may be reported below a limit ('<5'); ``negative``: also
    as 'negative' (below an unstated limit)."""

    unit: str
    units: dict[str, float]          # accepted unit -> factor to canonical (> 0)
    plausible: Interval
    below: bool = False
    negative: bool = False


class Next(Strict, kw_only=True, frozen=True):
    when: Condition | None = None
    goto: str


class FollowUp(Strict, kw_only=True, frozen=True):
    id: Literal["response", "duration", "side_effects", "current"]
    type: Literal["single", "yesno", "text"]
    prompt: str                      # "{drug}" is replaced by the drug's name
    why: str
    options: tuple[Option, ...] = ()
    unknown: str | None = None


class Question(Strict, kw_only=True, frozen=True):
    id: str
    type: QuestionType
    label: str | None = None         # short name for answer lists and explanations
    prompt: str
    why: str
    help: str | None = None
    options: tuple[Option, ...] = ()
    lab: str | None = None           # number questions: a lab from knowledge/labs.yaml
    measure: Measure | None = None   # number questions that are not labs
    unknown: str | None = None       # label of the "unknown / not done" answer; None = required
    next: tuple[Next, ...] = ()
    follow_up: tuple[FollowUp, ...] = ()


class Section(Strict, kw_only=True, frozen=True):
    id: str
    title: str
    questions: tuple[Question, ...]


class DialogFile(Strict, kw_only=True, frozen=True):
    id: str
    title: str
    version: str
    intro: str
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Dialog:
    """A validated dialog with its questions indexed and lab measures resolved."""

    id: str
    title: str
    version: str
    intro: str
    file: str
    sections: tuple[Section, ...]
    questions: dict[str, Question]
    section_of: dict[str, Section]
    order: tuple[str, ...]
    measures: dict[str, Measure]
    labs: dict[str, Lab]
    lines: dict[str, int | None]

    @property
    def first(self) -> str:
        return self.order[0]

    @cached_property
    def follow_up_labels(self) -> dict[tuple[str, str], str]:
        """(follow-up id, option value) -> the option's label, e.g. ("response", "partial")
        -> "Partial response"."""
        return {(f.id, o.value): o.label for q in self.questions.values()
                for f in q.follow_up for o in f.options}

    def successors(self, qid: str) -> list[str]:
        """Where the dialog may go after ``qid`` (its jump targets, and the next question
        unless a jump without condition always fires)."""
        rules = self.questions[qid].next
        targets = [rule.goto for rule in rules]
        if not rules or rules[-1].when is not None:
            targets.append(self.following(qid))
        return targets

    def following(self, qid: str) -> str:
        """The question after ``qid`` in file order (or END)."""
        i = self.order.index(qid)
        return self.order[i + 1] if i + 1 < len(self.order) else END


def load_dialog(path: Path, labs: dict[str, Lab], root: Path | None = None) -> Dialog:
    located = yamlfile.load(path, root)
    raw = yamlfile.document(located, DialogFile)
    problems: list[Problem] = []
    questions: dict[str, Question] = {}
    section_of: dict[str, Section] = {}
    lines: dict[str, int | None] = {}
    for s, section in enumerate(raw.sections):
        for q, question in enumerate(section.questions):
            where = ("sections", s, "questions", q)
            lines[question.id] = located.line(where)
            if question.id in questions or question.id == END:
                problems.append(located.problem(where + ("id",), f"duplicate question id '{question.id}'"))
                continue
            questions[question.id] = question
            section_of[question.id] = section
    order = tuple(questions)
    if not order:
        problems.append(located.problem(("sections",), "the dialog has no questions"))
    measures: dict[str, Measure] = {}
    for s, section in enumerate(raw.sections):
        for q, question in enumerate(section.questions):
            where = ("sections", s, "questions", q)
            problems += _question_problems(located, where, question, questions, labs, order)
            if question.lab in labs:
                lab = labs[question.lab]
                measures[question.id] = Measure(unit=lab.unit, units=lab.units,
                                                plausible=lab.plausible, below=True,
                                                negative=lab.negative)
            elif question.measure is not None:
                measures[question.id] = question.measure
    if problems:
        raise LoadError(problems)
    return Dialog(raw.id, raw.title, raw.version, raw.intro, located.file, raw.sections, questions,
                  section_of, order, measures, labs, lines)


def _question_problems(located: yamlfile.Located, where: tuple, q: Question,
                       questions: dict[str, Question], labs: dict[str, Lab],
                       order: tuple[str, ...]) -> list[Problem]:
    out: list[Problem] = []

    def fault(field: tuple, message: str) -> None:
        out.append(located.problem(where + field, message))

    has_options = q.type in ("single", "multi")
    if has_options and not q.options:
        fault(("options",), f"a {q.type} question needs options")
    if not has_options and q.options:
        fault(("options",), f"a {q.type} question takes no options")
    values = [o.value for o in q.options]
    if len(set(values)) != len(values):
        fault(("options",), "option values must be unique")
    if q.measure is not None:
        for message in unit_problems(q.measure.unit, q.measure.units):
            fault(("measure", "units"), message)
        if not q.measure.plausible.low < q.measure.plausible.high:
            fault(("measure", "plausible"), "low must be below high")
    for f_index, follow in enumerate(q.follow_up):
        if [x.id for x in q.follow_up].count(follow.id) > 1:
            fault(("follow_up", f_index, "id"), f"follow-up '{follow.id}' is listed twice")
    if q.type == "number":
        if (q.lab is None) == (q.measure is None):
            fault(("type",), "a number question needs exactly one of 'lab' or 'measure'")
        elif q.lab is not None and q.lab not in labs:
            fault(("lab",), f"unknown lab '{q.lab}'")
    elif q.lab is not None or q.measure is not None:
        fault(("lab",), "only number questions take 'lab' or 'measure'")
    if q.follow_up and q.type != "drugs":
        fault(("follow_up",), "only drugs questions take follow-up questions")
    for f, follow in enumerate(q.follow_up):
        if follow.type == "single" and not follow.options:
            fault(("follow_up", f, "options"), "a single-choice follow-up needs options")
    position = order.index(q.id) if q.id in order else -1
    for n, rule in enumerate(q.next):
        if rule.goto != END:
            if rule.goto not in questions:
                fault(("next", n, "goto"), f"unknown question '{rule.goto}'")
            elif order.index(rule.goto) <= position:
                fault(("next", n, "goto"), f"'{rule.goto}' does not come after '{q.id}': "
                                           "jumps may only go forward")
        if rule.when is not None:
            for message in condition_problems(rule.when, questions, before=order[:position + 1]):
                fault(("next", n, "when"), message)
    return out


def condition_problems(cond: Condition, questions: dict[str, Question],
                       before: tuple[str, ...] | None = None) -> list[str]:
    """What is wrong with ``cond`` against these questions (empty when it is sound)."""
    out: list[str] = []
    if cond.fact is not None:
        return out      # derived facts are checked against the pathway (knowledge.py)
    if cond.question is None:
        for child in cond.children():
            out += condition_problems(child, questions, before)
        return out
    q = questions.get(cond.question)
    if q is None:
        return [f"unknown question '{cond.question}'"]
    if before is not None and cond.question not in before:
        out.append(f"'{cond.question}' is not asked before this point")
    name, wanted = cond.operator()
    allowed = {
        "is": ("single", "yesno", "text"), "in": ("single",), "has": ("multi",),
        "has_any": ("multi",), "below": ("number",), "above": ("number",),
        "at_least": ("number",), "at_most": ("number",), "drug": ("drugs",),
        "answered": ("single", "multi", "yesno", "number", "drugs", "text"),
    }[name]
    if q.type not in allowed:
        return out + [f"'{name}' cannot test the {q.type} question '{q.id}'"]
    values = {o.value for o in q.options}
    wanted_values = (wanted,) if name in ("is", "has") else (wanted if name in ("in", "has_any") else ())
    if q.type == "yesno" and name == "is" and not isinstance(wanted, bool):
        out.append(f"'{q.id}' is yes/no: test it with 'is: true' or 'is: false'")
    elif q.type in ("single", "multi"):
        for value in wanted_values:
            if value not in values:
                out.append(f"'{value}' is not an option of '{q.id}'")
    return out


DIALOG_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


def dialog_path(root: Path, name: str | None = None) -> Path:
    """``dialogs/<name>.yaml`` under ``root`` (default: the triage dialog). A name is a
    plain file name (lower-case letters, digits, ``_``, ``-``): never a path."""
    name = name or "triage"
    if not DIALOG_NAME.fullmatch(name):
        raise ValueError(f"'{name}' is not a dialog name (lower-case letters, digits, '_' "
                         "or '-', naming a file in dialogs/)")
    return root / "dialogs" / f"{name}.yaml"


"""The finite set of values that matter for a fact, given the tests the knowledge makes on it.

Every condition tests one fact against options, option sets or numeric thresholds, so each
fact has finitely many *behaviours*: a number below, at or above each threshold, a choice
in or out of each option list, unknown. One representative per behaviour is enough both to
prove a decision table complete and conflict-free (``tablecheck``) and to ask which single
answer would change the result (``sensitivity``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from .conditions import Condition
from .dialog import Dialog
from .facts import UNKNOWN
from .pathway_data import Value

_NUMERIC = ("below", "above", "at_least", "at_most")


@dataclass(frozen=True)
class Alternative:
    """One representative value of a fact and how a reader sees it."""

    value: Any
    label: str


def tests_by_subject(conditions: Iterable[Condition]) -> dict[str, list[Condition]]:
    out: dict[str, list[Condition]] = {}
    for cond in conditions:
        for test in cond.tests():
            if test.drug is None and test.subject is not None:
                out.setdefault(test.subject, []).append(test)
    return out


def alternatives(subject: str, tests: Sequence[Condition], dialog: Dialog | None,
                 derived: Mapping[str, tuple[Value, ...]],
                 trial: Mapping[str, tuple[Value, ...]] | None = None) -> list[Alternative]:
    """One value per distinct behaviour under ``tests`` (unknown included where a question
    allows it), in a stable order."""
    if dialog is not None and subject in dialog.questions \
            and dialog.questions[subject].type == "number":
        unknown = Alternative(UNKNOWN, dialog.questions[subject].unknown or "unknown")
        return _number_ranges(tests, dialog.measures[subject].unit, subject) + [unknown]
    seen: dict[tuple[bool, ...], Alternative] = {}
    for alt in _candidates(subject, tests, dialog, derived, trial or {}):
        seen.setdefault(tuple(t.holds({subject: alt.value}) for t in tests), alt)
    return list(seen.values())


def _candidates(subject: str, tests: Sequence[Condition], dialog: Dialog | None,
                derived: Mapping[str, tuple[Value, ...]],
                trial: Mapping[str, tuple[Value, ...]]) -> list[Alternative]:
    if subject in derived:
        return [Alternative(v.value, v.label) for v in derived[subject]]
    if subject in trial:
        values = [Alternative(v.value, v.label) for v in trial[subject]]
        return values + [Alternative(UNKNOWN, "unknown")]
    assert dialog is not None
    question = dialog.questions[subject]
    # an answer may be missing even when required: the pathway also runs mid-consult
    unknown = [Alternative(UNKNOWN, question.unknown or "not given yet")]
    if question.type == "yesno":
        return [Alternative(True, "yes"), Alternative(False, "no")] + unknown
    if question.type == "single":
        return [Alternative(o.value, o.label) for o in question.options] + unknown
    if question.type == "multi":
        return _subsets(question, tests) + unknown
    return unknown   # numbers are cut into ranges by alternatives() before this


def mentioned(tests: Iterable[Condition]) -> list[str]:
    """The options of a several-choice question that its ``has``/``has_any`` tests name, in
    the order first named (the options they do not name behave alike)."""
    out: list[str] = []
    for t in tests:
        wanted = [t.has] if t.has is not None else list(t.has_any or ())
        out += [w for w in wanted if w not in out]
    return out


def _subsets(question: Any, tests: Sequence[Condition]) -> list[Alternative]:
    """Sets of the options the tests mention (the others behave alike)."""
    named = mentioned(tests)
    labels = {o.value: o.label for o in question.options}
    none = next((o.value for o in question.options if o.exclusive), None)
    out = [Alternative(frozenset({none}) if none else frozenset(), labels.get(none or "", "none"))]
    for size in range(1, len(named) + 1):
        for combo in combinations(named, size):
            out.append(Alternative(frozenset(combo), "; ".join(labels[v] for v in combo)))
    return out


@dataclass(frozen=True)
class _Range:
    low: float | None          # None: unbounded
    low_in: bool
    high: float | None
    high_in: bool

    def representative(self) -> float:
        if self.low is not None and self.high is not None:
            return (self.low + self.high) / 2
        if self.high is not None:
            return self.high - max(abs(self.high), 1.0) / 2
        assert self.low is not None
        return self.low + max(abs(self.low), 1.0) / 2

    def label(self, unit: str) -> str:
        lo, hi = self.low, self.high
        if lo is not None and lo == hi:
            return f"{lo:g} {unit}"
        if lo is None:
            assert hi is not None
            return f"{hi:g} {unit} or less" if self.high_in else f"below {hi:g} {unit}"
        if hi is None:
            return f"{lo:g} {unit} or more" if self.low_in else f"above {lo:g} {unit}"
        start = f"from {lo:g}" if self.low_in else f"above {lo:g}"
        stop = f"up to {hi:g}" if self.high_in else f"below {hi:g}"
        return f"{start} {stop} {unit}"


def _number_ranges(tests: Sequence[Condition], unit: str, subject: str) -> list[Alternative]:
    """The number line cut at every threshold the tests use; neighbouring pieces that every
    test treats alike are joined."""
    cuts = sorted({float(getattr(t, op)) for t in tests for op in _NUMERIC
                   if getattr(t, op) is not None})
    if not cuts:
        return []
    pieces = [_Range(None, False, cuts[0], False)]
    for i, cut in enumerate(cuts):
        pieces.append(_Range(cut, True, cut, True))
        nxt = cuts[i + 1] if i + 1 < len(cuts) else None
        pieces.append(_Range(cut, False, nxt, False))
    joined: list[tuple[tuple[bool, ...], _Range]] = []
    for piece in pieces:
        signature = tuple(t.holds({subject: piece.representative()}) for t in tests)
        if joined and joined[-1][0] == signature:
            last = joined[-1][1]
            joined[-1] = (signature, _Range(last.low, last.low_in, piece.high,
                                            piece.high_in if piece.high is not None else False))
        else:
            joined.append((signature, piece))
    return [Alternative(r.representative(), r.label(unit)) for _, r in joined]

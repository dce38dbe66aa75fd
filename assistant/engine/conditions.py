"""Conditions over the facts of a consult, written as data in dialogs and knowledge.

A condition either tests one fact (``question`` for an answer, ``fact`` for a value the
pathway derived, plus exactly one operator) or combines others (``all``, ``any``, ``not``,
or ``count_at_least`` of a list ``of`` conditions). A missing or unknown fact never
satisfies a test; ``answered: false`` is the way to ask for one.

    when: {question: diagnosis, in: [jdm, overlap]}
    when: {all: [{question: egfr, below: 30}, {not: {question: iv_access, is: false}}]}
    when: {question: prior_treatments, drug: pamidronate, response: [none]}
    when: {question: prior_treatments, drug: methotrexate, current: true}
    when: {question: prior_treatments, drug: rituximab, exposure: [not_taken]}
    when: {fact: activity, is: active}
    when: {count_at_least: 3, of: [{question: ck, at_most: 150}, {question: cmas, at_least: 48},
                                   {question: mmt8, at_least: 78},
                                   {question: physician_global, at_most: 0.2}]}

A ``drug`` test (a drug name, therapy id or class id) holds for drugs that were taken;
``exposure`` names the other kinds it should hold for instead (``taken``, ``not_taken``,
``planned``, ``allergy``): "no IVIG" or "rituximab not approved" is never a trial of it.
``current: true`` keeps drugs not known to be stopped; ``current: false`` only stopped ones.

A lab result below a limit ("<5") is not a number: ``below``/``at_most`` a value at or above
the limit holds (every value under the limit does), ``above``/``at_least`` never does, and
any other test on it is undecided (like an unknown fact, it does not hold).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import msgspec

from .exposure import ExposureKind
from .facts import UNKNOWN, BelowLimit, DrugEntry

Scalar = str | bool | float

OPERATORS = ("is", "in", "has", "has_any", "below", "above", "at_least", "at_most",
             "answered", "drug")


class Condition(msgspec.Struct, forbid_unknown_fields=True, frozen=True, omit_defaults=True,
                cache_hash=True):
    question: str | None = None
    fact: str | None = None
    is_: Scalar | None = msgspec.field(default=None, name="is")
    in_: tuple[str, ...] | None = msgspec.field(default=None, name="in")
    has: str | None = None
    has_any: tuple[str, ...] | None = None
    below: float | None = None
    above: float | None = None
    at_least: float | None = None
    at_most: float | None = None
    answered: bool | None = None
    drug: str | None = None
    response: tuple[str, ...] | None = None
    current: bool | None = None
    exposure: tuple[ExposureKind, ...] | None = None
    all: tuple[Condition, ...] | None = None
    any: tuple[Condition, ...] | None = None
    not_: Condition | None = msgspec.field(default=None, name="not")
    count_at_least: int | None = None
    of: tuple[Condition, ...] | None = None

    def __post_init__(self) -> None:
        combinators = [n for n in ("all", "any", "not_", "of") if getattr(self, n) is not None]
        operators = self.operators()
        if (self.count_at_least is None) != (self.of is None):
            raise ValueError("'count_at_least' and 'of' go together")
        if self.count_at_least is not None and not 1 <= self.count_at_least <= len(self.of or ()):
            raise ValueError("'count_at_least' must be between 1 and the number of conditions in 'of'")
        if combinators:
            if len(combinators) > 1 or operators or self.subject is not None:
                raise ValueError("use exactly one of 'all', 'any', 'not' or 'count_at_least', "
                                 "on its own")
            return
        if self.question is not None and self.fact is not None:
            raise ValueError("a test reads either a 'question' or a derived 'fact', not both")
        if self.subject is None:
            raise ValueError("a condition needs 'question' or 'fact' (with one operator), or "
                             "'all'/'any'/'not'/'count_at_least'")
        if len(operators) != 1:
            raise ValueError(f"a test on '{self.subject}' needs exactly one operator of: "
                             + ", ".join(OPERATORS))
        if (self.response is not None or self.current is not None
                or self.exposure is not None) and self.drug is None:
            raise ValueError("'response', 'current' and 'exposure' only go with 'drug'")

    @property
    def subject(self) -> str | None:
        """The question or derived fact this test reads (None for a combination)."""
        return self.question if self.question is not None else self.fact

    def operators(self) -> list[str]:
        return [name for name in OPERATORS if getattr(self, _attr(name)) is not None]

    def operator(self) -> tuple[str, Any]:
        """The test's operator and its wanted value (remembered: conditions are immutable)."""
        found = _OPERATOR.get(self)
        if found is None:
            name = self.operators()[0]
            found = _OPERATOR[self] = (name, getattr(self, _attr(name)))
        return found

    def nodes(self) -> Iterator[Condition]:
        """This condition and every condition inside it, depth first."""
        yield self
        for child in self.children():
            yield from child.nodes()

    def tests(self) -> Iterator[Condition]:
        """Every single-fact test inside this condition."""
        return (node for node in self.nodes() if node.subject is not None)

    def children(self) -> tuple[Condition, ...]:
        if self.not_ is not None:
            return (self.not_,)
        return self.all or self.any or self.of or ()

    def holds(self, facts: Mapping[str, Any]) -> bool:
        if self.all is not None:
            return all(c.holds(facts) for c in self.all)
        if self.any is not None:
            return any(c.holds(facts) for c in self.any)
        if self.not_ is not None:
            return not self.not_.holds(facts)
        if self.of is not None:
            assert self.count_at_least is not None
            return sum(c.holds(facts) for c in self.of) >= self.count_at_least
        assert self.subject is not None   # a test, not a combinator: __post_init__ checked
        value = facts.get(self.subject, None)
        name, wanted = self.operator()
        if name == "answered":
            return (value is not None and value is not UNKNOWN) == wanted
        if value is None or value is UNKNOWN:
            return False
        return _TESTS[name](value, wanted, self)

    def undecided(self, facts: Mapping[str, Any]) -> list[str]:
        """Questions and facts read here whose value is missing or unknown, or below a limit
        that does not settle the test (so the test could not be made), in reading order."""
        undecided: dict[str, bool] = {}      # subject -> not decided, in reading order
        for test in self.tests():
            assert test.subject is not None
            value = facts.get(test.subject)
            missing = value is None or value is UNKNOWN or not _settled(test, value)
            undecided[test.subject] = undecided.get(test.subject, False) or missing
        return [subject for subject, missing in undecided.items() if missing]


_OPERATOR: dict[Condition, tuple[str, Any]] = {}


def _attr(name: str) -> str:
    return name + "_" if name in ("is", "in") else name


def _has_drug(value: Any, wanted: str, cond: Condition) -> bool:
    entries: tuple[DrugEntry, ...] = value
    kinds = cond.exposure or ("taken",)
    return any(wanted in (e.drug, e.therapy, e.drug_class)
               and e.exposure.kind in kinds
               and (cond.response is None or e.response in cond.response)
               and (cond.current is None or (e.current is not False) == cond.current)
               for e in entries)


def _number(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _under(value: Any, wanted: float) -> bool:
    """A result below a limit that is at or under ``wanted``: every possible value is below it."""
    return isinstance(value, BelowLimit) and value.limit is not None and value.limit <= wanted


def _settled(test: Condition, value: Any) -> bool:
    """Whether a result below a limit decides ``test`` (any other value always does)."""
    if not isinstance(value, BelowLimit):
        return True
    name, wanted = test.operator()
    return name == "answered" or (name in ("below", "above", "at_least", "at_most")
                                  and _under(value, wanted))


_TESTS = {
    "is": lambda v, w, c: v == w,
    "in": lambda v, w, c: v in w,
    "has": lambda v, w, c: isinstance(v, frozenset) and w in v,
    "has_any": lambda v, w, c: isinstance(v, frozenset) and not v.isdisjoint(w),
    "below": lambda v, w, c: _under(v, w) or ((n := _number(v)) is not None and n < w),
    "above": lambda v, w, c: (n := _number(v)) is not None and n > w,
    "at_least": lambda v, w, c: (n := _number(v)) is not None and n >= w,
    "at_most": lambda v, w, c: _under(v, w) or ((n := _number(v)) is not None and n <= w),
    "drug": lambda v, w, c: isinstance(v, tuple) and _has_drug(v, w, c),
}

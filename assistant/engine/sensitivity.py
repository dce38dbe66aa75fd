"""What would change the result: single answers which, if different (or known), would
change the triage level, a stage of the pathway, or the order of the first options.

Computed by re-running the engine: each answer the knowledge reads is replaced, one at a
time, by one value of each of its behaviours (``domains``), including each follow-up of
each treatment. The gaps are the unknown answers whose knowing could change something.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from .conditions import Condition
from .domains import Alternative, alternatives, mentioned, tests_by_subject
from .facts import UNKNOWN, DrugEntry
from .history import TREATMENTS, entries

if TYPE_CHECKING:
    from .explain import Vocabulary
    from .library import Library
    from .recommend import Recommendation

TOP = 3
_FOLLOW_UPS: tuple[Literal["response", "duration", "current"], ...] = (
    "response", "duration", "current")


@dataclass(frozen=True)
class Change:
    """One alternative answer and what it would change."""

    subject: str          # question id, or "prior_treatments[i].response"
    label: str            # the question's (or the treatment's) name
    now: str              # the answer given
    alternative: str      # the alternative, as a reader sees it
    effect: str           # what it would change

    def text(self) -> str:
        return f"{self.label} {self.alternative} (now {self.now}): {self.effect}"

    def to_json(self) -> dict[str, str]:
        return {"subject": self.subject, "label": self.label, "now": self.now,
                "alternative": self.alternative, "effect": self.effect}


@dataclass(frozen=True)
class Gap:
    """An unknown answer that matters, and what knowing it could change."""

    subject: str
    label: str
    could_change: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"subject": self.subject, "label": self.label,
                "could_change": list(self.could_change)}


@dataclass(frozen=True)
class Sensitivity:
    level: tuple[Change, ...]                      # would change the triage level
    stages: dict[str, tuple[Change, ...]]          # stage id -> would change its value
    options: dict[str, tuple[Change, ...]]         # first options -> would move them
    gaps: tuple[Gap, ...]

    def to_json(self) -> dict[str, Any]:
        return {"level": [c.to_json() for c in self.level],
                "stages": {k: [c.to_json() for c in v] for k, v in self.stages.items()},
                "options": {k: [c.to_json() for c in v] for k, v in self.options.items()},
                "gaps": [g.to_json() for g in self.gaps]}


@dataclass(frozen=True)
class _Outcome:
    level: str
    stages: dict[str, str]
    order: tuple[str, ...]
    names: dict[str, str]
    excluded: dict[str, str]


@dataclass(frozen=True)
class Variation:
    """One answer the knowledge reads, its other behaviours, and how to apply one."""

    subject: str          # question id, or "prior_treatments[i].response"
    label: str
    now: str              # the answer given, as a reader sees it
    alternatives: tuple[Alternative, ...]
    apply: Callable[[Any], Mapping[str, Any]]


def sensitivity(facts: Mapping[str, Any], library: Library,
                outcome_of: Callable[[Mapping[str, Any]], Recommendation]) -> Sensitivity:
    """``outcome_of(facts)`` is the engine's recommendation for a set of facts."""
    base = _outcome(outcome_of(facts))
    vocabulary = library.vocabulary
    knowledge = library.knowledge
    tests = tests_by_subject(cond for *_, cond in knowledge.conditions())
    level: list[Change] = []
    stages: dict[str, list[Change]] = {}
    options: dict[str, list[Change]] = {t: [] for t in base.order[:TOP]}
    gaps: dict[str, tuple[str, set[str]]] = {}     # subject -> (label, what it could change)
    for v in _variations(facts, tests, library):
        for alt in v.alternatives:
            changed = _outcome(outcome_of(v.apply(alt.value)))
            effects = _effects(base, changed)
            if not effects.any():
                continue
            if v.now == "unknown":
                gaps.setdefault(v.subject, (v.label, set()))[1].update(
                    effects.names(base, vocabulary))
            if effects.level:
                level.append(Change(v.subject, v.label, v.now, alt.label,
                                    f"level {base.level} → {changed.level}"))
            for stage in effects.stages:
                stages.setdefault(stage, []).append(Change(
                    v.subject, v.label, v.now, alt.label,
                    f"{vocabulary.label(stage).lower()}: "
                    f"{vocabulary.show(stage, changed.stages[stage])}"))
            for therapy in effects.moved:
                options[therapy].append(Change(v.subject, v.label, v.now, alt.label,
                                               _move(base, changed, therapy)))
    gap_list = tuple(Gap(subject, label, tuple(sorted(could)))
                     for subject, (label, could) in gaps.items())
    return Sensitivity(tuple(level), {k: tuple(v) for k, v in stages.items()},
                       {k: tuple(v) for k, v in options.items()}, gap_list)


def _outcome(rec: Recommendation) -> _Outcome:
    return _Outcome(rec.triage.level, {s.subject: s.value for s in rec.steps},
                    tuple(o.therapy.id for o in rec.ranking),
                    {o.therapy.id: o.therapy.name for o in rec.ranking + rec.excluded},
                    {o.therapy.id: o.reason for o in rec.excluded})


@dataclass(frozen=True)
class _Effects:
    level: bool
    stages: tuple[str, ...]
    moved: tuple[str, ...]

    def any(self) -> bool:
        return self.level or bool(self.stages) or bool(self.moved)

    def names(self, base: _Outcome, vocabulary: Vocabulary) -> set[str]:
        out = {"triage level"} if self.level else set()
        out.update(vocabulary.label(s).lower() for s in self.stages)
        out.update(base.names[t] for t in self.moved)
        return out


def _effects(base: _Outcome, changed: _Outcome) -> _Effects:
    stages = tuple(s for s, v in base.stages.items() if changed.stages.get(s) != v)
    top = base.order[:TOP]
    moved = tuple(t for i, t in enumerate(top)
                  if t not in changed.order or changed.order.index(t) != i)
    return _Effects(base.level != changed.level, stages, moved)


def _move(base: _Outcome, changed: _Outcome, therapy: str) -> str:
    old = base.order.index(therapy) + 1
    if therapy not in changed.order:
        reason = changed.excluded.get(therapy)
        return "no longer an option" + (f" ({reason})" if reason else "")
    new = changed.order.index(therapy) + 1
    return f"moves from {_ordinal(old)} to {_ordinal(new)}"


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _variations(facts: Mapping[str, Any], tests: dict[str, list[Condition]], library: Library
                ) -> list[Variation]:
    """Each answer the knowledge reads, its other behaviours, and how to apply one."""
    dialog, vocabulary = library.dialog, library.vocabulary
    out: list[Variation] = []
    for qid in dialog.order:
        if qid not in facts or qid not in tests:
            continue
        question = dialog.questions[qid]
        now_value = facts[qid]
        signature = tuple(t.holds({qid: now_value}) for t in tests[qid])
        candidates = (_toggles(question, now_value, tests[qid]) if question.type == "multi"
                      else alternatives(qid, tests[qid], dialog, vocabulary.derived))
        alts = [a for a in candidates
                if tuple(t.holds({qid: a.value}) for t in tests[qid]) != signature
                and not (a.value is UNKNOWN and question.unknown is None)]
        if alts:
            out.append(Variation(qid, vocabulary.label(qid), vocabulary.show(qid, now_value),
                                 tuple(alts), _with_answer(facts, qid)))
    out += _treatment_variations(facts, library)
    return out


def _toggles(question: Any, now: Any, tests: list[Condition]) -> list[Alternative]:
    """A several-choice answer with one mentioned option added or removed (or unknown)."""
    labels = {o.value: o.label for o in question.options}
    exclusive = {o.value for o in question.options if o.exclusive}
    chosen = set(now) - exclusive if isinstance(now, frozenset) else set()
    out = []
    for value in mentioned(tests):
        if value in chosen:
            rest = chosen - {value}
            out.append(Alternative(frozenset(rest or exclusive), f"without {labels[value]}"))
        else:
            out.append(Alternative(frozenset(chosen | {value}), f"with {labels[value]}"))
    if question.unknown is not None and now is not UNKNOWN:
        out.append(Alternative(UNKNOWN, question.unknown))
    return out


def _treatment_variations(facts: Mapping[str, Any], library: Library) -> list[Variation]:
    given = entries(facts)
    if not given:
        return []
    question = library.dialog.questions[TREATMENTS]
    follow_ups = {f.id: f for f in question.follow_up}
    out: list[Variation] = []
    for i, entry in enumerate(given):
        for name in _FOLLOW_UPS:
            follow = follow_ups.get(name)
            if follow is None:
                continue
            now = getattr(entry, name)
            values: list[tuple[Any, str]]
            if follow.type == "yesno":
                values = [(True, "still taken"), (False, "stopped")]
            else:
                values = [(o.value, o.label.lower()) for o in follow.options if o.value != "unknown"]
            shown = dict(values).get(now, "unknown")
            alts = [Alternative(v, lab) for v, lab in values if v != now]
            if alts:
                out.append(Variation(f"{TREATMENTS}[{i}].{name}", f"{entry.label()} {name}",
                                     shown, tuple(alts), _entry_setter(facts, given, i, name)))
    return out


def _entry_setter(facts: Mapping[str, Any], given: tuple[DrugEntry, ...], i: int,
                  name: str) -> Callable[[Any], Mapping[str, Any]]:
    def apply(value: Any) -> Mapping[str, Any]:
        changed = list(given)
        changed[i] = replace(given[i], **{name: value})
        return {**facts, TREATMENTS: tuple(changed)}
    return apply


def _with_answer(facts: Mapping[str, Any], qid: str) -> Callable[[Any], dict[str, Any]]:
    """The facts with another answer to ``qid``."""
    return lambda value: {**facts, qid: value}

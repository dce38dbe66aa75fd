"""Treatment history: what each therapy the child has had means now, and which line of a
role is open.

A therapy's *trial* is read from its entries in the treatment list (the most recent
current one, else the last named) through the pathway's ``history`` table, which gives
its *course* (continue, give time, optimise, failing, stopped ...). A line of therapy is
*exhausted* when each of its therapies has had an inadequate trial or cannot be given;
the open line of a role is its first line that is not exhausted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .facts import UNKNOWN, DrugEntry
from .pathway_data import INADEQUATE, Course, Role, Row
from .tables import decide

TREATMENTS = "prior_treatments"


@dataclass(frozen=True)
class Trial:
    """The child's experience of one therapy and what the history table makes of it."""

    therapy: str
    entries: tuple[DrugEntry, ...]
    course: Course
    row: Row


def entries(facts: Mapping[str, Any]) -> tuple[DrugEntry, ...]:
    """The treatment list, or () when it is unknown or not given."""
    value = facts.get(TREATMENTS)
    return value if isinstance(value, tuple) else ()


def taken(facts: Mapping[str, Any]) -> tuple[DrugEntry, ...]:
    """Entries for treatments the child actually had (not "no IVIG", "rituximab not
    approved", a plan or an allergy: those are no trial)."""
    return tuple(e for e in entries(facts) if e.taken)


def therapies_of(entry: DrugEntry, class_therapies: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The therapies an entry is a trial of: its own, or its class's when it has none."""
    if entry.therapy is not None:
        return (entry.therapy,)
    return class_therapies.get(entry.drug_class or "", ())


def trials(facts: Mapping[str, Any], history: tuple[Row, ...],
           class_therapies: Mapping[str, tuple[str, ...]]) -> dict[str, Trial]:
    """One trial per therapy the child has had, keyed by therapy id."""
    by_therapy: dict[str, list[DrugEntry]] = {}
    for entry in taken(facts):
        for therapy in therapies_of(entry, class_therapies):
            by_therapy.setdefault(therapy, []).append(entry)
    out = {}
    for therapy, mine in by_therapy.items():
        current = [e for e in mine if e.current is not False]
        read = (current or mine)[-1]
        trial_facts = {"current": UNKNOWN if read.current is None else read.current,
                       "response": read.response if read.response not in (None, "unknown")
                       else UNKNOWN,
                       "duration": read.duration or UNKNOWN}
        row = decide(history, trial_facts, "history")
        out[therapy] = Trial(therapy, tuple(mine), row.then, row)  # type: ignore[arg-type]
    return out


def open_line(role: Role, trials: Mapping[str, Trial], unavailable: Iterable[str]) -> int:
    """The 1-based index of the role's first line that is not exhausted (one past the
    last when all are)."""
    blocked = set(unavailable)
    for i, line in enumerate(role.lines, 1):
        if not all(t in blocked or (t in trials and trials[t].course in INADEQUATE)
                   for t in line.therapies):
            return i
    return len(role.lines) + 1


def line_of(role: Role, therapy: str) -> int | None:
    """The 1-based line of ``therapy`` in the role, or None when it is in no line."""
    return next((i for i, line in enumerate(role.lines, 1) if therapy in line.therapies), None)

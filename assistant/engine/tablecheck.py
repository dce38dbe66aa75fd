"""Proof that every decision table is complete and free of conflicting rows.

For each table, every fact its rows read gets one value per behaviour (``domains``), and
every combination of those values is tried: a combination no row matches is a gap, two
rows that match it with different decisions are a conflict, and a row that matches no
combination is dead. Tables are small, so the enumeration is exact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import product
from typing import Any

from .domains import Alternative, alternatives, tests_by_subject
from .errors import Problem
from .knowledge import Knowledge
from .library import Library
from .pathway_data import TRIAL_FACTS, Value
from .schema import FitRow, Therapy

MAX_COMBINATIONS = 2_000_000   # a table reading more is reported, not enumerated
MAX_EXAMPLES = 3


@dataclass(frozen=True)
class TableReport:
    table: str
    combinations: int
    problems: tuple[Problem, ...]


def check_tables(library: Library) -> list[TableReport]:
    """Every table of the pathway and every therapy's fit table, checked."""
    knowledge = library.knowledge
    pathway = knowledge.pathway
    derived = pathway.derived()
    trial = _trial_values(library)
    reports = []
    for name, rows, _ in pathway.tables():
        kind, _, key = name.partition(" ")
        origin_table = name if key else "history"
        domain = trial if kind == "history" else None
        reports.append(_check(library, name, rows, derived, domain,
                              partial(_row_place, knowledge, origin_table)))
    for therapy in knowledge.therapies.values():
        if therapy.fit:
            reports.append(_check(library, f"fit of {therapy.id}", therapy.fit, derived, None,
                                  partial(_fit_place, knowledge, therapy)))
    return reports


def _row_place(knowledge: Knowledge, table: str, row: Any) -> tuple[str, int | None]:
    origin = knowledge.origins.get((table, row.id))
    return (origin.file, origin.line()) if origin is not None else ("knowledge", None)


def _fit_place(knowledge: Knowledge, therapy: Therapy, row: FitRow) -> tuple[str, int | None]:
    origin = knowledge.origins[("therapy", therapy.id)]
    return origin.file, origin.line(f"fit[{therapy.fit.index(row)}]")


def _trial_values(library: Library) -> dict[str, tuple[Value, ...]]:
    """The facts one trial of a therapy is read from, with the follow-ups' values."""
    question = library.dialog.questions["prior_treatments"]
    out: dict[str, tuple[Value, ...]] = {"current": (Value(value=True, label="yes"),   # type: ignore[arg-type]
                                                     Value(value=False, label="no"))}  # type: ignore[arg-type]
    for follow in question.follow_up:
        if follow.id in TRIAL_FACTS and follow.options:
            out[follow.id] = tuple(Value(value=o.value, label=o.label) for o in follow.options
                                   if o.value != "unknown")
    return out


def _check(library: Library, name: str, rows: Sequence[Any],
           derived: dict[str, tuple[Value, ...]], trial: dict[str, tuple[Value, ...]] | None,
           place: Callable[[Any], tuple[str, int | None]]) -> TableReport:
    tests = tests_by_subject(row.when for row in rows if row.when is not None)
    subjects = sorted(tests)
    domains: list[list[Alternative]] = []
    for subject in subjects:
        if trial is not None:
            domains.append(alternatives(subject, tests[subject], None, {}, trial))
        elif subject in derived:
            domains.append(alternatives(subject, tests[subject], None, derived))
        else:
            domains.append(alternatives(subject, tests[subject], library.dialog, derived))
    total = 1
    for d in domains:
        total *= len(d)
    first_file, first_line = place(rows[0])
    if total > MAX_COMBINATIONS:
        return TableReport(name, total, (Problem(
            first_file, first_line, name,
            f"reads {total} combinations of facts, more than the {MAX_COMBINATIONS} checked"),))
    gaps, examples = 0, list[str]()
    conflicts: Counter[tuple[str, str]] = Counter()
    conflict_example: dict[tuple[str, str], str] = {}
    used: set[str] = set()
    for combo in product(*domains):
        facts = {s: a.value for s, a in zip(subjects, combo, strict=True)}
        matched = [row for row in rows if row.when is None or row.when.holds(facts)]
        used.update(row.id for row in matched)
        if not matched:
            gaps += 1
            if len(examples) < MAX_EXAMPLES:
                examples.append(_show(subjects, combo, library))
        decisions = {row.then for row in matched}
        if len(decisions) > 1:
            a, b = matched[0], next(r for r in matched if r.then != matched[0].then)
            conflicts[(a.id, b.id)] += 1
            conflict_example.setdefault((a.id, b.id), _show(subjects, combo, library))
    problems = []
    if gaps:
        problems.append(Problem(first_file, first_line, name, f"{gaps} combination(s) reach "
                                f"no row, e.g. {'; '.join(examples)}"))
    for (a, b), count in conflicts.items():
        file, line = place(next(r for r in rows if r.id == b))
        problems.append(Problem(file, line, name, f"rows '{a}' and '{b}' both match {count} "
                                f"combination(s) with different decisions, e.g. "
                                f"{conflict_example[(a, b)]}"))
    for row in rows:
        if row.id not in used:
            file, line = place(row)
            problems.append(Problem(file, line, name,
                                    f"row '{row.id}' never matches any combination"))
    return TableReport(name, total, tuple(problems))


def _show(subjects: list[str], combo: Sequence[Alternative], library: Library) -> str:
    vocabulary = library.vocabulary
    return ", ".join(f"{vocabulary.label(s)} {a.label}" for s, a in zip(subjects, combo, strict=True))


"""Thresholds written against a lab's age-banded reference intervals must be those intervals.

A rule such as "calcium below 8.8 mg/dL from 1 to 12 years" restates ``labs.yaml``; when
the intervals are edited, every restatement must follow. ``triage check`` finds each
``all`` that pairs age bounds with a lab bound, and each ``any`` of them: the ages must be
one reference band, the bound that band's limit, and an ``any`` must cover every band.
"""

from __future__ import annotations

from dataclasses import dataclass

from .conditions import Condition
from .knowledge import Knowledge
from .schema import AgeRange, Lab

AGE = "age_years"
_LIMIT = {"below": "low", "at_least": "low", "above": "high", "at_most": "high"}


@dataclass(frozen=True)
class _Banded:
    """One ``all``: the lab, which limit it restates, its ages and its threshold."""

    lab: Lab
    limit: str                  # "low" or "high"
    ages: tuple[float, float]   # age_from, age_to (years)
    threshold: float


def threshold_problems(knowledge: Knowledge) -> list[str]:
    banded_labs = {i: lab for i, lab in knowledge.labs.items() if len(lab.reference) > 1}
    found: dict[tuple[str, str], str] = {}   # (file, message) -> first place it was found
    for table, key, field, cond in knowledge.conditions():
        origin = knowledge.origins[(table, key)]
        where = f"{origin.where(field)}: {key}.{field}"
        for node in cond.nodes():
            messages = []
            if node.all is not None:
                banded = _banded(node, banded_labs)
                if banded is not None:
                    messages += _band_problems(banded)
            if node.any is not None:
                messages += _coverage_problems(node, banded_labs)
            for message in messages:   # an anchor repeated in one file is reported once
                found.setdefault((origin.file, message), f"{where}: {message}")
    return list(found.values())


def _banded(node: Condition, labs: dict[str, Lab]) -> _Banded | None:
    tests = node.all or ()
    lab_tests = [t for t in tests if t.question in labs and t.operator()[0] in _LIMIT]
    age_tests = [t for t in tests if t.question == AGE]
    if len(lab_tests) != 1 or not age_tests or len(lab_tests) + len(age_tests) != len(tests):
        return None
    lab = labs[lab_tests[0].question or ""]
    low, high = lab.reference[0].age_from, lab.reference[-1].age_to
    for t in age_tests:
        name, value = t.operator()
        if name == "at_least":
            low = value
        elif name == "below":
            high = value
        else:
            return None
    name, threshold = lab_tests[0].operator()
    return _Banded(lab, _LIMIT[name], (low, high), threshold)


def _band(banded: _Banded) -> AgeRange | None:
    return next((b for b in banded.lab.reference
                 if (b.age_from, b.age_to) == banded.ages), None)


def _band_problems(banded: _Banded) -> list[str]:
    lab, (start, end) = banded.lab, banded.ages
    band = _band(banded)
    if band is None:
        bands = ", ".join(f"{b.age_from:g}–{b.age_to:g}" for b in lab.reference)
        return [f"ages {start:g}–{end:g} are not one of the reference bands of {lab.id} "
                f"(labs.yaml: {bands} years)"]
    limit = band.low if banded.limit == "low" else band.high
    if limit != banded.threshold:
        return [f"{lab.id} {banded.threshold:g} {lab.unit} for ages {start:g}–{end:g}: the "
                f"reference interval's {banded.limit} limit there is "
                f"{'none' if limit is None else f'{limit:g}'} (labs.yaml)"]
    return []


def _coverage_problems(node: Condition, labs: dict[str, Lab]) -> list[str]:
    """An ``any`` of banded tests of one lab and limit must cover every band of that lab
    (when each of its ages is a band: otherwise that is the problem reported)."""
    groups: dict[tuple[str, str], set[tuple[float, float]]] = {}
    misfit: set[tuple[str, str]] = set()
    for child in node.any or ():
        banded = _banded(child, labs) if child.all is not None else None
        if banded is not None:
            group = (banded.lab.id, banded.limit)
            groups.setdefault(group, set()).add(banded.ages)
            if _band(banded) is None:
                misfit.add(group)
    out = []
    for (lab_id, limit), ages in groups.items():
        if (lab_id, limit) in misfit:
            continue
        missing = [b for b in labs[lab_id].reference if (b.age_from, b.age_to) not in ages]
        out += [f"{lab_id} is tested against its {limit} limit by age, but not for ages "
                f"{b.age_from:g}–{b.age_to:g} (labs.yaml)" for b in missing]
    return out

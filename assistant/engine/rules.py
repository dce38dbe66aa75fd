"""Triage and ranking rules: typed records for ``knowledge/triage.yaml`` and ``ranking.yaml``.

Triage rules raise a level (``urgent``, ``soon``, ``routine``) when their condition holds.
Ranking contributions add points to therapies (without ``when``: the therapy's evidence
baseline); ``prior_response`` gives the effect of an earlier trial of the same therapy.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from .conditions import Condition
from .schema import Strict

Level = Literal["urgent", "soon", "routine"]
LEVELS: tuple[Level, ...] = ("urgent", "soon", "routine")   # most severe first
Response = Literal["none", "partial", "good", "too_early", "unknown"]


class TriageRule(Strict, kw_only=True):
    id: str
    level: Level
    when: Condition
    message: str
    action: str | None = None
    refs: tuple[str, ...]


class Contribution(Strict, kw_only=True):
    """``points`` for each of ``therapies`` when ``when`` holds (always, without ``when``)."""

    id: str
    therapies: tuple[str, ...]
    when: Condition | None = None
    points: int | float
    reason: str
    refs: tuple[str, ...]


class ResponseEffect(Strict, kw_only=True):
    """Points for a therapy the child already had, by the best response recorded."""

    id: str
    response: Response
    points: int | float
    reason: str
    refs: tuple[str, ...]


class Rules(Strict, kw_only=True):
    triage: tuple[TriageRule, ...]
    contributions: tuple[Contribution, ...]
    prior_response: tuple[ResponseEffect, ...]

    def statements(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """(table, id, refs) of every rule, for reference checks."""
        return ([("triage rule", r.id, r.refs) for r in self.triage]
                + [("contribution", c.id, c.refs) for c in self.contributions]
                + [("prior response", p.id, p.refs) for p in self.prior_response])

    def conditions(self) -> list[tuple[str, str, Condition]]:
        """(table, id, condition) of every rule that reads facts."""
        out = [("triage rule", r.id, r.when) for r in self.triage]
        return out + [("contribution", c.id, c.when) for c in self.contributions if c.when]


def load_rules(collector: Any, base: Path, therapies: dict[str, Any],
               references: dict[str, Any]) -> Rules:
    """Load both rule files through the knowledge loader's collector and check their ids."""
    triage = collector.records(base / "triage.yaml", "rules", TriageRule, "triage rule")
    located = collector.load(base / "ranking.yaml")
    contributions: dict[str, Contribution] = {}
    responses: dict[str, ResponseEffect] = {}
    if located is not None:
        for key, kind, out, table in (("contributions", Contribution, contributions, "contribution"),
                                      ("prior_response", ResponseEffect, responses, "prior response")):
            items = located.data.get(key) if isinstance(located.data, dict) else None
            if not isinstance(items, list):
                collector.problems.append(located.problem((), f"expected a top-level '{key}' list"))
                continue
            for i, item in enumerate(items):
                collector.add(out, located, (key, i), item, kind, table)
    rules = Rules(triage=tuple(triage.values()), contributions=tuple(contributions.values()),
                  prior_response=tuple(responses.values()))
    _check(rules, collector.fault, therapies, references)
    return rules


def _check(rules: Rules, fault: Callable[[str, str, str, str], None],
           therapies: dict[str, Any], references: dict[str, Any]) -> None:
    for table, key, refs in rules.statements():
        for ref in refs:
            if ref not in references:
                fault(table, key, "refs", f"unknown reference '{ref}'")
    for c in rules.contributions:
        for therapy in c.therapies:
            if therapy not in therapies:
                fault("contribution", c.id, "therapies", f"unknown therapy '{therapy}'")
    seen: set[str] = set()
    for p in rules.prior_response:
        if p.response in seen:
            fault("prior response", p.id, "response", f"response '{p.response}' is listed twice")
        seen.add(p.response)

"""Triage and ranking rules: typed records for ``knowledge/triage.yaml`` and ``ranking.yaml``.

Triage rules raise a level (``urgent``, ``soon``, ``routine``) when their condition holds.
Ranking contributions add points to therapies (without ``when``: the therapy's evidence
baseline); ``prior_response`` gives the effect of an earlier trial of the same therapy.
"""

from __future__ import annotations

from typing import Literal

from .conditions import Condition
from .schema import Strict

Level = Literal["urgent", "soon", "routine"]
LEVELS: tuple[Level, ...] = ("urgent", "soon", "routine")   # most severe first
LEVEL_TEXT: dict[Level, str] = {"urgent": "URGENT: same-day hospital review",
                                "soon": "SOON: review within days",
                                "routine": "ROUTINE: no red flag"}
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


"""Triage rules: typed records for ``knowledge/triage.yaml``.

A rule raises the consult's level (``urgent``, ``soon``, ``routine``) when its condition
holds; conditions may read the answers and the pathway's derived facts (scope, infection,
on immunosuppression ...).
"""

from __future__ import annotations

from .conditions import Condition
from .schema import EvidenceLevel, Level, Strength, Strict

LEVELS: tuple[Level, ...] = ("urgent", "soon", "routine")   # most severe first
LEVEL_TEXT: dict[Level, str] = {"urgent": "URGENT: same-day hospital review",
                                "soon": "SOON: review within days",
                                "routine": "ROUTINE: no red flag"}


class TriageRule(Strict, kw_only=True, frozen=True):
    id: str
    level: Level
    when: Condition
    message: str
    action: str | None = None
    refs: tuple[str, ...]
    evidence_level: EvidenceLevel    # Oxford CEBM 2011 level of the evidence behind the rule
    strength: Strength
    graded: str | None = None

"""A published dose, and what it comes to for this child (never above a published maximum).

Per-kg doses need the weight; per-m² doses need the body-surface area, computed from height
and weight with the Mosteller formula, √(height cm × weight kg / 3600). A computed dose
is capped at the published maximum; a per-kg or per-m² dose without one is shown as
published and not computed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .schema import Dose, DoseNumbers

_INTERVAL = {"dose": "per dose", "day": "per day", "week": "per week", "month": "per month",
             "3 months": "every 3 months", "year": "per year", "course": "per course"}


@dataclass(frozen=True)
class DoseForChild:
    text: str                    # as published
    population: str
    refs: tuple[str, ...]
    via: str | None              # the reference it was read through, when nobody read refs
    not_to_follow: str | None    # why the published dose must not be followed
    for_child: str | None        # the computed range for this child, if any
    note: str | None             # why nothing was computed, or that the range was capped

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "population": self.population, "refs": list(self.refs),
                "via": self.via, "not_to_follow": self.not_to_follow,
                "for_this_child": self.for_child, "note": self.note}


def body_surface_area(height_cm: float, weight_kg: float) -> float:
    """Mosteller body-surface area in m²."""
    return math.sqrt(height_cm * weight_kg / 3600)


def _num(x: float) -> str:
    return f"{round(x, 2):g}"


def _amount(low: float, high: float, n: DoseNumbers) -> str:
    span = _num(low) if low == high else f"{_num(low)}–{_num(high)}"
    return f"{span} {n.unit} {_INTERVAL[n.interval]}"


def for_child(dose: Dose, weight: float | None, height: float | None = None) -> DoseForChild:
    """The dose as published; with its size (weight, or body-surface area) the range for this
    child, capped at the published maximum."""
    def shown(for_this_child: str | None, note: str | None) -> DoseForChild:
        return DoseForChild(dose.text, dose.population, dose.refs, dose.via, dose.not_to_follow,
                            for_this_child, note)

    n = dose.numbers
    if n is None or n.per is None:
        return shown(None, None)
    if n.max is None:
        return shown(None, "no published maximum is recorded: shown as published, not computed")
    if weight is None:
        return shown(None, "weight unknown: shown as published")
    if n.per == "m2":
        if height is None:
            return shown(None, "needs height: a per-m² dose needs the body-surface area")
        size = body_surface_area(height, weight)
        basis = f"for {_num(size)} m² (Mosteller, {_num(height)} cm, {_num(weight)} kg)"
    else:
        size = weight
        basis = f"for {_num(weight)} kg"
    low, high = n.low * size, n.high * size
    note = None
    if high > n.max:
        low, high = min(low, n.max), n.max
        note = f"capped at the published maximum of {_num(n.max)} {n.unit} {_INTERVAL[n.interval]}"
    return shown(f"{_amount(low, high, n)} {basis}", note)

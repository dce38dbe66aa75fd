"""A published dose, and what it comes to for this child (never above a published maximum)."""

from __future__ import annotations

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
    for_child: str | None        # the computed range for this child's weight, if any
    note: str | None             # why nothing was computed, or that the range was capped

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "population": self.population, "refs": list(self.refs),
                "for_this_child": self.for_child, "note": self.note}


def _num(x: float) -> str:
    return f"{round(x, 2):g}"


def _amount(low: float, high: float, n: DoseNumbers) -> str:
    span = _num(low) if low == high else f"{_num(low)}–{_num(high)}"
    return f"{span} {n.unit} {_INTERVAL[n.interval]}"


def for_child(dose: Dose, weight: float | None) -> DoseForChild:
    """The dose as published; with ``per: kg`` and a weight, the range for this child."""
    n = dose.numbers
    computed, note = None, None
    if n is not None and n.per == "m2":
        note = "per m² dose: needs body-surface area, which is not asked; shown as published"
    elif n is not None and n.per == "kg":
        if weight is None:
            note = "weight unknown: shown as published"
        else:
            low, high = n.low * weight, n.high * weight
            if n.max is not None and high > n.max:
                low, high = min(low, n.max), n.max
                note = (f"capped at the published maximum of {_num(n.max)} {n.unit} "
                        f"{_INTERVAL[n.interval]}")
            computed = f"{_amount(low, high, n)} for {_num(weight)} kg"
    return DoseForChild(dose.text, dose.population, dose.refs, computed, note)

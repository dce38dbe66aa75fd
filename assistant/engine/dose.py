"""What a treatment line says about one drug's dose, read where it is clear.

``parse("2 mg/kg/day x3", vocabulary)`` gives amount 2, unit mg, per kg, interval 1×/day,
count 3; the text is always kept verbatim in ``Dose.text``, and a field that the text does
not say clearly stays None. A route or form word ("IV", "topical", "2% cream") sets
``route`` and ``form``; a cream, gel or ointment is topical.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from .line_pieces import Piece, split
from .textkey import fold

if TYPE_CHECKING:
    from .treatment_words import Vocabulary

Route = Literal["iv", "oral", "topical", "intralesional", "sc", "im"]
Form = Literal["cream", "gel", "ointment", "tablet", "capsule", "syrup", "solution",
               "injection", "infusion", "patch"]
Unit = Literal["mg", "g", "mcg", "IU", "units", "mL", "%"]
TimeUnit = Literal["day", "week", "month"]
Per = Literal["kg", "m2"]


@dataclass(frozen=True)
class Interval:
    """How often: ``times`` per ``every`` ``unit`` (2 per 1 day; 1 per 4 weeks)."""

    times: int
    every: int
    unit: TimeUnit

    def text(self) -> str:
        if self.every == 1:
            return f"{self.times}×/{self.unit}"
        return (f"{self.times}× " if self.times != 1 else "") + f"every {self.every} {self.unit}s"

    def to_json(self) -> dict[str, Any]:
        return {"times": self.times, "every": self.every, "unit": self.unit}


@dataclass(frozen=True)
class Dose:
    """A dose as typed (``text``, verbatim) and the parts of it read clearly."""

    text: str
    amount: float | None = None
    amount_high: float | None = None       # "10-15 mg": 10 to 15
    unit: Unit | None = None
    per: Per | None = None                 # mg/kg, mg/m²
    interval: Interval | None = None
    as_needed: bool = False
    route: Route | None = None
    form: Form | None = None
    count: int | None = None               # "x3", "3 pulses"

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "amount": self.amount, "amount_high": self.amount_high,
                "unit": self.unit, "per": self.per,
                "interval": self.interval.to_json() if self.interval else None,
                "as_needed": self.as_needed, "route": self.route, "form": self.form,
                "count": self.count}


_NUMBER = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d.,])|\d+(?:[.,]\d+)?"   # "100 000", "0,5"
_PER = re.compile(r"\s*/\s*(kg|m2|1[.,]73\s*m2?|كغ|كجم|م2)(?![a-z])")
# the time words after a slash ("/d", "/24 h", "/semaine", "/شهر"); right after an amount
# not "/día", which tests/treatment_lines.yaml leaves to a later "cada 3 meses"
_PER_TIME_WORDS = (r"d|j|day|jour|24\s*h|wk|week|sem|semaine|semana|mo|month|mois|mes"
                   r"|يوم|اسبوع|شهر")
_PER_TIME = re.compile(rf"\s*/\s*({_PER_TIME_WORDS})(?![a-z])")
_DURATION = r"(?:/|d\b|days?|j\b|jours?|w\b|wks?|weeks?|sem|mo\b|months?|mois|y\b|yrs?|years?|ans?\b)"
_COUNT = re.compile(rf"(?:^|[^\w/])[x×]\s*(\d+)\b(?!\s*{_DURATION})"   # x3, not "x 6 months"
                    r"|(?<![\w.,/])(\d+)\s*[x×](?![\w/])")
_Q = re.compile(r"(?<![a-z])q\s*(\d+)\s*(h|hr|d|w|wk|wks|mo|m|mth)(?![a-z])")
_EVERY = re.compile(r"(?:every|tous les|toutes les|cada|ogni|كل)\s+(\d+)\s+"
                    r"(day|days|jours|dias|giorni|week|weeks|wk|wks|semaines|semanas|settimane"
                    r"|month|months|mois|meses|mesi|mo|mths)(?![a-z])")
_TIMES = re.compile(r"(?:(\d+)\s*(?:x|×|times|fois|veces|volte)|x\s*(\d+))\s*(?:/|per|a|par|por|al|la)?\s*"
                    r"(day|d|j|jour|dia|daily|week|wk|sem|semaine|semana|weekly|hebdomadaire"
                    r"|semanal|month|mo|mois|mes|monthly|mensuel|mensual)(?![a-z])")
_SLASH_TIME = re.compile(rf"/\s*(dia|{_PER_TIME_WORDS})(?![a-z])")
_TIME_UNITS: dict[str, TimeUnit] = {
    **dict.fromkeys(("d", "j", "day", "days", "jour", "jours", "dia", "dias", "giorni", "24h",
                     "daily", "يوم"), "day"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks", "sem", "semaine", "semaines", "semana",
                     "semanas", "settimane", "weekly", "hebdomadaire", "semanal", "اسبوع"), "week"),
    **dict.fromkeys(("m", "mo", "mth", "mths", "month", "months", "mois", "mes", "meses",
                     "mesi", "monthly", "mensuel", "mensual", "شهر"), "month"),
}


def parse(text: str, vocabulary: Vocabulary) -> Dose:
    """The dose read from ``text`` (the words typed next to one drug)."""
    low = fold(text)
    pieces = [p for p in split(text) if isinstance(p, Piece)]
    amount = amount_high = None
    unit: Unit | None = None
    per: Per | None = None
    interval = None
    m = vocabulary.amount.search(low)
    if m is not None:
        amount, amount_high = _number(m.group("a")), _number(m.group("b"))
        unit = vocabulary.units[m.group("unit")]
        rest = low[m.end():]
        p = _PER.match(rest)
        if p is not None:
            per = "kg" if p.group(1) in ("kg", "كغ", "كجم") else "m2"
            rest = rest[p.end():]
        t = _PER_TIME.match(rest)
        if t is not None:
            interval = _per_time(t)
    keys = [p.key for p in pieces]
    longest = vocabulary.longest
    interval = interval or _interval(low) or _phrase(keys, vocabulary.intervals, longest)
    return Dose(text, amount, amount_high, unit, per, interval,
                bool(_phrase(keys, vocabulary.as_needed, longest)),
                _phrase(keys, vocabulary.routes, longest),
                _phrase(keys, vocabulary.forms, longest), _count(low, pieces, vocabulary))


def amount_pattern(units: list[str]) -> re.Pattern[str]:
    """A number (or range), then one of ``units`` (folded), as typed: "2", "10-15 mg"."""
    names = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    return re.compile(rf"(?<![\w.,])(?P<a>{_NUMBER})(?:\s*(?:-|–|to|à|a|al)\s*(?P<b>{_NUMBER}))?"
                      rf"\s*(?P<unit>{names})(?![^\W\d_])")


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    return float(re.sub(r"[ \u00a0\u202f]", "", text).replace(",", "."))


def _interval(low: str) -> Interval | None:
    m = _Q.search(low)
    if m is not None and m.group(2) != "h":
        return Interval(1, int(m.group(1)), _TIME_UNITS[m.group(2)])
    m = _EVERY.search(low)
    if m is not None:
        return Interval(1, int(m.group(1)), _TIME_UNITS[m.group(2)])
    m = _TIMES.search(low)
    if m is not None:
        return Interval(int(m.group(1) or m.group(2)), 1, _TIME_UNITS[m.group(3)])
    m = _SLASH_TIME.search(low)
    return _per_time(m) if m is not None else None


def _per_time(m: re.Match[str]) -> Interval:
    """Once per the time word after a slash ("/d", "/24 h")."""
    return Interval(1, 1, _TIME_UNITS[re.sub(r"\s", "", m.group(1))])


def _count(low: str, pieces: list[Piece], vocabulary: Vocabulary) -> int | None:
    m = _COUNT.search(low)
    if m is not None:
        return int(m.group(1) or m.group(2))
    for a, b in zip(pieces, pieces[1:], strict=False):
        if a.number and a.key.isdigit() and b.key in vocabulary.counts:
            return int(a.key)
    return None


def _phrase(keys: list[str], table: dict[tuple[str, ...], Any], longest: int) -> Any:
    """The value of the first (longest at its place) phrase of ``table`` among the keys."""
    for i in range(len(keys)):
        for n in range(min(longest, len(keys) - i), 0, -1):
            found = table.get(tuple(keys[i:i + n]))
            if found is not None:
                return found
    return None

"""Turn what a clinician typed (or a replay file holds) into a fact value, or refuse it clearly."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from .dialog import Measure, Option
from .errors import AnswerError
from .facts import UNKNOWN, BelowLimit

UNKNOWN_WORDS = frozenset({"unknown", "not done", "not known", "n/a", "na", "?", "dont know",
                           "don't know", "unsure"})
YES = frozenset({"yes", "y", "true", "oui", "si", "sí"})
NO = frozenset({"no", "n", "false", "non"})
NEGATIVE_WORDS = frozenset({"negative", "neg", "undetectable", "not detected", "undetected",
                            "négatif", "negatif"})

_NUMBER = re.compile(r"([-+]?(?:\d+(?:[.,]\d+)?|[.,]\d+))\s*(.*)", re.DOTALL)
NUMBER_TEXT_LIMIT = 40      # characters: a number and its unit; longer is refused unread


def is_unknown(raw: Any) -> bool:
    return raw is UNKNOWN or (isinstance(raw, str) and raw.strip().lower() in UNKNOWN_WORDS)


# spelled-out and plural unit words, as typed, to the short forms units are declared in
_UNIT_WORDS = {
    **dict.fromkeys(("kilogram", "kilograms", "kilo", "kilos", "kgs"), "kg"),
    **dict.fromkeys(("gram", "grams", "gm", "gms"), "g"),
    **dict.fromkeys(("pound", "pounds"), "lb"),
    **dict.fromkeys(("year", "years", "yr", "yrs"), "y"),
    **dict.fromkeys(("month", "months", "mth", "mths", "mos"), "mo"),
    **dict.fromkeys(("litre", "litres", "liter", "liters"), "l"),
    **dict.fromkeys(("decilitre", "decilitres", "deciliter", "deciliters"), "dl"),
    **dict.fromkeys(("millimole", "millimoles"), "mmol"),
    **dict.fromkeys(("milligram", "milligrams"), "mg"),
    **dict.fromkeys(("hour", "hours", "hr", "hrs"), "h"),
}


def _unit_word(match: re.Match[str]) -> str:
    word = match.group()
    if word in _UNIT_WORDS:
        return _UNIT_WORDS[word]
    return word[:-1] if len(word) > 2 and word.endswith("s") else word   # a plural


def norm_unit(unit: str) -> str:
    """Compare units loosely: case, spaces, micro signs, superscripts, '×10^9' spellings,
    spelled-out and plural words ('27 kilograms', '27 kgs', '5 mmol per litre')."""
    text = unicodedata.normalize("NFKC", unit).lower()
    text = re.sub(r"[a-z]+", _unit_word, text)
    for old, new in (("μ", "u"), ("µ", "u"), ("×", "x"), ("^", ""), (" ", ""), ("per", "/")):
        text = text.replace(old, new)
    return text.removeprefix("x")


def parse_choice(raw: Any, options: Sequence[Option]) -> str:
    """One option, by value, label or 1-based number."""
    if not isinstance(raw, (str, int)) or isinstance(raw, bool):
        raise AnswerError(f"expected one of: {_choices(options)}")
    text = str(raw).strip().lower()
    for i, option in enumerate(options, 1):
        if text in (option.value.lower(), option.label.lower(), str(i)):
            return option.value
    raise AnswerError(f"'{raw}' is not an option; choose one of: {_choices(options)}")


def parse_multi(raw: Any, options: Sequence[Option]) -> frozenset[str]:
    """Several options: a list, or text separated by commas or spaces-between-numbers."""
    if isinstance(raw, str):
        items: list[Any] = [p for p in re.split(r"\s*[,;]\s*|\s+(?=\d)", raw.strip()) if p]
    elif isinstance(raw, (list, tuple, set, frozenset)):
        items = list(raw)
    else:
        raise AnswerError(f"expected a list of: {_choices(options)}")
    if not items:
        raise AnswerError("choose at least one option"
                          + (" (or 'none')" if any(o.exclusive for o in options) else ""))
    chosen = frozenset(parse_choice(item, options) for item in items)
    exclusive = [o.value for o in options if o.exclusive and o.value in chosen]
    if exclusive and len(chosen) > 1:
        raise AnswerError(f"'{exclusive[0]}' cannot be combined with other options")
    return chosen


def parse_yesno(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower() if isinstance(raw, str) else None
    if text in YES:
        return True
    if text in NO:
        return False
    raise AnswerError(f"'{raw}' is not yes or no")


def parse_number(raw: Any, measure: Measure, name: str) -> tuple[float | BelowLimit, str]:
    """A number with an optional unit, converted to the canonical unit and range-checked;
    for a lab, also a result below a limit ('<5', or 'negative' where the lab allows it).

    Returns the canonical value and the unit the clinician used. A refusal speaks in that
    unit and names the question (``name``: its label).
    """
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise AnswerError(f"expected a number in {measure.unit}")
    below = False
    if isinstance(raw, str):
        text = raw.replace("\u2009", "").replace("\u00a0", "").strip()
        if len(text) > NUMBER_TEXT_LIMIT:
            raise AnswerError(f"'{clip(text)}' is too long for a number and its unit "
                              f"(example: 8.8 {measure.unit})")
        if measure.negative and text.lower() in NEGATIVE_WORDS:
            return BelowLimit(None), measure.unit
        if measure.below and text.startswith("<"):
            below, text = True, text[1:].lstrip()
        match = _NUMBER.fullmatch(text)
        if match is None:
            example = f"8.8 {measure.unit}" + (", or '<5' below a limit" if measure.below else "")
            raise AnswerError(f"'{raw}' is not a number (example: {example})")
        value = float(match.group(1).replace(",", "."))
        unit_text = match.group(2).strip()
    elif isinstance(raw, int) and abs(raw) >= 10 ** 15:
        raise AnswerError(f"{clip(str(raw))} has more than 15 digits")
    else:
        value, unit_text = float(raw), ""
    if not math.isfinite(value):
        raise AnswerError(f"'{raw}' is not a number")
    unit, factor = _unit(unit_text, measure, name) if unit_text else (measure.unit, 1.0)
    canonical = round(value * factor, 3)
    low, high = measure.plausible.low, measure.plausible.high
    if below and low < canonical <= high:
        return BelowLimit(canonical), unit
    if not below and low <= canonical <= high:
        return canonical, unit
    shown_low, shown_high = _bound(low / factor, up=True), _bound(high / factor, up=False)
    hint = _other_unit_hint(value, measure) if not unit_text and not below else ""
    raise AnswerError(f"{'<' if below else ''}{_fmt(value)} {unit} is outside the accepted range "
                      f"{_fmt(shown_low)}–{_fmt(shown_high)} {unit} for {name}{hint}")


def _unit(typed: str, measure: Measure, name: str) -> tuple[str, float]:
    """The declared unit a typed one means, with its factor; refused naming the question."""
    known: dict[str, tuple[str, float]] = {}
    for declared, factor in measure.units.items():   # the first spelling names the unit
        known.setdefault(norm_unit(declared), (declared, factor))
    found = known.get(norm_unit(typed))
    if found is None:
        raise AnswerError(f"unknown unit '{typed}' for {name}; accepted units: "
                          + ", ".join(measure.units))
    return found


def _bound(value: float, up: bool) -> float:
    """A range limit in another unit, to 3 significant digits, rounded inwards (so every
    value shown as inside the range is accepted)."""
    if value == 0:
        return 0.0
    digits = 2 - math.floor(math.log10(abs(value)))
    scale = 10.0 ** digits
    return (math.ceil if up else math.floor)(round(value * scale, 6)) / scale


def _other_unit_hint(value: float, measure: Measure) -> str:
    for unit, factor in measure.units.items():
        if factor != 1 and measure.plausible.low <= value * factor <= measure.plausible.high:
            return f" (if the value is in {unit}, type '{_fmt(value)} {unit}')"
    return ""


def parse_text(raw: Any, limit: int = 500) -> str:
    if not isinstance(raw, (str, int, float)) or isinstance(raw, bool):
        raise AnswerError("expected text")
    text = str(raw).strip()
    if not text:
        raise AnswerError("the answer is empty")
    if len(text) > limit:
        raise AnswerError(f"the answer is longer than {limit} characters")
    return text


def clip(text: str, limit: int = 30) -> str:
    """A long typed text shortened for an error message."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _choices(options: Sequence[Option]) -> str:
    return ", ".join(o.value for o in options)


def _fmt(value: float) -> str:
    return f"{value:g}"


def as_precise_as(value: float, typed: str) -> str:
    """``value`` (a conversion of the number in ``typed``) with no more significant digits
    than were typed, and at least two: "2.3 mmol/L" -> "9.2", never "9.218"."""
    found = re.search(r"\d+(?:[.,]\d+)?", typed)
    number = found.group() if found else ""
    if "." in number or "," in number:
        digits = len(number.replace(",", "").replace(".", "").lstrip("0"))
    else:                                   # "396000": trailing zeros only place the digits
        digits = len(number.lstrip("0").rstrip("0"))
    digits = max(2, digits)
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    places = digits - 1 - math.floor(math.log10(abs(value)))
    rounded = round(value, places)
    return f"{rounded:.{max(places, 0)}f}" if places > 0 else f"{rounded:.0f}"

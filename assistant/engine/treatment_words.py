"""Typed shape of ``knowledge/treatment_words.yaml``: the words of a treatment line that
are not drug names (joins, clause breaks, noise, routes, forms, units, intervals, exposure
cues, lab names). The matcher compiles them once into :class:`Vocabulary`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .dose import Form, Interval, Route, TimeUnit, Unit, amount_pattern
from .exposure import REASONS_OF, ExposureKind, ExposureReason
from .line_pieces import words as phrase_words
from .schema import Strict
from .textkey import fold, key

Looks = Literal["ahead", "back"]


class CueWords(Strict, kw_only=True, frozen=True):
    kind: ExposureKind
    reason: ExposureReason | None = None
    looks: Looks
    words: tuple[str, ...]


class IntervalWords(Strict, kw_only=True, frozen=True):
    times: int
    every: int
    unit: TimeUnit
    words: tuple[str, ...]


class TreatmentWords(Strict, kw_only=True, frozen=True):
    none_lines: tuple[str, ...]
    joins: tuple[str, ...]
    breaks: tuple[str, ...]
    noise: tuple[str, ...]
    routes: dict[Route, tuple[str, ...]]
    forms: dict[Form, tuple[str, ...]]
    units: dict[Unit, tuple[str, ...]]
    intervals: tuple[IntervalWords, ...]
    as_needed: tuple[str, ...]
    counts: tuple[str, ...]
    cues: tuple[CueWords, ...]
    lab_names: tuple[str, ...]
    lab_units: tuple[str, ...]

    def problems(self) -> list[tuple[str, str]]:
        """(field, message) for entries that cannot work: a reason of another kind, a cue
        phrase listed in two groups, a word both joining and breaking clauses."""
        out = []
        seen: dict[Phrase, int] = {}
        for i, cue in enumerate(self.cues):
            if cue.reason not in REASONS_OF[cue.kind]:
                out.append((f"cues[{i}].reason",
                            f"'{cue.reason}' is not a reason of kind '{cue.kind}'"))
            for word in cue.words:
                phrase = phrase_words(word)
                first = seen.setdefault(phrase, i)
                if first != i:
                    out.append((f"cues[{i}].words", f"'{word}' is also in cues[{first}]"))
        breaks = _phrases(self.breaks)
        for word in self.joins:
            if phrase_words(word) in breaks:
                out.append(("joins", f"'{word}' is also a clause break"))
        return out


Phrase = tuple[str, ...]   # a run of word keys: ("never", "had")


@dataclass(frozen=True)
class Cue:
    """What one cue phrase says."""

    kind: ExposureKind
    reason: str | None
    looks: Looks


class Vocabulary:
    """The treatment words compiled for lookups by word key (and phrases of word keys)."""

    def __init__(self, words: TreatmentWords):
        self.none_lines = frozenset(key(s) for s in words.none_lines)
        self.joins = _phrases(words.joins)
        self.breaks = _phrases(words.breaks)
        dose_words = (*words.noise, *words.as_needed, *words.counts,
                      *(w for ws in (*words.routes.values(), *words.forms.values(),
                                     *words.units.values()) for w in ws),
                      *(w for i in words.intervals for w in i.words))
        self.noise = frozenset(key(w) for w in dose_words) - {""}
        self.noise_phrases = _phrases(dose_words)
        self.routes = {p: route for route, ws in words.routes.items()
                       for p in _phrases(ws)}
        self.forms = {p: form for form, ws in words.forms.items() for p in _phrases(ws)}
        self.units = {fold(w): unit for unit, ws in words.units.items() for w in ws}
        self.amount = amount_pattern(list(self.units))
        self.intervals = {p: Interval(i.times, i.every, i.unit) for i in words.intervals
                          for p in _phrases(i.words)}
        self.as_needed = dict.fromkeys(_phrases(words.as_needed), True)
        self.counts = frozenset(key(w) for w in words.counts)
        cues: dict[Phrase, Cue] = {}
        for group in words.cues:
            cue = Cue(group.kind, group.reason, group.looks)
            for p in _phrases(group.words):
                cues.setdefault(p, cue)
        self.cues = cues
        self.dose_phrases = (frozenset(self.routes) | frozenset(self.forms)
                             | frozenset(self.intervals) | frozenset(self.as_needed))
        self.lab_names = _phrases(words.lab_names)
        self.lab_longest = max((len(p) for p in self.lab_names), default=0)
        lab_units = "|".join(re.escape(u) for u in sorted({w.casefold() for w in words.lab_units},
                                                         key=len, reverse=True))
        # a lab name, then a number and a lab unit, or ':'/'=' and a number with no dose unit
        self.lab_value = re.compile(
            r"\s*(?:[:=]|\b(?:was|is|of|at|level|levels|taux|nivel|de)\b)?\s*[<>≤≥]?\s*"
            rf"\d+(?:[.,]\d+)?\s*(?:{lab_units})(?![^\W\d_])"
            r"|\s*[:=]\s*[<>≤≥]?\s*\d+(?:[.,]\d+)?(?!\s*(?:mg|g|mcg|µg|iu|ui|u|units?)\b)",
            re.IGNORECASE)
        self.longest = max(len(p) for table in (self.joins, self.breaks, cues, self.routes,
                                                self.noise_phrases, self.lab_names)
                           for p in table)


def _phrases(entries: tuple[str, ...]) -> frozenset[Phrase]:
    return frozenset(p for p in (phrase_words(e) for e in entries) if p)

"""The end of a consult: triage level with its red flags, then a ranked, explained list.

Everything is computed from the facts and the rules in ``knowledge/`` (triage.yaml,
ranking.yaml, therapy cautions); the same facts always give the same result. Only
exclusions that need no clinical judgement live here: an IV-only therapy without IV
access, a biologic where biologics are not available.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .dosing import DoseForChild, for_child
from .explain import line, reasons, show_entry
from .facts import UNKNOWN, DrugEntry
from .library import Library, default_library
from .rules import LEVELS, Level
from .schema import Therapy

DISCLAIMER = ("Decision support for clinicians, not a prescription. Doses are quoted as "
              "published (often for one child); check every dose against a current formulary "
              "and local protocol.")

_BEST_FIRST = ("good", "partial", "too_early", "none", "unknown")


@dataclass(frozen=True)
class Flag:
    """A triage rule that fired, with the facts behind it."""

    id: str
    level: Level
    message: str
    action: str | None
    facts: dict[str, str]
    refs: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "level": self.level, "message": self.message,
                "action": self.action, "facts": self.facts, "refs": list(self.refs)}


@dataclass(frozen=True)
class Triage:
    level: Level
    flags: tuple[Flag, ...]

    @property
    def red_flags(self) -> tuple[Flag, ...]:
        """The flags that raise the level above routine (routine ones are findings)."""
        return tuple(f for f in self.flags if f.level != "routine")

    def to_json(self) -> dict[str, Any]:
        return {"level": self.level, "flags": [f.to_json() for f in self.flags]}


@dataclass(frozen=True)
class Effect:
    """One named contribution to a therapy's score."""

    rule: str
    points: float
    reason: str
    facts: dict[str, str]
    refs: tuple[str, ...]

    def text(self) -> str:
        return f"{line(self.facts) or 'evidence'} → {self.points:+g}: {self.reason}"

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "facts": self.facts, "points": self.points,
                "effect": f"{self.points:+g}: {self.reason}", "text": self.text(),
                "refs": list(self.refs)}


@dataclass(frozen=True)
class Note:
    """A caution or exclusion reason; ``missing`` lists the unknown facts it could not check."""

    id: str
    message: str
    refs: tuple[str, ...]
    facts: dict[str, str]
    missing: tuple[str, ...] = ()

    def text(self) -> str:
        if self.missing:
            return f"not checked: {', '.join(self.missing)} unknown. {self.message}"
        return self.message

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text(), "checked": not self.missing,
                "facts": self.facts, "refs": list(self.refs)}


@dataclass(frozen=True)
class Option:
    """A therapy as it stands for this patient: ranked (no ``excluded``) or excluded."""

    therapy: Therapy
    score: float
    baseline: float
    contributions: tuple[Effect, ...]
    cautions: tuple[Note, ...]
    excluded: tuple[Note, ...]
    doses: tuple[DoseForChild, ...]

    @property
    def reason(self) -> str:
        return " ".join(n.message for n in self.excluded)

    def references(self) -> list[str]:
        refs = [r for e in self.contributions for r in e.refs]
        refs += [r for n in self.excluded + self.cautions for r in n.refs]
        refs += [r for d in self.doses for r in d.refs] if not self.excluded else []
        refs += [r for n in self.therapy.notes for r in n.refs]
        refs += [e.ref for e in self.therapy.evidence]
        return list(dict.fromkeys(refs))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"therapy": self.therapy.id, "name": self.therapy.name}
        if self.excluded:
            out["reason"] = self.reason
            out["reasons"] = [n.to_json() for n in self.excluded]
        else:
            out["score"] = self.score
            out["contributions"] = [e.to_json() for e in self.contributions]
        out["cautions"] = [n.to_json() for n in self.cautions]
        if not self.excluded:
            out["dose"] = [d.to_json() for d in self.doses]
        out["notes"] = [{"text": n.text, "refs": list(n.refs)} for n in self.therapy.notes]
        out["references"] = self.references()
        return out


@dataclass(frozen=True)
class Recommendation:
    triage: Triage
    ranking: tuple[Option, ...]
    excluded: tuple[Option, ...]
    disclaimer: str = DISCLAIMER

    def references(self) -> list[str]:
        """Every reference the result cites, in order of first appearance."""
        refs = [r for f in self.triage.flags for r in f.refs]
        refs += [r for o in self.ranking + self.excluded for r in o.references()]
        return list(dict.fromkeys(refs))

    def to_json(self) -> dict[str, Any]:
        return {"disclaimer": self.disclaimer, "triage": self.triage.to_json(),
                "ranking": [o.to_json() for o in self.ranking],
                "excluded": [o.to_json() for o in self.excluded]}


def recommend(facts: Mapping[str, Any], library: Library | None = None) -> Recommendation:
    """Triage and ranking for these facts (as a session collects them)."""
    library = library or default_library()
    options = [_option(t, facts, library) for t in library.knowledge.therapies.values()]
    ranked = sorted((o for o in options if not o.excluded),
                    key=lambda o: (-o.score, -o.baseline, o.therapy.id))
    excluded = sorted((o for o in options if o.excluded), key=lambda o: o.therapy.id)
    return Recommendation(triage(facts, library), tuple(ranked), tuple(excluded))


def triage(facts: Mapping[str, Any], library: Library) -> Triage:
    """The fired triage rules, most severe first, and the level they set."""
    dialog = library.dialog
    fired = [Flag(r.id, r.level, r.message, r.action, reasons(r.when, facts, dialog), r.refs)
             for r in library.knowledge.rules.triage if r.when.holds(facts)]
    fired.sort(key=lambda f: LEVELS.index(f.level))
    level = fired[0].level if fired else "routine"
    return Triage(level, tuple(fired))


def _option(t: Therapy, facts: Mapping[str, Any], library: Library) -> Option:
    dialog, rules = library.dialog, library.knowledge.rules
    effects: list[Effect] = []
    baseline: float = 0
    for c in rules.contributions:
        if t.id not in c.therapies:
            continue
        if c.when is None:
            baseline += c.points
            effects.append(Effect(c.id, c.points, c.reason, {}, c.refs))
        elif c.when.holds(facts):
            effects.append(Effect(c.id, c.points, c.reason, reasons(c.when, facts, dialog), c.refs))
    prior = _prior_effect(t, facts, library)
    if prior is not None:
        effects.append(prior)
    excluded, cautions = _generic(t, facts)
    for c in t.cautions:
        if c.when is None:
            cautions.append(Note(c.id, c.message, c.refs, {}))
        elif c.when.holds(facts):
            note = Note(c.id, c.message, c.refs, reasons(c.when, facts, dialog))
            (excluded if c.effect == "exclude" else cautions).append(note)
        elif missing := c.when.undecided(facts):
            cautions.append(Note(c.id, c.message, c.refs, {}, tuple(missing)))
    weight = facts.get("weight_kg")
    weight = weight if isinstance(weight, float) else None
    return Option(t, sum(e.points for e in effects), baseline, tuple(effects), tuple(cautions),
                  tuple(excluded), tuple(for_child(d, weight) for d in t.doses))


def _generic(t: Therapy, facts: Mapping[str, Any]) -> tuple[list[Note], list[Note]]:
    """IV access and biologic availability: (exclusions when known false, notes when unknown)."""
    excluded, unchecked = [], []
    checks = ((set(t.routes) == {"iv"}, "iv_access", "no_iv_access",
               "No IV access: this option is given only by IV infusion.",
               "This option is given only by IV infusion."),
              (t.availability == "biologic", "biologics_available", "no_biologics",
               "Biologics are not available here.",
               "This option needs access to a biologic."))
    for applies, qid, key, if_false, if_unknown in checks:
        value = facts.get(qid)
        if not applies or value is True:
            continue
        if value is False:
            excluded.append(Note(key, if_false, (), {qid: "no"}))
        else:
            unchecked.append(Note(key, if_unknown, (), {}, (qid,)))
    return excluded, unchecked


def _prior_effect(t: Therapy, facts: Mapping[str, Any], library: Library) -> Effect | None:
    """The effect of an earlier trial of this therapy, by its best recorded response."""
    entries = facts.get("prior_treatments")
    if not isinstance(entries, tuple):
        return None
    mine: list[DrugEntry] = [e for e in entries if e.therapy == t.id]
    responses = {e.response if e.response not in (None, UNKNOWN) else "unknown" for e in mine}
    best = next((r for r in _BEST_FIRST if r in responses), None)
    effect = next((p for p in library.knowledge.rules.prior_response if p.response == best), None)
    if effect is None:
        return None
    shown = "; ".join(show_entry(e) for e in mine)
    return Effect(effect.id, effect.points, effect.reason, {"prior_treatments": shown}, effect.refs)

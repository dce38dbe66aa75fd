"""The end of a consult: the triage level with its red flags, the pathway explained step by
step, and the options in order (grouped by role), each with why it stands where it does.

Everything is computed from the facts and the data in ``knowledge/`` (triage.yaml, the
pathway tables, the therapies' fit tables and cautions); the same facts always give the
same result. The only exclusions decided in code need no clinical judgement: an IV-only
option without IV access, a biologic where biologics are not available.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from .disclaimer import DISCLAIMER
from .dosing import DoseForChild, for_child
from .explain import reasons
from .library import KnowledgeVersion, Library, default_library
from .pathway import (
    PLACE_TEXT,
    PLACES,
    Decision,
    Grade,
    Note,
    PathwayResult,
    Place,
    Placement,
    Reason,
    derive,
    role_rank,
    run,
)
from .pathway_data import Pathway, RoleStatus
from .rules import LEVELS, Level
from .schema import Therapy
from .sensitivity import Sensitivity, sensitivity


@dataclass(frozen=True)
class Flag:
    """A triage rule that fired, with the facts behind it."""

    id: str
    level: Level
    message: str
    action: str | None
    facts: dict[str, str]
    refs: tuple[str, ...]
    grade: Grade

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "level": self.level, "message": self.message,
                "action": self.action, "facts": self.facts, "refs": list(self.refs),
                **self.grade.to_json()}


@dataclass(frozen=True)
class Triage:
    level: Level
    flags: tuple[Flag, ...]

    @property
    def red_flags(self) -> tuple[Flag, ...]:
        """The flags that raise the level above routine (routine ones are findings)."""
        return tuple(f for f in self.flags if f.level != "routine")

    def counts(self) -> dict[Level, int]:
        return {level: sum(f.level == level for f in self.flags) for level in LEVELS}

    def to_json(self) -> dict[str, Any]:
        return {"level": self.level, "flags": [f.to_json() for f in self.flags]}


@dataclass(frozen=True)
class Option:
    """One option as it stands for this child: placed (``rank``) or excluded."""

    therapy: Therapy
    role_title: str
    role_status: RoleStatus
    place: Place | None
    line: int | None
    why: tuple[Reason, ...]
    cautions: tuple[Note, ...]
    excluded: tuple[Note, ...]
    doses: tuple[DoseForChild, ...]
    rank: int | None = None          # 1-based; options that tie share a rank
    tied: bool = False               # ranked equal with the option before or after it

    @property
    def role(self) -> str:
        return self.therapy.role

    @property
    def reason(self) -> str:
        """Why it is excluded (empty when it is not)."""
        return " ".join(n.message for n in self.excluded)

    @property
    def place_text(self) -> str:
        return PLACE_TEXT[self.place] if self.place is not None else "not for this child"

    def references(self) -> list[str]:
        refs = [r for reason in self.why for r in reason.refs]
        refs += [r for n in self.excluded + self.cautions for r in n.refs]
        refs += [r for d in self.doses for r in (*d.refs, d.via) if r] if not self.excluded else []
        refs += [r for n in self.therapy.notes for r in n.refs]
        refs += [r for e in self.therapy.evidence for r in (e.ref, e.via) if r]
        return sorted(dict.fromkeys(refs))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"therapy": self.therapy.id, "name": self.therapy.name,
                               "role": self.role}
        if self.excluded:
            out["reason"] = self.reason
            out["reasons"] = [_note_json(n) for n in self.excluded]
        else:
            out.update({"rank": self.rank, "tied": self.tied, "place": self.place,
                        "line": self.line})
            out["why"] = [_reason_json(r) for r in self.why]
            out["dose"] = [d.to_json() for d in self.doses]
        out["cautions"] = [_note_json(n) for n in self.cautions]
        out["notes"] = [{"text": n.text, "refs": list(n.refs)} for n in self.therapy.notes]
        out["references"] = self.references()
        return out


@dataclass(frozen=True)
class RoleGroup:
    """A role as the result shows it: its status for this child and its options in order."""

    id: str
    title: str
    status: RoleStatus
    reason: Reason
    options: tuple[Option, ...]


@dataclass(frozen=True)
class Recommendation:
    triage: Triage
    steps: tuple[Decision, ...]          # the pathway's derived facts, in order
    groups: tuple[RoleGroup, ...]        # roles with options, in the order they come
    ranking: tuple[Option, ...]          # every placed option, in order
    excluded: tuple[Option, ...]         # not for this child, each with its reason
    facts: Mapping[str, Any]             # the answers plus every derived fact
    knowledge: KnowledgeVersion          # the knowledge that produced this result
    disclaimer: str = DISCLAIMER

    def references(self) -> list[str]:
        """Every reference the result cites, in order of first appearance."""
        refs = [r for f in self.triage.flags for r in f.refs]
        refs += [r for s in self.steps for r in s.reason.refs]
        refs += [r for o in self.ranking + self.excluded for r in o.references()]
        return list(dict.fromkeys(refs))

    def step(self, subject: str) -> Decision:
        return next(s for s in self.steps if s.subject == subject)

    def to_json(self) -> dict[str, Any]:
        return {"disclaimer": self.disclaimer, "knowledge": self.knowledge.to_json(),
                "triage": self.triage.to_json(),
                "pathway": [_step_json(s) for s in self.steps],
                "roles": [{"role": g.id, "title": g.title, "status": g.status,
                           "why": _reason_json(g.reason),
                           "options": [o.therapy.id for o in g.options]} for g in self.groups],
                "ranking": [o.to_json() for o in self.ranking],
                "excluded": [o.to_json() for o in self.excluded]}


def recommend(facts: Mapping[str, Any], library: Library | None = None,
              explain: bool = True) -> Recommendation:
    """Triage, pathway and options for these facts (as a session collects them);
    ``explain=False`` leaves out the facts behind each decision (faster, for re-runs)."""
    library = library or default_library()
    knowledge, vocabulary = library.knowledge, library.vocabulary
    result = run(facts, knowledge.pathway, knowledge.therapies, vocabulary, explain)
    return _assemble(result, library, explain)


def what_would_change(facts: Mapping[str, Any], library: Library | None = None) -> Sensitivity:
    """The single answers that would change the level, a stage, or the first options; and
    the unknown answers that matter (gaps). Re-runs the engine once per alternative."""
    library = library or default_library()
    return sensitivity(facts, library,
                       lambda changed: recommend(changed, library, explain=False))


def triage(facts: Mapping[str, Any], library: Library) -> Triage:
    """The triage level and flags alone (as a consult screen shows them after every answer):
    the rules read the answers and the derived facts, never the roles or the options, so
    only those are derived."""
    derived = derive(facts, library.knowledge.pathway, library.vocabulary, explain=False)
    return _triage(derived.facts, library)


def _triage(facts: Mapping[str, Any], library: Library, explain: bool = True) -> Triage:
    fired = [Flag(r.id, r.level, r.message, r.action,
                  reasons(r.when, facts, library.vocabulary) if explain else {}, r.refs,
                  Grade.of(r))
             for r in library.knowledge.triage if r.when.holds(facts)]
    fired.sort(key=lambda f: LEVELS.index(f.level))
    level = fired[0].level if fired else "routine"
    return Triage(level, tuple(fired))


def _assemble(result: PathwayResult, library: Library, explain: bool) -> Recommendation:
    pathway = library.knowledge.pathway
    weight = _number(result.facts.get("weight_kg"))
    height = _number(result.facts.get("height_cm"))
    roles = {d.subject: d for d in result.roles}

    def option(p: Placement) -> Option:
        role = roles[p.therapy.role]
        return Option(p.therapy, role.title, p.role_status, p.place, p.line,
                      p.why, p.cautions, p.excluded,
                      tuple(for_child(d, weight, height) for d in p.therapy.doses))

    placed = [p for p in result.placements if p.place is not None]
    order = {p.therapy.id: _order(p, pathway) for p in placed}
    placed.sort(key=lambda p: (order[p.therapy.id], p.therapy.id))   # the id only breaks ties
    ranking = _ranked([option(p) for p in placed], [order[p.therapy.id] for p in placed])
    excluded = tuple(sorted((option(p) for p in result.placements if p.place is None),
                            key=lambda o: (pathway.precedence.index(o.role), o.therapy.name)))
    groups = []
    for role_id in sorted(roles, key=lambda r: role_rank(pathway, roles[r].value, r)):  # type: ignore[arg-type]
        decision = roles[role_id]
        if decision.value in ("absent", "not_indicated"):
            continue
        mine = tuple(o for o in ranking if o.role == role_id)
        if mine:
            groups.append(RoleGroup(role_id, decision.title, decision.value,  # type: ignore[arg-type]
                                    decision.reason, mine))
    return Recommendation(_triage(result.facts, library, explain), result.steps, tuple(groups),
                          ranking, excluded, result.facts, library.version)


# how soon a place comes: what to do now, then options, then later lines and past trials
_PLACE_TIER = {"first": 0, "optimise": 0, "continue": 0, "option": 1, "later": 2, "tried": 2}


def _order(p: Placement, pathway: Pathway) -> tuple[Any, ...]:
    """Sort key. What to do now in the leading roles comes first, then what to do now in the
    other roles and the leading roles' other options, and so on (role rank + place tier);
    then by role, place, options with a major caution after those without, line, level of
    evidence. Options with equal keys are ties (shown as ties)."""
    assert p.place is not None
    rank, precedence = role_rank(pathway, p.role_status, p.therapy.role)
    tier = _PLACE_TIER[p.place]
    # a role that comes first (an infection, a necrotic mass) puts only its first step ahead
    # of the leading roles; its other options wait with theirs
    soon = rank if tier == 0 else max(rank, 1) + tier
    return (soon, rank, precedence, PLACES.index(p.place), p.major,
            p.line if p.line is not None else 99, p.therapy.evidence_level)


def _ranked(options: list[Option], keys: list[tuple[Any, ...]]) -> tuple[Option, ...]:
    """Ranks 1..n; options with equal keys share a rank and are marked as tied."""
    out = []
    rank = 0
    for i, o in enumerate(options):
        same_as_before = i > 0 and keys[i] == keys[i - 1]
        same_as_after = i + 1 < len(keys) and keys[i] == keys[i + 1]
        if not same_as_before:
            rank = i + 1
        out.append(replace(o, rank=rank, tied=same_as_before or same_as_after))
    return tuple(out)


def _number(value: Any) -> float | None:
    return value if isinstance(value, float) else None


def _reason_json(r: Reason) -> dict[str, Any]:
    out = {"text": r.text, "facts": r.facts, "refs": list(r.refs)}
    return out | (r.grade.to_json() if r.grade is not None else {})


def _note_json(n: Note) -> dict[str, Any]:
    return {"id": n.id, "severity": n.severity, "text": n.text(), "checked": not n.missing,
            "missing": list(n.missing), "facts": n.facts, "refs": list(n.refs)}


def _step_json(s: Decision) -> dict[str, Any]:
    return {"stage": s.subject, "title": s.title, "value": s.value, "label": s.label,
            "row": s.row, "why": _reason_json(s.reason)}


"""Whether a drug named on a treatment line was taken, and the words that say so.

Every mention is ``taken`` unless a cue of ``knowledge/treatment_words.yaml`` reaches it:
``not_taken`` (negated, refused, unavailable, not_approved, contraindicated), ``planned``
(planned, considered) or ``allergy`` (allergy, intolerance); ``taken`` cues may add why it
stopped (stopped, no_response, side_effects).

Scope follows the words. A line is cut into clauses at ``, ; . ( ) : -`` and at words such
as "then", "but", "puis", "ثم"; "and", "or", "ni", "+" and "/" do not cut a clause. A cue
that looks ``ahead`` ("no", "pas de", "لم", "allergic to") reaches the drugs after it up to
the next cue of its clause; one that looks ``back`` ("stopped", "not approved") the drugs
before it back to the previous cue (cues with no drug between them pass each other:
"MTX d/c'd due to LFTs"). Either turns the other way when its side is empty. A cue
alone in its clause reaches the clause before it, or the next one when its clause ends
with a colon; not when it is about other words of its clause ("pas de bolus": nothing
after a negation; "due to rash": no word but noise before a status). So "no MTX, on pred"
negates MTX only, "pas d'IVIG ni de rituximab" both, "HCQ: no" HCQ, "rituximab requested,
not approved" rituximab.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .treatment_words import Cue

ExposureKind = Literal["taken", "not_taken", "planned", "allergy"]
ExposureReason = Literal["stopped", "no_response", "side_effects", "negated", "refused",
                         "unavailable", "not_approved", "contraindicated", "planned",
                         "considered", "allergy", "intolerance"]
REASONS_OF: dict[ExposureKind, frozenset[str | None]] = {
    "taken": frozenset({None, "stopped", "no_response", "side_effects"}),
    "not_taken": frozenset({"negated", "refused", "unavailable", "not_approved",
                            "contraindicated"}),
    "planned": frozenset({"planned", "considered"}),
    "allergy": frozenset({"allergy", "intolerance"}),
}


@dataclass(frozen=True)
class Exposure:
    """How a named drug was met: taken (the default), not taken, planned, or allergy."""

    kind: ExposureKind = "taken"
    reason: ExposureReason | None = None
    cue: str | None = None        # the words that set it, verbatim

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "reason": self.reason, "cue": self.cue}


TAKEN = Exposure()


@dataclass(frozen=True)
class CueAt:
    cue: Cue
    start: int
    end: int
    alone: bool = True      # nothing the cue could be about on its side of its clause


@dataclass(frozen=True)
class MentionAt:
    index: int          # the mention's place in the line's list of mentions
    start: int
    end: int


@dataclass
class Clause:
    events: list[CueAt | MentionAt] = field(default_factory=list)
    colon: bool = False            # ends with ':' ("plan: MTX")

    def mentions(self) -> list[MentionAt]:
        return [e for e in self.events if isinstance(e, MentionAt)]


def _rank(cue: Cue) -> float:
    """Which cue decides when several reach one drug (the later one on a tie)."""
    if cue.kind == "allergy":
        return 6
    if cue.kind == "not_taken":
        return 5
    if cue.kind == "taken" and cue.reason is not None:
        return {"side_effects": 4.2, "no_response": 4.1}.get(cue.reason, 4)
    return 2 if cue.kind == "planned" else 1


def exposures(text: str, clauses: list[Clause]) -> dict[int, Exposure]:
    """The exposure of every mention reached by a cue, by mention index."""
    reached: dict[int, list[CueAt]] = {}
    spans: dict[int, MentionAt] = {}
    for c, clause in enumerate(clauses):
        for m in clause.mentions():
            spans[m.index] = m
        for i, event in enumerate(clause.events):
            if isinstance(event, CueAt):
                for m in _targets(clauses, c, i, event.cue.looks):
                    reached.setdefault(m.index, []).append(event)
    out = {}
    for index, cues in reached.items():
        best = max(enumerate(cues), key=lambda p: (_rank(p[1].cue), p[0]))[1]
        out[index] = Exposure(best.cue.kind, best.cue.reason,  # type: ignore[arg-type]
                              _cue_text(text, cues, spans[index]))
    return out


def _targets(clauses: list[Clause], c: int, i: int, looks: str) -> list[MentionAt]:
    events = clauses[c].events
    ahead = _run(events[i + 1:])
    back = _run(events[:i][::-1])[::-1]
    first, second = (ahead, back) if looks == "ahead" else (back, ahead)
    if first or second:
        return first or second
    cue = events[i]
    if clauses[c].mentions() or isinstance(cue, CueAt) and not cue.alone:
        return []
    if clauses[c].colon and c + 1 < len(clauses):
        return clauses[c + 1].mentions()
    return clauses[c - 1].mentions() if c > 0 else []


def _run(events: list[CueAt | MentionAt]) -> list[MentionAt]:
    """The nearest group of mentions (other cues before it are passed over: "MTX d/c'd
    due to LFTs" reaches MTX from "LFTs"), up to the next cue."""
    out: list[MentionAt] = []
    for e in events:
        if isinstance(e, CueAt):
            if out:
                break
            continue
        out.append(e)
    return out


def _cue_text(text: str, cues: list[CueAt], mention: MentionAt) -> str:
    """The cue words, verbatim: one stretch when the drug's name is not inside it."""
    cues = sorted(cues, key=lambda c: c.start)
    start, end = cues[0].start, cues[-1].end
    if not (start < mention.end and mention.start < end):
        return text[start:end]
    return " … ".join(text[c.start:c.end] for c in cues)

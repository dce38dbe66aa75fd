"""Typed shapes of the knowledge files. YAML is converted into these once, at load.

Every clinical statement carries ``refs``: ids from ``knowledge/references.yaml``.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from .conditions import Condition


class Strict(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """Base for knowledge records: unknown fields are errors, records are immutable."""


# --- references ---------------------------------------------------------------------------

ReferenceKind = Literal["seed", "article", "review", "consensus", "survey", "monograph", "web"]


class Reference(Strict, kw_only=True):
    id: str
    kind: ReferenceKind
    authors: tuple[str, ...] = ()
    year: int | None = None
    title: str
    journal: str | None = None
    volume: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None
    confirmed: bool
    note: str | None = None

    def citation(self) -> str:
        authors = ", ".join(self.authors[:3]) + (" et al." if len(self.authors) > 3 else "")
        parts = [p for p in (authors, self.title) if p]
        where = " ".join(p for p in (self.journal, str(self.year) if self.year else None) if p)
        if self.volume or self.pages:
            where += ";" + (self.volume or "") + (f":{self.pages}" if self.pages else "")
        if where:
            parts.append(where)
        text = ". ".join(parts) + "."
        if self.doi:
            text += f" doi:{self.doi}"
        if self.pmid:
            text += f" PMID {self.pmid}"
        if not self.confirmed:
            text += " [unconfirmed citation]"
        return text


# --- therapies ----------------------------------------------------------------------------

Design = Literal["case_report", "case_series", "cohort", "registry", "rct", "open_label_trial",
                 "systematic_review", "review", "consensus", "survey", "monograph"]
Availability = Literal["oral_cheap", "hospital_iv", "biologic", "topical", "procedure"]
Route = Literal["oral", "iv", "sc", "im", "intralesional", "topical", "procedure"]


class Sourced(Strict, kw_only=True):
    """A statement and the references that support it."""

    text: str
    refs: tuple[str, ...]


class DoseNumbers(Strict, kw_only=True):
    """Structured form of a published dose: ``low``-``high`` ``unit`` [per kg|m2] per ``interval``.

    ``max`` is the published ceiling in ``unit`` per ``interval`` (absolute, not per kg).
    """

    low: float
    high: float
    unit: Literal["mg", "g", "U", "ug", "mL"]
    per: Literal["kg", "m2"] | None = None
    interval: Literal["dose", "day", "week", "month", "3 months", "year", "course"]
    max: float | None = None


class Dose(Strict, kw_only=True):
    text: str
    population: str
    refs: tuple[str, ...]
    numbers: DoseNumbers | None = None


class Evidence(Strict, kw_only=True):
    ref: str
    via: str | None = None          # the seed (or review) through which the claim was read
    design: Design
    patients: int | None = None
    population: str
    outcome: str
    level: str | None = None        # e.g. "IV" as graded by a systematic review


class Caution(Strict, kw_only=True):
    """A caution or contraindication, evaluated against the consult's facts.

    With no ``when`` it always applies. ``effect: exclude`` removes the therapy (with
    ``message`` as the stated reason); ``caution`` keeps it and shows the message.
    """

    id: str
    when: Condition | None = None
    effect: Literal["caution", "exclude"]
    message: str
    refs: tuple[str, ...]


class Therapy(Strict, kw_only=True):
    id: str
    name: str
    kind: Literal["drug", "procedure"]
    routes: tuple[Route, ...]
    availability: Availability
    mechanism: Sourced
    doses: tuple[Dose, ...] = ()
    evidence: tuple[Evidence, ...]
    time_to_response: Sourced | None = None
    cautions: tuple[Caution, ...] = ()
    notes: tuple[Sourced, ...] = ()   # disagreements, seed errors, context


# --- labs ---------------------------------------------------------------------------------

class Interval(Strict, kw_only=True):
    low: float
    high: float


class AgeRange(Strict, kw_only=True):
    """Reference interval for ages ``age_from`` <= age < ``age_to`` (years)."""

    age_from: float
    age_to: float
    low: float | None = None
    high: float | None = None


class Lab(Strict, kw_only=True):
    id: str
    name: str
    unit: str                                   # canonical unit
    units: dict[str, float]                     # accepted unit -> factor to canonical
    plausible: Interval                         # refuse outside (data-entry limit)
    reference: tuple[AgeRange, ...]             # paediatric reference intervals (flag outside)
    refs: tuple[str, ...]
    note: str | None = None

    def reference_for(self, age: float | None) -> AgeRange | None:
        for band in self.reference:
            if age is None or band.age_from <= age < band.age_to:
                return band
        return None


# --- cases --------------------------------------------------------------------------------

class CaseAction(Strict, kw_only=True):
    therapy: str | None = None       # knowledge therapy id, when there is one
    text: str
    outcome: str | None = None


class Case(Strict, kw_only=True):
    id: str
    name: str
    ref: str
    title: str
    vignette: str                    # as the paper tells it, with the paper's own units
    answers: dict[str, Any]          # replay-format answers keyed by question id
    done: tuple[CaseAction, ...] = ()            # what was done, in order
    recommended: tuple[CaseAction, ...] = ()     # what the authors recommended
    # therapy ids the authors chose (did or recommended) at this case's triage point
    authors_choice: tuple[str, ...] = ()
    outcome: str
    notes: tuple[Sourced, ...] = ()              # seed errors and disagreements that matter

"""Typed shapes of the knowledge files. YAML is converted into these once, at load.

Every clinical statement carries ``refs``: ids from ``knowledge/references.yaml``. Every
decision row (pathway tables, fit tables, triage rules) carries the level of the evidence
behind it (Oxford CEBM 2011, 1 best .. 5) and the strength of what it recommends.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

import msgspec

from .conditions import Condition


class Strict(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """Base for knowledge records: unknown fields are errors, records are immutable."""


# numbers with a physical meaning (non-finite values are refused when the YAML is read)
Positive = Annotated[float, msgspec.Meta(gt=0)]
Count = Annotated[int, msgspec.Meta(gt=0)]


# --- grading ----------------------------------------------------------------------------

# Oxford CEBM 2011 levels of evidence, 1 (best) .. 5 (mechanism-based reasoning, opinion)
EvidenceLevel = Literal[1, 2, 3, 4, 5]
# strength of a recommendation: a guideline or consensus recommends it (strong) or suggests
# it (conditional); or it is the project's own judgement (expert_opinion). See README.
Strength = Literal["strong", "conditional", "expert_opinion"]
STRENGTH_TEXT: dict[str, str] = {"strong": "strong", "conditional": "conditional",
                                 "expert_opinion": "expert opinion"}


class Review(Strict, kw_only=True, frozen=True):
    """When a file of clinical logic was last reviewed, and when it must be again."""

    reviewed: date
    review_by: date

    def __post_init__(self) -> None:
        if self.review_by <= self.reviewed:
            raise ValueError("review_by must be after reviewed")


# --- references ---------------------------------------------------------------------------

# what kind of source a reference is: a primary study (trial, cohort, series, case report,
# survey), a review, a guideline or a consensus statement, a regulator's or manufacturer's
# label, a recognised formulary or drug compendium, a secondary web page (cited only where
# nothing better was found), one of the two seed case reports, or no source at all (a
# placeholder that marks a statement as unsourced)
SourceKind = Literal["primary_study", "review", "guideline", "consensus", "label", "formulary",
                     "secondary", "seed", "unsourced"]


class Reference(Strict, kw_only=True, frozen=True):
    id: str
    source: SourceKind
    authors: tuple[str, ...] = ()
    year: int | None = None
    title: str | None = None          # the title as published, only when it was seen
    described_as: str | None = None   # what the source is, when its title was not seen
    journal: str | None = None
    volume: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None
    via: str | None = None            # not read: known only as reported in this reference
    confirmed: bool
    note: str | None = None

    def __post_init__(self) -> None:
        if (self.title is None) == (self.described_as is None):
            raise ValueError("give either title (as published) or described_as (title not seen)")

    def citation(self) -> str:
        """Vancouver-style: "Authors. Title. Journal Year;Volume:Pages." and its ids. A
        title that was not seen is shown in brackets as a description."""
        authors = ", ".join(self.authors[:3]) + (", et al" if len(self.authors) > 3 else "")
        title = self.title or f"[{self.described_as.rstrip('.')}; title not seen]"  # type: ignore[union-attr]
        parts = [p.rstrip(".") for p in (authors, title) if p]
        where = " ".join(p for p in (self.journal, str(self.year) if self.year else None) if p)
        if self.volume and self.pages:
            where += f";{self.volume}:{self.pages}"
        elif self.volume or self.pages:
            where += f";{self.volume or self.pages}"
        if where:
            parts.append(where)
        text = ". ".join(parts) + "."
        if self.doi:
            text += f" doi:{self.doi}"
        if self.pmid:
            text += f" PMID {self.pmid}"
        if self.source == "secondary":
            text += " [secondary source]"
        if not self.confirmed:
            text += " [unconfirmed citation]"
        return text

    def short(self) -> str:
        """"Khadija 2021": the first author's surname and the year, else the title."""
        if self.authors:
            name = self.authors[0].split()[0] if " " in self.authors[0] else self.authors[0]
            return f"{name} {self.year}" if self.year else name
        return (self.title or self.described_as or self.id).split(":")[0]


class FitRow(Strict, kw_only=True, frozen=True):
    """One row of a therapy's ``fit`` table (see ``pathway_data.Row``)."""

    id: str
    when: Condition | None = None
    then: Literal["preferred", "suited", "unsuited", "absent"]
    because: str
    refs: tuple[str, ...]
    evidence_level: EvidenceLevel
    strength: Strength
    graded: str | None = None        # the source's own grading, e.g. "SHARE 1B, A"


# --- therapies ----------------------------------------------------------------------------

Design = Literal["case_report", "case_series", "cohort", "registry", "rct", "open_label_trial",
                 "systematic_review", "review", "consensus", "survey", "monograph"]
Availability = Literal["oral_cheap", "hospital_iv", "biologic", "targeted_oral", "topical",
                       "procedure", "action"]
RoleId = Literal["infection", "metabolic", "disease_control", "calcinosis_directed", "local"]
Severity = Literal["contraindicated", "major", "minor"]
Route = Literal["oral", "iv", "sc", "im", "intralesional", "topical", "procedure", "action"]


class Sourced(Strict, kw_only=True, frozen=True):
    """A statement and the references that support it."""

    text: str
    refs: tuple[str, ...]


class DoseNumbers(Strict, kw_only=True, frozen=True):
    """Structured form of a published dose: ``low``-``high`` ``unit`` [per kg|m2] per ``interval``.

    ``max`` is the published ceiling in ``unit`` per ``interval`` (absolute, not per kg).
    """

    low: Positive
    high: Positive
    unit: Literal["mg", "g", "U", "ug", "mL"]
    per: Literal["kg", "m2"] | None = None
    interval: Literal["dose", "day", "week", "month", "3 months", "year", "course"]
    max: Positive | None = None


class Dose(Strict, kw_only=True, frozen=True):
    text: str
    population: str
    refs: tuple[str, ...]
    via: str | None = None           # the seed (or review) through which the dose was read
    numbers: DoseNumbers | None = None
    # why a published dose must not be followed (it is shown, never computed for a child)
    not_to_follow: str | None = None

    def __post_init__(self) -> None:
        if self.not_to_follow is not None and self.numbers is not None:
            raise ValueError("a dose not to be followed has no numbers to compute")


class Evidence(Strict, kw_only=True, frozen=True):
    ref: str
    via: str | None = None          # the seed (or review) through which the claim was read
    design: Design
    patients: Count | None = None
    population: str
    outcome: str
    level: EvidenceLevel            # Oxford CEBM 2011 level of this study for this claim
    graded: str | None = None       # the source's own grading, e.g. "IV (modified Oxford CEBM)"


class Caution(Strict, kw_only=True, frozen=True):
    """A caution or contraindication, evaluated against the consult's facts.

    With no ``when`` it always applies. ``severity``: ``contraindicated`` removes the
    therapy (``message`` is the stated reason); ``major`` ranks it below the options of its
    role that have none, and shows the message; ``minor`` only shows it.
    """

    id: str
    when: Condition | None = None
    severity: Severity
    message: str
    refs: tuple[str, ...]


class Therapy(Strict, kw_only=True, frozen=True):
    """An option the pathway can place: a drug, a procedure or an action (culture and
    antibiotics, work-up, referral). ``fit``: a decision table (``preferred``, ``suited``,
    ``unsuited``, ``absent``) saying when it suits this child; without one it suits."""

    id: str
    name: str
    kind: Literal["drug", "procedure", "action"]
    role: RoleId
    routes: tuple[Route, ...]
    availability: Availability
    # Oxford CEBM 2011 level (1 best .. 5) of the best evidence for this use in children;
    # evidence from adults only, or indirect, is one level lower (see README)
    evidence_level: EvidenceLevel
    mechanism: Sourced
    fit: tuple[FitRow, ...] = ()
    doses: tuple[Dose, ...] = ()
    evidence: tuple[Evidence, ...]
    time_to_response: Sourced | None = None
    cautions: tuple[Caution, ...] = ()
    notes: tuple[Sourced, ...] = ()   # disagreements, seed errors, context
    reviewed: date
    review_by: date

    def __post_init__(self) -> None:
        self.review  # noqa: B018 - validates the dates

    @property
    def review(self) -> Review:
        return Review(reviewed=self.reviewed, review_by=self.review_by)


# --- labs ---------------------------------------------------------------------------------

class Interval(Strict, kw_only=True, frozen=True):
    low: float
    high: float


class AgeRange(Strict, kw_only=True, frozen=True):
    """Reference interval for ages ``age_from`` <= age < ``age_to`` (years)."""

    age_from: float
    age_to: float
    low: float | None = None
    high: float | None = None


class Lab(Strict, kw_only=True, frozen=True):
    id: str
    name: str
    unit: str                                   # canonical unit
    units: dict[str, float]                     # accepted unit -> factor to canonical (> 0)
    plausible: Interval                         # refuse outside (data-entry limit)
    reference: tuple[AgeRange, ...]             # paediatric reference intervals (flag outside)
    refs: tuple[str, ...]
    note: str | None = None
    negative: bool = False                      # may be reported as "negative" (undetectable)

    def reference_for(self, age: float | None) -> AgeRange | None:
        for band in self.reference:
            if age is None or band.age_from <= age < band.age_to:
                return band
        return None


def unit_problems(canonical: str, units: dict[str, float]) -> list[str]:
    """What is wrong with a table of unit factors (each positive; the canonical one 1)."""
    out = [f"the factor for '{unit}' must be a positive number, not {factor:g}"
           for unit, factor in units.items() if not factor > 0]
    if units.get(canonical) != 1:
        out.append(f"the canonical unit '{canonical}' must be listed with factor 1")
    return out


# --- cases --------------------------------------------------------------------------------

class CaseAction(Strict, kw_only=True, frozen=True):
    therapy: str | None = None       # knowledge therapy id, when there is one
    text: str
    outcome: str | None = None


Level = Literal["urgent", "soon", "routine"]
# a case's topics, for the trainee's case list (labels: study.TAG_LABELS)
CaseTag = Literal["jdm", "overlap", "systemic_sclerosis", "idiopathic", "tumoral", "genetic",
                  "metabolic", "renal", "iatrogenic", "localised", "diffuse", "universalis",
                  "ulcerated", "infection", "active_disease", "inactive_disease",
                  "failed_first_line", "surgery", "bisphosphonate", "sodium_thiosulfate",
                  "biologic", "resource_limited", "toddler", "adolescent", "outcome_good",
                  "outcome_poor"]


class Expectation(Strict, kw_only=True, frozen=True):
    """What the literature says the result must show for a case, written before the engine
    was run on it. Every field but ``why`` and ``refs`` is optional."""

    why: str
    refs: tuple[str, ...]
    level: Level | None = None                 # exactly this triage level
    level_at_least: Level | None = None        # this level or a more severe one
    scope: str | None = None                   # the pathway's stages
    activity: str | None = None
    first_role: RoleId | None = None           # role of the first option
    first: tuple[str, ...] = ()                # any of these therapies first
    top3_include: tuple[str, ...] = ()
    top3_exclude: tuple[str, ...] = ()
    top3_exclude_roles: tuple[RoleId, ...] = ()
    excluded: tuple[str, ...] = ()             # must be "not for this child"
    order: tuple[tuple[str, str], ...] = ()    # each pair: the first ranks above the second
    gaps_include: tuple[str, ...] = ()         # unknown answers listed as gaps that matter


class Case(Strict, kw_only=True, frozen=True):
    id: str
    name: str
    ref: str
    title: str
    tags: tuple[CaseTag, ...] = ()
    # the authors of the file's judgement of how hard the case is to triage (README, "Self-study"):
    # 1 one clear decision; 2 stages that interact; 3 missing or conflicting facts, failed lines,
    # or the paper's choice against the evidence
    difficulty: Literal[1, 2, 3] | None = None
    source_text: Literal["abstract", "full_text"] | None = None   # what the authors of the file read
    vignette: str                    # as the paper tells it, with the paper's own units
    answers: dict[str, Any]          # replay-format answers keyed by question id
    done: tuple[CaseAction, ...] = ()            # what was done, in order
    recommended: tuple[CaseAction, ...] = ()     # what the authors recommended
    # therapy ids the authors chose (did or recommended) at this case's triage point
    authors_choice: tuple[str, ...] = ()
    outcome: str
    notes: tuple[Sourced, ...] = ()              # seed errors and disagreements that matter
    expect: Expectation | None = None


class Variant(Strict, kw_only=True, frozen=True):
    """A published case with one clinical fact changed, to test whether a trainee sees what
    that fact changes (``knowledge/variants/``). Constructed, not a published patient:
    ``constructed: true`` must say so. ``change`` replaces answers of the case (replay
    format; one fact, with the answers that follow from it); ``vignette`` says the change in
    words; ``expect`` is what the change does to the result, checked on the variant, and it
    must not hold for the published case (the change has to change something)."""

    id: str
    case: str                        # the published case it changes
    constructed: Literal[True]
    title: str
    change: dict[str, Any]
    vignette: str
    teaches: str                     # what the change does and why, with refs
    refs: tuple[str, ...]
    expect: Expectation
    difficulty: Literal[1, 2, 3] | None = None


class ConstructedCase(Strict, kw_only=True, frozen=True):
    """An edge case built to exercise a rule (``tests/cases/``): not a published patient."""

    id: str
    title: str
    answers: dict[str, Any]
    expect: Expectation

"""A trainee's study progress as typed records: every graded round, read back from and
written to JSON, the stated confidence against what happened (calibration), and a teacher's
summary of a group's progress files.

Pure: the front ends read and write the files (``frontends/userdata.py``); this module turns
their bytes into records and records into bytes, and every error names the file and field.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

import msgspec

from .errors import LoadError, Problem

VERSION: Literal[2] = 2
# the confidences a trainee can state with a commitment, in per cent
CONFIDENCES = (50, 60, 70, 80, 90, 100)
Confidence = Annotated[int, msgspec.Meta(ge=0, le=100)]


class Record(msgspec.Struct, frozen=True, kw_only=True):
    """Base of the progress records: immutable, keyword-only."""


class PartRecord(Record, frozen=True, kw_only=True):
    """One part of the score ("facts", "red_flags", "triage", "therapy")."""

    name: str
    points: float
    out_of: int
    why: str = ""


class StepRecord(Record, frozen=True, kw_only=True):
    """One step of the decision (``study.STEP_TITLES``) and whether the trainee got it."""

    step: str
    title: str
    right: bool


class CommitmentRecord(Record, frozen=True, kw_only=True):
    level: str
    therapy: str
    reason: str = ""
    confidence: Confidence | None = None
    override: str | None = None
    override_reason: str | None = None


class MismatchRecord(Record, frozen=True, kw_only=True):
    question: str
    kind: str
    expected: str
    given: str
    explanation: str


class RoundRecord(Record, frozen=True, kw_only=True):
    """A graded round as kept in the progress file."""

    case: str
    at: datetime
    score: int
    parts: tuple[PartRecord, ...]
    commitment: CommitmentRecord
    # the commitment was right: the triage level exactly, and full marks for the first choice
    correct: bool
    steps: tuple[StepRecord, ...] = ()
    mismatches: tuple[MismatchRecord, ...] = ()
    assistant_level: str | None = None
    assistant_top: tuple[str, ...] = ()
    authors_choice: tuple[str, ...] = ()
    variant_of: str | None = None       # a constructed variant: the published case it changes

    @property
    def missed(self) -> tuple[StepRecord, ...]:
        return tuple(s for s in self.steps if not s.right)


class Progress(Record, frozen=True, kw_only=True):
    """Every round of one trainee, oldest first."""

    version: Literal[2] = VERSION
    trainee: str | None = None
    rounds: tuple[RoundRecord, ...] = ()

    def of_case(self, case: str) -> tuple[RoundRecord, ...]:
        return tuple(r for r in self.rounds if r.case == case)

    def summary(self, case: str) -> CaseProgress | None:
        """Attempts, best and last score of one case (None when never attempted)."""
        rounds = self.of_case(case)
        if not rounds:
            return None
        return CaseProgress(case, len(rounds), max(r.score for r in rounds), rounds[-1].score)

    def cases(self) -> tuple[str, ...]:
        """The cases attempted, in the order first attempted."""
        return tuple(dict.fromkeys(r.case for r in self.rounds))

    def add(self, record: RoundRecord) -> Progress:
        return msgspec.structs.replace(self, rounds=(*self.rounds, record))

    def replace_last(self, case: str, record: RoundRecord) -> Progress:
        """The case's latest round replaced (an override recorded after the reveal)."""
        at = max((i for i, r in enumerate(self.rounds) if r.case == case), default=None)
        if at is None:
            return self
        rounds = list(self.rounds)
        rounds[at] = msgspec.structs.replace(record, at=rounds[at].at)
        return msgspec.structs.replace(self, rounds=tuple(rounds))


@dataclass(frozen=True)
class CaseProgress:
    case: str
    attempts: int
    best: int
    last: int


# --- reading and writing -----------------------------------------------------------------

def decode(data: bytes | str, name: str) -> Progress:
    """A progress file's contents as records; a LoadError naming ``name`` and the field
    otherwise. The first format (rounds grouped by case, before confidence and steps were
    kept) is still read."""
    try:
        raw = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise LoadError([Problem(name, None, "", f"not a JSON progress file ({exc})")]) from None
    if not isinstance(raw, dict):
        raise LoadError([Problem(name, None, "", "a progress file is a JSON object")])
    if "version" not in raw:
        raw = _from_first_format(raw, name)
    try:
        return msgspec.convert(raw, Progress, strict=False)
    except msgspec.ValidationError as exc:
        message, _, where = str(exc).partition(" - at `$")
        raise LoadError([Problem(name, None, where.rstrip("`").lstrip("."), message)]) from None


def encode(progress: Progress) -> str:
    """Stable JSON (same records, same text)."""
    return json.dumps(msgspec.to_builtins(progress), indent=1, ensure_ascii=False) + "\n"


def _from_first_format(raw: dict[str, Any], name: str) -> dict[str, Any]:
    """``{case: {attempts, best, last, rounds: [...]}}`` (the first study.json) as version 2."""
    rounds = []
    for case, entry in raw.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("rounds"), list):
            raise LoadError([Problem(name, None, str(case), "expected a case's attempts and "
                                                            "rounds")])
        for i, r in enumerate(entry["rounds"]):
            try:
                parts = [{"name": p, **v} for p, v in r["parts"].items()]
                full = {p["name"]: p["points"] >= p["out_of"] for p in parts}
                assistant = r.get("assistant", {})
                rounds.append({"case": case, "at": r["at"], "score": r["score"],
                               "parts": parts, "commitment": r["commitment"],
                               "correct": full.get("triage", False) and full.get("therapy", False),
                               "mismatches": r.get("mismatches", []),
                               "assistant_level": assistant.get("level"),
                               "assistant_top": assistant.get("top", []),
                               "authors_choice": r.get("authors_choice", [])})
            except (KeyError, TypeError, AttributeError) as exc:
                raise LoadError([Problem(name, None, f"{case}.rounds[{i}]",
                                         f"not a study round ({exc!s})")]) from None
    rounds.sort(key=lambda r: str(r["at"]))
    return {"version": VERSION, "rounds": rounds}


def now() -> datetime:
    """The clock progress is stamped with (UTC, to the second)."""
    return datetime.now(UTC).replace(microsecond=0)


# --- calibration --------------------------------------------------------------------------

@dataclass(frozen=True)
class Bin:
    """The rounds committed with one stated confidence, and how many were right."""

    confidence: int          # per cent, as stated
    rounds: int
    right: int

    @property
    def observed(self) -> int:
        """Per cent of these rounds that were right."""
        return round(100 * self.right / self.rounds)


@dataclass(frozen=True)
class Calibration:
    """Stated confidence against observed accuracy over rounds with a stated confidence.

    A round is right when its triage level is the case's and its first choice scored full
    marks. The Brier score is the mean of (confidence − outcome)², outcome 1 when right and
    0 when not: 0 is perfect, 0.25 is what always saying 50 % earns."""

    bins: tuple[Bin, ...]
    rounds: int
    right: int
    brier: float | None       # None without a round with a stated confidence
    mean_confidence: float | None

    @property
    def accuracy(self) -> int | None:
        return round(100 * self.right / self.rounds) if self.rounds else None

    def summary(self) -> str:
        if not self.rounds or self.brier is None or self.mean_confidence is None:
            return "no round with a stated confidence yet"
        gap = round(self.mean_confidence) - (self.accuracy or 0)
        lean = ("about right" if abs(gap) < 10 else
                "overconfident" if gap > 0 else "underconfident")
        return (f"{self.rounds} round{'s' if self.rounds != 1 else ''}: stated "
                f"{self.mean_confidence:.0f} % on average, right {self.accuracy} % "
                f"({lean}); Brier score {self.brier:.2f} (0 is perfect; always saying "
                "50 % scores 0.25)")


def calibration(rounds: Iterable[RoundRecord]) -> Calibration:
    stated = [(r.commitment.confidence, r.correct) for r in rounds
              if r.commitment.confidence is not None]
    if not stated:
        return Calibration((), 0, 0, None, None)
    bins = []
    for level in sorted({c for c, _ in stated}):
        mine = [ok for c, ok in stated if c == level]
        bins.append(Bin(level, len(mine), sum(mine)))
    brier = sum((c / 100 - ok) ** 2 for c, ok in stated) / len(stated)
    mean = sum(c for c, _ in stated) / len(stated)
    return Calibration(tuple(bins), len(stated), sum(ok for _, ok in stated), round(brier, 4),
                       mean)


def calibration_markdown(result: Calibration) -> list[str]:
    """The calibration as a Markdown table (shared by the reveal and the cohort summary)."""
    if not result.rounds:
        return [result.summary()]
    out = [result.summary(), "", "| you said | rounds | right |", "|---|---|---|"]
    out += [f"| {b.confidence} % | {b.rounds} | {b.observed} % |" for b in result.bins]
    return out


# --- a group's progress (the teacher's summary) ------------------------------------------------

@dataclass(frozen=True)
class CaseCohort:
    case: str
    attempts: int
    trainees: int
    mean_score: float
    most_missed: str | None        # the step title missed most often (ties: first in order)
    missed: int                    # how often it was missed
    calibration: Calibration


@dataclass(frozen=True)
class Cohort:
    trainees: tuple[str, ...]
    cases: tuple[CaseCohort, ...]
    calibration: Calibration


def cohort(progresses: Sequence[Progress], names: Sequence[str]) -> Cohort:
    """Per case: attempts, trainees, mean score, the most-missed step and calibration.
    ``names``: each progress file's trainee (its own name, else the file's)."""
    by_case: dict[str, list[tuple[str, RoundRecord]]] = {}
    for name, progress in zip(names, progresses, strict=True):
        for r in progress.rounds:
            by_case.setdefault(r.case, []).append((name, r))
    out = []
    for case in sorted(by_case):
        entries = by_case[case]
        rounds = [r for _, r in entries]
        counts: dict[str, int] = {}
        for r in rounds:
            for s in r.missed:
                counts[s.title] = counts.get(s.title, 0) + 1
        top = max(counts.items(), key=lambda kv: kv[1], default=None)
        out.append(CaseCohort(case, len(rounds), len({n for n, _ in entries}),
                              sum(r.score for r in rounds) / len(rounds),
                              top[0] if top else None, top[1] if top else 0,
                              calibration(rounds)))
    every = [r for p in progresses for r in p.rounds]
    return Cohort(tuple(names), tuple(out), calibration(every))

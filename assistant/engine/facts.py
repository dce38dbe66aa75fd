"""The values a consult collects: one fact per question, in canonical units.

Fact values by question type: single choice -> option value (str); yes/no -> bool;
multiple choice -> frozenset of option values; number -> float in the canonical unit (or,
for a lab, ``BelowLimit``); text -> str; drug list -> tuple of DrugEntry. ``UNKNOWN`` marks
"unknown / not done".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from .dose import Dose
from .exposure import TAKEN, Exposure


class _Unknown:
    """The answer "unknown / not done"."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __reduce__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = _Unknown()


@dataclass(frozen=True)
class BelowLimit:
    """A lab result reported below a limit ("<5 mg/L"), or as negative (``limit`` None).

    The true value is somewhere under the limit, never the limit itself: a test is decided
    only when every value under the limit gives the same answer (see ``conditions``).
    """

    limit: float | None     # in the canonical unit


@dataclass(frozen=True)
class DrugEntry:
    """One treatment named by the clinician, kept verbatim.

    ``drug`` is the canonical generic name when recognised (None when not), ``therapy``
    the knowledge-base therapy it belongs to, ``status`` how it was recognised
    (matched, confirmed, unknown, class). ``exposure`` says whether it was taken (only
    taken drugs have ``response``, ``side_effects`` and ``current``: not taken, planned
    and allergy entries are information, not trials); ``dose`` is what was typed next to
    it (the whole line stays in the answer).
    """

    text: str
    drug: str | None
    therapy: str | None
    drug_class: str | None
    status: str
    response: str | None = None
    duration: str | None = None
    side_effects: str | None = None
    current: bool | None = None
    exposure: Exposure = TAKEN
    dose: Dose | None = None

    @property
    def taken(self) -> bool:
        return self.exposure.kind == "taken"

    def label(self) -> str:
        return self.drug or self.drug_class or self.text


Facts = dict[str, Any]

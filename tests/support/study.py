"""Self-study helpers: the commitment that scores full marks."""

from __future__ import annotations

from assistant.engine.library import Library
from assistant.engine.recommend import recommend
from assistant.engine.schema import Case
from assistant.engine.study import Commitment, case_session


def perfect(case: Case, library: Library) -> Commitment:
    """The commitment that matches the assistant's result for the case facts."""
    rec = recommend(case_session(case, library).facts, library)
    return Commitment(rec.triage.level, rec.ranking[0].therapy.id, "as the evidence ranks it")

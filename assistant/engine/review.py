"""Spaced review: the steps a trainee missed come back on a schedule (FSRS, the ``fsrs``
package), and so do the ones they got right, at growing intervals.

Each (case, step) a round graded is one card: a step got right is reviewed "Good", one
missed "Again". A missed step comes back a day later; one got right after a few days, then
further apart as it keeps being right. A case is due when one of its steps is. The schedule
is recomputed from the rounds in the progress file (the file keeps no scheduler state), so
it is deterministic: the same rounds and the same ``now`` give the same schedule. Rounds
kept before steps were recorded count as one card for the whole case (right when the score
was at least ``PASS``).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .progress import Progress, RoundRecord

PASS = 80                      # a round without recorded steps counts as right from this score
STEP = timedelta(days=1)       # a missed step comes back after a day
WHOLE_CASE = "case"


@dataclass(frozen=True)
class CardDue:
    step: str                  # step id, or WHOLE_CASE
    title: str
    due: datetime
    missed_last: bool          # the last round missed this step


@dataclass(frozen=True)
class CaseReview:
    """When a case comes back, and which of its steps are due."""

    case: str
    due: datetime              # the earliest of its cards
    cards: tuple[CardDue, ...]

    def due_now(self, now: datetime) -> bool:
        return self.due <= now

    def steps_due(self, now: datetime) -> tuple[str, ...]:
        """Titles of the steps due at ``now``, missed ones first."""
        due = [c for c in self.cards if c.due <= now]
        return tuple(c.title for c in sorted(due, key=lambda c: (not c.missed_last, c.due)))

    def when(self, now: datetime) -> str:
        """"due now", "in 3 days", "tomorrow", "in 5 hours"."""
        if self.due <= now:
            return "due now"
        left = self.due - now
        hours = max(1, round(left.total_seconds() / 3600))
        if hours < 23:
            return f"in {hours} hour{'s' if hours != 1 else ''}"
        days = round(left.total_seconds() / 86400)
        return "tomorrow" if days <= 1 else f"in {days} days"


def schedule(progress: Progress) -> dict[str, CaseReview]:
    """Every attempted case's review, by case id."""
    from fsrs import Card, Rating, Scheduler

    scheduler = Scheduler(learning_steps=(STEP,), relearning_steps=(STEP,),
                          enable_fuzzing=False)
    cards: dict[tuple[str, str], tuple[Card, str, bool]] = {}
    for r in sorted(progress.rounds, key=lambda r: r.at):
        at = r.at.astimezone(UTC)
        for step, title, right in _graded(r):
            key = (r.case, step)
            card = cards[key][0] if key in cards else Card(
                card_id=zlib.crc32(f"{r.case}/{step}".encode()), due=at)
            card, _ = scheduler.review_card(card, Rating.Good if right else Rating.Again,
                                            review_datetime=at)
            cards[key] = (card, title, not right)
    out: dict[str, list[CardDue]] = {}
    for (case, step), (card, title, missed) in cards.items():
        out.setdefault(case, []).append(CardDue(step, title, card.due.astimezone(UTC), missed))
    return {case: CaseReview(case, min(c.due for c in due), tuple(due))
            for case, due in out.items()}


def _graded(r: RoundRecord) -> Iterable[tuple[str, str, bool]]:
    if r.steps:
        return ((s.step, s.title, s.right) for s in r.steps)
    return ((WHOLE_CASE, "the whole case", r.score >= PASS),)

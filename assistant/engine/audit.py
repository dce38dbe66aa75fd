"""Editorial checks on the evidence, run by ``triage check``: whether each file of clinical
logic is due for review.

Loading already enforces the shape (every reference has a ``source``, every row a level and
a strength, every rule table and therapy its review dates).
"""

from __future__ import annotations

from datetime import date

from .knowledge import Knowledge


def overdue(knowledge: Knowledge, today: date) -> list[str]:
    """Warnings for every file of clinical logic whose review date has passed."""
    return [f"{file}: review overdue (reviewed {r.reviewed.isoformat()}, review by "
            f"{r.review_by.isoformat()})"
            for file, r in knowledge.reviews.items() if r.review_by < today]

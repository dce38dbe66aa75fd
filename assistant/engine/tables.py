"""Deciding a decision table: the row whose condition holds for these facts.

Tables are unique (``triage check`` proves that rows matching the same facts agree and
that every combination of facts reaches a row), so the first row that holds is the
decision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypeVar

from .conditions import Condition
from .errors import TriageError


class RowLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def when(self) -> Condition | None: ...
    @property
    def then(self) -> str: ...


R = TypeVar("R", bound=RowLike)


def decide(rows: Sequence[R], facts: Mapping[str, Any], table: str) -> R:
    """The row that decides for these facts."""
    for row in rows:
        if row.when is None or row.when.holds(facts):
            return row
    raise TriageError(f"no row of the {table} table matches these facts; "
                      "`triage check` finds such gaps")

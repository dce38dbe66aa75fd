"""The engine's own errors: every failure a user can cause ends in one of these."""

from __future__ import annotations

from dataclasses import dataclass


class TriageError(Exception):
    """Base of every error the engine raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One fault in a data file, located as precisely as the file allows."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class LoadError(TriageError):
    """Knowledge, dialog or replay data that cannot be used; lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class AnswerError(TriageError):
    """An answer the current question cannot accept; the message says what would be accepted."""


class ReplayError(TriageError):
    """A replay that cannot be completed (for example a required answer is missing)."""

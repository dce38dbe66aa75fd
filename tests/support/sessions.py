"""Sessions at a chosen point."""

from __future__ import annotations

from typing import Any

from assistant.engine.session import Session


def answer_until(session: Session, stop_key: str, answers: dict[str, Any]) -> None:
    """Answer from ``answers`` (keyed by step key) until ``stop_key`` is the current step."""
    while session.current is not None and session.current.key != stop_key:
        session.answer(answers[session.current.key])

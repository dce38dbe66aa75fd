"""Sessions at a chosen point: answered step by step, or restored from a seed replay."""

from __future__ import annotations

from typing import Any

from assistant.engine.library import Library
from assistant.engine.replay import restore
from assistant.engine.session import Session

from .files import replay_answers


def answer_until(session: Session, stop_key: str, answers: dict[str, Any]) -> None:
    """Answer from ``answers`` (keyed by step key) until ``stop_key`` is the current step."""
    while session.current is not None and session.current.key != stop_key:
        session.answer(answers[session.current.key])


def session_at(library: Library, replay: str, question: str | None = None) -> Session:
    """A session restored from ``tests/replays/<replay>.yaml``: every question before
    ``question`` (in dialog order) answered and ``question`` current; without ``question``,
    the whole consult."""
    answers = replay_answers(replay)
    if question is not None:
        order = list(library.dialog.questions)
        answers = {q: v for q, v in answers.items() if order.index(q) < order.index(question)}
    session = restore(answers, library)
    current = session.current.key if session.current is not None else None
    assert current == question, f"{replay} restored to {current}, not {question}"
    return session

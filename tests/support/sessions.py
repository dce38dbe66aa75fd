"""Sessions at a chosen point: answered step by step, or restored from a seed replay."""

from __future__ import annotations

from typing import Any

from assistant.engine.library import Library
from assistant.engine.replay import restore
from assistant.engine.session import Session, StepKey

from .files import replay_answers


def answer_until(session: Session, question: str, answers: dict[str, Any]) -> None:
    """Answer from ``answers`` (keyed by question id) until ``question`` is the current step."""
    while session.current is not None and session.current.key != StepKey(question):
        session.answer(answers[session.current.key.question])


def session_at(library: Library, replay: str, question: str | None = None) -> Session:
    """A session restored from ``tests/replays/<replay>.yaml``: every question before
    ``question`` (in dialog order) answered and ``question`` current; without ``question``,
    the whole consult."""
    answers = replay_answers(replay)
    if question is not None:
        order = list(library.dialog.questions)
        answers = {q: v for q, v in answers.items() if order.index(q) < order.index(question)}
    session = restore(answers, library)
    current = session.current.key.question if session.current is not None else None
    assert current == question, f"{replay} restored to {current}, not {question}"
    return session

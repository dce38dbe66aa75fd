"""Drive the real Textual app with keypresses, answering from replay-format answers.

Each step is answered the way a person would: the option's number key (or arrows and
Enter past nine), Space/number and Enter for several choices, typing (or pasting) then
Enter for numbers, text and the treatment line. Treatments are typed as one line; the
follow-ups of the i-th drug named take the i-th item's answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events
from textual.pilot import Pilot

from assistant.engine.session import KEEP, Step, StepKey
from assistant.frontends.app.screens.consult import ConsultScreen
from assistant.frontends.app.widgets.answers import AnswerGiven
from assistant.frontends.app.widgets.transcript import Bubble


async def type_text(pilot: Pilot, text: str) -> None:
    """Type a short text key by key; a long one is pasted (as a terminal delivers a paste)."""
    if len(text) <= 4:
        await pilot.press(*("space" if c == " " else c for c in text))
        return
    focused = pilot.app.focused
    assert focused is not None
    focused.post_message(events.Paste(text))
    await pilot.pause()


def value_for(step: Step, answers: dict[str, Any]) -> Any:
    """The replay-format answer to ``step`` (``unknown`` where ``answers`` has none)."""
    qid = step.question.id
    if step.index is None:
        return answers.get(qid, "unknown")
    item = answers[qid][step.index]
    if step.is_confirmation:
        return item.get("confirm", KEEP)
    assert step.follow_up is not None
    return item.get(step.follow_up.id, "unknown")


def entered(step: Step, answers: dict[str, Any]) -> Any:
    """What a person enters at ``step``, as the answer widget sends it: an option value, the
    values ticked, or the text typed (treatments as one line)."""
    value = value_for(step, answers)
    if step.type in ("single", "yesno"):
        if isinstance(value, bool):
            return "yes" if value else "no"
        values = [c.value for c in step.choices]
        return str(value).lower() if str(value).lower() in values else value
    if step.type == "multi":   # "unknown" alone is sent as the answer unknown
        return value if value == "unknown" else [value] if isinstance(value, str) else list(value)
    if step.type == "drugs" and isinstance(value, list):
        return ", ".join(item if isinstance(item, str) else item["drug"] for item in value)
    return str(value)


async def answer(pilot: Pilot, screen: ConsultScreen, answers: dict[str, Any]) -> None:
    """Answer the step on screen from ``answers``, with keys."""
    step = screen.session.current
    assert step is not None
    value = entered(step, answers)
    values = [c.value for c in step.choices]
    if step.type in ("single", "yesno"):
        await _pick(pilot, values.index(value), "enter")
    elif step.type == "multi":
        for item in [value] if isinstance(value, str) else value:
            await _pick(pilot, values.index(item), "space")
        await pilot.press("enter")
    else:
        await type_text(pilot, value)
        await pilot.press("enter")
    await pilot.pause()


async def _pick(pilot: Pilot, index: int, key: str) -> None:
    """The option's number key; past nine, arrows then ``key``."""
    if index < 9:
        await pilot.press(str(index + 1))
    else:
        await pilot.press("home", *["down"] * index, key)


async def run_consult(pilot: Pilot, answers: dict[str, Any], limit: int = 200) -> None:
    """Answer every step with keys until the consult is complete (the result screen opens)."""
    app = pilot.app
    for _ in range(limit):
        screen = app.screen
        if not isinstance(screen, ConsultScreen) or screen.session.complete:
            return
        await answer(pilot, screen, answers)
    raise AssertionError("the consult did not finish")


async def fast_forward(pilot: Pilot, answers: dict[str, Any], until: str | None = None,
                       limit: int = 200) -> None:
    """Answer without keys until question ``until`` is the current step (by default: until the
    consult is complete). What the answer widget would send is posted to the consult
    screen, which handles it as a typed answer (red flags show where they fired)."""
    app = pilot.app
    for _ in range(limit):
        screen = app.screen
        if not isinstance(screen, ConsultScreen) or screen.session.current is None:
            assert until is None, f"the consult ended before {until}"
            break
        if until is not None and screen.session.current.key == StepKey(until):
            break
        screen.post_message(AnswerGiven(entered(screen.session.current, answers)))
        await pilot.pause(0)
    else:
        raise AssertionError("the consult did not finish")
    await pilot.pause()   # settled, as after a keypress: the new answer widget has the focus


def bubbles(screen: ConsultScreen, kind: str) -> list[str]:
    """The transcript's texts of one kind (question, answer, flag, note...)."""
    return [str(b.content) for b in screen.query(Bubble) if b.has_class(kind)]


async def wait_for(pilot: Pilot, ready: Callable[[], object], seconds: float = 10) -> None:
    """Let the app run until ``ready()`` (background work such as reading the autosave)."""
    for _ in range(int(seconds / 0.05)):
        if ready():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never got there")

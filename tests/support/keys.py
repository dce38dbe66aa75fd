"""Drive the real Textual app with keypresses, answering from a replay file's answers.

Each step is answered the way a person would: the option's number key (or arrows and
Enter past nine), Space/number and Enter for several choices, typing (or pasting) then
Enter for numbers, text and the treatment line. Treatments are typed as one line; the follow-ups of
the i-th drug named take the i-th item's answers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from textual import events
from textual.pilot import Pilot

from assistant.engine.session import KEEP, Step
from assistant.frontends.app.screens.consult import ConsultScreen
from assistant.frontends.app.widgets.answers import choices


def answers_of(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["answers"]


async def type_text(pilot: Pilot, text: str) -> None:
    """Type a short text key by key; a long one is pasted (as a terminal delivers a paste)."""
    if len(text) <= 4:
        await pilot.press(*("space" if c == " " else c for c in text))
        return
    focused = pilot.app.focused
    assert focused is not None
    focused.post_message(events.Paste(text))
    await pilot.pause()


async def choose(pilot: Pilot, step: Step, value: Any) -> None:
    if isinstance(value, bool):
        value = "yes" if value else "no"
    values = [v for v, _ in choices(step)]
    index = values.index(str(value).lower() if str(value).lower() in values else value)
    if index < 9:
        await pilot.press(str(index + 1))
    else:
        await pilot.press("home", *["down"] * index, "enter")


async def tick(pilot: Pilot, step: Step, value: Any) -> None:
    wanted = [value] if isinstance(value, str) else list(value)
    values = [v for v, _ in choices(step)]
    for item in wanted:
        index = values.index(item)
        if index < 9:
            await pilot.press(str(index + 1))
        else:
            await pilot.press("home", *["down"] * index, "space")
    await pilot.press("enter")


def drug_line(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(item if isinstance(item, str) else item["drug"] for item in value)
    return str(value)


def value_for(step: Step, answers: dict[str, Any]) -> Any:
    qid = step.question.id
    if step.index is None:
        return answers.get(qid, "unknown")
    item = answers[qid][step.index]
    if step.is_confirmation:
        return item.get("confirm", KEEP)
    assert step.follow_up is not None
    return item.get(step.follow_up.id, "unknown")


async def answer(pilot: Pilot, screen: ConsultScreen, answers: dict[str, Any]) -> None:
    """Answer the step on screen from ``answers``."""
    step = screen.session.current
    assert step is not None
    value = value_for(step, answers)
    if step.type in ("single", "yesno"):
        await choose(pilot, step, value)
    elif step.type == "multi":
        await tick(pilot, step, value)
    else:
        await type_text(pilot, drug_line(value) if step.type == "drugs" else str(value))
        await pilot.press("enter")
    await pilot.pause()


async def run_consult(pilot: Pilot, answers: dict[str, Any], limit: int = 200) -> None:
    """Answer every step until the consult is complete (the result screen opens)."""
    app = pilot.app
    for _ in range(limit):
        screen = app.screen
        if not isinstance(screen, ConsultScreen) or screen.session.complete:
            return
        await answer(pilot, screen, answers)
    raise AssertionError("the consult did not finish")

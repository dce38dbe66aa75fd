"""The classroom in a real browser: `triage serve` on localhost, the system's headless
Chromium (Debian's `chromium`, never a downloaded browser) driven by Playwright. The page
loads, a trainee enters a name and completes a study round with the keyboard, and their own
progress file appears.

The terminal is drawn on a canvas, so the test reads what the app sends over the page's
websocket into a VT emulator (pyte) of the size the page asked for, and waits for what a
person would see before each keypress.

`make test` installs Chromium where it is missing (`make browser`); the test is skipped
only where there is none and `CI` is not set: on CI a missing Chromium is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pyte
import pytest

from assistant.engine.progress import now
from assistant.engine.session import KEEP, Step
from assistant.engine.study import case_list, case_session
from assistant.frontends.userdata import ENV_DIR, StudyProgress
from tests.support.keys import entered

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CASE = "alsaif_2017_unilateral"     # no treatments: every prompt is a different question
TRAINEE = "Amina B. <b>[x]</b>"      # markup-like on purpose: shown and filed as typed
FOCUS = "0178d4"                     # a focused field's border (the default theme's accent)

if CHROMIUM is None and os.environ.get("CI"):
    raise RuntimeError("CI must run the browser test: no Chromium installed (make browser)")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed here "
                                "(make browser, or apt-get install chromium)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Terminal:
    """What the browser's terminal shows: the app's output fed through a VT emulator of the
    size the page asked the app for."""

    def __init__(self) -> None:
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)

    def received(self, payload: bytes | str) -> None:
        self.stream.feed(payload if isinstance(payload, bytes) else payload.encode())

    def sent(self, payload: bytes | str) -> None:
        try:
            message = json.loads(payload)
        except ValueError:
            return
        if isinstance(message, list) and message and message[0] == "resize":
            size = message[1]
            self.screen.resize(int(size["height"]), int(size["width"]))

    def field_focused(self) -> bool:
        """A text field on screen has the focus (its tall border ▊ in the accent colour).
        The screen can show a new question a moment before its field takes the focus."""
        return any(char.data == "▊" and char.fg == FOCUS
                   for row in self.screen.buffer.values() for char in row.values())

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_for(self, page, *texts: str, seconds: float = 15, changed_from: str = "") -> str:
        """Until the screen shows every one of ``texts``, differs from ``changed_from``, and
        has held still for a moment (the answer area is mounted with its question)."""
        deadline = time.monotonic() + seconds
        last, steady = "", 0
        while time.monotonic() < deadline:
            page.wait_for_timeout(40)
            now = self.text()
            steady = steady + 1 if now == last else 0
            last = now
            if steady >= 2 and now != changed_from and all(t in now for t in texts):
                return now
        raise AssertionError(f"never shown: {texts!r}; the screen:\n{last}")


@pytest.fixture
def served(tmp_path):
    port = free_port()
    env = dict(os.environ, **{ENV_DIR: str(tmp_path / "data")})
    server = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--port", str(port)],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        else:
            raise AssertionError("triage serve did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)


def keys_for(step: Step, answers: dict) -> list[str]:
    """The keys a trainee presses to answer ``step`` as the case does."""
    value = entered(step, answers)
    values = [c.value for c in step.choices]
    if step.type in ("single", "yesno"):
        index = values.index(value)
        return [str(index + 1)] if index < 9 else ["Home", *["ArrowDown"] * index, "Enter"]
    if step.type == "multi":
        out = []
        for item in [value] if isinstance(value, str) else value:
            index = values.index(item)
            out += [str(index + 1)] if index < 9 else ["Home", *["ArrowDown"] * index, "Space"]
        return [*out, "Enter"]
    return ["type:" + (str(value) if value is not KEEP else "keep"), "Enter"]


def test_a_trainee_completes_a_round_in_the_browser(served, library, tmp_path):
    from playwright.sync_api import sync_playwright

    case = library.knowledge.cases[CASE]
    steps = [step for step, _ in case_session(case, library).steps()]
    assert len({s.prompt for s in steps}) == len(steps)
    rows = [r.id for r in case_list(library, StudyProgress(tmp_path).read(), now())]
    terminal = Terminal()
    with sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, args=FLAGS, headless=True,
            viewport={"width": 1280, "height": 800})
        try:
            page = browser.new_page()
            outside: list[str] = []
            page.on("request", lambda r: None if r.url.startswith(served) else
                    outside.append(r.url))
            page.on("websocket", lambda ws: (ws.on("framereceived", terminal.received),
                                             ws.on("framesent", terminal.sent)))
            page.goto(served)
            assert page.title() == "Calcinosis triage: self-study"

            def press(*keys: str) -> None:
                for key in keys:
                    if key.startswith("type:"):
                        page.keyboard.type(key[5:])
                    else:
                        page.keyboard.press(key)

            def then(keys: tuple[str, ...], *texts: str) -> str:
                """Press ``keys``, then wait for the screen they bring (showing ``texts``).
                Keys that brought nothing in 3 s are pressed once more: a new question shows
                a moment before its answer takes the focus, and a list of choices shows no
                focus mark to wait for (a text field does: ``field_focused``)."""
                before = terminal.text()
                press(*keys)
                try:
                    return terminal.wait_for(page, *texts, changed_from=before, seconds=3)
                except AssertionError:
                    press(*keys)
                return terminal.wait_for(page, *texts, changed_from=before)

            def field_focused() -> None:
                deadline = time.monotonic() + 10
                while not terminal.field_focused():
                    assert time.monotonic() < deadline, "no text field took the focus"
                    page.wait_for_timeout(20)

            terminal.wait_for(page, "Your name")
            page.focus(".xterm-helper-textarea")   # the keyboard's target, without a click
            field_focused()
            then(("type:" + TRAINEE,), "Progress file: trainees/")
            then(("Enter",), "Export progress", "<b>[x]</b>")
            then(("ArrowDown",) * rows.index(CASE) + ("Enter",), "Start the dialog")
            shown = then(("s",), steps[0].prompt[:40])
            for i, step in enumerate(steps):
                assert "URGENT" not in shown and "SOON:" not in shown   # blind until committed
                keys = keys_for(step, dict(case.answers))
                if keys[0].startswith("type:"):           # typed, and seen typed, then sent
                    field_focused()
                    then(tuple(keys[:-1]), keys[0][5:])
                    keys = keys[-1:]
                after = steps[i + 1].prompt[:40] if i + 1 < len(steps) else "Commit before the reveal"
                shown = then(tuple(keys), after)
            # the commitment; the line above the keys says where the focus is
            then(("Enter",), "Enter opens the therapies")       # the first level
            then(("Enter",), "Ciclosporin")                     # the therapies, listed
            then(("ArrowDown", "Enter"), "Enter opens the confidences")
            then(("Enter",), "100 %")                           # the confidences, listed
            then(("ArrowDown", "Enter"), "Enter commits")       # 50 %
            then(("type:excision of a discrete lesion",), "excision of a discrete lesion")
            then(("Enter",), "Your score")
        finally:
            browser.close()
    assert outside == []                     # the page asks nothing of any other server
    progress = StudyProgress(tmp_path / "data", trainee=TRAINEE)
    assert progress.path.parent.name == "trainees" and progress.path.is_file()
    read = progress.read()
    assert read.trainee == TRAINEE
    [record] = read.rounds
    assert record.case == CASE and record.commitment.confidence == 50
    assert record.commitment.reason == "excision of a discrete lesion"

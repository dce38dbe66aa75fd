"""``triage match TEXT [--json]``: show what the drug matcher makes of a line.

With TEXT, answers that line. Without it, reads standard input and answers each input line
with exactly one output line: plain text, or with ``--json`` one JSON array of mention
objects per line (``[]`` for a line that names no drug). Input is plain text: control and
escape characters are shown escaped, never sent to the terminal.
"""

from __future__ import annotations

from typing import TextIO

from ..engine.matching import Matcher, Mention, match_drugs
from .text import dumps, literal


def _json_line(mentions: list[Mention]) -> str:
    return dumps([m.to_json() for m in mentions], indent=None)


def _plain_mention(m: Mention) -> str:
    return _recognised(m) + _exposure(m) + (f", dose {literal(m.dose.text)}" if m.dose else "")


def _exposure(m: Mention) -> str:
    e = m.exposure
    if e.kind == "taken" and e.reason is None:
        return ""
    why = f" ({e.reason.replace('_', ' ')})" if e.reason else ""
    return f", {e.kind.replace('_', ' ')}{why}: '{literal(e.cue or '')}'"


def _recognised(m: Mention) -> str:
    text = literal(m.text)
    if m.status == "matched":
        if m.drug is None:
            return f"{text} -> class {m.drug_class}"
        extra = f", fuzzy {m.score:.0f}" if m.score < 100 else ""
        therapy = f", therapy {m.therapy}" if m.therapy else ""
        return f"{text} -> {m.drug} ({m.drug_class}{therapy}{extra})"
    if m.status == "confirm":
        options = " or ".join(
            f"{c.drug}{f' [{c.use}]' if c.use else ''} {c.score:.0f}" for c in m.candidates)
        return f"{text} -> confirm: {options}?"
    return f"{text} -> unknown"


def _plain_line(mentions: list[Mention]) -> str:
    if not mentions:
        return "(no drug)"
    return "; ".join(_plain_mention(m) for m in mentions)


def answer(line: str, as_json: bool, matcher: Matcher) -> str:
    """One output line (without newline) for one input line."""
    mentions = match_drugs(line, matcher)
    return _json_line(mentions) if as_json else _plain_line(mentions)


def run(text: str | None, as_json: bool, stdin: TextIO, stdout: TextIO, matcher: Matcher) -> int:
    """Answer TEXT, or every line of ``stdin`` when TEXT is None, with the loaded library's
    ``matcher``. Returns the exit status."""
    if text is not None:
        # a TEXT argument holding newlines is still one answer line
        stdout.write(answer(text.replace("\r", " ").replace("\n", " "), as_json, matcher) + "\n")
        stdout.flush()
        return 0
    for raw in stdin:
        line = raw[:-1] if raw.endswith("\n") else raw
        stdout.write(answer(line.rstrip("\r"), as_json, matcher) + "\n")
        stdout.flush()
    return 0

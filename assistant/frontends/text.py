"""Plain-text rendering shared by the line-based front ends."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..engine.result_view import ResultView

# Control characters (escape sequences included), the Unicode line separators and the
# bidirectional embeddings, overrides and isolates (which reorder what follows them on the
# line) are shown as visible escapes, never sent raw to a terminal.
_C1_AND_SEPARATORS = [0x7F, *range(0x80, 0xA0), 0x2028, 0x2029, *range(0x202A, 0x202F),
                      *range(0x2066, 0x206A)]
_CONTROL = {c: f"\\x{c:02x}" for c in range(0x20) if chr(c) not in "\n\t"}
_CONTROL.update({c: f"\\u{c:04x}" if c > 0xFF else f"\\x{c:02x}" for c in _C1_AND_SEPARATORS})
# json.dumps escapes C0 itself; what it leaves raw gets a JSON-valid escape
_JSON_RAW = {c: f"\\u{c:04x}" for c in _C1_AND_SEPARATORS}


def literal(text: Any) -> str:
    """User-typed text made safe to print to a terminal, otherwise unchanged."""
    return str(text).translate(_CONTROL)


def dumps(data: Any, indent: int | None = 2) -> str:
    """Stable JSON (same input, same bytes) that is also safe to print to a terminal."""
    return json.dumps(data, ensure_ascii=False, indent=indent).translate(_JSON_RAW)


def result_lines(view: ResultView) -> list[str]:
    """The engine's result as plain text: triage, the pathway, the first steps, the options
    by role and what is not for this child."""
    out = [f"\nTriage: {view.headline} ({view.counts})"]
    for flag in view.flags:
        out.append(f"  [{flag.level}] {literal(flag.message)} ({flag.grade})")
        if flag.action:
            out.append(f"      → {literal(flag.action)}")
    out.append("\nThe pathway:")
    out += [f"  {i}. {literal(line)}" for i, line in enumerate(view.path, 1)]
    out.append("\nFirst steps:")
    out += [f"  {o.rank}. {literal(o.name)} ({literal(o.place)}) [{o.grade}]"
            for o in view.first_steps]
    for group in view.groups:
        out.append(f"\n{literal(group.title)} ({group.status}): {literal(group.because)} "
                   f"[{group.grade}]")
        for o in group.options:
            out.append(f"  {o.rank:>3} {literal(o.name)}: {literal(o.place)}")
            out += [f"        ! {literal(c)}" for c in o.cautions]
    if view.excluded:
        out.append("\nNot for this child:")
        out += [f"  {literal(o.name)}: {literal(o.because)}" for o in view.excluded]
    out.append(f"\n{view.disclaimer}\nEvidence levels: Oxford CEBM 2011 (1 best .. 5); "
               f"{view.knowledge}")
    return out

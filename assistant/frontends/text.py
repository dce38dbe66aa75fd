"""Plain-text rendering shared by the line-based front ends."""

from __future__ import annotations

import json
from typing import Any

# Control characters (escape sequences included) and the Unicode line separators are shown
# as visible escapes, never sent raw to a terminal.
_C1_AND_SEPARATORS = [0x7F, *range(0x80, 0xA0), 0x2028, 0x2029]
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


def result_lines(data: dict[str, Any]) -> list[str]:
    """The engine's result as text: triage first, then ranked options and exclusions."""
    out = [f"\nTriage: {data['triage']['level'].upper()}"]
    for flag in data["triage"]["flags"]:
        out.append(f"  [{flag['level']}] {literal(flag['message'])}")
        if flag.get("action"):
            out.append(f"      → {literal(flag['action'])}")
    out.append("\nRanked options:")
    for i, option in enumerate(data["ranking"], 1):
        out.append(f"  {i:2}. {literal(option['name'])} (score {option['score']:g})")
    for option in data["excluded"]:
        out.append(f"  excluded: {literal(option['name'])}: {literal(option['reason'])}")
    out.append(f"\n{data['disclaimer']}")
    return out

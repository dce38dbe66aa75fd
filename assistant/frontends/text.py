"""Plain-text rendering shared by the line-based front ends."""

from __future__ import annotations

import json
from typing import Any

# Control characters (escape sequences included) are shown as visible escapes, never sent raw.
_CONTROL = {c: f"\\x{c:02x}" for c in list(range(0x20)) + [0x7F] if chr(c) not in "\n\t"}
_CONTROL.update({c: f"\\x{c:02x}" for c in range(0x80, 0xA0)})


def literal(text: Any) -> str:
    """User-typed text made safe to print to a terminal, otherwise unchanged."""
    return str(text).translate(_CONTROL)


def dumps(data: Any) -> str:
    """Stable, readable JSON (same input, same bytes)."""
    return json.dumps(data, ensure_ascii=False, indent=2)


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

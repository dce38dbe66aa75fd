"""Facts as short text, and which facts made a condition hold (for "fact → effect" lines)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .conditions import Condition
from .dialog import Dialog
from .facts import UNKNOWN, DrugEntry


def show_value(dialog: Dialog, qid: str, value: Any, labels: bool = False) -> str:
    """One fact as text: numbers with their unit, choices as option values (or their
    labels, for readers), drugs by name."""
    if value is UNKNOWN or value is None:
        return "unknown"
    question = dialog.questions[qid]
    if question.type == "number":
        return f"{value:g} {dialog.measures[qid].unit}"
    if question.type in ("single", "multi"):
        chosen = {value} if question.type == "single" else value
        shown = [o.label if labels else o.value for o in question.options if o.value in chosen]
        return ("; " if labels else ", ").join(shown)
    if question.type == "drugs":
        return "; ".join(show_entry(e) for e in value) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def show_entry(entry: DrugEntry) -> str:
    details = [f"response {entry.response}"] if entry.response else []
    if entry.current is not None:
        details.append("current" if entry.current else "stopped")
    return entry.label() + (f" ({', '.join(details)})" if details else "")


def reasons(cond: Condition, facts: Mapping[str, Any], dialog: Dialog) -> dict[str, str]:
    """The facts behind a condition that holds: question id -> shown value, in reading order.

    Under ``any`` only the branches that hold count; ``has``/``has_any`` and ``drug`` tests
    show only the matching values or entries; a ``not`` shows the facts it read.
    """
    out: dict[str, str] = {}
    _collect(cond, facts, dialog, out)
    return out


def _collect(cond: Condition, facts: Mapping[str, Any], dialog: Dialog, out: dict[str, str]) -> None:
    if cond.all is not None or cond.any is not None:
        for child in cond.children():
            if child.holds(facts):
                _collect(child, facts, dialog, out)
        return
    if cond.not_ is not None:
        for qid in cond.not_.questions():
            if qid not in out:
                out[qid] = show_value(dialog, qid, facts.get(qid))
        return
    qid = cond.question
    assert qid is not None
    value = facts.get(qid)
    name, wanted = cond.operator()
    if name in ("has", "has_any"):
        wanted = {wanted} if name == "has" else set(wanted)
        out[qid] = ", ".join(o.value for o in dialog.questions[qid].options if o.value in wanted
                             and o.value in value)
    elif cond.drug is not None:
        entries = [e for e in value if cond.holds({qid: (e,)})]
        shown = "; ".join(show_entry(e) for e in entries)
        out[qid] = f"{out[qid]}; {shown}" if qid in out and shown not in out[qid] else shown
    else:
        out[qid] = show_value(dialog, qid, value)


def line(facts: Mapping[str, str]) -> str:
    """``question: value; ...`` for a reasons mapping."""
    return "; ".join(f"{qid}: {value}" for qid, value in facts.items())

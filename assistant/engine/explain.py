"""Facts as a clinician reads them, and which facts made a condition hold.

Every fact is shown with its question's label and its option labels or unit ("CK: 450
U/L", "Diagnosis: Juvenile dermatomyositis"), derived facts with their stage's labels
("Disease activity: active"); internal ids never reach the reader.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .conditions import Condition
from .dialog import Dialog
from .facts import UNKNOWN, BelowLimit, DrugEntry
from .pathway_data import Value


@dataclass(frozen=True)
class Vocabulary:
    """Labels of the dialog's questions and of the pathway's derived facts."""

    dialog: Dialog
    derived: Mapping[str, tuple[Value, ...]]
    titles: Mapping[str, str]        # derived fact id -> its title ("Disease activity")

    def label(self, subject: str) -> str:
        """A question's or derived fact's short name."""
        if subject in self.titles:
            return self.titles[subject]
        question = self.dialog.questions.get(subject)
        return (question.label or subject) if question is not None else subject

    def show(self, subject: str, value: Any) -> str:
        """One fact's value as text: option labels, numbers with their unit, drugs by name."""
        if value is UNKNOWN or value is None:
            return "unknown"
        if subject in self.derived:
            return next((v.label for v in self.derived[subject] if v.value == value), str(value))
        return show_value(self.dialog, subject, value)

    def line(self, facts: Mapping[str, str]) -> str:
        """``Label: value; ...`` for a mapping of subject -> shown value."""
        return "; ".join(f"{self.label(s)}: {v}" for s, v in facts.items())


def show_value(dialog: Dialog, qid: str, value: Any) -> str:
    """One answer as text: numbers with their unit, choices by label, drugs by name."""
    if value is UNKNOWN or value is None:
        return "unknown"
    question = dialog.questions[qid]
    if isinstance(value, BelowLimit):
        limit = value.limit
        return "negative" if limit is None else f"<{limit:g} {dialog.measures[qid].unit}"
    if question.type == "number":
        return f"{value:g} {dialog.measures[qid].unit}"
    if question.type in ("single", "multi"):
        chosen = {value} if question.type == "single" else value
        return "; ".join(o.label for o in question.options if o.value in chosen)
    if question.type == "drugs":
        return "; ".join(show_entry(e, dialog) for e in value) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def show_entry(entry: DrugEntry, dialog: Dialog) -> str:
    """A treatment with the dose typed and what is known of it: "methotrexate 15 mg/m²
    weekly (partial response, over 6 months, current)"; one not taken says how it was met:
    "rituximab (not given: not approved)"."""
    name = entry.label() + (f" {entry.dose.text}" if entry.dose is not None else "")
    reason = _REASONS.get(entry.exposure.reason or "", "")
    if not entry.taken:
        met = _KINDS[entry.exposure.kind] + (f": {reason}" if reason else "")
        return f"{name} ({met})"
    details = [reason, _follow_up(dialog, "response", entry.response),
               _follow_up(dialog, "duration", entry.duration)]
    if entry.current is not None:
        details.append("current" if entry.current else "stopped")
    shown = list(dict.fromkeys(d for d in details if d))
    return name + (f" ({', '.join(shown)})" if shown else "")


def _follow_up(dialog: Dialog, follow_up: str, value: str | None) -> str:
    """A follow-up answer as the dialog words it, in lower case ("partial response"); ""
    when it is not known."""
    if not value or value == "unknown":
        return ""
    label = dialog.follow_up_labels.get((follow_up, value), value)
    return label[:1].lower() + label[1:]


_KINDS = {"taken": "taken", "not_taken": "not given", "planned": "planned",
          "allergy": "allergy or intolerance"}
_REASONS = {"stopped": "stopped", "no_response": "no response", "side_effects": "side effects",
            "refused": "refused", "unavailable": "not available", "not_approved": "not approved",
            "contraindicated": "contraindicated", "considered": "considered",
            "intolerance": "intolerance"}


def show_reading(entries: tuple[DrugEntry, ...], dialog: Dialog) -> str:
    """What a treatment line was read as, by exposure: "taken: prednisolone 2 mg/kg;
    methotrexate · not given: rituximab, not approved"."""
    parts = []
    for kind, title in _KINDS.items():
        group = [e for e in entries if e.exposure.kind == kind]
        if not group:
            continue
        if kind == "taken":
            shown = [show_entry(e, dialog) for e in group]
        else:
            shown = [e.label() + (f", {_REASONS[e.exposure.reason]}"
                                  if e.exposure.reason in _REASONS else "") for e in group]
        parts.append(f"{title}: " + "; ".join(shown))
    return " · ".join(parts) or "no treatment"


def reasons(cond: Condition, facts: Mapping[str, Any], vocabulary: Vocabulary) -> dict[str, str]:
    """The facts behind a condition that holds: subject -> shown value, in reading order.

    Under ``any`` (and ``count_at_least``) only the branches that hold count; ``has``,
    ``has_any`` and ``drug`` tests show only the matching values or entries; a ``not`` of a
    single test shows the fact it read.
    """
    out: dict[str, str] = {}
    _collect(cond, facts, vocabulary, out)
    return out


def _collect(cond: Condition, facts: Mapping[str, Any], vocabulary: Vocabulary,
             out: dict[str, str]) -> None:
    if cond.subject is None and cond.not_ is None:
        for child in cond.children():
            if child.holds(facts):
                _collect(child, facts, vocabulary, out)
        return
    if cond.not_ is not None:
        # a simple negation shows what it read ("Red flags: none of these"); a compound one
        # ("no mineral disorder") would list every fact it ruled out, which reads as noise
        if cond.not_.subject is not None and cond.not_.subject not in out:
            out[cond.not_.subject] = vocabulary.show(cond.not_.subject,
                                                     facts.get(cond.not_.subject))
        return
    subject = cond.subject
    assert subject is not None
    value: Any = facts.get(subject)
    name, wanted = cond.operator()
    if name in ("has", "has_any") and cond.question is not None:
        wanted = {wanted} if name == "has" else set(wanted)
        out[subject] = "; ".join(o.label for o in vocabulary.dialog.questions[subject].options
                                 if o.value in wanted and o.value in value)
    elif cond.drug is not None:
        entries = [e for e in value if cond.holds({subject: (e,)})]
        shown = "; ".join(show_entry(e, vocabulary.dialog) for e in entries)
        out[subject] = (f"{out[subject]}; {shown}" if subject in out and shown not in out[subject]
                        else shown)
    else:
        out[subject] = vocabulary.show(subject, value)

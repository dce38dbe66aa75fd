"""The consult report in Markdown: facts, triage, ranked table, rationale, references.

Pure: returns a string; the same facts give the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .explain import line, show_value
from .library import Library
from .recommend import Option, Recommendation
from .rules import LEVEL_TEXT



_MARKDOWN = {ord(c): "\\" + c for c in "\\`*_[]<>|#"}
_MARKDOWN.update({c: " " for c in range(0x20)})


def md_text(text: str) -> str:
    """Text shown literally in Markdown (markup characters escaped, on one line)."""
    return text.translate(_MARKDOWN)


class Citations:
    """Numbers references in order of first citation."""

    def __init__(self, order: list[str]):
        self.number = {ref: i for i, ref in enumerate(order, 1)}

    def __call__(self, refs: tuple[str, ...] | list[str]) -> str:
        return f" [{', '.join(str(self.number[r]) for r in refs)}]" if refs else ""


def consult_report(recommendation: Recommendation, facts: Mapping[str, Any],
                   library: Library) -> str:
    """The whole report for one consult."""
    cite = Citations(recommendation.references())
    out = ["# Calcinosis triage: consult report", "",
           f"> **{recommendation.disclaimer}**", ""]
    out += _facts(facts, library)
    out += _triage(recommendation, cite)
    out += _table(recommendation)
    out += ["## Rationale", ""]
    for i, option in enumerate(recommendation.ranking, 1):
        out += _rationale(i, option, cite)
    out += _excluded(recommendation, cite)
    out += reference_list(cite, library)
    out += ["", "---", "", f"*{recommendation.disclaimer}*", ""]
    return "\n".join(out)


def option_markdown(option: Option, rank: int | None, library: Library) -> str:
    """One option in detail (a result screen's panel): why it ranks where it does, or why it
    is excluded, then cautions, dose, evidence and its own numbered references."""
    cite = Citations(option.references())
    if rank is not None:
        out = _rationale(rank, option, cite)
    else:
        out = [f"### {md_text(option.therapy.name)} (excluded)", "", "Excluded because:"]
        out += [f"- {md_text(n.text())}{cite(n.refs)}" for n in option.excluded]
        if option.cautions:
            out += ["", "Cautions:"] + [f"- {n.text()}{cite(n.refs)}" for n in option.cautions]
        out += [""] + _evidence(option, cite)
    out += reference_list(cite, library)
    return "\n".join(out)


def reference_list(cite: Citations, library: Library) -> list[str]:
    refs = library.knowledge.references
    return ["## References", ""] + [f"{n}. {refs[r].citation()}" for r, n in cite.number.items()]


def _facts(facts: Mapping[str, Any], library: Library) -> list[str]:
    dialog = library.dialog
    out = ["## Facts", "", "| Question | Answer |", "|---|---|"]
    for qid in dialog.order:
        if qid in facts:
            prompt = dialog.questions[qid].prompt
            out.append(f"| {md_text(prompt)} | {md_text(show_value(dialog, qid, facts[qid], labels=True))} |")
    return out + [""]


def _triage(rec: Recommendation, cite: Citations) -> list[str]:
    out = [f"## Triage: {LEVEL_TEXT[rec.triage.level]}", ""]
    if not rec.triage.flags:
        out += ["No red flag or finding that changes the level.", ""]
    for flag in rec.triage.flags:
        text = f"- **{flag.level}**: {flag.message}"
        if flag.facts:
            text += f" *(facts: {md_text(line(flag.facts))})*"
        if flag.action:
            text += f" Action: {flag.action}"
        out.append(text + cite(flag.refs))
    return out + [""]


def _table(rec: Recommendation) -> list[str]:
    out = ["## Ranked options", "", "| # | Option | Score | Main reasons | Cautions |",
           "|---|---|---|---|---|"]
    for i, o in enumerate(rec.ranking, 1):
        main = sorted(o.contributions, key=lambda e: -abs(e.points))[:2]
        reasons = "; ".join(f"{e.points:+g} {e.rule}" for e in main)
        out.append(f"| {i} | {md_text(o.therapy.name)} | {o.score:g} | {md_text(reasons)} | "
                   f"{len(o.cautions)} |")
    return out + [""]


def _rationale(i: int, o: Option, cite: Citations) -> list[str]:
    out = [f"### {i}. {o.therapy.name} (score {o.score:g})", "", "Why:"]
    out += [f"- {md_text(e.text())}{cite(e.refs)}" for e in o.contributions]
    if o.cautions:
        out += ["", "Cautions:"]
        out += [f"- {n.text()}{cite(n.refs)}" for n in o.cautions]
    if o.doses:
        out += ["", "Dose as published:"]
        for d in o.doses:
            text = f"- {d.text} ({d.population}){cite(d.refs)}"
            if d.for_child:
                text += f"; for this child: **{d.for_child}**"
            if d.note:
                text += f"; {d.note}"
            out.append(text)
    return out + [""] + _evidence(o, cite)


def _evidence(o: Option, cite: Citations) -> list[str]:
    out = ["Evidence:"]
    for e in o.therapy.evidence:
        size = f", {e.patients} patients" if e.patients else ""
        level = f", level {e.level}" if e.level else ""
        out.append(f"- {e.population} ({e.design.replace('_', ' ')}{size}{level}): "
                   f"{e.outcome}{cite((e.ref,))}")
    if o.therapy.notes:
        out += ["", "Notes:"]
        out += [f"- {n.text}{cite(n.refs)}" for n in o.therapy.notes]
    return out + [""]


def _excluded(rec: Recommendation, cite: Citations) -> list[str]:
    out = ["## Excluded options", ""]
    if not rec.excluded:
        return out + ["None.", ""]
    for o in rec.excluded:
        out.append(f"- **{o.therapy.name}**: "
                   + " ".join(n.message + cite(n.refs) for n in o.excluded))
        out += [f"  - also: {n.text()}{cite(n.refs)}" for n in o.cautions]
        out += [f"  - note: {n.text}{cite(n.refs)}" for n in o.therapy.notes]
        out += [f"  - evidence: {e.population}: {e.outcome}{cite((e.ref,))}"
                for e in o.therapy.evidence]
    return out + [""]

"""The consult report in Markdown: a one-page summary (triage, the pathway, first steps,
options by role, what is not for this child, gaps, the answers as given), then an appendix
with every option in detail and the numbered references.

Pure: returns a string; the same consult and the same ``created`` time give the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from .explain import Vocabulary
from .library import Library
from .pathway import Reason
from .recommend import Option, Recommendation, what_would_change
from .record import answer_rows
from .result_view import (
    SEVERITY_TEXT,
    OptionLine,
    ResultView,
    facts_text,
    grade_text,
    note_text,
    rank_text,
    result_view,
    step_line,
)
from .sensitivity import TOP, Sensitivity
from .session import Session

_MARKDOWN = {ord(c): "\\" + c for c in "\\`*_[]<>|#"}
_MARKDOWN.update({c: " " for c in range(0x20)})
MAX_CHANGES = 6      # alternatives listed per item under "what would change"


def md_text(text: str) -> str:
    """Text shown literally in Markdown (markup characters escaped, on one line)."""
    return text.translate(_MARKDOWN)


class Citations:
    """Numbers references in the order the text first cites them; a list of them is shown
    sorted, and the reference list holds exactly the references cited."""

    def __init__(self) -> None:
        self.number: dict[str, int] = {}

    def __call__(self, refs: Iterable[str]) -> str:
        refs = list(refs)
        for ref in refs:
            self.number.setdefault(ref, len(self.number) + 1)
        numbers = sorted({self.number[r] for r in refs})
        return f" [{', '.join(str(n) for n in numbers)}]" if numbers else ""


def consult_report(rec: Recommendation, session: Session, library: Library,
                   created: datetime | None = None) -> str:
    """The whole report for one consult."""
    vocabulary = library.vocabulary
    view = result_view(rec, vocabulary)
    changes = what_would_change(session.facts, library)
    cite = Citations()
    out = ["# Calcinosis triage: consult report", "",
           f"> **{rec.disclaimer}**", "", _provenance(library, created), ""]
    out += [f"## Triage: {view.headline} ({view.counts})", ""]
    for flag, fired in zip(view.flags, rec.triage.flags, strict=True):
        line = f"- **{flag.level}**: {md_text(flag.message)}"
        if flag.facts:
            line += f" *({md_text(flag.facts)})*"
        if flag.action:
            line += f" Action: {md_text(flag.action)}"
        out.append(f"{line} *[{md_text(flag.grade)}]*{cite(fired.refs)}")
    if not view.flags:
        out.append("No red flag or finding that changes the level.")
    out += [""] + _pathway(rec, view, cite, vocabulary) + _first_steps(rec, view, cite)
    out += ["", "## Options by role", ""]
    for group, source in zip(view.groups, rec.groups, strict=True):
        out += [f"**{md_text(group.title)}** ({group.status}): {md_text(group.because)}"
                f"{cite(source.reason.refs)}", "", "| # | Option | Place | Cautions |",
                "|---|---|---|---|"]
        out += [f"| {o.rank} | {md_text(o.name)} | {md_text(o.place)} | "
                f"{md_text('; '.join(o.cautions)) or '–'} |" for o in group.options]
        out.append("")
    out += ["## Not for this child", ""] + _not_for_this_child(rec, cite, vocabulary)
    out += ["", "## Gaps and what would change", ""] + _changes(changes, rec)
    out += [""] + answers_markdown(session)
    out += ["", "---", "", "# Appendix: each option in detail", ""]
    for o in rec.ranking:
        out += _detail(o, cite, library)
    out += ["## Not for this child, in detail", ""]
    for o in rec.excluded:
        out += _excluded_detail(o, cite, library)
    out += reference_list(cite, library)
    out += ["", "---", "", f"*{rec.disclaimer}*", ""]
    return "\n".join(out)


def answers_markdown(session: Session) -> list[str]:
    """The report's answers: every answer as typed, what a treatment line was read as, and
    the lab flags."""
    out = ["## Answers", "", "| Question | Answer | Flag |", "|---|---|---|"]
    for row in answer_rows(session):
        if not row.stale:
            read = f" — read as {row.reading}" if row.reading else ""
            out.append(f"| {md_text(row.prompt)} | {md_text(row.answer + read)} | "
                       f"{md_text(row.flag or '')} |")
    return out


def summary_markdown(rec: Recommendation, facts: Mapping[str, Any], library: Library) -> str:
    """The pathway, the first steps, what is not for this child, the gaps and what would
    change, with their own references (the result screen's summary)."""
    vocabulary = library.vocabulary
    view = result_view(rec, vocabulary)
    cite = Citations()
    out = _pathway(rec, view, cite, vocabulary) + _first_steps(rec, view, cite)
    out += ["", "## Gaps and what would change", ""]
    out += _changes(what_would_change(facts, library), rec)
    out += ["", "## Not for this child", ""] + _not_for_this_child(rec, cite, vocabulary)
    return "\n".join(out + reference_list(cite, library))


def option_markdown(option: Option, library: Library) -> str:
    """One option in detail (a result screen's panel): why it stands where it does, or why
    it is not for this child, then cautions, dose, evidence and its own references."""
    cite = Citations()
    body = (_detail(option, cite, library) if not option.excluded
            else _excluded_detail(option, cite, library))
    return "\n".join(body + reference_list(cite, library))


def reference_list(cite: Citations, library: Library) -> list[str]:
    """The numbered references; one nobody read says which reference it is known through
    (numbered too)."""
    refs = library.knowledge.references
    for r in list(cite.number):
        if refs[r].via is not None:
            cite([refs[r].via])   # type: ignore[list-item]
    out = ["", "## References", ""]
    for r, n in cite.number.items():
        via = refs[r].via
        known = f" Not read: known only as reported in [{cite.number[via]}]." if via else ""
        out.append(f"{n}. {md_text(refs[r].citation())}{known}")
    return out


def _grade(reason: Reason) -> str:
    """" *[level 4, conditional]*" after a decision, or nothing."""
    grade = grade_text(reason)
    return f" *[{md_text(grade)}]*" if grade else ""


def _pathway(rec: Recommendation, view: ResultView, cite: Citations,
             vocabulary: Vocabulary) -> list[str]:
    out = ["## The pathway", ""]
    out += [f"{i}. {md_text(step_line(s, vocabulary))}: {md_text(s.reason.text)}"
            f"{_grade(s.reason)}{cite(s.reason.refs)}" for i, s in enumerate(rec.steps, 1)]
    out += ["", "Roles, in order:", ""]
    out += [f"- **{md_text(g.title)}** ({shown.status}): "
            f"{md_text(g.reason.text)}{_grade(g.reason)}{cite(g.reason.refs)}"
            for g, shown in zip(rec.groups, view.groups, strict=True)]
    return out


def _first_steps(rec: Recommendation, view: ResultView, cite: Citations) -> list[str]:
    return (["", "## First steps", ""]
            + [_option_item(line, o, cite) for line, o in zip(view.first_steps, rec.ranking,
                                                                 strict=False)])


def _not_for_this_child(rec: Recommendation, cite: Citations, vocabulary: Vocabulary) -> list[str]:
    """Excluded options, those sharing a reason listed together."""
    by_reason: dict[str, list[Option]] = {}
    for o in rec.excluded:
        by_reason.setdefault(o.excluded[0].text(vocabulary), []).append(o)
    return [f"- **{md_text(', '.join(o.therapy.name for o in options))}**: {md_text(reason)}"
            f"{cite(r for o in options for n in o.excluded for r in n.refs)}"
            for reason, options in by_reason.items()] or ["None."]


def _provenance(library: Library, created: datetime | None) -> str:
    when = created.strftime("%Y-%m-%d %H:%M %Z").strip() if created else "date not recorded"
    version = library.version
    return (f"*{when} · calcinosis-triage {library.app_version} · knowledge "
            f"{version.hash} (reviewed to {version.date}) · dialog {library.dialog.id} "
            f"v{library.dialog.version} · evidence levels: Oxford CEBM 2011, 1 best to 5*")


def _option_item(line: OptionLine, o: Option, cite: Citations) -> str:
    because = f": {md_text(line.because)}" if line.because else ""
    grade = f" *[{md_text(line.grade)}]*" if line.grade else ""
    return (f"{line.rank}. **{md_text(line.name)}** ({md_text(line.role.lower())}, "
            f"{md_text(line.place)}){because}{grade}{cite(r for w in o.why for r in w.refs)}")


def _changes(changes: Sensitivity, rec: Recommendation) -> list[str]:
    out = []
    if changes.gaps:
        out.append("Unknown answers that matter:")
        out += [f"- **{md_text(g.label)}**: could change {md_text(', '.join(g.could_change))}"
                for g in changes.gaps]
        out.append("")
    out.append("What would change the triage level:")
    out += _change_items(changes.level) or ["- no single answer"]
    for o in rec.ranking[:TOP]:
        out += ["", f"What would move **{md_text(o.therapy.name)}** (now {o.rank}):"]
        out += _change_items(changes.options.get(o.therapy.id, ())) or ["- no single answer"]
    return out


def _change_items(items: Iterable) -> list[str]:
    """Unknown answers first, then the others; at most MAX_CHANGES."""
    ordered = sorted(items, key=lambda c: c.now != "unknown")
    out = [f"- {md_text(c.text())}" for c in ordered[:MAX_CHANGES]]
    if len(ordered) > MAX_CHANGES:
        out.append(f"- and {len(ordered) - MAX_CHANGES} more")
    return out


def _detail(o: Option, cite: Citations, library: Library) -> list[str]:
    vocabulary, refs = library.vocabulary, library.knowledge.references
    out = [f"### {rank_text(o)}. {md_text(o.therapy.name)}", "",
           f"*{md_text(o.role_title)}: {md_text(o.place_text)}*", "", "Why:"]
    for reason in o.why:
        facts = facts_text(reason, vocabulary)
        out.append(f"- {md_text(reason.text)}" + (f" *({md_text(facts)})*" if facts else "")
                   + _grade(reason) + cite(reason.refs))
    out += _cautions(o, cite, vocabulary)
    if o.doses:
        out += ["", "Dose as published:"]
        for d in o.doses:
            via = f", as reported in {md_text(refs[d.via].short())}" if d.via else ""
            text = (f"- {md_text(d.text)} ({md_text(d.population)}{via})"
                    f"{cite(d.refs + ((d.via,) if d.via else ()))}")
            if d.not_to_follow:
                text += f"; **not to be followed**: {md_text(d.not_to_follow)}"
            if d.for_child:
                text += f"; for this child: **{md_text(d.for_child)}**"
            if d.note:
                text += f"; {md_text(d.note)}"
            out.append(text)
    return out + [""] + _evidence(o, cite, library)


def _excluded_detail(o: Option, cite: Citations, library: Library) -> list[str]:
    vocabulary = library.vocabulary
    out = [f"### {md_text(o.therapy.name)} (not for this child)", "", "Because:"]
    out += [f"- {md_text(n.text(vocabulary))}{cite(n.refs)}" for n in o.excluded]
    out += _cautions(o, cite, vocabulary)
    return out + [""] + _evidence(o, cite, library)


def _cautions(o: Option, cite: Citations, vocabulary: Vocabulary) -> list[str]:
    if not o.cautions:
        return []
    ordered = sorted(o.cautions, key=lambda n: list(SEVERITY_TEXT).index(n.severity))
    return ["", "Cautions:"] + [f"- {md_text(note_text(n, vocabulary))}{cite(n.refs)}"
                                for n in ordered]


def _evidence(o: Option, cite: Citations, library: Library) -> list[str]:
    refs = library.knowledge.references
    out = [f"Evidence (Oxford CEBM 2011 level {o.therapy.evidence_level} for this use in "
           "children):"]
    for e in o.therapy.evidence:
        size = (f", {e.patients} patient{'s' if e.patients != 1 else ''}" if e.patients else "")
        graded = f"; graded {md_text(e.graded)} by the source" if e.graded else ""
        via = f" (as reported in {md_text(refs[e.via].short())})" if e.via else ""
        out.append(f"- {md_text(e.population)} ({e.design.replace('_', ' ')}{size}, level "
                   f"{e.level}{graded}): {md_text(e.outcome)}{via}"
                   f"{cite((e.ref,) + ((e.via,) if e.via else ()))}")
    if o.therapy.notes:
        out += ["", "Notes:"]
        out += [f"- {md_text(n.text)}{cite(n.refs)}" for n in o.therapy.notes]
    return out + [""]

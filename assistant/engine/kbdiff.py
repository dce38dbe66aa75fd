"""What a knowledge edit changes for patients: every case of the corpus replayed under two
knowledge bases, and each changed triage level, first three options, exclusion and dose
reported with the rules or facts that changed it.

Pure given the two libraries and the cases: the front end (``triage kb-diff``) finds the
two knowledge roots (folders or git revisions) and prints the changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import yamlfile
from .errors import TriageError
from .library import Library
from .recommend import Option, Recommendation, recommend
from .replay import replay_data


@dataclass(frozen=True)
class CaseInput:
    """One case to replay: its name (the file, relative to its root) and its answers."""

    name: str
    answers: dict[str, Any]


def corpus(folders: Iterable[tuple[Path, Path]]) -> list[CaseInput]:
    """The cases in each (root, folder): every YAML file with ``answers``; a name seen twice
    (the same file under two roots) is read once, from the first root that has it."""
    seen: dict[str, CaseInput] = {}
    for root, folder in folders:
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
            name = path.relative_to(root).with_suffix("").as_posix()
            if name in seen:
                continue
            data = yamlfile.load(path, root).data
            if isinstance(data, dict) and isinstance(data.get("answers"), dict):
                seen[name] = CaseInput(name, data["answers"])
    return sorted(seen.values(), key=lambda c: c.name)


@dataclass(frozen=True)
class Change:
    """One difference in what the assistant says for a case, and why."""

    case: str
    what: str                    # "level", "first three", "excluded", "dose", "replay"
    subject: str                 # the therapy for exclusions and doses, else ""
    old: str
    new: str
    because: tuple[str, ...]     # the rules, rows and facts that differ

    def key(self) -> str:
        """The change without its explanation: what an expected-changes file lists."""
        subject = f" {self.subject}" if self.subject else ""
        return f"{self.case}: {self.what}{subject}: {self.old} -> {self.new}"

    def to_json(self) -> dict[str, Any]:
        return {"case": self.case, "what": self.what, "subject": self.subject,
                "old": self.old, "new": self.new, "because": list(self.because)}


def compare(old: Library, new: Library, cases: Iterable[CaseInput]) -> list[Change]:
    """Every change between the two libraries' results, case by case."""
    return [change for case in cases for change in _case_changes(case, old, new)]


def _run(case: CaseInput, library: Library) -> Recommendation | str:
    try:
        session = replay_data(case.answers, name=case.name, library=library).session
    except TriageError as exc:
        return f"does not replay: {exc}"
    return recommend(session.facts, library)


def _case_changes(case: CaseInput, old_library: Library, new_library: Library) -> Iterator[Change]:
    old, new = _run(case, old_library), _run(case, new_library)
    if isinstance(old, str) or isinstance(new, str):
        before = old if isinstance(old, str) else "replays"
        after = new if isinstance(new, str) else "replays"
        if before != after:
            yield Change(case.name, "replay", "", _short(before), _short(after), ())
        return
    name = case.name
    if old.triage.level != new.triage.level:
        yield Change(name, "level", "", old.triage.level, new.triage.level, _rules(old, new))
    old_top, new_top = _top3(old), _top3(new)
    if old_top != new_top:
        yield Change(name, "first three", "", ", ".join(old_top), ", ".join(new_top),
                     _pathway(old, new) + _placements(old, new, set(old_top) | set(new_top)))
    old_out, new_out = _exclusions(old), _exclusions(new)
    for therapy in sorted(set(old_out) | set(new_out)):
        was, now = old_out.get(therapy), new_out.get(therapy)
        if was != now:
            yield Change(name, "excluded", therapy, _reasons(was), _reasons(now),
                         _pathway(old, new) if (was is None) != (now is None) else ())
    old_doses, new_doses = _doses(old), _doses(new)
    for therapy in sorted(set(old_doses) & set(new_doses)):   # placed in both results
        shown, shown_now = old_doses[therapy], new_doses[therapy]
        if shown != shown_now:
            yield Change(name, "dose", therapy, _dose_summary(shown), _dose_summary(shown_now),
                         tuple(f"{'-' if d in shown else '+'} {d}"
                               for d in shown + shown_now if (d in shown) != (d in shown_now)))


def _short(text: str) -> str:
    return text.splitlines()[0] if text else text


def _top3(rec: Recommendation) -> tuple[str, ...]:
    return tuple(o.therapy.id for o in rec.ranking[:3])


def _rules(old: Recommendation, new: Recommendation) -> tuple[str, ...]:
    """The triage rules that fire in one result and not the other (and their levels)."""
    before = {f.id: f.level for f in old.triage.flags}
    after = {f.id: f.level for f in new.triage.flags}
    out = [f"rule {r} ({after[r]}) now fires" for r in after if r not in before]
    out += [f"rule {r} ({before[r]}) no longer fires" for r in before if r not in after]
    out += [f"rule {r}: {before[r]} -> {after[r]}" for r in after
            if r in before and before[r] != after[r]]
    return tuple(out)


def _pathway(old: Recommendation, new: Recommendation) -> tuple[str, ...]:
    """The derived facts and role decisions that differ, with the rows that decided them."""
    out = []
    for before, after in zip(old.steps, new.steps, strict=False):
        if (before.value, before.row) != (after.value, after.row):
            out.append(f"{after.subject}: {before.value} (row {before.row}) -> {after.value} "
                       f"(row {after.row})")
    before_roles = {g.id: g for g in old.groups}
    after_roles = {g.id: g for g in new.groups}
    for role in sorted(set(before_roles) | set(after_roles)):
        b, a = before_roles.get(role), after_roles.get(role)
        if (b and b.status) != (a and a.status):
            out.append(f"role {role}: {b.status if b else 'not shown'} -> "
                       f"{a.status if a else 'not shown'}")
    return tuple(out)


def _placements(old: Recommendation, new: Recommendation, therapies: set[str]) -> tuple[str, ...]:
    """How each of the therapies stands in both results: place, line, major cautions."""
    before = {o.therapy.id: o for o in old.ranking + old.excluded}
    after = {o.therapy.id: o for o in new.ranking + new.excluded}
    out = []
    for therapy in sorted(therapies):
        b, a = _standing(before.get(therapy)), _standing(after.get(therapy))
        if b != a:
            out.append(f"{therapy}: {b} -> {a}")
    return tuple(out)


def _standing(o: Option | None) -> str:
    if o is None:
        return "not shown"
    if o.excluded:
        return "excluded"
    major = sorted(n.id for n in o.cautions if n.severity == "major" and not n.missing)
    text = f"rank {o.rank}, {o.place}" + (f", line {o.line}" if o.line else "")
    return text + (f", major cautions {', '.join(major)}" if major else "")


def _exclusions(rec: Recommendation) -> dict[str, tuple[str, ...]]:
    """Excluded therapy -> the ids of the cautions, fit rows or role rows that exclude it."""
    return {o.therapy.id: tuple(sorted(n.id for n in o.excluded)) for o in rec.excluded}


def _reasons(ids: tuple[str, ...] | None) -> str:
    return "not excluded" if ids is None else "excluded by " + ", ".join(ids)


def _doses(rec: Recommendation) -> dict[str, tuple[str, ...]]:
    """Placed therapy -> each published dose as shown, with what it comes to for this child
    and whether it must not be followed."""
    out = {}
    for o in rec.ranking:
        out[o.therapy.id] = tuple(
            d.text + (f" [for this child: {d.for_child}]" if d.for_child else "")
            + (" [not to be followed]" if d.not_to_follow else "") for d in o.doses)
    return out


def _dose_summary(doses: tuple[str, ...]) -> str:
    """"2 doses #1a2b3c4d": how many, and a digest that changes with any dose's text."""
    if not doses:
        return "none"
    digest = hashlib.sha256("\n".join(doses).encode()).hexdigest()[:8]
    return f"{len(doses)} dose{'s' if len(doses) != 1 else ''} #{digest}"

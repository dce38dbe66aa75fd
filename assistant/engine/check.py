"""``triage check``: whole-base integrity checks beyond what loading already enforces.

Loading rejects bad YAML, unknown fields and ids, dangling jumps, backward jumps (so every
path ends) and conditions on questions not yet asked. This adds: questions no path can
reach, jump rules that can never fire, decision tables that are incomplete, conflicting or
have dead rows (``tablecheck``), statements without references, references nobody cites,
citations of copies instead of sources (``audit``), lab thresholds that differ from the
reference intervals they restate (``labcheck``), and cases whose answers do not replay
cleanly; and it warns about files of clinical logic whose review date has passed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import yamlfile
from .audit import overdue, source_problems, via_problems
from .cases import run_variants
from .dialog import END, Dialog
from .errors import LoadError, TriageError
from .knowledge import Knowledge, default_root, variant_answers
from .labcheck import threshold_problems
from .library import Library, load
from .replay import replay_data, replay_located
from .tablecheck import check_tables


@dataclass(frozen=True)
class Findings:
    """Problems fail the check; warnings (a review date passed) do not."""

    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check(root: Path | None = None, today: date | None = None) -> Findings:
    """Every problem found, as ``file:line: field: message`` lines, and the warnings."""
    root = root or default_root()
    names = sorted(p.stem for p in (root / "dialogs").glob("*.yaml"))
    if not names:
        return Findings([f"{root / 'dialogs'}: no dialog files"])
    problems: list[str] = []
    library: Library | None = None
    for name in names:
        try:
            loaded = load(root, name)
        except LoadError as exc:
            problems += [str(p) for p in exc.problems]
            continue
        problems += unreachable(loaded.dialog) + dead_rules(loaded.dialog)
        if name == "triage":
            library = loaded
    if library is None:
        return Findings(problems or [f"{root / 'dialogs' / 'triage.yaml'}: the triage dialog "
                                     "is missing"])
    knowledge = library.knowledge
    problems += missing_refs(knowledge) + unused_references(knowledge)
    problems += source_problems(knowledge) + via_problems(knowledge)
    problems += threshold_problems(knowledge)
    problems += [str(p) for report in check_tables(library) for p in report.problems]
    problems += case_problems(library)
    return Findings(problems, overdue(knowledge, today or date.today()))


def unreachable(dialog: Dialog) -> list[str]:
    seen, todo = {dialog.first}, [dialog.first]
    while todo:
        for target in dialog.successors(todo.pop()):
            if target != END and target not in seen:
                seen.add(target)
                todo.append(target)
    return [f"{dialog.file}:{dialog.lines[q]}: {q}: no path through the dialog reaches this question"
            for q in dialog.order if q not in seen]


def dead_rules(dialog: Dialog) -> list[str]:
    out = []
    for qid in dialog.order:
        rules = dialog.questions[qid].next
        for i, rule in enumerate(rules[:-1]):
            if rule.when is None:
                out.append(f"{dialog.file}:{dialog.lines[qid]}: {qid}.next[{i + 1}]: "
                           "never used: an earlier rule has no condition")
    return out


def missing_refs(knowledge: Knowledge) -> list[str]:
    return [f"{knowledge.where(cit.table, cit.key, cit.field)}: {cit.key}.{cit.field}: no reference"
            for cit in knowledge.citations() if cit.required and not cit.refs]


def unused_references(knowledge: Knowledge) -> list[str]:
    cited = {ref for cit in knowledge.citations() for ref in cit.refs}
    return [f"{knowledge.where('reference', r)}: {r}: reference is never cited"
            for r in knowledge.references if r not in cited]


def case_problems(library: Library) -> list[str]:
    """Each case's answers must replay cleanly (strict: no warnings) through the dialog."""
    out = []
    for case in library.knowledge.cases.values():
        origin = library.knowledge.origins[("case", case.id)]    # the case file as loaded
        answers_only = yamlfile.Located(origin.file, {"answers": case.answers}, origin.lines)
        try:
            replay_located(answers_only, strict=True, library=library)
        except TriageError as exc:
            out.append(str(exc))
    knowledge = library.knowledge
    for variant in knowledge.variants.values():
        answers = variant_answers(variant, knowledge.cases[variant.case])
        try:
            replay_data(answers, name=knowledge.where("variant", variant.id), strict=True,
                        library=library)
        except TriageError as exc:
            out.append(str(exc))
    for result in run_variants(library):
        out += [f"{knowledge.where('variant', result.id)}: {result.id}.expect: {f}"
                for f in result.failures]
    return out

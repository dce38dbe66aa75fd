"""Cases as tests: each published case (``knowledge/cases/``) and constructed edge case
(``tests/cases/``) carries the properties the literature expects of its result; this runs
the engine on the case's answers and says which hold.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import yamlfile
from .errors import TriageError
from .knowledge import variant_answers
from .library import Library
from .recommend import Recommendation, recommend, what_would_change
from .replay import replay_data
from .rules import LEVELS
from .schema import Case, ConstructedCase, Expectation, Variant


@dataclass(frozen=True)
class CaseResult:
    id: str
    title: str
    source: str                      # "published" or the file of a constructed case
    failures: tuple[str, ...]        # empty when every expected property holds
    checked: int                     # how many properties were checked

    @property
    def passed(self) -> bool:
        return not self.failures


def run_cases(library: Library, folders: Iterable[Path] = (), *, published: bool = True
              ) -> list[CaseResult]:
    """Every case with expectations: the knowledge's published cases and their constructed
    variants (unless ``published`` is false), then the constructed cases in ``folders``."""
    out = []
    for case in library.knowledge.cases.values() if published else ():
        if case.expect is not None:
            out.append(_run(case.id, case.title, "published", case.answers, case.expect, library))
    if published:
        out += run_variants(library)
    for folder in folders:
        for path in sorted(Path(folder).glob("*.yaml")):
            located = yamlfile.load(path)
            constructed = yamlfile.document(located, ConstructedCase)
            out.append(_run(constructed.id, constructed.title, str(path), constructed.answers,
                            constructed.expect, library))
    return out


def run_variants(library: Library) -> list[CaseResult]:
    """Every constructed variant (``knowledge/variants/``) checked as ``_variant`` says."""
    knowledge = library.knowledge
    return [_variant(v, knowledge.cases[v.case], library) for v in knowledge.variants.values()]


def _variant(variant: Variant, case: Case, library: Library) -> CaseResult:
    """A constructed variant: its expectation must hold, and must not hold for the published
    case it changes (else the change teaches nothing)."""
    result = _run(variant.id, variant.title, f"constructed variant of {case.id}",
                  variant_answers(variant, case), variant.expect, library)
    if not result.passed:
        return result
    base = _run(case.id, case.title, "published", case.answers, variant.expect, library)
    if base.passed:
        return CaseResult(result.id, result.title, result.source,
                          (f"the expectation holds for {case.id} as published too: the change "
                           "changes nothing it checks",), result.checked + 1)
    return CaseResult(result.id, result.title, result.source, (), result.checked + 1)


def _run(case_id: str, title: str, source: str, answers: dict, expect: Expectation,
         library: Library) -> CaseResult:
    try:
        session = replay_data(answers, name=f"case {case_id}", library=library).session
    except TriageError as exc:
        return CaseResult(case_id, title, source, (f"does not replay: {exc}",), 0)
    rec = recommend(session.facts, library)
    failures, checked = check(expect, rec, session.facts, library)
    return CaseResult(case_id, title, source, tuple(failures), checked)


def check(expect: Expectation, rec: Recommendation, facts: dict, library: Library
          ) -> tuple[list[str], int]:
    """(what failed, how many properties were checked) for one expectation."""
    order = [o.therapy.id for o in rec.ranking]
    top3 = order[:3]
    excluded = {o.therapy.id for o in rec.excluded}
    names = {o.therapy.id: o.therapy.name for o in rec.ranking + rec.excluded}

    def name(tid: str) -> str:
        return names.get(tid, tid)

    fails: list[str] = []
    checks = 0

    def expect_that(ok: bool, message: str) -> None:
        nonlocal checks
        checks += 1
        if not ok:
            fails.append(message)

    level = rec.triage.level
    if expect.level is not None:
        expect_that(level == expect.level, f"level is {level}, expected {expect.level}")
    if expect.level_at_least is not None:
        expect_that(LEVELS.index(level) <= LEVELS.index(expect.level_at_least),
                    f"level is {level}, expected at least {expect.level_at_least}")
    for stage in ("scope", "activity"):
        wanted = getattr(expect, stage)
        if wanted is not None:
            got = rec.step(stage).value
            expect_that(got == wanted, f"{stage} is {got}, expected {wanted}")
    if expect.first_role is not None:
        got_role = rec.ranking[0].role if rec.ranking else None
        expect_that(got_role == expect.first_role,
                    f"the first option's role is {got_role}, expected {expect.first_role}")
    if expect.first:
        first = order[0] if order else None
        expect_that(first in expect.first or _tied_first(rec, expect.first),
                    f"first is {name(first) if first else 'nothing'}, expected one of "
                    + ", ".join(name(t) for t in expect.first))
    for tid in expect.top3_include:
        expect_that(tid in top3 or _tied_into_top3(rec, tid),
                    f"{name(tid)} is not in the first three ({_where(tid, order, excluded)})")
    for tid in expect.top3_exclude:
        expect_that(tid not in top3, f"{name(tid)} is in the first three")
    roles = {o.therapy.id: o.role for o in rec.ranking}
    for role in expect.top3_exclude_roles:
        offending = [name(t) for t in top3 if roles[t] == role]
        expect_that(not offending, f"{', '.join(offending)} ({role}) in the first three")
    for tid in expect.excluded:
        expect_that(tid in excluded, f"{name(tid)} is not excluded ({_where(tid, order, excluded)})")
    for above, below in expect.order:
        ok = above in order and (below not in order or order.index(above) < order.index(below))
        expect_that(ok, f"{name(above)} ({_where(above, order, excluded)}) is not above "
                        f"{name(below)} ({_where(below, order, excluded)})")
    if expect.gaps_include:
        gaps = {g.subject for g in what_would_change(facts, library).gaps}
        for qid in expect.gaps_include:
            expect_that(qid in gaps, f"{library.vocabulary.label(qid)} is not listed as a gap")
    return fails, checks


def _where(tid: str, order: list[str], excluded: set[str]) -> str:
    if tid in order:
        return f"ranked {order.index(tid) + 1}"
    return "excluded" if tid in excluded else "not shown"


def _tied_first(rec: Recommendation, wanted: tuple[str, ...]) -> bool:
    """A wanted therapy tied for first place counts as first."""
    return any(o.therapy.id in wanted and o.rank == 1 for o in rec.ranking)


def _tied_into_top3(rec: Recommendation, tid: str) -> bool:
    """Tied with an option in the first three counts as in them."""
    return any(o.therapy.id == tid and o.rank is not None and o.rank <= 3 for o in rec.ranking)


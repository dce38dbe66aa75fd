"""Load and cross-check the knowledge base (``knowledge/``) into typed objects.

Layout: ``references.yaml``, ``drugs.yaml``, ``labs.yaml``, ``therapies/*.yaml`` (one
therapy each), ``cases/*.yaml`` (one case each), and the rules in ``triage.yaml`` and
``ranking.yaml``. Loading either returns a complete,
consistent :class:`Knowledge` or raises a :class:`LoadError` listing every problem.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from . import yamlfile
from .errors import LoadError, Problem
from .lexicon import Lexicon
from .rules import Contribution, ResponseEffect, Rules, TriageRule
from .schema import Case, Lab, Reference, Therapy

T = TypeVar("T")


def default_root() -> Path:
    """The project folder holding ``knowledge/`` and ``dialogs/``.

    A source checkout uses its own folders; an installed wheel carries a copy in
    ``assistant/data``.
    """
    here = Path(__file__).resolve().parent.parent
    checkout = here.parent
    if (checkout / "knowledge").is_dir() and (checkout / "dialogs").is_dir():
        return checkout
    return here / "data"


@dataclass(frozen=True)
class Knowledge:
    root: Path
    references: dict[str, Reference]
    therapies: dict[str, Therapy]
    lexicon: Lexicon
    labs: dict[str, Lab]
    cases: dict[str, Case]
    rules: Rules
    # where each record was defined, for located messages in later checks
    origins: dict[tuple[str, str], tuple[str, int | None]]

    def citations(self) -> Iterator[Citation]:
        return citations(self.therapies, self.labs, self.cases, self.lexicon, self.rules)


class _Collector:
    """Gathers problems across files so that one load reports all of them."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []
        self.origins: dict[tuple[str, str], tuple[str, int | None]] = {}

    def load(self, path: Path) -> yamlfile.Located | None:
        try:
            return yamlfile.load(path, self.root)
        except LoadError as exc:
            self.problems.extend(exc.problems)
            return None

    def records(self, path: Path, key: str, kind: type[T], table: str) -> dict[str, T]:
        """Typed records from the list under ``key`` in ``path``, keyed by id."""
        return self.records_in(self.load(path), key, kind, table)

    def records_in(self, located: yamlfile.Located | None, key: str, kind: type[T],
                   table: str) -> dict[str, T]:
        """Typed records from the list under ``key`` of an already loaded file."""
        out: dict[str, T] = {}
        if located is None:
            return out
        items = located.data.get(key) if isinstance(located.data, dict) else None
        if not isinstance(items, list):
            self.problems.append(located.problem((), f"expected a top-level '{key}' list"))
            return out
        for i, item in enumerate(items):
            self.add(out, located, (key, i), item, kind, table)
        return out

    def one_per_file(self, folder: Path, kind: type[T], table: str) -> dict[str, T]:
        out: dict[str, T] = {}
        if not folder.is_dir():
            self.problems.append(Problem(str(folder.relative_to(self.root)), None, "",
                                         "folder is missing"))
            return out
        for path in sorted(folder.glob("*.yaml")):
            located = self.load(path)
            if located is not None:
                self.add(out, located, (), located.data, kind, table)
        return out

    def add(self, out: dict, located: yamlfile.Located, path: tuple, item: object,
            kind: type[T], table: str) -> None:
        try:
            record = located.convert(path, item, kind)
        except LoadError as exc:
            self.problems.extend(exc.problems)
            return
        key = record.id  # type: ignore[attr-defined]
        if key in out:
            self.problems.append(located.problem(path + ("id",), f"duplicate {table} id '{key}'"))
            return
        out[key] = record
        self.origins[(table, key)] = (located.file, located.line(path))

    def fault(self, table: str, key: str, field: str, message: str) -> None:
        file, line = self.origins.get((table, key), ("knowledge", None))
        self.problems.append(Problem(file, line, f"{key}.{field}" if field else key, message))


def load_lexicon(root: Path | None = None) -> Lexicon:
    """Only the drug lexicon (for the matcher's fast path)."""
    root = root or default_root()
    located = yamlfile.load(root / "knowledge" / "drugs.yaml", root)
    return yamlfile.document(located, Lexicon)


def load_knowledge(root: Path | None = None) -> Knowledge:
    """Load every knowledge file under ``root/knowledge`` and check ids across them."""
    root = root or default_root()
    base = root / "knowledge"
    c = _Collector(root)
    references = c.records(base / "references.yaml", "references", Reference, "reference")
    labs = c.records(base / "labs.yaml", "labs", Lab, "lab")
    therapies = c.one_per_file(base / "therapies", Therapy, "therapy")
    cases = c.one_per_file(base / "cases", Case, "case")
    lexicon = Lexicon(drugs=())
    located = c.load(base / "drugs.yaml")
    if located is not None:
        try:
            lexicon = yamlfile.document(located, Lexicon)
        except LoadError as exc:
            c.problems.extend(exc.problems)
        for i, drug in enumerate(lexicon.drugs):
            c.origins[("drug", drug.name)] = (located.file, located.line(("drugs", i)))
        for i, cls in enumerate(lexicon.classes):
            c.origins[("drug class", cls.id)] = (located.file, located.line(("classes", i)))
    ranking = c.load(base / "ranking.yaml")
    rules = Rules(
        triage=tuple(c.records(base / "triage.yaml", "rules", TriageRule, "triage rule").values()),
        contributions=tuple(c.records_in(ranking, "contributions", Contribution, "contribution").values()),
        prior_response=tuple(c.records_in(ranking, "prior_response", ResponseEffect,
                                          "prior response").values()))
    if not c.problems:  # cross-checks against a half-read table would only add noise
        _check_ids(c, references, therapies, labs, cases, lexicon, rules)
        _check_rules(c, rules, therapies)
    if c.problems:
        raise LoadError(c.problems)
    return Knowledge(root, references, therapies, lexicon, labs, cases, rules, c.origins)


@dataclass(frozen=True)
class Citation:
    """The references one statement cites; ``required``: the statement needs at least one."""

    table: str
    key: str
    field: str
    refs: tuple[str, ...]
    required: bool = True


def citations(therapies: dict[str, Therapy], labs: dict[str, Lab], cases: dict[str, Case],
              lexicon: Lexicon, rules: Rules) -> Iterator[Citation]:
    """Every statement of the knowledge base that cites references."""
    for t in therapies.values():
        yield Citation("therapy", t.id, "mechanism", t.mechanism.refs)
        for i, dose in enumerate(t.doses):
            yield Citation("therapy", t.id, f"doses[{i}]", dose.refs)
        for i, ev in enumerate(t.evidence):
            yield Citation("therapy", t.id, f"evidence[{i}]", (ev.ref,) + ((ev.via,) if ev.via else ()))
        if t.time_to_response:
            yield Citation("therapy", t.id, "time_to_response", t.time_to_response.refs)
        for i, caution in enumerate(t.cautions):
            yield Citation("therapy", t.id, f"cautions[{i}]", caution.refs)
        for i, note in enumerate(t.notes):
            yield Citation("therapy", t.id, f"notes[{i}]", note.refs)
    for lab in labs.values():
        yield Citation("lab", lab.id, "refs", lab.refs)
    for case in cases.values():
        yield Citation("case", case.id, "ref", (case.ref,))
        for i, note in enumerate(case.notes):
            yield Citation("case", case.id, f"notes[{i}]", note.refs)
    for drug in lexicon.drugs:
        yield Citation("drug", drug.name, "refs", drug.refs, required=False)
    for table, key, refs in rules.statements():
        yield Citation(table, key, "refs", refs)


def _check_ids(c: _Collector, references: dict, therapies: dict, labs: dict, cases: dict,
               lexicon: Lexicon, rules: Rules) -> None:
    for cit in citations(therapies, labs, cases, lexicon, rules):
        for ref in cit.refs:
            if ref not in references:
                c.fault(cit.table, cit.key, cit.field, f"unknown reference '{ref}'")
    for t in therapies.values():
        for i, dose in enumerate(t.doses):
            n = dose.numbers
            if n is not None and n.low > n.high:
                c.fault("therapy", t.id, f"doses[{i}].numbers", "low is above high")
        if not t.evidence:
            c.fault("therapy", t.id, "evidence", "a therapy needs at least one evidence entry")
    for lab in labs.values():
        if lab.units.get(lab.unit) != 1:
            c.fault("lab", lab.id, "units", f"the canonical unit '{lab.unit}' must be listed with factor 1")
        if lab.plausible.low >= lab.plausible.high:
            c.fault("lab", lab.id, "plausible", "low must be below high")
    for case in cases.values():
        for field, actions in (("done", case.done), ("recommended", case.recommended)):
            for i, action in enumerate(actions):
                if action.therapy is not None and action.therapy not in therapies:
                    c.fault("case", case.id, f"{field}[{i}].therapy", f"unknown therapy '{action.therapy}'")
        for i, therapy in enumerate(case.authors_choice):
            if therapy not in therapies:
                c.fault("case", case.id, f"authors_choice[{i}]", f"unknown therapy '{therapy}'")
    names = {d.name for d in lexicon.drugs}
    for d in lexicon.drugs:
        for therapy in (d.therapy, *d.route_therapies.values()):
            if therapy is not None and therapy not in therapies:
                c.fault("drug", d.name, "therapy", f"unknown therapy '{therapy}'")
    for cls in lexicon.classes:
        for member in cls.members:
            if member not in names:
                c.fault("drug class", cls.id, "members", f"unknown member drug '{member}'")


def _check_rules(c: _Collector, rules: Rules, therapies: dict) -> None:
    for contribution in rules.contributions:
        for therapy in contribution.therapies:
            if therapy not in therapies:
                c.fault("contribution", contribution.id, "therapies", f"unknown therapy '{therapy}'")
    seen: set[str] = set()
    for effect in rules.prior_response:
        if effect.response in seen:
            c.fault("prior response", effect.id, "response", f"response '{effect.response}' is listed twice")
        seen.add(effect.response)

"""Load and cross-check the knowledge base (``knowledge/``) into typed objects.

Layout: ``references.yaml``, ``drugs.yaml``, ``treatment_words.yaml`` (the words of a
treatment line that are not drug names), ``labs.yaml``, ``therapies/*.yaml`` (one therapy
each), ``cases/*.yaml`` (one case each), the triage rules in ``triage.yaml`` and the
clinical pathway in ``pathway/`` (``stages.yaml``, ``roles.yaml``, ``history.yaml``).
Loading either returns a complete, consistent :class:`Knowledge` or raises a
:class:`LoadError` listing every problem.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from . import yamlfile
from .conditions import Condition
from .errors import LoadError, Problem
from .lexicon import Lexicon
from .pathway_data import TRIAL_FACTS, Computed, Pathway, Role, Row, Stage
from .rules import TriageRule
from .schema import (
    Case,
    Expectation,
    Lab,
    Reference,
    Review,
    Therapy,
    Variant,
    unit_problems,
)
from .treatment_words import TreatmentWords

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
    words: TreatmentWords            # the words of a treatment line that are not drugs
    labs: dict[str, Lab]
    triage: tuple[TriageRule, ...]
    pathway: Pathway
    # where each record was defined, for located messages in later checks
    origins: dict[tuple[str, str], yamlfile.Origin]
    # review dates of every file of clinical logic (rule tables and therapies), by file
    reviews: dict[str, Review]

    def where(self, table: str, key: str, field: str = "") -> str:
        """"file:line" where a record (or one of its fields) was defined."""
        return self.origins[(table, key)].where(field)

    @cached_property
    def cases(self) -> dict[str, Case]:
        """The published cases (the study library and the case corpus), read and checked
        on first use: a consult does not need them."""
        return load_cases(self)

    @cached_property
    def variants(self) -> dict[str, Variant]:
        """Constructed variants of the published cases (``knowledge/variants/``), read and
        checked on first use."""
        return load_variants(self)

    def citations(self) -> Iterator[Citation]:
        yield from citations(self.therapies, self.labs, self.cases, self.lexicon, self.triage,
                             self.pathway)
        for v in self.variants.values():
            yield Citation("variant", v.id, "refs", v.refs)
            yield Citation("variant", v.id, "expect", v.expect.refs)

    def conditions(self) -> Iterator[tuple[str, str, str, Condition]]:
        """(table, key, field, condition) of every rule, pathway row and caution that reads
        facts; (table, key) locates it in ``origins``."""
        for rule in self.triage:
            yield "triage rule", rule.id, "when", rule.when
        for name, rows, _ in self.pathway.tables():
            for row in rows:
                if row.when is not None:
                    yield name, row.id, "when", row.when
        for therapy in self.therapies.values():
            for i, fit in enumerate(therapy.fit):
                if fit.when is not None:
                    yield "therapy", therapy.id, f"fit[{i}].when", fit.when
            for i, caution in enumerate(therapy.cautions):
                if caution.when is not None:
                    yield "therapy", therapy.id, f"cautions[{i}].when", caution.when


class _Collector:
    """Gathers problems across files so that one load reports all of them."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []
        self.origins: dict[tuple[str, str], yamlfile.Origin] = {}
        self.reviews: dict[str, Review] = {}

    def load(self, path: Path) -> yamlfile.Located | None:
        try:
            return yamlfile.load(path, self.root)
        except LoadError as exc:
            self.problems.extend(exc.problems)
            return None

    def document(self, path: Path, kind: type[T], empty: T) -> tuple[T, yamlfile.Located | None]:
        """The whole of ``path`` as one typed record (``empty`` where it is not valid),
        with the parsed file (None if it could not be read)."""
        located = self.load(path)
        if located is None:
            return empty, None
        try:
            return yamlfile.document(located, kind), located
        except LoadError as exc:
            self.problems.extend(exc.problems)
            return empty, located

    def records(self, path: Path, key: str, kind: type[T], table: str) -> dict[str, T]:
        """Typed records from the list under ``key`` in ``path``, keyed by id."""
        return self.records_in(self.load(path), key, kind, table)

    def reviewed_table(self, path: Path, key: str, kind: type[T], table: str) -> dict[str, T]:
        """As ``records``, for a rule table that carries its own review dates."""
        located = self.load(path)
        self.review(located)
        return self.records_in(located, key, kind, table)

    def review(self, located: yamlfile.Located | None) -> None:
        """The ``reviewed`` and ``review_by`` dates at the top of a rule table."""
        if located is None or not isinstance(located.data, dict):
            return
        dates = {k: v for k, v in located.data.items() if k in ("reviewed", "review_by")}
        try:
            self.reviews[located.file] = located.convert((), dates, Review)
        except LoadError as exc:
            self.problems.extend(exc.problems)

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
        self.origins[(table, key)] = located.origin(path)

    def fault(self, table: str, key: str, field: str, message: str) -> None:
        origin = self.origins.get((table, key))
        if origin is None:
            self.problems.append(Problem("knowledge", None, f"{key}.{field}" if field else key,
                                         message))
        else:
            self.problems.append(origin.problem(key, field, message))


def load_lexicon(root: Path | None = None) -> Lexicon:
    """Only the drug lexicon (for the matcher's fast path)."""
    root = root or default_root()
    return yamlfile.document(yamlfile.load(root / "knowledge" / "drugs.yaml", root), Lexicon)


def load_treatment_words(root: Path | None = None) -> TreatmentWords:
    """Only the treatment-line words (for the matcher's fast path; ``triage check`` and
    :func:`load_knowledge` also check them against each other)."""
    root = root or default_root()
    located = yamlfile.load(root / "knowledge" / "treatment_words.yaml", root)
    return yamlfile.document(located, TreatmentWords)


def load_knowledge(root: Path | None = None) -> Knowledge:
    """Load every knowledge file under ``root/knowledge`` and check ids across them."""
    root = root or default_root()
    base = root / "knowledge"
    c = _Collector(root)
    references = c.records(base / "references.yaml", "references", Reference, "reference")
    labs = c.reviewed_table(base / "labs.yaml", "labs", Lab, "lab")
    therapies = c.one_per_file(base / "therapies", Therapy, "therapy")
    for therapy in therapies.values():
        c.reviews[c.origins[("therapy", therapy.id)].file] = therapy.review
    lexicon, located = c.document(base / "drugs.yaml", Lexicon, Lexicon(drugs=()))
    if located is not None:
        for i, drug in enumerate(lexicon.drugs):
            c.origins[("drug", drug.name)] = located.origin(("drugs", i))
        for i, cls in enumerate(lexicon.classes):
            c.origins[("drug class", cls.id)] = located.origin(("classes", i))
    words, located = c.document(base / "treatment_words.yaml", TreatmentWords, TreatmentWords(
        none_lines=(), joins=(), breaks=(), noise=(), routes={}, forms={}, units={},
        intervals=(), as_needed=(), counts=(), cues=(), lab_names=(), lab_units=()))
    if located is not None:
        c.problems += [located.problem(yamlfile.parse_path(field), message)
                       for field, message in words.problems()]
    triage = tuple(c.reviewed_table(base / "triage.yaml", "rules", TriageRule,
                                    "triage rule").values())
    pathway = _load_pathway(c, base / "pathway")
    if not c.problems and pathway is not None:  # cross-checks of a half-read base only add noise
        _check_ids(c, references, therapies, labs, lexicon, triage, pathway)
        _check_pathway(c, pathway, therapies, lexicon)
    if c.problems or pathway is None:
        raise LoadError(c.problems)
    return Knowledge(root, references, therapies, lexicon, words, labs, triage, pathway,
                     c.origins, dict(sorted(c.reviews.items())))


def load_cases(knowledge: Knowledge) -> dict[str, Case]:
    """Every file of ``knowledge/cases``, checked against the knowledge it cites."""
    c = _Collector(knowledge.root)
    cases = c.one_per_file(knowledge.root / "knowledge" / "cases", Case, "case")
    if not c.problems:
        for cit in case_citations(cases):
            for ref in cit.refs:
                if ref not in knowledge.references:
                    c.fault(cit.table, cit.key, cit.field, f"unknown reference '{ref}'")
        _check_case_therapies(c, cases, knowledge.therapies)
    if c.problems:
        raise LoadError(c.problems)
    knowledge.origins.update(c.origins)
    return cases


def load_variants(knowledge: Knowledge) -> dict[str, Variant]:
    """Every file of ``knowledge/variants`` (none is fine), checked against the cases it
    changes and the knowledge it cites."""
    folder = knowledge.root / "knowledge" / "variants"
    if not folder.is_dir():
        return {}
    c = _Collector(knowledge.root)
    variants = c.one_per_file(folder, Variant, "variant")
    cases = knowledge.cases
    for v in variants.values():
        if v.id in cases:
            c.fault("variant", v.id, "id", f"'{v.id}' is already a published case's id")
        if v.case not in cases:
            c.fault("variant", v.id, "case", f"unknown case '{v.case}'")
        if not v.change:
            c.fault("variant", v.id, "change", "a variant changes at least one answer")
        for field, refs in (("refs", v.refs), ("expect", v.expect.refs)):
            for ref in refs:
                if ref not in knowledge.references:
                    c.fault("variant", v.id, field, f"unknown reference '{ref}'")
        for field, therapy in expectation_therapies(v.expect):
            if therapy not in knowledge.therapies:
                c.fault("variant", v.id, f"expect.{field}", f"unknown therapy '{therapy}'")
    if c.problems:
        raise LoadError(c.problems)
    knowledge.origins.update(c.origins)
    return variants


def variant_answers(variant: Variant, case: Case) -> dict[str, Any]:
    """The published case's answers with the variant's change."""
    return {**case.answers, **variant.change}


def _load_pathway(c: _Collector, folder: Path) -> Pathway | None:
    """The pathway files, each table row located for later messages."""
    stages_file = c.load(folder / "stages.yaml")
    roles_file = c.load(folder / "roles.yaml")
    history_file = c.load(folder / "history.yaml")
    if stages_file is None or roles_file is None or history_file is None:
        return None
    for located in (stages_file, roles_file, history_file):
        c.review(located)
    computed = c.records_in(stages_file, "computed", Computed, "computed fact")
    stages = c.records_in(stages_file, "stages", Stage, "stage")
    roles = c.records_in(roles_file, "roles", Role, "role")
    history = c.records_in(history_file, "rows", Row, "history row")
    classes = history_file.data.get("classes", {}) if isinstance(history_file.data, dict) else {}
    try:
        class_therapies = history_file.convert(("classes",), classes, dict[str, tuple[str, ...]])
    except LoadError as exc:
        c.problems.extend(exc.problems)
        return None
    precedence = roles_file.data.get("precedence") if isinstance(roles_file.data, dict) else None
    if not isinstance(precedence, list) or not all(isinstance(p, str) for p in precedence):
        c.problems.append(roles_file.problem(("precedence",), "expected a list of role ids"))
        return None
    record: Any   # a stage or a role: each has an id and rows
    for located, top, field, table, records in (
            (stages_file, "stages", "rows", "stage", stages),
            (roles_file, "roles", "status", "role", roles)):
        for i, record in enumerate(records.values()):
            for j, row in enumerate(getattr(record, field)):
                c.origins[(f"{table} {record.id}", row.id)] = located.origin((top, i, field, j))
    for key in history:
        c.origins[("history", key)] = c.origins[("history row", key)]
    if c.problems:
        return None
    return Pathway(computed=tuple(computed.values()), stages=tuple(stages.values()),
                   roles=tuple(roles.values()), precedence=tuple(precedence),
                   history=tuple(history.values()), class_therapies=class_therapies)


@dataclass(frozen=True)
class Citation:
    """The references one statement cites; ``required``: the statement needs at least one."""

    table: str
    key: str
    field: str
    refs: tuple[str, ...]
    required: bool = True


def citations(therapies: dict[str, Therapy], labs: dict[str, Lab], cases: dict[str, Case],
              lexicon: Lexicon, triage: tuple[TriageRule, ...],
              pathway: Pathway) -> Iterator[Citation]:
    """Every statement of the knowledge base that cites references."""
    for t in therapies.values():
        yield Citation("therapy", t.id, "mechanism", t.mechanism.refs)
        for i, dose in enumerate(t.doses):
            yield Citation("therapy", t.id, f"doses[{i}]", dose.refs + ((dose.via,) if dose.via else ()))
        for i, ev in enumerate(t.evidence):
            yield Citation("therapy", t.id, f"evidence[{i}]", (ev.ref,) + ((ev.via,) if ev.via else ()))
        if t.time_to_response:
            yield Citation("therapy", t.id, "time_to_response", t.time_to_response.refs)
        for i, caution in enumerate(t.cautions):
            yield Citation("therapy", t.id, f"cautions[{i}]", caution.refs)
        for i, note in enumerate(t.notes):
            yield Citation("therapy", t.id, f"notes[{i}]", note.refs)
        for i, row in enumerate(t.fit):
            yield Citation("therapy", t.id, f"fit[{i}]", row.refs)
    for lab in labs.values():
        yield Citation("lab", lab.id, "refs", lab.refs)
    yield from case_citations(cases)
    for drug in lexicon.drugs:
        yield Citation("drug", drug.name, "refs", drug.refs, required=False)
    for rule in triage:
        yield Citation("triage rule", rule.id, "refs", rule.refs)
    for computed in pathway.computed:
        yield Citation("computed fact", computed.id, "refs", computed.refs)
    for name, rows, _ in pathway.tables():
        for table_row in rows:
            yield Citation(name, table_row.id, "refs", table_row.refs)
    for role in pathway.roles:
        for i, line in enumerate(role.lines):
            yield Citation("role", role.id, f"lines[{i}]", line.refs)


def case_citations(cases: dict[str, Case]) -> Iterator[Citation]:
    for case in cases.values():
        yield Citation("case", case.id, "ref", (case.ref,))
        for i, note in enumerate(case.notes):
            yield Citation("case", case.id, f"notes[{i}]", note.refs)
        if case.expect is not None:
            yield Citation("case", case.id, "expect", case.expect.refs)


def _check_ids(c: _Collector, references: dict, therapies: dict, labs: dict,
               lexicon: Lexicon, triage: tuple[TriageRule, ...], pathway: Pathway) -> None:
    for cit in citations(therapies, labs, {}, lexicon, triage, pathway):
        for ref in cit.refs:
            if ref not in references:
                c.fault(cit.table, cit.key, cit.field, f"unknown reference '{ref}'")
    for ref in references.values():
        if ref.via is not None and (ref.via not in references or ref.via == ref.id):
            c.fault("reference", ref.id, "via", f"unknown reference '{ref.via}'")
    for t in therapies.values():
        for i, dose in enumerate(t.doses):
            n = dose.numbers
            if n is not None and n.low > n.high:
                c.fault("therapy", t.id, f"doses[{i}].numbers", "low is above high")
            if n is not None and n.max is not None and n.per is None and n.max < n.high:
                c.fault("therapy", t.id, f"doses[{i}].numbers", "max is below high")
        for field, ids in (("cautions", [x.id for x in t.cautions]), ("fit", [x.id for x in t.fit])):
            for dup in _duplicates(ids):
                c.fault("therapy", t.id, field, f"id '{dup}' is used twice")
        if not t.evidence:
            c.fault("therapy", t.id, "evidence", "a therapy needs at least one evidence entry")
    for lab in labs.values():
        for message in unit_problems(lab.unit, lab.units):
            c.fault("lab", lab.id, "units", message)
        if lab.plausible.low >= lab.plausible.high:
            c.fault("lab", lab.id, "plausible", "low must be below high")
        for i, band in enumerate(lab.reference):
            if band.age_from >= band.age_to:
                c.fault("lab", lab.id, f"reference[{i}]", "age_from must be below age_to")
            if band.low is not None and band.high is not None and band.low > band.high:
                c.fault("lab", lab.id, f"reference[{i}]", "low is above high")
    names = {d.name for d in lexicon.drugs}
    class_ids = [cls.id for cls in lexicon.classes]
    for dup in _duplicates(class_ids):
        c.fault("drug class", dup, "id", f"class id '{dup}' is used twice")
    for d in lexicon.drugs:
        fields = [("therapy", d.therapy)] + [(f"route_therapies.{route}", therapy)
                                             for route, therapy in d.route_therapies.items()]
        for field, therapy in fields:
            if therapy is not None and therapy not in therapies:
                c.fault("drug", d.name, field, f"unknown therapy '{therapy}'")
    for cls in lexicon.classes:
        for member in cls.members:
            if member not in names:
                c.fault("drug class", cls.id, "members", f"unknown member drug '{member}'")


def _duplicates(ids: list[str]) -> list[str]:
    """The ids that occur more than once, sorted."""
    return sorted(i for i, n in Counter(ids).items() if n > 1)


def _check_case_therapies(c: _Collector, cases: dict[str, Case],
                          therapies: dict[str, Therapy]) -> None:
    for case in cases.values():
        for field, actions in (("done", case.done), ("recommended", case.recommended)):
            for i, action in enumerate(actions):
                if action.therapy is not None and action.therapy not in therapies:
                    c.fault("case", case.id, f"{field}[{i}].therapy", f"unknown therapy '{action.therapy}'")
        for i, therapy in enumerate(case.authors_choice):
            if therapy not in therapies:
                c.fault("case", case.id, f"authors_choice[{i}]", f"unknown therapy '{therapy}'")
        if case.expect is not None:
            for field, therapy in expectation_therapies(case.expect):
                if therapy not in therapies:
                    c.fault("case", case.id, f"expect.{field}", f"unknown therapy '{therapy}'")


def expectation_therapies(expect: Expectation) -> Iterator[tuple[str, str]]:
    """(field, therapy id) of every therapy an expectation names."""
    for field in ("first", "top3_include", "top3_exclude", "excluded"):
        for therapy in getattr(expect, field):
            yield field, therapy
    for pair in expect.order:
        for therapy in pair:
            yield "order", therapy


def _check_pathway(c: _Collector, pathway: Pathway, therapies: dict[str, Therapy],
                   lexicon: Lexicon) -> None:
    """Ids across the pathway: decisions among each table's values, known roles and
    therapies, derived facts read only after they are decided."""
    role_ids = [r.id for r in pathway.roles]
    if sorted(pathway.precedence) != sorted(role_ids):
        c.fault("role", role_ids[0] if role_ids else "", "precedence",
                "precedence must list every role exactly once")
    for name, rows, allowed in pathway.tables():
        ids = [row.id for row in rows]
        for dup in _duplicates(ids):
            c.fault(name, dup, "id", f"row id '{dup}' is used twice in this table")
        for row in rows:
            if row.then not in allowed:
                c.fault(name, row.id, "then", f"'{row.then}' is not one of: {', '.join(allowed)}")
            if row.when is None and len(rows) > 1:
                c.fault(name, row.id, "when", "a row without 'when' matches every case; it is "
                                              "only allowed as the table's only row")
    placed: set[str] = set()
    for role in pathway.roles:
        for i, line in enumerate(role.lines):
            for therapy in line.therapies:
                if therapy not in therapies:
                    c.fault("role", role.id, f"lines[{i}]", f"unknown therapy '{therapy}'")
                elif therapies[therapy].role != role.id:
                    c.fault("role", role.id, f"lines[{i}]",
                            f"'{therapy}' has role '{therapies[therapy].role}', not '{role.id}'")
                elif therapy in placed:
                    c.fault("role", role.id, f"lines[{i}]", f"'{therapy}' is in two lines")
                placed.add(therapy)
    for record in therapies.values():
        if record.role not in role_ids:
            c.fault("therapy", record.id, "role", f"unknown role '{record.role}'")
        for i, fit in enumerate(record.fit):
            if fit.when is None and len(record.fit) > 1:
                c.fault("therapy", record.id, f"fit[{i}].when",
                        "a row without 'when' is only allowed as the table's only row")
    class_ids = {cls.id for cls in lexicon.classes}
    for cls, mapped in pathway.class_therapies.items():
        if cls not in class_ids:
            c.fault("pathway", "history", "classes", f"unknown drug class '{cls}'")
        for t in mapped:
            if t not in therapies:
                c.fault("pathway", "history", "classes", f"unknown therapy '{t}'")
    for computed in pathway.computed:
        for t in computed.therapies:
            if t not in therapies:
                c.fault("computed fact", computed.id, "therapies", f"unknown therapy '{t}'")
    _check_fact_order(c, pathway, therapies)


def _check_fact_order(c: _Collector, pathway: Pathway, therapies: dict[str, Therapy]) -> None:
    """A derived fact may only be read once it is decided, and only with its own values."""
    values: dict[str, set[str]] = {}
    for computed in pathway.computed:
        values[computed.id] = {"on_treatment", "off_treatment", "unknown"}
    checks: list[tuple[str, str, Condition, dict[str, set[str]]]] = []
    for stage in pathway.stages:
        for row in stage.rows:
            if row.when is not None:
                checks.append((f"stage {stage.id}", row.id, row.when, dict(values)))
        values[stage.id] = {v.value for v in stage.values}
    everything = dict(values)
    for role in pathway.roles:
        for row in role.status:
            if row.when is not None:
                checks.append((f"role {role.id}", row.id, row.when, everything))
    for therapy in therapies.values():
        for fit in therapy.fit:
            if fit.when is not None:
                checks.append(("therapy", therapy.id, fit.when, everything))
    trial = {"current": {"True", "False"}, "response": set(), "duration": set()}
    for row in pathway.history:
        if row.when is not None:
            checks.append(("history", row.id, row.when, trial))
    for table, key, cond, known in checks:
        for test in cond.tests():
            if test.fact is None:
                if table == "history":
                    c.fault(table, key, "when", "the history table reads the trial's facts "
                                                f"({', '.join(TRIAL_FACTS)}) with 'fact:'")
                continue
            if test.fact not in known:
                c.fault(table, key, "when", f"'{test.fact}' is not a fact decided before this "
                                            "table")
                continue
            name, wanted = test.operator()
            wanted_values = ([wanted] if name == "is" else list(wanted) if name == "in" else None)
            if known[test.fact] and wanted_values is not None:
                for value in wanted_values:
                    if str(value) not in known[test.fact]:
                        c.fault(table, key, "when", f"'{value}' is not a value of '{test.fact}'")

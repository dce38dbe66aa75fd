"""The clinical pathway, run on one consult's facts.

1. Computed facts (is the child on immunosuppression now?) and the stages (scope,
   infection, disease activity, lesion), each decided by its table over the answers and
   the facts derived before it.
2. Each role's status for this child (first, lead, deferred, indicated, maintain, not
   indicated, absent).
3. Each option's place within its role: from the role's lines of therapy and the child's
   trials of them (systemic roles), and the option's own ``fit`` table; then its cautions
   (contraindicated excludes, major ranks it below the role's options without one).

Every decision keeps the row that made it and the facts behind that row, so the result can
be explained step by step. Pure and deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .conditions import Condition
from .dialog import Dialog
from .explain import Vocabulary, reasons, show_entry
from .facts import UNKNOWN
from .history import TREATMENTS, Trial, line_of, open_line, taken, trials
from .pathway_data import ROLE_STATUS_RANK, Computed, Pathway, Role, RoleStatus
from .schema import STRENGTH_TEXT, Caution, FitRow, Therapy
from .tables import decide

Place = Literal["first", "optimise", "continue", "option", "later", "tried"]
PLACES: tuple[Place, ...] = ("first", "optimise", "continue", "option", "later", "tried")
PLACE_SHORT: dict[Place, str] = {
    "first": "first", "optimise": "optimise", "continue": "continue", "option": "option",
    "later": "later", "tried": "tried"}
PLACE_TEXT: dict[Place, str] = {
    "first": "first choice now", "optimise": "optimise what the child is on",
    "continue": "continue", "option": "an option", "later": "later, if the first choices fail",
    "tried": "tried before without adequate response"}
_COURSE_PLACE: dict[str, Place] = {
    "continue": "continue", "give_time": "continue", "optimise": "optimise",
    "failing": "tried", "stopped_failed": "tried", "stopped_good": "option",
    "stopped_other": "option"}


@dataclass(frozen=True)
class Grade:
    """How well a rule is supported: the Oxford CEBM 2011 level of its evidence (1 best .. 5)
    and the strength of what it recommends; ``graded``: the source's own grading."""

    level: int
    strength: str
    graded: str | None = None

    @classmethod
    def of(cls, row: Any) -> Grade:
        """The grade a decision row, line, computed fact or triage rule carries."""
        return cls(row.evidence_level, row.strength, row.graded)

    def text(self) -> str:
        """"level 2, strong; SHARE 1B, A"."""
        out = f"level {self.level}, {STRENGTH_TEXT[self.strength]}"
        return out + (f"; {self.graded}" if self.graded else "")

    def to_json(self) -> dict[str, Any]:
        return {"evidence_level": self.level, "strength": self.strength,
                "graded": self.graded}


@dataclass(frozen=True)
class Reason:
    """One step of an explanation: what was decided, from which facts, on what evidence."""

    text: str
    facts: dict[str, str] = field(default_factory=dict)   # subject -> shown value
    refs: tuple[str, ...] = ()
    grade: Grade | None = None


@dataclass(frozen=True)
class Decision:
    """A stage or role decided by a table row."""

    subject: str               # stage or role id
    title: str
    value: str
    label: str
    row: str                   # the row's id
    reason: Reason


@dataclass(frozen=True)
class Note:
    """A caution or exclusion; ``missing`` lists the unknown facts it could not check."""

    id: str
    message: str
    refs: tuple[str, ...]
    facts: dict[str, str]
    severity: str = "minor"
    missing: tuple[str, ...] = ()

    def text(self, vocabulary: Vocabulary | None = None) -> str:
        if self.missing:
            names = [vocabulary.label(m) if vocabulary else m for m in self.missing]
            return f"not checked ({', '.join(names)} unknown): {self.message}"
        return self.message


@dataclass(frozen=True)
class Placement:
    """Where one option stands for this child: placed in its role, or excluded."""

    therapy: Therapy
    role_status: RoleStatus
    place: Place | None               # None when excluded
    line: int | None
    why: tuple[Reason, ...]
    cautions: tuple[Note, ...]
    excluded: tuple[Note, ...]

    @property
    def major(self) -> bool:
        return any(n.severity == "major" and not n.missing for n in self.cautions)


@dataclass(frozen=True)
class PathwayResult:
    facts: Mapping[str, Any]           # answers plus every derived fact
    steps: tuple[Decision, ...]        # computed facts and stages, in order
    roles: tuple[Decision, ...]        # each role's status, in pathway order
    placements: tuple[Placement, ...]  # every option not absent for this child
    trials: Mapping[str, Trial]


@dataclass(frozen=True)
class Derived:
    facts: dict[str, Any]              # answers plus the computed facts and stages
    steps: tuple[Decision, ...]        # computed facts and stages, in order


def derive(facts: Mapping[str, Any], pathway: Pathway, vocabulary: Vocabulary,
           explain: bool = True) -> Derived:
    """Step 1 alone: the computed facts and the stages (all the triage rules read)."""
    derived: dict[str, Any] = dict(facts)
    why = vocabulary if explain else None
    steps: list[Decision] = []
    for computed in pathway.computed:
        value, reason = _computed(computed, facts, vocabulary.dialog)
        derived[computed.id] = value
        steps.append(Decision(computed.id, computed.title, value,
                              vocabulary.show(computed.id, value), computed.id, reason))
    for stage in pathway.stages:
        row = decide(stage.rows, derived, f"stage {stage.id}")
        derived[stage.id] = row.then
        steps.append(Decision(stage.id, stage.title, row.then,
                              vocabulary.show(stage.id, row.then), row.id,
                              _reason(row, derived, why)))
    return Derived(derived, tuple(steps))


def run(facts: Mapping[str, Any], pathway: Pathway, therapies: Mapping[str, Therapy],
        vocabulary: Vocabulary, explain: bool = True) -> PathwayResult:
    """``explain=False`` skips the facts behind each decision (for re-runs nobody reads)."""
    derived = derive(facts, pathway, vocabulary, explain)
    why = vocabulary if explain else None
    roles: dict[str, Decision] = {}
    for role in pathway.roles:
        row = decide(role.status, derived.facts, f"role {role.id}")
        roles[role.id] = Decision(role.id, role.title, row.then, row.then, row.id,
                                  _reason(row, derived.facts, why))
    history = trials(facts, pathway.history, pathway.class_therapies)
    placer = _Placer(pathway, therapies, derived.facts, roles, history, vocabulary.dialog, why)
    placements = tuple(p for t in therapies.values() if (p := placer.place(t)) is not None)
    return PathwayResult(derived.facts, derived.steps, tuple(roles.values()), placements,
                         history)


def role_rank(pathway: Pathway, status: RoleStatus, role: str) -> tuple[int, int]:
    """Where a role comes in the order of the result: by status, then precedence."""
    return ROLE_STATUS_RANK[status], pathway.precedence.index(role)


def _reason(row: Any, facts: Mapping[str, Any], vocabulary: Vocabulary | None) -> Reason:
    """Why a table row decided what it did: its text, its references, its grade and the
    facts it read (not with no vocabulary: an unexplained re-run)."""
    when: Condition | None = row.when
    shown = reasons(when, facts, vocabulary) if when is not None and vocabulary else {}
    return Reason(row.because, shown, row.refs, Grade.of(row))


def _computed(computed: Computed, facts: Mapping[str, Any],
              dialog: Dialog) -> tuple[str, Reason]:
    """Whether the child is on one of the computed fact's therapies now."""
    value = facts.get(TREATMENTS)
    if value is UNKNOWN or value is None:
        return "unknown", Reason(computed.because, {TREATMENTS: "unknown"},
                                 computed.refs, Grade.of(computed))
    mine = [e for e in taken(facts)
            if e.therapy in computed.therapies or e.drug_class in computed.classes]
    current = [e for e in mine if e.current is True]
    maybe = [e for e in mine if e.current is None]
    chosen, result = ((current, "on_treatment") if current else
                      (maybe, "unknown") if maybe else ([], "off_treatment"))
    shown = "; ".join(show_entry(e, dialog) for e in chosen) or "none of these now"
    return result, Reason(computed.because, {TREATMENTS: shown}, computed.refs,
                          Grade.of(computed))


class _Placer:
    def __init__(self, pathway: Pathway, therapies: Mapping[str, Therapy],
                 facts: dict[str, Any], roles: dict[str, Decision],
                 history: Mapping[str, Trial], dialog: Dialog, vocabulary: Vocabulary | None):
        """``vocabulary``: None for an unexplained run (no facts behind each reason)."""
        self.pathway, self.therapies, self.facts, self.roles = pathway, therapies, facts, roles
        self.history, self.dialog, self.vocabulary = history, dialog, vocabulary
        self._open: dict[str, int] = {}
        self._notes: dict[str, tuple[tuple[Note, ...], tuple[Note, ...]]] = {}
        self._fits: dict[str, FitRow | None] = {}

    def place(self, therapy: Therapy) -> Placement | None:
        role_decision = self.roles[therapy.role]
        status: RoleStatus = role_decision.value  # type: ignore[assignment]
        if status == "absent":
            return None
        fit_row = self.fit(therapy)
        if fit_row is not None and fit_row.then == "absent":
            return None
        why = [role_decision.reason]
        excluded, cautions = map(list, self.cautions(therapy))
        if fit_row is not None:
            fit_reason = _reason(fit_row, self.facts, self.vocabulary)
            if fit_row.then == "unsuited":
                excluded.insert(0, Note(fit_row.id, fit_row.because, fit_row.refs,
                                        fit_reason.facts, "contraindicated"))
            else:
                why.append(fit_reason)
        role = self.pathway.role(therapy.role)
        line = line_of(role, therapy.id)
        place = self._place_in_role(role, status, therapy, line, self.history.get(therapy.id),
                                    fit_row.then if fit_row is not None else None, why)
        if status == "not_indicated" or (place is None and not excluded):
            # the role's own reason comes first: the role is not for this child, or it has
            # no place for this option (a role to maintain, an option never started)
            reason = role_decision.reason
            excluded.insert(0, Note(role_decision.row, reason.text, reason.refs, reason.facts,
                                    "contraindicated"))
        return Placement(therapy, status, None if excluded else place, line, tuple(why),
                         tuple(cautions), tuple(excluded))

    def _place_in_role(self, role: Role, status: RoleStatus, therapy: Therapy,
                       line: int | None, trial: Trial | None, fit: str | None,
                       why: list[Reason]) -> Place | None:
        if trial is not None:
            shown = _trial_text(trial, self.dialog)
            why.append(Reason(f"{shown}: {trial.row.because}", {TREATMENTS: shown},
                              trial.row.refs, Grade.of(trial.row)))
            place = _COURSE_PLACE[trial.course]
            if status == "maintain" and place not in ("continue", "optimise"):
                return None
            return place
        if status == "maintain":
            return None
        if fit == "preferred":
            return "first"
        if line is None:
            return "option"
        opened = self._opened(role)
        why.append(self._line_reason(role, line, opened))
        if status == "assess":      # nothing new starts before the assessment
            return "later"
        if line == opened:
            return "first"
        return "option" if line < opened else "later"

    def _opened(self, role: Role) -> int:
        """The role's open line (once per run)."""
        if role.id not in self._open:
            blocked = {t for line in role.lines for t in line.therapies if self._blocks(t)}
            self._open[role.id] = open_line(role, self.history, blocked)
        return self._open[role.id]

    def _blocks(self, therapy_id: str) -> bool:
        """A therapy that cannot be given here does not hold its line open."""
        therapy = self.therapies.get(therapy_id)
        if therapy is None:
            return True
        excluded, _ = self.cautions(therapy)
        fit_row = self.fit(therapy)
        return bool(excluded) or (fit_row is not None and fit_row.then in ("unsuited", "absent"))

    def _line_reason(self, role: Role, line: int, opened: int) -> Reason:
        """The line's reason; from the open line on, with what closed the lines before it."""
        spec = role.lines[line - 1]
        text = f"Line {line} of {role.title.lower()}: {spec.because}"
        if 1 < opened <= line:
            done = [t for earlier in role.lines[:opened - 1] for t in earlier.therapies]
            summary = [_trial_text(self.history[t], self.dialog) for t in done
                       if t in self.history]
            blocked = [self.therapies[t].name for t in done if self._blocks(t)]
            if blocked:
                summary.append("not possible here: " + ", ".join(blocked))
            text += f" (line {opened - 1} done: {'; '.join(summary)})"
        return Reason(text, {}, spec.refs, Grade.of(spec))

    def fit(self, therapy: Therapy) -> FitRow | None:
        """The therapy's fit row for this child (None when it has no fit table)."""
        if therapy.id not in self._fits:
            self._fits[therapy.id] = (decide(therapy.fit, self.facts, f"fit of {therapy.id}")
                                      if therapy.fit else None)
        return self._fits[therapy.id]

    def cautions(self, therapy: Therapy) -> tuple[tuple[Note, ...], tuple[Note, ...]]:
        """(exclusions, cautions) from the therapy's cautions and the access constraints."""
        if therapy.id not in self._notes:
            excluded, shown = _access(therapy, self.facts)
            for c in therapy.cautions:
                note = self._caution(c)
                if note is None:
                    continue
                (excluded if note.severity == "contraindicated" and not note.missing
                 else shown).append(note)
            self._notes[therapy.id] = tuple(excluded), tuple(shown)
        return self._notes[therapy.id]

    def _caution(self, c: Caution) -> Note | None:
        if c.when is None:
            return Note(c.id, c.message, c.refs, {}, c.severity)
        if c.when.holds(self.facts):
            shown = reasons(c.when, self.facts, self.vocabulary) if self.vocabulary else {}
            return Note(c.id, c.message, c.refs, shown, c.severity)
        missing = c.when.undecided(self.facts)
        if missing:
            return Note(c.id, c.message, c.refs, {}, c.severity, tuple(missing))
        return None


def course_place(course: str) -> Place:
    """Where a therapy the child has had stands, by its course (continue, optimise, tried...)."""
    return _COURSE_PLACE[course]


def _trial_text(trial: Trial, dialog: Dialog) -> str:
    return "; ".join(show_entry(e, dialog) for e in trial.entries)


def _access(therapy: Therapy, facts: Mapping[str, Any]) -> tuple[list[Note], list[Note]]:
    """IV access and biologic availability: (exclusions when known false, notes when
    unknown). These need no clinical judgement."""
    excluded: list[Note] = []
    unchecked: list[Note] = []
    checks = ((set(therapy.routes) == {"iv"}, "iv_access", "no_iv_access",
               "No IV access: this option is given only by IV infusion.",
               "This option is given only by IV infusion."),
              (therapy.availability == "biologic", "biologics_available", "no_biologics",
               "Biologics are not available here.", "This option needs access to a biologic."))
    for applies, qid, key, if_false, if_unknown in checks:
        value = facts.get(qid)
        if not applies or value is True:
            continue
        if value is False:
            excluded.append(Note(key, if_false, (), {qid: "no"}, "contraindicated"))
        else:
            unchecked.append(Note(key, if_unknown, (), {}, "minor", (qid,)))
    return excluded, unchecked

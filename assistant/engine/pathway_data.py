"""Typed records of the clinical pathway (``knowledge/pathway/*.yaml``).

The pathway is a sequence of decision tables. Each table is a list of rows; a row has a
condition (``when``), a decision (``then``), the reason a clinician reads (``because``) and
its references. Tables are *unique*: two rows that can match the same facts must give the
same decision, and every combination of the facts a table reads reaches a row
(``triage check`` proves both by enumerating the facts' finite domains).

- ``stages.yaml``: derived facts in order (scope, infection, activity, lesion); a stage's
  rows may read the answers and the facts derived before it.
- ``roles.yaml``: what each role (infection, metabolic, disease control, calcinosis-directed,
  local) is for this child (its ``status`` table) and, for systemic roles, the ordered
  lines of therapy.
- ``history.yaml``: what one earlier or current trial of a therapy means now (its course),
  read from the drug's follow-up answers.
- Therapies (``therapies/*.yaml``) carry their ``role`` and may carry a ``fit`` table.
"""

from __future__ import annotations

from typing import Literal

from .conditions import Condition
from .schema import EvidenceLevel, Strength, Strict

RoleStatus = Literal["first", "lead", "assess", "deferred", "indicated", "maintain",
                     "not_indicated", "absent"]
ROLE_STATUSES: tuple[RoleStatus, ...] = ("first", "lead", "assess", "deferred", "indicated",
                                         "maintain", "not_indicated", "absent")
# how early a role comes: "first" roles before "lead", "assess" and "deferred" ones, and so on
ROLE_STATUS_RANK: dict[RoleStatus, int] = {"first": 0, "lead": 1, "assess": 1, "deferred": 1,
                                           "indicated": 2, "maintain": 3, "not_indicated": 9,
                                           "absent": 9}

Course = Literal["continue", "give_time", "optimise", "failing", "stopped_good",
                 "stopped_failed", "stopped_other"]
COURSES: tuple[Course, ...] = ("continue", "give_time", "optimise", "failing", "stopped_good",
                               "stopped_failed", "stopped_other")
# courses that count as an adequate trial without adequate response (the line moves on)
INADEQUATE: frozenset[Course] = frozenset({"optimise", "failing", "stopped_failed"})

# the facts one trial is read from (the per-drug follow-up answers)
TRIAL_FACTS = ("current", "response", "duration")


class Row(Strict, kw_only=True, frozen=True):
    """One row of a decision table."""

    id: str
    when: Condition | None = None    # None: matches every case (only in a one-row table)
    then: str
    because: str
    refs: tuple[str, ...]
    evidence_level: EvidenceLevel    # Oxford CEBM 2011 level of the evidence behind the row
    strength: Strength
    graded: str | None = None        # the source's own grading, e.g. "SHARE 1B, A"


class Value(Strict, kw_only=True, frozen=True):
    value: str
    label: str


class Stage(Strict, kw_only=True, frozen=True):
    """A derived fact (``id``) decided by a table over answers and earlier stages."""

    id: str
    title: str
    values: tuple[Value, ...]
    rows: tuple[Row, ...]


class Computed(Strict, kw_only=True, frozen=True):
    """A derived fact computed from the treatment list: whether the child is on one of
    ``therapies`` (or a drug of ``classes``) now: ``on_treatment``, ``off_treatment`` or
    ``unknown``."""

    id: str
    title: str
    therapies: tuple[str, ...]
    classes: tuple[str, ...] = ()
    because: str
    refs: tuple[str, ...]
    evidence_level: EvidenceLevel
    strength: Strength
    graded: str | None = None


COMPUTED_VALUES = (Value(value="on_treatment", label="yes"),
                   Value(value="off_treatment", label="no"),
                   Value(value="unknown", label="unknown"))


class Line(Strict, kw_only=True, frozen=True):
    """One line of therapy of a role: tried in order, the next opens when this one is
    exhausted (every therapy in it tried without adequate response, or not possible)."""

    therapies: tuple[str, ...]
    because: str
    refs: tuple[str, ...]
    evidence_level: EvidenceLevel
    strength: Strength
    graded: str | None = None


class Role(Strict, kw_only=True, frozen=True):
    id: str
    title: str
    status: tuple[Row, ...]          # decisions: ROLE_STATUSES
    lines: tuple[Line, ...] = ()     # systemic roles only


class Pathway(Strict, kw_only=True, frozen=True):
    computed: tuple[Computed, ...]
    stages: tuple[Stage, ...]
    roles: tuple[Role, ...]
    precedence: tuple[str, ...]      # role ids: order between roles of the same rank
    history: tuple[Row, ...]         # decisions: COURSES; reads TRIAL_FACTS
    # drug class -> therapies a treatment named only by that class is a trial of
    class_therapies: dict[str, tuple[str, ...]]

    def role(self, role_id: str) -> Role:
        return next(r for r in self.roles if r.id == role_id)

    def derived(self) -> dict[str, tuple[Value, ...]]:
        """Every derived fact and its values, in the order they are decided."""
        out: dict[str, tuple[Value, ...]] = {c.id: COMPUTED_VALUES for c in self.computed}
        out.update({s.id: s.values for s in self.stages})
        return out

    def tables(self) -> list[tuple[str, tuple[Row, ...], tuple[str, ...]]]:
        """(name, rows, allowed decisions) of every table in the pathway files."""
        out = [(f"stage {s.id}", s.rows, tuple(v.value for v in s.values)) for s in self.stages]
        out += [(f"role {r.id}", r.status, ROLE_STATUSES) for r in self.roles]
        out.append(("history", self.history, COURSES))
        return out

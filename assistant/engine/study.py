"""Trainee self-study on a published case: compare, commit, reveal, score.

The reference standard is the case's own answers (``knowledge/cases/*.yaml``) replayed
through the same engine: the trainee's facts are compared with them, the trainee's
committed triage level and first-line choice with the assistant's result for the case
facts and with what the authors chose. Pure and deterministic: the same round always
gives the same score and feedback.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec

from . import yamlfile
from .errors import LoadError
from .explain import show_value
from .facts import UNKNOWN, DrugEntry
from .history import Trial, trials
from .knowledge import variant_answers
from .library import Library
from .pathway import PLACE_TEXT, course_place
from .pathway import run as run_pathway
from .progress import (
    Calibration,
    CommitmentRecord,
    MismatchRecord,
    PartRecord,
    Progress,
    RoundRecord,
    StepRecord,
    calibration_markdown,
)
from .recommend import Recommendation, recommend
from .record import known_age, lab_flag
from .replay import replay_data, replay_located
from .report import Citations, md_text, reference_list
from .result_view import ROLE_STATUS_TEXT, result_view
from .review import schedule
from .rules import LEVEL_TEXT, LEVELS
from .schema import Case, Sourced, Variant
from .session import Session

WEIGHTS = {"facts": 40, "red_flags": 20, "triage": 20, "therapy": 20}
TOLERANCE = 0.02   # relative difference under which two numbers are the same fact


@dataclass(frozen=True)
class Commitment:
    """What the trainee commits to before anything is revealed."""

    level: str
    therapy: str
    reason: str
    # how sure the trainee is that level and first choice are right, in per cent (50-100)
    confidence: int | None = None
    # after the reveal the trainee may override the assistant's first choice, with a reason,
    # as a clinician would; it is recorded and shown, and does not change the score
    override: str | None = None
    override_reason: str | None = None


@dataclass(frozen=True)
class Mismatch:
    question: str
    kind: str          # missed_red_flag, extra_red_flag, unit, lab_flag, unknown, not_asked, answer
    expected: str
    given: str
    explanation: str


MISMATCH_TEXT = {"missed_red_flag": "missed red flag", "extra_red_flag": "red flag not in the case",
                 "unit": "unit misread", "lab_flag": "abnormal lab entered as normal",
                 "unknown": "unknown against reported", "not_asked": "not reached",
                 "answer": "a different answer"}
# the steps of the decision the feedback walks, in order (stage titles come from the pathway)
STEPS = ("scope", "safety", "activity", "history", "lesion", "choice")
STEP_TITLES = {"safety": "Safety: red flags, infection and triage level",
               "history": "Treatment history", "choice": "First choice"}
_ROLE_STATUS = {**ROLE_STATUS_TEXT, "not_indicated": "not for this child",
                "absent": "not needed"}


@dataclass(frozen=True)
class Part:
    name: str
    points: float
    out_of: int
    why: str


@dataclass(frozen=True)
class Finding:
    """One fact behind a step's decision: as the case gives it and as the trainee did."""

    label: str
    case: str
    yours: str
    differs: bool


@dataclass(frozen=True)
class StepFeedback:
    """One step of the decision walked through after the commitment: what the case facts
    give, what the trainee's answers (or commitment) gave, the findings behind it and what
    it changes further on."""

    step: str                        # one of STEPS
    title: str
    case: str
    yours: str
    right: bool
    because: str
    refs: tuple[str, ...]
    findings: tuple[Finding, ...]
    changes: tuple[str, ...]         # "Disease control: after the infection"
    authors: str | None = None       # the first-choice step: what the authors chose and why


@dataclass(frozen=True)
class Round:
    """A graded study round."""

    case: Case
    mismatches: tuple[Mismatch, ...]
    commitment: Commitment
    assistant: Recommendation
    parts: tuple[Part, ...]
    steps: tuple[StepFeedback, ...] = ()
    variant_of: str | None = None      # a constructed variant: the published case it changes

    @property
    def score(self) -> int:
        return round(sum(p.points for p in self.parts))

    @property
    def correct(self) -> bool:
        """The commitment was right: the triage level, and full marks for the first choice
        (what a stated confidence is calibrated against)."""
        full = {p.name: p.points >= p.out_of for p in self.parts}
        return full["triage"] and full["therapy"]

    def record(self, at: datetime) -> RoundRecord:
        """The round as the progress file keeps it."""
        c = self.commitment
        return RoundRecord(
            case=self.case.id, at=at, score=self.score,
            parts=tuple(PartRecord(name=p.name, points=float(round(p.points, 1)), out_of=p.out_of,
                                   why=p.why) for p in self.parts),
            commitment=CommitmentRecord(level=c.level, therapy=c.therapy, reason=c.reason,
                                        confidence=c.confidence, override=c.override,
                                        override_reason=c.override_reason),
            correct=self.correct,
            steps=tuple(StepRecord(step=s.step, title=s.title, right=s.right)
                        for s in self.steps),
            mismatches=tuple(MismatchRecord(**asdict(m)) for m in self.mismatches),
            assistant_level=self.assistant.triage.level,
            assistant_top=tuple(o.therapy.id for o in self.assistant.ranking[:3]),
            authors_choice=self.case.authors_choice, variant_of=self.variant_of)

    def to_json(self) -> dict[str, Any]:
        return {"case": self.case.id, "score": self.score, "correct": self.correct,
                "parts": {p.name: {"points": round(p.points, 1), "out_of": p.out_of, "why": p.why}
                          for p in self.parts},
                "steps": [{"step": s.step, "title": s.title, "right": s.right,
                           "case": s.case, "yours": s.yours} for s in self.steps],
                "mismatches": [asdict(m) for m in self.mismatches],
                "commitment": asdict(self.commitment),
                "assistant": {"level": self.assistant.triage.level,
                              "top": [o.therapy.id for o in self.assistant.ranking[:3]]},
                "authors_choice": list(self.case.authors_choice),
                **({"variant_of": self.variant_of} if self.variant_of else {})}


TAG_LABELS = {"jdm": "JDM", "overlap": "overlap syndrome", "systemic_sclerosis": "systemic sclerosis",
              "idiopathic": "idiopathic", "tumoral": "tumoral", "genetic": "genetic",
              "metabolic": "metabolic", "renal": "renal", "iatrogenic": "iatrogenic",
              "localised": "localised", "diffuse": "diffuse", "universalis": "universalis",
              "ulcerated": "ulcerated", "infection": "infected lesion",
              "active_disease": "active disease", "inactive_disease": "inactive disease",
              "failed_first_line": "failed first line", "surgery": "surgery",
              "bisphosphonate": "bisphosphonate", "sodium_thiosulfate": "sodium thiosulfate",
              "biologic": "biologic", "resource_limited": "resource-limited setting",
              "toddler": "infant or toddler", "adolescent": "adolescent",
              "outcome_good": "good outcome", "outcome_poor": "poor outcome",
              "variant": "constructed variant"}
DIFFICULTY_TEXT = {1: "introductory", 2: "intermediate", 3: "advanced"}


@dataclass(frozen=True)
class StudyCase:
    """A case a trainee can study: a published case, or a constructed variant of one (its
    ``case`` then built from the published case with the change)."""

    case: Case
    variant_of: str | None = None

    @property
    def id(self) -> str:
        return self.case.id


def catalogue(library: Library) -> dict[str, StudyCase]:
    """Every case to study, by id: the published cases, then the constructed variants."""
    knowledge = library.knowledge
    out = {cid: StudyCase(c) for cid, c in sorted(knowledge.cases.items())}
    for vid, v in sorted(knowledge.variants.items()):
        out[vid] = StudyCase(variant_case(v, knowledge.cases[v.case]), v.case)
    return out


def variant_case(variant: Variant, base: Case) -> Case:
    """A variant as a case to study: the published vignette after the change, said first;
    no authors' choice or outcome (nobody treated this child)."""
    vignette = (f"CONSTRUCTED VARIANT, not a published patient. {variant.vignette.strip()}"
                f"\n\nThe published case:\n\n{base.vignette.strip()}\n")
    return msgspec.structs.replace(
        base, id=variant.id, name=f"{base.name} (variant)", title=variant.title,
        tags=base.tags, difficulty=variant.difficulty or base.difficulty, vignette=vignette,
        answers=variant_answers(variant, base), done=(), recommended=(), authors_choice=(),
        outcome="none: a constructed variant, not a published patient",
        notes=(Sourced(text=variant.teaches, refs=variant.refs),), expect=variant.expect)


@dataclass(frozen=True)
class CaseRow:
    """One line of the trainee's case list (the app's table and the plain list)."""

    id: str
    name: str
    title: str
    topics: str            # "JDM · infected lesion · surgery"
    difficulty: str        # "2 intermediate", or "" when not stated
    attempts: int
    best: int | None
    review: str            # "due now: Disease activity; Safety…", "in 3 days", "new"
    due: bool
    constructed: bool


def case_list(library: Library, progress: Progress, now: datetime) -> tuple[CaseRow, ...]:
    """The study cases with the trainee's attempts, best score and when each comes back
    for review (spaced review of the steps missed: ``review.schedule``)."""
    reviews = schedule(progress)
    rows = []
    for sc in catalogue(library).values():
        case = sc.case
        tags = [TAG_LABELS[t] for t in case.tags] + (["constructed variant"]
                                                      if sc.variant_of else [])
        summary = progress.summary(case.id)
        review = reviews.get(case.id)
        if review is None:
            when, due = "new", False
        elif review.due_now(now):
            when, due = "due now: " + "; ".join(review.steps_due(now)), True
        else:
            when, due = review.when(now), False
        rows.append(CaseRow(case.id, case.name, case.title, " · ".join(tags),
                            f"{case.difficulty} {DIFFICULTY_TEXT[case.difficulty]}"
                            if case.difficulty else "",
                            summary.attempts if summary else 0,
                            summary.best if summary else None, when, due,
                            sc.variant_of is not None))
    return tuple(rows)


def case_session(case: Case, library: Library) -> Session:
    """The case's own answers replayed: the reference the trainee is compared with."""
    return replay_data(case.answers, name=f"case {case.id}", library=library).session


def grade(case: Case, session: Session, commitment: Commitment, library: Library,
          variant_of: str | None = None) -> Round:
    """Compare the trainee's consult with the case and score the commitment."""
    if commitment.level not in LEVELS:
        raise ValueError(f"triage level must be one of {', '.join(LEVELS)}")
    if commitment.confidence is not None and not 50 <= commitment.confidence <= 100:
        raise ValueError("confidence is a per cent from 50 to 100")
    for therapy in (commitment.therapy, commitment.override):
        if therapy is not None and therapy not in library.knowledge.therapies:
            raise ValueError(f"unknown therapy '{therapy}'")
    reference = case_session(case, library)
    assistant = recommend(reference.facts, library)
    mismatches = tuple(compare(reference, session, library))
    asked = [q for q in reference.facts if q != "red_flags"]
    wrong = {m.question for m in mismatches if m.question != "red_flags"}
    facts_part = WEIGHTS["facts"] * (len(asked) - len(wrong)) / max(len(asked), 1)
    mine = recommend(session.facts, library)
    parts = (
        Part("facts", facts_part, WEIGHTS["facts"],
             f"{len(asked) - len(wrong)} of {len(asked)} facts as the case gives them"),
        _red_flags(assistant, mine),
        _triage(commitment, assistant),
        _therapy(commitment, assistant, case),
    )
    steps = walk(case, assistant, mine, commitment, parts[-1], library)
    return Round(case, mismatches, commitment, assistant, parts, steps, variant_of)


def compare(reference: Session, trainee: Session, library: Library) -> list[Mismatch]:
    """Every fact the trainee gave differently from the case, explained."""
    dialog = library.dialog
    expected, given = reference.facts, trainee.facts
    out: list[Mismatch] = []
    for qid in dialog.order:
        if qid not in expected:
            continue
        want = expected[qid]
        shown_want = show_value(dialog, qid, want)
        prompt = dialog.questions[qid].prompt
        if qid not in given:
            out.append(Mismatch(qid, "not_asked", shown_want, "not asked",
                                f"'{prompt}' was not reached on your path: an earlier answer "
                                "took the dialog another way."))
            continue
        got = given[qid]
        if _same(want, got):
            continue
        shown_got = show_value(dialog, qid, got)
        out += _explain(library, qid, prompt, want, got, shown_want, shown_got, expected)
    return out


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= TOLERANCE * max(abs(a), abs(b), 1e-9)
    if isinstance(a, tuple) and isinstance(b, tuple):
        return _drug_keys(a) == _drug_keys(b)
    return a == b


def _drug_keys(entries: tuple[DrugEntry, ...]) -> list[tuple[str, str, Any]]:
    """What a treatment list says, whatever words named each treatment: the therapy, else
    the drug, else the class ("NSAIDs" and "NSAID" are one class), else the text; with
    whether it was taken and how it worked."""
    return sorted((e.therapy or e.drug or e.drug_class or e.text.lower(), e.exposure.kind,
                   e.response)
                  for e in entries)


def _explain(library: Library, qid: str, prompt: str, want: Any, got: Any, shown_want: str,
             shown_got: str, facts: dict[str, Any]) -> list[Mismatch]:
    dialog = library.dialog
    question = dialog.questions[qid]
    if want is UNKNOWN:
        return [Mismatch(qid, "unknown", shown_want, shown_got,
                         f"The case does not report this ('{prompt}'); answer 'unknown' "
                         "rather than assume.")]
    if got is UNKNOWN:
        return [Mismatch(qid, "unknown", shown_want, shown_got,
                         f"The vignette does give this: {shown_want}.")]
    if qid == "red_flags":
        out = []
        for o in question.options:
            if o.value in want and o.value not in got:
                out.append(Mismatch(qid, "missed_red_flag", o.label, shown_got,
                                    f"Missed red flag: {o.label}. The vignette describes it."))
            elif o.value in got and o.value not in want:
                out.append(Mismatch(qid, "extra_red_flag", shown_want, o.label,
                                    f"{o.label}: the vignette does not describe this."))
        return out
    if question.type == "number" and isinstance(want, float) and isinstance(got, float):
        return [_number(library, qid, want, got, shown_want, shown_got, facts)]
    if question.type == "drugs":
        return [Mismatch(qid, "answer", shown_want, shown_got,
                         "The treatments (or their responses) differ from the case: "
                         f"the case lists {shown_want}.")]
    return [Mismatch(qid, "answer", shown_want, shown_got,
                     f"The case gives '{shown_want}'. Why it matters: {question.why}")]


def _number(library: Library, qid: str, want: float, got: float, shown_want: str,
            shown_got: str, facts: dict[str, Any]) -> Mismatch:
    measure = library.dialog.measures[qid]
    for name, factor in measure.units.items():
        if factor not in (0, 1) and (abs(got * factor - want) <= TOLERANCE * abs(want)
                                     or abs(got / factor - want) <= TOLERANCE * abs(want)):
            return Mismatch(qid, "unit", shown_want, shown_got,
                            f"Unit misread: the paper's value is {shown_want}; yours differs by "
                            f"the factor between {measure.unit} and {name}.")
    lab_id = library.dialog.questions[qid].lab
    if lab_id is not None:
        lab = library.dialog.labs[lab_id]
        age = known_age(facts)
        want_flag, got_flag = lab_flag(lab, want, age), lab_flag(lab, got, age)
        if want_flag and not got_flag:
            return Mismatch(qid, "lab_flag", shown_want, shown_got,
                            f"The paper's {lab.name} is {want_flag} for the child's age; the "
                            "value entered is within the reference range, so the abnormal "
                            "lab was not flagged.")
    return Mismatch(qid, "answer", shown_want, shown_got, f"The paper gives {shown_want}.")


def _red_flags(assistant: Recommendation, trainee: Recommendation) -> Part:
    want = {f.id for f in assistant.triage.red_flags}
    got = {f.id for f in trainee.triage.red_flags}
    if not want:
        points = WEIGHTS["red_flags"] * (0.0 if got else 1.0)
        why = ("no red flag in this case" + ("; yours raised " + ", ".join(sorted(got))
                                              if got else ", and none raised"))
        return Part("red_flags", points, WEIGHTS["red_flags"], why)
    found = len(want & got)
    points = WEIGHTS["red_flags"] * max(found - len(got - want), 0) / len(want)
    why = f"{found} of {len(want)} red flags raised by your answers"
    if got - want:
        why += f"; {len(got - want)} not in the case"
    return Part("red_flags", points, WEIGHTS["red_flags"], why)


def _triage(commitment: Commitment, assistant: Recommendation) -> Part:
    want, got = assistant.triage.level, commitment.level
    gap = abs(LEVELS.index(want) - LEVELS.index(got))
    points = WEIGHTS["triage"] * (1.0, 0.5, 0.0)[gap]
    why = (f"you said {got}; the case facts give {want}" if gap
           else f"{got}, as the case facts give")
    return Part("triage", points, WEIGHTS["triage"], why)


def _therapy(commitment: Commitment, assistant: Recommendation, case: Case) -> Part:
    """Full marks for the assistant's first choice, or for the authors' choice when the
    assistant ranks it in the first three or as a first choice of its own role; half for
    the authors' choice lower down or another of the first three; none when it is not for
    this patient (even when the authors chose it: the pathway follows the evidence)."""
    placed = {o.therapy.id: o for o in assistant.ranking}
    choice, out_of = commitment.therapy, WEIGHTS["therapy"]
    authors = choice in case.authors_choice
    if choice not in placed:
        return Part("therapy", 0, out_of, "not for this patient, by the assistant"
                    + (" (the authors' choice: see where they and the evidence differ)"
                       if authors else ""))
    option = placed[choice]
    rank = option.rank or len(placed)
    if rank == 1:
        return Part("therapy", out_of, out_of, "the assistant's first choice for these facts")
    if authors and (rank <= 3 or option.place == "first"):
        where = f"ranked {rank}" if rank <= 3 else (
            f"a first choice of {option.role_title.lower()}, ranked {rank}")
        return Part("therapy", out_of, out_of, f"the authors' choice, {where}")
    if authors or rank <= 3:
        return Part("therapy", out_of / 2, out_of,
                    ("the authors' choice, but " if authors else "") + f"ranked {rank} by the "
                    "assistant, not first")
    return Part("therapy", 0, out_of, f"ranked {rank} by the assistant")


# --- the decision, step by step ---------------------------------------------------------------

def walk(case: Case, assistant: Recommendation, mine: Recommendation, commitment: Commitment,
         therapy: Part, library: Library) -> tuple[StepFeedback, ...]:
    """The decision by pathway stage: the kind of calcinosis, safety (red flags, infection,
    the triage level committed), disease activity, the treatment history, the lesions and
    the first choice; each with the case's findings behind it, where the trainee's answers
    differ, and what it changes further on (the roles it sets)."""
    knowledge = library.knowledge
    pathway = knowledge.pathway
    case_run = run_pathway(assistant.facts, pathway, knowledge.therapies, library.vocabulary)
    roles = [(d.title, d.value, d.reason.facts) for d in case_run.roles]

    def changes(subject: str) -> tuple[str, ...]:
        return tuple(f"{title}: {_ROLE_STATUS.get(value, value)}"
                     for title, value, facts in roles if subject in facts)

    def stage(subject: str) -> StepFeedback:
        want, got = assistant.step(subject), mine.step(subject)
        findings = tuple(_finding(s, shown, assistant.facts, mine.facts, library)
                         for s, shown in want.reason.facts.items())
        return StepFeedback(subject, want.title, want.label, got.label, want.value == got.value,
                            want.reason.text, want.reason.refs, findings, changes(subject))

    out = {"scope": stage("scope"), "activity": stage("activity"), "lesion": stage("lesion")}
    out["safety"] = _safety(assistant, mine, commitment, library, changes("infection"))
    out["history"] = _history(assistant, mine, library, case_run.trials)
    out["choice"] = _choice(case, assistant, commitment, therapy, library)
    return tuple(out[s] for s in STEPS)


def _finding(subject: str, shown: str, case_facts: Mapping[str, Any],
             my_facts: Mapping[str, Any], library: Library) -> Finding:
    vocabulary = library.vocabulary
    label = vocabulary.label(subject)
    if subject not in my_facts:
        return Finding(label, shown, "not asked", True)
    differs = not _same(case_facts.get(subject), my_facts[subject])
    return Finding(label, shown, vocabulary.show(subject, my_facts[subject]), differs)


def _safety(assistant: Recommendation, mine: Recommendation, commitment: Commitment,
            library: Library, changes: tuple[str, ...]) -> StepFeedback:
    want = {f.id: f for f in assistant.triage.red_flags}
    got = {f.id: f for f in mine.triage.red_flags}
    findings = [Finding(f.message, library.vocabulary.line(f.facts) or "in the case",
                        "raised by your answers" if f.id in got else "not raised by your answers",
                        f.id not in got) for f in want.values()]
    findings += [Finding(f.message, "not in the case", "raised by your answers", True)
                 for fid, f in got.items() if fid not in want]
    infection, my_infection = assistant.step("infection"), mine.step("infection")
    findings.append(Finding(infection.title, infection.label, my_infection.label,
                            infection.value != my_infection.value))
    level = assistant.triage.level
    top = assistant.triage.red_flags[0] if assistant.triage.red_flags else None
    because = (f"The most severe flag sets the level: {top.message}" if top else
               "No red flag: the level is routine.")
    right = commitment.level == level and not any(f.differs for f in findings)
    text = {str(level): shown for level, shown in LEVEL_TEXT.items()}
    return StepFeedback("safety", STEP_TITLES["safety"], text[level],
                        f"you committed to {text[commitment.level]}", right, because,
                        top.refs if top else (), tuple(findings),
                        (f"Triage: {LEVEL_TEXT[level]}", *changes))


def _history(assistant: Recommendation, mine: Recommendation, library: Library,
             case_trials: Mapping[str, Trial]) -> StepFeedback:
    pathway, therapies = library.knowledge.pathway, library.knowledge.therapies
    my_trials = trials(mine.facts, pathway.history, pathway.class_therapies)

    def shown(trial: Trial | None) -> str:
        if trial is None:
            return "not among the treatments"
        entries = library.vocabulary.show("prior_treatments", trial.entries)
        return f"{PLACE_TEXT[course_place(trial.course)]}: {entries}"

    findings = [Finding(therapies[t].name, shown(case_trials.get(t)), shown(my_trials.get(t)),
                        (case_trials[t].course if t in case_trials else None)
                        != (my_trials[t].course if t in my_trials else None))
                for t in dict.fromkeys([*case_trials, *my_trials])]
    on, my_on = assistant.step("immunosuppression"), mine.step("immunosuppression")
    findings.insert(0, Finding(on.title, on.label, my_on.label, on.value != my_on.value))
    case_text = "; ".join(f"{therapies[t].name}: {PLACE_TEXT[course_place(tr.course)]}"
                          for t, tr in case_trials.items()) or "no treatment so far"
    my_text = "; ".join(f"{therapies[t].name}: {PLACE_TEXT[course_place(tr.course)]}"
                        for t, tr in my_trials.items()) or "no treatment so far"
    rows = list(dict.fromkeys(tr.row.because for tr in case_trials.values()))
    refs = tuple(dict.fromkeys(r for tr in case_trials.values() for r in tr.row.refs))
    because = " ".join(rows) or ("With no treatment so far, each role starts at its "
                                 "first line.")
    return StepFeedback("history", STEP_TITLES["history"], case_text, my_text,
                        not any(f.differs for f in findings), because, refs, tuple(findings),
                        (f"{on.title}: {on.label}",))


def _choice(case: Case, assistant: Recommendation, commitment: Commitment, therapy: Part,
            library: Library) -> StepFeedback:
    names = library.knowledge.therapies
    top = assistant.ranking[0] if assistant.ranking else None
    placed = {o.therapy.id: o for o in assistant.ranking}
    excluded = {o.therapy.id for o in assistant.excluded}
    why = top.why[-1] if top is not None and top.why else None
    authors = []
    for tid in case.authors_choice:
        where = (f"ranked {placed[tid].rank}" if tid in placed else
                 "not for this child" if tid in excluded else "not placed")
        authors.append(f"{names[tid].name} (the assistant: {where})")
    done = [a for a in case.done if a.outcome]
    said = ("The authors chose " + "; ".join(authors) + "." if authors else
            "The paper names no choice at this point.")
    if done:
        said += f" What happened: {done[-1].outcome}"
    said += f" Outcome: {case.outcome}"
    return StepFeedback(
        "choice", STEP_TITLES["choice"],
        f"{top.therapy.name} ({top.role_title.lower()}, {top.place_text})" if top else "none",
        f"{names[commitment.therapy].name}: {therapy.why}", therapy.points >= therapy.out_of,
        why.text if why else "", why.refs if why else (), (), (), said)


# --- reveal --------------------------------------------------------------------------------

def reveal_markdown(result: Round, library: Library,
                    calibration: Calibration | None = None) -> str:
    """Everything revealed after the commitment: score, the decision step by step, the
    trainee's calibration over rounds (when given), mismatches, the assistant's result, what
    the authors did, where they and the evidence differ, the seed's known errors."""
    case, rec = result.case, result.assistant

    def names(tid: str) -> str:
        return library.knowledge.therapies[tid].name
    cite = Citations()
    c = result.commitment
    out = [f"# {md_text(case.title)}{cite((case.ref,))}", ""]
    if result.variant_of is not None:
        out += ["*A constructed variant, not a published patient: one fact of the published "
                "case is changed to see what it changes.*", ""]
    out += [f"## Your score: {result.score} / 100", "", "| part | points | why |", "|---|---|---|"]
    out += [f"| {p.name.replace('_', ' ')} | {round(p.points, 1):g} / {p.out_of} | {md_text(p.why)} |"
            for p in result.parts]
    sure = f"; confidence **{c.confidence} %**" if c.confidence is not None else ""
    out += ["", "## You committed to", "",
            f"- Triage: **{c.level}**; first line: **{names(c.therapy)}**{sure}",
            f"- Reason: {md_text(c.reason) or '(none given)'}"]
    if c.override:
        out.append(f"- Override of the assistant's first choice: **{names(c.override)}**: "
                   f"{md_text(c.override_reason or '(no reason given)')}")
    out += ["", "## Step by step", ""]
    for i, step in enumerate(result.steps, 1):
        out += _step_markdown(i, step, cite)
    if calibration is not None:
        out += ["## Your calibration over rounds", ""] + calibration_markdown(calibration) + [""]
    out += ["## Your answers compared with the case", ""]
    out += ([f"- **{md_text(library.vocabulary.label(m.question))}** "
             f"({MISMATCH_TEXT.get(m.kind, m.kind)}): you gave *{md_text(m.given)}*. "
             f"{md_text(m.explanation)}" for m in result.mismatches]
            or ["Every fact matches the case."])
    view = result_view(rec, library.vocabulary)
    out += ["", f"## The assistant, on the case facts: {view.headline} ({view.counts})", ""]
    out += [f"- {f.level}: {md_text(f.message)}{cite(f.refs)}" for f in rec.triage.flags]
    out += ["", "First options:", ""]
    for o in rec.ranking[:5]:
        why = o.why[-1] if o.why else None
        out.append(f"{o.rank}{'=' if o.tied else ''}. **{md_text(o.therapy.name)}** "
                   f"({md_text(o.role_title.lower())}, {o.place_text})"
                   + (f": {md_text(why.text)}{cite(why.refs)}" if why else ""))
    out += ["", "## What the authors did", ""]
    out += [f"- {md_text(a.text)}" + (f" Outcome: {md_text(a.outcome)}" if a.outcome else "")
            for a in case.done]
    out += [f"- Recommended: {md_text(text)}"
            for text in dict.fromkeys(a.text for a in case.recommended)]
    out += [f"- Outcome: {md_text(case.outcome)}"]
    out += ["", "## Where the authors' choice and the evidence differ", ""]
    out += _disagreements(case, rec, cite, names) or ["The authors' choice is among the "
                                                       "assistant's first three options."]
    if case.notes:
        out += ["", "## Known errors and ambiguities in the paper", ""]
        out += [f"- {md_text(n.text)}{cite(n.refs)}" for n in case.notes]
    out += [""] + reference_list(cite, library)
    return "\n".join(out) + "\n"


def _step_markdown(i: int, step: StepFeedback, cite: Citations) -> list[str]:
    verdict = "right" if step.right else "missed"
    out = [f"### {i}. {md_text(step.title)}: {verdict}", "",
           f"The case: **{md_text(step.case)}**. Yours: {md_text(step.yours)}.", ""]
    for f in step.findings:
        label = md_text(f.label.rstrip("."))
        if f.differs:
            out.append(f"- **{label}**: {md_text(f.case)}; yours: *{md_text(f.yours)}*")
        else:
            out.append(f"- {label}: {md_text(f.case)} (as yours)")
    if step.findings:
        out.append("")
    if step.because:
        out += [f"Why: {md_text(step.because)}{cite(step.refs)}", ""]
    if step.changes:
        out += ["What it sets: " + "; ".join(md_text(c) for c in step.changes) + ".", ""]
    if step.authors:
        out += [md_text(step.authors), ""]
    return out


def _disagreements(case: Case, rec: Recommendation, cite: Citations,
                   names: Callable[[str], str]) -> list[str]:
    ranked = [o.therapy.id for o in rec.ranking]
    excluded = {o.therapy.id: o for o in rec.excluded}
    out = []
    for tid in case.authors_choice:
        if tid in ranked[:3]:
            continue
        if tid in excluded:
            option = excluded[tid]
            where = "does not offer it for this child: " + md_text(option.reason)
        else:
            option = rec.ranking[ranked.index(tid)]
            why = "; ".join(f"{md_text(r.text)}{cite(r.refs)}" for r in option.why)
            where = (f"places it {option.rank} of {len(ranked)} "
                     f"({md_text(option.role_title.lower())}, {option.place_text}): {why}")
        out.append(f"- The authors chose **{names(tid)}**; the assistant {where}")
        out += [f"  - {md_text(n.text)}{cite(n.refs)}" for n in option.therapy.notes]
    return out


# --- scripted rounds -------------------------------------------------------------------------

def run_script(path: str | Path, library: Library) -> Round:
    """A study round scripted in a YAML file: ``case``, ``answers`` (replay format) and
    ``commit`` (``level``, ``therapy``, ``reason``, optional ``override``/``override_reason``)."""
    located = yamlfile.load(Path(path))
    data = located.data
    problems = []
    if not isinstance(data, dict):
        raise LoadError([located.problem((), "a study script is a mapping with case, answers "
                                             "and commit")])
    for key in ("case", "answers", "commit"):
        if key not in data:
            problems.append(located.problem((), f"missing '{key}'"))
    if problems:
        raise LoadError(problems)
    cases = catalogue(library)
    study_case = cases.get(data["case"]) if isinstance(data["case"], str) else None
    if study_case is None:
        raise LoadError([located.problem(("case",), f"unknown case '{data['case']}' (known: "
                                         + ", ".join(sorted(cases)) + ")")])
    commit = data["commit"]
    fields = {"level", "therapy", "reason", "confidence", "override", "override_reason"}
    if not isinstance(commit, dict) or set(commit) - fields or not {"level", "therapy"} <= set(commit):
        raise LoadError([located.problem(("commit",), "commit needs level and therapy (and "
                                         "reason, confidence; optionally override, "
                                         "override_reason)")])
    confidence = commit.get("confidence")
    if confidence is not None and (isinstance(confidence, bool) or not isinstance(confidence, int)):
        raise LoadError([located.problem(("commit", "confidence"),
                                         "confidence is a whole per cent from 50 to 100")])
    answers = yamlfile.Located(located.file, {"answers": data["answers"]}, located.lines)
    session = replay_located(answers, library=library).session
    commitment = Commitment(str(commit["level"]), str(commit["therapy"]),
                            str(commit.get("reason", "")), confidence, commit.get("override"),
                            commit.get("override_reason"))
    try:
        return grade(study_case.case, session, commitment, library, study_case.variant_of)
    except ValueError as exc:
        raise LoadError([located.problem(("commit",), str(exc))]) from None

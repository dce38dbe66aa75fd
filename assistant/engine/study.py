"""Trainee self-study on a published case: compare, commit, reveal, score.

The reference standard is the case's own answers (``knowledge/cases/*.yaml``) replayed
through the same engine: the trainee's facts are compared with them, the trainee's
committed triage level and first-line choice with the assistant's result for the case
facts and with what the authors chose. Pure and deterministic: the same round always
gives the same score and feedback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from . import yamlfile
from .errors import LoadError
from .explain import show_value
from .facts import UNKNOWN, DrugEntry
from .library import Library
from .recommend import Recommendation, recommend
from .record import known_age, lab_flag
from .replay import replay_data, replay_located
from .report import Citations, md_text, reference_list
from .result_view import result_view, step_line
from .rules import LEVELS
from .schema import Case
from .session import Session

WEIGHTS = {"facts": 40, "red_flags": 20, "triage": 20, "therapy": 20}
TOLERANCE = 0.02   # relative difference under which two numbers are the same fact


@dataclass(frozen=True)
class Commitment:
    """What the trainee commits to before anything is revealed."""

    level: str
    therapy: str
    reason: str
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


@dataclass(frozen=True)
class Part:
    name: str
    points: float
    out_of: int
    why: str


@dataclass(frozen=True)
class Round:
    """A graded study round."""

    case: Case
    mismatches: tuple[Mismatch, ...]
    commitment: Commitment
    assistant: Recommendation
    parts: tuple[Part, ...]

    @property
    def score(self) -> int:
        return round(sum(p.points for p in self.parts))

    def to_json(self) -> dict[str, Any]:
        return {"case": self.case.id, "score": self.score,
                "parts": {p.name: {"points": round(p.points, 1), "out_of": p.out_of, "why": p.why}
                          for p in self.parts},
                "mismatches": [asdict(m) for m in self.mismatches],
                "commitment": asdict(self.commitment),
                "assistant": {"level": self.assistant.triage.level,
                              "top": [o.therapy.id for o in self.assistant.ranking[:3]]},
                "authors_choice": list(self.case.authors_choice)}


def case_session(case: Case, library: Library) -> Session:
    """The case's own answers replayed: the reference the trainee is compared with."""
    return replay_data(case.answers, name=f"case {case.id}", library=library).session


def grade(case: Case, session: Session, commitment: Commitment, library: Library) -> Round:
    """Compare the trainee's consult with the case and score the commitment."""
    if commitment.level not in LEVELS:
        raise ValueError(f"triage level must be one of {', '.join(LEVELS)}")
    for therapy in (commitment.therapy, commitment.override):
        if therapy is not None and therapy not in library.knowledge.therapies:
            raise ValueError(f"unknown therapy '{therapy}'")
    reference = case_session(case, library)
    assistant = recommend(reference.facts, library)
    mismatches = tuple(compare(reference, session, library))
    asked = [q for q in reference.facts if q != "red_flags"]
    wrong = {m.question for m in mismatches if m.question != "red_flags"}
    facts_part = WEIGHTS["facts"] * (len(asked) - len(wrong)) / max(len(asked), 1)
    parts = (
        Part("facts", facts_part, WEIGHTS["facts"],
             f"{len(asked) - len(wrong)} of {len(asked)} facts as the case gives them"),
        _red_flags(assistant, recommend(session.facts, library)),
        _triage(commitment, assistant),
        _therapy(commitment, assistant, case),
    )
    return Round(case, mismatches, commitment, assistant, parts)


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


# --- reveal --------------------------------------------------------------------------------

def reveal_markdown(result: Round, library: Library) -> str:
    """Everything revealed after the commitment: score, mismatches, the assistant's result,
    what the authors did, where they and the evidence differ, the seed's known errors."""
    case, rec = result.case, result.assistant

    def names(tid: str) -> str:
        return library.knowledge.therapies[tid].name
    cite = Citations()
    c = result.commitment
    out = [f"# {md_text(case.title)}{cite((case.ref,))}", "",
           f"## Your score: {result.score} / 100", "", "| part | points | why |", "|---|---|---|"]
    out += [f"| {p.name.replace('_', ' ')} | {round(p.points, 1):g} / {p.out_of} | {md_text(p.why)} |"
            for p in result.parts]
    out += ["", "## You committed to", "",
            f"- Triage: **{c.level}**; first line: **{names(c.therapy)}**",
            f"- Reason: {md_text(c.reason) or '(none given)'}"]
    if c.override:
        out.append(f"- Override of the assistant's first choice: **{names(c.override)}**: "
                   f"{md_text(c.override_reason or '(no reason given)')}")
    out += ["", "## Your answers compared with the case", ""]
    out += ([f"- **{md_text(library.vocabulary.label(m.question))}** "
             f"({m.kind.replace('_', ' ')}): you gave *{md_text(m.given)}*. "
             f"{md_text(m.explanation)}" for m in result.mismatches]
            or ["Every fact matches the case."])
    view = result_view(rec, library.vocabulary)
    out += ["", f"## The assistant, on the case facts: {view.headline} ({view.counts})", ""]
    out += [f"- {f.level}: {md_text(f.message)}{cite(f.refs)}" for f in rec.triage.flags]
    out += ["", "The pathway, step by step:", ""]
    out += [f"{i}. {md_text(step_line(s, library.vocabulary))}: {md_text(s.reason.text)}"
            f"{cite(s.reason.refs)}" for i, s in enumerate(rec.steps, 1)]
    out += ["", "First options:", ""]
    for o in rec.ranking[:5]:
        why = o.why[-1] if o.why else None
        out.append(f"{o.rank}{'=' if o.tied else ''}. **{md_text(o.therapy.name)}** "
                   f"({md_text(o.role_title.lower())}, {o.place_text})"
                   + (f": {md_text(why.text)}{cite(why.refs)}" if why else ""))
    out += ["", "## What the authors did", ""]
    out += [f"- {a.text}" + (f" Outcome: {a.outcome}" if a.outcome else "") for a in case.done]
    out += [f"- Recommended: {text}" for text in dict.fromkeys(a.text for a in case.recommended)]
    out += [f"- Outcome: {case.outcome}"]
    out += ["", "## Where the authors' choice and the evidence differ", ""]
    out += _disagreements(case, rec, cite, names) or ["The authors' choice is among the "
                                                       "assistant's first three options."]
    if case.notes:
        out += ["", "## Known errors and ambiguities in the paper", ""]
        out += [f"- {md_text(n.text)}{cite(n.refs)}" for n in case.notes]
    out += [""] + reference_list(cite, library)
    return "\n".join(out) + "\n"


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
    case = library.knowledge.cases.get(data["case"]) if isinstance(data["case"], str) else None
    if case is None:
        raise LoadError([located.problem(("case",), f"unknown case '{data['case']}' (known: "
                                         + ", ".join(sorted(library.knowledge.cases)) + ")")])
    commit = data["commit"]
    fields = {"level", "therapy", "reason", "override", "override_reason"}
    if not isinstance(commit, dict) or set(commit) - fields or not {"level", "therapy"} <= set(commit):
        raise LoadError([located.problem(("commit",), "commit needs level and therapy (and "
                                         "reason; optionally override, override_reason)")])
    answers = yamlfile.Located(located.file, {"answers": data["answers"]}, located.lines)
    session = replay_located(answers, library=library).session
    commitment = Commitment(str(commit["level"]), str(commit["therapy"]),
                            str(commit.get("reason", "")), commit.get("override"),
                            commit.get("override_reason"))
    try:
        return grade(case, session, commitment, library)
    except ValueError as exc:
        raise LoadError([located.problem(("commit",), str(exc))]) from None

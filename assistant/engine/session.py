"""A consult in progress: which question comes next, answers, going back and editing.

The session keeps every answer given, keyed by step. The path through the dialog is
recomputed from those answers after every change, so editing an early answer re-routes
the branches; answers to steps no longer on the path are kept (``stale``) but stop
counting as facts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from . import answers as parse
from .dialog import END, Dialog, FollowUp, Option, Question, Section
from .drug_answers import DrugList, TypedMention, asked_about
from .errors import AnswerError
from .facts import UNKNOWN, BelowLimit, DrugEntry, Facts

if TYPE_CHECKING:
    from .matching import Candidate, DrugMatcher, Mention

KEEP = "keep"  # confirm-step answer: keep the text as typed, unrecognised
UNKNOWN_CHOICE = "unknown"   # the value of a choice step's "unknown" answer
CHOICE_TYPES = ("single", "yesno", "multi")
YES_NO = (Option(value="yes", label="Yes"), Option(value="no", label="No"))
CONFIRM = "confirm"  # the part of a step key that confirms a look-alike drug name


@dataclass(frozen=True)
class StepKey:
    """Which answer a step takes: a dialog question's, or (with ``index`` and ``part``) one
    about the ``index``-th treatment named in that drugs answer: its confirmation
    (``CONFIRM``) or a follow-up (``response``, ...)."""

    question: str
    index: int | None = None
    part: str | None = None

    def __str__(self) -> str:
        """How the key reads in a transcript or an error: ``prior_treatments[1].response``."""
        return self.question if self.index is None else f"{self.question}[{self.index}].{self.part}"


@dataclass(frozen=True)
class Step:
    """One thing to ask: a dialog question, a per-drug follow-up, or a drug confirmation."""

    key: StepKey
    question: Question
    section: Section
    type: str                    # single, multi, yesno, number, drugs, text
    prompt: str
    why: str
    options: tuple[Option, ...] = ()
    unknown: str | None = None
    follow_up: FollowUp | None = None
    mention: str | None = None   # for follow-ups and confirmations: the drug mention's text

    @property
    def index(self) -> int | None:
        """Which drug mention a follow-up or confirmation is about."""
        return self.key.index

    @property
    def choices(self) -> tuple[Option, ...]:
        """What a choice step offers, numbered from 1 in this order: its options (Yes and No
        for a yes/no question), then its "unknown" answer. Empty for other steps."""
        if self.type not in CHOICE_TYPES:
            return ()
        offered = YES_NO if self.type == "yesno" else self.options
        if self.unknown:
            offered += (Option(value=UNKNOWN_CHOICE, label=self.unknown, exclusive=True),)
        return offered

    @property
    def is_confirmation(self) -> bool:
        return self.key.part == CONFIRM


@dataclass(frozen=True)
class Answer:
    raw: Any          # what was typed or given, kept verbatim
    value: Any        # the parsed fact value
    shown: str        # how the answer reads in a transcript
    mention: str | None = None  # for follow-ups: the mention text it belongs to


@dataclass
class Session:
    dialog: Dialog
    matcher: DrugMatcher
    answers: dict[StepKey, Answer] = field(default_factory=dict)
    _path: list[Step] = field(default_factory=list, init=False)
    _current: Step | None = field(default=None, init=False)
    _facts: Facts = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self._walk()

    # --- reading the state ----------------------------------------------------------------

    @property
    def current(self) -> Step | None:
        """The step waiting for an answer, or None when the dialog is complete."""
        return self._current

    @property
    def complete(self) -> bool:
        return self._current is None

    @property
    def path(self) -> list[Step]:
        """Answered steps, in the order the dialog asked them."""
        return list(self._path)

    @property
    def facts(self) -> Facts:
        """Answers on the path as facts (canonical units), keyed by question id."""
        return dict(self._facts)

    @property
    def stale(self) -> list[StepKey]:
        """Keys of answers that no longer apply after an earlier answer changed."""
        on_path = {s.key for s in self._path}
        return [k for k in self.answers if k not in on_path]

    def answer_for(self, key: StepKey) -> Answer | None:
        return self.answers.get(key)

    # --- changing the state ---------------------------------------------------------------

    def answer(self, raw: Any) -> Step | None:
        """Answer the current step; returns the next one (None when complete)."""
        step = self._current
        if step is None:
            raise AnswerError("the dialog is complete; go back or edit an answer to change it")
        self.answers[step.key] = self._parse(step, raw)
        self._walk()
        return self._current

    def edit(self, key: StepKey, raw: Any) -> Step | None:
        """Change an earlier answer; later steps are recomputed from it."""
        step = next((s for s in self._path if s.key == key), None)
        if step is None:
            raise AnswerError(f"'{key}' is not an answered question on this path")
        self.answers[key] = self._parse(step, raw)
        self._walk()
        return self._current

    def back(self) -> Step:
        """Withdraw the last answer on the path and ask that step again."""
        if not self._path:
            raise AnswerError("this is the first question; there is nothing to go back to")
        last = self._path[-1]
        del self.answers[last.key]
        self._walk()
        assert self._current is not None
        return self._current

    def steps(self) -> Iterator[tuple[Step, Answer]]:
        for step in self._path:
            yield step, self.answers[step.key]

    # --- internals ------------------------------------------------------------------------

    def _parse(self, step: Step, raw: Any) -> Answer:
        if parse.is_unknown(raw) and not _is_option(step, raw):
            if step.unknown is None:
                raise AnswerError("an answer is required here" + _options_hint(step))
            return Answer(raw, UNKNOWN, _unknown_shown(step.unknown, raw), step.mention)
        kind = step.type
        if kind == "single":
            value = parse.parse_choice(raw, step.choices)
            if value == UNKNOWN_CHOICE and step.unknown is not None:
                return Answer(raw, UNKNOWN, step.unknown, step.mention)
            return Answer(raw, value, _label(step.options, value), step.mention)
        if kind == "multi":
            chosen = parse.parse_multi(raw, step.choices)
            if chosen == {UNKNOWN_CHOICE} and step.unknown is not None:
                return Answer(raw, UNKNOWN, step.unknown, step.mention)
            shown = ", ".join(o.label for o in step.options if o.value in chosen)
            return Answer(raw, chosen, shown, step.mention)
        if kind == "yesno":
            try:
                yes = parse.parse_yesno(raw)
            except AnswerError as exc:   # or by number, as the choices are listed
                try:
                    value = parse.parse_choice(raw, step.choices)
                except AnswerError:
                    raise exc from None
                if value == UNKNOWN_CHOICE and step.unknown is not None:
                    return Answer(raw, UNKNOWN, step.unknown, step.mention)
                yes = value == "yes"
            return Answer(raw, yes, "Yes" if yes else "No", step.mention)
        if kind == "number":
            measure = self.dialog.measures[step.question.id]
            number, unit = parse.parse_number(raw, measure, step.question.label or step.prompt)
            shown = f"{raw:g}" if isinstance(raw, (int, float)) else str(raw).strip()
            if not any(c.isalpha() for c in shown):   # a bare number is in the canonical unit
                shown += f" {measure.unit}"
            elif isinstance(number, BelowLimit) and number.limit is None:
                shown += " (below the detection limit)"
            elif unit != measure.unit:
                below, canonical = ("<", number.limit) if isinstance(number, BelowLimit) \
                    else ("", number)
                assert canonical is not None      # a negative result was shown above
                shown += f" (= {below}{parse.as_precise_as(canonical, shown)} {measure.unit})"
            return Answer(raw, number, shown, step.mention)
        if kind == "drugs":
            return self._parse_drugs(raw)
        text = parse.parse_text(raw)
        return Answer(raw, text, text, step.mention)

    def _parse_drugs(self, raw: Any) -> Answer:
        """A free-text line, or a list of drug texts (one per treatment), through the matcher.

        Every text is kept verbatim; one that names nothing and does not say "none" is
        refused rather than read as "no treatment"."""
        if isinstance(raw, str) and raw.strip():
            texts = (raw,)
        elif isinstance(raw, (list, tuple)) and raw and all(isinstance(t, str) for t in raw):
            texts = tuple(raw)
        else:
            raise AnswerError("type the treatments, e.g. 'prednisolone, methotrexate', or 'none'")
        found: list[TypedMention] = []
        for source, text in enumerate(texts):
            mentions = self.matcher.match(text)
            if not mentions and not self.matcher.says_none(text):
                raise AnswerError(f"no treatment found in '{text.strip()}': name the drugs, "
                                  "or type 'none' (or 'unknown')")
            found += [TypedMention(source, m) for m in mentions]
        shown = ", ".join(t.strip() for t in texts)
        return Answer(raw, DrugList(texts, tuple(found)), shown)

    def _walk(self) -> None:
        """Recompute the path and the current step from the answers."""
        path: list[Step] = []
        facts: Facts = {}
        qid = self.dialog.first
        self._current = None
        while qid != END:
            question = self.dialog.questions[qid]
            step = self._question_step(question)
            given = self.answers.get(step.key)
            if given is None:
                self._current = step
                break
            path.append(step)
            if question.type == "drugs":
                pending = self._drug_steps(question, given, path)
                if pending is not None:
                    self._current = pending
                    break
                facts[qid] = self._drug_entries(question, given)
            else:
                facts[qid] = given.value
            qid = self._next(question, facts)
        self._path, self._facts = path, facts

    def _next(self, question: Question, facts: Facts) -> str:
        for rule in question.next:
            if rule.when is None or rule.when.holds(facts):
                return rule.goto
        return self.dialog.following(question.id)

    def _question_step(self, q: Question) -> Step:
        return Step(StepKey(q.id), q, self.dialog.section_of[q.id], q.type, q.prompt, q.why, q.options,
                    q.unknown)

    def _drug_steps(self, question: Question, given: Answer, path: list[Step]) -> Step | None:
        """Append answered per-drug steps to ``path``; return the first unanswered one."""
        if given.value is UNKNOWN:
            return None
        for i, typed in enumerate(given.value.mentions):
            for step in self._mention_steps(question, i, typed.mention):
                answer = self.answers.get(step.key)
                if answer is None or answer.mention != typed.mention.text:
                    return step
                path.append(step)
        return None

    def _mention_steps(self, question: Question, i: int, mention: Mention) -> Iterator[Step]:
        """A look-alike is confirmed whatever its exposure; only a drug taken gets the
        follow-up questions (response, side effects, still taking)."""
        if not asked_about(mention):
            return
        section = self.dialog.section_of[question.id]
        if mention.status == "confirm":
            options = tuple(Option(value=c.drug, label=_candidate_label(c)) for c in mention.candidates)
            options += (Option(value=KEEP, label=f"None of these: keep '{mention.text}' as typed"),)
            yield Step(StepKey(question.id, i, CONFIRM), question, section, "single",
                       confirm_prompt(mention.text),
                       "A look-alike name is never applied without your confirmation.",
                       options, None, None, mention.text)
        if mention.exposure.kind != "taken":
            return
        label = self._mention_label(StepKey(question.id, i, CONFIRM), mention)
        for follow in question.follow_up:
            yield Step(StepKey(question.id, i, follow.id), question, section, follow.type,
                       follow.prompt.replace("{drug}", label), follow.why, follow.options,
                       follow.unknown, follow, mention.text)

    def _mention_label(self, confirm: StepKey, mention: Mention) -> str:
        confirmed = self.answers.get(confirm)
        if confirmed is not None and confirmed.mention == mention.text and confirmed.value != KEEP:
            return confirmed.value
        return mention.drug or mention.drug_class or mention.text

    def drug_entries(self, qid: str) -> tuple[DrugEntry, ...] | None:
        """The treatments of a drugs answer as they stand now (confirmations and follow-ups
        answered so far; the others still unknown); None if unanswered or "unknown"."""
        given = self.answers.get(StepKey(qid))
        if given is None or given.value is UNKNOWN:
            return None
        return self._drug_entries(self.dialog.questions[qid], given)

    def _drug_entries(self, question: Question, given: Answer) -> Any:
        if given.value is UNKNOWN:
            return UNKNOWN
        entries = []
        drugs: DrugList = given.value
        for i, typed in enumerate(drugs.mentions):
            m = typed.mention
            drug, therapy = m.drug, m.therapy
            status: str = m.status
            chosen = self._about(StepKey(question.id, i, CONFIRM), m)
            if m.status == "confirm" and chosen is not None:
                candidate = next((c for c in m.candidates if c.drug == chosen.value), None)
                if candidate is None:
                    drug, therapy, status = None, None, "unknown"
                else:
                    drug, therapy, status = candidate.drug, candidate.therapy, "confirmed"
            elif m.drug_class is not None and m.drug is None:
                status = "class"
            entry = DrugEntry(m.text, drug, therapy, m.drug_class, status, exposure=m.exposure,
                              dose=m.dose)
            if m.exposure.kind == "taken":
                follow = {f.id: self._about(StepKey(question.id, i, f.id), m)
                          for f in question.follow_up}
                known: dict[str, Any] = {k: (None if a is None or a.value is UNKNOWN else a.value)
                                         for k, a in follow.items()}
                entry = replace(entry, **known)
            entries.append(entry)
        return tuple(entries)

    def _about(self, key: StepKey, mention: Mention) -> Answer | None:
        """The answer under ``key`` if it was given about this mention (not a stale one)."""
        given = self.answers.get(key)
        return given if given is not None and given.mention == mention.text else None


def _unknown_shown(label: str, raw: Any) -> str:
    """An unknown answer reads as the step's label, with the words typed when they were
    other words ('NA (Not known)')."""
    typed = raw.strip() if isinstance(raw, str) else ""
    return label if typed.lower() in ("", UNKNOWN_CHOICE, label.lower()) else f"{typed} ({label})"


def confirm_prompt(mention: str) -> str:
    return f"Did you mean one of these for '{mention}'?"


def _is_option(step: Step, raw: Any) -> bool:
    return isinstance(raw, str) and raw.strip().lower() in {o.value for o in step.options}


def _label(options: Sequence[Option], value: str) -> str:
    return next(o.label for o in options if o.value == value)


def _options_hint(step: Step) -> str:
    return f" (one of: {', '.join(o.value for o in step.options)})" if step.options else ""


def _candidate_label(candidate: Candidate) -> str:
    detail = ", ".join(p for p in (candidate.use, candidate.drug_class) if p)
    return f"{candidate.drug} ({detail})" if detail else candidate.drug

"""Scripted replay: feed a replay file's answers through the engine, in the dialog's order.

A replay file is YAML with ``answers`` keyed by question id and an optional ``dialog``
(and ``consult``, the summary a saved consult carries, which a replay does not read).
A missing answer to a question that allows "unknown" becomes unknown with a warning; a
missing required answer is an error; answers the dialog never asked are warnings, and an
id the dialog does not have is an error. ``strict`` turns every warning into an error.
Errors and warnings alike name the file, line and field.

A drugs answer is "none", "unknown", a typed line, a list of treatments (each ``drug``,
matched on its own, with its own answers), or a typed line with the answers of the
treatments named in it::

    prior_treatments:
      line: "topical STS 25% + pred 2 mg/kg, no IVIG"
      treatments:                  # in the order the line names them
        - {drug: STS, response: partial, side_effects: none, current: true}
        - {drug: pred, confirm: prednisolone, response: good, current: false}

Each treatment's ``drug`` is the mention's text as it stands in the line; the entries
follow the treatments the dialog asks about, in order (those it asks nothing about, "no
IVIG", have none).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import yamlfile
from .dialog import dialog_path
from .drug_answers import asked_about
from .errors import AnswerError, LoadError, ReplayError
from .facts import UNKNOWN
from .library import Library, default_library, load
from .recommend import Recommendation, recommend
from .record import facts_json, transcript_json
from .session import KEEP, Session, Step, StepKey

_TOP_LEVEL = {"answers", "dialog", "consult"}
_LINE_KEYS = {"line", "treatments"}


@dataclass
class ReplayResult:
    session: Session
    library: Library
    warnings: list[str] = field(default_factory=list)
    _recommendation: Recommendation | None = field(default=None, init=False, repr=False)

    def recommendation(self) -> Recommendation:
        """Triage and ranking for the replayed facts (computed once)."""
        if self._recommendation is None:
            self._recommendation = recommend(self.session.facts, self.library)
        return self._recommendation

    def to_json(self) -> dict[str, Any]:
        """Facts, transcript and warnings, then the triage, ranking and exclusions."""
        return {"dialog": self.session.dialog.id, "facts": facts_json(self.session),
                "transcript": transcript_json(self.session), "warnings": self.warnings,
                **self.recommendation().to_json()}


def replay(path: str | Path, *, strict: bool = False, library: Library | None = None) -> ReplayResult:
    """Replay the file at ``path``; raises ReplayError or LoadError with a located message."""
    located = yamlfile.load(Path(path))
    return replay_located(located, strict=strict, library=library)


def replay_data(answers: dict[str, Any], *, name: str = "<answers>", strict: bool = False,
                library: Library | None = None) -> ReplayResult:
    """Replay answers already in memory (for example a case vignette's answers)."""
    return replay_located(yamlfile.Located(name, {"answers": answers}, {}), strict=strict,
                          library=library)


def replay_located(located: yamlfile.Located, *, strict: bool = False,
                   library: Library | None = None) -> ReplayResult:
    data = located.data
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        raise LoadError([located.problem((), "a replay file needs an 'answers' mapping "
                                             "keyed by question id")])
    extra = sorted(set(data) - _TOP_LEVEL)
    if extra:
        raise LoadError([located.problem((extra[0],), f"unknown top-level entry '{extra[0]}' "
                                                      "(expected 'answers' and optionally 'dialog')")])
    dialog = data.get("dialog")
    if library is None:
        library = default_library()
    if dialog is not None and dialog != library.dialog.id:
        library = _other_dialog(located, library, dialog)
    return _Replayer(located, library, strict).run()


def _other_dialog(located: yamlfile.Located, library: Library, dialog: Any) -> Library:
    """The library with the dialog a replay file names, or an error at the file's line."""
    try:
        path = dialog_path(library.knowledge.root, dialog if isinstance(dialog, str) else "")
    except ValueError as exc:
        raise LoadError([located.problem(("dialog",), str(exc))]) from None
    if not isinstance(dialog, str) or not path.is_file():
        raise LoadError([located.problem(("dialog",), f"no dialog '{dialog}' in dialogs/")])
    return load(library.knowledge.root, dialog)


def restore(answers: dict[str, Any], library: Library) -> Session:
    """A session rebuilt from replay-format answers that may stop part-way (an autosave):
    answers are given in dialog order until the first question they do not answer."""
    located = yamlfile.Located("<autosave>", {"answers": answers}, {})
    replayer = _Replayer(located, library, strict=False, partial=True)
    try:
        replayer.run()
    except _Incomplete:
        pass
    return replayer.session


class _Incomplete(Exception):
    """A partial replay reached a question its answers do not cover."""


class _Replayer:
    def __init__(self, located: yamlfile.Located, library: Library, strict: bool,
                 partial: bool = False):
        self.located, self.strict, self.partial = located, strict, partial
        self.answers: dict[str, Any] = located.data["answers"]
        self.library = library
        self.session = library.new_session()
        self.warnings: list[str] = []
        self.used: set[str] = set()
        self.items: dict[str, list[tuple[tuple, dict[str, Any]] | None]] = {}

    def fail(self, path: tuple, message: str) -> ReplayError:
        return ReplayError(str(self.located.problem(("answers",) + path, message)))

    def warn(self, path: tuple, message: str) -> None:
        if self.strict:
            raise self.fail(path, message + " (--strict)")
        self.warnings.append(str(self.located.problem(("answers",) + path, message)))

    def run(self) -> ReplayResult:
        unknown = [k for k in self.answers if k not in self.session.dialog.questions]
        if unknown:
            raise self.fail((unknown[0],), f"unknown question id '{unknown[0]}'")
        while (step := self.session.current) is not None:
            path, value = self.value_for(step)
            try:
                self.session.answer(value)
            except AnswerError as exc:
                raise self.fail(path, str(exc)) from None
        for key in self.answers:
            if key not in self.used:
                self.warn((key,), f"answer to '{key}' was not used: the dialog did not ask it "
                                  "on this path")
        return ReplayResult(self.session, self.library, self.warnings)

    def value_for(self, step: Step) -> tuple[tuple, Any]:
        qid = step.question.id
        if step.index is None:
            if qid in self.answers:
                self.used.add(qid)
                return (qid,), self.drug_texts(qid) if step.type == "drugs" else self.answers[qid]
            return self.missing((qid,), step, f"no answer for '{qid}'")
        found = self.item_for(qid, step.index)
        if found is None:
            if step.is_confirmation and not self.partial:
                self.warn((qid,), f"'{step.mention}' needs confirmation and has no entry in "
                                  f"'{qid}'; kept as typed, unrecognised")
                return (qid,), KEEP
            return self.missing((qid,), step, f"no entry for '{step.mention}' in '{qid}'")
        path, item = found
        if step.is_confirmation:
            if "confirm" in item:
                return path + ("confirm",), item["confirm"]
            if self.partial:
                raise _Incomplete
            self.warn(path, f"'{step.mention}' needs confirmation (candidates: "
                            + ", ".join(o.value for o in step.options[:-1])
                            + "); kept as typed, unrecognised")
            return path, KEEP
        assert step.follow_up is not None
        name = step.follow_up.id
        if name in item:
            return path + (name,), item[name]
        return self.missing(path, step, f"no '{name}' for '{step.mention}' in '{qid}'")

    def missing(self, path: tuple, step: Step, message: str) -> tuple[tuple, Any]:
        if self.partial:
            raise _Incomplete
        if step.unknown is None:
            raise self.fail(path, f"{message}, and it is required")
        self.warn(path, f"{message}; recorded as unknown")
        return path, UNKNOWN

    def item_for(self, qid: str, index: int) -> tuple[tuple, dict[str, Any]] | None:
        """The replay entry holding the answers about the ``index``-th mention."""
        if qid not in self.items:
            self.items[qid] = self.align(qid)
        return self.items[qid][index]

    def align(self, qid: str) -> list[tuple[tuple, dict[str, Any]] | None]:
        drugs = self.session.answers[StepKey(qid)].value
        value = self.answers[qid]
        if isinstance(value, list):    # one entry per treatment text, matched on its own
            return [((qid, t.source), _as_item(value[t.source])) for t in drugs.mentions]
        items = value.get("treatments") or [] if isinstance(value, dict) else []
        out: list[tuple[tuple, dict[str, Any]] | None] = []
        k = 0
        for typed in drugs.mentions:
            if not asked_about(typed.mention):
                out.append(None)
            elif k < len(items) and items[k]["drug"] == typed.mention.text:
                out.append(((qid, "treatments", k), items[k]))
                k += 1
            else:
                out.append(None)
        for rest in range(k, len(items)):
            self.warn((qid, "treatments", rest),
                      f"treatment '{items[rest]['drug']}' does not match the next drug named in "
                      f"'{qid}' (expected in the order the line names them); not used")
        return out

    def drug_texts(self, qid: str) -> Any:
        """A drugs answer: 'none', 'unknown', a text line, a list of items or texts, or a
        line with its treatments."""
        value = self.answers[qid]
        if isinstance(value, dict):
            return self.typed_line(qid, value)
        if isinstance(value, list):
            texts = []
            for i, item in enumerate(value):
                item = _as_item(item)
                self.check_item(qid, (qid, i), item)
                texts.append(item["drug"])
            return texts if texts else "none"
        if value is None or value is False:
            return "none"
        return value

    def typed_line(self, qid: str, value: dict[str, Any]) -> Any:
        extra = sorted(set(value) - _LINE_KEYS)
        if extra:
            raise self.fail((qid, extra[0]), f"unknown entry '{extra[0]}' (expected: line, "
                                             "treatments)")
        line = value.get("line")
        if not (isinstance(line, str) and line.strip() or isinstance(line, list) and line
                and all(isinstance(t, str) for t in line)):
            raise self.fail((qid,), "'line' needs the treatments as typed (a text)")
        items = value.get("treatments")
        if items is None:
            return line
        if not isinstance(items, list):
            raise self.fail((qid, "treatments"), "'treatments' needs a list")
        for i, item in enumerate(items):
            self.check_item(qid, (qid, "treatments", i), item)
        return line

    def check_item(self, qid: str, path: tuple, item: Any) -> None:
        """One treatment's entry: its ``drug`` text, a confirmation, the question's
        follow-ups, nothing else."""
        if not isinstance(item, dict) or not isinstance(item.get("drug"), str):
            raise self.fail(path, "each treatment needs a 'drug' text")
        known = {"drug", "confirm"} | {f.id for f in self.session.dialog.questions[qid].follow_up}
        extra = sorted(set(item) - known)
        if extra:
            raise self.fail(path + (extra[0],), f"unknown entry '{extra[0]}' (expected: "
                                                + ", ".join(sorted(known)) + ")")


def _as_item(item: Any) -> Any:
    """A treatment of a listed drugs answer: a bare text is its ``drug``."""
    return {"drug": item} if isinstance(item, str) else item

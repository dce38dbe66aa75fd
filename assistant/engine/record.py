"""A consult as data: facts with units and flags, the transcript, and replay-format answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .answers import is_unknown
from .dialog import Dialog
from .drug_answers import DrugList
from .explain import show_reading
from .facts import UNKNOWN, BelowLimit, DrugEntry
from .schema import Lab
from .session import CONFIRM, Session, StepKey, confirm_prompt


def lab_flag(lab: Lab, value: float | BelowLimit, age: float | None) -> str | None:
    """'low' or 'high' against the paediatric reference interval for this age, else None
    (a result below a limit is low only when the limit is at or under the interval)."""
    band = lab.reference_for(age)
    if band is None:
        return None
    if isinstance(value, BelowLimit):
        low = value.limit is not None and band.low is not None and value.limit <= band.low
        return "low" if low else None
    if band.low is not None and value < band.low:
        return "low"
    if band.high is not None and value > band.high:
        return "high"
    return None


def reference_text(lab: Lab, age: float | None) -> str | None:
    band = lab.reference_for(age)
    if band is None:
        return None
    if band.low is not None and band.high is not None:
        return f"{band.low:g}–{band.high:g} {lab.unit}"
    return f"≥ {band.low:g} {lab.unit}" if band.low is not None else f"≤ {band.high:g} {lab.unit}"


def fact_json(dialog: Dialog, qid: str, value: Any, age: float | None) -> Any:
    """One fact as JSON: numbers carry their unit (and flag for labs), sets keep option order."""
    if value is UNKNOWN:
        return "unknown"
    question = dialog.questions[qid]
    if question.type == "number":
        out: dict[str, Any] = ({"below": value.limit} if isinstance(value, BelowLimit)
                               else {"value": value})
        out["unit"] = dialog.measures[qid].unit
        lab = dialog.labs.get(question.lab) if question.lab else None
        if lab is not None:
            out["flag"] = lab_flag(lab, value, age)
            out["reference"] = reference_text(lab, age)
        return out
    if question.type == "multi":
        return [o.value for o in question.options if o.value in value]
    if question.type == "drugs":
        return [_entry_json(e) for e in value]
    return value


def _entry_json(entry: DrugEntry) -> dict[str, Any]:
    return {"text": entry.text, "drug": entry.drug, "therapy": entry.therapy,
            "class": entry.drug_class, "status": entry.status, "response": entry.response,
            "side_effects": entry.side_effects, "current": entry.current,
            "exposure": entry.exposure.to_json(),
            "dose": entry.dose.to_json() if entry.dose is not None else None}


def known_age(facts: Mapping[str, Any]) -> float | None:
    """The child's age in years, when it was given (it sets the lab reference ranges)."""
    age = facts.get("age_years")
    return age if isinstance(age, float) else None


def facts_json(session: Session) -> dict[str, Any]:
    facts = session.facts
    age = known_age(facts)
    return {qid: fact_json(session.dialog, qid, value, age) for qid, value in facts.items()}


def transcript_json(session: Session) -> list[dict[str, Any]]:
    return [{"id": str(step.key), "section": step.section.id, "question": step.prompt,
             "answer": answer.shown} for step, answer in session.steps()]


def replay_answers(session: Session) -> dict[str, Any]:
    """The session's answers in replay-file format (replaying them rebuilds the session)."""
    out: dict[str, Any] = {}
    for step, answer in session.steps():
        if step.index is not None:
            continue
        qid = step.key.question
        out[qid] = _drug_items(session, qid, answer) if step.type == "drugs" else _plain(answer)
    return out


def replay_yaml(session: Session) -> str:
    """The session as a replay file (YAML text): ``triage replay`` rebuilds it, every text
    exactly (a text holding a line break or control character is written double-quoted,
    with escapes: PyYAML folds NEL and U+2028 inside single quotes)."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        awkward = any(ch in "\r\n\x85\u2028\u2029" or (ord(ch) < 32 and ch != "\t")
                      or 0x7f <= ord(ch) < 0xa0 for ch in value)
        return dumper.represent_scalar("tag:yaml.org,2002:str", value,
                                       style='"' if awkward else None)

    Dumper.add_representer(str, text)
    return yaml.dump({"dialog": session.dialog.id, "answers": replay_answers(session)},
                     Dumper=Dumper, sort_keys=False, allow_unicode=True)


def _drug_items(session: Session, qid: str, answer: Any) -> Any:
    """A drugs answer as typed (a line, or the texts of a list), with the answers about
    each treatment named in it: ``{line, treatments: [{drug, confirm, response ...}]}``."""
    if answer.value is UNKNOWN:
        return _unknown(answer)
    drugs: DrugList = answer.value
    line: Any = drugs.texts[0] if len(drugs.texts) == 1 else list(drugs.texts)
    items: dict[int, dict[str, Any]] = {}
    for step, given in session.steps():
        key = step.key
        if key.question == qid and key.index is not None and key.part is not None:
            item = items.setdefault(key.index, {"drug": drugs.mentions[key.index].mention.text})
            item[key.part] = _plain(given)
    if not items:
        return line
    return {"line": line, "treatments": [items[i] for i in sorted(items)]}


def _unknown(answer: Any) -> str:
    """An unknown answer as typed ('NA', 'not known'), or 'unknown' when it was chosen."""
    return answer.raw if isinstance(answer.raw, str) and is_unknown(answer.raw) else "unknown"


def _plain(answer: Any) -> Any:
    value = answer.value
    if value is UNKNOWN:
        return _unknown(answer)
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, (float, BelowLimit)) and isinstance(answer.raw, str):
        return answer.raw.strip()
    return value


@dataclass(frozen=True)
class AnswerRow:
    """One answer as a reader sees it: the question, the answer as typed, a lab flag, what a
    treatment line was read as, staleness."""

    key: StepKey
    prompt: str
    label: str                   # the question's short name ("Age"), for answer lists
    answer: str
    flag: str | None = None      # "high (reference 0.6–1.2 mg/dL)"
    stale: bool = False
    reading: str | None = None   # a drugs answer: "taken: …; not given: …"


def answer_rows(session: Session) -> list[AnswerRow]:
    """The answers on the path in order (labs outside the reference range flagged, drug
    lines with what they were read as), then the answers that no longer apply after an
    earlier answer changed."""
    facts = session.facts
    age = known_age(facts)
    rows = []
    for step, answer in session.steps():
        flag = (_flag_text(session.dialog, step.key.question, facts.get(step.key.question), age)
                if step.index is None else None)
        label = (step.question.label or step.prompt) if step.index is None else step.prompt
        rows.append(AnswerRow(step.key, step.prompt, label, answer.shown, flag,
                              reading=drug_reading(session, step.key)))
    for key in session.stale:
        answer = session.answers[key]
        prompt = _stale_prompt(session, key, answer.mention)
        short = session.dialog.questions[key.question].label if key.index is None else None
        rows.append(AnswerRow(key, prompt, short or prompt, answer.shown, stale=True))
    return rows


def _flag_text(dialog: Dialog, qid: str, value: Any, age: float | None) -> str | None:
    """"high (reference 0.6–1.2 mg/dL)" for a lab outside its reference range, else None."""
    question = dialog.questions[qid]
    lab = dialog.labs.get(question.lab) if question.lab else None
    if lab is None or not isinstance(value, (float, BelowLimit)):
        return None
    flag = lab_flag(lab, value, age)
    return f"{flag} (reference {reference_text(lab, age)})" if flag else None


def _stale_prompt(session: Session, key: StepKey, mention: str | None) -> str:
    """The question a stale answer answered, worded as it was asked."""
    question = session.dialog.questions[key.question]
    if key.part is None:
        return question.prompt
    if key.part == CONFIRM:
        return confirm_prompt(mention or "")
    follow = next(f for f in question.follow_up if f.id == key.part)
    return follow.prompt.replace("{drug}", mention or "")


def drug_reading(session: Session, key: StepKey) -> str | None:
    """What the drugs answer under ``key`` was read as (None for any other answer)."""
    if key.index is not None or session.dialog.questions[key.question].type != "drugs":
        return None
    entries = session.drug_entries(key.question)
    return show_reading(entries, session.dialog) if entries is not None else None

"""Everything the engine needs, loaded and cross-checked once: knowledge plus a dialog."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .dialog import Dialog, condition_problems, dialog_path, load_dialog
from .errors import LoadError, Problem
from .knowledge import Knowledge, default_root, load_knowledge
from .session import Session


@dataclass(frozen=True)
class Library:
    knowledge: Knowledge
    dialog: Dialog

    def new_session(self) -> Session:
        return Session(self.dialog, self.match)

    def match(self, text: str) -> Sequence[Any]:
        """Drug mentions in ``text``, matched against this library's lexicon."""
        from .matching import match_drugs

        return match_drugs(text, self.knowledge.lexicon)


def load(root: Path | None = None, dialog: str | Path | None = None) -> Library:
    """Load the knowledge base and a dialog (default: ``dialogs/triage.yaml``).

    Raises LoadError naming every problem (file, line, field) in either.
    """
    root = root or default_root()
    knowledge = load_knowledge(root)
    path = Path(dialog) if isinstance(dialog, Path) else dialog_path(root, dialog)
    loaded = load_dialog(path, knowledge.labs, root)
    problems = _cross_problems(knowledge, loaded)
    if problems:
        raise LoadError(problems)
    return Library(knowledge, loaded)


@cache
def default_library() -> Library:
    """The built-in knowledge and triage dialog, loaded once per process."""
    return load()


def _cross_problems(knowledge: Knowledge, dialog: Dialog) -> list[Problem]:
    """Knowledge that reads facts must name questions (and options) the dialog has."""
    out: list[Problem] = []
    for therapy in knowledge.therapies.values():
        file, line = knowledge.origins[("therapy", therapy.id)]
        for i, caution in enumerate(therapy.cautions):
            if caution.when is not None:
                for message in condition_problems(caution.when, dialog.questions):
                    out.append(Problem(file, line, f"{therapy.id}.cautions[{i}].when", message))
    for table, key, cond in knowledge.rules.conditions():
        file, line = knowledge.origins[(table, key)]
        for message in condition_problems(cond, dialog.questions):
            out.append(Problem(file, line, f"{key}.when", message))
    for case in knowledge.cases.values():
        file, line = knowledge.origins[("case", case.id)]
        for key in case.answers:
            if key not in dialog.questions:
                out.append(Problem(file, line, f"{case.id}.answers.{key}", f"unknown question '{key}'"))
    return out

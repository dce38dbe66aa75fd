"""Everything the engine needs, loaded and cross-checked once: knowledge plus a dialog."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .dialog import Dialog, condition_problems, dialog_path, load_dialog
from .errors import LoadError, Problem
from .explain import Vocabulary
from .knowledge import Knowledge, default_root, load_knowledge
from .session import Session

if TYPE_CHECKING:
    from .matching import Matcher


@dataclass(frozen=True)
class KnowledgeVersion:
    """Which knowledge produced a result: a content hash of the knowledge and dialog files,
    and the newest review date among the files of clinical logic."""

    hash: str
    date: str            # ISO date

    def to_json(self) -> dict[str, str]:
        return {"version": self.hash, "date": self.date}


@dataclass(frozen=True)
class Library:
    knowledge: Knowledge
    dialog: Dialog

    @cached_property
    def version(self) -> KnowledgeVersion:
        reviewed = max(r.reviewed for r in self.knowledge.reviews.values())
        return KnowledgeVersion(_content_hash(self.knowledge.root), reviewed.isoformat())

    @property
    def app_version(self) -> str:
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("calcinosis-triage")
        except PackageNotFoundError:
            return "unknown"

    @cached_property
    def vocabulary(self) -> Vocabulary:
        """Labels of questions and derived facts, for explanations."""
        pathway = self.knowledge.pathway
        titles = {c.id: c.title for c in pathway.computed}
        titles.update({s.id: s.title for s in pathway.stages})
        return Vocabulary(self.dialog, pathway.derived(), titles)

    def new_session(self) -> Session:
        return Session(self.dialog, self.matcher)

    @cached_property
    def matcher(self) -> Matcher:
        """The drug matcher for this library's lexicon, treatment words and other-drug list
        (built on first use)."""
        from .matching import Matcher
        from .treatment_words import Vocabulary as Words

        return Matcher(self.knowledge.lexicon, Words(self.knowledge.words),
                       self.knowledge.root / "knowledge" / "other_drugs.txt")


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
    """Knowledge that reads facts must name questions (and options) the dialog has. (Cases,
    read on first use, are replayed strictly by ``triage check``.)"""
    out: list[Problem] = []
    for table, key, field, cond in knowledge.conditions():
        origin = knowledge.origins[(table, key)]
        out += [origin.problem(key, field, message)
                for message in condition_problems(cond, dialog.questions)]
    return out


def _content_hash(root: Path) -> str:
    """A short content hash of the knowledge and dialog files, so that a consult can be
    traced to the knowledge that produced it."""
    import hashlib

    digest = hashlib.sha256()
    for folder in ("knowledge", "dialogs"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]

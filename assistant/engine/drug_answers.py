"""The value of a drugs answer: what was typed, and the mentions the matcher found in it.

A drugs question is answered with one line ("pred 2 mg/kg then MTX, no IVIG") or, from a
replay file, a list of texts (one per treatment); each mention remembers which text it
was found in, so that nothing typed is lost and a replay file can be written back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .matching import Mention


@dataclass(frozen=True)
class TypedMention:
    """A mention and the typed text it was found in."""

    source: int          # index into DrugList.texts
    mention: Mention


@dataclass(frozen=True)
class DrugList:
    """A drugs answer: the texts as typed, verbatim, and every mention found in them."""

    texts: tuple[str, ...]
    mentions: tuple[TypedMention, ...]


def asked_about(mention: Mention) -> bool:
    """Does the consult ask anything about this mention? A look-alike is confirmed whatever
    its exposure; a drug taken gets the follow-up questions; nothing else is asked."""
    return mention.status == "confirm" or mention.exposure.kind == "taken"

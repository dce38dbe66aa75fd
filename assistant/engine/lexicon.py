"""Typed shape of the drug lexicon (``knowledge/drugs.yaml``)."""

from __future__ import annotations

from typing import Literal

import msgspec

from .dose import Route
from .schema import Strict

Market = Literal["us", "uk_eu", "fr_ma", "middle_east", "other"]


class Brand(Strict, kw_only=True, frozen=True):
    name: str
    markets: tuple[Market, ...]
    confirmed: bool = False


class Drug(Strict, kw_only=True, frozen=True):
    name: str                                   # canonical generic name, lower case
    therapy: str | None = None                  # knowledge therapy id it belongs to
    drug_class: str = msgspec.field(name="class")
    use: str                                    # shown when asking "did you mean ...?"
    spellings: tuple[str, ...] = ()             # INN/USAN/BAN, accented, FR/ES/IT spellings
    abbreviations: tuple[str, ...] = ()
    brands: tuple[Brand, ...] = ()
    look_alikes: tuple[str, ...] = ()           # names never to cross by fuzziness
    # therapy id when the mention names this route ("topical STS"); default is `therapy`;
    # None: the knowledge base has no therapy for that route ("diltiazem 2% cream")
    route_therapies: dict[Route, str | None] = msgspec.field(default_factory=dict)
    refs: tuple[str, ...] = ()


class DrugClass(Strict, kw_only=True, frozen=True):
    id: str
    name: str
    aliases: tuple[str, ...]
    members: tuple[str, ...]                    # drug names in this lexicon


class Lexicon(Strict, kw_only=True, frozen=True):
    drugs: tuple[Drug, ...]
    classes: tuple[DrugClass, ...] = ()

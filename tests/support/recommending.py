"""Helpers for the triage and pathway tests: a recommendation from answers or a seed replay."""

from __future__ import annotations

from typing import Any

from assistant.engine.library import Library
from assistant.engine.recommend import Option, Recommendation
from assistant.engine.replay import replay, replay_data

from .answers import base
from .files import REPLAYS


def from_answers(library: Library, **changes: Any) -> Recommendation:
    return replay_data(base(**changes), library=library).recommendation()


def from_seed(library: Library, case: str) -> Recommendation:
    return replay(REPLAYS / f"{case}.yaml", library=library).recommendation()


def option(rec: Recommendation, therapy: str) -> Option:
    return next(o for o in rec.ranking + rec.excluded if o.therapy.id == therapy)


def ranked_ids(rec: Recommendation) -> list[str]:
    return [o.therapy.id for o in rec.ranking]


def caution_ids(rec: Recommendation, therapy: str) -> set[str]:
    o = option(rec, therapy)
    return {n.id for n in o.cautions + o.excluded}


def excluded_ids(rec: Recommendation) -> set[str]:
    return {o.therapy.id for o in rec.excluded}

"""calcinosis-triage: offline triage assistant for calcinosis in juvenile dermatomyositis.

Decision support for clinicians, not a prescription.

The public Python API is imported lazily so that ``import assistant`` stays cheap:
``load``, ``replay``, ``match_drugs``, ``recommend``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["load", "match_drugs", "recommend", "replay"]

_API = {
    "load": ("assistant.engine.library", "load"),
    "replay": ("assistant.engine.replay", "replay"),
    "match_drugs": ("assistant.engine.matching", "match_drugs"),
    "recommend": ("assistant.engine.recommend", "recommend"),
}


def __getattr__(name: str) -> Any:
    if name not in _API:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    from importlib import import_module

    module, attr = _API[name]
    value = getattr(import_module(module), attr)
    globals()[name] = value
    return value

"""The names the fuzzy tier compares a typed key with, arranged so that a lookup is cheap
and still exact above the scores that decide anything.

Scores are rapidfuzz ``fuzz.ratio`` (0..100) on compact keys. The curated lexicon (a few
thousand keys) is always scored in full from ``LEXICON_CUTOFF``. The other-drug list
(tens of thousands of keys) is scored only from a cutoff the caller states; since
``ratio = 200 * common / (len(a) + len(b))`` and ``common <= min(len(a), len(b))``, a
key can only reach a cutoff ``c`` if its length lies within ``len * c / (200 - c)`` and
``len * (200 - c) / c``: other keys are kept sorted by length and only that window is
scored. Nothing that scores at or above the cutoff is ever skipped.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

LEXICON_CUTOFF = 70.0


@dataclass(frozen=True)
class Entry:
    """What a key names: a lexicon drug, a class, or an other drug (canonical name)."""

    kind: Literal["drug", "class", "other"]
    target: str           # drug name, class id, or other canonical name
    name: str             # the name as written in the source
    exact_only: bool = False


Hit = tuple[float, tuple[Entry, ...]]   # a score and what the scored key names


@dataclass
class Others:
    """Real drugs outside the calcinosis lexicon (``knowledge/other_drugs.txt``)."""

    index: dict[str, tuple[str, ...]] = field(default_factory=dict)   # key -> canonicals
    keys_of: dict[str, list[str]] = field(default_factory=dict)       # canonical -> keys


def load_others(path: Path, lexicon: dict[str, list[Entry]]) -> Others:
    """Read ``canonical<TAB>key<TAB>key...`` lines ('#' comments); keys of the lexicon are
    left to the lexicon. A missing file gives an empty list."""
    others = Others()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return others
    index, keys_of = others.index, others.keys_of
    get = index.get
    for line in text.splitlines():
        if not line or line[0] == "#":
            continue
        canonical, _, rest = line.partition("\t")
        keys = rest.split("\t")
        keys_of[canonical] = keys
        one = (canonical,)
        for k in keys:
            earlier = get(k)
            index[k] = one if earlier is None else earlier + one
    for k in lexicon:
        index.pop(k, None)
    return others


class Pools:
    """Lexicon keys, and other-drug keys sorted by length, ready for rapidfuzz."""

    def __init__(self, lexicon: dict[str, list[Entry]], others: Others, min_len: int):
        self.lexicon_keys: list[str] = []
        self.lexicon_entries: list[tuple[Entry, ...]] = []
        for k, es in lexicon.items():
            usable = tuple(e for e in es if not e.exact_only)
            if usable and len(k) >= min_len:
                self.lexicon_keys.append(k)
                self.lexicon_entries.append(usable)
        keys = sorted((k for k in others.index if len(k) >= min_len), key=len)
        self.other_keys = keys
        self.other_lengths = list(map(len, keys))
        self.other_canonicals = list(map(others.index.__getitem__, keys))
        self.keys_of = others.keys_of

    def lexicon_hits(self, k: str) -> list[Hit]:
        from rapidfuzz import fuzz, process

        return [(float(s), self.lexicon_entries[i]) for _, s, i in
                process.extract(k, self.lexicon_keys, scorer=fuzz.ratio, limit=None,
                                score_cutoff=LEXICON_CUTOFF)]

    def other_hits(self, k: str, cutoff: float) -> list[Hit]:
        """Every other-drug key scoring ``cutoff`` or more (each as its canonical drugs)."""
        from rapidfuzz import fuzz, process

        n = len(k)
        lo = bisect_left(self.other_lengths, math.ceil(n * cutoff / (200 - cutoff) - 1e-9))
        hi = bisect_right(self.other_lengths, math.floor(n * (200 - cutoff) / cutoff + 1e-9))
        window = self.other_keys[lo:hi]
        return [(float(s), tuple(Entry("other", c, c) for c in self.other_canonicals[lo + i]))
                for _, s, i in process.extract(k, window, scorer=fuzz.ratio, limit=None,
                                               score_cutoff=cutoff)]

    def other_concept(self, k: str, canonical: str) -> float:
        """The best score of one other drug's keys (a declared look-alike), 0 if none."""
        from rapidfuzz import fuzz

        return max((fuzz.ratio(k, name) for name in self.keys_of.get(canonical, ())),
                   default=0.0)

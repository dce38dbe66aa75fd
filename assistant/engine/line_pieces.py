"""A typed treatment line cut into pieces (words and numbers) and separators.

Letters are split from digits ("MTX15mg" -> MTX | 15mg, "10mgMTX" -> 10 | mg | MTX) unless
the word is a dose or code as a whole ("15mg", "q4w", "x3"), a
word is split at inner hyphens ("post-IVIG" -> post | IVIG) and after a French or Italian
elision ("d'IVIG" -> d' | IVIG), zero-width and bidirectional controls are skipped, and a
word in any script is a piece (Arabic, Cyrillic ...). A name typed in several pieces
("Solu-Medrol", "Kenalog-40", "6-MP") is found again by joining the pieces' keys.

With a ``known`` test (is this key a name of the lexicon?), a piece glued to a count or a
route is split when what is left is a name and the whole is not: "IVMPx3" -> IVMP | x | 3,
"IVCYC" -> IV | CYC, "والميثوتريكسات" -> وال | ميثوتريكسات.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from .textkey import INVISIBLE, fold, key, key_of_folded

SepKind = Literal["break", "colon", "join"]


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of letters or of digits, as typed."""

    text: str
    start: int
    end: int
    folded: str
    key: str
    word: int          # pieces typed as one word (no space or separator between) share it
    number: bool


@dataclass(frozen=True, slots=True)
class Sep:
    """Punctuation between pieces: a clause break (``, ; . ( )`` ...), a colon, or a join."""

    start: int
    end: int
    kind: SepKind


_UNIT_AFTER_SLASH = (r"(?:kg|m2|m²|1[.,]73|j|d|day|jour|wk|week|sem|semaine|semana|d[ií]a|mo|month"
                     r"|mois|mes|h|dose|ml|l|dl|كغ|كجم|م2|يوم|أسبوع|اسبوع|شهر)")
_INVIS = re.escape(INVISIBLE)
_LINE = re.compile(
    rf"(?P<skip>[\s{_INVIS}]+)"
    r"|(?P<esc>\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])?)"
    r"|(?P<whole>al\s*\(\s*oh\s*\)\s*[3₃]"                     # Al(OH)3 keeps its brackets
    r"|(?:d/c(?:'?d|ed)?|w/o|n/a|s/p|h/o|c/o|s/c|i/v|i/m|p/o|w/)(?![\w/]))"  # d/c'd: one piece
    rf"|(?P<word>[^\W_](?:[^\W_]|[{_INVIS}]|['’](?=[^\W\d_])|[-.](?=[^\W_])"
    r"|,(?<=\d,)(?=\d)|%(?<=\d%)|–(?<=\d–)(?=\d)"               # 0,5 2% 1–2: one word
    rf"|/(?={_UNIT_AFTER_SLASH}\b|\d))*)"                       # 2mg/kg/day is one word
    r"|(?P<sep>[^\w\s])",
    re.IGNORECASE,
)
_BREAKS = frozenset(",;.()[]{}!?|\n\r،؛؟—–…")
_PIECE = re.compile(rf"\d+(?:[.,]\d+)*|[^\W\d_](?:[^\W\d_]|[{_INVIS}]|['’](?=[^\W\d_])"
                    r"|\.(?=[^\W\d_]))*")
_ELISION = re.compile(r"(?i)(?:qu|dell|dall|nell|sull|all|[dlnsjmtc])['’](?=[^\W\d_])")
# glued before a name: a route or unit ("IVCYC", "10mgMTX"); Arabic "and", "the", "with the"
PREFIXES = ("iv", "po", "sc", "im", "il", "mcg", "mg", "ml", "iu", "ui",
            "وال", "بال", "لل", "فال", "ال", "و", "ب", "ل")

_PREFIXES_BY_LETTER = {c: tuple(p for p in PREFIXES if p[0] == c) for c in {p[0] for p in PREFIXES}}

Item = Piece | Sep

# a dose, count or code typed as one word stays one piece: 15mg, 2mg/kg/d, x3, 25%, q4w, 1st
NUMBERISH = re.compile(
    r"^(?:x?\d[\d.,]*(?:x|%|[a-z]{0,3})(?:/[a-z0-9²]+)*"
    r"|[qdjws]\d+[a-z]?"
    r"|\d+(?:st|nd|rd|th|e|er|eme))$")


def split(text: str, known: Callable[[str], bool] | None = None) -> list[Item]:
    """Pieces and separators of ``text``, in order, with offsets into ``text``."""
    out: list[Item] = []
    word = 0
    last_word: re.Match[str] | None = None
    for m in _LINE.finditer(text):
        kind = m.lastgroup
        if kind == "skip":
            continue
        if kind == "sep" and m.group() == "." and last_word is not None \
                and last_word.end() == m.start() \
                and ("." in last_word.group() or len(last_word.group()) == 1):
            continue     # the dot of an abbreviation: "H.P. Acthar", "i.v."
        last_word = m if kind in ("word", "whole") else None
        if kind in ("word", "whole"):
            word += 1
            if kind == "whole":
                out.append(_piece(m.group(), m.start(), word, False))
            else:
                _word_pieces(m.group(), m.start(), word, out)
        elif kind == "esc":
            out.append(Sep(m.start(), m.end(), "join"))
        else:
            char = m.group()
            sep: SepKind = ("colon" if char == ":" else
                            "break" if char in _BREAKS or char == "-" else "join")
            out.append(Sep(m.start(), m.end(), sep))
    return _split_glued(out, known) if known is not None else out


_PLAIN = re.compile(r"[^\W\d_]+(?: [^\W\d_]+)*")


def words(text: str) -> tuple[str, ...]:
    """The piece keys of a phrase ("pas d'" -> ("pas", "d"), "d/c'd" -> ("dcd",))."""
    if _PLAIN.fullmatch(text):        # letters and single spaces: one piece a word
        return tuple(key(w) for w in text.split(" "))
    return tuple(p.key for p in split(text) if isinstance(p, Piece) and p.key)


_RUNS = re.compile(r"\d+|[^\W\d_]+")


def count(text: str) -> int:
    """How many pieces a name is cut into, at most (runs of letters or of digits)."""
    return len(_RUNS.findall(text))


def _word_pieces(text: str, offset: int, word: int, out: list[Item]) -> None:
    if NUMBERISH.match(fold(text)):
        out.append(_piece(text, offset, word, True))
        return
    for m in _PIECE.finditer(text):
        s, e = m.start(), m.end()
        elision = _ELISION.match(text, s, e)
        if elision is not None:
            out.append(_piece(text[s:elision.end()], offset + s, word, False))
            s = elision.end()
        out.append(_piece(text[s:e], offset + s, word, text[s].isdigit()))


def _piece(text: str, start: int, word: int, number: bool) -> Piece:
    folded = fold(text)
    return Piece(text, start, start + len(text), folded, key_of_folded(folded), word, number)


def _split_glued(items: list[Item], known: Callable[[str], bool]) -> list[Item]:
    out: list[Item] = []
    for i, item in enumerate(items):
        if not isinstance(item, Piece) or item.number or not item.key or known(item.key):
            out.append(item)
            continue
        following = items[i + 1] if i + 1 < len(items) else None
        glued_count = (isinstance(following, Piece) and following.number
                       and following.word == item.word)
        if glued_count and item.text[-1] in "xX" and known(key(item.text[:-1])):
            out += _cut(item, len(item.text) - 1)
            continue
        out += _prefix_cut(item, known) or [item]
    return out


def _prefix_cut(item: Piece, known: Callable[[str], bool]) -> list[Piece] | None:
    """A route or unit glued before a name typed in capitals ("IVCYC", "10mgMTX"), or an
    Arabic article or conjunction before a name."""
    low = item.text.casefold()
    for prefix in _PREFIXES_BY_LETTER.get(low[:1], ()):
        rest = item.text[len(prefix):]
        if not low.startswith(prefix) or len(rest) < 2 or not known(key(rest)):
            continue
        if prefix.isascii() and not rest.isupper():
            continue
        return _cut(item, len(prefix))
    return None


def _cut(item: Piece, at: int) -> list[Piece]:
    return [_piece(item.text[:at], item.start, item.word, False),
            _piece(item.text[at:], item.start + at, item.word, False)]

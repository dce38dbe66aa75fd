"""Text folded for comparison: the compact key every drug-name lookup uses.

``key("Solu-Médrol") == "solumedrol"``; letters and digits of every script are kept
(Arabic short vowels, tatweel and alef/hamza variants folded, Arabic-Indic digits made
ASCII), so an Arabic or Cyrillic word has a key of its own and is never lost.
"""

from __future__ import annotations

import re
import unicodedata

_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d",
                          "µ": "u", "μ": "u", "’": "'", "‘": "'", "×": "x",
                          # Arabic: alef forms, teh marbuta, alef maqsura, tatweel, digits
                          "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي",
                          "ـ": None,
                          **{chr(0x660 + i): str(i) for i in range(10)},
                          **{chr(0x6F0 + i): str(i) for i in range(10)}})
_NON_KEY = re.compile(r"[\W_]+")
# zero-width and bidirectional controls: invisible, never part of what a word says
INVISIBLE = "\u00ad\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e" \
            "\u2060\u2066\u2067\u2068\u2069\ufeff"


def fold(text: str) -> str:
    """Lower case, accents and invisible controls removed ("Solumédrol" -> "solumedrol")."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL))
    return "".join(ch for ch in text
                   if not unicodedata.combining(ch) and ch not in INVISIBLE).translate(_SPECIAL)


def key(text: str) -> str:
    """Compact key used for every lookup: folded, letters and digits only."""
    return _NON_KEY.sub("", fold(text))


def key_of_folded(folded: str) -> str:
    """``key`` of a text already folded (``key(t) == key_of_folded(fold(t))``)."""
    return _NON_KEY.sub("", folded)

"""What the matcher makes of the drug being typed: the candidates a drug-list input offers.

A suggestion is only ever offered; the front end applies one (replacing the mention's span
with the drug's name) on an explicit keypress. A recognised name is shown as recognised, a
look-alike lists its candidates, and an unrecognised word gets lexicon names it begins.
"""

from __future__ import annotations

from dataclasses import dataclass

from .matching import Matcher, Mention, default_matcher, key, match_drugs

MAX_SUGGESTIONS = 6
MIN_PREFIX = 3


@dataclass(frozen=True)
class Suggestion:
    label: str          # what the dropdown shows
    insert: str | None  # the text that replaces [start, end) when applied; None: nothing to apply
    start: int
    end: int


def suggest(text: str, cursor: int, matcher: Matcher | None = None) -> list[Suggestion]:
    """Suggestions for the mention at ``cursor`` in a drug-list line (may be empty)."""
    mentions = match_drugs(text, matcher)
    mention = _at(mentions, text, cursor)
    if mention is None:
        return []
    s, e = mention.start, mention.end
    if mention.status == "matched":
        name = mention.drug or mention.text
        detail = mention.use or mention.drug_class or ""
        label = f"✓ {mention.text} = {name}" + (f" ({detail})" if detail else "")
        return [Suggestion(label, None if key(name) == key(mention.text) else name, s, e)]
    if mention.status == "confirm":
        return [Suggestion(f"? {c.drug}" + (f" ({c.use or c.drug_class})" if c.use or c.drug_class
                                             else ""), c.drug, s, e)
                for c in mention.candidates]
    begun = _prefixed(mention.text, matcher or default_matcher())
    if begun:
        return [Suggestion(f"… {name}" + (f" = {drug}" if key(name) != key(drug) else ""),
                           name, s, e) for name, drug in begun]
    return [Suggestion(f"✗ '{mention.text}' not recognised: kept as typed and flagged", None, s, e)]


def _at(mentions: list[Mention], text: str, cursor: int) -> Mention | None:
    """The mention under the cursor, or the last one when only spaces follow it."""
    for m in mentions:
        if m.start <= cursor <= m.end:
            return m
    if mentions and not text[mentions[-1].end:cursor].strip():
        return mentions[-1]
    return None


def _prefixed(text: str, matcher: Matcher) -> list[tuple[str, str]]:
    k = key(text)
    if len(k) < MIN_PREFIX:
        return []
    return matcher.names_beginning(k)[:MAX_SUGGESTIONS]

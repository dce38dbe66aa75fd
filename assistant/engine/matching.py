"""Turn a free-text line of prior treatments into drug concepts, safely.

``match_drugs("pred 2mg/kg + MTX 15mg weekly, no IVIG")`` returns one :class:`Mention` per
drug (or class, or unrecognised word) named, in order of appearance. Each mention says
how it was recognised (``status``), whether it was taken (``exposure``) and what dose was
typed next to it (``dose``).

How a line is read
  1. A line that only says "none" / "nil" / "no treatment (so far)" / "aucun" / "لا يوجد"
     names no drug: ``[]``. Any other line keeps every word it has (``says_none``).
  2. The line is cut into pieces (:mod:`line_pieces`: letters apart from digits, "MTX15mg"
     -> MTX 15 mg; zero-width and bidi controls skipped; any script), and the words of
     ``knowledge/treatment_words.yaml`` are found: clause breaks ("then", "puis", ","),
     joins ("and", "+"), exposure cues ("no", "stopped", "لم"), lab values ("calcium
     2.45 mmol/L"), and noise (doses, units, routes, frequencies, filler).
  3. Inside a run of other pieces, the longest run whose compact key (accents folded, case
     and punctuation dropped: "Solu-Médrol" -> "solumedrol") is a known name is taken,
     left to right. Tiers, in order, and only the last is approximate:
       a. the calcinosis lexicon (``knowledge/drugs.yaml``): generic names, spellings,
          abbreviations, brands and class names ("bisphosphonates"), in every language
          it lists (Arabic too);
       b. other real drugs (``knowledge/other_drugs.txt``, loaded lazily the first time a
          word is not in the lexicon), so that "Flomax" is tamsulosin and "metformin"
          is metformin, never a look-alike of ours (a misspelt multi-word lexicon name,
          "H.P. Acthar Gle", is first tried whole, silently-safe fuzzy hits only);
       c. fuzzy matching (rapidfuzz ``fuzz.ratio`` on compact keys, :mod:`fuzzy`) of what
          is left over, the whole stretch first then word by word, against lexicon names
          and other drug names, never against abbreviations.
  4. Words left over that are neither noise nor a drug are kept verbatim as ``unknown``.
  5. Each mention's exposure comes from the cues that reach it (:mod:`exposure`); its
     dose from the dose words next to it (:mod:`dose`). A route or form word refines the
     therapy ("topical STS", "diltiazem 2% cream": ``route_therapies`` in drugs.yaml).

Safety rules of the fuzzy tier (constants below)
  * Silent acceptance ("matched" with a score < 100) needs all of: typed key of at least
    ``MIN_SILENT_LEN`` characters; best concept from the curated lexicon (a fuzzy hit on
    the uncurated other-drug list always asks); score >= ``FLOOR``; a lead of at least
    ``MARGIN`` over the best *different* concept (salts, isomers, plurals of the same
    name do not count) among lexicon names and other drug names alike; and no declared
    look-alike (``look_alikes``, both directions, drug or brand names) scoring
    ``GUARD_LEVEL`` or more.
  * Otherwise the mention is ``confirm`` with its candidates when a lexicon concept scores
    >= ``CONFIRM_FLOOR`` (``SHORT_CONFIRM_FLOOR`` for keys of ``SHORT_KEY`` characters or
    fewer) or an other drug >= ``OTHER_CONFIRM_FLOOR``; below that it is ``unknown``.
  * A name listed under two drugs ("pred", "Dilacor", "CTX", "cyclo") always asks, with
    score 100. Exposure never changes this: "no Cardene?" still asks.
  * An exact name always wins: fuzzy matching only sees words no exact tier recognised.

Cost is bounded whatever the input: at most ``FUZZY_BUDGET`` fuzzy lookups per line
(further unrecognised words are kept as ``unknown`` without one), each lookup scoring
only the other-drug names that can reach the score that decides (:mod:`fuzzy`), and a
lookup already made for a key is remembered.

The module is pure (no I/O besides reading the knowledge files once) and keeps start-up
cheap: rapidfuzz and the other-drug list load only when a word is not in the lexicon.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import accumulate
from pathlib import Path
from typing import Any, Literal, Protocol

from . import dose as doses
from .dose import Dose, Route
from .exposure import TAKEN, Clause, CueAt, Exposure, MentionAt, exposures
from .fuzzy import Entry, Others, Pools, load_others
from .lexicon import Drug, Lexicon
from .line_pieces import NUMBERISH, Piece, Sep, count, split
from .textkey import fold, key
from .treatment_words import Vocabulary

__all__ = ["Candidate", "DrugMatcher", "Matcher", "Mention", "default_matcher", "fold",
           "key", "match_drugs"]

Status = Literal["matched", "confirm", "unknown"]

# --- thresholds (scores are rapidfuzz fuzz.ratio, 0..100, on compact keys) -----------------
FLOOR = 88.0          # silent acceptance needs at least this score ...
MARGIN = 8.0          # ... and this lead over the best different drug
MIN_SILENT_LEN = 5    # shorter typed keys are never accepted silently (ISMP: >= 5 letters)
GUARD_LEVEL = 75.0    # a look-alike scoring this much forces a confirmation
CONFIRM_FLOOR = 80.0  # best score needed to ask "did you mean"; below: unknown
OTHER_CONFIRM_FLOOR = 86.0  # the same when the best is only an other (non-lexicon) drug
SHORT_KEY = 5         # typed keys this short (or shorter) ...
SHORT_CONFIRM_FLOOR = 85.0  # ... need this to ask: one letter added/dropped, not replaced
CANDIDATE_SPREAD = 15.0  # candidates listed: within this many points of the best
MAX_CANDIDATES = 5
MIN_FUZZY_LEN = 4     # shorter keys are never fuzzy-matched (abbreviations are exact only)
MIN_OTHER_FUZZY_LEN = 5  # keys this short are fuzzy-matched against the lexicon only
FUZZY_BUDGET = 16     # fuzzy lookups per line; further unrecognised words stay unknown
MAX_WHOLE_PIECES = 4  # a stretch longer than this is never fuzzy-matched as one name
FUZZY_MEMORY = 4096   # fuzzy lookups remembered per matcher
NONE_LINE_LIMIT = 80  # longer lines are never read as a whole "none" phrase


@dataclass(frozen=True)
class Candidate:
    """One possible drug for a mention."""

    drug: str
    score: float
    drug_class: str | None
    use: str | None
    therapy: str | None
    name: str | None = None       # the lexicon name that scored (brand, spelling ...)

    def to_json(self) -> dict:
        return {"drug": self.drug, "score": round(self.score, 1), "drug_class": self.drug_class,
                "use": self.use, "therapy": self.therapy, "name": self.name}


@dataclass(frozen=True)
class Mention:
    """A piece of the typed line, what it names, whether it was taken, and its dose."""

    text: str
    start: int
    end: int
    status: Status              # how it was recognised: matched, confirm, unknown
    drug: str | None            # canonical generic (lower case) when matched
    drug_class: str | None      # class id: of the drug, or the class the mention names
    therapy: str | None         # knowledge therapy id of the drug, if any
    score: float
    candidates: tuple[Candidate, ...]
    name: str | None = None     # lexicon name matched ("Solu-Medrol"), when matched
    use: str | None = None      # what the drug is for, when matched
    exposure: Exposure = TAKEN  # taken, not taken, planned, allergy (and why)
    dose: Dose | None = None    # the dose typed next to it, when any

    def to_json(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end, "status": self.status,
                "drug": self.drug, "drug_class": self.drug_class, "therapy": self.therapy,
                "score": round(self.score, 1), "name": self.name, "use": self.use,
                "candidates": [c.to_json() for c in self.candidates],
                "exposure": self.exposure.to_json(),
                "dose": self.dose.to_json() if self.dose is not None else None}


class DrugMatcher(Protocol):
    """What a consult needs from a matcher: the mentions of one typed line."""

    def match(self, text: str) -> list[Mention]: ...

    def says_none(self, text: str) -> bool: ...


# --- the compiled lexicon ---------------------------------------------------------------------

class Matcher:
    """A lexicon compiled for matching; build once, use for many lines."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary | None = None,
                 other_path: Path | None = None):
        self.lexicon = lexicon
        self.vocabulary = vocabulary if vocabulary is not None else default_vocabulary()
        self.drugs: dict[str, Drug] = {d.name: d for d in lexicon.drugs}
        self.classes = {c.id: c for c in lexicon.classes}
        self.index: dict[str, list[Entry]] = {}
        for d in lexicon.drugs:
            self._add(d.name, Entry("drug", d.name, d.name))
            for s in d.spellings:
                self._add(s, Entry("drug", d.name, s))
            for b in d.brands:
                self._add(b.name, Entry("drug", d.name, b.name))
            for a in d.abbreviations:
                self._add(a, Entry("drug", d.name, a, exact_only=True))
        for c in lexicon.classes:
            for a in (c.name, *c.aliases):
                self._add(a, Entry("class", c.id, a, exact_only=len(key(a)) < MIN_FUZZY_LEN))
        # look-alike relation between keys (drug names and names listed), both directions
        self.lasa: dict[str, set[str]] = {}
        for d in lexicon.drugs:
            for other in d.look_alikes:
                ks = {key(other)} | {e.target for e in self.index.get(key(other), ())
                                     if e.kind == "drug"}
                for k in ks:
                    self.lasa.setdefault(d.name, set()).add(k)
                    self.lasa.setdefault(k, set()).add(d.name)
        self.max_pieces = max((count(e.name) for es in self.index.values() for e in es),
                              default=1) + 1
        self._other_path = other_path
        self._others: Others | None = None
        self._pools: Pools | None = None
        self._remembered: dict[str, list[tuple[Candidate, Entry]]] = {}
        self._lock = threading.Lock()

    def _add(self, name: str, entry: Entry) -> None:
        k = key(name)
        if not k:
            return
        entries = self.index.setdefault(k, [])
        if all((e.kind, e.target) != (entry.kind, entry.target) for e in entries):
            entries.append(entry)
        elif not entry.exact_only:
            # the same key as a full name is fuzzy-able even if also an abbreviation
            for i, e in enumerate(entries):
                if (e.kind, e.target) == (entry.kind, entry.target) and e.exact_only:
                    entries[i] = entry

    # -- the interface ------------------------------------------------------------------------

    def match(self, text: str) -> list[Mention]:
        """The drugs named in one free-text line, in order; ``[]`` for "none" or no drug."""
        if not text.strip():
            return []
        items = split(text, self.known)     # cut once: for the "none" test and the reading
        if self._says_none(text, items):
            return []
        return _Line(self, text).read(items)

    def says_none(self, text: str) -> bool:
        """Does the whole line say "no treatment" ("none", "nil", "aucun", "لا يوجد")?"""
        return self._says_none(text, split(text) if len(text) <= NONE_LINE_LIMIT else [])

    def _says_none(self, text: str, items: list[Piece | Sep]) -> bool:
        """``says_none`` of a line already cut (with or without ``known``: its pieces' keys
        joined are the same). A "none" is short: a long line is never one."""
        none_lines = self.vocabulary.none_lines
        return key(text) in none_lines or (
            len(text) <= NONE_LINE_LIMIT
            and "".join(p.key for p in items if isinstance(p, Piece)) in none_lines)

    # -- lazily loaded parts ------------------------------------------------------------------

    def other(self) -> Others:
        if self._others is None:
            with self._lock:
                if self._others is None:
                    path = self._other_path
                    if path is None:
                        from .knowledge import default_root
                        path = default_root() / "knowledge" / "other_drugs.txt"
                    self._others = load_others(path, self.index)
        return self._others

    def pools(self) -> Pools:
        """Keys (and what they name) that the fuzzy tier compares against."""
        if self._pools is None:
            others = self.other()
            with self._lock:
                if self._pools is None:
                    self._pools = Pools(self.index, others, MIN_FUZZY_LEN)
        return self._pools

    # -- lookups ----------------------------------------------------------------------------

    def known(self, k: str) -> bool:
        """Is ``k`` a key of the lexicon (a drug, brand, abbreviation or class name)?"""
        return k in self.index

    def candidate(self, entry: Entry, score: float) -> Candidate:
        if entry.kind == "drug":
            d = self.drugs[entry.target]
            return Candidate(d.name, score, d.drug_class, d.use, d.therapy, entry.name)
        if entry.kind == "class":
            c = self.classes[entry.target]
            return Candidate(c.name, score, c.id, None, None, entry.name)
        return Candidate(entry.target, score, "other", None, None, entry.name)

    def exact(self, k: str, with_other: bool) -> list[Entry] | None:
        entries = self.index.get(k)
        if entries:
            drugs = [e for e in entries if e.kind == "drug"]
            return drugs or entries   # a drug name beats a class alias of the same key
        if with_other:
            canon = self.other().index.get(k)
            if canon:
                return [Entry("other", c, c) for c in canon]
        return None

    def fuzzy(self, k: str) -> list[tuple[Candidate, Entry]]:
        """Best candidate per concept for a compact key, best first: every lexicon concept
        from 70, every other drug that could change the decision (from the top score less
        ``MARGIN`` when the top could be accepted silently, else from its confirm floor),
        and the declared look-alikes of the top concept with their own scores."""
        found = self._remembered.get(k)
        if found is None:
            found = self._fuzzy(k)
            if len(self._remembered) >= FUZZY_MEMORY:
                self._remembered.clear()
            self._remembered[k] = found
        return found

    def forget(self) -> None:
        """Drop the remembered fuzzy lookups (a benchmark measures lookups made afresh)."""
        self._remembered.clear()

    def _fuzzy(self, k: str) -> list[tuple[Candidate, Entry]]:
        pools = self.pools()
        best: dict[tuple[str, str], tuple[Candidate, Entry]] = {}

        def add(hits: Iterable[tuple[float, tuple[Entry, ...]]]) -> None:
            for score, entries in hits:
                for e in entries:
                    if e.kind == "other" and len(k) < MIN_OTHER_FUZZY_LEN:
                        continue
                    ident = (e.kind, e.target)
                    if ident not in best or score > best[ident][0].score:
                        best[ident] = (self.candidate(e, score), e)

        add(pools.lexicon_hits(k))
        if len(k) >= MIN_OTHER_FUZZY_LEN:
            other_floor = _confirm_floor(k, "other")
            top = max((c.score for c, _ in best.values()), default=0.0)
            silent = len(k) >= MIN_SILENT_LEN and top >= FLOOR
            cutoff = min(top - MARGIN, other_floor) if silent else other_floor
            add(pools.other_hits(k, cutoff))
        ranked = _ranked(best)
        if ranked:
            top_candidate = ranked[0][0]
            for name in self._look_alike_others(top_candidate):
                score = pools.other_concept(k, name)
                if score >= GUARD_LEVEL:
                    add([(score, (Entry("other", name, name),))])
            ranked = _ranked(best)
        return ranked

    def _look_alike_others(self, c: Candidate) -> list[str]:
        """Other-drug canonicals declared look-alikes of ``c``."""
        targets = set().union(*(self.lasa.get(n, ()) for n in _lasa_names(c)))
        others = self.other()
        out = []
        for t in sorted(targets):
            if t in others.keys_of:
                out.append(t)
            out += [canon for canon in others.index.get(t, ()) if canon not in out]
        return out

    def names_beginning(self, k: str) -> list[tuple[str, str]]:
        """(name, drug) for lexicon drug names whose key starts with ``k`` (and is longer):
        one per drug, its generic name when that fits, else its shortest; shortest first."""
        best: dict[str, str] = {}

        def rank(name: str, drug: str) -> tuple[bool, int, str]:
            return (key(name) != key(drug), len(name), name)

        for name_key, entries in self.index.items():
            if name_key.startswith(k) and name_key != k:
                for e in entries:
                    if e.kind != "drug" or e.exact_only:
                        continue
                    known = best.get(e.target)
                    if known is None or rank(e.name, e.target) < rank(known, e.target):
                        best[e.target] = e.name
        return sorted(((name, drug) for drug, name in best.items()),
                      key=lambda p: (len(p[0]), p[0].lower()))

    def look_alike(self, a: Candidate, b: Candidate) -> bool:
        names_b = _lasa_names(b)
        return any(not self.lasa.get(n, set()).isdisjoint(names_b) for n in _lasa_names(a))


def _lasa_names(c: Candidate) -> tuple[str, str]:
    """What a candidate is called in the look-alike relation: its drug, and the key of the
    name that scored (a brand can be the look-alike)."""
    return c.drug, key(c.name or c.drug)


def _confirm_floor(k: str, kind: str) -> float:
    """The score a typed key needs to ask "did you mean" this kind of name: lexicon names
    from ``CONFIRM_FLOOR`` (higher for short keys), other drugs from a higher one."""
    floor = SHORT_CONFIRM_FLOOR if len(k) <= SHORT_KEY else CONFIRM_FLOOR
    return max(OTHER_CONFIRM_FLOOR, floor) if kind == "other" else floor


def _ranked(best: dict[Any, tuple[Candidate, Entry]]) -> list[tuple[Candidate, Entry]]:
    return sorted(best.values(), key=lambda p: (-p[0].score, p[0].drug))


# --- the default lexicon ------------------------------------------------------------------------

_default: Matcher | None = None
_default_words: Vocabulary | None = None
_default_lock = threading.Lock()


def default_vocabulary() -> Vocabulary:
    global _default_words
    if _default_words is None:
        from .knowledge import load_treatment_words
        _default_words = Vocabulary(load_treatment_words())
    return _default_words


def default_matcher() -> Matcher:
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                from .knowledge import load_lexicon
                _default = Matcher(load_lexicon())
    return _default


def match_drugs(text: str, matcher: Matcher | None = None) -> list[Mention]:
    """The drugs named in one free-text line, in order; ``[]`` for "none" or no drug
    (``matcher``: a library's, ``Library.matcher``; by default the built-in lexicon's)."""
    return (matcher or default_matcher()).match(text)


# --- reading one line ----------------------------------------------------------------------------

Role = Literal["drug", "cue", "join", "break", "colon", "lab"]
_SEP_ROLE: dict[str, Role] = {"break": "break", "colon": "colon", "join": "join"}


@dataclass
class _Tok:
    """A piece of a segment and whether it is noise (dose, filler ...)."""

    piece: Piece
    noise: bool


@dataclass
class _Unit:
    """A classified stretch of the line: drug-candidate pieces, a cue, a join, a break."""

    role: Role
    start: int
    end: int
    toks: list[_Tok] = field(default_factory=list)
    cue: Any = None
    dosey: bool = False


class _Line:
    """One line being read: pieces classified, clauses, segments, mentions."""

    def __init__(self, m: Matcher, text: str):
        self.m, self.text = m, text
        self.voc = m.vocabulary
        self.budget = FUZZY_BUDGET

    def read(self, items: list[Piece | Sep]) -> list[Mention]:
        """The mentions of the line, from its pieces (``split(text, matcher.known)``)."""
        units = self._classify(items)
        clauses = _clauses(units)
        mentions: list[Mention] = []
        placed: list[list[tuple[int, int]]] = []   # per clause: (unit index, mention index)
        for clause in clauses:
            here = []
            for i, seg in _segments(clause):
                for found in self._segment(seg):
                    here.append((i, len(mentions)))
                    mentions.append(found)
            placed.append(here)
        doses = self._doses(clauses, placed, mentions)
        told = exposures(self.text, [_exposure_clause(c, p, mentions)
                                     for c, p in zip(clauses, placed, strict=True)])
        out = []
        for i, mention in enumerate(mentions):
            dose = doses.get(i)
            route: Route | None = dose.route if dose is not None else None
            if route is None:      # "thiosulfate de sodium topique": a route inside the name
                route = self._route_in(mention.text)
            if route is not None:
                mention = _with_route_mention(self.m, mention, route)
            out.append(replace(mention, exposure=told.get(i, TAKEN), dose=dose))
        return out

    # -- classification -------------------------------------------------------------------------

    def _classify(self, items: list[Piece | Sep]) -> list[_Unit]:
        lab = self._lab_pieces(items)
        named = self._named(items)
        units: list[_Unit] = []
        i = 0
        while i < len(items):
            item = items[i]
            if isinstance(item, Sep):
                units.append(_Unit(_SEP_ROLE[item.kind], item.start, item.end))
                i += 1
                continue
            if i in lab:
                units.append(_Unit("lab", item.start, item.end))
                i += 1
                continue
            n, found, cue = (0, None, None) if i in named else self._phrase_at(items, i)
            if found is None:
                units.append(self._drug_unit(item))
                i += 1
                continue
            last = items[i + n - 1]
            if found == "noise":
                phrase = tuple(p.key for p in items[i:i + n])  # type: ignore[union-attr]
                dosey = phrase in self.voc.dose_phrases
                for p in items[i:i + n]:
                    units.append(_Unit("drug", p.start, p.end, [_Tok(p, True)],  # type: ignore[arg-type]
                                       dosey=dosey or self._dosey(p)))  # type: ignore[arg-type]
            else:
                units.append(_Unit(found, item.start, last.end, cue=cue))
            i += n
        return units

    def _phrase_at(self, items: list[Piece | Sep], i: int) -> tuple[int, Any, Any]:
        keys: list[str] = []
        for item in items[i:i + self.voc.longest]:
            if not isinstance(item, Piece):
                break
            keys.append(item.key)
        for n in range(len(keys), 0, -1):
            phrase = tuple(keys[:n])
            cue = self.voc.cues.get(phrase)
            if cue is not None:
                return n, "cue", cue
            if phrase in self.voc.breaks:
                return n, "break", None
            if phrase in self.voc.joins:
                return n, "join", None
            if n > 1 and phrase in self.voc.noise_phrases:
                return n, "noise", None
        return 0, None, None

    def _route_in(self, text: str) -> Route | None:
        routes = self.voc.routes
        return next((routes[(k,)] for k in map(key, text.split()) if (k,) in routes), None)

    def _named(self, items: list[Piece | Sep]) -> set[int]:
        """Indices of pieces inside a lexicon name (longest first, left to right): a name is
        never read as cue, join or break words ("non-steroidal anti-inflammatory drugs",
        "Na2S2O3")."""
        out: set[int] = set()
        i = 0
        while i < len(items):
            keys: list[str] = []
            for item in items[i:i + self.m.max_pieces]:
                if not isinstance(item, Piece):
                    break
                keys.append(item.key)
            hit = next((n for n in range(len(keys), 0, -1)
                        if "".join(keys[:n]) in self.m.index
                        and _whole_words(items, i, i + n, self.voc)), 0)
            if hit:
                out.update(range(i, i + hit))
                i += hit
            else:
                i += 1
        return out

    def _drug_unit(self, p: Piece) -> _Unit:
        noise = _noisy(p, self.voc) and p.key not in self.m.index   # "6MP": a name is never noise
        return _Unit("drug", p.start, p.end, [_Tok(p, noise)], dosey=noise and self._dosey(p))

    def _dosey(self, p: Piece) -> bool:
        """Does this noise piece say something about a dose (number, unit, route, form,
        frequency, count)? Filler ("the", "treatment") does not."""
        k = (p.key,)
        voc = self.voc
        return (p.number or bool(NUMBERISH.match(p.folded)) or p.folded in voc.units
                or k in voc.routes or k in voc.forms or k in voc.intervals or k in voc.as_needed
                or p.key in voc.counts)

    def _lab_pieces(self, items: list[Piece | Sep]) -> set[int]:
        """Indices of the pieces of lab values ("calcium 2.45 mmol/L", "CRP: 45")."""
        out: set[int] = set()
        names = self.voc.lab_names
        i = 0
        while i < len(items):
            keys: list[str] = []
            at: list[int] = []            # item index of each key ("25(OH)D": seps between)
            for j in range(i, min(len(items), i + 2 * self.voc.lab_longest)):
                item = items[j]
                if isinstance(item, Sep):
                    if self.text[item.start:item.end] not in "()-" or not keys:
                        break
                    continue
                keys.append(item.key)
                at.append(j)
            n = next((n for n in range(len(keys), 0, -1) if tuple(keys[:n]) in names), 0)
            if n == 0:
                i += 1
                continue
            end = items[at[n - 1]].end
            m = self._lab_value(end)
            if m is None:
                i += 1
                continue
            j = i
            while j < len(items) and items[j].start < m:
                if isinstance(items[j], Piece):
                    out.add(j)
                j += 1
            i = j
        return out

    def _lab_value(self, at: int) -> int | None:
        """Where a lab value ends when the text after a lab name is a number and a lab
        unit (or a ':'/'=' and a number without a dose unit), else None."""
        m = self.voc.lab_value.match(self.text, at, at + 64)
        return m.end() if m is not None else None

    # -- mentions in one segment --------------------------------------------------------------------

    def _segment(self, seg: list[_Tok]) -> list[Mention]:
        if all(t.noise for t in seg):
            return []
        if key("".join(t.piece.key for t in seg)) in self.voc.none_lines:
            return []
        m, text = self.m, self.text
        covered = [False] * len(seg)
        mentions: list[tuple[int, Mention]] = []
        # tier a: lexicon names, longest first, over the whole segment
        for i, j, entries in _scan(m, seg, range(len(seg)), covered, with_other=False):
            mentions.append((i, _exact_mention(m, text, seg[i:j], entries)))
        for stretch in _stretches(seg, covered):
            core = _trim(seg, stretch)
            if not core:
                continue
            # a misspelt multi-word lexicon name ("H.P. Acthar Gle", "co2 lasar") is tried
            # whole before its words are looked up one by one among other drugs
            if len([x for x in core if not seg[x].noise]) > 1 or core != stretch:
                whole = None
                for part in ([stretch, core] if core != stretch else [core]):
                    whole = self._fuzzy_mention([seg[x] for x in part], silent_only=True)
                    if whole is not None:
                        break
                if whole is not None:
                    mentions.append((stretch[0], whole))
                    continue
            # tier b: other real drugs, exactly
            for i, j, entries in _scan(m, seg, core, covered, with_other=True):
                mentions.append((i, _exact_mention(m, text, seg[i:j], entries)))
            # tier c: fuzzy for what is still left
            for rest in _stretches(seg, covered, within=core):
                rest = _trim(seg, rest)
                if rest:
                    mentions.extend(self._fuzzy_run(seg, rest))
        mentions.sort(key=lambda p: p[0])
        return [mention for _, mention in mentions]

    def _fuzzy_run(self, seg: list[_Tok], run: list[int]) -> list[tuple[int, Mention]]:
        """Mentions for words no exact tier recognised: the whole stretch first (noise words
        inside it included, "thiosulphte de sodium"), then word by word."""
        toks = [seg[x] for x in run]
        whole = self._fuzzy_mention(toks)
        if whole is not None:
            return [(run[0], whole)]
        out: list[tuple[int, Mention]] = []
        pending: list[_Tok] = []
        first = run[0]

        def flush() -> None:
            if pending:
                out.append((first, _unknown(self.text, pending)))
                pending.clear()

        for x in run:
            t = seg[x]
            if t.noise:
                flush()
                continue
            single = self._fuzzy_mention([t]) if len(run) > 1 else None
            if single is None:
                if not pending:
                    first = x
                pending.append(t)
                continue
            flush()
            out.append((x, single))
        flush()
        return out

    def _fuzzy_mention(self, toks: list[_Tok], silent_only: bool = False) -> Mention | None:
        """A fuzzy mention for these words: silent when safe, else confirm, else None.

        Fuzzy hits onto other drugs (the uncurated list) always ask; ``silent_only`` returns
        only a silently accepted lexicon match. Past the line's budget: None."""
        m = self.m
        k = "".join(t.piece.key for t in toks)
        if len(k) < MIN_FUZZY_LEN or len(toks) > MAX_WHOLE_PIECES:
            return None
        if self.budget <= 0:
            return None
        self.budget -= 1
        ranked = m.fuzzy(k)
        eligible = [c for c, e in ranked if c.score >= _confirm_floor(k, e.kind)]
        if not eligible:
            return None
        span, start, end = _span(self.text, toks)
        top, entry = ranked[0]
        # the runner-up is the best *different* concept: a salt or isomer of the same drug
        # ("(r)-warfarin") or a plural of the same name ("immunoglobulins") does not count
        top_key = key(top.drug)
        runner = next((c.score for c, _ in ranked[1:]
                       if top_key not in key(c.drug) and key(c.drug) not in top_key), 0.0)
        guarded = any(m.look_alike(top, c) for c, _ in ranked[1:] if c.score >= GUARD_LEVEL)
        if (len(k) >= MIN_SILENT_LEN and top.score >= FLOOR and top.score - runner >= MARGIN
                and not guarded and entry.kind != "other"):
            return _accepted(span, start, end, entry, top, top.score, (top,))
        if silent_only:
            return None
        first = eligible[0]
        low = max(CONFIRM_FLOOR - 10, first.score - CANDIDATE_SPREAD)
        shown = tuple(c for c, _ in ranked
                      if c in eligible or c.score >= low
                      or (m.look_alike(first, c) and c.score >= GUARD_LEVEL))[:MAX_CANDIDATES]
        return Mention(span, start, end, "confirm", None, None, None, shown[0].score, shown)

    # -- doses ------------------------------------------------------------------------------------------

    def _doses(self, clauses: list[list[_Unit]], placed: list[list[tuple[int, int]]],
               mentions: list[Mention]) -> dict[int, Dose]:
        """The dose words of each mention: the noise pieces after it up to the next
        mention or cue, join or break; before it when it opens its run of pieces; and a
        run of dose words with no drug (and no cue) of its own goes to the drug before it."""
        spans: dict[int, list[tuple[int, int]]] = {}
        ended = 0             # how many mentions end before the run being placed
        for clause, here in zip(clauses, placed, strict=True):
            negated = any(u.role == "cue" for u in clause)   # "pas de bolus": not a dose
            for run in _noise_runs(clause, mentions, here):
                while ended < len(mentions) and mentions[ended].end <= run.start:
                    ended += 1
                owner = run.before if run.before is not None else run.after
                if owner is None and not negated and ended:
                    owner = ended - 1
                if owner is not None and run.dosey:
                    spans.setdefault(owner, []).append((run.start, run.end))
        out = {}
        for index, parts in spans.items():
            parts.sort()
            text = " ".join(self.text[s:e] for s, e in parts)
            out[index] = doses.parse(text, self.voc)
        return out


def _noisy(p: Piece, voc: Vocabulary) -> bool:
    """Is this piece a dose, unit, number or filler word (whatever the lexicon says)?"""
    return not p.key or p.key in voc.noise or bool(NUMBERISH.match(p.folded))


def _whole_words(items: list[Piece | Sep], i: int, j: int, voc: Vocabulary) -> bool:
    """Do pieces ``i:j`` not cut a typed word in the middle (apart from noise glued to it:
    "MTX15mg", "IVCYC")? "bisoprolol-hydrochlorothiazide" is one name, not two."""
    first, last = items[i], items[j - 1]
    before = items[i - 1] if i > 0 else None
    after = items[j] if j < len(items) else None
    return (not (isinstance(before, Piece) and isinstance(first, Piece)
                 and before.word == first.word and not _noisy(before, voc))
            and not (isinstance(after, Piece) and isinstance(last, Piece)
                     and after.word == last.word and not _noisy(after, voc)))


@dataclass
class _Run:
    """Consecutive noise pieces: whose dose words they are."""

    start: int
    end: int
    dosey: bool
    before: int | None     # the mention just before it in its segment (it follows it)
    after: int | None      # the mention it opens (it leads it, in its segment)


def _noise_runs(clause: list[_Unit], mentions: list[Mention],
                here: list[tuple[int, int]]) -> Iterable[_Run]:
    """Runs of noise pieces in a clause, each with the mention it follows or leads."""
    by_unit: dict[int, list[int]] = {}
    for unit_index, mention_index in here:
        by_unit.setdefault(unit_index, []).append(mention_index)
    for seg_start, seg in _segments_units(clause):
        in_seg = [i for u in range(seg_start, seg_start + len(seg)) for i in by_unit.get(u, [])]
        spans = _Spans([(mentions[i].start, mentions[i].end, i) for i in in_seg])
        run: list[_Unit] = []
        for unit in seg:
            if unit.toks and unit.toks[0].noise and not spans.covers(unit.start):
                run.append(unit)
                continue
            if run:
                yield spans.placed(run)
            run = []
        if run:
            yield spans.placed(run)


class _Spans:
    """The mentions of one segment as (start, end, index), looked up by bisection so that a
    long pasted note costs time in proportion to its length. "Before" and "after" follow
    the segment's own order of mentions, as a scan of the list would."""

    def __init__(self, spans: list[tuple[int, int, int]]) -> None:
        self.spans = spans
        by_start = sorted(range(len(spans)), key=lambda j: spans[j][0])
        by_end = sorted(range(len(spans)), key=lambda j: spans[j][1])
        self.starts = [spans[j][0] for j in by_start]
        self.ends = [spans[j][1] for j in by_end]
        # the furthest end among spans starting at or before each start
        self.reach = list(accumulate((spans[j][1] for j in by_start), max))
        # the latest span (in list order) among those ending at or before each end
        self.latest = list(accumulate(by_end, max))
        # the earliest span (in list order) among those starting at or after each start
        self.earliest = list(accumulate(reversed(by_start), min))[::-1]

    def covers(self, at: int) -> bool:
        """Whether a mention spans the position ``at``."""
        k = bisect_right(self.starts, at)
        return k > 0 and self.reach[k - 1] > at

    def placed(self, run: list[_Unit]) -> _Run:
        """A run of noise units and the mention it follows, or else the one it leads."""
        s, e = run[0].start, run[-1].end
        before = after = None
        k = bisect_right(self.ends, s)
        if k:
            before = self.spans[self.latest[k - 1]][2]
        else:
            k = bisect_left(self.starts, e)
            after = self.spans[self.earliest[k]][2] if k < len(self.spans) else None
        return _Run(s, e, any(u.dosey for u in run), before, after)


def _clauses(units: list[_Unit]) -> list[list[_Unit]]:
    """Units grouped into clauses (a colon ends one too; the clause keeps it, last)."""
    out: list[list[_Unit]] = [[]]
    for unit in units:
        if unit.role == "break":
            out.append([])
        elif unit.role == "colon":
            out[-1].append(unit)
            out.append([])
        else:
            out[-1].append(unit)
    return out


def _segments_units(clause: list[_Unit]) -> Iterable[tuple[int, list[_Unit]]]:
    """Runs of drug-candidate units of a clause (cut at cues, joins, labs), with the index
    of their first unit."""
    run: list[_Unit] = []
    start = 0
    for i, unit in enumerate(clause):
        if unit.role == "drug":
            if not run:
                start = i
            run.append(unit)
        else:
            if run:
                yield start, run
            run = []
    if run:
        yield start, run


def _segments(clause: list[_Unit]) -> Iterable[tuple[int, list[_Tok]]]:
    for start, run in _segments_units(clause):
        yield start, [t for u in run for t in u.toks]


def _exposure_clause(clause: list[_Unit], here: list[tuple[int, int]],
                     mentions: list[Mention]) -> Clause:
    events: list[CueAt | MentionAt] = []
    for i, u in enumerate(clause):
        if u.role != "cue":
            continue
        if u.cue.looks == "ahead":     # "pas de bolus" is about the bolus
            alone = not any(v.role == "drug" for v in clause[i + 1:])
        else:                          # "(stopped due to rash)": filler before it is nothing
            alone = not any(v.role == "drug" and not v.toks[0].noise for v in clause[:i])
        events.append(CueAt(u.cue, u.start, u.end, alone))
    events += [MentionAt(i, mentions[i].start, mentions[i].end) for _, i in here]
    events.sort(key=lambda e: e.start)
    return Clause(events, colon=bool(clause) and clause[-1].role == "colon")


# --- exact tiers -------------------------------------------------------------------------------------

def _scan(m: Matcher, seg: list[_Tok], idxs: Iterable[int], covered: list[bool],
          with_other: bool) -> list[tuple[int, int, list[Entry]]]:
    """Exact names among the uncovered words ``idxs`` (contiguous), longest first."""
    idxs = list(idxs)
    if not idxs:
        return []
    lo, hi = idxs[0], idxs[-1] + 1
    found = []
    i = lo
    while i < hi:
        hit = None
        if not covered[i]:
            # the keys of seg[i:j] for every j, built once; stop at a covered word
            joined, ends, k, any_word = [], [], "", False
            for j in range(i, min(hi, i + m.max_pieces)):
                if covered[j]:
                    break
                k += seg[j].piece.key
                any_word = any_word or not seg[j].noise
                joined.append((k, any_word))
                ends.append(j + 1)
            for (k, any_word), j in zip(reversed(joined), reversed(ends), strict=True):
                if not any_word or not k:
                    continue
                if with_other and (seg[i].noise or seg[j - 1].noise):
                    continue
                if not _edges_ok(seg, i, j):
                    continue
                entries = m.exact(k, with_other)
                if entries:
                    hit = (i, j, entries)
                    break
        if hit:
            found.append(hit)
            for x in range(hit[0], hit[1]):
                covered[x] = True
            i = hit[1]
        else:
            i += 1
    return found


def _edges_ok(seg: list[_Tok], i: int, j: int) -> bool:
    """A name found in a segment does not start or end inside a typed word, unless what
    it leaves of the word is noise ("MTX15mg")."""
    if i > 0 and seg[i - 1].piece.word == seg[i].piece.word and not seg[i - 1].noise:
        return False
    return not (j < len(seg) and seg[j].piece.word == seg[j - 1].piece.word
                and not seg[j].noise)


def _stretches(seg: list[_Tok], covered: list[bool],
               within: list[int] | None = None) -> list[list[int]]:
    """Maximal runs of uncovered words (inside ``within`` when given)."""
    idxs = within if within is not None else range(len(seg))
    out: list[list[int]] = []
    for x in idxs:
        if covered[x]:
            continue
        if out and out[-1][-1] == x - 1:
            out[-1].append(x)
        else:
            out.append([x])
    return out


def _trim(seg: list[_Tok], run: list[int]) -> list[int]:
    lo, hi = 0, len(run)
    while lo < hi and seg[run[lo]].noise:
        lo += 1
    while hi > lo and seg[run[hi - 1]].noise:
        hi -= 1
    return run[lo:hi]


def _span(text: str, toks: list[_Tok]) -> tuple[str, int, int]:
    start, end = toks[0].piece.start, toks[-1].piece.end
    return text[start:end], start, end


def _exact_mention(m: Matcher, text: str, toks: list[_Tok], entries: list[Entry]) -> Mention:
    span, start, end = _span(text, toks)
    cands = tuple(m.candidate(e, 100.0) for e in entries)
    if len(entries) > 1:
        return Mention(span, start, end, "confirm", None, None, None, 100.0, cands)
    return _accepted(span, start, end, entries[0], cands[0], 100.0, cands)


def _accepted(span: str, start: int, end: int, entry: Entry, cand: Candidate,
              score: float, cands: tuple[Candidate, ...]) -> Mention:
    if entry.kind == "class":
        return Mention(span, start, end, "matched", None, entry.target, None, score, cands,
                       name=cand.name)
    return Mention(span, start, end, "matched", cand.drug, cand.drug_class, cand.therapy, score,
                   cands, name=cand.name, use=cand.use)


def _unknown(text: str, toks: list[_Tok]) -> Mention:
    span, start, end = _span(text, toks)
    return Mention(span, start, end, "unknown", None, None, None, 0.0, ())


# --- routes ---------------------------------------------------------------------------------------

def _with_route_mention(m: Matcher, mention: Mention, route: Route) -> Mention:
    """The mention with its therapy (and its candidates') refined by the route typed."""
    cands = tuple(_with_route(m, c, route) for c in mention.candidates)
    d = m.drugs.get(mention.drug) if mention.drug is not None else None
    therapy = mention.therapy if d is None else _therapy(d, route)
    return replace(mention, therapy=therapy, candidates=cands)


def _therapy(drug: Drug, route: Route) -> str | None:
    """The therapy of the drug by this route (None: the knowledge has none for it)."""
    return drug.route_therapies.get(route, drug.therapy)


def _with_route(m: Matcher, c: Candidate, route: Route) -> Candidate:
    d = m.drugs.get(c.drug)
    if d is None:
        return c
    therapy = _therapy(d, route)
    return c if therapy == c.therapy else replace(c, therapy=therapy)
